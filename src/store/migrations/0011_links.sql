-- Who belongs together. A company is a contact of its own (its page lists its people), and a
-- person links to it; a household groups the people one letter can go to.
CREATE TABLE households (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,        -- "The Lee family": what a letter to the household says
    created_at  TEXT NOT NULL
) WITHOUT ROWID;

ALTER TABLE contacts ADD COLUMN company_id TEXT REFERENCES contacts (id) ON DELETE SET NULL;
ALTER TABLE contacts ADD COLUMN household_id TEXT REFERENCES households (id) ON DELETE SET NULL;
CREATE INDEX contacts_by_company ON contacts (company_id) WHERE company_id IS NOT NULL;
CREATE INDEX contacts_by_household ON contacts (household_id) WHERE household_id IS NOT NULL;
