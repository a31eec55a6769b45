"""Page metadata of news and blog pages: title, publication date, author, language, canonical URL.

Each ``extract_<field>(tree, ...)`` reads a parsed :mod:`lxml.html` tree and returns ``None``
when the page does not say, so that the caller can flag the gap instead of guessing. Sources
are tried from the most explicit (``<meta property="article:published_time">``, JSON-LD) to
the least (a visible "June 11, 2019" line, the URL), because the explicit ones are written for
machines and the visible ones for people. Nothing here is keyed to a site: the tables below are
the conventions of Open Graph, schema.org, Dublin Core and WordPress themes.
"""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)

#: ``<meta>`` names/properties holding the headline, most specific first.
TITLE_META = ("og:title", "twitter:title", "dc.title", "parsely-title", "sailthru.title")

#: ``<meta>`` names/properties holding the first publication date, most specific first.
DATE_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "published_time",
    "publish-date",
    "publishdate",
    "pubdate",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "date",
    "og:updated_time",
)

#: ``<meta>`` names/properties holding a byline. ``article:author`` is often a profile URL,
#: which :func:`_clean_author` rejects.
AUTHOR_META = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "parsely-author",
    "sailthru.author",
    "byl",
)

#: schema.org types whose JSON-LD object describes the page's own text.
ARTICLE_TYPES = frozenset(
    {
        "article",
        "newsarticle",
        "blogposting",
        "reportagenewsarticle",
        "analysisnewsarticle",
        "opinionnewsarticle",
        "report",
        "webpage",
        "liveblogposting",
        "socialmediaposting",
        "scholarlyarticle",
    }
)

#: Visible elements that carry a date or a byline, by class/id/itemprop/rel, most explicit first
#: (a union would come back in document order). XPath 1.0 has no regex, hence ``contains``;
#: class names are lower case by convention, and lower-casing them with ``translate`` cost
#: 2 ms a page.
DATE_ELEMENT_XPATHS = (
    "//*[@itemprop='datePublished' or @itemprop='dateCreated']",
    "//time[@pubdate or contains(@class, 'publish') or contains(@class, 'entry-date')]",
    "(//article//time)[1]",
    "(//time)[1]",
    (
        "//*[self::span or self::div or self::p or self::li or self::small or self::abbr]"
        "[contains({c}, 'date') or contains({c}, 'posted') or contains({c}, 'publish')"
        " or contains({c}, 'byline') or contains({c}, 'entry-meta') or contains({c}, 'post-meta')"
        " or contains({c}, 'timestamp') or contains({i}, 'date')]"
    ).format(c="@class", i="@id"),
)
AUTHOR_ELEMENT_XPATH = (
    "//*[@itemprop='author']"
    " | //a[@rel='author']"
    " | //*[self::span or self::div or self::p or self::a or self::address or self::li]"
    "[contains({c}, 'byline') or contains({c}, 'author') or contains({c}, 'by-line')]"
).format(c="@class")

#: A byline written as the first words of a short paragraph: "by Nate Thayer, January 24".
BYLINE_TEXT_XPATH = etree.XPath(
    # One pass, not a union (//p | //strong…): libxml2 merges unions in quadratic time,
    # 24 s on a 4 MB page.
    "//*[self::p or self::strong or self::em or self::h4 or self::h5 or self::h6]"
    "[string-length(normalize-space()) < 80]"
    "[starts-with(normalize-space(), 'By ') or starts-with(normalize-space(), 'by ')]"
)
#: Classes of blocks whose author markup names someone other than the article's author.
OTHER_AUTHOR_CLASS_RE = re.compile(
    r"(?:^|\s)(?:comment|statement|quote|claim|review|related|teaser|reply)", re.IGNORECASE
)

#: Separators between a headline and the site name in ``<title>``.
TITLE_SEPARATOR_RE = re.compile(r"\s+[|\-–—·•:»]\s+")

