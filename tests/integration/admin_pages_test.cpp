// The identity admin pages over loopback, as a browser uses them: logged in
// with a session cookie, forms posted with the session's CSRF token. Users,
// roles, units and the audit log; who may see what; the Norwegian messages.

#include "app/application.hpp"
#include "db/database.hpp"
#include "funds/service.hpp"
#include "identity/service.hpp"
#include "support/app_paths.hpp"
#include "support/browser.hpp"
#include "support/http_client.hpp"
#include "support/test_db.hpp"
#include "support/test_server.hpp"
#include "support/web_session.hpp"

#include <algorithm>
#include <chrono>
#include <gtest/gtest.h>
#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;
using spire::identity::Actor;
using spire::identity::Id;
using spire::identity::Role;
using spire::identity::UnitKind;
using spire::test::RawResponse;

namespace {

// No characters that need percent-encoding: support/web_session.cpp sends it as is.
constexpr const char* PASSWORD = "correct-horse-battery-staple";

using spire::test::Browser;
using spire::test::contains;
using spire::test::Fields;
using spire::test::url_encode;

// The id a Location names: /admin/users/7?done=created or
// /admin/units?done=created#unit-7.
Id id_from_location(const RawResponse& response) {
    std::string location = response.header("location");
    if (auto at = location.find("#unit-"); at != std::string::npos)
        return std::stoll(location.substr(at + 6));
    location = location.substr(0, location.find_first_of("?#"));
    return std::stoll(location.substr(location.rfind('/') + 1));
}

class AdminPagesTest : public ::testing::TestWithParam<spire::db::Engine> {
protected:
    void SetUp() override {
        m_database = spire::test::migrated_database(GetParam());
        // Owned by m_database, which outlives the application and server.
        std::shared_ptr<spire::db::Database> shared(std::shared_ptr<spire::db::Database>(),
                                                    &m_database->db());
        // The application's own service answers the pages; this one seeds
        // the data and checks the results, on the same database.
        m_service = std::make_shared<spire::identity::IdentityService>(shared);
        m_app = std::make_unique<spire::app::Application>(
            spire::app::AppConfig{spire::test::root_dir(), spire::test::locale_dir(), false,
                                  "Testkommune"},
            shared);
        spire::http::ServerConfig server;
        server.threads = 2;
        server.shutdown_deadline = 5s;
        m_server = std::make_unique<spire::test::TestServer>(m_app->http_app(), server);

        m_organisation =
            must(m_service->create_organisation(system(), "testkommune", "Testkommune"));
        m_admin_id = add_user("Ada Admin", "ada@test.no", Role::Admin);
        m_admin = std::make_unique<Browser>(port());
        ASSERT_TRUE(m_admin->log_in("ada@test.no", PASSWORD));
    }

    void TearDown() override {
        m_admin.reset();
        m_server.reset();
        m_app.reset();
        m_service.reset();
        m_database.reset();
    }

    static Actor system() { return Actor::system("test"); }

    template <class T>
    static T must(spire::Result<T> result) {
        EXPECT_TRUE(result) << (result ? "" : result.error().message);
        return result ? std::move(*result) : T{};
    }

    std::uint16_t port() const { return m_server->port(); }

    Id add_user(const std::string& name, const std::string& email,
                std::optional<Role> role = std::nullopt, Id organisation = 0,
                std::optional<Id> unit = std::nullopt) {
        organisation = organisation ? organisation : m_organisation;
        Id id = must(m_service->create_user(system(), {organisation, name, email, "", PASSWORD}));
        if (role) {
            spire::identity::Grant grant;
            grant.user_id = id;
            grant.organisation_id = organisation;
            grant.role = *role;
            grant.unit_id = unit;
            must(m_service->grant_role(system(), grant));
        }
        return id;
    }

    Id add_unit(const std::string& name, UnitKind kind, std::optional<Id> parent = std::nullopt) {
        spire::identity::OrgUnit unit;
        unit.organisation_id = m_organisation;
        unit.kind = kind;
        unit.parent_id = parent;
        unit.name = name;
        return must(m_service->create_unit(system(), unit));
    }

