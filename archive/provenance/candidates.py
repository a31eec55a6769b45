"""Candidates for a trace: the statements that may carry a quotation, from the FTS indexes.

A trace aligns candidates only, so a trace reads a few hundred rows whatever the archive's
size. Phrases of four consecutive words find verbatim and edited re-quotes (an edit breaks
only the phrases it touches), the trigram index's three-character phrases do the same for
Chinese, and the quotation's longest content words together find paraphrases.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from archive.provenance.similarity import STOP_WORDS, tokens

if TYPE_CHECKING:
    from archive.store import LazyDatabase

#: Hits above which a phrase is a stock phrase, not a trace of where words came from.
STOCK_PHRASE = 1000
#: Words per phrase asked of the index: four consecutive words are rare enough.
PHRASE_WORDS = 4
#: Phrases asked of the index per quotation.
MOST_PHRASES = 12
#: Content words a paraphrase must share, asked of the index together.
MOST_WORDS = 4
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_WORD = re.compile(r"[^\W_]+")


def candidate_queries(text: str) -> tuple[list[str], str | None]:
    """FTS5 queries likely to match every statement that carries ``text``.

    Four-word phrases spread over the quotation find verbatim and edited re-quotes (an
    edit breaks only the phrases it touches); its longest content words, all of them
    together, find paraphrases. Returns the phrases and the words-together query.
    """
    words = [w for t in tokens(text) if not _HAN.match(t.norm) for w in _WORD.findall(t.norm)]
    if not words:
        return [], None
    size = min(PHRASE_WORDS, len(words))
    grams = [words[i : i + size] for i in range(len(words) - size + 1)]
    grams = [g for g in grams if sum(w not in STOP_WORDS for w in g) >= min(2, size)]
    step = max(1, len(grams) // MOST_PHRASES)
    phrases = list(dict.fromkeys('"' + " ".join(g) + '"' for g in grams[::step][:MOST_PHRASES]))
    content = sorted(
        {w for w in words if w not in STOP_WORDS and len(w) > 3}, key=lambda w: (-len(w), w)
    )
    together = " AND ".join(f'"{w}"' for w in content[:MOST_WORDS]) if len(content) >= 3 else None
    if not phrases and not together:  # a short fragment of common words ("at their best")
        phrases = ['"' + " ".join(words[: PHRASE_WORDS * 2]) + '"']
    return phrases, together


def _han_phrases(text: str) -> list[str]:
    """Three-character phrases over the Han text of ``text``, for the trigram index."""
    runs = re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]{3,}", text)
    grams = [run[i : i + 3] for run in runs for i in range(len(run) - 2)]
    step = max(1, len(grams) // (MOST_PHRASES * 2))
    return list(dict.fromkeys(f'"{g}"' for g in grams[::step][: MOST_PHRASES * 2]))


def _trigram_table(db: LazyDatabase) -> str | None:
    """The FTS5 trigram index over statements, where this archive has one."""
    row = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING FTS5%' "
        "AND sql LIKE '%trigram%' AND name LIKE 'statements%' LIMIT 1"
    ).fetchone()
    return row[0] if row else None


def candidate_ids(db: LazyDatabase, text: str, limit: int) -> list[int]:
    """Ids of statements that may carry ``text``, those sharing the most phrases first.

    Each phrase is asked alone, reading at most :data:`STOCK_PHRASE` + 1 rows: a phrase
    found more often than that is a stock phrase ("as far as I know") that says nothing of
    where the words came from, and ranking its hits is what made a trace slow on a large
    archive. Rare phrases vote for the statements they occur in.
    """
    phrases, together = candidate_queries(text)
    searches = [("statements_fts", phrase) for phrase in phrases]
    if _HAN.search(text) and (table := _trigram_table(db)):
        searches += [(table, phrase) for phrase in _han_phrases(text)]
    votes: Counter[int] = Counter()
    for table, phrase in searches:
        rows = db.execute(
            f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?", [phrase, STOCK_PHRASE + 1]
        ).fetchall()
        if len(rows) <= STOCK_PHRASE:
            votes.update(row[0] for row in rows)
    found = [statement_id for statement_id, _ in votes.most_common(limit)]
    if not votes and searches:  # only stock phrases: the best-ranked hits of all of them
        table = searches[0][0]
        found = _ranked(db, table, " OR ".join(p for t, p in searches if t == table), limit)
    if together:
        found += _ranked(db, "statements_fts", together, max(1, limit // 4))
    return list(dict.fromkeys(found))


def _ranked(db: LazyDatabase, table: str, match: str, limit: int) -> list[int]:
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rank LIMIT ?"
    return [row[0] for row in db.execute(sql, [match, limit])]
