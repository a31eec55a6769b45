"""Russian reporting cues (заявил, сказала, отметил …), their speaker phrase, and statements.

Russian copy quotes in «…» („…“ inside) and names the speaker before the quote
(``Лавров заявил: «…»``, ``Как отметил Песков, «…»``, ``По словам Захаровой, «…»``) or
after it behind a dash (``«…», — заявил Сергей Лавров.``), and may split one quotation
around the cue inside the marks (``«…, — сказал он. — …»``). Titles are lowercase words
around capitalised organisations (``министр иностранных дел России``,
``официальный представитель МИД``) and go to the role; the name is the run of
capitalised words that is neither an organisation nor a place. Names inflect
("по словам Лаврова"); the registry lookup folds case endings
(:func:`~archive.identity.names.cyrillic_stem`), and a name governed by a
preposition ("с Лавровым") is never the speaker.

One module of some 600 lines on purpose: Russian names inflect (Лавров, Лаврова, Лавровым) and
the speaker phrase is read with the same stems that tell a statement from a term, so the finder
and the phrase reader share their vocabularies; the word lists themselves are data files.
"""

from __future__ import annotations

import re
from pathlib import Path

from archive.identity.registry import Registry, cyrillic_stem
from archive.wordlists import read_table, read_words
from mfa_scraper.attribution.en.cues import Finding, Subject
from mfa_scraper.attribution.quotemarks import Span

#: Word lists of this module: data files, one entry a line (ru/*.txt).
_WORDS = Path(__file__).resolve().parent

_PAST = (
    "заявил сказал отметил подчеркнул сообщил добавил указал ответил пояснил уточнил признал "
    "заверил напомнил предупредил констатировал резюмировал заключил подытожил написал "
    "процитировал продолжил парировал возразил посетовал пообещал призвал заметил рассказал "
    "объяснил повторил высказал произнес произнёс спросил пожаловал поделил вспомнил утверждал "
    "настаивал уверял обещал отреагировал прокомментировал воскликнул говорил пошутил сообщал "
    "отмечал подчеркивал подчёркивал заявлял добавлял указывал предупреждал напоминал объяснял "
    "признавал рассказывал писал"
).split()
_PRESENT = (
    "считает считают говорит говорят заявляет заявляют отмечает отмечают подчеркивает "
    "подчёркивает подчеркивают подчёркивают указывает указывают полагает полагают сообщает "
    "сообщают добавляет поясняет уверен уверена убежден убеждён убеждена пишет говорится сказано "
    "утверждает настаивает уверяет вспоминает рассказывает объясняет отвечает признается "
    "признаётся делится цитирует цитируют"
).split()
_GERUNDS = (
    "добавив подчеркнув отметив заявив указав пояснив напомнив уточнив сказав заметив".split()
)
#: "назвал это «провокацией»": a cue for partial quotes only.
_NAMING = ("назвал", "назвала", "назвали", "называет", "называют")
VERB_RE = re.compile(
    rf"\b(?:(?:{'|'.join(_PAST)})(?:ся|ась|ись|а|и|о)?|{'|'.join(_PRESENT)}"
    rf"|{'|'.join(_GERUNDS)}|{'|'.join(_NAMING)})\b"
)

