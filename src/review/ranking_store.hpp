#pragma once

// SQL for the ranking page (DESIGN.md §5): what a call's ranking is computed
// from, and the cached result. Every function runs inside the caller's
// transaction and decides nothing about permissions.
//
// Which applications are ranked: those of the call that are submitted now
// (not drafts, not withdrawn) and that screening did not find ineligible –
// an application nobody has screened yet is ranked, so that a fund manager
// who skips screening still sees every submitted application; one marked
// not eligible has left the review (issue 6 §1).
//
// Which reviews count: submitted ones (drafts and withdrawn assignments do
// not), of ranked applications, whose reviewer has not declared a conflict
// for that application, with a score for every criterion of the call.

#include "calls/model.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace spire::review::ranking_store {

using identity::Id;

// The rule above as SQL on an application aliased `a`. The decisions store
// applies the same rule, so that an application a scenario funds can also be
// decided.
inline constexpr const char* IN_RANKING_SQL =
    "(a.status = 'submitted' AND NOT EXISTS (SELECT 1 FROM application_screening s\n"
    "     WHERE s.application_id = a.id AND s.eligible = 0))";

struct RankedApplication {
    Id id = 0;
    std::string reference; // "SPIRE-2018-0042"
    std::string title;
    std::string unit_name;
};

// One criterion score of a submitted review.
struct ScoreRow {
    Id application_id = 0;
    Id reviewer_id = 0;
    Id criterion_id = 0;
    int score = 0;
};

struct RankingData {
    std::vector<calls::Criterion> criteria;      // by sort order, id
    std::vector<RankedApplication> applications; // by id
    std::vector<ScoreRow> scores;                // by application, reviewer, criterion
    std::optional<std::int64_t> seed;            // call_review_settings.ranking_seed
};

// Everything the ranking of `call_id` is computed from, in four statements
// (criteria, applications, scores, seed).
RankingData read_ranking_data(soci::session& sql, Id call_id);
// The same without the scores (criteria, applications, seed): what a page
// needs when the cached result is for the current input.
RankingData read_ranking_data_without_scores(soci::session& sql, Id call_id);
// The scores of read_ranking_data().
std::vector<ScoreRow> read_scores(soci::session& sql, Id call_id);

// The applications of the call for which `user_id` declared a conflict: the
// rows that user may not see.
std::set<Id> conflicted_applications(soci::session& sql, Id call_id, Id user_id);

// The call's ranking input version: triggers (migrations/review/002) bump it
// in every transaction that changes what read_ranking_data() returns. 0 for
// a call whose input never changed.
std::int64_t input_version(soci::session& sql, Id call_id);

// What a cached result was computed from, without the result itself.
struct RankingStamp {
    std::int64_t input_version = -1;
    std::string model_version; // RANKING_MODEL_VERSION of the run
    std::string input_digest;  // review/ranking_service.hpp ranking_digest()
    std::string computed_at;   // UTC, core/time.hpp format
    std::size_t review_count = 0;
    std::size_t reviewer_count = 0;
};

struct CachedRanking {
    RankingStamp stamp;
    std::string result_json; // review::write_ranking_result()
};

std::optional<RankingStamp> find_ranking_stamp(soci::session& sql, Id call_id);
std::optional<std::string> find_ranking_result_json(soci::session& sql, Id call_id);
// Inserts or replaces the call's row.
void save_ranking_cache(soci::session& sql, Id call_id, const CachedRanking& cached);

} // namespace spire::review::ranking_store
