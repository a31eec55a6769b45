"""Is an archive file sound? What is wrong with it, and what to do: ``archive check``.

:func:`check_archive` runs every check there is: the file is SQLite and an archive of
this program, its schema version is one this program writes, SQLite's
``PRAGMA integrity_check`` (every page and index), the tables and columns the
schema promises, FTS5's ``integrity-check`` of each full-text index, and
foreign keys. ``--repair`` rebuilds full-text indexes, the one damage that can be
mended from what the file still holds.

Every other command opens an archive through :mod:`.connection`, which runs the
cheap part (:func:`schema_damage`: version, tables, columns; a few milliseconds)
and refuses a damaged file with one line naming the damage and pointing here. An
SQLite error met later (a corrupt page read by a query) becomes that same one line
through :func:`database_error`.
"""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from archive.config import archive_path
from archive.exceptions import ArchiveError, DamagedArchive, InvalidQuery, NotAnArchive
from archive.store.schema import APPLICATION_ID, SCHEMA_SQL, SCHEMA_VERSION, _split_statements

#: What to do about each kind of damage.
RESTORE = "restore the file from a backup"
RECOVER = (
    "restore the file from a backup, or save what is readable with the sqlite3 tool "
    "(sqlite3 BROKEN.db .recover | sqlite3 RECOVERED.db) and check that copy"
)
REBUILD = "rebuild the full-text indexes: archive check --repair"

#: Tables an archive may lack and still be read: search's impact lists (made again by
#: ``archive link``; search reads without them).
OPTIONAL_TABLES = frozenset(
    {"rank_lists", "rank_list_entries", "han_rank_lists", "han_rank_list_entries"}
)

#: Messages of SQLite errors that mean the file is damaged, not the query wrong.
DAMAGE_MESSAGES = (
    "malformed",
    "corrupt",
    "no such table",
    "no such column",
    "no such module",
    "fts5",
    "file is not a database",
    "disk image",
)
#: Messages of SQLite refusing a query for its size: a user's query was too long.
TOO_LARGE_MESSAGES = (
    "expression tree is too large",
    "too many sql variables",
    "too many terms",
    "parser stack overflow",
    "string or blob too big",
    "like or glob pattern too complex",
)


def check_hint(path: str | Path) -> str:
    """The command that says what is wrong with the archive at ``path``."""
    return f"run `archive check --db {path}` to see what is wrong and what to do"


@cache
def expected_columns() -> dict[str, frozenset[str]]:
    """Tables and views of an archive of :data:`SCHEMA_VERSION`, with their columns.

    Made by running the schema's tables and views in memory, at every command's first
    open; its indexes and triggers, which add neither, are left out (a quarter of the
    work, ~0.8 ms of every call)."""
    conn = sqlite3.connect(":memory:")
    try:
        for statement in _split_statements(SCHEMA_SQL.read_text("utf-8")):
            if not _INDEX_OR_TRIGGER.match(statement):
                conn.execute(statement)
        return _columns(conn)
    finally:
        conn.close()


#: A statement of the schema that creates an index or a trigger, after its comment lines.
_INDEX_OR_TRIGGER = re.compile(
    r"(?:\s*--[^\n]*\n)*\s*CREATE\s+(?:UNIQUE\s+)?(?:INDEX|TRIGGER)\b", re.I
)


