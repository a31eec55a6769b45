"""Full-text search over statements: who said what, when, and where.

A query matches statement text (SQLite FTS5, Porter-stemmed) and speaker
names: ``Lavrov`` finds what Sergey Lavrov said as well as what others said of
him, his own words first. :func:`search_sql` returns the SQL and parameters
without running them, the twin of ``archive search --sql``.

Three scripts, three ways to find a word:

- English (and any Latin script): the Porter-stemmed word index, as typed.
- Russian: Porter leaves Cyrillic alone, so each Cyrillic word is searched as the prefix
  of its Snowball stem (Лаврова → ``лавров*``), which finds Лавров, Лаврова, Лавровым;
  ``е`` and ``ё`` find each other (:func:`russian_term`).
- Chinese: a word of Han characters is a substring of a statement, found in the trigram
  index of schema version 6 (3+ characters) or through its trigrams' vocabulary (1–2
  characters, :meth:`_HanQuery._han_leaf`). Queries holding one take the plan of
  :func:`reference_sql` (every hit scored, then filtered and sorted): see :class:`_HanQuery`.
"""

from __future__ import annotations

import functools
import itertools
import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from archive.exceptions import InvalidArgument, InvalidQuery
from archive.schema import HAN_FTS_TABLE, HAN_RANGES, HAN_TERMS_TABLE

if TYPE_CHECKING:
    from sqlite_utils import Database  # imported lazily: 0.2 s of CLI start-up

#: Orders ``archive search`` offers: best match first, or newest first.
SORTS = ("rank", "date")

#: Marks placed around matched words in snippets; the CLI turns them into colour.
HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"

#: Rank given to statements found by their speaker's name: ahead of any text match.
SPEAKER_MATCH_RANK = -1e9

#: What ``--lang`` takes: the primary language subtag documents are stored with.
LANGUAGES = ("en", "ru", "zh")

_FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
# A word character: letter/digit/underscore, or any non-ASCII character of the BMP. The same
# set as [\w\u0080-\uffff], which took 5 ms to compile per pattern (CLI start-up).
_CHAR = r"(?:\w|[^\x00-\x7f\U00010000-\U0010ffff])"
# A bare token FTS5 takes as it is: letters/digits/underscore/non-ASCII, maybe a trailing * .
_BAREWORD = re.compile(rf"^{_CHAR}+\*?$")
# A word with inner punctuation (China-India, U.S., Xi's) that the user meant as a phrase.
_COMPOUND = re.compile(rf"^{_CHAR}+(?:[-./'’]{_CHAR}+)+\.?$")
_WORD = re.compile(rf"{_CHAR}+")


@dataclass
class Search:
    """What ``archive search`` was asked, validated."""

    query: str
    speaker: str | None = None
    source: str | None = None
    since: str | None = None
    until: str | None = None
    limit: int = 20
    sort: str = "rank"
    lang: str | None = None

    def __post_init__(self) -> None:
        if not self.query.strip():
            raise InvalidQuery("empty query; give words to search for, e.g. archive search Lavrov")
        if self.sort not in SORTS:
            raise InvalidArgument(f"unknown sort {self.sort!r}; use one of: {', '.join(SORTS)}")
        if self.limit < 1:
            raise InvalidArgument(f"--limit must be at least 1, not {self.limit}")
        self.since = _iso_date(self.since, "--since")
        self.until = _iso_date(self.until, "--until")
        self.lang = _language(self.lang)


def _language(value: str | None) -> str | None:
    if value is None:
        return None
    lang = value.strip().lower()
    if lang not in LANGUAGES:
        raise InvalidArgument(
            f"unknown language {value!r} for --lang; use one of: {', '.join(LANGUAGES)}"
        )
    return lang


def _iso_date(value: str | None, option: str) -> str | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise InvalidArgument(f"{option} {value!r} is not a date; use YYYY-MM-DD") from None


def fts_query(query: str) -> str:
    """Make a user's query safe for FTS5 MATCH while keeping its operators.

    Quoted phrases, ``AND``/``OR``/``NOT``/``NEAR``, parentheses and ``prefix*``
    pass through; words with inner punctuation such as ``China-India`` or
    ``U.S.`` become phrases, as a reader means them. What is left malformed (an
    unbalanced quote, a lone ``-``) is reported by :func:`search` as
    :class:`InvalidQuery`. Russian words become prefix queries of their stems
    (:func:`russian_term`); a query without Cyrillic is otherwise unchanged.
    """
    parts = _fts_tokens(query)
    if not any(_CYRILLIC.search(part) for part in parts):
        return " ".join(parts)
    try:
        return _porter(_Parser(parts).parse())
    except _SyntaxError:
        # Malformed: rewrite the words where they stand and let FTS5 name the error, as it
        # does for any other query.
        return " ".join(_porter(_Leaf(part)) if part not in _SYNTAX else part for part in parts)


