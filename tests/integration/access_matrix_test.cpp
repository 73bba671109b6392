// Every route × every role, written out as a table of expected outcomes
// (DESIGN.md §1: authorisation is unit-tested as a matrix), and proof that a
// user of one organisation gets 404 for every id of another. A route added
// without a row here fails AccessMatrix.CoversEveryRoute.

#include "allocation/service.hpp"
#include "app/application.hpp"
#include "applications/service.hpp"
#include "calls/service.hpp"
#include "db/database.hpp"
#include "decisions/service.hpp"
#include "funds/service.hpp"
#include "identity/service.hpp"
#include "review/ranking_service.hpp"
#include "review/service.hpp"
#include "support/app_paths.hpp"
#include "support/test_db.hpp"
#include "support/test_server.hpp"
#include "support/web_session.hpp"

#include <gtest/gtest.h>
#include <map>
#include <set>

using namespace spire;
using identity::Actor;
using identity::Role;

namespace {

constexpr const char* PASSWORD = "correct-horse-battery";

// Column order of the expectation strings: anonymous, then ALL_ROLES.
const std::vector<std::string> COLUMNS = {
    "anonymous",      "applicant",           "unit_leader", "fund_manager", "reviewer",
    "decision_maker", "procurement_officer", "partner",     "auditor",      "admin"};

// A allowed (answered, not refused), D 403 with a reason, L sent to log in,
// U 401 (the JSON API asks for credentials instead of redirecting).
struct Row {
    std::string route;  // as Router::describe() names it
    std::string method; // GET or POST
    std::string target; // {user}, {grant}, {unit}, {role} are filled in
    std::string fields; // POST body without the CSRF token
    std::string expected;
    bool fresh_login = false; // log everyone in again first (the row before ended sessions)
};

// Rows run top to bottom, each for every column; the rows that end sessions
// come last.
const std::vector<Row> MATRIX = {
    {"GET /", "GET", "/", "", "AAAAAAAAAA"},
    {"GET /accessibility", "GET", "/accessibility", "", "AAAAAAAAAA"},
    {"GET /privacy", "GET", "/privacy", "", "AAAAAAAAAA"},
    {"GET /lang", "GET", "/lang?set=nb&next=%2F", "", "AAAAAAAAAA"},
    {"GET /healthz", "GET", "/healthz", "", "AAAAAAAAAA"},
    {"GET /readyz", "GET", "/readyz", "", "AAAAAAAAAA"},
    {"GET /static/{path...}", "GET", "/static/css/app.css", "", "AAAAAAAAAA"},
    {"GET /login", "GET", "/login", "", "AAAAAAAAAA"},
    {"POST /login", "POST", "/login", "email=nobody%40a.example&password=wrong-password-1",
     "AAAAAAAAAA"},
    {"GET /profile", "GET", "/profile", "", "LAAAAAAAAA"},
    {"GET /admin/users", "GET", "/admin/users", "", "LDDADDDDAA"},
    {"GET /admin/users/new", "GET", "/admin/users/new", "", "LDDDDDDDDA"},
    {"POST /admin/users", "POST", "/admin/users",
     "name=Ny+bruker&email=new-{role}%40a.example&password=long-enough-password", "LDDDDDDDDA"},
    {"GET /admin/users/{id:int}", "GET", "/admin/users/{user}", "", "LDDADDDDAA"},
    {"POST /admin/users/{id:int}/active", "POST", "/admin/users/{user}/active", "active=1",
     "LDDDDDDDDA"},
    {"POST /admin/users/{id:int}/grants", "POST", "/admin/users/{user}/grants", "role=auditor",
     "LDDDDDDDDA"},
    {"POST /admin/users/{id:int}/grants/{grant:int}/revoke", "POST",
     "/admin/users/{user}/grants/{grant}/revoke", "", "LDDDDDDDDA"},
    {"GET /admin/units", "GET", "/admin/units", "", "LDDADDDDAA"},
    {"POST /admin/units", "POST", "/admin/units", "name=Ny+sektor+{role}&kind=sector",
     "LDDDDDDDDA"},
    {"GET /admin/units/{id:int}", "GET", "/admin/units/{unit}", "", "LDDDDDDDDA"},
    {"POST /admin/units/{id:int}", "POST", "/admin/units/{unit}", "name=Oppvekst&active=1",
     "LDDDDDDDDA"},
    {"GET /admin/audit", "GET", "/admin/audit", "", "LDDDDDDDAA"},
    {"GET /funds", "GET", "/funds", "", "LDDADADDAA"},
    {"GET /funds/new", "GET", "/funds/new", "", "LDDADDDDDA"},
    {"POST /funds", "POST", "/funds", "name=Fond+{role}&first_year=2020&last_year=2021",
     "LDDADDDDDA"},
    {"GET /funds/{id:int}", "GET", "/funds/{fund}", "", "LDDADADDAA"},
    {"GET /funds/{id:int}/edit", "GET", "/funds/{fund}/edit", "", "LDDADDDDDA"},
    {"POST /funds/{id:int}/edit", "POST", "/funds/{fund}/edit",
     "name=Forskningsfond&first_year=2017&last_year=2020&carry_over_allowed=1&active=1",
     "LDDADDDDDA"},
    {"GET /funds/{id:int}/programmes", "GET", "/funds/{fund}/programmes", "", "LDDADADDAA"},
    {"POST /funds/{id:int}/programmes", "POST", "/funds/{fund}/programmes",
     "name=Program+{role}&kind=other", "LDDADDDDDD"},
    {"GET /funds/{id:int}/programmes/{programme:int}", "GET",
     "/funds/{fund}/programmes/{programme}", "", "LDDADADDAA"},
    {"POST /funds/{id:int}/programmes/{programme:int}", "POST",
     "/funds/{fund}/programmes/{programme}",
     "name=Risikokapital&kind=risk_capital&active=1&sort_order=1", "LDDADDDDDD"},
    {"GET /funds/{id:int}/budget", "GET", "/funds/{fund}/budget", "", "LDDADADDAA"},
    {"POST /funds/{id:int}/frames", "POST", "/funds/{fund}/frames",
     "year=2019&programme_id={programme}&amount=1000000&reason=Ramme", "LDDADDDDDD"},
    {"POST /funds/{id:int}/carry-over", "POST", "/funds/{fund}/carry-over",
     "year=2017&reason=%C3%85rsskifte", "LDDADDDDDD"},
    {"GET /funds/{id:int}/ledger", "GET", "/funds/{fund}/ledger", "", "LDDADDDDAA"},
    {"GET /funds/{id:int}/postings/new", "GET", "/funds/{fund}/postings/new", "", "LDDADDDDDD"},
    {"POST /funds/{id:int}/postings", "POST", "/funds/{fund}/postings",
     "kind=reserve&year=2018&programme_id={programme}&amount=100&reason=Test", "LDDADDDDDD"},
    {"GET /funds/{id:int}/ledger/{entry:int}/reverse", "GET",
     "/funds/{fund}/ledger/{entry}/reverse", "", "LDDADDDDDD"},
    {"POST /funds/{id:int}/ledger/{entry:int}/reverse", "POST",
     "/funds/{fund}/ledger/{entry}/reverse", "reason=Feil", "LDDADDDDDD"},
    {"GET /funds/{id:int}/ledger.csv", "GET", "/funds/{fund}/ledger.csv", "", "LDDADDDDAA"},
    {"GET /funds/{id:int}/ledger.xlsx", "GET", "/funds/{fund}/ledger.xlsx", "", "LDDADDDDAA"},
    {"GET /api/v1/funds/{id:int}/budget", "GET", "/api/v1/funds/{fund}/budget", "", "UDDADADDAA"},
    {"GET /api/v1/funds/{id:int}/ledger", "GET", "/api/v1/funds/{fund}/ledger", "", "UDDADDDDAA"},
    {"GET /calls", "GET", "/calls", "", "AAAAAAAAAA"},
    {"GET /calls/{id:int}", "GET", "/calls/{call}", "", "AAAAAAAAAA"},
    {"GET /funds/{id:int}/calls", "GET", "/funds/{fund}/calls", "", "LDDADADDAA"},
    {"GET /funds/{id:int}/calls/new", "GET", "/funds/{fund}/calls/new", "", "LDDADDDDDD"},
    {"POST /funds/{id:int}/calls", "POST", "/funds/{fund}/calls",
     "programme_id={programme}&title=Utlysning+{role}&opens_date=2018-01-01&rolling=1&"
     "max_amount=1000&max_duration_years=1",
     "LDDADDDDDD"},
    {"GET /calls/{id:int}/manage", "GET", "/calls/{call}/manage", "", "LDDADDDDAA"},
    {"POST /calls/{id:int}/manage", "POST", "/calls/{call}/manage",
     "title=Innovasjonsmidler&opens_date=2018-01-01&rolling=1&max_amount=500000&"
     "max_duration_years=2&endorsement_required=1",
     "LDDADDDDDD"},
    {"POST /calls/{id:int}/publish", "POST", "/calls/{call}/publish", "", "LDDADDDDDD"},
    {"GET /calls/{id:int}/manage/criteria", "GET", "/calls/{call}/manage/criteria", "",
     "LDDADDDDAA"},
    {"POST /calls/{id:int}/manage/criteria", "POST", "/calls/{call}/manage/criteria",
     "name=Ny&weight_percent=0", "LDDADDDDDD"},
    {"GET /calls/{id:int}/manage/criteria/{criterion:int}", "GET",
     "/calls/{call}/manage/criteria/{criterion}", "", "LDDADDDDAA"},
    {"POST /calls/{id:int}/manage/criteria/{criterion:int}", "POST",
     "/calls/{call}/manage/criteria/{criterion}", "name=Nyskapende&weight_percent=100",
     "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/criteria/{criterion:int}/move", "POST",
     "/calls/{call}/manage/criteria/{criterion}/move", "direction=up", "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/criteria/{criterion:int}/remove", "POST",
     "/calls/{call}/manage/criteria/{criterion}/remove", "", "LDDADDDDDD"},
    {"GET /calls/{id:int}/manage/form", "GET", "/calls/{call}/manage/form", "", "LDDADDDDAA"},
    {"POST /calls/{id:int}/manage/form/sections", "POST", "/calls/{call}/manage/form/sections",
     "title=Del+{role}", "LDDADDDDDD"},
    {"GET /calls/{id:int}/manage/form/sections/{section:int}", "GET",
     "/calls/{call}/manage/form/sections/{section}", "", "LDDADDDDAA"},
    {"POST /calls/{id:int}/manage/form/sections/{section:int}", "POST",
     "/calls/{call}/manage/form/sections/{section}", "title=Om+prosjektet", "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/form/sections/{section:int}/move", "POST",
     "/calls/{call}/manage/form/sections/{section}/move", "direction=down", "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/form/fields", "POST", "/calls/{call}/manage/form/fields",
     "section_id={section}&label=Felt+{role}&kind=short_text", "LDDADDDDDD"},
    {"GET /calls/{id:int}/manage/form/fields/{field:int}", "GET",
     "/calls/{call}/manage/form/fields/{field}", "", "LDDADDDDAA"},
    {"POST /calls/{id:int}/manage/form/fields/{field:int}", "POST",
     "/calls/{call}/manage/form/fields/{field}",
     "section_id={section}&label=Behov&kind=long_text&active=1", "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/form/fields/{field:int}/move", "POST",
     "/calls/{call}/manage/form/fields/{field}/move", "direction=down", "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/form/fields/{field:int}/active", "POST",
     "/calls/{call}/manage/form/fields/{field}/active", "active=1", "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/form/fields/{field:int}/remove", "POST",
     "/calls/{call}/manage/form/fields/{field}/remove", "", "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/form/sections/{section:int}/remove", "POST",
     "/calls/{call}/manage/form/sections/{section}/remove", "", "LDDADDDDDD"},
    {"POST /calls/{id:int}/close", "POST", "/calls/{call}/close", "", "LDDADDDDDD"},
    {"GET /calls/{id:int}/manage/ranking", "GET", "/calls/{call}/manage/ranking", "", "LDDADADDAD"},
    // Decisions: the recommendation (for an application not yet ranked, so
    // approving or deciding it is refused with 409, an answer) is rejected
    // by the decision maker in its row; the letter is of a decided one.
    {"GET /calls/{id:int}/manage/decisions", "GET", "/calls/{call}/manage/decisions", "",
     "LDDADADDAD"},
    {"POST /calls/{id:int}/manage/decisions", "POST", "/calls/{call}/manage/decisions", "",
     "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/decisions/{decision:int}/external-answer", "POST",
     "/calls/{call}/manage/decisions/{decision}/external-answer", "answer=granted", "LDDADDDDDD"},
    {"GET /decisions", "GET", "/decisions", "", "LDDADADDAD"},
    {"GET /decisions/{id:int}", "GET", "/decisions/{recommendation}", "", "LDDADADDAD"},
    {"POST /decisions/{id:int}/approve", "POST", "/decisions/{recommendation}/approve", "",
     "LDDDDADDDD"},
    {"POST /decisions/{id:int}/applications/{application:int}", "POST",
     "/decisions/{recommendation}/applications/{application}", "outcome=rejected&reasons=Nei",
     "LDDDDADDDD"},
    {"POST /decisions/{id:int}/reject", "POST", "/decisions/{recommendation}/reject", "note=Nei",
     "LDDDDADDDD"},
    {"GET /letters/{id:int}", "GET", "/letters/{decision}", "", "LAAADADDAD"},
    {"GET /calls/{id:int}/manage/ranking.csv", "GET", "/calls/{call}/manage/ranking.csv", "",
     "LDDADADDAD"},
    {"GET /calls/{id:int}/manage/ranking.xlsx", "GET", "/calls/{call}/manage/ranking.xlsx", "",
     "LDDADADDAD"},
    {"GET /calls/{id:int}/manage/ranking/review-data.json", "GET",
     "/calls/{call}/manage/ranking/review-data.json", "", "LDDADADDAD"},
    {"GET /calls/{id:int}/manage/allocation", "GET", "/calls/{call}/manage/allocation", "",
     "LDDADADDAD"},
    {"GET /calls/{id:int}/manage/allocation/new", "GET", "/calls/{call}/manage/allocation/new", "",
     "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/allocation", "POST", "/calls/{call}/manage/allocation",
     "name=Scenario+{role}&value_kind=quality", "LDDADDDDDD"},
    {"GET /calls/{id:int}/manage/allocation/{scenario:int}", "GET",
     "/calls/{call}/manage/allocation/{scenario}", "", "LDDADADDAD"},
    {"GET /calls/{id:int}/manage/allocation/{scenario:int}/scenario.json", "GET",
     "/calls/{call}/manage/allocation/{scenario}/scenario.json?method=payline", "", "LDDADADDAD"},
    // The seed before the draw, the draw before its record.
    {"POST /calls/{id:int}/manage/allocation/{scenario:int}/seed", "POST",
     "/calls/{call}/manage/allocation/{scenario}/seed", "seed=Lotto+{role}", "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/allocation/{scenario:int}/draw", "POST",
     "/calls/{call}/manage/allocation/{scenario}/draw", "", "LDDADDDDDD"},
    {"GET /calls/{id:int}/manage/allocation/{scenario:int}/lottery.json", "GET",
     "/calls/{call}/manage/allocation/{scenario}/lottery.json", "", "LDDADADDAD"},
    {"GET /calls/external", "GET", "/calls/external", "", "LAAAAAAAAA"},
    {"POST /calls/external", "POST", "/calls/external",
     "funder=F&programme=P&title=T+{role}&required_own_share_percent=10", "LDDADDDDDA"},
    {"GET /calls/external/{external:int}", "GET", "/calls/external/{external}", "", "LDDADDDDDA"},
    {"POST /calls/external/{external:int}", "POST", "/calls/external/{external}",
     "funder=Forskningsr%C3%A5det&programme=P&title=T&required_own_share_percent=50&active=1",
     "LDDADDDDDA"},
    {"GET /calls/partnership-models", "GET", "/calls/partnership-models", "", "LAAAAAAAAA"},
    {"POST /calls/partnership-models", "POST", "/calls/partnership-models", "name=Modell+{role}",
     "LDDADDDDDA"},
    {"GET /calls/partnership-models/{model:int}", "GET", "/calls/partnership-models/{model}", "",
     "LDDADDDDDA"},
    {"POST /calls/partnership-models/{model:int}", "POST", "/calls/partnership-models/{model}",
     "name=Pilotavtale&active=1", "LDDADDDDDA"},
    // The review: the reviewer's rows run before the manager's that withdraw
    // the assignment or record conflicts.
    {"GET /reviews", "GET", "/reviews", "", "LDDDADDDDD"},
    {"GET /reviews/{id:int}", "GET", "/reviews/{assignment}", "", "LDDDADDDDD"},
    {"POST /reviews/{id:int}/declaration", "POST", "/reviews/{assignment}/declaration",
     "choice=none", "LDDDADDDDD"},
    {"POST /reviews/{id:int}", "POST", "/reviews/{assignment}",
     "action=save&score_{criterion}=5&overall_comment=Bra", "LDDDADDDDD"},
    {"GET /calls/{id:int}/manage/screening", "GET", "/calls/{call}/manage/screening", "",
     "LDDADDDDAD"},
    {"POST /calls/{id:int}/manage/screening/{application:int}", "POST",
     "/calls/{call}/manage/screening/{application}", "decision=eligible", "LDDADDDDDD"},
    {"GET /calls/{id:int}/manage/reviewers", "GET", "/calls/{call}/manage/reviewers", "",
     "LDDADDDDAD"},
    {"POST /calls/{id:int}/manage/reviewers/settings", "POST",
     "/calls/{call}/manage/reviewers/settings", "reviews_per_application=3", "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/reviewers/pool", "POST", "/calls/{call}/manage/reviewers/pool",
     "user_id={extra_reviewer}&in_pool=1", "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/reviewers/assign", "POST",
     "/calls/{call}/manage/reviewers/assign",
     "application_id={application}&reviewer_id={extra_reviewer}", "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/reviewers/auto", "POST", "/calls/{call}/manage/reviewers/auto",
     "", "LDDADDDDDD"},
    {"GET /calls/{id:int}/manage/conflicts", "GET", "/calls/{call}/manage/conflicts", "",
     "LDDADDDDAD"},
    {"POST /calls/{id:int}/manage/conflicts", "POST", "/calls/{call}/manage/conflicts",
     "application_id={application}&reviewer_id={extra_reviewer}&category=relative&note=Bror",
     "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/reviewers/assignments/{assignment:int}/reopen", "POST",
     "/calls/{call}/manage/reviewers/assignments/{assignment}/reopen", "", "LDDADDDDDD"},
    {"POST /calls/{id:int}/manage/reviewers/assignments/{assignment:int}/withdraw", "POST",
     "/calls/{call}/manage/reviewers/assignments/{assignment}/withdraw", "", "LDDADDDDDD"},
    {"GET /my", "GET", "/my", "", "LAADDDDDDD"},
    {"GET /my/endorsements", "GET", "/my/endorsements", "", "LDADDDDDDD"},
    {"GET /applications", "GET", "/applications", "", "LDDADADDAD"},
    {"GET /applications/export.csv", "GET", "/applications/export.csv", "", "LDDADADDAD"},
    {"GET /applications/export.xlsx", "GET", "/applications/export.xlsx", "", "LDDADADDAD"},
    {"GET /api/v1/applications", "GET", "/api/v1/applications", "", "UDDADADDAD"},
    {"GET /api/v1/applications/{id:int}", "GET", "/api/v1/applications/{application}", "",
     "UAAANANNAN"},
    {"GET /applications/new", "GET", "/applications/new?call={call}", "", "LAADDDDDDD"},
    {"POST /applications", "POST", "/applications",
     "call_id={call}&unit_id={place}&title=Ny+{role}", "LAADDDDDDD"},
    {"GET /applications/{id:int}", "GET", "/applications/{application}", "", "LAAANANNAN"},
    {"GET /applications/{id:int}/budget", "GET", "/applications/{application}/budget", "",
     "LAAANANNAN"},
    {"GET /applications/{id:int}/financing", "GET", "/applications/{application}/financing", "",
     "LAAANANNAN"},
    {"GET /applications/{id:int}/partners", "GET", "/applications/{application}/partners", "",
     "LAAANANNAN"},
    {"GET /applications/{id:int}/attachments", "GET", "/applications/{application}/attachments", "",
     "LAAANANNAN"},
    {"GET /applications/{id:int}/attachments/{attachment:int}", "GET",
     "/applications/{application}/attachments/{attachment}", "", "LAAANANNAN"},
    {"GET /applications/{id:int}/history", "GET", "/applications/{application}/history", "",
     "LAAANANNAN"},
    {"GET /applications/{id:int}/submit", "GET", "/applications/{application}/submit", "",
     "LAAANANNAN"},
    {"GET /applications/{id:int}/receipt", "GET", "/applications/{application}/receipt", "",
     "LAAANANNAN"},
    {"POST /applications/{id:int}", "POST", "/applications/{application}",
     "title=Endret&duration_years=1", "LAADNDNNDN"},
    {"POST /applications/{id:int}/budget", "POST", "/applications/{application}/budget",
     "budget_2018_personnel=100", "LAADNDNNDN"},
    {"POST /applications/{id:int}/financing", "POST", "/applications/{application}/financing",
     "financing_0_source=fund&financing_0_cash=100", "LAADNDNNDN"},
    {"POST /applications/{id:int}/partners", "POST", "/applications/{application}/partners",
     "partner_0_name=P&partner_0_kind=company", "LAADNDNNDN"},
    {"POST /applications/{id:int}/attachments", "POST", "/applications/{application}/attachments",
     "field_id=", "LAADNDNNDN"},
    {"POST /applications/{id:int}/attachments/{attachment:int}/remove", "POST",
     "/applications/{application}/attachments/{attachment}/remove", "", "LAADNDNNDN"},
    {"POST /applications/{id:int}/endorse", "POST", "/applications/{application}/endorse", "",
     "LDADNDNNDN"},
    {"POST /applications/{id:int}/return", "POST", "/applications/{application}/return",
     "comment=Mangler+budsjett", "LDDANDNNDN"},
    {"POST /applications/{id:int}/submit", "POST", "/applications/{application}/submit", "",
     "LAADNDNNDN"},
    {"POST /applications/{id:int}/withdraw", "POST", "/applications/{application}/withdraw",
     "comment=Trekker", "LAADNDNNDN"},
    {"POST /logout", "POST", "/logout", "", "AAAAAAAAAA"},
    {"POST /profile/logout-everywhere", "POST", "/profile/logout-everywhere", "", "LAAAAAAAAA",
     true},
};

char outcome(const test::RawResponse& response) {
    if (response.status == 403)
        return 'D';
    if (response.status == 404)
        return 'N';
    if (response.status == 303 && response.header("location").rfind("/login?next=", 0) == 0)
        return 'L';
    if (response.status == 401)
        return 'U';
    if (response.status >= 500)
        return 'E';
    return 'A';
}

std::string fill(std::string text, const std::map<std::string, std::string>& values) {
    for (const auto& [key, value] : values) {
        for (auto at = text.find(key); at != std::string::npos; at = text.find(key))
            text.replace(at, key.size(), value);
    }
    return text;
}

// Two organisations; in "a" one user per role, a target user with a grant,
// and a unit; in "b" an administrator.
struct World {
    identity::Id org_a = 0, org_b = 0, target_user = 0, target_grant = 0, unit = 0;
    identity::Id fund = 0, programme = 0, entry = 0;
    identity::Id call = 0, criterion = 0, section = 0, field = 0, external = 0, model = 0;
    identity::Id place = 0, applicant = 0, leader = 0, application = 0, attachment = 0;
    identity::Id reviewer = 0, extra_reviewer = 0, assignment = 0, manager = 0;
    identity::Id scenario = 0;
    identity::Id decision_maker = 0, decided_application = 0, decision = 0, recommendation = 0;
};

// A fund in organisation A with one programme, frames and a reservation
// (the entry the reversal rows reverse).
void add_fund(World& world, funds::FundsService& funds) {
    Actor system = Actor::system("test");
    world.fund = *funds.create_fund(
        system, funds::FundInput{world.org_a, "Forskningsfond", "", 2017, 2020, true, true});
    world.programme = *funds.create_programme(
        system, world.fund,
        funds::ProgrammeInput{"Risikokapital", "", funds::ProgrammeKind::RiskCapital, true, 1});
    for (int year : {2017, 2018}) {
        funds::Posting frame;
        frame.kind = funds::EntryKind::Frame;
        frame.cell = {year, world.programme};
        frame.amount = 300'000'000;
        frame.reason = "Ramme";
        ASSERT_TRUE(funds.post(system, world.fund, frame));
    }
    funds::Posting reserve;
    reserve.kind = funds::EntryKind::Reserve;
    reserve.cell = {2018, world.programme};
    reserve.amount = 5'000'000;
    reserve.reason = "Egenandel";
    auto posted = funds.post(system, world.fund, reserve);
    ASSERT_TRUE(posted);
    world.entry = posted->entry_ids.front();
}

// A published call of that fund with one criterion, a form section with a
// field, and one entry in each catalogue of organisation A.
void add_call(World& world, calls::CallsService& calls) {
    Actor system = Actor::system("test");
    calls::CallInput input;
    input.programme_id = world.programme;
    input.title = "Innovasjonsmidler";
    input.opens_at = "2018-01-01T00:00:00.000000Z";
    input.rolling = true;
    input.max_amount_ore = 50'000'000;
    world.call = *calls.create_call(system, world.fund, input);
    world.criterion =
        *calls.add_criterion(system, world.call, {"Nyskapende", "", 100, 1, 7, std::nullopt});
    world.section = *calls.add_section(system, world.call, {"Om prosjektet", ""});
    calls::FieldInput field;
    field.section_id = world.section;
    field.label = "Behov";
    field.kind = calls::FieldKind::LongText;
    world.field = *calls.add_field(system, world.call, field);
    ASSERT_TRUE(calls.publish_call(system, world.call));
    world.external = *calls.create_external_call(
        system, world.org_a, {"Forskningsrådet", "P", "T", std::nullopt, 50, "", true});
    world.model =
        *calls.create_partnership_model(system, world.org_a, {"Pilotavtale", "", true, 1});
}

identity::Principal principal_of(const World& world, identity::Id user, Role role) {
    identity::Principal p;
    p.user_id = user;
    p.organisation_id = world.org_a;
    p.name = "Bruker";
    p.grants = {{0, user, world.org_a, role,
                 identity::role_scope(role) == identity::RoleScope::Unit
                     ? std::optional<identity::Id>(world.place)
                     : std::nullopt,
                 std::nullopt}};
    return p;
}

// A draft application of the place's applicant to that call.
identity::Id draft_application(const World& world, applications::ApplicationsService& service,
                               const std::string& title) {
    const identity::Principal applicant = principal_of(world, world.applicant, Role::Applicant);
    const Actor actor = Actor::web(&applicant, "test");
    auto id = service.create(actor, world.call, world.place, title);
    EXPECT_TRUE(id) << id.error().message;
    applications::DetailsInput details;
    details.title = title;
    details.summary = "Høytlesning for de minste.";
    details.start_year = 2018;
    details.duration_years = 1;
    EXPECT_TRUE(service.save_details(actor, *id, details));
    EXPECT_TRUE(
        service.save_budget(actor, *id, {{2018, applications::CostType::Personnel, 10'000'000}}));
    applications::FinancingLine fund;
    fund.source = applications::FinancingSource::Fund;
    fund.cash_ore = 10'000'000;
    EXPECT_TRUE(service.save_financing(actor, *id, {fund}));
    return *id;
}

// Submitted and endorsed by the unit leader (staff see it).
void submit_and_endorse(const World& world, applications::ApplicationsService& service,
                        identity::Id id) {
    const identity::Principal applicant = principal_of(world, world.applicant, Role::Applicant);
    const identity::Principal leader = principal_of(world, world.leader, Role::UnitLeader);
    auto submitted = service.submit(Actor::web(&applicant, "test"), id);
    ASSERT_TRUE(submitted) << submitted.error().message;
    ASSERT_TRUE(service.endorse(Actor::web(&leader, "test"), id));
}

// A submitted application of the place's applicant to that call (endorsed
// by the unit leader: staff see it), with one attachment.
void add_application(World& world, applications::ApplicationsService& service) {
    const identity::Principal applicant = principal_of(world, world.applicant, Role::Applicant);
    const Actor actor = Actor::web(&applicant, "test");
    world.application = draft_application(world, service, "Lesestund");
    // A 1×1 PNG.
    const std::string png("\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00"
                          "\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00"
                          "\x0d\x49\x44\x41\x54\x78\xda\x63\x64\x60\xf8\x5f\x0f\x00\x02\x87\x01\x80"
                          "\xeb\x47\xba\x92\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82",
                          70);
    auto attachment =
        service.add_attachment(actor, world.application, std::nullopt, "bilde.png", png);
    ASSERT_TRUE(attachment) << attachment.error().message;
    world.attachment = *attachment;
    submit_and_endorse(world, service, world.application);
}

// The reviewer in the call's pool, assigned to the application; a second
// reviewer (who never logs in) for the manager's rows.
void add_review(World& world, review::ReviewService& service, identity::Id manager_id) {
    identity::Principal manager;
    manager.user_id = manager_id;
    manager.organisation_id = world.org_a;
    manager.grants = {{0, manager_id, world.org_a, Role::FundManager, std::nullopt, std::nullopt}};
    const Actor actor = Actor::web(&manager, "test");
    ASSERT_TRUE(service.set_pool_member(actor, world.call, world.reviewer, true));
    auto assignment = service.assign(actor, world.application, world.reviewer);
    ASSERT_TRUE(assignment) << assignment.error().message;
    world.assignment = *assignment;
}

// One saved allocation scenario of the call, by the fund manager.
void add_scenario(World& world, allocation::AllocationService& service) {
    identity::Principal manager;
    manager.user_id = world.manager;
    manager.organisation_id = world.org_a;
    manager.grants = {
        {0, world.manager, world.org_a, Role::FundManager, std::nullopt, std::nullopt}};
    allocation::ScenarioTyped typed;
    typed.name = "Rådsmøte";
    typed.value_kind = "quality";
    auto scenario = service.create_scenario(Actor::web(&manager, "test"), world.call, typed);
    ASSERT_TRUE(scenario) << scenario.error().message;
    world.scenario = *scenario;
}

// A second application, reviewed by the extra reviewer and decided (its
// letter stored), and a submitted recommendation for the first one: the
// decision rows act on real ids.
void add_decisions(World& world, applications::ApplicationsService& applications,
                   review::ReviewService& review, calls::CallsService& calls,
                   decisions::DecisionsService& decisions) {
    world.decided_application = draft_application(world, applications, "Lesevenn");
    submit_and_endorse(world, applications, world.decided_application);
    const identity::Principal manager = principal_of(world, world.manager, Role::FundManager);
    const Actor as_manager = Actor::web(&manager, "test");
    ASSERT_TRUE(review.set_pool_member(as_manager, world.call, world.extra_reviewer, true));
    auto assignment = review.assign(as_manager, world.decided_application, world.extra_reviewer);
    ASSERT_TRUE(assignment) << assignment.error().message;
    const identity::Principal reviewer = principal_of(world, world.extra_reviewer, Role::Reviewer);
    const Actor as_reviewer = Actor::web(&reviewer, "test");
    ASSERT_TRUE(review.declare(as_reviewer, *assignment, {std::nullopt, ""}));
    review::ReviewInput input;
    auto criteria = calls.criteria(world.call);
    ASSERT_TRUE(criteria);
    for (const auto& criterion : *criteria)
        input.scores.push_back({criterion.id, 6, "Godt."});
    input.recommendation = review::Recommendation::Fund;
    input.overall_comment = "Et godt prosjekt.";
    auto submitted = review.submit_review(as_reviewer, *assignment, input);
    ASSERT_TRUE(submitted) << submitted.error().message;

    const identity::Principal maker =
        principal_of(world, world.decision_maker, Role::DecisionMaker);
    decisions::DecisionInput decision;
    decision.application_id = world.decided_application;
    decision.outcome = decisions::Outcome::Granted;
    decision.amounts = {{2018, world.programme, 10'000'000}};
    auto decided = decisions.decide(Actor::web(&maker, "test"), decision);
    ASSERT_TRUE(decided) << decided.error().message;
    world.decision = *decided;

    decisions::Proposal proposal;
    proposal.application_id = world.application;
    proposal.outcome = decisions::Outcome::Rejected;
    proposal.justification = "Ikke vurdert ennå.";
    auto recommendation = decisions.create_recommendation(as_manager, world.call, {proposal}, "");
    ASSERT_TRUE(recommendation) << recommendation.error().message;
    ASSERT_TRUE(decisions.submit_recommendation(as_manager, *recommendation));
    world.recommendation = *recommendation;
}

World build_world(identity::IdentityService& service) {
    World world;
    Actor system = Actor::system("test");
    world.org_a = *service.create_organisation(system, "kommune-a", "Kommune A");
    world.org_b = *service.create_organisation(system, "kommune-b", "Kommune B");
    identity::OrgUnit sector{0, world.org_a, std::nullopt, identity::UnitKind::Sector, "Oppvekst"};
    world.unit = *service.create_unit(system, sector);
    identity::OrgUnit unit{0, world.org_a, world.unit, identity::UnitKind::Unit, "Barnehager"};
    auto unit_id = *service.create_unit(system, unit);
    identity::OrgUnit place{0, world.org_a, unit_id, identity::UnitKind::ServiceUnit,
                            "Bekkestua barnehage"};
    auto place_id = *service.create_unit(system, place);
    world.place = place_id;

    for (Role role : identity::ALL_ROLES) {
        std::string key(identity::role_key(role));
        auto user = service.create_user(
            system, {world.org_a, "Bruker " + key, key + "@a.example", "", PASSWORD});
        identity::Grant grant{0, *user, world.org_a, role, std::nullopt, std::nullopt};
        if (identity::role_scope(role) == identity::RoleScope::Unit)
            grant.unit_id = place_id;
        EXPECT_TRUE(service.grant_role(system, grant)) << key;
        if (role == Role::Applicant)
            world.applicant = *user;
        if (role == Role::UnitLeader)
            world.leader = *user;
        if (role == Role::Reviewer)
            world.reviewer = *user;
        if (role == Role::FundManager)
            world.manager = *user;
        if (role == Role::DecisionMaker)
            world.decision_maker = *user;
    }
    world.extra_reviewer =
        *service.create_user(system, {world.org_a, "Fagfelle", "reviewer2@a.example", "", ""});
    EXPECT_TRUE(service.grant_role(system, {0, world.extra_reviewer, world.org_a, Role::Reviewer,
                                            std::nullopt, std::nullopt}));
    world.target_user =
        *service.create_user(system, {world.org_a, "Mål", "target@a.example", "", ""});
    world.target_grant = *service.grant_role(
        system, {0, world.target_user, world.org_a, Role::Auditor, std::nullopt, std::nullopt});
    auto admin_b =
        service.create_user(system, {world.org_b, "Admin B", "admin@b.example", "", PASSWORD});
    EXPECT_TRUE(service.grant_role(
        system, {0, *admin_b, world.org_b, Role::Admin, std::nullopt, std::nullopt}));
    return world;
}

class AccessMatrix : public ::testing::TestWithParam<db::Engine> {
protected:
    void SetUp() override {
        m_test_db = test::migrated_database(GetParam());
        auto database = db::Database::open(m_test_db->url(), 3);
        ASSERT_TRUE(database) << database.error().message;
        m_database = std::shared_ptr<db::Database>(std::move(*database));
        m_service = std::make_shared<identity::IdentityService>(m_database);
        m_world = build_world(*m_service);
        funds::FundsService funds(m_database);
        add_fund(m_world, funds);
        calls::CallsService calls(m_database);
        add_call(m_world, calls);
        applications::ApplicationsService applications(m_database);
        add_application(m_world, applications);
        review::ReviewService review(m_database);
        add_review(m_world, review, m_world.manager);
        allocation::AllocationService allocation(
            m_database, std::make_shared<review::RankingService>(m_database));
        add_scenario(m_world, allocation);
        decisions::DecisionsService decisions(m_database);
        add_decisions(m_world, applications, review, calls, decisions);
        m_app = std::make_unique<app::Application>(
            app::AppConfig{test::root_dir(), test::locale_dir(), false, "Test"}, m_database);
        m_server = std::make_unique<test::TestServer>(m_app->http_app());
    }
    void TearDown() override {
        m_server.reset();
        m_app.reset();
        m_service.reset();
        m_database.reset();
        m_test_db.reset();
    }