_WORD_RE = re.compile(
    r"(?:[А-ЯЁA-Z]\.\s?){1,2}[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё]+)?|[А-ЯЁа-яёA-Za-z][\w-]*|[,;:.!?—–()«»]"
)
#: Sentence ends: a final mark, then a capital, a quote mark or a dash (not initials: "В.Путин").
_SENTENCE_END_RE = re.compile(r"[.!?…][»“\")]*\s+(?=[А-ЯЁA-Z«„\"—–])|[.!?…]$")
_ABBREVIATIONS = frozenset("т д г гг им ул см др пр млн млрд тыс руб св ст п н э е".split())
PREPOSITIONS = frozenset(
    "в во на с со к ко у о об обо от из за по при для без до над под перед между через после "
    "против среди вместо около возле вокруг ради кроме".split()
)
#: Stems of office words, in any case ("главой", "министра", "пресс-секретаря").
_TITLE_STEMS = read_words(_WORDS / "title_stems.txt")
#: Title words that only modify an office ("бывший", "официальный", "российский").
_MODIFIER_STEMS = (
    "экс-", "бывш", "нынешн", "действующ", "врио", "перв", "старш", "высокопоставлен",
    "официальн", "американск", "российск", "китайск", "британск", "французск", "германск",
    "немецк", "украинск", "европейск", "японск", "индийск", "турецк", "иранск", "израильск",
    "иностранн", "государств", "федеральн", "национальн", "специальн", "верховн", "постоянн",
    "генеральн",
)  # fmt: skip
#: Capitalised words of organisations and places ("МИД России", "РИА Новости").
_PLACE_STEMS = read_words(_WORDS / "place_stems.txt")
#: Offices that official Russian capitalises; matched with at most a case ending after.
_CAP_TITLE_STEMS = read_words(_WORDS / "cap_title_stems.txt")
#: Short organisation words matched whole ("Белый дом", "Госдума"), not as stems.
_PLACE_WORDS = frozenset(
    "белый белого белом белому дом дома доме дума думы думе думу думой нации наций".split()
)
#: Capitalised words that open sentences and are never names.
_NOT_NAMES = frozenset(read_words(_WORDS / "not_names.txt"))
_PRONOUNS = {"он": "m", "она": "f"}
_NO_SPEAKER = frozenset("я мы вы ты они все многие".split())
#: Common first names: a capitalised run splits before one ("Путина Дмитрий Песков").
_FIRST_NAMES = frozenset(read_words(_WORDS / "first_names.txt"))
#: Abstract nouns that a sentence may open with ("Министерство сообщило").
_NOUN_ENDINGS = ("ство", "ние", "ция", "ость", "ение", "ание", "тво")
#: Words right before a quote that make it a name or a term (так называемый, газопровод).
_TERM_BEFORE_RE = re.compile(
    r"(?:так\s+называем\w*|т\.\s?н\.|называем\w*|под\s+названием|под\s+лозунгом|с\s+названием|"
    r"известн\w+\s+как|именуем\w*|озаглавленн\w*|проект\w*|компани\w*|корпораци\w*|концерн\w*|"
    r"парти\w*|движени\w*|организаци\w*|фонд\w*|групп\w*|агентств\w*|издани\w*|газет\w*|"
    r"журнал\w*|телеканал\w*|радиостанци\w*|радио|канал\w*|книг\w*|фильм\w*|стать\w*|доклад\w*|"
    r"программ\w*|операци\w*|учени\w*|стратеги\w*|доктрин\w*|концепци\w*|инициатив\w*|формул\w*|"
    r"формат\w*|принцип\w*|лозунг\w*|слоган\w*|хештег\w*|термин\w*|слов[оау]?|выражени\w*|"
    r"поняти\w*|акци\w*|преми\w*|форум\w*|саммит\w*|клуб\w*|центр\w*|завод\w*|аэропорт\w*|порт\w*|"
    r"комплекс\w*|систем\w*|ракет\w*|самол[её]т\w*|судн\w*|корабл\w*|крейсер\w*|подлодк\w*|"
    r"газопровод\w*|трубопровод\w*|нефтепровод\w*|банк\w*|холдинг\w*|платформ\w*|сайт\w*|"
    r"портал\w*|резолюци\w*|пакет\w*|закон\w*|договор\w*|соглашени\w*|пакт\w*|формул\w*)\s*$",
    re.IGNORECASE,
)
#: Lowercase words that may follow a quoted fragment inside a sentence ("«…» против России").
_FUNCTION_AFTER = frozenset(
    "и или в во на с со к о от из за по для как что который которая которые а но не же ли бы "
    "это уже еще ещё против при между перед через после до без под над у".split()
)
_ADJACENT_RE = re.compile(r"\s*(?P<punct>:|,?\s*что|,)?\s*[—–-]?\s*$")
_AS_RE = re.compile(
    rf"(?:^|[\s,(])[Кк]ак\s+(?P<verb>{VERB_RE.pattern})\s+(?P<subj>[^,:;«»]{{1,80}}?),\s*$"
)
_ACCORDING = r"(?:словам|мнению|утверждению|оценке|заявлению|признанию)"
_WORDS_OF_RE = re.compile(
    rf"(?:^|[\s,(])[Пп]о\s+(?:(?P<pron>его|ее|её|их)\s+{_ACCORDING}|{_ACCORDING}\s+"
    r"(?P<subj>[^,:;«»]{1,80}?)),\s*$"
)
_SAID_IN_RE = re.compile(
    r"\b(?:говорится|сказано|отмечается|подчеркивается|подчёркивается)\s+в\s+"
    r"(?P<doc>[а-яё]+)\s+(?P<org>[^.,;:!?«»—]{1,60})"
)
#: "— сообщили в Минобороны", "— заявили в Кремле": a body speaks, as written.
_SAID_AT_RE = re.compile(
    r"(?:сообщили|заявили|отметили|подчеркнули|пояснили|уточнили|добавили|считают|говорят|"
    r"ответили|напомнили)\s+(?:в|во)\s+(?P<org>[А-ЯЁA-Z][^.,;:!?«»—]{1,50})"
)
#: "— цитирует ТАСС слова Лаврова": the one quoted is the object, in the genitive.
_QUOTING_RE = re.compile(
    r"(?:цитирует|цитируют|процитировал[аои]?|приводит|приводят|привел[аои]?|привёл)\s+"
    r"(?:[^.,;:!?«»—]{0,40}?\s)?(?:слова\s+)?(?P<subj>[^.,;:!?«»—]{1,60})"
)
_RIGHT_RE = re.compile(r"\s*[,.!?…]*\s*(?:[—–]|-(?=\s))\s*|\s*,\s*(?=[а-яё])")
_SPLIT_RE = re.compile(
    rf"[,.!?…]?\s+[—–]\s+(?P<verb>{VERB_RE.pattern})\s+(?P<subj>[^—–«»]{{1,80}}?)[.,:]\s+[—–]\s+"
)
MIN_DIRECT_WORDS = 3


