-- Schema version 10 of a new archive: written by `python -m archive.store.schema > archive/store/schema.sql`, never by hand.
CREATE TABLE "sources" (
   "name" TEXT PRIMARY KEY,
   "title" TEXT,
   "country" TEXT,
   "kind" TEXT,
   "base_url" TEXT
);
CREATE TABLE "documents" (
   "id" INTEGER PRIMARY KEY,
   "url" TEXT NOT NULL,
   "source" TEXT NOT NULL REFERENCES "sources"("name"),
   "title" TEXT,
   "published" TEXT,
   "date" TEXT,
   "language" TEXT,
   "kind" TEXT,
   "author" TEXT,
   "text" TEXT,
   "content_hash" TEXT,
   "first_fetched" TEXT,
   "fetched" TEXT,
   "flags" TEXT
, "removed" TEXT, "removed_reason" TEXT, "etag" TEXT, "last_modified" TEXT, "next_check" TEXT);
CREATE UNIQUE INDEX "idx_documents_url"
    ON "documents" ("url");
CREATE INDEX "idx_documents_source_date"
    ON "documents" ("source", "date");
CREATE INDEX "idx_documents_date"
    ON "documents" ("date");
CREATE TABLE "speakers" (
   "id" INTEGER PRIMARY KEY,
   "name" TEXT NOT NULL,
   "kind" TEXT,
   "country" TEXT
);
CREATE UNIQUE INDEX idx_speakers_name ON speakers (name COLLATE NOCASE);
CREATE TABLE "speaker_aliases" (
   "alias" TEXT PRIMARY KEY,
   "speaker_id" INTEGER REFERENCES "speakers"("id")
);
CREATE INDEX "idx_speaker_aliases_speaker_id"
    ON "speaker_aliases" ("speaker_id");
CREATE TABLE "statements" (
   "id" INTEGER PRIMARY KEY,
   "document_id" INTEGER NOT NULL REFERENCES "documents"("id"),
   "position" INTEGER NOT NULL,
   "speaker_id" INTEGER REFERENCES "speakers"("id"),
   "kind" TEXT NOT NULL,
   "role" TEXT,
   "text" TEXT NOT NULL,
   "cue" TEXT,
   "parent_id" INTEGER REFERENCES "statements"("id"),
   "char_start" INTEGER,
   "char_end" INTEGER,
   "date" TEXT
);
CREATE UNIQUE INDEX "idx_statements_document_id_position"
    ON "statements" ("document_id", "position");
CREATE INDEX "idx_statements_speaker_id_date"
    ON "statements" ("speaker_id", "date");
CREATE INDEX "idx_statements_date"
    ON "statements" ("date");
CREATE VIRTUAL TABLE "statements_fts" USING FTS5 (
    "text",
    tokenize='porter',
    content="statements"
);
CREATE VIRTUAL TABLE "documents_fts" USING FTS5 (
    "title",
    tokenize='porter',
    content="documents"
);
CREATE TRIGGER "documents_ai" AFTER INSERT ON "documents" BEGIN
  INSERT INTO "documents_fts" (rowid, "title") VALUES (new.rowid, new."title");
END;
CREATE TRIGGER "documents_ad" AFTER DELETE ON "documents" BEGIN
  INSERT INTO "documents_fts" ("documents_fts", rowid, "title") VALUES('delete', old.rowid, old."title");
END;
CREATE TRIGGER "documents_au" AFTER UPDATE ON "documents" BEGIN
  INSERT INTO "documents_fts" ("documents_fts", rowid, "title") VALUES('delete', old.rowid, old."title");
  INSERT INTO "documents_fts" (rowid, "title") VALUES (new.rowid, new."title");
END;
CREATE INDEX "idx_documents_next_check"
    ON "documents" ("next_check");
