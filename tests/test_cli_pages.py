"""``archive extract``, ``add``, ``quotes`` and ``speakers`` on real pages."""

from __future__ import annotations

import json
import sqlite3

from conftest import PAGES
from faultserver import FaultServer, fault_file, fault_redirect
from typer.testing import CliRunner

from archive.cli import app

runner = CliRunner()
NATE = PAGES / "wordpress" / "natethayer.wordpress.com.china-says-no-comment.html"
NATE_URL = (
    "https://natethayer.wordpress.com/2013/01/24/has-kim-jong-un-had-plastic-surgery-china-"
    "says-no-comment-pyongyang-erupts-following-reports-circulating-in-chinese-media/"
)
ZHAO = PAGES / "mfa" / "www.fmprc.gov.cn.en_t1789509_press_conference_2020-06-17_zhao_lijian.html"
ZHAO_URL = "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/t1789509.shtml"


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_extract_a_blog_post_that_requotes_the_ministry():
    result = invoke("extract", str(NATE), "--url", NATE_URL)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert {"url", "title", "published", "author", "language", "text", "quotes"} <= set(record)
    # the timestamp as the page gives it (UTC), the date of the blog's own day (its URL)
    assert record["published"] == "2013-01-25T04:23:56+00:00"
    assert record["date"] == "2013-01-24"
    assert record["author"] == "Nate Thayer"
    assert "Leave a Reply" not in record["text"]
    assert "Fill in your details below" not in record["text"]
    for quote in record["quotes"]:
        assert record["text"][quote["start"] : quote["end"]] == quote["quote"]
        assert quote["kind"] in ("direct", "partial")
    hong_lei = [q for q in record["quotes"] if q["speaker"] == "Hong Lei"]
    assert any(q["quote"].startswith("China maintains that the Security Council") for q in hong_lei)
    assert all(q["speaker"] != "Nate Thayer" for q in record["quotes"])  # the author quotes


def test_extract_a_transcript_maps_quotes_into_the_document_text():
    result = invoke("extract", str(ZHAO), "--url", ZHAO_URL)
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    assert record["kind"] == "transcript" and record["turns"][0]["speaker"] == "Reuters"
    payne = [q for q in record["quotes"] if q["speaker"] == "Marise Payne"]
    assert payne and payne[0]["quote"].startswith("some countries are using the pandemic")
    for quote in record["quotes"]:
        assert record["text"][quote["start"] : quote["end"]] == quote["quote"]


def test_extract_several_pages_prints_one_object_per_line_and_reports_bad_ones():
    result = invoke("extract", str(NATE), "missing.html", str(ZHAO))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert "Error: missing.html: no such file" in lines
    objects = [json.loads(line) for line in lines if line.startswith("{")]
    assert len(objects) == 2  # the good pages are not lost


def test_extract_text_format():
    result = invoke("extract", str(NATE), "--url", NATE_URL, "--format", "text")
    assert result.exit_code == 0
    assert "Hong Lei" in result.output and "2013-01-24" in result.output


def test_add_then_search_finds_the_quoted_words(tmp_path):
    db = str(tmp_path / "a.db")
    first = invoke("add", str(NATE), "--url", NATE_URL, "--db", db)
    assert first.exit_code == 0, first.output
    assert first.output.startswith("new: ")
    again = invoke("add", str(NATE), "--url", NATE_URL, "--db", db)
    assert again.output.startswith("unchanged: ")
    found = json.loads(invoke("search", "Security Council", "--db", db, "-f", "json").output)
    assert any(r["speaker"] == "Hong Lei" and r["kind"] == "quote" for r in found)
    assert all(r["source"] == "natethayer.wordpress.com" for r in found)
    by_source = invoke(
        "search",
        "Security Council",
        "--source",
        "natethayer.wordpress.com",
        "--db",
        db,
        "-f",
        "json",
    )
    assert json.loads(by_source.output)


