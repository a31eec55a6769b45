"""Where the archive lives: one default, shared by the crawler and the CLI."""

from __future__ import annotations

import os

#: Environment variable naming the archive file, read by Scrapy settings and the CLI.
DB_ENV_VAR = "ARCHIVE_DB"

#: The archive file used when nothing else is said: ``archive.db`` in the working directory.
DEFAULT_DB = "archive.db"


def db_path_from_env() -> str:
    """The archive path from ``$ARCHIVE_DB``, else :data:`DEFAULT_DB`."""
    return os.environ.get(DB_ENV_VAR) or DEFAULT_DB
