"""Hostile pages, archives and arguments: nothing silently corrupted, nothing endless.

One test (or a few) per class of the reliability audit, each trying inputs of its own
making rather than the audit's examples alone, and each recording its row of
RELIABILITY.md:

1. silent corruption of text: real pages re-encoded every way a server gets it wrong;
2. silent truncation: real transcripts nested hundreds to 200,000 levels deep;
3. unbounded work: endless pagers, sitemap chains and API pages on a loopback server,
   pages that drip or never end, Datasette queries that would take gigabytes;
4. things accepted that should be refused: files that are not pages, redirects to
   another port, option values out of range;
5. tracebacks where one line was promised: odd charsets, bad JSONL, huge queries and
   numbers, damaged archives on every command, read-only file systems, bad settings;
6. ``--db`` meaning one file to every command.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import zipfile
from pathlib import Path

import pytest
from conftest import read_page
from faultserver import (
    FaultServer,
    fault_body,
    fault_drip,
    fault_drip_headers,
    fault_file,
    fault_huge,
    fault_redirect,
)
from reliability import trial
from test_faults import run_archive
from test_misuse import READERS
from typer.testing import CliRunner

from archive.cli import app
from mfa_scraper.sites.dispatch import extract_document

ROOT = Path(__file__).parent.parent
PAGES = Path(__file__).parent / "pages"
runner = CliRunner()

MFA_EN = "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/t{}.shtml"
MFA_ZH = "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/t{}.shtml"
EN_SECTION = "/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"
ZH_SECTION = "/web/wjdt_674879/fyrbt_674889/"

#: Real pages: (site folder, file, URL, language).
REAL_PAGES = [
    (
        "mfa",
        "www.fmprc.gov.cn.zh_t1789468_press_conference_2020-06-17.html",
        MFA_ZH.format(1789468),
        "zh",
    ),
    (
        "mfa",
        "www.fmprc.gov.cn.zh_t1474965_press_conference_2017-07-03.html",
        MFA_ZH.format(1474965),
        "zh",
    ),
    (
        "mfa",
        "www.fmprc.gov.cn.zh_t1739874_written_answer_2020-02-04.html",
        MFA_ZH.format(1739874),
        "zh",
    ),
    (
        "mfa",
        "www.fmprc.gov.cn.en_t1789509_press_conference_2020-06-17_zhao_lijian.html",
        MFA_EN.format(1789509),
        "en",
    ),
    (
        "kremlin",
        "constructed_ru_news_17173_news_conference_2012-12-20.html",
        "http://kremlin.ru/events/president/news/17173",
        "ru",
    ),
]
META_CHARSET = re.compile(r"<meta[^>]*charset[^>]*>", re.I)
#: A page's own legacy encoding, and a valid declaration that is wrong for it.
NATIVE = {"zh": "gbk", "ru": "cp1251", "en": "cp1252"}
WRONG = {"zh": "windows-1251", "ru": "windows-1252", "en": "windows-1251"}
FOOTER = {
    "zh": "<p>版权所有 中华人民共和国外交部</p>",
    "ru": "<p>Все права защищены</p>",
    "en": "<p>Copyright © Ministry — all rights reserved</p>",
}


def summary(document) -> tuple:
    """What must survive any re-encoding or nesting: title, turns, quotes."""
    return (
        document.title,
        [(t.speaker, t.text) for t in document.turns],
        sorted(q.quote for t in document.turns for q in t.quotes)
        + [q.quote for q in document.quotes],
    )


def encodings_of(text: str, lang: str) -> list[tuple[str, bytes, set[str]]]:
    """(variant, bytes, flags it must carry) of a page whose text has no charset declared.

    Characters an encoding lacks are written as character references, as servers do, so
    every variant stands for the same page.
    """
    native = NATIVE[lang]

    def encode(charset: str, label: str | None = None) -> bytes:
        head = f'<meta charset="{label}">' if label else ""
        return (head + text).encode(charset, errors="xmlcharrefreplace")

    body = encode(native)
    head_end = body.lower().find(b"</head>")
    stray = body[:head_end] + b"\xff\xfe" + body[head_end:]
    footer = FOOTER[lang].encode(native, errors="xmlcharrefreplace")
    found = [
        (f"{native}, undeclared", body, set()),
        # A single-byte encoding reads any byte (as ÿþ), a multi-byte one cannot: a guess.
        (
            f"{native} and two stray bytes, undeclared",
            stray,
            {"encoding-doubtful"} if native == "gbk" else set(),
        ),
        (f"{native} declared as utf-8", encode(native, "utf-8"), {"encoding-doubtful"}),
        (f"{native} declared as {WRONG[lang]}", encode(native, WRONG[lang]), {"encoding-doubtful"}),
        (f"utf-8 with a {native} footer", encode("utf-8", "utf-8") + footer, {"encoding-doubtful"}),
        ("utf-16-le without a byte-order mark", encode("utf-16-le"), set()),
    ]
    if lang == "zh":
        found.append(("big5, undeclared", encode("big5"), set()))
        found.append(("gb18030 declared as gb2312", encode("gb18030", "gb2312"), set()))
    if lang == "ru":
        found.append(("koi8-r, undeclared", encode("koi8-r"), set()))
    for label in ("zlib", "idna", "punycode", "rot13", "utf-16", "x-no-such-charset"):
        found.append((f"utf-8 labelled {label}", encode("utf-8", label), {"charset-ignored"}))
    return found


def test_no_page_is_stored_as_mojibake():
    with trial(
        "hostile-encodings",
        area="bad input",
        what="silent corruption: real Chinese (MFA), Russian (Kremlin) and English pages "
        "re-encoded undeclared (GBK, Big5, windows-1251, KOI8-R, windows-1252, UTF-16 "
        "without BOM), with stray bytes, under wrong but valid declarations, with a footer "
        "in another encoding, or labelled zlib, idna, punycode, rot13, utf-16, unknown; "
        "through extract_document",
    ) as row:
        failures, runs = [], 0
        for site, name, url, lang in REAL_PAGES:
            base = summary(extract_document(read_page(site, name), url))
            text = META_CHARSET.sub("", read_page(site, name).decode("utf-8"))
            for variant, data, flags in encodings_of(text, lang):
                runs += 1
                document = extract_document(data, url)
                if summary(document) != base:
                    failures.append(f"{name} {variant}: {document.title[:40]!r}")
                elif not flags <= set(document.flags):
                    failures.append(f"{name} {variant}: flags {document.flags}, want {flags}")
        assert not failures, failures
        row.runs = runs
        row.result = (
            f"{runs}/{runs} read as the page (title, turns, quotes unchanged); every guess "
            "over lost bytes or a contradicted declaration flagged encoding-doubtful, every "
            "label that is not a text encoding ignored and flagged charset-ignored"
        )


# -- crawls on a loopback server ---------------------------------------------------------------


def crawl(db: Path, spider: str, *args: str) -> tuple[dict, float, str]:
    """``archive crawl SPIDER`` with fast fault settings; (summary, seconds, stderr)."""
    started = time.monotonic()
    result = run_archive(
        "crawl",
        spider,
        *args,
        "-s",
        "DOWNLOAD_TIMEOUT=3",
        "-s",
        "RETRY_TIMES=0",
        "--no-link",
        "-f",
        "json",
        "--db",
        str(db),
        timeout=180,
    )
    assert result.stdout, result.stderr[-3000:]
    return json.loads(result.stdout), time.monotonic() - started, result.stderr


def crawl_section(db: Path, server: FaultServer, *extra: str) -> tuple[dict, float, str]:
    """``archive crawl mfa`` of the English press-conference section on ``server``."""
    start = f"start_urls={server.url}{EN_SECTION}default.shtml"
    return crawl(db, "mfa", "-a", f"base_url={server.url}", "-a", start, *extra)


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def listing(section: str, links: list[str], next_page: str | None = None) -> bytes:
    """An MFA listing page (2015–2021 layout) linking ``links`` and its next page."""
    items = "".join(
        f'<li><a href="{link}">Regular Press Conference on June {1 + i % 28}, 2020</a></li>'
        for i, link in enumerate(links)
    )
    pager = f'<a href="{next_page}">next</a>' if next_page else ""
    return (
        f"<html><body><div class='rebox_news'><ul>{items}</ul>{pager}</div></body></html>"
    ).encode()


class Routes(dict):
    """Routes of a :class:`FaultServer`, plus behaviours chosen by a path's pattern."""

    def __init__(self, routes: dict, patterns: list[tuple[str, object]]) -> None:
        super().__init__(routes)
        self.patterns = [(re.compile(p), behaviour) for p, behaviour in patterns]

    def get(self, path, default=None):
        if path in self:
            return self[path]
        for pattern, behaviour in self.patterns:
            match = pattern.search(path)
            if match:
                return behaviour(match)
        return default


