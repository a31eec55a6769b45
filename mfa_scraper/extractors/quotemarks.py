"""Find quoted stretches of running text, whatever the typography.

News copy mixes curly and straight marks, guillemets, AP-style doubled single
quotes (``’’``), leftover HTML entities and quotes left open at the end of a
paragraph because the next paragraph continues them. This module pairs marks in
one pass per paragraph and returns raw spans; deciding what is a statement is
left to :mod:`mfa_scraper.extractors.quotes`.
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

MARK_RE = re.compile(
    r"&(?:quot|#34|#x22|ldquo|rdquo|#8220|#8221|bdquo|laquo|raquo|lsquo|rsquo|#8216|#8217"
    r"|#39|apos);|‘‘|’’|''|``|[\"“”„«»‘’']"
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
            if tok in SINGLE_OPENERS or (tok in SINGLE_STRAIGHT and looks_open):
                if (nxt.isalnum() or nxt in "[…") and not (tok == "'" and nxt.isdigit()):
                    single_open = i if single_open is None else single_open
                    open_len = j - i
                continue
            if single_open is not None and looks_close and not nxt.isalnum():
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
