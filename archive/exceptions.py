"""Errors of the archive, named for the condition; the CLI turns each into one line.

Each message says what is wrong and, where there is one, the next step, so the
command line can print it as it is and exit with status 2.
"""


class ArchiveError(Exception):
    """Base of every error the archive raises on purpose."""


class NotAnArchive(ArchiveError):
    """The file is not an archive of this program (another SQLite file, or not SQLite)."""


class DamagedArchive(ArchiveError):
    """The archive's file is damaged (corrupt pages, a broken index, tables missing or
    altered); the message names the damage and points to ``archive check``."""


class NewerSchema(ArchiveError):
    """The archive was written by a newer version of this program; upgrade before using it."""


class MissingArchive(ArchiveError):
    """A command that only reads was pointed at a file that does not exist."""


class InvalidQuery(ArchiveError):
    """A search query that SQLite's full-text engine cannot parse."""


class InvalidArgument(ArchiveError):
    """A value given on the command line that cannot be used (a bad date, an unknown format)."""


class NotFound(ArchiveError):
    """No record has the id or URL that was asked for."""


class ArchiveUnwritable(ArchiveError):
    """The archive cannot be written (disk full, read-only file, held locked); it is unchanged."""
