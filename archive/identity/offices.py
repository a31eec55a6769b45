"""Who held an office on a day: "President of Russia" on a page of 2020 is Vladimir Putin,
and "Pelosi" on a page of 2020 is Nancy Pelosi.

A quotation is often given to an office rather than a name ("the Russian president said",
"Australia's foreign minister told reporters"), and an office's words are its holder's: the
archive files them under the person, so that a search for the person finds them. The
registry's people carry their offices with dates (:mod:`.registry`); this module reads an
office and a country out of a description and asks the registry who held that office then.

Only a description that names one office, and that one person held on the day, is resolved:
"the foreign minister" without a country, a spokesperson among several, a day outside every
term, or a description with words other than the office and country stays a description.

A surname alone ("Pelosi said") is resolved the same way when the document gave no fuller name
(the attribution engine resolves those): to the one registry person of that family name who
held an office that day. "Johnson" is Boris Johnson on a page of 2020, and nobody on a page of
2010; a family name two people in office share stays as written.
"""

from __future__ import annotations

import re
from pathlib import Path

from archive.identity.names import COUNTRY_ADJECTIVES
from archive.identity.registry import Person, Registry, default_registry, fold_name
from archive.wordlists import read_table

#: Ways an office is written → the office as the registry's roles name it.
OFFICES = read_table(Path(__file__).resolve().parent / "offices.tsv")

#: Country adjectives and names ("Russian", "US", "Venezuela"), lower case → the country.
COUNTRY_FORMS = COUNTRY_ADJECTIVES | {v.lower(): v for v in COUNTRY_ADJECTIVES.values()}
_COUNTRY_ALT = "|".join(re.escape(c) for c in sorted(COUNTRY_FORMS, key=len, reverse=True))
#: A country before the office ("Russian", "Russia's", "the US") or after it ("of Russia").
_COUNTRY_BEFORE_RE = re.compile(rf"^(?:the\s+)?(?P<country>{_COUNTRY_ALT})(?:['’]s)?\s+", re.I)
_COUNTRY_AFTER_RE = re.compile(rf"\s+of\s+(?:the\s+)?(?P<country>{_COUNTRY_ALT})$", re.I)
_LEADING_RE = re.compile(r"^(?:the|a|an|then|then-|current)\s+", re.I)


def read_office(description: str) -> tuple[str, str | None] | None:
    """``(office, country)`` of a description that is an office and nothing else, or ``None``.

    "President of Russia", "the Russian President" and "Russia's president" all give
    ``("President", "Russia")``; "UN Secretary-General" gives its office and no country.
    "senior US official" or "former president" are no single office.
    """
    text = " ".join((description or "").split()).strip(" ,.;:")
    text = _LEADING_RE.sub("", text)
    if text.lower() in OFFICES:  # an office of an organisation: "UN Secretary-General"
        return OFFICES[text.lower()], None
    country = None
    for pattern in (_COUNTRY_BEFORE_RE, _COUNTRY_AFTER_RE):
        found = pattern.search(text)
        if found:
            country = COUNTRY_FORMS.get(found.group("country").lower())
            text = (text[: found.start()] + text[found.end() :]).strip()
            break
    office = OFFICES.get(text.lower())
    return (office, country) if office else None


def office_holder(
    description: str, day: str | None, registry: Registry | None = None
) -> Person | None:
    """The one registry person who held the office ``description`` names on ``day``.

    Args:
        description: how the text names the speaker ("President of Russia").
        day: the document's date, ISO (``YYYY-MM-DD``; a month or year is too vague).
        registry: the default registry if omitted.
    """
    if not day or len(day) < 10:
        return None
    read = read_office(description)
    if read is None:
        return None
    office, country = read
    registry = registry or default_registry()
    holders = [
        person
        for person in registry.people.values()
        if (country is None or person.country == country)
        and any(_held(role, office, day) for role in person.roles)
    ]
    return holders[0] if len(holders) == 1 else None


def _held(role: dict, office: str, day: str) -> bool:
    """Whether ``role`` is ``office`` and ran on ``day`` (ISO strings of any precision compare
    as dates: "2013" ≤ "2013-05-01" < "2014")."""
    if role.get("role") != office or not role.get("start"):
        return False
    return _within(role, day)


#: Countries whose people's names are written family name first in English (Xi Jinping, Moon
#: Jae-in, Hun Sen). Their family names are few and shared by millions ("Li", "Wang", "Kim"):
#: never resolved alone. Elsewhere the family name is the last word (Nancy Pelosi).
FAMILY_NAME_FIRST = frozenset(
    {"China", "South Korea", "North Korea", "Singapore", "Cambodia", "Vietnam", "Taiwan"}
)


def surname_holder(
    surname: str, day: str | None, registry: Registry | None = None
) -> Person | None:
    """The one registry person whose family name is ``surname`` and who held an office on
    ``day`` (ISO date), or ``None``."""
    words = (surname or "").split()
    if len(words) != 1 or len(words[0]) < 3 or not day or len(day) < 10:
        return None
    key = fold_name(words[0].rstrip("'’").removesuffix("'s").removesuffix("’s"))
    if not key:
        return None
    registry = registry or default_registry()
    found = [
        person
        for person in registry.people.values()
        if person.country not in FAMILY_NAME_FIRST
        and fold_name(_family_name(person)) == key
        and any(role.get("start") and _within(role, day) for role in person.roles)
    ]
    return found[0] if len(found) == 1 else None


def _family_name(person: Person) -> str:
    return person.name.split()[-1]


def _within(role: dict, day: str) -> bool:
    end = role.get("end")
    return role["start"] <= day and (end is None or day < end)
