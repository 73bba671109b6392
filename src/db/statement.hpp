#pragma once

// Statements prepared the cheap way for how Spire uses them: every statement
// object lives for one use case and is executed once (or a few times in a
// loop), so a named server-side prepared statement buys nothing. On
// PostgreSQL a one-time query is one round trip per execution
// (PQexecParams) instead of three (PQprepare, PQexecPrepared, and DEALLOCATE
// when the statement goes away); on the staff list that was 30 of its 46
// round trips. SQLite prepares either way.

#include <optional>
#include <soci/soci.h>
#include <string>
#include <utility>

namespace spire::db {

// What `session.prepare << text, into(...), use(...)` does, for a statement
// whose into/use elements are already exchanged (e.g. in a loop, or when
// the text is known only at run time).
void prepare(soci::statement& statement, const std::string& text);

// The same for a statement kept and executed many times (one held in a
// Connection local): on PostgreSQL a named server-side statement, parsed
// once, and planned once when PostgreSQL settles on a generic plan
// (plan_cache_mode's default) instead of at every execution.
void prepare_repeatable(soci::statement& statement, const std::string& text);

// `session.prepare << text, into(...), use(...)` as a one-time query.
// SOCI's into/use pointers transfer ownership on exchange, so they are
// taken by reference, never copied.
template <class... Exchanges>
soci::statement one_time(soci::session& session, const std::string& text,
                         Exchanges&&... exchanges) {
    soci::statement statement(session);
    (statement.exchange(exchanges), ...);
    prepare(statement, text);
    return statement;
}

// A value and its NULL indicator: binds an optional as a statement's input
// (SOCI binds by reference: keep it alive until the statement ran) or reads
// a nullable column back with get().
template <class T>
struct Nullable {
    T value{};
    soci::indicator indicator = soci::i_null;

    Nullable() = default;
    template <class U>
    explicit Nullable(const std::optional<U>& optional)
        : value(optional ? static_cast<T>(*optional) : T{}),
          indicator(optional ? soci::i_ok : soci::i_null) {}

    std::optional<T> get() const {
        if (indicator == soci::i_null)
            return std::nullopt;
        return value;
    }
};

} // namespace spire::db
