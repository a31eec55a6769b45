"""How faithfully one text passes on another: alignment of a quotation with its original.

Pure functions, no SQL: :mod:`archive.provenance.trace` finds the candidates, this module
judges each one. A re-quote is aligned word by word (Chinese and Japanese character by
character) into the longer text, and labelled as a reader of both would:

- ``verbatim``: the same words, whole sentences of the original;
- ``fragment``: the same words, but only part of a sentence ("at their best");
- ``near-verbatim``: the original with small edits (a word changed, dropped or added),
  shown as a word diff;
- ``paraphrase``: mostly the original's content words in other wording.

Case, punctuation, quotation marks and spacing never count as edits: sites retype
quotes with their own typography.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

VERBATIM = "verbatim"
NEAR_VERBATIM = "near-verbatim"
FRAGMENT = "fragment"
PARAPHRASE = "paraphrase"
#: Labels from the most to the least faithful.
LABELS = (VERBATIM, NEAR_VERBATIM, FRAGMENT, PARAPHRASE)

#: Similarity (word alignment, 0–1) from which an edited quote is near-verbatim.
NEAR_VERBATIM_SIMILARITY = 0.8
#: Word alignment a paraphrase still needs: below it, shared words are formula
#: ("regional and international peace and stability"), not the same statement.
PARAPHRASE_SIMILARITY = 0.45
#: Share of the quote's content words found in the original for a paraphrase.
PARAPHRASE_OVERLAP = 0.7
#: A paraphrase needs at least this many content words in common: two shared words
#: ("China", "cooperation") say nothing.
PARAPHRASE_MIN_WORDS = 5

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: A token: one Han character, or a run of letters and digits ("Wray's" is "wray", "s").
_TOKEN = re.compile(rf"[{_HAN}]|[^\W_{_HAN}]+")
_HAN_CHAR = re.compile(f"[{_HAN}]")
_SENTENCE_END = re.compile(r"[.!?。！？;；](?=[\s\"'”’»」』)]|$)")

#: Words that carry no content: they decide nothing about a paraphrase.
STOP_WORDS = frozenset(
    """a an the and or but if of to in on at by for with from as into about over after before
    is are was were be been being am do does did have has had will would shall should can could
    may might must not no it its this that these those there here he she they we you i me him her
    them us our your their his my what which who whom whose when where why how all any both each
    few more most other some such only own same so than too very just also said says say told
    tell
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по ее мне было
    вот от меня еще нет о из ему теперь когда даже ну вдруг ли если уже или ни быть был него до
    вас нибудь опять уж вам ведь там потом себя ничего ей может они тут где есть надо ней для мы
    тебя их чем была сам чтоб без будто чего раз тоже себе под будет ж тогда кто этот того потому
    этого какой совсем ним здесь этом один почти мой тем чтобы нее сейчас были куда зачем всех
    никогда можно при наконец два об другой хоть после над больше тот через эти нас про всего них
    какая много разве три эту моя впрочем хорошо свою этой перед иногда лучше чуть том нельзя
    такой им более всегда конечно всю между
    的 了 是 在 和 也 就 都 而 及 与 着 或 一 个 这 那 之 其 为 对 于 以 上 中""".split()
)


@dataclass(frozen=True)
class Token:
    """A normalised word (or Han character) and where it stands in its text."""

    norm: str
    start: int
    end: int


@dataclass
class Match:
    """How a quotation relates to a text: the label, scores and the stretch that matched.

    ``similarity`` compares the quotation with the matched stretch of the original
    (1.0: the same words); ``coverage`` is the share of the quotation's words found
    there. ``start``/``end`` are character offsets of that stretch in the original, and
    ``diff`` shows a near-verbatim quotation's edits as ``[-original-]{+quotation+}``.
    """

    label: str
    similarity: float
    coverage: float
    start: int
    end: int
    diff: str | None = None


def normalise(text: str) -> str:
    """Fold case, width and typography so that only the words are compared."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return text.replace("ё", "е")


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    """The words of ``text`` (Han text: its characters), normalised, with offsets.

    Cached: a trace compares each candidate with the quotation and with the original.
    """
    folded = normalise(text)
    if len(folded) == len(text):  # the usual case: fold once, offsets unchanged
        return tuple(Token(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(folded))
    return tuple(Token(normalise(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text))


def content_words(words: Iterable[str]) -> set[str]:
    """The words that carry meaning, reduced to a crude stem so "sanctions" meets "sanction".

    Chinese has no spaces: its units of meaning are taken as pairs of adjacent characters
    (most words have two), single characters being too common to tell texts apart.
    """
    found: set[str] = set()
    previous = ""
    for word in words:
        if _is_han(word):
            if previous:
                found.add(previous + word)
            previous = word
            continue
        previous = ""
        if word not in STOP_WORDS and not word.isdigit():
            found.add(_stem(word))
    return found


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    if len(word) <= 4 or not word.isascii():
        return word[:6] if len(word) > 6 else word
    for suffix in ("ingly", "edly", "ings", "ing", "ies", "ied", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=8192)
def compare(quote: str, original: str) -> Match | None:
    """How ``quote`` passes on ``original``; ``None`` when it does not pass it on at all.

    ``quote`` is aligned into ``original`` (a quotation is usually part of a longer
    answer). Give the longer text as ``original``; :func:`compare_either` decides for you.
    Cached: ministries repeat their lines, so the same pair comes up again and again.
    """
    q = tokens(quote)
    o = tokens(original)
    if not q or not o:
        return None
    qn = [t.norm for t in q]
    on = [t.norm for t in o]
    start = _find_run(qn, on)
    if start is not None:
        end = start + len(qn)
        label = VERBATIM if _whole_sentences(original, o, start, end) else FRAGMENT
        return Match(label, 1.0, 1.0, o[start].start, o[end - 1].end)
    elided = _elided(quote, original, o, on)
    if elided is not None:
        return elided
    mine = _content_of(quote)
    # Cheap rejection before any alignment: most candidates share a few words only.
    if len(mine & _content_of(original)) < _needed(mine):
        return None
    matched, lo, hi = _best_window(qn, on)
    if not matched:
        return None
    coverage = matched / len(qn)
    similarity = 2 * matched / (len(qn) + (hi - lo))
    span = (o[lo].start, o[hi - 1].end)
    if (
        similarity >= NEAR_VERBATIM_SIMILARITY
        and coverage >= NEAR_VERBATIM_SIMILARITY
        and not _changes_facts(on[lo:hi], qn, o[lo:hi], original, q, quote)
    ):
        diff = word_diff(on[lo:hi], qn, o[lo:hi], q, original, quote)
        return Match(NEAR_VERBATIM, round(similarity, 3), round(coverage, 3), *span, diff)
    # A paraphrase says it in one place: its content words within about its own length.
    nearby = on[max(0, lo - len(qn)) : hi + len(qn)]
    shared = len(mine & content_words(nearby))
    if (
        similarity >= PARAPHRASE_SIMILARITY
        and shared >= _needed(mine)
        and _names(quote, q) <= set(nearby)
    ):
        return Match(PARAPHRASE, round(similarity, 3), round(shared / len(mine), 3), *span)
    return None


def _changes_facts(
    old: list[str],
    new: list[str],
    old_tokens: Sequence[Token],
    old_text: str,
    new_tokens: Sequence[Token],
    new_text: str,
) -> bool:
    """Whether an edit replaces a number or a name: "India" for "Indonesia" is not small.

    A name is a word capitalised inside a sentence of the original. An editor's words in
    square brackets ("[Washington] must stop") say whom the quote meant: they change
    nothing the speaker said.
    """
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "replace" or _bracketed(new_text, new_tokens[j1:j2]):
            continue
        for token in old_tokens[i1:i2]:
            word = old_text[token.start : token.end]
            before = old_text[max(0, token.start - 2) : token.start]
            inside = token.start > 0 and not re.search(r"[.!?。\n]\s*$", before)
            if word[:1].isdigit() or (word[:1].isupper() and inside):
                return True
    return False


def _bracketed(text: str, words: Sequence[Token]) -> bool:
    """Whether ``words`` stand inside one pair of square brackets of ``text``."""
    if not words:
        return False
    opening = text.rfind("[", 0, words[0].start)
    return (
        opening >= 0
        and "]" not in text[opening : words[0].start]
        and (
            text.find("]", words[-1].end) >= 0
            and "[" not in text[words[-1].end : text.find("]", words[-1].end)]
        )
    )


def _names(text: str, words: Sequence[Token]) -> set[str]:
    """Names and numbers of a text (normalised): a paraphrase keeps every one of them.

    A name is a word capitalised inside a sentence; Han text has no capitals, so there
    only numbers count.
    """
    found = set()
    for i, token in enumerate(words):
        word = text[token.start : token.end]
        gap = text[words[i - 1].end : token.start] if i else "."
        if word[:1].isdigit() or (word[:1].isupper() and not re.search(r"[.!?:]", gap)):
            found.add(token.norm)
    return found


def _needed(content: frozenset[str]) -> int:
    """Content words a text must share with a quotation to pass it on."""
    return max(PARAPHRASE_MIN_WORDS, math.ceil(PARAPHRASE_OVERLAP * len(content)))


@lru_cache(maxsize=4096)
def _content_of(text: str) -> frozenset[str]:
    return frozenset(content_words(t.norm for t in tokens(text)))


#: An ellipsis in a quotation: the quoting writer left words out.
_ELLIPSIS = re.compile(r"\s*(?:\.\s?\.\s?\.|…|\[\s*(?:\.\s?\.\s?\.|…)\s*\])\s*")


def _elided(quote: str, original: str, o: Sequence[Token], on: list[str]) -> Match | None:
    """A quotation with ellipses whose every part is the original's words, in order.

    "China has always … opposed interference" drops words but changes none: each part
    is found as it stands, one after the other, and the omissions show in the diff as
    ``[-words-]``. Labelled like an unbroken quotation (verbatim for whole sentences);
    the similarity is the share of the stretch the quotation kept.
    """
    if not _ELLIPSIS.search(quote):
        return None
    parts = [[t.norm for t in tokens(part)] for part in _ELLIPSIS.split(quote)]
    parts = [words for words in parts if words]
    if len(parts) < 2 or min(map(len, parts)) < 2:  # "China … the" is no quotation
        return None
    cursor, runs = 0, []
    for words in parts:
        at = _find_run(words, on[cursor:])
        if at is None:
            return None
        runs.append((cursor + at, cursor + at + len(words)))
        cursor += at + len(words)
    start, end = runs[0][0], runs[-1][1]

    def span(a: int, b: int) -> str:
        return original[o[a].start : o[b - 1].end]

    diff = []
    for (a, b), (after, _) in zip(runs, [*runs[1:], (end, end)]):
        diff.append(span(a, b))
        if after > b:
            diff.append(f"[-{span(b, after)}-]")
    label = VERBATIM if _whole_sentences(original, o, start, end) else FRAGMENT
    kept = sum(b - a for a, b in runs) / (end - start)
    return Match(label, round(kept, 3), 1.0, o[start].start, o[end - 1].end, " ".join(diff))


def compare_either(a: str, b: str) -> tuple[Match | None, bool]:
    """:func:`compare` with the shorter text as the quotation; also says if ``a`` was it."""
    if len(tokens(a)) <= len(tokens(b)):
        return compare(a, b), True
    return compare(b, a), False


def _find_run(needle: list[str], haystack: list[str]) -> int | None:
    """Where ``needle`` occurs as a contiguous run of ``haystack``, if it does."""
    first = needle[0]
    n = len(needle)
    for i in range(len(haystack) - n + 1):
        if haystack[i] == first and haystack[i : i + n] == needle:
            return i
    return None


def _whole_sentences(text: str, words: Sequence[Token], start: int, end: int) -> bool:
    """Whether words ``start:end`` of ``text`` begin and end at sentence boundaries.

    One word of slack at each end: a quote often drops the sentence's "And" or the
    speaker's vocative.
    """
    return _at_sentence_start(text, words, start) and _at_sentence_end(text, words, end)


def _at_sentence_start(text: str, words: Sequence[Token], index: int) -> bool:
    for i in (index, index - 1):
        if i <= 0:
            return True
        gap = text[words[i - 1].end : words[i].start]
        if _SENTENCE_END.search(gap + " ") or "\n" in gap:
            return True
    return False


def _at_sentence_end(text: str, words: Sequence[Token], index: int) -> bool:
    for i in (index, index + 1):
        if i >= len(words):
            return True
        gap = text[words[i - 1].end : words[i].start]
        if _SENTENCE_END.search(gap + " ") or "\n" in gap:
            return True
    return False


def _best_window(quote: list[str], original: list[str]) -> tuple[int, int, int]:
    """The stretch of ``original`` that best matches ``quote``: (matched words, lo, hi).

    Anchored on the longest common run, grown to the matching runs that lie within a
    quote's length of it, so that common words elsewhere in a long answer do not count.
    """
    n = len(quote)
    slack = max(3, n // 3)
    best = (0, 0, 0)
    candidates = _anchors(quote, original)
    for anchor_q, anchor_o in candidates:
        lo = max(0, anchor_o - anchor_q - slack)
        hi = min(len(original), anchor_o - anchor_q + n + slack)
        matcher = SequenceMatcher(None, quote, original[lo:hi], autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        if not blocks:
            continue
        matched = sum(b.size for b in blocks)
        w_lo = lo + blocks[0].b
        w_hi = lo + blocks[-1].b + blocks[-1].size
        if matched > best[0] or (matched == best[0] and w_hi - w_lo < best[2] - best[1]):
            best = (matched, w_lo, w_hi)
    return best


def _anchors(quote: list[str], original: list[str], most: int = 4) -> list[tuple[int, int]]:
    """Places where a rare-ish word of the quote occurs in the original: alignment seeds."""
    positions: dict[str, list[int]] = {}
    for i, word in enumerate(original):
        positions.setdefault(word, []).append(i)
    seeds: list[tuple[int, int, int]] = []  # (occurrences, quote index, original index)
    for qi, word in enumerate(quote):
        if word in STOP_WORDS or word not in positions:
            continue
        for oi in positions[word]:
            seeds.append((len(positions[word]), qi, oi))
    seeds.sort()
    anchors: list[tuple[int, int]] = []
    seen: set[int] = set()
    for _, qi, oi in seeds:
        offset = oi - qi
        if any(abs(offset - other) <= len(quote) // 2 for other in seen):
            continue
        seen.add(offset)
        anchors.append((qi, oi))
        if len(anchors) >= most:
            break
    return anchors


def word_diff(
    old: list[str],
    new: list[str],
    old_tokens: Sequence[Token],
    new_tokens: Sequence[Token],
    old_text: str,
    new_text: str,
) -> str:
    """The quotation against its original, edits marked ``[-removed-]`` and ``{+added+}``.

    Words are shown as the texts print them (case and accents kept), joined by spaces
    (Han characters without).
    """

    def show(items: Sequence[Token], text: str) -> str:
        return text[items[0].start : items[-1].end]

    parts: list[str] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(show(new_tokens[j1:j2], new_text))
            continue
        if i2 > i1:
            parts.append(f"[-{show(old_tokens[i1:i2], old_text)}-]")
        if j2 > j1:
            parts.append(f"{{+{show(new_tokens[j1:j2], new_text)}+}}")
    return _join(parts)


def _join(words: list[str]) -> str:
    """Words joined by spaces, except between Han characters (diff marks looked through)."""
    out = ""
    for word in words:
        before = out.rstrip("-]+}")[-1:]
        after = word.lstrip("[-{+")[:1]
        if out and not (_is_han(before) and _is_han(after)):
            out += " "
        out += word
    return out


def _is_han(text: str) -> bool:
    return bool(_HAN_CHAR.match(text))
