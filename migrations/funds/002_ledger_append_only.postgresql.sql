-- The ledger and its roll-up checkpoints are append-only (DESIGN.md §4:
-- corrections are new entries that reverse old ones). INSERT ... ON
-- CONFLICT DO UPDATE fires the update trigger and is refused too.

CREATE FUNCTION ledger_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$;

CREATE TRIGGER ledger_entry_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
-- TRUNCATE fires no row triggers.
CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_entry
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER ledger_checkpoint_no_update_or_delete BEFORE UPDATE OR DELETE ON ledger_checkpoint
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_checkpoint_no_truncate BEFORE TRUNCATE ON ledger_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();

CREATE TRIGGER ledger_checkpoint_total_no_update_or_delete
    BEFORE UPDATE OR DELETE ON ledger_checkpoint_total
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER ledger_checkpoint_total_no_truncate BEFORE TRUNCATE ON ledger_checkpoint_total
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
