"""``archive crawl``: the one command a scheduler runs."""

import sys
from typing import Annotated

import typer

from archive.cli import DbOption, app, check_format, fail, handles_errors
from archive.config import DEFAULT_DB


def _pairs(values: list[str], option: str) -> dict[str, str]:
    pairs = {}
    for value in values:
        name, sep, setting = value.partition("=")
        if not sep or not name:
            fail(f"{option} {value!r} must look like NAME=VALUE")
        pairs[name.strip()] = setting
    return pairs


@app.command()
@handles_errors
def crawl(
    spiders: Annotated[
        list[str] | None, typer.Argument(help="Spiders to run (see --list).", show_default=False)
    ] = None,
    all_spiders: Annotated[bool, typer.Option("--all", help="Run every spider.")] = False,
    spider_arg: Annotated[
        list[str] | None, typer.Option("--arg", "-a", help="Spider argument NAME=VALUE.")
    ] = None,
    setting: Annotated[
        list[str] | None, typer.Option("--set", "-s", help="Scrapy setting NAME=VALUE.")
    ] = None,
    jobdir: Annotated[
        str | None, typer.Option(help="Keep crawl state here so a killed crawl resumes.")
    ] = None,
    list_spiders: Annotated[bool, typer.Option("--list", help="List spiders and exit.")] = False,
    link: Annotated[
        bool,
        typer.Option(
            "--link/--no-link", help="Afterwards, link quotations to originals (archive link)."
        ),
    ] = True,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log every request.")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Run spiders into the archive, one crawl at a time, and print a summary.

    Then links new quotations to their originals and pairs briefings across languages
    (`archive link`), unless --no-link.

    Exits 1 when a source failed entirely (nothing could be fetched) or failed a
    monitor (no documents, a section or listing pages that list nothing, transcripts
    without turns, undated documents), printing one line per failed monitor on
    stderr, so cron and systemd report it; a second crawl on the same archive exits
    at once.
    """
    from archive import output
    from archive.lock import crawl_lock
    from mfa_scraper.runner import available_spiders, run_crawl, spider_class

    check_format(fmt, ("table", "json"))
    known = available_spiders()
    if list_spiders:
        typer.echo("\n".join(known))
        return
    names = known if all_spiders else list(spiders or [])
    if not names:
        fail("name the spiders to run, or --all; --list shows them")
    unknown = [name for name in names if name not in known]
    if unknown:
        fail(f"unknown spider {unknown[0]!r}; choose from: {', '.join(known)}")
    settings = _pairs(setting or [], "--set")
    if not verbose:
        settings.setdefault("LOG_LEVEL", "INFO" if sys.stderr.isatty() else "WARNING")
    arguments = _pairs(spider_arg or [], "--arg")
    from scrapy.exceptions import UsageError

    from mfa_scraper.usage import check_setting_values

    try:  # each spider checks its own arguments: lang=zh suits mfa, not kremlin
        for name in names:
            spider_class(name).check_arguments(**arguments)
        check_setting_values(settings)  # -s DOWNLOAD_DELAY=abc: one line, not a traceback
    except UsageError as exc:
        fail(str(exc))
    with crawl_lock(db):
        from archive.store import open_database
        from archive.store.check import quick_damage

        # Another program's file, a newer schema, a damaged one: one line now, not a failed
        # crawl later (writing into corrupt pages would spread the damage).
        open_database(db).conn.close()
        damage = quick_damage(db)
        if damage:
            raise damage
        summary = run_crawl(names, db=db, spider_args=arguments, settings=settings, jobdir=jobdir)
        report = summary.as_dict()
        if link:
            from archive.provenance.linking import link_archive
            from archive.store import Archive

            with Archive(db) as archive:
                report["links"] = link_archive(archive)
    if fmt == "json":
        output.print_json(report)
    else:
        output.print_crawl_summary(report)
        if "links" in report:
            output.print_link_counts(report["links"])
    for line in summary.monitor_failures():
        typer.echo(line, err=True)
    if not summary.ok:
        raise typer.Exit(code=1)
