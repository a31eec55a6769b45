"""Ingest benchmark: statements per second into the archive, against the floor SQLite sets.

Stores records into a fresh archive through :meth:`archive.store.Archive.upsert_documents`
(batches of ``--batch`` documents, one transaction each), as ``archive ingest`` and
``archive add`` do, then stores them again (the idempotent re-ingest of a re-crawl). The
records: ``--records realistic`` (default), the first ``--statements`` statements of the
realistic archive of :mod:`corpus` (English, Chinese and Russian in their shares), or
``--records mfa``, the 500 real English MFA transcripts (~9,700 statements).

Floor, measured in the same run on the same records: the same rows written by the same SQL
with the same batching, and nothing else. Each batch of documents is one transaction
holding one ``executemany`` each of documents, versions and statements (ids, speaker ids,
hashes and schedules computed before the clock starts; speakers and aliases inserted
beforehand), with the statements indexed for search as the store indexes them, one
``INSERT … SELECT`` per index at commit, not through the per-row trigger.

Times are CPU seconds of this process (``time.process_time``), best of ``--repeat`` runs
alternating ours and the floor: on a shared machine wall time measures the neighbours. Wall
time and peak RSS are printed beside them. Targets: at least 0.8 × the floor.

Usage::

    python bench/ingest.py [--repeat 3] [--batch 200] [--records realistic|mfa] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Any

from corpus import mfa_records, realistic_records, statement_count
from memory import peak_rss_mb, reset_peak

from archive.schedule import next_check
from archive.store import Archive
from archive.store.schema import DEFERRED_FTS_TABLE, HAN_FTS_TABLE, HAN_VIEW

TARGET = 0.8


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[float, float, float, Any]:
    """(CPU seconds, wall seconds, peak RSS MB, result) of ``fn(*args, **kwargs)``."""
    reset_peak()
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn(*args, **kwargs)
    return time.process_time() - cpu, time.perf_counter() - wall, peak_rss_mb(), result


def ours(folder: Path, records: list[dict], batch: int) -> dict[str, tuple[float, float, float]]:
    """Fresh ingest and idempotent re-ingest through the store."""
    with Archive(folder / "ours.db") as archive:
        cpu, wall, rss, counts = timed(archive.upsert_documents, records, batch_size=batch)
        assert counts["new"] == len(records), counts
        cpu2, wall2, rss2, again = timed(archive.upsert_documents, records, batch_size=batch)
        assert again["unchanged"] == len(records), again
    return {"new": (cpu, wall, rss), "unchanged": (cpu2, wall2, rss2)}


_DOCUMENT_COLUMNS = (
    "id, url, source, title, published, date, language, kind, author, content_hash, flags, "
    "text, first_fetched, fetched, etag, last_modified, removed, removed_reason, next_check"
)
_STATEMENT_COLUMNS = (
    "id, document_id, position, speaker_id, kind, role, text, cue, parent_id, char_start, "
    "char_end, date"
)


def floor_rows(records: list[dict], batch: int) -> tuple[list, list, list]:
    """What the store writes, as rows: speakers, aliases, and per batch the documents,
    versions and statements."""
    speakers: dict[str, int] = {}
    aliases: dict[str, int] = {}
    speaker_rows = []
    batches = []
    statement_id = 0
    for start in range(0, len(records), batch):
        documents, versions, statements = [], [], []
        for document_id, record in enumerate(records[start : start + batch], start + 1):
            text = record.get("text") or ""
            digest = hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()
            fetched = record["fetched"]
            day = record.get("date") or (record.get("published") or "")[:10] or None
            documents.append(
                (document_id, record["url"], record["source"], record.get("title"),
                 record.get("published"), day, record.get("language"), record.get("kind"),
                 record.get("author"), digest, json.dumps(record.get("flags") or []), text,
                 fetched, fetched, None, None, None, None,
                 next_check(record.get("published"), fetched, fetched))
            )  # fmt: skip
            versions.append((document_id, 1, fetched, digest, record.get("title"), text))
            base = statement_id + 1
            for position, statement in enumerate(record["statements"]):
                speaker = statement.get("speaker")
                speaker_id = None
                if speaker:
                    key = speaker["name"].casefold()
                    if key not in speakers:
                        speakers[key] = len(speakers) + 1
                        speaker_rows.append(
                            (speakers[key], speaker["name"], speaker.get("kind") or "person",
                             speaker.get("country"))
                        )  # fmt: skip
                        for alias in {speaker["name"], *(speaker.get("aliases") or ())}:
                            aliases.setdefault(alias, speakers[key])
                    speaker_id = speakers[key]
                parent = statement.get("parent")
                statement_id += 1
                statements.append(
                    (statement_id, document_id, position, speaker_id, statement["kind"],
                     statement.get("role"), statement["text"], statement.get("cue"),
                     base + parent if parent is not None else None,
                     statement.get("char_start"), statement.get("char_end"), day)
                )  # fmt: skip
        batches.append((documents, versions, statements))
    return speaker_rows, list(aliases.items()), batches


def floor(folder: Path, records: list[dict], batch: int) -> tuple[float, float, float]:
    """The same rows, the same SQL and batching, nothing else (see the module docstring)."""
    speakers, aliases, batches = floor_rows(records, batch)
    sources = sorted({r["source"] for r in records})
    with Archive(folder / "floor.db") as archive:
        conn = archive.db.conn

        def insert() -> None:
            first = True
            for documents, versions, statements in batches:
                conn.execute("BEGIN IMMEDIATE")
                if first:
                    conn.executemany(
                        "INSERT INTO sources (name) VALUES (?)", [(s,) for s in sources]
                    )
                    conn.executemany(
                        "INSERT INTO speakers (id, name, kind, country) VALUES (?, ?, ?, ?)",
                        speakers,
                    )
                    conn.executemany(
                        "INSERT INTO speaker_aliases (alias, speaker_id) VALUES (?, ?)", aliases
                    )
                    first = False
                mark = statements[0][0] - 1 if statements else 0
                conn.execute(f"INSERT INTO {DEFERRED_FTS_TABLE} (above) VALUES (?)", [mark])
                conn.executemany(
                    f"INSERT INTO documents ({_DOCUMENT_COLUMNS}) VALUES ({', '.join('?' * 19)})",
                    documents,
                )
                conn.executemany(
                    "INSERT INTO document_versions (document_id, version, fetched, content_hash, "
                    "title, text) VALUES (?, ?, ?, ?, ?, ?)",
                    versions,
                )
                conn.executemany(
                    f"INSERT INTO statements ({_STATEMENT_COLUMNS}) VALUES ({', '.join('?' * 12)})",
                    statements,
                )
                conn.execute(
                    "INSERT INTO statements_fts (rowid, text) SELECT id, text FROM statements "
                    "WHERE id > ?",
                    [mark],
                )
                conn.execute(
                    f"INSERT INTO {HAN_FTS_TABLE} (rowid, text) SELECT id, text FROM {HAN_VIEW} "
                    "WHERE id > ?",
                    [mark],
                )
                conn.execute(f"DELETE FROM {DEFERRED_FTS_TABLE}")
                conn.commit()

        cpu, wall, rss, _ = timed(insert)
        check = conn.execute("SELECT count(*) FROM statements").fetchone()[0]
        assert check == statement_count(records), check
    return cpu, wall, rss


def load(kind: str, statements: int) -> list[dict]:
    if kind == "mfa":
        return mfa_records()
    records, total = [], 0
    for record in islice(realistic_records(10 * statements, seed=7), None):
        records.append(record)
        total += len(record["statements"])
        if total >= statements:
            break
    return records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=200, help="documents per transaction")
    parser.add_argument("--records", choices=("realistic", "mfa"), default="realistic")
    parser.add_argument("--statements", type=int, default=50_000, help="realistic records")
    parser.add_argument("--profile", action="store_true", help="cProfile one fresh ingest")
    args = parser.parse_args(argv)
    records = load(args.records, args.statements)
    n = statement_count(records)
    languages: dict[str, int] = {}
    for record in records:
        languages[record["language"]] = languages.get(record["language"], 0) + len(
            record["statements"]
        )
    shares = ", ".join(f"{k} {v / n:.0%}" for k, v in sorted(languages.items()))
    print(f"{len(records)} documents, {n} statements ({shares}); batches of {args.batch}")
    if args.profile:
        with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "p.db") as archive:
            profiler = cProfile.Profile()
            profiler.runcall(archive.upsert_documents, records, batch_size=args.batch)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return 0
    best: dict[str, tuple[float, float, float]] = {}
    for turn in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            runs = [("ours", ours), ("floor", floor)]
            for name, run in runs if turn % 2 == 0 else runs[::-1]:
                if name == "ours":
                    for key, value in run(Path(tmp), records, args.batch).items():
                        best[key] = min(best.get(key, value), value)
                else:
                    value = run(Path(tmp), records, args.batch)
                    best["floor"] = min(best.get("floor", value), value)
    print(f"{'':<28} {'statements/s':>13} {'(wall)':>10} {'peak RSS MB':>12}")
    for key, label in (
        ("new", "ours, fresh archive"),
        ("unchanged", "ours, re-ingest"),
        ("floor", "floor: same SQL, batched"),
    ):
        cpu, wall, rss = best[key]
        print(f"{label:<28} {n / cpu:13,.0f} {n / wall:10,.0f} {rss:12.0f}")
    ratio = best["floor"][0] / best["new"][0]
    verdict = "meets" if ratio >= TARGET else "misses"
    print(f"ratio ours/floor (fresh, CPU): {ratio:.2f}; {verdict} the target of {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
