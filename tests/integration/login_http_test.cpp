// Logging in and out over loopback, on both engines, byte for byte as a
// browser does it: the login form and its CSRF cookie, the session cookie's
// attributes, the profile page, forged cookies, a wrong password answered in
// Norwegian, and logout ending the session for good.

#include "app/application.hpp"
#include "db/database.hpp"
#include "identity/service.hpp"
#include "support/app_paths.hpp"
#include "support/http_client.hpp"
#include "support/test_db.hpp"
#include "support/test_server.hpp"

#include <algorithm>
#include <chrono>
#include <gtest/gtest.h>
#include <memory>
#include <string>
#include <vector>

using namespace std::chrono_literals;
using spire::identity::Actor;
using spire::identity::Id;
using spire::identity::Role;
using spire::identity::UnitKind;
using spire::test::RawConnection;
using spire::test::RawResponse;

namespace {

constexpr const char* EMAIL = "ingrid.hansen@baerum.example";
constexpr const char* PASSWORD = "Bekkestua-2017!";

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::vector<std::string> set_cookies(const RawResponse& response) {
    std::vector<std::string> cookies;
    auto [begin, end] = response.headers.equal_range("set-cookie");
    for (auto it = begin; it != end; ++it)
        cookies.push_back(it->second);
    return cookies;
}

// The whole Set-Cookie line for cookie `name`, or empty.
std::string set_cookie_line(const RawResponse& response, const std::string& name) {
    for (const auto& line : set_cookies(response)) {
        if (line.starts_with(name + "="))
            return line;
    }
    return {};
}

std::string cookie_value(const std::string& set_cookie_line) {
    auto equals = set_cookie_line.find('=');
    if (equals == std::string::npos)
        return {};
    std::string rest = set_cookie_line.substr(equals + 1);
    return rest.substr(0, rest.find(';'));
}

// The attributes after name=value, as written ("Path=/", "Secure", ...).
std::vector<std::string> cookie_attributes(const std::string& set_cookie_line) {
    std::vector<std::string> attributes;
    std::size_t at = set_cookie_line.find(';');
    while (at != std::string::npos) {
        std::size_t begin = set_cookie_line.find_first_not_of(' ', at + 1);
        std::size_t end = set_cookie_line.find(';', begin);
        attributes.push_back(set_cookie_line.substr(begin, end - begin));
        at = end;
    }
    return attributes;
}

bool has_attribute(const std::vector<std::string>& attributes, const std::string& wanted) {
    return std::find(attributes.begin(), attributes.end(), wanted) != attributes.end();
}

// The value of the first hidden `_csrf` field on a page.
std::string form_csrf(const std::string& body) {
    const std::string marker = "name=\"_csrf\" value=\"";
    auto at = body.find(marker);
    if (at == std::string::npos)
        return {};
    at += marker.size();
    return body.substr(at, body.find('"', at) - at);
}

std::string url_encode(std::string_view text) {
    static const char* HEX = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += HEX[c >> 4];
            out += HEX[c & 15];
        }
    }
    return out;
}

class LoginHttpTest : public ::testing::TestWithParam<spire::db::Engine> {
protected:
    void SetUp() override {
        if (GetParam() == spire::db::Engine::Postgresql && spire::test::postgresql_skipped())
            GTEST_SKIP() << "SPIRE_TEST_SKIP_PG=1";
        m_test_db = spire::test::migrated_database(GetParam());
        auto opened = spire::db::Database::open(m_test_db->url(), 3);
        ASSERT_TRUE(opened) << opened.error().message;
        std::shared_ptr<spire::db::Database> shared(std::move(*opened));
        seed(shared);
        m_app = std::make_unique<spire::app::Application>(
            spire::app::AppConfig{spire::test::root_dir(), spire::test::locale_dir(), false,
                                  "Testkommune"},
            shared);
        spire::http::ServerConfig config;
        config.threads = 2;
        config.shutdown_deadline = 5s;
        m_server = std::make_unique<spire::test::TestServer>(m_app->http_app(), config);
    }

    void TearDown() override {
        m_server.reset();
        m_app.reset();
        m_test_db.reset();
    }

