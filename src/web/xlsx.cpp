#include "web/xlsx.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace spire::web {

namespace {

std::filesystem::path temp_directory() {
    const char* dir = std::getenv("TMPDIR");
    if (dir && *dir && std::filesystem::is_directory(dir))
        return dir;
    return "/tmp";
}

std::string read_all(int fd) {
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

} // namespace

void check_xlsx(lxw_error error, const char* what) {
    if (error != LXW_NO_ERROR)
        throw std::runtime_error(std::string("xlsx: ") + what + ": " + lxw_strerror(error));
}

std::string xlsx_sheet_name(std::string name, std::string_view fallback) {
    for (char& c : name) {
        if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos)
            c = ' ';
    }
    if (name.size() > 31) {
        name.resize(31);
        // Do not leave half a UTF-8 sequence at the end.
        while (!name.empty() && (static_cast<unsigned char>(name.back()) & 0xC0) == 0x80)
            name.pop_back();
        if (!name.empty() && static_cast<unsigned char>(name.back()) >= 0xC0)
            name.pop_back();
    }
    return name.empty() ? std::string(fallback) : name;
}

XlsxWorkbook::XlsxWorkbook(std::string_view file_prefix) : m_tmpdir(temp_directory().string()) {
    std::string pattern =
        (std::filesystem::path(m_tmpdir) / (std::string(file_prefix) + "-XXXXXX")).string();
    m_fd = ::mkstemp(pattern.data());
    if (m_fd < 0)
        throw std::runtime_error("xlsx: cannot create a temporary file in " + m_tmpdir + ": " +
                                 std::strerror(errno));
    m_path = pattern;
    lxw_workbook_options options{};
    options.constant_memory = LXW_TRUE;
    options.tmpdir = m_tmpdir.data();
    m_workbook = workbook_new_opt(m_path.c_str(), &options);
    if (!m_workbook) {
        ::close(m_fd);
        ::unlink(m_path.c_str());
        throw std::runtime_error("xlsx: cannot start a workbook");
    }
}

XlsxWorkbook::~XlsxWorkbook() {
    // workbook_close() also frees the workbook; its result no longer matters.
    if (m_workbook)
        workbook_close(m_workbook);
    if (m_fd >= 0)
        ::close(m_fd);
    if (!m_path.empty())
        ::unlink(m_path.c_str());
}

lxw_worksheet* XlsxWorkbook::add_sheet(const std::string& name, std::string_view fallback) {
    const std::string sheet_name = xlsx_sheet_name(name, fallback);
    lxw_worksheet* sheet = workbook_add_worksheet(m_workbook, sheet_name.c_str());
    if (!sheet)
        throw std::runtime_error("xlsx: cannot add a worksheet");
    return sheet;
}

lxw_format* XlsxWorkbook::bold_format() {
    lxw_format* format = workbook_add_format(m_workbook);
    format_set_bold(format);
    return format;
}

std::string XlsxWorkbook::finish() {
    lxw_error closed = workbook_close(m_workbook);
    m_workbook = nullptr;
    check_xlsx(closed, "write");
    // The file libxlsxwriter wrote under our name is the one mkstemp made:
    // read it back through our descriptor, then remove it at once.
    std::string bytes = read_all(m_fd);
    ::close(m_fd);
    m_fd = -1;
    ::unlink(m_path.c_str());
    m_path.clear();
    return bytes;
}

} // namespace spire::web
