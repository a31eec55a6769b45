"""CLI start-up benchmark: what a new ``archive`` process costs before it answers.

Each figure is a new process, measured whole (wall, and CPU from ``wait4``: user + system),
beside its floors from the same run, the calls of one round interleaved so that a busy
neighbour slows all of them alike:

- ``python -c pass``: the interpreter and ``site`` (the venv's ``.pth`` files);
- ``python -c "import sqlite3"``: the least a program reading an archive imports;
- ``archive --help``: the command group, its help printed;
- ``archive search QUERY --format json --db DB``: a search of a rare word on a small archive,
  so that nearly all of its time is start-up; and the same as a table (the default format,
  which imports rich).

Each ``archive`` call imports the archive of this checkout (``PYTHONPATH`` and working
directory set to it, whatever the venv's editable install points at); ``--compare DIR``
measures another checkout's (e.g. a ``git archive`` of main) in the same rounds.

The command is the ``archive`` script when one is on ``PATH``, else ``python -m archive``
(the same function, :data:`archive.cli.app`). Two bytecode modes, since Python compiles a
module's source at every import when it may not write or find its ``.pyc``:

- ``cached``: ``.pyc`` files written once under a private ``PYTHONPYCACHEPREFIX`` and read
  after (what an installed package does);
- ``source``: ``PYTHONDONTWRITEBYTECODE=1`` as this project's venv runs, so the archive's
  own modules (no ``__pycache__`` in the source tree) are compiled at every call.

Prints best and median of ``--runs`` calls per figure and each figure's ratio to the
``import sqlite3`` floor (best against best).

Usage::

    python bench/cli_startup.py [--db PATH] [--statements 20000] [--query asymptomatic]
                                [--runs 15] [--mode cached|source|both] [--compare DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from corpus import ROOT, build_archive
from memory import run_measured

CACHE = Path(os.environ.get("BENCH_CACHE") or tempfile.gettempdir())


def archive_command() -> list[str]:
    """The ``archive`` entry point as a user runs it."""
    script = shutil.which("archive")
    return [script] if script else [sys.executable, "-m", "archive"]


#: A figure: its name, the command, and the checkout whose archive it imports (None: none).
Figure = tuple[str, list[str], Path | None]


def figures(db: Path, query: str, trees: dict[str, Path]) -> list[Figure]:
    archive = archive_command()
    search = [*archive, "search", query, "--db", str(db)]
    result: list[Figure] = [
        ("python -c pass", [sys.executable, "-c", "pass"], None),
        ("python -c 'import sqlite3' (floor)", [sys.executable, "-c", "import sqlite3"], None),
    ]
    for label, tree in trees.items():
        result += [
            (f"archive --help{label}", [*archive, "--help"], tree),
            (f"archive search {query} -f json{label}", [*search, "--format", "json"], tree),
            (f"archive search {query} (table){label}", search, tree),
        ]
    return result


def environment(mode: str, prefix: Path, tree: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if mode == "cached":
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(prefix)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    if tree is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(tree), env.get("PYTHONPATH")]))
    return env


def imported_from(tree: Path, env: dict[str, str]) -> str:
    """Where ``archive`` comes from in a call pinned to ``tree``."""
    code = "import archive; print(archive.__file__)"
    return run_measured([sys.executable, "-c", code], cwd=tree, env=env)["stdout"].strip()


def measure(figures: list[Figure], mode: str, prefix: Path, runs: int) -> dict[str, Any]:
    calls: dict[str, list[dict[str, Any]]] = {name: [] for name, _, _ in figures}

    def run(args: list[str], tree: Path | None) -> dict[str, Any]:
        call = run_measured(args, cwd=tree or ROOT, env=environment(mode, prefix, tree))
        assert call["returncode"] == 0, call["stderr"][-500:]
        return call

    for _, args, tree in figures:  # warm-up: page cache, and the .pyc files when cached
        run(args, tree)
    for round_ in range(runs):
        order = figures if round_ % 2 == 0 else figures[::-1]  # none always first
        for name, args, tree in order:
            calls[name].append(run(args, tree))
    return calls


def report(mode: str, calls: dict[str, list[dict[str, Any]]]) -> None:
    floor_name = next(name for name in calls if "(floor)" in name)
    floor_cpu = min(c["cpu"] for c in calls[floor_name])
    floor_wall = min(c["wall"] for c in calls[floor_name])
    width = max(map(len, calls))
    print(f"\nbytecode: {mode}; best and median of {len(calls[floor_name])} calls each")
    print(
        f"{'figure':<{width}} {'wall best':>9} {'median':>7} {'CPU best':>9} {'median':>7} "
        f"{'RSS MB':>6} {'× floor CPU':>11} {'× wall':>7}"
    )
    for name, runs in calls.items():
        wall = [c["wall"] * 1e3 for c in runs]
        cpu = [c["cpu"] * 1e3 for c in runs]
        rss = max(c["peak_rss_mb"] for c in runs)
        print(
            f"{name:<{width}} {min(wall):>7.1f}ms {statistics.median(wall):>5.1f}ms "
            f"{min(cpu):>7.1f}ms {statistics.median(cpu):>5.1f}ms {rss:>6.0f} "
            f"{min(cpu) / 1e3 / floor_cpu:>11.2f} {min(wall) / 1e3 / floor_wall:>7.2f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="the archive (built if absent)")
    parser.add_argument("--statements", type=int, default=20_000, help="size if built")
    parser.add_argument("--query", default="asymptomatic", help="a rare word")
    parser.add_argument("--runs", type=int, default=15, help="calls per figure")
    parser.add_argument("--mode", choices=("cached", "source", "both"), default="both")
    parser.add_argument("--compare", type=Path, help="another checkout, measured alike")
    args = parser.parse_args(argv)
    db = args.db or CACHE / f"bench_cli_{args.statements}.db"
    if not db.exists():
        print(f"building {db}: {build_archive(db, args.statements)}")
    trees = {"": ROOT}
    if args.compare:
        trees = {" [this]": ROOT, f" [{args.compare}]": args.compare.resolve()}
    print(f"{' '.join(archive_command())}; {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="cli-pyc-") as prefix:
        for label, tree in trees.items():
            env = environment("source", Path(prefix), tree)
            print(f"archive{label or ' '}imported from {imported_from(tree, env)}")
        modes = ("cached", "source") if args.mode == "both" else (args.mode,)
        for mode in modes:
            report(mode, measure(figures(db, args.query, trees), mode, Path(prefix), args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
