-- The contacts an import created, as their 16-byte ids one after another: one value per
-- import rather than a row per contact in import_changes, which cost a 100,000-contact
-- import a twentieth of its time. import_changes keeps the contacts an import merged into,
-- with how they were before (and, for imports made before this, the ones it created).
ALTER TABLE imports ADD COLUMN created_ids BLOB NOT NULL DEFAULT x'';
