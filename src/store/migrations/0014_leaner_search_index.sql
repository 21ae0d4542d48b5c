-- The search index, rebuilt leaner: searches only ever ask "which live contacts have words
-- starting with these" (see contacts/search.rs), never for positions, phrases or a rank, so
-- the index keeps no positions (detail=none) and no per-row sizes (columnsize=0). Only the
-- one-letter prefix index stays: two- and three-letter prefixes are as quick without theirs
-- (about 1–2 ms at 100,000 contacts), and each prefix index costs every write a copy of every
-- word. Together this halves the time an import spends indexing.
DROP TABLE contacts_fts;
CREATE VIRTUAL TABLE contacts_fts USING fts5 (
    search_text,
    content = 'contacts',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1',
    detail = none,
    columnsize = 0
);
INSERT INTO contacts_fts (rowid, search_text) SELECT seq, search_text FROM contacts WHERE deleted_at IS NULL;
