"""A page of the best hits by bm25, proven exact from impact lists, without scoring every hit.

The threshold algorithm of search engines (Fagin's NRA), over :mod:`archive.search.rank_lists`:

1. Each phrase of the query gets a guide: the listed term of it whose list bounds best. A
   statement outside every guide's list scores at most the sum of the phrases' bounds
   (a phrase occurs no more often than any of its words).
2. The candidates are the guides' list entries, plus every hit appended since the lists
   were read. Filters (speaker, period, source, language) are applied to them first.
3. A candidate's score is known where its list gives the term frequency; elsewhere it is
   bounded. Candidates are resolved best bound first (their phrase frequencies counted by
   FTS5's ``highlight``), until no unresolved one, and nothing outside, can reach the page.

The page is returned only when that proof holds; otherwise None, and the caller lets FTS5
score every hit. Queries it takes: one phrase, or phrases joined by AND or by OR
(:func:`.query_language.flat_query`); the scores are FTS5's own (:mod:`.bm25`).
"""

from __future__ import annotations

from typing import Any

from archive.search import bm25
from archive.search.query_language import flat_han_query, flat_query
from archive.search.rank_lists import (
    COMMON_HITS,
    TRIGRAMS,
    WORDS,
    Index,
    entries,
    index_stats,
    lists_for,
    phrase,
    tokenize,
    varints,
)

#: Statements appended since the lists were read that a search scores itself; more, and
#: the lists are too old to help (``archive link`` reads them again).
MAX_TAIL = 5_000
#: Candidates resolved at most, a batch at a time: each costs FTS5 ~20 µs a phrase.
MAX_RESOLVED = 2_000
BATCH = 128
#: An OR of two phrases is split into both and either alone (:func:`_either`) when the
#: rarer is in at most this many statements: FTS5 scores the statements holding both.
MAX_BOTH = 20_000
#: A phrase of such an OR in at most this many statements has all its hits scored by FTS5
#: (~2 µs a hit); a commoner one is bounded by its impact list.
MAX_ALONE = COMMON_HITS
#: Relative slack of every comparison with a bound: scores are sums of rounded doubles.
SLACK = 1e-9


class _Phrase:
    __slots__ = ("terms", "query", "literal", "weight", "bound", "guide", "known")

    def __init__(self, text: str, terms: list[str], index: Index) -> None:
        self.terms = terms
        # The words as typed: a Porter stem may stem again to another ("chines" -> "chine").
        self.query = phrase([text])
        #: A Chinese word without upper or lower case: its occurrences are its trigram
        #: phrase's, found in the text itself (:func:`_frequencies`).
        self.literal = text if index is TRIGRAMS and _uncased(text) else None
        self.weight = 0.0
        self.bound = 0.0
        self.guide: dict[str, Any] = {}
        #: For a one-word phrase, its list's entries give the frequency itself.
        self.known = len(terms) == 1


def _overlaps_itself(terms: list[str]) -> bool:
    """Whether two occurrences of the phrase can overlap ("a b a"): ``highlight`` merges
    them into one mark, so marks would undercount it."""
    return any(terms[:k] == terms[-k:] for k in range(1, len(terms)))


def _read_query(db: Any, query: str, index: Index) -> tuple[str, list[_Phrase], int, float] | None:
    """The query's operator and phrases, with the index's row count and average length;
    None for a query this module does not take, or an empty index."""
    parsed = _phrases(db, query, index)
    rows, avgdl = index_stats(db, index)
    if parsed is None or not rows:
        return None
    return *parsed, rows, avgdl


def _phrases(db: Any, query: str, index: Index) -> tuple[str, list[_Phrase]] | None:
    flat = flat_han_query(query) if index is TRIGRAMS else flat_query(query)
    if flat is None:
        return None
    mode, texts = flat
    phrases = [_Phrase(text, tokenize(db, text, index), index) for text in texts]
    if any(not p.terms or _overlaps_itself(p.terms) for p in phrases):
        return None
    return mode, phrases


