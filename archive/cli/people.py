"""``archive speakers``: who is in the archive, under which spellings; merge duplicates."""

from typing import Annotated

import typer

from archive.cli import (
    LIMIT_HELP,
    DbOption,
    NlOption,
    app,
    check_format,
    emit,
    fail,
    format_option,
    handles_errors,
)
from archive.config import DEFAULT_DB
from archive.exceptions import InvalidArgument

#: Speakers the table lists unless --limit says otherwise.
TABLE_LIMIT = 50

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
        str | None,
        typer.Option(
            metavar="[person|organization|outlet|description]",
            help="Only speakers of this kind ('unnamed', the old name of description, still "
            "answers).",
        ),
    ] = None,
    name: Annotated[
        str | None,
        typer.Option(
            "--name", "-n", help="Only speakers whose name or an alias holds these words."
        ),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(help=f"{LIMIT_HELP} Default: 50 in the table, all in JSON (as before)."),
    ] = None,
    fmt: Annotated[str, format_option("table|json", "table or json.")] = "table",
    nl: NlOption = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """List speakers, most quoted first (the table shows the first 50; --limit 0 for all)."""
    if ctx.invoked_subcommand is not None:
        return
    from archive import output
    from archive.queries import count_speakers, list_speakers
    from archive.store import open_readonly

    check_format(fmt, ("table", "json"), nl=nl)
    if kind is not None and kind not in SPEAKER_KINDS:
        raise InvalidArgument(f"--kind must be one of {', '.join(SPEAKER_KINDS)}, not {kind!r}")
    if limit is None:  # scripts reading JSON got every speaker before --limit existed
        limit = TABLE_LIMIT if fmt == "table" and not nl else 0
    if limit < 0:
        fail(f"--limit must be 0 (all) or more, not {limit}")
    database = open_readonly(db)
    rows = list_speakers(database, kind=kind, name=name, limit=limit)
    if nl:
        output.print_jsonl(rows)
        return
    emit(rows, fmt, output.print_speakers)
    if fmt == "table" and limit and len(rows) >= limit and not name:
        total = count_speakers(database, kind=kind)
        if total > len(rows):
            typer.echo(
                f"The {len(rows)} most quoted of {total} speakers; --limit 0 for all, "
                "--name to find one.",
                err=True,
            )


#: Kinds of speaker records; "unnamed" is the old name of "description".
SPEAKER_KINDS = ("person", "organization", "outlet", "description", "unnamed")


@speakers_app.command()
@handles_errors
def audit(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    db: DbOption = DEFAULT_DB,
) -> None:
    """List doubtful speaker records: places, countries or words filed as people, and records
    whose turns name someone else in the other language (with the merge that fixes them)."""
    from archive import output
    from archive.provenance.identities import doubtful_speakers
    from archive.store import open_readonly

    check_format(fmt, ("text", "json"))
    rows = doubtful_speakers(open_readonly(db))
    (output.print_json if fmt == "json" else output.print_speaker_audit)(rows)


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
