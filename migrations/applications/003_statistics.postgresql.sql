-- The staff lists filter the organisation's applications by fund (a fund
-- manager's scope), programme, call and unit. Each of these determines the
-- organisation, but the planner multiplies the columns' selectivities as if
-- they were independent: Oslo's 9 938 applications of its fund were
-- estimated at 1 165, which made the theme filter hash the whole list
-- instead of the theme's rows. Functional-dependency statistics (filled by
-- ANALYZE) correct the estimates.
CREATE STATISTICS application_scope_dependencies (dependencies)
    ON organisation_id, fund_id, programme_id, call_id, unit_id FROM application;
