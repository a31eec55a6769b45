"""Scrapy's check on callbacks, made once here instead of on every response.

``WARN_ON_GENERATOR_RETURN_VALUE`` is off in ``mfa_scraper/settings.py``: Scrapy re-parsed a
callback's source for each response it handled (its cache misses on bound methods). A
generator callback that returns a value loses it silently, so every spider's generators are
checked here, with Scrapy's own function.
"""

from __future__ import annotations

import inspect

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.misc import is_generator_with_return_value
from scrapy.utils.project import get_project_settings


def test_no_spider_callback_is_a_generator_that_returns_a_value():
    settings = get_project_settings()
    assert settings.getbool("WARN_ON_GENERATOR_RETURN_VALUE") is False
    loader = SpiderLoader.from_settings(settings)
    checked = 0
    for name in loader.list():
        spider = loader.load(name)
        for attribute, function in inspect.getmembers(spider, inspect.isfunction):
            if inspect.isgeneratorfunction(function) or inspect.isasyncgenfunction(function):
                checked += 1
                assert not is_generator_with_return_value(function), f"{name}.{attribute}"
    assert checked >= 10
