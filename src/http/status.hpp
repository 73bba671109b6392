#pragma once

#include "core/error.hpp"

namespace spire::http {

// The one place where error kinds become HTTP status codes (STYLE.md).
constexpr int status_for(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::Invalid:
        return 400;
    case ErrorKind::Unauthenticated:
        return 401;
    case ErrorKind::Forbidden:
        return 403;
    case ErrorKind::NotFound:
        return 404;
    case ErrorKind::Conflict:
        return 409;
    case ErrorKind::TooLarge:
        return 413;
    case ErrorKind::RateLimited:
        return 429;
    case ErrorKind::Unavailable:
        return 503;
    }
    return 500;
}

} // namespace spire::http
