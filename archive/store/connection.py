"""Open an archive's SQLite file, and the write transactions every part of the store runs in.

:func:`open_database` opens an archive to write (creating or upgrading it),
:func:`open_readonly` one to read while a crawl may be writing; both return a
:class:`LazyDatabase`. :class:`Transactions` is what :class:`~archive.store.writer.Archive`
is built on: the open connection, the write transaction that a batch of documents
shares, and the full-text indexing deferred to its commit. The writers of documents,
speakers and links (:mod:`.documents`, :mod:`.speakers`, :mod:`.links`) only run SQL
inside it.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from archive.config import archive_path
from archive.exceptions import ArchiveError, ArchiveUnwritable, MissingArchive, NotAnArchive
from archive.store.check import database_error, is_empty_file, no_archive_yet, schema_damage
from archive.store.schema import (
    DEFERRED_FTS_TABLE,
    HAN_FTS_TABLE,
    HAN_VIEW,
    SCHEMA_VERSION,
    check_schema,
    ensure_schema,
)

if TYPE_CHECKING:
    from sqlite_utils import Database  # imported lazily: 0.2 s of CLI start-up

#: Seconds a writer waits for another writer's transaction before giving up.
BUSY_TIMEOUT_MS = 30_000


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds, the archive's fetch-time format."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


#: SQLite's messages for a file it cannot write, and what to tell the user about each.
_UNWRITABLE = {
    "database or disk is full": "the disk is full; free space and run again",
    "readonly database": "it is read-only; give a writable file with --db or ARCHIVE_DB",
    "unable to open database file": "it cannot be opened (a missing or read-only directory)",
    "disk I/O error": "the disk reported an I/O error",
    "database is locked": "another program held it locked for 30 s; try again",
}


def unwritable(path: str | Path, exc: sqlite3.Error) -> ArchiveUnwritable | None:
    """An :class:`ArchiveUnwritable` naming why ``path`` cannot be written, if ``exc`` says so.

    SQLite rolls the transaction back, so the message can promise an unchanged archive.
    """
    for message, advice in _UNWRITABLE.items():
        if message in str(exc):
            return ArchiveUnwritable(f"cannot write {path}: {advice} (the archive is unchanged)")
    return None


def open_database(path: str | Path, *, create: bool = True) -> LazyDatabase:
    """Open (and if needed create or upgrade) the SQLite file behind an archive.

    Args:
        path: the archive file.
        create: make a new archive if the file does not exist or is empty (0 bytes);
            when false a missing or empty file raises :class:`MissingArchive` (commands
            that only read should never leave an empty archive behind a typo).
    """
    path = archive_path(path)
    if not create and not path.exists():
        raise MissingArchive(
            f"no archive at {path}; crawl first (scrapy crawl mfa) or give --db / ARCHIVE_DB"
        )
    if not create and is_empty_file(path):
        raise no_archive_yet(path)  # as the readers say: no schema is written into it
    conn = None
    try:
        conn = sqlite3.connect(_uri(path, "rwc"), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        db = LazyDatabase(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        ensure_schema(db)
        damage = schema_damage(db, path)
        if damage:
            raise damage
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = wal")
        # In WAL mode NORMAL never corrupts the file; a power cut may lose the last commits,
        # which the next crawl fetches again. FULL costs an fsync per commit.
        db.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        _close(conn)
        raise _open_error(path, exc) from None
    except ArchiveError:
        _close(conn)
        raise
    return db


def _uri(path: Path, mode: str) -> str:
    """The SQLite URI of the archive file ``path``: every command opens the file it names,
    by its absolute path, whatever characters the name holds (see :func:`archive_path`)."""
    return f"file:{quote(str(path.resolve()))}?mode={mode}"


def _close(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        conn.close()


def _open_error(path: Path, exc: sqlite3.DatabaseError) -> ArchiveError:
    """What to say when opening ``path`` failed in SQLite: unwritable, damaged, or not ours."""
    error = database_error(exc, path)
    if type(error) is ArchiveError:  # nothing more specific: not a file this program made
        return NotAnArchive(f"{path} is not a statement archive ({exc})")
    return error


#: Statements that open or close transactions themselves: never committed by ``execute``.
_TRANSACTION_CONTROL = {"BEGIN", "COMMIT", "END", "ROLLBACK", "SAVEPOINT", "RELEASE"}


class LazyDatabase:
    """An archive connection that imports sqlite-utils only when it is needed.

    ``execute`` runs on the ``sqlite3`` connection itself, as sqlite-utils' ``execute``
    does; any other attribute or ``db["table"]`` is passed to a sqlite-utils ``Database``
    made on first use. ``archive search`` and the store's writes need only ``execute``:
    importing sqlite-utils (and numpy, which it imports when installed) was 0.3 s CPU of
    a 0.5 s search, and 0.2–0.35 s of a crawl's archive pipeline.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._database: Database | None = None

    def execute(self, sql: str, parameters: Any = None) -> sqlite3.Cursor:
        """Run one statement, committing a write that is not part of an open transaction.

        As sqlite-utils' ``execute`` does: a write outside a transaction would otherwise
        open one implicitly that nothing commits, and every later write would join it.
        """
        conn = self.conn
        was_in_transaction = conn.in_transaction
        try:
            cursor = conn.execute(sql) if parameters is None else conn.execute(sql, parameters)
        except Exception:
            if not was_in_transaction and conn.in_transaction:
                conn.rollback()
            raise
        if (
            not was_in_transaction
            and conn.in_transaction
            and cursor.description is None
            and sql.lstrip().split(None, 1)[0].upper() not in _TRANSACTION_CONTROL
        ):
            conn.commit()
        return cursor

    @property
    def database(self) -> Database:
        """The sqlite-utils ``Database`` over the same connection."""
        if self._database is None:
            from sqlite_utils import Database

            self._database = Database(self.conn)
        return self._database

    def __getattr__(self, name: str) -> Any:
        return getattr(self.database, name)

    def __getitem__(self, name: str) -> Any:
        return self.database[name]


