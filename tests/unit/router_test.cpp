#include "http/router.hpp"

#include <gtest/gtest.h>

using namespace spire::http;

namespace {

Handler returns(std::string body) {
    return [body](Request&) { return Response::text(body); };
}

Response call(const Router& router, Method method, std::string path) {
    Request request;
    request.method = method;
    request.path = std::move(path);
    return router.dispatch(request);
}

} // namespace

TEST(Router, MatchesLiteralPath) {
    Router router;
    router.get("/calls", returns("list"));
    EXPECT_EQ(call(router, Method::Get, "/calls").body, "list");
}

TEST(Router, UnknownPathIs404) {
    Router router;
    router.get("/calls", returns("list"));
    EXPECT_EQ(call(router, Method::Get, "/nope").status, 404);
    EXPECT_EQ(call(router, Method::Get, "/calls/extra").status, 404);
}

TEST(Router, TrailingSlashIsADifferentPath) {
    Router router;
    router.get("/calls", returns("list"));
    EXPECT_EQ(call(router, Method::Get, "/calls/").status, 404);
}

TEST(Router, WrongMethodIs405WithAllowHeader) {
    Router router;
    router.get("/calls", returns("list"));
    router.post("/calls", returns("created"));
    router.get("/other", returns("x"));
    Response response = call(router, Method::Delete, "/calls");
    EXPECT_EQ(response.status, 405);
    EXPECT_EQ(response.headers.get("Allow").value_or(""), "GET, HEAD, POST");
}

TEST(Router, HeadIsAnsweredByGetRoute) {
    Router router;
    router.get("/", returns("home"));
    EXPECT_EQ(call(router, Method::Head, "/").status, 200);
}

TEST(Router, IntParameterMatchesDigitsOnly) {
    Router router;
    router.get("/calls/{id:int}", [](Request& request) {
        return Response::text(std::to_string(*request.param_int("id")));
    });
    EXPECT_EQ(call(router, Method::Get, "/calls/42").body, "42");
    EXPECT_EQ(call(router, Method::Get, "/calls/4x2").status, 404);
    EXPECT_EQ(call(router, Method::Get, "/calls/-1").status, 404);
    // More digits than an int64 can hold is not a valid id.
    EXPECT_EQ(call(router, Method::Get, "/calls/99999999999999999999").status, 404);
}

TEST(Router, LiteralSegmentWinsOverParameter) {
    Router router;
    router.get("/calls/{id}", returns("by id"));
    router.get("/calls/new", returns("new form"));
    EXPECT_EQ(call(router, Method::Get, "/calls/new").body, "new form");
    EXPECT_EQ(call(router, Method::Get, "/calls/abc").body, "by id");
}

TEST(Router, RestParameterTakesRemainingSegments) {
    Router router;
    router.get("/static/{path...}", [](Request& request) {
        return Response::text(std::string(*request.param("path")));
    });
    EXPECT_EQ(call(router, Method::Get, "/static/css/app.css").body, "css/app.css");
    EXPECT_EQ(call(router, Method::Get, "/static").status, 404);
    EXPECT_EQ(call(router, Method::Get, "/static/a//b").status, 404);
}

TEST(Router, SeveralParameters) {
    Router router;
    router.get("/funds/{fund:int}/years/{year:int}", [](Request& request) {
        return Response::text(std::to_string(*request.param_int("fund")) + "/" +
                              std::to_string(*request.param_int("year")));
    });
    EXPECT_EQ(call(router, Method::Get, "/funds/3/years/2018").body, "3/2018");
}

TEST(Router, BodyLimitComesFromTheRoute) {
    Router router;
    router.post("/upload", returns("ok"), {.body_limit = 25u << 20});
    router.post("/form", returns("ok"));
    EXPECT_EQ(router.body_limit(Method::Post, "/upload"), 25u << 20);
    EXPECT_EQ(router.body_limit(Method::Post, "/form"), DEFAULT_BODY_LIMIT);
    EXPECT_EQ(router.body_limit(Method::Post, "/unknown"), DEFAULT_BODY_LIMIT);
}

TEST(Router, RefusesDuplicateAndMalformedPatterns) {
    Router router;
    router.get("/a", returns("1"));
    EXPECT_THROW(router.get("/a", returns("2")), std::invalid_argument);
    EXPECT_THROW(router.get("no-slash", returns("x")), std::invalid_argument);
    EXPECT_THROW(router.get("/{rest...}/after", returns("x")), std::invalid_argument);
}
