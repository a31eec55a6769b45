"""Where was it said first: every appearance of a quotation, and each quote's best original.

Researchers want to know what an official actually said, where, and how faithfully
others passed it on. :func:`trace` finds every statement in the archive that carries
a quotation, orders them in time and names the original: the earliest first-hand
appearance (a ministry's transcript or statement), else the earliest found. Each
re-quote is labelled against it by :mod:`archive.provenance.similarity` (verbatim, near-verbatim
with a diff, fragment, paraphrase), with the lag after the original.

Candidates come from the full-text indexes (:mod:`.candidates`); only they are
aligned. :func:`best_original` does the same for one stored quotation:
:func:`.linking.link_quotes` records it for every one in ``quote_origins`` (through
the store), so Datasette shows the chain and ``archive search`` says "first said by … on …".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from archive.exceptions import InvalidQuery, NotFound
from archive.provenance.candidates import candidate_ids
from archive.provenance.similarity import (
    FRAGMENT,
    NEAR_VERBATIM,
    VERBATIM,
    Match,
    compare,
    compare_either,
    tokens,
)

if TYPE_CHECKING:
    from archive.store import LazyDatabase

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
