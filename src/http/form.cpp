#include "http/form.hpp"

#include "http/utf8.hpp"

#include <algorithm>
#include <boost/url/encoding_opts.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/pct_string_view.hpp>

namespace spire::http {

namespace {

constexpr std::size_t MAX_FILENAME_BYTES = 255;
// A longer "extension" is more likely part of the name than a file type.
constexpr std::size_t MAX_EXTENSION_BYTES = 32;
constexpr std::size_t MAX_BOUNDARY_BYTES = 70;
constexpr std::string_view CRLF = "\r\n";
constexpr std::string_view FALLBACK_FILENAME = "file";
constexpr std::string_view DEFAULT_FILE_CONTENT_TYPE = "application/octet-stream";

using Parameters = std::vector<std::pair<std::string, std::string>>;

// ---------------------------------------------------------------------------
// Errors. Messages are gettext msgids; `detail` is for the log only.

Error with_detail(Error error, std::string detail) {
    error.detail = std::move(detail);
    return error;
}

Unexpected malformed(std::string detail) {
    return Unexpected(
        with_detail(Error::invalid("The form could not be read."), std::move(detail)));
}

Unexpected invalid_content_type(std::string detail) {
    return Unexpected(with_detail(Error::invalid("The request has an invalid Content-Type header."),
                                  std::move(detail)));
}

Unexpected unsupported_content_type(std::string detail) {
    return Unexpected(with_detail(
        Error::invalid("The form was sent with an unsupported content type."), std::move(detail)));
}

Unexpected incomplete(std::string detail) {
    return Unexpected(
        with_detail(Error::invalid("The form was not received completely. Please try again."),
                    std::move(detail)));
}

Unexpected too_many_fields() {
    return Unexpected(Error::too_large("The form has too many fields."));
}

Unexpected too_many_files() {
    return Unexpected(Error::too_large("Too many files were uploaded."));
}

Unexpected part_headers_too_large() {
    return Unexpected(with_detail(Error::too_large("The form could not be read."),
                                  "multipart part headers over the limit"));
}

// `field` is only named when it is known and valid UTF-8.
Unexpected too_large_for_field(std::string message, std::string_view field) {
    auto error = Error::too_large(message);
    if (!field.empty() && is_valid_utf8(field))
        error.fields.push_back({std::string(field), std::move(message)});
    return Unexpected(std::move(error));
}

Unexpected field_too_large(std::string_view field) {
    return too_large_for_field("This field is too long.", field);
}

Unexpected file_too_large(std::string_view field) {
    return too_large_for_field("The uploaded file is too large.", field);
}

// Names and non-file values end up in templates and in the database, which
// stores text as UTF-8 and (PostgreSQL) cannot hold NUL.
Result<void> validate_text(std::string_view text) {
    if (!is_valid_utf8(text))
        return Unexpected(Error::invalid("The form contains text that is not valid UTF-8."));
    if (text.find('\0') != std::string_view::npos)
        return Unexpected(Error::invalid("The form contains characters that are not allowed."));
    return {};
}

// ---------------------------------------------------------------------------
// ASCII helpers (header syntax is ASCII; locale-independent on purpose).

char to_lower_ascii(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string to_lower_ascii(std::string_view s) {
    std::string lower(s);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](char c) { return to_lower_ascii(c); });
    return lower;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return to_lower_ascii(x) == to_lower_ascii(y);
           });
}

// RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." /
//                          "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
bool is_tchar(char c) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

// RFC 5234 B.1: CTL = %x00-1F / %x7F
bool is_ctl(char c) {
    auto const byte = static_cast<unsigned char>(c);
    return byte < 0x20 || byte == 0x7F;
}

