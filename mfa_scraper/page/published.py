"""The publication date of a page of any site: htmldate, and the project's own rules where they
measurably do better (``bench/dates.py``; BENCHMARKS.md, "Publication dates").

Two values come out (:class:`PageDate`):

* ``published``, the page's own timestamp as it gives it (ISO 8601 with its offset), or a bare
  date when that is all there is;
* ``date``, the calendar date people cite: the publisher's, not the UTC one. A story stamped
  ``2019-11-20T02:07Z`` by a paper whose page says "9:07 pm EST" is of 19 November.

Order, first found wins:

1. a full date in the URL (``/2019/11/18/``, ``/2019/nov/18/``, ``-20191115/``, ``_20030331_``,
   ``/2019-11-19/``, ``23-01-2022``): written when the story is filed, in the publisher's zone;
2. the page's own "published" metadata (:data:`PUBLISHED_META`, JSON-LD ``datePublished`` of
   the page's objects whatever their type, ``itemprop="datePublished"``, ``<time pubdate>``),
   never a "modified" one (``og:updated_time``); a value that does not parse is skipped for
   the next one;
3. htmldate's fast mode (original date, the URL given) on the page without its scripts, whose
   tracking code carries the time the page was served;
4. a date written in the byline or next to the headline, in any language of
   :data:`~mfa_scraper.page.dates.MONTH_NAMES` (htmldate's fast mode reads English, French and
   German names only in a few elements).

A UTC (or zone-less) time from steps 2–3 is put in the publisher's zone when the page says which
(another timestamp with an offset, a visible "9:24 pm ET"); otherwise a visible date line one
day off wins, since that is the date the reader sees. Never the crawl time: nothing here reads
the clock except to reject dates after next year, and without a date the result is empty.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lxml import etree
from lxml.html import HtmlElement

from mfa_scraper.page.date_lines import NEAR_HEADLINE, DateLine, date_lines
from mfa_scraper.page.dates import MONTHS, Stamp, parse_stamp, plausible, zone_info

if TYPE_CHECKING:
    from mfa_scraper.page.metadata import JsonLd

LOGGER = logging.getLogger(__name__)

#: ``<meta>`` names/properties/itemprops of the first publication date, most specific first:
#: Open Graph, schema.org, Dublin Core, Parse.ly, Sailthru, Highwire (citation_*) and CMS
#: habits. ``date`` and ``dc.date`` are last: some sites fill them with the modification date.
PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "article:published",
    "og:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "publish-date",
    "publish_date",
    "publishdate",
    "published-date",
    "published_date",
    "publication_date",
    "publicationdate",
    "originalpublicationdate",
    "article_date_original",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "citation_publication_date",
    "citation_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "datecreated",
    "uploaddate",
    "displaydate",
    "dc.date",
    "dcterms.date",
    "date",
)
#: Modification dates: never a publication date, but their offset tells the publisher's zone.
MODIFIED_META = (
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
)

#: Elements that mark their own publication date.
MARKED_DATE_XPATH = etree.XPath(
    "//@itemprop[. = 'datePublished' or . = 'dateCreated']/.. | //time[@datetime]"
)
#: Machine timestamps of ``<time>`` elements, read for their offset only.
TIME_ATTRIBUTE_XPATH = etree.XPath("(//time/@datetime)[position() <= 20]", smart_strings=False)


#: Full dates in a URL, most explicit first.
_Y = r"(?P<year>(?:19|20)\d\d)"
URL_DATE_PATTERNS = (
    re.compile(rf"/{_Y}/(?P<month>[01]?\d)/(?P<day>[0-3]?\d)(?=/|$|[-_.])"),
    re.compile(rf"/{_Y}/(?P<month>[a-z]{{3,9}})/(?P<day>[0-3]?\d)(?=/|$|[-_.])", re.IGNORECASE),
    re.compile(rf"(?<![\d])(?<!\d[-_.]){_Y}[-_.](?P<month>[01]\d)[-_.](?P<day>[0-3]\d)(?![\d])"),
    re.compile(rf"(?<![\dA-Za-z])(?:t)?{_Y}(?P<month>[01]\d)(?P<day>[0-3]\d)(?![\d])"),
    re.compile(rf"(?<![\d])(?P<day>[0-3]\d)[-_.](?P<month>[01]\d)[-_.]{_Y}(?![\d])"),
)

#: Rules that can be switched off, for the benchmark's ablation (``bench/dates.py --ablation``).
RULES = frozenset({"url", "metadata", "local-date", "htmldate", "date-line"})
_disabled: set[str] = set()


@dataclass
class PageDate:
    """What a page says of when it was published."""

    published: str | None = None
    date: str | None = None
    #: ``url``, ``metadata``, ``htmldate`` or ``date-line``: which step found it.
    source: str | None = None
    flags: list[str] = field(default_factory=list)

    @property
    def flag(self) -> str | None:
        """The extraction flag of the date, if it is weak or missing (``Document.flags``)."""
        return self.flags[0] if self.flags else None


# --- where the page says it ------------------------------------------------------------------


def _is_http(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme in ("http", "https")


def url_date(url: str | None) -> date | None:
    """A full date written in the path of an http(s) URL.

    Local paths are not read: a file saved under a folder named by the day of the crawl would
    give the crawl date.
    """
    if not _is_http(url):
        return None
    path = urlsplit(url).path
    for pattern in URL_DATE_PATTERNS:
        for match in pattern.finditer(path):
            raw = match.group("month")
            month = int(raw) if raw.isdigit() else MONTHS.get(raw.lower())
            if not month:
                continue
            try:
                found = date(int(match.group("year")), month, int(match.group("day")))
            except ValueError:
                continue
            if plausible(found):
                return found
    return None


def metadata_stamps(tree: HtmlElement, meta: dict[str, str], json_ld: JsonLd) -> list[Stamp]:
    """The page's own publication timestamps, most explicit first; unparsable values skipped."""
    values = [meta.get(key) for key in PUBLISHED_META if meta.get(key)]
    values += json_ld.dates
    marked = [e for e in MARKED_DATE_XPATH(tree) if _marks_its_date(e)]
    values += [e.get("datetime") or e.get("content") for e in marked[:3]]
    stamps = []
    for value in values:
        stamp = parse_stamp(value)
        if stamp:
            stamps.append(stamp)
    return stamps


