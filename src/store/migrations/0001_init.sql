-- Contacts and their child rows. Ids are UUIDv7 text; times are RFC 3339 UTC text.
-- `seq` is an explicit INTEGER PRIMARY KEY so the full-text index's rowids survive VACUUM.
CREATE TABLE contacts (
    seq          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    prefix       TEXT NOT NULL DEFAULT '',
    given_name   TEXT NOT NULL DEFAULT '',
    middle_name  TEXT NOT NULL DEFAULT '',
    family_name  TEXT NOT NULL DEFAULT '',
    suffix       TEXT NOT NULL DEFAULT '',
    nickname     TEXT NOT NULL DEFAULT '',
    company      TEXT NOT NULL DEFAULT '',
    job_title    TEXT NOT NULL DEFAULT '',
    birthday     TEXT,            -- 'YYYY-MM-DD', or '--MM-DD' when the year is unknown
    circle       TEXT NOT NULL DEFAULT 'business' CHECK (circle IN ('business', 'personal', 'both')),
    notes        TEXT NOT NULL DEFAULT '',
    display_name TEXT NOT NULL,   -- derived on write: what lists and letters call the contact
    sort_key     TEXT NOT NULL,   -- folded family, given, middle name (or company): list order
    search_text  TEXT NOT NULL,   -- folded tokens of every searchable field, fed to contacts_fts
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT             -- set while the contact is in the Trash
);
CREATE INDEX contacts_live_by_sort ON contacts (sort_key, seq) WHERE deleted_at IS NULL;
CREATE INDEX contacts_trashed ON contacts (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE TABLE contact_emails (
    contact_id  TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    value       TEXT NOT NULL,
    is_primary  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;

CREATE TABLE contact_phones (
    contact_id  TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    value       TEXT NOT NULL,
    is_primary  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;

CREATE TABLE contact_addresses (
    contact_id   TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    label        TEXT NOT NULL DEFAULT '',
    street       TEXT NOT NULL DEFAULT '',
    extra        TEXT NOT NULL DEFAULT '',
    city         TEXT NOT NULL DEFAULT '',
    region       TEXT NOT NULL DEFAULT '',
    postal_code  TEXT NOT NULL DEFAULT '',
    country      TEXT NOT NULL DEFAULT '',
    is_primary   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;

CREATE TABLE contact_websites (
    contact_id  TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    url         TEXT NOT NULL,
    PRIMARY KEY (contact_id, position)
) WITHOUT ROWID;

CREATE TABLE tags (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE COLLATE NOCASE,
    color  TEXT
);

CREATE TABLE contact_tags (
    contact_id  TEXT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    tag_id      INTEGER NOT NULL REFERENCES tags (id),
    PRIMARY KEY (contact_id, position),
    UNIQUE (contact_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX contact_tags_by_tag ON contact_tags (tag_id);

-- Prefix search over the folded text of live contacts. The store keeps it in step (see
-- contacts/queries.rs) rather than triggers: a bulk import indexes its rows in one statement,
-- where a trigger would flush FTS5's buffer after every row. A trashed contact leaves the index,
-- so counting matches never has to look at the contacts table. The prefix indexes keep one- to
-- three-letter searches (the first keystrokes) fast.
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
    search_text,
    content = 'contacts',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3'
);
