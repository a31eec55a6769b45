"""Read-only queries: counts, speakers, one statement in context, crawl state, history.

The CLI, Datasette's canned queries and the spiders read through these
functions; only :mod:`archive.store` writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from archive.exceptions import InvalidArgument, NotFound
from archive.search.engine import records
from archive.store.speakers import speaker_rows

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


#: ``--kind`` of ``archive speakers`` (``unnamed`` is what older archives call a description).
SPEAKER_KINDS = ("person", "organization", "outlet", "description", "unnamed")


def list_speakers(
    db: Database, *, kind: str | None = None, name: str | None = None, limit: int = 0
) -> list[dict[str, Any]]:
    """Speakers with their kind, statement count and aliases, most quoted first.

    ``name`` keeps those whose name or an alias holds every word of it (any spelling, as
    ``--speaker`` reads it); ``limit`` 0 keeps all.

    Raises:
        InvalidArgument: ``kind`` is not one of :data:`SPEAKER_KINDS`.
    """
    if kind is not None and kind.strip().lower() not in SPEAKER_KINDS:
        raise InvalidArgument(
            f"unknown speaker kind {kind!r}; use one of: {', '.join(SPEAKER_KINDS)}"
        )
    kind = kind.strip().lower() if kind else kind
    conditions, params = [], {}
    if kind:
        # "unnamed" is what older archives call a description: both answer either name.
        conditions.append("sp.kind IN (:kind, :legacy)")
        params["kind"] = kind
        params["legacy"] = {"description": "unnamed", "unnamed": "description"}.get(kind, kind)
    if name:
        from archive.search.sql import name_words, speaker_filter

        named, named_params = speaker_filter(name_words(name), "n")
        conditions.append(f"sp.id IN ({named})")
        params.update(named_params)
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    params["limit"] = limit or -1
    return speaker_rows(db, where, params)


def count_speakers(db: Database, *, kind: str | None = None) -> int:
    """How many speakers (of a kind) the archive holds."""
    if kind:
        return db.execute("SELECT count(*) FROM speakers WHERE kind = ?", [kind]).fetchone()[0]
    return db.execute("SELECT count(*) FROM speakers").fetchone()[0]


STATEMENT_SELECT = """
SELECT st.id, st.document_id, st.position, st.kind, st.role, st.text, st.cue, st.parent_id,
       st.date, sp.name AS speaker, d.title, d.url, d.source, d.published, st.speaker_id,
       d.language, d.first_fetched AS archived, d.fetched AS retrieved
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
        "language": statement["language"],
        "archived": statement["archived"],
        "retrieved": statement["retrieved"],
    }
    statement["counterpart"] = counterpart_turns(db, anchor)
    return statement


def get_speaker(db: Database, speaker_id: int, *, latest: int = 50) -> dict[str, Any]:
    """A speaker over time: aliases, statements per year and by kind, the ``latest`` ones."""
    found = _rows(db, "SELECT id, name, kind, country FROM speakers WHERE id = ?", [speaker_id])
    if not found:
        raise NotFound(f"no speaker with id {speaker_id}; list them with `archive speakers`")
    speaker = found[0]
    speaker["aliases"] = [
        alias
        for (alias,) in db.execute(
            "SELECT alias FROM speaker_aliases WHERE speaker_id = ? AND alias != ? "
            "AND alias != '' ORDER BY alias",
            [speaker_id, speaker["name"]],
        )
    ]
    speaker["by_year"] = _rows(
        db,
        "SELECT substr(date, 1, 4) AS year, count(*) AS statements FROM statements "
        "WHERE speaker_id = ? GROUP BY year ORDER BY year IS NULL, year",
        [speaker_id],
    )
    speaker["busiest_year"] = max((year["statements"] for year in speaker["by_year"]), default=0)
    speaker["by_kind"] = dict(
        db.execute(
            "SELECT kind, count(*) FROM statements WHERE speaker_id = ? GROUP BY kind "
            "ORDER BY count(*) DESC",
            [speaker_id],
        ).fetchall()
    )
    speaker["statements"] = sum(speaker["by_kind"].values())
    dates = db.execute(
        "SELECT min(date), max(date) FROM statements WHERE speaker_id = ?", [speaker_id]
    ).fetchone()
    speaker["first"], speaker["last"] = dates[0], dates[1]
    speaker["roles"] = [
        role
        for (role,) in db.execute(
            "SELECT role FROM statements WHERE speaker_id = ? AND role IS NOT NULL "
            "AND role != '' GROUP BY role ORDER BY count(*) DESC LIMIT 5",
            [speaker_id],
        )
    ]
    speaker["latest"] = _rows(
        db,
        STATEMENT_SELECT
        + " WHERE st.speaker_id = ? ORDER BY st.date IS NULL, st.date DESC, st.id DESC LIMIT ?",
        [speaker_id, latest],
    )
    return speaker


