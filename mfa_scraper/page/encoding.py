"""Bytes of a page → text, decided per page by what decodes.

Ministry pages often come without a charset, declare the wrong one, or mix a
few bytes of another encoding into a footer (GBK on older Chinese pages,
windows-1251 on Russian ones). A declaration is only a hint: each candidate
encoding (the declared one, UTF-8, GB18030, Big5, Shift_JIS, windows-1251,
KOI8-R, windows-1252) decodes the page, and the text that needs the fewest
replacement characters *and* reads as one script is kept — a Chinese page
decoded as windows-1251 decodes without an error, but into Cyrillic of random
case inside words (``ДкФВ3ИХНвЅ»Ії``), which no Russian text looks like.

Where the choice was not clear (bytes that no candidate decodes, a declaration the
bytes contradict, two readings almost as plausible) the page is noted
``encoding-doubtful`` (:mod:`.notes`), so its document carries the flag and nobody
cites mojibake unawares. A charset label that is not a text encoding of the web
(``zlib``, ``idna``, ``punycode``, UTF-16 over single-byte text) is ignored and
noted ``charset-ignored``. :func:`decode_html` never raises.

``bench/encoding.py`` measures this against charset_normalizer on real pages
re-encoded every way the audit found (see BENCHMARKS.md).
"""

from __future__ import annotations

import codecs
import re
from contextlib import suppress
from dataclasses import dataclass, field
from functools import cache

from mfa_scraper.page.notes import CHARSET_IGNORED, ENCODING_DOUBTFUL, note

#: Byte-order marks, checked before anything else because they are unambiguous.
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Python codecs of the encodings a web page may declare (WHATWG Encoding Standard), each
#: read as browsers read it: GB2312 and GBK as GB18030, Latin-1 and ASCII as windows-1252,
#: Big5 as Big5-HKSCS, Shift_JIS as windows-31J, EUC-KR as windows-949.
WEB_ENCODINGS = {
    "utf-8": "utf-8",
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "hz": "gb18030",
    "big5": "big5hkscs",
    "big5hkscs": "big5hkscs",
    "cp950": "big5hkscs",
    "shift_jis": "cp932",
    "cp932": "cp932",
    "euc_jp": "euc_jp",
    "iso2022_jp": "iso2022_jp",
    "euc_kr": "cp949",
    "cp949": "cp949",
    "koi8-r": "koi8-r",
    "koi8-u": "koi8-u",
    "cp866": "cp866",
    "mac-cyrillic": "mac-cyrillic",
    "mac-roman": "mac-roman",
    "ascii": "cp1252",
    "latin-1": "cp1252",
    "iso8859-1": "cp1252",
    "iso8859-9": "cp1254",
    "tis-620": "cp874",
    "cp874": "cp874",
    **{f"iso8859-{n}": f"iso8859-{n}" for n in (2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16)},
    **{f"cp125{n}": f"cp125{n}" for n in range(9)},
}
#: Labels Python does not know but pages use.
LABEL_ALIASES = {"x-gbk": "gbk", "gb_2312-80": "gb2312", "x-sjis": "shift_jis", "unicode": "utf-8"}
#: Encodings with a NUL in every character of ASCII text: declared over bytes without NULs,
#: the label is wrong (HTML reads ``<meta charset="utf-16">`` as UTF-8).
WIDE_ENCODINGS = {"utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}

#: Encodings a page is tried in, in order of preference when two read equally well.
CANDIDATES = ("utf-8", "gb18030", "big5hkscs", "cp932", "cp1252", "cp1251", "koi8-r")

CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-:.]+)""", re.I)
_LANG_RE = re.compile(
    rb"""<html[^>]*\slang\s*=\s*["']?([A-Za-z]{2})|"""
    rb"""<meta[^>]+content-language["'][^>]*content\s*=\s*["']?([A-Za-z]{2})""",
    re.I,
)
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_HIGH_BYTES = bytes(range(0x80, 0x100))
_BOUNDARY = re.compile(rb"[\n<>]")
#: Scripts of the languages a page may declare, as the candidate that writes them.
LANGUAGE_SCRIPTS = {"zh": "han", "ja": "kana", "ru": "cyrillic", "uk": "cyrillic", "be": "cyrillic"}

#: A reading is doubtful when the runner-up scores within this much of it.
DOUBTFUL_MARGIN = 0.15
#: A reading is doubtful when fewer of its non-ASCII characters than this read as its script.
DOUBTFUL_PLAUSIBILITY = 0.7
#: A declared encoding that decodes every byte is kept without a contest when this share of
#: the non-ASCII characters it gives read as its script.
TRUSTED = 0.9
#: Bytes of a large page scored per candidate (decoded whole only in the winner).
SAMPLE_BYTES = 192 * 1024


