#include "mail/store.hpp"

#include "core/crypto.hpp"
#include "db/statement.hpp"

#include <soci/soci.h>
#include <stdexcept>

namespace spire::mail::store {

namespace {

// last_error holds curl's message and the server's reply: a few hundred
// bytes at most, unless a misbehaving server sends a novel.
constexpr std::size_t MAX_ERROR_BYTES = 1000;

template <class T>
std::optional<T> optional_of(T value, soci::indicator indicator) {
    if (indicator == soci::i_null)
        return std::nullopt;
    return value;
}

constexpr const char* MAIL_SELECT =
    "SELECT id, organisation_id, kind, recipient, subject, body_text, body_html,\n"
    "       message_token, created_at, attempts, next_attempt_at, sent_at, last_error\n"
    "FROM mail_outbox\n";

// One row of MAIL_SELECT, bound once and read by a fetch loop.
struct MailRow {
    QueuedMail m;
    std::string body_html, sent_at, last_error;
    soci::indicator body_html_ind = soci::i_null, sent_at_ind = soci::i_null,
                    last_error_ind = soci::i_null;

    void bind(soci::statement& s) {
        s.exchange(soci::into(m.id));
        s.exchange(soci::into(m.organisation_id));
        s.exchange(soci::into(m.kind));
        s.exchange(soci::into(m.recipient));
        s.exchange(soci::into(m.subject));
        s.exchange(soci::into(m.body_text));
        s.exchange(soci::into(body_html, body_html_ind));
        s.exchange(soci::into(m.message_token));
        s.exchange(soci::into(m.created_at));
        s.exchange(soci::into(m.attempts));
        s.exchange(soci::into(m.next_attempt_at));
        s.exchange(soci::into(sent_at, sent_at_ind));
        s.exchange(soci::into(last_error, last_error_ind));
    }

    QueuedMail finish() const {
        QueuedMail out = m;
        out.body_html = optional_of(body_html, body_html_ind);
        out.sent_at = optional_of(sent_at, sent_at_ind);
        out.last_error = optional_of(last_error, last_error_ind);
        return out;
    }
};

// The first row of MAIL_SELECT + where_and_suffix; bind_uses binds its
// parameters (variables the caller keeps alive).
template <class BindUses>
std::optional<QueuedMail> select_one(soci::session& sql, const std::string& where_and_suffix,
                                     BindUses bind_uses) {
    MailRow row;
    soci::statement statement(sql);
    row.bind(statement);
    bind_uses(statement);
    db::prepare(statement, std::string(MAIL_SELECT) + where_and_suffix);
    if (!statement.execute(true))
        return std::nullopt;
    return row.finish();
}

} // namespace

Id enqueue(soci::session& sql, const NewMail& mail, const std::string& now) {
    if (!is_plain_address(mail.recipient))
        throw std::invalid_argument("mail: not a plain address: '" + mail.recipient + "'");
    const std::string kind(mail_kind_key(mail.kind));
    const std::string subject = header_safe_text(mail.subject, MAX_SUBJECT_BYTES);
    // 128 random bits: unique without asking the database.
    const std::string token = random_token(16);
    std::string html = mail.body_html.value_or("");
    soci::indicator html_ind = mail.body_html ? soci::i_ok : soci::i_null;
    long long organisation = mail.organisation_id;
    long long id = 0;
    sql << "INSERT INTO mail_outbox (organisation_id, kind, recipient, subject, body_text,\n"
           "    body_html, message_token, created_at, attempts, next_attempt_at)\n"
           "VALUES (:organisation, :kind, :recipient, :subject, :body_text, :body_html,\n"
           "    :token, :now, 0, :due)\n"
           "RETURNING id",
        soci::use(organisation, "organisation"), soci::use(kind, "kind"),
        soci::use(mail.recipient, "recipient"), soci::use(subject, "subject"),
        soci::use(mail.body_text, "body_text"), soci::use(html, html_ind, "body_html"),
        soci::use(token, "token"), soci::use(now, "now"), soci::use(now, "due"), soci::into(id);
    return id;
}

std::optional<QueuedMail> claim_next_due(soci::session& sql, db::Engine engine,
                                         const std::string& now, const std::string& lease_until) {
    // Read through mail_outbox_due: unsent rows in next_attempt_at order.
    const std::string lock = engine == db::Engine::Postgresql ? " FOR UPDATE SKIP LOCKED" : "";
    auto due = select_one(sql,
                          "WHERE sent_at IS NULL AND next_attempt_at <= :now\n"
                          "ORDER BY next_attempt_at, id LIMIT 1" +
                              lock,
                          [&](soci::statement& s) { s.exchange(soci::use(now, "now")); });
    if (!due)
        return std::nullopt;
    long long id = due->id;
    sql << "UPDATE mail_outbox SET next_attempt_at = :lease WHERE id = :id",
        soci::use(lease_until, "lease"), soci::use(id, "id");
    due->next_attempt_at = lease_until;
    return due;
}

void mark_sent(soci::session& sql, Id id, const std::string& now) {
    long long key = id;
    sql << "UPDATE mail_outbox SET sent_at = :now, last_error = NULL WHERE id = :id",
        soci::use(now, "now"), soci::use(key, "id");
}

void mark_failed(soci::session& sql, Id id, const std::string& error,
                 const std::string& next_attempt_at) {
    long long key = id;
    const std::string cut = header_safe_text(error, MAX_ERROR_BYTES);
    sql << "UPDATE mail_outbox SET attempts = attempts + 1, last_error = :error,\n"
           "    next_attempt_at = :next\n"
           "WHERE id = :id AND sent_at IS NULL",
        soci::use(cut, "error"), soci::use(next_attempt_at, "next"), soci::use(key, "id");
}

std::optional<QueuedMail> find(soci::session& sql, Id id) {
    long long key = id;
    return select_one(sql, "WHERE id = :id",
                      [&](soci::statement& s) { s.exchange(soci::use(key, "id")); });
}

std::vector<QueuedMail> list_for_organisation(soci::session& sql, Id organisation_id, int limit) {
    long long organisation = organisation_id;
    MailRow row;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(organisation, "organisation"));
    statement.exchange(soci::use(limit, "limit"));
    db::prepare(statement,
                std::string(MAIL_SELECT) +
                    "WHERE organisation_id = :organisation ORDER BY id DESC LIMIT :limit");
    std::vector<QueuedMail> out;
    if (statement.execute(true)) {
        do {
            out.push_back(row.finish());
        } while (statement.fetch());
    }
    return out;
}

long long count_unsent(soci::session& sql) {
    long long count = 0;
    sql << "SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL", soci::into(count);
    return count;
}

} // namespace spire::mail::store
