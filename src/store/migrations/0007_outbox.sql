-- The outbox: every email and fax is stored here, merged and with its Message-ID, before any
-- attempt to send it, so quitting, a crash or a week offline loses nothing and sends nothing
-- twice. See mail/outbox.rs for the states and how they change.

-- Attachments apart from the messages, so a PDF sent to 200 people is stored once.
CREATE TABLE outbox_attachments (
    id            INTEGER PRIMARY KEY,
    file_name     TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    bytes         BLOB NOT NULL
);

CREATE TABLE outbox (
    seq               INTEGER PRIMARY KEY,    -- queue order
    id                TEXT NOT NULL UNIQUE,   -- UUIDv7
    batch_id          TEXT NOT NULL,          -- what one `send` queued together
    kind              TEXT NOT NULL CHECK (kind IN ('email', 'fax')),
    contact_id        TEXT REFERENCES contacts (id) ON DELETE SET NULL,
    from_name         TEXT NOT NULL,
    from_address      TEXT NOT NULL,
    to_name           TEXT NOT NULL,
    to_address        TEXT NOT NULL,
    subject           TEXT NOT NULL,          -- one line: CR/LF stripped when merged
    body_text         TEXT NOT NULL,
    body_html         TEXT,                   -- the optional HTML alternative
    list_unsubscribe  TEXT,                   -- the List-Unsubscribe value; NULL for faxes
    attachment_id     INTEGER REFERENCES outbox_attachments (id),
    message_id        TEXT NOT NULL UNIQUE,   -- '<uuid@domain>', fixed when queued
    state             TEXT NOT NULL DEFAULT 'queued'
                      CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'uncertain', 'cancelled')),
    attempts          INTEGER NOT NULL DEFAULT 0,   -- every try, the offline ones included
    deferrals         INTEGER NOT NULL DEFAULT 0,   -- "not now" answers from the server: it gives up after 8
    next_attempt_at   TEXT NOT NULL,
    last_error        TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    sent_at           TEXT
);
-- The runner's question, "what is due next?", and the throttle's "when did the last one go?".
CREATE INDEX outbox_due ON outbox (next_attempt_at, seq) WHERE state = 'queued';
CREATE INDEX outbox_by_state ON outbox (state, seq);
CREATE INDEX outbox_sent ON outbox (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX outbox_by_contact ON outbox (contact_id) WHERE contact_id IS NOT NULL;

-- Addresses that must never get mail again: unsubscribed, bounced or complained.
CREATE TABLE suppressions (
    address      TEXT PRIMARY KEY COLLATE NOCASE,
    reason       TEXT NOT NULL CHECK (reason IN ('unsubscribed', 'bounced', 'complained')),
    note         TEXT NOT NULL DEFAULT '',
    recorded_at  TEXT NOT NULL
) WITHOUT ROWID;
