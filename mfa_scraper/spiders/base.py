"""What every spider of the project shares: its spider arguments and its source record.

Spider arguments (``-a name=value``, strings by Scrapy's rules) are parsed
here once and checked at start, so a bad value fails before any request:

``base_url=http://HOST:PORT``
    swap scheme and host of every start URL and allowed domain, to crawl a
    local copy of a site. Documents are still archived under the site's real
    URL, so a crawl of a mirror and of the live site are one archive.
``start_urls=URL,URL``
    start elsewhere (a backfill from an old listing page).
``since=YYYY-MM-DD``
    stop paging past that date and skip older documents.

Spiders of a site published in several languages (``mfa``, ``kremlin``) also
take ``lang=`` and list what they crawl in :attr:`ArchiveSpider.languages`;
:func:`parse_lang` checks it the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.exceptions import UsageError

from mfa_scraper.attribution.document import QUOTES_FAILED, attribute_quotes
from mfa_scraper.items import Document
from mfa_scraper.spiders.incremental import IncrementalMixin

#: Hosts of a local copy, crawled without politeness delays.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")


def parse_since(value: str | date | None) -> date | None:
    """The ``since`` spider argument as a date; a bad value is a usage error naming the format."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"since={value!r} is not a date; use since=YYYY-MM-DD") from None


def parse_lang(value: str | None, languages: tuple[str, ...], spider: str) -> str:
    """The ``lang`` spider argument (the first of ``languages`` by default), checked."""
    if value is None:
        return languages[0]
    lang = value.strip().lower()
    if lang not in languages:
        choices = " or ".join(f"lang={code}" for code in languages)
        raise UsageError(f"lang={value!r} is not a language {spider} crawls; use {choices}")
    return lang


def parse_url_list(value: str | Iterable[str] | None) -> list[str]:
    """A comma-separated ``start_urls`` argument (or a list) as a list of absolute URLs."""
    if value is None:
        return []
    urls = [u.strip() for u in value.split(",")] if isinstance(value, str) else list(value)
    urls = [u for u in urls if u]
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise UsageError(f"start_urls: {url!r} is not an http(s) URL")
    return urls


def parse_base_url(value: str | None) -> tuple[str, str] | None:
    """``(scheme, netloc)`` of the ``base_url`` argument."""
    if not value:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"base_url={value!r} must look like http://HOST:PORT")
    return parts.scheme, parts.netloc


class ArchiveSpider(IncrementalMixin, scrapy.Spider):
    """Base of the project's spiders: argument parsing, URL rewriting, the source description.

    Subclasses set ``name``, ``allowed_domains``, ``start_urls`` and the
    source attributes below, and implement the callbacks. Incremental crawling
    comes from :class:`~mfa_scraper.spiders.incremental.IncrementalMixin`.
    """

    #: Human name, country and kind (ministry, head of state, news, blog) of the source.
    source_title: ClassVar[str] = ""
    source_country: ClassVar[str | None] = None
    source_kind: ClassVar[str] = "ministry"
    #: For an official source: the institution whose news reports its unlabelled pages are.
    newsroom: ClassVar[str | None] = None
    #: The real site's scheme and host, under which documents are archived.
    canonical_base: ClassVar[str] = ""
    #: Languages a ``lang=`` argument may choose, the default first; empty: no ``lang``.
    languages: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        *args: Any,
        base_url: str | None = None,
        start_urls: str | None = None,
        since: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.since = parse_since(since)
        self.base = parse_base_url(base_url)
        self.original_domains = list(getattr(self, "allowed_domains", []) or [])
        urls = parse_url_list(start_urls) or list(type(self).start_urls)
        self.start_urls = [self.local_url(u) for u in urls]
        if self.base:
            self.allowed_domains = [self.base[1].split(":")[0]]

    @classmethod
    def check_arguments(cls, **kwargs: Any) -> None:
        """Raise :class:`UsageError` for a bad spider argument, before any crawl starts."""
        parse_since(kwargs.get("since"))
        parse_base_url(kwargs.get("base_url"))
        parse_url_list(kwargs.get("start_urls"))
        if cls.languages:
            parse_lang(kwargs.get("lang"), cls.languages, cls.name)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> ArchiveSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        base = parse_base_url(kwargs.get("base_url"))
        if base and base[1].split(":")[0] in LOOPBACK_HOSTS:
            # A local copy needs no politeness delay; the live site keeps the defaults.
            # Priority "spider" still yields to -s on the command line.
            crawler.settings.set("DOWNLOAD_DELAY", 0, priority="spider")
            crawler.settings.set("AUTOTHROTTLE_START_DELAY", 0, priority="spider")
        return spider

    @property
    def source(self) -> str:
        """The source name under which documents of this spider are archived."""
        return self.name

    def local_url(self, url: str) -> str:
        """``url`` on the host given by ``base_url`` (unchanged without it)."""
        if not self.base:
            return url
        parts = urlsplit(url)
        host = parts.hostname or ""
        if (
            host
            and self.original_domains
            and not any(host == d or host.endswith("." + d) for d in self.original_domains)
        ):
            return url  # another site: leave it to the offsite filter
        return urlunsplit((self.base[0], self.base[1], parts.path, parts.query, ""))

    def canonical_url(self, url: str) -> str:
        """``url`` as it is on the real site: the inverse of :meth:`local_url`."""
        if not self.base or not self.canonical_base:
            return url
        parts = urlsplit(url)
        if parts.netloc != self.base[1]:
            return url
        real = urlsplit(self.canonical_base)
        return urlunsplit((real.scheme, real.netloc, parts.path, parts.query, ""))

    def before_since(self, day: date | str | None) -> bool:
        """Whether ``day`` (a date or ISO string) is before ``since``; unknown dates are not."""
        if isinstance(day, str):
            try:
                day = date.fromisoformat(day[:10])
            except ValueError:
                return False
        return bool(self.since and day and day < self.since)

    def with_quotes(self, document: Document) -> Document:
        """``document`` with its quotes attributed: the last step of extracting a page.

        Called once a document is known to be kept (after the ``since`` check), so no
        page pays for quotes it will not archive.
        """
        attribute_quotes(document)
        if QUOTES_FAILED in document.flags:
            self.crawler.stats.inc_value("archive/quotes_failed")  # type: ignore[attr-defined]
        return document

    def source_record(self) -> dict[str, Any]:
        """The row describing this source in the archive's ``sources`` table."""
        return {
            "name": self.source,
            "title": self.source_title or self.name,
            "country": self.source_country,
            "kind": self.source_kind,
            "base_url": self.canonical_base or None,
        }
