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

import asyncio
import contextlib
import os
import sqlite3
import weakref
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
    from archive.config import archive_path
    from archive.store import Archive, open_readonly

    path = archive_path(path)
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

    config = load_yaml("datasette.yaml")
    # --setting overrides the configuration's settings: Datasette refuses a name given twice.
    config["settings"] = {**config.get("settings", {}), **(settings or {})}
    _register_our_plugin()
    _register_limits()
    ds = Datasette(
        [],
        config=config,
        metadata=load_yaml("metadata.yaml"),
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


#: The largest string or blob any SQL of a visitor may make (SQLite's ``SQLITE_LIMIT_LENGTH``):
#: ``select hex(zeroblob(200000000))`` is refused at once instead of taking gigabytes. The
#: longest document text of an archive is a few megabytes.
MAX_VALUE_BYTES = 16 * 2**20
#: The most text and bytes one query may return in all (``max_returned_rows`` rows of up to
#: :data:`MAX_VALUE_BYTES` each would be 16 GB); past it the query fails with a message.
MAX_RESULT_BYTES = 64 * 2**20
#: Requests answered at once; the others wait their turn (up to :data:`QUEUE_SECONDS`, then
#: 503). Each request may hold a result of up to :data:`MAX_RESULT_BYTES` while Datasette
#: renders it, so this bounds the server's memory: 30 concurrent 56 MB answers took 3 GB.
#: ``plugins: archive-limits: max_concurrent_requests`` (and ``queue_seconds``) in
#: datasette.yaml, or ``archive serve --setting``'s plugin configuration, set others.
MAX_CONCURRENT_REQUESTS = 4
QUEUE_SECONDS = 30.0


def _budgeted_rows(make_row: Any, budget: int) -> Any:
    """A row factory that counts the text and bytes each cursor returned and refuses a row
    past ``budget`` (raised from ``fetchmany``, so Datasette shows it as a query error)."""
    returned: dict[int, tuple[weakref.ref, int]] = {}

    def factory(cursor: sqlite3.Cursor, row: tuple) -> Any:
        size = sum(len(value) for value in row if isinstance(value, (str, bytes)))
        ref, total = returned.get(id(cursor), (None, 0))
        if ref is None or ref() is not cursor:
            if len(returned) > 256:  # forget finished cursors
                for key in [k for k, (r, _) in returned.items() if r() is None]:
                    del returned[key]
            ref, total = weakref.ref(cursor), 0
        total += size
        returned[id(cursor)] = (ref, total)
        if total > budget:
            raise sqlite3.DataError(
                f"the query returns more than {budget // 2**20} MB; ask for fewer rows or columns"
            )
        return make_row(cursor, row)

    return factory


def _register_limits() -> None:
    """Register, once, the plugin that caps every connection to the archive: the size of one
    value (``SQLITE_LIMIT_LENGTH``) and of one result (:func:`_budgeted_rows`)."""
    from datasette import hookimpl
    from datasette.plugins import pm

    if pm.get_plugin(LIMITS_PLUGIN) is not None:
        return

    class ArchiveLimits:
        __name__ = LIMITS_PLUGIN  # as /-/plugins lists it

        @hookimpl
        def asgi_wrapper(self, datasette: Any) -> Any:
            # one gate per server: Datasette builds its app again for each internal request
            gate = getattr(datasette, "_archive_request_gate", None)
            if gate is None:
                config = datasette.plugin_config(LIMITS_PLUGIN) or {}
                gate = _RequestGate(
                    int(config.get("max_concurrent_requests", MAX_CONCURRENT_REQUESTS)),
                    float(config.get("queue_seconds", QUEUE_SECONDS)),
                )
                datasette._archive_request_gate = gate
            return gate.wrap

        @hookimpl
        def prepare_connection(self, conn: sqlite3.Connection) -> None:
            conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
            conn.row_factory = _budgeted_rows(conn.row_factory or sqlite3.Row, MAX_RESULT_BYTES)

    pm.register(ArchiveLimits(), name=LIMITS_PLUGIN)


class _RequestGate:
    """ASGI middleware: at most ``limit`` HTTP requests in progress, from the first byte read
    to the last byte sent; a request that cannot start within ``wait`` seconds gets 503."""

    def __init__(self, limit: int, wait: float) -> None:
        if limit < 1:
            raise ValueError(f"max_concurrent_requests must be 1 or more, not {limit}")
        self.wait = wait
        self.slots = asyncio.Semaphore(limit)

    def wrap(self, app: Any) -> Any:
        async def limited(scope: dict, receive: Any, send: Any) -> None:
            if scope.get("type") != "http":
                await app(scope, receive, send)
                return
            try:
                await asyncio.wait_for(self.slots.acquire(), timeout=self.wait)
            except TimeoutError:
                await _busy(send, self.wait)
                return
            try:
                await app(scope, receive, send)
            finally:
                self.slots.release()

        return limited


async def _busy(send: Any, wait: float) -> None:
    body = f"The archive is busy: no answer could start within {wait:g} s. Try again.\n"
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"retry-after", b"5")],
        }
    )
    await send({"type": "http.response.body", "body": body.encode()})


#: The name of the plugin :func:`_register_limits` registers.
LIMITS_PLUGIN = "archive-limits"


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
