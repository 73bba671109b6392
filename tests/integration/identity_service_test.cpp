// IdentityService on both engines: login, sessions and their expiry,
// throttling, logout, passwords, validation, grants, tenant isolation, and
// the rule that every change writes exactly one audit entry (and a refused
// one none).

#include "app/demo.hpp"
#include "core/time.hpp"
#include "db/database.hpp"
#include "identity/audit_service.hpp"
#include "identity/service.hpp"
#include "support/test_db.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace {

using namespace std::chrono_literals;
using spire::ErrorKind;
using spire::identity::Actor;
using spire::identity::AuditEntry;
using spire::identity::AuditFilter;
using spire::identity::Grant;
using spire::identity::Id;
using spire::identity::IdentityService;
using spire::identity::NewUser;
using spire::identity::OrgUnit;
using spire::identity::Principal;
using spire::identity::Role;
using spire::identity::SessionPolicy;
using spire::identity::UnitKind;

constexpr const char* PASSWORD = "correct-horse-battery";
constexpr const char* ADDRESS = "192.0.2.10";

bool has_field(const spire::Error& error, const std::string& field) {
    return std::any_of(error.fields.begin(), error.fields.end(),
                       [&](const spire::FieldError& f) { return f.field == field; });
}

class IdentityServiceTest : public spire::test::MigratedDatabaseTest {
protected:
    void SetUp() override {
        MigratedDatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        // The service owns its database through a shared_ptr: a second pool
        // on the same test database, as the application opens it.
        auto opened = spire::db::Database::open(test_database().url(), 2);
        ASSERT_TRUE(opened) << opened.error().message << ": " << opened.error().detail;
        m_shared = std::shared_ptr<spire::db::Database>(std::move(*opened));
        m_service = std::make_unique<IdentityService>(m_shared);
    }

    void TearDown() override {
        m_service.reset();
        m_shared.reset();
        MigratedDatabaseTest::TearDown();
    }

    IdentityService& service() { return *m_service; }

    Id organisation(const std::string& slug, const std::string& name = "Testkommune") {
        auto id = service().create_organisation(Actor::system("test"), slug, name);
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        return id.value_or(0);
    }

    Id unit(Id organisation_id, std::optional<Id> parent, UnitKind kind, const std::string& name) {
        OrgUnit input;
        input.organisation_id = organisation_id;
        input.parent_id = parent;
        input.kind = kind;
        input.name = name;
        auto id = service().create_unit(Actor::system("test"), input);
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        return id.value_or(0);
    }

    // Oppvekst -> Barnehager -> <name>: a service unit in the organisation.
    Id service_unit(Id organisation_id, const std::string& name = "Bekkestua barnehage") {
        Id sector = unit(organisation_id, std::nullopt, UnitKind::Sector, "Oppvekst");
        Id parent = unit(organisation_id, sector, UnitKind::Unit, "Barnehager");
        return unit(organisation_id, parent, UnitKind::ServiceUnit, name);
    }

    Id user(Id organisation_id, const std::string& email, const std::string& password = PASSWORD,
            const std::string& name = "Ingrid Hansen") {
        NewUser input;
        input.organisation_id = organisation_id;
        input.email = email;
        input.name = name;
        input.password = password;
        auto id = service().create_user(Actor::system("test"), input);
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        return id.value_or(0);
    }

    Id grant(Id organisation_id, Id user_id, Role role, std::optional<Id> unit_id = std::nullopt) {
        Grant input;
        input.organisation_id = organisation_id;
        input.user_id = user_id;
        input.role = role;
        input.unit_id = unit_id;
        auto id = service().grant_role(Actor::system("test"), input);
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        return id.value_or(0);
    }

    std::string login(const std::string& email, const std::string& password = PASSWORD) {
        auto session = service().login(email, password, ADDRESS, "req-test");
        EXPECT_TRUE(session) << (session ? "" : session.error().message);
        return session ? session->token : std::string();
    }

