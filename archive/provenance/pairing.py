"""Find the same briefing published in two languages, and align its turns.

China's MFA publishes each press conference in Chinese and in English, the Kremlin each
transcript in Russian and in English. Pairing the two versions lets a reader see how an
answer was rendered, and shows what one version left out. How the versions are found
depends on the source (:data:`RULES`):

- ``shared-id``: the two sites number a page alike (``kremlin.ru/events/president/news/
  63313`` and ``en.kremlin.ru/events/president/news/63313``): the same URL path is the
  same page.
- ``same-day``: the MFA's two sites number pages independently, so the versions are
  documents of the same date and kind. The Chinese section also publishes written
  answers (答记者问) and statements on days of a press conference: a transcript is only
  paired with a transcript, a statement with a statement, and among several candidates
  the one whose turns align best
  (:func:`archive.provenance.align.align`) wins, if it aligns well enough at all.

Reads with SQL; writes only through :meth:`archive.store.Archive.replace_pair`.
Documents already paired are left alone: the store drops a document's pairs when its
statements change, so the next run pairs exactly what is new or changed.
"""

from __future__ import annotations

import bisect
import heapq
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from archive.provenance.align import Alignment, Turn, Version, align, prepare

if TYPE_CHECKING:
    from archive.store import Archive, LazyDatabase

SHARED_ID = "shared-id"
SAME_DAY = "same-day"


@dataclass(frozen=True)
class Rule:
    """How a source's translations are found: its own language and the pairing method."""

    language: str
    method: str
    #: Kinds of document that may be paired (same-day only: a shared id is proof enough).
    kinds: frozenset[str] = frozenset({"transcript"})


#: Sources that publish translations, by name.
RULES: dict[str, Rule] = {
    # Written remarks (答记者问, "…'s Remarks on …") are published in both languages too.
    "mfa": Rule("zh", SAME_DAY, frozenset({"transcript", "statement"})),
    "kremlin": Rule("ru", SHARED_ID),
}

#: Least alignment score (share of both texts in confident turn matches) for two
#: documents of one day to be the same briefing. On the 2018–2020 mirror the 487
#: English–Chinese transcripts of one day score 0.89 to 0.99, while the Chinese written
#: answers and statements of those days score at most 0.51 against the English
#: press conference (were they not kept apart by kind anyway).
MIN_SAME_DAY_SCORE = 0.6

#: Counterparts a document of a crowded day is aligned with (:func:`_shortlist`). A real
#: day of one source holds one or two transcripts in each language. Ten days of the
#: million-statement realistic archive filed as one (some 30 transcripts a language, as a
#: day of the ten-million one) pair 309 documents that are versions of each other with a
#: shortlist of two (or three), 293 aligning each against each (a decoy that aligns better
#: takes a document's place), in a twelfth of the time; with one, 305.
SHORTLIST = 2

#: Documents whose turns :func:`pair_documents` holds at once (a day or a page id is never
#: split): a few hundred kilobytes of text, and few enough queries.
PAIR_BATCH = 200
#: Where :func:`pair_documents` lays out the candidates of one source in pairing order.
_STAGED = "temp.pairing_candidates"

#: The numeric id at the end of a URL path, shared by a page and its translation.
_PATH_ID = re.compile(r"/\d+/?$")


@dataclass
class Candidate:
    """A document that may have a translation, with its turns."""

    id: int
    source: str
    url: str
    date: str | None
    language: str | None
    kind: str | None
    turn_ids: list[int]
    turns: list[Turn]

    @cached_property
    def version(self) -> Version:
        """The turns ready to align, prepared once however many candidates it meets."""
        return prepare(self.turns, self.language)

    @cached_property
    def profile(self) -> Profile:
        """What :func:`_shortlist` compares before anything is aligned."""
        lengths = [len(turn.text) for turn in self.turns]
        total, running, ends = sum(lengths), 0, []
        for length in lengths[:-1]:
            running += length
            ends.append(running / total if total else 0.0)
        return Profile(Counter(turn.kind for turn in self.turns), ends)


