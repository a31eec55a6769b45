"""``scrapy crawl mfa -a lang=zh``: real pages of the Chinese site on loopback, through the CLI.

tests/pages/mirror/www.fmprc.gov.cn/web holds three real listing pages of the
spokesperson section 发言人表态 (default.shtml, the newest, and default_65/66,
the last two) and the 40 documents they link to (see the README there); pages
not copied answer 404. The same host folder holds the English slice, so one
server shows both languages of one source.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, fetched, scrapy_crawl

from archive.store import open_readonly
from mfa_scraper.mirror import serve

MIRROR = Path(__file__).parent / "pages" / "mirror" / "www.fmprc.gov.cn"
SECTION = "/web/wjdt_674879/fyrbt_674889/"
REAL = "https://www.fmprc.gov.cn"
#: The spokesperson as the archive names him whatever the page writes (赵立坚): one identity.
ZHAO_LIJIAN = {"Zhao Lijian"}


def crawl(db: Path, *args: str, level: str = "INFO") -> subprocess.CompletedProcess:
    """``scrapy crawl mfa`` into ``db``."""
    return scrapy_crawl("mfa", db, *args, level=level)


@pytest.fixture
def mirror():
    server, stop = serve(MIRROR)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    stop()


def stats(db: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "archive", "stats", "--format", "json", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def documents(db: Path) -> dict[str, tuple[str, str, str]]:
    """``url → (date, language, kind)`` of every archived document."""
    rows = open_readonly(db).execute("SELECT url, date, language, kind FROM documents")
    return {url: (day, language, kind) for url, day, language, kind in rows}


def turns(db: Path, url: str) -> list[tuple[str | None, str, str | None, str]]:
    """``(speaker, kind, role, text)`` of a document's statements, in order (quotes left out)."""
    rows = open_readonly(db).execute(
        "SELECT sp.name, s.kind, s.role, s.text FROM statements s"
        " JOIN documents d ON d.id = s.document_id"
        " LEFT JOIN speakers sp ON sp.id = s.speaker_id"
        " WHERE d.url = ? AND s.kind != 'quote' ORDER BY s.position",
        [url],
    )
    return [tuple(row) for row in rows]


def test_crawl_archives_the_chinese_section_and_recrawl_fetches_no_document(mirror, tmp_path):
    db = tmp_path / "archive.db"
    crawl(db, "-a", "lang=zh", "-a", f"base_url={mirror}")
    archived = documents(db)
    # The 15 documents listed on default.shtml; default_1.shtml is not in the copy.
    assert len(archived) == 15
    assert all(url.startswith(REAL + SECTION) for url in archived)  # real URLs, not the mirror's
    assert {language for _, language, _ in archived.values()} == {"zh"}
    # Dates as the listing prints them, also for the statement whose title has none.
    assert archived[REAL + SECTION + "t1789468.shtml"] == ("2020-06-17", "zh", "transcript")
    assert archived[REAL + SECTION + "t1793459.shtml"] == ("2020-06-30", "zh", "statement")
    assert archived[REAL + SECTION + "t1789773.shtml"] == ("2020-06-18", "zh", "statement")
    assert sorted(day for day, _, _ in archived.values())[::7] == [
        "2020-06-15",
        "2020-06-23",
        "2020-07-03",
    ]

    # 17 June 2020 (English version t1789509): Reuters asks, Zhao Lijian answers.
    conference = turns(db, REAL + SECTION + "t1789468.shtml")
    first, second = conference[:2]
    assert first[:3] == ("路透社", "question", "journalist")
    assert second[0] in ZHAO_LIJIAN and second[1:3] == ("answer", "外交部发言人")
    answers = [t for t in conference if t[1] == "answer"]
    assert len(answers) > 5 and all(t[0] in ZHAO_LIJIAN for t in answers)
    assert any("加勒万河谷" in t[3] for t in answers)  # the Galwan valley clash
    # Written answers keep their question, unnamed, and the answer by the spokesperson.
    written = turns(db, REAL + SECTION + "t1789773.shtml")
    assert [(t[0] in ZHAO_LIJIAN, t[1]) for t in written] == [(False, "question"), (True, "answer")]
    assert written[0][0] is None
    # A statement by an unnamed spokesperson: nobody's name, the office as role.
    [statement] = turns(db, REAL + SECTION + "t1793459.shtml")
    assert statement[:3] == (None, "remark", "外交部发言人")

    before = stats(db)
    log = crawl(db, "-a", "lang=zh", "-a", f"base_url={mirror}", level="DEBUG").stderr
    requested = fetched(log)
    assert SECTION + "default.shtml" in requested
    assert not [p for p in requested if re.search(r"/t\d+\.shtml$", p)], requested
    assert stats(db) == before


