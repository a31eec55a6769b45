"""extract_article on real news and blog pages (tests/pages/<site>/<host.slug>.html).

Each page is passed with its original URL (shared/fixtures/PROVENANCE.md) and checked for
its real title, date, byline, opening and closing sentences, and for the absence of the
boilerplate that surrounds it on the live site.
"""

from __future__ import annotations

import pytest

from mfa_scraper.page.article import extract_article
from mfa_scraper.page.dates import date_in_any_text
from mfa_scraper.page.encoding import decode_html
from mfa_scraper.page.published import parse_stamp

#: Strings of share bars, comment forms and paywall prompts that must never reach the text.
BOILERPLATE = (
    "Leave a Reply",
    "Fill in your details below",
    "Share this",
    "Like this:",
    "Like Loading",
    "Notify me of new comments",
    "Enjoying this article?",
    "Click here to subscribe",
    "Email (required)",
)

NATE = "natethayer.wordpress.com.china-says-no-comment.html"
NATE_URL = (
    "https://natethayer.wordpress.com/2013/01/24/has-kim-jong-un-had-plastic-surgery-china-"
    "says-no-comment-pyongyang-erupts-following-reports-circulating-in-chinese-media/"
)
DIPLOMAT = (
    "thediplomat.com.north-korea-the-missing-link-in-northeast-asias-air-pollution-fight.html"
)
DIPLOMAT_URL = (
    "https://thediplomat.com/2019/06/north-korea-the-missing-link-in-northeast-asias-air-"
    "pollution-fight/"
)

#: (site, file, url, title, published, author, first words, a later sentence, last words)
PAGES = [
    (
        "wordpress",
        NATE,
        NATE_URL,
        "Has Kim Jong Un Had Plastic Surgery? China Says: No Comment: Pyongyang erupts "
        "following reports circulating in Chinese media",
        # article:published_time (UTC) wins over the URL's blog-local 2013/01/24
        "2013-01-25T04:23:56+00:00",
        "Nate Thayer",
        "Has Kim Jong Un Had Plastic Surgery? China Says: No Comment",
        "foreign ministry spokesman Hong Lei said at a daily press briefing",
        "convinced of the justice of its cause.”",
    ),
    (
        "wordpress",
        "globalnews.ca.syria-turkey-strikes-conflict.html",
        "https://globalnews.ca/news/6620622/syria-turkey-strikes-conflict/",
        "Syrian forces move into strategic town as Turkey vows to keep hammering Assad’s troops",
        "2020-03-02T17:04:04-05:00",
        "Orhan Coskun and Suleiman Al-Khalidi",
        "Syrian government forces entered parts of a strategic rebel-held town on Monday",
        "Turkey and Russia, which have come closer than ever to direct confrontation",
        "fired tear gas into crowds caught in no-man’s land.",
    ),
    (
        "thediplomat",
        DIPLOMAT,
        DIPLOMAT_URL,
        "North Korea: The Missing Link in Northeast Asia’s Air Pollution Fight",
        # no machine-readable date: the visible "June 11, 2019" via dateparser
        "2019-06-11",
        "Jihyun Cha and Taeheon Lee",
        "According to the WHO, 89 North Koreans in every 100,000 died from ambient air pollution",
        "It is critical that North Korea become part of the comprehensive efforts",
        "a student at Kyung Hee University.",
    ),
    (
        "other_news",
        "polygraph.info.fact-check-russia-us-al-tanf-rukban.html",
        "https://www.polygraph.info/a/fact-check-russia-us-al-tanf-rukban/30279001.html",
        "Russia and Syria: U.S.-backed Syrian Forces Blocking Refugee Return",
        "2019-11-18T20:28:55+00:00",
        # the page's only "author" markup names the fact-checked claim's source
        None,
        "In a joint statement published Oct. 25, the Russian and Syrian defense ministries",
        "The Pentagon rejected these accusations as “patently false,”",
        "displaced persons within Syria.”",
    ),
    (
        "other_news",
        "hutchnews.com.latest-germanys-curevac-signs-contract-for-new-vaccine.html",
        "https://www.hutchnews.com/ZZ/news/20201123/latest-germanys-curevac-signs-contract-"
        "for-new-vaccine?rssfeed=true",
        "The Latest: Germanys CureVac signs contract for new vaccine",
        "2020-11-23T11:02:35+00:00",
        None,  # "The Associated Press" is an agency, not a person
        "MADRID -- Spanish Prime Minister Pedro S",
        # the Peskov item of this roundup is only in a script's JSON, not in the page's HTML
        "Further details will be announced on Tuesday.",
        "large groups of family and friends.",
    ),
    (
        "other_news",
        "inquirer.com.us-state-department-blocks-lawsuit-by-american-imprisoned-tortured-in-"
        "egypt.html",
        "https://www.inquirer.com/news/nation-world/us-state-department-blocks-lawsuit-by-"
        "american-imprisoned-tortured-in-egypt-20200718.html",
        "U.S. tells American he cannot sue Egyptian official he blames for his torture",
        "2020-07-18T20:01:31+00:00",
        "Spencer S. Hsu",
        "The State Department has declared that a former Egyptian leader",
        "A State Department spokesperson said,",
        "held a prisoner for 486 days on political charges.",
    ),
    (
        "state_gov",
        "state.gov.designation-of-irgc-commander-shahvarpour.html",
        "https://www.state.gov/designation-of-irgc-commander-shahvarpour-for-gross-human-"
        "rights-violations-during-protests/",
        "Designation of IRGC Commander Shahvarpour for Gross Human Rights Violations During "
        "Protests",
        "2020-01-18T18:36:57+00:00",
        "Morgan Ortagus",
        "Yesterday, the Department of State designated Islamic Revolutionary Guard Corps",
        "Rewards for Justice",
        "during the country-wide protests of November 2019 in Iran.",
    ),
]


