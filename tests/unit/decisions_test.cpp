// The pure parts of the decisions module: validation of decisions and
// proposals, what an outcome posts, the policy as a matrix, and the letter
// (escaping, the appeal paragraph only for external recipients).

#include "decisions/letter.hpp"
#include "decisions/model.hpp"
#include "decisions/policy.hpp"

#include <algorithm>
#include <gtest/gtest.h>

namespace {

using namespace spire;
using namespace spire::decisions;
using identity::Role;

constexpr Ore KR = 100;

bool has_field(const std::vector<FieldError>& errors, const std::string& field,
               const std::string& message = "") {
    return std::any_of(errors.begin(), errors.end(), [&](const FieldError& e) {
        return e.field == field && (message.empty() || e.message == message);
    });
}

DecisionInput granted(Ore amount) {
    DecisionInput input;
    input.application_id = 7;
    input.outcome = Outcome::Granted;
    input.amounts = {{2019, 3, amount}};
    return input;
}

TEST(DecisionRules, OutcomeKeysRoundTrip) {
    for (Outcome outcome : ALL_OUTCOMES)
        EXPECT_EQ(parse_outcome(outcome_key(outcome)), outcome);
    EXPECT_FALSE(parse_outcome("approved"));
}

TEST(DecisionRules, ConditionalReservesAndTheOthersCommit) {
    EXPECT_EQ(posting_kind(Outcome::Conditional), funds::EntryKind::Reserve);
    EXPECT_EQ(posting_kind(Outcome::Granted), funds::EntryKind::Commit);
    EXPECT_EQ(posting_kind(Outcome::PartlyGranted), funds::EntryKind::Commit);
    EXPECT_FALSE(has_amounts(Outcome::Rejected));
}

TEST(DecisionRules, RefusesNegativeZeroAndNonIntegerAmounts) {
    const std::string field = amount_field(2019, 3);
    EXPECT_TRUE(validate_decision(granted(100'000 * KR)).empty());
    EXPECT_TRUE(
        has_field(validate_decision(granted(-100 * KR)), field, message::AMOUNT_NOT_POSITIVE));
    EXPECT_TRUE(has_field(validate_decision(granted(0)), field, message::AMOUNT_NOT_POSITIVE));
    EXPECT_TRUE(has_field(validate_decision(granted(100 * KR + 1)), field,
                          message::AMOUNT_NOT_WHOLE_KRONER));
    EXPECT_TRUE(has_field(validate_decision(granted(funds::MAX_POSTING_ORE + KR)), field,
                          message::AMOUNT_TOO_LARGE));
    auto twice = granted(100 * KR);
    twice.amounts.push_back({2019, 3, 200 * KR});
    EXPECT_TRUE(has_field(validate_decision(twice), field, message::DUPLICATE_CELL));
}

TEST(DecisionRules, ReasonsAreRequiredForRejectionsAndPartialGrantsOnly) {
    auto partial = granted(100 * KR);
    partial.outcome = Outcome::PartlyGranted;
    EXPECT_TRUE(has_field(validate_decision(partial), "reasons", message::REASONS_REQUIRED));
    partial.reasons = " \n ";
    EXPECT_TRUE(has_field(validate_decision(partial), "reasons"));
    partial.reasons = "Bare første fase.";
    EXPECT_TRUE(validate_decision(partial).empty());

    DecisionInput rejection;
    rejection.outcome = Outcome::Rejected;
    EXPECT_TRUE(has_field(validate_decision(rejection), "reasons"));
    rejection.reasons = "Utenfor utlysningen.";
    EXPECT_TRUE(validate_decision(rejection).empty());
    rejection.amounts = {{2019, 3, 100 * KR}};
    EXPECT_TRUE(has_field(validate_decision(rejection), amount_field(2019, 3),
                          message::REJECTION_HAS_NO_AMOUNT));

    // A full grant needs no reasons, but money.
    auto empty = granted(100 * KR);
    empty.amounts.clear();
    EXPECT_TRUE(has_field(validate_decision(empty), "amount", message::AMOUNT_REQUIRED));
}

TEST(DecisionRules, AProposalNeedsAJustification) {
    Proposal proposal;
    proposal.outcome = Outcome::Rejected;
    EXPECT_TRUE(has_field(validate_proposal(proposal), "justification"));
    proposal.justification = "Lavere rangert.";
    EXPECT_TRUE(validate_proposal(proposal).empty());
}

TEST(DecisionRules, OnlySocialEntrepreneursAreExternalRecipients) {
    EXPECT_TRUE(recipient_is_external(funds::ProgrammeKind::SocialEntrepreneurs));
    EXPECT_FALSE(recipient_is_external(funds::ProgrammeKind::RiskCapital));
    EXPECT_FALSE(recipient_is_external(funds::ProgrammeKind::ResearchCofunding));
}

identity::Principal user_with(Role role, std::optional<identity::Id> fund = std::nullopt) {
    identity::Principal user;
    user.user_id = 1;
    user.organisation_id = 10;
    user.grants = {{0, 1, 10, role, std::nullopt, fund}};
    return user;
}

TEST(DecisionsPolicy, Matrix) {
    const DecisionsResource fund{10, 5};
    struct Row {
        Role role;
        bool view, recommend, decide, external_answer;
    };
    const Row rows[] = {
        {Role::FundManager, true, true, false, true},
        {Role::DecisionMaker, true, false, true, false},
        {Role::Auditor, true, false, false, false},
        {Role::Applicant, false, false, false, false},
        {Role::Reviewer, false, false, false, false},
        {Role::Admin, false, false, false, false},
        {Role::UnitLeader, false, false, false, false},
    };
    for (const auto& row : rows) {
        auto user = user_with(row.role);
        EXPECT_EQ(authorize(&user, DecisionsAction::View, fund).allowed, row.view);
        EXPECT_EQ(authorize(&user, DecisionsAction::Recommend, fund).allowed, row.recommend);
        EXPECT_EQ(authorize(&user, DecisionsAction::Decide, fund).allowed, row.decide);
        EXPECT_EQ(authorize(&user, DecisionsAction::RecordExternalAnswer, fund).allowed,
                  row.external_answer);
    }
    EXPECT_EQ(authorize(nullptr, DecisionsAction::View, fund).kind, ErrorKind::Unauthenticated);
    auto other_tenant = user_with(Role::DecisionMaker);
    EXPECT_EQ(authorize(&other_tenant, DecisionsAction::Decide, {11, 5}).kind, ErrorKind::NotFound);
    // A grant for another fund does not count.
    auto other_fund = user_with(Role::DecisionMaker, 6);
    EXPECT_FALSE(authorize(&other_fund, DecisionsAction::Decide, fund).allowed);
    auto this_fund = user_with(Role::DecisionMaker, 5);
    EXPECT_TRUE(authorize(&this_fund, DecisionsAction::Decide, fund).allowed);
}

LetterData letter() {
    LetterData data;
    data.organisation_name = "Bærum kommune";
    data.fund_name = "Forsknings- og innovasjonsfond";
    data.reference = "SPIRE-2017-0003";
    data.date = "05.12.2017";
    data.recipient_name = "Ingrid Hansen";
    data.unit_name = "Jar skole";
    data.application_title = "Lesing <script>alert(1)</script>";
    data.call_title = "Innovasjonsmidler";
    data.outcome = Outcome::Granted;
    data.amounts = {{2018, "Intern risikokapital", 250'000 * KR}};
    data.requested_ore = 250'000 * KR;
    data.reasons = "A & B";
    data.decided_by_name = "Erik Haugen";
    return data;
}

std::string identity_tr(std::string_view msgid) {
    return std::string(msgid);
}

TEST(DecisionLetter, EscapesWhatWasTyped) {
    const std::string html = letter_html(letter(), identity_tr);
    EXPECT_EQ(html.find("<script>"), std::string::npos);
    EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
    EXPECT_NE(html.find("A &amp; B"), std::string::npos);
    EXPECT_NE(html.find("SPIRE-2017-0003"), std::string::npos);
    EXPECT_NE(html.find("Bærum kommune"), std::string::npos);
    EXPECT_NE(html.find("2018"), std::string::npos);
}

TEST(DecisionLetter, OnlyExternalRecipientsAreToldHowToAppeal) {
    auto internal = letter();
    EXPECT_EQ(letter_html(internal, identity_tr).find("forvaltningsloven § 29"), std::string::npos);
    auto external = letter();
    external.external_recipient = true;
    const std::string html = letter_html(external, identity_tr);
    EXPECT_NE(html.find("forvaltningsloven § 29"), std::string::npos);
    EXPECT_NE(html.find("3 weeks"), std::string::npos);
    EXPECT_NE(letter_text(external, identity_tr).find("forvaltningsloven § 29"), std::string::npos);
}

} // namespace
