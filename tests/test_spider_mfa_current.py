"""``scrapy crawl mfa`` on the sections where the documents are now, through the real CLI.

No real listing page of the layout in use since 2022 is stored. The listings served here
are constructed (:mod:`mfa_listings`) from what real pages show and other scrapers report:
a real page's header and footer around links of the form ``./YYYYMM/tYYYYMMDD_N.html``,
pages ``index.html``, ``index_1.html`` … with no page count, and what lies past the last
page (a redirect to the section's first page, a 404, or a page listing nothing). The
documents they link to are the real current-layout pages. Redirects of the 2015–2021
sections and documents are constructed too (the real targets are only reported); the
pages behind them are real.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from conftest import CRAWLED, fetched, mfa_record, scrapy_crawl
from faultserver import FaultServer, fault_body, fault_file, fault_redirect
from mfa_listings import listing

from archive.store import Archive

PAGES = Path(__file__).parent / "pages" / "mfa"
REAL = "https://www.fmprc.gov.cn"
LXJZH = "/eng/xw/fyrbt/lxjzh/"
FYRBT = "/eng/xw/fyrbt/"
OLD_SECTION = "/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"
#: Where the old English section is reported to redirect now: a single page (Chinese-site
#: navigation, reported) filed in a folder of the section's name.
OLD_SECTION_TARGET = OLD_SECTION.replace("/mfa_eng/", "/eng/") + "202103/t20210325_9170713.html"

#: Document path → saved page (all real, current layout).
DOCUMENTS = {
    LXJZH + "202510/t20251017_11735636.html": "en_t20251017_11735636_press_conference"
    "_2025-10-17_lin_jian_current_layout.html",
    LXJZH + "202504/t20250430_11614172.html": "en_t20250430_11614172_press_conference"
    "_2025-04-30_guo_jiakun_current_layout.html",
    LXJZH + "202405/t20240530_11347742.html": "en_t20240530_11347742_press_conference"
    "_2024-04-22_wang_wenbin_current_layout.html",
    LXJZH + "202405/t20240530_11347616.html": "en_t20240530_11347616_press_conference"
    "_2023-10-17_mao_ning_current_layout.html",
    LXJZH + "202405/t20240530_11347346.html": "en_t20240530_11347346_press_conference"
    "_2022-08-15_wang_wenbin_current_layout.html",
    FYRBT + "202410/t20241017_11509439.html": "en_t20241017_11509439_press_conference"
    "_2024-10-17_mao_ning_filed_under_fyrbt_current_layout.html",
}


def page(name: str) -> Path:
    return PAGES / f"www.fmprc.gov.cn.{name}"


def routes(past_the_end) -> dict:
    """The English site's current sections, with ``past_the_end`` answering ``index_2.html``."""
    served = {path: fault_file(page(name)) for path, name in DOCUMENTS.items()}
    served.update(
        {
            LXJZH + "index.html": fault_body(listing("lxjzh/index.html")),
            LXJZH + "index_1.html": fault_body(listing("lxjzh/index_1.html")),
            LXJZH + "index_2.html": past_the_end,
            FYRBT + "index.html": fault_body(listing("fyrbt/index.html")),
            # The old section redirects to a page that links documents of its own.
            OLD_SECTION + "default.shtml": fault_redirect(OLD_SECTION_TARGET, 301),
            OLD_SECTION_TARGET: fault_body(listing("lxjzh/index.html")),
        }
    )
    return served


#: What the site answers past the last listing page, as other scrapers report it, and what
#: the crawl says about it.
PAST_THE_END = {
    "redirect to the section's first page": (
        fault_redirect(LXJZH + "index.html"),
        f"listing page {REAL}{LXJZH}index_2.html redirects to {REAL}{LXJZH}index.html: "
        f"past the end of {REAL}{LXJZH}index.html",
    ),
    "404": (
        fault_body(b"<h1>404</h1>", status=404),
        f"listing page {REAL}{LXJZH}index_2.html answers 404: past the end of",
    ),
    "a page listing nothing": (
        fault_body(listing("lxjzh/empty")),
        f"{REAL}{LXJZH}index_2.html lists nothing new: {REAL}{LXJZH}index.html ends before it",
    ),
}


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