    long long count(const std::string& table) {
        return db().read([&](soci::session& sql) {
            long long n = 0;
            sql << "SELECT COUNT(*) FROM " + table, soci::into(n);
            return n;
        });
    }

    // The organisation's audit entries through the audit page's query,
    // newest first.
    std::vector<AuditEntry> audit_of(Id organisation_id) {
        AuditFilter filter;
        filter.organisation_id = organisation_id;
        filter.per_page = spire::identity::MAX_AUDIT_PER_PAGE;
        auto page = db().read(
            [&](soci::session& sql) { return spire::identity::list_audit(sql, engine(), filter); });
        EXPECT_TRUE(page) << (page ? "" : page.error().message);
        return page ? page->entries : std::vector<AuditEntry>{};
    }

    std::string newest_action() {
        return db().read([&](soci::session& sql) {
            std::string action;
            sql << "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1", soci::into(action);
            return action;
        });
    }

    // Moves a session's clock: its last activity and absolute expiry.
    void set_session_times(const std::string& token, spire::TimePoint last_seen,
                           spire::TimePoint expires) {
        auto found = service().authenticate(token);
        ASSERT_TRUE(found);
        std::string hash = found->token_hash;
        std::string seen_text = spire::to_db_time(last_seen);
        std::string expires_text = spire::to_db_time(expires);
        db().transact([&](soci::session& sql) {
            sql << "UPDATE user_session SET last_seen_at = :seen, expires_at = :expires "
                   "WHERE token_hash = :hash",
                soci::use(seen_text, "seen"), soci::use(expires_text, "expires"),
                soci::use(hash, "hash");
        });
        // Changed behind the service's back, as another process would.
        service().forget_cached_sessions();
    }

    std::shared_ptr<spire::db::Database> m_shared;
    std::unique_ptr<IdentityService> m_service;
};

// --- Login and sessions ------------------------------------------------------

TEST_P(IdentityServiceTest, LoginReturnsTokenWhoseSessionAuthenticatesToThePrincipalWithGrants) {
    Id baerum = organisation("baerum", "Bærum kommune");
    Id unit_id = service_unit(baerum);
    Id user_id = user(baerum, "Ingrid.Hansen@Baerum.Example");
    grant(baerum, user_id, Role::Applicant, unit_id);
    grant(baerum, user_id, Role::Reviewer);

    auto session = service().login(" ingrid.hansen@baerum.example ", PASSWORD, ADDRESS, "req-1");
    ASSERT_TRUE(session) << session.error().message;
    EXPECT_GE(session->token.size(), 43u); // 256 bits
    EXPECT_FALSE(session->csrf_token.empty());
    EXPECT_NE(session->token, session->csrf_token);

    auto found = service().authenticate(session->token);
    ASSERT_TRUE(found);
    const Principal& principal = found->principal;
    EXPECT_EQ(principal.user_id, user_id);
    EXPECT_EQ(principal.organisation_id, baerum);
    EXPECT_EQ(principal.name, "Ingrid Hansen");
    EXPECT_EQ(principal.email, "ingrid.hansen@baerum.example");
    ASSERT_EQ(principal.grants.size(), 2u);
    EXPECT_TRUE(principal.has_role(Role::Applicant));
    EXPECT_TRUE(principal.has_role(Role::Reviewer));
    EXPECT_FALSE(principal.has_role(Role::Admin));
    EXPECT_TRUE(principal.has_role_for_unit(Role::Applicant, unit_id));
    EXPECT_FALSE(principal.has_role_for_unit(Role::Applicant, unit_id + 1000));
    EXPECT_EQ(found->csrf_token, session->csrf_token);

    // Only a hash of the token is stored.
    EXPECT_NE(found->token_hash, session->token);
    long long stored_plain = db().read([&](soci::session& sql) {
        long long n = 0;
        sql << "SELECT COUNT(*) FROM user_session WHERE token_hash = :t",
            soci::use(session->token, "t"), soci::into(n);
        return n;
    });
    EXPECT_EQ(stored_plain, 0);

    EXPECT_FALSE(service().authenticate(""));
    EXPECT_FALSE(service().authenticate("not-a-session-token-at-all-but-long-enough-xxxxx"));
    EXPECT_FALSE(service().authenticate(std::string(500, 'a')));
}

