"""One crawl at a time per archive: an advisory lock file beside the database.

Cron and systemd timers fire whether or not the last run finished; two crawls
writing one archive would fetch everything twice. The lock is held with
``flock`` so it disappears with the process, even after ``kill -9``.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from archive.config import archive_path
from archive.exceptions import ArchiveError, ArchiveUnwritable


class CrawlLocked(ArchiveError):
    """Another crawl holds the archive's lock; this one exits without doing anything."""


def lock_path(db: str | Path) -> Path:
    """The lock file of an archive: ``archive.db.lock`` beside ``archive.db``."""
    return Path(f"{archive_path(db)}.lock")


@contextmanager
def crawl_lock(db: str | Path) -> Iterator[Path]:
    """Hold the archive's crawl lock for the duration of the block.

    Raises:
        CrawlLocked: another process holds it (its pid is in the message).
    """
    path = lock_path(db)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+")
    except OSError as exc:  # a read-only file system, a directory nobody may write
        raise ArchiveUnwritable(
            f"cannot write {db}: its directory cannot be written ({exc.strerror or exc}); "
            "crawl into a writable place with --db or ARCHIVE_DB"
        ) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise CrawlLocked(
                f"another crawl is running on {db} (pid {holder}); this one exits without crawling"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield path
    finally:
        handle.close()
