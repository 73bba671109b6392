// The application pages over loopback, as applicants, unit leaders and fund
// managers use them in a browser: starting a draft from /my, saving the
// details with the call's own fields, the budget grid, uploads (a real PNG
// and a program disguised as a PDF), submitting with a receipt, the staff
// list with search and its CSV export, and another unit's applicant
// getting 404. Norwegian messages, the typed input kept after an error,
// and the right status codes, on both database engines.

#include "app/application.hpp"
#include "applications/service.hpp"
#include "calls/service.hpp"
#include "db/database.hpp"
#include "funds/service.hpp"
#include "identity/service.hpp"
#include "support/app_paths.hpp"
#include "support/browser.hpp"
#include "support/test_db.hpp"
#include "support/test_server.hpp"
#include "support/web_session.hpp"

#include <chrono>
#include <gtest/gtest.h>
#include <memory>
#include <regex>
#include <string>

using namespace std::chrono_literals;
using spire::identity::Actor;
using spire::identity::Id;
using spire::identity::Role;
using spire::test::Browser;
using spire::test::contains;
using spire::test::RawResponse;

namespace {

constexpr const char* PASSWORD = "correct-horse-battery-staple";

// A 1×1 PNG.
const std::string PNG("\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00"
                      "\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00"
                      "\x0d\x49\x44\x41\x54\x78\xda\x63\x64\x60\xf8\x5f\x0f\x00\x02\x87\x01\x80"
                      "\xeb\x47\xba\x92\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82",
                      70);

// The start of a Windows program: "MZ", the DOS stub's message.
std::string windows_program() {
    std::string bytes("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00", 16);
    bytes += std::string(48, '\0');
    bytes += "This program cannot be run in DOS mode.\r\r\n$";
    bytes += std::string(200, '\0');
    return bytes;
}

template <class T>
T must(spire::Result<T> result) {
    EXPECT_TRUE(result) << (result ? "" : result.error().message)
                        << (result || result.error().fields.empty()
                                ? ""
                                : " " + result.error().fields.front().field + ": " +
                                      result.error().fields.front().message);
    return result ? std::move(*result) : T{};
}

// A multipart/form-data POST with one file, as a browser sends the upload
// form: the session cookie, the CSRF token as a field, an Origin.
RawResponse upload(std::uint16_t port, const spire::test::WebSession& session,
                   const std::string& target, const std::string& file_name,
                   const std::string& content_type, const std::string& bytes) {
    const std::string boundary = "----spire-test-boundary-7MA4YWxkTrZu0gW";
    std::string body = "--" + boundary +
                       "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + session.csrf +
                       "\r\n";
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"field_id\"\r\n\r\n\r\n";
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
            file_name + "\"\r\nContent-Type: " + content_type + "\r\n\r\n" + bytes + "\r\n";
    body += "--" + boundary + "--\r\n";
    std::string request = "POST " + target +
                          " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nOrigin: http://x\r\n"
                          "Cookie: " +
                          session.cookies +
                          "\r\nContent-Type: multipart/form-data; boundary=" + boundary +
                          "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    spire::test::RawConnection connection(port);
    EXPECT_TRUE(connection.send(request));
    auto response = connection.read_response();
    EXPECT_TRUE(response) << "no response to the upload";
    return response.value_or(RawResponse{});
}

class ApplicationsPagesTest : public ::testing::TestWithParam<spire::db::Engine> {
protected:
    void SetUp() override {
        m_database = spire::test::migrated_database(GetParam());
        std::shared_ptr<spire::db::Database> shared(std::shared_ptr<spire::db::Database>(),
                                                    &m_database->db());
        m_identity = std::make_shared<spire::identity::IdentityService>(shared);
        auto funds = std::make_shared<spire::funds::FundsService>(shared);
        auto calls = std::make_shared<spire::calls::CallsService>(shared);
        m_calls = calls;
        m_applications = std::make_shared<spire::applications::ApplicationsService>(shared);
        m_app = std::make_unique<spire::app::Application>(
            spire::app::AppConfig{spire::test::root_dir(), spire::test::locale_dir(), false,
                                  "Testkommune"},
            shared);
        spire::http::ServerConfig server;
        server.threads = 2;
        server.shutdown_deadline = 5s;
        m_server = std::make_unique<spire::test::TestServer>(m_app->http_app(), server);

        const Actor system = Actor::system("test");
        m_organisation = must(m_identity->create_organisation(system, "test", "Testkommune"));
        Id sector =
            must(m_identity->create_unit(system, {0, m_organisation, std::nullopt,
                                                  spire::identity::UnitKind::Sector, "Oppvekst"}));
        Id schools = must(m_identity->create_unit(
            system, {0, m_organisation, sector, spire::identity::UnitKind::Unit, "Grunnskoler"}));
        m_unit = must(m_identity->create_unit(system, {0, m_organisation, schools,
                                                       spire::identity::UnitKind::ServiceUnit,
                                                       "Bekkestua skole"}));
        m_other_unit = must(m_identity->create_unit(
            system,
            {0, m_organisation, schools, spire::identity::UnitKind::ServiceUnit, "Hosle skole"}));
        m_sector = sector;
        m_fund = must(funds->create_fund(
            system, {m_organisation, "Innovasjonsfond", "", 2017, 2030, true, true}));
        m_programme = must(funds->create_programme(
            system, m_fund,
            {"Risikokapital", "", spire::funds::ProgrammeKind::RiskCapital, true, 1}));

        spire::calls::CallInput call;
        call.programme_id = m_programme;
        call.title = "Innovasjonsmidler 2018";
        call.opens_at = "2018-01-01T00:00:00.000000Z";
        call.rolling = true;
        call.max_amount_ore = 50'000'000;
        call.max_duration_years = 3;
        call.endorsement_required = false;
        m_call = must(calls->create_call(system, m_fund, call));
        must(calls->add_criterion(system, m_call, {"Nyskapende", "", 100, 1, 7, std::nullopt}));
        Id section = must(calls->add_section(system, m_call, {"Om prosjektet", ""}));
        spire::calls::FieldInput target;
        target.section_id = section;
        target.label = "Målgruppe";
        target.kind = spire::calls::FieldKind::ShortText;
        target.required = true;
        target.max_length = 100;
        m_target_field = must(calls->add_field(system, m_call, target));
        spire::calls::FieldInput own;
        own.section_id = section;
        own.label = "Egen innsats i kroner";
        own.kind = spire::calls::FieldKind::Money;
        m_money_field = must(calls->add_field(system, m_call, own));
        spire::calls::FieldInput choice;
        choice.section_id = section;
        choice.label = "Har dere prøvd dette før?";
        choice.kind = spire::calls::FieldKind::YesNo;
        m_yes_no_field = must(calls->add_field(system, m_call, choice));
        ASSERT_TRUE(calls->publish_call(system, m_call));

        add_user("Anne Søker", "anne@test.no", Role::Applicant, m_unit, std::nullopt);
        add_user("Ola Annenskole", "ola@test.no", Role::Applicant, m_other_unit, std::nullopt);
        add_user("Frida Forvalter", "frida@test.no", Role::FundManager, std::nullopt, m_fund);
        m_applicant = std::make_unique<Browser>(m_server->port());
        ASSERT_TRUE(m_applicant->log_in("anne@test.no", PASSWORD));
    }
    void TearDown() override {
        m_applicant.reset();
        m_server.reset();
        m_app.reset();
    }

