"""Any page → :class:`~mfa_scraper.items.Document` with its turns and quotes.

The one entry point for code that holds a page but not a spider: ``archive
extract`` and ``archive add``. Sites with their own extractor (by host) get
it; every other page goes through the generic article extractor. Then the
quote engine attributes the quotes.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from mfa_scraper.attribution.document import attribute_quotes
from mfa_scraper.items import Document
from mfa_scraper.page.article import extract_article
from mfa_scraper.page.notes import add_notes, noting
from mfa_scraper.sites.diplomat import extract_diplomat_page
from mfa_scraper.sites.kremlin import extract_kremlin_page
from mfa_scraper.sites.mfa import extract_mfa_page
from mfa_scraper.sites.mid import extract_mid_page
from mfa_scraper.sites.state import extract_state_page

#: Site extractors by host suffix: ``(body, url) -> Document``.
SITE_EXTRACTORS: dict[str, Callable[[bytes | str, str], Document]] = {
    "fmprc.gov.cn": extract_mfa_page,
    "mfa.gov.cn": extract_mfa_page,
    "state.gov": extract_state_page,
    "thediplomat.com": extract_diplomat_page,
    "kremlin.ru": extract_kremlin_page,
    "mid.ru": extract_mid_page,
}


def site_extractor(url: str) -> Callable[[bytes | str, str], Document] | None:
    """The extractor of the site serving ``url``, if the project has one for it."""
    host = (urlsplit(url).hostname or "").lower()
    for suffix, extractor in SITE_EXTRACTORS.items():
        if host == suffix or host.endswith("." + suffix):
            return extractor
    return None


def source_for(url: str) -> str:
    """A source name for a page of no known site: its host without ``www.``."""
    host = (urlsplit(url).hostname or "local").lower()
    return host.removeprefix("www.")


def extract_document(body: bytes | str, url: str, *, source: str | None = None) -> Document:
    """Extract ``body`` (the page at ``url``) and attribute the quotes in it.

    Raises:
        mfa_scraper.sites.mfa.ExtractionError: a site extractor refused the
            page (for instance the MFA's generic "removed" page).
    """
    extractor = site_extractor(url)
    with noting() as notes:  # encoding-doubtful, truncated… (mfa_scraper/page/notes.py)
        if extractor is not None:
            document = extractor(body, url)
            if source:
                document.source = source
        else:
            document = extract_article(body, url, source=source or source_for(url))
    return attribute_quotes(add_notes(document, notes))
