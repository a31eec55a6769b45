"""Print the date evidence a person would look at on one page (reviewing aid).

Shows the page URL, title, date-ish meta tags, JSON-LD dates, <time> elements and the
first date-like strings of the visible text with their context.  It decides nothing:
the gold date is chosen by the reviewer who reads this output (and the page when needed).
"""

import html
import itertools
import re
import sys
from html.parser import HTMLParser

MONTHS = (
    r"jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|"
    r"sep(?:t|tember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?|"
    r"januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|"
    r"septembre|octobre|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|"
    r"octubre|noviembre|diciembre|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|"
    r"ноября|декабря|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|novembro|dezembro|"
    r"gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre|januari|februari|maret|mei|agustus|desember"
)
DATE_RE = re.compile(
    r"(\b\d{4}[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b|"
    r"\b\d{1,2}(?:st|nd|rd|th)?\.?\s+(?:" + MONTHS + r")\.?,?\s+\d{4}\b|"
    r"\b(?:" + MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}\b|"
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}\.\s?\d{1,2}\.\s?\d{1,2}|"
    r"\b\d+\s+(?:hours?|minutes?|days?)\s+ago\b)",
    re.I,
)


class TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skip = 0
        self.parts = []
        self.times = []
        self.in_time = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript", "template"):
            self.skip += 1
        a = dict(attrs)
        if tag == "time":
            self.in_time = [a.get("datetime") or a.get("content"), ""]
        if tag in ("p", "div", "br", "li", "h1", "h2", "h3", "tr", "span", "time", "a"):
            self.parts.append(" | " if tag not in ("span", "a", "time") else " ")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript", "template") and self.skip:
            self.skip -= 1
        if tag == "time" and self.in_time is not None:
            self.times.append(self.in_time)
            self.in_time = None

    def handle_data(self, d):
        if self.skip:
            return
        self.parts.append(d)
        if self.in_time is not None:
            self.in_time[1] += d


def decode(b):
    m = re.search(rb'charset=["\']?([\w-]+)', b[:4000], re.I)
    enc = m.group(1).decode() if m else "utf-8"
    try:
        return b.decode(enc, "replace")
    except LookupError:
        return b.decode("utf-8", "replace")


def evidence(path, nvis=7):
    with open(path, "rb") as f:
        b = f.read()
    if path.endswith(".gz"):
        import gzip

        b = gzip.decompress(b)
    s = decode(b)
    out = []

    def first(pats):
        for p in pats:
            m = re.search(p, s, re.I)
            if m:
                return html.unescape(m.group(1))

    url = first(
        [
            r'<link[^>]+rel=["\']canonical["\'][^>]*href=["\']([^"\']+)',
            r'<link[^>]+href=["\']([^"\']+)["\'][^>]*rel=["\']canonical',
            r'<meta[^>]+property=["\']og:url["\'][^>]*content=["\']([^"\']+)',
            r'<meta[^>]+content=["\']([^"\']+)["\'][^>]*property=["\']og:url',
        ]
    )
    title = first([r"<title[^>]*>(.*?)</title>"])
    lang = first([r'<html[^>]*\blang=["\']?([\w-]+)'])
    out.append(f"URL {url}\nLANG {lang}  SIZE {len(b)}\nTITLE {(title or '').strip()[:150]}")
    for m in re.finditer(r"<meta\b[^>]*>", s, re.I):
        t = m.group(0)
        key = re.search(r'(?:name|property|itemprop|http-equiv)=["\']([^"\']+)', t, re.I)
        if key and re.search(
            r"(date|time|publish|modified|created|issued|updated|pdate|dc\.)", key.group(1), re.I
        ):
            out.append("META " + re.sub(r"\s+", " ", t)[:220])
    seen = set()
    for m in re.finditer(
        r'"(datePublished|dateModified|dateCreated|uploadDate|publishDate|published_at|pubDate|firstPublished|displayDate|publication_date)"\s*:\s*"([^"]{4,40})"',
        s,
    ):
        if m.group(0) in seen or len(seen) >= 6:
            continue
        seen.add(m.group(0))
        out.append(f"JSON {m.group(1)}={m.group(2)}")
    p = TextParser()
    try:
        p.feed(s)
    except Exception as e:
        out.append(f"PARSE-ERROR {e}")
    for dt, tx in p.times[:6]:
        tx = re.sub(r"\s+", " ", tx).strip()[:80]
        out.append(f"TIME datetime={dt} text={tx}")
    for m in re.finditer(
        r'<[^>]+(?:class|id|itemprop)=["\'][^"\']*(?:date|byline|posted|published|timestamp|dateline|meta-time|pubtime|time)[^"\']*["\'][^>]*>',
        s,
        re.I,
    ):
        seg = s[m.start() : m.start() + 400]
        txt = re.sub(r"<[^>]+>", " ", seg)
        txt = re.sub(r"\s+", " ", html.unescape(txt)).strip()
        if DATE_RE.search(txt):
            out.append("CLS " + re.sub(r"\s+", " ", m.group(0))[:90] + " => " + txt[:140])
            if sum(1 for o in out if o.startswith("CLS")) >= 6:
                break
    text = re.sub(r"\s+", " ", "".join(p.parts))
    text = re.sub(r"(\s*\|\s*)+", " | ", text)
    # title position in text
    for m in itertools.islice(DATE_RE.finditer(text), nvis):
        ctx = text[max(0, m.start() - 70) : m.end() + 50]
        out.append(f"VIS@{m.start() * 100 // max(1, len(text))}% …{ctx}…")
    return "\n".join(out)


if __name__ == "__main__":
    for f in sys.argv[1:]:
        print("=" * 8, f)
        print(evidence(f))
