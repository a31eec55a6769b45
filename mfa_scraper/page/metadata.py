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
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)

#: ``<meta>`` names/properties holding the headline, most specific first.
TITLE_META = ("og:title", "twitter:title", "dc.title", "parsely-title", "sailthru.title")

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

#: JSON-LD keys of a publication date, by preference; ``uploadDate`` is a video's.
JSON_LD_DATE_KEYS = ("datePublished", "dateCreated", "uploadDate")
#: schema.org types whose dates are not the page's: list items, comments, events, offers.
JSON_LD_OTHER_TYPES = frozenset(
    {"itemlist", "listitem", "comment", "review", "event", "offer", "breadcrumblist", "person"}
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

#: Visible elements that carry a byline, by class/id/itemprop/rel.
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
    #: Publication dates of the page's own objects whatever their type (a ``VideoObject``'s
    #: ``uploadDate`` too), the article's first; and their modification dates.
    dates: list[str] = field(default_factory=list)
    modified: list[str] = field(default_factory=list)


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


def _names(value: Any, named: dict[str, str] | None = None) -> list[str]:
    """Person names from a JSON-LD ``author``: a string, an object or a list of either. An
    object that only points to another (``{"@id": "…#/schema/person/…"}``, as Yoast writes
    them) is looked up in ``named``."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        if "name" not in value and named and isinstance(value.get("@id"), str):
            return _names(named.get(value["@id"]))
        return _names(value.get("name"), named)
    if isinstance(value, list):
        return [name for item in value for name in _names(item, named)]
    return []


def read_json_ld(tree: HtmlElement) -> JsonLd:
    """Collect headline, date, authors and language from JSON-LD blocks.

    Broken JSON is common (trailing commas, HTML comments); such a block is skipped, not fatal.
    The first article-typed object wins, since later ones describe related content.
    """
    found = JsonLd()
    article_seen = False
    blocks = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        raw = (script.text or "").strip()
        if not raw:
            continue
        raw = re.sub(r"^\s*<!--|-->\s*$", "", raw)
        try:
            blocks.append(json.loads(raw))
        except ValueError:
            LOGGER.debug("unreadable JSON-LD block skipped")
    named = {
        obj["@id"]: obj["name"]
        for data in blocks
        for obj in _iter_json(data)
        if isinstance(obj.get("@id"), str) and isinstance(obj.get("name"), str)
    }
    for data in blocks:
        _collect_dates(data, found)
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
                found.dates.insert(0, found.date_published)
            found.authors = [_norm(n) for n in _names(obj.get("author"), named) if _norm(n)]
            if isinstance(obj.get("inLanguage"), str):
                found.language = obj["inLanguage"]
            publisher = _names(obj.get("publisher"))
            if publisher:
                found.publisher = _norm(publisher[0])
                found.site_names.add(found.publisher)
    return found


def _page_objects(data: Any):
    """The top-level objects of a JSON-LD block and of its ``@graph``: the page's own, not the
    teasers, comments and list items nested in them."""
    items = data if isinstance(data, list) else [data]
    for item in items:
        if isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                yield from (g for g in graph if isinstance(g, dict))


def _collect_dates(data: Any, found: JsonLd) -> None:
    for obj in _page_objects(data):
        if _types(obj) & JSON_LD_OTHER_TYPES:
            continue
        for key in JSON_LD_DATE_KEYS:
            if isinstance(obj.get(key), str) and obj[key].strip():
                found.dates.append(obj[key].strip())
                break
        if isinstance(obj.get("dateModified"), str):
            found.modified.append(obj["dateModified"].strip())


def site_names(meta: dict[str, str], url: str, json_ld: JsonLd) -> set[str]:
    """Lower-cased names of the site itself, so that a site name is never taken for an author
    and can be cut from the end of ``<title>``."""
    names = {n.lower() for n in json_ld.site_names if n}
    for key in ("og:site_name", "application-name", "publisher"):
        value = meta_content(meta, (key,))
        if value:
            names.add(value.lower())
    return names | host_names(url)


def extract_site_name(meta: dict[str, str], json_ld: JsonLd, url: str = "") -> str | None:
    """The site's name as it gives it: ``og:site_name``, unless that is a slug of the host
    ("detroitnews") or a URL, where the JSON-LD publisher says it in words ("The Detroit
    News"); then ``application-name``, a JSON-LD ``Organization`` or ``WebSite`` name, and
    last the host, as trafilatura does (BENCHMARKS.md, "Page metadata")."""
    declared = meta_content(meta, ("og:site_name",))
    if declared and _is_slug(declared) and json_ld.publisher:
        return json_ld.publisher
    host = re.sub(r"^www\d?\.", "", urlsplit(url).hostname or "")
    return (
        declared
        or json_ld.publisher
        or meta_content(meta, ("application-name",))
        or min(json_ld.site_names, default=None)
        or host
        or None
    )


def _is_slug(name: str) -> bool:
    return "://" in name or (" " not in name and name == name.lower())


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


def extract_date(
    tree: HtmlElement,
    meta: dict[str, str],
    url: str,
    json_ld: JsonLd,
    language: str | None = None,
) -> tuple[str | None, str | None]:
    """Publication timestamp as the page gives it and, when it is a weak guess, the flag saying
    so (``date-from-url``, ``no-date``): :func:`mfa_scraper.page.published.page_date`, for
    callers that store ``published`` alone."""
    from mfa_scraper.page.published import page_date

    found = page_date(tree, url, meta, json_ld, language=language)
    return found.published, found.flag


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
    So is one on another site, when the page was fetched from a public site: a syndicated copy
    (MSN's copy of a CNN story) names the original, which is another document; trafilatura
    keeps the page's own URL there, and scored better for it (BENCHMARKS.md, page metadata). A
    page read from a file or from a local copy (loopback) takes the canonical it declares.
    """
    candidates = tree.xpath("//link[@rel='canonical']/@href")
    og_url = meta_content(meta, ("og:url",))
    if og_url:
        candidates.append(og_url)
    fetched = urlsplit(url)
    public = fetched.scheme in ("http", "https") and not _local_host(fetched.hostname)
    for candidate in candidates:
        candidate = candidate.strip()
        if not candidate:
            continue
        absolute = urljoin(url, candidate) if url else candidate
        parts = urlsplit(absolute)
        if parts.scheme not in ("http", "https"):
            continue
        if parts.path in ("", "/") and fetched.path not in ("", "/"):
            continue
        if public and _site(parts.hostname) != _site(fetched.hostname):
            continue
        return absolute
    return url


def _site(host: str | None) -> str:
    """A host without its ``www.``: www.cnn.com and cnn.com are one site."""
    return (host or "").lower().removeprefix("www.")


def _local_host(host: str | None) -> bool:
    """Whether ``host`` is this machine (a saved site served on loopback)."""
    return (host or "") in ("localhost", "::1") or (host or "").startswith("127.")
