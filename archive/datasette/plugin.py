"""The Datasette plugin of the archive: its search, its links, its pages, its feeds.

Each hook does one thing, on the database ``archive`` only:

* ``prepare_connection``: the SQL functions ``archive_search`` and ``archive_trace``
  (:mod:`.search`);
* ``filters_from_request``: the search box of ``statements_view`` is ``archive search``
  (``?_search=``), and ``?_speaker=`` takes any spelling of a name;
* ``render_cell``: ids, speakers, documents and sources as links, search matches as
  snippets (:mod:`.cells`);
* ``extra_template_vars``: what the statement, speaker and document pages show
  (``templates/row-archive-*.html``) and the paging of canned queries;
* ``register_facet_classes``: the month facet, newest month first;
* ``register_magic_parameters``: ``:_page_offset`` and ``:_page_size`` for canned queries;
* ``register_routes``: ``/-/archive/export/NAME.csv``, every row of a paged canned query
  (:mod:`.export`);
* ``register_output_renderer``: ``.atom``, a feed of any query with ``atom_*`` columns
  (:mod:`.atom`).
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import ColumnFacet
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args

from archive.datasette import atom, cells, export, pages
from archive.datasette.search import SEARCHED, check, register_functions, search_filter
from archive.exceptions import InvalidQuery

#: The database name ``archive serve`` gives the archive.
DATABASE = "archive"

#: Rows of a canned query page, unless ``?_size=`` asks for others (up to the maximum).
PAGE_SIZE = 100


@hookimpl
def prepare_connection(conn: Any, database: str, datasette: Any) -> None:
    if database != DATABASE:
        return
    served = datasette.get_database(database)
    register_functions(
        conn,
        served.path,
        immutable=not served.is_mutable,
        time_limit_ms=int(datasette.setting("sql_time_limit_ms")),
    )


@hookimpl(trylast=True)
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    # trylast: Datasette's own search filter runs first, so the search box this one turns
    # on (supports_search) is the one the page shows.
    if database != DATABASE or table != SEARCHED:
        return None

    async def inner() -> FilterArguments:
        words = request.args.get("_search", "").strip()
        speaker = request.args.get("_speaker", "").strip()
        context = {"supports_search": True, "search": words}
        if words:
            try:
                await datasette.get_database(database).execute_fn(lambda conn: check(conn, words))
            except InvalidQuery as exc:
                return FilterArguments(["0"], {}, [f"are none: {exc}"], context)
        clauses, params, described = search_filter(words, speaker)
        return FilterArguments(clauses, params, described, context)

    return inner


async def _speaker_ids(datasette: Any, request: Any) -> dict[str, int]:
    """Speaker ids by name (case-folded), read once per page."""
    cache = request.scope.setdefault("archive_speaker_ids", {})
    if not cache:
        result = await datasette.get_database(DATABASE).execute("SELECT name, id FROM speakers")
        cache.update((name.casefold(), speaker_id) for name, speaker_id in result.rows)
        cache.setdefault("", 0)  # read: an archive without speakers is not read again
    return cache


@hookimpl
def render_cell(
    row: Any, value: Any, column: str, table: str, database: str, datasette: Any, request: Any
) -> Any:
    if database != DATABASE or request is None:
        return None
    if table is not None and table not in cells.STATEMENT_VIEWS | {"quote_chains", "speakers"}:
        return None  # a table: Datasette links its keys itself (a speaker's name: we do)

    async def inner() -> Any:
        links = cells.Links(datasette, database)
        words = request.args.get("_search", "").strip()
        # sqlite3.Row: `in` reads its values, keys() its columns.
        if column == "text" and table == SEARCHED and words and "id" in row.keys():  # noqa: SIM118
            found = await datasette.get_database(database).execute_fn(
                lambda conn: pages.snippet(conn, words, row["id"], value)
            )
            return cells.highlighted(found)
        if column == "match" and table is None and isinstance(value, str):
            return cells.highlighted(value)
        return cells.render(
            links, row, value, column, table, await _speaker_ids(datasette, request)
        )

    return inner


@hookimpl
def extra_template_vars(
    template: str, database: str, table: str, view_name: str, request: Any, datasette: Any
) -> Any:
    if database != DATABASE or request is None:
        return None

    async def inner() -> dict[str, Any]:
        found: dict[str, Any] = {"archive_links": cells.Links(datasette, database)}
        if view_name == "row" and table in pages.PAGES:
            key = request.url_vars.get("pks", "")
            found.update(await pages.page_data(datasette.get_database(database), table, key))
        if view_name == "table" and table == SEARCHED:
            # The search box's value: Datasette 1.0a41 leaves it out of the table context.
            found["search"] = request.args.get("_search", "")
        if template.startswith("query"):
            page = pages.paging(request, PAGE_SIZE, _max_rows(datasette))
            found["archive_page"] = {**page, "export": datasette.urls.path(page["export"])}
        if view_name == "database":
            queries = (datasette.config or {}).get("databases", {}).get(database, {})
            found["archive_queries"] = [
                {"name": name, **query} for name, query in queries.get("queries", {}).items()
            ]
        return found

    return inner


@hookimpl
def top_table(datasette: Any, request: Any, database: str, table: str) -> Any:
    """Above a search of ``statements_view``: the same search best match first, and its feed."""
    if database != DATABASE or table != SEARCHED:
        return None
    words = request.args.get("_search", "").strip()
    if not words:
        return None
    return pages.search_links(datasette, database, request, words)


def _max_rows(datasette: Any) -> int:
    return int(datasette.setting("max_returned_rows"))


class MonthFacet(ColumnFacet):
    """A column facet in the column's order, newest first, instead of the busiest values:
    months read as a calendar (``_facet_size=max`` shows every one)."""

    type = "month"

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results, timed_out = [], []
        pairs = self.get_querystring_pairs()
        size = self.get_facet_size()
        for config in self.get_configs():
            column = config["config"].get("column") or config["config"]["simple"]
            name = escape_sqlite(column)
            sql = (
                f"SELECT {name} AS value, count(*) AS count FROM ({self.sql}) "
                f"WHERE {name} IS NOT NULL GROUP BY {name} ORDER BY {name} DESC "
                f"LIMIT {size + 1}"
            )
            try:
                rows = await self.ds.execute(
                    self.database,
                    sql,
                    self.params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            values = []
            for row in rows.rows[:size]:
                selected = (column, str(row["value"])) in pairs
                toggle = (
                    path_with_removed_args(self.request, {column: str(row["value"])})
                    if selected
                    else path_with_added_args(self.request, {column: row["value"]})
                )
                values.append(
                    {
                        "value": row["value"],
                        "label": row["value"],
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, self.ds.urls.path(toggle)),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "hideable": config["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {"_facet_month": column})
                    ),
                    "results": values,
                    "truncated": len(rows.rows) > size,
                }
            )
        return results, timed_out

    async def suggest(self) -> list:
        return []


@hookimpl
def register_facet_classes() -> list:
    return [MonthFacet]


def _page_value(key: str, request: Any) -> int:
    if key == "offset":
        return pages.paging(request, PAGE_SIZE, 1000)["offset"]
    if key == "size":
        return pages.paging(request, PAGE_SIZE, 1000)["size"]
    raise KeyError(key)


@hookimpl
def register_magic_parameters() -> list:
    return [("page", _page_value)]


@hookimpl
def register_routes() -> list:
    return [(r"^/-/archive/export/(?P<query>[A-Za-z0-9_]+)\.csv$", _export)]


async def _export(datasette: Any, request: Any) -> Any:
    return await export.export_csv(datasette, request, DATABASE)


@hookimpl
def register_output_renderer() -> dict[str, Any]:
    return {"extension": "atom", "render": atom.render, "can_render": atom.can_render}
