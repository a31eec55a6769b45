"""Archive records for the benchmarks: the mirrors' real records, and a realistic archive.

:func:`mirror_records` runs the mirrors of ``../shared/mirror`` (China MFA English and
Chinese, Kremlin English) through the crawler's own extractors, quote engine and
:func:`~mfa_scraper.records.document_record`, so the benchmarks store exactly what a crawl
stores; they are cached as JSON under ``$BENCH_CACHE`` or the system's temporary directory
(about 20 s to rebuild). :func:`mfa_records` is the 500 English transcripts alone.

:func:`realistic_records` makes an archive of any size out of them, and
:func:`build_archive` writes it through the store (:class:`archive.store.Archive`):

- **distinct statements**: every statement is new text, recombined from real sentences of
  the mirrors' statements of the same source, language and kind (an English MFA answer from
  sentences of English MFA answers), about as long as the real statement it stands for;
  a quotation is one or two real quoted sentences, placed inside its turn;
- **real speakers, at their real frequency**: each document copies the turn structure of a
  real document (kinds, speakers and their roles), so spokespersons, the outlets asking and
  those quoted keep the share they have on the sites (Zhao Lijian ~5 % of English MFA
  statements, 50,000-odd in a million);
- **dates spread over 2005–2026**, newest first as a first crawl of a listing stores them;
  an MFA briefing day holds the English and Chinese documents of one real day of the mirror,
  and a Kremlin page an English and a Russian version of one number, so pairing finds what
  it finds on the sites;
- **English, Chinese and Russian in realistic shares**: the statements the sections publish
  in a year (MFA English ~4,900, Chinese ~4,600 from the mirror's 2016–2020 pages; Kremlin
  English ~3,500 from its 2020 pages, and as many Russian, the Russian site publishing every
  page): 51 % English, 28 % Chinese, 21 % Russian.

The Russian text is 3,257 real sentences of 63 kremlin.ru pages of 2025 (meetings, speeches,
answers to journalists; ``bench/data/kremlin_ru_sentences.txt``), so a Russian word is as rare
as on the site ("Лавров" in 2 sentences of 3,257). Until December 2026 it was the 58 sentences
of the gold set's Russian news passages, whose every word was a common one ("лавр*" matched
37 % of the Russian statements).

Usage::

    python bench/corpus.py --statements 1000000 --db /tmp/realistic-1m.db
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from memory import peak_rss_mb  # noqa: E402


def _shared() -> Path:
    """``shared/`` beside the repository (or beside a folder above it: a git worktree)."""
    for folder in ROOT.parents:
        if (folder / "shared" / "mirror").is_dir():
            return folder / "shared"
    return ROOT.parent / "shared"


SHARED = _shared()
MIRRORS = SHARED / "mirror"
MIRROR = MIRRORS / "www.fmprc.gov.cn"
SECTION = "mfa_eng/xwfw_665399/s2510_665401/2511_665403"
CACHE_DIR = Path(os.environ.get("BENCH_CACHE") or tempfile.gettempdir())
CACHE = CACHE_DIR / "mfa-bench-records.json"
#: group -> (folder under the mirrors, file pattern, URL of the folder)
SECTIONS = {
    "mfa-en": (f"www.fmprc.gov.cn/{SECTION}", "t*.shtml", f"https://www.fmprc.gov.cn/{SECTION}/"),
    "mfa-zh": (
        "www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889",
        "t*.shtml",
        "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/",
    ),
    "kremlin-en": (
        "en.kremlin.ru/events/president/news",
        "[0-9]*",
        "http://en.kremlin.ru/events/president/news/",
    ),
}
#: Real Russian: 3,257 sentences of 63 kremlin.ru pages of 2025 (bench/data/PROVENANCE.md);
#: the quotations also from the Russian news passages of the gold set.
RUSSIAN_SENTENCES = ROOT / "bench" / "data" / "kremlin_ru_sentences.txt"
RUSSIAN_PASSAGES = ROOT / "tests" / "gold" / "news" / "dev"
_GUILLEMETS = re.compile(r"«([^«»]{20,})»")
#: Share of statements in the Kremlin's pages (English and Russian), the rest the MFA's:
#: 2 × 3,500 of 16,500 statements a year (see the module docstring).
KREMLIN_SHARE = 0.43
FIRST_DAY, LAST_DAY = date(2005, 1, 1), date(2026, 6, 30)


def mirror_records(group: str) -> list[dict[str, Any]]:
    """Archive records of one mirrored section (``mfa-en``, ``mfa-zh``, ``kremlin-en``)."""
    cache = CACHE if group == "mfa-en" else CACHE_DIR / f"bench-records-{group}.json"
    if cache.exists():
        return json.loads(cache.read_text("utf-8"))
    from mfa_scraper.records import document_record
    from mfa_scraper.sites.dispatch import extract_document
    from mfa_scraper.sites.mfa import ExtractionError

    folder, pattern, url = SECTIONS[group]
    records = []
    for path in sorted((MIRRORS / folder).glob(pattern)):
        if not path.is_file():
            continue
        try:
            document = extract_document(path.read_bytes(), url + path.name)
        except ExtractionError:
            continue
        records.append(document_record(document, fetched="2024-01-01T00:00:00+00:00"))
    if not records:
        raise SystemExit(f"no pages under {MIRRORS / folder}")
    cache.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    return records


def mfa_records(mirror: Path = MIRROR) -> list[dict[str, Any]]:
    """Archive records of the 500 English MFA transcripts, as the crawl pipeline makes them."""
    return mirror_records("mfa-en")


def statement_count(records: list[dict[str, Any]]) -> int:
    """Statements held by ``records``."""
    return sum(len(r["statements"]) for r in records)


# -- sentences ------------------------------------------------------------------------------

_EN_SENTENCE = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(‘]?[A-Z0-9])")
_RU_SENTENCE = re.compile(r"(?<=[.!?…])[»\"”)]?\s+(?=[«\"„(]?[А-ЯЁA-Z0-9])")
_ZH_SENTENCE = re.compile(r"[^。！？\n]+[。！？]?[”’」』）]?")


def sentences(text: str, language: str) -> list[str]:
    """``text`` cut into sentences (paragraphs first)."""
    out: list[str] = []
    for paragraph in text.split("\n"):
        paragraph = paragraph.strip()
        if not paragraph:
            continue
        if language == "zh":
            out += [s.strip() for s in _ZH_SENTENCE.findall(paragraph) if s.strip()]
        else:
            splitter = _RU_SENTENCE if language == "ru" else _EN_SENTENCE
            out += [s.strip() for s in splitter.split(paragraph) if s.strip()]
    return out


class Pools:
    """Real sentences by (group, kind), and real quotations by group."""

    def __init__(self, groups: dict[str, list[dict[str, Any]]]) -> None:
        self.turns: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.quotes: dict[str, list[str]] = defaultdict(list)
        for group, records in groups.items():
            for record in records:
                language = record["language"] or "en"
                for statement in record["statements"]:
                    if statement["kind"] == "quote":
                        self.quotes[group].append(" ".join(statement["text"].split()))
                    else:
                        key = (group, statement["kind"])
                        self.turns[key] += sentences(statement["text"], language)
        russian = RUSSIAN_SENTENCES.read_text("utf-8").splitlines()
        self.quotes["kremlin-ru"] = [q for s in russian for q in _GUILLEMETS.findall(s)]
        for path in sorted(RUSSIAN_PASSAGES.glob("*.json")):
            passage = json.loads(path.read_text("utf-8"))
            if passage.get("lang") == "ru":
                self.quotes["kremlin-ru"] += [q["quote"] for q in passage["quotes"]]
        self.turns[("kremlin-ru", "*")] = russian
        self.quotes["kremlin-ru"] = [q for q in self.quotes["kremlin-ru"] if len(q) > 20]

    def pool(self, group: str, kind: str) -> list[str]:
        if group == "kremlin-ru":
            return self.turns[("kremlin-ru", "*")]
        return self.turns.get((group, kind)) or self.turns[(group, "answer")]


def _recombined(rng: random.Random, pool: list[str], length: int, joiner: str) -> str:
    """Real sentences of ``pool`` drawn until about ``length`` characters."""
    picked: list[str] = []
    size = 0
    while not picked or size < length * 0.8:
        sentence = rng.choice(pool)
        picked.append(sentence)
        size += len(sentence) + len(joiner)
        if len(picked) > 60:
            break
    return joiner.join(picked)


_MARKS = {"en": ("“", "”"), "zh": ("“", "”"), "ru": ("«", "»")}


def _document(
    rng: random.Random,
    pools: Pools,
    template: dict[str, Any],
    group: str,
    *,
    url: str,
    published: str,
    language: str,
) -> dict[str, Any]:
    """A new document with ``template``'s turn structure and speakers, its text recombined."""
    joiner = "" if language == "zh" else " "
    opening, closing = _MARKS[language]
    statements: list[dict[str, Any]] = []
    for statement in template["statements"]:
        new = {
            "kind": statement["kind"],
            "speaker": statement["speaker"],
            "role": statement.get("role"),
            "cue": statement.get("cue"),
        }
        if statement["kind"] == "quote" and statement.get("parent") is None:  # a news page's
            new["text"] = rng.choice(pools.quotes[group])
        elif statement["kind"] == "quote":
            quote = rng.choice(pools.quotes[group])
            if rng.random() < 0.2:
                quote = joiner.join((quote, rng.choice(pools.quotes[group])))
            parent = statements[statement["parent"]]
            start = len(parent["text"]) + len(joiner) + len(opening)
            parent["text"] += f"{joiner}{opening}{quote}{closing}"
            new.update(text=quote, parent=statement["parent"])
            new.update(char_start=start, char_end=start + len(quote))
        else:
            pool = pools.pool(group, statement["kind"])
            new["text"] = _recombined(rng, pool, len(statement["text"]), joiner)
        statements.append(new)
    turns = [s["text"] for s in statements if s.get("parent") is None]
    text = "\n\n".join(turns)
    if not turns:  # a news page without turns: its text alone
        text = _recombined(rng, pools.pool(group, "remark"), len(template["text"] or ""), joiner)
    return {
        "url": url,
        "source": template["source"],
        "title": template["title"],
        "published": published,
        "date": published[:10],
        "language": language,
        "kind": template["kind"],
        "author": None,
        "text": text,
        "flags": [],
        "fetched": "2026-07-01T00:00:00+00:00",
        "statements": statements,
    }