TEST_P(IdentityServiceTest, WrongPasswordAndUnknownUserGetTheSameMessage) {
    Id baerum = organisation("baerum");
    user(baerum, "ingrid@baerum.example");

    auto wrong_password =
        service().login("ingrid@baerum.example", "wrong-password-1", ADDRESS, "r");
    auto unknown_user = service().login("nobody@baerum.example", PASSWORD, ADDRESS, "r");
    auto not_an_address = service().login("nobody", PASSWORD, ADDRESS, "r");
    auto empty_password = service().login("ingrid@baerum.example", "", ADDRESS, "r");
    for (const auto* result : {&wrong_password, &unknown_user, &not_an_address, &empty_password}) {
        ASSERT_FALSE(*result);
        EXPECT_EQ(result->error().kind, ErrorKind::Invalid);
        EXPECT_EQ(result->error().message, wrong_password.error().message);
        EXPECT_TRUE(result->error().fields.empty());
    }
    EXPECT_EQ(count("user_session"), 0);
}

TEST_P(IdentityServiceTest, UserWithoutPasswordCannotLogIn) {
    Id baerum = organisation("baerum");
    user(baerum, "nopassword@baerum.example", "");
    auto attempt = service().login("nopassword@baerum.example", "", ADDRESS, "r");
    ASSERT_FALSE(attempt);
    auto guess = service().login("nopassword@baerum.example", PASSWORD, ADDRESS, "r");
    ASSERT_FALSE(guess);
    EXPECT_EQ(guess.error().kind, ErrorKind::Invalid);
}

TEST_P(IdentityServiceTest, InactiveUserCannotLogInAndTheirSessionsEnd) {
    Id baerum = organisation("baerum");
    Id user_id = user(baerum, "ingrid@baerum.example");
    std::string token = login("ingrid@baerum.example");
    ASSERT_TRUE(service().authenticate(token));

    ASSERT_TRUE(service().set_user_active(Actor::system("test"), baerum, user_id, false));
    EXPECT_FALSE(service().authenticate(token));

    auto refused = service().login("ingrid@baerum.example", PASSWORD, ADDRESS, "r");
    auto wrong = service().login("nobody@baerum.example", PASSWORD, ADDRESS, "r");
    ASSERT_FALSE(refused);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(refused.error().message, wrong.error().message); // no hint that the account exists

    ASSERT_TRUE(service().set_user_active(Actor::system("test"), baerum, user_id, true));
    EXPECT_FALSE(service().authenticate(token)); // ended, not paused
    EXPECT_FALSE(login("ingrid@baerum.example").empty());
}

TEST_P(IdentityServiceTest, SixthAttemptAfterFiveFailuresIsRateLimitedEvenWithTheRightPassword) {
    Id baerum = organisation("baerum");
    user(baerum, "ingrid@baerum.example");
    user(baerum, "lars@baerum.example");
    for (int i = 0; i < 5; ++i) {
        auto failed = service().login("ingrid@baerum.example",
                                      "wrong-password-" + std::to_string(i), ADDRESS, "r");
        ASSERT_FALSE(failed);
        EXPECT_EQ(failed.error().kind, ErrorKind::Invalid) << "attempt " << i + 1;
    }
    auto sixth = service().login("ingrid@baerum.example", PASSWORD, ADDRESS, "r");
    ASSERT_FALSE(sixth);
    EXPECT_EQ(sixth.error().kind, ErrorKind::RateLimited);
    EXPECT_EQ(count("user_session"), 0);
    // Upper case or spaces are the same account, not a way round the limit.
    auto disguised = service().login(" INGRID@baerum.example", PASSWORD, ADDRESS, "r");
    ASSERT_FALSE(disguised);
    EXPECT_EQ(disguised.error().kind, ErrorKind::RateLimited);

    // Another account, even from the same address, is not locked out.
    EXPECT_FALSE(login("lars@baerum.example").empty());
}

