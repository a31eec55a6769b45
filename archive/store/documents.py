"""Write documents: their text, versions and statements, re-checks, removals and failed fetches.

Writers hand over plain dicts (see :meth:`DocumentWrites.upsert_document`), so the
crawler, ``archive add`` and tests all store records the same way and nothing
here knows about Scrapy. Writes are idempotent: storing the same page twice
changes nothing, and statement ids stay stable across re-crawls because a
statement is keyed by its document and position. A changed text is a new version;
changed statements drop the links derived from them (:mod:`.links`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from archive.schedule import next_check
from archive.store.connection import now_iso
from archive.store.links import LinkWrites
from archive.store.speakers import SpeakerWrites

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


class DocumentWrites(SpeakerWrites, LinkWrites):
    """Documents and statements of an :class:`~archive.store.writer.Archive`.

    A document names its source and its statements their speakers (:class:`SpeakerWrites`);
    a statement that changes unlinks what was derived from it (:class:`LinkWrites`).
    """

    def upsert_document(self, record: dict[str, Any]) -> str:
        """Store one document and its statements; returns ``new``, ``changed``, ``updated``,
        ``unchanged``, or ``duplicate`` (not stored: the source holds the same text under the
        same URL but for its query string or fragment).

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
        counts = {"new": 0, "changed": 0, "unchanged": 0, "updated": 0, "duplicate": 0}
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
        if existing is None and self._same_page(row) is not None:
            return "duplicate"  # one document under another query string: stored once
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

    def _same_page(self, row: dict[str, Any]) -> str | None:
        """The URL under which this source already holds this text, when ``row``'s URL is the
        same page but for its query string or fragment (``t1789509.shtml?from=2``)."""
        page = _without_query(row["url"])
        for (url,) in self.db.execute(
            "SELECT url FROM documents WHERE source = ? AND content_hash = ?",
            [row["source"], row["content_hash"]],
        ):
            if _without_query(url) == page:
                return url
        return None

    def _add_version(
        self, document_id: int, fetched: str, title: str | None, text: str, digest: str
    ) -> None:
        self.db.execute(
            "INSERT INTO document_versions (document_id, version, fetched, content_hash, title, "
            "text) VALUES (?, (SELECT coalesce(max(version), 0) + 1 FROM document_versions "
            "WHERE document_id = ?), ?, ?, ?, ?)",
            [document_id, document_id, fetched, digest, title, text],
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


def _date_part(published: str | None) -> str | None:
    return published[:10] if published else None


def _without_query(url: str) -> str:
    return url.split("#", 1)[0].split("?", 1)[0]
