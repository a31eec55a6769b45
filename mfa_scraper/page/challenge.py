"""Anti-bot challenge pages: recognise them so they are never archived as documents.

Some sites (mid.ru among them) answer a plain HTTP client not with the page but
with a small HTML page whose script computes a token, sets a cookie and reloads;
a browser passes through in a second, a crawler sees the stub forever. Archived,
such a stub would be a document of no words; ignored, the crawl would "succeed"
with nothing. :func:`detect_challenge` tells it apart from a real page so the
spider can stop and say why.

Recognised: vendor markers (Cloudflare, DDoS-Guard, ServicePipe, Qrator, Variti,
Sucuri, StormWall), the "Checking your browser" family of texts and mid.ru's
"Data processing... Please, wait." (recognised by its words alone, whatever its
script does), and the generic shape: a page with almost no text whose script
sets ``document.cookie`` and reloads or redirects. Built from the documented
shape of these challenges and from other scrapers' reports of mid.ru's; no real
challenge page of mid.ru was available (the test pages are constructed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mfa_scraper.page.encoding import decode_html
from mfa_scraper.page.html import element_text, parse_html

#: Marker (searched in the lower-cased body or headers) → vendor name.
VENDOR_MARKERS = (
    ("cf-chl", "Cloudflare"),
    ("challenge-platform", "Cloudflare"),
    ("cf_chl_opt", "Cloudflare"),
    ("__cf_bm", "Cloudflare"),
    ("ddos-guard", "DDoS-Guard"),
    ("__ddg", "DDoS-Guard"),
    ("servicepipe", "ServicePipe"),
    ("qrator", "Qrator"),
    ("variti", "Variti"),
    ("sucuri_cloudproxy", "Sucuri"),
    ("stormwall", "StormWall"),
)
#: Response headers that name a vendor on their own (``cf-mitigated: challenge``).
HEADER_MARKERS = (
    ("cf-mitigated", "Cloudflare"),
    ("x-ddos-guard", "DDoS-Guard"),
)
#: Visible texts of challenge pages.
CHALLENGE_TEXTS = re.compile(
    r"checking (?:your|if the site connection is secure|the browser)|just a moment\.\.\."
    r"|ddos protection by|please (?:enable|turn on) (?:javascript|cookies)"
    r"|enable javascript and cookies to continue|verifying you are human"
    r"|проверка браузера|пожалуйста, подождите"
    # mid.ru's page, as other scrapers of the site report it: "Data processing... Please, wait."
    r"|data processing\W{0,5}please,? wait|обработка данных",
    re.IGNORECASE,
)
#: A script that sets a cookie and reloads or goes elsewhere: the generic shape.
COOKIE_SCRIPT = re.compile(r"document\.cookie\s*=", re.IGNORECASE)
RELOAD_SCRIPT = re.compile(
    r"location\.reload|location\.(?:href|replace)|window\.location\s*=|document\.location\s*=",
    re.IGNORECASE,
)
#: A page with less visible text than this is a stub, not an article or a listing.
MAX_STUB_TEXT = 600
#: Bodies larger than this are real pages whatever their scripts do (ad/analytics cookies).
MAX_STUB_BYTES = 64 * 1024


@dataclass
class Challenge:
    """A recognised challenge: the vendor (or ``"unknown"``) and what gave it away."""

    vendor: str
    evidence: str


def _header(headers: Any, name: str) -> str:
    if headers is None:
        return ""
    value = headers.get(name) if hasattr(headers, "get") else None
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else b""
    return value.decode("latin-1") if isinstance(value, bytes) else str(value)


def detect_challenge(body: bytes | str, status: int = 200, headers: Any = None) -> Challenge | None:
    """The challenge ``body`` is, or ``None`` for a real page.

    Args:
        body: the response body.
        status: the HTTP status (challenges come as 200, 403, 429 or 503).
        headers: the response headers (a mapping; Scrapy's ``Headers`` works).
    """
    for name, vendor in HEADER_MARKERS:
        value = _header(headers, name).lower()
        if value and (name != "cf-mitigated" or "challenge" in value):
            return Challenge(vendor, f"header {name}: {value}")
    data = body if isinstance(body, bytes) else body.encode("utf-8", "replace")
    if len(data) > MAX_STUB_BYTES:
        return None
    html = decode_html(data)
    tree = parse_html(html)
    text = " ".join(element_text(tree).split()) if tree is not None else ""
    if len(text) > MAX_STUB_TEXT:
        return None
    lowered = html.lower()
    server = _header(headers, "server").lower()
    for marker, vendor in VENDOR_MARKERS:
        if marker in lowered or marker in server:
            return Challenge(vendor, f"marker {marker!r} on a page of {len(text)} characters")
    said = CHALLENGE_TEXTS.search(text)
    if said:
        return Challenge("unknown", f"text {said.group(0)!r}")
    if COOKIE_SCRIPT.search(html) and RELOAD_SCRIPT.search(html):
        return Challenge("unknown", "a script that sets a cookie and reloads, on a page of no text")
    if status in (403, 429, 503) and "<script" in lowered and len(text) < 100:
        return Challenge("unknown", f"status {status} with a script and no text")
    return None
