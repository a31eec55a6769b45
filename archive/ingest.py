"""Drain the items crawlers queued in Redis into the archive: the one writer of a scaled-out crawl.

Crawlers on scrapy-redis (:mod:`mfa_scraper.scaleout`) push JSON messages
``{"type", "record"}`` to a Redis list; SQLite has one writer, so this process applies them
to the :class:`~archive.store.Archive`, a batch per transaction.

Delivery is at least once and the result exactly once: a batch is moved atomically from the
items list to ``<key>:processing`` (``LMOVE``), written, committed, and only then deleted. An
ingester killed mid-batch leaves the batch there and the next one applies it again, which
changes nothing, because every store write is idempotent (a document is keyed by its URL and
its statements by position). Run one ingester per archive.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from archive.exceptions import InvalidArgument
from archive.store import Archive

logger = logging.getLogger(__name__)

#: The list crawlers push to (``ARCHIVE_REDIS_ITEMS_KEY`` on the crawler side).
DEFAULT_KEY = "archive:items"
#: Messages per transaction: large enough that commits cost little, small enough to stay live.
DEFAULT_BATCH = 500


@dataclass
class IngestCounts:
    """What an ingest did: messages read and documents by store status."""

    messages: int = 0
    batches: int = 0
    documents: dict[str, int] = field(default_factory=dict)
    events: dict[str, int] = field(default_factory=dict)
    skipped: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "messages": self.messages,
            "batches": self.batches,
            "documents": dict(self.documents),
            "events": dict(self.events),
            "skipped": self.skipped,
        }


def apply_messages(archive: Archive, raw: list[bytes | str], counts: IngestCounts) -> None:
    """Apply one batch of queued messages in order; documents share one transaction."""
    documents: list[dict[str, Any]] = []

    def flush() -> None:
        if documents:
            for status, n in archive.upsert_documents(documents, batch_size=len(documents)).items():
                if n:
                    counts.documents[status] = counts.documents.get(status, 0) + n
            documents.clear()

    for data in raw:
        counts.messages += 1
        try:
            message = json.loads(data)
            kind, record = message["type"], message["record"]
        except (ValueError, KeyError, TypeError):
            logger.error("skipping a malformed message: %.200r", data)
            counts.skipped += 1
            continue
        if kind == "document":
            documents.append(record)
            continue
        flush()  # keep the crawl's order: a removal may follow the document it removes
        apply_event(archive, kind, record)
        counts.events[kind] = counts.events.get(kind, 0) + 1
    flush()
    counts.batches += 1


def apply_event(archive: Archive, kind: str, record: dict[str, Any]) -> None:
    """Apply a message other than a document: a source, a re-check, a removal, a failure."""
    if kind == "source":
        record = dict(record)
        archive.upsert_source(record.pop("name"), **record)
    elif kind == "unchanged":
        archive.mark_unchanged(
            record["url"], etag=record.get("etag"), last_modified=record.get("last_modified")
        )
    elif kind == "removed":
        archive.mark_removed(record["url"], reason=record["reason"])
    elif kind == "failed":
        archive.record_failure(
            record["url"], source=record["source"], reason=record["reason"], status=record["status"]
        )
    elif kind == "section":
        archive.complete_section(record["url"], source=record["source"])
    else:
        logger.error("skipping a message of unknown type %r", kind)


def take_batch(client: Any, key: str, processing: str, size: int, wait: float) -> list[bytes]:
    """Move up to ``size`` messages to ``processing``, waiting ``wait`` s for the first one."""
    first = client.blmove(key, processing, wait, "LEFT", "RIGHT")
    if first is None:
        return []
    pipe = client.pipeline(transaction=True)
    for _ in range(size - 1):
        pipe.lmove(key, processing, "LEFT", "RIGHT")
    rest = [item for item in pipe.execute() if item is not None]
    return [first, *rest]


def ingest(
    archive: Archive,
    client: Any,
    *,
    key: str = DEFAULT_KEY,
    batch: int = DEFAULT_BATCH,
    until_empty: bool = False,
    wait: float = 1.0,
    progress: Callable[[IngestCounts], None] | None = None,
) -> IngestCounts:
    """Drain the Redis list ``key`` into ``archive``, ``batch`` messages per transaction.

    Args:
        archive: the archive to write.
        client: a ``redis.Redis`` client.
        key: the list crawlers push to.
        batch: messages per transaction.
        until_empty: return once the list stays empty for ``wait`` seconds; otherwise run
            until interrupted, as a service next to the crawlers.
        wait: seconds a blocking pop waits for the next message.
        progress: called after each batch.
    """
    if batch < 1:
        raise InvalidArgument(f"--batch must be at least 1, not {batch}")
    processing = f"{key}:processing"
    counts = IngestCounts()
    # A batch left by an ingester that died before its commit: apply it again (idempotent).
    leftover = client.lrange(processing, 0, -1)
    if leftover:
        logger.warning("re-applying %d messages of an interrupted ingest", len(leftover))
        apply_messages(archive, leftover, counts)
        client.delete(processing)
    while True:
        raw = take_batch(client, key, processing, batch, wait)
        if not raw:
            if until_empty:
                return counts
            continue
        apply_messages(archive, raw, counts)
        client.delete(processing)
        if progress:
            progress(counts)


def connect(url: str) -> Any:
    """A Redis client for ``url``; a missing ``redis`` package is a one-line error."""
    try:
        import redis
    except ImportError:
        raise InvalidArgument(
            "archive ingest --redis needs the redis package: pip install 'mfa-archive[scale]'"
        ) from None
    try:
        client = redis.Redis.from_url(url)
        client.ping()
    except (ValueError, redis.RedisError) as exc:
        raise InvalidArgument(f"cannot reach Redis at {url}: {exc}") from None
    return client
