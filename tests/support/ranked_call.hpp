#pragma once

// The world of the ranking and allocation page tests: an organisation (and
// another one) with a fund, a risk-capital programme and a published rolling
// call with two criteria (60 % innovation with minimum 4, 40 % feasibility),
// an empty published call, the fund's users and four reviewers. The review
// workflow's store is written in parallel, so reviews, conflicts and
// screenings are inserted with SQL as its service would write them.

#include "applications/service.hpp"
#include "calls/service.hpp"
#include "db/database.hpp"
#include "funds/service.hpp"
#include "identity/service.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace spire::test {

// The password of every user who logs in.
inline constexpr const char* RANKED_CALL_PASSWORD = "correct-horse-battery-staple";

struct RankedCall {
    std::shared_ptr<db::Database> database;
    std::shared_ptr<identity::IdentityService> identity;
    std::shared_ptr<funds::FundsService> funds;
    std::shared_ptr<calls::CallsService> calls;
    std::shared_ptr<applications::ApplicationsService> applications;

    identity::Id organisation = 0, other_organisation = 0, unit = 0, fund = 0, programme = 0;
    identity::Id call = 0, empty_call = 0, innovation = 0, feasibility = 0;
    identity::Id applicant = 0, manager = 0, conflicted_manager = 0;
    std::vector<identity::Id> reviewers;
    // Filled by six_reviewed_applications(), best first.
    std::vector<identity::Id> applications_by_quality;

    // Throws when a step fails, which fails the test's SetUp.
    static RankedCall create(std::shared_ptr<db::Database> database);

    identity::Id add_user(const std::string& name, const std::string& email, identity::Role role,
                          std::optional<identity::Id> unit_id, std::optional<identity::Id> fund_id);
    identity::Principal principal(identity::Id user, identity::Role role) const;

    // A submitted application of 100 000 kr to `call_id`; its id.
    identity::Id submitted_application(identity::Id call_id, const std::string& title);
    std::string reference_of(identity::Id application);

    // The criteria are the main call's unless `criteria` names another call's.
    void add_review(identity::Id call_id, identity::Id application, identity::Id reviewer,
                    int innovation_score, int feasibility_score, const char* status = "submitted",
                    std::pair<identity::Id, identity::Id> criteria = {});
    void change_score(identity::Id application, identity::Id reviewer, int innovation_score);
    void declare_conflict(identity::Id application, identity::Id user);
    void screen_out(identity::Id application);

    // Six applications with three reviews each from four reviewers; the
    // first is clearly best, the last clearly worst.
    void six_reviewed_applications();
};

} // namespace spire::test
