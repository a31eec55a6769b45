"""Storage: the schema (DDL) and the only code that writes to the archive.

:mod:`.schema` holds the tables, indexes and migrations; :mod:`.connection` opens an archive
(:func:`open_database`, :func:`open_readonly`) and runs write transactions;
:class:`Archive` (:mod:`.writer`) writes documents, versions and statements
(:mod:`.documents`), sources and speakers (:mod:`.speakers`), and links and lists
(:mod:`.links`).
"""

from archive.store.connection import LazyDatabase, now_iso, open_database, open_readonly
from archive.store.writer import Archive

__all__ = ["Archive", "LazyDatabase", "now_iso", "open_database", "open_readonly"]
