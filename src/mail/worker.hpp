#pragma once

// The background worker of `spire serve` that empties the e-mail outbox:
// every poll interval it claims the due messages one by one (mail/store.hpp),
// sends each with SmtpSender, and marks it sent, or failed with the back-off
// of mail/model.hpp retry_delay. A failure ends the round: the server is
// most likely down, and the other messages would only wait for the same
// timeout; they are tried in the next round, the failed one after its
// back-off. Nothing is ever dropped.
//
// Any number of `spire serve` processes may run a worker on one database:
// claiming leases a message to one of them (mail/store.hpp).

#include "core/time.hpp"
#include "mail/sender.hpp"

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>

namespace spire::db {
class Database;
}

namespace spire::mail {

struct WorkerConfig {
    std::chrono::milliseconds poll_interval{5'000};
    // The server's clock (tests move it past a back-off).
    std::function<TimePoint()> now = [] { return Clock::now(); };
    // One line per event (sent, failed, stopped); may be empty.
    std::function<void(std::string_view)> log;
};

class Worker {
public:
    Worker(std::shared_ptr<db::Database> database, SmtpSender sender, WorkerConfig config = {});
    // Stops the thread if it runs.
    ~Worker();
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    // Sends the messages due now, one at a time, until none is due, one
    // fails, or stop() is called; returns how many were sent. The thread
    // calls this every poll interval; tests call it directly.
    int deliver_due();

    // Runs deliver_due every poll interval on a thread of its own.
    void start();
    // Ends the thread: at once when it waits, else after the message being
    // sent (bounded by the SMTP timeout). The message is marked as usual.
    void stop();

    // A claimed message belongs to its worker this long: longer than one
    // send may take, so a live worker's lease never runs out mid-send.
    std::chrono::milliseconds lease() const;

private:
    void run();
    bool stopping();
    void log(std::string_view line) const;

    std::shared_ptr<db::Database> m_database;
    SmtpSender m_sender;
    WorkerConfig m_config;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    std::thread m_thread;
};

} // namespace spire::mail
