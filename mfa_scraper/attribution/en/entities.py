"""Who an English document names, and whom each speaker phrase means.

A news story names a person once in full ("Foreign Minister Sergey Lavrov"), then by surname
("Lavrov"), by title and surname ("Mr Lavrov"), by description ("the minister", "the
72-year-old") or by pronoun. Attribution needs the chain: every later mention resolved to the
entity the first one introduced, and filed under its fullest name. :class:`Entities` scans the
names outside quotation marks once per document (people, bodies, outlets, and unnamed
descriptions such as "a senior official") and resolves a speaker phrase against them; the
discourse (who spoke last, who "he" is) is :mod:`.speakers`' work.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from archive.identity.names import parse_mention
from archive.identity.places import COMMON_WORDS, PLACES, country_of
from mfa_scraper.attribution.en.cues import (
    CUE_RE,
    DOCUMENT_NOUNS,
    OFFICE_NOUNS,
    SPEAKER_NOUNS,
    sentence_bounds,
)
from mfa_scraper.attribution.en.descriptions import Descriptions
from mfa_scraper.attribution.en.model import Entity, Mention, Speaker
from mfa_scraper.attribution.en.names import (
    BODY_NOUNS,
    DETERMINERS,
    NAME_RE,
    OF_WORDS,
    OFFICE_ABBREVIATIONS,
    ORGANIZATION,
    OUTLET,
    OUTLETS,
    PARTICLES,
    PERSON,
    body_acronym,
    body_kind,
    ends_in_name,
    holder_name,
    lower_head,
    name_words,
    strip_article,
)
from mfa_scraper.attribution.en.phrases import (
    person_of_body,
    title_case_line,
    without_dateline,
    without_home,
)
from mfa_scraper.attribution.en.subjects import Subjects
from mfa_scraper.attribution.mentions import PeopleIndex
from mfa_scraper.attribution.quotemarks import Span

#: Where a new clause (with its own subject) starts inside a sentence: ", and", ", but", ";".
_CLAUSE_RE = re.compile(r"(?:,\s+(?:and|but|while|as)|;)\s+(?!.*(?:,\s+(?:and|but|while|as)|;)\s)")
_SUBJECT_PRONOUNS = frozenset("he she they it i we you".split())
#: What a body's name may go on with after its first capitalised run: "of Foreign Affairs
#: of Azerbaijan", "of Commerce in Hong Kong".
_OF_CHAIN_RE = re.compile(r"(?:[ \t]+(?:of|for|in|on)(?:[ \t]+the)?(?:[ \t]+[A-Z][\w'’&-]*)+)+")
_GAP_RE = re.compile(r"[ \t]+")
#: A one-word nickname in quotation marks inside a name: Rodrigo "Digong" Duterte.
_NICKNAME_RE = re.compile(r"[ \t]+[\"“‘'][A-Z][\w-]*[\"”’'][ \t]+(?=[A-Z])")


#: Words after which a name is an object, not the sentence's subject.
#: Lowercase words inside a capitalised title before a name ("Minister of the Interior").
_TITLE_LINKS = frozenset("of the for to and on".split())
#: A question put to the speaker opens the sentence: a name in it is not its subject.
_ASKED = frozenset("asked questioned pressed quizzed".split())
_OBJECT_SLOTS = frozenset(
    "about with to of for by from against at in on and met called asked than into over told "
    "said urged accused criticised criticized thanked".split()
)
#: ", NATO's secretary general," after a name: an apposition that gives the person's office.
_APPOSITION_RE = re.compile(
    r"[ \t]*,[ \t]+((?:the|a|an|[A-Z][\w.]*['’]s|[a-z]+)[ \t][^,.;:\n\"“”]{2,80}?),"
)
_ROLE_NOUNS = SPEAKER_NOUNS | OFFICE_NOUNS
_PLACE_PREPOSITIONS = (" in ", " to ", " at ", " for ")


@lru_cache(maxsize=16384)
def _run_parts(run: str) -> tuple[str | None, str, str, tuple[str, ...]]:
    """What :meth:`Entities._entity_of_run` reads off a capitalised run alone: the kind of body
    it names and the body's name, or the title before the name and the name's words without
    the places that lead them (:meth:`Entities._without_place`'s first step). Pure in ``run``,
    and the same runs recur in every story: cached."""
    kind = body_kind(run)
    if kind is not None:
        return kind, strip_article(run), "", ()
    title, words = name_words(run)
    tokens = words.split()
    while len(tokens) > 1 and (country_of(tokens[0]) or tokens[0].lower() in PLACES):
        tokens = tokens[1:]
    return None, "", title, tuple(tokens)


#: The gender an honorific gives the name after it ("Ms Rayner"), with and without a full stop.
_HONORIFIC_GENDER = {
    form: gender
    for words, gender in (("Mrs Ms Miss Madam Mme Dame Lady", "f"), ("Mr Sir Lord", "m"))
    for word in words.split()
    for form in (word, word + ".")
}


class Entities(Subjects, Descriptions):
    """The people, bodies, outlets and unnamed sources one document names, found once.

    Most texts with quote marks hold no statement (scare quotes, titles), and the scan resolves
    every capitalised run of the text: it is the engine's largest cost, so it runs only once a
    quote needs a speaker resolved.
    """

    def __init__(self, text: str, people: PeopleIndex, spans: list[Span]) -> None:
        self.text = text
        self.people = people
        self.spans = spans
        self._mentions: list[Mention] | None = None
        self._positions: list[int] = []
        self._by_name: dict[str, Entity] = {}
        self._by_key: dict[str, Entity] = {}
        self._descriptions_scanned = False
        self._bounds: list[int] = []
        self._quoted: list[tuple[int, int]] = []
        #: Who issued each kind of document the text has named ("statement": the ministry).
        self._issuers: dict[str, Speaker] = {}

    # -- the scan -------------------------------------------------------------------------

    @property
    def mentions(self) -> list[Mention]:
        if self._mentions is None:
            self._mentions = self._scan()
            self._positions = [m.pos for m in self._mentions]
        return self._mentions

    def scan(self) -> list[Mention]:
        """Name mentions outside quotes, found once; full names teach the index short forms."""
        return self.mentions

    def _scan(self) -> list[Mention]:
        text = self.text
        found: list[Mention] = []
        bounds = sentence_bounds(text)
        quoted = [(s.open_mark, s.close_mark) for s in self.spans]
        q = 0
        heading, line_end = False, -1  # the current line: a Title Case headline?
        covered = -1  # the end of a body's name that ran on past its first run
        for m in NAME_RE.finditer(text):
            start = m.start()
            if start < covered:
                continue  # "Foreign Affairs", "Azerbaijan" inside "Ministry of … of Azerbaijan"
            while q < len(quoted) and quoted[q][1] < start:
                q += 1
            if q < len(quoted) and quoted[q][0] <= start <= quoted[q][1]:
                continue  # names inside quotes are not who is speaking
            if start > line_end:
                heading, line_end = title_case_line(text, start)
            if heading:
                continue  # "Spicer Shuts Down Questions on Trump Tweet": no name ends there
            if text[start - 1 : start] == "/":
                continue  # a photo credit: "REUTERS/Johanna Geron"
            end, run = m.end(), m.group()
            nicknamed = _NICKNAME_RE.match(text, end)
            rest = NAME_RE.match(text, nicknamed.end()) if nicknamed is not None else None
            if rest is not None:
                # Ferdinand "Bongbong" Marcos Jr.: one name around the quoted nickname
                end = covered = rest.end()
                run = f"{run} {rest.group()}"
            longer = _OF_CHAIN_RE.match(text, end)
            if longer is not None and body_kind(m.group()) == ORGANIZATION:
                # "The Ministry of Foreign Affairs of Azerbaijan", not "Ministry"
                end = covered = longer.end()
                entity = self._add(strip_article(text[start:end]), ORGANIZATION, start)
            else:
                entity = self._entity_of_run(run, start, end)
            if entity is None:
                continue
            sentence = bounds[bisect_right(bounds, start) - 1]
            first = not found or found[-1].pos < sentence  # only a sentence's first name leads it
            subject = first and self._is_subject(sentence, start)
            if not first and entity.kind == PERSON and self._office_of(found[-1], start):
                # "Chinese Foreign Ministry spokesperson Wang Wenbin said": the body named first
                # is the office's, the person leads the sentence
                subject, found[-1].subject = found[-1].subject, False
            found.append(Mention(start, end, entity, subject))
            entity.positions.append(start)
        self._bounds, self._quoted = bounds, quoted
        return found

    def _office_of(self, body: Mention, start: int) -> bool:
        """Whether a body's mention is the start of a person's title: only office words stand
        between it and the name at ``start``."""
        if body.entity.kind != ORGANIZATION:
            return False
        between = self.text[body.end : start].split()
        return bool(between) and all(w.lower() in _ROLE_NOUNS for w in between)

    def _is_subject(self, sentence: int, pos: int) -> bool:
        """Whether a name at ``pos`` is its sentence's subject: near the start, after no
        pronoun and not right after a preposition or a verb's object slot ("asked about X")."""
        lead_text = self.text[sentence:pos]
        clause = _CLAUSE_RE.search(lead_text)
        if clause:  # "It's Day 22 of the shutdown, and House Speaker Mike Johnson is …"
            lead_text = lead_text[clause.end() :]
        lead = lead_text.split()
        if not lead:
            return True
        # An opening phrase set off by a comma ("Dressed in his customary black sweatshirt and
        # combat trousers, Zelenskiy thanked …") may be long; the name after it leads.
        if lead[0].lower() in _ASKED:
            return False  # "Asked whether Putin would attend, he said": the question's name
        longest = 20 if lead_text.rstrip().endswith(",") else 8
        if any(w.lower().strip(",") in _SUBJECT_PRONOUNS for w in lead):
            return False
        if len(lead) > longest:
            # "Special Representative … for Climate Affairs John Kerry": a long title leads
            return all(w[:1].isupper() or w in _TITLE_LINKS for w in lead)
        if len(lead) >= 2 and lead[-1] in OF_WORDS and lead[-2].lower() in _ROLE_NOUNS:
            return True  # "US Ambassador to Japan George Glass": the office's complement
        if CUE_RE.search(lead_text) and not lead_text.lstrip().lower().startswith("according"):
            return False  # "The education secretary claimed Keir Starmer misled …": reported
        if len(lead) == 2 and lead[0].lower() in _OBJECT_SLOTS and lead[1] in {"the", "a", "an"}:
            return False  # "On the Baltimore Bridge Collapse incident, Jaiswal said"
        return lead[-1].lower() not in _OBJECT_SLOTS

    def _entity_of_run(self, run: str, start: int, end: int) -> Entity | None:
        kind, body, title, tokens = _run_parts(run)
        if kind is not None:
            return self._add(body, kind, start)
        if not tokens:
            return None
        if len(tokens) >= 3 and self.text[max(0, start - 4) : start].endswith(_PLACE_PREPOSITIONS):
            tokens = tokens[1:]  # as in _without_place
        words = " ".join(tokens)
        if words.lower() in PLACES or country_of(words):
            return None
        name = self.people.resolve(words)
        registry = self.people.registry
        person = registry.lookup(name)
        if person is None and not title:
            if " " not in name and name.lower() not in self._by_key and not self._speaks(name, end):
                return None
            if all(w.lower() in COMMON_WORDS for w in name.split()):
                return None  # "Shared Responsibility", "Global Solidarity": not a person
        entity = self._person(name, start)
        if person is not None:
            entity.gender = entity.gender or person.gender
            # the document's own spelling names them too: "Zelenskiy" after "Volodymyr
            # Zelenskiy", whom the registry spells Zelensky
            written = words.split()
            if len(written) >= 2:
                for word in {written[0], written[-1]}:
                    self._by_key.setdefault(word.lower(), entity)
        if title:
            entity.roles.update(w.lower().rstrip(".") for w in title.split())
            entity.gender = _HONORIFIC_GENDER.get(title.split()[-1]) or entity.gender  # "Ms Rayner"
        self._learn_roles(entity, start, end)
        return entity

    def _speaks(self, word: str, end: int) -> bool:
        """Whether a lone word the document never gave in full is a surname because a speech
        verb follows it ("Rouhani told a press conference"), not a sentence's word."""
        gap = _GAP_RE.match(self.text, end)
        return (
            word.lower() not in COMMON_WORDS
            and gap is not None
            and CUE_RE.match(self.text, gap.end()) is not None
        )

    def _without_place(self, words: str, start: int) -> str:
        """ "Consul General in Osaka Xue Jian": the place that ends an office is not the name."""
        tokens = words.split()
        while len(tokens) > 1 and (country_of(tokens[0]) or tokens[0].lower() in PLACES):
            tokens = tokens[1:]
        if len(tokens) >= 3 and self.text[max(0, start - 4) : start].endswith(_PLACE_PREPOSITIONS):
            tokens = tokens[1:]
        return " ".join(tokens)

    def _learn_roles(self, entity: Entity, start: int, end: int) -> None:
        """Office words around a name: "Jens Stoltenberg, NATO's secretary general," and
        "foreign minister Wang Yi" make "the secretary general" and "the minister" him."""
        text = self.text
        if text[end : end + 1] == ",":
            after = _APPOSITION_RE.match(text, end, min(len(text), end + 120))
            if after and not CUE_RE.search(after.group(1)):
                entity.roles.update(w.lower().strip("'’s") for w in after.group(1).split())
        before = text[max(0, start - 40) : start].split()[-4:]
        if before and before[-1].lower() in _ROLE_NOUNS:  # "foreign minister Wang Yi"
            words = [w.lower() for w in before]
            while words and not words[0].isalpha():
                words = words[1:]
            entity.roles.update(words)
        if before:
            entity.gender = _HONORIFIC_GENDER.get(before[-1]) or entity.gender

    def _person(self, name: str, pos: int) -> Entity:
        """The person entity ``name`` belongs to: a full name, or a surname of one named."""
        entity = self._by_name.get(name)
        if entity is not None:
            return entity
        words = name.split()
        if len(words) >= 2:
            entity = self._by_key.get(words[-1].lower()) if len(words) == 2 else None
            if entity is not None and len(entity.name.split()) == 1:
                entity.name = name  # "Tarriela" first, "Jay Tarriela" later: the fuller name
            else:
                entity = Entity(name, PERSON)
            self.people.add(name)
            keys = {words[0], words[-1]}
            # "Luiz Inácio Lula da Silva" is "Lula" too: the word before a surname's particle
            particle = next((k for k, w in enumerate(words) if k > 1 and w in PARTICLES), None)
            if particle is not None:
                keys.add(words[particle - 1])
            for word in keys:
                self._by_key.setdefault(word.lower(), entity)
        else:
            entity = self._by_key.get(name.lower()) or Entity(name, PERSON)
            self._by_key.setdefault(name.lower(), entity)
        self._by_name[name] = entity
        return entity

    def _add(self, name: str, kind: str, pos: int) -> Entity:
        entity = self._by_name.get(name)
        if entity is None:
            entity = self._by_name[name] = Entity(name, kind)
        return entity

    # -- questions about the document -----------------------------------------------------

    def before(self, pos: int, window: int = 100_000) -> list[Mention]:
        """Mentions that start before ``pos`` (within ``window`` characters), nearest first."""
        mentions = self.mentions
        k = bisect_right(self._positions, pos - 1)
        out = []
        for mention in reversed(mentions[:k]):
            if pos - mention.pos > window:
                break
            out.append(mention)
        return out

    def between(self, lo: int, hi: int) -> list[Mention]:
        """Mentions that start in ``[lo, hi)``, in order."""
        self.mentions  # noqa: B018 - scanned on first use
        a, b = bisect_right(self._positions, lo - 1), bisect_right(self._positions, hi - 1)
        return self._mentions[a:b] if self._mentions else []

    # -- resolving a speaker phrase -------------------------------------------------------

    def resolve(self, phrase: str, pos: int, current: Speaker | None = None) -> Speaker | None:
        """The speaker a subject phrase stands for, or ``None`` when it names nobody.

        ``current`` is who spoke last: a definite description with nothing better to stand
        for ("the official", "the 69-year-old") means them.
        """
        self.scan()  # the index must know this text's full names before resolving
        phrase = phrase.strip(" ,;:")
        if (
            phrase.endswith(".")
            and len(phrase.split()[-1]) > 3
            and phrase[-4:] not in {"Jr.", "Sr."}
        ):
            phrase = phrase[:-1]  # "said the KCNA." ends the sentence, not the name
        phrase = without_home(without_dateline(phrase))
        words = phrase.split()
        if not words:
            return None
        if words[0].lower() in DETERMINERS and words[-1] in OFFICE_ABBREVIATIONS:
            words[-1:] = OFFICE_ABBREVIATIONS[words[-1]].split()  # "the PM said"
            phrase = " ".join(words)
        if (
            words[0].endswith("s")
            and words[0].lower() in SPEAKER_NOUNS
            and phrase[:1].isupper()
            and all(w[:1].islower() for w in words[1:])
        ):
            # "Critics say …", "Officials said": unnamed sources, capitalised as the sentence's
            # first word, not a name.
            return self._description(phrase[:1].lower() + phrase[1:], pos, current)
        owned = len(words) >= 2 and words[-2].endswith(("'s", "’s"))
        if owned and words[-1].lower() in DOCUMENT_NOUNS:
            # "The Egyptian Ministry of Irrigation's statement noted": the owner's words
            owner = phrase[: phrase.rindex(words[-2]) + len(words[-2]) - 2]
            return self.resolve(owner, pos, current)
        if len(words) == 2 and words[0].lower() == "the" and body_acronym(words[1]):
            return self._body(words[1], ORGANIZATION, pos)  # "the DEA says"
        led = words[0].lower() in DETERMINERS or not phrase[:1].isupper()
        if led and words[0].lower() == "the" and len(words) > 1:
            country = country_of(phrase)
            if country is not None:  # "the Philippines decried …", "The US responded"
                return Speaker(country, ORGANIZATION)
            if words[1][:1].isupper() and body_kind(phrase) == ORGANIZATION:
                # "The Armed Forces of the Philippines said", "The American Embassy in Kyiv"
                return self._body(phrase, ORGANIZATION, pos)
            named = next((k for k, w in enumerate(words) if w[:1].isupper()), len(words))
            body = " ".join(words[named:])
            if 1 < named < len(words) and body_kind(body) in {ORGANIZATION, OUTLET}:
                # "the ruling Liberal Democratic Party", "the state-run Global Times"
                return self._body(body, body_kind(body) or ORGANIZATION, pos)
        if person_of_body(words) and not (ends_in_name(words) and holder_name(phrase)):
            # "the official representative of the Foreign Ministry"; not "spokesperson for the
            # State Department Vedant Patel", whose holder is named
            return self._description(phrase, pos, current)
        if (led and not ends_in_name(words)) or lower_head(words):
            bare = len(words) <= 2 and words[0].lower() in DETERMINERS  # "the ministry"
            if lower_head(words) and words[-1].lower() in BODY_NOUNS and not bare:
                return Speaker(strip_article(phrase), ORGANIZATION)  # "Russia's foreign ministry"
            return self._description(phrase, pos, current)
        if led:  # "foreign ministry spokesman Hong Lei", "the former president Donald Trump"
            phrase = strip_article(phrase)
            words = phrase.split()
            if (
                len(words) == 1
                and phrase.lower() in COMMON_WORDS
                and self._known(phrase) is None
                and body_kind(phrase) is None
            ):
                return None  # "the Constitution clearly stated": nobody is "the Surname"
        kind = body_kind(phrase)
        holder = holder_name(phrase) if kind == ORGANIZATION else None
        if holder is not None:  # "spokeswoman of the Russian Foreign Ministry Maria Zakharova"
            phrase, kind = holder, None
        if kind is not None:
            return self._body(phrase, kind, pos)
        if phrase.isupper() and country_of(phrase.title()):
            return None  # a dateline: "MANILA (Reuters) -"
        country = country_of(phrase)
        if country is not None:
            return Speaker(country, ORGANIZATION)
        if phrase.lower() in PLACES:
            return None
        mention = parse_mention(phrase, registry=self.people.registry)
        name = mention.name
        if not name:
            return self._description(phrase, pos, current, mention.role, mention.org)
        lead = ""
        if not name[:1].isupper():
            tokens = name.split()
            cut = [k for k, w in enumerate(tokens) if w[:1].islower() and w not in PARTICLES]
            if not (cut and ends_in_name(tokens) and cut[-1] < len(tokens) - 1):
                return self._description(name, pos, current, mention.role, mention.org)
            # "chief Josep Borrell", "Kremlin aide Yury Ushakov": an office, then the name
            lead, name = " ".join(tokens[: cut[-1] + 1]), " ".join(tokens[cut[-1] + 1 :])
        title, named = name_words(name)
        if not named and " " not in name and name.lower() in self._by_key:
            title, named = "", name  # "Ms May" after "Theresa May": the surname, not a month
        name = named
        title = " ".join(filter(None, (lead, title)))
        tokens = name.split()
        cut = [k for k, w in enumerate(tokens) if w[:1].islower() and w not in PARTICLES]
        if cut:  # "Democratic Party for the People leader Yuichiro Tamaki"
            title, name = (
                " ".join([title, *tokens[: cut[-1] + 1]]).strip(),
                " ".join(tokens[cut[-1] + 1 :]),
            )
        if not name:
            return self._description(phrase, pos, current, mention.role, mention.org)
        if (
            " " not in name
            and name.lower() in COMMON_WORDS
            and name.lower() not in self._by_key
            and self._sentence_initial(pos)
        ):
            return None  # "Hours later …", "Relations …": a sentence word, not somebody
        entity = self._known(name)
        role = mention.role or (title or None)
        if entity is not None:
            return Speaker(entity.name, entity.kind, role, mention.org or entity.org)
        if name.lower() in PLACES or country_of(name):
            return None
        name = self._without_place(name, pos)
        return Speaker(self.people.resolve(name), PERSON, role, mention.org)

    def gender_of(self, name: str) -> str | None:
        """The gender the document gives a person it names ("Ms Rayner"), else ``None``."""
        entity = self._by_name.get(name)
        return entity.gender if entity is not None else None

    def learn_gender(self, name: str, gender: str) -> None:
        """Record the gender a pronoun that means ``name`` gives, where none is known."""
        entity = self._by_name.get(name)
        if entity is not None and entity.gender is None:
            entity.gender = gender

    def _sentence_initial(self, pos: int) -> bool:
        """Whether ``pos`` opens a sentence (where any word is capitalised)."""
        bounds = self._bounds
        k = bisect_right(bounds, pos) - 1
        return k >= 0 and not self.text[bounds[k] : pos].strip()

    def _known(self, name: str) -> Entity | None:
        """The entity a name means: itself, a known tail of it, or its surname's entity."""
        if name in self._by_name:
            return self._by_name[name]
        words = name.split()
        for k in range(1, len(words)):
            tail = " ".join(words[k:])
            if tail in self._by_name and (len(words) - k >= 2 or k == len(words) - 1):
                return self._by_name[tail]
        resolved = self.people.resolve(name)
        if resolved in self._by_name:
            return self._by_name[resolved]
        if self.people.registry.lookup(resolved) is not None:
            return self._person(resolved, 0)
        last = words[-1].lower()
        entity = self._by_key.get(last) or self._by_key.get(words[0].lower())
        if entity is not None and (len(words) == 1 or entity.name.split()[-1].lower() == last):
            return entity
        return None

    def _body(self, phrase: str, kind: str, pos: int) -> Speaker:
        name = strip_article(phrase)
        fuller = self._fuller_body(name, pos)
        if fuller is not None:  # "News Agency" after "Korean Central News Agency"
            return fuller.speaker()
        if kind == OUTLET:
            tokens = name.split()
            name = next((" ".join(tokens[k:]) for k in range(len(tokens))
                         if " ".join(tokens[k:]).lower() in OUTLETS), name)  # fmt: skip
        entity = self._by_name.get(name)
        return entity.speaker() if entity is not None else Speaker(name, kind)

    def _fuller_body(self, name: str, pos: int) -> Entity | None:
        low = " " + name.lower()
        for mention in self.before(pos):
            entity = mention.entity
            longer = entity.kind in {ORGANIZATION, OUTLET} and len(entity.name) > len(name)
            if longer and (" " + entity.name.lower()).endswith(low):
                return entity
        return None
