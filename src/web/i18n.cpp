#include "web/i18n.hpp"

#include <boost/locale/generator.hpp>
#include <boost/locale/message.hpp>
#include <stdexcept>

namespace spire::web {

Translator Translator::load(const std::filesystem::path& locale_dir) {
    if (!std::filesystem::exists(locale_dir / "nb" / "LC_MESSAGES" / "spire.mo"))
        throw std::runtime_error("translation catalogue missing: " +
                                 (locale_dir / "nb" / "LC_MESSAGES" / "spire.mo").string());
    boost::locale::generator generator;
    generator.add_messages_path(locale_dir.string());
    generator.add_messages_domain("spire");
    Translator translator;
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
    std::string id(msgid);
    return boost::locale::translate(id).str(locale_for(lang));
}

} // namespace spire::web
