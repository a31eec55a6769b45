"""Reading HTML robustly: parsing, visible text, and the paragraphs of a body.

Bytes are decoded by :mod:`mfa_scraper.page.encoding`. Nothing here
raises on broken markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import html as lxml_html
from lxml.etree import ParserError, _Element

from mfa_scraper.page.encoding import XML_DECLARATION_RE

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
#: Control characters are never text; ESC (\x1b) and CSI (\x9b) in a page would reach a
#: reader's terminal through ``archive extract`` and ``archive show``.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
#: What lxml refuses to store back into a tree: controls, vertical tab and form feed.
_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Tags whose start makes a paragraph's label bold (speaker labels are set in bold).
BOLD_TAGS = {"strong", "b"}
#: Elements whose line breaks are content, not source formatting.
PREFORMATTED_TAGS = {"pre", "textarea"}
_SOURCE_BREAK = re.compile(r"[ \t]*[\r\n]+[ \t]*")
#: Elements whose text is never content.
SKIPPED_TAGS = {"script", "style", "noscript", "template"}


def parse_html(text: str) -> _Element | None:
    """An lxml tree of ``text``, or ``None`` for an empty or unparseable page."""
    if not text or not text.strip():
        return None
    # lxml refuses str input that declares an encoding in an XML prolog.
    text = XML_DECLARATION_RE.sub("", text, count=1)
    try:
        return lxml_html.fromstring(text)
    except (ParserError, ValueError):
        return None


def clean_text(text: str) -> str:
    """Collapse runs of spaces (including no-break and ideographic spaces) within lines;
    drop control characters."""
    lines = (_SPACES.sub(" ", line).strip() for line in _CONTROLS.sub("", text).splitlines())
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def unwrap_source_lines(element: _Element) -> _Element:
    """Turn line breaks of the HTML source inside ``element`` into spaces, in place; returns it.

    In HTML a newline in text is mere white space, but :func:`element_text`
    keeps newlines (``<br>`` becomes one) and :func:`paragraphs` splits on
    them. Sites that hard-wrap their source (the Kremlin wraps mid-sentence,
    even inside a bold speaker label) would otherwise be cut into fragments.
    ``<pre>`` and ``<textarea>`` keep their lines. Control characters become spaces (lxml
    refuses to store them back: a ``\x1f`` or ``\x0c`` in a Kremlin page raised ValueError).
    """
    kept = {node for pre in element.iter(*PREFORMATTED_TAGS) for node in pre.iter()}
    for node in element.iter():
        if node.text and node not in kept and isinstance(node.tag, str):
            node.text = _SOURCE_BREAK.sub(" ", _UNSTORABLE.sub(" ", node.text))
        parent = node.getparent()
        if node.tail and node is not element and parent not in kept:
            node.tail = _SOURCE_BREAK.sub(" ", _UNSTORABLE.sub(" ", node.tail))
    return element


def element_text(element: _Element) -> str:
    """Visible text of an element, scripts and styles left out, ``<br>`` as a line break."""
    parts: list[str] = []

    def walk(node: _Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.lower() in SKIPPED_TAGS:
            if node.tail:
                parts.append(node.tail)
            return
        if tag.lower() == "br":
            parts.append("\n")
        if node.text and tag:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node.tail and node is not element:
            parts.append(node.tail)

    walk(element)
    return clean_text("".join(parts))


@dataclass
class Paragraph:
    """A paragraph of a page body: its text and whether it starts in bold (a label, a question).

    ``bold_end`` says whether its last words are in bold: a question set in bold
    throughout, or whose label is plain and its words bold ("会后，有记者问及<b>：…</b>").
    """

    text: str
    bold_start: bool = False
    bold_end: bool = False


def _texts(node: _Element):
    """(text, element holding it) pairs of a subtree, in reading order."""
    if node.text:
        yield node.text, node
    for child in node:
        if isinstance(child.tag, str) and child.tag.lower() not in SKIPPED_TAGS:
            yield from _texts(child)
        if child.tail:
            yield child.tail, node


def _in_bold(holder: _Element, element: _Element) -> bool:
    """Whether ``holder``, an element inside ``element``, is ``<strong>``/``<b>`` or inside one."""
    node: _Element | None = holder
    while node is not None:
        if isinstance(node.tag, str) and node.tag.lower() in BOLD_TAGS:
            return True
        if node is element:
            return False
        node = node.getparent()
    return False


def starts_bold(element: _Element) -> bool:
    """Whether the first visible text of ``element`` sits inside ``<strong>`` or ``<b>``."""
    for text, holder in _texts(element):
        if text.strip():
            return _in_bold(holder, element)
    return False


def ends_bold(element: _Element) -> bool:
    """Whether the last visible text of ``element`` sits inside ``<strong>`` or ``<b>``.

    A text is a node's text or the tail of its child: the tail of a ``<b>`` is outside it.
    """
    last: tuple[str, _Element] | None = None
    for text, holder in _texts(element):
        if text.strip():
            last = (text, holder)
    return last is not None and _in_bold(last[1], element)


def paragraphs(container: _Element) -> list[Paragraph]:
    """The paragraphs of a body container, in order, empty ones dropped.

    ``<p>`` elements are paragraphs; a container with no ``<p>`` (some editors
    write ``<div>`` or bare text with ``<br>``) is split on line breaks.
    """
    found: list[Paragraph] = []
    blocks = list(container.iter("p"))
    if not blocks:
        text = element_text(container)
        return [Paragraph(line) for line in text.split("\n") if line.strip()]
    for block in blocks:
        text = element_text(block)
        if not text:
            continue
        lines = [part.strip() for part in text.split("\n") if part.strip()]
        first, last = starts_bold(block), ends_bold(block)
        for i, line in enumerate(lines):
            found.append(Paragraph(line, first and i == 0, last and i == len(lines) - 1))
    return found