    void add_user(const std::string& name, const std::string& email, Role role,
                  std::optional<Id> unit, std::optional<Id> fund) {
        const Actor system = Actor::system("test");
        Id user =
            must(m_identity->create_user(system, {m_organisation, name, email, "", PASSWORD}));
        ASSERT_TRUE(m_identity->grant_role(system, {0, user, m_organisation, role, unit, fund}));
    }

    // Starts a draft through /my and the new-application form; its path.
    std::string start_application(const std::string& title) {
        RawResponse my = m_applicant->get("/my");
        EXPECT_EQ(my.status, 200);
        const std::string new_href = "/applications/new?call=" + std::to_string(m_call);
        EXPECT_TRUE(contains(my.body, "href=\"" + new_href + "\"")) << my.body;
        RawResponse form = m_applicant->get(new_href);
        EXPECT_EQ(form.status, 200);
        EXPECT_TRUE(contains(form.body, "Innovasjonsmidler"));
        RawResponse created =
            m_applicant->post("/applications", {{"call_id", std::to_string(m_call)},
                                                {"unit_id", std::to_string(m_unit)},
                                                {"title", title}});
        EXPECT_EQ(created.status, 303);
        std::string location = created.header("location");
        EXPECT_TRUE(location.ends_with("?done=created")) << location;
        return location.substr(0, location.find('?'));
    }

