"""Search in Chinese and Russian, ``--lang``, and the trigram index staying in sync.

Chinese: the real MFA transcript of 17 June 2020 (``tests/pages/mfa``), through the real
extractor, beside three real English transcripts; what each search finds is compared with a
plain substring test over every stored statement. Russian: no real Russian page is stored
yet, so the Russian document here is constructed — sentences written for these tests, with
the inflected forms (Лавров, Лаврова, Лавровым; санкции, санкций; провёл, провел) the
stemmer must bring together.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import MFA_PAGES, mfa_record
from sqlite_utils import Database
from typer.testing import CliRunner

from archive.cli import app
from archive.exceptions import InvalidArgument, InvalidQuery
from archive.search import engine as search_module
from archive.search.engine import Search, fts_query, records, reference_sql, search
from archive.search.query_language import russian_term
from archive.store import Archive, open_readonly
from archive.store.schema import (
    APPLICATION_ID,
    HAN_END,
    HAN_FTS_TABLE,
    MIGRATIONS,
    SCHEMA_VERSION,
)

CHINESE_PAGE = "zh_t1789468_press_conference_2020-06-17.html"
CHINESE_URL = "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/t1789468.shtml"

#: Constructed (not crawled): sentences written for these tests, in the Kremlin's register.
RUSSIAN = [
    "Сергей Лавров заявил, что новые санкции не изменят позицию России.",
    "Министр провёл переговоры с Лавровым в Москве.",
    "Позиция Лаврова по вопросу санкций остаётся неизменной.",
    "Президент провел совещание по экономическим вопросам.",
    "Вертолёт доставил гуманитарную помощь.",
]


def russian_record() -> dict:
    """A constructed Russian document: one statement per sentence of :data:`RUSSIAN`."""
    speaker = {"name": "Sergey Lavrov", "kind": "person", "country": "Russia"}
    return {
        "url": "https://example.org/ru/constructed-1",
        "source": "kremlin",
        "title": "Заявление для прессы (constructed)",
        "published": "2020-06-18",
        "language": "ru",
        "kind": "transcript",
        "text": " ".join(RUSSIAN),
        "statements": [
            {"kind": "remark", "text": text, "speaker": speaker if i == 0 else None}
            for i, text in enumerate(RUSSIAN)
        ],
    }


def chinese_record() -> dict:
    return mfa_record(CHINESE_PAGE, CHINESE_URL)


def mixed_record() -> dict:
    """Constructed: a Chinese document whose statements hold English words, for English
    queries restricted to Chinese documents."""
    texts = [
        "世界卫生组织（WHO）发布了关于China的新报告。",
        "China and the WHO: 中方支持世卫组织。",
    ]
    return {
        "url": "https://example.org/zh/constructed-who",
        "source": "mfa",
        "title": "世卫组织报告 (constructed)",
        "published": "2020-06-19",
        "language": "zh",
        "kind": "statement",
        "text": "".join(texts),
        "statements": [{"kind": "remark", "text": text} for text in texts],
    }


@pytest.fixture(scope="module")
def multilingual(tmp_path_factory) -> Path:
    """An archive of three English transcripts, the Chinese one and the Russian one."""
    path = tmp_path_factory.mktemp("multilingual") / "archive.db"
    with Archive(path) as archive:
        archive.upsert_documents(
            [mfa_record(name, url) for name, url in MFA_PAGES]
            + [chinese_record(), russian_record(), mixed_record()]
        )
    return path


def run(path: Path, query: str, **options) -> list[dict]:
    return search(open_readonly(path), Search(query, limit=500, **options))


def containing(path: Path, *terms: str) -> set[int]:
    """Ids of the statements whose text holds every term: what a Chinese search must find."""
    conn = sqlite3.connect(path)
    return {
        statement_id
        for statement_id, text in conn.execute("SELECT id, text FROM statements")
        if all(term in text for term in terms)
    }


def index_matches_content(conn: sqlite3.Connection, table: str = HAN_FTS_TABLE) -> bool:
    """FTS5's integrity-check with rank 1: the index against its content, row by row."""
    try:
        conn.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.rollback()
    return True


