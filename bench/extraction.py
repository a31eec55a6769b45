"""Main-text extraction benchmark: ``archive extract`` and ``extract_article`` against trafilatura.

``extract`` is the path of ``archive extract``
(:func:`~mfa_scraper.sites.dispatch.extract_document`: the article extractor, then the
quote engine); ``ours`` is the article extractor alone.

Runs both on the scrapinghub article-extraction-benchmark pages in the same process, page by
page (interleaved, so that machine load affects both alike), each page in a rotated order of
the extractors (whichever runs first on a page pays for its bytes coming into the CPU caches,
so each goes first on as many pages), ``--repeat`` times, and prints CPU time per page (the
best pass; wall time beside it), peak RSS, their ratio and text precision/recall/F1 against
the gold ``articleBody``.

Scoring follows scrapinghub's ``evaluate.py``: tokens are ``\\w+`` runs, compared as
multisets of 4-token shingles; each page's TP/FP/FN are normalised to sum to 1, precision and
recall are averaged over pages, and F1 is computed from the two averages. A second line gives
the same with single whitespace-separated tokens, the simpler measure often quoted.

Usage::

    python bench/extraction.py [BENCH_DIR] [--limit N] [--worst N] [--profile]

``BENCH_DIR`` (default ``../shared/bench`` from the repository root) holds
``articles/<id>.html[.gz]`` and ``articles_meta/ground-truth.json`` (id -> {"articleBody"}).
Targets: F1 >= 0.97 and no slower than trafilatura.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import json
import pstats
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mfa_scraper.page.article import extract_article  # noqa: E402
from mfa_scraper.sites.dispatch import extract_document  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import peak_rss_mb  # noqa: E402

DEFAULT_BENCH = next(
    (f / "shared" / "bench" for f in ROOT.parents if (f / "shared" / "bench").is_dir()),
    ROOT.parent / "shared" / "bench",
)
TOKEN_RE = re.compile(r"\w+")
SHINGLE_SIZE = 4

Counts = tuple[float, float, float]


def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter:
    """Multiset of ``size``-token shingles, as in scrapinghub's ``_ngrams``."""
    tokens = TOKEN_RE.findall(text or "")
    return Counter(
        tuple(tokens[i : i + size]) for i in range(max(1, len(tokens) - size + 1)) if tokens
    )


def words(text: str) -> Counter:
    """Multiset of whitespace-separated tokens."""
    return Counter((text or "").split())


