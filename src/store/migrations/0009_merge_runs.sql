-- Merge runs: what was printed, for whom and where, so a run can be printed again exactly as
-- it was (the template's text, the sender and the date as they were then), whatever changed
-- since. See merge/runs.rs.
CREATE TABLE merge_runs (
    id               INTEGER PRIMARY KEY,
    created_at       TEXT NOT NULL,               -- UTC
    layout           TEXT NOT NULL,               -- us-window, fax, envelope-dl, avery-5160 …
    template_name    TEXT NOT NULL DEFAULT '',    -- '' for envelopes and labels
    template_source  TEXT NOT NULL DEFAULT '',    -- the template's text as printed
    options          TEXT NOT NULL,               -- JSON: date, sender, household, labels, fax cover
    output           TEXT NOT NULL,               -- the PDF, or the folder of one PDF per recipient
    printed          INTEGER NOT NULL,            -- letters (faxes, envelopes, labels) printed
    skipped          INTEGER NOT NULL,
    pages            INTEGER NOT NULL,
    reprint_of       INTEGER REFERENCES merge_runs (id) ON DELETE SET NULL
);

-- Everyone a run was asked to print for, in order, those it skipped included: a re-print asks
-- again, so a contact trashed since is skipped and one given an address since is printed.
CREATE TABLE merge_run_recipients (
    run_id      INTEGER NOT NULL REFERENCES merge_runs (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    contact_id  TEXT REFERENCES contacts (id) ON DELETE SET NULL,   -- NULL: deleted for good since
    PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
-- Deleting a contact for good finds their rows through this.
CREATE INDEX merge_run_recipients_by_contact ON merge_run_recipients (contact_id) WHERE contact_id IS NOT NULL;
