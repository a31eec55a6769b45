"""Reporting cues ("said", "told", "according to") and the speaker phrase they attach to.

A quotation is attributed through the verb that reports it and that verb's
subject: before the quote ("Lavrov said: …"), after it ("…," Lavrov said) or
inverted ("…," said Lavrov). These helpers look only at a short window of the
sentence around one quote, so the cost stays proportional to the quotes found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from archive.identity.places import PLACES, country_of
from archive.wordlists import read_words

#: Word lists of this module: data files, one entry a line (en/*.txt).
_WORDS = Path(__file__).resolve().parent

#: Verbs (and phrases) that report speech, in the forms news copy uses.
CUE_VERBS = read_words(_WORDS / "cue_verbs.txt")

#: Words between a subject and its verb ("Trump has since said", "he also told").
AUX_WORDS = frozenset(read_words(_WORDS / "aux_words.txt"))

PRONOUNS = frozenset({"he", "she", "they", "it"})


def plurals(nouns: Iterable[str]) -> frozenset[str]:
    """``nouns`` and their regular plurals ("critics", "authorities", "witnesses"): a list of
    sources names the singular, and news copy reports both ("a diplomat said", "diplomats
    say")."""
    out = set(nouns)
    for noun in nouns:
        if noun.endswith("y") and noun[-2:-1] not in "aeiou":
            out.add(noun[:-1] + "ies")
        elif noun.endswith(("s", "x", "ch", "sh")):
            out.add(noun + "es")
        else:
            out.add(noun + "s")
    return frozenset(out)


#: Lowercase heads that make a phrase a speaker description ("a senior official", "critics").
SPEAKER_NOUNS = plurals(read_words(_WORDS / "speaker_nouns.txt"))

#: Offices that a definite description ("the President") can stand for.
OFFICE_NOUNS = frozenset(read_words(_WORDS / "office_nouns.txt"))

#: Capital letters a name may begin with, for a character class: ASCII and the accented Latin
#: capitals of names news copy keeps as written ("Çavuşoğlu", "Šefčovič", "Ökalan").
UPPER = "A-Z" + "".join(c for c in map(chr, range(0xC0, 0x250)) if c.isupper())


def trie_pattern(words: Iterable[str]) -> str:
    """A regex alternation of ``words`` as a trie ("sa(?:id|ys?|ying)"): the same matches as
    the plain alternation, longest first, but the regex engine tests one character per branch
    instead of every word at every position, which made the cue patterns the engine's largest
    cost after the name scan."""
    tree: dict = {}
    for word in words:
        node = tree
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def walk(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + walk(child) for ch, child in node.items() if ch]
        branches.sort(key=len, reverse=True)  # longer continuations first
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return (body if len(branches) == 1 and len(body) == 1 else "(?:" + body + ")") + "?"
        return body

    return walk(tree)


_CUE_ALT = trie_pattern(CUE_VERBS)
CUE_RE = re.compile(rf"\b(?:{_CUE_ALT})\b")
#: A cue at the very end of the text before a quote: "said:", "said that", "told reporters,".
#: The look-ahead after the object changes no match: whatever follows the object opens with a
#: space, a comma, a colon or a dash, or ends the text; it lets the lazy object grow past
#: every other character at the cost of one test instead of each ending's (1.7x faster).
LEFT_CUE_RE = re.compile(
    rf"\b(?P<cue>{_CUE_ALT})\b(?P<obj>[^.!?\"“”]{{0,90}}?)(?=[\s,:—–-]|\Z)"
    r"(?P<punct>\s*[,:]|\s+that|\s+as\s+saying|\s+as)?\s*[—–-]?\s*$"
)
#: Abbreviations after which a full stop does not end the sentence ("Mr. Trump").
ABBREVIATIONS = read_words(_WORDS / "abbreviations.txt")
_ABBREVIATIONS = frozenset(a.lower() for a in ABBREVIATIONS)
#: A candidate sentence end; abbreviations and initials are filtered in :func:`sentence_bounds`.
SENTENCE_END_RE = re.compile(r"[.!?][\"”’)]{0,2}\s+(?=[A-Z\"“‘(&])|[.!?]$")
_WORD_BEFORE_RE = re.compile(r"([\w.]+)$")


def is_sentence_end(text: str, m: re.Match) -> bool:
    """Whether a :data:`SENTENCE_END_RE` match really ends a sentence ("Mr." does not)."""
    if text[m.start()] != ".":
        return True
    before = _WORD_BEFORE_RE.search(text, max(0, m.start() - 12), m.start())
    if not before:
        return True
    word = before.group(1)
    if len(word) == 1 and word.isupper():
        return False  # an initial: "James P. Kennedy"
    return word.lower() not in _ABBREVIATIONS


def sentence_bounds(text: str) -> list[int]:
    """Offsets where sentences start: 0, after each real sentence end, after each newline."""
    bounds = [0]
    append = bounds.append
    for m in SENTENCE_END_RE.finditer(text):  # is_sentence_end, inlined: once per full stop
        start = m.start()
        if text[start] == ".":
            before = _WORD_BEFORE_RE.search(text, start - 12 if start > 12 else 0, start)
            if before:
                word = before.group(1)
                if (len(word) == 1 and word.isupper()) or word.lower() in _ABBREVIATIONS:
                    continue
        append(m.end())
    k = text.find("\n")
    while k >= 0:
        k += 1
        append(k)
        k = text.find("\n", k)
    bounds.sort()
    return bounds


#: A lowercase adverb between a subject and its verb ("firmly", "strongly", "sharply").
_ADVERB_RE = re.compile(r"[a-z]{3,}ly")
_TOKEN_RE = re.compile(r"[\w.'’&-]+|[,:;()—–]")
_BREAKS = frozenset(":;()—–")
#: Sentence-initial words that are never part of the subject ("As Faki said").
_LEADING_SKIP = frozenset(
    ["as", "but", "and", "yet", "so", "then", "also", "while", "when", "if", "because", "although"]
)
#: Capitalised words that look like a subject but never speak ("That said", "On Monday").
_NOT_SUBJECT = frozenset(read_words(_WORDS / "not_subject.txt"))
_RELATIVE = frozenset({"who", "which", "that", "whose"})
_FUNCTION_WORDS = frozenset(read_words(_WORDS / "function_words.txt"))
_DETERMINERS = frozenset(read_words(_WORDS / "determiners.txt"))


def _is_cap(token: str) -> bool:
    return token[:1].isupper() or token[:1].isdigit()


#: A place or medium right before a phrase, after a name: "… on Twitter", "… in Geneva".
_WHERE_BEFORE_RE = re.compile(r"(?<=\w)[ \t]+(?:on|in|at|via)[ \t]+(?:the[ \t]+)?$")


def trailing_phrase(segment: str, base: int = 0) -> tuple[str, int, int] | None:
    """The noun phrase at the end of ``segment``: the subject before a cue verb.

    Walks back over tokens while they can belong to one name or description
    ("US Secretary of State Mike Pompeo", "a State Department spokesperson",
    "John Williams, the president of the Fed,"). Returns the phrase and its
    offsets (shifted by ``base``), or ``None`` when nothing fits.
    """
    found = _trailing_phrase(segment, base)
    if found is None:
        return None
    at = found[1] - base
    where = _WHERE_BEFORE_RE.search(segment, max(0, at - 12), at)
    if where is not None and not _DATE_TAIL_RE.fullmatch(found[0].split()[0]):
        # "Hua Chunying on Twitter also added": the name before the place (a day is no place)
        before = _trailing_phrase(segment[: where.start()], base)
        if (
            before is not None
            and before[0][:1].isupper()
            and before[0].split()[0].lower() not in {"a", "an", "the"}
            and "\n" not in segment[before[1] - base : before[2] - base]
        ):
            found = before
    words = found[0].split()
    if found[0].lower() in PRONOUNS:
        return found
    if words[0].lower() in _NOT_SUBJECT or all(
        w.lower() in _NOT_SUBJECT or w.isdigit() for w in words
    ):
        return None
    return found


def _name_after_place(tokens: list[tuple[str, int, int]], comma: int, head: str) -> int | None:
    """Where the name ends when an office that ends in a place, or is written in lowercase, is
    followed by the holder's name between commas ("Consul General in Osaka, Xue Jian,",
    "Israel's ambassador to the United Nations, Gilad Erdan,"), else ``None``."""
    last = head.split()[-1].removesuffix("'s").removesuffix("’s")
    office = any(w in SPEAKER_NOUNS or w in OFFICE_NOUNS or w in _ROLEISH for w in head.split())
    if not (country_of(last) or last.lower() in PLACES or office):
        return None  # "Israel's ambassador to the United Nations, Gilad Erdan," has an office
    k = comma + 1
    while k < len(tokens) and tokens[k][0] != ",":
        k += 1
    words = [t[0] for t in tokens[comma + 1 : k]]
    if not 1 <= len(words) <= 4 or not all(w[:1].isupper() for w in words):
        return None
    return tokens[k - 1][2]


def _trailing_phrase(segment: str, base: int) -> tuple[str, int, int] | None:
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(segment)]
    popped = True
    while tokens and popped:  # "Lavrov on Monday also said": dates and auxiliaries, in turn
        cut = _date_tail(" ".join([t[0] for t in tokens[-3:]]))
        while tokens and cut:
            # "… Egyptian government through its embassy on June 21 said": drop the date.
            tokens = tokens[: -len(cut.group().split())]
            cut = _date_tail(" ".join([t[0] for t in tokens[-3:]])) if tokens else None
        popped = False
        while tokens and (
            tokens[-1][0].lower() in AUX_WORDS
            or tokens[-1][0].lower() in _RELATIVE
            or _ADVERB_RE.fullmatch(tokens[-1][0])  # "Abbas Araghchi firmly dismissed"
        ):
            if _DATE_TAIL_RE.fullmatch(tokens[-1][0]):
                popped = True
                break  # a day: the date rule drops it with its "on"
            tokens.pop()
            popped = True
    if len(tokens) > 2 and tokens[-1][0] == ")":
        # "Sen. Ted Cruz (R-Texas) have called", "Zhao Lijian (pictured) noted"
        opening = next((k for k in range(len(tokens) - 2, max(-1, len(tokens) - 8), -1)
                        if tokens[k][0] == "("), None)  # fmt: skip
        if opening:
            tokens = tokens[:opening]
    if not tokens:
        return None
    # Appositive: "Morrison, Vindman's superior," or "Zippy Duvall, the president of X,":
    # the subject is the name before the first comma of the clause.
    if tokens[-1][0] == "," and len(tokens) > 2:
        commas = [k for k, t in enumerate(tokens[:-1]) if t[0] == ","]
        for head_end in commas:
            if len(tokens) - head_end > 30:
                continue
            head = trailing_phrase(segment[: tokens[head_end][1]], base)
            first_word = _ARTICLE_RE.sub("", head[0]) if head else ""
            if (
                head
                # "Zippy Duvall, …," or "EU foreign affairs chief Josep Borrell, speaking as …,"
                and (first_word[:1].isupper() or head[0].split()[-1][:1].isupper())
                and first_word.split()[0].lower() not in _NOT_SUBJECT
            ):
                name = _name_after_place(tokens, head_end, head[0])
                if name is not None:  # "China's Consul General in Osaka, Xue Jian, posted"
                    return segment[head[1] - base : name], head[1], base + name
                return head[0], head[1], base + tokens[-1][1]
        tokens.pop()
    last = tokens[-1][0]
    if last.lower() in PRONOUNS:
        return last, base + tokens[-1][1], base + tokens[-1][2]
    k = len(tokens) - 1
    seen_noun = False
    while k >= 0:
        word = tokens[k][0]
        low = word.lower()
        if word == "," or word in _BREAKS:
            break
        if _is_cap(word) or low.endswith(("'s", "’s")):
            seen_noun = seen_noun or True
        elif low in SPEAKER_NOUNS or low in _ROLEISH:
            seen_noun = True
        elif (
            low in _FUNCTION_WORDS
            and k > 0
            and (
                _is_cap(tokens[k - 1][0])
                or tokens[k - 1][0].lower() in _NOUNISH
                or (low == "the" and tokens[k - 1][0].lower() in _BEFORE_THE)
            )
        ):
            pass
        elif low in _DETERMINERS:
            k -= 1
            break
        elif k < len(tokens) - 1 and low in _ADJECTIVES:
            pass
        else:
            # "a senior Turkish security official": modifiers back to a determiner.
            head_is_noun = tokens[-1][0].lower() in _NOUNISH
            for back in range(k, max(-1, k - 3), -1):
                w = tokens[back][0]
                if w.lower() in {"a", "an", "the"} and seen_noun and head_is_noun:
                    k = back - 1
                    break
                if not w.isalpha():
                    break
            break
        k -= 1
    first = k + 1
    while first < len(tokens) and _skipped_first(tokens[first][0]):
        first += 1
    if first >= len(tokens) or not seen_noun:
        return None
    start, end = tokens[first][1], tokens[-1][2]
    return segment[start:end], base + start, base + end