def _briefing_days(en: list[dict], zh: list[dict]) -> list[tuple[list[dict], list[dict]]]:
    """The mirror's MFA days in both languages' window: (English, Chinese) documents of each."""
    days: dict[str, tuple[list[dict], list[dict]]] = defaultdict(lambda: ([], []))
    for side, records in ((0, en), (1, zh)):
        for record in records:
            if record.get("published"):
                days[record["published"][:10]][side].append(record)
    english_days = sorted(day for day, (mine, _) in days.items() if mine)
    return [days[d] for d in sorted(days) if english_days[0] <= d <= english_days[-1]]


def realistic_records(statements: int, *, seed: int = 19) -> Iterator[dict[str, Any]]:
    """Records of a realistic archive of about ``statements`` statements (module docstring)."""
    rng = random.Random(seed)
    groups = {group: mirror_records(group) for group in SECTIONS}
    pools = Pools(groups)
    days = _briefing_days(groups["mfa-en"], groups["mfa-zh"])
    kremlin = groups["kremlin-en"]
    span = (LAST_DAY - FIRST_DAY).days
    made = {"mfa": 0, "kremlin": 0}
    numbers = {"en": 1_000_000, "zh": 5_000_000, "kremlin": 100_000}
    while made["mfa"] + made["kremlin"] < statements:
        # The day follows the share of statements made, so the last ones do not pile up on
        # the first day (an estimate of the events' count left 1.5 % of them there).
        share = (made["mfa"] + made["kremlin"]) / statements
        day = LAST_DAY - timedelta(days=int(span * share))
        if made["kremlin"] < KREMLIN_SHARE * (made["mfa"] + made["kremlin"] + 1):
            template = rng.choice(kremlin)
            numbers["kremlin"] += 1
            clock = (template.get("published") or "")[10:]
            for language, host in (("en", "en.kremlin.ru"), ("ru", "kremlin.ru")):
                url = f"http://{host}/events/president/news/{numbers['kremlin']}"
                group = f"kremlin-{language}"
                record = _document(
                    rng,
                    pools,
                    template,
                    group,
                    url=url,
                    published=day.isoformat() + clock,
                    language=language,
                )
                made["kremlin"] += len(record["statements"])
                yield record
            continue
        while day.weekday() >= 5:  # briefings are on weekdays
            day += timedelta(days=1 if day - timedelta(days=2) < FIRST_DAY else -1)
        english, chinese = rng.choice(days)
        for language, templates in (("en", english), ("zh", chinese)):
            for template in templates:
                numbers[language] += 1
                folder = SECTIONS[f"mfa-{language}"][2]
                record = _document(
                    rng,
                    pools,
                    template,
                    f"mfa-{language}",
                    url=f"{folder}t{numbers[language]}.shtml",
                    published=day.isoformat() + (template.get("published") or "")[10:],
                    language=language,
                )
                made["mfa"] += len(record["statements"])
                yield record


