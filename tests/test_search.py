"""Search: full text and speaker names, filters, and clear errors for bad queries."""

from __future__ import annotations

import pytest

from archive.exceptions import InvalidArgument, InvalidQuery
from archive.search.engine import Search, fts_query, search
from archive.store import open_readonly


def run(archive_path, query: str, **options):
    return search(open_readonly(archive_path), Search(query, **options))


def test_text_match_with_speaker_date_and_url(archive_path):
    rows = run(archive_path, "LAC", speaker="Zhao Lijian")
    assert rows
    top = rows[0]
    assert top["speaker"] == "Zhao Lijian"
    assert top["date"] == "2020-06-17"
    assert top["url"].endswith("t1789509.shtml")
    assert "\x02LAC\x03" in top["snippet"]


def test_query_matches_speaker_names_first(archive_path):
    rows = run(archive_path, "Hua Chunying", limit=5)
    assert rows and all(r["speaker"] == "Hua Chunying" for r in rows)


def test_outlets_do_not_take_over_word_searches(archive_path):
    rows = run(archive_path, "China", limit=10)
    assert rows
    assert rows[0]["speaker"] != "China Daily" or "china" in rows[0]["text"].lower()


def test_filters(archive_path):
    rows = run(archive_path, "epidemic", since="2020-02-01", until="2020-02-28", limit=50)
    assert rows and all(r["date"] == "2020-02-10" for r in rows)
    assert run(archive_path, "epidemic", source="kremlin") == []
    by_date = run(archive_path, "China", sort="date", limit=50)
    dates = [r["date"] for r in by_date]
    assert dates == sorted(dates, reverse=True)


def test_questions_keep_the_outlet(archive_path):
    rows = run(archive_path, '"face-off"', limit=5)
    assert any(r["speaker"] == "Reuters" and r["kind"] == "question" for r in rows)


@pytest.mark.parametrize("query", ['"unbalanced', "Lavrov -", "AND", "(China"])
def test_bad_fts_syntax_is_invalid_query(archive_path, query):
    with pytest.raises(InvalidQuery):
        run(archive_path, query)


def test_words_with_inner_punctuation_are_phrases(archive_path):
    assert fts_query("China-India border") == '"China-India" border'
    assert fts_query("U.S. sanctions") == '"U.S" sanctions'
    assert run(archive_path, "China-India")


@pytest.mark.parametrize(
    "options", [{"since": "yesterday"}, {"until": "2020-13-01"}, {"sort": "best"}, {"limit": 0}]
)
def test_bad_options(options):
    with pytest.raises(InvalidArgument):
        Search("China", **options)
