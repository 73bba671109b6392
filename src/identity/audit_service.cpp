#include "identity/audit_service.hpp"

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "http/utf8.hpp"
#include "identity/audit_store.hpp"

#include <algorithm>
#include <cstddef>
#include <date/date.h>
#include <date/tz.h>
#include <limits>

namespace spire::identity {

namespace {

// The audit page's days are the days users live in (web::TIME_ZONE).
constexpr std::string_view AUDIT_TIME_ZONE = "Europe/Oslo";

// Entries per query while verifying: memory stays constant however long the
// log grows, and each query stays short.
constexpr int VERIFY_BATCH = 500;

constexpr std::string_view REPLACEMENT_CHARACTER = "\uFFFD";
constexpr std::string_view ELLIPSIS = "\u2026";

// Years that keep the stored text at four digits, so text order is time order.
constexpr int MIN_FILTER_YEAR = 1970;
constexpr int MAX_FILTER_YEAR = 9999;

// --- Appending ------------------------------------------------------------

// Action and target type name kinds of things in code: "user.create".
std::optional<std::string> name_problem(std::string_view field, std::string_view name) {
    if (name.empty())
        return std::string(field) + " is empty";
    if (name.size() > MAX_AUDIT_NAME_BYTES)
        return std::string(field) + " is longer than " + std::to_string(MAX_AUDIT_NAME_BYTES) +
               " bytes";
    auto allowed = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    };
    if (!std::all_of(name.begin(), name.end(), allowed))
        return std::string(field) + " '" + std::string(name) +
               "' has characters outside [a-z0-9._-]";
    return std::nullopt;
}

// C0 controls, DEL and C1 controls (U+0080..U+009F) for a sequence of
// `length` bytes at the start of `text`: line breaks and terminal escapes
// would let a summary forge lines in a text export of the log.
bool is_control(std::string_view text, std::size_t length) {
    auto byte = static_cast<unsigned char>(text[0]);
    if (length == 1)
        return byte < 0x20 || byte == 0x7f;
    return length == 2 && byte == 0xc2 && static_cast<unsigned char>(text[1]) <= 0x9f;
}

// Free text as it will be stored and hashed: valid UTF-8 without control
// characters (each bad byte or control becomes U+FFFD), at most max_bytes
// long (cut at a character boundary, ending in "…").
std::string clean_text(std::string_view text, std::size_t max_bytes) {
    std::string out;
    out.reserve(std::min(text.size(), max_bytes) + ELLIPSIS.size());
    // Stops early once over the limit: a huge input costs no more than a long one.
    while (!text.empty() && out.size() <= max_bytes) {
        auto length = http::utf8_sequence_length(text);
        if (!length) {
            out += REPLACEMENT_CHARACTER;
            text.remove_prefix(1);
            continue;
        }
        if (is_control(text, *length))
            out += REPLACEMENT_CHARACTER;
        else
            out.append(text.substr(0, *length));
        text.remove_prefix(*length);
    }
    if (out.size() <= max_bytes && text.empty())
        return out;
    std::size_t cut = max_bytes - ELLIPSIS.size();
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80)
        --cut; // back to the first byte of a character
    out.resize(cut);
    out += ELLIPSIS;
    return out;
}

Error invalid_event(std::string problem) {
    Error error = Error::invalid("The audit entry is not valid");
    error.detail = "append_audit: " + std::move(problem);
    return error;
}

// --- Hashing ---------------------------------------------------------------

void append_field(std::string& out, std::string_view value) {
    out += std::to_string(value.size());
    out += ':';
    out += value;
    out += ';';
}

std::string id_text(std::optional<Id> id) {
    return id ? std::to_string(*id) : std::string();
}

// --- Listing -----------------------------------------------------------------

