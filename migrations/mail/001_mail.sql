-- The e-mail outbox (issue 7, item 5). A use case that sends mail inserts
-- its messages here in its own transaction, so a mail is queued exactly when
-- the change it reports is committed; the worker (src/mail/worker.hpp) sends
-- them later. A failed send only moves next_attempt_at: a message is never
-- deleted or given up, so nothing is lost while the SMTP server is down.
CREATE TABLE mail_outbox (
    id @ID@,
    organisation_id BIGINT NOT NULL REFERENCES organisation(id),
    kind TEXT NOT NULL,                    -- mail/model.hpp MailKind
    recipient TEXT NOT NULL,               -- one address, lower-case
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT,                        -- optional alternative part
    -- Chosen once at enqueue, so every retry carries the same Message-ID and
    -- a receiver can recognise a duplicate after an unclear failure.
    message_token TEXT NOT NULL UNIQUE,   -- left of the @ in the Message-ID
    created_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- When the worker may take the message next: the enqueue time, then the
    -- claim's lease, then the back-off after a failure.
    next_attempt_at TEXT NOT NULL,
    sent_at TEXT,
    last_error TEXT
);
-- The worker's "due" query: unsent messages by next_attempt_at. Sent mail
-- (nearly every row, in time) stays out of the index.
CREATE INDEX mail_outbox_due ON mail_outbox(next_attempt_at, id) WHERE sent_at IS NULL;
-- An organisation's mail, newest first (for a later admin list).
CREATE INDEX mail_outbox_by_organisation ON mail_outbox(organisation_id, id);
