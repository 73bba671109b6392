// The application pages' forms: what people type, read into the service's
// inputs, with every problem named after the field that shows it.

#include "applications/forms.hpp"

#include <gtest/gtest.h>

using namespace spire;
using namespace spire::applications;

namespace {

const FieldError* error_for(const Error& error, const std::string& field) {
    for (const auto& item : error.fields) {
        if (item.field == field)
            return &item;
    }
    return nullptr;
}

// A call's form with one field of each kind the page parses.
calls::FormDefinition sample_form() {
    calls::FormDefinition form;
    form.call_id = 1;
    calls::FormSection section;
    section.id = 1;
    section.call_id = 1;
    section.title = "Prosjektet";
    auto add = [&](Id id, calls::FieldKind kind, std::vector<calls::FieldOption> options = {}) {
        calls::FormField field;
        field.id = id;
        field.call_id = 1;
        field.section_id = 1;
        field.label = "Felt " + std::to_string(id);
        field.kind = kind;
        field.options = std::move(options);
        section.fields.push_back(field);
    };
    add(10, calls::FieldKind::ShortText);
    add(11, calls::FieldKind::Money);
    add(12, calls::FieldKind::Date);
    add(13, calls::FieldKind::YesNo);
    add(14, calls::FieldKind::MultipleChoice, {{1, 14, "A", 1}, {2, 14, "B", 2}, {3, 14, "C", 3}});
    add(15, calls::FieldKind::SingleChoice, {{4, 15, "Ja", 1}, {5, 15, "Nei", 2}});
    add(16, calls::FieldKind::File);
    form.sections.push_back(section);
    return form;
}

DetailsForm valid_details() {
    DetailsForm form;
    form.title = "Tidlig innsats i barnehagen";
    form.summary = "Vi prøver ut en ny metode.";
    form.themes = "tidlig innsats, digitalisering";
    form.start_year = "2018";
    form.duration_years = "2";
    return form;
}

} // namespace

TEST(ApplicationsForms, DetailsAreReadWithEveryFieldKind) {
    DetailsForm form = valid_details();
    form.answers[10] = {"  Skole  "};
    form.answers[11] = {"1 234 500,50"};
    form.answers[12] = {"1.3.2018"};
    form.answers[13] = {"yes"};
    form.answers[14] = {"1", "3", "1"};
    form.answers[15] = {"5"};
    form.answers[16] = {"77"};
    auto input = parse_details_form(form, sample_form());
    ASSERT_TRUE(input) << (input ? "" : input.error().fields.front().message);
    EXPECT_EQ(input->title, "Tidlig innsats i barnehagen");
    EXPECT_EQ(input->themes, (std::vector<std::string>{"tidlig innsats", "digitalisering"}));
    EXPECT_EQ(input->start_year, 2018);
    EXPECT_EQ(input->duration_years, 2);
    ASSERT_EQ(input->answers.size(), 6u) << "files are attached on their own page";
    EXPECT_EQ(input->answers[0].text, "Skole");
    EXPECT_EQ(input->answers[1].amount_ore, 123'450'050);
    EXPECT_EQ(input->answers[2].date, "2018-03-01") << "the Norwegian way of writing a date";
    EXPECT_EQ(input->answers[3].yes_no, true);
    EXPECT_EQ(input->answers[4].option_ids, (std::vector<Id>{1, 3}));
    EXPECT_EQ(input->answers[5].option_id, 5);
}

TEST(ApplicationsForms, EmptyAnswersAreLeftOut) {
    DetailsForm form = valid_details();
    form.answers[10] = {"   "};
    form.answers[11] = {""};
    auto input = parse_details_form(form, sample_form());
    ASSERT_TRUE(input);
    EXPECT_TRUE(input->answers.empty());
}

