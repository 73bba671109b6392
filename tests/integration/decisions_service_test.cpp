// DecisionsService on both engines (issue 7 items 3–5): a decision posts its
// commitment (or, when conditional, its reservation) in the transaction that
// records it; overdrawing a cell refuses the decision and writes nothing;
// reasons are required for rejections and partial grants; withdrawn and
// unranked applications, negative and non-integer amounts are refused; the
// letter is stored once with its SHA-256 and can never be changed; the
// decision mail reaches a real SMTP server with the letter; recommendations
// are approved as they are, adjusted or rejected.

#include "applications/service.hpp"
#include "core/crypto.hpp"
#include "db/database.hpp"
#include "decisions/service.hpp"
#include "mail/store.hpp"
#include "mail/worker.hpp"
#include "review/service.hpp"
#include "support/app_paths.hpp"
#include "support/applications_world.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_db.hpp"
#include "web/i18n.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

namespace {

using namespace spire;
using namespace spire::decisions;
using identity::Role;
using spire::test::ApplicationsWorld;

constexpr Ore KR = 100;

bool has_field(const Error& error, const std::string& field) {
    return std::any_of(error.fields.begin(), error.fields.end(),
                       [&](const FieldError& e) { return e.field == field; });
}

class DecisionsServiceTest : public spire::test::MigratedDatabaseTest {
protected:
    void SetUp() override {
        MigratedDatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        try {
            m_world = ApplicationsWorld::create(test_database().url(), 2);
            auto translator = web::Translator::load(spire::test::locale_dir());
            review::ReviewOptions review_options;
            review_options.now = [clock = m_world->clock] { return *clock; };
            m_review = std::make_unique<review::ReviewService>(db(), review_options);
            DecisionsOptions options;
            options.now = [clock = m_world->clock] { return *clock; };
            options.translate = [translator](std::string_view msgid) {
                return translator.translate("nb", msgid);
            };
            m_decisions = std::make_unique<DecisionsService>(db(), options);
        } catch (const std::exception& e) {
            FAIL() << e.what();
        }
        auto& f = *w().funds;
        m_reviewer = f.user(f.baerum, "r1@baerum.example", Role::Reviewer, f.fund);
        m_home_leader = w().unit_user(f.baerum, "leader-home@baerum.example", Role::UnitLeader,
                                      w().nursing_home);
        frame(2019, f.risk, 1'000'000 * KR);
        frame(2019, f.research, 1'000'000 * KR);
    }
    void TearDown() override {
        m_decisions.reset();
        m_review.reset();
        m_world.reset();
        if (!m_directory.empty())
            std::filesystem::remove_all(m_directory);
        MigratedDatabaseTest::TearDown();
    }

    ApplicationsWorld& w() { return *m_world; }
    std::shared_ptr<db::Database> db() { return m_world->funds->database; }
    DecisionsService& decisions() { return *m_decisions; }
    identity::Actor manager() { return w().as(w().funds->manager); }
    identity::Actor decision_maker() { return w().as(w().funds->decision_maker); }
    Id risk() { return w().funds->risk; }

    void frame(int year, Id programme, Ore total) {
        funds::FrameChange change;
        change.cell = {year, programme};
        change.total = total;
        change.reason = "Årlig ramme";
        auto set =
            w().funds->funds->set_frame(spire::test::FundsWorld::system(), w().funds->fund, change);
        ASSERT_TRUE(set) << set.error().message;
    }

