// The ledger downloads: CSV as Norwegian Excel reads it (BOM, ';', decimal
// comma, no formula injection) and XLSX with real numbers and dates.

#include "funds/export.hpp"
#include "support/unzip.hpp"

#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <limits>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <unistd.h>

using namespace spire::funds;
using spire::test::unzip_member;

namespace {

LedgerEntry entry(Id id, EntryKind kind, spire::Ore amount, std::string reason) {
    LedgerEntry e;
    e.id = id;
    e.fund_id = 1;
    e.year = 2018;
    e.programme_id = 7;
    e.kind = kind;
    e.amount_ore = amount;
    e.reason = std::move(reason);
    e.author_user_id = 3;
    e.author_name = "Frida Fondsforvalter";
    // 13:05 UTC in winter is 14:05 in Oslo.
    e.created_at = "2018-02-01T13:05:09.123456Z";
    return e;
}

LedgerExportContext context() {
    LedgerExportContext c;
    c.programme_names = {{7, "Sosiale entreprenører"}};
    return c;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find("\r\n", start);
        if (end == std::string::npos)
            end = text.size();
        lines.push_back(text.substr(start, end - start));
        start = end + 2;
    }
    return lines;
}

// A scratch directory, used as $TMPDIR while it lives.
class TempDir {
public:
    TempDir() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "spire-test-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("mkdtemp");
        m_path = pattern;
        if (const char* old = std::getenv("TMPDIR"))
            m_old = old;
        ::setenv("TMPDIR", m_path.c_str(), 1);
    }
    ~TempDir() {
        if (m_old)
            ::setenv("TMPDIR", m_old->c_str(), 1);
        else
            ::unsetenv("TMPDIR");
        std::filesystem::remove_all(m_path);
    }
    const std::filesystem::path& path() const { return m_path; }
    std::size_t files() const {
        return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(m_path),
                                                      std::filesystem::directory_iterator()));
    }

private:
    std::filesystem::path m_path;
    std::optional<std::string> m_old;
};

// The <c> element of cell `ref` (e.g. "F2") in a sheet's XML.
std::string cell(const std::string& sheet, const std::string& ref) {
    std::smatch match;
    std::regex pattern("<c r=\"" + ref + "\"[^>]*?(/>|>.*?</c>)");
    if (!std::regex_search(sheet, match, pattern))
        return {};
    return match.str(0);
}

} // namespace

// --- CSV cells ----------------------------------------------------------------------------