# -- Chinese -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "term",
    [
        "美国",  # two characters: through the trigrams that start with them
        "边境",
        "中方",
        "中",  # one character
        "加勒万河谷",  # five: a phrase of the trigram index
        "新冠肺炎",
        "外交和军事渠道",
    ],
)
def test_a_chinese_word_finds_exactly_the_statements_holding_it(multilingual, term):
    expected = containing(multilingual, term)
    assert expected, f"the transcript holds {term}"
    rows = run(multilingual, term)
    assert {r["id"] for r in rows} == expected
    assert all(f"\x02{term}\x03" in r["snippet"] for r in rows)
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)


def test_the_answers_on_galwan_valley_are_found(multilingual):
    rows = run(multilingual, "加勒万河谷")
    by_kind = {(r["speaker"], r["kind"]) for r in rows}
    # The Western Theatre Command's statement, read out by Zhao Lijian, and PTI's question.
    assert ("赵立坚", "answer") in by_kind or ("Zhao Lijian", "answer") in by_kind
    assert any(r["kind"] == "question" for r in rows)
    assert all(r["url"] == CHINESE_URL and r["date"] == "2020-06-17" for r in rows)


def test_an_outlet_named_with_the_word_is_not_a_text_hit(multilingual):
    # "美国全国公共广播电台" (NPR) asked a question: its name is no statement text.
    rows = run(multilingual, "美国")
    assert rows and all("美国" in r["text"] for r in rows)


def test_chinese_operators_and_mixed_queries(multilingual):
    both = containing(multilingual, "边境", "加勒万河谷")
    assert {r["id"] for r in run(multilingual, "边境 加勒万河谷")} == both
    assert {r["id"] for r in run(multilingual, "边境 AND 加勒万河谷")} == both
    without = containing(multilingual, "边境") - containing(multilingual, "加勒万河谷")
    assert without
    assert {r["id"] for r in run(multilingual, "边境 NOT 加勒万河谷")} == without
    # (Not run(…, "Pompeo"): that also finds what Pompeo said, by his name.)
    pompeo = containing(multilingual, "Pompeo")
    either = {r["id"] for r in run(multilingual, "美国 OR Pompeo")}
    assert pompeo and either == pompeo | containing(multilingual, "美国")
    # A Chinese word AND an English one: the same statement must hold both, and none does.
    assert run(multilingual, "美国 Pompeo") == []
    # Chinese and Russian in one query.
    ru_or_zh = {r["id"] for r in run(multilingual, "Лавров OR 加勒万河谷")}
    assert ru_or_zh == containing(multilingual, "加勒万河谷") | containing(multilingual, "Лавров")


def test_a_term_at_the_very_end_of_a_statement_is_found(tmp_path):
    """Constructed statements: 2 and 1 characters as the last of a text have no trigram of
    their own; the index's end mark gives them one."""
    path = tmp_path / "a.db"
    record = {
        **chinese_record(),
        "url": "https://example.org/zh/constructed",
        "statements": [
            {"kind": "remark", "text": "我们坚决反对美国"},
            {"kind": "remark", "text": "中"},
        ],
    }
    with Archive(path) as archive:
        archive.upsert_document(record)
    assert [r["text"] for r in run(path, "美国")] == ["我们坚决反对美国"]
    assert {r["text"] for r in run(path, "中")} == {"中"}
    assert [r["text"] for r in run(path, "反对美国")] == ["我们坚决反对美国"]
    assert HAN_END not in run(path, "美国")[0]["snippet"]


def test_chinese_search_is_the_reference_query(multilingual):
    db = open_readonly(multilingual)
    for query, options in [
        ("美国", {}),
        ("边境", {"sort": "date", "limit": 2}),
        ("中方 OR LAC", {"limit": 7}),
        ("中方", {"speaker": "赵立坚", "limit": 3}),
        ("边境", {"lang": "en"}),
    ]:
        request = Search(query, **options)
        sql, params = reference_sql(request)
        expected = records(db.execute(sql, params))
        found = search(db, request)
        assert [r["id"] for r in found] == [r["id"] for r in expected]
    assert run(multilingual, "边境", lang="en") == []


def test_near_with_chinese_words_is_refused_clearly(multilingual):
    with pytest.raises(InvalidQuery, match="NEAR"):
        run(multilingual, "NEAR(美国 制裁, 5)")
    with pytest.raises(InvalidQuery, match="syntax error"):
        run(multilingual, "(美国")


# -- Russian -------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["Лавров", "Лаврова", "Лавровым", "лаврову", "ЛАВРОВ"])
def test_every_form_of_a_russian_name_finds_every_other(multilingual, form):
    texts = {r["text"] for r in run(multilingual, form)}
    assert set(RUSSIAN[:3]) <= texts