def _fts_tokens(query: str) -> list[str]:
    """The query's tokens as FTS5 should read them: compounds as phrases, the rest as typed."""
    if query.count('"') % 2:
        raise InvalidQuery(
            f"unbalanced double quote in {query!r}; close the phrase or remove the quote"
        )
    parts: list[str] = []
    for token in re.findall(r'"[^"]*"|\(|\)|[^\s()"]+', query):
        if (
            token.startswith('"')
            or token in ("(", ")")
            or token in _FTS_OPERATORS
            or _BAREWORD.match(token)
        ):
            parts.append(token)
        elif _COMPOUND.match(token):
            parts.append('"' + token.rstrip(".") + '"')
        else:
            parts.append(token)
    return parts


# -- the query as a tree -----------------------------------------------------------------
#
# Rewriting a Russian word into (вертолет* OR вертолёт*), and sending Chinese words to another
# index, both need the query's structure: FTS5 refuses a parenthesised group next to a word
# ("a (b OR c)"), and an implicit AND binds tighter than NOT ("a NOT b c" is "a NOT (b c)").
# Plain classes: as dataclasses, these and _HanQuery cost every `archive search` 20 ms of
# start-up (a dataclass writes and compiles its methods when the module is imported).


class _Leaf:
    """A word, ``prefix*`` or quoted phrase, as FTS5 reads it."""

    __slots__ = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token


class _Near:
    """``NEAR(…)`` with the tokens between its parentheses, kept as a unit."""

    __slots__ = ("tokens",)

    def __init__(self, tokens: tuple[str, ...]) -> None:
        self.tokens = tokens


class _And:
    __slots__ = ("children",)

    def __init__(self, children: tuple[_Node, ...]) -> None:
        self.children = children


class _Or:
    __slots__ = ("children",)

    def __init__(self, children: tuple[_Node, ...]) -> None:
        self.children = children


class _Not:
    __slots__ = ("left", "right")

    def __init__(self, left: _Node, right: _Node) -> None:
        self.left, self.right = left, right


_Node = _Leaf | _Near | _And | _Or | _Not
_SYNTAX = {"(", ")", "AND", "OR", "NOT"}


class _SyntaxError(Exception):
    """The query's operators or parentheses do not parse; ``token`` is where (None: the end)."""

    def __init__(self, token: str | None) -> None:
        super().__init__(token)
        self.token = token


class _Parser:
    """FTS5's grammar over :func:`_fts_tokens`: from loosest to tightest OR, AND, NOT, then
    the implicit AND of neighbours. More lenient than FTS5 in one way: a parenthesised group
    may stand next to a word (an implicit AND), as readers write it."""

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.i = 0

    def parse(self) -> _Node:
        node = self._or()
        if self._peek() is not None:
            raise _SyntaxError(self._peek())
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _or(self) -> _Node:
        nodes = [self._and()]
        while self._peek() == "OR":
            self.i += 1
            nodes.append(self._and())
        return nodes[0] if len(nodes) == 1 else _Or(tuple(nodes))

    def _and(self) -> _Node:
        nodes = [self._not()]
        while self._peek() == "AND":
            self.i += 1
            nodes.append(self._not())
        return nodes[0] if len(nodes) == 1 else _And(tuple(nodes))

    def _not(self) -> _Node:
        node = self._neighbours()
        while self._peek() == "NOT":
            self.i += 1
            node = _Not(node, self._neighbours())
        return node

    def _neighbours(self) -> _Node:
        nodes = [self._primary()]
        while self._peek() not in (None, ")", "AND", "OR", "NOT"):
            nodes.append(self._primary())
        return nodes[0] if len(nodes) == 1 else _And(tuple(nodes))

    def _primary(self) -> _Node:
        token = self._peek()
        if token is None or token in (")", "AND", "OR", "NOT"):
            raise _SyntaxError(token)
        self.i += 1
        if token == "(":
            node = self._or()
            if self._peek() != ")":
                raise _SyntaxError(self._peek())
            self.i += 1
            return node
        if token == "NEAR" and self._peek() == "(":
            return self._near()
        return _Leaf(token)

    def _near(self) -> _Near:
        self.i += 1  # the "("
        inner: list[str] = []
        while self._peek() not in (None, ")"):
            inner.append(self.tokens[self.i])
            self.i += 1
        if self._peek() is None:
            raise _SyntaxError(None)
        self.i += 1
        return _Near(tuple(inner))


def _porter(node: _Node, *, top: bool = True) -> str:
    """The FTS5 query of ``node`` for ``statements_fts``, Russian words as stem prefixes."""
    if isinstance(node, _Leaf):
        return _porter_leaf(node.token)
    if isinstance(node, _Near):
        inner = " ".join(_CYRILLIC_WORD.sub(_near_word, token) for token in node.tokens)
        return f"NEAR({inner})"
    if isinstance(node, _Not):
        text = f"{_porter(node.left, top=False)} NOT {_porter(node.right, top=False)}"
    else:
        operator = " AND " if isinstance(node, _And) else " OR "
        text = operator.join(_porter(child, top=False) for child in node.children)
    return text if top else f"({text})"


def _porter_leaf(token: str) -> str:
    if not _CYRILLIC.search(token):
        return token
    if token.startswith('"'):
        # A phrase of stems: FTS5 marks one token of a phrase as a prefix only through "+".
        words = _WORD.findall(token)
        return (
            " + ".join(
                russian_term(word, variants=False) if _CYRILLIC.search(word) else f'"{word}"'
                for word in words
            )
            or token
        )
    if _BAREWORD.match(token) and not token.endswith("*"):
        return russian_term(token)
    return token


