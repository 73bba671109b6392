-- A decision letter is kept exactly as it was sent (issue 7 item 4). The
-- function is the ledger's (migrations/funds/002): it names the table.

CREATE TRIGGER decision_letter_no_update_or_delete BEFORE UPDATE OR DELETE ON decision_letter
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
CREATE TRIGGER decision_letter_no_truncate BEFORE TRUNCATE ON decision_letter
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
