"""The SQL of a search, written but not run: each plan of :mod:`.engine` as one statement.

:func:`search_sql` returns the SQL and parameters of a plan (the twin of ``archive search
--sql``), :func:`reference_sql` the plain statement that every plan must agree with.
Which plan runs, and how often, is the engine's choice; what the words of a query mean is
:mod:`.query_language`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from archive.identity.places import doubtful_name
from archive.search.query_language import (
    CYRILLIC,
    FTS_OPERATORS,
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    WORD,
    fts_query,
    han_query,
    has_han,
)

if TYPE_CHECKING:
    from archive.search.engine import Search

#: Rank given to statements found by their speaker's name: ahead of any text match.
SPEAKER_MATCH_RANK = -1e9

#: Rows of FTS5's own ``ORDER BY rank`` a rank search takes first. When filters or ties at
#: the window's edge leave the page unsure, the second run takes every hit: FTS5 computes
#: bm25 for every hit whatever the LIMIT, so a larger window would cost as much.
FIRST_WINDOW = 1000
#: A date-sorted search walks statements newest first through the date index and tests
#: each for a text hit when hits are common (about ``hits**2 > limit * statements``);
#: with fewer hits it reads the hits and sorts them by date.
WALK = "walk"
HITS = "hits"
SPEAKER = "speaker"


def name_words(text: str) -> list[str]:
    """The words of a name, Russian case forms read as the registry's person ("Лаврова")."""
    words = [w for w in WORD.findall(text) if w.upper() not in FTS_OPERATORS]
    if not CYRILLIC.search(text):
        return words
    from archive.identity.registry import default_registry

    registry = default_registry()
    whole = registry.lookup(" ".join(words))  # "Владимир Путин": the person, not two lookups
    if whole is not None:
        return whole.name.split()
    named: list[str] = []
    for word in words:
        person = registry.lookup(word) if CYRILLIC.search(word) else None
        named.extend(person.name.split() if person else [word])
    return named


