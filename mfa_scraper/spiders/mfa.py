"""``scrapy crawl mfa``: China's Ministry of Foreign Affairs, English site.

Crawls the spokesperson's regular press conferences and the leadership news
in both site layouts: 2015–2021 (``default.shtml``, ``default_N.shtml``, page
count in the ``countPage`` script variable, ``tNNNNNNN.shtml`` documents) and
the current one (``index.html``, ``index_N.html``, ``YYYYMM/tYYYYMMDD_N.html``).
Listing pages are followed one after another, newest first, so that
``since=`` can stop paging once a page reaches past that date.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

from scrapy.http import Response

from mfa_scraper.extractors.mfa import (
    DOCUMENT_LINK,
    ExtractionError,
    RemovedPage,
    extract_mfa_page,
    neighbour_dates,
    parse_listing,
)
from mfa_scraper.items import FetchFailed, PageRemoved
from mfa_scraper.spiders.base import ArchiveSpider
from mfa_scraper.spiders.incremental import ListedDocument, with_validators


class MfaSpider(ArchiveSpider):
    """China MFA: press conferences (``2511_665403``, ``fyrbt/lxjzh``) and leadership news.

    Spider arguments: ``base_url``, ``start_urls``, ``since`` (see
    :mod:`mfa_scraper.spiders.base`).
    """

    name = "mfa"
    source_title = "Ministry of Foreign Affairs of the People's Republic of China"
    source_country = "China"
    newsroom = "Chinese Foreign Ministry"
    source_kind = "ministry"
    canonical_base = "https://www.fmprc.gov.cn"
    allowed_domains = ["fmprc.gov.cn", "mfa.gov.cn"]
    start_urls = [
        # Regular press conferences, 2015–2021 layout (pages back to 2015 stay online there).
        "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/default.shtml",
        # Regular press conferences, layout since 2022.
        "https://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/index.html",
        # Leadership news ("Xi Jinping Meets with …"), layout since 2022 and before.
        "https://www.fmprc.gov.cn/eng/xw/zyxw/index.html",
        "https://www.fmprc.gov.cn/mfa_eng/zxxx_662805/default.shtml",
    ]

    async def start(self) -> AsyncIterator[Any]:
        self.load_state()
        for url in self.start_urls:
            yield self.section_request(url)
        for request in self.recheck_requests():
            yield request

    def is_document_url(self, url: str) -> bool:
        return bool(DOCUMENT_LINK.search(url.split("?")[0]))

    def parse_listing_page(
        self, response: Response, section: str, stale_pages: int = 0
    ) -> Iterator[Any]:
        """Follow the new documents of a listing page, then the next listing page."""
        listing = parse_listing(response.body, response.url, encoding=_charset(response))
        if not listing.entries:
            self.logger.warning("no documents listed on %s", response.url)
        entries = [
            ListedDocument(
                entry.url,
                entry.date,
                {"date_hints": [d.isoformat() for d in neighbour_dates(listing.entries, i)]},
            )
            for i, entry in enumerate(listing.entries)
        ]
        yield from self.follow_listing(
            response, entries, listing.next_page, section=section, stale_pages=stale_pages
        )

    def parse_document(self, response: Response, date_hints: list[str] | None = None) -> Any:
        """Extract one transcript, statement or news page."""
        hints = [date.fromisoformat(d) for d in date_hints or []]
        url = self.canonical_url(response.url)
        try:
            document = extract_mfa_page(
                response.body, url, encoding=_charset(response), date_hints=hints
            )
        except RemovedPage as exc:
            self.crawler.stats.inc_value("mfa/removed_pages")
            self.logger.info("%s", exc)
            yield PageRemoved(url=url, reason="the site's removed-page notice")
            return
        except ExtractionError as exc:
            self.crawler.stats.inc_value("mfa/unreadable_pages")
            self.logger.warning("%s", exc)
            yield FetchFailed(url=url, source=self.source, reason=str(exc)[:300])
            return
        if self.before_since(document.published):
            return
        yield with_validators(self.with_quotes(document), response)


def _charset(response: Response) -> str | None:
    """The charset the server declared in Content-Type, if it declared one."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if "charset=" in content_type:
        return content_type.split("charset=", 1)[1].split(";")[0].strip() or None
    return None
