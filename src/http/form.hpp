#pragma once

// Parsers for HTML form submissions: application/x-www-form-urlencoded (via
// Boost.URL) and multipart/form-data (RFC 7578, hand-written), plus the
// Content-Type parser they share.
//
// Every parser returns a Result: malformed input is Error::invalid, input over
// a FormLimits limit is Error::too_large. The total body size is the HTTP
// layer's job (Beast's body_limit); these limits bound what one form may hold.

#include "core/error.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace spire::http {

struct FormLimits {
    std::size_t max_fields = 1000;          // urlencoded pairs or multipart parts
    std::size_t max_field_bytes = 1 << 20;  // one non-file value (and one field name)
    std::size_t max_file_bytes = 20u << 20; // one uploaded file
    std::size_t max_files = 20;
    std::size_t max_part_header_bytes = 16 << 10; // the header block of one multipart part
};

struct UploadedFile {
    std::string field;
    std::string filename;     // sanitised with sanitize_filename(); never empty
    std::string content_type; // as sent, not trusted; "application/octet-stream" if absent
    std::string data;
};

// The fields of one submitted form, in the order they were sent. Names and
// values are valid UTF-8 without NUL bytes (the parsers guarantee it).
class Form {
public:
    void add(std::string name, std::string value);
    void add_file(UploadedFile file);

    // The first value sent under `name`.
    std::optional<std::string_view> get(std::string_view name) const;
    // Every value sent under `name`, in order (checkboxes, multi-selects).
    std::vector<std::string_view> all(std::string_view name) const;
    // True if a (non-file) field `name` was sent, even with an empty value.
    bool has(std::string_view name) const;
    const std::vector<std::pair<std::string, std::string>>& fields() const { return m_fields; }

    std::vector<UploadedFile>& files() { return m_files; }
    const std::vector<UploadedFile>& files() const { return m_files; }
    // The first file uploaded under `field`, or nullptr.
    const UploadedFile* file(std::string_view field) const;

private:
    std::vector<std::pair<std::string, std::string>> m_fields;
    std::vector<UploadedFile> m_files;
};

// A parsed Content-Type header value (RFC 9110 §8.3.1):
//   media-type = type "/" subtype parameters
struct MediaType {
    std::string type;    // lower case
    std::string subtype; // lower case
    // Names lower case, values unquoted; no name appears twice.
    std::vector<std::pair<std::string, std::string>> parameters;

    // True if type and subtype match (arguments in lower case).
    bool is(std::string_view expected_type, std::string_view expected_subtype) const;
    // The value of parameter `name` (lower case), if present.
    std::optional<std::string_view> parameter(std::string_view name) const;
};

Result<MediaType> parse_media_type(std::string_view header);

// https://url.spec.whatwg.org/#application/x-www-form-urlencoded
// Bytes a browser would have percent-encoded (space, non-ASCII, "[", "#" …)
// are refused rather than guessed at, as are invalid escapes such as "%zz".
Result<Form> parse_urlencoded(std::string_view body, const FormLimits& limits = {});

// RFC 7578 multipart/form-data; the boundary comes from `content_type_header`.
// A part with a filename parameter is a file; a file part with an empty
// filename and no data (a file input left empty) is skipped but still counts
// towards max_fields.
Result<Form> parse_multipart(std::string_view body, std::string_view content_type_header,
                             const FormLimits& limits = {});

// Dispatches on the Content-Type header: application/x-www-form-urlencoded or
// multipart/form-data; anything else is Error::invalid.
Result<Form> parse_form(std::string_view content_type_header, std::string_view body,
                        const FormLimits& limits = {});

// Makes a client-supplied filename safe to store and show: keeps only the
// last path component (after "/" or "\"), removes control and bidi-override
// characters, replaces invalid UTF-8 and characters Windows forbids
// (<>:"|?*) with "_", strips leading dots and surrounding spaces and
// trailing dots, and cuts the result to 255 bytes keeping the extension.
// Never empty ("file"), always valid UTF-8, and sanitize(sanitize(x)) ==
// sanitize(x).
std::string sanitize_filename(std::string_view raw);

} // namespace spire::http
