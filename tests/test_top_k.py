"""Impact lists: pages ranked from them are exactly the reference query's, and stay so as the
archive changes (statements appended, text changed, lists read again by ``archive link``)."""

from __future__ import annotations

import itertools
import sqlite3
from collections import Counter

import pytest
from conftest import MFA_PAGES as MFA_PAGES_EN
from conftest import mfa_record
from test_search_plan import CASES, reference

from archive.search import bm25, rank_lists, top_k
from archive.search import engine as search_module
from archive.search.engine import Search, search
from archive.store import Archive, open_readonly

#: Queries the lists can take (one operator over words and phrases), with filters.
LISTED_CASES = [
    *CASES,
    ("cooperation", {}),
    ("China", {"limit": 3}),
    ("China India", {}),
    ("China OR India OR epidemic", {"limit": 10}),
    ('"Chinese side"', {}),
    ('"the United States" China', {"limit": 4}),
    ("epidemic", {"speaker": "Zhao Lijian", "limit": 5}),
    ("the", {"since": "2020-06-01", "limit": 5}),
    ("the", {"limit": 50}),
    ("China", {"since": "2020-06-17", "until": "2020-06-17"}),
    ("the OR China", {"until": "2020-06-01", "limit": 5}),
    ("epidemic", {"since": "2020-02-01", "speaker": "Geng Shuang"}),
]


def _listed(path, *, size: int, min_hits: int = 3) -> None:
    with Archive(path) as archive:
        assert rank_lists.refresh(archive, min_hits=min_hits, size=size) > 0


def _uses_lists(monkeypatch) -> list:
    """Record what each call of the impact plan returned."""
    results: list = []
    for name in ("best_hits", "hits_among"):
        original = getattr(top_k, name)

        def spy(*args, _original=original, **kwargs):
            results.append(found := _original(*args, **kwargs))
            return found

        monkeypatch.setattr(top_k, name, spy)
    return results


@pytest.mark.parametrize("size", [2, 8, 40, 10_000])
@pytest.mark.parametrize(("query", "options"), LISTED_CASES)
def test_same_rows_and_order_as_the_reference(archive_path, query, options, size):
    """Short lists (most pages unproven, so FTS5 scores them) and long ones (proven)."""
    _listed(archive_path, size=size)
    db = open_readonly(archive_path)
    request = Search(query, **options)
    assert search(db, request) == reference(db, request)


def test_long_lists_prove_pages_of_common_words(archive_path, monkeypatch):
    _listed(archive_path, size=10_000)
    proven = _uses_lists(monkeypatch)
    db = open_readonly(archive_path)
    for query in ("the", "China", '"Chinese side"', "China OR India", "China India", "Chinese"):
        request = Search(query, limit=5)
        assert search(db, request) == reference(db, request)
    assert len(proven) == 6 and all(found for found in proven)


def test_a_short_list_cannot_prove_a_page_past_its_cut(archive_path, monkeypatch):
    _listed(archive_path, size=2)
    proven = _uses_lists(monkeypatch)
    db = open_readonly(archive_path)
    request = Search("the", limit=20)
    assert search(db, request) == reference(db, request)
    assert proven == [None]