@dataclass(frozen=True)
class Profile:
    """A document's turns by kind, and where in its text (as a share of its length) each
    turn ends: two versions of one briefing have the same questions and answers, each
    about as long, in proportion, in both languages."""

    kinds: Counter[str]
    ends: list[float]

    def distance(self, other: Profile) -> float:
        """How unlike two versions of one document these are, from 0: the turns one has
        and the other lacks, kind by kind, as a share of all turns, and how far apart the
        turns end, each from the other's nearest end. On real briefings filed under one
        day, a briefing's other version is at 0.01–0.02, any other at 0.07 or more."""
        turns = sum((self.kinds + other.kinds).values()) or 1
        lacking = sum(((self.kinds - other.kinds) + (other.kinds - self.kinds)).values())
        return lacking / turns + _nearest(self.ends, other.ends) + _nearest(other.ends, self.ends)


def _nearest(marks: list[float], others: list[float]) -> float:
    """The mean distance from each of ``marks`` to the nearest of ``others`` (both sorted)."""
    if not marks or not others:
        return float(bool(marks or others))
    total = 0.0
    for mark in marks:
        at = bisect.bisect_left(others, mark)
        total += min(abs(mark - others[k]) for k in (at - 1, at) if 0 <= k < len(others))
    return total / len(marks)


@dataclass
class Pair:
    """Two versions of one document and the alignment of their turns."""

    document: Candidate  # the source's own language
    counterpart: Candidate
    method: str
    alignment: Alignment

    def record(self) -> dict[str, Any]:
        """What :meth:`archive.store.Archive.replace_pair` stores."""
        left, right = self.document.turn_ids, self.counterpart.turn_ids
        turns: list[tuple[int | None, int | None, float | None]] = []
        for link in self.alignment.links:
            if link.matched:
                turns.extend(
                    (left[i], right[j], round(link.confidence or 0.0, 4))
                    for i in link.left
                    for j in link.right
                )
            else:
                turns.extend((left[i], None, None) for i in link.left)
                turns.extend((None, right[j], None) for j in link.right)
        return {
            "document_id": self.document.id,
            "counterpart_id": self.counterpart.id,
            "method": self.method,
            "score": self.alignment.score,
            "turns": turns,
        }


def pair_documents(
    archive: Archive,
    *,
    since: str | None = None,
    after_document: int | None = None,
    batch: int = PAIR_BATCH,
) -> dict[str, int]:
    """Pair every unpaired document with its translation; returns counts.

    Candidates are read a day (same-day) or a page id (shared-id) at a time, their turns a
    batch of about ``batch`` documents at a time, and the pairs written a transaction per
    batch: memory stays bounded however large the archive (every unpaired document's turns
    at once took 1.7 GB on a million statements).

    Args:
        archive: the archive to read and write.
        since: only documents dated on or after this day (YYYY-MM-DD).
        after_document: only the days on which documents with a higher id were published
            (``archive link`` gives the last id it saw): a translation is published the
            same day, so older days hold nothing new to pair, and a large archive's
            documents that have no translation are not read again at every run.
        batch: documents whose turns are held at once (a group is never split).

    Returns:
        ``paired`` (new pairs), ``same_day`` and ``shared_id`` (by method),
        ``missing_turns`` (new pairs where a version lacks turns) and ``unpaired``
        (documents of a translating source still without a counterpart).
    """
    counts = {"paired": 0, "same_day": 0, "shared_id": 0, "missing_turns": 0, "unpaired": 0}
    for source, rule in RULES.items():
        total = _stage_candidates(archive.db, source, rule, since, after_document)
        found = 0
        for candidates in _candidate_batches(archive.db, source, batch):
            pairs = [pair for group in candidates for pair in find_pairs(group, rule)]
            with archive.transaction():
                for pair in pairs:
                    archive.replace_pair(pair.record())
            for pair in pairs:
                counts["paired"] += 1
                counts[pair.method.replace("-", "_")] += 1
                counts["missing_turns"] += bool(
                    pair.alignment.left_only or pair.alignment.right_only
                )
            found += len(pairs)
        counts["unpaired"] += total - 2 * found
    archive.db.execute(f"DROP TABLE IF EXISTS {_STAGED}")
    return counts


def find_pairs(candidates: Sequence[Candidate], rule: Rule) -> list[Pair]:
    """The pairs among one source's documents, by the source's rule (no SQL)."""
    own = [c for c in candidates if c.language == rule.language]
    others = [c for c in candidates if c.language and c.language != rule.language]
    if rule.method == SHARED_ID:
        return _by_shared_id(own, others)
    return _by_same_day(own, others, rule)


