"""Page commands: ``archive extract``, ``archive add``, ``archive quotes``.

They run the crawler's own extractors and quote engine on pages and texts
given by hand, so what a user sees here is what a crawl would archive.
"""

import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from archive.cli import DbOption, app, check_format, fail, handles_errors
from archive.config import DEFAULT_DB
from archive.exceptions import ArchiveError, InvalidArgument

Locations = Annotated[
    list[str] | None,
    typer.Argument(help="Saved pages or http(s) URLs (may be left out with a JSON-lines --urls)."),
]
UrlOption = Annotated[
    str | None, typer.Option("--url", help="Original URL of a saved page (one page only).")
]
UrlsOption = Annotated[
    Path | None,
    typer.Option(
        "--urls",
        help="Original URLs of saved pages: one URL a line in the order of the FILEs, or JSON"
        ' lines {"file": …, "url": …} (the FILEs, if given, are looked up in it). A page\'s URL'
        " tells its site parser and often its date.",
    ),
]

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")

#: Quote fields printed by ``archive extract`` and ``archive quotes``.
EXTRACT_QUOTE_FIELDS = (
    "quote", "start", "end", "speaker", "speaker_role", "cue", "kind", "speaker_kind"
)  # fmt: skip
STREAM_QUOTE_FIELDS = (
    "quote",
    "start",
    "end",
    "speaker",
    "speaker_start",
    "speaker_end",
    "cue",
    "kind",
    "speaker_kind",
)


def _extract(location: str, url: str | None, source: str | None = None):
    from archive.pages import read_page
    from mfa_scraper.sites.dispatch import extract_document
    from mfa_scraper.sites.mfa import ExtractionError

    body, page_url = read_page(location, url)
    try:
        document = extract_document(body, page_url, source=source)
    except ExtractionError as exc:
        raise InvalidArgument(f"{location}: {exc}") from None
    if not document.text.strip() and not document.turns:  # as the crawl's ValidatePipeline
        raise InvalidArgument(f"{location}: no text found in the page")
    return document


def document_json(document) -> dict[str, Any]:
    """The JSON record ``archive extract`` prints: the document and its quotes."""
    from mfa_scraper.attribution.document import quotes_in_text

    record: dict[str, Any] = {
        "url": document.url,
        "title": document.title,
        "published": document.published,
        "date": document.day,
        "author": document.author,
        "language": document.language,
        "kind": document.kind,
        "source": document.source,
        "text": document.text,
        "quotes": [
            {field: getattr(q, field) for field in EXTRACT_QUOTE_FIELDS}
            for q in quotes_in_text(document)
        ],
        "flags": document.flags,
    }
    if document.turns:
        record["turns"] = [
            {"speaker": t.speaker, "role": t.role, "kind": t.kind, "text": t.text}
            for t in document.turns
        ]
    return record


def _pages(
    locations: list[str] | None, url: str | None, urls: Path | None
) -> list[tuple[str, str | None]]:
    """Each location to process with its original URL (``None``: a file stands for itself)."""
    locations = locations or []
    if url and urls:
        fail("give --url for one page or --urls for several, not both")
    if url and len(locations) > 1:
        fail("--url names the original of one page; give one FILE with it, or use --urls")
    if url is not None:
        check_page_url(url, "--url")
    if urls is None:
        if not locations:
            fail("give the pages to read: FILEs or URLs, or a JSON-lines --urls list")
        return [(location, url) for location in locations]
    try:
        pages = pages_with_urls(locations, urls)
    except InvalidArgument as exc:
        fail(str(exc))
        raise  # unreachable: fail exits
    for _, page_url in pages:
        if page_url is not None:
            check_page_url(page_url, str(urls))
    return pages


def check_page_url(url: str, where: str) -> None:
    """Refuse (one line, exit 2) an original URL that is not an absolute http(s) URL: the
    page would be stored under a name no crawl, search link or citation could use."""
    from urllib.parse import urlsplit

    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        fail(f"{where}: {url!r} is not an http(s) URL; give the page's original address")


def pages_with_urls(locations: list[str], urls: Path) -> list[tuple[str, str | None]]:
    """Pair saved pages with their original URLs from a ``--urls`` list.

    The list is either one URL a line, in the order of ``locations``, or JSON lines
    ``{"file": PATH, "url": URL}``; then ``locations`` (if any) are looked up in it by path,
    and without them every file of the list is read. A relative ``file`` is taken from the
    current folder, else from the list's own.

    Raises:
        InvalidArgument: the list cannot be read, does not pair up, or misses a page.
    """
    try:
        lines = [line.strip() for line in urls.read_text("utf-8").splitlines() if line.strip()]
    except OSError as exc:
        raise InvalidArgument(f"{urls}: cannot read ({exc.strerror})") from None
    if not lines or not lines[0].startswith("{"):
        if len(lines) != len(locations):
            raise InvalidArgument(
                f"{urls}: {len(lines)} URLs for {len(locations)} pages; give one URL a line"
                ' in the order of the pages, or JSON lines {"file": …, "url": …}'
            )
        return list(zip(locations, lines))
    listed: list[tuple[str, str | None]] = []
    for number, line in enumerate(lines, start=1):
        try:
            item = json.loads(line)
            path, page_url = item["file"], item.get("url")
            if not isinstance(path, str) or not isinstance(page_url, (str, type(None))):
                raise TypeError
        except (json.JSONDecodeError, KeyError, TypeError):
            raise InvalidArgument(
                f'{urls}: line {number}: expected {{"file": …, "url": …}}'
            ) from None
        if not Path(path).is_absolute() and not Path(path).exists():
            path = str(urls.parent / path)
        listed.append((path, page_url))
    if not locations:
        return listed
    by_path = {Path(path).resolve(): page_url for path, page_url in listed}
    missing = [loc for loc in locations if Path(loc).resolve() not in by_path]
    if missing:
        raise InvalidArgument(f"{urls}: no URL for {', '.join(missing[:3])}")
    return [(loc, by_path[Path(loc).resolve()]) for loc in locations]


