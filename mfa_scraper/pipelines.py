"""Item pipelines: validate, attribute quotes, archive.

Each pipeline has one job and reads its settings in ``from_crawler``
(https://docs.scrapy.org/en/latest/topics/item-pipeline.html). Items are
:class:`~mfa_scraper.items.Document` dataclasses; the archive receives plain
dicts, so :mod:`archive` never imports Scrapy.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from archive.store import Archive
from mfa_scraper.items import Document
from mfa_scraper.records import document_record

logger = logging.getLogger(__name__)


class ValidatePipeline:
    """Drop items that cannot be a document, saying why (Scrapy logs and counts the reason)."""

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Document):
            raise DropItem(f"not a Document: {type(item).__name__}")
        if not item.url:
            raise DropItem("document without URL")
        if not item.text.strip() and not item.turns:
            raise DropItem(f"no text extracted from {item.url}")
        if not item.title:
            item.title = item.url
            item.flags.append("no-title")
        return item


class AttributionPipeline:
    """Find quoted words of others: inside transcript turns, and in every unlabelled page.

    A failure of the engine on one page must not cost the page: the document
    is archived without quotes, flagged ``quotes-failed``, and the error logged.
    """

    def __init__(self, crawler: Crawler) -> None:
        # Imported here: the engine loads its lexicons, which only this pipeline needs.
        from mfa_scraper.extractors.attribution import attribute_quotes

        self.attribute_quotes = attribute_quotes
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AttributionPipeline:
        return cls(crawler)

    def process_item(self, item: Document) -> Document:
        try:
            return self.attribute_quotes(item)
        except Exception as exc:  # noqa: BLE001 - any engine bug: keep the document
            logger.error("quote attribution failed on %s: %r", item.url, exc)
            self.crawler.stats.inc_value("archive/quotes_failed")
            item.flags.append("quotes-failed")
            return item


class ArchivePipeline:
    """Store each document and its statements in the SQLite archive at ``ARCHIVE_DB``.

    Settings: ``ARCHIVE_DB`` (path; the environment variable of the same name
    is the default).
    """

    def __init__(self, path: str, crawler: Crawler) -> None:
        self.path = path
        self.crawler = crawler
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ArchivePipeline:
        return cls(crawler.settings.get("ARCHIVE_DB"), crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.archive = Archive(self.path)
        record = getattr(spider, "source_record", None)
        if record:
            source = record()
            self.archive.upsert_source(source.pop("name"), **source)
        spider.logger.info("archiving into %s", self.path)

    def close_spider(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item: Document) -> Document:
        assert self.archive is not None
        status = self.archive.upsert_document(document_record(item))
        self.crawler.stats.inc_value(f"archive/documents_{status}")
        return item
