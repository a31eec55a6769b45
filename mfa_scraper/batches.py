"""The crawl's archive connection: one per file per process, committing in batches.

A commit per document cost the crawl about a millisecond each (a WAL frame, a new FTS
segment to merge). :class:`BatchedArchive` keeps one write transaction open and commits
it after ``ARCHIVE_COMMIT_ITEMS`` items, ``ARCHIVE_COMMIT_SECONDS`` after the batch began,
when the crawl is idle, and when it ends. Readers (search, Datasette) see a document at
most that many seconds late; a crawl killed with the batch open loses only the batch,
whose documents the next crawl finds missing and fetches again.

Spiders of one process (``archive crawl --all``) share the connection: two connections
in one thread would deadlock, the second waiting on a write lock that only the blocked
thread could release.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path
from typing import Any, ClassVar

from archive.store import Archive

logger = logging.getLogger(__name__)

#: Items written before the batch is committed.
DEFAULT_COMMIT_ITEMS = 100
#: Seconds after its first write that a batch is committed at the latest.
DEFAULT_COMMIT_SECONDS = 2.0


class BatchedArchive:
    """An :class:`~archive.store.Archive` whose writes are committed in batches."""

    _open: ClassVar[dict[str, BatchedArchive]] = {}

    def __init__(self, path: str, commit_items: int, commit_seconds: float) -> None:
        self.path = path
        self.archive = Archive(path)
        self.commit_items = max(1, commit_items)
        self.commit_seconds = max(0.0, commit_seconds)
        self.users = 0
        self.pending = 0
        self.timer: Any = None

    @classmethod
    def acquire(
        cls,
        path: str,
        *,
        commit_items: int = DEFAULT_COMMIT_ITEMS,
        commit_seconds: float = DEFAULT_COMMIT_SECONDS,
    ) -> BatchedArchive:
        """The process's connection to ``path``, opened on first use."""
        key = str(Path(path).resolve())  # "archive.db" and "./archive.db" are one file
        batched = cls._open.get(key)
        if batched is None:
            batched = cls._open[key] = cls(key, commit_items, commit_seconds)
        batched.users += 1
        return batched

    def release(self) -> None:
        """Commit, and close the connection when its last user is done."""
        self.users -= 1
        if self.users > 0:
            self.commit()
            return
        self._open.pop(self.path, None)
        try:
            self.commit()
        finally:
            self.archive.close()

    def write(self) -> Archive:
        """The archive inside the open batch (opened here), for one item's writes."""
        if not self.archive.db.conn.in_transaction:
            self.archive.begin()
            self.pending = 0
            self._schedule()
        return self.archive

    def written(self) -> None:
        """Count an item written; commit once the batch is full."""
        self.pending += 1
        if self.pending >= self.commit_items:
            self.commit()

    def commit(self) -> None:
        """Commit the open batch, if any."""
        if self.timer is not None and self.timer.active():
            self.timer.cancel()
        self.timer = None
        if self.archive.db.conn.in_transaction:
            try:
                self.archive.commit()
            except Exception:
                logger.error(
                    "the last %d archived items were not stored; the next crawl fetches them again",
                    self.pending,
                )
                raise
            finally:
                self.pending = 0

    def _schedule(self) -> None:
        from twisted.internet import reactor

        if self.timer is None and reactor.running:
            self.timer = reactor.callLater(self.commit_seconds, self._on_timer)

    def _on_timer(self) -> None:
        self.timer = None
        with contextlib.suppress(Exception):  # logged by commit; the crawl goes on
            self.commit()
