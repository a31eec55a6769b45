"""The archive store: schema, idempotent upserts, speakers, FTS kept in sync."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import MFA_PAGES, mfa_record

from archive.exceptions import MissingArchive, NewerSchema, NotAnArchive
from archive.queries import archive_stats, get_statement
from archive.store import Archive, open_readonly
from archive.store.schema import SCHEMA_VERSION


def test_second_store_of_the_same_page_changes_nothing(tmp_path):
    name, url = MFA_PAGES[0]
    record = mfa_record(name, url)
    with Archive(tmp_path / "a.db") as archive:
        assert archive.upsert_document(record) == "new"
        ids = [r[0] for r in archive.db.execute("SELECT id FROM statements ORDER BY id")]
        before = archive_stats(archive.db)
        assert archive.upsert_document(record) == "unchanged"
        assert [r[0] for r in archive.db.execute("SELECT id FROM statements ORDER BY id")] == ids
        assert archive_stats(archive.db) == before
        assert before["documents"] == 1
        assert before["statements"] >= 20


def test_the_same_page_under_another_query_string_is_stored_once(tmp_path):
    """A listing that links one transcript as "t1789509.shtml?from=N" on every page filled an
    archive with 10,000 copies of it: the same text under the same URL but for its query string
    or fragment is one document; other text there, or another source, is stored."""
    record = mfa_record(*MFA_PAGES[0])
    url = record["url"]
    with Archive(tmp_path / "a.db") as archive:
        assert archive.upsert_document(record) == "new"
        for variant in (f"{url}?from=1", f"{url}?from=2#top", f"{url}#q3"):
            assert archive.upsert_document({**record, "url": variant}) == "duplicate"
        other = {**record, "url": f"{url}?lang=en", "text": record["text"] + " Update."}
        assert archive.upsert_document(other) == "new"
        elsewhere = {**record, "url": f"{url}?from=9", "source": "kremlin"}
        assert archive.upsert_document(elsewhere) == "new"
        counts = archive.upsert_documents([{**record, "url": f"{url}?from=4"}, record])
        assert counts["duplicate"] == 1 and counts["unchanged"] == 1
        urls = [u for (u,) in archive.db.execute("SELECT url FROM documents ORDER BY id")]
    assert urls == [url, f"{url}?lang=en", f"{url}?from=9"]


def test_edited_page_updates_rows_and_search(tmp_path):
    name, url = MFA_PAGES[0]
    record = mfa_record(name, url)
    with Archive(tmp_path / "a.db") as archive:
        archive.upsert_document(record)
        first = record["statements"][1]
        assert first["speaker"]["name"] == "Zhao Lijian"
        edited = dict(record, statements=[dict(s) for s in record["statements"]])
        edited["statements"][1]["text"] = "A quietly rewritten answer about glaciers."
        edited["text"] = record["text"] + " (edited)"
        assert archive.upsert_document(edited) == "changed"
        found = archive.db.execute(
            "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH 'glaciers'"
        ).fetchone()[0]
        assert found == 1
        shorter = dict(record, statements=record["statements"][:5])
        archive.upsert_document(shorter)
        assert archive.db.execute("SELECT count(*) FROM statements").fetchone()[0] == 5
        restored = archive.db.execute(
            "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH 'glaciers'"
        ).fetchone()[0]
        assert restored == 0  # the original answer is back, and the index knows it
        assert archive.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert archive.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_one_speaker_per_person_across_spellings(tmp_path):
    with Archive(tmp_path / "a.db") as archive, archive.transaction():
        first = archive.speaker_id("Sergey Lavrov", aliases=["Sergei Lavrov"])
        assert archive.speaker_id("Sergei Lavrov") == first
        assert archive.speaker_id("sergey lavrov") == first
        assert archive.speaker_id("Wang Yi") != first


def test_schema_has_wal_fts_and_version(archive_path):
    db = open_readonly(archive_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = set(db.table_names())
    assert {"sources", "documents", "speakers", "speaker_aliases", "statements"} <= tables
    assert {"statements_fts", "documents_fts"} <= tables


def test_statement_with_context(archive_path):
    db = open_readonly(archive_path)
    answer_id = db.execute(
        "SELECT st.id FROM statements st JOIN speakers sp ON sp.id = st.speaker_id "
        "WHERE sp.name = 'Zhao Lijian' AND st.text LIKE '%Chinese side of the LAC%'"
    ).fetchone()[0]
    statement = get_statement(db, answer_id)
    assert statement["speaker"] == "Zhao Lijian"
    assert statement["document"]["url"].endswith("t1789509.shtml")
    kinds = [turn["kind"] for turn in statement["context"]]
    assert "question" in kinds and answer_id in [turn["id"] for turn in statement["context"]]


def test_refuses_other_programs_database(tmp_path):
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    with pytest.raises(NotAnArchive, match="not a statement archive"):
        Archive(other)
    with pytest.raises(NotAnArchive):
        open_readonly(other)
    not_sqlite = tmp_path / "notes.db"
    not_sqlite.write_text("hello, this is not SQLite at all" * 100)
    with pytest.raises(NotAnArchive):
        Archive(not_sqlite)


def test_refuses_newer_schema(tmp_path):
    path = tmp_path / "a.db"
    Archive(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(NewerSchema, match="newer than this program"):
        Archive(path)


def test_reading_a_missing_archive_creates_nothing(tmp_path):
    with pytest.raises(MissingArchive):
        open_readonly(tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()


def test_a_new_archive_has_exactly_the_schema_the_migrations_make(tmp_path):
    """store/schema.sql is the migrations' output: regenerate it after adding a migration."""
    from archive.store.schema import migrated_schema, schema_statements

    with Archive(tmp_path / "a.db") as archive:
        made = schema_statements(archive.db)
        assert archive.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    regenerate = "python -m archive.store.schema > archive/store/schema.sql"
    assert made == migrated_schema(), f"run: {regenerate}"


def test_writing_needs_no_sqlite_utils(tmp_path):
    """Opening, creating and writing an archive leave sqlite-utils (0.1-0.3 s) unimported."""
    import os
    import subprocess
    import sys

    here = Path(__file__).parent
    code = (
        "import sys\n"
        "from conftest import MFA_PAGES, mfa_record\n"
        "from archive.store import Archive\n"
        f"with Archive({str(tmp_path / 'a.db')!r}) as archive:\n"
        "    archive.upsert_source('mfa', title='China MFA', country='China')\n"
        "    archive.upsert_document(mfa_record(*MFA_PAGES[0]))\n"
        "print('sqlite_utils' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=here.parent,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(here.parent), str(here)])},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "False"


def test_a_write_outside_a_transaction_is_committed_as_sqlite_utils_would(tmp_path):
    """The lazy connection must not leave an implicit transaction that swallows later writes."""
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        archive.db.execute("INSERT INTO sources (name) VALUES ('by-hand')")
        assert not archive.db.conn.in_transaction
        with pytest.raises(sqlite3.IntegrityError):
            archive.db.execute("INSERT INTO sources (name) VALUES ('by-hand')")
        assert not archive.db.conn.in_transaction
        archive.upsert_document(mfa_record(*MFA_PAGES[0]))
        with sqlite3.connect(path) as other:
            assert other.execute("SELECT count(*) FROM sources").fetchone()[0] == 2
            assert other.execute("SELECT count(*) FROM documents").fetchone()[0] == 1
