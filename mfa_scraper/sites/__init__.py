"""One parser per site: a page's HTML and URL in, a :class:`~mfa_scraper.items.Document` out.

Each module knows one site's markup (titles, dates, speaker labels, listings) and reads it with
:mod:`mfa_scraper.page`; :mod:`.dispatch` picks the parser for any URL. Pure functions: the
spiders fetch, these parse. A new site is a new module here and a spider in ``spiders/``.
"""
