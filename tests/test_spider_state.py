"""``scrapy crawl state`` against real state.gov pages served on loopback, through the real CLI.

tests/pages/mirror/www.state.gov holds the real press-releases RSS feed of
2022-08-03, a real press statement page and listing page, and one constructed
REST API answer (see the README there). A test server refuses the statement page
with 403 to user agents that do not look like a browser, as state.gov does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest

from archive.store import open_readonly
from mfa_scraper.mirror import MirrorHandler
from mfa_scraper.spiders.state import API_TYPES

ROOT = Path(__file__).parent.parent
MIRROR = Path(__file__).parent / "pages" / "mirror" / "www.state.gov"
FEED = "/rss-feed/press-releases/feed/"
STATEMENT = (
    "/designation-of-irgc-commander-shahvarpour-for-gross-human-rights-violations-during-protests/"
)


class PickyHandler(MirrorHandler):
    """The mirror, refusing HTML pages (not feeds or the REST API) to non-browser agents."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        agent = self.headers.get("User-Agent", "")
        if self.path.startswith(STATEMENT) and "Mozilla" not in agent:
            self.send_error(403, "Forbidden")
            return
        super().do_GET()


@pytest.fixture
def mirror():
    handler = partial(PickyHandler, directory=str(MIRROR), overrides={})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def crawl(db: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "state", *args, "-s", "LOG_LEVEL=INFO"],
        cwd=ROOT,
        env={**os.environ, "ARCHIVE_DB": str(db)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def search(db: Path, *args: str) -> list[dict]:
    result = subprocess.run(
        [sys.executable, "-m", "archive", "search", *args, "--format", "json", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_feed_items_are_archived_with_speakers_and_turns(mirror, tmp_path):
    db = tmp_path / "archive.db"
    log = crawl(db, "-a", f"base_url={mirror}").stderr
    con = open_readonly(db)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 10
    source = con.execute("SELECT * FROM sources WHERE name = 'state'").fetchone()
    assert source is not None
    assert "ministry" in tuple(source) and "https://www.state.gov" in tuple(source)
    # the two feeds absent from the mirror are a logged 404, not a failure
    assert "department-press-briefings" in log

    # dc:creator "Antony J. Blinken, Secretary of State" is the speaker of a statement
    hits = search(db, '"showcase its democracy"', "--source", "state")
    # (the people registry files him under his canonical name; the byline's spelling is an alias)
    assert [(h["speaker"], h["kind"]) for h in hits] == [("Antony Blinken", "remark")]
    assert hits[0]["url"] == "https://www.state.gov/kenyan-general-elections/"
    assert hits[0]["date"] == "2022-08-03"

    # the press availability is split into turns: the Secretary, Ned Price, questions
    answers = search(db, "Zaporizhzhia", "--speaker", "Blinken")
    assert any(h["kind"] == "answer" for h in answers)
    price = search(db, '"We’ll take a final question right here"')
    assert price and price[0]["speaker"] == "Ned Price"
    questions = search(db, '"Did you talk to Prime Minister Kishida"')
    assert questions and questions[0]["kind"] == "question"
    assert questions[0]["speaker"] in (None, "")

    # a re-crawl changes nothing
    crawl(db, "-a", f"base_url={mirror}")
    assert open_readonly(db).execute("SELECT count(*) FROM documents").fetchone()[0] == 10


def test_page_with_browser_agent(mirror, tmp_path):
    db = tmp_path / "archive.db"
    crawl(db, "-a", f"base_url={mirror}", "-a", f"start_urls={mirror}{STATEMENT}")
    hits = search(db, "Shahvarpour", "--speaker", "Morgan Ortagus")
    assert hits and hits[0]["kind"] == "remark"
    assert hits[0]["url"] == "https://www.state.gov" + STATEMENT
    assert hits[0]["date"] == "2020-01-18"


def test_refused_page_is_logged_and_read_from_the_rest_api(mirror, tmp_path):
    db = tmp_path / "archive.db"
    log = crawl(
        db,
        "-a",
        f"base_url={mirror}",
        "-a",
        f"start_urls={mirror}{STATEMENT}",
        "-s",
        "USER_AGENT=curl/8.5.0",
    ).stderr
    assert "state.gov refused" in log and "HTTP 403" in log and "'curl/8.5.0'" in log
    assert "-s USER_AGENT=" in log
    assert "'state/refused': 1" in log
    hits = search(db, "Shahvarpour", "--speaker", "Morgan Ortagus")
    assert hits and hits[0]["url"] == "https://www.state.gov" + STATEMENT


class RefusingHandler(MirrorHandler):
    """The mirror, refusing every page but the listing and the REST API (403)."""

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        if not self.path.startswith(("/press-releases/", "/wp-json/", "/robots.txt")):
            self.send_error(403, "Forbidden")
            return
        super().do_GET()


def test_refused_page_missing_from_the_rest_api_is_a_failed_fetch(tmp_path):
    """A listed document refuses the crawler (403) and the REST API it falls back on answers
    404: the document is lost, so it is a failed fetch under its own URL (retried by the next
    crawl), not just a line in the log."""
    db = tmp_path / "archive.db"
    gone = tmp_path / "gone"  # (missing: the mirror answers 404)
    handler = partial(
        RefusingHandler,
        directory=str(MIRROR),
        overrides={f"/wp-json/wp/v2/{kind}": gone for kind in API_TYPES},
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        log = crawl(
            db, "-a", f"base_url={url}", "-a", f"start_urls={url}/press-releases/",
            "-a", "since=2020-07-03",
        ).stderr  # fmt: skip
    finally:
        server.shutdown()
        server.server_close()
    assert "state.gov refused" in log and "trying the WordPress REST API" in log
    assert "'archive/fetch_failures'" in log
    failed = {
        url: (reason, status)
        for url, reason, status in open_readonly(db).execute(
            "SELECT url, reason, status FROM fetch_failures"
        )
    }
    assert failed["https://www.state.gov/venezuelas-national-day/"] == (
        "HTTP 403, and the REST API answered HTTP 404",
        403,
    ), (failed, log[-3000:])


def test_listing_page_is_followed(mirror, tmp_path):
    db = tmp_path / "archive.db"
    log = crawl(
        db,
        "-a",
        f"base_url={mirror}",
        "-a",
        f"start_urls={mirror}/press-releases/",
        "-a",
        "since=2020-07-03",
    ).stderr
    # Its documents are not in the mirror: asked for, answered 404, recorded for a retry.
    assert "/venezuelas-national-day/" in log
    failed = failures(db)
    assert failed["https://www.state.gov/venezuelas-national-day/"] == (404, 1)
    again = crawl(
        db, "-a", f"base_url={mirror}", "-a", f"start_urls={mirror}/press-releases/"
    ).stderr
    assert "/venezuelas-national-day/" in again
    assert failures(db)["https://www.state.gov/venezuelas-national-day/"] == (404, 2)


def failures(db: Path) -> dict[str, tuple[int, int]]:
    con = open_readonly(db)
    rows = con.execute("SELECT url, status, attempts FROM fetch_failures").fetchall()
    return {url: (status, attempts) for url, status, attempts in rows}


def test_archived_pages_are_rechecked_with_conditional_requests(mirror, tmp_path):
    db = tmp_path / "archive.db"
    crawl(db, "-a", f"base_url={mirror}", "-a", f"start_urls={mirror}{STATEMENT}")
    log = crawl(
        db,
        "-a",
        f"base_url={mirror}",
        "-a",
        f"start_urls={mirror}{FEED}",
        "-s",
        "ARCHIVE_RECHECK=all",
    ).stderr
    assert "'downloader/response_status_count/304': 1" in log
    con = open_readonly(db)
    versions = con.execute(
        "SELECT count(*) FROM document_versions v JOIN documents d ON d.id = v.document_id "
        "WHERE d.url = ?",
        ["https://www.state.gov" + STATEMENT],
    ).fetchone()[0]
    assert versions == 1


def test_2026_feed_one_spokesman_two_ministers(tmp_path):
    """The feed of 21 September 2026: readouts and a statement of one spokesman under one
    speaker, a signing ceremony under both ministers, stage directions and header lines out."""
    site = tmp_path / "www.state.gov"
    feed = site / "rss-feed" / "press-releases" / "feed" / "index.html"
    feed.parent.mkdir(parents=True)
    feed.write_bytes(
        (ROOT / "tests/pages/state_gov/rss_press-releases_feed_2026-09-21.xml").read_bytes()
    )
    handler = partial(MirrorHandler, directory=str(site), overrides={})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    db = tmp_path / "archive.db"
    try:
        crawl(db, "-a", f"base_url={base}", "-a", f"start_urls={base}{FEED}")
    finally:
        server.shutdown()
        server.server_close()
    con = open_readonly(db)
    speakers = con.execute(
        "SELECT s.name, s.kind, count(*) FROM statements t JOIN speakers s ON s.id = t.speaker_id "
        "WHERE t.kind != 'quote' GROUP BY s.id ORDER BY s.name"
    ).fetchall()
    assert [tuple(row) for row in speakers] == [
        ("Antonio Tajani", "person", 2),
        ("Marco Rubio", "person", 1),
        ("Tommy Pigott", "person", 4),
    ]
    texts = [row[0] for row in con.execute("SELECT text FROM documents")]
    assert len(texts) == 5
    for text in texts:
        assert "&quot;" not in text and "Office of the Spokesman" not in text
        assert "Lotte New York Palace" not in text  # the venue line above the transcript
    turns = [row[0] for row in con.execute("SELECT text FROM statements WHERE kind = 'remark'")]
    assert not any("Memorandum is signed" in t for t in turns)


@pytest.mark.parametrize("header", [b"abc", b"", b"-3", b"1e9"])
def test_a_rest_api_page_count_that_is_no_number_ends_the_paging(header):
    """A proxy or a broken plugin may send anything as X-WP-TotalPages: the page is read, and
    paging stops there instead of raising."""
    from scrapy.http import TextResponse
    from scrapy.utils.test import get_crawler

    from mfa_scraper.spiders.state import StateSpider

    body = MIRROR.parent / "natethayer.wordpress.com" / "wp-json" / "wp" / "v2" / "posts"
    crawler = get_crawler(StateSpider)
    spider = StateSpider.from_crawler(crawler)
    url = "https://www.state.gov/wp-json/wp/v2/posts?per_page=100&page=1"
    response = TextResponse(
        url, body=body.read_bytes(), headers={"X-WP-TotalPages": header}, encoding="utf-8"
    )
    out = list(spider.parse_api(response, post_type="posts", page=1))
    assert out and not any(getattr(o, "url", "").endswith("page=2") for o in out)
