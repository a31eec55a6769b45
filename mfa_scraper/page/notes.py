"""What reading a page had to guess or cut, noted where it happens and put on its Document.

Decoding (:mod:`.encoding`) and parsing (:mod:`.html`) sit far below the code that
builds a :class:`~mfa_scraper.items.Document`, and every site parser calls them its own
way. Rather than thread a list of flags through each parser, they call :func:`note`
(``encoding-doubtful``, ``charset-ignored``, ``nesting-flattened``,
``truncated``), and whoever extracts a
page collects the notes around the call with :func:`noting` and adds them to the
document's flags (:func:`add_notes`): :func:`~mfa_scraper.sites.dispatch.extract_document`
for ``archive add``/``extract``, and the spider middleware
:class:`~mfa_scraper.bounds.PageNotes` for every spider callback. Outside a
:func:`noting` block a note goes nowhere, so pure helpers stay pure.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from mfa_scraper.items import Document

#: The text was decoded in an encoding chosen by guessing (no usable declaration, or one
#: the bytes contradicted), or some bytes could not be decoded at all.
ENCODING_DOUBTFUL = "encoding-doubtful"
#: The page declared a charset that is not a text encoding of the web (zlib, idna,
#: punycode, utf-16 over single-byte text); it was ignored.
CHARSET_IGNORED = "charset-ignored"
#: The page nested elements deeper than a parser reads (hundreds of unclosed ``<b>``, 200,000
#: ``<div>``); the deepest were flattened so that every word was read, their markup lost.
NESTING_FLATTENED = "nesting-flattened"
#: Part of the page was not read; the text is cut.
TRUNCATED = "truncated"

_NOTES: ContextVar[list[str] | None] = ContextVar("page_notes", default=None)


def note(flag: str) -> None:
    """Record ``flag`` for the page being read, if anyone is collecting."""
    notes = _NOTES.get()
    if notes is not None and flag not in notes:
        notes.append(flag)


@contextmanager
def noting() -> Iterator[list[str]]:
    """Collect the notes made inside the block (nested blocks each see their own)."""
    notes: list[str] = []
    token = _NOTES.set(notes)
    try:
        yield notes
    finally:
        _NOTES.reset(token)


def add_notes(document: Document, notes: list[str]) -> Document:
    """``document`` with ``notes`` among its flags (each once)."""
    for flag in notes:
        if flag not in document.flags:
            document.flags.append(flag)
    return document
