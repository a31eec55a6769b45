"""Generic news and blog page extractor: HTML in, :class:`~mfa_scraper.items.Document` out.

Main text comes from trafilatura (0.96 F1 on the scrapinghub article benchmark, far above
hand-written rules), run in precision mode on a tree we first rid of the boilerplate it still
lets through on blogs: WordPress share/like bars, related posts, comment forms ("Leave a
Reply", "Fill in your details below…"), other posts listed under the article, subscription
and paywall prompts. Metadata (title, author, language, canonical URL) comes from
:mod:`mfa_scraper.page.metadata`, the publication date from :mod:`mfa_scraper.page.published`
(htmldate and the project's rules). Quotes are left empty: they are composed in a later
step from ``text``.

Pure by design: no Scrapy, no SQL, no network. Bad bytes and broken HTML never raise; what
could not be extracted is recorded in ``Document.flags``.
"""

from __future__ import annotations

import functools
import logging
import re

import lxml.html
import trafilatura
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import DOCTYPE_TAG, FAULTY_HTML, INVALID_XML_CHARS

from mfa_scraper.items import Document
from mfa_scraper.page import metadata
from mfa_scraper.page.encoding import XML_DECLARATION_RE, decode_html
from mfa_scraper.page.html import flatten_deep, too_deep
from mfa_scraper.page.notes import NESTING_FLATTENED, note
from mfa_scraper.page.published import page_date

LOGGER = logging.getLogger(__name__)
#: Pages nested deeper are flattened before trafilatura reads them (its parser stops at 256).
ARTICLE_MAX_DEPTH = 200


def parse_html(text: str) -> HtmlElement | None:
    """An lxml tree of the page, or ``None`` when there is nothing to parse.

    Parsed by trafilatura's own loader, whose parser drops HTML comments and processing
    instructions: on a tree that keeps them its extraction differs, and scores lower.
    """
    text = XML_DECLARATION_RE.sub("", text.replace("\x00", ""), count=1)
    if not text.strip():
        return None
    try:
        tree = _load_html(text)
        # trafilatura's parser keeps 256 levels and drops the rest of a deeper page.
        if isinstance(tree, HtmlElement) and too_deep(tree, ARTICLE_MAX_DEPTH):
            note(NESTING_FLATTENED)
            tree = _load_html(flatten_deep(text, ARTICLE_MAX_DEPTH - 20))
    except Exception:  # lxml raises several types on pathological input
        LOGGER.debug("unparsable HTML", exc_info=True)
        return None
    return tree if isinstance(tree, HtmlElement) else None


#: Characters XML 1.0 forbids (libxml2 stops at them), as trafilatura's loader removes them.
INVALID_XML_CHARACTERS = (*map(chr, (*range(9), 11, 12, *range(14, 32))), "\ufffe", "\uffff")
#: trafilatura's parser (its options: comments and processing instructions dropped, no
#: doctype added), with libxml2's limits lifted: a text node past 10 MB ends the parse there.
ARTICLE_PARSER = lxml.html.HTMLParser(
    collect_ids=False,
    default_doctype=False,
    encoding="utf-8",
    remove_comments=True,
    remove_pis=True,
    huge_tree=True,
)


def _load_html(text: str) -> HtmlElement | None:
    """trafilatura's ``load_html`` for a decoded page: its repairs and its parser's options.

    Two differences. trafilatura removes the characters XML forbids with a regex pass over
    every page, a third of the parse of a large one; looking for each with ``in`` takes a
    quarter of that, and pages without any (nearly all) skip the pass. And libxml2's limits
    are lifted (``huge_tree``): trafilatura's parser stops at a text node of 10 MB, and the
    page came out "no text found". The tree is otherwise the same (tests/test_page_loader.py).
    """
    beginning = text[:50].lower()
    if any(character in text for character in INVALID_XML_CHARACTERS):
        text = INVALID_XML_CHARS.sub("", text)
    # trafilatura's repairs: a DOCTYPE with a slash breaks lxml's str parsing (lxml bug
    # 1955915), a self-closing <html/> ends the document
    if "doctype" in beginning:
        first_line, _, rest = text.partition("\n")
        text = DOCTYPE_TAG.sub("", first_line, count=1) + "\n" + rest
    for line in text[:4096].splitlines()[:4]:
        if "<html" in line and line.endswith("/>"):
            text = FAULTY_HTML.sub(r"\1>", text, count=1)
            break
    tree = _parse(text)
    if tree is None or len(tree) < 1:
        tree = _parse(text.encode("utf8", "surrogatepass"))  # as trafilatura, from bytes
    if tree is not None and "html" not in beginning and len(tree) < 2:
        return None  # not HTML, as trafilatura's loader judges
    return tree


