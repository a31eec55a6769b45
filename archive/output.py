"""Printing results for people (rich tables) and for programs (JSON, CSV).

Statement text is always printed as text: rich markup in it is escaped, so a
statement can never restyle the terminal.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from archive.search.query_language import HIGHLIGHT_END, HIGHLIGHT_START

#: Output formats of commands that print records.
FORMATS = ("table", "json", "csv")

#: Fields of a search result in JSON and CSV, in this order.
RESULT_FIELDS = (
    "id",
    "date",
    "speaker",
    "kind",
    "role",
    "text",
    "title",
    "url",
    "source",
    "edited",
    "removed",
    "first_said",
)
#: Fields of a search result in CSV: the original of a quotation flattened.
RESULT_CSV_FIELDS = (*RESULT_FIELDS[:-1], "first_said_by", "first_said_on")


def _console():
    from rich.console import (
        Console,  # lazy: rich costs start-up time that JSON output does not need
    )

    # In a pipe, rich would wrap at 80 columns; honour $COLUMNS, else leave room for URLs.
    width = None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160
    return Console(highlight=False, soft_wrap=False, width=width)


def print_json(data: Any) -> None:
    """Pretty JSON on stdout, UTF-8 kept readable."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_jsonl(records: Iterable[Any]) -> None:
    """One compact JSON object per line, the format other programs stream."""
    for record in records:
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


def print_csv(rows: Sequence[dict[str, Any]], fields: Sequence[str]) -> None:
    """CSV with a header line."""
    writer = csv.DictWriter(sys.stdout, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)


def _highlighted(snippet: str):
    from rich.text import Text

    text = Text()
    bold = False
    for part in snippet.replace(HIGHLIGHT_END, HIGHLIGHT_START).split(HIGHLIGHT_START):
        if part:
            text.append(part, style="bold yellow" if bold else None)
        bold = not bold
    return text


def _unnamed(kind: str) -> str:
    """How a statement without a named speaker is shown: transcripts often write just "Q:"."""
    return "(a journalist)" if kind == "question" else "(unnamed)"


def print_results_table(rows: Sequence[dict[str, Any]]) -> None:
    """Search results as a table: id, date, speaker, highlighted snippet, source and URL."""
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=True, expand=False)
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Speaker")
    table.add_column("Statement", overflow="fold", ratio=1)
    for row in rows:
        speaker = Text(row["speaker"] or _unnamed(row["kind"]))
        speaker.append(f"\n{row['kind']}", style="dim")
        if row.get("removed"):
            speaker.append(f"\nREMOVED {row['removed'][:10]}", style="bold red")
        elif row.get("edited"):
            speaker.append("\nEDITED (archive history)", style="bold yellow")
        statement = _highlighted(row["snippet"])
        origin = row.get("first_said")
        if origin:
            statement.append(
                f"\nfirst said by {origin['speaker'] or '?'} on {origin['date'] or '?'} "
                f"({origin['source']}; {origin['label']}, statement {origin['origin_id']})",
                style="green",
            )
        statement.append(f"\n{row['source']} · {row['url']}", style="dim cyan")
        table.add_row(str(row["id"]), row["date"] or "?", speaker, statement)
    _console().print(table)


def print_statement(statement: dict[str, Any]) -> None:
    """One statement in its context, for ``archive show``."""
    from rich.text import Text

    console = _console()
    document = statement["document"]
    console.print(Text(document["title"] or document["url"], style="bold"))
    console.print(
        Text(
            f"{document['published'] or '?'} · {document['source']} · {document['url']}",
            style="dim",
        )
    )
    console.print()
    shown = {turn["id"] for turn in statement["context"]}
    turns = statement["context"] if statement["id"] in shown or statement["parent_id"] else []
    for turn in turns or [statement]:
        marker = "▶ " if turn["id"] in (statement["id"], statement["parent_id"]) else "  "
        label = Text(
            marker + f"[{turn['id']}] {turn['speaker'] or '(unlabelled)'} ({turn['kind']})",
            style="bold" if marker.strip() else "dim",
        )
        console.print(label)
        console.print(Text(turn["text"]))
        console.print()
    if statement["parent_id"]:
        console.print(
            Text(f"▶ [{statement['id']}] quoted: {statement['speaker'] or '?'}", style="bold")
        )
        console.print(Text(statement["text"]))
    if statement.get("counterpart"):
        _print_counterpart(console, statement["counterpart"])


#: Languages by code, as the pairs commands name them.
LANGUAGE_NAMES = {"zh": "Chinese", "en": "English", "ru": "Russian"}


