#include "review/ranking_store.hpp"

#include "applications/model.hpp"
#include "calls/store.hpp"
#include "db/statement.hpp"

#include <soci/soci.h>

namespace spire::review::ranking_store {

namespace {

std::vector<RankedApplication> read_applications(soci::session& sql, Id call_id) {
    long long call = call_id;
    RankedApplication row;
    long long id = 0;
    int year = 0, number = 0;
    soci::statement statement(sql);
    statement.exchange(soci::into(id));
    statement.exchange(soci::into(year));
    statement.exchange(soci::into(number));
    statement.exchange(soci::into(row.title));
    statement.exchange(soci::into(row.unit_name));
    statement.exchange(soci::use(call, "call"));
    // application_by_call (call_id, status, id) gives them in id order.
    db::prepare(statement, std::string("SELECT a.id, a.reference_year, a.reference_number, "
                                       "a.title, u.name\n"
                                       "FROM application a\n"
                                       "JOIN org_unit u ON u.id = a.unit_id\n"
                                       "WHERE a.call_id = :call AND ") +
                               IN_RANKING_SQL + "\nORDER BY a.id");
    statement.execute();
    std::vector<RankedApplication> applications;
    while (statement.fetch()) {
        row.id = id;
        row.reference = applications::format_reference(year, number);
        applications.push_back(row);
    }
    return applications;
}

} // namespace

std::vector<ScoreRow> read_scores(soci::session& sql, Id call_id) {
    long long call = call_id;
    long long application = 0, reviewer = 0, criterion = 0;
    int score = 0;
    soci::statement statement(sql);
    statement.exchange(soci::into(application));
    statement.exchange(soci::into(reviewer));
    statement.exchange(soci::into(criterion));
    statement.exchange(soci::into(score));
    statement.exchange(soci::use(call, "call"));
    // assignment_by_call (call_id, status, application_id) finds the
    // submitted reviews; the conflict check is one probe of the declaration's
    // unique (application_id, reviewer_id) index.
    db::prepare(statement,
                "SELECT r.application_id, r.reviewer_id, sc.criterion_id, sc.score\n"
                "FROM review_assignment r\n"
                "JOIN review_score sc ON sc.assignment_id = r.id\n"
                "WHERE r.call_id = :call AND r.status = 'submitted' AND sc.score IS NOT NULL\n"
                "  AND NOT EXISTS (SELECT 1 FROM conflict_declaration d\n"
                "                  WHERE d.application_id = r.application_id\n"
                "                    AND d.reviewer_id = r.reviewer_id AND d.conflict = 1)\n"
                "ORDER BY r.application_id, r.reviewer_id, sc.criterion_id");
    statement.execute();
    std::vector<ScoreRow> scores;
    while (statement.fetch())
        scores.push_back({application, reviewer, criterion, score});
    return scores;
}

namespace {

std::optional<std::int64_t> read_seed(soci::session& sql, Id call_id) {
    long long call = call_id;
    long long seed = 0;
    soci::indicator found = soci::i_null;
    sql << "SELECT ranking_seed FROM call_review_settings WHERE call_id = :call",
        soci::use(call, "call"), soci::into(seed, found);
    if (!sql.got_data() || found != soci::i_ok)
        return std::nullopt;
    return seed;
}

} // namespace

RankingData read_ranking_data_without_scores(soci::session& sql, Id call_id) {
    RankingData data;
    data.criteria = calls::store::list_criteria(sql, call_id);
    data.applications = read_applications(sql, call_id);
    data.seed = read_seed(sql, call_id);
    return data;
}

RankingData read_ranking_data(soci::session& sql, Id call_id) {
    RankingData data = read_ranking_data_without_scores(sql, call_id);
    data.scores = read_scores(sql, call_id);
    return data;
}

std::set<Id> conflicted_applications(soci::session& sql, Id call_id, Id user_id) {
    long long call = call_id;
    long long user = user_id;
    long long application = 0;
    soci::statement statement(sql);
    statement.exchange(soci::into(application));
    statement.exchange(soci::use(user, "user"));
    statement.exchange(soci::use(call, "call"));
    // conflict_by_reviewer (reviewer_id, application_id): a reviewer has few.
    db::prepare(statement, "SELECT d.application_id\n"
                           "FROM conflict_declaration d\n"
                           "JOIN application a ON a.id = d.application_id\n"
                           "WHERE d.reviewer_id = :user AND d.conflict = 1 AND a.call_id = :call");
    statement.execute();
    std::set<Id> applications;
    while (statement.fetch())
        applications.insert(application);
    return applications;
}

std::int64_t input_version(soci::session& sql, Id call_id) {
    long long call = call_id;
    long long version = 0;
    sql << "SELECT version FROM ranking_input_version WHERE call_id = :call",
        soci::use(call, "call"), soci::into(version);
    return sql.got_data() ? version : 0;
}

std::optional<RankingStamp> find_ranking_stamp(soci::session& sql, Id call_id) {
    long long call = call_id;
    long long version = 0;
    int reviews = 0, reviewers = 0;
    RankingStamp stamp;
    sql << "SELECT input_version, model_version, input_digest, computed_at, review_count,\n"
           "       reviewer_count\n"
           "FROM ranking_cache WHERE call_id = :call",
        soci::use(call, "call"), soci::into(version), soci::into(stamp.model_version),
        soci::into(stamp.input_digest), soci::into(stamp.computed_at), soci::into(reviews),
        soci::into(reviewers);
    if (!sql.got_data())
        return std::nullopt;
    stamp.input_version = version;
    stamp.review_count = static_cast<std::size_t>(reviews);
    stamp.reviewer_count = static_cast<std::size_t>(reviewers);
    return stamp;
}

std::optional<std::string> find_ranking_result_json(soci::session& sql, Id call_id) {
    long long call = call_id;
    std::string json;
    sql << "SELECT result_json FROM ranking_cache WHERE call_id = :call", soci::use(call, "call"),
        soci::into(json);
    if (!sql.got_data())
        return std::nullopt;
    return json;
}

void save_ranking_cache(soci::session& sql, Id call_id, const CachedRanking& cached) {
    long long call = call_id;
    long long version = cached.stamp.input_version;
    int reviews = static_cast<int>(cached.stamp.review_count);
    int reviewers = static_cast<int>(cached.stamp.reviewer_count);
    sql << "INSERT INTO ranking_cache (call_id, input_digest, result_json, computed_at,\n"
           "    input_version, model_version, review_count, reviewer_count)\n"
           "VALUES (:call, :digest, :result, :at, :version, :model, :reviews, :reviewers)\n"
           "ON CONFLICT (call_id) DO UPDATE SET input_digest = excluded.input_digest,\n"
           "    result_json = excluded.result_json, computed_at = excluded.computed_at,\n"
           "    input_version = excluded.input_version, model_version = excluded.model_version,\n"
           "    review_count = excluded.review_count, reviewer_count = excluded.reviewer_count",
        soci::use(call, "call"), soci::use(cached.stamp.input_digest, "digest"),
        soci::use(cached.result_json, "result"), soci::use(cached.stamp.computed_at, "at"),
        soci::use(version, "version"), soci::use(cached.stamp.model_version, "model"),
        soci::use(reviews, "reviews"), soci::use(reviewers, "reviewers");
}

} // namespace spire::review::ranking_store