#: A date written for people, found inside a visible line such as "Posted on June 11, 2019".
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
ENGLISH_MONTH_RE = re.compile(rf"\b{_MONTHS}", re.IGNORECASE)
DATE_TEXT_RE = re.compile(
    rf"\b(?:{_MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d\d"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS},?\s+(?:19|20)\d\d"
    r"|(?:19|20)\d\d-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?)?"
    r"|\d{1,2}[./]\d{1,2}[./](?:19|20)\d\d"
    r"|(?:19|20)\d\d年\d{1,2}月\d{1,2}日)",
    re.IGNORECASE,
)

#: ``/2013/01/24/`` in a blog or news URL.
URL_DATE_RE = re.compile(r"/((?:19|20)\d\d)/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$)")

#: Leading words of a byline that are not part of the name.
BYLINE_PREFIX_RE = re.compile(
    r"^(?:(?:posted|written|published|words|story|text|reported)\s+)?(?:by|von|par|por|de)\s*:?\s+",
    re.IGNORECASE,
)
#: Trailing noise after a byline name: "for The Diplomat", "| Reuters", a date, "Updated…".
BYLINE_TAIL_RE = re.compile(
    r"\s*(?:[|•·,]|\bfor\b|\bon\b|\bupdated\b|\bpublished\b|\bposted\b|\d{1,2}:\d\d).*$",
    re.IGNORECASE,
)
#: Strings that end up in author fields but name no person.
NOT_AUTHOR_RE = re.compile(
    r"^(?:admin(?:istrator)?|editor(?:ial)?(?: staff| team| board)?|staff(?: writer| reporter)?"
    r"|guest|anonymous|unknown|author|by|news ?desk|web ?desk|wire ?services?|the associated press"
    r"|associated press|ap|reuters|afp|share|follow|view all posts.*|more from .*)$",
    re.IGNORECASE,
)

#: Sanity bounds for a publication date: the web, not the future far ahead.
MIN_YEAR = 1994
MAX_AUTHOR_LENGTH = 100


@dataclass
class JsonLd:
    """The fields of the page's schema.org article object that we use."""

    headline: str | None = None
    date_published: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    publisher: str | None = None
    site_names: set[str] = field(default_factory=set)


def _norm(text: str | None) -> str:
    """Collapse whitespace, because templates indent text and break lines freely, and decode
    entities that templates escape twice (``&amp;#8217;`` arrives as ``&#8217;``)."""
    text = text or ""
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


def read_meta(tree: HtmlElement) -> dict[str, str]:
    """``<meta>`` values by lower-cased name, property or itemprop; the first one wins.

    Read once per page: the field extractors look up dozens of keys.
    """
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = _norm(meta.get("content"))
        if not content:
            continue
        for attr in ("property", "name", "itemprop"):
            key = (meta.get(attr) or "").strip().lower()
            if key and key not in found:
                found[key] = content
    return found


def meta_content(meta: dict[str, str], keys: tuple[str, ...]) -> str | None:
    """First non-empty value among ``keys``: the order is a preference, not document order."""
    for key in keys:
        if meta.get(key):
            return meta[key]
    return None


