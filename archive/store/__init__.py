"""Storage: the schema (DDL) and the only code that writes to the archive.

:mod:`.schema` holds the tables, indexes and migrations; :mod:`.connection` opens an archive
(:func:`open_database`, :func:`open_readonly`) and runs write transactions;
:class:`Archive` (:mod:`.writer`) writes documents, versions and statements
(:mod:`.documents`), sources and speakers (:mod:`.speakers`), and links and lists
(:mod:`.links`).
"""

from typing import TYPE_CHECKING, Any

from archive.store.connection import LazyDatabase, now_iso, open_database, open_readonly

if TYPE_CHECKING:
    from archive.store.writer import Archive

__all__ = ["Archive", "LazyDatabase", "now_iso", "open_database", "open_readonly"]


def __getattr__(name: str) -> Any:
    """:class:`Archive` is imported when first asked for: a reading command (``archive
    search``) opens the store but never writes, and the writer's modules (hashlib, which
    loads OpenSSL, among them) were ~3 ms of its start-up."""
    if name == "Archive":
        from archive.store.writer import Archive

        return Archive
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
