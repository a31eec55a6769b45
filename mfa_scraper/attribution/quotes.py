"""Quotations in running English text: which are statements, and who made them.

:func:`extract_quotes` pairs quote marks (:mod:`.quotemarks`), keeps the spans
that are statements — ``direct`` (a full quoted statement) or ``partial`` (a
quoted fragment inside reported speech) — and drops scare quotes, terms, titles
and headings. Each statement is attributed through its reporting cue
(:mod:`.cues`) to a speaker, resolved to one canonical identity
(:mod:`.people`): "he" to the last speaker, "Xi" to "Xi Jinping", roles and
countries split off the name.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from archive.identity.names import COUNTRY_ADJECTIVES, parse_mention
from archive.wordlists import read_words
from mfa_scraper.attribution.en.cues import (
    CUE_RE,
    LEFT_CUE_RE,
    OFFICE_NOUNS,
    PRONOUNS,
    SENTENCE_END_RE,
    is_sentence_end,
    leading_phrase,
    sentence_bounds,
    subject_of_sentence,
    trailing_phrase,
)
from mfa_scraper.attribution.findings import extract_other, text_language
from mfa_scraper.attribution.mentions import PeopleIndex
from mfa_scraper.attribution.quotemarks import Span, find_spans
from mfa_scraper.items import Quote

#: Word lists of this module: data files, one entry a line (en/*.txt).
_WORDS = Path(__file__).resolve().parent / "en"

#: Words right before a quote that make it a term or a title, not a statement.
TERM_MARKERS = re.compile(
    r"(?:so-called|so called|dubbed|known as|the term|the word|the words|the phrase|titled|"
    r"entitled|named|nicknamed|slogan|hashtag|labell?ed|branded|coined|headlined|motto|"
    r"the label|campaign|book|film|movie|song|album|report|article|column|law|act|"
    r"saying goes|saying|proverb|idiom|adage|poem|verse)\s*[,:]?\s*$",
    re.IGNORECASE,
)
#: Determiners before a short quote that make it a modifier or a name ("the “interim” government").
DETERMINER_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|its|their|his|her|our|this|that|these|those|new|own|any|what)|['’]s)\s*$",
    re.IGNORECASE,
)
#: Lowercase words that may follow a quoted fragment inside a sentence without making it
#: a modifier (“…” to, “…” and, “…” if …).
FUNCTION_AFTER = frozenset(read_words(_WORDS / "function_after.txt"))
NAME_RE = re.compile(
    r"\b[A-Z][a-z][\w'’-]*(?:\s+(?:[A-Z]\.\s+)?(?:al-|bin\s+|de\s+|von\s+der\s+|van\s+)?"
    r"[A-Z][\w'’-]*){0,5}"
)
#: Capitalised words that begin or belong to names of things, not people.
NOT_NAME_WORDS = frozenset(read_words(_WORDS / "not_name_words.txt"))

MIN_DIRECT_WORDS = 3

#: Single words that are never a speaker, though they stand where a subject would.
NON_SPEAKER_WORDS = frozenset(
    "i we you me us some many most others first second third fourth finally can just as so "
    "it this that there here reports report people someone somebody".split()
)
#: First words of phrases that are openers or hedges, not speakers.
NON_SPEAKER_OPENERS = frozenset(
    "according as so just can could first second third finally if when while since reports".split()
)


@dataclass
class _Found:
    span: Span
    kind: str
    cue: str | None
    phrase: tuple[str, int, int] | None
    inherit: bool = False


def _sentence_start(text: str, lo: int, pos: int) -> int:
    """Start of the sentence holding ``pos``, searching no further back than ``lo``."""
    start = lo
    for m in SENTENCE_END_RE.finditer(text, lo, min(pos + 1, len(text))):
        if is_sentence_end(text, m):
            start = m.end()
    return start


def _sentence_end(text: str, pos: int, hi: int) -> int:
    for m in SENTENCE_END_RE.finditer(text, pos, hi):
        if is_sentence_end(text, m):
            return m.end()
    return hi


def _is_heading(text: str, span: Span) -> bool:
    """A whole paragraph that is a short quotation without final punctuation: a subhead."""
    before = text[span.para_start : span.open_mark].strip(" \t0123456789.")
    after = text[span.close_end : span.para_end].strip()
    body = text[span.start : span.end]
    return not before and not after and body[-1:] not in ".!?…" and len(body.split()) <= 10


def _is_term(text: str, span: Span, left: str, right: str) -> bool:
    """Scare quotes, terms and titles: fragments that are nobody's statement."""
    body = text[span.start : span.end]
    words = body.split()
    if TERM_MARKERS.search(left):
        return True
    if (
        len(words) >= 2
        and all(
            w[:1].isupper() or w.lower() in {"of", "the", "and", "a", "in", "for", "on", "to"}
            for w in words
        )
        and body[-1:] not in ".!?"
    ):
        return True  # Title Case: a title, a name, a slogan
    if len(words) <= 4:
        nxt = re.match(r"\s*([a-z][\w-]*)", right)
        if nxt and nxt.group(1) not in FUNCTION_AFTER and not CUE_RE.match(nxt.group(1)):
            return True  # a modifier: “interim” government
        if DETERMINER_BEFORE.search(left):
            return True
    return False


