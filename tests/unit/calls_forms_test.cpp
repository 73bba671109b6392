// calls/forms: typed input from the call, criterion, field and catalogue
// forms, with one Norwegian-translatable message per bad field.

#include "calls/forms.hpp"

#include <algorithm>
#include <gtest/gtest.h>

using namespace spire;
using namespace spire::calls;

namespace {

std::string message_for(const Error& error, const std::string& field) {
    for (const auto& e : error.fields) {
        if (e.field == field)
            return e.message;
    }
    return {};
}

CallForm good_call() {
    CallForm form;
    form.programme_id = "3";
    form.title = "Innovasjonsmidler høst 2018";
    form.description = "**Søk** nå";
    form.opens_date = "2018-08-20";
    form.opens_time = "";
    form.closes_date = "2018-10-15";
    form.closes_time = "12:00";
    form.max_amount = "500 000";
    form.max_duration_years = "2";
    form.endorsement_required = "1";
    return form;
}

} // namespace

TEST(CallsForms, ParsesACall) {
    auto input = parse_call_form(good_call());
    ASSERT_TRUE(input) << input.error().message;
    EXPECT_EQ(input->programme_id, 3);
    EXPECT_EQ(input->max_amount_ore, 50'000'000);
    EXPECT_EQ(input->max_duration_years, 2);
    EXPECT_EQ(input->opens_at, "2018-08-19T22:00:00.000000Z");
    EXPECT_EQ(input->closes_at, "2018-10-15T10:00:00.000000Z");
    EXPECT_TRUE(input->endorsement_required);
    EXPECT_FALSE(input->rolling);
}

TEST(CallsForms, CloseTimeDefaultsToNoon) {
    CallForm form = good_call();
    form.closes_time = "";
    EXPECT_EQ(parse_call_form(form)->closes_at, "2018-10-15T10:00:00.000000Z");
}

TEST(CallsForms, RollingCallIgnoresTheCloseTime) {
    CallForm form = good_call();
    form.rolling = "on";
    form.closes_date = "";
    form.closes_time = "";
    auto input = parse_call_form(form);
    ASSERT_TRUE(input);
    EXPECT_TRUE(input->rolling);
    EXPECT_FALSE(input->closes_at);
}

TEST(CallsForms, ReportsEveryBadField) {
    CallForm form;
    form.title = "  ";
    form.opens_date = "20.08.2018";
    form.closes_date = "2018-10-15";
    form.closes_time = "25:00";
    form.max_amount = "-5";
    form.max_duration_years = "11";
    auto input = parse_call_form(form);
    ASSERT_FALSE(input);
    EXPECT_EQ(input.error().message, "Check the fields marked below.");
    EXPECT_EQ(message_for(input.error(), "title"), "Enter a title.");
    EXPECT_EQ(message_for(input.error(), "programme_id"), "Choose a programme.");
    EXPECT_EQ(message_for(input.error(), "opens_date"), message::DATE_FORMAT);
    EXPECT_EQ(message_for(input.error(), "closes_time"), message::TIME_FORMAT);
    EXPECT_EQ(message_for(input.error(), "max_amount"), MONEY_NEGATIVE);
    EXPECT_EQ(message_for(input.error(), "max_duration_years"),
              "Enter a number of years from 1 to 10.");
    EXPECT_EQ(message_for(input.error(), "closes_date"), "");
}

TEST(CallsForms, CloseBeforeOpenAndMissingClose) {
    CallForm backwards = good_call();
    backwards.closes_date = "2018-08-01";
    EXPECT_EQ(message_for(parse_call_form(backwards).error(), "closes_date"),
              "The call must close after it opens.");
    CallForm open_ended = good_call();
    open_ended.closes_date = "";
    open_ended.closes_time = "";
    EXPECT_EQ(message_for(parse_call_form(open_ended).error(), "closes_date"),
              "Enter when the call closes, or choose rolling.");
    CallForm skipped = good_call();
    skipped.closes_date = "2019-03-31";
    skipped.closes_time = "02:30";
    EXPECT_EQ(message_for(parse_call_form(skipped).error(), "closes_time"), message::TIME_SKIPPED);
}

TEST(CallsForms, CallFormRoundTrips) {
    auto input = parse_call_form(good_call());
    ASSERT_TRUE(input);
    Call call;
    call.programme_id = input->programme_id;
    call.title = input->title;
    call.opens_at = input->opens_at;
    call.closes_at = input->closes_at;
    call.max_amount_ore = input->max_amount_ore;
    call.max_duration_years = input->max_duration_years;
    CallForm back = call_form_of(call);
    EXPECT_EQ(back.opens_date, "2018-08-20");
    EXPECT_EQ(back.opens_time, "00:00");
    EXPECT_EQ(back.closes_date, "2018-10-15");
    EXPECT_EQ(back.closes_time, "12:00");
    EXPECT_EQ(back.max_amount, "500000");
}

