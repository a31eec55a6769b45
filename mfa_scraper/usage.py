"""Checks of a crawl's command line that must fail before Scrapy starts, in one line.

Inside a running crawl a bad ``-s DOWNLOAD_DELAY=abc`` is a ``ValueError`` deep in
Scrapy, and an archive that cannot be written a "Task exception was never retrieved"
traceback. ``scrapy crawl`` (:mod:`mfa_scraper.commands.crawl`) and ``archive crawl``
call these first and print the :class:`UsageError` as one line, exit status 2.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from scrapy.exceptions import UsageError
from scrapy.settings import BaseSettings, default_settings

from mfa_scraper import settings as project_settings
from mfa_scraper.bounds import BOUND_SETTINGS, bound_refusal

#: Spellings Scrapy's ``getbool`` accepts.
BOOLEANS = {"0", "1", "true", "false", "True", "False"}


def _default(name: str) -> Any:
    if hasattr(project_settings, name):
        return getattr(project_settings, name)
    return getattr(default_settings, name, None)


def check_setting_values(values: Mapping[str, Any]) -> None:
    """Refuse ``-s NAME=VALUE`` values that the setting's type cannot take.

    A setting whose default is a number, a boolean or a dict must be given as one
    (a dict as JSON); others (strings, unknown names) are taken as they are. The bounds
    of :mod:`mfa_scraper.bounds` must be at least 1.
    """
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        default = _default(name)
        text = value.strip()
        if isinstance(default, bool):
            if text not in BOOLEANS:
                raise UsageError(
                    f"-s {name}={value!r}: give 1 or 0 (true or false)", print_help=False
                )
        elif isinstance(default, int):
            try:
                number = int(text)
            except ValueError:
                raise UsageError(
                    f"-s {name}={value!r}: give a whole number", print_help=False
                ) from None
            if name in BOUND_SETTINGS and number < 1:
                raise UsageError(bound_refusal(name, value), print_help=False)
        elif isinstance(default, float):
            try:
                float(text)
            except ValueError:
                raise UsageError(f"-s {name}={value!r}: give a number", print_help=False) from None
        elif isinstance(default, dict) and text:
            try:
                parsed = json.loads(text)
            except ValueError:
                parsed = None
            if not isinstance(parsed, dict):
                raise UsageError(
                    f"-s {name}={value!r}: give a JSON object", print_help=False
                ) from None


def command_line_values(settings: BaseSettings) -> dict[str, Any]:
    """The settings given on the command line (``-s``), by name."""
    from scrapy.settings import SETTINGS_PRIORITIES

    priority = SETTINGS_PRIORITIES["cmdline"]
    return {name: settings[name] for name in settings if settings.getpriority(name) == priority}


def check_archive_writable(settings: BaseSettings) -> None:
    """Open (or create) the crawl's archive now, and run SQLite's quick_check on it: a
    read-only file, a damaged or foreign one is one line before the crawl, not a traceback
    inside it. Skipped when the items go
    elsewhere (scrapy-redis scale-out replaces the archive pipeline)."""
    pipelines = settings.getdict("ITEM_PIPELINES")
    if not any("ArchivePipeline" in str(pipeline) for pipeline in pipelines):
        return
    if settings.get("REDIS_URL") or os.environ.get("REDIS_URL"):
        return  # scale-out (mfa_scraper/scaleout.py): items go to Redis, not to ARCHIVE_DB
    from archive.exceptions import ArchiveError
    from archive.store import open_database
    from archive.store.check import quick_damage

    try:
        open_database(settings.get("ARCHIVE_DB")).conn.close()
        damage = quick_damage(settings.get("ARCHIVE_DB"))
    except ArchiveError as exc:
        raise UsageError(str(exc), print_help=False) from None
    if damage:
        raise UsageError(str(damage), print_help=False)