    std::map<std::string, std::string> values(const std::string& role) const {
        return {{"{user}", std::to_string(m_world.target_user)},
                {"{grant}", std::to_string(m_world.target_grant)},
                {"{unit}", std::to_string(m_world.unit)},
                {"{fund}", std::to_string(m_world.fund)},
                {"{programme}", std::to_string(m_world.programme)},
                {"{entry}", std::to_string(m_world.entry)},
                {"{call}", std::to_string(m_world.call)},
                {"{criterion}", std::to_string(m_world.criterion)},
                {"{section}", std::to_string(m_world.section)},
                {"{field}", std::to_string(m_world.field)},
                {"{external}", std::to_string(m_world.external)},
                {"{model}", std::to_string(m_world.model)},
                {"{place}", std::to_string(m_world.place)},
                {"{application}", std::to_string(m_world.application)},
                {"{attachment}", std::to_string(m_world.attachment)},
                {"{assignment}", std::to_string(m_world.assignment)},
                {"{extra_reviewer}", std::to_string(m_world.extra_reviewer)},
                {"{scenario}", std::to_string(m_world.scenario)},
                {"{recommendation}", std::to_string(m_world.recommendation)},
                {"{decision}", std::to_string(m_world.decision)},
                {"{role}", role}};
    }

    std::unique_ptr<test::TestDatabase> m_test_db;
    std::shared_ptr<db::Database> m_database;
    std::shared_ptr<identity::IdentityService> m_service;
    World m_world;
    std::unique_ptr<app::Application> m_app;
    std::unique_ptr<test::TestServer> m_server;
};

} // namespace