@pytest.mark.parametrize("alone", [top_k.MAX_ALONE, 3])
def test_statements_appended_after_the_lists_are_scored_too(tmp_path, monkeypatch, alone):
    """``alone``: an OR's phrases scored over all their hits, or bounded by their lists."""
    from conftest import MFA_PAGES, mfa_record

    monkeypatch.setattr(top_k, "MAX_ALONE", alone)

    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        archive.upsert_document(mfa_record(*MFA_PAGES[0]))
    _listed(path, size=10_000)
    with Archive(path) as archive:
        for name, url in MFA_PAGES[1:]:
            archive.upsert_document(mfa_record(name, url))
        assert archive.db.execute("SELECT count(*) FROM rank_lists").fetchone()[0] > 0
    proven = _uses_lists(monkeypatch)
    db = open_readonly(path)
    for query in ("China", "China OR India", '"Chinese side"', "the", "the OR China"):
        request = Search(query, limit=8)
        assert search(db, request) == reference(db, request)
    assert all(found for found in proven)


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE statements SET text = text || ' China China' WHERE id = 3",
        "UPDATE statements SET id = 0 WHERE id = 3",
    ],
)
def test_a_changed_statement_drops_the_lists_that_read_it(archive_path, change):
    """Any writer (sqlite-utils, a user's script): the triggers keep the lists honest."""
    _listed(archive_path, size=10_000)
    conn = sqlite3.connect(archive_path)
    with conn:
        conn.execute(change)
    assert conn.execute("SELECT count(*) FROM rank_lists").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM rank_list_entries").fetchone()[0] == 0
    db = open_readonly(archive_path)
    request = Search("China", limit=5)
    assert search(db, request) == reference(db, request)


def test_a_deleted_statement_is_left_out(archive_path):
    _listed(archive_path, size=10_000)
    db = open_readonly(archive_path)
    best = search(db, Search("China", limit=1))[0]["id"]
    conn = sqlite3.connect(archive_path)
    with conn:
        conn.execute("DELETE FROM statements WHERE id = ?", [best])
    request = Search("China", limit=5)
    assert search(db, request) == reference(db, request)
    assert best not in [row["id"] for row in search(db, request)]


def test_link_reads_lists_once_the_archive_outgrows_them(archive_path, monkeypatch):
    from archive.provenance.linking import link_archive

    monkeypatch.setattr(rank_lists, "COMMON_HITS", 3)
    monkeypatch.setattr(rank_lists, "STALE_AFTER", 10)
    with Archive(archive_path) as archive:
        assert link_archive(archive)["rank_lists"] > 0
        assert "rank_lists" not in link_archive(archive)  # nothing new: not read again


def test_scores_are_fts5s_to_the_last_bit(archive_path):
    """bm25 recomputed from each hit's term frequency and length equals FTS5's ``bm25()``."""
    db = open_readonly(archive_path)
    rows, avgdl = rank_lists.index_stats(db)
    for term in ("china", "the", "epidem"):
        query = rank_lists.phrase([term])
        hits = db.execute(
            "SELECT rowid, rank FROM statements_fts WHERE statements_fts MATCH ?", [query]
        ).fetchall()
        weight = bm25.idf(rows, len(hits))
        lengths = top_k._lengths(db, [i for i, _ in hits], rank_lists.WORDS)
        counts = top_k._frequencies(db, query, [i for i, _ in hits], rank_lists.WORDS)
        for statement_id, rank in hits:
            tf, dl = counts[statement_id], lengths[statement_id]
            assert bm25.score([weight], [tf], dl, avgdl) == rank


def test_factor_bound_holds_whatever_the_new_average_length():
    averages, cuts = ((50.0, 80.0), (40.0, 80.0, 120.0)), (0.5, 1.0, 1.6, 2.0)
    for built, now, cut in itertools.product(*averages, cuts):
        bound = bm25.factor_bound(cut, built, now)
        for tf, dl in itertools.product(range(1, 60), range(0, 2000, 7)):
            if bm25.factor(tf, dl, built) <= cut:
                assert bm25.factor(tf, dl, now) <= bound


def test_term_frequency_is_read_back_from_a_score():
    weight, avgdl = 2.5, 61.3
    for tf, dl in itertools.product(range(1, 40), (1, 17, 60, 300)):
        assert bm25.term_frequency(bm25.score([weight], [tf], dl, avgdl), weight, dl, avgdl) == tf


def test_queries_the_lists_cannot_bound_are_left_to_fts5(archive_path, monkeypatch):
    _listed(archive_path, size=10_000)
    proven = _uses_lists(monkeypatch)
    db = open_readonly(archive_path)
    for query in ("China NOT India", "Chin*", "NEAR(China India)", "China AND (India OR epidemic)"):
        request = Search(query, limit=5)
        assert search(db, request) == reference(db, request)
    assert all(found is None for found in proven)


