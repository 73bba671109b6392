// The budget ledger's pure rules (funds/ledger.hpp): balances from entries,
// what each posting changes, and which postings are refused with which
// message.

#include "funds/ledger.hpp"

#include <algorithm>
#include <gtest/gtest.h>

using namespace spire;
using namespace spire::funds;

namespace {

constexpr Id RISK = 11;
constexpr Id RESEARCH = 12;
constexpr Id CLOSED = 13;
constexpr Ore MNOK = 100'000'000; // 1 000 000 kr in øre

Fund fund_2017_2020(bool carry_over = true) {
    Fund fund;
    fund.id = 1;
    fund.organisation_id = 1;
    fund.name = "Forsknings- og innovasjonsfond";
    fund.first_year = 2017;
    fund.last_year = 2020;
    fund.carry_over_allowed = carry_over;
    return fund;
}

std::vector<Programme> programmes() {
    Programme risk{RISK, 1, "Intern risikokapital", "", ProgrammeKind::RiskCapital, true, 1, ""};
    Programme research{
        RESEARCH, 1, "Forskningsmedfinansiering", "", ProgrammeKind::ResearchCofunding, true,
        2,        ""};
    Programme closed{CLOSED, 1, "Nedlagt", "", ProgrammeKind::Other, false, 3, ""};
    return {risk, research, closed};
}

Posting posting(EntryKind kind, Cell cell, Ore amount) {
    Posting p;
    p.kind = kind;
    p.cell = cell;
    p.amount = amount;
    p.reason = "Testpostering";
    if (kind == EntryKind::Release)
        p.release_of = ReleaseOf::Reserve;
    return p;
}

bool has_field(const std::vector<FieldError>& errors, const std::string& field,
               const std::string& message = "") {
    return std::any_of(errors.begin(), errors.end(), [&](const FieldError& e) {
        return e.field == field && (message.empty() || e.message == message);
    });
}

// Balances after posting `effects` one after the other, each checked.
Balances posted(std::initializer_list<std::vector<Effect>> postings) {
    Balances balances;
    for (const auto& effects : postings) {
        auto checked = check_effects(balances, nullptr, effects, {}, MayOverride::No);
        EXPECT_TRUE(checked) << (checked ? "" : checked.error().message);
        apply_effects(balances, effects);
    }
    return balances;
}

const Cell RISK_2018{2018, RISK};
const Cell RESEARCH_2018{2018, RESEARCH};

std::vector<Effect> one(EntryKind kind, Cell cell, Ore amount,
                        std::optional<ReleaseOf> of = std::nullopt) {
    return {{cell, kind, of, amount}};
}

} // namespace

// --- Balances ---------------------------------------------------------------------

TEST(BudgetLedger, AvailableIsFramePlusTransfersMinusReservedAndCommitted) {
    CellBalance cell;
    cell.add(EntryKind::Frame, std::nullopt, 3 * MNOK);
    cell.add(EntryKind::Transfer, std::nullopt, 500'000'00);
    cell.add(EntryKind::Transfer, std::nullopt, -200'000'00);
    cell.add(EntryKind::CarryOver, std::nullopt, 100'000'00);
    cell.add(EntryKind::Reserve, std::nullopt, 400'000'00);
    cell.add(EntryKind::Commit, std::nullopt, 1 * MNOK);
    cell.add(EntryKind::Disburse, std::nullopt, 600'000'00);
    cell.add(EntryKind::Release, ReleaseOf::Reserve, 150'000'00);
    cell.add(EntryKind::Release, ReleaseOf::Commit, 50'000'00);

    EXPECT_EQ(cell.transfers_in, 500'000'00);
    EXPECT_EQ(cell.transfers_out, 200'000'00);
    EXPECT_EQ(cell.budget(), 3 * MNOK + 300'000'00 + 100'000'00);
    EXPECT_EQ(cell.reserved(), 250'000'00);
    EXPECT_EQ(cell.committed(), 950'000'00);
    EXPECT_EQ(cell.unpaid(), 350'000'00);
    // Disbursed is part of committed: paying out changes nothing available.
    EXPECT_EQ(cell.available(), 3 * MNOK + 400'000'00 - 250'000'00 - 950'000'00);
    EXPECT_EQ(cell.entries, 9);
}

