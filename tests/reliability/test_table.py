"""RELIABILITY.md is what the attacking tests last recorded, and every row still has its test."""

from __future__ import annotations

import re

from reliability import HERE, REPORT, load, render

TESTS = HERE.parent


def test_report_matches_recorded_results():
    """A hand edit of the table, or results committed without their table, is caught here."""
    assert REPORT.read_text(encoding="utf-8") == render(load()), (
        "RELIABILITY.md is stale: run the reliability tests (see its header) and commit both files"
    )


def test_no_result_is_recorded_as_failed():
    failed = {key: row["result"] for key, row in load().items() if "FAILED" in row["result"]}
    assert not failed, failed


def test_every_row_has_a_test_that_produces_it():
    """A row whose test was removed or renamed would publish a claim nobody checks any more."""
    sources = {path: path.read_text(encoding="utf-8") for path in TESTS.glob("test_*.py")}
    for key, row in load().items():
        path = TESTS / row["test"].split("::")[0]
        assert path in sources, f"{key}: {path.name} is gone"
        function = row["test"].split("::")[-1]
        assert re.search(rf"def {re.escape(function)}\b", sources[path]), f"{key}: {function}?"
        templated = 'f"' + key.rsplit("-", 1)[0] + "-{"  # trial(f"50mb-page-{site}")
        assert f'"{key}"' in sources[path] or templated in sources[path], (
            f"{key}: no trial of that name in {path.name}"
        )
