"""Word lists kept as data files: one entry a line, ``#`` comments, read once per process.

trafilatura's habit: long vocabularies (titles, offices, cue verbs, place stems) live beside the
code that reads them as plain text a linguist can edit without reading Python. Both the archive
(:mod:`archive.identity`) and the crawler's attribution engine read theirs through here.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def read_words(path: Path) -> tuple[str, ...]:
    """The entries of a word-list file in order, blank lines and ``#`` comments left out."""
    text = Path(path).read_text(encoding="utf-8")
    # map() and s[0]: a third faster than a walrus and startswith() per line, and every
    # ranked search reads the 12,000 common words (archive.identity.places).
    return tuple(s for s in map(str.strip, text.splitlines()) if s and s[0] != "#")


@cache
def read_table(path: Path) -> dict[str, str]:
    """A two-column, tab-separated word list as a mapping from the first column to the second."""
    return dict(row.split("\t", 1) for row in read_words(path))
