-- Saved smart lists: a name and the filter (JSON, see workflow/lists.rs).
CREATE TABLE smart_lists (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    filter      TEXT NOT NULL,
    created_at  TEXT NOT NULL
) WITHOUT ROWID;
