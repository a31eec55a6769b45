"""``archive link``: derive what rests on many documents at once, after a crawl.

Quote origins (:mod:`archive.provenance`) and bilingual pairs (:mod:`archive.pairing`)
compare a document with the rest of the archive, which a crawl fills in no particular
order; so they are derived in one pass once the crawl is done, each step looking only
at what is new since the last pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from archive.store import Archive


def link_archive(archive: Archive, *, everything: bool = False) -> dict[str, Any]:
    """Pair documents across languages, then link quotations to originals; returns counts."""
    from archive.provenance import link_quotes

    counts: dict[str, Any] = {}
    try:
        from archive.pairing import pair_documents
    except ImportError:  # pragma: no cover - pairing lands separately
        pair_documents = None
    if pair_documents is not None:
        counts["pairs"] = pair_documents(archive)
    counts["quotes"] = link_quotes(archive, everything=everything)
    return counts
