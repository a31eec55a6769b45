"""``scrapy crawl blog -a site=https://example.org``: any news site or blog.

Posts are found where sites list them for machines, all asked at once, the
duplicates left to Scrapy's duplicate filter:

- feeds: ``/feed/`` (WordPress) and every feed the home page announces
  (``<link rel="alternate" type="application/rss+xml">``, Atom too);
- sitemaps: ``/wp-sitemap.xml`` (WordPress core), ``/sitemap.xml`` and
  ``/sitemap_index.xml`` (Yoast), following an index to its post sitemaps;
- the WordPress REST API: ``/wp-json/wp/v2/posts``, newest first.

Each post page is fetched and read by the generic extractor
(:func:`~mfa_scraper.sites.dispatch.extract_document`, which also uses a
site extractor where the project has one). A post that cannot be fetched (an
HTTP error, a redirect off the site) is recorded as a failed fetch, as by the
other spiders; the lists themselves are guesses (``/feed/``, sitemaps, the API),
so one that is missing is not a failure. A site that has none of these
lists yields nothing, and the log says so.

Arguments: ``site=URL`` (one site) or ``sites_file=PATH`` (one URL a line, ``#``
comments), plus ``since`` and, for one site, ``base_url`` (a local copy: documents
are archived under the ``site`` host). Each site is its own source in the
archive, named by its host without ``www.``.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.exceptions import UsageError
from scrapy.http import Response

from mfa_scraper.bounds import bound_setting, record_bound
from mfa_scraper.page.feeds import (
    WP_FEED_PATH,
    WP_POSTS_PATH,
    WP_SITEMAP_PATHS,
    FeedError,
    feed_links,
    is_post_sitemap,
    parse_feed,
    parse_sitemap,
    parse_wp_posts,
    sniff,
)
from mfa_scraper.sites.dispatch import extract_document, source_for
from mfa_scraper.spiders.base import ArchiveSpider, parse_url_list

#: Posts asked of the REST API per page (its maximum is 100).
API_PAGE_SIZE = 100
#: Pages that are never posts, though sitemaps and feeds may list them.
NOT_POSTS = ("/tag/", "/category/", "/author/", "/page/", "/wp-content/", "/feed/", "/comments/")


def parse_sites(site: str | None, sites_file: str | None) -> list[str]:
    """Site root URLs from the ``site`` and ``sites_file`` arguments; a usage error if none."""
    urls: list[str] = []
    if site:
        urls += parse_url_list(site)
    if sites_file:
        path = Path(sites_file)
        if not path.is_file():
            raise UsageError(f"sites_file={sites_file!r} is not a file; give one URL a line")
        lines = [line.split("#", 1)[0].strip() for line in path.read_text().splitlines()]
        urls += parse_url_list(",".join(line for line in lines if line))
    if not urls:
        raise UsageError("blog needs a site: -a site=https://example.org or -a sites_file=PATH")
    return [u if u.endswith("/") else u + "/" for u in dict.fromkeys(urls)]


class BlogSpider(ArchiveSpider):
    """Posts of any news site or blog, through its feeds, sitemaps and WordPress REST API."""

    name = "blog"
    source_title = ""
    source_kind = "blog"
    start_urls: ClassVar[list[str]] = []

    def __init__(
        self, *args: Any, site: str | None = None, sites_file: str | None = None, **kwargs: Any
    ) -> None:
        self.sites = parse_sites(site, sites_file)
        # allowed_domains before the base class rewrites them for base_url
        self.allowed_domains = [urlsplit(s).hostname or "" for s in self.sites]
        super().__init__(*args, **kwargs)
        if self.base and len(self.sites) > 1:
            raise UsageError("base_url works with one site only")
        self.canonical_base = self.sites[0].rstrip("/")

    @classmethod
    def check_arguments(cls, **kwargs: Any) -> None:
        super().check_arguments(**kwargs)
        parse_sites(kwargs.get("site"), kwargs.get("sites_file"))

    @property
    def source(self) -> str:
        """The first site's name: the ``sources`` row written when the crawl opens."""
        return source_for(self.sites[0])

    def source_record(self) -> dict[str, Any]:
        record = super().source_record()
        record["title"] = urlsplit(self.sites[0]).hostname
        return record

    async def start(self) -> AsyncIterator[Any]:
        for site in self.sites:
            root = self.local_url(site)
            meta = {"site": site}
            yield scrapy.Request(root, callback=self.parse_home, meta=meta)
            yield scrapy.Request(urljoin(root, WP_FEED_PATH), callback=self.parse_list, meta=meta)
            for path in WP_SITEMAP_PATHS:
                yield scrapy.Request(urljoin(root, path), callback=self.parse_list, meta=meta)
            api = urljoin(root, f"{WP_POSTS_PATH}?per_page={API_PAGE_SIZE}&page=1")
            yield scrapy.Request(api, callback=self.parse_list, meta={**meta, "api_page": 1})

    def parse_home(self, response: Response) -> Any:
        """Follow the feeds the home page announces (sites not on WordPress too)."""
        for url in feed_links(response.body, response.url):
            yield scrapy.Request(
                self.local_url(url), callback=self.parse_list, meta={"site": response.meta["site"]}
            )

    def parse_list(self, response: Response) -> Any:
        """A feed, a sitemap (index) or a REST API answer: follow the posts it lists."""
        kind = sniff(response.body)
        site = response.meta["site"]
        try:
            if kind in ("rss", "atom"):
                listed = [(e.url, e.published) for e in parse_feed(response.body, response.url)]
            elif kind in ("sitemap", "sitemapindex"):
                sitemap = parse_sitemap(response.body, response.url)
                if sitemap.kind == "index":
                    self.crawler.stats.inc_value("blog/lists_sitemapindex")
                    depth = response.meta.get("sitemap_depth", 0) + 1
                    limit = bound_setting(self.settings, "ARCHIVE_SITEMAP_DEPTH", 4)
                    if depth > limit:
                        record_bound(self.crawler, "ARCHIVE_SITEMAP_DEPTH", limit, response.url)
                        return
                    for entry in sitemap.entries:
                        if is_post_sitemap(entry.url) or "post" in entry.url.rsplit("/", 1)[-1]:
                            yield scrapy.Request(
                                self.local_url(entry.url),
                                callback=self.parse_list,
                                meta={"site": site, "sitemap_depth": depth},
                            )
                    return
                listed = [(e.url, e.lastmod) for e in sitemap.entries]
            elif kind == "json":
                listed = [(e.url, e.published) for e in parse_wp_posts(response.body, response.url)]
                yield from self.next_api_page(response, listed)
            else:
                self.logger.info("not a feed, sitemap or REST API answer: %s", response.url)
                return
        except FeedError as exc:
            self.logger.warning("unreadable list %s: %s", response.url, exc)
            return
        self.crawler.stats.inc_value(f"blog/lists_{kind}")
        listed = [(url, published) for url, published in listed if self.is_post(url, site)]
        self.count_listing(response, len(listed))
        for url, published in listed:
            if self.before_since(published):
                continue
            yield scrapy.Request(
                self.local_url(url),
                callback=self.parse_post,
                errback=self.fetch_failed,
                meta={"site": site},
            )

    def next_api_page(self, response: Response, listed: list[tuple[str, str | None]]) -> Any:
        page = response.meta.get("api_page")
        total = response.headers.get(b"X-WP-TotalPages", b"0") or b"0"
        total = int(total) if total.isdigit() else 0
        if not page or not listed or page >= total or any(self.before_since(p) for _, p in listed):
            return
        limit = bound_setting(self.settings, "ARCHIVE_API_MAX_PAGES", 500)
        if page >= limit:
            record_bound(self.crawler, "ARCHIVE_API_MAX_PAGES", limit, response.url)
            return
        url = response.url.replace(f"page={page}", f"page={page + 1}")
        yield scrapy.Request(
            url, callback=self.parse_list, meta={**response.meta, "api_page": page + 1}
        )

    def failure_source(self, request: scrapy.Request) -> str:
        """A post that failed belongs to its own site's source."""
        site = request.meta.get("site")
        return source_for(site) if site else self.source

    def is_post(self, url: str, site: str) -> bool:
        """A page of the site that can be a post: not a tag, category, author or feed page."""
        path = urlsplit(url).path
        return path.strip("/") != "" and not any(part in path for part in NOT_POSTS)

    def parse_post(self, response: Response) -> Any:
        """Extract one post with the generic (or the site's own) extractor."""
        site = response.meta["site"]
        url = self.canonical_url(response.url)
        document = extract_document(response.body, url, source=source_for(site))
        document.url = self.canonical_url(document.url)
        if not self.before_since(document.published):
            yield document