@dataclass
class Decoded:
    """A page's text, the encoding it was read in, and what the reading noted."""

    text: str
    encoding: str
    flags: list[str] = field(default_factory=list)


def decode_html(data: str | bytes, encoding: str | None = None) -> str:
    """Text of a page from its bytes (a ``str`` is returned unchanged).

    Args:
        data: the body as received.
        encoding: the charset of the HTTP ``Content-Type`` header, if it gave one.

    The flags of :func:`decode_page` are noted for the page's document (:mod:`.notes`).
    """
    if isinstance(data, str):
        return data
    decoded = decode_page(data, encoding)
    for flag in decoded.flags:
        note(flag)
    return decoded.text


def decode_page(
    data: bytes, encoding: str | None = None, *, language: str | None = None
) -> Decoded:
    """Decode ``data``: a BOM wins; otherwise every candidate is scored (see the module).

    Args:
        data: the page's bytes.
        encoding: the HTTP charset, if any (a ``<meta>`` or XML declaration is read too).
        language: the language the page is known to be in (``zh``, ``ru``…), if known;
            else its ``<html lang>`` is read.
    """
    for bom, bom_encoding in BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(bom_encoding, errors="replace"), bom_encoding)
    flags: list[str] = []
    labels = [encoding, *_declared_labels(data)]
    declared = None
    for label in labels:
        if not label:
            continue
        name = web_encoding(label)
        if name in WIDE_ENCODINGS:
            if _wide(data):  # it is really UTF-16/32
                return Decoded(data.decode(_wide(data) or name, errors="replace"), name)
            name = None
        if name is None:
            flags.append(CHARSET_IGNORED)
            continue
        declared = name
        break
    wide = _wide(data) if declared is None else None
    if wide:  # UTF-16 or UTF-32 without a byte-order mark: NULs beside every ASCII letter
        return Decoded(data.decode(wide, errors="replace"), wide, flags)
    if not _HIGH_BYTE.search(data) and declared != "iso2022_jp":  # ASCII reads alike in all
        return Decoded(data.decode("ascii"), declared or "utf-8", flags)
    script = LANGUAGE_SCRIPTS.get((language or _declared_language(data) or "").lower())
    # valid UTF-8 needs no sample: gathering one cost as much as parsing a page of many
    # non-ASCII stretches
    sample = None if (declared or "utf-8") == "utf-8" else _sample(data)
    trusted = _trusted(data, sample, declared, script)
    if trusted:
        return Decoded(trusted[0], trusted[1], flags)
    sample = sample if sample is not None else _sample(data)
    scores = {
        name: _score(sample, name, declared=name == declared, script=script)
        for name in dict.fromkeys([*([declared] if declared else []), *CANDIDATES])
    }
    ranked = sorted(scores.items(), key=lambda item: -item[1].total)
    best, reading = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else None
    text = data.decode(best, errors="replace")
    replaced = text.count("\ufffd") - (data.count(b"\xef\xbf\xbd") if best == "utf-8" else 0)
    doubtful = (
        replaced > 0
        or reading.plausibility < DOUBTFUL_PLAUSIBILITY
        or (declared is not None and best != declared and not _same_text(sample, best, declared))
        or (
            declared is None
            and best != "utf-8"
            and runner_up is not None
            and reading.total - runner_up.total < DOUBTFUL_MARGIN
            and not _same_text(sample, best, ranked[1][0])
        )
    )
    if doubtful:
        flags.append(ENCODING_DOUBTFUL)
    return Decoded(text, best, flags)


def _trusted(
    data: bytes, sample: bytes | None, declared: str | None, script: str | None
) -> tuple[str, str] | None:
    """(text, encoding) when the page needs no contest: valid UTF-8 that declares nothing
    else, or a declared encoding that decodes every byte into text of its script (scored
    on ``sample``, given whenever the declaration is not UTF-8)."""
    expected = declared or "utf-8"
    if script and _script_of(expected) not in (None, script):
        return None
    try:
        text = data.decode(expected)
    except UnicodeDecodeError:
        return None
    if expected == "utf-8" or _plausibility((sample or b"").decode(expected), expected) >= TRUSTED:
        return text, expected
    return None


def web_encoding(label: str) -> str | None:
    """Python's codec for a charset label as browsers read it; None if it is not one a web
    page can be in (``zlib``, ``idna``, ``rot13``, an unknown name).

    UTF-16 and UTF-32 labels are returned as such; :func:`decode_page` checks the bytes.
    """
    label = label.strip().strip("\"'").lower()
    label = LABEL_ALIASES.get(label, label)
    try:
        info = codecs.lookup(label)
    except (LookupError, ValueError):
        return None
    name = info.name
    if name in WIDE_ENCODINGS:
        return name
    if not getattr(info, "_is_text_encoding", True):
        return None
    return WEB_ENCODINGS.get(name)