def _starts_statement(body: str) -> bool:
    first = body.lstrip("[(…. '‘")[:1]
    return first.isupper() or first.isdigit()


def _right_cue(text: str, span: Span) -> tuple[str, tuple[str, int, int]] | None:
    """A cue just after the quote: `…,” Lavrov said` or `…,” said Lavrov`."""
    if span.runs_on:
        return None
    if text[span.end - 1 : span.end] == "." and re.match(r"\s+[A-Z]", text[span.close_end :]):
        return None  # “… today.” Putin then … : the quote ended its sentence
    hi = _sentence_end(text, min(span.close_end, span.para_end), span.para_end)
    right = text[span.close_end : hi]
    after = re.match(r"\s*[,.!?]?\s*[—–-]?\s*", right)
    rest = right[after.end() :]
    base = span.close_end + after.end()
    for cue in CUE_RE.finditer(rest, 0, 160):
        if re.search(r"[“\"”]", rest[: cue.start()]):
            break
        between = rest[: cue.start()]
        phrase = None
        if cue.start() > 0:
            phrase = trailing_phrase(between, base)
            lead = between[: phrase[1] - base] if phrase else ""
            if phrase and (len(lead.split()) > 12 or re.search(r"\b(?:and|but|while)\b|;", lead)):
                phrase = None  # the subject must follow the quote closely
        if (
            phrase is None
            and not cue.group().endswith("ing")
            and (cue.start() == 0 or between.rstrip().endswith(","))
        ):
            # Inverted: `…,” said Lavrov` or `…” announced in May, said Lavrov`.
            phrase = leading_phrase(rest[cue.end() :], base + cue.end())
        if phrase and len(phrase[0].split()) <= 14:
            return cue.group(), phrase
    return None


def _left_subject(
    text: str, sent_lo: int, open_mark: int
) -> tuple[str, tuple[str, int, int]] | None:
    """The first cue of the sentence before the quote that has a usable subject.

    The main clause usually comes first ("Pompeo said that … Washington had
    concluded …"), and participles or coordinated verbs ("…, saying", "and added")
    take the subject of the sentence.
    """
    left = text[sent_lo:open_mark]
    for cue in reversed(list(CUE_RE.finditer(left))):
        word = cue.group()
        if (
            word.endswith("ing") and not re.search(r"[A-Z][\w.'’-]+\s+$", left[: cue.start()])
        ) or text[sent_lo + cue.start() - 4 : sent_lo + cue.start()] == "and ":
            phrase = subject_of_sentence(left[: cue.start()], sent_lo)
        else:
            phrase = trailing_phrase(left[: cue.start()], sent_lo)
            if phrase is None:
                phrase = subject_of_sentence(left[: cue.start()], sent_lo)
        as_saying = re.search(r"quoted\s+(\w+(?:\s+[A-Z]\w+)*)\s+as\s+saying\s*$", left)
        if as_saying:
            return "quoted", (
                as_saying.group(1),
                sent_lo + as_saying.start(1),
                sent_lo + as_saying.end(1),
            )
        if phrase is None and cue.start() < 3:
            phrase = leading_phrase(left[cue.end() :], sent_lo + cue.end())  # “…,” said Read, “…”
        if phrase is not None and phrase[0] not in _COUNTRY_WORDS:
            return word, phrase
    return None