GOOD_EN = (
    PAGES / "mfa" / "www.fmprc.gov.cn.en_t1789509_press_conference_2020-06-17_zhao_lijian.html"
)


def test_the_crawler_flags_pages_it_had_to_guess(tmp_path):
    """Through the spider and pipeline: a GBK page with a stray byte and no declaration, and
    a UTF-8 page with a GBK footer, are archived readable and flagged."""
    zh = read_page("mfa", REAL_PAGES[0][1]).decode("utf-8")
    zh_too = read_page("mfa", REAL_PAGES[1][1]).decode("utf-8")
    gbk = META_CHARSET.sub("", zh).encode("gbk", errors="xmlcharrefreplace")
    stray = gbk.replace(b"</head>", b"\x80</head>", 1)
    footer = zh_too.encode("utf-8") + "<p>版权所有</p>".encode("gbk")
    routes = {
        ZH_SECTION + "default.shtml": fault_body(
            listing(ZH_SECTION, ["./t1789468.shtml", "./t1474965.shtml"])
        ),
        ZH_SECTION + "t1789468.shtml": fault_body(stray),
        ZH_SECTION + "t1474965.shtml": fault_body(footer),
    }
    db = tmp_path / "archive.db"
    with (
        trial(
            "hostile-encodings-crawled",
            area="bad input",
            what="silent corruption, crawled: mfa lang=zh crawl of a GBK transcript without a "
            "declaration and with a stray byte, and a UTF-8 one with a GBK footer",
        ) as row,
        FaultServer(routes) as server,
    ):
        crawl(
            db,
            "mfa",
            "-a",
            "lang=zh",
            "-a",
            f"base_url={server.url}",
            "-a",
            f"start_urls={server.url}{ZH_SECTION}default.shtml",
        )
        stored = {
            url: (title, json.loads(flags))
            for url, title, flags in rows(db, "SELECT url, title, flags FROM documents")
        }
        for number, page in ((1789468, REAL_PAGES[0]), (1474965, REAL_PAGES[1])):
            title, flags = stored[MFA_ZH.format(number)]
            assert title == extract_document(read_page("mfa", page[1]), page[2]).title
            assert "encoding-doubtful" in flags, flags
        row.runs = 2
        row.result = "2/2 archived with the right title and turns, flagged encoding-doubtful"


# -- 2. deep nesting ---------------------------------------------------------------------------


def nested(html: str, opening: str, closing: str, depth: int) -> str:
    """``html`` with its body wrapped ``depth`` times in ``opening``…``closing``."""
    html = re.sub(
        r"(<body[^>]*>)", lambda m: m.group(1) + opening * depth, html, count=1, flags=re.I
    )
    return html.replace("</body>", closing * depth + "</body>", 1)


