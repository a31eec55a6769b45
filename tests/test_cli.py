"""The ``archive`` command through typer's runner: output, formats, exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from archive.cli import app
from archive.store import Archive

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


def test_search_table_shows_date_speaker_snippet_source_and_url(archive_path):
    result = invoke("search", "LAC", "--db", str(archive_path), "--limit", "2")
    assert result.exit_code == 0, result.output
    assert "2020-06-17" in result.output
    assert "Zhao Lijian" in result.output
    assert "LAC" in result.output
    assert "mfa ·" in result.output
    assert "t1789509.shtml" in result.output


def test_search_json_fields(archive_path):
    result = invoke("search", "Bloomberg", "--db", str(archive_path), "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows
    for row in rows:
        assert {"id", "date", "speaker", "kind", "text", "title", "url", "source"} <= set(row)
        assert len(row["date"]) == 10


def test_search_csv(archive_path):
    result = invoke("search", "epidemic", "--db", str(archive_path), "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and rows[0]["source"] == "mfa"


def test_search_via_environment_variable(archive_path, monkeypatch):
    monkeypatch.setenv("ARCHIVE_DB", str(archive_path))
    result = invoke("search", "LAC", "--format", "json")
    assert result.exit_code == 0 and json.loads(result.output)


def test_search_sql_prints_the_query(archive_path):
    result = invoke("search", "LAC", "--sql", "--db", str(archive_path))
    assert result.exit_code == 0
    assert "statements_fts MATCH :query" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["search", '"unbalanced'], "unbalanced double quote"),
        (["search", "Lavrov -"], "cannot search for 'Lavrov -'"),
        (["search", "China", "--since", "last week"], "--since 'last week' is not a date"),
        (["search", "China", "--format", "xml"], "unknown format 'xml'"),
        (["search", "China", "--sort", "best"], "unknown sort 'best'"),
        (["show", "999999"], "no statement with id 999999"),
        (["stats", "--format", "yaml"], "unknown format 'yaml'"),
    ],
)
def test_misuse_is_one_line_and_exit_2(archive_path, args, message):
    result = invoke(*args, "--db", str(archive_path))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.output
    assert "Traceback" not in result.output


def test_missing_or_foreign_database(tmp_path):
    result = invoke("search", "China", "--db", str(tmp_path / "nothing.db"))
    assert result.exit_code == 2 and "no archive at" in result.output
    assert not (tmp_path / "nothing.db").exists()
    foreign = tmp_path / "foreign.db"
    foreign.write_bytes(b"GIF89a" + bytes(2000))
    result = invoke("stats", "--db", str(foreign))
    assert result.exit_code == 2 and "not a statement archive" in result.output


def test_show_statement_json_and_text(archive_path):
    found = json.loads(
        invoke(
            "search", "LAC", "--speaker", "Zhao", "--format", "json", "--db", str(archive_path)
        ).output
    )
    statement_id = str(found[0]["id"])
    result = invoke("show", statement_id, "--format", "json", "--db", str(archive_path))
    assert result.exit_code == 0
    shown = json.loads(result.output)
    assert shown["id"] == found[0]["id"]
    assert shown["document"]["url"].endswith("t1789509.shtml")
    assert any(turn["kind"] == "question" for turn in shown["context"])
    text = invoke("show", statement_id, "--db", str(archive_path))
    assert text.exit_code == 0 and "Zhao Lijian" in text.output


def test_stats_json(archive_path):
    result = invoke("stats", "--format", "json", "--db", str(archive_path))
    assert result.exit_code == 0
    stats = json.loads(result.output)
    assert stats["documents"] == 3
    assert stats["by_source"]["mfa"]["documents"] == 3
    assert stats["statements"] == stats["by_source"]["mfa"]["statements"] > 50
    assert stats["speakers"] > 5


def test_an_empty_file_is_an_archive_not_yet_made(tmp_path):
    """A search in the first instant of a first crawl (file made, schema not yet committed)."""
    empty = tmp_path / "archive.db"
    empty.touch()
    for command in (["search", "China"], ["stats"]):
        result = invoke(*command, "--db", str(empty))
        assert result.exit_code == 2, result.output
        assert "no archive in" in result.output and "try again in a moment" in result.output
        assert len(result.output.strip().splitlines()) == 1
    assert empty.stat().st_size == 0  # readers never write the schema themselves
    with Archive(empty) as archive:  # and a writer makes the archive in it
        assert archive.db.execute("PRAGMA user_version").fetchone()[0] > 0
