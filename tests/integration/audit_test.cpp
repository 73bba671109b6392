// The audit log on both engines: the hash chain, the append-only triggers,
// tampering found by verification, concurrent appenders, the audit page's
// filters, and `spire audit verify`'s output.

#include "core/time.hpp"
#include "identity/audit_cli.hpp"
#include "identity/audit_service.hpp"
#include "identity/audit_store.hpp"
#include "support/test_db.hpp"

#include <atomic>
#include <gtest/gtest.h>
#include <regex>
#include <soci/soci.h>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

using spire::ErrorKind;
using spire::Result;
using spire::Unexpected;
using spire::db::Engine;
using spire::identity::AUDIT_GENESIS_HASH;
using spire::identity::AuditEntry;
using spire::identity::AuditEvent;
using spire::identity::AuditFilter;
using spire::identity::AuditPage;
using spire::identity::AuditVerification;
using spire::identity::Id;
namespace audit_store = spire::identity::audit_store;

std::chrono::system_clock::time_point at(const std::string& text) {
    auto parsed = spire::from_db_time(text);
    if (!parsed)
        throw std::invalid_argument("bad test time " + text);
    return *parsed;
}

AuditEvent event(std::optional<Id> organisation_id, std::optional<Id> actor,
                 std::string action = "user.update", std::string target_type = "user",
                 std::string target_id = "100", std::string summary = "active: yes -> no") {
    return {organisation_id,
            actor,
            std::move(action),
            std::move(target_type),
            std::move(target_id),
            std::move(summary),
            "req-test"};
}

class AuditTest : public spire::test::MigratedDatabaseTest {
protected:
    Id append(const AuditEvent& audit_event) {
        auto id = db().transact([&](soci::session& session) {
            return spire::identity::append_audit(session, engine(), audit_event);
        });
        EXPECT_TRUE(id) << (id ? "" : id.error().detail);
        return id.value_or(0);
    }

    Id append_at(const AuditEvent& audit_event, const std::string& when) {
        auto id = db().transact([&](soci::session& session) {
            return spire::identity::append_audit(session, engine(), audit_event, at(when));
        });
        EXPECT_TRUE(id) << (id ? "" : id.error().detail);
        return id.value_or(0);
    }

    // Five entries in organisation 1, ids 1..5.
    void append_five() {
        for (int i = 0; i < 5; ++i) {
            append(event(1, 10 + i, "user.update", "user", std::to_string(100 + i),
                         "name: A" + std::to_string(i) + " -> B" + std::to_string(i)));
        }
    }

