"""Publication dates of pages of any site (mfa_scraper/page/published.py).

Each class of date the hand-written extractor missed or got wrong, on a real page
(tests/pages/dates/, development pages of bench/dates) or on a minimal one; the publisher's
calendar date apart from the UTC one; ``archive extract --urls``; ministry pages unchanged.
"""

from __future__ import annotations

import gzip
import json
import re

import pytest
from conftest import PAGES
from typer.testing import CliRunner

from archive.cli import app
from mfa_scraper.page.article import extract_article
from mfa_scraper.page.published import parse_stamp, url_date
from mfa_scraper.sites.dispatch import site_extractor

DATES = PAGES / "dates"
BODY = "<p>The spokesman said the talks would resume next week in Geneva, officials said.</p>" * 8


def real(name: str) -> bytes:
    return gzip.decompress((DATES / f"{name}.html.gz").read_bytes())


def minimal(head: str = "", body: str = "", url: str = "https://news.example/story"):
    """A small page: ``head`` in ``<head>``, ``body`` before the headline's text."""
    html = (
        f"<html><head><title>Talks to resume</title>{head}</head><body><article>"
        f"<h1>Talks to resume</h1>{body}{BODY}</article></body></html>"
    )
    return extract_article(html, url)


# --- real pages --------------------------------------------------------------------------------

REAL = [
    # (page, URL, the publisher's date, published as the page gives it)
    (
        "blog.comwrap.com_99334930",
        "https://blog.comwrap.com/die-elektronische-patientenakte-der-lange-marsch-ins-digitale-"
        "gesundheitswesen",
        "2018-09-25",
        "2018-09-25",
    ),
    (
        "wienbadminton.at_8627e433",
        "https://www.wienbadminton.at/news/119843/Come-Together",
        "2018-05-06",
        "2018-05-06",
    ),
    ("love-hina.ch_beca8573", "http://www.love-hina.ch/news/0409.html", "2004-03-24", None),
    ("loldf.org_4dc5aca4", "http://www.loldf.org/spip.php?article717", "2019-06-27", None),
    (
        "politifact.com_9c2b749b",
        "https://www.politifact.com/west-virginia/statements/2019/nov/18/david-mckinley/"
        "what-value-drugs-come-us-border/",
        "2019-11-18",
        None,
    ),
    # UTC timestamps and the publisher's day
    (
        "ctpost.com_698adf83",
        "https://www.ctpost.com/news/article/Deval-Patrick-takes-nascent-2020-campaign-to-"
        "14847854.php",
        "2019-11-19",
        "2019-11-20T02:07:18+00:00",
    ),
    (
        "nj.com_96fd9f69",
        "https://www.nj.com/entertainment/2019/11/florida-man-exists-south-dakota-hold-my-beer-"
        "meth-were-on-it.html",
        "2019-11-18",
        "2019-11-19T01:19:34+00:00",
    ),
    (
        "hawaiinewsnow.com_5c7b331b",
        "https://www.hawaiinewsnow.com/2019/11/19/scientists-use-hawaii-telescope-spot-water-"
        "vapor-one-jupiters-moon/",
        "2019-11-18",
        "2019-11-19T01:48:03+00:00",
    ),
    (
        "cbssports.com_a50ccf11",
        "https://www.cbssports.com/nfl/news/browns-player-on-mason-rudolphs-role-in-fight-with-"
        "myles-garrett-he-asked-for-it/",
        "2019-11-18",
        None,
    ),
    # the serving time in a <head> attribute is not the date: the <time> by the headline is
    (
        "nbcnews.com_6e4b9359",
        "https://www.nbcnews.com/news/latino/doctors-offer-give-free-flu-shots-detained-migrants-"
        "warn-trump-n1085206",
        "2019-11-19",
        "2019-11-19T10:36:00+00:00",
    ),
]


