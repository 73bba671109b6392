#pragma once

// Translations through gettext catalogues (locale/<lang>.po, compiled to .mo
// by the build) loaded with Boost.Locale. Message ids are English; Norwegian
// bokmål is the default language of the UI.

#include <cstdint>
#include <filesystem>
#include <locale>
#include <string>
#include <string_view>
#include <vector>

namespace spire::web {

inline constexpr std::string_view DEFAULT_LANG = "nb";

class Translator {
public:
    // Reads <dir>/<lang>/LC_MESSAGES/spire.mo for every supported language.
    // Throws when the nb catalogue is missing: without it the UI would
    // silently fall back to English.
    static Translator load(const std::filesystem::path& locale_dir);

    // Supported: "nb" and "en". Unknown languages get nb.
    std::string translate(std::string_view lang, std::string_view msgid) const;

    static bool is_supported(std::string_view lang);
    static const std::vector<std::string>& languages();

private:
    const std::locale& locale_for(std::string_view lang) const;

    std::uint64_t m_generation = 0; // identifies the loaded catalogues (for caches)
    std::locale m_nb;
    std::locale m_en;
};

} // namespace spire::web
