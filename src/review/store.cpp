#include "review/store.hpp"

#include "applications/model.hpp"
#include "db/statement.hpp"

#include <soci/soci.h>
#include <stdexcept>

namespace spire::review::store {

namespace {

// --- Assignments -----------------------------------------------------------------------

constexpr const char* ASSIGNMENT_SELECT =
    "SELECT a.id, a.organisation_id, a.call_id, a.application_id, a.reviewer_id, a.status,\n"
    "    a.recommendation, a.overall_comment, a.assigned_at, a.submitted_at, u.name,\n"
    "    ap.reference_year, ap.reference_number, ap.title, c.title\n"
    "FROM review_assignment a\n"
    "JOIN app_user u ON u.id = a.reviewer_id\n"
    "JOIN application ap ON ap.id = a.application_id\n"
    "JOIN fund_call c ON c.id = a.call_id\n";

struct AssignmentRow {
    Assignment assignment;
    std::string status;
    db::Nullable<std::string> recommendation;
    db::Nullable<std::string> submitted_at;
    int year = 0;
    int number = 0;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(assignment.id));
        statement.exchange(soci::into(assignment.organisation_id));
        statement.exchange(soci::into(assignment.call_id));
        statement.exchange(soci::into(assignment.application_id));
        statement.exchange(soci::into(assignment.reviewer_id));
        statement.exchange(soci::into(status));
        statement.exchange(soci::into(recommendation.value, recommendation.indicator));
        statement.exchange(soci::into(assignment.overall_comment));
        statement.exchange(soci::into(assignment.assigned_at));
        statement.exchange(soci::into(submitted_at.value, submitted_at.indicator));
        statement.exchange(soci::into(assignment.reviewer_name));
        statement.exchange(soci::into(year));
        statement.exchange(soci::into(number));
        statement.exchange(soci::into(assignment.application_title));
        statement.exchange(soci::into(assignment.call_title));
    }
    Assignment finish() const {
        Assignment out = assignment;
        auto parsed = parse_assignment_status(status);
        if (!parsed)
            throw std::runtime_error("review_assignment: unknown status '" + status + "'");
        out.status = *parsed;
        if (auto key = recommendation.get())
            out.recommendation = parse_recommendation(*key);
        out.submitted_at = submitted_at.get();
        out.application_reference = applications::format_reference(year, number);
        return out;
    }
};

std::vector<Assignment> fetch_assignments(soci::statement& statement, AssignmentRow& row) {
    statement.execute();
    std::vector<Assignment> out;
    while (statement.fetch())
        out.push_back(row.finish());
    return out;
}

// --- Declarations ------------------------------------------------------------------------

constexpr const char* DECLARATION_SELECT =
    "SELECT d.id, d.application_id, d.reviewer_id, d.conflict, d.category, d.note,\n"
    "    d.declared_by, d.declared_at, r.name, b.name, ap.reference_year,\n"
    "    ap.reference_number, ap.title\n"
    "FROM conflict_declaration d\n"
    "JOIN app_user r ON r.id = d.reviewer_id\n"
    "JOIN app_user b ON b.id = d.declared_by\n"
    "JOIN application ap ON ap.id = d.application_id\n";

struct DeclarationRow {
    Declaration declaration;
    int conflict = 0;
    db::Nullable<std::string> category;
    int year = 0;
    int number = 0;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(declaration.id));
        statement.exchange(soci::into(declaration.application_id));
        statement.exchange(soci::into(declaration.reviewer_id));
        statement.exchange(soci::into(conflict));
        statement.exchange(soci::into(category.value, category.indicator));
        statement.exchange(soci::into(declaration.note));
        statement.exchange(soci::into(declaration.declared_by));
        statement.exchange(soci::into(declaration.declared_at));
        statement.exchange(soci::into(declaration.reviewer_name));
        statement.exchange(soci::into(declaration.declared_by_name));
        statement.exchange(soci::into(year));
        statement.exchange(soci::into(number));
        statement.exchange(soci::into(declaration.application_title));
    }
    Declaration finish() const {
        Declaration out = declaration;
        out.conflict = conflict != 0;
        if (auto key = category.get())
            out.category = parse_conflict_category(*key);
        out.application_reference = applications::format_reference(year, number);
        return out;
    }
};