// RFC 9110 §5.6.3: OWS = *( SP / HTAB )
bool is_ows(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim_ows(std::string_view s) {
    while (!s.empty() && is_ows(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && is_ows(s.back()))
        s.remove_suffix(1);
    return s;
}

// A cursor over one header value.
class Lexer {
public:
    explicit Lexer(std::string_view input) : m_input(input) {}

    bool at_end() const { return m_position >= m_input.size(); }
    bool next_is(char c) const { return !at_end() && m_input[m_position] == c; }

    bool consume(char c) {
        if (!next_is(c))
            return false;
        ++m_position;
        return true;
    }

    // Returns the next byte; only call when !at_end().
    char take() { return m_input[m_position++]; }

    void skip_ows() {
        while (!at_end() && is_ows(m_input[m_position]))
            ++m_position;
    }

    // RFC 9110 §5.6.2: token = 1*tchar (empty if there is none)
    std::string_view consume_token() {
        auto const start = m_position;
        while (!at_end() && is_tchar(m_input[m_position]))
            ++m_position;
        return m_input.substr(start, m_position - start);
    }

private:
    std::string_view m_input;
    std::size_t m_position = 0;
};

// HTTP headers and multipart part headers quote differently: browsers never
// backslash-escape in multipart (a Windows path "C:\x" arrives as is), they
// percent-escape three bytes instead.
enum class QuotedStringStyle { Http, MultipartFormData };

// RFC 9110 §5.6.4:
//   quoted-string  = DQUOTE *( qdtext / quoted-pair ) DQUOTE
//   qdtext         = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
//   quoted-pair    = "\" ( HTAB / SP / VCHAR / obs-text )
Result<std::string> consume_http_quoted_string(Lexer& lexer) {
    if (!lexer.consume('"'))
        return invalid_content_type("expected a quoted string");
    std::string value;
    while (!lexer.at_end()) {
        char c = lexer.take();
        if (c == '"')
            return value;
        if (c == '\\') {
            if (lexer.at_end())
                break;
            c = lexer.take();
        }
        if (is_ctl(c) && c != '\t')
            return invalid_content_type("control character in a quoted string");
        value += c;
    }
    return invalid_content_type("unterminated quoted string");
}

// https://andreubotella.github.io/multipart-form-data/#parse-a-multipart-form-data-name
// (the parser matching the HTML serializer, which "must not perform any other
// escapes" than LF → %0A, CR → %0D and " → %22):
//   1. Assert: the byte at position is 0x22 (").
//   2. Let name be the result of collecting a sequence of bytes that are not
//      0x0A (LF), 0x0D (CR) or 0x22 (").
//   3. If the byte at position is not 0x22 ("), return failure.
//   4. Replace any occurrence of `%0A` with 0x0A, `%0D` with 0x0D and `%22`
//      with 0x22.
Result<std::string> consume_multipart_quoted_string(Lexer& lexer) {
    if (!lexer.consume('"'))
        return malformed("expected a quoted string");
    std::string raw;
    while (!lexer.at_end() && !lexer.next_is('"')) {
        char const c = lexer.take();
        // CR and LF cannot occur (the header block is split on CRLF and other
        // control characters are refused); check anyway to follow the steps.
        if (c == '\r' || c == '\n')
            return malformed("line break in a quoted string");
        raw += c;
    }
    if (!lexer.consume('"'))
        return malformed("unterminated quoted string");

    std::string value;
    value.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        std::string_view const escape = std::string_view(raw).substr(i, 3);
        if (escape == "%0A" || escape == "%0D" || escape == "%22") {
            value += escape == "%0A" ? '\n' : (escape == "%0D" ? '\r' : '"');
            i += 2;
            continue;
        }
        value += raw[i];
    }
    return value;
}

Result<std::string> consume_parameter_value(Lexer& lexer, QuotedStringStyle style) {
    if (lexer.next_is('"')) {
        return style == QuotedStringStyle::Http ? consume_http_quoted_string(lexer)
                                                : consume_multipart_quoted_string(lexer);
    }
    auto const token = lexer.consume_token();
    if (token.empty())
        return malformed("parameter without a value");
    return std::string(token);
}

// RFC 9110 §5.6.6:
//   parameters      = *( OWS ";" OWS [ parameter ] )
//   parameter       = parameter-name "=" parameter-value
//   parameter-name  = token
//   parameter-value = ( token / quoted-string )
// OWS around "=" is tolerated (RFC 2183 allowed it). A repeated parameter is
// refused: two parsers picking different copies is how smuggling starts.
Result<Parameters> parse_parameters(Lexer& lexer, QuotedStringStyle style) {
    Parameters parameters;
    while (true) {
        lexer.skip_ows();
        if (lexer.at_end())
            return parameters;
        if (!lexer.consume(';'))
            return malformed("expected ';' before a parameter");
        lexer.skip_ows();
        if (lexer.at_end() || lexer.next_is(';'))
            continue; // "[ parameter ]": empty parameters are allowed
        auto const raw_name = lexer.consume_token();
        if (raw_name.empty())
            return malformed("parameter without a name");
        lexer.skip_ows();
        if (!lexer.consume('='))
            return malformed("parameter without '='");
        lexer.skip_ows();
        auto value = consume_parameter_value(lexer, style);
        if (!value)
            return Unexpected(std::move(value.error()));
        auto name = to_lower_ascii(raw_name);
        bool const repeated = std::any_of(parameters.begin(), parameters.end(),
                                          [&](auto const& p) { return p.first == name; });
        if (repeated)
            return malformed("repeated parameter '" + name + "'");
        parameters.emplace_back(std::move(name), std::move(*value));
    }
}

std::optional<std::string_view> find_parameter(const Parameters& parameters,
                                               std::string_view name) {
    for (auto const& [key, value] : parameters) {
        if (key == name)
            return value;
    }
    return std::nullopt;
}

// ---------------------------------------------------------------------------
// Filenames

// Characters that make a name unsafe to show or to save, dropped entirely:
// C0/C1 controls and DEL, line/paragraph separators, the byte order mark and
// the bidi controls that can make "harmless.exe\u202Efdp" read as ".pdf".
bool is_dropped_from_filename(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x200E || c == 0x200F ||
           (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

// Characters Windows refuses in file names ("/" and "\" are gone already).
bool is_replaced_in_filename(char32_t c) {
    return c == '<' || c == '>' || c == ':' || c == '"' || c == '|' || c == '?' || c == '*';
}

std::string clean_filename_characters(std::string_view raw) {
    std::string clean;
    clean.reserve(raw.size());
    std::size_t i = 0;
    while (i < raw.size()) {
        std::string_view const rest = raw.substr(i);
        auto const length = utf8_sequence_length(rest);
        if (!length) {
            clean += '_'; // one invalid byte
            ++i;
            continue;
        }
        char32_t const c = *decode_utf8_code_point(rest);
        if (is_replaced_in_filename(c))
            clean += '_';
        else if (!is_dropped_from_filename(c))
            clean.append(rest.substr(0, *length));
        i += *length;
    }
    return clean;
}

// Leading dots make hidden files ("..", ".htaccess"); Windows drops trailing
// dots and spaces, so a name ending in them would not round-trip.
std::string_view trim_filename(std::string_view name) {
    while (!name.empty() && (name.front() == '.' || name.front() == ' '))
        name.remove_prefix(1);
    while (!name.empty() && (name.back() == '.' || name.back() == ' '))
        name.remove_suffix(1);
    return name;
}

bool is_utf8_continuation(char c) {
    return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Cuts valid UTF-8 to at most `max_bytes` without splitting a code point.
std::string_view truncate_utf8(std::string_view s, std::size_t max_bytes) {
    if (s.size() <= max_bytes)
        return s;
    std::size_t end = max_bytes;
    while (end > 0 && is_utf8_continuation(s[end]))
        --end;
    return s.substr(0, end);
}

// `name` is valid UTF-8, trimmed, and does not start with ".".
std::string truncate_filename(std::string_view name) {
    if (name.size() <= MAX_FILENAME_BYTES)
        return std::string(name);
    std::string_view extension;
    auto const dot = name.rfind('.');
    if (dot != std::string_view::npos && name.size() - dot <= MAX_EXTENSION_BYTES)
        extension = name.substr(dot);
    std::string_view stem = name.substr(0, name.size() - extension.size());
    stem = truncate_utf8(stem, MAX_FILENAME_BYTES - extension.size());
    if (extension.empty())
        stem = trim_filename(stem); // the cut may have exposed a trailing space or dot
    return std::string(stem) + std::string(extension);
}

// ---------------------------------------------------------------------------
// application/x-www-form-urlencoded

// Percent-decodes one name or value with "+" as space, within the limit.
Result<std::string> decode_form_component(boost::urls::pct_string_view encoded,
                                          std::string_view name_for_errors,
                                          const FormLimits& limits) {
    // decoded_size() is known without decoding, so nothing large is allocated.
    if (encoded.decoded_size() > limits.max_field_bytes)
        return field_too_large(name_for_errors);
    boost::urls::encoding_opts options;
    options.space_as_plus = true;
    std::string decoded = encoded.decode(options);
    auto valid = validate_text(decoded);
    if (!valid)
        return Unexpected(std::move(valid.error()));
    return decoded;
}

// ---------------------------------------------------------------------------
// multipart/form-data

// RFC 2046 §5.1.1:
//   boundary := 0*69<bchars> bcharsnospace
//   bchars := bcharsnospace / " "
//   bcharsnospace := DIGIT / ALPHA / "'" / "(" / ")" / "+" / "_" / "," / "-" / "." /
//                    "/" / ":" / "=" / "?"
bool is_valid_boundary(std::string_view boundary) {
    if (boundary.empty() || boundary.size() > MAX_BOUNDARY_BYTES || boundary.back() == ' ')
        return false;
    return std::all_of(boundary.begin(), boundary.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               std::string_view("'()+_,-./:=? ").find(c) != std::string_view::npos;
    });
}

struct PartHeaders {
    std::optional<std::string_view> content_disposition;
    std::optional<std::string_view> content_type;
    std::size_t body_offset = 0; // where the part's content starts
};

// RFC 7578 §4.8: "The multipart/form-data media type does not support any
// MIME header fields in parts other than Content-Type, Content-Disposition,
// and (in limited circumstances) Content-Transfer-Encoding. Other header
// fields MUST NOT be included and MUST be ignored." §4.7: senders "MUST NOT"
// use a transfer encoding, so only the identity ones are accepted.
Result<void> record_part_header(std::string_view name, std::string_view value,
                                PartHeaders& headers) {
    auto set_once = [&](std::optional<std::string_view>& slot) -> Result<void> {
        if (slot)
            return malformed("repeated part header '" + std::string(name) + "'");
        slot = value;
        return {};
    };
    if (equals_ignoring_case(name, "Content-Disposition"))
        return set_once(headers.content_disposition);
    if (equals_ignoring_case(name, "Content-Type"))
        return set_once(headers.content_type);
    if (equals_ignoring_case(name, "Content-Transfer-Encoding") &&
        !equals_ignoring_case(value, "binary") && !equals_ignoring_case(value, "8bit") &&
        !equals_ignoring_case(value, "7bit"))
        return malformed("unsupported Content-Transfer-Encoding");
    return {};
}

// RFC 9110 §5.1, §5.5: field-line = field-name ":" OWS field-value OWS, where
// field-name is a token. A line starting with whitespace (obsolete folding)
// has no token before ":" and is refused.
Result<void> parse_part_header_line(std::string_view line, PartHeaders& headers) {
    auto const colon = line.find(':');
    if (colon == std::string_view::npos)
        return malformed("part header line without ':'");
    std::string_view const name = line.substr(0, colon);
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_tchar))
        return malformed("invalid part header name");
    std::string_view const value = trim_ows(line.substr(colon + 1));
    // Field values may carry UTF-8 (browsers send names and filenames raw),
    // but no control characters: that also catches a bare LF or a NUL.
    if (std::any_of(value.begin(), value.end(), [](char c) { return is_ctl(c) && c != '\t'; }))
        return malformed("control character in a part header");
    return record_part_header(name, value, headers);
}

// RFC 2046 §5.1.1: body-part := MIME-part-headers [CRLF *OCTET]
// The headers are lines ending in CRLF; an empty line ends them.
Result<PartHeaders> parse_part_headers(std::string_view part, const FormLimits& limits) {
    PartHeaders headers;
    // Never look further than the limit allows, however long the part.
    // (Clamped first so that a limit of SIZE_MAX cannot wrap around.)
    std::string_view const window =
        part.substr(0, std::min(part.size(), limits.max_part_header_bytes) + CRLF.size());
    std::size_t position = 0;
    while (true) {
        auto const end = window.find(CRLF, position);
        if (end == std::string_view::npos) {
            if (window.size() < part.size())
                return part_headers_too_large();
            return malformed("part headers not ended by an empty line");
        }
        if (end > limits.max_part_header_bytes)
            return part_headers_too_large();
        std::string_view const line = window.substr(position, end - position);
        position = end + CRLF.size();
        if (line.empty()) {
            headers.body_offset = position;
            return headers;
        }
        auto recorded = parse_part_header_line(line, headers);
        if (!recorded)
            return Unexpected(std::move(recorded.error()));
    }
}

// Percent-decodes an RFC 8187 value-chars sequence with Boost.URL.
//   value-chars = *( pct-encoded / attr-char )
//   attr-char   = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" /
//                 "`" / "|" / "~"
std::optional<std::string> decode_rfc8187_value_chars(std::string_view value) {
    bool const chars_ok = std::all_of(value.begin(), value.end(), [](char c) {
        return c == '%' || (is_tchar(c) && c != '*' && c != '\'' && c != '%');
    });
    if (!chars_ok)
        return std::nullopt;
    auto const encoded =
        boost::urls::make_pct_string_view(boost::urls::string_view(value.data(), value.size()));
    if (!encoded)
        return std::nullopt;
    return encoded->decode();
}

// RFC 8187 §3.2.1: ext-value = charset "'" [ language ] "'" value-chars
// Recipients must support UTF-8 and ISO-8859-1 (§3.2.1); the result is UTF-8.
Result<std::string> decode_ext_value(std::string_view ext_value) {
    auto const first_quote = ext_value.find('\'');
    auto const second_quote = first_quote == std::string_view::npos
                                  ? std::string_view::npos
                                  : ext_value.find('\'', first_quote + 1);
    if (second_quote == std::string_view::npos)
        return malformed("filename* without charset and language");
    std::string_view const charset = ext_value.substr(0, first_quote);
    auto bytes = decode_rfc8187_value_chars(ext_value.substr(second_quote + 1));
    if (!bytes)
        return malformed("invalid filename* value");
    if (equals_ignoring_case(charset, "UTF-8")) {
        if (!is_valid_utf8(*bytes))
            return Unexpected(Error::invalid("The form contains text that is not valid UTF-8."));
        return std::move(*bytes);
    }
    if (equals_ignoring_case(charset, "ISO-8859-1")) {
        std::string utf8;
        for (char const c : *bytes) {
            auto const byte = static_cast<unsigned char>(c);
            if (byte < 0x80) {
                utf8 += c;
            } else {
                utf8 += static_cast<char>(0xC0 | (byte >> 6));
                utf8 += static_cast<char>(0x80 | (byte & 0x3F));
            }
        }
        return utf8;
    }
    return malformed("unsupported filename* charset");
}

struct ContentDisposition {
    std::string name;
    std::optional<std::string> filename; // raw, not yet sanitised
};

// RFC 7578 §4.2: "Each part MUST contain a Content-Disposition header field
// where the disposition type is "form-data". The Content-Disposition header
// field MUST also contain an additional parameter of "name" … For form data
// that represents the content of a file, a name for the file SHOULD be
// supplied as well, by using a "filename" parameter".
Result<ContentDisposition> parse_content_disposition(std::string_view value) {
    Lexer lexer(value);
    if (!equals_ignoring_case(lexer.consume_token(), "form-data"))
        return malformed("part disposition is not form-data");
    auto parameters = parse_parameters(lexer, QuotedStringStyle::MultipartFormData);
    if (!parameters)
        return Unexpected(std::move(parameters.error()));

    ContentDisposition disposition;
    auto const name = find_parameter(*parameters, "name");
    if (!name)
        return malformed("part without a name parameter");
    disposition.name = std::string(*name);

    // RFC 7578 §4.2 says filename* "MUST NOT be used", but it is unambiguous
    // when a client sends it anyway, so it wins over filename.
    if (auto const extended = find_parameter(*parameters, "filename*")) {
        auto decoded = decode_ext_value(*extended);
        if (!decoded)
            return Unexpected(std::move(decoded.error()));
        disposition.filename = std::move(*decoded);
    } else if (auto const filename = find_parameter(*parameters, "filename")) {
        disposition.filename = std::string(*filename);
    }
    return disposition;
}

// Adds one part to `form`, applying the per-part limits.
Result<void> parse_part(std::string_view part, const FormLimits& limits, Form& form) {
    auto headers = parse_part_headers(part, limits);
    if (!headers)
        return Unexpected(std::move(headers.error()));
    if (!headers->content_disposition)
        return malformed("part without Content-Disposition");
    auto disposition = parse_content_disposition(*headers->content_disposition);
    if (!disposition)
        return Unexpected(std::move(disposition.error()));

    std::string& name = disposition->name;
    if (name.size() > limits.max_field_bytes)
        return field_too_large({});
    if (auto valid = validate_text(name); !valid)
        return Unexpected(std::move(valid.error()));

    std::string_view const content = part.substr(headers->body_offset);
    if (!disposition->filename) {
        if (content.size() > limits.max_field_bytes)
            return field_too_large(name);
        if (auto valid = validate_text(content); !valid)
            return Unexpected(std::move(valid.error()));
        form.add(std::move(name), std::string(content));
        return {};
    }

    // HTML: a file input with no file selected is sent as a part with an
    // empty filename and no content. It means "no file", so skip it.
    if (disposition->filename->empty() && content.empty())
        return {};
    if (content.size() > limits.max_file_bytes)
        return file_too_large(name);
    if (form.files().size() >= limits.max_files)
        return too_many_files();
    std::string content_type(headers->content_type.value_or(DEFAULT_FILE_CONTENT_TYPE));
    if (!is_valid_utf8(content_type))
        return malformed("part Content-Type is not UTF-8");
    form.add_file({std::move(name), sanitize_filename(*disposition->filename),
                   std::move(content_type), std::string(content)});
    return {};
}

// After a boundary: "--" closes the body; otherwise transport padding and
// CRLF must follow, and a body part starts. Returns the position of the part,
// or nullopt for the close delimiter.
//   encapsulation := delimiter transport-padding CRLF body-part
//   close-delimiter := delimiter "--"
//   transport-padding := *LWSP-char
Result<std::optional<std::size_t>> after_boundary(std::string_view body, std::size_t position) {
    std::string_view rest = body.substr(position);
    // RFC 2046 §5.1.1: the epilogue after the close delimiter "may be
    // ignored or discarded", so nothing after "--" is even looked at.
    if (rest.starts_with("--"))
        return std::nullopt;
    std::size_t padding = 0;
    while (padding < rest.size() && is_ows(rest[padding]))
        ++padding;
    rest.remove_prefix(padding);
    if (rest.empty() || rest == "\r")
        return incomplete("body ends after a boundary");
    if (!rest.starts_with(CRLF))
        return malformed("boundary not followed by CRLF (or the boundary occurs in a part)");
    return position + padding + CRLF.size();
}

// RFC 2046 §5.1.1:
//   multipart-body := [preamble CRLF]
//                     dash-boundary transport-padding CRLF
//                     body-part *encapsulation
//                     close-delimiter transport-padding
//                     [CRLF epilogue]
//   dash-boundary := "--" boundary
//   delimiter := CRLF dash-boundary
// RFC 7578 §4.1: the boundary "MUST NOT appear inside any of the
// encapsulated parts", so each part simply ends at the next delimiter.
Result<Form> parse_multipart_body(std::string_view body, std::string_view boundary,
                                  const FormLimits& limits) {
    std::string const dash_boundary = "--" + std::string(boundary);
    std::string const delimiter = std::string(CRLF) + dash_boundary;

    // Skip the preamble, if any.
    std::size_t position = 0;
    if (body.starts_with(dash_boundary)) {
        position = dash_boundary.size();
    } else {
        auto const first = body.find(delimiter);
        if (first == std::string_view::npos)
            return incomplete("no opening boundary");
        position = first + delimiter.size();
    }

    Form form;
    std::size_t parts = 0;
    while (true) {
        auto part_start = after_boundary(body, position);
        if (!part_start)
            return Unexpected(std::move(part_start.error()));
        if (!*part_start)
            return form;
        auto const part_end = body.find(delimiter, **part_start);
        if (part_end == std::string_view::npos)
            return incomplete("missing final boundary");
        if (++parts > limits.max_fields)
            return too_many_fields();
        auto added = parse_part(body.substr(**part_start, part_end - **part_start), limits, form);
        if (!added)
            return Unexpected(std::move(added.error()));
        position = part_end + delimiter.size();
    }
}

Result<Form> parse_multipart_media_type(std::string_view body, const MediaType& media_type,
                                        const FormLimits& limits) {
    if (!media_type.is("multipart", "form-data"))
        return unsupported_content_type("expected multipart/form-data");
    // RFC 7578 §4.1: "the boundary parameter is required".
    auto const boundary = media_type.parameter("boundary");
    if (!boundary || !is_valid_boundary(*boundary))
        return invalid_content_type("missing or invalid multipart boundary");
    return parse_multipart_body(body, *boundary, limits);
}

} // namespace

