"""What ``archive`` loads before it answers: start-up guarded without timing.

``bench/cli_startup.py`` measures the start-up; these tests keep its gains by what a call
imports and builds, which does not depend on the machine: a search imports neither the
crawler's stack nor the name parser, and a call that names a command builds that command
alone, with the same help as in the whole group.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
from typer.main import get_command

from archive.cli import app

ROOT = Path(__file__).resolve().parent.parent

#: Never imported by ``archive search``: the crawler and its extraction stack, the writer's
#: and the browser's libraries, and the parts of the archive a search does not use.
HEAVY_FOR_SEARCH = (
    "scrapy",
    "twisted",
    "lxml",
    "trafilatura",
    "dateparser",
    "htmldate",
    "mfa_scraper",  # the crawler, with the attribution engine (mfa_scraper.attribution)
    "sqlite_utils",
    "numpy",
    "datasette",
    "archive.provenance",
    "archive.store.writer",  # a search never writes
    "archive.identity.names",  # the name parser: its patterns compile at import
    "archive.identity.registry",  # read only for Cyrillic names in a query
)


def imported_modules(*args: str) -> set[str]:
    """Every module a new ``python -m archive ARGS`` process imports (``-X importtime``)."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "archive", *args],
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "100"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return {
        line.rsplit("|", 1)[1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def heavy(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(f"{n}.") for n in names))


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_search_imports_no_heavy_module(archive_path, fmt):
    modules = imported_modules("search", "epidemic", "--db", str(archive_path), "--format", fmt)
    assert "archive.search.engine" in modules  # the measurement sees the search's imports
    assert not heavy(modules, HEAVY_FOR_SEARCH)
    # JSON is for programs: rich (~30 ms of imports) is for people's tables and help only.
    if fmt == "json":
        assert not heavy(modules, ("rich",))


def test_speaker_search_of_a_person_imports_no_heavy_module(archive_path):
    modules = imported_modules(
        "search", "LAC", "--speaker", "Zhao Lijian", "--db", str(archive_path), "-f", "json"
    )
    assert not heavy(modules, HEAVY_FOR_SEARCH)


def test_help_imports_neither_the_engine_nor_the_store():
    modules = imported_modules("--help") | imported_modules("search", "--help")
    assert not heavy(modules, ("archive.search", "archive.store", *HEAVY_FOR_SEARCH))


def run_app(args: list[str], command=None) -> tuple[int, str]:
    """Exit status and output of ``app(args)``, the entry point, or of a click ``command``."""
    out = io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            (command or app)(args, prog_name="archive")
        except SystemExit as exc:
            code = exc.code or 0
    return code, out.getvalue()


@pytest.fixture
def built(monkeypatch) -> list[str]:
    """Names of the commands typer turns into click commands while the test runs."""
    names: list[str] = []
    original = typer.main.get_command_from_info

    def counting(command_info, **kwargs):
        command = original(command_info, **kwargs)
        names.append(command.name)
        return command

    monkeypatch.setattr(typer.main, "get_command_from_info", counting)
    return names


def test_a_call_naming_a_command_builds_that_command_alone(built):
    assert run_app(["search", "--help"])[0] == 0
    assert built == ["search"]
    built.clear()
    assert run_app(["speakers", "audit", "--help"])[0] == 0
    assert sorted(built) == ["audit", "merge"]  # the group, not the other commands


def test_other_calls_build_the_whole_group(built, monkeypatch):
    everything = len(app.registered_commands) + sum(
        len(group.typer_instance.registered_commands) for group in app.registered_groups
    )
    for args in (["--help"], ["serch", "x"], []):
        built.clear()
        run_app(args)
        assert len(built) == everything, args
    # A shell's completion request: click completes from the whole group.
    monkeypatch.setenv("_ARCHIVE_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", "archive search --so")
    monkeypatch.setenv("COMP_CWORD", "2")
    built.clear()
    run_app(["search"])
    assert len(built) == everything


def test_a_command_alone_helps_and_errs_as_in_the_whole_group(monkeypatch):
    """Each command's and group's help, and its usage errors, are the same text whether the
    call built the command alone (the entry point) or the whole group (``get_command``)."""
    monkeypatch.setenv("COLUMNS", "100")
    whole = get_command(app)
    calls = [[name, "--help"] for name in whole.commands]
    calls += [["speakers", name, "--help"] for name in whole.commands["speakers"].commands]
    calls += [["search"], ["search", "x", "--bogus"], ["show", "x"], ["speakers"]]
    for args in calls:
        assert run_app(args) == run_app(args, whole), args


def test_command_modules_keep_their_annotations_evaluated():
    """No ``from __future__ import annotations`` in the CLI: typer would evaluate every
    option's string annotation again, three times a command, at each start-up."""
    modules = sorted((ROOT / "archive" / "cli").glob("*.py"))
    assert modules
    for path in modules:
        lines = path.read_text("utf-8").splitlines()
        assert "from __future__ import annotations" not in lines, path.name


def test_the_open_check_expects_the_tables_and_columns_of_the_whole_schema():
    """Every open compares the archive with :func:`expected_columns`, built from the
    schema's tables and views alone: the same tables and columns as the whole schema."""
    import sqlite3

    from archive.store.check import _columns, expected_columns
    from archive.store.schema import SCHEMA_SQL, _split_statements

    conn = sqlite3.connect(":memory:")
    for statement in _split_statements(SCHEMA_SQL.read_text("utf-8")):
        conn.execute(statement)
    assert expected_columns() == _columns(conn)
    assert "statements_fts" in expected_columns()  # virtual tables are run, not skipped
