"""Full-text search over statements: who said what, when, and where.

A query matches statement text (SQLite FTS5, Porter-stemmed) and speaker
names: ``Lavrov`` finds what Sergey Lavrov said as well as what others said of
him, his own words first. :func:`search_sql` returns the SQL and parameters
without running them, the twin of ``archive search --sql``.

What the words mean, script by script (English, Russian word forms, Chinese substrings),
is :mod:`.query_language`'s work; this module plans and runs the SQL. Queries holding Chinese
words take the plan of :func:`reference_sql` (every hit scored, then filtered and sorted).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from archive.exceptions import InvalidArgument, InvalidQuery
from archive.search.query_language import (
    CYRILLIC,
    FTS_OPERATORS,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    WORD,
    HanQuery,
    fts_query,
    han_query,
    han_snippet,
    has_han,
)

if TYPE_CHECKING:
    from sqlite_utils import Database  # imported lazily: 0.2 s of CLI start-up

#: Orders ``archive search`` offers: best match first, or newest first.
SORTS = ("rank", "date")

#: Rank given to statements found by their speaker's name: ahead of any text match.
SPEAKER_MATCH_RANK = -1e9

#: What ``--lang`` takes: the primary language subtag documents are stored with.
LANGUAGES = ("en", "ru", "zh")


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
    lang: str | None = None

    def __post_init__(self) -> None:
        if not self.query.strip():
            raise InvalidQuery("empty query; give words to search for, e.g. archive search Lavrov")
        if self.sort not in SORTS:
            raise InvalidArgument(f"unknown sort {self.sort!r}; use one of: {', '.join(SORTS)}")
        if self.limit < 1:
            raise InvalidArgument(f"--limit must be at least 1, not {self.limit}")
        self.since = _iso_date(self.since, "--since")
        self.until = _iso_date(self.until, "--until")
        self.lang = _language(self.lang)


def _language(value: str | None) -> str | None:
    if value is None:
        return None
    lang = value.strip().lower()
    if lang not in LANGUAGES:
        raise InvalidArgument(
            f"unknown language {value!r} for --lang; use one of: {', '.join(LANGUAGES)}"
        )
    return lang


def _iso_date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InvalidArgument(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None


def _name_words(text: str) -> list[str]:
    """The words of a name, Russian case forms read as the registry's person ("Лаврова")."""
    words = [w for w in WORD.findall(text) if w.upper() not in FTS_OPERATORS]
    if not CYRILLIC.search(text):
        return words
    from archive.identity.registry import default_registry

    registry = default_registry()
    named: list[str] = []
    for word in words:
        person = registry.lookup(word) if CYRILLIC.search(word) else None
        named.extend(person.name.split() if person else [word])
    return named


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


#: Rows of FTS5's own ``ORDER BY rank`` a rank search takes first. When filters or ties at
#: the window's edge leave the page unsure, the second run takes every hit: FTS5 computes
#: bm25 for every hit whatever the LIMIT, so a larger window would cost as much.
FIRST_WINDOW = 1000
#: A ``--speaker`` or a period with at most this many statements is searched among them alone.
AMONG_AT_MOST = 20_000
#: A date-sorted search walks statements newest first through the date index and tests
#: each for a text hit when hits are common (about ``hits**2 > limit * statements``);
#: with fewer hits it reads the hits and sorts them by date.
WALK = "walk"
HITS = "hits"
SPEAKER = "speaker"


def _filters(search: Search, params: dict[str, Any]) -> list[str]:
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
    if search.lang:
        # The extractors store the primary subtag ("zh"); a region ("zh-CN") is still that one.
        filters.append("(d.language = :lang OR d.language LIKE :lang_region)")
        params["lang"] = search.lang
        params["lang_region"] = f"{search.lang}-%"
    return filters


def _joins_documents(search: Search) -> bool:
    """Whether the filters read the document (``d``), not the statement alone."""
    return bool(search.source or search.lang)


