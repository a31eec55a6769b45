"""Full-text search over statements: who said what, when, and where.

A query matches statement text (SQLite FTS5, Porter-stemmed) and speaker
names: ``Lavrov`` finds what Sergey Lavrov said as well as what others said of
him, his own words first.

What the words mean, script by script (English, Russian word forms, Chinese substrings),
is :mod:`.query_language`'s work; the SQL of each plan is :mod:`.sql`'s
(:func:`~.sql.search_sql` returns it without running it, the twin of ``archive search
--sql``). This module validates the request, picks the plan and runs it, again when a
first window of hits proves too small. Queries holding Chinese words take the plan of
:func:`~.sql.reference_sql` (every hit scored, then filtered and sorted), unless the
trigrams' impact lists prove the page of a common word of 3+ characters.
"""

from __future__ import annotations

import calendar
import dataclasses
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from archive.exceptions import InvalidArgument, InvalidQuery
from archive.search.query_language import (
    CYRILLIC,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    HanQuery,
    fts_query,
    han_query,
    han_snippet,
    shown,
)
from archive.search.rank_lists import TRIGRAMS, WORDS, Index
from archive.search.sql import (
    FIRST_WINDOW,
    HITS,
    MAX_NAMED_WALKS,
    SPEAKER,
    SPEAKER_MATCH_RANK,
    WALK,
    filter_conditions,
    joins_documents,
    matching_sql,
    name_words,
    reference_sql,
    search_sql,
    speaker_filter,
)

if TYPE_CHECKING:
    from sqlite_utils import Database  # imported lazily: 0.2 s of CLI start-up

#: Orders ``archive search`` offers: best match first, newest first (``date``, also called
#: ``newest``), oldest first.
SORTS = ("rank", "date", "newest", "oldest")

#: What a statement's ``kind`` may be, for ``--kind``.
KINDS = ("remark", "answer", "question", "quote", "report")


#: What ``--lang`` takes: the primary language subtag documents are stored with.
LANGUAGES = ("en", "ru", "zh")


@dataclass
class Search:
    """What ``archive search`` was asked, validated.

    ``limit`` 0 means every match; ``offset`` skips that many of the first ones (the next
    page). ``since`` and ``until`` take a day, a month (``2019-05``) or a year (``2019``):
    the first day of it for ``since``, the last for ``until``.
    """

    query: str
    speaker: str | None = None
    source: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int = 20
    sort: str = "rank"
    lang: str | None = None
    offset: int = 0
    kind: str | None = None

    def __post_init__(self) -> None:
        if not self.query.strip():
            raise InvalidQuery("empty query; give words to search for, e.g. archive search Lavrov")
        if self.sort not in SORTS:
            raise InvalidArgument(f"unknown sort {self.sort!r}; use one of: {', '.join(SORTS)}")
        if self.sort == "newest":
            self.sort = "date"
        if self.limit < 0:
            raise InvalidArgument(f"--limit must be 0 (all) or more, not {self.limit}")
        if self.offset < 0:
            raise InvalidArgument(f"--offset must be 0 or more, not {self.offset}")
        if self.kind is not None and self.kind not in KINDS:
            raise InvalidArgument(f"unknown kind {self.kind!r}; use one of: {', '.join(KINDS)}")
        self.since = iso_date(self.since, "--since")
        self.until = iso_date(self.until, "--until", end=True)
        self.lang = parse_language(self.lang)


def parse_language(value: str | None) -> str | None:
    if value is None:
        return None
    lang = value.strip().lower()
    if lang not in LANGUAGES:
        raise InvalidArgument(
            f"unknown language {value!r} for --lang; use one of: {', '.join(LANGUAGES)}"
        )
    return lang


