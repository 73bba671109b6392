-- A scenario over several calls of one programme (issue 7 §1): the calls
-- beside the scenario's own (allocation_scenario.call_id, its main call,
-- which owns it and its URLs). The calls share the programme's ledger
-- cells, so the budget is read once for all of them. The pair of foreign
-- keys keeps every call in the scenario's organisation; that they are of
-- the main call's programme is checked by the form (allocation/settings.hpp).
-- The same DDL on both engines, so one file.
CREATE TABLE allocation_scenario_call (
    scenario_id BIGINT NOT NULL REFERENCES allocation_scenario(id),
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    call_id BIGINT NOT NULL,
    PRIMARY KEY (scenario_id, call_id),
    FOREIGN KEY (call_id, organisation_id) REFERENCES fund_call(id, organisation_id)
);
-- The scenario list of an extra call shows the scenarios it takes part in.
CREATE INDEX allocation_scenario_call_by_call ON allocation_scenario_call(call_id, scenario_id);