def _near_word(match: re.Match[str]) -> str:
    return russian_term(match.group(0), variants=False)


# -- Russian -----------------------------------------------------------------------------

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CYRILLIC_WORD = re.compile(r"(?<![\w*])[\u0400-\u04ff]+(?![\w*])")
#: A stem shorter than this is searched as the whole word: "её" stems to "е", and ``е*``
#: would find every word that starts with е.
MIN_STEM = 3
#: е/ё letters of a word whose spellings are all tried: 2**3 = 8 prefixes at most.
YO_VARIANTS = 3


@functools.cache
def _russian_stemmer() -> Any:
    # Imported on first Russian word only: CLI start-up pays nothing for English searches.
    import snowballstemmer

    return snowballstemmer.stemmer("russian")


def russian_term(word: str, *, variants: bool = True) -> str:
    """The FTS5 query for a Russian word: the prefix of its Snowball stem, ``е``/``ё`` alike.

    ``Лаврова`` → ``лавров*`` finds Лавров, Лаврова, Лавровым. The index (unicode61) folds
    Cyrillic case but keeps ``ё`` apart from ``е`` (remove_diacritics leaves Cyrillic alone),
    and Snowball reads ``ё`` as ``е``: with ``variants`` each ``е``/``ё`` of the prefix is
    tried both ways, ``(провел* OR провёл*)``, so a query typed without ``ё`` finds text
    written with it and the other way round. Without (inside a phrase or ``NEAR``, where FTS5
    takes no ``OR``) the word keeps the user's spelling.
    """
    lower = word.lower()
    stem = _russian_stemmer().stemWord(lower)
    if len(stem) < MIN_STEM:
        prefix, star = lower, ""
    elif lower.replace("ё", "е").startswith(stem):
        prefix, star = lower[: len(stem)], "*"  # the stem in the user's spelling
    else:
        prefix, star = stem, "*"
    forms = _yo_forms(prefix) if variants else [prefix]
    terms = [form + star for form in forms]
    return terms[0] if len(terms) == 1 else "(" + " OR ".join(terms) + ")"


def _yo_forms(prefix: str) -> list[str]:
    """``prefix`` with each ``е``/``ё`` both ways, the user's own spelling first."""
    places = [i for i, char in enumerate(prefix) if char in "её"]
    if len(places) > YO_VARIANTS:
        return list(dict.fromkeys([prefix, prefix.replace("ё", "е")]))
    forms = [prefix]
    for letters in itertools.product("её", repeat=len(places)):
        chars = list(prefix)
        for place, letter in zip(places, letters):
            chars[place] = letter
        forms.append("".join(chars))
    return list(dict.fromkeys(forms))


# -- Chinese -----------------------------------------------------------------------------

_HAN_CLASS = "[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in HAN_RANGES) + "]"


@functools.cache
def _han_pattern() -> re.Pattern[str]:
    return re.compile(_HAN_CLASS)


def _has_han(text: str) -> bool:
    """Whether ``text`` holds a Han character. The pattern is compiled on the first text that
    is not ASCII (2.6 ms, which an English search's start-up does not pay)."""
    return not text.isascii() and _han_pattern().search(text) is not None


_CONTROL = re.compile("[\x00-\x1f\x7f]")
#: Terms of this many characters or more are phrases of the trigram index; shorter ones are
#: found through the trigrams that start with them.
TRIGRAM = 3
#: BM25's constants, as FTS5's bm25() uses them.
_K1, _B = 1.2, 0.75
#: Characters of a Chinese snippet before the first match, and in all.
SNIPPET_BEFORE, SNIPPET_CHARS = 20, 64


