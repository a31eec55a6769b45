"""``scrapy crawl mfa`` against real MFA pages served on loopback, through the real CLI.

tests/pages/mirror holds four real listing pages of the 2015–2021 layout
(default.shtml, the newest, and default_10.shtml to default_12.shtml, the last
three, whose titles lack the year) and the 140 transcripts they link to; pages
not copied (default_1.shtml to default_9.shtml, the sections of the current
layout) answer 404.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, scrapy_crawl

from archive.store import open_readonly
from mfa_scraper.mirror import serve

MIRROR = Path(__file__).parent / "pages" / "mirror" / "www.fmprc.gov.cn"
SECTION = "/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"


def crawl(db: Path, *args: str, level: str = "INFO") -> subprocess.CompletedProcess:
    """``scrapy crawl mfa`` into ``db``."""
    return scrapy_crawl("mfa", db, *args, level=level)


@pytest.fixture
def mirror():
    """The MFA mirror on a free loopback port; t1789220 is replaced by the site's removed page."""
    server, stop = serve(MIRROR, overrides={SECTION + "t1789220.shtml": MIRROR / "error.htm"})
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


def test_crawl_archives_transcripts_and_recrawl_changes_nothing(mirror, tmp_path):
    db = tmp_path / "archive.db"
    log = crawl(db, "-a", f"base_url={mirror}").stderr
    stats = json.loads(archive_cli(db, "stats", "--format", "json"))
    # 40 transcripts listed on page 1, minus the one the site has "removed".
    assert stats["documents"] == 39
    assert stats["by_source"]["mfa"]["documents"] == 39
    assert "'mfa/removed_pages': 1" in log
    assert stats["speakers"] > 10 and stats["statements"] > 39 * 10

    hits = json.loads(
        archive_cli(
            db,
            "search",
            "LAC",
            "--speaker",
            "Zhao Lijian",
            "--format",
            "json",
            "--since",
            "2020-06-17",
            "--until",
            "2020-06-17",
        )
    )
    assert any(
        "It happened on the Chinese side of the LAC" in h["text"]
        and h["url"].endswith(SECTION + "t1789509.shtml")
        and h["url"].startswith("https://www.fmprc.gov.cn/")  # the real URL, not the mirror's
        and h["kind"] == "answer"
        for h in hits
    )
    # Marise Payne's words are never Zhao Lijian's.
    payne = json.loads(
        archive_cli(db, "search", '"undermine liberal democracy"', "--format", "json")
    )
    assert payne and all(h["speaker"] != "Zhao Lijian" for h in payne)

    crawl(db, "-a", f"base_url={mirror}")
    assert json.loads(archive_cli(db, "stats", "--format", "json")) == stats


def test_backfill_from_an_old_listing_page_completes_years(mirror, tmp_path):
    db = tmp_path / "archive.db"
    crawl(db, "-a", f"base_url={mirror}", "-a", f"start_urls={mirror}{SECTION}default_10.shtml")
    hits = json.loads(
        archive_cli(
            db,
            "search",
            "Pakistan",
            "--speaker",
            "Geng Shuang",
            "--format",
            "json",
            "--since",
            "2018-09-10",
            "--until",
            "2018-09-10",
        )
    )
    assert hits, "Geng Shuang's statements of 10 September 2018 are archived under that date"
    assert all(h["url"].endswith("t1593756.shtml") for h in hits)
    # His opening announcement (before any label) is his, under that date.
    opening = json.loads(
        archive_cli(
            db,
            "search",
            "Chile",
            "--speaker",
            "Geng Shuang",
            "--since",
            "2018-09-10",
            "--until",
            "2018-09-10",
            "--format",
            "json",
        )
    )
    assert [h["kind"] for h in opening] == ["remark"]
    assert opening[0]["text"].startswith("At the invitation of State Councilor")
    db_ = open_readonly(db)
    undated = db_.execute("SELECT count(*) FROM documents WHERE date IS NULL").fetchone()[0]
    assert undated == 0


def test_since_stops_paging(mirror, tmp_path):
    db = tmp_path / "archive.db"
    crawl(db, "-a", f"base_url={mirror}", "-a", "since=2020-06-29")
    dates = [row[0] for row in open_readonly(db).execute("SELECT date FROM documents")]
    assert sorted(dates) == ["2020-06-29", "2020-06-30", "2020-07-01", "2020-07-02", "2020-07-03"]


def test_bad_spider_argument_is_one_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "mfa", "-a", "since=last week"],
        cwd=ROOT,
        env={**os.environ, "ARCHIVE_DB": str(tmp_path / "a.db")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "since='last week' is not a date; use since=YYYY-MM-DD" in result.stderr


def test_the_offline_trial_of_the_readme_archives_the_140_transcripts(tmp_path):
    """The README's "Try it without network": both runs of listing pages in the copy."""
    server, stop = serve(MIRROR)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        starts = f"{base}{SECTION}default.shtml,{base}{SECTION}default_10.shtml"
        db = tmp_path / "archive.db"
        log = crawl(db, "-a", f"base_url={base}", "-a", f"start_urls={starts}").stderr
    finally:
        stop()
    stats = json.loads(archive_cli(db, "stats", "--format", "json"))
    assert stats["documents"] == 140
    # default_1.shtml … default_9.shtml are not in the copy: the one asked for is a failure.
    assert stats["by_source"]["mfa"]["failures"] == 1
    assert "listing page https://www.fmprc.gov.cn" + SECTION + "default_12.shtml gave 20" in log
