"""Faults: servers that fail, stall or lie; a disk that fills; a database that cannot be written.

Crawls run as ``archive crawl`` subprocesses against :mod:`faultserver` on
loopback, with a short ``DOWNLOAD_TIMEOUT`` and one retry so the tests stay
fast. The promise under test: every fault ends in retries and a row of
``fetch_failures`` (so the next crawl tries again and ``archive stats`` shows
the gap), the crawl ends, and the good pages around the bad ones are archived.
The 20× SIGKILL-resume test lives in test_crawl.py.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from faultserver import (
    FaultServer,
    fault_body,
    fault_drip,
    fault_file,
    fault_huge,
    fault_redirect,
    fault_redirect_chain,
    fault_reset,
    fault_stall,
    fault_status,
    fault_truncated,
)
from reliability import trial
from typer.testing import CliRunner

from archive.cli import app

ROOT = Path(__file__).parent.parent
PAGES = Path(__file__).parent / "pages"
SECTION = "/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"
LISTING = SECTION + "default.shtml"
GOOD = PAGES / "mfa" / "www.fmprc.gov.cn.en_t1789509_press_conference_2020-06-17_zhao_lijian.html"
GOOD_TOO = (
    PAGES / "mfa" / "www.fmprc.gov.cn.en_t1683038_press_conference_2019-07-24_hua_chunying.html"
)
#: Crawl settings that keep faults fast: 2 s timeout, one retry.
FAST = ["-s", "DOWNLOAD_TIMEOUT=2", "-s", "RETRY_TIMES=1"]
#: Limit on a crawl of the fault server: a hung crawl fails the test instead of the suite.
CRAWL_LIMIT = 90


def listing(numbers: list[int]) -> bytes:
    """An MFA listing page (2015–2021 layout) linking to ``t<number>.shtml``."""
    items = "".join(
        f'<li><a href="./t{n}.shtml">Foreign Ministry Spokesperson\'s Regular Press Conference '
        f"on June {1 + i % 28}, 2020</a></li>"
        for i, n in enumerate(numbers)
    )
    return f"<html><body><div class='rebox_news'><ul>{items}</ul></div></body></html>".encode()


def run_archive(*args: str, timeout: float = CRAWL_LIMIT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "archive", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def crawl(db: Path, server: FaultServer, *extra: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    result = run_archive(
        "crawl",
        "mfa",
        "-a",
        f"base_url={server.url}",
        "-a",
        f"start_urls={server.url}{LISTING}",
        *FAST,
        *extra,
        "-f",
        "json",
        "--db",
        str(db),
    )
    return result, time.monotonic() - started


def failures(db: Path) -> dict[str, tuple[int | None, str, int]]:
    """``fetch_failures`` by the page's number: (status, reason, attempts)."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT url, status, reason, attempts FROM fetch_failures").fetchall()
    return {
        url.rsplit("/", 1)[-1]: (status, reason, attempts) for url, status, reason, attempts in rows
    }


def count(db: Path, sql: str) -> object:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


#: Page number → (behaviour name, how the failure must be recorded: status or reason prefix).
FAULTS = {
    1000001: ("HTTP 500", 500),
    1000002: ("stall past DOWNLOAD_TIMEOUT", "TimeoutError"),
    1000003: ("endless redirects (?n=1, ?n=2, …)", "max redirections"),
    1000005: ("connection reset (RST)", "ConnectionLost"),
    1000006: ("50 MB body, Content-Length declared", "download"),
    1000007: ("50 MB body, length undeclared", "download"),
    1000008: ("a byte every 0.5 s, forever", "TimeoutError"),
    1000009: ("body cut short of its Content-Length", "DataLoss"),
    1000011: ("empty 200 body", "empty or unreadable page"),
    1000012: ("a binary 200 body", "no text extracted"),
    1000013: ("HTTP 404", 404),
    1000014: ("HTTP 503", 503),
}


