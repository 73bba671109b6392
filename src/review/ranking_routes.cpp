#include "review/ranking_routes.hpp"

#include "calls/manage_tabs.hpp"
#include "core/time.hpp"
#include "funds/export.hpp"
#include "identity/web.hpp"
#include "review/rank_plot.hpp"
#include "review/ranking_export.hpp"
#include "web/format.hpp"
#include "web/pages.hpp"

#include <algorithm>
#include <charconv>
#include <functional>

namespace spire::review {

namespace {

using calls::manage_href;
using identity::actor_of;
using web::Data;
using web::fill;
using web::make_list;
using web::Translate;

std::string ranking_href(Id call_id) {
    return manage_href(call_id) + "/ranking";
}

// Numbers as the page's language writes them: "4,25" in Norwegian.
std::string decimal(double value, int decimals, const std::string& lang) {
    char buffer[48];
    auto end =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals)
            .ptr;
    std::string text(buffer, end);
    if (text == "-0.00" || text == "-0.0")
        text.erase(0, 1);
    if (lang != "en")
        std::replace(text.begin(), text.end(), '.', ',');
    return text;
}

std::string interval_text(const Interval<int>& interval) {
    return interval.lower == interval.upper
               ? std::to_string(interval.lower)
               : std::to_string(interval.lower) + "–" + std::to_string(interval.upper);
}

// --- Sorting ---------------------------------------------------------------------

enum class SortKey { Rank, Reference, Reviews, RawMean, Spread, Quality };

struct SortColumn {
    SortKey key;
    std::string_view name;  // ?sort=
    std::string_view msgid; // header
    bool numeric;
};

constexpr SortColumn SORT_COLUMNS[] = {
    {SortKey::Rank, "rank", "Expected rank", true},
    {SortKey::Reference, "reference", "Application", false},
    {SortKey::Reviews, "reviews", "Reviews", true},
    {SortKey::RawMean, "raw", "Raw mean", true},
    {SortKey::Spread, "spread", "Spread (lowest–highest)", true},
    {SortKey::Quality, "quality", "Calibrated quality", true},
};

struct Sort {
    SortKey key = SortKey::Rank;
    bool descending = false;
};

Sort sort_of(const http::Request& request) {
    Sort sort;
    const std::string name = web::text_param(request, "sort");
    for (const auto& column : SORT_COLUMNS)
        if (column.name == name)
            sort.key = column.key;
    sort.descending = web::text_param(request, "dir") == "desc";
    return sort;
}

// Missing numbers (no reviews) sort last in either direction.
double sort_value(const RankingRow& row, SortKey key) {
    const auto& a = row.ranking;
    switch (key) {
    case SortKey::Rank:
        return a.expected_rank;
    case SortKey::Reviews:
        return a.review_count;
    case SortKey::RawMean:
        return a.raw_mean.value_or(0);
    case SortKey::Spread:
        return a.raw_min ? *a.raw_max - *a.raw_min : 0;
    case SortKey::Quality:
        return a.quality.value_or(0);
    case SortKey::Reference:
        break;
    }
    return 0;
}

void sort_rows(std::vector<RankingRow>& rows, Sort sort) {
    std::stable_sort(rows.begin(), rows.end(), [sort](const RankingRow& a, const RankingRow& b) {
        if (sort.key == SortKey::Reference) {
            return sort.descending ? b.application.reference < a.application.reference
                                   : a.application.reference < b.application.reference;
        }
        const bool a_known = a.ranking.review_count > 0 || sort.key == SortKey::Reviews;
        const bool b_known = b.ranking.review_count > 0 || sort.key == SortKey::Reviews;
        if (a_known != b_known)
            return a_known;
        const double x = sort_value(a, sort.key), y = sort_value(b, sort.key);
        return sort.descending ? y < x : x < y;
    });
}

Data sort_headers(const Translate& tr, Id call_id, Sort sort) {
    Data headers = make_list();
    for (const auto& column : SORT_COLUMNS) {
        Data header;
        header.set("label", tr(column.msgid));
        header.set("num", column.numeric);
        const bool current = column.key == sort.key;
        const bool next_descending = current && !sort.descending;
        header.set("href",
                   web::href_with(ranking_href(call_id), {{"sort", std::string(column.name)},
                                                          {"dir", next_descending ? "desc" : ""}}));
        if (current) {
            header.set("aria_sort", sort.descending ? "descending" : "ascending");
            header.set("arrow", sort.descending ? "▼" : "▲");
        }
        headers.push_back(header);
    }
    return headers;
}

// --- The page --------------------------------------------------------------------

Data row_data(const RankingRow& row, const std::string& lang) {
    const auto& a = row.ranking;
    Data data;
    data.set("reference", row.application.reference);
    data.set("title", row.application.title);
    data.set("unit_name", row.application.unit_name);
    data.set("href", "/applications/" + std::to_string(row.application.id));
    data.set("reviews", std::to_string(a.review_count));
    const bool reviewed = a.review_count > 0;
    data.set("reviewed", reviewed);
    if (reviewed) {
        data.set("expected_rank", decimal(a.expected_rank, 1, lang));
        data.set("rank_50", interval_text(a.rank_50));
        data.set("rank_90", interval_text(a.rank_90));
    }
    if (a.raw_mean)
        data.set("raw_mean", decimal(*a.raw_mean, 2, lang));
    if (a.raw_min && a.raw_max)
        data.set("spread", decimal(*a.raw_min, 2, lang) + "–" + decimal(*a.raw_max, 2, lang));
    data.set("disagreement", a.disagreement);
    if (a.quality)
        data.set("quality", decimal(*a.quality, 2, lang));
    if (!row.threshold_failures.empty()) {
        std::string names;
        for (const auto& name : row.threshold_failures)
            names += (names.empty() ? "" : ", ") + name;
        data.set("failures", names);
    }
    return data;
}

std::string optional_decimal(const std::optional<double>& value, const std::string& lang) {
    return value ? decimal(*value, 2, lang) : std::string("–");
}

std::string plot_svg(const CallRanking& ranking, const Translate& tr) {
    std::vector<PlotRow> rows;
    int rank_count = static_cast<int>(ranking.rows.size() + ranking.hidden_rows);
    for (const auto& row : ranking.rows) {
        if (row.ranking.review_count == 0)
            continue; // no interval to draw: every rank is possible
        rows.push_back({row.application.reference, row.ranking.expected_rank, row.ranking.rank_50,
                        row.ranking.rank_90});
    }
    if (rows.empty())
        return {};
    PlotText text;
    text.title = tr("Rank plot");
    text.description = fill(tr("Expected rank with 50 % and 90 % credible intervals for {count} "
                               "applications, best first. The ranking table below has the same "
                               "numbers."),
                            {{"count", std::to_string(rows.size())}});
    text.axis_label = tr("Rank (1 = best)");
    text.row_title = tr("{label}: expected rank {rank}, 50 % interval {r50}, 90 % interval {r90}");
    return rank_plot_svg(rows, rank_count, text);
}

http::Response show_ranking(RankingService& service, const web::View& view,
                            http::Request& request) {
    if (!request.context.principal)
        return web::redirect_to_login(request);
    const Id call_id = request.param_int("id").value_or(0);
    auto ranking = service.ranking(actor_of(request), call_id);
    if (!ranking)
        return web::refuse(request, ranking.error());
    Translate tr{view, request};
    const std::string& lang = request.context.lang;
    const auto& call = ranking->call;
    Data data;
    data.set("call_title", call.title);
    data.set("fund_name", call.fund_name);
    data.set("fund_href", "/funds/" + std::to_string(call.fund_id));
    data.set("fund_calls_href", "/funds/" + std::to_string(call.fund_id) + "/calls");
    data.set("manage_href", manage_href(call.id));
    data.set("tabs", calls::manage_tabs(tr, call.id, "ranking"));
    data.set("ranking_href", ranking_href(call.id));
    data.set("csv_href", ranking_href(call.id) + ".csv");
    data.set("xlsx_href", ranking_href(call.id) + ".xlsx");
    data.set("review_data_href", ranking_href(call.id) + "/review-data.json");

    const auto state = ranking->state;
    data.set("no_applications", state == RankingPageState::NoApplications);
    data.set("not_rankable", state == RankingPageState::NotRankable);
    if (state == RankingPageState::NotRankable)
        data.set("not_rankable_reason", tr(ranking->not_rankable_reason));
    data.set("no_reviews", state == RankingPageState::NoReviews);
    data.set("ranked", state == RankingPageState::Ranked);
    const bool has_table =
        state == RankingPageState::Ranked || state == RankingPageState::NoReviews;
    data.set("has_table", has_table && !ranking->rows.empty());
    data.set("can_export_data", has_table);
    if (ranking->hidden_rows > 0)
        data.set("hidden_text",
                 fill(tr("{count} applications are not shown because you have declared a "
                         "conflict of interest for them."),
                      {{"count", std::to_string(ranking->hidden_rows)}}));

    data.set("summary_text",
             fill(tr("{applications} applications, {reviews} submitted reviews by {reviewers} "
                     "reviewers."),
                  {{"applications", std::to_string(ranking->rows.size() + ranking->hidden_rows)},
                   {"reviews", std::to_string(ranking->review_count)},
                   {"reviewers", std::to_string(ranking->reviewer_count)}}));
    if (state == RankingPageState::Ranked) {
        data.set("icc1", optional_decimal(ranking->reliability.icc1_anova, lang));
        data.set("model_icc", optional_decimal(ranking->reliability.model_icc, lang));
        data.set("model_icc_calibrated",
                 optional_decimal(ranking->reliability.model_icc_calibrated, lang));
        data.set("seed", std::to_string(ranking->sampling.seed));
        data.set("draws", std::to_string(ranking->sampling.draws));
        if (auto when = from_db_time(ranking->computed_at))
            data.set("computed_at", web::format_datetime(*when, lang));
        // review/ranking.hpp: half the scale's width (3 points on 1–7).
        data.set(
            "disagreement_note",
            fill(tr("Disagreement: the reviews' raw scores differ by at least {threshold} "
                    "points on the scale {scale}."),
                 {{"threshold", decimal((ranking->scale_max - ranking->scale_min) / 2.0, 1, lang)},
                  {"scale", std::to_string(ranking->scale_min) + "–" +
                                std::to_string(ranking->scale_max)}}));
        // The SVG is ours (review/rank_plot.hpp escapes every text in it).
        data.set("plot", plot_svg(*ranking, tr));
    }

    Sort sort = sort_of(request);
    std::vector<RankingRow>& rows = ranking->rows; // the plot is drawn: sort in place
    sort_rows(rows, sort);
    data.set("columns", sort_headers(tr, call.id, sort));
    Data& list = web::set_empty_list(data, "rows");
    for (const auto& row : rows)
        web::push_back_moved(list, row_data(row, lang));
    return view.page(request, "review/ranking", "Ranking", std::move(data));
}

// --- Downloads -------------------------------------------------------------------

http::Response download(std::string body, std::string_view content_type, std::string filename) {
    http::Response response;
    response.headers.set("Content-Type", std::string(content_type));
    // DESIGN.md §7: downloads as attachments; nosniff comes from
    // http::security_headers(). ASCII names need no RFC 6266 filename*.
    response.headers.set("Content-Disposition", "attachment; filename=\"" + filename + "\"");
    response.headers.set("Cache-Control", "no-store");
    response.body = std::move(body);
    return response;
}

enum class TableFormat { Csv, Xlsx };

http::Response export_ranking(RankingService& service, const std::shared_ptr<const web::View>& view,
                              http::Request& request, TableFormat format) {
    if (!request.context.principal)
        return web::redirect_to_login(request);
    const Id call_id = request.param_int("id").value_or(0);
    auto ranking = service.ranking(actor_of(request), call_id);
    if (!ranking)
        return web::refuse(request, ranking.error());
    ExportTranslate translate;
    if (view)
        translate = [&view, &request](std::string_view msgid) {
            return view->translate(request, msgid);
        };
    const std::string name = "ranking-" + std::to_string(call_id);
    if (format == TableFormat::Csv)
        return download(ranking_csv(*ranking, translate), funds::CSV_CONTENT_TYPE, name + ".csv");
    return download(ranking_xlsx(*ranking, translate), funds::XLSX_CONTENT_TYPE, name + ".xlsx");
}

http::Response export_review_data(RankingService& service, http::Request& request) {
    if (!request.context.principal)
        return web::redirect_to_login(request);
    const Id call_id = request.param_int("id").value_or(0);
    auto file = service.review_data_file(actor_of(request), call_id);
    if (!file)
        return web::refuse(request, file.error());
    return download(std::move(*file), "application/json",
                    "review-data-" + std::to_string(call_id) + ".json");
}

} // namespace

void register_ranking_routes(http::Router& router, RankingRoutesDeps deps) {
    auto service = deps.ranking;
    auto view = deps.view;
    router.get("/calls/{id:int}/manage/ranking", [service, view](http::Request& request) {
        return show_ranking(*service, *view, request);
    });
    router.get("/calls/{id:int}/manage/ranking.csv", [service, view](http::Request& request) {
        return export_ranking(*service, view, request, TableFormat::Csv);
    });
    router.get("/calls/{id:int}/manage/ranking.xlsx", [service, view](http::Request& request) {
        return export_ranking(*service, view, request, TableFormat::Xlsx);
    });
    router.get("/calls/{id:int}/manage/ranking/review-data.json",
               [service](http::Request& request) { return export_review_data(*service, request); });
}

} // namespace spire::review