    std::string field(Id id) const { return "field_" + std::to_string(id); }

    std::unique_ptr<spire::test::TestDatabase> m_database;
    std::shared_ptr<spire::identity::IdentityService> m_identity;
    std::shared_ptr<spire::applications::ApplicationsService> m_applications;
    std::shared_ptr<spire::calls::CallsService> m_calls;
    std::unique_ptr<spire::app::Application> m_app;
    std::unique_ptr<spire::test::TestServer> m_server;
    std::unique_ptr<Browser> m_applicant;
    Id m_organisation = 0, m_sector = 0, m_unit = 0, m_other_unit = 0, m_fund = 0, m_call = 0;
    Id m_programme = 0;
    Id m_target_field = 0, m_money_field = 0, m_yes_no_field = 0;
};

} // namespace

TEST_P(ApplicationsPagesTest, AnApplicantFillsInUploadsAndSubmitsAndStaffFindIt) {
    const std::string path = start_application("Lesevenner i skolegården");
    RawResponse details = m_applicant->get(path + "?done=created");
    ASSERT_EQ(details.status, 200);
    EXPECT_TRUE(contains(details.body, "<h1 class=\"ds-heading\" data-size=\"xl\">Søknad</h1>"));
    EXPECT_TRUE(contains(details.body, "Søknaden er opprettet."));
    EXPECT_TRUE(contains(details.body, "aria-current=\"page\">Søknad</a>"));
    // Each kind of field with its own accessible input.
    EXPECT_TRUE(contains(details.body, "<label class=\"ds-label\" for=\"" + field(m_target_field) +
                                           "\">Målgruppe"));
    EXPECT_TRUE(contains(details.body, "maxlength=\"100\""));
    EXPECT_TRUE(contains(details.body, "<legend class=\"ds-label\">Har dere prøvd dette før?"));
    EXPECT_TRUE(contains(details.body, "type=\"radio\" id=\"" + field(m_yes_no_field) + "_yes\""));

    // A bad amount: 422, the message next to the field, everything typed kept.
    spire::test::Fields typed = {{"title", "Lesevenner i skolegården"},
                                 {"summary", "Eldre elever leser for de yngre."},
                                 {"themes", "tidlig innsats, lesing"},
                                 {"start_year", "2018"},
                                 {"duration_years", "1"},
                                 {field(m_target_field), "1.–4. trinn"},
                                 {field(m_money_field), "12,345"},
                                 {field(m_yes_no_field), "no"}};
    RawResponse refused = m_applicant->post(path, typed);
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "ds-error-summary"));
    EXPECT_TRUE(contains(refused.body, "href=\"#" + field(m_money_field) + "\""));
    EXPECT_TRUE(contains(refused.body, "id=\"" + field(m_money_field) +
                                           "-error\" data-field=\"validation\">Bruk høyst to "
                                           "desimaler (øre).</p>"));
    EXPECT_TRUE(contains(refused.body, "value=\"12,345\""));
    EXPECT_TRUE(contains(refused.body, "value=\"1.–4. trinn\""));
    EXPECT_TRUE(contains(refused.body, ">Eldre elever leser for de yngre.</textarea>"));
    EXPECT_TRUE(contains(refused.body, "value=\"no\" checked"));

    typed[6].second = "25 000";
    RawResponse saved = m_applicant->post(path, typed);
    ASSERT_EQ(saved.status, 303) << saved.body;
    EXPECT_EQ(saved.header("location"), path + "?done=saved");

    // The budget grid: one labelled input per year and cost type.
    RawResponse budget = m_applicant->get(path + "/budget");
    ASSERT_EQ(budget.status, 200);
    EXPECT_TRUE(contains(budget.body, "name=\"budget_2018_personnel\""));
    EXPECT_TRUE(contains(budget.body, "aria-label=\"Personal- og indirekte kostnader 2018\"") ||
                contains(budget.body, "aria-label=\"Personnel and indirect costs 2018\""));
    RawResponse bad_budget =
        m_applicant->post(path + "/budget", {{"budget_2018_personnel", "tusen"}});
    EXPECT_EQ(bad_budget.status, 422);
    EXPECT_TRUE(contains(bad_budget.body, "value=\"tusen\""));
    RawResponse budget_saved =
        m_applicant->post(path + "/budget", {{"budget_2018_personnel", "100 000"},
                                             {"budget_2018_equipment", "50000"}});
    ASSERT_EQ(budget_saved.status, 303) << budget_saved.body;
    budget = m_applicant->get(budget_saved.header("location"));
    EXPECT_TRUE(contains(budget.body, "150\u00a0000\u00a0kr"));

    RawResponse financing =
        m_applicant->post(path + "/financing", {{"financing_0_source", ""},
                                                {"financing_1_source", "fund"},
                                                {"financing_1_cash", "150 000"}});
    ASSERT_EQ(financing.status, 303) << financing.body;

    // Attachments: a real PNG is kept, a program renamed .pdf is refused.
    auto session = spire::test::log_in(m_server->port(), "anne@test.no", PASSWORD);
    ASSERT_TRUE(session);
    RawResponse png = upload(m_server->port(), *session, path + "/attachments", "skolegård.png",
                             "image/png", PNG);
    ASSERT_EQ(png.status, 303) << png.body;
    RawResponse exe = upload(m_server->port(), *session, path + "/attachments", "rapport.pdf",
                             "application/pdf", windows_program());
    EXPECT_EQ(exe.status, 422);
    EXPECT_TRUE(contains(exe.body, "id=\"file-error\""));
    RawResponse attachments = m_applicant->get(path + "/attachments");
    ASSERT_EQ(attachments.status, 200);
    EXPECT_TRUE(contains(attachments.body, "skolegård.png"));
    EXPECT_FALSE(contains(attachments.body, "rapport.pdf"));
    std::smatch link;
    ASSERT_TRUE(std::regex_search(attachments.body, link,
                                  std::regex("href=\"(/applications/\\d+/attachments/\\d+)\"")));
    RawResponse download = m_applicant->get(link[1]);
    ASSERT_EQ(download.status, 200);
    EXPECT_EQ(download.body, PNG);
    EXPECT_EQ(download.header("content-type"), "image/png");
    EXPECT_TRUE(download.header("content-disposition").starts_with("attachment; filename="));
    EXPECT_EQ(download.header("x-content-type-options"), "nosniff");

    // Submitting: the check list is empty, the receipt has the reference.
    RawResponse check = m_applicant->get(path + "/submit");
    ASSERT_EQ(check.status, 200);
    EXPECT_TRUE(contains(check.body, "Alt som trengs, er fylt ut.")) << check.body;
    RawResponse submitted = m_applicant->post(path + "/submit", {});
    ASSERT_EQ(submitted.status, 303) << submitted.body;
    EXPECT_EQ(submitted.header("location"), path + "/receipt");
    RawResponse receipt = m_applicant->get(path + "/receipt");
    ASSERT_EQ(receipt.status, 200);
    EXPECT_TRUE(contains(receipt.body, "Søknaden din er sendt inn."));
    std::smatch reference;
    ASSERT_TRUE(std::regex_search(receipt.body, reference, std::regex("SPIRE-\\d{4}-\\d{4}")));
    // Submitting twice is harmless; editing afterwards is refused.
    EXPECT_EQ(m_applicant->post(path + "/submit", {}).status, 303);
    RawResponse late = m_applicant->post(path, typed);
    EXPECT_EQ(late.status, 409);
    EXPECT_TRUE(contains(m_applicant->get(path).body, "kan ikke lenger endres"));

    // Staff: the list, search, export.
    Browser manager(m_server->port());
    ASSERT_TRUE(manager.log_in("frida@test.no", PASSWORD));
    RawResponse list = manager.get("/applications");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(contains(list.body, "Lesevenner i skolegården"));
    EXPECT_TRUE(contains(list.body, reference.str()));
    EXPECT_TRUE(contains(list.body, "href=\"/applications?sort=title\""));
    RawResponse sorted = manager.get("/applications?sort=title");
    EXPECT_TRUE(contains(sorted.body, "aria-sort=\"ascending\""));
    EXPECT_TRUE(contains(sorted.body, "href=\"/applications?sort=title&amp;dir=desc\""));
    RawResponse found = manager.get("/applications?q=" + spire::test::url_encode("skolegården"));
    ASSERT_EQ(found.status, 200);
    EXPECT_TRUE(contains(found.body, "Lesevenner i skolegården"));
    RawResponse none = manager.get("/applications?q=" + spire::test::url_encode("svømmehall"));
    ASSERT_EQ(none.status, 200);
    EXPECT_TRUE(contains(none.body, "Fant ingen søknader."));
    RawResponse csv =
        manager.get("/applications/export.csv?q=" + spire::test::url_encode("skolegården"));
    ASSERT_EQ(csv.status, 200);
    EXPECT_TRUE(csv.body.starts_with("\xEF\xBB\xBF")) << "a byte order mark for Excel";
    EXPECT_TRUE(contains(csv.body, "Lesevenner i skolegården"));
    EXPECT_TRUE(contains(csv.header("content-disposition"), "attachment"));
    RawResponse api =
        manager.get("/api/v1/applications?q=" + spire::test::url_encode("skolegården"));
    ASSERT_EQ(api.status, 200);
    EXPECT_TRUE(contains(api.body, "\"reference\":\"" + reference.str() + "\""));
    EXPECT_TRUE(contains(api.body, "\"total\":1"));
    RawResponse one = manager.get("/api/v1" + path);
    ASSERT_EQ(one.status, 200);
    EXPECT_TRUE(contains(one.body, "\"requested_ore\":15000000"));
    RawResponse staff_view = manager.get(path);
    ASSERT_EQ(staff_view.status, 200);
    EXPECT_FALSE(contains(staff_view.body, "name=\"title\"")) << "read-only for staff";

    // Another unit's applicant does not know it exists.
    Browser other(m_server->port());
    ASSERT_TRUE(other.log_in("ola@test.no", PASSWORD));
    for (const std::string& target :
         {path, path + "/budget", path + "/attachments", path + "/receipt", std::string(link[1])})
        EXPECT_EQ(other.get(target).status, 404) << target;
    EXPECT_EQ(other.post(path + "/withdraw", {{"comment", "x"}}).status, 404);
    EXPECT_FALSE(contains(other.get("/my").body, "Lesevenner"));
}

