"""U.S. Department of State (state.gov): statements, readouts and briefing transcripts.

state.gov runs WordPress. The same post body reaches us three ways: the page
(``div.entry-content`` under ``h1.featured-content__headline``, the speaker line
``p.article-meta__author-bureau`` "Morgan Ortagus, Department Spokesperson", the
date ``p.article-meta__publish-date``, the document type ``p.doctype-meta``), the
RSS feeds (``dc:creator`` "Antony J. Blinken, Secretary of State" and the full
body in ``content:encoded``), and the REST API (``content.rendered``). All three
go through :func:`state_document`, so a post is the same record however it was
fetched: pages often refuse plain HTTP clients, feeds and the API rarely do.

A feed body opens with header lines: one per participant ("Marco Rubio,
Secretary of State", "Antonio Tajani, Italian Deputy Prime Minister and Foreign
Minister"), then the venue ("New York City, New York"). ``dc:creator`` is the
participants' lines joined with commas, so it cannot be split alone; the header
lines say where one participant ends. Since 2025 the header is followed by the
page's hero block, which carries the document type and the date the page states
("July 19, 2026"). Header lines are nobody's words and stay out of the text.

Who speaks: a statement is one :data:`~mfa_scraper.items.REMARK` turn of its
signatory, name and role split at the comma; a readout "attributable to
Spokesperson Ned Price" (or "Spokesman Tommy Pigott") is his. A transcript
(briefing, remarks, press availability, interview) is split at its upper-case
labels: "MR PRICE:", "SECRETARY BLINKEN:", "DEPUTY PRIME MINISTER TAJANI:",
"QUESTION:" (questions at state.gov are never labelled with the outlet). A
label gives a role and a surname; the surname is completed from the
participants, the officials below or the registry. Stage directions in brackets
("(The Memorandum is signed.)") belong to no turn.

When: the date the page states. A feed's ``pubDate`` is UTC and the publication
time: remarks given on the evening of 19 July and posted after midnight UTC carry
20 July. The feed's time is kept when it falls on the stated day (in UTC or in
Washington), else the stated day alone.

Tested on real pages: a press statement and a fact sheet (2019–2020 layout), the
press-releases listing, the press-releases RSS feeds of 2022 and of 21 September
2026 (readouts, statements, a two-speaker signing ceremony), and 2026 feed items
(a readout, a three-minister ceremony, remarks to the press). Not seen: a page of
the layout introduced in 2025 (``/releases/office-of-the-spokesman/YYYY/MM/slug/``),
read with the same hooks and the generic extractor's fallbacks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml.etree import _Element

from mfa_scraper.items import REMARK, Document, Turn
from mfa_scraper.page import metadata
from mfa_scraper.page.article import parse_html
from mfa_scraper.page.dates import date_in_text
from mfa_scraper.page.encoding import decode_html
from mfa_scraper.page.html import Paragraph, element_text, starts_bold
from mfa_scraper.page.turns import is_stage_direction, label_candidate, split_turns
from mfa_scraper.sites.state_people import (
    ATTRIBUTABLE,
    INTERPRETER_NOTE,
    StateLabels,
    participants,
    spell_creator,
)

#: Source name of the State Department in the archive.
SOURCE = "state"

#: Blocks of a body whose text is read, in document order.
BLOCK_TAGS = {"p", "li", "h2", "h3", "h4", "h5", "blockquote", "pre"}
#: The hero block (2025 layout): headline, document type, date. Feed header lines precede it.
HERO_SELECTOR = ".wp-block-default-hero-container"
#: Elements inside a body that are never text of the statement.
SKIP_SELECTORS = (
    ".article-meta",
    HERO_SELECTOR,
    "#breadcrumb__wrapper",
    ".wp-block-breadcrumbs",
    ".wp-block-buttons",
    ".wp-block-tags-block",
    ".tags-block",
    ".related-content",
    ".share-this-page",
    ".social-share",
    ".copy-to-clipboard",
    "button",
    "input",
    "script",
    "style",
    "noscript",
)
#: Body containers, most specific first.
BODY_SELECTORS = ("div.entry-content", "article .entry-content", "main article", "article")
#: Title suffix of every page.
TITLE_SUFFIX = re.compile(r"\s+[-–|]\s+United States Department of State\s*$")
#: Document types (``p.doctype-meta``) whose bodies are transcripts.
TRANSCRIPT_TYPES = re.compile(r"briefing|remarks|interview|transcript|availability", re.I)
#: Paths of documents in both URL schemes: ``/{slug}/`` and
#: ``/releases/office-of-the-spokesman/YYYY/MM/{slug}/`` (also ``/briefings/…``).
DATED_PATH = re.compile(r"^/(?:releases|briefings)/[^/]+/(?P<year>\d{4})/(?P<month>\d\d)/[^/]+/?$")
#: Where the State Department states its dates: a day in Washington.
try:
    WASHINGTON: ZoneInfo | None = ZoneInfo("America/New_York")
except ZoneInfoNotFoundError:  # no time zone database: the stated day is then kept alone
    WASHINGTON = None


@dataclass
class ListingEntry:
    """A document linked from a listing page (``li.collection-result``)."""

    url: str
    title: str
    doctype: str | None
    speaker: str | None
    published: str | None


@dataclass
class Listing:
    """A listing page: its documents and the next page (``/press-releases/page/N/``)."""

    entries: list[ListingEntry]
    next_page: str | None


def slug_of(url: str) -> str | None:
    """The post slug of a document URL in either scheme (the last path segment)."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return parts[-1] if parts else None


