// FundsService on both engines: funds and programmes, every kind of posting,
// the bad input of issue 4, overrides, reversals, carry-over, the budget
// summary and the ledger page, the roll-up checkpoints, tenant isolation,
// append-only storage and one audit entry per change.

#include "db/database.hpp"
#include "funds/service.hpp"
#include "funds/store.hpp"
#include "identity/audit_service.hpp"
#include "support/funds_world.hpp"
#include "support/test_db.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <soci/soci.h>

namespace {

using namespace spire;
using namespace spire::funds;
using spire::test::FundsWorld;

constexpr Ore KR = 100;
constexpr Ore MNOK = 1'000'000 * KR;

bool has_field(const Error& error, const std::string& field, const std::string& message = "") {
    return std::any_of(error.fields.begin(), error.fields.end(), [&](const FieldError& e) {
        return e.field == field && (message.empty() || e.message == message);
    });
}

class FundsServiceTest : public spire::test::MigratedDatabaseTest {
protected:
    void SetUp() override {
        MigratedDatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        try {
            m_world = FundsWorld::create(test_database().url(), 2, options());
        } catch (const std::exception& e) {
            FAIL() << e.what();
        }
    }
    void TearDown() override {
        m_world.reset();
        MigratedDatabaseTest::TearDown();
    }
    virtual FundsOptions options() const { return {}; }

    FundsWorld& w() { return *m_world; }
    FundsService& funds() { return *m_world->funds; }
    identity::Actor manager() { return w().as(w().manager); }

    Posting make(EntryKind kind, int year, Id programme, Ore amount,
                 const std::string& reason = "Testpostering") {
        Posting p;
        p.kind = kind;
        p.cell = {year, programme};
        p.amount = amount;
        p.reason = reason;
        if (kind == EntryKind::Release)
            p.release_of = ReleaseOf::Reserve;
        return p;
    }

    PostingResult post_ok(const Posting& p) {
        auto posted = funds().post(manager(), w().fund, p);
        EXPECT_TRUE(posted) << (posted ? "" : posted.error().message);
        return posted.value_or(PostingResult{});
    }

    void frame(int year, Id programme, Ore amount) {
        post_ok(make(EntryKind::Frame, year, programme, amount, "Årlig ramme"));
    }

    CellBalance cell(int year, Id programme) {
        auto summary = funds().budget(manager(), w().fund);
        EXPECT_TRUE(summary) << (summary ? "" : summary.error().message);
        return summary ? summary->cell(year, programme) : CellBalance{};
    }

    long long audit_count() {
        return db().read([&](soci::session& sql) {
            long long n = 0;
            sql << "SELECT COUNT(*) FROM audit_log", soci::into(n);
            return n;
        });
    }

    std::string newest_action() {
        return db().read([&](soci::session& sql) {
            std::string action;
            sql << "SELECT action FROM audit_log ORDER BY id DESC LIMIT 1", soci::into(action);
            return action;
        });
    }

