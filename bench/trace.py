"""Trace benchmark: ``archive trace`` latency on a realistic archive, against a LIKE scan.

Uses the realistic archive of ``bench/search.py`` (:mod:`corpus`: distinct statements
recombined from real sentences; built and cached if absent; each real sentence recurs in
about 30 statements of a million). Quotations are cut from answers of that archive:
``--quotes`` sentences of 8–30 words, each traced as printed (verbatim) and with one word
dropped (an edited re-quote). Peak RSS is printed beside each figure.

It measures, per quotation, after one warm-up:

- :func:`archive.provenance.trace.trace` in process (candidates from the FTS index, then
  alignment): p50 and p95;
- the baseline: the naive way to find where words were said, ``text LIKE '%quotation%'``
  over every statement on the same connection (it finds verbatim copies only);
- how often each finds the answer the quotation was cut from (edited quotes included).

Also: :func:`archive.provenance.trace.best_original` per stored quotation (the work of
``archive link``), in quotations per second, on the first ``--link`` quotations.

Usage::

    python bench/trace.py [--db PATH] [--quotes 40] [--link 300]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

from memory import peak_rss_mb, reset_peak
from search import build_archive, default_db, percentiles

from archive.provenance.trace import appearances_of, best_original, trace
from archive.store import open_readonly

SENTENCE = re.compile(r"[^.!?]*[.!?]")


def quotations(db, count: int, seed: int = 7) -> list[tuple[int, str]]:
    """(statement id, sentence) pairs cut from real answers, chosen reproducibly."""
    rows = db.execute(
        "SELECT id, text FROM statements WHERE kind = 'answer' AND id % 97 = 0 LIMIT 4000"
    ).fetchall()
    random.Random(seed).shuffle(rows)
    found: list[tuple[int, str]] = []
    for statement_id, text in rows:
        for sentence in SENTENCE.findall(text):
            words = sentence.split()
            if 8 <= len(words) <= 30 and '"' not in sentence:
                found.append((statement_id, sentence.strip()))
                break
        if len(found) >= count:
            break
    return found


def edited(sentence: str) -> str:
    """The sentence with one word in the middle dropped: a small edit."""
    words = sentence.split()
    del words[len(words) // 2]
    return " ".join(words)


def like_scan(db, text: str) -> list[int]:
    sql = "SELECT id FROM statements WHERE text LIKE ?"
    return [row[0] for row in db.execute(sql, [f"%{text}%"])]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="the archive (built if absent)")
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--quotes", type=int, default=40, help="quotations to trace")
    parser.add_argument("--link", type=int, default=300, help="stored quotations to link")
    args = parser.parse_args(argv)
    args.db = args.db or default_db(args.statements)
    if not args.db.exists():
        print(f"building {args.db}: {build_archive(args.db, args.statements)}")
    db = open_readonly(args.db)
    total = db.execute("SELECT count(*) FROM statements").fetchone()[0]
    print(f"archive: {args.db} ({total:,} statements)")
    cases = quotations(db, args.quotes)
    reset_peak()
    timings: dict[str, list[float]] = {"trace": [], "like": []}
    hits = {"trace verbatim": 0, "trace edited": 0, "like verbatim": 0, "like edited": 0}
    for statement_id, sentence in cases:
        sources = {statement_id}
        for kind, text in (("verbatim", sentence), ("edited", edited(sentence))):
            trace(db, text)  # warm-up: page cache and statement caches
            start = time.perf_counter()
            result = trace(db, text)
            timings["trace"].append(time.perf_counter() - start)
            hits[f"trace {kind}"] += bool(sources & {a.statement_id for a in result.appearances})
            start = time.perf_counter()
            found = like_scan(db, text)
            timings["like"].append(time.perf_counter() - start)
            hits[f"like {kind}"] += bool(sources & set(found))
    trace_rss = peak_rss_mb()
    trace50, trace95 = percentiles(timings["trace"])
    like50, like95 = percentiles(timings["like"])
    n = len(cases)
    print(f"quotations: {n} sentences, each verbatim and with one word dropped")
    for name, (p50, p95) in (("trace", (trace50, trace95)), ("like", (like50, like95))):
        print(
            f"{name:8} p50 {p50 * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  found the source: "
            f"verbatim {hits[name + ' verbatim']}/{n}, edited {hits[name + ' edited']}/{n}"
        )
    print(f"ratio    trace/LIKE p50 {trace50 / like50:.3f}  p95 {trace95 / like95:.3f}")
    print(f"peak RSS of tracing and scanning: {trace_rss:.0f} MB")
    reset_peak()

    ids = [
        row[0]
        for row in db.execute(
            "SELECT id FROM statements WHERE kind = 'quote' ORDER BY id LIMIT ?", [args.link]
        )
    ]
    start = time.perf_counter()
    linked = sum(best_original(db, quote) is not None for quote in appearances_of(db, ids))
    elapsed = time.perf_counter() - start
    print(
        f"link     {len(ids) / elapsed:7.1f} quotations/s ({len(ids)} quotations, "
        f"{linked} with an original), peak RSS {peak_rss_mb():.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
