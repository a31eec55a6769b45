"""What the statement, speaker and document pages show, read through :mod:`archive.queries`.

Datasette's row page of ``statements``, ``speakers`` and ``documents`` renders
``templates/row-archive-<table>.html`` with these values beside its own: a statement in its
context (the question before, the answer after), its source, the other language's version
and where it was quoted again (``archive show`` and ``archive trace``); a speaker's
statements over time; a document's turns in order.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from archive.exceptions import ArchiveError

#: Tables with a page of their own, and the template variable holding it.
PAGES = {"statements": "statement", "speakers": "speaker", "documents": "document"}


def snippet(conn: Any, words: str, statement_id: int, text: str) -> str:
    """The matching part of a statement, as ``archive search`` shows it."""
    from archive.search.engine import snippet as engine_snippet
    from archive.store import LazyDatabase

    try:
        return engine_snippet(LazyDatabase(conn), words, statement_id, text)
    except (ArchiveError, sqlite3.OperationalError):  # unparsable: the page says so above
        return text[:700]


def _statement(db: Any, statement_id: int) -> dict[str, Any]:
    from archive.provenance.trace import trace
    from archive.queries import first_said, get_statement

    statement = get_statement(db, statement_id)
    statement["first_said"] = first_said(db, [statement_id]).get(statement_id)
    try:
        appearances = trace(db, statement_id).appearances
    except ArchiveError:
        appearances = []
    statement["appearances"] = [
        a
        for a in appearances
        if statement_id != a.parent_id
        and a.statement_id not in (statement_id, statement["parent_id"])
    ]
    statement["original_is_this"] = any(
        a.original and a.statement_id == statement_id for a in appearances
    )
    return statement


def _read(conn: Any, table: str, key: int) -> dict[str, Any]:
    from archive.queries import get_document, get_speaker
    from archive.store import LazyDatabase

    db = LazyDatabase(conn)
    read = {"statements": _statement, "speakers": get_speaker, "documents": get_document}[table]
    return read(db, key)


async def page_data(database: Any, table: str, key: str) -> dict[str, Any]:
    """``{"statement": …}`` (or speaker, document) for the row page of ``table``."""
    if not key.isdigit():
        return {}
    try:
        found = await database.execute_fn(lambda conn: _read(conn, table, int(key)))
    except ArchiveError:
        return {}
    return {PAGES[table]: found}


def paging(request: Any, default: int, most: int) -> dict[str, Any]:
    """This page of a canned query: ``offset`` and ``size`` from ``?_offset=`` and ``?_size=``
    (``max``: ``most``), with the links to the next and previous pages, and to every row as one
    CSV (:mod:`.export`)."""
    from datasette.utils import path_with_replaced_args

    def number(name: str, fallback: int) -> int:
        value = request.args.get(name, "")
        if value == "max":  # Datasette's own word for the largest page
            return most
        return int(value) if value.isdigit() else fallback

    size = max(1, min(number("_size", default), most))
    offset = number("_offset", 0)
    everything = path_with_replaced_args(request, {"_offset": None, "_size": None})
    query = everything.rpartition("?")[2] if "?" in everything else ""
    name = request.url_vars.get("table") or ""
    return {
        "offset": offset,
        "size": size,
        "export": f"/-/archive/export/{name}.csv" + (f"?{query}" if query else ""),
        "next": path_with_replaced_args(request, {"_offset": str(offset + size)}),
        "previous": (
            path_with_replaced_args(request, {"_offset": str(max(0, offset - size)) or None})
            if offset
            else None
        ),
    }


def search_links(datasette: Any, database: str, request: Any, words: str) -> str:
    """Links from a search of ``statements_view`` to the same search best match first (the
    canned query ``search``) and to its Atom feed (``follow``)."""
    from urllib.parse import urlencode

    from markupsafe import escape

    asked = {"q": words, "speaker": request.args.get("_speaker", "")}
    asked["source"] = request.args.get("source", "")
    asked["lang"] = request.args.get("language", "")
    query = urlencode(asked)
    ranked = f"{datasette.urls.query(database, 'search')}?{query}"
    feed = f"{datasette.urls.query(database, 'follow')}.atom?{query}"
    return (
        f'<p class="archive-search-links">Newest first. <a href="{escape(ranked)}">Best match '
        f'first</a> · <a href="{escape(feed)}" rel="alternate" type="application/atom+xml">'
        "Follow this search (Atom feed)</a> · the same rows as <code>archive search "
        f"{escape(words)} --sort date</code></p>"
    )