def _is_cap(token: str) -> bool:
    return token[:1].isupper()


def _stem_in(token: str, stems: tuple[str, ...]) -> bool:
    # str.startswith takes the tuple whole: the loop runs in C, not in a generator
    return token.lower().startswith(stems)


def _is_title(token: str) -> bool:
    return token.lower() in ("дел", "по", "при") or _stem_in(token, _TITLE_STEMS)


def _is_place(token: str) -> bool:
    if len(token) >= 2 and token.isupper():
        return True  # an abbreviation: МИД, ООН, США
    return token.lower() in _PLACE_WORDS or _stem_in(token, _PLACE_STEMS)


def normalise(text: str) -> str:
    """The text the finder reads: Russian needs no rewriting (see :func:`.cues_zh.normalise`)."""
    return text


def sentence_start(text: str, lo: int, pos: int) -> int:
    """Start of the sentence holding ``pos``, no further back than ``lo``."""
    start = lo
    # One character past ``pos``: the look-ahead must see the mark that opens the quote.
    for m in _SENTENCE_END_RE.finditer(text, lo, min(pos + 1, len(text))):
        if _real_end(text, m):
            start = m.end()
    nl = text.rfind("\n", lo, pos)
    return max(start, nl + 1)


def sentence_end(text: str, pos: int, hi: int) -> int:
    """End of the sentence from ``pos``, no further than ``hi``."""
    for m in _SENTENCE_END_RE.finditer(text, pos, hi):
        if _real_end(text, m):
            return m.end()
    return hi


