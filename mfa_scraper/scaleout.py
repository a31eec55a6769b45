"""Scale-out on scrapy-redis: many crawler processes share one frontier, items queue in Redis.

Switched on by settings alone. When ``REDIS_URL`` is set (``-s REDIS_URL=redis://HOST:6379/0``
or the environment variable of that name), the :class:`RedisScaleOut` add-on
(https://docs.scrapy.org/en/latest/topics/addons.html) puts every spider on
scrapy-redis (https://github.com/rmax/scrapy-redis):

* its ``Scheduler`` keeps the request queue in Redis, and its duplicate filter keeps request
  fingerprints there, so crawler processes on several machines pop from one frontier and no
  page is fetched twice (the scheduler through :mod:`mfa_scraper.redis_scheduler`, a
  two-method adapter to Scrapy 2.19's stats API);
* SQLite has one writer, so the crawlers do not write the archive: :class:`RedisItemPipeline`
  replaces :class:`~mfa_scraper.pipelines.ArchivePipeline` and pushes each item as a JSON
  message to a Redis list, which ``archive ingest --redis URL`` drains into the archive
  (:mod:`archive.ingest`).

What scrapy-redis leaves to us, done by :class:`SharedFrontier`:

* ``SCHEDULER_PERSIST`` is on, because scrapy-redis' default empties the shared queue and
  filter when *any* crawler closes, under the feet of the others. A crawl round ends instead
  when its last crawler finishes: that one clears the filter, so the next scheduled crawl
  starts afresh. A crawl that was stopped (Ctrl-C, a crash) leaves queue and filter in Redis and
  the next crawler resumes it.
* A crawler whose queue runs dry does not close while another crawler is still busy, since
  that one's next listing page brings new requests (``ARCHIVE_REDIS_IDLE``).
* A crawler sees a slice of the round, so the monitors that judge a whole crawl
  (``no-documents``, ``empty-section``) are added to ``ARCHIVE_MONITOR_SKIP``; those
  judging pages and documents (empty listings, undated documents, turnless transcripts) run.

Crawlers read the archive for incremental state when they have it (``ARCHIVE_DB``); a crawler
machine without the archive crawls in full and the ingester's idempotent upsert keeps one row per
document.

Settings: ``REDIS_URL``; ``ARCHIVE_REDIS_ITEMS_KEY`` (default ``archive:items``);
``ARCHIVE_REDIS_IDLE`` (seconds a crawler waits for busy peers, default 10).
Requests go through Redis pickled (scrapy-redis' serializer): use a Redis on a private network.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
import uuid
from dataclasses import asdict
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy.settings import BaseSettings

from archive.store import now_iso
from mfa_scraper.items import (
    Document,
    FetchFailed,
    PageRemoved,
    PageUnchanged,
    SectionCompleted,
)
from mfa_scraper.records import document_record
from mfa_scraper.stats import count_document

logger = logging.getLogger(__name__)

#: Setting and environment variable that switch scale-out on.
REDIS_URL_VAR = "REDIS_URL"
#: The Redis list items are pushed to, shared by every spider and drained by ``archive ingest``.
DEFAULT_ITEMS_KEY = "archive:items"
#: Seconds an idle crawler stays open while a peer was busy within that time.
DEFAULT_IDLE = 10.0
#: Monitors (mfa_scraper/monitors.py) that judge a whole crawl, skipped on a shared frontier.
WHOLE_CRAWL_MONITORS = ("no-documents", "empty-section")
#: A peer not heard of for this long is taken for dead (crashed without unregistering).
PEER_TIMEOUT = 60.0
#: Message types of the items list, by item class (see :mod:`archive.ingest`).
MESSAGE_TYPES: dict[type, str] = {
    Document: "document",
    PageUnchanged: "unchanged",
    PageRemoved: "removed",
    FetchFailed: "failed",
    SectionCompleted: "section",
}

# Last crawler out with a finished crawl clears the frontier, atomically with leaving.
_LEAVE = """
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[1]) == 0 and ARGV[3] == '1' then
  redis.call('DEL', KEYS[2], KEYS[3])
  return 1
end
return 0
"""


def redis_url(settings: BaseSettings) -> str | None:
    """``REDIS_URL`` from the settings, else from the environment; ``None`` when unset."""
    return settings.get(REDIS_URL_VAR) or os.environ.get(REDIS_URL_VAR) or None


def redis_client(settings: BaseSettings) -> Any:
    """A Redis client from the settings, through scrapy-redis' own settings table."""
    from scrapy_redis.connection import get_redis_from_settings

    return get_redis_from_settings(settings)


