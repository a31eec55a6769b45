"""Concurrency: readers and a second writer while a crawl writes the archive.

A crawl of the 100-transcript MFA mirror runs as a subprocess; meanwhile this
process searches the archive again and again (``archive search`` as a
subprocess and through the library), reads it through Datasette, and a second
writer (``archive add``) stores pages into the same file. The promise: WAL,
a busy timeout and short transactions mean no "database is locked" (or any
other error) ever reaches a user, and nothing written is lost.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from reliability import trial

from archive.search.engine import Search, search
from archive.store import Archive, open_readonly
from mfa_scraper.mirror import serve

ROOT = Path(__file__).parent.parent
MIRROR = Path(__file__).parent / "pages" / "mirror" / "www.fmprc.gov.cn"
SECTION = "/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"
PAGE = Path(__file__).parent / "pages" / "mfa"
PAGES = sorted(PAGE.glob("www.fmprc.gov.cn.en_t*.html"))
#: Rounds of (CLI search, library search, Datasette read, add) run while the crawl writes.
ROUNDS = 5


def archive_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "archive", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_searches_datasette_and_a_second_writer_during_a_crawl(tmp_path):
    db = tmp_path / "archive.db"
    # The archive exists before the crawl, as it does for every crawl but the first.
    Archive(db).close()
    server, stop = serve(MIRROR)
    mirror = f"http://127.0.0.1:{server.server_address[1]}"
    counts = {"cli searches": 0, "library searches": 0, "datasette reads": 0, "adds": 0}
    errors: list[str] = []
    with trial(
        "concurrent-readers-writers",
        area="concurrency",
        what="during a crawl of 100 MFA transcripts: archive search (subprocess and library), "
        "Datasette page reads, and archive add of other pages into the same file",
    ) as row:
        crawl = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "archive",
                "crawl",
                "mfa",
                "-a",
                f"base_url={mirror}",
                "-a",
                f"start_urls={mirror}{SECTION}default_10.shtml",
                "--db",
                str(db),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            try:
                from archive.serve import DATABASE_NAME, build_datasette, prepare_archive

                ds = build_datasette(prepare_archive(db))
            except ImportError:
                ds = None
            added = overlapping = 0
            for _ in range(ROUNDS):
                overlapping += crawl.poll() is None
                result = archive_cli("search", "China", "--db", str(db), "-f", "json")
                counts["cli searches"] += 1
                if result.returncode != 0:
                    errors.append(f"search: {result.stderr.strip()}")
                try:
                    search(open_readonly(db), Search("spokesperson", limit=50))
                    counts["library searches"] += 1
                except Exception as exc:  # noqa: BLE001 - any error is the finding
                    errors.append(f"library search: {exc!r}")
                if ds is not None:
                    response = asyncio.run(
                        ds.client.get(f"/{DATABASE_NAME}/statements_view.json?_search=China")
                    )
                    counts["datasette reads"] += 1
                    if response.status_code != 200:
                        errors.append(f"datasette: {response.status_code} {response.text[:200]}")
                if added < len(PAGES):
                    page = PAGES[added]
                    result = archive_cli(
                        "add",
                        str(page),
                        "--url",
                        f"https://www.fmprc.gov.cn/concurrent/{page.name}",
                        "--db",
                        str(db),
                    )
                    counts["adds"] += 1
                    added += 1
                    if result.returncode != 0:
                        errors.append(f"add: {result.stderr.strip()}")
            _, crawl_err = crawl.communicate(timeout=300)
        finally:
            if crawl.poll() is None:
                crawl.kill()
            stop()
        assert crawl.returncode == 0, crawl_err[-3000:]
        assert "locked" not in crawl_err
        assert not errors, errors
        assert overlapping >= 2, counts  # the reads really overlapped the crawl
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            crawled = conn.execute(
                "SELECT count(*) FROM documents WHERE url NOT LIKE '%/concurrent/%'"
            ).fetchone()[0]
            by_hand = conn.execute(
                "SELECT count(*) FROM documents WHERE url LIKE '%/concurrent/%'"
            ).fetchone()[0]
        assert crawled == 100 and by_hand == counts["adds"]
        final = json.loads(archive_cli("stats", "-f", "json", "--db", str(db)).stdout)
        assert final["documents"] == 100 + counts["adds"]
        row.runs = sum(counts.values())
        row.result = (
            "0 errors, no 'database is locked' ("
            + ", ".join(f"{n} {k}" for k, n in counts.items() if n)
            + ", at least 2 rounds while the crawl wrote); all 100 crawled and every added "
            "page stored; integrity_check ok"
        )


def test_two_writers_at_once_queue_instead_of_failing(tmp_path):
    """Two processes add pages to one archive at the same moment, many times over."""
    db = tmp_path / "archive.db"
    Archive(db).close()
    rounds = 4
    with trial(
        "two-writers",
        area="concurrency",
        what="two archive add processes started at the same moment on one archive, "
        f"{rounds} rounds of {len(PAGES)} pages each",
    ) as row:
        failures = []
        for n in range(rounds):
            procs = [
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "archive",
                        "add",
                        *[str(p) for p in PAGES],
                        "--db",
                        str(db),
                    ]
                    if writer == 0
                    else [
                        sys.executable,
                        "-m",
                        "archive",
                        "add",
                        str(PAGES[n % len(PAGES)]),
                        "--url",
                        f"https://www.fmprc.gov.cn/second/{n}.shtml",
                        "--db",
                        str(db),
                    ],
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for writer in (0, 1)
            ]
            started = time.monotonic()
            for proc in procs:
                _, err = proc.communicate(timeout=120)
                if proc.returncode != 0:
                    failures.append(err.strip()[-300:])
            assert time.monotonic() - started < 120
        assert not failures, failures
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            second = conn.execute(
                "SELECT count(*) FROM documents WHERE url LIKE '%/second/%'"
            ).fetchone()[0]
        assert second == rounds
        row.runs = rounds * 2
        row.result = "every process exited 0, no 'database is locked'; all pages stored once"
