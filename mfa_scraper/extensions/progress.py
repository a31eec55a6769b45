"""A live count of pages and statements on a terminal; silence in cron.

Enabled by ``ARCHIVE_PROGRESS``: ``auto`` (the default) shows it only when
stderr is a terminal, ``1`` always, ``0`` never. It redraws one line every
``ARCHIVE_PROGRESS_INTERVAL`` seconds from the crawl's stats.
"""

from __future__ import annotations

import sys
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class CrawlProgress:
    """Draws ``[spider] pages N · new N · changed N · removed N · failed N · statements N``."""

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        mode = str(crawler.settings.get("ARCHIVE_PROGRESS", "auto")).lower()
        if mode in ("0", "false", "no", "off") or (mode == "auto" and not sys.stderr.isatty()):
            raise NotConfigured
        extension = cls(crawler, crawler.settings.getfloat("ARCHIVE_PROGRESS_INTERVAL", 1.0))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self.loop = task.LoopingCall(self.draw)
        self.loop.start(self.interval, now=False)

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop and self.loop.running:
            self.loop.stop()
        self.draw()
        sys.stderr.write("\n")

    def line(self) -> str:
        """The progress line from the current stats."""
        stats = self.crawler.stats.get_stats()
        name = self.crawler.spider.name if self.crawler.spider else "?"
        count = lambda key: stats.get(key, 0)  # noqa: E731
        return (
            f"[{name}] pages {count('response_received_count')} · "
            f"new {count('archive/documents_new')} · "
            f"changed {count('archive/documents_changed')} · "
            f"removed {count('archive/documents_removed')} · "
            f"failed {count('archive/fetch_failures')} · "
            f"statements {count('archive/statements')}"
        )

    def draw(self) -> None:
        sys.stderr.write("\r" + self.line() + "\033[K")
        sys.stderr.flush()
