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
    EXPECT_EQ(templates->render("platform/hello", named("<b>Kari</b>")),
              "Hei &lt;b&gt;Kari&lt;/b&gt;!");
}

TEST_F(TemplatesTest, CompiledModeKeepsWhatWasLoaded) {
    auto templates = Templates::load(m_dir, TemplateMode::Compiled);
    write("platform/hello.mustache", "Hallo {{name}}!");
    EXPECT_EQ(templates->render("platform/hello", named("Kari")), "Hei Kari!");
}

TEST_F(TemplatesTest, DevModeRereadsOnEveryRender) {
    auto templates = Templates::load(m_dir, TemplateMode::ReloadOnRender);
    EXPECT_EQ(templates->render("platform/hello", named("Kari")), "Hei Kari!");
    write("platform/hello.mustache", "Hallo {{name}}!");
    EXPECT_EQ(templates->render("platform/hello", named("Kari")), "Hallo Kari!");
}

TEST_F(TemplatesTest, UnknownTemplateIsAProgrammingError) {
    auto templates = Templates::load(m_dir, TemplateMode::Compiled);
    EXPECT_THROW(templates->render("platform/missing", named("x")), std::invalid_argument);
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
