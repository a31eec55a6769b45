"""The floor of the crawl benchmark: a bare Scrapy spider that fetches and parses the pages
the project's spider fetches, and does nothing else.

It starts where the project's spider starts, follows the same listing pages and document
links (parsed with the site's own listing parser), and parses each document page with the
site's page extractor, the HTML → Document step every crawl needs. No quote attribution,
no incremental state, no validators, no pipeline: ``bench/crawl.py`` counts each of those
as what it is.

Run by ``bench/crawl.py``: ``scrapy runspider bench/bare_spider.py -a site=mfa -a
base_url=http://127.0.0.1:PORT``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy

from mfa_scraper.sites.kremlin import event_id, extract_kremlin_page, parse_kremlin_listing
from mfa_scraper.sites.mfa import DOCUMENT_LINK, ExtractionError, extract_mfa_page, parse_listing
from mfa_scraper.spiders.mfa import START_URLS

#: site -> (listing parser, page extractor, is a document URL, canonical host)
SITES = {
    "mfa": (
        lambda response: parse_listing(response.body, response.url),
        extract_mfa_page,
        lambda url: bool(DOCUMENT_LINK.search(url.split("?")[0])),
        "https://www.fmprc.gov.cn",
    ),
    "kremlin": (
        lambda response: parse_kremlin_listing(response.body, response.url),
        extract_kremlin_page,
        lambda url: event_id(url) is not None,
        "http://en.kremlin.ru",
    ),
}


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, site: str, base_url: str, start_urls: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.listing, self.extract, self.is_document, self.canonical = SITES[site]
        self.base = urlsplit(base_url)
        self.start_urls = start_urls.split(",") if start_urls else START_URLS["en"]

    def local(self, url: str) -> str:
        parts = urlsplit(url)
        return urlunsplit((self.base.scheme, self.base.netloc, parts.path, parts.query, ""))

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_urls:
            yield scrapy.Request(self.local(url), callback=self.parse_listing)

    def parse_listing(self, response):
        listing = self.listing(response)
        for entry in listing.entries:
            url = self.local(entry.url)
            if self.is_document(url):
                yield scrapy.Request(url, callback=self.parse_page)
        if listing.next_page:
            yield scrapy.Request(self.local(listing.next_page), callback=self.parse_listing)

    def parse_page(self, response):
        path = urlsplit(response.url)
        url = self.canonical + path.path
        try:
            yield self.extract(response.body, url)
        except ExtractionError:
            return
