"""One identity per person: names, titles, roles and the registry of known figures.

Quotes name the same official in many ways ("Russian Foreign Minister Sergei Lavrov",
"Mr. Lavrov", "Sergey Lavrov"). The archive must file them under one name, so this
module strips titles and honorifics, splits roles and affiliations from the name
(:func:`parse_mention`), and maps spelling variants to the registry's canonical form
(:func:`canonical_name`). The registry ships as ``mfa_scraper/data/people.json`` and
users extend it with a file of the same shape named by ``ARCHIVE_PEOPLE``.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

REGISTRY_PATH = Path(__file__).resolve().parent.parent / "data" / "people.json"
REGISTRY_ENV = "ARCHIVE_PEOPLE"

#: Courtesy titles dropped from names; they say nothing about the office held.
HONORIFICS = (
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "sir",
    "dame",
    "lord",
    "lady",
    "h.e",
    "his excellency",
    "her excellency",
    "hon",
    "honorable",
    "honourable",
    "rev",
    "comrade",
    "madam",
    "monsieur",
    "mister",
)

#: Office words that precede a name ("Foreign Minister Wang Yi"); longest first at use.
ROLE_WORDS = (
    "president",
    "vice president",
    "prime minister",
    "deputy prime minister",
    "premier",
    "vice premier",
    "chancellor",
    "foreign minister",
    "deputy foreign minister",
    "vice foreign minister",
    "assistant foreign minister",
    "minister",
    "deputy minister",
    "defense minister",
    "defence minister",
    "interior minister",
    "foreign secretary",
    "home secretary",
    "secretary of state",
    "deputy secretary of state",
    "assistant secretary of state",
    "under secretary of state",
    "secretary of defense",
    "assistant secretary of defense",
    "defense secretary",
    "energy secretary",
    "treasury secretary",
    "secretary",
    "secretary-general",
    "secretary general",
    "state councilor",
    "state councillor",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "foreign ministry spokesperson",
    "foreign ministry spokesman",
    "foreign ministry spokeswoman",
    "state department spokesperson",
    "department spokesperson",
    "press secretary",
    "deputy press secretary",
    "white house press secretary",
    "principal deputy white house press secretary",
    "presidential press secretary",
    "presidential aide",
    "aide",
    "ambassador",
    "envoy",
    "special envoy",
    "special representative",
    "permanent representative",
    "consul general",
    "governor",
    "gov",
    "senator",
    "sen",
    "representative",
    "rep",
    "congressman",
    "congresswoman",
    "lawmaker",
    "mayor",
    "chairman",
    "chairwoman",
    "chairperson",
    "chair",
    "commission chairperson",
    "director",
    "director-general",
    "deputy director",
    "chief executive",
    "ceo",
    "general",
    "gen",
    "lt. col",
    "lt col",
    "lieutenant colonel",
    "colonel",
    "col",
    "admiral",
    "adm",
    "commander",
    "cmdr",
    "major",
    "captain",
    "capt",
    "attorney general",
    "judge",
    "justice",
    "king",
    "queen",
    "prince",
    "crown prince",
    "emir",
    "sheikh",
    "leader",
    "opposition leader",
    "national security adviser",
    "national security advisor",
    "first sea lord",
    "chief negotiator",
    "mp",
)

#: Country adjectives and names as they appear before a role, mapped to the country.
COUNTRY_ADJECTIVES = {
    "russian": "Russia", "russia": "Russia", "russia's": "Russia",
    "chinese": "China", "china": "China", "china's": "China",
    "american": "United States", "us": "United States", "u.s.": "United States",
    "united states": "United States", "u.s": "United States",
    "british": "United Kingdom", "uk": "United Kingdom", "u.k.": "United Kingdom",
    "britain's": "United Kingdom", "australian": "Australia", "japanese": "Japan",
    "french": "France", "german": "Germany", "turkish": "Turkey", "israeli": "Israel",
    "iranian": "Iran", "indian": "India", "canadian": "Canada", "ukrainian": "Ukraine",
    "syrian": "Syria", "afghan": "Afghanistan", "swedish": "Sweden", "egyptian": "Egypt",
    "palestinian": "Palestine", "jordanian": "Jordan", "austrian": "Austria",
    "pakistani": "Pakistan", "north korean": "North Korea", "south korean": "South Korea",
    "korean": "Korea", "vietnamese": "Vietnam", "philippine": "Philippines",
    "italian": "Italy", "spanish": "Spain", "polish": "Poland", "belarusian": "Belarus",
    "kazakh": "Kazakhstan", "saudi": "Saudi Arabia", "brazilian": "Brazil",
    "venezuelan": "Venezuela", "mexican": "Mexico", "european": "European Union",
    "eu": "European Union", "un": "United Nations", "nato": "NATO", "taiwan's": "Taiwan",
    "taiwanese": "Taiwan", "hong kong": "Hong Kong", "dutch": "Netherlands",
    "swiss": "Switzerland", "norwegian": "Norway", "finnish": "Finland", "danish": "Denmark",
    "greek": "Greece", "serbian": "Serbia", "cuban": "Cuba", "iraqi": "Iraq",
    "lebanese": "Lebanon", "qatari": "Qatar", "emirati": "United Arab Emirates",
    "nigerian": "Nigeria", "south african": "South Africa", "new zealand": "New Zealand",
    "singaporean": "Singapore", "thai": "Thailand", "indonesian": "Indonesia",
    "malaysian": "Malaysia", "argentine": "Argentina", "chilean": "Chile",
    "bolivian": "Bolivia", "colombian": "Colombia",
}  # fmt: skip

#: Organisation words that sit between a country and a role ("Russian Foreign Ministry
#: spokeswoman"); kept with the role so "spokeswoman" keeps its ministry.
ORG_WORDS = (
    "foreign ministry",
    "state department",
    "defense ministry",
    "defence ministry",
    "white house",
    "kremlin",
    "pentagon",
    "ministry of foreign affairs",
    "embassy",
    "foreign office",
    "treasury department",
    "justice department",
    "commerce ministry",
    "navy",
    "army",
    "military",
    "government",
    "national security council",
)

#: Name-ending generational suffixes kept as part of the name.
NAME_SUFFIXES = ("jr.", "jr", "sr.", "sr", "ii", "iii", "iv")

_TITLE_ALT = "|".join(re.escape(h) for h in sorted(HONORIFICS, key=len, reverse=True))
_ROLE_ALT = "|".join(re.escape(r) for r in sorted(ROLE_WORDS, key=len, reverse=True))
_COUNTRY_ALT = "|".join(re.escape(c) for c in sorted(COUNTRY_ADJECTIVES, key=len, reverse=True))
_ORG_ALT = "|".join(re.escape(o) for o in sorted(ORG_WORDS, key=len, reverse=True))
# One prefix step: a country, an organisation, a role (with "of X" tails such as
# "Secretary of State"), a possessive ("Britain's"), or a courtesy title.
_PREFIX_RE = re.compile(
    rf"^(?:(?P<country>(?:the\s+)?(?:{_COUNTRY_ALT}))(?=\s)"
    rf"|(?P<org>{_ORG_ALT})(?=\s)"
    rf"|(?P<role>(?:former\s+|acting\s+|deputy\s+|senior\s+|then\s+|then-)?(?:{_ROLE_ALT})\.?)(?=\s)"
    rf"|(?P<title>(?:{_TITLE_ALT})\.?)(?=\s)"
    r")\s+",
    re.IGNORECASE,
)
_WS_RE = re.compile(r"\s+")
_DESCRIPTION_RE = re.compile(r"^(?:a|an|the|one|another|two|three|several|some)\s", re.I)
_ORG_IN_TEXT_RE = re.compile(
    rf"\b(?:(?P<country>(?i:{_COUNTRY_ALT}))\b\s*)?(?P<org>(?:[A-Z][\w.&-]*\s)*(?i:{_ORG_ALT}))\b"
)
_PLAIN_NAME_RE = re.compile(r"^[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|von|van|der|al|bin)){1,3}$")
# An office's complement ("of Public Prosecution", "to the United States") before a
# name of two or three capitalised words (middle initials allowed).
_NAME_TAIL = r"[A-Z][\w'’-]+(?:\s+[A-Z]\.)?\s+[A-Z][\w'’-]+"
_ROLE_TAIL_RE = re.compile(rf"^((?:of|to|for|at|in)\s+(?:the\s+)?.+?)\s+(?={_NAME_TAIL}$)")
_FOLD_END_RE = re.compile(r"(?:ey|ei|iy|yi|y|i)$")
#: Tokens of a folded name: Latin letters and digits, Cyrillic, Han. Other characters
#: (spaces, dots of initials, the middle dot of "唐纳德·特朗普") separate tokens.
_FOLD_TOKEN_RE = re.compile(r"[a-z0-9]+|[\u0430-\u044f]+|[\u3400-\u9fff\uf900-\ufaff]+")
#: Russian case endings, stripped (repeatedly) so that Лавров, Лаврова and Лавровым, or
#: Захарова and Захаровой, share a key. Run on NFKD-folded text, where й is и.
_CYRILLIC_END_RE = re.compile(r"(?:[аеиоуыэюяь]|[аеиоы]м|[ая]ми|[ая]х|[ое]г[ое]|[ое]му)+$")


@dataclass
class Mention:
    """How a text refers to someone: the name, and the office and affiliation around it."""

    name: str
    role: str | None = None
    org: str | None = None


@dataclass
class Person:
    """A registry entry: the canonical spelling, its variants and the offices held."""

    name: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    gender: str | None = None
    roles: list[dict] = field(default_factory=list)


@lru_cache(maxsize=65536)  # the quote engine looks up the same names thousands of times
def _fold(name: str) -> str:
    """Key under which transliteration and order variants of one name meet.

    Accents, case and token order are dropped and Russian endings folded
    (Sergei/Sergey, Dmitri/Dmitry, Yuri/Yury), so "Lijian Zhao" and "Zhao Lijian"
    or "Sergei Lavrov" and "Sergey Lavrov" share a key.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(sorted(_fold_token(t) for t in _FOLD_TOKEN_RE.findall(text)))