def open_readonly(path: str | Path) -> LazyDatabase:
    """Open an archive for reading only; a crawl may be writing to it at the same time (WAL).

    An archive of an older schema is first upgraded in place, as a writer would (the
    reading commands' queries need the current tables). An archive in a directory
    nobody can write (a read-only mount, a published copy) is opened ``immutable``:
    no writer can be at work there, and SQLite could not create its ``-shm`` file.
    """
    path = archive_path(path)
    if not path.exists():
        raise MissingArchive(
            f"no archive at {path}; crawl first (scrapy crawl mfa) or give --db / ARCHIVE_DB"
        )
    mode = "ro" if os.access(path.resolve().parent, os.W_OK) else "ro&immutable=1"
    conn = None
    try:
        conn = sqlite3.connect(_uri(path, mode), uri=True)
        db = LazyDatabase(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        check_schema(db)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        damage = schema_damage(db, path)
        if damage:
            raise damage
    except sqlite3.DatabaseError as exc:
        _close(conn)
        raise _open_error(path, exc) from None
    except ArchiveError:
        _close(conn)
        raise
    if version < SCHEMA_VERSION:
        conn.close()
        if not os.access(path, os.W_OK) or not os.access(path.resolve().parent, os.W_OK):
            raise ArchiveUnwritable(
                f"{path} has schema version {version}, older than {SCHEMA_VERSION}, and is not "
                "writable; upgrade it where it can be written (any crawl or `archive add` does)"
            )
        open_database(path).conn.close()
        return open_readonly(path)
    return db


_Self = TypeVar("_Self", bound="Transactions")


class Transactions:
    """An archive's open connection and its write transactions: the base of every writer.

    :meth:`transaction` is the unit every write runs in; :meth:`begin` and :meth:`commit`
    hold one across a batch. Statements written in a transaction are indexed for search
    in one pass at its commit (:meth:`_defer_indexing`). Writers that cache ids of rows
    they made extend :meth:`_forget_uncommitted`, which runs after a rollback.
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = archive_path(path)
        self.db = open_database(self.path, create=create)
        # Statement ids above this are indexed for search at commit (see _defer_indexing).
        self._indexed_up_to: int | None = None
        # Only while the triggers follow the deferral rule (a user may have replaced them).
        self._can_defer = bool(
            self.db.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name = 'statements_ai' "
                "AND sql LIKE ?",
                [f"%{DEFERRED_FTS_TABLE}%"],
            ).fetchone()
        )

    def __enter__(self: _Self) -> _Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection; safe to call twice."""
        self.db.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction; a batch of documents shares one, which makes ingest fast.

        An explicit ``BEGIN IMMEDIATE``: sqlite-utils' ``execute`` commits every write that
        opened an implicit transaction on its own, which made each row its own transaction
        (about 2 ms of fsync per statement). ``IMMEDIATE`` takes the write lock at once, so two
        writers queue on ``busy_timeout`` instead of failing to upgrade a read lock. A call
        inside an open transaction (a batch held by :meth:`begin`) is a savepoint: if it
        fails, its own writes are undone and the batch's earlier ones kept.

        Raises:
            ArchiveUnwritable: the disk is full, or the file read-only or locked too long;
                the transaction was rolled back.
        """
        if self.db.conn.in_transaction:
            with self._savepoint():
                yield
            return
        self.begin()
        try:
            with self._unwritable_as_error():
                yield
        except BaseException:
            self.rollback()
            raise
        self.commit()

    def begin(self) -> None:
        """Open a write transaction that every write joins until :meth:`commit`.

        A crawl holds one across many documents: a commit per document cost about a
        millisecond (the WAL frame, a new FTS segment). Nothing is visible to other
        connections before the commit, and a killed process loses the open batch only.
        """
        with self._unwritable_as_error():
            self.db.conn.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        """Index the transaction's new statements for search, then commit; no-op outside one."""
        conn = self.db.conn
        if not conn.in_transaction:
            return
        try:
            with self._unwritable_as_error():
                self._index_deferred()
                conn.commit()
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        """Undo the open transaction, and forget ids cached from its rows."""
        if self.db.conn.in_transaction:
            self.db.conn.rollback()
        self._forget_uncommitted()

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        conn = self.db.conn
        conn.execute("SAVEPOINT archive_write")
        try:
            with self._unwritable_as_error():
                yield
        except BaseException:
            # SQLite rolls a whole transaction back by itself on some errors (disk full).
            if conn.in_transaction:
                conn.execute("ROLLBACK TO archive_write")
                conn.execute("RELEASE archive_write")
            self._forget_uncommitted()
            raise
        conn.execute("RELEASE archive_write")

    def _forget_uncommitted(self) -> None:
        """After a rollback: rows created by the undone writes are gone, and so are their ids."""
        self._indexed_up_to = None
        if self.db.conn.in_transaction and self._can_defer:  # a savepoint undone: what is left
            self._indexed_up_to = self.db.execute(
                f"SELECT max(above) FROM {DEFERRED_FTS_TABLE}"
            ).fetchone()[0]

    @contextmanager
    def _unwritable_as_error(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            error = unwritable(self.path, exc)
            if error is None:
                raise
            raise error from None

    def _defer_indexing(self, indexed_up_to: int) -> None:
        """Index statements above ``indexed_up_to`` at commit, in one batch, not per row.

        FTS5 indexes a batch ``INSERT … SELECT`` about three times faster than the same rows
        through the per-row trigger. The mark lives in the schema's deferral table only
        inside this transaction; the triggers skip rows above it (schema version 4).
        """
        if self._indexed_up_to is None and self._can_defer:
            self.db.conn.execute(
                f"INSERT INTO {DEFERRED_FTS_TABLE} (above) VALUES (?)", [indexed_up_to]
            )
            self._indexed_up_to = indexed_up_to

    def _index_deferred(self) -> None:
        """Index the statements written since :meth:`_defer_indexing`; runs before commit.

        Both indexes: ``statements_fts`` over every row, the trigram index over those holding
        Han characters (schema version 6).
        """
        if self._indexed_up_to is None:
            return
        conn = self.db.conn
        conn.execute(
            "INSERT INTO statements_fts (rowid, text) SELECT id, text FROM statements WHERE id > ?",
            [self._indexed_up_to],
        )
        # The Han view selects the rows (and the text form) its triggers would have indexed.
        conn.execute(
            f"INSERT INTO {HAN_FTS_TABLE} (rowid, text) SELECT id, text FROM {HAN_VIEW} "
            "WHERE id > ?",
            [self._indexed_up_to],
        )
        conn.execute(f"DELETE FROM {DEFERRED_FTS_TABLE}")
        self._indexed_up_to = None