def body_paragraphs(container: _Element) -> list[Paragraph]:
    """Paragraphs of a body: ``<p>``, list items and headings, in order, without repeats.

    Fact sheets are mostly ``<li>``, which a ``<p>``-only reader would lose; a list
    item holding a nested list keeps only its own words (the nested items follow).
    """
    for selector in SKIP_SELECTORS:
        for element in container.cssselect(selector):
            element.drop_tree()
    found: list[Paragraph] = []
    for element in container.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() not in BLOCK_TAGS:
            continue
        if any(
            isinstance(a.tag, str) and a.tag.lower() in BLOCK_TAGS - {"li"}
            for a in element.iterancestors()
        ):
            continue  # a <p> inside a <blockquote> or <li> was read with it
        if tag == "li":
            text = _own_text(element)
        elif any(
            isinstance(d.tag, str) and d.tag.lower() in BLOCK_TAGS
            for d in element.iterdescendants()
        ):
            continue  # a wrapper: its blocks come next
        else:
            text = element_text(element)
        bold = starts_bold(element)
        for i, line in enumerate(part.strip() for part in text.split("\n") if part.strip()):
            found.append(Paragraph(line, bold if i == 0 else False))
    if not found:
        text = element_text(container)
        found = [Paragraph(line.strip()) for line in text.split("\n") if line.strip()]
    return found


def _own_text(item: _Element) -> str:
    """Text of a list item without its nested lists."""
    parts: list[str] = [item.text or ""]
    for child in item:
        if isinstance(child.tag, str) and child.tag.lower() not in ("ul", "ol"):
            parts.append(element_text(child))
        parts.append(child.tail or "")
    return " ".join(" ".join(parts).split())


def _is_header_line(text: str) -> bool:
    """A dateline or venue line above a transcript ("New York, New York", "Via Teleconference")."""
    return len(text) <= 90 and not re.search(r"[.!?…:]$", text)


@dataclass
class Hero:
    """What the hero block and the lines above it say of a post (2025 layout): the feed's
    header lines (participants, venue), the document type, the date the page states."""

    header: list[str]
    doctype: str | None = None
    stated: date | None = None


def take_hero(container: _Element) -> Hero:
    """Read the hero block of a body and the header lines above it, and remove the header lines
    (the hero itself is skipped by :func:`body_paragraphs`)."""
    heroes = container.cssselect(HERO_SELECTOR)
    if not heroes:
        return Hero([])
    hero = heroes[0]
    doctype = _first_text(hero, "p.doctype-meta") or None
    stated = date_in_text(_first_text(hero, "p.article-meta__publish-date"))
    header: list[str] = []
    for element in reversed(list(hero.itersiblings(preceding=True))):
        if isinstance(element.tag, str):
            header += [line.strip() for line in element_text(element).split("\n") if line.strip()]
        element.drop_tree()
    return Hero(header, doctype, stated)