def bold_lines(document, url: str, closed: bool, lines: int) -> str:
    """A transcript written as an old CMS writes it: ``<b>Speaker:</b> words<br>`` lines
    (``</b>`` left out when not ``closed``), the page's turns repeated to ``lines``."""
    turns = [(t.speaker or "Q", t.text) for t in document.turns]
    body = "".join(
        f"<b>{speaker}:{'</b>' if closed else ''} {text}<br>"
        for speaker, text in (turns * (lines // len(turns) + 1))[:lines]
    )
    return (
        f"<html><head><title>{document.title}</title></head><body>"
        f"<div id='News_Body_Title'>{document.title}</div>"
        f"<div id='News_Body_Txt_A'>{body}</div></body></html>"
    )


def test_deep_pages_are_read_whole():
    with trial(
        "hostile-deep-nesting",
        area="bad input",
        what="silent truncation: real MFA (English, Chinese) and Kremlin transcripts wrapped in "
        "300, 2,000 and 200,000 nested <div>, 400 <b> and 3,000 <font>, and transcripts written "
        "as 400 and 1,000 '<b>Speaker: words<br>' lines without </b>; through extract_document",
    ) as row:
        failures, runs, slowest = [], 0, 0.0
        for site, name, url, _ in (REAL_PAGES[0], REAL_PAGES[3], REAL_PAGES[4]):
            html = read_page(site, name).decode("utf-8")
            base = extract_document(html, url)
            cases = {
                "300 divs": nested(html, "<div>", "</div>", 300),
                "2,000 divs": nested(html, "<div>", "</div>", 2000),
                "200,000 divs": nested(html, "<div>", "</div>", 200_000),
                "400 b": nested(html, "<b>", "</b>", 400),
                "3,000 font": nested(html, "<font size=2>", "</font>", 3000),
            }
            for case, deep in cases.items():
                runs += 1
                started = time.monotonic()
                document = extract_document(deep, url)
                slowest = max(slowest, time.monotonic() - started)
                if summary(document) != summary(base) or document.text != base.text:
                    failures.append(f"{name} {case}: {len(document.turns)}/{len(base.turns)}")
        english = extract_document(read_page("mfa", REAL_PAGES[3][1]), REAL_PAGES[3][2])
        for lines in (400, 1000):
            runs += 1
            closed = extract_document(
                bold_lines(english, REAL_PAGES[3][2], True, lines), REAL_PAGES[3][2]
            )
            started = time.monotonic()
            unclosed = extract_document(
                bold_lines(english, REAL_PAGES[3][2], False, lines), REAL_PAGES[3][2]
            )
            slowest = max(slowest, time.monotonic() - started)
            if len(unclosed.turns) != len(closed.turns) or unclosed.text != closed.text:
                failures.append(
                    f"{lines} unclosed <b>: {len(unclosed.turns)} of {len(closed.turns)} turns"
                )
        assert not failures, failures
        assert slowest < 60
        row.runs = runs
        row.result = (
            f"{runs}/{runs} read whole: the same text, turns and quotes as the page unnested; "
            "each under 60 s (200,000 levels included); pages past 600 levels flagged "
            "nesting-flattened"
        )


def test_a_paragraph_longer_than_libxml2s_text_limit_is_read_whole():
    """libxml2 stops a text node at 10 MB unless its limits are lifted: a news page with one
    11.5 MB paragraph came out "no text found" (the site parsers already read it)."""
    words = "word " * 2_300_000
    page = (
        f"<html><head><title>Long</title></head><body><h1>Long</h1><p>{words}</p>"
        "<p>\u201cWe will never give up,\u201d the minister said.</p></body></html>"
    )
    with trial(
        "hostile-huge-text-node",
        area="bad input",
        what="silent truncation: a news page whose one paragraph is 11.5 MB (libxml2's text "
        "node limit is 10 MB), through extract_document",
    ) as row:
        document = extract_document(page, "https://example.com/2020/01/02/long")
        assert len(document.text) > 11_000_000
        assert [q.quote for q in document.quotes] == ["We will never give up"]
        row.runs = 1
        row.result = "read whole: 11.5 M characters of text and the quote after the paragraph"


# -- 3. unbounded work -------------------------------------------------------------------------


def test_endless_listings_end_with_the_bound_as_finish_reason(tmp_path, capsys):
    """Three sections in one crawl: a pager repeating its two documents, a pager listing
    nothing, and a pager listing a new (missing) document on every page."""

    def pager(prefix: str, links) -> object:
        def behave(match):
            n = int(match.group(1) or 0)
            return fault_body(listing("", links(n), f"./{prefix}_{n + 1}.shtml"))

        return behave

    sections = {
        "same": lambda n: ["../same/t1789509.shtml", "../same/t1683038.shtml"],
        "empty": lambda n: [],
        "fresh": lambda n: [f"../fresh/t{9000000 + n}.shtml"],
        # one transcript under a new query string on every page: one document, not thousands
        "minted": lambda n: [f"../minted/t1789509.shtml?from={n}"],
    }
    routes = Routes(
        {
            **{f"/s/same/t{n}.shtml": fault_file(GOOD_EN) for n in (1789509, 1683038)},
            "/s/minted/t1789509.shtml": fault_file(GOOD_EN),
        },
        [
            (rf"/s/{name}/default(?:_(\d+))?\.shtml$", pager("default", links))
            for name, links in sections.items()
        ],
    )
    db = tmp_path / "archive.db"
    with (
        trial(
            "hostile-endless-listings",
            area="faults",
            what="unbounded work: one mfa crawl of four endless pagers (countPage 300000000): "
            "one repeating its two documents, one listing nothing, one listing a new document on "
            "every page, one listing one transcript under a new query string on every page "
            "(ARCHIVE_LISTING_MAX_PAGES=40)",
        ) as row,
        FaultServer(routes) as server,
    ):
        starts = ",".join(f"{server.url}/s/{name}/default.shtml" for name in sections)
        report, elapsed, log = crawl(
            db,
            "mfa",
            "-a",
            f"base_url={server.url}",
            "-a",
            f"start_urls={starts}",
            "-s",
            "ARCHIVE_LISTING_MAX_PAGES=40",
        )
        pages = {
            name: sum(n for path, n in server.hits.items() if path.startswith(f"/s/{name}/default"))
            for name in sections
        }
        reason = report["sources"][0]["finish_reason"]
        assert reason.startswith("bounded:ARCHIVE_LISTING_"), reason
        assert pages["same"] <= 21 and pages["empty"] <= 20 and pages["fresh"] <= 40, pages
        assert pages["minted"] <= 21, pages
        with sqlite3.connect(db) as connection:
            minted = connection.execute(
                "SELECT url FROM documents WHERE url LIKE '%/minted/%'"
            ).fetchall()
        assert len(minted) == 1 and minted[0][0].endswith("/s/minted/t1789509.shtml"), minted
        # It stored the repeating pager's documents: cut by a bound, not failed entirely,
        # and the table says which bound (exit status 1 all the same: ok is false).
        source = report["sources"][0]
        assert source["new"] >= 1, source
        assert source["failed_entirely"] is False and source["stopped_early"] is True, source
        assert source["bound"] == reason.removeprefix("bounded:") and report["ok"] is False
        from archive.output import print_crawl_summary

        capsys.readouterr()
        print_crawl_summary(report)
        table = capsys.readouterr().out
        assert f"stopped at bound {source['bound']}" in table and "FAILED" not in table, table
        assert elapsed < 120
        row.runs = 3
        row.result = (
            f"crawl ended within 120 s, finish reason {reason.split('=')[0]}…: "
            f"{pages['same']} pages of the repeating pager, {pages['empty']} of the empty "
            f"one (ARCHIVE_LISTING_STALE_PAGES=20), {pages['fresh']} of the fresh one, "
            f"{pages['minted']} of the query-string one (1 document stored)"
        )


def test_bounds_below_one_are_refused_naming_the_setting(tmp_path):
    """A bound of 0 or less was clamped to 1 in silence: a crawl that was asked for "no
    bound" (or a typo) got a crawl of one page. Now one line naming the setting, exit 2,
    before any request, from `archive crawl` and `scrapy crawl` alike."""
    from mfa_scraper.bounds import BOUND_SETTINGS

    db = tmp_path / "c.db"
    runs = 0
    for name in BOUND_SETTINGS:
        for value in ("0", "-3"):
            result = runner.invoke(
                app, ["crawl", "blog", "-a", "site=http://127.0.0.1:9", "-s", f"{name}={value}",
                      "--db", str(db)]
            )  # fmt: skip
            line = one_line(result, (name, value))
            assert f"{name}='{value}'" in line and "at least 1" in line, line
            runs += 1
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "mfa", "-s", "ARCHIVE_LISTING_MAX_PAGES=0",
         "-s", f"ARCHIVE_DB={db}"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert "ARCHIVE_LISTING_MAX_PAGES='0': give a whole number of at least 1" in done.stderr
    assert not db.exists()
    assert runs == 8


def test_pages_of_archived_documents_are_not_a_pager_that_never_ends(tmp_path):
    """The bound counts documents new to the crawl, archived or not: an interrupted first crawl
    pages on through 30 listing pages of what it archived to reach the rest."""
    from conftest import MFA_PAGES, mfa_record

    from archive.store import Archive

    db = tmp_path / "archive.db"
    record = mfa_record(*MFA_PAGES[0])
    with Archive(db) as archive:
        for n in range(30):
            archive.upsert_document({**record, "url": MFA_EN.format(9000000 + n)})

    def page(match):
        n = int(match.group(1) or 0)
        links = [f"./t{9000000 + n}.shtml"] if n < 30 else ["./t1789509.shtml"]
        return fault_body(
            listing(EN_SECTION, links, f"./default_{n + 1}.shtml" if n < 30 else None)
        )

    routes = Routes(
        {EN_SECTION + "t1789509.shtml": fault_file(GOOD_EN)},
        [(r"default(?:_(\d+))?\.shtml$", page)],
    )
    with FaultServer(routes) as server:
        report, _, _ = crawl_section(db, server)
    assert report["sources"][0]["finish_reason"] == "finished", report
    assert (MFA_EN.format(1789509),) in rows(db, "SELECT url FROM documents")


WORDPRESS_POST = PAGES / "wordpress" / "natethayer.wordpress.com.china-says-no-comment.html"


def blog_routes(api) -> Routes:
    """A WordPress site whose sitemap index points at another index, forever, and whose REST
    API answers ``api(page)`` (a list of post URLs) claiming 100,000,000 pages."""

    def sitemap(match):
        n = int(match.group(1))
        return fault_body(
            (
                '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/'
                f'sitemap/0.9"><sitemap><loc>/post-sitemap{n + 1}.xml</loc></sitemap>'
                "</sitemapindex>"
            ).encode(),
            content_type="application/xml",
        )

    def posts(handler, _):
        page = int(urllib.parse.parse_qs(urllib.parse.urlsplit(handler.path).query)["page"][0])
        body = json.dumps([{"link": url, "title": {"rendered": "t"}} for url in api(page)])
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("X-WP-TotalPages", "100000000")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body.encode())

    return Routes(
        {"/wp-sitemap.xml": sitemap(re.match(r"(\d+)", "0")), "/wp-json/wp/v2/posts": posts},
        [
            (r"/post-sitemap(\d+)\.xml$", sitemap),
            (r"^/\d{4}/.+/$", lambda m: fault_file(WORDPRESS_POST)),
        ],
    )


def test_endless_sitemaps_and_api_pages_end(tmp_path):
    with trial(
        "hostile-endless-feeds",
        area="faults",
        what="unbounded work: blog crawls of a site whose sitemap index points at another "
        "index forever and whose REST API claims 100,000,000 pages, repeating its two posts "
        "(default bounds), or listing two new posts per page (ARCHIVE_API_MAX_PAGES=5)",
    ) as row:
        results = []
        for case, api, extra in (
            ("repeating", lambda page: ["/2013/01/a/", "/2013/01/b/"], []),
            (
                "fresh",
                lambda page: [f"/2013/{page}/a/", f"/2013/{page}/b/"],
                ["-s", "ARCHIVE_API_MAX_PAGES=5"],
            ),
        ):
            with FaultServer(blog_routes(api)) as server:
                report, elapsed, log = crawl(
                    tmp_path / f"{case}.db", "blog", "-a", f"site={server.url}", *extra
                )
                sitemaps = sum(n for p, n in server.hits.items() if "post-sitemap" in p)
                api_pages = server.hits["/wp-json/wp/v2/posts"]
            reason = report["sources"][0]["finish_reason"]
            assert reason.startswith("bounded:"), (reason, log[-2000:])
            assert sitemaps <= 4 and api_pages <= 21, (sitemaps, api_pages)
            assert elapsed < 120
            results.append(f"{case}: {api_pages} API pages, {sitemaps} sitemaps, {reason}")
        row.runs = 2
        row.result = "; ".join(results)


def test_a_crawl_keeps_to_its_wall_clock_budget(tmp_path):
    routes = Routes({}, [(r"t(\d+)\.shtml$", lambda m: fault_drip)])
    routes[EN_SECTION + "default.shtml"] = fault_body(
        listing(EN_SECTION, [f"./t{9000000 + i}.shtml" for i in range(40)])
    )
    with (
        trial(
            "hostile-crawl-budget",
            area="faults",
            what="unbounded work: mfa crawl of 40 pages that each drip a byte every 0.5 s, "
            "with CLOSESPIDER_TIMEOUT=4 (default 12 h) and DOWNLOAD_TIMEOUT=3",
        ) as row,
        FaultServer(routes) as server,
    ):
        report, elapsed, _ = crawl_section(tmp_path / "a.db", server, "-s", "CLOSESPIDER_TIMEOUT=4")
        reason = report["sources"][0]["finish_reason"]
        assert reason == "closespider_timeout", reason
        assert elapsed < 60
        from scrapy.utils.project import get_project_settings

        os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "mfa_scraper.settings")
        assert get_project_settings().getint("CLOSESPIDER_TIMEOUT") > 0  # every crawl has one
        row.runs = 1
        row.result = f"crawl ended within 60 s with finish reason {reason}"


