// E-mail notifications on both engines (issue 7, item 5), delivered to a
// real SMTP server on loopback (aiosmtpd, tests/support/smtp_sink.hpp) and
// checked as Python's email package decodes them: the submission's mails
// are queued in its transaction and delivered by the worker; with the
// server down a message waits with its attempts counted and a back-off, and
// is delivered exactly once when the server is back; two workers never send
// one message twice.

#include "applications/service.hpp"
#include "db/database.hpp"
#include "mail/store.hpp"
#include "mail/worker.hpp"
#include "support/app_paths.hpp"
#include "support/applications_world.hpp"
#include "support/smtp_sink.hpp"
#include "support/test_db.hpp"
#include "web/i18n.hpp"

#include <atomic>
#include <gtest/gtest.h>
#include <set>
#include <thread>
#include <unistd.h>

namespace {

using namespace spire;
using namespace spire::applications;
using spire::test::ApplicationsWorld;
using spire::test::SmtpSink;

constexpr Ore KR = 100;
constexpr const char* FROM = "noreply@baerum.example";

class MailTest : public spire::test::MigratedDatabaseTest {
protected:
    void SetUp() override {
        MigratedDatabaseTest::SetUp();
        if (IsSkipped() || HasFatalFailure())
            return;
        try {
            m_world = ApplicationsWorld::create(test_database().url(), 4);
            // The server's Norwegian texts, as app/application.cpp sets them.
            auto translator = web::Translator::load(spire::test::locale_dir());
            ApplicationsOptions options;
            options.now = [clock = m_world->clock] { return *clock; };
            options.translate_mail = [translator](std::string_view msgid) {
                return translator.translate("nb", msgid);
            };
            m_service = std::make_unique<ApplicationsService>(database(), options);
        } catch (const std::exception& e) {
            FAIL() << e.what();
        }
        std::string pattern =
            (std::filesystem::temp_directory_path() / "spire-mail-XXXXXX").string();
        ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
        m_directory = pattern;
    }
    void TearDown() override {
        m_service.reset();
        m_world.reset();
        if (!m_directory.empty())
            std::filesystem::remove_all(m_directory);
        MigratedDatabaseTest::TearDown();
    }

    ApplicationsWorld& w() { return *m_world; }
    std::shared_ptr<db::Database> database() { return m_world->funds->database; }
    identity::Actor applicant() { return w().as(w().applicant); }
    identity::Actor leader() { return w().as(w().leader); }

