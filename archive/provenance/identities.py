"""One identity across languages, learnt from the briefings the archive pairs turn by turn.

The ministry publishes each press conference in Chinese and in English, and
:mod:`.pairing` aligns their turns: the question Reuters asked in English is the one 路透社
asked in Chinese. Over many briefings the aligned turns say which Chinese outlet and person
names are which English ones, without a dictionary. :func:`learn_identities` merges the
speaker records that aligned turns agree on (``archive link`` runs it), and
:func:`doubtful_speakers` lists the records a maintainer should look at (``archive speakers
audit``): names that are places, countries or single words, and records whose aligned turns
name someone else in the other language, with the ``archive speakers merge`` that would fix
them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from archive.identity.places import doubtful_name
from archive.identity.registry import default_registry

if TYPE_CHECKING:
    from archive.store import Archive, LazyDatabase

#: Aligned turns two records must share before they are merged as one identity.
MIN_ALIGNED = 3
#: Share of the other-script record's aligned turns that must name the same English one.
MIN_AGREEMENT = 0.8
_LATIN_RE = re.compile(r"[A-Za-z]")

#: Speakers of aligned turns, and of the quotations inside them where each version of the
#: turn quotes exactly one speaker (安倍晋三 in the Chinese question, Shinzo Abe in the English).
ALIGNED_SPEAKERS_SQL = """
WITH quoted AS (
    SELECT parent_id, min(speaker_id) AS speaker_id FROM statements
    WHERE parent_id IS NOT NULL AND speaker_id IS NOT NULL
    GROUP BY parent_id HAVING count(DISTINCT speaker_id) = 1
)
SELECT s1.speaker_id, s2.speaker_id, count(*)
FROM turn_alignments ta
JOIN statements s1 ON s1.id = ta.statement_id
JOIN statements s2 ON s2.id = ta.counterpart_statement_id
WHERE s1.speaker_id IS NOT NULL AND s2.speaker_id IS NOT NULL
GROUP BY s1.speaker_id, s2.speaker_id
UNION ALL
SELECT q1.speaker_id, q2.speaker_id, count(*)
FROM turn_alignments ta
JOIN quoted q1 ON q1.parent_id = ta.statement_id
JOIN quoted q2 ON q2.parent_id = ta.counterpart_statement_id
GROUP BY q1.speaker_id, q2.speaker_id
"""


@dataclass(frozen=True)
class Counterpart:
    """Two speaker records that aligned turns of bilingual briefings pair."""

    speaker_id: int
    name: str
    counterpart_id: int
    counterpart: str
    aligned: int  # turns aligned between the two
    agreement: float  # the smaller of the two shares of each record's aligned turns
    shares: tuple[float, float] = (0.0, 0.0)  # of the first's, and of the second's, turns

    @property
    def translated_share(self) -> float:
        """The share of the other-script record's aligned turns that go to this counterpart.

        An English name has several Chinese spellings (北京青年报, 《北京青年报》), so its own
        share is split among them; each Chinese spelling goes to one English name.
        """
        latin = bool(_LATIN_RE.search(self.name))
        return self.shares[1] if latin else self.shares[0]

    @property
    def merge_command(self) -> str:
        keep, other = _keep_first(self.name, self.counterpart)
        return f"archive speakers merge {_quoted(keep)} {_quoted(other)}"


def counterparts(db: LazyDatabase) -> list[Counterpart]:
    """Each speaker record's dominant counterpart in the other language, best first."""
    counts: dict[tuple[int, int], int] = {}
    for a, b, n in db.execute(ALIGNED_SPEAKERS_SQL):
        key = (min(a, b), max(a, b))
        counts[key] = counts.get(key, 0) + n
    totals: dict[int, int] = {}
    for (a, b), n in counts.items():
        totals[a] = totals.get(a, 0) + n
        totals[b] = totals.get(b, 0) + n
    names = dict(db.execute("SELECT id, name FROM speakers"))
    found = []
    for (a, b), n in counts.items():
        if a == b or a not in names or b not in names:
            continue
        shares = (n / totals[a], n / totals[b])
        found.append(Counterpart(a, names[a], b, names[b], n, min(shares), shares))
    found.sort(key=lambda c: (-c.translated_share, -c.aligned, c.name))
    return found


