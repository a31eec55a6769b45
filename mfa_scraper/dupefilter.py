"""A duplicate filter that remembers one run only, even with ``JOBDIR``.

Scrapy's filter keeps the requests it has seen in ``JOBDIR/requests.seen``.
After ``kill -9`` that record also holds requests that were in flight and
never answered; the resumed crawl would refuse them forever, and the archive
would miss those documents. Which documents to fetch is decided from the
archive (:mod:`mfa_scraper.spiders.incremental`), so the filter only has to
stop duplicates within a run. ``JOBDIR`` still keeps the queue of pending
requests, which is what resuming needs. Crawlers sharing a scrapy-redis
frontier use scrapy-redis' filter instead (:mod:`mfa_scraper.scaleout`).
"""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.dupefilters import RFPDupeFilter
from scrapy.http import Request


class RunDupeFilter(RFPDupeFilter):
    """:class:`RFPDupeFilter` without the on-disk record of earlier runs.

    A redirect is never filtered: a loop back to a URL already asked for
    (a → b → a) would otherwise vanish without a trace; let through, it runs
    into ``REDIRECT_MAX_TIMES`` and is recorded as a failed fetch.
    """

    def request_seen(self, request: Request) -> bool:
        if request.meta.get("redirect_urls"):
            return False
        return super().request_seen(request)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunDupeFilter:
        return cls(
            None,
            crawler.settings.getbool("DUPEFILTER_DEBUG"),
            fingerprinter=crawler.request_fingerprinter,
        )
