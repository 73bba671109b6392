// Fuzzes the full-text search input (src/applications/search_text.cpp):
// whatever a user types, fts5_match_query() must give an expression SQLite's
// FTS5 accepts (no syntax error), and fts5_document() a document it stores.
// Both run against a real in-memory FTS5 table like application_search.

#include "applications/search_text.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <sqlite3.h>
#include <string>

namespace {

sqlite3* database() {
    static sqlite3* db = [] {
        sqlite3* made = nullptr;
        if (sqlite3_open(":memory:", &made) != SQLITE_OK)
            std::abort();
        const char* schema =
            "CREATE VIRTUAL TABLE s USING fts5(body, tokenize = 'unicode61 remove_diacritics 0');"
            "INSERT INTO s (rowid, body) VALUES (1, 'søknad om tidlig innsats'),"
            "(2, 'and or not near body');";
        if (sqlite3_exec(made, schema, nullptr, nullptr, nullptr) != SQLITE_OK)
            std::abort();
        return made;
    }();
    return db;
}

void run(const char* sql, const std::string& parameter) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(database(), sql, -1, &statement, nullptr) != SQLITE_OK)
        std::abort();
    sqlite3_bind_text(statement, 1, parameter.data(), static_cast<int>(parameter.size()),
                      SQLITE_TRANSIENT);
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) {
        std::fprintf(stderr, "FTS5 refused %s: %s\n", parameter.c_str(),
                     sqlite3_errmsg(database()));
        std::abort();
    }
    sqlite3_finalize(statement);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > 4096)
        return 0;
    const std::string input(reinterpret_cast<const char*>(data), size);
    const std::string query = spire::applications::fts5_match_query(input);
    if (!query.empty())
        run("SELECT rowid FROM s WHERE s MATCH ?", query);
    const std::string document = spire::applications::fts5_document(input);
    run("SELECT count(*) FROM (SELECT ? AS body)", document);
    (void)spire::applications::lower_utf8(input);
    return 0;
}
