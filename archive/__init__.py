"""The statement archive: a SQLite file of documents, speakers and statements.

:mod:`archive.store` is the only module that writes; :mod:`archive.search`
reads; :mod:`archive.cli` is the ``archive`` command. This package never
imports Scrapy, so the archive can be read and searched without the crawler.
"""

from archive.config import DEFAULT_DB, db_path_from_env

__all__ = ["DEFAULT_DB", "db_path_from_env"]