// ---------------------------------------------------------------------------
// Form

void Form::add(std::string name, std::string value) {
    m_fields.emplace_back(std::move(name), std::move(value));
}

void Form::add_file(UploadedFile file) {
    m_files.push_back(std::move(file));
}

std::optional<std::string_view> Form::get(std::string_view name) const {
    for (auto const& [key, value] : m_fields) {
        if (key == name)
            return value;
    }
    return std::nullopt;
}

std::vector<std::string_view> Form::all(std::string_view name) const {
    std::vector<std::string_view> values;
    for (auto const& [key, value] : m_fields) {
        if (key == name)
            values.push_back(value);
    }
    return values;
}

bool Form::has(std::string_view name) const {
    return get(name).has_value();
}

const UploadedFile* Form::file(std::string_view field) const {
    for (auto const& file : m_files) {
        if (file.field == field)
            return &file;
    }
    return nullptr;
}

// ---------------------------------------------------------------------------
// MediaType

bool MediaType::is(std::string_view expected_type, std::string_view expected_subtype) const {
    return type == expected_type && subtype == expected_subtype;
}

std::optional<std::string_view> MediaType::parameter(std::string_view name) const {
    return find_parameter(parameters, name);
}

// RFC 9110 §8.3.1:
//   media-type = type "/" subtype parameters
//   type       = token
//   subtype    = token
// "The type and subtype tokens are case-insensitive."
Result<MediaType> parse_media_type(std::string_view header) {
    Lexer lexer(trim_ows(header));
    MediaType media_type;
    media_type.type = to_lower_ascii(lexer.consume_token());
    if (media_type.type.empty() || !lexer.consume('/'))
        return invalid_content_type("media type without type/subtype");
    media_type.subtype = to_lower_ascii(lexer.consume_token());
    if (media_type.subtype.empty())
        return invalid_content_type("media type without subtype");
    auto parameters = parse_parameters(lexer, QuotedStringStyle::Http);
    if (!parameters) {
        auto error = std::move(parameters.error());
        return invalid_content_type(std::move(error.detail));
    }
    media_type.parameters = std::move(*parameters);
    return media_type;
}

