// From form text to the funds service's typed inputs: what is accepted,
// and that every problem comes back on its own field.

#include "funds/forms.hpp"

#include <algorithm>
#include <gtest/gtest.h>

using namespace spire;
using namespace spire::funds;

namespace {

bool has_field(const Error& error, const std::string& field, const std::string& message = "") {
    return std::any_of(error.fields.begin(), error.fields.end(), [&](const FieldError& e) {
        return e.field == field && (message.empty() || e.message == message);
    });
}

PostingForm reserve_form() {
    PostingForm form;
    form.kind = "reserve";
    form.year = "2018";
    form.programme_id = "12";
    form.amount = "1 234 500,50";
    form.reason = "  Egenandel til søknad i Forskningsrådet  ";
    return form;
}

} // namespace

TEST(FundsForms, ParsesAPosting) {
    auto posting = parse_posting_form(reserve_form());
    ASSERT_TRUE(posting) << posting.error().message;
    EXPECT_EQ(posting->kind, EntryKind::Reserve);
    EXPECT_EQ(posting->cell, (Cell{2018, 12}));
    EXPECT_EQ(posting->amount, 123450050);
    EXPECT_EQ(posting->reason, "Egenandel til søknad i Forskningsrådet");
    EXPECT_FALSE(posting->reference);
    EXPECT_FALSE(posting->override.requested);
}

TEST(FundsForms, ReportsEveryBadFieldAtOnce) {
    PostingForm form;
    form.kind = "bribe";
    form.year = "18";
    form.programme_id = "x";
    form.amount = "-5";
    form.reference_type = "application";
    form.override = "on";
    auto posting = parse_posting_form(form);
    ASSERT_FALSE(posting);
    EXPECT_EQ(posting.error().kind, ErrorKind::Invalid);
    EXPECT_TRUE(has_field(posting.error(), "kind"));
    EXPECT_TRUE(has_field(posting.error(), "year", message::YEAR_FORMAT));
    EXPECT_TRUE(has_field(posting.error(), "programme_id", message::CHOOSE_PROGRAMME));
    EXPECT_TRUE(has_field(posting.error(), "amount", MONEY_NEGATIVE));
    EXPECT_TRUE(has_field(posting.error(), "reference_id", message::REFERENCE_ID));
    EXPECT_TRUE(has_field(posting.error(), "reason", message::REASON_MISSING));
    EXPECT_TRUE(has_field(posting.error(), "override_reason", message::OVERRIDE_REASON_MISSING));
}

TEST(FundsForms, AmountMessagesComeFromTheMoneyParser) {
    PostingForm form = reserve_form();
    form.amount = "12,345";
    EXPECT_TRUE(has_field(parse_posting_form(form).error(), "amount", MONEY_TOO_MANY_DECIMALS));
    form.amount = "tolv";
    EXPECT_TRUE(has_field(parse_posting_form(form).error(), "amount", MONEY_NOT_A_NUMBER));
    form.amount = "0";
    EXPECT_TRUE(
        has_field(parse_posting_form(form).error(), "amount", message::AMOUNT_NOT_POSITIVE));
    form.amount = "";
    EXPECT_TRUE(has_field(parse_posting_form(form).error(), "amount", MONEY_EMPTY));
}

TEST(FundsForms, TransferTargetDefaultsToTheSameYearOrProgramme) {
    PostingForm form = reserve_form();
    form.kind = "transfer";
    form.to_programme_id = "13";
    auto between_programmes = parse_posting_form(form);
    ASSERT_TRUE(between_programmes);
    EXPECT_EQ(between_programmes->to, (Cell{2018, 13}));
    form.to_programme_id = "";
    form.to_year = "2019";
    auto between_years = parse_posting_form(form);
    ASSERT_TRUE(between_years);
    EXPECT_EQ(between_years->to, (Cell{2019, 12}));
}

