"""``scrapy crawl blog`` on a WordPress site served on loopback, then ``archive search``.

tests/pages/mirror/natethayer.wordpress.com holds a real WordPress.com post that
re-quotes China's foreign ministry spokesman, and a constructed feed, sitemap and
REST API answer pointing to it (see the README there).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from conftest import run_module, served

from archive.store import open_readonly
from mfa_scraper.mirror import serve

MIRROR = Path(__file__).parent / "pages" / "mirror" / "natethayer.wordpress.com"
SITE = "https://natethayer.wordpress.com"
POST = (
    "/2013/01/24/has-kim-jong-un-had-plastic-surgery-china-says-no-comment-pyongyang-erupts-"
    "following-reports-circulating-in-chinese-media/"
)


@pytest.fixture
def mirror():
    server, stop = serve(MIRROR)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    stop()


def run(*args: str, db: Path) -> subprocess.CompletedProcess:
    return run_module(*args, db=db, timeout=120)


def crawl(db: Path, *args: str) -> str:
    result = run("scrapy", "crawl", "blog", *args, "-s", "LOG_LEVEL=INFO", db=db)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def search(db: Path, *args: str) -> list[dict]:
    result = run("archive", "search", *args, "--format", "json", "--db", str(db), db=db)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_wordpress_post_is_found_archived_and_its_ministry_quote_searchable(mirror, tmp_path):
    db = tmp_path / "archive.db"
    log = crawl(db, "-a", f"site={SITE}", "-a", f"base_url={mirror}")
    con = open_readonly(db)
    docs = con.execute("SELECT url, source, date, author FROM documents").fetchall()
    # found through the feed, the sitemap and the REST API: archived once, under the real URL;
    # dated the blog's own day (its URL's 2013/01/24), not the UTC one of 04:23Z on the 25th
    assert [tuple(d) for d in docs] == [
        (SITE + POST, "natethayer.wordpress.com", "2013-01-24", "Nate Thayer")
    ]
    for kind in ("rss", "sitemap", "sitemapindex", "json"):
        assert f"'blog/lists_{kind}': 1" in log
    source = con.execute(
        "SELECT kind, base_url FROM sources WHERE name = 'natethayer.wordpress.com'"
    ).fetchone()
    assert tuple(source) == ("blog", SITE)
    # tag pages listed in the sitemap are not posts
    assert "/tag/north-korea/" not in log

    hits = search(db, '"Security Council’s reaction should be prudent"', "--source",
                  "natethayer.wordpress.com")  # fmt: skip
    assert hits, "the ministry's words are searchable"
    assert {(h["speaker"], h["kind"]) for h in hits} == {("Hong Lei", "quote")}
    assert all(h["url"] == SITE + POST for h in hits)
    assert not search(db, "prudent", "--speaker", "Nate Thayer")

    # a re-crawl adds nothing
    crawl(db, "-a", f"site={SITE}", "-a", f"base_url={mirror}")
    assert open_readonly(db).execute("SELECT count(*) FROM documents").fetchone()[0] == 1


def test_sites_file_and_since(mirror, tmp_path):
    db = tmp_path / "archive.db"
    sites = tmp_path / "sites.txt"
    sites.write_text(f"# blogs to follow\n{SITE}\n")
    crawl(db, "-a", f"sites_file={sites}", "-a", f"base_url={mirror}", "-a", "since=2014-01-01")
    assert open_readonly(db).execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_missing_site_is_one_clear_error(tmp_path):
    result = run("scrapy", "crawl", "blog", db=tmp_path / "a.db")
    assert result.returncode == 2
    assert "blog needs a site: -a site=https://example.org or -a sites_file=PATH" in result.stderr


def test_posts_that_cannot_be_fetched_are_recorded_as_failed(tmp_path):
    """Every listed post answers 404 (the real one made missing, and the one the feed lists
    that the mirror never had): each a failed fetch, counted in the crawl's stats and kept in
    fetch_failures under the site's source, so the crawl does not end as if all were fine."""
    db = tmp_path / "archive.db"
    with served(MIRROR, overrides={POST: tmp_path / "gone.html"}) as url:
        log = crawl(db, "-a", f"site={SITE}", "-a", f"base_url={url}")
    con = open_readonly(db)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 0
    failures = sorted(
        tuple(r) for r in con.execute("SELECT url, source, reason, status FROM fetch_failures")
    )
    assert failures == [
        (SITE + "/2013/01/20/not-in-the-mirror/", "natethayer.wordpress.com", "HTTP 404", 404),
        (SITE + POST, "natethayer.wordpress.com", "HTTP 404", 404),
    ], failures
    assert "'archive/fetch_failures': 2" in log