CREATE TABLE "document_versions" (
   "id" INTEGER PRIMARY KEY,
   "document_id" INTEGER NOT NULL REFERENCES "documents"("id"),
   "version" INTEGER NOT NULL,
   "fetched" TEXT,
   "content_hash" TEXT NOT NULL,
   "title" TEXT,
   "text" TEXT
);
CREATE UNIQUE INDEX "idx_document_versions_document_id_version"
    ON "document_versions" ("document_id", "version");
CREATE TABLE "fetch_failures" (
   "url" TEXT PRIMARY KEY,
   "source" TEXT,
   "first_failed" TEXT,
   "last_failed" TEXT,
   "attempts" INTEGER,
   "status" INTEGER,
   "reason" TEXT
);
CREATE INDEX "idx_fetch_failures_source"
    ON "fetch_failures" ("source");
CREATE TABLE "crawl_sections" (
   "url" TEXT PRIMARY KEY,
   "source" TEXT,
   "completed" TEXT
);
CREATE TABLE _statements_fts_deferred (above INTEGER NOT NULL);
CREATE TRIGGER statements_ai AFTER INSERT ON statements BEGIN INSERT INTO statements_fts (rowid, text) SELECT new.rowid, new.text WHERE new.rowid <= coalesce((SELECT max(above) FROM _statements_fts_deferred), new.rowid); END;
CREATE TRIGGER statements_ad AFTER DELETE ON statements BEGIN INSERT INTO statements_fts (statements_fts, rowid, text) SELECT 'delete', old.rowid, old.text WHERE old.rowid <= coalesce((SELECT max(above) FROM _statements_fts_deferred), old.rowid); END;
CREATE TRIGGER statements_au AFTER UPDATE ON statements BEGIN INSERT INTO statements_fts (statements_fts, rowid, text) SELECT 'delete', old.rowid, old.text WHERE old.rowid <= coalesce((SELECT max(above) FROM _statements_fts_deferred), old.rowid); INSERT INTO statements_fts (rowid, text) SELECT new.rowid, new.text WHERE new.rowid <= coalesce((SELECT max(above) FROM _statements_fts_deferred), new.rowid); END;
CREATE TABLE "document_pairs" (
   "id" INTEGER PRIMARY KEY,
   "document_id" INTEGER NOT NULL REFERENCES "documents"("id"),
   "counterpart_id" INTEGER NOT NULL REFERENCES "documents"("id"),
   "method" TEXT,
   "score" REAL,
   "aligned" INTEGER,
   "missing_in_counterpart" INTEGER,
   "missing_in_document" INTEGER,
   "paired" TEXT
);
CREATE UNIQUE INDEX "idx_document_pairs_document_id_counterpart_id"
    ON "document_pairs" ("document_id", "counterpart_id");
CREATE INDEX "idx_document_pairs_counterpart_id"
    ON "document_pairs" ("counterpart_id");
CREATE TABLE "turn_alignments" (
   "id" INTEGER PRIMARY KEY,
   "pair_id" INTEGER NOT NULL REFERENCES "document_pairs"("id"),
   "statement_id" INTEGER REFERENCES "statements"("id"),
   "counterpart_statement_id" INTEGER REFERENCES "statements"("id"),
   "score" REAL
);
CREATE INDEX "idx_turn_alignments_pair_id"
    ON "turn_alignments" ("pair_id");
CREATE INDEX "idx_turn_alignments_statement_id"
    ON "turn_alignments" ("statement_id");
CREATE INDEX "idx_turn_alignments_counterpart_statement_id"
    ON "turn_alignments" ("counterpart_statement_id");
CREATE TABLE "quote_origins" (
   "statement_id" INTEGER PRIMARY KEY REFERENCES "statements"("id"),
   "origin_id" INTEGER REFERENCES "statements"("id"),
   "label" TEXT,
   "similarity" REAL,
   "lag_days" REAL,
   "linked" TEXT
);
CREATE INDEX "idx_quote_origins_origin_id"
    ON "quote_origins" ("origin_id");
