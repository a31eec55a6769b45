"""``archive link`` benchmark: time and peak memory of what runs after a crawl.

On a copy of a realistic archive (:mod:`corpus`; the copy, so the cached archive stays
unlinked), each step runs as its own process, as a user runs it, and is measured whole
(wall, CPU, peak RSS of the process):

- ``archive pairs --update``: bilingual pairing of every document (nothing paired yet);
- the same with another checkout's code (``--compare DIR``, e.g. the main branch), on a second
  copy: the floor this change is measured against;
- ``archive link``: pairing (done: nothing new), every quotation's best original, and the
  impact lists if stale; ``--link-limit N`` stops after N quotations (a million statements
  hold ~45,000, a minute or more a thousand on this machine).

Usage::

    python bench/link.py [--statements 100000] [--db PATH] [--compare /work/main]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from corpus import ROOT, build_archive
from memory import run_measured
from search import CACHE, default_db

LIMITED_LINK = """
import sys
from archive.provenance import linking
from archive.store import Archive
limit = int(sys.argv[2])
original = linking.quotes_to_link
linking.quotes_to_link = lambda db, everything=False: original(db, everything=everything)[:limit]
with Archive(sys.argv[1], create=False) as archive:
    print(linking.link_archive(archive))
"""


def copy(path: Path, folder: Path, name: str) -> Path:
    target = folder / name
    shutil.copy(path, target)
    return target


def report(label: str, run: dict) -> None:
    if run["returncode"]:
        raise SystemExit(f"{label} failed:\n{run['stderr'][-2000:]}")
    print(
        f"{label:<34} wall {run['wall']:7.1f} s  CPU {run['cpu']:7.1f} s  "
        f"peak RSS {run['peak_rss_mb']:6.0f} MB  {run['stdout'].strip()[-200:]}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="the archive (built if absent)")
    parser.add_argument("--compare", type=Path, help="another checkout: pair with its code too")
    parser.add_argument("--link-limit", type=int, help="quotations linked at most")
    parser.add_argument("--tmp", type=Path, default=CACHE, help="where the copies go")
    parser.add_argument(
        "--in-place",
        action="store_true",
        help="link the archive itself, no copy (ten million: a copy is 30 GB)",
    )
    args = parser.parse_args(argv)
    path = args.db or default_db(args.statements)
    if not path.exists():
        print(f"building {path}: {json.dumps(build_archive(path, args.statements))}")
    archive = [sys.executable, "-m", "archive"]
    if args.in_place:
        steps(archive, path, args.link_limit)
        return 0
    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp:
        folder = Path(tmp)
        if args.compare:
            other = copy(path, folder, "compare.db")
            run = run_measured(
                [*archive, "pairs", "--update", "--db", str(other)], cwd=args.compare
            )
            report(f"pairs --update ({args.compare.name})", run)
            other.unlink()
        steps(archive, copy(path, folder, "ours.db"), args.link_limit)
    return 0


def steps(archive: list[str], path: Path, link_limit: int | None) -> None:
    """Pair every document, then link (at most ``link_limit`` quotations), each measured."""
    report(
        "pairs --update",
        run_measured([*archive, "pairs", "--update", "--db", str(path)], cwd=ROOT),
    )
    if link_limit:
        command = [sys.executable, "-c", LIMITED_LINK, str(path), str(link_limit)]
        report(f"link ({link_limit} quotations)", run_measured(command, cwd=ROOT))
    else:
        report("link", run_measured([*archive, "link", "--db", str(path)], cwd=ROOT))


if __name__ == "__main__":
    raise SystemExit(main())
