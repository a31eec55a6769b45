"""Statement search stays in sync with the statements, whoever writes and however.

The store indexes the statements it inserts in one batch per transaction (schema version 4);
the triggers index everyone else's writes row by row. FTS5's ``integrity-check`` with
``rank = 1`` compares the index with the statements table itself, so a row indexed twice,
never, or with old text fails it.
"""

from __future__ import annotations

import sqlite3

import pytest
from conftest import MFA_PAGES, mfa_record

from archive.store import Archive
from archive.store.schema import DEFERRED_FTS_TABLE, MIGRATIONS


def index_matches_table(conn: sqlite3.Connection) -> bool:
    try:
        conn.execute(
            "INSERT INTO statements_fts (statements_fts, rank) VALUES ('integrity-check', 1)"
        )
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.rollback()  # the command writes nothing, but sqlite3 opened a transaction for it
    return True


def hits(conn: sqlite3.Connection, query: str) -> int:
    return conn.execute(
        "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH ?", [query]
    ).fetchone()[0]


def records() -> list[dict]:
    return [mfa_record(name, url) for name, url in MFA_PAGES[:3]]


def test_a_batch_is_searchable_at_commit_and_leaves_no_mark(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        counts = archive.upsert_documents(records(), batch_size=2)
        assert counts["new"] == 3
        conn = archive.db.conn
        assert index_matches_table(conn)
        assert conn.execute(f"SELECT count(*) FROM {DEFERRED_FTS_TABLE}").fetchone()[0] == 0
        assert hits(conn, "China") > 0


def test_rows_inserted_edited_and_deleted_in_one_transaction(tmp_path):
    first, second, _ = records()
    with Archive(tmp_path / "a.db") as archive:
        archive.upsert_document(second)  # indexed rows below the next transaction's mark
        with archive.transaction():
            archive.upsert_document(first)  # new: indexed at commit
            edited = dict(first, statements=[dict(s) for s in first["statements"]])
            edited["statements"][1]["text"] = "A quietly rewritten answer about glaciers."
            edited["text"] = first["text"] + " (edited)"
            archive.upsert_document(edited)  # updates a row not yet indexed
            shorter = dict(second, statements=second["statements"][:3], text="short")
            archive.upsert_document(shorter)  # deletes indexed rows
            archive.upsert_document(dict(edited, statements=edited["statements"][:4], text="x"))
        conn = archive.db.conn
        assert index_matches_table(conn)
        assert hits(conn, "glaciers") == 1
        total = conn.execute("SELECT count(*) FROM statements").fetchone()[0]
        assert total == 3 + 4


def test_a_rolled_back_batch_leaves_the_index_and_the_mark_as_they_were(tmp_path):
    first, second, _ = records()
    with Archive(tmp_path / "a.db") as archive:
        archive.upsert_document(first)
        with pytest.raises(RuntimeError), archive.transaction():
            archive.upsert_document(second)
            raise RuntimeError("the crawl was stopped")
        conn = archive.db.conn
        assert conn.execute(f"SELECT count(*) FROM {DEFERRED_FTS_TABLE}").fetchone()[0] == 0
        assert index_matches_table(conn)
        archive.upsert_document(second)
        assert index_matches_table(conn)


def test_other_writers_keep_the_per_row_triggers(tmp_path):
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        archive.upsert_document(records()[0])
    conn = sqlite3.connect(path)
    with conn:
        document = conn.execute("SELECT id FROM documents").fetchone()[0]
        conn.execute(
            "INSERT INTO statements (document_id, position, kind, text) "
            "VALUES (?, 999, 'remark', 'A statement about icebergs from a script')",
            [document],
        )
    assert hits(conn, "icebergs") == 1
    with conn:
        conn.execute("UPDATE statements SET text = 'now about fjords' WHERE position = 999")
    assert (hits(conn, "icebergs"), hits(conn, "fjords")) == (0, 1)
    with conn:
        conn.execute("DELETE FROM statements WHERE position = 999")
    assert hits(conn, "fjords") == 0
    assert index_matches_table(conn)


def test_replaced_triggers_turn_deferral_off(tmp_path):
    """A user who rebuilt the FTS with sqlite-utils has plain triggers: never index twice."""
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        archive.upsert_document(records()[0])
        archive.db["statements"].enable_fts(
            ["text"], fts_version="FTS5", create_triggers=True, tokenize="porter", replace=True
        )
    with Archive(path) as archive:
        archive.upsert_document(records()[1])
        assert index_matches_table(archive.db.conn)


def test_an_archive_of_version_3_is_upgraded_and_indexed(tmp_path):
    from sqlite_utils import Database

    from archive.store.schema import APPLICATION_ID

    path = tmp_path / "old.db"
    db = Database(path)
    for step in range(3):
        MIGRATIONS[step](db)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute("PRAGMA user_version = 3")
    db.conn.commit()
    db.conn.close()
    first, second, _ = records()
    with Archive(path) as archive:
        archive.upsert_document(first)
        archive.upsert_document(second)
        assert index_matches_table(archive.db.conn)
        assert hits(archive.db.conn, "China") > 0
