"""The Kremlin's sites (en.kremlin.ru, kremlin.ru): news and transcript pages, listings, Atom feed.

A page (``/events/president/news/<id>``, its ``/print`` view, or the same
event under ``/events/president/transcripts/<id>``) has a headline
(``h1.entry-title``), a date and a time (``time.read__published``,
``.read__time``), a place (``.read__place``), a lead (``.read__lead``) and a
body (``.read__internal_content``). Speakers are labelled in bold at the start
of a paragraph ("President of Russia Vladimir Putin:", "Question:",
"Dmitry Peskov:"); a page without labels is a third-person news report, left
to the quote engine downstream. The source is hard-wrapped mid-sentence and
full of no-break spaces; both are normalised.

Listings (``/events/president/news/page/N``, ``…/by-date/DD.MM.YYYY``) give
each event's id, title and date-time; the Atom feed (``…/news/feed``) gives
the same with the full HTML of each item.

The Russian site (kremlin.ru) is the same CMS with the same event ids
(``news/63313`` is one event on both): dates are written "17 июня 2020 года,
15:00" and speakers are labelled by initial and surname ("В.Путин:",
"Д.Песков:", "Вопрос:", "Реплика:"). Its documents get language ``ru``; the
names stay as the page spells them, for the archive to make canonical. No
real Russian page was available: this is tested on pages constructed from
the structure of real English ones.

Over 600 lines as one module: pages, listings and the Atom feed are one CMS's markup and
share its event URLs and page reader (a feed item carries a page's lead and body);
listings and feed (``# -- listings`` on) are the seam if it is split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from urllib.parse import urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml.etree import _Element

from archive.identity.names import COUNTRY_ADJECTIVES, parse_mention
from mfa_scraper.items import ANSWER, QUESTION, REMARK, Document, Turn
from mfa_scraper.page.dates import parse_date_line
from mfa_scraper.page.encoding import decode_html
from mfa_scraper.page.html import (
    Paragraph,
    clean_text,
    element_text,
    paragraphs,
    parse_html,
    unwrap_source_lines,
)
from mfa_scraper.page.turns import Label, is_stage_direction, split_turns
from mfa_scraper.sites.mfa import ExtractionError as PageError

#: Source name of the Kremlin in the archive.
SOURCE = "kremlin"
#: The live site, under which documents are archived.
CANONICAL_BASE = "http://en.kremlin.ru"
#: The Russian site: same CMS, same event ids.
CANONICAL_BASE_RU = "http://kremlin.ru"
#: Sites by language.
CANONICAL_BASES = {"en": CANONICAL_BASE, "ru": CANONICAL_BASE_RU}

TITLE_SELECTORS = ("h1.entry-title", ".read__title", "h1")
#: " • President of Russia" and the like, appended to ``<title>``.
TITLE_SUFFIX = re.compile(r"\s*[•|–—-]\s*(?:President of Russia|Президент России)\s*$")
LEAD_SELECTORS = (".read__lead", ".entry-summary")
PLACE_SELECTORS = (".read__place",)
BODY_SELECTORS = (".read__internal_content", ".entry-content", "article")
#: Inside the body but not the text: photo sliders, videos, "See also" boxes, tags, status.
BODY_NOISE = (
    ".masha-ignore",
    ".read__cut",
    ".read__bottommeta",
    ".hidden-copy",
    ".slider",
    ".media__container",
    "script",
    "style",
)

#: Labels of a journalist's turn: an unnamed asker, or the asker's retort.
QUESTION_LABELS = {
    "question", "remark", "reply", "response", "comment", "q",
    "вопрос", "реплика", "реплика из зала", "вопрос из зала",
}  # fmt: skip
#: "Question (Reuters):", "Question, Reuters:": the label names the outlet or person.
NAMED_QUESTION = re.compile(
    r"^(?:question|remark|reply|вопрос|реплика)\s*(?:\((?P<paren>[^)]+)\)|[,–—-]\s*(?P<comma>.+))$",
    re.IGNORECASE,
)
#: A paragraph that ends the current speaker's turn: "* * *", "<…>".
SEPARATOR = re.compile(r"^\s*(?:\*\s*){3}$|^\s*<\s*[.…]+\s*>\s*$")
#: A bold label: anything before the colon, as long as it reads as a label and not a sentence.
#: An initial's dot ("В.Путин", "D. Peskov") may sit inside a label; no other full stop.
BOLD_LABEL = re.compile(
    r"^(?P<label>(?:\b[A-ZА-ЯЁ]\.|[^:.?!;\n]){1,200}?)\s*:\s*(?P<rest>.*)$", re.DOTALL
)
#: Words that make a label an intertitle rather than a speaker.
NOT_SPEAKERS = {
    "email", "e-mail", "phone", "tel", "fax", "note", "source", "see also",
    "справка", "источник", "см. также", "телефон",
}  # fmt: skip
#: The question a transcript's host answers; named in the principal's label.
PRINCIPAL_ROLE = re.compile(
    r"^(?:President of (?:Russia|the Russian Federation)"
    r"|Президент (?:России|Российской Федерации))$",
    re.IGNORECASE,
)
#: Titles of pages whose unnamed-role interlocutors are journalists (interviews).
INTERVIEW_TITLES = re.compile(r"\binterview\b|\bquestions with\b|интервью", re.IGNORECASE)
#: Titles of events where members of the public talk to the principal: a meeting or a
#: conversation with workers, residents, students, volunteers, doctors… ("Conversation with
#: workers at Zaliv Shipyard", "Meeting with healthcare sector workers", "Встреча с
#: работниками…"). What they say to him are questions, what he replies answers.
PUBLIC_MEETING_TITLES = re.compile(
    r"^(?:(?:working\s+)?meeting|conversation|talk|videoconference|video\s+conference|dialogue"
    r"|встреча|беседа|видеоконференция)\b.*?\b(?:with|с|со)\s.*?(?<!\w)(?:"
    r"workers|employees|staff|(?:members\s+of\s+the\s+)?public|residents|people|citizens"
    r"|volunteers|participants|activists|students|young|youth|schoolchildren|pupils|cadets"
    r"|teachers|doctors|medics|(?:healthcare\s+)?professionals|families|mothers|entrepreneurs"
    r"|farmers|veterans|graduates"
    r"|работник\w*|рабоч\w*|сотрудник\w*|общественност\w*|жител\w*|граждан\w*|волонт[её]р\w*"
    r"|участник\w*|студент\w*|молод[её]ж\w*|школьник\w*|учител\w*|врач\w*|медик\w*"
    r"|семь\w*|сем[её]й|предпринимател\w*|ветеран\w*|выпускник\w*)(?!\w)",
    re.IGNORECASE,
)
#: Roles of the state's own people at such an event (a minister, a governor, an aide): they
#: report and answer, they do not ask. A director of the plant visited is not among them.
STATE_OFFICES = re.compile(
    r"\b(?:minister|ministry|governor|mayor|premier|presidential|president\s+of\s+(?:russia"
    r"|the\s+russian\s+federation)|aide|press\s+secretary|commissioner|envoy|plenipotentiary"
    r"|prosecutor|duma|federation\s+council|senator|government|federal|ambassador"
    r"|министр|губернатор|мэр|помощник|пресс-секретар|уполномоченн|полпред|прокурор|депутат"
    r"|сенатор|правительств|федеральн|посол)\w*",
    re.IGNORECASE,
)
#: How near the end of the principal's turn a question mark makes it a question to answer.
ASKED_AT_END = 40
#: Names that are the host of a Kremlin transcript even where the label gives no role.
PRINCIPALS = {
    "Vladimir Putin", "Dmitry Medvedev",
    "В.Путин", "В. Путин", "Владимир Путин", "Д.Медведев", "Д. Медведев", "Дмитрий Медведев",
}  # fmt: skip
#: Capitalised words: where the asker's name is looked for in earlier turns.
CAPITALISED = re.compile(r"\b[A-ZА-ЯЁ][\w'’-]+")
#: How alike two spellings of a surname must be (difflib ratio) to be one person.
SAME_NAME = 0.8
#: A parenthesis after a label that is an annotation, not a name: "(retranslated)".
ANNOTATION = re.compile(r"\s*\((?P<note>[^)]*)\)\s*$")
#: Words of an office in a label ("Healthcare Minister Mikhail Murashko"): the name follows.
OFFICE_WORDS = {
    "president", "minister", "premier", "chancellor", "secretary", "speaker", "mayor",
    "governor", "head", "chairman", "chairwoman", "chairperson", "director", "ceo", "chief",
    "commander", "general", "ambassador", "prosecutor", "rector", "aide", "adviser", "advisor",
    "officer", "founder", "partner", "patriarch", "ombudsman", "commissioner", "deputy",
    "manager", "engineer", "physician", "academician", "king", "emir", "prince", "sheikh",
    "leader", "senator", "member", "representative", "envoy", "spokesman", "spokeswoman",
    "spokesperson", "metropolitan", "mufti", "rabbi", "archbishop", "bishop", "teacher",
    "worker", "student", "doctor", "nurse", "pilot", "cosmonaut", "astronaut", "veteran",
}  # fmt: skip
#: Countries, to tell where "President of Turkey Recep Tayyip Erdogan" stops naming the office.
COUNTRY_NAMES = {name.lower() for name in COUNTRY_ADJECTIVES.values() if " " not in name}
#: Cyrillic script: a label of the Russian site.
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
#: "В.Путин", "В. В. Путин", "Д.Песков": initials and a surname, the Russian site's labels.
RUSSIAN_INITIALS = re.compile(r"^(?:[А-ЯЁ]\.\s?){1,2}[А-ЯЁ][\w-]+$")
#: First words of a Russian office ("Президент России", "Пресс-секретарь Президента").
RUSSIAN_OFFICE_WORDS = {
    "президент", "министр", "председатель", "премьер", "губернатор", "мэр", "глава",
    "руководитель", "помощник", "секретарь", "заместитель", "посол", "директор", "советник",
    "вице", "канцлер", "король", "генеральный", "первый", "спикер", "уполномоченный",
}  # fmt: skip
#: Lower-case words a name never contains: their presence means a role was left in the name.
ROLE_CONNECTORS = {"of", "the", "for", "and", "to", "at", "in", "on"}

EVENT_PATH = re.compile(
    r"^/events/president/(?P<section>news|transcripts)/(?P<id>\d+)(?:/print)?(?:\.html)?/?$"
)


class ExtractionError(PageError):
    """A page that cannot become a document; the spider logs the reason and skips it.

    A kind of the MFA extractor's error, so ``extract_document`` callers (``archive
    extract``) catch one class for every site.
    """


# -- URLs -----------------------------------------------------------------------------


def event_id(url: str) -> int | None:
    """The event number of a news or transcript URL (``…/news/54979``, ``…/54979/print``)."""
    match = EVENT_PATH.match(urlsplit(url).path)
    return int(match.group("id")) if match else None


def canonical_event_url(url: str) -> str:
    """``url`` without the print view and the ``.html`` a saved copy adds.

    Host and scheme are kept: mapping a mirror to the live site is the
    spider's business (:meth:`ArchiveSpider.canonical_url`).
    """
    parts = urlsplit(url)
    match = EVENT_PATH.match(parts.path)
    if not match:
        return url
    path = f"/events/president/{match.group('section')}/{match.group('id')}"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _archived_url(tree: _Element, url: str) -> str:
    """The URL to archive a page under: the event's path as ``og:url`` gives it, on ``url``'s host.

    One event is served under ``/news/<id>``, ``/transcripts/<id>`` and
    ``…/print``; the page's ``og:url`` names one of them, so each event is
    archived once whichever way it was reached.
    """
    own = _meta(tree, "property", "og:url")
    if own and event_id(own) == event_id(url) and event_id(url) is not None:
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc, urlsplit(own).path, "", ""))
    return canonical_event_url(url)


def _page_url(url: str) -> str:
    """A listing link as the live site writes it: saved copies append ``.html``."""
    parts = urlsplit(url)
    path = re.sub(r"(/(?:page/\d+|by-date/[\d.]+|\d+))\.html$", r"\1", parts.path)
    return urlunsplit((parts.scheme, parts.netloc, path, parts.query, ""))


# -- pages ----------------------------------------------------------------------------


def _first(tree: _Element, selectors: Sequence[str]) -> _Element | None:
    for selector in selectors:
        found = tree.cssselect(selector)
        if found:
            return found[0]
    return None


def _first_text(tree: _Element, selectors: Sequence[str]) -> str:
    element = _first(tree, selectors)
    return " ".join(element_text(element).split()) if element is not None else ""


def _meta(tree: _Element, attribute: str, name: str) -> str:
    for element in tree.xpath(f"//meta[@{attribute}=$n]", n=name):
        content = (element.get("content") or "").strip()
        if content:
            return content
    return ""


def extract_title(tree: _Element) -> str:
    """The headline, else ``og:title``, else ``<title>`` without the site's suffix."""
    title = _first_text(tree, TITLE_SELECTORS) or _meta(tree, "property", "og:title")
    if not title:
        title = TITLE_SUFFIX.sub("", _first_text(tree, ("title",)))
    return " ".join(title.split())