def test_quotes_stream():
    lines = [
        {
            "id": 1,
            "text": 'Lavrov responded that the two countries "bilateral strategic '
            'partnership of coordination has global influence".',
        },
        {"id": "b", "text": 'He called it a "tit for tat" move.'},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\nnot json\n"
    result = invoke("quotes", input=stdin)
    assert result.exit_code == 2
    assert "Error: line 3:" in result.output
    out = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [o["id"] for o in out] == [1, "b"]
    (lavrov,) = out[0]["quotes"]
    assert lavrov["kind"] == "partial" and lavrov["speaker"] == "Sergey Lavrov"
    text = lines[0]["text"]
    assert text[lavrov["start"] : lavrov["end"]] == lavrov["quote"]
    assert text[lavrov["speaker_start"] : lavrov["speaker_end"]] == "Lavrov"
    assert out[1]["quotes"] == []  # a scare quote is nobody's statement


def test_speakers_list_and_merge(archive_path):
    db = str(archive_path)
    listed = json.loads(invoke("speakers", "--format", "json", "--db", db).output)
    zhao = next(s for s in listed if s["name"] == "Zhao Lijian")
    assert zhao["kind"] == "person" and zhao["statements"] >= 10
    assert "Lijian Zhao" in zhao["aliases"]
    outlets = json.loads(
        invoke("speakers", "--kind", "organization", "-f", "json", "--db", db).output
    )
    assert any(s["name"] == "Reuters" for s in outlets)
    merged = invoke("speakers", "merge", "Zhao Lijian", "Hua Chunying", "--db", db)
    assert merged.exit_code == 0, merged.output
    after = json.loads(invoke("speakers", "--format", "json", "--db", db).output)
    assert not any(s["name"] == "Hua Chunying" for s in after)
    joined = next(s for s in after if s["name"] == "Zhao Lijian")
    assert joined["statements"] == zhao["statements"] + next(
        s["statements"] for s in listed if s["name"] == "Hua Chunying"
    )
    assert "Hua Chunying" in joined["aliases"]
    unknown = invoke("speakers", "merge", "Zhao Lijian", "Nobody Atall", "--db", db)
    assert unknown.exit_code == 2 and "no speaker called 'Nobody Atall'" in unknown.output


def one_error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def test_add_stores_a_page_under_the_url_it_was_served_from(tmp_path):
    """A redirect on the page's own site is followed, and the page is archived under the URL
    that served it, as the spiders archive it."""
    db = tmp_path / "a.db"
    with FaultServer(
        {"/old-post": fault_redirect("/2013/post"), "/2013/post": fault_file(ZHAO)}
    ) as site:
        added = invoke("add", site.url + "/old-post", "--db", str(db))
        assert added.exit_code == 0, added.output
        with sqlite3.connect(db) as conn:
            assert conn.execute("SELECT url FROM documents").fetchall() == [
                (site.url + "/2013/post",)
            ]


def test_add_refuses_a_redirect_off_the_site(tmp_path):
    """A redirect to another port, or another host, is refused in one line: the other
    server is never asked, and nothing is stored under the URL that was given."""
    db = tmp_path / "a.db"
    with FaultServer({"/post": fault_file(NATE)}) as other:
        port = other.url.rsplit(":", 1)[1]
        routes = {
            "/to-port": fault_redirect(other.url + "/post"),
            "/to-host": fault_redirect(f"http://localhost:{port}/post"),
        }
        with FaultServer(routes) as site:
            for path in routes:
                for args in (["add", "--db", str(db)], ["extract"]):
                    result = invoke(*args, site.url + path)
                    line = one_error_line(result)
                    assert "redirects off the site to" in line and f":{port}/post" in line, line
        assert sum(other.hits.values()) == 0, other.hits
    assert not db.exists()


def test_url_options_must_be_http_urls(tmp_path):
    db = tmp_path / "a.db"
    urls = tmp_path / "urls.txt"
    urls.write_text("not a url\n")
    for args in (
        ["extract", str(NATE), "--url", "not a url"],
        ["add", str(NATE), "--url", "not a url", "--db", str(db)],
        ["add", str(NATE), "--url", "ftp://example.org/post", "--db", str(db)],
        ["add", str(NATE), "--url", "https://", "--db", str(db)],
        ["add", str(NATE), "--urls", str(urls), "--db", str(db)],
    ):
        line = one_error_line(invoke(*args))
        assert "is not an http(s) URL" in line, (args, line)
    assert not db.exists()