std::vector<Declaration> fetch_declarations(soci::statement& statement, DeclarationRow& row) {
    statement.execute();
    std::vector<Declaration> out;
    while (statement.fetch())
        out.push_back(row.finish());
    return out;
}

} // namespace

std::optional<CallRef> find_call(soci::session& sql, Id call_id) {
    CallRef call;
    long long id = call_id;
    sql << "SELECT c.id, c.organisation_id, c.fund_id, c.title, c.status, f.name\n"
           "FROM fund_call c JOIN fund f ON f.id = c.fund_id\n"
           "WHERE c.id = :id",
        soci::use(id, "id"), soci::into(call.id), soci::into(call.organisation_id),
        soci::into(call.fund_id), soci::into(call.title), soci::into(call.status),
        soci::into(call.fund_name);
    if (!sql.got_data())
        return std::nullopt;
    return call;
}

std::optional<ApplicationRef> find_application(soci::session& sql, Id application_id) {
    ApplicationRef app;
    long long id = application_id;
    int year = 0, number = 0;
    sql << "SELECT a.id, a.organisation_id, a.call_id, a.fund_id, a.unit_id, a.status,\n"
           "    a.reference_year, a.reference_number, a.title, a.summary, u.name,\n"
           "    a.requested_ore, a.budget_total_ore\n"
           "FROM application a JOIN org_unit u ON u.id = a.unit_id\n"
           "WHERE a.id = :id",
        soci::use(id, "id"), soci::into(app.id), soci::into(app.organisation_id),
        soci::into(app.call_id), soci::into(app.fund_id), soci::into(app.unit_id),
        soci::into(app.status), soci::into(year), soci::into(number), soci::into(app.title),
        soci::into(app.summary), soci::into(app.unit_name), soci::into(app.requested_ore),
        soci::into(app.budget_total_ore);
    if (!sql.got_data())
        return std::nullopt;
    app.reference = applications::format_reference(year, number);
    return app;
}

// --- Settings ------------------------------------------------------------------------

std::optional<ReviewSettings> find_settings(soci::session& sql, Id call_id) {
    ReviewSettings settings;
    long long id = call_id;
    db::Nullable<std::string> closes;
    int share = 0;
    sql << "SELECT reviews_per_application, review_closes_at, share_reviews_after_close,\n"
           "    ranking_seed\n"
           "FROM call_review_settings WHERE call_id = :id",
        soci::use(id, "id"), soci::into(settings.reviews_per_application),
        soci::into(closes.value, closes.indicator), soci::into(share),
        soci::into(settings.ranking_seed);
    if (!sql.got_data())
        return std::nullopt;
    settings.review_closes_at = closes.get();
    settings.share_reviews_after_close = share != 0;
    return settings;
}

void save_settings(soci::session& sql, Id call_id, Id organisation_id,
                   const ReviewSettings& settings, const std::string& now) {
    long long call = call_id;
    long long organisation = organisation_id;
    int per_application = settings.reviews_per_application;
    db::Nullable<std::string> closes(settings.review_closes_at);
    int share = settings.share_reviews_after_close ? 1 : 0;
    long long seed = settings.ranking_seed;
    sql << "INSERT INTO call_review_settings (call_id, organisation_id, reviews_per_application,\n"
           "    review_closes_at, share_reviews_after_close, ranking_seed, updated_at)\n"
           "VALUES (:call, :organisation, :per, :closes, :share, :seed, :now)\n"
           "ON CONFLICT (call_id) DO UPDATE SET\n"
           "    reviews_per_application = excluded.reviews_per_application,\n"
           "    review_closes_at = excluded.review_closes_at,\n"
           "    share_reviews_after_close = excluded.share_reviews_after_close,\n"
           "    updated_at = excluded.updated_at",
        soci::use(call, "call"), soci::use(organisation, "organisation"),
        soci::use(per_application, "per"), soci::use(closes.value, closes.indicator, "closes"),
        soci::use(share, "share"), soci::use(seed, "seed"), soci::use(now, "now");
}