def _parse(page: str | bytes) -> HtmlElement | None:
    try:
        return lxml.html.fromstring(page, parser=ARTICLE_PARSER)
    except Exception:  # a str that declares its encoding, an empty document: as trafilatura
        return None


# --- boilerplate ----------------------------------------------------------------------------


#: Class tokens of blocks that are never article text: WordPress/Jetpack share and like bars,
#: related posts, comment areas, author boxes, newsletter and paywall prompts.
BOILERPLATE_CLASSES = (
    "sharedaddy",
    "sd-sharing-enabled",
    "sd-like",
    "sd-block",
    "jp-relatedposts",
    "jp-post-flair",
    "wpcnt",
    "wpcom-follow-bubbles",
    "post-likes-widget-placeholder",
    "comments-area",
    "comment-respond",
    "commentlist",
    "comment-list",
    "comments-link",
    "yarpp-related",
    "related-posts",
    "relatedposts",
    "post-navigation",
    "nav-links",
    "navigation-post",
    "share-buttons",
    "social-share",
    "sharing",
    "addtoany_share_save_container",
    "subscribe-form",
    "newsletter-signup",
    "screen-reader-text",
)

#: Element ids of the same blocks (WordPress core and common themes).
BOILERPLATE_IDS = (
    "respond",
    "comments",
    "disqus_thread",
    "jp-relatedposts",
    "jp-post-flair",
    "related-posts",
    "subscribe-email",
)

#: Boilerplate markers are first looked up among the page's class and id tokens, read in one
#: XPath call (0.5 ms on a large page, where scanning the source for 35 names took 3 ms); only
#: those present go into the element XPath, whose ``contains`` tests cost ~0.3 ms per name.
#: :func:`_is_boilerplate` then checks whole class tokens, so that ``sharing`` does not hit
#: ``sharing-economy``.
BOILERPLATE_MARKERS = frozenset({*BOILERPLATE_CLASSES, *BOILERPLATE_IDS})
CLASS_AND_ID_XPATH = etree.XPath("//@class | //@id", smart_strings=False)
FORM_XPATH = etree.XPath(
    "//form[contains(@action, 'wp-comments-post') or contains(@action, 'subscribe')"
    " or contains(@id, 'comment') or contains(@class, 'comment')"
    " or contains(@id, 'subscri') or contains(@class, 'subscri')]"
)
PAYWALL_XPATH = etree.XPath(
    "//*[contains(@class, 'paywall') or contains(@class, 'subscribe-prompt')]"
    "[not(.//p[string-length() > 400])]"
)


def _boilerplate_xpath(names: frozenset[str]) -> etree.XPath:
    """Elements whose class holds one of the class ``names`` or whose id is one of the id
    ``names``, written as attribute steps: libxml2 then tests the class and id attributes
    only, not every element (a third of the cost)."""
    classes = sorted(names & _BOILERPLATE_CLASS_SET)
    ids = sorted(names & _BOILERPLATE_ID_SET)
    steps = []
    if classes:
        steps.append("//@class[" + " or ".join(f"contains(., '{n}')" for n in classes) + "]/..")
    if ids:
        steps.append("//@id[" + " or ".join(f". = '{n}'" for n in ids) + "]/..")
    return etree.XPath(" | ".join(steps))


_BOILERPLATE_CLASS_SET = frozenset(BOILERPLATE_CLASSES)
_BOILERPLATE_ID_SET = frozenset(BOILERPLATE_IDS)


def _is_boilerplate(element: HtmlElement) -> bool:
    if element.tag == "form" or element.get("id") in _BOILERPLATE_ID_SET:
        return True
    classes = (element.get("class") or "").split()
    if any("paywall" in c or "subscribe-prompt" in c for c in classes):
        return True
    return not _BOILERPLATE_CLASS_SET.isdisjoint(classes)


