// CallsService on both engines: creating and editing calls, publishing
// (refused until the criteria's weights sum to 100), closing, criteria
// rules, the form editor and its restrictions once a call has applications,
// the catalogues, tenant isolation and one audit entry per change.

#include "calls/service.hpp"
#include "calls/store.hpp"
#include "db/database.hpp"
#include "support/funds_world.hpp"
#include "support/test_db.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <soci/soci.h>

namespace {

using namespace spire;
using namespace spire::calls;
using spire::test::FundsWorld;

bool has_field(const Error& error, const std::string& field) {
    return std::any_of(error.fields.begin(), error.fields.end(),
                       [&](const FieldError& e) { return e.field == field; });
}

class CallsServiceTest : public spire::test::MigratedDatabaseTest {
protected:
    void SetUp() override {
        MigratedDatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        try {
            m_world = FundsWorld::create(test_database().url(), 2);
        } catch (const std::exception& e) {
            FAIL() << e.what();
        }
        m_calls = std::make_unique<CallsService>(m_world->database);
    }
    void TearDown() override {
        m_calls.reset();
        m_world.reset();
        MigratedDatabaseTest::TearDown();
    }

    FundsWorld& w() { return *m_world; }
    CallsService& calls() { return *m_calls; }
    identity::Actor manager() { return w().as(w().manager); }

    CallInput input(const std::string& title = "Innovasjonsmidler høst 2018") {
        CallInput in;
        in.programme_id = w().risk;
        in.title = title;
        in.description = "Søk **nå**";
        in.opens_at = "2018-08-19T22:00:00.000000Z";
        in.closes_at = "2018-10-15T10:00:00.000000Z";
        in.max_amount_ore = 50'000'000;
        in.max_duration_years = 2;
        return in;
    }

    Id create(const std::string& title = "Innovasjonsmidler høst 2018") {
        auto id = calls().create_call(manager(), w().fund, input(title));
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        return id.value_or(0);
    }

    Id criterion(Id call, const std::string& name, int weight) {
        auto id = calls().add_criterion(manager(), call, {name, "", weight, 1, 7, std::nullopt});
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        return id.value_or(0);
    }

    Id section(Id call, const std::string& title = "Om prosjektet") {
        auto id = calls().add_section(manager(), call, {title, ""});
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        return id.value_or(0);
    }

    Id field(Id call, Id section_id, const std::string& label,
             FieldKind kind = FieldKind::ShortText, std::vector<std::string> options = {}) {
        FieldInput in;
        in.section_id = section_id;
        in.label = label;
        in.kind = kind;
        in.options = std::move(options);
        auto id = calls().add_field(manager(), call, in);
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        return id.value_or(0);
    }

    long long audit_count(const std::string& action) {
        return w().database->read([&](soci::session& sql) {
            long long count = 0;
            sql << "SELECT count(*) FROM audit_log WHERE action = :a", soci::use(action),
                soci::into(count);
            return count;
        });
    }

    // An application row for the call, as the applications module writes it.
    void add_application(Id call) {
        identity::OrgUnit unit{0, w().baerum, std::nullopt, identity::UnitKind::Sector,
                               "Oppvekst " + std::to_string(call)};
        Id unit_id = *w().identity->create_unit(FundsWorld::system(), unit);
        w().database->transact([&](soci::session& sql) {
            long long organisation = w().baerum;
            long long call_id = call;
            long long unit_key = unit_id;
            long long user = w().manager.user_id;
            sql << "INSERT INTO application (organisation_id, call_id, fund_id, programme_id,\n"
                   "    unit_id, created_by, reference_year, reference_number, title, created_at,\n"
                   "    updated_at)\n"
                   "SELECT :o, c.id, c.fund_id, c.programme_id, :u, :b, 2018, :n, 'Søknad',\n"
                   "    '2018-09-01T00:00:00Z', '2018-09-01T00:00:00Z'\n"
                   "FROM fund_call c WHERE c.id = :c",
                soci::use(organisation, "o"), soci::use(call_id, "c"), soci::use(unit_key, "u"),
                soci::use(user, "b"), soci::use(call_id, "n");
        });
    }