// --- Screening -----------------------------------------------------------------------

std::vector<ReviewApplication> list_review_applications(soci::session& sql, Id call_id) {
    ReviewApplication app;
    long long call = call_id;
    int year = 0, number = 0;
    db::Nullable<int> eligible;
    std::string reason;
    soci::indicator reason_indicator = soci::i_ok;
    soci::statement statement(sql);
    statement.exchange(soci::into(app.id));
    statement.exchange(soci::into(app.unit_id));
    statement.exchange(soci::into(year));
    statement.exchange(soci::into(number));
    statement.exchange(soci::into(app.title));
    statement.exchange(soci::into(app.unit_name));
    statement.exchange(soci::into(app.requested_ore));
    statement.exchange(soci::into(eligible.value, eligible.indicator));
    statement.exchange(soci::into(reason, reason_indicator));
    statement.exchange(soci::use(call, "call"));
    db::prepare(statement,
                "SELECT a.id, a.unit_id, a.reference_year, a.reference_number, a.title, u.name,\n"
                "    a.requested_ore, s.eligible, s.reason\n"
                "FROM application a\n"
                "JOIN org_unit u ON u.id = a.unit_id\n"
                "LEFT JOIN application_screening s ON s.application_id = a.id\n"
                "WHERE a.call_id = :call AND a.status = 'submitted'\n"
                "ORDER BY a.reference_year, a.reference_number, a.id");
    statement.execute();
    std::vector<ReviewApplication> out;
    while (statement.fetch()) {
        ReviewApplication row = app;
        row.reference = applications::format_reference(year, number);
        if (auto value = eligible.get())
            row.eligible = *value != 0;
        row.screening_reason = reason_indicator == soci::i_null ? "" : reason;
        out.push_back(std::move(row));
    }
    return out;
}

std::optional<ScreeningResult> find_screening(soci::session& sql, Id application_id) {
    ScreeningResult result;
    long long id = application_id;
    int eligible = 1;
    sql << "SELECT eligible, reason, screened_at FROM application_screening\n"
           "WHERE application_id = :id",
        soci::use(id, "id"), soci::into(eligible), soci::into(result.reason),
        soci::into(result.screened_at);
    if (!sql.got_data())
        return std::nullopt;
    result.eligible = eligible != 0;
    return result;
}

void save_screening(soci::session& sql, Id application_id, Id organisation_id, bool eligible,
                    const std::string& reason, Id screened_by, const std::string& now) {
    long long application = application_id;
    long long organisation = organisation_id;
    long long by = screened_by;
    int flag = eligible ? 1 : 0;
    sql << "INSERT INTO application_screening (application_id, organisation_id, eligible,\n"
           "    reason, screened_by, screened_at)\n"
           "VALUES (:application, :organisation, :eligible, :reason, :by, :now)\n"
           "ON CONFLICT (application_id) DO UPDATE SET eligible = excluded.eligible,\n"
           "    reason = excluded.reason, screened_by = excluded.screened_by,\n"
           "    screened_at = excluded.screened_at",
        soci::use(application, "application"), soci::use(organisation, "organisation"),
        soci::use(flag, "eligible"), soci::use(reason, "reason"), soci::use(by, "by"),
        soci::use(now, "now");
}

// --- The reviewer pool -----------------------------------------------------------------

