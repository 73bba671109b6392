// The server against real sockets on loopback: pages, error pages, limits,
// malformed input, stalled clients and graceful shutdown. After every kind of
// bad input the server must still answer the next request.

#include "app/application.hpp"
#include "db/database.hpp"
#include "db/migrations.hpp"
#include "http/form.hpp"
#include "http/status.hpp"
#include "support/app_paths.hpp"
#include "support/http_client.hpp"
#include "support/test_db.hpp"
#include "support/test_server.hpp"

#include <chrono>
#include <filesystem>
#include <gtest/gtest.h>
#include <thread>

using namespace std::chrono_literals;
using spire::test::http_get;
using spire::test::RawConnection;

namespace {

using spire::test::locale_dir;
using spire::test::root_dir;

void test_routes(spire::http::Router& router) {
    using namespace spire::http;
    router.get("/test/slow", [](Request&) {
        std::this_thread::sleep_for(400ms);
        return Response::text("slow done");
    });
    router.get("/test/boom", [](Request&) -> Response {
        throw std::runtime_error("internal detail that must not leak");
    });
    router.post("/test/form", [](Request& request) {
        auto form = parse_form(request.header("Content-Type"), request.body);
        if (!form)
            return Response::text(form.error().message, status_for(form.error().kind));
        return Response::text(std::string(form->get("name").value_or("")));
    });
    router.post(
        "/test/upload",
        [](Request& request) { return Response::text(std::to_string(request.body.size())); },
        {.body_limit = 1 << 20});
}

class HttpServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = std::filesystem::temp_directory_path() /
                ("spire-http-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        auto database = spire::db::Database::open("sqlite:" + (m_dir / "spire.db").string(), 3);
        ASSERT_TRUE(database) << database.error().message;
        ASSERT_TRUE(spire::db::migrate(**database));
        std::shared_ptr<spire::db::Database> shared(std::move(*database));
        m_app = std::make_unique<spire::app::Application>(
            spire::app::AppConfig{root_dir(), locale_dir(), false, "Testkommune"}, shared,
            test_routes);
        spire::http::ServerConfig config;
        config.threads = 2;
        // Short, so the stalled-client tests are quick; long enough for a
        // 512 KiB body under ASan on a loaded CI machine (500 ms was not).
        config.read_timeout = 2s;
        config.idle_timeout = 2s;
        config.shutdown_deadline = 5s;
        m_server = std::make_unique<spire::test::TestServer>(m_app->http_app(), config);
    }
    void TearDown() override {
        m_server.reset();
        m_app.reset();
        std::filesystem::remove_all(m_dir);
    }

    std::uint16_t port() const { return m_server->port(); }

    // The anonymous CSRF token the server hands out with the login form.
    std::string anonymous_csrf_token() {
        auto page = http_get(port(), "/login");
        std::string cookie = page ? page->header("set-cookie") : "";
        auto start = cookie.find("__Host-spire_csrf=");
        if (start == std::string::npos)
            return {};
        start += std::string("__Host-spire_csrf=").size();
        return cookie.substr(start, cookie.find(';', start) - start);
    }

    // A form POST as a browser on this site sends it: Origin, cookie, token.
    std::string form_post(const std::string& path, const std::string& fields) {
        std::string token = anonymous_csrf_token();
        std::string body = "_csrf=" + token + (fields.empty() ? "" : "&" + fields);
        return "POST " + path +
               " HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nCookie: __Host-spire_csrf=" + token +
               "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
               std::to_string(body.size()) + "\r\n\r\n" + body;
    }

    // The server still works: the check after every kind of bad input.
    void expect_still_serving() {
        auto response = http_get(port(), "/healthz");
        ASSERT_TRUE(response) << "server stopped answering";
        EXPECT_EQ(response->status, 200);
    }

    std::filesystem::path m_dir;
    std::unique_ptr<spire::app::Application> m_app;
    std::unique_ptr<spire::test::TestServer> m_server;
};

} // namespace

