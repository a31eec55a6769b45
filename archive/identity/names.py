"""Names as written → one canonical name, with the office and country split off.

"Russian Foreign Minister Sergei Lavrov", "Mr. Lavrov" and "H.E. Sergey Lavrov" are one person.
:func:`parse_mention` peels countries, offices and courtesy titles off a mention;
:func:`canonical_name` maps what is left to the registry's spelling (:mod:`.registry`). The word
lists (titles, offices, organisations, countries) are data files beside this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from archive.identity.registry import Registry, default_registry
from archive.wordlists import read_table, read_words

_HERE = Path(__file__).resolve().parent


def word_list(name: str) -> tuple[str, ...]:
    """The entries of ``<name>.txt`` beside this module."""
    return read_words(_HERE / f"{name}.txt")


#: Courtesy titles dropped from names; they say nothing about the office held.
HONORIFICS = word_list("honorifics")
#: Office words that precede a name ("Foreign Minister Wang Yi"); longest first at use.
ROLE_WORDS = word_list("role_words")
#: The same, lowercased, for membership tests (built once, not per parsed mention).
_ROLE_WORDS_LOWER = frozenset(r.lower() for r in ROLE_WORDS)
#: Country adjectives and names as they appear before a role, mapped to the country.
COUNTRY_ADJECTIVES = read_table(_HERE / "countries.tsv")
#: Organisation words that sit between a country and a role ("Russian Foreign Ministry
#: spokeswoman"); kept with the role so "spokeswoman" keeps its ministry.
ORG_WORDS = word_list("org_words")
_ORG_WORD_SET = frozenset(ORG_WORDS)

#: Name-ending generational suffixes kept as part of the name.
NAME_SUFFIXES = ("jr.", "jr", "sr.", "sr", "ii", "iii", "iv")

_TITLE_ALT = "|".join(re.escape(h) for h in sorted(HONORIFICS, key=len, reverse=True))
_ROLE_ALT = "|".join(re.escape(r) for r in sorted(ROLE_WORDS, key=len, reverse=True))
_COUNTRY_ALT = "|".join(re.escape(c) for c in sorted(COUNTRY_ADJECTIVES, key=len, reverse=True))
_ORG_ALT = "|".join(re.escape(o) for o in sorted(ORG_WORDS, key=len, reverse=True))


def _case_blind_trie(words: Iterable[str]) -> str:
    """For a case-blind pattern: the alternation of ``words`` longest first (as the ``_ALT``
    strings above), written as a trie of their lowercase forms ("minist(?:ers?|ry)").

    Under ``re.IGNORECASE`` two distinct lowercase characters never match the same one, so at
    most one branch of a node can match, and each node tries its longer continuations before
    ending: the candidate words are tried in the same order, longest first, as the plain
    alternation, which ``re`` tries one word after another at every attempt."""
    tree: dict = {}
    for word in sorted({w.lower() for w in words}):
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        branches = [re.escape(ch) + walk(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return walk(tree)


# One prefix step: a country, an organisation, a role (with "of X" tails such as
# "Secretary of State"), a possessive ("Britain's"), or a courtesy title.
_PREFIX_RE = re.compile(
    rf"^(?:(?P<country>(?:the\s+)?(?:{_case_blind_trie(COUNTRY_ADJECTIVES)}))(?=\s)"
    rf"|(?P<org>{_case_blind_trie(ORG_WORDS)})(?=\s)"
    r"|(?P<role>(?:former\s+|acting\s+|deputy\s+|senior\s+|then\s+|then-)?"
    rf"(?:{_case_blind_trie(ROLE_WORDS)})\.?)(?=\s)"
    rf"|(?P<title>(?:{_case_blind_trie(HONORIFICS)})\.?)(?=\s)"
    r")\s+",
    re.IGNORECASE,
)

_WS_RE = re.compile(r"\s+")
#: parse_mention's smaller patterns, compiled once rather than looked up per call.
_THE_POSSESSIVE_RE = re.compile(r"^(?:the\s+)?([A-Z][\w.]*(?: [A-Z][\w.]*)?)['’]s\s+")
_POSSESSIVE_RE = re.compile(r"^([A-Z][\w.]*(?: [A-Z][\w.]*)?)['’]s\s+")
_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+")
_COMPLEMENT_RE = re.compile(r"(?:of|to|for|at|in)\s")

_DESCRIPTION_RE = re.compile(r"^(?:a|an|the|one|another|two|three|several|some)\s", re.I)

_ORG_IN_TEXT_RE = re.compile(
    rf"\b(?:(?P<country>(?i:{_COUNTRY_ALT}))\b\s*)?(?P<org>(?:[A-Z][\w.&-]*\s)*(?i:{_ORG_ALT}))\b"
)

_PLAIN_NAME_RE = re.compile(r"^[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|de|von|van|der|al|bin)){1,3}$")

# An office's complement ("of Public Prosecution", "to the United States") before a
# name of two or three capitalised words (middle initials allowed).
_NAME_TAIL = r"[A-Z][\w'’-]+(?:\s+[A-Z]\.)?\s+[A-Z][\w'’-]+"

_ROLE_TAIL_RE = re.compile(rf"^((?:of|to|for|at|in)\s+(?:the\s+)?.+?)\s+(?={_NAME_TAIL}$)")


@dataclass
class Mention:
    """How a text refers to someone: the name, and the office and affiliation around it."""

    name: str
    role: str | None = None
    org: str | None = None


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
            poss = _THE_POSSESSIVE_RE.match(rest)
            role = rest[poss.end() :] if poss else _ARTICLE_RE.sub("", rest)
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
    poss = _POSSESSIVE_RE.match(rest)
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
    elif role_parts and _COMPLEMENT_RE.match(rest):
        role_parts.append(rest)  # "ambassador to Britain": all office, no name
        rest = ""
    name = rest.strip(" ,;:")
    if name.endswith(".") and name.split()[-1].lower() not in NAME_SUFFIXES:
        name = name[:-1]
    if role_parts and name.lower() in _ROLE_WORDS_LOWER:
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
        if country and org.lower() in _ORG_WORD_SET:
            org = f"{country} {org}"
    role = " ".join(role_parts) or None
    return Mention(name=text.strip(" ,;:."), role=role, org=org)
