"""``scrapy crawl mid`` stops with a clear message on a JavaScript challenge.

No real mid.ru page was available: the challenge pages in
tests/pages/mirror/mid.ru and tests/pages/challenge are constructed from the
known shape of such challenges (labelled in each file). The detector is also run
over every real page the project stores, where it must never fire.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from archive.store.writer import open_readonly
from mfa_scraper.mirror import serve
from mfa_scraper.page.challenge import detect_challenge

ROOT = Path(__file__).parent.parent
PAGES = Path(__file__).parent / "pages"
MIRROR = PAGES / "mirror" / "mid.ru"
SITE = PAGES / "mid.ru"


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


def test_crawl_stops_on_the_challenge_with_a_clear_message(tmp_path):
    server, stop = serve(MIRROR)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "crawl", "mid", "-a",
             f"base_url=http://127.0.0.1:{server.server_address[1]}"],
            cwd=ROOT,
            env={**os.environ, "ARCHIVE_DB": str(tmp_path / "archive.db")},
            capture_output=True,
            text=True,
            timeout=120,
        )  # fmt: skip
    finally:
        stop()
    assert result.returncode == 0, result.stderr[-3000:]
    assert "mid.ru answered" in result.stderr and "with a JavaScript challenge" in result.stderr
    assert "'finish_reason': 'js_challenge'" in result.stderr
    con = open_readonly(tmp_path / "archive.db")
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
