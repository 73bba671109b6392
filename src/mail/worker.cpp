#include "mail/worker.hpp"

#include "db/database.hpp"
#include "mail/store.hpp"

#include <exception>
#include <string>

namespace spire::mail {

Worker::Worker(std::shared_ptr<db::Database> database, SmtpSender sender, WorkerConfig config)
    : m_database(std::move(database)), m_sender(std::move(sender)), m_config(std::move(config)) {}

Worker::~Worker() {
    stop();
}

std::chrono::milliseconds Worker::lease() const {
    const auto& smtp = m_sender.config();
    return smtp.connect_timeout + smtp.timeout + std::chrono::minutes(1);
}

int Worker::deliver_due() {
    const auto engine = m_database->engine();
    int sent = 0;
    while (!stopping()) {
        const TimePoint now = m_config.now();
        auto claimed = m_database->transact([&](soci::session& sql) {
            return store::claim_next_due(sql, engine, to_db_time(now), to_db_time(now + lease()));
        });
        if (!claimed)
            break;
        auto result = m_sender.send(*claimed, now);
        const TimePoint done = m_config.now();
        if (result) {
            m_database->transact(
                [&](soci::session& sql) { store::mark_sent(sql, claimed->id, to_db_time(done)); });
            log("mail: sent message " + std::to_string(claimed->id) + " (" + claimed->kind + ")");
            ++sent;
            continue;
        }
        const int attempts = claimed->attempts + 1;
        const TimePoint retry_at = done + retry_delay(attempts);
        m_database->transact([&](soci::session& sql) {
            store::mark_failed(sql, claimed->id, result.error().detail, to_db_time(retry_at));
        });
        log("mail: message " + std::to_string(claimed->id) + " not sent (attempt " +
            std::to_string(attempts) + ", next at " + to_db_time(retry_at) +
            "): " + result.error().detail);
        break;
    }
    return sent;
}

void Worker::start() {
    std::lock_guard lock(m_mutex);
    if (m_thread.joinable())
        return;
    m_stopping = false;
    m_thread = std::thread([this] { run(); });
}

void Worker::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
}

bool Worker::stopping() {
    std::lock_guard lock(m_mutex);
    return m_stopping;
}

void Worker::run() {
    while (!stopping()) {
        try {
            deliver_due();
        } catch (const std::exception& e) {
            // The database is away (restart, network): the outbox is still
            // there when it returns, so log and try again next round.
            log(std::string("mail: outbox unavailable: ") + e.what());
        }
        std::unique_lock lock(m_mutex);
        m_wake.wait_for(lock, m_config.poll_interval, [this] { return m_stopping; });
    }
    log("mail: worker stopped");
}

void Worker::log(std::string_view line) const {
    if (m_config.log)
        m_config.log(line);
}

} // namespace spire::mail