TEST_P(AccessMatrix, CoversEveryRoute) {
    std::set<std::string> in_matrix;
    for (const Row& row : MATRIX) {
        in_matrix.insert(row.route);
        EXPECT_EQ(row.expected.size(), COLUMNS.size()) << row.route;
    }
    for (const std::string& route : m_app->router().describe())
        EXPECT_TRUE(in_matrix.contains(route)) << "no access-matrix row for " << route;
    EXPECT_EQ(in_matrix.size(), m_app->router().describe().size());
}

TEST_P(AccessMatrix, EveryRoleGetsExactlyTheExpectedAnswerOnEveryRoute) {
    std::vector<test::WebSession> sessions;
    auto log_everyone_in = [&] {
        sessions.clear();
        sessions.push_back(test::anonymous_session(m_server->port()));
        for (std::size_t i = 1; i < COLUMNS.size(); ++i) {
            auto session = test::log_in(m_server->port(), COLUMNS[i] + "@a.example", PASSWORD);
            ASSERT_TRUE(session) << "cannot log in as " << COLUMNS[i];
            sessions.push_back(*session);
        }
    };
    log_everyone_in();
    for (const Row& row : MATRIX) {
        if (row.fresh_login)
            log_everyone_in();
        std::string actual;
        for (std::size_t i = 0; i < COLUMNS.size(); ++i) {
            auto response = test::send_as(m_server->port(), sessions[i], row.method,
                                          fill(row.target, values(COLUMNS[i])),
                                          fill(row.fields, values(COLUMNS[i])));
            ASSERT_TRUE(response) << row.route << " as " << COLUMNS[i];
            actual += outcome(*response);
            if (response->status == 403) {
                // Refusals say why, in words: a page, or a problem for the API.
                bool api = row.target.rfind("/api/", 0) == 0;
                EXPECT_NE(response->body.find(api ? "\"detail\"" : "<h1"), std::string::npos)
                    << row.route << " as " << COLUMNS[i];
            }
        }
        EXPECT_EQ(actual, row.expected) << row.route << " (columns: anonymous, "
                                        << "applicant … admin)";
    }
}