def test_every_server_fault_ends_in_retries_and_a_recorded_failure(tmp_path):
    db = tmp_path / "archive.db"
    with FaultServer({"/elsewhere.shtml": fault_file(GOOD)}, host="localhost") as other:
        routes = {
            SECTION + "t1000001.shtml": fault_status(500),
            SECTION + "t1000002.shtml": fault_stall,
            SECTION + "t1000003.shtml": fault_redirect_chain,
            SECTION + "t1000004.shtml": fault_redirect(other.url + "/elsewhere.shtml"),
            SECTION + "t1000005.shtml": fault_reset,
            SECTION + "t1000006.shtml": fault_huge(50 * 2**20),
            SECTION + "t1000007.shtml": fault_huge(50 * 2**20, declare=False),
            SECTION + "t1000008.shtml": fault_drip,
            SECTION + "t1000009.shtml": fault_truncated(GOOD.read_bytes()),
            SECTION + "t1000010.shtml": fault_file(GOOD),
            SECTION + "t1000011.shtml": fault_body(b""),
            SECTION + "t1000012.shtml": fault_body(bytes(range(256)) * 64),  # not HTML at all
            SECTION + "t1000014.shtml": fault_status(503),
            SECTION + "t1000015.shtml": fault_file(GOOD_TOO),
        }
        routes[LISTING] = fault_body(listing(list(range(1000001, 1000016))))
        with (
            trial(
                "crawl-server-faults",
                area="faults",
                what="mfa crawl of a listing whose 15 links answer: "
                + "; ".join(name for name, _ in FAULTS.values())
                + "; a redirect to another host; two good pages",
            ) as row,
            FaultServer(routes) as server,
        ):
            result, elapsed = crawl(db, server)
            summary = json.loads(result.stdout)
            found = failures(db)
            missing = []
            for number, (name, expected) in FAULTS.items():
                status, reason, _ = found.get(f"t{number}.shtml", (None, "", 0))
                if isinstance(expected, int):
                    ok = status == expected
                else:
                    ok = expected.lower() in reason.lower()
                if not ok:
                    missing.append(f"{name}: {status} {reason!r}")
            assert not missing, (missing, found, result.stderr[-3000:])
            # Retried before giving up: the first try and RETRY_TIMES=1 more.
            assert server.hits[SECTION + "t1000001.shtml"] == 2
            assert server.hits[SECTION + "t1000005.shtml"] >= 2  # (the pool may add one)
            assert other.hits["/elsewhere.shtml"] == 0  # the redirect off-site was refused
            assert count(db, "SELECT count(*) FROM documents") == 2  # the two good pages
            assert summary["new"] == 2 and summary["failed"] == len(found)
            assert count(db, "PRAGMA integrity_check") == "ok"
            assert elapsed < CRAWL_LIMIT
            row.runs = 1
            row.result = (
                f"crawl ended (exit {result.returncode}); {len(FAULTS)}/{len(FAULTS)} faults "
                f"recorded in fetch_failures with status or reason; 500 and reset retried once; "
                f"off-site host never asked; both good pages archived; integrity_check ok"
            )


def test_a_stalled_listing_ends_the_crawl_as_a_failed_source(tmp_path):
    """The whole source hangs: cron must see exit 1 soon, not a process waiting forever."""
    db = tmp_path / "archive.db"
    with (
        trial(
            "crawl-stalled-source",
            area="faults",
            what="mfa crawl whose only listing page stalls, twice in a row",
        ) as row,
        FaultServer({LISTING: fault_stall}) as server,
    ):
        for attempt in (1, 2):
            result, elapsed = crawl(db, server)
            assert result.returncode == 1, result.stderr[-2000:]
            assert json.loads(result.stdout)["sources"][0]["failed_entirely"] is True
            assert failures(db)["default.shtml"][2] == attempt
            assert elapsed < CRAWL_LIMIT
        row.runs = 2
        row.result = (
            "each crawl ended with exit 1 (source failed entirely); failure recorded, "
            "attempts 1 then 2"
        )


# -- the disk and the database file ------------------------------------------------------------