// ---------------------------------------------------------------------------
// Parsers

// https://url.spec.whatwg.org/#concept-urlencoded-parser
//   1. Let sequences be the result of splitting input on 0x26 (&).
//   3. For each byte sequence bytes in sequences:
//     1. If bytes is the empty byte sequence, then continue.
//     2. If bytes contains a 0x3D (=), then let name be the bytes from the
//        start of bytes up to but excluding its first 0x3D (=), and let value
//        be the bytes, if any, after the first 0x3D (=) …
//     3. Otherwise, let name have the value of bytes and let value be the
//        empty byte sequence.
//     4. Replace any 0x2B (+) in name and value with 0x20 (SP).
//     5. Let nameString and valueString be the result of running UTF-8
//        decode without BOM on the percent-decoding of name and value.
// Unlike step 5 we refuse invalid UTF-8 and invalid escapes instead of
// replacing them: a browser never sends either.
Result<Form> parse_urlencoded(std::string_view body, const FormLimits& limits) {
    // Boost.URL 1.81's parse_query measures its input with strlen (it passes
    // s.data() where a string_view is wanted; boostorg/url#757, #946): on a
    // buffer that is not NUL-terminated it reads past the end, and the last
    // value can run on past the body. A std::string is NUL-terminated, and a
    // body that parses holds no raw NUL, so strlen then sees exactly the body;
    // the size check below makes sure of it.
    std::string const terminated(body);
    auto const params = boost::urls::parse_query(terminated);
    if (!params)
        return malformed("urlencoded body: " + params.error().message());
    if (params->buffer().size() != terminated.size())
        return malformed("urlencoded body: query view does not match the body");

    Form form;
    std::size_t count = 0;
    for (auto const param : *params) {
        if (param.key.empty() && !param.has_value)
            continue; // step 3.1
        if (++count > limits.max_fields)
            return too_many_fields();
        auto name = decode_form_component(param.key, {}, limits);
        if (!name)
            return Unexpected(std::move(name.error()));
        std::string value;
        if (param.has_value) {
            auto decoded = decode_form_component(param.value, *name, limits);
            if (!decoded)
                return Unexpected(std::move(decoded.error()));
            value = std::move(*decoded);
        }
        form.add(std::move(*name), std::move(value));
    }
    return form;
}

