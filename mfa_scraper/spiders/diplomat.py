"""``scrapy crawl diplomat``: The Diplomat (thediplomat.com) analysis articles.

Starts from the site's feed (``/feed/``, the newest articles); with ``since``,
also from the month listings (``/YYYY/MM/``) back to that month, each followed
page by page ("Older"). ``start_urls`` may name feeds, month or category
listings (``/category/the-koreas/``) or articles. Articles are read by
:func:`~mfa_scraper.sites.diplomat.extract_diplomat_page`: author, date,
standfirst and text, no turns; the quotes inside are attributed by the engine
to the people quoted, never to the author.

Incremental (:mod:`mfa_scraper.spiders.incremental`): archived articles are not
fetched again, but re-checked on their schedule with conditional requests;
failed fetches are recorded and retried by the next crawl.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import scrapy
from scrapy.http import Response

from mfa_scraper.page.feeds import FeedError, parse_feed, sniff
from mfa_scraper.sites.diplomat import extract_diplomat_page, is_article_url, parse_listing
from mfa_scraper.spiders.base import ArchiveSpider
from mfa_scraper.spiders.incremental import with_validators


def month_listings(base: str, since: date, today: date) -> list[str]:
    """Month listing URLs from ``today``'s month back to ``since``'s, newest first."""
    urls: list[str] = []
    year, month = today.year, today.month
    while (year, month) >= (since.year, since.month):
        urls.append(f"{base}/{year}/{month:02d}/")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return urls


class DiplomatSpider(ArchiveSpider):
    """The Diplomat: articles through the feed and the month and category listings.

    Spider arguments: ``base_url``, ``start_urls``, ``since`` (see
    :mod:`mfa_scraper.spiders.base`).
    """

    name = "diplomat"
    source_title = "The Diplomat"
    source_country = "Japan"  # published by Diplomat Media, Tokyo
    source_kind = "news"
    canonical_base = "https://thediplomat.com"
    allowed_domains = ["thediplomat.com"]
    start_urls = ["https://thediplomat.com/feed/"]

    async def start(self) -> AsyncIterator[Any]:
        self.load_state()
        urls = list(self.start_urls)
        if self.since and urls == [self.local_url(u) for u in type(self).start_urls]:
            base = self.local_url(self.canonical_base)
            urls += month_listings(base.rstrip("/"), self.since, date.today())
        for url in urls:
            if is_article_url(url):
                yield scrapy.Request(url, callback=self.parse_document, errback=self.fetch_failed)
            else:
                yield scrapy.Request(url, callback=self.parse_start, errback=self.fetch_failed)
        for request in self.recheck_requests():
            yield request

    def is_document_url(self, url: str) -> bool:
        return is_article_url(url)

    def parse_start(self, response: Response) -> Any:
        """A feed or a listing page."""
        if sniff(response.body) in ("rss", "atom"):
            yield from self.parse_feed(response)
        else:
            yield from self.parse_listing_page(response)

    def parse_feed(self, response: Response) -> Any:
        try:
            entries = parse_feed(response.body, response.url)
        except FeedError as exc:
            self.logger.warning("unreadable feed %s: %s", response.url, exc)
            entries = []
        self.count_listing(response, len(entries))
        for entry in entries:
            if is_article_url(entry.url) and not self.before_since(entry.published):
                request = self.document_request(entry.url)
                if request is not None:
                    yield request

    def parse_listing_page(self, response: Response) -> Any:
        """Follow each new article card, then the "Older" page unless ``since`` was reached."""
        listing = parse_listing(response.body, response.url)
        self.count_listing(response, len(listing.entries))
        reached_since = False
        for entry in listing.entries:
            if self.before_since(entry.published):
                reached_since = True
                continue
            request = self.document_request(entry.url)
            if request is not None:
                yield request
        if listing.next_page and not reached_since:
            yield scrapy.Request(
                self.local_url(listing.next_page),
                callback=self.parse_start,
                errback=self.fetch_failed,
            )

    def parse_document(self, response: Response) -> Any:
        """One article, archived under its real URL."""
        document = extract_diplomat_page(response.body, self.canonical_url(response.url))
        document.url = self.canonical_url(document.url)
        if not self.before_since(document.published):
            yield with_validators(self.with_quotes(document), response)
