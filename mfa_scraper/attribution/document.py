"""Quotes of others inside a document: the last step of every extraction.

Transcripts label their speakers, but a question may quote a minister
("Marise Payne said on June 16 that "…""): those words belong to her, never
to the asker or the spokesperson. Pages without labels (news, blogs) get their
quotes from the same engine. Spiders, ``archive extract`` and ``archive add``
all end their extraction here, so a page yields the same quotes whichever way
it came in.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from archive.identity.names import canonical_name
from archive.identity.offices import office_holder, surname_holder
from archive.identity.registry import default_registry
from mfa_scraper.attribution.quotes import extract_quotes
from mfa_scraper.items import QUESTION, Document, Quote

logger = logging.getLogger(__name__)

#: Flag of a document whose quotes the engine failed to find (it is kept without them).
QUOTES_FAILED = "quotes-failed"


def attribute_quotes(document: Document) -> Document:
    """Fill ``quotes`` of each turn, or of the document when it has no turns; returns it.

    A failure of the engine on one page must not cost the page: the document is
    returned without quotes, flagged :data:`QUOTES_FAILED`, and the error logged.
    """
    try:
        day = document.day
        if document.turns:
            for turn in document.turns:
                turn.speaker = registered_speaker(turn.speaker, turn.kind)
                turn.quotes = [in_office(q, day) for q in extract_quotes(turn.text) if q.speaker]
        elif document.text:
            quotes = extract_quotes(document.text)
            document.quotes = [in_office(q, day) for q in quotes if q.speaker]
    except Exception as exc:  # noqa: BLE001 - any engine bug: keep the document
        logger.error("quote attribution failed on %s: %r", document.url, exc)
        for turn in document.turns:
            turn.quotes = []
        document.quotes = []
        document.flags.append(QUOTES_FAILED)
    return document


def in_office(quote: Quote, day: str | None) -> Quote:
    """``quote`` under the person who held the office it names on the document's ``day``.

    The engine reads text without a date. "…, President of Russia wrote" on a page of 2020 is
    Vladimir Putin's; "Pelosi said" where the page gives no fuller name is the Nancy Pelosi in
    office that day (:mod:`archive.identity.offices`, which resolves only what one person
    held). The office as written becomes the speaker's role.
    """
    name, kind = quote.speaker, quote.speaker_kind
    if not name or not day:
        return quote
    if kind in (None, "description"):
        holder = office_holder(name, day)
        if holder is not None:
            role = quote.speaker_role or " ".join(name.split())
            return replace(quote, speaker=holder.name, speaker_kind="person", speaker_role=role)
    if kind in (None, "person"):
        holder = surname_holder(name, day)
        if holder is not None:
            return replace(quote, speaker=holder.name)
    return quote


def registered_speaker(speaker: str | None, kind: str) -> str | None:
    """A turn's speaker under the registry's canonical name, when the registry knows them.

    Chinese transcripts label turns "赵立坚", Russian ones "С.Лавров": the same people
    as "Zhao Lijian" and "Sergey Lavrov" on the English pages, so they are filed under
    one name everywhere (and ``archive extract`` shows it). Unknown speakers and the
    outlets asking questions keep their label.
    """
    if not speaker or kind == QUESTION or default_registry().lookup(speaker) is None:
        return speaker
    return canonical_name(speaker) or speaker


def quotes_in_text(document: Document) -> list[Quote]:
    """All quotes of a document with offsets into ``document.text``.

    Quotes found in turns carry offsets into the turn; a turn's text is a
    contiguous part of the document text (its label removed), so the offsets
    are shifted by where the turn starts.
    """
    if not document.turns:
        return list(document.quotes)
    found: list[Quote] = []
    cursor = 0
    for turn in document.turns:
        offset = document.text.find(turn.text, cursor) if turn.text else -1
        if offset < 0:
            continue
        cursor = offset + len(turn.text)
        for quote in turn.quotes:
            found.append(
                replace(
                    quote,
                    start=quote.start + offset,
                    end=quote.end + offset,
                    speaker_start=None
                    if quote.speaker_start is None
                    else quote.speaker_start + offset,
                    speaker_end=None if quote.speaker_end is None else quote.speaker_end + offset,
                )
            )
    return found