TEST_P(IdentityServiceTest, SessionPastIdleTimeNoLongerAuthenticates) {
    Id baerum = organisation("baerum");
    user(baerum, "ingrid@baerum.example");

    // A policy with no idle time at all: the session is stale at once.
    SessionPolicy tiny;
    tiny.idle = 0min;
    IdentityService strict(m_shared, tiny);
    auto session = strict.login("ingrid@baerum.example", PASSWORD, ADDRESS, "r");
    ASSERT_TRUE(session);
    EXPECT_FALSE(strict.authenticate(session->token));

    // The default policy: fine now, not after an hour without activity.
    std::string token = login("ingrid@baerum.example");
    ASSERT_TRUE(service().authenticate(token));
    auto now = spire::Clock::now();
    set_session_times(token, now - service().policy().idle + 1min, now + 1h);
    EXPECT_TRUE(service().authenticate(token));
    set_session_times(token, now - service().policy().idle - 1s, now + 1h);
    EXPECT_FALSE(service().authenticate(token));
}

TEST_P(IdentityServiceTest, SessionPastAbsoluteExpiryNoLongerAuthenticatesEvenWhenActive) {
    Id baerum = organisation("baerum");
    user(baerum, "ingrid@baerum.example");

    SessionPolicy tiny;
    tiny.absolute = 0h;
    IdentityService strict(m_shared, tiny);
    auto session = strict.login("ingrid@baerum.example", PASSWORD, ADDRESS, "r");
    ASSERT_TRUE(session);
    EXPECT_FALSE(strict.authenticate(session->token));

    std::string token = login("ingrid@baerum.example");
    auto now = spire::Clock::now();
    set_session_times(token, now, now - 1s); // active a moment ago, but over its lifetime
    EXPECT_FALSE(service().authenticate(token));
}

TEST_P(IdentityServiceTest, ActivityKeepsAnIdleSessionAlive) {
    Id baerum = organisation("baerum");
    user(baerum, "ingrid@baerum.example");
    std::string token = login("ingrid@baerum.example");
    auto now = spire::Clock::now();
    // Last seen 50 minutes ago: still valid, and this request records activity.
    set_session_times(token, now - 50min, now + 1h);
    ASSERT_TRUE(service().authenticate(token));
    std::string last_seen = db().read([&](soci::session& sql) {
        std::string text;
        sql << "SELECT last_seen_at FROM user_session", soci::into(text);
        return text;
    });
    auto seen = spire::from_db_time(last_seen);
    ASSERT_TRUE(seen);
    EXPECT_GT(*seen, now - 1min);
}

TEST_P(IdentityServiceTest, LogoutEndsOnlyThatSession) {
    Id baerum = organisation("baerum");
    user(baerum, "ingrid@baerum.example");
    std::string laptop = login("ingrid@baerum.example");
    std::string phone = login("ingrid@baerum.example");

    service().logout(laptop, "req-logout");
    EXPECT_FALSE(service().authenticate(laptop));
    EXPECT_TRUE(service().authenticate(phone));
    // Logging out an unknown or ended session is harmless.
    long long entries = count("audit_log");
    service().logout(laptop, "req-logout");
    service().logout("", "req-logout");
    EXPECT_EQ(count("audit_log"), entries);
}

TEST_P(IdentityServiceTest, LogoutEverywhereEndsAllSessionsOfThatUserOnly) {
    Id baerum = organisation("baerum");
    user(baerum, "ingrid@baerum.example");
    user(baerum, "lars@baerum.example");
    std::string first = login("ingrid@baerum.example");
    std::string second = login("ingrid@baerum.example");
    std::string other = login("lars@baerum.example");

    auto session = service().authenticate(first);
    ASSERT_TRUE(session);
    auto ended = service().logout_everywhere(Actor::web(&session->principal, "req-all"));
    ASSERT_TRUE(ended) << ended.error().message;
    EXPECT_EQ(*ended, 2);
    EXPECT_FALSE(service().authenticate(first));
    EXPECT_FALSE(service().authenticate(second));
    EXPECT_TRUE(service().authenticate(other));

    auto anonymous = service().logout_everywhere(Actor::web(nullptr, "req-anon"));
    ASSERT_FALSE(anonymous);
    EXPECT_EQ(anonymous.error().kind, ErrorKind::Unauthenticated);
}

