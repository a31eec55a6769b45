"""Table cells as links: every statement id, speaker, document and source leads to its page.

Datasette links a table's own keys; views (``statements_view``, ``quote_chains``) and canned
queries have none, so their columns are recognised by name. Real tables keep Datasette's
links. Search matches are shown as snippets with the matched words marked. Every value is
escaped here: statement text is never HTML.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup, escape

from archive.search.query_language import HIGHLIGHT_END, HIGHLIGHT_START

#: Columns holding a statement id, in views and canned queries.
STATEMENT_COLUMNS = {
    "statement_id",
    "quote_id",
    "origin_id",
    "question_id",
    "answer_id",
    "counterpart_statement_id",
    "parent_id",
}
#: Columns holding a speaker's name, when the row has no speaker_id beside it.
SPEAKER_NAME_COLUMNS = {"speaker", "said_by", "outlet", "answered_by"}
#: Columns holding a source's short name.
SOURCE_COLUMNS = {"source", "quoted_in", "said_in"}
#: Columns holding a page's address.
URL_COLUMNS = {"url", "quote_url", "original_url"}
#: Views whose rows are statements (their ``id`` is a statement's).
STATEMENT_VIEWS = {"statements_view", "statements_han"}


def link(href: str, text: Any, *, title: str | None = None) -> Markup:
    attributes = f' title="{escape(title)}"' if title else ""
    return Markup(f'<a href="{escape(href)}"{attributes}>{escape(text)}</a>')


def highlighted(snippet: str) -> Markup:
    """A search snippet with its matched words in ``<mark>``, everything else escaped."""
    parts = []
    marked = False
    for piece in snippet.replace(HIGHLIGHT_END, HIGHLIGHT_START).split(HIGHLIGHT_START):
        parts.append(f"<mark>{escape(piece)}</mark>" if marked and piece else str(escape(piece)))
        marked = not marked
    return Markup("".join(parts))


def short_url(url: str) -> str:
    """``www.fmprc.gov.cn/…/t1789509.shtml``: the host and the last part, for a narrow cell."""
    parts = urlsplit(url)
    path = [part for part in parts.path.split("/") if part]
    if len(path) <= 1:
        return parts.netloc + parts.path
    return f"{parts.netloc}/…/{path[-1]}"


class Links:
    """The addresses of the archive's pages, under Datasette's ``base_url``."""

    def __init__(self, datasette: Any, database: str) -> None:
        self.urls = datasette.urls
        self.database = database

    def statement(self, statement_id: Any) -> str:
        return self.urls.row(self.database, "statements", str(statement_id))

    def speaker(self, speaker_id: Any) -> str:
        return self.urls.row(self.database, "speakers", str(speaker_id))

    def document(self, document_id: Any) -> str:
        return self.urls.row(self.database, "documents", str(document_id))

    def source(self, name: Any) -> str:
        return self.urls.row(self.database, "sources", str(name))


def render(
    links: Links,
    row: Any,
    value: Any,
    column: str,
    table: str | None,
    speaker_ids: dict[str, int],
) -> Markup | None:
    """A cell of a view or a canned query as a link, or None for Datasette's own rendering."""
    if value is None or value == "":
        return None
    keys = row.keys() if hasattr(row, "keys") else []
    if column == "id" and table is None and "found_in" in keys:  # search_everything
        page = {"speaker": links.speaker, "document": links.document}.get(row["found_in"])
        return link((page or links.statement)(value), value)
    if column == "id" and (table in STATEMENT_VIEWS or (table is None and "kind" in keys)):
        return link(links.statement(value), value, title="the statement in its context")
    if column in STATEMENT_COLUMNS and isinstance(value, int):
        return link(links.statement(value), value)
    if column == "document_id" and isinstance(value, int):
        return link(links.document(value), value)
    if column == "speaker_id" and isinstance(value, int):
        return link(links.speaker(value), value)
    if column == "name" and table == "speakers" and "id" in keys:  # the speakers table
        return link(links.speaker(row["id"]), value, title="all they said")
    if column in SPEAKER_NAME_COLUMNS:
        speaker_id = row["speaker_id"] if "speaker_id" in keys and column == "speaker" else None
        speaker_id = speaker_id or speaker_ids.get(str(value).casefold())
        if speaker_id:
            return link(links.speaker(speaker_id), value, title="all they said")
        return None
    if column == "title" and "document_id" in keys and row["document_id"]:
        return link(links.document(row["document_id"]), value, title="the whole document")
    if column in SOURCE_COLUMNS:
        return link(links.source(value), value)
    if column in URL_COLUMNS and str(value).startswith(("http://", "https://")):
        return link(str(value), short_url(str(value)), title=str(value))
    return None