def test_an_archive_of_version_6_is_searched_without_lists(archive_path):
    conn = sqlite3.connect(archive_path)
    with conn:
        conn.execute("DROP TABLE rank_lists")
    db = open_readonly(archive_path)
    request = Search("China", limit=5)
    assert search_module.search(db, request) == reference(db, request)


def test_copies_of_a_statement_are_counted_once_and_ranked_alike(tmp_path, monkeypatch):
    """The same briefing under a second URL: each text's phrases are counted once."""
    from conftest import MFA_PAGES, mfa_record

    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        for name, url in MFA_PAGES:
            archive.upsert_document(mfa_record(name, url))
        # the same text under another page's URL (under the same URL with a query string the
        # store keeps one document)
        copy = MFA_PAGES[0][1].replace(".shtml", "_copy.shtml")
        archive.upsert_document({**mfa_record(*MFA_PAGES[0]), "url": copy})
    _listed(path, size=10_000)
    counted: list[int] = []
    original = top_k._frequencies

    def spy(db, query, ids, index, **kwargs):
        found = original(db, query, ids, index, **kwargs)
        counted.append(len(ids))
        return found

    monkeypatch.setattr(top_k, "_frequencies", spy)
    db = open_readonly(path)
    for query in ('"Chinese side"', "China India"):
        request = Search(query, limit=30)
        rows = search(db, request)
        assert rows == reference(db, request)
        by_text: dict[str, set[float]] = {}
        for row in rows:
            by_text.setdefault(row["text"], set()).add(row["rank"])
        assert max(Counter(row["text"] for row in rows).values()) == 2  # both copies found
        assert all(len(ranks) == 1 for ranks in by_text.values())  # copies rank alike
    assert counted


@pytest.mark.parametrize("size", [1, 2, 8, 20, 10_000])
def test_a_stem_read_from_its_occurrences_keeps_the_best_only(archive_path, size):
    """A Porter stem no query can name ("chines") is read from every occurrence, a heap of
    the best ``size`` + 1 held at once: the same entries and cut as sorting them all."""
    import heapq

    db = open_readonly(archive_path)
    entries, cut = rank_lists._read_occurrences(db, "chines", size=size, index=rank_lists.WORDS)
    avgdl = rank_lists.index_stats(db)[1]
    every = []
    for statement_id, tf, record in db.execute(
        "SELECT o.doc, o.tf, d.sz FROM (SELECT doc, count(*) AS tf FROM "
        "temp.statements_fts_occurrences WHERE term = 'chines' GROUP BY doc) AS o "
        "JOIN statements_fts_docsize d ON d.id = o.doc"
    ):
        dl = sum(rank_lists.varints(record))
        every.append((bm25.factor(tf, dl, avgdl), statement_id, tf, dl))
    assert len(every) > 20
    expected_cut = 0.0
    if len(every) > size:
        every = heapq.nlargest(size + 1, every)
        expected_cut = every[size][0]
        every = [row for row in every if row[0] > expected_cut]
    assert cut == expected_cut
    assert entries == [(statement_id, tf, dl) for _, statement_id, tf, dl in every]


#: Two phrases joined by OR, with filters: split into both and either alone.
EITHER_CASES = [
    ("China OR India", {}),
    ("China OR India", {"limit": 3}),
    ("epidemic OR sanctions", {}),
    ("the OR China", {"limit": 50}),
    ('"Chinese side" OR India', {"limit": 5}),
    ("cooperation OR epidemic", {"speaker": "Zhao Lijian", "limit": 5}),
    ("China OR Taiwan", {"since": "2020-06-01", "limit": 5}),
    ("China OR Japan", {"until": "2020-06-01", "sort": "rank"}),
]