#: Small patterns of the functions below, compiled once rather than looked up per call.
_WORD_END_RE = re.compile(r"(\w+)$")
_CAPITAL_RE = re.compile(r"[А-ЯЁA-Z]")
_NEXT_WORD_RE = re.compile(r"\s*([а-яё][\w-]*)")


def _real_end(text: str, m: re.Match) -> bool:
    if text[m.start()] != ".":
        return True
    before = _WORD_END_RE.search(text[max(0, m.start() - 8) : m.start()])
    if not before:
        return True
    word = before.group(1)
    if len(word) == 1 and word.isupper():
        after = text[m.end() : m.end() + 1]
        return not after.isalpha()  # "В. Путин" is an initial; "с Ван И. «…" ends a sentence
    return word.lower() not in _ABBREVIATIONS


def _tokens(text: str, lo: int, hi: int) -> list[tuple[str, int, int]]:
    return [(m.group(), m.start(), m.end()) for m in _WORD_RE.finditer(text, lo, hi)]


def _runs(tokens: list[tuple[str, int, int]], registry: Registry) -> list[tuple[int, int]]:
    """Index ranges of name runs: capitalised words, not places, split before a first name."""
    runs: list[tuple[int, int]] = []
    k = 0
    while k < len(tokens):
        word = tokens[k][0]
        if not _name_word(word, k == 0 or tokens[k - 1][0] in ".!?—–:«"):
            k += 1
            continue
        j = k + 1
        while j < len(tokens) and j - k < 3 and _name_word(tokens[j][0], False):
            if tokens[j][0].lower() in _FIRST_NAMES and not _given(tokens[j - 1][0]):
                break  # "Путина Дмитрий Песков": a new name starts
            j += 1
        runs.append((k, j))
        k = j
    return runs


def _given(word: str) -> bool:
    """A first name or patronymic: what may come before another part of one name."""
    low = word.lower()
    return low in _FIRST_NAMES or low.endswith(("вич", "вна", "ична")) or "." in word


def _cap_title(word: str) -> bool:
    """An office written with a capital ("Президент России"), not a name like "Главацкий"."""
    low = word.lower()
    if not low.startswith(_CAP_TITLE_STEMS):
        return False  # no stem at all, found in C: most capitalised words
    return any(low.startswith(s) and len(low) - len(s) <= 3 for s in _CAP_TITLE_STEMS)


def _name_word(word: str, sentence_initial: bool) -> bool:
    if not _is_cap(word) or not _CAPITAL_RE.match(word):
        return False
    if _is_place(word) or word.lower() in _NOT_NAMES or _cap_title(word):
        return False
    return not (sentence_initial and (_is_title(word) or word.lower().endswith(_NOUN_ENDINGS)))


def _oblique_known(word: str, registry: Registry) -> bool:
    """A registry name in an oblique case ("Путина", "Лавровым"): not a subject."""
    person = registry.lookup(word)
    if person is None:
        return False
    low = word.lower().split(".")[-1]
    forms = {t.lower().split(".")[-1] for a in (person.name, *person.aliases) for t in a.split()}
    return low not in forms


def _preposition_before(tokens: list[tuple[str, int, int]], k: int) -> bool:
    """Whether the name at ``k`` hangs on a preposition, across titles ("с главой МИД Китая")."""
    j = k - 1
    while j >= 0 and (_is_title(tokens[j][0]) or _is_place(tokens[j][0])):
        j -= 1
    return j >= 0 and tokens[j][0].lower() in PREPOSITIONS


