"""What a user's query means: their words turned into FTS5 expressions, script by script.

``archive search`` takes FTS5's syntax (phrases, ``AND``/``OR``/``NOT``, ``NEAR``,
``prefix*``) and three scripts, each found its own way:

- English (and any Latin script): the Porter-stemmed word index, as typed
  (:func:`fts_query`).
- Russian: Porter leaves Cyrillic alone, so each Cyrillic word is searched as the prefix
  of its Snowball stem (Лаврова → ``лавров*``), which finds Лавров, Лаврова, Лавровым;
  ``е`` and ``ё`` find each other (:func:`russian_term`).
- Chinese: a word of Han characters is a substring of a statement, found in the trigram
  index of schema version 6 (3+ characters) or through its trigrams' vocabulary (1–2
  characters): :func:`han_query`.

No SQL runs here: :mod:`archive.search.engine` plans and runs what this module writes.
"""

from __future__ import annotations

import functools
import itertools
import re
from typing import Any

from archive.exceptions import InvalidQuery
from archive.store.schema import HAN_FTS_TABLE, HAN_RANGES, HAN_TERMS_TABLE

#: Marks placed around matched words in snippets; the CLI turns them into colour.
HIGHLIGHT_START, HIGHLIGHT_END = "\x02", "\x03"

FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
# A word character: letter/digit/underscore, or any non-ASCII character of the BMP. The same
# set as [\w\u0080-\uffff], which took 5 ms to compile per pattern (CLI start-up).
_CHAR = r"(?:\w|[^\x00-\x7f\U00010000-\U0010ffff])"
# A bare token FTS5 takes as it is: letters/digits/underscore/non-ASCII, maybe a trailing * .
_BAREWORD = re.compile(rf"^{_CHAR}+\*?$")
# A word with inner punctuation (China-India, U.S., Xi's) that the user meant as a phrase.
_COMPOUND = re.compile(rf"^{_CHAR}+(?:[-./'’]{_CHAR}+)+\.?$")
WORD = re.compile(rf"{_CHAR}+")