def _by_shared_id(own: Sequence[Candidate], others: Sequence[Candidate]) -> list[Pair]:
    """Documents whose URL paths end in the same number, whatever their turns."""
    by_path: dict[str, dict[str | None, Candidate]] = defaultdict(dict)
    for other in others:
        key = shared_id(other.url)
        if key:
            by_path[key].setdefault(other.language, other)
    pairs = []
    for document in own:
        key = shared_id(document.url)
        for other in by_path.pop(key, {}).values() if key else ():
            pairs.append(_pair(document, other, SHARED_ID))
    return pairs


def shared_id(url: str) -> str | None:
    """The URL path when it ends in a page number: what a page and its translation share."""
    path = urlsplit(url).path
    return path.rstrip("/") if _PATH_ID.search(path) else None


def _by_same_day(own: Sequence[Candidate], others: Sequence[Candidate], rule: Rule) -> list[Pair]:
    """Per day and language: the best-aligned documents of the same kind, best first."""
    theirs: dict[tuple[str, str | None], list[Candidate]] = defaultdict(list)
    for other in others:
        if other.date and other.kind in rule.kinds:
            theirs[other.date, other.language].append(other)
    mine: dict[str, list[Candidate]] = defaultdict(list)
    for document in own:
        if document.date and document.kind in rule.kinds:
            mine[document.date].append(document)
    languages = sorted({other.language for other in others}, key=str)
    pairs = []
    for day in sorted(mine):
        for language in languages:
            pairs.extend(_best_matches(mine[day], theirs.get((day, language), [])))
    return pairs


def _best_matches(mine: Sequence[Candidate], theirs: Sequence[Candidate]) -> list[Pair]:
    """One-to-one, greedily by alignment score: the best-aligned two first.

    Each document is aligned with its :data:`SHORTLIST` likeliest counterparts only
    (:func:`_shortlist`): a day of a few documents aligns each against each as before,
    a crowded day no longer costs the square of its documents.
    """
    options = [
        _pair(document, other, SAME_DAY)
        for document in mine
        for other in _shortlist(document, theirs)
    ]
    options.sort(key=lambda pair: pair.alignment.score, reverse=True)
    taken: set[int] = set()
    chosen = []
    for pair in options:
        if pair.alignment.score < MIN_SAME_DAY_SCORE:
            break
        if pair.document.id in taken or pair.counterpart.id in taken:
            continue
        taken.update((pair.document.id, pair.counterpart.id))
        chosen.append(pair)
    return chosen


def _shortlist(document: Candidate, theirs: Sequence[Candidate]) -> list[Candidate]:
    """The counterparts of ``document``'s kind worth aligning: all of them on a day of at
    most :data:`SHORTLIST`, else the :data:`SHORTLIST` nearest by :meth:`Profile.distance`
    and any as near as the last of them (an alignment costs some hundred times as much)."""
    same = [
        other
        for other in theirs
        if document.kind == other.kind and document.turn_ids and other.turn_ids
    ]
    if len(same) <= SHORTLIST:
        return same
    mine = document.profile
    distances = [mine.distance(other.profile) for other in same]
    # Ties stay in: one-turn statements have nothing to tell them apart but their text.
    last = heapq.nsmallest(SHORTLIST, distances)[-1]
    return [other for other, distance in zip(same, distances, strict=True) if distance <= last]


def _pair(document: Candidate, counterpart: Candidate, method: str) -> Pair:
    return Pair(document, counterpart, method, align(document.version, counterpart.version))


# -- reading ----------------------------------------------------------------------------


def _candidate_filter(since: str | None, after_document: int | None) -> str:
    """SQL over ``documents d``: the source's documents in no pair yet (:func:`pair_documents`)."""
    where = (
        "d.source = :source "
        "AND NOT EXISTS (SELECT 1 FROM document_pairs p WHERE p.document_id = d.id) "
        "AND NOT EXISTS (SELECT 1 FROM document_pairs p WHERE p.counterpart_id = d.id)"
    )
    if since:
        where += " AND d.date >= :since"
    if after_document is not None:
        where += (
            " AND (d.id > :after OR d.date IN (SELECT n.date FROM documents n "
            "WHERE n.source = :source AND n.id > :after))"
        )
    return where


