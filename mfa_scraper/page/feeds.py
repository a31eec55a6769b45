"""Where a site lists its posts: RSS/Atom feeds, XML sitemaps, the WordPress REST API.

Spiders find documents through these machine-readable lists rather than through
theme-specific listing pages, because every WordPress site (and most news sites)
has them in one shape. Parsing is pure (bytes in, entries out) and safe: XML goes
through :mod:`defusedxml`, which refuses entity declarations and external
references, so a hostile feed can neither read local files (XXE) nor expand a
"billion laughs" entity bomb. Nothing here raises on a malformed list: it yields
what it can read, and :class:`FeedError` only for a body that is not a list at all.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from mfa_scraper.page.html import element_text, parse_html

LOGGER = logging.getLogger(__name__)

#: XML namespaces of the elements read here.
NAMESPACES = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "rss1": "http://purl.org/rss/1.0/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "sitemap": "http://www.sitemaps.org/schemas/sitemap/0.9",
}
#: ``<link rel="alternate" type=...>`` types that announce a feed.
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
#: WordPress announces its REST API root with this link relation.
WP_API_REL = "https://api.w.org/"
#: Well-known places of a WordPress site's lists, relative to the site root.
WP_FEED_PATH = "feed/"
WP_SITEMAP_PATHS = ("wp-sitemap.xml", "sitemap.xml", "sitemap_index.xml")
WP_POSTS_PATH = "wp-json/wp/v2/posts"
#: A byte-order mark or whitespace before ``<?xml`` makes expat refuse the document.
_LEADING_JUNK = re.compile(rb"^(?:\xef\xbb\xbf|\s)+")
#: Sitemaps of WordPress core and Yoast that list posts (not pages, tags, users).
POST_SITEMAP = re.compile(r"(?:wp-sitemap-posts-post-\d+|post-sitemap\d*)\.xml")


class FeedError(ValueError):
    """The body is neither a feed, a sitemap nor a REST API answer; the spider logs and skips it."""


@dataclass
class FeedEntry:
    """One post as a feed or the REST API describes it.

    ``content_html`` is the full post when the list carries it (RSS
    ``content:encoded``, Atom ``content``, WordPress ``content.rendered``), so a
    spider may archive the post without fetching its page.
    """

    url: str
    title: str = ""
    published: str | None = None
    author: str | None = None
    content_html: str | None = None
    summary_html: str | None = None
    categories: list[str] = field(default_factory=list)
    slug: str | None = None


@dataclass
class SitemapEntry:
    """A ``<loc>`` of a sitemap, with its ``<lastmod>`` if given."""

    url: str
    lastmod: str | None = None


@dataclass
class Sitemap:
    """A sitemap: ``index`` (lists other sitemaps) or ``urlset`` (lists pages)."""

    kind: str
    entries: list[SitemapEntry] = field(default_factory=list)


def _local(tag: Any) -> str:
    """``{namespace}name`` → ``name``."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_xml(body: bytes | str) -> Element:
    """Parse XML safely: entity declarations and external references are refused.

    Raises:
        FeedError: not well-formed XML, or XML that declares entities.
    """
    data = body.encode("utf-8") if isinstance(body, str) else body
    data = _LEADING_JUNK.sub(b"", data)
    try:
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True)
    except DefusedXmlException as exc:
        raise FeedError(f"refused unsafe XML ({type(exc).__name__})") from None
    except ParseError as exc:
        raise FeedError(f"not well-formed XML: {exc}") from None
    except ValueError as exc:  # expat: "multi-byte encodings are not supported" (GBK, Big5)
        raise FeedError(f"unreadable XML: {exc}") from None


def sniff(body: bytes | str) -> str:
    """What a response body is, by content rather than Content-Type (servers lie):
    ``rss``, ``atom``, ``sitemap`` (urlset), ``sitemapindex``, ``json`` or ``html``."""
    data = body.encode("utf-8", "replace") if isinstance(body, str) else body
    head = _LEADING_JUNK.sub(b"", data[:2048]).lower()
    if head.startswith((b"[", b"{")):
        return "json"
    if b"<rss" in head or b"<rdf:rdf" in head:
        return "rss"
    if b"<feed" in head and b"2005/atom" in head:
        return "atom"
    if b"<sitemapindex" in head:
        return "sitemapindex"
    if b"<urlset" in head:
        return "sitemap"
    return "html"