TEST_P(ApplicationsPagesTest, SubmittingAnIncompleteDraftListsWhatIsMissingWithLinks) {
    const std::string path = start_application("Uferdig");
    RawResponse check = m_applicant->get(path + "/submit");
    ASSERT_EQ(check.status, 200);
    EXPECT_TRUE(contains(check.body, "href=\"" + path + "#" + field(m_target_field) + "\""));
    EXPECT_TRUE(contains(check.body, "href=\"" + path + "/budget#budget"));
    RawResponse refused = m_applicant->post(path + "/submit", {});
    EXPECT_EQ(refused.status, 422);
    EXPECT_TRUE(contains(refused.body, "role=\"alert\""));
    auto application = m_applications->get(Actor::system("test"), std::stoll(path.substr(14)));
    ASSERT_TRUE(application);
    EXPECT_EQ(application->status, spire::applications::Status::Draft);
}

// A file one byte over 20 MB passes the CSRF check and the route's body
// limit, and is refused next to the file field (413, the form shown again),
// not with a bare error page.
TEST_P(ApplicationsPagesTest, AFileOverTwentyMegabytesIsRefusedNextToTheField) {
    const std::string path = start_application("Stor fil");
    auto session = spire::test::log_in(m_server->port(), "anne@test.no", PASSWORD);
    ASSERT_TRUE(session);
    std::string big = PNG;
    big.resize((20u << 20) + 1, '\0');
    RawResponse refused =
        upload(m_server->port(), *session, path + "/attachments", "stor.png", "image/png", big);
    EXPECT_EQ(refused.status, 413);
    EXPECT_TRUE(contains(refused.body, "id=\"file-error\""));
    RawResponse attachments = m_applicant->get(path + "/attachments");
    EXPECT_FALSE(contains(attachments.body, "stor.png"));
}