@pytest.mark.parametrize("form", ["санкции", "санкций", "санкциями"])
def test_russian_word_forms(multilingual, form):
    texts = {r["text"] for r in run(multilingual, form)}
    assert texts == {RUSSIAN[0], RUSSIAN[2]}


@pytest.mark.parametrize("form", ["провел", "провёл", "ПРОВЁЛ"])
def test_yo_and_ye_find_each_other(multilingual, form):
    texts = {r["text"] for r in run(multilingual, form)}
    assert texts == {RUSSIAN[1], RUSSIAN[3]}
    assert {r["text"] for r in run(multilingual, "вертолет")} == {RUSSIAN[4]}


def test_index_and_query_agree_on_cyrillic(multilingual):
    """What unicode61+porter store for Cyrillic: lower case, ё kept, no stemming."""
    conn = sqlite3.connect(multilingual)
    conn.execute("CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, statements_fts, 'row')")
    terms = {term for (term,) in conn.execute("SELECT term FROM temp.terms")}
    assert {"лавров", "лаврова", "лавровым", "провёл", "провел", "санкций"} <= terms
    assert "Лавров" not in terms and "санкц" not in terms
    assert russian_term("Лаврова") == "лавров*"
    assert russian_term("провел") == "(провел* OR провёл*)"
    assert russian_term("её") == "(её OR ее OR ёе OR ёё)"  # a stem of one letter: the word


def test_russian_phrases_and_operators(multilingual):
    assert {r["text"] for r in run(multilingual, '"Сергея Лаврова"')} == {RUSSIAN[0]}
    assert {r["text"] for r in run(multilingual, "Лавров NOT санкции")} == {RUSSIAN[1]}
    assert fts_query("a NOT b Лавров") == "a NOT (b AND лавр*)"
    assert fts_query("Медведев санкции") == (
        "(медвед* OR медвёд* OR мёдвед* OR мёдвёд*) AND санкц*"
    )


def test_english_queries_are_unchanged(multilingual):
    assert fts_query("China-India border") == '"China-India" border'
    assert fts_query("sanctions OR (trade NOT war)") == "sanctions OR ( trade NOT war )"
    assert run(multilingual, "sanctions", lang="ru") == []


# -- --lang ----------------------------------------------------------------------------------


def test_lang_filters_by_the_documents_language(multilingual):
    everything = run(multilingual, "Лавров OR 边境 OR China")
    for lang in ("en", "ru", "zh"):
        rows = run(multilingual, "Лавров OR 边境 OR China", lang=lang)
        assert rows, lang
        assert len(rows) < len(everything)
        conn = sqlite3.connect(multilingual)
        languages = {
            conn.execute("SELECT language FROM documents WHERE url = ?", [r["url"]]).fetchone()[0]
            for r in rows
        }
        assert languages == {lang}
    glued, spaced = (s["text"] for s in mixed_record()["statements"])
    # The word index reads 关于China的新报告 as one token: an English word written against Han
    # characters is found by a query that holds one of them (a substring of the trigram index).
    assert [r["text"] for r in run(multilingual, "China", lang="zh", sort="date")] == [spaced]
    assert [r["text"] for r in run(multilingual, "于China", lang="zh")] == [glued]


def test_lang_is_validated_with_one_clear_line(multilingual):
    with pytest.raises(InvalidArgument, match="unknown language 'fr' for --lang; use one of"):
        Search("China", lang="fr")
    assert Search("China", lang=" ZH ").lang == "zh"
    result = CliRunner().invoke(
        app, ["search", "China", "--lang", "klingon", "--db", str(multilingual)]
    )
    assert result.exit_code == 2
    assert "unknown language 'klingon' for --lang" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_cli_searches_chinese_with_lang(multilingual):
    result = CliRunner().invoke(
        app, ["search", "加勒万河谷", "--lang", "zh", "--format", "json", "--db", str(multilingual)]
    )
    assert result.exit_code == 0, result.output
    assert '"url": "' + CHINESE_URL in result.output
    sql = CliRunner().invoke(app, ["search", "美国", "--lang", "zh", "--sql"])
    assert sql.exit_code == 0 and "statements_han_terms" in sql.output


# -- the index in sync -----------------------------------------------------------------------


