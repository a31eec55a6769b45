"""The ``archive`` command: search, inspect and feed the statement archive from the terminal.

Each command parses its options, calls one library function, and prints.
Errors of the archive become one line on stderr and exit status 2; there are
no tracebacks for a user's mistake. Commands live in modules by theme:
:mod:`~archive.cli.read` (search, show, stats), :mod:`~archive.cli.pages`
(extract, add, quotes), :mod:`~archive.cli.people` (speakers).

Start-up is part of every call (``bench/cli_startup.py``): commands import what they use
inside the function, a call builds only the command it names (:class:`ArchiveApp`), and the
command modules hold no ``from __future__ import annotations``: typer reads each command's
annotations three times, and a string annotation is evaluated anew each time,
``typer.Option(...)`` and all (7 ms of every ``archive --help``).
"""

import copy
import os
import sqlite3
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


class ArchiveApp(typer.Typer):
    """The ``archive`` app: a call that names a command builds that command alone.

    Typer turns every command's signature into click parameters before it runs any (~0.8 ms
    a command, 15 ms for all of them: a seventh of an ``archive search``). A call whose first
    argument is a command's or a group's name (``archive search …``, ``archive speakers
    audit``) runs in a group of that one: the same command, parsed, checked, helped and run
    alike. Any other call (``archive``, ``archive --help``, an unknown command, so that its
    suggestion sees every name; a shell asking click for completions, ``_ARCHIVE_COMPLETE``)
    builds the whole group, as ``typer.main.get_command(app)`` (the tests' ``CliRunner``)
    always does.
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        argv = kwargs["args"] if "args" in kwargs else args[0] if args else sys.argv[1:]
        completing = self._add_completion or any(
            name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ
        )
        named = self._named(argv[0]) if argv and not completing else None
        if named is None:
            return super().__call__(*args, **kwargs)
        # Typer's own __call__ adds an exception hook for its pretty tracebacks, which this
        # app turns off (pretty_exceptions_enable=False): Python's hook prints the same.
        from typer.main import get_group

        return get_group(named)(*args, **kwargs)

    def _named(self, name: object) -> typer.Typer | None:
        """A copy of this app holding only the command or group called ``name``, if any."""
        from typer.main import get_command_name

        commands = [
            info
            for info in self.registered_commands
            if (info.name or get_command_name(info.callback.__name__)) == name  # type: ignore[union-attr]
        ]
        groups = [info for info in self.registered_groups if info.name == name]
        if not commands and not groups:
            return None
        named = copy.copy(self)
        named.registered_commands = commands
        named.registered_groups = groups
        return named


app = ArchiveApp(
    cls=OneLineErrors,
    help="Search and inspect the archive of diplomatic statements: who said what, when.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _archive_file(value: str) -> str:
    """``--db`` checked by the rule every opener applies (:func:`archive.config.archive_path`),
    before the command does anything."""
    from archive.config import archive_path
    from archive.exceptions import InvalidArgument

    try:
        archive_path(value)
    except InvalidArgument as exc:
        fail(str(exc))
    return value


DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar=DB_ENV_VAR,
        help=f"Archive file (also ${DB_ENV_VAR}).",
        show_default=True,
        callback=_archive_file,
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


#: The largest integer SQLite stores: ids and limits past it cannot name anything.
MAX_INTEGER = 2**63 - 1


def handles_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn an :class:`ArchiveError` raised by a command into a one-line error and exit 2.

    So are the errors no argument check can foresee: an SQLite error (a damaged archive
    names its damage and points to ``archive check``; a query too large for SQLite says
    so), a number past SQLite's integers, input nested too deep to parse.
    """

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            _check_integers(kwargs)
            return command(*args, **kwargs)
        except ArchiveError as exc:
            fail(str(exc))
        except sqlite3.Error as exc:
            from archive.store.check import database_error

            fail(str(database_error(exc, kwargs.get("db"))))
        except OverflowError:
            fail(f"a number is too large: ids and limits go up to {MAX_INTEGER}")
        except RecursionError:
            fail("the input is nested too deeply to read")
        except BrokenPipeError:  # `archive search x | head` closes the pipe early
            sys.stderr.close()

    return wrapper


def _check_integers(kwargs: dict[str, Any]) -> None:
    """Refuse a whole-number option or argument past SQLite's integers, naming it."""
    for name, value in kwargs.items():
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INTEGER:
            fail(f"{_option_name(name)} {value} is too large (at most {MAX_INTEGER})")


def _option_name(name: str) -> str:
    """How the user wrote parameter ``name``: ``--limit``, or ``ID`` for an argument."""
    try:  # typer vendors click since 0.28
        from typer._click.globals import get_current_context
    except ImportError:  # pragma: no cover
        from click import get_current_context

    context = get_current_context(silent=True)
    for param in getattr(getattr(context, "command", None), "params", []):
        if param.name == name:
            return param.opts[0] if param.param_type_name == "option" else param.human_readable_name
    return name


def check_format(value: str, allowed: tuple[str, ...], *, nl: bool = False) -> str:
    """``value`` if it is one of ``allowed``, else a one-line error; with ``--nl``, which is
    JSON lines, a format other than JSON or the default table is a contradiction (it used to
    print JSON lines without a word)."""
    if value not in allowed:
        fail(f"unknown format {value!r}; use one of: {', '.join(allowed)}")
    if nl and value not in ("table", "json"):
        fail(f"--nl writes JSON lines: leave out --format {value}")
    return value


def emit(data: Any, fmt: str, human: Callable[[Any], None]) -> None:
    """Print ``data`` as JSON for ``--format json``, else with the human-readable printer."""
    from archive import output

    if fmt == "json":
        output.print_json(data)
    else:
        human(data)


# Register the commands (they import ``app`` from here).
from archive.cli import (  # noqa: E402, F401
    check,
    crawl,
    ingest,
    pages,
    pairs,
    people,
    provenance,
    read,
    serve,
)