TEST(ApplicationsForms, BadKronerAreNamedAfterTheirField) {
    DetailsForm form = valid_details();
    form.answers[11] = {"tusen kroner"};
    form.project_total = "12,345";
    form.start_year = "i fjor";
    auto input = parse_details_form(form, sample_form());
    ASSERT_FALSE(input);
    EXPECT_EQ(input.error().kind, ErrorKind::Invalid);
    const FieldError* money = error_for(input.error(), "field_11");
    ASSERT_NE(money, nullptr);
    EXPECT_EQ(money->message, MONEY_NOT_A_NUMBER);
    const FieldError* total = error_for(input.error(), "project_total");
    ASSERT_NE(total, nullptr);
    EXPECT_EQ(total->message, MONEY_TOO_MANY_DECIMALS);
    ASSERT_NE(error_for(input.error(), "start_year"), nullptr);
    // The typed form itself is untouched: the page shows it again as typed.
    EXPECT_EQ(form.answers[11].front(), "tusen kroner");
}

TEST(ApplicationsForms, UnknownOptionsAndFieldsAreRefused) {
    DetailsForm form = valid_details();
    form.answers[13] = {"kanskje"};
    form.answers[15] = {"x"};
    form.answers[99] = {"hei"};
    auto input = parse_details_form(form, sample_form());
    ASSERT_FALSE(input);
    EXPECT_NE(error_for(input.error(), "field_13"), nullptr);
    EXPECT_NE(error_for(input.error(), "field_15"), nullptr);
    EXPECT_NE(error_for(input.error(), "field_99"), nullptr);
}