TEST_P(ApplicationsPagesTest, PartnerRowsKeepWhatWasTypedAndCheckOrganisationNumbers) {
    const std::string path = start_application("Med partnere");
    RawResponse refused =
        m_applicant->post(path + "/partners", {{"partner_0_name", ""},
                                               {"partner_1_name", "Feil AS"},
                                               {"partner_1_organisation_number", "974760674"},
                                               {"partner_1_kind", "company"},
                                               {"partner_1_role", "Leverandør"}});
    EXPECT_EQ(refused.status, 422);
    // The empty first row is dropped: the typed row is row 0 now.
    EXPECT_TRUE(contains(refused.body, "id=\"partner_0_organisation_number-error\""));
    EXPECT_TRUE(contains(refused.body, "value=\"974760674\""));
    EXPECT_TRUE(contains(refused.body, "value=\"Leverandør\""));
    RawResponse saved =
        m_applicant->post(path + "/partners", {{"partner_0_name", "Universitetet i Oslo"},
                                               {"partner_0_organisation_number", "971 035 854"},
                                               {"partner_0_kind", "research_institution"}});
    ASSERT_EQ(saved.status, 303) << saved.body;
    RawResponse page = m_applicant->get(path + "/partners");
    EXPECT_TRUE(contains(page.body, "value=\"971035854\""));
}

