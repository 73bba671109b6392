#pragma once

// An .xlsx workbook for a download (ledger, application list, ranking):
// libxlsxwriter 1.1.4 writes only to files, so the workbook goes to a
// private temporary file (mkstemp: 0600, a name nobody can predict or take
// first) in constant-memory mode, is read back through our own descriptor
// and removed, whatever happens.

#include <string>
#include <string_view>
#include <xlsxwriter.h>

namespace spire::web {

// Throws std::runtime_error naming `what` unless `error` is LXW_NO_ERROR.
void check_xlsx(lxw_error error, const char* what);

// A sheet name Excel accepts: none of []:*?/\, at most 31 bytes without
// cutting a UTF-8 sequence, `fallback` when nothing is left.
std::string xlsx_sheet_name(std::string name, std::string_view fallback);

class XlsxWorkbook {
public:
    // `file_prefix` names the temporary file ("spire-ranking").
    explicit XlsxWorkbook(std::string_view file_prefix);
    ~XlsxWorkbook();
    XlsxWorkbook(const XlsxWorkbook&) = delete;
    XlsxWorkbook& operator=(const XlsxWorkbook&) = delete;

    lxw_workbook* get() const { return m_workbook; }
    // A worksheet named xlsx_sheet_name(name, fallback).
    lxw_worksheet* add_sheet(const std::string& name, std::string_view fallback);
    // A format with a bold font (the header rows).
    lxw_format* bold_format();
    // Closes the workbook and returns the file's bytes.
    std::string finish();

private:
    std::string m_tmpdir; // libxlsxwriter's own temporary files go here too
    std::string m_path;
    int m_fd = -1;
    lxw_workbook* m_workbook = nullptr;
};

} // namespace spire::web
