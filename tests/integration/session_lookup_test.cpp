// store::find_session_with_user on both engines. Its statement is prepared
// once per pooled connection and its bound variables are reused, so these
// tests run many lookups on one connection and check that each one returns
// exactly its own row and nothing left over from the one before.

#include "core/time.hpp"
#include "db/database.hpp"
#include "identity/store.hpp"
#include "support/test_db.hpp"

#include <gtest/gtest.h>
#include <map>
#include <optional>
#include <soci/soci.h>
#include <string>
#include <vector>

namespace {

using spire::db::Connection;
using spire::db::Database;
using spire::db::Engine;
using spire::identity::Grant;
using spire::identity::Id;
using spire::identity::Role;
using spire::identity::User;
namespace store = spire::identity::store;

// A grant as comparable text: "role unit fund".
std::string describe(const Grant& grant) {
    auto id = [](const std::optional<Id>& value) {
        return value ? std::to_string(*value) : std::string("-");
    };
    return std::string(spire::identity::role_key(grant.role)) + " " + id(grant.unit_id) + " " +
           id(grant.fund_id);
}

struct Expected {
    User user;
    std::vector<std::string> grants; // describe(), in grant id order
    std::string csrf;
};

class SessionLookupTest : public spire::test::MigratedDatabaseTest {
protected:
    void SetUp() override {
        MigratedDatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        auto opened = Database::open(test_database().url(), 1);
        ASSERT_TRUE(opened) << opened.error().detail;
        m_pool = std::move(*opened);
        m_now = spire::to_db_time(spire::Clock::now());
        db().transact([&](soci::session& sql) {
            m_organisation = store::insert_organisation(sql, "baerum", "Bærum kommune", m_now);
            Id other = store::insert_organisation(sql, "asker", "Asker kommune", m_now);
            spire::identity::OrgUnit unit;
            unit.organisation_id = m_organisation;
            unit.kind = spire::identity::UnitKind::Sector;
            unit.name = "Oppvekst";
            m_unit = store::insert_unit(sql, unit, m_now);

            // With a phone, three grants here and one in another
            // organisation (not this session's).
            Id kari = add_user(sql, "kari@baerum.example", "Kari Nordmann", "+47 22 22 22 22");
            grant(sql, kari, m_organisation, Role::Applicant, m_unit, std::nullopt);
            grant(sql, kari, other, Role::Admin, std::nullopt, std::nullopt);
            grant(sql, kari, m_organisation, Role::FundManager, std::nullopt, 17);
            grant(sql, kari, m_organisation, Role::Reviewer, std::nullopt, std::nullopt);
            // No phone, one grant.
            Id ola = add_user(sql, "ola@baerum.example", "Ola Nordmann", "");
            grant(sql, ola, m_organisation, Role::UnitLeader, m_unit, std::nullopt);
            // No grants at all.
            add_user(sql, "per@baerum.example", "Per Hansen", "+47 33 33 33 33");
        });
    }

    void TearDown() override {
        m_pool.reset();
        MigratedDatabaseTest::TearDown();
    }

    Id add_user(soci::session& sql, const std::string& email, const std::string& name,
                const std::string& phone) {
        User user;
        user.organisation_id = m_organisation;
        user.email = email;
        user.name = name;
        user.phone = phone;
        user.id = store::insert_user(sql, user, "", m_now);
        // Two sessions each.
        for (const char* device : {"laptop", "phone"}) {
            std::string token = email + "-" + device;
            store::insert_session(
                sql, {token, user.id, "csrf-" + token, m_now, m_now, "9999-12-31"}, "192.0.2.1");
            m_expected[token].user = user;
            m_expected[token].csrf = "csrf-" + token;
            m_users[user.id].push_back(token);
        }
        return user.id;
    }

    void grant(soci::session& sql, Id user_id, Id organisation_id, Role role,
               std::optional<Id> unit, std::optional<Id> fund) {
        Grant grant{0, user_id, organisation_id, role, unit, fund};
        store::insert_grant(sql, grant, std::nullopt, m_now);
        if (organisation_id != m_organisation)
            return;
        for (const auto& token : m_users[user_id])
            m_expected[token].grants.push_back(describe(grant));
    }

    std::optional<store::SessionWithUser> lookup(const std::string& token) {
        return m_pool->single_statement([&](Connection& connection) {
            return store::find_session_with_user(connection, token);
        });
    }