class _HanQuery:
    """A query holding Chinese words, compiled to SQL over two indexes.

    Each leaf becomes a CTE of statement ids: a subtree without Han characters is one FTS5
    query of ``statements_fts`` (scored by its bm25); a Chinese word is a substring, from the
    trigram index (3+ characters) or from the trigrams that start with it (1–2 characters,
    exact because every indexed text ends in :data:`archive.schema.HAN_END`). AND, OR and NOT
    become INTERSECT, UNION and EXCEPT, so a mixed query means what it says for every
    statement. A Chinese word's score is BM25 over characters: its occurrences counted with
    ``replace``, the statement's length against the average of the word's hits, its rarity
    among the statements of the trigram index. A statement's rank is the sum of the scores of
    the words it matched (none under NOT).
    """

    def __init__(self) -> None:
        self.ctes: list[str] = []
        self.params: dict[str, Any] = {}
        self.scores: list[str] = []  # CTEs of (id, score), one per positive word
        self.han_terms: list[str] = []  # positive Chinese words, for snippets
        self.porter_terms: list[str] = []  # positive word-index queries, for snippets
        self.porter_queries: list[str] = []  # every word-index query, parsed before running
        #: The CTEs, ``text_hits`` last, once :func:`han_query` compiled the query.
        self.sql = ""

    def compile(self, node: _Node, *, positive: bool = True) -> str:
        """SQL selecting the ids of statements that match ``node``."""
        if not _holds_han(node):
            return self._porter_leaf(_porter(node), positive)
        if isinstance(node, _Leaf):
            return self._han_leaf(_han_literal(node.token), positive)
        if isinstance(node, _Near):
            raise InvalidQuery(
                "NEAR(…) cannot hold Chinese words; search them without NEAR, e.g. 美国 制裁"
            )
        if isinstance(node, _Not):
            left = self.compile(node.left, positive=positive)
            right = self.compile(node.right, positive=False)
            return f"SELECT id FROM ({left}) EXCEPT SELECT id FROM ({right})"
        operator = " INTERSECT " if isinstance(node, _And) else " UNION "
        return operator.join(
            f"SELECT id FROM ({self.compile(child, positive=positive)})" for child in node.children
        )

    def _name(self) -> str:
        return f"t{len(self.ctes)}"

    def _porter_leaf(self, query: str, positive: bool) -> str:
        name = self._name()
        self.params[name] = query
        self.porter_queries.append(query)
        self.ctes.append(
            f"{name} AS MATERIALIZED (\n    SELECT rowid AS id, bm25(statements_fts) AS score "
            f"FROM statements_fts WHERE statements_fts MATCH :{name}\n)"
        )
        if positive:
            self.scores.append(name)
            self.porter_terms.append(query)
        return f"SELECT id FROM {name}"

    def _han_leaf(self, literal: str, positive: bool) -> str:
        name = self._name()
        self.params[f"{name}_text"] = literal
        if len(literal) >= TRIGRAM:
            self.params[name] = '"' + literal.replace('"', '""') + '"'
            found = f"SELECT rowid AS id FROM {HAN_FTS_TABLE} WHERE {HAN_FTS_TABLE} MATCH :{name}"
            # Occurrences counted in the text: the phrase has no count of its own.
            tf = (
                f"max(1, (length(st.text) - length(replace(lower(st.text), :{name}_text, ''))) "
                f"/ length(:{name}_text))"
            )
        else:
            # Trigrams in byte order: those starting with the term lie between it and the
            # term with its last character raised by one. Each is one occurrence.
            self.params[name] = literal
            self.params[f"{name}_end"] = literal[:-1] + chr(ord(literal[-1]) + 1)
            found = (
                f"SELECT doc AS id, count(*) AS tf FROM {HAN_TERMS_TABLE} "
                f"WHERE term >= :{name} AND term < :{name}_end GROUP BY doc"
            )
            tf = "l.tf"
        self.ctes.append(f"{name} AS MATERIALIZED (\n    {found}\n)")
        if positive:
            self.han_terms.append(literal)
            self._score_han(name, tf)
        return f"SELECT id FROM {name}"

    def _score_han(self, name: str, tf: str) -> None:
        # Materialized: read by text_hits and by the statistics in the same query.
        self.ctes.append(
            f"""{name}_tf AS MATERIALIZED (
    SELECT l.id, length(st.text) AS dl, {tf} AS tf
    FROM {name} l JOIN statements st ON st.id = l.id
),
{name}_score AS MATERIALIZED (
    SELECT h.id, -ln(1 + (n.docs - n.hits + 0.5) / (n.hits + 0.5))
        * h.tf * {_K1 + 1} / (h.tf + {_K1} * ({1 - _B} + {_B} * h.dl / n.avgdl)) AS score
    FROM {name}_tf h, (
        SELECT (SELECT count(*) FROM {HAN_FTS_TABLE}_docsize) AS docs, count(*) AS hits,
               avg(dl) AS avgdl FROM {name}_tf
    ) AS n
)"""
        )
        self.scores.append(f"{name}_score")

    def text_hits(self, node: _Node) -> str:
        """CTEs ending in ``text_hits (id, rank, matched)``, as :func:`reference_sql` reads.

        A statement's rank sums the scores of the positive words it holds. Every hit holds
        at least one (NOT only removes hits), so the sum runs over the union of the score
        tables, kept to the hits by ``IN``: SQLite indexes the set once. (LEFT JOINs of the
        score tables were scanned once per hit when the planner misjudged their size: 50 s
        for 美国 OR Pompeo.)
        """
        matched = self.compile(node)
        ctes = ",\n".join(self.ctes)
        if isinstance(node, _Leaf):  # one Chinese word: its scores are its hits
            return (
                ctes
                + f""",
text_hits AS (SELECT id, score AS rank, 1 AS matched FROM {self.scores[0]})"""
            )
        scores = " UNION ALL ".join(f"SELECT id, score FROM {name}" for name in self.scores)
        return (
            ctes
            + f""",
text_hits AS (
    SELECT id, sum(score) AS rank, 1 AS matched FROM ({scores})
    WHERE id IN ({matched}) GROUP BY id
)"""
        )

    def snippet_query(self) -> str | None:
        """An FTS5 query of the positive non-Chinese words, for English snippets."""
        if not self.porter_terms:
            return None
        return " OR ".join(f"({query})" for query in self.porter_terms)


def _holds_han(node: _Node) -> bool:
    if isinstance(node, _Leaf):
        return _has_han(node.token)
    if isinstance(node, _Near):
        return any(_has_han(token) for token in node.tokens)
    if isinstance(node, _Not):
        return _holds_han(node.left) or _holds_han(node.right)
    return any(_holds_han(child) for child in node.children)