TEST_F(HttpServerTest, FrontPageRendersInTheLayoutInNorwegian) {
    auto response = http_get(port(), "/");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->header("content-type"), "text/html; charset=utf-8");
    EXPECT_NE(response->body.find("<html lang=\"nb\""), std::string::npos);
    EXPECT_NE(response->body.find("Testkommune"), std::string::npos);
    EXPECT_NE(response->body.find("Hopp til hovedinnhold"), std::string::npos);
    EXPECT_NE(response->body.find("<main id=\"main\""), std::string::npos);
}

TEST_F(HttpServerTest, EveryResponseCarriesSecurityHeadersAndRequestId) {
    for (const char* path : {"/", "/nope", "/healthz"}) {
        auto response = http_get(port(), path);
        ASSERT_TRUE(response) << path;
        EXPECT_EQ(response->header("content-security-policy"),
                  std::string(spire::http::CONTENT_SECURITY_POLICY))
            << path;
        EXPECT_EQ(response->header("x-content-type-options"), "nosniff") << path;
        EXPECT_EQ(response->header("x-request-id").size(), 16u) << path;
    }
}

TEST_F(HttpServerTest, LanguageSwitchSetsCookieAndRedirectsToLocalPathOnly) {
    auto response = http_get(port(), "/lang?set=en&next=%2Fprivacy");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 303);
    EXPECT_EQ(response->header("location"), "/privacy");
    EXPECT_NE(response->header("set-cookie").find("spire_lang=en"), std::string::npos);

    auto english = http_get(port(), "/privacy", "Cookie: spire_lang=en\r\n");
    ASSERT_TRUE(english);
    EXPECT_NE(english->body.find("<html lang=\"en\""), std::string::npos);
    EXPECT_NE(english->body.find("Skip to main content"), std::string::npos);

    auto offsite = http_get(port(), "/lang?set=en&next=%2F%2Fevil.example");
    ASSERT_TRUE(offsite);
    EXPECT_EQ(offsite->header("location"), "/");
    auto unknown = http_get(port(), "/lang?set=xx");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 400);
}

TEST_F(HttpServerTest, UnknownRouteGets404PageInLayout) {
    auto response = http_get(port(), "/no/such/page");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 404);
    EXPECT_NE(response->body.find("Fant ikke siden"), std::string::npos);
    EXPECT_NE(response->body.find("<main id=\"main\""), std::string::npos);
}

TEST_F(HttpServerTest, WrongMethodGets405WithAllow) {
    RawConnection connection(port());
    ASSERT_TRUE(connection.send("DELETE / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    auto response = connection.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 405);
    EXPECT_EQ(response->header("allow"), "GET, HEAD");
    EXPECT_NE(response->body.find("<h1"), std::string::npos);
}

TEST_F(HttpServerTest, HeadSendsHeadersWithoutBody) {
    RawConnection connection(port());
    ASSERT_TRUE(connection.send("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto head = connection.read_response(/*head=*/true);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->status, 200);
    EXPECT_GT(std::stoul(head->header("content-length")), 0u);
    // The next response on the same connection must parse: no stray body bytes.
    ASSERT_TRUE(connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto next = connection.read_response();
    ASSERT_TRUE(next);
    EXPECT_EQ(next->body, "ok\n");
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
    RawConnection connection(port());
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
        auto response = connection.read_response();
        ASSERT_TRUE(response) << i;
        EXPECT_EQ(response->status, 200);
    }
}

TEST_F(HttpServerTest, ExceptionGives500PageWithReferenceAndNoInternals) {
    auto response = http_get(port(), "/test/boom");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 500);
    EXPECT_EQ(response->body.find("must not leak"), std::string::npos);
    EXPECT_NE(response->body.find(response->header("x-request-id")), std::string::npos);
    expect_still_serving();
}

TEST_F(HttpServerTest, MalformedRequestLineGets400AndServerKeepsServing) {
    for (const char* garbage :
         {"GARBAGE\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
          "GET / HTTP/1.1\r\nBad Header Without Colon\r\n\r\n", "\x01\x02\x03\r\n\r\n"}) {
        RawConnection connection(port());
        ASSERT_TRUE(connection.send(garbage));
        auto response = connection.read_response();
        ASSERT_TRUE(response) << garbage;
        EXPECT_EQ(response->status, 400) << garbage;
        EXPECT_TRUE(connection.closed_within(2s)) << garbage;
    }
    expect_still_serving();
}

TEST_F(HttpServerTest, AbsoluteFormTargetIsRefused) {
    RawConnection connection(port());
    ASSERT_TRUE(connection.send("GET http://evil.example/ HTTP/1.1\r\nHost: x\r\n\r\n"));
    auto response = connection.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 400);
    expect_still_serving();
}

TEST_F(HttpServerTest, OversizedHeaderGets431) {
    RawConnection connection(port());
    std::string request =
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n";
    connection.send(request);
    auto response = connection.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 431);
    expect_still_serving();
}

TEST_F(HttpServerTest, BodyOverTheRouteLimitGets413) {
    RawConnection connection(port());
    std::string body(100 * 1024, 'x'); // the default limit is 64 KiB
    connection.send("POST /test/form HTTP/1.1\r\nHost: x\r\nContent-Type: "
                    "application/x-www-form-urlencoded\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body);
    auto response = connection.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 413);
    EXPECT_NE(response->body.find("Forespørselen er for stor"), std::string::npos);
    expect_still_serving();
}

TEST_F(HttpServerTest, LargerLimitRouteAcceptsLargerBody) {
    RawConnection connection(port());
    std::string token = anonymous_csrf_token();
    std::string body(512 * 1024, 'x');
    connection.send("POST /test/upload HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nCookie: "
                    "__Host-spire_csrf=" +
                    token + "\r\nX-CSRF-Token: " + token +
                    "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body);
    auto response = connection.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, std::to_string(body.size()));
}

TEST_F(HttpServerTest, FormWithInvalidUtf8Gets400) {
    RawConnection connection(port());
    connection.send(form_post("/test/form", "name=%C0%AF")); // overlong encoding of '/'
    auto response = connection.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 400);
    expect_still_serving();
}

