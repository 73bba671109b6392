#include "http/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace spire::http;

namespace {

class StaticFilesTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_root = std::filesystem::temp_directory_path() /
                 ("spire-static-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::create_directories(m_root / "css");
        write("css/app.css", "body{color:red}");
        write("css/app.css.gz", "GZIPPED");
        write("robots.txt", "User-agent: *");
        m_files = StaticFiles::load(m_root);
    }
    void TearDown() override { std::filesystem::remove_all(m_root); }

    void write(const std::string& relative, const std::string& content) {
        std::ofstream(m_root / relative, std::ios::binary) << content;
    }

    Response get(std::string_view path,
                 std::vector<std::pair<std::string, std::string>> headers = {}) {
        Request request;
        for (auto& [name, value] : headers)
            request.headers.add(name, value);
        return m_files.serve(request, path);
    }

    std::filesystem::path m_root;
    StaticFiles m_files;
};

} // namespace

TEST_F(StaticFilesTest, ServesPlainNameWithRevalidation) {
    Response response = get("robots.txt");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "User-agent: *");
    EXPECT_EQ(response.headers.get("Cache-Control").value_or(""), "no-cache");
    EXPECT_EQ(response.headers.get("Content-Type").value_or(""), "text/plain; charset=utf-8");
    EXPECT_TRUE(response.headers.has("ETag"));
}

TEST_F(StaticFilesTest, FingerprintedNameIsCachedForAYear) {
    std::string url = m_files.url("css/app.css");
    ASSERT_TRUE(url.starts_with("/static/css/app."));
    ASSERT_TRUE(url.ends_with(".css"));
    Response response = get(std::string_view(url).substr(std::string_view("/static/").size()));
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.headers.get("Cache-Control").value_or(""),
              "public, max-age=31536000, immutable");
}

TEST_F(StaticFilesTest, FingerprintChangesWithContent) {
    std::string before = m_files.url("css/app.css");
    write("css/app.css", "body{color:blue}");
    EXPECT_NE(StaticFiles::load(m_root).url("css/app.css"), before);
}

TEST_F(StaticFilesTest, MatchingEtagGives304WithoutBody) {
    std::string etag(*get("robots.txt").headers.get("ETag"));
    Response response = get("robots.txt", {{"If-None-Match", etag}});
    EXPECT_EQ(response.status, 304);
    EXPECT_TRUE(response.body.empty());
    EXPECT_EQ(get("robots.txt", {{"If-None-Match", "\"other\""}}).status, 200);
}

TEST_F(StaticFilesTest, PrecompressedVariantOnlyWhenAccepted) {
    Response gzipped = get("css/app.css", {{"Accept-Encoding", "br, gzip"}});
    EXPECT_EQ(gzipped.body, "GZIPPED");
    EXPECT_EQ(gzipped.headers.get("Content-Encoding").value_or(""), "gzip");
    EXPECT_EQ(gzipped.headers.get("Vary").value_or(""), "Accept-Encoding");
    Response plain = get("css/app.css");
    EXPECT_EQ(plain.body, "body{color:red}");
    EXPECT_FALSE(plain.headers.has("Content-Encoding"));
}

TEST_F(StaticFilesTest, TheGzFileItselfIsNotAUrl) {
    EXPECT_EQ(get("css/app.css.gz").status, 404);
}

TEST_F(StaticFilesTest, TraversalAndUnknownPathsAre404) {
    write("../outside-secret.txt", "secret");
    for (std::string_view path : {"../outside-secret.txt", "css/../../outside-secret.txt",
                                  "/etc/passwd", "css", "", "css/app.0000000000.css"}) {
        Response response = get(path);
        EXPECT_EQ(response.status, 404) << path;
        EXPECT_EQ(response.body.find("secret"), std::string::npos);
    }
    std::filesystem::remove(m_root / ".." / "outside-secret.txt");
}

TEST_F(StaticFilesTest, UrlForUnknownFileIsAProgrammingError) {
    EXPECT_THROW(m_files.url("css/missing.css"), std::invalid_argument);
}

TEST_F(StaticFilesTest, StylesheetUrlsPointAtFingerprintedFiles) {
    std::filesystem::create_directories(m_root / "fonts");
    write("fonts/inter.woff2", "FONTDATA");
    write("fonts/inter.css", "@font-face{src:url(inter.woff2) format('woff2')}"
                             "a{background:url(\"data:image/svg+xml,x\")}b{x:url(missing.png)}");
    write("fonts/inter.css.gz", "STALE");
    StaticFiles files = StaticFiles::load(m_root);
    std::string font_url = files.url("fonts/inter.woff2");
    Request request;
    request.headers.add("Accept-Encoding", "gzip");
    Response css = files.serve(request, "fonts/inter.css");
    EXPECT_NE(css.body.find("url(" + font_url + ")"), std::string::npos) << css.body;
    EXPECT_NE(css.body.find("url(\"data:image/svg+xml,x\")"), std::string::npos);
    EXPECT_NE(css.body.find("url(missing.png)"), std::string::npos);
    // The precompressed copy holds the old URLs, so it must not be served.
    EXPECT_FALSE(css.headers.has("Content-Encoding"));
}

TEST_F(StaticFilesTest, StalePrecompressedCopyIsIgnored) {
    write("css/app.css", "body{color:green}");
    auto old_time =
        std::filesystem::last_write_time(m_root / "css/app.css") - std::chrono::hours(1);
    std::filesystem::last_write_time(m_root / "css/app.css.gz", old_time);
    StaticFiles files = StaticFiles::load(m_root);
    Request request;
    request.headers.add("Accept-Encoding", "gzip");
    Response response = files.serve(request, "css/app.css");
    EXPECT_EQ(response.body, "body{color:green}");
    EXPECT_FALSE(response.headers.has("Content-Encoding"));
}
