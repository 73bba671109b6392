#pragma once

// The staff list of applications as a file (issue 5 §6): CSV and XLSX with
// the same columns as the list page: reference, title, unit, call, status,
// budget total, amount applied for, submitted (Europe/Oslo), last changed.
// The CSV follows funds/export.hpp (";" separators, byte order mark, CRLF,
// formula-injection guard via funds::csv_text, kroner with a decimal
// comma). The XLSX has a bold frozen header with an autofilter and amounts
// as numbers in kroner.

#include "applications/model.hpp"
#include "core/error.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace spire::applications {

struct ListExportContext {
    // msgid -> text in the user's language (headers, statuses); empty: English.
    std::function<std::string(std::string_view)> translate;
};

class ListCsv {
public:
    explicit ListCsv(ListExportContext context);
    void add(const ListRow& row);
    std::string take() { return std::move(m_text); }

private:
    ListExportContext m_context;
    std::string m_text;
};

namespace message {
inline constexpr const char* LIST_TOO_LONG_FOR_XLSX =
    "The list has too many applications for one spreadsheet. Narrow the filters or export CSV.";
} // namespace message

// Rows are kept until finish(): an organisation's list is at most some
// thousands of rows. finish() writes a private temporary file (mkstemp),
// reads it back and removes it.
class ListXlsx {
public:
    explicit ListXlsx(ListExportContext context);
    void add(const ListRow& row);
    Result<std::string> finish();

private:
    ListExportContext m_context;
    std::vector<ListRow> m_rows;
};

} // namespace spire::applications
