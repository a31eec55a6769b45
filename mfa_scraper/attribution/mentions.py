"""Who a document has named so far, so that short mentions resolve to full names.

"Xi" resolves to "Xi Jinping" once the document (or its title, passed as context) has named
him; "Volker" to "Kurt Volker". Short names not seen in the document fall back to registry
aliases ("Pompeo" → "Mike Pompeo").
"""

from __future__ import annotations

from collections.abc import Iterable

from archive.identity.names import NAME_SUFFIXES, canonical_name
from archive.identity.registry import Registry, cyrillic_stem, default_registry


def _short_key(token: str) -> str:
    """Key of a first or last name: lowercase, Russian case endings dropped ("Петрова")."""
    low = token.lower()
    return cyrillic_stem(low) if "\u0430" <= low[:1] <= "\u044f" else low


class PeopleIndex:
    """Who has been named so far in one document, to resolve short mentions.

    "Xi" resolves to "Xi Jinping" once the document (or its title, passed as
    context) has named him; "Volker" to "Kurt Volker". Short names not seen in
    the document fall back to registry aliases ("Pompeo" → "Mike Pompeo").
    """

    def __init__(self, registry: Registry | None = None, context: Iterable[str] = ()) -> None:
        self.registry = registry or default_registry()
        self._short: dict[str, str] = {}
        for name in context:
            self.add(canonical_name(name, self.registry))

    def add(self, full_name: str) -> None:
        """Record a full name so its first and last tokens resolve to it."""
        tokens = full_name.split()
        if len(tokens) < 2:
            return
        core = [t for t in tokens if t.lower().rstrip(".") not in NAME_SUFFIXES]
        for token in {core[0], core[-1]}:
            key = _short_key(token)
            if len(key) > 1 and key not in self._short:
                self._short[key] = full_name

    def resolve(self, name: str) -> str:
        """The full canonical name behind ``name`` as used in this document."""
        name = canonical_name(name, self.registry)
        if not name:
            return name
        if " " not in name:
            full = self._short.get(_short_key(name))
            if full:
                return full
        person = self.registry.lookup(name)
        return person.name if person else name

    def gender(self, name: str) -> str | None:
        """``m``/``f`` when the registry knows it; used to match he/she."""
        person = self.registry.lookup(name)
        return person.gender if person else None