std::vector<PoolMember> list_pool_candidates(soci::session& sql, Id organisation_id, Id fund_id,
                                             Id call_id) {
    PoolMember member;
    long long organisation = organisation_id, fund = fund_id, call = call_id;
    int in_pool = 0;
    soci::statement statement(sql);
    statement.exchange(soci::into(member.user_id));
    statement.exchange(soci::into(member.name));
    statement.exchange(soci::into(member.email));
    statement.exchange(soci::into(in_pool));
    statement.exchange(soci::into(member.assigned));
    statement.exchange(soci::into(member.submitted));
    statement.exchange(soci::into(member.conflicts));
    statement.exchange(soci::use(call, "c1"));
    statement.exchange(soci::use(call, "c2"));
    statement.exchange(soci::use(call, "c3"));
    statement.exchange(soci::use(call, "c4"));
    statement.exchange(soci::use(organisation, "o1"));
    statement.exchange(soci::use(fund, "fund"));
    statement.exchange(soci::use(call, "c5"));
    db::prepare(
        statement,
        "SELECT u.id, u.name, u.email,\n"
        "    (SELECT count(*) FROM call_reviewer r\n"
        "     WHERE r.call_id = :c1 AND r.user_id = u.id AND r.active = 1),\n"
        "    (SELECT count(*) FROM review_assignment a\n"
        "     WHERE a.call_id = :c2 AND a.reviewer_id = u.id AND a.status <> 'withdrawn'),\n"
        "    (SELECT count(*) FROM review_assignment a\n"
        "     WHERE a.call_id = :c3 AND a.reviewer_id = u.id AND a.status = 'submitted'),\n"
        "    (SELECT count(*) FROM conflict_declaration d\n"
        "     JOIN application ap ON ap.id = d.application_id\n"
        "     WHERE ap.call_id = :c4 AND d.reviewer_id = u.id AND d.conflict = 1)\n"
        "FROM app_user u\n"
        "WHERE u.active = 1 AND (\n"
        "    EXISTS (SELECT 1 FROM role_grant g WHERE g.user_id = u.id\n"
        "            AND g.organisation_id = :o1 AND g.role = 'reviewer'\n"
        "            AND (g.fund_id IS NULL OR g.fund_id = :fund))\n"
        "    OR EXISTS (SELECT 1 FROM call_reviewer r WHERE r.call_id = :c5\n"
        "               AND r.user_id = u.id AND r.active = 1))\n"
        "ORDER BY u.name, u.id");
    statement.execute();
    std::vector<PoolMember> out;
    while (statement.fetch()) {
        PoolMember row = member;
        row.in_pool = in_pool != 0;
        out.push_back(std::move(row));
    }
    return out;
}

bool holds_reviewer_role(soci::session& sql, Id organisation_id, Id fund_id, Id user_id) {
    long long organisation = organisation_id, fund = fund_id, user = user_id;
    long long count = 0;
    sql << "SELECT count(*) FROM role_grant g JOIN app_user u ON u.id = g.user_id\n"
           "WHERE g.user_id = :user AND g.organisation_id = :organisation\n"
           "    AND g.role = 'reviewer' AND (g.fund_id IS NULL OR g.fund_id = :fund)\n"
           "    AND u.active = 1",
        soci::use(user, "user"), soci::use(organisation, "organisation"), soci::use(fund, "fund"),
        soci::into(count);
    return count > 0;
}

bool in_pool(soci::session& sql, Id call_id, Id user_id) {
    long long call = call_id, user = user_id;
    long long count = 0;
    sql << "SELECT count(*) FROM call_reviewer\n"
           "WHERE call_id = :call AND user_id = :user AND active = 1",
        soci::use(call, "call"), soci::use(user, "user"), soci::into(count);
    return count > 0;
}

void set_pool_member(soci::session& sql, Id call_id, Id user_id, Id organisation_id, bool active,
                     Id by, const std::string& now) {
    long long call = call_id, user = user_id, organisation = organisation_id, who = by;
    int flag = active ? 1 : 0;
    sql << "INSERT INTO call_reviewer (call_id, user_id, organisation_id, active, added_by,\n"
           "    added_at)\n"
           "VALUES (:call, :user, :organisation, :active, :by, :now)\n"
           "ON CONFLICT (call_id, user_id) DO UPDATE SET active = excluded.active",
        soci::use(call, "call"), soci::use(user, "user"), soci::use(organisation, "organisation"),
        soci::use(flag, "active"), soci::use(who, "by"), soci::use(now, "now");
}

