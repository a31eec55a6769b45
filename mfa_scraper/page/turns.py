"""Speaker turns of a transcript: paragraphs grouped under their labels.

Transcripts label who speaks ("Zhao Lijian:", "Reuters:", "Q:", "Question:",
"President of Russia Vladimir Putin:"). This module finds label candidates
and groups paragraphs; deciding what a label *means* (an answer by the
spokesperson, a question by an outlet) is the site's business, passed in as a
:data:`LabelClassifier`, so one mechanism serves the MFA, the Kremlin and the
State Department.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from mfa_scraper.items import ANSWER, QUESTION, REMARK, Turn
from mfa_scraper.page.html import Paragraph

# "Label: text" with an ASCII or full-width colon; the label is short.
LABEL = re.compile(r"^\s*(?P<label>[^:：\n]{1,60}?)\s*[:：]\s*(?P<rest>.*)$", re.DOTALL)
#: Lower-case words allowed inside a name-like label ("The Globe and Mail", "President of Russia").
LABEL_CONNECTORS = {
    "of",
    "and",
    "the",
    "de",
    "du",
    "la",
    "le",
    "for",
    "&",
    "von",
    "van",
    "al",
    "el",
}
#: First words that start a sentence, not a label ("I want to stress:", "In this video:").
SENTENCE_STARTS = {
    "i", "we", "our", "here", "here's", "but", "let", "what", "in", "on", "as", "at", "between",
    "under", "after", "before", "this", "that", "these", "those", "it", "there", "first",
    "second", "third", "finally", "also", "however", "meanwhile", "today", "yesterday", "note",
    "please", "for", "if", "when", "since", "according", "regarding", "as of",
}  # fmt: skip
#: A paragraph that is a stage direction, not speech: "(Applause.)", "(The Memorandum is
#: signed.)", "(In Spanish.)". A capital first, a lower-case letter somewhere ("(COVID-19)." is
#: the end of a sentence), no nested brackets, short.
STAGE_DIRECTION = re.compile(
    r"^\s*(?:\((?=[^()]*[a-z])[A-Z][^()\[\]]{0,150}\)|\[(?=[^\[\]]*[a-z])[A-Z][^()\[\]]{0,150}\])"
    r"\s*\.?\s*$"
)
_CJK = re.compile(r"[\u3400-\u9fff]")
_DIGIT_AFTER = re.compile(r"^\d")
MAX_LABEL_WORDS = 7


@dataclass
class Label:
    """A label found at the start of a paragraph, and whether it was set in bold."""

    text: str
    bold: bool


def is_stage_direction(paragraph: Paragraph) -> bool:
    """Whether ``paragraph`` is a stage direction in brackets ("(Laughter.)"), nobody's words."""
    return bool(STAGE_DIRECTION.match(paragraph.text))


#: Decides what a label means: ``(speaker, role, kind)``, or ``None`` if it is no label after all.
LabelClassifier = Callable[[Label], "tuple[str | None, str | None, str] | None"]


def label_candidate(paragraph: Paragraph) -> tuple[Label, str] | None:
    """The label at the start of ``paragraph`` and the text after it, if it has the shape of one.

    Shape only: a short run of capitalised words ("Shenzhen TV", "The Globe and
    Mail"), a single letter ("Q", "A"), or a short CJK name ("路透社记者"); not a
    sentence that happens to contain a colon ("I want to stress: …", "As of
    24:00 …").
    """
    match = LABEL.match(paragraph.text)
    if not match:
        return None
    label, rest = match.group("label").strip(), match.group("rest")
    is_time = label[-1:].isdigit() and _DIGIT_AFTER.match(rest)  # "As of 24:00 …"
    if not label or is_time or '"' in label or "“" in label:
        return None
    if _CJK.search(label):
        return (Label(label, paragraph.bold_start), rest) if len(label) <= 12 else None
    words = label.split()
    if len(words) > MAX_LABEL_WORDS or any(word.strip(",.").isdigit() for word in words):
        return None
    if words[0].lower() in SENTENCE_STARTS and not paragraph.bold_start:
        return None
    for i, word in enumerate(words):
        if word.lower() in LABEL_CONNECTORS and i > 0:
            continue
        if not (word[0].isupper() or word[0].isdigit()):
            return None
    return Label(label, paragraph.bold_start), rest


#: Finds the label a paragraph starts with: ``(label, text after it)``, or ``None``.
LabelFinder = Callable[[Paragraph], "tuple[Label, str] | None"]