_ROLEISH = frozenset(read_words(_WORDS / "roleish.txt"))
_ARTICLE_RE = re.compile(r"^(?:the|a|an)\s+")
#: The names of months and weekdays, lowercase: dates before a verb, or surnames ("May").
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
#: Unions :func:`_trailing_phrase` tests tokens against, built once here rather than on
#: every test (a new set of a hundred words per token).
_NOUNISH = SPEAKER_NOUNS | _ROLEISH
_SKIP_FIRST = (_FUNCTION_WORDS - {"the"}) | _LEADING_SKIP
_TIME_PREPOSITIONS = frozenset("on in at during after before since".split())
#: Particles that begin a name when capitalised: "Der Spiegel", "Al Jazeera", "De Gaulle".
_NAME_PARTICLES = frozenset("al bin da de del der du la van von".split())


def _skipped_first(word: str) -> bool:
    """Whether a phrase's first word is left out of it: "and", "of", but not "Der" of "Der
    Spiegel"."""
    low = word.lower()
    if low in WEEKDAYS or low in _TIME_PREPOSITIONS:
        return True  # "On Friday Ambassador Huang Xilian, addressing …, said"
    return low in _SKIP_FIRST and not (word[:1].isupper() and low in _NAME_PARTICLES)


_ADJECTIVES = frozenset(read_words(_WORDS / "adjectives.txt"))
#: Prepositions after which "the" continues a name or an office ("task force on the …").
_BEFORE_THE = frozenset("of to for at in on".split())


