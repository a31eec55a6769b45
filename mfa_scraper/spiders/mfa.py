"""``scrapy crawl mfa``: China's Ministry of Foreign Affairs, English or Chinese site.

Crawls the spokesperson's press conferences and remarks and the leadership news
where they are now (the layout in use since 2022: ``index.html``,
``index_N.html``, ``YYYYMM/tYYYYMMDD_N.html``, ``.shtml`` on the Chinese site),
and the sections of the 2015–2021 layout (``default.shtml``, ``default_N.shtml``,
page count in the ``countPage`` script variable, ``tNNNNNNN.shtml`` documents),
which live on in archived copies of the site. Listing pages are followed one
after another, newest first, so that ``since=`` can stop paging once a page
reaches past that date; each one logs how many entries it gave.

Redirects: a document is archived under the URL it was finally served from, and
an archived URL that now redirects to another document is recorded as moved
(removed, with the new URL as reason). A listing page that redirects within its
section (a section renumbered or moved to the new layout) is read there; one
that redirects elsewhere (the home page, an unrelated section) is not read as
that section. Past the last page of a section whose page count is unknown the
site answers 404, redirects, or lists nothing: paging stops there, and the
section counts as paged to its end.

``-a lang=zh`` crawls the Chinese site instead of the English one: the
spokesperson section 发言人表态 and its press conferences 记者会实录 (now at
``/fyrbt_673021/…``, also linked under ``/web/``), and the leadership news
重要新闻. Both languages are one source, ``mfa``; their sections, documents
(by URL, with ``language``), re-checks and retries are kept apart, so crawling
one language never fetches the other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.queries import CrawlState
from mfa_scraper.items import FetchFailed, PageRemoved, SectionCompleted
from mfa_scraper.sites.mfa import (
    DOCUMENT_LINK,
    ExtractionError,
    RemovedPage,
    extract_mfa_page,
    listing_hints,
    page_number,
    parse_listing,
    same_section,
    url_language,
)
from mfa_scraper.spiders.base import ArchiveSpider, parse_lang
from mfa_scraper.spiders.incremental import ListedDocument, with_validators

#: Start URLs by language: where the documents are now, then the 2015–2021 sections.
START_URLS: dict[str, list[str]] = {
    "en": [
        # Regular press conferences, layout since 2022 (seen in the breadcrumbs of real pages).
        "https://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/index.html",
        # Spokesperson's Remarks, one level up: statements, and some press conferences too
        # (a real transcript of 17 October 2024 is filed there).
        "https://www.fmprc.gov.cn/eng/xw/fyrbt/index.html",
        # Leadership news ("Xi Jinping Meets with …"), layout since 2022.
        "https://www.fmprc.gov.cn/eng/xw/zyxw/index.html",
        # 2015–2021 layout: archived copies. On the live site the press conferences' section
        # is reported to redirect elsewhere; that redirect is not followed as the section.
        "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/default.shtml",
        "https://www.fmprc.gov.cn/mfa_eng/zxxx_662805/default.shtml",
    ],
    "zh": [
        # 记者会实录 (press conferences) and 发言人表态, layout since 2022: the real English
        # pages link their Chinese versions there, with and without /web/.
        "https://www.fmprc.gov.cn/fyrbt_673021/jzhsl_673025/index.shtml",
        "https://www.fmprc.gov.cn/fyrbt_673021/index.shtml",
        # 重要新闻 (leadership news), as other scrapers report it.
        "https://www.fmprc.gov.cn/web/zyxw/index.shtml",
        # 2015–2021 layout (发言人表态, 领导人活动): archived copies; reported dead on the site.
        "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/default.shtml",
        "https://www.fmprc.gov.cn/web/wjdt_674879/gjldrhd_674881/default.shtml",
    ],
}
#: Sections of the 2015–2021 layout: gone from the live site, kept for archived copies. Their
#: 404, or a redirect out of the section, is expected there and logged, not a failure.
LEGACY_SECTIONS = frozenset(
    url for urls in START_URLS.values() for url in urls if "/default" in url
)


class MfaSpider(ArchiveSpider):
    """China MFA: press conferences and remarks (``fyrbt/lxjzh``, ``fyrbt``,
    ``fyrbt_673021``; ``2511_665403``, ``fyrbt_674889`` before 2022) and leadership news,
    on the English or the Chinese site.

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
        #: Entries listed so far in this crawl, by section: a guessed page that lists only
        #: these (a site that answers every page number with its first page) ends the paging.
        self.listed: dict[str, set[str]] = {}

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
        self, response: Response, section: str, stale_pages: int = 0, guessed: bool = False
    ) -> Iterator[Any]:
        """Follow the new documents of a listing page, then the next listing page.

        ``guessed``: this page's URL was guessed from the previous page's name
        (:attr:`~mfa_scraper.sites.mfa.Listing.next_guessed`), so a redirect or a
        page listing nothing new means the section ended before it.
        """
        asked, url = self.canonical_url(_asked_url(response)), self.canonical_url(response.url)
        if asked != url and not self._read_redirected_listing(asked, url, section):
            if page_number(asked) > 0:
                yield SectionCompleted(url=section, source=self.source)
            return
        listing = parse_listing(response.body, response.url, encoding=_charset(response))
        listed = self.listed.setdefault(section, set())
        fresh = [entry for entry in listing.entries if entry.url not in listed]
        listed.update(entry.url for entry in listing.entries)
        if guessed and not fresh:
            # Past the end, not a listing that broke: not counted as an empty listing page.
            self.logger.info("%s lists nothing new: %s ends before it", url, section)
            yield SectionCompleted(url=section, source=self.source)
            return
        self.count_listing(response, len(listing.entries), section)
        self.logger.info(
            "listing page %s gave %d entries (%d new in this crawl); next page: %s",
            url,
            len(listing.entries),
            len(fresh),
            _next_page_note(
                listing.next_page and self.canonical_url(listing.next_page), listing.next_guessed
            ),
        )
        entries = [
            ListedDocument(
                entry.url,
                entry.date,
                {"date_hints": [d.isoformat() for d in listing_hints(listing.entries, i)]},
            )
            for i, entry in enumerate(listing.entries)
        ]
        for item in self.follow_listing(
            response, entries, listing.next_page, section=section, stale_pages=stale_pages
        ):
            if isinstance(item, scrapy.Request) and item.callback == self.parse_listing_page:
                item.cb_kwargs["guessed"] = listing.next_guessed
            yield item

    def _read_redirected_listing(self, asked: str, url: str, section: str) -> bool:
        """Whether a listing page asked for at ``asked`` and served from ``url`` is read.

        A later page redirected to another page number or out of its section is past
        the section's last page. A section's first page redirected within the section
        (renumbered, moved to the current layout) is read where it went; redirected
        elsewhere (the home page, an unrelated section, a single page filed in the
        section's folder) it is not read as that section.
        """
        if page_number(asked) > 0:
            if page_number(url) == page_number(asked) and same_section(asked, url):
                return True
            self.logger.info(
                "listing page %s redirects to %s: past the end of %s", asked, url, section
            )
            return False
        if same_section(asked, url) and not self.is_document_url(url):
            self.logger.info("section %s moved to %s", asked, url)
            return True
        self.crawler.stats.inc_value("mfa/listings_redirected_elsewhere")
        log = self.logger.info if section in LEGACY_SECTIONS else self.logger.warning
        log("%s redirects to %s, which does not list that section: not read", asked, url)
        return False

    def fetch_failed(self, failure: Failure) -> Iterator[Any]:
        """Errback: past the last page of a section, or a 2015–2021 section gone from the
        site, a 404 is the end of paging, not a failure; anything else is recorded."""
        request = failure.request  # type: ignore[attr-defined]
        section = request.cb_kwargs.get("section")
        status = failure.value.response.status if failure.check(HttpError) else None
        if section is not None and status in (404, 410):
            asked = self.canonical_url(_asked_url(request))
            if request.cb_kwargs.get("guessed"):
                self.logger.info(
                    "listing page %s answers %d: past the end of %s", asked, status, section
                )
                yield SectionCompleted(url=section, source=self.source)
                return
            if section in LEGACY_SECTIONS and asked == section:
                self.logger.info(
                    "the 2015–2021 section %s is not on this site (HTTP %d)", asked, status
                )
                return
        yield from super().fetch_failed(failure)

    def parse_document(self, response: Response, date_hints: list[str] | None = None) -> Any:
        """Extract one transcript, statement or news page, under the URL it was served from.

        An archived URL that now redirects to another document is recorded as moved; one
        that redirects to a page that is no document (the home page) as removed.
        """
        hints = [date.fromisoformat(d) for d in date_hints or []]
        asked, url = self.canonical_url(_asked_url(response)), self.canonical_url(response.url)
        if asked != url and not self.is_document_url(url):
            reason = f"redirects to {url}, which is no document"
            self.crawler.stats.inc_value("mfa/redirected_off_documents")
            self.logger.warning("%s %s", asked, reason)
            if asked in self.state.documents:
                yield PageRemoved(url=asked, reason=reason)
            else:
                yield FetchFailed(url=asked, source=self.source, reason=reason)
            return
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
        if asked != url:
            self.logger.info("%s moved to %s", asked, url)
            if asked in self.state.documents:
                yield PageRemoved(url=asked, reason=f"moved to {url}")
        if self.before_since(document.published):
            return
        yield with_validators(self.with_quotes(document), response)


def _asked_url(response: Response | scrapy.Request) -> str:
    """The URL a request asked for, before any redirect."""
    return (response.meta.get("redirect_urls") or [response.url])[0]


def _next_page_note(next_page: str | None, guessed: bool) -> str:
    if not next_page:
        return "none (last page)"
    return f"{next_page} (guessed: the page names no page count)" if guessed else next_page


def _charset(response: Response) -> str | None:
    """The charset the server declared in Content-Type, if it declared one."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").lower()
    if "charset=" in content_type:
        return content_type.split("charset=", 1)[1].split(";")[0].strip() or None
    return None
