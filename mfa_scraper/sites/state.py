"""U.S. Department of State (state.gov): statements, readouts and briefing transcripts.

state.gov runs WordPress. The same post body reaches us three ways: the page
(``div.entry-content`` under ``h1.featured-content__headline``, the speaker line
``p.article-meta__author-bureau`` "Morgan Ortagus, Department Spokesperson", the
date ``p.article-meta__publish-date``, the document type ``p.doctype-meta``), the
RSS feeds (``dc:creator`` "Antony J. Blinken, Secretary of State" and the full
body in ``content:encoded``, whose first paragraph repeats the creator), and the
REST API (``content.rendered``). All three go through :func:`state_document`, so
a post is the same record however it was fetched: pages often refuse plain HTTP
clients, feeds and the API rarely do.

Who speaks: a statement is one :data:`~mfa_scraper.items.REMARK` turn of its
signatory, name and role split at the comma. A transcript (briefing, press
availability, interview) is split at its upper-case labels: "MR PRICE:",
"SECRETARY BLINKEN:", "QUESTION:" (questions at state.gov are never labelled
with the outlet).

Tested on real pages: a press statement and a fact sheet (2019–2020 layout), the
press-releases listing, the press-releases RSS feed of 2022 (statements and a
press availability transcript). Not seen: a page of the layout introduced in 2025
(``/releases/office-of-the-spokesman/YYYY/MM/slug/``), read with the same hooks
and the generic extractor's fallbacks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml.etree import _Element

from mfa_scraper.items import ANSWER, QUESTION, REMARK, Document, Turn
from mfa_scraper.page import metadata
from mfa_scraper.page.article import parse_html
from mfa_scraper.page.dates import date_in_text
from mfa_scraper.page.encoding import decode_html
from mfa_scraper.page.html import Paragraph, element_text, starts_bold
from mfa_scraper.page.selectors import select
from mfa_scraper.page.turns import Label, label_candidate, split_turns

#: Source name of the State Department in the archive.
SOURCE = "state"

#: Surnames in transcript labels ("MR PRICE") → full name and role, for the Secretaries and
#: spokespeople of recent years. A label of someone else is read from the page's own speaker
#: line when the surname matches, else kept as written ("Ambassador Thomas-Greenfield").
KNOWN_OFFICIALS = {
    "BLINKEN": ("Antony J. Blinken", "Secretary of State"),
    "POMPEO": ("Michael R. Pompeo", "Secretary of State"),
    "TILLERSON": ("Rex W. Tillerson", "Secretary of State"),
    "KERRY": ("John Kerry", "Secretary of State"),
    "RUBIO": ("Marco Rubio", "Secretary of State"),
    "PRICE": ("Ned Price", "Department Spokesperson"),
    "ORTAGUS": ("Morgan Ortagus", "Department Spokesperson"),
    "NAUERT": ("Heather Nauert", "Department Spokesperson"),
    "PATEL": ("Vedant Patel", "Principal Deputy Spokesperson"),
    "MILLER": ("Matthew Miller", "Department Spokesperson"),
    "BRUCE": ("Tammy Bruce", "Department Spokesperson"),
    "TONER": ("Mark Toner", "Department Spokesperson"),
    "KIRBY": ("John Kirby", "Department Spokesperson"),
}
#: Honorifics and titles that open a label ("MR PRICE", "SECRETARY BLINKEN").
HONORIFICS = {
    "MR", "MR.", "MS", "MS.", "MRS", "MRS.", "DR", "DR.", "SECRETARY", "AMBASSADOR",
    "UNDER SECRETARY", "DEPUTY SECRETARY", "ASSISTANT SECRETARY", "PRESIDENT",
    "PRIME MINISTER", "FOREIGN MINISTER", "MINISTER", "GENERAL", "ADMIRAL",
}  # fmt: skip
#: Labels of questions from the floor.
QUESTION_LABELS = {"QUESTION", "Q", "QUESTION (OFF-MIKE)", "PARTICIPANT", "AUDIENCE MEMBER"}
#: Labels of the call's or event's host: their words are procedure, kept but not attributed.
HOST_LABELS = {"MODERATOR", "OPERATOR", "MC", "HOST"}
#: Phrases of a role inside a label ("SENIOR STATE DEPARTMENT OFFICIAL") that name no person.
UNNAMED = re.compile(r"\b(?:OFFICIAL|SPOKESPERSON|SPOKESMAN|STAFF)\b")
#: First line of readouts: "The below is attributable to Spokesperson Ned Price:".
ATTRIBUTABLE = re.compile(
    r"^The (?:below|following) is attributable to (?P<role>(?:[A-Z][a-z]+ )*?Spokesperson )"
    r"(?P<name>[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,3})\s*:?$"
)
#: Blocks of a body whose text is read, in document order.
BLOCK_TAGS = {"p", "li", "h2", "h3", "h4", "h5", "blockquote", "pre"}
#: Elements inside a body that are never text of the statement.
SKIP_SELECTORS = (
    ".article-meta",
    ".wp-block-default-hero-container",
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


def split_signatory(line: str | None) -> tuple[str | None, str | None]:
    """``"Morgan Ortagus, Department Spokesperson"`` → ``("Morgan Ortagus", "Department
    Spokesperson")``; a bureau alone ("Office of the Spokesperson") has no role."""
    if not line or not line.strip():
        return None, None
    line = " ".join(line.split())
    name, _, role = line.partition(",")
    return name.strip() or None, role.strip() or None


def slug_of(url: str) -> str | None:
    """The post slug of a document URL in either scheme (the last path segment)."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return parts[-1] if parts else None


class StateLabels:
    """What an upper-case label means in a State Department transcript.

    Officials' words are ``remark`` until the first question, ``answer`` after;
    a name is completed from :data:`KNOWN_OFFICIALS` or from the page's speaker
    line (``signatory``) when the surname matches.
    """

    def __init__(self, signatory: str | None = None, signatory_role: str | None = None) -> None:
        self.signatory = signatory
        self.signatory_role = signatory_role
        self.asked = False

    def __call__(self, label: Label) -> tuple[str | None, str | None, str] | None:
        text = " ".join(label.text.split())
        if not text.isupper() or len(text) < 1:
            return None  # labels at state.gov are upper case; "Note: …" is text
        key = text.rstrip(".")
        if key in QUESTION_LABELS or key.startswith("QUESTION"):
            self.asked = True
            return None, None, QUESTION
        kind = ANSWER if self.asked else REMARK
        if key in HOST_LABELS:
            return None, key.lower(), REMARK
        if UNNAMED.search(key):
            return key.lower().replace("state department", "State Department"), None, kind
        name, role = self.person(key)
        return name, role, kind

    def person(self, label: str) -> tuple[str, str | None]:
        """Full name and role of a labelled official."""
        words = label.split()
        honorific, rest = "", words
        for size in (2, 1):
            if len(words) > size and " ".join(words[:size]).rstrip(".") in {
                h.rstrip(".") for h in HONORIFICS
            }:
                honorific, rest = " ".join(words[:size]), words[size:]
                break
        surname = rest[-1].rstrip(".") if rest else label
        if self.signatory and self.signatory.split()[-1].upper() == surname:
            return self.signatory, self.signatory_role
        if surname in KNOWN_OFFICIALS:
            return KNOWN_OFFICIALS[surname]
        words_out = [w.capitalize() if w.isalpha() else w.title() for w in rest] or [label]
        titled = honorific and honorific[:2] not in ("MR", "MS", "DR")
        return " ".join(words_out), honorific.title().rstrip(".") if titled else None


def body_paragraphs(container: _Element) -> list[Paragraph]:
    """Paragraphs of a body: ``<p>``, list items and headings, in order, without repeats.

    Fact sheets are mostly ``<li>``, which a ``<p>``-only reader would lose; a list
    item holding a nested list keeps only its own words (the nested items follow).
    """
    for selector in SKIP_SELECTORS:
        for element in select(container, selector):
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
        published: ISO 8601 date or date-time.
        signatory: the speaker line or ``dc:creator`` ("Antony J. Blinken, Secretary of State").
        doctype: the page's document type ("Press Statement", "Department Press Briefing").
        flags: extraction flags known already.
    """
    flags = list(flags)
    container = body_html
    if isinstance(body_html, str):
        container = parse_html(f"<html><body><div>{body_html}</div></body></html>")
    if container is not None and not signatory:
        bureau = select(container, ".article-meta__author-bureau")
        signatory = element_text(bureau[0]) if bureau else None
    paragraphs = body_paragraphs(container) if container is not None else []
    name, role = split_signatory(signatory)
    # The feed repeats the creator as the body's first paragraph.
    if (
        paragraphs
        and signatory
        and " ".join(paragraphs[0].text.split()) == " ".join(signatory.split())
    ):
        paragraphs = paragraphs[1:]
    classify = StateLabels(name, role)
    labelled = [p for p in paragraphs if (found := label_candidate(p)) and classify(found[0])]
    classify = StateLabels(name, role)  # the probe above must not leave state behind
    is_transcript = bool(labelled) and (
        len(labelled) >= 2 or bool(doctype and TRANSCRIPT_TYPES.search(doctype))
    )
    if is_transcript:
        first = paragraphs.index(labelled[0])
        header = paragraphs[:first]
        # datelines above a transcript are nobody's words
        spoken = paragraphs[first:] if all(_is_header_line(p.text) for p in header) else paragraphs
        turns = split_turns(spoken, classify, opening_speaker=name, opening_role=role)
        kind = "transcript"
    else:
        text = "\n\n".join(p.text for p in paragraphs)
        if paragraphs and (said := ATTRIBUTABLE.match(paragraphs[0].text)):
            # A readout "attributable to Spokesperson Ned Price" is his statement.
            name, role = said["name"], said["role"].strip() or "Department Spokesperson"
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
    found = select(tree, selector)
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
    visible = _first_text(tree, "p.article-meta__publish-date")
    if (not published or date_flag) and visible and (day := date_in_text(visible)):
        published, date_flag = day.isoformat(), None
    if not published:
        published = _date_from_path(url)
        date_flag = "date-from-url" if published else "no-date"
    if date_flag:
        flags.append(date_flag)
    container = None
    for selector in BODY_SELECTORS:
        found = select(tree, selector)
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
    for item in select(tree, "li.collection-result"):
        links = select(item, "a.collection-result__link")
        if not links or not links[0].get("href"):
            continue
        meta = select(item, ".collection-result-meta span")
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
    next_links = select(tree, "div.pagination a.next, a.next.page-numbers")
    next_page = urljoin(url, next_links[0].get("href")) if next_links else None
    return Listing(entries, next_page)
