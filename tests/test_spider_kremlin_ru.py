"""``scrapy crawl kremlin -a lang=ru`` on CONSTRUCTED kremlin.ru pages served on loopback.

No real page of the Russian site was available: the four pages served here
(tests/pages/kremlin/constructed_ru_*, see constructed_ru_README.md there) keep
the structure of real en.kremlin.ru pages with Russian text written for the
test. A two-page news listing links a news report (63313, 8 May 2020) and a
news conference (17173, 20 December 2012); everything else answers 404.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, fetched, scrapy_crawl

from archive.store import open_readonly
from mfa_scraper.mirror import serve

PAGES = Path(__file__).parent / "pages" / "kremlin"
EN_MIRROR = Path(__file__).parent / "pages" / "mirror" / "en.kremlin.ru"
NEWS = "/events/president/news"
#: The real URLs the documents are archived under.
RU_NEWS = "http://kremlin.ru" + NEWS
#: URL path → constructed page.
CONSTRUCTED = {
    NEWS: PAGES / "constructed_ru_listing_news.html",
    NEWS + "/page/2": PAGES / "constructed_ru_listing_news_page_2.html",
    NEWS + "/63313": PAGES / "constructed_ru_news_63313_congratulations_2020-05-08.html",
    NEWS + "/17173": PAGES / "constructed_ru_news_17173_news_conference_2012-12-20.html",
}
#: Putin as the archive names him whatever the page writes ("В.Путин:"): one identity.
PUTIN = {"Vladimir Putin"}


def crawl(db: Path, *args: str, level: str = "DEBUG") -> subprocess.CompletedProcess:
    """``scrapy crawl kremlin`` into ``db``."""
    return scrapy_crawl("kremlin", db, *args, level=level)


@pytest.fixture
def russian_site(tmp_path):
    """The constructed pages on a free loopback port; any other path answers 404."""
    empty = tmp_path / "site"
    empty.mkdir()
    server, stop = serve(empty, overrides=CONSTRUCTED)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    stop()


@pytest.fixture
def english_site():
    server, stop = serve(EN_MIRROR)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    stop()


def documents(db: Path) -> dict[str, tuple[str, str, str]]:
    rows = open_readonly(db).execute("SELECT url, date, language, kind FROM documents")
    return {url: (day, language, kind) for url, day, language, kind in rows}


def statements(db: Path, url: str) -> list[tuple[str | None, str]]:
    rows = open_readonly(db).execute(
        "SELECT sp.name, s.kind FROM statements s JOIN documents d ON d.id = s.document_id"
        " LEFT JOIN speakers sp ON sp.id = s.speaker_id"
        " WHERE d.url = ? AND s.kind != 'quote' ORDER BY s.position",
        [url],
    )
    return [tuple(row) for row in rows]


def test_russian_crawl_archives_documents_in_russian(russian_site, tmp_path):
    db = tmp_path / "archive.db"
    log = crawl(db, "-a", "lang=ru", "-a", f"base_url={russian_site}").stderr
    # Both listing pages (page/2 is the last), both documents; transcripts is not served.
    assert set(fetched(log)) == {*CONSTRUCTED, "/events/president/transcripts"}
    archived = documents(db)
    assert set(archived) == {
        RU_NEWS + "/63313",
        RU_NEWS + "/17173",
    }
    report = archived[RU_NEWS + "/63313"]
    conference = archived[RU_NEWS + "/17173"]
    assert report[0].startswith("2020-05-08") and report[1:] == ("ru", "news")
    assert conference[0].startswith("2012-12-20") and conference[1:] == ("ru", "transcript")

    turns = statements(db, RU_NEWS + "/17173")
    assert [kind for _, kind in turns] == [
        "remark", "remark", "remark", "remark", "question", "answer", "question", "answer",
    ]  # fmt: skip
    assert {name for name, kind in turns if kind == "answer"} <= PUTIN
    assert turns[0][0] in PUTIN
    assert turns[1][0] in {"Д.Песков", "Dmitry Peskov"}
    assert [name for name, kind in turns if kind == "question"] == [None, None]
    # The news report is the Kremlin's own, with no speaker turns.
    assert statements(db, RU_NEWS + "/63313")[0] == ("Kremlin", "report")
    source = open_readonly(db).execute("SELECT name, base_url FROM sources").fetchall()
    assert [tuple(row) for row in source] == [("kremlin", "http://en.kremlin.ru")]

    # The section was paged to its end: the next crawl reads page 1 and stops.
    again = crawl(db, "-a", "lang=ru", "-a", f"base_url={russian_site}").stderr
    assert sorted(fetched(again)) == [NEWS, "/events/president/transcripts"]
    assert len(documents(db)) == 2


def test_since_stops_paging(russian_site, tmp_path):
    db = tmp_path / "archive.db"
    log = crawl(db, "-a", "lang=ru", "-a", f"base_url={russian_site}", "-a", "since=2020-01-01")
    assert NEWS + "/17173" not in fetched(log.stderr)
    assert list(documents(db)) == [RU_NEWS + "/63313"]


def test_russian_and_english_sites_are_separate(russian_site, english_site, tmp_path):
    db = tmp_path / "archive.db"
    crawl(db, "-a", f"base_url={english_site}", "-a", f"start_urls={english_site}{NEWS}/page/30")
    crawl(db, "-a", "lang=ru", "-a", f"base_url={russian_site}")
    languages = sorted(language for _, language, _ in documents(db).values())
    assert languages == ["en"] * 20 + ["ru"] * 2
    # Re-checking everything re-checks this site's documents only.
    log = crawl(db, "-a", "lang=ru", "-a", f"base_url={russian_site}", "-s", "ARCHIVE_RECHECK=all")
    documents_fetched = [p for p in fetched(log.stderr) if re.search(r"/\d+$", p)]
    assert sorted(documents_fetched) == [NEWS + "/17173", NEWS + "/63313"]


def test_unsupported_language_is_one_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "kremlin", "-a", "lang=de"],
        cwd=ROOT,
        env={**os.environ, "ARCHIVE_DB": str(tmp_path / "a.db")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "lang='de' is not a language kremlin crawls; use lang=en or lang=ru" in result.stderr
    assert "Traceback" not in result.stderr