@app.command()
def extract(
    locations: Locations = None,
    url: UrlOption = None,
    urls: UrlsOption = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="json or text.")] = "json",
) -> None:
    """Extract title, date, author, text and attributed quotes of pages, without storing them.

    One page prints one JSON object; several print one object per line. ``published`` is the
    page's timestamp as it gives it, ``date`` the publisher's calendar date.
    """
    check_format(fmt, ("json", "text"))
    pages = _pages(locations, url, urls)
    failed = False
    for location, page_url in pages:
        try:
            record = document_json(_extract(location, page_url))
        except ArchiveError as exc:
            typer.echo(f"Error: {exc}", err=True)
            failed = True
            continue
        if fmt == "text":
            _print_text(record)
        elif len(pages) == 1:
            typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
        else:
            typer.echo(json.dumps(record, ensure_ascii=False))
    if failed:
        raise typer.Exit(code=2)


def _print_text(record: dict[str, Any]) -> None:
    typer.echo(record["title"] or record["url"])
    typer.echo(" · ".join(str(v) for v in (record["date"], record["author"], record["url"]) if v))
    for quote in record["quotes"]:
        who = quote["speaker"] or "?"
        if quote["speaker_role"]:
            who += f" ({quote['speaker_role']})"
        typer.echo(f"  [{quote['kind']}] “{quote['quote']}” — {who}, {quote['cue'] or ''}")
    typer.echo("")


@app.command()
@handles_errors
def add(
    locations: Locations = None,
    url: UrlOption = None,
    urls: UrlsOption = None,
    source: Annotated[
        str | None, typer.Option(help="Source name to file the pages under (default: the host).")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Extract pages and store them in the archive, so `archive search` finds them."""
    from archive.store import Archive, now_iso
    from mfa_scraper.records import document_record

    failed = False
    archive = None  # opened (or created) once there is a page to store
    try:
        for location, page_url in _pages(locations, url, urls):
            try:
                document = _extract(location, page_url, source)
                archive = archive or Archive(db)
                status = archive.upsert_document(document_record(document, fetched=now_iso()))
            except ArchiveError as exc:
                typer.echo(f"Error: {exc}", err=True)
                failed = True
                continue
            quotes = sum(len(t.quotes) for t in document.turns) + len(document.quotes)
            typer.echo(
                f"{status}: {document.url} ({document.day or 'no date'}, "
                f"{len(document.turns)} turns, {quotes} quotes)"
            )
    finally:
        if archive is not None:
            archive.close()
    if failed:
        raise typer.Exit(code=2)


@app.command()
@handles_errors
def quotes(
    input_file: Annotated[
        Path | None, typer.Option("--input", "-i", help="JSONL file (default: stdin).")
    ] = None,
) -> None:
    """Find attributed quotes in texts: JSONL {"id", "text"} in, {"id", "quotes"} out."""
    from mfa_scraper.attribution.quotes import extract_quotes

    if input_file is not None and not input_file.is_file():
        raise InvalidArgument(f"{input_file}: no such file")
    # Bytes, decoded line by line: one line that is not UTF-8 is one bad line, not the end.
    stream = input_file.open("rb") if input_file else sys.stdin.buffer
    failed = False
    with stream:
        for number, raw in enumerate(stream, start=1):
            if not raw.strip():
                continue
            try:
                item = json.loads(raw.decode("utf-8"))
                text = item["text"]
                if not isinstance(text, str):
                    raise TypeError
                # JSON may escape half a surrogate pair (\ud800), which no output can encode;
                # it becomes U+FFFD, one character for one, so offsets stay right.
                text = _LONE_SURROGATE.sub("\ufffd", text)
            except UnicodeDecodeError:
                typer.echo(f"Error: line {number}: not UTF-8", err=True)
                failed = True
                continue
            except RecursionError:
                typer.echo(f"Error: line {number}: JSON nested too deeply", err=True)
                failed = True
                continue
            except (json.JSONDecodeError, KeyError, TypeError):
                typer.echo(f'Error: line {number}: expected {{"id": …, "text": "…"}}', err=True)
                failed = True
                continue
            found = [
                {field: getattr(q, field) for field in STREAM_QUOTE_FIELDS}
                for q in extract_quotes(text)
            ]
            sys.stdout.write(
                json.dumps({"id": item.get("id"), "quotes": found}, ensure_ascii=False) + "\n"
            )
    if failed:
        raise typer.Exit(code=2)
