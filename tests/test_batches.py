"""The crawl's archive connection: batched commits, shared by the spiders of one process."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MFA_PAGES, mfa_record

from mfa_scraper.batches import BatchedArchive
from mfa_scraper.mirror import serve

ROOT = Path(__file__).parent.parent
MIRROR = Path(__file__).parent / "pages" / "mirror" / "www.fmprc.gov.cn"
SECTION = "/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"


def stored(path: Path) -> int:
    """Documents another connection sees: only what was committed."""
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT count(*) FROM documents").fetchone()[0]


def test_commits_after_the_configured_number_of_items(tmp_path):
    path = str(tmp_path / "a.db")
    records = [mfa_record(name, url) for name, url in MFA_PAGES[:3]]
    batch = BatchedArchive.acquire(path, commit_items=2)
    try:
        for record in records:
            batch.write().upsert_document(record)
            batch.written()
        assert stored(tmp_path / "a.db") == 2  # the third waits for its batch
    finally:
        batch.release()
    assert stored(tmp_path / "a.db") == 3


def test_spiders_of_one_process_share_the_connection_and_its_batch(tmp_path):
    path = str(tmp_path / "a.db")
    first = BatchedArchive.acquire(path, commit_items=100)
    second = BatchedArchive.acquire(str(tmp_path / "." / "a.db"), commit_items=100)
    assert first is second  # one file, however its path is spelled
    name, url = MFA_PAGES[0]
    first.write().upsert_document(mfa_record(name, url))
    second.write().record_failure("https://example.org/x", source="mfa", reason="timeout")
    first.release()  # one spider done: the batch so far is committed, the connection stays
    assert stored(tmp_path / "a.db") == 1
    assert BatchedArchive.acquire(path) is second
    second.release()
    second.release()
    assert BatchedArchive.acquire(path) is not first
    BatchedArchive.acquire(path).release()


def test_a_failed_item_leaves_the_rest_of_its_batch(tmp_path):
    path = str(tmp_path / "a.db")
    batch = BatchedArchive.acquire(path, commit_items=100)
    try:
        name, url = MFA_PAGES[0]
        batch.write().upsert_document(mfa_record(name, url))
        name, url = MFA_PAGES[1]
        broken = mfa_record(name, url)
        broken["statements"][3] = {"kind": "remark"}  # no text: fails after the document row
        with pytest.raises(KeyError):
            batch.write().upsert_document(broken)
        name, url = MFA_PAGES[2]
        batch.write().upsert_document(mfa_record(name, url))
    finally:
        batch.release()
    with sqlite3.connect(path) as conn:
        urls = {row[0] for row in conn.execute("SELECT url FROM documents")}
        assert urls == {MFA_PAGES[0][1], MFA_PAGES[2][1]}
        assert conn.execute("SELECT count(*) FROM document_versions").fetchone()[0] == 2
        conn.execute(
            "INSERT INTO statements_fts (statements_fts, rank) VALUES ('integrity-check', 1)"
        )


def test_a_slow_crawl_commits_every_few_seconds_not_only_at_the_end(tmp_path):
    """Readers see documents while a crawl runs: the batch timer commits, not just the count."""
    server, stop = serve(MIRROR, latency=0.1)
    mirror = f"http://127.0.0.1:{server.server_address[1]}"
    db = tmp_path / "archive.db"
    command = [
        sys.executable, "-m", "scrapy", "crawl", "mfa",
        "-a", f"base_url={mirror}", "-a", f"start_urls={mirror}{SECTION}default_10.shtml",
        "-s", "ARCHIVE_COMMIT_ITEMS=100000", "-s", "ARCHIVE_COMMIT_SECONDS=0.5",
        "-s", "CONCURRENT_REQUESTS=1", "-s", f"ARCHIVE_DB={db}",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    seen: list[int] = []
    try:
        while process.poll() is None:
            if db.exists():
                with contextlib.suppress(sqlite3.OperationalError):  # schema being created
                    seen.append(stored(db))
            time.sleep(0.2)
    finally:
        process.wait(300)
        stop()
    assert process.returncode == 0
    assert stored(db) == 100
    during = [n for n in seen if 0 < n < 100]
    assert len(set(during)) >= 3, f"documents appeared only in {sorted(set(seen))}"


def test_two_spiders_in_one_process_write_one_archive(tmp_path):
    """As `archive crawl --all` runs them: one connection, no wait on each other's batch."""
    server, stop = serve(MIRROR)
    mirror = f"http://127.0.0.1:{server.server_address[1]}"
    db = tmp_path / "archive.db"
    script = f"""
import os
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

os.environ["SCRAPY_SETTINGS_MODULE"] = "mfa_scraper.settings"
settings = get_project_settings()
settings.set("ARCHIVE_DB", {str(db)!r})
settings.set("ARCHIVE_COMMIT_SECONDS", 0.2)
settings.set("LOG_LEVEL", "INFO")
process = CrawlerProcess(settings)
for page in ("default_10.shtml", "default_11.shtml"):
    process.crawl("mfa", base_url={mirror!r}, start_urls={mirror + SECTION!r} + page)
process.start()
"""
    try:
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    finally:
        stop()
    assert result.returncode == 0, result.stderr[-3000:]
    assert "locked" not in result.stderr and "Traceback" not in result.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*), count(DISTINCT url) FROM documents").fetchone() == (
            100,
            100,
        )
        conn.execute(
            "INSERT INTO statements_fts (statements_fts, rank) VALUES ('integrity-check', 1)"
        )
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
