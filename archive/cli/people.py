"""``archive speakers``: who is in the archive, under which spellings; merge duplicates."""

from __future__ import annotations

from typing import Annotated

import typer

from archive.cli import DbOption, app, check_format, emit, handles_errors
from archive.config import DEFAULT_DB

speakers_app = typer.Typer(
    help="List speakers with their statement counts and aliases; merge two records.",
    invoke_without_command=True,
)
app.add_typer(speakers_app, name="speakers")


@speakers_app.callback()
@handles_errors
def speakers(
    ctx: typer.Context,
    kind: Annotated[
        str | None, typer.Option(help="Only person, organization, outlet or unnamed speakers.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    db: DbOption = DEFAULT_DB,
) -> None:
    """List speakers, most quoted first."""
    if ctx.invoked_subcommand is not None:
        return
    from archive import output
    from archive.queries import list_speakers
    from archive.store import open_readonly

    check_format(fmt, ("table", "json"))
    emit(list_speakers(open_readonly(db), kind=kind), fmt, output.print_speakers)


@speakers_app.command()
@handles_errors
def merge(
    keep: Annotated[str, typer.Argument(help="The speaker to keep (name or alias).")],
    other: Annotated[str, typer.Argument(help="The speaker joined into it.")],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Join two speaker records into one: statements and aliases of OTHER move to KEEP."""
    from archive.store import Archive

    with Archive(db, create=False) as archive:
        kept = archive.merge_speakers(keep, other)
    typer.echo(
        f"{kept['name']}: {kept['statements']} statements, aliases: "
        f"{', '.join(kept['aliases']) or '-'}"
    )