def _subject_from(
    text: str,
    tokens: list[tuple[str, int, int]],
    registry: Registry,
    *,
    first: bool = True,
    oblique: bool = False,
) -> Subject | None:
    """The speaker among ``tokens`` (a clause before or after a verb), or ``None``.

    A pronoun, or the first (``first``) name run that no preposition governs and that
    is not a registry name in an oblique case (unless ``oblique``: "по словам Лаврова");
    titles before it are the role. Without
    a name, a title phrase ("глава МИД России") is an office standing for the person
    named before.
    """
    for k, (word, start, end) in enumerate(tokens):
        low = word.lower()
        if low in _PRONOUNS and (k == 0 or tokens[k - 1][0].lower() not in PREPOSITIONS):
            return Subject(word, start, end, pronoun=_PRONOUNS[low])
        if low in _NO_SPEAKER and k == 0:
            return Subject(word, start, end, person=False, speaks=False)
    runs = [
        (a, b)
        for a, b in _runs(tokens, registry)
        if not _preposition_before(tokens, a)
        and (oblique or not _oblique_known(tokens[b - 1][0], registry))
    ]
    if runs:
        a, b = runs[0] if first else runs[-1]
        name_start, name_end = tokens[a][1], tokens[b - 1][2]
        role_start = a
        while role_start > 0 and (
            _is_title(tokens[role_start - 1][0]) or _is_place(tokens[role_start - 1][0])
        ):
            role_start -= 1
        role = text[tokens[role_start][1] : name_start].strip() if role_start < a else None
        start = tokens[role_start][1]
        return Subject(text[start:name_end], start, name_end, name=text[name_start:name_end],
                       role=_lower_first(role) if role else None)  # fmt: skip
    titles = [k for k, t in enumerate(tokens) if _is_title(t[0]) and not _is_place(t[0])]
    if titles and all(_stem_in(tokens[k][0], _MODIFIER_STEMS) for k in titles):
        return None  # "Бывшая супермодель": a modifier is no office
    if titles and not _preposition_before(tokens, titles[0]):
        k = titles[0]
        if _generic_plural(tokens[k][0]):
            # "Эксперты называют это «холодной войной»": unnamed people in general, neither
            # a speaker nor the minister named before; the quote is nobody's statement.
            return Subject(tokens[k][0], tokens[k][1], tokens[k][2], person=False, speaks=False)
        end = k
        while end < len(tokens) and (_is_title(tokens[end][0]) or _is_place(tokens[end][0])):
            end += 1
        phrase = _lower_first(text[tokens[k][1] : tokens[end - 1][2]])
        return Subject(phrase, tokens[k][1], tokens[end - 1][2], role=phrase, person=False,
                       office=True)  # fmt: skip
    return None


#: People in general when plural: experts, analysts, observers say things, nobody in particular.
_GENERIC_PEOPLE = ("эксперт", "аналитик", "политолог", "наблюдател", "критик", "специалист",
                   "журналист", "источник", "собеседник", "обозревател")  # fmt: skip


def _generic_plural(word: str) -> bool:
    """ "Эксперты", "аналитики": a plural of people in general."""
    lower = word.lower()
    return lower.endswith(("ы", "и")) and lower.startswith(_GENERIC_PEOPLE)


def _lower_first(phrase: str) -> str:
    """ "Глава МИД" at a sentence start is the office "глава МИД", not a name."""
    if phrase[:1].isupper() and not phrase[:2].isupper():
        return phrase[0].lower() + phrase[1:]
    return phrase


def subject_before(text: str, lo: int, verb_start: int, registry: Registry) -> Subject | None:
    """The subject of a verb: the last comma-free stretch before it that names one.

    "Путин, выступая на форуме, заявил" looks past the participle to "Путин";
    "Как сообщил Песков, Путин заявил" stops at "Путин".
    """
    cut = verb_start
    while cut > lo:
        comma = max(text.rfind(",", lo, cut), text.rfind(";", lo, cut), lo - 1)
        start = comma + 1
        clause = _tokens(text, start, cut)
        opens_as = clause and clause[0][0].lower() == "как" and VERB_RE.search(text, start, cut)
        if clause and not opens_as:
            subject = _subject_from(text, clause, registry)
            if subject is not None:
                return subject
        cut = comma
    return None


