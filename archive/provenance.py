"""Where was it said first: every appearance of a quotation, and each quote's best original.

Researchers want to know what an official actually said, where, and how faithfully
others passed it on. :func:`trace` finds every statement in the archive that carries
a quotation, orders them in time and names the original: the earliest first-hand
appearance (a ministry's transcript or statement), else the earliest found. Each
re-quote is labelled against it by :mod:`archive.similarity` (verbatim, near-verbatim
with a diff, fragment, paraphrase), with the lag after the original.

Candidates come from the full-text index, so a trace reads a few hundred rows
whatever the archive's size: phrases of four consecutive words (verbatim and edited
re-quotes share some) or, for Chinese, three consecutive characters through the
trigram index, plus its longest content words together (paraphrases share those). Only the
candidates are aligned.

:func:`link_quotes` does the same for every stored quotation and records its best
original in ``quote_origins`` (through the store), so Datasette shows the chain and
``archive search`` says "first said by … on …".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from archive.exceptions import InvalidQuery, NotFound
from archive.similarity import (
    FRAGMENT,
    NEAR_VERBATIM,
    STOP_WORDS,
    VERBATIM,
    Match,
    compare,
    compare_either,
    tokens,
)

if TYPE_CHECKING:
    from archive.store import Archive, LazyDatabase

#: Source kinds whose documents speak first-hand: an official's own words.
OFFICIAL_SOURCES = ("ministry", "head of state", "government")
#: Document kinds that are first-hand when the source's kind is not known (a page added
#: with ``archive add``): transcripts and statements are published by whoever spoke.
OFFICIAL_DOCUMENTS = ("transcript", "statement")


def official_sql(source: str, document: str) -> str:
    """SQL true for a first-hand document, given the aliases of sources and documents."""
    kinds = ", ".join(f"'{kind}'" for kind in OFFICIAL_SOURCES)
    documents = ", ".join(f"'{kind}'" for kind in OFFICIAL_DOCUMENTS)
    return (
        f"({source}.kind IN ({kinds}) OR ({source}.kind IS NULL AND {document}.kind IN "
        f"({documents})))"
    )


#: Statement kinds that are somebody's own words where they were said (not a question).
FIRST_HAND_KINDS = ("answer", "remark", "report", "quote")
#: Candidates read per trace: enough for a quotation repeated across a large archive.
TRACE_CANDIDATES = 400
#: Candidates read per quotation when linking: its best originals rank first.
LINK_CANDIDATES = 60
#: Words (Han characters count as half a word) a quotation needs to be linked to an
#: original: "a mistake" or "Arunachal Pradesh" occur everywhere and come from nowhere.
MIN_LINK_WORDS = 6
#: Hits above which a phrase is a stock phrase, not a trace of where words came from.
STOCK_PHRASE = 1000
#: Words per phrase asked of the index: four consecutive words are rare enough.
PHRASE_WORDS = 4
#: Phrases asked of the index per quotation.
MOST_PHRASES = 12
#: Content words a paraphrase must share, asked of the index together.
MOST_WORDS = 4
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Appearance:
    """One statement carrying the quotation, and how it relates to the original."""

    statement_id: int
    date: str | None
    published: str | None
    speaker: str | None
    kind: str
    text: str
    source: str
    source_kind: str | None
    document_kind: str | None
    url: str
    title: str | None
    parent_id: int | None
    document_id: int
    label: str | None = None
    similarity: float | None = None
    lag_days: float | None = None
    diff: str | None = None
    original: bool = False
    #: The part of ``text`` that carries the quotation (all of it for a quote statement).
    excerpt: str | None = None

    @property
    def first_hand(self) -> bool:
        """Words of an official where they were said: a ministry or leader's own page."""
        if self.kind not in FIRST_HAND_KINDS:
            return False
        if self.source_kind is None:
            return self.document_kind in OFFICIAL_DOCUMENTS
        return self.source_kind in OFFICIAL_SOURCES