_DATE_TAIL_RE = re.compile(
    r"(?:\b(?:on|in|at|last|this|since)\s+)?\b(?:(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?"
    r"|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
    r"\.?(?:\s+\d{1,2})?|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|week|month|"
    r"year|night|morning|evening|weekend|\d{1,2}|\d{4})$"
)
#: What a string ends with when :data:`_DATE_TAIL_RE` matches it (no flags, so case counts):
#: a digit, the full stop of "Jan.", or one of its words in full.
_DATE_ENDINGS = (
    ".", "Jan", "January", "Feb", "February", "Mar", "March", "Apr", "April", "May", "Jun",
    "June", "Jul", "July", "Aug", "August", "Sep", "Sept", "Sepember", "September", "Oct",
    "October", "Nov", "November", "Dec", "December", "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday", "Sunday", "week", "month", "year", "night", "morning",
    "evening", "weekend",
)  # fmt: skip


_CAPITALISED_BEFORE_RE = re.compile(r"\b[A-Z][\w.'’-]*[ \t]+$")


def _date_tail(words: str) -> re.Match | None:
    """``_DATE_TAIL_RE.search(words)``, not run when ``words`` cannot end in a date: the
    end-anchored search tries every offset, before nearly every reporting verb."""
    if not (words[-1:].isdigit() or words.endswith(_DATE_ENDINGS)):
        return None
    found = _DATE_TAIL_RE.search(words)
    if (
        found is not None
        and found.group().lower() in MONTHS
        and _CAPITALISED_BEFORE_RE.search(words, 0, found.start())
    ):
        return None  # "Theresa May said", "Ms May called": a surname, not a month
    return found


