"""Who speaks on a state.gov page: signatories, participants, and transcript labels.

A readout is "attributable to Spokesperson X"; a feed's ``dc:creator`` names one or several
people with their offices, and the lines a feed body opens with list the participants; a
transcript labels turns "SECRETARY RUBIO:" or "DEPUTY PRIME MINISTER TAJANI:". This module turns
all of these into full names with their offices, for :mod:`.state` to build the turns with.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from archive.identity.names import HONORIFICS, ROLE_WORDS
from archive.identity.registry import default_registry
from mfa_scraper.items import ANSWER, QUESTION, REMARK
from mfa_scraper.page.turns import Label

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
        person, title = name_after_office(name or "")
        # "Ambassador Mike Waltz, U.S. Representative…": the name without its title
        return (person if person and title else name or line), role
    name, role = name_after_office(line)
    return (name, role) if name else (line, None)


def name_after_office(text: str) -> tuple[str | None, str | None]:
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
    lines, rest = spell_creator(creator, header)
    found = [person_in_line(line) for line in lines]
    parts = [part.strip() for part in GLUED_BUREAU.sub(", ", rest).split(",") if part.strip()]
    stated = False  # whether the last participant's role was given after a comma
    for part in parts:
        name, role = name_after_office(part)
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


def spell_creator(creator: str | None, lines: Sequence[str]) -> tuple[list[str], str]:
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


def title_case(words: Sequence[str]) -> str:
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


def tokens_of(name: str) -> list[str]:
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
            return title_case(words), None  # a full name: "JOHN SMITH"
        role = title_case(title) if title and not courtesy else None
        known = self._participant(surname)
        if known:
            return known[0], known[1] or role
        if surname in KNOWN_OFFICIALS:
            return KNOWN_OFFICIALS[surname]
        person = default_registry().lookup(title_case([surname]))
        if person is not None and tokens_of(person.name)[-1:] == tokens_of(surname)[-1:]:
            return person.name, role
        return title_case(surname.split()), role

    def _participant(self, surname: str) -> tuple[str, str | None] | None:
        """The participant whose surname this is (a family name may come first: "Motegi
        Toshimitsu"); the last word of a name is tried before the others."""
        key = tokens_of(surname)
        for position in (-1, None):
            for name, role in self.participants:
                tokens = tokens_of(name)
                if position == -1 and tokens[-len(key) :] == key:
                    return name, role
                if position is None and all(k in tokens for k in key):
                    return name, role
        return None