def best_hits(
    db: Any,
    query: str,
    *,
    limit: int,
    restrict: tuple[str, dict[str, Any]],
    index: Index = WORDS,
) -> list[tuple[int, float]] | None:
    """(statement id, bm25 rank) of every text hit that ranks at or before the page's last.

    ``restrict`` is SQL selecting, among ids given as the JSON array ``:ids``, those the
    search's filters let through. None: the lists cannot prove a page of ``limit`` hits.
    ``index``: :data:`~.rank_lists.TRIGRAMS` for a query of Chinese words (3+ characters).
    """
    read = _read_query(db, query, index)
    if read is None:
        return None
    mode, phrases, rows, avgdl = read
    lists = lists_for(db, [term for p in phrases for term in p.terms], index)
    either = mode == "OR" and len(phrases) == 2
    listed = all(any(t in lists for t in p.terms) for p in phrases)
    if not (either or listed):
        return None
    counts = _weigh(db, phrases, rows, index)
    if either and min(counts) <= MAX_BOTH:
        page = _either(db, phrases, lists, counts, limit, restrict, avgdl, index)
        if page is not None:
            return page
    page = _bounded(db, mode, phrases, lists, limit, restrict, avgdl, index) if listed else None
    if page is None and either and min(counts) > MAX_BOTH:
        # "trade OR tariffs" at ten million: the lists' cuts are too high to bound the page
        # (NRA fails), and 29,000 statements hold both words: FTS5 scores those, not the
        # 530,000 that hold either (135 ms against 580 ms, the same page). The statements
        # holding both are never more than those of the rarer phrase, so the split costs
        # less than scoring every hit, whatever the counts ("trade OR economy", 77,000
        # holding both: 1,130 -> 330 ms).
        page = _either(db, phrases, lists, counts, limit, restrict, avgdl, index)
    return page


def _bounded(
    db: Any,
    mode: str,
    phrases: list[_Phrase],
    lists: dict[str, dict[str, Any]],
    limit: int,
    restrict: tuple[str, dict[str, Any]],
    avgdl: float,
    index: Index,
) -> list[tuple[int, float]] | None:
    """The page by the threshold algorithm over the phrases' lists (the module; each phrase
    weighed and a word of it listed), or None."""
    through = _guide(db, phrases, lists, avgdl, index)
    fts = _fts(mode, phrases)
    table = index.table
    tail = [
        row[0]
        for row in db.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? AND rowid > ? LIMIT ?",
            [fts, through, MAX_TAIL + 1],
        )
    ]
    if len(tail) > MAX_TAIL:
        return None
    candidates = set(tail).union(*(p.guide["entries"] for p in phrases))
    sql, params = restrict
    allowed = [row[0] for row in db.execute(sql, {**params, "ids": _json(candidates)})]
    return _rank(db, mode, phrases, allowed, set(tail), limit, avgdl, index, outside=None)


def _either(
    db: Any,
    phrases: list[_Phrase],
    lists: dict[str, dict[str, Any]],
    counts: list[int],
    limit: int,
    restrict: tuple[str, dict[str, Any]],
    avgdl: float,
    index: Index,
) -> list[tuple[int, float]] | None:
    """The page of "A OR B" as the statements that hold both, and those that hold one.

    Impact lists cannot bound an OR of two words whose best statements hold both (each
    list's cut bounds one word's part; outside both lists a statement may still score the
    sum of the cuts). But bm25 scores each phrase apart: a statement holding both scores
    what FTS5 gives it for "A B", and one holding A alone scores A's part alone. So:

    - every statement holding both is scored by FTS5 as an AND query, as many as the rarer
      phrase's hits at most (:data:`MAX_BOTH`);
    - a phrase in at most :data:`MAX_ALONE` statements is scored by FTS5 over all its hits;
      a commoner one-word phrase gives its listed statements' scores from its list, and
      bounds every other statement holding it alone by the list's cut;
    - statements appended since the lists were read are scored by FTS5 over their ids.

    The page is proven when its last score is above every such bound.
    """
    scores = {rowid: -rank for rowid, rank in _fts_ranks(db, _fts("AND", phrases), index)}
    outside = 0.0
    weights = [p.weight for p in phrases]
    read_through = None
    for i, (p, hits) in enumerate(zip(phrases, counts, strict=True)):
        term = p.terms[0]
        if hits <= MAX_ALONE:
            for rowid, rank in _fts_ranks(db, p.query, index):
                scores.setdefault(rowid, -rank)
            continue
        if not p.known or term not in lists:
            return None
        listed = lists[term]
        p.bound = p.weight * bm25.factor_bound(listed["cut"], listed["avgdl"], avgdl)
        outside = max(outside, p.bound)
        for rowid, (tf, dl) in entries(db, term, index).items():
            if rowid not in scores:
                tfs = [tf if k == i else 0 for k in range(len(phrases))]
                scores[rowid] = -bm25.score(weights, tfs, dl, avgdl)
        through = listed["through_id"]
        read_through = through if read_through is None else min(read_through, through)
    if read_through is not None:
        tail = _fts_ranks(db, _fts("OR", phrases), index, after=read_through).fetchall()
        if len(tail) > MAX_TAIL:
            return None
        scores.update((rowid, -rank) for rowid, rank in tail)
    return _page(db, scores, limit, restrict, outside)