@dataclass
class Trace:
    """Every appearance of a quotation in time order; ``original`` is the first of them."""

    query: str
    appearances: list[Appearance]
    #: How the text asked about relates to the original (when it was given as text).
    relation: Match | None = None
    #: The original's turn in the other language version of its document (``archive
    #: pairs``): the Chinese words behind an English transcript's, for instance.
    counterpart: dict[str, Any] | None = None

    @property
    def original(self) -> Appearance | None:
        return next((a for a in self.appearances if a.original), None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "relation": asdict(self.relation) if self.relation else None,
            "counterpart": self.counterpart,
            "appearances": [asdict(a) for a in self.appearances],
        }


# -- candidates from the full-text index ---------------------------------------------------


def candidate_queries(text: str) -> tuple[list[str], str | None]:
    """FTS5 queries likely to match every statement that carries ``text``.

    Four-word phrases spread over the quotation find verbatim and edited re-quotes (an
    edit breaks only the phrases it touches); its longest content words, all of them
    together, find paraphrases. Returns the phrases and the words-together query.
    """
    words = [w for t in tokens(text) if not _HAN.match(t.norm) for w in _WORD.findall(t.norm)]
    if not words:
        return [], None
    size = min(PHRASE_WORDS, len(words))
    grams = [words[i : i + size] for i in range(len(words) - size + 1)]
    grams = [g for g in grams if sum(w not in STOP_WORDS for w in g) >= min(2, size)]
    step = max(1, len(grams) // MOST_PHRASES)
    phrases = list(dict.fromkeys('"' + " ".join(g) + '"' for g in grams[::step][:MOST_PHRASES]))
    content = sorted(
        {w for w in words if w not in STOP_WORDS and len(w) > 3}, key=lambda w: (-len(w), w)
    )
    together = " AND ".join(f'"{w}"' for w in content[:MOST_WORDS]) if len(content) >= 3 else None
    if not phrases and not together:  # a short fragment of common words ("at their best")
        phrases = ['"' + " ".join(words[: PHRASE_WORDS * 2]) + '"']
    return phrases, together


def _han_phrases(text: str) -> list[str]:
    """Three-character phrases over the Han text of ``text``, for the trigram index."""
    runs = re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]{3,}", text)
    grams = [run[i : i + 3] for run in runs for i in range(len(run) - 2)]
    step = max(1, len(grams) // (MOST_PHRASES * 2))
    return list(dict.fromkeys(f'"{g}"' for g in grams[::step][: MOST_PHRASES * 2]))


def _trigram_table(db: LazyDatabase) -> str | None:
    """The FTS5 trigram index over statements, where this archive has one."""
    row = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING FTS5%' "
        "AND sql LIKE '%trigram%' AND name LIKE 'statements%' LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def candidate_ids(db: LazyDatabase, text: str, limit: int) -> list[int]:
    """Ids of statements that may carry ``text``, those sharing the most phrases first.

    Each phrase is asked alone, reading at most :data:`STOCK_PHRASE` + 1 rows: a phrase
    found more often than that is a stock phrase ("as far as I know") that says nothing of
    where the words came from, and ranking its hits is what made a trace slow on a large
    archive. Rare phrases vote for the statements they occur in.
    """
    phrases, together = candidate_queries(text)
    searches = [("statements_fts", phrase) for phrase in phrases]
    if _HAN.search(text) and (table := _trigram_table(db)):
        searches += [(table, phrase) for phrase in _han_phrases(text)]
    votes: Counter[int] = Counter()
    for table, phrase in searches:
        rows = db.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?", [phrase, STOCK_PHRASE + 1]
        ).fetchall()
        if len(rows) <= STOCK_PHRASE:
            votes.update(row[0] for row in rows)
    found = [statement_id for statement_id, _ in votes.most_common(limit)]
    if not votes and searches:  # only stock phrases: the best-ranked hits of all of them
        table = searches[0][0]
        found = _ranked(db, table, " OR ".join(p for t, p in searches if t == table), limit)
    if together:
        found += _ranked(db, "statements_fts", together, max(1, limit // 4))
    return list(dict.fromkeys(found))


def _ranked(db: LazyDatabase, table: str, match: str, limit: int) -> list[int]:
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?"
    return [row[0] for row in db.execute(sql, [match, limit])]


_APPEARANCE_SQL = """
SELECT st.id, st.date, d.published, sp.name, st.kind, st.text, d.source, so.kind, d.kind, d.url,
       d.title, st.parent_id, st.document_id
FROM statements st
JOIN documents d ON d.id = st.document_id
LEFT JOIN sources so ON so.name = d.source
LEFT JOIN speakers sp ON sp.id = st.speaker_id
WHERE st.id IN ({marks})
"""


def appearances_of(db: LazyDatabase, ids: Iterable[int]) -> list[Appearance]:
    """The statements ``ids`` with what a trace shows of them."""
    ids = list(ids)
    rows: list[Appearance] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        sql = _APPEARANCE_SQL.format(marks=", ".join("?" * len(chunk)))
        rows += [Appearance(*row) for row in db.execute(sql, chunk)]
    return rows


# -- trace ---------------------------------------------------------------------------------


def trace(db: LazyDatabase, text_or_id: str | int) -> Trace:
    """Every appearance of a quotation (given as text or a statement id) in time order.

    Raises:
        NotFound: no statement has that id.
        InvalidQuery: the text has no words to look for.
    """
    text, speaker = _quotation(db, text_or_id)
    found: list[Appearance] = []
    for candidate in appearances_of(db, candidate_ids(db, text, TRACE_CANDIDATES)):
        match, query_is_shorter = compare_either(text, candidate.text)
        if match is None:
            continue
        _set_match(candidate, match)
        candidate.excerpt = (
            candidate.text[match.start : match.end] if query_is_shorter else candidate.text
        )
        found.append(candidate)
    found = _without_containers(found)
    found.sort(key=_time_order)
    original = choose_original(found, speaker)
    if original is not None:
        for appearance in found:
            if appearance is not original:
                _relate(appearance, original)
        original.original = True
        original.label, original.similarity, original.diff = "original", 1.0, None
        original.lag_days = 0.0
    relation = None
    if original is not None and not str(text_or_id).strip().isdigit():
        relation, _ = compare_either(text, original.text)
    counterpart = None
    if original is not None:
        from archive.queries import counterpart_turns

        counterpart = counterpart_turns(db, original.parent_id or original.statement_id)
    return Trace(text, found, relation, counterpart)


def _quotation(db: LazyDatabase, text_or_id: str | int) -> tuple[str, str | None]:
    """The words to trace, and who said them when the archive says so (for a statement id)."""
    value = str(text_or_id).strip()
    if value.isdigit():
        row = db.execute(
            "SELECT st.text, sp.name FROM statements st "
            "LEFT JOIN speakers sp ON sp.id = st.speaker_id WHERE st.id = ?",
            [int(value)],
        ).fetchone()
        if row is None:
            raise NotFound(f"no statement with id {value}; find ids with archive search")
        return row[0], row[1]
    if not tokens(value):
        raise InvalidQuery("nothing to trace; give a quotation's words or a statement id")
    return value, None


def _set_match(appearance: Appearance, match: Match) -> None:
    appearance.label = match.label
    appearance.similarity = match.similarity
    appearance.diff = match.diff


def _without_containers(found: list[Appearance]) -> list[Appearance]:
    """Drop a turn when a quote found inside it is also an appearance.

    A journalist's question that quotes a minister carries her words, but they are hers:
    the quote statement (with her name) stands for them, not the question around it.
    """
    parents = {a.parent_id for a in found if a.parent_id is not None}
    return [a for a in found if a.statement_id not in parents]


def _time_order(appearance: Appearance) -> tuple[str, str, int]:
    return (appearance.date or "9999", appearance.published or "", appearance.statement_id)


def _faithfulness(appearance: Appearance) -> tuple[int, float]:
    """Sort key, most faithful first: same words, then small edits (closest first), then
    paraphrase."""
    if appearance.label in (VERBATIM, FRAGMENT):
        return (0, 0.0)
    if appearance.label == NEAR_VERBATIM:
        return (1, -round(appearance.similarity or 0, 1))
    return (2, 0.0)


def choose_original(found: list[Appearance], speaker: str | None = None) -> Appearance | None:
    """Where the quotation was said first: first-hand over re-quotes, then by the person
    it is attributed to, then the most faithful to it, then the earliest.

    First-hand means an official's own page (a ministry transcript): a blog that printed
    the words a day earlier than the ministry's English version is still quoting. A
    spokesperson's stock line is said by colleagues too: a quote of Zhao Lijian comes
    from Zhao Lijian's briefing, not from the day Hua Chunying said the same words.
    """
    if not found:
        return None

    def other_speaker(appearance: Appearance) -> bool:
        return bool(speaker and appearance.speaker and appearance.speaker != speaker)

    return min(
        found,
        key=lambda a: (not a.first_hand, other_speaker(a), *_faithfulness(a), *_time_order(a)),
    )


def _relate(appearance: Appearance, original: Appearance) -> None:
    """Label ``appearance`` against the original's words and set its lag."""
    mine = appearance.excerpt or appearance.text
    match, _ = compare_either(mine, original.text)
    if match is not None:
        _set_match(appearance, match)
    appearance.lag_days = lag_days(original, appearance)


def lag_days(original: Appearance, later: Appearance) -> float | None:
    """Days from the original to a re-quote: to the hour when both pages give times."""
    first, then = _moment(original), _moment(later)
    if first is None or then is None:
        return None
    same_kind = isinstance(first, datetime) and isinstance(then, datetime)
    if same_kind and (first.tzinfo is None) == (then.tzinfo is None):
        return round((then - first).total_seconds() / 86400, 2)
    return float((_day(then) - _day(first)).days)


def _moment(appearance: Appearance) -> date | datetime | None:
    published = appearance.published or ""
    if "T" in published:
        try:
            return datetime.fromisoformat(published.replace("Z", "+00:00"))
        except ValueError:
            pass
    try:
        return date.fromisoformat((appearance.date or published)[:10])
    except ValueError:
        return None


def _day(moment: date | datetime) -> date:
    return moment.date() if isinstance(moment, datetime) else moment


# -- linking every stored quotation to its best original ------------------------------------


def best_original(db: LazyDatabase, quote: Appearance) -> Appearance | None:
    """The statement that ``quote`` most likely passes on, labelled; ``None`` if none is found.

    Only statements of other documents dated no later than the quote qualify. First-hand
    appearances (a ministry's transcript) win over re-quotes, then the earliest, then the
    most faithful.
    """
    found: list[Appearance] = []
    for candidate in appearances_of(db, candidate_ids(db, quote.text, LINK_CANDIDATES)):
        if candidate.document_id == quote.document_id:
            continue
        if quote.date and candidate.date and candidate.date > quote.date:
            continue
        match = compare(quote.text, candidate.text)
        if match is not None:
            _set_match(candidate, match)
            found.append(candidate)
    if not found:
        return None
    found = _without_containers(found)
    best = choose_original(found, quote.speaker)
    best.lag_days = lag_days(best, quote)
    return best


def quotes_to_link(db: LazyDatabase, *, everything: bool = False) -> list[int]:
    """Ids of the quotations a link run looks at (all of them with ``everything``).

    Those never linked, and those linked to nothing first-hand when a first-hand document
    dated no later than them was archived since the last run (ids above the run's
    ``last_document_id``): crawls do not come in time order, so a quotation's original may
    arrive after it.
    """
    if everything:
        return [row[0] for row in db.execute("SELECT id FROM statements WHERE kind = 'quote'")]
    ids = [
        row[0]
        for row in db.execute(
            "SELECT st.id FROM statements st LEFT JOIN quote_origins o ON o.statement_id = st.id "
            "WHERE st.kind = 'quote' AND o.statement_id IS NULL"
        )
    ]
    earliest = db.execute(
        "SELECT min(coalesce(d.date, '0000')) FROM documents d "
        "LEFT JOIN sources s ON s.name = d.source "
        f"WHERE {official_sql('s', 'd')} AND d.id > ?",
        [last_document_seen(db)],
    ).fetchone()[0]
    if earliest is None:
        return ids
    ids += [
        row[0]
        for row in db.execute(
            "SELECT o.statement_id FROM quote_origins o JOIN statements q ON q.id = o.statement_id "
            "LEFT JOIN statements og ON og.id = o.origin_id "
            "LEFT JOIN documents od ON od.id = og.document_id "
            "LEFT JOIN sources so ON so.name = od.source "
            f"WHERE (og.id IS NULL OR NOT {official_sql('so', 'od')}) "
            "AND coalesce(q.date, '9999') >= ?",
            [earliest],
        )
    ]
    return sorted(set(ids))


def last_document_seen(db: LazyDatabase) -> int:
    """The highest document id the last link run saw (0 before any run)."""
    row = db.execute("SELECT last_document_id FROM link_runs ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row and row[0] is not None else 0


def link_quotes(archive: Archive, *, everything: bool = False, batch: int = 500) -> dict[str, int]:
    """Find and store the best original of each quotation not yet linked; returns counts.

    Run after a crawl (``archive link``; ``archive crawl`` runs it). Quotations linked
    to nothing first-hand are looked at again once a first-hand document that could be
    their source arrives, since crawls do not come in time order.
    """
    db = archive.db
    last_document = db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
    ids = quotes_to_link(db, everything=everything)
    counts = {"quotes": len(ids), "linked": 0, "unlinked": 0, "too_short": 0}
    for start in range(0, len(ids), batch):
        rows = []
        for quote in appearances_of(db, ids[start : start + batch]):
            if not long_enough(quote.text):
                counts["too_short"] += 1
                origin = None
            else:
                origin = best_original(db, quote)
                counts["linked" if origin else "unlinked"] += 1
            rows.append(_origin_row(quote, origin))
        archive.save_quote_origins(rows)
    archive.record_link_run(last_document, quotes=counts["quotes"], linked=counts["linked"])
    return counts


def long_enough(text: str) -> bool:
    """Whether a quotation is long enough to say where it came from (:data:`MIN_LINK_WORDS`)."""
    words = tokens(text)
    han = sum(1 for t in words if _HAN.match(t.norm))
    return (len(words) - han) + han / 2 >= MIN_LINK_WORDS


def _origin_row(quote: Appearance, origin: Appearance | None) -> dict[str, Any]:
    if origin is None:
        return {
            "statement_id": quote.statement_id,
            "origin_id": None,
            "label": None,
            "similarity": None,
            "lag_days": None,
        }
    return {
        "statement_id": quote.statement_id,
        "origin_id": origin.statement_id,
        "label": origin.label,
        "similarity": origin.similarity,
        "lag_days": origin.lag_days,
    }


def first_said(db: LazyDatabase, statement_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """For stored quotations among ``statement_ids``: who said it first, when and where."""
    ids = list(statement_ids)
    if not ids:
        return {}
    marks = ", ".join("?" * len(ids))
    rows = db.execute(
        f"""SELECT o.statement_id, o.origin_id, o.label, o.lag_days, og.date, sp.name,
                   d.source, d.url
            FROM quote_origins o
            JOIN statements og ON og.id = o.origin_id
            JOIN documents d ON d.id = og.document_id
            LEFT JOIN speakers sp ON sp.id = og.speaker_id
            WHERE o.statement_id IN ({marks})""",
        ids,
    )
    keys = ("origin_id", "label", "lag_days", "date", "speaker", "source", "url")
    return {row[0]: dict(zip(keys, row[1:])) for row in rows}
