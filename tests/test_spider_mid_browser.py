"""``scrapy crawl mid -a browser=1`` gets past a JavaScript challenge that stops plain HTTP.

A loopback server plays mid.ru as it answers crawlers: a request without the challenge cookie
gets the constructed challenge (a page with no text whose script sets ``__js_p_`` and reloads,
with HTTP 403 as DDoS-protection services send it); only a request carrying the cookie gets the
constructed mid.ru-like pages of tests/pages/browser/mid.ru. Nothing here is a capture of
mid.ru (no real page was available): what is tested is that the browser path runs a challenge
script, keeps its cookie, archives the real pages with title, date and text, and that the plain
path stops and names the browser option instead.

The browser crawl needs the ``[browser]`` extra and Debian's Chromium (``.ci/run`` installs
both); without them it is skipped, saying which is missing. The plain crawl always runs.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from scrapy.exceptions import UsageError
from scrapy.settings import Settings

from archive.store import open_readonly
from mfa_scraper import browser
from mfa_scraper.browser import CHROMIUM, missing_requirement
from mfa_scraper.mirror import MirrorHandler
from mfa_scraper.page.feeds import parse_sitemap
from mfa_scraper.spiders.mid import MidSpider

ROOT = Path(__file__).parent.parent
PAGES = Path(__file__).parent / "pages"
#: The constructed pages behind the challenge.
SITE = PAGES / "browser" / "mid.ru"
#: The constructed generic challenge: sets the cookie ``__js_p_`` and reloads after 1.1 s.
CHALLENGE = PAGES / "mirror" / "mid.ru" / "en" / "foreign_policy" / "news" / "index.html"
COOKIE = "__js_p_="
#: A challenge no script passes: it wants a person (constructed, DDoS-Guard's shape).
CAPTCHA = PAGES / "challenge" / "ddos-guard.html"
DOCUMENTS = {
    "https://mid.ru/en/foreign_policy/news/1938001/": (
        "Consular consultations with Examplia",
        "2024-03-14",
    ),
    "https://mid.ru/en/press_service/spokesman/briefings/1937900/": (
        "Briefing by the Foreign Ministry Spokesperson on current foreign policy issues",
        "2024-03-13",
    ),
    "https://mid.ru/en/press_service/minister_speeches/1937800/": (
        "Opening remarks at a meeting with students of the Diplomatic Academy",
        "2024-03-12",
    ),
    "https://mid.ru/en/press_service/spokesman/briefings/1937500/": (
        "Briefing by Foreign Ministry Spokeswoman Maria Zakharova, Moscow, March 6, 2024",
        "2024-03-06",
    ),
    "https://mid.ru/en/press_service/minister_speeches/1937600/": (
        "Foreign Minister Sergey Lavrov’s remarks and answers to media questions following "
        "talks with the Foreign Minister of Examplia",
        "2024-03-07",
    ),
    # listed only in the sitemap (robots.txt is answered 404 here: /sitemap.xml is read)
    "https://mid.ru/en/foreign_policy/news/1937950/": (
        "Cultural cooperation programme with Examplia signed",
        "2024-03-11",
    ),
}


@dataclass
class Served:
    """What the server answered, per URL path: the challenge or the page."""

    #: Serve this challenge to every request, cookie or not (a challenge that wants a person).
    always: Path | None = None
    challenges: Counter[str] = field(default_factory=Counter)
    pages: Counter[str] = field(default_factory=Counter)
    agents: set[str] = field(default_factory=set)


class ChallengeHandler(MirrorHandler):
    """The mirror, behind a cookie challenge: no ``__js_p_`` cookie, no page."""

    served: Served

    def __init__(self, *args, served: Served, **kwargs) -> None:
        self.served = served
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:  # noqa: N802 - base class name
        path = unquote(urlsplit(self.path).path)
        self.served.agents.add(self.headers.get("User-Agent") or "")
        if path == "/robots.txt":
            self.send_error(404)
        elif self.served.always or COOKIE not in (self.headers.get("Cookie") or ""):
            self.served.challenges[path] += 1
            body = (self.served.always or CHALLENGE).read_bytes()
            self.send_response(403)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
        else:
            self.served.pages[path] += 1
            super().do_GET()


@pytest.fixture
def challenged_site() -> Iterator[tuple[str, Served]]:
    """The constructed site behind its challenge on loopback: its base URL and its log."""
    served = Served()
    handler = partial(ChallengeHandler, directory=str(SITE), overrides={}, served=served)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", served
    finally:
        server.shutdown()
        server.server_close()


def crawl(db: Path, base: str, *args: str) -> subprocess.CompletedProcess:
    """``scrapy crawl mid`` of ``base`` into ``db``, as a user runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "mid", "-a", f"base_url={base}", *args],
        cwd=ROOT,
        env={**os.environ, "ARCHIVE_DB": str(db)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return result


def test_plain_crawl_stops_at_the_challenge_and_names_the_browser_option(challenged_site, tmp_path):
    base, served = challenged_site
    db = tmp_path / "archive.db"
    result = crawl(db, base)
    assert "with a JavaScript challenge" in result.stderr
    assert "scrapy crawl mid -a browser=1" in result.stderr
    assert "'finish_reason': 'js_challenge'" in result.stderr
    assert served.challenges and not served.pages
    assert open_readonly(db).execute("SELECT count(*) FROM documents").fetchone()[0] == 0


def test_missing_browser_is_one_line_before_the_crawl(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "mid", "-a", "browser=1", "-s",
         'PLAYWRIGHT_LAUNCH_OPTIONS={"executable_path": "/nonexistent/chromium"}'],
        cwd=ROOT,
        env={**os.environ, "ARCHIVE_DB": str(tmp_path / "archive.db")},
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    expected = missing_requirement("/nonexistent/chromium")
    assert expected and expected in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_extra_names_the_extra_to_install(monkeypatch):
    monkeypatch.setattr(browser.importlib.util, "find_spec", lambda name: None)
    problem = missing_requirement(CHROMIUM)
    assert problem and "pip install 'mfa-archive[browser]'" in problem
    with pytest.raises(UsageError, match=r"scrapy-playwright, which is not installed"):
        MidSpider.check_settings(Settings(), browser="1")
    MidSpider.check_settings(Settings(), browser="0")  # plain HTTP needs nothing


browser_missing = missing_requirement(CHROMIUM)


@pytest.mark.skipif(browser_missing is not None, reason=str(browser_missing))
def test_browser_crawl_passes_the_challenge_and_archives_the_documents(challenged_site, tmp_path):
    base, served = challenged_site
    db = tmp_path / "archive.db"
    result = crawl(db, base, "-a", "browser=1")
    assert "'finish_reason': 'finished'" in result.stderr, result.stderr[-4000:]
    assert "JavaScript challenge" not in result.stderr
    # The browser met the challenge, ran its script, and came back with the cookie.
    assert served.challenges
    assert set(served.pages) >= {urlsplit(url).path for url in DOCUMENTS}
    # The browser still says who crawls: the project's user agent, not "HeadlessChrome".
    assert served.agents and all(a.startswith("mfa-archive/") for a in served.agents)

    rows = open_readonly(db).execute("SELECT url, title, date, text FROM documents").fetchall()
    archived = {url: (title, date[:10], text) for url, title, date, text in rows}
    assert set(archived) == set(DOCUMENTS)
    for url, (title, day) in DOCUMENTS.items():
        assert archived[url][:2] == (title, day)
        assert "Examplia" in archived[url][2] and "Please enable JavaScript" not in archived[url][2]

    search = subprocess.run(
        [sys.executable, "-m", "archive", "search", "Examplia", "--source", "mid",
         "--format", "json", "--db", str(db)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert search.returncode == 0, search.stderr
    found = json.loads(search.stdout)
    assert {hit["url"] for hit in found} == set(DOCUMENTS)


def test_browser_setting_switches_the_path_too(challenged_site, tmp_path):
    """``-s ARCHIVE_BROWSER=1`` is the same switch as ``-a browser=1``."""
    if browser_missing is not None:
        pytest.skip(browser_missing)
    base, _ = challenged_site
    db = tmp_path / "archive.db"
    result = crawl(db, base, "-s", "ARCHIVE_BROWSER=1", "-a",
                   f"start_urls={base}/en/press_service/minister_speeches/")  # fmt: skip
    assert "'finish_reason': 'finished'" in result.stderr, result.stderr[-4000:]
    urls = {r[0] for r in open_readonly(db).execute("SELECT url FROM documents")}
    assert urls == {  # that listing's documents only: no sitemaps with start_urls
        "https://mid.ru/en/press_service/minister_speeches/1937800/",
        "https://mid.ru/en/press_service/minister_speeches/1937600/",
    }


def test_browser_crawl_stops_at_a_challenge_it_cannot_pass(challenged_site, tmp_path):
    """A challenge that wants a person ends the browser crawl too, saying so, archiving nothing."""
    if browser_missing is not None:
        pytest.skip(browser_missing)
    base, served = challenged_site
    served.always = CAPTCHA
    db = tmp_path / "archive.db"
    result = crawl(db, base, "-a", "browser=1", "-s", "ARCHIVE_BROWSER_TIMEOUT=2")
    assert "with a JavaScript challenge (DDoS-Guard" in result.stderr
    assert "Headless Chromium did not get past it in 2 s" in result.stderr
    assert "'finish_reason': 'js_challenge'" in result.stderr
    assert open_readonly(db).execute("SELECT count(*) FROM documents").fetchone()[0] == 0


#: What Chromium hands over for an XML document without a stylesheet (seen with Debian's
#: Chromium and scrapy-playwright: the viewer page, the document's tree inside it).
VIEWER_PAGE = (
    b'<html xmlns="http://www.w3.org/1999/xhtml"><head><style id="xml-viewer-style">'
    b"#webkit-xml-viewer-source-xml { display: none; }</style></head><body>"
    b'<div id="webkit-xml-viewer-source-xml"><!-- a comment --><urlset '
    b'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n  <url><loc>https://mid.ru/en/'
    b"foreign_policy/news/1937950/</loc><lastmod>2024-03-11T16:30:00+03:00</lastmod></url>\n"
    b'</urlset></div><div class="header"><span>This XML file does not appear to have any '
    b"style information associated with it.</span></div></body></html>"
)


def test_sitemap_inside_chromiums_xml_viewer():
    sitemap = parse_sitemap(browser.xml_in_viewer(VIEWER_PAGE), "https://mid.ru/sitemap_en.xml")
    assert [e.url for e in sitemap.entries] == ["https://mid.ru/en/foreign_policy/news/1937950/"]
    assert browser.xml_in_viewer(b"<html><body><p>A page.</p></body></html>") is None


class RobotsHandler(ChallengeHandler):
    """The challenged site, with its robots.txt served to anyone (as the crawl's own fetch
    of robots.txt, which does not go through the browser, needs it)."""

    def do_GET(self) -> None:  # noqa: N802 - base class name
        if unquote(urlsplit(self.path).path) == "/robots.txt":
            MirrorHandler.do_GET(self)
        else:
            super().do_GET()


def test_browser_crawl_reads_the_sitemaps_past_the_challenge(tmp_path):
    """Through Chromium, robots.txt still forbids the paging and the sitemaps (shown by the
    browser as its XML viewer) still list the document past the first listing page."""
    if browser_missing is not None:
        pytest.skip(browser_missing)
    served = Served()
    handler = partial(RobotsHandler, directory=str(SITE), overrides={}, served=served)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    db = tmp_path / "archive.db"
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        result = crawl(db, base, "-a", "browser=1", "-a", "since=2024-01-01")
    finally:
        server.shutdown()
        server.server_close()
    assert "'finish_reason': 'finished'" in result.stderr, result.stderr[-4000:]
    assert "'mid/robots_forbidden': 3" in result.stderr
    assert served.challenges and "/sitemap_en.xml" in served.pages
    urls = {r[0] for r in open_readonly(db).execute("SELECT url FROM documents")}
    assert urls == set(DOCUMENTS)