def test_page_reads_stop_at_their_size_and_time_budgets(tmp_path, monkeypatch):
    import archive.pages

    monkeypatch.setattr(archive.pages, "PAGE_BUDGET", 3)
    monkeypatch.setattr(archive.pages, "FETCH_TIMEOUT", 2)

    routes = {
        "/drip": fault_drip,
        "/headers": fault_drip_headers,
        "/endless": fault_huge(200 * 2**20, declare=False),
        "/declared": fault_huge(200 * 2**20),
    }
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with (
        trial(
            "hostile-page-budgets",
            area="faults",
            what="unbounded work: archive extract and add of /dev/zero, /dev/urandom, a FIFO "
            "fed 100 MB, and URLs that drip the body or the headers a byte at a time, or "
            "send 200 MB with or without Content-Length (page budget 3 s for the test; 60 s)",
        ) as row,
        FaultServer(routes) as server,
    ):
        import threading

        def feed():
            with open(fifo, "wb") as out:
                try:
                    for _ in range(100):
                        out.write(b"<p>" + b"x" * 2**20)
                except BrokenPipeError:
                    pass

        threading.Thread(target=feed, daemon=True).start()
        locations = ["/dev/zero", "/dev/urandom", str(fifo), *(server.url + p for p in routes)]
        outcomes = []
        for command in ("extract", "add"):
            for location in locations:
                if location == str(fifo) and command == "add":
                    continue
                started = time.monotonic()
                result = runner.invoke(
                    app,
                    [command, location, "--db", str(tmp_path / "a.db")]
                    if command == "add"
                    else [command, location],
                )
                elapsed = time.monotonic() - started
                lines = result.output.strip().splitlines()
                assert result.exit_code == 2 and len(lines) == 1, (location, result.output)
                assert elapsed < 8, (location, elapsed)
                outcomes.append(elapsed)
        assert not (tmp_path / "a.db").exists()
        row.runs = len(outcomes)
        row.result = (
            f"{len(outcomes)}/{len(outcomes)} stopped with one line and exit 2 within 8 s "
            "(larger than 32 MB, or longer than the budget); nothing stored"
        )