    // Bærum with one service unit and Ingrid, an applicant there and a reviewer.
    void seed(const std::shared_ptr<spire::db::Database>& database) {
        spire::identity::IdentityService service(database);
        const Actor system = Actor::system("test");
        auto organisation = service.create_organisation(system, "baerum", "Bærum kommune");
        ASSERT_TRUE(organisation);
        auto add_unit = [&](UnitKind kind, const char* name, std::optional<Id> parent) {
            spire::identity::OrgUnit input;
            input.organisation_id = *organisation;
            input.kind = kind;
            input.name = name;
            input.parent_id = parent;
            auto created = service.create_unit(system, input);
            EXPECT_TRUE(created) << name;
            return created.value_or(0);
        };
        Id sector = add_unit(UnitKind::Sector, "Oppvekst", std::nullopt);
        Id unit = add_unit(UnitKind::Unit, "Barnehager", sector);
        Id service_unit = add_unit(UnitKind::ServiceUnit, "Bekkestua barnehage", unit);
        auto user = service.create_user(
            system, {*organisation, "Ingrid Hansen", EMAIL, "+47 412 34 501", PASSWORD});
        ASSERT_TRUE(user) << user.error().message;
        ASSERT_TRUE(service.grant_role(
            system, {0, *user, *organisation, Role::Applicant, service_unit, std::nullopt}));
        ASSERT_TRUE(service.grant_role(
            system, {0, *user, *organisation, Role::Reviewer, std::nullopt, std::nullopt}));
    }

    std::uint16_t port() const { return m_server->port(); }

    RawResponse send(const std::string& request) {
        RawConnection connection(port());
        EXPECT_TRUE(connection.send(request));
        auto response = connection.read_response();
        EXPECT_TRUE(response) << "no response to " << request.substr(0, request.find('\r'));
        return response.value_or(RawResponse{});
    }

    RawResponse get(const std::string& target, const std::string& cookie = "") {
        return send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" +
                    (cookie.empty() ? "" : "Cookie: " + cookie + "\r\n") + "\r\n");
    }

    // A form POST from this site (Origin http://x) unless `origin` says otherwise.
    RawResponse post(const std::string& target, const std::string& body, const std::string& cookie,
                     const std::string& origin = "http://x") {
        return send("POST " + target + " HTTP/1.1\r\nHost: x\r\nOrigin: " + origin + "\r\n" +
                    (cookie.empty() ? "" : "Cookie: " + cookie + "\r\n") +
                    "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body);
    }

    // GET /login: the anonymous CSRF token, from the cookie.
    std::string anonymous_token() {
        return cookie_value(set_cookie_line(get("/login"), "__Host-spire_csrf"));
    }

    RawResponse post_login(const std::string& email, const std::string& password,
                           const std::string& extra = "") {
        std::string token = anonymous_token();
        return post("/login",
                    "_csrf=" + token + "&email=" + url_encode(email) +
                        "&password=" + url_encode(password) + extra,
                    "__Host-spire_csrf=" + token);
    }

    // Logs in; the session cookie's value.
    std::string log_in() {
        RawResponse response = post_login(EMAIL, PASSWORD);
        EXPECT_EQ(response.status, 303);
        return cookie_value(set_cookie_line(response, "__Host-spire"));
    }

    std::unique_ptr<spire::test::TestDatabase> m_test_db;
    std::unique_ptr<spire::app::Application> m_app;
    std::unique_ptr<spire::test::TestServer> m_server;
};

} // namespace

TEST_P(LoginHttpTest, LoginPageShowsTheFormWithCsrfTokenAndSetsTheAnonymousCookie) {
    RawResponse page = get("/login");
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(contains(page.body, "<form")) << page.body;
    EXPECT_TRUE(contains(page.body, "action=\"/login\""));
    EXPECT_TRUE(contains(page.body, "name=\"email\""));
    EXPECT_TRUE(contains(page.body, "type=\"password\""));
    EXPECT_TRUE(contains(page.body, "Logg inn"));

    std::string cookie = set_cookie_line(page, "__Host-spire_csrf");
    ASSERT_FALSE(cookie.empty());
    std::string token = cookie_value(cookie);
    EXPECT_GE(token.size(), 43u);
    EXPECT_EQ(form_csrf(page.body), token);
    auto attributes = cookie_attributes(cookie);
    EXPECT_TRUE(has_attribute(attributes, "Path=/"));
    EXPECT_TRUE(has_attribute(attributes, "Secure"));
    EXPECT_TRUE(has_attribute(attributes, "HttpOnly"));
    EXPECT_TRUE(has_attribute(attributes, "SameSite=Lax"));

    // A browser that already has the cookie keeps its token.
    RawResponse again = get("/login", "__Host-spire_csrf=" + token);
    EXPECT_EQ(form_csrf(again.body), token);
    EXPECT_TRUE(set_cookie_line(again, "__Host-spire_csrf").empty());
}