TEST(LedgerCsv, TextCellsAreQuotedOnlyWhenNeeded) {
    EXPECT_EQ(csv_text("Bærum"), "Bærum");
    EXPECT_EQ(csv_text("a, b"), "a, b"); // the comma is not our separator
    EXPECT_EQ(csv_text("a;b"), "\"a;b\"");
    EXPECT_EQ(csv_text("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_text("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csv_text("cr\rhere"), "\"cr\rhere\"");
    EXPECT_EQ(csv_text(""), "");
}

TEST(LedgerCsv, FormulaLookingTextStaysText) {
    EXPECT_EQ(csv_text("=1+1"), "'=1+1");
    EXPECT_EQ(csv_text("+47 123"), "'+47 123");
    EXPECT_EQ(csv_text("-2"), "'-2");
    EXPECT_EQ(csv_text("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(csv_text("\tx"), "'\tx");
    EXPECT_EQ(csv_text("\rx"), "\"'\rx\"");
    EXPECT_EQ(csv_text("=HYPERLINK(\"http://evil\";\"x\")"),
              "\"'=HYPERLINK(\"\"http://evil\"\";\"\"x\"\")\"");
    EXPECT_EQ(csv_text("a=b"), "a=b");
}

TEST(LedgerCsv, AmountsAreKronerWithDecimalComma) {
    EXPECT_EQ(csv_kroner(123450), "1234,50");
    EXPECT_EQ(csv_kroner(100000000), "1000000,00");
    EXPECT_EQ(csv_kroner(5), "0,05");
    EXPECT_EQ(csv_kroner(0), "0,00");
    EXPECT_EQ(csv_kroner(-123456), "-1234,56");
    EXPECT_EQ(csv_kroner(std::numeric_limits<spire::Ore>::min()), "-92233720368547758,08");
}

// --- CSV files ----------------------------------------------------------------------------

TEST(LedgerCsv, StartsWithBomAndHeaderRow) {
    LedgerCsv csv(context());
    std::string text = csv.take();
    ASSERT_TRUE(text.starts_with("\xEF\xBB\xBF"));
    auto lines = lines_of(text.substr(3));
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0], "No.;Registered;Year;Programme;Kind;Amount (kr);Refers to;By;Reason;"
                        "Beyond the budget;Reverses entry");
}

TEST(LedgerCsv, WritesOneRowPerEntryInOsloTime) {
    LedgerCsv csv(context());
    LedgerEntry commit = entry(12, EntryKind::Commit, 123450, "Tilsagn; første del");
    commit.reference = Reference{ReferenceType::Application, 42};
    csv.add(commit);
    LedgerEntry release = entry(13, EntryKind::Release, -5, "=cmd|' /C calc'!A0");
    release.release_of = ReleaseOf::Commit;
    release.reverses = 12;
    release.override = true;
    release.override_reason = "-Styret har vedtatt det";
    release.author_user_id.reset();
    release.created_at = "2018-07-01T10:00:00Z"; // summer: +02:00
    csv.add(release);

    auto lines = lines_of(csv.take().substr(3));
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[1], "12;2018-02-01 14:05:09;2018;Sosiale entreprenører;Commitment;1234,50;"
                        "Application 42;Frida Fondsforvalter;\"Tilsagn; første del\";;");
    EXPECT_EQ(lines[2], "13;2018-07-01 12:00:00;2018;Sosiale entreprenører;"
                        "Release (Commitment);-0,05;;System;'=cmd|' /C calc'!A0;"
                        "'-Styret har vedtatt det;12");
}

TEST(LedgerCsv, TranslatesHeadersAndLabels) {
    LedgerExportContext c = context();
    c.translate = [](std::string_view msgid) {
        if (msgid == "Year")
            return std::string("År");
        if (msgid == "Frame")
            return std::string("Ramme");
        return std::string(msgid);
    };
    LedgerCsv csv(c);
    csv.add(entry(1, EntryKind::Frame, 300000000, "Årlig ramme"));
    auto lines = lines_of(csv.take().substr(3));
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_NE(lines[0].find(";År;"), std::string::npos);
    EXPECT_NE(lines[1].find(";Ramme;3000000,00;"), std::string::npos);
}

TEST(LedgerCsv, UnknownProgrammeShowsItsId) {
    LedgerCsv csv(LedgerExportContext{});
    csv.add(entry(1, EntryKind::Frame, 100, "x"));
    EXPECT_NE(csv.take().find(";#7;"), std::string::npos);
}

// --- XLSX ---------------------------------------------------------------------------------

class LedgerXlsxTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!spire::test::unzip_available())
            GTEST_FAIL() << "unzip is missing: run scripts/install-deps";
    }
    TempDir m_tmp;
};

