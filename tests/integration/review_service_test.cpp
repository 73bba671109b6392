// ReviewService on both engines: screening, the reviewer pool, assignment by
// hand and automatically, conflict declarations (forvaltningsloven § 6) and
// what they take away, scoring with drafts, submission, locking and
// reopening, others' reviews after the review period, tenant isolation, the
// audit entries and the ranking cache being forgotten. Includes the bad
// input of issue 6.

#include "applications/service.hpp"
#include "db/database.hpp"
#include "review/ranking_store.hpp"
#include "review/service.hpp"
#include "support/applications_world.hpp"
#include "support/test_db.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>
#include <soci/soci.h>

namespace {

using namespace spire;
using namespace spire::review;
using identity::Role;
using spire::test::ApplicationsWorld;

constexpr Ore KR = 100;

bool has_field(const Error& error, const std::string& field) {
    return std::any_of(error.fields.begin(), error.fields.end(),
                       [&](const FieldError& e) { return e.field == field; });
}

class ReviewServiceTest : public spire::test::MigratedDatabaseTest {
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
        ReviewOptions options;
        options.now = [clock = m_world->clock] { return *clock; };
        m_review = std::make_unique<ReviewService>(w().funds->database, options);
        auto& f = *w().funds;
        m_r1 = f.user(f.baerum, "r1@baerum.example", Role::Reviewer, f.fund);
        m_r2 = f.user(f.baerum, "r2@baerum.example", Role::Reviewer);
        m_r3 = f.user(f.baerum, "r3@baerum.example", Role::Reviewer, f.fund);
        // A reviewer who also applies for the school: never reviews its
        // applications.
        m_school_reviewer = f.user(f.baerum, "r-school@baerum.example", Role::Reviewer);
        identity::Grant grant;
        grant.user_id = m_school_reviewer.user_id;
        grant.organisation_id = f.baerum;
        grant.role = Role::Applicant;
        grant.unit_id = w().school;
        EXPECT_TRUE(f.identity->grant_role(spire::test::FundsWorld::system(), grant));
        m_school_reviewer.grants.push_back(grant);
        m_asker_manager = f.user(f.asker, "manager@asker.example", Role::FundManager);
        m_home_leader = w().unit_user(f.baerum, "leader-home@baerum.example", Role::UnitLeader,
                                      w().nursing_home);
    }
    void TearDown() override {
        m_review.reset();
        m_world.reset();
        MigratedDatabaseTest::TearDown();
    }

    ApplicationsWorld& w() { return *m_world; }
    ReviewService& review() { return *m_review; }
    identity::Actor manager() { return w().as(w().funds->manager); }
    identity::Actor as(const identity::Principal& who) { return w().as(who); }
    Id call() { return w().risk_call; }