@pytest.mark.parametrize(
    "site, name, url, title, published, author, first, middle, last",
    PAGES,
    ids=[p[1].split(".html")[0][:40] for p in PAGES],
)
def test_real_page(page, site, name, url, title, published, author, first, middle, last):
    doc = extract_article(page(site, name), url, source="test")
    assert doc.kind == "article"
    assert doc.source == "test"
    assert doc.title == title
    assert doc.published == published
    assert doc.author == author
    assert doc.language == "en"
    assert doc.text.startswith(first)
    assert middle in doc.text
    assert doc.text.endswith(last)
    assert doc.quotes == []
    assert doc.flags == []
    for boilerplate in BOILERPLATE:
        assert boilerplate not in doc.text
    # paragraphs, not lines, and no empty ones
    paragraphs = doc.text.split("\n\n")
    assert len(paragraphs) > 3
    assert all(p.strip() == p and p for p in paragraphs)


def test_wordpress_comment_form_and_share_bar_are_dropped(page):
    """The post that started the product: its share bar, likes and comment form, all present
    in the HTML, are absent from the text."""
    html = page("wordpress", NATE)
    for marker in (b"Leave a Reply", b"Fill in your details below", b"Share this:"):
        assert marker in html
    doc = extract_article(html, NATE_URL)
    for line in doc.text.split("\n\n"):
        assert line not in {"Related", "Share this:", "Like this:", "Leave a Reply"}
    assert "Fill in your details below or click an icon to log in" not in doc.text
    # quotes for the attribution step survive, Chinese text inline included
    assert "Hong Lei" in doc.text
    assert "中宣部" in doc.text or "Central Propaganda Department" in doc.text


def test_canonical_url_replaces_the_fetched_one(page):
    doc = extract_article(page("thediplomat", DIPLOMAT), DIPLOMAT_URL + "?utm_source=feed")
    assert doc.url == DIPLOMAT_URL


def test_a_syndicated_copy_keeps_its_own_url_and_date():
    """MSN's copy of a CNN story declares CNN's URL canonical: the copy is another document,
    published a day later; read from a file, the page's declared canonical is all there is."""
    import gzip
    from pathlib import Path

    html = gzip.decompress(
        (Path(__file__).parent.parent / "bench/dates/pages/msn.com_9b76fe0a.html.gz").read_bytes()
    )
    msn = (
        "https://www.msn.com/en-us/Health/other/the-man-whose-duvet-nearly-killed-him-how-this-"
        "medical-mystery-was-solved/ar-BBWXwNX"
    )
    copy = extract_article(html, msn)
    assert copy.url == msn and copy.day == "2019-11-19"
    saved = extract_article(html, "file:///tmp/page.html")
    assert saved.url.startswith("https://www.cnn.com/2019/11/18/health/")


