#pragma once

// Where the tests find templates/, static/ and the compiled translations:
// SPIRE_ROOT / SPIRE_LOCALE_DIR when set, else this build's own tree.

#include <cstdlib>
#include <filesystem>

namespace spire::test {

inline std::filesystem::path root_dir() {
    const char* root = std::getenv("SPIRE_ROOT");
    return root ? std::filesystem::path(root) : std::filesystem::path(SPIRE_SOURCE_DIR);
}

inline std::filesystem::path locale_dir() {
    const char* dir = std::getenv("SPIRE_LOCALE_DIR");
    return dir ? std::filesystem::path(dir) : std::filesystem::path(SPIRE_BUILD_DIR) / "locale";
}

} // namespace spire::test
