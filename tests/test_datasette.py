"""``archive serve``: Datasette on an archive of real MFA transcripts, through its own test client.

Every page a visitor opens is checked against what the archive holds: rows,
search, facets, labels, canned queries, JSON and CSV. So are the promises of a
public instance: read-only at the SQLite level, no HTML from statement text,
no "database is locked" while a crawl writes, only our plugins loaded.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import threading
from pathlib import Path

import pytest

pytest.importorskip("datasette", reason="the [serve] extra is not installed")

from conftest import MFA_PAGES, mfa_record  # noqa: E402
from datasette.utils.testing import TestClient as DatasetteClient  # noqa: E402
from sqlite_utils import Database  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from archive.cli import app  # noqa: E402
from archive.exceptions import ArchiveError, InvalidArgument  # noqa: E402
from archive.serve import (  # noqa: E402
    build_datasette,
    load_yaml,
    parse_settings,
    prepare_archive,
)
from archive.store import Archive  # noqa: E402
from archive.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION  # noqa: E402

#: Every canned query with parameters that find rows in the three transcripts.
QUERY_PARAMS = {
    "search": {"q": "India", "speaker": "", "source": "", "lang": ""},
    "follow": {"q": "India", "speaker": "", "source": "", "lang": ""},
    "speaker_statements": {"speaker": "Zhao Lijian"},
    "first_said": {"phrase": "Hong Kong"},
    "daily_counts": {},
    "outlet_questions": {"outlet": "PTI"},
    "changed_or_removed": {},
    "search_everything": {"q": "India"},
    "statements_per_month": {"speaker": "", "q": "coronavirus"},
}


@pytest.fixture(scope="module")
def shared_archive(tmp_path_factory) -> Path:
    """The three real transcripts of ``archive_path``, built once for the read-only tests."""
    path = tmp_path_factory.mktemp("served") / "archive.db"
    with Archive(path) as archive:
        for name, url in MFA_PAGES:
            archive.upsert_document(mfa_record(name, url))
    return path


@pytest.fixture(scope="module")
def client(shared_archive) -> DatasetteClient:
    """Datasette's test client on the shared archive, configured as ``archive serve`` does."""
    return DatasetteClient(build_datasette(prepare_archive(shared_archive)))


@pytest.fixture(scope="module")
def db(shared_archive) -> sqlite3.Connection:
    """A plain connection to compare Datasette's answers with."""
    return sqlite3.connect(shared_archive)


def rows(client: DatasetteClient, path: str) -> list[dict]:
    """The rows of a JSON page, as ``_shape=array`` gives them."""
    page, _, query = path.partition("?")
    if not page.endswith(".json"):
        page += ".json"
    response = client.get(f"{page}?{query}&_shape=array" if query else f"{page}?_shape=array")
    assert response.status == 200, response.text[:500]
    return response.json


# -- pages load ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/archive",
        "/archive/statements_view",
        "/archive/statements",
        "/archive/documents",
        "/archive/speakers",
        "/archive/sources",
        "/archive/document_versions",
        "/archive/statements_view?_search=India",
        "/archive/statements?_search=India",
        "/archive/documents?_search=Press",
    ],
)
def test_pages_load(client, path):
    response = client.get(path)
    assert response.status == 200, response.text[:500]
    assert "Error" not in response.text.split("<title>")[1].split("</title>")[0]


def test_index_has_title_description_and_source_notes(client):
    html = client.get("/").text
    assert "mfa-archive: who said what, when" in html
    assert "who first" in html.lower()
    sources = client.get("/archive/sources").text
    assert "Creative Commons Attribution 4.0" in sources
    assert "www.fmprc.gov.cn" in sources


def test_statements_view_shows_names_dates_and_links_newest_first(client, db):
    listed = rows(client, "/archive/statements_view?_size=100")
    assert len(listed) == db.execute("SELECT count(*) FROM statements").fetchone()[0]
    dates = [row["date"] for row in listed]
    assert dates == sorted(dates, reverse=True)
    assert {"Zhao Lijian", "Geng Shuang", "Hua Chunying"} <= {row["speaker"] for row in listed}
    assert all(row["url"].startswith("https://www.fmprc.gov.cn/") for row in listed)
    html = client.get("/archive/statements_view").text
    assert '<a href="https://www.fmprc.gov.cn/mfa_eng/' in html  # the original page, as a link


