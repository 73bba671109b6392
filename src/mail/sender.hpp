#pragma once

// Sends one queued message over SMTP with libcurl (DESIGN.md §3): the
// envelope (MAIL FROM, RCPT TO), our headers (mail/model.hpp
// message_headers) and a MIME body that curl builds and encodes itself
// (quoted-printable UTF-8 text, and an HTML alternative when there is one).
// One connection per message: mail is rare (a few per submission), and a
// fresh connection needs no keep-alive or reconnect logic.

#include "core/error.hpp"
#include "mail/model.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace spire::mail {

struct SmtpConfig {
    // smtp://host[:port] (plain, or STARTTLS with require_starttls) or
    // smtps://host[:port] (TLS from the start). Credentials, if the server
    // wants them, go in the URL: smtp://user:password@host:587.
    std::string url;
    Sender sender;
    // Refuse to send unless the server upgrades the connection with
    // STARTTLS (CURLUSESSL_ALL): for smtp:// servers beyond loopback.
    bool require_starttls = false;
    std::chrono::milliseconds connect_timeout{10'000};
    // The whole conversation, so a server that stalls cannot hold the
    // worker (and the message's lease) for long.
    std::chrono::milliseconds timeout{60'000};
};

// Invalid (with a message naming the flag's problem) unless url is
// smtp:// or smtps:// with a host.
Result<void> check_smtp_url(std::string_view url);

class SmtpSender {
public:
    explicit SmtpSender(SmtpConfig config);

    const SmtpConfig& config() const { return m_config; }

    // Unavailable when the message could not be handed over (server down,
    // refused, timed out); its detail is curl's error and the server's
    // reply, for last_error and the log.
    Result<void> send(const QueuedMail& mail, TimePoint now) const;

private:
    SmtpConfig m_config;
};

} // namespace spire::mail
