// Pure rules of applications: organisation numbers, references, the
// workflow table, budget and financing totals, the own share, answer
// validation and the completeness check.

#include "applications/model.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <limits>

namespace {

using namespace spire;
using namespace spire::applications;

constexpr Ore KR = 100;

bool has(const std::vector<FieldError>& errors, const std::string& field,
         const std::string& message = "") {
    return std::any_of(errors.begin(), errors.end(), [&](const FieldError& e) {
        return e.field == field && (message.empty() || e.message == message);
    });
}

TEST(OrganisationNumber, AcceptsRealNumbers) {
    EXPECT_TRUE(is_valid_organisation_number("974760673")); // Brønnøysundregistrene
    EXPECT_TRUE(is_valid_organisation_number("935478715")); // Bærum kommune
    EXPECT_TRUE(is_valid_organisation_number("974 760 673"));
    EXPECT_EQ(normalise_organisation_number("974 760 673"), "974760673");
}

TEST(OrganisationNumber, RemainderZeroGivesCheckDigitZero) {
    EXPECT_TRUE(is_valid_organisation_number("100000040"));
    EXPECT_FALSE(is_valid_organisation_number("100000041"));
}

TEST(OrganisationNumber, RemainderOneIsNeverValid) {
    // 4×3 = 12, remainder 1: no check digit makes it valid.
    for (char check = '0'; check <= '9'; ++check)
        EXPECT_FALSE(is_valid_organisation_number(std::string("40000000") + check)) << check;
}

TEST(OrganisationNumber, RefusesWrongCheckDigitLengthAndLetters) {
    EXPECT_FALSE(is_valid_organisation_number("974760674"));
    EXPECT_FALSE(is_valid_organisation_number("97476067"));
    EXPECT_FALSE(is_valid_organisation_number("9747606730"));
    EXPECT_FALSE(is_valid_organisation_number("97476067a"));
    EXPECT_FALSE(is_valid_organisation_number(""));
    EXPECT_FALSE(is_valid_organisation_number("-974760673"));
}

TEST(Reference, HasYearAndAtLeastFourDigits) {
    EXPECT_EQ(format_reference(2018, 42), "SPIRE-2018-0042");
    EXPECT_EQ(format_reference(2018, 1), "SPIRE-2018-0001");
    EXPECT_EQ(format_reference(2019, 12345), "SPIRE-2019-12345");
}

TEST(Reference, ParsesWhatItFormats) {
    auto parts = parse_reference(" spire-2018-0042 ");
    ASSERT_TRUE(parts);
    EXPECT_EQ(parts->year, 2018);
    EXPECT_EQ(parts->number, 42);
    EXPECT_FALSE(parse_reference("SPIRE-18-0042"));
    EXPECT_FALSE(parse_reference("SPIRE-2018-42"));
    EXPECT_FALSE(parse_reference("søknad"));
}

TEST(Workflow, FollowsTheTable) {
    EXPECT_EQ(next_status(Status::Draft, Transition::Submit, true), Status::AwaitingEndorsement);
    EXPECT_EQ(next_status(Status::Draft, Transition::Submit, false), Status::Submitted);
    EXPECT_EQ(next_status(Status::AwaitingEndorsement, Transition::Endorse, true),
              Status::Submitted);
    EXPECT_EQ(next_status(Status::AwaitingEndorsement, Transition::Return, true), Status::Draft);
    EXPECT_EQ(next_status(Status::Submitted, Transition::Return, true), Status::Draft);
    for (Status from : {Status::Draft, Status::AwaitingEndorsement, Status::Submitted})
        EXPECT_EQ(next_status(from, Transition::Withdraw, true), Status::Withdrawn);
}

TEST(Workflow, RefusesWhatTheTableDoesNotAllow) {
    EXPECT_FALSE(allowed(Status::Submitted, Transition::Save));
    EXPECT_FALSE(allowed(Status::AwaitingEndorsement, Transition::Save));
    EXPECT_FALSE(allowed(Status::Submitted, Transition::Submit));
    EXPECT_FALSE(allowed(Status::Draft, Transition::Endorse));
    EXPECT_FALSE(allowed(Status::Draft, Transition::Return));
    for (Transition t : {Transition::Save, Transition::Submit, Transition::Endorse,
                         Transition::Return, Transition::Withdraw})
        EXPECT_FALSE(allowed(Status::Withdrawn, t));
}

TEST(Enums, KeysRoundTrip) {
    for (Status s : ALL_STATUSES)
        EXPECT_EQ(parse_status(status_key(s)), s);
    for (CostType c : ALL_COST_TYPES)
        EXPECT_EQ(parse_cost_type(cost_type_key(c)), c);
    for (FinancingSource f : ALL_FINANCING_SOURCES)
        EXPECT_EQ(parse_financing_source(financing_source_key(f)), f);
    for (PartnerKind k : ALL_PARTNER_KINDS)
        EXPECT_EQ(parse_partner_kind(partner_kind_key(k)), k);
    EXPECT_FALSE(parse_status("approved"));
    EXPECT_EQ(cost_type_key(CostType::RdServices), "rd_services");
}

TEST(Budget, TotalsByYearAndCostType) {
    std::vector<BudgetLine> lines = {{2018, CostType::Personnel, 100 * KR},
                                     {2018, CostType::Equipment, 50 * KR},
                                     {2019, CostType::Personnel, 200 * KR}};
    EXPECT_EQ(budget_total(lines), 350 * KR);
    auto years = budget_totals_by_year(lines);
    ASSERT_EQ(years.size(), 2u);
    EXPECT_EQ(years[0].year, 2018);
    EXPECT_EQ(years[0].total_ore, 150 * KR);
    EXPECT_EQ(years[1].total_ore, 200 * KR);
    auto types = budget_totals_by_cost_type(lines);
    ASSERT_EQ(types.size(), 4u);
    EXPECT_EQ(types[0].total_ore, 300 * KR);
    EXPECT_EQ(types[1].total_ore, 0);
    EXPECT_EQ(types[2].total_ore, 50 * KR);
    EXPECT_EQ(budget_cell(lines, 2019, CostType::Personnel), 200 * KR);
    EXPECT_EQ(budget_cell(lines, 2019, CostType::Other), 0);
}

TEST(Budget, OverflowIsReportedNotWrapped) {
    const Ore max = std::numeric_limits<Ore>::max();
    EXPECT_FALSE(budget_total({{2018, CostType::Personnel, max}, {2018, CostType::Other, 1}}));
}

TEST(Budget, ValidationRefusesDuplicatesNegativeAndBadYears) {
    auto errors = validate_budget({{2018, CostType::Personnel, 1},
                                   {2018, CostType::Personnel, 2},
                                   {2019, CostType::Other, -1},
                                   {1999, CostType::Other, 1}});
    EXPECT_TRUE(has(errors, "budget_2018_personnel", message::BUDGET_DUPLICATE));
    EXPECT_TRUE(has(errors, "budget_2019_other", message::AMOUNT_NEGATIVE));
    EXPECT_TRUE(has(errors, "budget", message::YEAR_OUT_OF_RANGE));
    EXPECT_TRUE(validate_budget({{2018, CostType::Personnel, 1}}).empty());
}

TEST(Financing, LineTotalIsCashPlusHoursTimesRate) {
    FinancingLine line{FinancingSource::OwnUnit, "", 1000 * KR, 10, 500 * KR};
    EXPECT_EQ(line.total(), 6000 * KR);
    std::vector<FinancingLine> lines = {line, {FinancingSource::Fund, "", 4000 * KR, 0, 0}};
    EXPECT_EQ(financing_total(lines), 10000 * KR);
    EXPECT_EQ(financing_total(lines, FinancingSource::Fund), 4000 * KR);
    EXPECT_EQ(financing_total(lines, FinancingSource::External), 0);
}

TEST(Financing, OverflowIsSafe) {
    const Ore max = std::numeric_limits<Ore>::max();
    FinancingLine huge{FinancingSource::Fund, "", 0, 1'000'000, max / 2};
    EXPECT_FALSE(huge.total());
    EXPECT_EQ(huge.total_ore(), 0);
    FinancingLine cash{FinancingSource::Fund, "", max, 1, 1};
    EXPECT_FALSE(cash.total());
    EXPECT_FALSE(financing_total(
        {{FinancingSource::Fund, "", max, 0, 0}, {FinancingSource::Fund, "", 1, 0, 0}}));
}

TEST(Financing, ValidationNamesTheRow) {
    auto errors = validate_financing({{FinancingSource::Fund, "", 1, 0, 0},
                                      {FinancingSource::External, "", -1, -2, MAX_AMOUNT_ORE + 1}});
    EXPECT_TRUE(has(errors, "financing_1_cash", message::AMOUNT_NEGATIVE));
    EXPECT_TRUE(has(errors, "financing_1_hours", message::HOURS_OUT_OF_RANGE));
    EXPECT_TRUE(has(errors, "financing_1_rate", message::AMOUNT_TOO_LARGE));
    EXPECT_FALSE(has(errors, "financing_0_cash"));
}

TEST(OwnShare, CountsOwnContributionAndOwnUnitAndRoundsRequiredUp) {
    std::vector<FinancingLine> financing = {
        {FinancingSource::OwnUnit, "", 100 * KR, 2, 50 * KR},  // 200 kr
        {FinancingSource::External, "NFR", 10000 * KR, 0, 0}}; // not own
    // 20 % of 1 000,01 kr = 200,002 kr -> 200,01 kr (rounded up to the øre).
    auto share = own_share(100001, 20, 0, financing);
    EXPECT_EQ(share.required_ore, 20001);
    EXPECT_EQ(share.own_ore, 200 * KR);
    EXPECT_FALSE(share.met());
    EXPECT_TRUE(own_share(100001, 20, 1, financing).met());
    EXPECT_TRUE(own_share(1000 * KR, 0, 0, {}).met());
}

TEST(Themes, AreTrimmedLowerCasedAndUnique) {
    auto themes = normalise_themes({"  Tidlig  innsats ", "tidlig innsats", "", "ÆØÅ-Ting"});
    ASSERT_EQ(themes.size(), 2u);
    EXPECT_EQ(themes[0], "tidlig innsats");
    EXPECT_EQ(themes[1], "æøå-ting");
}

TEST(Partners, ValidationChecksMod11AndNames) {
    auto errors = validate_partners({{"NTNU", "974767880", PartnerKind::ResearchInstitution, ""},
                                     {"", "974760674", PartnerKind::Company, ""}});
    EXPECT_TRUE(has(errors, "partner_1_name", message::PARTNER_NAME_MISSING));
    EXPECT_TRUE(has(errors, "partner_1_organisation_number", message::ORGANISATION_NUMBER_INVALID));
    EXPECT_FALSE(has(errors, "partner_0_organisation_number"));
}

// --- Answers ---------------------------------------------------------------------

calls::FormField field(Id id, calls::FieldKind kind, bool required = false) {
    calls::FormField f;
    f.id = id;
    f.label = "Felt " + std::to_string(id);
    f.kind = kind;
    f.required = required;
    if (kind == calls::FieldKind::SingleChoice || kind == calls::FieldKind::MultipleChoice)
        f.options = {{id * 10 + 1, id, "A", 0}, {id * 10 + 2, id, "B", 1}};
    return f;
}

TEST(Answers, TextRespectsMaxLengthInCharacters) {
    auto f = field(1, calls::FieldKind::ShortText);
    f.max_length = 3;
    Answer a;
    a.field_id = 1;
    a.text = "æøå"; // 6 bytes, 3 characters
    EXPECT_FALSE(validate_answer(f, a));
    a.text = "æøåb";
    EXPECT_EQ(validate_answer(f, a)->field, "field_1");
}

TEST(Answers, NumbersAcceptCommaOrPointDecimals) {
    auto f = field(2, calls::FieldKind::Number);
    Answer a;
    a.field_id = 2;
    for (const char* ok : {"12", "-3,5", "3.25", " 7 "}) {
        a.number = ok;
        EXPECT_FALSE(validate_answer(f, a)) << ok;
    }
    for (const char* bad : {"", "1e5", "12,", ",5", "1 000", "abc", "1,2,3", "--1"}) {
        a.number = bad;
        EXPECT_TRUE(validate_answer(f, a)) << bad;
    }
}

TEST(Answers, DatesMustBeRealDays) {
    auto f = field(3, calls::FieldKind::Date);
    Answer a;
    a.field_id = 3;
    a.date = "2018-02-28";
    EXPECT_FALSE(validate_answer(f, a));
    for (const char* bad : {"2018-02-30", "2018-2-28", "28.02.2018", "2018-13-01", ""}) {
        a.date = bad;
        EXPECT_EQ(validate_answer(f, a)->message, message::ANSWER_NOT_A_DATE) << bad;
    }
}

TEST(Answers, OptionsMustBelongToTheField) {
    auto single = field(4, calls::FieldKind::SingleChoice);
    Answer a;
    a.field_id = 4;
    a.option_id = 41;
    EXPECT_FALSE(validate_answer(single, a));
    a.option_id = 51;
    EXPECT_EQ(validate_answer(single, a)->message, message::ANSWER_UNKNOWN_OPTION);

    auto multiple = field(5, calls::FieldKind::MultipleChoice);
    Answer m;
    m.field_id = 5;
    m.option_ids = {51, 52};
    EXPECT_FALSE(validate_answer(multiple, m));
    m.option_ids = {51, 41};
    EXPECT_TRUE(validate_answer(multiple, m));
    m.option_ids = {51, 51};
    EXPECT_TRUE(validate_answer(multiple, m));
}

TEST(Answers, OnlyTheFieldsKindMayBeSet) {
    auto f = field(6, calls::FieldKind::YesNo);
    Answer a;
    a.field_id = 6;
    a.text = "ja";
    EXPECT_EQ(validate_answer(f, a)->message, message::ANSWER_WRONG_KIND);
    a.text.reset();
    a.yes_no = true;
    EXPECT_FALSE(validate_answer(f, a));
    auto money = field(7, calls::FieldKind::Money);
    Answer m;
    m.field_id = 7;
    m.amount_ore = -1;
    EXPECT_EQ(validate_answer(money, m)->message, message::AMOUNT_NEGATIVE);
}

TEST(Details, UnknownFieldsAndBadValuesAreNamed) {
    calls::FormDefinition form;
    form.sections.push_back({1, 1, "Seksjon", "", 0, {field(1, calls::FieldKind::ShortText)}});
    DetailsInput input;
    input.title = "";
    input.duration_years = 0;
    input.start_year = 1999;
    Answer unknown;
    unknown.field_id = 99;
    unknown.text = "x";
    input.answers = {unknown};
    input.own_contribution_ore = -5;
    auto errors = validate_details(input, form);
    EXPECT_TRUE(has(errors, "title", message::TITLE_MISSING));
    EXPECT_TRUE(has(errors, "duration_years"));
    EXPECT_TRUE(has(errors, "start_year"));
    EXPECT_TRUE(has(errors, "field_99", message::UNKNOWN_FIELD));
    EXPECT_TRUE(has(errors, "own_contribution", message::AMOUNT_NEGATIVE));
}

// --- Completeness ------------------------------------------------------------------

Application complete_application() {
    Application a;
    a.title = "Tidlig innsats i barnehagen";
    a.summary = "Et prosjekt.";
    a.start_year = 2018;
    a.duration_years = 2;
    a.budget = {{2018, CostType::Personnel, 300'000 * KR}, {2019, CostType::Other, 100'000 * KR}};
    a.financing = {{FinancingSource::Fund, "", 300'000 * KR, 0, 0},
                   {FinancingSource::OwnUnit, "", 0, 200, 500 * KR}};
    Answer answer;
    answer.field_id = 1;
    answer.text = "Svar";
    a.answers = {answer};
    return a;
}

struct Completeness : ::testing::Test {
    calls::FormDefinition form;
    SubmissionContext context;
    void SetUp() override {
        form.sections.push_back({1,
                                 1,
                                 "S",
                                 "",
                                 0,
                                 {field(1, calls::FieldKind::LongText, true),
                                  field(2, calls::FieldKind::File, false)}});
        context.max_amount_ore = 500'000 * KR;
        context.max_duration_years = 3;
        context.programme_kind = funds::ProgrammeKind::RiskCapital;
        context.form = &form;
    }
};

TEST_F(Completeness, ACompleteApplicationIsReady) {
    EXPECT_TRUE(check_completeness(complete_application(), context).empty());
}

TEST_F(Completeness, ListsWhatIsMissing) {
    Application a;
    a.duration_years = 1;
    auto missing = check_completeness(a, context);
    EXPECT_TRUE(has(missing, "title"));
    EXPECT_TRUE(has(missing, "summary"));
    EXPECT_TRUE(has(missing, "start_year"));
    EXPECT_TRUE(has(missing, "field_1", message::ANSWER_REQUIRED));
    EXPECT_FALSE(has(missing, "field_2"));
    EXPECT_TRUE(has(missing, "budget", message::BUDGET_MISSING));
    EXPECT_TRUE(has(missing, "financing", message::FINANCING_MISSING));
}

TEST_F(Completeness, TotalsMustAddUpAndStayUnderTheMax) {
    auto a = complete_application();
    a.financing[0].cash_ore += 1;
    EXPECT_TRUE(has(check_completeness(a, context), "financing", message::FINANCING_NOT_BALANCED));
    a = complete_application();
    context.max_amount_ore = 299'999 * KR;
    EXPECT_TRUE(has(check_completeness(a, context), "financing", message::REQUESTED_OVER_MAX));
}

TEST_F(Completeness, YearsAndDurationFollowTheCall) {
    auto a = complete_application();
    a.duration_years = 1; // 2019 now outside
    EXPECT_TRUE(has(check_completeness(a, context), "budget", message::BUDGET_YEAR_OUTSIDE));
    a = complete_application();
    a.duration_years = 4;
    EXPECT_TRUE(has(check_completeness(a, context), "duration_years", message::DURATION_TOO_LONG));
}

TEST_F(Completeness, RequiredFileNeedsAnAttachmentForTheField) {
    form.sections[0].fields[1].required = true;
    auto a = complete_application();
    EXPECT_TRUE(has(check_completeness(a, context), "field_2"));
    AttachmentInfo attachment;
    attachment.id = 9;
    attachment.field_id = 2;
    a.attachments.push_back(attachment);
    EXPECT_FALSE(has(check_completeness(a, context), "field_2"));
}

TEST_F(Completeness, ResearchCofundingNeedsExternalCallAndOwnShare) {
    context.programme_kind = funds::ProgrammeKind::ResearchCofunding;
    auto a = complete_application();
    auto missing = check_completeness(a, context);
    EXPECT_TRUE(has(missing, "external_call_id"));
    EXPECT_TRUE(has(missing, "project_total"));
    EXPECT_TRUE(has(missing, "own_contribution", message::OWN_CONTRIBUTION_MISSING));

    a.external_call_id = 5;
    context.required_own_share_percent = 20;
    a.project_total_ore = 2'000'000 * KR;
    a.external_applied_ore = 1'600'000 * KR;
    a.own_contribution_ore = 300'000 * KR; // + own unit 100 000 kr = 400 000 = 20 %
    EXPECT_TRUE(check_completeness(a, context).empty());

    a.project_total_ore = 2'000'005 * KR; // 20 % is 400 001 kr
    EXPECT_TRUE(
        has(check_completeness(a, context), "own_contribution", message::OWN_SHARE_TOO_LOW));

    a.project_total_ore = 2'000'000 * KR;
    a.own_contribution_ore = 250'000 * KR; // differs from what the plan asks of the fund
    EXPECT_TRUE(has(check_completeness(a, context), "own_contribution",
                    message::OWN_CONTRIBUTION_NOT_FINANCED));
}

TEST_F(Completeness, SocialEntrepreneursNeedSuchAPartnerAndAModel) {
    context.programme_kind = funds::ProgrammeKind::SocialEntrepreneurs;
    auto a = complete_application();
    auto missing = check_completeness(a, context);
    EXPECT_TRUE(has(missing, "partners", message::SOCIAL_ENTREPRENEUR_MISSING));
    EXPECT_TRUE(has(missing, "partnership_model_id"));
    a.partners = {{"Gründer AS", "", PartnerKind::SocialEntrepreneur, "Leverandør"}};
    a.partnership_model_id = 3;
    context.partnership_model_known = true;
    EXPECT_TRUE(check_completeness(a, context).empty());
}

} // namespace
