"""The Diplomat (thediplomat.com): analysis articles and month listings.

Articles go through the generic extractor (:func:`~mfa_scraper.page.article.
extract_article`), which already drops the ad slots (``googletag`` scripts,
"Advertisement") and the "Enjoying this article? Click here to subscribe" paywall
prompt. This module adds what is the site's own: the standfirst (``#td-lead``)
at the head of the text, the kicker (``#td-kicker``, the section: "The Koreas"),
and the rule that an analysis piece has no turns: its author writes *about*
officials, so the author is never made the speaker of anything, and the quotes
inside are attributed by the quote engine to the people quoted.

Listings (``/YYYY/MM/``, ``/category/…/``, page ``/page/N/``) are ``a.td-post``
cards with ``h5`` date, ``h4`` title and ``h6`` byline, and a ``div.td-list-pager``
whose "Older" link is the next page. Tested on a real article and a real month
listing (captured 2020); category listings share the card markup but no real one
was available.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from mfa_scraper.items import Document
from mfa_scraper.page.article import extract_article, parse_html
from mfa_scraper.page.dates import date_in_text
from mfa_scraper.page.encoding import decode_html
from mfa_scraper.page.html import element_text
from mfa_scraper.page.selectors import select

#: Source name of The Diplomat in the archive.
SOURCE = "diplomat"
#: Article paths: ``/YYYY/MM/slug/``.
ARTICLE_PATH = re.compile(r"^/(?P<year>\d{4})/(?P<month>\d\d)/(?!page/)[^/]+/?$")
#: The kicker, then the standfirst, by id (theme ``td_theme_v3``).
KICKER_SELECTORS = ("#td-kicker", "header .td-kicker", "[itemprop=articleSection]")
LEAD_SELECTORS = ("#td-lead", "header [itemprop=description]")


@dataclass
class ListingEntry:
    """An article card of a listing page."""

    url: str
    title: str
    author: str | None
    published: str | None


@dataclass
class Listing:
    """A listing page: its articles and the next (older) page."""

    entries: list[ListingEntry]
    next_page: str | None


def is_article_url(url: str) -> bool:
    """Whether ``url`` is an article (``/2019/06/slug/``), not a listing or a page."""
    return bool(ARTICLE_PATH.match(urlsplit(url).path))


def _first_text(tree, selectors: tuple[str, ...]) -> str | None:
    for selector in selectors:
        found = select(tree, selector)
        if found:
            text = " ".join(element_text(found[0]).split())
            if text:
                return text
    return None


def extract_kicker(body: bytes | str) -> str | None:
    """The section label above the headline ("The Koreas"), if the page has one."""
    tree = parse_html(decode_html(body))
    return _first_text(tree, KICKER_SELECTORS) if tree is not None else None


def extract_diplomat_page(body: bytes | str, url: str) -> Document:
    """A Diplomat article as a :class:`Document` of kind ``article``, without turns.

    The standfirst leads the text when the generic extractor left it out: it is
    the author's own summary, and sometimes the only place a claim is stated.
    """
    html = decode_html(body)
    document = extract_article(html, url, source=SOURCE)
    tree = parse_html(html)
    lead = _first_text(tree, LEAD_SELECTORS) if tree is not None else None
    if lead and document.text and lead not in document.text:
        document.text = f"{lead}\n\n{document.text}"
    document.kind = "article"
    document.turns = []  # the author is not the speaker of the people quoted
    return document


def parse_listing(body: bytes | str, url: str) -> Listing:
    """Article cards and the next page of a month, category or front listing."""
    tree = parse_html(decode_html(body))
    if tree is None:
        return Listing([], None)
    entries: list[ListingEntry] = []
    for card in select(tree, "a.td-post"):
        href = card.get("href")
        if not href or not is_article_url(urljoin(url, href)):
            continue
        date_text = _first_text(card, ("h5",)) or ""
        day = date_in_text(date_text)
        author = _first_text(card, ("h6",))
        entries.append(
            ListingEntry(
                url=urljoin(url, href),
                title=_first_text(card, ("h4",)) or "",
                author=re.sub(r"^By\s+", "", author) if author else None,
                published=day.isoformat() if day else None,
            )
        )
    older = select(tree, "div.td-list-pager__nav a")
    next_page = None
    for link in older:
        if "older" in element_text(link).lower() and link.get("href"):
            next_page = urljoin(url, link.get("href"))
    return Listing(list({e.url: e for e in entries}.values()), next_page)