@pytest.mark.parametrize("name, url, day, published", REAL, ids=[r[0] for r in REAL])
def test_real_page_is_dated_as_a_reader_dates_it(name, url, day, published):
    document = extract_article(real(name), url)
    assert document.date == day
    assert document.day == day
    if published:
        assert document.published == published
    assert "no-date" not in document.flags


def test_a_month_archive_has_no_date_of_its_own():
    document = extract_article(real("thediplomat.com_a02627ea"), "https://thediplomat.com/2019/06/")
    assert document.published is None and document.date is None
    assert "no-date" in document.flags


# --- where a date stands -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        '<div class="datum">20.02.2019</div>',
        '<p class="info">Veröffentlicht am 20. Februar 2019</p>',
        '<div class="subline">by Jane Roe, February 20, 2019</div>',
        '<a class="entry-date" href="/2019/">February 20, 2019</a>',
        '<h3 class="date-header">Wednesday, February 20, 2019</h3>',
        '<dl><dd class="published">20 février 2019</dd></dl>',
        '<em class="posted-on">20/02/2019</em>',
        '<abbr class="published" title="2019-02-20T10:00:00+01:00">Wednesday</abbr>',
        '<span data-date="2019-02-20">Wednesday</span>',
        "<p>le 20 février 2019, par la rédaction</p>",
        "<p>publicado el 20 de febrero de 2019</p>",
    ],
)
def test_date_lines_in_elements_and_languages_the_old_code_never_read(line):
    document = minimal(body=line)
    assert document.date == "2019-02-20", line


@pytest.mark.parametrize(
    "meta, published",
    [
        (
            '<meta name="uploadDate" content="2022-02-02T09:12:22+01:00">',
            "2022-02-02T09:12:22+01:00",
        ),
        ('<meta name="publication_date" content="2022-02-02">', "2022-02-02"),
        (
            '<meta property="article:published_time" content="Wed, 02 Feb 2022 09:12:22 +0100">',
            "2022-02-02T09:12:22+01:00",
        ),
        ('<meta name="pubdate" content="2022/02/02 09:12">', "2022-02-02T09:12:00"),
        # unreadable: the next source is tried instead of giving up
        (
            '<meta property="article:published_time" content="yesterday">'
            '<meta name="dc.date" content="2022-02-02">',
            "2022-02-02",
        ),
        (
            '<script type="application/ld+json">{"@context": "https://schema.org",'
            ' "@type": "VideoObject", "uploadDate": "2022-02-02T09:12:22+01:00"}</script>',
            "2022-02-02T09:12:22+01:00",
        ),
    ],
)
def test_metadata_names_formats_and_types_the_old_code_missed(meta, published):
    document = minimal(head=meta)
    assert document.published == published
    assert document.date == "2022-02-02"


def test_modified_time_is_never_the_publication_date():
    document = minimal(
        head='<meta property="og:updated_time" content="2022-05-01T10:00:00+00:00">'
        '<meta property="article:modified_time" content="2022-05-01T10:00:00+00:00">',
        body='<p class="byline">By Jane Roe, February 2, 2022</p>',
    )
    assert document.date == "2022-02-02"


@pytest.mark.parametrize(
    "url, day",
    [
        ("https://www.example.org/news/20030331_talks.html", "2003-03-31"),
        ("https://www.example.org/news/20200428/talks", "2020-04-28"),
        ("https://www.example.org/talks-resume-23-01-2022", "2022-01-23"),
        ("https://www.example.org/2019/nov/18/talks/", "2019-11-18"),
        ("https://www.example.org/story/2019-11-19/talks", "2019-11-19"),
        ("https://www.example.org/2013/01/24/talks/", "2013-01-24"),
        ("https://www.example.org/news/14848218.php", None),  # an id, not a date
        ("file:///home/me/pages/2020-01-01/story.html", None),  # a local path: the crawl's day?
    ],
)
def test_dates_in_urls(url, day):
    found = url_date(url)
    assert (found.isoformat() if found else None) == day


