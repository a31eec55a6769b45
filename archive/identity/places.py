"""What a name can be: a place, a country, a capital standing for its government, a word.

A speaker is a person, a body, an outlet or an unnamed source — never a region ("Xinjiang"), a
country as a word in a sentence, or a sentence word ("Starting", "Indeed"). The attribution
engine asks these questions of every speaker phrase; the archive asks them of stored records
(``archive speakers audit``) and of a query before it ranks a speaker's own words first. The
vocabularies are data files beside this module.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from archive.identity.names import COUNTRY_ADJECTIVES
from archive.wordlists import read_table, read_words

_HERE = Path(__file__).resolve().parent

#: Places that are not governments and never speak ("Xinjiang", "Hong Kong", "Galwan Valley").
PLACES = frozenset(w.lower() for w in read_words(_HERE / "places.txt"))
#: Capitals and seats of government, and the country each stands for ("Moscow" → "Russia").
CAPITALS = read_table(_HERE / "capitals.tsv")
#: Ordinary English words: a name made only of these is not a person's name.
COMMON_WORDS = frozenset(read_words(_HERE / "common_words.txt"))
#: Lowercase country names and adjectives (possessives too) to the country.
COUNTRIES = {k.lower(): v for k, v in COUNTRY_ADJECTIVES.items()} | {
    v.lower(): v for v in COUNTRY_ADJECTIVES.values()
}


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
    if len(words) == 1 and name.lower() in COMMON_WORDS:
        return "word"
    return None