def test_the_store_keeps_the_trigram_index_in_sync(tmp_path):
    path = tmp_path / "a.db"
    record = chinese_record()
    with Archive(path) as archive:
        archive.upsert_document(record)
        conn = archive.db.conn
        assert index_matches_content(conn)
        indexed = conn.execute(f"SELECT count(*) FROM {HAN_FTS_TABLE}_docsize").fetchone()[0]
        assert indexed == len(record["statements"])
        with archive.transaction():
            edited = dict(record, statements=[dict(s) for s in record["statements"][:-2]])
            edited["statements"][0]["text"] = "A question now in English, about glaciers."
            edited["statements"][1]["text"] = "边境地区冰川融化。"
            edited["text"] = record["text"] + "（修订）"
            archive.upsert_document(edited)
            archive.upsert_document(russian_record())  # new rows, indexed at commit
        assert index_matches_content(conn)
        assert index_matches_content(conn, "statements_fts")
    assert [r["text"] for r in run(path, "冰川")] == ["边境地区冰川融化。"]
    assert run(path, "路透社") == []  # the question's old text is gone from the index
    assert run(path, "glaciers")


def test_plain_sqlite_writes_keep_it_in_sync(tmp_path):
    """Another writer (sqlite3, sqlite-utils, Datasette) has only the triggers."""
    path = tmp_path / "a.db"
    with Archive(path) as archive:
        archive.upsert_document(chinese_record())
    conn = sqlite3.connect(path)
    document = conn.execute("SELECT id FROM documents").fetchone()[0]
    conn.execute(
        "INSERT INTO statements (document_id, position, kind, text) VALUES (?, 100, 'remark', ?)",
        [document, "外交部发言人宣布新的访问安排。"],
    )
    english = conn.execute(
        "INSERT INTO statements (document_id, position, kind, text) VALUES (?, 101, 'remark', ?)",
        [document, "An English remark."],
    ).lastrowid
    conn.execute("UPDATE statements SET text = '青藏高原的天气。' WHERE id = ?", [english])
    first, second = (row[0] for row in conn.execute("SELECT id FROM statements LIMIT 2"))
    conn.execute("UPDATE statements SET text = 'Now in English.' WHERE id = ?", [first])
    conn.execute("UPDATE statements SET kind = 'remark' WHERE id = ?", [second])  # text kept
    conn.execute("DELETE FROM statements WHERE position = 3 AND document_id = ?", [document])
    conn.commit()
    assert index_matches_content(conn)
    assert index_matches_content(conn, "statements_fts")
    assert [r["text"] for r in run(path, "访问安排")] == ["外交部发言人宣布新的访问安排。"]
    assert [r["text"] for r in run(path, "天气")] == ["青藏高原的天气。"]
    assert run(path, "路透社") == []
    # The check can fail: a row changed behind the triggers' back is caught.
    conn.execute("DROP TRIGGER statements_han_au")
    conn.execute("UPDATE statements SET text = '被改动的文字' WHERE id = ?", [second])
    conn.commit()
    assert not index_matches_content(conn)


# -- upgrading -------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [4, 5])
def test_an_older_archive_is_upgraded_and_its_chinese_indexed(tmp_path, version):
    path = tmp_path / "old.db"
    old = Database(path)
    for step in range(version):
        MIGRATIONS[step](old)
    old.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old.execute(f"PRAGMA user_version = {version}")
    conn = old.conn
    conn.execute("INSERT INTO sources (name) VALUES ('mfa')")
    for record in [chinese_record(), mfa_record(*MFA_PAGES[0])]:
        document = conn.execute(
            "INSERT INTO documents (url, source, title, date, language) VALUES (?, ?, ?, ?, ?)",
            [record["url"], "mfa", record["title"], record["published"], record["language"]],
        ).lastrowid
        conn.executemany(
            "INSERT INTO statements (document_id, position, kind, text, date) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (document, position, s["kind"], s["text"], record["published"])
                for position, s in enumerate(record["statements"])
            ],
        )
    conn.commit()
    conn.close()

    with Archive(path) as archive:  # any writer upgrades it
        conn = archive.db.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert index_matches_content(conn)
        han = conn.execute(f"SELECT count(*) FROM {HAN_FTS_TABLE}_docsize").fetchone()[0]
        assert han == len(chinese_record()["statements"])
    assert {r["id"] for r in run(path, "美国")} == containing(path, "美国")
    assert {r["id"] for r in run(path, "加勒万河谷", lang="zh")} == containing(path, "加勒万河谷")
    assert run(path, "LAC")