def _fold_token(token: str) -> str:
    """One token's key: Latin transliteration endings or Russian case endings folded."""
    if len(token) <= 3:
        return token
    if "a" <= token[0] <= "z" or token[0].isdigit():
        return _FOLD_END_RE.sub("i", token)
    if "\u0430" <= token[0] <= "\u044f":
        return cyrillic_stem(token)
    return token


def cyrillic_stem(token: str) -> str:
    """A Russian word without its case ending, for matching inflected names.

    Names in running Russian text inflect ("по словам Лаврова", "с Путиным"); the
    registry holds the nominative. Stripping the ending on both sides lets them meet.
    The stem keeps at least three letters, so short names (Ван, Мао) stay whole.
    """
    stem = _CYRILLIC_END_RE.sub("", token.lower())
    return stem if len(stem) >= 3 else token.lower()


class Registry:
    """Lookup of known people by any alias, spelling variant or order of their name."""

    def __init__(self, people: Iterable[Person] = ()) -> None:
        self.people: dict[str, Person] = {}
        self._by_key: dict[str, Person] = {}
        self.canonical_cache: dict[str, str] = {}
        for person in people:
            self.add(person)

    def add(self, person: Person) -> None:
        """Add or merge an entry; a user file may add aliases to a shipped person."""
        self.canonical_cache.clear()
        known = self._by_key.get(_fold(person.name))
        if known is not None and known.name != person.name and person.name not in known.aliases:
            known.aliases.append(person.name)
        target = known or person
        if known is not None:
            for alias in person.aliases:
                if alias not in target.aliases:
                    target.aliases.append(alias)
            target.roles.extend(r for r in person.roles if r not in target.roles)
        self.people[target.name] = target
        for variant in [target.name, *target.aliases]:
            self._by_key.setdefault(_fold(variant), target)

    def lookup(self, name: str) -> Person | None:
        """The person known under ``name`` (any alias or variant), or ``None``."""
        return self._by_key.get(_fold(name)) if name else None


