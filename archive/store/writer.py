"""Open an archive and write to it: the only module that changes the database.

Writers hand over plain dicts (see :meth:`Archive.upsert_document`), so the
crawler, ``archive add`` and tests all store records the same way and nothing
here knows about Scrapy. Writes are idempotent: storing the same page twice
changes nothing, and statement ids stay stable across re-crawls because a
statement is keyed by its document and position.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from archive.exceptions import (
    ArchiveUnwritable,
    InvalidArgument,
    MissingArchive,
    NotAnArchive,
    NotFound,
)
from archive.schedule import next_check
from archive.store.schema import (
    DEFERRED_FTS_TABLE,
    HAN_FTS_TABLE,
    HAN_VIEW,
    RANK_LIST_ENTRIES_TABLE,
    RANK_LISTS_TABLE,
    SCHEMA_VERSION,
    check_schema,
    ensure_schema,
)

if TYPE_CHECKING:
    from sqlite_utils import Database  # imported lazily: 0.2 s of CLI start-up

#: Seconds a writer waits for another writer's transaction before giving up.
BUSY_TIMEOUT_MS = 30_000

#: Columns of a statement compared to decide whether a stored row changed.
STATEMENT_FIELDS = (
    "speaker_id",
    "kind",
    "role",
    "text",
    "cue",
    "parent_id",
    "char_start",
    "char_end",
    "date",
)

#: Columns of a document compared to decide whether a stored row changed.
DOCUMENT_COMPARED = (
    "source",
    "title",
    "published",
    "date",
    "language",
    "kind",
    "author",
    "content_hash",
    "flags",
)


def content_hash(text: str) -> str:
    """SHA-256 of a text with whitespace collapsed, so reflowed pages hash alike."""
    # str.split() splits on exactly what \s matches, five times faster than re.sub on long texts.
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds, the archive's fetch-time format."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


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
        create: make a new archive if the file does not exist; when false a
            missing file raises :class:`MissingArchive` (commands that only read
            should never leave an empty archive behind a typo).
    """
    path = Path(path)
    if not create and not path.exists():
        raise MissingArchive(
            f"no archive at {path}; crawl first (scrapy crawl mfa) or give --db / ARCHIVE_DB"
        )
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        db = LazyDatabase(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db.execute("PRAGMA foreign_keys = ON")
        ensure_schema(db)
        if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            db.execute("PRAGMA journal_mode = wal")
        # In WAL mode NORMAL never corrupts the file; a power cut may lose the last commits,
        # which the next crawl fetches again. FULL costs an fsync per commit.
        db.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        raise unwritable(path, exc) or NotAnArchive(
            f"{path} is not a statement archive ({exc})"
        ) from None
    return db


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
    path = Path(path)
    if not path.exists():
        raise MissingArchive(
            f"no archive at {path}; crawl first (scrapy crawl mfa) or give --db / ARCHIVE_DB"
        )
    mode = "ro" if os.access(path.resolve().parent, os.W_OK) else "ro&immutable=1"
    try:
        conn = sqlite3.connect(f"file:{quote(str(path.resolve()))}?mode={mode}", uri=True)
        db = LazyDatabase(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        check_schema(db)
        version = db.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        raise NotAnArchive(f"{path} is not a statement archive ({exc})") from None
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


class Archive:
    """A statement archive on disk.

    Use as a context manager, or call :meth:`close`::

        with Archive("archive.db") as archive:
            archive.upsert_document(record)
    """

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        self.path = Path(path)
        self.db = open_database(self.path, create=create)
        self._speaker_ids: dict[str, int] = {}
        # Sources known to be stored: a document's bare source name needs no query then.
        self._sources: set[str] = set()
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

    def __enter__(self) -> Archive:
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
        self._speaker_ids.clear()
        self._sources.clear()
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

    # -- sources -----------------------------------------------------------------

    def upsert_source(
        self,
        name: str,
        *,
        title: str | None = None,
        country: str | None = None,
        kind: str | None = None,
        base_url: str | None = None,
    ) -> None:
        """Record a source (a spider or a site) with its country and kind."""
        row = {"name": name, "title": title, "country": country, "kind": kind, "base_url": base_url}
        bare = title is None and country is None and kind is None and base_url is None
        if bare and name in self._sources:
            return  # nothing to add to a stored source: one query per document saved
        existing = self._source(name)
        if existing is not None:
            # Keep what is known; a bare `archive add --source x` must not erase a description.
            row = {k: v if v is not None else existing.get(k) for k, v in row.items()}
            if row == existing:
                self._sources.add(name)
                return
        with self.transaction():
            self.db.execute(
                "INSERT INTO sources (name, title, country, kind, base_url) "
                "VALUES (:name, :title, :country, :kind, :base_url) ON CONFLICT(name) DO UPDATE "
                "SET title = :title, country = :country, kind = :kind, base_url = :base_url",
                row,
            )
        self._sources.add(name)

    def _source(self, name: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT name, title, country, kind, base_url FROM sources WHERE name = ?", [name]
        ).fetchone()
        return dict(zip(("name", "title", "country", "kind", "base_url"), row)) if row else None

    # -- speakers ----------------------------------------------------------------

    def speaker_id(
        self,
        name: str,
        *,
        kind: str = "person",
        country: str | None = None,
        aliases: Iterable[str] = (),
    ) -> int:
        """The id of the speaker called ``name`` (or known by it as an alias), created if new.

        Aliases are recorded so that later spellings ("Sergei Lavrov") find the
        same person. Runs inside the caller's transaction.
        """
        key = name.casefold()
        cached = self._speaker_ids.get(key)
        if cached is not None:
            return cached
        row = self.db.execute(
            "SELECT speaker_id FROM speaker_aliases WHERE alias = ? COLLATE NOCASE "
            "UNION ALL SELECT id FROM speakers WHERE name = ? COLLATE NOCASE LIMIT 1",
            [name, name],
        ).fetchone()
        if row:
            speaker_id = row[0]
        else:
            cursor = self.db.execute(
                "INSERT INTO speakers (name, kind, country) VALUES (?, ?, ?)",
                [name, kind, country],
            )
            speaker_id = cursor.lastrowid
        for alias in {name, *aliases}:
            self.db.execute(
                "INSERT OR IGNORE INTO speaker_aliases (alias, speaker_id) VALUES (?, ?)",
                [alias, speaker_id],
            )
        self._speaker_ids[key] = speaker_id
        return speaker_id

    def merge_speakers(self, keep: str, other: str) -> dict[str, Any]:
        """Join speaker ``other`` into ``keep``: statements and aliases move, ``other`` goes.

        Both are looked up by name or alias. Returns the kept speaker with its
        new statement count.
        """
        # Imported here: archive.queries imports archive.search, which imports this package.
        from archive.queries import list_speakers

        keep_id = self._find_speaker(keep)
        other_id = self._find_speaker(other)
        if keep_id == other_id:
            raise InvalidArgument(f"{keep!r} and {other!r} are already one speaker")
        with self.transaction():
            self.db.execute(
                "UPDATE statements SET speaker_id = ? WHERE speaker_id = ?", [keep_id, other_id]
            )
            self.db.execute(
                "UPDATE OR IGNORE speaker_aliases SET speaker_id = ? WHERE speaker_id = ?",
                [keep_id, other_id],
            )
            self.db.execute("DELETE FROM speaker_aliases WHERE speaker_id = ?", [other_id])
            self.db.execute("DELETE FROM speakers WHERE id = ?", [other_id])
        self._speaker_ids.clear()
        return next(s for s in list_speakers(self.db) if s["id"] == keep_id)

    def _find_speaker(self, name: str) -> int:
        row = self.db.execute(
            "SELECT id FROM speakers WHERE name = ? COLLATE NOCASE UNION ALL "
            "SELECT speaker_id FROM speaker_aliases WHERE alias = ? COLLATE NOCASE LIMIT 1",
            [name, name],
        ).fetchone()
        if row is None:
            raise NotFound(f"no speaker called {name!r}; list them with `archive speakers`")
        return row[0]

    # -- documents ---------------------------------------------------------------

    def upsert_document(self, record: dict[str, Any]) -> str:
        """Store one document and its statements; returns ``new``, ``changed`` or ``unchanged``.

        ``record`` holds the document columns (``url``, ``source``, ``title``,
        ``published``, ``date``, ``language``, ``kind``, ``author``, ``text``,
        ``flags``, ``fetched``) and ``statements``: a list of dicts with
        ``kind``, ``text``, ``speaker`` (``None`` or a dict with ``name``,
        ``kind``, ``country``, ``aliases``), ``role``, ``cue``, ``parent``
        (the index in this list of the statement a quote was found in),
        ``char_start`` and ``char_end``.
        """
        with self.transaction():
            return self._upsert_document(record)

    def upsert_documents(self, records: Iterable[dict[str, Any]], *, batch_size: int = 200) -> dict:
        """Store many documents, one transaction per ``batch_size``; returns counts by status."""
        counts = {"new": 0, "changed": 0, "unchanged": 0}
        batch: list[dict[str, Any]] = []

        def flush() -> None:
            with self.transaction():
                for item in batch:
                    counts[self._upsert_document(item)] += 1
            batch.clear()

        for record in records:
            batch.append(record)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        return counts

    def _upsert_document(self, record: dict[str, Any]) -> str:
        text = record.get("text") or ""
        fetched = record.get("fetched") or now_iso()
        self.upsert_source(record["source"])
        row = {
            "url": record["url"],
            "source": record["source"],
            "title": record.get("title"),
            "published": record.get("published"),
            "date": record.get("date") or _date_part(record.get("published")),
            "language": record.get("language"),
            "kind": record.get("kind"),
            "author": record.get("author"),
            "content_hash": content_hash(text),
            "flags": json.dumps(record.get("flags") or []),
        }
        existing = self.db.execute(
            f"SELECT id, first_fetched, removed, {', '.join(DOCUMENT_COMPARED)} "
            "FROM documents WHERE url = ?",
            [row["url"]],
        ).fetchone()
        schedule = {
            "fetched": fetched,
            "etag": record.get("etag"),
            "last_modified": record.get("last_modified"),
            "removed": None,
            "removed_reason": None,
        }
        if existing is None:
            schedule["next_check"] = next_check(row["published"], fetched, fetched)
            values = {**row, "text": text, "first_fetched": fetched, **schedule}
            document_id = self.db.execute(
                f"INSERT INTO documents ({', '.join(values)}) "
                f"VALUES ({', '.join('?' * len(values))})",
                list(values.values()),
            ).lastrowid
            self._add_version(document_id, fetched, row["title"], text, row["content_hash"])
            status = "new"
        else:
            document_id, first_fetched, removed = existing[:3]
            stored = dict(zip(DOCUMENT_COMPARED, existing[3:]))
            changes = {k: v for k, v in row.items() if k in stored and stored[k] != v}
            if row["content_hash"] != stored["content_hash"]:
                changes["text"] = text
                self._add_version(document_id, fetched, row["title"], text, row["content_hash"])
                status = "changed"
            else:
                status = "updated" if changes or removed else "unchanged"
            schedule["next_check"] = next_check(row["published"], first_fetched, fetched)
            changes.update(schedule)
            assignments = ", ".join(f"{column} = ?" for column in changes)
            self.db.execute(
                f"UPDATE documents SET {assignments} WHERE id = ?",
                [*changes.values(), document_id],
            )
        self._clear_failure(row["url"])
        if self._sync_statements(document_id, row["date"], record.get("statements") or []):
            status = "updated" if status == "unchanged" else status
        return status

    def _add_version(
        self, document_id: int, fetched: str, title: str | None, text: str, digest: str
    ) -> None:
        self.db.execute(
            "INSERT INTO document_versions (document_id, version, fetched, content_hash, title, "
            "text) VALUES (?, (SELECT coalesce(max(version), 0) + 1 FROM document_versions "
            "WHERE document_id = ?), ?, ?, ?, ?)",
            [document_id, document_id, fetched, digest, title, text],
        )

    # -- re-checks, removals, failures -------------------------------------------

    def mark_unchanged(
        self,
        url: str,
        *,
        checked: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> bool:
        """Record a re-check that found the page unchanged (HTTP 304); plan the next one.

        Returns whether the URL is in the archive.
        """
        checked = checked or now_iso()
        with self.transaction():
            row = self.db.execute(
                "SELECT published, first_fetched FROM documents WHERE url = ?", [url]
            ).fetchone()
            if row is None:
                return False
            self.db.execute(
                "UPDATE documents SET fetched = ?, next_check = ?, "
                "etag = coalesce(?, etag), last_modified = coalesce(?, last_modified) "
                "WHERE url = ?",
                [checked, next_check(row[0], row[1], checked), etag, last_modified, url],
            )
            self._clear_failure(url)
        return True

    def mark_removed(self, url: str, *, reason: str, when: str | None = None) -> bool:
        """Record that an archived page was removed; its text and statements stay.

        Returns whether the URL is in the archive (a page never archived has
        nothing to mark). The first time of removal is kept on later re-checks.
        """
        when = when or now_iso()
        with self.transaction():
            cursor = self.db.execute(
                "UPDATE documents SET removed = coalesce(removed, ?), "
                "removed_reason = coalesce(removed_reason, ?), fetched = ?, next_check = ? "
                "WHERE url = ?",
                [when, reason, when, next_check(None, when, when), url],
            )
            self._clear_failure(url)
        return cursor.rowcount > 0

    def record_failure(
        self,
        url: str,
        *,
        source: str,
        reason: str,
        status: int | None = None,
        when: str | None = None,
    ) -> None:
        """Remember a fetch that failed, so the next crawl retries it and stats show the gap."""
        when = when or now_iso()
        with self.transaction():
            self.db.execute(
                "INSERT INTO fetch_failures (url, source, first_failed, last_failed, attempts, "
                "status, reason) VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "last_failed = excluded.last_failed, attempts = attempts + 1, "
                "status = excluded.status, reason = excluded.reason",
                [url, source, when, when, status, reason],
            )

    def _clear_failure(self, url: str) -> None:
        self.db.execute("DELETE FROM fetch_failures WHERE url = ?", [url])

    def complete_section(self, url: str, *, source: str, when: str | None = None) -> None:
        """Record that a listing section was paged to its end once.

        Until then an incremental crawl keeps paging past archived items: a
        first crawl that was interrupted must still reach the oldest pages.
        """
        with self.transaction():
            self.db.execute(
                "INSERT INTO crawl_sections (url, source, completed) VALUES (?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET completed = excluded.completed",
                [url, source, when or now_iso()],
            )

    def _sync_statements(self, document_id: int, date: str | None, statements: list[dict]) -> bool:
        """Make the document's statements equal ``statements``, touching only rows that differ."""
        stored = {
            position: (statement_id, tuple(values))
            for statement_id, position, *values in self.db.execute(
                f"SELECT id, position, {', '.join(STATEMENT_FIELDS)} FROM statements "
                "WHERE document_id = ?",
                [document_id],
            ).fetchall()
        }
        if not stored:
            return self._insert_statements(document_id, date, statements)
        ids: list[int] = []
        changed = False
        for position, statement in enumerate(statements):
            parent = statement.get("parent")
            values = (
                self._statement_speaker(statement),
                statement["kind"],
                statement.get("role"),
                statement["text"],
                statement.get("cue"),
                ids[parent] if parent is not None else None,
                statement.get("char_start"),
                statement.get("char_end"),
                date,
            )
            if position in stored:
                statement_id, old = stored.pop(position)
                if old != values:
                    self.db.execute(
                        f"UPDATE statements SET {', '.join(f'{f} = ?' for f in STATEMENT_FIELDS)} "
                        "WHERE id = ?",
                        [*values, statement_id],
                    )
                    changed = True
            else:
                columns = ", ".join(STATEMENT_FIELDS)
                statement_id = self.db.execute(
                    f"INSERT INTO statements (document_id, position, {columns}) "
                    f"VALUES (?, ?, {', '.join('?' * len(STATEMENT_FIELDS))})",
                    [document_id, position, *values],
                ).lastrowid
                changed = True
            ids.append(statement_id)
        if changed or stored:
            self._forget_links(document_id)
        if stored:
            leftover = [statement_id for statement_id, _ in stored.values()]
            marks = ", ".join("?" * len(leftover))
            # Quotes point at their parent: clear those links before the rows go.
            self.db.execute(
                f"UPDATE statements SET parent_id = NULL WHERE parent_id IN ({marks})", leftover
            )
            self.db.execute(f"DELETE FROM statements WHERE id IN ({marks})", leftover)
            changed = True
        return changed

    def save_quote_origins(self, rows: Iterable[dict[str, Any]]) -> int:
        """Record each quotation's best original (``archive link``); returns rows written.

        ``rows`` hold ``statement_id``, ``origin_id`` (``None``: no original found),
        ``label``, ``similarity`` and ``lag_days``; a quotation linked before is replaced.
        """
        linked = now_iso()
        values = [
            (
                row["statement_id"],
                row.get("origin_id"),
                row.get("label"),
                row.get("similarity"),
                row.get("lag_days"),
                linked,
            )
            for row in rows
        ]
        with self.transaction():
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO quote_origins (statement_id, origin_id, label, "
                "similarity, lag_days, linked) VALUES (?, ?, ?, ?, ?, ?)",
                values,
            )
        return len(values)

    def refresh_rank_lists(self, *, min_hits: int | None = None, size: int | None = None) -> int:
        """Read every common term's impact list again (:mod:`archive.search.rank_lists`); returns
        how many terms have one. One transaction: searches see the old lists or the new."""
        from archive.search import rank_lists

        min_hits = rank_lists.COMMON_HITS if min_hits is None else min_hits
        size = rank_lists.LIST_SIZE if size is None else size
        with self.transaction():
            conn = self.db.conn
            through = conn.execute("SELECT coalesce(max(id), 0) FROM statements").fetchone()[0]
            avgdl = rank_lists.index_stats(conn)[1]
            conn.execute(f"DELETE FROM {RANK_LIST_ENTRIES_TABLE}")
            conn.execute(f"DELETE FROM {RANK_LISTS_TABLE}")
            listed = 0
            for term in rank_lists.common_terms(conn, min_hits):
                read = rank_lists.read_list(conn, term, size=size)
                if read is None:
                    continue
                entries, cut = read
                conn.execute(
                    f"INSERT INTO {RANK_LISTS_TABLE} (term, through_id, cut, avgdl) "
                    "VALUES (?, ?, ?, ?)",
                    [term, through, cut, avgdl],
                )
                conn.executemany(
                    f"INSERT INTO {RANK_LIST_ENTRIES_TABLE} (term, id, tf, dl) VALUES (?, ?, ?, ?)",
                    [(term, *entry) for entry in entries],
                )
                listed += 1
        return listed

    def record_link_run(self, last_document_id: int, *, quotes: int, linked: int) -> None:
        """Note that a link run saw the documents up to ``last_document_id``."""
        with self.transaction():
            self.db.conn.execute(
                "INSERT INTO link_runs (finished, last_document_id, quotes, linked) "
                "VALUES (?, ?, ?, ?)",
                [now_iso(), last_document_id, quotes, linked],
            )

    def _forget_links(self, document_id: int) -> None:
        """Drop what was derived from a document's statements before they change.

        Pairs, turn alignments and quote origins point at statement ids and rest on the
        statements' text; once the text changes they may be wrong, so they go, and the next
        ``archive link`` derives them again (it finds this document unpaired and its
        quotes unlinked). Quotes elsewhere that named a statement of this document as
        their origin are unlinked too, so they are looked at again.
        """
        statements = "SELECT id FROM statements WHERE document_id = :document"
        pairs = "SELECT id FROM document_pairs WHERE :document IN (document_id, counterpart_id)"
        for sql in (
            f"DELETE FROM turn_alignments WHERE pair_id IN ({pairs})",
            "DELETE FROM document_pairs WHERE :document IN (document_id, counterpart_id)",
            f"DELETE FROM quote_origins WHERE statement_id IN ({statements}) "
            f"OR origin_id IN ({statements})",
        ):
            self.db.conn.execute(sql, {"document": document_id})

    def _statement_speaker(self, statement: dict[str, Any]) -> int | None:
        speaker = statement.get("speaker")
        if not speaker:
            return None
        return self.speaker_id(
            speaker["name"],
            kind=speaker.get("kind") or "person",
            country=speaker.get("country"),
            aliases=speaker.get("aliases") or (),
        )

    def _insert_statements(
        self, document_id: int, date: str | None, statements: list[dict]
    ) -> bool:
        """Insert a new document's statements with one ``executemany``.

        Quotes point at their parent's id, so ids are given here: the next rowids SQLite would
        pick (``max(id) + 1`` on), safe because the caller holds the write transaction.
        """
        if not statements:
            return False
        base = self.db.execute("SELECT coalesce(max(id), 0) FROM statements").fetchone()[0] + 1
        self._defer_indexing(base - 1)
        rows = []
        for position, statement in enumerate(statements):
            parent = statement.get("parent")
            rows.append(
                (
                    base + position,
                    document_id,
                    position,
                    self._statement_speaker(statement),
                    statement["kind"],
                    statement.get("role"),
                    statement["text"],
                    statement.get("cue"),
                    base + parent if parent is not None else None,
                    statement.get("char_start"),
                    statement.get("char_end"),
                    date,
                )
            )
        columns = ", ".join(STATEMENT_FIELDS)
        self.db.conn.executemany(
            f"INSERT INTO statements (id, document_id, position, {columns}) "
            f"VALUES ({', '.join('?' * (len(STATEMENT_FIELDS) + 3))})",
            rows,
        )
        return True

    # -- document pairs (derived by archive.provenance.pairing) -------------------------------

    def replace_pair(self, pair: dict[str, Any]) -> int:
        """Store two language versions of a document and their turn alignment; returns its id.

        ``pair`` holds ``document_id`` (the version in the source's own language),
        ``counterpart_id`` (the translation), ``method`` (``shared-id``, ``same-day``),
        ``score`` and ``turns``: ``(statement_id, counterpart_statement_id, score)`` in
        document order, one side ``None`` for a turn the other version lacks (a merge, one
        turn rendered as two, is two rows sharing a statement). A pair either document had
        with a version in the counterpart's language is replaced, so re-pairing one
        document never leaves it with two translations into the same language.
        """
        turns = [tuple(row) for row in pair["turns"]]
        aligned = sum(1 for mine, theirs, _ in turns if mine is not None and theirs is not None)
        with self.transaction():
            self._forget_pairs(pair["document_id"], pair["counterpart_id"])
            pair_id = self.db.conn.execute(
                "INSERT INTO document_pairs (document_id, counterpart_id, method, score, "
                "aligned, missing_in_counterpart, missing_in_document, paired) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    pair["document_id"],
                    pair["counterpart_id"],
                    pair["method"],
                    pair.get("score"),
                    aligned,
                    sum(1 for _, theirs, _ in turns if theirs is None),
                    sum(1 for mine, _, _ in turns if mine is None),
                    now_iso(),
                ],
            ).lastrowid
            self.db.conn.executemany(
                "INSERT INTO turn_alignments (pair_id, statement_id, counterpart_statement_id, "
                "score) VALUES (?, ?, ?, ?)",
                [(pair_id, *row) for row in turns],
            )
        return pair_id

    def _forget_pairs(self, document_id: int, counterpart_id: int) -> None:
        """Drop the pairs that a new pair of these two documents supersedes."""
        superseded = (
            "SELECT id FROM document_pairs WHERE counterpart_id = :counterpart "
            "UNION SELECT id FROM document_pairs WHERE document_id = :counterpart "
            "UNION SELECT p.id FROM document_pairs p "
            "JOIN documents c ON c.id = p.counterpart_id WHERE p.document_id = :document "
            "AND c.language IS (SELECT language FROM documents WHERE id = :counterpart)"
        )
        ids = [
            row[0]
            for row in self.db.conn.execute(
                superseded, {"document": document_id, "counterpart": counterpart_id}
            )
        ]
        if ids:
            marks = ", ".join("?" * len(ids))
            self.db.conn.execute(f"DELETE FROM turn_alignments WHERE pair_id IN ({marks})", ids)
            self.db.conn.execute(f"DELETE FROM document_pairs WHERE id IN ({marks})", ids)


def _date_part(published: str | None) -> str | None:
    return published[:10] if published else None
