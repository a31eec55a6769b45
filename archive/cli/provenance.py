"""Provenance commands: ``archive trace`` (where was it said first) and ``archive link``."""

from typing import Annotated

import typer

from archive.cli import DbOption, FormatOption, app, check_format, handles_errors
from archive.config import DEFAULT_DB


@app.command()
@handles_errors
def trace(
    quotation: Annotated[
        str,
        typer.Argument(
            metavar="TEXT_OR_ID", help="A quotation's words, or a statement id from search."
        ),
    ],
    fmt: FormatOption = "table",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Every appearance of a quotation in time order: the original, then each re-quote.

    Each re-quote is labelled against the original (verbatim, near-verbatim with its
    edits, fragment, paraphrase) with a similarity score and the lag in days.
    """
    from archive import output
    from archive.provenance.trace import trace as run_trace
    from archive.store import open_readonly

    check_format(fmt, output.FORMATS)
    result = run_trace(open_readonly(db), quotation)
    rows = [output.trace_row(appearance) for appearance in result.appearances]
    if fmt == "json":
        output.print_json(result.as_dict())
    elif fmt == "csv":
        output.print_csv(rows, output.TRACE_FIELDS)
    elif rows:
        output.print_trace(rows, result.relation, result.counterpart)
    else:
        typer.echo("No appearance of that quotation in the archive.", err=True)


@app.command()
@handles_errors
def link(
    everything: Annotated[
        bool, typer.Option("--all", help="Link every quotation again, not only new ones.")
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Pair briefings across languages and link quotations to originals; archive crawl runs it."""
    from archive import output
    from archive.provenance.linking import link_archive
    from archive.store import Archive

    check_format(fmt, ("text", "json"))
    with Archive(db, create=False) as archive:
        counts = link_archive(archive, everything=everything)
    emit_counts = output.print_json if fmt == "json" else output.print_link_counts
    emit_counts(counts)
