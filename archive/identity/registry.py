"""The registry of known people: one entry per person, every spelling that names them.

Quotes name the same official in many ways ("Sergei Lavrov", "Sergey Lavrov", "Лавров",
"Lijian Zhao"). The registry maps each variant, in any order, transliteration or Russian case,
to one entry whose first spelling is canonical. It ships as ``archive/identity/people.json``
and users extend it with a file of the same shape named by ``ARCHIVE_PEOPLE``.

Both sides of the project read it: the crawler files speakers under their canonical name, and
search finds a person by any of their names. That is why it lives here, below both.
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

REGISTRY_PATH = Path(__file__).resolve().parent / "people.json"
REGISTRY_ENV = "ARCHIVE_PEOPLE"

_FOLD_END_RE = re.compile(r"(?:ey|ei|iy|yi|y|i)$")

#: Tokens of a folded name: Latin letters and digits, Cyrillic, Han. Other characters
#: (spaces, dots of initials, the middle dot of "唐纳德·特朗普") separate tokens.
_FOLD_TOKEN_RE = re.compile(r"[a-z0-9]+|[\u0430-\u044f]+|[\u3400-\u9fff\uf900-\ufaff]+")

#: Russian case endings, stripped (repeatedly) so that Лавров, Лаврова and Лавровым, or
#: Захарова and Захаровой, share a key. Run on NFKD-folded text, where й is и.
_CYRILLIC_END_RE = re.compile(r"(?:[аеиоуыэюяь]|[аеиоы]м|[ая]ми|[ая]х|[ое]г[ое]|[ое]му)+$")


@dataclass
class Person:
    """A registry entry: the canonical spelling, its variants and the offices held."""

    name: str
    aliases: list[str] = field(default_factory=list)
    country: str | None = None
    gender: str | None = None
    roles: list[dict] = field(default_factory=list)


@lru_cache(maxsize=65536)  # the quote engine looks up the same names thousands of times
def fold_name(name: str) -> str:
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
        known = self._by_key.get(fold_name(person.name))
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
            key = fold_name(variant)
            if key:  # a spelling in a script not folded (Hangul, Arabic) has no key
                self._by_key.setdefault(key, target)

    def lookup(self, name: str) -> Person | None:
        """The person known under ``name`` (any alias or variant), or ``None``.

        A name with no Latin, Cyrillic or Han letter folds to nothing and names nobody.
        """
        key = fold_name(name) if name else ""
        return self._by_key.get(key) if key else None


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
        extra: a JSON file with the same shape as ``archive/identity/people.json``
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
