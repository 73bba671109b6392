// web/markdown: what users write in call descriptions becomes safe HTML.
// Raw HTML is escaped, link and image URLs other than http(s), mailto and
// relative ones are neutralised, and the output is valid UTF-8.

#include "http/utf8.hpp"
#include "web/markdown.hpp"

#include <gtest/gtest.h>

using spire::web::is_safe_link_url;
using spire::web::render_markdown;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST(Markdown, RendersCommonMark) {
    std::string html =
        render_markdown("# Tittel\n\nSøk om **500 000 kr**, *snart*.\n\n- en\n- to\n");
    EXPECT_TRUE(contains(html, "<h1>Tittel</h1>")) << html;
    EXPECT_TRUE(contains(html, "<strong>500 000 kr</strong>")) << html;
    EXPECT_TRUE(contains(html, "<em>snart</em>")) << html;
    EXPECT_TRUE(contains(html, "<ul>\n<li>en</li>")) << html;
}

TEST(Markdown, RendersTablesAndStrikethrough) {
    std::string html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~borte~~\n");
    EXPECT_TRUE(contains(html, "<table>")) << html;
    EXPECT_TRUE(contains(html, "<del>borte</del>")) << html;
}

TEST(Markdown, KeepsSafeLinks) {
    std::string html = render_markdown(
        "[a](https://www.forskningsradet.no/) [b](http://example.org) "
        "[c](mailto:post@baerum.kommune.no) [d](/calls/3) [e](#kriterier) [f](?page=2)");
    EXPECT_TRUE(contains(html, "href=\"https://www.forskningsradet.no/\"")) << html;
    EXPECT_TRUE(contains(html, "href=\"http://example.org\"")) << html;
    EXPECT_TRUE(contains(html, "href=\"mailto:post@baerum.kommune.no\"")) << html;
    EXPECT_TRUE(contains(html, "href=\"/calls/3\"")) << html;
    EXPECT_TRUE(contains(html, "href=\"#kriterier\"")) << html;
    EXPECT_TRUE(contains(html, "href=\"?page=2\"")) << html;
}

TEST(Markdown, EscapesRawHtml) {
    std::string html = render_markdown("<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n"
                                       "\nTekst <b onclick=\"x()\">fet</b>");
    EXPECT_FALSE(contains(html, "<script")) << html;
    EXPECT_FALSE(contains(html, "<img")) << html;
    EXPECT_FALSE(contains(html, "<b ")) << html;
    EXPECT_TRUE(contains(html, "&lt;script&gt;")) << html;
}

TEST(Markdown, NeutralisesDangerousLinkSchemes) {
    for (const char* input :
         {"[x](javascript:alert(1))", "[x](JaVaScRiPt:alert(1))", "[x](&#106;avascript:alert(1))",
          "[x](vbscript:msgbox(1))", "[x](data:text/html;base64,PHNjcmlwdD4=)",
          "<javascript:alert(1)>", "[x](file:///etc/passwd)", "[x]\n\n[x]: javascript:alert(1)",
          "![i](javascript:alert(1))", "![i](data:image/svg+xml,<svg onload=alert(1)>)"}) {
        std::string html = render_markdown(input);
        // The text may say anything; no href or src may lead there.
        for (const char* attribute : {"href=\"", "src=\""}) {
            for (const char* scheme : {"javascript:", "JaVaScRiPt:", "vbscript:", "data:", "file:"})
                EXPECT_FALSE(contains(html, std::string(attribute) + scheme))
                    << input << " -> " << html;
        }
    }
    EXPECT_TRUE(contains(render_markdown("[x](javascript:alert(1))"), "href=\"#\""));
    EXPECT_TRUE(contains(render_markdown("<javascript:alert(1)>"), "<a href=\"#\">"));
}

// Found by the fuzzer: an image whose alt text ends in "href=" put the
// same bytes as a link's attribute just before the alt's closing quote, and
// the next real link went unchecked.
TEST(Markdown, AnAltTextThatLooksLikeAnAttributeHidesNoLink) {
    std::string html = render_markdown("![x href=](y)\n[a](javascript:alert(1))\n"
                                       "![z src=](y) ![i](hata:x)");
    EXPECT_FALSE(contains(html, "javascript:")) << html;
    EXPECT_FALSE(contains(html, "hata:")) << html;
    EXPECT_TRUE(contains(html, "<a href=\"#\">a</a>")) << html;
}

TEST(Markdown, AttributesCannotBeBrokenOutOf) {
    std::string html = render_markdown("[x](https://a.example/\"onmouseover=\"alert(1) \"t\")");
    EXPECT_FALSE(contains(html, "\"onmouseover")) << html;
    std::string titled = render_markdown("[x](/a \"tittel\\\" onclick=\\\"x\")");
    EXPECT_FALSE(contains(titled, "\" onclick")) << titled;
}

TEST(Markdown, OutputIsValidUtf8) {
    std::string bad = "Ugyldig \xC3 tegn \xFF og \0 null";
    bad += std::string("\0x", 2);
    std::string html = render_markdown(bad);
    EXPECT_TRUE(spire::http::is_valid_utf8(html));
    EXPECT_TRUE(contains(html, "\xEF\xBF\xBD")) << html;
    EXPECT_EQ(render_markdown(""), "");
}

TEST(Markdown, SafeUrlRules) {
    EXPECT_TRUE(is_safe_link_url("https://a.example/x?y=1&amp;z=2"));
    EXPECT_TRUE(is_safe_link_url("relative/path"));
    EXPECT_TRUE(is_safe_link_url("/a:b"));
    EXPECT_TRUE(is_safe_link_url("?q=a:b"));
    EXPECT_FALSE(is_safe_link_url("javascript:x"));
    EXPECT_FALSE(is_safe_link_url("java%09script:x"));
    EXPECT_FALSE(is_safe_link_url("&#106;avascript:x"));
    EXPECT_FALSE(is_safe_link_url("&#x2F;&#x2F;x:y"));
    EXPECT_TRUE(is_safe_link_url("/x?a=1&amp;b=2"));
    EXPECT_FALSE(is_safe_link_url("tel:+4712345678"));
}
