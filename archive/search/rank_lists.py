"""Impact lists: each common term's best-scoring statements, read once, so searches need not.

FTS5 computes bm25 for every hit of a query whatever its ``LIMIT``: 1.2 µs a hit, a quarter
of a second for "cooperation" in a million statements. Search engines answer such queries
from lists ordered by impact (Lucene's impacts, block-max WAND); this module keeps the SQLite
equivalent. For every term found in :data:`COMMON_HITS` statements or more, its best
:data:`LIST_SIZE` statements by bm25 are stored with the term frequency and length that
score them, and ``cut``, the factor of the best statement left out, bounds all the others.
:mod:`archive.search.top_k` ranks pages from them.

Each FTS5 index of statements has its lists (:data:`INDEXES`): words (``statements_fts``)
and the trigrams of Chinese statements (``statements_han_fts``), whose phrases are
Chinese words of three characters or more.

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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from archive.search import bm25
from archive.store.schema import (
    FTS_TOKENIZE,
    HAN_FTS_TABLE,
    HAN_RANK_LIST_ENTRIES_TABLE,
    HAN_RANK_LISTS_TABLE,
    RANK_LIST_ENTRIES_TABLE,
    RANK_LISTS_TABLE,
)

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


@dataclass(frozen=True)
class Index:
    """An FTS5 index of statements, and the tables its impact lists are kept in."""

    table: str  #: the FTS5 table
    tokenize: str  #: its tokenizer, which :func:`tokenize` runs on a query's words
    lists: str  #: a row per listed term (through_id, cut, avgdl)
    entries: str  #: a row per listed statement of a term (tf, dl)


WORDS = Index("statements_fts", FTS_TOKENIZE, RANK_LISTS_TABLE, RANK_LIST_ENTRIES_TABLE)
TRIGRAMS = Index(HAN_FTS_TABLE, "trigram", HAN_RANK_LISTS_TABLE, HAN_RANK_LIST_ENTRIES_TABLE)
INDEXES = (WORDS, TRIGRAMS)


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


def index_stats(db: Any, index: Index = WORDS) -> tuple[int, float]:
    """Rows of the index and their average length in tokens, as bm25 reads them.

    FTS5 keeps both in its averages record (``%_data`` row 1): the row count, then the
    token count of each column.
    """
    row = db.execute(f"SELECT block FROM {index.table}_data WHERE id = 1").fetchone()
    if row is None or not row[0]:
        return 0, 0.0
    rows, *tokens = varints(row[0])
    return rows, (float(sum(tokens)) / float(rows)) if rows else 0.0


def _temp_table(db: Any, name: str, definition: str) -> str:
    """``temp.name``, created as ``definition`` if this connection has none yet: allowed on
    a read-only archive."""
    if db.execute("SELECT 1 FROM sqlite_temp_master WHERE name = ?", [name]).fetchone() is None:
        db.execute(f"CREATE VIRTUAL TABLE temp.{name} USING {definition}")
    return f"temp.{name}"


def tokenize(db: Any, text: str, index: Index = WORDS) -> list[str]:
    """The terms ``index`` indexes for ``text``, in order, from its own tokenizer.

    Porter stems differ from any other stemmer's in places; a scratch FTS5 table in the
    connection's temporary schema gives the exact ones.
    """
    scratch = f"{index.lists}_tokens"
    tokens = _temp_table(db, scratch, f"fts5(text, tokenize='{index.tokenize}')")
    instances = _temp_table(db, f"{scratch}_instances", f"fts5vocab(temp, {scratch}, instance)")
    db.execute(f"DELETE FROM {tokens}")
    db.execute(f"INSERT INTO {tokens} (rowid, text) VALUES (1, ?)", [text])
    terms = db.execute(f"SELECT term FROM {instances} ORDER BY offset").fetchall()
    db.execute(f"DELETE FROM {tokens}")
    return [term for (term,) in terms]


def common_terms(
    db: Any, min_hits: int = COMMON_HITS, index: Index = WORDS, *, first: bool = False
) -> list[str]:
    """Terms found in at least ``min_hits`` statements (one pass over the vocabulary);
    ``first``: the first such term only, the pass stopping there."""
    terms = _temp_table(db, f"{index.table}_terms", f"fts5vocab(main, {index.table}, row)")
    limit = " LIMIT 1" if first else ""
    rows = db.execute(f"SELECT term FROM {terms} WHERE doc >= ?{limit}", [min_hits]).fetchall()
    return [term for (term,) in rows]


def phrase(terms: list[str]) -> str:
    """An FTS5 phrase query of ``terms``."""
    return '"' + " ".join(terms).replace('"', '""') + '"'


def read_list(
    db: Any, term: str, *, size: int = LIST_SIZE, index: Index = WORDS
) -> tuple[list[tuple[int, int, int]], float] | None:
    """The best statements of ``term`` as (id, tf, dl), and the cut; None if unreadable.

    FTS5 orders them (``ORDER BY rank``); the term frequency is read back from the score,
    and checked by scoring it again (None if it does not check out).
    """
    if tokenize(db, term, index) != [term]:
        return _read_occurrences(db, term, size=size, index=index)
    rows, avgdl = index_stats(db, index)
    query = phrase([term])
    table = index.table
    hits = db.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", [query]).fetchone()[0]
    best = db.execute(
        f"SELECT rowid, rank FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?",
        [query, size + 1],
    ).fetchall()
    cut = 0.0
    if len(best) > size:
        edge = best[size][1]
        best = [row for row in best if row[1] < edge]
        cut = -edge / bm25.idf(rows, hits)
    lengths = dict(
        db.execute(
            f"SELECT id, sz FROM {table}_docsize WHERE id IN (SELECT value FROM json_each(?))",
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


def _read_occurrences(
    db: Any, term: str, *, size: int, index: Index
) -> tuple[list[tuple[int, int, int]], float]:
    """:func:`read_list` for a term no query can name: a Porter stem its tokenizer changes
    again ("chines", from "Chinese", stems to "chine"). Its occurrences are read from the
    index's vocabulary, and scored here: slower, every occurrence, but only for such terms.
    """
    table = index.table
    occurrences = _temp_table(db, f"{table}_occurrences", f"fts5vocab(main, {table}, instance)")
    avgdl = index_stats(db, index)[1]
    rows = db.execute(
        "SELECT o.doc, o.tf, d.sz FROM (SELECT doc, count(*) AS tf FROM "
        f"{occurrences} WHERE term = ? GROUP BY doc) AS o "
        f"JOIN {table}_docsize d ON d.id = o.doc",
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
    db: Any, *, min_hits: int | None = None, size: int | None = None, index: Index = WORDS
) -> tuple[float, Iterator[tuple[str, list[tuple[int, int, int]], float]]]:
    """The average statement length, and the list of every term in ``min_hits`` statements
    (:data:`COMMON_HITS`) as (term, entries, cut), read as they are iterated; a term whose
    list is unreadable has none."""
    min_hits = COMMON_HITS if min_hits is None else min_hits
    size = LIST_SIZE if size is None else size

    def lists() -> Iterator[tuple[str, list[tuple[int, int, int]], float]]:
        for term in common_terms(db, min_hits, index):
            read = read_list(db, term, size=size, index=index)
            if read is not None:
                yield term, *read

    return index_stats(db, index)[1], lists()


def refresh(
    archive: Archive,
    *,
    min_hits: int | None = None,
    size: int | None = None,
    indexes: tuple[Index, ...] = INDEXES,
) -> int:
    """Read every common term's impact list of ``indexes`` again, each index's in one
    transaction (:meth:`~archive.store.Archive.replace_rank_lists`); returns how many terms
    have one."""
    return sum(
        archive.replace_rank_lists(
            lambda db, index=index: read_lists(db, min_hits=min_hits, size=size, index=index),
            tables=(index.lists, index.entries),
        )
        for index in indexes
    )


def _json_ids(ids: Any) -> str:
    return "[" + ",".join(str(int(i)) for i in ids) + "]"


def stale_indexes(db: Any) -> tuple[Index, ...]:
    """The indexes whose lists ``archive link`` should read again.

    An index whose statements appended since its oldest list outnumber :data:`STALE_AFTER`,
    or that has none while a term of it is in :data:`COMMON_HITS` statements (its vocabulary
    read up to the first such term: a few thousand Chinese statements have none, and reading
    them again at every link would find none again).
    """
    newest = db.execute("SELECT max(id) FROM statements").fetchone()[0] or 0
    stale = []
    for index in INDEXES:
        oldest = db.execute(f"SELECT min(through_id) FROM {index.lists}").fetchone()[0]
        if oldest is None:
            if index_stats(db, index)[0] >= COMMON_HITS and common_terms(
                db, COMMON_HITS, index, first=True
            ):
                stale.append(index)
        elif newest - oldest > STALE_AFTER:
            stale.append(index)
    return tuple(stale)


def lists_for(db: Any, terms: list[str], index: Index = WORDS) -> dict[str, dict[str, Any]]:
    """The stored lists of ``terms``: through_id, cut and avgdl (entries: :func:`entries`)."""
    if not db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", [index.lists]).fetchone():
        return {}  # an archive older than the lists' schema version, read without upgrading it
    rows = db.execute(
        f"SELECT term, through_id, cut, avgdl FROM {index.lists} "
        "WHERE term IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(set(terms)))],
    )
    return {
        term: {"term": term, "through_id": through, "cut": cut, "avgdl": avgdl}
        for term, through, cut, avgdl in rows
    }


def entries(db: Any, term: str, index: Index = WORDS) -> dict[int, tuple[int, int]]:
    """A term's list: {statement id: (tf, dl)}."""
    rows = db.execute(f"SELECT id, tf, dl FROM {index.entries} WHERE term = ?", [term])
    return {i: (tf, dl) for i, tf, dl in rows}
