#include "applications/export.hpp"

#include "core/time.hpp"
#include "funds/export.hpp"

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <date/tz.h>
#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

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

void check(lxw_error error, const char* what) {
    if (error != LXW_NO_ERROR)
        throw std::runtime_error(std::string("xlsx: ") + what + ": " + lxw_strerror(error));
}

std::filesystem::path temp_directory() {
    const char* tmp = std::getenv("TMPDIR");
    return tmp && *tmp ? std::filesystem::path(tmp) : std::filesystem::path("/tmp");
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
    const std::string tmpdir = temp_directory().string();
    std::string path = (std::filesystem::path(tmpdir) / "spire-applications-XXXXXX").string();
    // mkstemp: a new file only this user can read, under an unpredictable name.
    const int fd = ::mkstemp(path.data());
    if (fd < 0)
        throw std::runtime_error("xlsx: cannot create a temporary file in " + tmpdir + ": " +
                                 std::strerror(errno));
    struct Cleanup {
        int fd;
        std::string path;
        ~Cleanup() {
            ::close(fd);
            ::unlink(path.c_str());
        }
    } cleanup{fd, path};

    std::string tmp = tmpdir;
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    options.tmpdir = tmp.data();
    lxw_workbook* workbook = workbook_new_opt(path.c_str(), &options);
    if (!workbook)
        throw std::runtime_error("xlsx: cannot start a workbook");
    struct Closer {
        lxw_workbook*& workbook;
        ~Closer() {
            if (workbook)
                workbook_close(workbook);
        }
    } closer{workbook};
    std::string name = translated(m_context, "Applications").substr(0, 31);
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, name.c_str());
    if (!sheet)
        throw std::runtime_error("xlsx: cannot add a worksheet");
    lxw_format* header = workbook_add_format(workbook);
    format_set_bold(header);
    lxw_format* kroner = workbook_add_format(workbook);
    format_set_num_format(kroner, "#,##0.00");
    for (lxw_col_t col = 0; col < COLUMNS.size(); ++col) {
        lxw_format* format = (col == BUDGET || col == REQUESTED) ? kroner : nullptr;
        check(worksheet_set_column(sheet, col, col, COLUMNS[col].width, format), "column");
        check(worksheet_write_string(sheet, 0, col, header_of(m_context, col).c_str(), header),
              "header");
    }
    worksheet_freeze_panes(sheet, 1, 0);
    lxw_row_t r = 1;
    for (const auto& row : m_rows) {
        auto text = [&](Col col, const std::string& value) {
            if (!value.empty())
                check(worksheet_write_string(sheet, r, col, value.c_str(), nullptr), "cell");
        };
        text(REFERENCE, row.reference);
        text(TITLE, row.title);
        text(UNIT, row.unit_name);
        text(CALL, row.call_title);
        text(STATUS, translated(m_context, status_label(row.status)));
        // Øre to kroner: exact in a double far beyond any budget here.
        check(worksheet_write_number(sheet, r, BUDGET,
                                     static_cast<double>(row.budget_total_ore) / ORE_PER_KRONE,
                                     kroner),
              "cell");
        check(worksheet_write_number(sheet, r, REQUESTED,
                                     static_cast<double>(row.requested_ore) / ORE_PER_KRONE,
                                     kroner),
              "cell");
        text(SUBMITTED, oslo_text(row.submitted_at));
        text(UPDATED, oslo_text(row.updated_at));
        ++r;
    }
    check(worksheet_autofilter(sheet, 0, 0, r - 1, COLUMNS.size() - 1), "autofilter");
    lxw_error closed = workbook_close(workbook);
    workbook = nullptr;
    check(closed, "write");

    struct stat info {};
    if (::fstat(fd, &info) != 0)
        throw std::runtime_error(std::string("xlsx: fstat: ") + std::strerror(errno));
    std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::pread(fd, bytes.data() + done, bytes.size() - done, static_cast<off_t>(done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            throw std::runtime_error(std::string("xlsx: read back: ") + std::strerror(errno));
        done += static_cast<std::size_t>(n);
    }
    return bytes;
}

} // namespace spire::applications
