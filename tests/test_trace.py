"""Where was it said first: ``archive trace`` and ``archive link`` on real briefings.

The originals are real MFA transcripts (tests/pages/mfa); the blog posts that re-quote
them are constructed (tests/pages/requotes/README.md): faithful, edited, cut and
reworded re-quotes, and scare quotes that are nobody's statement.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MFA_PAGES, mfa_record
from typer.testing import CliRunner

from archive.cli import app
from archive.provenance.linking import link_quotes
from archive.provenance.similarity import compare
from archive.provenance.trace import trace
from archive.store import Archive, open_readonly
from mfa_scraper.attribution.document import attribute_quotes
from mfa_scraper.records import document_record
from mfa_scraper.sites.dispatch import extract_document

REQUOTES = Path(__file__).parent / "pages" / "requotes"
WRAY = "wray-accusations-2019-07-26"
GALWAN = "galwan-clash-2020-06-18"
HUA_PAGE = "t1683038.shtml"
ZHAO_PAGE = "t1789509.shtml"


def blog_record(name: str) -> dict:
    """A constructed blog post through the real extract → attribute → record path."""
    body = (REQUOTES / f"{name}.html").read_bytes()
    document = extract_document(body, f"https://blog.example.org/{name}/")
    return document_record(attribute_quotes(document), fetched="2026-01-02T00:00:00+00:00")


def add_transcripts(archive: Archive) -> None:
    for name, url in MFA_PAGES:
        archive.upsert_document(mfa_record(name, url))


@pytest.fixture
def traced(tmp_path) -> Path:
    """Three real transcripts and two blog posts re-quoting them, linked."""
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        add_transcripts(archive)
        for name in (WRAY, GALWAN):
            archive.upsert_document(blog_record(name))
        link_quotes(archive)
    return path


def blog_quote(db, words: str) -> int:
    row = db.execute(
        "SELECT st.id FROM statements st JOIN documents d ON d.id = st.document_id "
        "WHERE d.source = 'blog.example.org' AND st.kind = 'quote' AND st.text LIKE ?",
        [f"%{words}%"],
    ).fetchone()
    assert row, f"no quote with {words!r}"
    return row[0]


def chain(db, quote_id: int) -> dict:
    row = db.execute(
        "SELECT label, similarity, lag_days, speaker, said_by, said_on, original_url, original "
        "FROM quote_chains WHERE quote_id = ?",
        [quote_id],
    ).fetchone()
    assert row, f"quote {quote_id} has no original"
    keys = ("label", "similarity", "lag_days", "speaker", "said_by", "said_on", "url", "original")
    return dict(zip(keys, row))


@pytest.mark.parametrize(
    ("words", "label", "page", "said_on"),
    [
        ("His accusations are just baseless", "verbatim", HUA_PAGE, "2019-07-24"),
        ("earnestly implements the DPRK-related", "fragment", HUA_PAGE, "2019-07-24"),
        ("based on its own domestic law", "near-verbatim", HUA_PAGE, "2019-07-24"),
        ("can fool nobody except themselves", "paraphrase", HUA_PAGE, "2019-07-24"),
        ("through diplomatic channels", "near-verbatim", ZHAO_PAGE, "2020-06-17"),
    ],
)
def test_each_blog_quote_links_to_the_briefing_it_came_from(traced, words, label, page, said_on):
    db = open_readonly(traced)
    link = chain(db, blog_quote(db, words))
    assert link["label"] == label
    assert link["url"].endswith(page)
    assert link["said_on"] == said_on
    assert link["said_by"] == link["speaker"]  # the blog names the right spokesperson
    # Posted 2019-07-26 08:15 / 2020-06-18 09:30; the ministry's pages give the day only.
    assert link["lag_days"] == (2.0 if page == HUA_PAGE else 1.0)


def test_near_verbatim_shows_the_edit_as_a_word_diff(traced):
    db = open_readonly(traced)
    result = trace(db, blog_quote(db, "based on its own domestic law"))
    requote = next(a for a in result.appearances if a.source == "blog.example.org")
    assert requote.label == "near-verbatim"
    assert "{+own+}" in requote.diff
    assert 0.9 < requote.similarity < 1
    dropped = trace(db, blog_quote(db, "through diplomatic channels"))
    edited = next(a for a in dropped.appearances if a.source == "blog.example.org")
    assert "[-and military-]" in edited.diff


def test_trace_orders_in_time_with_the_ministry_first(traced):
    db = open_readonly(traced)
    result = trace(db, blog_quote(db, "His accusations are just baseless"))
    dates = [a.date for a in result.appearances]
    assert dates == sorted(dates)
    original = result.original
    assert original is result.appearances[0]
    assert original.source == "mfa" and original.kind == "answer"
    assert original.speaker == "Hua Chunying"
    assert original.lag_days == 0
    assert "They can fool no one other than themselves" in original.text
    requote = result.appearances[-1]
    assert (requote.label, requote.lag_days) == ("verbatim", 2.0)


def test_trace_of_text_says_how_the_text_relates_to_the_original(traced):
    db = open_readonly(traced)
    result = trace(db, "His accusations are baseless. They can fool no one other than themselves")
    assert result.original.speaker == "Hua Chunying"
    assert result.relation.label == "near-verbatim"
    assert "[-just-]" in result.relation.diff


def test_scare_quotes_and_boilerplate_are_not_statements(traced):
    db = open_readonly(traced)
    texts = [
        row[0]
        for row in db.execute(
            "SELECT st.text FROM statements st JOIN documents d ON d.id = st.document_id "
            "WHERE d.source = 'blog.example.org'"
        )
    ]
    assert texts
    for phrase in ("global policeman", "tit for tat", "Leave a Reply", "Share this"):
        assert not any(phrase in text for text in texts), phrase
    # "Washington calls it a “trade war”": a naming verb's object in the speaker's word is that
    # speaker's partial quote, as tests/gold/README.md has it ("Lavrov called the sanctions …")
    named = db.execute(
        "SELECT sp.name FROM statements st JOIN documents d ON d.id = st.document_id "
        "JOIN speakers sp ON sp.id = st.speaker_id "
        "WHERE d.source = 'blog.example.org' AND st.text = 'trade war'"
    ).fetchall()
    assert named == [("United States",)]


def test_a_quote_linked_before_its_original_arrived_is_linked_when_it_does(tmp_path):
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        archive.upsert_document(blog_record(WRAY))
        first = link_quotes(archive)
        assert first["linked"] == 0 and first["unlinked"] >= 3
        add_transcripts(archive)  # the crawl of the ministry comes later
        second = link_quotes(archive)
        assert second["linked"] >= 4
        assert link_quotes(archive)["quotes"] == 0  # nothing new: nothing looked at
    db = open_readonly(path)
    assert chain(db, blog_quote(db, "His accusations are just baseless"))["label"] == "verbatim"


def test_changed_original_unlinks_its_quotes_until_the_next_link(traced):
    with Archive(traced) as archive:
        record = mfa_record(*MFA_PAGES[1])  # Hua Chunying, 24 July 2019
        for statement in record["statements"]:
            statement["text"] = statement["text"].replace("baseless", "groundless")
        archive.upsert_document(record)
        db = archive.db
        quote = blog_quote(db, "His accusations are just baseless")
        assert db.execute(
            "SELECT count(*) FROM quote_origins WHERE statement_id = ?", [quote]
        ).fetchone() == (0,)
        link_quotes(archive)
        assert chain(db, quote)["label"] == "near-verbatim"  # "just baseless" → "groundless"


def test_compare_ignores_typography_and_refuses_changed_names():
    original = "China and India have been in close communication through diplomatic channels."
    retyped = "china and india HAVE been in close communication — through diplomatic channels"
    assert compare(retyped, original).label == "verbatim"
    assert compare(original.replace("India", "Indonesia"), original) is None
    urge = "We urge the US to stop interfering in China's internal affairs."
    assert compare(urge.replace("the US", "[Washington]"), urge).label == "near-verbatim"
    assert compare(urge.replace("the US", "Washington"), urge) is None  # a name, unmarked
    cut = compare("We urge the US to stop … in China's internal affairs", urge)
    assert (cut.label, cut.diff) == (
        "verbatim",
        "We urge the US to stop [-interfering-] in China's internal affairs",
    )
    assert compare("We urge … China", urge) is None  # one-word parts prove nothing


runner = CliRunner()


def test_cli_trace_prints_the_chain_and_json(traced):
    db = open_readonly(traced)
    quote = blog_quote(db, "His accusations are just baseless")
    result = runner.invoke(app, ["trace", str(quote), "--db", str(traced)])
    assert result.exit_code == 0, result.output
    assert "original" in result.output and "verbatim" in result.output
    assert "Hua Chunying" in result.output and "+2 d" in result.output
    as_json = runner.invoke(app, ["trace", str(quote), "--db", str(traced), "-f", "json"])
    data = json.loads(as_json.output)
    labels = [a["label"] for a in data["appearances"]]
    assert labels[0] == "original" and "verbatim" in labels


def test_cli_trace_errors_are_one_line(traced):
    missing = runner.invoke(app, ["trace", "999999", "--db", str(traced)])
    assert missing.exit_code == 2
    assert missing.output.strip().count("\n") == 0 and "no statement with id" in missing.output
    empty = runner.invoke(app, ["trace", " ... ", "--db", str(traced)])
    assert empty.exit_code == 2 and "nothing to trace" in empty.output


def test_cli_link_reports_counts(tmp_path):
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        add_transcripts(archive)
        archive.upsert_document(blog_record(GALWAN))
    result = runner.invoke(app, ["link", "--db", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    counts = json.loads(result.output)["quotes"]
    assert counts["linked"] >= 1
    again = runner.invoke(app, ["link", "--db", str(path)])
    assert "quotations: 0 looked at" in again.output


def test_datasette_shows_the_chain_and_who_passed_a_statement_on(traced):
    pytest.importorskip("datasette", reason="the [serve] extra is not installed")
    from datasette.utils.testing import TestClient

    from archive.serve import build_datasette, prepare_archive

    client = TestClient(build_datasette(prepare_archive(traced)))
    chains = client.get("/archive/quote_chains.json?_shape=array&label=verbatim").json
    assert [row["said_in"] for row in chains] == ["mfa"]
    assert chains[0]["quoted_in"] == "blog.example.org"
    origin = chains[0]["origin_id"]
    page = client.get(f"/archive/requotes?statement_id={origin}")
    assert page.status == 200
    requotes = client.get(f"/archive/requotes.json?_shape=array&statement_id={origin}").json
    labels = {row["label"] for row in requotes}
    assert "verbatim" in labels and len(requotes) >= 2
    assert all(row["quoted_in"] == "blog.example.org" for row in requotes)


def test_search_says_who_first_said_a_quotation(traced):
    result = runner.invoke(app, ["search", "baseless", "--db", str(traced), "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    quotes = [row for row in rows if row["kind"] == "quote"]
    answers = [row for row in rows if row["kind"] == "answer"]
    assert quotes and answers
    verbatim = next(row for row in quotes if row["text"].startswith("This is not the first"))
    origin = verbatim["first_said"]
    assert (origin["speaker"], origin["date"], origin["source"]) == (
        "Hua Chunying",
        "2019-07-24",
        "mfa",
    )
    assert origin["label"] == "verbatim"
    assert all(row["first_said"] is None for row in answers)  # originals have none
    table = runner.invoke(app, ["search", "baseless", "--db", str(traced)])
    assert "first said by Hua Chunying on 2019-07-24" in table.output


def test_trace_shows_the_chinese_words_behind_an_english_original(tmp_path):
    from conftest import read_page

    from archive.provenance.pairing import pair_documents
    from mfa_scraper.sites.mfa import extract_mfa_page

    path = tmp_path / "archive.db"
    chinese = "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/t1789468.shtml"
    body = read_page("mfa", "www.fmprc.gov.cn.zh_t1789468_press_conference_2020-06-17.html")
    with Archive(path) as archive:
        add_transcripts(archive)
        archive.upsert_document(document_record(attribute_quotes(extract_mfa_page(body, chinese))))
        assert pair_documents(archive)["paired"] == 1
    result = trace(open_readonly(path), "the Indian troops seriously departed from such consensus")
    assert result.original.url.endswith(ZHAO_PAGE)
    counterpart = result.counterpart
    assert counterpart["document"]["language"] == "zh"
    assert counterpart["document"]["url"] == chinese
    assert not counterpart["missing"]
    assert "印方部队严重违反双方共识" in counterpart["turns"][0]["text"]
    shown = runner.invoke(
        app, ["trace", "seriously departed from such consensus", "--db", str(path)]
    )
    assert "The Chinese version" in shown.output and "印方部队严重违反双方共识" in shown.output


def test_a_quote_links_to_the_quoted_persons_own_briefing(traced):
    """Hua Chunying said the same line on 8 June 2020 (real page); the blog quotes Zhao."""
    url = "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/t1787042.shtml"
    with Archive(traced) as archive:
        archive.upsert_document(
            mfa_record("en_t1787042_press_conference_2020-06-08_hua_chunying.html", url)
        )
        link_quotes(archive, everything=True)
    db = open_readonly(traced)
    quote = blog_quote(db, "through diplomatic channels")
    link = chain(db, quote)
    assert (link["speaker"], link["said_on"], link["lag_days"]) == (
        "Zhao Lijian",
        "2020-06-17",
        1.0,
    )
    said_first = trace(db, "China and India have been in close communication through diplomatic")
    assert said_first.original.date == "2020-06-08"  # a text alone: the earliest saying
    assert said_first.original.speaker == "Hua Chunying"


def test_a_chinese_post_links_to_the_chinese_briefing(tmp_path):
    from conftest import read_page

    from mfa_scraper.sites.mfa import extract_mfa_page

    chinese = "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/t1789468.shtml"
    body = read_page("mfa", "www.fmprc.gov.cn.zh_t1789468_press_conference_2020-06-17.html")
    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        archive.upsert_document(document_record(attribute_quotes(extract_mfa_page(body, chinese))))
        archive.upsert_document(blog_record("zh-border-clash-2020-06-18"))
        assert link_quotes(archive)["linked"] >= 2
    db = open_readonly(path)
    first = chain(db, blog_quote(db, "印方部队严重违反双方共识"))
    assert (first["said_by"], first["said_on"], first["url"]) == (
        "Zhao Lijian",
        "2020-06-17",
        chinese,
    )
    assert first["label"] == "fragment"  # the answer goes on: 6月15日 starts mid-sentence
    # Posted 2020-06-18 10:00 +08:00; the ministry's page gives the day only.
    assert first["lag_days"] == 1.0
    edited = chain(db, blog_quote(db, "继续通过对话协商解决问题"))
    assert edited["label"] == "near-verbatim"
    assert "[-有关-]" in trace(db, blog_quote(db, "继续通过对话协商解决问题")).appearances[-1].diff
    texts = [row[0] for row in db.execute("SELECT text FROM statements")]
    assert not any(text == "以牙还牙" for text in texts)


def test_archive_pairs_pairs_what_a_crawl_brought(tmp_path):
    from conftest import read_page

    from mfa_scraper.sites.mfa import extract_mfa_page

    path = tmp_path / "archive.db"
    chinese = "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/t1789468.shtml"
    body = read_page("mfa", "www.fmprc.gov.cn.zh_t1789468_press_conference_2020-06-17.html")
    with Archive(path) as archive:  # both crawls done, no archive link
        add_transcripts(archive)
        archive.upsert_document(document_record(attribute_quotes(extract_mfa_page(body, chinese))))
    listed = json.loads(runner.invoke(app, ["pairs", "--db", str(path), "-f", "json"]).output)
    assert [
        (row["date"], row["document_language"], row["counterpart_language"]) for row in listed
    ] == [("2020-06-17", "zh", "en")]


def test_link_pairs_a_translation_that_arrives_after_its_original(tmp_path):
    from conftest import read_page

    from archive.provenance.linking import link_archive
    from mfa_scraper.sites.mfa import extract_mfa_page

    path = tmp_path / "archive.db"
    chinese = "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/t1789468.shtml"
    body = read_page("mfa", "www.fmprc.gov.cn.zh_t1789468_press_conference_2020-06-17.html")
    with Archive(path) as archive:
        add_transcripts(archive)  # the English crawl, linked: three unpaired documents
        assert link_archive(archive)["pairs"]["unpaired"] == 3
        archive.upsert_document(document_record(attribute_quotes(extract_mfa_page(body, chinese))))
        counts = link_archive(archive)["pairs"]  # only 17 June is looked at again
        assert (counts["paired"], counts["unpaired"]) == (1, 0)