TEST_P(IdentityServiceTest, SetPasswordEndsSessionsAndOnlyTheNewPasswordWorks) {
    Id baerum = organisation("baerum");
    user(baerum, "ingrid@baerum.example");
    std::string token = login("ingrid@baerum.example");

    ASSERT_TRUE(service().set_password(Actor::system("test"), "ingrid@baerum.example",
                                       "a-brand-new-password"));
    EXPECT_FALSE(service().authenticate(token));
    EXPECT_FALSE(service().login("ingrid@baerum.example", PASSWORD, ADDRESS, "r"));
    EXPECT_TRUE(service().login("ingrid@baerum.example", "a-brand-new-password", ADDRESS, "r"));

    auto too_short =
        service().set_password(Actor::system("test"), "ingrid@baerum.example", "short");
    ASSERT_FALSE(too_short);
    EXPECT_EQ(too_short.error().kind, ErrorKind::Invalid);
    auto unknown = service().set_password(Actor::system("test"), "nobody@baerum.example",
                                          "long-enough-password");
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().kind, ErrorKind::NotFound);
}

// --- Users: validation writes nothing -----------------------------------------

TEST_P(IdentityServiceTest, CreateUserValidationGivesFieldErrorsAndWritesNothing) {
    Id baerum = organisation("baerum");
    user(baerum, "taken@baerum.example");
    const long long users = count("app_user");
    const long long entries = count("audit_log");
    const std::size_t listed = audit_of(baerum).size();

    struct Case {
        std::string what;
        NewUser input;
        std::string field;
    };
    std::vector<Case> cases = {
        {"short password",
         {baerum, "Ola Nordmann", "ola@baerum.example", "", "elevenchars"},
         "password"},
        {"bad e-mail", {baerum, "Ola Nordmann", "ola.baerum.example", "", PASSWORD}, "email"},
        {"duplicate e-mail",
         {baerum, "Ola Nordmann", "TAKEN@baerum.example", "", PASSWORD},
         "email"},
        {"no name", {baerum, "   ", "ola@baerum.example", "", PASSWORD}, "name"},
        {"long name", {baerum, std::string(201, 'x'), "ola@baerum.example", "", PASSWORD}, "name"},
    };
    for (const auto& c : cases) {
        auto created = service().create_user(Actor::system("test"), c.input);
        ASSERT_FALSE(created) << c.what;
        EXPECT_EQ(created.error().kind, ErrorKind::Invalid) << c.what;
        EXPECT_TRUE(has_field(created.error(), c.field)) << c.what;
    }
    EXPECT_EQ(count("app_user"), users);
    EXPECT_EQ(count("audit_log"), entries);
    EXPECT_EQ(audit_of(baerum).size(), listed);

    // Twelve characters is enough.
    NewUser twelve{baerum, "Ola Nordmann", "ola@baerum.example", "", "twelve-chars"};
    EXPECT_TRUE(service().create_user(Actor::system("test"), twelve));
}

TEST_P(IdentityServiceTest, CreateUserInUnknownOrganisationWritesNothing) {
    organisation("baerum");
    const long long entries = count("audit_log");
    NewUser input{9999, "Ola Nordmann", "ola@baerum.example", "", PASSWORD};
    auto created = service().create_user(Actor::system("test"), input);
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().kind, ErrorKind::NotFound);
    EXPECT_EQ(count("app_user"), 0);
    EXPECT_EQ(count("audit_log"), entries);
}

// --- The audit rule -------------------------------------------------------------