    std::unique_ptr<FundsWorld> m_world;
    std::unique_ptr<CallsService> m_calls;
};

TEST_P(CallsServiceTest, CreatesADraftAndReadsItBack) {
    Id id = create();
    auto call = calls().call(manager(), id);
    ASSERT_TRUE(call) << call.error().message;
    EXPECT_EQ(call->status, CallStatus::Draft);
    EXPECT_EQ(call->title, "Innovasjonsmidler høst 2018");
    EXPECT_EQ(call->organisation_id, w().baerum);
    EXPECT_EQ(call->fund_id, w().fund);
    EXPECT_EQ(call->programme_kind, "risk_capital");
    EXPECT_EQ(call->max_amount_ore, 50'000'000);
    EXPECT_EQ(call->closes_at, "2018-10-15T10:00:00.000000Z");
    EXPECT_FALSE(call->fund_name.empty());
    EXPECT_FALSE(call->organisation_name.empty());
    EXPECT_EQ(audit_count("call.create"), 1);
}

TEST_P(CallsServiceTest, RefusesBadInputAndForeignProgrammes) {
    CallInput bad = input();
    bad.title = " ";
    bad.max_amount_ore = 0;
    bad.closes_at = "2018-08-01T00:00:00Z";
    auto refused = calls().create_call(manager(), w().fund, bad);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::Invalid);
    EXPECT_TRUE(has_field(refused.error(), "title"));
    EXPECT_TRUE(has_field(refused.error(), "max_amount"));
    EXPECT_TRUE(has_field(refused.error(), "closes_date"));

    CallInput foreign = input();
    foreign.programme_id = 999'999;
    auto wrong = calls().create_call(manager(), w().fund, foreign);
    ASSERT_FALSE(wrong);
    EXPECT_TRUE(has_field(wrong.error(), "programme_id"));
    EXPECT_EQ(audit_count("call.create"), 0);
}

TEST_P(CallsServiceTest, OnlyTheFundsManagersManageItsCalls) {
    auto by_auditor = calls().create_call(w().as(w().auditor), w().fund, input());
    ASSERT_FALSE(by_auditor);
    EXPECT_EQ(by_auditor.error().kind, ErrorKind::Forbidden);
    auto by_other = calls().create_call(w().as(w().other_manager), w().fund, input());
    ASSERT_FALSE(by_other);
    EXPECT_EQ(by_other.error().kind, ErrorKind::Forbidden);
    Id id = create();
    // A draft is hidden from those who may not see drafts.
    auto reviewer = calls().call(w().as(w().reviewer), id);
    ASSERT_FALSE(reviewer);
    EXPECT_EQ(reviewer.error().kind, ErrorKind::Forbidden);
    EXPECT_TRUE(calls().call(w().as(w().auditor), id));
    EXPECT_FALSE(calls().public_call(id));
}

TEST_P(CallsServiceTest, PublishingNeedsWeightsSummingTo100) {
    Id id = create();
    auto empty = calls().publish_call(manager(), id);
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().kind, ErrorKind::Invalid);
    criterion(id, "Nyskapende", 60);
    criterion(id, "Forankret", 30);
    auto ninety = calls().publish_call(manager(), id);
    ASSERT_FALSE(ninety);
    EXPECT_EQ(ninety.error().kind, ErrorKind::Invalid);
    ASSERT_EQ(ninety.error().fields.size(), 1u);
    EXPECT_EQ(ninety.error().fields[0].message, "The criteria's weights must add up to 100 %.");
    EXPECT_EQ(audit_count("call.publish"), 0);

    Id third = criterion(id, "Spredning", 10);
    ASSERT_TRUE(calls().publish_call(manager(), id));
    EXPECT_EQ(calls().call(manager(), id)->status, CallStatus::Published);
    EXPECT_EQ(audit_count("call.publish"), 1);
    EXPECT_TRUE(calls().public_call(id));
    // Anyone in the organisation reads a published call.
    EXPECT_TRUE(calls().call(w().as(w().reviewer), id));

    // Published: weights are fixed, texts may change.
    auto reweigh = calls().update_criterion(manager(), id, third, {"Spredning", "", 20, 1, 7, {}});
    ASSERT_FALSE(reweigh);
    EXPECT_EQ(reweigh.error().kind, ErrorKind::Conflict);
    EXPECT_TRUE(calls().update_criterion(manager(), id, third,
                                         {"Spredning og skalering", "Veiledning", 10, 1, 7, {}}));
    EXPECT_FALSE(calls().remove_criterion(manager(), id, third));
    EXPECT_FALSE(calls().add_criterion(manager(), id, {"Ny", "", 0, 1, 7, {}}));
    EXPECT_EQ(calls().publish_call(manager(), id).error().kind, ErrorKind::Conflict);

    ASSERT_TRUE(calls().close_call(manager(), id));
    EXPECT_EQ(calls().call(manager(), id)->status, CallStatus::Closed);
    EXPECT_EQ(calls().update_call(manager(), id, input()).error().kind, ErrorKind::Conflict);
    EXPECT_EQ(calls().close_call(manager(), id).error().kind, ErrorKind::Conflict);
    EXPECT_EQ(audit_count("call.close"), 1);
}