TEST_F(LedgerXlsxTest, AmountsAreNumbersWithAKronerFormat) {
    LedgerXlsx xlsx(context());
    LedgerEntry commit = entry(12, EntryKind::Commit, 123450, "Tilsagn til Bærum");
    commit.reference = Reference{ReferenceType::Project, 5};
    xlsx.add(commit);
    LedgerEntry reversal = entry(13, EntryKind::Commit, -123450, "=1+1");
    reversal.reverses = 12;
    xlsx.add(reversal);
    auto bytes = xlsx.finish();
    ASSERT_TRUE(bytes);
    ASSERT_TRUE(bytes->starts_with("PK")); // a zip file

    std::string sheet = unzip_member(*bytes, "xl/worksheets/sheet1.xml");
    ASSERT_FALSE(sheet.empty());
    // Amounts: numeric cells (no t="s" / t="inlineStr"), in kroner.
    std::string amount = cell(sheet, "F2");
    EXPECT_NE(amount.find("<v>1234.5</v>"), std::string::npos) << amount;
    EXPECT_EQ(amount.find("t=\""), std::string::npos) << amount;
    EXPECT_NE(cell(sheet, "F3").find("<v>-1234.5</v>"), std::string::npos) << cell(sheet, "F3");
    // Ids, years and the reversed entry are numbers too.
    EXPECT_NE(cell(sheet, "A2").find("<v>12</v>"), std::string::npos);
    EXPECT_NE(cell(sheet, "C2").find("<v>2018</v>"), std::string::npos);
    EXPECT_NE(cell(sheet, "K3").find("<v>12</v>"), std::string::npos);
    // 2018-02-01 14:05:09 Oslo as an Excel serial date (days since 1899-12-30).
    std::string time = cell(sheet, "B2");
    EXPECT_EQ(time.find("t=\""), std::string::npos) << time;
    EXPECT_NE(time.find("<v>43132.5869"), std::string::npos) << time;
    // Text stays text, formula-looking or not (XLSX keeps strings and formulas apart).
    EXPECT_NE(sheet.find("Tilsagn til Bærum"), std::string::npos);
    EXPECT_NE(cell(sheet, "I3").find("=1+1"), std::string::npos);
    EXPECT_EQ(sheet.find("<f>"), std::string::npos);
    EXPECT_NE(sheet.find("Project 5"), std::string::npos);

    // Header row frozen, autofilter over the data, widths set.
    EXPECT_NE(sheet.find("<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
                         "state=\"frozen\"/>"),
              std::string::npos);
    EXPECT_NE(sheet.find("<autoFilter ref=\"A1:K3\"/>"), std::string::npos);
    EXPECT_NE(sheet.find("<cols>"), std::string::npos);
    EXPECT_NE(sheet.find("customWidth=\"1\""), std::string::npos);

    std::string styles = unzip_member(*bytes, "xl/styles.xml");
    EXPECT_NE(styles.find("formatCode=\"#,##0.00 &quot;kr&quot;;-#,##0.00 &quot;kr&quot;\""),
              std::string::npos)
        << styles;
    EXPECT_NE(styles.find("formatCode=\"dd.mm.yyyy hh:mm\""), std::string::npos);
    EXPECT_NE(styles.find("<b/>"), std::string::npos); // the bold header
}

TEST_F(LedgerXlsxTest, HeaderRowIsBoldText) {
    LedgerXlsx xlsx(context());
    auto bytes = xlsx.finish();
    ASSERT_TRUE(bytes);
    std::string sheet = unzip_member(*bytes, "xl/worksheets/sheet1.xml");
    std::string a1 = cell(sheet, "A1");
    EXPECT_NE(a1.find("No."), std::string::npos) << a1;
    EXPECT_NE(a1.find(" s=\""), std::string::npos) << a1; // styled (bold, see styles.xml)
    EXPECT_NE(cell(sheet, "F1").find("Amount (kr)"), std::string::npos);
    EXPECT_NE(sheet.find("<autoFilter ref=\"A1:K1\"/>"), std::string::npos);
}

TEST_F(LedgerXlsxTest, TemporaryFileIsRemovedAfterFinish) {
    {
        LedgerXlsx xlsx(context());
        xlsx.add(entry(1, EntryKind::Frame, 100, "x"));
        EXPECT_GE(m_tmp.files(), 1u); // the workbook's file while it is written
        ASSERT_TRUE(xlsx.finish());
        EXPECT_EQ(m_tmp.files(), 0u);
    }
    EXPECT_EQ(m_tmp.files(), 0u);
}

TEST_F(LedgerXlsxTest, TemporaryFileIsRemovedWhenNeverFinished) {
    {
        LedgerXlsx xlsx(context());
        xlsx.add(entry(1, EntryKind::Frame, 100, "x"));
        EXPECT_GE(m_tmp.files(), 1u);
    }
    EXPECT_EQ(m_tmp.files(), 0u);
}

TEST_F(LedgerXlsxTest, TemporaryFileIsPrivate) {
    LedgerXlsx xlsx(context());
    for (const auto& file : std::filesystem::directory_iterator(m_tmp.path())) {
        auto perms = std::filesystem::status(file.path()).permissions();
        EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
                  std::filesystem::perms::none)
            << file.path();
    }
}
