"""Search benchmark: ``archive search`` latency on a million statements, against a LIKE scan.

Builds (once, cached) an archive of at least ``--statements`` statements: the 500 real MFA
transcripts of :mod:`corpus`, replicated. Copy *k* lives at ``URL?copy=k``, is dated ``37·k``
days earlier (a decade and more of briefings) and has its speakers rotated *k* places within
their kind (people among people, outlets among outlets), so dates and speakers vary. Copies
keep the title as document text (statements carry the words; this keeps the file near 1 GB).
The archive is written through :meth:`archive.store.Archive.upsert_documents`, the store
being the only writer, which then reads the impact lists of common terms
(:mod:`archive.search.rank_lists`), as ``archive link`` does after a crawl.

Then, for each query of :data:`QUERIES` (words, phrases, ``OR``, a speaker name, with
``--speaker``, ``--since``, ``--sort date``), it measures:

- in process: :func:`archive.search.engine.search` on an open read-only connection, ``--runs``
  runs per query after one warm-up; p50 and p95 over all runs;
- the CLI: ``archive search QUERY --format json`` as a new process, start-up included;
- the baseline: a naive scan, ``text LIKE '%word%'`` for every word, newest first, the same
  limit, on the same connection.

Targets: p95 at most 100 ms in process and 0.5 s for the CLI. CPU seconds (of this process,
and of the CLI's child processes) are printed beside wall time: on a shared machine wall
time measures the neighbours too.

Usage::

    python bench/search.py [--statements 1000000] [--db PATH] [--runs 5] [--explain]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from corpus import ROOT, mfa_records, statement_count

from archive.search.engine import Search, search, search_sql
from archive.search.rank_lists import lists_are_stale
from archive.store import Archive, open_readonly

DEFAULT_DB = Path(os.environ.get("BENCH_CACHE") or tempfile.gettempdir()) / "mfa-bench-1m.db"
#: (query, options) as a researcher types them.
QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("LAC", {}),
    ("sanctions", {}),
    ("Taiwan", {"sort": "date"}),
    ('"one-China principle"', {}),
    ("trade OR tariffs", {}),
    ("Hong Kong", {"since": "2019-01-01"}),
    ("Zhao Lijian", {}),
    ("Pompeo", {"sort": "date"}),
    ("COVID-19", {"speaker": "Zhao Lijian"}),
    ("human rights", {"speaker": "Hua Chunying", "sort": "date"}),
    ("Xinjiang", {"since": "2015-01-01", "until": "2018-12-31"}),
    ("cooperation", {}),
]
TARGET_IN_PROCESS = 0.100
TARGET_CLI = 0.5


def _shift(day: str | None, days: int) -> str | None:
    if not day:
        return day
    return (date.fromisoformat(day[:10]) - timedelta(days=days)).isoformat() + day[10:]


def replicas(records: list[dict], copies: int):
    """The records, replicated ``copies`` times with varied URLs, dates and speakers."""
    pools: dict[str, list[dict]] = {}
    for record in records:
        for statement in record["statements"]:
            speaker = statement["speaker"]
            if speaker:
                pool = pools.setdefault(speaker["kind"], [])
                if speaker["name"] not in {s["name"] for s in pool}:
                    pool.append(speaker)
    index = {(kind, s["name"]): i for kind, pool in pools.items() for i, s in enumerate(pool)}
    for k in range(copies):
        for record in records:
            if k == 0:
                yield record
                continue
            statements = []
            for statement in record["statements"]:
                speaker = statement["speaker"]
                if speaker:
                    pool = pools[speaker["kind"]]
                    speaker = pool[(index[(speaker["kind"], speaker["name"])] + k) % len(pool)]
                statements.append({**statement, "speaker": speaker})
            yield {
                **record,
                "url": f"{record['url']}?copy={k}",
                "published": _shift(record.get("published"), 37 * k),
                "text": record.get("title") or "",
                "statements": statements,
            }


def build(path: Path, statements: int) -> None:
    """Write the replicated archive to ``path`` through the store."""
    records = mfa_records()
    copies = -(-statements // statement_count(records))
    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    start = time.perf_counter()
    with Archive(partial) as archive:
        archive.upsert_documents(replicas(records, copies), batch_size=500)
        archive.db.execute("INSERT INTO statements_fts(statements_fts) VALUES ('optimize')")
        archive.refresh_rank_lists()  # what `archive link` (run by `archive crawl`) does
        archive.db.execute("ANALYZE")
        archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.move(partial, path)
    print(f"built {path} ({copies} copies) in {time.perf_counter() - start:.0f} s")


def like_scan(db: Any, query: str, options: dict[str, Any]) -> list:
    """The naive baseline: every word as ``LIKE '%word%'``, newest first."""
    words = re.findall(r"\w+", query.replace(" OR ", " "))
    sql = "SELECT id, date, text FROM statements WHERE " + " AND ".join(
        "text LIKE ?" for _ in words
    )
    params = [f"%{w}%" for w in words]
    if options.get("since"):
        sql += " AND date >= ?"
        params.append(options["since"])
    if options.get("until"):
        sql += " AND date <= ?"
        params.append(options["until"])
    return db.execute(sql + " ORDER BY date DESC LIMIT 20", params).fetchall()


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p95 of ``samples`` (seconds)."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def timed_runs(fn: Any, runs: int, cpu: list[float] | None = None) -> list[float]:
    """Wall seconds of ``runs`` calls after a warm-up; their CPU seconds go to ``cpu``."""
    fn()  # warm-up: page cache, statement cache
    samples = []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append(time.perf_counter() - start)
        if cpu is not None:
            cpu.append(time.process_time() - start_cpu)
    return samples


def children_cpu() -> float:
    """CPU seconds used so far by finished child processes."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_args(query: str, options: dict[str, Any], db: Path) -> list[str]:
    args = ["search", query, "--format", "json", "--db", str(db)]
    for name, value in options.items():
        args += [f"--{name}", value]
    return args


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=DEFAULT_DB, help="the archive (built if absent)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per query")
    parser.add_argument("--cli-runs", type=int, default=3, help="CLI calls per query")
    parser.add_argument("--explain", action="store_true", help="print query plans and stop")
    args = parser.parse_args(argv)
    if not args.db.exists():
        build(args.db, args.statements)
    with Archive(args.db) as archive:  # a cache built by older code: upgrade it, read lists
        if lists_are_stale(archive.db):
            start = time.perf_counter()
            print(f"impact lists: {archive.refresh_rank_lists()} terms", end=" ")
            print(f"in {time.perf_counter() - start:.0f} s")
    db = open_readonly(args.db)
    total = db.execute("SELECT count(*) FROM statements").fetchone()[0]
    print(f"{args.db}: {total:,} statements")
    if args.explain:
        for query, options in QUERIES:
            sql, params = search_sql(Search(query, **options))
            print(f"\n{query} {options}")
            for row in db.execute("EXPLAIN QUERY PLAN " + sql, params):
                print("  ", row[-1])
        return 0
    ours: list[float] = []
    ours_cpu: list[float] = []
    scans: list[float] = []
    cli: list[float] = []
    cli_cpu: list[float] = []
    command = [sys.executable, "-m", "archive"]
    if shutil.which("archive"):
        command = [shutil.which("archive")]
    print(
        f"{'query':<34} {'hits':>4} {'ours ms':>8} {'cpu ms':>7} {'LIKE ms':>8} {'CLI ms':>7} "
        f"{'cpu ms':>7}"
    )
    for query, options in QUERIES:
        request = Search(query, **options)
        hits = len(search(db, request))
        mine_cpu: list[float] = []
        mine = timed_runs(lambda r=request: search(db, r), args.runs, mine_cpu)
        scan = timed_runs(lambda q=query, o=options: like_scan(db, q, o), max(1, args.runs // 2))
        calls, calls_cpu = [], []
        for _ in range(args.cli_runs):
            start, start_cpu = time.perf_counter(), children_cpu()
            subprocess.run(
                [*command, *cli_args(query, options, args.db)],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            calls.append(time.perf_counter() - start)
            calls_cpu.append(children_cpu() - start_cpu)
        ours += mine
        ours_cpu += mine_cpu
        cli_cpu += calls_cpu
        scans += scan
        cli += calls
        label = f"{query} {' '.join(f'--{k} {v}' for k, v in options.items())}"[:34]
        print(
            f"{label:<34} {hits:>4} {1000 * statistics.median(mine):8.1f} "
            f"{1000 * statistics.median(mine_cpu):7.1f} "
            f"{1000 * statistics.median(scan):8.0f} {1000 * statistics.median(calls):7.0f} "
            f"{1000 * statistics.median(calls_cpu):7.0f}"
        )
    (p50, p95), (s50, s95), (c50, c95) = map(percentiles, (ours, scans, cli))
    (u50, u95), (k50, k95) = map(percentiles, (ours_cpu, cli_cpu))
    print(f"\n{'':<22} {'p50 ms':>8} {'p95 ms':>8} {'CPU p50':>8} {'CPU p95':>8}")
    print(
        f"{'in process':<22} {1000 * p50:8.1f} {1000 * p95:8.1f} "
        f"{1000 * u50:8.1f} {1000 * u95:8.1f}"
    )
    print(
        f"{'CLI (start-up incl.)':<22} {1000 * c50:8.0f} {1000 * c95:8.0f} "
        f"{1000 * k50:8.0f} {1000 * k95:8.0f}"
    )
    print(f"{'baseline: LIKE scan':<22} {1000 * s50:8.0f} {1000 * s95:8.0f}")
    print(f"ratio LIKE/ours p95: x{s95 / p95:.0f}")
    print(
        f"targets (wall): in-process p95 {'ok' if p95 <= TARGET_IN_PROCESS else 'MISSED'} "
        f"(<= {1000 * TARGET_IN_PROCESS:.0f} ms), CLI p95 "
        f"{'ok' if c95 <= TARGET_CLI else 'MISSED'} (<= {1000 * TARGET_CLI:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