TEST(BudgetLedger, FoldAddsBucketsPerCell) {
    std::vector<BucketSum> buckets = {
        {RISK_2018, EntryKind::Frame, std::nullopt, true, 3 * MNOK, 1},
        {RISK_2018, EntryKind::Commit, std::nullopt, true, 2 * MNOK, 4},
        {RISK_2018, EntryKind::Commit, std::nullopt, false, -MNOK, 1},
        {RESEARCH_2018, EntryKind::Transfer, std::nullopt, false, -MNOK, 2},
    };
    Balances balances = fold(buckets);
    ASSERT_EQ(balances.size(), 2u);
    EXPECT_EQ(balances[RISK_2018].committed(), MNOK);
    EXPECT_EQ(balances[RISK_2018].available(), 2 * MNOK);
    EXPECT_EQ(balances[RISK_2018].entries, 6);
    EXPECT_EQ(balances[RESEARCH_2018].transfers_out, MNOK);
}

// --- Validation of the posting itself ---------------------------------------------

TEST(BudgetLedger, AcceptsAWellFormedPosting) {
    auto errors = validate_posting(posting(EntryKind::Commit, RISK_2018, MNOK), fund_2017_2020(),
                                   programmes());
    EXPECT_TRUE(errors.empty());
}

TEST(BudgetLedger, RefusesAmountsThatAreNotPositive) {
    for (Ore amount : {0LL, -1LL, -MNOK}) {
        auto errors = validate_posting(posting(EntryKind::Reserve, RISK_2018, amount),
                                       fund_2017_2020(), programmes());
        EXPECT_TRUE(has_field(errors, "amount", message::AMOUNT_NOT_POSITIVE)) << amount;
    }
    auto errors = validate_posting(posting(EntryKind::Reserve, RISK_2018, MAX_POSTING_ORE + 1),
                                   fund_2017_2020(), programmes());
    EXPECT_TRUE(has_field(errors, "amount", message::AMOUNT_TOO_LARGE));
}

TEST(BudgetLedger, RefusesYearsOutsideTheFundsPeriod) {
    for (int year : {2016, 2021, 0}) {
        auto errors = validate_posting(posting(EntryKind::Frame, {year, RISK}, MNOK),
                                       fund_2017_2020(), programmes());
        EXPECT_TRUE(has_field(errors, "year", message::YEAR_OUTSIDE_PERIOD)) << year;
    }
}

TEST(BudgetLedger, RefusesUnknownAndClosedProgrammes) {
    auto unknown = validate_posting(posting(EntryKind::Frame, {2018, 999}, MNOK), fund_2017_2020(),
                                    programmes());
    EXPECT_TRUE(has_field(unknown, "programme_id", message::UNKNOWN_PROGRAMME));
    auto closed = validate_posting(posting(EntryKind::Frame, {2018, CLOSED}, MNOK),
                                   fund_2017_2020(), programmes());
    EXPECT_TRUE(has_field(closed, "programme_id", message::PROGRAMME_CLOSED));
}

TEST(BudgetLedger, RefusesTransferToTheSameCellOrNowhere) {
    Posting same = posting(EntryKind::Transfer, RISK_2018, MNOK);
    same.to = RISK_2018;
    EXPECT_TRUE(has_field(validate_posting(same, fund_2017_2020(), programmes()), "to_programme_id",
                          message::TRANSFER_SAME_CELL));
    Posting nowhere = posting(EntryKind::Transfer, RISK_2018, MNOK);
    EXPECT_TRUE(has_field(validate_posting(nowhere, fund_2017_2020(), programmes()),
                          "to_programme_id", message::TRANSFER_NEEDS_TARGET));
    Posting outside = posting(EntryKind::Transfer, RISK_2018, MNOK);
    outside.to = Cell{2021, RISK};
    EXPECT_TRUE(has_field(validate_posting(outside, fund_2017_2020(), programmes()), "to_year",
                          message::YEAR_OUTSIDE_PERIOD));
    Posting other_year = posting(EntryKind::Transfer, RISK_2018, MNOK);
    other_year.to = Cell{2019, RISK};
    EXPECT_TRUE(validate_posting(other_year, fund_2017_2020(), programmes()).empty());
}

TEST(BudgetLedger, ReleaseNeedsATargetAndOnlySomeKindsTakeAReference) {
    Posting release = posting(EntryKind::Release, RISK_2018, MNOK);
    release.release_of.reset();
    EXPECT_TRUE(has_field(validate_posting(release, fund_2017_2020(), programmes()), "release_of",
                          message::RELEASE_NEEDS_TARGET));
    Posting frame = posting(EntryKind::Frame, RISK_2018, MNOK);
    frame.reference = Reference{ReferenceType::Application, 7};
    EXPECT_TRUE(has_field(validate_posting(frame, fund_2017_2020(), programmes()), "reference_type",
                          message::REFERENCE_NOT_ALLOWED));
    Posting commit = posting(EntryKind::Commit, RISK_2018, MNOK);
    commit.reference = Reference{ReferenceType::Project, 0};
    EXPECT_TRUE(has_field(validate_posting(commit, fund_2017_2020(), programmes()), "reference_id",
                          message::REFERENCE_ID));
}