    void expect_found(const std::string& token) {
        SCOPED_TRACE(token);
        const Expected& expected = m_expected.at(token);
        auto found = lookup(token);
        ASSERT_TRUE(found);
        EXPECT_EQ(found->session.token_hash, token);
        EXPECT_EQ(found->session.user_id, expected.user.id);
        EXPECT_EQ(found->session.csrf_token, expected.csrf);
        EXPECT_EQ(found->session.created_at, m_now);
        EXPECT_EQ(found->session.last_seen_at, m_now);
        EXPECT_EQ(found->session.expires_at, "9999-12-31");
        EXPECT_EQ(found->user.id, expected.user.id);
        EXPECT_EQ(found->user.organisation_id, m_organisation);
        EXPECT_EQ(found->user.email, expected.user.email);
        EXPECT_EQ(found->user.name, expected.user.name);
        EXPECT_EQ(found->user.phone, expected.user.phone);
        EXPECT_EQ(found->user.active, expected.user.active);
        std::vector<std::string> grants;
        for (const Grant& grant : found->grants) {
            EXPECT_EQ(grant.user_id, expected.user.id);
            EXPECT_EQ(grant.organisation_id, m_organisation);
            grants.push_back(describe(grant));
        }
        EXPECT_EQ(grants, expected.grants);
    }

    void expect_all_found(int rounds) {
        for (int round = 0; round < rounds; ++round) {
            for (const auto& [token, expected] : m_expected) {
                expect_found(token);
                if (HasFailure())
                    return;
            }
        }
    }

    void write(const std::string& sql) {
        db().transact([&](soci::session& session) { session << sql; });
    }

    std::unique_ptr<Database> m_pool; // one connection: every lookup on it
    std::string m_now;
    Id m_organisation = 0;
    Id m_unit = 0;
    std::map<std::string, Expected> m_expected;     // by token
    std::map<Id, std::vector<std::string>> m_users; // tokens by user
};

INSTANTIATE_TEST_SUITE_P(BothEngines, SessionLookupTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

TEST_P(SessionLookupTest, ManyLookupsOnOneConnectionEachReturnTheirOwnRow) {
    expect_all_found(20);
    // With and without grants, phone and no phone, alternating.
    for (int i = 0; i < 20; ++i) {
        expect_found("per@baerum.example-laptop");
        expect_found("kari@baerum.example-phone");
        expect_found("ola@baerum.example-laptop");
        EXPECT_FALSE(lookup("no-such-token"));
    }
}

TEST_P(SessionLookupTest, SeesADeletedSessionAsGone) {
    expect_all_found(2);
    db().transact(
        [](soci::session& sql) { store::delete_session(sql, "kari@baerum.example-laptop"); });
    EXPECT_FALSE(lookup("kari@baerum.example-laptop"));
    m_expected.erase("kari@baerum.example-laptop");
    expect_all_found(2);
    EXPECT_FALSE(lookup("kari@baerum.example-laptop"));
}

TEST_P(SessionLookupTest, SeesChangesToTheUserAndTheirGrants) {
    expect_all_found(2);
    const std::string ola = "ola@baerum.example-laptop";
    Id ola_id = m_expected.at(ola).user.id;
    db().transact([&](soci::session& sql) {
        store::set_user_active(sql, ola_id, false);
        grant(sql, ola_id, m_organisation, Role::Auditor, std::nullopt, std::nullopt);
    });
    for (const auto& token : m_users[ola_id])
        m_expected[token].user.active = false;
    write("UPDATE app_user SET phone = '+47 44 44 44 44' WHERE email = 'ola@baerum.example'");
    for (const auto& token : m_users[ola_id])
        m_expected[token].user.phone = "+47 44 44 44 44";
    write("DELETE FROM role_grant WHERE user_id = " + std::to_string(ola_id) +
          " AND role = 'unit_leader'");
    for (const auto& token : m_users[ola_id])
        m_expected[token].grants.erase(m_expected[token].grants.begin());
    expect_all_found(2);
}

// The statement belongs to its server connection: after the server drops it,
// the pool reconnects and the lookup is prepared again.
TEST_P(SessionLookupTest, WorksAgainAfterThePostgresqlConnectionIsDropped) {
    if (engine() != Engine::Postgresql)
        GTEST_SKIP() << "SQLite connections are never reopened";
    expect_all_found(1);
    int pid = m_pool->single_statement([](soci::session& sql) {
        int backend = 0;
        sql << "SELECT pg_backend_pid()", soci::into(backend);
        return backend;
    });
    db().transact(
        [&](soci::session& sql) { sql << "SELECT pg_terminate_backend(:pid)", soci::use(pid); });
    // One call may fail: it is the one that finds the connection gone.
    try {
        lookup("kari@baerum.example-laptop");
    } catch (const soci::soci_error&) {
    }
    expect_all_found(2);
}

} // namespace
