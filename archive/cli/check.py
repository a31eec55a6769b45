"""``archive check``: is the archive sound, and if not, what is wrong and what to do."""

from typing import Annotated

import typer

from archive.cli import DbOption, app, check_format, emit, handles_errors
from archive.config import DEFAULT_DB


@app.command()
@handles_errors
def check(
    repair: Annotated[
        bool,
        typer.Option("--repair", help="Rebuild damaged full-text indexes from the tables."),
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Check the archive file: SQLite's integrity_check, the full-text indexes (FTS5
    integrity-check), the schema version, the tables and columns, foreign keys.

    Says what is wrong and what to do; exits 1 when something is damaged. Other commands
    refuse a damaged archive with one line that points here.
    """
    from archive import output
    from archive.store.check import check_archive

    check_format(fmt, ("text", "json"))
    report = check_archive(db, repair=repair)
    emit(report.as_dict(), fmt, output.print_check)
    if not report.sound:
        raise typer.Exit(code=1)