def _iter_json(obj: Any):
    """Yield every dict inside a JSON-LD value (``@graph``, lists, nested objects)."""
    if isinstance(obj, dict):
        yield obj
        for value in obj.values():
            if isinstance(value, (dict, list)):
                yield from _iter_json(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _iter_json(value)


def _types(obj: dict) -> set[str]:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _names(value: Any) -> list[str]:
    """Person names from a JSON-LD ``author``: a string, an object or a list of either."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def read_json_ld(tree: HtmlElement) -> JsonLd:
    """Collect headline, date, authors and language from JSON-LD blocks.

    Broken JSON is common (trailing commas, HTML comments); such a block is skipped, not fatal.
    The first article-typed object wins, since later ones describe related content.
    """
    found = JsonLd()
    article_seen = False
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        raw = re.sub(r"^\s*<!--|-->\s*$", "", raw)
        try:
            data = json.loads(raw)
        except ValueError:
            LOGGER.debug("unreadable JSON-LD block skipped")
            continue
        for obj in _iter_json(data):
            kinds = _types(obj)
            if kinds & {"organization", "newsmediaorganization", "website"}:
                name = obj.get("name")
                if isinstance(name, str):
                    found.site_names.add(_norm(name))
            if article_seen or not kinds & ARTICLE_TYPES:
                continue
            if "webpage" in kinds and not obj.get("datePublished"):
                continue
            article_seen = True
            if isinstance(obj.get("headline"), str):
                found.headline = _norm(obj["headline"])
            if isinstance(obj.get("datePublished"), str):
                found.date_published = obj["datePublished"].strip()
            found.authors = [_norm(n) for n in _names(obj.get("author")) if _norm(n)]
            if isinstance(obj.get("inLanguage"), str):
                found.language = obj["inLanguage"]
            publisher = _names(obj.get("publisher"))
            if publisher:
                found.publisher = _norm(publisher[0])
                found.site_names.add(found.publisher)
    return found


def site_names(meta: dict[str, str], url: str, json_ld: JsonLd) -> set[str]:
    """Lower-cased names of the site itself, so that a site name is never taken for an author
    and can be cut from the end of ``<title>``."""
    names = {n.lower() for n in json_ld.site_names if n}
    for key in ("og:site_name", "application-name", "publisher"):
        value = meta_content(meta, (key,))
        if value:
            names.add(value.lower())
    return names | host_names(url)


def host_names(url: str) -> set[str]:
    """``natethayer.wordpress.com`` and ``natethayer``: how a site's host names it."""
    host = re.sub(r"^www\d?\.", "", urlsplit(url).hostname or "")
    return {host, host.split(".")[0]} if host else set()


def _is_site_name(text: str, names: set[str]) -> bool:
    low = text.lower().strip()
    squashed = re.sub(r"[^a-z0-9]", "", low)
    return any(
        low == n or (squashed and squashed == re.sub(r"[^a-z0-9]", "", n)) for n in names if n
    )


def extract_title(
    tree: HtmlElement, meta: dict[str, str], json_ld: JsonLd, names: set[str]
) -> str | None:
    """The headline: JSON-LD ``headline``, ``og:title``, the article's ``<h1>``, ``<title>``.

    Whichever wins, a trailing (or leading) site name after a separator is cut off, because
    ``<title>`` and often ``og:title`` read "Headline | Site".
    """
    candidates = [json_ld.headline, meta_content(meta, TITLE_META)]
    h1 = tree.xpath("(//article//h1 | //h1)[1]")
    if h1:
        candidates.append(_norm(h1[0].text_content()))
    candidates.append(_norm(tree.findtext(".//title")))
    for candidate in candidates:
        if candidate:
            return _strip_site_name(candidate, names)
    return None


def _strip_site_name(title: str, names: set[str]) -> str:
    parts = TITLE_SEPARATOR_RE.split(title)
    if len(parts) > 1:
        if _is_site_name(parts[-1], names):
            return TITLE_SEPARATOR_RE.split(title)[0] if len(parts) == 2 else _rejoin(title, -1)
        if _is_site_name(parts[0], names):
            return _rejoin(title, 0)
    return title


def _rejoin(title: str, drop: int) -> str:
    """Cut the first or last separator-delimited segment, keeping inner separators intact."""
    matches = list(TITLE_SEPARATOR_RE.finditer(title))
    if drop == -1:
        return title[: matches[-1].start()].strip()
    return title[matches[0].end() :].strip()


def normalize_date(value: str | None) -> str | None:
    """ISO 8601 form of a machine-written date, or ``None`` if it is not one or is implausible.

    A time is kept when given (with its offset), because the archive orders same-day
    statements; a bare date stays a date.
    """
    if not value:
        return None
    value = value.strip()
    match = re.match(
        r"((?:19|20)\d\d)-?(\d\d)-?(\d\d)(?:[T ](\d\d):?(\d\d)(?::?(\d\d))?(?:\.\d+)?"
        r"\s*(Z|[+-]\d\d:?\d\d)?)?",
        value,
    )
    if not match:
        return None
    year, month, day, hour, minute, second, offset = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
    except ValueError:
        return None
    if not _plausible(day_value):
        return None
    if hour is None:
        return day_value.isoformat()
    iso = f"{year}-{month}-{day}T{hour}:{minute}:{second or '00'}"
    if offset:
        offset = "+00:00" if offset == "Z" else offset
        if len(offset) == 5:  # +0000
            offset = offset[:3] + ":" + offset[3:]
        iso += offset
    try:
        return datetime.fromisoformat(iso).isoformat()
    except ValueError:
        return day_value.isoformat()


def _plausible(day_value: date) -> bool:
    return MIN_YEAR <= day_value.year <= date.today().year + 1


def parse_human_date(text: str, language: str | None = None) -> str | None:
    """Date in a visible line ("Posted on June 11, 2019", "11.06.2019"), via :mod:`dateparser`.

    The date-like part is cut out by a regex first: dateparser alone reads any number as a
    date, and handing it only the candidate is also much faster.
    """
    match = DATE_TEXT_RE.search(text)
    if not match:
        return None
    candidate = match.group(0)
    iso = normalize_date(candidate)
    if iso:
        return iso
    import dateparser  # imported late: loading its language data costs ~0.3 s

    settings = {"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DAY_OF_MONTH": "first"}
    if "." in candidate and not re.search(r"[A-Za-z]", candidate):
        settings["DATE_ORDER"] = "DMY"  # 11.06.2019 is European
    # naming the language skips dateparser's detection over 200 locales; each language
    # costs ~0.1 s to load once, so English month names do not load the page's language
    if ENGLISH_MONTH_RE.search(candidate) or not language:
        languages = ["en"]
    else:
        languages = list(dict.fromkeys([language, "en"]))
    try:
        parsed = dateparser.parse(candidate, languages=languages, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input
        LOGGER.debug("dateparser failed on %r", candidate)
        return None
    if parsed is None or not _plausible(parsed.date()):
        return None
    return parsed.date().isoformat()


def extract_date(
    tree: HtmlElement,
    meta: dict[str, str],
    url: str,
    json_ld: JsonLd,
    language: str | None = None,
) -> tuple[str | None, str | None]:
    """Publication date and, when it is a weak guess, the flag saying so.

    Order: ``<meta>`` (``article:published_time``…), JSON-LD ``datePublished``, ``<time>`` and
    date-classed elements (machine attribute first, then their text with dateparser), then
    ``/YYYY/MM/DD/`` in the URL (flag ``date-from-url``). Never the crawl time: without a date
    the result is ``(None, "no-date")``.
    """
    for value in (meta_content(meta, DATE_META), json_ld.date_published):
        iso = normalize_date(value)
        if iso:
            return iso, None
    elements = (el for xpath in DATE_ELEMENT_XPATHS for el in tree.xpath(xpath)[:10])
    for element in elements:
        for attr in ("datetime", "content", "data-datetime", "title"):
            iso = normalize_date(element.get(attr))
            if iso:
                return iso, None
        text = _norm(element.text_content())
        if text and len(text) <= 120:
            iso = parse_human_date(text, language)
            if iso:
                return iso, None
    match = URL_DATE_RE.search(urlsplit(url).path)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return date(year, month, day).isoformat(), "date-from-url"
        except ValueError:
            pass
    return None, "no-date"


def _visible_text(element: HtmlElement) -> str:
    """Text of an element without hidden parts (``display:none`` publisher blocks, scripts)."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.text and isinstance(node.tag, str):
            parts.append(node.text)
        for child in node:
            hidden = (
                not isinstance(child.tag, str)
                or child.tag in ("script", "style", "noscript", "time", "meta", "svg")
                or "display:none" in (child.get("style") or "").replace(" ", "")
                or child.get("itemprop") == "publisher"
            )
            if not hidden:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(element)
    return _norm(" ".join(parts))


def _clean_author(text: str | None, names: set[str]) -> str | None:
    """A person's name from a byline string, or ``None`` if it is a URL, a site or a label."""
    text = _norm(text)
    if not text or "://" in text or text.startswith(("www.", "@")):
        return None
    text = BYLINE_PREFIX_RE.sub("", text)
    text = BYLINE_TAIL_RE.sub("", text).strip(" ,;:-–—")
    text = BYLINE_PREFIX_RE.sub("", text)
    if not text or len(text) > MAX_AUTHOR_LENGTH or NOT_AUTHOR_RE.match(text):
        return None
    if _is_site_name(text, names) or not re.search(r"[^\W\d_]", text):
        return None
    if len(text.split()) > 12:  # a sentence, not a name
        return None
    return text


def extract_author(
    tree: HtmlElement,
    meta: dict[str, str],
    json_ld: JsonLd,
    names: set[str],
    url: str = "",
) -> str | None:
    """The byline: JSON-LD ``author``, ``<meta name="author">``, byline elements, then a
    short "By Name" line at the top of the text.

    Several authors are joined with ", ". A site or publisher name is not an author, except
    that an explicit "By Nate Thayer" on natethayer.wordpress.com is: a personal blog is
    named after its author.
    """
    authors = [a for a in (_clean_author(n, names) for n in json_ld.authors) if a]
    if authors:
        return ", ".join(dict.fromkeys(authors))
    for key in AUTHOR_META:
        author = _clean_author(meta_content(meta, (key,)), names)
        if author:
            return author
    for element in tree.xpath(AUTHOR_ELEMENT_XPATH)[:20]:
        if _about_someone_else(element):
            continue
        inner = element.xpath("self::*[@itemprop='author']//*[@itemprop='name']")
        text = _visible_text(inner[0]) if inner else _visible_text(element)
        author = _clean_author(text, names)
        if author:
            return author
    declared_names = names - host_names(url)
    for element in BYLINE_TEXT_XPATH(tree)[:5]:
        author = _clean_author(_visible_text(element), declared_names)
        if author:
            return author
    return None


def _about_someone_else(element: HtmlElement) -> bool:
    """True for author markup of a comment, a quoted statement or a related post."""
    for node in (element, *element.iterancestors()):
        if OTHER_AUTHOR_CLASS_RE.search(node.get("class") or ""):
            return True
    return False


def extract_language(tree: HtmlElement, meta: dict[str, str], json_ld: JsonLd) -> str | None:
    """Primary language subtag ("en" from "en-US"): ``<html lang>``, then meta, then JSON-LD."""
    candidates = [
        tree.get("lang"),
        tree.get("{http://www.w3.org/XML/1998/namespace}lang"),
        tree.get("xml:lang"),
        meta_content(meta, ("content-language", "dc.language", "language", "og:locale")),
        json_ld.language,
    ]
    for equiv in tree.xpath("//meta[@http-equiv]"):
        if (equiv.get("http-equiv") or "").lower() == "content-language":
            candidates.insert(2, equiv.get("content"))
    for candidate in candidates:
        match = re.match(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$", candidate or "")
        if match:
            return match.group(1).lower()
    return None


def extract_canonical(tree: HtmlElement, meta: dict[str, str], url: str) -> str:
    """The page's declared canonical URL, else ``og:url``, else the URL it was fetched from.

    A canonical that points to the site's home page while the page is deeper is a template
    bug seen in the wild; it is ignored, since storing it would merge every article into one.
    """
    candidates = tree.xpath("//link[@rel='canonical']/@href")
    og_url = meta_content(meta, ("og:url",))
    if og_url:
        candidates.append(og_url)
    fetched_path = urlsplit(url).path
    for candidate in candidates:
        candidate = candidate.strip()
        if not candidate:
            continue
        absolute = urljoin(url, candidate) if url else candidate
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https"):
            continue
        if parts.path in ("", "/") and fetched_path not in ("", "/"):
            continue
        return absolute
    return url
