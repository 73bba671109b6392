#pragma once

// Small wrappers over libsodium used across modules.

#include <cstddef>
#include <string>
#include <string_view>

namespace spire {

// `bytes` random bytes as unpadded base64url (32 bytes -> 43 characters).
std::string random_token(std::size_t bytes = 32);

// Lower-case hex SHA-256.
std::string sha256_hex(std::string_view data);

// Compares in time independent of where the strings differ.
bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace spire