#: Lines that are share bars, comment-form prompts, paywall prompts or widget titles, whatever
#: markup carried them. Matched against a whole output line.
BOILERPLATE_LINE_RE = re.compile(
    r"^(?:share this:?|like this:?|like loading\.*|loading\.*|related|related posts:?"
    r"|share(?: on (?:facebook|twitter|linkedin|whatsapp|reddit|email))?|tweet|email|print"
    r"|click to (?:share|email|print)\b.*|\(opens in new window\)"
    r"|be the first to like this\.?|\d+ bloggers? like[s]? this\.?"
    r"|fill in your details below or click an icon to log in:?"
    r"|notify me of (?:new|follow-up) (?:comments|posts).*"
    r"|(?:name|email|website)\s*\((?:required|address never made public)\).*"
    r"|enjoying this article\?.*|click here to subscribe.*|subscribe(?: now| today)?[.!]?"
    r"|sign up for our newsletter.*|advertisement|continue reading.*"
    r"|you are commenting using your .* account\..*)$",
    re.IGNORECASE,
)

#: A line with no letter or digit is a separator ("- - -", "* * *"), not text.
ALNUM_RE = re.compile(r"[^\W_]")

#: A heading that opens the comment section: everything from it on is dropped.
COMMENT_SECTION_RE = re.compile(
    r"^(?:leave a (?:reply|comment)(?: to .*)?|post a comment|add a comment|comments? closed\.?"
    r"|\d+ (?:comments?|responses?|thoughts?|replies)(?: (?:to|on) .*)?|comments \(\d+\)"
    r"|one (?:comment|response|thought)(?: (?:to|on) .*)?)$",
    re.IGNORECASE,
)

#: WordPress marks the page's own post in ``<body class="postid-N">``; other ``post-M``
#: elements on the page are teasers of other posts.
POSTID_RE = re.compile(r"\bpostid-(\d+)\b")
OTHER_POST_XPATH = etree.XPath(
    "//*[starts-with(@id, 'post-') and (contains(@class, 'hentry') or contains(@class, 'type-'))]"
)


def remove_boilerplate(tree: HtmlElement) -> None:
    """Drop blocks that are never article text, in place, before main-text extraction.

    Done on the tree rather than on the output because a comment form or a related-posts
    list can look like prose to a text-density heuristic.
    """
    attributes = " ".join(CLASS_AND_ID_XPATH(tree))
    present = BOILERPLATE_MARKERS.intersection(attributes.split())
    found = _xpath_for(frozenset(present))(tree) if present else []
    found += FORM_XPATH(tree)
    if "paywall" in attributes or "subscribe-prompt" in attributes:
        found += PAYWALL_XPATH(tree)
    for element in found:
        if _is_boilerplate(element):
            _drop(element)
    _drop_other_posts(tree)


@functools.lru_cache(maxsize=256)
def _xpath_for(names: frozenset[str]) -> etree.XPath:
    return _boilerplate_xpath(names)


def _drop_other_posts(tree: HtmlElement) -> None:
    body = tree.find("body")
    match = POSTID_RE.search(body.get("class") or "") if body is not None else None
    if not match:
        return
    own_id = f"post-{match.group(1)}"
    elements = OTHER_POST_XPATH(tree)
    own = [el for el in elements if el.get("id") == own_id]
    if not own:
        return
    keep = set(own[0].iterancestors()) | {own[0]}
    for element in elements:
        if element not in keep and re.fullmatch(r"post-\d+", element.get("id") or ""):
            _drop(element)


def _drop(element: HtmlElement) -> None:
    """Remove an element but keep its tail text, which belongs to the parent."""
    parent = element.getparent()
    if parent is not None:
        element.drop_tree()