@pytest.mark.parametrize("first", [True, False])
@pytest.mark.parametrize("alone", [3, 10_000])
@pytest.mark.parametrize("size", [2, 40, 10_000])
@pytest.mark.parametrize(("query", "options"), EITHER_CASES)
def test_an_or_of_two_phrases_is_split_into_both_and_either_alone(
    archive_path, monkeypatch, query, options, size, alone, first
):
    """Phrases scored over all their hits (``alone`` high) or bounded by their lists (low),
    the split tried first (a rare phrase) or after the lists failed (``first`` false):
    the pages are the reference query's, and without filters the long lists prove them (a
    list gives no phrase of two words its frequency: such a phrase is left to NRA)."""
    _listed(archive_path, size=size)
    monkeypatch.setattr(top_k, "MAX_ALONE", alone)
    if not first:  # split only once the lists failed to bound the page
        monkeypatch.setattr(top_k, "MAX_BOTH", 0)
    split = []
    original = top_k._either

    def spy(*args, **kwargs):
        split.append(found := original(*args, **kwargs))
        return found

    monkeypatch.setattr(top_k, "_either", spy)
    db = open_readonly(archive_path)
    request = Search(query, **options)
    assert search(db, request) == reference(db, request)
    filtered = {"speaker", "since", "until"} & set(options)
    if first and size == 10_000 and not filtered and not (alone == 3 and '"' in query):
        assert split and split[0] is not None
    if not first and size == 2 and alone == 10_000 and not filtered:
        # lists of two bound nothing; phrases scored over all their hits bound everything
        assert split and split[-1] is not None


#: Chinese words of three characters or more, ranked from the trigrams' lists.
CHINESE_CASES = [
    ("中印双方", {}),
    ("中印双方", {"limit": 2}),
    ("有何评论", {"limit": 1}),  # three statements tie: the date and id decide
    ("新冠肺炎", {"since": "2020-06-17", "until": "2020-06-17"}),
    ("虚假信息", {"speaker": "Zhao Lijian", "limit": 2}),
    ("边境地区 OR 边防部队", {"limit": 3}),
    ("中印双方 边防部队", {}),
    ("澳大利亚", {"lang": "en"}),
]


@pytest.fixture
def chinese_path(tmp_path):
    """The real Chinese transcript of 17 June 2020 beside the English ones, and the same
    text again under a second URL (every trigram's list then has copies to count once)."""
    from test_search_multilingual import chinese_record

    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        for name, url in MFA_PAGES_EN:
            archive.upsert_document(mfa_record(name, url))
        record = chinese_record()
        archive.upsert_document(record)
        archive.upsert_document({**record, "url": record["url"].replace(".shtml", "_2.shtml")})
    return path


@pytest.mark.parametrize("size", [1, 3, 10_000])
@pytest.mark.parametrize(("query", "options"), CHINESE_CASES)
def test_chinese_pages_from_the_trigram_lists_are_the_reference(chinese_path, query, options, size):
    with Archive(chinese_path) as archive:
        assert rank_lists.refresh(archive, min_hits=2, size=size) > 0
    db = open_readonly(chinese_path)
    request = Search(query, **options)
    assert search(db, request) == reference(db, request)


def test_long_trigram_lists_prove_pages_of_common_chinese_words(chinese_path, monkeypatch):
    with Archive(chinese_path) as archive:
        rank_lists.refresh(archive, min_hits=2, size=10_000, indexes=(rank_lists.TRIGRAMS,))
    proven = _uses_lists(monkeypatch)
    db = open_readonly(chinese_path)
    for query in ("中印双方", "虚假信息", "边境地区 OR 边防部队"):
        request = Search(query, limit=3)
        assert search(db, request) == reference(db, request)
    assert len(proven) == 3 and all(found for found in proven)
    # A later page is the first ones' continuation.
    pages = [search(db, Search("中印双方", limit=2, offset=o)) for o in (0, 2)]
    assert pages[0] + pages[1] == search(db, Search("中印双方", limit=4))
    # Words of one or two characters are counted from the vocabulary, not listed.
    proven.clear()
    for query in ("中方", "美国 中方的新冠肺炎"):
        assert search(db, Search(query)) == reference(db, Search(query))
    assert all(found is None for found in proven)


