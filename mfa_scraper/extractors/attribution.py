"""Quotes of others inside a document: the step between extraction and storage.

Transcripts label their speakers, but a question may quote a minister
("Marise Payne said on June 16 that "…""): those words belong to her, never
to the asker or the spokesperson. Pages without labels (news, blogs) get their
quotes from the same engine.
"""

from __future__ import annotations

from mfa_scraper.extractors.quotes import extract_quotes
from mfa_scraper.items import Document


def attribute_quotes(document: Document) -> Document:
    """Fill ``quotes`` of each turn, or of the document when it has no turns; returns it."""
    if document.turns:
        for turn in document.turns:
            turn.quotes = [q for q in extract_quotes(turn.text) if q.speaker]
    elif document.text:
        document.quotes = [q for q in extract_quotes(document.text) if q.speaker]
    return document
