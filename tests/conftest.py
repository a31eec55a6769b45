"""Shared fixtures: real pages copied into tests/pages/<site>/ and a fresh archive."""

from __future__ import annotations

from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "pages"


def page_path(site: str, name: str) -> Path:
    """Path of a saved real page, ``tests/pages/<site>/<name>``."""
    return PAGES / site / name


def read_page(site: str, name: str) -> bytes:
    """Bytes of a saved real page, exactly as the server sent them."""
    return page_path(site, name).read_bytes()


@pytest.fixture
def page():
    """``page(site, name)`` returns the bytes of a saved real page."""
    return read_page
