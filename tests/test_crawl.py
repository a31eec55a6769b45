"""Scheduled crawling: incremental re-crawls, re-checks, removals, the lock, kill -9 and resume.

Real MFA pages are served on loopback (tests/pages/mirror); the backfill
section default_10 → default_12 is complete (100 transcripts), so an
incremental crawl may stop paging once it sees only archived documents.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability import trial

from archive.lock import crawl_lock
from mfa_scraper.mirror import serve

ROOT = Path(__file__).parent.parent
MIRROR = Path(__file__).parent / "pages" / "mirror" / "www.fmprc.gov.cn"
SECTION = "/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"
BACKFILL = SECTION + "default_10.shtml"


def start(mirror: str) -> list[str]:
    return ["-a", f"base_url={mirror}", "-a", f"start_urls={mirror}{BACKFILL}"]


def archive(db: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, "-m", "archive", *args, "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr[-3000:]
    return result


def crawl_json(db: Path, mirror: str, *extra: str) -> dict:
    return json.loads(archive(db, "crawl", "mfa", *start(mirror), "-f", "json", *extra).stdout)


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


@pytest.fixture
def mirror():
    server, stop = serve(MIRROR)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    stop()


def test_second_crawl_fetches_only_the_first_listing_page(mirror, tmp_path):
    db = tmp_path / "archive.db"
    first = crawl_json(db, mirror)
    assert first["new"] == 100 and first["ok"]
    second = crawl_json(db, mirror)
    assert second["new"] == second["changed"] == second["removed"] == 0
    assert second["pages"] == 1  # the first listing page, nothing else
    assert count(db, "SELECT count(*) FROM documents") == 100


def test_recheck_records_an_edit_as_a_version_and_a_removal_without_losing_text(mirror, tmp_path):
    db = tmp_path / "archive.db"
    crawl_json(db, mirror)
    edited = tmp_path / "t1600384.shtml"
    original = (MIRROR / SECTION.strip("/") / "t1600384.shtml").read_text(encoding="utf-8")
    assert ">A: " in original
    edited.write_text(original.replace(">A: ", ">A: Let me add one thing. ", 1), encoding="utf-8")
    server, stop = serve(
        MIRROR,
        overrides={
            SECTION + "t1600384.shtml": edited,
            SECTION + "t1599752.shtml": MIRROR / "error.htm",  # "removed" by the site
        },
    )
    try:
        changed = f"http://127.0.0.1:{server.server_address[1]}"
        result = crawl_json(db, changed, "-s", "ARCHIVE_RECHECK=all")
    finally:
        stop()
    assert (result["changed"], result["removed"]) == (1, 1)
    assert result["not_modified"] == 98  # conditional requests: the rest answered 304
    history = json.loads(
        archive(
            db, "history", "https://www.fmprc.gov.cn" + SECTION + "t1600384.shtml", "-f", "json"
        ).stdout
    )
    assert [v["version"] for v in history["versions"]] == [1, 2]
    inserted = [run["text"] for run in history["versions"][1]["diff"] if run["op"] == "+"]
    assert inserted == ["Let me add one thing."]
    removed = json.loads(
        archive(
            db, "history", "https://www.fmprc.gov.cn" + SECTION + "t1599752.shtml", "-f", "json"
        ).stdout
    )
    assert removed["removed"] and removed["versions"][0]["text"]  # the text is kept
    hits = json.loads(archive(db, "search", "Let me add one thing", "-f", "json").stdout)
    assert hits and hits[0]["edited"] is True
    stats = json.loads(archive(db, "stats", "-f", "json").stdout)
    assert (stats["documents"], stats["edited"], stats["removed"]) == (100, 1, 1)


def test_failed_fetches_are_recorded_retried_and_reported(mirror, tmp_path):
    db = tmp_path / "archive.db"
    missing = ["-a", f"base_url={mirror}", "-a", f"start_urls={mirror}{SECTION}default_9.shtml"]
    for attempt in (1, 2):
        result = archive(db, "crawl", "mfa", *missing, "-f", "json", check=False)
        assert result.returncode == 1  # the source failed entirely: cron sees it
        summary = json.loads(result.stdout)
        assert summary["ok"] is False and summary["sources"][0]["failed_entirely"] is True
        assert summary["sources"][0]["bound"] is None
        assert count(db, "SELECT attempts FROM fetch_failures") == attempt
    stats = json.loads(archive(db, "stats", "-f", "json").stdout)
    assert stats["failures"] == 1 and stats["by_source"]["mfa"]["failures"] == 1
    assert "FAILED" in archive(db, "crawl", "mfa", *missing, check=False).stdout


def test_a_second_crawl_on_the_same_archive_refuses_at_once(mirror, tmp_path):
    db = tmp_path / "archive.db"
    with crawl_lock(db):
        started = time.monotonic()
        result = archive(db, "crawl", "mfa", *start(mirror), check=False)
        assert time.monotonic() - started < 30
    assert result.returncode == 2
    assert f"another crawl is running on {db} (pid {os.getpid()})" in result.stderr
    assert not db.exists()  # it did not even open the archive


def test_killed_crawls_resume_with_nothing_lost_or_duplicated(mirror, tmp_path):
    db, jobdir = tmp_path / "archive.db", tmp_path / "jobs"
    command = [
        sys.executable,
        "-m",
        "archive",
        "crawl",
        "mfa",
        *start(mirror),
        "--jobdir",
        str(jobdir),
        "--db",
        str(db),
    ]
    with trial(
        "sigkill-resume-mfa",
        area="faults",
        what="mfa crawl of 100 transcripts killed with SIGKILL at random moments "
        "(0.3-3 s), then resumed from its JOBDIR",
    ) as row:
        rng = random.Random(20)
        for _ in range(20):
            process = subprocess.Popen(
                command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(rng.uniform(0.3, 3.0))
            process.send_signal(signal.SIGKILL)
            process.wait()
        archive(db, "crawl", "mfa", *start(mirror), "--jobdir", str(jobdir))
        assert count(db, "PRAGMA integrity_check") == "ok"
        assert count(db, "SELECT count(*) FROM documents") == 100
        assert count(db, "SELECT count(DISTINCT url) FROM documents") == 100
        per_document = count(
            db,
            "SELECT max(n) FROM (SELECT count(*) AS n FROM document_versions GROUP BY document_id)",
        )
        assert per_document == 1  # resuming stored no second version of anything
        empty = count(
            db,
            "SELECT count(*) FROM documents d WHERE NOT EXISTS "
            "(SELECT 1 FROM statements s WHERE s.document_id = d.id)",
        )
        assert empty == 0
        row.runs = 20
        row.result = (
            "resumed: integrity_check ok, 100 documents, 100 distinct URLs, one version each, "
            "none without statements"
        )