def language_name(code: str | None) -> str:
    """A language's English name for a code (``zh`` is Chinese); an unknown code as it is."""
    return LANGUAGE_NAMES.get(code or "", code or "other-language")


def _print_counterpart(console: Any, counterpart: dict[str, Any]) -> None:
    """The same turn in the other language version, or that version's lack of it."""
    from rich.text import Text

    document = counterpart["document"]
    version = f"The {language_name(document['language'])} version (document {document['id']})"
    console.print()
    if counterpart["missing"]:
        console.print(Text(f"{version} lacks this turn.", style="bold red"))
        console.print(Text(document["url"], style="dim"))
        return
    console.print(Text(f"{version}:", style="bold"))
    console.print(Text(document["url"], style="dim"))
    for turn in counterpart["turns"]:
        label = f"  [{turn['id']}] {turn['speaker'] or _unnamed(turn['kind'])} ({turn['kind']})"
        if turn.get("score") is not None:
            label += f" · aligned {turn['score']:.2f}"
        console.print(Text(label, style="bold"))
        console.print(Text(turn["text"]))


def print_stats(stats: dict[str, Any]) -> None:
    """Archive counts as a small table."""
    from rich.table import Table

    table = Table(
        title=f"{stats['documents']} documents · {stats['statements']} statements · "
        f"{stats['speakers']} speakers"
    )
    columns = ("documents", "statements", "edited", "removed", "failures")
    table.add_column("Source")
    for column in columns:
        table.add_column(column.capitalize(), justify="right")
    for name, counts in stats["by_source"].items():
        table.add_row(name, *(str(counts[column]) for column in columns))
    _console().print(table)
    if stats["failures"]:
        _console().print(
            f"{stats['failures']} failed fetches are retried by the next crawl "
            "(see the fetch_failures table)."
        )


def print_speakers(rows: Sequence[dict[str, Any]]) -> None:
    """Speakers with kind, statement count and aliases."""
    from rich.table import Table

    table = Table()
    table.add_column("Speaker")
    table.add_column("Kind")
    table.add_column("Statements", justify="right")
    table.add_column("Aliases", overflow="fold")
    for row in rows:
        table.add_row(
            row["name"], row["kind"] or "", str(row["statements"]), ", ".join(row["aliases"])
        )
    _console().print(table)


def print_history(document: dict[str, Any]) -> None:
    """A document's versions, each later one as a word diff: [-removed-] {+added+}."""
    from rich.text import Text

    console = _console()
    console.print(Text(document["title"] or document["url"], style="bold"))
    console.print(
        Text(f"{document['url']} · first archived {document['first_fetched']}", style="dim")
    )
    if document["removed"]:
        console.print(
            Text(
                f"REMOVED since {document['removed']} ({document['removed_reason']}); "
                "the archived text is kept",
                style="bold red",
            )
        )
    for version in document["versions"]:
        words = len((version["text"] or "").split())
        console.print(
            Text(
                f"\nversion {version['version']} · fetched {version['fetched']} · "
                f"{words} words · {version['content_hash'][:12]}",
                style="bold",
            )
        )
        if "diff" not in version:
            continue
        line = Text()
        for run in version["diff"]:
            if run["op"] == "=":
                line.append(run["text"] + " ")
            elif run["op"] == "-":
                line.append(f"[-{run['text']}-]", style="red strike")
                line.append(" ")
            else:
                line.append(f"{{+{run['text']}+}}", style="green")
                line.append(" ")
        console.print(line)


def print_crawl_summary(summary: dict[str, Any]) -> None:
    """Per source: pages, new, changed, removed, failed; then totals and duration."""
    from rich.table import Table

    table = Table(title=f"crawl finished in {summary['duration']} s")
    columns = ("pages", "new", "changed", "removed", "failed", "statements")
    table.add_column("Source")
    for column in columns:
        table.add_column(column.capitalize(), justify="right")
    table.add_column("Status")
    for source in summary["sources"]:
        status = "FAILED" if source["failed_entirely"] else (source["finish_reason"] or "")
        table.add_row(source["spider"], *(str(source[c]) for c in columns), status)
    if len(summary["sources"]) > 1:
        table.add_row("total", *(str(summary[c]) for c in columns), "")
    _console().print(table)


#: Fields of an ``archive trace`` row in CSV, in this order.
TRACE_FIELDS = (
    "id",
    "date",
    "lag_days",
    "label",
    "similarity",
    "speaker",
    "kind",
    "source",
    "url",
    "excerpt",
    "diff",
)


