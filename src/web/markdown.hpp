#pragma once

// Markdown from users (call descriptions, eligibility, long-text answers) to
// HTML that is safe to put into a page unescaped.
//
// md4c-html (CommonMark, plus tables and strikethrough) with MD_FLAG_NOHTML:
// raw HTML in the text is escaped, never passed through. Then every link and
// image URL md4c wrote is checked: allowed are http:, https:, mailto: and
// relative URLs (no scheme); anything else (javascript:, data:, vbscript:,
// file:, ...) becomes "#". Invalid UTF-8 and NUL bytes are replaced by U+FFFD
// first, so the output is always valid UTF-8.

#include <string>
#include <string_view>

namespace spire::web {

std::string render_markdown(std::string_view markdown);

// Whether a URL as it appears in an href/src attribute value (HTML-escaped,
// as md4c writes it) is one we let through.
bool is_safe_link_url(std::string_view attribute_value);

} // namespace spire::web