CREATE TABLE "link_runs" (
   "id" INTEGER PRIMARY KEY,
   "finished" TEXT,
   "last_document_id" INTEGER,
   "quotes" INTEGER,
   "linked" INTEGER
);
CREATE VIEW quote_chains AS
        SELECT q.id AS quote_id, q.date AS quoted_on, sp.name AS speaker, q.text AS quote,
               qd.source AS quoted_in, qd.url AS quote_url, o.label, o.similarity, o.lag_days,
               o.origin_id, og.date AS said_on, osp.name AS said_by, od.source AS said_in,
               og.text AS original, od.url AS original_url
        FROM quote_origins o
        JOIN statements q ON q.id = o.statement_id
        JOIN documents qd ON qd.id = q.document_id
        LEFT JOIN speakers sp ON sp.id = q.speaker_id
        LEFT JOIN statements og ON og.id = o.origin_id
        LEFT JOIN speakers osp ON osp.id = og.speaker_id
        LEFT JOIN documents od ON od.id = og.document_id
        WHERE o.origin_id IS NOT NULL;
CREATE VIEW statements_han AS SELECT id, text || char(31, 31) AS text FROM statements WHERE length(text) <> length(CAST(text AS BLOB)) AND text GLOB '*[' || char(0x3400) || '-' || char(0x9fff) || char(0xf900) || '-' || char(0xfaff) || char(0x20000) || '-' || char(0x323af) || ']*';
CREATE VIRTUAL TABLE statements_han_fts USING fts5(text, tokenize='trigram', content='statements_han', content_rowid='id');
CREATE VIRTUAL TABLE statements_han_terms USING fts5vocab(statements_han_fts, 'instance');
CREATE TRIGGER statements_han_ai AFTER INSERT ON statements BEGIN INSERT INTO statements_han_fts (rowid, text) SELECT new.rowid, new.text || char(31, 31) WHERE new.rowid <= coalesce((SELECT max(above) FROM _statements_fts_deferred), new.rowid) AND length(new.text) <> length(CAST(new.text AS BLOB)) AND new.text GLOB '*[' || char(0x3400) || '-' || char(0x9fff) || char(0xf900) || '-' || char(0xfaff) || char(0x20000) || '-' || char(0x323af) || ']*'; END;
CREATE TRIGGER statements_han_ad AFTER DELETE ON statements BEGIN INSERT INTO statements_han_fts (statements_han_fts, rowid, text) SELECT 'delete', old.rowid, old.text || char(31, 31) WHERE old.rowid <= coalesce((SELECT max(above) FROM _statements_fts_deferred), old.rowid) AND length(old.text) <> length(CAST(old.text AS BLOB)) AND old.text GLOB '*[' || char(0x3400) || '-' || char(0x9fff) || char(0xf900) || '-' || char(0xfaff) || char(0x20000) || '-' || char(0x323af) || ']*'; END;
CREATE TRIGGER statements_han_au AFTER UPDATE ON statements WHEN old.text IS NOT new.text OR old.rowid IS NOT new.rowid BEGIN INSERT INTO statements_han_fts (statements_han_fts, rowid, text) SELECT 'delete', old.rowid, old.text || char(31, 31) WHERE old.rowid <= coalesce((SELECT max(above) FROM _statements_fts_deferred), old.rowid) AND length(old.text) <> length(CAST(old.text AS BLOB)) AND old.text GLOB '*[' || char(0x3400) || '-' || char(0x9fff) || char(0xf900) || '-' || char(0xfaff) || char(0x20000) || '-' || char(0x323af) || ']*'; INSERT INTO statements_han_fts (rowid, text) SELECT new.rowid, new.text || char(31, 31) WHERE new.rowid <= coalesce((SELECT max(above) FROM _statements_fts_deferred), new.rowid) AND length(new.text) <> length(CAST(new.text AS BLOB)) AND new.text GLOB '*[' || char(0x3400) || '-' || char(0x9fff) || char(0xf900) || '-' || char(0xfaff) || char(0x20000) || '-' || char(0x323af) || ']*'; END;
CREATE TABLE rank_lists (
    term TEXT PRIMARY KEY,           -- a term of statements_fts, as its tokenizer indexes it
    through_id INTEGER NOT NULL,     -- statements up to this id were read
    cut REAL NOT NULL,               -- bm25's term-frequency factor of the best one left out
    avgdl REAL NOT NULL              -- the average statement length (tokens) it was read at
);
CREATE INDEX idx_rank_lists_through ON rank_lists (through_id);
CREATE TABLE rank_list_entries (
    term TEXT NOT NULL,
    id INTEGER NOT NULL,             -- statements.id
    tf INTEGER NOT NULL,             -- occurrences of the term in the statement
    dl INTEGER NOT NULL,             -- the statement's length in tokens
    PRIMARY KEY (term, id)
) WITHOUT ROWID;
CREATE TRIGGER statements_rank_lists_ai AFTER INSERT ON statements BEGIN DELETE FROM rank_list_entries WHERE term IN (SELECT term FROM rank_lists WHERE through_id >= new.id); DELETE FROM rank_lists WHERE through_id >= new.id; END;
CREATE TRIGGER statements_rank_lists_au AFTER UPDATE ON statements WHEN old.text IS NOT new.text OR old.id IS NOT new.id BEGIN DELETE FROM rank_list_entries WHERE term IN (SELECT term FROM rank_lists WHERE through_id >= old.id); DELETE FROM rank_lists WHERE through_id >= old.id; DELETE FROM rank_list_entries WHERE term IN (SELECT term FROM rank_lists WHERE through_id >= new.id); DELETE FROM rank_lists WHERE through_id >= new.id; END;
CREATE VIEW statements_view AS
        SELECT st.id, st.date, sp.name AS speaker, st.kind, st.text, d.title, d.url, d.source,
               st.role, substr(st.date, 1, 7) AS month, st.document_id, st.speaker_id,
               st.parent_id, d.language
        FROM statements st
        JOIN documents d ON d.id = st.document_id
        LEFT JOIN speakers sp ON sp.id = st.speaker_id;