def test_second_crawl_of_a_completed_section_fetches_one_listing_page(mirror, tmp_path):
    db = tmp_path / "archive.db"
    start = ("-a", "lang=zh", "-a", f"base_url={mirror}")
    first = crawl(db, *start, "-a", f"start_urls={mirror}{SECTION}default_65.shtml", level="DEBUG")
    # default_65 and default_66 (the last page) and their 15 + 10 documents.
    assert len(fetched(first.stderr)) == 2 + 25
    archived = documents(db)
    assert len(archived) == 25
    assert min(day for day, _, _ in archived.values()) == "2016-11-15"
    kinds = [kind for _, _, kind in archived.values()]
    assert kinds.count("statement") == 6  # 答记者问 ×5, 中国代表团发言人 ×1
    sections = {row[0] for row in open_readonly(db).execute("SELECT url FROM crawl_sections")}
    assert sections == {REAL + SECTION + "default_65.shtml"}

    again = crawl(db, *start, "-a", f"start_urls={mirror}{SECTION}default_65.shtml", level="DEBUG")
    assert fetched(again.stderr) == [SECTION + "default_65.shtml"]


def test_since_stops_paging(mirror, tmp_path):
    db = tmp_path / "archive.db"
    log = crawl(
        db, "-a", "lang=zh", "-a", f"base_url={mirror}", "-a", "since=2020-06-29", level="DEBUG"
    ).stderr
    days = sorted(day for day, _, _ in documents(db).values())
    assert days == [
        "2020-06-29",
        "2020-06-30",
        "2020-06-30",
        "2020-07-01",
        "2020-07-02",
        "2020-07-03",
    ]
    assert SECTION + "default_1.shtml" not in fetched(log)


def test_languages_are_separate_sections_of_one_source(mirror, tmp_path):
    db = tmp_path / "archive.db"
    base = ("-a", f"base_url={mirror}", "-a", "since=2020-07-02")
    crawl(db, "-a", "lang=zh", *base)
    crawl(db, *base)  # English, the default
    languages = sorted(language for _, language, _ in documents(db).values())
    assert languages == ["en", "en", "zh", "zh"]
    sources = open_readonly(db).execute("SELECT name FROM sources").fetchall()
    assert [tuple(row) for row in sources] == [("mfa",)]

    # Re-checking everything re-checks this language's documents only.
    recheck = ("-s", "ARCHIVE_RECHECK=all")
    zh = fetched(crawl(db, "-a", "lang=zh", *base, *recheck, level="DEBUG").stderr)
    assert {SECTION + "t1794584.shtml", SECTION + "t1794237.shtml"} <= set(zh)
    assert not [p for p in zh if p.startswith("/mfa_eng/")], zh
    en = fetched(crawl(db, *base, *recheck, level="DEBUG").stderr)
    assert any(p.startswith("/mfa_eng/") and p.endswith("t1794629.shtml") for p in en)
    assert not [p for p in en if p.startswith("/web/")], en


def test_unsupported_language_is_one_clear_error(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "mfa", "-a", "lang=fr"],
        cwd=ROOT,
        env={**os.environ, "ARCHIVE_DB": str(tmp_path / "a.db")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "lang='fr' is not a language mfa crawls; use lang=en or lang=zh" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "a.db").exists()
