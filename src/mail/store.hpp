#pragma once

// SQL for the e-mail outbox (migrations/mail/001_mail.sql). Every function
// runs inside the caller's transaction:
//   - enqueue inside the transaction of the use case that sends the mail, so
//     the message is queued if and only if the change it reports commits;
//   - claim_next_due, mark_sent and mark_failed inside the worker's own short
//     transactions (mail/worker.hpp), never around the SMTP conversation.
//
// Two workers never send one message at the same time: claiming moves the
// message's next_attempt_at to the end of a lease, in the same transaction
// that found it due. On PostgreSQL the row is taken FOR UPDATE SKIP LOCKED,
// so a second worker skips it instead of waiting; on SQLite the write
// transaction (BEGIN IMMEDIATE) already admits one claimer at a time. Only a
// worker that dies mid-send lets the lease run out, and then the message is
// sent again: at least once, never lost.

#include "db/dialect.hpp"
#include "mail/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace spire::mail::store {

// Queues the message, due at once. Throws std::invalid_argument when the
// recipient is not a plain address: callers pass addresses identity has
// validated, so anything else is a programming error.
Id enqueue(soci::session& sql, const NewMail& mail, const std::string& now);

// The unsent message due longest (next_attempt_at <= now), leased until
// lease_until; none when nothing is due.
std::optional<QueuedMail> claim_next_due(soci::session& sql, db::Engine engine,
                                         const std::string& now, const std::string& lease_until);

void mark_sent(soci::session& sql, Id id, const std::string& now);

// One more failed attempt: attempts + 1, the error (for the logs and an
// administrator; cut to a sane length) and when to try again.
void mark_failed(soci::session& sql, Id id, const std::string& error,
                 const std::string& next_attempt_at);

std::optional<QueuedMail> find(soci::session& sql, Id id);
// An organisation's messages, newest first, at most limit.
std::vector<QueuedMail> list_for_organisation(soci::session& sql, Id organisation_id, int limit);
// Unsent messages, however far in the future they are due.
long long count_unsent(soci::session& sql);

} // namespace spire::mail::store