@pytest.mark.parametrize("end", sorted(PAST_THE_END))
def test_current_sections_are_crawled_and_paging_stops_cleanly_at_the_end(tmp_path, end):
    db = tmp_path / "archive.db"
    answer, said = PAST_THE_END[end]
    with FaultServer(routes(answer)) as server:
        log = scrapy_crawl("mfa", db, "-a", f"base_url={server.url}", level="DEBUG").stderr
        again = scrapy_crawl("mfa", db, "-a", f"base_url={server.url}", level="DEBUG").stderr

    # Every document of both sections, under its real URL, dated by the page.
    archived = dict(rows(db, "SELECT url, date FROM documents"))
    assert archived == {
        REAL + LXJZH + "202510/t20251017_11735636.html": "2025-10-17",
        REAL + LXJZH + "202504/t20250430_11614172.html": "2025-04-30",
        REAL + LXJZH + "202405/t20240530_11347742.html": "2024-04-22",
        REAL + LXJZH + "202405/t20240530_11347616.html": "2023-10-17",
        REAL + LXJZH + "202405/t20240530_11347346.html": "2022-08-15",
        REAL + FYRBT + "202410/t20241017_11509439.html": "2024-10-17",
    }
    # Each listing page says how many entries it gave.
    gave = re.findall(r"listing page (\S+) gave (\d+) entries", log)
    assert (REAL + LXJZH + "index.html", "3") in gave
    assert (REAL + LXJZH + "index_1.html", "2") in gave
    assert (REAL + FYRBT + "index.html", "1") in gave
    assert "(guessed: the page names no page count)" in log
    # Past the end: no failure, and both sections count as paged to their end.
    failed = {url for (url,) in rows(db, "SELECT url FROM fetch_failures")}
    assert failed == {REAL + "/eng/xw/zyxw/index.html"}  # not served here: a real gap
    completed = {url for (url,) in rows(db, "SELECT url FROM crawl_sections")}
    assert completed == {REAL + LXJZH + "index.html", REAL + FYRBT + "index.html"}
    assert said in log
    # The old section's redirect target is not read as that section: nothing it links to.
    assert f"{OLD_SECTION}default.shtml redirects to" in log
    assert [p for p in fetched(log) if p.startswith("/eng/xwfw_665399/")] == [OLD_SECTION_TARGET]
    # The second crawl stops after the first page of each completed section, and fetches
    # no document again (the old section's redirect target is asked for as a listing).
    listings = [p for p in fetched(again) if re.search(r"/index(_\d+)?\.html$", p)]
    assert sorted(listings) == [
        FYRBT + "index.html",
        LXJZH + "index.html",
        "/eng/xw/zyxw/index.html",
    ]
    assert [p for p in fetched(again) if re.search(r"/t\d{8}_\d+\.html$", p)] == [
        OLD_SECTION_TARGET
    ]


