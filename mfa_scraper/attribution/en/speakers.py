"""Quotations in running English text, attributed: the English engine's entry point.

:func:`extract_english` pairs quote marks (:mod:`..quotemarks`), keeps the spans that are
statements (:mod:`.spans`) and gives each a speaker through the whole document, not the
sentence alone:

- a cue's subject phrase resolves against the document's entities (:mod:`.entities`):
  "Lavrov" to "Sergey Lavrov", "the minister" to the minister named before, "the paper" to
  the outlet;
- "he" and "she" mean whoever spoke last, unless another person has since become the subject
  of a sentence;
- a quotation with no cue of its own ("Lavrov told reporters …" then three quotations) takes
  the speaker of the one before it, or the subject of the last reporting verb before it, or
  the person the document is about.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from archive.identity.places import country_of
from mfa_scraper.attribution.en.cue_sides import is_noun, sentence_end, sentence_start
from mfa_scraper.attribution.en.cues import CUE_RE, subject_of_sentence, trailing_phrase
from mfa_scraper.attribution.en.entities import Entities
from mfa_scraper.attribution.en.model import Speaker
from mfa_scraper.attribution.en.names import DESCRIPTION, ORGANIZATION, OUTLET, PERSON
from mfa_scraper.attribution.en.spans import Found, classify
from mfa_scraper.attribution.mentions import PeopleIndex
from mfa_scraper.attribution.quotemarks import Span, find_spans
from mfa_scraper.items import Quote

#: Single words that are never a speaker, though they stand where a subject would.
NON_SPEAKER_WORDS = frozenset(
    "i we you me us some many most others first second third fourth finally can just as so "
    "it this that there here reports report people someone somebody".split()
)
#: First words of phrases that are openers or hedges, not speakers.
NON_SPEAKER_OPENERS = frozenset(
    "according as so just can could first second third finally if when while since reports".split()
)
#: Words a speaker's name never ends in: the phrase was cut in the middle.
_DANGLING = frozenset("for of to in on at with by from and or the a an".split())
_PRONOUN_GENDER = {"he": "m", "him": "m", "she": "f", "her": "f"}
_PARAGRAPH_BREAK_RE = re.compile(r"\n+")
#: Cues of a turn in an exchange: who replies is someone other than who spoke just before.
_REPLY_CUES = frozenset("replied replies responded answered retorted countered hit back".split())
#: A question put to someone since the last quotation: the reply after it is theirs.
_ASKED_RE = re.compile(r"\b(?:was|were|is|are|being|been)\s+(?:also\s+)?asked\b")
#: How far back (characters) a quotation without a cue looks for its reporting verb.
CUE_WINDOW = 600
#: "The message reads, in part:" before a quotation: the words of a message, whose author the
#: text named before ("Vladimir Putin sent greetings to …").
_MESSAGE_READS_RE = re.compile(
    r"\b(?:the|his|her|their|this|that)\s+(?:message|letter|telegram|greetings?|address|"
    r"note|condolences|article|op-ed|post|tweet)\s+(?:reads|read|says|said|states|stated)"
    r"(?:\s*,?\s*in\s+part)?\s*[:,]?\s*$",
    re.IGNORECASE,
)


_READ_VERB_RE = re.compile("read|says|said|state")


def _may_read(lead: str) -> bool:
    """Whether :data:`_MESSAGE_READS_RE` may match in ``lead``: every match holds one of its
    verbs (in ASCII text, where ignoring case is ``lower()``). Skips its case-blind,
    end-anchored search over 120 characters before most quotations without a cue."""
    return not lead.isascii() or _READ_VERB_RE.search(lead.lower()) is not None


def extract_english(
    text: str, *, people: PeopleIndex | None = None, context: Iterable[str] = ()
) -> list[Quote]:
    """Statements quoted in English ``text``, in order, attributed to resolved speakers; the
    arguments are :func:`~mfa_scraper.attribution.quotes.extract_quotes`'."""
    if not text or not text.strip():
        return []
    spans = find_spans(text)
    if not spans and people is None:
        return []  # most transcript turns quote nothing: skip the index and the name scan
    index = people or PeopleIndex(context=context)
    if people is not None:
        for name in context:
            index.add(name)
    discourse = Discourse(text, Entities(text, index, spans))
    if people is not None:
        discourse.entities.scan()  # a caller's index learns this text's names, as it always has
    out: list[Quote] = []
    prev_span: Span | None = None
    for span in spans:
        lo = span.para_start
        if prev_span is not None and prev_span.para_start == span.para_start:
            lo = max(lo, prev_span.close_end)
        sent_lo = sentence_start(text, lo, span.open_mark)
        try:
            found = classify(text, span, sent_lo)
        except (IndexError, ValueError):  # malformed input never stops the page
            found = None
        if found is None:
            continue
        out.append(discourse.attribute(span, found))
        prev_span = span
    if len(out) > 1:
        coordinated_share_speaker(text, out)
        same_words_same_speaker(text, out)
    return out