TEST_P(IdentityServiceTest, EveryStateChangeWritesExactlyOneAuditEntry) {
    const Actor system = Actor::system("test");
    long long entries = count("audit_log");
    // Runs a change and checks it added one entry with this action.
    auto expect_one = [&](const std::string& action, auto&& change) {
        change();
        EXPECT_EQ(count("audit_log"), entries + 1) << action;
        EXPECT_EQ(newest_action(), action);
        entries = count("audit_log");
    };
    Id baerum = 0, sector = 0, unit_id = 0, user_id = 0, grant_id = 0;
    std::string token;
    expect_one("organisation.create", [&] { baerum = organisation("baerum"); });
    expect_one("unit.create", [&] { sector = unit(baerum, std::nullopt, UnitKind::Sector, "A"); });
    expect_one("unit.create", [&] { unit_id = unit(baerum, sector, UnitKind::Unit, "B"); });
    expect_one("unit.update", [&] {
        OrgUnit renamed{unit_id, baerum, sector, UnitKind::Unit, "Barnehager", true};
        ASSERT_TRUE(service().update_unit(system, renamed));
    });
    expect_one("user.create", [&] { user_id = user(baerum, "ingrid@baerum.example"); });
    expect_one("grant.add", [&] { grant_id = grant(baerum, user_id, Role::Admin); });
    expect_one("grant.add", [&] { grant(baerum, user_id, Role::Auditor); });
    expect_one("grant.remove",
               [&] { ASSERT_TRUE(service().revoke_grant(system, baerum, grant_id)); });
    expect_one("user.deactivate",
               [&] { ASSERT_TRUE(service().set_user_active(system, baerum, user_id, false)); });
    expect_one("user.activate",
               [&] { ASSERT_TRUE(service().set_user_active(system, baerum, user_id, true)); });
    expect_one("user.set_password", [&] {
        ASSERT_TRUE(service().set_password(system, "ingrid@baerum.example", "another-password"));
    });
    expect_one("login.failure", [&] {
        EXPECT_FALSE(service().login("ingrid@baerum.example", "wrong-password", ADDRESS, "r"));
    });
    expect_one("login.failure",
               [&] { EXPECT_FALSE(service().login("nobody@baerum.example", "x", ADDRESS, "r")); });
    expect_one("login.success",
               [&] { token = login("ingrid@baerum.example", "another-password"); });
    expect_one("logout", [&] { service().logout(token, "req-logout"); });
    expect_one("logout.everywhere", [&] {
        token = login("ingrid@baerum.example", "another-password");
        entries = count("audit_log"); // the login above is not what is checked here
        auto session = service().authenticate(token);
        ASSERT_TRUE(session);
        ASSERT_TRUE(service().logout_everywhere(Actor::web(&session->principal, "req")));
    });

    // Nothing that changes nothing is recorded: granting twice, setting the
    // same state, authenticating.
    grant(baerum, user_id, Role::Auditor);
    ASSERT_TRUE(service().set_user_active(system, baerum, user_id, true));
    token = login("ingrid@baerum.example", "another-password");
    entries = count("audit_log");
    EXPECT_TRUE(service().authenticate(token));
    EXPECT_EQ(count("audit_log"), entries);

    // The chain the entries form is intact.
    auto verification = db().read(
        [&](soci::session& sql) { return spire::identity::verify_audit_chain(sql, engine()); });
    EXPECT_TRUE(verification.ok) << verification.problem;
}

