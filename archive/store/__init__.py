"""Storage: the schema (DDL) and the only code that writes to the archive.

:mod:`.schema` holds the tables, indexes and migrations; :mod:`.writer` opens an archive and
writes documents, versions, speakers and links through :class:`~.writer.Archive`.
"""

from archive.store.writer import Archive, LazyDatabase, now_iso, open_database, open_readonly

__all__ = ["Archive", "LazyDatabase", "now_iso", "open_database", "open_readonly"]