def learn_identities(archive: Archive) -> list[dict[str, Any]]:
    """Merge the records that aligned turns agree are one speaker; returns what was merged.

    Only pairs of one Latin-script and one other-script name (路透社 and Reuters, 安倍晋三
    and Shinzo Abe) where at least :data:`MIN_AGREEMENT` of the other-script record's aligned
    turns, and at least :data:`MIN_ALIGNED` of them, go to the English one; never two people
    the registry knows apart. The English name is kept, the other becomes an alias.
    """
    registry = default_registry()
    merged = []
    gone: set[int] = set()
    for pair in counterparts(archive.db):
        if pair.aligned < MIN_ALIGNED or pair.translated_share < MIN_AGREEMENT:
            continue
        if pair.speaker_id in gone or pair.counterpart_id in gone:
            continue
        if bool(_LATIN_RE.search(pair.name)) == bool(_LATIN_RE.search(pair.counterpart)):
            continue  # same script: not a translation, maybe two people; left to the audit
        known = {registry.lookup(pair.name), registry.lookup(pair.counterpart)} - {None}
        if len(known) > 1:
            continue  # the registry knows them as two people
        keep, other = _keep_first(pair.name, pair.counterpart)
        archive.merge_speakers(keep, other)
        gone.add(pair.counterpart_id if keep == pair.name else pair.speaker_id)
        merged.append({"kept": keep, "merged": other, "aligned": pair.aligned})
    return merged


def doubtful_speakers(db: LazyDatabase) -> list[dict[str, Any]]:
    """Speaker records a maintainer should look at, with why and what would fix them.

    - ``place``, ``country``, ``word``: a person whose name is a region, a country or capital,
      or a single ordinary word ("Xinjiang", "China", "Starting") — an extraction artefact;
    - ``description``: a person whose name starts lowercase ("the official");
    - ``other-language``: a record whose aligned turns, in the other language, name another
      record (路透社 where the English says Reuters): the merge command is given.
    """
    rows = db.execute(
        """SELECT sp.id, sp.name, sp.kind, count(st.id) FROM speakers sp
           LEFT JOIN statements st ON st.speaker_id = sp.id GROUP BY sp.id"""
    ).fetchall()
    out: dict[int, dict[str, Any]] = {}
    for speaker_id, name, kind, statements in rows:
        reason = doubtful_name(name) if kind == "person" else None
        if reason is None and kind == "person" and name[:1].islower():
            reason = "description"
        if reason:
            out[speaker_id] = _row(speaker_id, name, kind, statements, reason, None)
    counts = {r[0]: r[3] for r in rows}
    kinds = {r[0]: r[2] for r in rows}
    for pair in counterparts(db):
        if pair.aligned < 2 or pair.translated_share < 0.5:
            continue
        _, other = _keep_first(pair.name, pair.counterpart)
        sid = pair.counterpart_id if other == pair.counterpart else pair.speaker_id
        if sid not in out:  # the record the merge would fold into the other
            out[sid] = _row(sid, other, kinds.get(sid), counts.get(sid, 0), "other-language",
                            pair.merge_command)  # fmt: skip
    return sorted(out.values(), key=lambda r: (-r["statements"], r["name"]))


def _row(speaker_id: int, name: str, kind: str | None, statements: int, reason: str,
         fix: str | None) -> dict[str, Any]:  # fmt: skip
    return {"id": speaker_id, "name": name, "kind": kind, "statements": statements,
            "reason": reason, "fix": fix}  # fmt: skip


def _keep_first(a: str, b: str) -> tuple[str, str]:
    """The name to keep first: the Latin-script one (the archive's canonical spellings are
    English); between two of one script, the one the registry knows, else the shorter."""
    latin_a, latin_b = bool(_LATIN_RE.search(a)), bool(_LATIN_RE.search(b))
    if latin_a != latin_b:
        return (a, b) if latin_a else (b, a)
    registry = default_registry()
    known_a, known_b = registry.lookup(a) is not None, registry.lookup(b) is not None
    if known_a != known_b:
        return (a, b) if known_a else (b, a)
    return (a, b) if len(a.split()) <= len(b.split()) else (b, a)


def _quoted(name: str) -> str:
    return f"'{name}'" if re.search(r"[\s'\"]", name) else name