TEST(BudgetLedger, RequiresAReasonAndAnOverrideReason) {
    Posting p = posting(EntryKind::Reserve, RISK_2018, MNOK);
    p.reason = "   ";
    p.override = {true, " \n"};
    auto errors = validate_posting(p, fund_2017_2020(), programmes());
    EXPECT_TRUE(has_field(errors, "reason", message::REASON_MISSING));
    EXPECT_TRUE(has_field(errors, "override_reason", message::OVERRIDE_REASON_MISSING));
    p.reason = std::string(MAX_REASON_LENGTH + 1, 'x');
    EXPECT_TRUE(has_field(validate_posting(p, fund_2017_2020(), programmes()), "reason",
                          message::REASON_TOO_LONG));
}

TEST(BudgetLedger, CarryOverIsNotAPostingKind) {
    auto errors = validate_posting(posting(EntryKind::CarryOver, RISK_2018, MNOK), fund_2017_2020(),
                                   programmes());
    EXPECT_TRUE(has_field(errors, "kind", message::NOT_A_POSTING_KIND));
}

// --- Effects ----------------------------------------------------------------------

TEST(BudgetLedger, TransferIsTwoLegsOfOppositeSign) {
    Posting p = posting(EntryKind::Transfer, RISK_2018, MNOK);
    p.to = RESEARCH_2018;
    auto effects = effects_of(p);
    ASSERT_EQ(effects.size(), 2u);
    EXPECT_EQ(effects[0].cell, RISK_2018);
    EXPECT_EQ(effects[0].amount, -MNOK);
    EXPECT_EQ(effects[1].cell, RESEARCH_2018);
    EXPECT_EQ(effects[1].amount, MNOK);
}

TEST(BudgetLedger, ReversalNegatesEveryLeg) {
    LedgerEntry out;
    out.year = 2018;
    out.programme_id = RISK;
    out.kind = EntryKind::Transfer;
    out.amount_ore = -MNOK;
    LedgerEntry in = out;
    in.programme_id = RESEARCH;
    in.amount_ore = MNOK;
    auto effects = reversal_of({out, in});
    ASSERT_EQ(effects.size(), 2u);
    EXPECT_EQ(effects[0].amount, MNOK);
    EXPECT_EQ(effects[1].amount, -MNOK);
    EXPECT_EQ(effects[1].cell, RESEARCH_2018);
}

TEST(BudgetLedger, CarryOverMovesWhatIsAvailableToNextYear) {
    Balances balances = posted(
        {one(EntryKind::Frame, RISK_2018, 3 * MNOK), one(EntryKind::Commit, RISK_2018, 2 * MNOK),
         one(EntryKind::Frame, RESEARCH_2018, MNOK), one(EntryKind::Commit, RESEARCH_2018, MNOK)});
    auto effects = carry_over_of(balances, 2018, {RISK, RESEARCH});
    ASSERT_EQ(effects.size(), 2u); // research has nothing left
    EXPECT_EQ(effects[0].cell, RISK_2018);
    EXPECT_EQ(effects[0].amount, -MNOK);
    EXPECT_EQ(effects[1].cell, (Cell{2019, RISK}));
    EXPECT_EQ(effects[1].amount, MNOK);
    apply_effects(balances, effects);
    EXPECT_EQ(balances[RISK_2018].available(), 0);
    EXPECT_EQ((balances[Cell{2019, RISK}].available()), MNOK);
}

TEST(BudgetLedger, FrameChangePostsTheDifference) {
    Balances balances = posted({one(EntryKind::Frame, RISK_2018, 3 * MNOK)});
    EXPECT_EQ(frame_change(balances, RISK_2018, 2 * MNOK)->amount, -MNOK);
    EXPECT_EQ(frame_change(balances, RISK_2018, 4 * MNOK)->amount, MNOK);
    EXPECT_FALSE(frame_change(balances, RISK_2018, 3 * MNOK));
}

// --- Balance rules ------------------------------------------------------------------

