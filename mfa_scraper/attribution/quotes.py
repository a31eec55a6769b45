"""Quotations in running text, in any of the archive's languages: the engine's entry point.

:func:`extract_quotes` sends a text to the rules of its language by its script
(:func:`~.findings.text_language`): English to :mod:`.en`, Chinese and Russian to the cue
finders of :mod:`.zh` and :mod:`.ru` through :mod:`.findings`. Whatever the language, speakers
resolve to the same registry identities ("赵立坚", "Чжао Лицзянь" and "Zhao Lijian" are one).
"""

from __future__ import annotations

from collections.abc import Iterable

from mfa_scraper.attribution.en.speakers import extract_english
from mfa_scraper.attribution.findings import extract_other, text_language
from mfa_scraper.attribution.mentions import PeopleIndex
from mfa_scraper.items import Quote

__all__ = ["extract_quotes", "text_language"]


def extract_quotes(
    text: str, *, people: PeopleIndex | None = None, context: Iterable[str] = ()
) -> list[Quote]:
    """Statements quoted in ``text``, in order, attributed to resolved speakers.

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
    language = text_language(text)
    if language != "en":
        return extract_other(text, language, people, context)
    return extract_english(text, people=people, context=context)
