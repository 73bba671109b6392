// The JSON API conventions (DESIGN.md §12): problem details, pagination and
// Link headers, and that API paths never get an HTML error page.

#include "http/json.hpp"
#include "http/middleware.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>
#include <stdexcept>

using namespace spire::http;
namespace json = boost::json;
using spire::Error;
using spire::ErrorKind;

namespace {

Request get(std::string path, std::string query = "") {
    Request request;
    request.path = std::move(path);
    request.query = std::move(query);
    request.target = request.path + (request.query.empty() ? "" : "?" + request.query);
    return request;
}

json::object body_of(const Response& response) {
    return json::parse(response.body).as_object();
}

std::string header(const Response& response, std::string_view name) {
    return std::string(response.headers.get(name).value_or(""));
}

} // namespace

// --- JSON bodies ----------------------------------------------------------------------------

TEST(JsonResponse, IsUtf8JsonAndNotCached) {
    Response response = json_response(json::object{{"name", "Bærum"}}, 201);
    EXPECT_EQ(response.status, 201);
    EXPECT_EQ(header(response, "Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(header(response, "Cache-Control"), "no-store");
    EXPECT_EQ(response.body, "{\"name\":\"Bærum\"}");
}

TEST(JsonResponse, ResponseJsonSaysUtf8Too) {
    EXPECT_EQ(Response::json("{}").headers.get("Content-Type").value_or(""),
              "application/json; charset=utf-8");
}

TEST(JsonResponse, ApiPathsAreThoseUnderApi) {
    EXPECT_TRUE(is_api_path("/api/v1/funds/1/budget"));
    EXPECT_TRUE(is_api_path("/api/"));
    EXPECT_TRUE(is_api_path("/api"));
    EXPECT_FALSE(is_api_path("/apiary"));
    EXPECT_FALSE(is_api_path("/funds/1/ledger.csv"));
    EXPECT_FALSE(is_api_path("/"));
}

// --- Problem details ------------------------------------------------------------------------

TEST(ProblemDetails, CarryTypeTitleStatusAndDetail) {
    Response response = problem_response(Error::forbidden("Only fund managers can do this."));
    EXPECT_EQ(response.status, 403);
    EXPECT_EQ(header(response, "Content-Type"), "application/problem+json; charset=utf-8");
    auto body = body_of(response);
    EXPECT_EQ(body.at("type").as_string(), "about:blank");
    EXPECT_EQ(body.at("title").as_string(), "Forbidden");
    EXPECT_EQ(body.at("status").as_int64(), 403);
    EXPECT_EQ(body.at("detail").as_string(), "Only fund managers can do this.");
    EXPECT_FALSE(body.contains("errors"));
}

TEST(ProblemDetails, ValidationListsEveryFieldError) {
    Response response = problem_response(
        Error::invalid("Some parameters are not valid.",
                       {{"year", "Enter a year like 2018."}, {"per_page", "Too many."}}));
    EXPECT_EQ(response.status, 400);
    auto body = body_of(response);
    EXPECT_EQ(body.at("title").as_string(), "Bad Request");
    const auto& errors = body.at("errors").as_array();
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].at("field").as_string(), "year");
    EXPECT_EQ(errors[0].at("message").as_string(), "Enter a year like 2018.");
    EXPECT_EQ(errors[1].at("field").as_string(), "per_page");
}

TEST(ProblemDetails, NeverCarryTheLogDetail) {
    Error error = Error::unavailable("The service is temporarily unavailable.",
                                     "connection to 10.0.0.5 refused, password=hunter2");
    Response response = problem_response(error);
    EXPECT_EQ(response.status, 503);
    EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
    EXPECT_EQ(response.body.find("10.0.0.5"), std::string::npos);
}

TEST(ProblemDetails, AreTranslatedWhenATranslatorIsGiven) {
    Translate to_nb = [](std::string_view msgid) {
        if (msgid == "Not Found")
            return std::string("Ikke funnet");
        if (msgid == "Enter a year like 2018.")
            return std::string("Skriv et år, for eksempel 2018.");
        return "nb:" + std::string(msgid);
    };
    auto not_found = body_of(problem_response(Error::not_found(), to_nb));
    EXPECT_EQ(not_found.at("title").as_string(), "Ikke funnet");
    auto invalid = body_of(
        problem_response(Error::invalid("x", {{"year", "Enter a year like 2018."}}), to_nb));
    EXPECT_EQ(invalid.at("errors").as_array()[0].at("message").as_string(),
              "Skriv et år, for eksempel 2018.");
    EXPECT_EQ(invalid.at("errors").as_array()[0].at("field").as_string(), "year");
}