#: What stands between two quoted fragments of one clause: 'sides “A” and “B”, Zhao added'.
_COORDINATION_RE = re.compile(r"\s*(?:,|,?\s+(?:and|or|but))\s*")


def coordinated_share_speaker(text: str, quotes: list[Quote]) -> None:
    """A fragment with no speaker, joined by "and", "or" or a comma to the next fragment
    that has one, shares it: the cue after the second ('“A” and “B”, Zhao added') governs
    both, but a cue is looked for only up to the next quotation mark."""
    for first, second in zip(quotes, quotes[1:], strict=False):
        if first.speaker or not second.speaker or first.kind != "partial":
            continue
        close = first.end + (text[first.end : first.end + 1] in '”"’')
        opening = second.start - (text[second.start - 1 : second.start] in '“"‘')
        if _COORDINATION_RE.fullmatch(text, close, opening):
            first.speaker, first.speaker_role, first.speaker_org = (
                second.speaker, second.speaker_role, second.speaker_org)  # fmt: skip
            first.speaker_kind, first.cue = second.speaker_kind, second.cue
            first.speaker_start, first.speaker_end = second.speaker_start, second.speaker_end


_WORD_RE = re.compile(r"\w+")


def same_words_same_speaker(text: str, quotes: list[Quote]) -> None:
    """Quoted words the passage gives again, to a person, are that person's: a headline's
    "China urges US ‘not to make an issue out of China’" is Zhao Lijian's when the story quotes
    him saying “not to make an issue out of China in its election.” Only a quotation with no
    speaker, or a headline's (the first line) that names no person, takes the person's name."""
    headline_end = text.find("\n")
    people = [q for q in quotes if q.speaker and q.speaker_kind == PERSON]
    if not people:
        return
    flat_words: dict[int, str] = {}

    def flat(q: Quote) -> str:
        """A quotation's words, lowercased and single-spaced: found once, not for every pair."""
        found = flat_words.get(id(q))
        if found is None:
            found = flat_words[id(q)] = " ".join(_WORD_RE.findall(q.quote.lower()))
        return found

    for quote in quotes:
        if quote.speaker and (quote.speaker_kind == PERSON or quote.start > headline_end >= 0):
            continue
        words = flat(quote)
        if len(words.split()) < 2:
            continue  # one word ("illegal") is said by many
        if quote.speaker and any(
            other is not quote and other.speaker == quote.speaker and words in flat(other)
            for other in quotes
        ):
            continue  # the story gives the words to the headline's speaker too ("Japan called …")
        for other in people:
            if other is not quote and words in flat(other):
                quote.speaker, quote.speaker_role, quote.speaker_org = (
                    other.speaker, other.speaker_role, other.speaker_org)  # fmt: skip
                quote.speaker_kind = other.speaker_kind
                break