def test_paywall_prompt_is_dropped(page):
    html = page("thediplomat", DIPLOMAT)
    assert b"Enjoying this article?" in html
    doc = extract_article(html, DIPLOMAT_URL)
    assert "Enjoying this article" not in doc.text
    assert "subscribe" not in doc.text.lower()


def test_date_from_url_is_flagged():
    html = (
        "<html><head><title>A post</title></head><body><article><h1>A post</h1>"
        + "<p>The spokesman said the talks would resume next week in Geneva.</p>" * 12
        + "</article></body></html>"
    )
    doc = extract_article(html, "https://blog.example.org/2019/04/08/a-post/")
    assert doc.published == "2019-04-08"
    assert doc.flags == ["date-from-url"]
    assert doc.author is None
    assert doc.title == "A post"


def test_no_date_is_flagged_never_guessed():
    html = "<html><body><h1>Undated</h1>" + "<p>Some words that make a text.</p>" * 20
    doc = extract_article(html + "</body></html>", "https://example.org/undated")
    assert doc.published is None
    assert "no-date" in doc.flags


@pytest.mark.parametrize("html", ["", b"", "   ", b"\x00\xff\xfe garbage \x81", "<html></html>"])
def test_empty_or_broken_html_never_raises(html):
    doc = extract_article(html, "https://example.org/2020/01/02/x/")
    assert doc.text == ""
    assert {"no-text", "no-title"} <= set(doc.flags)
    assert doc.url == "https://example.org/2020/01/02/x/"


def test_site_name_is_not_an_author():
    html = (
        '<html lang="de-DE"><head><meta property="og:site_name" content="Die Zeitung">'
        '<meta name="author" content="Die Zeitung">'
        "<title>Titel der Meldung | Die Zeitung</title></head><body>"
        + "<p>Der Sprecher sagte am Montag, die Gespräche würden fortgesetzt.</p>" * 10
        + "</body></html>"
    )
    doc = extract_article(html, "https://www.zeitung.example/meldung")
    assert doc.author is None
    assert doc.title == "Titel der Meldung"
    assert doc.language == "de"


def test_json_ld_metadata():
    html = (
        '<html><head><script type="application/ld+json">{"@context": "https://schema.org",'
        ' "@type": "NewsArticle", "headline": "Minister meets envoy",'
        ' "datePublished": "2021-05-04T09:30:00Z", "author": [{"@type": "Person",'
        ' "name": "Jane Roe"}, {"@type": "Person", "name": "John Doe"}]}</script></head>'
        "<body>" + "<p>The minister met the envoy on Tuesday to discuss trade.</p>" * 10
    )
    doc = extract_article(html + "</body></html>", "https://news.example/minister")
    assert doc.title == "Minister meets envoy"
    assert doc.published == "2021-05-04T09:30:00+00:00"
    assert doc.author == "Jane Roe, John Doe"


@pytest.mark.parametrize(
    "data, expected",
    [
        ("Посол заявил".encode("windows-1251"), "Посол заявил"),
        ("外交部发言人表示".encode("gbk"), "外交部发言人表示"),
        (
            '<meta charset="gb2312"><p>外交部发言人</p>'.encode("gbk"),
            '<meta charset="gb2312"><p>外交部发言人</p>',
        ),
        ("\ufeffBOM text".encode("utf-8"), "BOM text"),
        ("Pedro Sánchez said".encode("windows-1252"), "Pedro Sánchez said"),
    ],
)
def test_decode_html(data, expected):
    assert decode_html(data) == expected


def test_decode_html_survives_stray_bytes_in_utf8():
    data = ("“Quote” — " * 200).encode("utf-8") + b"\xff"
    assert decode_html(data).startswith("“Quote” — ")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Posted on June 11, 2019 by admin", "2019-06-11"),
        ("11 June 2019", "2019-06-11"),
        ("Jan. 3, 2020 10:00 AM", "2020-01-03"),
        ("Updated 2020-07-18T20:01:31Z", "2020-07-18"),
        ("no date here", None),
    ],
)
def test_date_in_any_text(text, expected):
    found = date_in_any_text(text)
    assert (found.isoformat() if found else None) == expected


def test_parse_stamp_rejects_implausible():
    assert parse_stamp("1970-01-01") is None
    assert parse_stamp("2013-02-30") is None
    assert parse_stamp("2013-01-25T04:23:56+0000").iso == "2013-01-25T04:23:56+00:00"
