"""Reading a page given on the command line: a file, or a URL fetched once.

Kept apart from the extractors (which never touch the network) and from the
store, so ``archive extract`` and ``archive add`` share one way of getting the
bytes and one set of error messages.
"""

from __future__ import annotations

import re
from pathlib import Path

from archive.exceptions import InvalidArgument

#: How long ``archive extract URL`` waits for a server.
FETCH_TIMEOUT = 30
#: Larger pages are refused, as the crawler's ``DOWNLOAD_MAXSIZE`` refuses them: no statement
#: page is this big, and extracting 50 MB of markup takes minutes and gigabytes.
MAX_PAGE_BYTES = 32 * 1024 * 1024
USER_AGENT = "mfa-archive/0.1 (research archive of diplomatic statements)"
_URL = re.compile(r"^https?://", re.IGNORECASE)


def is_url(value: str) -> bool:
    """Whether a command-line argument is an http(s) URL rather than a file path."""
    return bool(_URL.match(value))


def read_page(location: str, url: str | None = None) -> tuple[bytes, str]:
    """The bytes of a page and the URL it stands for.

    Args:
        location: a file path or an http(s) URL.
        url: the page's original URL, when ``location`` is a saved copy; a file
            without one stands for its ``file://`` URL.

    Raises:
        InvalidArgument: the file cannot be read or the URL cannot be fetched.
    """
    if is_url(location):
        return _fetch(location), url or location
    path = Path(location)
    try:
        if path.is_file() and path.stat().st_size > MAX_PAGE_BYTES:
            raise InvalidArgument(_too_large(location))
        body = path.read_bytes()
    except FileNotFoundError:
        raise InvalidArgument(f"{location}: no such file") from None
    except IsADirectoryError:
        raise InvalidArgument(f"{location}: is a directory, give a page") from None
    except OSError as exc:
        raise InvalidArgument(f"{location}: cannot read ({exc.strerror})") from None
    return body, url or path.resolve().as_uri()


def _fetch(url: str) -> bytes:
    from urllib.error import URLError
    from urllib.request import Request, urlopen

    request = Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urlopen(request, timeout=FETCH_TIMEOUT) as response:  # noqa: S310 - http(s) only
            body = response.read(MAX_PAGE_BYTES + 1)
    except URLError as exc:
        raise InvalidArgument(f"cannot fetch {url}: {exc.reason}") from None
    except (TimeoutError, OSError) as exc:
        raise InvalidArgument(f"cannot fetch {url}: {exc}") from None
    if len(body) > MAX_PAGE_BYTES:
        raise InvalidArgument(_too_large(url))
    return body


def _too_large(location: str) -> str:
    return f"{location}: larger than {MAX_PAGE_BYTES // 2**20} MB; not a page to extract"