def match_counts(true: Counter, pred: Counter) -> Counts:
    """TP/FP/FN over multisets, normalised so that long pages weigh no more than short ones."""
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def precision_recall_f1(rows: list[Counts]) -> tuple[float, float, float]:
    """Averaged precision and recall, and F1 of the averages (scrapinghub's definition)."""

    def precision(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fp == 0 else tp / (tp + fp)

    def recall(tp: float, fp: float, fn: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == fn == 0 else tp / (tp + fn)

    p = statistics.mean(precision(*r) for r in rows if r[0] + r[1] > 0)
    r = statistics.mean(recall(*r) for r in rows if r[0] + r[2] > 0)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_pages(bench: Path, limit: int | None) -> list[tuple[str, bytes, str, str]]:
    """(id, html bytes, url, gold text) for each page that has a gold article body."""
    truth = json.loads((bench / "articles_meta" / "ground-truth.json").read_text("utf-8"))
    pages = []
    for key in sorted(truth):
        plain = bench / "articles" / f"{key}.html"
        packed = bench / "articles" / f"{key}.html.gz"
        if plain.exists():
            data = plain.read_bytes()
        elif packed.exists():
            data = gzip.decompress(packed.read_bytes())
        else:
            continue
        pages.append((key, data, truth[key].get("url", ""), truth[key].get("articleBody", "")))
    return pages[:limit] if limit else pages


def ours(data: bytes, url: str) -> str:
    """Our extractor as the crawler calls it: raw bytes in, metadata and text out."""
    return extract_article(data, url).text


def archive_extract(data: bytes, url: str) -> str:
    """What ``archive extract`` runs: the site or article extractor, then the quote engine."""
    return extract_document(data, url).text


def baseline(data: bytes, url: str) -> str:
    """trafilatura alone, called as the scrapinghub benchmark calls it (decoded text in)."""
    return trafilatura.extract(data.decode("utf-8", "replace"), include_comments=False) or ""


EXTRACTORS: dict[str, Callable[[bytes, str], str]] = {
    "ours": ours,
    "extract": archive_extract,
    "trafilatura": baseline,
}


def run(pages, names: list[str], repeat: int = 1) -> dict[str, dict]:
    """Time and score each extractor; pages are interleaved across extractors, their order
    rotated page by page; times are the best of ``repeat`` passes."""
    results = {
        name: {"seconds": 0.0, "wall": 0.0, "shingle": [], "word": [], "pages": {}}
        for name in names
    }
    for name in names:  # warm-up: first calls load dateparser data, lxml caches, etc.
        EXTRACTORS[name](pages[0][1], pages[0][2])
    for attempt in range(repeat):
        cpu = dict.fromkeys(names, 0.0)
        wall = dict.fromkeys(names, 0.0)
        for index, (key, data, url, gold) in enumerate(pages):
            shift = (index + attempt) % len(names)
            for name in names[shift:] + names[:shift]:
                start, start_cpu = time.perf_counter(), time.process_time()
                text = EXTRACTORS[name](data, url)
                cpu[name] += time.process_time() - start_cpu
                wall[name] += time.perf_counter() - start
                if attempt:
                    continue
                gold_shingles, gold_words = shingles(gold), words(gold)
                counts = match_counts(gold_shingles, shingles(text))
                results[name]["shingle"].append(counts)
                results[name]["word"].append(match_counts(gold_words, words(text)))
                results[name]["pages"][key] = counts
        for name in names:
            if not attempt or cpu[name] < results[name]["seconds"]:
                results[name]["seconds"], results[name]["wall"] = cpu[name], wall[name]
    return results


def page_f1(counts: Counts) -> float:
    tp, fp, fn = counts
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def report(results: dict[str, dict], n_pages: int, worst: int) -> None:
    print(f"{n_pages} pages")
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    print(
        f"{'extractor':<12} {'CPU ms/page':>11} {'(wall)':>7}  {'P':>6} {'R':>6} {'F1':>6}"
        "   (words: P R F1)"
    )
    for name, res in results.items():
        p, r, f1 = precision_recall_f1(res["shingle"])
        wp, wr, wf1 = precision_recall_f1(res["word"])
        ms = 1000 * res["seconds"] / n_pages
        wall = 1000 * res["wall"] / n_pages
        print(
            f"{name:<12} {ms:11.1f} {wall:7.1f}  {p:6.3f} {r:6.3f} {f1:6.3f}"
            f"   ({wp:.3f} {wr:.3f} {wf1:.3f})"
        )
    if "ours" in results and "trafilatura" in results:
        ratio = results["ours"]["seconds"] / results["trafilatura"]["seconds"]
        print(f"CPU time ratio ours/trafilatura: {ratio:.2f}")
        if "extract" in results:
            ratio = results["extract"]["seconds"] / results["trafilatura"]["seconds"]
            print(f"CPU time ratio archive extract (quotes included)/trafilatura: {ratio:.2f}")
        if worst:
            ours_pages, base_pages = results["ours"]["pages"], results["trafilatura"]["pages"]
            ranked = sorted(ours_pages, key=lambda k: page_f1(ours_pages[k]))[:worst]
            print(f"worst {worst} pages (ours F1 / trafilatura F1):")
            for key in ranked:
                print(
                    f"  {key[:16]}  {page_f1(ours_pages[key]):.2f} / {page_f1(base_pages[key]):.2f}"
                )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bench", nargs="?", type=Path, default=DEFAULT_BENCH)
    parser.add_argument("--limit", type=int, help="only the first N pages")
    parser.add_argument("--worst", type=int, default=0, help="list the N worst pages of ours")
    parser.add_argument("--profile", action="store_true", help="cProfile our extractor only")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (best counts)")
    args = parser.parse_args(argv)
    if not (args.bench / "articles_meta" / "ground-truth.json").exists():
        parser.error(f"no articles_meta/ground-truth.json under {args.bench}")
    pages = load_pages(args.bench, args.limit)
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(run, pages, ["ours"])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        return 0
    report(run(pages, list(EXTRACTORS), args.repeat), len(pages), args.worst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