@dataclass
class Break:
    """A paragraph without a label that ends the turn before it all the same.

    ``meaning`` is the ``(speaker, role, kind)`` of the turn it opens, ``text``
    what of the paragraph that turn starts with: "" for a line that is no text
    (a separator of asterisks), the words after a heading ("The following
    question was raised after the press conference: …"), or the whole paragraph.
    """

    meaning: tuple[str | None, str | None, str]
    text: str = ""


#: Decides whether a paragraph that carries no label ends the current turn: given the
#: paragraph, the current turn (``None`` before the first) and the paragraphs of that turn
#: so far (its label's first), a :class:`Break`, or ``None`` if the paragraph continues it.
BreakFinder = Callable[[Paragraph, "Turn | None", Sequence[Paragraph]], "Break | None"]


def split_turns(
    paragraphs: Sequence[Paragraph],
    classify: LabelClassifier,
    *,
    opening_speaker: str | None = None,
    opening_role: str | None = None,
    find_label: LabelFinder = label_candidate,
    is_note: Callable[[Paragraph], bool] | None = None,
    find_break: BreakFinder | None = None,
) -> list[Turn]:
    """Group paragraphs into turns under their labels.

    Paragraphs before the first label form an opening :data:`REMARK` turn of
    ``opening_speaker`` (the spokesperson's announcements); unlabelled
    paragraphs continue the current turn, unless ``find_break`` says one ends
    it (a separator line, a heading, an answer printed without its label).
    ``find_label`` replaces the shape test of :func:`label_candidate` on sites
    whose markup says more (the Kremlin sets every label in bold, some longer
    than any name-shaped label). Paragraphs ``is_note`` accepts (stage
    directions: :func:`is_stage_direction`) belong to no turn; a speaker who
    goes on after one continues in a new turn of the same speaker and kind, so
    each turn stays one stretch of the text. A turn left without text (a
    separator followed by a label) is dropped.
    """
    turns: list[Turn] = []
    current: Turn | None = None
    lines: list[str] = []
    held: list[Paragraph] = []

    def close() -> None:
        if current is not None and lines:
            current.text = "\n\n".join(lines)
            turns.append(current)

    def start(meaning: tuple[str | None, str | None, str], text: str) -> None:
        nonlocal current, lines
        close()
        speaker, role, kind = meaning
        current, lines = Turn(speaker=speaker, kind=kind, text="", role=role), []
        held.clear()
        if text.strip():
            lines.append(text.strip())

    for paragraph in paragraphs:
        if is_note is not None and is_note(paragraph):
            close()
            if current is not None:
                current = Turn(current.speaker, current.kind, "", role=current.role)
            lines = []
            continue
        found = find_label(paragraph)
        meaning = classify(found[0]) if found else None
        if found and meaning is not None:
            start(meaning, found[1])
            held.append(paragraph)
            continue
        stop = find_break(paragraph, current, held) if find_break else None
        if stop is not None:
            start(stop.meaning, stop.text)
        else:
            if current is None:
                current, lines = Turn(opening_speaker, REMARK, "", role=opening_role), []
            lines.append(paragraph.text)
        held.append(paragraph)
    close()
    return turns


#: A journalist's reply to the spokesperson's own question is short: "是的。", "Yes.", "好。（笑）".
MAX_REPLY = 20


def answer_after_reply(turns: list[Turn]) -> list[Turn]:
    """Split the answer that goes on after a journalist's reply out of the reply's turn.

    The spokesperson sometimes asks back ("答：你提到的这个报道是从堪培拉发出的报道，对吗？"),
    the journalist replies ("记者：是的。") and the answer goes on in paragraphs without a
    label, which the page's labels leave inside the journalist's turn: a question holding
    the spokesperson's whole answer. When an answer ends in a question mark and the next
    question opens with a short reply, the paragraphs after the reply are a new answer of
    the same speaker.
    """
    out: list[Turn] = []
    for turn in turns:
        before = out[-1] if out else None
        reply, _, rest = turn.text.partition("\n\n")
        if (
            turn.kind == QUESTION
            and before is not None
            and before.kind == ANSWER
            and before.text.rstrip().endswith(("？", "?"))
            and rest.strip()
            and len(reply) <= MAX_REPLY
        ):
            turn.text = reply
            out.append(turn)
            out.append(Turn(before.speaker, ANSWER, rest, role=before.role))
            continue
        out.append(turn)
    return out
