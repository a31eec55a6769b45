"""What a name can be: a place, a country, a capital standing for its government, a word.

A speaker is a person, a body, an outlet or an unnamed source — never a region ("Xinjiang"), a
country as a word in a sentence, or a sentence word ("Starting", "Indeed"). The attribution
engine asks these questions of every speaker phrase; the archive asks them of stored records
(``archive speakers audit``) and of a query before it ranks a speaker's own words first. The
vocabularies are data files beside this module.
"""

from __future__ import annotations

from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.wordlists import read_table, read_words

_HERE = Path(__file__).resolve().parent

#: Country adjectives and names to the country: :data:`archive.identity.names.COUNTRY_ADJECTIVES`
#: (the same table, read once per process), read here so that asking whether a name is a
#: place (every ranked search does) does not compile the name parser's patterns.
COUNTRY_ADJECTIVES = read_table(_HERE / "countries.tsv")

#: Places that are not governments and never speak ("Xinjiang", "Hong Kong", "Galwan Valley").
PLACES = frozenset(w.lower() for w in read_words(_HERE / "places.txt"))
#: Capitals and seats of government, and the country each stands for ("Moscow" → "Russia").
CAPITALS = read_table(_HERE / "capitals.tsv")
#: Lowercase country names and adjectives (possessives too) to the country.
COUNTRIES = {k.lower(): v for k, v in COUNTRY_ADJECTIVES.items()} | {
    v.lower(): v for v in COUNTRY_ADJECTIVES.values()
}


if TYPE_CHECKING:
    #: Ordinary English words: a name made only of these is not a person's name.
    COMMON_WORDS: frozenset[str]


def __getattr__(name: str) -> Any:
    """:data:`COMMON_WORDS` (12,684 words, 1.5 ms to read) is read when first used: a search
    asks only whether a one-word query is one, and multi-word ones never do."""
    if name == "COMMON_WORDS":
        return _common_words()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _common_words() -> frozenset[str]:
    return frozenset(read_words(_HERE / "common_words.txt"))


@lru_cache(maxsize=16384)
def country_of(phrase: str) -> str | None:
    """The country a bare country word or capital stands for ("Moscow", "China", "the US").

    Pure in ``phrase`` and asked of every capitalised run the quote engine reads (a tenth of a
    million calls over its gold sets): cached."""
    name = " ".join(phrase.split())
    for article in ("the ", "The "):
        name = name.removeprefix(article)
    name = name.removesuffix("'s").removesuffix("’s")
    if name in CAPITALS:
        return CAPITALS[name]
    return COUNTRIES.get(name.lower())


def doubtful_name(name: str) -> str | None:
    """Why ``name`` cannot be a person's name, or ``None`` when it may be one.

    ``place`` (a region or a city), ``country`` (a country or a capital as a word), or
    ``word`` (a single ordinary word: "Starting", "Indeed", "Why").
    """
    words = name.split()
    if not words:
        return "word"
    if name.lower() in PLACES:
        return "place"
    if country_of(name):
        return "country"
    if len(words) == 1 and name.lower() in _common_words():
        return "word"
    return None
