#include "web/templates.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace spire::web;

namespace {

class TemplatesTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = std::filesystem::temp_directory_path() /
                ("spire-templates-" + std::to_string(::getpid()) + "-" +
                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(m_dir / "platform");
        write("platform/hello.mustache", "Hei {{name}}!");
    }
    void TearDown() override { std::filesystem::remove_all(m_dir); }
    void write(const std::string& relative, const std::string& text) {
        std::ofstream(m_dir / relative) << text;
    }
    static mustache::data named(const std::string& name) {
        mustache::data data;
        data.set("name", name);
        return data;
    }
    std::filesystem::path m_dir;
};

} // namespace

TEST_F(TemplatesTest, RendersByNameAndEscapesHtml) {
    auto templates = Templates::load(m_dir, TemplateMode::Compiled);
    EXPECT_EQ(templates->render("platform/hello", "nb", named("<b>Kari</b>")),
              "Hei &lt;b&gt;Kari&lt;/b&gt;!");
}

TEST_F(TemplatesTest, CompiledModeKeepsWhatWasLoaded) {
    auto templates = Templates::load(m_dir, TemplateMode::Compiled);
    write("platform/hello.mustache", "Hallo {{name}}!");
    EXPECT_EQ(templates->render("platform/hello", "nb", named("Kari")), "Hei Kari!");
}

TEST_F(TemplatesTest, DevModeRereadsOnEveryRender) {
    auto templates = Templates::load(m_dir, TemplateMode::ReloadOnRender);
    EXPECT_EQ(templates->render("platform/hello", "nb", named("Kari")), "Hei Kari!");
    write("platform/hello.mustache", "Hallo {{name}}!");
    EXPECT_EQ(templates->render("platform/hello", "nb", named("Kari")), "Hallo Kari!");
}

TEST_F(TemplatesTest, UnknownTemplateIsAProgrammingError) {
    auto templates = Templates::load(m_dir, TemplateMode::Compiled);
    EXPECT_THROW(templates->render("platform/missing", "nb", named("x")), std::invalid_argument);
}

TEST_F(TemplatesTest, BrokenTemplateIsRefusedAtLoadNamingTheFile) {
    write("platform/broken.mustache", "{{#open}} never closed");
    try {
        Templates::load(m_dir, TemplateMode::Compiled);
        FAIL() << "a broken template was accepted";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("broken.mustache"), std::string::npos);
    }
}

TEST_F(TemplatesTest, TranslatesSectionsPerLanguageAtCompileTime) {
    write("platform/greet.mustache", "<p>{{#t}}Hello{{/t}}, {{name}}</p>");
    int calls = 0;
    auto templates = Templates::load(
        m_dir, TemplateMode::Compiled, [&calls](std::string_view lang, std::string_view msgid) {
            ++calls;
            return lang == "nb" && msgid == "Hello" ? std::string("Hei") : std::string(msgid);
        });
    EXPECT_EQ(templates->render("platform/greet", "nb", named("Kari")), "<p>Hei, Kari</p>");
    EXPECT_EQ(templates->render("platform/greet", "en", named("Kari")), "<p>Hello, Kari</p>");
    EXPECT_EQ(templates->render("platform/greet", "nb", named("Ola")), "<p>Hei, Ola</p>");
    EXPECT_EQ(calls, 2) << "each language is translated once, not on every render";
}

TEST_F(TemplatesTest, TranslationsAreEscapedAndNeverBecomeTemplateCode) {
    write("platform/greet.mustache", "<p title=\"{{#t}}Hello{{/t}}\">{{#t}}Bye{{/t}}</p>");
    auto templates = Templates::load(
        m_dir, TemplateMode::Compiled, [](std::string_view, std::string_view msgid) {
            return msgid == "Hello" ? std::string("\"Hei\" & <hallo>") : std::string("{{name}}");
        });
    EXPECT_EQ(templates->render("platform/greet", "nb", named("Kari")),
              "<p title=\"&quot;Hei&quot; &amp; &lt;hallo&gt;\">&#123;&#123;name&#125;&#125;</p>");
}

TEST_F(TemplatesTest, WithoutTranslatorSectionsKeepTheirEnglishText) {
    write("platform/greet.mustache", "{{#t}}Tom & Jerry{{/t}}");
    auto templates = Templates::load(m_dir, TemplateMode::ReloadOnRender);
    EXPECT_EQ(templates->render("platform/greet", "nb", named("x")), "Tom &amp; Jerry");
}

TEST(HtmlEscape, EscapesLikeKainjowDefault) {
    for (std::string text : {"", "plain", "<a href=\"x\">Tom & 'Jerry'</a>", "&&", "æøå<"}) {
        EXPECT_EQ(html_escape(text), mustache::html_escape<std::string>(text)) << text;
    }
}
