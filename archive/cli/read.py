"""Reading commands: ``archive search``, ``archive show``, ``archive stats``."""

from __future__ import annotations

from typing import Annotated

import typer

from archive.cli import DbOption, FormatOption, app, check_format, emit, handles_errors
from archive.config import DEFAULT_DB


@app.command()
@handles_errors
def search(
    query: Annotated[str, typer.Argument(help='Words to find (FTS5 syntax: "a phrase", OR, NOT).')],
    speaker: Annotated[
        str | None, typer.Option(help="Only statements by this speaker (any spelling).")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Only this source, e.g. mfa.")] = None,
    since: Annotated[str | None, typer.Option(help="Only on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Only on or before YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(help="How many results at most.")] = 20,
    sort: Annotated[str, typer.Option(help="rank (best match first) or date (newest first).")] = (
        "rank"
    ),
    lang: Annotated[
        str | None, typer.Option(help="Only documents in this language: en, ru or zh.")
    ] = None,
    fmt: FormatOption = "table",
    sql: Annotated[
        bool, typer.Option("--sql", help="Print the SQL instead of running it.")
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Find statements by words or speaker, e.g. archive search "Lavrov"."""
    from archive import output
    from archive.search.engine import Search, search_sql
    from archive.search.engine import search as run_search

    check_format(fmt, output.FORMATS)
    request = Search(
        query,
        speaker=speaker,
        source=source,
        since=since,
        until=until,
        limit=limit,
        sort=sort,
        lang=lang,
    )
    if sql:
        statement, params = search_sql(request)
        typer.echo(statement.strip())
        output.print_json(params)
        return
    from archive.store import open_readonly

    database = open_readonly(db)
    rows = run_search(database, request)
    _add_first_said(database, rows)
    if fmt == "json":
        output.print_json([{k: row[k] for k in output.RESULT_FIELDS} for row in rows])
    elif fmt == "csv":
        output.print_csv(rows, output.RESULT_CSV_FIELDS)
    elif rows:
        output.print_results_table(rows)
    else:
        typer.echo("No statements found.", err=True)


def _add_first_said(database, rows: list[dict]) -> None:
    """Give each quotation among ``rows`` its best original, as ``archive link`` found it."""
    quotes = [row["id"] for row in rows if row["kind"] == "quote"]
    origins = {}
    if quotes:
        from archive.queries import first_said

        origins = first_said(database, quotes)
    for row in rows:
        origin = origins.get(row["id"])
        row["first_said"] = origin
        row["first_said_by"] = origin and origin["speaker"]
        row["first_said_on"] = origin and origin["date"]


@app.command()
@handles_errors
def show(
    statement_id: Annotated[int, typer.Argument(metavar="ID", help="A statement id from search.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show one statement with the turns around it and its document."""
    from archive import output
    from archive.queries import get_statement
    from archive.store import open_readonly

    check_format(fmt, ("text", "json"))
    emit(get_statement(open_readonly(db), statement_id), fmt, output.print_statement)


@app.command()
@handles_errors
def stats(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Count documents, statements and speakers, overall and per source."""
    from archive import output
    from archive.queries import archive_stats
    from archive.store import open_readonly

    check_format(fmt, ("table", "json"))
    emit(archive_stats(open_readonly(db)), fmt, output.print_stats)


@app.command()
@handles_errors
def history(
    url_or_id: Annotated[str, typer.Argument(metavar="URL_OR_ID", help="A document URL or id.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    db: DbOption = DEFAULT_DB,
) -> None:
    """List the versions of a document and show, word by word, what changed between them."""
    from archive import output
    from archive.history import document_history
    from archive.store import open_readonly

    check_format(fmt, ("text", "json"))
    emit(document_history(open_readonly(db), url_or_id), fmt, output.print_history)
