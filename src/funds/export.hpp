#pragma once

// The budget ledger as a file to download: CSV and XLSX (issue 4). Pure
// writers, no HTTP and no database: the route feeds them the entries the
// service visits (FundsService::export_ledger, oldest first) and sends what
// they return.
//
// Both have the same columns: entry, time (Europe/Oslo), year, programme,
// kind, amount (kroner), reference, author, reason, override reason and the
// entry it reverses.
//
// CSV, written for Excel as Norwegian offices use it:
//   - RFC 4180 quoting, CRLF line ends;
//   - UTF-8 with a byte order mark: without it Excel reads the file as
//     Windows-1252 and "Bærum" turns into "BÃ¦rum";
//   - ";" between cells: Excel splits a CSV it opens at the list separator of
//     the Windows region, which for nb-NO is ";" (the comma is the decimal
//     separator there). A "sep=;" first line would say so too, but Excel then
//     ignores the byte order mark; ";" works everywhere it matters;
//   - amounts in kroner with a decimal comma and no grouping ("-1234,50"),
//     which Norwegian Excel reads as a number;
//   - formula injection (OWASP "CSV Injection"): a text cell that begins with
//     = + - @, a tab or a carriage return gets an apostrophe in front, so that
//     a reason like "=HYPERLINK(...)" stays text. Only text cells (names,
//     reasons, labels): the numbers are ours.
//
// XLSX (libxlsxwriter): a bold, frozen header row with an autofilter, set
// column widths, amounts as numbers with a kroner format (so they sum), times
// as real date-times in Oslo time. Excel stores numbers as IEEE doubles:
// kroner with two decimals are exact there up to 2^53 øre, far beyond
// MAX_POSTING_ORE; the ledger itself never leaves integer øre.

#include "core/error.hpp"
#include "funds/model.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace spire::funds {

struct LedgerExportContext {
    std::map<Id, std::string> programme_names; // unknown ids show as "#<id>"
    // msgid -> text in the user's language (headers, kinds, reference types);
    // empty: English.
    std::function<std::string(std::string_view)> translate;
};

inline constexpr std::string_view CSV_CONTENT_TYPE = "text/csv; charset=utf-8; header=present";
inline constexpr std::string_view XLSX_CONTENT_TYPE =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

inline constexpr std::string_view UTF8_BOM = "\xEF\xBB\xBF";
inline constexpr char CSV_SEPARATOR = ';';

// One text cell: guarded against formula injection, then quoted if it holds
// the separator, a quote, CR or LF (quotes doubled).
std::string csv_text(std::string_view text);
// Øre as kroner for the CSV: 123450 -> "1234,50", -5 -> "-0,05".
std::string csv_kroner(Ore ore);

class LedgerCsv {
public:
    // Starts with the byte order mark and the header row.
    explicit LedgerCsv(LedgerExportContext context);
    void add(const LedgerEntry& entry);
    std::string take() { return std::move(m_text); }

private:
    LedgerExportContext m_context;
    std::string m_text;
};

// An Excel sheet has at most this many rows, the header included.
inline constexpr long long MAX_XLSX_ROWS = 1'048'576;
namespace message {
inline constexpr const char* LEDGER_TOO_LONG_FOR_XLSX =
    "The ledger has too many entries for one spreadsheet. Choose a year, programme or kind to "
    "export fewer, or export CSV.";
} // namespace message

// Written through web::XlsxWorkbook (a private temporary file, removed in
// every case, also when finish() is never reached). Rows stream to disk
// (constant_memory), so a long ledger does not sit in memory twice. Failures
// of the file system throw std::runtime_error.
class LedgerXlsx {
public:
    explicit LedgerXlsx(LedgerExportContext context);
    ~LedgerXlsx();
    LedgerXlsx(const LedgerXlsx&) = delete;
    LedgerXlsx& operator=(const LedgerXlsx&) = delete;

    // Entries beyond MAX_XLSX_ROWS are not written; finish() then refuses.
    void add(const LedgerEntry& entry);
    // The .xlsx file's bytes; TooLarge when the entries did not fit.
    Result<std::string> finish();

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace spire::funds
