"""``archive timeline``: statements per month or week, on three real MFA transcripts."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner

from archive.cli import app
from archive.exceptions import InvalidArgument, InvalidQuery
from archive.search.timeline import Timeline, count_statements
from archive.store import open_readonly


def test_months_between_first_and_last_are_all_there(archive_path):
    rows = count_statements(open_readonly(archive_path), Timeline())
    assert [r["period"] for r in rows][:2] == ["2019-07", "2019-08"]
    assert rows[-1]["period"] == "2020-06" and len(rows) == 12
    counts = {r["period"]: r["statements"] for r in rows}
    db = open_readonly(archive_path)
    for period in ("2019-07", "2020-02", "2020-06"):
        expected = db.execute(
            "SELECT count(*) FROM statements WHERE substr(date, 1, 7) = ?", [period]
        ).fetchone()[0]
        assert counts[period] == expected > 0
    assert counts["2019-12"] == 0  # a silence shows as a gap


def test_weeks_are_labelled_by_their_monday(archive_path):
    rows = count_statements(open_readonly(archive_path), Timeline(by="week"))
    assert all(date.fromisoformat(r["period"]).weekday() == 0 for r in rows)
    assert rows[0]["period"] == "2019-07-22"  # 2019-07-24 was a Wednesday
    # 94: the turns and quotes of the three transcripts ("The US said in a statement that it
    # “will not allow Maduro …”" has its speaker since the attribution round, and is stored;
    # so is "Der Spiegel reported that … Lindner was “rudely treated”" since the night round)
    assert sum(r["statements"] for r in rows) == 94


def test_query_and_speaker_narrow_the_count(archive_path):
    db = open_readonly(archive_path)
    corona = count_statements(db, Timeline("coronavirus"))
    assert [(r["period"], r["statements"]) for r in corona] == [
        ("2020-02", 6),
        ("2020-03", 0),
        ("2020-04", 0),
        ("2020-05", 0),
        ("2020-06", 2),
    ]
    by_geng = count_statements(db, Timeline(speaker="geng"))  # one word of the name is enough
    assert by_geng == [{"period": "2020-02", "statements": 22}]
    assert count_statements(db, Timeline("India", speaker="Zhao Lijian")) == [
        {"period": "2020-06", "statements": 4}  # "India" and "Indian": stemmed alike
    ]
    assert count_statements(db, Timeline("nowhere-to-be-found")) == []


def test_bad_requests_raise_archive_errors(archive_path):
    with pytest.raises(InvalidArgument, match="month, week"):
        Timeline(by="year")
    with pytest.raises(InvalidQuery):
        count_statements(open_readonly(archive_path), Timeline('"unbalanced'))
    with pytest.raises(InvalidQuery):
        count_statements(open_readonly(archive_path), Timeline("AND"))


def test_cli_draws_bars(archive_path):
    result = CliRunner().invoke(app, ["timeline", "coronavirus", "--db", str(archive_path)])
    assert result.exit_code == 0, result.output
    assert '"coronavirus" per month' in result.output
    line = next(line for line in result.output.splitlines() if line.startswith("2020-02"))
    assert " 6 " in line and "█" * 50 in line  # the busiest month has the full bar


def test_cli_json(archive_path):
    result = CliRunner().invoke(
        app, ["timeline", "--speaker", "Zhao Lijian", "-f", "json", "--db", str(archive_path)]
    )
    assert result.exit_code == 0
    assert json.loads(result.output) == [{"period": "2020-06", "statements": 10}]


@pytest.mark.parametrize(
    "args, message",
    [
        (["timeline", "x", "--by", "year"], "use one of: month, week"),
        (["timeline", '"x'], "unbalanced double quote"),
        (["timeline", "x", "-f", "xml"], "unknown format"),
    ],
)
def test_cli_errors_are_one_line_and_exit_2(archive_path, args, message):
    result = CliRunner().invoke(app, [*args, "--db", str(archive_path)])
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_cli_says_when_nothing_matches(archive_path):
    result = CliRunner().invoke(app, ["timeline", "zzzzqq", "--db", str(archive_path)])
    assert result.exit_code == 0 and "No statements found." in result.output
