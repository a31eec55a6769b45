"""Misuse of every ``archive`` command: one line on stderr, exit status 2, never a traceback.

Wrong arguments, a missing database, another program's database, a newer
schema version; and old archives upgraded in place by the schema migrations.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from reliability import trial
from typer.testing import CliRunner

from archive.cli import app
from archive.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

runner = CliRunner()

#: Every command that opens an archive, with valid arguments apart from the database.
#: ``add`` and ``crawl`` create a missing archive on purpose (that is how one starts).
READERS = [
    ["search", "China"],
    ["show", "1"],
    ["stats"],
    ["history", "1"],
    ["timeline"],
    ["speakers"],
    ["speakers", "merge", "Zhao Lijian", "Hua Chunying"],
    ["serve", "--port", "0"],
]
WRITERS = [["add", "PAGE"], ["crawl", "mfa"]]

#: Wrong arguments of every command, by command.
WRONG = [
    [],
    ["nosuchcommand"],
    ["search"],
    ["search", "x", "--limit", "many"],
    ["search", "x", "--limit", "-1"],
    ["search", "x", "--since", "yesterday"],
    ["search", "x", "--until", "2020-13-45"],
    ["search", "x", "--sort", "best"],
    ["search", "x", "--format", "xml"],
    ["search", '"unbalanced'],
    ["search", "   "],
    ["search", "x", "--no-such-option"],
    ["show"],
    ["show", "one"],
    ["show", "999999"],
    ["show", "1", "--format", "yaml"],
    ["stats", "--format", "csv"],
    ["history"],
    ["history", "https://nowhere.example/none"],
    ["history", "1", "--format", "xml"],
    ["timeline", "--by", "decade"],
    ["timeline", "--format", "xml"],
    ["speakers", "--format", "xml"],
    ["speakers", "merge"],
    ["speakers", "merge", "Nobody Atall", "Zhao Lijian"],
    ["speakers", "merge", "Zhao Lijian", "Zhao Lijian"],
    ["extract"],
    ["extract", "/no/such/page.html"],
    ["extract", "PAGEDIR"],
    ["extract", "PAGE", "PAGE", "--url", "https://x.example/a"],
    ["extract", "PAGE", "--format", "xml"],
    ["add"],
    ["add", "/no/such/page.html"],
    ["quotes", "--input", "/no/such/file.jsonl"],
    ["crawl"],
    ["crawl", "nosuchspider"],
    ["crawl", "mfa", "--arg", "since=last week"],
    ["crawl", "mfa", "--arg", "base_url=ftp://x"],
    ["crawl", "mfa", "--arg", "noequals"],
    ["crawl", "mfa", "--arg", "lang=fr"],
    ["crawl", "mfa", "kremlin", "--arg", "lang=zh"],
    ["trace", "999999"],
    ["trace", "..."],
    ["trace", "Lavrov", "--format", "xml"],
    ["link", "--format", "xml"],
    ["crawl", "mfa", "--set", "=1"],
    ["crawl", "mfa", "--format", "xml"],
    ["serve", "--port", "notaport"],
    ["serve", "--setting", "noequals"],
]


def invoke(args: list[str], db: Path | None, page: Path) -> object:
    args = [str(page) if a == "PAGE" else str(page.parent) if a == "PAGEDIR" else a for a in args]
    if db is not None and args and args[0] not in ("extract", "quotes"):
        args = [*args, "--db", str(db)]
    return runner.invoke(app, args)


def assert_one_line_exit_2(result, args) -> None:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, (args, result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output, (args, result.output)
    if args:  # bare `archive` prints its help, as every CLI does
        assert len(lines) == 1 and lines[0].startswith("Error: "), (args, result.output)


@pytest.fixture
def page(tmp_path) -> Path:
    path = tmp_path / "pages" / "page.html"
    path.parent.mkdir()
    path.write_bytes(
        (
            Path(__file__).parent
            / "pages"
            / "mfa"
            / "www.fmprc.gov.cn.en_t1789509_press_conference_2020-06-17_zhao_lijian.html"
        ).read_bytes()
    )
    return path


def test_every_command_with_wrong_arguments(archive_path, page):
    with trial(
        "cli-wrong-arguments",
        area="misuse",
        what="every command with missing, unknown, malformed or out-of-range arguments "
        "(dates, formats, sorts, ids, URLs, spider arguments, settings, ports)",
    ) as row:
        for args in WRONG:
            assert_one_line_exit_2(invoke(args, archive_path, page), args)
        row.runs = len(WRONG)
        row.result = "one line 'Error: …' on stderr and exit 2 every time; no traceback"


def _foreign(tmp_path: Path) -> dict[str, Path]:
    """Databases that are not archives this program can use."""
    made = {}
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    made["another program's SQLite"] = other
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"GIF89a" + bytes(4000))
    made["not SQLite"] = garbage
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as conn:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        conn.execute("CREATE TABLE future (x)")
    made["newer schema"] = newer
    made["a directory"] = tmp_path
    return made


def test_missing_foreign_and_newer_databases(tmp_path, page):
    databases = _foreign(tmp_path)
    with trial(
        "cli-bad-databases",
        area="misuse",
        what="every command that opens an archive, given a missing file (readers), another "
        "program's SQLite file, a non-SQLite file, a newer schema version, a directory",
    ) as row:
        runs = 0
        for args in READERS:
            missing = tmp_path / "missing.db"
            assert_one_line_exit_2(invoke(args, missing, page), args)
            assert not missing.exists()  # a typo leaves no empty archive behind
            runs += 1
        for name, db in databases.items():
            before = db.read_bytes() if db.is_file() else None
            for args in READERS + WRITERS:
                result = invoke(args, db, page)
                assert_one_line_exit_2(result, [*args, name])
                runs += 1
            if before is not None:
                assert db.read_bytes() == before, f"{name} was modified"
        row.runs = runs
        row.result = "one line naming the problem, exit 2, the file left byte-for-byte unchanged"


def _old_archive(path: Path, version: int) -> None:
    """An archive as version ``version`` of this program left it, with one transcript turn."""
    from sqlite_utils import Database

    db = Database(sqlite3.connect(path))
    for step in range(version):
        MIGRATIONS[step](db)
    db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    db.execute(f"PRAGMA user_version = {version}")
    db.execute("INSERT INTO sources (name) VALUES ('mfa')")
    db.execute(
        "INSERT INTO documents (url, source, title, date, text, content_hash) VALUES "
        "('https://www.fmprc.gov.cn/mfa_eng/t1.shtml', 'mfa', 'Press Conference', "
        "'2020-06-17', 'The LAC is clear.', 'x')"
    )
    db.execute("INSERT INTO speakers (name, kind) VALUES ('Zhao Lijian', 'person')")
    db.execute(
        "INSERT INTO statements (document_id, position, speaker_id, kind, text, date) "
        "VALUES (1, 0, 1, 'answer', 'The LAC is clear.', '2020-06-17')"
    )
    db.conn.commit()
    db.conn.close()


@pytest.mark.parametrize("command", [["search", "LAC", "-f", "json"], ["stats"], ["add", "PAGE"]])
def test_old_archives_are_upgraded_in_place(tmp_path, page, command):
    with trial(
        f"schema-upgrade-{command[0]}",
        area="misuse",
        what=f"archive {command[0]} on archives of every older schema version "
        f"(1 to {SCHEMA_VERSION - 1})",
    ) as row:
        for version in range(1, SCHEMA_VERSION):
            db = tmp_path / f"v{version}-{command[0]}.db"
            _old_archive(db, version)
            result = invoke(command, db, page)
            assert result.exit_code == 0, (version, result.output)
            with sqlite3.connect(db) as conn:
                assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                kept = conn.execute("SELECT text FROM statements WHERE id = 1").fetchone()
            assert kept == ("The LAC is clear.",)
        row.runs = SCHEMA_VERSION - 1
        row.result = f"upgraded to version {SCHEMA_VERSION} in place, old rows kept, exit 0"
