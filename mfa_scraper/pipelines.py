"""Item pipelines: validate, archive (quotes are attributed by the spiders' extraction).

Each pipeline has one job and reads its settings in ``from_crawler``
(https://docs.scrapy.org/en/latest/topics/item-pipeline.html). Items are
:class:`~mfa_scraper.items.Document` dataclasses; the archive receives plain
dicts, so :mod:`archive` never imports Scrapy.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archive.store import Archive
from mfa_scraper.batches import DEFAULT_COMMIT_ITEMS, DEFAULT_COMMIT_SECONDS, BatchedArchive
from mfa_scraper.items import (
    Document,
    FetchFailed,
    PageRemoved,
    PageUnchanged,
    SectionCompleted,
)
from mfa_scraper.records import SpeakerRecords, document_record
from mfa_scraper.stats import count_document

logger = logging.getLogger(__name__)

#: Items that report on the crawl rather than carry a document; they go straight to the archive.
CRAWL_EVENTS = (PageUnchanged, PageRemoved, FetchFailed, SectionCompleted)


class ValidatePipeline:
    """Drop items that cannot be a document, saying why (Scrapy logs and counts the reason).

    A page that yielded no text at all is not dropped but turned into a
    :class:`~mfa_scraper.items.FetchFailed`, so the gap is kept and retried.
    """

    def process_item(self, item: Any) -> Any:
        if isinstance(item, CRAWL_EVENTS):
            return item
        if not isinstance(item, Document):
            raise DropItem(f"not a Document: {type(item).__name__}")
        if not item.url:
            raise DropItem("document without URL")
        if not item.text.strip() and not item.turns:
            # Fetched, yet nothing to archive (a binary or script-only body, a broken
            # template): a coverage gap, recorded so that stats show it and the next crawl
            # fetches the page again.
            logger.warning("no text extracted from %s; recorded as a failed fetch", item.url)
            return FetchFailed(
                url=item.url,
                source=item.source,
                reason="no text extracted from the page (not an article, or not HTML)",
                status=200,
            )
        if not item.title:
            item.title = item.url
            item.flags.append("no-title")
        return item


class ArchivePipeline:
    """Store each document and its statements in the SQLite archive at ``ARCHIVE_DB``.

    Settings: ``ARCHIVE_DB`` (path; the environment variable of the same name
    is the default); ``ARCHIVE_COMMIT_ITEMS`` and ``ARCHIVE_COMMIT_SECONDS``, how
    many items, or how many seconds, a batch holds at most before it is committed
    (see :mod:`mfa_scraper.batches`).
    """

    def __init__(self, path: str, crawler: Crawler) -> None:
        self.path = path
        self.crawler = crawler
        self.batch: BatchedArchive | None = None
        self.pending_sections: list[SectionCompleted] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        pipeline = cls(crawler.settings.get("ARCHIVE_DB"), crawler)
        crawler.signals.connect(pipeline.spider_idle, signal=signals.spider_idle)
        return pipeline

    @property
    def archive(self) -> Archive | None:
        """The archive, inside the open batch: every write of an item goes through here."""
        return self.batch.write() if self.batch is not None else None

    def spider_idle(self) -> None:
        """Record sections paged to their end, now that every document they listed is done.

        A section is complete only once the documents of its last listing pages
        are archived too: recorded earlier, a crawl killed in between would let
        the next incremental crawl stop paging above documents never fetched.
        """
        if self.batch is None:
            return
        for section in self.pending_sections:
            self.batch.write().complete_section(section.url, source=section.source)
        self.pending_sections.clear()
        self.batch.commit()  # the sections with their documents, in one commit

    def open_spider(self) -> None:
        spider = self.crawler.spider
        settings = self.crawler.settings
        self.batch = BatchedArchive.acquire(
            self.path,
            commit_items=settings.getint("ARCHIVE_COMMIT_ITEMS", DEFAULT_COMMIT_ITEMS),
            commit_seconds=settings.getfloat("ARCHIVE_COMMIT_SECONDS", DEFAULT_COMMIT_SECONDS),
        )
        self.sources: set[str] = set()
        self.speakers = SpeakerRecords()  # the registry is fixed for the crawl: names once
        record = getattr(spider, "source_record", None)
        if record:
            source = record()
            self.sources.add(source["name"])
            self.archive.upsert_source(source.pop("name"), **source)
        spider.logger.info("archiving into %s", self.path)

    def _describe_source(self, document: Document) -> None:
        """A spider of many sites (``blog``) files each under its own source: describe it once."""
        if document.source in self.sources or self.archive is None:
            return
        self.sources.add(document.source)
        parts = urlsplit(document.url)
        self.archive.upsert_source(
            document.source,
            kind=getattr(self.crawler.spider, "source_kind", None),
            base_url=f"{parts.scheme}://{parts.netloc}" if parts.netloc else None,
        )

    def close_spider(self) -> None:
        if self.batch is not None:
            batch, self.batch = self.batch, None
            batch.release()

    def process_item(self, item: Any) -> Any:
        assert self.batch is not None
        try:
            return self._store(item)
        finally:
            self.batch.written()

    def _store(self, item: Any) -> Any:
        assert self.archive is not None
        stats = self.crawler.stats
        if isinstance(item, Document):
            self._describe_source(item)
            newsroom = getattr(self.crawler.spider, "newsroom", None)
            record = document_record(item, newsroom=newsroom, speakers=self.speakers)
            status = self.archive.upsert_document(record)
            stats.inc_value(f"archive/documents_{status}")
            if status in ("new", "changed"):
                stats.inc_value("archive/statements", len(record["statements"]))
            if status == "duplicate":
                logger.info("not stored, the same page under another query string: %s", item.url)
            else:
                count_document(stats, item)
        elif isinstance(item, PageUnchanged):
            self.archive.mark_unchanged(item.url, etag=item.etag, last_modified=item.last_modified)
            stats.inc_value("archive/documents_not_modified")
        elif isinstance(item, PageRemoved):
            if self.archive.mark_removed(item.url, reason=item.reason):
                stats.inc_value("archive/documents_removed")
        elif isinstance(item, FetchFailed):
            self.archive.record_failure(
                item.url, source=item.source, reason=item.reason, status=item.status
            )
            stats.inc_value("archive/fetch_failures")
        elif isinstance(item, SectionCompleted):
            self.pending_sections.append(item)  # recorded when the crawl is idle
        return item
