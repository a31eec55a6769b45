"""Publication-date benchmark: the project's date against htmldate's, on pages dated by hand.

Pages and gold dates are in ``bench/dates/`` (see its README): 321 real pages from 148 sites in
11 languages, split by site into ``dev`` (score while developing) and ``test`` (held out: looked
at for the final figure only, never to write rules from).

Three extractors run on every page in the same process, their order rotated from page to page
so that machine load and warm caches affect all alike:

* ``ours``: the date ``archive extract`` stores, the publisher's calendar date
  (``Document.date``): the site parser's for ministry URLs (fmprc.gov.cn, kremlin.ru,
  state.gov...), the generic page path's for every other page, the page's URL given;
* ``htmldate-fast``: ``find_date(html, url=url, original_date=True, extensive_search=False)``;
* ``htmldate-ext``: the same with ``extensive_search=True``.

Scoring follows htmldate's ``tests/evaluation.py``: on a page with a gold date, the right date
is a true positive, a wrong one a false positive, none a false negative; a date on a page whose
gold is null (a listing, an error page) is a false positive. One difference: htmldate counts a
page with no gold date and no prediction as a true negative *and* a false negative; here it is a
true negative only, since saying nothing is right there. Precision = tp / (tp + fp), recall =
tp / (tp + fn), F1 their harmonic mean. Figures are given per page and per site (each page
weighted 1 / pages of its site), since the two ministry sites have 75 and 42 pages.

CPU time is ``time.process_time`` around each call, bytes in, date out (parsing included for
all three); for ``ours`` on ministry URLs that is the site parser's whole page extraction.

``--fields`` adds the other page metadata the project reads (title, author, language,
canonical URL, site name): ours (:mod:`mfa_scraper.page.metadata`) against
``trafilatura.extract_metadata`` on the same pages, scored against gold where it was checked
by hand (``bench/dates/fields.jsonl``) and against the page's own declarations otherwise.

Usage::

    python bench/dates.py [--split dev|test|all] [--errors] [--fields] [--repeat N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import trafilatura  # noqa: E402
from htmldate import find_date  # noqa: E402

from mfa_scraper.page import metadata, published  # noqa: E402
from mfa_scraper.page.article import parse_html, remove_boilerplate  # noqa: E402
from mfa_scraper.page.encoding import decode_html  # noqa: E402
from mfa_scraper.page.html import parse_html as parse_site_html  # noqa: E402
from mfa_scraper.page.published import PageDate, page_date  # noqa: E402
from mfa_scraper.sites import kremlin, mfa  # noqa: E402
from mfa_scraper.sites.dispatch import site_extractor  # noqa: E402
from mfa_scraper.sites.kremlin import extract_kremlin_page  # noqa: E402
from mfa_scraper.sites.mfa import ExtractionError, extract_mfa_page  # noqa: E402

HERE = ROOT / "bench" / "dates"


def load(split: str) -> list[dict]:
    """Gold rows of ``split`` with their page bytes under ``"html"``."""
    rows = []
    for line in (HERE / "gold.jsonl").read_text("utf-8").splitlines():
        row = json.loads(line)
        if split in ("all", row["split"]):
            row["html"] = gzip.decompress((HERE / "pages" / f"{row['id']}.html.gz").read_bytes())
            rows.append(row)
    return rows


def ours(data: bytes, url: str | None) -> str | None:
    """The publisher's date ``archive extract`` gives the page (``Document.day``)."""
    url = url or ""
    extractor = site_extractor(url)
    if extractor is not None:
        try:
            return extractor(data, url).day
        except ExtractionError:  # the MFA's error page: refused, no date
            return None
    return generic_date(data, url).date


def generic_date(data: bytes, url: str) -> PageDate:
    """The date step of :func:`~mfa_scraper.page.article.extract_article`, alone: parsing,
    boilerplate removal (comments' dates), the metadata the date step reads, the date."""
    tree = parse_html(decode_html(data))
    if tree is None:
        return PageDate()
    remove_boilerplate(tree)
    meta = metadata.read_meta(tree)
    json_ld = metadata.read_json_ld(tree)
    language = metadata.extract_language(tree, meta, json_ld)
    canonical = metadata.extract_canonical(tree, meta, url)
    return page_date(tree, url, meta, json_ld, canonical=canonical, language=language)