def shown(query: str, limit: int = 80) -> str:
    """``query`` quoted for an error message, cut to ``limit`` characters."""
    return repr(query if len(query) <= limit else query[: limit - 1] + "…")


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
    if not any(CYRILLIC.search(part) for part in parts):
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
            f"unbalanced double quote in {shown(query)}; close the phrase or remove the quote"
        )
    parts: list[str] = []
    for token in re.findall(r'"[^"]*"|\(|\)|[^\s()"]+', query):
        if (
            token.startswith('"')
            or token in ("(", ")")
            or token in FTS_OPERATORS
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
# Plain classes: as dataclasses, these and HanQuery cost every `archive search` 20 ms of
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


#: A leaf :func:`flat_query` accepts: a plain word or a quoted phrase, no prefix or column.
_PLAIN_LEAF = re.compile(rf'"[^"*^:]*"|{_CHAR}+')


def flat_query(query: str) -> tuple[str, list[str]] | None:
    """The query as one operator over words and phrases: ("AND" or "OR", their texts).

    None for anything else (NOT, NEAR, groups, prefixes, Russian or Chinese words): those
    are what :mod:`archive.search.top_k` cannot bound, and FTS5 scores them itself.
    """
    if CYRILLIC.search(query) or has_han(query):
        return None
    flat = _flat_leaves(query)
    if flat is None or not all(_PLAIN_LEAF.fullmatch(leaf.token) for leaf in flat[1]):
        return None
    return flat[0], [leaf.token.strip('"') for leaf in flat[1]]


def flat_han_query(query: str) -> tuple[str, list[str]] | None:
    """:func:`flat_query` for Chinese: one Chinese word of 3+ characters, or two joined by
    AND or OR, as the substrings the trigram index finds (:class:`HanQuery`'s literals).

    None for anything else: a shorter word is counted from the trigram vocabulary, not
    scored by FTS5; a word without Han characters is another index's; and the sum of three
    words' scores may round otherwise than FTS5's bm25 of the three.
    """
    if not has_han(query) or CYRILLIC.search(query):
        return None
    flat = _flat_leaves(query)
    if flat is None or len(flat[1]) > 2 or not all(has_han(leaf.token) for leaf in flat[1]):
        return None
    literals = [_han_literal(leaf.token) for leaf in flat[1]]
    if any(len(literal) < TRIGRAM for literal in literals):
        return None
    return flat[0], literals


def _flat_leaves(query: str) -> tuple[str, list[_Leaf]] | None:
    """The query's operator ("AND" or "OR") and its leaves, when it is one leaf or one
    operator over leaves; None for NOT, NEAR, groups or a query that does not parse."""
    try:
        node = _Parser(_fts_tokens(query)).parse()
    except (_SyntaxError, InvalidQuery):
        return None
    leaves = (node,) if isinstance(node, _Leaf) else getattr(node, "children", None)
    if not leaves or isinstance(node, _Not) or not all(isinstance(leaf, _Leaf) for leaf in leaves):
        return None
    return ("OR" if isinstance(node, _Or) else "AND"), list(leaves)


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
    if not CYRILLIC.search(token):
        return token
    if token.startswith('"'):
        # A phrase of stems: FTS5 marks one token of a phrase as a prefix only through "+".
        words = WORD.findall(token)
        return (
            " + ".join(
                russian_term(word, variants=False) if CYRILLIC.search(word) else f'"{word}"'
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

CYRILLIC = re.compile("[\u0400-\u04ff]")
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


def has_han(text: str) -> bool:
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


class HanQuery:
    """A query holding Chinese words, compiled to SQL over two indexes.

    Each leaf becomes a CTE of statement ids: a subtree without Han characters is one FTS5
    query of ``statements_fts`` (scored by its bm25); a Chinese word is a substring, from the
    trigram index (3+ characters) or from the trigrams that start with it (1–2 characters,
    exact because every indexed text ends in :data:`archive.store.schema.HAN_END`). AND, OR and NOT
    become INTERSECT, UNION and EXCEPT, so a mixed query means what it says for every
    statement. A Chinese word's score is BM25: of 3+ characters, FTS5's ``bm25()`` of the
    phrase of its trigrams (its occurrences, the row's trigrams, its rarity), which reads no
    text, so that a common word is ranked at the cost of plain FTS5; of 1–2 characters, its
    trigrams counted per statement, the statement's length against the average of the word's
    hits, its rarity among the statements of the trigram index. A statement's rank is the sum
    of the scores of the words it matched (none under NOT).
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

    def _scored_leaf(self, name: str, table: str) -> None:
        """A CTE of the ids an FTS5 table matches for ``:name``, each scored by its bm25."""
        self.ctes.append(
            f"{name} AS MATERIALIZED (\n    SELECT rowid AS id, bm25({table}) AS score "
            f"FROM {table} WHERE {table} MATCH :{name}\n)"
        )

    def _porter_leaf(self, query: str, positive: bool) -> str:
        name = self._name()
        self.params[name] = query
        self.porter_queries.append(query)
        self._scored_leaf(name, "statements_fts")
        if positive:
            self.scores.append(name)
            self.porter_terms.append(query)
        return f"SELECT id FROM {name}"

    def _han_leaf(self, literal: str, positive: bool) -> str:
        name = self._name()
        self.params[f"{name}_text"] = literal
        if len(literal) >= TRIGRAM:
            # FTS5 scores the phrase of trigrams itself: its occurrences in the row, the row's
            # length in trigrams, its rarity in the trigram index; no text is read.
            self.params[name] = '"' + literal.replace('"', '""') + '"'
            self._scored_leaf(name, HAN_FTS_TABLE)
            if positive:
                self.han_terms.append(literal)
                self.scores.append(name)
            return f"SELECT id FROM {name}"
        # Trigrams in byte order: those starting with the term lie between it and the term
        # with its last character raised by one. Each is one occurrence.
        self.params[name] = literal
        self.params[f"{name}_end"] = literal[:-1] + chr(ord(literal[-1]) + 1)
        self.ctes.append(
            f"{name} AS MATERIALIZED (\n    SELECT doc AS id, count(*) AS tf "
            f"FROM {HAN_TERMS_TABLE} WHERE term >= :{name} AND term < :{name}_end GROUP BY doc\n)"
        )
        if positive:
            self.han_terms.append(literal)
            self._score_han(name)
        return f"SELECT id FROM {name}"

    def _score_han(self, name: str) -> None:
        # Materialized: read by text_hits and by the statistics in the same query.
        self.ctes.append(
            f"""{name}_tf AS MATERIALIZED (
    SELECT l.id, length(st.text) AS dl, l.tf
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
        return has_han(node.token)
    if isinstance(node, _Near):
        return any(has_han(token) for token in node.tokens)
    if isinstance(node, _Not):
        return _holds_han(node.left) or _holds_han(node.right)
    return any(_holds_han(child) for child in node.children)


def _han_literal(token: str) -> str:
    """The substring a Chinese token stands for: quotes and a trailing ``*`` dropped, folded
    to lower case as the trigram index folds Latin letters. Control characters go: no
    statement holds them, NUL would end FTS5's reading of the query, and U+001F is the
    index's end mark."""
    return _CONTROL.sub("", token.strip('"').rstrip("*")).strip().lower()


def han_query(query: str) -> HanQuery | None:
    """A query holding Chinese words, compiled (:class:`HanQuery`); None for any other query.

    Raises:
        InvalidQuery: the operators or parentheses do not parse, or NEAR holds Chinese.
    """
    if not has_han(query):
        return None
    try:
        tree = _Parser(_fts_tokens(query)).parse()
    except _SyntaxError as exc:
        where = f"near {exc.token!r}" if exc.token else "at its end"
        raise InvalidQuery(
            f"cannot search for {shown(query)}: syntax error {where}; "
            'put a phrase in double quotes, e.g. "一个中国"'
        ) from None
    han = HanQuery()
    han.sql = han.text_hits(tree)
    return han


def han_snippet(text: str, terms: list[str]) -> str | None:
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