def _marks_its_date(element: HtmlElement) -> bool:
    """``itemprop="datePublished"`` with a value, or ``<time pubdate>``/``class="published"``."""
    if element.get("itemprop") in ("datePublished", "dateCreated"):
        return bool(element.get("content") or element.get("datetime"))
    classes = element.get("class") or ""
    return element.get("pubdate") is not None or "published" in classes or "entry-date" in classes


def zone_offsets(tree: HtmlElement, meta: dict[str, str], json_ld: JsonLd) -> list[timedelta]:
    """Non-zero UTC offsets of the page's own timestamps: the publisher's zone, when one is."""
    values = [meta.get(key) for key in PUBLISHED_META + MODIFIED_META if meta.get(key)]
    values += json_ld.dates + json_ld.modified
    values += TIME_ATTRIBUTE_XPATH(tree)
    offsets = []
    for value in values:
        stamp = parse_stamp(value)
        if stamp and stamp.moment and stamp.moment.tzinfo:
            offset = stamp.moment.utcoffset()
            if offset:
                offsets.append(offset)
    return offsets


def local_day(stamp: Stamp, found: _Evidence) -> tuple[date, str | None]:
    """The publisher's calendar date of ``stamp``, and how it was moved (``zone``, ``offset``,
    ``date-line``; ``None``: as it is).

    A time with a non-zero offset is the publisher's own. A UTC or zone-less one is moved into
    the zone the page states: the same moment written in local time in another field
    ("Monday, November 18, 2019, 08:19 PM" beside ``2019-11-19T01:19Z``), a zone written after
    a visible time by the headline ("9:24 pm ET"), another timestamp's offset. Without one,
    the visible date line by the headline wins when it is one day off, as readers see it.
    """
    if "local-date" in _disabled or not stamp.utc_or_naive or stamp.moment is None:
        return stamp.day, None
    moment = stamp.moment
    near = found.near
    if moment.tzinfo is not None:
        written = sorted(near[:3] + found.zones, key=lambda line: line.distance)
        utc = moment.replace(tzinfo=None, second=0, microsecond=0)
        for other in found.stamps:
            if other.moment is None or other.moment.tzinfo is not None:
                continue
            shift = other.moment.replace(second=0, microsecond=0) - utc
            if shift and abs(shift) <= MAX_SHIFT and not shift % timedelta(minutes=15):
                return other.day, "offset"
        for line in written:
            if line.zone:
                return moment.astimezone(zone_info(line.zone)).date(), "zone"
        if found.offsets:
            return moment.astimezone(timezone(found.offsets[0])).date(), "offset"
    for line in near[:1]:
        if abs((line.day - stamp.day).days) == 1 and line.visible:
            return line.day, "date-line"
    return stamp.day, None