    std::vector<spire::identity::Grant> grants_of(Id user) {
        return must(m_service->user_detail(system(), m_organisation, user)).grants;
    }

    spire::identity::OrgUnit unit(Id id) {
        auto units = must(m_service->units(system(), m_organisation));
        auto it =
            std::find_if(units.begin(), units.end(), [&](const auto& u) { return u.id == id; });
        EXPECT_NE(it, units.end());
        return it == units.end() ? spire::identity::OrgUnit{} : *it;
    }

    std::unique_ptr<spire::test::TestDatabase> m_database;
    std::shared_ptr<spire::identity::IdentityService> m_service;
    std::unique_ptr<spire::app::Application> m_app;
    std::unique_ptr<spire::test::TestServer> m_server;
    Id m_organisation = 0;
    Id m_admin_id = 0;
    std::unique_ptr<Browser> m_admin;
};

// --- Access -------------------------------------------------------------------

TEST_P(AdminPagesTest, AnonymousVisitorIsSentToLogin) {
    Browser anonymous(port());
    for (const char* path : {"/admin/users", "/admin/units", "/admin/audit", "/admin/users/1"}) {
        RawResponse response = anonymous.get(path);
        EXPECT_EQ(response.status, 303) << path;
        std::string location = response.header("location");
        EXPECT_TRUE(location == "/login?next=" + std::string(path) ||
                    location == "/login?next=" + url_encode(path))
            << location;
    }
}

TEST_P(AdminPagesTest, ApplicantGets403WithTheReason) {
    Id sector = add_unit("Oppvekst", UnitKind::Sector);
    Id school_unit = add_unit("Skoler", UnitKind::Unit, sector);
    Id school = add_unit("Bekkestua skole", UnitKind::ServiceUnit, school_unit);
    add_user("Siri Søker", "siri@test.no", Role::Applicant, 0, school);
    Browser applicant(port());
    ASSERT_TRUE(applicant.log_in("siri@test.no", PASSWORD));

    RawResponse users = applicant.get("/admin/users");
    EXPECT_EQ(users.status, 403);
    EXPECT_TRUE(contains(users.body, "Bare administratorer, revisorer og fondsforvaltere kan se "
                                     "brukerne."))
        << users.body;
    EXPECT_EQ(applicant.get("/admin/audit").status, 403);
    EXPECT_EQ(applicant.get("/admin/units").status, 403);
    EXPECT_EQ(applicant.post("/admin/users", {{"name", "X"}, {"email", "x@test.no"}}).status, 403);
}

TEST_P(AdminPagesTest, AdminOfAnotherOrganisationGets404ForThisOrganisationsIds) {
    Id user = add_user("Kari Nordmann", "kari@test.no");
    Id sector = add_unit("Oppvekst", UnitKind::Sector);
    Id other = must(m_service->create_organisation(system(), "annenkommune", "Annen kommune"));
    add_user("Otto Other", "otto@annen.no", Role::Admin, other);
    Browser outsider(port());
    ASSERT_TRUE(outsider.log_in("otto@annen.no", PASSWORD));

    std::string page = "/admin/users/" + std::to_string(user);
    EXPECT_EQ(outsider.get(page).status, 404);
    EXPECT_EQ(outsider.post(page + "/active", {{"active", "0"}}).status, 404);
    EXPECT_EQ(outsider.post(page + "/grants", {{"role", "auditor"}}).status, 404);
    Id grant = grants_of(m_admin_id).front().id;
    EXPECT_EQ(outsider
                  .post("/admin/users/" + std::to_string(m_admin_id) + "/grants/" +
                            std::to_string(grant) + "/revoke",
                        {})
                  .status,
              404);
    std::string unit_page = "/admin/units/" + std::to_string(sector);
    EXPECT_EQ(outsider.get(unit_page).status, 404);
    EXPECT_EQ(outsider.post(unit_page, {{"name", "Overtatt"}, {"active", "1"}}).status, 404);

    // Nothing changed, and the outsider's lists show none of it.
    EXPECT_TRUE(must(m_service->user_detail(system(), m_organisation, user)).user.active);
    EXPECT_EQ(grants_of(m_admin_id).size(), 1u);
    EXPECT_EQ(unit(sector).name, "Oppvekst");
    EXPECT_FALSE(contains(outsider.get("/admin/users").body, "kari@test.no"));
    EXPECT_FALSE(contains(outsider.get("/admin/units").body, "Oppvekst"));
}

TEST_P(AdminPagesTest, AuditorReadsButSeesNoForms) {
    add_unit("Oppvekst", UnitKind::Sector);
    add_user("Ruth Revisor", "ruth@test.no", Role::Auditor);
    Browser auditor(port());
    ASSERT_TRUE(auditor.log_in("ruth@test.no", PASSWORD));

    RawResponse users = auditor.get("/admin/users");
    EXPECT_EQ(users.status, 200);
    EXPECT_FALSE(contains(users.body, "/admin/users/new"));
    RawResponse units = auditor.get("/admin/units");
    EXPECT_EQ(units.status, 200);
    EXPECT_TRUE(contains(units.body, "Oppvekst"));
    EXPECT_FALSE(contains(units.body, "action=\"/admin/units\""));
    EXPECT_EQ(auditor.get("/admin/audit").status, 200);
    RawResponse refused = auditor.post("/admin/units", {{"name", "Ny"}, {"kind", "sector"}});
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(contains(refused.body, "Bare administratorer kan endre enhetene.")) << refused.body;
}

// --- Users -----------------------------------------------------------------------

TEST_P(AdminPagesTest, AdminCreatesUser) {
    RawResponse form = m_admin->get("/admin/users/new");
    EXPECT_EQ(form.status, 200);
    EXPECT_TRUE(contains(form.body, "<label class=\"ds-label\" for=\"email\">"));

    RawResponse created = m_admin->post("/admin/users", {{"name", "Kari Nordmann"},
                                                         {"email", "Kari@Test.no"},
                                                         {"phone", "+47 900 00 000"},
                                                         {"password", ""}});
    ASSERT_EQ(created.status, 303) << created.body;
    Id id = id_from_location(created);
    EXPECT_TRUE(created.header("location").ends_with("?done=created"));

    RawResponse page = m_admin->get(created.header("location"));
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(
        contains(page.body, "<h1 class=\"ds-heading\" data-size=\"xl\">Kari Nordmann</h1>"));
    EXPECT_TRUE(contains(page.body, "kari@test.no"));
    EXPECT_TRUE(contains(page.body, "Brukeren er lagt til."));
    auto user = must(m_service->user_detail(system(), m_organisation, id)).user;
    EXPECT_EQ(user.email, "kari@test.no");
    EXPECT_EQ(user.phone, "+47 900 00 000");

    RawResponse list = m_admin->get("/admin/users?q=kari");
    EXPECT_TRUE(contains(list.body, "href=\"/admin/users/" + std::to_string(id) + "\""));
    EXPECT_FALSE(contains(list.body, "ada@test.no"));
}

TEST_P(AdminPagesTest, InvalidUserKeepsInputAndGets422WithNorwegianMessages) {
    RawResponse response = m_admin->post("/admin/users", {{"name", "Ola \"O\" Nordmann"},
                                                          {"email", "not-an-address"},
                                                          {"phone", "22 22 22 22"},
                                                          {"password", "short"}});
    EXPECT_EQ(response.status, 422);
    const std::string& body = response.body;
    EXPECT_TRUE(contains(body, "value=\"Ola &quot;O&quot; Nordmann\"")) << body;
    EXPECT_TRUE(contains(body, "value=\"not-an-address\""));
    EXPECT_TRUE(contains(body, "value=\"22 22 22 22\""));
    EXPECT_FALSE(contains(body, "value=\"short\"")); // passwords are never sent back
    EXPECT_TRUE(
        contains(body, "Skriv inn en gyldig e-postadresse, for eksempel navn@eksempel.no."));
    EXPECT_TRUE(contains(body, "Passordet må ha minst 12 tegn."));
    // The summary links to the fields; the fields point at their messages.
    EXPECT_TRUE(contains(body, "class=\"ds-error-summary\""));
    EXPECT_TRUE(contains(body, "href=\"#email\""));
    EXPECT_TRUE(contains(body, "aria-describedby=\"email-error\""));
    EXPECT_TRUE(contains(body, "id=\"email-error\""));

    RawResponse empty = m_admin->post("/admin/users", {{"name", ""}, {"email", ""}});
    EXPECT_EQ(empty.status, 422);
    EXPECT_TRUE(contains(empty.body, "Skriv inn navnet."));
    EXPECT_TRUE(contains(empty.body, "Skriv inn e-postadressen."));
}

TEST_P(AdminPagesTest, DuplicateEmailIsRefused) {
    add_user("Kari Nordmann", "kari@test.no");
    RawResponse response =
        m_admin->post("/admin/users", {{"name", "Kari Kopi"}, {"email", "KARI@test.no"}});
    EXPECT_EQ(response.status, 422);
    EXPECT_TRUE(contains(response.body, "Det finnes allerede en bruker med denne e-postadressen."));
    EXPECT_TRUE(contains(response.body, "value=\"Kari Kopi\""));
    auto found = must(m_service->search_users(system(), m_organisation, "Kari", 1, 50));
    EXPECT_EQ(found.total, 1);
}

TEST_P(AdminPagesTest, UserListPaginatesAndKeepsTheSearch) {
    for (int i = 0; i < 51; ++i) {
        std::string n = (i < 10 ? "0" : "") + std::to_string(i);
        must(m_service->create_user(
            system(), {m_organisation, "Sidetest " + n, "side" + n + "@test.no", "", ""}));
    }
    RawResponse first = m_admin->get("/admin/users?q=Sidetest");
    EXPECT_EQ(first.status, 200);
    EXPECT_TRUE(contains(first.body, "Side 1 av 2"));
    EXPECT_TRUE(contains(first.body, "Antall brukere: 51"));
    EXPECT_TRUE(contains(first.body, "href=\"/admin/users?q=Sidetest&amp;page=2\""));
    EXPECT_TRUE(contains(first.body, "Sidetest 49"));
    EXPECT_FALSE(contains(first.body, "Sidetest 50"));

    RawResponse second = m_admin->get("/admin/users?q=Sidetest&page=2");
    EXPECT_TRUE(contains(second.body, "Side 2 av 2"));
    EXPECT_TRUE(contains(second.body, "Sidetest 50"));
    EXPECT_TRUE(contains(second.body, "href=\"/admin/users?q=Sidetest\" rel=\"prev\""));

    RawResponse none = m_admin->get("/admin/users?q=ingen+slik+person");
    EXPECT_EQ(none.status, 200);
    EXPECT_TRUE(contains(none.body, "Ingen brukere funnet."));
    EXPECT_FALSE(contains(none.body, "<table"));
}

TEST_P(AdminPagesTest, AdminGrantsAndRevokesARole) {
    Id sector = add_unit("Oppvekst", UnitKind::Sector);
    Id schools = add_unit("Skoler", UnitKind::Unit, sector);
    Id school = add_unit("Bekkestua skole", UnitKind::ServiceUnit, schools);
    Id user = add_user("Kari Nordmann", "kari@test.no");
    std::string page = "/admin/users/" + std::to_string(user);

    // A unit-scoped role without a unit: the form again, with the choice kept.
    RawResponse missing = m_admin->post(page + "/grants", {{"role", "applicant"}, {"unit_id", ""}});
    EXPECT_EQ(missing.status, 422);
    EXPECT_TRUE(contains(missing.body, "Velg enheten rollen gjelder for."));
    EXPECT_TRUE(contains(missing.body, "<option value=\"applicant\" selected>"));
    EXPECT_TRUE(grants_of(user).empty());

    RawResponse granted = m_admin->post(
        page + "/grants", {{"role", "applicant"}, {"unit_id", std::to_string(school)}});
    ASSERT_EQ(granted.status, 303) << granted.body;
    EXPECT_EQ(granted.header("location"), page + "?done=granted");
    auto grants = grants_of(user);
    ASSERT_EQ(grants.size(), 1u);
    EXPECT_EQ(grants[0].role, Role::Applicant);
    EXPECT_EQ(grants[0].unit_id, school);

    RawResponse shown = m_admin->get(page);
    EXPECT_TRUE(contains(shown.body, "<td>Søker</td>"));
    EXPECT_TRUE(contains(shown.body, "Oppvekst › Skoler › Bekkestua skole"));

    // A role limited to one of the organisation's funds, chosen by name; a
    // fund that is not the organisation's is refused.
    spire::funds::FundsService funds(std::shared_ptr<spire::db::Database>(
        std::shared_ptr<spire::db::Database>(), &m_database->db()));
    Id fund = must(
        funds.create_fund(system(), {m_organisation, "Klimafond", "", 2026, 2029, false, true}));
    RawResponse form = m_admin->get(page);
    EXPECT_TRUE(contains(form.body, "<option value=\"" + std::to_string(fund) + "\">Klimafond"));
    EXPECT_EQ(
        m_admin->post(page + "/grants", {{"role", "reviewer"}, {"fund_id", std::to_string(fund)}})
            .status,
        303);
    for (std::string bad : {std::string("tolv"), std::to_string(fund + 100)}) {
        RawResponse bad_fund =
            m_admin->post(page + "/grants", {{"role", "reviewer"}, {"fund_id", bad}});
        EXPECT_EQ(bad_fund.status, 422) << bad;
        EXPECT_TRUE(contains(bad_fund.body, "Velg et av organisasjonens fond")) << bad;
    }
    EXPECT_TRUE(contains(m_admin->get(page).body, "<td>Klimafond</td>"));
    ASSERT_EQ(grants_of(user).size(), 2u);

    // A grant id under another user's page is not found.
    Id admin_grant = grants_of(m_admin_id).front().id;
    EXPECT_EQ(m_admin->post(page + "/grants/" + std::to_string(admin_grant) + "/revoke", {}).status,
              404);

    RawResponse revoked =
        m_admin->post(page + "/grants/" + std::to_string(grants[0].id) + "/revoke", {});
    EXPECT_EQ(revoked.status, 303);
    EXPECT_EQ(revoked.header("location"), page + "?done=revoked");
    grants = grants_of(user);
    ASSERT_EQ(grants.size(), 1u);
    EXPECT_EQ(grants[0].role, Role::Reviewer);

    // Your own administrator role stays: the page says why.
    RawResponse own = m_admin->post("/admin/users/" + std::to_string(m_admin_id) + "/grants/" +
                                        std::to_string(admin_grant) + "/revoke",
                                    {});
    EXPECT_EQ(own.status, 409);
    EXPECT_TRUE(contains(own.body, "Du kan ikke fjerne din egen administratorrolle."));
}

TEST_P(AdminPagesTest, DeactivatingAUserEndsTheirSessions) {
    Id user = add_user("Kari Nordmann", "kari@test.no");
    Browser kari(port());
    ASSERT_TRUE(kari.log_in("kari@test.no", PASSWORD));
    EXPECT_EQ(kari.get("/profile").status, 200);

    std::string page = "/admin/users/" + std::to_string(user);
    RawResponse deactivated = m_admin->post(page + "/active", {{"active", "0"}});
    EXPECT_EQ(deactivated.status, 303);
    EXPECT_EQ(deactivated.header("location"), page + "?done=deactivated");
    EXPECT_EQ(kari.get("/profile").status, 303);
    EXPECT_FALSE(kari.log_in("kari@test.no", PASSWORD));
    RawResponse shown = m_admin->get(page);
    EXPECT_TRUE(contains(shown.body, "Inaktiv"));
    EXPECT_TRUE(contains(shown.body, "name=\"active\" value=\"1\""));

    EXPECT_EQ(m_admin->post(page + "/active", {{"active", "1"}}).status, 303);
    EXPECT_TRUE(kari.log_in("kari@test.no", PASSWORD));

    // Not yourself, and not with a made-up value.
    RawResponse self =
        m_admin->post("/admin/users/" + std::to_string(m_admin_id) + "/active", {{"active", "0"}});
    EXPECT_EQ(self.status, 409);
    EXPECT_TRUE(contains(self.body, "Du kan ikke deaktivere deg selv."));
    EXPECT_EQ(m_admin->post(page + "/active", {{"active", "maybe"}}).status, 400);
}

// --- Units ---------------------------------------------------------------------------

TEST_P(AdminPagesTest, AdminCreatesRenamesAndMovesUnits) {
    RawResponse empty = m_admin->get("/admin/units");
    EXPECT_EQ(empty.status, 200);
    EXPECT_TRUE(contains(empty.body, "Det er ingen enheter ennå."));

    RawResponse created = m_admin->post("/admin/units", {{"name", "Oppvekst"}, {"kind", "sector"}});
    ASSERT_EQ(created.status, 303) << created.body;
    Id oppvekst = id_from_location(created);
    Id helse = id_from_location(
        m_admin->post("/admin/units", {{"name", "Helse og omsorg"}, {"kind", "sector"}}));
    RawResponse unit_created = m_admin->post(
        "/admin/units",
        {{"name", "Skoler"}, {"kind", "unit"}, {"parent_id", std::to_string(oppvekst)}});
    ASSERT_EQ(unit_created.status, 303) << unit_created.body;
    Id skoler = id_from_location(unit_created);
    EXPECT_EQ(unit(skoler).parent_id, oppvekst);

    RawResponse tree = m_admin->get("/admin/units");
    EXPECT_TRUE(contains(tree.body, "id=\"unit-" + std::to_string(skoler) + "\""));
    EXPECT_TRUE(contains(tree.body, "Sektor"));

    // A service unit needs a parent: the form again, with the input.
    RawResponse orphan =
        m_admin->post("/admin/units", {{"name", "Bekkestua skole"}, {"kind", "service_unit"}});
    EXPECT_EQ(orphan.status, 422);
    EXPECT_TRUE(contains(orphan.body, "Velg enheten denne hører til."));
    EXPECT_TRUE(contains(orphan.body, "value=\"Bekkestua skole\""));

    std::string edit = "/admin/units/" + std::to_string(skoler);
    EXPECT_EQ(m_admin->get(edit).status, 200);
    RawResponse renamed = m_admin->post(
        edit, {{"name", "Grunnskoler"}, {"parent_id", std::to_string(oppvekst)}, {"active", "1"}});
    EXPECT_EQ(renamed.status, 303) << renamed.body;
    EXPECT_EQ(unit(skoler).name, "Grunnskoler");

    RawResponse moved = m_admin->post(
        edit, {{"name", "Grunnskoler"}, {"parent_id", std::to_string(helse)}, {"active", "1"}});
    EXPECT_EQ(moved.status, 303);
    EXPECT_EQ(unit(skoler).parent_id, helse);

    // Bad parents are refused with the reason, and nothing moves.
    RawResponse missing =
        m_admin->post(edit, {{"name", "Grunnskoler"}, {"parent_id", "999999"}, {"active", "1"}});
    EXPECT_EQ(missing.status, 422);
    EXPECT_TRUE(contains(missing.body, "Den overordnede enheten finnes ikke."));
    Id school =
        id_from_location(m_admin->post("/admin/units", {{"name", "Bekkestua skole"},
                                                        {"kind", "service_unit"},
                                                        {"parent_id", std::to_string(skoler)}}));
    RawResponse wrong_level = m_admin->post(
        edit, {{"name", "Grunnskoler"}, {"parent_id", std::to_string(school)}, {"active", "1"}});
    EXPECT_EQ(wrong_level.status, 422);
    EXPECT_TRUE(contains(wrong_level.body,
                         "En enhet hører til en sektor, og et tjenestested hører til en enhet."));
    EXPECT_TRUE(contains(wrong_level.body, "value=\"Grunnskoler\""));
    EXPECT_EQ(unit(skoler).parent_id, helse);

    RawResponse deactivated = m_admin->post(
        edit, {{"name", "Grunnskoler"}, {"parent_id", std::to_string(helse)}, {"active", "0"}});
    EXPECT_EQ(deactivated.status, 303);
    EXPECT_FALSE(unit(skoler).active);
    EXPECT_TRUE(contains(m_admin->get("/admin/units").body, "Inaktiv"));
}

// --- Audit log -------------------------------------------------------------------------

TEST_P(AdminPagesTest, AuditPageListsWhatTheActionsDidAndFiltersByAction) {
    Id sector = add_unit("Oppvekst", UnitKind::Sector);
    RawResponse created =
        m_admin->post("/admin/users", {{"name", "Kari Nordmann"}, {"email", "kari@test.no"}});
    ASSERT_EQ(created.status, 303);
    Id kari = id_from_location(created);
    ASSERT_EQ(
        m_admin->post("/admin/users/" + std::to_string(kari) + "/grants", {{"role", "auditor"}})
            .status,
        303);
    ASSERT_EQ(m_admin
                  ->post("/admin/units/" + std::to_string(sector),
                         {{"name", "Oppvekst og utdanning"}, {"active", "1"}})
                  .status,
              303);

    RawResponse all = m_admin->get("/admin/audit");
    EXPECT_EQ(all.status, 200);
    EXPECT_TRUE(contains(all.body, "<code>user.create</code>"));
    EXPECT_TRUE(contains(all.body, "<code>grant.add</code>"));
    EXPECT_TRUE(contains(all.body, "<code>unit.update</code>"));
    EXPECT_TRUE(contains(all.body, "Kari Nordmann &lt;kari@test.no&gt;"));
    // The actor by name, linked to their entries.
    EXPECT_TRUE(contains(all.body, "?actor=" + std::to_string(m_admin_id) + "\">Ada Admin</a>"))
        << all.body;
    // Newest first.
    EXPECT_LT(all.body.find("<code>unit.update</code>"), all.body.find("<code>user.create</code>"));

    RawResponse grants = m_admin->get("/admin/audit?action=grant.add");
    EXPECT_EQ(grants.status, 200);
    EXPECT_TRUE(contains(grants.body, "<code>grant.add</code>"));
    EXPECT_FALSE(contains(grants.body, "<code>user.create</code>"));
    EXPECT_TRUE(contains(grants.body, "value=\"grant.add\""));

    RawResponse by_actor = m_admin->get("/admin/audit?actor=ada%40test.no&action=user.create");
    EXPECT_TRUE(contains(by_actor.body, "<code>user.create</code>"));
    RawResponse nobody = m_admin->get("/admin/audit?actor=nobody%40test.no");
    EXPECT_EQ(nobody.status, 400);
    EXPECT_TRUE(
        contains(nobody.body, "Ingen bruker i denne organisasjonen har denne e-postadressen."));

    RawResponse bad_dates = m_admin->get("/admin/audit?from=2026-02-30");
    EXPECT_EQ(bad_dates.status, 400);
    EXPECT_TRUE(contains(bad_dates.body, "value=\"2026-02-30\""));
    EXPECT_TRUE(contains(bad_dates.body, "href=\"#from\""));

    RawResponse none = m_admin->get("/admin/audit?action=no.such.action");
    EXPECT_TRUE(contains(none.body, "Ingen oppføringer passer med filteret."));
}

// --- Every page --------------------------------------------------------------------------

TEST_P(AdminPagesTest, EveryPageHasOneH1ABreadcrumbAndNoInlineStyle) {
    Id sector = add_unit("Oppvekst", UnitKind::Sector);
    for (std::string path :
         {std::string("/admin/users"), std::string("/admin/users/new"),
          "/admin/users/" + std::to_string(m_admin_id), std::string("/admin/units"),
          "/admin/units/" + std::to_string(sector), std::string("/admin/audit")}) {
        RawResponse page = m_admin->get(path);
        ASSERT_EQ(page.status, 200) << path;
        std::size_t h1 = 0;
        for (auto at = page.body.find("<h1"); at != std::string::npos;
             at = page.body.find("<h1", at + 1))
            ++h1;
        EXPECT_EQ(h1, 1u) << path;
        EXPECT_TRUE(contains(page.body, "<nav class=\"ds-breadcrumbs breadcrumbs\" "
                                        "aria-label=\"Brødsmulesti\">"))
            << path;
        EXPECT_FALSE(contains(page.body, "style=")) << path;
        EXPECT_FALSE(contains(page.body, "<script>")) << path;
    }
}

INSTANTIATE_TEST_SUITE_P(BothEngines, AdminPagesTest, ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
