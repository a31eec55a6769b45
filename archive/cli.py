"""The ``archive`` command: search and inspect the statement archive from the terminal.

Each command parses its options, calls one function of :mod:`archive.store` or
:mod:`archive.search`, and prints. Errors of the archive become one line on
stderr and exit status 2; there are no tracebacks for a user's mistake.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any

import typer

from archive.config import DB_ENV_VAR, DEFAULT_DB
from archive.exceptions import ArchiveError

app = typer.Typer(
    help="Search and inspect the archive of diplomatic statements: who said what, when.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar=DB_ENV_VAR,
        help=f"Archive file (also ${DB_ENV_VAR}).",
        show_default=True,
    ),
]
FormatOption = Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")]


def _fail(message: str) -> None:
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code=2)


def handles_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn an :class:`ArchiveError` raised by a command into a one-line error and exit 2."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ArchiveError as exc:
            _fail(str(exc))
        except BrokenPipeError:  # `archive search x | head` closes the pipe early
            sys.stderr.close()

    return wrapper


def _check_format(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        _fail(f"unknown format {value!r}; use one of: {', '.join(allowed)}")
    return value


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
    fmt: FormatOption = "table",
    sql: Annotated[
        bool, typer.Option("--sql", help="Print the SQL instead of running it.")
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Find statements by words or speaker, e.g. archive search "Lavrov"."""
    from archive import output
    from archive.search import Search, search_sql
    from archive.search import search as run_search

    _check_format(fmt, output.FORMATS)
    request = Search(
        query, speaker=speaker, source=source, since=since, until=until, limit=limit, sort=sort
    )
    if sql:
        statement, params = search_sql(request)
        typer.echo(statement.strip())
        output.print_json(params)
        return
    from archive.store import open_readonly

    database = open_readonly(db)
    rows = run_search(database, request)
    if fmt == "json":
        output.print_json([{k: row[k] for k in output.RESULT_FIELDS} for row in rows])
    elif fmt == "csv":
        output.print_csv(rows, output.RESULT_FIELDS)
    elif rows:
        output.print_results_table(rows)
    else:
        typer.echo("No statements found.", err=True)


@app.command()
@handles_errors
def show(
    statement_id: Annotated[int, typer.Argument(metavar="ID", help="A statement id from search.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Show one statement with the turns around it and its document."""
    from archive import output
    from archive.store import get_statement, open_readonly

    _check_format(fmt, ("text", "json"))
    statement = get_statement(open_readonly(db), statement_id)
    if fmt == "json":
        output.print_json(statement)
    else:
        output.print_statement(statement)


@app.command()
@handles_errors
def stats(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Count documents, statements and speakers, overall and per source."""
    from archive import output
    from archive.store import archive_stats, open_readonly

    _check_format(fmt, ("table", "json"))
    counts = archive_stats(open_readonly(db))
    if fmt == "json":
        output.print_json(counts)
    else:
        output.print_stats(counts)


def main() -> None:  # pragma: no cover - console entry point
    app()