def _fts_ranks(db: Any, query: str, index: Index, *, after: int | None = None) -> Any:
    """A cursor of (rowid, FTS5 rank) of every hit of ``query``; with ``after``, of the hits
    appended after that rowid, :data:`MAX_TAIL` and one at most."""
    table = index.table
    if after is None:
        return db.execute(f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ?", [query])
    return db.execute(
        f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? AND rowid > ? LIMIT ?",
        [query, after, MAX_TAIL + 1],
    )


def _page(
    db: Any,
    scores: dict[int, float],
    limit: int,
    restrict: tuple[str, dict[str, Any]],
    outside: float,
) -> list[tuple[int, float]] | None:
    """The statements ``restrict`` lets through that rank at or before the page's last,
    from exact ``scores``, filtered best first a batch at a time; None when a statement
    outside ``scores`` (scoring ``outside`` at most) could reach the page."""
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    sql, params = restrict
    allowed: list[tuple[int, float]] = []
    size, start = 4 * limit, 0
    while start < len(ranked):
        if len(allowed) >= limit and ranked[start][1] < allowed[limit - 1][1]:
            break
        batch = dict(ranked[start : start + size])
        passed = {row[0] for row in db.execute(sql, {**params, "ids": _json(batch)})}
        allowed.extend((i, score) for i, score in batch.items() if i in passed)
        allowed.sort(key=lambda item: item[1], reverse=True)
        start, size = start + size, 2 * size
    if len(allowed) < limit:
        return None if outside > 0.0 else [(i, -score) for i, score in allowed]
    kth = allowed[limit - 1][1]
    if outside >= kth * (1 - SLACK):
        return None
    return [(i, -score) for i, score in allowed if score >= kth]


def _guide(
    db: Any,
    phrases: list[_Phrase],
    lists: dict[str, dict[str, Any]],
    avgdl: float,
    index: Index,
) -> int:
    """Give each phrase its guide list and bound; returns the id the lists were read up to.

    A phrase none of whose words has a list gets an empty guide and the largest bound
    there is (bm25's factor never reaches k1 + 1).
    """
    for p in phrases:
        listed = [lists[t] for t in p.terms if t in lists]
        if not listed:
            p.guide = {"entries": {}, "through_id": None}
            p.bound = p.weight * (bm25.K1 + 1.0)
            continue
        bounds = [bm25.factor_bound(lst["cut"], lst["avgdl"], avgdl) for lst in listed]
        p.guide = listed[bounds.index(min(bounds))]
        p.bound = p.weight * min(bounds)
        if "entries" not in p.guide:
            p.guide["entries"] = entries(db, p.guide["term"], index)
    read = [p.guide["through_id"] for p in phrases if p.guide["through_id"] is not None]
    return min(read) if len(read) == len(phrases) else 0


def _rank(
    db: Any,
    mode: str,
    phrases: list[_Phrase],
    allowed: list[int],
    tail: set[int],
    limit: int,
    avgdl: float,
    index: Index,
    *,
    outside: float | None,
) -> list[tuple[int, float]] | None:
    """Resolve candidates best bound first until the page is proven (see the module).

    ``outside`` bounds the statements that are not candidates (None: the sum of the
    phrases' bounds; 0: there are none, the candidates being every hit that passes).
    """
    lists = [p.guide["entries"] for p in phrases]
    lengths = _lengths(db, [i for i in allowed if not any(i in found for found in lists)], index)
    exact: dict[int, float] = {}
    pending: list[tuple[float, int, int, list[int | None]]] = []  # (-upper, id, dl, tfs)
    # Statements alike in their lists' (tf, dl) are alike in bounds and scores.
    assessed: dict[tuple[Any, ...], tuple[float | None, float, int, list[int | None]]] = {}
    for statement_id in allowed:
        found = tuple(entries.get(statement_id) for entries in lists)
        key = (found, lengths.get(statement_id), statement_id in tail)
        if key not in assessed:
            assessed[key] = _assess(phrases, *key, avgdl)
        score, upper, dl, tfs = assessed[key]
        if score is not None:
            exact[statement_id] = score
        elif dl:
            pending.append((-upper, statement_id, dl, tfs))
    pending.sort()
    resolved = 0
    for start in range(0, len(pending), BATCH):
        kth = _kth(exact, limit)
        if kth is not None and -pending[start][0] < kth * (1 - SLACK):
            pending = pending[start:]
            break
        if resolved >= MAX_RESOLVED:
            return None
        batch = pending[start : start + BATCH]
        resolved += len(batch)
        _resolve(db, mode, phrases, batch, exact, avgdl, index)
    else:
        pending = []
    kth = _kth(exact, limit)
    if outside is None:
        outside = sum(p.bound for p in phrases)
    if kth is None:
        # Fewer hits than the page holds: all of them, if the lists left none out.
        return None if outside > 0.0 or pending else [(i, -s) for i, s in exact.items()]
    if outside >= kth * (1 - SLACK):
        return None
    if pending and -pending[0][0] >= kth * (1 - SLACK):
        return None
    return [(i, -s) for i, s in exact.items() if s >= kth]


def hits_among(
    db: Any,
    query: str,
    ids: list[int],
    *,
    limit: int,
    restrict: tuple[str, dict[str, Any]],
    index: Index = WORDS,
) -> list[tuple[int, float]] | None:
    """Like :func:`best_hits`, for a search whose filter leaves few statements (``ids``: a
    speaker's, a month's): every hit among them is found, so nothing lies outside them;
    the lists, where they exist, spare counting the hits they bound below the page.

    The hits are found from whichever side is cheaper: each of ``ids`` looked up in the
    index (~12 µs), or every hit read into a temporary index (~0.3 µs) that ``ids`` probe.
    """
    read = _read_query(db, query, index)
    if read is None:
        return None
    mode, phrases, rows, avgdl = read
    counts = _weigh(db, phrases, rows, index)
    fts = _fts(mode, phrases)
    table = index.table
    # At most this many hits: the phrases' own counts bound the query's.
    hits = sum(counts) if mode == "OR" else min(counts)
    if 40 * len(ids) < hits:
        found = db.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? "
            "AND rowid IN (SELECT value FROM json_each(?))",
            [fts, _json(ids)],
        )
    else:
        found = db.execute(
            "SELECT value FROM json_each(?) WHERE value IN "
            f"(SELECT rowid FROM {table} WHERE {table} MATCH ?)",
            [_json(ids), fts],
        )
    matched = [row[0] for row in found]
    sql, params = restrict
    allowed = [row[0] for row in db.execute(sql, {**params, "ids": _json(matched)})]
    # The lists give some frequencies and bound the rest: not every hit needs counting.
    terms = [t for p in phrases for t in p.terms]
    through = _guide(db, phrases, lists_for(db, terms, index), avgdl, index)
    tail = {i for i in allowed if i > through}
    return _rank(db, mode, phrases, allowed, tail, limit, avgdl, index, outside=0.0)