def test_foreign_keys_show_names(client):
    first = rows(client, "/archive/statements?_labels=on&_size=1&_sort=id")[0]
    assert isinstance(first["speaker_id"], dict) and first["speaker_id"]["label"]
    assert "Press Conference" in first["document_id"]["label"]
    html = client.get("/archive/statements?speaker_id__not=&_sort=id").text
    assert "Geng Shuang" in html


# -- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize("table", ["statements", "statements_view"])
def test_search_returns_the_matching_rows(client, db, table):
    found = rows(client, f"/archive/{table}?_search=India&_size=100")
    expected = {
        r[0]
        for r in db.execute(
            "SELECT rowid FROM statements_fts WHERE statements_fts MATCH 'India'"
        ).fetchall()
    }
    assert {row["id"] for row in found} == expected
    assert expected and all("india" in row["text"].lower() for row in found)


def test_search_everything_spans_speakers_documents_and_statements(client):
    by_name = rows(client, "/archive/search_everything?q=Zhao+Lijian")
    assert [row["found_in"] for row in by_name] == ["speaker", "document"]
    assert by_name[1]["url"].startswith("https://www.fmprc.gov.cn/")
    by_word = rows(client, "/archive/search_everything?q=Payne")
    assert [row["found_in"] for row in by_word] == ["speaker", "statement", "statement"]
    assert all("[Payne]" in row["match"] for row in by_word[1:])


def test_a_malformed_search_is_not_an_error_page(client):
    response = client.get('/archive/statements_view?_search="unbalanced')
    assert response.status == 200


# -- facets -------------------------------------------------------------------------------------


def test_default_facets_count_what_the_archive_holds(client, db):
    data = client.get("/archive/statements_view.json?_extra=facet_results&_size=0").json
    facets = data["facet_results"]["results"]
    assert set(facets) == {"speaker", "source", "kind", "month", "language"}
    speakers = {item["value"]: item["count"] for item in facets["speaker"]["results"]}
    expected = dict(
        db.execute(
            "SELECT sp.name, count(*) FROM statements st JOIN speakers sp ON sp.id = st.speaker_id "
            "GROUP BY sp.name"
        ).fetchall()
    )
    assert speakers["Geng Shuang"] == expected["Geng Shuang"] == 22
    months = [item["value"] for item in facets["month"]["results"]]
    assert months == ["2020-06", "2020-02", "2019-07"]  # a calendar, newest first
    assert [item["value"] for item in facets["language"]["results"]] == ["en"]
    assert {item["value"] for item in facets["source"]["results"]} == {"mfa"}


def test_a_facet_value_filters_rows(client):
    answers = rows(client, "/archive/statements_view?kind=answer&speaker=Zhao+Lijian&_size=100")
    assert answers and {(r["kind"], r["speaker"]) for r in answers} == {("answer", "Zhao Lijian")}


# -- canned queries -----------------------------------------------------------------------------


#: Canned queries that need rows this archive lacks, tested with their own archives.
TESTED_ELSEWHERE = {"requotes": "tests/test_trace.py", "pair_turns": "tests/test_pairs.py"}


def test_every_configured_query_is_tested():
    configured = load_yaml("datasette.yaml")["databases"]["archive"]["queries"]
    assert set(configured) == set(QUERY_PARAMS) | set(TESTED_ELSEWHERE)


@pytest.mark.parametrize("name", sorted(QUERY_PARAMS))
def test_canned_query_pages_and_json_answer(client, name):
    params = "&".join(f"{k}={v.replace(' ', '+')}" for k, v in QUERY_PARAMS[name].items())
    html = client.get(f"/archive/{name}?{params}")
    assert html.status == 200, html.text[:500]
    data = rows(client, f"/archive/{name}.json?{params}")
    if name != "changed_or_removed":  # nothing has changed in a fresh archive
        assert data, f"{name} found nothing"


def test_speaker_statements_are_newest_first_by_any_spelling(client):
    found = rows(client, "/archive/speaker_statements?speaker=zhao+lijian")
    assert {row["speaker"] for row in found} == {"Zhao Lijian"}
    assert [row["date"] for row in found] == sorted((row["date"] for row in found), reverse=True)
    assert rows(client, "/archive/speaker_statements?speaker=Zhao") == found  # one word will do


