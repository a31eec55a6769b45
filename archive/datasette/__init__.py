"""The archive's Datasette site: configuration (``datasette.yaml``, ``metadata.yaml``), templates,
static files, and the plugin (:mod:`.plugin`) that gives Datasette the archive's own search,
links between statements, speakers and documents, and Atom feeds.

Loaded by :func:`archive.serve.build_datasette`; never imports the crawler.
"""