// "2026-03-29" -> that date; nullopt for anything else (no signs, no spaces,
// no "2026-3-29", no 31 February, years MIN_FILTER_YEAR..MAX_FILTER_YEAR).
std::optional<date::year_month_day> parse_date(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    auto number = [&](std::size_t from, std::size_t count) -> std::optional<int> {
        int value = 0;
        for (std::size_t i = from; i < from + count; ++i) {
            if (text[i] < '0' || text[i] > '9')
                return std::nullopt;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    auto year = number(0, 4);
    auto month = number(5, 2);
    auto day = number(8, 2);
    if (!year || !month || !day || *year < MIN_FILTER_YEAR || *year > MAX_FILTER_YEAR)
        return std::nullopt;
    date::year_month_day ymd{date::year{*year}, date::month{static_cast<unsigned>(*month)},
                             date::day{static_cast<unsigned>(*day)}};
    if (!ymd.ok())
        return std::nullopt;
    return ymd;
}

// 00:00 of the day in Europe/Oslo as stored UTC text. Midnight always exists
// there (the clocks change at 02:00 and 03:00), so no choice is really made.
std::string day_start(date::year_month_day day) {
    static const date::time_zone* zone = date::locate_zone(AUDIT_TIME_ZONE);
    auto utc = zone->to_sys(date::local_days{day}, date::choose::earliest);
    return to_db_time(std::chrono::system_clock::time_point(utc));
}

std::optional<std::string> non_empty(const std::optional<std::string>& text) {
    if (!text || text->empty())
        return std::nullopt;
    return text;
}

// --- Verifying -----------------------------------------------------------------

// Why `entry` does not continue the chain that ended at previous_id with
// previous_hash; nullopt when it does.
std::optional<std::string> chain_problem(const AuditEntry& entry, Id previous_id,
                                         const std::string& previous_hash) {
    if (entry.id <= previous_id)
        return "its id is out of sequence (expected " + std::to_string(previous_id + 1) + ")";
    if (entry.id != previous_id + 1) {
        if (entry.id == previous_id + 2)
            return "entry " + std::to_string(previous_id + 1) + " is missing";
        return "entries " + std::to_string(previous_id + 1) + " to " +
               std::to_string(entry.id - 1) + " are missing";
    }
    if (entry.prev_hash != previous_hash) {
        if (previous_id == 0)
            return std::string("the first entry does not start the chain (its prev_hash is not the "
                               "genesis hash)");
        return "its prev_hash is not the hash of entry " + std::to_string(previous_id) +
               " (an entry was removed, reordered or rewritten)";
    }
    if (audit_entry_hash(entry) != entry.hash)
        return std::string("its contents do not match its hash (changed after it was written)");
    return std::nullopt;
}

} // namespace

// Why the id is hashed, and assigned here rather than by the database: the
// id is what people cite ("entry 4711"), so it must not be changeable without
// the chain noticing; ids then run without gaps, so a removed entry is named
// precisely; and because the next id is the last id + 1 under the primary
// key, two appenders that read the same end of the chain (a missing lock, a
// REPEATABLE READ snapshot taken too early) cannot both succeed: the second
// fails on the key instead of silently forking the chain. Chaining by order
// alone with database-assigned ids would give up all three.
Result<Id> append_audit(soci::session& session, db::Engine engine, const AuditEvent& event,
                        std::chrono::system_clock::time_point now) {
    if (auto problem = name_problem("action", event.action))
        return Unexpected(invalid_event(*problem));
    if (auto problem = name_problem("target_type", event.target_type))
        return Unexpected(invalid_event(*problem));

    AuditEntry entry;
    entry.organisation_id = event.organisation_id;
    entry.actor_user_id = event.actor_user_id;
    entry.action = event.action;
    entry.target_type = event.target_type;
    entry.target_id = clean_text(event.target_id, MAX_AUDIT_TARGET_ID_BYTES);
    entry.summary = clean_text(event.summary, MAX_AUDIT_SUMMARY_BYTES);
    entry.request_id = clean_text(event.request_id, MAX_AUDIT_REQUEST_ID_BYTES);

    // From here to the commit no other appender can read the end of the chain.
    audit_store::lock_chain(session, engine);
    auto end = audit_store::chain_end(session);
    entry.id = end ? end->id + 1 : 1;
    entry.prev_hash = end ? end->hash : std::string(AUDIT_GENESIS_HASH);
    // Text order is time order in the fixed format.
    entry.at = to_db_time(now);
    if (end && entry.at < end->at)
        entry.at = end->at;
    entry.hash = audit_entry_hash(entry);
    audit_store::insert_entry(session, entry);
    return entry.id;
}

Result<Id> append_audit(soci::session& session, db::Engine engine, const AuditEvent& event) {
    return append_audit(session, engine, event, std::chrono::system_clock::now());
}

void record_audit(soci::session& session, db::Engine engine, const AuditEvent& event) {
    auto appended = append_audit(session, engine, event);
    if (!appended)
        throw std::runtime_error("audit log append failed: " + appended.error().message);
}

Result<AuditPage> list_audit(soci::session& session, db::Engine /*engine*/,
                             const AuditFilter& filter) {
    std::vector<FieldError> errors;
    if (filter.page < 1)
        errors.push_back({"page", "The page number must be 1 or more."});
    if (filter.per_page < 1 || filter.per_page > MAX_AUDIT_PER_PAGE)
        errors.push_back({"per_page", "Show between 1 and 200 entries per page."});

    audit_store::EntryQuery query;
    query.organisation_id = filter.organisation_id;
    query.action = non_empty(filter.action);
    query.target_type = non_empty(filter.target_type);
    query.target_id = non_empty(filter.target_id);
    query.actor_user_id = filter.actor_user_id;
    // A target id alone has no index of its own, and is ambiguous anyway.
    if (query.target_id && !query.target_type)
        errors.push_back({"target_id", "Choose the kind of target to search by target id."});

    std::optional<date::year_month_day> from;
    std::optional<date::year_month_day> to;
    if (auto text = non_empty(filter.from_date)) {
        from = parse_date(*text);
        if (!from)
            errors.push_back({"from_date", "Enter the date as YYYY-MM-DD."});
    }
    if (auto text = non_empty(filter.to_date)) {
        to = parse_date(*text);
        if (!to)
            errors.push_back({"to_date", "Enter the date as YYYY-MM-DD."});
    }
    if (from && to && *from > *to)
        errors.push_back({"to_date", "The end date is before the start date."});
    if (!errors.empty())
        return Unexpected(Error::invalid("Check the filter.", std::move(errors)));

    if (from)
        query.at_from = day_start(*from);
    if (to) {
        // Inclusive: everything before the next day starts.
        date::year_month_day next{date::sys_days{*to} + date::days{1}};
        if (next.year() <= date::year{MAX_FILTER_YEAR})
            query.at_before = day_start(next);
    }

    AuditPage page;
    page.total = audit_store::count_entries(session, query);
    long long offset = static_cast<long long>(filter.page - 1) * filter.per_page;
    if (offset < page.total)
        page.entries = audit_store::find_entries(session, query, filter.per_page, offset);
    return page;
}

AuditVerification verify_audit_chain(soci::session& session, db::Engine /*engine*/) {
    AuditVerification result;
    Id previous_id = 0;
    std::string previous_hash(AUDIT_GENESIS_HASH);
    // From the lowest id there could be: a row slipped in with id 0 or below
    // must be reported, not skipped.
    Id after = std::numeric_limits<Id>::min();
    while (true) {
        auto batch = audit_store::entries_after(session, after, VERIFY_BATCH);
        for (const auto& entry : batch) {
            after = entry.id;
            if (auto problem = chain_problem(entry, previous_id, previous_hash)) {
                result.ok = false;
                result.first_bad_id = entry.id;
                result.problem = std::move(*problem);
                return result;
            }
            ++result.checked;
            previous_id = entry.id;
            previous_hash = entry.hash;
            result.last_id = entry.id;
            result.last_hash = entry.hash;
        }
        if (batch.size() < static_cast<std::size_t>(VERIFY_BATCH))
            return result;
    }
}

std::string audit_canonical_fields(const AuditEntry& entry) {
    std::string out;
    out.reserve(128 + entry.summary.size());
    append_field(out, std::to_string(entry.id));
    append_field(out, entry.at);
    append_field(out, id_text(entry.organisation_id));
    append_field(out, id_text(entry.actor_user_id));
    append_field(out, entry.action);
    append_field(out, entry.target_type);
    append_field(out, entry.target_id);
    append_field(out, entry.summary);
    append_field(out, entry.request_id);
    return out;
}

std::string audit_entry_hash(const AuditEntry& entry) {
    return sha256_hex(entry.prev_hash + audit_canonical_fields(entry));
}

std::optional<std::string> audit_day_start(std::string_view text) {
    auto day = parse_date(text);
    if (!day)
        return std::nullopt;
    return day_start(*day);
}

} // namespace spire::identity