def _wide(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` or ``utf-32-le``/``-be`` when NULs sit where that encoding puts
    them (the high bytes of ASCII characters: every markup character) and nowhere else."""
    head = data[: 4096 - 4096 % 4]
    if len(head) < 8 or head.count(0) < len(head) // 10:
        return None
    quarter = [head[offset::4].count(0) / (len(head) // 4) for offset in range(4)]
    if min(quarter[2], quarter[3]) >= 0.9 and quarter[0] <= 0.2:
        return "utf-32-le"
    if min(quarter[0], quarter[1]) >= 0.9 and quarter[3] <= 0.2:
        return "utf-32-be"
    even = (quarter[0] + quarter[2]) / 2
    odd = (quarter[1] + quarter[3]) / 2
    if odd >= 0.3 and odd >= 4 * even:  # a character's low byte may be 0 too (言 is U+8A00)
        return "utf-16-le"
    if even >= 0.3 and even >= 4 * odd:
        return "utf-16-be"
    return None


def _declared_labels(data: bytes) -> list[str]:
    head = data[:4096]
    labels = [m.group(1).decode("ascii", "ignore") for m in CHARSET_RE.finditer(head)]
    xml = _XML_ENCODING_RE.match(head)
    if xml:
        labels.append(xml.group(1).decode("ascii", "ignore"))
    return labels[:2]


def _declared_language(data: bytes) -> str | None:
    match = _LANG_RE.search(data[:8192])
    if not match:
        return None
    return (match.group(1) or match.group(2)).decode("ascii").lower()


def _sample(data: bytes) -> bytes:
    """What to score: the stretches between tags and line breaks that hold non-ASCII bytes,
    up to :data:`SAMPLE_BYTES` (a ``<``, ``>`` or newline never falls inside a character of
    any candidate encoding, so no character is split)."""
    parts = []
    size = position = 0
    while size < SAMPLE_BYTES:
        high = _HIGH_BYTE.search(data, position)
        if high is None:
            break
        start = 1 + max(data.rfind(mark, position, high.start()) for mark in (b"\n", b"<", b">"))
        stop = _BOUNDARY.search(data, high.start())
        end = stop.start() if stop else len(data)
        parts.append(data[max(start, position) : end])
        size += end - start + 1
        position = end + 1
    return b"\n".join(parts)[:SAMPLE_BYTES]


def _same_text(sample: bytes, first: str, second: str) -> bool:
    """Whether two encodings read the sample alike (cp1251 and cp1252 agree on “ ” – —)."""
    return sample.decode(first, errors="replace") == sample.decode(second, errors="replace")


# -- scoring -----------------------------------------------------------------------------------


@dataclass
class Score:
    """How well one encoding reads a page: plausibility minus the cost of undecodable bytes."""

    plausibility: float
    errors: float
    total: float


#: Punctuation any script uses (“ ” ‘ ’ – — … · • no-break space, « » №, ° § ©).
_COMMON_PUNCTUATION = set("“”‘’–—…·•\u00a0«»№°§©®™€")
_CJK_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff01-\uff5e\u2010-\u2027\u00b7]")
#: Words of the Russian, Ukrainian and Belarusian alphabets (Serbian and Macedonian letters
#: are where UTF-8's continuation bytes land in windows-1251: ``вЂњ``).
_CYRILLIC_WORD = re.compile(r"[А-яЁёІіЇїЄєҐґЎў]{2,}")
#: Inside a word of real text a lower-case letter is not followed by a capital: mojibake of a
#: multi-byte encoding read as windows-1251 or KOI8-R is (``ДкФВ``, ``ИХНв``).
_CYRILLIC_CASE_FLIP = re.compile(r"[\u0430-\u045f][\u0400-\u042f]")
_CYRILLIC_CAPITAL = re.compile(r"[\u0400-\u042f]")
_LATIN_LETTER = re.compile(r"[À-ÖØ-öø-ÿŒœŠšŽžŸ]")
#: Runs of non-ASCII characters: Latin text has them one or two long (``Sánchez``, ``größe``),
#: a multi-byte encoding read as windows-1252 has them as long as its words (``ÄÚÕþ²¿``).
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
_KANA = re.compile(r"[\u3041-\u309f\u30a0-\u30ff]")
#: A Cyrillic letter beside a Latin one (``Sйnchez``): windows-1252 read as windows-1251.
_CYRILLIC_IN_LATIN = re.compile(r"(?<=[A-Za-z])[\u0400-\u04ff]|[\u0400-\u04ff](?=[A-Za-z])")
#: A CJK character squeezed between ASCII letters (``S醤chez``): a Latin byte read as CJK.
_CJK_IN_LATIN = re.compile(r"(?<=[A-Za-z])[\u3400-\u9fff\uac00-\ud7af](?=[A-Za-z])")
_ASCII_RUN = re.compile(r"[\x00-\x7f]+")
_PUNCTUATION_RE = re.compile("[" + re.escape("".join(sorted(_COMMON_PUNCTUATION))) + "]")
_NOT_TEXT = re.compile("[\x80-\x9f\ufffd]")


@cache
def _han(codec: str, leads: tuple[range, ...], trails: tuple[range, ...]) -> re.Pattern[str]:
    """The characters a legacy CJK encoding puts in its common planes (GB2312 hanzi, Big5's
    two levels, JIS level 1), as a character class: real text is mostly these, mojibake not."""
    found: set[str] = set()
    trail_bytes = [b for r in trails for b in r]
    for lead in (b for r in leads for b in r):
        pairs = [bytes([lead, trail]) for trail in trail_bytes]
        try:  # a whole row at once: 40 decodes instead of 4,000 (a crawl's first Chinese page)
            found.update(b"".join(pairs).decode(codec))
        except UnicodeDecodeError:  # a row with unassigned pairs: each pair alone
            for pair in pairs:
                with suppress(UnicodeDecodeError):
                    found.add(pair.decode(codec))
    return re.compile("[" + re.escape("".join(sorted(found))) + "]")


_NOTHING = re.compile(r"(?!)")


def _common_han(name: str) -> re.Pattern[str]:
    if name == "gb18030":  # GB2312 level 1: the 3755 most used hanzi
        return _han("gb2312", (range(0xB0, 0xD8),), (range(0xA1, 0xFF),))
    if name == "big5hkscs":  # Big5 level 1: the 5401 most used characters
        return _han("big5", (range(0xA4, 0xC7),), (range(0x40, 0x7F), range(0xA1, 0xFF)))
    if name in ("cp932", "euc_jp"):  # JIS X 0208 level 1
        return _han("cp932", (range(0x88, 0x99),), (range(0x40, 0x7F), range(0x80, 0xFD)))
    return _NOTHING


def _script_of(name: str) -> str | None:
    if name in ("gb18030", "big5hkscs"):
        return "han"
    if name in ("cp932", "euc_jp", "iso2022_jp"):
        return "kana"
    if name in ("cp1251", "koi8-r", "koi8-u", "cp866", "mac-cyrillic", "iso8859-5"):
        return "cyrillic"
    if name == "utf-8":
        return None
    return "latin"


def _plausibility(text: str, name: str) -> float:
    """Share of the non-ASCII characters of ``text`` that read as the script ``name`` writes."""
    non_ascii = _ASCII_RUN.sub("", text)
    total = len(non_ascii)
    if not total:
        return 1.0
    script = _script_of(name)
    if script is None:  # UTF-8: every character it decodes is one; C1 controls are not text
        return 1.0 - len(_NOT_TEXT.findall(non_ascii)) / total
    punctuation = len(_PUNCTUATION_RE.findall(non_ascii))
    if script == "cyrillic":
        words = "".join(_CYRILLIC_WORD.findall(text))
        capitals = len(_CYRILLIC_CAPITAL.findall(words))
        # Text is mostly lower case; windows-1251 read as KOI8-R (or back) is mostly capitals.
        good = len(words) - 4 * len(_CYRILLIC_CASE_FLIP.findall(text))
        good -= max(0, 2 * capitals - len(words)) + 4 * len(_CYRILLIC_IN_LATIN.findall(text))
    elif script == "latin":
        good = sum(
            len(_LATIN_LETTER.findall(run)) for run in _NON_ASCII_RUN.findall(text) if len(run) <= 2
        )
    else:
        common = len(_common_han(name).findall(non_ascii))
        cjk_punctuation = len(_CJK_PUNCTUATION.findall(non_ascii))
        good = common + cjk_punctuation - 4 * len(_CJK_IN_LATIN.findall(text))
        if script == "kana":
            kana = len(_KANA.findall(non_ascii))
            good = good + kana if kana >= 0.1 * total else good // 4
    return max(0.0, min(1.0, (good + punctuation) / total))


def _score(sample: bytes, name: str, *, declared: bool, script: str | None) -> Score:
    high = (len(sample) - len(sample.translate(None, _HIGH_BYTES))) or 1
    text = sample.decode(name, errors="replace")
    errors = (
        text.count("\ufffd") - (sample.count(b"\xef\xbf\xbd") if name == "utf-8" else 0)
    ) / high
    plausibility = _plausibility(text, name)
    total = plausibility - 4 * errors
    if declared:
        total += 0.1
    if name == "utf-8" and errors < 0.01:
        total += 0.2  # valid UTF-8 with non-ASCII text is almost never an accident
    if script and _script_of(name) not in (None, script):
        total -= 0.3
    return Score(plausibility, errors, total)