def clean_lines(text: str) -> list[str]:
    """Output lines without boilerplate lines and without a trailing comment section."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        if COMMENT_SECTION_RE.match(line) and len(lines) >= 1:
            break
        if BOILERPLATE_LINE_RE.match(line) or not ALNUM_RE.search(line):
            continue
        lines.append(line)
    return lines


# --- main text ------------------------------------------------------------------------------

#: Fast precision-mode results shorter than this, or covering less than
#: :data:`MIN_PARAGRAPH_SHARE` of the page's long paragraphs, are taken as a miss.
MIN_FAST_TEXT = 300
#: Share of the long-paragraph text (:func:`paragraph_mass`) the fast pass must reach.
MIN_PARAGRAPH_SHARE = 0.5
#: A paragraph this long is prose, whatever the layout: it counts towards the page's mass.
LONG_PARAGRAPH = 120
#: Full precision-mode results shorter than this get a balanced-mode second opinion:
#: precision mode sometimes discards a short page's only block.
MIN_PRECISE_TEXT = 500
#: How much longer the balanced mode's text must be to replace the precise one.
BALANCED_GAIN = 1.2

#: Trees with more elements than this skip trafilatura, whose pruning grows with the square of
#: the page (11,000 paragraphs take 6 s, a 50 MB page hours): their text is their paragraphs in
#: order, flagged ``large-page``. The largest real page in tests/pages has 1,600 elements.
MAX_EXTRACTION_ELEMENTS = 20_000

TRAFILATURA_OPTIONS = {
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "output_format": "txt",
    "deduplicate": False,
}


def paragraph_mass(tree: HtmlElement) -> int:
    """Characters in the page's long ``<p>`` paragraphs: a cheap (0.3 ms) estimate of how much
    prose there is to find, used to tell a fast extraction that missed the body."""
    total = 0
    for paragraph in tree.iter("p"):
        length = len(" ".join(paragraph.text_content().split()))
        if length >= LONG_PARAGRAPH:
            total += length
    return total


def extract_text(tree: HtmlElement, url: str | None = None) -> str:
    """Main text of a cleaned tree, paragraphs separated by a blank line.

    A cascade, cheapest first. trafilatura's fast precision mode (no readability/jusText
    comparison) is right on most pages at 40 % of the full cost; when its result is short or
    leaves most of the page's long paragraphs out, the full precision mode runs; when that is
    still short, the balanced mode gets a try and the longer text wins. Precision beats the
    default on the benchmark because boilerplate costs more than the odd missed paragraph.
    """
    text = _trafilatura(tree, url, favor_precision=True, fast=True)
    if len(text) < MIN_FAST_TEXT or len(text) < MIN_PARAGRAPH_SHARE * paragraph_mass(tree):
        text = _trafilatura(tree, url, favor_precision=True)
        if len(text) < MIN_PRECISE_TEXT:
            balanced = _trafilatura(tree, url)
            # Clearly longer only: on a short page the balanced mode may fall back to the
            # page's text in one line, headline included ("标题 外交部发言人…表示："), a
            # few characters longer than the precise paragraphs and worse for quotes.
            if len(balanced) > BALANCED_GAIN * len(text):
                text = balanced
    return "\n\n".join(clean_lines(text))


def _trafilatura(tree: HtmlElement, url: str | None, **options: bool) -> str:
    try:
        return trafilatura.extract(tree, url=url, **TRAFILATURA_OPTIONS, **options) or ""
    except Exception:  # trafilatura is robust, but a crawl must not stop on one page
        LOGGER.warning("main-text extraction failed: %s", url, exc_info=True)
        return ""


# --- assembly -------------------------------------------------------------------------------


def extract_article(html: str | bytes, url: str, *, source: str = "web") -> Document:
    """Extract one news or blog page into a ``Document`` with ``kind="article"``.

    Args:
        html: the page as sent by the server (bytes are decoded here) or as text.
        url: the URL it was fetched from; the page's canonical URL replaces it when declared.
        source: the archive's name for the site.

    Returns:
        A Document with title, published (ISO 8601), author, language, text and url.
        ``flags`` name what is missing or guessed: ``no-title``, ``no-text``, ``no-date``,
        ``date-from-url``. ``quotes`` stay empty: they are added by a later step.
    """
    flags: list[str] = []
    tree = parse_html(decode_html(html))
    if tree is None:
        found = page_date(lxml.html.Element("html"), url, {}, metadata.JsonLd())
        return Document(
            url=url,
            title="",
            text="",
            source=source,
            published=found.published,
            date=found.date,
            kind="article",
            flags=["no-title", "no-text", *found.flags],
        )
    # boilerplate first, so that commenters' names and dates are not read as the byline
    remove_boilerplate(tree)
    meta = metadata.read_meta(tree)
    json_ld = metadata.read_json_ld(tree)
    names = metadata.site_names(meta, url, json_ld)
    title = metadata.extract_title(tree, meta, json_ld, names) or ""
    language = metadata.extract_language(tree, meta, json_ld) or "en"
    author = metadata.extract_author(tree, meta, json_ld, names, url)
    canonical = metadata.extract_canonical(tree, meta, url)
    found = page_date(tree, url, meta, json_ld, canonical=canonical, language=language)
    if sum(1 for _ in tree.iter()) > MAX_EXTRACTION_ELEMENTS:
        text = "\n\n".join(clean_lines("\n".join(p.text_content() for p in tree.iter("p"))))
        flags.append("large-page")
    else:
        text = extract_text(tree, canonical)

    if not title:
        flags.append("no-title")
    if not text:
        flags.append("no-text")
    flags += found.flags
    return Document(
        url=canonical,
        title=title,
        text=text,
        source=source,
        language=language,
        published=found.published,
        date=found.date,
        author=author,
        kind="article",
        flags=flags,
    )