def _stage_candidates(
    db: LazyDatabase, source: str, rule: Rule, since: str | None, after_document: int | None
) -> int:
    """Copy a source's unpaired documents (ids and what groups them, no text) into a
    temporary table in pairing order; returns how many.

    Each row's ``grp`` is what a pair's two documents share: the day (same-day), or the
    URL path (shared-id); ``NULL`` where the document cannot pair (no date, another kind,
    no page number). Rows are in the order the pairs were always written: days in order;
    page ids by their first document in the source's language. SQLite sorts on disk, and
    the table holds still while pairs are written (a cursor over ``documents`` would not).
    """
    db.execute(f"DROP TABLE IF EXISTS {_STAGED}")
    db.execute(
        f"CREATE TEMP TABLE {_STAGED.split('.')[1]} (seq INTEGER PRIMARY KEY, id INTEGER, "
        "url TEXT, date TEXT, language TEXT, kind TEXT, grp TEXT)"
    )
    params = {"source": source, "since": since, "after": after_document, "own": rule.language}
    if rule.method == SHARED_ID:
        db.conn.create_function("archive_shared_id", 1, shared_id, deterministic=True)
        group, order = "archive_shared_id(d.url)", "first, grp, id"
    else:
        kinds = ", ".join(f"'{kind}'" for kind in sorted(rule.kinds))
        group, order = f"CASE WHEN d.date <> '' AND d.kind IN ({kinds}) THEN d.date END", "grp, id"
    found = (
        f"SELECT d.id, d.url, d.date, d.language, d.kind, {group} AS grp FROM documents d "
        f"WHERE {_candidate_filter(since, after_document)}"
    )
    # A group pairs nothing without a document in the source's language and one in another.
    windowed = (
        "SELECT *, min(CASE WHEN language = :own THEN id END) OVER w AS first, "
        f"min(language) OVER w AS low, max(language) OVER w AS high FROM ({found}) "
        "WINDOW w AS (PARTITION BY grp)"
    )
    sql = (
        "SELECT id, url, date, language, kind, "
        f"CASE WHEN first IS NOT NULL AND low < high THEN grp END FROM ({windowed}) "
        f"ORDER BY {order}"
    )
    db.execute(f"INSERT INTO {_STAGED} (id, url, date, language, kind, grp) {sql}", params)
    return db.execute(f"SELECT count(*) FROM {_STAGED}").fetchone()[0]


def _candidate_batches(
    db: LazyDatabase, source: str, batch: int
) -> Iterator[list[list[Candidate]]]:
    """The staged candidates, grouped (a day, a page id), with their turns: about ``batch``
    documents at a time, a group never split."""
    after = 0
    groups: list[list[tuple[Any, ...]]] = []
    held = 0
    while True:
        rows = db.execute(
            f"SELECT seq, id, url, date, language, kind, grp FROM {_STAGED} "
            "WHERE seq > ? AND grp IS NOT NULL ORDER BY seq LIMIT ?",
            [after, batch],
        ).fetchall()
        for row in rows:
            if groups and groups[-1][0][6] == row[6]:
                groups[-1].append(row)
            else:
                if held >= batch:
                    yield _with_turns(db, source, groups)
                    groups, held = [], 0
                groups.append([row])
            held += 1
        if len(rows) < batch:
            break
        after = rows[-1][0]
    if groups:
        yield _with_turns(db, source, groups)


def _with_turns(
    db: LazyDatabase, source: str, groups: list[list[tuple[Any, ...]]]
) -> list[list[Candidate]]:
    """Candidates of ``groups`` (staged rows) with their turns (statements that are no quote)."""
    ids = [row[1] for group in groups for row in group]
    turns: dict[int, list[tuple[int, Turn]]] = defaultdict(list)
    rows = db.execute(
        "SELECT st.document_id, st.id, st.kind, sp.name, st.role, st.text, d.language "
        "FROM statements st JOIN documents d ON d.id = st.document_id "
        "LEFT JOIN speakers sp ON sp.id = st.speaker_id "
        "WHERE st.document_id IN (SELECT value FROM json_each(?)) AND st.parent_id IS NULL "
        "ORDER BY st.document_id, st.position",
        [json.dumps(ids)],
    )
    for document_id, statement_id, kind, speaker, role, text, language in rows:
        turns[document_id].append((statement_id, Turn(kind, speaker, role, text, language)))
    return [
        [_candidate(source, row[1:6], turns.get(row[1], [])) for row in group] for group in groups
    ]


def _candidate(source: str, row: Sequence[Any], turns: Iterable[tuple[int, Turn]]) -> Candidate:
    document_id, url, date, language, kind = row
    turns = list(turns)
    return Candidate(
        id=document_id,
        source=source,
        url=url,
        date=date,
        language=language,
        kind=kind,
        turn_ids=[statement_id for statement_id, _ in turns],
        turns=[turn for _, turn in turns],
    )
