"""English names and the words around them: which capitalised run is a person, a body, an
outlet, a country or a place, and the title in front of a name.

Pure functions over vocabularies kept as data files beside this module (outlets, bodies,
organisation words, places, capitals, common words, role tokens); :mod:`.entities` builds a
document's chain of mentions with them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from archive.identity.names import COUNTRY_ADJECTIVES, HONORIFICS
from archive.identity.places import CAPITALS, COMMON_WORDS, PLACES, country_of
from archive.wordlists import read_table, read_words
from mfa_scraper.attribution.en.cues import MONTHS, OFFICE_NOUNS, SPEAKER_NOUNS, UPPER, WEEKDAYS

_WORDS = Path(__file__).resolve().parent

PERSON = "person"

ORGANIZATION = "organization"

OUTLET = "outlet"

DESCRIPTION = "description"

#: A capitalised run: a name, a title and a name, a body. Never across a line break.
#: The word boundary before the first capital is a lookbehind after it ("no word character
#: before this capital"): a pattern that opens with a character class lets the regex engine
#: skip to the next capital instead of trying a match at every offset (twice as fast).
NAME_RE = re.compile(
    rf"[{UPPER}](?<!\w[{UPPER}])[^\W\d_A-Z{UPPER[3:]}][\w'’-]*(?:[ \t]+(?:[A-Z]\.[ \t]*)?"
    rf"(?:al-|(?:bin|ibn|de(?:[ \t]+la)?|da|dos|das|di|del|della|du|von(?:[ \t]+der)?|"
    rf"van(?:[ \t]+der)?)[ \t]+)?[{UPPER}][\w'’-]*){{0,5}}"
)

#: Capitalised words that begin or belong to names of things, not people.
NOT_NAME_WORDS = frozenset(read_words(_WORDS / "not_name_words.txt"))

#: Office words inside a capitalised run ("AU Commission Chairperson Faki").
ROLE_TOKENS = frozenset(read_words(_WORDS / "role_tokens.txt"))
#: Office words :func:`holder_name` looks for in a title, the union built once.
_OFFICE_WORDS = ROLE_TOKENS | SPEAKER_NOUNS

OUTLETS = frozenset(w.lower() for w in read_words(_WORDS / "outlets.txt"))

BODIES = frozenset(w.lower() for w in read_words(_WORDS / "bodies.txt"))
#: Offices as abbreviations ("the PM"), spelt out so that descriptions match them.
OFFICE_ABBREVIATIONS = read_table(_WORDS / "office_abbreviations.tsv")

ORGANIZATION_WORDS = frozenset(read_words(_WORDS / "organization_words.txt"))


#: Ordinary English words: a capitalised run made only of these is not a person's name.


HONORIFICS_LOWER = frozenset(HONORIFICS)


COUNTRY_WORDS = frozenset(
    w for k, v in COUNTRY_ADJECTIVES.items() for w in (k.title(), v) if " " not in w
) | {"US", "U.S.", "UK", "U.K.", "UN", "EU", "Britain", *CAPITALS}

#: Lowercase country names and adjectives (with possessives) to the country.

PARTICLES = frozenset(
    ["de", "von", "van", "der", "al", "bin", "ibn", "la", "da", "dos", "das", "di", "del", "della",
     "du"]
)  # fmt: skip

#: Heads of a description that stands for an outlet ("the paper said").
OUTLET_NOUNS = frozenset(
    "paper newspaper daily tabloid editorial editorials outlet broadcaster channel network "
    "publication magazine website commentary op-ed mouthpiece media agency".split()
)

#: Heads of a description that stands for a body ("the ministry said").
BODY_NOUNS = frozenset(
    "ministry department embassy government office council commission committee agency "
    "administration army military navy coastguard guard party parliament court alliance bloc "
    "union organization organisation statement communique communiqué resolution kremlin "
    "pentagon cabinet presidency mission delegation".split()
)

MONTHS_DAYS = MONTHS | WEEKDAYS | frozenset({"today", "yesterday", "tonight"})

#: Words in front of a description that do not say who ("the", "this", "Russia's").
DETERMINERS = frozenset("the a an this that these those one another some several two".split())

#: Words that open the complement of an office ("President of Russia", "envoy to the UN").
OF_WORDS = frozenset("of to for at in".split())


def _hyphenated_office(word: str) -> bool:
    """An office written with a hyphen, every part of it an office word: "Vice-President"."""
    return "-" in word and all(part.lower() in ROLE_TOKENS for part in word.split("-"))


@lru_cache(maxsize=16384)
def name_words(run: str) -> tuple[str, str]:
    """Split a capitalised run into the title before a name and the name.

    "Foreign Minister Wang Yi" gives ("Foreign Minister", "Wang Yi"). Pure in ``run``, and the
    same runs recur on every page: cached.
    """
    words = run.split()
    cut = [k for k, w in enumerate(words) if w.rstrip(".") in NOT_NAME_WORDS
           or w in COUNTRY_WORDS or w.endswith(("'s", "’s", "s'", "s’"))  # "Sky News’ Kay Burley"
           or w.lower().rstrip(".") in ROLE_TOKENS
           or w.lower().endswith(("-designate", "-elect")) and w[0].isupper()  # "Minister-elect"
           or _hyphenated_office(w)  # "Vice-President"
           or w.lower().removesuffix("s") in ROLE_TOKENS  # "EU Foreign Ministers"
           or w.lower() in MONTHS_DAYS or (len(w) > 2 and w.isupper() and w not in SUFFIXES)
           or w.endswith("s") and w[:-1] in COUNTRY_WORDS  # "Minister for Indigenous Australians"
           or w.lower().rstrip(".") in HONORIFICS_LOWER]  # fmt: skip
    if cut == [0] and words[0] == "He" and len(words) == 2 and words[1].lower() not in COMMON_WORDS:
        cut = []  # the surname He (何): "He Jianxiong, the former executive director"
    cut = [k for k in cut if not _month_surname(words, k, cut)]
    if not cut:
        return "", run
    name = words[cut[-1] + 1 :]
    if name and all(w in SUFFIXES for w in name):
        return run, ""  # "World War II": a suffix with no name before it is nobody
    return " ".join(words[: cut[-1] + 1]), " ".join(name)


def _month_surname(words: list[str], k: int, cut: list[int]) -> bool:
    """Whether a month's name at ``k`` is a surname: after a first name ("Theresa May") or a
    courtesy title ("Ms May"), never at a run's start ("May 2019"); a day's never is
    ("Antonio Guterres Wednesday")."""
    if k == 0 or words[k].lower() not in MONTHS:
        return False
    before = words[k - 1]
    return before.lower().rstrip(".") in HONORIFICS_LOWER or (
        k - 1 not in cut
        and before[:1].isupper()
        and before.lower() not in MONTHS_DAYS
        and before.lower() not in COMMON_WORDS  # "Last May", "Early June"
    )


def strip_article(phrase: str) -> str:
    words = phrase.split()
    while words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=16384)
def body_kind(run: str) -> str | None:
    """``outlet`` or ``organization`` when a capitalised run names one, else ``None``."""
    name = strip_article(run)
    low = name.lower().rstrip(".")
    if low in OUTLETS or low.removesuffix("'s").removesuffix("’s") in OUTLETS:
        return OUTLET
    tokens = low.split()
    if any(" ".join(tokens[k:]) in OUTLETS for k in range(1, len(tokens))):
        return OUTLET  # "Russia's state news agency RIA Novosti"
    if low in BODIES:
        return ORGANIZATION
    words = [w.strip(",.") for w in name.split()]
    at = [k for k, w in enumerate(words) if w in ORGANIZATION_WORDS and (k or len(words) == 1)]
    if not at:
        return None
    tail = words[at[-1] + 1 :]
    if any(w.lower() in ROLE_TOKENS for w in tail):
        return None  # "AU Commission Chairperson Faki": a person with the body's office
    return ORGANIZATION


def body_acronym(word: str) -> bool:
    """An acronym that names a body ("DEA", "FBI"), not an office held by one person
    ("UNSG", "PM", "FM")."""
    word = word.strip(",.")
    return (
        len(word) >= 2
        and word.isupper()
        and word.isalpha()
        and not word.endswith(("SG", "PM", "FM", "VP"))
    )


#: What may follow a name and still belong to it ("Vicente Sotto III", "Martin Luther King Jr.").
SUFFIXES = frozenset("Jr Jr. Sr Sr. II III IV".split())


#: Heads that describe the person just named by party, as US and UK copy does: "“…,” the
#: Janesville Republican told reporters" is Paul Ryan, like "the 47-year-old".
PARTY_MEMBER_RE = re.compile(r"(?:republican|democrat|conservative|tory|labourite|liberal)$")


def ends_in_name(words: list[str]) -> bool:
    """Whether a phrase ends in a person's name rather than an office or a place
    ("spokesman Hong Lei", not "The President of Russia")."""
    if len(words) > 2 and words[-1].strip(",") in SUFFIXES:
        words = words[:-1]
    last = words[-1].strip(",.")
    return (
        len(words) >= 2
        and last[:1].isupper()
        and not last.isupper()
        and last.lower() not in ROLE_TOKENS
        and last.lower() not in OFFICE_NOUNS
        and not _hyphenated_office(last)  # "the Congress Vice-President"
        and not PARTY_MEMBER_RE.fullmatch(last.lower())  # "the Janesville Republican"
        and not (country_of(last) or last.lower() in PLACES)
        and words[-2].lower() not in OF_WORDS
    )


def lower_head(words: list[str]) -> bool:
    """Whether a phrase's head noun is lowercase: "China's ambassador to Britain"."""
    k = next((k for k, w in enumerate(words) if k and w in OF_WORDS), len(words))
    last = words[-1].strip(",.")
    if (
        k < len(words)
        and last[:1].isupper()
        and not country_of(last)
        and last.lower() not in PLACES
    ):
        return False  # "Chinese ambassador to the United States Cui Tiankai": a name at the end
    return k > 1 and words[k - 1][:1].islower()


def holder_name(phrase: str) -> str | None:
    """The name of the office holder that ends a phrase naming the office's body, else ``None``.

    "official spokeswoman of the Russian Foreign Ministry Maria Zakharova" and "Press Secretary
    of the Belarusian Ministry of Foreign Affairs Anatoly Glaz" hold a body's name, but they name
    a person: the office word before the body says the body is where the person works.
    """
    title, name = name_words(phrase)
    words = name.split()
    if not title or not words or len(words) > 4 or not all(w[:1].isupper() for w in words):
        return None
    if body_kind(name) is not None or country_of(name) or name.lower() in PLACES:
        return None
    if not any(w.lower().strip(",.") in _OFFICE_WORDS for w in title.split()):
        return None
    return name
