-- The ledger and its roll-up checkpoints are append-only (DESIGN.md §4:
-- corrections are new entries that reverse old ones).

CREATE TRIGGER ledger_entry_no_update BEFORE UPDATE ON ledger_entry
BEGIN
    SELECT RAISE(ABORT, 'ledger_entry is append-only');
END;

CREATE TRIGGER ledger_entry_no_delete BEFORE DELETE ON ledger_entry
BEGIN
    SELECT RAISE(ABORT, 'ledger_entry is append-only');
END;

-- INSERT OR REPLACE deletes the rows it conflicts with (on any unique
-- column) without firing delete triggers: refuse it before it gets there.
CREATE TRIGGER ledger_entry_no_replace BEFORE INSERT ON ledger_entry
-- One EXISTS per unique column, so that each is one index lookup.
WHEN EXISTS (SELECT 1 FROM ledger_entry WHERE id = NEW.id)
  OR (NEW.reverses IS NOT NULL
      AND EXISTS (SELECT 1 FROM ledger_entry WHERE reverses = NEW.reverses))
  OR (NEW.counterpart_id IS NOT NULL
      AND EXISTS (SELECT 1 FROM ledger_entry WHERE counterpart_id = NEW.counterpart_id))
BEGIN
    SELECT RAISE(ABORT, 'ledger_entry is append-only');
END;

CREATE TRIGGER ledger_checkpoint_no_update BEFORE UPDATE ON ledger_checkpoint
BEGIN
    SELECT RAISE(ABORT, 'ledger_checkpoint is append-only');
END;

CREATE TRIGGER ledger_checkpoint_no_delete BEFORE DELETE ON ledger_checkpoint
BEGIN
    SELECT RAISE(ABORT, 'ledger_checkpoint is append-only');
END;

CREATE TRIGGER ledger_checkpoint_no_replace BEFORE INSERT ON ledger_checkpoint
WHEN EXISTS (SELECT 1 FROM ledger_checkpoint WHERE id = NEW.id)
  OR EXISTS (SELECT 1 FROM ledger_checkpoint
             WHERE fund_id = NEW.fund_id AND through_entry_id = NEW.through_entry_id)
BEGIN
    SELECT RAISE(ABORT, 'ledger_checkpoint is append-only');
END;

CREATE TRIGGER ledger_checkpoint_total_no_update BEFORE UPDATE ON ledger_checkpoint_total
BEGIN
    SELECT RAISE(ABORT, 'ledger_checkpoint_total is append-only');
END;

CREATE TRIGGER ledger_checkpoint_total_no_delete BEFORE DELETE ON ledger_checkpoint_total
BEGIN
    SELECT RAISE(ABORT, 'ledger_checkpoint_total is append-only');
END;

CREATE TRIGGER ledger_checkpoint_total_no_replace BEFORE INSERT ON ledger_checkpoint_total
WHEN EXISTS (SELECT 1 FROM ledger_checkpoint_total
             WHERE checkpoint_id = NEW.checkpoint_id AND year = NEW.year
               AND programme_id = NEW.programme_id AND kind = NEW.kind
               AND release_of = NEW.release_of AND positive = NEW.positive)
BEGIN
    SELECT RAISE(ABORT, 'ledger_checkpoint_total is append-only');
END;
