"""Fuzzing every page extractor: random, malformed, truncated, mis-encoded and huge pages.

The contract under test (README, ``Document.flags``): an extractor never raises
anything but its documented refusal (``ExtractionError``, ``FeedError``), and
what it returns can be validated and stored — with a flag where something
could not be extracted. Hypothesis builds pages from tag soup, and mutates
real pages of tests/pages (cut at a random byte, re-encoded as GBK, GB2312,
windows-1251 or UTF-16, declared in the wrong charset, turned to mojibake,
sprinkled with NUL and binary bytes).
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reliability import fuzz_settings, trial
from scrapy.exceptions import DropItem

from archive.store import Archive
from mfa_scraper.items import Document
from mfa_scraper.page import challenge, encoding, feeds
from mfa_scraper.pipelines import ValidatePipeline
from mfa_scraper.records import document_record
from mfa_scraper.sites import diplomat, kremlin, mfa
from mfa_scraper.sites import dispatch as document
from mfa_scraper.sites import state as state_gov

PAGES = Path(__file__).parent / "pages"

#: Real pages of each site, the seeds that mutations start from.
SEEDS = {
    "mfa": PAGES
    / "mfa"
    / "www.fmprc.gov.cn.en_t1789509_press_conference_2020-06-17_zhao_lijian.html",
    "mfa-zh": PAGES / "mfa" / "www.fmprc.gov.cn.zh_t1614117_spokesperson_remarks_2018-11-18.html",
    "mfa-listing": PAGES / "mfa" / "www.fmprc.gov.cn.en_listing_2511_665403_default.shtml.html",
    "kremlin": PAGES / "kremlin" / "news_54979_press_statements_russia_china_2017-07-04.html",
    "kremlin-listing": PAGES / "kremlin" / "listing_news_page_2.html",
}
#: A URL of each site, so that ``extract_document`` picks each site extractor and the generic one.
URLS = {
    "mfa": "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/t1789509.shtml",
    "kremlin": "http://en.kremlin.ru/events/president/news/54979",
    "state": "https://www.state.gov/briefings/department-press-briefing-january-6-2020/",
    "diplomat": "https://thediplomat.com/2020/01/some-article/",
    "article": "https://news.example.org/2020/06/17/story.html",
}
#: Listing pages: the MFA's third page (so countPage decides the next), a Kremlin page.
LISTING_URL = URLS["mfa"].replace("t1789509", "default_3")
KREMLIN_PAGE = "http://en.kremlin.ru/events/president/news/page/2"
#: What an extractor may raise on purpose: its documented refusal of a page.
REFUSALS = (mfa.ExtractionError, kremlin.ExtractionError, feeds.FeedError)
#: Text no stored field may contain: C0 controls other than tab and newline reach terminals.
CONTROL = {chr(c) for c in range(32)} - {"\n", "\t"}


def _seed(name: str) -> bytes:
    return SEEDS[name].read_bytes()


# -- strategies ---------------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40
) | st.sampled_from(
    [
        "Q: ",
        "A: ",
        "Zhao Lijian: ",
        "Hua Chunying:",
        "Vladimir Putin:",
        "问：",
        "答：",
        "“",
        "”",
        '"',
        "«",
        "said",
        " he said. ",
        "June 17, 2020",
        "2020-06-17",
        "17.06.2020",
        "Feb 30, 2021",
        "9999-99-99",
        "外交部发言人赵立坚主持例行记者会",
        "Лавров заявил",
        "\x00",
        "&amp;",
        "&#0;",
        "&#x110000;",
        "&bogus;",
        "]]>",
        "<![CDATA[",
        "\ufeff",
    ]
)
_TAGS = [
    "p", "div", "span", "strong", "b", "br", "h1", "h2", "title", "meta", "script", "a", "time",
    "article", "table", "td", "li", "pre", "template", "svg", "html", "body", "head", "iframe",
]  # fmt: skip
_ATTRS = st.sampled_from(
    [
        "",
        ' class="content"',
        ' class="TRS_UEDITOR"',
        ' class="hentry"',
        ' class="entry-title"',
        ' class="title"',
        ' id="News_Body_Txt_A"',
        ' href="./t1789509.shtml"',
        ' href="./202407/t20240715_11453678.html"',
        ' href="default_1.shtml"',
        ' href="javascript:void(0)"',
        ' href="http://[::1"',
        ' rel="next" href="/events/president/news/page/3"',
        ' href="/events/president/news/99999999999999999999"',
        ' name="ArticleTitle" content="Foreign Ministry Spokesperson\'s Press Conference"',
        ' name="PubDate" content="2020-13-45 99:99"',
        ' property="article:published_time" content="not a date"',
        ' datetime="2020-06-17T25:61"',
        ' charset="gb2312"',
        ' lang="zh-CN"',
        ' type="application/ld+json"',
        ' style="x"',
    ]
)
_SCRIPTS = st.sampled_from(
    [
        "var countPage = 300000000",
        "var countPage = 0",
        "var countPage = -1",
        'var countPage = "x"',
        '{"@type": "NewsArticle", "datePublished": "2020-02-30", "author": [{"name": null}]}',
        '{"@graph": [[[[]]]], "headline": 5}',
        "[1, 2, ",
    ]
)


@st.composite
def tag_soup(draw) -> str:
    """HTML from the hooks the extractors look for, nested at random, often left unclosed."""
    parts: list[str] = []
    open_tags: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        action = draw(st.integers(0, 5))
        if action <= 1:
            tag = draw(st.sampled_from(_TAGS))
            parts.append(f"<{tag}{draw(_ATTRS)}>")
            open_tags.append(tag)
            if tag == "script":
                parts.append(draw(_SCRIPTS))
        elif action == 2 and open_tags and draw(st.booleans()):
            parts.append(f"</{open_tags.pop()}>")
        else:
            parts.append(draw(_TEXT))
    return "".join(parts)


@st.composite
def mutated_page(draw) -> bytes:
    """A real page, broken the ways real servers and old CMSs break pages."""
    page = _seed(draw(st.sampled_from(sorted(SEEDS))))
    mutation = draw(
        st.sampled_from(
            [
                "truncate",
                "flip",
                "gbk",
                "gb2312-declared-utf8",
                "cp1251",
                "utf16",
                "mojibake",
                "nul",
                "splice",
                "none",
            ]
        )  # fmt: skip
    )
    if mutation == "truncate":
        return page[: draw(st.integers(0, len(page)))]
    if mutation == "flip":
        data = bytearray(page)
        for _ in range(draw(st.integers(1, 50))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    text = encoding.decode_html(page)
    if mutation == "gbk":  # older Chinese pages: GBK, declared GB2312 or not at all
        body = text.replace("utf-8", "gb2312").replace("UTF-8", "GB2312")
        return body.encode("gbk", errors="replace")
    if mutation == "gb2312-declared-utf8":  # declared one thing, sent another
        return text.encode("gb2312", errors="replace")
    if mutation == "cp1251":
        return ("<p>Лавров: «Мы ответим», — сказал министр.</p>" + text).encode(
            "cp1251", errors="replace"
        )
    if mutation == "utf16":
        return text.encode(draw(st.sampled_from(["utf-16", "utf-16-le", "utf-32"])))
    if mutation == "mojibake":
        return text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    if mutation == "nul":
        cut = draw(st.integers(0, len(page)))
        return page[:cut] + b"\x00" * draw(st.integers(1, 100)) + page[cut:]
    if mutation == "splice":
        cut = draw(st.integers(0, len(page)))
        return page[:cut] + draw(st.binary(min_size=1, max_size=200)) + page[cut:]
    return page


PAGE_BODIES = st.one_of(
    tag_soup().map(lambda html: html.encode("utf-8", errors="surrogatepass")),
    tag_soup().map(lambda html: html.encode("gb18030", errors="replace")),
    mutated_page(),
    st.binary(max_size=3000),
    st.sampled_from([b"", b" ", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"<", b"<!DOCTYPE html>"]),
)


# -- the checks -----------------------------------------------------------------------------------


def _check_document(doc: Document) -> None:
    """What any extractor returns can be validated, turned into a record, and is clean text."""
    assert isinstance(doc, Document)
    for value in (doc.title, doc.text, *(t.text for t in doc.turns)):
        assert isinstance(value, str)
        assert not CONTROL & set(value), repr(value[:200])
    for turn in doc.turns:
        for quote in turn.quotes:
            assert turn.text[quote.start : quote.end] == quote.quote
    if doc.published:
        assert doc.published[:4].isdigit(), doc.published
    document_record(doc)


def _validated(doc: Document) -> str:
    """``stored`` or ``stored-flagged`` if the pipeline keeps it, else ``skipped``."""
    try:
        ValidatePipeline().process_item(doc)
    except DropItem:
        return "skipped"
    return "stored-flagged" if doc.flags else "stored"


def _run(function, *args, **kwargs) -> str:
    try:
        result = function(*args, **kwargs)
    except REFUSALS:
        return "refused"
    if isinstance(result, Document):
        _check_document(result)
        return _validated(result)
    return "parsed"


def _summary(outcomes: Counter) -> str:
    parts = ", ".join(f"{count} {name}" for name, count in sorted(outcomes.items()))
    return f"0 unhandled exceptions ({parts})"


# -- tests ------------------------------------------------------------------------------------


def test_fuzz_every_page_extractor_through_extract_document():
    """Each site extractor and the generic one, chosen by URL as ``archive extract`` does."""
    outcomes: Counter = Counter()
    with trial(
        "fuzz-extract-document",
        area="bad input",
        what="random tag soup, binary and empty bodies, and real MFA/Kremlin pages truncated, "
        "bit-flipped, re-encoded (GBK, GB2312, windows-1251, UTF-16/32), mojibake, NUL bytes, "
        "through extract_document under MFA, Kremlin, state.gov, Diplomat and other URLs, "
        "then validated and turned into archive records",
    ) as row:

        @fuzz_settings(300)
        @given(body=PAGE_BODIES, site=st.sampled_from(sorted(URLS)))
        def attack(body: bytes, site: str) -> None:
            outcomes[_run(document.extract_document, body, URLS[site])] += 1

        attack()
        row.runs = sum(outcomes.values())
        row.result = _summary(outcomes)


def test_fuzz_listing_feed_and_detection_parsers():
    """Listing pages (broken pagination included), feeds, sitemaps, REST answers, detectors."""
    parsers = {
        "mfa.parse_listing": lambda b: mfa.parse_listing(b, LISTING_URL),
        "kremlin.parse_kremlin_listing": lambda b: kremlin.parse_kremlin_listing(b, KREMLIN_PAGE),
        "kremlin.parse_kremlin_feed": kremlin.parse_kremlin_feed,
        "state.parse_listing": lambda b: state_gov.parse_listing(b, URLS["state"]),
        "diplomat.parse_listing": lambda b: diplomat.parse_listing(b, URLS["diplomat"]),
        "feeds.parse_feed": lambda b: feeds.parse_feed(b, URLS["article"]),
        "feeds.parse_sitemap": lambda b: feeds.parse_sitemap(b, URLS["article"]),
        "feeds.parse_wp_posts": lambda b: feeds.parse_wp_posts(b, URLS["article"]),
        "feeds.sniff": feeds.sniff,
        "feeds.feed_links": lambda b: feeds.feed_links(b, URLS["article"]),
        "feeds.wp_api_root": lambda b: feeds.wp_api_root(b, URLS["article"]),
        "challenge.detect_challenge": challenge.detect_challenge,
        "encoding.decode_html": encoding.decode_html,
    }  # fmt: skip
    outcomes: Counter = Counter()
    with trial(
        "fuzz-listings-feeds",
        area="bad input",
        what="the same hostile bodies plus XML soup through every listing parser (MFA countPage "
        "of 0, -1, 300000000; Kremlin rel=next), feed, sitemap and WordPress REST parser, the "
        "challenge detector and the decoder",
    ) as row:
        xml_soup = tag_soup().map(
            lambda html: f'<?xml version="1.0"?><rss><channel><item>{html}</item></channel></rss>'
        )

        @fuzz_settings(200)
        @given(
            body=st.one_of(PAGE_BODIES, xml_soup.map(str.encode)),
            name=st.sampled_from(sorted(parsers)),
        )
        def attack(body: bytes, name: str) -> None:
            started = time.monotonic()
            outcomes[_run(parsers[name], body)] += 1
            assert time.monotonic() - started < 20, (
                f"{name} took {time.monotonic() - started:.0f} s"
            )

        attack()
        row.runs = sum(outcomes.values())
        row.result = _summary(outcomes)


def test_fuzz_stored_records_keep_the_archive_whole(tmp_path):
    """What survives validation is stored; a second store changes nothing; integrity holds."""
    outcomes: Counter = Counter()
    with (
        trial(
            "fuzz-store",
            area="bad input",
            what="hostile pages extracted and stored in one archive twice over, then "
            "PRAGMA integrity_check and foreign_key_check",
        ) as row,
        Archive(tmp_path / "archive.db") as archive,
    ):

        @fuzz_settings(100)
        @given(body=PAGE_BODIES, site=st.sampled_from(sorted(URLS)), n=st.integers(0, 10**6))
        def attack(body: bytes, site: str, n: int) -> None:
            url = f"{URLS[site]}?fuzz={n}"
            try:
                doc = document.extract_document(body, url)
            except REFUSALS:
                outcomes["refused"] += 1
                return
            if _validated(doc) == "skipped":
                outcomes["skipped"] += 1
                return
            record = document_record(doc, fetched="2026-01-01T00:00:00+00:00")
            first = archive.upsert_document(record)
            if first == "duplicate":  # the same text at the same URL under another ?fuzz=
                assert archive.upsert_document(record) == "duplicate"
                outcomes["duplicate"] += 1
                return
            assert archive.upsert_document(record) == "unchanged", first
            outcomes["stored"] += 1

        attack()
        assert archive.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert archive.db.execute("PRAGMA foreign_key_check").fetchall() == []
        row.runs = sum(outcomes.values())
        row.result = _summary(outcomes) + "; integrity_check ok, re-store unchanged"


@pytest.mark.parametrize("site", ["mfa", "kremlin", "article"])
def test_a_50_mb_page_is_extracted_in_bounded_time(site):
    """A real page bloated to 50 MB by an inline data blob (as CMS exports do) takes seconds.

    The crawler never downloads it (``DOWNLOAD_MAXSIZE``, see test_faults) and ``archive
    extract`` refuses it (test_misuse); this is the extractor's own guard.
    """
    with trial(
        f"50mb-page-{site}",
        area="bad input",
        what=f"a real page padded to 50 MB by an inline script, through extract_document "
        f"under the {site} URL",
    ) as row:
        seed = _seed("kremlin" if site == "kremlin" else "mfa")
        blob = b"<script>var data = '" + b"x" * (50 * 2**20) + b"';</script>"
        body = seed.replace(b"</body>", blob + b"</body>")
        started = time.monotonic()
        outcome = _run(document.extract_document, body, URLS[site])
        elapsed = time.monotonic() - started
        row.runs = 1
        row.result = f"{outcome}, no exception, under 60 s"
        assert elapsed < 60, f"{elapsed:.0f} s"
        assert outcome in ("stored", "stored-flagged")
