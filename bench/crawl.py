"""Crawl benchmark: the spiders over the loopback mirrors, against a bare fetch-and-parse crawl.

For each mirror of ``../shared/mirror`` (MFA: 500 transcripts; Kremlin: 580 pages) it serves
the saved site on loopback (:mod:`mfa_scraper.mirror`) and runs three crawls as a user would,
alternating their order, ``--repeat`` times:

- **floor**: ``bench/bare_spider.py``, a bare Scrapy spider that fetches the same pages and
  parses them with the site's extractor (HTML → Document), and nothing else;
- **spider**: the project's spider with ``ITEM_PIPELINES={}``: the floor's work plus quote
  attribution (the last step of extraction, in the spider's callbacks), incremental state
  and validators;
- **full**: the same with the pipeline: validation and the SQLite archive (a fresh file each
  run).

It prints pages, wall and CPU seconds and peak RSS of the crawler process (best run of each
by CPU), and the overhead of the full crawl over the floor, split into the spider's part
(attribution, mostly) and the pipeline's. CPU time is the figure: the machine is shared, and
wall time counts the neighbours. Target: full crawl at most 15 % over the floor.

Usage::

    python bench/crawl.py [--repeat 3] [--only mfa|kremlin]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from pathlib import Path

from corpus import MIRRORS, ROOT
from memory import run_measured

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


MODES = ("floor", "spider", "full")


def crawl(spider: str, url: str, extra: list[str], *, mode: str) -> dict[str, float]:
    """One crawl in ``mode``: wall and CPU seconds, peak RSS, pages and items."""
    with tempfile.TemporaryDirectory() as tmp:
        if mode == "floor":
            starts = [a.split("=", 1)[1] for a in extra if a.startswith("start_urls=")]
            scrapy = [sys.executable, "-m", "scrapy"]
            args = [*scrapy, "runspider", str(ROOT / "bench" / "bare_spider.py")]
            args += ["-a", f"site={spider}", "-a", f"base_url={url}"]
            args += ["-a", f"start_urls={starts[0]}"] if starts else []
        else:
            args = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"base_url={url}"]
            args += extra
        args += ["-s", "DOWNLOAD_DELAY=0", "-s", "LOG_LEVEL=INFO", "-s", "ARCHIVE_PROGRESS=0"]
        if mode != "full":
            args += ["-s", "ITEM_PIPELINES={}"]
        env = {**os.environ, "ARCHIVE_DB": str(Path(tmp) / "archive.db")}
        env.pop("REDIS_URL", None)
        run = run_measured(args, cwd=ROOT, env=env)
    log = run["stderr"]
    if run["returncode"]:
        raise SystemExit(f"crawl failed:\n{log[-2000:]}")
    return {
        "cpu": run["cpu"],
        "wall": run["wall"],
        "rss": run["peak_rss_mb"],
        "pages": float(_PAGES.findall(log)[-1]) if _PAGES.search(log) else 0.0,
        "items": float(_ITEMS.findall(log)[-1]) if _ITEMS.search(log) else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", choices=sorted(CRAWLS))
    args = parser.parse_args(argv)
    print(
        f"{'crawl':<16} {'pages':>6} {'items':>6} {'wall s':>7} {'CPU s':>7} "
        f"{'pages/CPU s':>11} {'peak RSS MB':>11}"
    )
    for name, (folder, spider, extra) in CRAWLS.items():
        if args.only and name != args.only:
            continue
        server, stop = serve(MIRRORS / folder)
        url = f"http://127.0.0.1:{server.server_address[1]}"
        best: dict[str, dict[str, float]] = {}
        try:
            for turn in range(args.repeat):
                for mode in MODES if turn % 2 == 0 else MODES[::-1]:
                    result = crawl(spider, url, extra(url), mode=mode)
                    if mode not in best or result["cpu"] < best[mode]["cpu"]:
                        best[mode] = result
        finally:
            stop()
        for mode in MODES:
            r = best[mode]
            print(
                f"{name + ' ' + mode:<16} {r['pages']:6.0f} {r['items']:6.0f} {r['wall']:7.1f} "
                f"{r['cpu']:7.2f} {r['pages'] / r['cpu']:11.1f} {r['rss']:11.0f}"
            )
        floor, spider_cpu, full = (best[mode]["cpu"] for mode in MODES)
        overhead = full / floor - 1
        verdict = "meets" if overhead <= TARGET else "misses"
        print(
            f"{name}: full crawl {100 * overhead:+.1f} % CPU over the bare fetch-and-parse floor "
            f"(spider: attribution, state, validators {100 * (spider_cpu / floor - 1):+.1f} %; "
            f"pipeline {100 * (full - spider_cpu) / floor:+.1f} %); {verdict} the target of "
            f"{100 * TARGET:.0f} %"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
