"""Names of the crawl stats the monitors judge, written by the spiders and the pipeline.

One home for the keys, so the writers (:mod:`mfa_scraper.spiders.incremental`,
:mod:`mfa_scraper.pipelines`) and the reader (:mod:`mfa_scraper.monitors`,
:mod:`mfa_scraper.runner`) cannot drift apart. Values live in the crawler's
stats collector (https://docs.scrapy.org/en/latest/topics/stats.html) and are
dumped with the others when the spider closes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from mfa_scraper.items import NO_QUESTIONS

#: Documents listed on listing pages and in feeds: new, already archived or older than
#: ``since``. An incremental re-crawl that finds nothing new still lists what it skips.
DOCUMENTS_LISTED = "archive/documents/listed"
#: Documents that reached the archive (new, changed, updated or unchanged) or, on a shared
#: frontier, its Redis queue.
DOCUMENTS_STORED = "archive/documents/stored"
#: Of those, documents without a publication date.
DOCUMENTS_WITHOUT_DATE = "archive/documents/without_date"
#: Archived documents a re-check found unchanged (HTTP 304): seen without being stored.
DOCUMENTS_NOT_MODIFIED = "archive/documents_not_modified"
#: Documents of kind ``transcript`` that reached the archive, and those without speaker turns.
TRANSCRIPTS_STORED = "archive/transcripts/stored"
TRANSCRIPTS_WITHOUT_TURNS = "archive/transcripts/without_turns"

#: Listing pages (and feeds) read, and those that listed no document at all.
LISTING_PAGES = "archive/listing/pages"
LISTING_EMPTY_PAGES = "archive/listing/empty_pages"
#: Fetches that failed for good (recorded in the archive and retried by the next crawl).
FETCH_FAILURES = "archive/fetch_failures"
#: ``{monitor: message}`` of the monitors that failed, set by :mod:`mfa_scraper.monitors`.
MONITORS_FAILED = "archive/monitors/failed"

SECTION_PREFIX = "archive/section/"
SECTION_SUFFIX = "/documents"


def section_name(url: str) -> str:
    """A section's name in stats: the path (and query) of its first listing page's URL."""
    parts = urlsplit(url)
    name = parts.path.strip("/") or "/"
    return f"{name}?{parts.query}" if parts.query else name


def section_stat(url: str) -> str:
    """The stats key counting the documents listed by the section that starts at ``url``."""
    return f"{SECTION_PREFIX}{section_name(url)}{SECTION_SUFFIX}"


def section_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """``{section name: documents listed}`` of every section the crawl asked for."""
    return {
        key[len(SECTION_PREFIX) : -len(SECTION_SUFFIX)]: int(value)
        for key, value in stats.items()
        if key.startswith(SECTION_PREFIX) and key.endswith(SECTION_SUFFIX)
    }


def count_document(stats: Any, document: Any) -> None:
    """Count a stored :class:`~mfa_scraper.items.Document`, and what it lacks: a date, or
    (a transcript) speaker turns, or (a press conference) questions.

    Unchanged documents count too: a re-crawl measures the extraction as well as a first
    crawl does. The monitors (:mod:`mfa_scraper.monitors`) judge the shares.
    """
    stats.inc_value(DOCUMENTS_STORED)
    if not document.published:
        stats.inc_value(DOCUMENTS_WITHOUT_DATE)
    if document.kind == "transcript":
        stats.inc_value(TRANSCRIPTS_STORED)
        if not document.turns or NO_QUESTIONS in document.flags:
            stats.inc_value(TRANSCRIPTS_WITHOUT_TURNS)


def monitor_failures(spider: str, stats: Mapping[str, Any]) -> list[str]:
    """One line per failed monitor of a crawl: ``SPIDER: monitor NAME failed: WHY``."""
    failed = stats.get(MONITORS_FAILED) or {}
    return [f"{spider}: monitor {name} failed: {message}" for name, message in failed.items()]