    // A submitted application (risk capital, or research co-funding).
    Id submitted(const std::string& title, bool research = false) {
        auto& applications = *w().applications;
        auto applicant = w().as(w().applicant);
        auto id = applications.create(applicant, research ? w().research_call : w().risk_call,
                                      w().school, title);
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        applications::DetailsInput details;
        details.title = title;
        details.summary = "Et prosjekt om " + title + ".";
        details.start_year = 2027;
        details.duration_years = 2;
        if (research) {
            details.external_call_id = w().external_call;
            details.project_total_ore = 2'000'000 * KR;
            details.external_applied_ore = 1'600'000 * KR;
            details.own_contribution_ore = 300'000 * KR;
        } else {
            applications::Answer text;
            text.field_id = w().text_field;
            text.text = "Bedre tjenester.";
            details.answers = {text};
        }
        EXPECT_TRUE(applications.save_details(applicant, *id, details));
        EXPECT_TRUE(
            applications.save_budget(applicant, *id,
                                     {{2027, applications::CostType::Personnel, 300'000 * KR},
                                      {2028, applications::CostType::Other, 100'000 * KR}}));
        EXPECT_TRUE(applications.save_financing(
            applicant, *id,
            {{applications::FinancingSource::Fund, "", 300'000 * KR, 0, 0},
             {applications::FinancingSource::OwnUnit, "", 0, 200, 500 * KR}}));
        auto status = applications.submit(applicant, *id);
        EXPECT_TRUE(status) << (status ? "" : status.error().message);
        if (status && *status == applications::Status::AwaitingEndorsement) {
            auto endorsed = applications.endorse(w().as(w().leader), *id);
            EXPECT_TRUE(endorsed) << (endorsed ? "" : endorsed.error().message);
        }
        return id.value_or(0);
    }

    // Submitted, screened eligible and reviewed once: in the ranking.
    // Reviewed, and screened eligible unless `screen` is false: the ranking
    // also ranks applications nobody has screened.
    Id ranked(const std::string& title, bool research = false, bool screen = true) {
        Id id = submitted(title, research);
        Id call = research ? w().research_call : w().risk_call;
        auto& review = *m_review;
        if (screen) {
            EXPECT_TRUE(review.screen(manager(), id, true, ""));
        }
        EXPECT_TRUE(review.set_pool_member(manager(), call, m_reviewer.user_id, true));
        auto assignment = review.assign(manager(), id, m_reviewer.user_id);
        EXPECT_TRUE(assignment) << (assignment ? "" : assignment.error().message);
        auto as_reviewer = w().as(m_reviewer);
        EXPECT_TRUE(review.declare(as_reviewer, *assignment, {std::nullopt, ""}));
        review::ReviewInput input;
        auto criteria = w().calls->criteria(call);
        EXPECT_TRUE(criteria);
        for (const auto& criterion : *criteria)
            input.scores.push_back({criterion.id, 6, "Godt."});
        input.recommendation = review::Recommendation::Fund;
        input.overall_comment = "Et godt prosjekt.";
        auto done = review.submit_review(as_reviewer, *assignment, input);
        EXPECT_TRUE(done) << (done ? "" : done.error().message);
        return id;
    }

    DecisionInput grant(Id application, Ore amount, int year = 2019, Id programme = 0) {
        DecisionInput input;
        input.application_id = application;
        input.outcome = Outcome::Granted;
        input.amounts = {{year, programme ? programme : risk(), amount}};
        input.conditions = "Rapport innen utgangen av prosjektet.";
        return input;
    }

    funds::CellBalance cell(int year, Id programme) {
        auto budget = w().funds->funds->budget(spire::test::FundsWorld::system(), w().funds->fund);
        EXPECT_TRUE(budget);
        return budget->cell(year, programme);
    }

    long long count(const std::string& query) {
        return db()->read([&](soci::session& sql) {
            long long n = 0;
            sql << query, soci::into(n);
            return n;
        });
    }

    std::unique_ptr<ApplicationsWorld> m_world;
    std::unique_ptr<review::ReviewService> m_review;
    std::unique_ptr<DecisionsService> m_decisions;
    identity::Principal m_reviewer, m_home_leader;
    std::filesystem::path m_directory;
};

TEST_P(DecisionsServiceTest, AGrantCommitsStoresTheLetterAndQueuesTheMailTogether) {
    Id app = ranked("Lesevenn");
    const long long mails_before = count("SELECT count(*) FROM mail_outbox");
    auto id = decisions().decide(decision_maker(), grant(app, 300'000 * KR));
    ASSERT_TRUE(id) << id.error().message;

    EXPECT_EQ(cell(2019, risk()).committed(), 300'000 * KR);
    EXPECT_EQ(cell(2019, risk()).available(), 700'000 * KR);
    EXPECT_EQ(count("SELECT count(*) FROM ledger_entry WHERE kind = 'commit' AND "
                    "reference_id = " +
                    std::to_string(app)),
              1);

    auto view = decisions().decision(decision_maker(), *id);
    ASSERT_TRUE(view) << view.error().message;
    EXPECT_EQ(view->decision.outcome, Outcome::Granted);
    ASSERT_EQ(view->decision.amounts.size(), 1u);
    ASSERT_TRUE(view->letter);
    EXPECT_EQ(view->letter->sha256, sha256_hex(view->letter->html));
    // The letter names the municipality, the reference and the amount.
    EXPECT_NE(view->letter->html.find("Bærum"), std::string::npos);
    EXPECT_NE(view->letter->html.find(view->decision.application_reference), std::string::npos);
    EXPECT_NE(view->letter->html.find("300\u00a0000\u00a0kr"), std::string::npos);
    // An internal recipient (a service unit) has no appeal paragraph.
    EXPECT_EQ(view->letter->html.find("forvaltningsloven § 29"), std::string::npos);

    EXPECT_EQ(count("SELECT count(*) FROM mail_outbox"), mails_before + 1);
    EXPECT_EQ(count("SELECT count(*) FROM mail_outbox WHERE kind = 'decision' AND recipient = '" +
                    w().applicant.email + "'"),
              1);
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'decision.record'"), 1);

    // Once only.
    auto again = decisions().decide(decision_maker(), grant(app, 300'000 * KR));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(cell(2019, risk()).committed(), 300'000 * KR);
}

TEST_P(DecisionsServiceTest, OverdrawingRefusesTheDecisionAndWritesNothing) {
    Id app = ranked("Lesevenn");
    const long long entries = count("SELECT count(*) FROM ledger_entry");
    const long long mails = count("SELECT count(*) FROM mail_outbox");
    // 2019 fits, 2020 has no frame: the 2019 posting must be rolled back too.
    auto input = grant(app, 200'000 * KR);
    input.amounts.push_back({2020, risk(), 100'000 * KR});
    auto refused = decisions().decide(decision_maker(), input);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::Invalid);
    EXPECT_EQ(refused.error().message, message::OVERDRAWN);
    EXPECT_TRUE(has_field(refused.error(), amount_field(2020, risk())));

    EXPECT_EQ(count("SELECT count(*) FROM ledger_entry"), entries);
    EXPECT_EQ(count("SELECT count(*) FROM grant_decision"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM grant_decision_amount"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM decision_letter"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM mail_outbox"), mails);
    EXPECT_EQ(cell(2019, risk()).committed(), 0);

    // More than the whole 2019 frame: refused the same way.
    auto too_much = decisions().decide(decision_maker(), grant(app, 1'000'001 * KR));
    ASSERT_FALSE(too_much);
    EXPECT_EQ(too_much.error().message, message::OVERDRAWN);
    // Exactly what is available is fine.
    EXPECT_TRUE(decisions().decide(decision_maker(), grant(app, 1'000'000 * KR)));
    EXPECT_EQ(cell(2019, risk()).available(), 0);
}

TEST_P(DecisionsServiceTest, AConditionalDecisionReservesInsteadOfCommitting) {
    Id app = ranked("Offentlig sektor-ph.d.", true);
    DecisionInput input;
    input.application_id = app;
    input.outcome = Outcome::Conditional;
    input.amounts = {{2019, w().funds->research, 300'000 * KR}};
    input.conditions = "Gjelder bare hvis Forskningsrådet innvilger prosjektet.";
    auto id = decisions().decide(decision_maker(), input);
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_EQ(cell(2019, w().funds->research).reserved(), 300'000 * KR);
    EXPECT_EQ(cell(2019, w().funds->research).committed(), 0);
    EXPECT_EQ(cell(2019, w().funds->research).available(), 700'000 * KR);

    // Risk capital is never conditional.
    Id other = ranked("Lesevenn");
    DecisionInput on_risk = grant(other, 100'000 * KR);
    on_risk.outcome = Outcome::Conditional;
    auto refused = decisions().decide(decision_maker(), on_risk);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(has_field(refused.error(), "outcome"));
    EXPECT_EQ(cell(2019, risk()).reserved(), 0);
}

// The external funder answers a conditional decision: granted turns each
// reservation into a commitment, refused releases it; either once, and only
// by the fund's managers, in the decision's own call.
TEST_P(DecisionsServiceTest, TheExternalAnswerCommitsOrReleasesTheReservationOnce) {
    const Id research = w().funds->research;
    auto conditional = [&](const std::string& title, Ore amount) {
        DecisionInput input;
        input.application_id = ranked(title, true);
        input.outcome = Outcome::Conditional;
        input.amounts = {{2019, research, amount}};
        input.conditions = "Gjelder bare hvis Forskningsrådet innvilger prosjektet.";
        auto id = decisions().decide(decision_maker(), input);
        EXPECT_TRUE(id) << id.error().message;
        return *id;
    };
    const Id yes = conditional("Offentlig sektor-ph.d.", 300'000 * KR);
    const Id no = conditional("Forskerlinje", 200'000 * KR);
    const Id call = w().research_call;
    EXPECT_EQ(cell(2019, research).reserved(), 500'000 * KR);

    // Only the fund's managers, and only through the decision's own call.
    auto by_maker = decisions().record_external_answer(decision_maker(), call, yes, true, "");
    ASSERT_FALSE(by_maker);
    EXPECT_EQ(by_maker.error().kind, ErrorKind::Forbidden);
    auto wrong_call = decisions().record_external_answer(manager(), w().risk_call, yes, true, "");
    ASSERT_FALSE(wrong_call);
    EXPECT_EQ(wrong_call.error().kind, ErrorKind::NotFound);
    EXPECT_EQ(cell(2019, research).reserved(), 500'000 * KR);

    ASSERT_TRUE(
        decisions().record_external_answer(manager(), call, yes, true, "Innvilget 3. mai."));
    EXPECT_EQ(cell(2019, research).reserved(), 200'000 * KR);
    EXPECT_EQ(cell(2019, research).committed(), 300'000 * KR);
    ASSERT_TRUE(decisions().record_external_answer(manager(), call, no, false, ""));
    EXPECT_EQ(cell(2019, research).reserved(), 0);
    EXPECT_EQ(cell(2019, research).committed(), 300'000 * KR);
    EXPECT_EQ(cell(2019, research).available(), 700'000 * KR);

    // Once: a second answer, either way, changes nothing.
    auto again = decisions().record_external_answer(manager(), call, no, true, "");
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(again.error().message, message::ALREADY_ANSWERED);
    EXPECT_EQ(cell(2019, research).committed(), 300'000 * KR);
    EXPECT_EQ(count("SELECT count(*) FROM external_answer"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM external_answer_entry WHERE commit_entry_id IS NULL"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM audit_log WHERE action = 'decision.external_answer'"), 2);
    auto shown = decisions().decision(manager(), yes);
    ASSERT_TRUE(shown);
    EXPECT_EQ(shown->decision.external_granted, std::optional<bool>(true));

    // A decision that is not conditional has no external answer.
    Id plain = ranked("Lesevenn");
    auto granted = decisions().decide(decision_maker(), grant(plain, 100'000 * KR));
    ASSERT_TRUE(granted);
    auto not_conditional =
        decisions().record_external_answer(manager(), w().risk_call, *granted, false, "");
    ASSERT_FALSE(not_conditional);
    EXPECT_EQ(not_conditional.error().message, message::NOT_CONDITIONAL);
    EXPECT_EQ(cell(2019, risk()).committed(), 100'000 * KR);
}

TEST_P(DecisionsServiceTest, RejectionsAndPartialGrantsNeedReasons) {
    Id app = ranked("Lesevenn");
    DecisionInput rejection;
    rejection.application_id = app;
    rejection.outcome = Outcome::Rejected;
    rejection.reasons = "  ";
    auto refused = decisions().decide(decision_maker(), rejection);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::Invalid);
    EXPECT_TRUE(has_field(refused.error(), "reasons"));

    auto partial = grant(app, 100'000 * KR);
    partial.outcome = Outcome::PartlyGranted;
    refused = decisions().decide(decision_maker(), partial);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(has_field(refused.error(), "reasons"));
    EXPECT_EQ(count("SELECT count(*) FROM grant_decision"), 0);

    // A rejection grants no money.
    rejection.reasons = "Prosjektet er for likt et som allerede er finansiert.";
    rejection.amounts = {{2019, risk(), 100'000 * KR}};
    refused = decisions().decide(decision_maker(), rejection);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(has_field(refused.error(), amount_field(2019, risk())));

    rejection.amounts.clear();
    auto id = decisions().decide(decision_maker(), rejection);
    ASSERT_TRUE(id) << id.error().message;
    EXPECT_EQ(cell(2019, risk()).committed(), 0);
    auto view = decisions().decision(decision_maker(), *id);
    ASSERT_TRUE(view && view->letter);
    EXPECT_NE(view->letter->html.find("Prosjektet er for likt"), std::string::npos);
}

TEST_P(DecisionsServiceTest, NegativeZeroAndNonIntegerAmountsAreRefused) {
    Id app = ranked("Lesevenn");
    for (Ore bad : {Ore{-100'000 * KR}, Ore{0}, Ore{100'000 * KR + 50}}) {
        auto refused = decisions().decide(decision_maker(), grant(app, bad));
        ASSERT_FALSE(refused) << bad;
        EXPECT_EQ(refused.error().kind, ErrorKind::Invalid);
        EXPECT_TRUE(has_field(refused.error(), amount_field(2019, risk()))) << bad;
    }
    auto no_amount = grant(app, 1);
    no_amount.amounts.clear();
    auto refused = decisions().decide(decision_maker(), no_amount);
    ASSERT_FALSE(refused);
    EXPECT_TRUE(has_field(refused.error(), "amount"));
    auto outside = decisions().decide(decision_maker(), grant(app, 100'000 * KR, 2031));
    ASSERT_FALSE(outside);
    EXPECT_TRUE(has_field(outside.error(), amount_field(2031, risk())));
    EXPECT_EQ(count("SELECT count(*) FROM grant_decision"), 0);
}

TEST_P(DecisionsServiceTest, WithdrawnAndUnrankedApplicationsAreRefused) {
    Id unreviewed = submitted("Ikke vurdert");
    auto refused = decisions().decide(decision_maker(), grant(unreviewed, 100'000 * KR));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(refused.error().message, message::NOT_RANKED);

    Id ineligible = ranked("Ikke kvalifisert");
    ASSERT_TRUE(m_review->screen(manager(), ineligible, false, "Ikke en tjenesteenhet."));
    refused = decisions().decide(decision_maker(), grant(ineligible, 100'000 * KR));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message, message::NOT_RANKED);

    Id withdrawn = ranked("Trukket");
    ASSERT_TRUE(w().applications->withdraw(w().as(w().applicant), withdrawn, "Vi trekker den."));
    refused = decisions().decide(decision_maker(), grant(withdrawn, 100'000 * KR));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::Conflict);
    EXPECT_EQ(refused.error().message, message::WITHDRAWN);
    EXPECT_EQ(cell(2019, risk()).committed(), 0);
    EXPECT_EQ(count("SELECT count(*) FROM grant_decision"), 0);
}

// The ranking ranks a reviewed application nobody has screened, and so may
// a scenario fund it: deciding it must then be allowed too.
TEST_P(DecisionsServiceTest, AnUnscreenedReviewedApplicationIsRankedAndCanBeDecided) {
    Id unscreened = ranked("Uten screening", false, false);
    auto decided = decisions().decide(decision_maker(), grant(unscreened, 100'000 * KR));
    ASSERT_TRUE(decided) << decided.error().message;
    EXPECT_EQ(cell(2019, risk()).committed(), 100'000 * KR);
}

TEST_P(DecisionsServiceTest, OnlyDecisionMakersDecideAndOtherTenantsSeeNothing) {
    Id app = ranked("Lesevenn");
    auto by_manager = decisions().decide(manager(), grant(app, 100'000 * KR));
    ASSERT_FALSE(by_manager);
    EXPECT_EQ(by_manager.error().kind, ErrorKind::Forbidden);
    auto& f = *w().funds;
    auto asker_maker = f.user(f.asker, "vedtak@asker.example", Role::DecisionMaker);
    auto by_asker = decisions().decide(w().as(asker_maker), grant(app, 100'000 * KR));
    ASSERT_FALSE(by_asker);
    EXPECT_EQ(by_asker.error().kind, ErrorKind::NotFound);

    auto id = decisions().decide(decision_maker(), grant(app, 100'000 * KR));
    ASSERT_TRUE(id);
    EXPECT_TRUE(decisions().decision(manager(), *id));
    EXPECT_TRUE(decisions().decision(w().as(f.auditor), *id));
    auto by_applicant = decisions().decision(w().as(w().applicant), *id);
    ASSERT_FALSE(by_applicant);
    EXPECT_EQ(by_applicant.error().kind, ErrorKind::Forbidden);
    EXPECT_EQ(decisions().decision(w().as(asker_maker), *id).error().kind, ErrorKind::NotFound);
    // The applicant reads it through the application page.
    auto own = decisions().decision_for_application(app);
    ASSERT_TRUE(own && own->letter);
}

TEST_P(DecisionsServiceTest, TheLetterAsSentCanNeverBeChanged) {
    Id app = ranked("Lesevenn");
    auto id = decisions().decide(decision_maker(), grant(app, 100'000 * KR));
    ASSERT_TRUE(id);
    const std::string key = std::to_string(*id);
    EXPECT_ANY_THROW(db()->transact([&](soci::session& sql) {
        sql << "UPDATE decision_letter SET html = 'endret' WHERE decision_id = " + key;
    }));
    EXPECT_ANY_THROW(db()->transact([&](soci::session& sql) {
        sql << "DELETE FROM decision_letter WHERE decision_id = " + key;
    }));
    auto view = decisions().decision(decision_maker(), *id);
    ASSERT_TRUE(view && view->letter);
    EXPECT_NE(view->letter->html, "endret");
    EXPECT_EQ(view->letter->sha256, sha256_hex(view->letter->html));
}

TEST_P(DecisionsServiceTest, ARecommendationIsApprovedAsItIs) {
    Id first = ranked("Lesevenn");
    Id second = ranked("Digitale skjema");
    std::vector<Proposal> proposals = {
        {first, Outcome::Granted, {{2019, risk(), 400'000 * KR}}, "Høy kvalitet.", ""},
        {second, Outcome::Rejected, {}, "Lavere rangert; budsjettet rekker ikke.", ""}};
    auto missing = proposals;
    missing[1].justification = " ";
    auto refused = decisions().create_recommendation(manager(), w().risk_call, missing, "");
    ASSERT_FALSE(refused);
    EXPECT_TRUE(
        has_field(refused.error(), "proposal." + std::to_string(second) + ".justification"));
    EXPECT_EQ(decisions()
                  .create_recommendation(decision_maker(), w().risk_call, proposals, "")
                  .error()
                  .kind,
              ErrorKind::Forbidden);

    auto id = decisions().create_recommendation(manager(), w().risk_call, proposals, "for hånd");
    ASSERT_TRUE(id) << id.error().message;
    // Not before it is submitted.
    EXPECT_EQ(decisions().approve_recommendation(decision_maker(), *id).error().kind,
              ErrorKind::Conflict);
    ASSERT_TRUE(decisions().submit_recommendation(manager(), *id));
    auto waiting = decisions().waiting(decision_maker());
    ASSERT_TRUE(waiting);
    ASSERT_EQ(waiting->size(), 1u);

    auto approved = decisions().approve_recommendation(decision_maker(), *id);
    ASSERT_TRUE(approved) << approved.error().message;
    EXPECT_EQ(approved->size(), 2u);
    EXPECT_EQ(cell(2019, risk()).committed(), 400'000 * KR);
    auto view = decisions().recommendation(decision_maker(), *id);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->recommendation.status, RecommendationStatus::Approved);
    EXPECT_EQ(decisions().waiting(decision_maker())->size(), 0u);
}

TEST_P(DecisionsServiceTest, AdjustingOneDecisionMarksTheRecommendationChanged) {
    Id first = ranked("Lesevenn");
    Id second = ranked("Digitale skjema");
    std::vector<Proposal> proposals = {
        {first, Outcome::Granted, {{2019, risk(), 400'000 * KR}}, "Høy kvalitet.", ""},
        {second, Outcome::Granted, {{2019, risk(), 300'000 * KR}}, "God kvalitet.", ""}};
    auto id = decisions().create_recommendation(manager(), w().risk_call, proposals, "");
    ASSERT_TRUE(id);
    ASSERT_TRUE(decisions().submit_recommendation(manager(), *id));

    auto adjusted = grant(second, 200'000 * KR);
    adjusted.outcome = Outcome::PartlyGranted;
    adjusted.reasons = "Budsjettet for drift er satt ned.";
    adjusted.recommendation_id = *id;
    ASSERT_TRUE(decisions().decide(decision_maker(), adjusted));
    ASSERT_TRUE(decisions().approve_recommendation(decision_maker(), *id));
    EXPECT_EQ(cell(2019, risk()).committed(), 600'000 * KR);
    EXPECT_EQ(decisions().recommendation(decision_maker(), *id)->recommendation.status,
              RecommendationStatus::Adjusted);
}

TEST_P(DecisionsServiceTest, ARejectedRecommendationNeedsANoteAndDecidesNothing) {
    Id first = ranked("Lesevenn");
    auto id = decisions().create_recommendation(
        manager(), w().risk_call,
        {{first, Outcome::Granted, {{2019, risk(), 400'000 * KR}}, "Høy kvalitet.", ""}}, "");
    ASSERT_TRUE(id);
    ASSERT_TRUE(decisions().submit_recommendation(manager(), *id));
    auto no_note = decisions().reject_recommendation(decision_maker(), *id, " ");
    ASSERT_FALSE(no_note);
    EXPECT_TRUE(has_field(no_note.error(), "note"));
    ASSERT_TRUE(decisions().reject_recommendation(decision_maker(), *id, "Vurder tema på nytt."));
    EXPECT_EQ(decisions().recommendation(manager(), *id)->recommendation.status,
              RecommendationStatus::Rejected);
    EXPECT_EQ(count("SELECT count(*) FROM grant_decision"), 0);
    EXPECT_EQ(decisions().approve_recommendation(decision_maker(), *id).error().kind,
              ErrorKind::Conflict);
}

TEST_P(DecisionsServiceTest, TheDecisionMailWithTheLetterReachesTheSmtpServer) {
    Id app = ranked("Lesevenn");
    auto id = decisions().decide(decision_maker(), grant(app, 250'000 * KR));
    ASSERT_TRUE(id);
    std::string pattern = (std::filesystem::temp_directory_path() / "spire-mail-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_directory = pattern;
    auto sink = spire::test::SmtpSink::start(spire::test::free_loopback_port(), m_directory);
    mail::SmtpConfig smtp;
    smtp.url = sink->url();
    smtp.sender = {"noreply@baerum.example", "Bærum kommune"};
    mail::WorkerConfig config;
    config.now = [clock = m_world->clock] { return *clock; };
    mail::Worker worker(db(), mail::SmtpSender(smtp), config);
    worker.deliver_due();

    auto view = decisions().decision(decision_maker(), *id);
    ASSERT_TRUE(view && view->letter);
    const std::string reference = view->decision.application_reference;
    bool found = false;
    for (const auto& mail : sink->received()) {
        if (mail.subject.find(reference) == std::string::npos ||
            mail.subject.find("Vedtak") == std::string::npos)
            continue;
        found = true;
        EXPECT_EQ(mail.to, w().applicant.email);
        EXPECT_TRUE(mail.defects.empty());
        EXPECT_NE(mail.text.find("250\u00a0000\u00a0kr"), std::string::npos) << mail.text;
        ASSERT_TRUE(mail.html);
        // The HTML part carries the stored letter itself.
        EXPECT_NE(mail.html->find(view->letter->html.substr(0, 200)), std::string::npos);
    }
    EXPECT_TRUE(found);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, DecisionsServiceTest,
                         ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
