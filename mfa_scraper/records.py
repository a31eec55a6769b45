"""A :class:`~mfa_scraper.items.Document` as the plain record :mod:`archive.store` takes.

Here speakers get their one identity: names pass through
:func:`~archive.identity.names.canonical_name`, and the spellings
seen are kept as aliases so later searches under any of them find the person.
Used by the crawl pipeline and by ``archive add``, so both store alike.
"""

from __future__ import annotations

import re
from typing import Any

from archive.identity.names import aliases_of, canonical_name
from mfa_scraper.items import QUESTION, QUOTE, REPORT, Document, Quote

#: Words that make a speaker an organisation rather than a person.
ORGANISATION_WORDS = re.compile(
    r"\b(?:Ministry|Department|Kremlin|Government|Agency|Office|Council|Committee|Commission|"
    r"Embassy|Command|Army|Navy|Parliament|Senate|House|Administration|Service|Organization|"
    r"Organisation|Bureau|Agency|News|TV|Radio|Times|Post|Daily|Press|Reuters|AFP|Bloomberg|"
    r"Xinhua|CCTV|TASS|Sputnik|Journal|Network|Broadcasting|Television|Media|Paper)\b"
)


#: Speaker kinds the attribution engine reports, as the store records them.
SPEAKER_KINDS = ("person", "organization", "outlet", "description")


def speaker_record(
    name: str | None, *, organisation: bool = False, kind: str | None = None
) -> dict[str, Any] | None:
    """``{"name", "kind", "aliases"}`` for the store, or ``None`` for an unknown speaker.

    ``kind`` is ``person``, ``organization`` (a ministry stating, a government, an outlet
    asking a question), ``outlet`` (a newspaper whose own words are quoted) or
    ``description`` (an unnamed source: "senior State Department official"). The engine's
    own kind wins where it gives one; otherwise it is read off the name.
    """
    if not name or not name.strip():
        return None
    name = " ".join(name.split())
    if kind in {"organization", "outlet"}:
        return {"name": name, "kind": kind, "aliases": [name]}
    if kind == "description":
        return {"name": name, "kind": "description", "aliases": []}
    if organisation or kind is None and ORGANISATION_WORDS.search(name) and not name[0].islower():
        return {"name": name, "kind": "organization", "aliases": [name]}
    if name[0].islower():
        return {"name": name, "kind": "description", "aliases": []}
    canonical = canonical_name(name) or name
    aliases = {name, *aliases_of(canonical)}
    return {"name": canonical, "kind": "person", "aliases": sorted(aliases)}


class SpeakerRecords:
    """:func:`speaker_record` remembered for one crawl.

    A crawl names the same few hundred speakers thousands of times (the spokesperson on
    every answer, the outlets asking), and each record costs name folding, a registry
    lookup and the alias list. The registry does not change during a crawl, so one
    instance per crawl is safe; each call returns a fresh copy, so a caller may change it.
    """

    def __init__(self) -> None:
        self._known: dict[tuple[str | None, bool, str | None], dict[str, Any] | None] = {}

    def __call__(
        self, name: str | None, *, organisation: bool = False, kind: str | None = None
    ) -> dict[str, Any] | None:
        key = (name, organisation, kind)
        try:
            record = self._known[key]
        except KeyError:
            record = self._known[key] = speaker_record(name, organisation=organisation, kind=kind)
        return None if record is None else {**record, "aliases": list(record["aliases"])}


def _quote_statement(
    quote: Quote, parent: int | None, speakers: SpeakerRecords | None = None
) -> dict[str, Any] | None:
    speaker = (speakers or speaker_record)(quote.speaker, kind=quote.speaker_kind)
    if speaker is None:
        return None  # words nobody can be named for are not a statement
    return {
        "kind": QUOTE,
        "speaker": speaker,
        "role": quote.speaker_role,
        "text": quote.quote,
        "cue": quote.cue,
        "parent": parent,
        "char_start": quote.start,
        "char_end": quote.end,
    }


def document_record(
    document: Document,
    *,
    fetched: str | None = None,
    newsroom: str | None = None,
    speakers: SpeakerRecords | None = None,
) -> dict[str, Any]:
    """The record :meth:`archive.store.Archive.upsert_document` stores for ``document``.

    Args:
        document: the extracted page, quotes attributed.
        fetched: when it was fetched (ISO 8601); now if omitted.
        newsroom: for an official source, the institution whose own news report
            an unlabelled page is ("Kremlin"): the report becomes a statement of
            kind ``report`` under it, so searching the report's words finds it,
            and its quotes hang under it. Analysis and blog pages get no
            newsroom: their authors' words are not diplomatic statements.
        speakers: a :class:`SpeakerRecords` kept for the whole crawl, so each
            speaker's record is made once; without it every statement makes its own.
    """
    speaker = speakers or speaker_record
    statements: list[dict[str, Any]] = []
    if newsroom and not document.turns and document.text.strip():
        statements.append(
            {
                "kind": REPORT,
                "speaker": speaker(newsroom, organisation=True),
                "role": "news report",
                "text": document.text,
            }
        )
    for turn in document.turns:
        parent = len(statements)
        statements.append(
            {
                "kind": turn.kind,
                "speaker": speaker(turn.speaker, organisation=turn.kind == QUESTION),
                "role": turn.role,
                "text": turn.text,
            }
        )
        for quote in turn.quotes:
            statement = _quote_statement(quote, parent, speakers)
            if statement:
                statements.append(statement)
    report = 0 if statements else None
    for quote in document.quotes:
        statement = _quote_statement(quote, report, speakers)
        if statement:
            statements.append(statement)
    return {
        "url": document.url,
        "source": document.source,
        "title": document.title,
        "published": document.published,
        "date": document.day,
        "language": document.language,
        "kind": document.kind,
        "author": document.author,
        "text": document.text,
        "flags": document.flags,
        "fetched": fetched,
        "etag": document.etag,
        "last_modified": document.last_modified,
        "statements": statements,
    }