TEST_P(AccessMatrix, AnotherOrganisationsIdsAreNotFound) {
    auto admin_b = test::log_in(m_server->port(), "admin@b.example", PASSWORD);
    ASSERT_TRUE(admin_b);
    const std::string user = std::to_string(m_world.target_user);
    const std::string grant = std::to_string(m_world.target_grant);
    const std::string unit = std::to_string(m_world.unit);
    const std::vector<std::pair<std::string, std::string>> requests = {
        {"GET", "/admin/users/" + user},
        {"POST", "/admin/users/" + user + "/active"},
        {"POST", "/admin/users/" + user + "/grants"},
        {"POST", "/admin/users/" + user + "/grants/" + grant + "/revoke"},
        {"GET", "/admin/units/" + unit},
        {"POST", "/admin/units/" + unit},
    };
    const std::string fund = "/funds/" + std::to_string(m_world.fund);
    const std::string programme = std::to_string(m_world.programme);
    const std::string entry = std::to_string(m_world.entry);
    for (std::string target :
         {fund, fund + "/edit", fund + "/programmes", fund + "/programmes/" + programme,
          fund + "/budget", fund + "/ledger", fund + "/postings/new",
          fund + "/ledger/" + entry + "/reverse", fund + "/ledger.csv", fund + "/ledger.xlsx",
          "/api/v1" + fund + "/budget", "/api/v1" + fund + "/ledger"}) {
        auto response = test::send_as(m_server->port(), *admin_b, "GET", target);
        ASSERT_TRUE(response) << target;
        EXPECT_EQ(response->status, 404) << "GET " << target;
    }
    for (const auto& [target, fields] : std::vector<std::pair<std::string, std::string>>{
             {fund + "/edit", "name=Kapret&first_year=2017&last_year=2020"},
             {fund + "/programmes", "name=Kapret&kind=other"},
             {fund + "/programmes/" + programme, "name=Kapret&kind=other"},
             {fund + "/frames", "year=2018&programme_id=" + programme + "&amount=1&reason=x"},
             {fund + "/carry-over", "year=2017&reason=x"},
             {fund + "/postings",
              "kind=frame&year=2018&programme_id=" + programme + "&amount=1&reason=x"},
             {fund + "/ledger/" + entry + "/reverse", "reason=x"}}) {
        auto response = test::send_as(m_server->port(), *admin_b, "POST", target, fields);
        ASSERT_TRUE(response) << target;
        EXPECT_EQ(response->status, 404) << "POST " << target;
    }
    const std::string call = "/calls/" + std::to_string(m_world.call);
    for (std::string target :
         {call + "/manage", call + "/manage/criteria",
          call + "/manage/criteria/" + std::to_string(m_world.criterion), call + "/manage/form",
          call + "/manage/form/sections/" + std::to_string(m_world.section),
          call + "/manage/form/fields/" + std::to_string(m_world.field), call + "/manage/ranking",
          call + "/manage/ranking.csv", call + "/manage/ranking.xlsx",
          call + "/manage/ranking/review-data.json", call + "/manage/allocation",
          call + "/manage/allocation/new",
          call + "/manage/allocation/" + std::to_string(m_world.scenario),
          call + "/manage/allocation/" + std::to_string(m_world.scenario) + "/scenario.json",
          fund + "/calls", fund + "/calls/new",
          "/calls/external/" + std::to_string(m_world.external),
          "/calls/partnership-models/" + std::to_string(m_world.model)}) {
        auto response = test::send_as(m_server->port(), *admin_b, "GET", target);
        ASSERT_TRUE(response) << target;
        EXPECT_EQ(response->status, 404) << "GET " << target;
    }
    for (const auto& [target, fields] : std::vector<std::pair<std::string, std::string>>{
             {call + "/manage", "title=Kapret&rolling=1&max_amount=1&max_duration_years=1"},
             {call + "/publish", ""},
             {call + "/close", ""},
             {call + "/manage/criteria", "name=Kapret&weight_percent=1"},
             {call + "/manage/form/sections", "title=Kapret"},
             {call + "/manage/allocation", "name=Kapret&value_kind=quality"},
             {call + "/manage/allocation/" + std::to_string(m_world.scenario) + "/seed",
              "seed=Kapret"},
             {call + "/manage/allocation/" + std::to_string(m_world.scenario) + "/draw", ""},
             {"/calls/external/" + std::to_string(m_world.external),
              "funder=K&programme=K&title=K&required_own_share_percent=1"},
             {"/calls/partnership-models/" + std::to_string(m_world.model), "name=Kapret"}}) {
        auto response = test::send_as(m_server->port(), *admin_b, "POST", target, fields);
        ASSERT_TRUE(response) << target;
        EXPECT_EQ(response->status, 404) << "POST " << target;
    }
    const std::string review = "/reviews/" + std::to_string(m_world.assignment);
    for (std::string target : {call + "/manage/screening", call + "/manage/reviewers",
                               call + "/manage/conflicts", review}) {
        auto response = test::send_as(m_server->port(), *admin_b, "GET", target);
        ASSERT_TRUE(response) << target;
        EXPECT_EQ(response->status, 404) << "GET " << target;
    }
    const std::string assignment_path =
        call + "/manage/reviewers/assignments/" + std::to_string(m_world.assignment);
    for (const auto& [target, fields] : std::vector<std::pair<std::string, std::string>>{
             {call + "/manage/screening/" + std::to_string(m_world.application),
              "decision=not_eligible&reason=Kapret"},
             {call + "/manage/reviewers/settings", "reviews_per_application=1"},
             {call + "/manage/reviewers/pool",
              "user_id=" + std::to_string(m_world.reviewer) + "&in_pool=0"},
             {call + "/manage/reviewers/auto", ""},
             {call + "/manage/reviewers/assign",
              "application_id=" + std::to_string(m_world.application) +
                  "&reviewer_id=" + std::to_string(m_world.extra_reviewer)},
             {assignment_path + "/withdraw", ""},
             {assignment_path + "/reopen", ""},
             {call + "/manage/conflicts", "application_id=" + std::to_string(m_world.application) +
                                              "&reviewer_id=" + std::to_string(m_world.reviewer) +
                                              "&category=party&note=Kapret"},
             {review + "/declaration", "choice=conflict&category=party&note=Kapret"},
             {review, "action=submit"}}) {
        auto response = test::send_as(m_server->port(), *admin_b, "POST", target, fields);
        ASSERT_TRUE(response) << target;
        EXPECT_EQ(response->status, 404) << "POST " << target;
    }
    const std::string application = "/applications/" + std::to_string(m_world.application);
    for (std::string target :
         {application, application + "/budget", application + "/financing",
          application + "/partners", application + "/attachments",
          application + "/attachments/" + std::to_string(m_world.attachment),
          application + "/history", application + "/submit", application + "/receipt",
          "/api/v1" + application, "/applications/new?call=" + std::to_string(m_world.call)}) {
        auto response = test::send_as(m_server->port(), *admin_b, "GET", target);
        ASSERT_TRUE(response) << target;
        EXPECT_EQ(response->status, 404) << "GET " << target;
    }
    for (const auto& [target, fields] : std::vector<std::pair<std::string, std::string>>{
             {application, "title=Kapret"},
             {application + "/budget", "budget_2018_personnel=1"},
             {application + "/withdraw", "comment=x"},
             {application + "/return", "comment=x"},
             {application + "/endorse", ""},
             {"/applications", "call_id=" + std::to_string(m_world.call) + "&unit_id=" +
                                   std::to_string(m_world.place) + "&title=Kapret"}}) {
        auto response = test::send_as(m_server->port(), *admin_b, "POST", target, fields);
        ASSERT_TRUE(response) << target;
        EXPECT_EQ(response->status, 404) << "POST " << target;
    }
    const std::string recommendation = "/decisions/" + std::to_string(m_world.recommendation);
    for (std::string target : {call + "/manage/decisions", recommendation,
                               "/letters/" + std::to_string(m_world.decision)}) {
        auto response = test::send_as(m_server->port(), *admin_b, "GET", target);
        ASSERT_TRUE(response) << target;
        EXPECT_EQ(response->status, 404) << "GET " << target;
    }
    for (const auto& [target, fields] : std::vector<std::pair<std::string, std::string>>{
             {call + "/manage/decisions", ""},
             {call + "/manage/decisions/" + std::to_string(m_world.decision) + "/external-answer",
              "answer=refused"},
             {recommendation + "/approve", ""},
             {recommendation + "/reject", "note=Kapret"},
             {recommendation + "/applications/" + std::to_string(m_world.application),
              "outcome=rejected&reasons=Kapret"}}) {
        auto response = test::send_as(m_server->port(), *admin_b, "POST", target, fields);
        ASSERT_TRUE(response) << target;
        EXPECT_EQ(response->status, 404) << "POST " << target;
    }
    auto funds_b = test::send_as(m_server->port(), *admin_b, "GET", "/funds");
    ASSERT_TRUE(funds_b);
    EXPECT_EQ(funds_b->body.find("Forskningsfond"), std::string::npos);
    for (const auto& [method, target] : requests) {
        std::string fields = method == "POST" ? "active=0&role=admin&name=Kapret" : "";
        auto response = test::send_as(m_server->port(), *admin_b, method, target, fields);
        ASSERT_TRUE(response) << target;
        EXPECT_EQ(response->status, 404) << method << " " << target;
    }
    // Lists show only the own organisation.
    auto users = test::send_as(m_server->port(), *admin_b, "GET", "/admin/users?q=a.example");
    ASSERT_TRUE(users);
    EXPECT_EQ(users->body.find("target@a.example"), std::string::npos);
    auto audit = test::send_as(m_server->port(), *admin_b, "GET", "/admin/audit");
    ASSERT_TRUE(audit);
    EXPECT_EQ(audit->body.find("Oppvekst"), std::string::npos);
    // And nothing was changed in organisation A.
    auto detail = m_service->user_detail(Actor::system(), m_world.org_a, m_world.target_user);
    ASSERT_TRUE(detail);
    EXPECT_TRUE(detail->user.active);
    EXPECT_EQ(detail->grants.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, AccessMatrix, ::testing::ValuesIn(test::ALL_ENGINES),
                         test::engine_test_name);
