#include "http/middleware.hpp"

#include <gtest/gtest.h>
#include <stdexcept>

using namespace spire::http;

TEST(Middleware, ChainRunsOuterFirstAndSeesTheResponse) {
    std::string trace;
    auto tag = [&trace](std::string name) -> Middleware {
        return [&trace, name](Request& request, const Handler& next) {
            trace += name + ">";
            Response response = next(request);
            trace += "<" + name;
            return response;
        };
    };
    Handler handler = chain({tag("a"), tag("b")}, [&trace](Request&) {
        trace += "h";
        return Response::text("ok");
    });
    Request request;
    handler(request);
    EXPECT_EQ(trace, "a>b>h<b<a");
}

TEST(Middleware, RequestIdIsUniqueAndEchoed) {
    Handler handler = chain({request_id()}, [](Request& request) {
        return Response::text(request.context.request_id);
    });
    Request first, second;
    Response a = handler(first);
    Response b = handler(second);
    EXPECT_EQ(a.body.size(), 16u);
    EXPECT_NE(a.body, b.body);
    EXPECT_EQ(a.headers.get("X-Request-Id").value_or(""), a.body);
}

TEST(Middleware, SecurityHeadersCarryTheStrictPolicy) {
    Handler handler = chain({security_headers()}, [](Request&) { return Response::text("x"); });
    Request request;
    Response response = handler(request);
    EXPECT_EQ(response.headers.get("Content-Security-Policy").value_or(""),
              CONTENT_SECURITY_POLICY);
    EXPECT_EQ(response.headers.get("X-Content-Type-Options").value_or(""), "nosniff");
    EXPECT_EQ(response.headers.get("X-Frame-Options").value_or(""), "DENY");
}

TEST(Middleware, AccessLogWritesOneLineWithoutQuery) {
    std::vector<std::string> lines;
    Handler handler =
        chain({access_log([&lines](std::string_view line) { lines.emplace_back(line); })},
              [](Request&) { return Response::text("hello", 201); });
    Request request;
    request.method = Method::Post;
    request.path = "/calls";
    request.query = "token=secret";
    handler(request);
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_NE(lines[0].find("POST /calls 201 5 "), std::string::npos);
    EXPECT_EQ(lines[0].find("secret"), std::string::npos);
}

TEST(Middleware, ErrorPagesRenderBodilessErrorsAndKeepHeaders) {
    std::vector<std::string> logged;
    auto render = [](const Request&, int status) {
        return Response::html("page " + std::to_string(status), status);
    };
    Handler handler = chain(
        {error_pages(render, [&logged](std::string_view line) { logged.emplace_back(line); })},
        [](Request&) {
            Response response = Response::empty(405);
            response.headers.set("Allow", "GET");
            return response;
        });
    Request request;
    Response response = handler(request);
    EXPECT_EQ(response.status, 405);
    EXPECT_EQ(response.body, "page 405");
    EXPECT_EQ(response.headers.get("Allow").value_or(""), "GET");
    EXPECT_TRUE(logged.empty());
}

TEST(Middleware, ExceptionBecomes500PageAndIsLoggedNotShown) {
    std::vector<std::string> logged;
    auto render = [](const Request&, int status) {
        return Response::html("page " + std::to_string(status), status);
    };
    Handler handler = chain(
        {error_pages(render, [&logged](std::string_view line) { logged.emplace_back(line); })},
        [](Request&) -> Response { throw std::runtime_error("db password=hunter2 failed"); });
    Request request;
    request.context.request_id = "abc";
    Response response = handler(request);
    EXPECT_EQ(response.status, 500);
    EXPECT_EQ(response.body.find("hunter2"), std::string::npos);
    ASSERT_EQ(logged.size(), 1u);
    EXPECT_NE(logged[0].find("abc"), std::string::npos);
}

TEST(Middleware, ErrorWithBodyIsLeftAlone) {
    auto render = [](const Request&, int) { return Response::html("rendered"); };
    Handler handler = chain({error_pages(render, [](std::string_view) {})},
                            [](Request&) { return Response::html("form with errors", 422); });
    Request request;
    EXPECT_EQ(handler(request).body, "form with errors");
}
