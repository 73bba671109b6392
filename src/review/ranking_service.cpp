#include "review/ranking_service.hpp"

#include "calls/store.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "review/ranking_file.hpp"
#include "review/ranking_policy.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <soci/soci.h>
#include <stdexcept>

namespace spire::review {

namespace {

using ranking_store::RankingData;

constexpr const char* CRITERIA_INCOMPLETE =
    "The call's criteria are not complete (they need weights that add up to 100 %), so no "
    "ranking can be computed.";

bool criteria_usable(const std::vector<calls::Criterion>& criteria) {
    return !criteria.empty() && calls::weight_sum(criteria) == 100;
}

// What one read transaction gathers for a page or a file.
struct Snapshot {
    calls::Call call;
    RankingData data;       // the page's has no scores when a current result exists
    std::set<Id> conflicts; // the user's, among the call's applications
    std::int64_t input_version = 0;
};

// Whether the actor may take `action` on the call's ranking; fills the
// snapshot's call and the actor's conflicts.
std::optional<Error> authorize(soci::session& sql, const Actor& actor, Id call_id,
                               RankingAction action, Snapshot& snapshot) {
    auto call = calls::store::find_call(sql, call_id);
    if (!call)
        return Error::not_found("Not found");
    snapshot.call = std::move(*call);
    if (actor.is_system)
        return std::nullopt;
    RankingResource resource{snapshot.call.organisation_id, snapshot.call.fund_id, false};
    if (auto decision = authorize_ranking(actor.principal, RankingAction::View, resource);
        !decision)
        return decision.to_error();
    snapshot.conflicts =
        ranking_store::conflicted_applications(sql, call_id, actor.principal->user_id);
    resource.user_has_conflict = !snapshot.conflicts.empty();
    if (auto decision = authorize_ranking(actor.principal, action, resource); !decision)
        return decision.to_error();
    return std::nullopt;
}

Result<Snapshot> read_snapshot(db::Database& database, const Actor& actor, Id call_id,
                               RankingAction action) {
    return database.read([&](soci::session& sql) -> Result<Snapshot> {
        Snapshot snapshot;
        if (auto refused = authorize(sql, actor, call_id, action, snapshot))
            return Unexpected(*refused);
        snapshot.data = ranking_store::read_ranking_data(sql, call_id);
        return snapshot;
    });
}

// The cached row, when it was computed by this model from the input version
// `input_version`; otherwise none.
std::optional<ranking_store::CachedRanking> current_cache(soci::session& sql, Id call_id,
                                                          std::int64_t input_version) {
    auto stamp = ranking_store::find_ranking_stamp(sql, call_id);
    if (!stamp || stamp->input_version != input_version ||
        stamp->model_version != RANKING_MODEL_VERSION)
        return std::nullopt;
    auto json = ranking_store::find_ranking_result_json(sql, call_id);
    if (!json)
        return std::nullopt;
    return ranking_store::CachedRanking{std::move(*stamp), std::move(*json)};
}

// The result as the file states it: written and read back, so that a fresh
// computation and a cached one show exactly the same (rounded) numbers.
Result<RankingResult> as_written(const std::string& result_json) {
    return parse_ranking_result(result_json);
}

void fill_rows(CallRanking& ranking, const RankingResult& result, const RankingData& data,
               const std::set<Id>& conflicts) {
    std::map<std::string, const ranking_store::RankedApplication*> applications;
    for (const auto& application : data.applications)
        applications.emplace(std::to_string(application.id), &application);
    std::map<std::string, std::string> criterion_names;
    for (const auto& criterion : data.criteria)
        criterion_names.emplace(std::to_string(criterion.id), criterion.name);
    for (const auto& ranked : result.applications) {
        auto found = applications.find(ranked.application_id);
        if (found == applications.end())
            continue; // not expected: the result was computed from these ids
        if (conflicts.contains(found->second->id)) {
            ++ranking.hidden_rows;
            continue;
        }
        RankingRow row;
        row.application = *found->second;
        row.ranking = ranked;
        for (const auto& id : ranked.threshold_failures) {
            auto name = criterion_names.find(id);
            row.threshold_failures.push_back(name != criterion_names.end() ? name->second : id);
        }
        ranking.rows.push_back(std::move(row));
    }
    // The file lists them by expected rank, ties in input (id) order.
    std::stable_sort(ranking.rows.begin(), ranking.rows.end(), [](const auto& a, const auto& b) {
        return a.ranking.expected_rank < b.ranking.expected_rank;
    });
}

} // namespace

RankingInput ranking_input_of(const RankingData& data, Id call_id) {
    RankingInput input;
    for (const auto& criterion : data.criteria)
        input.criteria.push_back({std::to_string(criterion.id), criterion.weight_percent,
                                  criterion.scale_min, criterion.scale_max,
                                  criterion.minimum_score});
    for (const auto& application : data.applications)
        input.applications.push_back(std::to_string(application.id));

    std::map<Id, std::size_t> criterion_index;
    for (std::size_t i = 0; i < data.criteria.size(); ++i)
        criterion_index.emplace(data.criteria[i].id, i);
    std::set<Id> ranked;
    for (const auto& application : data.applications)
        ranked.insert(application.id);

    // The rows come by application, reviewer: one review per run of rows.
    struct Pending {
        Id application = 0;
        Id reviewer = 0;
        std::vector<std::optional<int>> scores;
    };
    std::vector<Pending> complete;
    auto finish = [&](Pending& pending) {
        if (pending.reviewer == 0 || !ranked.contains(pending.application))
            return;
        if (std::all_of(pending.scores.begin(), pending.scores.end(),
                        [](const auto& score) { return score.has_value(); }))
            complete.push_back(pending);
    };
    Pending pending;
    for (const auto& row : data.scores) {
        if (row.application_id != pending.application || row.reviewer_id != pending.reviewer) {
            finish(pending);
            pending = {row.application_id, row.reviewer_id,
                       std::vector<std::optional<int>>(data.criteria.size())};
        }
        if (auto index = criterion_index.find(row.criterion_id); index != criterion_index.end())
            pending.scores[index->second] = row.score;
    }
    finish(pending);

    std::map<Id, std::string> reviewer_names;
    for (const auto& review : complete)
        reviewer_names.emplace(review.reviewer, "");
    int number = 0;
    for (auto& [user, name] : reviewer_names) {
        name = "R" + std::to_string(++number);
        input.reviewers.push_back(name);
    }
    for (const auto& review : complete) {
        Review out;
        out.application_id = std::to_string(review.application);
        out.reviewer_id = reviewer_names[review.reviewer];
        for (const auto& score : review.scores)
            out.scores.push_back(*score);
        input.reviews.push_back(std::move(out));
    }
    input.sampling.seed =
        data.seed ? static_cast<std::uint64_t>(*data.seed) : static_cast<std::uint64_t>(call_id);
    return input;
}

namespace {

// Length-prefixed, so no id can run into the next field.
void put(std::string& out, std::string_view text) {
    out += std::to_string(text.size());
    out += ':';
    out += text;
}

void put(std::string& out, long long number) {
    out += std::to_string(number);
    out += ',';
}

} // namespace

std::string ranking_digest(const RankingInput& input) {
    std::string text(RANKING_MODEL_VERSION);
    text += '\n';
    for (const auto& criterion : input.criteria) {
        put(text, criterion.id);
        put(text, criterion.weight_percent);
        put(text, criterion.scale_min);
        put(text, criterion.scale_max);
        put(text, criterion.minimum ? std::string_view("m") : std::string_view("-"));
        put(text, criterion.minimum.value_or(0));
    }
    text += "\na";
    for (const auto& application : input.applications)
        put(text, application);
    text += "\nr";
    for (const auto& reviewer : input.reviewers)
        put(text, reviewer);
    text += "\nv";
    for (const auto& review : input.reviews) {
        put(text, review.application_id);
        put(text, review.reviewer_id);
        for (int score : review.scores)
            put(text, score);
        text += ';';
    }
    text += "\ns";
    text += std::to_string(input.sampling.seed);
    text += ',';
    put(text, input.sampling.burn_in);
    put(text, input.sampling.draws);
    return sha256_hex(text);
}

RankingService::RankingService(std::shared_ptr<db::Database> database)
    : m_database(std::move(database)) {}

std::shared_ptr<const RankingService::Memo> RankingService::remembered(Id call_id,
                                                                       std::int64_t version) {
    std::lock_guard lock(m_memo_mutex);
    auto found = m_memo.find(call_id);
    if (found == m_memo.end() || found->second->stamp.input_version != version)
        return nullptr;
    return found->second;
}

void RankingService::remember(Id call_id, std::shared_ptr<const Memo> memo) {
    std::lock_guard lock(m_memo_mutex);
    if (m_memo.size() >= MEMO_CALLS && !m_memo.contains(call_id))
        m_memo.erase(m_memo.begin()); // any one: a memo is only a shortcut
    m_memo[call_id] = std::move(memo);
}

// The page's one read transaction. The input version is read first: a change
// committed while the rest is read then makes the data newer than the
// version it is stamped with (a needless recomputation later), never older.
// With a result for the current version (this process's, or the cache
// row's) the scores are not read at all.
Result<RankingService::PageRead> RankingService::read_page(const Actor& actor, Id call_id) {
    return m_database->read([&](soci::session& sql) -> Result<PageRead> {
        PageRead page;
        Snapshot snapshot;
        snapshot.input_version = ranking_store::input_version(sql, call_id);
        if (auto refused = authorize(sql, actor, call_id, RankingAction::View, snapshot))
            return Unexpected(*refused);
        snapshot.data = ranking_store::read_ranking_data_without_scores(sql, call_id);
        if (!snapshot.data.applications.empty() && criteria_usable(snapshot.data.criteria)) {
            page.memo = remembered(call_id, snapshot.input_version);
            if (!page.memo)
                page.cached = current_cache(sql, call_id, snapshot.input_version);
            if (!page.memo && !page.cached)
                snapshot.data.scores = ranking_store::read_scores(sql, call_id);
        }
        page.call = std::move(snapshot.call);
        page.data = std::move(snapshot.data);
        page.conflicts = std::move(snapshot.conflicts);
        page.input_version = snapshot.input_version;
        return page;
    });
}

// The cached row read back, or none when it does not read back (it is then
// recomputed and replaced).
std::shared_ptr<const RankingService::Memo>
RankingService::read_back(ranking_store::CachedRanking cached) {
    auto result = as_written(cached.result_json);
    if (!result)
        return nullptr;
    return std::make_shared<const Memo>(
        Memo{std::move(cached.stamp), std::move(*result), std::move(cached.result_json)});
}

Result<CallRanking> RankingService::ranking(const Actor& actor, Id call_id) {
    auto page = read_page(actor, call_id);
    if (!page)
        return Unexpected(page.error());
    CallRanking ranking;
    ranking.call = page->call;
    ranking.criteria = page->data.criteria;
    if (page->data.applications.empty()) {
        ranking.state = RankingPageState::NoApplications;
        return ranking;
    }
    if (!criteria_usable(page->data.criteria)) {
        ranking.state = RankingPageState::NotRankable;
        ranking.not_rankable_reason = CRITERIA_INCOMPLETE;
        return ranking;
    }

    // This process's memo, then the database's cache, then the model.
    std::shared_ptr<const Memo> memo = std::move(page->memo);
    if (!memo && page->cached) {
        memo = read_back(std::move(*page->cached));
        if (!memo) // unreadable row: the scores were not read, read them now
            page->data.scores = m_database->read(
                [&](soci::session& sql) { return ranking_store::read_scores(sql, call_id); });
    }
    ranking.from_cache = memo != nullptr;
    if (!memo) {
        auto computed = compute(call_id, page->data, page->input_version);
        if (!computed) {
            ranking.state = RankingPageState::NotRankable;
            ranking.not_rankable_reason = computed.error().fields.empty()
                                              ? computed.error().message
                                              : computed.error().fields.front().message;
            return ranking;
        }
        memo = std::move(*computed);
    }
    remember(call_id, memo);
    const RankingResult& result = memo->result;
    ranking.review_count = memo->stamp.review_count;
    ranking.reviewer_count = memo->stamp.reviewer_count;
    ranking.computed_at = memo->stamp.computed_at;
    ranking.result_json = memo->result_json;
    ranking.state = result.state == RankingState::Ranked ? RankingPageState::Ranked
                                                         : RankingPageState::NoReviews;
    ranking.reliability = result.reliability;
    ranking.variance = result.variance;
    ranking.sampling = result.sampling;
    ranking.scale_min = result.scale_min;
    ranking.scale_max = result.scale_max;
    fill_rows(ranking, result, page->data, page->conflicts);
    return ranking;
}

// Runs the model on the data and caches the result, stamped with the
// version the data was read under.
Result<std::shared_ptr<const RankingService::Memo>>
RankingService::compute(Id call_id, const RankingData& data, std::int64_t input_version) {
    const RankingInput input = ranking_input_of(data, call_id);
    auto computed = rank_applications(input);
    if (!computed)
        return Unexpected(computed.error());
    ranking_store::CachedRanking cached;
    cached.stamp.input_version = input_version;
    cached.stamp.model_version = std::string(RANKING_MODEL_VERSION);
    cached.stamp.input_digest = ranking_digest(input);
    cached.stamp.computed_at = to_db_time(Clock::now());
    cached.stamp.review_count = input.reviews.size();
    cached.stamp.reviewer_count = input.reviewers.size();
    cached.result_json = write_ranking_result(*computed);
    m_database->transact(
        [&](soci::session& sql) { ranking_store::save_ranking_cache(sql, call_id, cached); });
    auto memo = read_back(std::move(cached));
    if (!memo)
        throw std::logic_error("the ranking result does not read back");
    return memo;
}

Result<std::string> RankingService::review_data_file(const Actor& actor, Id call_id) {
    auto snapshot = read_snapshot(*m_database, actor, call_id, RankingAction::ExportReviewData);
    if (!snapshot)
        return Unexpected(snapshot.error());
    return write_ranking_input(ranking_input_of(snapshot->data, call_id));
}

} // namespace spire::review
