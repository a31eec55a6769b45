"""Reading a page given on the command line: a file, or a URL fetched once.

Kept apart from the extractors (which never touch the network) and from the
store, so ``archive extract`` and ``archive add`` share one way of getting the
bytes and one set of error messages.
"""

from __future__ import annotations

import re
import threading
import time
from http.client import HTTPException
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from archive.exceptions import InvalidArgument

#: Seconds ``archive extract URL`` waits for the server to say anything.
FETCH_TIMEOUT = 30
#: Seconds a page may take to arrive, all of it: a server that drips a byte a second is cut
#: here (the socket's timeout counts only the silence between two reads).
PAGE_BUDGET = 60
#: Larger pages are refused, as the crawler's ``DOWNLOAD_MAXSIZE`` refuses them: no statement
#: page is this big. Enforced while reading, so ``/dev/zero`` or an endless answer stops here.
MAX_PAGE_BYTES = 32 * 1024 * 1024
#: Bytes read at a time.
CHUNK = 1 << 16
USER_AGENT = "mfa-archive/0.1 (research archive of diplomatic statements)"
_URL = re.compile(r"^https?://", re.IGNORECASE)

#: Signatures of files that are never a page, and what to call them.
NOT_PAGES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"RIFF", "a RIFF file (WebP, WAV or AVI)"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "gzip-compressed data (decompress it first)"),
    (b"BZh", "bzip2-compressed data (decompress it first)"),
    (b"\xfd7zXZ\x00", "xz-compressed data (decompress it first)"),
    (b"(\xb5/\xfd", "zstd-compressed data (decompress it first)"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x00\x00\x01\x00", "an icon"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
)
#: A tag any page has near its start.
_MARKUP = re.compile(
    rb"<(?:!doctype|html|head|body|meta|title|p|div|span|a|br|h[1-6]|article|section|table)\b",
    re.IGNORECASE,
)
#: Bytes that text never holds (NUL aside, which UTF-16 and UTF-32 pages are full of).
_CONTROL = bytes(b for b in range(32) if b not in (0, 9, 10, 12, 13, 27))


def is_url(value: str) -> bool:
    """Whether a command-line argument is an http(s) URL rather than a file path."""
    return bool(_URL.match(value))


def read_page(location: str, url: str | None = None) -> tuple[bytes, str]:
    """The bytes of a page and the URL it stands for.

    Args:
        location: a file path or an http(s) URL.
        url: the page's original URL, when ``location`` is a saved copy; a file
            without one stands for its ``file://`` URL, a fetched page for the URL it was
            served from (after redirects on its site: the spiders' rule).

    Raises:
        InvalidArgument: the file cannot be read, the URL cannot be fetched, either is
            larger than :data:`MAX_PAGE_BYTES` or took longer than :data:`PAGE_BUDGET`,
            the URL redirects off its site (another host or port), or the bytes are not a
            page (empty, an image, compressed, binary).
    """
    if is_url(location):
        body, served_from = _fetch(location)
        page_url = url or served_from
    else:
        path = Path(location)
        try:
            with path.open("rb") as stream:  # a device or a pipe too: read up to the cap
                body = _read_capped(stream, location)
        except FileNotFoundError:
            raise InvalidArgument(f"{location}: no such file") from None
        except IsADirectoryError:
            raise InvalidArgument(f"{location}: is a directory, give a page") from None
        except OSError as exc:
            raise InvalidArgument(f"{location}: cannot read ({exc.strerror or exc})") from None
        page_url = url or path.resolve().as_uri()
    problem = not_a_page(body)
    if problem:
        raise InvalidArgument(f"{location}: {problem}, not an HTML page")
    return body, page_url


def not_a_page(body: bytes) -> str | None:
    """What ``body`` is when it cannot be a web page (empty, an image, compressed, binary)."""
    if not body.strip():
        return "empty"
    for signature, name in NOT_PAGES:
        if body.startswith(signature):
            return name
    head = body[:8192]
    if len(head) - len(head.translate(None, _CONTROL)) > 0.05 * len(head):
        return "binary data"
    if not _MARKUP.search(body[:65536].replace(b"\x00", b"")):  # NULs: UTF-16 and UTF-32
        return "text without HTML markup"
    return None


