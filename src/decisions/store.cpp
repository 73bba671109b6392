#include "decisions/store.hpp"

#include "applications/model.hpp"
#include "db/statement.hpp"
#include "review/ranking_store.hpp"

#include <soci/soci.h>
#include <stdexcept>

namespace spire::decisions::store {

using review::ranking_store::IN_RANKING_SQL;

namespace {

Outcome outcome_from(const std::string& key) {
    auto outcome = parse_outcome(key);
    if (!outcome)
        throw std::runtime_error("decisions: unknown outcome '" + key + "'");
    return *outcome;
}

// --- Recommendations ------------------------------------------------------------------

constexpr const char* RECOMMENDATION_SELECT =
    "SELECT r.id, r.organisation_id, r.call_id, r.fund_id, r.status, r.source_note,\n"
    "    r.created_by, r.created_at, r.submitted_at, r.settled_at, r.settle_note,\n"
    "    coalesce(u.name, ''),\n"
    "    c.title,\n"
    "    (SELECT count(*) FROM recommendation_item i WHERE i.recommendation_id = r.id)\n"
    "FROM recommendation r\n"
    "LEFT JOIN app_user u ON u.id = r.created_by\n"
    "JOIN fund_call c ON c.id = r.call_id\n";

struct RecommendationBinding {
    RecommendationRow row;
    std::string status;
    db::Nullable<long long> created_by;
    db::Nullable<std::string> submitted_at;
    db::Nullable<std::string> settled_at;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(row.id));
        statement.exchange(soci::into(row.organisation_id));
        statement.exchange(soci::into(row.call_id));
        statement.exchange(soci::into(row.fund_id));
        statement.exchange(soci::into(status));
        statement.exchange(soci::into(row.source_note));
        statement.exchange(soci::into(created_by.value, created_by.indicator));
        statement.exchange(soci::into(row.created_at));
        statement.exchange(soci::into(submitted_at.value, submitted_at.indicator));
        statement.exchange(soci::into(settled_at.value, settled_at.indicator));
        statement.exchange(soci::into(row.settle_note));
        statement.exchange(soci::into(row.created_by_name));
        statement.exchange(soci::into(row.call_title));
        statement.exchange(soci::into(row.proposals));
    }
    RecommendationRow finish() const {
        RecommendationRow out = row;
        auto parsed = parse_recommendation_status(status);
        if (!parsed)
            throw std::runtime_error("recommendation: unknown status '" + status + "'");
        out.status = *parsed;
        out.created_by = created_by.get();
        out.submitted_at = submitted_at.get();
        out.settled_at = settled_at.get();
        return out;
    }
};

std::vector<RecommendationRow> fetch_recommendations(soci::statement& statement,
                                                     RecommendationBinding& binding) {
    statement.execute();
    std::vector<RecommendationRow> out;
    while (statement.fetch())
        out.push_back(binding.finish());
    return out;
}

// --- Decisions ------------------------------------------------------------------------

constexpr const char* DECISION_SELECT =
    "SELECT d.id, d.organisation_id, d.application_id, d.call_id, d.fund_id,\n"
    "    d.recommendation_id, d.outcome, d.conditions, d.reasons, d.decided_by, d.decided_at,\n"
    "    coalesce(u.name, ''), a.reference_year, a.reference_number, a.title,\n"
    "    x.external_granted\n"
    "FROM grant_decision d\n"
    "JOIN application a ON a.id = d.application_id\n"
    "LEFT JOIN app_user u ON u.id = d.decided_by\n"
    "LEFT JOIN external_answer x ON x.decision_id = d.id\n";

