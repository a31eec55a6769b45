"""The browser-rendering path: pages behind a JavaScript challenge, fetched by headless Chromium.

Some sites (mid.ru) answer plain HTTP clients with a small page whose script sets a cookie and
reloads; only a client that runs the script gets the real page. With the optional ``[browser]``
extra (scrapy-playwright, which brings the ``playwright`` package) a spider can send its
requests through Debian's Chromium instead: the browser runs the challenge script, keeps the
cookie for the rest of the crawl, and hands Scrapy the page it ends on.

Why these choices:

* **Debian's Chromium, not Playwright's download.** ``playwright install`` fetches a browser
  build from outside the package registries, which does not work on the project's machines
  and CI; ``apt-get install chromium`` does. Its path is ``PLAYWRIGHT_LAUNCH_OPTIONS``'s
  ``executable_path`` (default ``/usr/bin/chromium``).
* **The browser's own request headers, the project's user agent.** scrapy-playwright by default
  sends Scrapy's headers with each navigation, so the ``User-Agent`` header would name the
  project while ``navigator.userAgent`` says "HeadlessChrome": a mismatch challenge scripts
  look for. Here the browser keeps its own headers (and its cookies), and the project's
  ``USER_AGENT`` becomes the browser context's user agent: header and script agree, and the
  site still sees who crawls.
* **Wait for the challenge to go, not for a selector.** :func:`pass_challenge` polls the page
  with the same :func:`~mfa_scraper.page.challenge.detect_challenge` the plain path uses,
  so it needs no knowledge of the site's markup and ends as soon as the real page is there.
* **Only when asked, only for the spider that asks.** The download handlers are set by the
  spider (``scrapy crawl mid -a browser=1`` or ``-s ARCHIVE_BROWSER=1``); plain HTTP stays the
  default, and a missing extra or browser is one line, not a traceback mid-crawl.
"""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from typing import Any

from scrapy.exceptions import UsageError
from scrapy.http import Response
from scrapy.settings import BaseSettings

from mfa_scraper.page.challenge import detect_challenge

#: Debian's Chromium (``apt-get install chromium``; ``.ci/run`` installs it).
CHROMIUM = "/usr/bin/chromium"
#: Headless and quiet: no sandbox (root in CI containers), no GPU, no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HANDLER = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
#: Seconds a page may take to get past its challenge before the spider gives up on it
#: (setting ``ARCHIVE_BROWSER_TIMEOUT``).
CHALLENGE_TIMEOUT = 30.0
#: Seconds between two looks at a page still showing its challenge.
POLL_INTERVAL = 0.25
#: HTTP status of the document the page ends on (``0`` when the browser does not know it).
NAVIGATION_STATUS_JS = (
    "(() => { const n = performance.getEntriesByType('navigation')[0];"
    " return n && n.responseStatus ? n.responseStatus : 0; })()"
)
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("", "0", "false", "no", "off")


def parse_flag(value: Any, name: str = "browser") -> bool:
    """A yes/no spider argument (strings by Scrapy's rules); anything else is a usage error."""
    if value is None or isinstance(value, bool):
        return bool(value)
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise UsageError(f"{name}={value!r}: use {name}=1 or {name}=0")


def executable_path(settings: BaseSettings | None = None) -> str:
    """The Chromium to launch: ``PLAYWRIGHT_LAUNCH_OPTIONS['executable_path']`` or Debian's."""
    options = settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS") if settings is not None else {}
    return str(options.get("executable_path") or CHROMIUM)


def missing_requirement(executable: str = CHROMIUM) -> str | None:
    """One line saying what the browser path lacks here, or ``None`` when it can run."""
    if importlib.util.find_spec("scrapy_playwright") is None:
        return (
            "the browser path needs scrapy-playwright, which is not installed: "
            "pip install 'mfa-archive[browser]' (from a checkout: pip install -e '.[browser]')"
        )
    if not Path(executable).is_file():
        return (
            f"the browser path needs Chromium at {executable}, which is not there: "
            "apt-get install chromium (Debian's package; 'playwright install' is not used), "
            "or point -s PLAYWRIGHT_LAUNCH_OPTIONS at another Chromium"
        )
    return None


