"""Shared fixtures: real pages copied into tests/pages/<site>/ and a fresh archive."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "pages"


def page_path(site: str, name: str) -> Path:
    """Path of a saved real page, ``tests/pages/<site>/<name>``."""
    return PAGES / site / name


def read_page(site: str, name: str) -> bytes:
    """Bytes of a saved real page, exactly as the server sent them."""
    return page_path(site, name).read_bytes()


@pytest.fixture
def page():
    """``page(site, name)`` returns the bytes of a saved real page."""
    return read_page


#: Real MFA transcripts stored by the ``filled_archive`` fixture: (file, URL, listing hints).
MFA_PAGES = [
    (
        "en_t1789509_press_conference_2020-06-17_zhao_lijian.html",
        "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/t1789509.shtml",
    ),
    (
        "en_t1683038_press_conference_2019-07-24_hua_chunying.html",
        "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/t1683038.shtml",
    ),
    (
        "en_t1743009_daily_briefing_online_2020-02-10.html",
        "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/t1743009.shtml",
    ),
]


def mfa_record(name: str, url: str) -> dict:
    """The archive record of a saved MFA page, through the real extract → attribute path."""
    from mfa_scraper.attribution.document import attribute_quotes
    from mfa_scraper.records import document_record
    from mfa_scraper.sites.mfa import extract_mfa_page

    document = extract_mfa_page(read_page("mfa", f"www.fmprc.gov.cn.{name}"), url)
    return document_record(attribute_quotes(document), fetched="2026-01-01T00:00:00+00:00")


@pytest.fixture
def archive_path(tmp_path) -> Path:
    """Path of an archive holding three real MFA transcripts."""
    from archive.store import Archive

    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        for name, url in MFA_PAGES:
            archive.upsert_document(mfa_record(name, url))
    return path


#: Project root: ``scrapy crawl`` runs there, where scrapy.cfg is.
ROOT = Path(__file__).parent.parent
#: A response in a crawl's DEBUG log: status and URL.
CRAWLED = re.compile(r"Crawled \((\d+)\) <GET (\S+)>")


def run_module(*args: str, db: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """``python -m ARGS`` in the project root with ``ARCHIVE_DB=db``, whatever its exit status."""
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env={**os.environ, "ARCHIVE_DB": str(db)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def scrapy_crawl(
    spider: str, db: Path, *args: str, level: str = "INFO"
) -> subprocess.CompletedProcess:
    """``scrapy crawl SPIDER ARGS`` into the archive ``db``, as a user runs it; must succeed."""
    result = run_module("scrapy", "crawl", spider, *args, "-s", f"LOG_LEVEL={level}", db=db)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@contextmanager
def served(directory: Path, overrides: dict[str, Path] | None = None) -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a saved site served on loopback while the block runs.

    ``overrides`` maps URL paths to files served instead (a missing file answers 404).
    """
    from mfa_scraper.mirror import serve

    server, stop = serve(directory, overrides=overrides)
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        stop()


def fetched(log: str) -> list[str]:
    """URL paths a crawl got an answer for (robots.txt left out), from its DEBUG log."""
    paths = [re.sub(r"^https?://[^/]+", "", url) for _, url in CRAWLED.findall(log)]
    return [p for p in paths if p != "/robots.txt"]


#: Real pages in three languages for the research desk (Datasette and the CLI): the three
#: English MFA transcripts above, the Chinese version of the 17 June 2020 one, the Kremlin's
#: English news conference of 20 December 2012 and its Russian version (constructed: no real
#: Russian page is stored, see tests/pages/kremlin/constructed_ru_README.md).
DESK_PAGES = [
    (
        "mfa",
        "www.fmprc.gov.cn.zh_t1789468_press_conference_2020-06-17.html",
        "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/t1789468.shtml",
    ),
    (
        "kremlin",
        "news_17173_putin_news_conference_2012-12-20.html",
        "http://en.kremlin.ru/events/president/news/17173",
    ),
    (
        "kremlin",
        "constructed_ru_news_17173_news_conference_2012-12-20.html",
        "http://kremlin.ru/events/president/news/17173",
    ),
]


def desk_records() -> list[dict]:
    """Archive records of the English MFA pages and :data:`DESK_PAGES`, through the real
    extract → attribute → record path."""
    from mfa_scraper.records import document_record
    from mfa_scraper.sites.dispatch import extract_document

    records = [mfa_record(name, url) for name, url in MFA_PAGES]
    for site, name, url in DESK_PAGES:
        document = extract_document(read_page(site, name), url)
        records.append(document_record(document, fetched="2026-01-01T00:00:00+00:00"))
    return records


@pytest.fixture(scope="session")
def desk_archive(tmp_path_factory) -> Path:
    """An archive in English, Chinese and Russian, paired and linked as a crawl leaves it."""
    from archive.provenance.linking import link_archive
    from archive.store import Archive

    path = tmp_path_factory.mktemp("desk") / "archive.db"
    with Archive(path) as archive:
        for record in desk_records():
            archive.upsert_document(record)
        link_archive(archive)
    return path
