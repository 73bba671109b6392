#include "funds/export.hpp"

#include "core/time.hpp"
#include "web/xlsx.hpp"

#include <array>
#include <date/tz.h>
#include <optional>
#include <stdexcept>

namespace spire::funds {

namespace {

// --- What both formats show ---------------------------------------------------------

struct Column {
    const char* header; // msgid, as the ledger page heads the column where it has it
    double width;       // XLSX, in characters
};

constexpr std::array<Column, 11> COLUMNS = {{
    {"No.", 9},
    {"Registered", 17},
    {"Year", 7},
    {"Programme", 30},
    {"Kind", 24},
    {"Amount", 18}, // + " (kr)"
    {"Refers to", 18},
    {"By", 24},
    {"Reason", 50},
    {"Beyond the budget", 40},
    {"Reverses entry", 14},
}};

struct LocalTime {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

// Exports show Oslo time, as the pages do (web/format.hpp).
std::optional<LocalTime> oslo_time(const std::string& db_time) {
    auto when = from_db_time(db_time);
    if (!when)
        return std::nullopt;
    static const date::time_zone* zone = date::locate_zone("Europe/Oslo");
    auto local = date::make_zoned(zone, date::floor<std::chrono::seconds>(*when)).get_local_time();
    auto day = date::floor<date::days>(local);
    date::year_month_day ymd(day);
    date::hh_mm_ss<std::chrono::seconds> hms(local - day);
    return LocalTime{
        int(ymd.year()),          int(unsigned(ymd.month())), int(unsigned(ymd.day())),
        int(hms.hours().count()), int(hms.minutes().count()), int(hms.seconds().count())};
}

// The text columns of one entry, in the user's language.
struct Texts {
    std::string programme;
    std::string kind;
    std::string reference;
    std::string author;
    std::string override_reason;
};

std::string translated(const LedgerExportContext& context, std::string_view msgid) {
    return context.translate ? context.translate(msgid) : std::string(msgid);
}

std::string header_of(const LedgerExportContext& context, std::size_t column) {
    std::string header = translated(context, COLUMNS[column].header);
    // The CSV holds bare numbers: say what they count.
    if (column == 5)
        header += " (kr)";
    return header;
}

Texts texts_of(const LedgerEntry& entry, const LedgerExportContext& context) {
    Texts texts;
    if (auto it = context.programme_names.find(entry.programme_id);
        it != context.programme_names.end())
        texts.programme = it->second;
    else
        texts.programme = "#" + std::to_string(entry.programme_id);
    texts.kind = translated(context, entry_kind_label(entry.kind));
    if (entry.release_of) {
        // "Release (Reservation)": what the release gives back.
        EntryKind of =
            *entry.release_of == ReleaseOf::Reserve ? EntryKind::Reserve : EntryKind::Commit;
        texts.kind += " (" + translated(context, entry_kind_label(of)) + ")";
    }
    if (entry.reference)
        texts.reference = translated(context, reference_type_label(entry.reference->type)) + " " +
                          std::to_string(entry.reference->id);
    texts.author = entry.author_user_id ? entry.author_name : translated(context, "System");
    if (entry.override)
        texts.override_reason = entry.override_reason;
    return texts;
}

std::string two_digits(int value) {
    return {char('0' + value / 10 % 10), char('0' + value % 10)};
}

} // namespace

// --- CSV --------------------------------------------------------------------------------

std::string csv_text(std::string_view text) {
    std::string cell;
    // https://owasp.org/www-community/attacks/CSV_Injection
    if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
        cell += '\'';
    cell += text;
    // https://www.rfc-editor.org/rfc/rfc4180#section-2
    // 6. Fields containing line breaks (CRLF), double quotes, and commas
    //    [here: the separator] should be enclosed in double-quotes.
    // 7. [...] a double-quote appearing inside a field must be escaped by
    //    preceding it with another double quote.
    if (cell.find_first_of(std::string{CSV_SEPARATOR, '"', '\r', '\n'}) == std::string::npos)
        return cell;
    std::string quoted = "\"";
    for (char c : cell) {
        if (c == '"')
            quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string csv_kroner(Ore ore) {
    // Unsigned, so that the most negative value has a magnitude too.
    bool negative = ore < 0;
    unsigned long long magnitude = negative ? 0ULL - static_cast<unsigned long long>(ore)
                                            : static_cast<unsigned long long>(ore);
    std::string text = negative ? "-" : "";
    text += std::to_string(magnitude / 100);
    text += ',';
    text += two_digits(static_cast<int>(magnitude % 100));
    return text;
}

LedgerCsv::LedgerCsv(LedgerExportContext context) : m_context(std::move(context)) {
    m_text = UTF8_BOM;
    for (std::size_t i = 0; i < COLUMNS.size(); ++i) {
        if (i != 0)
            m_text += CSV_SEPARATOR;
        m_text += csv_text(header_of(m_context, i));
    }
    m_text += "\r\n";
}

void LedgerCsv::add(const LedgerEntry& entry) {
    Texts texts = texts_of(entry, m_context);
    std::string time;
    if (auto local = oslo_time(entry.created_at)) {
        time = std::to_string(local->year) + "-" + two_digits(local->month) + "-" +
               two_digits(local->day) + " " + two_digits(local->hour) + ":" +
               two_digits(local->minute) + ":" + two_digits(local->second);
    }
    const char sep = CSV_SEPARATOR;
    m_text += std::to_string(entry.id);
    m_text += sep;
    m_text += time;
    m_text += sep;
    m_text += std::to_string(entry.year);
    m_text += sep;
    m_text += csv_text(texts.programme);
    m_text += sep;
    m_text += csv_text(texts.kind);
    m_text += sep;
    m_text += csv_kroner(entry.amount_ore);
    m_text += sep;
    m_text += csv_text(texts.reference);
    m_text += sep;
    m_text += csv_text(texts.author);
    m_text += sep;
    m_text += csv_text(entry.reason);
    m_text += sep;
    m_text += csv_text(texts.override_reason);
    m_text += sep;
    if (entry.reverses)
        m_text += std::to_string(*entry.reverses);
    m_text += "\r\n";
}

// --- XLSX -------------------------------------------------------------------------------

namespace {

// Cell formats. Excel stores format codes in the en-US notation ("," groups,
// "." decimals) and shows them in the reader's locale: "1 234,50 kr" in
// Norwegian Excel.
constexpr const char* KRONER_FORMAT = "#,##0.00 \"kr\";-#,##0.00 \"kr\"";
constexpr const char* DATETIME_FORMAT = "dd.mm.yyyy hh:mm";
constexpr const char* WHOLE_NUMBER_FORMAT = "0";

enum Col : lxw_col_t {
    ENTRY,
    TIME,
    YEAR,
    PROGRAMME,
    KIND,
    AMOUNT,
    REFERENCE,
    AUTHOR,
    REASON,
    OVERRIDE_REASON,
    REVERSES,
};

} // namespace

struct LedgerXlsx::State {
    LedgerExportContext context;
    std::optional<web::XlsxWorkbook> workbook;
    lxw_worksheet* sheet = nullptr;
    lxw_format* header = nullptr;
    lxw_format* kroner = nullptr;
    lxw_format* datetime = nullptr;
    lxw_format* whole = nullptr;
    lxw_row_t next_row = 1;
    bool overflow = false;
};

LedgerXlsx::LedgerXlsx(LedgerExportContext context) : m_state(std::make_unique<State>()) {
    State& s = *m_state;
    s.context = std::move(context);
    s.workbook.emplace("spire-ledger");
    s.sheet = s.workbook->add_sheet(translated(s.context, "Ledger"), "Ledger");
    s.header = s.workbook->bold_format();
    s.kroner = workbook_add_format(s.workbook->get());
    format_set_num_format(s.kroner, KRONER_FORMAT);
    s.datetime = workbook_add_format(s.workbook->get());
    format_set_num_format(s.datetime, DATETIME_FORMAT);
    s.whole = workbook_add_format(s.workbook->get());
    format_set_num_format(s.whole, WHOLE_NUMBER_FORMAT);

    for (lxw_col_t col = 0; col < COLUMNS.size(); ++col) {
        lxw_format* format = col == AMOUNT ? s.kroner : col == TIME ? s.datetime : nullptr;
        web::check_xlsx(worksheet_set_column(s.sheet, col, col, COLUMNS[col].width, format),
                        "column");
        std::string header = header_of(s.context, col);
        web::check_xlsx(worksheet_write_string(s.sheet, 0, col, header.c_str(), s.header),
                        "header");
    }
    worksheet_freeze_panes(s.sheet, 1, 0);
}

LedgerXlsx::~LedgerXlsx() = default;

void LedgerXlsx::add(const LedgerEntry& entry) {
    State& s = *m_state;
    if (s.next_row >= MAX_XLSX_ROWS) {
        s.overflow = true;
        return;
    }
    lxw_row_t row = s.next_row++;
    Texts texts = texts_of(entry, s.context);
    auto text = [&](Col col, const std::string& value) {
        if (!value.empty())
            web::check_xlsx(worksheet_write_string(s.sheet, row, col, value.c_str(), nullptr),
                            "cell");
    };
    web::check_xlsx(
        worksheet_write_number(s.sheet, row, ENTRY, static_cast<double>(entry.id), s.whole),
        "cell");
    if (auto local = oslo_time(entry.created_at)) {
        lxw_datetime when{local->year, local->month,  local->day,
                          local->hour, local->minute, static_cast<double>(local->second)};
        web::check_xlsx(worksheet_write_datetime(s.sheet, row, TIME, &when, s.datetime), "cell");
    }
    web::check_xlsx(worksheet_write_number(s.sheet, row, YEAR, entry.year, s.whole), "cell");
    text(PROGRAMME, texts.programme);
    text(KIND, texts.kind);
    // Øre to kroner: the one place money becomes a double (see the header).
    web::check_xlsx(worksheet_write_number(s.sheet, row, AMOUNT,
                                           static_cast<double>(entry.amount_ore) / ORE_PER_KRONE,
                                           s.kroner),
                    "cell");
    text(REFERENCE, texts.reference);
    text(AUTHOR, texts.author);
    text(REASON, entry.reason);
    text(OVERRIDE_REASON, texts.override_reason);
    if (entry.reverses)
        web::check_xlsx(worksheet_write_number(s.sheet, row, REVERSES,
                                               static_cast<double>(*entry.reverses), s.whole),
                        "cell");
}

Result<std::string> LedgerXlsx::finish() {
    State& s = *m_state;
    if (s.overflow)
        return tl::unexpected(Error::too_large(message::LEDGER_TOO_LONG_FOR_XLSX));
    web::check_xlsx(worksheet_autofilter(s.sheet, 0, 0, s.next_row - 1, COLUMNS.size() - 1),
                    "autofilter");
    return s.workbook->finish();
}

} // namespace spire::funds
