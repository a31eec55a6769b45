"""Ingest benchmark: statements per second into the archive, against the floor SQLite sets.

Stores the 500 real MFA transcripts of ``../shared/mirror`` (about 9,800 statements, see
:mod:`corpus`) into a fresh archive through :meth:`archive.store.Archive.upsert_documents`
(batches of ``--batch`` documents, one transaction each), as ``archive ingest`` and
``archive add`` do, then stores them again (the idempotent re-ingest of a re-crawl).

Baseline, measured in the same run: the same statements inserted with one ``executemany``
in one transaction into a fresh archive's ``statements`` table, FTS trigger included, with
no Python logic at all: the floor of this schema on this disk.

Times are CPU seconds of this process (``time.process_time``), best of ``--repeat`` runs:
on a shared machine wall time measures the neighbours. Wall time is printed beside them.
Target: at least 10,000 statements/s.

Usage::

    python bench/ingest.py [--repeat 3] [--batch 200] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any

from corpus import mfa_records, statement_count

from archive.store import Archive

TARGET = 10_000


def timed(fn: Any, *args: Any, **kwargs: Any) -> tuple[float, float, Any]:
    """(CPU seconds, wall seconds, result) of ``fn(*args, **kwargs)``."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn(*args, **kwargs)
    return time.process_time() - cpu, time.perf_counter() - wall, result


def ours(folder: Path, records: list[dict], batch: int) -> dict[str, tuple[float, float]]:
    """Fresh ingest and idempotent re-ingest through the store."""
    with Archive(folder / "ours.db") as archive:
        cpu, wall, counts = timed(archive.upsert_documents, records, batch_size=batch)
        assert counts["new"] == len(records), counts
        cpu2, wall2, again = timed(archive.upsert_documents, records, batch_size=batch)
        assert again["unchanged"] == len(records), again
    return {"new": (cpu, wall), "unchanged": (cpu2, wall2)}


def floor(folder: Path, records: list[dict]) -> tuple[float, float]:
    """The statements alone, one ``executemany``, one transaction, same schema and trigger."""
    rows = [
        (i, 1, i, s["kind"], s["text"], (r.get("published") or "")[:10])
        for i, (r, s) in enumerate(((r, s) for r in records for s in r["statements"]), 1)
    ]
    with Archive(folder / "floor.db") as archive:
        archive.upsert_documents(records[:1])  # a document row for the foreign key
        archive.db.execute("DELETE FROM statements")
        conn = archive.db.conn

        def insert() -> None:
            with archive.transaction():
                conn.executemany(
                    "INSERT INTO statements (id, document_id, position, kind, text, date) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    rows,
                )

        cpu, wall, _ = timed(insert)
    return cpu, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=200, help="documents per transaction")
    parser.add_argument("--profile", action="store_true", help="cProfile one fresh ingest")
    args = parser.parse_args(argv)
    records = mfa_records()
    n = statement_count(records)
    print(f"{len(records)} documents, {n} statements; batches of {args.batch}")
    if args.profile:
        with tempfile.TemporaryDirectory() as tmp, Archive(Path(tmp) / "p.db") as archive:
            profiler = cProfile.Profile()
            profiler.runcall(archive.upsert_documents, records, batch_size=args.batch)
            pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
        return 0
    best: dict[str, tuple[float, float]] = {}
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            for key, value in ours(Path(tmp), records, args.batch).items():
                best[key] = min(best.get(key, value), value)
            best["floor"] = min(best.get("floor", (1e9, 1e9)), floor(Path(tmp), records))
    print(f"{'':<24} {'statements/s':>13} {'(wall)':>10}")
    for key, label in (
        ("new", "ours, fresh archive"),
        ("unchanged", "ours, re-ingest"),
        ("floor", "floor: executemany"),
    ):
        cpu, wall = best[key]
        print(f"{label:<24} {n / cpu:13,.0f} {n / wall:10,.0f}")
    ratio = best["floor"][0] / best["new"][0]
    verdict = "meets" if n / best["new"][0] >= TARGET else "misses"
    print(f"ratio ours/floor (fresh): {ratio:.2f}; {verdict} the target of {TARGET:,}/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
