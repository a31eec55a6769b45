"""The archive's own search inside Datasette: one engine for the web and the terminal.

Datasette's built-in search would run a bare FTS5 ``MATCH`` over the English word index: no
Chinese words (they live in a trigram index), no Russian word forms, no speaker under any
spelling. Here ``archive.search`` serves Datasette instead:

* the search box of ``statements_view`` (``?_search=``) keeps the rows of
  :func:`archive.search.engine.matching_sql`, the very set ``archive search`` pages through;
  ``?_speaker=`` keeps a speaker's statements under any spelling, as ``--speaker`` does;
* ``archive_search(q, speaker, source, lang, sort, limit, offset)``, an SQL function, returns
  the rows of :func:`archive.search.engine.search` itself (ranks and snippets included) as a
  JSON array, for the canned queries ``search`` and ``follow`` (the Atom feed);
* ``archive_trace(id)`` returns the appearances ``archive trace ID`` prints;
* ``archive_speakers(name)`` the ids of the speakers ``--speaker NAME`` means;
* ``archive_matches(q)`` the ids of every statement ``archive search q`` finds (what
  ``archive timeline`` counts), for the chart ``statements_per_month``.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path
from typing import Any

from archive.exceptions import ArchiveError
from archive.search.engine import Search, check_query, matching_sql, search
from archive.search.sql import name_words, speaker_filter

#: The view whose search box is the archive's search.
SEARCHED = "statements_view"

_PARAMETER = re.compile(r":(\w+)")


def prefixed(sql: str, params: dict[str, Any], prefix: str) -> tuple[str, dict[str, Any]]:
    """``sql`` and ``params`` with every parameter renamed ``prefix + name``, so that they
    cannot meet the names Datasette gives its own filters (``p0``, ``search``)."""
    names = set(params)
    renamed = _PARAMETER.sub(
        lambda m: f":{prefix}{m.group(1)}" if m.group(1) in names else m.group(0), sql
    )
    return renamed, {prefix + name: value for name, value in params.items()}


def search_filter(words: str, speaker: str) -> tuple[list[str], dict[str, Any], list[str]]:
    """WHERE clauses, parameters and descriptions for ``?_search=`` and ``?_speaker=``.

    Raises:
        InvalidQuery: the words are not a query (the caller has FTS5 parse them first).
    """
    clauses: list[str] = []
    params: dict[str, Any] = {}
    described: list[str] = []
    if words:
        sql, found = prefixed(*matching_sql(Search(words)), "archive_q_")
        clauses.append(f"id IN ({sql})")
        params.update(found)
        described.append(f'search matches "{words}"')
    if speaker:
        sql, found = prefixed(*speaker_filter(name_words(speaker), "s"), "archive_s_")
        clauses.append(f"speaker_id IN ({sql})")
        params.update(found)
        described.append(f'speaker is "{speaker}" (any spelling)')
    return clauses, params, described


def check(conn: sqlite3.Connection, words: str) -> None:
    """Raise :class:`~archive.exceptions.InvalidQuery` now for words FTS5 cannot parse."""
    check_query(conn, Search(words))


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None


class _Sibling:
    """A second read-only connection to the archive, opened on first use, for the functions.

    The engine cannot run on the connection of the query that calls it: building its scratch
    tables (a temporary FTS5 table that reads the index's own tokens) changes that
    connection's schema and aborts the calling query. Datasette's time limit applies to it
    as to the query: each call may run ``time_limit_ms`` at most.
    """

    def __init__(self, path: str, *, immutable: bool, time_limit_ms: int) -> None:
        self.uri = Path(path).resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro")
        self.time_limit = time_limit_ms / 1000
        self._db: Any = None
        self._deadline = 0.0

    def _stop(self) -> int:
        return int(time.monotonic() > self._deadline)

    def __call__(self) -> Any:
        from archive.store import LazyDatabase

        if self._db is None:
            conn = sqlite3.connect(self.uri, uri=True, check_same_thread=False)
            conn.set_progress_handler(self._stop, 1000)
            self._db = LazyDatabase(conn)
        self._deadline = time.monotonic() + self.time_limit
        return self._db


def register_functions(
    conn: sqlite3.Connection, path: str, *, immutable: bool = False, time_limit_ms: int = 3000
) -> None:
    """Add the ``archive_*`` functions to a connection of the archive at ``path``; they read
    it through a second connection (:class:`_Sibling`)."""
    sibling = _Sibling(path, immutable=immutable, time_limit_ms=time_limit_ms)

    def archive_search(
        query: Any,
        speaker: Any = None,
        source: Any = None,
        lang: Any = None,
        sort: Any = "rank",
        limit: Any = 20,
        offset: Any = 0,
    ) -> str:
        words = _text(query)
        if words is None:
            return "[]"  # an empty search box finds nothing, not everything
        try:
            request = Search(
                words,
                speaker=_text(speaker),
                source=_text(source),
                lang=_text(lang),
                sort=_text(sort) or "rank",
                limit=int(limit or 0),
                offset=int(offset or 0),
            )
            rows = search(sibling(), request)
        except (ArchiveError, ValueError) as exc:
            return json.dumps([{"error": str(exc)}], ensure_ascii=False)
        except sqlite3.OperationalError as exc:  # interrupted: over the time limit
            return json.dumps([{"error": f"the search took too long ({exc})"}])
        keys = ("id", "rank", "snippet")
        return json.dumps([{k: row[k] for k in keys} for row in rows], ensure_ascii=False)

    def archive_trace(statement_id: Any) -> str:
        from archive.provenance.trace import trace

        if statement_id is None or not str(statement_id).strip().isdigit():
            return "[]"
        try:
            result = trace(sibling(), int(statement_id))
        except ArchiveError as exc:
            return json.dumps([{"error": str(exc)}], ensure_ascii=False)
        return json.dumps(result.as_dict()["appearances"], ensure_ascii=False)

    def archive_speakers(name: Any) -> str:
        words = name_words(_text(name) or "")
        if not words:
            return "[]"  # an empty field names nobody
        sql, params = speaker_filter(words, "s")
        found = sibling().execute(f"SELECT DISTINCT speaker_id FROM ({sql})", params).fetchall()
        return json.dumps([row[0] for row in found])

    def archive_matches(query: Any) -> str:
        words = _text(query)
        if words is None:
            return "[]"
        try:
            sql, params = matching_sql(Search(words))
            found = sibling().execute(sql, params).fetchall()
        except (ArchiveError, sqlite3.OperationalError):
            return "[]"
        return json.dumps([row[0] for row in found])

    conn.create_function("archive_search", -1, archive_search)
    conn.create_function("archive_matches", 1, archive_matches)
    conn.create_function("archive_speakers", 1, archive_speakers)
    conn.create_function("archive_trace", 1, archive_trace)
