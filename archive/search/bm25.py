"""FTS5's bm25, computed in Python exactly as SQLite computes it, and bounds on it.

:mod:`archive.search.top_k` ranks a page from stored term frequencies instead of asking FTS5 to
score every hit; its scores must be FTS5's to the last bit, or its pages would not sort as
the reference query's. The arithmetic below is ``fts5Bm25Function`` and ``fts5Bm25GetData``
of SQLite's ``fts5_aux.c``, operation for operation, in IEEE doubles as there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: FTS5's constants: term-frequency saturation and length normalisation.
K1 = 1.2
B = 0.75
#: What FTS5 puts in place of an idf at or below zero (a phrase in over half the rows).
MIN_IDF = 1e-6


def idf(rows: int, hits: int) -> float:
    """The inverse document frequency of a phrase found in ``hits`` of ``rows`` rows."""
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0.0 else MIN_IDF


def factor(tf: float, dl: float, avgdl: float) -> float:
    """bm25's term-frequency factor of a phrase found ``tf`` times in a row ``dl`` tokens long."""
    return (tf * (K1 + 1.0)) / (tf + K1 * (1 - B + B * dl / avgdl))


def score(idfs: Sequence[float], tfs: Sequence[float], dl: float, avgdl: float) -> float:
    """The rank FTS5's ``bm25()`` gives a row (negative: lower is better)."""
    total = 0.0
    for weight, tf in zip(idfs, tfs, strict=True):
        total += weight * factor(tf, dl, avgdl)
    return -1.0 * total


def term_frequency(rank: float, weight: float, dl: float, avgdl: float) -> int | None:
    """The term frequency behind a single-phrase ``rank`` (None: no whole number gives it)."""
    g = -rank / weight
    length = K1 * (1 - B + B * dl / avgdl)
    if not 0.0 < g < K1 + 1.0:
        return None
    tf = round(g * length / (K1 + 1.0 - g))
    return tf if tf >= 1 and score([weight], [tf], dl, avgdl) == rank else None


def factor_bound(cut: float, built_avgdl: float, avgdl: float) -> float:
    """The largest factor, at ``avgdl``, of a row whose factor was at most ``cut`` at
    ``built_avgdl``.

    A new average length rescales every row's length (``dl / avgdl``), which reorders rows
    of different term frequencies: a long row with many occurrences gains on a short one.
    Along the boundary ``factor == cut`` the factor at the new average is monotonic in the
    term frequency, so its supremum is at tf = 1 or in the limit of large tf.
    """
    if cut <= 0.0:
        return 0.0
    if cut >= K1 + 1.0:
        return K1 + 1.0
    ratio = built_avgdl / avgdl
    # On the boundary the length term K = 1 - b + b·dl/avgdl grows linearly with tf.
    slope = (K1 + 1.0 - cut) / (cut * K1)
    limit = (K1 + 1.0) / (1.0 + K1 * ratio * slope)
    length_at_one = max(1 - B, slope)  # tf = 1: a row cannot be shorter than 0 tokens
    at_one = (K1 + 1.0) / (1.0 + K1 * (1 - B + ratio * (length_at_one - (1 - B))))
    # A little slack for rounding: the bound must never fall below a true factor.
    return max(cut, limit, at_one) * (1.0 + 1e-9)