def search_sql(
    search: Search,
    *,
    window: int = FIRST_WINDOW,
    plan: str = WALK,
    best: list[tuple[int, float]] | None = None,
    speaker_id: int | None = None,
    day_only: bool = False,
    ranked: list[tuple[int, float]] | None = None,
) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters that :func:`search` runs, for ``archive search --sql``.

    Results are those of :func:`reference_sql` (every hit ranked, then filtered and sorted),
    read with less work:

    - ``sort="rank"``: speaker-name hits (rank :data:`SPEAKER_MATCH_RANK`, first) come from
      the ``(speaker_id, date)`` index with the limit; text hits are the best ``:window``
      by bm25 (FTS5's rank), filtered afterwards. The last two columns tell
      :func:`search` whether the window held the whole page (see :func:`_window_is_enough`);
      if not it runs again with ``:window`` -1 (every hit).
    - ``best``: the text hits are these (id, rank) pairs, proven by :mod:`archive.search.top_k` to
      hold the page, and FTS5 scores nothing.
    - ``sort="date"``: the ``plan`` :data:`WALK` reads statements newest first and stops
      at the limit (plus the rest of the last day, whose order is by rank); :data:`SPEAKER`
      does the same through one speaker's statements (``speaker_id``, the ``--speaker``);
      :data:`HITS` reads all text hits by rowid and sorts them, for rare words. With
      ``day_only`` the SQL stops at the rows to show and whether each is a speaker hit;
      ``ranked`` then gives those rows with their ranks (:func:`archive.search.top_k.ranks_of`),
      and FTS5 scores nothing.

    A query holding Chinese words is :func:`reference_sql` itself: its hits come from
    several indexes, each read whole (see :class:`HanQuery`).
    """
    if has_han(search.query):
        return reference_sql(search)
    params: dict[str, Any] = {"query": fts_query(search.query), "limit": search.limit}
    people, people_params = _speaker_filter(_name_words(search.query), "q", people_only=True)
    params.update(people_params)
    filters = _filters(search, params)
    where = " AND ".join(filters) if filters else "1"
    join = " JOIN documents d ON d.id = st.document_id" if _joins_documents(search) else ""
    from_statements = f"FROM statements st{join}"
    # The named people's statements first, by the speaker index: with --source, the planner
    # would rather read every statement of the source (600 ms for a million).
    from_speakers = f"FROM statements st{join.replace(' JOIN ', ' CROSS JOIN ')}"
    # The date walk names its index: the planner would rather read every hit and sort.
    by_date = f"FROM statements st INDEXED BY idx_statements_date{join}"
    if search.sort == "rank":
        params["window"] = window
        # bm25 sorted by SQLite's sorter, which keeps only :window rows: FTS5's own
        # ORDER BY rank sorts every hit (cooperation: 510 -> 380 ms CPU). Same values.
        window_order = "\n    ORDER BY score LIMIT :window" if window >= 0 else ""
        scored = (
            _best_rows(best, params)
            if best is not None
            else f"""
    SELECT rowid AS id, bm25(statements_fts) AS score FROM statements_fts
    WHERE statements_fts MATCH :query{window_order}"""
        )
        hits = f"""
speaker_hits AS (
    SELECT st.id, {SPEAKER_MATCH_RANK} AS rank {from_speakers}
    WHERE st.speaker_id IN ({people}) AND {where}
    ORDER BY st.date DESC, st.id LIMIT :limit
),
text_window AS MATERIALIZED ({scored}
),
text_hits AS (
    SELECT st.id, w.score FROM text_window w JOIN statements st ON st.id = w.id
    {"JOIN documents d ON d.id = st.document_id" if _joins_documents(search) else ""}
    WHERE {where} AND (st.speaker_id IS NULL OR st.speaker_id NOT IN ({people}))
),
hits AS (SELECT * FROM speaker_hits UNION ALL SELECT * FROM text_hits),"""
        inner, order = "hits.rank, st.date DESC, st.id", "rank, date DESC, id"
        extra = (
            ",\n       (SELECT count(*) FROM text_window) AS window_rows,"
            "\n       (SELECT max(score) FROM text_window) AS window_last"
        )
    else:
        # The walks: newest first through an index, stopping at the limit.
        walk, walk_where = by_date, where
        if plan == SPEAKER:
            # One speaker's statements, newest first: the (speaker_id, date) index holds
            # them in that order; a few hundred FTS lookups for a speaker's common word.
            walk = f"FROM statements st INDEXED BY idx_statements_speaker_id_date{join}"
            walk_where = f"st.speaker_id = :speaker_id AND {where}"
            params["speaker_id"] = speaker_id
        if plan in (WALK, SPEAKER):
            # Newest first through the date index, each row looked up in the FTS index: a
            # few hundred lookups for a common word (an IN list would read every hit first).
            found = f"""
    SELECT st.id, st.date {walk}
    WHERE {walk_where} AND (st.speaker_id IN ({people}) OR EXISTS (
        SELECT 1 FROM statements_fts WHERE statements_fts MATCH :query AND rowid = st.id))
    ORDER BY st.date DESC LIMIT :limit"""
        else:
            found = f"""
    SELECT st.id, st.date FROM (
        SELECT rowid AS id FROM statements_fts WHERE statements_fts MATCH :query
        UNION SELECT id FROM statements WHERE speaker_id IN ({people})
    ) AS h JOIN statements st ON st.id = h.id
    {"JOIN documents d ON d.id = st.document_id" if _joins_documents(search) else ""}
    WHERE {where}
    ORDER BY st.date DESC LIMIT :limit"""
        # Within a day the order is by rank: take every hit of the page's last day (those of
        # later days are in the page already) and rank them: by top_k.ranks_of (day_only,
        # then ranked), or else with one FTS cursor over their rowid range (a cursor per row
        # would compute bm25's document frequencies again for each). A page short of the
        # limit holds every hit already: walking the dates again would test each statement
        # since its oldest (6.5 s for China --lang zh on a million statements).
        is_hit = (
            f"(st.speaker_id IN ({people}) OR EXISTS (SELECT 1 FROM statements_fts "
            "WHERE statements_fts MATCH :query AND rowid = st.id))"
        )
        by_speaker = f"st.speaker_id IN ({people}) AS by_speaker"
        page_and_day = f"""
page AS MATERIALIZED ({found}
),
day AS MATERIALIZED (
    SELECT st.id, {by_speaker} {walk}
    WHERE (SELECT count(*) FROM page) >= :limit AND {walk_where}
      AND st.date = (SELECT min(date) FROM page) AND {is_hit}
    UNION SELECT st.id, {by_speaker} FROM page JOIN statements st ON st.id = page.id
    UNION SELECT st.id, {by_speaker} {from_statements}
    WHERE (SELECT count(*) FROM page) >= :limit AND EXISTS (SELECT 1 FROM page WHERE date IS NULL)
      AND st.date IS NULL AND {walk_where} AND {is_hit}
),"""
        if day_only:
            return f"WITH{page_and_day.rstrip(',')}\nSELECT id, by_speaker FROM day", params
        hits = (
            page_and_day
            + f"""
ranked AS MATERIALIZED (
    SELECT rowid AS id, rank FROM statements_fts WHERE statements_fts MATCH :query
    AND rowid BETWEEN (SELECT min(id) FROM day) AND (SELECT max(id) FROM day)
),
hits AS (
    SELECT day.id, CASE WHEN day.by_speaker THEN {SPEAKER_MATCH_RANK} ELSE ranked.rank END
        AS rank
    FROM day LEFT JOIN ranked ON ranked.id = day.id
),"""
        )
        if ranked is not None:
            hits = f"""
hits AS (SELECT id, score AS rank FROM ({_best_rows(ranked, params)})
),"""
        inner, order = "st.date DESC, hits.rank, st.id", "date DESC, rank, id"
        extra = ""
    sql = f"""
WITH{hits}
shown AS (
    SELECT st.id, st.date, sp.name AS speaker, st.kind, st.role, st.text, d.title, d.url,
           d.source, d.removed, d.id AS document_id, hits.rank
    FROM hits
    JOIN statements st ON st.id = hits.id
    JOIN documents d ON d.id = st.document_id
    LEFT JOIN speakers sp ON sp.id = st.speaker_id
    ORDER BY {inner}
    LIMIT :limit
)
SELECT id, date, speaker, kind, role, text, title, url, source, removed,
       EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = shown.document_id
               AND v.version > 1) AS edited,
       (
           SELECT snippet(statements_fts, 0, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 24)
           FROM statements_fts WHERE statements_fts MATCH :query AND rowid = shown.id
       ) AS snippet,
       rank{extra}