std::vector<Id> home_units(soci::session& sql, Id organisation_id, Id user_id) {
    long long organisation = organisation_id, user = user_id;
    long long unit = 0;
    soci::statement statement(sql);
    statement.exchange(soci::into(unit));
    statement.exchange(soci::use(user, "user"));
    statement.exchange(soci::use(organisation, "organisation"));
    db::prepare(statement, "SELECT DISTINCT unit_id FROM role_grant\n"
                           "WHERE user_id = :user AND organisation_id = :organisation\n"
                           "    AND unit_id IS NOT NULL");
    statement.execute();
    std::vector<Id> out;
    while (statement.fetch())
        out.push_back(unit);
    return out;
}

std::string user_name(soci::session& sql, Id user_id) {
    long long user = user_id;
    std::string name;
    sql << "SELECT name FROM app_user WHERE id = :id", soci::use(user, "id"), soci::into(name);
    return name;
}

// --- Assignments -----------------------------------------------------------------------

std::optional<Assignment> find_assignment(soci::session& sql, Id assignment_id) {
    AssignmentRow row;
    long long id = assignment_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(id, "id"));
    db::prepare(statement, std::string(ASSIGNMENT_SELECT) + "WHERE a.id = :id");
    if (!statement.execute(true))
        return std::nullopt;
    return row.finish();
}

std::optional<Assignment> find_assignment_for(soci::session& sql, Id application_id,
                                              Id reviewer_id) {
    AssignmentRow row;
    long long application = application_id, reviewer = reviewer_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(application, "application"));
    statement.exchange(soci::use(reviewer, "reviewer"));
    db::prepare(statement,
                std::string(ASSIGNMENT_SELECT) +
                    "WHERE a.application_id = :application AND a.reviewer_id = :reviewer");
    if (!statement.execute(true))
        return std::nullopt;
    return row.finish();
}

std::vector<Assignment> list_call_assignments(soci::session& sql, Id call_id) {
    AssignmentRow row;
    long long call = call_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(call, "call"));
    db::prepare(statement, std::string(ASSIGNMENT_SELECT) +
                               "WHERE a.call_id = :call\n"
                               "ORDER BY ap.reference_year, ap.reference_number, u.name, a.id");
    return fetch_assignments(statement, row);
}

std::vector<Assignment> list_reviewer_assignments(soci::session& sql, Id organisation_id,
                                                  Id reviewer_id) {
    AssignmentRow row;
    long long organisation = organisation_id, reviewer = reviewer_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(reviewer, "reviewer"));
    statement.exchange(soci::use(organisation, "organisation"));
    db::prepare(statement,
                std::string(ASSIGNMENT_SELECT) +
                    "WHERE a.reviewer_id = :reviewer AND a.organisation_id = :organisation\n"
                    "ORDER BY a.call_id DESC, ap.reference_year, ap.reference_number, a.id");
    return fetch_assignments(statement, row);
}

std::vector<Assignment> list_submitted_reviews(soci::session& sql, Id application_id,
                                               Id except_assignment) {
    AssignmentRow row;
    long long application = application_id, except = except_assignment;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(application, "application"));
    statement.exchange(soci::use(except, "except"));
    db::prepare(statement, std::string(ASSIGNMENT_SELECT) +
                               "WHERE a.application_id = :application AND a.id <> :except\n"
                               "    AND a.status = 'submitted'\n"
                               "ORDER BY a.id");
    return fetch_assignments(statement, row);
}

Id insert_assignment(soci::session& sql, const Assignment& assignment, Id assigned_by,
                     const std::string& now) {
    long long id = 0;
    long long organisation = assignment.organisation_id, call = assignment.call_id;
    long long application = assignment.application_id, reviewer = assignment.reviewer_id;
    long long by = assigned_by;
    sql << "INSERT INTO review_assignment (organisation_id, call_id, application_id,\n"
           "    reviewer_id, status, assigned_by, assigned_at, updated_at)\n"
           "VALUES (:organisation, :call, :application, :reviewer, 'assigned', :by, :now,\n"
           "    :now2) RETURNING id",
        soci::use(organisation, "organisation"), soci::use(call, "call"),
        soci::use(application, "application"), soci::use(reviewer, "reviewer"), soci::use(by, "by"),
        soci::use(now, "now"), soci::use(now, "now2"), soci::into(id);
    return id;
}

