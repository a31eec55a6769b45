"""The one-run duplicate filter: duplicates stop within a run; redirect loops are recorded."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from faultserver import FaultServer, fault_body, fault_file, fault_redirect
from scrapy import Request
from scrapy.utils.test import get_crawler

from mfa_scraper.dupefilter import RunDupeFilter

ROOT = Path(__file__).parent.parent
SECTION = "/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"
GOOD = (
    Path(__file__).parent
    / "pages"
    / "mfa"
    / "www.fmprc.gov.cn.en_t1789509_press_conference_2020-06-17_zhao_lijian.html"
)


def test_duplicates_within_a_run_are_filtered_and_nothing_is_kept_on_disk(tmp_path):
    crawler = get_crawler(settings_dict={"JOBDIR": str(tmp_path)})
    dupes = RunDupeFilter.from_crawler(crawler)
    page = Request("http://example.org/t1.shtml")
    assert dupes.request_seen(page) is False
    assert dupes.request_seen(page.replace()) is True
    looped = page.replace(meta={"redirect_urls": ["http://example.org/t2.shtml"]})
    assert dupes.request_seen(looped) is False  # a redirect is never filtered
    assert not (tmp_path / "requests.seen").exists()


def test_a_redirect_loop_back_to_a_seen_url_is_recorded(tmp_path):
    listing = (
        b'<html><body><ul><li><a href="./t1000001.shtml">Regular Press Conference on June 1, '
        b'2020</a></li><li><a href="./t1789509.shtml">Regular Press Conference on June 17, '
        b"2020</a></li></ul></body></html>"
    )
    routes = {
        SECTION + "default.shtml": fault_body(listing),
        SECTION + "t1000001.shtml": fault_redirect(SECTION + "elsewhere.shtml"),
        SECTION + "elsewhere.shtml": fault_redirect(SECTION + "t1000001.shtml"),
        SECTION + "t1789509.shtml": fault_file(GOOD),
    }
    db = tmp_path / "archive.db"
    with FaultServer(routes) as server:
        result = subprocess.run(
            [sys.executable, "-m", "archive", "crawl", "mfa", "-a", f"base_url={server.url}",
             "-a", f"start_urls={server.url}{SECTION}default.shtml", "-f", "json",
             "--db", str(db)],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    summary = json.loads(result.stdout)
    assert summary["new"] == 1
    with sqlite3.connect(db) as conn:
        failed = conn.execute("SELECT url, reason FROM fetch_failures").fetchall()
    assert [url for url, _ in failed] == ["https://www.fmprc.gov.cn" + SECTION + "t1000001.shtml"]
    assert "redirect" in failed[0][1].lower()
