"""Incremental crawling: skip what is archived, re-check on schedule, record what failed.

A crawl that runs every hour must cost the site almost nothing when nothing
changed. When it starts, the spider reads its source's state from the archive
(archived URLs with their HTTP validators and next re-check time, failed URLs,
sections paged to the end once). Then:

* listing pages skip archived documents, and paging stops after
  ``ARCHIVE_INCREMENTAL_DEPTH`` consecutive listing pages that hold only
  archived documents — but only in a section that was once paged to its end,
  so an interrupted first crawl still reaches the oldest pages;
* archived documents due for a re-check (:mod:`archive.schedule`) are fetched
  with ``If-None-Match`` / ``If-Modified-Since``: 304 moves the schedule, 404
  or 410 records a removal, 200 stores a new version if the text changed;
* URLs that failed before are fetched again until they succeed.

It also counts what the crawl saw for the monitors that judge it when it closes
(:mod:`mfa_scraper.monitors`): documents listed per section, listing pages that
listed nothing (:meth:`IncrementalMixin.count_listing`).

Which documents to fetch is decided here from the archive; Scrapy's duplicate
filter only stops duplicates within one run (:mod:`mfa_scraper.dupefilter`).

Settings: ``ARCHIVE_INCREMENTAL`` (default on), ``ARCHIVE_INCREMENTAL_DEPTH``
(1), ``ARCHIVE_RECHECK`` (``due``, ``all`` or ``none``), ``ARCHIVE_RECHECK_LIMIT``
(500 re-checks per crawl at most).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from archive.exceptions import ArchiveError
from archive.queries import CrawlState, crawl_state
from archive.schedule import is_due
from archive.store import now_iso, open_readonly
from mfa_scraper.items import Document, FetchFailed, PageRemoved, PageUnchanged, SectionCompleted
from mfa_scraper.stats import (
    DOCUMENTS_LISTED,
    LISTING_EMPTY_PAGES,
    LISTING_PAGES,
    section_stat,
)

#: Re-check modes of ``ARCHIVE_RECHECK``.
RECHECK_MODES = ("due", "all", "none")
#: Statuses a re-check request handles itself instead of treating them as errors.
RECHECK_STATUSES = [304, 404, 410]
#: ``IgnoreRequest`` messages of Scrapy's deliberate refusals; any other one (a redirect loop,
#: a decompression bomb) loses a page and is recorded as a failure.
DELIBERATE_REFUSALS = ("Forbidden by robots.txt", "Filtered offsite request")
#: The start of the refusal of a redirect off the site (:class:`mfa_scraper.bounds.SameOrigin`):
#: the page is lost, so it is a failure, and the message is its reason as it stands.
OFF_SITE_REDIRECT = "redirect off the site to "


@dataclass
class ListedDocument:
    """A document link found on a listing page, with what its callback needs."""

    url: str
    date: date | None = None
    cb_kwargs: dict[str, Any] = field(default_factory=dict)


class IncrementalMixin:
    """Spider methods for incremental crawls; mixed into :class:`ArchiveSpider`.

    A spider using it yields :meth:`section_request` for each listing section,
    :meth:`follow_listing` from its listing callback, :meth:`recheck_requests`
    from ``start()``, and defines ``parse_listing_page`` and ``parse_document``.
    """

    state: CrawlState
    source: str

    def load_state(self) -> CrawlState:
        """The source's state from the archive (empty for a new archive or a full crawl)."""
        settings = self.settings  # type: ignore[attr-defined]
        self.incremental = settings.getbool("ARCHIVE_INCREMENTAL", True)
        self.incremental_depth = max(1, settings.getint("ARCHIVE_INCREMENTAL_DEPTH", 1))
        path = settings.get("ARCHIVE_DB")
        self.state = CrawlState()
        if path and Path(path).exists():
            try:
                db = open_readonly(path)
                try:
                    self.state = crawl_state(db, self.source)
                finally:
                    db.conn.close()
            except (ArchiveError, sqlite3.DatabaseError) as exc:
                self.logger.warning("cannot read crawl state (%s); crawling in full", exc)
        self.logger.info(
            "archive knows %d documents of %s, %d failed fetches to retry",
            len(self.state.documents),
            self.source,
            len(self.state.failed),
        )
        return self.state

    def is_archived(self, url: str) -> bool:
        """Whether the document at ``url`` (canonical) is archived and may be skipped."""
        return self.incremental and url in self.state.documents

    def section_request(self, url: str) -> scrapy.Request:
        """The request for the first listing page of a section.

        A section paged to its end by an earlier crawl is known to exist: its count
        of listed documents starts at 0 here, so if its first page now fails, the
        stats show a section that listed nothing. A start URL that never answered
        (a guessed layout) stays a fetch failure, recorded and asked again.
        """
        section = self.canonical_url(url)  # type: ignore[attr-defined]
        if section in self.state.completed_sections:
            self.crawler.stats.inc_value(section_stat(section), 0)  # type: ignore[attr-defined]
        return scrapy.Request(
            url,
            callback=self.parse_listing_page,  # type: ignore[attr-defined]
            errback=self.fetch_failed,
            cb_kwargs={"section": section},
        )

    def count_listing(self, response: Response, listed: int, section: str | None = None) -> None:
        """Count a listing page (or feed) and the documents it listed, new or not.

        Every listed document counts, archived or older than ``since`` included:
        what matters to the monitors is that the page could still be read.
        """
        stats = self.crawler.stats  # type: ignore[attr-defined]
        stats.inc_value(LISTING_PAGES)
        stats.inc_value(DOCUMENTS_LISTED, listed)
        if section:
            stats.inc_value(section_stat(section), listed)
        if not listed:
            stats.inc_value(LISTING_EMPTY_PAGES)
            self.logger.warning("no documents listed on %s", response.url)

    def follow_listing(
        self,
        response: Response,
        entries: Iterable[ListedDocument],
        next_page: str | None,
        *,
        section: str,
        stale_pages: int = 0,
    ) -> Iterator[Any]:
        """Requests for the new documents of a listing page, then for the next listing page.

        Paging stops at ``since``, or once ``ARCHIVE_INCREMENTAL_DEPTH``
        consecutive pages held only archived documents in a section that was
        paged to its end before. Reaching the last page of a section yields
        :class:`SectionCompleted`.
        """
        new = 0
        reached_since = False
        entries = list(entries)
        # What the page listed, archived documents included: the crawl's bound on listing
        # pages that list nothing new reads it (mfa_scraper/bounds.py).
        response.meta["archive_listed"] = [entry.url for entry in entries]
        for entry in entries:
            if self.before_since(entry.date):  # type: ignore[attr-defined]
                reached_since = True
                continue
            if self.is_archived(self.canonical_url(entry.url)):  # type: ignore[attr-defined]
                continue
            new += 1
            yield response.follow(
                self.local_url(entry.url),  # type: ignore[attr-defined]
                callback=self.parse_document,  # type: ignore[attr-defined]
                errback=self.fetch_failed,
                cb_kwargs=entry.cb_kwargs,
            )
        if reached_since:
            self.logger.info("reached since=%s on %s; not paging further", self.since, response.url)
            return
        stale_pages = 0 if new else stale_pages + 1
        if (
            self.incremental
            and section in self.state.completed_sections
            and stale_pages >= self.incremental_depth
        ):
            self.logger.info(
                "only archived documents on the last %d listing page(s) of %s; stopping",
                stale_pages,
                section,
            )
            return
        if next_page:
            yield response.follow(
                self.local_url(next_page),  # type: ignore[attr-defined]
                callback=self.parse_listing_page,  # type: ignore[attr-defined]
                errback=self.fetch_failed,
                cb_kwargs={"section": section, "stale_pages": stale_pages},
            )
        else:
            yield SectionCompleted(url=section, source=self.source)

    def document_request(self, url: str, **cb_kwargs: Any) -> scrapy.Request | None:
        """The request for the document at ``url`` (absolute), or None when it is archived.

        For spiders that find documents in feeds rather than paged sections.
        """
        if self.is_archived(self.canonical_url(url)):  # type: ignore[attr-defined]
            # Listed all the same: the bound on listing pages that list nothing new counts it
            # (mfa_scraper/bounds.py), so an interrupted first crawl pages on past what it has.
            self.__dict__.setdefault("listed_archived", []).append(url)
            return None
        return scrapy.Request(
            self.local_url(url),  # type: ignore[attr-defined]
            callback=self.parse_document,  # type: ignore[attr-defined]
            errback=self.fetch_failed,
            cb_kwargs=cb_kwargs,
        )

    def is_document_url(self, url: str) -> bool:
        """Whether a failed URL was a document (retried) rather than a listing page."""
        return True

    def recheck_requests(self) -> Iterator[scrapy.Request]:
        """Conditional requests for archived documents due for a re-check, and failed URLs."""
        settings = self.settings  # type: ignore[attr-defined]
        mode = settings.get("ARCHIVE_RECHECK", "due")
        if mode not in RECHECK_MODES:
            self.logger.error(
                "ARCHIVE_RECHECK=%r is not one of %s; using 'due'", mode, RECHECK_MODES
            )
            mode = "due"
        limit = settings.getint("ARCHIVE_RECHECK_LIMIT", 500)
        now = now_iso()
        due = [
            (url, known)
            for url, known in self.state.documents.items()
            if mode == "all" or (mode == "due" and is_due(known.next_check, now))
        ]
        if mode == "due" and len(due) > limit:
            due = sorted(due, key=lambda item: item[1].next_check or "")[:limit]
        for url, known in due:
            headers = {}
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
            yield scrapy.Request(
                self.local_url(url),  # type: ignore[attr-defined]
                callback=self.parse_recheck,
                errback=self.fetch_failed,
                headers=headers,
                meta={"handle_httpstatus_list": RECHECK_STATUSES},
                priority=-1,
            )
        for url in self.state.failed:
            if url not in self.state.documents and self.is_document_url(url):
                yield scrapy.Request(
                    self.local_url(url),  # type: ignore[attr-defined]
                    callback=self.parse_document,  # type: ignore[attr-defined]
                    errback=self.fetch_failed,
                )

    def parse_recheck(self, response: Response) -> Iterator[Any]:
        """A re-check's answer: unchanged (304), removed (404/410), or the page again."""
        url = self.canonical_url(response.url)  # type: ignore[attr-defined]
        if response.status == 304:
            yield PageUnchanged(url=url, **validators(response))
        elif response.status in (404, 410):
            yield PageRemoved(url=url, reason=f"HTTP {response.status}")
        else:
            yield from self.parse_document(response)  # type: ignore[attr-defined]

    def fetch_failed(self, failure: Failure) -> Iterator[FetchFailed]:
        """Errback: a fetch that failed for good becomes a :class:`FetchFailed` item."""
        request = failure.request  # type: ignore[attr-defined]
        message = failure.getErrorMessage()
        if (
            failure.check(IgnoreRequest)
            and not failure.check(HttpError)
            and message.startswith(DELIBERATE_REFUSALS)
        ):
            return  # refused on purpose (robots.txt, an off-site link): not a failure of the site
        status = None
        if failure.check(IgnoreRequest) and message.startswith(OFF_SITE_REDIRECT):
            # The site sent a page of ours to another host or port: not archived, so the crawl
            # says so and the next one asks again.
            reason = message[:300]
        elif failure.check(HttpError):
            status = failure.value.response.status
            reason = f"HTTP {status}"
        else:
            reason = f"{failure.type.__name__}: {failure.getErrorMessage()}"[:300]
        # After redirects, the URL that was asked for: the one the next crawl retries.
        asked = (request.meta.get("redirect_urls") or [request.url])[0]
        self.logger.warning("failed to fetch %s: %s", asked, reason)
        yield FetchFailed(
            url=self.canonical_url(asked),  # type: ignore[attr-defined]
            source=self.failure_source(request),
            reason=reason,
            status=status,
        )

    def failure_source(self, request: scrapy.Request) -> str:
        """The source a failed ``request`` belongs to (a spider of several sites overrides it)."""
        return self.source


def validators(response: Response) -> dict[str, str | None]:
    """``etag`` and ``last_modified`` of a response, for the next conditional request."""

    def header(name: bytes) -> str | None:
        value = response.headers.get(name)
        return value.decode("latin-1") if value else None

    return {"etag": header(b"ETag"), "last_modified": header(b"Last-Modified")}


def with_validators(document: Document, response: Response) -> Document:
    """``document`` with the response's validators recorded."""
    for key, value in validators(response).items():
        setattr(document, key, value)
    return document
