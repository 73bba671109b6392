#pragma once

// Expected failures travel as values (STYLE.md): a Result<T> is either a T or
// an Error that says what kind of failure it was and what to tell the user.

#include <string>
#include <tl/expected.hpp>
#include <utility>
#include <vector>

namespace spire {

enum class ErrorKind {
    Invalid,         // bad input; 400 (or 422 re-rendered form)
    Unauthenticated, // not logged in; 401 / redirect to login
    Forbidden,       // logged in but not allowed; 403
    NotFound,        // 404, also for other tenants' ids
    Conflict,        // state does not allow it (already submitted, stale); 409
    TooLarge,        // body, file or field over its limit; 413
    RateLimited,     // too many attempts (logins); 429
    Unavailable,     // a dependency (database) is down; 503
};

// One message for one form field. `message` is a gettext msgid (English);
// the web layer translates it.
struct FieldError {
    std::string field;
    std::string message;
};

struct Error {
    ErrorKind kind = ErrorKind::Invalid;
    std::string message; // gettext msgid shown to the user
    std::vector<FieldError> fields;
    std::string detail; // for logs only; never shown to users

    static Error invalid(std::string message, std::vector<FieldError> fields = {}) {
        return {ErrorKind::Invalid, std::move(message), std::move(fields), {}};
    }
    static Error not_found(std::string message = "Not found") {
        return {ErrorKind::NotFound, std::move(message), {}, {}};
    }
    static Error forbidden(std::string reason) {
        return {ErrorKind::Forbidden, std::move(reason), {}, {}};
    }
    static Error conflict(std::string message) {
        return {ErrorKind::Conflict, std::move(message), {}, {}};
    }
    static Error too_large(std::string message) {
        return {ErrorKind::TooLarge, std::move(message), {}, {}};
    }
    static Error rate_limited(std::string message) {
        return {ErrorKind::RateLimited, std::move(message), {}, {}};
    }
    static Error unavailable(std::string message, std::string detail = {}) {
        return {ErrorKind::Unavailable, std::move(message), {}, std::move(detail)};
    }
};

template <class T>
using Result = tl::expected<T, Error>;

using Unexpected = tl::unexpected<Error>;

} // namespace spire