def test_chinese_statements_appended_after_the_lists_are_scored_too(chinese_path):
    from test_search_multilingual import chinese_record

    with Archive(chinese_path) as archive:
        rank_lists.refresh(archive, min_hits=2, size=10_000)
        record = chinese_record()
        archive.upsert_document({**record, "url": record["url"].replace(".shtml", "_3.shtml")})
        assert rank_lists.stale_indexes(archive.db) == ()  # 22 statements: not stale yet
    db = open_readonly(chinese_path)
    for query in ("中印双方", "边境地区 OR 边防部队"):
        request = Search(query, limit=4)
        rows = search(db, request)
        assert rows == reference(db, request)
        assert any(row["url"].endswith("_3.shtml") for row in rows)


def test_trigram_scores_are_fts5s_to_the_last_bit(chinese_path):
    db = open_readonly(chinese_path)
    index = rank_lists.TRIGRAMS
    rows, avgdl = rank_lists.index_stats(db, index)
    for word in ("中印双方", "新冠肺炎疫情", "有何评论"):
        query = rank_lists.phrase([word])
        hits = db.execute(
            "SELECT rowid, rank FROM statements_han_fts WHERE statements_han_fts MATCH ?", [query]
        ).fetchall()
        assert hits
        weight = bm25.idf(rows, len(hits))
        lengths = top_k._lengths(db, [i for i, _ in hits], index)
        counts = top_k._frequencies(db, query, [i for i, _ in hits], index)
        found = top_k._frequencies(db, query, [i for i, _ in hits], index, literal=word)
        assert found == counts  # the substring's occurrences are the trigram phrase's
        for statement_id, rank in hits:
            tf, dl = counts[statement_id], lengths[statement_id]
            assert bm25.score([weight], [tf], dl, avgdl) == rank


def test_overlapping_occurrences_are_counted_as_fts5_counts_them():
    """A trigram phrase matches at every position its substring starts, overlaps too."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='trigram')")
    texts = ["哈哈哈哈哈", "中印双方中印双方，中印双", "双方双方双方双", "一二三"]
    db.executemany("INSERT INTO t (rowid, text) VALUES (?, ?)", enumerate(texts, 1))
    rows = len(texts)
    avgdl = sum(len(text) - 2 for text in texts) / rows
    for word in ("哈哈哈", "哈哈哈哈", "中印双方", "双方双方", "方双方"):
        hits = db.execute(
            "SELECT rowid, rank FROM t WHERE t MATCH ?", [rank_lists.phrase([word])]
        ).fetchall()
        assert hits
        weight = bm25.idf(rows, len(hits))
        for rowid, rank in hits:
            tf = top_k._occurrences(texts[rowid - 1], word)
            assert bm25.score([weight], [tf], len(texts[rowid - 1]) - 2, avgdl) == rank


def test_only_the_index_without_lists_is_read_again(chinese_path, monkeypatch):
    monkeypatch.setattr(rank_lists, "COMMON_HITS", 2)
    with Archive(chinese_path) as archive:
        rank_lists.refresh(archive, indexes=(rank_lists.WORDS,))
        assert rank_lists.stale_indexes(archive.db) == (rank_lists.TRIGRAMS,)
        rank_lists.refresh(archive, indexes=(rank_lists.TRIGRAMS,))
        assert rank_lists.stale_indexes(archive.db) == ()
    monkeypatch.setattr(rank_lists, "COMMON_HITS", 1_000)  # no trigram in 1,000 statements
    with Archive(chinese_path) as archive:
        archive.db.execute("DELETE FROM han_rank_lists")
        assert rank_lists.stale_indexes(archive.db) == ()