def subject_of_sentence(sentence: str, base: int = 0) -> tuple[str, int, int] | None:
    """The grammatical subject at the start of a sentence, after a leading adverbial.

    Used for participial cues ("…, saying “…”") and coordinated verbs ("Volker said …
    and added, “…”"), whose subject is the main clause's.
    """
    m = _SUBJECT_RE.match(sentence)
    if not m:
        return None
    phrase = m.group("np")
    tail = _NOUN_TAIL_RE.match(sentence, m.end("np"))
    if tail and phrase[:1].isupper() or tail and phrase.split()[0].lower() in {"the", "a", "an"}:
        phrase += tail.group()  # "the Philippine coast guard", "Russia's foreign ministry"
        holder = _HOLDER_RE.match(sentence, m.end("np") + len(tail.group()))
        if holder:  # "White House press secretary Stephanie Grisham": the office's holder
            phrase += holder.group()
        return phrase, base + m.start("np"), base + m.start("np") + len(phrase)
    words = phrase.split()
    if (
        words[0].lower() in _NOT_SUBJECT
        or phrase.lower() in {"the", "a", "an"}
        or (len(words) == 1 and phrase.endswith("ly"))
        or words[0] in _PREPOSITIONS  # "to Africa which he said …": no subject
    ):
        return None
    return phrase, base + m.start("np"), base + m.end("np")


