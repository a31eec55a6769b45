"""Impact lists: each common term's best-scoring statements, read once, so searches need not.

FTS5 computes bm25 for every hit of a query whatever its ``LIMIT``: 1.2 µs a hit, a quarter
of a second for "cooperation" in a million statements. Search engines answer such queries
from lists ordered by impact (Lucene's impacts, block-max WAND); this module keeps the SQLite
equivalent. For every term found in :data:`COMMON_HITS` statements or more, its best
:data:`LIST_SIZE` statements by bm25 are stored with the term frequency and length that
score them, and ``cut``, the factor of the best statement left out, bounds all the others.
:mod:`archive.search.top_k` ranks pages from them.

Lists are read by ``archive link`` (which ``archive crawl`` runs) once the archive has grown
by :data:`STALE_AFTER` statements since they were read; in between, new statements are
scored at search time, and the schema's triggers drop a list whose statements changed.
This module only reads; :func:`refresh` hands what it reads to
:meth:`archive.store.Archive.replace_rank_lists`, which writes.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from archive.search import bm25
from archive.store.schema import FTS_TOKENIZE, RANK_LIST_ENTRIES_TABLE, RANK_LISTS_TABLE

if TYPE_CHECKING:
    from archive.store import Archive

#: A term in at least this many statements gets a list: below it, bm25 over every hit takes
#: FTS5 about 12 ms, and a list would save nothing.
COMMON_HITS = 10_000
#: Statements kept per term: enough for a page that filters (a speaker, a period) leave
#: one hit in twenty of; statements tied with the first one left out are left out too.
LIST_SIZE = 2_000
#: Statements appended since the lists were read before ``archive link`` reads them again:
#: each is scored at search time until then.
STALE_AFTER = 2_000

_TERMS = "temp.statements_fts_terms"
_OCCURRENCES = "temp.statements_fts_occurrences"
_TOKENS = "temp.rank_list_tokens"
_TOKEN_INSTANCES = "temp.rank_list_token_instances"


def varints(blob: bytes) -> Iterator[int]:
    """The SQLite varints of ``blob`` (big-endian groups of 7 bits; a 9th byte of 8)."""
    i = 0
    while i < len(blob):
        value = 0
        for n in range(9):
            byte = blob[i]
            i += 1
            if n == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if byte < 0x80:
                break
        yield value


def index_stats(db: Any) -> tuple[int, float]:
    """Rows of ``statements_fts`` and their average length in tokens, as bm25 reads them.

    FTS5 keeps both in its averages record (``%_data`` row 1): the row count, then the
    token count of each column.
    """
    row = db.execute("SELECT block FROM statements_fts_data WHERE id = 1").fetchone()
    if row is None or not row[0]:
        return 0, 0.0
    rows, *tokens = varints(row[0])
    return rows, (float(sum(tokens)) / float(rows)) if rows else 0.0


def tokenize(db: Any, text: str) -> list[str]:
    """The terms ``statements_fts`` indexes for ``text``, in order, from its own tokenizer.

    Porter stems differ from any other stemmer's in places; a scratch FTS5 table in the
    connection's temporary schema (allowed on a read-only archive) gives the exact ones.
    """
    if (
        db.execute("SELECT 1 FROM sqlite_temp_master WHERE name = 'rank_list_tokens'").fetchone()
        is None
    ):
        db.execute(f"CREATE VIRTUAL TABLE {_TOKENS} USING fts5(text, tokenize='{FTS_TOKENIZE}')")
        db.execute(
            f"CREATE VIRTUAL TABLE {_TOKEN_INSTANCES} "
            "USING fts5vocab(temp, rank_list_tokens, instance)"
        )
    db.execute(f"DELETE FROM {_TOKENS}")
    db.execute(f"INSERT INTO {_TOKENS} (rowid, text) VALUES (1, ?)", [text])
    terms = db.execute(f"SELECT term FROM {_TOKEN_INSTANCES} ORDER BY offset").fetchall()
    db.execute(f"DELETE FROM {_TOKENS}")
    return [term for (term,) in terms]


def common_terms(db: Any, min_hits: int = COMMON_HITS) -> list[str]:
    """Terms found in at least ``min_hits`` statements (one pass over the vocabulary)."""
    if (
        db.execute(
            "SELECT 1 FROM sqlite_temp_master WHERE name = 'statements_fts_terms'"
        ).fetchone()
        is None
    ):
        db.execute(f"CREATE VIRTUAL TABLE {_TERMS} USING fts5vocab(main, statements_fts, row)")
    rows = db.execute(f"SELECT term FROM {_TERMS} WHERE doc >= ?", [min_hits]).fetchall()
    return [term for (term,) in rows]


def phrase(terms: list[str]) -> str:
    """An FTS5 phrase query of ``terms``."""
    return '"' + " ".join(terms).replace('"', '""') + '"'


def read_list(
    db: Any, term: str, *, size: int = LIST_SIZE
) -> tuple[list[tuple[int, int, int]], float] | None:
    """The best statements of ``term`` as (id, tf, dl), and the cut; None if unreadable.

    FTS5 orders them (``ORDER BY rank``); the term frequency is read back from the score,
    and checked by scoring it again (None if it does not check out).
    """
    if tokenize(db, term) != [term]:
        return _read_occurrences(db, term, size=size)
    rows, avgdl = index_stats(db)
    query = phrase([term])
    hits = db.execute(
        "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH ?", [query]
    ).fetchone()[0]
    best = db.execute(
        "SELECT rowid, rank FROM statements_fts WHERE statements_fts MATCH ? ORDER BY rank LIMIT ?",
        [query, size + 1],
    ).fetchall()
    cut = 0.0
    if len(best) > size:
        edge = best[size][1]
        best = [row for row in best if row[1] < edge]
        cut = -edge / bm25.idf(rows, hits)
    lengths = dict(
        db.execute(
            "SELECT id, sz FROM statements_fts_docsize WHERE id IN "
            "(SELECT value FROM json_each(?))",
            [_json_ids(row[0] for row in best)],
        ).fetchall()
    )
    weight = bm25.idf(rows, hits)
    entries = []
    for statement_id, rank in best:
        dl = sum(varints(lengths[statement_id]))
        tf = bm25.term_frequency(rank, weight, dl, avgdl)
        if tf is None:
            return None
        entries.append((statement_id, tf, dl))
    return entries, cut


def _read_occurrences(db: Any, term: str, *, size: int) -> tuple[list[tuple[int, int, int]], float]:
    """:func:`read_list` for a term no query can name: a Porter stem its tokenizer changes
    again ("chines", from "Chinese", stems to "chine"). Its occurrences are read from the
    index's vocabulary, and scored here: slower, every occurrence, but only for such terms.
    """
    if (
        db.execute(
            "SELECT 1 FROM sqlite_temp_master WHERE name = 'statements_fts_occurrences'"
        ).fetchone()
        is None
    ):
        db.execute(
            f"CREATE VIRTUAL TABLE {_OCCURRENCES} USING fts5vocab(main, statements_fts, instance)"
        )
    avgdl = index_stats(db)[1]
    rows = db.execute(
        "SELECT o.doc, o.tf, d.sz FROM (SELECT doc, count(*) AS tf FROM "
        f"{_OCCURRENCES} WHERE term = ? GROUP BY doc) AS o "
        "JOIN statements_fts_docsize d ON d.id = o.doc",
        [term],
    )
    # The best size + 1 only, in a heap: "chines" occurs in a fifth of all statements, and a
    # list of every occurrence took hundreds of megabytes on a large archive.
    scored: list[tuple[float, int, int, int]] = []
    for statement_id, tf, size_record in rows:
        dl = sum(varints(size_record))
        entry = (bm25.factor(tf, dl, avgdl), statement_id, tf, dl)
        if len(scored) <= size:
            scored.append(entry)
            if len(scored) > size:
                heapq.heapify(scored)
        elif entry > scored[0]:
            heapq.heapreplace(scored, entry)
    cut = 0.0
    if len(scored) > size:
        scored = sorted(scored, reverse=True)
        cut = scored[size][0]
        scored = [row for row in scored if row[0] > cut]
    return [(statement_id, tf, dl) for _, statement_id, tf, dl in scored], cut


def read_lists(
    db: Any, *, min_hits: int | None = None, size: int | None = None
) -> tuple[float, Iterator[tuple[str, list[tuple[int, int, int]], float]]]:
    """The average statement length, and the list of every term in ``min_hits`` statements
    (:data:`COMMON_HITS`) as (term, entries, cut), read as they are iterated; a term whose
    list is unreadable has none."""
    min_hits = COMMON_HITS if min_hits is None else min_hits
    size = LIST_SIZE if size is None else size

    def lists() -> Iterator[tuple[str, list[tuple[int, int, int]], float]]:
        for term in common_terms(db, min_hits):
            read = read_list(db, term, size=size)
            if read is not None:
                yield term, *read

    return index_stats(db)[1], lists()


def refresh(archive: Archive, *, min_hits: int | None = None, size: int | None = None) -> int:
    """Read every common term's impact list again and store them in one transaction
    (:meth:`~archive.store.Archive.replace_rank_lists`); returns how many terms have one."""
    return archive.replace_rank_lists(lambda db: read_lists(db, min_hits=min_hits, size=size))


def _json_ids(ids: Any) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def lists_are_stale(db: Any) -> bool:
    """Whether ``archive link`` should read the lists again.

    When statements appended since the oldest list outnumber :data:`STALE_AFTER`, or when
    there is none and the archive holds :data:`COMMON_HITS` statements.
    """
    newest = db.execute("SELECT max(id) FROM statements").fetchone()[0] or 0
    oldest = db.execute(f"SELECT min(through_id) FROM {RANK_LISTS_TABLE}").fetchone()[0]
    if oldest is None:
        return newest >= COMMON_HITS
    return newest - oldest > STALE_AFTER


def lists_for(db: Any, terms: list[str]) -> dict[str, dict[str, Any]]:
    """The stored lists of ``terms``: through_id, cut and avgdl (entries: :func:`entries`)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [RANK_LISTS_TABLE]).fetchone():
        return {}  # an archive of schema version 6 or older, read without upgrading it
    rows = db.execute(
        f"SELECT term, through_id, cut, avgdl FROM {RANK_LISTS_TABLE} "
        "WHERE term IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(set(terms)))],
    )
    return {
        term: {"term": term, "through_id": through, "cut": cut, "avgdl": avgdl}
        for term, through, cut, avgdl in rows
    }


def entries(db: Any, term: str) -> dict[int, tuple[int, int]]:
    """A term's list: {statement id: (tf, dl)}."""
    rows = db.execute(f"SELECT id, tf, dl FROM {RANK_LIST_ENTRIES_TABLE} WHERE term = ?", [term])
    return {i: (tf, dl) for i, tf, dl in rows}
