"""The ``archive`` command through typer's runner: output, formats, exit codes."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from archive.cli import app
from archive.store import Archive, open_readonly

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


# -- a research desk: totals, pages, sorts, filters, citations ---------------------------------


def test_a_page_of_results_says_how_many_and_how_to_see_the_rest(archive_path):
    result = invoke("search", "India", "--limit", "2", "--db", str(archive_path))
    assert result.exit_code == 0
    assert "1–2 of 7 statements, best match first; more: --offset 2" in result.output
    last = invoke("search", "India", "--limit", "5", "--offset", "5", "--db", str(archive_path))
    assert "6–7 of 7 statements" in last.output and "more:" not in last.output


def test_offset_kind_and_both_date_orders(archive_path):
    def ids(*args):
        out = invoke("search", "China", "-f", "json", "--db", str(archive_path), *args).output
        return json.loads(out)

    everything = ids("--limit", "0")
    assert [r["id"] for r in ids("--limit", "5", "--offset", "5")] == [
        r["id"] for r in everything[5:10]
    ]
    assert {r["kind"] for r in ids("--kind", "question", "--limit", "0")} == {"question"}
    oldest = [r["date"] for r in ids("--sort", "oldest", "--limit", "0")]
    newest = [r["date"] for r in ids("--sort", "newest", "--limit", "0")]
    assert oldest == sorted(oldest) and newest == sorted(newest, reverse=True)
    assert ids("--sort", "date", "--limit", "0") == ids("--sort", "newest", "--limit", "0")
    in_february = ids("--since", "2020-02", "--until", "2020-02", "--limit", "0")
    assert in_february and {r["date"][:7] for r in in_february} == {"2020-02"}


@pytest.mark.parametrize(
    "command",
    [["search", "China"], ["pairs"], ["speakers"]],
)
def test_limit_0_means_all_in_every_command_and_a_negative_one_is_refused(archive_path, command):
    everything = invoke(*command, "--limit", "0", "-f", "json", "--db", str(archive_path))
    assert everything.exit_code == 0, everything.output
    negative = invoke(*command, "--limit", "-1", "--db", str(archive_path))
    assert negative.exit_code == 2 and "0 (all)" in negative.output


def test_json_says_language_document_and_when_the_page_was_archived(archive_path):
    row = json.loads(invoke("search", "LAC", "-f", "json", "--db", str(archive_path)).output)[0]
    assert row["language"] == "en" and isinstance(row["document_id"], int)
    assert row["archived"].startswith("2026-01-01") and row["retrieved"].startswith("2026-01-01")
    header = invoke("search", "LAC", "-f", "csv", "--db", str(archive_path)).output.splitlines()[0]
    assert header.startswith("id,date,speaker,kind,role,text,title,url,source,edited,removed,")
    assert header.endswith(",document_id,language,archived,retrieved")


def test_nl_writes_one_object_a_line(archive_path):
    lines = invoke("search", "India", "--nl", "--db", str(archive_path)).output.splitlines()
    assert len(lines) == 7 and all(json.loads(line)["id"] for line in lines)
    speakers = invoke("speakers", "--nl", "--limit", "2", "--db", str(archive_path)).output
    assert [json.loads(line)["name"] for line in speakers.splitlines()][0] == "Geng Shuang"


def test_nl_with_another_format_than_json_says_so(archive_path):
    for command in (["search", "India"], ["timeline", "India"]):
        result = invoke(*command, "--nl", "-f", "csv", "--db", str(archive_path))
        assert result.exit_code == 2 and "--nl writes JSON lines" in result.output
    assert invoke("search", "India", "--nl", "-f", "json", "--db", str(archive_path)).exit_code == 0


def test_every_statement_kind_can_be_asked_for(archive_path):
    # a newsroom's report (a Kremlin news page) is a kind too; this archive holds none
    result = invoke("search", "China", "--kind", "report", "-f", "json", "--db", str(archive_path))
    assert result.exit_code == 0 and json.loads(result.output) == []
    wrong = invoke("search", "China", "--kind", "speech", "--db", str(archive_path))
    assert wrong.exit_code == 2 and "report" in wrong.output


def test_cite_in_the_usual_styles_with_the_date_retrieved_and_the_url(archive_path):
    found = json.loads(invoke("search", "LAC", "-f", "json", "--db", str(archive_path)).output)
    statement = str(found[0]["id"])
    result = invoke("cite", statement, "--style", "all", "--db", str(archive_path))
    assert result.exit_code == 0, result.output
    lines = dict(line.split(": ", 1) for line in result.output.splitlines())
    assert set(lines) == {"plain", "apa", "chicago", "mla"}
    url = found[0]["url"]
    assert all(url in line for line in lines.values())
    assert lines["apa"].endswith("Retrieved January 1, 2026, from " + url)
    assert (
        "accessed January 1, 2026" in lines["chicago"] and "Accessed 1 Jan. 2026." in lines["mla"]
    )
    assert "Ministry of Foreign Affairs of the People's Republic of China" in lines["apa"]
    data = json.loads(invoke("cite", statement, "-f", "json", "--db", str(archive_path)).output)
    assert data["retrieved"].startswith("2026-01-01") and data["citations"]["plain"]


def test_speakers_can_be_found_by_name_and_are_listed_50_at_a_time(archive_path):
    found = json.loads(
        invoke("speakers", "--name", "zhao", "-f", "json", "--db", str(archive_path)).output
    )
    assert [row["name"] for row in found] == ["Zhao Lijian"]
    result = invoke("speakers", "--limit", "2", "--db", str(archive_path))
    assert "The 2 most quoted of" in result.output and "--limit 0 for all" in result.output
    every = json.loads(invoke("speakers", "-f", "json", "--db", str(archive_path)).output)
    total = open_readonly(archive_path).execute("SELECT count(*) FROM speakers").fetchone()[0]
    assert len(every) == total  # JSON lists every speaker, as it did before --limit


def test_timeline_takes_a_period_a_source_a_language_and_writes_csv(archive_path):
    result = invoke(
        "timeline",
        "India",
        "--since",
        "2020-02",
        "--until",
        "2020-06",
        "--source",
        "mfa",
        "--lang",
        "en",
        "-f",
        "csv",
        "--db",
        str(archive_path),
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows[0] == {"period": "2020-02", "statements": "2"} and rows[-1]["period"] == "2020-06"
    chinese = invoke("timeline", "India", "--lang", "zh", "-f", "json", "--db", str(archive_path))
    assert json.loads(chinese.output) == []


def test_show_and_search_name_an_unnamed_speaker_alike(archive_path):
    found = json.loads(
        invoke(
            "search", "India", "--kind", "question", "-f", "json", "--db", str(archive_path)
        ).output
    )
    unnamed = next(r for r in found if r["speaker"] is None)
    shown = invoke("show", str(unnamed["id"]), "--db", str(archive_path)).output
    assert "(a journalist) (question)" in shown and "(unlabelled)" not in shown


def test_urls_stay_whole_in_an_80_column_terminal(archive_path):
    result = runner.invoke(
        app, ["search", "India", "--db", str(archive_path)], env={"COLUMNS": "80"}
    )
    lines = result.output.splitlines()
    assert max(len(line) for line in lines if "│" in line) <= 80
    urls = {
        r["url"]
        for r in json.loads(
            invoke("search", "India", "-f", "json", "--db", str(archive_path)).output
        )
    }
    for url in urls:
        assert any(url in line for line in lines), url
    shown = runner.invoke(app, ["show", "1", "--db", str(archive_path)], env={"COLUMNS": "80"})
    assert any(
        "https://www.fmprc.gov.cn/" in line and line.endswith(".shtml")
        for line in shown.output.splitlines()
    )


def test_options_show_their_choices(archive_path):
    text = runner.invoke(app, ["search", "--help"], env={"COLUMNS": "200"}).output
    for choices in (
        "[table|json|csv]",
        "[rank|date|newest|oldest]",
        "[en|ru|zh]",
        "[remark|answer|question|quote|report]",
    ):
        assert choices in text, choices
    assert "[text|json]" in invoke("show", "--help").output