_PREPOSITIONS = frozenset("to in at of for on by from with into over against about".split())


#: Lowercase words that continue a capitalised subject into a body or an office.
_NOUN_TAIL_RE = re.compile(
    r"(?:\s+(?:foreign|defen[cs]e|state|news|press|coast|guard|coastguard|ministry|department|"
    r"agency|government|embassy|office|spokesperson|spokesman|spokeswoman|minister|official|"
    r"officials|military|army|navy|council|commission|committee|envoy|ambassador|president|"
    r"leader|chief|media|newspaper|daily|tabloid|outlet|task|force|security|affairs|"
    r"authorities|mission|delegation|prime|premier|secretary)){1,4}(?=[\s,]|$)"
)
#: A name after an office that ends in a lowercase word ("… press secretary Sean Spicer").
_HOLDER_RE = re.compile(r"(?:[ \t]+[" + UPPER + r"][\w'’-]+){1,3}(?=[\s,(]|$)")
#: Lowercase heads of a description that may lead a sentence ("the minister", "the official").
_HEADS = trie_pattern(SPEAKER_NOUNS | OFFICE_NOUNS | _ROLEISH)
#: Heads of a description that is a document, whose words are its issuer's ("the statement").
DOCUMENT_NOUNS = frozenset(
    "statement statements communique communiqué readout declaration resolution letter essay "
    "memorandum memo circular manifesto report".split()
)
#: Heads that may lead a sentence after "a": somebody ("A senior official said …"), not a
#: document ("A statement read on national television said …": its issuer's words).
_SOMEBODY_HEADS = trie_pattern((SPEAKER_NOUNS | OFFICE_NOUNS | _ROLEISH) - DOCUMENT_NOUNS)
_SUBJECT_RE = re.compile(
    r"\s*(?:(?i:on|in|at|after|before|during|later|earlier|last|when|while|soon|shortly|"
    r"yesterday|today|meanwhile|however|but|and|yet|separately|asked|speaking|responding|"
    r"addressing|opening|writing|according)\b[^,]{0,80},\s*|[A-Z][a-z]+ing\b[^,]{0,200},\s*"
    # A clause before the subject: "As Russian troops were moving into Ukraine …, Putin …"
    r"|(?:As|Although|Though|Since|Because|If|Once|Until|Amid|Despite|When|While|After|Before)"
    r"\b[^,]{0,140},\s*)?"
    r"(?:(?:(?:Hours|Days|Minutes|Moments|Weeks|Months|Years)\s+(?:later|earlier)|Later|Earlier"
    r"|Meanwhile|Separately|Previously)\s+)?"
    r"(?:(?:But|And|Yet|So|Then|Also|As)\s+)?"
    r"(?P<np>[Hh]e|[Ss]he|[Tt]hey"
    # "the shadow health secretary was approached … and insisted", "a senior official said":
    # a lowercase description
    r"|[Tt]he\s+(?:[a-z-]+\s+){0,3}(?:" + _HEADS + r")(?!\w)(?!\s+[A-Z])"
    r"|[Aa]n?\s+(?:[a-z-]+\s+){0,3}(?:" + _SOMEBODY_HEADS + r")(?!\w)(?!\s+[A-Z])"
    r"|(?:(?:[Tt]he|[Aa]n?)\s+)?"
    r"(?:[" + UPPER + r"][\w.'’-]*|[a-z]+(?=\s+[" + UPPER + r"]))"
    r"(?:\s+(?:[" + UPPER + r"][\w.'’-]*|of|for|to|the|in(?=\s+[A-Z])|de|al|von|der|bin|"
    r"spokesperson|spokesman|"
    r"spokeswoman|minister|ambassador|official|envoy|secretary|chief|negotiator|director)(?!\w))*)"
)