struct DecisionBinding {
    DecisionRow row;
    db::Nullable<long long> recommendation_id;
    std::string outcome;
    db::Nullable<long long> decided_by;
    int year = 0;
    int number = 0;
    db::Nullable<int> external_granted;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(row.id));
        statement.exchange(soci::into(row.organisation_id));
        statement.exchange(soci::into(row.application_id));
        statement.exchange(soci::into(row.call_id));
        statement.exchange(soci::into(row.fund_id));
        statement.exchange(soci::into(recommendation_id.value, recommendation_id.indicator));
        statement.exchange(soci::into(outcome));
        statement.exchange(soci::into(row.conditions));
        statement.exchange(soci::into(row.reasons));
        statement.exchange(soci::into(decided_by.value, decided_by.indicator));
        statement.exchange(soci::into(row.decided_at));
        statement.exchange(soci::into(row.decided_by_name));
        statement.exchange(soci::into(year));
        statement.exchange(soci::into(number));
        statement.exchange(soci::into(row.application_title));
        statement.exchange(soci::into(external_granted.value, external_granted.indicator));
    }
    DecisionRow finish() const {
        DecisionRow out = row;
        out.recommendation_id = recommendation_id.get();
        out.outcome = outcome_from(outcome);
        out.decided_by = decided_by.get();
        out.application_reference = applications::format_reference(year, number);
        if (auto granted = external_granted.get())
            out.external_granted = *granted != 0;
        return out;
    }
};

std::vector<YearAmount> decision_amounts(soci::session& sql, Id decision_id) {
    long long id = decision_id;
    YearAmount amount;
    soci::statement statement =
        db::one_time(sql,
                     "SELECT year, programme_id, amount_ore FROM grant_decision_amount\n"
                     "WHERE decision_id = :id ORDER BY year, programme_id",
                     soci::into(amount.year), soci::into(amount.programme_id),
                     soci::into(amount.amount_ore), soci::use(id, "id"));
    statement.execute();
    std::vector<YearAmount> out;
    while (statement.fetch())
        out.push_back(amount);
    return out;
}

std::vector<DecisionRow> fetch_decisions(soci::session& sql, const std::string& where, Id key) {
    DecisionBinding binding;
    long long value = key;
    soci::statement statement(sql);
    binding.bind(statement);
    statement.exchange(soci::use(value, "key"));
    db::prepare(statement, std::string(DECISION_SELECT) + where + "\nORDER BY d.application_id");
    statement.execute();
    std::vector<DecisionRow> out;
    while (statement.fetch())
        out.push_back(binding.finish());
    for (auto& row : out)
        row.amounts = decision_amounts(sql, row.id);
    return out;
}

} // namespace

RankingFacts ranking_facts(soci::session& sql, Id application_id) {
    long long id = application_id;
    RankingFacts facts;
    int in_ranking = 0;
    sql << std::string("SELECT CASE WHEN ") + IN_RANKING_SQL +
               " THEN 1 ELSE 0 END,\n"
               "    (SELECT count(*) FROM review_assignment r\n"
               "     WHERE r.application_id = a.id AND r.status = 'submitted')\n"
               "FROM application a WHERE a.id = :id",
        soci::use(id, "id"), soci::into(in_ranking), soci::into(facts.submitted_reviews);
    facts.in_ranking = in_ranking != 0;
    return facts;
}

std::vector<CallApplication> call_applications(soci::session& sql, Id call_id) {
    long long call = call_id;
    CallApplication row;
    int year = 0, number = 0, in_ranking = 0;
    soci::indicator start_indicator = soci::i_null;
    int start = 0;
    soci::statement statement = db::one_time(
        sql,
        "SELECT a.id, a.reference_year, a.reference_number, a.title, u.name, a.status,\n"
        "    a.requested_ore, a.start_year, a.duration_years, a.programme_id,\n"
        "    CASE WHEN " +
            std::string(IN_RANKING_SQL) +
            " THEN 1 ELSE 0 END,\n"
            "    (SELECT count(*) FROM review_assignment r\n"
            "     WHERE r.application_id = a.id AND r.status = 'submitted')\n"
            "FROM application a\n"
            "JOIN org_unit u ON u.id = a.unit_id\n"
            "WHERE a.call_id = :call AND a.revision_count > 0\n"
            "ORDER BY a.id",
        soci::into(row.id), soci::into(year), soci::into(number), soci::into(row.title),
        soci::into(row.unit_name), soci::into(row.status), soci::into(row.requested_ore),
        soci::into(start, start_indicator), soci::into(row.duration_years),
        soci::into(row.programme_id), soci::into(in_ranking),
        soci::into(row.facts.submitted_reviews), soci::use(call, "call"));
    statement.execute();
    std::vector<CallApplication> out;
    while (statement.fetch()) {
        CallApplication copy = row;
        copy.reference = applications::format_reference(year, number);
        copy.start_year =
            start_indicator == soci::i_null ? std::nullopt : std::optional<int>(start);
        copy.facts.in_ranking = in_ranking != 0;
        out.push_back(std::move(copy));
    }
    return out;
}

