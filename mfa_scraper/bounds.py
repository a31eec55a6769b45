"""Every loop of a crawl ends: listing pages are bounded, and a bound that cut the crawl says so.

A site can page forever: a pager whose "next" never ends, a listing that repeats
the same documents on every page, a sitemap index that points to another index,
a REST API that claims 100,000,000 pages. Two spider middlewares sit next to the
spiders (so no spider has to remember this):

* :class:`ListingBounds` follows each chain of listing pages (a page and the next
  page it links to; feeds, sitemaps and API pages alike) and stops following it after
  ``ARCHIVE_LISTING_STALE_PAGES`` pages in a row that listed no document the crawl had
  not seen, or after ``ARCHIVE_LISTING_MAX_PAGES`` pages in all. The blog spider bounds
  sitemap nesting (``ARCHIVE_SITEMAP_DEPTH``) and REST API pages (``ARCHIVE_API_MAX_PAGES``)
  through :func:`record_bound` too.
* :class:`SameOrigin` (a downloader middleware) keeps requests on the site's own
  ports: Scrapy's off-site filter compares host names only, so a redirect to another
  port of the same host was followed and archived under that URL.
  :class:`OffSiteRedirects` refuses a redirect to another host or port as a failed fetch
  ("redirect off the site to …"), where Scrapy's filter would drop it unheard.
* :class:`PageNotes` puts what reading a page had to guess or cut
  (:mod:`mfa_scraper.page.notes`: ``encoding-doubtful``, ``truncated``) on the
  documents a callback yields.

A bound that stopped something is logged, counted in the stats
(``archive/bounds/<SETTING>``) and, once the crawl has nothing left to do, becomes its
finish reason (``bounded:ARCHIVE_LISTING_STALE_PAGES=20``), so ``archive crawl``
reports it and exits 1. The crawl's wall-clock budget is Scrapy's
``CLOSESPIDER_TIMEOUT`` (finish reason ``closespider_timeout``), a page's is
``DOWNLOAD_TIMEOUT`` (the whole download, not one read) and its size ``DOWNLOAD_MAXSIZE``.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request, signals
from scrapy.exceptions import CloseSpider, IgnoreRequest
from scrapy.http import Response

from mfa_scraper.items import Document
from mfa_scraper.page.notes import add_notes, noting

logger = logging.getLogger(__name__)

#: Callbacks that read a list of documents (listing pages, feeds, sitemaps, API pages).
LISTING_CALLBACKS = frozenset(
    {
        "parse_listing_page",
        "parse_listing",
        "parse_feed",
        "parse_list",
        "parse_start",
        "parse_sitemap",
        "parse_api",
    }
)
#: Meta keys of a listing request: its page number in its chain, and how many pages in a row
#: before it listed nothing new. ``LISTED`` is set by a listing callback to the URLs the page
#: listed, archived ones included (``IncrementalMixin.follow_listing`` does).
PAGE_IN_CHAIN = "archive_listing_page"
STALE_IN_CHAIN = "archive_listing_stale"
LISTED = "archive_listed"
#: Stats keys: the first bound hit (the finish reason to be), and a count per setting.
BOUND_REASON = "archive/bound_reason"
BOUND_PREFIX = "archive/bounds/"


#: The bounds' settings: each a count of pages (or levels) of at least 1. There is no "0 for
#: no bound": every loop of a crawl ends, and a value below 1 is refused before the crawl
#: starts (:func:`mfa_scraper.usage.check_setting_values`), never clamped in silence.
BOUND_SETTINGS = (
    "ARCHIVE_LISTING_STALE_PAGES",
    "ARCHIVE_LISTING_MAX_PAGES",
    "ARCHIVE_SITEMAP_DEPTH",
    "ARCHIVE_API_MAX_PAGES",
)


def bound_setting(settings: Any, name: str, default: int) -> int:
    """The bound ``name`` (one of :data:`BOUND_SETTINGS`); a value below 1 is an error."""
    value = settings.getint(name, default)
    if value < 1:
        raise ValueError(bound_refusal(name, value))
    return value


def bound_refusal(name: str, value: Any) -> str:
    """The one line refusing ``name=value``."""
    return (
        f"-s {name}={value!r}: give a whole number of at least 1 "
        "(every loop of a crawl is bounded; there is no 0 for no bound)"
    )


def record_bound(crawler: Any, setting: str, value: Any, where: str) -> None:
    """Note that the bound ``setting`` (= ``value``) stopped something at ``where``."""
    stats = crawler.stats
    if not stats.get_value(BOUND_PREFIX + setting):
        logger.warning("%s=%s reached at %s; not following further", setting, value, where)
    stats.inc_value(BOUND_PREFIX + setting)
    if not stats.get_value(BOUND_REASON):
        stats.set_value(BOUND_REASON, f"bounded:{setting}={value}")


def _callback_name(request: Request | None) -> str:
    callback = getattr(request, "callback", None)
    return getattr(callback, "__name__", "") if callback else ""


def is_listing(request: Request | None) -> bool:
    """Whether ``request`` asks for a list of documents rather than a document."""
    return _callback_name(request) in LISTING_CALLBACKS


class ListingBounds:
    """Stop chains of listing pages that list nothing new, or that go on past all reason."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.stale_limit = bound_setting(settings, "ARCHIVE_LISTING_STALE_PAGES", 20)
        self.max_pages = bound_setting(settings, "ARCHIVE_LISTING_MAX_PAGES", 5000)
        self.seen: set[str] = set()
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)

    @classmethod
    def from_crawler(cls, crawler: Any) -> ListingBounds:
        return cls(crawler)

    def spider_idle(self, spider: Any = None) -> None:
        """Nothing left to do: a bound that stopped something becomes the finish reason."""
        reason = self.crawler.stats.get_value(BOUND_REASON)
        if reason:
            raise CloseSpider(reason)

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Any = None
    ) -> Iterator[Any]:
        if not is_listing(response.request):
            yield from result
            return
        yield from self._bounded(response, list(result))

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        if not is_listing(response.request):
            async for output in result:
                yield output
            return
        for output in self._bounded(response, [output async for output in result]):
            yield output

    def _bounded(self, response: Response, output: list[Any]) -> Iterator[Any]:
        listed = response.meta.get(LISTED)
        if listed is None:
            listed = [
                o.url
                for o in output
                if isinstance(o, Document) or (isinstance(o, Request) and not is_listing(o))
            ]
        # Documents the callback skipped as archived (IncrementalMixin.document_request).
        spider = getattr(self.crawler, "spider", None)
        listed = [*listed, *vars(spider).pop("listed_archived", [])] if spider else listed
        new = [url for url in listed if url not in self.seen]
        self.seen.update(listed)
        page = response.meta.get(PAGE_IN_CHAIN, 1)
        stale = 0 if new else response.meta.get(STALE_IN_CHAIN, 0) + 1
        bound = None
        if stale >= self.stale_limit:
            bound = ("ARCHIVE_LISTING_STALE_PAGES", self.stale_limit)
        elif page >= self.max_pages:
            bound = ("ARCHIVE_LISTING_MAX_PAGES", self.max_pages)
        for o in output:
            if isinstance(o, Request) and is_listing(o):
                if bound:
                    record_bound(self.crawler, *bound, response.url)
                    continue
                o.meta[PAGE_IN_CHAIN] = page + 1  # (a callback may copy its own meta)
                o.meta[STALE_IN_CHAIN] = stale
            yield o