TEST_P(CallsServiceTest, OpenCallsAcceptingSubmissions) {
    Id autumn = create("Høst 2018");
    criterion(autumn, "Alt", 100);
    ASSERT_TRUE(calls().publish_call(manager(), autumn));
    CallInput rolling_input = input("Fortløpende");
    rolling_input.rolling = true;
    rolling_input.closes_at.reset();
    rolling_input.programme_id = w().social;
    Id rolling = *calls().create_call(manager(), w().fund, rolling_input);
    criterion(rolling, "Alt", 100);
    ASSERT_TRUE(calls().publish_call(manager(), rolling));
    create("Utkast");

    auto during = calls().open_calls(w().baerum, "2018-09-01T00:00:00Z");
    ASSERT_TRUE(during);
    ASSERT_EQ(during->size(), 2u);
    EXPECT_EQ((*during)[0].id, autumn); // by close time, rolling last
    EXPECT_EQ((*during)[1].id, rolling);
    auto after = calls().open_calls(w().baerum, "2018-11-01T00:00:00Z");
    ASSERT_EQ(after->size(), 1u);
    EXPECT_EQ((*after)[0].id, rolling);
    EXPECT_TRUE(calls().open_calls(w().asker, "2018-09-01T00:00:00Z")->empty());

    auto page = calls().public_calls(1, 20);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->total, 2);
    EXPECT_EQ(page->calls.size(), 2u);
}

