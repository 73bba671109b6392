#include "app/demo_review.hpp"

#include "allocation/service.hpp"
#include "app/demo_calls.hpp"
#include "applications/service.hpp"
#include "calls/service.hpp"
#include "db/database.hpp"
#include "identity/service.hpp"
#include "review/ranking_service.hpp"
#include "review/service.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>
#include <vector>

namespace spire::app {

namespace {

using identity::Actor;
using identity::Id;
using identity::Role;

constexpr int REVIEWERS = 5;

// Real-sounding projects from the municipality's service units.
constexpr const char* TITLES[] = {
    "Digitalt tilsyn om natten",
    "Lesevenner i skolegården",
    "Sensorer for fallforebygging",
    "Felles språkløype i barnehagene",
    "Robot for medisinutdeling",
    "Aktivitetsvenn for eldre",
    "Ungdomsråd i planarbeidet",
    "Tidlig innsats i matematikk",
    "Velferdsteknologi i hjemmetjenesten",
    "Utendørs læringsarena",
    "Tverrfaglig team for skolevegring",
    "Digital skoleportal for foreldre",
    "Kunstig intelligens i saksbehandlingen",
    "Frisklivssentral på nett",
    "Klimavennlig skolemat",
    "Samskaping med frivillige",
    "Mestringsgrupper for pårørende",
    "Bærekraftig innkjøp i barnehagene",
    "Virtuell omvisning for nye ansatte",
    "Lavterskel psykisk helsehjelp for unge",
    "Nattevakt med smarte sensorer",
    "Sosial entreprenør i NAV",
    "Møteplass for seniorer",
    "Gjenbruksbod for skoleutstyr",
    "Stillhetsrom i ungdomsskolen",
    "Demensvennlig nærmiljø",
    "Smarte låser i omsorgsboliger",
};
constexpr int APPLICATIONS = static_cast<int>(std::size(TITLES));
// Ordinary running costs: found not eligible in the screening.
constexpr std::string_view NOT_ELIGIBLE_TITLE = "Gjenbruksbod for skoleutstyr";

Error in_part(Error error, const std::string& what) {
    error.message = "demo data (" + what + "): " + error.message;
    if (!error.fields.empty())
        error.message +=
            " [" + error.fields.front().field + ": " + error.fields.front().message + "]";
    return error;
}

TimePoint at(const char* utc) {
    return from_db_time(utc).value_or(TimePoint{});
}

// A small deterministic generator: the demo is the same every time.
struct Lcg {
    unsigned long long state;
    int below(int n) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<int>((state >> 33) % static_cast<unsigned long long>(n));
    }
};

// The demo users as the services see them when they act in the round.
identity::Principal acting_as(Id organisation, Id user, std::vector<identity::Grant> grants) {
    identity::Principal principal;
    principal.user_id = user;
    principal.organisation_id = organisation;
    principal.grants = std::move(grants);
    return principal;
}

identity::Principal reviewer_principal(Id organisation, Id user) {
    return acting_as(organisation, user,
                     {{0, user, organisation, Role::Reviewer, std::nullopt, std::nullopt}});
}

Result<Id> create_round(calls::CallsService& calls, const DemoFunds& funds, const Actor& actor) {
    calls::CallInput input;
    input.programme_id = funds.programmes.at("Intern risikokapital");
    input.title = "Innovasjonsmidler høst 2017";
    input.description = "Intern risikokapital for nyskapende prosjekter i Bærums tjenester. "
                        "Innovasjonsrådet vurderer søknadene etter kriteriene nedenfor.";
    input.eligibility = "Alle tjenestesteder i Bærum kommune kan søke.";
    input.opens_at = calls::oslo_to_utc("2017-08-20", "00:00").value_or("");
    input.closes_at = calls::oslo_to_utc("2017-10-15", "12:00").value_or("");
    input.max_amount_ore = 500'000 * ORE_PER_KRONE;
    input.max_duration_years = 2;
    input.endorsement_required = true;
    auto call = calls.create_call(actor, funds.baerum_fund, input);
    if (!call)
        return call;
    for (const auto& criterion : demo_criteria()) {
        if (auto added = calls.add_criterion(actor, *call, criterion); !added)
            return tl::unexpected(added.error());
    }
    if (auto published = calls.publish_call(actor, *call); !published)
        return tl::unexpected(published.error());
    return call;
}

// Submitted and endorsed while the call was open (the service's clock says
// September 2017).
Result<void> submit_applications(applications::ApplicationsService& service, const Actor& actor,
                                 Id call, const std::vector<Id>& units, Lcg& random) {
    for (int i = 0; i < APPLICATIONS; ++i) {
        Id unit = units[static_cast<std::size_t>(i) % units.size()];
        auto id = service.create(actor, call, unit, TITLES[i]);
        if (!id)
            return tl::unexpected(id.error());
        applications::DetailsInput details;
        details.title = TITLES[i];
        details.summary = std::string("Prosjektet «") + TITLES[i] +
                          "» prøver ut en ny måte å løse et behov i tjenesten på, med evaluering "
                          "og plan for spredning til andre tjenestesteder.";
        details.themes = {"Innovasjon"};
        details.start_year = 2018;
        details.duration_years = 1 + random.below(2);
        const Ore amount = (100'000 + 25'000 * random.below(17)) * ORE_PER_KRONE;
        if (auto saved = service.save_details(actor, *id, details); !saved)
            return saved;
        if (auto saved = service.save_budget(
                actor, *id, {{2018, applications::CostType::Personnel, amount + amount / 4}});
            !saved)
            return saved;
        applications::FinancingLine fund;
        fund.source = applications::FinancingSource::Fund;
        fund.cash_ore = amount;
        applications::FinancingLine own;
        own.source = applications::FinancingSource::OwnUnit;
        own.cash_ore = amount / 4;
        if (auto saved = service.save_financing(actor, *id, {fund, own}); !saved)
            return saved;
        if (auto submitted = service.submit(actor, *id); !submitted)
            return tl::unexpected(submitted.error());
        if (auto endorsed = service.endorse(actor, *id); !endorsed)
            return endorsed;
    }
    return {};
}

// Scores around each application's true quality, shifted by how lenient
// the reviewer is: the ranking page has something to calibrate.
review::ReviewInput scored(const std::vector<calls::Criterion>& criteria, int quality, int leniency,
                           Lcg& random) {
    review::ReviewInput input;
    int sum = 0;
    for (const auto& criterion : criteria) {
        int score = std::clamp(quality + leniency + random.below(3) - 1, 1, 7);
        sum += score;
        input.scores.push_back({criterion.id, score, ""});
    }
    double mean = static_cast<double>(sum) / static_cast<double>(criteria.size());
    input.recommendation = mean >= 5.0   ? review::Recommendation::Fund
                           : mean >= 4.0 ? review::Recommendation::FundWithChanges
                                         : review::Recommendation::DoNotFund;
    input.overall_comment = mean >= 5.0 ? "Et godt begrunnet prosjekt med tydelige gevinster."
                            : mean >= 4.0
                                ? "Interessant, men gevinstene og spredningen bør beskrives bedre."
                                : "Svakt begrunnet behov og uklare gevinster.";
    return input;
}

} // namespace