TEST_P(LoginHttpTest, PostLoginWithoutAMatchingCsrfTokenOrFromAnotherSiteIs403) {
    std::string token = anonymous_token();
    std::string credentials = "email=" + url_encode(EMAIL) + "&password=" + url_encode(PASSWORD);
    std::string cookie = "__Host-spire_csrf=" + token;

    RawResponse no_token = post("/login", credentials, cookie);
    EXPECT_EQ(no_token.status, 403);
    RawResponse no_cookie = post("/login", "_csrf=" + token + "&" + credentials, "");
    EXPECT_EQ(no_cookie.status, 403);
    RawResponse other_token =
        post("/login", "_csrf=" + anonymous_token() + "&" + credentials, cookie);
    EXPECT_EQ(other_token.status, 403);
    RawResponse other_site =
        post("/login", "_csrf=" + token + "&" + credentials, cookie, "https://evil.example");
    EXPECT_EQ(other_site.status, 403);
    for (const auto* response : {&no_token, &no_cookie, &other_token, &other_site})
        EXPECT_TRUE(set_cookie_line(*response, "__Host-spire").empty());
}

TEST_P(LoginHttpTest, RightPasswordRedirectsWithAHostOnlySecureHttpOnlySessionCookie) {
    RawResponse response = post_login(EMAIL, PASSWORD);
    EXPECT_EQ(response.status, 303);
    EXPECT_EQ(response.header("location"), "/profile");

    std::string cookie = set_cookie_line(response, "__Host-spire");
    ASSERT_FALSE(cookie.empty()) << "no session cookie";
    EXPECT_GE(cookie_value(cookie).size(), 43u);
    auto attributes = cookie_attributes(cookie);
    EXPECT_TRUE(has_attribute(attributes, "Path=/")) << cookie;
    EXPECT_TRUE(has_attribute(attributes, "Secure")) << cookie;
    EXPECT_TRUE(has_attribute(attributes, "HttpOnly")) << cookie;
    EXPECT_TRUE(has_attribute(attributes, "SameSite=Lax")) << cookie;
    for (const auto& attribute : attributes) {
        // "__Host-": no Domain, so no other host can read or set it.
        EXPECT_FALSE(attribute.starts_with("Domain")) << cookie;
        EXPECT_FALSE(attribute.starts_with("domain")) << cookie;
    }
    EXPECT_EQ(cookie,
              "__Host-spire=" + cookie_value(cookie) + "; Path=/; Secure; HttpOnly; SameSite=Lax");
}

TEST_P(LoginHttpTest, LoginGoesToTheLocalPageItWasAskedForButNeverOffSite) {
    RawResponse local = post_login(EMAIL, PASSWORD, "&next=" + url_encode("/profile?x=1"));
    EXPECT_EQ(local.status, 303);
    EXPECT_EQ(local.header("location"), "/profile?x=1");
    for (const char* offsite : {"//evil.example/", "https://evil.example/", "/\\evil.example"}) {
        RawResponse response = post_login(EMAIL, PASSWORD, "&next=" + url_encode(offsite));
        EXPECT_EQ(response.status, 303);
        EXPECT_EQ(response.header("location"), "/profile") << offsite;
    }
}