def _read_capped(
    stream: BinaryIO, location: str, deadline: float | None = None, sock: Any = None
) -> bytes:
    """Read ``stream`` to its end, refusing it past :data:`MAX_PAGE_BYTES` or ``deadline``
    (each read then waits no longer than what is left of it, on ``sock``)."""
    chunks: list[bytes] = []
    size = 0
    read = getattr(stream, "read1", stream.read)  # returns what has arrived, not CHUNK bytes
    while True:
        if deadline is not None and sock is not None:
            sock.settimeout(max(0.1, min(FETCH_TIMEOUT, deadline - time.monotonic())))
        chunk = read(CHUNK)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_PAGE_BYTES:
            raise InvalidArgument(_too_large(location))
        if deadline is not None and time.monotonic() > deadline:
            raise InvalidArgument(_too_slow(location))
        chunks.append(chunk)


def _fetch(url: str) -> tuple[bytes, str]:
    """The body at ``url`` and the URL it was served from, within :data:`PAGE_BUDGET`
    whatever the server does.

    The reads themselves stop at the budget; the fetch runs in a thread all the same, since
    a server can drip its status line or headers too, where no read of ours can stop it.
    """
    outcome: dict[str, Any] = {}

    def fetch() -> None:
        try:
            outcome["body"] = _fetch_now(url)
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=fetch, name="fetch-page", daemon=True)
    worker.start()
    worker.join(PAGE_BUDGET + 1)
    if worker.is_alive():
        raise InvalidArgument(_too_slow(url))
    if "error" in outcome:
        raise outcome["error"]
    return outcome["body"]


#: Ports a URL is on when it names none.
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _site(url: str) -> tuple[str, int | None]:
    """Host (without ``www.``) and port of ``url``: what a redirect may not leave."""
    parts = urlsplit(url)
    try:
        port = parts.port or _DEFAULT_PORTS.get(parts.scheme.lower())
    except ValueError:  # a port out of range
        port = -1
    host = (parts.hostname or "").lower()
    return host.removeprefix("www."), port


def on_site(asked: str, target: str) -> bool:
    """Whether a redirect from ``asked`` to ``target`` stays on the site, as the spiders'
    rule has it (:mod:`mfa_scraper.bounds`): the same host, ``www.`` or not, on the same
    port (either of 80 and 443 when the URL asked named none: http to https is the site)."""
    (host, port), (to_host, to_port) = _site(asked), _site(target)
    if host != to_host:
        return False
    defaults = set(_DEFAULT_PORTS.values())
    return to_port == port or (port in defaults and to_port in defaults)


def _redirects_on_site(asked: str) -> Any:
    """A urllib redirect handler that follows redirects on ``asked``'s site only."""
    from urllib.request import HTTPRedirectHandler

    class OnSite(HTTPRedirectHandler):
        def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201
            if not on_site(asked, newurl):
                raise InvalidArgument(
                    f"{asked}: redirects off the site to {newurl}; give that URL to archive "
                    "what it serves"
                )
            return super().redirect_request(req, fp, code, msg, headers, newurl)

    return OnSite()


def _fetch_now(url: str) -> tuple[bytes, str]:
    from urllib.error import URLError
    from urllib.request import Request, build_opener

    request = Request(url, headers={"User-Agent": USER_AGENT})
    deadline = time.monotonic() + PAGE_BUDGET
    opener = build_opener(_redirects_on_site(url))
    try:
        with opener.open(request, timeout=FETCH_TIMEOUT) as response:
            declared = response.headers.get("Content-Length") or ""
            if declared.isdigit() and int(declared) > MAX_PAGE_BYTES:
                raise InvalidArgument(_too_large(url))
            body = _read_capped(response, url, deadline, _socket(response))
            return body, response.geturl()
    except URLError as exc:
        raise InvalidArgument(f"cannot fetch {url}: {exc.reason}") from None
    except TimeoutError:
        if time.monotonic() >= deadline - 0.5:
            raise InvalidArgument(_too_slow(url)) from None
        raise InvalidArgument(f"cannot fetch {url}: no answer in {FETCH_TIMEOUT} s") from None
    except (OSError, ValueError) as exc:  # ValueError: a malformed URL
        raise InvalidArgument(f"cannot fetch {url}: {exc}") from None
    except HTTPException as exc:  # a server that breaks HTTP (no status line, bad chunks)
        raise InvalidArgument(f"cannot fetch {url}: {type(exc).__name__} {exc}") from None


def _socket(response: Any) -> Any:
    """The socket under an ``http.client`` response, if it can be reached (to shorten its
    timeout as the page's budget runs out)."""
    raw = getattr(getattr(response, "fp", None), "raw", None)
    sock = getattr(raw, "_sock", None)
    return sock if hasattr(sock, "settimeout") else None


def _too_slow(url: str) -> str:
    return f"cannot fetch {url}: the page took longer than {PAGE_BUDGET} s to arrive"


def _too_large(location: str) -> str:
    return f"{location}: larger than {MAX_PAGE_BYTES // 2**20} MB; not a page to extract"