def speaker_filter(
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
        # Initials, commas and apostrophes are word boundaries, as in the words searched for:
        # "J" finds "Antony J. Blinken", "Spokesperson's Office" the office of that name.
        conditions.append(
            f"(' ' || replace(replace(replace(alias, '.', ' '), ',', ' '), '''', ' ') || ' ')"
            f" LIKE :{key}"
        )
        params[key] = f"% {word} %"
    if people_only:
        conditions.append("speaker_id IN (SELECT id FROM speakers WHERE kind = 'person')")
    # "Xinjiang", "China", "Indeed": a person of that name is an extraction artefact, whose
    # statements must not outrank the real ones that mention it.
    doubtful = people_only and doubtful_name(" ".join(words)) is not None
    where = " AND ".join(conditions) if words and not doubtful else "0"
    return f"SELECT speaker_id FROM speaker_aliases WHERE {where}", params


def filter_conditions(search: Search, params: dict[str, Any]) -> list[str]:
    filters = []
    if search.speaker:
        speaker_sql, speaker_params = speaker_filter(name_words(search.speaker), "s")
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
    if search.kind:
        filters.append("st.kind = :kind")
        params["kind"] = search.kind
    if search.lang:
        # The extractors store the primary subtag ("zh"); a region ("zh-CN") is still that one.
        filters.append("(d.language = :lang OR d.language LIKE :lang_region)")
        params["lang"] = search.lang
        params["lang_region"] = f"{search.lang}-%"
    return filters


def joins_documents(search: Search) -> bool:
    """Whether the filters read the document (``d``), not the statement alone."""
    return bool(search.source or search.lang)


#: People named by a query whose statements are walked one by one (a name given to several
#: records: "Putin" is Vladimir Putin, and "Vladmir Putin" as a page misspelt him).
MAX_NAMED_WALKS = 8


def _speaker_hits(
    named_ids: Sequence[int], people: str, source: str, where: str, params: dict[str, Any]
) -> str:
    """The newest statements of the people the query names, :data:`SPEAKER_MATCH_RANK` each.

    Per person, newest first through the ``(speaker_id, date)`` index, at most the limit
    each: the newest of all of them are among those. ``IN`` over several people reads all
    their statements and sorts them (Putin since 2020: a tenth of a second at ten million).
    """
    if not named_ids or len(named_ids) > MAX_NAMED_WALKS:
        return f"""
    SELECT st.id, {SPEAKER_MATCH_RANK} AS rank {source}
    WHERE st.speaker_id IN ({people}) AND {where}
    ORDER BY st.date DESC, st.id LIMIT :limit"""
    walks = []
    for k, person in enumerate(named_ids):
        params[f"named_{k}"] = person
        walks.append(
            f"SELECT * FROM (SELECT st.id, st.date {source} WHERE st.speaker_id = :named_{k} "
            f"AND {where} ORDER BY st.date DESC, st.id LIMIT :limit)"
        )
    union = "\n        UNION ALL ".join(walks)
    return f"""
    SELECT id, {SPEAKER_MATCH_RANK} AS rank FROM (
        {union}
    ) ORDER BY date DESC, id LIMIT :limit"""


def search_sql(
    search: Search,
    *,
    window: int = FIRST_WINDOW,
    plan: str = WALK,
    best: list[tuple[int, float]] | None = None,
    speaker_id: int | None = None,
    day_only: bool = False,
    ranked: list[tuple[int, float]] | None = None,
    named_ids: Sequence[int] = (),
) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters that :func:`~.engine.search` runs, for ``archive search --sql``.

    Results are those of :func:`reference_sql` (every hit ranked, then filtered and sorted),
    read with less work:

    - ``sort="rank"``: speaker-name hits (rank :data:`SPEAKER_MATCH_RANK`, first) come from
      the ``(speaker_id, date)`` index with the limit (``named_ids``: the people the
      query names, at most :data:`MAX_NAMED_WALKS`, whose statements that index gives
      newest first, person by person, so that the limit stops each walk instead of a sort
      of all of them); text hits are the best ``:window``
      by bm25 (FTS5's rank), filtered afterwards. The last two columns tell
      :func:`~.engine.search` whether the window held the whole page (see
      :func:`~.engine._window_is_enough`); if not it runs again with ``:window`` -1 (every
      hit).
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
    several indexes, each read whole (see :class:`~.query_language.HanQuery`); so is
    ``sort="oldest"``, which no index of the plans above walks.
    """
    if has_han(search.query) or search.sort == "oldest":
        return reference_sql(search)
    params: dict[str, Any] = {"query": fts_query(search.query), "limit": search.limit}
    people, people_params = speaker_filter(name_words(search.query), "q", people_only=True)
    params.update(people_params)
    filters = filter_conditions(search, params)
    where = " AND ".join(filters) if filters else "1"
    join = " JOIN documents d ON d.id = st.document_id" if joins_documents(search) else ""
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
speaker_hits AS ({_speaker_hits(named_ids, people, from_speakers, where, params)}
),
text_window AS MATERIALIZED ({scored}
),
text_hits AS (
    SELECT st.id, w.score FROM text_window w JOIN statements st ON st.id = w.id
    {"JOIN documents d ON d.id = st.document_id" if joins_documents(search) else ""}
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
    {"JOIN documents d ON d.id = st.document_id" if joins_documents(search) else ""}
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
           d.source, d.removed, d.id AS document_id, d.language,
           d.first_fetched AS archived, d.fetched AS retrieved, hits.rank
    FROM hits
    JOIN statements st ON st.id = hits.id
    JOIN documents d ON d.id = st.document_id
    LEFT JOIN speakers sp ON sp.id = st.speaker_id
    ORDER BY {inner}
    LIMIT :limit
)
SELECT id, date, speaker, kind, role, text, title, url, source, removed, document_id,
       language, archived, retrieved,
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


#: ORDER BY of the ``shown`` rows and of the result, per sort. Oldest first keeps the
#: undated last, as newest first does (SQLite puts NULL first in ascending order).
_ORDERS = {
    "rank": ("hits.rank, st.date DESC, st.id", "rank, date DESC, id"),
    "date": ("st.date DESC, hits.rank, st.id", "date DESC, rank, id"),
    "oldest": ("st.date IS NULL, st.date, hits.rank, st.id", "date IS NULL, date, rank, id"),
}


_REFERENCE_SNIPPET = f"""CASE WHEN matched THEN (
           SELECT snippet(statements_fts, 0, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 24)
           FROM statements_fts WHERE statements_fts MATCH {{query}} AND rowid = shown.id
       ) END"""


def reference_sql(
    search: Search, *, prelimit: bool = False, best: list[tuple[int, float]] | None = None
) -> tuple[str, dict[str, Any]]:
    """The plain statement of a search: rank every hit, filter, sort. Slow on large archives;
    :func:`search_sql` must return the same rows in the same order (tests compare them).

    ``prelimit``: with no filter and the rank order, only the hits ranked as well as the
    page's last one (ties kept, so the date and id that break them still decide) are joined
    to their statements and documents, instead of every hit: the same rows, for the Chinese
    plan, which scores every hit (:func:`~archive.search.engine.search`). ``best``: the text
    hits are these (id, rank) pairs, proven by :mod:`archive.search.top_k` to hold the page
    (the Chinese plan of a common word), and FTS5 scores nothing.
    """
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
        if best is not None:
            text_hits = (
                "text_hits AS (\n    SELECT id, score AS rank, 1 AS matched FROM ("
                + _best_rows(best, params)
                + "\n    )\n)"
            )
    speaker_hits, speaker_params = speaker_filter(name_words(search.query), "q", people_only=True)
    params.update(speaker_params)
    filters = filter_conditions(search, params)
    where = ("WHERE " + " AND ".join(filters)) if filters else ""
    inner, order = _ORDERS[search.sort]
    ranked = "hits"
    if prelimit and not filters and search.sort == "rank" and search.limit:
        ranked = """(SELECT * FROM hits WHERE rank <= coalesce(
        (SELECT rank FROM hits ORDER BY rank LIMIT 1 OFFSET :limit - 1), 1e308)) AS hits"""
    sql = f"""
WITH {text_hits},
speaker_hits AS (
    SELECT id, {SPEAKER_MATCH_RANK} AS rank, 0 AS matched FROM statements
    WHERE speaker_id IN ({speaker_hits})
),
hits AS MATERIALIZED (
    SELECT id, min(rank) AS rank, max(matched) AS matched
    FROM (SELECT * FROM text_hits UNION ALL SELECT * FROM speaker_hits) GROUP BY id
),
shown AS (
    SELECT st.id, st.date, sp.name AS speaker, st.kind, st.role, st.text, d.title, d.url,
           d.source, d.removed, d.id AS document_id, d.language,
           d.first_fetched AS archived, d.fetched AS retrieved, hits.rank, hits.matched
    FROM {ranked}
    JOIN statements st ON st.id = hits.id
    JOIN documents d ON d.id = st.document_id
    LEFT JOIN speakers sp ON sp.id = st.speaker_id
    {where}
    ORDER BY {inner}
    LIMIT :limit
)
SELECT id, date, speaker, kind, role, text, title, url, source, removed, document_id,
       language, archived, retrieved,
       EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = shown.document_id
               AND v.version > 1) AS edited,
       {snippet} AS snippet,
       rank
FROM shown
ORDER BY {order}
"""
    return sql, params


def matching_sql(search: Search) -> tuple[str, dict[str, Any]]:
    """SQL selecting the id of every statement ``search`` finds, in no order and unlimited.

    The rows of :func:`reference_sql` without rank, order or limit: text hits (English,
    Russian, Chinese alike) and the statements of the people the query names, filtered. It
    counts a search's hits (:func:`~.engine.count_matches`), buckets them by period
    (``archive timeline``) and is the filter Datasette's search box applies
    (:mod:`archive.datasette.plugin`), so all three find what ``archive search`` finds.
    """
    compiled = han_query(search.query)
    if compiled is None:
        params: dict[str, Any] = {"query": fts_query(search.query)}
        ctes = ""
        text_hits = "SELECT rowid FROM statements_fts WHERE statements_fts MATCH :query"
    else:
        params = dict(compiled.params)
        ctes = f"WITH {compiled.sql}\n"
        text_hits = "SELECT id FROM text_hits"
    people, people_params = speaker_filter(name_words(search.query), "q", people_only=True)
    params.update(people_params)
    filters = filter_conditions(search, params)
    join = " JOIN documents d ON d.id = st.document_id" if joins_documents(search) else ""
    where = "".join(f" AND {condition}" for condition in filters)
    said_by_people = f"SELECT id FROM statements WHERE speaker_id IN ({people})"
    sql = f"""{ctes}SELECT st.id FROM statements st{join}
WHERE st.id IN ({text_hits} UNION {said_by_people}){where}"""
    return sql, params