def extract_published(tree: _Element) -> str | None:
    """Date and time of publication as ``YYYY-MM-DDTHH:MM`` (Moscow time, as the page shows it).

    The date comes from ``time.read__published`` (its ``datetime``), the time
    from ``.read__time``; then the "Publication date: July 4, 2017, 16:05"
    line of the status box; then any ``datePublished``.
    """
    for element in tree.cssselect("time.read__published"):
        day = (element.get("datetime") or "").strip()[:10] or parse_date_line(element_text(element))
        if day:
            clock = _first_text(tree, (".read__time",))
            match = re.fullmatch(r"(\d{1,2}):(\d\d)", clock)
            return f"{day[:10]}T{int(match.group(1)):02d}:{match.group(2)}" if match else day
    for element in tree.cssselect(".read__status time, .read__updated time"):
        found = parse_date_line(element_text(element)) or (element.get("datetime") or "")[:10]
        if found:
            return found
    for value in (
        _meta(tree, "itemprop", "datePublished"),
        _meta(tree, "property", "ya:ovs:upload_date"),
    ):
        found = parse_date_line(value) if value else None
        if found:
            return found
    return None


def extract_place(tree: _Element) -> str | None:
    """Where the event took place ("The Kremlin, Moscow"), if the page says."""
    return _first_text(tree, PLACE_SELECTORS) or None