class PageNotes:
    """Put the notes made while a callback read its page on the documents it yields.

    The innermost spider middleware: pulling each output from the callback *is* running
    it, so notes made meanwhile belong to that output.
    """

    @classmethod
    def from_crawler(cls, crawler: Any) -> PageNotes:
        return cls()

    def process_spider_output(
        self, response: Response, result: Iterable[Any], spider: Any = None
    ) -> Iterator[Any]:
        outputs = iter(result)
        while True:
            with noting() as notes:
                try:
                    output = next(outputs)
                except StopIteration:
                    return
            if isinstance(output, Document):
                add_notes(output, notes)
            yield output

    async def process_spider_output_async(
        self, response: Response, result: AsyncIterator[Any], spider: Any = None
    ) -> AsyncIterator[Any]:
        outputs = aiter(result)
        while True:
            with noting() as notes:
                try:
                    output = await anext(outputs)
                except StopAsyncIteration:
                    return
            if isinstance(output, Document):
                add_notes(output, notes)
            yield output


#: Ports a site is on when its URLs name none.
DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(url: str) -> tuple[str, int | None]:
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:  # a port out of range
        port = -1
    return (parts.hostname or "", port or DEFAULT_PORTS.get(parts.scheme))


class SameOrigin:
    """Refuse requests to a crawled host on a port the crawl was not given, as off-site.

    The ports of a host are those of the spider's start URLs and sites (``base_url``'s
    alone for a local copy), and 80 and 443 for its allowed domains on the live web. The
    refusal reads "Filtered offsite request", as Scrapy's own, so it is not a failure.
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.ports: dict[str, set[int | None]] | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> SameOrigin:
        return cls(crawler)

    def _allowed(self) -> dict[str, set[int | None]]:
        if self.ports is None:
            spider = self.crawler.spider
            base = getattr(spider, "base", None)
            ports: dict[str, set[int | None]] = {}
            if base:
                host, port = _origin(f"{base[0]}://{base[1]}/")
                ports[host] = {port}
            else:
                for domain in getattr(spider, "allowed_domains", None) or []:
                    ports.setdefault(domain.split(":")[0], set()).update(DEFAULT_PORTS.values())
                urls = [*(getattr(spider, "start_urls", None) or []), *getattr(spider, "sites", [])]
                for url in urls:
                    host, port = _origin(url)
                    ports.setdefault(host, set()).update(DEFAULT_PORTS.values())
                    ports[host].add(port)
            self.ports = ports
        return self.ports

    def _wrong_port(self, url: str) -> bool:
        host, port = _origin(url)
        return any(
            (host == domain or host.endswith("." + domain)) and port not in ports
            for domain, ports in self._allowed().items()
        )

    def on_site(self, url: str) -> bool:
        """Whether ``url`` is on the site being crawled: an allowed host (any host when the
        spider names none, as Scrapy's off-site filter has it), on one of its ports."""
        domains = getattr(self.crawler.spider, "allowed_domains", None) or []
        host = _origin(url)[0]
        if domains and not any(host == d or host.endswith("." + d) for d in domains):
            return False
        return not self._wrong_port(url)

    def process_request(self, request: Request, spider: Any = None) -> None:
        if self._wrong_port(request.url):
            self.crawler.stats.inc_value("archive/offsite_port_refused")
            logger.info("refused %s: not a port of the site being crawled", request.url)
            raise IgnoreRequest(f"Filtered offsite request to {request.url}: another port")
        return None


#: Statuses Scrapy's RedirectMiddleware follows through their ``Location``.
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class OffSiteRedirects(SameOrigin):
    """Refuse a redirect to another host or port as a lost page, before Scrapy follows it.

    Scrapy's off-site filter drops the redirected request when it is scheduled, where no
    errback hears of it: a crawl whose documents all redirected elsewhere ended "finished",
    nothing failed. Placed after ``RedirectMiddleware`` (a higher number: it sees responses
    first), this raises ``IgnoreRequest("redirect off the site to URL")`` on the response, so
    the request's errback records it as a failed fetch (``fetch_failed``) with that reason,
    and the next crawl asks again. Documents are archived under the URL they are served
    from, so one served by another site is not taken.
    """

    @classmethod
    def from_crawler(cls, crawler: Any) -> OffSiteRedirects:
        return cls(crawler)

    def process_request(self, request: Request, spider: Any = None) -> None:
        return None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Any:
        meta = request.meta
        spider = self.crawler.spider
        if (
            response.status not in REDIRECT_STATUSES
            or meta.get("dont_redirect")
            or meta.get("handle_httpstatus_all")
            or response.status in meta.get("handle_httpstatus_list", ())
            or response.status in (getattr(spider, "handle_httpstatus_list", None) or ())
        ):
            return response
        location = response.headers.get(b"Location")
        if not location:
            return response
        target = urljoin(request.url, location.decode("latin-1").strip())
        if urlsplit(target).scheme not in ("http", "https") or self.on_site(target):
            return response
        self.crawler.stats.inc_value("archive/offsite_redirects_refused")
        logger.warning("refused %s: it redirects off the site to %s", request.url, target)
        raise IgnoreRequest(f"redirect off the site to {target}")
