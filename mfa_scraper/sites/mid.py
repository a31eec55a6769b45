"""Russia's Ministry of Foreign Affairs, English site (mid.ru): documents and briefings as turns.

A document (``/en/<section>/<id>/``: news, the spokeswoman's briefings, the minister's
speeches and interviews) is read by the generic article extractor, after two things
other scrapers of the site report are taken out of its body: the table of contents a
long article opens with (links to anchors further down the same page) and the "Back to
contents" links that close each of its sections.

A briefing by the spokeswoman is split into turns like the other ministries' press
conferences: her opening statements (the topics the contents listed) are remarks,
"Question:" opens a journalist's question ("Question (Reuters):" names the outlet),
"Answer:" and a labelled "Maria Zakharova:" are her answers. Who she is comes from the
title ("Briefing by Foreign Ministry Spokeswoman Maria Zakharova") or, when the title
names nobody, from the registry: who held the office of Foreign Ministry Spokesperson
on the briefing's date. A minister's speech with labelled questions splits the same way,
under the person its title names. Other pages stay reports of the ministry.

No real mid.ru page was available (it answers crawlers with a JavaScript challenge, and
no saved copy was found): this reads the site's reported structure and is tested on
constructed pages only (tests/pages/mid.ru/README.md).
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import urlsplit

import lxml.html
from lxml.etree import _Element

from archive.identity.registry import Person, default_registry
from mfa_scraper.items import ANSWER, QUESTION, REMARK, Document
from mfa_scraper.page.article import extract_article, parse_html
from mfa_scraper.page.encoding import decode_html
from mfa_scraper.page.html import Paragraph, element_text
from mfa_scraper.page.turns import Label, is_stage_direction, split_turns

#: Source name of the Russian MFA in the archive.
SOURCE = "mid"
#: The spokesperson's office as the registry names it, and its country.
SPOKESPERSON_OFFICE = ("Foreign Ministry Spokesperson", "Russia")
#: Paths of the spokeswoman's briefings.
BRIEFING_PATH = re.compile(r"/press_service/spokesman/briefings/\d+")
#: Titles of briefings, in English and Russian.
BRIEFING_TITLE = re.compile(r"\bbriefing\b|брифинг", re.IGNORECASE)
#: Links that close a section of a long article.
BACK_TO_CONTENTS = re.compile(
    r"^\W*(?:back to (?:the )?(?:table of )?contents|back to top|to the top|top of (?:the )?page"
    r"|к содержанию|вернуться к (?:содержанию|оглавлению)|наверх)\W*$",
    re.IGNORECASE,
)
#: The heading of a table of contents.
CONTENTS_HEADING = re.compile(
    r"^\W*(?:table of )?contents\W*$|^\W*(?:содержание|оглавление)\W*$", re.I
)
#: Share of a block's text its in-page links must make for the block to be a table of contents.
CONTENTS_LINK_SHARE = 0.8
#: Labels of a journalist's turn; "Question (Reuters):" / "Question from Reuters:" name the outlet.
QUESTION_LABELS = {"question", "q", "вопрос", "question from the audience", "вопрос из зала"}
NAMED_QUESTION = re.compile(
    r"^(?:question|вопрос)\s*(?:\((?P<paren>[^)]+)\)|from\s+(?P<from>.+)|[,–—-]\s*(?P<comma>.+))$",
    re.IGNORECASE,
)
#: Labels of the spokesperson's (or the speaker's) answer when the page does not name them.
ANSWER_LABELS = {"answer", "a", "ответ"}
#: The intertitle between a briefing's statements and its questions.
MEDIA_QUESTIONS = re.compile(
    r"^\W*(?:answers? to (?:the )?(?:media|journalists[’']?|reporters[’']?) questions"
    r"|ответы на вопросы (?:сми|журналистов))\W*$",
    re.IGNORECASE,
)
BLOCK_TAGS = ("p", "div", "ul", "ol", "table", "li", "h2", "h3", "h4", "h5", "h6")


def drop_contents(tree: _Element) -> None:
    """Take the table of contents and the "Back to contents" links out of a page, in place.

    A table of contents is a block whose links all point into the page (``href="#…"``)
    and make most of its text, or a run of paragraphs that are each one such link, with
    a "Contents" heading before it if there is one.
    """
    for link in list(tree.iter("a")):
        if BACK_TO_CONTENTS.match(element_text(link)):
            parent = link.getparent()
            link.drop_tree()
            if parent is not None and parent.tag in BLOCK_TAGS and not element_text(parent):
                parent.drop_tree()
    for block in [b for b in tree.iter(*BLOCK_TAGS) if _is_contents(b)]:
        if block.getroottree().getroot() is not tree.getroottree().getroot():
            continue  # inside a block dropped already
        heading = block.getprevious()
        if heading is not None and CONTENTS_HEADING.match(element_text(heading)):
            heading.drop_tree()
        block.drop_tree()


def _is_contents(block: _Element) -> bool:
    """Whether ``block`` holds nothing but links into the same page."""
    links = [a for a in block.iter("a") if element_text(a)]
    if not links or not all((a.get("href") or "").startswith("#") for a in links):
        return False
    text = " ".join(element_text(block).split())
    linked = sum(len(" ".join(element_text(a).split())) for a in links)
    if block.tag == "p":  # one entry of a contents written as paragraphs
        return linked >= CONTENTS_LINK_SHARE * len(text)
    return len(links) >= 2 and linked >= CONTENTS_LINK_SHARE * len(text)


def office_holder(office: str, country: str, day: date | None) -> Person | None:
    """Who held ``office`` of ``country`` on ``day``, according to the registry."""
    for person in default_registry().people.values():
        if person.country == country and role_on(person, day) == office:
            return person
    return None


def role_on(person: Person, day: date | None) -> str | None:
    """The office ``person`` held on ``day`` (registry dates are ISO, to any precision)."""
    if day is None:
        return None
    when = day.isoformat()
    for role in person.roles:
        start, end = role.get("start") or "", role.get("end") or "9999"
        if start[: len(when)] <= when < end + "~":  # "~" sorts after any digit or "-"
            return role.get("role")
    return None


def named_person(title: str, country: str) -> Person | None:
    """The registry's person of ``country`` that ``title`` names ("… Maria Zakharova, Moscow")."""
    for person in default_registry().people.values():
        if person.country != country:
            continue
        for spelling in (person.name, *person.aliases):
            if len(spelling.split()) >= 2 and re.search(rf"\b{re.escape(spelling)}\b", title):
                return person
    return None