def _han_literal(token: str) -> str:
    """The substring a Chinese token stands for: quotes and a trailing ``*`` dropped, folded
    to lower case as the trigram index folds Latin letters. Control characters go: no
    statement holds them, NUL would end FTS5's reading of the query, and U+001F is the
    index's end mark."""
    return _CONTROL.sub("", token.strip('"').rstrip("*")).strip().lower()


def han_query(query: str) -> _HanQuery | None:
    """A query holding Chinese words, compiled (:class:`_HanQuery`); None for any other query.

    Raises:
        InvalidQuery: the operators or parentheses do not parse, or NEAR holds Chinese.
    """
    if not _has_han(query):
        return None
    try:
        tree = _Parser(_fts_tokens(query)).parse()
    except _SyntaxError as exc:
        where = f"near {exc.token!r}" if exc.token else "at its end"
        raise InvalidQuery(
            f"cannot search for {query!r}: syntax error {where}; "
            'put a phrase in double quotes, e.g. "一个中国"'
        ) from None
    han = _HanQuery()
    han.sql = han.text_hits(tree)
    return han


def _han_snippet(text: str, terms: list[str]) -> str | None:
    """A window of ``text`` around its first Chinese match, every match in it highlighted."""
    pattern = re.compile(
        "|".join(re.escape(term) for term in sorted(set(terms), key=len, reverse=True)),
        re.IGNORECASE,
    )
    first = pattern.search(text)
    if first is None:
        return None
    start = max(0, first.start() - SNIPPET_BEFORE)
    end = min(len(text), start + SNIPPET_CHARS)
    piece = pattern.sub(lambda m: HIGHLIGHT_START + m.group(0) + HIGHLIGHT_END, text[start:end])
    return ("…" if start else "") + piece + ("…" if end < len(text) else "")


def _name_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w.upper() not in _FTS_OPERATORS]


def _speaker_filter(
    words: list[str], prefix: str, *, people_only: bool = False
) -> tuple[str, dict[str, str]]:
    """SQL selecting speaker ids whose name or an alias holds every word, as whole words.

    With ``people_only``, outlets and organisations are left out: a search for
    "China" should not put every question of *China Daily* first.
    """
    conditions = []
    params: dict[str, str] = {}
    for i, word in enumerate(words):
        key = f"{prefix}{i}"
        # Initials and commas are word boundaries: "J" finds "Antony J. Blinken".
        conditions.append(
            f"(' ' || replace(replace(alias, '.', ' '), ',', ' ') || ' ') LIKE :{key}"
        )
        params[key] = f"% {word} %"
    if people_only:
        conditions.append("speaker_id IN (SELECT id FROM speakers WHERE kind = 'person')")
    where = " AND ".join(conditions) if words else "0"
    return f"SELECT speaker_id FROM speaker_aliases WHERE {where}", params


#: Rows of FTS5's own ``ORDER BY rank`` a rank search takes first. When filters or ties at
#: the window's edge leave the page unsure, the second run takes every hit: FTS5 computes
#: bm25 for every hit whatever the LIMIT, so a larger window would cost as much.
FIRST_WINDOW = 1000
#: A date-sorted search walks statements newest first through the date index and tests
#: each for a text hit when hits are common (about ``hits**2 > limit * statements``);
#: with fewer hits it reads the hits and sorts them by date.
WALK = "walk"
HITS = "hits"


def _filters(search: Search, params: dict[str, Any]) -> list[str]:
    filters = []
    if search.speaker:
        speaker_sql, speaker_params = _speaker_filter(_name_words(search.speaker), "s")
        filters.append(f"st.speaker_id IN ({speaker_sql})")
        params.update(speaker_params)
    if search.source:
        filters.append("d.source = :source COLLATE NOCASE")
        params["source"] = search.source
    if search.since:
        filters.append("st.date >= :since")
        params["since"] = search.since
    if search.until:
        filters.append("st.date <= :until")
        params["until"] = search.until
    if search.lang:
        # The extractors store the primary subtag ("zh"); a region ("zh-CN") is still that one.
        filters.append("(d.language = :lang OR d.language LIKE :lang_region)")
        params["lang"] = search.lang
        params["lang_region"] = f"{search.lang}-%"
    return filters


def _joins_documents(search: Search) -> bool:
    """Whether the filters read the document (``d``), not the statement alone."""
    return bool(search.source or search.lang)


