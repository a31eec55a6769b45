"""Real archive records for the ingest and search benchmarks, built once and cached.

The 500 English MFA transcripts of ``../shared/mirror/www.fmprc.gov.cn`` go through the
crawler's own extractor, quote engine and :func:`~mfa_scraper.records.document_record`, so
the benchmarks store exactly what a crawl stores. The records are cached as JSON (about
10 s to rebuild) under ``$BENCH_CACHE`` or the system's temporary directory.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIRROR = ROOT.parent / "shared" / "mirror" / "www.fmprc.gov.cn"
SECTION = "mfa_eng/xwfw_665399/s2510_665401/2511_665403"
CACHE = Path(os.environ.get("BENCH_CACHE") or tempfile.gettempdir()) / "mfa-bench-records.json"


def mfa_records(mirror: Path = MIRROR) -> list[dict[str, Any]]:
    """Archive records of the mirror's transcripts, as the crawl pipeline makes them."""
    if CACHE.exists():
        return json.loads(CACHE.read_text("utf-8"))
    from mfa_scraper.attribution.document import attribute_quotes
    from mfa_scraper.records import document_record
    from mfa_scraper.sites.mfa import ExtractionError, extract_mfa_page

    records = []
    for path in sorted((mirror / SECTION).glob("t*.shtml")):
        url = f"https://www.fmprc.gov.cn/{SECTION}/{path.name}"
        try:
            document = attribute_quotes(extract_mfa_page(path.read_bytes(), url))
        except ExtractionError:
            continue
        records.append(document_record(document, fetched="2024-01-01T00:00:00+00:00"))
    CACHE.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    return records


def statement_count(records: list[dict[str, Any]]) -> int:
    """Statements held by ``records``."""
    return sum(len(r["statements"]) for r in records)
