"""Security: hostile XML, hostile queries, hostile statement text.

Off-site filtering and refused cross-host redirects are crawled for real in
test_faults.py (the other host is never asked). Here: XML external entities
and entity expansion in every feed and sitemap parser; SQL and FTS5 input
from users (always parameters, always escaped); and statement text, stored
verbatim, never rendered as markup in the terminal or in Datasette.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reliability import fuzz_settings, trial
from typer.testing import CliRunner

from archive.cli import app
from archive.exceptions import ArchiveError
from archive.search.engine import Search, search
from archive.store import Archive, open_readonly
from mfa_scraper.page import feeds
from mfa_scraper.sites import kremlin

runner = CliRunner()
SECRET = "TOP-SECRET-FILE-CONTENT"


def hostile_xml(secret_path: str) -> dict[str, bytes]:
    """Feeds and sitemaps that try to read a local file or expand entities without bound."""
    lol = "".join(
        f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" * 1 if i else "lol"}' * 1
        + ("&lol" + str(i - 1) + ";") * 9 * bool(i)
        + '">'
        for i in range(10)
    )
    return {
        "billion laughs (rss)": f'<?xml version="1.0"?><!DOCTYPE rss [{lol}]>'
        "<rss><channel><item><title>&lol9;</title><link>http://x/1</link></item></channel></rss>".encode(),
        "billion laughs (atom)": f'<?xml version="1.0"?><!DOCTYPE feed [{lol}]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol9;</title>'
        '<link href="http://x/1"/></entry></feed>'.encode(),
        "XXE file (rss)": f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret_path}">]>'
        "<rss><channel><item><title>&x;</title><link>http://x/1</link></item></channel></rss>".encode(),
        "XXE file (sitemap)": f'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file://{secret_path}">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>http://x/&x;</loc>'
        "</url></urlset>".encode(),
        "XXE file (atom)": f'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file://{secret_path}">]>'
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&x;</title><content>&x;</content>'
        '<link href="http://x/1"/></entry></feed>'.encode(),
        "parameter entity": f'<?xml version="1.0"?><!DOCTYPE rss '
        f'[<!ENTITY % p SYSTEM "file://{secret_path}"> %p;]><rss><channel/></rss>'.encode(),
        "external DTD": b'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://127.0.0.1:9/evil.dtd">'
        b"<rss><channel><item><link>http://x/1</link></item></channel></rss>",
        "quadratic blowup": (
            '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "' + "x" * 50_000 + '">]><rss><channel>'
            "<item><title>"
            + "&a;" * 50_000
            + "</title><link>http://x/1</link></item></channel></rss>"
        ).encode(),
    }


def test_feeds_and_sitemaps_refuse_entities_and_external_references(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    parsers = {
        "feeds.parse_feed": lambda b: feeds.parse_feed(b, "http://x/feed"),
        "feeds.parse_sitemap": lambda b: feeds.parse_sitemap(b, "http://x/sitemap.xml"),
        "kremlin.parse_kremlin_feed": kremlin.parse_kremlin_feed,
    }
    outcomes: Counter = Counter()
    with trial(
        "xml-entities",
        area="security",
        what="billion laughs, quadratic blowup, XXE (file://), parameter entities and external "
        "DTDs in RSS, Atom and sitemaps, through every XML parser (feeds, sitemaps, Kremlin Atom)",
    ) as row:
        for name, body in hostile_xml(str(secret)).items():
            for parser_name, parse in parsers.items():
                try:
                    result = parse(body)
                except (feeds.FeedError, kremlin.ExtractionError):
                    outcomes["refused"] += 1
                    continue
                text = repr(result)
                assert SECRET not in text, (name, parser_name)
                assert len(text) < 100_000, (name, parser_name, len(text))  # nothing expanded
                outcomes["parsed without expansion"] += 1
        row.runs = sum(outcomes.values())
        parts = ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items()))
        row.result = f"no file read, no entity expanded ({parts})"


#: Inputs made to break out of a parameter or an FTS5 string.
INJECTIONS = [
    "'; DROP TABLE statements; --",
    '" OR 1=1 --',
    "Lavrov') UNION SELECT sql FROM sqlite_master --",
    "NEAR(",
    "text:Lavrov",
    "{text}: x",
    "*",
    "^x",
    "a AND",
    "-",
    "\x00",
    "%",
    "_",
    "\\",
]


def test_user_input_is_always_a_parameter_never_sql(archive_path):
    db = open_readonly(archive_path)
    tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    outcomes: Counter = Counter()
    with trial(
        "sql-fts-injection",
        area="security",
        what="SQL and FTS5 injection strings and random Unicode as query, --speaker and "
        "--source of search (library and CLI)",
    ) as row:

        def attempt(query: str, speaker: str | None, source: str | None) -> None:
            try:
                rows = search(db, Search(query, speaker=speaker, source=source, limit=5))
                outcomes["answered"] += 1
                assert all(set(r) >= {"id", "text"} for r in rows)
            except ArchiveError:
                outcomes["refused with a message"] += 1

        for text in INJECTIONS:
            attempt(text, None, None)
            attempt("China", text, None)
            attempt("China", None, text)
            result = runner.invoke(app, ["search", text, "--db", str(archive_path), "-f", "json"])
            assert result.exit_code in (0, 2) and "Traceback" not in result.output
            outcomes["cli"] += 1

        @fuzz_settings(150)
        @given(
            query=st.text(min_size=1, max_size=30),
            speaker=st.none() | st.text(max_size=20),
            source=st.none() | st.text(max_size=10),
        )
        def attack(query: str, speaker: str | None, source: str | None) -> None:
            attempt(query, speaker, source)

        attack()
        assert db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == tables
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        row.runs = sum(outcomes.values())
        parts = ", ".join(f"{n} {k}" for k, n in sorted(outcomes.items()))
        row.result = f"no SQL error reached the user, schema unchanged ({parts})"


HOSTILE_TEXT = (
    "[bold red]restyled[/] <script>alert('x')</script> <img src=x onerror=alert(1)> "
    "\"'; DROP TABLE documents; -- {{7*7}} ${7*7}"
)


@pytest.fixture
def hostile_archive(tmp_path):
    """An archive holding one statement, speaker and title made of markup and injections."""
    path = tmp_path / "hostile.db"
    with Archive(path) as archive:
        archive.upsert_document(
            {
                "url": "https://www.fmprc.gov.cn/mfa_eng/t1.shtml?<script>",
                "source": "mfa",
                "title": HOSTILE_TEXT,
                "published": "2020-06-17",
                "text": HOSTILE_TEXT,
                "statements": [
                    {
                        "kind": "answer",
                        "text": HOSTILE_TEXT,
                        "speaker": {"name": "[blink]<b>Zhao</b>", "kind": "person"},
                    }
                ],
            }
        )
    return path


def test_statement_text_is_stored_verbatim_and_never_rendered_as_markup(hostile_archive):
    with trial(
        "markup-in-statements",
        area="security",
        what="a statement, speaker and title made of rich markup, HTML/JS, SQL and template "
        "syntax: stored, then shown by search (table, JSON), show, and Datasette pages",
    ) as row:
        checks = 0
        db = ["--db", str(hostile_archive)]
        for args in (["search", "restyled"], ["show", "1"]):
            result = runner.invoke(app, [*args, *db])
            assert result.exit_code == 0, result.output
            assert "[bold red]restyled[/]" in result.output.replace("\n", "")  # printed as text
            checks += 1
        found = json.loads(runner.invoke(app, ["search", "restyled", "-f", "json", *db]).output)
        assert found[0]["text"] == HOSTILE_TEXT  # stored verbatim
        checks += 1
        try:
            from archive.serve import DATABASE_NAME, build_datasette, prepare_archive
        except ImportError:
            pytest.skip("datasette is not installed (the [serve] extra)")
        import asyncio

        async def pages() -> list[str]:
            ds = build_datasette(prepare_archive(hostile_archive))
            paths = [
                f"/{DATABASE_NAME}/statements_view",
                f"/{DATABASE_NAME}/statements/1",
                f"/{DATABASE_NAME}/documents/1",
                f"/{DATABASE_NAME}/speakers",
                f"/{DATABASE_NAME}/statements_view?_search=restyled",
            ]
            bodies = []
            for path in paths:
                response = await ds.client.get(path)
                assert response.status_code == 200, (path, response.status_code)
                bodies.append(response.text)
            return bodies

        bodies = asyncio.run(pages())
        for body in bodies:
            assert "<script>alert('x')</script>" not in body
            assert not re.search(r"<img src=x onerror", body)
            assert "<b>Zhao</b>" not in body
            checks += 1
        assert any("&lt;script&gt;" in body for body in bodies)  # shown, escaped
        assert any("&lt;b&gt;Zhao" in body for body in bodies)
        row.runs = checks
        row.result = (
            "stored verbatim; terminal shows the markup as text; Datasette escapes it "
            "(&lt;script&gt;) on every page"
        )