TEST(FundsForms, ReleaseNeedsItsTargetAndReferenceBothParts) {
    PostingForm form = reserve_form();
    form.kind = "release";
    EXPECT_TRUE(has_field(parse_posting_form(form).error(), "release_of"));
    form.release_of = "commit";
    form.reference_type = "project";
    form.reference_id = "42";
    auto posting = parse_posting_form(form);
    ASSERT_TRUE(posting);
    EXPECT_EQ(posting->release_of, ReleaseOf::Commit);
    EXPECT_EQ(posting->reference, (Reference{ReferenceType::Project, 42}));
    form.reference_type = "";
    EXPECT_TRUE(has_field(parse_posting_form(form).error(), "reference_type"));
}

TEST(FundsForms, FundFormChecksYearsAndName) {
    FundForm form{"Forsknings- og innovasjonsfond", "", "2017", "2020", "1", "on"};
    auto input = parse_fund_form(form, 3);
    ASSERT_TRUE(input);
    EXPECT_EQ(input->organisation_id, 3);
    EXPECT_TRUE(input->carry_over_allowed);
    EXPECT_TRUE(input->active);
    form.name = " ";
    form.last_year = "2016";
    auto bad = parse_fund_form(form, 3);
    ASSERT_FALSE(bad);
    EXPECT_TRUE(has_field(bad.error(), "name", message::FUND_NAME_MISSING));
    EXPECT_TRUE(has_field(bad.error(), "last_year", message::LAST_YEAR_BEFORE_FIRST));
    form.name = "Fond";
    form.first_year = "tjuesytten";
    EXPECT_TRUE(has_field(parse_fund_form(form, 3).error(), "first_year", message::YEAR_FORMAT));
}

TEST(FundsForms, ProgrammeFormNeedsAKnownKind) {
    ProgrammeForm form{"Sosiale entreprenører", "", "social_entrepreneurs", "1", "3"};
    auto input = parse_programme_form(form);
    ASSERT_TRUE(input);
    EXPECT_EQ(input->kind, ProgrammeKind::SocialEntrepreneurs);
    EXPECT_EQ(input->sort_order, 3);
    form.kind = "lottery";
    form.sort_order = "first";
    auto bad = parse_programme_form(form);
    ASSERT_FALSE(bad);
    EXPECT_TRUE(has_field(bad.error(), "kind"));
    EXPECT_TRUE(has_field(bad.error(), "sort_order"));
}

TEST(FundsForms, FrameFormTakesTheNewTotal) {
    FrameForm form{"2018", "11", "3 000 000", "Årlig ramme", "", ""};
    auto change = parse_frame_form(form);
    ASSERT_TRUE(change);
    EXPECT_EQ(change->total, 300000000);
    form.amount = "0";
    EXPECT_TRUE(parse_frame_form(form)); // a frame may be set to nothing
}

TEST(FundsForms, LedgerFilterFromQueryParameters) {
    auto all = parse_ledger_filter({});
    ASSERT_TRUE(all);
    EXPECT_FALSE(all->year);
    EXPECT_EQ(all->page, 1);
    EXPECT_EQ(all->per_page, 50);
    auto some = parse_ledger_filter({"2018", "11", "commit", "application", "7", "3", "200"});
    ASSERT_TRUE(some);
    EXPECT_EQ(some->year, 2018);
    EXPECT_EQ(some->programme_id, 11);
    EXPECT_EQ(some->kind, EntryKind::Commit);
    EXPECT_EQ(some->reference, (Reference{ReferenceType::Application, 7}));
    EXPECT_EQ(some->page, 3);
    EXPECT_EQ(some->per_page, 200);
    auto bad = parse_ledger_filter({"x", "", "payment", "", "", "0", "201"});
    ASSERT_FALSE(bad);
    EXPECT_TRUE(has_field(bad.error(), "year"));
    EXPECT_TRUE(has_field(bad.error(), "kind"));
    EXPECT_TRUE(has_field(bad.error(), "page"));
    EXPECT_TRUE(has_field(bad.error(), "per_page"));
}