def date_step(data: bytes, url: str | None) -> str | None:
    """Only the date step of :func:`ours`, for its CPU time: the parse and what the date is
    read from. A site parser's page is parsed and dated by its own function (MFA: meta, date
    line, title; Kremlin: the date line) instead of extracted whole, text and turns too."""
    url = url or ""
    extractor = site_extractor(url)
    if extractor is extract_mfa_page:
        tree = parse_site_html(decode_html(data))
        if tree is None:
            return None
        return mfa.extract_published(tree, mfa.extract_title(tree), url)[0]
    if extractor is extract_kremlin_page:
        tree = parse_site_html(decode_html(data))
        return kremlin.extract_published(tree) if tree is not None else None
    return generic_date(data, url).date


def htmldate_fast(data: bytes, url: str | None) -> str | None:
    return find_date(data, url=url, original_date=True, extensive_search=False)


def htmldate_extensive(data: bytes, url: str | None) -> str | None:
    return find_date(data, url=url, original_date=True, extensive_search=True)


EXTRACTORS: dict[str, Callable[[bytes, str | None], str | None]] = {
    "ours": ours,
    "htmldate-fast": htmldate_fast,
    "htmldate-ext": htmldate_extensive,
}


def outcome(predicted: str | None, gold: str | None) -> str:
    """``tp``, ``fp``, ``fn`` or ``tn`` for one page."""
    if predicted is None:
        return "tn" if gold is None else "fn"
    return "tp" if predicted[:10] == gold else "fp"


def scores(counts: Counter) -> tuple[float, float, float]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def run(rows: list[dict], repeat: int = 1) -> dict[str, dict]:
    """Every extractor on every page, the order rotated page by page. ``ours`` is timed on its
    date step (:func:`date_step`) and scored on the whole extraction; ``ours-whole`` is the
    CPU of the whole extraction (site parsers' turns and text included)."""
    timed = {**EXTRACTORS, "ours": date_step}
    names = list(EXTRACTORS)
    results = {n: {"cpu": 0.0, "pred": {}} for n in names}
    whole = 0.0
    for function in (*timed.values(), ours):  # warm-up: imports, language data, lxml caches
        function(rows[0]["html"], rows[0]["url"])
    for index, row in enumerate(rows):
        order = names[index % len(names) :] + names[: index % len(names)]
        for name in order:
            start = time.process_time()
            for _ in range(repeat):
                predicted = timed[name](row["html"], row["url"])
            results[name]["cpu"] += (time.process_time() - start) / repeat
            results[name]["pred"][row["id"]] = predicted
        start = time.process_time()
        results["ours"]["pred"][row["id"]] = ours(row["html"], row["url"])
        whole += time.process_time() - start
    results["ours"]["whole"] = whole
    return results


def tally(rows: list[dict], predicted: dict[str, str | None]) -> tuple[Counter, Counter]:
    """Outcome counts per page, and weighted 1 / pages of the site."""
    per_site = Counter(r["site"] for r in rows)
    counts: Counter = Counter()
    weighted: Counter = Counter()
    for row in rows:
        kind = outcome(predicted[row["id"]], row["date"])
        counts[kind] += 1
        weighted[kind] += 1 / per_site[row["site"]]
    return counts, weighted


def report(rows: list[dict], results: dict[str, dict], split: str) -> None:
    sites = len({r["site"] for r in rows})
    nulls = sum(r["date"] is None for r in rows)
    print(f"{split}: {len(rows)} pages, {sites} sites, {nulls} without a date")
    header = (
        f"{'extractor':<14} {'P':>6} {'R':>6} {'F1':>6} | {'site P':>6} {'R':>6} {'F1':>6} | "
        f"{'tp':>4} {'fp':>4} {'fn':>4} {'tn':>4} | {'CPU s':>6}"
    )
    print(header)
    print("-" * len(header))
    for name, result in results.items():
        counts, weighted = tally(rows, result["pred"])
        p, r, f = scores(counts)
        sp, sr, sf = scores(weighted)
        print(
            f"{name:<14} {p:6.3f} {r:6.3f} {f:6.3f} | {sp:6.3f} {sr:6.3f} {sf:6.3f} | "
            f"{counts['tp']:4d} {counts['fp']:4d} {counts['fn']:4d} {counts['tn']:4d} | "
            f"{result['cpu']:6.2f}"
        )
    if "whole" in results.get("ours", {}):
        print(
            f"(ours: CPU of the date step; the whole extraction, site parsers' text and turns"
            f" included, took {results['ours']['whole']:.2f} s)"
        )


