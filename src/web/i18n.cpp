#include "web/i18n.hpp"

#include <atomic>
#include <boost/locale/generator.hpp>
#include <boost/locale/message.hpp>
#include <cstdint>
#include <stdexcept>
#include <unordered_map>

namespace spire::web {

Translator Translator::load(const std::filesystem::path& locale_dir) {
    if (!std::filesystem::exists(locale_dir / "nb" / "LC_MESSAGES" / "spire.mo"))
        throw std::runtime_error("translation catalogue missing: " +
                                 (locale_dir / "nb" / "LC_MESSAGES" / "spire.mo").string());
    boost::locale::generator generator;
    generator.add_messages_path(locale_dir.string());
    generator.add_messages_domain("spire");
    static std::atomic<std::uint64_t> next_generation{1};
    Translator translator;
    translator.m_generation = next_generation++;
    translator.m_nb = generator("nb_NO.UTF-8");
    translator.m_en = generator("en_GB.UTF-8");
    return translator;
}

const std::vector<std::string>& Translator::languages() {
    static const std::vector<std::string> LANGUAGES = {"nb", "en"};
    return LANGUAGES;
}

bool Translator::is_supported(std::string_view lang) {
    return lang == "nb" || lang == "en";
}

const std::locale& Translator::locale_for(std::string_view lang) const {
    return lang == "en" ? m_en : m_nb;
}

std::string Translator::translate(std::string_view lang, std::string_view msgid) const {
    // Catalogues never change while we run, so each thread remembers what it
    // has looked up: a page translates dozens of strings, and Boost.Locale's
    // lookup (facet, message object, hashing) is far slower than one map probe.
    struct Cache {
        std::uint64_t generation = 0;
        std::unordered_map<std::string, std::string> nb, en;
    };
    thread_local Cache cache;
    if (cache.generation != m_generation) {
        cache = Cache{};
        cache.generation = m_generation;
    }
    auto& table = lang == "en" ? cache.en : cache.nb;
    std::string id(msgid);
    if (auto it = table.find(id); it != table.end())
        return it->second;
    std::string translated = boost::locale::translate(id).str(locale_for(lang));
    if (table.size() < 10'000) // bounded: msgids are our own, but be safe
        table.emplace(std::move(id), translated);
    return translated;
}

} // namespace spire::web