def ranks_of(db: Any, query: str, ids: list[int]) -> dict[int, float] | None:
    """FTS5's bm25 rank of each of ``ids`` (hits of ``query``); None for a query it cannot
    take. One count per phrase, then ~30 µs a row: an FTS5 cursor would score every hit of
    the rowid range the rows span."""
    read = _read_query(db, query, WORDS)
    if read is None:
        return None
    mode, phrases, rows, avgdl = read
    if not ids:
        return {}
    _weigh(db, phrases, rows, WORDS)
    lengths = _lengths(db, ids, WORDS)
    counts = [_frequencies(db, p.query, ids, WORDS) for p in phrases]
    weights = [p.weight for p in phrases]
    return {
        i: bm25.score(weights, [found.get(i, 0) for found in counts], lengths[i], avgdl)
        for i in ids
    }


def _weigh(db: Any, phrases: list[_Phrase], rows: int, index: Index) -> list[int]:
    """Give each phrase its idf, from its hits as FTS5 counts them; returns the counts."""
    counts = []
    table = index.table
    for p in phrases:
        hits = db.execute(
            f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", [p.query]
        ).fetchone()[0]
        p.weight = bm25.idf(rows, hits)
        counts.append(hits)
    return counts


def _fts(mode: str, phrases: list[_Phrase]) -> str:
    """The query again, as FTS5 reads it: the phrases joined by its operator."""
    return (" OR " if mode == "OR" else " ").join(p.query for p in phrases)


def _json(ids: Any) -> str:
    return "[" + ",".join(map(str, ids)) + "]"


