#include "support/ranked_call.hpp"

#include <soci/soci.h>
#include <stdexcept>

namespace spire::test {

namespace {

using identity::Actor;
using identity::Id;
using identity::Role;

template <class T>
T must(Result<T> result, const std::string& what) {
    if (!result)
        throw std::runtime_error(what + ": " + result.error().message);
    return std::move(*result);
}

void must(Result<void> result, const std::string& what) {
    if (!result)
        throw std::runtime_error(what + ": " + result.error().message);
}

} // namespace

RankedCall RankedCall::create(std::shared_ptr<db::Database> database) {
    RankedCall world;
    world.database = database;
    world.identity = std::make_shared<identity::IdentityService>(database);
    world.funds = std::make_shared<funds::FundsService>(database);
    world.calls = std::make_shared<calls::CallsService>(database);
    world.applications = std::make_shared<applications::ApplicationsService>(database);

    const Actor system = Actor::system("test");
    auto& ids = *world.identity;
    world.organisation =
        must(ids.create_organisation(system, "test", "Testkommune"), "organisation");
    world.other_organisation =
        must(ids.create_organisation(system, "annen", "Annen kommune"), "other organisation");
    Id sector = must(ids.create_unit(system, {0, world.organisation, std::nullopt,
                                              identity::UnitKind::Sector, "Oppvekst"}),
                     "sector");
    Id schools = must(ids.create_unit(system, {0, world.organisation, sector,
                                               identity::UnitKind::Unit, "Grunnskoler"}),
                      "unit");
    world.unit = must(ids.create_unit(system, {0, world.organisation, schools,
                                               identity::UnitKind::ServiceUnit, "Bekkestua skole"}),
                      "service unit");
    world.fund = must(world.funds->create_fund(system, {world.organisation, "Innovasjonsfond", "",
                                                        2017, 2030, true, true}),
                      "fund");
    world.programme = must(
        world.funds->create_programme(
            system, world.fund, {"Risikokapital", "", funds::ProgrammeKind::RiskCapital, true, 1}),
        "programme");
    calls::CallInput call;
    call.programme_id = world.programme;
    call.title = "Innovasjonsmidler 2018";
    call.opens_at = "2018-01-01T00:00:00.000000Z";
    call.rolling = true;
    call.max_amount_ore = 50'000'000;
    call.max_duration_years = 3;
    call.endorsement_required = false;
    world.call = must(world.calls->create_call(system, world.fund, call), "call");
    // 60 % + 40 %; a raw score is 0.6 × first + 0.4 × second.
    world.innovation =
        must(world.calls->add_criterion(system, world.call, {"Nyskapende", "", 60, 1, 7, 4}),
             "criterion");
    world.feasibility =
        must(world.calls->add_criterion(system, world.call,
                                        {"Gjennomførbarhet", "", 40, 1, 7, std::nullopt}),
             "criterion");
    must(world.calls->publish_call(system, world.call), "publish call");
    world.empty_call = must(world.calls->create_call(system, world.fund, call), "empty call");
    must(world.calls->add_criterion(system, world.empty_call,
                                    {"Nyskapende", "", 100, 1, 7, std::nullopt}),
         "criterion");
    must(world.calls->publish_call(system, world.empty_call), "publish empty call");

    world.applicant =
        world.add_user("Anne Søker", "anne@test.no", Role::Applicant, world.unit, std::nullopt);
    world.manager = world.add_user("Frida Forvalter", "frida@test.no", Role::FundManager,
                                   std::nullopt, world.fund);
    world.conflicted_manager = world.add_user("Kari Forvalter", "kari@test.no", Role::FundManager,
                                              std::nullopt, world.fund);
    world.add_user("Dag Beslutter", "dag@test.no", Role::DecisionMaker, std::nullopt, world.fund);
    world.add_user("Aud Revisor", "aud@test.no", Role::Auditor, std::nullopt, std::nullopt);
    world.add_user("Rolf Fagfelle", "rolf@test.no", Role::Reviewer, std::nullopt, std::nullopt);
    world.add_user("Adam Admin", "adam@test.no", Role::Admin, std::nullopt, std::nullopt);
    Id other_manager = must(ids.create_user(system, {world.other_organisation, "Olga Annen",
                                                     "olga@annen.no", "", RANKED_CALL_PASSWORD}),
                            "other manager");
    must(ids.grant_role(system, {0, other_manager, world.other_organisation, Role::FundManager,
                                 std::nullopt, std::nullopt}),
         "other manager's grant");
    for (int i = 1; i <= 4; ++i)
        world.reviewers.push_back(
            must(ids.create_user(system, {world.organisation, "Fagfelle " + std::to_string(i),
                                          "r" + std::to_string(i) + "@test.no", "", ""}),
                 "reviewer"));
    return world;
}

Id RankedCall::add_user(const std::string& name, const std::string& email, Role role,
                        std::optional<Id> unit_id, std::optional<Id> fund_id) {
    const Actor system = Actor::system("test");
    Id user =
        must(identity->create_user(system, {organisation, name, email, "", RANKED_CALL_PASSWORD}),
             "user " + email);
    must(identity->grant_role(system, {0, user, organisation, role, unit_id, fund_id}),
         "grant of " + email);
    return user;
}

identity::Principal RankedCall::principal(Id user, Role role) const {
    identity::Principal p;
    p.user_id = user;
    p.organisation_id = organisation;
    p.name = "Bruker";
    p.grants = {{0, user, organisation, role,
                 role == Role::Applicant ? std::optional<Id>(unit) : std::nullopt,
                 role == Role::FundManager ? std::optional<Id>(fund) : std::nullopt}};
    return p;
}

Id RankedCall::submitted_application(Id call_id, const std::string& title) {
    const auto author = principal(applicant, Role::Applicant);
    const Actor actor = Actor::web(&author, "test");
    Id id = must(applications->create(actor, call_id, unit, title), "application " + title);
    applications::DetailsInput details;
    details.title = title;
    details.summary = "Et prosjekt.";
    details.start_year = 2018;
    details.duration_years = 1;
    must(applications->save_details(actor, id, details), "details of " + title);
    must(applications->save_budget(actor, id,
                                   {{2018, applications::CostType::Personnel, 10'000'000}}),
         "budget of " + title);
    applications::FinancingLine line;
    line.source = applications::FinancingSource::Fund;
    line.cash_ore = 10'000'000;
    must(applications->save_financing(actor, id, {line}), "financing of " + title);
    must(applications->submit(actor, id), "submission of " + title);
    return id;
}

std::string RankedCall::reference_of(Id application) {
    const auto fund_manager = principal(manager, Role::FundManager);
    return must(applications->get(Actor::web(&fund_manager, "test"), application),
                "application " + std::to_string(application))
        .reference;
}

void RankedCall::add_review(Id call_id, Id application, Id reviewer, int innovation_score,
                            int feasibility_score, const char* status, std::pair<Id, Id> criteria) {
    if (criteria.first == 0)
        criteria = {innovation, feasibility};
    database->transact([&](soci::session& sql) {
        long long id = 0;
        std::string state = status;
        long long org = organisation, call_row = call_id, app = application, user = reviewer,
                  by = manager;
        sql << "INSERT INTO review_assignment (organisation_id, call_id, application_id,\n"
               "    reviewer_id, status, assigned_by, assigned_at, updated_at)\n"
               "VALUES (:org, :call, :app, :user, :status, :by, "
               "'2018-03-01T10:00:00.000000Z',\n"
               "    '2018-03-01T10:00:00.000000Z') RETURNING id",
            soci::use(org, "org"), soci::use(call_row, "call"), soci::use(app, "app"),
            soci::use(user, "user"), soci::use(state, "status"), soci::use(by, "by"),
            soci::into(id);
        for (auto [criterion, score] : {std::pair{criteria.first, innovation_score},
                                        std::pair{criteria.second, feasibility_score}}) {
            long long criterion_id = criterion;
            int value = score;
            sql << "INSERT INTO review_score (assignment_id, criterion_id, score)\n"
                   "VALUES (:assignment, :criterion, :score)",
                soci::use(id, "assignment"), soci::use(criterion_id, "criterion"),
                soci::use(value, "score");
        }
    });
}

void RankedCall::change_score(Id application, Id reviewer, int innovation_score) {
    database->transact([&](soci::session& sql) {
        long long app = application, user = reviewer, criterion = innovation;
        int value = innovation_score;
        sql << "UPDATE review_score SET score = :score WHERE criterion_id = :criterion AND\n"
               "    assignment_id = (SELECT id FROM review_assignment\n"
               "                     WHERE application_id = :app AND reviewer_id = :user)",
            soci::use(value, "score"), soci::use(criterion, "criterion"), soci::use(app, "app"),
            soci::use(user, "user");
    });
}

void RankedCall::declare_conflict(Id application, Id user) {
    database->transact([&](soci::session& sql) {
        long long org = organisation, app = application, who = user;
        sql << "INSERT INTO conflict_declaration (organisation_id, application_id,\n"
               "    reviewer_id, conflict, category, note, declared_by, declared_at)\n"
               "VALUES (:org, :app, :user, 1, 'relative', 'Søster', :user,\n"
               "    '2018-03-01T10:00:00.000000Z')",
            soci::use(org, "org"), soci::use(app, "app"), soci::use(who, "user");
    });
}

void RankedCall::screen_out(Id application) {
    database->transact([&](soci::session& sql) {
        long long org = organisation, app = application, by = manager;
        sql << "INSERT INTO application_screening (application_id, organisation_id, eligible,\n"
               "    reason, screened_by, screened_at)\n"
               "VALUES (:app, :org, 0, 'Utenfor formålet', :by, '2018-03-01T10:00:00.000000Z')",
            soci::use(app, "app"), soci::use(org, "org"), soci::use(by, "by");
    });
}

void RankedCall::six_reviewed_applications() {
    const int scores[6][3][2] = {{{7, 7}, {6, 7}, {7, 6}}, {{5, 6}, {6, 5}, {5, 5}},
                                 {{4, 5}, {5, 4}, {4, 4}}, {{6, 2}, {2, 3}, {5, 6}},
                                 {{3, 4}, {4, 3}, {3, 3}}, {{1, 2}, {2, 1}, {1, 1}}};
    for (int a = 0; a < 6; ++a) {
        Id id = submitted_application(call, "Prosjekt " + std::to_string(a + 1));
        applications_by_quality.push_back(id);
        for (int r = 0; r < 3; ++r)
            add_review(call, id, reviewers[static_cast<std::size_t>((a + r) % 4)], scores[a][r][0],
                       scores[a][r][1]);
    }
}

} // namespace spire::test
