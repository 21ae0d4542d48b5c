-- The sender's logo and signature images (see merge/images.rs): the PNG or JPEG file as
-- chosen, never changed once written. "My details" and recorded merge runs name them by id,
-- so a re-print shows the images it printed with; those nothing names are deleted when
-- "My details" is saved.
CREATE TABLE images (
    id        TEXT PRIMARY KEY,   -- UUID
    format    TEXT NOT NULL,      -- png | jpeg
    data      BLOB NOT NULL,
    added_at  TEXT NOT NULL       -- UTC
);