class Discourse:
    """Who has spoken so far in one document, to give each quotation its speaker."""

    def __init__(self, text: str, entities: Entities) -> None:
        self.text = text
        self.entities = entities
        self.last: Speaker | None = None
        self.last_person: Speaker | None = None  # "he" and "she" skip a ministry that spoke since
        self.last_end = 0  # where the last attributed quotation closed
        self.last_quote: Quote | None = None

    def attribute(self, span: Span, found: Found) -> Quote:
        """The :class:`Quote` of one statement span, its speaker resolved in context."""
        quote = Quote(quote=self.text[span.start : span.end], start=span.start, end=span.end,
                      kind=found.kind, cue=found.cue)  # fmt: skip
        speaker = None
        if found.phrase is not None:
            surface, s_start, s_end = found.phrase
            speaker = self.resolve(surface, s_start)
            unnamed = surface.split()[0].lower() in {"the", "he", "she", "a", "an"}
            replying = found.cue in _REPLY_CUES and unnamed and self.last is not None
            if (
                replying
                and speaker is not None
                and speaker.name == self.last.name
                and not self._became_subject(speaker, s_start)
            ):
                # "Starmer said to Johnson: “…” The prime minister replied, “…”": who replies is
                # not who just spoke, but the person named before them.
                speaker = self._other_person(s_start) or speaker
            if speaker is not None:
                quote.speaker_start, quote.speaker_end = s_start, s_end
        elif found.inherit:
            speaker = self.inherited(span, quote)
        if speaker is not None and plausible_speaker(speaker.name):
            quote.speaker, quote.speaker_role, quote.speaker_org = (
                speaker.name, speaker.role, speaker.org)  # fmt: skip
            quote.speaker_kind = speaker.kind
            self.last = speaker
            if speaker.kind == PERSON:
                self.last_person = speaker
        self.last_end = span.close_end
        self.last_quote = quote
        return quote

    def _became_subject(self, speaker: Speaker, pos: int) -> bool:
        """Whether ``speaker`` has led a sentence since the one of the last quotation (whose
        cue names who spoke): "the foreign minister was asked whether …. “…,” he replied"
        is his own answer."""
        lo = sentence_end(self.text, self.last_end, pos)
        if _ASKED_RE.search(self.text, lo, pos):  # a question put to him: he answers it
            return True
        if any(m.subject and m.entity.name == speaker.name for m in self.entities.between(lo, pos)):
            return True
        return any(
            found.name == speaker.name for _, found in self.entities.described_subjects(lo, pos)
        )

    def _other_person(self, pos: int) -> Speaker | None:
        """The person named last before ``pos`` who is not the last speaker."""
        for mention in self.entities.before(pos, window=2 * CUE_WINDOW):
            entity = mention.entity
            if entity.kind == PERSON and self.last is not None and entity.name != self.last.name:
                return entity.speaker()
        return None

    def resolve(self, phrase: str, pos: int) -> Speaker | None:
        """A subject phrase as a speaker: pronouns by salience, the rest by the entities."""
        low = phrase.lower()
        if low in _PRONOUN_GENDER:
            speaker = self.pronoun(_PRONOUN_GENDER[low], pos)
            if speaker is not None and speaker.kind == PERSON:
                # "…,” she told reporters: a later "he" is somebody else
                self.entities.learn_gender(speaker.name, _PRONOUN_GENDER[low])
            return speaker
        if low in {"it", "they", "them"}:
            country = self._country_before(pos) if low == "it" else None
            if country is not None:  # "Russia launched what it calls a “…”"
                return Speaker(country, ORGANIZATION)
            if self.last is not None and self.last.kind != PERSON:
                return self.last
            body = self._body_leading_before(pos)
            if body is not None:  # "Netanyahu's office criticized Hamas' comments. “…,” it said."
                return body
            for mention in self.entities.before(pos, window=CUE_WINDOW):
                if mention.entity.kind in {ORGANIZATION, OUTLET}:
                    return mention.entity.speaker()
            return self.last if low != "it" else None  # "it" is never a person
        return self.entities.resolve(phrase, pos, current=self.last)

    def _body_leading_before(self, pos: int) -> Speaker | None:
        """The body that leads the sentence before the one holding ``pos``, if one does:
        "China's coastguard said … ¶ It said its patrol was a “routine action”"."""
        start = sentence_start(self.text, self.text.rfind("\n", 0, pos) + 1, pos)
        if start == 0 and pos > 0:  # the pronoun opens a paragraph: the sentence before it
            start = self.text.rfind("\n", 0, pos) + 1
        if start > 0:
            _, speaker = self._subject_before(start)
            if speaker is not None and speaker.kind in {ORGANIZATION, OUTLET}:
                return speaker
        return None

    def _subject_before(self, pos: int) -> tuple[bool, Speaker | None]:
        """Whether the sentence that ends before ``pos`` opens with a subject, and whom that
        subject names (``None``: nobody the entities know)."""
        end = pos
        while end > 0 and self.text[end - 1].isspace():
            end -= 1
        start = sentence_start(self.text, self.text.rfind("\n", 0, end) + 1, max(0, end - 2))
        found = subject_of_sentence(self.text[start:end], start)
        if found is None:
            return False, None
        return True, self.entities.resolve(found[0], found[1])

    def _country_before(self, pos: int) -> str | None:
        """The country that opens the sentence holding ``pos`` ("Russia launched what it
        calls …", "The US says it …"): what "it" stands for there."""
        lo = sentence_start(self.text, self.text.rfind("\n", 0, pos) + 1, pos)
        words = self.text[lo:pos].split()[:2]
        for first in (" ".join(words[:2]), words[0] if words else ""):
            country = country_of(first.rstrip(",")) if first else None
            if country is not None:
                return country
        return None

    def pronoun(self, gender: str, pos: int) -> Speaker | None:
        """ "He" or "she": a person who has become a sentence's subject since the last
        quotation, else whoever spoke last, else the nearest person named before."""
        since = max(self.last_end, pos - CUE_WINDOW) if self.last is not None else pos - CUE_WINDOW
        subject = next(
            (m for m in reversed(self.entities.between(since, pos))
             if m.entity.kind == PERSON and m.subject and m.entity.gender in {None, gender}),
            None,
        )  # fmt: skip
        # "The Iranian foreign minister … dismissed …": a description that leads a sentence
        # after the last named subject is the newer subject.
        described = self.entities.described_subjects(subject.pos + 1 if subject else since, pos)
        if described:
            return described[-1][1]
        if subject is not None:
            return subject.entity.speaker()
        last = self.last if self.last is not None and self.last.kind == DESCRIPTION else None
        last = last or self.last_person
        if last is not None:
            known = self.entities.people.gender(last.name) or self.entities.gender_of(last.name)
            if known in {None, gender}:
                return last
        for mention in self.entities.before(pos, window=2 * CUE_WINDOW):
            entity = mention.entity
            if entity.kind == PERSON and entity.gender in {None, gender}:
                return entity.speaker()
        return None

    def inherited(self, span: Span, quote: Quote) -> Speaker | None:
        """A quotation with no cue of its own: who is speaking at this point of the text.

        The speaker of the quotation before goes on within its paragraph and the next; past
        that, the subject of the last reporting verb in this paragraph or the one before, then
        the last speaker a few paragraphs on; with no quotation before, the person the
        document is about.
        """
        text = self.text
        framed, author = self._message_author(span)
        if framed:  # "The message reads:": its sender's words, or nobody's we can name
            return author
        gap = len(_PARAGRAPH_BREAK_RE.findall(text, self.last_end, span.open_mark))
        if self.last is not None and gap <= 1:
            newcomer = self._new_subject(span)
            return newcomer.speaker() if newcomer is not None else self._goes_on(quote)
        lo = max(span.open_mark - CUE_WINDOW, self.last_end if self.last is not None else 0)
        breaks = list(_PARAGRAPH_BREAK_RE.finditer(text, lo, span.open_mark))
        if len(breaks) >= 2:
            lo = breaks[-2].end()  # this paragraph and the one before
        for cue in reversed(list(CUE_RE.finditer(text, lo, span.open_mark))):
            if is_noun(text, cue):
                continue
            sent = sentence_start(text, lo, cue.start())
            phrase = trailing_phrase(text[sent : cue.start()], sent)
            if phrase is None:
                continue
            speaker = self.resolve(phrase[0], phrase[1])
            if speaker is not None and plausible_speaker(speaker.name):
                quote.speaker_start, quote.speaker_end = phrase[1], phrase[2]
                quote.cue = cue.group()
                return speaker
        if self.last is not None and gap <= 3:
            return self._goes_on(quote)
        if self.last is None and quote.kind == "direct":
            # the person the document is about, if they act in it: "the death of George
            # Floyd" before a quoted slogan makes nobody its speaker
            main = self.entities.main_person()
            if main is not None and any(
                m.subject for m in self.entities.mentions if m.entity is main
            ):
                return main.speaker()
        return None

    def _message_author(self, span: Span) -> tuple[bool, Speaker | None]:
        """Whether the quotation follows "The message reads, in part:", and who wrote the
        message: the person who leads the sentence before ("Vladimir Putin sent greetings to
        the staff of the Library …"), or the nearest person who led one."""
        lead = self.text[max(0, span.open_mark - 120) : span.open_mark]
        found = _MESSAGE_READS_RE.search(lead) if _may_read(lead) else None
        if found is None:
            return False, None
        at = span.open_mark - len(lead) + found.start()
        led, speaker = self._subject_before(at)  # the sentence before "The message reads"
        if led:  # "The President congratulated Russian Muslims": not Muslims
            return True, speaker if speaker is not None and speaker.kind == PERSON else None
        for mention in self.entities.before(at, window=CUE_WINDOW):
            if mention.entity.kind == PERSON and mention.subject:
                return True, mention.entity.speaker()
        return True, None

    def _new_subject(self, span: Span):
        """A person who became a sentence's subject in this paragraph since the last quotation
        ("Geng's boss, Foreign Minister Wang Yi, echoed the sentiment. “…”"): the new speaker."""
        lo = max(self.last_end, span.para_start)
        for mention in reversed(self.entities.between(lo, span.open_mark)):
            entity = mention.entity
            if entity.kind == PERSON and mention.subject and entity.name != self.last.name:
                return entity
        return None

    def _goes_on(self, quote: Quote) -> Speaker | None:
        """The last speaker, with the cue and speaker offsets of their last quotation."""
        if self.last_quote is not None:
            quote.cue = self.last_quote.cue
            quote.speaker_start = self.last_quote.speaker_start
            quote.speaker_end = self.last_quote.speaker_end
        return self.last


def plausible_speaker(name: str) -> bool:
    """Whether a resolved subject can be somebody who speaks.

    The subject finder sometimes stops on a sentence opener ("Second, … said"),
    a first-person pronoun (the spokesperson quoting their own words, already
    archived as their turn), or a hedge ("Reports say", "According to"):
    such quotes keep no speaker rather than a wrong one.
    """
    words = name.split()
    if not words or name.endswith("-") or not any(ch.isalpha() for ch in name):
        return False
    first = words[0].lower().strip(",")
    if len(words) == 1 and first in NON_SPEAKER_WORDS and not words[0].isupper():
        return False  # "us", not "US"
    if len(words) > 1 and words[-1] in _DANGLING:
        return False  # "lawsuit for", "Xi to": a phrase cut inside, nobody's name
    return first not in NON_SPEAKER_OPENERS
