"""Descriptions resolved to whom they stand for: "the minister", "the paper", "a senior official".

A definite description means an entity the story named, before it or, in a headline or lead,
just after it ("Turkish Foreign Minister says …" then "Mevlut Cavusoglu said …"); an
indefinite one is an unnamed source unless the passage names the office holder next ("a
foreign ministry spokesperson said" then "Spokesperson Zhao Lijian made the remarks").
:class:`Descriptions` is the part of :class:`~.entities.Entities` that does this: it reads the
document's mentions and entities (``mentions``, ``before``, ``between``, ``_by_name``,
``people``) that the scan of :mod:`.entities` built.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from archive.identity.places import COUNTRIES
from mfa_scraper.attribution.en.cues import (
    CUE_RE,
    DOCUMENT_NOUNS,
    OFFICE_NOUNS,
    SPEAKER_NOUNS,
    subject_of_sentence,
    trailing_phrase,
)
from mfa_scraper.attribution.en.model import Entity, Speaker
from mfa_scraper.attribution.en.names import (
    BODY_NOUNS,
    DESCRIPTION,
    DETERMINERS,
    MONTHS_DAYS,
    OF_WORDS,
    ORGANIZATION,
    OUTLET,
    OUTLET_NOUNS,
    PARTY_MEMBER_RE,
    PERSON,
    strip_article,
)
from mfa_scraper.attribution.en.phrases import (
    OFFICE_HEADS,
    YEARS_OLD_RE,
    adjective,
)

#: How far (characters) after a description the passage may name whom it describes.
FORWARD_WINDOW = 1200
_DEFINITE = frozenset("the this that".split())
#: Words that say a source is not named: "the anonymous official" is nobody the story names.
_UNNAMED = frozenset("anonymous unnamed unidentified".split())
#: What a government department is called, as the head of a description ("the ministry").
_DEPARTMENTS = frozenset("ministry office department".split())
#: Where an unnamed source may be introduced: "A doctor", "an official", "One diplomat".
#: The first letter comes first and the word start ("^" or after a space or "(") is a
#: look-behind after it, so that ``re`` skips to the next A or O instead of trying every
#: offset; the words are tried in the plain alternation's order ("an", "a", "another";
#: "one"), three times faster over a whole text.
_INDEFINITE_SOURCE_RE = re.compile(
    r"[AaOo](?<![^\s(].)(?:(?<=[Aa])(?:n?|nother)|(?<=[Oo])ne)[ \t]+(?=[\w-]+)"
)


#: An office its holder no longer holds, right before the name: "former President X".
_FORMER_RE = re.compile(r"\b(?:[Ff]ormer|[Ee]x-)\s*(?:[\w’'-]+\s+){0,4}$")
#: How far back (characters) the sentence that issued a document may be.
ISSUER_WINDOW = 600
#: The documents of :data:`DOCUMENT_NOUNS`, longest first, as a pattern's alternation.
_DOCUMENT_ALT = "|".join(sorted(DOCUMENT_NOUNS, key=len, reverse=True))
#: "adopted a resolution", "issued a statement on Monday": the verb's subject issued it.
_ISSUED_RE = re.compile(
    r"\b(?:adopted|issued|released|published|put\s+out"
    # "the Ministry of Foreign Affairs states in a statement": said in it, so issued it
    r"|(?P<said>said|says|stated|states|noted|notes|declared|added)\s+in)"
    r"\s+(?:a|an|the|its|their)\s+"
    rf"(?:[\w-]+\s+){{0,2}}?(?P<noun>{_DOCUMENT_ALT})"
)
#: Heads of a description that speaks for someone else, named by a possessive.
_SPOKES = frozenset({"spokesman", "spokeswoman", "spokesperson"})
#: Who issued a document, said right after it: "posted on Kuwait News Agency".
_ISSUED_BY = (
    r"\s+(?:posted|issued|released|published|carried)\s+(?:on|by|from|in)\s+"
    r"(?P<by>(?:the\s+)?[A-Z][\w.'’&-]*(?:\s+(?:of\s+)?[A-Z][\w.'’&-]*){0,5})"
)
#: After the description being resolved: "the statement posted on Kuwait News Agency".
_ISSUED_BY_RE = re.compile(_ISSUED_BY)
#: After an earlier mention of the document: "In a statement issued by the Chinese Embassy
#: in Bangladesh, a spokesperson …. “…,” the statement said".
_NOUN_ISSUED_BY_RE = re.compile(rf"\b(?P<noun>{_DOCUMENT_ALT})" + _ISSUED_BY)


class Descriptions:
    """Resolving descriptions against the entities of one document (a part of ``Entities``)."""

    def _scan_descriptions(self) -> None:
        """Unnamed sources introduced as a reporting verb's subject ("A doctor on the scene
        told Ruptly"), so that "the doctor" later means them. Run once, on the first definite
        description that needs it."""
        if self._descriptions_scanned:
            return
        self._descriptions_scanned = True
        self.scan()
        text, bounds, quoted = self.text, self._bounds, self._quoted
        opens = [a for a, _ in quoted]
        for intro in _INDEFINITE_SOURCE_RE.finditer(text):
            cue = CUE_RE.search(text, intro.end(), intro.end() + 80)
            if cue is None:
                continue
            k = bisect_right(opens, cue.start()) - 1
            if k >= 0 and quoted[k][0] <= cue.start() <= quoted[k][1]:
                continue
            sentence = bounds[bisect_right(bounds, cue.start()) - 1]
            phrase = trailing_phrase(text[sentence : cue.start()], sentence)
            if phrase is None:
                continue
            words = phrase[0].split()
            head = words[-1].lower()
            indefinite = words[0].lower() in {"a", "an", "one", "another"}
            if indefinite and head in SPEAKER_NOUNS and head not in BODY_NOUNS:
                name = strip_article(phrase[0])
                entity = self._by_name.setdefault(name, Entity(name, DESCRIPTION))
                entity.positions.append(phrase[1])

    def _description(
        self,
        phrase: str,
        pos: int,
        current: Speaker | None,
        role: str | None = None,
        org: str | None = None,
    ) -> Speaker | None:
        """A description: the entity it stands for when definite, else itself as a source."""
        words = [w.lower().strip(",.") for w in phrase.split()]
        complement = next((k for k, w in enumerate(words) if k and w in OF_WORDS), len(words))
        head = words[complement - 1] if complement else ""
        if "-" in head and head.rsplit("-", 1)[1] in OFFICE_NOUNS:
            head = head.rsplit("-", 1)[1]  # "the Congress Vice-President": a president
        if not head or head in {"the", "a", "an"}:
            return None
        definite = words[0] in _DEFINITE or words[0].endswith(("'s", "’s"))
        indefinite = words[0] in {"a", "an", "one", "another"}
        if not definite and not indefinite and words[0] not in DETERMINERS:
            # A title without its article, as headlines write it ("Turkish Foreign Minister
            # says …"), means the office holder the story names, as "the minister" does.
            definite = phrase.split()[-1][:1].isupper() and head in OFFICE_HEADS
        if head in OUTLET_NOUNS and head != "agency" or head == "agency" and definite:
            kinds = (OUTLET,) if head != "agency" else (OUTLET, ORGANIZATION)
            found = self._last_of_kind(pos, kinds) or self._next_of_kind(pos, kinds)
            if found is not None:
                return found.speaker()
        if head in DOCUMENT_NOUNS:
            # a document has no words of its own: "the statement posted on Kuwait News Agency"
            issuer = self._issuer(phrase, pos, head)
            if issuer is not None:
                return issuer
        if head in BODY_NOUNS:
            found = self._last_body(pos, head)
            if found is not None:
                return found.speaker()
        personal = (
            head not in BODY_NOUNS
            and head not in OUTLET_NOUNS
            and (
                phrase.split()[-1].isupper()
                and len(head) >= 3
                or head in SPEAKER_NOUNS
                or head.removesuffix("s") in SPEAKER_NOUNS  # "Israeli ministers"
                or head in OFFICE_NOUNS
                or bool(YEARS_OLD_RE.search(head))
                or bool(PARTY_MEMBER_RE.fullmatch(head))
                or head in {"leader", "chief", "head", "boss", "diplomat", "politician", "veteran"}
            )
        )
        if definite and personal and _UNNAMED.isdisjoint(words):
            found, nearest = self._person_described(words, pos)
            if found is not None:
                return found.speaker(role)
            earlier = self._last_description(pos, head)
            if earlier is not None:
                return earlier.speaker()
            if head in _SPOKES and any(w.endswith(("'s", "’s")) for w in words):
                # "The Prime Minister's official spokesman", whom the text never names: the
                # description, not whoever spoke last
                return Speaker(strip_article(phrase), DESCRIPTION, role, org)
            acronym = phrase.split()[-1].isupper() and len(head) >= 3
            by_person = YEARS_OLD_RE.search(head) or PARTY_MEMBER_RE.fullmatch(head)
            if head not in OFFICE_HEADS and not by_person and not acronym:
                return Speaker(strip_article(phrase), DESCRIPTION, role, org)  # "the doctor"
            if current is not None and current.kind in {PERSON, DESCRIPTION}:
                return current
            if nearest is not None:
                return nearest.speaker(role)
            leading = next(
                (m.entity for m in self.between(pos, pos + FORWARD_WINDOW)
                 if m.subject and m.entity.kind == PERSON),
                None,
            )  # fmt: skip
            if leading is not None:  # "The education secretary claimed …. Nadhim Zahawi alleged"
                return leading.speaker(role)
            main = self.main_person()
            if main is not None:
                return main.speaker(role)
        if indefinite and head in OFFICE_NOUNS:
            # "a foreign ministry spokesperson said …" then "Spokesperson Zhao Lijian made the
            # remarks": the passage names the source later, and the name is who spoke.
            named = self._person_named_after(words, pos)
            if named is not None:
                return named.speaker(role)
        described = strip_article(" ".join(phrase.split()))
        if not described or described.lower() in MONTHS_DAYS:
            return None
        if definite:
            found = self._last_description(pos, head)
            if found is not None:
                return found.speaker()
        if not (personal or head in BODY_NOUNS or head in OUTLET_NOUNS):
            return None
        entity = self._by_name.setdefault(described, Entity(described, DESCRIPTION))
        entity.positions.append(pos)
        return Speaker(described, DESCRIPTION, role, org)

    def _issuer(self, phrase: str, pos: int, head: str) -> Speaker | None:
        """Who issued the document a description names (:meth:`_named_issuer`), or who
        issued the document of that name before: "…,” said the statement" twice is one
        statement, however far apart."""
        issuer = self._named_issuer(phrase, pos, head)
        if issuer is None:
            return self._issuers.get(head)
        self._issuers[head] = issuer
        return issuer

    def _named_issuer(self, phrase: str, pos: int, head: str) -> Speaker | None:
        """Who issued the document a description names, when the text says: "the statement
        posted on Kuwait News Agency", or "the ruling Liberal Democratic Party adopted a
        resolution … “…,” the resolution said"."""
        text = self.text
        by = _ISSUED_BY_RE.match(text, pos + len(phrase))
        if by is not None:
            return self.resolve(by.group("by"), by.start("by"))
        lo = max(0, pos - ISSUER_WINDOW)
        issued = max(_ISSUED_RE.finditer(text, lo, pos), key=lambda m: m.start(), default=None)
        named = max(
            (
                m
                # the document named with its issuer may lie further back than a verb's subject
                for m in _NOUN_ISSUED_BY_RE.finditer(text, max(0, pos - 3 * ISSUER_WINDOW), pos)
                if m.group("noun").startswith(head.rstrip("s"))
            ),
            key=lambda m: m.start(),
            default=None,
        )
        if named is not None and (issued is None or named.start() > issued.start()):
            issuer = self.resolve(named.group("by"), named.start("by"))
            if issuer is not None:
                return issuer
        if issued is None or not issued.group("noun").startswith(head.rstrip("s")):
            # "The Ministry … said, Trend reports. “…,” said the statement"; "In her letter,
            # Wright said …. “…,” the letter says": the last who spoke before it issued it.
            issuer = next(
                (
                    m.entity
                    for m in self.before(pos)
                    if m.subject and m.pos >= lo and m.entity.kind in {PERSON, ORGANIZATION}
                ),
                None,
            )
            return issuer.speaker() if issuer is not None else None
        bounds = self._bounds
        sentence = bounds[bisect_right(bounds, issued.start()) - 1]
        lead = text[sentence : issued.start()]
        if issued.group("said"):  # the subject stands right before its verb
            subject = trailing_phrase(lead, sentence) or subject_of_sentence(lead, sentence)
        else:
            subject = subject_of_sentence(lead, sentence) or trailing_phrase(lead, sentence)
        return self.resolve(subject[0], subject[1]) if subject is not None else None

    def _last_of_kind(self, pos: int, kinds: tuple[str, ...]) -> Entity | None:
        for mention in self.before(pos):
            if mention.entity.kind in kinds:
                return mention.entity
        return None

    def _next_of_kind(self, pos: int, kinds: tuple[str, ...]) -> Entity | None:
        """The first entity of one of ``kinds`` named after ``pos`` in the next paragraphs: a
        headline's "Chinese newspaper warns …" is the outlet the story then names."""
        for mention in self.between(pos, pos + FORWARD_WINDOW):
            if mention.entity.kind in kinds:
                return mention.entity
        return None

    def _person_named_after(self, words: list[str], pos: int) -> Entity | None:
        """The first person named after ``pos`` (in the next paragraphs) whose offices or
        country fit the description's words."""
        offices, countries = self._description_words(words)
        for mention in self.between(pos, pos + FORWARD_WINDOW):
            entity = mention.entity
            if entity.kind == PERSON and self._fits(entity, offices, countries):
                return entity
        return None

    def _last_body(self, pos: int, head: str) -> Entity | None:
        """The body named last whose name holds the head ("the ministry": "Russia's Foreign
        Ministry"); a government department's other names count ("the ministry" after "the
        Foreign Office (FO)")."""
        heads = _DEPARTMENTS if head in _DEPARTMENTS else {head}
        for mention in self.before(pos):
            entity = mention.entity
            if entity.kind == ORGANIZATION and any(h in entity.name.lower() for h in heads):
                return entity
        return None

    def _last_description(self, pos: int, head: str) -> Entity | None:
        self._scan_descriptions()
        best = None
        for entity in self._by_name.values():
            if entity.kind != DESCRIPTION or entity.name.split()[-1].lower().rstrip(
                "s"
            ) != head.rstrip("s"):
                continue
            earlier = [p for p in entity.positions if p < pos]
            if earlier and (best is None or max(earlier) > best[0]):
                best = (max(earlier), entity)
        return best[1] if best else None

    def _person_described(self, words: list[str], pos: int) -> tuple[Entity | None, Entity | None]:
        """The person named before ``pos`` whose offices share a word with the description,
        and the nearest person named as a sentence's subject (the fallback)."""
        offices, countries = self._description_words(words)
        former = "former" in offices
        fallback = fitting = None
        for mention in self.before(pos):
            entity = mention.entity
            if entity.kind != PERSON:
                continue
            past = _FORMER_RE.search(self.text, max(0, mention.pos - 40), mention.pos)
            if past is not None and not former:
                continue  # "the president" is not "former President Viktor Yanukovich"
            if self._fits(entity, offices, countries):
                if mention.subject:
                    return entity, fallback  # the office holder who leads a sentence
                fitting = fitting or entity
            fallback = fallback or (entity if mention.subject else None)
        if fitting is not None:
            return fitting, fallback
        named = self._person_named_after(words, pos)
        if named is not None:  # "the Turkish foreign minister said" before his name
            return named, fallback
        if countries:  # "the Russian leader" named only later: "Vladimir Putin said …"
            for mention in self.mentions:
                if mention.entity.kind == PERSON and self._fits(mention.entity, set(), countries):
                    return mention.entity, fallback
        return None, fallback

    @staticmethod
    def _description_words(words: list[str]) -> tuple[set[str], set[str]]:
        """A description's office words and the countries it names ("the Russian leader")."""
        content = {w.removesuffix("'s").removesuffix("’s") for w in words if w not in DETERMINERS}
        content -= OF_WORDS
        content |= {w.split("-")[0] for w in content if "-" in w}
        countries = {c for w in content if (c := COUNTRIES.get(w))}
        # the dict's keys tested in place, not copied into a set of every country per call
        return {w for w in content if w not in COUNTRIES}, countries

    def _fits(self, entity: Entity, offices: set[str], countries: set[str]) -> bool:
        """Whether a person's known offices or country match a description's words.

        The offices the document gives a person are theirs; the registry's, which carry no
        date for the story ("Keir Starmer", prime minister from 2024, in a 2022 story that
        calls him the leader of the opposition), count only for a person the document gives
        no office."""
        person = self.people.registry.lookup(entity.name)
        if countries:
            country = entity.org or (person.country if person is not None else None)
            # "Iranian Foreign Minister Abbas Araghchi": the country in the title he was given
            titled = {COUNTRIES[r] for r in entity.roles if r in COUNTRIES and adjective(r)}
            if country not in countries and not titled & countries:
                return False
            if not offices - {"leader", "head", "chief"}:
                return True
        if offices & entity.roles:
            return True
        # a registry office fits when it holds every office word of the description: "the
        # foreign minister" is Wang Yi's, "the cabinet minister" no prime minister's
        return (
            not entity.roles
            and person is not None
            and bool(offices)
            and any(offices <= set((r.get("role") or "").lower().split()) for r in person.roles)
        )