def test_a_full_date_in_the_url_comes_first():
    document = minimal(
        head='<meta name="date" content="2020-06-30">',
        url="https://www.example.org/2019/11/18/talks/",
    )
    assert document.date == "2019-11-18"
    assert document.published == "2019-11-18"
    assert document.flags == ["date-from-url"]


def test_a_teasers_time_before_the_story_is_not_its_date():
    teaser = (
        '<aside><ul><li><a href="/a">Older story</a><time datetime="2018-01-05">Jan 5, 2018'
        "</time></li></ul></aside>"
    )
    html = (
        f"<html><head><title>Talks to resume</title></head><body>{teaser}"
        + "<nav>" + "<a href='/'>Home</a>" * 40 + "</nav>"
        + '<article><h1>Talks to resume</h1><time datetime="2019-04-08T09:00:00+02:00">'
        f"April 8, 2019</time>{BODY}</article></body></html>"
    )  # fmt: skip
    document = extract_article(html, "https://news.example/story")
    assert document.date == "2019-04-08"
    assert document.published == "2019-04-08T09:00:00+02:00"


# --- the publisher's day, not the UTC one ------------------------------------------------------


UTC = '<meta property="article:published_time" content="2016-11-09T01:30:00Z">'
LOCAL = '<meta property="article:published_time" content="2016-11-08T23:30:00-05:00">'


@pytest.mark.parametrize(
    "head, byline, published, day",
    [
        # a zone written after a visible time: 01:30Z is 8:30 pm in New York, on the 8th
        (UTC, "By Jane Roe | Updated 9:12 pm ET", "2016-11-09T01:30:00+00:00", "2016-11-08"),
        # the offset of the page's other timestamps
        (
            UTC + '<meta property="article:modified_time" content="2016-11-08T22:00:00-05:00">',
            "",
            "2016-11-09T01:30:00+00:00",
            "2016-11-08",
        ),
        # a time with the publisher's own offset keeps its day
        (LOCAL, "11:30 pm ET", "2016-11-08T23:30:00-05:00", "2016-11-08"),
        # no zone: the visible date by the headline wins when a day apart...
        (UTC, "By Jane Roe, November 8, 2016", "2016-11-09T01:30:00+00:00", "2016-11-08"),
        # ...and a publisher in UTC keeps the UTC day
        (UTC, "By Jane Roe, November 9, 2016", "2016-11-09T01:30:00+00:00", "2016-11-09"),
    ],
)
def test_the_publishers_day_not_the_utc_one(head, byline, published, day):
    document = minimal(head=head, body=f'<p class="byline">{byline}</p>' if byline else "")
    assert document.published == published  # as the page gives it
    assert document.date == day


# --- never the crawl time ----------------------------------------------------------------------


def test_a_page_without_a_date_gets_none():
    html = "<html><head><title>About us</title></head><body><h1>About us</h1>" + BODY
    document = extract_article(html + "</body></html>", "file:///tmp/2026-12-07/about.html")
    assert document.published is None and document.date is None
    assert "no-date" in document.flags


def test_a_serving_time_in_scripts_is_not_the_date():
    script = '<script>var page = {served: "2026-12-07T10:00:00Z"};</script>'
    html = f"<html><head><title>Untitled</title>{script}</head><body>{BODY}</body></html>"
    document = extract_article(html, "https://news.example/story")
    assert document.date is None


@pytest.mark.parametrize(
    "value, iso",
    [
        ("2019-11-19T00:04:00.000Z", "2019-11-19T00:04:00+00:00"),
        ("2019-11-19 21:57 -0800", "2019-11-19T21:57:00-08:00"),
        ("Tue Nov 19 2019 03:05:00 GMT+0000", "2019-11-19T03:05:00+00:00"),
        ("Monday, November 18, 2019, 08:19 PM", "2019-11-18T20:19:00"),
        ("20191119", "2019-11-19"),
        ("yesterday", None),
        ("1970-01-01", None),
    ],
)
def test_parse_stamp(value, iso):
    stamp = parse_stamp(value)
    assert (stamp.iso if stamp else None) == iso


