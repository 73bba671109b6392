// ApplicationsService on both engines: the applicant's flow from draft to
// submitted (with and without endorsement), revisions and their comparison,
// the bad input of issue 5 (nothing half-written), tenant and unit
// isolation, search with Norwegian stemming, the lists and their exports.

#include "applications/service.hpp"
#include "db/database.hpp"
#include "support/applications_world.hpp"
#include "support/test_db.hpp"

#include <algorithm>
#include <atomic>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <soci/soci.h>
#include <thread>
#include <tuple>
#include <vector>

namespace {

using namespace spire;
using namespace spire::applications;
using spire::test::ApplicationsWorld;

constexpr Ore KR = 100;

bool has_field(const Error& error, const std::string& field, const std::string& message = "") {
    return std::any_of(error.fields.begin(), error.fields.end(), [&](const FieldError& e) {
        return e.field == field && (message.empty() || e.message == message);
    });
}

std::string pdf(const std::string& text = "plan") {
    return "%PDF-1.4\n% " + text +
           "\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
}

class ApplicationsServiceTest : public spire::test::MigratedDatabaseTest {
protected:
    void SetUp() override {
        MigratedDatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        try {
            m_world = ApplicationsWorld::create(test_database().url(), 2);
        } catch (const std::exception& e) {
            FAIL() << e.what();
        }
    }
    void TearDown() override {
        m_world.reset();
        MigratedDatabaseTest::TearDown();
    }

    ApplicationsWorld& w() { return *m_world; }
    ApplicationsService& service() { return *m_world->applications; }
    identity::Actor applicant() { return w().as(w().applicant); }
    identity::Actor leader() { return w().as(w().leader); }
    identity::Actor manager() { return w().as(w().funds->manager); }

    Id create(const std::string& title = "Tidlig innsats i skolen", Id call = 0) {
        auto id = service().create(applicant(), call ? call : w().risk_call, w().school, title);
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        return id.value_or(0);
    }

    DetailsInput details(const std::string& title = "Tidlig innsats i skolen") {
        DetailsInput input;
        input.title = title;
        input.summary = "Søknaden gjelder leseopplæring for de yngste barna.";
        input.themes = {"Tidlig innsats", "skole"};
        input.start_year = 2027;
        input.duration_years = 2;
        Answer text;
        text.field_id = w().text_field;
        text.text = "Bedre leseferdigheter og færre spesialundervisningsvedtak.";
        Answer number;
        number.field_id = w().number_field;
        number.number = "120";
        Answer choice;
        choice.field_id = w().choice_field;
        choice.option_id = w().choice_a;
        input.answers = {text, number, choice};
        return input;
    }