TEST_P(ApplicationsPagesTest, TheUnitLeaderReturnsWithACommentAndThenEndorses) {
    const Actor system = Actor::system("test");
    spire::calls::CallInput input;
    input.programme_id = m_programme;
    input.title = "Innovasjonsmidler med forankring";
    input.opens_at = "2018-01-01T00:00:00.000000Z";
    input.rolling = true;
    input.max_amount_ore = 50'000'000;
    input.endorsement_required = true;
    m_call = must(m_calls->create_call(system, m_fund, input));
    must(m_calls->add_criterion(system, m_call, {"Nyskapende", "", 100, 1, 7, std::nullopt}));
    ASSERT_TRUE(m_calls->publish_call(system, m_call));
    add_user("Lise Leder", "lise@test.no", Role::UnitLeader, m_unit, std::nullopt);

    const std::string path = start_application("Uteskole hele året");
    ASSERT_EQ(m_applicant
                  ->post(path, {{"title", "Uteskole hele året"},
                                {"summary", "Undervisning ute."},
                                {"start_year", "2018"},
                                {"duration_years", "1"}})
                  .status,
              303);
    ASSERT_EQ(m_applicant->post(path + "/budget", {{"budget_2018_other", "80 000"}}).status, 303);
    ASSERT_EQ(m_applicant
                  ->post(path + "/financing",
                         {{"financing_0_source", "fund"}, {"financing_0_cash", "80 000"}})
                  .status,
              303);
    RawResponse sent = m_applicant->post(path + "/submit", {});
    ASSERT_EQ(sent.status, 303) << sent.body;
    RawResponse receipt = m_applicant->get(path + "/receipt");
    EXPECT_TRUE(contains(receipt.body, "sendt til enhetslederen for forankring"));

    Browser leader(m_server->port());
    ASSERT_TRUE(leader.log_in("lise@test.no", PASSWORD));
    RawResponse queue = leader.get("/my/endorsements");
    ASSERT_EQ(queue.status, 200);
    EXPECT_TRUE(contains(queue.body, "Uteskole hele året"));
    RawResponse no_comment = leader.post(path + "/return", {{"comment", " "}});
    EXPECT_EQ(no_comment.status, 422);
    EXPECT_TRUE(contains(no_comment.body, "id=\"return_comment-error\""));
    RawResponse returned = leader.post(path + "/return", {{"comment", "Legg ved budsjettet."}});
    ASSERT_EQ(returned.status, 303);
    EXPECT_EQ(returned.header("location"), "/my/endorsements?done=returned");
    RawResponse history = m_applicant->get(path + "/history");
    EXPECT_TRUE(contains(history.body, "Legg ved budsjettet."));

    ASSERT_EQ(m_applicant->post(path + "/submit", {}).status, 303);
    RawResponse endorsed = leader.post(path + "/endorse", {});
    ASSERT_EQ(endorsed.status, 303) << endorsed.body;
    EXPECT_EQ(endorsed.header("location"), "/my/endorsements?done=endorsed");
    EXPECT_TRUE(contains(leader.get(endorsed.header("location")).body,
                         "Søknaden er forankret og sendt inn."));
    EXPECT_TRUE(contains(m_applicant->get(path + "/receipt").body, "Søknaden din er sendt inn."));
    // The applicant cannot endorse their own application.
    EXPECT_EQ(m_applicant->post(path + "/endorse", {}).status, 403);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, ApplicationsPagesTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);