TEST_P(IdentityServiceTest, AuditEntriesOfAnOrganisationNameWhatAndWhoWithoutSecrets) {
    Id baerum = organisation("baerum", "Bærum kommune");
    Id user_id = user(baerum, "ingrid@baerum.example");
    std::string token = login("ingrid@baerum.example");
    auto session = service().authenticate(token);
    ASSERT_TRUE(session);
    ASSERT_TRUE(service().logout_everywhere(Actor::web(&session->principal, "req-everywhere")));

    auto entries = audit_of(baerum);
    ASSERT_EQ(entries.size(), 4u); // newest first
    EXPECT_EQ(entries[0].action, "logout.everywhere");
    EXPECT_EQ(entries[0].actor_user_id, user_id);
    EXPECT_EQ(entries[0].request_id, "req-everywhere");
    EXPECT_EQ(entries[1].action, "login.success");
    EXPECT_EQ(entries[1].target_id, std::to_string(user_id));
    EXPECT_EQ(entries[2].action, "user.create");
    EXPECT_EQ(entries[2].summary, "Ingrid Hansen <ingrid@baerum.example>");
    EXPECT_EQ(entries[3].action, "organisation.create");
    for (const auto& entry : entries) {
        EXPECT_EQ(entry.summary.find(PASSWORD), std::string::npos);
        EXPECT_EQ(entry.summary.find(token), std::string::npos);
    }
}

// --- Grants -------------------------------------------------------------------------

TEST_P(IdentityServiceTest, GrantRoleRefusesWrongScopesAndOtherOrganisationsUnits) {
    const Actor system = Actor::system("test");
    Id baerum = organisation("baerum");
    Id asker = organisation("asker");
    Id baerum_unit = service_unit(baerum);
    Id asker_unit = service_unit(asker, "Hvalstad skole");
    Id user_id = user(baerum, "ingrid@baerum.example");
    Id asker_user = user(asker, "kristin@asker.example");
    const long long grants = count("role_grant");
    const long long entries = count("audit_log");

    auto refused = [&](Grant g, ErrorKind kind, const std::string& what) {
        auto granted = service().grant_role(system, g);
        EXPECT_FALSE(granted) << what;
        if (granted)
            return spire::Error{};
        EXPECT_EQ(granted.error().kind, kind) << what;
        return granted.error();
    };
    // A unit-scoped role needs its unit.
    auto no_unit = refused({0, user_id, baerum, Role::Applicant, std::nullopt, std::nullopt},
                           ErrorKind::Invalid, "applicant without unit");
    EXPECT_TRUE(has_field(no_unit, "unit_id"));
    refused({0, user_id, baerum, Role::UnitLeader, std::nullopt, std::nullopt}, ErrorKind::Invalid,
            "unit leader without unit");
    // Another organisation's unit is no unit here.
    auto foreign = refused({0, user_id, baerum, Role::Applicant, asker_unit, std::nullopt},
                           ErrorKind::Invalid, "unit of another organisation");
    EXPECT_TRUE(has_field(foreign, "unit_id"));
    // Organisation-wide roles take no unit; only fund roles take a fund.
    refused({0, user_id, baerum, Role::Admin, baerum_unit, std::nullopt}, ErrorKind::Invalid,
            "admin limited to a unit");
    refused({0, user_id, baerum, Role::Auditor, std::nullopt, 7}, ErrorKind::Invalid,
            "auditor limited to a fund");
    // A user of another organisation cannot be given a role here.
    refused({0, asker_user, baerum, Role::Admin, std::nullopt, std::nullopt}, ErrorKind::NotFound,
            "user of another organisation");
    EXPECT_EQ(count("role_grant"), grants);
    EXPECT_EQ(count("audit_log"), entries);

    // The right scopes are accepted.
    EXPECT_TRUE(service().grant_role(
        system, {0, user_id, baerum, Role::Applicant, baerum_unit, std::nullopt}));
    EXPECT_TRUE(
        service().grant_role(system, {0, user_id, baerum, Role::Reviewer, std::nullopt, 7}));
    EXPECT_EQ(count("role_grant"), grants + 2);
}

