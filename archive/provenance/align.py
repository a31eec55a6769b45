"""Align the turns of one briefing published in two languages.

Pure functions, no SQL: :mod:`archive.provenance.pairing` reads the turns and stores what this
module finds. Ministries publish a press conference in their own language and in a
translation; the translation is not always complete (an answer left out of the English
version is news), and our own extraction sometimes splits or joins turns differently
in the two versions (a Chinese page that runs a follow-up question into its answer).

The alignment is a Gale–Church-style dynamic programme over turns, in order: a turn
matched with a turn (1–1), a turn present on one side only (1–0, 0–1), and two or three
consecutive turns of one side matched with one turn of the other (2–1, 1–2, 3–1, 1–3),
for a version that split a turn or printed an exchange inside it. A match is scored as
log-odds that the turns are the same turn, summed from independent clues (kind, speaker,
length, anchors: :mod:`archive.provenance.turn_scores`).

Leaving a turn unmatched has a price (:data:`SKIP_PENALTY`), so two turns are matched
when that is likelier than both versions lacking one; a turn with no plausible
counterpart is reported as missing rather than forced onto a neighbour. On the 435
pairs of the mirror whose versions have the same turns, every one aligns one to one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from archive.provenance.turn_scores import (
    Features,
    LengthModel,
    Turn,
    features,
    length_model,
    score_above,
)

#: What merging two turns into one costs, so a 1–1 match is preferred when equally good.
MERGE_PENALTY = 1.0
#: What merging an opening announcement with a turn of another kind costs. The Chinese
#: pages label a second announcement (the day's COVID-19 figures) as a question, so the
#: merge must stay possible; but the English announcement and question usually stand
#: apart, and a cheap merge glued the question to the announcement for its length.
MIXED_MERGE_PENALTY = 2.5
#: What leaving a turn unmatched costs: the prior odds against a version lacking a turn.
#: Two lone turns cost more than a weak match of the two (a terse translation of a short
#: answer), less than matching a question with an answer.
SKIP_PENALTY = 2.5


@dataclass(frozen=True)
class Link:
    """Turns of the left version matched with turns of the right one, or left alone.

    ``left`` and ``right`` hold indices into the two turn lists: one each for a match,
    two on one side for a merge, and an empty side for a turn the other version lacks.
    ``score`` is the log-odds of the match (``None`` for a lone turn); ``confidence``
    the same as a probability.
    """

    left: tuple[int, ...]
    right: tuple[int, ...]
    score: float | None = None

    @property
    def matched(self) -> bool:
        return bool(self.left and self.right)

    @property
    def confidence(self) -> float | None:
        if self.score is None:
            return None
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, self.score))))


@dataclass
class Alignment:
    """The turns of two versions in order: matches, merges and turns one version lacks."""

    links: list[Link] = field(default_factory=list)
    #: Share of both texts (in characters, as the length model weighs them) covered by
    #: matches, weighted by their confidence: 1.0 for two complete, clean versions.
    score: float = 0.0

    @property
    def pairs(self) -> list[tuple[int, int, float]]:
        """``(left, right, confidence)`` per pair of matched turns (a merge gives two)."""
        return [
            (i, j, link.confidence or 0.0)
            for link in self.links
            if link.matched
            for i in link.left
            for j in link.right
        ]

    @property
    def left_only(self) -> list[int]:
        """Turns of the left version the right one lacks."""
        return [i for link in self.links if not link.right for i in link.left]

    @property
    def right_only(self) -> list[int]:
        """Turns of the right version the left one lacks."""
        return [j for link in self.links if not link.left for j in link.right]


# -- the dynamic programme ------------------------------------------------------------

#: Most turns of one version matched with one turn of the other: three covers a
#: spokesperson's counter-question and the journalist's reply, printed as turns in English
#: and in brackets inside the answer in Chinese ("（记者：是的。）").
LONGEST_RUN = 3
#: Half-width of the band around the diagonal the programme explores, beyond the
#: difference in turn counts: versions drift apart by a few turns at most.
BAND = 4


@dataclass(frozen=True)
class Version:
    """One version's turns with their features, computed once however often it is aligned.

    A day with several documents in each language aligns each against each: features
    (regular expressions over every turn) cost more than the programme itself.
    """

    language: str | None
    features: tuple[Features, ...]

    @property
    def length(self) -> int:
        return sum(f.length for f in self.features)


def prepare(turns: Sequence[Turn], language: str | None = None) -> Version:
    """``turns`` ready to align; ``language`` defaults to the first turn's."""
    if language is None and turns:
        language = turns[0].language
    return Version(language, tuple(features(t) for t in turns))


