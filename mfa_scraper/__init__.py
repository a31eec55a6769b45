"""Scrapy project that crawls diplomatic statements into the archive.

Spiders (:mod:`mfa_scraper.spiders`) fetch pages and follow links; site parsers
(:mod:`mfa_scraper.sites`) and page reading (:mod:`mfa_scraper.page`) turn a page into a
document with turns; the attribution engine (:mod:`mfa_scraper.attribution`) finds quotations
and their speakers; :mod:`mfa_scraper.pipelines` hands the :mod:`mfa_scraper.items` to
:mod:`archive.store`. See ARCHITECTURE.md.
"""