def iso_date(value: str | None, option: str, *, end: bool = False) -> str | None:
    """A day (``YYYY-MM-DD``) from a day, a month (``YYYY-MM``) or a year (``YYYY``): the
    first day of a month or year, or its last with ``end`` (what ``--until 2019-05`` means).

    Raises:
        InvalidArgument: naming ``option``, when ``value`` is none of the three.
    """
    if value is None:
        return None
    text = value.strip()
    try:
        if len(text) == 4 and text.isdigit():
            return f"{text}-12-31" if end else f"{text}-01-01"
        if len(text) == 7 and text[4] == "-":
            year, month = int(text[:4]), int(text[5:])
            day = calendar.monthrange(year, month)[1] if end else 1
            return date(year, month, day).isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise InvalidArgument(
            f"{option} {value!r} is not a date; use YYYY-MM-DD, YYYY-MM (a month) or YYYY"
        ) from None


#: A ``--speaker`` or a period with at most this many statements is searched among them alone.
AMONG_AT_MOST = 20_000


def _window_is_enough(rows: list[dict[str, Any]], window: int, limit: int) -> bool:
    """Whether a rank search's text window held every row the page needs.

    Rows past the window rank at or after its last row: the page is exact when the window
    held every hit, or when the page is full and its text hits all rank strictly before
    that last row (ties at the edge may continue past it).
    """
    if window < 0 or (rows and rows[0]["window_rows"] < window):
        return True
    if not rows:  # every windowed hit was filtered out, or there were none
        return False
    last = rows[0]["window_last"]
    return len(rows) >= limit and all(
        r["rank"] == SPEAKER_MATCH_RANK or (last is not None and r["rank"] < last) for r in rows
    )


def _hit_count(db: Database, query: str) -> int:
    # FTS5 counts a term's hits from its doclist alone: ~10 ms for 200,000 hits.
    sql = "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH ?"
    return db.execute(sql, [query]).fetchone()[0]


def _plan(db: Database, search: Search, query: str) -> str:
    """:data:`WALK` when text hits are common enough that walking by date stops early."""
    if search.speaker:
        return SPEAKER  # the speaker's statements by the (speaker_id, date) index are fewer
    if _other_language(search):
        return HITS  # few hits pass: the walk would test nearly every statement (33 s)
    hits = _hit_count(db, query)
    total = db.execute("SELECT max(rowid) FROM statements").fetchone()[0] or 0
    return WALK if hits * hits > search.limit * total else HITS


def _run_by_date(
    db: Database, search: Search, plan: str, speaker_id: int | None
) -> list[dict[str, Any]]:
    """A date-sorted search: the rows to show first, then their ranks from
    :func:`archive.search.top_k.ranks_of` (an FTS5 cursor over their rowid range would score every
    hit between the oldest and the newest), else the one-statement plan."""
    from archive.search.top_k import ranks_of

    if plan != HITS:
        sql, params = search_sql(search, plan=plan, speaker_id=speaker_id, day_only=True)
        day = db.execute(sql, params).fetchall()
        text_hits = [statement_id for statement_id, by_speaker in day if not by_speaker]
        ranks = ranks_of(db, search.query, text_hits)
        if ranks is not None:
            ranked = [(i, SPEAKER_MATCH_RANK if by else ranks[i]) for i, by in day]
            sql, params = search_sql(search, plan=plan, speaker_id=speaker_id, ranked=ranked)
            return records(db.execute(sql, params))
    sql, params = search_sql(search, plan=plan, speaker_id=speaker_id)
    return records(db.execute(sql, params))


def _speaker_ids(
    db: Database, words: list[str], prefix: str, *, people_only: bool = False, at_most: int = 2
) -> list[int]:
    """The ids of the speakers ``words`` name, ``at_most`` of them: two are enough to tell
    none, one or several (:func:`~archive.search.sql.speaker_filter`)."""
    speakers, params = speaker_filter(words, prefix, people_only=people_only)
    found = db.execute(f"SELECT DISTINCT speaker_id FROM ({speakers}) LIMIT {int(at_most)}", params)
    return [row[0] for row in found]