TEST(CallsForms, Criteria) {
    auto input = parse_criterion_form({"Forankret i linjen", "", "15", "", "", ""});
    ASSERT_TRUE(input);
    EXPECT_EQ(input->weight_percent, 15);
    EXPECT_EQ(input->scale_min, 1);
    EXPECT_EQ(input->scale_max, 7);
    EXPECT_FALSE(input->minimum_score);

    auto bad = parse_criterion_form({"", "", "120", "5", "3", ""});
    ASSERT_FALSE(bad);
    EXPECT_EQ(message_for(bad.error(), "name"), "Enter a name.");
    EXPECT_EQ(message_for(bad.error(), "weight_percent"), "Enter a weight from 0 to 100.");
    EXPECT_EQ(message_for(bad.error(), "scale_max"),
              "The top of the scale must be above the bottom.");

    auto minimum = parse_criterion_form({"Nytte", "", "20", "1", "7", "9"});
    ASSERT_FALSE(minimum);
    EXPECT_EQ(message_for(minimum.error(), "minimum_score"), "The minimum must be on the scale.");
    EXPECT_TRUE(parse_criterion_form({"Nytte", "", "20", "1", "7", "4"}));
}

TEST(CallsForms, FieldsWithOptionsOnePerLine) {
    FieldForm form{
        "4", "Målgruppe", "single_choice", "1", "", "", "Barn og unge\r\n\r\n  Eldre  \nAnsatte\n",
        "1"};
    auto input = parse_field_form(form);
    ASSERT_TRUE(input) << input.error().message;
    EXPECT_EQ(input->kind, FieldKind::SingleChoice);
    EXPECT_EQ(input->options, (std::vector<std::string>{"Barn og unge", "Eldre", "Ansatte"}));
    EXPECT_TRUE(input->required);

    form.options = "Bare ett";
    EXPECT_EQ(message_for(parse_field_form(form).error(), "options"),
              "Enter at least two options, one per line.");
    form.options = "Likt\nLikt";
    EXPECT_FALSE(parse_field_form(form));
}

TEST(CallsForms, FieldKindsAndLengths) {
    FieldForm text{"4", "Behov", "long_text", "", "", "4000", "", "1"};
    auto input = parse_field_form(text);
    ASSERT_TRUE(input);
    EXPECT_EQ(input->max_length, 4000);
    EXPECT_TRUE(input->options.empty());

    FieldForm yes_no{"4", "Brukere", "yes_no", "", "", "10", "", "1"};
    EXPECT_EQ(message_for(parse_field_form(yes_no).error(), "max_length"),
              "Only text fields have a maximum length.");
    FieldForm unknown{"4", "Felt", "html", "", "", "", "", "1"};
    EXPECT_EQ(message_for(parse_field_form(unknown).error(), "kind"), "Choose a kind.");
    FieldForm no_section{"", "Felt", "number", "", "", "", "", "1"};
    EXPECT_EQ(message_for(parse_field_form(no_section).error(), "section_id"), "Choose a section.");
}

TEST(CallsForms, ExternalCalls) {
    auto input = parse_external_call_form({"Forskningsrådet", "Offentlig sektor-ph.d.",
                                           "Offentlig sektor-ph.d. 2018", "2018-11-14", "50",
                                           "https://www.forskningsradet.no/", "1"});
    ASSERT_TRUE(input);
    EXPECT_EQ(input->required_own_share_percent, 50);
    EXPECT_EQ(input->deadline, "2018-11-14");

    auto bad =
        parse_external_call_form({"", "P", "T", "14.11.2018", "150", "javascript:alert(1)", "1"});
    ASSERT_FALSE(bad);
    EXPECT_EQ(message_for(bad.error(), "funder"), "Enter the funder.");
    EXPECT_EQ(message_for(bad.error(), "deadline"), message::DATE_FORMAT);
    EXPECT_EQ(message_for(bad.error(), "required_own_share_percent"),
              "Enter a share from 0 to 100.");
    EXPECT_EQ(message_for(bad.error(), "url"), "Enter an address starting with https://.");
}

TEST(CallsForms, PartnershipModels) {
    auto input = parse_partnership_model_form({"Pilotavtale", "Utprøving", "1", "10"});
    ASSERT_TRUE(input);
    EXPECT_EQ(input->sort_order, 10);
    EXPECT_TRUE(input->active);
    auto bad = parse_partnership_model_form({" ", "", "", "ti"});
    ASSERT_FALSE(bad);
    EXPECT_EQ(message_for(bad.error(), "name"), "Enter a name.");
    EXPECT_EQ(message_for(bad.error(), "sort_order"), "Enter a whole number.");
}
