"""``archive link``: derive what rests on many documents at once, after a crawl.

Quote origins (:mod:`.trace`) and bilingual pairs (:mod:`.pairing`)
compare a document with the rest of the archive, which a crawl fills in no particular
order; so they are derived in one pass once the crawl is done, each step looking only
at what is new since the last pass.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from archive.provenance.similarity import tokens
from archive.provenance.trace import Appearance, appearances_of, best_original, official_sql

if TYPE_CHECKING:
    from archive.store import Archive, LazyDatabase

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def link_archive(archive: Archive, *, everything: bool = False) -> dict[str, Any]:
    """Pair documents across languages, link quotations to originals, and read the impact
    lists of common terms again when the archive has outgrown them; returns counts."""
    from archive.provenance.identities import learn_identities
    from archive.provenance.pairing import pair_documents
    from archive.search import rank_lists

    after = None if everything else last_document_seen(archive.db)
    counts = {
        "pairs": pair_documents(archive, after_document=after),
        "quotes": link_quotes(archive, everything=everything),
    }
    # Names the paired briefings say are one speaker in two languages (路透社 and Reuters).
    counts["identities"] = learn_identities(archive)
    stale = rank_lists.INDEXES if everything else rank_lists.stale_indexes(archive.db)
    if stale:
        counts["rank_lists"] = rank_lists.refresh(archive, indexes=stale)
    return counts


# -- each stored quotation's best original -------------------------------------------------

#: Words (Han characters count as half a word) a quotation needs to be linked to an
#: original: "a mistake" or "Arunachal Pradesh" occur everywhere and come from nowhere.
MIN_LINK_WORDS = 6


def quotes_to_link(db: LazyDatabase, *, everything: bool = False) -> list[int]:
    """Ids of the quotations a link run looks at (all of them with ``everything``).

    Those never linked, and those linked to nothing first-hand when a first-hand document
    dated no later than them was archived since the last run (ids above the run's
    ``last_document_id``): crawls do not come in time order, so a quotation's original may
    arrive after it.
    """
    if everything:
        return [row[0] for row in db.execute("SELECT id FROM statements WHERE kind = 'quote'")]
    ids = [
        row[0]
        for row in db.execute(
            "SELECT st.id FROM statements st LEFT JOIN quote_origins o ON o.statement_id = st.id "
            "WHERE st.kind = 'quote' AND o.statement_id IS NULL"
        )
    ]
    earliest = db.execute(
        "SELECT min(coalesce(d.date, '0000')) FROM documents d "
        "LEFT JOIN sources s ON s.name = d.source "
        f"WHERE {official_sql('s', 'd')} AND d.id > ?",
        [last_document_seen(db)],
    ).fetchone()[0]
    if earliest is None:
        return ids
    ids += [
        row[0]
        for row in db.execute(
            "SELECT o.statement_id FROM quote_origins o JOIN statements q ON q.id = o.statement_id "
            "LEFT JOIN statements og ON og.id = o.origin_id "
            "LEFT JOIN documents od ON od.id = og.document_id "
            "LEFT JOIN sources so ON so.name = od.source "
            f"WHERE (og.id IS NULL OR NOT {official_sql('so', 'od')}) "
            "AND coalesce(q.date, '9999') >= ?",
            [earliest],
        )
    ]
    return sorted(set(ids))


def last_document_seen(db: LazyDatabase) -> int:
    """The highest document id the last link run saw (0 before any run)."""
    row = db.execute("SELECT last_document_id FROM link_runs ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row and row[0] is not None else 0


def link_quotes(archive: Archive, *, everything: bool = False, batch: int = 500) -> dict[str, int]:
    """Find and store the best original of each quotation not yet linked; returns counts.

    Run after a crawl (``archive link``; ``archive crawl`` runs it). Quotations linked
    to nothing first-hand are looked at again once a first-hand document that could be
    their source arrives, since crawls do not come in time order.
    """
    db = archive.db
    last_document = db.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0]
    ids = quotes_to_link(db, everything=everything)
    counts = {"quotes": len(ids), "linked": 0, "unlinked": 0, "too_short": 0}
    for start in range(0, len(ids), batch):
        rows = []
        for quote in appearances_of(db, ids[start : start + batch]):
            if not long_enough(quote.text):
                counts["too_short"] += 1
                origin = None
            else:
                origin = best_original(db, quote)
                counts["linked" if origin else "unlinked"] += 1
            rows.append(_origin_row(quote, origin))
        archive.save_quote_origins(rows)
    archive.record_link_run(last_document, quotes=counts["quotes"], linked=counts["linked"])
    return counts


def long_enough(text: str) -> bool:
    """Whether a quotation is long enough to say where it came from (:data:`MIN_LINK_WORDS`)."""
    words = tokens(text)
    han = sum(1 for t in words if _HAN.match(t.norm))
    return (len(words) - han) + han / 2 >= MIN_LINK_WORDS


def _origin_row(quote: Appearance, origin: Appearance | None) -> dict[str, Any]:
    if origin is None:
        return {
            "statement_id": quote.statement_id,
            "origin_id": None,
            "label": None,
            "similarity": None,
            "lag_days": None,
        }
    return {
        "statement_id": quote.statement_id,
        "origin_id": origin.statement_id,
        "label": origin.label,
        "similarity": origin.similarity,
        "lag_days": origin.lag_days,
    }