def get_document(db: Database, document_id: int) -> dict[str, Any]:
    """A document with its turns in order (each with its quotations), versions and the
    version in the other language, if the archive holds one."""
    found = _rows(
        db,
        "SELECT id, url, source, title, published, date, language, kind, author, first_fetched "
        "AS archived, fetched AS retrieved, removed, removed_reason FROM documents WHERE id = ?",
        [document_id],
    )
    if not found:
        raise NotFound(f"no document with id {document_id}")
    document = found[0]
    statements = _rows(
        db,
        STATEMENT_SELECT + " WHERE st.document_id = ? ORDER BY st.position",
        [document_id],
    )
    quotes: dict[int, list[dict[str, Any]]] = {}
    for statement in statements:
        if statement["parent_id"]:
            quotes.setdefault(statement["parent_id"], []).append(statement)
    document["turns"] = [
        {**statement, "quotes": quotes.get(statement["id"], [])}
        for statement in statements
        if not statement["parent_id"]
    ]
    document["versions"] = db.execute(
        "SELECT count(*) FROM document_versions WHERE document_id = ?", [document_id]
    ).fetchone()[0]
    pairs = _rows(
        db,
        PAIR_SELECT + " WHERE ? IN (p.document_id, p.counterpart_id) ORDER BY p.id",
        [document_id],
    )
    document["pair"] = None
    if pairs:
        pair = pairs[0]
        side = "counterpart" if pair["document_id"] == document_id else "document"
        document["pair"] = {
            "id": pair["id"],
            "document_id": pair[f"{side}_id"],
            "language": pair[f"{side}_language"],
            "title": pair[f"{side}_title"],
            "url": pair[f"{side}_url"],
        }
    return document


def _rows(db: Database, sql: str, params: list[Any] | dict[str, Any]) -> list[dict[str, Any]]:
    return records(db.execute(sql, params))


# -- document pairs: one briefing in two languages (archive.provenance.pairing) ---------------

PAIR_SELECT = """
SELECT p.id, d.date, d.source, p.method, p.score, p.aligned, p.missing_in_counterpart,
       p.missing_in_document, p.document_id, d.language AS document_language,
       d.title AS document_title, d.url AS document_url, p.counterpart_id,
       c.language AS counterpart_language, c.title AS counterpart_title,
       c.url AS counterpart_url
FROM document_pairs p
JOIN documents d ON d.id = p.document_id
JOIN documents c ON c.id = p.counterpart_id
"""

#: A turn of a pair, as ``archive pairs ID`` and ``archive show`` print it.
_TURN_SELECT = """
SELECT st.id, st.position, st.kind, sp.name AS speaker, st.role, st.text
FROM statements st LEFT JOIN speakers sp ON sp.id = st.speaker_id
WHERE st.id IN ({marks})
"""