def build_archive(path: Path, statements: int, *, batch: int = 500, seed: int = 19) -> dict:
    """Write a realistic archive to ``path`` through the store, then do what ``archive link``
    does for search (the impact lists); returns timings and counts."""
    from archive.search.rank_lists import refresh
    from archive.store import Archive

    partial = path.with_suffix(".partial")
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    figures: dict[str, Any] = {}
    start = time.perf_counter()
    with Archive(partial) as archive:
        records = realistic_records(statements, seed=seed)
        counts = archive.upsert_documents(records, batch_size=batch)
        figures["documents"] = counts["new"]
        figures["write_s"] = time.perf_counter() - start
        archive.db.execute("INSERT INTO statements_fts(statements_fts) VALUES ('optimize')")
        step = time.perf_counter()
        figures["rank_lists"] = refresh(archive)
        figures["rank_lists_s"] = time.perf_counter() - step
        archive.db.execute("ANALYZE")
        archive.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    partial.rename(path)
    figures["total_s"] = time.perf_counter() - start
    figures["peak_rss_mb"] = peak_rss_mb()
    return figures


def describe(db: Any) -> dict[str, Any]:
    """What the archive holds: statements by language, distinct texts, top speakers."""
    total = db.execute("SELECT count(*) FROM statements").fetchone()[0]
    by_language = dict(
        db.execute(
            "SELECT d.language, count(*) FROM statements st JOIN documents d "
            "ON d.id = st.document_id GROUP BY d.language"
        ).fetchall()
    )
    distinct = db.execute("SELECT count(DISTINCT text) FROM statements").fetchone()[0]
    speakers = db.execute(
        "SELECT sp.name, count(*) AS n FROM statements st JOIN speakers sp "
        "ON sp.id = st.speaker_id GROUP BY sp.id ORDER BY n DESC LIMIT 12"
    ).fetchall()
    years = db.execute("SELECT min(date), max(date) FROM statements").fetchone()
    return {
        "statements": total,
        "languages": {k: round(v / total, 3) for k, v in by_language.items()},
        "distinct_texts": distinct,
        "speakers": speakers,
        "dates": years,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sample", action="store_true", help="print shares of 20,000, no file")
    args = parser.parse_args(argv)
    if args.sample:
        records = list(realistic_records(20_000))
        languages = Counter(r["language"] for r in records for _ in r["statements"])
        print({k: round(v / sum(languages.values()), 3) for k, v in languages.items()})
        return 0
    if args.db.exists():
        raise SystemExit(f"{args.db} exists")
    figures = build_archive(args.db, args.statements)
    print(json.dumps(figures))
    from archive.store import open_readonly

    print(json.dumps(describe(open_readonly(args.db)), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