Result<Form> parse_multipart(std::string_view body, std::string_view content_type_header,
                             const FormLimits& limits) {
    auto const media_type = parse_media_type(content_type_header);
    if (!media_type)
        return Unexpected(media_type.error());
    return parse_multipart_media_type(body, *media_type, limits);
}

Result<Form> parse_form(std::string_view content_type_header, std::string_view body,
                        const FormLimits& limits) {
    auto const media_type = parse_media_type(content_type_header);
    if (!media_type)
        return unsupported_content_type("missing or invalid Content-Type");
    // The charset parameter is ignored: forms are UTF-8 and checked as such.
    if (media_type->is("application", "x-www-form-urlencoded"))
        return parse_urlencoded(body, limits);
    if (media_type->is("multipart", "form-data"))
        return parse_multipart_media_type(body, *media_type, limits);
    return unsupported_content_type("form with Content-Type " + media_type->type + "/" +
                                    media_type->subtype);
}

std::string sanitize_filename(std::string_view raw) {
    // Keep the last path component: old browsers sent "C:\dir\name.pdf", and
    // "../../etc/passwd" must not escape a directory.
    if (auto const separator = raw.find_last_of("/\\"); separator != std::string_view::npos)
        raw.remove_prefix(separator + 1);
    std::string const clean = clean_filename_characters(raw);
    std::string name = truncate_filename(trim_filename(clean));
    if (name.empty())
        return std::string(FALLBACK_FILENAME);
    return name;
}

} // namespace spire::http
