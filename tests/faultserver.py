"""A loopback HTTP server that misbehaves on purpose, path by path, for crawl fault tests.

Real servers fail in a handful of ways a crawl must survive without hanging or
losing track: 5xx answers, connections that stall past the download timeout or
trickle bytes forever, redirect loops, redirects to another host, connections
reset mid-answer, and bodies too large to be a page. Each path of a
:class:`FaultServer` is given one of those behaviours (the ``fault_*``
functions); unknown paths answer 404. ``hits`` counts requests per path, so a
test can assert that retries happened and that another host was never asked.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections import Counter
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

#: A behaviour: writes the whole answer (or not) on the handler's socket.
Behaviour = Callable[[BaseHTTPRequestHandler, threading.Event], None]


def _send(handler: BaseHTTPRequestHandler, status: int, body: bytes, **headers: str) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", headers.pop("content_type", "text/html"))
    handler.send_header("Content-Length", str(len(body)))
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-"), value)
    handler.end_headers()
    handler.wfile.write(body)


def fault_body(body: bytes, status: int = 200, content_type: str = "text/html") -> Behaviour:
    """Answer ``status`` with ``body`` (empty, binary, truncated… whatever the test needs)."""
    return lambda handler, _: _send(handler, status, body, content_type=content_type)


def fault_file(path: Path) -> Behaviour:
    """Answer 200 with a saved page, as the site would."""
    return fault_body(path.read_bytes())


def fault_status(status: int) -> Behaviour:
    """Answer an HTTP error (500, 503…) with a small body."""
    return fault_body(f"<h1>{status}</h1>".encode(), status=status)


def fault_stall(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """Accept the request and say nothing until the server stops (a hung upstream)."""
    stop.wait(120)


def fault_drip(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """Send headers, then a byte every half second: never finishing, never quite silent."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/html")
    handler.send_header("Content-Length", "1000000")
    handler.end_headers()
    while not stop.wait(0.5):
        try:
            handler.wfile.write(b"<")
            handler.wfile.flush()
        except OSError:
            return


def fault_drip_headers(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """Drip the status line itself, a byte every 0.3 s: no read of a client ever times out."""
    while not stop.wait(0.3):
        try:
            handler.wfile.write(b"X")
            handler.wfile.flush()
        except OSError:
            return


def fault_redirect(location: str, status: int = 302) -> Behaviour:
    """Redirect to ``location`` (relative or absolute); to itself makes a loop."""
    return lambda handler, _: _send(handler, status, b"", Location=location)


def fault_redirect_chain(handler: BaseHTTPRequestHandler, _: threading.Event) -> None:
    """Redirect ``path?n=k`` to ``path?n=k+1`` forever: a loop of ever-new URLs, as a session
    id in the query makes (a loop back to a URL already fetched is dropped as a duplicate)."""
    parts = urlsplit(handler.path)
    n = int(parts.query.removeprefix("n=") or 0) if parts.query.startswith("n=") else 0
    _send(handler, 302, b"", Location=f"{parts.path}?n={n + 1}")


def fault_reset(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
    """Close the connection with a TCP reset before answering (SO_LINGER 0)."""
    handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    handler.connection.close()
    handler.close_connection = True


def fault_truncated(body: bytes) -> Behaviour:
    """Promise the whole body in Content-Length, send half of it, and close."""

    def behave(handler: BaseHTTPRequestHandler, _: threading.Event) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[: len(body) // 2])
        handler.close_connection = True

    return behave


def fault_huge(size: int, *, declare: bool = True) -> Behaviour:
    """A body of ``size`` bytes of HTML, streamed; with ``declare`` it is announced up front."""

    def behave(handler: BaseHTTPRequestHandler, stop: threading.Event) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html")
        if declare:
            handler.send_header("Content-Length", str(size))
        handler.end_headers()
        chunk = b"<p>" + b"x" * 65_530 + b"</p>"
        sent = 0
        try:
            while sent < size and not stop.is_set():
                piece = chunk[: size - sent]
                handler.wfile.write(piece)
                sent += len(piece)
        except OSError:
            pass  # the crawler hung up, as it should
        handler.close_connection = True

    return behave


class FaultServer:
    """Serve ``routes`` (URL path → behaviour) on loopback in a background thread.

    Use as a context manager; ``url`` is ``http://HOST:PORT``. ``host`` may be
    ``localhost`` to stand for "another host" next to a server on ``127.0.0.1``.
    """

    def __init__(self, routes: dict[str, Behaviour], host: str = "127.0.0.1") -> None:
        self.routes = routes
        self.hits: Counter[str] = Counter()
        self.stop_event = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                path = urlsplit(self.path).path
                server.hits[path] += 1
                behaviour = server.routes.get(path)
                try:
                    if behaviour is None:
                        _send(self, 404, b"<h1>404</h1>")
                    else:
                        behaviour(self, server.stop_event)
                except OSError:
                    self.close_connection = True

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        self.httpd = ThreadingHTTPServer((host, 0), Handler)
        self.httpd.daemon_threads = True
        self.host = host
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.httpd.server_address[1]}"

    def __enter__(self) -> FaultServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop_event.set()
        self.httpd.shutdown()
        self.httpd.server_close()