class RedisScaleOut:
    """Add-on: with ``REDIS_URL`` set, scrapy-redis scheduling and items to a Redis list.

    Without ``REDIS_URL`` it changes nothing, so one setting switches a crawl between a single
    machine writing ``archive.db`` and a fleet feeding ``archive ingest --redis``.
    """

    def update_settings(self, settings: BaseSettings) -> None:
        url = redis_url(settings)
        if not url:
            return
        settings.set(REDIS_URL_VAR, url, priority="addon")
        settings.set("SCHEDULER", "mfa_scraper.redis_scheduler.Scheduler", priority="addon")
        # Above the project's own one-run filter (settings.py, "project" priority): sharing
        # the seen set is what keeps several crawlers from fetching a page twice.
        settings.set("DUPEFILTER_CLASS", "scrapy_redis.dupefilter.RFPDupeFilter", priority="spider")
        settings.set("SCHEDULER_PERSIST", True, priority="addon")
        from mfa_scraper.pipelines import ArchivePipeline

        try:
            settings.replace_in_component_priority_dict(
                "ITEM_PIPELINES", ArchivePipeline, RedisItemPipeline
            )
        except KeyError:  # a project that dropped the archive pipeline still queues its items
            settings["ITEM_PIPELINES"][RedisItemPipeline] = 800
        settings["EXTENSIONS"][SharedFrontier] = 100
        # One crawler sees a slice of the round: what it listed says nothing of the whole crawl.
        # Above the project's priority, as the filter; -s ARCHIVE_MONITOR_SKIP=... still wins.
        skipped = settings.getlist("ARCHIVE_MONITOR_SKIP")
        settings.set(
            "ARCHIVE_MONITOR_SKIP",
            [*skipped, *(name for name in WHOLE_CRAWL_MONITORS if name not in skipped)],
            priority="spider",
        )


def message(item: Any, fetched: str | None = None) -> dict[str, Any] | None:
    """The JSON message for ``item``: ``{"type", "record"}``, or ``None`` for an unknown item.

    Documents become the record :func:`~mfa_scraper.records.document_record` makes for the
    local pipeline, with the fetch time of the crawl (not of the later ingest).
    """
    kind = MESSAGE_TYPES.get(type(item))
    if kind is None:
        return None
    if kind == "document":
        record = document_record(item, fetched=fetched or now_iso())
    else:
        record = asdict(item)
    return {"type": kind, "record": record}


class RedisItemPipeline:
    """Push each item, as a JSON message, to the Redis list ``ARCHIVE_REDIS_ITEMS_KEY``.

    The spider's source record goes first, so the ingester knows the source before its
    documents. ``RPUSH`` is one round trip of well under a millisecond on a LAN; it runs in the
    reactor thread like the SQLite pipeline it replaces.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.key = crawler.settings.get("ARCHIVE_REDIS_ITEMS_KEY") or DEFAULT_ITEMS_KEY
        self.server = redis_client(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisItemPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        record = getattr(spider, "source_record", None)
        if record:
            self.push({"type": "source", "record": record()})
        spider.logger.info("queueing items in Redis list %r", self.key)

    def push(self, data: dict[str, Any]) -> None:
        self.server.rpush(self.key, json.dumps(data, ensure_ascii=False))

    def process_item(self, item: Any) -> Any:
        data = message(item)
        if data is not None:
            self.push(data)
            self.crawler.stats.inc_value(f"redis/items_{data['type']}")
            if isinstance(item, Document):
                count_document(self.crawler.stats, item)
        return item


class SharedFrontier:
    """Crawl rounds on a shared frontier: wait for busy peers, clear the filter at the end.

    Each crawler keeps its id in the sorted set ``<spider>:crawlers``, scored with the last
    time it had requests in flight (refreshed every second).
    """

    def __init__(self, crawler: Crawler, idle: float) -> None:
        self.crawler = crawler
        self.idle = idle
        self.server = redis_client(crawler.settings)
        self.me = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.loop: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedFrontier:
        if not redis_url(crawler.settings):
            raise NotConfigured
        extension = cls(crawler, crawler.settings.getfloat("ARCHIVE_REDIS_IDLE", DEFAULT_IDLE))
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def _keys(self, spider: Any) -> tuple[str, str, str]:
        from scrapy_redis import defaults

        settings = self.crawler.settings
        names = {"spider": spider.name}
        queue = settings.get("SCHEDULER_QUEUE_KEY") or defaults.SCHEDULER_QUEUE_KEY
        dupes = settings.get("SCHEDULER_DUPEFILTER_KEY") or defaults.SCHEDULER_DUPEFILTER_KEY
        return f"{spider.name}:crawlers", dupes % names, queue % names

    def spider_opened(self, spider: Any) -> None:
        from twisted.internet import task

        self.server.zadd(self._keys(spider)[0], {self.me: time.time()})
        self.loop = task.LoopingCall(self.beat, spider)
        self.loop.start(1.0, now=False)

    def beat(self, spider: Any) -> None:
        """Refresh this crawler's busy time while it has requests in flight."""
        engine = self.crawler.engine
        if engine is not None and not engine.spider_is_idle():
            self.server.zadd(self._keys(spider)[0], {self.me: time.time()})

    def spider_idle(self, spider: Any) -> None:
        crawlers = self._keys(spider)[0]
        since = time.time() - self.idle
        peers = [
            name
            for name in self.server.zrangebyscore(crawlers, since, "+inf")
            if (name.decode() if isinstance(name, bytes) else name) != self.me
        ]
        if peers:
            raise DontCloseSpider(f"waiting for {len(peers)} busy crawler(s) on the frontier")

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        crawlers, dupes, queue = self._keys(spider)
        cleared = self.server.eval(
            _LEAVE,
            3,
            crawlers,
            dupes,
            queue,
            self.me,
            time.time() - PEER_TIMEOUT,
            "1" if reason == "finished" else "0",
        )
        if cleared:
            spider.logger.info("last crawler of the round: cleared the shared frontier")