def trace_row(appearance: Any) -> dict[str, Any]:
    """An appearance of :func:`archive.provenance.trace.trace` as a flat record."""
    return {
        "id": appearance.statement_id,
        "date": appearance.date,
        "lag_days": appearance.lag_days,
        "label": appearance.label,
        "similarity": appearance.similarity,
        "speaker": appearance.speaker,
        "kind": appearance.kind,
        "source": appearance.source,
        "url": appearance.url,
        "excerpt": appearance.excerpt or appearance.text,
        "diff": appearance.diff,
    }


def print_trace(
    rows: Sequence[dict[str, Any]], relation: Any = None, counterpart: Any = None
) -> None:
    """A quotation's appearances in time order, the original marked; then, for a text
    given on the command line, how it relates to the original."""
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=True, expand=False)
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("How", no_wrap=True)
    table.add_column("Speaker")
    table.add_column("Words", overflow="fold", ratio=1)
    for row in rows:
        original = row["label"] == "original"
        how = Text(row["label"] or "?", style="bold green" if original else None)
        if not original and row["similarity"] is not None:
            how.append(f"\n{row['similarity']:.2f}", style="dim")
        if not original and row["lag_days"] is not None:
            how.append(f"\n{_days(row['lag_days'])}", style="dim")
        speaker = Text(row["speaker"] or _unnamed(row["kind"]))
        speaker.append(f"\n{row['kind']}", style="dim")
        words = Text(row["excerpt"])
        if row["diff"]:
            words = _diff_text(row["diff"])
        words.append(f"\n{row['source']} · {row['url']}", style="dim cyan")
        table.add_row(str(row["id"]), row["date"] or "?", how, speaker, words)
    console = _console()
    console.print(table)
    original = next((row for row in rows if row["label"] == "original"), None)
    if original is None:
        return
    line = Text(
        f"Original: [{original['id']}] {original['speaker'] or _unnamed(original['kind'])}, "
        f"{original['date'] or '?'}, {original['source']}.",
        style="bold",
    )
    if relation is not None:
        line.append(f" Your text is {relation.label} ({relation.similarity:.2f})")
        line.append(": " if relation.diff else ".")
        if relation.diff:
            line.append_text(_diff_text(relation.diff))
    console.print(line)
    if counterpart:
        _print_counterpart(console, counterpart)


def _days(lag: float) -> str:
    """A lag as people read it: "+18 h", "+3 d", "-2 d" (said elsewhere before the original)."""
    sign = "-" if lag < 0 else "+"
    lag = abs(lag)
    if lag < 1 and lag != int(lag):
        return f"{sign}{lag * 24:.0f} h"
    return f"{sign}{lag:g} d"


def _diff_text(diff: str):
    """A ``[-removed-] {+added+}`` diff with colours."""
    import re

    from rich.text import Text

    text = Text()
    for part in re.split(r"(\[-.*?-\]|\{\+.*?\+\})", diff):
        if part.startswith("[-") and part.endswith("-]"):
            text.append(part, style="red strike")
        elif part.startswith("{+") and part.endswith("+}"):
            text.append(part, style="green")
        elif part:
            text.append(part)
    return text


def print_link_counts(counts: dict[str, Any]) -> None:
    """What ``archive link`` did, one line a step."""
    quotes = counts["quotes"]
    print(
        f"quotations: {quotes['quotes']} looked at, {quotes['linked']} linked to an original, "
        f"{quotes['unlinked']} without one found, {quotes['too_short']} too short to tell"
    )
    pairs = counts.get("pairs")
    if pairs:
        print(
            f"pairs: {pairs['paired']} new ({pairs['missing_turns']} with turns one version "
            f"lacks), {pairs['unpaired']} documents without a counterpart yet"
        )
    if "rank_lists" in counts:
        print(f"search: impact lists read again for {counts['rank_lists']} common terms")


# -- document pairs ----------------------------------------------------------------------------

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
        console.print(Text(f"{name} [{pair[f'{side}_id']}]: {title} · {pair[f'{side}_url']}"))
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


def print_check(report: dict[str, Any]) -> None:
    """``archive check``: one line per check, what was found and what to do about it."""
    from rich.markup import escape

    console = _console()
    for finding in report["findings"]:
        mark = "[green]ok[/green]     " if finding["ok"] else "[red]DAMAGED[/red]"
        detail = f": {escape(finding['detail'])}" if finding["detail"] else ""
        console.print(f"{mark} {escape(finding['check'])}{detail}")
        if finding["advice"]:
            console.print(f"        what to do: {escape(finding['advice'])}")
    for table in report["repaired"]:
        console.print(f"[green]rebuilt[/green] the full-text index {escape(table)}")
    verdict = "is sound" if report["sound"] else "is damaged"
    console.print(f"{escape(report['path'])} {verdict}")
