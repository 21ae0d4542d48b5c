-- Each import is one batch that can be undone later: the batch, and for every contact it
-- created or changed, the contact as it was before (NULL when the import created it).
CREATE TABLE imports (
    id          TEXT PRIMARY KEY,
    source      TEXT NOT NULL,          -- the file's name, as the user saw it
    created_at  TEXT NOT NULL,
    created     INTEGER NOT NULL,
    merged      INTEGER NOT NULL,
    skipped     INTEGER NOT NULL,
    undone_at   TEXT
) WITHOUT ROWID;

CREATE TABLE import_changes (
    import_id   TEXT NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    contact_id  TEXT NOT NULL,
    before      TEXT,                   -- JSON of the contact before the import, or NULL
    PRIMARY KEY (import_id, position)
) WITHOUT ROWID;