Id insert_recommendation(soci::session& sql, const RecommendationRow& row) {
    long long id = 0;
    long long organisation = row.organisation_id, call = row.call_id, fund = row.fund_id;
    db::Nullable<long long> by(row.created_by);
    std::string status(recommendation_status_key(row.status));
    sql << "INSERT INTO recommendation (organisation_id, call_id, fund_id, status, source_note,\n"
           "    created_by, created_at)\n"
           "VALUES (:organisation, :call, :fund, :status, :note, :by, :now) RETURNING id",
        soci::use(organisation, "organisation"), soci::use(call, "call"), soci::use(fund, "fund"),
        soci::use(status, "status"), soci::use(row.source_note, "note"),
        soci::use(by.value, by.indicator, "by"), soci::use(row.created_at, "now"), soci::into(id);
    return id;
}

void insert_proposal(soci::session& sql, Id recommendation_id, const Proposal& proposal) {
    long long recommendation = recommendation_id, application = proposal.application_id;
    std::string outcome(outcome_key(proposal.outcome));
    sql << "INSERT INTO recommendation_item (recommendation_id, application_id, outcome,\n"
           "    justification, conditions)\n"
           "VALUES (:recommendation, :application, :outcome, :justification, :conditions)",
        soci::use(recommendation, "recommendation"), soci::use(application, "application"),
        soci::use(outcome, "outcome"), soci::use(proposal.justification, "justification"),
        soci::use(proposal.conditions, "conditions");
    for (const auto& amount : proposal.amounts) {
        int year = amount.year;
        long long programme = amount.programme_id, ore = amount.amount_ore;
        sql << "INSERT INTO recommendation_amount (recommendation_id, application_id, year,\n"
               "    programme_id, amount_ore)\n"
               "VALUES (:recommendation, :application, :year, :programme, :ore)",
            soci::use(recommendation, "recommendation"), soci::use(application, "application"),
            soci::use(year, "year"), soci::use(programme, "programme"), soci::use(ore, "ore");
    }
}

