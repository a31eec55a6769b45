"""Run several spiders in one process and sum up what they did: ``archive crawl``.

One process for all sources keeps a scheduler's job simple (one command, one
exit status) and lets Scrapy share the reactor. The summary says per source
how many documents were new, changed, removed or failed, whether the source
failed entirely, and which of the monitors that judge a finished crawl
(:mod:`mfa_scraper.monitors`) failed — the conditions a scheduler should alert on.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from mfa_scraper.stats import MONITORS_FAILED, monitor_failures

#: Stats keys summed up per source.
COUNTED = {
    "new": "archive/documents_new",
    "changed": "archive/documents_changed",
    "updated": "archive/documents_updated",
    "unchanged": "archive/documents_unchanged",
    "not_modified": "archive/documents_not_modified",
    "removed": "archive/documents_removed",
    "duplicate": "archive/documents_duplicate",
    "failed": "archive/fetch_failures",
    "statements": "archive/statements",
}


@dataclass
class SourceSummary:
    """What one spider did in a crawl."""

    spider: str
    pages: int = 0
    new: int = 0
    changed: int = 0
    updated: int = 0
    unchanged: int = 0
    not_modified: int = 0
    removed: int = 0
    #: Documents not stored: the source holds the same text under the same URL but for its
    #: query string (a listing that mints "?from=N" links).
    duplicate: int = 0
    failed: int = 0
    statements: int = 0
    finish_reason: str | None = None
    #: Whether the source brought nothing: it stopped before its end having recorded no
    #: document, or no page answered and fetches failed. A crawl cut by a bound (or its
    #: wall-clock budget) after storing documents did not fail entirely: see ``stopped_early``.
    failed_entirely: bool = False
    #: Whether the crawl stopped before its end (a bound, the time budget, a challenge page,
    #: a shutdown): the exit status is 1 all the same, whatever it stored.
    stopped_early: bool = False
    #: The bound that stopped it (``ARCHIVE_LISTING_MAX_PAGES=5000``), from its finish reason.
    bound: str | None = None
    #: ``{monitor: message}`` of the monitors that failed (the finish reason names them).
    monitors_failed: dict[str, str] = field(default_factory=dict)

    @property
    def ran_to_end(self) -> bool:
        """Whether the crawl finished (its monitors may have failed it afterwards)."""
        return self.finish_reason == "finished" or bool(self.monitors_failed)

    @property
    def recorded(self) -> int:
        """Documents the crawl stored or recorded something about."""
        counts = (self.new, self.changed, self.updated, self.unchanged, self.not_modified)
        return sum(counts) + self.removed


@dataclass
class CrawlSummary:
    """What a crawl of several spiders did, and how long it took."""

    sources: list[SourceSummary] = field(default_factory=list)
    duration: float = 0.0

    @property
    def ok(self) -> bool:
        """False when any source failed entirely, stopped early (a bound, the time budget) or
        failed a monitor: the exit status."""
        return not any(
            source.failed_entirely or source.stopped_early or source.monitors_failed
            for source in self.sources
        )

    def monitor_failures(self) -> list[str]:
        """One line per failed monitor of each source: ``mfa: monitor NAME failed: WHY``."""
        return [
            line
            for source in self.sources
            for line in monitor_failures(source.spider, {MONITORS_FAILED: source.monitors_failed})
        ]

    def totals(self) -> dict[str, int]:
        """Sums over sources of the counted figures."""
        return {key: sum(getattr(s, key) for s in self.sources) for key in (*COUNTED, "pages")}

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.totals(),
            "duration": round(self.duration, 1),
            "ok": self.ok,
            "sources": [asdict(s) for s in self.sources],
        }


def _summarize(name: str, stats: dict[str, Any]) -> SourceSummary:
    summary = SourceSummary(
        spider=name,
        finish_reason=stats.get("finish_reason"),
        monitors_failed=dict(stats.get(MONITORS_FAILED) or {}),
    )
    for attribute, key in COUNTED.items():
        setattr(summary, attribute, int(stats.get(key, 0)))
    answered = sum(
        count
        for key, count in stats.items()
        if key.startswith("downloader/response_status_count/")
        and key.rsplit("/", 1)[-1] in {"200", "203", "304"}
    ) - int(stats.get("robotstxt/response_status_count/200", 0))
    summary.pages = max(answered, 0)
    summary.stopped_early = not summary.ran_to_end
    reason = summary.finish_reason or ""
    if reason.startswith("bounded:"):
        summary.bound = reason.removeprefix("bounded:")
    summary.failed_entirely = (summary.stopped_early and not summary.recorded) or (
        summary.pages == 0 and summary.failed > 0
    )
    return summary


def available_spiders() -> list[str]:
    """Names of the project's spiders."""
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "mfa_scraper.settings")
    return sorted(SpiderLoader.from_settings(get_project_settings()).list())


def spider_class(name: str) -> type:
    """The class of the project's spider ``name``."""
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "mfa_scraper.settings")
    return SpiderLoader.from_settings(get_project_settings()).load(name)


def run_crawl(
    spiders: Sequence[str],
    *,
    db: str,
    spider_args: dict[str, str] | None = None,
    settings: dict[str, str] | None = None,
    jobdir: str | None = None,
) -> CrawlSummary:
    """Crawl ``spiders`` into the archive at ``db`` in this process; returns the summary.

    Args:
        spiders: spider names (see :func:`available_spiders`).
        db: the archive file (``ARCHIVE_DB`` for every spider).
        spider_args: ``-a`` arguments given to every spider.
        settings: ``-s`` settings for every spider.
        jobdir: a folder under which each spider keeps its ``JOBDIR``, so a
            crawl killed at any moment resumes where it stopped.
    """
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "mfa_scraper.settings")
    project = get_project_settings()
    project.set("ARCHIVE_DB", db, priority="cmdline")
    for name, value in (settings or {}).items():
        project.set(name, value, priority="cmdline")
    process = CrawlerProcess(project)
    crawlers = []
    for name in spiders:
        crawler = process.create_crawler(name)
        if jobdir:
            crawler.settings.set("JOBDIR", os.path.join(jobdir, name), priority="cmdline")
        process.crawl(crawler, **(spider_args or {}))
        crawlers.append((name, crawler))
    started = time.monotonic()
    process.start()
    summary = CrawlSummary(duration=time.monotonic() - started)
    for name, crawler in crawlers:
        summary.sources.append(_summarize(name, crawler.stats.get_stats() if crawler.stats else {}))
        if jobdir and summary.sources[-1].ran_to_end:
            # JOBDIR resumes one interrupted crawl; a finished one (whatever its monitors said)
            # must not leave its queue and seen-requests behind for the next scheduled run.
            shutil.rmtree(os.path.join(jobdir, name), ignore_errors=True)
    return summary
