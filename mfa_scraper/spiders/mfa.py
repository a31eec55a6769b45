"""``scrapy crawl mfa``: China's Ministry of Foreign Affairs, English or Chinese site.

Crawls the spokesperson's regular press conferences and the leadership news
in both site layouts: 2015–2021 (``default.shtml``, ``default_N.shtml``, page
count in the ``countPage`` script variable, ``tNNNNNNN.shtml`` documents) and
the current one (``index.html``, ``index_N.html``, ``YYYYMM/tYYYYMMDD_N.html``,
``.shtml`` on the Chinese site). Listing pages are followed one after another,
newest first, so that ``since=`` can stop paging once a page reaches past that
date.

``-a lang=zh`` crawls the Chinese site (``/web/…``) instead of the English
one: the spokesperson section 发言人表态 (press conferences and written
remarks) and the leadership news 领导人活动. Both languages are one source,
``mfa``; their sections, documents (by URL, with ``language``), re-checks and
retries are kept apart, so crawling one language never fetches the other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

from scrapy.http import Response

from archive.queries import CrawlState
from mfa_scraper.items import FetchFailed, PageRemoved
from mfa_scraper.sites.mfa import (
    DOCUMENT_LINK,
    ExtractionError,
    RemovedPage,
    extract_mfa_page,
    listing_hints,
    parse_listing,
    url_language,
)
from mfa_scraper.spiders.base import ArchiveSpider, parse_lang
from mfa_scraper.spiders.incremental import ListedDocument, with_validators

#: Start URLs by language: spokesperson sections and leadership news, both layouts.
START_URLS: dict[str, list[str]] = {
    "en": [
        # Regular press conferences, 2015–2021 layout (pages back to 2015 stay online there).
        "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/default.shtml",
        # Regular press conferences, layout since 2022.
        "https://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/index.html",
        # Leadership news ("Xi Jinping Meets with …"), layout since 2022 and before.
        "https://www.fmprc.gov.cn/eng/xw/zyxw/index.html",
        "https://www.fmprc.gov.cn/mfa_eng/zxxx_662805/default.shtml",
    ],
    "zh": [
        # 发言人表态 (press conferences, 答记者问, 谈话), 2015–2021 layout: default_N.shtml.
        "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/default.shtml",
        # The same section in the layout since 2022: index_N.html, YYYYMM/tYYYYMMDD_N.shtml.
        "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/index.html",
        # 领导人活动 (leadership news), as the section menu of the real listing links it;
        # no page of it is stored, so both layouts are asked for as in the spokesperson section.
        "https://www.fmprc.gov.cn/web/wjdt_674879/gjldrhd_674881/default.shtml",
        "https://www.fmprc.gov.cn/web/wjdt_674879/gjldrhd_674881/index.html",
    ],
}


class MfaSpider(ArchiveSpider):
    """China MFA: press conferences (``2511_665403``, ``fyrbt/lxjzh``, ``fyrbt_674889``) and
    leadership news, on the English or the Chinese site.

    Spider arguments: ``base_url``, ``start_urls``, ``since`` (see
    :mod:`mfa_scraper.spiders.base`) and ``lang`` (``en``, the default, or ``zh``).
    """

    name = "mfa"
    source_title = "Ministry of Foreign Affairs of the People's Republic of China"
    source_country = "China"
    newsroom = "Chinese Foreign Ministry"
    source_kind = "ministry"
    canonical_base = "https://www.fmprc.gov.cn"
    allowed_domains = ["fmprc.gov.cn", "mfa.gov.cn"]
    start_urls = START_URLS["en"]
    languages = ("en", "zh")

    def __init__(self, *args: Any, lang: str | None = None, **kwargs: Any) -> None:
        self.lang = parse_lang(lang, self.languages, self.name)
        super().__init__(*args, **kwargs)
        if not kwargs.get("start_urls"):
            self.start_urls = [self.local_url(u) for u in START_URLS[self.lang]]

    def load_state(self) -> CrawlState:
        """The archive's state of this language's pages only (see :func:`url_language`)."""
        state = super().load_state()
        state.documents = {u: d for u, d in state.documents.items() if self._ours(u)}
        state.failed = [u for u in state.failed if self._ours(u)]
        return state

    def _ours(self, url: str) -> bool:
        """Whether an archived URL belongs to the language crawled (unknown paths: English)."""
        return (url_language(url) or "en") == self.lang

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
        self.count_listing(response, len(listing.entries), section)
        entries = [
            ListedDocument(
                entry.url,
                entry.date,
                {"date_hints": [d.isoformat() for d in listing_hints(listing.entries, i)]},
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