def subject_after(text: str, lo: int, hi: int, registry: Registry) -> Subject | None:
    """The subject after an inverted verb: `— заявил журналистам министр Сергей Лавров.`"""
    stop = hi
    for m in re.finditer(r"[,;:.!?—–()]", text[lo:hi]):
        stop = lo + m.start()
        if m.group() != "." or not re.search(r"(?:^|\s)[А-ЯЁA-Z]$", text[lo:stop]):
            break
    return _subject_from(text, _tokens(text, lo, stop), registry)


def _statement_like(body: str) -> bool:
    return len(body.split()) >= MIN_DIRECT_WORDS or body[-1:] in ".!?…"


def _is_term(body: str, left: str, right: str) -> bool:
    """Names, titles and scare quotes: «Северный поток», так называемый «…», «зеленый» коридор."""
    words = body.split()
    # A match ends the text and holds at most one run of spaces: it lies in the last two words,
    # so the search starts there instead of trying every offset of the sentence.
    parts = left.rsplit(None, 2)
    if _TERM_BEFORE_RE.search(left, len(parts[0]) if len(parts) == 3 else 0):
        return True
    if _is_cap(body) and len(words) <= 3 and body[-1:] not in ".!?…":
        return True  # a proper name in running text
    nxt = _NEXT_WORD_RE.match(right)
    return len(words) <= 2 and bool(nxt) and nxt.group(1) not in _FUNCTION_AFTER


_HEADLINE_RE = re.compile(r"\s*(?P<subj>[^:;,.!?«»—–]{2,80}?)\s*:\s*")
_BETWEEN_RE = re.compile(r"(?P<mid>[^.!?«»:;]{0,60}?)\s*(?P<punct>:|,?\s*что|,)?\s*[—–-]?\s*")


def _left_kind(verb: str, between: str, body: str, right: str) -> str:
    """``direct`` or ``partial`` for a quote after ``verb``, from the words between them.

    "заявил: «…»" and "заявил журналистам: «…»" introduce a whole quotation; "заявил,
    что «…»" and "назвал это «…»" a fragment of reported speech.
    """
    m = _BETWEEN_RE.fullmatch(between)
    if verb in _NAMING or m is None:
        return "partial"
    mid, punct = m.group("mid").strip(), (m.group("punct") or "").strip()
    whole = _statement_like(body) or _is_cap(body)
    if punct == ":" and whole:
        return "direct"
    if mid:
        return "partial"
    if punct == "," and whole:
        return "direct"
    if "что" in punct:
        several = _is_cap(body) and re.search(r"[.!?]\s+[А-ЯЁ]", body)
        return "direct" if several else "partial"
    if not punct and _statement_like(body) and not right.strip(" .!?…"):
        return "direct"
    return "partial"


