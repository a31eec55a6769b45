"""The archive's tables, indexes and full-text indexes: only DDL lives here.

The schema is normalized: a document per canonical URL, a speaker per person
(other spellings in ``speaker_aliases``), and statements that point at both.
FTS5 tables over statement text and document titles are kept in sync by
triggers, so every writer — this program, ``sqlite-utils``, a user's script —
keeps search correct.

A new archive is made in one step from ``schema.sql``, the DDL the migrations produce
(written by ``python -m archive.store.schema > archive/store/schema.sql``; a test checks the two
agree), without importing sqlite-utils; older archives go through the migrations.

Each archive carries ``PRAGMA application_id`` (so another program's SQLite file
is recognised and refused) and ``PRAGMA user_version`` (the schema version, so
an old archive is upgraded in place by :data:`MIGRATIONS` and a newer one is
refused instead of damaged).

One module of some 600 lines on purpose: it reads top to bottom as the schema's history,
each migration beside the names of the tables it makes (the names the store and search
import from here), then the 140 lines that apply the migrations and check a file. Split
there, the table names would part from the DDL that defines them; split by version, a
reader would have to open seven files to see one schema.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.exceptions import DamagedArchive, MissingArchive, NewerSchema, NotAnArchive

if TYPE_CHECKING:
    from sqlite_utils import Database  # imported lazily: 0.2 s of CLI start-up

#: ``PRAGMA application_id`` of an archive: "MFAA" in ASCII.
APPLICATION_ID = 0x4D464141

#: The schema version this code writes; raise it with each migration.
SCHEMA_VERSION = 10

#: Statement columns indexed for full-text search.
STATEMENT_FTS_COLUMNS = ["text"]
#: Document columns indexed for full-text search.
DOCUMENT_FTS_COLUMNS = ["title"]
#: Porter stemming lets "sanction" find "sanctions"; unicode61 folds accents.
FTS_TOKENIZE = "porter"


def _create_v1(db: Database) -> None:
    """Version 1: sources, documents, speakers, aliases, statements and their FTS."""
    db["sources"].create(
        {"name": str, "title": str, "country": str, "kind": str, "base_url": str},
        pk="name",
    )
    db["documents"].create(
        {
            "id": int,
            "url": str,
            "source": str,
            "title": str,
            "published": str,  # ISO 8601 as the page gives it (date or date-time)
            "date": str,  # YYYY-MM-DD, for sorting and filtering
            "language": str,
            "kind": str,
            "author": str,
            "text": str,
            "content_hash": str,
            "first_fetched": str,
            "fetched": str,
            "flags": str,  # JSON list of extraction flags
        },
        pk="id",
        not_null={"url", "source"},
        foreign_keys=[("source", "sources", "name")],
    )
    db["documents"].create_index(["url"], unique=True)
    db["documents"].create_index(["source", "date"])
    db["documents"].create_index(["date"])
    db["speakers"].create(
        {"id": int, "name": str, "kind": str, "country": str},
        pk="id",
        not_null={"name"},
    )
    db.execute("CREATE UNIQUE INDEX idx_speakers_name ON speakers (name COLLATE NOCASE)")
    db["speaker_aliases"].create(
        {"alias": str, "speaker_id": int},
        pk="alias",
        foreign_keys=[("speaker_id", "speakers", "id")],
    )
    db["speaker_aliases"].create_index(["speaker_id"])
    db["statements"].create(
        {
            "id": int,
            "document_id": int,
            "position": int,  # order within the document
            "speaker_id": int,
            "kind": str,  # remark | answer | question | quote
            "role": str,  # the speaker's capacity here: "Foreign Ministry Spokesperson", "Reuters"
            "text": str,
            "cue": str,  # for quotes: the verb that attributed them ("said", "according to")
            "parent_id": int,  # for quotes: the statement they were quoted in
            "char_start": int,  # offsets of a quote in its parent's text, or in the document's
            "char_end": int,
            "date": str,  # the document's date, kept here so searches sort without a join
        },
        pk="id",
        not_null={"document_id", "position", "kind", "text"},
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("speaker_id", "speakers", "id"),
            ("parent_id", "statements", "id"),
        ],
    )
    db["statements"].create_index(["document_id", "position"], unique=True)
    db["statements"].create_index(["speaker_id", "date"])
    db["statements"].create_index(["date"])
    db["statements"].enable_fts(
        STATEMENT_FTS_COLUMNS, fts_version="FTS5", create_triggers=True, tokenize=FTS_TOKENIZE
    )
    db["documents"].enable_fts(
        DOCUMENT_FTS_COLUMNS, fts_version="FTS5", create_triggers=True, tokenize=FTS_TOKENIZE
    )


def _add_history_v2(db: Database) -> None:
    """Version 2: document versions, removals, HTTP validators, re-check schedule, failures.

    Ministries edit and remove statements quietly: every change of a document's
    text is kept in ``document_versions``, a removal is a time in
    ``documents.removed`` (the text stays), and fetches that failed are kept in
    ``fetch_failures`` until a later crawl succeeds, so coverage gaps show.
    """
    for column, kind in (
        ("removed", str),  # when the page was found removed (404/410 or a "removed" page)
        ("removed_reason", str),
        ("etag", str),  # HTTP validators for conditional re-checks
        ("last_modified", str),
        ("next_check", str),  # when a re-check is due (see archive.schedule)
    ):
        db["documents"].add_column(column, kind)
    db["documents"].create_index(["next_check"])
    db["document_versions"].create(
        {
            "id": int,
            "document_id": int,
            "version": int,
            "fetched": str,
            "content_hash": str,
            "title": str,
            "text": str,
        },
        pk="id",
        not_null={"document_id", "version", "content_hash"},
        foreign_keys=[("document_id", "documents", "id")],
    )
    db["document_versions"].create_index(["document_id", "version"], unique=True)
    # Archives made before version 2 start their history with the text they hold.
    db.execute(
        "INSERT INTO document_versions (document_id, version, fetched, content_hash, title, text) "
        "SELECT id, 1, coalesce(first_fetched, fetched), content_hash, title, text FROM documents"
    )
    db["fetch_failures"].create(
        {
            "url": str,
            "source": str,
            "first_failed": str,
            "last_failed": str,
            "attempts": int,
            "status": int,  # HTTP status, or NULL for a network error
            "reason": str,
        },
        pk="url",
    )
    db["fetch_failures"].create_index(["source"])
    db["crawl_sections"].create(
        {"url": str, "source": str, "completed": str},
        pk="url",
    )


def _add_statements_view_v3(db: Database) -> None:
    """Version 3: ``statements_view``, a statement with its speaker's name, month and page URL.

    Datasette browses views like tables (facets, sort, full-text search through
    ``statements_fts``), so readers see who said it and can follow a link to the
    original page without a join; the month column makes a "by month" facet.
    """
    db.execute(
        """CREATE VIEW statements_view AS
        SELECT st.id, st.date, sp.name AS speaker, st.kind, st.text, d.title, d.url, d.source,
               st.role, substr(st.date, 1, 7) AS month, st.document_id, st.speaker_id,
               st.parent_id
        FROM statements st
        JOIN documents d ON d.id = st.document_id
        LEFT JOIN speakers sp ON sp.id = st.speaker_id"""
    )


#: Table holding, inside a writer's transaction only, the highest statement id that the
#: FTS triggers still index; statements above it are indexed in one batch at commit.
DEFERRED_FTS_TABLE = "_statements_fts_deferred"

#: The indexing rule of the statement triggers: a row is indexed by the triggers unless a
#: writer deferred indexing and the row is above its mark.
_INDEXED = (
    "{row}.rowid <= coalesce((SELECT max(above) FROM " + DEFERRED_FTS_TABLE + "), {row}.rowid)"
)


def _defer_statement_fts_v4(db: Database) -> None:
    """Version 4: a writer may index its new statements in one batch per transaction.

    FTS5 through a per-row ``AFTER INSERT`` trigger indexed ~8,800 statements/s here; one
    ``INSERT INTO statements_fts SELECT …`` over the same rows ~28,000/s. The store writes
    its mark into :data:`DEFERRED_FTS_TABLE` when it starts inserting statements and indexes
    every row above it (then deletes the mark) before it commits, so the index is in sync at
    every commit and no other connection ever sees the mark. Other writers (sqlite-utils, a
    user's script) find the table empty and keep the triggers' per-row indexing. Updates and
    deletes of rows above the mark leave the index alone: those rows are not in it yet.
    """
    db.execute(f"CREATE TABLE {DEFERRED_FTS_TABLE} (above INTEGER NOT NULL)")
    for trigger in ("statements_ai", "statements_ad", "statements_au"):
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    delete = (
        "INSERT INTO statements_fts (statements_fts, rowid, text) "
        "SELECT 'delete', old.rowid, old.text WHERE " + _INDEXED.format(row="old") + ";"
    )
    insert = (
        "INSERT INTO statements_fts (rowid, text) "
        "SELECT new.rowid, new.text WHERE " + _INDEXED.format(row="new") + ";"
    )
    db.execute(f"CREATE TRIGGER statements_ai AFTER INSERT ON statements BEGIN {insert} END")
    db.execute(f"CREATE TRIGGER statements_ad AFTER DELETE ON statements BEGIN {delete} END")
    db.execute(
        f"CREATE TRIGGER statements_au AFTER UPDATE ON statements BEGIN {delete} {insert} END"
    )


def _add_provenance_v5(db: Database) -> None:
    """Version 5: where a quotation was said first, and a document's other-language version.

    Both are derived from the statements (``archive link`` computes them), so the store
    deletes a document's rows here whenever its statements change, and the next link
    run computes them again.

    - ``document_pairs``: the same briefing in two languages. ``document_id`` is the
      version in the source's own language (Chinese for China's MFA, Russian for the
      Kremlin), ``counterpart_id`` the translation; ``missing_in_*`` count the turns
      present in one version only (an answer left out of the English version is news).
    - ``turn_alignments``: the turns of a pair matched one to one; a row with one side
      NULL is a turn the other version lacks.
    - ``quote_origins``: for each quotation, its best original (the earliest first-hand
      appearance), how faithful the quotation is (``verbatim``, ``near-verbatim``,
      ``fragment``, ``paraphrase``), the similarity and the lag in days. A row with a
      NULL origin records that none was found at ``linked``.
    - ``link_runs``: one row per link run, with the last document id it saw.
    """
    db["document_pairs"].create(
        {
            "id": int,
            "document_id": int,
            "counterpart_id": int,
            "method": str,  # how they were found: "shared-id", "same-day"
            "score": float,
            "aligned": int,
            "missing_in_counterpart": int,
            "missing_in_document": int,
            "paired": str,
        },
        pk="id",
        not_null={"document_id", "counterpart_id"},
        foreign_keys=[
            ("document_id", "documents", "id"),
            ("counterpart_id", "documents", "id"),
        ],
    )
    db["document_pairs"].create_index(["document_id", "counterpart_id"], unique=True)
    db["document_pairs"].create_index(["counterpart_id"])
    db["turn_alignments"].create(
        {
            "id": int,
            "pair_id": int,
            "statement_id": int,
            "counterpart_statement_id": int,
            "score": float,
        },
        pk="id",
        not_null={"pair_id"},
        foreign_keys=[
            ("pair_id", "document_pairs", "id"),
            ("statement_id", "statements", "id"),
            ("counterpart_statement_id", "statements", "id"),
        ],
    )
    db["turn_alignments"].create_index(["pair_id"])
    db["turn_alignments"].create_index(["statement_id"])
    db["turn_alignments"].create_index(["counterpart_statement_id"])
    db["quote_origins"].create(
        {
            "statement_id": int,
            "origin_id": int,
            "label": str,
            "similarity": float,
            "lag_days": float,
            "linked": str,
        },
        pk="statement_id",
        foreign_keys=[
            ("statement_id", "statements", "id"),
            ("origin_id", "statements", "id"),
        ],
    )
    db["quote_origins"].create_index(["origin_id"])
    # Each link run: how far into the documents it looked, so the next one knows what
    # arrived since (ids, not fetch times: an ingester writes a crawl's older times).
    db["link_runs"].create(
        {"id": int, "finished": str, "last_document_id": int, "quotes": int, "linked": int},
        pk="id",
    )
    db.execute(
        """CREATE VIEW quote_chains AS
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
        WHERE o.origin_id IS NOT NULL"""
    )


#: Unicode ranges of Han characters: CJK Unified Ideographs with Extension A (U+3400–U+9FFF,
#: the Yijing symbols between them included), compatibility ideographs, Extensions B–H.
HAN_RANGES = ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x323AF))
#: Statements holding a Han character, with their text as the Han index reads it.
HAN_VIEW = "statements_han"
#: Trigram index over :data:`HAN_VIEW`: Chinese has no spaces, so unicode61 made a whole clause
#: one token and 美国 found nothing; a trigram index finds any substring of 3+ characters.
HAN_FTS_TABLE = "statements_han_fts"
#: Every trigram of :data:`HAN_FTS_TABLE` with its statement (fts5vocab ``instance``): the
#: trigrams that start with a 1–2 character term are exactly that term's occurrences.
HAN_TERMS_TABLE = "statements_han_terms"
#: Appended to each indexed text, so that every character, the last ones included, starts a
#: trigram: a term of 1–2 characters at the very end of a statement is still found.
HAN_END = "\x1f\x1f"
_HAN_END_SQL = "char(31, 31)"


def has_han(value: str) -> str:
    """Plain SQL that is true when the text ``value`` holds a Han character.

    A GLOB character class, which every writer has (sqlite-utils, Datasette, the sqlite3
    shell), unlike a function this program would register. GLOB tests a class after ``*`` at
    every position (49 µs for an English statement of 580 characters, which halved ingest):
    an ASCII-only text, whose character count equals its byte count (1 µs), skips it. The
    ranges are ``char()`` code points, not literal characters, so the DDL says what it means
    (U+8C48 豈 and U+F900 豈 look alike; a class starting at the wrong one took in Hangul).
    """
    ranges = " || ".join(f"char({low:#x}) || '-' || char({high:#x})" for low, high in HAN_RANGES)
    return (
        f"length({value}) <> length(CAST({value} AS BLOB)) "
        f"AND {value} GLOB '*[' || {ranges} || ']*'"
    )


def _index_han_statements_v6(db: Database) -> None:
    """Version 6: statements in Chinese (any holding a Han character) get a trigram index.

    The index's content is the view :data:`HAN_VIEW`, not the statements table: only the rows
    it indexes are in it, so FTS5's ``integrity-check`` compares index and content exactly, and
    English statements cost no trigrams (about three times the text). Triggers keep it in sync
    for every writer under the same deferral rule as ``statements_fts`` (version 4): the store
    indexes its new rows at commit. An update re-indexes only when the text (or id) changed: a
    speaker merge rewrites many rows and none of their text. Existing statements are indexed
    here, by ``rebuild`` from the view.
    """
    han = has_han("text")
    db.execute(
        f"CREATE VIEW {HAN_VIEW} AS SELECT id, text || {_HAN_END_SQL} AS text FROM statements "
        f"WHERE {han}"
    )
    db.execute(
        f"CREATE VIRTUAL TABLE {HAN_FTS_TABLE} USING fts5(text, tokenize='trigram', "
        f"content='{HAN_VIEW}', content_rowid='id')"
    )
    db.execute(
        f"CREATE VIRTUAL TABLE {HAN_TERMS_TABLE} USING fts5vocab({HAN_FTS_TABLE}, 'instance')"
    )

    def indexed(row: str) -> str:
        return _INDEXED.format(row=row) + " AND " + has_han(f"{row}.text")

    delete = (
        f"INSERT INTO {HAN_FTS_TABLE} ({HAN_FTS_TABLE}, rowid, text) "
        f"SELECT 'delete', old.rowid, old.text || {_HAN_END_SQL} WHERE {indexed('old')};"
    )
    insert = (
        f"INSERT INTO {HAN_FTS_TABLE} (rowid, text) "
        f"SELECT new.rowid, new.text || {_HAN_END_SQL} WHERE {indexed('new')};"
    )
    db.execute(f"CREATE TRIGGER statements_han_ai AFTER INSERT ON statements BEGIN {insert} END")
    db.execute(f"CREATE TRIGGER statements_han_ad AFTER DELETE ON statements BEGIN {delete} END")
    db.execute(
        "CREATE TRIGGER statements_han_au AFTER UPDATE ON statements "
        f"WHEN old.text IS NOT new.text OR old.rowid IS NOT new.rowid BEGIN {delete} {insert} END"
    )
    db.execute(f"INSERT INTO {HAN_FTS_TABLE} ({HAN_FTS_TABLE}) VALUES ('rebuild')")


#: The best hits of each common term (:mod:`archive.search.rank_lists`), and its entries.
RANK_LISTS_TABLE = "rank_lists"
RANK_LIST_ENTRIES_TABLE = "rank_list_entries"
#: The same for the trigrams of :data:`HAN_FTS_TABLE`.
HAN_RANK_LISTS_TABLE = "han_rank_lists"
HAN_RANK_LIST_ENTRIES_TABLE = "han_rank_list_entries"


def _add_rank_lists_v7(db: Database) -> None:
    """Version 7: for each common term, the statements it scores best in (impact lists).

    bm25 over every hit of a common word ("cooperation": 200,000 statements) cost a search
    a quarter of a second whatever its limit; a term's best hits, stored with the term
    frequency and length that score them, let :mod:`archive.search.top_k` prove a page exact
    from a few thousand. ``cut`` bounds every statement left out (up to ``through_id``).

    A list stays exact only while the statements it read keep their text: the triggers drop
    every list that read a statement whose text changes, or whose id comes back (an id at or
    below a list's ``through_id``). Statements appended later are above ``through_id`` and
    are scored at search time; deleted ones are skipped by the reader.
    """
    _create_rank_lists(db, RANK_LISTS_TABLE, RANK_LIST_ENTRIES_TABLE, "statements_fts")


def _create_rank_lists(db: Database, lists: str, entries: str, index: str) -> None:
    """The tables of the impact lists of FTS5 table ``index``, and the triggers that drop a
    list when a statement it read changes."""
    trigger = "statements_" + lists
    db.execute(
        f"""CREATE TABLE {lists} (
    term TEXT PRIMARY KEY,           -- a term of {index}, as its tokenizer indexes it
    through_id INTEGER NOT NULL,     -- statements up to this id were read
    cut REAL NOT NULL,               -- bm25's term-frequency factor of the best one left out
    avgdl REAL NOT NULL              -- the average statement length (tokens) it was read at
)"""
    )
    db.execute(f"CREATE INDEX idx_{lists}_through ON {lists} (through_id)")
    db.execute(
        f"""CREATE TABLE {entries} (
    term TEXT NOT NULL,
    id INTEGER NOT NULL,             -- statements.id
    tf INTEGER NOT NULL,             -- occurrences of the term in the statement
    dl INTEGER NOT NULL,             -- the statement's length in tokens
    PRIMARY KEY (term, id)
) WITHOUT ROWID"""
    )
    drop = (
        f"DELETE FROM {entries} WHERE term IN "
        f"(SELECT term FROM {lists} WHERE through_id >= {{row}}.id); "
        f"DELETE FROM {lists} WHERE through_id >= {{row}}.id;"
    )
    db.execute(
        f"CREATE TRIGGER {trigger}_ai AFTER INSERT ON statements BEGIN {drop.format(row='new')} END"
    )
    db.execute(
        f"CREATE TRIGGER {trigger}_au AFTER UPDATE ON statements "
        "WHEN old.text IS NOT new.text OR old.id IS NOT new.id "
        f"BEGIN {drop.format(row='old')} {drop.format(row='new')} END"
    )


def _add_language_to_statements_view_v8(db: Database) -> None:
    """Version 8: ``statements_view`` gains the document's ``language``, last.

    Readers facet and filter statements by language in Datasette (en, zh, ru) as
    ``archive search --lang`` does; the new column goes last, so every column keeps its place.
    """
    db.execute("DROP VIEW IF EXISTS statements_view")
    db.execute(
        """CREATE VIEW statements_view AS
        SELECT st.id, st.date, sp.name AS speaker, st.kind, st.text, d.title, d.url, d.source,
               st.role, substr(st.date, 1, 7) AS month, st.document_id, st.speaker_id,
               st.parent_id, d.language
        FROM statements st
        JOIN documents d ON d.id = st.document_id
        LEFT JOIN speakers sp ON sp.id = st.speaker_id"""
    )


def _index_content_hashes_v9(db: Database) -> None:
    """Version 9: documents indexed by source and content hash.

    A listing that links one document under ever new query strings ("t1789509.shtml?from=N")
    filled an archive with 10,000 copies of it; the store now refuses a new URL that only
    differs from a stored document of the same source by its query string or fragment and
    holds the same text, and finds such a document through this index.
    """
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_documents_source_content_hash "
        "ON documents (source, content_hash)"
    )


def _add_han_rank_lists_v10(db: Database) -> None:
    """Version 10: impact lists for the trigrams of the Chinese index too.

    A common Chinese word (新冠肺炎: 120,000 statements of ten million) was ranked by FTS5's
    bm25 over every hit, a quarter of a second; its trigrams' lists let
    :mod:`archive.search.top_k` prove the page from a few thousand, as for English words.
    The next ``archive link`` reads them.
    """
    _create_rank_lists(db, HAN_RANK_LISTS_TABLE, HAN_RANK_LIST_ENTRIES_TABLE, HAN_FTS_TABLE)


#: ``MIGRATIONS[n]`` upgrades an archive from version ``n`` to ``n + 1``.
MIGRATIONS: dict[int, Callable[[Database], None]] = {
    0: _create_v1,
    1: _add_history_v2,
    2: _add_statements_view_v3,
    3: _defer_statement_fts_v4,
    4: _add_provenance_v5,
    5: _index_han_statements_v6,
    6: _add_rank_lists_v7,
    7: _add_language_to_statements_view_v8,
    8: _index_content_hashes_v9,
    9: _add_han_rank_lists_v10,
}


#: The DDL of a new archive of :data:`SCHEMA_VERSION`, as the migrations make it.
SCHEMA_SQL = Path(__file__).with_name("schema.sql")

#: Tables SQLite makes for each FTS5 table: never created by hand.
_FTS_SHADOWS = ("_data", "_idx", "_docsize", "_config", "_content")


def schema_statements(db: Any) -> list[str]:
    """The DDL that recreates ``db``'s schema, in the order SQLite stored it.

    Leaves out what SQLite makes by itself: indexes of primary keys and unique
    constraints, and the shadow tables of FTS5 tables.
    """
    rows = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY rowid").fetchall()
    virtual = [name for kind, name, sql in rows if (sql or "").startswith("CREATE VIRTUAL TABLE")]
    shadows = {name + suffix for name in virtual for suffix in _FTS_SHADOWS}
    return [sql for _, name, sql in rows if sql and name not in shadows]


def _split_statements(script: str) -> Iterator[str]:
    """The statements of an SQL script, triggers (``BEGIN … END;``) kept whole."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            yield statement.strip()
            statement = ""
    if statement.strip():
        yield statement.strip()


def _create_current(db: Any) -> None:
    """A new archive of the current version from :data:`SCHEMA_SQL`, statement by statement.

    Not ``executescript``: it would commit the caller's open transaction first.
    """
    for statement in _split_statements(SCHEMA_SQL.read_text("utf-8")):
        db.execute(statement)


def _pragma(db: Database, name: str) -> int:
    return db.execute(f"PRAGMA {name}").fetchone()[0]


def ensure_schema(db: Database) -> None:
    """Create the tables of a new archive, or upgrade an older one in place.

    Raises:
        NotAnArchive: the file holds another program's tables.
        NewerSchema: the archive was written by a newer version of this program.
    """
    app_id = _pragma(db, "application_id")
    version = _pragma(db, "user_version")
    if app_id != APPLICATION_ID:
        if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            raise NotAnArchive(
                f"{_describe(db)} is not a statement archive (it holds other tables); "
                "give another path with --db or ARCHIVE_DB"
            )
        version = 0
    if version > SCHEMA_VERSION:
        raise NewerSchema(
            f"{_describe(db)} has schema version {version}, newer than this program's "
            f"{SCHEMA_VERSION}; upgrade mfa-archive to use it"
        )
    _refuse_unknown_version(db, app_id, version)
    if version == SCHEMA_VERSION:
        return
    # One explicit transaction: sqlite-utils commits each DDL statement that opens an implicit
    # one by itself, so ``with conn`` let a crawl killed mid-creation leave tables without the
    # application id ("not a statement archive"). IMMEDIATE also serialises two creators; the
    # version is read again once the lock is held.
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        if _pragma(db, "application_id") == APPLICATION_ID:
            version = _pragma(db, "user_version")
        if version == 0:
            _create_current(db)
        else:
            for step in range(version, SCHEMA_VERSION):
                MIGRATIONS[step](db)
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


def check_schema(db: Database) -> None:
    """Refuse a file that is not an archive of this version, without writing to it."""
    app_id = _pragma(db, "application_id")
    version = _pragma(db, "user_version")
    if app_id != APPLICATION_ID:
        if not db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            # An empty file: a first crawl has just created it and not yet committed the
            # schema, or someone made it by hand. Either way there is nothing to read yet.
            raise MissingArchive(
                f"no archive in {_describe(db)} yet (the file is empty: a first crawl may be "
                "creating it); try again in a moment, or crawl first"
            )
        raise NotAnArchive(
            f"{_describe(db)} is not a statement archive; give another path with --db or ARCHIVE_DB"
        )
    if version > SCHEMA_VERSION:
        raise NewerSchema(
            f"{_describe(db)} has schema version {version}, newer than this program's "
            f"{SCHEMA_VERSION}; upgrade mfa-archive to use it"
        )
    _refuse_unknown_version(db, app_id, version)


def _refuse_unknown_version(db: Database, app_id: int, version: int) -> None:
    """An archive (by its application id) whose version no release wrote: 0 with tables, or
    negative. Migrating it would fail half-way (or, from -1, look up no migration at all)."""
    if app_id == APPLICATION_ID and version < 1:
        path = _describe(db)
        raise DamagedArchive(
            f"{path} is damaged: its schema version is {version}, which no version of "
            f"mfa-archive writes; run `archive check --db {path}` to see what is wrong and "
            "what to do"
        )


def _describe(db: Database) -> str:
    row = db.execute("PRAGMA database_list").fetchone()
    return row[2] or "the database"


def migrated_schema() -> list[str]:
    """The DDL of an archive made by running every migration on an empty database."""
    from sqlite_utils import Database

    db = Database(memory=True)
    for step in range(SCHEMA_VERSION):
        MIGRATIONS[step](db)
    return schema_statements(db)


if __name__ == "__main__":
    sys.stdout.write(
        f"-- Schema version {SCHEMA_VERSION} of a new archive: written by "
        "`python -m archive.store.schema > archive/store/schema.sql`, never by hand.\n"
    )
    sys.stdout.write("".join(f"{statement};\n" for statement in migrated_schema()))
