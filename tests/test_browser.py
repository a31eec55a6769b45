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


def _serve(path: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "archive", "serve", "--port", str(port), "--db", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/-/versions.json", timeout=2):
                return process, base
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.terminate()
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.2)


@pytest.fixture
def server(archive_path) -> Iterator[str]:
    """``archive serve`` on the three real transcripts, as a subprocess; yields its base URL."""
    process, base = _serve(archive_path)
    try:
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
    # Seven rows under the search links and facets: the text starts higher than half-way.
    assert inked_share(screenshot(url, tmp_path / "search.png"), start=0.35) > 0.3


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


# -- what a person checks, page by page, on the archive in three languages ---------------------
#
# Playwright drives Debian's Chromium (the [browser] extra; never `playwright install`): each
# page is loaded as a reader opens it, a screenshot kept (in $ARCHIVE_SCREENSHOTS when set,
# to look at), and checked: answered 200, no error in the console, the match marked and
# visible, links to statements, speakers and documents present.


@pytest.fixture(scope="module")
def desk(desk_archive) -> Iterator[dict]:
    """``archive serve`` on the three-language archive, and a Chromium page driven by Playwright."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="the [browser] extra")
    process, base = _serve(desk_archive)
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
            )
            try:
                yield {"base": base, "browser": browser, "path": desk_archive}
            finally:
                browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)


def _screenshots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("ARCHIVE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def look_at(desk: dict, path: str, shot: Path):
    """Open ``path`` as a reader does; returns the page, after checking the status and that
    the console stayed free of errors."""
    page = desk["browser"].new_page(viewport={"width": WIDTH, "height": 1400})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(desk["base"] + path, wait_until="load")
    assert response is not None and response.status == 200, (path, response and response.status)
    page.screenshot(path=str(shot), full_page=False)
    assert not errors, (path, errors)
    return page


def _one(desk: dict, sql: str) -> int:
    import sqlite3

    with sqlite3.connect(desk["path"]) as conn:
        return conn.execute(sql).fetchone()[0]


@pytest.mark.parametrize(
    ("name", "words"),
    [("english", "India"), ("chinese", "加勒万河谷"), ("russian", "Магнитского")],
)
def test_a_search_in_each_language_shows_the_match(desk, tmp_path, name, words):
    page = look_at(
        desk,
        f"/archive/statements_view?_search={words}",
        _screenshots(tmp_path) / f"search-{name}.png",
    )
    mark = page.locator("td.col-text mark").first
    assert mark.is_visible() and mark.inner_text().lower().startswith(words[:4].lower())
    assert page.locator("a[href*='/archive/statements/']").count() >= 1
    assert page.locator("a[href*='/archive/documents/']").count() >= 1
    assert page.locator("a[href*='/archive/sources/']").count() >= 1
    assert "where search matches" in page.inner_text("h3.table-summary")
    page.close()


def test_chinese_is_drawn_in_a_font_not_as_empty_boxes(desk, tmp_path):
    """Two different Han characters drawn by the page's fonts differ; two .notdef boxes (no
    CJK font: apt-get install fonts-noto-cjk) would not."""
    page = look_at(
        desk, "/archive/statements_view?_search=加勒万河谷", _screenshots(tmp_path) / "chinese.png"
    )
    same = page.evaluate(
        """() => {
            const draw = (ch) => {
                const canvas = document.createElement("canvas");
                canvas.width = 40; canvas.height = 40;
                const ctx = canvas.getContext("2d");
                ctx.font = "32px " + getComputedStyle(document.body).fontFamily;
                ctx.fillText(ch, 2, 32);
                return Array.from(ctx.getImageData(0, 0, 40, 40).data).join(",");
            };
            return draw("加") === draw("中");
        }"""
    )
    assert not same, "Chinese renders as empty boxes: install fonts-noto-cjk"
    page.close()


def test_the_home_and_database_pages_lead_to_search_and_queries(desk, tmp_path):
    folder = _screenshots(tmp_path)
    home = look_at(desk, "/", folder / "home.png")
    assert home.locator("a[href*='statements_view']").count() >= 1
    home.close()
    database = look_at(desk, "/archive", folder / "database.png")
    assert database.locator("form.archive-search input[name=_search]").is_visible()
    assert database.locator("dl.archive-queries a").count() >= 10
    database.close()


def test_a_statement_page_reads_as_a_turn_in_its_context(desk, tmp_path):
    statement = _one(
        desk,
        "SELECT st.id FROM statements st JOIN documents d ON d.id = st.document_id "
        "WHERE d.url LIKE '%t1789509%' AND st.kind = 'answer' AND st.text LIKE '%Galwan%' "
        "ORDER BY st.position LIMIT 1",
    )
    page = look_at(
        desk, f"/archive/statements/{statement}", _screenshots(tmp_path) / "statement.png"
    )
    assert page.locator("h1").inner_text().startswith("Zhao Lijian, Foreign Ministry Spokesperson")
    assert page.locator(".turn-here").first.is_visible()
    assert page.locator(".turn .turn-kind", has_text="question").count() >= 1
    assert page.locator("a[href^='https://www.fmprc.gov.cn/mfa_eng/']").count() >= 1
    assert "加勒万河谷" in page.inner_text("body")  # the Chinese version of the turn
    page.close()


def test_a_speaker_page_shows_their_statements_over_time(desk, tmp_path):
    speaker = _one(desk, "SELECT id FROM speakers WHERE name = 'Vladimir Putin'")
    page = look_at(desk, f"/archive/speakers/{speaker}", _screenshots(tmp_path) / "speaker.png")
    assert page.locator("h1").inner_text() == "Vladimir Putin"
    assert page.locator("table.by-year td", has_text="2012").count() == 1
    assert page.locator(".turn a[href*='/archive/statements/']").count() >= 10
    page.close()


def test_a_document_page_lists_its_turns(desk, tmp_path):
    document = _one(desk, "SELECT id FROM documents WHERE url LIKE '%t1789468%'")
    page = look_at(desk, f"/archive/documents/{document}", _screenshots(tmp_path) / "document.png")
    assert page.locator(".turn").count() >= 20
    assert page.locator("a[href^='https://www.fmprc.gov.cn/web/']").count() >= 1
    page.close()


#: Each canned query with fields that find rows in the three-language archive.
CANNED = {
    "search": "q=加勒万河谷&speaker=&source=&lang=",
    "follow": "q=India&speaker=&source=&lang=",
    "speaker_statements": "speaker=Путин",
    "first_said": "phrase=Hong+Kong",
    "requotes": "statement_id=1",
    "outlet_questions": "outlet=PTI",
    "statements_per_month": "speaker=&q=India",
    "pair_turns": "pair=1",
    "changed_or_removed": "",
    "daily_counts": "",
    "search_everything": "q=India",
}


def test_every_canned_query_is_screenshotted():
    from archive.serve import load_yaml

    assert set(CANNED) == set(load_yaml("datasette.yaml")["databases"]["archive"]["queries"])


@pytest.mark.parametrize("name", sorted(CANNED))
def test_each_canned_query_answers_with_rows_and_links(desk, tmp_path, name):
    page = look_at(desk, f"/archive/{name}?{CANNED[name]}", _screenshots(tmp_path) / f"{name}.png")
    assert page.locator("#sql-query").count() == 0  # no SQL unless asked
    if name in ("changed_or_removed", "requotes"):  # nothing changed; nothing re-quoted
        page.close()
        return
    assert page.locator("table.rows-and-columns tbody tr").count() >= 1, name
    if name not in ("daily_counts", "statements_per_month"):
        assert page.locator("table.rows-and-columns a").count() >= 1, name
    page.close()


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
