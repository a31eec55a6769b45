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

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lxml.etree import _Element

from archive.identity.names import HONORIFICS, ROLE_WORDS
from archive.identity.registry import default_registry
from mfa_scraper.items import ANSWER, QUESTION, REMARK, Document, Turn
from mfa_scraper.page import metadata
from mfa_scraper.page.article import parse_html
from mfa_scraper.page.dates import date_in_text
from mfa_scraper.page.encoding import decode_html
from mfa_scraper.page.html import Paragraph, element_text, starts_bold
from mfa_scraper.page.turns import Label, is_stage_direction, label_candidate, split_turns

#: Source name of the State Department in the archive.
SOURCE = "state"

#: Surnames in transcript labels ("MR PRICE") → full name and role, for the Secretaries and
#: spokespeople of recent years. A label of someone else is read from the page's participants
#: when the surname matches, else from the registry, else kept as written.
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
    "PIGOTT": ("Tommy Pigott", "Department Spokesperson"),
    "TONER": ("Mark Toner", "Department Spokesperson"),
    "KIRBY": ("John Kirby", "Department Spokesperson"),
}
#: Courtesy titles of a label ("MR PRICE"): no office in them.
COURTESY_TITLES = {title.upper() for title in HONORIFICS}
#: Offices that open a label or a participant line ("DEPUTY PRIME MINISTER TAJANI",
#: "Japanese Foreign Minister Motegi Toshimitsu"), as whole words, longest first.
OFFICE = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in sorted(ROLE_WORDS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
#: Lower-case words of a surname ("VAN KLAVEREN") and of an office ("MINISTER OF STATE").
SURNAME_PARTICLES = set("VAN VON DE DA DEL DER DEN DI DU LA LE AL EL".split())
ROLE_CONNECTORS = {"of", "the", "for", "and", "to", "on", "at", "in"}
#: A person's name as the header lines write it: capitalised words, a nickname in quotes
#: ('Thomas "Tommy" Pigott'), surname particles.
NAME_SHAPE = re.compile(
    r"""^(?:[A-Z][\w'’.-]*|["“][A-Z][^"”]*["”])"""
    r"""(?:\s+(?:[A-Z][\w'’.-]*|["“][A-Z][^"”]*["”]|van|von|de|da|del|der|den|di|al|bin)){0,4}$"""
)
#: A bureau the CMS glues to a role without a separator: "SpokesmanOffice of the Spokesman".
GLUED_BUREAU = re.compile(r"(?<=[a-z])(?=(?:Office|Bureau) of\b)")
#: Labels of questions from the floor.
QUESTION_LABELS = {"QUESTION", "Q", "QUESTION (OFF-MIKE)", "PARTICIPANT", "AUDIENCE MEMBER"}
#: Labels of the call's or event's host: their words are procedure, kept but not attributed.
HOST_LABELS = {"MODERATOR", "OPERATOR", "MC", "HOST"}
#: Labels that describe a speaker without naming them ("SENIOR STATE DEPARTMENT OFFICIAL",
#: "SENIOR STATE DEPARTMENT OFFICIAL ONE"); "SPOKESMAN PIGOTT" names one.
UNNAMED = re.compile(
    r"\b(?:OFFICIAL|SPOKESPERSON|SPOKESMAN|STAFF)(?:\s+(?:ONE|TWO|THREE|FOUR|\d))?$"
)
#: First line of readouts: "The below is attributable to Spokesperson Ned Price:"; the office
#: is "Spokesman" since 2026 ("Spokesman Tommy Pigott"), "Principal Deputy Spokesperson" too.
ATTRIBUTABLE = re.compile(
    r"^The (?:below|following) is attributable to "
    r"(?P<role>(?:[A-Z][a-z]+ )*?(?:Spokesperson|Spokesman|Spokeswoman)) "
    r"(?P<name>[A-Z][\w.'-]+(?: [A-Z][\w.'-]+){1,3})\s*:?\s*$"
)
#: Annotations that open a turn: "(Via interpreter) Thank you." Dropped from the turn's text.
INTERPRETER_NOTE = re.compile(
    r"^\((?:via|through|as interpreted by)? ?(?:an )?interpret(?:er|ed|ation)\)\s*|"
    r"^\(in [A-Z][a-z]+\.?\)\s*",
    re.IGNORECASE,
)
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


def clean_line(line: str | None) -> str:
    """A speaker line as text: HTML entities resolved (WordPress escapes ``dc:creator`` inside
    CDATA: ``Thomas &quot;Tommy&quot; Pigott``), white space collapsed."""
    return " ".join(html.unescape(line or "").split())


def split_signatory(line: str | None) -> tuple[str | None, str | None]:
    """``"Morgan Ortagus, Department Spokesperson"`` → ``("Morgan Ortagus", "Department
    Spokesperson")``; a bureau alone ("Office of the Spokesperson") has no role; a bureau the
    CMS glued to the role ("SpokesmanOffice of the Spokesman") is not part of it."""
    line = clean_line(line)
    if not line:
        return None, None
    name, _, role = line.partition(",")
    role = GLUED_BUREAU.split(role)[0]
    return name.strip() or None, role.strip(" ,") or None


def person_in_line(line: str) -> tuple[str, str | None]:
    """Name and role of one participant line: "Marco Rubio, Secretary of State", or an office
    before the name: "Japanese Foreign Minister Motegi Toshimitsu" → ("Motegi Toshimitsu",
    "Japanese Foreign Minister"). A line with no name after its office (a bureau) is the name."""
    line = clean_line(line)
    if "," in line:
        name, role = split_signatory(line)
        person, title = _name_after_office(name or "")
        # "Ambassador Mike Waltz, U.S. Representative…": the name without its title
        return (person if person and title else name or line), role
    name, role = _name_after_office(line)
    return (name, role) if name else (line, None)


def _name_after_office(text: str) -> tuple[str | None, str | None]:
    """``(name, office)`` when ``text`` is an office followed by a name; ``(None, text)`` for
    an office alone ("Secretary of State"); ``(text, None)`` for a name alone."""
    offices = list(OFFICE.finditer(text))
    if not offices:
        return (text, None) if NAME_SHAPE.match(text) else (None, text)
    rest = text[offices[-1].end() :].strip(" ,")
    if rest and NAME_SHAPE.match(rest):
        return rest, text[: offices[-1].end()].strip(" ,") or None
    return None, text


def participants(creator: str | None, header: Sequence[str] = ()) -> list[tuple[str, str | None]]:
    """Who speaks in a post, in order: ``(name, role)`` pairs from ``dc:creator`` (or the
    speaker line), split where the feed's header lines say one participant ends.

    The creator "Marco Rubio, Secretary of State, Antonio Tajani, Italian Deputy Prime
    Minister and Foreign Minister" is two people; without header lines it is split at the
    commas, each role joining the name before it.
    """
    lines, rest = _spell_creator(creator, header)
    found = [person_in_line(line) for line in lines]
    parts = [part.strip() for part in GLUED_BUREAU.sub(", ", rest).split(",") if part.strip()]
    stated = False  # whether the last participant's role was given after a comma
    for part in parts:
        name, role = _name_after_office(part)
        if name:
            found.append((name, role))
            stated = False
        elif not found:
            found.append((part, None))  # a bureau: "Office of the Spokesman"
            stated = True
        elif not stated:
            # "Ambassador Mike Waltz, U.S. Representative to the United Nations": the role
            # after the comma says more than the title before the name
            found[-1], stated = (found[-1][0], role), True
        # else: the bureau of the role before ("…, Spokesman, Office of the Spokesman")
    return found


def _spell_creator(creator: str | None, lines: Sequence[str]) -> tuple[list[str], str]:
    """The first ``lines`` that spell ``creator`` one participant a line, and what of the
    creator they leave unspelt."""
    rest = clean_line(creator)
    spelt: list[str] = []
    for line in (clean_line(line) for line in lines):
        if not line or not (rest == line or rest.startswith(line + ",")):
            break
        spelt.append(line)
        rest = rest[len(line) :].strip(" ,")
    return spelt, rest


def slug_of(url: str) -> str | None:
    """The post slug of a document URL in either scheme (the last path segment)."""
    parts = [p for p in urlsplit(url).path.split("/") if p]
    return parts[-1] if parts else None


def _title_case(words: Sequence[str]) -> str:
    """An upper-case label's words as written in prose: "MINISTER OF STATE" → "Minister of
    State", "THOMAS-GREENFIELD" → "Thomas-Greenfield"."""
    out = []
    for i, word in enumerate(words):
        lower = word.lower()
        if i and lower in ROLE_CONNECTORS:
            out.append(lower)
        else:
            out.append("-".join(part.capitalize() for part in word.split("-")))
    return " ".join(out)


def _tokens(name: str) -> list[str]:
    return re.findall(r"[\w'’-]+", name.casefold())


class StateLabels:
    """What an upper-case label means in a State Department transcript.

    Officials' words are ``remark`` until the first question, ``answer`` after.
    A label is an office (or a courtesy title) and a surname: "DEPUTY PRIME
    MINISTER TAJANI" is Tajani, Deputy Prime Minister. The surname is completed
    from the post's ``participants`` ("Antonio Tajani", with the role the header
    gives), else from :data:`KNOWN_OFFICIALS`, else from the registry.
    """

    def __init__(
        self,
        signatory: str | None = None,
        signatory_role: str | None = None,
        participants: Sequence[tuple[str, str | None]] = (),
    ) -> None:
        self.participants = list(participants)
        if signatory and not self.participants:
            self.participants = [(signatory, signatory_role)]
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
        words = [w.rstrip(".") for w in label.split()]
        cut = len(words) - 1
        if cut >= 2 and words[cut - 1] in SURNAME_PARTICLES:
            cut -= 1
        title, surname = words[:cut], " ".join(words[cut:])
        courtesy = " ".join(title) in COURTESY_TITLES
        if title and not courtesy and not OFFICE.search(" ".join(title)):
            return _title_case(words), None  # a full name: "JOHN SMITH"
        role = _title_case(title) if title and not courtesy else None
        known = self._participant(surname)
        if known:
            return known[0], known[1] or role
        if surname in KNOWN_OFFICIALS:
            return KNOWN_OFFICIALS[surname]
        person = default_registry().lookup(_title_case([surname]))
        if person is not None and _tokens(person.name)[-1:] == _tokens(surname)[-1:]:
            return person.name, role
        return _title_case(surname.split()), role

    def _participant(self, surname: str) -> tuple[str, str | None] | None:
        """The participant whose surname this is (a family name may come first: "Motegi
        Toshimitsu"); the last word of a name is tried before the others."""
        key = _tokens(surname)
        for position in (-1, None):
            for name, role in self.participants:
                tokens = _tokens(name)
                if position == -1 and tokens[-len(key) :] == key:
                    return name, role
                if position is None and all(k in tokens for k in key):
                    return name, role
        return None


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
        spelt, rest = _spell_creator(signatory, [p.text for p in paragraphs])
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
