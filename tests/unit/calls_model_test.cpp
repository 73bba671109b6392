// The calls model's pure rules: when a call accepts submissions (rolling
// calls included), Europe/Oslo local times around the daylight-saving
// changes, the criteria's weights and what stops publishing.

#include "calls/model.hpp"

#include <gtest/gtest.h>

using namespace spire;
using namespace spire::calls;

namespace {

Call published(std::optional<std::string> opens, std::optional<std::string> closes,
               bool rolling = false) {
    Call call;
    call.status = CallStatus::Published;
    call.opens_at = std::move(opens);
    call.closes_at = std::move(closes);
    call.rolling = rolling;
    return call;
}

Criterion weighted(int weight) {
    Criterion criterion;
    criterion.name = "Kriterium";
    criterion.weight_percent = weight;
    return criterion;
}

} // namespace

TEST(CallsModel, AcceptsSubmissionsBetweenOpenAndClose) {
    Call call = published("2018-08-19T22:00:00.000000Z", "2018-10-15T10:00:00.000000Z");
    EXPECT_FALSE(accepts_submissions(call, "2018-08-19T21:59:59.000000Z"));
    EXPECT_TRUE(accepts_submissions(call, "2018-08-19T22:00:00.000000Z"));
    EXPECT_TRUE(accepts_submissions(call, "2018-10-15T09:59:59.999999Z"));
    EXPECT_FALSE(accepts_submissions(call, "2018-10-15T10:00:00.000000Z"));
    EXPECT_FALSE(accepts_submissions(call, "2019-01-01T00:00:00Z"));
}

TEST(CallsModel, OnlyPublishedCallsAcceptSubmissions) {
    Call call = published("2018-01-01T00:00:00Z", "2030-01-01T00:00:00Z");
    call.status = CallStatus::Draft;
    EXPECT_FALSE(accepts_submissions(call, "2020-01-01T00:00:00Z"));
    call.status = CallStatus::Closed;
    EXPECT_FALSE(accepts_submissions(call, "2020-01-01T00:00:00Z"));
    call.status = CallStatus::Published;
    EXPECT_TRUE(accepts_submissions(call, "2020-01-01T00:00:00Z"));
}

TEST(CallsModel, RollingCallsHaveNoDeadline) {
    Call call = published("2018-01-01T00:00:00Z", std::nullopt, true);
    EXPECT_FALSE(accepts_submissions(call, "2017-12-31T23:59:59Z"));
    EXPECT_TRUE(accepts_submissions(call, "2018-01-01T00:00:00Z"));
    EXPECT_TRUE(accepts_submissions(call, "2099-12-31T23:59:59Z"));
    // A non-rolling call without a close time never accepts (cannot be stored anyway).
    EXPECT_FALSE(accepts_submissions(published("2018-01-01T00:00:00Z", std::nullopt),
                                     "2019-01-01T00:00:00Z"));
}

TEST(CallsModel, MalformedNowIsRefused) {
    Call call = published(std::nullopt, std::nullopt, true);
    EXPECT_TRUE(accepts_submissions(call, "2020-01-01T00:00:00Z"));
    EXPECT_FALSE(accepts_submissions(call, "yesterday"));
    EXPECT_FALSE(accepts_submissions(call, ""));
}

TEST(CallsModel, OsloTimeInWinterAndSummer) {
    EXPECT_EQ(oslo_to_utc("2018-10-15", "12:00").value(), "2018-10-15T10:00:00.000000Z");
    EXPECT_EQ(oslo_to_utc("2018-12-01", "12:00").value(), "2018-12-01T11:00:00.000000Z");
    EXPECT_EQ(oslo_to_utc("2027-03-15", "12:00").value(), "2027-03-15T11:00:00.000000Z");
    EXPECT_EQ(oslo_to_utc("2018-01-01", "0:00").value(), "2017-12-31T23:00:00.000000Z");
}

TEST(CallsModel, OsloTimeSkippedHourInSpringIsRefused) {
    // 2026-03-29: the clocks go from 02:00 to 03:00.
    EXPECT_EQ(oslo_to_utc("2026-03-29", "01:59").value(), "2026-03-29T00:59:00.000000Z");
    auto skipped = oslo_to_utc("2026-03-29", "02:30");
    ASSERT_FALSE(skipped);
    EXPECT_EQ(skipped.error().message, message::TIME_SKIPPED);
    EXPECT_EQ(oslo_to_utc("2026-03-29", "03:00").value(), "2026-03-29T01:00:00.000000Z");
}