def _columns(conn: Any) -> dict[str, frozenset[str]]:
    rows = conn.execute(
        "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p "
        "WHERE m.type IN ('table', 'view') AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%' "
        "AND m.name NOT LIKE '%_fts_%' AND m.name NOT LIKE 'sqlite_%'"
    ).fetchall()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(table, set()).add(column)
    names = conn.execute(
        "SELECT name FROM sqlite_master "
        "WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for (name,) in names:
        found.setdefault(name, set())
    return {table: frozenset(columns) for table, columns in found.items()}


def missing_schema(conn: Any) -> list[str]:
    """Tables, views and columns of the current schema that ``conn``'s archive lacks."""
    try:
        found = _columns(conn)
    except sqlite3.DatabaseError as exc:
        return [f"the schema cannot be read ({exc})"]
    missing = []
    for table, columns in sorted(expected_columns().items()):
        if table in OPTIONAL_TABLES and table not in found:
            continue
        if table not in found:
            missing.append(f"table {table} is missing")
        else:
            lacking = sorted(columns - found[table])
            if lacking:
                missing.append(f"table {table} lacks column(s) {', '.join(lacking)}")
    return missing


def schema_damage(conn: Any, path: str | Path) -> DamagedArchive | None:
    """The damage of an archive's schema that every command checks when it opens one:
    a schema version this program never wrote, tables or columns missing."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < 1:
        return DamagedArchive(
            f"{path} is damaged: its schema version is {version}, which no version of "
            f"mfa-archive writes; {check_hint(path)}"
        )
    if version != SCHEMA_VERSION:
        return None  # older: upgraded by the migrations; newer: refused as NewerSchema
    missing = missing_schema(conn)
    if missing:
        more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
        return DamagedArchive(f"{path} is damaged: {missing[0]}{more}; {check_hint(path)}")
    return None


def quick_damage(path: str | Path) -> DamagedArchive | None:
    """SQLite's ``quick_check`` of the whole file (seconds on a large archive): a crawl runs
    it before writing, since writing into corrupt pages spreads the damage."""
    conn = sqlite3.connect(f"{archive_path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)").fetchall()]
    except sqlite3.DatabaseError as exc:
        problems = [str(exc)]
    finally:
        conn.close()
    if problems == ["ok"]:
        return None
    return DamagedArchive(f"{path} is damaged ({_first(problems)}); {check_hint(path)}")


def _first(problems: list[str]) -> str:
    """The first problem SQLite's integrity check reported, on one line."""
    lines = [line.strip() for problem in problems for line in problem.splitlines()]
    found = [line for line in lines if line and not line.startswith("***")]
    return found[0] if found else "damaged"


def database_error(exc: sqlite3.Error, path: str | Path | None) -> ArchiveError:
    """The one-line error for an SQLite error met while a command used the archive."""
    from archive.store.connection import unwritable

    message = str(exc)
    lowered = message.lower()
    if any(text in lowered for text in TOO_LARGE_MESSAGES):
        return InvalidQuery(
            f"the request is too large for SQLite ({message}); use fewer words or a shorter value"
        )
    if path is not None:
        if unwritable(path, exc) is not None:
            return unwritable(path, exc)  # type: ignore[return-value]
        if "file is not a database" in lowered:
            return NotAnArchive(
                f"{path} is not a statement archive (or its header is damaged); {check_hint(path)}"
            )
        if any(text in lowered for text in DAMAGE_MESSAGES):
            return DamagedArchive(f"{path} is damaged ({message}); {check_hint(path)}")
        return ArchiveError(f"database error on {path}: {message}; {check_hint(path)}")
    return ArchiveError(f"database error: {message}")


# -- archive check -----------------------------------------------------------------------------


@dataclass
class Finding:
    """One check: its name, whether it passed, what was found and what to do."""

    check: str
    ok: bool
    detail: str = ""
    advice: str = ""


@dataclass
class CheckReport:
    """Everything ``archive check`` found about one file."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return all(finding.ok for finding in self.findings)

    def add(self, check: str, ok: bool, detail: str = "", advice: str = "") -> bool:
        self.findings.append(Finding(check, ok, detail, "" if ok else advice))
        return ok

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "sound": self.sound,
            "findings": [asdict(f) for f in self.findings],
            "repaired": self.repaired,
        }


def is_empty_file(path: Path) -> bool:
    """Whether ``path`` is a file of 0 bytes with no write-ahead log holding anything: no
    archive yet (made by hand, or by a first crawl that has not committed), not a damaged
    one. Readers say "no archive yet", as for a missing file; a writer that may create an
    archive creates its schema in it."""
    try:
        if not path.is_file() or path.stat().st_size:
            return False
        wal = Path(f"{path}-wal")
        return not (wal.is_file() and wal.stat().st_size)
    except OSError:
        return False


def no_archive_yet(path: Path) -> ArchiveError:
    """The error of a command that needs an archive, given an empty file."""
    from archive.exceptions import MissingArchive

    return MissingArchive(
        f"no archive in {path} yet (the file is empty: a first crawl may be creating it); "
        "try again in a moment, or crawl first"
    )


def check_archive(path: str | Path, *, repair: bool = False) -> CheckReport:
    """Run every check on the archive at ``path``; with ``repair``, rebuild damaged
    full-text indexes (and check them again).

    Raises:
        MissingArchive: there is no file at ``path``, or it is empty (no archive yet).
    """
    from archive.exceptions import MissingArchive

    path = archive_path(path)
    report = CheckReport(str(path))
    if not path.is_file():
        raise MissingArchive(f"no archive at {path}; give the archive's path with --db")
    if is_empty_file(path):
        raise no_archive_yet(path)  # as every reader says, not "damaged"
    with path.open("rb") as stream:
        header = stream.read(16)
    if not report.add(
        "SQLite file",
        header == b"SQLite format 3\x00",
        "" if header == b"SQLite format 3\x00" else "the file does not start as an SQLite file",
        "give the path of an archive with --db, or " + RESTORE,
    ):
        return report
    writable = os.access(path, os.W_OK) and os.access(path.resolve().parent, os.W_OK)
    mode = "rw" if writable else "ro&immutable=1"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode={mode}", uri=True)
    try:
        _check(conn, report, writable=writable, repair=repair)
    except sqlite3.DatabaseError as exc:
        report.add("reading the file", False, str(exc), RECOVER)
    finally:
        conn.close()
    return report


def _check(conn: sqlite3.Connection, report: CheckReport, *, writable: bool, repair: bool):
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if not report.add(
        "archive of mfa-archive",
        app_id == APPLICATION_ID,
        "" if app_id == APPLICATION_ID else f"application_id is {app_id}, not {APPLICATION_ID}",
        "this is another program's SQLite file: give the archive's path with --db",
    ):
        return
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version < 1:
        report.add("schema version", False, f"{version}, which no version writes", RESTORE)
    elif version > SCHEMA_VERSION:
        report.add(
            "schema version",
            False,
            f"{version}, newer than this program's {SCHEMA_VERSION}",
            "upgrade mfa-archive to use it",
        )
    else:
        detail = f"{version}" + (
            f" (older; any command that writes upgrades it to {SCHEMA_VERSION})"
            if version < SCHEMA_VERSION
            else ""
        )
        report.add("schema version", True, detail)
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)").fetchall()]
    lines = [line.strip() for problem in problems for line in problem.splitlines()]
    found = [line for line in lines if line and not line.startswith("***")]
    report.add(
        "SQLite integrity_check",
        problems == ["ok"],
        "" if problems == ["ok"] else "; ".join(found[:5]) + ("; …" if len(found) > 5 else ""),
        RECOVER,
    )
    if version == SCHEMA_VERSION:
        missing = missing_schema(conn)
        report.add("tables and columns", not missing, "; ".join(missing), RESTORE)
    _check_fts(conn, report, writable=writable, repair=repair)
    bad_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
    report.add(
        "foreign keys",
        not bad_keys,
        f"{len(bad_keys)} rows point at rows that do not exist" if bad_keys else "",
        "the rows were written outside mfa-archive; " + RESTORE,
    )


def fts_tables(conn: sqlite3.Connection) -> list[str]:
    """The archive's FTS5 tables (not the ``fts5vocab`` table over the Han index)."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
        "AND sql LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
    ).fetchall()
    return [name for name, sql in rows if _FTS5.search(sql)]


_FTS5 = re.compile(r"using\s+fts5\s*\(", re.IGNORECASE)


def _check_fts(conn: sqlite3.Connection, report: CheckReport, *, writable: bool, repair: bool):
    if not writable:
        report.add(
            "full-text indexes",
            True,
            "not checked: FTS5 checks its indexes only on a writable file",
        )
        return
    for table in fts_tables(conn):
        error = _fts_integrity(conn, table)
        if error and repair:
            conn.execute(f'INSERT INTO "{table}"("{table}") VALUES (\'rebuild\')')
            conn.commit()
            report.repaired.append(table)
            error = _fts_integrity(conn, table)
        report.add(f"full-text index {table}", error is None, error or "", REBUILD)


def _fts_integrity(conn: sqlite3.Connection, table: str) -> str | None:
    """FTS5's own check of ``table`` (an INSERT that writes nothing; rolled back anyway)."""
    conn.execute("SAVEPOINT fts_check")
    try:
        conn.execute(f'INSERT INTO "{table}"("{table}") VALUES (\'integrity-check\')')
        return None
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.execute("ROLLBACK TO fts_check")
        conn.execute("RELEASE fts_check")
