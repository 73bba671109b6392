#pragma once

// SQL for calls, criteria, forms and the organisation's catalogues. Every
// function runs inside the caller's transaction (the service opens it) and
// decides nothing about permissions.

#include "calls/model.hpp"

#include <optional>
#include <string>
#include <vector>

namespace soci {
class session;
}

namespace spire::calls::store {

// --- Calls ----------------------------------------------------------------------

// call.id, created_at and updated_at are ignored; status is stored as given.
Id insert_call(soci::session& sql, const Call& call, const std::string& now);
// Changes everything but the organisation, fund and created_at.
void update_call(soci::session& sql, const Call& call, const std::string& now);
// By id alone, whatever the organisation (the policy compares it), with
// fund, programme and organisation names.
std::optional<Call> find_call(soci::session& sql, Id call_id);
// The fund's calls, newest first.
std::vector<Call> list_fund_calls(soci::session& sql, Id fund_id);
// Published calls of the organisation, by close time (rolling last).
std::vector<Call> list_published_calls(soci::session& sql, Id organisation_id);
// Published calls of every organisation, by organisation name, close time.
std::vector<Call> list_public_calls(soci::session& sql, int offset, int limit);
long long count_public_calls(soci::session& sql);
// Published calls of every organisation accepting submissions at `now` (UTC,
// to_db_time's format, so text order is time order): rolling ones last.
std::vector<Call> list_open_public_calls(soci::session& sql, const std::string& now, int limit);
// Rows of `application` for the call (any status).
long long count_applications(soci::session& sql, Id call_id);

// --- Criteria -------------------------------------------------------------------

std::vector<Criterion> list_criteria(soci::session& sql, Id call_id); // by sort order, id
Id insert_criterion(soci::session& sql, const Criterion& criterion);
void update_criterion(soci::session& sql, const Criterion& criterion); // incl. sort_order
void delete_criterion(soci::session& sql, Id call_id, Id criterion_id);

// --- Forms ----------------------------------------------------------------------

// Sections in order, each with its fields in order (inactive ones only
// when include_inactive) and their options.
FormDefinition load_form(soci::session& sql, Id call_id, bool include_inactive);
Id insert_section(soci::session& sql, const FormSection& section);
void update_section(soci::session& sql, const FormSection& section); // incl. sort_order
void delete_section(soci::session& sql, Id call_id, Id section_id);
// Inserts the field and its options.
Id insert_field(soci::session& sql, const FormField& field);
// Updates the field; replaces its options when replace_options.
void update_field(soci::session& sql, const FormField& field, bool replace_options);
void delete_field(soci::session& sql, Id call_id, Id field_id);
int count_fields(soci::session& sql, Id call_id);

// --- Catalogues -----------------------------------------------------------------

std::vector<ExternalCall> list_external_calls(soci::session& sql, Id organisation_id,
                                              bool active_only);
std::optional<ExternalCall> find_external_call(soci::session& sql, Id organisation_id, Id id);
Id insert_external_call(soci::session& sql, const ExternalCall& external, const std::string& now);
void update_external_call(soci::session& sql, const ExternalCall& external);

std::vector<PartnershipModel> list_partnership_models(soci::session& sql, Id organisation_id,
                                                      bool active_only);
std::optional<PartnershipModel> find_partnership_model(soci::session& sql, Id organisation_id,
                                                       Id id);
bool partnership_model_name_taken(soci::session& sql, Id organisation_id, const std::string& name,
                                  std::optional<Id> except_id);
Id insert_partnership_model(soci::session& sql, const PartnershipModel& model,
                            const std::string& now);
void update_partnership_model(soci::session& sql, const PartnershipModel& model);

} // namespace spire::calls::store