def test_first_said_puts_the_earliest_statement_first(client, db):
    found = rows(client, "/archive/first_said?phrase=Hong+Kong")
    earliest = db.execute(
        "SELECT min(st.date) FROM statements st WHERE st.text LIKE '%Hong Kong%'"
    ).fetchone()[0]
    assert found[0]["date"] == earliest
    assert "Hong Kong" in found[0]["text"]


def test_daily_counts_add_up(client, db):
    found = rows(client, "/archive/daily_counts")
    assert (
        sum(row["statements"] for row in found)
        == db.execute("SELECT count(*) FROM statements").fetchone()[0]
    )
    assert {row["date"] for row in found} == {"2019-07-24", "2020-02-10", "2020-06-17"}


def test_outlet_questions_come_with_the_answer_that_followed(client):
    found = rows(client, "/archive/outlet_questions?outlet=PTI")
    assert len(found) == 3
    assert all(row["question"] and row["answer"] for row in found)
    assert {row["answered_by"] for row in found} <= {"Geng Shuang", "Hua Chunying", "Zhao Lijian"}


def test_statements_per_month_draws_bars(client):
    found = rows(client, "/archive/statements_per_month?speaker=Geng+Shuang&q=")
    months = [row["month"] for row in found]
    assert months[0] == "2020-02" and months == sorted(months)
    assert found[0]["statements"] == 22 and found[0]["bar"] == "█" * 60


def test_changed_or_removed_lists_edited_and_removed_pages(archive_path):
    name, url = MFA_PAGES[0]
    record = mfa_record(name, url)
    record["text"] += "\n\nA correction added later."
    with Archive(archive_path) as archive:
        archive.upsert_document(record)
        archive.mark_removed(MFA_PAGES[1][1], reason="HTTP 404")
    client = DatasetteClient(build_datasette(prepare_archive(archive_path)))
    found = {row["url"]: row for row in rows(client, "/archive/changed_or_removed")}
    assert set(found) == {url, MFA_PAGES[1][1]}
    assert found[url]["versions"] == 2 and found[url]["removed"] is None
    assert found[MFA_PAGES[1][1]]["removed_reason"] == "HTTP 404"


# -- export -------------------------------------------------------------------------------------


def test_json_and_csv_exports_match_the_archive(client, db):
    data = client.get("/archive/statements_view.json?_search=India").json
    assert data["ok"] is True and len(data["rows"]) == 7
    text = client.get("/archive/statements_view.csv?_search=India&_size=max").text
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == 7 and {"date", "speaker", "text", "url"} <= set(table[0])
    stored = db.execute("SELECT text FROM statements WHERE id = ?", [int(table[0]["id"])])
    assert table[0]["text"] == stored.fetchone()[0]


# -- safe to expose -----------------------------------------------------------------------------


def test_writes_are_refused(client, db):
    before = db.execute("SELECT count(*) FROM statements").fetchone()[0]
    insert = client.post(
        "/archive/statements/-/insert",
        body=json.dumps({"row": {"document_id": 1, "position": 999, "kind": "x", "text": "x"}}),
        content_type="application/json",
    )
    assert insert.status == 403
    assert client.get("/archive/-/execute-write").status == 403
    deleted = client.get("/archive.json?sql=DELETE+FROM+statements")
    assert deleted.status != 200 or not deleted.json.get("ok")
    assert db.execute("SELECT count(*) FROM statements").fetchone()[0] == before


def test_the_database_itself_is_opened_read_only(shared_archive):
    ds = build_datasette(prepare_archive(shared_archive))
    database = ds.get_database("archive")
    assert database.is_mutable and database.mode == "ro"
    conn = database.connect(write=True)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM statements")


def test_only_our_plugins_are_loaded(client):
    # archive-limits: registered by archive.serve itself (a cap on values and results).
    names = {p["name"] for p in client.get("/-/plugins.json").json}
    assert names == {"datasette-vega", "archive.datasette.plugin", "archive-limits"}


def test_statement_text_is_never_rendered_as_html(archive_path):
    name, url = MFA_PAGES[2]
    record = mfa_record(name, url)
    record["statements"][0]["text"] = '<script>alert("x")</script><b>bold</b>'
    with Archive(archive_path) as archive:
        archive.upsert_document(record)
    client = DatasetteClient(build_datasette(prepare_archive(archive_path)))
    for path in (
        "/archive/statements_view?_search=alert",
        "/archive/statements?_search=alert",
        "/archive/search_everything?q=alert",
    ):
        html = client.get(path).text
        assert "&lt;script&gt;" in html, path
        assert '<script>alert("x")' not in html and "<b>bold</b>" not in html, path


