"""Who an English document names: people, and the names inside capitalised runs.

:class:`_Resolver` scans the names outside quotation marks once per document and resolves a
speaker phrase ("the Russian leader", "he", "Xi") to the person it means.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from archive.identity.names import COUNTRY_ADJECTIVES, parse_mention
from archive.wordlists import read_words
from mfa_scraper.attribution.en.cues import (
    OFFICE_NOUNS,
    PRONOUNS,
    sentence_bounds,
)
from mfa_scraper.attribution.mentions import PeopleIndex
from mfa_scraper.attribution.quotemarks import Span

_WORDS = Path(__file__).resolve().parent

NAME_RE = re.compile(
    r"\b[A-Z][a-z][\w'’-]*(?:\s+(?:[A-Z]\.\s+)?(?:al-|bin\s+|de\s+|von\s+der\s+|van\s+)?"
    r"[A-Z][\w'’-]*){0,5}"
)


#: Capitalised words that begin or belong to names of things, not people.
NOT_NAME_WORDS = frozenset(read_words(_WORDS / "not_name_words.txt"))


_PARTICLES = frozenset(["de", "von", "van", "der", "al", "bin", "la", "da", "del", "du"])


_NOT_OFFICE = frozenset(["statement", "office", "ministry", "department", "agency", "report"])


#: Office words inside a capitalised run ("AU Commission Chairperson Faki").
_ROLE_TOKENS = frozenset(read_words(_WORDS / "role_tokens.txt"))


_COUNTRY_WORDS = frozenset(
    w for k, v in COUNTRY_ADJECTIVES.items() for w in (k.title(), v) if " " not in w
) | {"US", "U.S.", "UK", "U.K.", "UN", "EU", "Britain", "Washington", "Moscow", "Beijing"}


@dataclass
class _Mention:
    pos: int
    name: str
    strong: bool  # titled, registered or full two-word name
    subject: bool  # first person named in its sentence


@lru_cache(maxsize=16384)
def _name_words(run: str) -> tuple[str, bool]:
    """The name inside a capitalised run, and whether an office word titled it.

    "Foreign Minister Wang Yi" gives ("Wang Yi", True). Pure in ``run``, and the same
    runs ("China", "Chinese", the spokesperson's name) recur on every page: cached.
    """
    words = run.split()
    titled = False
    cut = [k for k, w in enumerate(words) if w.rstrip(".") in NOT_NAME_WORDS
           or w in _COUNTRY_WORDS or w.endswith(("'s", "’s"))
           or w.lower().rstrip(".") in _ROLE_TOKENS]  # fmt: skip
    if cut:
        titled = any(words[k].lower().rstrip(".") in _ROLE_TOKENS for k in cut)
        words = words[cut[-1] + 1 :]
    return " ".join(words), titled


class _Resolver:
    """Turns a surface phrase into (speaker, role, org), remembering the document so far."""

    def __init__(self, text: str, people: PeopleIndex, spans: list[Span]) -> None:
        self.people = people
        self.text = text
        self.spans = spans
        self._mentions: list[_Mention] | None = None
        self.last_person: str | None = None
        self.last_speaker: str | None = None

    @property
    def mentions(self) -> list[_Mention]:
        """People named outside quotes, in order; scanned on first use.

        Most texts with quote marks hold no statement (scare quotes, titles), and the
        scan resolves every capitalised run of the text: it is the engine's largest
        cost, so it runs only once a quote needs a speaker resolved.
        """
        return self.scan()

    @property
    def first_person(self) -> str | None:
        """The first person the text names outside quotes."""
        return self.mentions[0].name if self.mentions else None

    def scan(self) -> list[_Mention]:
        """Name mentions outside quotes, found once; full names teach the index short forms."""
        if self._mentions is None:
            self._mentions = self._find_mentions()
        return self._mentions

    def _find_mentions(self) -> list[_Mention]:
        text = self.text
        mentions: list[_Mention] = []
        bounds = sentence_bounds(text)
        quoted = [(s.open_mark, s.close_mark) for s in self.spans]
        q = 0
        last_sentence = -1
        resolve, add, lookup = self.people.resolve, self.people.add, self.people.registry.lookup
        for m in NAME_RE.finditer(text):
            start = m.start()
            while q < len(quoted) and quoted[q][1] < start:
                q += 1
            if q < len(quoted) and quoted[q][0] <= start <= quoted[q][1]:
                continue  # names inside quotes are not who is speaking
            words, titled = _name_words(m.group())
            if not words:
                continue
            name = resolve(words)
            if " " in name:
                add(name)
            elif not titled and lookup(name) is None:
                continue
            sentence = bounds[bisect_right(bounds, start) - 1]
            subject = sentence != last_sentence
            last_sentence = sentence
            mentions.append(_Mention(start, name, True, subject))
        return mentions

    def person_before(self, pos: int, gender: str | None) -> str | None:
        """The closest person before ``pos``, preferring sentence subjects."""
        fallback = None
        for mention in reversed(self.mentions):
            if mention.pos >= pos:
                continue
            if gender and self.people.gender(mention.name) not in {None, gender}:
                continue
            if mention.subject:
                return mention.name
            fallback = fallback or mention.name
            if pos - mention.pos > 600:
                break
        return fallback

    def resolve(self, phrase: str, pos: int) -> tuple[str | None, str | None, str | None, bool]:
        """(speaker, role, org, is_person) for a subject phrase seen at ``pos``."""
        self.scan()  # the index must know this text's full names before resolving
        low = phrase.lower()
        if low in PRONOUNS or low in {"him", "her"}:
            if low in {"it", "they"}:
                return self.last_speaker, None, None, False
            gender = "f" if low in {"she", "her"} else "m"
            return self.person_before(pos, gender) or self.last_person, None, None, True
        mention = parse_mention(phrase, registry=self.people.registry)
        name = mention.name
        words = name.split()
        if not name:
            if low.startswith("the "):
                return self._office(phrase, mention, pos)
            return phrase, mention.role, mention.org, False
        lows = {w.lower() for w in words}
        if words[0].lower() in {"a", "an", "the", "one", "another"} or not name[:1].isupper():
            if words[0].lower() == "the" and lows & OFFICE_NOUNS and not lows & _NOT_OFFICE:
                return self._office(phrase, mention, pos)
            return name, mention.role, mention.org, False
        # "Soltan attorney Eric Lewis", "AU Commission Chairperson Faki": keep what
        # follows the last lowercase or office word.
        cut = [k for k, w in enumerate(words) if (w[:1].islower() and w not in _PARTICLES)
               or w.lower() in _ROLE_TOKENS or w in _COUNTRY_WORDS]  # fmt: skip
        if cut and cut[-1] < len(words) - 1:
            role = " ".join(words[: cut[-1] + 1])
            name = " ".join(words[cut[-1] + 1 :])
            words = name.split()
            mention.role = mention.role or role
            if name in _COUNTRY_WORDS or name.startswith(("to ", "of ")):
                return phrase, mention.role, mention.org, False
        elif cut:
            return phrase, mention.role, mention.org, False
        name = self.people.resolve(name)
        known = self.people.registry.lookup(name) is not None
        is_person = (
            known or len(name.split()) >= 2 and not lows & {w.lower() for w in NOT_NAME_WORDS}
        )
        if len(name.split()) == 1 and not known:
            is_person = any(m.name == name for m in self.mentions)
        return name, mention.role, mention.org, is_person

    def _office(self, phrase: str, mention, pos: int):
        """ "The President", "the Russian leader": the person in office named earlier."""
        person = self.last_person or self.first_person
        if person:
            return person, mention.role, mention.org, True
        return phrase, mention.role, mention.org, False