def _assess(
    phrases: list[_Phrase],
    found: tuple[tuple[int, int] | None, ...],
    length: int | None,
    in_tail: bool,
    avgdl: float,
) -> tuple[float | None, float, int, list[int | None]]:
    """A candidate's exact score (None: not known yet), upper bound, length and known tfs."""
    dl = next((entry[1] for entry in found if entry is not None), length or 0)
    tfs = [
        entry[0] if entry is not None and p.known else None
        for p, entry in zip(phrases, found, strict=True)
    ]
    if all(tf is not None for tf in tfs):
        score = -bm25.score([p.weight for p in phrases], tfs, dl, avgdl)
        return score, score, dl, tfs
    if in_tail:
        return None, float("inf"), dl, tfs
    upper = 0.0
    for p, entry, tf in zip(phrases, found, tfs, strict=True):
        if tf is not None:
            upper += p.weight * bm25.factor(tf, dl, avgdl)
        elif entry is not None:  # a longer phrase: no more often than its guide word
            upper += p.weight * bm25.factor(entry[0], dl, avgdl)
        else:
            upper += p.bound
    return None, upper, dl, tfs


def _kth(exact: dict[int, float], limit: int) -> float | None:
    if len(exact) < limit:
        return None
    return sorted(exact.values(), reverse=True)[limit - 1]


def _lengths(db: Any, ids: list[int], index: Index) -> dict[int, int]:
    """Statement lengths in tokens, from FTS5's own record of them."""
    if not ids:
        return {}
    rows = db.execute(
        f"SELECT id, sz FROM {index.table}_docsize WHERE id IN (SELECT value FROM json_each(?))",
        [_json(ids)],
    )
    return {i: sum(varints(size)) for i, size in rows}


def _resolve(
    db: Any,
    mode: str,
    phrases: list[_Phrase],
    batch: list[tuple[float, int, int, list[int | None]]],
    exact: dict[int, float],
    avgdl: float,
    index: Index,
) -> None:
    """Count the unknown phrase frequencies of ``batch``, and score its hits exactly."""
    counts: list[dict[int, int]] = []
    for i, p in enumerate(phrases):
        ids = [entry[1] for entry in batch if entry[3][i] is None]
        counts.append(_frequencies(db, p.query, ids, index, literal=p.literal) if ids else {})
    for _, statement_id, dl, tfs in batch:
        full = [
            tf if tf is not None else counts[i].get(statement_id, 0) for i, tf in enumerate(tfs)
        ]
        if any(full) if mode == "OR" else all(full):
            exact[statement_id] = -bm25.score([p.weight for p in phrases], full, dl, avgdl)


def _occurrences(text: str, literal: str) -> int:
    """Occurrences of ``literal`` in ``text``, overlapping ones included."""
    n, at = 0, text.find(literal)
    while at >= 0:
        n, at = n + 1, text.find(literal, at + 1)
    return n


def _uncased(text: str) -> bool:
    """Whether no character of ``text`` has an upper or lower case (Han, digits, marks):
    the trigram index folds case, and Python's folding is not SQLite's everywhere."""
    return all(ch.lower() == ch == ch.upper() for ch in text)


def _frequencies(
    db: Any, query: str, ids: list[int], index: Index, *, literal: str | None = None
) -> dict[int, int]:
    """How often the phrase ``query`` occurs in each of ``ids`` (absent: not found).

    ``highlight`` opens a mark at each occurrence (a one-character mark, nothing to close
    it): the text grows by one character per occurrence. A text is counted once however
    many statements hold it (a statement republished, or re-crawled under another URL).

    ``literal``: the phrase is this substring's trigrams, and occurs where the substring
    does, overlapping occurrences included (each starts another run of trigrams); the text
    is searched for it, 0.3 ms a statement less than ``highlight`` tokenizing it.
    """
    if literal is not None:
        rows = db.execute(
            "SELECT id, text FROM statements WHERE id IN (SELECT value FROM json_each(?))",
            [_json(ids)],
        )
        found = ((statement_id, _occurrences(text, literal)) for statement_id, text in rows)
        return {statement_id: n for statement_id, n in found if n}
    shared: dict[str, int] = {}
    first: dict[int, int] = {}
    rows = db.execute(
        "SELECT id, text FROM statements WHERE id IN (SELECT value FROM json_each(?))",
        [_json(ids)],
    )
    for statement_id, text in rows:
        first[statement_id] = shared.setdefault(text, statement_id)
    table = index.table
    counted = dict(
        db.execute(
            f"SELECT rowid, length(highlight({table}, 0, char(1), '')) - length(text) "
            f"FROM {table} WHERE {table} MATCH ? "
            "AND rowid IN (SELECT value FROM json_each(?))",
            [query, _json(shared.values())],
        ).fetchall()
    )
    return {i: counted[r] for i, r in first.items() if r in counted}