def _read_people(path: Path) -> list[Person]:
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = data["people"] if isinstance(data, dict) else data
    return [
        Person(
            name=row["name"],
            aliases=list(row.get("aliases", [])),
            country=row.get("country"),
            gender=row.get("gender"),
            roles=list(row.get("roles", [])),
        )
        for row in rows
    ]


def load_registry(extra: Path | None = None) -> Registry:
    """Read the shipped registry plus ``extra`` or the file named by ``ARCHIVE_PEOPLE``.

    Args:
        extra: a JSON file with the same shape as ``mfa_scraper/data/people.json``
            (``{"people": [...]}`` or a bare list); entries merge with shipped ones.
    """
    registry = Registry(_read_people(REGISTRY_PATH))
    paths = [extra] if extra else []
    env = os.environ.get(REGISTRY_ENV)
    if env:
        paths.append(Path(env))
    for path in paths:
        for person in _read_people(Path(path)):
            registry.add(person)
    return registry


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The registry built once per process (shipped data plus ``ARCHIVE_PEOPLE``)."""
    return load_registry()


def _fix_case(name: str) -> str:
    if name.isupper() or name.islower():
        return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())
    return name


def strip_titles(name: str) -> str:
    """Drop courtesy titles and offices in front of a name ("Mr. Lavrov" → "Lavrov")."""
    return parse_mention(name, canonical=False).name


def canonical_name(name: str, registry: Registry | None = None) -> str:
    """One spelling per person: titles stripped, spacing and case fixed, variants mapped.

    Args:
        name: a name as written, possibly with titles ("H.E. Mr. Sergei Lavrov").
        registry: where canonical spellings come from; the default registry if omitted.
    """
    registry = registry or default_registry()
    cached = registry.canonical_cache.get(name)
    if cached is not None:
        return cached
    result = _canonical_name(name, registry)
    if len(registry.canonical_cache) < 50_000:
        registry.canonical_cache[name] = result
    return result


def _canonical_name(name: str, registry: Registry) -> str:
    cleaned = _fix_case(_WS_RE.sub(" ", strip_titles(name or "")).strip(" ,;:"))
    if cleaned.endswith(".") and cleaned.split()[-1].lower() not in NAME_SUFFIXES:
        cleaned = cleaned[:-1]
    if not cleaned:
        return ""
    person = registry.lookup(cleaned)
    return person.name if person else cleaned


def aliases_of(name: str, registry: Registry | None = None) -> list[str]:
    """Every spelling the registry knows for ``name``'s person, canonical first."""
    person = (registry or default_registry()).lookup(canonical_name(name, registry))
    if person is None:
        return [canonical_name(name, registry)] if name else []
    swapped = []
    if person.country == "China" and len(person.name.split()) == 2:
        family, given = person.name.split()
        swapped.append(f"{given} {family}")
    out = [person.name]
    for alias in [*person.aliases, *swapped]:
        if alias not in out:
            out.append(alias)
    return out


