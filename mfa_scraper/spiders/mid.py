"""``scrapy crawl mid``: Ministry of Foreign Affairs of the Russian Federation, English site.

Sections: foreign policy news, the spokesperson's (Maria Zakharova's) briefings,
the minister's speeches and interviews. mid.ru answers plain HTTP clients with
a JavaScript challenge (a small page whose script sets a cookie and reloads).
Every response is checked with
:func:`~mfa_scraper.page.challenge.detect_challenge`; on a challenge the
crawl stops at once (finish reason ``js_challenge``) with a message saying so and
naming the browser path, instead of archiving the stub or ending "successfully"
with nothing.

The browser path (``-a browser=1`` or ``-s ARCHIVE_BROWSER=1``, the ``[browser]``
extra and Debian's Chromium; see :mod:`mfa_scraper.browser`) sends every request
through headless Chromium, which runs the challenge script, keeps its cookie and
hands over the real page. Plain HTTP stays the default: it needs no browser, and
the challenge check tells at once when the site requires one.

What works: challenge detection (tested on constructed challenge pages, and
checked never to fire on the project's real pages); the browser path, tested on
loopback against a constructed cookie-and-reload challenge in front of
constructed mid.ru-like pages. A challenge that wants a person (a captcha, an
interactive check) is not passed: the browser path then stops with the same
message. What is not done: a mid.ru-specific page extractor: no real mid.ru page
was available, so documents go through the generic article extractor, and
briefings are not yet split into turns. Listing and document URLs follow the
site's known scheme (``/en/foreign_policy/news/``, ``…/?PAGEN_1=2``,
``/en/…/<id>/``), untested on the real site.
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

from mfa_scraper.browser import (
    CHALLENGE_TIMEOUT,
    apply_browser_settings,
    browser_meta,
    executable_path,
    final_status,
    parse_flag,
    rendered,
    require_browser,
)
from mfa_scraper.page.article import extract_article
from mfa_scraper.page.challenge import detect_challenge
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
    :mod:`mfa_scraper.spiders.base`), and ``browser=1`` (or the setting
    ``ARCHIVE_BROWSER=1``): fetch pages with headless Chromium, past the challenge.
    """

    name = "mid"
    source_title = "Ministry of Foreign Affairs of the Russian Federation"
    source_country = "Russia"
    source_kind = "ministry"
    #: Until a mid.ru extractor splits briefings into turns, a page is the ministry's own report.
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

    def request(self, url: str, callback: Any) -> scrapy.Request:
        """A request for ``url``, through the browser when the browser path is on."""
        meta = browser_meta(self.challenge_timeout) if self.browser else {}
        return scrapy.Request(url, callback=callback, meta=meta)

    async def start(self) -> AsyncIterator[Any]:
        for url in self.start_urls:
            yield self.request(url, self.parse_listing)

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
        document = extract_article(
            response.body, self.canonical_url(response.url), source=self.source
        )
        document.url = self.canonical_url(document.url)
        published = document.published or ""
        day = published[:10] if re.match(r"\d{4}-\d\d-\d\d", published) else None
        if not (day and self.before_since(date.fromisoformat(day))):
            yield self.with_quotes(document)
