"""Build pages/*.html.gz and gold.jsonl from the reviewer's decision tables.

Decision tables (tab-separated, written by hand while reading each page):
  decisions_aeb.tsv     scrapinghub benchmark pages: sha-prefix, date|null, doubtful(0/1), evidence
  decisions_shared.tsv  /work/shared fixtures and mirror pages: path, date|null, doubtful, evidence
  decisions_github.tsv  pages read from public GitHub repositories with the search tool:
                        key, repo, path, commit, url, lang, date|null, doubtful, evidence
The GitHub pages' text was copied from the index (read_file) into src2/<key>.json (a JSON string);
it is written as UTF-8.  Run:  python3 tools/assemble.py
"""

import glob
import gzip
import hashlib
import json
import os
import re
import sys
from urllib.parse import urlparse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SHARED = "/work/shared"
sys.path.insert(0, HERE)

LANG_OVERRIDE = {  # page language where <html lang> is missing or wrong (checked by reading)
    "57b4dafd": "de",
    "ba07d1e6": "de",  # blog.comwrap.com: German posts, lang="en"
    "f81c6c05": "en",
    "fde930b0": "en",  # businessinsider.de: English articles, lang="de"
    "11ea381a": "pt",
    "cc03ddb5": "pt",
    "f6ac15a4": "pt",
}
SITE_OVERRIDE = {  # pages without canonical/og:url: site read from the page
    "0ec95c72": "entermedia.co.kr",
    "9da36ae4": "entermedia.co.kr",
    "5ae11e58": "ascom.com",
    "c69e539d": "ascom.com",
    "c00962aa": "thespacereview.com",
    "d90bda7e": "panarmenian.net",
    "ff0f958a": "vse-diety.com",
}
URL_OVERRIDE = {
    "9eef8162": "https://www.msn.com/en-us/Health/other/the-man-whose-duvet-nearly-killed-him-how-this-medical-mystery-was-solved/ar-BBWXwNX"
}


def site_of(url):
    h = urlparse(url).netloc.lower().split(":")[0]
    return h[4:] if h.startswith("www.") else h


def page_url_lang(b):
    s = b.decode("utf-8", "replace")
    url = None
    for p in [
        r'<link[^>]+rel=["\']canonical["\'][^>]*href=["\']([^"\']+)',
        r'<link[^>]+href=["\']([^"\']+)["\'][^>]*rel=["\']canonical',
        r'<meta[^>]+property=["\']og:url["\'][^>]*content=["\']([^"\']+)',
        r'<meta[^>]+content=["\']([^"\']+)["\'][^>]*property=["\']og:url',
    ]:
        m = re.search(p, s, re.I)
        if m and m.group(1).startswith("http"):
            url = m.group(1).strip()
            break
    m = re.search(r'<html[^>]*\blang=["\']?([A-Za-z]+)', s, re.I)
    return url, (m.group(1).lower() if m else None)


SPLIT_OVERRIDE = {"en.kremlin.ru": "test"}  # the two large government sites go one to each split


def split_of(site):
    if site in SPLIT_OVERRIDE:
        return SPLIT_OVERRIDE[site]
    return "dev" if int(hashlib.sha1(site.encode()).hexdigest(), 16) % 10 < 7 else "test"


FOUND_URL = {  # /work/main/tests/pages/found/PROVENANCE.md
    "mfa_en_t20240530_11347742_press_conference_2024-04-22_wang_wenbin.html": "https://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/202405/t20240530_11347742.html",
    "mfa_en_t20241017_11509439_press_conference_2024-10-17_mao_ning_filed_under_fyrbt.html": "https://www.fmprc.gov.cn/eng/xw/fyrbt/202410/t20241017_11509439.html",
    "mfa_en_t20250430_11614172_press_conference_2025-04-30_guo_jiakun.html": "https://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/202504/t20250430_11614172.html",
    "en_t20240530_11347616_press_conference_2023-10-17_mao_ning_current_layout.html": "https://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/202405/t20240530_11347616.html",
    "mid_ru_root_redirect_to_home.html": "http://www.mid.ru/",
}