def _classify(text: str, span: Span, sent_lo: int) -> _Found | None:
    """Decide kind and cue of one span; ``None`` drops it."""
    body = text[span.start : span.end]
    words = len(body.split())
    left = text[sent_lo : span.open_mark]
    right_hi = _sentence_end(text, min(span.close_end, span.para_end), span.para_end)
    right = text[span.close_end : right_hi] if not span.runs_on else ""
    stripped_left = left.strip()
    left_cue = LEFT_CUE_RE.search(left[-220:]) if stripped_left else None
    right_cue = _right_cue(text, span)
    if left_cue:
        punct = (left_cue.group("punct") or "").strip()
        obj = left_cue.group("obj")
        if punct in {",", ":"} or punct == "as saying" or (not punct and not obj.strip()):
            kind = "direct" if (words >= MIN_DIRECT_WORDS or _starts_statement(body)) else "partial"
            if punct == "" and not _starts_statement(body) and words < 4:
                kind = "partial"
        elif punct == "that" and _starts_statement(body) and re.search(r"[.!?]\s+[A-Z]", body):
            kind = "direct"
        else:
            kind = "partial"
        if kind == "partial" and _is_term(text, span, left, right):
            return None
        direct_intro = punct in {",", ":"}
        if right_cue and not direct_intro:
            return _Found(span, kind, right_cue[0], right_cue[1])
        subject = _left_subject(text, sent_lo, span.open_mark)
        if subject:
            return _Found(span, kind, subject[0], subject[1])
        if right_cue:
            return _Found(span, kind, right_cue[0], right_cue[1])
        return _Found(span, kind, left_cue.group("cue"), None, inherit=True)
    if right_cue is not None:
        cue, phrase = right_cue
        if not stripped_left or stripped_left in {"—", "–", "-", "And", "But"} or span.continues:
            return _Found(
                span, "direct" if words >= 2 or body[-1:] in "!?." else "partial", cue, phrase
            )
        if stripped_left.endswith((":", ",", "—", "–")) and _starts_statement(body):
            return _Found(span, "direct", cue, phrase)
        if _is_term(text, span, left, right):
            return None
        return _Found(span, "partial", cue, phrase)
    # No cue next to the quote.
    if span.continues or (not stripped_left and (span.runs_on or _starts_statement(body))):
        if _is_heading(text, span):
            return None
        if words >= MIN_DIRECT_WORDS:
            return _Found(span, "direct", None, None, inherit=True)
        return None
    if stripped_left.endswith(":") and _starts_statement(body) and words >= MIN_DIRECT_WORDS:
        return _Found(span, "direct", None, None, inherit=True)
    sentence = text[sent_lo:right_hi]
    cue_any = CUE_RE.search(sentence)
    if cue_any and not _is_term(text, span, left, right):
        subject = _left_subject(text, sent_lo, span.open_mark)
        if subject:
            return _Found(span, "partial", subject[0], subject[1])
        return _Found(span, "partial", cue_any.group(), None, inherit=True)
    return None


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


