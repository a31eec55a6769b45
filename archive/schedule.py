"""When to look at an archived page again: often while it is fresh, rarely once it is old.

Ministries edit statements mostly in the first hours and days after
publication, and sometimes remove them much later. Like NewsDiffs, the
interval between re-checks grows with the document's age; each re-check is a
conditional request, so an unchanged page costs the site a 304.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

#: (age below which, re-check interval) — the first row that fits applies.
RECHECK_INTERVALS: tuple[tuple[timedelta, timedelta], ...] = (
    (timedelta(days=1), timedelta(hours=1)),
    (timedelta(days=3), timedelta(hours=4)),
    (timedelta(days=7), timedelta(hours=12)),
    (timedelta(days=30), timedelta(days=3)),
    (timedelta(days=365), timedelta(days=30)),
)
#: Interval for documents older than every row above.
OLDEST_INTERVAL = timedelta(days=180)


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value[:10]), datetime.min.time())
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def recheck_interval(age: timedelta) -> timedelta:
    """How long to wait before re-checking a document of this age."""
    for limit, interval in RECHECK_INTERVALS:
        if age < limit:
            return interval
    return OLDEST_INTERVAL


def next_check(published: str | None, first_fetched: str | None, now: str) -> str:
    """ISO time of the next re-check of a document published (or first seen) at that time."""
    current = _moment(now) or datetime.now(UTC)
    born = _moment(published) or _moment(first_fetched) or current
    return (
        (current + recheck_interval(max(current - born, timedelta(0))))
        .replace(microsecond=0)
        .isoformat()
    )


def is_due(next_check_at: str | None, now: str) -> bool:
    """Whether a re-check planned for ``next_check_at`` is due at ``now`` (never planned: due)."""
    planned, current = _moment(next_check_at), _moment(now)
    return planned is None or current is None or planned <= current