def test_datasette_refuses_queries_that_would_take_gigabytes(archive_path):
    from archive.serve import build_datasette, prepare_archive

    ds = build_datasette(prepare_archive(archive_path))
    queries = {
        "select hex(zeroblob(200000000))": 400,
        "select zeroblob(1000000000)": 400,
        "select length(replace(hex(zeroblob(4000000)), '00', '000000'))": 400,
        "select length(randomblob(20000000))": 400,
        "with recursive c(x) as (select 1 union all select x + 1 from c limit 1000) "
        "select hex(zeroblob(7000000)) from c": 400,
        "with recursive c(x) as (select 1 union all select x + 1 from c) "
        "select count(*) from c": 400,
        "select group_concat(text, text) from statements, statements, statements": 400,
        "select count(*) from statements": 200,
    }

    async def ask(sql: str):
        started = time.monotonic()
        response = await ds.client.get(
            "/archive/-/query.json?_shape=array&sql=" + urllib.parse.quote(sql)
        )
        return response.status_code, time.monotonic() - started

    with trial(
        "hostile-datasette-caps",
        area="faults",
        what="unbounded work: anonymous Datasette queries: hex(zeroblob(200000000)), a 1 GB "
        "zeroblob, a 24 MB replace(), a 20 MB randomblob, 1,000 rows of 14 MB, an endless "
        "recursive count, a cross join concatenated",
    ) as row:
        slowest = 0.0
        for sql, expected in queries.items():
            status, elapsed = asyncio.run(ask(sql))
            assert status == expected, (sql, status)
            slowest = max(slowest, elapsed)
        assert slowest < 8
        row.runs = len(queries) - 1
        row.result = (
            f"{len(queries) - 1}/{len(queries) - 1} refused with a message within 8 s each (a "
            "value past 16 MB, a result past 64 MB, or past sql_time_limit_ms); an ordinary "
            "query still answers"
        )


def test_datasette_answers_a_few_requests_at_a_time_and_says_when_it_is_busy(archive_path):
    """30 concurrent anonymous requests of 56 MB each took the server to 3 GB: each held its
    result while it was rendered. Requests now wait for one of a few slots (4 by default;
    here 1), and one that cannot start in time gets 503 with Retry-After."""
    from archive.serve import build_datasette, prepare_archive

    ds = build_datasette(prepare_archive(archive_path))
    ds.config.setdefault("plugins", {})["archive-limits"] = {
        "max_concurrent_requests": 1,
        "queue_seconds": 0.5,
    }
    endless = urllib.parse.quote(
        "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
    )

    async def race():
        slow = asyncio.create_task(ds.client.get(f"/archive/-/query.json?sql={endless}"))
        for _ in range(500):  # until the slow one holds the slot (built with the first app)
            gate = getattr(ds, "_archive_request_gate", None)
            if gate is not None and gate.slots.locked():
                break
            await asyncio.sleep(0.01)
        busy = await ds.client.get("/archive/speakers.json?_size=1")
        stopped = await slow  # at sql_time_limit_ms
        after = await ds.client.get("/archive/speakers.json?_size=1")
        return busy, stopped, after

    with trial(
        "hostile-datasette-concurrency",
        area="faults",
        what="unbounded work: more concurrent Datasette requests than the server lets run "
        "(max_concurrent_requests=1, queue_seconds=0.5): a request behind an endless query",
    ) as row:
        busy, stopped, after = asyncio.run(race())
        assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
        assert "busy" in busy.text
        assert stopped.status_code == 400 and after.status_code == 200
        row.runs = 1
        row.result = (
            "the second request was answered 503 (Retry-After: 5) after 0.5 s instead of "
            "running beside the first; once the first ended (its time limit), requests ran again"
        )


# -- 4. refusals -------------------------------------------------------------------------------


def not_pages(tmp_path: Path) -> dict[str, Path]:
    rng = random.Random(17)
    made = {
        "PNG": b"\x89PNG\r\n\x1a\n" + rng.randbytes(2000),
        "JPEG": b"\xff\xd8\xff\xe0" + rng.randbytes(2000),
        "GIF": b"GIF89a" + rng.randbytes(500),
        "PDF": b"%PDF-1.7\n" + rng.randbytes(2000),
        "gzip of a page": gzip.compress(GOOD_EN.read_bytes()),
        "ELF": b"\x7fELF" + rng.randbytes(1000),
        "SQLite": b"SQLite format 3\x00" + bytes(4000),
        "empty": b"",
        "blank": b" \n\t\n",
        "NUL bytes": bytes(5000),
        "plain text": b"Notes to self: call the ministry on Monday.\n" * 20,
        "HTML without text": b"<html><head><script>var a = 1;</script></head><body></body></html>",
    }
    for seed in range(6):
        made[f"random bytes #{seed}"] = random.Random(seed).randbytes(1000 * (seed + 1))
    paths = {}
    for name, data in made.items():
        path = tmp_path / f"file{len(paths)}.html"
        path.write_bytes(data)
        paths[name] = path
    archive_zip = tmp_path / "page.zip"
    with zipfile.ZipFile(archive_zip, "w") as z:
        z.write(GOOD_EN, "page.html")
    paths["ZIP of a page"] = archive_zip
    return paths