class Finder:
    """Statements in one Russian text, from its quoted spans."""

    def __init__(self, text: str, spans: list[Span], registry: Registry) -> None:
        self.text = text
        self.spans = spans
        self.registry = registry

    def findings(self) -> list[Finding]:
        """Every statement of the text, in order."""
        out: list[Finding] = []
        for k, span in enumerate(self.spans):
            prev = self.spans[k - 1] if k else None
            nxt = self.spans[k + 1] if k + 1 < len(self.spans) else None
            try:
                out.extend(self.classify(span, prev, nxt))
            except (IndexError, ValueError):  # malformed input never stops the page
                continue
        return out

    def classify(self, span: Span, prev: Span | None, nxt: Span | None) -> list[Finding]:
        """The statements in one quoted span (two when the cue sits inside the marks)."""
        text = self.text
        lo = span.para_start
        if prev is not None and prev.para_start == span.para_start:
            lo = max(lo, prev.close_end)
        sent_lo = sentence_start(text, lo, span.open_mark)
        hi = span.para_end if nxt is None or nxt.para_start != span.para_start else nxt.open_mark
        right = (
            "" if span.runs_on else text[span.close_end : sentence_end(text, span.close_end, hi)]
        )
        left = text[sent_lo : span.open_mark]
        body = text[span.start : span.end]
        split = self._split(span)
        if split:
            return split
        cue = self._right_cue(span, right)
        if cue is not None:
            verb, subject = cue
            opens = not left.strip() or left.rstrip().endswith((":", "—", "–")) or span.continues
            # «Нет», — ответил он: after a dash a capitalised quotation is whole, however short.
            dashed = bool(re.match(r"\s*[,.!?…]*\s*[—–-]\s", right)) and _is_cap(body)
            if verb in _NAMING and opens:
                return [Finding(span.start, span.end, "partial", verb, subject)]
            if dashed or opens and _statement_like(body):
                return [Finding(span.start, span.end, "direct", verb, subject)]
            if _is_term(body, left, right):
                return []
            return [Finding(span.start, span.end, "partial", verb, subject)]
        found = self._left_cue(span, sent_lo, left, right, body)
        if found is not None:
            return [found] if found.kind else []
        headline = _HEADLINE_RE.fullmatch(left)
        if headline and _statement_like(body) and self._named(headline.group("subj")):
            # "Песков: «Кремль не комментирует слухи»": a name and a colon introduce the words.
            at = sent_lo + headline.start("subj")
            subject = _subject_from(text, _tokens(text, at, sent_lo + headline.end("subj")),
                                    self.registry)  # fmt: skip
            if subject is not None and subject.name and subject.start == at:
                return [Finding(span.start, span.end, "direct", None, subject)]
        if span.continues or (not left.strip() and _statement_like(body) and not right.strip(" .")):
            return [Finding(span.start, span.end, "direct", None, None, inherit=True)]
        if left.rstrip().endswith(":") and _statement_like(body) and _is_cap(body):
            return [Finding(span.start, span.end, "direct", None, None, inherit=True)]
        return []

    def _named(self, phrase: str) -> bool:
        """A speaker label before a colon: a registry name or a first name and surname."""
        words = phrase.split()
        return self.registry.lookup(phrase) is not None or (
            2 <= len(words) <= 3 and all(_name_word(w, False) for w in words)
        )

    def _left_cue(
        self, span: Span, sent_lo: int, left: str, right: str, body: str
    ) -> Finding | None:
        """A cue before the quote. A Finding with empty ``kind`` means: a term, drop it."""
        text = self.text
        words_of = _WORDS_OF_RE.search(left)
        as_said = _AS_RE.search(left)
        if words_of or as_said:
            if words_of and words_of.group("pron"):
                pron = words_of.group("pron").lower()
                gender = {"его": "m", "ее": "f", "её": "f"}.get(pron)
                at = sent_lo + words_of.start("pron")
                subject = Subject(pron, at, at + len(pron), pronoun=gender,
                                  speaks=gender is not None)  # fmt: skip
                cue = "по " + re.search(_ACCORDING, words_of.group()).group()
            else:
                group = "subj"
                m = words_of or as_said
                at = sent_lo + m.start(group)
                subject = _subject_from(text, _tokens(text, at, sent_lo + m.end(group)),
                                        self.registry, oblique=bool(words_of))  # fmt: skip
                cue = (
                    "по " + re.search(_ACCORDING, words_of.group()).group()
                    if words_of
                    else as_said.group("verb")
                )
            if subject is not None:
                kind = "direct" if _statement_like(body) or _is_cap(body) else "partial"
                return Finding(span.start, span.end, kind, cue, subject)
        for verb in reversed(list(VERB_RE.finditer(text, sent_lo, span.open_mark))):
            subject = self._verb_subject(sent_lo, verb)
            if subject is None:
                continue
            word = verb.group()
            kind = _left_kind(word, text[verb.end() : span.open_mark], body, right)
            if kind == "partial" and _is_term(body, left, right):
                return Finding(span.start, span.end, "", None, None)
            return Finding(span.start, span.end, kind, word, subject)
        return None

    def _verb_subject(self, sent_lo: int, verb: re.Match) -> Subject | None:
        """Subject before the verb, or after it when inverted ("заявил Лавров")."""
        text = self.text
        if verb.group() in _GERUNDS:
            return subject_before(text, sent_lo, verb.start(), self.registry)
        subject = subject_before(text, sent_lo, verb.start(), self.registry)
        if subject is None:
            subject = subject_after(text, verb.end(), min(len(text), verb.end() + 120),
                                    self.registry)  # fmt: skip
        return subject

    def _right_cue(self, span: Span, right: str) -> tuple[str, Subject] | None:
        """After the quote: `«…», — заявил Сергей Лавров.`, `«…», — Лавров заявил.`."""
        if span.runs_on:
            return None
        dash = _RIGHT_RE.match(right)
        if not dash:
            return None
        base = span.close_end + dash.end()
        rest = right[dash.end() :]
        said_in = _SAID_IN_RE.match(rest) or _SAID_AT_RE.match(rest)
        if said_in:
            org = said_in.group("org").strip()
            at = base + said_in.start("org")
            return said_in.group().split()[0], Subject(org, at, at + len(org), person=False)
        quoting = _QUOTING_RE.match(rest)
        if quoting:
            at = base + quoting.start("subj")
            tokens = _tokens(self.text, at, base + quoting.end("subj"))
            subject = _subject_from(self.text, tokens, self.registry, first=False, oblique=True)
            if subject is not None and subject.name:
                return quoting.group().split()[0], subject
        verb = VERB_RE.search(rest, 0, 80)
        if verb is None:
            return None
        subject = None
        if verb.start() > 0:
            subject = subject_before(self.text, base, base + verb.start(), self.registry)
        if subject is None:  # inverted, maybe after an adverb: «…», — коротко ответил Песков
            subject = subject_after(self.text, base + verb.end(), base + len(rest), self.registry)
        if subject is None:
            return None
        return verb.group(), subject

    def _split(self, span: Span) -> list[Finding]:
        """«Мы готовы к диалогу, — сказал Лавров. — Но не на таких условиях»: two statements."""
        text = self.text
        m = _SPLIT_RE.search(text, span.start, span.end)
        if m is None:
            return []
        subj_lo = m.start("subj")
        subject = _subject_from(text, _tokens(text, subj_lo, m.end("subj")), self.registry)
        if subject is None:
            return []
        first_end = m.start()
        while first_end > span.start and text[first_end - 1] in " ,":
            first_end -= 1
        return [
            Finding(span.start, first_end, "direct", m.group("verb"), subject),
            Finding(m.end(), span.end, "direct", m.group("verb"), subject),
        ]


