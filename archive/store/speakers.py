"""Write who speaks: sources (the sites and spiders documents come from), speakers, aliases.

A speaker is one person or organisation whatever the spelling: every name a page gives
is recorded as an alias, so a later spelling finds the same row, and two rows found to be
one person are joined with :meth:`SpeakerWrites.merge_speakers` (``archive merge``).
Speakers and sources are written while documents are stored (:mod:`.documents`), in the
document's transaction; their ids are cached for the next document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from archive.exceptions import InvalidArgument, NotFound
from archive.store.connection import Transactions


class SpeakerWrites(Transactions):
    """Sources and speakers of an :class:`~archive.store.writer.Archive`, with their ids cached."""

    def __init__(self, path: str | Path, *, create: bool = True) -> None:
        super().__init__(path, create=create)
        self._speaker_ids: dict[str, int] = {}
        # Sources known to be stored: a document's bare source name needs no query then.
        self._sources: set[str] = set()

    def _forget_uncommitted(self) -> None:
        """The cached ids may name rows the rollback undid: forget them all."""
        self._speaker_ids.clear()
        self._sources.clear()
        super()._forget_uncommitted()

    # -- sources -----------------------------------------------------------------

    def upsert_source(
        self,
        name: str,
        *,
        title: str | None = None,
        country: str | None = None,
        kind: str | None = None,
        base_url: str | None = None,
    ) -> None:
        """Record a source (a spider or a site) with its country and kind."""
        row = {"name": name, "title": title, "country": country, "kind": kind, "base_url": base_url}
        bare = title is None and country is None and kind is None and base_url is None
        if bare and name in self._sources:
            return  # nothing to add to a stored source: one query per document saved
        existing = self._source(name)
        if existing is not None:
            # Keep what is known; a bare `archive add --source x` must not erase a description.
            row = {k: v if v is not None else existing.get(k) for k, v in row.items()}
            if row == existing:
                self._sources.add(name)
                return
        with self.transaction():
            self.db.execute(
                "INSERT INTO sources (name, title, country, kind, base_url) "
                "VALUES (:name, :title, :country, :kind, :base_url) ON CONFLICT(name) DO UPDATE "
                "SET title = :title, country = :country, kind = :kind, base_url = :base_url",
                row,
            )
        self._sources.add(name)

    def _source(self, name: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT name, title, country, kind, base_url FROM sources WHERE name = ?", [name]
        ).fetchone()
        return dict(zip(("name", "title", "country", "kind", "base_url"), row)) if row else None

    # -- speakers ----------------------------------------------------------------

    def speaker_id(
        self,
        name: str,
        *,
        kind: str = "person",
        country: str | None = None,
        aliases: Iterable[str] = (),
    ) -> int:
        """The id of the speaker called ``name`` (or known by it as an alias), created if new.

        Aliases are recorded so that later spellings ("Sergei Lavrov") find the
        same person. Runs inside the caller's transaction.
        """
        key = name.casefold()
        cached = self._speaker_ids.get(key)
        if cached is not None:
            return cached
        row = self.db.execute(
            "SELECT speaker_id FROM speaker_aliases WHERE alias = ? COLLATE NOCASE "
            "UNION ALL SELECT id FROM speakers WHERE name = ? COLLATE NOCASE LIMIT 1",
            [name, name],
        ).fetchone()
        if row:
            speaker_id = row[0]
        else:
            cursor = self.db.execute(
                "INSERT INTO speakers (name, kind, country) VALUES (?, ?, ?)",
                [name, kind, country],
            )
            speaker_id = cursor.lastrowid
        for alias in {name, *aliases}:
            self.db.execute(
                "INSERT OR IGNORE INTO speaker_aliases (alias, speaker_id) VALUES (?, ?)",
                [alias, speaker_id],
            )
        self._speaker_ids[key] = speaker_id
        return speaker_id

    def merge_speakers(self, keep: str, other: str) -> dict[str, Any]:
        """Join speaker ``other`` into ``keep``: statements and aliases move, ``other`` goes.

        Both are looked up by name or alias. Returns the kept speaker with its
        new statement count.
        """
        keep_id = self._find_speaker(keep)
        other_id = self._find_speaker(other)
        if keep_id == other_id:
            raise InvalidArgument(f"{keep!r} and {other!r} are already one speaker")
        with self.transaction():
            self.db.execute(
                "UPDATE statements SET speaker_id = ? WHERE speaker_id = ?", [keep_id, other_id]
            )
            self.db.execute(
                "UPDATE OR IGNORE speaker_aliases SET speaker_id = ? WHERE speaker_id = ?",
                [keep_id, other_id],
            )
            self.db.execute("DELETE FROM speaker_aliases WHERE speaker_id = ?", [other_id])
            self.db.execute("DELETE FROM speakers WHERE id = ?", [other_id])
        self._speaker_ids.clear()
        return speaker_rows(self.db, "WHERE sp.id = :id", {"id": keep_id, "limit": -1})[0]

    def _find_speaker(self, name: str) -> int:
        row = self.db.execute(
            "SELECT id FROM speakers WHERE name = ? COLLATE NOCASE UNION ALL "
            "SELECT speaker_id FROM speaker_aliases WHERE alias = ? COLLATE NOCASE LIMIT 1",
            [name, name],
        ).fetchone()
        if row is None:
            raise NotFound(f"no speaker called {name!r}; list them with `archive speakers`")
        return row[0]


#: A speaker with its kind, statement count and aliases; ``{where}`` filters ``sp``.
_SPEAKER_ROWS = """SELECT sp.id, sp.name, sp.kind, sp.country,
       (SELECT count(*) FROM statements st WHERE st.speaker_id = sp.id) AS statements,
       (SELECT json_group_array(alias) FROM speaker_aliases a
        WHERE a.speaker_id = sp.id AND a.alias != sp.name AND a.alias != '') AS aliases
FROM speakers sp {where} ORDER BY statements DESC, sp.name LIMIT :limit"""


def speaker_rows(db: Any, where: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Speakers as ``archive speakers`` lists them (:func:`archive.queries.list_speakers`) and
    :meth:`SpeakerWrites.merge_speakers` returns the kept one: most quoted first, aliases
    sorted, ``unnamed`` (older archives' name) read as ``description``.

    ``where`` is a ``WHERE`` clause on ``sp`` (or empty) whose named parameters, and
    ``limit`` (-1: all), are in ``params``. Here, in the store, so that the writer needs
    nothing from the readers above it.
    """
    cursor = db.execute(_SPEAKER_ROWS.format(where=where), params)
    columns = [c[0] for c in cursor.description]
    rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
    for row in rows:
        row["aliases"] = sorted(json.loads(row["aliases"] or "[]"))
        if row["kind"] == "unnamed":
            row["kind"] = "description"
    return rows
