"""Reading any page: bytes to text, HTML to paragraphs, metadata, dates, main text, feeds.

Pure functions, no Scrapy and no SQL: every one can be tested on a saved page. The site parsers
(:mod:`mfa_scraper.sites`) build on these; nothing here knows a particular site.
"""