std::optional<RecommendationRow> find_recommendation(soci::session& sql, Id id) {
    RecommendationBinding binding;
    long long key = id;
    soci::statement statement(sql);
    binding.bind(statement);
    statement.exchange(soci::use(key, "id"));
    db::prepare(statement, std::string(RECOMMENDATION_SELECT) + "WHERE r.id = :id");
    auto rows = fetch_recommendations(statement, binding);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<Proposal> proposals(soci::session& sql, Id recommendation_id) {
    long long key = recommendation_id;
    std::vector<Proposal> out;
    {
        Proposal proposal;
        std::string outcome;
        soci::statement statement =
            db::one_time(sql,
                         "SELECT application_id, outcome, justification, conditions\n"
                         "FROM recommendation_item WHERE recommendation_id = :id\n"
                         "ORDER BY application_id",
                         soci::into(proposal.application_id), soci::into(outcome),
                         soci::into(proposal.justification), soci::into(proposal.conditions),
                         soci::use(key, "id"));
        statement.execute();
        while (statement.fetch()) {
            proposal.outcome = outcome_from(outcome);
            out.push_back(proposal);
        }
    }
    Id application = 0;
    YearAmount amount;
    soci::statement statement = db::one_time(
        sql,
        "SELECT application_id, year, programme_id, amount_ore FROM recommendation_amount\n"
        "WHERE recommendation_id = :id ORDER BY application_id, year, programme_id",
        soci::into(application), soci::into(amount.year), soci::into(amount.programme_id),
        soci::into(amount.amount_ore), soci::use(key, "id"));
    statement.execute();
    while (statement.fetch()) {
        for (auto& proposal : out) {
            if (proposal.application_id == application)
                proposal.amounts.push_back(amount);
        }
    }
    return out;
}

std::vector<RecommendationRow> list_recommendations(soci::session& sql, Id organisation_id,
                                                    std::optional<RecommendationStatus> status,
                                                    int limit) {
    RecommendationBinding binding;
    long long organisation = organisation_id;
    std::string status_key(status ? recommendation_status_key(*status) : "");
    int max = limit;
    soci::statement statement(sql);
    binding.bind(statement);
    statement.exchange(soci::use(organisation, "organisation"));
    if (status)
        statement.exchange(soci::use(status_key, "status"));
    statement.exchange(soci::use(max, "limit"));
    db::prepare(statement, std::string(RECOMMENDATION_SELECT) +
                               "WHERE r.organisation_id = :organisation\n" +
                               (status ? "    AND r.status = :status\n" : "") +
                               "ORDER BY r.id DESC LIMIT :limit");
    return fetch_recommendations(statement, binding);
}

std::vector<RecommendationRow> call_recommendations(soci::session& sql, Id call_id) {
    RecommendationBinding binding;
    long long call = call_id;
    soci::statement statement(sql);
    binding.bind(statement);
    statement.exchange(soci::use(call, "call"));
    db::prepare(statement,
                std::string(RECOMMENDATION_SELECT) + "WHERE r.call_id = :call ORDER BY r.id DESC");
    return fetch_recommendations(statement, binding);
}

void mark_submitted(soci::session& sql, Id id, const std::string& now) {
    long long key = id;
    sql << "UPDATE recommendation SET status = 'submitted', submitted_at = :now WHERE id = :id",
        soci::use(now, "now"), soci::use(key, "id");
}

void mark_settled(soci::session& sql, Id id, RecommendationStatus status, std::optional<Id> by,
                  const std::string& note, const std::string& now) {
    long long key = id;
    db::Nullable<long long> user(by);
    std::string status_key(recommendation_status_key(status));
    sql << "UPDATE recommendation SET status = :status, settled_by = :by, settled_at = :now,\n"
           "    settle_note = :note\n"
           "WHERE id = :id",
        soci::use(status_key, "status"), soci::use(user.value, user.indicator, "by"),
        soci::use(now, "now"), soci::use(note, "note"), soci::use(key, "id");
}

Id insert_decision(soci::session& sql, const DecisionRow& row) {
    long long id = 0;
    long long organisation = row.organisation_id, application = row.application_id;
    long long call = row.call_id, fund = row.fund_id;
    db::Nullable<long long> recommendation(row.recommendation_id);
    db::Nullable<long long> by(row.decided_by);
    std::string outcome(outcome_key(row.outcome));
    sql << "INSERT INTO grant_decision (organisation_id, application_id, call_id, fund_id,\n"
           "    recommendation_id, outcome, conditions, reasons, decided_by, decided_at)\n"
           "VALUES (:organisation, :application, :call, :fund, :recommendation, :outcome,\n"
           "    :conditions, :reasons, :by, :now) RETURNING id",
        soci::use(organisation, "organisation"), soci::use(application, "application"),
        soci::use(call, "call"), soci::use(fund, "fund"),
        soci::use(recommendation.value, recommendation.indicator, "recommendation"),
        soci::use(outcome, "outcome"), soci::use(row.conditions, "conditions"),
        soci::use(row.reasons, "reasons"), soci::use(by.value, by.indicator, "by"),
        soci::use(row.decided_at, "now"), soci::into(id);
    return id;
}

void insert_decision_amount(soci::session& sql, Id decision_id, const YearAmount& amount,
                            Id ledger_entry_id) {
    long long decision = decision_id, programme = amount.programme_id, ore = amount.amount_ore;
    long long entry = ledger_entry_id;
    int year = amount.year;
    sql << "INSERT INTO grant_decision_amount (decision_id, year, programme_id, amount_ore,\n"
           "    ledger_entry_id)\n"
           "VALUES (:decision, :year, :programme, :ore, :entry)",
        soci::use(decision, "decision"), soci::use(year, "year"), soci::use(programme, "programme"),
        soci::use(ore, "ore"), soci::use(entry, "entry");
}

std::optional<DecisionRow> find_decision(soci::session& sql, Id id) {
    auto rows = fetch_decisions(sql, "WHERE d.id = :key", id);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::optional<DecisionRow> decision_for_application(soci::session& sql, Id application_id) {
    auto rows = fetch_decisions(sql, "WHERE d.application_id = :key", application_id);
    if (rows.empty())
        return std::nullopt;
    return rows.front();
}

std::vector<DecisionRow> call_decisions(soci::session& sql, Id call_id) {
    return fetch_decisions(sql, "WHERE d.call_id = :key", call_id);
}

bool insert_external_answer(soci::session& sql, const ExternalAnswer& answer) {
    long long decision = answer.decision_id, organisation = answer.organisation_id;
    int granted = answer.external_granted ? 1 : 0;
    db::Nullable<long long> by(answer.answered_by);
    long long existing = 0;
    sql << "SELECT count(*) FROM external_answer WHERE decision_id = :d", soci::use(decision, "d"),
        soci::into(existing);
    if (existing > 0)
        return false;
    sql << "INSERT INTO external_answer (decision_id, organisation_id, external_granted, note,\n"
           "    answered_by, answered_at)\n"
           "VALUES (:d, :org, :granted, :note, :by, :at)",
        soci::use(decision, "d"), soci::use(organisation, "org"), soci::use(granted, "granted"),
        soci::use(answer.note, "note"), soci::use(by.value, by.indicator, "by"),
        soci::use(answer.answered_at, "at");
    return true;
}

void insert_external_answer_entry(soci::session& sql, Id decision_id, const YearAmount& cell,
                                  Id release_entry_id, std::optional<Id> commit_entry_id) {
    long long decision = decision_id, programme = cell.programme_id, release = release_entry_id;
    int year = cell.year;
    db::Nullable<long long> commit(commit_entry_id);
    sql << "INSERT INTO external_answer_entry (decision_id, year, programme_id,\n"
           "    release_entry_id, commit_entry_id)\n"
           "VALUES (:d, :year, :programme, :release, :commit)",
        soci::use(decision, "d"), soci::use(year, "year"), soci::use(programme, "programme"),
        soci::use(release, "release"), soci::use(commit.value, commit.indicator, "commit");
}

void lock_decision(soci::session& sql, Id decision_id, bool postgresql) {
    if (!postgresql)
        return;
    long long id = decision_id, found = 0;
    sql << "SELECT id FROM grant_decision WHERE id = :id FOR UPDATE", soci::use(id, "id"),
        soci::into(found);
}

void insert_letter(soci::session& sql, const Letter& letter) {
    long long decision = letter.decision_id, organisation = letter.organisation_id;
    sql << "INSERT INTO decision_letter (decision_id, organisation_id, html, sha256, recipient,\n"
           "    created_at)\n"
           "VALUES (:decision, :organisation, :html, :sha, :recipient, :now)",
        soci::use(decision, "decision"), soci::use(organisation, "organisation"),
        soci::use(letter.html, "html"), soci::use(letter.sha256, "sha"),
        soci::use(letter.recipient, "recipient"), soci::use(letter.created_at, "now");
}

std::optional<Letter> find_letter(soci::session& sql, Id decision_id) {
    long long key = decision_id;
    Letter letter;
    soci::indicator found = soci::i_null;
    sql << "SELECT decision_id, organisation_id, html, sha256, recipient, created_at\n"
           "FROM decision_letter WHERE decision_id = :id",
        soci::use(key, "id"), soci::into(letter.decision_id, found),
        soci::into(letter.organisation_id), soci::into(letter.html), soci::into(letter.sha256),
        soci::into(letter.recipient), soci::into(letter.created_at);
    if (!sql.got_data())
        return std::nullopt;
    return letter;
}

} // namespace spire::decisions::store
