-- What clients bought, for recency/frequency/monetary value and repeat-business reminders.
CREATE TABLE purchases (
    id                   TEXT PRIMARY KEY,
    contact_id           TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    purchased_on         TEXT NOT NULL,     -- YYYY-MM-DD
    item                 TEXT NOT NULL,
    amount_cents         INTEGER NOT NULL CHECK (amount_cents >= 0),
    currency             TEXT NOT NULL DEFAULT 'USD',
    repeat_after_months  INTEGER CHECK (repeat_after_months > 0),
    created_at           TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX purchases_by_contact ON purchases (contact_id, purchased_on);