def search_sql(
    search: Search, *, window: int = FIRST_WINDOW, plan: str = WALK
) -> tuple[str, dict[str, Any]]:
    """The SQL and parameters that :func:`search` runs, for ``archive search --sql``.

    Results are those of :func:`reference_sql` (every hit ranked, then filtered and sorted),
    read with less work:

    - ``sort="rank"``: speaker-name hits (rank :data:`SPEAKER_MATCH_RANK`, first) come from
      the ``(speaker_id, date)`` index with the limit; text hits are the best ``:window``
      by bm25 (FTS5's rank), filtered afterwards. The last two columns tell
      :func:`search` whether the window held the whole page (see :func:`_window_is_enough`);
      if not it runs again with ``:window`` -1 (every hit).
    - ``sort="date"``: the ``plan`` :data:`WALK` reads statements newest first and stops
      at the limit (plus the rest of the last day, whose order is by rank); :data:`HITS`
      reads all text hits by rowid and sorts them, for rare words.

    A query holding Chinese words is :func:`reference_sql` itself: its hits come from
    several indexes, each read whole (see :class:`_HanQuery`).
    """
    if _has_han(search.query):
        return reference_sql(search)
    params: dict[str, Any] = {"query": fts_query(search.query), "limit": search.limit}
    people, people_params = _speaker_filter(_name_words(search.query), "q", people_only=True)
    params.update(people_params)
    filters = _filters(search, params)
    where = " AND ".join(filters) if filters else "1"
    join = " JOIN documents d ON d.id = st.document_id" if _joins_documents(search) else ""
    from_statements = f"FROM statements st{join}"
    # The date walk names its index: the planner would rather read every hit and sort.
    by_date = f"FROM statements st INDEXED BY idx_statements_date{join}"
    if search.sort == "rank":
        params["window"] = window
        # bm25 sorted by SQLite's sorter, which keeps only :window rows: FTS5's own
        # ORDER BY rank sorts every hit (cooperation: 510 -> 380 ms CPU). Same values.
        window_order = "\n    ORDER BY score LIMIT :window" if window >= 0 else ""
        hits = f"""
speaker_hits AS (
    SELECT st.id, {SPEAKER_MATCH_RANK} AS rank {from_statements}
    WHERE st.speaker_id IN ({people}) AND {where}
    ORDER BY st.date DESC, st.id LIMIT :limit
),
text_window AS MATERIALIZED (
    SELECT rowid AS id, bm25(statements_fts) AS score FROM statements_fts
    WHERE statements_fts MATCH :query{window_order}
),
text_hits AS (
    SELECT st.id, w.score FROM text_window w JOIN statements st ON st.id = w.id
    {"JOIN documents d ON d.id = st.document_id" if _joins_documents(search) else ""}
    WHERE {where} AND (st.speaker_id IS NULL OR st.speaker_id NOT IN ({people}))
),
hits AS (SELECT * FROM speaker_hits UNION ALL SELECT * FROM text_hits),"""
        inner, order = "hits.rank, st.date DESC, st.id", "rank, date DESC, id"
        extra = (
            ",\n       (SELECT count(*) FROM text_window) AS window_rows,"
            "\n       (SELECT max(score) FROM text_window) AS window_last"
        )
    else:
        if plan == WALK:
            # Newest first through the date index, each row looked up in the FTS index: a
            # few hundred lookups for a common word (an IN list would read every hit first).
            found = f"""
    SELECT st.id, st.date {by_date}
    WHERE {where} AND (st.speaker_id IN ({people}) OR EXISTS (
        SELECT 1 FROM statements_fts WHERE statements_fts MATCH :query AND rowid = st.id))
    ORDER BY st.date DESC LIMIT :limit"""
        else:
            found = f"""
    SELECT st.id, st.date FROM (
        SELECT rowid AS id FROM statements_fts WHERE statements_fts MATCH :query
        UNION SELECT id FROM statements WHERE speaker_id IN ({people})
    ) AS h JOIN statements st ON st.id = h.id
    {"JOIN documents d ON d.id = st.document_id" if _joins_documents(search) else ""}
    WHERE {where}
    ORDER BY st.date DESC LIMIT :limit"""
        # Within a day the order is by rank: take every hit of the page's last day, and rank
        # them with one FTS cursor over their rowid range (a cursor per row would compute
        # bm25's document frequencies again for each). A page short of the limit holds every
        # hit already: walking the dates again would test each statement since its oldest
        # (6.5 s for China --lang zh on a million statements).
        is_hit = (
            f"(st.speaker_id IN ({people}) OR EXISTS (SELECT 1 FROM statements_fts "
            "WHERE statements_fts MATCH :query AND rowid = st.id))"
        )
        by_speaker = f"st.speaker_id IN ({people}) AS by_speaker"
        hits = f"""
page AS MATERIALIZED ({found}
),
day AS MATERIALIZED (
    SELECT st.id, {by_speaker} {by_date}
    WHERE (SELECT count(*) FROM page) >= :limit AND {where}
      AND st.date >= (SELECT date FROM page ORDER BY date LIMIT 1) AND {is_hit}
    UNION SELECT st.id, {by_speaker} FROM page JOIN statements st ON st.id = page.id
    UNION SELECT st.id, {by_speaker} {from_statements}
    WHERE (SELECT count(*) FROM page) >= :limit AND EXISTS (SELECT 1 FROM page WHERE date IS NULL)
      AND st.date IS NULL AND {where} AND {is_hit}
),
ranked AS MATERIALIZED (
    SELECT rowid AS id, rank FROM statements_fts WHERE statements_fts MATCH :query
    AND rowid BETWEEN (SELECT min(id) FROM day) AND (SELECT max(id) FROM day)
),
hits AS (
    SELECT day.id, CASE WHEN day.by_speaker THEN {SPEAKER_MATCH_RANK} ELSE ranked.rank END
        AS rank
    FROM day LEFT JOIN ranked ON ranked.id = day.id
),"""
        inner, order = "st.date DESC, hits.rank, st.id", "date DESC, rank, id"
        extra = ""
    sql = f"""
WITH{hits}
shown AS (
    SELECT st.id, st.date, sp.name AS speaker, st.kind, st.role, st.text, d.title, d.url,
           d.source, d.removed, d.id AS document_id, hits.rank
    FROM hits
    JOIN statements st ON st.id = hits.id
    JOIN documents d ON d.id = st.document_id
    LEFT JOIN speakers sp ON sp.id = st.speaker_id
    ORDER BY {inner}
    LIMIT :limit
)
SELECT id, date, speaker, kind, role, text, title, url, source, removed,
       EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = shown.document_id
               AND v.version > 1) AS edited,
       (
           SELECT snippet(statements_fts, 0, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 24)
           FROM statements_fts WHERE statements_fts MATCH :query AND rowid = shown.id
       ) AS snippet,
       rank{extra}
FROM shown
ORDER BY {order}
"""
    return sql, params


