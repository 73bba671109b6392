#include "http/static_files.hpp"

#include <array>
#include <fstream>
#include <sodium.h>
#include <sstream>
#include <stdexcept>

namespace spire::http {

namespace {

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path.string());
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string content_hash(std::string_view content) {
    std::array<unsigned char, 16> hash;
    crypto_generichash(hash.data(), hash.size(),
                       reinterpret_cast<const unsigned char*>(content.data()), content.size(),
                       nullptr, 0);
    std::array<char, 2 * hash.size() + 1> hex;
    sodium_bin2hex(hex.data(), hex.size(), hash.data(), hash.size());
    return std::string(hex.data(), 10);
}

std::string_view content_type_for(std::string_view path) {
    static const std::pair<std::string_view, std::string_view> TYPES[] = {
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".jpg", "image/jpeg"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".txt", "text/plain; charset=utf-8"},
        {".json", "application/json"},
        {".webmanifest", "application/manifest+json"},
    };
    for (const auto& [extension, type] : TYPES) {
        if (path.ends_with(extension))
            return type;
    }
    return "application/octet-stream";
}

// "css/app.css" + "3f9c2a1b7e" -> "css/app.3f9c2a1b7e.css"
std::string insert_fingerprint(std::string_view path, std::string_view hash) {
    auto slash = path.rfind('/');
    auto dot = path.rfind('.');
    if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash))
        return std::string(path) + "." + std::string(hash);
    return std::string(path.substr(0, dot)) + "." + std::string(hash) +
           std::string(path.substr(dot));
}

// If-None-Match may list several tags or "*" (RFC 9110 §13.1.2).
bool etag_matches(std::string_view header, std::string_view etag) {
    if (header == "*")
        return true;
    return header.find(etag) != std::string_view::npos;
}

bool accepts_gzip(const Request& request) {
    return request.header("Accept-Encoding").find("gzip") != std::string_view::npos;
}

} // namespace

// Points relative url(...) references in a stylesheet at the fingerprinted
// names of the files they name, so that fonts and images a stylesheet loads
// are cached as long as the stylesheet itself. Unknown or absolute
// references (data:, https:, /...) are left alone.
std::string StaticFiles::rewrite_css_urls(std::string_view css, const std::string& css_path) const {
    const std::filesystem::path base = std::filesystem::path(css_path).parent_path();
    std::string out;
    out.reserve(css.size());
    std::size_t pos = 0;
    while (true) {
        std::size_t open = css.find("url(", pos);
        if (open == std::string_view::npos)
            break;
        std::size_t start = open + 4;
        std::size_t close = css.find(')', start);
        if (close == std::string_view::npos)
            break;
        std::string_view reference = css.substr(start, close - start);
        char quote = 0;
        if (!reference.empty() && (reference.front() == '"' || reference.front() == '\'')) {
            quote = reference.front();
            reference = reference.substr(1, reference.size() >= 2 ? reference.size() - 2 : 0);
        }
        out.append(css.substr(pos, start - pos));
        std::string resolved = (base / std::string(reference)).lexically_normal().generic_string();
        auto target = m_files.find(resolved);
        bool relative = !reference.empty() && reference.find(':') == std::string_view::npos &&
                        reference.front() != '/' && reference.front() != '#';
        if (relative && target != m_files.end()) {
            out += "/static/" + target->second.fingerprinted;
        } else {
            if (quote)
                out += quote;
            out.append(reference);
            if (quote)
                out += quote;
        }
        out += ')';
        pos = close + 1;
    }
    out.append(css.substr(pos));
    return out;
}

void StaticFiles::add(const std::string& relative, std::string content, std::string gzip) {
    File file;
    file.content = std::move(content);
    file.gzip = std::move(gzip);
    std::string hash = content_hash(file.content);
    file.etag = "\"" + hash + "\"";
    file.content_type = std::string(content_type_for(relative));
    file.fingerprinted = insert_fingerprint(relative, hash);
    m_by_fingerprint[file.fingerprinted] = relative;
    m_files.insert_or_assign(relative, std::move(file));
}

StaticFiles StaticFiles::load(const std::filesystem::path& root) {
    if (!std::filesystem::is_directory(root))
        throw std::runtime_error("static directory not found: " + root.string());
    std::unordered_map<std::string, std::string> contents;
    std::unordered_map<std::string, std::string> gzipped;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file())
            continue;
        std::string relative = entry.path().lexically_relative(root).generic_string();
        if (!relative.ends_with(".gz")) {
            contents[relative] = read_file(entry.path());
            continue;
        }
        // A .gz older than its source was made from an earlier version of it.
        auto source = entry.path();
        source.replace_extension();
        std::error_code ec;
        auto source_time = std::filesystem::last_write_time(source, ec);
        if (!ec && entry.last_write_time() >= source_time)
            gzipped[relative.substr(0, relative.size() - 3)] = read_file(entry.path());
    }
    auto take_gzip = [&gzipped](const std::string& relative) {
        auto it = gzipped.find(relative);
        return it == gzipped.end() ? std::string() : std::move(it->second);
    };

    // Stylesheets last: they refer to the fingerprinted names of the rest.
    StaticFiles files;
    for (auto& [relative, content] : contents) {
        if (!relative.ends_with(".css"))
            files.add(relative, std::move(content), take_gzip(relative));
    }
    for (auto& [relative, content] : contents) {
        if (!relative.ends_with(".css"))
            continue;
        std::string rewritten = files.rewrite_css_urls(content, relative);
        // A precompressed copy of the original would now be stale.
        std::string gzip = rewritten == content ? take_gzip(relative) : std::string();
        files.add(relative, std::move(rewritten), std::move(gzip));
    }
    return files;
}

std::string StaticFiles::url(std::string_view relative_path) const {
    auto it = m_files.find(std::string(relative_path));
    if (it == m_files.end())
        throw std::invalid_argument("unknown static file: " + std::string(relative_path));
    return "/static/" + it->second.fingerprinted;
}

const StaticFiles::File* StaticFiles::find(std::string_view relative_path,
                                           bool& fingerprinted) const {
    std::string key(relative_path);
    if (auto it = m_files.find(key); it != m_files.end()) {
        fingerprinted = false;
        return &it->second;
    }
    if (auto it = m_by_fingerprint.find(key); it != m_by_fingerprint.end()) {
        fingerprinted = true;
        return &m_files.at(it->second);
    }
    return nullptr;
}

Response StaticFiles::serve(const Request& request, std::string_view relative_path) const {
    bool fingerprinted = false;
    const File* file = find(relative_path, fingerprinted);
    if (file == nullptr)
        return Response::empty(404);

    Response response;
    response.headers.set("ETag", file->etag);
    response.headers.set("Cache-Control",
                         fingerprinted ? "public, max-age=31536000, immutable" : "no-cache");
    if (!file->gzip.empty())
        response.headers.set("Vary", "Accept-Encoding");
    if (auto tags = request.headers.get("If-None-Match"); tags && etag_matches(*tags, file->etag)) {
        response.status = 304;
        return response;
    }
    response.headers.set("Content-Type", file->content_type);
    if (!file->gzip.empty() && accepts_gzip(request)) {
        response.headers.set("Content-Encoding", "gzip");
        response.body = file->gzip;
    } else {
        response.body = file->content;
    }
    return response;
}

} // namespace spire::http