void reactivate_assignment(soci::session& sql, Id assignment_id, Id assigned_by,
                           const std::string& now) {
    long long id = assignment_id, by = assigned_by;
    sql << "UPDATE review_assignment SET status = 'assigned', submitted_at = NULL,\n"
           "    assigned_by = :by, assigned_at = :now, updated_at = :now2\n"
           "WHERE id = :id",
        soci::use(by, "by"), soci::use(now, "now"), soci::use(now, "now2"), soci::use(id, "id");
}

void set_status(soci::session& sql, Id assignment_id, AssignmentStatus status,
                const std::optional<std::string>& submitted_at, const std::string& now) {
    long long id = assignment_id;
    std::string key(assignment_status_key(status));
    db::Nullable<std::string> submitted(submitted_at);
    sql << "UPDATE review_assignment SET status = :status, submitted_at = :submitted,\n"
           "    updated_at = :now\n"
           "WHERE id = :id",
        soci::use(key, "status"), soci::use(submitted.value, submitted.indicator, "submitted"),
        soci::use(now, "now"), soci::use(id, "id");
}

int withdraw_open_assignments_of_application(soci::session& sql, Id application_id,
                                             const std::string& now) {
    long long application = application_id;
    soci::statement statement =
        db::one_time(sql,
                     "UPDATE review_assignment SET status = 'withdrawn', updated_at = :now\n"
                     "WHERE application_id = :application AND status = 'assigned'",
                     soci::use(now, "now"), soci::use(application, "application"));
    statement.execute(true);
    return static_cast<int>(statement.get_affected_rows());
}

int withdraw_open_assignments_of_reviewer(soci::session& sql, Id call_id, Id reviewer_id,
                                          const std::string& now) {
    long long call = call_id, reviewer = reviewer_id;
    soci::statement statement = db::one_time(
        sql,
        "UPDATE review_assignment SET status = 'withdrawn', updated_at = :now\n"
        "WHERE call_id = :call AND reviewer_id = :reviewer\n"
        "    AND status = 'assigned'",
        soci::use(now, "now"), soci::use(call, "call"), soci::use(reviewer, "reviewer"));
    statement.execute(true);
    return static_cast<int>(statement.get_affected_rows());
}

void save_review(soci::session& sql, Id assignment_id, const ReviewInput& input,
                 const std::string& now) {
    long long id = assignment_id;
    db::Nullable<std::string> recommendation(
        input.recommendation
            ? std::optional<std::string>(std::string(recommendation_key(*input.recommendation)))
            : std::nullopt);
    sql << "UPDATE review_assignment SET recommendation = :recommendation,\n"
           "    overall_comment = :comment, updated_at = :now\n"
           "WHERE id = :id",
        soci::use(recommendation.value, recommendation.indicator, "recommendation"),
        soci::use(input.overall_comment, "comment"), soci::use(now, "now"), soci::use(id, "id");
    sql << "DELETE FROM review_score WHERE assignment_id = :id", soci::use(id, "id");
    for (const auto& score : input.scores) {
        long long criterion = score.criterion_id;
        db::Nullable<int> value(score.score);
        sql << "INSERT INTO review_score (assignment_id, criterion_id, score, comment)\n"
               "VALUES (:id, :criterion, :score, :comment)",
            soci::use(id, "id"), soci::use(criterion, "criterion"),
            soci::use(value.value, value.indicator, "score"), soci::use(score.comment, "comment");
    }
}

std::vector<StoredScore> list_scores(soci::session& sql, Id assignment_id) {
    StoredScore score;
    db::Nullable<int> value;
    long long id = assignment_id;
    soci::statement statement(sql);
    statement.exchange(soci::into(score.criterion_id));
    statement.exchange(soci::into(value.value, value.indicator));
    statement.exchange(soci::into(score.comment));
    statement.exchange(soci::use(id, "id"));
    db::prepare(statement, "SELECT criterion_id, score, comment FROM review_score\n"
                           "WHERE assignment_id = :id ORDER BY criterion_id");
    statement.execute();
    std::vector<StoredScore> out;
    while (statement.fetch()) {
        StoredScore row = score;
        row.score = value.get();
        out.push_back(std::move(row));
    }
    return out;
}

