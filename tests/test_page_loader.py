"""The article path's loader gives trafilatura's tree, on real pages and on the inputs its
repairs are for: it only skips trafilatura's scan for characters XML forbids where there are
none (``mfa_scraper.page.article._load_html``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from trafilatura.utils import load_html

from mfa_scraper.page.article import _load_html
from mfa_scraper.page.encoding import decode_html

PAGES = sorted((Path(__file__).parent / "pages").rglob("*.html"))

EDGE_CASES = {
    "doctype with a slash": '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN">\n<html><body>'
    "<p>Text</p></body></html>",
    "self-closing html": '<html lang="en"/>\n<body><p>Text</p></body>',
    "control characters": "<html><body><p>Te\x0bxt\x01 and \ufffe more</p></body></html>",
    "not html": "just some words",
    "one element": "<p>only a paragraph</p>",
    "encoding declared in a str": '<?xml version="1.0" encoding="utf-8"?><html><body><p>x</p>'
    "</body></html>",
    "whitespace": "   \n  ",
}


def _same(text: str) -> None:
    ours, theirs = _load_html(text), load_html(text)
    assert (ours is None) == (theirs is None)
    if ours is not None:
        assert etree.tostring(ours) == etree.tostring(theirs)


@pytest.mark.parametrize("page", PAGES, ids=lambda path: path.name)
def test_same_tree_as_trafilatura_on_real_pages(page):
    _same(decode_html(page.read_bytes()))


@pytest.mark.parametrize("text", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_same_tree_as_trafilatura_on_what_its_repairs_are_for(text):
    _same(text)


def test_real_pages_are_there():
    assert len(PAGES) > 50
