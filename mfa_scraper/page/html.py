"""Reading HTML robustly: parsing, visible text, and the paragraphs of a body.

Bytes are decoded by :mod:`mfa_scraper.page.encoding`. Nothing here
raises on broken markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from lxml import html as lxml_html
from lxml.etree import ParserError, XPath, _Element, iterwalk

from mfa_scraper.page.encoding import XML_DECLARATION_RE
from mfa_scraper.page.notes import NESTING_FLATTENED, TRUNCATED, note

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


#: Elements nested deeper than this are flattened before a page is read (see
#: :func:`flatten_deep`): libxml2 drops whatever lies past its own limit (256 levels, 2048
#: with ``huge_tree``), and code that walks a tree recursively needs a stack that deep.
MAX_DEPTH = 600
#: How deep a flattened page keeps its elements.
FLATTEN_DEPTH = 500


def parse_html(text: str) -> _Element | None:
    """An lxml tree of ``text``, or ``None`` for an empty or unparseable page.

    Deep pages are read whole: libxml2's depth limit is lifted (``huge_tree``), and a page
    nested past :data:`MAX_DEPTH` (400 unclosed ``<b>`` of an old CMS, 200,000 nested
    ``<div>``) is flattened first and noted ``nesting-flattened``.
    """
    if not text or not text.strip():
        return None
    # lxml refuses str input that declares an encoding in an XML prolog.
    text = XML_DECLARATION_RE.sub("", text, count=1)
    try:
        tree = lxml_html.fromstring(text, parser=lxml_html.HTMLParser(huge_tree=True))
        if too_deep(tree, MAX_DEPTH):
            note(NESTING_FLATTENED)
            tree = lxml_html.fromstring(
                flatten_deep(text, FLATTEN_DEPTH), parser=lxml_html.HTMLParser(huge_tree=True)
            )
            if too_deep(tree, MAX_DEPTH):  # not expected: the flattening missed some nesting
                note(TRUNCATED)
        return tree
    except (ParserError, ValueError):
        return None


@cache
def _at_depth(depth: int) -> XPath:
    return XPath("boolean(/" + "/".join(["*"] * depth) + ")")


def too_deep(tree: _Element, depth: int) -> bool:
    """Whether ``tree`` has an element ``depth`` levels down (one pass over the tree, in C)."""
    return bool(_at_depth(depth)(tree.getroottree()))


#: An HTML start or end tag and its attributes (comments, scripts and CDATA are not told
#: apart: flattening is for pages that are broken anyway).
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)(\s[^>]*?)?(/?)>")
#: Elements that never hold others.
VOID_TAGS = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
#: Elements whose tags are dropped without a space: they sit inside words.
INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite code em font i q s small span strong sub sup tt u".split()
)


def flatten_deep(text: str, depth: int) -> str:
    """``text`` with the tags of the elements nested too deep left out, so every word is kept
    at a depth a parser reads whole: past half of ``depth``, repeated wrappers (a tag opened
    right inside the same tag, ``<div><div>`` or ``<font size=2><font size=2>``) are left
    out, so a page's own containers (an id, a class, a bold label after text) are kept;
    past ``depth``, every element. A left-out block's tags become a space.

    Nesting is counted from the tags as written (end tags close what they match, as a
    parser does), so at worst tags are left out a little earlier than needed.
    """
    parts: list[str] = []
    last = level = 0
    stack: list[tuple[str, bool]] = []  # open elements: (name, kept)
    previous: tuple[str, int] = ("", -1)  # the last start tag and where it ended
    for match in _TAG.finditer(text):
        closing, name, _, self_closing = match.groups()
        name = name.lower()
        if name in VOID_TAGS or self_closing:
            continue
        if not closing:
            tag = match.group().lower()
            wrapper = previous[0] == tag and not text[previous[1] : match.start()].strip()
            previous = (tag, match.end())
            kept = level < depth and not (level >= depth // 2 and wrapper)
            stack.append((name, kept))
            if kept:
                level += 1
                continue
        else:
            for i in range(len(stack) - 1, max(-1, len(stack) - 65), -1):
                if stack[i][0] == name:
                    break
            else:
                continue  # closes nothing open: the parser ignores it
            kept = stack[i][1]
            level -= sum(1 for _, open_kept in stack[i:] if open_kept)
            del stack[i:]
            if kept:
                continue
        parts.append(text[last : match.start()])
        parts.append("" if name in INLINE_TAGS else " ")
        last = match.end()
    parts.append(text[last:])
    return "".join(parts)


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
    skipped: _Element | None = None  # inside a script or style until its end
    for event, node in iterwalk(element, events=("start", "end")):
        tag = node.tag.lower() if isinstance(node.tag, str) else ""
        if event == "start":
            if skipped is None:
                if tag in SKIPPED_TAGS:
                    skipped = node
                elif tag == "br":
                    parts.append("\n")
                if node.text and tag and skipped is None:
                    parts.append(node.text)
            continue
        if node is skipped:
            skipped = None
        if node.tail and node is not element and skipped is None:
            parts.append(node.tail)
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
    """(text, element holding it) pairs of a subtree, in reading order (no recursion: a page
    may nest hundreds of levels deep)."""
    skipped: _Element | None = None
    for event, child in iterwalk(node, events=("start", "end")):
        if event == "start":
            if skipped is not None or child is node:
                if child is node and child.text:
                    yield child.text, child
                continue
            if not isinstance(child.tag, str) or child.tag.lower() in SKIPPED_TAGS:
                skipped = child
            elif child.text:
                yield child.text, child
            continue
        if child is skipped:
            skipped = None
        if child is not node and skipped is None and child.tail:
            yield child.tail, child.getparent()


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