    std::vector<BudgetLine> budget() {
        return {{2027, CostType::Personnel, 300'000 * KR}, {2028, CostType::Other, 100'000 * KR}};
    }
    std::vector<FinancingLine> financing() {
        return {{FinancingSource::Fund, "", 300'000 * KR, 0, 0},
                {FinancingSource::OwnUnit, "", 0, 200, 500 * KR}};
    }

    // A complete draft of the risk-capital call.
    Id complete_draft(const std::string& title = "Tidlig innsats i skolen") {
        Id id = create(title);
        EXPECT_TRUE(service().save_details(applicant(), id, details(title)));
        EXPECT_TRUE(service().save_budget(applicant(), id, budget()));
        EXPECT_TRUE(service().save_financing(applicant(), id, financing()));
        return id;
    }

    // Through endorsement to Submitted.
    Id submitted(const std::string& title = "Tidlig innsats i skolen") {
        Id id = complete_draft(title);
        auto status = service().submit(applicant(), id);
        EXPECT_TRUE(status) << (status ? "" : status.error().message);
        auto endorsed = service().endorse(leader(), id);
        EXPECT_TRUE(endorsed) << (endorsed ? "" : endorsed.error().message);
        return id;
    }

    Application get(Id id, const identity::Actor& actor) {
        auto application = service().get(actor, id);
        EXPECT_TRUE(application) << (application ? "" : application.error().message);
        return application.value_or(Application{});
    }

    long long audit_count(const std::string& action) {
        long long count = 0;
        auto lease = w().funds->database->lease();
        lease.session() << "SELECT count(*) FROM audit_log WHERE action = :a", soci::use(action),
            soci::into(count);
        return count;
    }

    std::unique_ptr<ApplicationsWorld> m_world;
};

TEST_P(ApplicationsServiceTest, CreatesADraftWithAReference) {
    Id id = create();
    Id second = create("Nummer to");
    auto application = get(id, applicant());
    EXPECT_EQ(application.status, Status::Draft);
    EXPECT_EQ(application.unit_name, "Levern skole");
    EXPECT_EQ(application.call_title, "Intern risikokapital 2018");
    EXPECT_EQ(application.programme_kind, "risk_capital");
    EXPECT_EQ(application.reference.substr(0, 6), "SPIRE-");
    EXPECT_EQ(application.reference.substr(application.reference.size() - 5), "-0001");
    EXPECT_EQ(get(second, applicant()).reference_number, 2);
    EXPECT_EQ(audit_count("application.create"), 2);
    auto history = service().history(applicant(), id);
    ASSERT_TRUE(history);
    ASSERT_EQ(history->size(), 1u);
    EXPECT_FALSE(history->front().from);
    EXPECT_EQ(history->front().to, Status::Draft);
}

TEST_P(ApplicationsServiceTest, CreateRefusesOtherUnitsAndClosedCalls) {
    auto wrong_unit = service().create(applicant(), w().risk_call, w().nursing_home, "X");
    ASSERT_FALSE(wrong_unit);
    EXPECT_TRUE(has_field(wrong_unit.error(), "unit_id"));
    auto asker = service().create(w().as(w().asker_applicant), w().risk_call, w().asker_unit, "X");
    ASSERT_FALSE(asker);
    EXPECT_EQ(asker.error().kind, ErrorKind::NotFound);
    auto empty = service().create(applicant(), w().risk_call, w().school, "  ");
    ASSERT_FALSE(empty);
    EXPECT_TRUE(has_field(empty.error(), "title", message::TITLE_MISSING));
    *w().clock += std::chrono::hours(24 * 31);
    auto late = service().create(applicant(), w().risk_call, w().school, "For sent");
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().kind, ErrorKind::Conflict);
}

TEST_P(ApplicationsServiceTest, SavesEveryPartAndKeepsTotalsInStep) {
    Id id = complete_draft();
    ASSERT_TRUE(service().save_partners(
        applicant(), id,
        {{"NTNU", "974 767 880", PartnerKind::ResearchInstitution, "Forskningspartner"}}));
    auto a = get(id, applicant());
    EXPECT_EQ(a.summary, "Søknaden gjelder leseopplæring for de yngste barna.");
    EXPECT_EQ(a.themes, (std::vector<std::string>{"skole", "tidlig innsats"}));
    EXPECT_EQ(a.start_year, 2027);
    EXPECT_EQ(a.budget.size(), 2u);
    EXPECT_EQ(a.budget_total_ore, 400'000 * KR);
    EXPECT_EQ(a.requested_ore, 300'000 * KR);
    ASSERT_EQ(a.financing.size(), 2u);
    EXPECT_EQ(a.financing[1].total_ore(), 100'000 * KR);
    ASSERT_EQ(a.partners.size(), 1u);
    EXPECT_EQ(a.partners[0].organisation_number, "974767880");
    ASSERT_EQ(a.answers.size(), 3u);
    auto check = service().check_submission(applicant(), id);
    ASSERT_TRUE(check);
    EXPECT_TRUE(check->ready()) << (check->missing.empty() ? "" : check->missing[0].field);
}

TEST_P(ApplicationsServiceTest, NothingIsHalfWrittenWhenASaveFails) {
    Id id = complete_draft();
    auto before = get(id, applicant());
    auto bad = service().save_budget(
        applicant(), id, {{2027, CostType::Personnel, 1 * KR}, {2028, CostType::Equipment, -5}});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().kind, ErrorKind::Invalid);
    EXPECT_TRUE(has_field(bad.error(), "budget_2028_equipment", message::AMOUNT_NEGATIVE));
    auto after = get(id, applicant());
    EXPECT_EQ(after.budget, before.budget);
    EXPECT_EQ(after.budget_total_ore, before.budget_total_ore);

    auto partners = service().save_partners(applicant(), id,
                                            {{"God partner", "", PartnerKind::Company, ""},
                                             {"Dårlig", "974760674", PartnerKind::Ngo, ""}});
    ASSERT_FALSE(partners);
    EXPECT_TRUE(has_field(partners.error(), "partner_1_organisation_number",
                          message::ORGANISATION_NUMBER_INVALID));
    EXPECT_TRUE(get(id, applicant()).partners.empty());

    auto input = details("Ny tittel");
    input.answers[1].number = "mange";
    auto saved = service().save_details(applicant(), id, input);
    ASSERT_FALSE(saved);
    EXPECT_TRUE(has_field(saved.error(), "field_" + std::to_string(w().number_field)));
    EXPECT_EQ(get(id, applicant()).title, "Tidlig innsats i skolen");
    EXPECT_EQ(audit_count("application.save"), 3); // the three successful saves only
}

TEST_P(ApplicationsServiceTest, SubmitWithEndorsementStoresRevisionOne) {
    Id id = complete_draft();
    auto status = service().submit(applicant(), id);
    ASSERT_TRUE(status) << status.error().message;
    EXPECT_EQ(*status, Status::AwaitingEndorsement);
    // Submitting twice is harmless.
    auto again = service().submit(applicant(), id);
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, Status::AwaitingEndorsement);
    EXPECT_EQ(audit_count("application.submit"), 1);

    auto queue = service().endorsement_queue(leader(), 1);
    ASSERT_TRUE(queue);
    ASSERT_EQ(queue->total, 1);
    EXPECT_EQ(queue->rows[0].id, id);
    // Staff do not see it yet.
    auto hidden = service().get(manager(), id);
    ASSERT_FALSE(hidden);
    EXPECT_EQ(hidden.error().kind, ErrorKind::NotFound);
    // The applicant cannot endorse.
    EXPECT_FALSE(service().endorse(applicant(), id));

    ASSERT_TRUE(service().endorse(leader(), id));
    ASSERT_TRUE(service().endorse(leader(), id)); // a repeated click
    auto a = get(id, manager());
    EXPECT_EQ(a.status, Status::Submitted);
    EXPECT_EQ(a.revision_count, 1);
    EXPECT_TRUE(a.submitted_at);
    EXPECT_EQ(a.endorsed_by_name, w().leader.name);
    auto revisions = service().revisions(manager(), id);
    ASSERT_TRUE(revisions);
    ASSERT_EQ(revisions->size(), 1u);
    EXPECT_EQ(revisions->front().number, 1);
    auto history = service().history(manager(), id);
    ASSERT_TRUE(history);
    ASSERT_EQ(history->size(), 3u);
    EXPECT_EQ(history->at(1).to, Status::AwaitingEndorsement);
    EXPECT_EQ(history->at(2).to, Status::Submitted);
    EXPECT_EQ(history->at(2).user_name, w().leader.name);
    EXPECT_EQ(service().submit(applicant(), id).value_or(Status::Draft), Status::Submitted);
}

TEST_P(ApplicationsServiceTest, SubmitIncompleteListsWhatIsMissing) {
    Id id = create();
    auto status = service().submit(applicant(), id);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().kind, ErrorKind::Invalid);
    EXPECT_TRUE(has_field(status.error(), "summary"));
    EXPECT_TRUE(has_field(status.error(), "budget"));
    EXPECT_TRUE(has_field(status.error(), "field_" + std::to_string(w().text_field)));
    EXPECT_EQ(get(id, applicant()).status, Status::Draft);
}

TEST_P(ApplicationsServiceTest, SubmitAfterTheDeadlineIsRefused) {
    Id id = complete_draft();
    *w().clock += std::chrono::hours(24 * 31);
    auto status = service().submit(applicant(), id);
    ASSERT_FALSE(status);
    EXPECT_EQ(status.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(status.error().message, message::CALL_CLOSED);

    // Endorsing after the deadline is refused too.
    *w().clock -= std::chrono::hours(24 * 31);
    ASSERT_TRUE(service().submit(applicant(), id));
    *w().clock += std::chrono::hours(24 * 31);
    auto endorsed = service().endorse(leader(), id);
    ASSERT_FALSE(endorsed);
    EXPECT_EQ(endorsed.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(get(id, applicant()).status, Status::AwaitingEndorsement);
}

TEST_P(ApplicationsServiceTest, ASubmittedApplicationCannotBeChanged) {
    Id id = submitted();
    for (auto result : {service().save_details(applicant(), id, details("Endret")),
                        service().save_budget(applicant(), id, budget()),
                        service().save_financing(applicant(), id, financing()),
                        service().save_partners(applicant(), id, {})}) {
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().kind, ErrorKind::Conflict);
        EXPECT_EQ(result.error().message, message::NOT_EDITABLE);
    }
    auto attached = service().add_attachment(applicant(), id, std::nullopt, "plan.pdf", pdf());
    ASSERT_FALSE(attached);
    EXPECT_EQ(attached.error().kind, ErrorKind::Conflict);
}

TEST_P(ApplicationsServiceTest, OtherUnitsAndOrganisationsGetNotFound) {
    Id id = complete_draft();
    for (const identity::Principal* p : {&w().other_applicant, &w().asker_applicant}) {
        auto actor = w().as(*p);
        auto got = service().get(actor, id);
        ASSERT_FALSE(got);
        EXPECT_EQ(got.error().kind, ErrorKind::NotFound);
        auto saved = service().save_budget(actor, id, budget());
        ASSERT_FALSE(saved);
        EXPECT_EQ(saved.error().kind, ErrorKind::NotFound);
        EXPECT_EQ(service().submit(actor, id).error().kind, ErrorKind::NotFound);
        EXPECT_EQ(service().history(actor, id).error().kind, ErrorKind::NotFound);
    }
    auto asker_admin = service().get(w().as(w().funds->asker_admin), id);
    EXPECT_EQ(asker_admin.error().kind, ErrorKind::NotFound);
    auto mine = service().my_applications(w().as(w().other_applicant), 1);
    ASSERT_TRUE(mine);
    EXPECT_EQ(mine->total, 0);
}

TEST_P(ApplicationsServiceTest, AttachmentsAreSniffedStoredAndServed) {
    Id id = create();
    auto text = service().add_attachment(applicant(), id, std::nullopt, "plan.pdf",
                                         "bare tekst, ingen pdf");
    ASSERT_FALSE(text);
    EXPECT_TRUE(has_field(text.error(), "file", message::FILE_TYPE_NOT_ALLOWED));
    auto empty = service().add_attachment(applicant(), id, std::nullopt, "tom.pdf", "");
    ASSERT_FALSE(empty);
    EXPECT_TRUE(has_field(empty.error(), "file", message::FILE_EMPTY));

    auto first = service().add_attachment(applicant(), id, w().file_field, "../Prosjektplan.pdf",
                                          pdf("første"));
    ASSERT_TRUE(first) << first.error().message;
    auto second = service().add_attachment(applicant(), id, w().file_field, "Prosjektplan v2.pdf",
                                           pdf("andre"));
    ASSERT_TRUE(second);
    auto a = get(id, applicant());
    ASSERT_EQ(a.attachments.size(), 1u); // the second replaced the first for the field
    EXPECT_EQ(a.attachments[0].id, *second);
    EXPECT_EQ(a.attachments[0].media_type, "application/pdf");
    auto download = service().download(applicant(), id, *second);
    ASSERT_TRUE(download);
    EXPECT_EQ(download->bytes, pdf("andre"));
    EXPECT_EQ(download->file_name, "Prosjektplan v2.pdf");
    EXPECT_EQ(service().download(w().as(w().other_applicant), id, *second).error().kind,
              ErrorKind::NotFound);

    ASSERT_TRUE(service().remove_attachment(applicant(), id, *second));
    EXPECT_TRUE(get(id, applicant()).attachments.empty());
    EXPECT_EQ(service().remove_attachment(applicant(), id, *second).error().kind,
              ErrorKind::NotFound);
    EXPECT_EQ(audit_count("attachment.add"), 2);
    EXPECT_EQ(audit_count("attachment.remove"), 1);
}

TEST_P(ApplicationsServiceTest, ReturnEditResubmitAndCompareRevisions) {
    Id id = submitted();
    auto missing_comment = service().return_to_draft(manager(), id, " ");
    ASSERT_FALSE(missing_comment);
    EXPECT_TRUE(has_field(missing_comment.error(), "comment"));
    ASSERT_TRUE(service().return_to_draft(manager(), id, "Budsjettet må spesifiseres."));
    auto a = get(id, applicant());
    EXPECT_EQ(a.status, Status::Draft);
    EXPECT_FALSE(a.endorsed_at);

    auto input = details("Tidlig innsats i skolen – revidert");
    ASSERT_TRUE(service().save_details(applicant(), id, input));
    auto lines = budget();
    lines[0].amount_ore = 250'000 * KR;
    lines.push_back({2027, CostType::Equipment, 50'000 * KR});
    ASSERT_TRUE(service().save_budget(applicant(), id, lines));
    ASSERT_TRUE(service().add_attachment(applicant(), id, std::nullopt, "Vedlegg.pdf", pdf()));
    ASSERT_EQ(*service().submit(applicant(), id), Status::AwaitingEndorsement);
    ASSERT_TRUE(service().endorse(leader(), id));

    auto revisions = service().revisions(manager(), id);
    ASSERT_TRUE(revisions);
    ASSERT_EQ(revisions->size(), 2u);
    auto diff = service().compare(manager(), id, 1, 2);
    ASSERT_TRUE(diff) << diff.error().message;
    auto line = [&](const std::string& label, const std::string& qualifier = "") {
        auto it = std::find_if(diff->begin(), diff->end(), [&](const DiffLine& l) {
            return l.label == label && (qualifier.empty() || l.qualifier == qualifier);
        });
        return it == diff->end() ? nullptr : &*it;
    };
    ASSERT_TRUE(line("Title"));
    EXPECT_EQ(line("Title")->before, "Tidlig innsats i skolen");
    EXPECT_EQ(line("Title")->after, "Tidlig innsats i skolen – revidert");
    ASSERT_TRUE(line("Personnel and indirect costs", "2027"));
    EXPECT_EQ(line("Personnel and indirect costs", "2027")->before, "300000 kr");
    EXPECT_EQ(line("Personnel and indirect costs", "2027")->after, "250000 kr");
    ASSERT_TRUE(line("Equipment", "2027"));
    EXPECT_EQ(line("Equipment", "2027")->before, "");
    ASSERT_TRUE(line("Attachment", "Vedlegg.pdf"));
    EXPECT_FALSE(line("Summary")); // unchanged
    EXPECT_EQ(service().compare(manager(), id, 1, 3).error().kind, ErrorKind::NotFound);

    auto history = service().history(manager(), id);
    ASSERT_TRUE(history);
    auto returned = std::find_if(history->begin(), history->end(), [](const StatusChange& c) {
        return c.from == Status::Submitted && c.to == Status::Draft;
    });
    ASSERT_NE(returned, history->end());
    EXPECT_EQ(returned->comment, "Budsjettet må spesifiseres.");
}

TEST_P(ApplicationsServiceTest, WithdrawIsFinal) {
    Id id = submitted();
    ASSERT_TRUE(service().withdraw(applicant(), id, "Prosjektet er avlyst."));
    ASSERT_TRUE(service().withdraw(applicant(), id, "")); // harmless again
    auto a = get(id, manager());                          // staff still see it: it was submitted
    EXPECT_EQ(a.status, Status::Withdrawn);
    auto resubmit = service().submit(applicant(), id);
    ASSERT_FALSE(resubmit);
    EXPECT_EQ(resubmit.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(service().save_budget(applicant(), id, budget()).error().kind, ErrorKind::Conflict);
    EXPECT_EQ(audit_count("application.withdraw"), 1);
}

TEST_P(ApplicationsServiceTest, ResearchCofundingWithoutEndorsementAndOwnShare) {
    Id id = create("Offentlig sektor-ph.d. om lesing", w().research_call);
    auto input = details("Offentlig sektor-ph.d. om lesing");
    input.answers.clear();
    input.external_call_id = w().external_call;
    input.project_total_ore = 2'000'000 * KR;
    input.external_applied_ore = 1'600'000 * KR;
    input.own_contribution_ore = 300'000 * KR;
    ASSERT_TRUE(service().save_details(applicant(), id, input));
    ASSERT_TRUE(service().save_budget(applicant(), id, budget()));
    // 300 000 from the fund + 100 000 in kind = 400 000 = 20 % of 2 000 000.
    ASSERT_TRUE(service().save_financing(applicant(), id, financing()));
    auto status = service().submit(applicant(), id);
    ASSERT_TRUE(status) << status.error().message;
    EXPECT_EQ(*status, Status::Submitted);
    EXPECT_EQ(get(id, manager()).revision_count, 1);

    Id low = create("For lav egenandel", w().research_call);
    input.project_total_ore = 3'000'000 * KR;
    ASSERT_TRUE(service().save_details(applicant(), low, input));
    ASSERT_TRUE(service().save_budget(applicant(), low, budget()));
    ASSERT_TRUE(service().save_financing(applicant(), low, financing()));
    auto refused = service().submit(applicant(), low);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(has_field(refused.error(), "own_contribution", message::OWN_SHARE_TOO_LOW));

    auto unknown = input;
    unknown.external_call_id = 999999;
    auto saved = service().save_details(applicant(), low, unknown);
    ASSERT_FALSE(saved);
    EXPECT_TRUE(has_field(saved.error(), "external_call_id"));
}

TEST_P(ApplicationsServiceTest, SocialEntrepreneursNeedPartnerAndModel) {
    Id id = create("Arbeidstrening med sosial entreprenør", w().social_call);
    auto input = details("Arbeidstrening med sosial entreprenør");
    input.answers.clear();
    ASSERT_TRUE(service().save_details(applicant(), id, input));
    ASSERT_TRUE(service().save_budget(applicant(), id, budget()));
    ASSERT_TRUE(service().save_financing(applicant(), id, financing()));
    auto check = service().check_submission(applicant(), id);
    ASSERT_TRUE(check);
    auto names = [&] {
        std::vector<std::string> out;
        for (const auto& e : check->missing)
            out.push_back(e.field);
        return out;
    }();
    EXPECT_NE(std::find(names.begin(), names.end(), "partners"), names.end());
    EXPECT_NE(std::find(names.begin(), names.end(), "partnership_model_id"), names.end());
    input.partnership_model_id = w().partnership_model;
    ASSERT_TRUE(service().save_details(applicant(), id, input));
    ASSERT_TRUE(service().save_partners(
        applicant(), id, {{"Gründerverkstedet AS", "", PartnerKind::SocialEntrepreneur, "Drift"}}));
    auto status = service().submit(applicant(), id);
    ASSERT_TRUE(status) << status.error().message;
    EXPECT_EQ(get(id, manager()).partnership_model_name, "Pilotavtale");
}

TEST_P(ApplicationsServiceTest, SearchFindsStemmedWords) {
    Id reading = submitted("Leseløft for de yngste");
    Id welfare = submitted("Velferdsteknologi på sykehjem");
    ListFilter filter;
    filter.query = "søknadene";
    auto found = service().list(manager(), filter);
    ASSERT_TRUE(found) << found.error().message;
    EXPECT_EQ(found->total, 2); // both summaries say "Søknaden"
    filter.query = "velferdsteknologien";
    found = service().list(manager(), filter);
    ASSERT_TRUE(found);
    ASSERT_EQ(found->total, 1);
    EXPECT_EQ(found->rows[0].id, welfare);
    filter.query = "leseferdighetene yngste";
    found = service().list(manager(), filter);
    ASSERT_TRUE(found);
    EXPECT_EQ(found->total, 2);
    filter.query = "\"NEAR( * OR";
    EXPECT_TRUE(service().list(manager(), filter));
    filter.query = get(reading, manager()).reference;
    found = service().list(manager(), filter);
    ASSERT_TRUE(found);
    ASSERT_EQ(found->total, 1);
    EXPECT_EQ(found->rows[0].id, reading);
}

TEST_P(ApplicationsServiceTest, StaffListFiltersSortsAndPages) {
    Id a = submitted("Alfa");
    Id b = submitted("Bravo");
    Id c = submitted("Charlie");
    complete_draft("Utkast"); // never submitted: not in the staff list
    ListFilter filter;
    filter.sort = SortKey::Title;
    filter.descending = false;
    filter.per_page = 2;
    auto page = service().list(manager(), filter);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->total, 3);
    ASSERT_EQ(page->rows.size(), 2u);
    EXPECT_EQ(page->rows[0].id, a);
    EXPECT_EQ(page->rows[1].id, b);
    filter.page = 2;
    page = service().list(manager(), filter);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->rows.size(), 1u);
    EXPECT_EQ(page->rows[0].id, c);
    EXPECT_EQ(page->rows[0].unit_name, "Levern skole");
    EXPECT_EQ(page->rows[0].requested_ore, 300'000 * KR);

    ListFilter by_status;
    by_status.status = Status::Withdrawn;
    ASSERT_TRUE(service().withdraw(applicant(), b, ""));
    page = service().list(manager(), by_status);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->total, 1);
    EXPECT_EQ(page->rows[0].id, b);

    for (auto sort : {SortKey::Reference, SortKey::Unit, SortKey::Requested, SortKey::Submitted,
                      SortKey::Updated}) {
        ListFilter sorted;
        sorted.sort = sort;
        sorted.call_id = w().risk_call;
        sorted.programme_id = w().funds->risk;
        sorted.fund_id = w().funds->fund;
        sorted.unit_id = w().school;
        sorted.theme = "Tidlig innsats";
        auto rows = service().list(manager(), sorted);
        ASSERT_TRUE(rows);
        EXPECT_EQ(rows->total, 3);
        // A theme's page and total come from one evaluation; a page past
        // the end still has the total.
        sorted.per_page = 2;
        sorted.page = 2;
        rows = service().list(manager(), sorted);
        ASSERT_TRUE(rows);
        EXPECT_EQ(rows->total, 3);
        EXPECT_EQ(rows->rows.size(), 1u);
        sorted.page = 3;
        rows = service().list(manager(), sorted);
        ASSERT_TRUE(rows);
        EXPECT_EQ(rows->total, 3);
        EXPECT_TRUE(rows->rows.empty());
    }
    ListFilter other_call;
    other_call.call_id = w().research_call;
    EXPECT_EQ(service().list(manager(), other_call)->total, 0);
    ListFilter other_theme;
    other_theme.theme = "eldre";
    EXPECT_EQ(service().list(manager(), other_theme)->total, 0);

    // Who may list.
    EXPECT_EQ(service().list(applicant(), {}).error().kind, ErrorKind::Forbidden);
    EXPECT_EQ(service().list(w().as(w().funds->other_manager), {})->total, 0);
    EXPECT_EQ(service().list(w().as(w().funds->auditor), {})->total, 3);
    auto mine = service().my_applications(applicant(), 1);
    ASSERT_TRUE(mine);
    EXPECT_EQ(mine->total, 4);
}

// A page's ids are picked first and its rows joined afterwards (store.cpp):
// pages follow the whole list's order for every sort and direction.
TEST_P(ApplicationsServiceTest, StaffListPagesKeepTheListsOrder) {
    Id alfa = submitted("Alfa lesekasse");
    submitted("Bravo lesekasse");
    Id charlie = submitted("Charlie lesekasse");
    submitted("Delta");
    // Without and with a search (another plan: the matches drive, and the
    // total comes with the page's ids).
    for (std::string query : {"", "lesekassene"}) {
        const long long expected = query.empty() ? 4 : 3;
        for (auto sort : {SortKey::Reference, SortKey::Title, SortKey::Unit, SortKey::Requested,
                          SortKey::Submitted, SortKey::Updated}) {
            for (bool descending : {false, true}) {
                ListFilter filter;
                filter.sort = sort;
                filter.descending = descending;
                filter.query = query;
                auto all = service().list(manager(), filter);
                ASSERT_TRUE(all);
                ASSERT_EQ(all->rows.size(), static_cast<std::size_t>(expected));
                EXPECT_EQ(all->total, expected);
                std::vector<Id> whole, paged;
                for (const auto& row : all->rows)
                    whole.push_back(row.id);
                filter.per_page = 2;
                for (int number : {1, 2}) {
                    filter.page = number;
                    auto page = service().list(manager(), filter);
                    ASSERT_TRUE(page);
                    EXPECT_EQ(page->total, expected);
                    for (const auto& row : page->rows)
                        paged.push_back(row.id);
                }
                EXPECT_EQ(paged, whole)
                    << sort_key_key(sort) << (descending ? " desc" : " asc") << " q=" << query;
                // Past the end: no rows, and still the total.
                filter.page = 9;
                auto beyond = service().list(manager(), filter);
                ASSERT_TRUE(beyond);
                EXPECT_TRUE(beyond->rows.empty());
                EXPECT_EQ(beyond->total, expected);
            }
        }
    }
    ListFilter by_title;
    by_title.sort = SortKey::Title;
    by_title.descending = true;
    by_title.per_page = 2;
    auto rows = service().list(manager(), by_title);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->rows.size(), 2u);
    EXPECT_EQ(rows->rows[1].id, charlie); // after Delta
    by_title.page = 2;
    rows = service().list(manager(), by_title);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->rows.size(), 2u);
    EXPECT_EQ(rows->rows[1].id, alfa);
    EXPECT_EQ(rows->rows[1].unit_name, "Levern skole");
}

// A theme's page is found one of two ways (store.cpp theme_by_probe): along
// the sort's index, each row tested for the theme, when the theme is common
// and the page early; otherwise from the theme's rows, sorted. Which way
// depends on the page's end against the theme's share: with pages of 1, 2
// and 50 rows, a theme on every application and on half of them is read
// along the index, one on a single application from its rows, and one on
// two of the twelve both ways (page 1 of 1 row along the index, later
// pages from its rows). Every page must be the slice of the unfiltered list
// (found without a theme) that holds the theme's applications.
TEST_P(ApplicationsServiceTest, ThemePagesAgreeWhicheverWayTheyAreFound) {
    const std::vector<std::string> titles = {"Delta", "Alfa", "Foxtrot", "Bravo",
                                             "Echo",  "Kilo", "Charlie", "India",
                                             "Golf",  "Lima", "Hotel",   "Juliett"};
    std::map<std::string, std::set<Id>> members;
    std::vector<Id> ids;
    for (std::size_t i = 0; i < titles.size(); ++i) {
        Id id = complete_draft(titles[i]);
        DetailsInput input = details(titles[i]);
        input.themes = {"Felles"};
        if (i % 2 == 0)
            input.themes.push_back("halv");
        if (i == 3 || i == 8)
            input.themes.push_back("par");
        if (i == 5)
            input.themes.push_back("sjelden");
        ASSERT_TRUE(service().save_details(applicant(), id, input));
        ASSERT_TRUE(service().submit(applicant(), id));
        ASSERT_TRUE(service().endorse(leader(), id));
        for (const auto& theme : input.themes)
            members[normalise_themes({theme}).front()].insert(id);
        ids.push_back(id);
    }
    // A withdrawn one, for a theme with a status.
    ASSERT_TRUE(service().withdraw(applicant(), ids[4], ""));

    for (auto sort : {SortKey::Reference, SortKey::Title, SortKey::Unit, SortKey::Requested,
                      SortKey::Submitted, SortKey::Updated}) {
        for (bool descending : {false, true}) {
            for (std::optional<Status> status :
                 {std::optional<Status>(), std::optional<Status>(Status::Submitted)}) {
                ListFilter all;
                all.sort = sort;
                all.descending = descending;
                all.status = status;
                auto everything = service().list(manager(), all);
                ASSERT_TRUE(everything);
                for (const auto& [theme, holders] : members) {
                    std::vector<Id> expected;
                    for (const auto& row : everything->rows)
                        if (holders.count(row.id))
                            expected.push_back(row.id);
                    for (int per_page : {1, 2, 50}) {
                        const int pages = static_cast<int>(expected.size()) / per_page + 2;
                        for (int number = 1; number <= pages; ++number) {
                            ListFilter filter = all;
                            filter.theme = theme;
                            filter.per_page = per_page;
                            filter.page = number;
                            auto page = service().list(manager(), filter);
                            ASSERT_TRUE(page);
                            std::vector<Id> got;
                            for (const auto& row : page->rows)
                                got.push_back(row.id);
                            const std::size_t from =
                                std::min(expected.size(), std::size_t(number - 1) * per_page);
                            const std::size_t to =
                                std::min(expected.size(), from + std::size_t(per_page));
                            const std::vector<Id> slice(expected.begin() + from,
                                                        expected.begin() + to);
                            EXPECT_EQ(got, slice) << theme << ", sort " << sort_key_key(sort)
                                                  << (descending ? " desc" : " asc") << ", "
                                                  << per_page << " a page, page " << number;
                            EXPECT_EQ(page->total, static_cast<long long>(expected.size()))
                                << theme << ", page " << number;
                        }
                    }
                }
            }
        }
    }
}

// The staff list's count without a search, theme, call, programme or unit
// filter is summed from application_staff_count (004_staff_count.*.sql),
// and a theme's from application_theme_count (005_theme_count.*.sql), which
// triggers keep in step. After every kind of change they must equal a count
// of the applications themselves, and the list's totals must agree.
TEST_P(ApplicationsServiceTest, StaffCountsStayExact) {
    using Groups =
        std::vector<std::tuple<long long, std::string, long long, std::string, long long>>;
    auto read_groups = [&](const std::string& text) {
        Groups groups;
        auto lease = w().funds->database->lease();
        long long organisation = 0, fund = 0, count = 0;
        std::string theme, status;
        soci::statement s =
            (lease.session().prepare << text, soci::into(organisation), soci::into(theme),
             soci::into(fund), soci::into(status), soci::into(count));
        s.execute();
        while (s.fetch())
            groups.emplace_back(organisation, theme, fund, status, count);
        return groups;
    };
    auto expect_exact = [&](const std::string& step) {
        const Groups kept =
            read_groups("SELECT organisation_id, '', fund_id, status, applications\n"
                        "FROM application_staff_count\n"
                        "WHERE applications <> 0 ORDER BY organisation_id, fund_id, status");
        const Groups counted =
            read_groups("SELECT organisation_id, '', fund_id, status, count(*) FROM application\n"
                        "WHERE revision_count > 0\n"
                        "GROUP BY organisation_id, fund_id, status\n"
                        "ORDER BY organisation_id, fund_id, status");
        EXPECT_EQ(kept, counted) << "after " << step;
        const Groups kept_themes =
            read_groups("SELECT organisation_id, theme, fund_id, status, applications\n"
                        "FROM application_theme_count\n"
                        "WHERE applications <> 0 ORDER BY organisation_id, theme, fund_id, status");
        const Groups counted_themes =
            read_groups("SELECT a.organisation_id, t.theme, a.fund_id, a.status, count(*)\n"
                        "FROM application_theme t JOIN application a ON a.id = t.application_id\n"
                        "WHERE a.revision_count > 0\n"
                        "GROUP BY a.organisation_id, t.theme, a.fund_id, a.status\n"
                        "ORDER BY a.organisation_id, t.theme, a.fund_id, a.status");
        EXPECT_EQ(kept_themes, counted_themes) << "themes, after " << step;
    };
    auto theme_total = [&](const std::string& theme, std::optional<Status> status) {
        ListFilter filter;
        filter.theme = theme;
        filter.status = status;
        auto page = service().list(manager(), filter);
        EXPECT_TRUE(page);
        return page ? page->total : -1;
    };
    auto total = [&](std::optional<Status> status) {
        ListFilter filter;
        filter.status = status;
        auto page = service().list(manager(), filter);
        EXPECT_TRUE(page);
        return page ? page->total : -1;
    };
    auto execute = [&](const std::string& text) {
        auto lease = w().funds->database->lease();
        lease.session() << text;
    };

    expect_exact("nothing");
    Id draft = complete_draft("Utkast");
    expect_exact("a draft");
    Id a = submitted("Alfa");
    Id b = submitted("Bravo");
    Id c = submitted("Charlie");
    expect_exact("submitting");
    EXPECT_EQ(total(std::nullopt), 3);
    EXPECT_EQ(total(Status::Submitted), 3);

    ASSERT_TRUE(service().withdraw(applicant(), b, ""));
    expect_exact("a withdrawal");
    EXPECT_EQ(total(Status::Submitted), 2);
    EXPECT_EQ(total(Status::Withdrawn), 1);
    ASSERT_TRUE(service().return_to_draft(manager(), c, "Mer om budsjettet."));
    expect_exact("a return to draft");
    EXPECT_EQ(total(Status::Draft), 1);
    EXPECT_EQ(total(std::nullopt), 3); // still in the staff list: submitted once
    ASSERT_TRUE(service().save_details(applicant(), c, details("Charlie revidert")));
    expect_exact("an edit that changes no group");
    EXPECT_EQ(total(std::nullopt), 3);
    EXPECT_EQ(theme_total("skole", std::nullopt), 3);
    DetailsInput new_themes = details("Charlie revidert");
    new_themes.themes = {"skole", "Velferd"};
    ASSERT_TRUE(service().save_details(applicant(), c, new_themes));
    expect_exact("new themes of an application submitted once");
    EXPECT_EQ(theme_total("velferd", std::nullopt), 1);
    EXPECT_EQ(theme_total("tidlig innsats", std::nullopt), 2);
    EXPECT_EQ(theme_total("tidlig innsats", Status::Withdrawn), 1);
    EXPECT_EQ(theme_total("skole", Status::Draft), 1);

    // Changes no use case makes today, straight in SQL: several rows in one
    // statement (PostgreSQL's triggers work per statement), a move to
    // another group and back, and an application made and deleted.
    execute("UPDATE application SET status = 'withdrawn' WHERE id IN (" + std::to_string(a) + ", " +
            std::to_string(c) + ", " + std::to_string(draft) + ")");
    expect_exact("a status change of several rows");
    EXPECT_EQ(total(Status::Withdrawn), 3);
    execute("UPDATE application SET revision_count = 0 WHERE id = " + std::to_string(a));
    expect_exact("leaving the staff list");
    execute("UPDATE application SET revision_count = 1, status = 'submitted' WHERE id = " +
            std::to_string(a));
    expect_exact("coming back");
    execute("INSERT INTO application (organisation_id, call_id, fund_id, programme_id, unit_id,\n"
            "    created_by, reference_year, reference_number, title, status, revision_count,\n"
            "    created_at, updated_at)\n"
            "SELECT organisation_id, call_id, fund_id, programme_id, unit_id, created_by,\n"
            "    reference_year, reference_number + 1000, 'Kopi', 'submitted', 1, created_at,\n"
            "    updated_at\n"
            "FROM application WHERE id IN (" +
            std::to_string(a) + ", " + std::to_string(b) + ")");
    expect_exact("inserting submitted rows");
    EXPECT_EQ(total(std::nullopt), 5);
    execute("INSERT INTO application_theme (application_id, organisation_id, theme)\n"
            "SELECT id, organisation_id, 'kopi' FROM application WHERE title = 'Kopi'");
    expect_exact("themes of several rows in one statement");
    EXPECT_EQ(theme_total("kopi", std::nullopt), 2);
    execute("DELETE FROM application_theme WHERE theme = 'kopi'");
    expect_exact("deleting the themes");
    EXPECT_EQ(theme_total("kopi", std::nullopt), 0);
    execute("INSERT INTO application_theme (application_id, organisation_id, theme)\n"
            "SELECT id, organisation_id, 'kopi' FROM application WHERE title = 'Kopi'");
    execute("DELETE FROM application_theme WHERE application_id IN\n"
            "    (SELECT id FROM application WHERE title = 'Kopi')");
    execute("DELETE FROM application WHERE title = 'Kopi'");
    expect_exact("deleting them");
    EXPECT_EQ(total(std::nullopt), 3);
    EXPECT_EQ(total(Status::Submitted), 1);

    // A page past the end has no row to carry the total.
    ListFilter beyond;
    beyond.page = 5;
    auto page = service().list(manager(), beyond);
    ASSERT_TRUE(page);
    EXPECT_TRUE(page->rows.empty());
    EXPECT_EQ(page->total, 3);
    // Another manager's funds hold none of them.
    EXPECT_EQ(service().list(w().as(w().funds->other_manager), {})->total, 0);
}

TEST_P(ApplicationsServiceTest, ExportsTheListAsCsvAndXlsx) {
    submitted("Alfa; med semikolon");
    submitted("=HYPERLINK(\"x\")");
    auto csv = service().export_list(manager(), {}, ExportFormat::Csv);
    ASSERT_TRUE(csv);
    EXPECT_EQ(csv->substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_NE(csv->find("\"Alfa; med semikolon\""), std::string::npos);
    EXPECT_NE(csv->find("'=HYPERLINK"), std::string::npos);
    EXPECT_NE(csv->find("300000,00"), std::string::npos);
    auto xlsx = service().export_list(manager(), {}, ExportFormat::Xlsx);
    ASSERT_TRUE(xlsx);
    EXPECT_EQ(xlsx->substr(0, 2), "PK");
    EXPECT_EQ(service().export_list(applicant(), {}, ExportFormat::Csv).error().kind,
              ErrorKind::Forbidden);
}

TEST_P(ApplicationsServiceTest, ReferenceNumbersStayUniqueUnderConcurrentCreates) {
    constexpr int THREADS = 4, EACH = 5;
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < THREADS; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < EACH; ++i) {
                auto id =
                    service().create(applicant(), w().risk_call, w().school,
                                     "Samtidig " + std::to_string(t) + "-" + std::to_string(i));
                if (!id)
                    ++failures;
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(failures.load(), 0);
    auto mine = service().my_applications(applicant(), 1);
    ASSERT_TRUE(mine);
    ASSERT_EQ(mine->total, THREADS * EACH);
    std::set<std::string> references;
    for (const auto& row : mine->rows)
        references.insert(row.reference);
    EXPECT_EQ(references.size(), static_cast<std::size_t>(THREADS * EACH));
}

INSTANTIATE_TEST_SUITE_P(BothEngines, ApplicationsServiceTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