_REFERENCE_SNIPPET = f"""CASE WHEN matched THEN (
           SELECT snippet(statements_fts, 0, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 24)
           FROM statements_fts WHERE statements_fts MATCH {{query}} AND rowid = shown.id
       ) END"""


def reference_sql(search: Search) -> tuple[str, dict[str, Any]]:
    """The plain statement of a search: rank every hit, filter, sort. Slow on large archives;
    :func:`search_sql` must return the same rows in the same order (tests compare them)."""
    compiled = han_query(search.query)
    params: dict[str, Any] = {"limit": search.limit}
    if compiled is None:
        params = {"query": fts_query(search.query), "limit": search.limit}
        text_hits = """text_hits AS (
    SELECT rowid AS id, bm25(statements_fts) AS rank, 1 AS matched
    FROM statements_fts WHERE statements_fts MATCH :query
)"""
        snippet = _REFERENCE_SNIPPET.format(query=":query")
    else:
        text_hits = compiled.sql
        params.update(compiled.params)
        # Chinese words are highlighted by search() itself (_han_snippet); English ones here.
        params["snippet_query"] = compiled.snippet_query()
        snippet = _REFERENCE_SNIPPET.format(query=":snippet_query")
        if not params["snippet_query"]:
            snippet, params["snippet_query"] = "NULL", None
    speaker_hits, speaker_params = _speaker_filter(_name_words(search.query), "q", people_only=True)
    params.update(speaker_params)
    filters = _filters(search, params)
    where = ("WHERE " + " AND ".join(filters)) if filters else ""
    inner = (
        "hits.rank, st.date DESC, st.id"
        if search.sort == "rank"
        else "st.date DESC, hits.rank, st.id"
    )
    order = "rank, date DESC, id" if search.sort == "rank" else "date DESC, rank, id"
    sql = f"""
WITH {text_hits},
speaker_hits AS (
    SELECT id, {SPEAKER_MATCH_RANK} AS rank, 0 AS matched FROM statements
    WHERE speaker_id IN ({speaker_hits})
),
hits AS (
    SELECT id, min(rank) AS rank, max(matched) AS matched
    FROM (SELECT * FROM text_hits UNION ALL SELECT * FROM speaker_hits) GROUP BY id
),
shown AS (
    SELECT st.id, st.date, sp.name AS speaker, st.kind, st.role, st.text, d.title, d.url,
           d.source, d.removed, d.id AS document_id, hits.rank, hits.matched
    FROM hits
    JOIN statements st ON st.id = hits.id
    JOIN documents d ON d.id = st.document_id
    LEFT JOIN speakers sp ON sp.id = st.speaker_id
    {where}
    ORDER BY {inner}
    LIMIT :limit
)
SELECT id, date, speaker, kind, role, text, title, url, source, removed,
       EXISTS (SELECT 1 FROM document_versions v WHERE v.document_id = shown.document_id
               AND v.version > 1) AS edited,
       {snippet} AS snippet,
       rank
FROM shown
ORDER BY {order}
"""
    return sql, params


def _window_is_enough(rows: list[dict[str, Any]], window: int, limit: int) -> bool:
    """Whether a rank search's text window held every row the page needs.

    Rows past the window rank at or after its last row: the page is exact when the window
    held every hit, or when the page is full and its text hits all rank strictly before
    that last row (ties at the edge may continue past it).
    """
    if window < 0 or (rows and rows[0]["window_rows"] < window):
        return True
    if not rows:  # every windowed hit was filtered out, or there were none
        return False
    last = rows[0]["window_last"]
    return len(rows) >= limit and all(
        r["rank"] == SPEAKER_MATCH_RANK or (last is not None and r["rank"] < last) for r in rows
    )


def _hit_count(db: Database, query: str) -> int:
    # FTS5 counts a term's hits from its doclist alone: ~10 ms for 200,000 hits.
    sql = "SELECT count(*) FROM statements_fts WHERE statements_fts MATCH ?"
    return db.execute(sql, [query]).fetchone()[0]


def _plan(db: Database, search: Search, query: str) -> str:
    """:data:`WALK` when text hits are common enough that walking by date stops early."""
    if search.speaker:
        return HITS  # the speaker's statements by the (speaker_id, date) index are fewer
    if _other_language(search):
        return HITS  # few hits pass: the walk would test nearly every statement (33 s)
    hits = _hit_count(db, query)
    total = db.execute("SELECT max(rowid) FROM statements").fetchone()[0] or 0
    return WALK if hits * hits > search.limit * total else HITS