TEST(BudgetLedger, RefusesCommitBeyondAvailable) {
    Balances balances = posted({one(EntryKind::Frame, RISK_2018, MNOK)});
    auto refused = check_effects(balances, nullptr, one(EntryKind::Commit, RISK_2018, MNOK + 1), {},
                                 MayOverride::Yes);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::Invalid);
    EXPECT_EQ(refused.error().message, message::NOT_ENOUGH_AVAILABLE);
    EXPECT_TRUE(has_field(refused.error().fields, "amount"));
    EXPECT_TRUE(check_effects(balances, nullptr, one(EntryKind::Commit, RISK_2018, MNOK), {},
                              MayOverride::No));
}

TEST(BudgetLedger, FundManagerMayOverrideWithAReason) {
    Balances balances = posted({one(EntryKind::Frame, RISK_2018, MNOK)});
    auto effects = one(EntryKind::Reserve, RISK_2018, 2 * MNOK);
    auto allowed = check_effects(balances, nullptr, effects, {true, "Vedtatt av innovasjonsrådet"},
                                 MayOverride::Yes);
    ASSERT_TRUE(allowed);
    EXPECT_TRUE(allowed->overridden);
    EXPECT_EQ(allowed->after.at(RISK_2018).available(), -MNOK);

    auto without_reason = check_effects(balances, nullptr, effects, {true, ""}, MayOverride::Yes);
    ASSERT_FALSE(without_reason);
    EXPECT_TRUE(has_field(without_reason.error().fields, "override_reason"));

    auto not_manager = check_effects(balances, nullptr, effects, {true, "Fordi"}, MayOverride::No);
    ASSERT_FALSE(not_manager);
    EXPECT_EQ(not_manager.error().kind, ErrorKind::Forbidden);
}

TEST(BudgetLedger, OverrideIsNotUsedWhenNotNeeded) {
    Balances balances = posted({one(EntryKind::Frame, RISK_2018, MNOK)});
    auto checked = check_effects(balances, nullptr, one(EntryKind::Reserve, RISK_2018, MNOK),
                                 {true, "Sikkerhets skyld"}, MayOverride::Yes);
    ASSERT_TRUE(checked);
    EXPECT_FALSE(checked->overridden);
}

TEST(BudgetLedger, PostingThatImprovesAnOverdrawnCellNeedsNoOverride) {
    Balances balances = posted({one(EntryKind::Frame, RISK_2018, MNOK)});
    apply_effects(balances, one(EntryKind::Commit, RISK_2018, 3 * MNOK)); // an earlier override
    auto release = check_effects(balances, nullptr,
                                 one(EntryKind::Release, RISK_2018, MNOK, ReleaseOf::Commit), {},
                                 MayOverride::No);
    ASSERT_TRUE(release);
    EXPECT_FALSE(release->overridden);
    auto disburse = check_effects(balances, nullptr, one(EntryKind::Disburse, RISK_2018, MNOK), {},
                                  MayOverride::No);
    EXPECT_TRUE(disburse); // changes nothing available
}

TEST(BudgetLedger, TransferOutNeedsAvailableMoneyInTheSource) {
    Balances balances = posted({one(EntryKind::Frame, RISK_2018, MNOK)});
    Posting p = posting(EntryKind::Transfer, RISK_2018, 2 * MNOK);
    p.to = RESEARCH_2018;
    auto refused = check_effects(balances, nullptr, effects_of(p), {}, MayOverride::Yes);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, message::NOT_ENOUGH_AVAILABLE);
}

TEST(BudgetLedger, RefusesDisbursingMoreThanIsCommittedAndUnpaid) {
    Balances balances =
        posted({one(EntryKind::Frame, RISK_2018, 3 * MNOK), one(EntryKind::Commit, RISK_2018, MNOK),
                one(EntryKind::Disburse, RISK_2018, 600'000'00)});
    auto refused = check_effects(balances, nullptr, one(EntryKind::Disburse, RISK_2018, 400'000'01),
                                 {true, "Må"}, MayOverride::Yes);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, message::DISBURSE_MORE_THAN_UNPAID);
    EXPECT_TRUE(check_effects(balances, nullptr, one(EntryKind::Disburse, RISK_2018, 400'000'00),
                              {}, MayOverride::No));
}

