"""Where a quotation's reporting cue and its speaker phrase stand, around the quote.

:mod:`.spans` decides what a quoted stretch is (a statement, a term, a title) and asks this
module where its cue is: right after it (`…,” Lavrov said`, `…,” said Lavrov`), later in its
sentence (`… “difficult” but continue daily, Lavrov said`), or before it, where the main
clause's verb and its subject come first (`Pompeo said that … Washington had concluded …
“…”`). Each function returns the cue and the phrase as written; :mod:`.speakers` resolves
the phrase to someone.
"""

from __future__ import annotations

import re

from mfa_scraper.attribution.en.cues import (
    CUE_RE,
    MONTHS,
    SENTENCE_END_RE,
    WEEKDAYS,
    is_sentence_end,
    leading_phrase,
    subject_of_sentence,
    trailing_phrase,
)
from mfa_scraper.attribution.en.names import COUNTRY_WORDS
from mfa_scraper.attribution.quotemarks import Span

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
#: A passive auxiliary right before a cue, and the agent's "by" right after it.
_PASSIVE_BEFORE_RE = re.compile(r"\b(?:was|were|been|being|is|are)\s+$")
_BY_AGENT_RE = re.compile(r"\s+by\s+")
#: Words before "states" that make it the noun: "Western states", "member states".
_STATES_NOUN_RE = re.compile(
    r"\b(?:Western|Arab|Baltic|Gulf|Nordic|African|Asian|European|Pacific|[Mm]ember|island|"
    r"nuclear|other|many|some|several|all|both|small|neighbouring|neighboring|Soviet|"
    r"post-Soviet|former|sovereign|independent|rogue|frontline|coastal|Muslim|Islamic|Balkan|"
    r"Caribbean|Central|Eastern|Southern|Northern|Latin|developing|smaller|major)\s+$"
)
#: A sentence that opens with a subordinate clause, whose verb is not the main clause's.
_OPENING_CLAUSE_RE = re.compile(
    r"\s*(?:(?:[\w-]+\s+){0,3}(?:after|before|since|until)|when|while|as|although|though|if"
    r"|once|because|even\s+as)\s",
    re.IGNORECASE,
)
#: A finite verb and "to" before an infinitive cue: "Leavitt interjected to say".
_INFINITIVE_RE = re.compile(r"\b[a-z]+ed\s+to\s+$")
#: A reporting verb in a "what … said" clause, which is never the main clause's.
_WHAT_CLAUSE_RE = re.compile(r"\bwhat\s+(?:\w+\s+){1,3}$")
_CAPITAL_NEXT_RE = re.compile(r"\s+[A-Z]")
_AFTER_CLOSE_RE = re.compile(r"\s*[,.!?]?\s*[—–-]?\s*")
_DOUBLE_MARK_RE = re.compile(r"[“\"”]")
_CLAUSE_LINK_RE = re.compile(r"\b(?:and|but|while)\b|;")
_NAME_BEFORE_RE = re.compile(r"[A-Z][\w.'’-]+\s+$")
#: An outlet's report that names whom it quotes: "…,” the paper reported, quoting X.
_QUOTING_RE = re.compile(r",?\s+quoting\s+")
#: "quoted X as saying “…”", "cited X as saying that … “…”": X is the speaker.
_QUOTED_AS_SAYING_RE = re.compile(
    r"\b(?:quoted|cited)\s+(\w+(?:\s+[A-Z][\w'’-]*)*)\s+as\s+saying\b(?!.*\b(?:quoted|cited)\s)"
)
#: Verbs that name rather than report: what they quote may be a term ("called it a “tit for
#: tat” move"), so the modifier and determiner tests still apply after them.
NAMING_VERBS = frozenset(
    "called calls calling described describes describing termed characterized characterised "
    "characterizes dubbed labelled labeled branded".split()
)


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


#: "quoted <name> as saying" after a quote: the name is the speaker, not the subject.
_AS_SAYING_RE = re.compile(r"\s+((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)\s+as\s+saying\b")
#: A headline quote, a colon, then who: "'Dangerous …': Iran's Khamenei bashes 'Zionist regime'".
_TITLED_RE = re.compile(r"\s*:\s+((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)(?=\s+[a-z]+s\b)")
#: Verbs that invert with their subject at a sentence's end ("… clash, says Jaishankar.").
_SAY_VERBS = frozenset(["said", "says"])
_DATES = MONTHS | WEEKDAYS


