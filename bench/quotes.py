"""Score the quote engine on the gold sets, against a baseline measured in the same run.

Three parts, reported separately (``tests/gold/README.md``):

- ``own``: ``tests/gold/quotes/``, the pages the engine was first written on;
- ``dev``: ``tests/gold/news/dev/``, news passages of many sites, for development;
- ``test``: ``tests/gold/news/test/``, passages of other sites, scored only at the end of a
  round (``--part test``), never looked at to write rules.

Gold spans of kind ``scare`` and ``title`` are nobody's statement: they are not counted as
statements to find, and a prediction on one is a false positive. For each part, for
:func:`mfa_scraper.attribution.quotes.extract_quotes` and for the baseline:

- strict P/R/F1: a predicted quote matches a gold one when their spans overlap by
  at least 0.8 (intersection over the longer span) and the kinds agree;
- direct-only P/R/F1: the same over ``direct`` quotes alone (partial ignored);
- any-kind F1: spans only;
- speaker accuracy over correctly detected quotes whose gold speaker is known
  (names compared case- and punctuation-insensitively, ``speaker_alt`` accepted,
  unnamed descriptions matched when one's words contain the other's);
- words per second of each extractor (best of three runs over the whole set).

Baseline: official spaCy models cannot be downloaded here and ``spacy.blank("en")``
has no tagger or parser, so textacy's dependency-based direct-quotation rules cannot
run. The baseline is the simple regex approach instead: pair straight/curly double
quotes, call every quote of three words or more ``direct``, and give it the nearest
capitalised two-word name within 120 characters after (else before) the quote.

Run: ``python bench/quotes.py`` (parts own and dev; ``--part test`` or ``--part all``;
``--errors`` lists the engine's misses, never for the test part).
"""

from __future__ import annotations

import json
import re
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mfa_scraper.attribution.quotes import extract_quotes  # noqa: E402

GOLD = ROOT / "tests" / "gold" / "quotes"
PARTS = {
    "own": GOLD,
    "dev": ROOT / "tests" / "gold" / "news" / "dev",
    "test": ROOT / "tests" / "gold" / "news" / "test",
}
#: Gold kinds that are statements; the others (scare, title) must not be predicted.
STATEMENT_KINDS = frozenset({"direct", "partial"})
OVERLAP = 0.8
_BASE_QUOTE = re.compile(r"[\"“]([^\"“”\n]{2,}?)[\"”]")
_BASE_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")