#: A description after an inverted cue: `…”, explains the minister in an interview`, `…,” said
#: a senior official`, "according to diplomats".
_DESCRIBED_AFTER_RE = re.compile(
    r"\s*((?:the|an?|one|two|three|several|some|many|other)?\s*"
    r"(?:(?:[a-z-]+|[A-Z]{2,5})\s+){0,3}(?:" + _HEADS + r"))(?!\w)(?!\s+[A-Z])"
)


#: A name after an inverted cue, compiled once (it was built from UPPER and looked up in
#: ``re``'s cache, a 1,000-character key, on every call).
_NAME_AFTER_RE = re.compile(
    r"\s*((?:(?:the|a|an)\s+)?(?:[" + UPPER + r"][\w.'’-]*|[a-z]+(?=\s+[" + UPPER + r"]))"
    r"(?:\s+(?:[" + UPPER + r"][\w.'’-]*|of|the|for|to|de|al|von|der|bin)(?!\w))*)"
)


def leading_phrase(segment: str, base: int = 0) -> tuple[str, int, int] | None:
    """The name after an inverted cue: `…," said Derek Scissors, a China scholar`."""
    m = _DESCRIBED_AFTER_RE.match(segment) or _NAME_AFTER_RE.match(segment)
    if not m or not m.group(1)[:1].strip():
        return None
    phrase = m.group(1).rstrip()
    if phrase.split()[0].lower() in _NOT_SUBJECT:
        return None
    while phrase.split()[-1] in _FUNCTION_WORDS:
        phrase = phrase.rsplit(" ", 1)[0]
    joined = _AND_NAME_RE.match(segment, m.start(1) + len(phrase))
    if joined and _ARTICLE_RE.sub("", (phrase + joined.group()).lower()) in _AND_NAMES:
        phrase += joined.group()  # "the Globe and Mail", not a person "Globe"
    return phrase, base + m.start(1), base + m.start(1) + len(phrase)


#: Names of outlets and bodies that hold "and" ("Globe and Mail"), which no name run crosses.
_AND_NAMES = frozenset(
    w.lower() for f in ("outlets.txt", "bodies.txt") for w in read_words(_WORDS / f) if " and " in w
)
_AND_NAME_RE = re.compile(r" and(?: [A-Z][\w'’-]*){1,3}")


@dataclass
class Subject:
    """A speaker phrase found next to a cue, as written, before the registry resolves it.

    Used by the Chinese and Russian cue finders (:mod:`.cues_zh`, :mod:`.cues_ru`),
    which split the phrase themselves because their titles and word order differ
    from English. ``name`` is the person's name as written (Russian names may be
    inflected); ``pronoun`` is ``"m"``/``"f"`` for he/she, to be resolved to a person
    named before; a phrase without a name (an organisation, "the spokesperson") has
    ``person`` false and is kept as written, unless ``office`` says it stands for
    the person named before it ("Министр также отметил"). ``speaks`` is false for
    the writer or listener themselves (我, мы) and for a country or side (中方):
    the cue is real, but the statement gets no speaker.
    """

    text: str
    start: int
    end: int
    name: str | None = None
    role: str | None = None
    org: str | None = None
    pronoun: str | None = None
    person: bool = True
    office: bool = False
    speaks: bool = True


@dataclass
class Finding:
    """One statement a cue finder kept: the quoted stretch, its kind and its speaker phrase.

    ``start``/``end`` delimit the words (marks excluded); a finder may split one
    quoted span in two (Russian «…, — сказал он. — …») or report words without
    marks (Chinese reported speech, kind ``indirect``). ``inherit`` asks for the
    speaker of the statement before, as for a quote that continues a paragraph.
    """

    start: int
    end: int
    kind: str
    cue: str | None = None
    subject: Subject | None = None
    inherit: bool = False
