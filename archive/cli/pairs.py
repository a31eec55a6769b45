"""``archive pairs``: one briefing in two languages, turn by turn.

Lists the pairs :mod:`archive.provenance.pairing` found (``--missing`` keeps those where a version
lacks turns) and shows one pair's turns side by side, having first paired the documents not
yet paired (as ``archive link`` does after a crawl); ``--update`` only pairs, and prints
the counts.
"""

from typing import Annotated

import typer

from archive.cli import (
    DbOption,
    FormatOption,
    SinceOption,
    SourceOption,
    UntilOption,
    app,
    check_format,
    fail,
    handles_errors,
)
from archive.config import DEFAULT_DB


@app.command()
@handles_errors
def pairs(
    pair_id: Annotated[
        int | None,
        typer.Argument(metavar="[ID]", help="A pair id: show its turns side by side."),
    ] = None,
    document: Annotated[
        int | None,
        typer.Option("--document", help="Show the pair of this document (either version)."),
    ] = None,
    missing: Annotated[
        bool, typer.Option("--missing", help="Only pairs where a version lacks turns.")
    ] = False,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    limit: Annotated[int, typer.Option(help="How many pairs at most; 0 for all.")] = 50,
    chars: Annotated[
        int,
        typer.Option(min=0, help="Cut each turn at this many characters side by side (0: whole)."),
    ] = 200,
    update: Annotated[
        bool,
        typer.Option(
            "--update", help="Pair the documents not yet paired (from --since on), print counts."
        ),
    ] = False,
    fmt: FormatOption = "table",
    db: DbOption = DEFAULT_DB,
) -> None:
    """List documents published in two languages, or show one pair's turns side by side.

    A pair is the same briefing in the source's own language and in translation (China's
    MFA: Chinese and English of the same day; the Kremlin: Russian and English pages of
    the same number). Turns one version lacks are flagged.
    """
    from archive import output
    from archive import output_pairs as pairs_output
    from archive.search.engine import iso_date

    check_format(fmt, output.FORMATS)
    # Checked before --update too: a bad date must not pair everything from the start.
    since, until = iso_date(since, "--since"), iso_date(until, "--until", end=True)
    if update:
        _update(since, fmt, db)
        return
    from archive.queries import get_pair, list_pairs
    from archive.store import open_readonly

    if pair_id is not None and document is not None:
        fail("give a pair ID or --document, not both")
    if limit < 0:
        fail(f"--limit must be 0 (all) or more, not {limit}")
    _pair_new_documents(db)
    database = open_readonly(db)
    if pair_id is not None or document is not None:
        pair = get_pair(database, pair_id, document_id=document)
        if fmt == "json":
            output.print_json(pair)
        elif fmt == "csv":
            output.print_csv(pairs_output.pair_turn_rows(pair), pairs_output.PAIR_TURN_FIELDS)
        else:
            pairs_output.print_pair(pair, chars=chars)
        return
    rows = list_pairs(
        database, missing=missing, since=since, until=until, source=source, limit=limit or None
    )
    if fmt == "json":
        output.print_json([{k: row[k] for k in pairs_output.PAIR_FIELDS} for row in rows])
    elif fmt == "csv":
        output.print_csv(rows, pairs_output.PAIR_FIELDS)
    elif rows:
        pairs_output.print_pairs(rows)
    else:
        typer.echo("No pairs found (`archive pairs --update` pairs new documents).", err=True)


def _pair_new_documents(db: str) -> None:
    """Pair what a crawl brought since the last ``archive link``, when the archive is writable.

    ``scrapy crawl mfa`` and ``scrapy crawl mfa -a lang=zh`` store both versions; listing
    pairs right after must show them. A read-only archive is listed as it is.
    """
    import os
    from pathlib import Path

    path = Path(db)
    if not (path.exists() and os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        return
    from archive.provenance.linking import last_document_seen
    from archive.provenance.pairing import pair_documents
    from archive.store import Archive

    with Archive(path, create=False) as archive:
        pair_documents(archive, after_document=last_document_seen(archive.db))


def _update(since: str | None, fmt: str, db: str) -> None:
    """Pair what is unpaired and print the counts."""
    from archive import output
    from archive import output_pairs as pairs_output
    from archive.provenance.pairing import pair_documents
    from archive.store import Archive

    with Archive(db, create=False) as archive:
        counts = pair_documents(archive, since=since)
    if fmt == "json":
        output.print_json(counts)
    else:
        pairs_output.print_pair_counts(counts)