def require_browser(executable: str = CHROMIUM) -> None:
    """Raise a one-line :class:`UsageError` when the browser path cannot run here."""
    problem = missing_requirement(executable)
    if problem:
        raise UsageError(problem)


def browser_settings(settings: BaseSettings) -> dict[str, Any]:
    """Settings that route ``meta={"playwright": True}`` requests through headless Chromium.

    Launch options given on the command line are kept, with Debian's Chromium, headless mode
    and the quiet arguments filled in where they are missing.
    """
    launch = dict(settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"))
    launch.setdefault("executable_path", CHROMIUM)
    launch.setdefault("headless", True)
    launch.setdefault("args", list(CHROMIUM_ARGS))
    return {
        "DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER},
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": launch,
        "PLAYWRIGHT_PROCESS_REQUEST_HEADERS": None,
        "PLAYWRIGHT_CONTEXTS": {"default": {"user_agent": settings.get("USER_AGENT")}},
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") or 4,
    }


def apply_browser_settings(settings: BaseSettings, priority: str = "spider") -> None:
    """Switch ``settings`` to the browser path at ``priority`` (``-s`` on the command line wins).

    Raises :class:`UsageError` first when the extra or Chromium is missing.
    """
    require_browser(executable_path(settings))
    for name, value in browser_settings(settings).items():
        settings.set(name, value, priority=priority)


async def pass_challenge(page: Any, timeout: float = CHALLENGE_TIMEOUT) -> int | None:
    """Wait until ``page`` shows no challenge; the HTTP status of the page it shows then.

    A scrapy-playwright page method (``PageMethod(pass_challenge)``). The first response of a
    challenged URL is the challenge, so the status Scrapy sees is the challenge's (403, 503):
    the status returned here is the real page's. ``None`` when the challenge is still there
    after ``timeout`` seconds: the response then carries the challenge, and the spider's check
    stops the crawl.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            ready = await page.evaluate("document.readyState") == "complete"
            html = await page.content() if ready else None
        except Exception:  # navigating: the page's context was destroyed mid-call
            html = None
        if html is not None and detect_challenge(html.encode("utf-8")) is None:
            try:
                return int(await page.evaluate(NAVIGATION_STATUS_JS))
            except Exception:  # navigated again in between: look once more
                html = None
        if loop.time() >= deadline:
            return None
        await asyncio.sleep(POLL_INTERVAL)


def browser_meta(timeout: float = CHALLENGE_TIMEOUT) -> dict[str, Any]:
    """``Request.meta`` sending one request through the browser, waiting out its challenge."""
    from scrapy_playwright.page import PageMethod

    return {
        "playwright": True,
        "playwright_page_methods": [PageMethod(pass_challenge, timeout=timeout)],
    }


def rendered(response: Response) -> bool:
    """Whether ``response`` came from the browser."""
    return "playwright" in (response.flags or [])


def final_status(response: Response) -> int:
    """The HTTP status of the page the response holds.

    For a rendered response that is the status :func:`pass_challenge` found after the
    challenge, not the challenge's own; otherwise the response's status.
    """
    if rendered(response):
        for method in response.meta.get("playwright_page_methods") or ():
            if getattr(method, "method", None) is pass_challenge:
                result = getattr(method, "result", None)
                if isinstance(result, int) and result > 0:
                    return result
    return response.status


#: Where Chromium keeps an XML document it shows as a tree (no stylesheet): the page the
#: browser path hands over for a sitemap is that viewer, the XML inside it.
XML_VIEWER_SOURCE = "webkit-xml-viewer-source-xml"


def xml_in_viewer(body: bytes) -> bytes | None:
    """The XML document inside Chromium's XML viewer page, or ``None`` when ``body`` is none.

    A sitemap fetched through the browser comes back as the viewer's HTML; its source element
    holds the document's tree, which serialises back to the XML (namespaces kept as attributes).
    """
    if XML_VIEWER_SOURCE.encode() not in body[:65536]:
        return None
    import lxml.etree
    import lxml.html

    tree = lxml.html.fromstring(body)
    for holder in tree.iter():
        if holder.get("id") == XML_VIEWER_SOURCE:
            for child in holder:
                if isinstance(child.tag, str):
                    return lxml.etree.tostring(child)
    return None
