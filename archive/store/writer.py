"""The archive's writer: :class:`Archive`, the only class that changes the database.

:class:`Archive` is composed of what it writes, a module each:

- :class:`~.documents.DocumentWrites`: documents, their versions and statements, re-checks,
  removals, failed fetches and completed listing sections;
- :class:`~.speakers.SpeakerWrites`: sources, speakers and their aliases, merges;
- :class:`~.links.LinkWrites`: what ``archive link`` derives (quote origins, impact lists,
  link runs, bilingual pairs);

all on :class:`~.connection.Transactions`, the connection and its write transactions.
Callers need only :class:`Archive`, importable as ``from archive.store import Archive``.
"""

from __future__ import annotations

from archive.store.documents import DocumentWrites
from archive.store.links import LinkWrites
from archive.store.speakers import SpeakerWrites


class Archive(DocumentWrites, SpeakerWrites, LinkWrites):
    """A statement archive on disk.

    Use as a context manager, or call :meth:`close`::

        with Archive("archive.db") as archive:
            archive.upsert_document(record)
    """