def _inverted(rest: str, cue: re.Match, base: int) -> tuple[str, int, int] | None:
    """The capitalised name that ends the sentence right after a say-verb, else ``None``."""
    phrase = leading_phrase(rest[cue.end() :], base + cue.end())
    if (
        phrase is None
        or not phrase[0][:1].isupper()
        or phrase[0].split()[0].rstrip(".,").lower() in _DATES
    ):
        return None
    return phrase if not rest[phrase[2] - base :].strip(" .,;") else None


#: Words after an inverted subject that end its clause: "…” said Lavrov on Monday".
_NAME_ENDS = frozenset("on in at during after before when while as who to from last this".split())


def _comma_closed(text: str, span: Span, after_close: str) -> bool:
    """Whether a comma (or ! ?) ends the quoted words, inside the marks or after them."""
    return text[span.end - 1 : span.end] in {",", "!", "?"} or "," in after_close


def right_cue(text: str, span: Span, hi: int) -> tuple[str, tuple[str, int, int]] | None:
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
            if cue.group() in _SAY_VERBS and (phrase is None or phrase[0][:1].islower()):
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
            if phrase is not None and not _comma_closed(text, span, right[: after.end()]):
                # `“strongly” rejected U.S. allegations`: with no comma to close the quote,
                # the name after the verb is its subject only where its clause ends there
                follow = rest[phrase[2] - base :].split(maxsplit=1)
                if follow and follow[0][0] not in ",.;:—–(" and follow[0] not in _NAME_ENDS:
                    phrase = None
        if phrase and len(phrase[0].split()) <= 14:
            return cue.group(), phrase
    return None


#: "the" and a capitalised word: a named body ("the Philippine coastguard", "the Kremlin").
_THE_NAME_RE = re.compile(r"the\s+[A-Z]")
#: A parenthesis that ends the words before a cue: "Zhao Lijian (pictured) noted".
_PAREN_TAIL_RE = re.compile(r"\([^()\n]{0,40}\)\s*$")


def late_subject(text: str, span: Span, hi: int) -> tuple[str, tuple[str, int, int]] | None:
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


def main_clause_subject(text: str, sent_lo: int, at: int) -> tuple[str, int, int] | None:
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
        if "," not in before and _OPENING_CLAUSE_RE.match(before):
            continue  # "Barely five days after the regime warned …, the bureau tweeted"
        if before.rstrip().endswith(","):  # "…, said Gan Yu, a spokesperson …, accusing"
            inverted = leading_phrase(text[prev.end() : at], prev.end())
            if inverted is not None and (
                inverted[0][:1].isupper() or inverted[0].split()[0] in {"the", "a", "an"}
            ):  # "…, added the Turkish Foreign Minister, claiming that …"
                return inverted
        paren = _PAREN_TAIL_RE.search(before)
        if paren:  # blanked, not cut, so that offsets hold
            before = before[: paren.start()] + " " * len(paren.group())
        phrase = trailing_phrase(before, full_lo)
        if phrase is not None:
            return phrase
    return None


def is_noun(text: str, cue: re.Match) -> bool:
    """Whether a cue word found in ``text`` is a noun, not the reporting verb: "the King's
    claims", "his remarks", "Western states “do not like …”", "former Soviet states"."""
    if _NOUN_BEFORE_RE.search(text, max(0, cue.start() - 8), cue.start()):
        return True
    return cue.group().lower() == "states" and bool(
        _STATES_NOUN_RE.search(text, max(0, cue.start() - 12), cue.start())
    )


#: "According to …" opening a sentence, where :data:`CUE_RE` (lowercase cues) does not look.
ACCORDING_RE = re.compile(r"\s*According to\b")


def left_subject(
    text: str, sent_lo: int, open_mark: int
) -> tuple[str, tuple[str, int, int]] | None:
    """The first cue of the sentence before the quote that has a usable subject.

    The main clause usually comes first ("Pompeo said that … Washington had
    concluded …"), and participles or coordinated verbs ("…, saying", "and added")
    take the subject of the sentence.
    """
    left = text[sent_lo:open_mark]
    cues = list(CUE_RE.finditer(left))
    leading = ACCORDING_RE.match(left)
    if leading is not None:  # "According to the minister, the economy is “on track”"
        cues.insert(0, leading)
    for cue in reversed(cues):
        word = cue.group().lower()
        if is_noun(left, cue):
            continue
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
            phrase = main_clause_subject(text, sent_lo, sent_lo + cue.start())
            if phrase is None:
                phrase = subject_of_sentence(left[: cue.start()], sent_lo)
        else:
            phrase = trailing_phrase(left[: cue.start()], sent_lo)
            infinitive = _INFINITIVE_RE.search(left, 0, cue.start()) if phrase is None else None
            if infinitive is not None:  # "before Leavitt interjected to say that …"
                phrase = trailing_phrase(left[: infinitive.start()], sent_lo)
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