def _tmpfs(path: Path, size: str) -> bool:
    """Mount a tiny tmpfs at ``path`` (needs root and a kernel that allows it)."""
    path.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A directory on a 1 MB file system, unmounted afterwards."""
    mount = tmp_path / "disk"
    if not _tmpfs(mount, "1m"):
        pytest.skip("cannot mount a tmpfs here (not root, or no mount permission)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def _one_line_exit_2(result, needle: str) -> None:
    lines = result.output.strip().splitlines()
    assert result.exit_code == 2, result.output
    assert lines and all(line.startswith(("Error:", "new:", "unchanged:")) for line in lines)
    assert any(needle in line for line in lines), result.output
    assert "Traceback" not in result.output


def _pages(tmp_path: Path, n: int) -> list[str]:
    """``n`` distinct copies of a real transcript, as files ``archive add`` takes."""
    body = GOOD.read_text(encoding="utf-8")
    paths = []
    for i in range(n):
        path = tmp_path / f"page{i}.html"
        path.write_text(body.replace("Regular Press Conference", f"Press Conference {i}"), "utf-8")
        paths.append(str(path))
    return paths


def test_a_full_disk_is_one_line_and_leaves_the_archive_intact(small_disk, tmp_path):
    db = small_disk / "archive.db"
    runner = CliRunner()
    url = "https://www.fmprc.gov.cn/mfa_eng/t{}.shtml"
    with trial(
        "full-disk",
        area="faults",
        what="archive add of real transcripts, one by one, onto a 1 MB tmpfs until the disk is "
        "full, then search and integrity_check",
    ) as row:
        stored = 0
        for i, page in enumerate(_pages(tmp_path, 60)):
            result = runner.invoke(app, ["add", page, "--url", url.format(i), "--db", str(db)])
            if result.exit_code != 0:
                break
            stored += 1
        else:
            pytest.fail("1 MB never filled up")
        _one_line_exit_2(result, "full")
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == stored
        search = runner.invoke(app, ["search", "China", "--db", str(db), "-f", "json"])
        assert search.exit_code == 0 and json.loads(search.output)
        row.runs = stored + 1
        row.result = (
            f"{stored} pages stored, then one line and exit 2: 'Error: cannot write …: "
            f"{result.output.strip().splitlines()[-1].split(': ', 2)[-1]}'; integrity_check ok, "
            "every stored page still there, search works"
        )


@pytest.fixture
def read_only_archive(archive_path, tmp_path):
    """The archive of three real transcripts, on a file system mounted read-only.

    ``chmod`` does not stop root, so as root the copy goes on a tmpfs remounted
    ``ro``; otherwise the file and its directory lose their write permission.
    """
    mount = tmp_path / "ro"
    if _tmpfs(mount, "16m"):
        shutil.copy(archive_path, mount / "archive.db")
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        yield mount / "archive.db"
        subprocess.run(["umount", "-l", str(mount)], check=False)
    else:
        shutil.copy(archive_path, mount / "archive.db")
        (mount / "archive.db").chmod(0o444)
        mount.chmod(0o555)
        yield mount / "archive.db"
        mount.chmod(0o755)


def test_a_read_only_archive_is_one_line_and_stays_intact(read_only_archive, tmp_path):
    runner = CliRunner()
    before = read_only_archive.read_bytes()
    page = _pages(tmp_path, 1)[0]
    url = "https://www.fmprc.gov.cn/mfa_eng/t9.shtml"
    with trial(
        "read-only-db",
        area="faults",
        what="archive add and speakers merge on an archive on a read-only file system",
    ) as row:
        attempts = 0
        for args in (
            ["add", page, "--url", url],
            ["speakers", "merge", "Zhao Lijian", "Hua Chunying"],
        ):
            result = runner.invoke(app, [*args, "--db", str(read_only_archive)])
            attempts += 1
            _one_line_exit_2(result, "read-only")
        search = runner.invoke(app, ["search", "LAC", "--db", str(read_only_archive)])
        assert search.exit_code == 0, search.output
        assert read_only_archive.read_bytes() == before
        row.runs = attempts
        row.result = (
            "one line naming the read-only archive, exit 2; file unchanged; search still works"
        )