    // A submitted application of the risk-capital call from the school (or
    // the nursing home), through the applications service.
    Id submitted(const std::string& title, bool nursing_home = false) {
        auto& applications = *w().applications;
        const auto& applicant = nursing_home ? w().other_applicant : w().applicant;
        Id unit = nursing_home ? w().nursing_home : w().school;
        auto id = applications.create(as(applicant), call(), unit, title);
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        applications::DetailsInput details;
        details.title = title;
        details.summary = "Et prosjekt om " + title + ".";
        details.start_year = 2027;
        details.duration_years = 2;
        applications::Answer text;
        text.field_id = w().text_field;
        text.text = "Bedre tjenester.";
        details.answers = {text};
        EXPECT_TRUE(applications.save_details(as(applicant), *id, details));
        EXPECT_TRUE(applications.save_budget(
            as(applicant), *id, {{2027, applications::CostType::Personnel, 300'000 * KR}}));
        EXPECT_TRUE(applications.save_financing(
            as(applicant), *id, {{applications::FinancingSource::Fund, "", 300'000 * KR, 0, 0}}));
        auto status = applications.submit(as(applicant), *id);
        EXPECT_TRUE(status) << (status ? "" : status.error().message);
        auto endorsed = applications.endorse(as(nursing_home ? m_home_leader : w().leader), *id);
        EXPECT_TRUE(endorsed) << (endorsed ? "" : endorsed.error().message);
        return *id;
    }

    void pool(const identity::Principal& reviewer) {
        auto added = review().set_pool_member(manager(), call(), reviewer.user_id, true);
        ASSERT_TRUE(added) << added.error().message;
    }

    Id assign(Id application, const identity::Principal& reviewer) {
        auto id = review().assign(manager(), application, reviewer.user_id);
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        return id.value_or(0);
    }

    Id criterion() {
        auto criteria = w().calls->criteria(call());
        EXPECT_TRUE(criteria && !criteria->empty());
        return criteria->front().id;
    }

    ReviewInput scored(int score,
                       std::optional<Recommendation> recommendation = Recommendation::Fund) {
        ReviewInput input;
        input.scores = {{criterion(), score, "Godt begrunnet."}};
        input.recommendation = recommendation;
        input.overall_comment = "Et godt prosjekt.";
        return input;
    }

    long long count(const std::string& query) {
        return w().funds->database->read([&](soci::session& sql) {
            long long n = 0;
            sql << query, soci::into(n);
            return n;
        });
    }
    long long audit_count(const std::string& action) {
        return count("SELECT count(*) FROM audit_log WHERE action = '" + action + "'");
    }
    // The call's ranking input version: a change the ranking reads bumps it
    // in the writer's transaction, so a cached ranking is never trusted after
    // it (migrations/review/002_ranking_input_version.*).
    std::int64_t ranking_version() {
        return w().funds->database->read(
            [&](soci::session& sql) { return review::ranking_store::input_version(sql, call()); });
    }

    std::unique_ptr<ApplicationsWorld> m_world;
    std::unique_ptr<ReviewService> m_review;
    identity::Principal m_r1, m_r2, m_r3, m_school_reviewer, m_asker_manager, m_home_leader;
};

TEST_P(ReviewServiceTest, NotEligibleNeedsAReasonAndLeavesTheReview) {
    Id app = submitted("Lesevenn");
    pool(m_r1);
    Id assignment = assign(app, m_r1);
    const auto before = ranking_version();

    auto missing = review().screen(manager(), app, false, "  ");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().kind, ErrorKind::Invalid);
    EXPECT_TRUE(has_field(missing.error(), "reason"));
    EXPECT_EQ(ranking_version(), before); // nothing written

    ASSERT_TRUE(review().screen(manager(), app, false, "Søker er ikke en tjenesteenhet."));
    auto result = review().screening_result(app);
    ASSERT_TRUE(result && *result);
    EXPECT_FALSE((*result)->eligible);
    EXPECT_EQ((*result)->reason, "Søker er ikke en tjenesteenhet.");
    EXPECT_GT(ranking_version(), before);
    EXPECT_EQ(audit_count("review.screen"), 1);

    // Out of the review: the open assignment is withdrawn, no new ones.
    auto page = review().review_page(as(m_r1), assignment);
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().message, reason::WITHDRAWN);
    pool(m_r2);
    auto refused = review().assign(manager(), app, m_r2.user_id);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::Conflict);
    auto overview = review().reviewers(manager(), call());
    ASSERT_TRUE(overview);
    EXPECT_TRUE(overview->applications.empty());

    // Eligible again: back in the review.
    ASSERT_TRUE(review().screen(manager(), app, true, ""));
    EXPECT_TRUE(review().assign(manager(), app, m_r2.user_id));
}

TEST_P(ReviewServiceTest, AssigningQueuesOneMailPerReviewerInTheSameTransaction) {
    auto mails_to = [&](const identity::Principal& reviewer) {
        return count("SELECT count(*) FROM mail_outbox WHERE kind = 'reviewer_assignment' AND "
                     "recipient = '" +
                     reviewer.email + "'");
    };
    Id app = submitted("Lesevenn");
    pool(m_r1);
    assign(app, m_r1);
    EXPECT_EQ(mails_to(m_r1), 1);
    // A refused assignment queues nothing.
    EXPECT_FALSE(review().assign(manager(), app, m_r2.user_id)); // not in the pool
    EXPECT_EQ(mails_to(m_r2), 0);

    // Automatic assignment: one mail per reviewer who got new applications,
    // however many they got.
    submitted("Digitale skjema");
    submitted("Trygg hjemme", true);
    pool(m_r2);
    pool(m_r3);
    const long long before = count("SELECT count(*) FROM mail_outbox WHERE kind = "
                                   "'reviewer_assignment'");
    const long long last_assignment = count("SELECT coalesce(max(id), 0) FROM review_assignment");
    auto made = review().assign_automatically(manager(), call());
    ASSERT_TRUE(made) << made.error().message;
    ASSERT_GT(made->made, 0);
    const long long reviewers_with_new_work =
        count("SELECT count(DISTINCT reviewer_id) FROM review_assignment WHERE id > " +
              std::to_string(last_assignment));
    EXPECT_EQ(count("SELECT count(*) FROM mail_outbox WHERE kind = 'reviewer_assignment'"),
              before + reviewers_with_new_work);
    EXPECT_LT(reviewers_with_new_work, made->made); // grouped, not one mail per assignment
}

TEST_P(ReviewServiceTest, OnlyTheFundsManagersScreen) {
    Id app = submitted("Lesevenn");
    auto by_reviewer = review().screen(as(m_r1), app, true, "");
    ASSERT_FALSE(by_reviewer);
    EXPECT_EQ(by_reviewer.error().kind, ErrorKind::Forbidden);
    auto by_auditor = review().screen(as(w().funds->auditor), app, true, "");
    ASSERT_FALSE(by_auditor);
    EXPECT_EQ(by_auditor.error().kind, ErrorKind::Forbidden);
    EXPECT_TRUE(review().screening(as(w().funds->auditor), call()));
    auto listed = review().screening(manager(), call());
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->applications.size(), 1u);
    EXPECT_FALSE(listed->applications[0].eligible.has_value());
    EXPECT_EQ(listed->applications[0].unit_name, "Levern skole");
}

TEST_P(ReviewServiceTest, ThePoolHoldsOnlyTheFundsReviewers) {
    auto not_reviewer = review().set_pool_member(manager(), call(), w().applicant.user_id, true);
    ASSERT_FALSE(not_reviewer);
    EXPECT_TRUE(has_field(not_reviewer.error(), "user_id"));
    auto overview = review().reviewers(manager(), call());
    ASSERT_TRUE(overview);
    std::vector<std::string> emails;
    for (const auto& candidate : overview->candidates)
        emails.push_back(candidate.email);
    // The world's own reviewer, r1..r3 and the school's reviewer; nobody
    // from Asker, no applicant.
    EXPECT_EQ(emails.size(), 5u);
    EXPECT_EQ(std::count(emails.begin(), emails.end(), "applicant@baerum.example"), 0);
    pool(m_r1);
    overview = review().reviewers(manager(), call());
    ASSERT_TRUE(overview);
    auto r1 = std::find_if(overview->candidates.begin(), overview->candidates.end(),
                           [&](const PoolMember& m) { return m.user_id == m_r1.user_id; });
    ASSERT_NE(r1, overview->candidates.end());
    EXPECT_TRUE(r1->in_pool);
    EXPECT_EQ(overview->settings.reviews_per_application, 3);
}

TEST_P(ReviewServiceTest, AssigningByHandRefusesConflictsOwnUnitAndOutsiders) {
    Id school_app = submitted("Lesevenn");
    pool(m_r1);
    pool(m_school_reviewer);

    auto outsider = review().assign(manager(), school_app, m_r2.user_id);
    ASSERT_FALSE(outsider);
    EXPECT_EQ(outsider.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(outsider.error().message, "Add the reviewer to the call's pool first.");

    auto own_unit = review().assign(manager(), school_app, m_school_reviewer.user_id);
    ASSERT_FALSE(own_unit);
    EXPECT_EQ(own_unit.error().message, "The reviewer belongs to the applicant's unit.");

    ASSERT_TRUE(review().record_conflict(manager(), school_app, m_r1.user_id,
                                         ConflictCategory::Relative, "Søster av prosjektleder."));
    auto conflicted = review().assign(manager(), school_app, m_r1.user_id);
    ASSERT_FALSE(conflicted);
    EXPECT_EQ(conflicted.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(conflicted.error().message,
              "The reviewer has declared a conflict of interest for this application.");

    pool(m_r2);
    Id id = assign(school_app, m_r2);
    EXPECT_GT(id, 0);
    auto twice = review().assign(manager(), school_app, m_r2.user_id);
    ASSERT_FALSE(twice);
    EXPECT_EQ(twice.error().message, "The reviewer is already assigned to this application.");
    EXPECT_EQ(audit_count("review.assign"), 1);
    auto by_reviewer = review().assign(as(m_r2), school_app, m_r3.user_id);
    ASSERT_FALSE(by_reviewer);
    EXPECT_EQ(by_reviewer.error().kind, ErrorKind::Forbidden);
}

TEST_P(ReviewServiceTest, AutomaticAssignmentIsBalancedAndRespectsConflicts) {
    std::vector<Id> apps = {submitted("A"), submitted("B", true), submitted("C"),
                            submitted("D", true)};
    for (const auto* reviewer : {&m_r1, &m_r2, &m_r3, &m_school_reviewer})
        pool(*reviewer);
    ASSERT_TRUE(review().record_conflict(manager(), apps[1], m_r1.user_id, ConflictCategory::Party,
                                         "Er selv part."));
    ReviewSettings settings;
    settings.reviews_per_application = 2;
    ASSERT_TRUE(review().save_settings(manager(), call(), settings));

    auto result = review().assign_automatically(manager(), call());
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->made, 8);
    EXPECT_TRUE(result->shortfalls.empty());

    auto overview = review().reviewers(manager(), call());
    ASSERT_TRUE(overview);
    std::map<Id, int> load;
    for (const auto& assignment : overview->assignments) {
        ++load[assignment.reviewer_id];
        EXPECT_FALSE(assignment.application_id == apps[1] &&
                     assignment.reviewer_id == m_r1.user_id);
        // The school's own reviewer only gets the nursing home's.
        if (assignment.reviewer_id == m_school_reviewer.user_id) {
            EXPECT_TRUE(assignment.application_id == apps[1] ||
                        assignment.application_id == apps[3]);
        }
    }
    // Balanced: 8 reviews over 4 reviewers, no one with more than one above
    // anyone else.
    ASSERT_EQ(load.size(), 4u);
    auto [least, most] = std::minmax_element(
        load.begin(), load.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
    EXPECT_LE(most->second - least->second, 1);
    for (const auto& progress : overview->applications) {
        EXPECT_EQ(progress.assigned, 2);
        EXPECT_EQ(progress.wanted, 2);
    }
    // Everything is covered: a second run makes nothing.
    auto again = review().assign_automatically(manager(), call());
    ASSERT_TRUE(again);
    EXPECT_EQ(again->made, 0);
}

TEST_P(ReviewServiceTest, ShortfallsAreReportedWhenTooFewReviewersAreFree) {
    Id app = submitted("A");
    pool(m_r1);
    pool(m_school_reviewer); // from the school: not eligible for it
    auto result = review().assign_automatically(manager(), call());
    ASSERT_TRUE(result);
    EXPECT_EQ(result->made, 1);
    ASSERT_EQ(result->shortfalls.size(), 1u);
    EXPECT_EQ(result->shortfalls[0], std::make_pair(app, 2));
}

TEST_P(ReviewServiceTest, AReviewerDeclaresBeforeSeeingTheApplication) {
    Id app = submitted("Lesevenn");
    pool(m_r1);
    Id assignment = assign(app, m_r1);

    auto before = review().review_page(as(m_r1), assignment);
    ASSERT_TRUE(before) << before.error().message;
    EXPECT_EQ(before->declared, Declared::Nothing);
    EXPECT_EQ(before->application_title, "Lesevenn");
    EXPECT_TRUE(before->application_summary.empty());
    EXPECT_TRUE(before->criteria.empty());

    auto early = review().save_review(as(m_r1), assignment, scored(5));
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().kind, ErrorKind::Forbidden);
    EXPECT_EQ(early.error().message, reason::DECLARE_FIRST);

    ASSERT_TRUE(review().declare(as(m_r1), assignment, {std::nullopt, ""}));
    ASSERT_TRUE(review().declare(as(m_r1), assignment, {std::nullopt, ""})); // double submit
    EXPECT_EQ(audit_count("review.declare"), 1);
    auto after = review().review_page(as(m_r1), assignment);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->declared, Declared::NoConflict);
    EXPECT_EQ(after->application_summary, "Et prosjekt om Lesevenn.");
    EXPECT_EQ(after->criteria.size(), 1u);
    EXPECT_EQ(after->requested_ore, 300'000 * KR);
}

TEST_P(ReviewServiceTest, DeclaringAConflictTakesAwayTheApplicationAndIsAudited) {
    Id app = submitted("Lesevenn");
    pool(m_r1);
    Id assignment = assign(app, m_r1);
    const auto before = ranking_version();

    auto no_note = review().declare(as(m_r1), assignment, {ConflictCategory::Party, " "});
    ASSERT_FALSE(no_note);
    EXPECT_TRUE(has_field(no_note.error(), "note"));

    ASSERT_TRUE(review().declare(as(m_r1), assignment,
                                 {ConflictCategory::LeaderOfParty, "Styreleder i enheten."}));
    EXPECT_GT(ranking_version(), before);
    EXPECT_EQ(audit_count("review.declare"), 1);

    for (auto refused : {review().review_page(as(m_r1), assignment).map([](auto&&) {}),
                         review().save_review(as(m_r1), assignment, scored(4)),
                         review().check_not_conflicted(as(m_r1), app)}) {
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().kind, ErrorKind::Forbidden);
        EXPECT_EQ(refused.error().message, reason::CONFLICT);
    }
    // Cannot be taken back by declaring again.
    auto undo = review().declare(as(m_r1), assignment, {std::nullopt, ""});
    ASSERT_FALSE(undo);
    EXPECT_EQ(undo.error().message, reason::CONFLICT);
    EXPECT_TRUE(review().check_not_conflicted(as(m_r2), app));
    auto conflicted = review().conflicted_applications(as(m_r1), call());
    ASSERT_TRUE(conflicted);
    EXPECT_EQ(*conflicted, std::set<Id>{app});

    auto listed = review().declarations(manager(), call());
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_TRUE((*listed)[0].conflict);
    EXPECT_EQ((*listed)[0].category, ConflictCategory::LeaderOfParty);
    EXPECT_EQ((*listed)[0].reviewer_name, m_r1.name);
    auto mine = review().my_reviews(as(m_r1));
    ASSERT_TRUE(mine);
    ASSERT_EQ(mine->assignments.size(), 1u);
    EXPECT_EQ(mine->assignments[0].declared, Declared::Conflict);
    EXPECT_EQ(mine->assignments[0].assignment.status, AssignmentStatus::Withdrawn);
    EXPECT_FALSE(review().declarations(as(m_r1), call()));
}

TEST_P(ReviewServiceTest, TheManagerRecordsAConflictForAReviewer) {
    Id app = submitted("Lesevenn");
    pool(m_r1);
    Id assignment = assign(app, m_r1);
    auto no_note = review().record_conflict(manager(), app, m_r1.user_id,
                                            ConflictCategory::SpecialCircumstances, "");
    ASSERT_FALSE(no_note);
    EXPECT_TRUE(has_field(no_note.error(), "note"));
    auto not_reviewer = review().record_conflict(manager(), app, w().applicant.user_id,
                                                 ConflictCategory::Party, "x");
    ASSERT_FALSE(not_reviewer);
    EXPECT_TRUE(has_field(not_reviewer.error(), "reviewer_id"));
    ASSERT_TRUE(review().record_conflict(manager(), app, m_r1.user_id,
                                         ConflictCategory::SpecialCircumstances,
                                         "Tidligere arbeidsgiver."));
    EXPECT_EQ(audit_count("review.conflict.record"), 1);
    auto page = review().review_page(as(m_r1), assignment);
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().message, reason::CONFLICT);
    auto listed = review().declarations(manager(), call());
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].declared_by, w().funds->manager.user_id);
}

TEST_P(ReviewServiceTest, UnassignedApplicationsAreForbiddenAndOtherTenantsNotFound) {
    Id app = submitted("Lesevenn");
    pool(m_r1);
    Id assignment = assign(app, m_r1);
    auto other = review().review_page(as(m_r2), assignment);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().kind, ErrorKind::Forbidden);
    EXPECT_EQ(other.error().message, reason::NOT_ASSIGNED);
    auto declare = review().declare(as(m_r2), assignment, {std::nullopt, ""});
    ASSERT_FALSE(declare);
    EXPECT_EQ(declare.error().message, reason::NOT_ASSIGNED);
    auto applicant = review().review_page(as(w().applicant), assignment);
    ASSERT_FALSE(applicant);
    EXPECT_EQ(applicant.error().kind, ErrorKind::Forbidden);

