"""Write what ``archive link`` derives: quote origins, rank lists, link runs, bilingual pairs.

Quote origins and document pairs (with their turn alignments) come from
:mod:`archive.provenance`, impact lists from :mod:`archive.search.rank_lists`; all can be
derived again. They are handed in by those readers, which sit above the store: nothing here
imports them. Origins and pairs point at statement ids, so when a document's statements
change :meth:`LinkWrites._forget_links` drops theirs, and the next ``archive link`` finds
the document unlinked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from archive.store.connection import Transactions, now_iso
from archive.store.schema import RANK_LIST_ENTRIES_TABLE, RANK_LISTS_TABLE

if TYPE_CHECKING:
    import sqlite3

#: One term's impact list: the term, its entries (statement id, tf, dl) and the cut.
RankList = tuple[str, list[tuple[int, int, int]], float]


class LinkWrites(Transactions):
    """Links between statements and documents of an :class:`~archive.store.writer.Archive`."""

    def save_quote_origins(self, rows: Iterable[dict[str, Any]]) -> int:
        """Record each quotation's best original (``archive link``); returns rows written.

        ``rows`` hold ``statement_id``, ``origin_id`` (``None``: no original found),
        ``label``, ``similarity`` and ``lag_days``; a quotation linked before is replaced.
        """
        linked = now_iso()
        values = [
            (
                row["statement_id"],
                row.get("origin_id"),
                row.get("label"),
                row.get("similarity"),
                row.get("lag_days"),
                linked,
            )
            for row in rows
        ]
        with self.transaction():
            self.db.conn.executemany(
                "INSERT OR REPLACE INTO quote_origins (statement_id, origin_id, label, "
                "similarity, lag_days, linked) VALUES (?, ?, ?, ?, ?, ?)",
                values,
            )
        return len(values)

    def replace_rank_lists(
        self,
        read: Callable[[sqlite3.Connection], tuple[float, Iterable[RankList]]],
        *,
        tables: tuple[str, str] = (RANK_LISTS_TABLE, RANK_LIST_ENTRIES_TABLE),
    ) -> int:
        """Replace every impact list by those ``read`` finds; returns how many terms have one.

        ``read`` (:func:`archive.search.rank_lists.read_lists`, which
        :func:`archive.search.rank_lists.refresh` passes) gets the connection inside the
        transaction and gives the average statement length and the lists: the store writes
        them and derives nothing. ``tables``: the lists' table and their entries' (those of
        the word index; the trigram index has its own). One transaction: searches see the
        old lists or the new.
        """
        lists_table, entries_table = tables
        with self.transaction():
            conn = self.db.conn
            through = conn.execute("SELECT coalesce(max(id), 0) FROM statements").fetchone()[0]
            avgdl, lists = read(conn)
            conn.execute(f"DELETE FROM {entries_table}")
            conn.execute(f"DELETE FROM {lists_table}")
            listed = 0
            for term, entries, cut in lists:
                conn.execute(
                    f"INSERT INTO {lists_table} (term, through_id, cut, avgdl) VALUES (?, ?, ?, ?)",
                    [term, through, cut, avgdl],
                )
                conn.executemany(
                    f"INSERT INTO {entries_table} (term, id, tf, dl) VALUES (?, ?, ?, ?)",
                    [(term, *entry) for entry in entries],
                )
                listed += 1
        return listed

    def record_link_run(self, last_document_id: int, *, quotes: int, linked: int) -> None:
        """Note that a link run saw the documents up to ``last_document_id``."""
        with self.transaction():
            self.db.conn.execute(
                "INSERT INTO link_runs (finished, last_document_id, quotes, linked) "
                "VALUES (?, ?, ?, ?)",
                [now_iso(), last_document_id, quotes, linked],
            )

    def _forget_links(self, document_id: int) -> None:
        """Drop what was derived from a document's statements before they change.

        Pairs, turn alignments and quote origins point at statement ids and rest on the
        statements' text; once the text changes they may be wrong, so they go, and the next
        ``archive link`` derives them again (it finds this document unpaired and its
        quotes unlinked). Quotes elsewhere that named a statement of this document as
        their origin are unlinked too, so they are looked at again.
        """
        statements = "SELECT id FROM statements WHERE document_id = :document"
        pairs = "SELECT id FROM document_pairs WHERE :document IN (document_id, counterpart_id)"
        for sql in (
            f"DELETE FROM turn_alignments WHERE pair_id IN ({pairs})",
            "DELETE FROM document_pairs WHERE :document IN (document_id, counterpart_id)",
            f"DELETE FROM quote_origins WHERE statement_id IN ({statements}) "
            f"OR origin_id IN ({statements})",
        ):
            self.db.conn.execute(sql, {"document": document_id})

    # -- document pairs (derived by archive.provenance.pairing) -------------------------------

    def replace_pair(self, pair: dict[str, Any]) -> int:
        """Store two language versions of a document and their turn alignment; returns its id.

        ``pair`` holds ``document_id`` (the version in the source's own language),
        ``counterpart_id`` (the translation), ``method`` (``shared-id``, ``same-day``),
        ``score`` and ``turns``: ``(statement_id, counterpart_statement_id, score)`` in
        document order, one side ``None`` for a turn the other version lacks (a merge, one
        turn rendered as two, is two rows sharing a statement). A pair either document had
        with a version in the counterpart's language is replaced, so re-pairing one
        document never leaves it with two translations into the same language.
        """
        turns = [tuple(row) for row in pair["turns"]]
        aligned = sum(1 for mine, theirs, _ in turns if mine is not None and theirs is not None)
        with self.transaction():
            self._forget_pairs(pair["document_id"], pair["counterpart_id"])
            pair_id = self.db.conn.execute(
                "INSERT INTO document_pairs (document_id, counterpart_id, method, score, "
                "aligned, missing_in_counterpart, missing_in_document, paired) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    pair["document_id"],
                    pair["counterpart_id"],
                    pair["method"],
                    pair.get("score"),
                    aligned,
                    sum(1 for _, theirs, _ in turns if theirs is None),
                    sum(1 for mine, _, _ in turns if mine is None),
                    now_iso(),
                ],
            ).lastrowid
            self.db.conn.executemany(
                "INSERT INTO turn_alignments (pair_id, statement_id, counterpart_statement_id, "
                "score) VALUES (?, ?, ?, ?)",
                [(pair_id, *row) for row in turns],
            )
        return pair_id

    def _forget_pairs(self, document_id: int, counterpart_id: int) -> None:
        """Drop the pairs that a new pair of these two documents supersedes."""
        superseded = (
            "SELECT id FROM document_pairs WHERE counterpart_id = :counterpart "
            "UNION SELECT id FROM document_pairs WHERE document_id = :counterpart "
            "UNION SELECT p.id FROM document_pairs p "
            "JOIN documents c ON c.id = p.counterpart_id WHERE p.document_id = :document "
            "AND c.language IS (SELECT language FROM documents WHERE id = :counterpart)"
        )
        ids = [
            row[0]
            for row in self.db.conn.execute(
                superseded, {"document": document_id, "counterpart": counterpart_id}
            )
        ]
        if ids:
            marks = ", ".join("?" * len(ids))
            self.db.conn.execute(f"DELETE FROM turn_alignments WHERE pair_id IN ({marks})", ids)
            self.db.conn.execute(f"DELETE FROM document_pairs WHERE id IN ({marks})", ids)