CREATE INDEX idx_documents_source_content_hash ON documents (source, content_hash);
CREATE TABLE han_rank_lists (
    term TEXT PRIMARY KEY,           -- a term of statements_han_fts, as its tokenizer indexes it
    through_id INTEGER NOT NULL,     -- statements up to this id were read
    cut REAL NOT NULL,               -- bm25's term-frequency factor of the best one left out
    avgdl REAL NOT NULL              -- the average statement length (tokens) it was read at
);
CREATE INDEX idx_han_rank_lists_through ON han_rank_lists (through_id);
CREATE TABLE han_rank_list_entries (
    term TEXT NOT NULL,
    id INTEGER NOT NULL,             -- statements.id
    tf INTEGER NOT NULL,             -- occurrences of the term in the statement
    dl INTEGER NOT NULL,             -- the statement's length in tokens
    PRIMARY KEY (term, id)
) WITHOUT ROWID;
CREATE TRIGGER statements_han_rank_lists_ai AFTER INSERT ON statements BEGIN DELETE FROM han_rank_list_entries WHERE term IN (SELECT term FROM han_rank_lists WHERE through_id >= new.id); DELETE FROM han_rank_lists WHERE through_id >= new.id; END;
CREATE TRIGGER statements_han_rank_lists_au AFTER UPDATE ON statements WHEN old.text IS NOT new.text OR old.id IS NOT new.id BEGIN DELETE FROM han_rank_list_entries WHERE term IN (SELECT term FROM han_rank_lists WHERE through_id >= old.id); DELETE FROM han_rank_lists WHERE through_id >= old.id; DELETE FROM han_rank_list_entries WHERE term IN (SELECT term FROM han_rank_lists WHERE through_id >= new.id); DELETE FROM han_rank_lists WHERE through_id >= new.id; END;
