"""Scale-out on scrapy-redis: two crawlers share one frontier, one ingester writes the archive.

A real redis-server (Debian's package; ``.ci/run`` installs it) runs on a free loopback port.
Two ``scrapy crawl mfa`` processes with ``REDIS_URL`` crawl the MFA test mirror (140
transcripts) at the same time, without an archive of their own; ``archive ingest --redis``
then writes what they queued.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from mfa_scraper.mirror import serve

redis = pytest.importorskip("redis", reason="needs the [scale] extra: pip install -e '.[scale]'")
pytest.importorskip("scrapy_redis", reason="needs the [scale] extra: pip install -e '.[scale]'")

ROOT = Path(__file__).parent.parent
MIRROR = Path(__file__).parent / "pages" / "mirror" / "www.fmprc.gov.cn"
SECTION = "/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"
CRAWLED = re.compile(r"Crawled \((\d+)\) <GET (\S+)>")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server; .ci/run does)")
    port = free_port()
    server = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    server.terminate()
    server.wait(10)


#: Seconds the mirror takes per answer: with it, one crawler alone needs several seconds for
#: the 140 pages, longer than the engine's 5-second heartbeat after which an idle peer asks
#: the shared queue again. Without it, on a loaded machine, the first crawler could take every
#: page before the second one first looked.
LATENCY = 0.25


@pytest.fixture
def gate():
    """Closed until the test opens it: no crawler gets a page before both are running."""
    return threading.Event()


@pytest.fixture
def mirror(gate):
    server, stop = serve(MIRROR, latency=LATENCY, gate=gate)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    gate.set()
    stop()


def open_when_registered(gate: threading.Event, redis_url: str, crawlers: int) -> None:
    """Open ``gate`` once ``crawlers`` crawlers are on the frontier (or after a minute)."""

    def watch() -> None:
        client = redis.Redis.from_url(redis_url)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and client.zcard("mfa:crawlers") < crawlers:
            time.sleep(0.05)
        gate.set()

    threading.Thread(target=watch, daemon=True).start()


def start_crawler(mirror: str, redis_url: str, tmp_path: Path, n: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        # A crawler machine without the archive: it must crawl in full and write nothing.
        "ARCHIVE_DB": str(tmp_path / f"crawler{n}" / "absent.db"),
    }
    starts = f"{mirror}{SECTION}default.shtml,{mirror}{SECTION}default_10.shtml"
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "mfa",
            "-a",
            f"base_url={mirror}",
            "-a",
            f"start_urls={starts}",
            "-s",
            "LOG_LEVEL=DEBUG",
            "-s",
            "ARCHIVE_REDIS_IDLE=2",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def ingest(db: Path, redis_url: str) -> dict:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "archive",
            "ingest",
            "--redis",
            redis_url,
            "--until-empty",
            "--batch",
            "50",
            "--format",
            "json",
            "--db",
            str(db),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_two_crawlers_share_one_frontier_and_the_ingester_archives_each_page_once(
    mirror, gate, redis_url, tmp_path
):
    open_when_registered(gate, redis_url, 2)
    crawlers = [start_crawler(mirror, redis_url, tmp_path, n) for n in (1, 2)]
    logs = [crawler.communicate(timeout=120)[1] for crawler in crawlers]
    for crawler, log in zip(crawlers, logs):
        assert crawler.returncode == 0, log[-3000:]
        assert "Traceback" not in log, log[-3000:]
    fetched = [
        [url for _, url in CRAWLED.findall(log) if not url.endswith("/robots.txt")] for log in logs
    ]
    every = fetched[0] + fetched[1]
    assert len(every) == len(set(every)), "a page was fetched twice"
    assert all(fetched), "both crawlers take pages from the shared frontier"
    documents = [url for url in every if re.search(r"/t\d+\.shtml$", url)]
    assert len(documents) == 140
    assert not any((tmp_path / f"crawler{n}" / "absent.db").exists() for n in (1, 2))
    client = redis.Redis.from_url(redis_url)
    assert not client.exists("mfa:dupefilter"), "the last crawler clears the finished round"
    queued = client.lrange("archive:items", 0, -1)

    db = tmp_path / "archive.db"
    counts = ingest(db, redis_url)
    assert counts["documents"] == {"new": 140}
    assert counts["events"]["source"] == 2  # one per crawler
    with sqlite3.connect(db) as conn:
        rows, urls = conn.execute("SELECT count(*), count(DISTINCT url) FROM documents").fetchone()
        statements = conn.execute("SELECT count(*) FROM statements").fetchone()[0]
    assert rows == urls == 140
    assert statements > 140 * 10

    # Delivered twice (a crashed ingester's batch, a crawler retried): nothing changes.
    client.rpush("archive:items", *queued)
    again = ingest(db, redis_url)
    assert again["documents"] == {"unchanged": 140}
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM documents").fetchone()[0] == 140
        assert conn.execute("SELECT count(*) FROM statements").fetchone()[0] == statements
        assert conn.execute("SELECT max(version) FROM document_versions").fetchone()[0] == 1