def load_gold(folder: Path = GOLD) -> list[dict]:
    """Every gold document of a folder, sorted by file name, with only its statements.

    Spans that are nobody's statement (``scare``, ``title``) are dropped from ``quotes``: a
    prediction on one then matches nothing and counts as a false positive.
    """
    docs = []
    for path in sorted(folder.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        doc["spans"] = doc["quotes"]
        doc["quotes"] = [q for q in doc["quotes"] if q["kind"] in STATEMENT_KINDS]
        docs.append(doc)
    return docs


def baseline(text: str) -> list[dict]:
    """Regex quote pairing plus the nearest capitalised name (see module docstring)."""
    out = []
    for m in _BASE_QUOTE.finditer(text):
        body = m.group(1).strip().rstrip(",")
        if len(body.split()) < 3:
            continue
        start = m.start(1) + (len(m.group(1)) - len(m.group(1).lstrip()))
        after = _BASE_NAME.search(text, m.end(), m.end() + 120)
        before = list(_BASE_NAME.finditer(text, max(0, m.start() - 120), m.start()))
        name = after.group() if after else (before[-1].group() if before else None)
        out.append({"start": start, "end": start + len(body), "kind": "direct", "speaker": name})
    return out


def engine(text: str) -> list[dict]:
    return [
        {"start": q.start, "end": q.end, "kind": q.kind, "speaker": q.speaker}
        for q in extract_quotes(text)
    ]


def _overlap(a: dict, b: dict) -> float:
    inter = min(a["end"], b["end"]) - max(a["start"], b["start"])
    return max(0, inter) / max(a["end"] - a["start"], b["end"] - b["start"], 1)


def _norm(name: str | None) -> str:
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower().replace("’", "'")
    text = re.sub(r"[^\w' ]+", " ", text)
    text = re.sub(r"^(?:the|a|an)\s+", "", " ".join(text.split()))
    return text


def _capitals() -> dict[str, str]:
    path = ROOT / "archive" / "identity" / "capitals.tsv"
    rows = [r.split("\t") for r in path.read_text(encoding="utf-8").splitlines()]
    return {_norm(r[0]): _norm(r[1]) for r in rows if len(r) == 2 and not r[0].startswith("#")}


#: A capital standing for its government is the same speaker as its country (gold README).
CAPITALS = _capitals()


def speaker_ok(gold: dict, predicted: str | None) -> bool:
    """Whether ``predicted`` names the gold speaker (see module docstring)."""
    want = [gold["speaker"], *gold.get("speaker_alt", [])]
    want += [CAPITALS[_norm(w)] for w in want if _norm(w) in CAPITALS]
    got = _norm(predicted)
    got = CAPITALS.get(got, got)
    if not got:
        return False
    for w in want:
        nw = _norm(w)
        if nw == got:
            return True
        if w and not w[:1].isupper() or (w and w.split()[0].lower() in {"a", "an", "the"}):
            gw, pw = set(nw.split()), set(got.split())
            if gw <= pw or pw <= gw:
                return True
    return False


def _match(golds: list[dict], preds: list[dict], kinds: bool) -> list[tuple[dict, dict]]:
    pairs, used = [], set()
    for g in golds:
        for k, p in enumerate(preds):
            if k in used or _overlap(g, p) < OVERLAP or (kinds and g["kind"] != p["kind"]):
                continue
            used.add(k)
            pairs.append((g, p))
            break
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(docs: list[dict], extractor) -> dict:
    """Precision, recall, F1 and speaker accuracy of ``extractor`` on ``docs``."""
    counts = {"strict": [0, 0, 0], "direct": [0, 0, 0], "any": [0, 0, 0]}
    spk_ok = spk_n = 0
    errors = []
    for doc in docs:
        golds, preds = doc["quotes"], extractor(doc["text"])
        strict = _match(golds, preds, kinds=True)
        gd = [g for g in golds if g["kind"] == "direct"]
        pd = [p for p in preds if p["kind"] == "direct"]
        direct = _match(gd, pd, kinds=True)
        anyk = _match(golds, preds, kinds=False)
        for key, pairs, ng, np_ in (
            ("strict", strict, len(golds), len(preds)),
            ("direct", direct, len(gd), len(pd)),
            ("any", anyk, len(golds), len(preds)),
        ):
            counts[key][0] += len(pairs)
            counts[key][1] += np_
            counts[key][2] += ng
        for g, p in anyk:
            if g["speaker"] is None:
                continue
            spk_n += 1
            if speaker_ok(g, p["speaker"]):
                spk_ok += 1
            else:
                errors.append(
                    ("speaker", doc["source"], g["quote"][:60], g["speaker"], p["speaker"])
                )
        matched_g = {id(g) for g, _ in strict}
        matched_p = {id(p) for _, p in strict}
        for g in golds:
            if id(g) not in matched_g:
                errors.append(("miss", doc["source"], g["quote"][:60], g["kind"], None))
        for p in preds:
            if id(p) not in matched_p:
                errors.append(
                    (
                        "extra",
                        doc["source"],
                        doc["text"][p["start"] : p["end"]][:60],
                        p["kind"],
                        None,
                    )
                )
    out = {key: _prf(*vals) for key, vals in counts.items()}
    out["speaker_accuracy"] = spk_ok / spk_n if spk_n else 0.0
    out["speaker_n"] = spk_n
    out["errors"] = errors
    return out


def words_per_second(docs: list[dict], extractor, repeat: int = 3) -> tuple[float, float]:
    """Throughput over a whole part in CPU time: (cold, warm).

    Cold is the first pass (caches empty, lists read); warm the best of ``repeat`` later
    passes. CPU time, not wall-clock, so that other processes on the machine do not count.
    """
    words = sum(len(d["text"].split()) for d in docs)
    times = []
    for _ in range(repeat + 1):
        t0 = time.process_time()
        for d in docs:
            extractor(d["text"])
        times.append(time.process_time() - t0)
    cold, warm = times[0], min(times[1:])
    return words / max(cold, 1e-9), words / max(warm, 1e-9)


def main(argv: list[str]) -> int:
    part = argv[argv.index("--part") + 1] if "--part" in argv else "own,dev"
    names = list(PARTS) if part == "all" else part.split(",")
    for name in names:
        report(name, load_gold(PARTS[name]), "--errors" in argv and name != "test")
    return 0


def report(part: str, docs: list[dict], show_errors: bool) -> dict:
    """Print one part's figures for the engine and the baseline; return the engine's."""
    n_quotes = sum(len(d["quotes"]) for d in docs)
    sites = len({d.get("site") or d["source"].split("/")[2] for d in docs})
    print(f"\n== {part}: {len(docs)} documents from {sites} sites, {n_quotes} statements")
    results = {}
    for name, fn in (("engine", engine), ("baseline", baseline)):
        res = score(docs, fn)
        res["wps_cold"], res["wps"] = words_per_second(docs, fn)
        results[name] = res
        print(f"\n{name}")
        for key in ("strict", "direct", "any"):
            p, r, f = res[key]
            print(f"  {key:7s} P={p:.3f} R={r:.3f} F1={f:.3f}")
        print(f"  speaker accuracy {res['speaker_accuracy']:.3f} (n={res['speaker_n']})")
        print(f"  words/s (CPU) cold {res['wps_cold']:,.0f}, warm {res['wps']:,.0f}")
    e, b = results["engine"], results["baseline"]
    print("\nratios engine/baseline")
    for key in ("strict", "direct", "any"):
        print(f"  {key} F1 x{e[key][2] / b[key][2]:.2f}" if b[key][2] else f"  {key} F1 n/a")
    print(f"  speaker accuracy x{e['speaker_accuracy'] / max(b['speaker_accuracy'], 1e-9):.2f}")
    print(f"  speed x{e['wps'] / b['wps']:.3f}")
    if show_errors:
        for err in e["errors"]:
            print(*err, sep=" | ")
    return e


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
