#pragma once

// The answer of every authorisation rule: allowed, or not with a reason the
// user can read (a gettext msgid). Policies are pure functions
// (user, action, resource) -> Decision, one file per module, unit-tested as
// a matrix.

#include "core/error.hpp"

#include <string>

namespace spire {

struct Decision {
    bool allowed = false;
    std::string reason;                    // msgid, empty when allowed
    ErrorKind kind = ErrorKind::Forbidden; // NotFound hides other tenants' data

    static Decision allow() { return {true, {}, ErrorKind::Forbidden}; }
    static Decision deny(std::string reason) {
        return {false, std::move(reason), ErrorKind::Forbidden};
    }
    static Decision login_required() {
        return {false, "You must log in to do this.", ErrorKind::Unauthenticated};
    }
    // Another organisation's resource: answer as if it did not exist.
    static Decision hidden() { return {false, "Not found", ErrorKind::NotFound}; }

    explicit operator bool() const { return allowed; }
    Error to_error() const { return {kind, reason, {}, {}}; }
};

} // namespace spire
