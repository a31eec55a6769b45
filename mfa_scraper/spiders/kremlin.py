"""``scrapy crawl kremlin``: the President of Russia's site, en.kremlin.ru (or kremlin.ru).

Crawls the news (``/events/president/news``, then ``/page/2``, ``/page/3``…)
and the transcripts (``/events/president/transcripts``, same paging). Listing
pages are followed one after another, newest first, so that ``since=`` stops
paging once a page reaches past that date. An event listed in both sections
is fetched once. ``start_urls`` may also name a by-date listing
(``…/news/by-date/04.07.2017``) or the Atom feed (``…/news/feed``), whose
entries carry the full text and need no further request.

``-a lang=ru`` crawls the Russian site, kremlin.ru, instead: the same CMS,
sections and event ids, documents in Russian (language ``ru``). Both are one
source, ``kremlin``; a crawl re-checks and retries only its own site's pages.

The site throttles hard, so the default delay between requests is 10 s
(``-s DOWNLOAD_DELAY=…`` overrides it; a loopback ``base_url`` crawls
without delay, as every spider of the project does).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from archive.queries import CrawlState
from mfa_scraper.items import FetchFailed
from mfa_scraper.sites.kremlin import (
    CANONICAL_BASE,
    CANONICAL_BASES,
    ExtractionError,
    Listing,
    event_id,
    extract_kremlin_page,
    feed_entry_document,
    parse_kremlin_feed,
    parse_kremlin_listing,
)
from mfa_scraper.spiders.base import ArchiveSpider, parse_lang
from mfa_scraper.spiders.incremental import ListedDocument, with_validators

#: Seconds between requests to the live site: it answers faster crawling with errors.
KREMLIN_DELAY = 10.0


class KremlinSpider(ArchiveSpider):
    """en.kremlin.ru (or kremlin.ru): news and transcripts of the President of Russia.

    Spider arguments: ``base_url``, ``start_urls``, ``since`` (see
    :mod:`mfa_scraper.spiders.base`) and ``lang`` (``en``, the default, or ``ru``).
    """

    name = "kremlin"
    source_title = "President of Russia (Kremlin)"
    source_country = "Russia"
    newsroom = "Kremlin"
    source_kind = "head of state"
    canonical_base = CANONICAL_BASE
    allowed_domains = ["en.kremlin.ru"]
    start_urls = [
        "http://en.kremlin.ru/events/president/news",
        "http://en.kremlin.ru/events/president/transcripts",
    ]
    languages = ("en", "ru")
    # Spider priority: -s on the command line still wins; ArchiveSpider.from_crawler sets
    # the delays to 0 (same priority, later) for a loopback base_url.
    custom_settings = {
        "DOWNLOAD_DELAY": KREMLIN_DELAY,
        "AUTOTHROTTLE_START_DELAY": KREMLIN_DELAY,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    }

    def __init__(self, *args: Any, lang: str | None = None, **kwargs: Any) -> None:
        self.lang = parse_lang(lang, self.languages, self.name)
        # Set before the base class reads them: the site's host, then its start URLs.
        self.canonical_base = CANONICAL_BASES[self.lang]
        self.allowed_domains = [urlsplit(self.canonical_base).hostname or ""]
        super().__init__(*args, **kwargs)
        if not kwargs.get("start_urls"):
            self.start_urls = [
                self.local_url(self.canonical_base + urlsplit(url).path)
                for url in type(self).start_urls
            ]
        self.requested_events: set[int] = set()

    def source_record(self) -> dict[str, Any]:
        """One source for both sites, described by the English one whichever is crawled."""
        return {**super().source_record(), "base_url": CANONICAL_BASE}

    def load_state(self) -> CrawlState:
        """The archive's state of this site's pages only: ``lang=ru`` never re-checks English."""
        state = super().load_state()
        host = urlsplit(self.canonical_base).hostname
        state.documents = {
            url: known for url, known in state.documents.items() if urlsplit(url).hostname == host
        }
        state.failed = [url for url in state.failed if urlsplit(url).hostname == host]
        return state

    async def start(self) -> AsyncIterator[Any]:
        self.load_state()
        for url in self.start_urls:
            if urlsplit(url).path.rstrip("/").endswith("/feed"):
                yield scrapy.Request(url, callback=self.parse_feed, errback=self.fetch_failed)
            else:
                yield self.section_request(url)
        for request in self.recheck_requests():
            yield request

    def is_document_url(self, url: str) -> bool:
        return event_id(url) is not None

    def parse_listing_page(
        self, response: Response, section: str | None = None, stale_pages: int = 0
    ) -> Any:
        """Follow the new events of a listing page (once across sections), then the next page."""
        listing = parse_kremlin_listing(response.body, response.url)
        section = section or self.canonical_url(response.url)
        self.count_listing(response, len(listing.entries), section)
        entries = []
        for entry in listing.entries:
            number = event_id(entry.url)
            if number in self.requested_events:
                continue  # listed in news and in transcripts
            if number is not None:
                self.requested_events.add(number)
            entries.append(ListedDocument(entry.url, entry.date, {"listed": entry.published}))
        yield from self.follow_listing(
            response,
            entries,
            listing.next_page,
            section=section,
            stale_pages=stale_pages,
        )

    def parse_feed(self, response: Response) -> Any:
        """Archive each entry of the Atom feed from the HTML it carries, then page on."""
        try:
            listing = parse_kremlin_feed(response.body)
        except ExtractionError as exc:
            self.logger.warning("%s: %s", response.url, exc)
            self.count_listing(response, 0)
            return
        self.count_listing(response, len(listing.entries))
        reached_since = False
        for entry in listing.entries:
            if self.before_since(entry.date):
                reached_since = True
                continue
            try:
                yield feed_entry_document(entry)
            except ExtractionError as exc:
                self.crawler.stats.inc_value("kremlin/unreadable_pages")
                self.logger.warning("%s", exc)
        yield from self._next_page(response, listing, reached_since, self.parse_feed)

    def _next_page(
        self, response: Response, listing: Listing, reached_since: bool, callback: Any
    ) -> Any:
        if reached_since:
            self.logger.info("reached since=%s on %s; not paging further", self.since, response.url)
        elif listing.next_page:
            yield response.follow(
                self.local_url(listing.next_page), callback=callback, errback=self.fetch_failed
            )

    def parse_document(self, response: Response, listed: str | None = None) -> Any:
        """Extract one news or transcript page; the listing's date stands in for a missing one."""
        url = self.canonical_url(response.url)
        try:
            document = extract_kremlin_page(response.body, url)
        except ExtractionError as exc:
            self.crawler.stats.inc_value("kremlin/unreadable_pages")
            self.logger.warning("%s", exc)
            yield FetchFailed(url=url, source=self.source, reason=str(exc)[:300])
            return
        if not document.published and listed:
            document.published = listed
            document.flags = [f for f in document.flags if f != "no-date"] + ["date-from-listing"]
        if self.before_since(document.published):
            return
        yield with_validators(self.with_quotes(document), response)
