"""``.atom``: any query returning ``atom_id``, ``atom_title`` and ``atom_updated`` as an Atom feed.

The columns are those of datasette-atom, the field's plugin for feeds (optional:
``atom_content``, ``atom_link``, ``atom_author_name``), so a query written for one works with
the other. Ours because datasette-atom 0.11a0 (the release for Datasette 1.0a41) answers a
query without rows with an error 500, and a saved search followed before anything matches
it is exactly that; an empty feed here is a valid feed that later crawls fill. Text is
written as text (escaped by the XML writer): no HTML from statements reaches a reader.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

REQUIRED = {"atom_id", "atom_title", "atom_updated"}
NAMESPACE = "http://www.w3.org/2005/Atom"


def can_render(columns: list[str]) -> bool:
    return set(columns) >= REQUIRED


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


async def render(
    datasette: Any,
    request: Any,
    columns: list[str],
    rows: list[Any],
    query_name: str | None,
    database: str,
    data: dict[str, Any],
) -> Any:
    from datasette.utils.asgi import Response

    if not can_render(columns):
        return Response.text(
            f"An Atom feed needs the columns {', '.join(sorted(REQUIRED))}", status=400
        )
    title = request.args.get("_feed_title") or query_name or "archive"
    if query_name:
        query = await datasette.get_query(database, query_name)
        if query and query.title:
            title = query.title
    asked = [
        f"{key}={request.args.get(key)}"
        for key in request.args
        if request.args.get(key) and not key.startswith("_")
    ]
    if asked:
        title += ": " + ", ".join(asked)
    ElementTree.register_namespace("", NAMESPACE)
    feed = ElementTree.Element(f"{{{NAMESPACE}}}feed")

    def add(parent: Any, tag: str, text: Any = None, **attributes: str) -> Any:
        element = ElementTree.SubElement(parent, f"{{{NAMESPACE}}}{tag}", attributes)
        if text is not None:
            element.text = str(text)
        return element

    records = [dict(zip(columns, row)) for row in rows]
    add(feed, "id", request.url)
    add(feed, "title", title)
    add(feed, "updated", max((r["atom_updated"] for r in records), default=None) or _now())
    add(feed, "link", href=request.url, rel="self")
    add(feed, "link", href=request.url.replace(".atom", "", 1), rel="alternate")
    add(feed, "generator", "mfa-archive (Datasette)")
    add(add(feed, "author"), "name", "mfa-archive")
    for record in records:
        entry = add(feed, "entry")
        add(entry, "id", record["atom_id"])
        add(entry, "title", record["atom_title"])
        add(entry, "updated", record["atom_updated"])
        if record.get("atom_link"):
            add(entry, "link", href=str(record["atom_link"]), rel="alternate")
        if record.get("atom_author_name"):
            author = add(entry, "author")
            add(author, "name", record["atom_author_name"])
        if record.get("atom_content") is not None:
            add(entry, "content", record["atom_content"], type="text")
    body = ElementTree.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(body, content_type="application/atom+xml; charset=utf-8", status=200)