FROM shown
ORDER BY {order}
"""
    return sql, params


def _best_rows(best: list[tuple[int, float]], params: dict[str, Any]) -> str:
    """``best`` as rows of (id, score), each value a parameter: a float keeps every bit."""
    if not best:
        return "\n    SELECT NULL AS id, NULL AS score WHERE 0"
    rows = []
    for i, (statement_id, rank) in enumerate(best):
        params[f"best_id{i}"], params[f"best_rank{i}"] = statement_id, rank
        rows.append(f"(:best_id{i}, :best_rank{i})")
    return "\n    SELECT column1 AS id, column2 AS score FROM (VALUES " + ", ".join(rows) + ")"


_REFERENCE_SNIPPET = f"""CASE WHEN matched THEN (
           SELECT snippet(statements_fts, 0, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 24)
           FROM statements_fts WHERE statements_fts MATCH {{query}} AND rowid = shown.id
       ) END"""


def reference_sql(search: Search) -> tuple[str, dict[str, Any]]:
    """The plain statement of a search: rank every hit, filter, sort. Slow on large archives;
    :func:`search_sql` must return the same rows in the same order (tests compare them)."""
    compiled = han_query(search.query)
    params: dict[str, Any] = {"limit": search.limit}
    if compiled is None:
        params = {"query": fts_query(search.query), "limit": search.limit}
        text_hits = """text_hits AS (
    SELECT rowid AS id, bm25(statements_fts) AS rank, 1 AS matched
    FROM statements_fts WHERE statements_fts MATCH :query
)"""
        snippet = _REFERENCE_SNIPPET.format(query=":query")
    else:
        text_hits = compiled.sql
        params.update(compiled.params)
        # Chinese words are highlighted by search() itself (han_snippet); English ones here.
        params["snippet_query"] = compiled.snippet_query()
        snippet = _REFERENCE_SNIPPET.format(query=":snippet_query")
        if not params["snippet_query"]:
            snippet, params["snippet_query"] = "NULL", None
    speaker_hits, speaker_params = _speaker_filter(_name_words(search.query), "q", people_only=True)
    params.update(speaker_params)
    filters = _filters(search, params)
    where = ("WHERE " + " AND ".join(filters)) if filters else ""
    inner = (
        "hits.rank, st.date DESC, st.id"
        if search.sort == "rank"
        else "st.date DESC, hits.rank, st.id"
    )
    order = "rank, date DESC, id" if search.sort == "rank" else "date DESC, rank, id"
    sql = f"""
