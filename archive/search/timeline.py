"""How often something was said: statements per month or week, for ``archive timeline``.

A researcher's first question about a word or a person is often "when?": a
bar per period answers it faster than a list. Counts come from one read-only
query (full-text match as in ``archive search``, speaker by any spelling);
periods without statements are filled in, so a silence shows as a gap rather
than disappearing. Datasette draws the same chart from the canned query
``statements_per_month`` in ``archive/datasette/datasette.yaml``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from archive.exceptions import InvalidArgument, InvalidQuery
from archive.search.engine import Search, iso_date, matching_sql, parse_language
from archive.search.query_language import shown
from archive.search.sql import filter_conditions, joins_documents, name_words

if TYPE_CHECKING:
    from sqlite_utils import Database

#: Period lengths ``archive timeline --by`` accepts.
PERIODS = ("month", "week")

#: SQL giving a statement's period label from its ``date`` (YYYY-MM-DD):
#: ``YYYY-MM`` for a month, the Monday (``YYYY-MM-DD``) for a week.
PERIOD_SQL = {
    "month": "substr(st.date, 1, 7)",
    "week": "date(st.date, 'weekday 0', '-6 days')",
}


@dataclass
class Timeline:
    """What to count: statements matching ``query`` (as ``archive search`` finds them) and/or
    by ``speaker``, from a source, in a language, within ``since``–``until``, per ``by``."""

    query: str | None = None
    speaker: str | None = None
    by: str = "month"
    since: str | None = None
    until: str | None = None
    source: str | None = None
    lang: str | None = None
    kind: str | None = None

    def __post_init__(self) -> None:
        if self.by not in PERIODS:
            raise InvalidArgument(f"--by {self.by!r} is not a period; use one of: month, week")
        self.query = (self.query or "").strip() or None
        self.speaker = (self.speaker or "").strip() or None
        self.source = (self.source or "").strip() or None
        self.since = iso_date(self.since, "--since")
        self.until = iso_date(self.until, "--until", end=True)
        self.lang = parse_language(self.lang)


def timeline_sql(timeline: Timeline) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters counting statements per period, for ``--sql`` and tests.

    The statements counted are those ``archive search`` finds (:func:`~.engine.matching_sql`):
    English, Russian and Chinese words alike, and what the people a query names said. A
    speaker matches when every word of ``speaker`` is a whole word of the speaker's name or
    of one of its aliases, as ``archive search --speaker`` does: "Lavrov" finds Sergey
    Lavrov under any spelling.
    """
    params: dict[str, Any] = {}
    filters = ["st.date IS NOT NULL"]
    join = ""
    if timeline.query:
        request = Search(
            timeline.query,
            speaker=timeline.speaker,
            source=timeline.source,
            since=timeline.since,
            until=timeline.until,
            lang=timeline.lang,
        )
        matching, params = matching_sql(request)
        filters.append(f"st.id IN ({matching})")
    else:
        if timeline.speaker and not name_words(timeline.speaker):
            raise InvalidArgument(f"--speaker {timeline.speaker!r} holds no name")
        filters += filter_conditions(timeline, params)
        if joins_documents(timeline):
            join = " JOIN documents d ON d.id = st.document_id"
    period = PERIOD_SQL[timeline.by]
    sql = f"""
SELECT {period} AS period, count(*) AS statements
FROM statements st{join}
WHERE {" AND ".join(filters)}
GROUP BY period
ORDER BY period
"""
    return sql, params


def count_statements(db: Database, timeline: Timeline) -> list[dict[str, Any]]:
    """Statements per period, oldest first, with empty periods between the first and last.

    Returns a list of ``{"period": "2020-06", "statements": 12}``; empty when
    nothing matches.

    Raises:
        InvalidQuery: the full-text engine cannot parse the query.
    """
    sql, params = timeline_sql(timeline)
    try:
        counts = {period: n for period, n in db.execute(sql, params).fetchall()}
    except sqlite3.OperationalError as exc:
        message = str(exc)
        if "fts5" in message or "syntax" in message or "no such column" in message:
            raise InvalidQuery(
                f"cannot search for {shown(timeline.query)}: {message.removeprefix('fts5: ')}; "
                'put a phrase in double quotes, e.g. "one-China principle"'
            ) from None
        raise
    if not counts:
        return []
    return [
        {"period": period, "statements": counts.get(period, 0)}
        for period in _periods(min(counts), max(counts), timeline.by)
    ]


def _periods(first: str, last: str, by: str) -> list[str]:
    """Every period label from ``first`` to ``last``, inclusive."""
    labels = []
    if by == "month":
        year, month = int(first[:4]), int(first[5:7])
        while f"{year:04d}-{month:02d}" <= last:
            labels.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        day, end = date.fromisoformat(first), date.fromisoformat(last)
        while day <= end:
            labels.append(day.isoformat())
            day += timedelta(days=7)
    return labels


def print_timeline(
    rows: list[dict[str, Any]], *, title: str | None = None, width: int = 50
) -> None:
    """Draw one bar per period with rich: the period, the count, and a bar scaled to the maximum.

    The title is printed as plain text, so a query cannot restyle the terminal.
    """
    from rich.bar import Bar  # lazy: rich costs start-up time that JSON output does not need
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    most = max((row["statements"] for row in rows), default=0) or 1
    table = Table(title=Text(title) if title else None, box=None, show_header=True, pad_edge=False)
    table.add_column("Period", style="cyan", no_wrap=True)
    table.add_column("Statements", justify="right")
    table.add_column("", width=width, no_wrap=True)
    for row in rows:
        bar = Bar(size=most, begin=0, end=row["statements"], width=width, color="green")
        table.add_row(row["period"], str(row["statements"]), bar)
    Console().print(table)