#: The farthest a local time is from UTC (UTC-12 to UTC+14).
MAX_SHIFT = timedelta(hours=14)


# --- htmldate --------------------------------------------------------------------------------

#: htmldate's output: date and time with offset, so that a UTC time can be moved to the
#: publisher's zone; a bare date comes back as midnight without offset.
HTMLDATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
#: Scripts other than JSON-LD: their tracking code carries the time the page was served.
SCRIPT_XPATH = etree.XPath(
    "//script[not(@type='application/ld+json')] | //noscript | //style | //template"
)


def htmldate_stamp(tree: HtmlElement, url: str | None) -> Stamp | None:
    """htmldate's fast mode on a copy of the page without scripts: the original date."""
    from htmldate import find_date

    pruned = _without_scripts(tree)
    try:
        found = find_date(
            pruned,
            extensive_search=False,
            original_date=True,
            outputformat=HTMLDATE_FORMAT,
            url=url,
        )
    except Exception:  # htmldate is robust, but a crawl must not stop on one page
        LOGGER.debug("htmldate failed", exc_info=True)
        return None
    if not found:
        return None
    stamp = parse_stamp(found)
    if stamp and stamp.moment and stamp.moment.tzinfo is None and stamp.moment.time() == _MIDNIGHT:
        return Stamp(stamp.day)  # a bare date, as htmldate formats one
    return stamp


_MIDNIGHT = datetime.min.time()


def _without_scripts(tree: HtmlElement) -> HtmlElement:
    import copy

    pruned = copy.deepcopy(tree)
    for element in SCRIPT_XPATH(pruned):
        element.drop_tree()
    return pruned


# --- the whole ---------------------------------------------------------------------------------


def page_date(
    tree: HtmlElement,
    url: str,
    meta: dict[str, str],
    json_ld: JsonLd,
    *,
    canonical: str | None = None,
    language: str | None = None,
) -> PageDate:
    """When the page at ``url`` was published (see the module's docstring for the order).

    Args:
        tree: the parsed page (boilerplate already removed, so that comments' dates are gone).
        url: where it was fetched from; a ``file://`` URL is not read for a date.
        meta, json_ld: the page's ``<meta>`` values and JSON-LD, as
            :mod:`mfa_scraper.page.metadata` reads them.
        canonical: the page's declared URL, read for a date when ``url`` has none.
        language: the page's language, for ``11/12/2019``.
    """
    if is_listing(tree):
        return PageDate(flags=["no-date"])
    url_day = None if "url" in _disabled else url_date(url) or url_date(canonical)
    stamps = [] if "metadata" in _disabled else metadata_stamps(tree, meta, json_ld)
    found = _Evidence(tree, meta, json_ld, language, stamps)
    if url_day:
        return _from_url(url_day, found)
    if stamps:
        day, _ = local_day(stamps[0], found)
        return PageDate(_precise(stamps[0], day, found).iso, day.isoformat(), "metadata")
    near = found.near
    if near:
        return _from_line(near[0], found)
    if "htmldate" not in _disabled:
        # a local path is no URL to read: a folder named by the crawl's day would date the page
        http_url = next((u for u in (url, canonical) if _is_http(u)), None)
        stamp = htmldate_stamp(tree, http_url)
        if stamp:
            day, _ = local_day(stamp, found)
            return PageDate(stamp.iso, day.isoformat(), "htmldate")
    if found.lines and len({line.day for line in found.lines}) < LISTING_DATES:
        return _from_line(found.lines[0], found)
    return PageDate(flags=["no-date"])


