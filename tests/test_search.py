"""Search: full text and speaker names, filters, and clear errors for bad queries."""

from __future__ import annotations

import pytest

from archive.exceptions import InvalidArgument, InvalidQuery
from archive.search.engine import Search, count_matches, fts_query, matching_sql, search
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
    "options",
    [
        {"since": "yesterday"},
        {"until": "2020-13-01"},
        {"sort": "best"},
        {"limit": -1},
        {"offset": -1},
        {"kind": "speech"},
    ],
)
def test_bad_options(options):
    with pytest.raises(InvalidArgument):
        Search("China", **options)


# -- pages, counts, sorts and filters of a research desk ----------------------------------------


def test_offset_pages_follow_each_other_and_limit_0_is_everything(archive_path):
    db = open_readonly(archive_path)
    everything = search(db, Search("China", limit=0))
    assert len(everything) == count_matches(db, Search("China")) > 25
    pages = [search(db, Search("China", limit=10, offset=start)) for start in (0, 10, 20)]
    assert [r["id"] for page in pages for r in page] == [r["id"] for r in everything[:30]]


def test_matching_sql_finds_what_search_finds(archive_path):
    db = open_readonly(archive_path)
    for query, options in [
        ("China", {}),
        ("Hua Chunying", {}),
        ("epidemic", {"since": "2020-02", "until": "2020-02"}),
        ("India", {"kind": "answer"}),
        ("nothingmatchesthis", {}),
    ]:
        request = Search(query, **options)
        sql, params = matching_sql(request)
        found = {row[0] for row in db.execute(sql, params)}
        assert found == {r["id"] for r in search(db, Search(query, limit=0, **options))}, query


def test_oldest_first_and_newest_first_are_mirror_orders(archive_path):
    db = open_readonly(archive_path)
    oldest = search(db, Search("China", sort="oldest", limit=0))
    newest = search(db, Search("China", sort="newest", limit=0))
    assert [r["date"] for r in oldest] == sorted(r["date"] for r in newest)
    assert oldest[0]["date"] == "2019-07-24" and newest[0]["date"] == "2020-06-17"
    assert {r["id"] for r in oldest} == {r["id"] for r in newest}


def test_kind_keeps_one_kind_of_turn(archive_path):
    rows = run(archive_path, "India", kind="question", limit=0)
    assert rows and {r["kind"] for r in rows} == {"question"}


@pytest.mark.parametrize(
    ("since", "until", "expected"),
    [
        ("2020-02", "2020-02", {"2020-02-10"}),
        ("2020", None, {"2020-02-10", "2020-06-17"}),
        (None, "2019", {"2019-07-24"}),
    ],
)
def test_a_month_or_a_year_is_a_period(archive_path, since, until, expected):
    rows = run(archive_path, "China", since=since, until=until, limit=0)
    assert {r["date"] for r in rows} == expected


def test_a_month_ends_on_its_last_day():
    assert Search("x", since="2019-05", until="2019-05").until == "2019-05-31"
    assert Search("x", until="2020-02").until == "2020-02-29"
    with pytest.raises(InvalidArgument, match="YYYY-MM"):
        Search("x", since="2019-13")


def test_results_say_their_language_document_and_when_archived(archive_path):
    top = run(archive_path, "LAC")[0]
    assert top["language"] == "en" and isinstance(top["document_id"], int)
    assert top["archived"].startswith("2026-01-01") and top["retrieved"].startswith("2026-01-01")
