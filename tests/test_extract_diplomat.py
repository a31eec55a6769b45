"""The Diplomat: a real article and a real month listing (captured 2020)."""

from __future__ import annotations

from pathlib import Path

from mfa_scraper.sites.diplomat import (
    extract_diplomat_page,
    extract_kicker,
    is_article_url,
    parse_listing,
)
from mfa_scraper.sites.dispatch import extract_document

ARTICLE = "thediplomat.com.north-korea-the-missing-link-in-northeast-asias-air-pollution-fight.html"
URL = (
    "https://thediplomat.com/2019/06/north-korea-the-missing-link-in-northeast-asias-air-"
    "pollution-fight/"
)
LISTING = Path(__file__).parent / "pages" / "mirror" / "thediplomat.com" / "2019" / "06"


def test_article(page):
    doc = extract_diplomat_page(page("thediplomat", ARTICLE), URL)
    assert (doc.source, doc.kind, doc.author, doc.published, doc.url) == (
        "diplomat",
        "article",
        "Jihyun Cha and Taeheon Lee",
        "2019-06-11",
        URL,
    )
    assert doc.title == "North Korea: The Missing Link in Northeast Asia’s Air Pollution Fight"
    # the standfirst leads, then the body; ads and the paywall prompt are gone
    assert doc.text.startswith("South Korea and China have made progress in addressing")
    assert "According to the WHO, 89 North Koreans in every 100,000 died" in doc.text
    for junk in ("googletag", "Advertisement", "Enjoying this article", "Click here to subscribe"):
        assert junk not in doc.text
    assert doc.turns == [] and doc.flags == []


def test_kicker(page):
    assert extract_kicker(page("thediplomat", ARTICLE)) == "The Koreas"


def test_site_extractor_is_used_by_host_and_author_is_no_speaker(page):
    doc = extract_document(page("thediplomat", ARTICLE), URL)
    assert doc.source == "diplomat" and doc.turns == []
    assert all(q.speaker != doc.author for q in doc.quotes)


def test_month_listing():
    listing = parse_listing(
        (LISTING / "index.html").read_bytes(), "https://thediplomat.com/2019/06/"
    )
    assert len(listing.entries) == 17
    first = listing.entries[0]
    assert first.url == (
        "https://thediplomat.com/2019/06/should-amateur-baseball-players-go-pro-in-south-korea-"
        "and-japan/"
    )
    assert (first.author, first.published) == ("Troy Stangarone", "2019-06-29")
    assert all(is_article_url(e.url) for e in listing.entries)
    assert listing.next_page == "https://thediplomat.com/2019/06/page/2/"


def test_article_urls():
    assert is_article_url(URL)
    assert not is_article_url("https://thediplomat.com/2019/06/")
    assert not is_article_url("https://thediplomat.com/2019/06/page/2/")
    assert not is_article_url("https://thediplomat.com/category/the-koreas/")