def _lead_paragraphs(tree: _Element) -> list[Paragraph]:
    lead = _first(tree, LEAD_SELECTORS)
    if lead is None:
        return []
    return paragraphs(unwrap_source_lines(lead))


def _body_paragraphs(tree: _Element) -> list[Paragraph]:
    body = _first(tree, BODY_SELECTORS)
    if body is None:
        return []
    for selector in BODY_NOISE:
        for element in body.cssselect(selector):
            _drop(element)
    return paragraphs(unwrap_source_lines(body))


def _drop(element: _Element) -> None:
    """Remove ``element`` but keep its tail text."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


# -- speaker turns --------------------------------------------------------------------


def find_label(paragraph: Paragraph) -> tuple[Label, str] | None:
    """The speaker label a paragraph starts with, by Kremlin markup.

    The site sets every label in bold, some far longer than a name ("Head of
    the Federal Service for Supervision of Communications, Information
    Technology and Mass Media Andrei Lipov:"), so a bold start followed by a
    colon is a label whatever its length. "* * *" and "<…>" are separators.
    An unbolded "Question: …" is the principal recounting a dialogue in his
    own words (news 63021), never a label.
    """
    if SEPARATOR.match(paragraph.text):
        return Label(paragraph.text.strip(), paragraph.bold_start), ""
    if paragraph.bold_start:
        match = BOLD_LABEL.match(paragraph.text)
        if match and match.group("label")[:1].isupper():
            return Label(match.group("label").strip(), True), match.group("rest")
    return None


def split_role(label: str) -> tuple[str, str | None]:
    """``(name, role)`` of a label: "President of Russia Vladimir Putin" → Putin, the office.

    The role is the label as written minus the name ("Chinese President" for
    "Chinese President Xi Jinping"); the name is left as written, for the
    archive to make canonical. "Alisa Shmelyova, metrology engineer" puts
    the role after a comma.
    """
    label = " ".join(label.split())
    if CYRILLIC.search(label):
        return _split_russian_role(label)
    note = ANNOTATION.search(label)
    if note and label[: note.start()].strip():
        label = label[: note.start()].strip()
        if note.group("note")[:1].isupper():  # "Alexei Anishchouk (Reuters)": the affiliation
            name, role = split_role(label)
            return name, role or note.group("note").strip()
    if label.isupper():
        label = " ".join(
            w.lower() if w.lower() in ROLE_CONNECTORS else w.capitalize() for w in label.split()
        )
    if "," in label:
        head, tail = (part.strip() for part in label.split(",", 1))
        if len(head.split()) <= 4 and not ROLE_CONNECTORS & {w.lower() for w in head.split()}:
            return split_role(head)[0], tail or None
    words = label.split()
    offices = [i for i, w in enumerate(words[:-1]) if w.lower().split("-")[-1] in OFFICE_WORDS]
    if not offices:
        return label, None  # "Dmitry Peskov", "German Gref": a name alone
    rest = words[offices[-1] + 1 :]
    if rest and rest[0][:1].isupper() and ROLE_CONNECTORS & {w.lower() for w in rest}:
        # "Patriarch Kirill of Moscow and All Russia": the name, then the see.
        name = " ".join(rest[: next(i for i, w in enumerate(rest) if w.lower() in ROLE_CONNECTORS)])
        return name, " ".join(words[: offices[-1] + 1] + rest[len(name.split()) :])
    if ROLE_CONNECTORS & {w.lower() for w in rest}:
        rest = _name_after_organisation(label, rest)
    if not rest or ROLE_CONNECTORS & {w.lower() for w in rest}:
        return label, None  # "Minister of Industry and Trade": an office, no name
    name = " ".join(rest)
    role = label[: len(label) - len(name)].strip(" ,") or None
    return name, role


def _split_russian_role(label: str) -> tuple[str, str | None]:
    """``(name, role)`` of a Russian label. The site writes "В.Путин" (initial and surname):
    a name alone. A role before a full name ("Министр иностранных дел Сергей Лавров") is
    split off at the last two capitalised words; a comma puts the role after the name."""
    note = ANNOTATION.search(label)
    if note and label[: note.start()].strip():
        name, role = _split_russian_role(label[: note.start()].strip())
        return name, role or note.group("note").strip()
    if "," in label:
        head, tail = (part.strip() for part in label.split(",", 1))
        return _split_russian_role(head)[0], tail or None
    words = label.split()
    if RUSSIAN_INITIALS.match(label) or len(words) < 3:
        return label, None
    name, role = words[-2:], words[:-2]
    office = role[0].lower().split("-")[-1] in RUSSIAN_OFFICE_WORDS
    if all(w[:1].isupper() for w in name) and (office or any(w[:1].islower() for w in role)):
        return " ".join(name), " ".join(role)
    return label, None


def surname(speaker: str) -> str:
    """The surname of a speaker as labelled: "Vladimir Putin" and "В.Путин" end in it."""
    return re.split(r"[\s.]+", speaker.strip())[-1]


def page_language(tree: _Element, url: str) -> str:
    """``ru`` for the Russian site (``<html lang="ru">``, or kremlin.ru without ``en.``)."""
    lang = (tree.get("lang") or "").strip().lower()[:2]
    if lang in ("ru", "en"):
        return lang
    host = (urlsplit(url).hostname or "").lower()
    return "ru" if host in ("kremlin.ru", "www.kremlin.ru") else "en"


def _name_after_organisation(label: str, rest: list[str]) -> list[str]:
    """The name at the end of "of Turkey Recep Tayyip Erdogan", "of Krasnoyarsk Territory
    Alexander Uss": after a country if one is named, else as people.parse_mention reads it,
    else the last two words."""
    for i in range(len(rest) - 3, -1, -1):
        if rest[i].lower().strip("’'s") in COUNTRY_NAMES:
            name = rest[i + 1 :]
            if not ROLE_CONNECTORS & {w.lower() for w in name}:
                return name
            break
    parsed = parse_mention(label, canonical=False).name.split()
    if 2 <= len(parsed) <= 3 and label.endswith(" ".join(parsed)):
        return parsed
    return rest[-2:]


class _Classifier:
    """What a label means on a Kremlin page; remembers who spoke, to fill roles and askers.

    ``Question:``/``Remark:``/``Reply:`` are a journalist's (unnamed unless the
    label names them: "Question (Reuters):"). A named speaker is a journalist
    when the page is an interview, or when a question introduced them ("My
    name is Maria Solovyenko"). Anyone else speaks in their own name;
    whether that is an answer or a remark is decided once all turns are known.
    """

    def __init__(self, interview: bool) -> None:
        self.interview = interview
        self.roles: dict[str, str] = {}
        self.names: dict[str, str] = {}  # casefolded → first spelling ("Dmitry PeskoV")

    def __call__(self, label: Label) -> tuple[str | None, str | None, str] | None:
        text = " ".join(label.text.split()).rstrip(":")
        key = text.casefold()
        if SEPARATOR.match(text):
            return None, None, REMARK  # narration resumes: nobody's words
        if key in QUESTION_LABELS:
            return None, None, QUESTION
        named = NAMED_QUESTION.match(text)
        if named:
            asker = (named.group("paren") or named.group("comma") or "").strip() or None
            return asker, "journalist" if asker else None, QUESTION
        if key in NOT_SPEAKERS:
            return None
        name, role = split_role(text)
        name = self.names.setdefault(name.casefold(), name)
        if role:
            self.roles.setdefault(name, role)
        role = role or self.roles.get(name)
        principal = bool(role and PRINCIPAL_ROLE.match(role)) or name in PRINCIPALS
        asks = self.interview and not principal
        if asks:
            return name, role or "journalist", QUESTION
        return name, role, REMARK


def _surname_matches(surname: str, words: set[str]) -> bool:
    """Whether ``surname`` is among ``words``, allowing the site's transliteration variants
    ("Prihodko"/"Prikhodko", "Belkiz"/"Bilkhis")."""
    if surname in words:
        return True
    return any(
        word[:1] == surname[:1] and SequenceMatcher(None, word, surname).ratio() >= SAME_NAME
        for word in words
    )


def assign_kinds(turns: list[Turn], *, public: bool = False) -> list[Turn]:
    """Settle each turn's kind: a question, an answer to one, or a remark.

    A named speaker who first speaks after the questions began, and whom an
    earlier turn named ("Viktoria Prikhodko, Moskovsky Komsomolets." in the
    question, or the press secretary's "Interfax Agency, Vyacheslav
    Terekhov."), is a journalist: their turns are questions. The principal's
    own turns never introduce anyone (he names officials). A labelled turn
    that follows a question is an answer; everything else a speaker says is
    a remark. Unlabelled narration (before the first label, after a "* * *")
    has no speaker and stays a remark.

    At a ``public`` meeting (:data:`PUBLIC_MEETING_TITLES`: workers, residents,
    students… talking to the principal) the members of the public ask: every turn
    of theirs is a question, unless it replies to a question the principal just
    asked, which makes it an answer. A member of the public is neither the
    principal nor a state official (:data:`STATE_OFFICES`), and is either labelled
    as an ordinary person (no role, or an occupation in lower case: "Alisa
    Shmelyova, metrology engineer") or asks something somewhere on the page. The
    head of the plant visited or of a company called to report ("President of
    Norilsk Nickel"), who asks nothing, keeps remarks.
    """
    public_speakers = _members_of_public(turns) if public else set()
    named: set[str] = set()  # capitalised words of turns other than the principal's
    spoke_before_questions: set[str] = set()
    questions_began = False
    journalists: set[str] = set()
    previous: str | None = None
    principal_asked = False  # the last turn was the principal's, ending in a question mark

    def _is_journalist(speaker: str) -> bool:
        if speaker in journalists:
            return True
        if speaker in spoke_before_questions:
            return False
        return _surname_matches(surname(speaker), named)

    for turn in turns:
        speaker = turn.speaker
        principal = speaker in PRINCIPALS or bool(turn.role and PRINCIPAL_ROLE.match(turn.role))
        if speaker in public_speakers and turn.kind != QUESTION:
            turn.kind = ANSWER if principal_asked else QUESTION
            questions_began = questions_began or turn.kind == QUESTION
        elif turn.kind == QUESTION:
            questions_began = True
        elif speaker and not principal and questions_began and _is_journalist(speaker):
            journalists.add(speaker)
            turn.kind, turn.role = QUESTION, turn.role or "journalist"
        if turn.kind != QUESTION and speaker and previous == QUESTION:
            turn.kind = ANSWER
        if speaker and not questions_began:
            spoke_before_questions.add(speaker)
        if turn.kind == QUESTION or (speaker and not principal and not questions_began):
            named |= set(CAPITALISED.findall(turn.text))  # askers, and the moderator
        previous = turn.kind if speaker or turn.kind == QUESTION else None
        # "…in your opinion? Tentatively.": a question at the end, a word or two after it
        principal_asked = principal and "?" in turn.text[-ASKED_AT_END:]
    return turns


def _members_of_public(turns: Sequence[Turn]) -> set[str]:
    """Speakers of a public meeting who speak as its public (see :func:`assign_kinds`)."""
    asks = {turn.speaker for turn in turns if turn.speaker and "?" in turn.text}
    found: set[str] = set()
    for turn in turns:
        speaker, role = turn.speaker, turn.role
        if not speaker or speaker in PRINCIPALS or (role and PRINCIPAL_ROLE.match(role)):
            continue
        if role and STATE_OFFICES.search(role):
            continue
        if not role or role[:1].islower() or speaker in asks:
            found.add(speaker)
    return found


# -- documents ------------------------------------------------------------------------


def _document(
    url: str,
    title: str,
    published: str | None,
    lead: list[Paragraph],
    body: list[Paragraph],
    *,
    language: str = "en",
    flags: list[str] | None = None,
) -> Document:
    """A Document from a page's parts: turns if the body is labelled, else a news report."""
    flags = list(flags or [])
    if not published:
        flags.append("no-date")
    if not body:
        flags.append("no-body")
    classify = _Classifier(interview=bool(INTERVIEW_TITLES.search(title)))
    turns = split_turns(body, classify, find_label=find_label, is_note=is_stage_direction)
    public = bool(PUBLIC_MEETING_TITLES.search(title))
    turns = [turn for turn in assign_kinds(turns, public=public) if turn.text.strip()]
    labelled = any(turn.speaker or turn.kind == QUESTION for turn in turns)
    text = "\n\n".join(p.text for p in [*lead, *body] if not SEPARATOR.match(p.text))
    return Document(
        url=url,
        title=title,
        text=clean_text(text),
        source=SOURCE,
        language=language,
        published=published,
        kind="transcript" if labelled else "news",
        turns=turns if labelled else [],
        flags=flags,
    )


def extract_kremlin_page(body: bytes | str, url: str, *, encoding: str | None = None) -> Document:
    """A Kremlin news or transcript page (or its print view) as a :class:`Document`.

    ``text`` is the lead and the body; a page whose body is empty (some
    2013 pages hold only a lead) keeps its lead and is flagged ``no-body``.
    The URL is archived without ``/print``. ``place`` has no field in
    :class:`Document`; :func:`extract_place` reads it.

    Raises:
        ExtractionError: the body is empty or not HTML, or no headline.
    """
    tree = parse_html(decode_html(body, encoding))
    if tree is None:
        raise ExtractionError(f"empty or unreadable page: {url}")
    title = extract_title(tree)
    if not title:
        raise ExtractionError(f"no headline: not a Kremlin event page: {url}")
    return _document(
        _archived_url(tree, url),
        title,
        extract_published(tree),
        _lead_paragraphs(tree),
        _body_paragraphs(tree),
        language=page_language(tree, url),
    )


# -- listings -------------------------------------------------------------------------


@dataclass
class ListingEntry:
    """An event on a listing page or in the feed: its URL, title and publication time."""

    url: str
    title: str
    published: str | None
    content: str | None = None  # the full HTML of the item (feed entries only)

    @property
    def date(self) -> date | None:
        """The day of publication, to compare with ``since``."""
        return date.fromisoformat(self.published[:10]) if self.published else None


@dataclass
class Listing:
    """A listing page: its entries in page order, and the next (older) page if there is one."""

    entries: list[ListingEntry]
    next_page: str | None = None


def parse_kremlin_listing(body: bytes | str, url: str) -> Listing:
    """Events of ``/events/president/{news,transcripts}/page/N`` or ``…/by-date/DD.MM.YYYY``.

    Entries are ``div.hentry`` items (link, ``.entry-title``, ``time``); the
    next page is the ``rel="next"`` link ("more" button, older items).
    """
    tree = parse_html(decode_html(body))
    if tree is None:
        return Listing([])
    entries: list[ListingEntry] = []
    seen: set[str] = set()
    for item in tree.cssselect(".hentry"):
        anchor = next(
            (a for a in item.iter("a") if event_id(_page_url(urljoin(url, a.get("href") or "")))),
            None,
        )
        if anchor is None:
            continue
        link = canonical_event_url(_page_url(urljoin(url, anchor.get("href") or "")))
        if link in seen:
            continue
        seen.add(link)
        title = _first_text(item, (".entry-title",)) or " ".join(element_text(anchor).split())
        published = None
        for time in item.cssselect("time.published, time"):
            published = parse_date_line(element_text(time)) or (time.get("datetime") or None)
            if published:
                break
        entries.append(ListingEntry(link, title, published))
    next_page = None
    for link in tree.xpath("//a[@rel='next'][@href] | //link[@rel='next'][@href]"):
        next_page = _page_url(urljoin(url, link.get("href")))
        break
    return Listing(entries, next_page)


# -- Atom feed ------------------------------------------------------------------------

ATOM = "{http://www.w3.org/2005/Atom}"
#: No entities, no DTD, no network, no huge trees: a feed is data, not instructions.
_FEED_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)


def parse_kremlin_feed(body: bytes | str) -> Listing:
    """Entries of the Atom feed (``…/news/feed``): URL, title, published time, full HTML.

    Raises:
        ExtractionError: the body is not a well-formed Atom document.
    """
    data = body.encode("utf-8") if isinstance(body, str) else body
    try:
        root = etree.fromstring(data, parser=_FEED_PARSER)
    except etree.XMLSyntaxError as exc:
        raise ExtractionError(f"not a well-formed feed: {exc}") from None
    if root.tag != f"{ATOM}feed":
        raise ExtractionError(f"not an Atom feed: root element {root.tag!r}")
    entries = []
    for entry in root.iter(f"{ATOM}entry"):
        link = _alternate(entry) or (entry.findtext(f"{ATOM}id") or "").strip()
        if not link:
            continue
        published = (entry.findtext(f"{ATOM}published") or "").strip()
        entries.append(
            ListingEntry(
                url=canonical_event_url(link),
                title=" ".join((entry.findtext(f"{ATOM}title") or "").split()),
                published=published[:16] or None,  # local time as the site shows it
                content=entry.findtext(f"{ATOM}content") or entry.findtext(f"{ATOM}summary"),
            )
        )
    return Listing(entries, _alternate(root, rel="next"))


def _alternate(element: _Element, rel: str = "alternate") -> str | None:
    for link in element.findall(f"{ATOM}link"):
        if (link.get("rel") or "alternate") == rel and link.get("href"):
            return link.get("href")
    return None


def feed_entry_document(entry: ListingEntry) -> Document:
    """A feed entry as a :class:`Document`, without fetching the page.

    The feed's HTML has the lead (``div.c-summary``) and the body; it lacks
    the place, and photos come as bare ``<img>``.

    Raises:
        ExtractionError: the entry carries no content.
    """
    tree = parse_html(f"<div>{entry.content}</div>") if entry.content else None
    if tree is None:
        raise ExtractionError(f"feed entry without content: {entry.url}")
    lead: list[Paragraph] = []
    for summary in tree.cssselect(".c-summary"):
        lead += paragraphs(unwrap_source_lines(summary))
        _drop(summary)
    return _document(
        entry.url,
        entry.title,
        entry.published,
        lead,
        paragraphs(unwrap_source_lines(tree)),
        language=page_language(tree, entry.url),
    )
