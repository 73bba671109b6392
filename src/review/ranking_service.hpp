#pragma once

// The ranking page's use cases (issue 6 §5, §6): a call's calibrated
// ranking with uncertainty, and its review-data file.
//
// The model input is built by ranking_input_of() from what the store reads,
// and the review-data file is write_ranking_input() of that same input, so
// `spire rank` on the downloaded file ranks exactly what the page ranked and
// prints the same numbers (tests/integration/ranking_pages_test.cpp proves
// it).
//
// Cache: computing the model takes up to a second for a large call, so the
// result is kept in ranking_cache, stamped with the call's ranking input
// version. Triggers (migrations/review/002) bump that version in the same
// transaction as every change to the input – a score, a review's status, a
// conflict, a screening, a criterion, the seed, an application entering or
// leaving 'submitted' – whichever module, tool or SQL made it. A row stamped
// with the current version (and this RANKING_MODEL_VERSION) is therefore the
// result for the current input, and a page view reads neither the scores nor
// (with this process's memo of the last results, by call and version) the
// 100 KB of JSON: the scores were over a third of the page's time. The input
// digest (ranking_digest()) is kept in the row as a record of what was
// ranked.

#include "calls/model.hpp"
#include "core/error.hpp"
#include "identity/service.hpp"
#include "review/ranking.hpp"
#include "review/ranking_store.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace spire::db {
class Database;
}

namespace spire::review {

using identity::Actor;
using identity::Id;

// Bump when the model or its defaults change: cached results of the old
// model then no longer match any input.
inline constexpr std::string_view RANKING_MODEL_VERSION = "spire-ranking-1";

// The model input for the data: application ids are the applications' ids
// as text, criterion ids the criteria's ids as text, reviewers opaque "R1",
// "R2", ... in the order of their user ids (the file needs no names).
// Reviews lacking a score for some criterion are left out. The seed is the
// call's stored ranking seed; a call without review settings uses its id.
RankingInput ranking_input_of(const ranking_store::RankingData& data, Id call_id);

// Hex SHA-256 of RANKING_MODEL_VERSION and everything in the input (the
// same data as the review-data file, written compactly: this runs on every
// page view).
std::string ranking_digest(const RankingInput& input);

enum class RankingPageState {
    NoApplications, // nothing submitted (or everything screened out)
    NotRankable,    // the criteria cannot be used (none, or weights not 100 %)
    NoReviews,      // applications, but not one submitted review
    Ranked,
};

struct RankingRow {
    ranking_store::RankedApplication application;
    ApplicationRanking ranking;
    std::vector<std::string> threshold_failures; // criterion names
};

struct CallRanking {
    calls::Call call;
    std::vector<calls::Criterion> criteria;
    RankingPageState state = RankingPageState::NoApplications;
    std::string not_rankable_reason; // msgid, for NotRankable
    // The rows the user may see, best first (expected rank, then id).
    std::vector<RankingRow> rows;
    std::size_t hidden_rows = 0; // left out: the user declared a conflict
    Reliability reliability;
    std::optional<VarianceComponents> variance;
    Sampling sampling;
    int scale_min = 1;
    int scale_max = 7;
    std::size_t review_count = 0;
    std::size_t reviewer_count = 0;
    bool from_cache = false;
    std::string computed_at; // UTC, of the model run shown
    // write_ranking_result() of the whole call (all rows): what `spire rank`
    // prints for the review-data file. Empty unless the model ran.
    std::string result_json;
};

class RankingService {
public:
    explicit RankingService(std::shared_ptr<db::Database> database);

    // The call's ranking as the actor may see it (review/ranking_policy.hpp).
    Result<CallRanking> ranking(const Actor& actor, Id call_id);

    // The review-data file (docs/ranking-file.md) of the call.
    Result<std::string> review_data_file(const Actor& actor, Id call_id);

private:
    // A result read back (or computed), with what it was computed from.
    struct Memo {
        ranking_store::RankingStamp stamp;
        RankingResult result;
        std::string result_json;
    };
    static constexpr std::size_t MEMO_CALLS = 64;

    // What the page's read transaction found: a current result (memo or
    // cache row) or else the scores in `data`.
    struct PageRead {
        calls::Call call;
        ranking_store::RankingData data;
        std::set<Id> conflicts;
        std::int64_t input_version = 0;
        std::shared_ptr<const Memo> memo;
        std::optional<ranking_store::CachedRanking> cached;
    };

    Result<PageRead> read_page(const Actor& actor, Id call_id);
    Result<std::shared_ptr<const Memo>> compute(Id call_id, const ranking_store::RankingData& data,
                                                std::int64_t input_version);
    static std::shared_ptr<const Memo> read_back(ranking_store::CachedRanking cached);
    std::shared_ptr<const Memo> remembered(Id call_id, std::int64_t input_version);
    void remember(Id call_id, std::shared_ptr<const Memo> memo);

    std::shared_ptr<db::Database> m_database;
    std::mutex m_memo_mutex;
    std::map<Id, std::shared_ptr<const Memo>> m_memo;
};

} // namespace spire::review
