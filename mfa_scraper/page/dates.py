"""Publication dates from titles, date lines, machine fields and URLs — never the crawl time.

Ministry titles carry the date ("…Press Conference on June 17, 2020"), but
some omit the year ("…on September 10"). Such a date is completed from
*hints*: dates of neighbouring items on the listing page that linked to it.
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache

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
_ANY_YEAR = re.compile(r"(?:19|20)\d\d")
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
    if not _ANY_YEAR.search(text):  # most lines have none: five patterns spared
        return []
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


# --- dates written for machines ----------------------------------------------------------------

#: Sanity bounds: the web, and nothing after next year.
MIN_YEAR = 1994


@dataclass
class Stamp:
    """A machine-written date or date-time, as parsed from the page."""

    day: date
    moment: datetime | None = None  # with its tzinfo when the page gave an offset

    @property
    def iso(self) -> str:
        return self.moment.isoformat() if self.moment else self.day.isoformat()

    @property
    def utc_or_naive(self) -> bool:
        """A time in UTC or in no stated zone: its calendar date may not be the publisher's."""
        if self.moment is None:
            return False
        offset = self.moment.utcoffset()
        return offset is None or offset == timedelta(0)


_ISO_RE = re.compile(
    r"\s*(?P<year>(?:19|20)\d\d)(?P<sep>[-/.]?)(?P<month>\d\d?)(?P=sep)(?P<day>\d\d?)"
    r"(?:(?:[T ]|\s+|T?\s*)(?P<hour>[0-2]?\d):(?P<minute>[0-5]\d)(?::(?P<second>[0-5]\d))?"
    r"(?:[.,]\d+)?\s*(?P<zone>Z|UTC|GMT|[+-]\d\d(?::?\d\d)?)?)?(?![\d])"
)


def plausible(day: date) -> bool:
    return MIN_YEAR <= day.year <= date.today().year + 1


def _offset(zone: str | None) -> tzinfo | None:
    if not zone:
        return None
    if zone in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_stamp(value: str | None) -> Stamp | None:
    """A date or date-time written for machines, or ``None`` if it is neither or implausible.

    Reads ISO 8601 and its loose variants ("2019-11-19 21:57 -0800", "2020/10/04 15:05",
    "20191119"), RFC 2822 ("Wed, 02 Feb 2022 09:12:22 +0100") and what JavaScript prints
    ("Tue Nov 19 2019 03:05:00 GMT+0000"). The offset is kept as given.
    """
    if not value:
        return None
    value = value.strip()
    match = _ISO_RE.match(value)
    if match:
        return _stamp_from_iso(match)
    if re.match(r"[A-Za-z]{3},? +\d", value):
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            moment = None
        if moment is not None and plausible(moment.date()):
            return Stamp(moment.date(), moment)
    return _stamp_from_words(value)


def _stamp_from_iso(match: re.Match[str]) -> Stamp | None:
    groups = match.groupdict()
    try:
        day = date(int(groups["year"]), int(groups["month"]), int(groups["day"]))
    except ValueError:
        return None
    if not plausible(day):
        return None
    if groups["hour"] is None:
        return Stamp(day)
    try:
        moment = datetime(
            day.year,
            day.month,
            day.day,
            int(groups["hour"]),
            int(groups["minute"]),
            int(groups["second"] or 0),
            tzinfo=_offset(groups["zone"]),
        )
    except ValueError:
        return Stamp(day)
    return Stamp(day, moment)


_JS_DATE_RE = re.compile(
    r"(?:[A-Za-z]{3,9},?\s+)?(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d\d?),?\s+"
    r"(?P<year>(?:19|20)\d\d)(?:,?\s+(?:at\s+)?(?P<hour>\d\d?):(?P<minute>\d\d)(?::(?P<second>\d\d))?"
    r"\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*(?:GMT|UTC)?(?P<zone>[+-]\d\d:?\d\d|Z)?)?"
)


def _stamp_from_words(value: str) -> Stamp | None:
    """ "Tue Nov 19 2019 03:05:00 GMT+0000", "November 18, 2019 11:03 PM", "18 November 2019"."""
    match = _JS_DATE_RE.match(value)
    if match:
        month = MONTHS.get(match.group("month").lower())
        if month:
            try:
                day = date(int(match.group("year")), month, int(match.group("day")))
            except ValueError:
                return None
            if not plausible(day):
                return None
            if match.group("hour") is None:
                return Stamp(day)
            hour = int(match.group("hour"))
            ampm = (match.group("ampm") or "").lower()
            if ampm:
                hour = hour % 12 + (12 if ampm.startswith("p") else 0)
            zone = match.group("zone")
            if zone is None and re.search(r"\b(?:GMT|UTC)\b", value):
                zone = "Z"
            try:
                moment = datetime(
                    day.year, day.month, day.day, hour, int(match.group("minute")),
                    int(match.group("second") or 0), tzinfo=_offset(zone),
                )  # fmt: skip
            except ValueError:
                return Stamp(day)
            return Stamp(day, moment)
    found = dates_in_text(value[:80])
    if found and found[0][0] < 20 and plausible(found[0][1]):
        return Stamp(found[0][1])
    return None


#: Time-zone abbreviations written after a visible time, as IANA zones (with their standard
#: offset, used if the zone database is missing). ``CST`` is read as US Central: the pages that
#: write it after a clock time are American ones; Chinese pages write 北京时间.
ZONE_ABBREVIATIONS: dict[str, tuple[str, int]] = {
    **dict.fromkeys(("ET", "EST", "EDT"), ("America/New_York", -5)),
    **dict.fromkeys(("CT", "CST", "CDT"), ("America/Chicago", -6)),
    **dict.fromkeys(("MT", "MST", "MDT"), ("America/Denver", -7)),
    **dict.fromkeys(("PT", "PST", "PDT"), ("America/Los_Angeles", -8)),
    **dict.fromkeys(("AKST", "AKDT"), ("America/Anchorage", -9)),
    **dict.fromkeys(("HST", "HT"), ("Pacific/Honolulu", -10)),
    **dict.fromkeys(("UTC", "GMT", "Z"), ("UTC", 0)),
    "BST": ("Europe/London", 0),
    **dict.fromkeys(("CET", "CEST", "MEZ", "MESZ"), ("Europe/Berlin", 1)),
    "EET": ("Europe/Athens", 2),
    "MSK": ("Europe/Moscow", 3),
    "IST": ("Asia/Kolkata", 5),
    "HKT": ("Asia/Hong_Kong", 8),
    "SGT": ("Asia/Singapore", 8),
    "JST": ("Asia/Tokyo", 9),
    "KST": ("Asia/Seoul", 9),
    **dict.fromkeys(("AEST", "AEDT"), ("Australia/Sydney", 10)),
}


def written_zone(text: str) -> str | None:
    """The zone abbreviation written after a clock time in ``text`` ("9:24 pm ET"), if known."""
    for match in CLOCK_ZONE.finditer(text):
        if match.group("zone") in ZONE_ABBREVIATIONS:
            return match.group("zone")
    return None


@lru_cache(maxsize=64)
def zone_info(abbreviation: str) -> tzinfo:
    name, hours = ZONE_ABBREVIATIONS[abbreviation]
    try:
        from zoneinfo import ZoneInfo

        return ZoneInfo(name)
    except Exception:  # no zone database on this machine: the standard offset
        return timezone(timedelta(hours=hours))