def shared_url(path):
    p = path.split("/")
    if path.startswith("mirror/"):
        return (
            "https://" + path[len("mirror/") :]
            if "fmprc" in path
            else "http://" + path[len("mirror/") :]
        )
    name = p[-1]
    if p[1] == "kremlin":
        if name.startswith("news_"):
            nid = name.split("_")[1]
            return f"http://en.kremlin.ru/events/president/news/{nid}" + (
                "/print" if "print" in name else ""
            )
        if "by-date" in name:
            return "http://en.kremlin.ru/events/president/news/by-date/04.07.2017"
        return "http://en.kremlin.ru/events/president/news/page/2"
    if p[1] == "mfa_cn":
        if name.startswith("en_t20251017"):
            return "https://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/202510/t20251017_11735636.html"
        m = re.match(r"(en|zh)_t(\d+)_", name)
        if m and m.group(1) == "en":
            return f"https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/t{m.group(2)}.shtml"
        if m:
            return f"https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/t{m.group(2)}.shtml"
        if name.startswith("en_t20251017"):
            return "https://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/202510/t20251017_11735636.html"
        if name.startswith("en_listing"):
            return (
                "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"
                + name.split("665403_")[1][:-5]
            )
        return "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/default.shtml"
    return None  # others carry canonical/og:url


def read_lines(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return f.readlines()


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def main():
    os.makedirs(os.path.join(ROOT, "pages"), exist_ok=True)
    rows = []

    def add(b, url, site, lang, date, doubtful, evidence, source):
        h = hashlib.sha256(b).hexdigest()[:8]
        pid = f"{site}_{h}"
        with open(os.path.join(ROOT, "pages", pid + ".html.gz"), "wb") as w:
            w.write(gzip.compress(b, mtime=0))
        rows.append(
            {
                "id": pid,
                "url": url,
                "site": site,
                "lang": lang,
                "date": None if date == "null" else date,
                "evidence": evidence,
                "doubtful": doubtful == "1",
                "split": split_of(site),
                "source": source,
            }
        )

    for line in read_lines("decisions_aeb.tsv"):
        key, date, doubtful, ev = line.rstrip("\n").split("\t")
        f = glob.glob(f"{SHARED}/bench/articles/{key}*.html")[0]
        b = read_bytes(f)
        url, lang = page_url_lang(b)
        url = URL_OVERRIDE.get(key, url)
        site = SITE_OVERRIDE.get(key) or site_of(url)
        lang = LANG_OVERRIDE.get(key) or lang or "en"
        add(b, url, site, lang, date, doubtful, ev, "scrapinghub-aeb:" + os.path.basename(f))

    for line in read_lines("decisions_shared.tsv"):
        path, date, doubtful, ev = line.rstrip("\n").split("\t")
        b = read_bytes(path if path.startswith("/") else os.path.join(SHARED, path))
        url = FOUND_URL.get(os.path.basename(path)) or shared_url(path)
        if url is None:
            url, _ = page_url_lang(b)
        lang = (
            "zh"
            if ("/web/" in path or "/zh_" in path or path.endswith("error.htm"))
            else ("ru" if "mid_ru" in path else "en")
        )
        src = (
            ("project-tests:" + path.split("/tests/pages/")[1])
            if path.startswith("/")
            else "shared:" + path
        )
        add(b, url, site_of(url), lang, date, doubtful, ev, src)

    gh = os.path.join(HERE, "decisions_github.tsv")
    if os.path.exists(gh):
        for line in read_lines("decisions_github.tsv"):
            if not line.strip() or line.startswith("#"):
                continue
            key, repo, path, commit, url, lang, date, doubtful, ev, total = line.rstrip("\n").split(
                "\t"
            )
            text = json.loads(read_bytes(os.path.join(HERE, "src2", key + ".json")))
            b = text.encode("utf-8")
            copy = (
                "exact-length"
                if len(text) == int(total)
                else f"near-verbatim ({len(text)} of {total} chars)"
            )
            add(
                b,
                url or None,
                site_of(url),
                lang,
                date,
                doubtful,
                ev,
                f"github:{repo}:{path}@{commit[:12]} [{copy}]",
            )

    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    with open(os.path.join(ROOT, "gold.jsonl"), "w", encoding="utf-8") as w:
        for r in rows:
            w.write(json.dumps(r, ensure_ascii=False) + "\n")
    keep = set(i + ".html.gz" for i in ids)
    for f in os.listdir(os.path.join(ROOT, "pages")):
        if f not in keep:
            os.remove(os.path.join(ROOT, "pages", f))
    print(len(rows), "pages")


if __name__ == "__main__":
    main()
