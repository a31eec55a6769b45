"""Which quoted stretches of English text are statements, and the cue that reports each.

A span of quotation marks is a ``direct`` statement (a full quoted sentence), a ``partial`` one
(a fragment inside reported speech), or nobody's statement: a scare quote, a term, a title, a
heading (dropped). Each statement keeps its reporting cue ("said", "told") and the speaker
phrase next to it, as written, found by :mod:`.cue_sides`; :mod:`.speakers` resolves that
phrase to someone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from archive.wordlists import read_words
from mfa_scraper.attribution.en.cue_sides import (
    ACCORDING_RE,
    NAMING_VERBS,
    late_subject,
    left_subject,
    right_cue,
    sentence_end,
)
from mfa_scraper.attribution.en.cues import (
    CUE_RE,
    LEFT_CUE_RE,
    subject_of_sentence,
    trailing_phrase,
    trie_pattern,
)
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
#: A subject that is a name, not an article's phrase or a pronoun ("The question is: …").
_NAMED_RE = re.compile(r"(?!(?:The|A|An|This|That|These|Those|It|He|She|They|We|I)\b)[A-Z]")
#: A passive reporting verb before the quote: "you were told:", "he was asked:".
_PASSIVE_RE = re.compile(r"\b(?:was|were|been|be|being|is|are|am)\s+(?:told|asked)\b[^.!?]{0,40}$")
#: An inverted cue opening the sentence: "Said the Global Times: “…”".
_SAID_FIRST_RE = re.compile(
    r"^\s*(?:Said|Says|Added|Wrote|Warned)\s+((?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,4})\s*[:,]\s*$"
)
#: A headline or a caption that names the speaker before a colon: "Lavrov: 'We are ready'".
_HEADLINE_SPEAKER_RE = re.compile(r"([A-Z][\w'’.-]+(?:[ \t]+[A-Z][\w'’.-]+){0,3})[ \t]*:")


#: Patterns of the functions below, compiled once: ``re.match(pattern, …)`` looks the pattern
#: up in ``re``'s cache on every call, and slicing the text to the end per quote copied it.
_NEXT_WORD_RE = re.compile(r"\s*([a-z][\w-]*)")
#: What stands between a quote and a participle that follows it: `…,” saying`, `…”, adding`.
_PARTICIPLE_AFTER_RE = re.compile(r"[ \t]*,?[ \t]*")


@dataclass
class Found:
    span: Span
    kind: str
    cue: str | None
    phrase: tuple[str, int, int] | None
    inherit: bool = False


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
    after = right_cue(text, span, right_hi)
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
        if after and after[0] == "according to":
            # "Cavusoglu said that “…”, according to Ekathimerini": the outlet is the source
            # of the report, the subject of the speech verb is the speaker.
            subject = left_subject(text, sent_lo, span.open_mark)
        if after and not direct_intro and subject is None:
            return Found(span, kind, after[0], after[1])
        subject = subject or left_subject(text, sent_lo, span.open_mark)
        if subject:
            return Found(span, kind, subject[0], subject[1])
        if after:
            return Found(span, kind, after[0], after[1])
        late = late_subject(text, span, right_hi) if kind == "partial" else None
        if late:
            return Found(span, kind, late[0], late[1])
        # "What if you were told: “…”": a passive cue names no speaker, and none is inherited
        passive = _PASSIVE_RE.search(left)
        return Found(span, kind, left_cue.group("cue"), None, inherit=passive is None)
    if after is not None:
        cue, phrase = after
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
    cue_any = CUE_RE.search(sentence) or ACCORDING_RE.match(sentence)
    if cue_any and not _is_term(text, span, left, right):
        subject = left_subject(text, sent_lo, span.open_mark) or late_subject(text, span, right_hi)
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