TEST_P(CallsServiceTest, AnotherOrganisationsCallIsNotFound) {
    Id id = create();
    criterion(id, "Alt", 100);
    auto stranger = w().as(w().asker_admin);
    EXPECT_EQ(calls().call(stranger, id).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(calls().detail(stranger, id).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(calls().update_call(stranger, id, input()).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(calls().publish_call(stranger, id).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(calls().add_criterion(stranger, id, {"X", "", 1, 1, 7, {}}).error().kind,
              ErrorKind::NotFound);
    EXPECT_EQ(calls().add_section(stranger, id, {"X", ""}).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(calls().fund_calls(stranger, w().fund).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(calls().create_call(stranger, w().fund, input()).error().kind, ErrorKind::NotFound);
    // The catalogues are per organisation: Asker's are its own.
    ASSERT_TRUE(
        calls().create_partnership_model(manager(), w().baerum, {"Pilotavtale", "", true, 1}));
    EXPECT_TRUE(calls().partnership_models(w().asker, false)->empty());
    EXPECT_EQ(calls()
                  .create_external_call(stranger, w().baerum, {"F", "P", "T", {}, 10, "", true})
                  .error()
                  .kind,
              ErrorKind::NotFound);
}

TEST_P(CallsServiceTest, CriteriaReorderAndRemove) {
    Id id = create();
    Id a = criterion(id, "A", 50);
    Id b = criterion(id, "B", 30);
    Id c = criterion(id, "C", 20);
    ASSERT_TRUE(calls().move_criterion(manager(), id, c, -1));
    auto order = *calls().criteria(id);
    ASSERT_EQ(order.size(), 3u);
    EXPECT_EQ(order[0].id, a);
    EXPECT_EQ(order[1].id, c);
    EXPECT_EQ(order[2].id, b);
    ASSERT_TRUE(calls().move_criterion(manager(), id, a, -1)); // already first: no change
    EXPECT_EQ((*calls().criteria(id))[0].id, a);
    ASSERT_TRUE(calls().remove_criterion(manager(), id, b));
    EXPECT_EQ(calls().criteria(id)->size(), 2u);
    EXPECT_EQ(calls().remove_criterion(manager(), id, b).error().kind, ErrorKind::NotFound);
    auto bad = calls().add_criterion(manager(), id, {"D", "", 10, 1, 7, 9});
    ASSERT_FALSE(bad);
    EXPECT_TRUE(has_field(bad.error(), "minimum_score"));
    EXPECT_EQ(audit_count("criterion.create"), 3);
    EXPECT_EQ(audit_count("criterion.remove"), 1);
    EXPECT_EQ(audit_count("criterion.move"), 2);
}

TEST_P(CallsServiceTest, FormSectionsFieldsAndOptions) {
    Id id = create();
    Id about = section(id, "Om prosjektet");
    Id more = section(id, "Mer");
    Id need = field(id, about, "Behov og problemstilling", FieldKind::LongText);
    Id group = field(id, about, "Målgruppe", FieldKind::SingleChoice,
                     {"Barn og unge", "Eldre", "Ansatte"});
    field(id, more, "Prosjektskisse", FieldKind::File);

    auto form = calls().form(id);
    ASSERT_TRUE(form);
    ASSERT_EQ(form->sections.size(), 2u);
    EXPECT_EQ(form->sections[0].title, "Om prosjektet");
    ASSERT_EQ(form->sections[0].fields.size(), 2u);
    ASSERT_NE(form->field(group), nullptr);
    ASSERT_EQ(form->field(group)->options.size(), 3u);
    EXPECT_EQ(form->field(group)->options[1].label, "Eldre");

    // Reorder, rename, change options while there are no applications.
    ASSERT_TRUE(calls().move_section(manager(), id, more, -1));
    ASSERT_TRUE(calls().move_field(manager(), id, group, -1));
    FieldInput changed;
    changed.section_id = about;
    changed.label = "Målgrupper";
    changed.kind = FieldKind::MultipleChoice;
    changed.options = {"Barn", "Voksne"};
    ASSERT_TRUE(calls().update_field(manager(), id, group, changed));
    form = calls().form(id);
    EXPECT_EQ(form->sections[0].title, "Mer");
    EXPECT_EQ(form->sections[1].fields[0].id, group);
    EXPECT_EQ(form->field(group)->kind, FieldKind::MultipleChoice);
    EXPECT_EQ(form->field(group)->options.size(), 2u);

    // Choice fields need options; others may not have them.
    FieldInput no_options;
    no_options.section_id = about;
    no_options.label = "Valg";
    no_options.kind = FieldKind::SingleChoice;
    auto refused = calls().add_field(manager(), id, no_options);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(has_field(refused.error(), "options"));
    FieldInput other_section = no_options;
    other_section.kind = FieldKind::Number;
    other_section.section_id = 999'999;
    EXPECT_TRUE(has_field(calls().add_field(manager(), id, other_section).error(), "section_id"));

    // Removing a section removes its fields.
    ASSERT_TRUE(calls().remove_section(manager(), id, more));
    form = calls().form(id);
    ASSERT_EQ(form->sections.size(), 1u);
    ASSERT_TRUE(calls().remove_field(manager(), id, need));
    EXPECT_EQ(calls().form(id)->sections[0].fields.size(), 1u);
}

TEST_P(CallsServiceTest, FormWithApplicationsOnlyGrowsOrDeactivates) {
    Id id = create();
    Id about = section(id);
    Id group = field(id, about, "Målgruppe", FieldKind::SingleChoice, {"Barn", "Eldre"});
    Id need = field(id, about, "Behov", FieldKind::LongText);
    criterion(id, "Alt", 100);
    ASSERT_TRUE(calls().publish_call(manager(), id));
    add_application(id);

    auto detail = calls().detail(manager(), id);
    ASSERT_TRUE(detail);
    EXPECT_TRUE(detail->form_locked);
    EXPECT_EQ(detail->applications, 1);

    // Adding fields (and a section for them) is fine.
    Id extra = field(id, about, "Tidsplan", FieldKind::Date);
    EXPECT_NE(extra, 0);
    EXPECT_TRUE(calls().add_section(manager(), id, {"Nytt", ""}));

    // Everything else is refused.
    FieldInput relabel;
    relabel.section_id = about;
    relabel.label = "Ny ledetekst";
    relabel.kind = FieldKind::LongText;
    EXPECT_EQ(calls().update_field(manager(), id, need, relabel).error().kind, ErrorKind::Conflict);
    EXPECT_EQ(calls().remove_field(manager(), id, need).error().kind, ErrorKind::Conflict);
    EXPECT_EQ(calls().move_field(manager(), id, need, -1).error().kind, ErrorKind::Conflict);
    EXPECT_EQ(calls().remove_section(manager(), id, about).error().kind, ErrorKind::Conflict);
    EXPECT_EQ(calls().update_section(manager(), id, about, {"Nytt navn", ""}).error().kind,
              ErrorKind::Conflict);
    FieldInput new_options;
    new_options.section_id = about;
    new_options.label = "Målgruppe";
    new_options.kind = FieldKind::SingleChoice;
    new_options.options = {"Barn", "Voksne"};
    EXPECT_EQ(calls().update_field(manager(), id, group, new_options).error().kind,
              ErrorKind::Conflict);

    // Deactivating keeps the field (and its answers) but hides it from the form.
    ASSERT_TRUE(calls().set_field_active(manager(), id, need, false));
    auto form = calls().form(id);
    EXPECT_EQ(form->field(need), nullptr);
    EXPECT_NE(form->field(group), nullptr);
    auto full = calls().detail(manager(), id);
    bool kept = false;
    for (const auto& s : full->form.sections)
        for (const auto& f : s.fields)
            kept = kept || (f.id == need && !f.active);
    EXPECT_TRUE(kept);
    // The same through update_field with nothing else changed.
    FieldInput same;
    same.section_id = about;
    same.label = "Behov";
    same.kind = FieldKind::LongText;
    same.active = true;
    EXPECT_TRUE(calls().update_field(manager(), id, need, same));
    EXPECT_NE(calls().form(id)->field(need), nullptr);
}

TEST_P(CallsServiceTest, Catalogues) {
    ExternalCallInput phd{"Forskningsrådet",
                          "Offentlig sektor-ph.d.",
                          "Offentlig sektor-ph.d. 2018",
                          "2018-11-14",
                          50,
                          "https://www.forskningsradet.no/",
                          true};
    auto id = calls().create_external_call(manager(), w().baerum, phd);
    ASSERT_TRUE(id) << id.error().message;
    auto found = calls().external_call(w().baerum, *id);
    ASSERT_TRUE(found && *found);
    EXPECT_EQ((*found)->required_own_share_percent, 50);
    EXPECT_FALSE(*calls().external_call(w().asker, *id));
    phd.active = false;
    ASSERT_TRUE(calls().update_external_call(manager(), w().baerum, *id, phd));
    EXPECT_TRUE(calls().external_calls(w().baerum, true)->empty());
    EXPECT_EQ(calls().external_calls(w().baerum, false)->size(), 1u);
    EXPECT_EQ(calls().update_external_call(manager(), w().asker, *id, phd).error().kind,
              ErrorKind::NotFound);

    ASSERT_TRUE(
        calls().create_partnership_model(manager(), w().baerum, {"Tilskudd", "", true, 20}));
    ASSERT_TRUE(
        calls().create_partnership_model(manager(), w().baerum, {"Pilotavtale", "", true, 10}));
    auto twice = calls().create_partnership_model(manager(), w().baerum, {"Tilskudd", "", true, 5});
    ASSERT_FALSE(twice);
    EXPECT_TRUE(has_field(twice.error(), "name"));
    auto models = calls().partnership_models(w().baerum, true);
    ASSERT_EQ(models->size(), 2u);
    EXPECT_EQ((*models)[0].name, "Pilotavtale");
    // Only fund managers and admins edit the catalogues.
    EXPECT_EQ(calls()
                  .create_partnership_model(w().as(w().reviewer), w().baerum,
                                            {"Effektkontrakt", "", true, 30})
                  .error()
                  .kind,
              ErrorKind::Forbidden);
    EXPECT_EQ(audit_count("external_call.create"), 1);
    EXPECT_EQ(audit_count("external_call.update"), 1);
    EXPECT_EQ(audit_count("partnership_model.create"), 2);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, CallsServiceTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
