"""Spidermon monitors that judge a crawl when its spider closes: one that archives nothing says so.

A crawl whose start pages all fail, or whose listing pages no longer parse
after a site's redesign, used to end "finished" with a few warnings. The
suite below runs at spider close (``SPIDERMON_SPIDER_CLOSE_MONITORS``, see
https://spidermon.readthedocs.io/en/latest/monitors.html) on the stats that
the spiders and the pipeline record (:mod:`mfa_scraper.stats`):

``no-documents``
    the crawl saw no document at all: none listed (new, archived or older than
    ``since``), none stored, none re-checked unchanged;
``empty-section``
    more than ``ARCHIVE_MONITOR_MAX_EMPTY_SECTIONS`` sections (a start URL and the
    listing pages after it) listed no document: their pages were read and listed
    nothing, or the first page of a section an earlier crawl paged to its end now
    fails. A start URL that has never answered (a guessed layout) is a fetch
    failure, not an alarm; when nothing answers at all, ``no-documents`` fails;
``empty-listings``
    more than ``ARCHIVE_MONITOR_MAX_EMPTY_LISTINGS`` listing pages or feeds listed
    no document;
``transcripts-without-turns``
    more than ``ARCHIVE_MONITOR_MAX_TRANSCRIPTS_WITHOUT_TURNS`` (a share) of the
    transcripts stored have no speaker turns;
``undated-documents``
    more than ``ARCHIVE_MONITOR_MAX_UNDATED_DOCUMENTS`` (a share) of the documents
    stored have no date.

``ARCHIVE_MONITOR_SKIP`` lists monitors not to run (a partial copy of a site, or
a crawler on a shared frontier, which sees a slice of the crawl: see
:mod:`mfa_scraper.scaleout`). The shares are judged once
``ARCHIVE_MONITOR_MIN_DOCUMENTS`` documents (or transcripts) were stored, so one
odd page in an hourly crawl is no alarm.
Counts include what an incremental re-crawl skips as archived, so a re-crawl
that finds nothing new passes. Only a crawl that ran to its end (``finished``)
is judged: any other finish reason already names why it stopped.

When a monitor fails, :class:`NameFailedMonitors` sets the finish reason to
``monitor-failed:`` and the failed monitors' names, comma-separated
(``monitor-failed:no-documents,empty-section``), and the stat
``archive/monitors/failed`` to ``{name: message}``. ``scrapy crawl`` and
``archive crawl`` then exit 1; ``archive crawl`` prints one line per failed
monitor. Spidermon is switched off with ``-s SPIDERMON_ENABLED=0``.
"""

from __future__ import annotations

import warnings
from typing import Any, ClassVar

from scrapy.exceptions import ScrapyDeprecationWarning
from spidermon import MonitorSuite, monitors
from spidermon.contrib.scrapy.monitors.base import BaseScrapyMonitor
from spidermon.core.actions import Action

from mfa_scraper.stats import (
    DOCUMENTS_LISTED,
    DOCUMENTS_NOT_MODIFIED,
    DOCUMENTS_STORED,
    DOCUMENTS_WITHOUT_DATE,
    FETCH_FAILURES,
    LISTING_EMPTY_PAGES,
    LISTING_PAGES,
    MONITORS_FAILED,
    TRANSCRIPTS_STORED,
    TRANSCRIPTS_WITHOUT_TURNS,
    section_counts,
)

# Spidermon 1.27 writes its report through Spider.log(), which Scrapy 2.19 deprecates: the
# report is right, the warning would only add a line to every crawl's log. Silenced for that
# call alone, so any other deprecation still shows.
warnings.filterwarnings(
    "ignore",
    message=r"Spider\.log\(\) is deprecated",
    category=ScrapyDeprecationWarning,
    module=r"spidermon\.",
)

#: Prefix of the finish reason of a crawl whose monitors failed.
MONITOR_FAILED = "monitor-failed"
#: Settings and their defaults (also in :mod:`mfa_scraper.settings`, where they are documented).
DEFAULTS: dict[str, float] = {
    "ARCHIVE_MONITOR_MAX_EMPTY_SECTIONS": 0,
    "ARCHIVE_MONITOR_MAX_EMPTY_LISTINGS": 0,
    "ARCHIVE_MONITOR_MAX_TRANSCRIPTS_WITHOUT_TURNS": 0.1,
    "ARCHIVE_MONITOR_MAX_UNDATED_DOCUMENTS": 0.1,
    "ARCHIVE_MONITOR_MIN_DOCUMENTS": 5,
}


def finish_reason(failed: list[str]) -> str:
    """The finish reason of a crawl whose monitors ``failed`` (their names, in suite order)."""
    return f"{MONITOR_FAILED}:{','.join(failed)}"


