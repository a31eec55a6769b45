"""Every row of a paged canned query as one CSV: ``/-/archive/export/NAME.csv?…``.

Canned queries page (``:_page_offset``, ``:_page_size``): a page's "CSV" link gives that page,
and a query cut at a row limit would give a silently short file. Datasette streams every row of
a table (``?_stream=on``) but not of a query; this route does for the archive's paged queries
what Datasette does for tables: it runs the query a page at a time (each page within the SQL
time limit, held in memory alone) and writes the rows as they come, up to ``max_csv_mb``, where
it ends the file with a line that says it was cut, as Datasette's own stream does.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from datasette.resources import DatabaseResource, QueryResource
from datasette.utils import named_parameters
from datasette.utils.asgi import AsgiStream, Forbidden, Response

#: Rows asked for at a time: Datasette's row limit for one query.
PAGE_SETTING = "max_returned_rows"
PAGED = (":_page_offset", ":_page_size")


async def export_csv(datasette: Any, request: Any, database: str) -> Any:
    """The route: every row of the canned query named in the URL, as CSV."""
    name = request.url_vars["query"]
    query = await datasette.get_query(database, name)
    if query is None or query.is_write or not all(p in query.sql for p in PAGED):
        return Response.text(f"no paged query named {name!r} in {database}\n", status=404)
    actor = request.actor
    if not await datasette.allowed(
        action="view-query", resource=QueryResource(database=database, query=name), actor=actor
    ):
        raise Forbidden("You do not have permission to view this query")
    if not query.is_trusted:
        await datasette.ensure_permission(
            action="execute-sql", resource=DatabaseResource(database), actor=actor
        )
    db = datasette.get_database(database)
    params = {
        key: request.args.get(key, "")
        for key in named_parameters(query.sql)
        if not key.startswith("_page_")
    }
    size = int(datasette.setting(PAGE_SETTING))
    limit = int(datasette.setting("max_csv_mb") or 0) * 1024 * 1024

    async def stream(writer: Any) -> None:
        offset, written, header = 0, 0, False
        while True:
            page = await db.execute(
                query.sql, {**params, "_page_offset": offset, "_page_size": size}
            )
            rows = list(page.rows)
            chunk = io.StringIO()
            out = csv.writer(chunk)
            if not header:
                out.writerow(page.columns)
                header = True
            out.writerows(tuple(row) for row in rows)
            text = chunk.getvalue()
            written += len(text.encode("utf-8"))
            if limit and written > limit:
                await writer.write(f"CSV contains more than {limit // 1024 // 1024} MB of data\n")
                return
            await writer.write(text)
            if len(rows) < size:
                return
            offset += size

    return AsgiStream(
        stream,
        headers={"content-disposition": f'attachment; filename="{name}.csv"'},
        content_type="text/csv; charset=utf-8",
    )
