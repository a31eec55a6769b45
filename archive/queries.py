"""Read-only queries: counts, speakers, one statement in context, crawl state, history.

The CLI, Datasette's canned queries and the spiders read through these
functions; only :mod:`archive.store` writes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archive.exceptions import NotFound
from archive.search import records

if TYPE_CHECKING:
    from sqlite_utils import Database  # imported lazily: 0.2 s of CLI start-up


def archive_stats(db: Database) -> dict[str, Any]:
    """Counts for ``archive stats``: documents, statements, speakers, and ``by_source``.

    ``removed`` and ``edited`` count documents, ``failures`` the fetches that
    failed and were not yet retried successfully: the archive's coverage gaps.
    """
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    empty = {"documents": 0, "statements": 0, "removed": 0, "edited": 0, "failures": 0}
    by_source: dict[str, dict[str, int]] = {}
    for name, documents, removed, edited, failures in db.execute(
        """SELECT s.name,
             (SELECT count(*) FROM documents d WHERE d.source = s.name),
             (SELECT count(*) FROM documents d WHERE d.source = s.name AND d.removed IS NOT NULL),
             (SELECT count(DISTINCT v.document_id) FROM document_versions v
              JOIN documents d ON d.id = v.document_id WHERE d.source = s.name AND v.version > 1),
             (SELECT count(*) FROM fetch_failures f WHERE f.source = s.name)
           FROM sources s ORDER BY s.name"""
    ):
        by_source[name] = {
            **empty,
            "documents": documents,
            "removed": removed,
            "edited": edited,
            "failures": failures,
        }
    for name, statements in db.execute(
        "SELECT d.source, count(*) FROM statements st JOIN documents d ON d.id = st.document_id "
        "GROUP BY d.source"
    ):
        by_source.setdefault(name, dict(empty))["statements"] = statements
    return {
        "documents": one("SELECT count(*) FROM documents"),
        "statements": one("SELECT count(*) FROM statements"),
        "speakers": one("SELECT count(*) FROM speakers"),
        "removed": one("SELECT count(*) FROM documents WHERE removed IS NOT NULL"),
        "edited": one(
            "SELECT count(DISTINCT document_id) FROM document_versions WHERE version > 1"
        ),
        "failures": one("SELECT count(*) FROM fetch_failures"),
        "by_source": by_source,
    }


def list_speakers(db: Database, *, kind: str | None = None) -> list[dict[str, Any]]:
    """Speakers with their kind, statement count and aliases, most quoted first."""
    where = "WHERE sp.kind = :kind" if kind else ""
    rows = _rows(
        db,
        f"""SELECT sp.id, sp.name, sp.kind, sp.country,
               (SELECT count(*) FROM statements st WHERE st.speaker_id = sp.id) AS statements,
               (SELECT json_group_array(alias) FROM speaker_aliases a
                WHERE a.speaker_id = sp.id AND a.alias != sp.name) AS aliases
        FROM speakers sp {where} ORDER BY statements DESC, sp.name""",
        {"kind": kind} if kind else [],
    )
    for row in rows:
        row["aliases"] = sorted(json.loads(row["aliases"] or "[]"))
    return rows


STATEMENT_SELECT = """
SELECT st.id, st.document_id, st.position, st.kind, st.role, st.text, st.cue, st.parent_id,
       st.date, sp.name AS speaker, d.title, d.url, d.source, d.published
FROM statements st
JOIN documents d ON d.id = st.document_id
LEFT JOIN speakers sp ON sp.id = st.speaker_id
"""


def get_statement(db: Database, statement_id: int, *, context: int = 2) -> dict[str, Any]:
    """A statement, its document, and the turns around it, for ``archive show``."""
    found = _rows(db, STATEMENT_SELECT + " WHERE st.id = ?", [statement_id])
    if not found:
        raise NotFound(f"no statement with id {statement_id}; find ids with `archive search`")
    statement = found[0]
    anchor = statement["parent_id"] or statement["id"]
    position = db.execute("SELECT position FROM statements WHERE id = ?", [anchor]).fetchone()[0]
    turn_query = STATEMENT_SELECT + " WHERE st.document_id = ? AND st.parent_id IS NULL AND "
    before = _rows(
        db,
        turn_query + "st.position < ? ORDER BY st.position DESC LIMIT ?",
        [statement["document_id"], position, context],
    )
    after = _rows(
        db,
        turn_query + "st.position >= ? ORDER BY st.position LIMIT ?",
        [statement["document_id"], position, context + 1],
    )
    statement["context"] = before[::-1] + after
    statement["document"] = {
        "id": statement["document_id"],
        "title": statement["title"],
        "url": statement["url"],
        "source": statement["source"],
        "published": statement["published"],
    }
    return statement


def _rows(db: Database, sql: str, params: list[Any] | dict[str, Any]) -> list[dict[str, Any]]:
    return records(db.execute(sql, params))


@dataclass
class KnownDocument:
    """What a crawl needs to know of an archived page to skip it or re-check it politely."""

    etag: str | None
    last_modified: str | None
    next_check: str | None
    removed: str | None


@dataclass
class CrawlState:
    """A source's pages as the archive knows them, read once when a crawl starts."""

    documents: dict[str, KnownDocument] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    completed_sections: set[str] = field(default_factory=set)


def crawl_state(db: Database, source: str) -> CrawlState:
    """Archived URLs of ``source`` with validators and schedule, failed URLs, finished sections."""
    state = CrawlState()
    for url, etag, last_modified, planned, removed in db.execute(
        "SELECT url, etag, last_modified, next_check, removed FROM documents WHERE source = ?",
        [source],
    ):
        state.documents[url] = KnownDocument(etag, last_modified, planned, removed)
    state.failed = [
        row[0]
        for row in db.execute(
            "SELECT url FROM fetch_failures WHERE source = ? ORDER BY last_failed", [source]
        )
    ]
    state.completed_sections = {
        row[0] for row in db.execute("SELECT url FROM crawl_sections WHERE source = ?", [source])
    }
    return state
