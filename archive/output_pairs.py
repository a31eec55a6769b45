"""Printing ``archive pairs``: one briefing in two languages, as tables and as records.

The pairs' own printers, apart from :mod:`archive.output` (search, show, trace, stats), which
they share the console, links and labels with.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from archive.output import _console, _link, _print_line, _unnamed, language_name

#: Fields of a pair in ``archive pairs`` JSON and CSV, in this order.
PAIR_FIELDS = (
    "id",
    "date",
    "source",
    "method",
    "score",
    "aligned",
    "missing_in_counterpart",
    "missing_in_document",
    "document_id",
    "document_language",
    "document_title",
    "document_url",
    "counterpart_id",
    "counterpart_language",
    "counterpart_title",
    "counterpart_url",
)

#: Fields of an aligned turn in ``archive pairs ID --format csv``.
PAIR_TURN_FIELDS = (
    "score",
    "document_statement_id",
    "document_kind",
    "document_speaker",
    "document_text",
    "counterpart_statement_id",
    "counterpart_kind",
    "counterpart_speaker",
    "counterpart_text",
)


def pair_turn_rows(pair: dict[str, Any]) -> list[dict[str, Any]]:
    """A pair's aligned turns as flat rows, for CSV."""
    rows = []
    for turn in pair["turns"]:
        row: dict[str, Any] = {"score": turn["score"]}
        for side in ("document", "counterpart"):
            statement = turn[side] or {}
            row[f"{side}_statement_id"] = statement.get("id")
            for field in ("kind", "speaker", "text"):
                row[f"{side}_{field}"] = statement.get(field)
        rows.append(row)
    return rows


def _missing_text(pair: dict[str, Any]) -> str:
    """Which version lacks how many turns: "2 not in English", or empty."""
    parts = []
    if pair["missing_in_counterpart"]:
        parts.append(
            f"{pair['missing_in_counterpart']} not in {language_name(pair['counterpart_language'])}"
        )
    if pair["missing_in_document"]:
        parts.append(
            f"{pair['missing_in_document']} not in {language_name(pair['document_language'])}"
        )
    return ", ".join(parts)


def print_pairs(rows: Sequence[dict[str, Any]]) -> None:
    """Pairs as a table: date, both versions, aligned turns, and turns either one lacks."""
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=True)
    table.add_column("Pair", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Versions", overflow="fold", ratio=1)
    table.add_column("Aligned", justify="right")
    table.add_column("Missing turns")
    for row in rows:
        versions = Text()
        for side in ("document", "counterpart"):
            versions.append(f"{row[f'{side}_language']} [{row[f'{side}_id']}] ", style="dim")
            versions.append((row[f"{side}_title"] or row[f"{side}_url"]) + "\n")
        versions.append(
            f"{row['source']} · {row['method']} · score {row['score']:.2f}", style="dim"
        )
        table.add_row(
            str(row["id"]),
            row["date"] or "?",
            versions,
            str(row["aligned"]),
            Text(_missing_text(row) or "none", style="bold red" if _missing_text(row) else "dim"),
        )
    _console().print(table)


def _cut(text: str, chars: int) -> str:
    """``text`` cut to about ``chars`` columns: a Chinese character takes two."""
    if not chars:
        return text
    width = 0
    for index, char in enumerate(text):
        width += 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if width > chars:
            return text[:index].rstrip() + "…"
    return text


def print_pair(pair: dict[str, Any], *, chars: int = 200) -> None:
    """A pair's turns side by side, the turns one version lacks flagged; texts cut at ``chars``."""
    from rich.table import Table
    from rich.text import Text

    console = _console()
    left, right = (language_name(pair[f"{side}_language"]) for side in ("document", "counterpart"))
    console.print(
        Text(f"Pair {pair['id']} · {pair['date'] or '?'} · {pair['source']}", style="bold")
    )
    for side, name in (("document", left), ("counterpart", right)):
        title = pair[f"{side}_title"] or ""
        line = Text(f"{name} [{pair[f'{side}_id']}]: {title} · ")
        line.append_text(_link(pair[f"{side}_url"], ""))
        _print_line(console, line)
    summary = f"{pair['aligned']} turns aligned ({pair['method']}, score {pair['score']:.2f})"
    missing = _missing_text(pair)
    console.print(Text(summary + (f"; {missing}" if missing else ""), style="dim"))
    table = Table(show_lines=True, expand=True)
    table.add_column(left, ratio=1, overflow="fold")
    table.add_column(right, ratio=1, overflow="fold")
    table.add_column("Match", justify="right", no_wrap=True)
    for turn in pair["turns"]:
        cells = []
        for side, name in (("document", left), ("counterpart", right)):
            statement = turn[side]
            if statement is None:
                cells.append(Text(f"— not in the {name} version —", style="bold red"))
                continue
            cell = Text(
                f"[{statement['id']}] {statement['speaker'] or _unnamed(statement['kind'])} "
                f"({statement['kind']})\n",
                style="dim",
            )
            cell.append(_cut(statement["text"], chars))
            cells.append(cell)
        score = turn["score"]
        cells.append(
            Text(
                "missing" if score is None else f"{score:.2f}",
                style="bold red" if score is None else "",
            )
        )
        table.add_row(*cells)
    console.print(table)


def print_pair_counts(counts: dict[str, Any]) -> None:
    """What ``archive pairs --update`` did, in one line."""
    print(
        f"{counts['paired']} new pairs ({counts['same_day']} same-day, {counts['shared_id']} "
        f"shared-id), {counts['missing_turns']} with turns one version lacks; "
        f"{counts['unpaired']} documents without a counterpart"
    )
