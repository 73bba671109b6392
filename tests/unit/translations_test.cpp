// Every string the templates translate must have a Norwegian translation:
// a missing one would show English to Norwegian users without anyone noticing.

#include "web/i18n.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace {

std::filesystem::path source_dir() {
    const char* root = std::getenv("SPIRE_ROOT");
    return root ? root : SPIRE_SOURCE_DIR;
}

std::string read(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string unquote_po(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\\' && i + 1 < s.size()) {
            ++i;
            out += s[i] == 'n' ? '\n' : s[i];
        } else {
            out += s[i];
        }
    }
    return out;
}

// msgid -> msgstr for single-line entries (which is all we write).
std::map<std::string, std::string> read_po(const std::filesystem::path& path) {
    std::map<std::string, std::string> entries;
    std::istringstream in(read(path));
    std::string line, msgid;
    while (std::getline(in, line)) {
        if (line.starts_with("msgid \""))
            msgid = unquote_po(line.substr(7, line.size() - 8));
        else if (line.starts_with("msgstr \"") && !msgid.empty())
            entries[msgid] = unquote_po(line.substr(8, line.size() - 9));
    }
    return entries;
}

std::set<std::string> template_msgids() {
    std::set<std::string> ids;
    static const std::regex T_SECTION(R"(\{\{#t\}\}([\s\S]*?)\{\{/t\}\})");
    for (const auto& entry :
         std::filesystem::recursive_directory_iterator(source_dir() / "templates")) {
        if (entry.path().extension() != ".mustache")
            continue;
        std::string text = read(entry.path());
        for (std::sregex_iterator it(text.begin(), text.end(), T_SECTION), end; it != end; ++it)
            ids.insert((*it)[1].str());
    }
    return ids;
}

} // namespace

TEST(Translations, EveryTemplateStringHasANorwegianTranslation) {
    auto nb = read_po(source_dir() / "locale" / "nb.po");
    auto ids = template_msgids();
    ASSERT_FALSE(ids.empty());
    for (const auto& id : ids) {
        auto it = nb.find(id);
        ASSERT_NE(it, nb.end()) << "missing in locale/nb.po: " << id;
        EXPECT_FALSE(it->second.empty()) << "untranslated in locale/nb.po: " << id;
    }
}

TEST(Translations, CompiledCatalogueTranslatesAndEnglishFallsBackToTheId) {
    const char* dir = std::getenv("SPIRE_LOCALE_DIR");
    auto translator = spire::web::Translator::load(
        dir ? std::filesystem::path(dir) : std::filesystem::path(SPIRE_BUILD_DIR) / "locale");
    EXPECT_EQ(translator.translate("nb", "Page not found"), "Fant ikke siden");
    EXPECT_EQ(translator.translate("en", "Page not found"), "Page not found");
    EXPECT_EQ(translator.translate("xx", "Page not found"), "Fant ikke siden");
    EXPECT_EQ(translator.translate("nb", "No such message id"), "No such message id");
}

TEST(Translations, MissingCatalogueDirectoryIsRefused) {
    EXPECT_THROW(spire::web::Translator::load("/nonexistent/locale"), std::runtime_error);
}
