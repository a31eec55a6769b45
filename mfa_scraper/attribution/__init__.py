"""The attribution engine: text in, quotations and their speakers out.

:mod:`.quotemarks` finds quoted stretches in any typography; each language has its own cue rules
(:mod:`.en`, :mod:`.zh`, :mod:`.ru`) that decide which stretches are statements and whose;
:mod:`.quotes` is the entry point (:func:`~.quotes.extract_quotes`) and :mod:`.document` applies
it to a whole document. Speakers resolve to one identity through :mod:`archive.identity`.
Pure functions, no Scrapy and no SQL.
"""