def extract_quotes(
    text: str, *, people: PeopleIndex | None = None, context: Iterable[str] = ()
) -> list[Quote]:
    """Statements quoted in ``text``, in order, attributed to resolved speakers.

    Chinese and Russian text (by its script, :func:`text_language`) goes through
    the cue finders of :mod:`.cues_zh` and :mod:`.cues_ru`; speakers resolve to the
    same registry identities ("赵立坚" and "Чжао Лицзянь" are "Zhao Lijian").

    Args:
        text: plain text; paragraphs separated by newlines.
        people: a document-level index (e.g. built from the page title) that helps
            resolve short names; a fresh one over the shipped registry otherwise.
        context: names known from outside the text (title, lead) that short
            mentions may refer to ("Xi" → "Xi Jinping"); never returned by themselves.

    Returns:
        :class:`~mfa_scraper.items.Quote` objects with ``text[start:end] == quote``.
    """
    if not text or not text.strip():
        return []
    language = text_language(text)
    if language != "en":
        return extract_other(text, language, people, context)
    spans = find_spans(text)
    if not spans and people is None:
        return []  # most transcript turns quote nothing: skip the index and the name scan
    index = people or PeopleIndex(context=context)
    if people is not None:
        for name in context:
            index.add(name)
    resolver = _Resolver(text, index, spans)
    if people is not None:
        resolver.scan()  # a caller's index learns this text's names, as it always has
    out: list[Quote] = []
    prev: Quote | None = None
    prev_span: Span | None = None
    for span in spans:
        lo = span.para_start
        if prev_span is not None and prev_span.para_start == span.para_start:
            lo = max(lo, prev_span.close_end)
        sent_lo = _sentence_start(text, lo, span.open_mark)
        try:
            found = _classify(text, span, sent_lo)
        except (IndexError, ValueError):  # malformed input never stops the page
            found = None
        if found is None:
            continue
        quote = Quote(quote=text[span.start : span.end], start=span.start, end=span.end,
                      kind=found.kind, cue=found.cue)  # fmt: skip
        if found.phrase is not None:
            surface, s_start, s_end = found.phrase
            speaker, role, org, is_person = resolver.resolve(surface, s_start)
            quote.speaker, quote.speaker_role, quote.speaker_org = speaker, role, org
            quote.speaker_start, quote.speaker_end = s_start, s_end
            if is_person and speaker:
                resolver.last_person = speaker
        elif found.inherit:
            near = (
                prev is not None
                and prev_span is not None
                and (
                    prev_span.para_start == span.para_start
                    or span.para_start - prev_span.para_end <= 2
                )
            )
            if near and prev.speaker:
                quote.speaker, quote.speaker_role, quote.speaker_org = (
                    prev.speaker, prev.speaker_role, prev.speaker_org)  # fmt: skip
                quote.speaker_start, quote.speaker_end = prev.speaker_start, prev.speaker_end
                quote.cue = prev.cue
            else:
                _attribute_from_context(text, span, quote, resolver)
        if quote.speaker and not plausible_speaker(quote.speaker):
            quote.speaker = quote.speaker_role = quote.speaker_org = None
            quote.speaker_start = quote.speaker_end = None
        if quote.speaker:
            resolver.last_speaker = quote.speaker
        out.append(quote)
        prev, prev_span = quote, span
    return out


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
    if len(words) == 1 and first in NON_SPEAKER_WORDS:
        return False
    return first not in NON_SPEAKER_OPENERS


def _attribute_from_context(text: str, span: Span, quote: Quote, resolver: _Resolver) -> None:
    """A quote with no cue of its own: take the subject of the last cue before it."""
    lo = max(0, span.open_mark - 400)
    window = text[lo : span.open_mark]
    cues = list(CUE_RE.finditer(window))
    for cue in reversed(cues):
        sent = _sentence_start(text, lo, lo + cue.start())
        phrase = trailing_phrase(text[sent : lo + cue.start()], sent)
        if phrase is None:
            continue
        speaker, role, org, is_person = resolver.resolve(phrase[0], phrase[1])
        if speaker:
            quote.speaker, quote.speaker_role, quote.speaker_org = speaker, role, org
            quote.speaker_start, quote.speaker_end = phrase[1], phrase[2]
            quote.cue = cue.group()
            if is_person:
                resolver.last_person = speaker
            return