TEST_F(HttpServerTest, ValidFormIsParsed) {
    RawConnection connection(port());
    connection.send(form_post("/test/form", "name=Bekkestua+barnehage%20%C3%A6%C3%B8%C3%A5"));
    auto response = connection.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "Bekkestua barnehage æøå");
}

TEST_F(HttpServerTest, PostWithoutCsrfTokenIsRefusedWithExplanation) {
    RawConnection connection(port());
    std::string body = "name=x";
    connection.send("POST /test/form HTTP/1.1\r\nHost: x\r\nOrigin: http://x\r\nContent-Type: "
                    "application/x-www-form-urlencoded\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body);
    auto response = connection.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 403);
    EXPECT_NE(response->body.find("last inn siden"), std::string::npos) << response->body;
}

TEST_F(HttpServerTest, PostFromAnotherOriginIsRefusedEvenWithToken) {
    std::string request = form_post("/test/form", "name=x");
    request.replace(request.find("Origin: http://x"), 16, "Origin: http://evil.example");
    RawConnection connection(port());
    connection.send(request);
    auto response = connection.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 403);
}

TEST_F(HttpServerTest, PostWithWrongTokenIsRefused) {
    std::string request = form_post("/test/form", "name=x");
    auto at = request.find("_csrf=") + 6;
    request[at] = request[at] == 'A' ? 'B' : 'A';
    RawConnection connection(port());
    connection.send(request);
    auto response = connection.read_response();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 403);
}

TEST_F(HttpServerTest, StaticTraversalIsNotFound) {
    for (const char* target : {"/static/../CMakeLists.txt", "/static/%2e%2e/%2e%2e/etc/passwd",
                               "/static/css/..%2f..%2fCMakeLists.txt", "/static/%2e%2e%2fREADME.md",
                               "/static/css/app.css%00.txt", "/static//etc/passwd"}) {
        auto response = http_get(port(), target);
        ASSERT_TRUE(response) << target;
        EXPECT_TRUE(response->status == 404 || response->status == 400)
            << target << " gave " << response->status;
        EXPECT_EQ(response->body.find("cmake_minimum_required"), std::string::npos);
        EXPECT_EQ(response->body.find("root:"), std::string::npos);
    }
    expect_still_serving();
}

