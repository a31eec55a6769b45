#!/usr/bin/env python3
"""Sanity check for the date benchmark in this directory.

Checks that every gold.jsonl id has pages/<id>.html.gz, that every page
decompresses, that there are no orphan page files, that the fields and the
date format are valid, and that all pages of a site share one split.
Prints summary counts.  Exit status 1 on any error.

    python3 bench/dates/check.py
"""

import collections
import datetime
import gzip
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
PAGES = os.path.join(HERE, "pages")
GOLD = os.path.join(HERE, "gold.jsonl")
FIELDS = ("id", "url", "site", "lang", "date", "evidence", "doubtful", "split")


def main():
    errors = []
    rows = []
    with open(GOLD, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except ValueError as e:
                errors.append(f"gold.jsonl line {n}: bad JSON ({e})")

    ids = collections.Counter(r.get("id") for r in rows)
    for i, c in ids.items():
        if c > 1:
            errors.append(f"duplicate id {i} ({c} times)")

    split_of_site = collections.defaultdict(set)
    raw_bytes = gz_bytes = 0
    for r in rows:
        rid = r.get("id")
        for k in FIELDS:
            if k not in r:
                errors.append(f"{rid}: missing field {k}")
        d = r.get("date")
        if d is not None:
            try:
                datetime.date.fromisoformat(d)
                if len(d) != 10:
                    raise ValueError
            except (TypeError, ValueError):
                errors.append(f"{rid}: bad date {d!r}")
        if not isinstance(r.get("doubtful"), bool):
            errors.append(f"{rid}: doubtful is not a bool")
        if r.get("split") not in ("dev", "test"):
            errors.append(f"{rid}: bad split {r.get('split')!r}")
        if not r.get("evidence"):
            errors.append(f"{rid}: empty evidence")
        split_of_site[r.get("site")].add(r.get("split"))

        path = os.path.join(PAGES, f"{rid}.html.gz")
        if not os.path.isfile(path):
            errors.append(f"{rid}: page file missing")
            continue
        gz_bytes += os.path.getsize(path)
        try:
            with gzip.open(path, "rb") as g:
                data = g.read()
        except (OSError, EOFError) as e:
            errors.append(f"{rid}: does not decompress ({e})")
            continue
        if not data.strip():
            errors.append(f"{rid}: empty page")
        raw_bytes += len(data)

    for site, splits in split_of_site.items():
        if len(splits) > 1:
            errors.append(f"site {site} is in several splits: {sorted(splits)}")

    known = {f"{r.get('id')}.html.gz" for r in rows}
    for name in sorted(os.listdir(PAGES)):
        if name not in known:
            errors.append(f"orphan page file {name}")

    sites = {r["site"] for r in rows}
    by_split = collections.Counter(r["split"] for r in rows)
    sites_by_split = collections.Counter(next(iter(s)) for s in split_of_site.values())
    langs = collections.Counter(r["lang"] for r in rows)
    print(f"pages            {len(rows)}")
    print(f"sites            {len(sites)}")
    print("split (pages)    " + ", ".join(f"{k} {v}" for k, v in sorted(by_split.items())))
    print("split (sites)    " + ", ".join(f"{k} {v}" for k, v in sorted(sites_by_split.items())))
    languages = ", ".join(f"{k} {v}" for k, v in langs.most_common())
    print(f"languages        {len(langs)}: {languages}")
    print(f"null dates       {sum(r['date'] is None for r in rows)}")
    print(f"doubtful         {sum(bool(r['doubtful']) for r in rows)}")
    print(f"size gzipped     {gz_bytes} bytes ({gz_bytes / 1e6:.1f} MB)")
    print(f"size raw         {raw_bytes} bytes ({raw_bytes / 1e6:.1f} MB)")
    if errors:
        print(f"\n{len(errors)} ERROR(S):")
        for e in errors:
            print("  " + e)
        return 1
    print("\nOK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