    std::unique_ptr<FundsWorld> m_world;
};

// --- Funds and programmes -------------------------------------------------------

TEST_P(FundsServiceTest, CreatesFundWithProgrammesAndListsItsManagers) {
    auto detail = funds().fund(manager(), w().fund);
    ASSERT_TRUE(detail) << detail.error().message;
    EXPECT_EQ(detail->fund.name, "Forsknings- og innovasjonsfond");
    EXPECT_EQ(detail->fund.organisation_id, w().baerum);
    EXPECT_EQ(detail->fund.first_year, 2017);
    EXPECT_EQ(detail->fund.last_year, 2020);
    EXPECT_TRUE(detail->fund.carry_over_allowed);
    ASSERT_EQ(detail->programmes.size(), 4u);
    EXPECT_EQ(detail->programmes[0].name, "Intern risikokapital");
    EXPECT_EQ(detail->programmes[1].kind, ProgrammeKind::ResearchCofunding);
    ASSERT_EQ(detail->managers.size(), 1u);
    EXPECT_EQ(detail->managers[0].user_id, w().manager.user_id);
}

TEST_P(FundsServiceTest, RefusesABadFund) {
    FundInput input{w().baerum, " ", "", 2021, 2019, false, true};
    auto refused = funds().create_fund(FundsWorld::system(), input);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(has_field(refused.error(), "name", message::FUND_NAME_MISSING));
    EXPECT_TRUE(has_field(refused.error(), "last_year", message::LAST_YEAR_BEFORE_FIRST));
    input = {w().baerum, "Forsknings- og innovasjonsfond", "", 2017, 2020, false, true};
    auto taken = funds().create_fund(w().as(w().admin), input);
    ASSERT_FALSE(taken);
    EXPECT_TRUE(has_field(taken.error(), "name", message::FUND_NAME_TAKEN));
    input.first_year = 1999;
    EXPECT_TRUE(has_field(funds().create_fund(w().as(w().admin), input).error(), "first_year",
                          message::YEAR_OUT_OF_RANGE));
}

TEST_P(FundsServiceTest, AdminsCreateFundsAndOthersMayNot) {
    FundInput input{w().baerum, "Klimafond", "", 2021, 2024, false, true};
    auto by_reviewer = funds().create_fund(w().as(w().reviewer), input);
    ASSERT_FALSE(by_reviewer);
    EXPECT_EQ(by_reviewer.error().kind, ErrorKind::Forbidden);
    auto by_scoped_manager = funds().create_fund(manager(), input);
    ASSERT_FALSE(by_scoped_manager);
    EXPECT_EQ(by_scoped_manager.error().kind, ErrorKind::Forbidden);
    auto by_asker = funds().create_fund(w().as(w().asker_admin), input);
    ASSERT_FALSE(by_asker);
    EXPECT_EQ(by_asker.error().kind, ErrorKind::NotFound);
    EXPECT_TRUE(funds().create_fund(w().as(w().admin), input));
}

TEST_P(FundsServiceTest, FundListShowsWhatEachUserMaySee) {
    FundInput input{w().baerum, "Klimafond", "", 2021, 2024, false, true};
    ASSERT_TRUE(funds().create_fund(w().as(w().admin), input));
    EXPECT_EQ(funds().funds(w().as(w().admin), w().baerum)->size(), 2u);
    EXPECT_EQ(funds().funds(w().as(w().auditor), w().baerum)->size(), 2u);
    auto managed = funds().funds(manager(), w().baerum);
    ASSERT_TRUE(managed);
    ASSERT_EQ(managed->size(), 1u); // a manager of one fund sees that one
    EXPECT_EQ(managed->front().id, w().fund);
    EXPECT_EQ(funds().funds(w().as(w().reviewer), w().baerum).error().kind, ErrorKind::Forbidden);
    EXPECT_EQ(funds().funds(w().as(w().asker_admin), w().baerum).error().kind, ErrorKind::NotFound);
}

TEST_P(FundsServiceTest, UpdatesFundButKeepsYearsThatHaveEntries) {
    frame(2017, w().risk, 3 * MNOK);
    FundInput input{0, "Forsknings- og innovasjonsfondet", "Ny tekst", 2018, 2021, false, true};
    auto refused = funds().update_fund(manager(), w().fund, input);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(has_field(refused.error(), "first_year", message::PERIOD_LEAVES_OUT_ENTRIES));
    input.first_year = 2017;
    long long before = audit_count();
    ASSERT_TRUE(funds().update_fund(manager(), w().fund, input));
    EXPECT_EQ(audit_count(), before + 1);
    EXPECT_EQ(newest_action(), "fund.update");
    auto detail = funds().fund(manager(), w().fund);
    EXPECT_EQ(detail->fund.name, "Forsknings- og innovasjonsfondet");
    EXPECT_EQ(detail->fund.last_year, 2021);
    EXPECT_FALSE(detail->fund.carry_over_allowed);
    // The same again changes nothing and writes no audit entry.
    ASSERT_TRUE(funds().update_fund(manager(), w().fund, input));
    EXPECT_EQ(audit_count(), before + 1);
    EXPECT_EQ(funds().update_fund(w().as(w().other_manager), w().fund, input).error().kind,
              ErrorKind::Forbidden);
}

TEST_P(FundsServiceTest, ProgrammesAreManagedByTheFundManager) {
    ProgrammeInput input{"Innbyggerinnovasjon", "", ProgrammeKind::Other, true, 5};
    EXPECT_EQ(funds().create_programme(w().as(w().admin), w().fund, input).error().kind,
              ErrorKind::Forbidden);
    auto id = funds().create_programme(manager(), w().fund, input);
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_EQ(newest_action(), "programme.create");
    auto again = funds().create_programme(manager(), w().fund, input);
    ASSERT_FALSE(again);
    EXPECT_TRUE(has_field(again.error(), "name", message::PROGRAMME_NAME_TAKEN));
    input.active = false;
    ASSERT_TRUE(funds().update_programme(manager(), w().fund, *id, input));
    EXPECT_EQ(newest_action(), "programme.update");
    // A closed programme takes no postings.
    auto closed = funds().post(manager(), w().fund, make(EntryKind::Frame, 2018, *id, MNOK));
    ASSERT_FALSE(closed);
    EXPECT_TRUE(has_field(closed.error(), "programme_id", message::PROGRAMME_CLOSED));
    // Another fund's programme id is not found through this fund.
    EXPECT_EQ(funds().update_programme(manager(), w().fund + 1000, *id, input).error().kind,
              ErrorKind::NotFound);
}

// --- Postings ---------------------------------------------------------------------

TEST_P(FundsServiceTest, FrameReserveCommitDisburseReleaseAddUp) {
    frame(2018, w().social, 2 * MNOK);
    post_ok(make(EntryKind::Reserve, 2018, w().social, 300'000 * KR));
    post_ok(make(EntryKind::Commit, 2018, w().social, 900'000 * KR));
    post_ok(make(EntryKind::Disburse, 2018, w().social, 400'000 * KR));
    post_ok(make(EntryKind::Release, 2018, w().social, 100'000 * KR)); // of the reservation
    Posting release_commit = make(EntryKind::Release, 2018, w().social, 50'000 * KR);
    release_commit.release_of = ReleaseOf::Commit;
    auto last = post_ok(release_commit);
    EXPECT_EQ(last.entry_ids.size(), 1u);

    CellBalance social = cell(2018, w().social);
    EXPECT_EQ(social.frame, 2 * MNOK);
    EXPECT_EQ(social.reserved(), 200'000 * KR);
    EXPECT_EQ(social.committed(), 850'000 * KR);
    EXPECT_EQ(social.disbursed, 400'000 * KR);
    EXPECT_EQ(social.unpaid(), 450'000 * KR);
    EXPECT_EQ(social.available(), 2 * MNOK - 200'000 * KR - 850'000 * KR);
    EXPECT_EQ(social.entries, 6);
    EXPECT_EQ(last.after.at({2018, w().social}), social);
}

TEST_P(FundsServiceTest, RefusesCommitBeyondAvailableUnlessTheManagerOverridesWithAReason) {
    frame(2018, w().risk, MNOK);
    long long before = audit_count();
    auto refused =
        funds().post(manager(), w().fund, make(EntryKind::Commit, 2018, w().risk, MNOK + 1));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, message::NOT_ENOUGH_AVAILABLE);
    EXPECT_TRUE(has_field(refused.error(), "amount"));
    EXPECT_EQ(audit_count(), before); // a refused posting leaves no trace

    Posting over = make(EntryKind::Commit, 2018, w().risk, MNOK + 500 * KR);
    over.override = {true, ""};
    EXPECT_TRUE(has_field(funds().post(manager(), w().fund, over).error(), "override_reason",
                          message::OVERRIDE_REASON_MISSING));
    over.override.reason = "Innovasjonsrådet vedtok full finansiering 12.03.2018";
    auto allowed = funds().post(manager(), w().fund, over);
    ASSERT_TRUE(allowed) << allowed.error().message;
    EXPECT_TRUE(allowed->overridden);
    EXPECT_EQ(cell(2018, w().risk).available(), -500 * KR);
    EXPECT_EQ(newest_action(), "ledger.override");
    EXPECT_EQ(audit_count(), before + 1);

    auto page = funds().ledger(manager(), w().fund, {});
    ASSERT_TRUE(page);
    const LedgerEntry& entry = page->entries.front();
    EXPECT_TRUE(entry.override);
    EXPECT_EQ(entry.override_reason, "Innovasjonsrådet vedtok full finansiering 12.03.2018");
    EXPECT_EQ(entry.author_user_id, w().manager.user_id);
    EXPECT_EQ(entry.author_name, w().manager.name);
}

TEST_P(FundsServiceTest, BadInputIsRefusedOnItsField) {
    frame(2018, w().risk, MNOK);
    auto year = funds().post(manager(), w().fund, make(EntryKind::Reserve, 2021, w().risk, KR));
    EXPECT_TRUE(has_field(year.error(), "year", message::YEAR_OUTSIDE_PERIOD));
    auto programme = funds().post(manager(), w().fund, make(EntryKind::Reserve, 2018, 99999, KR));
    EXPECT_TRUE(has_field(programme.error(), "programme_id", message::UNKNOWN_PROGRAMME));
    auto negative =
        funds().post(manager(), w().fund, make(EntryKind::Reserve, 2018, w().risk, -KR));
    EXPECT_TRUE(has_field(negative.error(), "amount", message::AMOUNT_NOT_POSITIVE));
    Posting same = make(EntryKind::Transfer, 2018, w().risk, KR);
    same.to = Cell{2018, w().risk};
    EXPECT_TRUE(has_field(funds().post(manager(), w().fund, same).error(), "to_programme_id",
                          message::TRANSFER_SAME_CELL));
    auto disburse =
        funds().post(manager(), w().fund, make(EntryKind::Disburse, 2018, w().risk, KR));
    EXPECT_EQ(disburse.error().message, message::DISBURSE_MORE_THAN_UNPAID);
    auto release = funds().post(manager(), w().fund, make(EntryKind::Release, 2018, w().risk, KR));
    EXPECT_EQ(release.error().message, message::RELEASE_MORE_THAN_RESERVED);
    auto no_reason =
        funds().post(manager(), w().fund, make(EntryKind::Reserve, 2018, w().risk, KR, ""));
    EXPECT_TRUE(has_field(no_reason.error(), "reason", message::REASON_MISSING));
}

TEST_P(FundsServiceTest, OnlyTheFundsManagersPost) {
    frame(2018, w().risk, MNOK);
    Posting p = make(EntryKind::Reserve, 2018, w().risk, KR);
    for (const auto* who :
         {&w().admin, &w().auditor, &w().decision_maker, &w().reviewer, &w().other_manager}) {
        auto refused = funds().post(w().as(*who), w().fund, p);
        ASSERT_FALSE(refused) << who->email;
        EXPECT_EQ(refused.error().kind, ErrorKind::Forbidden) << who->email;
    }
    auto other_tenant = funds().post(w().as(w().asker_admin), w().fund, p);
    EXPECT_EQ(other_tenant.error().kind, ErrorKind::NotFound);
    auto anonymous = funds().post(identity::Actor::web(nullptr, "r"), w().fund, p);
    EXPECT_EQ(anonymous.error().kind, ErrorKind::Unauthenticated);
}

TEST_P(FundsServiceTest, TransferIsTwoLinkedLegs) {
    frame(2018, w().risk, 3 * MNOK);
    Posting transfer = make(EntryKind::Transfer, 2018, w().risk, MNOK, "Flytter til forskning");
    transfer.to = Cell{2019, w().research};
    auto posted = post_ok(transfer);
    ASSERT_EQ(posted.entry_ids.size(), 2u);
    EXPECT_EQ(cell(2018, w().risk).available(), 2 * MNOK);
    EXPECT_EQ(cell(2018, w().risk).transfers_out, MNOK);
    EXPECT_EQ(cell(2019, w().research).available(), MNOK);
    EXPECT_EQ(cell(2019, w().research).transfers_in, MNOK);

    auto page = funds().ledger(manager(), w().fund, {});
    ASSERT_TRUE(page);
    ASSERT_EQ(page->entries.size(), 3u);
    const LedgerEntry& in = page->entries[0];
    const LedgerEntry& out = page->entries[1];
    EXPECT_EQ(out.amount_ore, -MNOK);
    EXPECT_EQ(in.amount_ore, MNOK);
    EXPECT_EQ(in.counterpart_id, out.id);
    EXPECT_EQ(out.counterpart_id, in.id);
    EXPECT_EQ(in.kind, EntryKind::Transfer);
}

TEST_P(FundsServiceTest, ReversalCancelsBothLegsOnceAndOnlyOnce) {
    frame(2018, w().risk, 3 * MNOK);
    Posting transfer = make(EntryKind::Transfer, 2018, w().risk, MNOK);
    transfer.to = Cell{2018, w().research};
    auto posted = post_ok(transfer);
    // Reversing through the second leg reverses the pair.
    auto reversed = funds().reverse(manager(), w().fund, posted.entry_ids[1], "Feilført");
    ASSERT_TRUE(reversed) << reversed.error().message;
    ASSERT_EQ(reversed->entry_ids.size(), 2u);
    EXPECT_EQ(newest_action(), "ledger.reverse");
    EXPECT_EQ(cell(2018, w().risk).available(), 3 * MNOK);
    EXPECT_EQ(cell(2018, w().research).available(), 0);

    auto again = funds().reverse(manager(), w().fund, posted.entry_ids[0], "Igjen");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(again.error().message, message::ALREADY_REVERSED);
    auto of_reversal = funds().reverse(manager(), w().fund, reversed->entry_ids[0], "Angre");
    ASSERT_FALSE(of_reversal);
    EXPECT_EQ(of_reversal.error().message, message::REVERSAL_OF_REVERSAL);
    EXPECT_EQ(funds().reverse(manager(), w().fund, 999999, "x").error().kind, ErrorKind::NotFound);

    auto entry = db().read(
        [&](soci::session& sql) { return store::find_entry(sql, w().fund, posted.entry_ids[0]); });
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->reversed_by, reversed->entry_ids[0]);
}

TEST_P(FundsServiceTest, ReversingACommitmentThatWasPaidIsRefused) {
    frame(2018, w().risk, 3 * MNOK);
    auto commit = post_ok(make(EntryKind::Commit, 2018, w().risk, MNOK));
    post_ok(make(EntryKind::Disburse, 2018, w().risk, 100'000 * KR));
    auto refused = funds().reverse(manager(), w().fund, commit.entry_ids[0], "Feil");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, message::REVERSAL_BREAKS_BALANCE);
}

TEST_P(FundsServiceTest, ReferenceKeepsItsOwnBalance) {
    frame(2018, w().research, 4 * MNOK);
    Posting a = make(EntryKind::Commit, 2018, w().research, 500'000 * KR);
    a.reference = Reference{ReferenceType::Application, 17};
    post_ok(a);
    Posting b = make(EntryKind::Commit, 2018, w().research, MNOK);
    b.reference = Reference{ReferenceType::Application, 18};
    post_ok(b);
    Posting pay = make(EntryKind::Disburse, 2018, w().research, 600'000 * KR);
    pay.reference = Reference{ReferenceType::Application, 17};
    auto refused = funds().post(manager(), w().fund, pay);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, message::REFERENCE_MORE_THAN_UNPAID);
    pay.amount = 500'000 * KR;
    post_ok(pay);

    LedgerFilter filter;
    filter.reference = Reference{ReferenceType::Application, 17};
    auto page = funds().ledger(manager(), w().fund, filter);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->total, 2);
    EXPECT_EQ(page->entries.size(), 2u);
}

TEST_P(FundsServiceTest, SetFrameMovesTheFrameToATotal) {
    FrameChange change{{2019, w().rd}, MNOK, "Årlig ramme", {}};
    ASSERT_TRUE(funds().set_frame(manager(), w().fund, change));
    change.total = 800'000 * KR;
    auto lowered = funds().set_frame(manager(), w().fund, change);
    ASSERT_TRUE(lowered);
    EXPECT_EQ(lowered->after.at({2019, w().rd}).frame, 800'000 * KR);
    EXPECT_TRUE(has_field(funds().set_frame(manager(), w().fund, change).error(), "amount",
                          message::FRAME_UNCHANGED));
    post_ok(make(EntryKind::Commit, 2019, w().rd, 700'000 * KR));
    change.total = 500'000 * KR; // below what is committed
    auto refused = funds().set_frame(manager(), w().fund, change);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, message::NOT_ENOUGH_AVAILABLE);
}

TEST_P(FundsServiceTest, CarryOverMovesUnusedMoneyToNextYear) {
    frame(2017, w().risk, 3 * MNOK);
    frame(2017, w().social, 2 * MNOK);
    post_ok(make(EntryKind::Commit, 2017, w().risk, 2'575'000 * KR));
    post_ok(make(EntryKind::Commit, 2017, w().social, 2 * MNOK));
    auto carried =
        funds().carry_over(manager(), w().fund, 2017, std::nullopt, "Årsavslutning 2017");
    ASSERT_TRUE(carried) << carried.error().message;
    EXPECT_EQ(carried->entry_ids.size(), 2u); // only risk capital had money left
    EXPECT_EQ(newest_action(), "ledger.carry_over");
    EXPECT_EQ(cell(2017, w().risk).available(), 0);
    EXPECT_EQ(cell(2017, w().risk).carried_out, 425'000 * KR);
    EXPECT_EQ(cell(2018, w().risk).available(), 425'000 * KR);

    auto nothing = funds().carry_over(manager(), w().fund, 2017, std::nullopt, "Igjen");
    ASSERT_FALSE(nothing);
    EXPECT_EQ(nothing.error().message, message::NOTHING_TO_CARRY_OVER);
    auto last_year = funds().carry_over(manager(), w().fund, 2020, std::nullopt, "Slutt");
    EXPECT_TRUE(has_field(last_year.error(), "year", message::NO_NEXT_YEAR));

    FundInput no_carry{0, "Forsknings- og innovasjonsfond", "", 2017, 2020, false, true};
    ASSERT_TRUE(funds().update_fund(manager(), w().fund, no_carry));
    frame(2018, w().rd, MNOK);
    auto refused = funds().carry_over(manager(), w().fund, 2018, w().rd, "Årsavslutning");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(refused.error().message, message::CARRY_OVER_NOT_ALLOWED);
}

TEST_P(FundsServiceTest, ClosedFundTakesNoPostings) {
    FundInput closed{0, "Forsknings- og innovasjonsfond", "", 2017, 2020, true, false};
    ASSERT_TRUE(funds().update_fund(manager(), w().fund, closed));
    auto refused = funds().post(manager(), w().fund, make(EntryKind::Frame, 2018, w().risk, KR));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::Conflict);
}

// --- Reading --------------------------------------------------------------------

TEST_P(FundsServiceTest, BudgetSummaryHasEveryYearAndProgrammeWithTotals) {
    for (int year = 2017; year <= 2020; ++year) {
        frame(year, w().risk, 3 * MNOK);
        frame(year, w().research, 4 * MNOK);
        frame(year, w().social, 2 * MNOK);
        frame(year, w().rd, 1 * MNOK);
    }
    post_ok(make(EntryKind::Commit, 2018, w().research, 1'500'000 * KR));
    auto summary = funds().budget(w().as(w().decision_maker), w().fund);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->years.size(), 4u);
    EXPECT_EQ(summary->programmes.size(), 4u);
    EXPECT_EQ(summary->cells.size(), 16u);
    EXPECT_EQ(summary->year_total(2018).frame, 10 * MNOK);
    EXPECT_EQ(summary->year_total(2018).available(), 8'500'000 * KR);
    EXPECT_EQ(summary->programme_total(w().research).committed(), 1'500'000 * KR);
    EXPECT_EQ(summary->total().frame, 40 * MNOK);
    EXPECT_EQ(summary->total().entries, 17);
}

TEST_P(FundsServiceTest, WhoMayReadTheBudgetAndTheLedger) {
    frame(2018, w().risk, MNOK);
    EXPECT_TRUE(funds().budget(w().as(w().auditor), w().fund));
    EXPECT_TRUE(funds().budget(w().as(w().admin), w().fund));
    EXPECT_TRUE(funds().budget(w().as(w().decision_maker), w().fund));
    EXPECT_EQ(funds().budget(w().as(w().reviewer), w().fund).error().kind, ErrorKind::Forbidden);
    EXPECT_EQ(funds().budget(w().as(w().other_manager), w().fund).error().kind,
              ErrorKind::Forbidden);
    EXPECT_TRUE(funds().ledger(w().as(w().auditor), w().fund, {}));
    EXPECT_EQ(funds().ledger(w().as(w().decision_maker), w().fund, {}).error().kind,
              ErrorKind::Forbidden);
    // Another tenant: as if the fund did not exist, for every read.
    EXPECT_EQ(funds().budget(w().as(w().asker_admin), w().fund).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(funds().ledger(w().as(w().asker_admin), w().fund, {}).error().kind,
              ErrorKind::NotFound);
    EXPECT_EQ(funds().fund(w().as(w().asker_admin), w().fund).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(funds().budget(manager(), 424242).error().kind, ErrorKind::NotFound);
}

TEST_P(FundsServiceTest, LedgerPagesAndFilters) {
    for (int year = 2017; year <= 2020; ++year) {
        frame(year, w().risk, 3 * MNOK);
        frame(year, w().social, 2 * MNOK);
    }
    for (int i = 0; i < 7; ++i)
        post_ok(make(EntryKind::Reserve, 2019, w().social, (i + 1) * 1000 * KR));

    LedgerFilter filter;
    filter.per_page = 5;
    auto first = funds().ledger(manager(), w().fund, filter);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->total, 15);
    ASSERT_EQ(first->entries.size(), 5u);
    EXPECT_GT(first->entries[0].id, first->entries[1].id); // newest first
    filter.page = 3;
    auto third = funds().ledger(manager(), w().fund, filter);
    EXPECT_EQ(third->entries.size(), 5u);
    filter.page = 4;
    EXPECT_TRUE(funds().ledger(manager(), w().fund, filter)->entries.empty());

    LedgerFilter by_cell;
    by_cell.year = 2019;
    by_cell.programme_id = w().social;
    auto cell_page = funds().ledger(manager(), w().fund, by_cell);
    EXPECT_EQ(cell_page->total, 8);
    EXPECT_EQ(cell_page->entries.size(), 8u);
    LedgerFilter by_kind;
    by_kind.kind = EntryKind::Frame;
    EXPECT_EQ(funds().ledger(manager(), w().fund, by_kind)->total, 8);
    by_kind.year = 2020;
    EXPECT_EQ(funds().ledger(manager(), w().fund, by_kind)->entries.size(), 2u);

    LedgerFilter clamped;
    clamped.page = -3;
    clamped.per_page = 100000;
    auto page = funds().ledger(manager(), w().fund, clamped);
    EXPECT_EQ(page->page, 1);
    EXPECT_EQ(page->per_page, MAX_LEDGER_PER_PAGE);

    std::vector<Id> exported;
    ASSERT_TRUE(funds().export_ledger(w().as(w().auditor), w().fund, by_cell,
                                      [&](const LedgerEntry& e) { exported.push_back(e.id); }));
    EXPECT_EQ(exported.size(), 8u);
    EXPECT_TRUE(std::is_sorted(exported.begin(), exported.end())); // oldest first
}

TEST_P(FundsServiceTest, EveryChangeWritesOneAuditEntryInAnIntactChain) {
    long long before = audit_count();
    frame(2018, w().risk, MNOK);
    EXPECT_EQ(audit_count(), before + 1);
    EXPECT_EQ(newest_action(), "ledger.post");
    auto refused =
        funds().post(manager(), w().fund, make(EntryKind::Commit, 2018, w().risk, 2 * MNOK));
    EXPECT_FALSE(refused);
    EXPECT_EQ(audit_count(), before + 1);
    auto verification =
        db().read([&](soci::session& sql) { return identity::verify_audit_chain(sql, engine()); });
    EXPECT_TRUE(verification.ok) << verification.problem;
}

// --- Storage ------------------------------------------------------------------------

TEST_P(FundsServiceTest, LedgerIsAppendOnly) {
    frame(2018, w().risk, MNOK);
    for (const char* statement : {"UPDATE ledger_entry SET amount_ore = 1",
                                  "DELETE FROM ledger_entry", "UPDATE fund SET name = name"}) {
        bool refused = false;
        try {
            db().transact([&](soci::session& sql) { sql << statement; });
        } catch (const soci::soci_error& e) {
            refused = true;
            EXPECT_NE(std::string(e.what()).find("append-only"), std::string::npos) << e.what();
        }
        // The fund itself may change; the ledger may not.
        EXPECT_EQ(refused, std::string(statement).find("ledger_entry") != std::string::npos)
            << statement;
    }
    if (engine() == db::Engine::Sqlite) {
        EXPECT_THROW(db().transact([&](soci::session& sql) {
            sql << "INSERT OR REPLACE INTO ledger_entry SELECT * FROM ledger_entry";
        }),
                     soci::soci_error);
    } else {
        EXPECT_THROW(
            db().transact([&](soci::session& sql) { sql << "TRUNCATE ledger_entry CASCADE"; }),
            soci::soci_error);
    }
    EXPECT_EQ(cell(2018, w().risk).frame, MNOK);
}

TEST_P(FundsServiceTest, BulkInsertWritesEveryEntryAsGiven) {
    std::vector<LedgerEntry> entries;
    Balances expected;
    for (int i = 0; i < 450; ++i) { // three statements, the last one partial
        LedgerEntry e;
        e.fund_id = w().fund;
        e.organisation_id = w().baerum;
        e.year = 2017 + i % 4;
        e.programme_id = i % 2 ? w().risk : w().rd;
        e.kind = i % 3 ? EntryKind::Frame : EntryKind::Commit;
        e.amount_ore = 100 + i;
        if (i % 5 == 0)
            e.reference = Reference{ReferenceType::Project, i + 1};
        e.author_user_id = w().manager.user_id;
        e.reason = "Masseinnlesing «" + std::to_string(i) + "»";
        e.created_at = "2026-11-27T10:00:00.000000Z";
        entries.push_back(e);
        apply_effects(expected, {{{e.year, e.programme_id}, e.kind, std::nullopt, e.amount_ore}});
    }
    db().transact([&](soci::session& sql) {
        store::insert_entries(sql, entries);
        store::write_checkpoint(sql, w().fund, "2026-11-27T10:00:00.000000Z");
    });
    db().read([&](soci::session& sql) {
        EXPECT_EQ(fold(store::bucket_sums(sql, w().fund)), expected);
        EXPECT_EQ(fold(store::bucket_sums_full_scan(sql, w().fund)), expected);
        EXPECT_FALSE(store::verify_checkpoints(sql, w().fund).first_bad_checkpoint);
        EXPECT_EQ(fold(store::reference_bucket_sums(sql, w().fund, {ReferenceType::Project, 446}))
                      .at({2018, w().risk})
                      .frame,
                  545);
    });
    LedgerFilter filter;
    filter.reference = Reference{ReferenceType::Project, 446};
    auto page = funds().ledger(manager(), w().fund, filter);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->entries.size(), 1u);
    EXPECT_EQ(page->entries[0].reason, "Masseinnlesing «445»");
    EXPECT_EQ(page->entries[0].author_name, w().manager.name);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, FundsServiceTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

// --- The roll-up ----------------------------------------------------------------------

// Checkpoints every 3 entries, so that a few postings cross several.
class FundsRollupTest : public FundsServiceTest {
protected:
    FundsOptions options() const override { return {3}; }
};

TEST_P(FundsRollupTest, CheckpointsSumAnImmutablePrefixAndTheSummaryAddsTheTail) {
    frame(2018, w().risk, 3 * MNOK);
    frame(2019, w().risk, 3 * MNOK);
    for (int i = 0; i < 10; ++i) {
        post_ok(make(EntryKind::Reserve, 2018, w().risk, (i + 1) * 1000 * KR));
        Posting transfer = make(EntryKind::Transfer, 2019, w().risk, 100 * KR);
        transfer.to = Cell{2018, w().social};
        post_ok(transfer);
    }
    db().read([&](soci::session& sql) {
        long long checkpoints = 0;
        sql << "SELECT COUNT(*) FROM ledger_checkpoint", soci::into(checkpoints);
        EXPECT_GE(checkpoints, 5);
        auto verification = store::verify_checkpoints(sql, w().fund);
        EXPECT_EQ(verification.checked, checkpoints);
        EXPECT_FALSE(verification.first_bad_checkpoint);
        EXPECT_LT(store::entries_since_checkpoint(sql, w().fund), 3);
        EXPECT_EQ(fold(store::bucket_sums(sql, w().fund)),
                  fold(store::bucket_sums_full_scan(sql, w().fund)));
    });
    EXPECT_EQ(cell(2018, w().risk).reserved(), 55'000 * KR);
    EXPECT_EQ(cell(2018, w().social).transfers_in, 1000 * KR);
    LedgerFilter all;
    EXPECT_EQ(funds().ledger(manager(), w().fund, all)->total, 32);
    all.kind = EntryKind::Transfer;
    EXPECT_EQ(funds().ledger(manager(), w().fund, all)->total, 20);

    // Checkpoints are append-only too.
    EXPECT_THROW(db().transact([&](soci::session& sql) {
        sql << "UPDATE ledger_checkpoint_total SET total_ore = 0";
    }),
                 soci::soci_error);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, FundsRollupTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
