"""The fast search SQL returns exactly what the plain reference query returns."""

from __future__ import annotations

import pytest

from archive.exceptions import InvalidQuery
from archive.search import engine as search_module
from archive.search.engine import HITS, SPEAKER, WALK, Search, search
from archive.store import open_readonly

CASES = [
    ("China", {}),
    ("China", {"sort": "date"}),
    ("LAC", {"speaker": "Zhao Lijian"}),
    ("Hua Chunying", {"limit": 5}),
    ("Hua Chunying", {"limit": 500}),  # more than she said: text hits follow
    ("Zhao Lijian LAC", {"limit": 3}),
    ("Zhao Lijian", {"sort": "date", "limit": 30}),
    ("epidemic", {"since": "2020-02-01", "until": "2020-02-28", "limit": 50}),
    ("epidemic", {"source": "kremlin"}),
    ("epidemic OR cooperation", {"source": "mfa", "limit": 40}),
    ('"face-off"', {"limit": 5}),
    ("the", {"limit": 7}),
    ("the", {"sort": "date", "limit": 7}),
    ("the", {"speaker": "Hua", "sort": "date", "limit": 3}),
    ("China", {"since": "2020-01-01", "sort": "date"}),
    ("China", {"source": "mfa", "sort": "date"}),
    ("China", {"source": "MFA", "speaker": "Zhao", "sort": "date", "limit": 5}),
    ("Hua Chunying", {"source": "mfa", "limit": 5}),
    ("nothingmatchesthis", {}),
    ("epidemic", {"speaker": "Zhao Lijian", "sort": "date", "limit": 3}),
    ("the", {"speaker": "Hua Chunying", "sort": "date", "limit": 40}),  # past one day
    ("China", {"speaker": "Zhao", "since": "2020-06-01", "sort": "date"}),
    ("Zhao Lijian China", {"speaker": "Zhao", "sort": "date", "limit": 4}),
    ("China NOT India", {"sort": "date", "limit": 5}),  # ranked by FTS5 (not a flat query)
    ('"Chinese side" OR India', {"sort": "date", "limit": 12}),
]


def reference(db, request):
    return search_module.reference(db, request)


@pytest.mark.parametrize(("query", "options"), CASES)
@pytest.mark.parametrize("window", [1, 3, 1000])
def test_same_rows_and_order_as_the_reference(archive_path, monkeypatch, query, options, window):
    """Small windows force the second, unlimited run; large ones suffice at once."""
    monkeypatch.setattr(search_module, "FIRST_WINDOW", window)
    db = open_readonly(archive_path)
    request = Search(query, **options)
    assert search(db, request) == reference(db, request)


@pytest.mark.parametrize(("query", "options"), [c for c in CASES if c[1].get("sort") == "date"])
@pytest.mark.parametrize("plan", [WALK, HITS, SPEAKER])
def test_both_date_plans_agree(archive_path, monkeypatch, query, options, plan):
    monkeypatch.setattr(search_module, "_plan", lambda *a: plan)
    db = open_readonly(archive_path)
    request = Search(query, **options)
    assert search(db, request) == reference(db, request)


def test_ties_on_the_last_day_are_ordered_by_rank(archive_path):
    db = open_readonly(archive_path)
    request = Search("China", sort="date", limit=3)
    rows = search(db, request)
    assert rows == reference(db, request)
    assert len({r["date"] for r in rows}) == 1  # one briefing: the order within it is by rank


def test_unknown_speaker_finds_nothing_without_ranking(archive_path):
    db = open_readonly(archive_path)
    request = Search("China", speaker="Nobody Atall")
    assert search(db, request) == reference(db, request) == []


def test_word_characters_are_letters_digits_and_the_non_ascii_bmp():
    import re

    from archive.search import query_language as query

    plain = re.compile(r"[\w\u0080-\uffff]")
    fast = re.compile(query._CHAR)
    for code in (*range(0x300), *range(0xFF00, 0x10100), 0x1F600, 0x10FFFF):
        char = chr(code)
        assert bool(plain.fullmatch(char)) == bool(fast.fullmatch(char)), hex(code)


@pytest.mark.parametrize(
    "options", [{}, {"speaker": "Nobody Atall"}, {"sort": "date"}, {"limit": 1}]
)
def test_a_malformed_query_is_refused_whatever_the_plan(archive_path, options):
    """ "Hua Chunying (" names a person who fills the page: no text cursor would parse it."""
    db = open_readonly(archive_path)
    with pytest.raises(InvalidQuery):
        search(db, Search("Hua Chunying (", **options))


@pytest.mark.parametrize(
    "options",
    [{}, {"limit": 3}, {"since": "2020-06-17"}, {"until": "2020-02-10"}, {"limit": 500}],
)
def test_a_name_of_several_people_walks_each_ones_statements(archive_path, monkeypatch, options):
    """Constructed: the 17 June transcript filed again under another URL with its spokesman
    misspelt "Zhao Lijan", so that "Zhao" names two people. Each one's statements are read
    newest first, up to the limit, through the speaker index; the page is the reference's."""
    from conftest import MFA_PAGES, mfa_record

    from archive.store import Archive

    misspelt = mfa_record(*MFA_PAGES[0])
    misspelt["url"] += "?misspelt"
    misspelt["text"] = misspelt["text"].replace("Zhao Lijian", "Zhao Lijan") + " (corrected)"
    for statement in misspelt["statements"]:
        if (statement.get("speaker") or {}).get("name") == "Zhao Lijian":
            statement["speaker"] = {**statement["speaker"], "name": "Zhao Lijan"}
    with Archive(archive_path) as archive:
        archive.upsert_document(misspelt)
    db = open_readonly(archive_path)
    walked = []
    original = search_module.search_sql

    def spy(*args, **kwargs):
        walked.append(len(kwargs.get("named_ids", ())))
        return original(*args, **kwargs)

    monkeypatch.setattr(search_module, "search_sql", spy)
    request = Search("Zhao", **options)
    assert search(db, request) == reference(db, request)
    assert walked[0] == 2
