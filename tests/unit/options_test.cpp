#include "app/options.hpp"

#include <cstdlib>
#include <gtest/gtest.h>

using namespace spire::app;

namespace {
std::vector<FlagSpec> specs() {
    return {
        {"port", FlagKind::Value, "8080", "port"},
        {"read-timeout-ms", FlagKind::Value, "30000", "timeout"},
        {"dev", FlagKind::Switch, "", "dev mode"},
    };
}
} // namespace

TEST(Options, DefaultsApplyWhenNothingIsGiven) {
    auto options = Options::parse(specs(), {});
    ASSERT_TRUE(options);
    EXPECT_EQ(options->get("port"), "8080");
    EXPECT_FALSE(options->enabled("dev"));
}

TEST(Options, FlagsWithSpaceOrEquals) {
    auto options = Options::parse(specs(), {"--port", "9000", "--read-timeout-ms=50", "--dev"});
    ASSERT_TRUE(options);
    EXPECT_EQ(options->get("port"), "9000");
    EXPECT_EQ(*options->get_int("read-timeout-ms", 1, 100), 50);
    EXPECT_TRUE(options->enabled("dev"));
}

TEST(Options, EnvironmentSetsFlagsAndCommandLineWins) {
    ::setenv("SPIRE_READ_TIMEOUT_MS", "77", 1);
    auto from_env = Options::parse(specs(), {});
    auto overridden = Options::parse(specs(), {"--read-timeout-ms", "88"});
    ::unsetenv("SPIRE_READ_TIMEOUT_MS");
    ASSERT_TRUE(from_env);
    ASSERT_TRUE(overridden);
    EXPECT_EQ(from_env->get("read-timeout-ms"), "77");
    EXPECT_EQ(overridden->get("read-timeout-ms"), "88");
}

TEST(Options, UnknownFlagIsAnError) {
    auto options = Options::parse(specs(), {"--prot", "1"});
    ASSERT_FALSE(options);
    EXPECT_NE(options.error().message.find("--prot"), std::string::npos);
}

TEST(Options, MissingValueIsAnError) {
    EXPECT_FALSE(Options::parse(specs(), {"--port"}));
}

TEST(Options, SwitchRefusesAValue) {
    EXPECT_FALSE(Options::parse(specs(), {"--dev=maybe"}));
}

TEST(Options, IntegerOutOfRangeOrNotANumberNamesTheFlag) {
    auto options = Options::parse(specs(), {"--port", "70000"});
    ASSERT_TRUE(options);
    auto port = options->get_int("port", 0, 65535);
    ASSERT_FALSE(port);
    EXPECT_NE(port.error().message.find("--port"), std::string::npos);
    auto text = Options::parse(specs(), {"--port", "80x"});
    EXPECT_FALSE(text->get_int("port", 0, 65535));
}

TEST(Options, HelpAndPositionalArguments) {
    auto options = Options::parse(specs(), {"--help", "extra"});
    ASSERT_TRUE(options);
    EXPECT_TRUE(options->help_requested());
    ASSERT_EQ(options->positional().size(), 1u);
    EXPECT_EQ(options->positional()[0], "extra");
}

TEST(Options, UsageListsEveryFlagAndItsEnvironmentVariable) {
    std::string text = usage("serve", "Serves.", specs());
    EXPECT_NE(text.find("--read-timeout-ms"), std::string::npos);
    EXPECT_NE(text.find("SPIRE_READ_TIMEOUT_MS"), std::string::npos);
    EXPECT_NE(text.find("--help"), std::string::npos);
}

TEST(Options, RepeatedFlagKeepsEveryValueInOrderAndGetSeesTheLast) {
    auto options = Options::parse(specs(), {"--port", "1", "--port=2", "--port", "3"});
    ASSERT_TRUE(options);
    EXPECT_EQ(options->get_all("port"), (std::vector<std::string>{"1", "2", "3"}));
    EXPECT_EQ(options->get("port"), "3");
}

TEST(Options, GetAllFallsBackToEnvironmentOrDefaultAndIsEmptyWithoutEither) {
    auto defaults = Options::parse(specs(), {});
    ASSERT_TRUE(defaults);
    EXPECT_EQ(defaults->get_all("port"), (std::vector<std::string>{"8080"}));
    EXPECT_TRUE(defaults->get_all("dev").empty());
    ::setenv("SPIRE_PORT", "9001", 1);
    auto from_env = Options::parse(specs(), {});
    auto overridden = Options::parse(specs(), {"--port", "9002"});
    ::unsetenv("SPIRE_PORT");
    ASSERT_TRUE(from_env);
    ASSERT_TRUE(overridden);
    EXPECT_EQ(from_env->get_all("port"), (std::vector<std::string>{"9001"}));
    EXPECT_EQ(overridden->get_all("port"), (std::vector<std::string>{"9002"}));
}