def align(
    left: Sequence[Turn] | Version,
    right: Sequence[Turn] | Version,
    *,
    model: LengthModel | None = None,
) -> Alignment:
    """The best in-order alignment of two versions' turns.

    Args:
        left: the turns of one version (for a pair, the source's own language), or
            the same made ready by :func:`prepare`.
        right: the turns of the other.
        model: the length model from ``left``'s language to ``right``'s; by default
            the calibrated one for the two languages (see :func:`~.turn_scores.length_model`).
    """
    left = left if isinstance(left, Version) else prepare(left)
    right = right if isinstance(right, Version) else prepare(right)
    if model is None:
        model = length_model(left.language, right.language, left.length, right.length)
    return _programme(list(left.features), list(right.features), model)


def _runs(features: list[Features]) -> list[list[tuple[Features, float] | None]]:
    """``runs[k][i]``: turns ``i - k + 1`` to ``i`` run together, with what the merge costs.

    ``k`` goes from 2 to :data:`LONGEST_RUN`; each boundary inside a run costs
    :data:`MERGE_PENALTY`, or :data:`MIXED_MERGE_PENALTY` between an announcement and a
    turn of another kind.
    """
    runs: list[list[tuple[Features, float] | None]] = [[], []]
    previous: list[tuple[Features, float] | None] = [(f, 0.0) for f in features]
    for length in range(2, LONGEST_RUN + 1):
        current: list[tuple[Features, float] | None] = [None] * len(features)
        for i in range(length - 1, len(features)):
            before = previous[i - 1]
            if before is None:
                continue
            first, last = features[i - 1], features[i]
            kinds = {first.kinds[0], last.kinds[0]}
            cost = MIXED_MERGE_PENALTY if len(kinds) > 1 and "remark" in kinds else MERGE_PENALTY
            current[i] = (before[0] + last, before[1] + cost)
        runs.append(current)
        previous = current
    return runs


def _programme(lf: list[Features], rf: list[Features], model: LengthModel) -> Alignment:
    n, m = len(lf), len(rf)
    left_runs, right_runs = _runs(lf), _runs(rf)
    width = BAND + abs(n - m)
    slope = m / n if n else 0.0
    minus = -math.inf
    best = [[minus] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, float | None]]] = [
        [(0, 0, None)] * (m + 1) for _ in range(n + 1)
    ]
    best[0][0] = 0.0
    lengths = range(2, LONGEST_RUN + 1)
    for i in range(n + 1):
        centre = i * slope
        low, high = max(0, int(centre) - width), min(m, int(centre) + width + 1)
        if i == n:
            high = m
        row, back_row = best[i], back[i]
        for j in range(low, high + 1):
            if i == 0 and j == 0:
                continue
            here, move = minus, (0, 0, None)
            if i and best[i - 1][j] > minus:
                here, move = best[i - 1][j] - SKIP_PENALTY, (1, 0, None)
            if j and row[j - 1] - SKIP_PENALTY > here:
                here, move = row[j - 1] - SKIP_PENALTY, (0, 1, None)
            if not (i and j):
                row[j], back_row[j] = here, move
                continue
            if (before := best[i - 1][j - 1]) > minus:
                score = score_above(lf[i - 1], rf[j - 1], model, here - before)
                if score is not None and before + score > here:
                    here, move = before + score, (1, 1, score)
            for k in lengths:
                if i >= k and (before := best[i - k][j - 1]) > minus and left_runs[k][i - 1]:
                    merged, cost = left_runs[k][i - 1]
                    score = score_above(merged, rf[j - 1], model, here - before + cost)
                    if score is not None and before + score - cost > here:
                        here, move = before + score - cost, (k, 1, score)
                if j >= k and (before := best[i - 1][j - k]) > minus and right_runs[k][j - 1]:
                    merged, cost = right_runs[k][j - 1]
                    score = score_above(lf[i - 1], merged, model, here - before + cost)
                    if score is not None and before + score - cost > here:
                        here, move = before + score - cost, (1, k, score)
            row[j], back_row[j] = here, move
    links: list[Link] = []
    i, j = n, m
    while i or j:
        di, dj, score = back[i][j]
        if not di and not dj:  # outside the band: cannot happen with the last row full
            raise AssertionError("alignment left its band")
        links.append(Link(tuple(range(i - di, i)), tuple(range(j - dj, j)), score))
        i, j = i - di, j - dj
    links.reverse()
    return Alignment(links, _coverage(links, lf, rf, model))


def _coverage(
    links: Sequence[Link], left: Sequence[Features], right: Sequence[Features], model: LengthModel
) -> float:
    """Share of both versions' text in confident matches, right side in left characters."""
    total = sum(f.length for f in left) + sum(f.length for f in right) / model.ratio
    if not total:
        return 0.0
    covered = 0.0
    for link in links:
        if link.matched:
            size = sum(left[i].length for i in link.left)
            size += sum(right[j].length for j in link.right) / model.ratio
            covered += (link.confidence or 0.0) * size
    return round(covered / total, 4)
