"""Where the archive lives: one default, shared by the crawler and the CLI."""

from __future__ import annotations

import os
from pathlib import Path

#: Environment variable naming the archive file, read by Scrapy settings and the CLI.
DB_ENV_VAR = "ARCHIVE_DB"

#: The archive file used when nothing else is said: ``archive.db`` in the working directory.
DEFAULT_DB = "archive.db"


def db_path_from_env() -> str:
    """The archive path from ``$ARCHIVE_DB``, else :data:`DEFAULT_DB`."""
    return os.environ.get(DB_ENV_VAR) or DEFAULT_DB


def archive_path(value: str | Path) -> Path:
    """The archive file ``--db`` (or ``ARCHIVE_DB``) names, the same for every command.

    ``--db`` is a path to a file. SQLite also reads ``:memory:`` (a database that vanishes
    when the command ends: ``archive add`` would report success and keep nothing) and
    ``file:`` URIs (which some openers read as a URI and others as a file name, so ``add``
    and ``stats`` met different files); both are refused here, where every command and
    the crawler's pipeline resolve the archive's path.

    Raises:
        InvalidArgument: an empty value, ``:memory:`` or a ``file:`` URI.
    """
    from archive.exceptions import InvalidArgument

    text = str(value)
    if not text.strip():
        raise InvalidArgument("--db is empty; give the archive's file, e.g. --db archive.db")
    if text.strip() == ":memory:" or text.startswith(":memory:"):
        raise InvalidArgument(
            "--db ':memory:' is not a file: an archive in memory is gone when the command "
            "ends; give a file, e.g. --db archive.db"
        )
    if text.lower().startswith("file:"):
        raise InvalidArgument(
            f"--db {text!r} is an SQLite URI; give the file's path itself "
            f"(e.g. --db {text[5:].split('?', 1)[0].lstrip('/') or 'archive.db'})"
        )
    return Path(text)
