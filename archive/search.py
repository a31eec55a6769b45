"""Full-text search over statements: who said what, when, and where.

A query matches statement text (SQLite FTS5, Porter-stemmed) and speaker
names: ``Lavrov`` finds what Sergey Lavrov said as well as what others said of
him, his own words first. :func:`search_sql` returns the SQL and parameters
without running them, the twin of ``archive search --sql``.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from archive.exceptions import InvalidArgument, InvalidQuery

if TYPE_CHECKING:
    from sqlite_utils import Database  # imported lazily: 0.2 s of CLI start-up

#: Orders ``archive search`` offers: best match first, or newest first.
SORTS = ("rank", "date")

#: Marks placed around matched words in snippets; the CLI turns them into colour.
HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"

#: Rank given to statements found by their speaker's name: ahead of any text match.
SPEAKER_MATCH_RANK = -1e9

_FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
# A bare token FTS5 takes as it is: letters/digits/underscore/non-ASCII, maybe a trailing * .
_BAREWORD = re.compile(r"^[\w\u0080-\uffff]+\*?$")
# A word with inner punctuation (China-India, U.S., Xi's) that the user meant as a phrase.
_COMPOUND = re.compile(r"^[\w\u0080-\uffff]+(?:[-./'’][\w\u0080-\uffff]+)+\.?$")
_WORD = re.compile(r"[\w\u0080-\uffff]+")


@dataclass
class Search:
    """What ``archive search`` was asked, validated."""

    query: str
    speaker: str | None = None
    source: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int = 20
    sort: str = "rank"

    def __post_init__(self) -> None:
        if not self.query.strip():
            raise InvalidQuery("empty query; give words to search for, e.g. archive search Lavrov")
        if self.sort not in SORTS:
            raise InvalidArgument(f"unknown sort {self.sort!r}; use one of: {', '.join(SORTS)}")
        if self.limit < 1:
            raise InvalidArgument(f"--limit must be at least 1, not {self.limit}")
        self.since = _iso_date(self.since, "--since")
        self.until = _iso_date(self.until, "--until")


def _iso_date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InvalidArgument(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None


def fts_query(query: str) -> str:
    """Make a user's query safe for FTS5 MATCH while keeping its operators.

    Quoted phrases, ``AND``/``OR``/``NOT``/``NEAR``, parentheses and ``prefix*``
    pass through; words with inner punctuation such as ``China-India`` or
    ``U.S.`` become phrases, as a reader means them. What is left malformed (an
    unbalanced quote, a lone ``-``) is reported by :func:`search` as
    :class:`InvalidQuery`.
    """
    if query.count('"') % 2:
        raise InvalidQuery(
            f"unbalanced double quote in {query!r}; close the phrase or remove the quote"
        )
    parts: list[str] = []
    for token in re.findall(r'"[^"]*"|\(|\)|[^\s()"]+', query):
        if (
            token.startswith('"')
            or token in ("(", ")")
            or token in _FTS_OPERATORS
            or _BAREWORD.match(token)
        ):
            parts.append(token)
        elif _COMPOUND.match(token):
            parts.append('"' + token.rstrip(".") + '"')
        else:
            parts.append(token)
    return " ".join(parts)


def _name_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w.upper() not in _FTS_OPERATORS]


def _speaker_filter(
    words: list[str], prefix: str, *, people_only: bool = False
) -> tuple[str, dict[str, str]]:
    """SQL selecting speaker ids whose name or an alias holds every word, as whole words.

    With ``people_only``, outlets and organisations are left out: a search for
    "China" should not put every question of *China Daily* first.
    """
    conditions = []
    params: dict[str, str] = {}
    for i, word in enumerate(words):
        key = f"{prefix}{i}"
        # Initials and commas are word boundaries: "J" finds "Antony J. Blinken".
        conditions.append(
            f"(' ' || replace(replace(alias, '.', ' '), ',', ' ') || ' ') LIKE :{key}"
        )
        params[key] = f"% {word} %"
    if people_only:
        conditions.append("speaker_id IN (SELECT id FROM speakers WHERE kind = 'person')")
    where = " AND ".join(conditions) if words else "0"
    return f"SELECT speaker_id FROM speaker_aliases WHERE {where}", params


def search_sql(search: Search) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters that :func:`search` runs, for ``archive search --sql``."""
    params: dict[str, Any] = {"query": fts_query(search.query), "limit": search.limit}
    speaker_hits, speaker_params = _speaker_filter(_name_words(search.query), "q", people_only=True)
    params.update(speaker_params)
    filters = []
    if search.speaker:
        speaker_sql, speaker_params = _speaker_filter(_name_words(search.speaker), "s")
        filters.append(f"st.speaker_id IN ({speaker_sql})")
        params.update(speaker_params)
    if search.source:
        filters.append("d.source = :source COLLATE NOCASE")
        params["source"] = search.source
    if search.since:
        filters.append("st.date >= :since")
        params["since"] = search.since
    if search.until:
        filters.append("st.date <= :until")
        params["until"] = search.until
    where = ("WHERE " + " AND ".join(filters)) if filters else ""
    inner = (
        "hits.rank, st.date DESC, st.id"
        if search.sort == "rank"
        else "st.date DESC, hits.rank, st.id"
    )
    order = "rank, date DESC, id" if search.sort == "rank" else "date DESC, rank, id"
    # Snippets are made for the rows shown only: snippet() over every hit of a common word
    # cost most of a search on a large archive. bm25 is needed for every hit to rank them.
    sql = f"""
WITH text_hits AS (
    SELECT rowid AS id, bm25(statements_fts) AS rank, 1 AS matched
    FROM statements_fts WHERE statements_fts MATCH :query
),
speaker_hits AS (
    SELECT id, {SPEAKER_MATCH_RANK} AS rank, 0 AS matched FROM statements
    WHERE speaker_id IN ({speaker_hits})
),
hits AS (
    SELECT id, min(rank) AS rank, max(matched) AS matched
    FROM (SELECT * FROM text_hits UNION ALL SELECT * FROM speaker_hits) GROUP BY id
),
shown AS (
    SELECT st.id, st.date, sp.name AS speaker, st.kind, st.role, st.text, d.title, d.url,
           d.source, d.removed, d.id AS document_id, hits.rank, hits.matched
    FROM hits
    JOIN statements st ON st.id = hits.id
    JOIN documents d ON d.id = st.document_id
    LEFT JOIN speakers sp ON sp.id = st.speaker_id
    {where}
    ORDER BY {inner}
    LIMIT :limit
)
SELECT id, date, speaker, kind, role, text, title, url, source, removed,
       EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = shown.document_id
               AND v.version > 1) AS edited,
       CASE WHEN matched THEN (
           SELECT snippet(statements_fts, 0, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 24)
           FROM statements_fts WHERE statements_fts MATCH :query AND rowid = shown.id
       ) END AS snippet,
       rank
FROM shown
ORDER BY {order}
"""
    return sql, params


def search(db: Database, search: Search) -> list[dict[str, Any]]:
    """Statements matching ``search``: dicts of id, date, speaker, kind, text, title, url, source.

    Raises:
        InvalidQuery: the full-text engine cannot parse the query.
    """
    sql, params = search_sql(search)
    try:
        cursor = db.execute(sql, params)
        rows = records(cursor)
    except sqlite3.OperationalError as exc:
        message = str(exc)
        # "unknown special query": a lone * (FTS5 reads "*..." as a special query).
        if any(
            part in message
            for part in ("fts5", "no such column", "syntax", "unknown special query", "MATCH")
        ):
            raise InvalidQuery(
                f"cannot search for {search.query!r}: {message.removeprefix('fts5: ')}; "
                'put a phrase in double quotes, e.g. "one-China principle"'
            ) from None
        raise
    for row in rows:
        row["edited"] = bool(row["edited"])
        if not row["snippet"]:
            row["snippet"] = _lead(row["text"])
    return rows


def _lead(text: str, words: int = 24) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def records(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    """Rows of a cursor as dicts keyed by column name."""
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
