#include "applications/export.hpp"

#include "core/time.hpp"
#include "funds/export.hpp"
#include "web/xlsx.hpp"

#include <array>
#include <date/tz.h>
#include <stdexcept>

namespace spire::applications {

namespace {

struct Column {
    const char* header; // msgid
    double width;       // XLSX, in characters
};

enum Col { REFERENCE, TITLE, UNIT, CALL, STATUS, BUDGET, REQUESTED, SUBMITTED, UPDATED };

constexpr std::array<Column, 9> COLUMNS = {{
    {"Reference", 17},
    {"Title", 50},
    {"Unit", 30},
    {"Call", 40},
    {"Status", 22},
    {"Budget total", 16},
    {"Amount applied for", 18},
    {"Submitted", 17},
    {"Last changed", 17},
}};

std::string translated(const ListExportContext& context, std::string_view msgid) {
    return context.translate ? context.translate(msgid) : std::string(msgid);
}

std::string header_of(const ListExportContext& context, std::size_t column) {
    std::string header = translated(context, COLUMNS[column].header);
    if (column == BUDGET || column == REQUESTED)
        header += " (kr)";
    return header;
}

// "2018-03-01 14:05" in Oslo time; empty for no time.
std::string oslo_text(const std::optional<std::string>& db_time) {
    if (!db_time)
        return {};
    auto when = from_db_time(*db_time);
    if (!when)
        return {};
    static const date::time_zone* zone = date::locate_zone("Europe/Oslo");
    auto local = date::make_zoned(zone, date::floor<std::chrono::minutes>(*when)).get_local_time();
    return date::format("%Y-%m-%d %H:%M", local);
}

} // namespace

ListCsv::ListCsv(ListExportContext context) : m_context(std::move(context)) {
    m_text = std::string(funds::UTF8_BOM);
    for (std::size_t column = 0; column < COLUMNS.size(); ++column) {
        if (column > 0)
            m_text += funds::CSV_SEPARATOR;
        m_text += funds::csv_text(header_of(m_context, column));
    }
    m_text += "\r\n";
}

void ListCsv::add(const ListRow& row) {
    const char sep = funds::CSV_SEPARATOR;
    m_text += funds::csv_text(row.reference) + sep + funds::csv_text(row.title) + sep +
              funds::csv_text(row.unit_name) + sep + funds::csv_text(row.call_title) + sep +
              funds::csv_text(translated(m_context, status_label(row.status))) + sep +
              funds::csv_kroner(row.budget_total_ore) + sep + funds::csv_kroner(row.requested_ore) +
              sep + oslo_text(row.submitted_at) + sep + oslo_text(row.updated_at) + "\r\n";
}

ListXlsx::ListXlsx(ListExportContext context) : m_context(std::move(context)) {}

void ListXlsx::add(const ListRow& row) {
    m_rows.push_back(row);
}

Result<std::string> ListXlsx::finish() {
    if (m_rows.size() + 1 > static_cast<std::size_t>(funds::MAX_XLSX_ROWS))
        return tl::unexpected(Error::too_large(message::LIST_TOO_LONG_FOR_XLSX));
    web::XlsxWorkbook workbook("spire-applications");
    lxw_worksheet* sheet =
        workbook.add_sheet(translated(m_context, "Applications"), "Applications");
    lxw_format* header = workbook.bold_format();
    lxw_format* kroner = workbook_add_format(workbook.get());
    format_set_num_format(kroner, "#,##0.00");
    for (lxw_col_t col = 0; col < COLUMNS.size(); ++col) {
        lxw_format* format = (col == BUDGET || col == REQUESTED) ? kroner : nullptr;
        web::check_xlsx(worksheet_set_column(sheet, col, col, COLUMNS[col].width, format),
                        "column");
        web::check_xlsx(
            worksheet_write_string(sheet, 0, col, header_of(m_context, col).c_str(), header),
            "header");
    }
    worksheet_freeze_panes(sheet, 1, 0);
    lxw_row_t r = 1;
    for (const auto& row : m_rows) {
        auto text = [&](Col col, const std::string& value) {
            if (!value.empty())
                web::check_xlsx(worksheet_write_string(sheet, r, col, value.c_str(), nullptr),
                                "cell");
        };
        text(REFERENCE, row.reference);
        text(TITLE, row.title);
        text(UNIT, row.unit_name);
        text(CALL, row.call_title);
        text(STATUS, translated(m_context, status_label(row.status)));
        // Øre to kroner: exact in a double far beyond any budget here.
        web::check_xlsx(worksheet_write_number(
                            sheet, r, BUDGET,
                            static_cast<double>(row.budget_total_ore) / ORE_PER_KRONE, kroner),
                        "cell");
        web::check_xlsx(
            worksheet_write_number(sheet, r, REQUESTED,
                                   static_cast<double>(row.requested_ore) / ORE_PER_KRONE, kroner),
            "cell");
        text(SUBMITTED, oslo_text(row.submitted_at));
        text(UPDATED, oslo_text(row.updated_at));
        ++r;
    }
    web::check_xlsx(worksheet_autofilter(sheet, 0, 0, r - 1, COLUMNS.size() - 1), "autofilter");
    return workbook.finish();
}

} // namespace spire::applications
