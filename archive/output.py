"""Printing results for people (rich tables) and for programs (JSON, CSV).

Statement text is always printed as text: rich markup in it is escaped, so a
statement can never restyle the terminal.
"""

from __future__ import annotations

import csv
import json
import os
import sys
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
    "document_id",
    "language",
    "archived",
    "retrieved",
)
#: Fields of a search result in CSV: the original of a quotation flattened (the fields
#: added later follow, so that every column keeps its place).
RESULT_CSV_FIELDS = (
    *RESULT_FIELDS[: RESULT_FIELDS.index("first_said")],
    "first_said_by",
    "first_said_on",
    *RESULT_FIELDS[RESULT_FIELDS.index("first_said") + 1 :],
)

#: How each sort is said in the hint under a page of results.
SORT_WORDS = {"rank": "best match first", "date": "newest first", "oldest": "oldest first"}


def page_hint(shown: int, total: int, offset: int, sort: str) -> str:
    """The line under a page of results: which of how many, and how to see the rest."""
    first, last = offset + 1, offset + shown
    hint = f"{first}–{last} of {total} statements, {SORT_WORDS.get(sort, sort)}"
    if last < total:
        hint += f"; more: --offset {last} (or --limit 0 for all {total})"
    return hint + "."


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


def _link(url: str, style: str = "dim cyan"):
    """``url`` as text that a terminal which supports hyperlinks makes clickable."""
    from rich.text import Text

    return Text(url, style=f"{style} link {url}")


def _print_line(console: Any, text: Any) -> None:
    """One line never cut by rich: a URL in it stays whole at any width (the terminal wraps
    it, and copying it gives it back whole)."""
    console.print(text, soft_wrap=True)


#: Columns of a results table besides the statement's (ID, date, speaker, borders).
_TABLE_CHROME = 50


def print_results_table(rows: Sequence[dict[str, Any]]) -> None:
    """Search results as a table: id, date, speaker, highlighted snippet, source and URL."""
    from rich.table import Table
    from rich.text import Text

    console = _console()
    longest = max((len(row["source"] or "") + len(row["url"]) + 3 for row in rows), default=0)
    fits = console.width - _TABLE_CHROME >= longest
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
            statement.append(f"\n{origin_line(origin)}", style="green")
        statement.append(f"\n{row['source']} · ", style="dim cyan")
        if fits:
            statement.append_text(_link(row["url"]))
        else:
            statement.append(f"[{row['id']}] below", style=f"dim cyan link {row['url']}")
        table.add_row(str(row["id"]), row["date"] or "?", speaker, statement)
    console.print(table)
    if not fits:  # each on a line of its own, whole: a cut URL cannot be copied
        for row in rows:
            line = Text(f"[{row['id']}] ", style="dim")
            line.append_text(_link(row["url"]))
            _print_line(console, line)


def print_statement(statement: dict[str, Any]) -> None:
    """One statement in its context, for ``archive show``."""
    from rich.text import Text

    console = _console()
    document = statement["document"]
    console.print(Text(document["title"] or document["url"], style="bold"))
    line = Text(f"{document['published'] or '?'} · {document['source']} · ", style="dim")
    line.append_text(_link(document["url"], "dim"))
    _print_line(console, line)
    console.print()
    shown = {turn["id"] for turn in statement["context"]}
    turns = statement["context"] if statement["id"] in shown or statement["parent_id"] else []
    for turn in turns or [statement]:
        marker = "▶ " if turn["id"] in (statement["id"], statement["parent_id"]) else "  "
        label = Text(
            marker + f"[{turn['id']}] {turn['speaker'] or _unnamed(turn['kind'])} ({turn['kind']})",
            style="bold" if marker.strip() else "dim",
        )
        console.print(label)
        console.print(Text(turn["text"]))
        console.print()
    if statement["parent_id"]:
        console.print(
            Text(
                f"▶ [{statement['id']}] quoted: {statement['speaker'] or _unnamed('quote')}",
                style="bold",
            )
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
        _print_line(console, _link(document["url"], "dim"))
        return
    console.print(Text(f"{version}:", style="bold"))
    _print_line(console, _link(document["url"], "dim"))
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


def crawl_status(source: dict[str, Any]) -> str:
    """A source's status in the crawl table: FAILED only when it brought nothing; a crawl
    stopped by a bound says which, whatever it stored."""
    bound = source.get("bound")
    stopped = f"stopped at bound {bound}" if bound else ""
    if source["failed_entirely"]:
        return f"FAILED, {stopped}" if stopped else "FAILED"
    return stopped or source["finish_reason"] or ""


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
        status = crawl_status(source)
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

    console = _console()
    longest = max((len(row["source"] or "") + len(row["url"]) + 3 for row in rows), default=0)
    fits = console.width - _TABLE_CHROME - 12 >= longest
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
        words.append(f"\n{row['source']} · ", style="dim cyan")
        if fits:
            words.append_text(_link(row["url"]))
        else:
            words.append(f"[{row['id']}] below", style=f"dim cyan link {row['url']}")
        table.add_row(str(row["id"]), row["date"] or "?", how, speaker, words)
    console.print(table)
    if not fits:
        for row in rows:
            line = Text(f"[{row['id']}] ", style="dim")
            line.append_text(_link(row["url"]))
            _print_line(console, line)
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
    for merged in counts.get("identities") or ():
        print(
            f"speakers: {merged['merged']} is {merged['kept']} "
            f"({merged['aligned']} aligned turns of paired briefings)"
        )


def print_speaker_audit(rows: list[dict[str, Any]]) -> None:
    """``archive speakers audit``: one line a doubtful record, why, and the fix if known."""
    if not rows:
        print("no doubtful speaker records")
        return
    for row in rows:
        fix = f"  → {row['fix']}" if row["fix"] else ""
        print(f"{row['id']:>7}  {row['name']}  ({row['kind']}, {row['statements']} statements): "
              f"{row['reason']}{fix}")  # fmt: skip


def origin_line(origin: dict[str, Any]) -> str:
    """Where a quotation was said first, as far as this archive knows.

    "first said by X on D" only when the original is X's own statement (a remark, an answer, a
    statement of theirs); when the earliest appearance is itself a re-quote (Hua quoting
    Pompeo), the archive does not hold the original: it says so.
    """
    where = f"({origin['source']}; {origin['label']}, statement {origin['origin_id']})"
    who, when = origin["speaker"] or "?", origin["date"] or "?"
    if origin.get("first_hand", True):
        return f"first said by {who} on {when} {where}"
    return f"earliest in this archive: {who}, as quoted on {when} {where}"


def print_citation(citation: str, style: str | None = None) -> None:
    """A citation on one line, never cut: its URL must copy whole."""
    sys.stdout.write((f"{style}: " if style else "") + citation + "\n")


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