def test_files_that_are_not_pages_are_refused(tmp_path):
    files = not_pages(tmp_path)
    db = tmp_path / "archive.db"
    with trial(
        "hostile-not-pages",
        area="misuse",
        what="things accepted that should be refused: archive add of PNG, JPEG, GIF, PDF, "
        "gzip, ZIP, ELF and SQLite files, empty, blank and NUL files, random bytes (6 seeds), "
        "plain text and an HTML page without text",
    ) as row:
        for name, path in files.items():
            result = runner.invoke(app, ["add", str(path), "--db", str(db)])
            lines = result.output.strip().splitlines()
            assert result.exit_code == 2 and len(lines) == 1, (name, result.output)
            assert lines[0].startswith("Error: ") and "Traceback" not in result.output
        assert not db.exists()  # nothing stored, not even an empty archive
        result = runner.invoke(
            app, ["add", str(GOOD_EN), "--url", MFA_EN.format(1789509), "--db", str(db)]
        )
        assert result.exit_code == 0 and result.output.startswith("new: ")
        row.runs = len(files)
        row.result = (
            f"{len(files)}/{len(files)} refused: one line naming what the file is, exit 2, "
            "no archive created; a real page after them is stored"
        )


def test_redirects_to_another_port_are_not_archived_under_that_url(tmp_path):
    db = tmp_path / "archive.db"
    with FaultServer(
        {
            EN_SECTION + "t1789509.shtml": fault_file(GOOD_EN),
            "/elsewhere/t1789509.shtml": fault_file(GOOD_EN),
        }
    ) as other:
        port = other.url.rsplit(":", 1)[1]
        routes = {
            EN_SECTION + "default.shtml": fault_body(
                listing(EN_SECTION, ["./t1000001.shtml", "./t1000002.shtml", "./t1000003.shtml"])
            ),
            EN_SECTION + "t1000001.shtml": fault_redirect(
                other.url + EN_SECTION + "t1789509.shtml"
            ),
            EN_SECTION + "t1000002.shtml": fault_redirect(
                f"http://localhost:{port}/elsewhere/t1789509.shtml"
            ),
            EN_SECTION + "t1000003.shtml": fault_redirect(
                f"https://127.0.0.1:{port}{EN_SECTION}t1789509.shtml"
            ),
        }
        with (
            trial(
                "hostile-port-redirects",
                area="misuse",
                what="things accepted that should be refused: mfa crawl whose documents "
                "redirect to another port of the same loopback host (http and https) and to "
                "another host on that port",
            ) as row,
            FaultServer(routes) as server,
        ):
            report, _, _ = crawl_section(db, server)
            assert sum(other.hits.values()) == 0, other.hits
            assert rows(db, "SELECT url FROM documents") == []
            # Refused, but not silently: each is a failed fetch the summary counts and the
            # next crawl asks again, under the URL the listing gave.
            assert report["failed"] == 3, report
            failures = rows(db, "SELECT url, reason FROM fetch_failures ORDER BY url")
            assert [url.rsplit("/", 1)[1] for url, _ in failures] == [
                f"t100000{n}.shtml" for n in (1, 2, 3)
            ], failures
            assert all(r.startswith("redirect off the site to ") for _, r in failures), failures
            assert f":{port}/" in failures[0][1], failures
            row.runs = 3
            row.result = (
                "3/3 refused as off-site: the other port never asked, nothing archived under "
                "its URL; each recorded as a failed fetch 'redirect off the site to …'"
            )


BAD_VALUES = [
    ["pairs", "--since", "2020-13-45"],
    ["pairs", "--until", "last year"],
    ["pairs", "--chars", "-5"],
    ["pairs", "--limit", "-1"],
    ["pairs", "--update", "--since", "2021-02-30"],
    ["speakers", "--kind", "robot"],
    ["speakers", "--kind", ""],
    ["search", "China", "--limit", "-3"],
    ["serve", "--port", "70000"],
    ["serve", "--port", "-1"],
    ["ingest", "--batch", "0", "--redis", "redis://127.0.0.1:9"],
    ["timeline", "--by", "fortnight"],
]


def test_out_of_range_option_values_are_refused(archive_path):
    with trial(
        "hostile-option-values",
        area="misuse",
        what="things accepted that should be refused: impossible dates, negative counts, "
        "unknown speaker kinds, ports past 65535, a zero batch",
    ) as row:
        for args in BAD_VALUES:
            result = runner.invoke(app, [*args, "--db", str(archive_path)])
            lines = result.output.strip().splitlines()
            assert result.exit_code == 2 and len(lines) == 1, (args, result.output)
            assert lines[0].startswith("Error: ")
        row.runs = len(BAD_VALUES)
        row.result = f"{len(BAD_VALUES)}/{len(BAD_VALUES)} refused: one line 'Error: …', exit 2"


# -- 5. one line, not a traceback --------------------------------------------------------------


def one_line(result, args) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, (args, result.exit_code, result.output[-2000:])
    assert "Traceback" not in result.output, (args, result.output[-3000:])
    assert len(lines) == 1 and lines[0].startswith("Error: "), (args, result.output[-2000:])
    return lines[0]


