#pragma once

// Serves the files under static/ from memory. They are read once at start,
// so a path that was not there at start (including every `..` trick) is
// simply not found. Each file also has a fingerprinted name with a hash of
// its content, e.g. css/app.3f9c2a1b7e.css, served with a one-year immutable
// cache; the plain name is served with ETag revalidation. Relative url()s in
// stylesheets are rewritten to fingerprinted names, so fonts are cached too.

#include "http/message.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>

namespace spire::http {

class StaticFiles {
public:
    // Loads every regular file under `root` (recursively). Files ending in
    // .gz are the precompressed variants of the file without the suffix.
    static StaticFiles load(const std::filesystem::path& root);

    // "/static/" + fingerprinted name, for templates. Throws for unknown
    // files: a template that names a missing asset is a programming error.
    std::string url(std::string_view relative_path) const;

    // Answers a GET/HEAD for `relative_path` (what follows "/static/").
    Response serve(const Request& request, std::string_view relative_path) const;

    std::size_t size() const { return m_files.size(); }

private:
    struct File {
        std::string content;
        std::string gzip; // empty when there is no .gz variant
        std::string content_type;
        std::string etag;
        std::string fingerprinted; // relative path with the hash inserted
    };

    const File* find(std::string_view relative_path, bool& fingerprinted) const;
    void add(const std::string& relative, std::string content, std::string gzip);
    std::string rewrite_css_urls(std::string_view css, const std::string& css_path) const;

    std::unordered_map<std::string, File> m_files;
    std::unordered_map<std::string, std::string> m_by_fingerprint; // -> plain name
};

} // namespace spire::http
