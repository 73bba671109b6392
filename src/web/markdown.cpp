#include "web/markdown.hpp"

#include "http/utf8.hpp"

#include <cctype>
#include <md4c-html.h>

namespace spire::web {

namespace {

constexpr std::string_view REPLACEMENT = "\xEF\xBF\xBD"; // U+FFFD

std::string clean_utf8(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    while (!text.empty()) {
        auto length = http::utf8_sequence_length(text);
        if (!length || (*length == 1 && text[0] == '\0')) {
            out += REPLACEMENT;
            text.remove_prefix(1);
            continue;
        }
        out.append(text.substr(0, *length));
        text.remove_prefix(*length);
    }
    return out;
}

void append_output(const MD_CHAR* text, MD_SIZE size, void* userdata) {
    static_cast<std::string*>(userdata)->append(text, size);
}

// Replaces unsafe values of the href of links and the src of images with
// "#". With MD_FLAG_NOHTML every '<' of the user's text is written as &lt;,
// so "<a href=\"" and "<img src=\"" are always tags md4c wrote, and the
// value ends at the next '"' (md4c escapes one in a URL). Looking for
// " href=\"" alone is not enough: an image's alt text "x href=" followed by
// the attribute's closing quote looks the same, and would make the scan
// skip the next real link.
std::string neutralise_links(const std::string& html) {
    std::string out;
    out.reserve(html.size());
    std::size_t at = 0;
    while (at < html.size()) {
        std::size_t href = html.find("<a href=\"", at);
        std::size_t src = html.find("<img src=\"", at);
        std::size_t next = std::min(href, src);
        if (next == std::string::npos) {
            out.append(html, at, std::string::npos);
            break;
        }
        std::size_t value_start = html.find('"', next) + 1;
        std::size_t value_end = html.find('"', value_start);
        if (value_end == std::string::npos) {
            out.append(html, at, std::string::npos);
            break;
        }
        out.append(html, at, value_start - at);
        std::string_view value(html.data() + value_start, value_end - value_start);
        if (is_safe_link_url(value))
            out.append(value);
        else
            out += '#';
        at = value_end;
    }
    return out;
}

} // namespace

bool is_safe_link_url(std::string_view value) {
    // A scheme is what comes before the first ':' when no '/', '?' or '#'
    // comes before it. Browsers drop leading spaces and control characters
    // and tabs or line breaks inside it; md4c percent-encodes those, and a
    // '%' or '&' (an escaped character) before the ':' is no scheme a
    // browser accepts, so such a value is treated as unsafe too.
    std::size_t colon = value.find(':');
    if (colon == std::string_view::npos)
        return true;
    // A character reference before the ':' could decode to anything (a
    // letter of "javascript", or hide a '/'): refused, whatever follows.
    if (value.substr(0, colon).find('&') != std::string_view::npos)
        return false;
    std::size_t delimiter = value.find_first_of("/?#");
    if (delimiter != std::string_view::npos && delimiter < colon)
        return true;
    std::string scheme;
    for (char c : value.substr(0, colon)) {
        unsigned char u = static_cast<unsigned char>(c);
        if (!std::isalnum(u) && c != '+' && c != '-' && c != '.')
            return false;
        scheme += static_cast<char>(std::tolower(u));
    }
    return scheme == "http" || scheme == "https" || scheme == "mailto";
}

std::string render_markdown(std::string_view markdown) {
    std::string input = clean_utf8(markdown);
    std::string html;
    html.reserve(input.size() + input.size() / 4 + 16);
    unsigned parser_flags = MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH;
    int failed = md_html(input.data(), static_cast<MD_SIZE>(input.size()), append_output, &html,
                         parser_flags, 0);
    if (failed != 0)
        return {};
    return neutralise_links(html);
}

} // namespace spire::web
