"""``scrapy crawl kremlin`` against real en.kremlin.ru pages served on loopback, through the CLI.

tests/pages/mirror/en.kremlin.ru holds two real listing pages (news/page/29
and page/30, January–February 2020) and the 40 news pages they link to, plus
the by-date listing of 4 July 2017 and the Russia–China press statements
(54979) it links to; pages not copied answer 404.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import ROOT, scrapy_crawl

from archive.store import open_readonly
from mfa_scraper.mirror import serve

MIRROR = Path(__file__).parent / "pages" / "mirror" / "en.kremlin.ru"
NEWS = "/events/president/news/"


def crawl(db: Path, *args: str, level: str = "INFO") -> subprocess.CompletedProcess:
    """``scrapy crawl kremlin`` into ``db``."""
    return scrapy_crawl("kremlin", db, *args, level=level)


@pytest.fixture
def mirror():
    server, stop = serve(MIRROR)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    stop()


def archive_cli(db: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "archive", *args, "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_crawl_archives_news_with_dates_and_speakers(mirror, tmp_path):
    db = tmp_path / "archive.db"
    starts = f"start_urls={mirror}{NEWS}page/29,{mirror}{NEWS}by-date/04.07.2017"
    args = ("-a", f"base_url={mirror}", "-a", starts, "-s", "DOWNLOAD_DELAY=0")
    crawl(db, *args)
    stats = json.loads(archive_cli(db, "stats", "--format", "json"))
    # 20 news on each of page/29 and page/30, and the press statements of 4 July 2017.
    assert stats["by_source"]["kremlin"]["documents"] == stats["documents"] == 41

    db_ = open_readonly(db)
    undated = db_.execute("SELECT count(*) FROM documents WHERE date IS NULL").fetchone()[0]
    assert undated == 0
    urls = {row[0] for row in db_.execute("SELECT url FROM documents")}
    assert all(u.startswith("http://en.kremlin.ru" + NEWS) for u in urls)  # real URLs
    source = db_.execute("SELECT title, country, kind, base_url FROM sources").fetchall()
    assert [tuple(r) for r in source] == [
        ("President of Russia (Kremlin)", "Russia", "head of state", "http://en.kremlin.ru")
    ]
    no_break = db_.execute("SELECT count(*) FROM documents WHERE text LIKE ?", ["%\xa0%"])
    assert no_break.fetchone()[0] == 0

    hits = json.loads(
        archive_cli(db, "search", '"Xi Jinping"', "--source", "kremlin", "--format", "json")
    )
    statements = [h for h in hits if h["url"] == "http://en.kremlin.ru" + NEWS + "54979"]
    assert statements and all(h["date"] == "2017-07-04" for h in statements)
    assert {h["speaker"] for h in statements} >= {"Vladimir Putin", "Xi Jinping"}

    putin = json.loads(
        archive_cli(
            db, "search", "coronavirus", "--speaker", "Vladimir Putin", "--source", "kremlin",
            "--format", "json",
        )
    )  # fmt: skip
    assert putin and all(h["kind"] in ("remark", "answer") for h in putin)
    assert all("2020-01-27" <= h["date"] <= "2020-02-07" for h in putin)

    crawl(db, *args)
    assert json.loads(archive_cli(db, "stats", "--format", "json")) == stats


def test_since_stops_paging(mirror, tmp_path):
    db = tmp_path / "archive.db"
    crawl(
        db, "-a", f"base_url={mirror}", "-a", f"start_urls={mirror}{NEWS}page/29",
        "-a", "since=2020-02-05",
    )  # fmt: skip
    dates = [row[0] for row in open_readonly(db).execute("SELECT date FROM documents")]
    # page/29 lists February 2–7: 9 items from the 5th on; page/30 is never requested.
    assert len(dates) == 9 and min(dates) == "2020-02-05"


def test_loopback_crawl_needs_no_delay_flag(mirror, tmp_path):
    """The 10 s default delay yields to a loopback base_url, with no -s given."""
    began = time.monotonic()
    crawl(
        tmp_path / "archive.db", "-a", f"base_url={mirror}",
        "-a", f"start_urls={mirror}{NEWS}page/30",
    )  # fmt: skip
    assert time.monotonic() - began < 60  # 21 requests at 10 s would take 200 s


def test_default_delay_is_ten_seconds():
    from mfa_scraper.spiders.kremlin import KremlinSpider

    assert KremlinSpider.custom_settings["DOWNLOAD_DELAY"] >= 10