TEST_P(LoginHttpTest, ProfileWithTheSessionCookieShowsTheNameOrganisationAndRoles) {
    std::string session = log_in();
    ASSERT_FALSE(session.empty());
    RawResponse profile = get("/profile", "__Host-spire=" + session);
    EXPECT_EQ(profile.status, 200);
    EXPECT_TRUE(contains(profile.body, "Ingrid Hansen")) << profile.body;
    EXPECT_TRUE(contains(profile.body, EMAIL));
    EXPECT_TRUE(contains(profile.body, "Bærum kommune"));
    EXPECT_TRUE(contains(profile.body, "Søker"));
    EXPECT_TRUE(contains(profile.body, "Fagvurderer"));
    // The session's own CSRF token, not the anonymous one it logged in with.
    std::string csrf = form_csrf(profile.body);
    EXPECT_FALSE(csrf.empty());
    EXPECT_NE(csrf, session);
    // Logged in, /login sends you on.
    RawResponse login_page = get("/login", "__Host-spire=" + session);
    EXPECT_EQ(login_page.status, 303);
}

TEST_P(LoginHttpTest, ForgedOrGarbageSessionCookieIsTreatedAsAnonymous) {
    std::string real = log_in();
    ASSERT_FALSE(real.empty());
    std::string forged = real;
    forged[5] = forged[5] == 'A' ? 'B' : 'A';
    for (const std::string& value :
         {forged, std::string(43, 'A'), std::string("garbage"), std::string("a;b=c"),
          std::string(300, 'x'), std::string("%00%ff"), std::string()}) {
        RawResponse profile = get("/profile", "__Host-spire=" + value);
        EXPECT_EQ(profile.status, 303) << value;
        EXPECT_EQ(profile.header("location"), "/login?next=/profile") << value;
    }
    EXPECT_EQ(get("/profile").status, 303);
}

TEST_P(LoginHttpTest, WrongPasswordGives400InNorwegianWithTheEmailKept) {
    RawResponse response = post_login(EMAIL, "not-the-password");
    EXPECT_EQ(response.status, 400);
    EXPECT_TRUE(set_cookie_line(response, "__Host-spire").empty());
    EXPECT_TRUE(contains(response.body, "<html lang=\"nb\""));
    EXPECT_TRUE(contains(response.body, "E-postadressen eller passordet er feil."))
        << response.body;
    EXPECT_TRUE(contains(response.body, std::string("value=\"") + EMAIL + "\""));
    EXPECT_TRUE(contains(response.body, "aria-invalid=\"true\""));
    EXPECT_FALSE(contains(response.body, "not-the-password"));
    // The form can be sent again: it carries a token.
    EXPECT_FALSE(form_csrf(response.body).empty());

    // An unknown user gets exactly the same answer.
    RawResponse unknown = post_login("nobody@baerum.example", "not-the-password");
    EXPECT_EQ(unknown.status, 400);
    EXPECT_TRUE(contains(unknown.body, "E-postadressen eller passordet er feil."));
}

TEST_P(LoginHttpTest, LogoutClearsTheCookieAndTheOldCookieNoLongerWorks) {
    std::string session = log_in();
    ASSERT_FALSE(session.empty());
    std::string cookie = "__Host-spire=" + session;
    std::string csrf = form_csrf(get("/profile", cookie).body);
    ASSERT_FALSE(csrf.empty());

    // Logout is a state change too: without the token it is refused.
    EXPECT_EQ(post("/logout", "", cookie).status, 403);
    EXPECT_EQ(get("/profile", cookie).status, 200);

    RawResponse logout = post("/logout", "_csrf=" + csrf, cookie);
    EXPECT_EQ(logout.status, 303);
    std::string cleared = set_cookie_line(logout, "__Host-spire");
    ASSERT_FALSE(cleared.empty());
    EXPECT_EQ(cookie_value(cleared), "");
    EXPECT_TRUE(has_attribute(cookie_attributes(cleared), "Max-Age=0")) << cleared;
    EXPECT_TRUE(has_attribute(cookie_attributes(cleared), "Path=/")) << cleared;
    EXPECT_TRUE(has_attribute(cookie_attributes(cleared), "Secure")) << cleared;

    // A copy of the old cookie (a second tab, an attacker) is worth nothing now.
    RawResponse after = get("/profile", cookie);
    EXPECT_EQ(after.status, 303);
    EXPECT_EQ(after.header("location"), "/login?next=/profile");
}

INSTANTIATE_TEST_SUITE_P(BothEngines, LoginHttpTest, ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);
