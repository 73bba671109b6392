// Norwegian search text: words, lower-casing of æøå, Snowball stems, and
// FTS5 documents and queries that always match each other and never break
// FTS5's syntax.

#include "applications/search_text.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace {

using namespace spire::applications;

TEST(SearchText, LowerCasesNorwegianLetters) {
    EXPECT_EQ(lower_utf8("ÆØÅ Bærum SØKNAD"), "æøå bærum søknad");
    EXPECT_EQ(lower_utf8("École Ünder"), "école ünder");
}

TEST(SearchText, SplitsIntoWords) {
    auto words = search_words("Tidlig innsats: «barnehage» og skole-fritid, 2018!");
    std::vector<std::string> expected = {"tidlig", "innsats", "barnehage", "og",
                                         "skole",  "fritid",  "2018"};
    EXPECT_EQ(words, expected);
    EXPECT_TRUE(search_words("  ,.;:!?  ").empty());
    EXPECT_EQ(search_words(std::string("a\xff"
                                       "b",
                                       3)),
              (std::vector<std::string>{"a", "b"}));
}

TEST(SearchText, StemsNorwegian) {
    EXPECT_EQ(stem_norwegian("søknadene"), stem_norwegian("søknad"));
    EXPECT_EQ(stem_norwegian("søknader"), stem_norwegian("søknad"));
    EXPECT_EQ(stem_norwegian("barnehagene"), stem_norwegian("barnehage"));
}

TEST(SearchText, OrganisationTokenIsOAndTheId) {
    EXPECT_EQ(fts5_organisation_token(1), "o1");
    EXPECT_EQ(fts5_organisation_token(356), "o356");
}

TEST(SearchText, QueryQuotesEveryWord) {
    EXPECT_EQ(fts5_match_query(""), "");
    EXPECT_EQ(fts5_match_query("  \"* OR ( "), "\"or\"");
    std::string query = fts5_match_query("Søknadene NEAR barnehage");
    EXPECT_EQ(query.front(), '"');
    EXPECT_NE(query.find("\"søknad\""), std::string::npos);
}

// Runs the document and the query through a real FTS5 table.
class Fts5 : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_EQ(sqlite3_open(":memory:", &m_db), SQLITE_OK);
        exec("CREATE VIRTUAL TABLE s USING fts5(body, tokenize = 'unicode61 remove_diacritics 0')");
    }
    void TearDown() override { sqlite3_close(m_db); }
    void exec(const char* sql) {
        ASSERT_EQ(sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr), SQLITE_OK)
            << sqlite3_errmsg(m_db);
    }
    void add(long long id, const std::string& text) {
        sqlite3_stmt* statement = nullptr;
        sqlite3_prepare_v2(m_db, "INSERT INTO s (rowid, body) VALUES (?, ?)", -1, &statement,
                           nullptr);
        std::string document = fts5_document(text);
        sqlite3_bind_int64(statement, 1, id);
        sqlite3_bind_text(statement, 2, document.c_str(), -1, SQLITE_TRANSIENT);
        EXPECT_EQ(sqlite3_step(statement), SQLITE_DONE);
        sqlite3_finalize(statement);
    }
    // Matching rowids; -1 on an FTS5 error.
    std::vector<long long> match(const std::string& input) {
        std::string query = fts5_match_query(input);
        std::vector<long long> ids;
        if (query.empty())
            return ids;
        sqlite3_stmt* statement = nullptr;
        sqlite3_prepare_v2(m_db, "SELECT rowid FROM s WHERE s MATCH ? ORDER BY rowid", -1,
                           &statement, nullptr);
        sqlite3_bind_text(statement, 1, query.c_str(), -1, SQLITE_TRANSIENT);
        int rc;
        while ((rc = sqlite3_step(statement)) == SQLITE_ROW)
            ids.push_back(sqlite3_column_int64(statement, 0));
        if (rc != SQLITE_DONE)
            ids = {-1};
        sqlite3_finalize(statement);
        return ids;
    }
    sqlite3* m_db = nullptr;
};

TEST_F(Fts5, SoknadeneMatchesSoknad) {
    add(1, "En søknad om tidlig innsats i barnehagen");
    add(2, "Velferdsteknologi på sykehjem");
    EXPECT_EQ(match("søknadene"), (std::vector<long long>{1}));
    EXPECT_EQ(match("SØKNAD"), (std::vector<long long>{1}));
    EXPECT_EQ(match("barnehager tidlig"), (std::vector<long long>{1}));
    EXPECT_EQ(match("velferdsteknologien"), (std::vector<long long>{2}));
    EXPECT_TRUE(match("søknad sykehjem").empty());
}

TEST_F(Fts5, HostileQueriesAreNeverSyntaxErrors) {
    add(1, "AND OR NOT NEAR body");
    for (const char* input :
         {"\"", "\"\"", "*",      "a*",    "NEAR(a b)", "body:x", "^a", "(a",   "a)",   "-a",
          "+",  "AND",  "OR NOT", "a AND", "{body}: a", "'",      "\\", "\xc3", "æ\"ø", "a - b"}) {
        auto ids = match(input);
        EXPECT_TRUE(ids.empty() || ids.front() != -1) << input;
    }
    EXPECT_EQ(match("not"), (std::vector<long long>{1}));
}

} // namespace