TEST(ProblemDetails, WithoutDetailHaveNoDetailMember) {
    auto body = body_of(problem_response(405));
    EXPECT_EQ(body.at("title").as_string(), "Method Not Allowed");
    EXPECT_FALSE(body.contains("detail"));
}

TEST(ProblemDetails, UnknownStatusGetsTheGeneralTitle) {
    EXPECT_EQ(problem_title(418), "Bad Request");
    EXPECT_EQ(problem_title(599), "Internal Server Error");
}

// --- The error-page middleware leaves the API to JSON ---------------------------------------

TEST(ProblemDetails, ErrorPagesAnswerApiPathsWithProblemJson) {
    auto render = [](const Request&, int status) {
        return Response::html("<h1>page " + std::to_string(status) + "</h1>", status);
    };
    Handler handler = chain({error_pages(render, [](std::string_view) {})}, [](Request& request) {
        if (request.path.ends_with("/throws"))
            throw std::runtime_error("secret");
        Response response = Response::empty(405);
        response.headers.set("Allow", "GET");
        return response;
    });

    Request api = get("/api/v1/nothing");
    Response response = handler(api);
    EXPECT_EQ(response.status, 405);
    EXPECT_EQ(header(response, "Content-Type"), "application/problem+json; charset=utf-8");
    EXPECT_EQ(header(response, "Allow"), "GET");
    EXPECT_EQ(body_of(response).at("status").as_int64(), 405);

    Request thrown = get("/api/v1/throws");
    Response failed = handler(thrown);
    EXPECT_EQ(failed.status, 500);
    EXPECT_EQ(body_of(failed).at("title").as_string(), "Internal Server Error");
    EXPECT_EQ(failed.body.find("secret"), std::string::npos);

    Request page = get("/funds/1");
    EXPECT_EQ(handler(page).body, "<h1>page 405</h1>");
}

TEST(ProblemDetails, ErrorPagesExplainWithTheRequestsErrorMessage) {
    auto render = [](const Request&, int) { return Response::html("page"); };
    Handler handler = chain({error_pages(render, [](std::string_view) {})}, [](Request& request) {
        request.context.error_message = "The form could not be accepted.";
        return Response::empty(403);
    });
    Request api = get("/api/v1/funds/1/postings");
    auto body = body_of(handler(api));
    EXPECT_EQ(body.at("status").as_int64(), 403);
    EXPECT_EQ(body.at("detail").as_string(), "The form could not be accepted.");
}

TEST(ProblemDetails, ErrorPagesLeaveAHandlersProblemAlone) {
    auto render = [](const Request&, int) { return Response::html("page"); };
    Handler handler = chain({error_pages(render, [](std::string_view) {})}, [](Request&) {
        return problem_response(Error::not_found("No such fund."));
    });
    Request api = get("/api/v1/funds/9/budget");
    auto body = body_of(handler(api));
    EXPECT_EQ(body.at("detail").as_string(), "No such fund.");
}

// --- Pagination -------------------------------------------------------------------------------

TEST(Pagination, DefaultsWhenAbsentOrEmpty) {
    auto page = parse_page_request(get("/api/v1/x"));
    ASSERT_TRUE(page);
    EXPECT_EQ(page->page, 1);
    EXPECT_EQ(page->per_page, 50);
    page = parse_page_request(get("/api/v1/x", "page=&per_page="), 20);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->page, 1);
    EXPECT_EQ(page->per_page, 20);
}

TEST(Pagination, ReadsPageAndPerPage) {
    auto page = parse_page_request(get("/api/v1/x", "page=3&per_page=200"));
    ASSERT_TRUE(page);
    EXPECT_EQ(page->page, 3);
    EXPECT_EQ(page->per_page, 200);
}

