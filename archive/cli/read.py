"""Reading commands: ``archive search``, ``archive show``, ``archive stats``."""

from typing import Annotated

import typer

from archive.cli import (
    LIMIT_HELP,
    DbOption,
    FormatOption,
    LangOption,
    NlOption,
    SinceOption,
    SourceOption,
    UntilOption,
    app,
    check_format,
    emit,
    format_option,
    handles_errors,
)
from archive.config import DEFAULT_DB


@app.command()
@handles_errors
def search(
    query: Annotated[str, typer.Argument(help='Words to find (FTS5 syntax: "a phrase", OR, NOT).')],
    speaker: Annotated[
        str | None, typer.Option(help="Only statements by this speaker (any spelling).")
    ] = None,
    source: SourceOption = None,
    since: SinceOption = None,
    until: UntilOption = None,
    limit: Annotated[int, typer.Option(help=LIMIT_HELP)] = 20,
    offset: Annotated[
        int, typer.Option(help="Skip this many first results: the next page (--offset 20).")
    ] = 0,
    sort: Annotated[
        str,
        typer.Option(
            metavar="[rank|date|newest|oldest]",
            help="rank (best match first), date or newest (newest first), oldest (oldest first).",
        ),
    ] = "rank",
    kind: Annotated[
        str | None,
        typer.Option(
            metavar="[remark|answer|question|quote|report]", help="Only statements of this kind."
        ),
    ] = None,
    lang: LangOption = None,
    fmt: FormatOption = "table",
    nl: NlOption = False,
    sql: Annotated[
        bool, typer.Option("--sql", help="Print the SQL instead of running it.")
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Find statements by words or speaker, e.g. archive search "Lavrov"."""
    from archive import output
    from archive.search.engine import Search, search_sql
    from archive.search.engine import search as run_search

    check_format(fmt, output.FORMATS, nl=nl)
    if nl:
        fmt = "jsonl"
    request = Search(
        query,
        speaker=speaker,
        source=source,
        since=since,
        until=until,
        limit=limit,
        sort=sort,
        lang=lang,
        offset=offset,
        kind=kind,
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
    elif fmt == "jsonl":
        output.print_jsonl({k: row[k] for k in output.RESULT_FIELDS} for row in rows)
    elif fmt == "csv":
        output.print_csv(rows, output.RESULT_CSV_FIELDS)
    elif rows:
        output.print_results_table(rows)
        total = _total(database, request, rows)
        typer.echo(output.page_hint(len(rows), total, request.offset, request.sort), err=True)
    else:
        typer.echo("No statements found.", err=True)


def _total(database, request, rows: list[dict]) -> int:
    """Every match of the search: counted only when this page may not hold them all."""
    from archive.search.engine import count_matches

    if request.limit and len(rows) >= request.limit:
        return count_matches(database, request)
    return request.offset + len(rows)


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
    fmt: Annotated[str, format_option("text|json", "text or json.")] = "text",
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
    fmt: Annotated[str, format_option("table|json", "table or json.")] = "table",
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
    fmt: Annotated[str, format_option("text|json", "text or json.")] = "text",
    db: DbOption = DEFAULT_DB,
) -> None:
    """List the versions of a document and show, word by word, what changed between them."""
    from archive import output
    from archive.history import document_history
    from archive.store import open_readonly

    check_format(fmt, ("text", "json"))
    emit(document_history(open_readonly(db), url_or_id), fmt, output.print_history)


@app.command()
@handles_errors
def cite(
    statement_id: Annotated[int, typer.Argument(metavar="ID", help="A statement id from search.")],
    style: Annotated[
        str,
        typer.Option(
            metavar="[plain|apa|chicago|mla|all]",
            help="Citation style; all prints each style on its own line.",
        ),
    ] = "plain",
    fmt: Annotated[str, format_option("text|json", "text or json.")] = "text",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Cite a statement: speaker, document, publisher, date, URL and the date retrieved."""
    from archive import output
    from archive.cite import STYLES, citation_fields
    from archive.cite import cite as citation
    from archive.store import open_readonly

    check_format(fmt, ("text", "json"))
    styles = STYLES if style == "all" else (style,)
    fields = citation_fields(open_readonly(db), statement_id)
    cited = {name: citation(fields, name) for name in styles}
    if fmt == "json":
        output.print_json({**fields, "citations": cited})
    else:
        for name, line in cited.items():
            output.print_citation(line, name if len(cited) > 1 else None)