def ablation(rows: list[dict]) -> None:
    """F1 of ours with each of its rules switched off in turn: what each one is worth."""
    print("\nablation: ours without one rule (F1 per page / per site)")
    for rule in ("", *sorted(published.RULES)):
        published._disabled.clear()
        if rule:
            published._disabled.add(rule)
        predicted = {row["id"]: ours(row["html"], row["url"]) for row in rows}
        counts, weighted = tally(rows, predicted)
        print(f"  {'(all rules)' if not rule else 'no ' + rule:<16} "
              f"{scores(counts)[2]:.3f} / {scores(weighted)[2]:.3f}")  # fmt: skip
    published._disabled.clear()


def errors(rows: list[dict], results: dict[str, dict]) -> None:
    for row in rows:
        preds = {n: (r["pred"][row["id"]] or "-") for n, r in results.items()}
        if outcome(preds["ours"] if preds["ours"] != "-" else None, row["date"]) in ("tp", "tn"):
            continue
        print(
            f"{row['id']:<40} gold={row['date']} "
            + " ".join(f"{n}={v}" for n, v in preds.items())
            + f"\n    {row['url']}\n    {row['evidence'][:150]}"
        )


# --- the other metadata fields ---------------------------------------------------------------

FIELDS = ("title", "author", "language", "canonical", "site_name")


def metadata_ours(data: bytes, url: str) -> dict[str, str | None]:
    """Title, author, language, canonical URL and site name as the generic page path reads them."""
    tree = parse_html(decode_html(data))
    if tree is None:
        return dict.fromkeys(FIELDS)
    remove_boilerplate(tree)
    meta = metadata.read_meta(tree)
    json_ld = metadata.read_json_ld(tree)
    names = metadata.site_names(meta, url, json_ld)
    return {
        "title": metadata.extract_title(tree, meta, json_ld, names),
        "author": metadata.extract_author(tree, meta, json_ld, names, url),
        "language": metadata.extract_language(tree, meta, json_ld),
        "canonical": metadata.extract_canonical(tree, meta, url),
        "site_name": metadata.extract_site_name(meta, json_ld, url),
    }


def metadata_trafilatura(data: bytes, url: str) -> dict[str, str | None]:
    """The same fields from ``trafilatura.extract_metadata`` (its date search off: not compared)."""
    tree = parse_html(decode_html(data))
    if tree is None:
        return dict.fromkeys(FIELDS)
    found = trafilatura.extract_metadata(tree, default_url=url or None, extensive=False)
    return {
        "title": found.title,
        "author": found.author,
        "language": found.language,
        "canonical": found.url,
        "site_name": found.sitename,
    }