def _single_speaker(db: Database, search: Search) -> int | None:
    """The one speaker ``--speaker`` names, or None (none, or several)."""
    found = _speaker_ids(db, name_words(search.speaker), "s") if search.speaker else []
    return found[0] if len(found) == 1 else None


def _named_people(db: Database, search: Search, *, at_most: int) -> list[int]:
    """The people the query's words name ("Geng Shuang"), ``at_most`` of them."""
    return _speaker_ids(db, name_words(search.query), "q", people_only=True, at_most=at_most)


def _other_language(search: Search) -> bool:
    """Whether ``--lang`` names another language than the query's script (Latin words with
    ``--lang zh``): words and languages go together, so such a filter lets few hits through
    and no window of the best hits is likely to hold a page of them."""
    if not search.lang:
        return False
    return search.lang != ("ru" if CYRILLIC.search(search.query) else "en")


def _first_window(db: Database, search: Search) -> int:
    """The first window of a rank search: larger when ``--speaker`` lets few hits through.

    A window that ends up too small costs a whole second pass of bm25 over every hit; the
    speaker's share of all statements (read from the ``(speaker_id, date)`` index) tells
    how many hits the window needs. 0: the speaker said nothing, so nothing can be found.
    """
    if not search.speaker:
        return FIRST_WINDOW
    speakers, params = speaker_filter(name_words(search.speaker), "s")
    said = db.execute(
        f"SELECT count(*) FROM statements WHERE speaker_id IN ({speakers})", params
    ).fetchone()[0]
    if not said:
        return 0
    total = db.execute("SELECT max(rowid) FROM statements").fetchone()[0] or said
    window = max(FIRST_WINDOW, 4 * search.limit * total // said)
    return window if window < _hit_count(db, fts_query(search.query)) else -1


def _run_han(db: Database, search: Search, han: HanQuery) -> list[dict[str, Any]]:
    """A query holding Chinese words: a page proven from the trigrams' impact lists (one or
    two words of 3+ characters, by rank), else the reference plan, every hit of each index
    scored: reading every hit is what the trigram index and the trigram vocabulary give
    (no ``ORDER BY rank LIMIT`` to stop early).
    """
    check_query(db, search)  # parsed here: the compound SELECT may open no cursor
    if search.sort == "rank":
        # A common word of 3+ characters: the trigrams' impact lists may prove the page.
        named = bool(_named_people(db, search, at_most=1))
        best = _best_hits(db, search, named=named, index=TRIGRAMS)
        if best is not None:
            sql, params = reference_sql(search, best=best)
            return records(db.execute(sql, params))
    sql, params = reference_sql(search, prelimit=True)
    return records(db.execute(sql, params))


def _run(db: Database, search: Search) -> list[dict[str, Any]]:
    han = han_query(search.query)
    if han is not None:
        return _run_han(db, search, han)
    if search.sort == "oldest":  # no plan walks the dates upward: every hit scored, then sorted
        sql, params = reference_sql(search)
        return records(db.execute(sql, params))
    # FTS5 parses the query when a cursor opens. The plans below may open none (a page filled
    # by the speaker index, an unknown --speaker) or test speakers first: parse it here, so a
    # malformed query is always InvalidQuery, as with the reference query.
    check_query(db, search)
    if search.sort == "date":
        plan, speaker_id = _plan(db, search, fts_query(search.query)), None
        if plan == SPEAKER and (speaker_id := _single_speaker(db, search)) is None:
            plan = HITS  # several people answer to the name: their statements, sorted
        return _run_by_date(db, search, plan, speaker_id)
    people = _named_people(db, search, at_most=MAX_NAMED_WALKS + 1)
    walked = people if len(people) <= MAX_NAMED_WALKS else []
    if people:
        # "Zhao Lijian": when what the people named said fills the page, no text hit can
        # rank before it; a window of 0 reads the speaker index alone.
        sql, params = search_sql(search, window=0, named_ids=walked)
        rows = records(db.execute(sql, params))
        if _window_is_enough(rows, 0, search.limit):
            return _without_window(rows)
    best = None if _other_language(search) else _best_hits(db, search, named=bool(people))
    if best is not None:
        sql, params = search_sql(search, window=-1, best=best, named_ids=walked)
        return _without_window(records(db.execute(sql, params)))
    window = _first_window(db, search)
    if window == 0:
        return []
    if _other_language(search):
        window = -1
    while True:
        sql, params = search_sql(search, window=window, named_ids=walked)
        rows = records(db.execute(sql, params))
        if _window_is_enough(rows, window, search.limit):
            break
        if not rows and _hit_count(db, params["query"]) <= window:
            break
        window = -1
    return _without_window(rows)


def _best_hits(
    db: Database, search: Search, *, named: bool, index: Index = WORDS
) -> list[tuple[int, float]] | None:
    """The page's text hits from the impact lists (:mod:`archive.search.top_k`) of
    ``index``, or None; ``named``: the query names people, whose statements are speaker
    hits, ranked apart."""
    from archive.search.top_k import best_hits, hits_among

    params: dict[str, Any] = {}
    people, people_params = speaker_filter(name_words(search.query), "q", people_only=True)
    params.update(people_params)
    where = " AND ".join(filter_conditions(search, params)) or "1"
    join = " JOIN documents d ON d.id = st.document_id" if joins_documents(search) else ""
    # The named people's statements are speaker hits, ranked apart; none named, none left out.
    restrict = (
        f"SELECT st.id FROM statements st{join} "
        f"WHERE st.id IN (SELECT value FROM json_each(:ids)) AND {where}"
        + (f" AND (st.speaker_id IS NULL OR st.speaker_id NOT IN ({people}))" if named else "")
    )
    restricted = (restrict, params)
    among = _few_statements(db, search)
    if among is not None:
        return hits_among(
            db, search.query, among, limit=search.limit, restrict=restricted, index=index
        )
    return best_hits(db, search.query, limit=search.limit, restrict=restricted, index=index)


def _few_statements(db: Database, search: Search) -> list[int] | None:
    """The statements a ``--speaker`` or a period leaves, if at most :data:`AMONG_AT_MOST`.

    Both read an index (``(speaker_id, date)``, ``date``); among so few, every hit can be
    scored, where a common word's impact list may hold too few of them to prove a page.
    """
    sources: list[tuple[str, dict[str, Any]]] = []
    if search.speaker:
        speakers, params = speaker_filter(name_words(search.speaker), "s")
        sources.append((f"speaker_id IN ({speakers})", params))
    if search.since or search.until:
        since, until = search.since or "", search.until or "9999"
        sources.append(("date >= :since AND date <= :until", {"since": since, "until": until}))
    for condition, params in sources:
        few = db.execute(
            f"SELECT count(*) <= :most FROM (SELECT 1 FROM statements WHERE {condition} "
            "LIMIT :most + 1)",
            {**params, "most": AMONG_AT_MOST},
        ).fetchone()[0]
        if few:
            sql = f"SELECT id FROM statements WHERE {condition}"
            return [row[0] for row in db.execute(sql, params)]
    return None


def _without_window(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        del row["window_rows"], row["window_last"]
    return rows


def check_query(db: Database, search: Search) -> None:
    """Have FTS5 parse the query's word-index parts now: it does only when a cursor opens.

    Raises:
        InvalidQuery: the full-text engine cannot parse the query.
    """
    han = han_query(search.query)
    with _query_errors(search):
        for query in han.porter_queries if han else [fts_query(search.query)]:
            db.execute(
                "SELECT rowid FROM statements_fts WHERE statements_fts MATCH ? LIMIT 1", [query]
            ).fetchall()


def snippet(db: Database, query: str, statement_id: int, text: str) -> str:
    """The part of a statement that matches ``query``, its words between the highlight marks,
    as ``archive search`` shows it (the first words when only the speaker matched)."""
    han = han_query(query)
    if han is not None and han.han_terms:
        found = han_snippet(text, han.han_terms)
        if found:
            return found
    words = han.snippet_query() if han is not None else fts_query(query)
    if words:
        row = db.execute(
            f"SELECT snippet(statements_fts, 0, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 24) "
            "FROM statements_fts WHERE statements_fts MATCH ? AND rowid = ?",
            [words, statement_id],
        ).fetchone()
        if row and row[0]:
            return row[0]
    return _lead(text)


def count_matches(db: Database, search: Search) -> int:
    """How many statements ``search`` finds in all: every page of it, limit and offset aside.

    Raises:
        InvalidQuery: the full-text engine cannot parse the query.
    """
    sql, params = matching_sql(search)
    with _query_errors(search):
        return db.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0]


def search(db: Database, search: Search) -> list[dict[str, Any]]:
    """Statements matching ``search``: dicts of id, date, speaker, kind, text, title, url,
    source, document_id, language, archived (when the archive first fetched the page) and
    retrieved (when it last did), the page ``offset`` and ``limit`` select.

    Raises:
        InvalidQuery: the full-text engine cannot parse the query.
    """
    with _query_errors(search), _snapshot(db):
        if search.offset or not search.limit:
            # A later page: the first ones and this one, ranked together, then cut.
            wanted = search.offset + search.limit if search.limit else count_matches(db, search)
            whole = dataclasses.replace(search, limit=max(wanted, 1), offset=0)
            rows = _run(db, whole)[search.offset :]
        else:
            rows = _run(db, search)
    return _finished(rows, search)


def reference(db: Database, search: Search) -> list[dict[str, Any]]:
    """What :func:`search` returns, read with the plain reference query instead
    (:func:`~.sql.reference_sql`: every hit ranked, then filtered and sorted). Slow on a large
    archive: the tests and ``bench/search.py`` check that every page equals it."""
    sql, params = reference_sql(search)
    return _finished(records(db.execute(sql, params)), search)


def _finished(rows: list[dict[str, Any]], search: Search) -> list[dict[str, Any]]:
    """Rows as the CLI shows them: ``edited`` a boolean, a snippet for every row."""
    han_terms = han.han_terms if (han := han_query(search.query)) else []
    for row in rows:
        row["edited"] = bool(row["edited"])
        if han_terms:
            row["snippet"] = han_snippet(row["text"], han_terms) or row["snippet"]
        if not row["snippet"]:
            row["snippet"] = _lead(row["text"])
    return rows


@contextmanager
def _query_errors(search: Search) -> Iterator[None]:
    """FTS5's complaints about a query as :class:`InvalidQuery`, with the next step."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        message = str(exc)
        # "unknown special query": a lone * (FTS5 reads "*..." as a special query);
        # "unterminated string": a NUL inside a phrase ends FTS5's reading of the query.
        if any(
            part in message
            for part in (
                "fts5",
                "no such column",
                "syntax",
                "unknown special query",
                "MATCH",
                "unterminated string",
            )
        ):
            raise InvalidQuery(
                f"cannot search for {shown(search.query)}: {message.removeprefix('fts5: ')}; "
                'put a phrase in double quotes, e.g. "one-China principle"'
            ) from None
        raise


@contextmanager
def _snapshot(db: Database) -> Iterator[None]:
    """One read transaction for the whole search: its queries (impact lists, then the FTS
    index) see the archive as of one moment, even while ``archive link`` replaces the lists."""
    conn = getattr(db, "conn", db)
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("COMMIT")


def _lead(text: str, words: int = 24) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def records(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    """Rows of a cursor as dicts keyed by column name."""
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