TEST_P(IdentityServiceTest, WebActorsNeedTheAdminRoleInTheirOwnOrganisation) {
    Id baerum = organisation("baerum");
    Id asker = organisation("asker");
    Id admin_id = user(baerum, "admin@baerum.example");
    grant(baerum, admin_id, Role::Admin);
    Id applicant_id = user(baerum, "applicant@baerum.example");
    grant(baerum, applicant_id, Role::Applicant, service_unit(baerum));
    auto admin = service().authenticate(login("admin@baerum.example"));
    auto applicant = service().authenticate(login("applicant@baerum.example"));
    ASSERT_TRUE(admin);
    ASSERT_TRUE(applicant);
    const long long entries = count("audit_log");

    NewUser input{baerum, "Ola Nordmann", "ola@baerum.example", "", ""};
    auto by_applicant = service().create_user(Actor::web(&applicant->principal, "r"), input);
    ASSERT_FALSE(by_applicant);
    EXPECT_EQ(by_applicant.error().kind, ErrorKind::Forbidden);

    NewUser in_asker{asker, "Ola Nordmann", "ola@asker.example", "", ""};
    auto across = service().create_user(Actor::web(&admin->principal, "r"), in_asker);
    ASSERT_FALSE(across);
    EXPECT_EQ(across.error().kind, ErrorKind::NotFound); // another tenant does not exist
    auto listing = service().search_users(Actor::web(&admin->principal, "r"), asker, "", 1, 20);
    ASSERT_FALSE(listing);
    EXPECT_EQ(listing.error().kind, ErrorKind::NotFound);
    auto organisation_by_web =
        service().create_organisation(Actor::web(&admin->principal, "r"), "oslo", "Oslo");
    ASSERT_FALSE(organisation_by_web);
    EXPECT_EQ(organisation_by_web.error().kind, ErrorKind::Forbidden);
    EXPECT_EQ(count("audit_log"), entries);

    auto by_admin = service().create_user(Actor::web(&admin->principal, "req-admin"), input);
    ASSERT_TRUE(by_admin) << by_admin.error().message;
    auto entries_now = audit_of(baerum);
    ASSERT_FALSE(entries_now.empty());
    EXPECT_EQ(entries_now.front().action, "user.create");
    EXPECT_EQ(entries_now.front().actor_user_id, admin_id);
    EXPECT_EQ(entries_now.front().request_id, "req-admin");
}

// --- Demo data (spire demo) -----------------------------------------------------------

TEST_P(IdentityServiceTest, DemoUsersLogInWithTheirOwnRoleAndEachTenantSeesOnlyItself) {
    auto demo = spire::app::create_demo_identity(service(), spire::app::DEMO_PASSWORD);
    ASSERT_TRUE(demo) << demo.error().message;
    EXPECT_EQ(demo->logins.size(), 15u); // five reviewers for the review round
    EXPECT_GE(demo->baerum_units.size(), 20u);

    auto applicant = service().authenticate(login("applicant@baerum.example", "spire-demo-2017"));
    ASSERT_TRUE(applicant);
    ASSERT_EQ(applicant->principal.grants.size(), 1u);
    EXPECT_EQ(applicant->principal.grants[0].role, Role::Applicant);
    EXPECT_EQ(applicant->principal.grants[0].unit_id, demo->baerum_units.at("Bekkestua barnehage"));
    EXPECT_EQ(applicant->principal.organisation_id, demo->baerum);

    auto admin = service().authenticate(login("admin@asker.example", "spire-demo-2017"));
    ASSERT_TRUE(admin);
    EXPECT_TRUE(admin->principal.has_role(Role::Admin));
    Actor asker_admin = Actor::web(&admin->principal, "r");
    auto own = service().search_users(asker_admin, demo->asker, "", 1, 50);
    ASSERT_TRUE(own);
    EXPECT_EQ(own->total, 2);
    auto other = service().search_users(asker_admin, demo->baerum, "", 1, 50);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().kind, ErrorKind::NotFound);

    // Every demo change went through the service: audited, in an intact chain.
    auto verification = db().read(
        [&](soci::session& sql) { return spire::identity::verify_audit_chain(sql, engine()); });
    EXPECT_TRUE(verification.ok) << verification.problem;
    EXPECT_GE(verification.checked,
              2 + 12 + 12 + static_cast<long long>(demo->baerum_units.size()));
}

INSTANTIATE_TEST_SUITE_P(BothEngines, IdentityServiceTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