def stated_date(published: str | None, stated: date | None) -> str | None:
    """The date the page states, with the feed's time when that time falls on the stated day.

    ``published`` is a feed's ``pubDate`` or a page's metadata, often UTC: "2026-07-20T05:23:20
    +00:00" for remarks the page dates "July 19, 2026" is the 19th in Washington neither, so
    the stated day ("2026-07-19") wins; "2026-09-21T20:48:56+00:00" on a page of September 21
    is kept as it is; a time that is the stated day only in Washington is given in Washington
    time, with its offset.
    """
    if stated is None or not published:
        return published or (stated.isoformat() if stated else None)
    try:
        moment = datetime.fromisoformat(published)
    except ValueError:
        return published if published[:10] == stated.isoformat() else stated.isoformat()
    if moment.date() == stated:
        return published
    if moment.tzinfo is not None and WASHINGTON is not None:
        local = moment.astimezone(WASHINGTON)
        if local.date() == stated:
            return local.isoformat()
    return stated.isoformat()


def state_document(
    body_html: str | _Element,
    url: str,
    *,
    title: str,
    published: str | None,
    signatory: str | None,
    doctype: str | None = None,
    flags: Sequence[str] = (),
) -> Document:
    """A State Department post as a :class:`Document`, from its body and what is known of it.

    Args:
        body_html: the post body (page ``entry-content``, feed ``content:encoded`` or API
            ``content.rendered``), as HTML or as a parsed element.
        url: the document's URL on state.gov.
        title: its title.
        published: ISO 8601 date or date-time; the date the body's hero states wins over it
            (:func:`stated_date`).
        signatory: the speaker line or ``dc:creator`` ("Antony J. Blinken, Secretary of
            State"; several participants joined with commas).
        doctype: the page's document type ("Press Statement", "Department Press Briefing");
            read from the body's hero when not given.
        flags: extraction flags known already.
    """
    flags = list(flags)
    container = body_html
    if isinstance(body_html, str):
        container = parse_html(f"<html><body><div>{body_html}</div></body></html>")
    if container is not None and not signatory:
        bureau = container.cssselect(".article-meta__author-bureau")
        signatory = element_text(bureau[0]) if bureau else None
    hero = take_hero(container) if container is not None else Hero([])
    doctype = doctype or hero.doctype
    published = stated_date(published, hero.stated)
    paragraphs = body_paragraphs(container) if container is not None else []
    people = participants(signatory, hero.header)
    # Before the hero (or, in older feeds, atop the body) the feed repeats the creator as one
    # line per participant: nobody's words.
    if not hero.header:
        spelt, rest = spell_creator(signatory, [p.text for p in paragraphs])
        paragraphs = paragraphs[0 if rest else len(spelt) :]
    name, role = people[0] if people else (None, None)
    classify = StateLabels(participants=people)
    labelled = [p for p in paragraphs if (found := label_candidate(p)) and classify(found[0])]
    classify = StateLabels(participants=people)  # the probe above must not leave state behind
    is_transcript = bool(labelled) and (
        len(labelled) >= 2 or bool(doctype and TRANSCRIPT_TYPES.search(doctype))
    )
    if is_transcript:
        first = paragraphs.index(labelled[0])
        if all(_is_header_line(p.text) for p in paragraphs[:first]):
            paragraphs = paragraphs[first:]  # datelines above a transcript are nobody's words
        turns = split_turns(
            paragraphs,
            classify,
            opening_speaker=name,
            opening_role=role,
            is_note=is_stage_direction,
        )
        for turn in turns:
            turn.text = INTERPRETER_NOTE.sub("", turn.text, count=1)
        kind = "transcript"
    else:
        text = "\n\n".join(p.text for p in paragraphs)
        if paragraphs and (said := ATTRIBUTABLE.match(paragraphs[0].text)):
            # A readout "attributable to Spokesperson Ned Price" is his statement.
            name, role = said["name"], said["role"]
            text = "\n\n".join(p.text for p in paragraphs[1:]) or text
        turns = [Turn(speaker=name, kind=REMARK, text=text, role=role)] if name and text else []
        kind = "statement"
    if not paragraphs:
        flags.append("no-text")
    if not published:
        flags.append("no-date")
    return Document(
        url=url,
        title=title,
        text="\n\n".join(p.text for p in paragraphs),
        source=SOURCE,
        language="en",
        published=published,
        author=name,
        kind=kind,
        turns=turns,
        flags=flags,
    )