#: Date lines with this many different dates, none by the headline: a listing, not a story.
LISTING_DATES = 3
#: ``<body>`` classes of listing pages (WordPress's archives, category, tag, date and search
#: pages, the blog's front page) and of single stories and pages, which win.
LISTING_BODY_CLASSES = frozenset(
    {"archive", "category", "tag", "date", "search", "search-results", "blog", "home", "paged"}
)
SINGLE_BODY_CLASSES = frozenset({"single", "single-post", "page", "singular", "attachment"})


def is_listing(tree: HtmlElement) -> bool:
    """Whether the page says it lists stories (a month's archive, a tag): no date of its own."""
    body = tree.find("body")
    classes = set((body.get("class") or "").split()) if body is not None else set()
    return bool(classes & LISTING_BODY_CLASSES) and not classes & SINGLE_BODY_CLASSES


class _Evidence:
    """What the page says of its zone and its visible dates, read once and only if needed."""

    def __init__(
        self,
        tree: HtmlElement,
        meta: dict[str, str],
        json_ld: JsonLd,
        language: str | None,
        stamps: list[Stamp],
    ):
        self.tree, self.meta, self.json_ld, self.language = tree, meta, json_ld, language
        self.stamps = stamps
        self._offsets: list[timedelta] | None = None
        self._lines: list[DateLine] | None = None
        self._near: list[DateLine] | None = None
        self._zones: list[DateLine] = []

    @property
    def offsets(self) -> list[timedelta]:
        if self._offsets is None:
            self._offsets = zone_offsets(self.tree, self.meta, self.json_ld)
        return self._offsets

    @property
    def lines(self) -> list[DateLine]:
        """Every date line of the page, nearest the headline first."""
        if self._lines is None:
            self._lines, self._zones = self._read(near_only=False)
            self._near = [line for line in self._lines if line.distance <= NEAR_HEADLINE]
        return self._lines

    @property
    def near(self) -> list[DateLine]:
        """The date lines by the headline: all a page dated by its URL or metadata needs."""
        if self._near is None:
            self._near, self._zones = self._read(near_only=True)
        return self._near

    @property
    def zones(self) -> list[DateLine]:
        """Undated lines by the headline that write the zone of a time ("9:12 pm ET")."""
        _ = self.near
        return self._zones

    def _read(self, near_only: bool) -> tuple[list[DateLine], list[DateLine]]:
        if "date-line" in _disabled:
            return [], []
        title = self.meta.get("og:title") or self.tree.findtext(".//title")
        return date_lines(self.tree, self.language, title, near_only=near_only)


def _from_url(url_day: date, found: _Evidence) -> PageDate:
    """The URL's date, with the page's timestamp of that day (or the next or previous: a UTC
    one) as ``published``. A URL made from a UTC time (its date is the stamp's UTC date) yields
    to the publisher's zone when the page states it."""
    stamp = next((s for s in found.stamps if abs((s.day - url_day).days) <= 1), None)
    if stamp is None:
        return PageDate(url_day.isoformat(), url_day.isoformat(), "url", ["date-from-url"])
    day = url_day
    if stamp.day == url_day and stamp.utc_or_naive:
        local, how = local_day(stamp, found)
        if how in ("zone", "offset"):
            day = local
    return PageDate(stamp.iso, day.isoformat(), "url")


def _precise(stamp: Stamp, day: date, found: _Evidence) -> Stamp:
    """``stamp``, or when it is a bare date, the page's timestamp of the same day: JSON-LD may
    say "2019-11-18" where a ``<time>`` by the headline says ``2019-11-18T20:28:55+00:00``."""
    if stamp.moment is not None:
        return stamp
    near = [line.stamp for line in found.near if line.stamp]
    for other in (*found.stamps, *near):
        if other.moment is None:
            continue
        if other.day == day or (other.utc_or_naive and abs((other.day - day).days) <= 1):
            return other
    return stamp


def _from_line(line: DateLine, found: _Evidence) -> PageDate:
    """A date line's date: the one it shows, or its ``<time datetime>`` in the publisher's
    zone; ``published`` is the timestamp when it has one."""
    day = line.day if line.visible or line.stamp is None else local_day(line.stamp, found)[0]
    published = _precise(line.stamp or Stamp(line.day), day, found)
    return PageDate(published.iso, day.isoformat(), "date-line")