def _text(element: Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _date(value: str) -> str | None:
    """RFC 822 (RSS) or ISO 8601 (Atom, sitemaps, WordPress) as ISO 8601."""
    value = value.strip()
    if not value:
        return None
    if re.match(r"^\d{4}-\d\d-\d\d", value):
        return value.replace("Z", "+00:00") if value.endswith("Z") else value
    try:
        return parsedate_to_datetime(value).isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def parse_feed(body: bytes | str, url: str) -> list[FeedEntry]:
    """The entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed at ``url``, in feed order.

    Raises:
        FeedError: the body is not a feed.
    """
    root = parse_xml(body)
    kind = _local(root.tag).lower()
    if kind == "feed":
        return [_atom_entry(e, url) for e in root.findall("atom:entry", NAMESPACES)]
    if kind in ("rss", "rdf"):
        items = root.iter("item") if kind == "rss" else root.findall("rss1:item", NAMESPACES)
        return [entry for entry in (_rss_item(i, url) for i in items) if entry.url]
    raise FeedError(f"not a feed: <{_local(root.tag)}> at {url}")


def _rss_item(item: Element, url: str) -> FeedEntry:
    def find(*paths: str) -> str:
        for path in paths:
            found = item.find(path, NAMESPACES)
            if found is not None and _text(found):
                return _text(found)
        return ""

    link = find("link", "rss1:link") or find("guid")
    return FeedEntry(
        url=urljoin(url, link),
        title=find("title", "rss1:title"),
        published=_date(find("pubDate", "dc:date")),
        author=find("dc:creator", "author") or None,
        content_html=find("content:encoded") or None,
        summary_html=find("description", "rss1:description") or None,
        categories=[c for c in (_text(e) for e in item.findall("category")) if c],
    )


def _atom_entry(entry: Element, url: str) -> FeedEntry:
    link = ""
    for candidate in entry.findall("atom:link", NAMESPACES):
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            link = candidate.get("href", "")
            break
    author = entry.find("atom:author/atom:name", NAMESPACES)
    return FeedEntry(
        url=urljoin(url, link or _text(entry.find("atom:id", NAMESPACES))),
        title=_text(entry.find("atom:title", NAMESPACES)),
        published=_date(
            _text(entry.find("atom:published", NAMESPACES))
            or _text(entry.find("atom:updated", NAMESPACES))
        ),
        author=_text(author) or None,
        content_html=_text(entry.find("atom:content", NAMESPACES)) or None,
        summary_html=_text(entry.find("atom:summary", NAMESPACES)) or None,
        categories=[
            c.get("term", "") for c in entry.findall("atom:category", NAMESPACES) if c.get("term")
        ],
    )


def parse_sitemap(body: bytes | str, url: str) -> Sitemap:
    """A sitemap or sitemap index (sitemaps.org 0.9, as WordPress core and Yoast write it).

    Raises:
        FeedError: the body is not a sitemap.
    """
    root = parse_xml(body)
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise FeedError(f"not a sitemap: <{kind}> at {url}")
    child = "url" if kind == "urlset" else "sitemap"
    entries: list[SitemapEntry] = []
    for element in root:
        if _local(element.tag) != child:
            continue
        loc = lastmod = ""
        for part in element:
            if _local(part.tag) == "loc":
                loc = _text(part)
            elif _local(part.tag) == "lastmod":
                lastmod = _text(part)
        if loc:
            entries.append(SitemapEntry(urljoin(url, loc), _date(lastmod) if lastmod else None))
    return Sitemap("urlset" if kind == "urlset" else "index", entries)


def is_post_sitemap(url: str) -> bool:
    """Whether a sitemap of an index lists posts (not pages, categories, tags or users)."""
    return bool(POST_SITEMAP.search(url))


def parse_wp_posts(body: bytes | str, url: str) -> list[FeedEntry]:
    """Posts of a WordPress REST API answer (``/wp-json/wp/v2/<type>``): a list of objects.

    Raises:
        FeedError: not JSON, or JSON that is not a list of posts (an error object).
    """
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise FeedError(f"not JSON: {url}") from None
    if not isinstance(data, list):
        code = data.get("code") if isinstance(data, dict) else None
        raise FeedError(f"not a list of posts ({code or type(data).__name__}): {url}")
    entries: list[FeedEntry] = []
    for post in data:
        if not isinstance(post, dict) or not post.get("link"):
            continue
        entries.append(
            FeedEntry(
                url=urljoin(url, str(post["link"])),
                title=_rendered_text(post.get("title")),
                published=_wp_date(post),
                author=_wp_author(post),
                content_html=_rendered(post.get("content")) or None,
                summary_html=_rendered(post.get("excerpt")) or None,
                slug=str(post.get("slug") or "") or None,
            )
        )
    return entries


def _rendered(value: Any) -> str:
    if isinstance(value, dict):
        return str(value.get("rendered") or "")
    return str(value or "")


def _rendered_text(value: Any) -> str:
    """A ``{"rendered": "..."}`` title as plain text (WordPress escapes it as HTML)."""
    html = _rendered(value)
    tree = parse_html(f"<div>{html}</div>") if html else None
    return element_text(tree) if tree is not None else ""


def _wp_date(post: dict[str, Any]) -> str | None:
    """``date_gmt`` is UTC without an offset; ``date`` is site-local time without one."""
    if post.get("date_gmt"):
        return str(post["date_gmt"]) + "+00:00"
    return _date(str(post.get("date") or ""))


def _wp_author(post: dict[str, Any]) -> str | None:
    """The author's name, when the answer was requested with ``_embed``."""
    embedded = post.get("_embedded")
    authors = embedded.get("author") if isinstance(embedded, dict) else None
    if isinstance(authors, list) and authors and isinstance(authors[0], dict):
        name = authors[0].get("name")
        return str(name) if name else None
    return None


def feed_links(html: bytes | str, url: str) -> list[str]:
    """Feeds a page announces with ``<link rel="alternate" type="application/rss+xml">``.

    Comment feeds are left out: they hold readers' words, not posts.
    """
    tree = parse_html(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
    if tree is None:
        return []
    found: list[str] = []
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower()
        href = link.get("href")
        title = (link.get("title") or "").lower()
        if "alternate" in rel and kind in FEED_TYPES and href and "comment" not in title:
            if "/comments/" in href:
                continue
            found.append(urljoin(url, href))
    return list(dict.fromkeys(found))


def wp_api_root(html: bytes | str, url: str) -> str | None:
    """The REST API root a WordPress page announces (``<link rel="https://api.w.org/">``)."""
    tree = parse_html(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
    if tree is None:
        return None
    for link in tree.iter("link"):
        if (link.get("rel") or "").strip() == WP_API_REL and link.get("href"):
            return urljoin(url, link.get("href"))
    return None