WITH {text_hits},
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
       {snippet} AS snippet,
       rank
FROM shown
ORDER BY {order}
"""
    return sql, params


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


def _single_speaker(db: Database, search: Search) -> int | None:
    """The one speaker ``--speaker`` names, or None (none, or several)."""
    if not search.speaker:
        return None
    speakers, params = _speaker_filter(_name_words(search.speaker), "s")
    found = db.execute(f"SELECT DISTINCT speaker_id FROM ({speakers}) LIMIT 2", params).fetchall()
    return found[0][0] if len(found) == 1 else None


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
    speakers, params = _speaker_filter(_name_words(search.speaker), "s")
    said = db.execute(
        f"SELECT count(*) FROM statements WHERE speaker_id IN ({speakers})", params
    ).fetchone()[0]
    if not said:
        return 0
    total = db.execute("SELECT max(rowid) FROM statements").fetchone()[0] or said
    window = max(FIRST_WINDOW, 4 * search.limit * total // said)
    return window if window < _hit_count(db, fts_query(search.query)) else -1


def _run_han(db: Database, search: Search, han: HanQuery) -> list[dict[str, Any]]:
    """A query holding Chinese words: the reference plan, every hit of each index scored.

    Reading every hit is what the trigram index and the trigram vocabulary give anyway (no
    ``ORDER BY rank LIMIT`` to stop early), and Chinese hits are a share of the archive.
    """
    for query in han.porter_queries:  # parsed here: the compound SELECT may open no cursor
        db.execute(
            "SELECT rowid FROM statements_fts WHERE statements_fts MATCH ? LIMIT 1", [query]
        ).fetchall()
    sql, params = reference_sql(search)
    return records(db.execute(sql, params))


def _run(db: Database, search: Search) -> list[dict[str, Any]]:
    han = han_query(search.query)
    if han is not None:
        return _run_han(db, search, han)
    # FTS5 parses the query when a cursor opens. The plans below may open none (a page filled
    # by the speaker index, an unknown --speaker) or test speakers first: parse it here, so a
    # malformed query is always InvalidQuery, as with the reference query.
    db.execute(
        "SELECT rowid FROM statements_fts WHERE statements_fts MATCH ? LIMIT 1",
        [fts_query(search.query)],
    ).fetchall()
    if search.sort == "date":
        plan, speaker_id = _plan(db, search, fts_query(search.query)), None
        if plan == SPEAKER and (speaker_id := _single_speaker(db, search)) is None:
            plan = HITS  # several people answer to the name: their statements, sorted
        return _run_by_date(db, search, plan, speaker_id)
    if _names_people(db, search):
        # "Zhao Lijian": when what the people named said fills the page, no text hit can
        # rank before it; a window of 0 reads the speaker index alone.
        sql, params = search_sql(search, window=0)
        rows = records(db.execute(sql, params))
        if _window_is_enough(rows, 0, search.limit):
            return _without_window(rows)
    best = None if _other_language(search) else _best_hits(db, search)
    if best is not None:
        sql, params = search_sql(search, window=-1, best=best)
        return _without_window(records(db.execute(sql, params)))
    window = _first_window(db, search)
    if window == 0:
        return []
    if _other_language(search):
        window = -1
    while True:
        sql, params = search_sql(search, window=window)
        rows = records(db.execute(sql, params))
        if _window_is_enough(rows, window, search.limit):
            break
        if not rows and _hit_count(db, params["query"]) <= window:
            break
        window = -1
    return _without_window(rows)


def _best_hits(db: Database, search: Search) -> list[tuple[int, float]] | None:
    """The page's text hits from the impact lists (:mod:`archive.search.top_k`), or None."""
    from archive.search.top_k import best_hits, hits_among

    params: dict[str, Any] = {}
    people, people_params = _speaker_filter(_name_words(search.query), "q", people_only=True)
    params.update(people_params)
    where = " AND ".join(_filters(search, params)) or "1"
    join = " JOIN documents d ON d.id = st.document_id" if _joins_documents(search) else ""
    # The named people's statements are speaker hits, ranked apart; none named, none left out.
    named = _names_people(db, search)
    restrict = (
        f"SELECT st.id FROM statements st{join} "
        f"WHERE st.id IN (SELECT value FROM json_each(:ids)) AND {where}"
        + (f" AND (st.speaker_id IS NULL OR st.speaker_id NOT IN ({people}))" if named else "")
    )
    restricted = (restrict, params)
    among = _few_statements(db, search)
    if among is not None:
        return hits_among(db, search.query, among, limit=search.limit, restrict=restricted)
    return best_hits(db, search.query, limit=search.limit, restrict=restricted)