# -- live and immutable -------------------------------------------------------------------------


def test_pages_load_while_a_crawl_holds_the_write_lock(archive_path):
    client = DatasetteClient(build_datasette(prepare_archive(archive_path)))
    assert client.get("/archive/statements_view").status == 200
    writer = sqlite3.connect(archive_path, timeout=0, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE statements SET text = text || ' (edited)' WHERE id = 1")
    try:
        for path in ("/archive/statements_view", "/archive/statements?_search=India", "/"):
            response = client.get(path)
            assert response.status == 200, path
            assert "locked" not in response.text
        # Readers see the last committed state, not the open transaction.
        assert "(edited)" not in rows(client, "/archive/statements?id=1")[0]["text"]
    finally:
        writer.commit()
        writer.close()
    assert rows(client, "/archive/statements?id=1")[0]["text"].endswith("(edited)")


def test_a_long_write_does_not_block_readers(archive_path):
    client = DatasetteClient(build_datasette(prepare_archive(archive_path)))
    done = threading.Event()

    def crawl() -> None:
        with Archive(archive_path) as archive:
            while not done.is_set():
                name, url = MFA_PAGES[0]
                record = mfa_record(name, url)
                record["text"] += " x"
                archive.upsert_document(record)

    thread = threading.Thread(target=crawl)
    thread.start()
    try:
        for _ in range(10):
            assert client.get("/archive/statements_view?_search=India").status == 200
    finally:
        done.set()
        thread.join()


def test_immutable_is_refused_while_the_wal_holds_changes(archive_path):
    writer = sqlite3.connect(archive_path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute("UPDATE documents SET title = title WHERE id = 1")
    writer.commit()
    try:
        with pytest.raises(InvalidArgument, match="without --immutable"):
            prepare_archive(archive_path, immutable=True)
    finally:
        writer.close()  # the last connection merges the WAL
    ds = build_datasette(prepare_archive(archive_path, immutable=True), immutable=True)
    assert not ds.get_database("archive").is_mutable
    assert DatasetteClient(ds).get("/archive/statements_view").status == 200


def test_an_older_archive_is_upgraded_before_serving(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    for step in range(SCHEMA_VERSION - 1):
        MIGRATIONS[step](old)
    old.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    old.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    old.conn.close()
    prepare_archive(path)
    upgraded = sqlite3.connect(path)
    assert upgraded.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert upgraded.execute("SELECT count(*) FROM statements_view").fetchone() == (0,)


def test_an_old_read_only_archive_is_refused_with_the_next_step(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    with Archive(path):
        pass
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION - 1}")
    conn.close()
    monkeypatch.setattr("archive.serve.os.access", lambda *args: False)
    with pytest.raises(ArchiveError, match="not writable"):
        prepare_archive(path)


# -- settings and the command -------------------------------------------------------------------


def test_settings_are_typed_as_datasette_expects():
    assert parse_settings(
        ["base_url=/archive/", "force_https_urls=on", "sql_time_limit_ms=500"]
    ) == {
        "base_url": "/archive/",
        "force_https_urls": True,
        "sql_time_limit_ms": 500,
    }
    for bad in ("nonsense=1", "base_url", "force_https_urls=maybe", "sql_time_limit_ms=fast"):
        with pytest.raises(InvalidArgument):
            parse_settings([bad])


def test_base_url_prefixes_links_for_a_proxy(shared_archive):
    ds = build_datasette(prepare_archive(shared_archive), settings={"base_url": "/mfa/"})
    html = DatasetteClient(ds).get("/mfa/archive/statements_view").text
    assert 'href="/mfa/archive/statements_view' in html


@pytest.mark.parametrize(
    "args, message",
    [
        (["serve", "--setting", "nonsense=1"], "is not NAME=VALUE"),
        (["serve", "--db", "missing.db"], "no archive at missing.db"),
    ],
)
def test_serve_errors_are_one_line_and_exit_2(args, message, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output and len(result.output.strip().splitlines()) == 1