TEST(ApplicationsForms, BudgetCellsAreReadAndEmptyOnesIgnored) {
    BudgetForm form;
    form.cells["budget_2018_personnel"] = "100 000";
    form.cells["budget_2018_rd_services"] = "";
    form.cells["budget_2019_equipment"] = "2500,50";
    form.cells["budget_2019_other"] = "0";
    auto lines = parse_budget_form(form);
    ASSERT_TRUE(lines);
    ASSERT_EQ(lines->size(), 2u);
    EXPECT_EQ((*lines)[0], (BudgetLine{2018, CostType::Personnel, 10'000'000}));
    EXPECT_EQ((*lines)[1], (BudgetLine{2019, CostType::Equipment, 250'050}));
    EXPECT_EQ(budget_cell_name(2019, CostType::RdServices), "budget_2019_rd_services");
}

TEST(ApplicationsForms, BadBudgetCellsNameTheCell) {
    BudgetForm form;
    form.cells["budget_2018_personnel"] = "12,345";
    form.cells["budget_2018_other"] = "-5";
    form.cells["budget_2018_travel"] = "5";
    auto lines = parse_budget_form(form);
    ASSERT_FALSE(lines);
    const FieldError* decimals = error_for(lines.error(), "budget_2018_personnel");
    ASSERT_NE(decimals, nullptr);
    EXPECT_EQ(decimals->message, MONEY_TOO_MANY_DECIMALS);
    ASSERT_NE(error_for(lines.error(), "budget_2018_other"), nullptr);
    ASSERT_NE(error_for(lines.error(), "budget"), nullptr) << "a cell that is not in the grid";
}

TEST(ApplicationsForms, EmptyFinancingRowsAreDroppedAndTheRestNumberedInOrder) {
    http::Form posted;
    posted.add("financing_0_source", "");
    posted.add("financing_0_cash", " ");
    posted.add("financing_1_source", "fund");
    posted.add("financing_1_cash", "300 000");
    posted.add("financing_4_source", "own_unit");
    posted.add("financing_4_hours", "120");
    posted.add("financing_4_rate", "650");
    FinancingForm form = read_financing_form(posted);
    ASSERT_EQ(form.rows.size(), 2u);
    auto lines = parse_financing_form(form);
    ASSERT_TRUE(lines);
    ASSERT_EQ(lines->size(), 2u);
    EXPECT_EQ((*lines)[0].source, FinancingSource::Fund);
    EXPECT_EQ((*lines)[0].cash_ore, 30'000'000);
    EXPECT_EQ((*lines)[1].source, FinancingSource::OwnUnit);
    EXPECT_EQ((*lines)[1].in_kind_hours, 120);
    EXPECT_EQ((*lines)[1].hourly_rate_ore, 65'000);
    EXPECT_EQ((*lines)[1].total_ore(), 7'800'000);
}

TEST(ApplicationsForms, BadFinancingRowsAreNamedByTheirPosition) {
    FinancingForm form;
    form.rows.push_back({"fund", "", "100", "", ""});
    form.rows.push_back({"", "Forskningsrådet", "1,234", "tolv", "200"});
    auto lines = parse_financing_form(form);
    ASSERT_FALSE(lines);
    EXPECT_NE(error_for(lines.error(), "financing_1_source"), nullptr);
    EXPECT_NE(error_for(lines.error(), "financing_1_cash"), nullptr);
    const FieldError* hours = error_for(lines.error(), "financing_1_hours");
    ASSERT_NE(hours, nullptr);
    EXPECT_EQ(hours->message, message::HOURS_NOT_A_NUMBER);
    EXPECT_EQ(error_for(lines.error(), "financing_0_cash"), nullptr);
}

TEST(ApplicationsForms, OrganisationNumbersAreCheckedWithMod11) {
    PartnersForm form;
    form.rows.push_back({"Universitetet i Oslo", "971 035 854", "research_institution", "FoU"});
    form.rows.push_back({"Feil AS", "974760674", "company", ""});
    auto partners = parse_partners_form(form);
    ASSERT_FALSE(partners);
    ASSERT_EQ(partners.error().fields.size(), 1u);
    EXPECT_EQ(partners.error().fields[0].field, "partner_1_organisation_number");
    EXPECT_EQ(partners.error().fields[0].message, message::ORGANISATION_NUMBER_INVALID);

    form.rows[1].organisation_number = "";
    auto fixed = parse_partners_form(form);
    ASSERT_TRUE(fixed);
    EXPECT_EQ((*fixed)[0].organisation_number, "971035854");
    EXPECT_EQ((*fixed)[0].kind, PartnerKind::ResearchInstitution);
}

TEST(ApplicationsForms, PartnerRowsNeedANameAndAType) {
    http::Form posted;
    posted.add("partner_2_role", "Pilot");
    PartnersForm form = read_partners_form(posted);
    ASSERT_EQ(form.rows.size(), 1u);
    EXPECT_EQ(form.rows[0].role, "Pilot") << "typed values are kept";
    auto partners = parse_partners_form(form);
    ASSERT_FALSE(partners);
    EXPECT_NE(error_for(partners.error(), "partner_0_name"), nullptr);
    EXPECT_NE(error_for(partners.error(), "partner_0_kind"), nullptr);
}

TEST(ApplicationsForms, SavedApplicationsFillTheFormsBack) {
    Application application;
    application.title = "Tittel";
    application.themes = {"a", "b"};
    application.start_year = 2019;
    application.duration_years = 3;
    application.project_total_ore = 123'450'050;
    Answer money;
    money.field_id = 11;
    money.amount_ore = 50'000;
    application.answers.push_back(money);
    DetailsForm form = details_form_of(application, sample_form());
    EXPECT_EQ(form.themes, "a, b");
    EXPECT_EQ(form.start_year, "2019");
    EXPECT_EQ(form.project_total, "1234500,50");
    EXPECT_EQ(form.answers[11], (std::vector<std::string>{"500"}));
    auto again = parse_details_form(form, sample_form());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->project_total_ore, 123'450'050);
}

TEST(ApplicationsForms, ListFiltersAreReadWithSensibleSortDirections) {
    auto filter = parse_list_filter(
        {"7", "", "", "submitted", "", "Tidlig innsats", " skole ", "title", "", "2"});
    ASSERT_TRUE(filter);
    EXPECT_EQ(filter->call_id, 7);
    EXPECT_EQ(filter->status, Status::Submitted);
    EXPECT_EQ(filter->query, "skole");
    EXPECT_EQ(filter->sort, SortKey::Title);
    EXPECT_FALSE(filter->descending) << "titles A–Z unless asked otherwise";
    EXPECT_EQ(filter->page, 2);

    auto bad = parse_list_filter({"x", "", "", "done", "", "", "", "colour", "", "0"});
    ASSERT_FALSE(bad);
    for (const char* field : {"call", "status", "sort", "page"})
        EXPECT_NE(error_for(bad.error(), field), nullptr) << field;
}