TEST(CallsModel, OsloTimeRepeatedHourInAutumnIsTheFirst) {
    // 2026-10-25: the clocks go from 03:00 back to 02:00; 02:30 happens twice.
    EXPECT_EQ(oslo_to_utc("2026-10-25", "02:30").value(), "2026-10-25T00:30:00.000000Z");
    EXPECT_EQ(oslo_to_utc("2026-10-25", "03:30").value(), "2026-10-25T02:30:00.000000Z");
}

TEST(CallsModel, OsloTimeRoundTrips) {
    for (const char* date : {"2018-03-25", "2018-10-28", "2026-11-27", "2027-03-15"}) {
        for (const char* time : {"00:00", "01:30", "03:15", "12:00", "23:59"}) {
            auto utc = oslo_to_utc(date, time);
            ASSERT_TRUE(utc) << date << " " << time;
            auto back = utc_to_oslo(*utc);
            ASSERT_TRUE(back);
            EXPECT_EQ(back->date, date);
            EXPECT_EQ(back->time, time);
        }
    }
}

TEST(CallsModel, OsloTimeMalformedInput) {
    EXPECT_EQ(oslo_to_utc("15.10.2018", "12:00").error().message, message::DATE_FORMAT);
    EXPECT_EQ(oslo_to_utc("2018-02-30", "12:00").error().message, message::DATE_FORMAT);
    EXPECT_EQ(oslo_to_utc("2018-1-5", "12:00").error().message, message::DATE_FORMAT);
    EXPECT_EQ(oslo_to_utc("2018-10-15", "24:00").error().message, message::TIME_FORMAT);
    EXPECT_EQ(oslo_to_utc("2018-10-15", "12.00").error().message, message::TIME_FORMAT);
    EXPECT_EQ(oslo_to_utc("2018-10-15", "").error().message, message::TIME_FORMAT);
    EXPECT_FALSE(utc_to_oslo("not a time"));
}

TEST(CallsModel, WeightsAndPublishProblems) {
    Call call = published("2018-08-19T22:00:00Z", "2018-10-15T10:00:00Z");
    call.status = CallStatus::Draft;
    EXPECT_EQ(weight_sum({}), 0);
    EXPECT_EQ(weight_sum({weighted(25), weighted(15), weighted(60)}), 100);

    auto none = publish_problems(call, {});
    ASSERT_EQ(none.size(), 1u);
    EXPECT_EQ(none[0], "Add at least one criterion before publishing.");
    auto wrong = publish_problems(call, {weighted(50), weighted(40)});
    ASSERT_EQ(wrong.size(), 1u);
    EXPECT_EQ(wrong[0], "The criteria's weights must add up to 100 %.");
    EXPECT_TRUE(publish_problems(call, {weighted(50), weighted(50)}).empty());

    Call backwards = call;
    backwards.closes_at = "2018-08-01T10:00:00Z";
    EXPECT_EQ(publish_problems(backwards, {weighted(100)}),
              std::vector<std::string>{"The call must close after it opens."});
    Call unopened = call;
    unopened.opens_at.reset();
    EXPECT_EQ(publish_problems(unopened, {weighted(100)}),
              std::vector<std::string>{"Set when the call opens."});
    Call rolling = unopened;
    rolling.opens_at = "2018-01-01T00:00:00Z";
    rolling.closes_at.reset();
    rolling.rolling = true;
    EXPECT_TRUE(publish_problems(rolling, {weighted(100)}).empty());
}

TEST(CallsModel, KeysRoundTrip) {
    for (auto status : {CallStatus::Draft, CallStatus::Published, CallStatus::Closed})
        EXPECT_EQ(parse_call_status(call_status_key(status)), status);
    for (auto kind : {FieldKind::ShortText, FieldKind::LongText, FieldKind::Number,
                      FieldKind::Money, FieldKind::Date, FieldKind::SingleChoice,
                      FieldKind::MultipleChoice, FieldKind::YesNo, FieldKind::File}) {
        EXPECT_EQ(parse_field_kind(field_kind_key(kind)), kind);
        EXPECT_FALSE(field_kind_label(kind).empty());
    }
    EXPECT_FALSE(parse_field_kind("html"));
    EXPECT_FALSE(parse_call_status("open"));
    EXPECT_TRUE(is_choice_kind(FieldKind::MultipleChoice));
    EXPECT_FALSE(is_choice_kind(FieldKind::YesNo));
    EXPECT_TRUE(is_text_kind(FieldKind::LongText));
}

TEST(CallsModel, FormDefinitionFindsFields) {
    FormDefinition form;
    FormSection section;
    FormField field;
    field.id = 42;
    field.label = "Målgruppe";
    section.fields.push_back(field);
    form.sections.push_back(section);
    ASSERT_NE(form.field(42), nullptr);
    EXPECT_EQ(form.field(42)->label, "Målgruppe");
    EXPECT_EQ(form.field(43), nullptr);
}