def parse_mention(
    text: str, *, canonical: bool = True, registry: Registry | None = None
) -> Mention:
    """Split "Russian Foreign Minister Sergei Lavrov" into name, role and country.

    Prefixes are peeled off left to right: country adjectives and possessives give
    ``org``; office words (and organisation words before them) give ``role``;
    courtesy titles are dropped. What remains is the name, made canonical unless
    ``canonical`` is false. An appositive after a comma ("Zippy Duvall, the president
    of the American Farm Bureau") gives the role when nothing precedes the name.
    """
    rest = _WS_RE.sub(" ", text or "").strip(" ,;:")
    role_parts: list[str] = []
    org: str | None = None
    appositive = None
    if _DESCRIPTION_RE.match(rest) and "," not in rest:
        return _describe(rest, [], None)
    if "," in rest:
        rest, appositive = (p.strip() for p in rest.split(",", 1))
        # "Sweden's deputy director of public prosecutions, Eva-Marie Persson"
        if _PLAIN_NAME_RE.match(appositive) and not _PLAIN_NAME_RE.match(rest):
            head = parse_mention(appositive, canonical=canonical, registry=registry)
            poss = re.match(r"^(?:the\s+)?([A-Z][\w.]*(?: [A-Z][\w.]*)?)['’]s\s+", rest)
            role = rest[poss.end() :] if poss else re.sub(r"^(?:the|a|an)\s+", "", rest)
            where = poss.group(1) if poss else None
            return Mention(head.name, head.role or role or None, head.org or where)
    while True:
        m = _PREFIX_RE.match(rest)
        if not m:
            break
        if m.group("country"):
            key = m.group("country").lower().removeprefix("the ").strip()
            org = org or COUNTRY_ADJECTIVES.get(key)
        elif m.group("org"):
            role_parts.append(m.group("org"))
        elif m.group("role"):
            role_parts.append(m.group("role").rstrip("."))
        rest = rest[m.end() :]
    # "Britain's First Sea Lord" and "Taiwan's" style possessive countries.
    poss = re.match(r"^([A-Z][\w.]*(?: [A-Z][\w.]*)?)['’]s\s+", rest)
    if poss and role_parts == [] and _PREFIX_RE.match(rest[poss.end() :]):
        inner = parse_mention(rest[poss.end() :], canonical=canonical, registry=registry)
        return Mention(inner.name, inner.role, inner.org or poss.group(1))
    if _DESCRIPTION_RE.match(rest):
        return _describe(rest, role_parts, org)
    # "Ambassador to the United States Cui Tiankai": the role's tail runs up to the name.
    tail = _ROLE_TAIL_RE.match(rest)
    if tail and role_parts:
        role_parts.append(tail.group(1))
        rest = rest[tail.end() :]
    elif role_parts and re.match(r"(?:of|to|for|at|in)\s", rest):
        role_parts.append(rest)  # "ambassador to Britain": all office, no name
        rest = ""
    name = rest.strip(" ,;:")
    if name.endswith(".") and name.split()[-1].lower() not in NAME_SUFFIXES:
        name = name[:-1]
    if role_parts and name.lower() in {r.lower() for r in ROLE_WORDS}:
        role_parts.append(name)
        name = ""
    role = " ".join(role_parts) or None
    if role is None and appositive:
        role = re.sub(r"^(?:the|a|an)\s+", "", appositive, flags=re.I) or None
    if canonical and name:
        name = canonical_name(name, registry)
    if org is None and name and canonical:
        person = (registry or default_registry()).lookup(name)
        if person is not None and role is not None:
            org = person.country
    return Mention(name=name, role=role, org=org)


