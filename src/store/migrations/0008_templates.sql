-- Letter templates the user wrote or changed. A saved template with a sample's name
-- replaces that sample; deleting it brings the sample back.
CREATE TABLE templates (
    name        TEXT PRIMARY KEY COLLATE NOCASE,
    source      TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) WITHOUT ROWID;
