"""Find quoted stretches of running text, whatever the typography.

News copy mixes curly and straight marks, guillemets, AP-style doubled single
quotes (``’’``), leftover HTML entities and quotes left open at the end of a
paragraph because the next paragraph continues them. This module pairs marks in
one pass per paragraph and returns raw spans; deciding what is a statement is
left to :mod:`mfa_scraper.attribution.quotes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Marks that open a double quotation whatever surrounds them.
DOUBLE_OPENERS = frozenset({"“", "„", "«", "‘‘", "``", "&ldquo;", "&#8220;", "&bdquo;", "&laquo;"})
#: Marks that close a double quotation.
DOUBLE_CLOSERS = frozenset({"”", "»", "’’", "''", "&rdquo;", "&#8221;", "&raquo;"})
#: Marks whose direction only context tells.
DOUBLE_STRAIGHT = frozenset({'"', "&quot;", "&#34;", "&#x22;"})
SINGLE_OPENERS = frozenset({"‘", "&lsquo;", "&#8216;"})
SINGLE_STRAIGHT = frozenset({"'", "’", "&rsquo;", "&#8217;", "&#39;", "&apos;"})

#: Every alternative opens with one literal character, so that ``re`` scans for the set of
#: first characters; an apostrophe between two letters or digits ("China’s", "don't") is left
#: out: in :func:`find_spans` it neither opens (a letter before it) nor closes (one after it) a
#: span, and news text holds more of them than quote marks. Same marks as the plain
#: alternation (entities, doubled marks first), in a third of the time.
_IN_WORD_NOT = r"(?:(?<![^\W_].)|(?![^\W_]))"  # not a letter or digit on both sides
MARK_RE = re.compile(
    r"&(?:quot|#34|#x22|ldquo|rdquo|#8220|#8221|bdquo|laquo|raquo|lsquo|rsquo|#8216|#8217"
    r"|#39|apos);|‘‘?|’’|''|``|\"|“|”|„|«|»"
    rf"|'{_IN_WORD_NOT}|’{_IN_WORD_NOT}"
)
PARAGRAPH_RE = re.compile(r"[^\n]+")
_OPEN_BEFORE = frozenset(" \t([{—–-/:;,")
#: What any span needs: a double mark, an entity, an opening single mark, or an apostrophe
#: where a quote could open (after :data:`_OPEN_BEFORE`, another mark or a line break). Most
#: text has only apostrophes inside words ("China’s"), which never open a span: one search
#: rejects it instead of a walk over every mark of every paragraph. Written as one character
#: class and a fixed-width look-behind so ``re`` scans for the class: 10× faster than the
#: alternation.
_MAY_OPEN_RE = re.compile(r"[\"“”„«»‘&`'’](?<![^\n \t(\[{—–\-/:;,'’]['’])")


@dataclass
class Span:
    """A quoted stretch: ``start``/``end`` exclude the marks and outer whitespace.

    ``open_mark``/``close_mark`` are the offsets of the marks themselves
    (``close_mark`` is the paragraph end when the quote runs on); ``runs_on``
    says the paragraph ended with the quote open; ``continues`` says it reopens
    a quote the previous paragraph left open.
    """

    start: int
    end: int
    open_mark: int
    close_mark: int
    para_start: int
    para_end: int
    runs_on: bool = False
    continues: bool = False
    close_end: int = -1  # offset just after the closing mark (entities are several chars)

    def __post_init__(self) -> None:
        if self.close_end < 0:
            self.close_end = self.close_mark + 1


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def find_spans(text: str) -> list[Span]:
    """All quoted spans in ``text``, in order; nested quotes stay inside their parent."""
    if not _MAY_OPEN_RE.search(text):
        return []
    spans: list[Span] = []
    left_open = False  # the previous paragraph ended inside a quote
    for para in PARAGRAPH_RE.finditer(text):
        p_start, p_end = para.span()
        depth_open: int | None = None  # offset of the open double mark
        open_len = 0
        single_open: int | None = None
        first = True
        for m in MARK_RE.finditer(text, p_start, p_end):
            tok = m.group()
            i, j = m.span()
            prev = text[i - 1] if i > p_start else " "
            nxt = text[j] if j < p_end else " "
            looks_open = prev in _OPEN_BEFORE or prev in "“\"'‘"
            looks_close = not looks_open
            if tok in DOUBLE_OPENERS or tok in DOUBLE_CLOSERS or tok in DOUBLE_STRAIGHT:
                if depth_open is None:
                    if tok in DOUBLE_CLOSERS and not (
                        looks_open and (nxt.isalnum() or nxt in "[.…'‘")
                    ):
                        continue
                    depth_open, open_len = i, j - i
                    single_open = None
                else:
                    if tok in DOUBLE_OPENERS and looks_open and nxt.isalnum():
                        # A new quote opens before the last one closed: treat the
                        # last one as unterminated at this point.
                        pass
                    start, end = _trimmed(text, depth_open + open_len, i)
                    if end > start:
                        spans.append(
                            Span(start, end, depth_open, i, p_start, p_end, close_end=j,
                                 continues=left_open and first)
                        )  # fmt: skip
                    first = False
                    depth_open = None
                continue
            if depth_open is not None:
                continue  # single marks inside a double quote are nested quotes
            # a right single mark after the quote's last punctuation closes it (",’ said")
            closes = looks_close or (tok == "’" and prev in ",.;:!?…" and single_open is not None)
            if tok in SINGLE_OPENERS or (tok in SINGLE_STRAIGHT and looks_open and not closes):
                if (nxt.isalnum() or nxt in "[…") and not (tok == "'" and nxt.isdigit()):
                    single_open = i if single_open is None else single_open
                    open_len = j - i
                continue
            if single_open is not None and closes and not nxt.isalnum():
                start, end = _trimmed(text, single_open + open_len, i)
                if end > start:
                    spans.append(Span(start, end, single_open, i, p_start, p_end, close_end=j))
                single_open = None
        if depth_open is not None:
            start, end = _trimmed(text, depth_open + open_len, p_end)
            if end > start:
                spans.append(
                    Span(start, end, depth_open, p_end, p_start, p_end, runs_on=True,
                         continues=left_open and first)
                )  # fmt: skip
            left_open = True
        else:
            left_open = False
    return spans


#: Pairs of marks in Chinese and Russian typography: “…” and 「…」/『…』 in Chinese,
#: «…» with „…“ inside in Russian. 《…》 (book titles) are deliberately absent: a
#: title is never a quotation.
NESTED_PAIRS = {"“": "”", "«": "»", "„": "“", "「": "」", "『": "』", "‘": "’", '"': '"'}
_NESTED_MARK_RE = re.compile(r"[“”«»„「」『』‘’\"]")
#: Closers also accepted for an opener: „…” is as common online as „…“.
_ALSO_CLOSES = {"„": "”"}


def find_spans_nested(text: str) -> list[Span]:
    """Top-level quoted spans of Chinese or Russian text; nested quotes stay inside.

    Unlike English copy, these typographies open and close with distinct marks
    and nest them («… „…“ …», “…‘…’…”), so marks are paired with a stack. A
    paragraph that ends inside a quote yields a ``runs_on`` span, and a paragraph
    that opens with a mark after one did ``continues`` it, as in
    :func:`find_spans`.
    """
    if not _NESTED_MARK_RE.search(text):
        return []
    spans: list[Span] = []
    left_open = False
    for para in PARAGRAPH_RE.finditer(text):
        p_start, p_end = para.span()
        stack: list[tuple[str, int]] = []
        first = True
        for m in _NESTED_MARK_RE.finditer(text, p_start, p_end):
            mark, i = m.group(), m.start()
            depth = _closing_depth(stack, mark)
            if depth is not None:
                opener, at = stack[depth]
                del stack[depth:]
                if not stack:
                    start, end = _trimmed_cjk(text, at + 1, i)
                    if end > start:
                        spans.append(Span(start, end, at, i, p_start, p_end, close_end=i + 1,
                                          continues=left_open and first))  # fmt: skip
                    first = False
            elif mark in NESTED_PAIRS and (mark not in '‘"' or stack or _opens(text, i, p_end)):
                stack.append((mark, i))
        if stack:
            at = stack[0][1]
            start, end = _trimmed_cjk(text, at + 1, p_end)
            if end > start:
                spans.append(Span(start, end, at, p_end, p_start, p_end, runs_on=True,
                                  continues=left_open and first))  # fmt: skip
            left_open = True
        else:
            left_open = False
    return spans


def _closing_depth(stack: list[tuple[str, int]], mark: str) -> int | None:
    """Index in ``stack`` of the opener that ``mark`` closes, innermost first; else None.

    An inner quote left unclosed ("«… „…»") is closed together with its parent.
    """
    for depth in range(len(stack) - 1, -1, -1):
        opener = stack[depth][0]
        if mark == NESTED_PAIRS[opener] or mark == _ALSO_CLOSES.get(opener):
            return depth
    return None


def _opens(text: str, i: int, p_end: int) -> bool:
    """Whether a straight or single mark at ``i`` opens a quote (a word follows it)."""
    return i + 1 < p_end and (text[i + 1].isalnum() or text[i + 1] in "…[")


def _trimmed_cjk(text: str, start: int, end: int) -> tuple[int, int]:
    """Like :func:`_trimmed`, also dropping a full-width comma left before the closing mark."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",，、"):
        end -= 1
    return start, end