TEST_F(HttpServerTest, StaticFilesHaveEtagAndFingerprintedCaching) {
    auto page = http_get(port(), "/");
    ASSERT_TRUE(page);
    auto start = page->body.find("/static/css/app.");
    ASSERT_NE(start, std::string::npos);
    std::string url = page->body.substr(start, page->body.find('"', start) - start);

    auto fingerprinted = http_get(port(), url);
    ASSERT_TRUE(fingerprinted);
    EXPECT_EQ(fingerprinted->status, 200);
    EXPECT_EQ(fingerprinted->header("cache-control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(fingerprinted->header("content-type"), "text/css; charset=utf-8");

    auto plain = http_get(port(), "/static/css/app.css");
    ASSERT_TRUE(plain);
    EXPECT_EQ(plain->header("cache-control"), "no-cache");
    std::string etag = plain->header("etag");
    ASSERT_FALSE(etag.empty());
    auto revalidated = http_get(port(), "/static/css/app.css", "If-None-Match: " + etag + "\r\n");
    ASSERT_TRUE(revalidated);
    EXPECT_EQ(revalidated->status, 304);
}

TEST_F(HttpServerTest, StalledClientMidHeaderIsDisconnected) {
    RawConnection stalled(port());
    ASSERT_TRUE(stalled.send("GET / HTTP/1.1\r\nHost: x\r\n")); // never finishes
    EXPECT_TRUE(stalled.closed_within(6s));
    expect_still_serving();
}

TEST_F(HttpServerTest, StalledClientMidBodyIsDisconnected) {
    RawConnection stalled(port());
    ASSERT_TRUE(
        stalled.send("POST /test/form HTTP/1.1\r\nHost: x\r\nContent-Type: "
                     "application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nname="));
    EXPECT_TRUE(stalled.closed_within(6s));
    expect_still_serving();
}

TEST_F(HttpServerTest, StalledClientDoesNotBlockOthers) {
    RawConnection stalled(port());
    ASSERT_TRUE(stalled.send("GET / HTTP/1.1\r\n"));
    for (int i = 0; i < 5; ++i)
        expect_still_serving();
}

TEST_F(HttpServerTest, IdleKeepAliveConnectionIsClosedAfterIdleTimeout) {
    RawConnection connection(port());
    ASSERT_TRUE(connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_TRUE(connection.read_response());
    EXPECT_TRUE(connection.closed_within(6s));
}

TEST_F(HttpServerTest, ReadyzReportsDatabaseReachable) {
    auto response = http_get(port(), "/readyz");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
}

TEST_F(HttpServerTest, GracefulShutdownFinishesInFlightRequest) {
    RawConnection slow(port());
    ASSERT_TRUE(slow.send("GET /test/slow HTTP/1.1\r\nHost: x\r\n\r\n"));
    std::this_thread::sleep_for(100ms); // the handler is now sleeping
    RawConnection idle(port());         // an idle keep-alive connection
    m_server->begin_stop();
    auto response = slow.read_response();
    ASSERT_TRUE(response) << "in-flight request was cut off";
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "slow done");
    EXPECT_EQ(response->header("connection"), "close");
    EXPECT_TRUE(idle.closed_within(6s));
    m_server->join();
    EXPECT_THROW(RawConnection{port()}, std::runtime_error); // no longer listening
}

// /readyz on both engines: the same Application on SQLite and PostgreSQL.
class ReadyzTest : public ::testing::TestWithParam<spire::db::Engine> {};

TEST_P(ReadyzTest, DatabaseReachableOnEachEngine) {
    auto test_db = spire::test::migrated_database(GetParam());
    auto database = spire::db::Database::open(test_db->url(), 2);
    ASSERT_TRUE(database) << database.error().message;
    std::shared_ptr<spire::db::Database> shared(std::move(*database));
    spire::app::Application app({root_dir(), locale_dir(), false, "Testkommune"}, shared);
    spire::test::TestServer server(app.http_app());
    auto response = http_get(server.port(), "/readyz");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "ready\n");
}

INSTANTIATE_TEST_SUITE_P(BothEngines, ReadyzTest, ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);