# --- archive extract --urls --------------------------------------------------------------------

runner = CliRunner()
URLS = {name: url for name, url, _, _ in REAL}


@pytest.fixture
def saved(tmp_path):
    """Two real pages saved as plain files, as a batch would have them."""
    files = []
    for name in ("politifact.com_9c2b749b", "hawaiinewsnow.com_5c7b331b"):
        path = tmp_path / f"{name}.html"
        path.write_bytes(real(name))
        files.append(path)
    return files


def _dates(output: str) -> list[str | None]:
    return [json.loads(line)["date"] for line in output.splitlines() if line.startswith("{")]


def test_extract_urls_list_gives_each_file_its_url(saved, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("".join(URLS[p.stem] + "\n" for p in saved))
    result = runner.invoke(app, ["extract", *map(str, saved), "--urls", str(urls)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [r["url"].split("/")[2] for r in records] == [
        "www.politifact.com",
        "www.hawaiinewsnow.com",
    ]
    # the politifact date is only in its URL: without it, the page's own date line is a
    # quoted claim's ("Sunday, October 13th, 2019")
    assert _dates(result.output) == ["2019-11-18", "2019-11-18"]


def test_extract_urls_jsonl_names_the_files_itself(saved, tmp_path):
    urls = tmp_path / "pages.jsonl"
    urls.write_text(
        "".join(json.dumps({"file": p.name, "url": URLS[p.stem]}) + "\n" for p in saved)
    )
    result = runner.invoke(app, ["extract", "--urls", str(urls)])  # files relative to the list
    assert result.exit_code == 0, result.output
    assert _dates(result.output) == ["2019-11-18", "2019-11-18"]
    one = runner.invoke(app, ["extract", str(saved[1]), "--urls", str(urls)])
    assert one.exit_code == 0, one.output
    assert json.loads(one.output)["date"] == "2019-11-18"


def test_extract_urls_that_do_not_pair_up_are_refused(saved, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("https://www.politifact.com/only-one/\n")
    result = runner.invoke(app, ["extract", *map(str, saved), "--urls", str(urls)])
    assert result.exit_code == 2
    assert "1 URLs for 2 pages" in result.output
    both = runner.invoke(app, ["extract", str(saved[0]), "--url", "https://a.example/", "--urls",
                               str(urls)])  # fmt: skip
    assert both.exit_code == 2 and "not both" in both.output


# --- ministry pages: the site parsers' own dates come first, as before -------------------------

MINISTRY = sorted(
    [p for p in (PAGES / "mfa").glob("*.html") if re.search(r"_\d{4}-\d\d-\d\d", p.name)]
    + [p for p in (PAGES / "kremlin").glob("news_*.html") if re.search(r"_\d{4}-\d\d-\d\d", p.name)]
)


@pytest.mark.parametrize("path", MINISTRY, ids=[p.name[:60] for p in MINISTRY])
def test_every_dated_ministry_transcript_keeps_its_date(path):
    expected = re.search(r"_(\d{4}-\d\d-\d\d)", path.name).group(1)
    if "kremlin" in path.parent.name:
        url = "http://en.kremlin.ru/events/president/news/" + path.name.split("_")[1]
    else:
        number = re.search(r"_t(\d+)_", path.name).group(1)
        section = "mfa_eng/xwfw_665399/s2510_665401/2511_665403" if ".en_" in path.name else (
            "web/wjdt_674879/fyrbt_674889")  # fmt: skip
        url = f"https://www.fmprc.gov.cn/{section}/t{number}.shtml"
    document = site_extractor(url)(path.read_bytes(), url)
    if "title_without_year" in path.name:  # dated from the listing's neighbours in a crawl
        assert document.published is None
        return
    assert document.day == expected
