#include "review/ranking_export.hpp"

#include "funds/export.hpp"
#include "web/xlsx.hpp"

#include <array>
#include <cstdio>
#include <stdexcept>

namespace spire::review {

namespace {

struct Column {
    const char* header; // msgid
    double width;       // XLSX, in characters
};

enum Col {
    RANK,
    REFERENCE,
    TITLE,
    UNIT,
    REVIEWS,
    RAW_MEAN,
    RAW_MIN,
    RAW_MAX,
    DISAGREEMENT,
    FAILURES,
    QUALITY,
    RANK_50_LOW,
    RANK_50_HIGH,
    RANK_90_LOW,
    RANK_90_HIGH,
    COLUMN_COUNT
};

constexpr std::array<Column, COLUMN_COUNT> COLUMNS = {{
    {"Expected rank", 14},
    {"Reference", 17},
    {"Title", 50},
    {"Unit", 30},
    {"Reviews", 10},
    {"Raw mean", 10},
    {"Lowest", 10},
    {"Highest", 10},
    {"Disagreement", 14},
    {"Below minimum", 30},
    {"Calibrated quality", 16},
    {"Rank 50 % from", 14},
    {"Rank 50 % to", 14},
    {"Rank 90 % from", 14},
    {"Rank 90 % to", 14},
}};

std::string translated(const ExportTranslate& translate, std::string_view msgid) {
    return translate ? translate(msgid) : std::string(msgid);
}

// "3,25": Norwegian Excel reads a decimal comma as a number (funds/export.hpp).
std::string decimal(double value, int decimals) {
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
    std::string text = buffer;
    if (auto dot = text.find('.'); dot != std::string::npos)
        text[dot] = ',';
    return text;
}

std::string optional_decimal(const std::optional<double>& value, int decimals) {
    return value ? decimal(*value, decimals) : std::string();
}

std::string joined(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "" : ", ") + name;
    return text;
}

bool reviewed(const RankingRow& row) {
    return row.ranking.review_count > 0;
}

void write_sheet(web::XlsxWorkbook& workbook, const CallRanking& ranking,
                 const ExportTranslate& translate) {
    lxw_worksheet* sheet = workbook.add_sheet(translated(translate, "Ranking"), "Ranking");
    lxw_format* header = workbook.bold_format();
    lxw_format* two_decimals = workbook_add_format(workbook.get());
    format_set_num_format(two_decimals, "0.00");
    for (lxw_col_t col = 0; col < COLUMN_COUNT; ++col) {
        web::check_xlsx(worksheet_set_column(sheet, col, col, COLUMNS[col].width, nullptr),
                        "column");
        web::check_xlsx(worksheet_write_string(sheet, 0, col,
                                               translated(translate, COLUMNS[col].header).c_str(),
                                               header),
                        "header");
    }
    worksheet_freeze_panes(sheet, 1, 0);
    lxw_row_t r = 1;
    for (const auto& row : ranking.rows) {
        auto text = [&](Col col, const std::string& value) {
            if (!value.empty())
                web::check_xlsx(worksheet_write_string(sheet, r, col, value.c_str(), nullptr),
                                "cell");
        };
        auto number = [&](Col col, std::optional<double> value, lxw_format* format) {
            if (value)
                web::check_xlsx(worksheet_write_number(sheet, r, col, *value, format), "cell");
        };
        const auto& a = row.ranking;
        const bool ranked = reviewed(row);
        number(RANK, ranked ? std::optional<double>(a.expected_rank) : std::nullopt, two_decimals);
        text(REFERENCE, row.application.reference);
        text(TITLE, row.application.title);
        text(UNIT, row.application.unit_name);
        number(REVIEWS, a.review_count, nullptr);
        number(RAW_MEAN, a.raw_mean, two_decimals);
        number(RAW_MIN, a.raw_min, two_decimals);
        number(RAW_MAX, a.raw_max, two_decimals);
        text(DISAGREEMENT, a.disagreement ? translated(translate, "Yes") : "");
        text(FAILURES, joined(row.threshold_failures));
        number(QUALITY, a.quality, two_decimals);
        if (ranked) {
            number(RANK_50_LOW, a.rank_50.lower, nullptr);
            number(RANK_50_HIGH, a.rank_50.upper, nullptr);
            number(RANK_90_LOW, a.rank_90.lower, nullptr);
            number(RANK_90_HIGH, a.rank_90.upper, nullptr);
        }
        ++r;
    }
    web::check_xlsx(worksheet_autofilter(sheet, 0, 0, r - 1, COLUMN_COUNT - 1), "autofilter");
}

} // namespace

std::string ranking_csv(const CallRanking& ranking, const ExportTranslate& translate) {
    const char sep = funds::CSV_SEPARATOR;
    std::string out(funds::UTF8_BOM);
    for (std::size_t column = 0; column < COLUMN_COUNT; ++column) {
        if (column > 0)
            out += sep;
        out += funds::csv_text(translated(translate, COLUMNS[column].header));
    }
    out += "\r\n";
    for (const auto& row : ranking.rows) {
        const auto& a = row.ranking;
        const bool ranked = reviewed(row);
        auto rank = [&](int value) { return ranked ? std::to_string(value) : std::string(); };
        out += (ranked ? decimal(a.expected_rank, 2) : std::string()) + sep +
               funds::csv_text(row.application.reference) + sep +
               funds::csv_text(row.application.title) + sep +
               funds::csv_text(row.application.unit_name) + sep + std::to_string(a.review_count) +
               sep + optional_decimal(a.raw_mean, 2) + sep + optional_decimal(a.raw_min, 2) + sep +
               optional_decimal(a.raw_max, 2) + sep +
               (a.disagreement ? funds::csv_text(translated(translate, "Yes")) : std::string()) +
               sep + funds::csv_text(joined(row.threshold_failures)) + sep +
               optional_decimal(a.quality, 2) + sep + rank(a.rank_50.lower) + sep +
               rank(a.rank_50.upper) + sep + rank(a.rank_90.lower) + sep + rank(a.rank_90.upper) +
               "\r\n";
    }
    return out;
}

std::string ranking_xlsx(const CallRanking& ranking, const ExportTranslate& translate) {
    web::XlsxWorkbook workbook("spire-ranking");
    write_sheet(workbook, ranking, translate);
    return workbook.finish();
}

} // namespace spire::review