def _describe(text: str, role_parts: list[str], org: str | None) -> Mention:
    """An unnamed speaker ("a State Department spokesperson") kept as written."""
    found = _ORG_IN_TEXT_RE.search(text)
    if found and org is None:
        country = found.group("country")
        org = found.group("org").strip()
        if country and org.lower() in {o for o in ORG_WORDS}:
            org = f"{country} {org}"
    role = " ".join(role_parts) or None
    return Mention(name=text.strip(" ,;:."), role=role, org=org)


def _short_key(token: str) -> str:
    """Key of a first or last name: lowercase, Russian case endings dropped ("Петрова")."""
    low = token.lower()
    return cyrillic_stem(low) if "\u0430" <= low[:1] <= "\u044f" else low


class PeopleIndex:
    """Who has been named so far in one document, to resolve short mentions.

    "Xi" resolves to "Xi Jinping" once the document (or its title, passed as
    context) has named him; "Volker" to "Kurt Volker". Short names not seen in
    the document fall back to registry aliases ("Pompeo" → "Mike Pompeo").
    """

    def __init__(self, registry: Registry | None = None, context: Iterable[str] = ()) -> None:
        self.registry = registry or default_registry()
        self._short: dict[str, str] = {}
        for name in context:
            self.add(canonical_name(name, self.registry))

    def add(self, full_name: str) -> None:
        """Record a full name so its first and last tokens resolve to it."""
        tokens = full_name.split()
        if len(tokens) < 2:
            return
        core = [t for t in tokens if t.lower().rstrip(".") not in NAME_SUFFIXES]
        for token in {core[0], core[-1]}:
            key = _short_key(token)
            if len(key) > 1 and key not in self._short:
                self._short[key] = full_name

    def resolve(self, name: str) -> str:
        """The full canonical name behind ``name`` as used in this document."""
        name = canonical_name(name, self.registry)
        if not name:
            return name
        if " " not in name:
            full = self._short.get(_short_key(name))
            if full:
                return full
        person = self.registry.lookup(name)
        return person.name if person else name

    def gender(self, name: str) -> str | None:
        """``m``/``f`` when the registry knows it; used to match he/she."""
        person = self.registry.lookup(name)
        return person.gender if person else None
