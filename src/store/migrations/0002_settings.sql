-- Small documents the user sets once (the sender's "My details", printer calibration …),
-- each stored as JSON under a key.
CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
