"""Crawl benchmark: the spiders over the loopback mirrors, full pipeline against none.

For each mirror of ``../shared/mirror`` (MFA: 500 transcripts; Kremlin: 580 pages) it serves
the saved site on loopback (:mod:`mfa_scraper.mirror`) and runs ``scrapy crawl`` twice, as a
user would, alternating, ``--repeat`` times:

- **full**: validation, quote attribution and the SQLite archive (a fresh file each run);
- **floor**: the same crawl with ``ITEM_PIPELINES={}``: fetching, parsing and extraction
  only, the floor Scrapy and our spiders set.

It prints pages, wall seconds and CPU seconds of the crawler process (best run of each) and
the pipeline's overhead, CPU time over the floor's. CPU time is the figure: the machine is
shared, and wall time counts the neighbours. Target: overhead at most 15 %.

Usage::

    python bench/crawl.py [--repeat 3] [--only mfa|kremlin]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from corpus import MIRRORS, ROOT

from mfa_scraper.mirror import serve

#: name -> (mirror folder, spider, extra arguments given the mirror's URL)
CRAWLS = {
    "mfa": ("www.fmprc.gov.cn", "mfa", lambda url: []),
    "kremlin": (
        "en.kremlin.ru",
        "kremlin",
        lambda url: ["-a", f"start_urls={url}/events/president/news/page/2"],
    ),
}
TARGET = 0.15
_PAGES = re.compile(r"'response_received_count': (\d+)")
_ITEMS = re.compile(r"'item_scraped_count': (\d+)")


def crawl(spider: str, url: str, extra: list[str], *, pipeline: bool) -> dict[str, float]:
    """One ``scrapy crawl``: wall and CPU seconds, pages and items."""
    with tempfile.TemporaryDirectory() as tmp:
        args = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"base_url={url}", *extra]
        args += ["-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO", "-s", "ARCHIVE_PROGRESS=0"]
        if not pipeline:
            args += ["-s", "ITEM_PIPELINES={}"]
        env = {**os.environ, "ARCHIVE_DB": str(Path(tmp) / "archive.db")}
        env.pop("REDIS_URL", None)
        start = time.perf_counter()
        process = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        log = process.communicate()[1]
        wall = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"crawl failed:\n{log[-2000:]}")
    return {
        "wall": wall,
        "pages": float(_PAGES.findall(log)[-1]) if _PAGES.search(log) else 0.0,
        "items": float(_ITEMS.findall(log)[-1]) if _ITEMS.search(log) else 0.0,
    }


def cpu_of(fn, *args, **kwargs) -> tuple[float, dict[str, float]]:
    """CPU seconds the children spent during ``fn`` (the crawler process), and its result."""
    before = os.times()
    result = fn(*args, **kwargs)
    after = os.times()
    return (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    ), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=sorted(CRAWLS))
    args = parser.parse_args(argv)
    print(f"{'crawl':<16} {'pages':>6} {'items':>6} {'wall s':>7} {'CPU s':>7} {'pages/CPU s':>11}")
    for name, (folder, spider, extra) in CRAWLS.items():
        if args.only and name != args.only:
            continue
        server, stop = serve(MIRRORS / folder)
        url = f"http://127.0.0.1:{server.server_address[1]}"
        best: dict[str, tuple[float, dict[str, float]]] = {}
        try:
            for _ in range(args.repeat):
                for mode in ("floor", "full"):
                    cpu, result = cpu_of(crawl, spider, url, extra(url), pipeline=mode == "full")
                    if mode not in best or cpu < best[mode][0]:
                        best[mode] = (cpu, result)
        finally:
            stop()
        for mode in ("floor", "full"):
            cpu, r = best[mode]
            print(
                f"{name + ' ' + mode:<16} {r['pages']:6.0f} {r['items']:6.0f} {r['wall']:7.1f} "
                f"{cpu:7.2f} {r['pages'] / cpu:11.1f}"
            )
        overhead = best["full"][0] / best["floor"][0] - 1
        verdict = "meets" if overhead <= TARGET else "misses"
        print(
            f"{name}: pipeline overhead {100 * overhead:+.0f} % CPU "
            f"(ratio full/floor {best['full'][0] / best['floor'][0]:.2f}); "
            f"{verdict} the target of {100 * TARGET:.0f} %"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