Result<DemoReview> create_demo_review(std::shared_ptr<db::Database> database,
                                      const DemoFunds& funds, const DemoIdentity& made) {
    const Actor system = Actor::system("demo");
    DemoReview result;
    // The round's applications come from many service units: the demo
    // applicant stands in for each unit's own applicant and leader. The
    // fund manager runs the review.
    const Id applicant_id = made.users.at("applicant@baerum.example");
    const identity::Principal applicant =
        acting_as(made.baerum, applicant_id,
                  {{0, applicant_id, made.baerum, Role::Applicant, std::nullopt, std::nullopt},
                   {0, applicant_id, made.baerum, Role::UnitLeader, std::nullopt, std::nullopt}});
    const Id manager_id = made.users.at("fund-manager@baerum.example");
    const identity::Principal manager = acting_as(
        made.baerum, manager_id,
        {{0, manager_id, made.baerum, Role::FundManager, std::nullopt, funds.baerum_fund}});
    const Actor as_applicant = Actor::web(&applicant, "demo");
    const Actor as_manager = Actor::web(&manager, "demo");
    Lcg random{2017};

    calls::CallsService calls(database);
    auto call = create_round(calls, funds, system);
    if (!call)
        return tl::unexpected(in_part(call.error(), "review round"));
    result.call = *call;

    identity::IdentityService identity(database);
    auto units = identity.units(system, made.baerum);
    if (!units)
        return tl::unexpected(in_part(units.error(), "units"));
    std::vector<Id> service_units;
    for (const auto& unit : *units) {
        if (unit.kind == identity::UnitKind::ServiceUnit && unit.active)
            service_units.push_back(unit.id);
    }
    if (service_units.empty())
        return tl::unexpected(Error::not_found("demo data (review round): no service units"));

    applications::ApplicationsOptions in_september;
    in_september.now = [] { return at("2017-09-20T08:00:00.000000Z"); };
    applications::ApplicationsService applications(database, in_september);
    if (auto submitted =
            submit_applications(applications, as_applicant, *call, service_units, random);
        !submitted)
        return tl::unexpected(in_part(submitted.error(), "review applications"));
    result.applications = APPLICATIONS;
    if (auto closed = calls.close_call(system, *call); !closed)
        return tl::unexpected(in_part(closed.error(), "closing the review round"));

    review::ReviewOptions in_november;
    in_november.now = [] { return at("2017-11-06T09:00:00.000000Z"); };
    review::ReviewService review(database, in_november);
    std::array<Id, REVIEWERS> reviewers{};
    for (int r = 0; r < REVIEWERS; ++r) {
        std::string email = "reviewer" + std::to_string(r + 1) + "@baerum.example";
        reviewers[static_cast<std::size_t>(r)] = made.users.at(email);
        if (auto added = review.set_pool_member(as_manager, *call, reviewers[r], true); !added)
            return tl::unexpected(in_part(added.error(), "pool " + email));
    }
    // Screening: all but one meet the call's formal requirements.
    auto screening = review.screening(as_manager, *call);
    if (!screening)
        return tl::unexpected(in_part(screening.error(), "screening"));
    for (const auto& application : screening->applications) {
        bool eligible = application.title != NOT_ELIGIBLE_TITLE;
        std::string reason = eligible ? ""
                                      : "Prosjektet er ordinær drift og faller utenfor "
                                        "utlysningen.";
        if (auto screened = review.screen(as_manager, application.id, eligible, reason); !screened)
            return tl::unexpected(in_part(screened.error(), "screening"));
    }

    review::ReviewSettings settings;
    settings.reviews_per_application = 3;
    settings.review_closes_at = calls::oslo_to_utc("2017-11-20", "23:59").value_or("");
    settings.share_reviews_after_close = true;
    if (auto saved = review.save_settings(as_manager, *call, settings); !saved)
        return tl::unexpected(in_part(saved.error(), "review settings"));
    if (auto assigned = review.assign_automatically(as_manager, *call); !assigned)
        return tl::unexpected(in_part(assigned.error(), "assignment"));

    auto overview = review.reviewers(as_manager, *call);
    if (!overview)
        return tl::unexpected(in_part(overview.error(), "assignments"));
    auto first_of = [&](Id reviewer, int skip) -> const review::Assignment* {
        for (const auto& assignment : overview->assignments) {
            if (assignment.reviewer_id == reviewer && skip-- == 0)
                return &assignment;
        }
        return nullptr;
    };
    // Two reviewers find they are disqualified, and the fund manager
    // records a third conflict she knows of; the gaps are then filled.
    struct Conflict {
        int reviewer;
        int skip;
        review::ConflictCategory category;
        const char* note;
    };
    const Conflict conflicts[] = {
        {1, 0, review::ConflictCategory::Relative, "Søsteren min leder prosjektet."},
        {3, 1, review::ConflictCategory::LeaderOfParty, "Jeg sitter i styret for enheten."},
    };
    for (const auto& conflict : conflicts) {
        const review::Assignment* assignment =
            first_of(reviewers[static_cast<std::size_t>(conflict.reviewer)], conflict.skip);
        if (!assignment)
            continue;
        auto principal = reviewer_principal(made.baerum, assignment->reviewer_id);
        if (auto declared = review.declare(Actor::web(&principal, "demo"), assignment->id,
                                           {conflict.category, conflict.note});
            !declared)
            return tl::unexpected(in_part(declared.error(), "declaration"));
        ++result.conflicts;
    }
    if (const review::Assignment* assignment = first_of(reviewers[4], 2)) {
        if (auto recorded = review.record_conflict(
                as_manager, assignment->application_id, assignment->reviewer_id,
                review::ConflictCategory::SpecialCircumstances,
                "Tidligere nær kollega av prosjektlederen i samme tjeneste.");
            !recorded)
            return tl::unexpected(in_part(recorded.error(), "recorded conflict"));
        ++result.conflicts;
    }
    if (auto refilled = review.assign_automatically(as_manager, *call); !refilled)
        return tl::unexpected(in_part(refilled.error(), "reassignment"));

    // Everyone declares and scores, except two of reviewer1's assignments,
    // left open for the demo (and the browser test).
    auto criteria = calls.criteria(*call);
    if (!criteria)
        return tl::unexpected(in_part(criteria.error(), "criteria"));
    overview = review.reviewers(as_manager, *call);
    if (!overview)
        return tl::unexpected(in_part(overview.error(), "assignments"));
    std::map<Id, int> quality;
    for (const auto& progress : overview->applications)
        quality[progress.application.id] = 2 + random.below(5);
    const std::array<int, REVIEWERS> leniency = {0, -1, 1, 0, 1};
    int left_open = 0;
    std::vector<review::Assignment> active;
    for (const auto& assignment : overview->assignments) {
        if (assignment.status == review::AssignmentStatus::Assigned)
            active.push_back(assignment);
    }
    // reviewer1's last two stay open.
    std::vector<Id> keep_open;
    for (auto it = active.rbegin(); it != active.rend() && keep_open.size() < 2; ++it) {
        if (it->reviewer_id == reviewers[0])
            keep_open.push_back(it->id);
    }
    for (const auto& assignment : active) {
        if (std::find(keep_open.begin(), keep_open.end(), assignment.id) != keep_open.end()) {
            ++left_open;
            continue;
        }
        std::size_t r = static_cast<std::size_t>(
            std::find(reviewers.begin(), reviewers.end(), assignment.reviewer_id) -
            reviewers.begin());
        auto principal = reviewer_principal(made.baerum, assignment.reviewer_id);
        const Actor actor = Actor::web(&principal, "demo");
        if (auto declared = review.declare(actor, assignment.id, {std::nullopt, ""}); !declared)
            return tl::unexpected(in_part(declared.error(), "declaration"));
        auto input = scored(*criteria, quality[assignment.application_id],
                            r < leniency.size() ? leniency[r] : 0, random);
        if (auto submitted = review.submit_review(actor, assignment.id, input); !submitted)
            return tl::unexpected(in_part(submitted.error(), "review"));
        ++result.submitted_reviews;
    }
    result.open_reviews = left_open;

    // One saved allocation scenario, so the allocation page is not empty:
    // the council's usual rules (whole grants, at most two per unit). The
    // lottery's seed is left for the demo user to publish and draw.
    allocation::AllocationOptions after_review;
    after_review.now = [] { return at("2017-11-27T09:00:00.000000Z"); };
    allocation::AllocationService allocation(
        database, std::make_shared<review::RankingService>(database), after_review);
    allocation::ScenarioTyped scenario;
    scenario.name = "Innovasjonsrådet 27. november";
    scenario.value_kind = "quality";
    scenario.max_grants_per_unit = "2";
    scenario.share_limits.resize(allocation::SHARE_LIMIT_ROWS);
    auto saved = allocation.create_scenario(as_manager, *call, scenario);
    if (!saved)
        return tl::unexpected(in_part(saved.error(), "allocation scenario"));
    result.scenario = *saved;
    return result;
}

} // namespace spire::app
