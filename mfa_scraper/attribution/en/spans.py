"""Which quoted stretches of English text are statements, and the cue that reports each.

A span of quotation marks is a ``direct`` statement (a full quoted sentence), a ``partial`` one
(a fragment inside reported speech), or nobody's statement: a scare quote, a term, a title, a
heading (dropped). Each statement keeps its reporting cue ("said", "told") and the speaker
phrase next to it, as written; :mod:`.speakers` resolves that phrase to someone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from archive.wordlists import read_words
from mfa_scraper.attribution.en.cues import (
    CUE_RE,
    LEFT_CUE_RE,
    SENTENCE_END_RE,
    is_sentence_end,
    leading_phrase,
    subject_of_sentence,
    trailing_phrase,
    trie_pattern,
)
from mfa_scraper.attribution.en.names import COUNTRY_WORDS
from mfa_scraper.attribution.quotemarks import Span

_WORDS = Path(__file__).resolve().parent

#: Words right before a quote that make it a term or a title, not a statement.
_TERM_WORDS = (
    "so-called|so called|dubbed|known as|the term|the word|the words|the phrase|titled|entitled|"
    "named|nicknamed|slogan|hashtag|labelled|labeled|branded|coined|headlined|motto|the label|"
    "campaign|book|film|movie|song|album|report|article|column|law|act|saying goes|saying|"
    "proverb|idiom|adage|poem|verse|there is no|there are no|there was no|there were no|"
    "no such thing as"
).split("|")
TERM_MARKERS = re.compile(
    rf"(?:{trie_pattern(_TERM_WORDS)})\s*[,:]?\s*$",
    re.IGNORECASE,
)
_TERM_ENDINGS = tuple(_TERM_WORDS)


def _term_marker(window: str) -> re.Match | None:
    """``TERM_MARKERS.search(window)``, without running it when it cannot match: the marker
    ends the window, so (in ASCII text, where ignoring case is ``lower()``) the window without
    its trailing spaces and one comma or colon must end with a marker word. An end-anchored
    search tries every offset of the window; most quotes have no marker before them."""
    if window.isascii():
        tail = window.rstrip()
        if tail.endswith((",", ":")):
            tail = tail[:-1].rstrip()
        if not tail.lower().endswith(_TERM_ENDINGS):
            return None
    return TERM_MARKERS.search(window)


#: Determiners before a short quote that make it a modifier or a name ("the “interim” government").
DETERMINER_BEFORE = re.compile(
    r"(?:\b(?:the|a|an|its|their|his|her|our|this|that|these|those|new|own|any|what)|['’]s)\s*$",
    re.IGNORECASE,
)


#: Lowercase words that may follow a quoted fragment inside a sentence without making it
#: a modifier (“…” to, “…” and, “…” if …).
FUNCTION_AFTER = frozenset(read_words(_WORDS / "function_after.txt"))


MIN_DIRECT_WORDS = 3
#: Verbs that name rather than report: what they quote may be a term ("called it a “tit for
#: tat” move"), so the modifier and determiner tests still apply after them.
NAMING_VERBS = frozenset(
    "called calls calling described describes describing termed characterized characterised "
    "characterizes dubbed labelled labeled branded".split()
)
#: A verb coordinated with the main clause's: its subject is the sentence's ("… but also warned").
_COORDINATED_RE = re.compile(r"\b(?:and|but)(?:\s+(?:also|later|then))?\s+$")
#: What makes the cue word after it a noun: a possessive or a determiner ("the King's claims").
_NOUN_BEFORE_RE = re.compile(r"(?:['’]s|\b(?:the|his|her|their|its|these|those|such))\s+$")
#: "with <subject>" right before a participle cue: "…, with spokesman Mao Ning telling".
_WITH_SUBJECT_RE = re.compile(r"\bwith\s+([^,;:“”\"]{3,90}?)\s+$")
#: A sentence that is only a name and a cue after a quote that ended with a full stop:
#: “… ever.” Trump tweeted. (a comma meant, the cue is the quote's)
_BARE_CUE_SENTENCE_RE = re.compile(
    r"\s+(?:[A-Z][\w.'’-]*\s+){1,4}(?:said|says|tweeted|wrote|added|stated|posted)\.(?:\s|$)"
)
#: A subject that is a name, not an article's phrase or a pronoun ("The question is: …").
_NAMED_RE = re.compile(r"(?!(?:The|A|An|This|That|These|Those|It|He|She|They|We|I)\b)[A-Z]")
#: A passive auxiliary right before a cue, and the agent's "by" right after it.
_PASSIVE_BEFORE_RE = re.compile(r"\b(?:was|were|been|being|is|are)\s+$")
_BY_AGENT_RE = re.compile(r"\s+by\s+")
#: A passive reporting verb before the quote: "you were told:", "he was asked:".
_PASSIVE_RE = re.compile(r"\b(?:was|were|been|be|being|is|are|am)\s+(?:told|asked)\b[^.!?]{0,40}$")
#: Words before "states" that make it the noun: "Western states", "member states".
_STATES_NOUN_RE = re.compile(
    r"\b(?:Western|Arab|Baltic|Gulf|Nordic|African|Asian|European|Pacific|[Mm]ember|island|"
    r"nuclear|other|many|some|several|all|both|small|neighbouring|neighboring)\s+$"
)
#: A reporting verb in a "what … said" clause, which is never the main clause's.
_WHAT_CLAUSE_RE = re.compile(r"\bwhat\s+(?:\w+\s+){1,3}$")
#: An inverted cue opening the sentence: "Said the Global Times: “…”".
_SAID_FIRST_RE = re.compile(
    r"^\s*(?:Said|Says|Added|Wrote|Warned)\s+((?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4})\s*[:,]\s*$"
)
#: A headline or a caption that names the speaker before a colon: "Lavrov: 'We are ready'".
_HEADLINE_SPEAKER_RE = re.compile(r"([A-Z][\w'’.-]+(?:[ \t]+[A-Z][\w'’.-]+){0,3})[ \t]*:")


#: Patterns of the functions below, compiled once: ``re.match(pattern, …)`` looks the pattern
#: up in ``re``'s cache on every call, and slicing the text to the end per quote copied it.
_NEXT_WORD_RE = re.compile(r"\s*([a-z][\w-]*)")
_CAPITAL_NEXT_RE = re.compile(r"\s+[A-Z]")
_AFTER_CLOSE_RE = re.compile(r"\s*[,.!?]?\s*[—–-]?\s*")
_DOUBLE_MARK_RE = re.compile(r"[“\"”]")
_CLAUSE_LINK_RE = re.compile(r"\b(?:and|but|while)\b|;")
_NAME_BEFORE_RE = re.compile(r"[A-Z][\w.'’-]+\s+$")
#: "quoted X as saying “…”", "cited X as saying that … “…”": X is the speaker.
#: What stands between a quote and a participle that follows it: `…,” saying`, `…”, adding`.
_PARTICIPLE_AFTER_RE = re.compile(r"[ \t]*,?[ \t]*")
#: An outlet's report that names whom it quotes: "…,” the paper reported, quoting X.
_QUOTING_RE = re.compile(r",?\s+quoting\s+")
_QUOTED_AS_SAYING_RE = re.compile(
    r"\b(?:quoted|cited)\s+(\w+(?:\s+[A-Z][\w'’-]*)*)\s+as\s+saying\b(?!.*\b(?:quoted|cited)\s)"
)


@dataclass
class Found:
    span: Span
    kind: str
    cue: str | None
    phrase: tuple[str, int, int] | None
    inherit: bool = False


def sentence_start(text: str, lo: int, pos: int) -> int:
    """Start of the sentence holding ``pos``, searching no further back than ``lo``."""
    start = lo
    for m in SENTENCE_END_RE.finditer(text, lo, min(pos + 1, len(text))):
        if is_sentence_end(text, m):
            start = m.end()
    return start


def sentence_end(text: str, pos: int, hi: int) -> int:
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


def _is_term(text: str, span: Span, left: str, right: str, *, verb: str | None = None) -> bool:
    """Scare quotes, terms and titles: fragments that are nobody's statement.

    ``verb``: the cue that governs the fragment. A reporting verb ("Erdogan said his country
    dismantled a “terrorist corridor”"): a phrase of two words or more there is the speaker's,
    whatever word stands before or after it. A naming verb ("called it a “tit for tat” move"):
    a term only when it modifies a noun.
    """
    named = verb in NAMING_VERBS
    reported = verb is not None and not named
    body = text[span.start : span.end]
    words = body.split()
    marker = _term_marker(left[-48:])
    if marker:
        # "wrote down the words “face up to history and pray for friendship…”": after "the
        # words" or "the phrase", a whole clause is a quotation; a word or two is a term.
        quoting = re.search(r"\b(?:words|phrase|saying|message)\s*[,:]?\s*$", marker.group(), re.I)
        return not (quoting and len(words) >= 5)
    if (
        len(words) >= 2
        and all(
            w[:1].isupper() or w.lower() in {"of", "the", "and", "a", "in", "for", "on", "to"}
            for w in words
        )
        and body[-1:] not in ".!?"
    ):
        return True  # Title Case: a title, a name, a slogan
    nxt = _NEXT_WORD_RE.match(right)
    # A modifier (“interim” government, a “tit for tat” move) or a determined short term.
    modifier = bool(nxt) and nxt.group(1) not in FUNCTION_AFTER and not CUE_RE.match(nxt.group(1))
    if modifier and len(words) == 1 and body.endswith("ly") and body.isalpha():
        modifier = False  # would “absolutely” support: an adverb modifies the verb, no noun
    if reported and len(words) >= 2:
        return False
    if named and not modifier:
        # "described the election as a “fraud”," "dismissed it as “fake”": the verb's object
        # named in the speaker's own word; only a word that modifies a noun is a term.
        return False
    return (len(words) <= 4 and modifier) or (
        len(words) <= 2 and bool(DETERMINER_BEFORE.search(left[-24:]))
    )


def _starts_statement(body: str) -> bool:
    first = body.lstrip("[(…. '‘")[:1]
    return first.isupper() or first.isdigit()


#: "quoted <name> as saying" after a quote: the name is the speaker, not the subject.
_AS_SAYING_RE = re.compile(r"\s+((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)\s+as\s+saying\b")
#: A headline quote, a colon, then who: "'Dangerous …': Iran's Khamenei bashes 'Zionist regime'".
_TITLED_RE = re.compile(r"\s*:\s+((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)(?=\s+[a-z]+s\b)")
#: Verbs that invert with their subject at a sentence's end ("… clash, says Jaishankar.").
_SAY_VERBS = frozenset(["said", "says"])
_DAYS_MONTHS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December".split()
)


def _inverted(rest: str, cue: re.Match, base: int) -> tuple[str, int, int] | None:
    """The capitalised name that ends the sentence right after a say-verb, else ``None``."""
    phrase = leading_phrase(rest[cue.end() :], base + cue.end())
    if phrase is None or not phrase[0][:1].isupper() or phrase[0].split()[0] in _DAYS_MONTHS:
        return None
    return phrase if not rest[phrase[2] - base :].strip(" .,;") else None


def _right_cue(text: str, span: Span, hi: int) -> tuple[str, tuple[str, int, int]] | None:
    """A cue just after the quote: `…,” Lavrov said` or `…,” said Lavrov`; ``hi`` is where
    the sentence after the quote ends (:func:`sentence_end`, which the caller has found)."""
    if span.runs_on:
        return None
    if (
        text[span.end - 1 : span.end] == "."
        and _CAPITAL_NEXT_RE.match(text, span.close_end)
        and not _BARE_CUE_SENTENCE_RE.match(text, span.close_end)
    ):
        return None  # “… today.” Putin then … : the quote ended its sentence
    right = text[span.close_end : hi]
    titled = _TITLED_RE.match(right)
    if titled and not text[span.para_start : span.open_mark].strip():
        # A headline: "'Dangerous, deadly cancerous tumor': Iran's Khamenei bashes …"
        at = span.close_end + titled.start(1)
        return "", (titled.group(1), at, at + len(titled.group(1)))
    after = _AFTER_CLOSE_RE.match(right)
    rest = right[after.end() :]
    base = span.close_end + after.end()
    for cue in CUE_RE.finditer(rest, 0, 160):
        if _DOUBLE_MARK_RE.search(rest, 0, cue.start()):
            break
        participle = cue.group().endswith("ing") and rest[: cue.start()].rstrip()[-1:] == ","
        if participle:  # "… remarks on Taiwan, urging": not the noun before the comma
            continue
        between = rest[: cue.start()]
        if _COORDINATED_RE.search(between):
            break  # "… “deeply concerned” about the situation in Syria, and called for …": the
            # verb goes with the sentence's own subject, not with the noun before "and"
        phrase = None
        object_said = _AS_SAYING_RE.match(rest, cue.end()) if cue.group() == "quoted" else None
        if object_said:  # "…,” India Today quoted Jaishankar as saying.
            name = object_said.group(1)
            return "quoted", (name, base + object_said.start(1), base + object_said.end(1))
        if cue.group().lower() == "according to":  # "“…” … at the Jefferson Hotel, according to
            phrase = leading_phrase(rest[cue.end() :], base + cue.end())  # a senior official"
            if phrase is not None:
                return cue.group(), phrase
            continue
        quoting = _QUOTING_RE.match(rest, cue.end())
        if quoting:  # "…” The Times of Israel reported quoting the UN chief.
            phrase = leading_phrase(rest[quoting.end() :], base + quoting.end())
            if phrase is not None:
                return "quoting", phrase
        if cue.start() > 0:
            phrase = trailing_phrase(between, base)
            if cue.group() in _SAY_VERBS and (phrase is None or phrase[0][-1:].islower()):
                inverted = _inverted(rest, cue, base)  # "… clash says Jaishankar"
                if inverted is not None:
                    return cue.group(), inverted
            lead = between[: phrase[1] - base] if phrase else ""
            if phrase and (len(lead.split()) > 12 or _CLAUSE_LINK_RE.search(lead)):
                phrase = None  # the subject must follow the quote closely
        if (
            phrase is None
            and not cue.group().endswith("ing")
            and cue.group() not in NAMING_VERBS  # "…', calls Israel a source of war"
            and (cue.start() == 0 or between.rstrip().endswith(","))
        ):
            # Inverted: `…,” said Lavrov` or `…” announced in May, said Lavrov`.
            phrase = leading_phrase(rest[cue.end() :], base + cue.end())
        if phrase and len(phrase[0].split()) <= 14:
            return cue.group(), phrase
    return None


#: "the" and a capitalised word: a named body ("the Philippine coastguard", "the Kremlin").
_THE_NAME_RE = re.compile(r"the\s+[A-Z]")
#: A parenthesis that ends the words before a cue: "Zhao Lijian (pictured) noted".
_PAREN_TAIL_RE = re.compile(r"\([^()\n]{0,40}\)\s*$")


def _late_subject(text: str, span: Span, hi: int) -> tuple[str, tuple[str, int, int]] | None:
    """A cue later in the sentence whose subject is a name, for a fragment with no cue of its
    own: `… which are “difficult” but continue daily, Russian Foreign Minister Sergei Lavrov
    said`. Only a capitalised subject right before the verb counts; the clause before it
    may be long, as the fragment is the sentence's reported content."""
    if span.runs_on or text[span.end - 1 : span.end] in {".", "!", "?"}:
        return None  # the quoted words ended the sentence
    right = text[span.close_end : hi]
    for cue in CUE_RE.finditer(right):
        between = right[: cue.start()]
        if _DOUBLE_MARK_RE.search(between):
            return None
        if cue.group().endswith("ing") or not between.strip():
            continue
        if cue.group().lower() == "according to":  # "… “…” …, according to a senior official"
            phrase = leading_phrase(right[cue.end() :], span.close_end + cue.end())
            if phrase is not None:
                return cue.group(), phrase
            continue
        paren = _PAREN_TAIL_RE.search(between)
        if paren:  # blanked, not cut, so that offsets hold
            between = between[: paren.start()] + " " * len(paren.group())
        phrase = trailing_phrase(between, span.close_end)
        if phrase and (phrase[0][:1].isupper() or _THE_NAME_RE.match(phrase[0])):
            return cue.group(), phrase  # "Lavrov said", "the Philippine coastguard said"
    return None


def _main_clause_subject(text: str, sent_lo: int, at: int) -> tuple[str, int, int] | None:
    """The subject of the finite cue before a participle at ``at`` in the same sentence, even
    across a quote earlier in it: "Lin Jian told … Takaichi's “wrongful” remarks on Taiwan,
    urging Tokyo to “…”" and "“…” …, Zhao Lijian (pictured) noted, adding that “…”"."""
    full_lo = sentence_start(text, text.rfind("\n", 0, sent_lo) + 1, sent_lo)
    for prev in CUE_RE.finditer(text, full_lo, at):  # the first: the main clause's verb
        if prev.group().endswith("ing"):
            continue
        before = text[full_lo : prev.start()]
        if before.count("“") > before.count("”") or before.count('"') % 2:
            continue  # a verb inside a quoted title: “Prime Minister Takaichi says …”
        if _WHAT_CLAUSE_RE.search(before):
            continue  # "Criticising X for what he said was …, Mr Harris said": not the main verb
        if before.rstrip().endswith(","):  # "…, said Gan Yu, a spokesperson …, accusing"
            inverted = leading_phrase(text[prev.end() : at], prev.end())
            if inverted is not None and inverted[0][:1].isupper():
                return inverted
        paren = _PAREN_TAIL_RE.search(before)
        if paren:  # blanked, not cut, so that offsets hold
            before = before[: paren.start()] + " " * len(paren.group())
        phrase = trailing_phrase(before, full_lo)
        if phrase is not None:
            return phrase
    return None


#: "According to …" opening a sentence, where :data:`CUE_RE` (lowercase cues) does not look.
_ACCORDING_RE = re.compile(r"\s*According to\b")


def _left_subject(
    text: str, sent_lo: int, open_mark: int
) -> tuple[str, tuple[str, int, int]] | None:
    """The first cue of the sentence before the quote that has a usable subject.

    The main clause usually comes first ("Pompeo said that … Washington had
    concluded …"), and participles or coordinated verbs ("…, saying", "and added")
    take the subject of the sentence.
    """
    left = text[sent_lo:open_mark]
    cues = list(CUE_RE.finditer(left))
    leading = _ACCORDING_RE.match(left)
    if leading is not None:  # "According to the minister, the economy is “on track”"
        cues.insert(0, leading)
    for cue in reversed(cues):
        word = cue.group().lower()
        if _NOUN_BEFORE_RE.search(left, max(0, cue.start() - 8), cue.start()):
            continue  # "the King's claims", "his remarks": a noun, not the reporting verb
        if word == "states" and _STATES_NOUN_RE.search(left, max(0, cue.start() - 12), cue.start()):
            continue  # "Western states “do not like …”": countries, not a verb
        agent = _BY_AGENT_RE.match(left, cue.end())
        if agent is not None and _PASSIVE_BEFORE_RE.search(left, 0, cue.start()):
            # "What was said by the spokesperson …": the agent after "by" said it
            phrase = leading_phrase(left[agent.end() :], sent_lo + agent.end())
            if phrase is not None:
                return word, phrase
            continue
        if word == "according to":  # "X, according to the White House, made a … “…”"
            phrase = leading_phrase(left[cue.end() :], sent_lo + cue.end())
            if phrase is not None:
                return word, phrase
            continue
        participle = word.endswith("ing")
        with_subject = _WITH_SUBJECT_RE.search(left, 0, cue.start()) if participle else None
        if with_subject is not None:
            # "China hit back, with spokesman Mao Ning telling a briefing that …": the
            # participle's own subject, not the main clause's
            phrase = trailing_phrase(with_subject.group(1), sent_lo + with_subject.start(1))
            if phrase is not None:
                return word, phrase
        if (
            participle and not _NAME_BEFORE_RE.search(left, 0, cue.start())
        ) or _COORDINATED_RE.search(
            text, max(0, sent_lo + cue.start() - 12), sent_lo + cue.start()
        ):
            phrase = _main_clause_subject(text, sent_lo, sent_lo + cue.start())
            if phrase is None:
                phrase = subject_of_sentence(left[: cue.start()], sent_lo)
        else:
            phrase = trailing_phrase(left[: cue.start()], sent_lo)
            if phrase is None:
                phrase = subject_of_sentence(left[: cue.start()], sent_lo)
        as_saying = _QUOTED_AS_SAYING_RE.search(left)
        if as_saying:
            return "quoted", (
                as_saying.group(1),
                sent_lo + as_saying.start(1),
                sent_lo + as_saying.end(1),
            )
        if phrase is None and cue.start() < 3:
            phrase = leading_phrase(left[cue.end() :], sent_lo + cue.end())  # “…,” said Read, “…”
        # A country is the subject only when it opens the sentence ("China said it had …"),
        # not inside the reported clause ("… Washington had concluded …").
        leads = phrase is not None and not text[sent_lo : phrase[1]].strip()
        if phrase is not None and (phrase[0] not in COUNTRY_WORDS or leads):
            return word, phrase
    return None


#: A saying introduced as such ("As an old Chinese saying goes, “…”", "as the proverb has it",
#: "you know how the Russian saying goes: «…»"): words of nobody, quoted by whoever speaks,
#: however long (:data:`TERM_MARKERS` takes the short terms a word right before introduces).
_SAYING_RE = re.compile(
    r"\b(?:saying|proverb|adage|maxim|idiom)s?\s+(?:goes|says|has\s+it|runs|tells\s+us)"
    r"\s*[,:]?\s*$|\b(?:in\s+the\s+words\s+of\s+an?|as\s+an?|as\s+the)\s+(?:old\s+|"
    r"ancient\s+|popular\s+|famous\s+|[A-Z][a-z]+\s+)*(?:saying|proverb|adage)\s*[,:]?\s*$",
    re.IGNORECASE,
)


_SAYING_NOUNS = ("saying", "proverb", "adage", "maxim", "idiom")
#: Whether a lowercased window holds one of them: one scan, not one per noun.
_SAYING_NOUN_RE = re.compile("|".join(_SAYING_NOUNS))


def _may_be_saying(window: str) -> bool:
    """Whether :data:`_SAYING_RE` may match in ``window``: every match holds one of its nouns
    (in ASCII text, where ignoring case is ``lower()``). Skips an end-anchored, case-blind
    search over 120 characters before nearly every quote."""
    if not window.isascii():
        return True
    return _SAYING_NOUN_RE.search(window.lower()) is not None


def classify(text: str, span: Span, sent_lo: int) -> Found | None:
    """Decide kind and cue of one span; ``None`` drops it. Words quoted from someone's remarks
    ("Ned Price's comments that ties should have “guard rails”", "remarks made by Shinzo Abe
    that “…”") are that someone's, whoever reports them; a saying introduced as one is
    nobody's statement."""
    lo = max(sent_lo, span.open_mark - 120)
    if _may_be_saying(text[lo : span.open_mark]) and _SAYING_RE.search(text, lo, span.open_mark):
        return None
    found = _classify(text, span, sent_lo)
    if found is not None:
        owner = _remarks_owner(text, sent_lo, span.open_mark)
        if owner is not None:
            found.cue, found.phrase, found.inherit = "remarks", owner, False
    return found


#: Nouns for what someone said, owned by a possessive or a "by", then "that": "Price's comments
#: that …", "remarks made by Shinzo Abe … that …". Without "that" the quote may be the reporter's
#: own judgement of the remarks ("the ministry's claim “is patently false”").
_REMARKS = r"(?:comments?|remarks?|statements?|words|claims?|assertions?|accusations?|allegations?)"
_REMARK_STEMS = ("comment", "remark", "statement", "words", "claim", "assertion", "accusation",
                 "allegation")  # fmt: skip
_REMARK_STEM_RE = re.compile("|".join(_REMARK_STEMS))  # any stem in a lowercased window
_OWNED_REMARKS_RE = re.compile(rf"['’]s\s+(?:[a-z-]+\s+){{0,2}}{_REMARKS}\s+that\b")
_REMARKS_BY_RE = re.compile(
    rf"\b{_REMARKS}\s+(?:made\s+|issued\s+)?by\s+(?P<who>[^,;:“\"”]{{3,80}}?)"
    r"(?:\s+and\s+[^,;:“\"”]{0,60}?)?\s+(?:that|about)\b"  # "statements by X about “…”"
)


def _remarks_owner(text: str, sent_lo: int, open_mark: int) -> tuple[str, int, int] | None:
    """Whose remarks the quoted words come from, when the sentence names them after its last
    reporting verb before the quote ("Xue also criticized past remarks made by former Prime
    Minister Shinzo Abe and other Japanese lawmakers that of “…”"), else ``None``."""
    lo = max(sent_lo, open_mark - 160)
    window = text[lo:open_mark]
    low = window.lower()
    if not _REMARK_STEM_RE.search(low):
        return None  # most quotes: no remarks noun before them, no regex run
    marks = [k for k, ch in enumerate(window) if ch in '“"”']
    if marks:  # only the words after the last quote before this one
        lo, window = lo + marks[-1] + 1, window[marks[-1] + 1 :]
    owned = list(_OWNED_REMARKS_RE.finditer(window))
    by = list(_REMARKS_BY_RE.finditer(window))
    last = max(owned + by, key=lambda m: m.start(), default=None)
    if last is None or CUE_RE.search(window, last.end()):
        return None  # a reporting verb nearer the quote says whose words they are
    if last in by:
        who = last.group("who")
        return who, lo + last.start("who"), lo + last.end("who")
    phrase = trailing_phrase(window[: last.start()], lo)
    if phrase is None or not phrase[0][:1].isalpha():
        return None
    return phrase


def _left_cue(window: str) -> re.Match | None:
    """``LEFT_CUE_RE.search(window)``, started after the window's last sentence mark or quote
    mark: no match of the end-anchored pattern holds one (cue, object, punctuation and dash
    exclude them), so the offsets before cannot start a match and need no trying."""
    rfind = window.rfind
    k = max(rfind("."), rfind("!"), rfind("?"), rfind('"'), rfind("“"), rfind("”")) + 1
    return LEFT_CUE_RE.search(window, k)


def _classify(text: str, span: Span, sent_lo: int) -> Found | None:
    """Decide kind and cue of one span; ``None`` drops it."""
    body = text[span.start : span.end]
    words = len(body.split())
    left = text[sent_lo : span.open_mark]
    right_hi = sentence_end(text, min(span.close_end, span.para_end), span.para_end)
    right = text[span.close_end : right_hi] if not span.runs_on else ""
    stripped_left = left.strip()
    left_cue = _left_cue(left[-220:]) if stripped_left else None
    right_cue = _right_cue(text, span, right_hi)
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
        if kind == "partial" and _is_term(text, span, left, right, verb=left_cue.group("cue")):
            return None
        direct_intro = punct in {",", ":"}
        subject = None
        if right_cue and right_cue[0] == "according to":
            # "Cavusoglu said that “…”, according to Ekathimerini": the outlet is the source
            # of the report, the subject of the speech verb is the speaker.
            subject = _left_subject(text, sent_lo, span.open_mark)
        if right_cue and not direct_intro and subject is None:
            return Found(span, kind, right_cue[0], right_cue[1])
        subject = subject or _left_subject(text, sent_lo, span.open_mark)
        if subject:
            return Found(span, kind, subject[0], subject[1])
        if right_cue:
            return Found(span, kind, right_cue[0], right_cue[1])
        late = _late_subject(text, span, right_hi) if kind == "partial" else None
        if late:
            return Found(span, kind, late[0], late[1])
        # "What if you were told: “…”": a passive cue names no speaker, and none is inherited
        passive = _PASSIVE_RE.search(left)
        return Found(span, kind, left_cue.group("cue"), None, inherit=passive is None)
    if right_cue is not None:
        cue, phrase = right_cue
        if not stripped_left or stripped_left in {"—", "–", "-", "And", "But"} or span.continues:
            return Found(
                span, "direct" if words >= 2 or body[-1:] in "!?." else "partial", cue, phrase
            )
        if stripped_left.endswith((":", ",", "—", "–")) and _starts_statement(body):
            return Found(span, "direct", cue, phrase)
        if _is_term(text, span, left, right):
            return None
        return Found(span, "partial", cue, phrase)
    # No cue next to the quote.
    if span.continues or (not stripped_left and (span.runs_on or _starts_statement(body))):
        if _is_heading(text, span):
            return None
        if words >= MIN_DIRECT_WORDS:
            return Found(span, "direct", None, None, inherit=True)
        return None
    said = _SAID_FIRST_RE.search(left)
    if said:  # "Said the Global Times: “…”"
        start = sent_lo + said.start(1)
        kind = "direct" if words >= MIN_DIRECT_WORDS else "partial"
        phrase = (said.group(1), start, start + len(said.group(1)))
        return Found(span, kind, said.group(0).split()[0], phrase)
    if stripped_left.endswith(":") and _starts_statement(body):
        headline = _HEADLINE_SPEAKER_RE.fullmatch(stripped_left)
        if headline:  # "Stoltenberg: 'We shouldn't underestimate Russia'"
            start = sent_lo + left.index(headline.group(1))
            phrase = (headline.group(1), start, start + len(headline.group(1)))
            return Found(span, "direct" if words >= 2 else "partial", None, phrase)
        if words >= MIN_DIRECT_WORDS:
            # "Marshal Ferdinand Foch … gave a prophetic description of that Treaty: “…”": the
            # sentence's named subject introduces the words, whatever the verb
            subject = subject_of_sentence(left, sent_lo)
            if subject is not None and subject[0][:1].isupper() and _NAMED_RE.match(subject[0]):
                return Found(span, "direct", None, subject)
            return Found(span, "direct", None, None, inherit=True)
    sentence = text[sent_lo:right_hi]
    cue_any = CUE_RE.search(sentence) or _ACCORDING_RE.match(sentence)
    if cue_any and not _is_term(text, span, left, right):
        subject = _left_subject(text, sent_lo, span.open_mark) or _late_subject(
            text, span, right_hi
        )
        if subject:
            return Found(span, "partial", subject[0], subject[1])
        after = _PARTICIPLE_AFTER_RE.match(text, span.close_end)
        comma = "," in after.group() or "," in text[span.end : span.close_mark]
        cue = CUE_RE.match(text, after.end()) if comma else None
        if cue is not None and cue.group().endswith("ing"):
            # "Speaker Paul Ryan chalked up the defeat to “…,” saying …": the participle's
            # subject is the sentence's, whatever its own verb
            subject = subject_of_sentence(left, sent_lo)
            if subject is not None and subject[0][:1].isupper():
                return Found(span, "partial", cue.group(), subject)
        return Found(span, "partial", cue_any.group(), None, inherit=True)
    return None
