-- Custom fields the user defines, and each contact's values for them. A field's `key` is
-- what templates say ({{ custom.budget }}); it is made from the name once and kept when the
-- field is renamed, so a rename never breaks a letter.
CREATE TABLE custom_fields (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    kind        TEXT NOT NULL CHECK (kind IN ('text', 'number', 'date', 'yes_no', 'choice')),
    options     TEXT NOT NULL DEFAULT '[]',   -- JSON array: a choice list's options, in order
    position    INTEGER NOT NULL,
    created_at  TEXT NOT NULL
);

-- One row per value that is set (a blank is no row). `value` has no declared type, so
-- numbers stay numbers and compare as numbers in smart lists; yes/no is 1/0, dates are
-- 'YYYY-MM-DD' text.
CREATE TABLE contact_custom_values (
    contact_id  TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    field_id    INTEGER NOT NULL REFERENCES custom_fields (id) ON DELETE CASCADE,
    value       NOT NULL,
    PRIMARY KEY (contact_id, field_id)
) WITHOUT ROWID;
CREATE INDEX contact_custom_values_by_field ON contact_custom_values (field_id, value);