_FOLD = str.maketrans({"–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "\xa0": " "})


def _fold(text: str) -> str:
    text = text.translate(_FOLD).casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def _names(text: str | None) -> frozenset[str]:
    return frozenset(_fold(n) for n in re.split(r",|;|&| and ", text or "") if _fold(n))


def _url(text: str | None) -> str:
    parts = urlsplit((text or "").strip())
    return f"{parts.netloc.lower().removeprefix('www.')}{parts.path.rstrip('/')}"


def field_right(field: str, predicted: str | None, gold: list[str] | str | None) -> bool:
    """Whether ``predicted`` is one of the gold values (``[]``/``None``: the page has none)."""
    if field == "language":
        return (predicted or "").split("-")[0].lower() == (gold or "")
    if field == "canonical":  # no gold URL: the page declares none, nor was it known
        return _url(predicted) == _url(gold)
    if not gold:
        return not predicted
    if field == "author":
        return any(_names(predicted) == _names(g) for g in gold)
    return bool(predicted) and any(_fold(predicted) == _fold(g) for g in gold)


def compare_fields(rows: list[dict]) -> None:
    """Per-field accuracy of ours and trafilatura's on the hand-checked sample."""
    checked = {}
    for line in (HERE / "fields.jsonl").read_text("utf-8").splitlines():
        item = json.loads(line)
        checked[item["id"]] = item
    sample = [r for r in rows if r["id"] in checked]
    if not sample:
        print("no page of this split in bench/dates/fields.jsonl")
        return
    results = {"ours": Counter(), "trafilatura": Counter()}
    cpu = Counter()
    for row in sample:
        gold = {
            **checked[row["id"]],
            "language": row["lang"],  # decided by reading (gold.jsonl)
            "canonical": row["url"],  # weak: the page's own canonical/og:url (README)
        }
        for name, function in (("ours", metadata_ours), ("trafilatura", metadata_trafilatura)):
            start = time.process_time()
            found = function(row["html"], row["url"] or "")
            cpu[name] += time.process_time() - start
            for field in FIELDS:
                results[name][field] += field_right(field, found[field], gold[field])
    print(f"\nmetadata fields, {len(sample)} pages (one a site), share right")
    print(f"{'extractor':<12} " + " ".join(f"{f:>10}" for f in FIELDS) + f" {'CPU s':>7}")
    for name, counts in results.items():
        print(
            f"{name:<12} "
            + " ".join(f"{counts[f] / len(sample):10.3f}" for f in FIELDS)
            + f" {cpu[name]:7.2f}"
        )


# --- ministry pages --------------------------------------------------------------------------


def mirror_dates(mirror: Path) -> dict[str, str | None]:
    """The date each site parser gives each page of the shared mirrors (MFA English and Chinese
    transcripts and listings, Kremlin news), by URL."""
    dates: dict[str, str | None] = {}
    for host, scheme in (("www.fmprc.gov.cn", "https"), ("en.kremlin.ru", "http")):
        for path in sorted((mirror / host).rglob("*")):
            if not path.is_file():
                continue
            url = f"{scheme}://{host}/{path.relative_to(mirror / host)}"
            try:
                document = site_extractor(url)(path.read_bytes(), url)
            except ExtractionError:
                dates[url] = None
                continue
            dates[url] = document.published
    return dates


def mirror_check(saved: Path, mirror: Path) -> int:
    """Save the mirrors' dates, or compare them with saved ones: every dated page keeps its
    date (run once on the old code, once on the new)."""
    dates = mirror_dates(mirror)
    if not dates:
        print(f"no mirror pages under {mirror}")
        return 1
    dated = sum(1 for d in dates.values() if d)
    if not saved.exists():
        saved.write_text(json.dumps(dates, indent=0, sort_keys=True), "utf-8")
        print(f"{len(dates)} mirror pages, {dated} dated: saved to {saved}")
        return 0
    before = json.loads(saved.read_text("utf-8"))
    changed = {u: (before.get(u), d) for u, d in dates.items() if before.get(u) != d}
    lost = [u for u, (old, _) in changed.items() if old]
    print(
        f"{len(dates)} mirror pages, {dated} dated; {len(changed)} changed, "
        f"{len(lost)} dated before and not the same now"
    )
    for url, (old, new) in sorted(changed.items())[:20]:
        print(f"  {url}: {old} -> {new}")
    return 1 if lost else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="dev")
    parser.add_argument("--errors", action="store_true", help="list the pages ours gets wrong")
    parser.add_argument("--repeat", type=int, default=1, help="time each call N times")
    parser.add_argument("--fields", action="store_true", help="also compare the other metadata")
    parser.add_argument(
        "--shared",
        type=Path,
        default=ROOT.parent / "shared",
        help="the shared data folder (default: ../shared beside the repository)",
    )
    parser.add_argument("--ablation", action="store_true", help="F1 without each of our rules")
    parser.add_argument(
        "--mirror",
        type=Path,
        metavar="JSON",
        help="date every page of the shared mirrors with the site parsers into JSON (if it does"
        " not exist) or compare with it (if it does), and stop",
    )
    args = parser.parse_args(argv)
    if args.mirror:
        return mirror_check(args.mirror, args.shared / "mirror")
    rows = load(args.split)
    results = run(rows, args.repeat)
    report(rows, results, args.split)
    if args.errors:
        errors(rows, results)
    if args.fields:
        compare_fields(rows)
    if args.ablation:
        ablation(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
