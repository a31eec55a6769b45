"""``scrapy crawl diplomat`` on real thediplomat.com pages served on loopback.

tests/pages/mirror/thediplomat.com holds a real article, the real June 2019
month listing and a constructed feed (see the README there).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from archive.store import open_readonly
from mfa_scraper.mirror import serve
from mfa_scraper.spiders.diplomat import month_listings

ROOT = Path(__file__).parent.parent
MIRROR = Path(__file__).parent / "pages" / "mirror" / "thediplomat.com"
ARTICLE = "/2019/06/north-korea-the-missing-link-in-northeast-asias-air-pollution-fight/"


@pytest.fixture
def mirror():
    server, stop = serve(MIRROR)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    stop()


def crawl(db: Path, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "diplomat", *args, "-s", "LOG_LEVEL=INFO"],
        cwd=ROOT,
        env={**os.environ, "ARCHIVE_DB": str(db)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def stat(log: str, name: str) -> int:
    """A counter of the stats Scrapy logs when the crawl closes (0 when absent)."""
    found = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(found.group(1)) if found else 0


def test_feed_article_is_archived_with_author_not_speaker(mirror, tmp_path):
    db = tmp_path / "archive.db"
    crawl(db, "-a", f"base_url={mirror}")
    con = open_readonly(db)
    rows = con.execute("SELECT url, source, date, author, kind, text FROM documents").fetchall()
    assert len(rows) == 1
    url, source, day, author, kind, text = rows[0]
    assert (url, source, day, author, kind) == (
        "https://thediplomat.com" + ARTICLE,
        "diplomat",
        "2019-06-11",
        "Jihyun Cha and Taeheon Lee",
        "article",
    )
    assert text.startswith("South Korea and China have made progress")  # the standfirst
    for junk in ("googletag", "Advertisement", "Enjoying this article", "subscribe"):
        assert junk not in text
    speakers = [
        r[0]
        for r in con.execute(
            "SELECT s.name FROM statements JOIN speakers s ON s.id = statements.speaker_id"
        )
    ]
    assert "Jihyun Cha and Taeheon Lee" not in speakers
    source_row = con.execute("SELECT kind, base_url FROM sources WHERE name='diplomat'").fetchone()
    assert tuple(source_row) == ("news", "https://thediplomat.com")


def test_month_listing_is_followed(mirror, tmp_path):
    db = tmp_path / "archive.db"
    log = crawl(db, "-a", f"base_url={mirror}", "-a", f"start_urls={mirror}/2019/06/")
    assert "/2019/06/page/2/" in log  # the "Older" page
    # The listing's other articles are not in the mirror: asked for, answered 404, and
    # recorded under their real URLs so that the next crawl asks again.
    con = open_readonly(db)
    failed = {
        url
        for (url,) in con.execute("SELECT url FROM fetch_failures WHERE status = 404").fetchall()
    }
    assert "https://thediplomat.com/2019/06/page/2/" in failed
    articles = [url for url in failed if "/page/" not in url]
    assert len(articles) >= 17


def test_a_second_crawl_fetches_the_feed_and_nothing_archived(mirror, tmp_path):
    db = tmp_path / "archive.db"
    crawl(db, "-a", f"base_url={mirror}")
    again = crawl(db, "-a", f"base_url={mirror}")
    assert stat(again, "downloader/request_count") == 2  # robots.txt and the feed
    # A re-check asks conditionally; the unchanged page answers 304 and stays one version.
    rechecked = crawl(db, "-a", f"base_url={mirror}", "-s", "ARCHIVE_RECHECK=all")
    assert stat(rechecked, "downloader/response_status_count/304") == 1
    con = open_readonly(db)
    assert con.execute("SELECT count(*) FROM document_versions").fetchone()[0] == 1


def test_month_listings_back_to_since():
    assert month_listings("https://thediplomat.com", date(2019, 11, 5), date(2020, 1, 2)) == [
        "https://thediplomat.com/2020/01/",
        "https://thediplomat.com/2019/12/",
        "https://thediplomat.com/2019/11/",
    ]
