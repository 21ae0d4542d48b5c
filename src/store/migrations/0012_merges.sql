-- Duplicate merges, each undoable days later: the two contacts as they were (their rows and
-- child rows, as JSON in the shape of the full JSON export), and every row elsewhere that was
-- moved from the merged contact to the kept one. See quality/merging.rs.
CREATE TABLE merges (
    id          TEXT PRIMARY KEY,
    kept_id     TEXT NOT NULL,      -- contact A, which stays
    merged_id   TEXT NOT NULL,      -- contact B, now in the Trash, merged into A
    created_at  TEXT NOT NULL,
    before      TEXT NOT NULL,      -- JSON: { table: [row, …] } for both contacts
    undone_at   TEXT
) WITHOUT ROWID;
CREATE INDEX merges_by_merged ON merges (merged_id);

CREATE TABLE merge_moves (
    merge_id    TEXT NOT NULL REFERENCES merges (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    reference   TEXT NOT NULL,      -- which kind of row moved: activities, referrals, companyPeople… (quality/merging.rs)
    row_key     TEXT NOT NULL,      -- JSON array of the values that pick out the moved row
    PRIMARY KEY (merge_id, position)
) WITHOUT ROWID;
