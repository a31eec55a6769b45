"""Dates written for readers on a page: bylines, date elements, ``<time>``, the text around the
headline, each with how far from the headline it stands.

A teaser's date sits farther from the headline than the story's own, be it above it (a kicker)
or below (the byline): distance, counted in elements of document order, tells them apart.
:mod:`.published` reads these lines to date a page that has no better source, and to put a UTC
timestamp in the publisher's zone ("9:24 pm ET" by the headline).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lxml import etree
from lxml.html import HtmlElement

from mfa_scraper.page.dates import Stamp, dates_in_text, parse_stamp, written_zone

#: Visible date lines: ``<time>``, elements with a machine date attribute, and elements whose
#: class or id says date, time, byline... (htmldate's fast mode looks at a few tags only;
#: bylines are also ``a``, ``dd``, ``em``, ``h3``). Class and id values are scanned as strings
#: first: an XPath testing 30 ``contains()`` on every element cost 6 ms a page.
DATE_CUE_RE = re.compile(
    "date|datum|time|byline|posted|publish|dateline|meta|info|subline|fecha|data|stamp|author"
    "|submitted|article-header"
)
DATE_LINE_TAGS = frozenset(
    "span div p li small abbr a dd dt em strong b i h2 h3 h4 h5 h6 td font header section".split()
)
CLASS_AND_ID_XPATH = etree.XPath("//@class | //@id")
MACHINE_ATTRIBUTES = ("data-date", "data-datetime", "data-published")
#: Written as unions of attribute steps: a predicate tested on every element cost twice as much.
MACHINE_DATE_XPATH = etree.XPath(
    "//time | " + " | ".join(f"//@{attribute}/.." for attribute in MACHINE_ATTRIBUTES)
)
#: Attributes of a date line that hold a machine-written date ("abbr title", ``data-date``).
STAMP_ATTRIBUTES = ("datetime", "data-date", "data-datetime", "data-published", "title", "content")
#: A date line is short: "By Jane Roe | November 18, 2019 at 2:26 PM HST".
MAX_DATE_LINE = 200
#: How many date lines are read, and how many characters after the headline.
MAX_DATE_LINES = 60
HEADLINE_WINDOW = 400
#: A date line this close to the headline (elements in document order) is the story's own.
NEAR_HEADLINE = 25
#: The distance given to date lines of a page without a headline: never near.
NO_HEADLINE = 100_000


@dataclass
class DateLine:
    """A date written for readers (a byline, a date element, a ``<time>``), how far from the
    headline it stands (elements in document order), and the zone of its time if written."""

    day: date
    distance: int
    zone: str | None = None
    #: The machine timestamp of a ``<time datetime>``.
    stamp: Stamp | None = None
    #: Whether ``day`` was read in the text (else it is the stamp's: "1 day ago").
    visible: bool = True


def date_lines(
    tree: HtmlElement,
    language: str | None = None,
    title: str | None = None,
    *,
    near_only: bool = False,
) -> tuple[list[DateLine], list[DateLine]]:
    """Visible dates of the byline and date elements and of the text around the headline,
    nearest the headline first; and the undated lines by the headline that write a zone.

    Distance counts elements in document order: a teaser's date sits farther from the
    headline than the story's own, be it above it (a kicker) or below (the byline). A date
    element's text is read in its first :data:`MAX_DATE_LINE` characters.

    With ``near_only``, only the lines within :data:`NEAR_HEADLINE` elements of the headline
    are read, from the elements around it instead of the whole page's: what placing a
    timestamp in the publisher's zone needs, at a tenth of the cost on a large page.
    """
    heading, order = _headline(tree, title)
    headline = order[heading] if heading is not None else None
    lines: list[DateLine] = []
    zones: list[DateLine] = []
    if near_only and heading is None:
        return lines, zones
    elements = (
        _elements_near(heading, order)
        if near_only
        else _date_line_elements(tree, order)[: MAX_DATE_LINES * 3]
    )
    for element in elements:
        if len(lines) >= MAX_DATE_LINES:
            break
        index = order.get(element, 0)
        # without a headline, document order, all far
        distance = abs(index - headline) if headline is not None else NO_HEADLINE + index
        text = " ".join(element.text_content()[: MAX_DATE_LINE * 2].split())[:MAX_DATE_LINE]
        found = dates_in_text(text, language) if text else []
        stamp = parse_stamp(next((v for a in STAMP_ATTRIBUTES if (v := element.get(a))), None))
        if found:
            lines.append(DateLine(found[0][1], distance, written_zone(text), stamp))
        elif stamp:
            lines.append(DateLine(stamp.day, distance, stamp=stamp, visible=False))
        elif text and distance <= NEAR_HEADLINE and written_zone(text):
            # "Updated 9:12 pm ET": no date, but the zone the page's times are written in
            zones.append(DateLine(date.min, distance, written_zone(text), visible=False))
    if heading is not None:
        for text, distance in _text_by_headline(heading, order):
            found = dates_in_text(text, language)
            if found:
                lines.append(DateLine(found[0][1], distance, written_zone(text[found[0][0] :])))
    lines.sort(key=lambda line: line.distance)
    if near_only:
        lines = [line for line in lines if line.distance <= NEAR_HEADLINE]
    return lines, zones


def _date_line_elements(tree: HtmlElement, order: _Order) -> list[HtmlElement]:
    """The date line candidates of the page, in document order."""
    found = set(MACHINE_DATE_XPATH(tree))
    for value in CLASS_AND_ID_XPATH(tree):
        if DATE_CUE_RE.search(value):
            element = value.getparent()
            if element.tag in DATE_LINE_TAGS:
                found.add(element)
    return sorted(found, key=lambda element: order.get(element, 0))


#: The elements just before the headline in document order (its ancestors included), and
#: just after it (its own children first).
BEFORE_XPATH = etree.XPath(f"(preceding::* | ancestor::*)[position() > last() - {NEAR_HEADLINE}]")
AFTER_XPATH = etree.XPath(f"(descendant::* | following::*)[position() <= {NEAR_HEADLINE}]")


def _elements_near(heading: HtmlElement, order: _Order) -> list[HtmlElement]:
    """The date line candidates among the elements within :data:`NEAR_HEADLINE` of the
    headline, in document order: the same test as :func:`_date_line_elements`, on ~50
    elements instead of every class and id of the page."""
    headline = order[heading]
    before = BEFORE_XPATH(heading)
    after = AFTER_XPATH(heading)
    for distance, element in enumerate(reversed(before), start=1):
        order.know(element, headline - distance)
    for distance, element in enumerate(after, start=1):
        order.know(element, headline + distance)
    return [element for element in (*before, heading, *after) if _is_date_line(element)]


def _is_date_line(element: HtmlElement) -> bool:
    """Whether :func:`_date_line_elements` takes ``element``: a ``<time>``, an element with a
    machine date attribute, or a date line tag whose class or id says date, byline..."""
    if element.tag == "time" or any(element.get(a) is not None for a in MACHINE_ATTRIBUTES):
        return True
    if element.tag not in DATE_LINE_TAGS:
        return False
    return any(
        (value := element.get(a)) is not None and DATE_CUE_RE.search(value) for a in ("class", "id")
    )


def _headline(tree: HtmlElement, title: str | None = None) -> tuple[HtmlElement | None, _Order]:
    """The story's headline, and the position of elements in document order.

    The headline is the ``<h1>`` that shares most words with the page's title (a site's logo
    or a section name is an ``<h1>`` too on some sites), else the first one.
    """
    order = _Order()
    headings = list(tree.iter("h1"))
    if not headings:
        return None, order
    best = headings[0]
    words = set(_WORD_RE.findall((title or "").lower()))
    if words and len(headings) > 1:
        best = max(
            headings,
            key=lambda h: len(words & set(_WORD_RE.findall(h.text_content().lower()))),
        )
    return best, order


class _Order:
    """Positions of elements in document order, counted by libxml2 for the few elements asked
    about: numbering every element of a large page from Python cost 1 ms."""

    _COUNT = etree.XPath("count(preceding::*) + count(ancestor::*)")

    def __init__(self) -> None:
        self._known: dict[HtmlElement, int] = {}

    def __getitem__(self, element: HtmlElement) -> int:
        if element not in self._known:
            self._known[element] = int(self._COUNT(element))
        return self._known[element]

    def get(self, element: HtmlElement, default: int = 0) -> int:
        return self[element] if element is not None else default

    def know(self, element: HtmlElement, position: int) -> None:
        """Record a position found otherwise (counting from a neighbour)."""
        self._known[element] = position


_WORD_RE = re.compile(r"\w{3,}")


#: The text nodes before and after the headline (no normalize-space() predicate: libxml2
#: would test every text node of the axis).
TEXT_AROUND_XPATHS = {
    axis: etree.XPath(f"{axis}::text()[position() <= 100]") for axis in ("preceding", "following")
}


def _text_by_headline(heading: HtmlElement, order: _Order) -> list[tuple[str, int]]:
    """The text just before and just after the headline, each with the distance of its end
    nearest the headline: where a byline without markup stands."""
    headline = order[heading]
    found = []
    for axis, xpath in TEXT_AROUND_XPATHS.items():
        texts = [t for t in xpath(heading) if t.strip()][:20]
        if axis == "preceding":
            texts = texts[::-1]  # nearest first
        parts: list[str] = []
        nearest = None
        for text in texts:
            parent = text.getparent()
            if parent is None or parent.tag in ("script", "style", "noscript", "title"):
                continue
            if nearest is None:
                nearest = abs(order.get(parent, headline) - headline)
            parts.append(" ".join(str(text).split()))
            if sum(len(p) for p in parts) > HEADLINE_WINDOW:
                break
        if parts and axis == "preceding":
            found.append((" ".join(parts[::-1])[-HEADLINE_WINDOW:], nearest or 0))
        elif parts:
            found.append((" ".join(parts)[:HEADLINE_WINDOW], nearest or 0))
    return found
