"""The statement archive: a SQLite file of documents, speakers and statements.

:mod:`archive.store` is the only package that writes; :mod:`archive.search` and
:mod:`archive.provenance` read; :mod:`archive.identity` gives one name per person to both the
archive and the crawler; :mod:`archive.cli` is the ``archive`` command. Only the CLI's page
commands (``archive add``/``extract``/``quotes``/``crawl``) reach into the crawler; the rest of
this package never imports it, so the archive can be read and searched without Scrapy.
"""

from archive.config import DEFAULT_DB, db_path_from_env

__all__ = ["DEFAULT_DB", "db_path_from_env"]