def _first_text(tree: _Element, selector: str) -> str:
    found = tree.cssselect(selector)
    return " ".join(element_text(found[0]).split()) if found else ""


def extract_state_page(body: bytes | str, url: str) -> Document:
    """A state.gov page (statement, readout, fact sheet, briefing) as a :class:`Document`."""
    tree = parse_html(decode_html(body))
    if tree is None:
        return Document(url=url, title="", text="", source=SOURCE, flags=["no-title", "no-text"])
    meta = metadata.read_meta(tree)
    json_ld = metadata.read_json_ld(tree)
    title = _first_text(tree, "h1.featured-content__headline") or _first_text(tree, "h1")
    if not title:
        title = TITLE_SUFFIX.sub("", metadata.extract_title(tree, meta, json_ld, set()) or "")
    doctype = _first_text(tree, "p.doctype-meta") or _first_text(tree, ".article-meta") or None
    signatory = _first_text(tree, "p.article-meta__author-bureau") or None
    flags: list[str] = []
    published, date_flag = metadata.extract_date(tree, meta, url, json_ld)
    # The day the page states wins over metadata in UTC; the time is kept when it agrees.
    stated = date_in_text(_first_text(tree, "p.article-meta__publish-date"))
    if stated and (not published or date_flag or published[:10] != stated.isoformat()):
        published, date_flag = stated_date(None if date_flag else published, stated), None
    if not published:
        published = _date_from_path(url)
        date_flag = "date-from-url" if published else "no-date"
    if date_flag:
        flags.append(date_flag)
    container = None
    for selector in BODY_SELECTORS:
        found = tree.cssselect(selector)
        if found:
            container = found[0]
            break
    canonical = metadata.extract_canonical(tree, meta, url)
    document = state_document(
        container if container is not None else "",
        canonical,
        title=title,
        published=published,
        signatory=signatory,
        doctype=doctype,
        flags=[f for f in flags if f != "no-date"],
    )
    if not title:
        document.flags.append("no-title")
    return document


def _date_from_path(url: str) -> str | None:
    """``YYYY-MM`` of the 2025 scheme's ``/releases/…/YYYY/MM/slug/`` (no day in the URL)."""
    match = DATED_PATH.match(urlsplit(url).path)
    return f"{match['year']}-{match['month']}" if match else None


def parse_listing(body: bytes | str, url: str) -> Listing:
    """A listing page (``/press-releases/``, ``/department-press-briefings/``): entries, next."""
    tree = parse_html(decode_html(body))
    if tree is None:
        return Listing([], None)
    entries: list[ListingEntry] = []
    for item in tree.cssselect("li.collection-result"):
        links = item.cssselect("a.collection-result__link")
        if not links or not links[0].get("href"):
            continue
        meta = item.cssselect(".collection-result-meta span")
        spans = [" ".join(element_text(s).split()) for s in meta]
        day = next((d for s in spans if (d := date_in_text(s))), None)
        speaker = next((s for s in spans if s and not date_in_text(s)), None)
        entries.append(
            ListingEntry(
                url=urljoin(url, links[0].get("href")),
                title=" ".join(element_text(links[0]).split()),
                doctype=_first_text(item, ".collection-result__date") or None,
                speaker=speaker,
                published=day.isoformat() if day else None,
            )
        )
    next_links = tree.cssselect("div.pagination a.next, a.next.page-numbers")
    next_page = urljoin(url, next_links[0].get("href")) if next_links else None
    return Listing(entries, next_page)
