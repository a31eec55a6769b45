"""Citations of a statement, for ``archive cite ID``: who said it, where, when, and when the
archive retrieved the page, in the styles journalists and researchers use.

Styles: ``plain`` (a line for a notebook or a story's notes), ``apa`` (APA 7, a web page
with its publisher as author), ``chicago`` (Chicago notes), ``mla`` (MLA 9). Every style
names the page's address and the date the archive retrieved it, so a reader can find the
words even if the page changes (``archive history`` keeps every version).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from archive.exceptions import InvalidArgument

if TYPE_CHECKING:
    from sqlite_utils import Database

#: Citation styles ``archive cite --style`` offers.
STYLES = ("plain", "apa", "chicago", "mla")

#: Publishers of the sources the spiders crawl, when the sources table does not name them.
PUBLISHERS = {
    "mfa": "Ministry of Foreign Affairs of the People's Republic of China",
    "kremlin": "President of Russia",
    "mid": "Ministry of Foreign Affairs of the Russian Federation",
    "state": "U.S. Department of State",
}

_MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat((value or "")[:10])
    except ValueError:
        return None


def _long(day: date | None) -> str:
    """June 17, 2020 (APA, Chicago)."""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}" if day else "n.d."


def _mla(day: date | None) -> str:
    """17 June 2020 (MLA abbreviates months of more than four letters)."""
    if day is None:
        return "n.d."
    month = _MONTHS[day.month - 1]
    return f"{day.day} {month if len(month) <= 4 else month[:3] + '.'} {day.year}"


def citation_fields(db: Database, statement_id: int) -> dict[str, Any]:
    """What a citation of a statement needs: speaker, role, kind, document, publisher, dates."""
    from archive.queries import get_statement

    statement = get_statement(db, statement_id, context=0)
    document = statement["document"]
    row = db.execute("SELECT title FROM sources WHERE name = ?", [document["source"]]).fetchone()
    publisher = (row and row[0]) or PUBLISHERS.get(document["source"], document["source"])
    return {
        "id": statement["id"],
        "speaker": statement["speaker"],
        "role": statement["role"],
        "kind": statement["kind"],
        "text": statement["text"],
        "date": statement["date"],
        "title": document["title"] or document["url"],
        "url": document["url"],
        "source": document["source"],
        "publisher": publisher,
        "language": document["language"],
        "document_id": document["id"],
        "archived": document["archived"],
        "retrieved": document["retrieved"],
    }


def cite(fields: dict[str, Any], style: str) -> str:
    """A citation of the statement described by ``fields`` in ``style``."""
    if style not in STYLES:
        raise InvalidArgument(f"unknown style {style!r}; use one of: {', '.join(STYLES)}")
    said, retrieved = _day(fields["date"]), _day(fields["retrieved"] or fields["archived"])
    speaker = fields["speaker"] or "Unnamed speaker"
    title, url, publisher = fields["title"], fields["url"], fields["publisher"]
    if style == "apa":
        when = f"{said.year}, {_MONTHS[said.month - 1]} {said.day}" if said else "n.d."
        return f"{publisher}. ({when}). {title}. Retrieved {_long(retrieved)}, from {url}"
    if style == "chicago":
        role = f", {fields['role']}" if fields["role"] else ""
        return (
            f'{speaker}{role}, {fields["kind"]} in "{title}," {publisher}, {_long(said)}, '
            f"accessed {_long(retrieved)}, {url}."
        )
    if style == "mla":
        return f'"{title}." {publisher}, {_mla(said)}, {url}. Accessed {_mla(retrieved)}.'
    role = f" ({fields['role']})" if fields["role"] else ""
    day = fields["date"] or "undated"
    return (
        f'{speaker}{role}, {fields["kind"]}, "{title}", {publisher}, {day}. '
        f"{url} (retrieved {retrieved.isoformat() if retrieved else '?'}; "
        f"archive statement {fields['id']})"
    )