    std::vector<AuditEntry> all_entries() {
        return db().read(
            [](soci::session& session) { return audit_store::entries_after(session, 0, 100'000); });
    }

    AuditEntry entry(Id id) {
        for (const auto& found : all_entries()) {
            if (found.id == id)
                return found;
        }
        ADD_FAILURE() << "no audit entry " << id;
        return {};
    }

    AuditVerification verify() {
        return db().read([&](soci::session& session) {
            return spire::identity::verify_audit_chain(session, engine());
        });
    }

    Result<AuditPage> list(const AuditFilter& filter) {
        return db().read([&](soci::session& session) {
            return spire::identity::list_audit(session, engine(), filter);
        });
    }

    void run(const std::string& sql) {
        db().transact([&](soci::session& session) { db().execute_script(session, sql.c_str()); });
    }

    // What someone with the table owner's rights could do.
    void drop_triggers() {
        if (engine() == Engine::Sqlite) {
            run("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
                "DROP TRIGGER audit_log_no_replace");
        } else {
            run("DROP TRIGGER audit_log_no_update_or_delete ON audit_log;"
                "DROP TRIGGER audit_log_no_truncate ON audit_log");
        }
    }

    // Rewrites every column but id of entry `replacement.id`.
    void overwrite(const AuditEntry& replacement) {
        db().transact([&](soci::session& session) {
            long long id = replacement.id;
            long long organisation_id = replacement.organisation_id.value_or(0);
            auto organisation_indicator = replacement.organisation_id ? soci::i_ok : soci::i_null;
            long long actor_user_id = replacement.actor_user_id.value_or(0);
            auto actor_indicator = replacement.actor_user_id ? soci::i_ok : soci::i_null;
            session << "UPDATE audit_log SET at = :at, organisation_id = :organisation_id, "
                       "actor_user_id = :actor_user_id, action = :action, "
                       "target_type = :target_type, target_id = :target_id, summary = :summary, "
                       "request_id = :request_id, prev_hash = :prev_hash, hash = :hash "
                       "WHERE id = :id",
                soci::use(replacement.at, "at"),
                soci::use(organisation_id, organisation_indicator, "organisation_id"),
                soci::use(actor_user_id, actor_indicator, "actor_user_id"),
                soci::use(replacement.action, "action"),
                soci::use(replacement.target_type, "target_type"),
                soci::use(replacement.target_id, "target_id"),
                soci::use(replacement.summary, "summary"),
                soci::use(replacement.request_id, "request_id"),
                soci::use(replacement.prev_hash, "prev_hash"), soci::use(replacement.hash, "hash"),
                soci::use(id, "id");
        });
    }

    // `intact`: how many entries verify before it (default: all before id).
    void expect_broken_at(Id id, const std::string& problem_part,
                          std::optional<long long> intact = std::nullopt) {
        auto verification = verify();
        EXPECT_FALSE(verification.ok);
        EXPECT_EQ(verification.first_bad_id, std::optional<Id>(id)) << verification.problem;
        EXPECT_EQ(verification.checked, intact.value_or(id - 1));
        EXPECT_NE(verification.problem.find(problem_part), std::string::npos)
            << verification.problem;
    }

    void expect_intact(long long entries) {
        auto verification = verify();
        EXPECT_TRUE(verification.ok)
            << verification.first_bad_id.value_or(0) << ": " << verification.problem;
        EXPECT_EQ(verification.checked, entries);
    }

    std::vector<Id> ids(const AuditPage& page) {
        std::vector<Id> found;
        for (const auto& listed : page.entries)
            found.push_back(listed.id);
        return found;
    }
};

INSTANTIATE_TEST_SUITE_P(BothEngines, AuditTest, ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

// --- The chain ---------------------------------------------------------------

TEST_P(AuditTest, EmptyLogVerifiesWithZeroEntries) {
    auto verification = verify();
    EXPECT_TRUE(verification.ok);
    EXPECT_EQ(verification.checked, 0);
    EXPECT_FALSE(verification.first_bad_id);
    EXPECT_FALSE(verification.last_id);
}

TEST_P(AuditTest, AppendBuildsAValidChain) {
    append_five();
    auto entries = all_entries();
    ASSERT_EQ(entries.size(), 5u);
    std::string previous(AUDIT_GENESIS_HASH);
    const std::regex time_format(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z)");
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& stored = entries[i];
        EXPECT_EQ(stored.id, static_cast<Id>(i + 1));
        EXPECT_EQ(stored.prev_hash, previous);
        EXPECT_EQ(stored.hash, spire::identity::audit_entry_hash(stored));
        EXPECT_EQ(stored.hash.size(), 64u);
        EXPECT_TRUE(std::regex_match(stored.at, time_format)) << stored.at;
        if (i > 0) {
            EXPECT_LE(entries[i - 1].at, stored.at);
        }
        previous = stored.hash;
    }
    EXPECT_EQ(entries[2].organisation_id, std::optional<Id>(1));
    EXPECT_EQ(entries[2].actor_user_id, std::optional<Id>(12));
    EXPECT_EQ(entries[2].target_id, "102");
    EXPECT_EQ(entries[2].summary, "name: A2 -> B2");
    EXPECT_EQ(entries[2].request_id, "req-test");

    auto verification = verify();
    EXPECT_TRUE(verification.ok);
    EXPECT_EQ(verification.checked, 5);
    EXPECT_EQ(verification.last_id, std::optional<Id>(5));
    EXPECT_EQ(verification.last_hash, entries.back().hash);
}

TEST_P(AuditTest, AppendKeepsAbsentIdsAbsent) {
    append(event(std::nullopt, std::nullopt, "login.failure", "session", "", "unknown e-mail"));
    auto stored = entry(1);
    EXPECT_FALSE(stored.organisation_id);
    EXPECT_FALSE(stored.actor_user_id);
    EXPECT_EQ(stored.target_id, "");
    expect_intact(1);
}

TEST_P(AuditTest, AppendRolledBackWithItsTransactionLeavesNoEntry) {
    Result<int> refused = db().transact([&](soci::session& session) -> Result<int> {
        auto id = spire::identity::append_audit(session, engine(), event(1, 10));
        EXPECT_TRUE(id);
        return Unexpected(spire::Error::conflict("the change itself failed"));
    });
    EXPECT_FALSE(refused);
    EXPECT_THROW(db().transact([&](soci::session& session) {
        ASSERT_TRUE(spire::identity::append_audit(session, engine(), event(1, 10)));
        throw std::runtime_error("boom");
    }),
                 std::runtime_error);
    EXPECT_TRUE(all_entries().empty());
    expect_intact(0);

    // The chain starts cleanly afterwards.
    EXPECT_EQ(append(event(1, 10)), 1);
    EXPECT_EQ(entry(1).prev_hash, AUDIT_GENESIS_HASH);
    expect_intact(1);
}

TEST_P(AuditTest, AppendNeverGoesBackInTime) {
    append_at(event(1, 10), "2026-11-27T14:05:00.000000Z");
    append_at(event(1, 10), "2026-11-27T14:04:00.000000Z"); // the clock was set back
    append_at(event(1, 10), "2026-11-27T14:06:00.123456Z");
    EXPECT_EQ(entry(2).at, "2026-11-27T14:05:00.000000Z");
    EXPECT_EQ(entry(3).at, "2026-11-27T14:06:00.123456Z");
    expect_intact(3);
}

TEST_P(AuditTest, AppendRefusesAnActionOrTargetTypeThatIsNotAName) {
    for (const auto& [action, target_type] :
         std::vector<std::pair<std::string, std::string>>{{"", "user"},
                                                          {"user.create", ""},
                                                          {"User.Create", "user"},
                                                          {"user create", "user"},
                                                          {"user.create", "user\n"},
                                                          {std::string(65, 'a'), "user"}}) {
        auto refused = db().transact([&](soci::session& session) {
            return spire::identity::append_audit(session, engine(),
                                                 event(1, 10, action, target_type));
        });
        ASSERT_FALSE(refused) << action << " / " << target_type;
        EXPECT_EQ(refused.error().kind, ErrorKind::Invalid);
    }
    EXPECT_TRUE(all_entries().empty());
}

TEST_P(AuditTest, AppendStoresCleanedTextAndHashesWhatItStored) {
    std::string summary = "name: \"Ola\"\r\nforged line\x1b[31m \xff\xfe bad \xc2\x85 end";
    append(event(1, 10, "user.update", "user", "7", summary));
    EXPECT_EQ(entry(1).summary, "name: \"Ola\"\uFFFD\uFFFDforged line\uFFFD[31m \uFFFD\uFFFD bad "
                                "\uFFFD end");

    // Over the limit: cut at a character boundary (not inside "æ"), marked
    // with an ellipsis.
    std::string long_summary(spire::identity::MAX_AUDIT_SUMMARY_BYTES - 4, 'x');
    long_summary += "æøå and more";
    append(event(1, 10, "user.update", "user", "7", long_summary));
    std::string stored = entry(2).summary;
    EXPECT_LE(stored.size(), spire::identity::MAX_AUDIT_SUMMARY_BYTES);
    EXPECT_EQ(stored, std::string(spire::identity::MAX_AUDIT_SUMMARY_BYTES - 4, 'x') + "\u2026");

    std::string exact(spire::identity::MAX_AUDIT_SUMMARY_BYTES, 'y');
    append(event(1, 10, "user.update", "user", "7", exact));
    EXPECT_EQ(entry(3).summary, exact);

    append(event(1, 10, "user.update", "user", std::string(10'000, '9'), "x"));
    EXPECT_LE(entry(4).target_id.size(), spire::identity::MAX_AUDIT_TARGET_ID_BYTES);
    expect_intact(4);
}

// --- Append-only -------------------------------------------------------------

TEST_P(AuditTest, UpdateIsRefused) {
    append_five();
    try {
        run("UPDATE audit_log SET summary = 'rewritten' WHERE id = 3");
        ADD_FAILURE() << "UPDATE was allowed";
    } catch (const soci::soci_error& e) {
        EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
    EXPECT_EQ(entry(3).summary, "name: A2 -> B2");
    expect_intact(5);
}

TEST_P(AuditTest, DeleteIsRefused) {
    append_five();
    try {
        run("DELETE FROM audit_log WHERE id = 3");
        ADD_FAILURE() << "DELETE was allowed";
    } catch (const soci::soci_error& e) {
        EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
    expect_intact(5);
}

// SQLite has no TRUNCATE: a DELETE without WHERE is its equivalent (and
// skips row triggers unless there are any, which is what this checks).
TEST_P(AuditTest, TruncateIsRefused) {
    append_five();
    const char* sql =
        engine() == Engine::Postgresql ? "TRUNCATE audit_log" : "DELETE FROM audit_log";
    try {
        run(sql);
        ADD_FAILURE() << sql << " was allowed";
    } catch (const soci::soci_error& e) {
        EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
    expect_intact(5);
}

// SQLite's REPLACE deletes the old row without firing delete triggers;
// PostgreSQL's upsert is an UPDATE.
TEST_P(AuditTest, ReplaceIsRefused) {
    append_five();
    AuditEntry forged = entry(3);
    forged.summary = "rewritten";
    const std::string values =
        "(3, '" + forged.at + "', 1, 12, 'user.update', 'user', '102', 'rewritten', 'req-test', '" +
        forged.prev_hash + "', '" + forged.hash + "')";
    const std::string sql = engine() == Engine::Sqlite
                                ? "INSERT OR REPLACE INTO audit_log VALUES " + values
                                : "INSERT INTO audit_log VALUES " + values +
                                      " ON CONFLICT (id) DO UPDATE SET summary = EXCLUDED.summary";
    try {
        run(sql);
        ADD_FAILURE() << "replacing an entry was allowed";
    } catch (const soci::soci_error& e) {
        EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
    }
    EXPECT_EQ(entry(3).summary, "name: A2 -> B2");
    expect_intact(5);
}

// --- Tampering found -----------------------------------------------------------

TEST_P(AuditTest, VerifyFindsEachChangedFieldOfAMiddleEntry) {
    append_five();
    drop_triggers();
    const AuditEntry original = entry(3);
    const std::vector<std::pair<std::string, std::string>> changes = {
        {"at", "at = '2020-01-01T00:00:00.000000Z'"},
        {"organisation_id", "organisation_id = 2"},
        {"organisation_id to NULL", "organisation_id = NULL"},
        {"actor_user_id", "actor_user_id = 99"},
        {"actor_user_id to NULL", "actor_user_id = NULL"},
        {"action", "action = 'user.create'"},
        {"target_type", "target_type = 'unit'"},
        {"target_id", "target_id = '999'"},
        {"summary", "summary = 'name: A2 -> C2'"},
        {"request_id", "request_id = 'req-forged'"},
        {"hash", "hash = '" + std::string(64, 'f') + "'"},
    };
    for (const auto& [field, assignment] : changes) {
        SCOPED_TRACE(field);
        run("UPDATE audit_log SET " + assignment + " WHERE id = 3");
        expect_broken_at(3, "do not match its hash");
        overwrite(original);
        expect_intact(5);
    }
    run("UPDATE audit_log SET prev_hash = '" + std::string(64, 'e') + "' WHERE id = 3");
    expect_broken_at(3, "prev_hash is not the hash of entry 2");
}

TEST_P(AuditTest, VerifyFindsAMiddleEntryRewrittenWithANewHash) {
    append_five();
    drop_triggers();
    AuditEntry forged = entry(3);
    forged.summary = "active: no -> yes";
    forged.hash = spire::identity::audit_entry_hash(forged);
    overwrite(forged);
    // Entry 3 is consistent in itself now; entry 4 no longer follows it.
    expect_broken_at(4, "prev_hash is not the hash of entry 3");
}

TEST_P(AuditTest, VerifyFindsADeletedMiddleEntry) {
    append_five();
    drop_triggers();
    run("DELETE FROM audit_log WHERE id = 3");
    expect_broken_at(4, "entry 3 is missing", 2);
}

TEST_P(AuditTest, VerifyFindsADeletedFirstEntry) {
    append_five();
    drop_triggers();
    run("DELETE FROM audit_log WHERE id = 1");
    auto verification = verify();
    EXPECT_FALSE(verification.ok);
    EXPECT_EQ(verification.first_bad_id, std::optional<Id>(2));
    EXPECT_EQ(verification.checked, 0);
    EXPECT_NE(verification.problem.find("entry 1 is missing"), std::string::npos);
}

TEST_P(AuditTest, VerifyFindsSwappedEntries) {
    append_five();
    drop_triggers();
    AuditEntry second = entry(2);
    AuditEntry third = entry(3);
    std::swap(second.id, third.id);
    overwrite(second); // entry 2's contents now under id 3
    overwrite(third);
    expect_broken_at(2, "prev_hash is not the hash of entry 1");
}

TEST_P(AuditTest, VerifyFindsAnEntryMovedToTheEnd) {
    append_five();
    drop_triggers();
    AuditEntry moved = entry(3);
    run("DELETE FROM audit_log WHERE id = 3");
    moved.id = 6;
    db().transact([&](soci::session& session) { audit_store::insert_entry(session, moved); });
    expect_broken_at(4, "entry 3 is missing", 2);
}

TEST_P(AuditTest, VerifyFindsRenumberedEntries) {
    append_five();
    drop_triggers();
    // Closing the gap left by a deleted entry by renumbering the rest.
    run("DELETE FROM audit_log WHERE id = 3");
    run("UPDATE audit_log SET id = id - 1 WHERE id > 3");
    expect_broken_at(3, "prev_hash is not the hash of entry 2");
}

TEST_P(AuditTest, VerifyFindsAnEntrySlippedInBeforeTheFirst) {
    append_five();
    AuditEntry forged = entry(1);
    forged.id = 0;
    forged.summary = "backdated";
    forged.hash = spire::identity::audit_entry_hash(forged);
    // Inserting needs no dropped trigger.
    db().transact([&](soci::session& session) { audit_store::insert_entry(session, forged); });
    auto verification = verify();
    EXPECT_FALSE(verification.ok);
    EXPECT_EQ(verification.first_bad_id, std::optional<Id>(0));
    EXPECT_NE(verification.problem.find("out of sequence (expected 1)"), std::string::npos)
        << verification.problem;
}

TEST_P(AuditTest, VerifyFindsAChangedLastEntry) {
    append_five();
    drop_triggers();
    run("UPDATE audit_log SET actor_user_id = 1 WHERE id = 5");
    expect_broken_at(5, "do not match its hash");
}

TEST_P(AuditTest, VerifyWalksLogsLongerThanOneBatch) {
    db().transact([&](soci::session& session) {
        for (int i = 0; i < 1234; ++i) {
            ASSERT_TRUE(spire::identity::append_audit(session, engine(), event(1, i)));
        }
    });
    expect_intact(1234);
    drop_triggers();
    run("UPDATE audit_log SET summary = 'x' WHERE id = 1001");
    expect_broken_at(1001, "do not match its hash");
}

// --- Concurrency -----------------------------------------------------------------

TEST_P(AuditTest, ConcurrentAppendsFormOneUnbrokenChain) {
    constexpr int THREADS = 4;
    constexpr int APPENDS_PER_THREAD = 25;
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < THREADS; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < APPENDS_PER_THREAD; ++i) {
                try {
                    auto id = db().transact([&](soci::session& session) {
                        return spire::identity::append_audit(
                            session, engine(),
                            event(1, t, "user.update", "user", std::to_string(i)));
                    });
                    if (!id)
                        ++failures;
                } catch (const std::exception&) {
                    ++failures;
                }
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(failures.load(), 0);

    auto entries = all_entries();
    ASSERT_EQ(entries.size(), static_cast<std::size_t>(THREADS * APPENDS_PER_THREAD));
    for (std::size_t i = 0; i < entries.size(); ++i)
        EXPECT_EQ(entries[i].id, static_cast<Id>(i + 1));
    expect_intact(THREADS * APPENDS_PER_THREAD);
}

// --- The audit page ------------------------------------------------------------

class AuditListTest : public AuditTest {
protected:
    void SetUp() override {
        AuditTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        // Oslo is UTC+1 until 2026-03-29 01:00 UTC, UTC+2 after.
        append_at(event(1, 10, "user.create", "user", "100"), "2026-03-28T22:30:00.000000Z"); // 1
        append_at(event(1, 11, "user.update", "user", "100"), "2026-03-28T23:30:00.000000Z"); // 2
        append_at(event(2, 20, "user.create", "user", "200"), "2026-03-29T12:00:00.000000Z"); // 3
        append_at(event(1, 10, "grant.revoke", "grant", "7"), "2026-03-29T21:30:00.000000Z"); // 4
        append_at(event(1, std::nullopt, "login.success", "session", "100"),
                  "2026-03-29T22:30:00.000000Z"); // 5
        append_at(event(std::nullopt, std::nullopt, "login.failure", "session", ""),
                  "2026-03-30T08:00:00.000000Z");                                             // 6
        append_at(event(1, 11, "user.update", "user", "101"), "2026-03-30T09:00:00.000000Z"); // 7
    }

    AuditPage list_ok(const AuditFilter& filter) {
        auto page = list(filter);
        EXPECT_TRUE(page) << (page ? "" : page.error().message);
        return page.value_or(AuditPage{});
    }
};

INSTANTIATE_TEST_SUITE_P(BothEngines, AuditListTest, ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

TEST_P(AuditListTest, ListsTheOrganisationsEntriesNewestFirst) {
    auto page = list_ok({.organisation_id = 1});
    EXPECT_EQ(ids(page), (std::vector<Id>{7, 5, 4, 2, 1}));
    EXPECT_EQ(page.total, 5);
    ASSERT_FALSE(page.entries.empty());
    EXPECT_EQ(page.entries.front().action, "user.update");
    EXPECT_EQ(page.entries.front().at, "2026-03-30T09:00:00.000000Z");
    EXPECT_EQ(page.entries[1].actor_user_id, std::nullopt);

    EXPECT_EQ(ids(list_ok({.organisation_id = 2})), (std::vector<Id>{3}));
    EXPECT_EQ(list_ok({.organisation_id = 3}).total, 0);
}

TEST_P(AuditListTest, Paginates) {
    auto first = list_ok({.organisation_id = 1, .page = 1, .per_page = 2});
    auto second = list_ok({.organisation_id = 1, .page = 2, .per_page = 2});
    auto third = list_ok({.organisation_id = 1, .page = 3, .per_page = 2});
    auto beyond = list_ok({.organisation_id = 1, .page = 4, .per_page = 2});
    EXPECT_EQ(ids(first), (std::vector<Id>{7, 5}));
    EXPECT_EQ(ids(second), (std::vector<Id>{4, 2}));
    EXPECT_EQ(ids(third), (std::vector<Id>{1}));
    EXPECT_TRUE(beyond.entries.empty());
    for (const auto* page : {&first, &second, &third, &beyond})
        EXPECT_EQ(page->total, 5);
}

TEST_P(AuditListTest, FiltersByActionActorAndTarget) {
    EXPECT_EQ(ids(list_ok({.organisation_id = 1, .action = "user.update"})),
              (std::vector<Id>{7, 2}));
    EXPECT_EQ(ids(list_ok({.organisation_id = 1, .actor_user_id = 10})), (std::vector<Id>{4, 1}));
    EXPECT_EQ(ids(list_ok({.organisation_id = 1, .target_type = "user"})),
              (std::vector<Id>{7, 2, 1}));
    EXPECT_EQ(ids(list_ok({.organisation_id = 1, .target_type = "user", .target_id = "100"})),
              (std::vector<Id>{2, 1}));
    auto combined = list_ok(
        {.organisation_id = 1, .action = "user.update", .actor_user_id = 11, .per_page = 1});
    EXPECT_EQ(ids(combined), (std::vector<Id>{7}));
    EXPECT_EQ(combined.total, 2);
    // Another organisation's entries never show, whatever the filter.
    EXPECT_EQ(list_ok({.organisation_id = 1, .actor_user_id = 20}).total, 0);
    // An empty text filter is no filter.
    EXPECT_EQ(list_ok({.organisation_id = 1, .action = ""}).total, 5);
}

TEST_P(AuditListTest, FiltersByDaysInOslo) {
    // 2026-03-29 in Oslo: 2026-03-28T23:00Z (CET) to 2026-03-29T22:00Z (CEST).
    EXPECT_EQ(
        ids(list_ok({.organisation_id = 1, .from_date = "2026-03-29", .to_date = "2026-03-29"})),
        (std::vector<Id>{4, 2}));
    EXPECT_EQ(ids(list_ok({.organisation_id = 1, .to_date = "2026-03-28"})), (std::vector<Id>{1}));
    EXPECT_EQ(ids(list_ok({.organisation_id = 1, .from_date = "2026-03-30"})),
              (std::vector<Id>{7, 5}));
    EXPECT_EQ(list_ok({.organisation_id = 1, .from_date = "2026-03-31"}).total, 0);
    EXPECT_EQ(
        list_ok({.organisation_id = 1, .from_date = "2026-01-01", .to_date = "9999-12-31"}).total,
        5);
}

TEST_P(AuditListTest, RefusesBadFilters) {
    auto expect_field_error = [&](const AuditFilter& filter, const std::string& field) {
        auto refused = list(filter);
        ASSERT_FALSE(refused) << field;
        EXPECT_EQ(refused.error().kind, ErrorKind::Invalid);
        ASSERT_FALSE(refused.error().fields.empty());
        EXPECT_EQ(refused.error().fields.front().field, field);
    };
    expect_field_error({.organisation_id = 1, .page = 0}, "page");
    expect_field_error({.organisation_id = 1, .per_page = 0}, "per_page");
    expect_field_error({.organisation_id = 1, .per_page = 201}, "per_page");
    expect_field_error({.organisation_id = 1, .target_id = "100"}, "target_id");
    for (const char* bad : {"2026-3-29", "2026-02-30", "29.03.2026", "2026-03-29 ", "+026-03-29",
                            "1969-12-31", "2026-13-01"}) {
        SCOPED_TRACE(bad);
        expect_field_error({.organisation_id = 1, .from_date = bad}, "from_date");
        expect_field_error({.organisation_id = 1, .to_date = bad}, "to_date");
    }
    expect_field_error({.organisation_id = 1, .from_date = "2026-03-30", .to_date = "2026-03-29"},
                       "to_date");
}

// --- spire audit verify -----------------------------------------------------------

TEST_P(AuditTest, VerifyCommandReportsAnIntactLog) {
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(spire::identity::run_audit_verify(db(), out, err), 0);
    EXPECT_EQ(out.str(), "audit log OK: 0 entries\n");
    EXPECT_EQ(err.str(), "");

    append_five();
    out.str("");
    EXPECT_EQ(spire::identity::run_audit_verify(db(), out, err), 0);
    EXPECT_EQ(out.str(), "audit log OK: 5 entries\nlast entry: 5 " + entry(5).hash + "\n");
    EXPECT_EQ(err.str(), "");
}

TEST_P(AuditTest, VerifyCommandReportsABrokenLog) {
    append_five();
    drop_triggers();
    run("UPDATE audit_log SET summary = 'forged' WHERE id = 2");
    std::ostringstream out;
    std::ostringstream err;
    EXPECT_EQ(spire::identity::run_audit_verify(db(), out, err), 1);
    EXPECT_EQ(out.str(), "");
    EXPECT_EQ(err.str(), "audit log BROKEN at entry 2: its contents do not match its hash "
                         "(changed after it was written)\n");
}

// --- The pieces, without a database ----------------------------------------------

// Pins the format: changing it would make every existing log fail to verify.
TEST(AuditHash, MatchesTheDocumentedFormat) {
    AuditEntry entry;
    entry.id = 1;
    entry.at = "2026-11-27T14:05:00.000000Z";
    entry.organisation_id = 3;
    entry.action = "user.create";
    entry.target_type = "user";
    entry.target_id = "42";
    entry.summary = "name: Kari Nordmann";
    entry.request_id = "req-1";
    entry.prev_hash = std::string(AUDIT_GENESIS_HASH);
    EXPECT_EQ(spire::identity::audit_canonical_fields(entry),
              "1:1;27:2026-11-27T14:05:00.000000Z;1:3;0:;11:user.create;4:user;2:42;"
              "19:name: Kari Nordmann;5:req-1;");
    EXPECT_EQ(spire::identity::audit_entry_hash(entry),
              "7eac64a645d39fa54371cd025d0993fbbd6fc09c5996ea237175ca2f9c3a1ede");
}

TEST(AuditHash, DifferentEntriesNeverSerialiseAlike) {
    AuditEntry a;
    a.id = 1;
    a.target_type = "user";
    a.target_id = "1;2:";
    a.summary = "x";
    AuditEntry b = a;
    b.target_id = "1";
    b.summary = "2:;x"; // would collide with plain concatenation plus separators
    EXPECT_NE(spire::identity::audit_canonical_fields(a),
              spire::identity::audit_canonical_fields(b));

    AuditEntry absent = a;
    absent.organisation_id.reset();
    AuditEntry zero = a;
    zero.organisation_id = 0;
    EXPECT_NE(spire::identity::audit_canonical_fields(absent),
              spire::identity::audit_canonical_fields(zero));

    AuditEntry moved = a;
    moved.id = 2;
    EXPECT_NE(spire::identity::audit_entry_hash(a), spire::identity::audit_entry_hash(moved));
}

TEST(AuditDays, StartAtMidnightInOslo) {
    using spire::identity::audit_day_start;
    EXPECT_EQ(audit_day_start("2026-01-15"), "2026-01-14T23:00:00.000000Z");
    EXPECT_EQ(audit_day_start("2026-07-01"), "2026-06-30T22:00:00.000000Z");
    // The days the clocks change: midnight is still on the old offset.
    EXPECT_EQ(audit_day_start("2026-03-29"), "2026-03-28T23:00:00.000000Z");
    EXPECT_EQ(audit_day_start("2026-03-30"), "2026-03-29T22:00:00.000000Z");
    EXPECT_EQ(audit_day_start("2026-10-25"), "2026-10-24T22:00:00.000000Z");
    EXPECT_EQ(audit_day_start("2026-10-26"), "2026-10-25T23:00:00.000000Z");
    EXPECT_EQ(audit_day_start("2028-02-29"), "2028-02-28T23:00:00.000000Z");
    for (const char* bad : {"", "2026-02-29", "2026-1-01", "20260101", "2026-01-01T00:00",
                            "abcd-ef-gh", "2026-00-10", "2026-01-00"}) {
        EXPECT_EQ(audit_day_start(bad), std::nullopt) << bad;
    }
}

} // namespace