TEST(Pagination, RefusesBadValuesWithFieldErrors) {
    for (const char* query : {"page=0", "page=-1", "page=abc", "page=1.5",
                              "page=99999999999999999999", "page=1000001"}) {
        auto page = parse_page_request(get("/api/v1/x", query));
        ASSERT_FALSE(page) << query;
        EXPECT_EQ(page.error().kind, ErrorKind::Invalid);
        ASSERT_EQ(page.error().fields.size(), 1u) << query;
        EXPECT_EQ(page.error().fields[0].field, "page") << query;
    }
    for (const char* query : {"per_page=0", "per_page=201", "per_page=x", "per_page=%2B5"}) {
        auto page = parse_page_request(get("/api/v1/x", query));
        ASSERT_FALSE(page) << query;
        ASSERT_EQ(page.error().fields.size(), 1u) << query;
        EXPECT_EQ(page.error().fields[0].field, "per_page") << query;
    }
    auto both = parse_page_request(get("/api/v1/x", "page=0&per_page=1000"));
    ASSERT_FALSE(both);
    EXPECT_EQ(both.error().fields.size(), 2u);
}

TEST(Pagination, CountsPagesAtLeastOne) {
    EXPECT_EQ(page_count(0, 50), 1);
    EXPECT_EQ(page_count(50, 50), 1);
    EXPECT_EQ(page_count(51, 50), 2);
    EXPECT_EQ(page_count(1'000'000, 200), 5000);
}

TEST(Pagination, LinksFirstPrevNextLastKeepingOtherParameters) {
    Request request = get("/api/v1/funds/1/ledger", "year=2018&page=2&kind=commit&per_page=10");
    std::string links = pagination_links(request, {2, 10}, 45);
    EXPECT_EQ(links,
              "</api/v1/funds/1/ledger?year=2018&kind=commit&page=1&per_page=10>; rel=\"first\", "
              "</api/v1/funds/1/ledger?year=2018&kind=commit&page=1&per_page=10>; rel=\"prev\", "
              "</api/v1/funds/1/ledger?year=2018&kind=commit&page=3&per_page=10>; rel=\"next\", "
              "</api/v1/funds/1/ledger?year=2018&kind=commit&page=5&per_page=10>; rel=\"last\"");
}

TEST(Pagination, FirstAndLastPagesHaveNoPrevOrNext) {
    Request request = get("/api/v1/x");
    std::string first = pagination_links(request, {1, 50}, 120);
    EXPECT_EQ(first.find("rel=\"prev\""), std::string::npos);
    EXPECT_NE(first.find("page=2&per_page=50>; rel=\"next\""), std::string::npos);
    std::string last = pagination_links(request, {3, 50}, 120);
    EXPECT_EQ(last.find("rel=\"next\""), std::string::npos);
    EXPECT_NE(last.find("page=2&per_page=50>; rel=\"prev\""), std::string::npos);
    std::string empty = pagination_links(request, {1, 50}, 0);
    EXPECT_EQ(empty, "</api/v1/x?page=1&per_page=50>; rel=\"first\", "
                     "</api/v1/x?page=1&per_page=50>; rel=\"last\"");
}

TEST(Pagination, BeyondTheEndPrevPointsAtTheLastPage) {
    std::string links = pagination_links(get("/api/v1/x"), {9, 50}, 120);
    EXPECT_NE(links.find("page=3&per_page=50>; rel=\"prev\""), std::string::npos);
    EXPECT_EQ(links.find("rel=\"next\""), std::string::npos);
}

TEST(Pagination, LinksKeepEncodedParametersEncoded) {
    // A value with an '&' or a space must not turn into two parameters.
    Request request = get("/api/v1/x", "q=a%26b+c&page=1");
    std::string links = pagination_links(request, {1, 50}, 100);
    EXPECT_NE(links.find("</api/v1/x?q=a%26b+c&page=2&per_page=50>; rel=\"next\""),
              std::string::npos)
        << links;
}

TEST(Pagination, JsonPageCarriesTotalAndLinks) {
    Request request = get("/api/v1/x", "per_page=2");
    Response response = json_page(request, json::array{1, 2}, {1, 2}, 5);
    auto body = body_of(response);
    EXPECT_EQ(body.at("items").as_array().size(), 2u);
    EXPECT_EQ(body.at("total").as_int64(), 5);
    EXPECT_EQ(body.at("page").as_int64(), 1);
    EXPECT_EQ(body.at("per_page").as_int64(), 2);
    EXPECT_EQ(body.at("pages").as_int64(), 3);
    EXPECT_NE(header(response, "Link").find("page=3&per_page=2>; rel=\"last\""), std::string::npos);
}