class MidLabels:
    """What a label means in a mid.ru transcript: ``(speaker, role, kind)`` or ``None``.

    Question labels open a question; "Answer:" and the principal's name answer it (or
    remark, before the first question); another labelled person the registry knows
    speaks in their own name. Anything else ("Examplia: the situation") is no label.
    """

    def __init__(self, principal: str | None, role: str | None) -> None:
        self.principal, self.role = principal, role
        self.asked = False

    def __call__(self, label: Label) -> tuple[str | None, str | None, str] | None:
        text = " ".join(label.text.split())
        key = text.rstrip(".").casefold()
        named = NAMED_QUESTION.match(text)
        if key in QUESTION_LABELS or named:
            self.asked = True
            asker = named and (named["paren"] or named["from"] or named["comma"] or "").strip()
            return asker or None, "journalist" if asker else None, QUESTION
        kind = ANSWER if self.asked else REMARK
        if key in ANSWER_LABELS:
            return self.principal, self.role, kind
        person = default_registry().lookup(text)
        if person is None:
            return None
        if self.principal and person.name == self.principal:
            return self.principal, self.role, kind
        return person.name, None, kind


def extract_mid_page(body: bytes | str, url: str) -> Document:
    """A mid.ru document as a :class:`Document`; a briefing (or a labelled speech) with turns."""
    tree = parse_html(decode_html(body))
    if tree is not None:
        drop_contents(tree)
        body = lxml.html.tostring(tree, encoding="unicode")
    document = extract_article(body, url, source=SOURCE)
    paragraphs = [Paragraph(p) for p in document.text.split("\n\n") if p.strip()]
    day = _day(document.published)
    briefing = bool(
        BRIEFING_PATH.search(urlsplit(url).path) or BRIEFING_TITLE.search(document.title)
    )
    speaker = named_person(document.title, "Russia")
    if speaker is None and briefing:
        speaker = office_holder(*SPOKESPERSON_OFFICE, day)
    name = speaker.name if speaker else None
    role = role_on(speaker, day) if speaker else None
    probe = MidLabels(name, role)
    labelled = sum(1 for p in paragraphs if (found := _label(p)) and probe(found[0]) is not None)
    if name and (labelled >= 2 or (briefing and labelled)):
        document.turns = split_turns(
            paragraphs,
            MidLabels(name, role),
            opening_speaker=name,
            opening_role=role,
            find_label=_label,
            is_note=_is_note,
        )
        document.kind = "transcript"
        document.author = name
    return document


def _is_note(paragraph: Paragraph) -> bool:
    """A stage direction, or the intertitle "Answers to media questions:" (nobody's words)."""
    return is_stage_direction(paragraph) or bool(MEDIA_QUESTIONS.match(paragraph.text))


def _label(paragraph: Paragraph) -> tuple[Label, str] | None:
    """ "Question:", "Answer:", "Maria Zakharova:" at the start of a paragraph: a short label."""
    match = re.match(r"^\s*(?P<label>[^:\n]{1,60}?)\s*:\s*(?P<rest>.*)$", paragraph.text, re.DOTALL)
    if not match or len(match["label"].split()) > 5 or not match["label"][:1].isupper():
        return None
    return Label(match["label"], paragraph.bold_start), match["rest"]


def _day(published: str | None) -> date | None:
    try:
        return date.fromisoformat((published or "")[:10])
    except ValueError:
        return None