def list_pairs(
    db: Database,
    *,
    missing: bool = False,
    since: str | None = None,
    until: str | None = None,
    source: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Pairs of documents, newest first; ``missing`` keeps those where a version lacks turns."""
    where, params = [], {"since": since, "until": until, "source": source, "limit": limit or -1}
    if missing:
        where.append("(p.missing_in_counterpart > 0 OR p.missing_in_document > 0)")
    if since:
        where.append("d.date >= :since")
    if until:
        where.append("d.date <= :until")
    if source:
        where.append("d.source = :source")
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    return _rows(db, f"{PAIR_SELECT} {clause} ORDER BY d.date DESC, p.id DESC LIMIT :limit", params)


def get_pair(
    db: Database, pair_id: int | None = None, *, document_id: int | None = None
) -> dict[str, Any]:
    """A pair with its turns side by side, by pair id or by the id of either document.

    ``turns`` lists the alignment in document order: each row holds the ``document``
    turn and the ``counterpart`` turn, ``None`` on the side that lacks it.
    """
    if pair_id is not None:
        found = _rows(db, PAIR_SELECT + " WHERE p.id = ?", [pair_id])
        missing = f"no pair with id {pair_id}; list them with `archive pairs`"
    else:
        found = _rows(
            db,
            PAIR_SELECT + " WHERE ? IN (p.document_id, p.counterpart_id) ORDER BY p.id",
            [document_id],
        )
        missing = (
            f"document {document_id} has no version in another language in the archive "
            "(yet: `archive pairs --update` pairs new documents)"
        )
    if not found:
        raise NotFound(missing)
    pair = found[0]
    rows = db.execute(
        "SELECT statement_id, counterpart_statement_id, score FROM turn_alignments "
        "WHERE pair_id = ? ORDER BY id",
        [pair["id"]],
    ).fetchall()
    turns = _turns_by_id(db, [i for row in rows for i in row[:2] if i is not None])
    pair["turns"] = [
        {"score": score, "document": turns.get(mine), "counterpart": turns.get(theirs)}
        for mine, theirs, score in rows
    ]
    return pair


def counterpart_turns(db: Database, statement_id: int) -> dict[str, Any] | None:
    """The turn(s) of the other language version aligned with a turn, for ``archive show``.

    ``None`` when the turn's document has no other-language version in the archive;
    otherwise the other version's document, the aligned turns (two when the other
    version split the turn) and ``missing``: whether the other version lacks the turn.
    """
    rows = db.execute(
        "SELECT pair_id, statement_id, counterpart_statement_id, score FROM turn_alignments "
        "WHERE statement_id = :id UNION ALL "
        "SELECT pair_id, statement_id, counterpart_statement_id, score FROM turn_alignments "
        "WHERE counterpart_statement_id = :id",
        {"id": statement_id},
    ).fetchall()
    if not rows:
        return None
    pair_id = rows[0][0]
    pair = _rows(db, PAIR_SELECT + " WHERE p.id = ?", [pair_id])[0]
    side = "counterpart" if rows[0][1] == statement_id else "document"
    other = [row[2] if side == "counterpart" else row[1] for row in rows if row[0] == pair_id]
    turns = _turns_by_id(db, [i for i in other if i is not None])
    return {
        "pair_id": pair_id,
        "document": {
            "id": pair[f"{side}_id"],
            "language": pair[f"{side}_language"],
            "title": pair[f"{side}_title"],
            "url": pair[f"{side}_url"],
        },
        "turns": [
            {**turns[i], "score": row[3]}
            for i, row in zip(other, [r for r in rows if r[0] == pair_id])
            if i is not None
        ],
        "missing": all(i is None for i in other),
    }


def _turns_by_id(db: Database, ids: list[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        chunk = ids[start : start + 500]
        sql = _TURN_SELECT.format(marks=", ".join("?" * len(chunk)))
        found.update((row["id"], row) for row in _rows(db, sql, chunk))
    return found


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


def first_said(db: Database, statement_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """For stored quotations among ``statement_ids``: who said it first, when and where."""
    ids = list(statement_ids)
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    rows = db.execute(
        f"""SELECT o.statement_id, o.origin_id, o.label, o.lag_days, og.date, sp.name,
                   d.source, d.url, og.kind
            FROM quote_origins o
            JOIN statements og ON og.id = o.origin_id
            JOIN documents d ON d.id = og.document_id
            LEFT JOIN speakers sp ON sp.id = og.speaker_id
            WHERE o.statement_id IN ({marks})""",
        ids,
    )
    keys = ("origin_id", "label", "lag_days", "date", "speaker", "source", "url", "kind")
    found = {row[0]: dict(zip(keys, row[1:])) for row in rows}
    for origin in found.values():
        # The speaker's own words (a remark, an answer, a statement) or a re-quote of them: only
        # the first is "first said by"; a quote is the earliest appearance in this archive.
        origin["first_hand"] = origin["kind"] != "quote"
    return found
