#pragma once

// SQL for recommendations, decisions and letters
// (migrations/decisions/001_decisions.sql). Every function runs inside the
// caller's transaction and decides nothing about permissions.

#include "decisions/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace spire::decisions::store {

// What deciding needs to know about an application beyond the applications
// store's row: whether it is in the ranking, by the ranking's own rule
// (review::ranking_store::IN_RANKING_SQL: submitted and not screened out),
// and has a submitted review to be ranked on.
struct RankingFacts {
    bool in_ranking = false;
    long long submitted_reviews = 0;
    bool ranked() const { return in_ranking && submitted_reviews > 0; }
};
RankingFacts ranking_facts(soci::session& sql, Id application_id);

// A call's application as the decision pages list it.
struct CallApplication {
    Id id = 0;
    std::string reference;
    std::string title;
    std::string unit_name;
    std::string status; // applications::status_key
    Ore requested_ore = 0;
    std::optional<int> start_year;
    int duration_years = 1;
    Id programme_id = 0;
    RankingFacts facts;
    bool ranked() const { return facts.ranked(); }
};
// The call's submitted and withdrawn applications (ever submitted), by id.
std::vector<CallApplication> call_applications(soci::session& sql, Id call_id);

struct RecommendationRow {
    Id id = 0;
    Id organisation_id = 0;
    Id call_id = 0;
    Id fund_id = 0;
    RecommendationStatus status = RecommendationStatus::Draft;
    std::string source_note;
    std::optional<Id> created_by; // none: made by the system (demo)
    std::string created_at;
    std::optional<std::string> submitted_at;
    std::optional<std::string> settled_at;
    std::string settle_note;
    // Display.
    std::string created_by_name;
    std::string call_title;
    long long proposals = 0;
};

Id insert_recommendation(soci::session& sql, const RecommendationRow& row);
void insert_proposal(soci::session& sql, Id recommendation_id, const Proposal& proposal);
std::optional<RecommendationRow> find_recommendation(soci::session& sql, Id id);
// By application id, amounts by year and programme.
std::vector<Proposal> proposals(soci::session& sql, Id recommendation_id);
// The organisation's recommendations, newest first, at most `limit`; with a
// status only those.
std::vector<RecommendationRow> list_recommendations(soci::session& sql, Id organisation_id,
                                                    std::optional<RecommendationStatus> status,
                                                    int limit);
std::vector<RecommendationRow> call_recommendations(soci::session& sql, Id call_id);
void mark_submitted(soci::session& sql, Id id, const std::string& now);
void mark_settled(soci::session& sql, Id id, RecommendationStatus status, std::optional<Id> by,
                  const std::string& note, const std::string& now);

struct DecisionRow {
    Id id = 0;
    Id organisation_id = 0;
    Id application_id = 0;
    Id call_id = 0;
    Id fund_id = 0;
    std::optional<Id> recommendation_id;
    Outcome outcome = Outcome::Granted;
    std::string conditions;
    std::string reasons;
    std::optional<Id> decided_by;
    std::string decided_at;
    std::vector<YearAmount> amounts; // by year, programme
    // A conditional decision's external answer, once recorded: whether the
    // external funder granted (the reservations became commitments).
    std::optional<bool> external_granted;
    // Display.
    std::string decided_by_name;
    std::string application_reference;
    std::string application_title;
};

Id insert_decision(soci::session& sql, const DecisionRow& row);
void insert_decision_amount(soci::session& sql, Id decision_id, const YearAmount& amount,
                            Id ledger_entry_id);
std::optional<DecisionRow> find_decision(soci::session& sql, Id id);
std::optional<DecisionRow> decision_for_application(soci::session& sql, Id application_id);
// The call's decisions by application id.
std::vector<DecisionRow> call_decisions(soci::session& sql, Id call_id);

// The external funder's answer to a conditional decision
// (migrations/decisions/003_external_answer.sql).
struct ExternalAnswer {
    Id decision_id = 0;
    Id organisation_id = 0;
    bool external_granted = false;
    std::string note;
    std::optional<Id> answered_by;
    std::string answered_at;
};
// False when the decision already has an answer (nothing written).
bool insert_external_answer(soci::session& sql, const ExternalAnswer& answer);
void insert_external_answer_entry(soci::session& sql, Id decision_id, const YearAmount& cell,
                                  Id release_entry_id, std::optional<Id> commit_entry_id);
// Locks the decision's row against a concurrent answer (PostgreSQL; SQLite
// writers are serialised already).
void lock_decision(soci::session& sql, Id decision_id, bool postgresql);

struct Letter {
    Id decision_id = 0;
    Id organisation_id = 0;
    std::string html;
    std::string sha256; // hex, of html
    std::string recipient;
    std::string created_at;
};

void insert_letter(soci::session& sql, const Letter& letter);
std::optional<Letter> find_letter(soci::session& sql, Id decision_id);

} // namespace spire::decisions::store
