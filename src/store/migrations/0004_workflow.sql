-- The relationship workflow: where each contact stands, what happened, what happens next,
-- and what they agreed to be contacted by.
ALTER TABLE contacts ADD COLUMN stage TEXT NOT NULL DEFAULT 'contact'
    CHECK (stage IN ('stranger', 'suspect', 'contact', 'connection', 'prospect', 'client', 'former_client'));
ALTER TABLE contacts ADD COLUMN grade TEXT CHECK (grade IN ('A', 'B', 'C', 'D'));
ALTER TABLE contacts ADD COLUMN lead_source TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN referred_by TEXT REFERENCES contacts (id) ON DELETE SET NULL;
ALTER TABLE contacts ADD COLUMN keep_in_touch_days INTEGER CHECK (keep_in_touch_days > 0);
-- Consent: opt-in for email with its proof, and do-not-contact per channel.
ALTER TABLE contacts ADD COLUMN email_opt_in_at TEXT;
ALTER TABLE contacts ADD COLUMN email_opt_in_source TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN do_not_mail INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN do_not_call INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN do_not_email INTEGER NOT NULL DEFAULT 0;
ALTER TABLE contacts ADD COLUMN do_not_fax INTEGER NOT NULL DEFAULT 0;
CREATE INDEX contacts_referred_by ON contacts (referred_by) WHERE referred_by IS NOT NULL;

-- Every stage move, so the app can show time in stage and the history.
CREATE TABLE stage_changes (
    contact_id  TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    changed_at  TEXT NOT NULL,
    from_stage  TEXT,
    to_stage    TEXT NOT NULL
);
CREATE INDEX stage_changes_by_contact ON stage_changes (contact_id, changed_at);

-- One timeline per contact. Any activity counts as "last contacted".
CREATE TABLE activities (
    id           TEXT PRIMARY KEY,
    contact_id   TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('call', 'meeting', 'letter', 'email', 'fax', 'note', 'purchase', 'task')),
    happened_at  TEXT NOT NULL,
    summary      TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX activities_by_contact ON activities (contact_id, happened_at);

-- The one open next step lives on the contact (no due date: "no next step"), and so does
-- when anything last happened (kept by the store with every activity): Today and smart lists
-- then read indexes instead of probing other tables once per contact.
ALTER TABLE contacts ADD COLUMN next_kind TEXT
    CHECK (next_kind IN ('call', 'meeting', 'letter', 'email', 'fax', 'note', 'purchase', 'task'));
ALTER TABLE contacts ADD COLUMN next_text TEXT NOT NULL DEFAULT '';
ALTER TABLE contacts ADD COLUMN next_due_on TEXT;          -- YYYY-MM-DD
ALTER TABLE contacts ADD COLUMN last_contacted_at TEXT;
CREATE INDEX contacts_next_due ON contacts (next_due_on, sort_key) WHERE deleted_at IS NULL AND next_due_on IS NOT NULL;
CREATE INDEX contacts_no_next_step ON contacts (sort_key)
    WHERE deleted_at IS NULL AND next_due_on IS NULL AND stage NOT IN ('stranger', 'former_client');
CREATE INDEX contacts_by_stage ON contacts (stage) WHERE deleted_at IS NULL;
-- When a contact's own keep-in-touch cadence runs out, computed by SQLite and indexed, so
-- Today finds who is due without looking at everyone who has a cadence.
ALTER TABLE contacts ADD COLUMN touch_due_on TEXT GENERATED ALWAYS AS
    (date(coalesce(last_contacted_at, created_at), '+' || keep_in_touch_days || ' days')) VIRTUAL;
CREATE INDEX contacts_touch_due ON contacts (touch_due_on) WHERE deleted_at IS NULL AND keep_in_touch_days IS NOT NULL;
CREATE INDEX contacts_birthday_day ON contacts (substr(birthday, -5)) WHERE deleted_at IS NULL AND birthday IS NOT NULL;

-- A cadence can also come from a tag ("clients: every 90 days").
ALTER TABLE tags ADD COLUMN keep_in_touch_days INTEGER CHECK (keep_in_touch_days > 0);