    // A complete draft of the risk-capital call (endorsement required).
    Id complete_draft(const std::string& title) {
        auto id = m_service->create(applicant(), w().risk_call, w().school, title);
        EXPECT_TRUE(id) << (id ? "" : id.error().message);
        DetailsInput input;
        input.title = title;
        input.summary = "Søknaden gjelder leseopplæring for de yngste barna.";
        input.themes = {"Tidlig innsats"};
        input.start_year = 2027;
        input.duration_years = 2;
        Answer text;
        text.field_id = w().text_field;
        text.text = "Bedre leseferdigheter.";
        Answer number;
        number.field_id = w().number_field;
        number.number = "120";
        Answer choice;
        choice.field_id = w().choice_field;
        choice.option_id = w().choice_a;
        input.answers = {text, number, choice};
        EXPECT_TRUE(m_service->save_details(applicant(), *id, input));
        EXPECT_TRUE(m_service->save_budget(
            applicant(), *id,
            {{2027, CostType::Personnel, 300'000 * KR}, {2028, CostType::Other, 100'000 * KR}}));
        EXPECT_TRUE(m_service->save_financing(applicant(), *id,
                                              {{FinancingSource::Fund, "", 300'000 * KR, 0, 0},
                                               {FinancingSource::OwnUnit, "", 0, 200, 500 * KR}}));
        return id.value_or(0);
    }

    // Submitted and endorsed: one request to the leader, one receipt.
    Application submitted_and_endorsed(const std::string& title) {
        Id id = complete_draft(title);
        auto status = m_service->submit(applicant(), id);
        EXPECT_TRUE(status) << (status ? "" : status.error().message);
        auto endorsed = m_service->endorse(leader(), id);
        EXPECT_TRUE(endorsed) << (endorsed ? "" : endorsed.error().message);
        return m_service->get(applicant(), id).value_or(Application{});
    }

    std::vector<mail::QueuedMail> outbox() {
        return database()->read([&](soci::session& sql) {
            auto newest_first = mail::store::list_for_organisation(sql, w().funds->baerum, 100);
            return std::vector<mail::QueuedMail>(newest_first.rbegin(), newest_first.rend());
        });
    }

    long long unsent() {
        return database()->read([](soci::session& sql) { return mail::store::count_unsent(sql); });
    }

    // A worker on `port` whose clock is the world's clock.
    std::unique_ptr<mail::Worker> worker(std::uint16_t port) {
        mail::SmtpConfig smtp;
        smtp.url = "smtp://127.0.0.1:" + std::to_string(port);
        smtp.sender = {FROM, "Bærum kommune"};
        smtp.connect_timeout = std::chrono::seconds(5);
        smtp.timeout = std::chrono::seconds(30);
        mail::WorkerConfig config;
        config.now = [clock = m_world->clock] { return *clock; };
        config.poll_interval = std::chrono::milliseconds(20);
        return std::make_unique<mail::Worker>(database(), mail::SmtpSender(smtp), config);
    }

    std::unique_ptr<SmtpSink> start_sink(std::uint16_t port) {
        try {
            return SmtpSink::start(port, m_directory);
        } catch (const std::exception& e) {
            ADD_FAILURE() << e.what();
            return nullptr;
        }
    }

    void advance(std::chrono::seconds by) { *m_world->clock += by; }

    std::unique_ptr<ApplicationsWorld> m_world;
    std::unique_ptr<ApplicationsService> m_service;
    std::filesystem::path m_directory;
};

TEST_P(MailTest, SubmissionQueuesAnEndorsementRequestAndEndorsementAReceipt) {
    Id id = complete_draft("Tidlig innsats i skolen");
    ASSERT_TRUE(m_service->submit(applicant(), id));
    auto queued = outbox();
    ASSERT_EQ(queued.size(), 1u);
    EXPECT_EQ(queued[0].kind, "endorsement_request");
    EXPECT_EQ(queued[0].recipient, w().leader.email);
    EXPECT_EQ(queued[0].attempts, 0);
    EXPECT_FALSE(queued[0].sent_at);
    // A repeated submit queues nothing more.
    ASSERT_TRUE(m_service->submit(applicant(), id));
    EXPECT_EQ(outbox().size(), 1u);

    ASSERT_TRUE(m_service->endorse(leader(), id));
    ASSERT_TRUE(m_service->endorse(leader(), id)); // a repeated click
    queued = outbox();
    ASSERT_EQ(queued.size(), 2u);
    EXPECT_EQ(queued[1].kind, "application_receipt");
    EXPECT_EQ(queued[1].recipient, w().applicant.email);
    EXPECT_NE(queued[0].message_token, queued[1].message_token);
}

TEST_P(MailTest, EveryLeaderOfTheUnitIsAskedAndOthersAreNot) {
    auto second = w().unit_user(w().funds->baerum, "leder2@baerum.example",
                                identity::Role::UnitLeader, w().school);
    w().unit_user(w().funds->baerum, "leder3@baerum.example", identity::Role::UnitLeader,
                  w().nursing_home);
    // identity takes this address; SMTP cannot carry it as it is. Its owner
    // gets no mail, and the submission still succeeds.
    w().unit_user(w().funds->baerum, "leder(4)@baerum.example", identity::Role::UnitLeader,
                  w().school);
    Id id = complete_draft("Tidlig innsats i skolen");
    ASSERT_TRUE(m_service->submit(applicant(), id));
    std::set<std::string> recipients;
    for (const auto& mail : outbox()) {
        EXPECT_EQ(mail.kind, "endorsement_request");
        recipients.insert(mail.recipient);
    }
    EXPECT_EQ(recipients, (std::set<std::string>{w().leader.email, second.email}));
}

TEST_P(MailTest, TheWorkerDeliversNorwegianUtf8MailToTheSmtpServer) {
    auto application = submitted_and_endorsed("Tidlig innsats – læring på tvers");
    ASSERT_EQ(unsent(), 2);
    auto sink = start_sink(spire::test::free_loopback_port());
    ASSERT_TRUE(sink);

    EXPECT_EQ(worker(sink->port())->deliver_due(), 2);
    EXPECT_EQ(unsent(), 0);
    for (const auto& sent : outbox()) {
        EXPECT_TRUE(sent.sent_at) << sent.id;
        EXPECT_EQ(sent.attempts, 0);
    }

    auto received = sink->received();
    ASSERT_EQ(received.size(), 2u);
    const auto& request = received[0];
    EXPECT_EQ(request.mail_from, FROM);
    EXPECT_EQ(request.rcpt_tos, std::vector<std::string>{w().leader.email});
    EXPECT_EQ(request.to, w().leader.email);
    EXPECT_EQ(request.from, "Bærum kommune <noreply@baerum.example>");
    EXPECT_EQ(request.subject, "Søknad " + application.reference + " venter på din forankring");
    EXPECT_NE(request.text.find("«Tidlig innsats – læring på tvers»"), std::string::npos)
        << request.text;
    EXPECT_NE(request.text.find("Levern skole"), std::string::npos) << request.text;
    EXPECT_FALSE(request.html);
    EXPECT_TRUE(request.defects.empty());
    EXPECT_TRUE(request.message_id.ends_with("@baerum.example>")) << request.message_id;
    EXPECT_FALSE(request.date.empty());

    const auto& receipt = received[1];
    EXPECT_EQ(receipt.rcpt_tos, std::vector<std::string>{w().applicant.email});
    EXPECT_EQ(receipt.subject, "Søknad " + application.reference + " er mottatt");
    EXPECT_TRUE(receipt.text.starts_with("Hei " + w().applicant.name + ",\n\n")) << receipt.text;
    EXPECT_NE(receipt.text.find("Vi har mottatt søknaden din " + application.reference),
              std::string::npos)
        << receipt.text;
    EXPECT_TRUE(receipt.defects.empty());
    EXPECT_NE(request.message_id, receipt.message_id);

    // Nothing is sent twice.
    EXPECT_EQ(worker(sink->port())->deliver_due(), 0);
    EXPECT_EQ(sink->received().size(), 2u);
}

TEST_P(MailTest, WithTheServerDownMailWaitsWithBackoffAndIsDeliveredOnceWhenItIsBack) {
    const std::uint16_t port = spire::test::free_loopback_port();
    auto mailer = worker(port); // nothing listens there yet
    submitted_and_endorsed("Tidlig innsats i skolen");
    const TimePoint first_try = *w().clock;

    // The first message fails; the round ends there.
    EXPECT_EQ(mailer->deliver_due(), 0);
    auto queued = outbox();
    ASSERT_EQ(queued.size(), 2u);
    EXPECT_EQ(queued[0].attempts, 1);
    EXPECT_EQ(queued[0].next_attempt_at, to_db_time(first_try + std::chrono::seconds(60)));
    EXPECT_FALSE(queued[0].sent_at);
    ASSERT_TRUE(queued[0].last_error);
    EXPECT_FALSE(queued[0].last_error->empty());
    EXPECT_EQ(queued[1].attempts, 0);

    // Next round: the first is not due yet; the second fails in its turn.
    EXPECT_EQ(mailer->deliver_due(), 0);
    queued = outbox();
    EXPECT_EQ(queued[0].attempts, 1);
    EXPECT_EQ(queued[1].attempts, 1);

    // A minute later the first fails again and waits twice as long.
    advance(std::chrono::seconds(60));
    EXPECT_EQ(mailer->deliver_due(), 0);
    queued = outbox();
    EXPECT_EQ(queued[0].attempts, 2);
    EXPECT_EQ(queued[0].next_attempt_at, to_db_time(*w().clock + std::chrono::seconds(120)));
    EXPECT_EQ(unsent(), 2);

    // The server comes back: the second message's back-off has passed, the
    // first one's has not.
    auto sink = start_sink(port);
    ASSERT_TRUE(sink);
    EXPECT_EQ(mailer->deliver_due(), 1);
    EXPECT_EQ(sink->received().size(), 1u);
    EXPECT_EQ(unsent(), 1);
    advance(std::chrono::seconds(120));
    EXPECT_EQ(mailer->deliver_due(), 1);
    EXPECT_EQ(unsent(), 0);
    advance(std::chrono::hours(24));
    EXPECT_EQ(mailer->deliver_due(), 0);

    auto received = sink->received();
    ASSERT_EQ(received.size(), 2u);
    std::multiset<std::string> recipients;
    for (const auto& mail : received)
        recipients.insert(mail.rcpt_tos.at(0));
    EXPECT_EQ(recipients, (std::multiset<std::string>{w().applicant.email, w().leader.email}));
    for (const auto& sent : outbox())
        EXPECT_FALSE(sent.last_error) << sent.id;
}

TEST_P(MailTest, MailIsQueuedOnlyWhenTheUseCaseCommits) {
    mail::NewMail mail;
    mail.organisation_id = w().funds->baerum;
    mail.recipient = "a@baerum.example";
    mail.subject = "Rolled back";
    mail.body_text = "Never sent";
    auto result = database()->transact([&](soci::session& sql) -> Result<void> {
        mail::store::enqueue(sql, mail, to_db_time(*w().clock));
        return tl::unexpected(Error::conflict("the use case failed after queueing"));
    });
    ASSERT_FALSE(result);
    EXPECT_EQ(unsent(), 0);
    // An incomplete application is refused, and queues nothing.
    Id id = m_service->create(applicant(), w().risk_call, w().school, "Uferdig").value_or(0);
    ASSERT_FALSE(m_service->submit(applicant(), id));
    EXPECT_EQ(unsent(), 0);
}

TEST_P(MailTest, AnHtmlBodyTravelsAsAnAlternativeToTheText) {
    database()->transact([&](soci::session& sql) {
        mail::NewMail mail;
        mail.organisation_id = w().funds->baerum;
        mail.recipient = "leder@baerum.example";
        mail.subject = "Vedtak i sak SPIRE-2026-0001";
        mail.body_text = "Søknaden er innvilget.\n";
        mail.body_html = "<p>Søknaden er <strong>innvilget</strong>.</p>\n";
        mail::store::enqueue(sql, mail, to_db_time(*w().clock));
    });
    auto sink = start_sink(spire::test::free_loopback_port());
    ASSERT_TRUE(sink);
    EXPECT_EQ(worker(sink->port())->deliver_due(), 1);
    auto received = sink->received();
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].text, "Søknaden er innvilget.\n");
    ASSERT_TRUE(received[0].html);
    EXPECT_EQ(*received[0].html, "<p>Søknaden er <strong>innvilget</strong>.</p>\n");
    EXPECT_EQ(received[0].subject, "Vedtak i sak SPIRE-2026-0001");
}

