"""Decoding benchmark: :func:`~mfa_scraper.page.encoding.decode_page` against charset_normalizer.

Real pages in Chinese (the MFA's Chinese mirror), Russian and Japanese (news pages of the
scrapinghub benchmark) and English (MFA transcripts, news with accented names) are
re-encoded every way the reliability audit met them: undeclared legacy encodings (GBK,
Big5, windows-1251, KOI8-R, Shift_JIS, windows-1252), correct declarations, wrong but
valid declarations, a stray byte, a UTF-8 page with a footer in GBK, and labels that are not
text encodings (``utf-16`` over single-byte text, ``zlib``, ``idna``). Each variant is decoded
by both; a decoding is *right* when at least 98 % of the page's non-ASCII characters come
out (as a multiset; bytes that no encoding can read may be lost), and *silent mojibake*
when it is wrong and not flagged ``encoding-doubtful`` (charset_normalizer has no flag, so
every wrong answer of it is silent).

Usage::

    python bench/encoding.py [--pages N] [--show-wrong]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mfa_scraper.page.encoding import decode_page  # noqa: E402

SHARED = next(
    (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.exists()),
    ROOT.parent / "shared",
)
ZH_MIRROR = SHARED / "mirror" / "www.fmprc.gov.cn" / "web" / "wjdt_674879" / "fyrbt_674889"
EN_MIRROR = SHARED / "mirror" / "www.fmprc.gov.cn" / "mfa_eng" / "xwfw_665399" / "s2510_665401"
ARTICLES = SHARED / "bench" / "articles"
META_CHARSET = re.compile(r"<meta[^>]+charset[^>]*>", re.I)
NATIVE = {"zh": "gbk", "ru": "cp1251", "ja": "shift_jis", "en": "cp1252"}
#: A valid declaration of the wrong encoding, per language.
WRONG = {"zh": "windows-1251", "ru": "windows-1252", "ja": "gbk", "en": "windows-1251"}


def pages(limit: int) -> Iterator[tuple[str, str, str]]:
    """(language, name, text) of real pages, their charset declarations taken out."""
    zh = sorted(ZH_MIRROR.glob("t*.shtml"))[:limit]
    en = sorted(EN_MIRROR.rglob("t*.shtml"))[: max(1, limit // 2)]
    for lang, paths in (("zh", zh), ("en", en)):
        for path in paths:
            yield lang, path.name, META_CHARSET.sub("", path.read_text("utf-8"))
    for path in sorted(ARTICLES.glob("*.html")):
        text = path.read_bytes().decode("utf-8", "replace")
        counts = {
            "ru": len(re.findall("[\u0400-\u04ff]", text)),
            "ja": len(re.findall("[\u3040-\u30ff]", text)),
            "en": len(re.findall("[À-ÿ]", text)),
        }
        lang = max(counts, key=counts.get)
        if counts[lang] > 200 and "\ufffd" not in text:
            yield lang, path.name[:12], META_CHARSET.sub("", text)


def declare(text: str, charset: str | None) -> str:
    return text if charset is None else f'<meta charset="{charset}">' + text


def variants(lang: str, text: str) -> Iterator[tuple[str, bytes, str]]:
    """(variant, bytes, the text they stand for) of one page: characters an encoding lacks
    are written as character references (``&#27979;``), as servers do."""
    native = NATIVE[lang]

    def encode(charset: str, label: str | None) -> tuple[bytes, str]:
        data = declare(text, label).encode(charset, errors="xmlcharrefreplace")
        return data, data.decode(charset)

    yield "utf-8 declared", *encode("utf-8", "utf-8")
    yield "utf-8 undeclared", *encode("utf-8", None)
    yield f"{native} undeclared", *encode(native, None)
    yield f"{native} declared", *encode(native, native)
    yield f"{native} declared utf-8", *encode(native, "utf-8")
    yield f"{native} declared {WRONG[lang]}", *encode(native, WRONG[lang])
    body, expected = encode(native, None)
    middle = body.find(b"<", len(body) // 2)
    yield f"{native} undeclared, stray byte", body[:middle] + b"\xff" + body[middle:], expected
    footer = "<p>版权所有 中华人民共和国外交部 2020</p>"
    data, expected = encode("utf-8", "utf-8")
    yield "utf-8 declared, GBK footer", data + footer.encode("gbk"), expected
    if lang == "zh":
        yield "big5 undeclared", *encode("big5", None)
    if lang == "ru":
        yield "koi8-r undeclared", *encode("koi8-r", None)
    for label in ("utf-16", "zlib", "idna", "punycode"):
        yield f"utf-8 labelled {label}", *encode("utf-8", label)


def non_ascii(text: str) -> Counter:
    return Counter(ch for ch in text if ord(ch) > 127 and ch != "\ufffd")


def right(expected: str, decoded: str) -> bool:
    want = non_ascii(expected)
    if not want:
        return True
    got = non_ascii(decoded)
    kept = sum(min(n, got[ch]) for ch, n in want.items())
    extra = sum(got.values()) - kept
    return kept >= 0.98 * sum(want.values()) and extra <= 0.02 * sum(want.values()) + 40


def ours(data: bytes) -> tuple[str, bool]:
    decoded = decode_page(data)
    return decoded.text, "encoding-doubtful" in decoded.flags


def normalizer(data: bytes) -> tuple[str, bool]:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return (str(best) if best is not None else data.decode("utf-8", "replace")), False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=40, help="Chinese pages (English: half)")
    parser.add_argument("--show-wrong", action="store_true")
    args = parser.parse_args()
    deciders: dict[str, Callable[[bytes], tuple[str, bool]]] = {
        "ours": ours,
        "charset_normalizer": normalizer,
    }
    results: dict[str, dict[str, list[int]]] = {
        name: defaultdict(lambda: [0, 0, 0, 0]) for name in deciders
    }
    seconds = Counter()
    for lang, name, text in pages(args.pages):
        for variant, data, expected in variants(lang, text):
            for decider, decode in deciders.items():
                started = time.perf_counter()
                decoded, flagged = decode(data)
                seconds[decider] += time.perf_counter() - started
                ok = right(expected, decoded)
                row = results[decider][f"{lang}: {variant}"]
                row[0] += 1
                row[1] += ok
                row[2] += flagged
                row[3] += not ok and not flagged
                if not ok and args.show_wrong:
                    print(f"  {decider} wrong on {name} ({lang}, {variant}): {decoded[:80]!r}")
    print(f"{'variant':42} " + " ".join(f"{d:>30}" for d in deciders))
    print(f"{'':42} " + " ".join(f"{'right/n flagged silent':>30}" for _ in deciders))
    for key in results["ours"]:
        cells = []
        for decider in deciders:
            n, ok, flagged, silent = results[decider][key]
            cells.append(f"{ok:>5}/{n:<4} {flagged:>7} {silent:>7}      ")
        print(f"{key:42} " + " ".join(f"{c:>30}" for c in cells))
    for decider in deciders:
        n = sum(r[0] for r in results[decider].values())
        ok = sum(r[1] for r in results[decider].values())
        silent = sum(r[3] for r in results[decider].values())
        print(
            f"{decider}: {ok}/{n} right, {silent} silent mojibake, "
            f"{1000 * seconds[decider] / n:.1f} ms per page"
        )


if __name__ == "__main__":
    main()
