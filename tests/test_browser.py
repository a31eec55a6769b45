"""A real browser on ``archive serve``: headless Chromium loads statements and a search.

The in-process client proves the HTML is right; this proves a person sees
rows: the page is served by the real command over HTTP, rendered by Chromium
(Debian's package, installed by ``.ci/run``), and its screenshot is read back
to check that the lower half of the page is full of text lines (table rows),
where an error page would be blank.
"""

from __future__ import annotations

import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.request
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("datasette", reason="the [serve] extra is not installed")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="no Chromium here (apt-get install -y chromium; .ci/run installs it)",
)

#: Window size in CSS pixels; screenshots are taken at half scale to keep decoding quick.
WIDTH, HEIGHT, SCALE = 1200, 2000, 0.5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(archive_path) -> Iterator[str]:
    """``archive serve`` on the three real transcripts, as a subprocess; yields its base URL."""
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "archive", "serve", "--port", str(port), "--db", str(archive_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(process.stderr.read().decode()) from None
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def chromium(url: str, *args: str) -> subprocess.CompletedProcess:
    """Run headless Chromium on ``url`` with extra flags, as root in a container allows."""
    return subprocess.run(
        [
            CHROMIUM,
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--hide-scrollbars",
            f"--window-size={WIDTH},{HEIGHT}",
            f"--force-device-scale-factor={SCALE}",
            "--virtual-time-budget=5000",
            *args,
            url,
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )


def screenshot(url: str, path: Path) -> list[list[int]]:
    """Take a screenshot of ``url`` into ``path``; returns its rows of grey values."""
    chromium(url, f"--screenshot={path}")
    return png_grey_rows(path.read_bytes())


def png_grey_rows(data: bytes) -> list[list[int]]:
    """Decode an 8-bit RGB or RGBA PNG (what Chromium writes) into rows of grey values."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, color, _, _, interlace = header
    assert depth == 8 and color in (2, 6) and not interlace, header
    channels = 4 if color == 6 else 3
    stride = width * channels
    raw = zlib.decompress(idat)
    previous = bytearray(stride)
    grey_rows = []
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
            elif kind == 4:
                corner = previous[i - channels] if i >= channels else 0
                estimate = left + up - corner
                pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 0xFF
        grey_rows.append(
            [
                (line[x] * 3 + line[x + 1] * 6 + line[x + 2]) // 10
                for x in range(0, stride, channels)
            ]
        )
        previous = line
    return grey_rows


def inked_share(grey_rows: list[list[int]], *, start: float = 0.5) -> float:
    """Share of pixel rows from ``start`` (a fraction of the height) down holding dark text."""
    lower = grey_rows[int(len(grey_rows) * start) :]
    return sum(1 for row in lower if min(row) < 110) / len(lower)


def test_statements_table_shows_rows(server, tmp_path):
    url = f"{server}/archive/statements_view"
    dom = chromium(url, "--dump-dom").stdout.decode()
    assert 'class="rows-and-columns' in dom
    assert "Zhao Lijian" in dom and "2020-06-17" in dom
    assert "https://www.fmprc.gov.cn/mfa_eng/" in dom
    grey = screenshot(url, tmp_path / "statements.png")
    assert len(grey) == int(HEIGHT * SCALE)
    assert inked_share(grey) > 0.3  # the lower half is rows of text


def test_search_shows_the_matching_rows(server, tmp_path):
    url = f"{server}/archive/statements_view?_search=India"
    dom = chromium(url, "--dump-dom").stdout.decode()
    assert '7 rows where search matches "India"' in dom
    assert dom.count('<tr class="') >= 7 or dom.count("<tr>") >= 7
    assert inked_share(screenshot(url, tmp_path / "search.png")) > 0.3


def test_an_error_page_would_fail_the_screenshot_check(server, tmp_path):
    grey = screenshot(f"{server}/archive/no_such_table", tmp_path / "error.png")
    assert inked_share(grey) < 0.05


def test_every_canned_query_renders(server):
    for path in (
        "speaker_statements?speaker=Zhao+Lijian",
        "first_said?phrase=Hong+Kong",
        "daily_counts",
        "outlet_questions?outlet=PTI",
        "changed_or_removed",
        "search_everything?q=India",
        "statements_per_month?speaker=&q=India",
    ):
        dom = chromium(f"{server}/archive/{path}", "--dump-dom").stdout.decode()
        assert "<title>Error" not in dom and "rows-and-columns" in dom, path


@pytest.mark.skipif(not os.environ.get("ARCHIVE_SCREENSHOTS"), reason="set ARCHIVE_SCREENSHOTS=DIR")
def test_save_screenshots_for_review(server):
    """Save the screenshots a reviewer looks at: ``ARCHIVE_SCREENSHOTS=DIR pytest -k review``."""
    folder = Path(os.environ["ARCHIVE_SCREENSHOTS"])
    folder.mkdir(parents=True, exist_ok=True)
    for name, path in (
        ("statements", "/archive/statements_view"),
        ("search", "/archive/statements_view?_search=India"),
        ("chart", "/archive/statements_per_month?speaker=&q=India&_hide_sql=1"),
    ):
        chromium(f"{server}{path}", f"--screenshot={folder / name}.png")