def test_a_document_that_moved_is_archived_where_it_went_and_the_old_url_recorded(tmp_path):
    """An archived 2015–2021 URL now redirects to a current-layout URL (constructed: the real
    new URL of t1789509 is not known); the old-layout page behind it still parses. Another
    redirects to the home page, which is no document."""
    db = tmp_path / "archive.db"
    old = OLD_SECTION + "t1789509.shtml"
    new = "/eng/xwfw_665399/s2510_665401/2511_665403/202006/t20200617_9999999.html"
    zhao = "en_t1789509_press_conference_2020-06-17_zhao_lijian.html"
    gone = OLD_SECTION + "t1683038.shtml"
    hua = "en_t1683038_press_conference_2019-07-24_hua_chunying.html"
    with Archive(db) as archive:  # archived by an earlier crawl of the 2015–2021 section
        archive.upsert_document(mfa_record(zhao, REAL + old))
        archive.upsert_document(mfa_record(hua, REAL + gone))
    served = {
        old: fault_redirect(new, 301),
        new: fault_file(page(zhao)),
        gone: fault_redirect("/eng/", 302),
        "/eng/": fault_file(page(DOCUMENTS[LXJZH + "202510/t20251017_11735636.html"])),
    }
    with FaultServer(served) as server:
        log = scrapy_crawl(
            "mfa",
            db,
            "-a",
            f"base_url={server.url}",
            "-a",
            f"start_urls={server.url}/eng/xw/fyrbt/lxjzh/index.html",
            "-s",
            "ARCHIVE_RECHECK=all",
            level="DEBUG",
        ).stderr
    assert [status for status, url in CRAWLED.findall(log) if url.endswith(new)] == ["200"]
    documents = dict(rows(db, "SELECT url, removed_reason FROM documents"))
    assert documents == {
        REAL + old: f"moved to {REAL + new}",
        REAL + new: None,
        REAL + gone: f"redirects to {REAL}/eng/, which is no document",
    }
    [(title, language, day)] = rows(
        db, f"SELECT title, language, date FROM documents WHERE url = '{REAL + new}'"
    )
    assert (language, day) == ("en", "2020-06-17") and "Zhao Lijian" in title


#: Constructed: a minimal Chinese listing of 记者会实录 at its current address, linking one
#: document at a constructed current-layout URL; the page served there is the real Chinese
#: transcript of 17 June 2020 (t1789468, 2015–2021 layout). No real Chinese page or listing of
#: the current layout is stored.
ZH_SECTION = "/fyrbt_673021/jzhsl_673025/"
ZH_DOCUMENT = ZH_SECTION + "202006/t20200617_11111111.shtml"
ZH_LISTING = (
    '<html><head><meta charset="utf-8"><title>记者会实录</title></head><body><ul>'
    '<li><a href="./202006/t20200617_11111111.shtml">'
    "2020年6月17日外交部发言人赵立坚主持例行记者会</a></li></ul></body></html>"
).encode()


def test_the_chinese_site_is_crawled_where_it_is_now_and_kept_apart_from_the_english(tmp_path):
    db = tmp_path / "archive.db"
    served = {
        ZH_SECTION + "index.shtml": fault_body(ZH_LISTING),
        ZH_DOCUMENT: fault_file(page("zh_t1789468_press_conference_2020-06-17.html")),
    }
    with FaultServer(served) as server:
        zh = ("-a", "lang=zh", "-a", f"base_url={server.url}")
        log = scrapy_crawl("mfa", db, *zh, level="DEBUG").stderr
        assert ZH_SECTION + "index.shtml" in fetched(log)
        assert not [p for p in fetched(log) if p.startswith(("/eng/", "/mfa_eng/"))]
        assert rows(db, "SELECT url, language, date, kind FROM documents") == [
            (REAL + ZH_DOCUMENT, "zh", "2020-06-17", "transcript")
        ]
        # The next Chinese crawl knows the document as its own: it fetches it no more.
        again = scrapy_crawl("mfa", db, *zh, level="DEBUG").stderr
        assert ZH_DOCUMENT not in fetched(again)
        # An English crawl re-checking everything leaves the Chinese document alone. (It finds
        # no English section here, which its monitors would rightly call a failed crawl.)
        english = scrapy_crawl(
            "mfa",
            db,
            "-a",
            f"base_url={server.url}",
            "-s",
            "ARCHIVE_RECHECK=all",
            "-s",
            "SPIDERMON_ENABLED=0",
            level="DEBUG",
        ).stderr
        assert ZH_DOCUMENT not in fetched(english)
        assert not [p for p in fetched(english) if p.startswith(ZH_SECTION)]