// --- Conflict declarations ---------------------------------------------------------------

std::optional<Declaration> find_declaration(soci::session& sql, Id application_id, Id reviewer_id) {
    DeclarationRow row;
    long long application = application_id, reviewer = reviewer_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(application, "application"));
    statement.exchange(soci::use(reviewer, "reviewer"));
    db::prepare(statement,
                std::string(DECLARATION_SELECT) +
                    "WHERE d.application_id = :application AND d.reviewer_id = :reviewer");
    if (!statement.execute(true))
        return std::nullopt;
    return row.finish();
}

void save_declaration(soci::session& sql, Id organisation_id, const Declaration& declaration,
                      const std::string& now) {
    long long organisation = organisation_id;
    long long application = declaration.application_id, reviewer = declaration.reviewer_id;
    long long by = declaration.declared_by;
    int conflict = declaration.conflict ? 1 : 0;
    db::Nullable<std::string> category(
        declaration.category
            ? std::optional<std::string>(std::string(conflict_category_key(*declaration.category)))
            : std::nullopt);
    sql << "INSERT INTO conflict_declaration (organisation_id, application_id, reviewer_id,\n"
           "    conflict, category, note, declared_by, declared_at)\n"
           "VALUES (:organisation, :application, :reviewer, :conflict, :category, :note, :by,\n"
           "    :now)\n"
           "ON CONFLICT (application_id, reviewer_id) DO UPDATE SET\n"
           "    conflict = excluded.conflict, category = excluded.category,\n"
           "    note = excluded.note, declared_by = excluded.declared_by,\n"
           "    declared_at = excluded.declared_at",
        soci::use(organisation, "organisation"), soci::use(application, "application"),
        soci::use(reviewer, "reviewer"), soci::use(conflict, "conflict"),
        soci::use(category.value, category.indicator, "category"),
        soci::use(declaration.note, "note"), soci::use(by, "by"), soci::use(now, "now");
}

std::vector<Declaration> list_call_declarations(soci::session& sql, Id call_id) {
    DeclarationRow row;
    long long call = call_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(call, "call"));
    db::prepare(statement, std::string(DECLARATION_SELECT) +
                               "WHERE ap.call_id = :call\n"
                               "ORDER BY ap.reference_year, ap.reference_number, r.name, d.id");
    return fetch_declarations(statement, row);
}

std::vector<Declaration> list_reviewer_declarations(soci::session& sql, Id organisation_id,
                                                    Id reviewer_id) {
    DeclarationRow row;
    long long organisation = organisation_id, reviewer = reviewer_id;
    soci::statement statement(sql);
    row.bind(statement);
    statement.exchange(soci::use(reviewer, "reviewer"));
    statement.exchange(soci::use(organisation, "organisation"));
    db::prepare(statement,
                std::string(DECLARATION_SELECT) +
                    "WHERE d.reviewer_id = :reviewer AND d.organisation_id = :organisation\n"
                    "ORDER BY d.declared_at DESC, d.id DESC");
    return fetch_declarations(statement, row);
}

std::set<std::pair<Id, Id>> call_conflicts(soci::session& sql, Id call_id) {
    long long call = call_id;
    long long application = 0, reviewer = 0;
    soci::statement statement(sql);
    statement.exchange(soci::into(application));
    statement.exchange(soci::into(reviewer));
    statement.exchange(soci::use(call, "call"));
    db::prepare(statement, "SELECT d.application_id, d.reviewer_id FROM conflict_declaration d\n"
                           "JOIN application ap ON ap.id = d.application_id\n"
                           "WHERE ap.call_id = :call AND d.conflict = 1");
    statement.execute();
    std::set<std::pair<Id, Id>> out;
    while (statement.fetch())
        out.insert({application, reviewer});
    return out;
}

} // namespace spire::review::store
