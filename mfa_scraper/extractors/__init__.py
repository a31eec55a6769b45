"""Pure extraction: HTML or text in, :class:`~mfa_scraper.items.Document` out.

Nothing in this package imports Scrapy or touches SQL, so every function can be
tested on a saved page and reused by the ``archive`` command line.
"""