TEST_P(MailTest, TwoWorkersNeverSendOneMessageTwice) {
    constexpr int COUNT = 12;
    database()->transact([&](soci::session& sql) {
        for (int i = 0; i < COUNT; ++i) {
            mail::NewMail mail;
            mail.organisation_id = w().funds->baerum;
            mail.recipient = "mottaker" + std::to_string(i) + "@baerum.example";
            mail.subject = "Melding " + std::to_string(i);
            mail.body_text = "Hei\n";
            mail::store::enqueue(sql, mail, to_db_time(*w().clock));
        }
    });
    auto sink = start_sink(spire::test::free_loopback_port());
    ASSERT_TRUE(sink);
    auto first = worker(sink->port());
    auto second = worker(sink->port());
    std::atomic<int> sent{0};
    std::thread a([&] { sent += first->deliver_due(); });
    std::thread b([&] { sent += second->deliver_due(); });
    a.join();
    b.join();
    EXPECT_EQ(sent.load(), COUNT);
    auto received = sink->received();
    ASSERT_EQ(received.size(), std::size_t(COUNT));
    std::set<std::string> recipients, ids;
    for (const auto& mail : received) {
        recipients.insert(mail.rcpt_tos.at(0));
        ids.insert(mail.message_id);
    }
    EXPECT_EQ(recipients.size(), std::size_t(COUNT));
    EXPECT_EQ(ids.size(), std::size_t(COUNT));
}

TEST_P(MailTest, TheWorkerThreadDeliversAndStopsCleanly) {
    submitted_and_endorsed("Tidlig innsats i skolen");
    auto sink = start_sink(spire::test::free_loopback_port());
    ASSERT_TRUE(sink);
    auto mailer = worker(sink->port());
    mailer->start();
    // Waiting for an outcome, not measuring time: the bound only keeps a
    // broken worker from hanging the suite.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (sink->received().size() < 2 && std::chrono::steady_clock::now() < give_up)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    mailer->stop();
    EXPECT_EQ(sink->received().size(), 2u);
    EXPECT_EQ(unsent(), 0);
}

INSTANTIATE_TEST_SUITE_P(BothEngines, MailTest, ::testing::ValuesIn(spire::test::ALL_ENGINES),
                         spire::test::engine_test_name);

} // namespace