TEST(BudgetLedger, RefusesReleasingMoreThanIsReservedOrUnpaid) {
    Balances balances = posted(
        {one(EntryKind::Frame, RISK_2018, 3 * MNOK), one(EntryKind::Reserve, RISK_2018, MNOK),
         one(EntryKind::Commit, RISK_2018, MNOK), one(EntryKind::Disburse, RISK_2018, 700'000'00)});
    auto reserve = check_effects(balances, nullptr,
                                 one(EntryKind::Release, RISK_2018, MNOK + 1, ReleaseOf::Reserve),
                                 {}, MayOverride::Yes);
    ASSERT_FALSE(reserve);
    EXPECT_EQ(reserve.error().message, message::RELEASE_MORE_THAN_RESERVED);
    // Paid money cannot be given back: only the unpaid 300 000 kr.
    auto commit = check_effects(balances, nullptr,
                                one(EntryKind::Release, RISK_2018, 300'000'01, ReleaseOf::Commit),
                                {}, MayOverride::Yes);
    ASSERT_FALSE(commit);
    EXPECT_EQ(commit.error().message, message::RELEASE_MORE_THAN_UNPAID);
    auto released = check_effects(balances, nullptr,
                                  one(EntryKind::Release, RISK_2018, 300'000'00, ReleaseOf::Commit),
                                  {}, MayOverride::No);
    ASSERT_TRUE(released);
    EXPECT_EQ(released->after.at(RISK_2018).available(), 3 * MNOK - MNOK - 700'000'00);
}

TEST(BudgetLedger, ReferenceCannotBeDisbursedBeyondItsOwnCommitment) {
    Balances fund = posted(
        {one(EntryKind::Frame, RISK_2018, 3 * MNOK), one(EntryKind::Commit, RISK_2018, 2 * MNOK)});
    Balances reference = posted({one(EntryKind::Frame, RISK_2018, 3 * MNOK)});
    reference.clear();
    apply_effects(reference, one(EntryKind::Commit, RISK_2018, 500'000'00)); // this project's part
    auto refused = check_effects(fund, &reference, one(EntryKind::Disburse, RISK_2018, MNOK), {},
                                 MayOverride::Yes);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, message::REFERENCE_MORE_THAN_UNPAID);
    EXPECT_TRUE(check_effects(fund, &reference, one(EntryKind::Disburse, RISK_2018, 500'000'00), {},
                              MayOverride::No));
}

TEST(BudgetLedger, RefusesFrameBelowZeroEvenWithOverride) {
    Balances balances = posted({one(EntryKind::Frame, RISK_2018, MNOK)});
    auto refused = check_effects(balances, nullptr, one(EntryKind::Frame, RISK_2018, -2 * MNOK),
                                 {true, "Kutt"}, MayOverride::Yes);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, message::FRAME_BELOW_ZERO);
}

TEST(BudgetLedger, ReversingACommitmentWithPaymentsIsRefused) {
    Balances balances =
        posted({one(EntryKind::Frame, RISK_2018, 3 * MNOK), one(EntryKind::Commit, RISK_2018, MNOK),
                one(EntryKind::Disburse, RISK_2018, 100'000'00)});
    LedgerEntry commit;
    commit.year = 2018;
    commit.programme_id = RISK;
    commit.kind = EntryKind::Commit;
    commit.amount_ore = MNOK;
    auto refused =
        check_effects(balances, nullptr, reversal_of({commit}), {true, "x"}, MayOverride::Yes);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, message::REVERSAL_BREAKS_BALANCE);
}

// --- Summary ----------------------------------------------------------------------

TEST(BudgetLedger, SummaryHasEveryCellAndTotals) {
    Balances balances = posted({one(EntryKind::Frame, RISK_2018, 3 * MNOK),
                                one(EntryKind::Frame, RESEARCH_2018, 4 * MNOK),
                                one(EntryKind::Commit, RESEARCH_2018, MNOK),
                                one(EntryKind::Frame, {2019, RISK}, 3 * MNOK)});
    auto summary = make_summary(fund_2017_2020(), programmes(), balances);
    EXPECT_EQ(summary.years, (std::vector<int>{2017, 2018, 2019, 2020}));
    EXPECT_EQ(summary.cells.size(), 12u); // 4 years × 3 programmes
    EXPECT_EQ(summary.cell(2017, RISK).available(), 0);
    EXPECT_EQ(summary.year_total(2018).frame, 7 * MNOK);
    EXPECT_EQ(summary.year_total(2018).available(), 6 * MNOK);
    EXPECT_EQ(summary.programme_total(RISK).frame, 6 * MNOK);
    EXPECT_EQ(summary.total().committed(), MNOK);
    EXPECT_EQ(summary.total().available(), 9 * MNOK);
    EXPECT_EQ(summary.programmes.front().id, RISK); // by sort order
}