def _other_language(search: Search) -> bool:
    """Whether ``--lang`` names another language than the query's script (Latin words with
    ``--lang zh``): words and languages go together, so such a filter lets few hits through
    and no window of the best hits is likely to hold a page of them."""
    if not search.lang:
        return False
    return search.lang != ("ru" if _CYRILLIC.search(search.query) else "en")


def _first_window(db: Database, search: Search) -> int:
    """The first window of a rank search: larger when ``--speaker`` lets few hits through.

    A window that ends up too small costs a whole second pass of bm25 over every hit; the
    speaker's share of all statements (read from the ``(speaker_id, date)`` index) tells
    how many hits the window needs. 0: the speaker said nothing, so nothing can be found.
    """
    if not search.speaker:
        return FIRST_WINDOW
    speakers, params = _speaker_filter(_name_words(search.speaker), "s")
    said = db.execute(
        f"SELECT count(*) FROM statements WHERE speaker_id IN ({speakers})", params
    ).fetchone()[0]
    if not said:
        return 0
    total = db.execute("SELECT max(rowid) FROM statements").fetchone()[0] or said
    window = max(FIRST_WINDOW, 4 * search.limit * total // said)
    return window if window < _hit_count(db, fts_query(search.query)) else -1


def _run_han(db: Database, search: Search, han: _HanQuery) -> list[dict[str, Any]]:
    """A query holding Chinese words: the reference plan, every hit of each index scored.

    Reading every hit is what the trigram index and the trigram vocabulary give anyway (no
    ``ORDER BY rank LIMIT`` to stop early), and Chinese hits are a share of the archive.
    """
    for query in han.porter_queries:  # parsed here: the compound SELECT may open no cursor
        db.execute(
            "SELECT rowid FROM statements_fts WHERE statements_fts MATCH ? LIMIT 1", [query]
        ).fetchall()
    sql, params = reference_sql(search)
    return records(db.execute(sql, params))


def _run(db: Database, search: Search) -> list[dict[str, Any]]:
    han = han_query(search.query)
    if han is not None:
        return _run_han(db, search, han)
    # FTS5 parses the query when a cursor opens. The plans below may open none (a page filled
    # by the speaker index, an unknown --speaker) or test speakers first: parse it here, so a
    # malformed query is always InvalidQuery, as with the reference query.
    db.execute(
        "SELECT rowid FROM statements_fts WHERE statements_fts MATCH ? LIMIT 1",
        [fts_query(search.query)],
    ).fetchall()
    if search.sort == "date":
        sql, params = search_sql(search, plan=_plan(db, search, fts_query(search.query)))
        return records(db.execute(sql, params))
    window = _first_window(db, search)
    if window == 0:
        return []
    if _other_language(search):
        window = -1
    if _names_people(db, search):
        # "Zhao Lijian": when what the people named said fills the page, no text hit can
        # rank before it; a window of 0 reads the speaker index alone.
        sql, params = search_sql(search, window=0)
        rows = records(db.execute(sql, params))
        if _window_is_enough(rows, 0, search.limit):
            return _without_window(rows)
    while True:
        sql, params = search_sql(search, window=window)
        rows = records(db.execute(sql, params))
        if _window_is_enough(rows, window, search.limit):
            break
        if not rows and _hit_count(db, params["query"]) <= window:
            break
        window = -1
    return _without_window(rows)


def _without_window(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in rows:
        del row["window_rows"], row["window_last"]
    return rows


def _names_people(db: Database, search: Search) -> bool:
    people, params = _speaker_filter(_name_words(search.query), "q", people_only=True)
    return db.execute(f"SELECT EXISTS ({people})", params).fetchone()[0] == 1


def search(db: Database, search: Search) -> list[dict[str, Any]]:
    """Statements matching ``search``: dicts of id, date, speaker, kind, text, title, url, source.

    Raises:
        InvalidQuery: the full-text engine cannot parse the query.
    """
    try:
        rows = _run(db, search)
    except sqlite3.OperationalError as exc:
        message = str(exc)
        # "unknown special query": a lone * (FTS5 reads "*..." as a special query);
        # "unterminated string": a NUL inside a phrase ends FTS5's reading of the query.
        if any(
            part in message
            for part in (
                "fts5",
                "no such column",
                "syntax",
                "unknown special query",
                "MATCH",
                "unterminated string",
            )
        ):
            raise InvalidQuery(
                f"cannot search for {search.query!r}: {message.removeprefix('fts5: ')}; "
                'put a phrase in double quotes, e.g. "one-China principle"'
            ) from None
        raise
    han_terms = han.han_terms if (han := han_query(search.query)) else []
    for row in rows:
        row["edited"] = bool(row["edited"])
        if han_terms:
            row["snippet"] = _han_snippet(row["text"], han_terms) or row["snippet"]
        if not row["snippet"]:
            row["snippet"] = _lead(row["text"])
    return rows


def _lead(text: str, words: int = 24) -> str:
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")


def records(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    """Rows of a cursor as dicts keyed by column name."""
    columns = [c[0] for c in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]