    auto asker = as(m_asker_manager);
    EXPECT_EQ(review().review_page(asker, assignment).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(review().screening(asker, call()).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(review().reviewers(asker, call()).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(review().declarations(asker, call()).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(review().assign(asker, app, m_r1.user_id).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(review().screen(asker, app, true, "").error().kind, ErrorKind::NotFound);
    EXPECT_EQ(review().withdraw(asker, assignment).error().kind, ErrorKind::NotFound);
    EXPECT_EQ(review().my_reviews(asker).error().kind, ErrorKind::Forbidden);
}

TEST_P(ReviewServiceTest, ScoresAreValidatedSubmittedLockedAndReopened) {
    Id app = submitted("Lesevenn");
    pool(m_r1);
    Id assignment = assign(app, m_r1);
    ASSERT_TRUE(review().declare(as(m_r1), assignment, {std::nullopt, ""}));
    Id crit = criterion();

    for (int bad : {0, 8, -3}) {
        auto off_scale = review().save_review(as(m_r1), assignment, scored(bad));
        ASSERT_FALSE(off_scale) << bad;
        EXPECT_EQ(off_scale.error().kind, ErrorKind::Invalid);
        EXPECT_TRUE(has_field(off_scale.error(), "score_" + std::to_string(crit)));
    }
    ReviewInput draft;
    draft.scores = {{crit, std::nullopt, "Halvferdig."}};
    draft.overall_comment = "Utkast";
    ASSERT_TRUE(review().save_review(as(m_r1), assignment, draft));
    auto page = review().review_page(as(m_r1), assignment);
    ASSERT_TRUE(page);
    ASSERT_EQ(page->scores.size(), 1u);
    EXPECT_FALSE(page->scores[0].score);
    EXPECT_EQ(page->scores[0].comment, "Halvferdig.");
    EXPECT_EQ(page->assignment.overall_comment, "Utkast");

    auto incomplete = review().submit_review(as(m_r1), assignment, draft);
    ASSERT_FALSE(incomplete);
    EXPECT_TRUE(has_field(incomplete.error(), "score_" + std::to_string(crit)));
    EXPECT_TRUE(has_field(incomplete.error(), "recommendation"));

    const auto before = ranking_version();
    ASSERT_TRUE(review().submit_review(as(m_r1), assignment, scored(6)));
    EXPECT_GT(ranking_version(), before);
    page = review().review_page(as(m_r1), assignment);
    ASSERT_TRUE(page);
    EXPECT_TRUE(page->locked);
    EXPECT_EQ(page->scores[0].score, 6);
    EXPECT_EQ(page->assignment.recommendation, Recommendation::Fund);

    auto edit = review().save_review(as(m_r1), assignment, scored(2));
    ASSERT_FALSE(edit);
    EXPECT_EQ(edit.error().kind, ErrorKind::Conflict);
    EXPECT_FALSE(review().submit_review(as(m_r1), assignment, scored(2)));
    auto self_reopen = review().reopen(as(m_r1), assignment);
    ASSERT_FALSE(self_reopen);
    EXPECT_EQ(self_reopen.error().kind, ErrorKind::Forbidden);

    ASSERT_TRUE(review().reopen(manager(), assignment));
    EXPECT_EQ(audit_count("review.reopen"), 1);
    EXPECT_TRUE(review().save_review(as(m_r1), assignment, scored(2)));
    EXPECT_FALSE(review().reopen(manager(), assignment)); // not submitted now
}

TEST_P(ReviewServiceTest, OthersReviewsShowOnlyAfterThePeriodWhenTheCallSharesThem) {
    Id app = submitted("Lesevenn");
    pool(m_r1);
    pool(m_r2);
    Id first = assign(app, m_r1);
    Id second = assign(app, m_r2);
    for (auto [who, id] : {std::pair{&m_r1, first}, std::pair{&m_r2, second}}) {
        ASSERT_TRUE(review().declare(as(*who), id, {std::nullopt, ""}));
    }
    ASSERT_TRUE(review().submit_review(as(m_r1), first, scored(6)));
    auto others_of = [&](const identity::Principal& who, Id id) {
        auto page = review().review_page(as(who), id);
        EXPECT_TRUE(page);
        return page ? page->others.size() : 99u;
    };
    ReviewSettings settings;
    settings.share_reviews_after_close = true;
    settings.review_closes_at = to_db_time(*w().clock + std::chrono::hours(24));
    ASSERT_TRUE(review().save_settings(manager(), call(), settings));
    // r2 has not submitted: never sees r1's review (no anchoring).
    EXPECT_EQ(others_of(m_r2, second), 0u);
    ASSERT_TRUE(review().submit_review(as(m_r2), second, scored(3)));
    EXPECT_EQ(others_of(m_r2, second), 0u); // the period is not over
    *w().clock += std::chrono::hours(48);
    EXPECT_EQ(others_of(m_r2, second), 1u);
    EXPECT_EQ(others_of(m_r1, first), 1u);
    settings.share_reviews_after_close = false;
    ASSERT_TRUE(review().save_settings(manager(), call(), settings));
    EXPECT_EQ(others_of(m_r2, second), 0u);
}

TEST_P(ReviewServiceTest, AReviewerWhoDropsOutIsReplaced) {
    Id app = submitted("A");
    Id app2 = submitted("B", true);
    pool(m_r1);
    pool(m_r2);
    ReviewSettings settings;
    settings.reviews_per_application = 1;
    ASSERT_TRUE(review().save_settings(manager(), call(), settings));
    Id done = assign(app, m_r1);
    Id open = assign(app2, m_r1);
    ASSERT_TRUE(review().declare(as(m_r1), done, {std::nullopt, ""}));
    ASSERT_TRUE(review().submit_review(as(m_r1), done, scored(5)));

    ASSERT_TRUE(review().set_pool_member(manager(), call(), m_r1.user_id, false));
    auto page = review().review_page(as(m_r1), open);
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().message, reason::WITHDRAWN);
    auto auto_result = review().assign_automatically(manager(), call());
    ASSERT_TRUE(auto_result);
    EXPECT_EQ(auto_result->made, 1);
    auto overview = review().reviewers(manager(), call());
    ASSERT_TRUE(overview);
    for (const auto& progress : overview->applications)
        EXPECT_EQ(progress.assigned, 1) << progress.application.title;
    // The submitted review stays.
    auto submitted_review = review().review_page(as(m_r1), done);
    ASSERT_TRUE(submitted_review);
    EXPECT_TRUE(submitted_review->locked);

    // Withdrawing by hand, and assigning the same reviewer back.
    auto r2_assignment =
        std::find_if(overview->assignments.begin(), overview->assignments.end(),
                     [&](const Assignment& a) { return a.reviewer_id == m_r2.user_id; });
    ASSERT_NE(r2_assignment, overview->assignments.end());
    ASSERT_TRUE(review().withdraw(manager(), r2_assignment->id));
    EXPECT_EQ(review().withdraw(manager(), r2_assignment->id).error().kind, ErrorKind::Conflict);
    EXPECT_EQ(assign(app2, m_r2), r2_assignment->id);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, ReviewServiceTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
