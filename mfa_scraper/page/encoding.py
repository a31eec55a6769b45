"""Bytes of a page → text, the way browsers do it (WHATWG Encoding Standard, simplified).

Ministry pages often come without a charset header, declare it only in a meta
tag, or use legacy encodings (GBK on older Chinese pages, windows-1251 on
Russian ones). :func:`decode_html` never raises on bad bytes.
"""

from __future__ import annotations

import codecs
import re

#: Byte-order marks, checked before anything else because they are unambiguous.
BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Declared charsets read as their supersets, as browsers do (WHATWG Encoding standard):
#: pages labelled GB2312 or Latin-1 routinely contain GBK or windows-1252 characters.
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "iso-8859-1": "windows-1252",
    "latin-1": "windows-1252",
    "latin1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "iso-8859-9": "windows-1254",
    "tis-620": "windows-874",
    "x-sjis": "shift_jis",
    "unicode": "utf-8",
}

#: Undeclared, non-UTF-8 pages are tried in these encodings; each must decode strictly and
#: yield mostly letters of the script it stands for (see :func:`_plausible`).
FALLBACK_ENCODINGS = (
    ("gb18030", re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")),
    ("windows-1251", re.compile(r"[\u0400-\u04ff«»—–“”„…№]")),
)

CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
XML_DECLARATION_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)

#: A multi-byte UTF-8 sequence: a page without a single one is not UTF-8, whatever it says.
UTF8_SEQUENCE_RE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
HIGH_BYTE_RE = re.compile(rb"[\x80-\xff]")
LONE_HIGH_BYTE_RE = re.compile(rb"(?<![\x80-\xff])[\x80-\xff](?![\x80-\xff])")
#: Share of undecodable bytes a page declared UTF-8 may have and still be read as UTF-8:
#: one stray Latin-1 byte in a footer must not turn the whole page into mojibake.
MAX_REPLACED_SHARE = 0.001


def decode_html(data: str | bytes, encoding: str | None = None) -> str:
    """Text of a page from its bytes: BOM, then the HTTP or ``<meta>`` charset, then UTF-8,
    then GBK and windows-1251 if they read as Chinese or Russian, then windows-1252.

    Args:
        data: the body as received (a ``str`` is returned unchanged).
        encoding: the charset of the HTTP ``Content-Type`` header, if it gave one.

    Never raises: the last resort is UTF-8 with replacement characters.
    """
    if isinstance(data, str):
        return data
    for bom, bom_encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(bom_encoding, errors="replace")
    declared = _charset_name(encoding) if encoding else None
    declared = declared or _declared_charset(data)
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    text = data.decode(declared or "utf-8", errors="replace")
    if (
        declared in (None, "utf-8")
        and UTF8_SEQUENCE_RE.search(data)
        and text.count("\ufffd") <= MAX_REPLACED_SHARE * len(text)
    ):
        return text
    paired = _paired_high_bytes(data)
    for encoding, script_re in FALLBACK_ENCODINGS:
        if not paired:  # Chinese and Russian both come as runs of high bytes
            break
        try:
            candidate = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _plausible(candidate, script_re):
            return candidate
    return data.decode("windows-1252", errors="replace")


def _declared_charset(data: bytes) -> str | None:
    match = CHARSET_RE.search(data[:4096])
    if not match:
        return None
    return _charset_name(match.group(1).decode("ascii", "ignore"))


def _charset_name(label: str) -> str | None:
    """Python's codec name for a charset label, read as its superset; None if unknown."""
    label = label.strip().lower()
    label = CHARSET_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _paired_high_bytes(data: bytes) -> bool:
    """True when bytes >= 0x80 come in runs, as in GBK (two per character) or windows-1251
    (whole Cyrillic words), rather than alone between ASCII letters, as in Latin text:
    "Sánchez" in windows-1252 also decodes as GBK, into a Chinese character."""
    high = len(HIGH_BYTE_RE.findall(data))
    return high > 0 and len(LONE_HIGH_BYTE_RE.findall(data)) <= 0.2 * high


def _plausible(text: str, script_re: re.Pattern[str]) -> bool:
    """Most non-ASCII characters belong to the expected script."""
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return non_ascii > 0 and len(script_re.findall(text)) >= 0.8 * non_ascii