def mentions(text: str, spans: list[Span], registry: Registry) -> list[tuple[int, str]]:
    """People named outside quotes, in order: registry names and name runs after titles.

    Used to resolve он/она to the person named last before them.
    """
    inside = [(s.open_mark, s.close_end) for s in spans]
    tokens = _tokens(text, 0, len(text))
    found: list[tuple[int, str]] = []
    for a, b in _runs(tokens, registry):
        start = tokens[a][1]
        if any(lo <= start < hi for lo, hi in inside):
            continue
        name = text[start : tokens[b - 1][2]]
        titled = a > 0 and _is_title(tokens[a - 1][0])
        if titled or registry.lookup(name) is not None or b - a >= 2:
            found.append((start, name))
    return found


def stem(word: str) -> str:
    """Case-insensitive key of a Russian word (re-exported for the resolver)."""
    return cyrillic_stem(word)


#: Country adjectives' stems to the registry's country names (country_stems.tsv).
_COUNTRY_STEMS = read_table(_WORDS / "country_stems.tsv")
_COUNTRY_STEM_RE = re.compile(
    r"(?<!\w)(" + "|".join(map(re.escape, _COUNTRY_STEMS)) + r")", re.IGNORECASE
)


def office_country(phrase: str) -> str | None:
    """The country an office phrase names ("Российский министр", "главы МИД РФ": Russia)."""
    found = _COUNTRY_STEM_RE.findall(phrase)
    return _COUNTRY_STEMS[found[-1].lower()] if found else None
