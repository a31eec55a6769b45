"""What an English speaker phrase holds besides the speaker, and where a name is no name.

A subject phrase carries more than who speaks: the place that comes with a name ("Consul
General in Osaka, Xue Jian", "Sen. Joe Manchin of West Virginia"), the body an office belongs to
("the official representative of the Russian Foreign Ministry"), the country a title gives
("Iranian Foreign Minister"). And a Title Case headline makes capitalised runs that are no names
("Spicer Shuts Down Questions"). Pure functions over the vocabularies, used by :mod:`.entities`.
"""

from __future__ import annotations

import re

from archive.identity.places import COUNTRIES, PLACES, country_of
from mfa_scraper.attribution.en.cues import OFFICE_NOUNS, SPEAKER_NOUNS
from mfa_scraper.attribution.en.names import (
    BODY_NOUNS,
    OF_WORDS,
    ROLE_TOKENS,
    body_kind,
    ends_in_name,
)

#: Heads of a definite description that stand for a person the story named ("the minister",
#: "the Russian leader"); other heads ("the doctor", "the source") stay unnamed sources.
OFFICE_HEADS = (
    OFFICE_NOUNS
    | ROLE_TOKENS
    | frozenset(
        "leader chief head boss diplomat politician veteran strongman premier official nominee "
        "candidate challenger incumbent frontrunner".split()
    )
)
#: "the 35-year-old" as the head of a description: a person.
YEARS_OLD_RE = re.compile(r"\d+-year-old$")

#: "Joe Manchin of West Virginia": a name, then where the person is from or serves.
_NAME_OF_PLACE_RE = re.compile(r"^(.*\S)\s+of\s+(?:the\s+)?([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*)$")


def person_of_body(words: list[str]) -> bool:
    """Whether a phrase describes a person by an office in a body: "the official representative
    of the Russian Foreign Ministry", "The former head of Ukraine's Foreign Ministry" (a
    lowercase person noun before "of"), not "the Ministry of Foreign Affairs"."""
    k = next((k for k, w in enumerate(words) if k and w in OF_WORDS), 0)
    if not k or not words[k - 1][:1].islower() or body_kind(" ".join(words[k + 1 :])) is None:
        return False  # "China's ambassador to Britain Liu Xiaoming" ends in a name
    head = words[k - 1].lower()
    return head in OFFICE_HEADS or head in SPEAKER_NOUNS and head not in BODY_NOUNS


def adjective(word: str) -> bool:
    """A nationality adjective ("iranian", "chinese"), not a country's or a body's name ("israel",
    "un"): the country a title gives its holder, not the one he is posted to."""
    return len(word) > 3 and COUNTRIES[word].lower() != word


def _is_place(words: str) -> bool:
    return bool(country_of(words)) or words.lower() in PLACES


def without_dateline(phrase: str) -> str:
    """A subject without the dateline that opens its paragraph: "MANILA The Philippine Foreign
    Ministry" is the ministry (a city in capitals, then the sentence)."""
    head, _, rest = phrase.partition(" ")
    capitals = len(head) >= 3 and head.isupper() and head.isalpha() and rest[:1].isupper()
    if capitals and (country_of(head.title()) or head.lower() in PLACES):
        return rest
    return phrase


def without_home(phrase: str) -> str:
    """A subject phrase without the place that comes with the name: "Consul General in Osaka,
    Xue Jian" is Xue Jian, "Sen. Joe Manchin of West Virginia" is Joe Manchin; a place word left
    at either end was read as the speaker."""
    if "," in phrase:
        head, _, tail = phrase.rpartition(",")
        last = head.split()[-1:] if head.split() else []
        if tail.strip()[:1].isupper() and last and _is_place(last[0]):
            return tail.strip()
    # the pattern backtracks over the whole phrase; without an "of" it cannot match
    m = _NAME_OF_PLACE_RE.match(phrase) if "of" in phrase else None
    head = m.group(1) if m else ""
    person = head and body_kind(head) is None and head.split()[-1].lower() not in ROLE_TOKENS
    if person and ends_in_name(head.split()):
        tail = m.group(2)
        if _is_place(tail) or _is_place(tail.split()[-1]):
            return m.group(1)
    return phrase


def title_case_line(text: str, pos: int) -> tuple[bool, int]:
    """Whether ``pos`` lies in a headline set in Title Case (a line of four words or more, most
    of them capitalised, with no sentence end), and where that line ends. Capitalised runs
    there swallow the verbs and nouns after a name ("Spicer Shuts Down Questions"), so they are
    not read as names; the body names the same people in sentence case."""
    lo = text.rfind("\n", 0, pos) + 1
    hi = text.find("\n", pos)
    hi = hi if hi >= 0 else len(text)
    line = text[lo:hi].rstrip()
    if line[-1:] in '.!?"”':
        return False, hi
    words = line.split()
    caps = sum(1 for w in words if w[:1].isupper())
    return len(words) >= 4 and caps * 4 >= len(words) * 3, hi
