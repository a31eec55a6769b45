"""Quotations in running English text, attributed: the English engine's entry point.

:func:`extract_quotes` pairs quote marks (:mod:`..quotemarks`), keeps the spans that are
statements (:mod:`.spans`) and attributes each through its reporting cue to a speaker resolved
against the document's names (:mod:`.entities`): "he" to the last speaker, "Xi" to "Xi Jinping",
roles and countries split off the name.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from mfa_scraper.attribution.en.cues import (
    CUE_RE,
    trailing_phrase,
)
from mfa_scraper.attribution.en.entities import _Resolver
from mfa_scraper.attribution.en.spans import _classify, _sentence_start
from mfa_scraper.attribution.mentions import PeopleIndex
from mfa_scraper.attribution.quotemarks import Span, find_spans
from mfa_scraper.items import Quote

_WORDS = Path(__file__).resolve().parent

#: Single words that are never a speaker, though they stand where a subject would.
NON_SPEAKER_WORDS = frozenset(
    "i we you me us some many most others first second third fourth finally can just as so "
    "it this that there here reports report people someone somebody".split()
)


#: First words of phrases that are openers or hedges, not speakers.
NON_SPEAKER_OPENERS = frozenset(
    "according as so just can could first second third finally if when while since reports".split()
)


def extract_english(
    text: str, *, people: PeopleIndex | None = None, context: Iterable[str] = ()
) -> list[Quote]:
    """Statements quoted in ``text``, in order, attributed to resolved speakers.

    Chinese and Russian text (by its script, :func:`text_language`) goes through
    the cue finders of :mod:`.cues_zh` and :mod:`.cues_ru`; speakers resolve to the
    same registry identities ("赵立坚" and "Чжао Лицзянь" are "Zhao Lijian").

    Args:
        text: plain text; paragraphs separated by newlines.
        people: a document-level index (e.g. built from the page title) that helps
            resolve short names; a fresh one over the shipped registry otherwise.
        context: names known from outside the text (title, lead) that short
            mentions may refer to ("Xi" → "Xi Jinping"); never returned by themselves.

    Returns:
        :class:`~mfa_scraper.items.Quote` objects with ``text[start:end] == quote``.
    """
    if not text or not text.strip():
        return []
    spans = find_spans(text)
    if not spans and people is None:
        return []  # most transcript turns quote nothing: skip the index and the name scan
    index = people or PeopleIndex(context=context)
    if people is not None:
        for name in context:
            index.add(name)
    resolver = _Resolver(text, index, spans)
    if people is not None:
        resolver.scan()  # a caller's index learns this text's names, as it always has
    out: list[Quote] = []
    prev: Quote | None = None
    prev_span: Span | None = None
    for span in spans:
        lo = span.para_start
        if prev_span is not None and prev_span.para_start == span.para_start:
            lo = max(lo, prev_span.close_end)
        sent_lo = _sentence_start(text, lo, span.open_mark)
        try:
            found = _classify(text, span, sent_lo)
        except (IndexError, ValueError):  # malformed input never stops the page
            found = None
        if found is None:
            continue
        quote = Quote(quote=text[span.start : span.end], start=span.start, end=span.end,
                      kind=found.kind, cue=found.cue)  # fmt: skip
        if found.phrase is not None:
            surface, s_start, s_end = found.phrase
            speaker, role, org, is_person = resolver.resolve(surface, s_start)
            quote.speaker, quote.speaker_role, quote.speaker_org = speaker, role, org
            quote.speaker_start, quote.speaker_end = s_start, s_end
            if is_person and speaker:
                resolver.last_person = speaker
        elif found.inherit:
            near = (
                prev is not None
                and prev_span is not None
                and (
                    prev_span.para_start == span.para_start
                    or span.para_start - prev_span.para_end <= 2
                )
            )
            if near and prev.speaker:
                quote.speaker, quote.speaker_role, quote.speaker_org = (
                    prev.speaker, prev.speaker_role, prev.speaker_org)  # fmt: skip
                quote.speaker_start, quote.speaker_end = prev.speaker_start, prev.speaker_end
                quote.cue = prev.cue
            else:
                _attribute_from_context(text, span, quote, resolver)
        if quote.speaker and not plausible_speaker(quote.speaker):
            quote.speaker = quote.speaker_role = quote.speaker_org = None
            quote.speaker_start = quote.speaker_end = None
        if quote.speaker:
            resolver.last_speaker = quote.speaker
        out.append(quote)
        prev, prev_span = quote, span
    return out


def plausible_speaker(name: str) -> bool:
    """Whether a resolved subject can be somebody who speaks.

    The subject finder sometimes stops on a sentence opener ("Second, … said"),
    a first-person pronoun (the spokesperson quoting their own words, already
    archived as their turn), or a hedge ("Reports say", "According to"):
    such quotes keep no speaker rather than a wrong one.
    """
    words = name.split()
    if not words or name.endswith("-") or not any(ch.isalpha() for ch in name):
        return False
    first = words[0].lower().strip(",")
    if len(words) == 1 and first in NON_SPEAKER_WORDS:
        return False
    return first not in NON_SPEAKER_OPENERS


def _attribute_from_context(text: str, span: Span, quote: Quote, resolver: _Resolver) -> None:
    """A quote with no cue of its own: take the subject of the last cue before it."""
    lo = max(0, span.open_mark - 400)
    window = text[lo : span.open_mark]
    cues = list(CUE_RE.finditer(window))
    for cue in reversed(cues):
        sent = _sentence_start(text, lo, lo + cue.start())
        phrase = trailing_phrase(text[sent : lo + cue.start()], sent)
        if phrase is None:
            continue
        speaker, role, org, is_person = resolver.resolve(phrase[0], phrase[1])
        if speaker:
            quote.speaker, quote.speaker_role, quote.speaker_org = speaker, role, org
            quote.speaker_start, quote.speaker_end = phrase[1], phrase[2]
            quote.cue = cue.group()
            if is_person:
                resolver.last_person = speaker
            return
