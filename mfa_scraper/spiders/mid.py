"""``scrapy crawl mid``: Ministry of Foreign Affairs of the Russian Federation, English site.

Sections: foreign policy news, the spokesperson's (Maria Zakharova's) briefings,
the minister's speeches and interviews. mid.ru answers plain HTTP clients with
a JavaScript challenge (a small page whose script sets a cookie and reloads).
Every response is checked with
:func:`~mfa_scraper.extractors.challenge.detect_challenge`; on a challenge the
crawl stops at once (finish reason ``js_challenge``) with a message saying so,
instead of archiving the stub or ending "successfully" with nothing.

What works: challenge detection (tested on constructed challenge pages, and
checked never to fire on the project's real pages). What is not done: a
browser-rendering path (scrapy-playwright) that would pass the challenge, and a
mid.ru-specific page extractor: no real mid.ru page was available, so documents
go through the generic article extractor, and briefings are not yet split into
turns. Listing and document URLs follow the site's known scheme
(``/en/foreign_policy/news/``, ``…/?PAGEN_1=2``, ``/en/…/<id>/``), untested.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import Response

from mfa_scraper.extractors.article import extract_article
from mfa_scraper.extractors.challenge import detect_challenge
from mfa_scraper.spiders.base import ArchiveSpider

#: Document paths of the English site's sections: ``/en/<section>/<numeric id>/``.
DOCUMENT_PATH = re.compile(
    r"^/en/(?:foreign_policy/news|press_service/spokesman/briefings"
    r"|press_service/minister_speeches|press_service/minister_interviews)/\d+/?$"
)
#: Bitrix paging parameter of listings.
PAGE_PARAM = re.compile(r"[?&]PAGEN_\d+=(\d+)")
#: Statuses a challenge may come with; handed to the callbacks instead of being dropped.
CHALLENGE_STATUSES = (403, 429, 503)


class MidSpider(ArchiveSpider):
    """Russia's MFA (mid.ru, English): news, spokesperson briefings, minister's speeches.

    Spider arguments: ``base_url``, ``start_urls``, ``since`` (see
    :mod:`mfa_scraper.spiders.base`).
    """

    name = "mid"
    source_title = "Ministry of Foreign Affairs of the Russian Federation"
    source_country = "Russia"
    source_kind = "ministry"
    canonical_base = "https://mid.ru"
    allowed_domains = ["mid.ru"]
    start_urls = [
        "https://mid.ru/en/foreign_policy/news/",
        "https://mid.ru/en/press_service/spokesman/briefings/",
        "https://mid.ru/en/press_service/minister_speeches/",
    ]
    custom_settings: ClassVar[dict[str, Any]] = {
        "HTTPERROR_ALLOWED_CODES": list(CHALLENGE_STATUSES),
    }

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_listing)

    def check_challenge(self, response: Response) -> None:
        """Stop the crawl on a challenge page, saying what it was and what to do."""
        challenge = detect_challenge(response.body, response.status, response.headers)
        if challenge is None:
            if response.status in CHALLENGE_STATUSES:
                self.logger.error("mid.ru refused %s with HTTP %s", response.url, response.status)
            return
        self.crawler.stats.set_value("mid/challenge", challenge.vendor)
        self.logger.error(
            "mid.ru answered %s with a JavaScript challenge (%s; %s), not the page. A plain "
            "HTTP client cannot pass it, so nothing is archived and the crawl stops. A "
            "browser-rendering path is not available yet: see the README, 'mid'.",
            response.url,
            challenge.vendor,
            challenge.evidence,
        )
        raise CloseSpider("js_challenge")

    def parse_listing(self, response: Response) -> Any:
        """Follow the documents of a listing page and its next page."""
        self.check_challenge(response)
        if response.status in CHALLENGE_STATUSES:
            return
        links = {urljoin(response.url, h) for h in response.css("a::attr(href)").getall()}
        documents = sorted(u for u in links if DOCUMENT_PATH.match(urlsplit(u).path))
        if not documents:
            self.logger.warning("no documents listed on %s", response.url)
        for url in documents:
            yield scrapy.Request(self.local_url(url), callback=self.parse_document)
        current = PAGE_PARAM.search(response.url)
        number = int(current.group(1)) if current else 1
        for url in sorted(links):
            found = PAGE_PARAM.search(url)
            if found and int(found.group(1)) == number + 1 and documents:
                yield scrapy.Request(self.local_url(url), callback=self.parse_listing)
                break

    def parse_document(self, response: Response) -> Any:
        """One news item, briefing or speech, through the generic extractor."""
        self.check_challenge(response)
        if response.status in CHALLENGE_STATUSES:
            return
        document = extract_article(
            response.body, self.canonical_url(response.url), source=self.source
        )
        document.url = self.canonical_url(document.url)
        published = document.published or ""
        day = published[:10] if re.match(r"\d{4}-\d\d-\d\d", published) else None
        if not (day and self.before_since(date.fromisoformat(day))):
            yield document
