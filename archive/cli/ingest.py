"""``archive ingest --redis URL``: write what scaled-out crawlers queued in Redis to the archive."""

from typing import Annotated

import typer

from archive.cli import DbOption, app, check_format, fail, handles_errors
from archive.config import DEFAULT_DB


@app.command()
@handles_errors
def ingest(
    redis: Annotated[
        str | None,
        typer.Option(
            "--redis",
            envvar="REDIS_URL",
            help="Redis the crawlers push to, e.g. redis://host:6379/0 (also $REDIS_URL).",
            show_default=False,
        ),
    ] = None,
    key: Annotated[
        str, typer.Option(help="The Redis list of items (the crawlers' ARCHIVE_REDIS_ITEMS_KEY).")
    ] = "archive:items",
    batch: Annotated[int, typer.Option(min=1, help="Messages written per transaction.")] = 500,
    until_empty: Annotated[
        bool,
        typer.Option("--until-empty", help="Stop once the list is empty (default: keep waiting)."),
    ] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    db: DbOption = DEFAULT_DB,
) -> None:
    """Drain items queued by crawlers on scrapy-redis into the archive, idempotently.

    Run one ingester per archive (SQLite has one writer); any number of crawlers may feed it.
    """
    from archive import output
    from archive.ingest import connect
    from archive.ingest import ingest as run_ingest
    from archive.store import Archive

    check_format(fmt, ("table", "json"))
    if not redis:
        fail("give the Redis URL the crawlers use: --redis redis://HOST:6379/0 or $REDIS_URL")
    client = connect(redis)
    with Archive(db) as archive:
        try:
            counts = run_ingest(archive, client, key=key, batch=batch, until_empty=until_empty)
        except KeyboardInterrupt:
            typer.echo("interrupted; the batch in progress is applied again next time", err=True)
            return
    summary = counts.as_dict()
    if fmt == "json":
        output.print_json(summary)
    else:
        documents = ", ".join(f"{n} {status}" for status, n in summary["documents"].items())
        typer.echo(
            f"{summary['messages']} messages in {summary['batches']} batches; "
            f"documents: {documents or 'none'}"
        )
