"""Serve a saved copy of a site on loopback, so spiders can crawl it without network.

The copy is laid out by URL path (``mirror/<host>/<url path>``): a path ending
in ``/`` is stored as ``index.html``, extensionless paths are HTML. Every
file is served as ``text/html`` unless its extension says otherwise, with no
charset, as the ministry's server does.

Run ``python -m mfa_scraper.mirror DIR [--port N]`` and crawl with
``scrapy crawl mfa -a base_url=http://127.0.0.1:N``.
"""

from __future__ import annotations

import argparse
import contextlib
import threading
import time
from collections.abc import Callable
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: Content types by extension; anything else is served as HTML.
CONTENT_TYPES = {
    ".xml": "application/xml",
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".json": "application/json",
    ".txt": "text/plain",
    ".jpg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".css": "text/css",
    ".js": "application/javascript",
}


#: Seconds a request waits at most for a closed gate (see :class:`MirrorHandler`).
GATE_TIMEOUT = 60.0


class MirrorHandler(SimpleHTTPRequestHandler):
    """Maps a URL path to the mirror's file layout; ``overrides`` replace chosen paths.

    ``overrides`` maps a URL path to a file served instead (with status 200), to
    simulate a page the site has since replaced by its "removed" page. ``latency`` seconds
    pass before each answer, as on a real server; with a ``gate``, answers also wait
    (at most :data:`GATE_TIMEOUT`) until it is set, so a test can start several clients
    before any of them gets a page.
    """

    overrides: dict[str, Path] = {}

    def __init__(
        self,
        *args,
        directory: str,
        overrides: dict[str, Path],
        latency: float = 0.0,
        gate: threading.Event | None = None,
        **kwargs,
    ) -> None:
        self.overrides = overrides
        self.latency = latency
        self.gate = gate
        super().__init__(*args, directory=directory, **kwargs)

    def translate_path(self, path: str) -> str:
        url_path = unquote(urlsplit(path).path)
        if url_path in self.overrides:
            return str(self.overrides[url_path])
        root = Path(self.directory)
        target = (root / url_path.lstrip("/")).resolve()
        if root.resolve() not in target.parents and target != root.resolve():
            return str(root / "__outside__")  # never serve outside the mirror
        if url_path.endswith("/") or target.is_dir():
            target = target / "index.html"
        return str(target)

    def send_head(self):  # noqa: ANN201 - base class signature
        if self.gate is not None:
            self.gate.wait(GATE_TIMEOUT)
        if self.latency:
            time.sleep(self.latency)
        # A replaced page is new content: never answer 304 for it because of its old mtime.
        if unquote(urlsplit(self.path).path) in self.overrides:
            del self.headers["If-Modified-Since"]
        return super().send_head()

    def guess_type(self, path: str) -> str:
        return CONTENT_TYPES.get(Path(path).suffix.lower(), "text/html")

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - base class signature
        pass  # quiet: the crawler logs what it fetches


def serve(
    directory: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 0,
    overrides: dict[str, Path] | None = None,
    latency: float = 0.0,
    gate: threading.Event | None = None,
) -> tuple[ThreadingHTTPServer, Callable[[], None]]:
    """Start serving ``directory`` in a background thread; returns the server and its stopper.

    ``port=0`` picks a free port: read it from ``server.server_address[1]``.
    ``overrides``, ``latency`` and ``gate`` are described in :class:`MirrorHandler`.
    """
    handler = partial(
        MirrorHandler,
        directory=str(directory),
        overrides=dict(overrides or {}),
        latency=latency,
        gate=gate,
    )
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return server, stop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", help="the mirror of one host, e.g. tests/pages/mirror/...")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    if not Path(args.directory).is_dir():
        parser.exit(2, f"error: {args.directory} is not a directory\n")
    server, _ = serve(args.directory, host=args.host, port=args.port)
    print(
        f"serving {args.directory} on http://{args.host}:{server.server_address[1]}/ (Ctrl-C stops)"
    )
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


if __name__ == "__main__":
    main()
