#pragma once

// A real SMTP server on loopback for the mail tests: Debian's aiosmtpd
// (python3-aiosmtpd) run as a child process with tests/support/smtp_sink.py,
// which stores every message it accepts as JSON decoded by Python's email
// package. Stopping and starting it again on the same port plays "the SMTP
// server is down".

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace spire::test {

struct ReceivedMail {
    std::string mail_from;
    std::vector<std::string> rcpt_tos;
    std::string from, to, subject, date, message_id;
    std::string text;                 // "\r\n" turned into "\n"
    std::optional<std::string> html;  // when there was an HTML part
    std::vector<std::string> defects; // what Python's parser found wrong
};

// A loopback port nobody listens on right now.
std::uint16_t free_loopback_port();

class SmtpSink {
public:
    // Starts the server on 127.0.0.1:port and waits until it accepts
    // connections. Throws std::runtime_error if it does not come up.
    static std::unique_ptr<SmtpSink> start(std::uint16_t port, std::filesystem::path directory);
    // Stops the server (its messages stay on disk).
    ~SmtpSink();
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    std::uint16_t port() const { return m_port; }
    std::string url() const { return "smtp://127.0.0.1:" + std::to_string(m_port); }

    // Every message received into the directory so far, oldest first
    // (also those received by an earlier server on the same directory).
    static std::vector<ReceivedMail> received(const std::filesystem::path& directory);
    std::vector<ReceivedMail> received() const { return received(m_directory); }

private:
    SmtpSink(std::uint16_t port, std::filesystem::path directory, pid_t pid)
        : m_port(port), m_directory(std::move(directory)), m_pid(pid) {}
    void stop() noexcept;

    std::uint16_t m_port;
    std::filesystem::path m_directory;
    pid_t m_pid;
};

} // namespace spire::test
