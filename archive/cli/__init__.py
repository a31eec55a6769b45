"""The ``archive`` command: search, inspect and feed the statement archive from the terminal.

Each command parses its options, calls one library function, and prints.
Errors of the archive become one line on stderr and exit status 2; there are
no tracebacks for a user's mistake. Commands live in modules by theme:
:mod:`~archive.cli.read` (search, show, stats), :mod:`~archive.cli.pages`
(extract, add, quotes), :mod:`~archive.cli.people` (speakers).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

try:  # typer 0.29 vendors click; earlier versions use the click package
    from typer._click.exceptions import ClickException, NoArgsIsHelpError, UsageError
except ImportError:  # pragma: no cover
    from click.exceptions import ClickException, NoArgsIsHelpError, UsageError

from archive.config import DB_ENV_VAR
from archive.exceptions import ArchiveError


class OneLineErrors(TyperGroup):
    """Usage errors (a missing argument, a bad option value, an unknown command) as one line
    and exit status 2, like the archive's own errors, instead of click's boxed usage block."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        if not standalone_mode:
            return super().main(*args, standalone_mode=False, **kwargs)
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except NoArgsIsHelpError as exc:  # `archive` alone: the help, as before
            exc.show()
            sys.exit(exc.exit_code)
        except UsageError as exc:
            where = f"; see {exc.ctx.command_path} --help" if exc.ctx else ""
            typer.echo(f"Error: {exc.format_message().rstrip('.')}{where}", err=True)
            sys.exit(exc.exit_code)
        except ClickException as exc:
            typer.echo(f"Error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=OneLineErrors,
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
FormatOption = Annotated[
    str, typer.Option("--format", "-f", metavar="[table|json|csv]", help="table, json or csv.")
]
#: ``--nl``: JSON as one object per line, as sqlite-utils' ``--nl`` writes it.
NlOption = Annotated[
    bool,
    typer.Option("--nl", help="Newline-delimited JSON: one object per line (implies json)."),
]
_DATES = "YYYY-MM-DD, or a month (YYYY-MM) or a year (YYYY)"
#: ``--since`` and ``--until``: a day, or the first (last) day of a month or year.
SinceOption = Annotated[
    str | None, typer.Option(metavar="DATE", help=f"Only on or after {_DATES}.")
]
UntilOption = Annotated[
    str | None, typer.Option(metavar="DATE", help=f"Only on or before {_DATES}.")
]
#: ``--lang``: the language of the documents.
LangOption = Annotated[
    str | None, typer.Option(metavar="[en|ru|zh]", help="Only documents in this language.")
]
#: ``--source``: a source's short name.
SourceOption = Annotated[str | None, typer.Option(help="Only this source, e.g. mfa.")]

#: What ``--limit 0`` means in every command: no limit.
LIMIT_HELP = "How many at most; 0 for all."


def format_option(choices: str, help: str) -> Any:
    """A ``--format/-f`` option whose help shows its choices (``[text|json]``)."""
    return typer.Option("--format", "-f", metavar=f"[{choices}]", help=help)


def fail(message: str) -> None:
    """Print a one-line error and exit with status 2."""
    typer.echo(f"Error: {message}", err=True)
    raise typer.Exit(code=2)


def handles_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn an :class:`ArchiveError` raised by a command into a one-line error and exit 2."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ArchiveError as exc:
            fail(str(exc))
        except BrokenPipeError:  # `archive search x | head` closes the pipe early
            sys.stderr.close()

    return wrapper


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of ``allowed``, else a one-line error."""
    if value not in allowed:
        fail(f"unknown format {value!r}; use one of: {', '.join(allowed)}")
    return value


def emit(data: Any, fmt: str, human: Callable[[Any], None]) -> None:
    """Print ``data`` as JSON for ``--format json``, else with the human-readable printer."""
    from archive import output

    if fmt == "json":
        output.print_json(data)
    else:
        human(data)


# Register the commands (they import ``app`` from here).
from archive.cli import crawl, ingest, pages, pairs, people, provenance, read, serve  # noqa: E402, F401
