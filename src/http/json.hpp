#pragma once

// The JSON API's conventions (DESIGN.md §12), shared by every module's API
// handlers:
//
//   - bodies are application/json; charset=utf-8;
//   - errors are RFC 9457 problem details (application/problem+json) with
//     type, title, status, detail and, for validation, errors: [{field,
//     message}]; never an HTML page;
//   - lists take ?page=&per_page= (per_page at most MAX_PER_PAGE), answer
//     {"items": [...], "total", "page", "per_page", "pages"} and link the
//     other pages in an RFC 8288 Link header.
//
// Handlers build their bodies with Boost.JSON (include <boost/json.hpp> in
// the .cpp); this header only needs its forward declarations.

#include "core/error.hpp"
#include "http/message.hpp"

#include <boost/json/fwd.hpp>
#include <functional>
#include <string>
#include <string_view>

namespace spire::http {

// Everything under this prefix is the API: answered in JSON, errors included.
inline constexpr std::string_view API_PREFIX = "/api/";
bool is_api_path(std::string_view path);

inline constexpr std::string_view JSON_CONTENT_TYPE = "application/json; charset=utf-8";
inline constexpr std::string_view PROBLEM_CONTENT_TYPE = "application/problem+json; charset=utf-8";

// A msgid in the request's language. Empty: the msgid itself (English).
using Translate = std::function<std::string(std::string_view msgid)>;

// `body` serialised, with JSON_CONTENT_TYPE and Cache-Control: no-store (API
// answers carry private data and are never worth caching).
Response json_response(const boost::json::value& body, int status = 200);

// --- Problem details (RFC 9457) ------------------------------------------------------

// https://www.rfc-editor.org/rfc/rfc9457#section-4.2.1
// "about:blank": the problem has no additional semantics beyond that of the
// HTTP status code; "title" SHOULD be the same as the recommended HTTP status
// phrase for that code, although it MAY be localized. Hence one type for
// every problem, the status phrase as title (a msgid), and what the user
// should know in "detail".
inline constexpr std::string_view PROBLEM_TYPE = "about:blank";
std::string_view problem_title(int status);

// The problem for a service error: status from http/status.hpp, the
// translated message as detail, and the field errors (translated) as
// "errors". Error::detail (for logs) is never sent.
Response problem_response(const Error& error, const Translate& translate = {});
// A problem without a service error (404 from the router, 500, ...);
// `detail_msgid` may be empty (no detail member then).
Response problem_response(int status, std::string_view detail_msgid = {},
                          const Translate& translate = {});

// --- Pagination ----------------------------------------------------------------------

inline constexpr int MAX_PER_PAGE = 200;
inline constexpr int DEFAULT_PER_PAGE = 50;
// An OFFSET beyond this is never useful and costs the database a scan.
inline constexpr int MAX_PAGE_NUMBER = 1'000'000;

struct PageRequest {
    int page = 1;
    int per_page = DEFAULT_PER_PAGE;
};

namespace message {
// The detail of a 400 for bad query parameters; "errors" says which.
inline constexpr const char* INVALID_PARAMETERS = "Some parameters are not valid.";
inline constexpr const char* PAGE_NUMBER = "Enter a page number: a whole number from 1.";
inline constexpr const char* PER_PAGE = "Enter how many per page: a whole number from 1 to 200.";
} // namespace message

// ?page= (1..MAX_PAGE_NUMBER) and ?per_page= (1..MAX_PER_PAGE); absent or
// empty means 1 and `default_per_page`. Anything else is Error::invalid with
// a field error named "page" or "per_page" (both when both are wrong).
Result<PageRequest> parse_page_request(const Request& request,
                                       int default_per_page = DEFAULT_PER_PAGE);

// Pages needed for `total` items; at least 1 (an empty list is one page).
long long page_count(long long total, int per_page);

// https://www.rfc-editor.org/rfc/rfc8288#section-3
// Link: <…?page=1&per_page=50>; rel="first", <…>; rel="prev", <…>; rel="next",
// <…>; rel="last". Targets are this request's path with its other query
// parameters kept in order (page and per_page replaced, last). prev and next
// only where such a page exists (prev from beyond the end points at the last
// page).
std::string pagination_links(const Request& request, const PageRequest& page, long long total);

// One page of a list: {"items": items, "total", "page", "per_page", "pages"}
// with the Link header.
Response json_page(const Request& request, boost::json::array items, const PageRequest& page,
                   long long total);

} // namespace spire::http
