#pragma once

// The ranking file: a self-contained JSON document with everything the
// ranking model needs (criteria, applications, reviewers, scores, seed and
// chain lengths), so that a call's ranking can be re-run offline by anyone
// (`spire rank FILE`) and gives the same numbers. The review pages export
// it with write_ranking_input(). docs/ranking-file.md describes the input
// and output formats for people; in short:
//
//   {
//     "version": 1,
//     "criteria": [{"id": "relevance", "weight": 60, "scale": {"min": 1, "max": 7},
//                   "minimum": 4}, ...],
//     "applications": ["A-1", "A-2", 17],
//     "reviewers": ["R-1", 2],
//     "reviews": [{"application": "A-1", "reviewer": "R-1",
//                  "scores": {"relevance": 5, ...}}, ...],
//     "seed": 20240611, "burn_in": 500, "draws": 2000
//   }
//
// Ids are strings or integers; an integer stands for its decimal text (17
// and "17" are the same id). "version", "burn_in" and "draws" may be left
// out (1, and review::Sampling's defaults); everything else is required.
// No names: the file carries ids and numbers only.
//
// Parsing is strict: unknown keys, wrong types, fractions where a whole
// number belongs, and everything validate_ranking_input() refuses are
// errors naming the place in the file ("reviews[3].scores.relevance"), and
// so is a key given twice in one object.

#include "core/error.hpp"
#include "review/ranking.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace spire::review {

inline constexpr int RANKING_FILE_VERSION = 1;
// Larger files are refused before parsing (the largest valid input, 1 000 000
// reviews, is about 100 MB; a call has a few thousand).
inline constexpr std::size_t MAX_RANKING_FILE_BYTES = 128 * 1024 * 1024;

// The input in `text`, or Invalid with one FieldError per problem (at most
// MAX_REPORTED_PROBLEMS): `field` is the path in the file, `message` English.
Result<RankingInput> parse_ranking_input(std::string_view text);

// The file parse_ranking_input() reads back as `input` (indented JSON,
// ending in a newline). Integers stay strings: "17".
std::string write_ranking_input(const RankingInput& input);

// The result as indented JSON ending in a newline; the applications best
// first (by expected rank, then in input order). Numbers are rounded to
// four decimals.
std::string write_ranking_result(const RankingResult& result);

// Reads back what write_ranking_result() wrote (the ranking cache keeps it):
// the applications in the file's order (best first). Numbers are as written,
// rounded to four decimals, so writing the result again gives the same text.
// Invalid, with the place of each problem, for anything else.
Result<RankingResult> parse_ranking_result(std::string_view text);

} // namespace spire::review
