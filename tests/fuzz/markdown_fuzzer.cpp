// libFuzzer target for render_markdown (web/markdown.cpp).
// Input: Markdown as a user would type it into a call description.
// Besides "no crash, no sanitizer report", it checks what pages rely on when
// they insert the output unescaped: it is valid UTF-8, holds no tag a user
// wrote (no "<script", "<iframe", "<img onerror" ...: every '<' starts one
// of the tags md4c writes), and every href/src value is a URL we allow.

#include "http/utf8.hpp"
#include "web/markdown.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

void check(bool condition, const char* what) {
    if (!condition) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

// The tags md4c-html writes with the flags render_markdown uses.
bool known_tag(std::string_view rest) {
    static constexpr std::string_view TAGS[] = {"p>",          "/p>",
                                                "h1>",         "/h1>",
                                                "h2>",         "/h2>",
                                                "h3>",         "/h3>",
                                                "h4>",         "/h4>",
                                                "h5>",         "/h5>",
                                                "h6>",         "/h6>",
                                                "ul>",         "/ul>",
                                                "ol>",         "ol start=\"",
                                                "/ol>",        "li>",
                                                "/li>",        "li class=\"task-list-item\">",
                                                "blockquote>", "/blockquote>",
                                                "pre>",        "/pre>",
                                                "code>",       "code class=\"",
                                                "/code>",      "em>",
                                                "/em>",        "strong>",
                                                "/strong>",    "del>",
                                                "/del>",       "a href=\"",
                                                "/a>",         "img src=\"",
                                                "br>",         "hr>",
                                                "table>",      "/table>",
                                                "thead>",      "/thead>",
                                                "tbody>",      "/tbody>",
                                                "tr>",         "/tr>",
                                                "th>",         "/th>",
                                                "td>",         "/td>",
                                                "th align=\"", "td align=\"",
                                                "u>",          "/u>"};
    for (std::string_view tag : TAGS) {
        if (rest.substr(0, tag.size()) == tag)
            return true;
    }
    return false;
}

void check_attributes(const std::string& html, std::string_view name) {
    std::size_t at = 0;
    while ((at = html.find(name, at)) != std::string::npos) {
        std::size_t start = at + name.size();
        std::size_t end = html.find('"', start);
        check(end != std::string::npos, "attribute value is closed");
        check(spire::web::is_safe_link_url(std::string_view(html).substr(start, end - start)),
              "link URL is safe");
        at = end;
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string html = spire::web::render_markdown(input);
    check(spire::http::is_valid_utf8(html), "output is valid UTF-8");
    for (std::size_t at = html.find('<'); at != std::string::npos; at = html.find('<', at + 1))
        check(known_tag(std::string_view(html).substr(at + 1)), "every tag is one md4c writes");
    // At tag starts only: an alt text "x href=" ends in the same bytes.
    check_attributes(html, "<a href=\"");
    check_attributes(html, "<img src=\"");
    return 0;
}
