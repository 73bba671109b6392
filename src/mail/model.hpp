#pragma once

// E-mail notifications (issue 7, item 5): the queued message, the retry
// rule and the header texts of an RFC 5322 message. Pure: no I/O. The body
// and its MIME structure (quoted-printable text, optional HTML alternative)
// are built by libcurl's MIME API in mail/sender.cpp; only the headers curl
// does not make or encode are made here.

#include "core/time.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spire::mail {

using Id = long long;

enum class MailKind { ApplicationReceipt, EndorsementRequest, ReviewerAssignment, Decision };
inline constexpr MailKind ALL_MAIL_KINDS[] = {MailKind::ApplicationReceipt,
                                              MailKind::EndorsementRequest,
                                              MailKind::ReviewerAssignment, MailKind::Decision};

// "application_receipt", "endorsement_request", "reviewer_assignment",
// "decision": the stored form.
std::string_view mail_kind_key(MailKind kind);
std::optional<MailKind> parse_mail_kind(std::string_view key);

// Longer subjects are cut (at a character boundary): a subject carries a
// reference and a title, and this keeps the encoded header well inside
// RFC 5322's 998-character line limit.
inline constexpr std::size_t MAX_SUBJECT_BYTES = 250;

// A message as a use case hands it to the outbox.
struct NewMail {
    Id organisation_id = 0;
    MailKind kind = MailKind::ApplicationReceipt;
    std::string recipient; // one address
    std::string subject;   // UTF-8, one line
    std::string body_text; // UTF-8, lines separated by "\n"
    std::optional<std::string> body_html;
};

// A queued message as the worker sends it.
struct QueuedMail {
    Id id = 0;
    Id organisation_id = 0;
    std::string kind;
    std::string recipient;
    std::string subject;
    std::string body_text;
    std::optional<std::string> body_html;
    // The Message-ID's left part, chosen at enqueue; the right part is the
    // sender's domain (message_headers).
    std::string message_token;
    std::string created_at;
    int attempts = 0; // failed sends so far
    std::string next_attempt_at;
    std::optional<std::string> sent_at;
    std::optional<std::string> last_error;
};

// --- Retry ----------------------------------------------------------------------

inline constexpr std::chrono::seconds FIRST_RETRY_DELAY{60};
inline constexpr std::chrono::seconds MAX_RETRY_DELAY{6 * 60 * 60};

// How long to wait after the attempts-th failed send (attempts >= 1):
// 1 min, 2, 4, … doubling up to 6 h, and 6 h from then on. There is no last
// attempt: a message waits for the server however long it is down.
std::chrono::seconds retry_delay(int attempts);

// --- Addresses and headers ---------------------------------------------------------

// Whether text is one plain address that is safe in MAIL FROM / RCPT TO and
// a header: local@domain, no spaces, brackets, quotes, commas or control
// characters (what identity::normalise_email accepts, without changing it).
bool is_plain_address(std::string_view address);

// Text for a header field body: control characters (CR and LF above all,
// which would let text inject headers) become spaces, runs of spaces
// collapse, and the result is cut to max_bytes at a UTF-8 boundary.
std::string header_safe_text(std::string_view text, std::size_t max_bytes);

// RFC 2047 encoded-words for unstructured header text (Subject) and display
// names: ASCII text is returned as it is; otherwise "=?UTF-8?B?…?=" words of
// at most 75 characters, each holding whole UTF-8 characters, separated by
// folding whitespace ("\r\n "), which decoders drop between encoded words.
std::string encode_header_text(std::string_view utf8);

// "Fri, 27 Nov 2026 17:49:07 +0100": RFC 5322 §3.3 date-time in
// Europe/Oslo, whose offset changes with summer time.
std::string rfc5322_date(TimePoint when);

// The domain of a plain address ("noreply@baerum.kommune.no" ->
// "baerum.kommune.no"), for Message-IDs.
std::string address_domain(std::string_view address);

// Who the messages come from.
struct Sender {
    std::string address;      // plain address, also the envelope's MAIL FROM
    std::string display_name; // e.g. the organisation's name; may be empty
};

// The header lines curl does not add itself: From, To, Subject, Date,
// Message-ID (curl adds MIME-Version and the Content-* headers). Each
// without its trailing CRLF.
std::vector<std::string> message_headers(const QueuedMail& mail, const Sender& sender,
                                         TimePoint now);

} // namespace spire::mail