def test_odd_inputs_are_one_line_errors(archive_path, tmp_path, monkeypatch):
    big = str(2**63)
    huge = "9" * 30
    words = " ".join(
        random.Random(5).choice(["China", "sanctions", "said", "the", "trade"]) for _ in range(2000)
    )
    cases = [
        ["show", big],
        ["show", huge],
        ["history", huge],
        ["trace", big],
        ["pairs", huge],
        ["pairs", "--document", big],
        ["search", "China", "--limit", huge],
        ["timeline", "China", "--speaker", "x" * 5],
        ["search", words],
        ["timeline", words],
        ["search", "(" * 3000 + "China" + ")" * 3000],
    ]
    jsonl = tmp_path / "texts.jsonl"
    jsonl.write_bytes(
        b'{"id": 1, "text": "He said \\u201cyes\\u201d."}\n'
        + b"\xff\xfe not utf-8\n"
        + b"[" * 100_000
        + b"]" * 100_000
        + b"\n"
        + b'{"id": 2, "text": "The minister said: \\u201ca\\ud800b is all.\\u201d"}\n'
        + b'{"id": 3, "text": 1e999}\n'
        + b'{"id": 4}\n'
    )
    with trial(
        "hostile-one-line-errors",
        area="misuse",
        what="tracebacks where one line was promised: ids and limits of 2^63 and 10^30, "
        "queries of 2,000 words and 3,000 nested parentheses, a JSONL input with a line that is "
        "not UTF-8, one nested 100,000 deep, a lone surrogate, a number for text; serve "
        "--setting max_returned_rows=10; -s DOWNLOAD_DELAY=abc, CONCURRENT_REQUESTS=1.5, "
        "ROBOTSTXT_OBEY=maybe, ITEM_PIPELINES=x",
    ) as row:
        runs = 0
        for args in cases:
            result = runner.invoke(app, [*args, "--db", str(archive_path)])
            runs += 1
            if result.exit_code == 0:  # an answer (or "No statements found.") is fine too
                continue
            one_line(result, args)
        result = runner.invoke(app, ["quotes", "-i", str(jsonl)])
        runs += 1
        errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
        answers = [line for line in result.output.splitlines() if line.startswith("{")]
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert len(errors) == 4 and len(answers) == 2, result.output
        import archive.serve

        served = {}
        monkeypatch.setattr(archive.serve, "run", lambda ds, **kw: served.update(ds=ds))
        result = runner.invoke(
            app,
            [
                "serve",
                "--setting",
                "max_returned_rows=10",
                "--port",
                "0",
                "--db",
                str(archive_path),
            ],
        )
        runs += 1
        assert result.exit_code == 0, result.output
        assert served["ds"].setting("max_returned_rows") == 10
        for setting in (
            "DOWNLOAD_DELAY=abc",
            "CONCURRENT_REQUESTS=1.5",
            "ROBOTSTXT_OBEY=maybe",
            "ITEM_PIPELINES=x",
        ):
            result = runner.invoke(
                app, ["crawl", "mfa", "-s", setting, "--db", str(tmp_path / "c.db")]
            )
            runs += 1
            assert setting.split("=")[0] in one_line(result, setting)
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "mfa",
                "-s",
                "DOWNLOAD_DELAY=abc",
                "-s",
                f"ARCHIVE_DB={tmp_path / 'c.db'}",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        runs += 1
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-2000:]
        assert "DOWNLOAD_DELAY='abc': give a number" in done.stderr
        row.runs = runs
        row.result = (
            f"{runs}/{runs}: one line 'Error: …' and exit 2 (or an answer), never a traceback; "
            "a bad JSONL line is one error line and the others are answered; --setting "
            "overrides the configuration"
        )


def damage(source: Path, path: Path, kind: str) -> None:
    """A copy of the archive ``source`` at ``path``, damaged the way ``kind`` says."""
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):  # of the last command
        leftover.unlink(missing_ok=True)
    shutil.copy(source, path)
    if kind == "corrupt pages":
        with sqlite3.connect(source) as conn:
            page = conn.execute("PRAGMA page_size").fetchone()[0]
            roots = [
                r
                for (r,) in conn.execute(
                    "SELECT rootpage FROM sqlite_master WHERE name IN ('statements', 'documents', "
                    "'speakers', 'idx_statements_speaker_id_date')"
                )
            ]
        data = bytearray(path.read_bytes())
        rng = random.Random(3)
        for root in roots:
            data[(root - 1) * page + 8 : root * page] = rng.randbytes(page - 8)
        path.write_bytes(bytes(data))
        return
    statements = {
        "a damaged full-text index": [
            "UPDATE statements_fts_data SET block = zeroblob(length(block)) WHERE id > 10"
        ],
        "schema version -1": ["PRAGMA user_version = -1"],
        "schema version 0": ["PRAGMA user_version = 0"],
        "schema version 99": ["PRAGMA user_version = 99"],
        "a table dropped": ["DROP TABLE speaker_aliases"],
        "the view dropped": ["DROP VIEW statements_view"],
        "a column renamed": ["ALTER TABLE statements RENAME COLUMN text TO words"],
        "a column dropped": [
            "DROP VIEW statements_view",
            "ALTER TABLE documents DROP COLUMN flags",
        ],
    }[kind]
    with sqlite3.connect(path) as conn:
        for statement in statements:
            conn.execute(statement)


DAMAGES = [
    "corrupt pages",
    "a damaged full-text index",
    "schema version -1",
    "schema version 0",
    "schema version 99",
    "a table dropped",
    "the view dropped",
    "a column renamed",
    "a column dropped",
]
#: Every command that opens an archive: misuse's readers, and those that write.
COMMANDS = [
    *READERS,
    ["pairs"],
    ["trace", "1"],
    ["link"],
    ["add", "PAGE", "--url", MFA_EN.format(2)],
    ["crawl", "mfa", "-a", "base_url=SERVER"],
]


def run_on(args: list[str], db: Path, server: str = "http://127.0.0.1:9"):
    """(exit status, output) of one command on ``db``; a crawl (of ``server``) runs in its
    own process (Twisted's reactor starts once per process)."""
    args = [str(GOOD_EN) if a == "PAGE" else a.replace("SERVER", server) for a in args]
    if args[0] == "crawl":
        # (monitors off: a crawl of a server that has nothing fails them, and says so at length)
        done = run_archive(
            *args,
            "-s",
            "DOWNLOAD_TIMEOUT=1",
            "-s",
            "RETRY_TIMES=0",
            "-s",
            "SPIDERMON_ENABLED=0",
            "--no-link",
            "--db",
            str(db),
        )
        return done.returncode, done.stderr + done.stdout
    result = runner.invoke(app, [*args, "--db", str(db)])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return 99, f"{result.output}\nTraceback: {result.exception!r}"
    return result.exit_code, result.output