def _few_statements(db: Database, search: Search) -> list[int] | None:
    """The statements a ``--speaker`` or a period leaves, if at most :data:`AMONG_AT_MOST`.

    Both read an index (``(speaker_id, date)``, ``date``); among so few, every hit can be
    scored, where a common word's impact list may hold too few of them to prove a page.
    """
    sources: list[tuple[str, dict[str, Any]]] = []
    if search.speaker:
        speakers, params = _speaker_filter(_name_words(search.speaker), "s")
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


def _names_people(db: Database, search: Search) -> bool:
    people, params = _speaker_filter(_name_words(search.query), "q", people_only=True)
    return db.execute(f"SELECT EXISTS ({people})", params).fetchone()[0] == 1


def search(db: Database, search: Search) -> list[dict[str, Any]]:
    """Statements matching ``search``: dicts of id, date, speaker, kind, text, title, url, source.

    Raises:
        InvalidQuery: the full-text engine cannot parse the query.
    """
    try:
        with _snapshot(db):
            rows = _run(db, search)
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
                f"cannot search for {search.query!r}: {message.removeprefix('fts5: ')}; "
                'put a phrase in double quotes, e.g. "one-China principle"'
            ) from None
        raise
    han_terms = han.han_terms if (han := han_query(search.query)) else []
    for row in rows:
        row["edited"] = bool(row["edited"])
        if han_terms:
            row["snippet"] = han_snippet(row["text"], han_terms) or row["snippet"]
        if not row["snippet"]:
            row["snippet"] = _lead(row["text"])
    return rows


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
