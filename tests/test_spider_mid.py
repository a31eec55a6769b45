"""``scrapy crawl mid`` stops with a clear message on a JavaScript challenge, and finds past
robots.txt what the listings' forbidden paging would have shown.

No real mid.ru page was available: the challenge pages in
tests/pages/mirror/mid.ru and tests/pages/challenge are constructed from the
known shape of such challenges and from other scrapers' reports (labelled in each
file). The detector is also run over every real page the project stores, where it
must never fire. tests/pages/browser/mid.ru is a constructed site (robots.txt, sitemaps,
listings, a briefing with a table of contents) built from those reports, served here
without its challenge.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive.store import open_readonly
from mfa_scraper.mirror import serve
from mfa_scraper.page.challenge import detect_challenge

ROOT = Path(__file__).parent.parent
PAGES = Path(__file__).parent / "pages"
MIRROR = PAGES / "mirror" / "mid.ru"
SITE = PAGES / "browser" / "mid.ru"


@pytest.mark.parametrize(
    "name, vendor",
    [("cloudflare.html", "Cloudflare"), ("ddos-guard.html", "DDoS-Guard"),
     ("servicepipe.html", "ServicePipe"), ("mid_ru_data_processing.html", "unknown")],
)  # fmt: skip
def test_vendor_challenges_are_recognised(name, vendor):
    challenge = detect_challenge((PAGES / "challenge" / name).read_bytes(), 403)
    assert challenge is not None and challenge.vendor == vendor


def test_generic_cookie_and_reload_stub_is_recognised():
    body = (MIRROR / "en" / "foreign_policy" / "news" / "index.html").read_bytes()
    challenge = detect_challenge(body, 200)
    assert challenge is not None and "cookie" in challenge.evidence


def test_data_processing_page_is_recognised_by_its_words():
    """mid.ru's page as reported: "Data processing... Please, wait.", and no cookie script."""
    body = (PAGES / "challenge" / "mid_ru_data_processing.html").read_bytes()
    assert b"document.cookie" not in body
    assert "Data processing" in detect_challenge(body, 200).evidence


def test_cloudflare_header_alone_is_enough():
    assert detect_challenge(b"", 403, {"cf-mitigated": "challenge"}).vendor == "Cloudflare"


def test_no_real_page_is_taken_for_a_challenge():
    real = [
        p
        for p in PAGES.rglob("*")
        if p.is_file()
        and p.suffix not in (".md", ".json")
        and "challenge" not in p.parts
        and "mid.ru" not in p.parts
    ]
    assert len(real) > 100
    assert [p for p in real if detect_challenge(p.read_bytes())] == []


def crawl_site(site: Path, db: Path, *args: str) -> subprocess.CompletedProcess:
    """``scrapy crawl mid`` of ``site`` served on loopback, into ``db``, as a user runs it."""
    server, stop = serve(site)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "mid", "-a",
             f"base_url=http://127.0.0.1:{server.server_address[1]}", *args],
            cwd=ROOT,
            env={**os.environ, "ARCHIVE_DB": str(db)},
            capture_output=True,
            text=True,
            timeout=120,
        )  # fmt: skip
    finally:
        stop()
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_crawl_stops_on_the_challenge_with_a_clear_message(tmp_path):
    result = crawl_site(MIRROR, tmp_path / "archive.db")
    assert "mid.ru answered" in result.stderr and "with a JavaScript challenge" in result.stderr
    assert "'finish_reason': 'js_challenge'" in result.stderr
    con = open_readonly(tmp_path / "archive.db")
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_sitemaps_find_what_robots_txt_forbids_paging_to(tmp_path):
    db = tmp_path / "archive.db"
    log = crawl_site(SITE, db, "-a", "since=2024-01-01").stderr
    assert "'finish_reason': 'finished'" in log
    # robots.txt (Disallow: /*PAGEN_) forbids each section's page 2: obeyed, and said
    for section in ("foreign_policy/news", "press_service/spokesman/briefings",
                    "press_service/minister_speeches"):  # fmt: skip
        assert f"robots.txt of mid.ru forbids https://mid.ru/en/{section}/?PAGEN_1=2" in log
    assert "'robotstxt/forbidden': 3" in log and "'mid/robots_forbidden': 3" in log
    assert "named in robots.txt" in log
    urls = {row[0] for row in open_readonly(db).execute("SELECT url FROM documents")}
    assert urls == {
        "https://mid.ru/en/foreign_policy/news/1938001/",
        "https://mid.ru/en/foreign_policy/news/1937950/",  # in the sitemap only
        "https://mid.ru/en/press_service/spokesman/briefings/1937900/",
        "https://mid.ru/en/press_service/spokesman/briefings/1937500/",
        "https://mid.ru/en/press_service/minister_speeches/1937800/",
        "https://mid.ru/en/press_service/minister_speeches/1937600/",
    }
    assert "sitemap_en_2019" not in log and "/ru/" not in log  # before since; Russian site


def test_briefing_is_archived_as_turns(tmp_path):
    db = tmp_path / "archive.db"
    crawl_site(SITE, db, "-a", "since=2024-01-01")
    con = open_readonly(db)
    rows = con.execute(
        "SELECT s.name, t.kind FROM statements t JOIN speakers s ON s.id = t.speaker_id "
        "JOIN documents d ON d.id = t.document_id WHERE d.url LIKE '%/briefings/1937500/' "
        "AND t.kind != 'quote' ORDER BY t.id"
    ).fetchall()
    assert [tuple(r) for r in rows] == [
        ("Maria Zakharova", "remark"),
        ("Examplia Today", "question"),
        ("Maria Zakharova", "answer"),
        ("Maria Zakharova", "answer"),
    ]  # (the unnamed question has no speaker row)
    text = con.execute(
        "SELECT text FROM documents WHERE url LIKE '%/briefings/1937500/'"
    ).fetchone()[0]
    assert "Back to contents" not in text and "Table of contents" not in text
    news = con.execute(
        "SELECT t.kind FROM statements t JOIN documents d ON d.id = t.document_id "
        "WHERE d.url LIKE '%/news/1937950/'"
    ).fetchall()
    assert [r[0] for r in news] == ["report"]
