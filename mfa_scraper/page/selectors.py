"""CSS selectors compiled once, not at every call.

lxml's ``element.cssselect(css)`` translates the CSS to XPath (cssselect, in Python) and
compiles the XPath on every call: about a tenth of an MFA page's extraction went there.
:func:`select` does the same selection with each selector compiled once, on its first use
(site parsers use a few dozen, all constants).
"""

from __future__ import annotations

from functools import lru_cache

from lxml.cssselect import CSSSelector
from lxml.etree import _Element


@lru_cache(maxsize=512)
def compiled(css: str) -> CSSSelector:
    """``css`` compiled as ``HtmlElement.cssselect`` compiles it (the HTML translator)."""
    return CSSSelector(css, translator="html")


def select(element: _Element, css: str) -> list[_Element]:
    """What ``element.cssselect(css)`` returns, the selector compiled once."""
    return compiled(css)(element)
