"""``scrapy crawl mid``: Ministry of Foreign Affairs of the Russian Federation, English site.

Sections: foreign policy news, the spokesperson's (Maria Zakharova's) briefings,
the minister's speeches and interviews. mid.ru answers plain HTTP clients with
a JavaScript challenge (a small page whose script sets a cookie and reloads, or
one that reads "Data processing... Please, wait."). Every response is checked with
:func:`~mfa_scraper.page.challenge.detect_challenge`; on a challenge the
crawl stops at once (finish reason ``js_challenge``) with a message saying so and
naming the browser path, instead of archiving the stub or ending "successfully"
with nothing.

Finding documents: the first page of each section listing, and the sitemaps the
site's robots.txt names (``/sitemap.xml`` when it names none). The listings page
with ``?PAGEN_1=N``, which mid.ru's robots.txt forbids: with ``ROBOTSTXT_OBEY``
(the project's default) Scrapy's RobotsTxtMiddleware drops those requests, and the
spider says so in the log, one warning per forbidden URL (stat
``mid/robots_forbidden``), so a crawl that sees only the first page of each section
says why; the sitemaps list the documents past it. A crawl with ``start_urls``
follows only those listings.

Documents go through :func:`~mfa_scraper.sites.mid.extract_mid_page`: the table of
contents and "Back to contents" links are taken out, and briefings are split into
turns (remarks, questions, answers); other pages are the ministry's reports.

The browser path (``-a browser=1`` or ``-s ARCHIVE_BROWSER=1``, the ``[browser]``
extra and Debian's Chromium; see :mod:`mfa_scraper.browser`) sends every request
through headless Chromium, which runs the challenge script, keeps its cookie and
hands over the real page. Plain HTTP stays the default: it needs no browser, and
the challenge check tells at once when the site requires one.

What is tested: challenge detection (on constructed challenge pages, and checked
never to fire on the project's real pages); the browser path, on loopback against a
constructed cookie-and-reload challenge in front of constructed mid.ru-like pages;
robots.txt, sitemaps (also through the browser, which shows XML in its viewer),
contents and briefings on a constructed site built from other scrapers' reports. No
real mid.ru page, robots.txt or sitemap was available: listing, document and sitemap
URLs follow the site's reported scheme (``/en/foreign_policy/news/``,
``…/?PAGEN_1=2``, ``/en/…/<id>/``), untested on the real site.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import sitemap_urls_from_robots
from twisted.python.failure import Failure

from mfa_scraper.browser import (
    CHALLENGE_TIMEOUT,
    apply_browser_settings,
    browser_meta,
    executable_path,
    final_status,
    parse_flag,
    rendered,
    require_browser,
    xml_in_viewer,
)
from mfa_scraper.page.challenge import detect_challenge
from mfa_scraper.page.feeds import FeedError, parse_sitemap, sniff
from mfa_scraper.sites.mid import extract_mid_page
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
#: Where the sitemap is when robots.txt names none.
DEFAULT_SITEMAP = "/sitemap.xml"
#: What Scrapy's RobotsTxtMiddleware says when it drops a request.
ROBOTS_FORBIDDEN = "robots.txt"


class MidSpider(ArchiveSpider):
    """Russia's MFA (mid.ru, English): news, spokesperson briefings, minister's speeches.

    Spider arguments: ``base_url``, ``start_urls``, ``since`` (see
    :mod:`mfa_scraper.spiders.base`), and ``browser=1`` (or the setting
    ``ARCHIVE_BROWSER=1``): fetch pages with headless Chromium, past the challenge.
    """

    name = "mid"
    source_title = "Ministry of Foreign Affairs of the Russian Federation"
    source_country = "Russia"
    source_kind = "ministry"
    #: A page without speaker labels (news) is the ministry's own report.
    newsroom = "Russian Foreign Ministry"
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

    def __init__(self, *args: Any, browser: str | None = None, **kwargs: Any) -> None:
        #: The sitemaps cover the whole site: read on a default crawl, not for chosen listings.
        self.use_sitemaps = not kwargs.get("start_urls")
        super().__init__(*args, **kwargs)
        self.browser = parse_flag(browser)
        self.challenge_timeout = CHALLENGE_TIMEOUT

    @classmethod
    def check_arguments(cls, **kwargs: Any) -> None:
        """Also check ``browser`` is a yes/no value."""
        super().check_arguments(**kwargs)
        parse_flag(kwargs.get("browser"))

    @classmethod
    def check_settings(cls, settings: Any, **kwargs: Any) -> None:
        """Fail at once, in one line, when the browser path is asked for but cannot run here.

        Called by the project's ``crawl`` command with the ``-s`` settings, which may name
        another Chromium; inside the crawl the same failure would be a traceback.
        """
        if parse_flag(kwargs.get("browser")) or settings.getbool("ARCHIVE_BROWSER"):
            require_browser(executable_path(settings))

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        """``-s ARCHIVE_BROWSER=1`` switches this spider (and only it) to the browser path.

        Runs when Scrapy builds the crawler, before any request, so a missing extra or
        browser is a one-line usage error.
        """
        super().update_settings(settings)
        if settings.getbool("ARCHIVE_BROWSER"):
            apply_browser_settings(settings)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> MidSpider:
        """The ``browser`` argument sets the download handlers here, before settings freeze."""
        spider = super().from_crawler(crawler, *args, **kwargs)
        if crawler.settings.getbool("ARCHIVE_BROWSER"):
            spider.browser = True
        elif spider.browser:
            apply_browser_settings(crawler.settings)
        spider.challenge_timeout = crawler.settings.getfloat(
            "ARCHIVE_BROWSER_TIMEOUT", CHALLENGE_TIMEOUT
        )
        if spider.browser:
            spider.logger.info("mid: fetching pages with headless Chromium (browser path)")
        return spider

    def request(self, url: str, callback: Any, **meta: Any) -> scrapy.Request:
        """A request for ``url``, through the browser when the browser path is on."""
        if self.browser:
            meta.update(browser_meta(self.challenge_timeout))
        return scrapy.Request(url, callback=callback, errback=self.not_fetched, meta=meta)

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_urls:
            yield self.request(url, self.parse_listing)
        if self.use_sitemaps:
            robots = self.local_url(urljoin(self.canonical_base, "/robots.txt"))
            yield self.request(robots, self.parse_robots, handle_httpstatus_list=[404, 410])

    def not_fetched(self, failure: Failure) -> Any:
        """A request that got no response: say what robots.txt forbade; a document that
        failed is recorded as a failed fetch (:meth:`fetch_failed`), anything else logged."""
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(IgnoreRequest) and ROBOTS_FORBIDDEN in str(failure.value):
            self.crawler.stats.inc_value("mid/robots_forbidden")
            paging = PAGE_PARAM.search(request.url)
            self.logger.warning(
                "robots.txt of mid.ru forbids %s, so it is not fetched%s",
                self.canonical_url(request.url),
                " (listing paging: documents past the section's first page come from the sitemaps)"
                if paging
                else "",
            )
            return
        if getattr(request.callback, "__name__", "") == "parse_document":
            yield from self.fetch_failed(failure)
            return
        if failure.check(HttpError):
            status = failure.value.response.status
            self.logger.error("%s answered HTTP %s", self.canonical_url(request.url), status)
            return
        self.logger.error("%s not fetched: %s", request.url, failure.getErrorMessage())

    # -- sitemaps ---------------------------------------------------------------------------

    def parse_robots(self, response: Response) -> Any:
        """The sitemaps robots.txt names (``Sitemap:`` lines), else ``/sitemap.xml``."""
        self.check_challenge(response)
        named = []
        if response.status == 200:
            named = list(sitemap_urls_from_robots(response.body, base_url=response.url))
        sitemaps = named or [urljoin(self.canonical_base, DEFAULT_SITEMAP)]
        self.logger.info(
            "mid: reading the sitemaps %s (%s)",
            ", ".join(sitemaps),
            "named in robots.txt" if named else "robots.txt names none",
        )
        for url in sitemaps:
            yield self.request(self.local_url(url), self.parse_sitemap)

    def parse_sitemap(self, response: Response) -> Any:
        """A sitemap index (its sitemaps) or a sitemap (its documents of the English sections)."""
        body = response.body
        if body[:2] == b"\x1f\x8b":  # a .xml.gz served as is
            body = gunzip(body)
        if rendered(response):  # through the browser: Chromium's XML viewer around it
            body = xml_in_viewer(body) or body
        kind = sniff(body)
        if kind not in ("sitemap", "sitemapindex"):
            self.check_challenge(response)
            self.logger.warning("not a sitemap: %s", response.url)
            return
        try:
            sitemap = parse_sitemap(body, response.url)
        except FeedError as exc:
            self.logger.warning("unreadable sitemap %s: %s", response.url, exc)
            return
        for entry in sitemap.entries:
            if self.before_since(entry.lastmod):
                continue
            url = self.local_url(entry.url)
            if sitemap.kind == "index":
                yield self.request(url, self.parse_sitemap)
            elif DOCUMENT_PATH.match(urlsplit(entry.url).path):
                self.crawler.stats.inc_value("mid/sitemap_documents")
                yield self.request(url, self.parse_document)

    def check_challenge(self, response: Response) -> None:
        """Stop the crawl on a challenge page, saying what it was and what to do."""
        status = final_status(response)
        challenge = detect_challenge(response.body, status, response.headers)
        if challenge is None:
            if status in CHALLENGE_STATUSES:
                self.logger.error("mid.ru refused %s with HTTP %s", response.url, status)
            return
        self.crawler.stats.set_value("mid/challenge", challenge.vendor)
        if rendered(response):
            advice = (
                f"Headless Chromium did not get past it in {self.challenge_timeout:g} s (a "
                "challenge that wants a person, not only JavaScript, or a slow one: "
                "-s ARCHIVE_BROWSER_TIMEOUT=SECONDS), so nothing more is archived and the "
                "crawl stops."
            )
        else:
            advice = (
                "A plain HTTP client cannot pass it, so nothing is archived and the crawl "
                "stops. Crawl through a browser instead: scrapy crawl mid -a browser=1 (needs "
                "pip install 'mfa-archive[browser]' and apt-get install chromium)."
            )
        self.logger.error(
            "mid.ru answered %s with a JavaScript challenge (%s; %s), not the page. %s",
            response.url,
            challenge.vendor,
            challenge.evidence,
            advice,
        )
        raise CloseSpider("js_challenge")

    def parse_listing(self, response: Response) -> Any:
        """Follow the documents of a listing page and its next page."""
        self.check_challenge(response)
        if final_status(response) in CHALLENGE_STATUSES:
            return
        links = {urljoin(response.url, h) for h in response.css("a::attr(href)").getall()}
        documents = sorted(u for u in links if DOCUMENT_PATH.match(urlsplit(u).path))
        self.count_listing(response, len(documents))
        for url in documents:
            yield self.request(self.local_url(url), self.parse_document)
        current = PAGE_PARAM.search(response.url)
        number = int(current.group(1)) if current else 1
        for url in sorted(links):
            found = PAGE_PARAM.search(url)
            if found and int(found.group(1)) == number + 1 and documents:
                yield self.request(self.local_url(url), self.parse_listing)
                break

    def parse_document(self, response: Response) -> Any:
        """One news item, briefing or speech, through the generic extractor."""
        self.check_challenge(response)
        if final_status(response) in CHALLENGE_STATUSES:
            return
        document = extract_mid_page(response.body, self.canonical_url(response.url))
        document.source = self.source
        document.url = self.canonical_url(document.url)
        published = document.published or ""
        day = published[:10] if re.match(r"\d{4}-\d\d-\d\d", published) else None
        if not (day and self.before_since(date.fromisoformat(day))):
            yield self.with_quotes(document)