class CrawlMonitor(BaseScrapyMonitor):
    """A check of a finished crawl's stats; fails with one line saying what went wrong.

    Its Spidermon name (``@monitors.name``) is the one the finish reason and the report use.
    """

    #: Why it failed, for the report (set by :meth:`alarm`).
    message: str | None = None

    def setUp(self) -> None:
        reason = self.stats.get("finish_reason")
        if reason != "finished":
            self.skipTest(f"the crawl ended {reason!r}, which names the failure already")
        if self.monitor_name in self.crawler.settings.getlist("ARCHIVE_MONITOR_SKIP"):
            self.skipTest("named in ARCHIVE_MONITOR_SKIP")

    def count(self, key: str) -> int:
        return int(self.stats.get(key, 0) or 0)

    def setting(self, name: str) -> float:
        return self.crawler.settings.getfloat(name, DEFAULTS[name])

    def alarm(self, message: str) -> None:
        self.message = message
        self.fail(message)

    def check_share(self, part: str, whole: str, setting: str, what: str) -> None:
        """Fail when the share ``part``/``whole`` exceeds the ``setting``, over enough documents."""
        total, found = self.count(whole), self.count(part)
        if total < self.setting("ARCHIVE_MONITOR_MIN_DOCUMENTS"):
            return
        limit = self.setting(setting)
        if found / total > limit:
            self.alarm(f"{found} of {total} {what} (more than {limit:.0%}; {setting})")


@monitors.name("no-documents")
class NoDocumentsMonitor(CrawlMonitor):
    """The crawl saw documents: listed (archived ones too), stored, or re-checked unchanged."""

    def test_documents_seen(self) -> None:
        seen = sum(
            self.count(key) for key in (DOCUMENTS_LISTED, DOCUMENTS_STORED, DOCUMENTS_NOT_MODIFIED)
        )
        if not seen:
            failures = self.count(FETCH_FAILURES)
            failed = f" ({failures} fetch{'es' if failures > 1 else ''} failed)" if failures else ""
            self.alarm(f"no document was listed, stored or re-checked{failed}")


@monitors.name("empty-section")
class EmptySectionMonitor(CrawlMonitor):
    """Each section the crawl started from listed documents."""

    def test_sections_list_documents(self) -> None:
        sections = section_counts(self.stats)
        empty = [name for name, listed in sections.items() if not listed]
        if len(empty) > self.setting("ARCHIVE_MONITOR_MAX_EMPTY_SECTIONS"):
            self.alarm(
                f"{len(empty)} of {len(sections)} sections listed no documents: " + ", ".join(empty)
            )


@monitors.name("empty-listings")
class EmptyListingsMonitor(CrawlMonitor):
    """Listing pages and feeds list documents."""

    def test_listing_pages_list_documents(self) -> None:
        empty, pages = self.count(LISTING_EMPTY_PAGES), self.count(LISTING_PAGES)
        if empty > self.setting("ARCHIVE_MONITOR_MAX_EMPTY_LISTINGS"):
            self.alarm(
                f"{empty} of {pages} listing pages listed no documents "
                "(the log names them; ARCHIVE_MONITOR_MAX_EMPTY_LISTINGS)"
            )


@monitors.name("transcripts-without-turns")
class TranscriptsWithoutTurnsMonitor(CrawlMonitor):
    """Transcripts are split into speaker turns."""

    def test_transcripts_have_turns(self) -> None:
        self.check_share(
            TRANSCRIPTS_WITHOUT_TURNS,
            TRANSCRIPTS_STORED,
            "ARCHIVE_MONITOR_MAX_TRANSCRIPTS_WITHOUT_TURNS",
            "transcripts have no speaker turns",
        )


@monitors.name("undated-documents")
class UndatedDocumentsMonitor(CrawlMonitor):
    """Documents have a date."""

    def test_documents_have_dates(self) -> None:
        self.check_share(
            DOCUMENTS_WITHOUT_DATE,
            DOCUMENTS_STORED,
            "ARCHIVE_MONITOR_MAX_UNDATED_DOCUMENTS",
            "documents have no date",
        )


class NameFailedMonitors(Action):
    """Name the failed monitors in the finish reason and in ``archive/monitors/failed``."""

    def run_action(self) -> None:
        failed: dict[str, str] = {}
        for result in self.result.monitors_failed_results:
            monitor = result.item
            name = monitor.monitor_name
            message = getattr(monitor, "message", None)
            if not message:  # the monitor raised: its last line says what
                lines = (result.error or "error").strip().splitlines()
                message = lines[-1] if lines else "error"
            failed.setdefault(name, message)
        stats = self.data.crawler.stats
        stats.set_value(MONITORS_FAILED, failed)
        stats.set_value("finish_reason", finish_reason(list(failed)))


class CrawlMonitorSuite(MonitorSuite):
    """Every crawl's checks, run when the spider closes."""

    monitors: ClassVar[list[Any]] = [
        NoDocumentsMonitor,
        EmptySectionMonitor,
        EmptyListingsMonitor,
        TranscriptsWithoutTurnsMonitor,
        UndatedDocumentsMonitor,
    ]
    monitors_failed_actions: ClassVar[list[Any]] = [NameFailedMonitors]
