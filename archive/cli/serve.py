"""Browsing commands: ``archive serve`` (Datasette) and ``archive timeline`` (terminal bars)."""

from typing import Annotated

import typer

from archive.cli import (
    DbOption,
    LangOption,
    NlOption,
    SinceOption,
    SourceOption,
    UntilOption,
    app,
    check_format,
    fail,
    format_option,
    handles_errors,
)
from archive.config import DEFAULT_DB


@app.command()
@handles_errors
def serve(
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port to listen on.")] = 8001,
    host: Annotated[
        str, typer.Option(help="Address to listen on; 0.0.0.0 exposes it to the network.")
    ] = "127.0.0.1",
    immutable: Annotated[
        bool,
        typer.Option(
            "--immutable",
            help="Serve a finished snapshot (faster, cacheable); refused while a crawl writes.",
        ),
    ] = False,
    setting: Annotated[
        list[str] | None,
        typer.Option(
            metavar="NAME=VALUE",
            help="A Datasette setting, e.g. base_url=/archive/ or force_https_urls=on; repeatable.",
        ),
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Browse the archive in Datasette, read-only: search, facets, canned queries, JSON and CSV."""
    try:
        from archive import serve as serving
    except ImportError as exc:  # datasette is the optional [serve] extra
        fail(f"{exc.name} is not installed; pip install 'mfa-archive[serve]'")
    settings = serving.parse_settings(setting or [])
    path = serving.prepare_archive(db, immutable=immutable)
    ds = serving.build_datasette(path, immutable=immutable, settings=settings)
    base = settings.get("base_url", "/")
    typer.echo(f"Serving {path} at http://{host}:{port}{base} (read-only; Ctrl-C stops)", err=True)
    serving.run(ds, host=host, port=port)


@app.command()
@handles_errors
def timeline(
    query: Annotated[
        str | None,
        typer.Argument(help='Words to count, as archive search finds them ("a phrase", OR, NOT).'),
    ] = None,
    speaker: Annotated[
        str | None, typer.Option(help="Only statements by this speaker (any spelling).")
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    source: SourceOption = None,
    lang: LangOption = None,
    by: Annotated[str, typer.Option(metavar="[month|week]", help="month or week.")] = "month",
    fmt: Annotated[str, format_option("table|json|csv", "table, json or csv.")] = "table",
    nl: NlOption = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Statements per month (or week) as bars, e.g. archive timeline sanctions --speaker Lavrov."""
    from archive import output
    from archive.search.timeline import Timeline, count_statements, print_timeline
    from archive.store import open_readonly

    check_format(fmt, ("table", "json", "csv"), nl=nl)
    request = Timeline(
        query, speaker=speaker, by=by, since=since, until=until, source=source, lang=lang
    )
    rows = count_statements(open_readonly(db), request)
    if nl:
        output.print_jsonl(rows)
    elif fmt == "csv":
        output.print_csv(rows, ("period", "statements"))
    elif fmt == "json":
        output.print_json(rows)
    elif rows:
        described = " by ".join(
            part for part in (f'"{query}"' if query else "statements", speaker) if part
        )
        print_timeline(rows, title=f"{described} per {by}")
    else:
        typer.echo("No statements found.", err=True)
