#pragma once

// Password hashing with argon2id (libsodium). The parameters are stored in
// the hash string, so they can be raised later without breaking old hashes.

#include <string>
#include <string_view>

namespace spire::identity {

// Throws std::runtime_error only when the machine is out of memory.
std::string hash_password(std::string_view password);
bool verify_password(std::string_view hash, std::string_view password);
// Spends the time of one verification without a real hash, so an unknown
// e-mail takes as long to refuse as a wrong password.
void burn_password_time(std::string_view password);

} // namespace spire::identity
