"""Scrapy project that crawls diplomatic statements into the archive.

Spiders fetch and discover links; :mod:`mfa_scraper.extractors` turns pages
into :mod:`mfa_scraper.items`; :mod:`mfa_scraper.pipelines` hands them to
:mod:`archive.store`.
"""
