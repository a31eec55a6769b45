"""``scrapy crawl state``: U.S. Department of State press statements, readouts and briefings.

Starts from the site's RSS feeds, whose items carry the full post
(``content:encoded``) and its signatory (``dc:creator``), so a statement is
archived without fetching its page: state.gov pages refuse some clients with 403.
Where a feed item has no body, the page is fetched; where a page refuses, the
post is asked of the WordPress REST API by its slug; where a feed refuses, the
REST API lists the posts instead. A 403 is logged once per URL with the user
agent that got it and what to do.

``start_urls`` may also name listing pages (``/press-releases/``,
``/department-press-briefings/``, followed page by page) or documents in either
URL scheme (``/{slug}/`` and ``/releases/office-of-the-spokesman/YYYY/MM/{slug}/``).

Incremental (:mod:`mfa_scraper.spiders.incremental`): pages of archived documents are
not fetched again but re-checked on their schedule with conditional requests, and
failed fetches are recorded and retried. Feed items that carry their body are stored
at every crawl: that costs no request, and catches an edited statement at once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit

import scrapy
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from mfa_scraper.items import Document, FetchFailed
from mfa_scraper.page.feeds import FeedEntry, FeedError, parse_feed, parse_wp_posts, sniff
from mfa_scraper.sites.state import (
    extract_state_page,
    parse_listing,
    slug_of,
    state_document,
)
from mfa_scraper.spiders.base import ArchiveSpider
from mfa_scraper.spiders.incremental import with_validators

#: REST API post types that hold statements and briefings (``/wp-json/wp/v2/types`` lists them;
#: before 2021 documents were plain ``pages``).
API_TYPES = ("state_press_release", "state_briefing", "pages")
#: Posts asked of the REST API per request.
API_PAGE_SIZE = 50
#: Statuses handed to the callbacks instead of being dropped by Scrapy: a refusal is handled.
REFUSED = (401, 403, 429)


class StateSpider(ArchiveSpider):
    """U.S. Department of State: press releases (statements, readouts) and press briefings.

    Spider arguments: ``base_url``, ``start_urls``, ``since`` (see
    :mod:`mfa_scraper.spiders.base`).
    """

    name = "state"
    source_title = "U.S. Department of State"
    source_country = "United States"
    source_kind = "ministry"
    canonical_base = "https://www.state.gov"
    allowed_domains = ["state.gov"]
    start_urls = [
        # Press statements, readouts, media notes, fact sheets (real capture in tests/pages).
        "https://www.state.gov/rss-feed/press-releases/feed/",
        # Department Press Briefings and the Secretary's remarks: same feed machinery.
        "https://www.state.gov/rss-feed/department-press-briefings/feed/",
        "https://www.state.gov/rss-feed/secretarys-remarks/feed/",
    ]
    custom_settings: ClassVar[dict[str, Any]] = {
        # state.gov's CDN answers 403 to some non-browser user agents. A browser-like agent
        # that still names the project gets through; -s USER_AGENT=... overrides it.
        "USER_AGENT": (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0 Safari/537.36 mfa-archive/0.1 (+https://github.com/mfa-archive/mfa-archive)"
        ),
        "HTTPERROR_ALLOWED_CODES": list(REFUSED),
    }

    async def start(self) -> AsyncIterator[Any]:
        self.load_state()
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse_start, errback=self.fetch_failed)
        for request in self.recheck_requests():
            yield request

    def is_document_url(self, url: str) -> bool:
        """Feeds, REST API answers, listing pages and start URLs are not retried as documents."""
        path = urlsplit(url).path
        starts = {self.canonical_url(start) for start in self.start_urls}
        return not ("/feed" in path or "/wp-json/" in path or "/page/" in path or url in starts)

    # -- dispatch ---------------------------------------------------------------------------

    def parse_start(self, response: Response) -> Any:
        """A start URL: a feed, a REST API answer, a listing page or a document."""
        if response.status in REFUSED:
            yield from self.refused(response, fallback=self.api_listing_requests())
            return
        kind = sniff(response.body)
        if kind in ("rss", "atom"):
            yield from self.parse_feed(response)
        elif kind == "json":
            yield from self.parse_api(response)
        elif parse_listing(response.body, response.url).entries:
            yield from self.parse_listing_page(response)
        else:
            yield from self.parse_page(response)

    def refused(self, response: Response, fallback: list[scrapy.Request]) -> Any:
        """Log a refusal clearly (once per URL), count it, and go on with ``fallback``."""
        agent = response.request.headers.get(b"User-Agent", b"").decode("latin-1")
        self.crawler.stats.inc_value("state/refused")
        self.logger.error(
            "state.gov refused %s with HTTP %s for User-Agent %r; %s. Set another agent with "
            "-s USER_AGENT='...' if this persists.",
            response.url,
            response.status,
            agent,
            "trying the WordPress REST API instead" if fallback else "nothing else to try",
        )
        yield from fallback

    # -- feeds ------------------------------------------------------------------------------

    def parse_feed(self, response: Response) -> Any:
        """Archive each feed item from its own body; fetch the page only when it has none."""
        try:
            entries = parse_feed(response.body, response.url)
        except FeedError as exc:
            self.logger.warning("unreadable feed %s: %s", response.url, exc)
            entries = []
        self.count_listing(response, len(entries))
        for entry in entries:
            if self.before_since(entry.published):
                continue
            if entry.content_html:
                yield self.with_quotes(self.entry_document(entry))
            else:
                request = self.document_request(entry.url, signatory=entry.author)
                if request is not None:
                    yield request

    def entry_document(self, entry: FeedEntry) -> Document:
        """A feed item or REST API post as a document under its real URL."""
        return state_document(
            entry.content_html or "",
            self.canonical_url(entry.url),
            title=entry.title,
            published=entry.published,
            signatory=entry.author,
        )

    # -- REST API ---------------------------------------------------------------------------

    def api_url(self, post_type: str, **params: Any) -> str:
        query = urlencode(params)
        return self.local_url(f"{self.canonical_base}/wp-json/wp/v2/{post_type}?{query}")

    def api_listing_requests(self, page: int = 1) -> list[scrapy.Request]:
        """Newest posts of each post type: the fallback when a feed refuses."""
        requests = []
        for post_type in API_TYPES[:2]:
            url = self.api_url(post_type, per_page=API_PAGE_SIZE, page=page)
            requests.append(
                scrapy.Request(
                    url, callback=self.parse_api, cb_kwargs={"post_type": post_type, "page": page}
                )
            )
        return requests

    def parse_api(
        self, response: Response, post_type: str | None = None, page: int | None = None
    ) -> Any:
        """Posts of a REST API answer; the next page while posts are newer than ``since``."""
        if response.status in REFUSED:
            yield from self.refused(response, fallback=[])
            return
        try:
            entries = parse_wp_posts(response.body, response.url)
        except FeedError as exc:
            # The API answers some clients with a 200 "Technical Difficulties" HTML page.
            self.crawler.stats.inc_value("state/api_unreadable")
            self.logger.warning("REST API answer not readable at %s: %s", response.url, exc)
            entries = []
        self.count_listing(response, len(entries))
        reached_since = False
        for entry in entries:
            if self.before_since(entry.published):
                reached_since = True
                continue
            yield self.with_quotes(self.entry_document(entry))
        header = (response.headers.get(b"X-WP-TotalPages") or b"").strip()
        total = int(header) if header.isdigit() else 0  # a header that lies is no page count
        if post_type and page and entries and not reached_since and page < total:
            url = self.api_url(post_type, per_page=API_PAGE_SIZE, page=page + 1)
            yield scrapy.Request(
                url, callback=self.parse_api, cb_kwargs={"post_type": post_type, "page": page + 1}
            )

    def api_post_requests(
        self, url: str, signatory: str | None, refused: int | None = None
    ) -> list[scrapy.Request]:
        """Ask the REST API for the post at ``url`` by its slug, one post type after another.

        If the API does not have it either, the page is recorded as a failed fetch under its
        own URL (``refused``: the status the page answered), so it is retried and counted.
        """
        slug = slug_of(url)
        if not slug:
            return []
        types = list(API_TYPES)
        page = {"page_url": self.canonical_url(url), "refused": refused}
        return [
            scrapy.Request(
                self.api_url(types[0], slug=slug),
                callback=self.parse_api_post,
                errback=self.api_post_failed,
                cb_kwargs={"slug": slug, "types": types[1:], "signatory": signatory, **page},
                meta={"archive_page": page},
                dont_filter=True,
            )
        ]

    def page_failed(self, page: dict[str, Any], why: str) -> FetchFailed | None:
        """The failed fetch of the page a REST API fallback stood in for."""
        if not page.get("page_url"):
            return None
        refused = page.get("refused")
        reason = f"HTTP {refused}, and {why}" if refused else why
        self.logger.warning("failed to fetch %s: %s", page["page_url"], reason)
        return FetchFailed(url=page["page_url"], source=self.source, reason=reason, status=refused)

    def api_post_failed(self, failure: Failure) -> Any:
        """Errback of a REST API fallback: the page is lost, so it is a failed fetch."""
        page = failure.request.meta.get("archive_page") or {}  # type: ignore[attr-defined]
        if failure.check(HttpError):
            why = f"the REST API answered HTTP {failure.value.response.status}"
        else:
            why = f"the REST API failed: {failure.type.__name__}: {failure.getErrorMessage()}"
        failed = self.page_failed(page, why[:250])
        if failed:
            yield failed

    def parse_api_post(
        self,
        response: Response,
        slug: str,
        types: list[str],
        signatory: str | None,
        page_url: str | None = None,
        refused: int | None = None,
    ) -> Any:
        """The one post a slug names; the next post type when this one has none."""
        if response.status in REFUSED:
            yield from self.refused(response, fallback=[])
            failed = self.page_failed(
                {"page_url": page_url, "refused": refused},
                f"the REST API refused it too (HTTP {response.status})",
            )
            if failed:
                yield failed
            return
        try:
            entries = parse_wp_posts(response.body, response.url)
        except FeedError as exc:
            self.logger.warning("REST API answer not readable at %s: %s", response.url, exc)
            entries = []
        if entries:
            entry = entries[0]
            entry.author = entry.author or signatory
            yield self.with_quotes(self.entry_document(entry))
        elif types:
            page = {"page_url": page_url, "refused": refused}
            yield scrapy.Request(
                self.api_url(types[0], slug=slug),
                callback=self.parse_api_post,
                errback=self.api_post_failed,
                cb_kwargs={"slug": slug, "types": types[1:], "signatory": signatory, **page},
                meta={"archive_page": page},
                dont_filter=True,
            )
        else:
            self.logger.warning("no post with slug %r in the REST API", slug)
            failed = self.page_failed(
                {"page_url": page_url, "refused": refused}, f"no post {slug!r} in the REST API"
            )
            if failed:
                yield failed

    # -- pages ------------------------------------------------------------------------------

    def parse_listing_page(self, response: Response) -> Any:
        """Follow each document of a listing page, then the next page."""
        listing = parse_listing(response.body, response.url)
        self.count_listing(response, len(listing.entries))
        reached_since = False
        for entry in listing.entries:
            if self.before_since(entry.published):
                reached_since = True
                continue
            request = self.document_request(entry.url, signatory=entry.speaker)
            if request is not None:
                yield request
        if listing.next_page and not reached_since:
            yield scrapy.Request(
                self.local_url(listing.next_page),
                callback=self.parse_start,
                errback=self.fetch_failed,
            )

    def parse_page(self, response: Response, signatory: str | None = None) -> Any:
        """A document page; a refusal is answered from the REST API."""
        if response.status in REFUSED:
            fallback = self.api_post_requests(response.url, signatory, refused=response.status)
            yield from self.refused(response, fallback=fallback)
            if not fallback:  # no slug to ask the REST API for: the page is lost
                failed = self.page_failed(
                    {"page_url": self.canonical_url(response.url), "refused": response.status},
                    "no REST API slug to ask for it",
                )
                if failed:
                    yield failed
            return
        document = extract_state_page(response.body, self.canonical_url(response.url))
        document.url = self.canonical_url(document.url)
        if not self.before_since(document.published):
            yield with_validators(self.with_quotes(document), response)

    #: Re-checks and retries of failed pages come back here (IncrementalMixin).
    parse_document = parse_page

    def canonical_url(self, url: str) -> str:
        """Also map the live host without ``www`` to the one the site uses."""
        url = super().canonical_url(url)
        parts = urlsplit(url)
        if parts.netloc == "state.gov":
            return url.replace("://state.gov", "://www.state.gov", 1)
        return url
