"""A research desk: Datasette pages and the CLI agree, link, page and cite, in three languages.

The archive (``desk_archive``, tests/conftest.py) holds real pages: three English MFA
transcripts, the Chinese version of one, a Kremlin news conference in English and in Russian
(constructed), paired and linked. What a journalist checks is asserted: the search box finds
what ``archive search`` finds, by any spelling of a speaker; every id, speaker, document and
source is a link; the statement, speaker and document pages show the turn in context;
canned queries page instead of stopping, answer an empty field with nothing and hide their
SQL; a saved search is a feed that gains an entry when a crawl adds a matching statement.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest
from conftest import MFA_PAGES, mfa_record, page_path

pytest.importorskip("datasette", reason="the [serve] extra is not installed")

from datasette.utils.testing import TestClient as DatasetteClient  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from archive.cli import app  # noqa: E402
from archive.search.engine import Search, search  # noqa: E402
from archive.serve import build_datasette, load_yaml, prepare_archive  # noqa: E402
from archive.store import Archive, open_readonly  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"

#: Words in each language, and the speaker spellings that must all find the same person.
SEARCHES = ["India", "Galwan", "加勒万河谷", "美国", "中方", "Магнитского", "Путин", "Putin"]


@pytest.fixture(scope="module")
def client(desk_archive) -> DatasetteClient:
    return DatasetteClient(build_datasette(prepare_archive(desk_archive)))


def ids_in(client: DatasetteClient, path: str) -> set[int]:
    rows = client.get(path + ("&" if "?" in path else "?") + "_shape=array&_size=max").json
    return {row["id"] for row in rows}


def cli_ids(path: Path, query: str, **options) -> set[int]:
    return {r["id"] for r in search(open_readonly(path), Search(query, limit=0, **options))}


# -- one search for the web and the terminal --------------------------------------------------


@pytest.mark.parametrize("query", SEARCHES)
def test_the_search_box_finds_what_archive_search_finds(client, desk_archive, query):
    found = ids_in(client, f"/archive/statements_view.json?_search={query}")
    assert found and found == cli_ids(desk_archive, query)


def test_a_speaker_is_found_by_any_spelling(client, desk_archive):
    spellings = ["Vladimir Putin", "Putin", "Путин", "Владимир Путин", "普京", "putin"]
    found = [ids_in(client, f"/archive/statements_view.json?_speaker={name}") for name in spellings]
    assert all(ids == found[0] for ids in found) and len(found[0]) > 100
    by_id = ids_in(client, "/archive/statements_view.json?speaker=Vladimir+Putin")
    assert found[0] == by_id
    # A search for his name and a facet on him: his own statements, not none.
    both = ids_in(client, "/archive/statements_view.json?_search=Putin&speaker=Vladimir+Putin")
    assert both == by_id


def test_the_search_page_says_how_many_and_shows_the_match(client):
    html = client.get("/archive/statements_view?_search=加勒万河谷").text
    assert re.search(r"\d+ rows? where search matches", html)
    assert "<mark>加勒万河谷</mark>" in html
    assert 'value="加勒万河谷"' in html  # the search box keeps the words
    assert "follow.atom?q=" in html and "/archive/search?q=" in html


def test_a_long_text_shows_the_match_not_its_first_700_characters(client, desk_archive):
    db = open_readonly(desk_archive)
    long_id, text = db.execute(
        "SELECT id, text FROM statements WHERE length(text) > 1500 ORDER BY id LIMIT 1"
    ).fetchone()
    word = re.findall(r"[A-Za-z]{6,}", text[1200:])[0]
    html = client.get(f"/archive/statements_view?_search={word}&id={long_id}").text
    assert f"<mark>{word}</mark>" in html or f"<mark>{word.lower()}</mark>" in html.lower()


def test_a_malformed_search_says_so(client):
    html = client.get("/archive/statements_view?_search=Lavrov+-").text
    assert "0 rows" in html and "cannot search for" in html


def test_the_ranked_search_is_archive_search(client, desk_archive):
    rows = client.get("/archive/search.json?q=India&speaker=&source=&lang=&_shape=array").json
    cli = search(open_readonly(desk_archive), Search("India", limit=100))
    assert [row["id"] for row in rows] == [r["id"] for r in cli]
    assert "\x02India\x03" in rows[0]["match"]


# -- every value a link ------------------------------------------------------------------------


def test_statements_link_to_statement_speaker_document_and_source(client):
    html = client.get("/archive/statements_view?_search=India").text
    for page in ("statements", "speakers", "documents", "sources"):
        assert re.search(rf'href="/archive/{page}/[^"]+"', html), page
    assert 'title="https://www.fmprc.gov.cn/' in html  # the URL shown short, linked whole


@pytest.mark.parametrize(
    ("path", "pages"),
    [
        ("search?q=India&speaker=&source=&lang=", ("statements", "speakers", "documents")),
        ("speaker_statements?speaker=Zhao", ("statements", "speakers", "documents")),
        ("first_said?phrase=Hong+Kong", ("statements", "speakers", "documents", "sources")),
        ("outlet_questions?outlet=PTI", ("statements", "speakers", "documents")),
        ("search_everything?q=India", ("statements", "speakers")),
        ("search_everything?q=Press+Conference", ("documents",)),
        ("changed_or_removed", ()),
    ],
)
def test_canned_queries_link_their_ids(client, path, pages):
    html = client.get(f"/archive/{path}").text
    for page in pages:
        assert re.search(rf'href="/archive/{page}/[^"]+"', html), (path, page)


# -- pages a person reads ----------------------------------------------------------------------


def test_a_statement_page_shows_the_turn_in_its_context(client, desk_archive):
    db = open_readonly(desk_archive)
    answer = db.execute(
        "SELECT st.id FROM statements st JOIN documents d ON d.id = st.document_id "
        "WHERE st.kind = 'answer' AND d.url LIKE '%t1789509%' AND st.text LIKE '%Galwan%' "
        "ORDER BY st.position LIMIT 1"
    ).fetchone()[0]
    html = client.get(f"/archive/statements/{answer}").text
    assert "<title>Zhao Lijian, 2020-06-17:" in html
    assert "Foreign Ministry Spokesperson" in html  # the role
    assert "statements: " not in html.split("<title>")[1][:40]
    assert "In its context" in html and "question" in html
    assert 'href="https://www.fmprc.gov.cn/mfa_eng/' in html  # the original page
    assert "The Chinese version" in html and "加勒万河谷" in html
    assert "Where it was quoted again" in html
    assert "Links from other tables" not in html
    assert f"archive cite {answer}" in html


def test_a_speaker_page_shows_their_statements_over_time(client, desk_archive):
    db = open_readonly(desk_archive)
    speaker_id = db.execute("SELECT id FROM speakers WHERE name = 'Vladimir Putin'").fetchone()[0]
    html = client.get(f"/archive/speakers/{speaker_id}").text
    assert "<h1>Vladimir Putin</h1>" in html
    assert "Путин" in html and "2012" in html  # aliases, a year
    assert "Latest statements" in html and 'href="/archive/statements/' in html
    assert f"statements_view?speaker_id={speaker_id}" in html  # every one, page by page


def test_a_document_page_lists_its_turns_in_order(client, desk_archive):
    db = open_readonly(desk_archive)
    document_id = db.execute("SELECT id FROM documents WHERE url LIKE '%t1789468%'").fetchone()[0]
    html = client.get(f"/archive/documents/{document_id}").text
    turns = [int(i) for i in re.findall(r'class="turn[^"]*" id="s(\d+)"', html)]
    positions = dict(
        db.execute("SELECT id, position FROM statements WHERE document_id = ?", [document_id])
    )
    top = [t for t in turns if t in positions]
    assert len(top) >= 20 and top == sorted(top, key=positions.get)
    assert "The English version" in html and "side by side" in html


# -- canned queries: no silent cut, no answer to an empty field, no SQL by default --------------


PARAMETERS = {
    name: query.get("params", [])
    for name, query in load_yaml("datasette.yaml")["databases"]["archive"]["queries"].items()
}


@pytest.mark.parametrize("name", [n for n, params in PARAMETERS.items() if params])
def test_an_empty_field_finds_nothing(client, name):
    if name == "statements_per_month":
        pytest.skip("an empty field there counts everything, as its description says")
    empty = "&".join(f"{param}=" for param in PARAMETERS[name])
    rows = client.get(f"/archive/{name}.json?{empty}&_shape=array").json
    assert rows == [], name


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_no_query_shows_its_sql_unless_asked(client, name):
    html = client.get(f"/archive/{name}").text
    assert 'id="sql-query"' not in html and 'id="sql-editor"' not in html


def test_long_queries_go_on_page_by_page_newest_first(client, desk_archive):
    first = client.get("/archive/speaker_statements.json?speaker=Putin&_size=50&_shape=array").json
    second = client.get(
        "/archive/speaker_statements.json?speaker=Putin&_size=50&_offset=50&_shape=array"
    ).json
    assert len(first) == 50 and second
    assert not {r["statement_id"] for r in first} & {r["statement_id"] for r in second}
    dates = [r["date"] for r in first + second]
    assert dates == sorted(dates, reverse=True)
    html = client.get("/archive/speaker_statements?speaker=Putin&_size=50").text
    assert "Rows 1–50" in html and "_offset=50" in html and "next 50" in html


def test_every_row_of_a_long_query_exports_as_one_csv(client, desk_archive):
    """A page's CSV is that page; "every row as CSV" is all of them, and ?_size=max is the
    largest page (it was the default 100, with "truncated": false)."""
    import csv
    import io

    [[said]] = open_readonly(desk_archive).execute(
        "SELECT count(*) FROM statements s JOIN speakers p ON p.id = s.speaker_id"
        " WHERE p.name = 'Vladimir Putin'"
    )
    assert said > 100
    page = client.get("/archive/speaker_statements.csv?speaker=Putin&_size=max").text
    assert len(list(csv.reader(io.StringIO(page)))) - 1 == min(said, 1000)
    html = client.get("/archive/speaker_statements?speaker=Putin&_size=20").text
    link = re.search(r'href="([^"]*/-/archive/export/speaker_statements\.csv[^"]*)"', html)
    assert link and "_size" not in link[1] and "_offset" not in link[1]
    exported = client.get(link[1].replace("&amp;", "&"))
    assert exported.status == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0][:2] == ["date", "speaker"] and len(rows) - 1 == said
    assert client.get("/-/archive/export/no_such_query.csv").status == 404


def test_the_speakers_table_links_each_name_to_the_speakers_page(client):
    html = client.get("/archive/speakers?_size=5").text
    names = re.findall(r'<td class="col-name[^"]*">(.*?)</td>', html)
    assert len(names) == 5
    assert all(re.fullmatch(r'<a href="/archive/speakers/\d+" title="all they said">.+</a>', n)
               for n in names), names  # fmt: skip


def test_the_database_page_leads_with_search_and_queries(client):
    html = client.get("/archive").text
    assert html.index("Ready-made queries") < html.index('id="tables"')
    assert "Search the statements" in html
    visible = html.split('id="tables"')[1].split("hidden table")[0]
    for bookkeeping in ("crawl_sections", "fetch_failures", "link_runs", "rank_lists"):
        assert f">{bookkeeping}<" not in visible, bookkeeping


def test_counts_are_totals(client):
    data = client.get("/archive/statements_view.json?_size=1&_extra=count,count_truncated").json
    # Two quotations of the 2012 news conference have no speaker any more, rightly
    # ("speeches from the people of your circle: “…”" was Vasilyeva's, and "What if you were
    # told: “…”" a speaker "Federation": a passive cue names nobody), so they are not stored;
    # "one of the recognised Muslim authorities said in his speech, ‘What are we doing? …’"
    # is found since a single quote ending in a comma closes ("…,’ said"); 489 since "Der
    # Spiegel reported that FDP leader Christian Lindner was “rudely treated”" is the outlet's
    # ("reported" is a cue, and "Der" begins the name)
    assert data["count"] == 489 and not data["count_truncated"]


# -- follow a topic ----------------------------------------------------------------------------


def entries(feed: str) -> list:
    return ElementTree.fromstring(feed.encode()).findall(f"{ATOM}entry")


def test_a_saved_search_is_a_feed_that_grows_when_a_crawl_adds_a_match(tmp_path):
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        for name, url in MFA_PAGES:
            archive.upsert_document(mfa_record(name, url))
    feed_url = "/archive/follow.atom?q=加勒万河谷&speaker=&source=&lang=zh"
    client = DatasetteClient(build_datasette(prepare_archive(path)))
    before = client.get(feed_url)
    assert before.status == 200 and "atom+xml" in before.headers["content-type"]
    assert entries(before.text) == []  # followed before anything matches: a valid, empty feed

    page = tmp_path / "zh.html"  # the crawl: `archive add` stores a new Chinese transcript
    shutil.copy(
        page_path("mfa", "www.fmprc.gov.cn.zh_t1789468_press_conference_2020-06-17.html"), page
    )
    url = "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/t1789468.shtml"
    added = CliRunner().invoke(app, ["add", str(page), "--url", url, "--db", str(path)])
    assert added.exit_code == 0, added.output

    after = entries(client.get(feed_url).text)
    assert len(after) == 2  # the answer and the question that hold the words
    entry = next(e for e in after if e.find(f"{ATOM}author/{ATOM}name").text == "Zhao Lijian")
    assert entry.find(f"{ATOM}title").text.startswith("Zhao Lijian, 2020-06-17:")
    assert entry.find(f"{ATOM}link").get("href") == url
    assert "加勒万河谷" in entry.find(f"{ATOM}content").text
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Zhao Lijian"


def test_the_feed_escapes_statement_text(tmp_path):
    path = tmp_path / "archive.db"
    name, url = MFA_PAGES[0]
    record = mfa_record(name, url)
    record["statements"][0]["text"] = '<script>alert("x")</script> Galwan'
    with Archive(path) as archive:
        archive.upsert_document(record)
    client = DatasetteClient(build_datasette(prepare_archive(path)))
    feed = client.get("/archive/follow.atom?q=Galwan&speaker=&source=&lang=").text
    assert "<script>" not in feed and "&lt;script&gt;" in feed


@pytest.mark.parametrize("words", ["加勒万河谷", "Putin", "Магнитского"])
def test_the_monthly_chart_counts_what_archive_timeline_counts(client, desk_archive, words):
    from archive.search.timeline import Timeline, count_statements

    chart = client.get(f"/archive/statements_per_month.json?speaker=&q={words}&_shape=array").json
    counted = count_statements(open_readonly(desk_archive), Timeline(words))
    assert [(r["month"], r["statements"]) for r in chart] == [
        (r["period"], r["statements"]) for r in counted
    ]
    assert sum(r["statements"] for r in counted) > 0
