"""How likely two turns of a briefing's two language versions are the same turn.

Pure functions, no SQL: :mod:`archive.provenance.align` meets each turn of one version
against a dozen of the other's and keeps the likeliest order. A match of two turns, or of
a run of turns with one turn, is scored as log-odds that they are the same turn, summed
from independent clues:

- **kind**: a question is translated as a question, an answer as an answer;
- **speaker**: the same canonical name where both sides name one in the same script
  (names in different scripts say nothing until the registry joins them);
- **length**: English runs 3.2 characters per Chinese character, digits and spaces left
  out (measured on the 433 press conferences of the 2018–2020 mirror whose versions have
  the same turns, 7,989 turns: the spread of the log ratio falls from 0.29 for 10–20
  Chinese characters to 0.11 above 300, modelled as ``0.11² + 1/length``), with a small
  share of free renderings;
- **anchors**: numbers, months and days (6月15日 ↔ June 15 ↔ 15 июня), and Latin words
  inside a Chinese or Russian text (WHO, G7, Huawei, COVID-19, and 世卫组织 read as WHO)
  found in the other text.

A turn's clues are read once (:func:`features`), then compared with many turns of the other
version.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

#: Log-odds that two turns of a kind are the same turn, by their kinds. Question and
#: remark swap in practice: the Chinese site labels some opening announcements "问".
KIND_SCORES: dict[frozenset[str], float] = {
    frozenset({"question"}): 0.7,
    frozenset({"answer"}): 0.7,
    frozenset({"remark"}): 0.7,
    frozenset({"report"}): 0.7,
    frozenset({"remark", "question"}): -0.5,
    frozenset({"remark", "answer"}): -1.0,
    frozenset({"question", "answer"}): -3.0,
}
#: Any other pair of differing kinds.
OTHER_KINDS_SCORE = -1.5

SAME_SPEAKER = 1.5
OTHER_SPEAKER = -2.5
SAME_ROLE = 0.3
OTHER_ROLE = -0.5

#: Per shared anchor, and per number or month found in one text only (translations round
#: "1.4 billion" into 14亿, so a lone number is weak evidence against).
SHARED_ANCHOR = 1.2
MAX_ANCHOR_BONUS = 6.0
UNSHARED_ANCHOR = -0.3
MAX_ANCHOR_PENALTY = -2.4

#: Share of free renderings among translated turns, and the spread of their log length
#: ratio: a short question is often rendered much shorter or longer ("So you mean they are
#: treated as foreign missions, right?" for 36 Chinese characters that name the five US
#: media). Chosen on the mirror's 435 pairs whose versions have the same turns: with 2%
#: one of them was misaligned, with 5% none.
FREE_RENDERING = 0.05
FREE_RENDERING_SD = 0.5
#: Spread of the log length ratio of unrelated turns: the alternative hypothesis.
UNRELATED_LOG_RATIO_SD = 1.0
_UNRELATED_NORM = math.log(UNRELATED_LOG_RATIO_SD)


@dataclass(frozen=True)
class LengthModel:
    """How the length of a turn's translation relates to the turn's length.

    ``ratio`` is characters of the second language per character of the first (whitespace
    left out); the log ratio of a true pair is normal around ``log(ratio)`` with variance
    ``spread² + noise / length`` (``length`` in characters of the first language): short
    turns ("Three." / "三个。") vary far more than long ones.
    """

    ratio: float
    spread: float = 0.11
    noise: float = 1.0
    measured: bool = True
    #: Per length of the first version, the terms of its score that do not depend on the
    #: second one: the programme meets each left turn against a dozen right ones.
    terms: dict[int, tuple[float, ...] | None] = field(
        default_factory=dict, compare=False, hash=False, repr=False
    )

    def score(self, left: int, right: int) -> float:
        """:func:`length_score` of two lengths."""
        terms = self.terms.get(left, False)
        if terms is False:
            terms = self.terms[left] = self._terms(left)
        if terms is None:
            return 0.0
        expected, narrow_norm, narrow_precision, wide_norm, wide_precision = terms
        square = (math.log(right + 1) - expected) ** 2
        narrow = narrow_norm - narrow_precision * square
        wide = wide_norm - wide_precision * square
        mixture = max(narrow, wide) + math.log1p(math.exp(-abs(narrow - wide)))
        return mixture + square / (2 * UNRELATED_LOG_RATIO_SD**2) + _UNRELATED_NORM

    def _terms(self, left: int) -> tuple[float, ...] | None:
        """Expected log length, and log-norms and precisions of the two normals."""
        sd = math.sqrt(self.spread**2 + self.noise / (left + 1))
        if sd >= UNRELATED_LOG_RATIO_SD:  # too short to tell anything by its length
            return None
        wide_sd = max(sd, FREE_RENDERING_SD)
        return (
            math.log(left + 1) + math.log(self.ratio),
            math.log((1 - FREE_RENDERING) / sd),
            1 / (2 * sd * sd),
            math.log(FREE_RENDERING / wide_sd),
            1 / (2 * wide_sd * wide_sd),
        )

    def inverse(self) -> LengthModel:
        """The same model seen from the other language."""
        return _INVERSES.setdefault(
            self, LengthModel(1 / self.ratio, self.spread, self.noise * self.ratio, self.measured)
        )


_INVERSES: dict[LengthModel, LengthModel] = {}

#: Calibrated language pairs: ``(a, b)`` gives characters of ``b`` per character of ``a``.
#: zh→en measured on the mirror (see the module docstring); ru→en is a typical figure for
#: Russian and English prose, not measured here (no Russian Kremlin pages were available).
LENGTH_MODELS: dict[tuple[str, str], LengthModel] = {
    ("zh", "en"): LengthModel(3.2, 0.11, 1.0),
    ("ru", "en"): LengthModel(0.9, 0.12, 3.0, measured=False),
}


def length_model(
    left: str | None, right: str | None, left_chars: int = 0, right_chars: int = 0
) -> LengthModel:
    """The length model from ``left``'s language to ``right``'s.

    An uncalibrated pair takes the ratio of the two documents' total lengths, with a wider
    spread: better than assuming equal lengths, though a long missing answer skews it.
    """
    if (left, right) in LENGTH_MODELS:
        return LENGTH_MODELS[left, right]
    if (right, left) in LENGTH_MODELS:
        return LENGTH_MODELS[right, left].inverse()
    ratio = (right_chars + 1) / (left_chars + 1) if left_chars and right_chars else 1.0
    return LengthModel(ratio, 0.2, 3.0 * max(ratio, 1.0), measured=False)


@dataclass(frozen=True)
class Turn:
    """One turn of a transcript as the aligner sees it."""

    kind: str
    speaker: str | None
    role: str | None
    text: str
    language: str | None = None


# -- features -------------------------------------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CYRILLIC = "\u0400-\u04ff"
#: A run of Latin letters and digits holding a letter (WHO, G7, 5G, COVID-19, Huawei).
_LATIN_WORD = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z0-9-]*[A-Za-z][A-Za-z0-9-]*")
#: The same in a Latin text, only where it can be a name: a capital or a digit in it.
_NAME_WORD = re.compile(r"(?<![A-Za-z0-9-])[A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*")
#: Names a Chinese or Russian text writes in its own script where English keeps an
#: acronym or a Latin name: counted as that Latin word. Only distinctive ones: a name in
#: every other turn ("the US", 美国) would tie everything to everything.
TERMS: dict[str, str] = {
    "二十国集团": "g20",
    "七国集团": "g7",
    "世卫组织": "who",
    "世界卫生组织": "who",
    "北约": "nato",
    "东盟": "asean",
    "金砖国家": "brics",
    "上合组织": "sco",
    "上海合作组织": "sco",
    "亚太经合组织": "apec",
    "世贸组织": "wto",
    "世界贸易组织": "wto",
    "国际货币基金组织": "imf",
    "新冠肺炎": "covid-19",
    "华为": "huawei",
    "中兴": "zte",
    "推特": "twitter",
    "脸书": "facebook",
    "ВОЗ": "who",
    "НАТО": "nato",
    "АСЕАН": "asean",
    "БРИКС": "brics",
    "ШОС": "sco",
    "АТЭС": "apec",
    "ВТО": "wto",
    "МВФ": "imf",
    "Хуавэй": "huawei",
}
_TERM = re.compile("|".join(map(re.escape, sorted(TERMS, key=len, reverse=True))))
#: Languages not written in Latin letters, whose Latin words are anchors.
NON_LATIN_LANGUAGES = frozenset({"zh", "ja", "ko", "ru", "uk", "be", "ar", "fa"})
CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be"})
#: A figure (1,318 / 1.4 / 75th), not part of a word or code (G7, COVID-19, 5G); what
#: precedes it is checked in :func:`_figures`: a regular expression that starts with a
#: look-behind is tried at every character, up to twice as slow on long answers.
_NUMBER = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)(?:st|nd|rd|th|s)?(?![A-Za-z0-9月])")
_WORD_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_HAN_MONTH = re.compile(r"(\d{1,2})月")
_EN_MONTHS = (
    "january february march april may june july august september october november december"
).split()
#: English month names and abbreviations, as the name-like words of a text find them.
_EN_MONTH = {
    **{name: f"m{n}" for n, name in enumerate(_EN_MONTHS, 1)},
    **{name[:3]: f"m{n}" for n, name in enumerate(_EN_MONTHS, 1)},
    "sept": "m9",
}
_RU_MONTHS = "январ феврал март апрел ма июн июл август сентябр октябр ноябр декабр".split()
_RU_MONTH = re.compile(
    r"(?<=\d\s)(январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)"
    r"[а-я]*",
    re.IGNORECASE,
)


def script(text: str) -> str:
    """``han``, ``cyrillic`` or ``latin``: which writing a name or text is mostly in."""
    han = len(re.findall(f"[{_HAN}]", text))
    cyrillic = len(re.findall(f"[{_CYRILLIC}]", text))
    latin = len(re.findall("[A-Za-z]", text))
    best = max(han, cyrillic, latin)
    if best == 0 or best == latin:
        return "latin"
    return "han" if best == han else "cyrillic"


@dataclass(frozen=True)
class Features:
    """What the scoring needs of a turn (or of two consecutive turns), computed once."""

    kinds: tuple[str, ...]
    #: Per turn, who speaks and in what role: (case-folded name, script), or None.
    speakers: tuple[tuple[str, str] | None, ...]
    roles: tuple[tuple[str, str] | None, ...]
    length: int
    numbers: frozenset[str]
    foreign: frozenset[str]  # Latin words of a non-Latin text: must appear in the other
    words: frozenset[str]  # Latin words of a Latin text, lower-cased
    latin: bool
    #: Numbers and months, with the Latin words of a non-Latin text: the most anchors it
    #: can share with another text (a Latin text shares at most its numbers and the other
    #: text's Latin words).
    anchors: int = 0

    def __add__(self, other: Features) -> Features:
        """Two consecutive turns as one, for a merge."""
        return Features(
            self.kinds + other.kinds,
            self.speakers + other.speakers,
            self.roles + other.roles,
            self.length + other.length,
            self.numbers | other.numbers,
            self.foreign | other.foreign,
            self.words | other.words,
            self.latin,
            self.anchors + other.anchors,
        )


def anchors(
    text: str, language: str | None = None
) -> tuple[frozenset[str], frozenset[str], frozenset[str], bool]:
    """Numbers and months (``m6``), Latin words of a non-Latin text, name-like words of a
    Latin one, and whether the text is Latin; the language, when known, saves a guess."""
    latin = language not in NON_LATIN_LANGUAGES if language else script(text[:500]) == "latin"
    numbers: set[str] = set()
    if latin:
        found = {w.lower().strip("-") for w in _NAME_WORD.findall(text)}
        numbers.update(_EN_MONTH[w] for w in found if w in _EN_MONTH)
    elif language in CYRILLIC_LANGUAGES or language is None and script(text[:500]) == "cyrillic":
        numbers.update(f"m{_RU_MONTHS.index(m.lower()) + 1}" for m in _RU_MONTH.findall(text))
    else:
        numbers.update(f"m{int(month)}" for month in _HAN_MONTH.findall(text))
    numbers.update(_figures(text))
    if latin:
        parts = {p for w in found if "-" in w for p in w.split("-") if p}
        return frozenset(numbers), frozenset(), frozenset(found | parts), True
    found = {w.lower().strip("-") for w in _LATIN_WORD.findall(text)}
    found.update(TERMS[term] for term in _TERM.findall(text))
    return frozenset(numbers), frozenset(found), frozenset(), False


def _figures(text: str) -> set[str]:
    """The figures of a text, written alike whatever the language ("1,000" as "1000")."""
    found = set()
    for match in _NUMBER.finditer(text):
        start = match.start()
        before = text[start - 1] if start else ""
        if before and (before in _WORD_CHARACTERS or before in ".,"):
            continue  # inside a word or a longer figure
        if before == "-" and start > 1 and text[start - 2].isascii() and text[start - 2].isalpha():
            continue  # COVID-19
        value = match.group(1).replace(",", "")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        found.add(value.lstrip("0") or "0")
    return found


def _length(text: str) -> int:
    """Characters that a translation lengthens or shortens: not spaces, not digits.

    Figures are written alike in both versions ("64111" in Chinese and English): counted
    as text, a figure-laden announcement looked twice too short in English.
    """
    return len("".join(text.split())) - sum(text.count(digit) for digit in "0123456789")


@lru_cache(maxsize=4096)
def _name(value: str | None) -> tuple[str, str] | None:
    return (value.casefold(), script(value)) if value and value.strip() else None


def features(turn: Turn) -> Features:
    """The features of one turn."""
    numbers, foreign, words, latin = anchors(turn.text, turn.language)
    return Features(
        (turn.kind,),
        (_name(turn.speaker),),
        (_name(turn.role),),
        _length(turn.text),
        numbers,
        foreign,
        words,
        latin,
        len(numbers) + len(foreign),
    )


# -- scoring --------------------------------------------------------------------------


@lru_cache(maxsize=256)
def kind_score(left: tuple[str, ...], right: tuple[str, ...]) -> float:
    """Log-odds by kind; a merge by the kind of its first turn.

    Turns run together keep the first one's label (a question whose answer lost its
    "答：" is filed as a question), so an answer followed by a question matches an answer,
    never a question.
    """
    return KIND_SCORES.get(frozenset({left[0], right[0]}), OTHER_KINDS_SCORE)


def speaker_score(left: Features, right: Features) -> float:
    """Same speaker, other speaker, or nothing known (missing, or names in two scripts).

    Where the speakers say nothing, the roles are compared the same way, for less. A merge
    scores the mean over its turns: two speakers' turns run together match neither well.
    """
    total = 0.0
    for speaker, role in zip(left.speakers, left.roles):
        for other_speaker, other_role in zip(right.speakers, right.roles):
            total += _person_score(speaker, role, other_speaker, other_role)
    return total / (len(left.speakers) * len(right.speakers))


@lru_cache(maxsize=4096)
def _person_score(
    speaker: tuple[str, str] | None,
    role: tuple[str, str] | None,
    other_speaker: tuple[str, str] | None,
    other_role: tuple[str, str] | None,
) -> float:
    if speaker and other_speaker and speaker[1] == other_speaker[1]:
        return SAME_SPEAKER if speaker[0] == other_speaker[0] else OTHER_SPEAKER
    if role and other_role and role[1] == other_role[1]:
        return SAME_ROLE if role[0] == other_role[0] else OTHER_ROLE
    return 0.0


def length_score(left: int, right: int, model: LengthModel) -> float:
    """Log-likelihood ratio of the two lengths: a translation against an unrelated turn.

    A translation's log length ratio is normal around the model's, with a small share of
    terse or wordy renderings ("I'll leave that to Twitter." for a sentence twice as long
    in Chinese) from a wider normal, so one odd length does not outweigh every other clue.
    Unrelated turns' log ratios spread as a normal of :data:`UNRELATED_LOG_RATIO_SD`.
    """
    return model.score(left, right)


def anchor_score(left: Features, right: Features) -> float:
    """Shared numbers, months and Latin words, against numbers found on one side only."""
    if not (left.anchors or right.anchors):
        return 0.0
    shared = len(left.numbers & right.numbers)
    if not left.latin and right.latin:
        shared += len(left.foreign & right.words)
    elif left.latin and not right.latin:
        shared += len(right.foreign & left.words)
    unshared = len(left.numbers ^ right.numbers)
    bonus = min(MAX_ANCHOR_BONUS, SHARED_ANCHOR * shared)
    return bonus + max(MAX_ANCHOR_PENALTY, UNSHARED_ANCHOR * unshared)


def match_score(left: Features, right: Features, model: LengthModel) -> float:
    """Log-odds that ``left`` and ``right`` are the same turn(s) in two languages: the sum
    of :func:`kind_score`, :func:`speaker_score`, :func:`length_score` and
    :func:`anchor_score`."""
    return (
        kind_score(left.kinds, right.kinds)
        + speaker_score(left, right)
        + model.score(left.length, right.length)
        + anchor_score(left, right)
    )


#: The most the clues other than length can add to a match: a match whose length score
#: falls short of what it must beat by more than this is not scored further.
_MOST_BUT_LENGTH = max(KIND_SCORES.values()) + SAME_SPEAKER + MAX_ANCHOR_BONUS


def score_above(left: Features, right: Features, model: LengthModel, floor: float) -> float | None:
    """:func:`match_score`, or ``None`` when it cannot exceed ``floor``.

    The programme asks, for every cell, whether a match beats the best move found so
    far; most candidate matches in a cell are hopeless on length and kind alone, and the
    other clues (names and sets) cost more to compute than a bound on them.
    """
    score = model.score(left.length, right.length) + kind_score(left.kinds, right.kinds)
    most_shared = (
        min(left.anchors, right.anchors)
        if left.latin == right.latin
        else (left.anchors if not left.latin else right.anchors)
    )
    if score + SAME_SPEAKER + min(MAX_ANCHOR_BONUS, SHARED_ANCHOR * most_shared) <= floor:
        return None
    return score + speaker_score(left, right) + anchor_score(left, right)
