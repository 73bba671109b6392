#pragma once

// Full-text search over applications (issue 5 §6) with Norwegian stemming.
//
// SQLite: FTS5 with its plain unicode61 tokenizer does not stem, so the
// words are stemmed here, with the Snowball Norwegian stemmer (libstemmer),
// both in the stored document (fts5_document) and in the query
// (fts5_match_query): "søknadene" and "søknad" both become "søknad".
// PostgreSQL stems with its own 'norwegian' configuration; it gets the
// unstemmed text (search_body) and the query as typed (plainto_tsquery never
// fails on user input).
//
// Words: runs of letters and digits (ASCII, Latin-1 and Latin Extended
// letters such as æ, ø, å, é, ü, Greek and Cyrillic), lower-cased; anything
// else separates words. Invalid UTF-8 separates too.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace spire::applications {

// Lower-cases ASCII and Latin-1 letters (Æ -> æ, Ø -> ø, Å -> å, É -> é)
// and the case pairs of Latin Extended-A; everything else is copied.
// Invalid UTF-8 bytes are copied unchanged.
std::string lower_utf8(std::string_view text);

// The words of the text, lower-cased, in order. Words longer than
// MAX_WORD_BYTES are cut (at a character boundary).
inline constexpr std::size_t MAX_WORD_BYTES = 64;
std::vector<std::string> search_words(std::string_view text);

// A word's Snowball Norwegian stem ("søknadene" -> "søknad"). The stemmer is
// not thread-safe: each thread has its own.
std::string stem_norwegian(std::string_view word);

// The stemmed words of the text separated by spaces: what the SQLite
// application_search.body holds.
std::string fts5_document(std::string_view text);

// The token of the SQLite application_search.organisation column: "o" and
// the organisation's id. The store ANDs it into every search, so FTS5 reads
// one organisation's documents only; being in a column of its own, no word
// of an application's text can match it.
std::string fts5_organisation_token(long long organisation_id);

// An FTS5 MATCH expression for what a user typed: each stemmed word as a
// quoted string, all required (implicit AND). Never an FTS5 syntax error,
// whatever the input. Empty when there are no words (then: no filter). At
// most MAX_QUERY_WORDS words are used.
inline constexpr std::size_t MAX_QUERY_WORDS = 16;
std::string fts5_match_query(std::string_view input);

// The texts of an application joined for indexing (title, summary, text
// answers), one per line.
std::string search_body(const std::vector<std::string_view>& parts);

} // namespace spire::applications
