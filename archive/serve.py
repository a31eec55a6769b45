"""Serve the archive in Datasette, read-only, with the project's configuration.

Everything a visitor sees — titles, facets, sort order, search, canned queries,
settings — is configuration in ``archive/datasette/datasette.yaml`` (behaviour)
and ``metadata.yaml`` (description). This module only decides how the file is
opened, because that is what no configuration file can say:

* **live** (the default): SQLite ``mode=ro`` for every connection, including
  the one Datasette would write with, so a misconfigured permission still
  cannot change the archive; WAL lets a crawl write at the same time without
  "database is locked".
* **immutable**: SQLite ``immutable=1`` for a finished snapshot; Datasette
  then counts rows once and sends cache headers. It ignores the WAL, so a file
  with unmerged WAL changes is refused rather than served stale.

The database is always named ``archive`` (the name the configuration uses),
whatever the file is called. Only the plugins in :data:`PLUGINS` are loaded,
so a write or HTML-rendering plugin installed in the same environment for
something else cannot reach a public archive; the archive's own plugin
(:mod:`archive.datasette.plugin`: its search, links, pages and feeds) and templates
come with it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from archive.exceptions import ArchiveError, InvalidArgument
from archive.store.schema import SCHEMA_VERSION

if TYPE_CHECKING:
    from datasette.app import Datasette

#: The folder holding ``datasette.yaml`` and ``metadata.yaml``.
CONFIG_DIR = Path(__file__).parent / "datasette"

#: The database name the configuration refers to (``databases: archive:``).
DATABASE_NAME = "archive"

#: The only Datasette plugins loaded (charts); ``$DATASETTE_LOAD_PLUGINS`` overrides it.
PLUGINS = ("datasette-vega",)

#: The archive's own plugin, registered under this name.
OUR_PLUGIN = "archive"

#: Rows a table page counts before it says "10,000+": exact totals up to this many.
COUNT_LIMIT = 10_000_000


def _load_only_our_plugins() -> None:
    """Tell Datasette which plugins to load; it reads this once, when first imported."""
    os.environ.setdefault("DATASETTE_LOAD_PLUGINS", ",".join(PLUGINS))


def load_yaml(name: str) -> dict[str, Any]:
    """One of the configuration files in :data:`CONFIG_DIR`, parsed."""
    return yaml.safe_load((CONFIG_DIR / name).read_text(encoding="utf-8")) or {}


def parse_settings(pairs: list[str]) -> dict[str, Any]:
    """Turn ``NAME=VALUE`` strings into Datasette settings of the right type.

    Datasette refuses a setting whose type differs from its default, so
    ``force_https_urls=1`` becomes ``True`` and ``sql_time_limit_ms=500`` an int.
    """
    _load_only_our_plugins()
    from datasette.app import DEFAULT_SETTINGS

    settings: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or name not in DEFAULT_SETTINGS:
            raise InvalidArgument(
                f"--setting {pair!r} is not NAME=VALUE with a Datasette setting name "
                f"(e.g. base_url=/archive/, force_https_urls=on)"
            )
        default = DEFAULT_SETTINGS[name]
        value = value.strip()
        if isinstance(default, bool):
            if value.lower() not in ("1", "0", "true", "false", "on", "off", "yes", "no"):
                raise InvalidArgument(f"--setting {name} takes on or off, not {value!r}")
            settings[name] = value.lower() in ("1", "true", "on", "yes")
        elif isinstance(default, int):
            try:
                settings[name] = int(value)
            except ValueError:
                raise InvalidArgument(f"--setting {name} takes a number, not {value!r}") from None
        else:
            settings[name] = value
    return settings


def prepare_archive(path: str | Path, *, immutable: bool = False) -> Path:
    """Check the file is an archive Datasette can serve, upgrading an older schema first.

    The configuration refers to tables and views of the current schema
    (``statements_view``, ``document_versions``); an archive written by an
    older version gets them from :mod:`archive.store`, the only writer, before
    Datasette opens it read-only.
    """
    from archive.store import Archive, open_readonly

    path = Path(path)
    if not path.exists():
        open_readonly(path)  # raises MissingArchive with the next step
    try:  # the version as stored: open_readonly would already upgrade
        with contextlib.closing(
            sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        ) as raw:
            version = raw.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.DatabaseError:
        version = SCHEMA_VERSION  # not SQLite: open_readonly below says so
    if version < SCHEMA_VERSION:
        if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
            raise ArchiveError(
                f"{path} has schema version {version}, older than {SCHEMA_VERSION}, and is not "
                "writable; upgrade it where it can be written (any crawl or `archive add` does)"
            )
        Archive(path, create=False).close()
    open_readonly(path).conn.close()  # NotAnArchive, NewerSchema
    if immutable:
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise InvalidArgument(
                f"{path} has changes in its write-ahead log ({wal.name}): a crawl is writing "
                "or was interrupted; serve it without --immutable"
            )
    return path


def build_datasette(
    path: str | Path,
    *,
    immutable: bool = False,
    settings: dict[str, Any] | None = None,
) -> Datasette:
    """A Datasette instance serving the archive at ``path`` read-only, with our configuration.

    Call :func:`prepare_archive` first; this only builds the instance (tests use
    its ``client`` without a server).
    """
    _load_only_our_plugins()
    from datasette.app import Datasette
    from datasette.database import Database

    _register_our_plugin()
    ds = Datasette(
        [],
        config=load_yaml("datasette.yaml"),
        metadata=load_yaml("metadata.yaml"),
        settings=settings or None,
        static_mounts=[("static", str(CONFIG_DIR / "static"))],
        template_dir=str(CONFIG_DIR / "templates"),
    )
    ds.remove_database("_memory")
    if immutable:
        database = Database(ds, path=str(Path(path).resolve()), is_mutable=False)
    else:
        database = Database(ds, path=str(Path(path).resolve()), is_mutable=True, mode="ro")
    # Totals, not "10,000+": counting is bounded by the time limit anyway.
    database.count_limit = COUNT_LIMIT
    ds.add_database(database, name=DATABASE_NAME)
    return ds


def _register_our_plugin() -> None:
    """Register :mod:`archive.datasette.plugin` once per process (Datasette's plugin manager
    is global); its hooks act on the database named ``archive`` only."""
    from datasette.plugins import pm

    from archive.datasette import plugin

    if not pm.is_registered(plugin):
        pm.register(plugin, name=OUR_PLUGIN)


def run(ds: Datasette, *, host: str, port: int) -> None:
    """Serve ``ds`` with uvicorn until interrupted; Datasette's ASGI lifespan starts it up."""
    import uvicorn

    uvicorn.run(ds.app(), host=host, port=port, log_level="info", lifespan="on")
