"""Publication dates from titles, date lines and URLs — never from the crawl time.

Ministry titles carry the date ("…Press Conference on June 17, 2020"), but
some omit the year ("…on September 10"). Such a date is completed from
*hints*: dates of neighbouring items on the listing page that linked to it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
# "June 17, 2020", "June17, 2020", "Sept. 10", "September 10th 2018"
MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH})\.?\s*(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s*(?P<year>(?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
# "17 June 2020"
DAY_MONTH = re.compile(
    rf"\b(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH})\.?,?\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE
)
ISO_DATE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")
# Chinese: 2020年6月17日
CJK_DATE = re.compile(
    r"(?P<year>(?:19|20)\d\d)\s*年\s*(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日"
)
# Chinese without the year: "外交部发言人耿爽2月15日答记者问" (not the tail of 2018年2月15日)
CJK_MONTH_DAY = re.compile(r"(?<![年\d])(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*日")
# Russian, in the genitive: "17 июня 2020 года, 15:00" (kremlin.ru)
RUSSIAN_MONTHS = {
    stem: number
    for number, stem in enumerate(
        ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр",
         "октябр", "ноябр", "декабр"),
        start=1,
    )
}  # fmt: skip
RUSSIAN_DATE = re.compile(
    r"(?<!\d)(?P<day>\d{1,2})\s+(?P<month>января|февраля|марта|апреля|мая|июня|июля|августа|"
    r"сентября|октября|ноября|декабря)\s+(?P<year>(?:19|20)\d\d)(?!\d)",
    re.IGNORECASE,
)
# URL date: /202006/t20200617_123.html, /2020/06/17/slug, /t20200617_
URL_DATES = (
    re.compile(r"/t(?P<year>(?:19|20)\d\d)(?P<month>\d\d)(?P<day>\d\d)_"),
    re.compile(r"/(?P<year>(?:19|20)\d\d)/(?P<month>\d\d)/(?P<day>\d\d)/"),
    re.compile(r"/(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)/"),
)


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_number(month: str) -> int | None:
    """1–12 for a month written as a number, an English name or a Russian genitive."""
    if month.isdigit():
        return int(month)
    name = month.lower().rstrip(".")
    if name in MONTHS:
        return MONTHS[name]
    return RUSSIAN_MONTHS.get(name[:-1]) if name.endswith(("я", "а")) else None


def _from_match(match: re.Match[str]) -> date | None:
    month_number = _month_number(match.group("month"))
    if not month_number:
        return None
    return _make(int(match.group("year")), month_number, int(match.group("day")))


def date_in_text(text: str) -> date | None:
    """The first full date written in ``text`` (English, ISO, Chinese or Russian), if any."""
    best: tuple[int, date] | None = None
    for pattern in (MONTH_DAY, DAY_MONTH, ISO_DATE, CJK_DATE, RUSSIAN_DATE):
        for match in pattern.finditer(text):
            if pattern is MONTH_DAY and not match.group("year"):
                continue
            found = _from_match(match)
            if found and (best is None or match.start() < best[0]):
                best = (match.start(), found)
            break
    return best[1] if best else None


def month_day_in_text(text: str) -> tuple[int, int] | None:
    """A month and day written without a year ("on September 10", "2月15日"), if any."""
    for match in MONTH_DAY.finditer(text):
        if not match.group("year"):
            month = MONTHS.get(match.group("month").lower())
            day = int(match.group("day"))
            if month and 1 <= day <= 31:
                return month, day
    for match in CJK_MONTH_DAY.finditer(text):
        month, day = int(match.group("month")), int(match.group("day"))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return month, day
    return None


def complete_year(month: int, day: int, hints: Sequence[date]) -> date | None:
    """The date on ``month``/``day`` closest to the ``hints`` (dates of neighbouring items).

    Years of the hints and the years either side are tried, so a page of
    December 31 listed beside January items lands in the right year.
    """
    if not hints:
        return None
    years = {h.year + delta for h in hints for delta in (-1, 0, 1)}
    candidates = [d for d in (_make(y, month, day) for y in years) if d]
    if not candidates:
        return None
    return min(candidates, key=lambda d: min(abs((d - h).days) for h in hints))


def date_from_url(url: str) -> date | None:
    """A date written in a URL path (``/t20240715_11453678.html``, ``/2020/06/17/``)."""
    for pattern in URL_DATES:
        match = pattern.search(url)
        if match:
            found = _from_match(match)
            if found:
                return found
    return None


def parse_date_line(text: str) -> str | None:
    """An ISO date or date-time from a date line ("Updated: July 15, 2024 18:58", "2020-06-17").

    Falls back to dateparser for formats the patterns above do not know.
    """
    text = text.strip()
    if not text:
        return None
    match = re.search(r"((?:19|20)\d\d-\d\d-\d\d)[ T](\d\d:\d\d)", text)
    if match:
        return f"{match.group(1)}T{match.group(2)}"
    found = date_in_text(text)
    if found:
        time = re.search(r"\b(\d{1,2}):(\d\d)\b", text[text.find(str(found.year)) :])
        if time:
            return f"{found.isoformat()}T{int(time.group(1)):02d}:{time.group(2)}"
        return found.isoformat()
    import dateparser  # lazy: costly to import, rarely needed

    parsed: datetime | None = dateparser.parse(
        text, settings={"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"]}
    )
    return parsed.date().isoformat() if parsed else None


# --- dates written for people, in any of the archive's languages ------------------------------

#: Month names and their usual abbreviations in the languages of the pages the archive reads
#: (en, de, fr, es, pt, it, nl, id, ru: genitive and nominative). A name shared by two languages
#: means the same month in both ("mar", "mai", "set"...).
MONTH_NAMES: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            "january jan januar jänner janvier janv enero ene janeiro gennaio gen januari "
            "января январь",
            "february feb februar février fevrier févr fév fevr febrero fevereiro fev febbraio "
            "februari февраля февраль",
            "march mar märz maerz mär mrz mars marzo março marco maart mrt maret марта март",
            "april apr avril avr abril abr aprile апреля апрель",
            "may mai mayo maio maggio mag mei мая май",
            "june jun juni juin junio junho giugno giu июня июнь",
            "july jul juli juillet juil julio julho luglio lug июля июль",
            "august aug août aout agosto ago augustus agustus agu agt августа август",
            "september sep sept septembre septiembre setiembre setembro settembre set "
            "сентября сентябрь",
            "october oct oktober okt octobre octubre outubro out ottobre ott oktober "
            "октября октябрь",
            "november nov novembre noviembre novembro ноября ноябрь",
            "december dec dezember dez décembre decembre déc diciembre dic dezembro dicembre "
            "desember des декабря декабрь",
        ),
        start=1,
    )
    for name in names.split()
}
_ANY_MONTH = "|".join(sorted((re.escape(m) for m in MONTH_NAMES), key=len, reverse=True))
_YEAR = r"(?P<year>(?:19|20)\d\d)"
#: "20. Februar 2019", "le 07 Mai 2020", "25 de março de 2019", "18 ноября 2019 года",
#: "Monday, November 18th, 2019", "Mai 06 2018", "2020年6月17日", "2018. 08. 25", "2019-11-18",
#: "18.11.2019", "11/18/2019" (month first in English, day first elsewhere).
_TEXT_DATE_PATTERNS = (
    re.compile(
        rf"(?<![\w.])(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.|º)?\s*(?:de\s+|of\s+)?"
        rf"(?P<month>{_ANY_MONTH})\.?,?\s+(?:de\s+|del\s+)?{_YEAR}(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?<!\w)(?P<month>{_ANY_MONTH})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?,?\s+{_YEAR}(?!\d)",
        re.IGNORECASE,
    ),
    re.compile(
        rf"{_YEAR}\s*(?:年|\.|-|/)\s*(?P<month>[01]?\d)\s*(?:月|\.|-|/)\s*"
        r"(?P<day>[0-3]?\d)(?!\d)"
    ),  # fmt: skip
    re.compile(rf"(?<![\d.])(?P<day>[0-3]?\d)\.\s?(?P<month>[01]?\d)\.\s?{_YEAR}(?!\d)"),
    re.compile(rf"(?<![\d/])(?P<first>[0-3]?\d)/(?P<second>[0-3]?\d)/{_YEAR}(?!\d)"),
)
#: A clock time followed by the zone it is written in: "9:24 pm ET", "10:31 pm CST", "(UTC)".
CLOCK_ZONE = re.compile(
    r"\b(?P<hour>[0-2]?\d)[:.](?P<minute>[0-5]\d)(?::\d\d)?\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?\s*\(?"
    r"(?P<zone>[A-Z]{2,5})\b"
)


def dates_in_text(text: str, language: str | None = None) -> list[tuple[int, date]]:
    """Full dates written in ``text`` in any of the languages of :data:`MONTH_NAMES` or in
    numbers, with their offsets, leftmost first.

    ``11/12/2019`` is read month first on an English page (``language`` "en" or unknown) and
    day first otherwise; a first number above 12 is a day whatever the language.
    """
    found: dict[int, date] = {}
    for pattern in _TEXT_DATE_PATTERNS:
        for match in pattern.finditer(text):
            groups = match.groupdict()
            year = int(groups["year"])
            if "first" in groups:
                first, second = int(groups["first"]), int(groups["second"])
                month_first = (language or "en").startswith("en") and first <= 12
                month, day = (first, second) if month_first or second > 12 else (second, first)
            else:
                raw = groups["month"]
                month = int(raw) if raw.isdigit() else MONTH_NAMES.get(raw.lower(), 0)
                day = int(groups["day"])
            made = _make(year, month, day) if 1 <= month <= 12 else None
            if made and match.start() not in found:
                found[match.start()] = made
    return sorted(found.items())


def date_in_any_text(text: str, language: str | None = None) -> date | None:
    """The first full date written in ``text`` (see :func:`dates_in_text`), if any."""
    found = dates_in_text(text, language)
    return found[0][1] if found else None
