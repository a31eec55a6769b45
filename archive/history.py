"""A document's versions and what changed between them, word by word.

Ministries edit statements quietly; a researcher needs to see the exact words
that changed. :func:`word_diff` compares two versions on words (whitespace
changes are not edits: the archive never stores a version for them).
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from sqlite_utils import Database

from archive.exceptions import NotFound
from archive.search.engine import records

_TOKENS = re.compile(r"\S+")
#: Words of unchanged text shown around each change.
CONTEXT_WORDS = 8


def word_diff(old: str, new: str) -> list[dict[str, str]]:
    """Changes from ``old`` to ``new`` as ``{"op": "=", "-" or "+", "text": …}`` runs of words.

    Unchanged runs are cut to :data:`CONTEXT_WORDS` words either side of a
    change, with "…" where words were left out.
    """
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    runs: list[dict[str, str]] = []
    opcodes = matcher.get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            words = before[i1:i2]
            first, last = index == 0, index == len(opcodes) - 1
            if len(words) > 2 * CONTEXT_WORDS or (first or last) and len(words) > CONTEXT_WORDS:
                head = [] if first else words[:CONTEXT_WORDS]
                tail = [] if last else words[-CONTEXT_WORDS:]
                words = [*head, "…", *tail]
            runs.append({"op": "=", "text": " ".join(words)})
            continue
        if tag in ("delete", "replace"):
            runs.append({"op": "-", "text": " ".join(before[i1:i2])})
        if tag in ("insert", "replace"):
            runs.append({"op": "+", "text": " ".join(after[j1:j2])})
    return runs


def document_history(db: Database, url_or_id: str) -> dict[str, Any]:
    """The document (by URL or id), its versions oldest first, and the diff of each to the last.

    Raises:
        NotFound: no document has that URL or id.
    """
    key = url_or_id.strip()
    column = "id" if key.isdigit() else "url"
    found = records(
        db.execute(
            "SELECT id, url, source, title, published, first_fetched, fetched, removed, "
            f"removed_reason FROM documents WHERE {column} = ?",
            [int(key) if column == "id" else key],
        )
    )
    if not found:
        raise NotFound(f"no document with {column} {key!r}; find one with `archive search`")
    document = found[0]
    versions = records(
        db.execute(
            "SELECT version, fetched, content_hash, title, text FROM document_versions "
            "WHERE document_id = ? ORDER BY version",
            [document["id"]],
        )
    )
    for previous, version in zip(versions, versions[1:]):
        version["diff"] = word_diff(previous["text"] or "", version["text"] or "")
    return {**document, "versions": versions}