def test_damaged_archives_name_their_damage_on_every_command(archive_path, tmp_path, monkeypatch):
    import archive.serve

    monkeypatch.setattr(archive.serve, "run", lambda ds, **kw: None)
    with trial(
        "hostile-damaged-archives",
        area="misuse",
        what="tracebacks where one line was promised: every command that opens an archive "
        "(13) on archives with corrupt pages, a damaged full-text index, schema version -1, 0 "
        "or 99, a table or the view dropped, a column renamed or dropped; then archive check",
    ) as row:
        runs, refused, answered = 0, 0, 0
        for kind in DAMAGES:
            for args in COMMANDS:
                # A file of its own each time: a command may leave a connection to the last.
                db = tmp_path / f"damaged-{runs}.db"
                damage(archive_path, db, kind)
                with FaultServer({}) as site:  # every page 404: a crawl that finds nothing
                    status, output = run_on(args, db, site.url)
                runs += 1
                assert "Traceback" not in output, (kind, args, output[-3000:])
                lines = [line for line in output.splitlines() if line.startswith("Error: ")]
                if status == 2:
                    assert len(lines) == 1, (kind, args, output[-2000:])
                    assert "archive check" in lines[0] or "newer" in lines[0], (kind, lines)
                    refused += 1
                else:  # it read nothing the damage touches (a crawl: of a server that is down)
                    assert status in (0, 1) and not lines, (kind, args, status, output[-2000:])
                    answered += 1
            check = runner.invoke(app, ["check", "--db", str(db)])
            runs += 1
            assert check.exit_code == 1 and "DAMAGED" in check.output, (kind, check.output)
            assert "what to do" in check.output, check.output
        damage(archive_path, db, "a damaged full-text index")
        repaired = runner.invoke(app, ["check", "--repair", "--db", str(db)])
        assert repaired.exit_code == 0 and "rebuilt" in repaired.output, repaired.output
        found = runner.invoke(app, ["search", "LAC", "-f", "json", "--db", str(db)])
        assert found.exit_code == 0 and json.loads(found.output)
        sound = runner.invoke(app, ["check", "--db", str(archive_path)])
        assert sound.exit_code == 0 and "is sound" in sound.output, sound.output
        row.runs = runs + 2
        row.result = (
            f"no traceback in {runs}: {refused} refused with one line naming the damage and "
            f"pointing to archive check (a newer version: to upgrade), {answered} answered "
            "from undamaged parts; archive check exit 1 naming each damage and what to do; "
            "--repair rebuilt the index and search found again"
        )


@pytest.fixture
def read_only_mount(archive_path, tmp_path):
    """A directory on a file system mounted read-only, holding the archive (needs root)."""
    mount = tmp_path / "ro"
    mount.mkdir()
    if not hasattr(os, "geteuid") or os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("cannot mount a tmpfs here (not root)")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode:
        pytest.skip("cannot mount a tmpfs here")
    shutil.copy(archive_path, mount / "archive.db")
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def test_crawls_on_a_read_only_file_system_are_one_line(read_only_mount):
    with trial(
        "hostile-read-only-crawls",
        area="faults",
        what="tracebacks where one line was promised: archive crawl and scrapy crawl into an "
        "archive on a read-only file system, and into a new one there",
    ) as row:
        runs = 0
        for db in (read_only_mount / "archive.db", read_only_mount / "new.db"):
            result = runner.invoke(app, ["crawl", "mfa", "--db", str(db)])
            assert "read-only" in one_line(result, db) or "cannot" in result.output
            done = subprocess.run(
                [sys.executable, "-m", "scrapy", "crawl", "mfa", "-s", f"ARCHIVE_DB={db}"],
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
            )
            assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr[-2000:]
            assert f"cannot write {db}" in done.stderr
            runs += 2
        row.runs = runs
        row.result = f"{runs}/{runs}: one line 'cannot write …', exit 2, before any request"


# -- 6. --db -----------------------------------------------------------------------------------


def test_db_means_one_file_to_every_command(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    refused = [":memory:", "file:uri.db", "file:uri.db?mode=memory", "FILE:x.db", "", ":memory:x"]
    commands = [c for c in COMMANDS if c[0] != "crawl"] + [["crawl", "mfa"], ["check"]]
    odd_names = ["a?b.db", "a#b.db", "with space.db", "päth%20.db", "sub/../nested.db"]
    (tmp_path / "sub").mkdir()
    with trial(
        "hostile-db-paths",
        area="misuse",
        what="--db means one file: every command given ':memory:', file: URIs (with and "
        "without ?mode=memory), an empty path; and archive add then stats, search and check "
        "on files named with ?, #, spaces, %20 and ..; also ARCHIVE_DB=:memory:",
    ) as row:
        runs = 0
        for value in refused:
            for args in commands:
                args = [str(GOOD_EN) if a == "PAGE" else a for a in args]
                line = one_line(runner.invoke(app, [*args, "--db", value]), [*args, value])
                assert "--db" in line, line
                runs += 1
        monkeypatch.setenv("ARCHIVE_DB", ":memory:")
        one_line(runner.invoke(app, ["stats"]), "ARCHIVE_DB=:memory:")
        runs += 1
        monkeypatch.delenv("ARCHIVE_DB")
        leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name != "sub")
        assert leftovers == [], leftovers
        for name in odd_names:
            added = runner.invoke(
                app, ["add", str(GOOD_EN), "--url", MFA_EN.format(1789509), "--db", name]
            )
            assert added.exit_code == 0, added.output
            stats = runner.invoke(app, ["stats", "-f", "json", "--db", name])
            assert json.loads(stats.output)["documents"] == 1, (name, stats.output)
            checked = runner.invoke(app, ["check", "--db", name])
            assert checked.exit_code == 0, checked.output
            runs += 1
        made = sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".db")
        assert len(made) == len(odd_names), made  # one file each, under its own name
        row.runs = runs
        row.result = (
            f"{runs}/{runs}: ':memory:', URIs and empty paths refused with one line naming "
            "--db and no file created; add, stats and check meet the same file whatever its "
            "name holds"
        )


def test_an_empty_file_is_no_archive_yet_to_every_command(tmp_path, monkeypatch):
    """A 0-byte --db was "damaged" to archive check, "no archive yet" to stats, and had a
    whole schema written into it by archive pairs. Now every command that needs an archive
    says "no archive … yet" in one line and leaves the file as it is; a command that makes
    an archive (add, crawl) creates it there, as in a missing file."""
    import archive.serve

    monkeypatch.setattr(archive.serve, "run", lambda ds, **kw: None)
    db = tmp_path / "empty.db"
    needing = [c for c in COMMANDS if c[0] not in ("add", "crawl")] + [["check"], ["link"]]
    with trial(
        "hostile-empty-db",
        area="misuse",
        what="--db naming an empty (0-byte) file: every command that reads or updates an "
        "archive, archive check, then archive add",
    ) as row:
        for args in needing:
            db.write_bytes(b"")
            line = one_line(runner.invoke(app, [*args, "--db", str(db)]), args)
            assert "no archive in" in line and "yet" in line, (args, line)
            assert db.stat().st_size == 0, (args, "wrote into the empty file")
        added = runner.invoke(app, ["add", str(GOOD_EN), "--url", MFA_EN.format(1789509),
                                    "--db", str(db)])  # fmt: skip
        assert added.exit_code == 0, added.output
        assert runner.invoke(app, ["check", "--db", str(db)]).exit_code == 0
        stats = runner.invoke(app, ["stats", "-f", "json", "--db", str(db)])
        assert json.loads(stats.output)["documents"] == 1, stats.output
        row.runs = len(needing) + 1
        row.result = (
            f"{len(needing)}/{len(needing)}: one line 'no archive in … yet', exit 2, the file "
            "left empty (check no longer calls it damaged); add creates the archive in it"
        )
