#pragma once

// Reads one member of a zip archive held in memory (an XLSX file), through
// unzip(1) (scripts/install-deps installs it).

#include <string>

namespace spire::test {

// True when unzip(1) is on the PATH.
bool unzip_available();

// The member's bytes; empty when the archive or the member cannot be read.
std::string unzip_member(const std::string& zip_bytes, const std::string& member);

} // namespace spire::test