# -- the windowed plans agree with the reference -------------------------------------------

LANG_CASES = [
    ("China", {"lang": "en"}),
    ("China", {"lang": "zh"}),
    ("China", {"lang": "en", "sort": "date", "limit": 5}),
    ("China", {"lang": "zh", "sort": "date"}),
    ("LAC", {"lang": "en", "speaker": "Zhao Lijian", "limit": 3}),
    ("Лавров", {"lang": "ru"}),
    ("Лавров", {"lang": "en", "sort": "date"}),
    ("санкции OR sanctions", {"limit": 4}),
    ("санкции OR sanctions", {"sort": "date", "limit": 4}),
    ("Zhao Lijian", {"lang": "zh", "limit": 3}),
]


def reference(db, request: Search) -> list[dict]:
    sql, params = reference_sql(request)
    rows = records(db.execute(sql, params))
    for row in rows:
        row["edited"] = bool(row["edited"])
        row["snippet"] = row["snippet"] or search_module._lead(row["text"])
    return rows


@pytest.mark.parametrize(("query", "options"), LANG_CASES)
@pytest.mark.parametrize("window", [1, 3, 1000])
def test_windowed_plans_with_lang_and_russian_match_the_reference(
    multilingual, monkeypatch, query, options, window
):
    monkeypatch.setattr(search_module, "FIRST_WINDOW", window)
    db = open_readonly(multilingual)
    request = Search(query, **options)
    assert search(db, request) == reference(db, request)


@pytest.mark.parametrize(("query", "options"), [c for c in LANG_CASES if "sort" in c[1]])
@pytest.mark.parametrize("plan", [search_module.WALK, search_module.HITS])
def test_both_date_plans_with_lang_match_the_reference(
    multilingual, monkeypatch, query, options, plan
):
    monkeypatch.setattr(search_module, "_plan", lambda *a: plan)
    db = open_readonly(multilingual)
    request = Search(query, **options)
    assert search(db, request) == reference(db, request)


def test_datasette_searches_the_chinese_statements(multilingual):
    pytest.importorskip("datasette", reason="the [serve] extra is not installed")
    from datasette.utils.testing import TestClient

    from archive.serve import build_datasette, prepare_archive

    client = TestClient(build_datasette(prepare_archive(multilingual)))
    found = client.get("/archive/statements_han.json?_search=加勒万河谷&_shape=array")
    assert found.status == 200
    assert {row["id"] for row in found.json} == containing(multilingual, "加勒万河谷")
    tables = client.get("/archive.json").json["tables"]
    assert {t["name"] for t in tables if t["hidden"]} >= {HAN_FTS_TABLE}


def test_a_russian_name_in_any_case_finds_the_person(tmp_path):
    """Constructed Russian Kremlin page (tests/pages/kremlin): Путина, Пескова are the people."""
    path = tmp_path / "archive.db"
    page = (
        Path(__file__).parent
        / "pages"
        / "kremlin"
        / "constructed_ru_news_17173_news_conference_2012-12-20.html"
    )
    url = "http://kremlin.ru/events/president/news/17173"
    added = CliRunner().invoke(app, ["add", str(page), "--url", url, "--db", str(path)])
    assert added.exit_code == 0, added.output
    db = open_readonly(path)
    for query, speaker in (("Путина", "Vladimir Putin"), ("Пескова", "Dmitry Peskov")):
        rows = search(db, Search(query, limit=5))
        assert rows and rows[0]["speaker"] == speaker, (query, rows[:1])
    by_speaker = search(db, Search("акт", speaker="Путиным", limit=5))
    assert by_speaker and {row["speaker"] for row in by_speaker} == {"Vladimir Putin"}


@pytest.mark.parametrize(
    "query", ["加勒万河谷", "美国", "中方 NOT 美国", "Лаврова", "санкции", "Лавров", "WHO 中方"]
)
def test_every_match_is_counted_in_any_language(multilingual, query):
    """What Datasette's search box and ``archive timeline`` count: the rows of the search."""
    from archive.search.engine import count_matches, matching_sql

    db = open_readonly(multilingual)
    sql, params = matching_sql(Search(query))
    found = {row[0] for row in db.execute(sql, params)}
    expected = {r["id"] for r in search(db, Search(query, limit=0))}
    assert found == expected and expected, query
    assert count_matches(db, Search(query)) == len(expected)
