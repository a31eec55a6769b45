"""What the English engine records of a document's speakers: :class:`Speaker` (who said it),
:class:`Entity` (one person, body, outlet or unnamed source of a document) and :class:`Mention`
(where the document names one). Plain records, shared by :mod:`.entities` and :mod:`.speakers`.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Speaker:
    """Who said it, as the archive records it: a name and what kind of speaker it is.

    ``kind`` is ``person``, ``organization`` (a ministry, a government, a country as the
    sayer), ``outlet`` (a newspaper whose editorial is quoted) or ``description`` (an
    unnamed source: "senior official", kept as written without its article).
    """

    name: str
    kind: str
    role: str | None = None
    org: str | None = None


@dataclass(eq=False)
class Entity:
    """One person, body, outlet or unnamed source of a document, with what it was called."""

    name: str
    kind: str
    roles: set[str] = field(default_factory=set)
    gender: str | None = None
    org: str | None = None
    positions: list[int] = field(default_factory=list)

    def speaker(self, role: str | None = None) -> Speaker:
        return Speaker(self.name, self.kind, role, self.org)


@dataclass
class Mention:
    """Where the document names an entity, and whether as the subject of its sentence."""

    pos: int
    end: int
    entity: Entity
    subject: bool
