"""Chinese reporting cues (说, 表示, 称 …), the speaker phrase before them, and statements.

Chinese copy quotes in “…” (「…」 and 『…』 in Hong Kong and Taiwan) and names the
speaker before the verb: ``习近平说：“……”``, ``外交部发言人赵立坚在例行记者会上表示：“……”``,
or after the quote, ``“……”，赵立坚说。`` There are no spaces and no capitals, so the
speaker phrase is read with vocabularies: titles (外交部发言人, 国务委员兼外长) go to the
role, registry names are matched as written, and an unknown name is a surname plus
one or two characters, or a run of characters used to transcribe foreign names,
followed by an adverbial (在, 也, 今天) or the verb itself.

MFA transcripts report what others said without marks (``佩恩称，部分国家正利用疫情…``):
such a clause after a named speaker is kept as kind ``indirect``, since it is the
only trace of those words in the Chinese text. Scare quotes (“一带一路”), terms and
titles in 《》 are nobody's statement.

One module of some 800 lines on purpose: Chinese has no spaces or capitals, so where a speaker
phrase ends is decided by the same vocabularies (titles, organs, surnames, transliteration
characters, adverbials) that decide whether a quoted stretch is a statement, a term or a title;
the finder, the phrase reader and the vocabularies move together whenever a rule changes. The
natural seam for a later split is the speaker phrase (``parse_subject`` … ``subject_before``)
against the statements (``Finder``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from archive.identity.registry import Registry
from archive.wordlists import read_table, read_words
from mfa_scraper.attribution.en.cues import Finding, Subject
from mfa_scraper.attribution.quotemarks import Span

#: The vocabularies (verbs, countries, bodies, titles, surnames …) are word lists beside
#: this module, one entry a line (``archive.wordlists``); what is a regex stays here.
_WORDS = Path(__file__).resolve().parent

#: Verbs that report speech; a trailing 说/称/道 ("补充说", "回应称") belongs to the verb.
ZH_VERBS = list(read_words(_WORDS / "verbs.txt"))
_VERB_ALT = "|".join(sorted(ZH_VERBS, key=len, reverse=True))
VERB_RE = re.compile(rf"(?:{_VERB_ALT})(?:说|称|道)?")
#: Verbs whose quoted object is a phrase, not a statement, when no mark comes between.
_OBJECT_VERBS = frozenset(read_words(_WORDS / "object_verbs.txt"))
#: Verbs that introduce unmarked reported speech (kind ``indirect``) after a named speaker.
INDIRECT_VERBS = frozenset(read_words(_WORDS / "indirect_verbs.txt"))
#: 称 inside other words: 号称, 堪称, 简称 … (before) and 称为, 称号, 称赞 … (after).
_CHENG_BEFORE = frozenset("号堪简统俗自又通著昵戏谑尊人名对")
_CHENG_AFTER = frozenset("为作之号呼赞霸谓职心得道")
#: 说 inside other words: 据说, 听说, 小说, 演说, 游说, 学说 … and 说明, 说法, 说服 ….
_SHUO_BEFORE = frozenset("据听传小演游解学虽劝胡邪")
_SHUO_AFTER = frozenset("明法服成辞教客唱笑")

SENTENCE_ENDS = "。！？!?\n"
#: Where a clause starts: the speaker phrase never reaches back past these.
_CLAUSE_BREAKS = "，,；;：:。！？!?\n“”「」『』《》（）()"

#: Countries and their short forms before titles ("俄外长"), with the English name for ``org``.
ZH_COUNTRIES = dict(read_table(_WORDS / "countries.tsv"))
#: Bodies whose officials speak ("外交部发言人", "西部战区新闻发言人").
ZH_ORGS = list(read_words(_WORDS / "orgs.txt"))
#: Offices before (or after) a name; longest first when matched.
ZH_TITLES = list(read_words(_WORDS / "titles.txt"))
#: Courtesy words after a name ("蓬佩奥先生"); dropped.
ZH_HONORIFICS = ("先生", "女士", "阁下", "同志", "博士", "小姐", "夫人")
#: Offices written after a name ("习近平主席", "王毅外长").
_SUFFIX_TITLES = list(read_words(_WORDS / "suffix_titles.txt"))
_JOINERS = "兼、暨"

#: Fields of ministries before an office ("卫生部长", "国防部长", "贸易代表").
ZH_FIELDS = list(read_words(_WORDS / "fields.txt"))
_MINISTRIES = [f"{field}部" for field in ZH_FIELDS]
_MINISTRIES += "情报局 联邦调查局 中央情报局 国家安全局".split()
_FIELD_MINISTERS = [f"{field}部长" for field in ZH_FIELDS]
#: "驻华", "驻俄罗斯": posted to a country, before 大使 or 大使馆.
_POSTED = [f"驻{c}" for c in ZH_COUNTRIES if len(c) > 1]
_ROLE_VOCAB = sorted(
    [*ZH_COUNTRIES, *ZH_ORGS, *_POSTED, *ZH_FIELDS, *_MINISTRIES, *_FIELD_MINISTERS, *ZH_TITLES],
    key=len,
    reverse=True,
)
_ROLE_RE = re.compile("|".join(re.escape(w) for w in _ROLE_VOCAB))
_TITLE_SET = frozenset([*ZH_TITLES, *_FIELD_MINISTERS])
_ORG_SET = frozenset([*ZH_ORGS, *_POSTED, *ZH_FIELDS, *_MINISTRIES])
_SUFFIX_RE = re.compile(
    "|".join(re.escape(w) for w in sorted([*ZH_HONORIFICS, *_SUFFIX_TITLES], key=len, reverse=True))
)

#: Time words, connectives and adverbs that may open a clause before its subject.
_LEAD_RE = re.compile(
    r"(?:(?:但是?|而且?|并且?|此外|另外|同时|对此|随后|随即|接着|然后|于是|因此|所以|不过|可是|"
    r"正如|比如|例如|譬如|"
    r"其中|与此同时|当天|当日|今天|昨天|前天|"
    r"日前|近日|此前|最近|近期|早前|上周|本周|本月|上月|今年|去年|当地时间|北京时间|"
    r"[0-9０-９一二三四五六七八九十〇]+[年月日号](?:[0-9０-９一二三四五六七八九十〇]+[日号])?"
    r"(?:[上下]午|晚|早)?|周[一二三四五六日])[，,]?)+"
)
#: Words that may follow the subject before the verb: a name ends where one begins.
_AFTER_NAME_WORDS = (
    "日前|近日|当天|当日|此前|随后|同日|通过|接受|首先|公开|公然|明确|多次|再次|一再|反复|进一步|"
    "特别|最近|近期|上周|本周|星期|当地时间|北京时间|早前|先前|今天|昨天|前天|今年|去年|出席|会见|"
    "会晤|访问|发表|接见|致电|致辞|就此|对此|答记者问|以视频|周末|本人|周[一二三四五六日]|居然|竟然|"
    "依然|一直|始终|早就|已经|正在|刚刚|近来|昨日|今日|日内|私下|发推|会上|上午|下午|晚间|曾经|"
    "[0-9０-９]"
)
#: Adverbs that stand between a subject and its verb ("王毅也表示"): a name ends before them.
_ADVERB_CHARS = "也还则又都均亦并已将即曾就再更今昨却仍竟刚"
#: Prepositions that open an adverbial ("王明在会上"); before the verb itself they are part
#: of the name ("康京和表示").
_PREP_CHARS = "在于对向同与和跟给随此当从自为以据"
#: Prepositions never inside the name of a body (和, 与 are: 外交与安全政策高级代表).
_NOT_OWNER_CHARS = "对向给在于从被把同跟"
#: What may follow the subject before the verb: a name ends where one begins.
_AFTER_NAME_RE = re.compile(rf"(?:{_AFTER_NAME_WORDS}|[{_ADVERB_CHARS}{_PREP_CHARS}])")
#: Adverbial words only: none may start inside a name ("佐科昨天", "林肯曾经").
_INSIDE_NAME_RE = re.compile(rf"(?:{_AFTER_NAME_WORDS})")
#: Subjects that are never a speaker: the speaker himself, the listener, people in general.
_NO_SPEAKER = ("我们", "我", "你们", "你", "您", "大家", "人们", "有人", "外界", "舆论", "有关方面")
_PRONOUNS = {"他": "m", "她": "f"}
#: A country or side as subject (中方, 美方, 双方, 澳方官员): a cue, but no speaker.
_SIDE_RE = re.compile(r"[\u4e00-\u9fff]方(?!面)")

#: The commonest Chinese surnames, minus those that open common words (文, 和, 时, 方 …).
ZH_SURNAMES = frozenset(read_words(_WORDS / "surnames.txt"))
ZH_COMPOUND_SURNAMES = frozenset(read_words(_WORDS / "compound_surnames.txt"))
#: Characters Chinese uses to transcribe foreign names (佩恩, 蓬佩奥, 阿姆斯特朗).
ZH_TRANSLIT = frozenset(read_words(_WORDS / "translit.txt"))
#: Characters a name after a title may start with: surnames, transcriptions, and a few
#: Korean and Japanese surnames (文在寅, 岸田文雄).
_TITLED_FIRST = ZH_SURNAMES | ZH_TRANSLIT | frozenset("文岸菅优根简")
#: Endings of words that name bodies, sides and documents, never a person (中方, 外交部, 报告).
_NOT_PERSON_END = frozenset(
    "方国部社台报院会局府馆处网署委厅办军队团党界们者家员媒刊章告论稿书函令案议约宫信电层"
)
#: Endings of institutions and outlets that speak (新华社, 国务院, 欧洲议会, 人民日报).
_INSTITUTION_END = frozenset("社台报院会局府馆署委厅办部宫军党网")
#: Words an unknown name must not be (文章, 安全, 华为 …).
_NOT_NAMES = frozenset(read_words(_WORDS / "not_names.txt"))

#: Words right before a quote that make it a term or a title (所谓“…”, 称为“…”).
_TERM_BEFORE_RE = re.compile(
    r"(?:所谓的?|称为|称之为|称作|叫做|叫作|名为|题为|号称|誉为|视为|定性为|打着|什么|贴上|扣上|"
    r"戴上|这个|这一|一个|这种|这些|那个|所说的|提出的?|称其为|简称|又称|俗称|被称|冠以|以|即|"
    r"谚语|俗语|成语|俗话|古语|名言|诗句|歌词|标语|口号|词语|字眼)[：:]?$"
)
#: What right after a quote makes it a modifier or a term (“…”的, “…”之举, “…”倡议).
_TERM_AFTER_RE = re.compile(
    r"(?:的|之|这|等|一词|一说|一语|论|式|型|字|二字|两字|倡议|理念|战略|计划|行动|政策|模式|"
    r"口号|标签|帽子|概念|说法|提法|表述|精神|原则|机制|框架|协议|条约|法案|项目|工程|行为|现象|"
    r"问题|事件|名义|旗号|活动|运动|时代|目标|方针|原则|号|轮|、|和“|与“|及“)"
)
_HAN_RE = re.compile(r"[\u3400-\u9fff]")
#: Endings of names of laws, plans, documents and movements, quoted as titles.
_TITLE_END_RE = re.compile(
    r"(?:法案|法|条约|协定|协议|倡议|计划|战略|政策|报告|宣言|公报|决议|行动|机制|组织|论坛|会议|"
    r"峰会|主义|运动|工程|项目|模式|理念|体系|议定书|备忘录|白皮书|框架|伙伴关系|联盟)$"
)
_HAN_RUN_RE = re.compile(r"[\u3400-\u9fff]+")
_ADJACENT_RE = re.compile(r"[ \t]*[：:，,]?[ \t]*$")
_RIGHT_CUE_RE = re.compile(
    r"[ \t]*[，,]?[ \t]*(?P<subj>[^，,。！？!?；;：:“”「」『』\n]{1,40}?)"
    rf"(?P<verb>{VERB_RE.pattern})"
    r"(?=[ \t]*(?:[。，,！!？?；;：:“「]|$))"
)
MIN_DIRECT_CHARS = 6
MIN_PARTIAL_CHARS = 5


#: Traditional characters of the words above, with their simplified forms: Hong Kong and
#: Taiwan copy (「……」，林鄭月娥說) is read through the same vocabularies. One character
#: maps to one, so offsets into the simplified copy are offsets into the original.
_TRADITIONAL, _SIMPLIFIED = (
    "".join(chars)
    for chars in zip(*(row.split("\t") for row in read_words(_WORDS / "traditional.tsv")))
)
_T2S = str.maketrans(_TRADITIONAL, _SIMPLIFIED)


def normalise(text: str) -> str:
    """``text`` with the traditional characters the finder knows made simplified, same length."""
    return text.translate(_T2S)


@lru_cache(maxsize=8)
def _alias_re(registry: Registry) -> re.Pattern | None:
    """Registry names written in Han characters, longest first, as one pattern."""
    names = {
        alias
        for person in registry.people.values()
        for alias in (person.name, *person.aliases)
        if _HAN_RE.search(alias)
    }
    if not names:
        return None
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def _verb_ok(text: str, m: re.Match) -> bool:
    """Whether a verb match reports speech, not a word that contains it (称为, 据说, 被认为)."""
    start, end = m.start(), m.end()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if after == "的" or before in "所据" or "被" in text[max(0, start - 3) : start]:
        return False
    verb = m.group()
    if verb == "称":
        return before not in _CHENG_BEFORE and after not in _CHENG_AFTER
    if verb == "说":
        return before not in _SHUO_BEFORE and after not in _SHUO_AFTER
    return True


def _verbs(text: str, lo: int, hi: int) -> list[re.Match]:
    return [m for m in VERB_RE.finditer(text, lo, hi) if _verb_ok(text, m)]


def sentence_start(text: str, lo: int, pos: int) -> int:
    """Start of the sentence holding ``pos``, no further back than ``lo``."""
    best = lo
    for ch in SENTENCE_ENDS:
        k = text.rfind(ch, lo, pos)
        if k + 1 > best:
            best = k + 1
    return best


def sentence_end(text: str, pos: int, hi: int) -> int:
    """End of the sentence from ``pos`` (after its final mark), no further than ``hi``."""
    best = hi
    for ch in SENTENCE_ENDS:
        k = text.find(ch, pos, best)
        if k >= 0:
            best = k + 1 if ch != "\n" else k
    return best


def clause_start(text: str, lo: int, pos: int) -> int:
    """Start of the clause ending at ``pos``: after the last comma, colon or mark."""
    k = pos
    while k > lo and text[k - 1] not in _CLAUSE_BREAKS:
        k -= 1
    return k


def parse_subject(
    text: str, lo: int, hi: int, registry: Registry, known: set[str] | None = None
) -> Subject | None:
    """The speaker phrase at the start of ``text[lo:hi]`` (the clause before a verb).

    Returns a person (name, role, org), a pronoun, an organisation or office kept
    as written, or ``None`` when the clause holds no speaker (我, 中方, an adverb).
    ``known`` holds unknown names already seen with a title in the document, which
    later stand alone ("佩恩还称").
    """
    lead = _LEAD_RE.match(text, lo, hi)
    pos = lead.end() if lead else lo
    while pos < hi and text[pos] in " \t":
        pos += 1
    if pos >= hi:
        return None
    seg = text[pos:hi]
    for word in _NO_SPEAKER:
        if seg.startswith(word):
            return Subject(word, pos, pos + len(word), person=False, speaks=False)
    if seg[0] in _PRONOUNS and seg[1:2] not in ("们", "人"):
        return Subject(seg[0], pos, pos + 1, pronoun=_PRONOUNS[seg[0]])
    side = _SIDE_RE.match(seg)
    if side:
        return Subject(side.group(), pos, pos + side.end(), person=False, speaks=False)
    found = _titled_name(text, pos, hi, registry, known or set())
    if found is not None:
        return found
    return _named_anywhere(text, pos, hi, registry)


def _titled_name(
    text: str, pos: int, hi: int, registry: Registry, known: set[str]
) -> Subject | None:
    """Titles and organisations from ``pos``, then a name: 外交部发言人赵立坚, 澳大利亚外长佩恩."""
    start = pos
    aliases = _alias_re(registry)
    chain: list[str] = []
    org: str | None = None
    while pos < hi:
        alias = aliases.match(text, pos, hi) if aliases else None
        role = _ROLE_RE.match(text, pos, hi)
        if (
            role is not None
            and len(role.group()) == 1
            and (chain or not _vocab_at(text, role.end(), hi))
        ):
            role = None  # 美防长, 俄外长: a one-character country heads a chain of offices
        if alias and (not role or alias.end() >= role.end()):
            after = _ROLE_RE.match(text, alias.end(), hi)
            owned = text[alias.end() : alias.end() + 1] == "的" or (
                after is not None and after.group() in _ORG_SET
            )
            if not owned:
                return _with_suffix(text, start, alias.start(), alias.end(), hi, chain, org)
            role = alias  # "特朗普的顾问班农", "特朗普政府": the registry name is the owner
        if role is None:
            end = _unlisted_owner(text, pos, hi, registry, known)
            if end is None:
                break
            role = _FakeMatch(text, pos, end)  # "多米尼加总统梅迪纳", "非盟委员会主席法基"
        word = role.group()
        if word in ZH_COUNTRIES and not chain:
            org = org or ZH_COUNTRIES[word]
        chain.append(word)
        pos = role.end()
        while pos < hi and (text[pos] in _JOINERS or text[pos] == "的"):
            pos += 1
    end = _unknown_name_end(text, pos, hi, known=known, titled=_titled(chain))
    if end is not None:
        return _with_suffix(text, start, pos, end, hi, chain, org)
    if not chain:
        return _institution(text, start, hi)
    words = set(chain)
    phrase = text[start:pos].rstrip("的、兼")
    if words & _TITLE_SET:
        # An office without a name: "西部战区新闻发言人" speaks as written.
        return Subject(phrase, start, start + len(phrase), role=_role(text, start, pos, chain),
                       org=org, person=False)  # fmt: skip
    if words & _ORG_SET:
        if chain[-1] in ZH_COUNTRIES:
            return None
        return Subject(phrase, start, start + len(phrase), org=org, person=False)
    # Only countries: "美国表示" has no speaker, but "巴赫表示" read 巴 as Pakistan.
    end = _unknown_name_end(text, start, hi, known=known)
    if end is not None:
        return _with_suffix(text, start, start, end, hi, [], None)
    return _institution(text, start, hi) or Subject(
        phrase, start, start + len(phrase), person=False, speaks=False
    )


def _institution(text: str, start: int, hi: int) -> Subject | None:
    """A body or an outlet as subject (新华社, 欧洲议会), kept as written: it speaks, unnamed."""
    end = start
    while end < hi and end - start < 12 and not _name_ends(text, end, hi):
        end += 1
    phrase = text[start:end]
    if 2 <= len(phrase) <= 12 and phrase[-1] in _INSTITUTION_END and _HAN_RE.match(phrase):
        return Subject(phrase, start, end, person=False)
    return None


class _FakeMatch:
    """A stretch of text standing in for a vocabulary match in a title chain."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def group(self) -> str:
        return self._text[self._start : self._end]

    def end(self) -> int:
        return self._end


def _titled(chain: list[str]) -> bool:
    return bool(set(chain) & _TITLE_SET)


def _vocab_at(text: str, pos: int, hi: int) -> bool:
    """Whether an office or a body starts at ``pos`` ("美" before "防长", "俄" before "外长")."""
    nxt = _ROLE_RE.match(text, pos, hi)
    return nxt is not None and (nxt.group() in _TITLE_SET or nxt.group() in _ORG_SET)


def _unlisted_owner(
    text: str, pos: int, hi: int, registry: Registry, known: set[str]
) -> int | None:
    """End of an unlisted country or body that an office and a name follow, if any.

    "多米尼加总统梅迪纳", "总统国家安全事务助理博尔顿". A name at ``pos`` ("首相安倍晋三今天和
    美国总统特朗普") or an adverbial inside ("在“推特”上对国务卿蒂勒森") rules it out.
    """
    name_end = _unknown_name_end(text, pos, hi, known=known, titled=True)
    if name_end is not None and not _vocab_at(text, name_end, hi):
        return None
    for end in range(pos + 2, min(hi, pos + 12)):
        if not _HAN_RUN_RE.fullmatch(text, pos, end) or _INSIDE_NAME_RE.match(text, end - 1, hi):
            return None
        if text[end - 1] in _NOT_OWNER_CHARS:
            return None
        if _office_follows(text, end, hi, registry, known):
            return end
    return None


def _office_follows(text: str, pos: int, hi: int, registry: Registry, known: set[str]) -> bool:
    """Whether an office and then a name follow ``pos`` ("…总统梅迪纳", "…外长优素福")."""
    title = _ROLE_RE.match(text, pos, hi)
    if title is None or title.group() not in _TITLE_SET:
        return False
    aliases = _alias_re(registry)
    after = title.end()
    return bool(aliases and aliases.match(text, after, hi)) or (
        _unknown_name_end(text, after, hi, known=known, titled=True) is not None
    )


def _with_suffix(
    text: str,
    start: int,
    name_start: int,
    name_end: int,
    hi: int,
    chain: list[str],
    org: str | None,
) -> Subject:
    """A named subject; an office written after the name ("习近平主席") joins the role."""
    role = _role(text, start, name_start, chain)
    end = name_end
    suffix = _SUFFIX_RE.match(text, name_end, hi)
    if suffix:
        end = suffix.end()
        if suffix.group() not in ZH_HONORIFICS:
            role = role or suffix.group()
    return Subject(text[start:end], start, end, name=text[name_start:name_end], role=role, org=org)


def _role(text: str, start: int, end: int, chain: list[str]) -> str | None:
    """The office in ``text[start:end]``, a title chain, as written (国务委员兼外长).

    Leading countries are dropped: they go to ``org``.
    """
    if not set(chain) & _TITLE_SET:
        return None
    for word in chain:
        if word not in ZH_COUNTRIES:
            break
        start = text.index(word, start) + len(word)
    role = text[start:end].strip("的、兼 ")
    return role or None


def _unknown_name_end(
    text: str, pos: int, hi: int, *, known: set[str], loose: bool = False, titled: bool = False
) -> int | None:
    """End of an unknown person's name at ``pos``, or ``None`` if none fits.

    A Chinese name is a surname and one or two characters; a foreign one a run of
    transcription characters. Either must end where an adverbial, a courtesy word,
    a title or the end of the clause begins (``loose``: a foreign name may end
    anywhere, for mentions outside a subject). The name must not look like a body
    or a side (中方, 报告); names the document already gave with a title (``known``)
    match as a whole.
    """
    seg = text[pos:hi]
    for name in sorted((k for k in known if seg.startswith(k)), key=len, reverse=True):
        if _name_ends(text, pos + len(name), hi):
            return pos + len(name)
    candidates: list[int] = []
    if _AFTER_NAME_RE.match(text, pos, hi):
        return None  # "法国总统昨天…": an adverbial, not a name
    if titled and seg[:1] in _TITLED_FIRST:
        # After a title 2-4 characters may be a name (林郑月娥, 梅迪纳), longest first, as
        # long as no adverbial starts inside it ("佐科昨天", "林肯曾经").
        candidates.extend(
            pos + n
            for n in (4, 3, 2)
            if _HAN_RUN_RE.fullmatch(text, pos, pos + n)
            and not any(_inside_name(text, k, hi) for k in range(pos + 1, pos + n))
            and not (n > 2 and _ends_in_adverbial(text, pos + n, hi))
        )
        if _INSIDE_NAME_RE.match(text, pos + 1, hi) or text[pos + 1 : pos + 2] in _ADVERB_CHARS:
            candidates.append(pos + 1)  # "局长雷昨天称": a one-character transcription
    surname = 2 if seg[:2] in ZH_COMPOUND_SURNAMES else 1 if seg[:1] in ZH_SURNAMES else 0
    if surname:
        long_end, short_end = pos + surname + 2, pos + surname + 1
        if hi == pos + 4 and surname == 1 and text[pos + 1] in ZH_SURNAMES and _married(text, pos):
            candidates.append(hi)  # "林郑月娥说": two surnames and a given name, before the verb
        if long_end <= hi and not _ends_in_adverbial(text, long_end, hi):
            candidates.append(long_end)
        candidates.append(short_end)
    run = pos
    while run < hi and text[run] in ZH_TRANSLIT and run - pos < 12:
        run += 1
    if run - pos >= 2:
        candidates.append(run)
    for end in candidates:
        if end > hi or not (_name_ends(text, end, hi) or loose and end == run):
            continue
        name = text[pos:end]
        if name in _NOT_NAMES or name[-1] in _NOT_PERSON_END or name in ZH_COUNTRIES:
            continue
        if len(name.replace("·", "")) < 2 or not _HAN_RE.match(name):
            continue
        return end
    return None


def _married(text: str, pos: int) -> bool:
    """Whether the four characters at ``pos`` can be a married name (林郑月娥, 范徐丽泰)."""
    name = text[pos : pos + 4]
    return (
        bool(_HAN_RUN_RE.fullmatch(name))
        and not _ROLE_RE.search(name)
        and name[-1] not in _ADVERB_CHARS + _PREP_CHARS
        and not any(_inside_name(text, k, pos + 4) for k in range(pos + 1, pos + 4))
    )


def _inside_name(text: str, k: int, hi: int) -> bool:
    """Whether an adverbial or an office starts at ``k`` ("佐科昨天", "张军大使")."""
    return bool(_INSIDE_NAME_RE.match(text, k, hi) or _SUFFIX_RE.match(text, k, hi))


def _ends_in_adverbial(text: str, end: int, hi: int) -> bool:
    """Whether the last character of a would-be name starts an adverbial instead.

    "王毅也表示": 也 is an adverb; "王明在会上": 在 opens a place. "康京和表示": 和 right
    before the verb cannot open anything, so it is part of the name.
    """
    last = text[end - 1]
    return last in _ADVERB_CHARS or (last in _PREP_CHARS and end < hi)


def _name_ends(text: str, end: int, hi: int) -> bool:
    """Whether a name may end at ``end``: the clause ends, or an adverbial or title follows."""
    if end >= hi:
        return end == hi
    return bool(
        _AFTER_NAME_RE.match(text, end, hi)
        or _SUFFIX_RE.match(text, end, hi)
        or VERB_RE.match(text, end, hi)
    )


def _named_anywhere(text: str, pos: int, hi: int, registry: Registry) -> Subject | None:
    """A registry name later in the clause, for long descriptions before the name.

    "现在的美国国务卿、昔日美国最大的情报机构负责人蓬佩奥先生在…宣称": the role is the
    description since the last 的 or 、 before the name.
    """
    aliases = _alias_re(registry)
    if aliases is None:
        return None
    for m in aliases.finditer(text, pos, hi):
        if text[m.start() - 1 : m.start()] in (
            "同",
            "与",
            "和",
            "跟",
            "对",
            "向",
            "给",
            "被",
            "把",
        ):
            continue
        if not _name_ends(text, m.end(), hi):
            continue
        subject = _with_suffix(text, m.start(), m.start(), m.end(), hi, [], None)
        role, org = _first_office(text, pos, m.start())
        subject.role, subject.org = subject.role or role, org
        return subject
    return None


def _first_office(text: str, lo: int, hi: int) -> tuple[str | None, str | None]:
    """The first title chain in a long description: "现在的美国国务卿、昔日…" gives 国务卿."""
    for m in _ROLE_RE.finditer(text, lo, hi):
        chain, pos = [m.group()], m.end()
        while (nxt := _ROLE_RE.match(text, pos, hi)) is not None:
            chain.append(nxt.group())
            pos = nxt.end()
        role = _role(text, m.start(), pos, chain)
        if role:
            return role, ZH_COUNTRIES.get(chain[0])
    return None, None


def subject_before(
    text: str, sent_lo: int, verb: re.Match, registry: Registry, known: set[str]
) -> Subject | None:
    """The subject of ``verb``: its own clause, else the sentence's first clause.

    "王毅表示，……，并强调，“……”": 强调 has no subject of its own and takes the
    first clause's.
    """
    lo = clause_start(text, sent_lo, verb.start())
    subject = parse_subject(text, lo, verb.start(), registry, known)
    if subject is not None:
        return subject
    own = text[lo : verb.start()].strip(" \t")
    if lo > sent_lo and _is_adverb(own):
        first_end = sent_lo
        while first_end < lo and text[first_end] not in _CLAUSE_BREAKS:
            first_end += 1
        first_verbs = _verbs(text, sent_lo, first_end)
        if first_verbs:
            return parse_subject(text, sent_lo, first_verbs[0].start(), registry, known)
    return None


def _is_adverb(words: str) -> bool:
    return all(ch in "并也还又再更同时则亦而且随后进一步特别" for ch in words)


def _body_chars(body: str) -> int:
    return len(_HAN_RE.findall(body)) + len(re.findall(r"[A-Za-z0-9]+", body))


def _is_term(text: str, span: Span, left: str, right: str) -> bool:
    """Scare quotes, terms and names: “一带一路”, 所谓“民主”, “水军”散布, “…”的阴谋论."""
    body = text[span.start : span.end]
    if _TERM_BEFORE_RE.search(left) or _TERM_AFTER_RE.match(right):
        return True
    if re.search(r"[、和与及][ \t]*$", left) and left.rstrip()[-2:-1] == "”":
        return True  # a list of quoted terms: “A”、“B”
    follows = right.lstrip(" \t")[:1]
    if _HAN_RE.match(follows) and follows not in "并而了又" and not _punctuated(body):
        return True  # a modifier or a name: “不可靠实体清单”制度, “南海行为准则”磋商
    if _TITLE_END_RE.search(body) and not re.search(r"[，。！？,!?；]", body):
        return True  # the name of a law, a plan, a report: “2019年维吾尔人权政策法案”
    return _body_chars(body) < MIN_PARTIAL_CHARS and not re.search(r"[，。！？,!?；]", body)


def _punctuated(body: str) -> bool:
    return bool(re.search(r"[，。！？,!?；]", body))


def _embedded(right: str, body: str) -> bool:
    """Whether the sentence goes on right after the closing mark (the quote is inside it).

    A quotation that ends its own sentence (“……。”他强调) is never inside one.
    """
    if body[-1:] in "。！？!?…":
        return False
    first = right.lstrip(" \t")[:1]
    return bool(first) and first not in "，,。！？!?；;：:…—）)\n“「"


def _whole_after(verb: str, between: str, body: str) -> bool:
    """Whether a quotation right after its verb is a whole statement, not a quoted object.

    "表示：“……”" and "称，“……”" introduce one; "提到“在各方同意的监督机制下”" or
    "宣布“国家安全紧急状态”" quote a phrase; "称“伊朗人天生爱撒谎”" with no mark between
    is whole when it is as long as a sentence.
    """
    if not _statement_like(body):
        return False
    if between.strip(" \t"):
        return True
    if verb.rstrip("说称道") in _OBJECT_VERBS:
        return False
    return _punctuated(body) or _body_chars(body) >= 8


def _statement_like(body: str) -> bool:
    return bool(re.search(r"[，。！？,!?；、]", body)) or _body_chars(body) >= MIN_DIRECT_CHARS


class Finder:
    """Statements in one Chinese text: quoted spans classified, then unmarked reported speech."""

    def __init__(self, text: str, spans: list[Span], registry: Registry) -> None:
        self.text = text
        self.spans = spans
        self.registry = registry
        self.known: set[str] = set()

    def findings(self) -> list[Finding]:
        """Every statement of the text, in order."""
        out: list[Finding] = []
        for k, span in enumerate(self.spans):
            prev = self.spans[k - 1] if k else None
            nxt = self.spans[k + 1] if k + 1 < len(self.spans) else None
            try:
                found = self.classify(span, prev, nxt)
            except (IndexError, ValueError):  # malformed input never stops the page
                found = None
            if found is not None:
                out.append(found)
        out.extend(self.indirect())
        out.sort(key=lambda f: f.start)
        return out

    def _remember(self, subject: Subject | None) -> Subject | None:
        if subject is not None and subject.name and subject.role:
            self.known.add(subject.name)
        return subject

    def classify(self, span: Span, prev: Span | None, nxt: Span | None) -> Finding | None:
        """Kind, cue and speaker phrase of one quoted span; ``None`` drops it."""
        text = self.text
        lo = span.para_start
        if prev is not None and prev.para_start == span.para_start:
            lo = max(lo, prev.close_end)
        sent_lo = sentence_start(text, lo, span.open_mark)
        hi = span.para_end if nxt is None or nxt.para_start != span.para_start else nxt.open_mark
        right_hi = sentence_end(text, min(span.close_end, hi), hi)
        left = text[sent_lo : span.open_mark]
        right = text[span.close_end : right_hi] if not span.runs_on else ""
        body = text[span.start : span.end]
        if _TERM_BEFORE_RE.search(left) or _TERM_AFTER_RE.match(right):
            return None
        left_cues = []
        for verb in reversed(_verbs(text, sent_lo, span.open_mark)):
            subject = self._remember(subject_before(text, sent_lo, verb, self.registry, self.known))
            if subject is not None:  # "坦率地说，…": a verb with nobody before it is no cue
                left_cues.append((verb, subject))
                break
        if left_cues:
            verb, subject = left_cues[0]
            between = text[verb.end() : span.open_mark]
            adjacent = bool(_ADJACENT_RE.fullmatch(between))
            if (
                adjacent
                and not _embedded(right, body)
                and _whole_after(verb.group(), between, body)
            ):
                return Finding(span.start, span.end, "direct", verb.group(), subject)
        cue = self._right_cue(span, right)
        if cue is not None:
            verb, subject = cue
            opens = not left.strip() or left.rstrip().endswith(("：", ":")) or span.continues
            if opens and _statement_like(body):
                return Finding(span.start, span.end, "direct", verb, subject)
            if _is_term(text, span, left, right):
                return None  # 台湾“行政院陆委会主委”张小月称: the quote names the speaker
            return Finding(span.start, span.end, "partial", verb, subject)
        if left_cues:
            intro = left.rstrip(" \t").endswith(("，", "：", ",", ":"))
            if intro and not _embedded(right, body) and _statement_like(body) and (
                _punctuated(body) or _body_chars(body) >= 2 * MIN_DIRECT_CHARS):  # fmt: skip
                # "古特雷斯…称，世界需要…，“我们呼吁…。”": a whole statement after a comma
                return Finding(span.start, span.end, "direct", verb.group(), subject)
            if _is_term(text, span, left, right):
                return None
            return Finding(span.start, span.end, "partial", verb.group(), subject)
        # No cue: a quote that continues the last speaker's words, or nobody's.
        if _embedded(right, body) or not _statement_like(body):
            return None
        colon = max(left.rfind("："), left.rfind(":"))
        if colon > 0 and not left[colon + 1 :].strip():
            # "王毅：“……”": a name and a colon introduce the words.
            subject = parse_subject(text, sent_lo, sent_lo + colon, self.registry, self.known)
            if subject is not None and subject.name and subject.end == sent_lo + colon:
                return Finding(span.start, span.end, "direct", None, subject)
        if span.continues or not left.strip() or left.rstrip().endswith(("：", ":")):
            return Finding(span.start, span.end, "direct", None, None, inherit=True)
        return None

    def _right_cue(self, span: Span, right: str) -> tuple[str, Subject] | None:
        """`“……”，赵立坚说。` or `“……”外交部发言人赵立坚在例行记者会上表示。`"""
        if span.runs_on:
            return None
        m = _RIGHT_CUE_RE.match(right)
        if not m:
            return None
        base = span.close_end
        verb_start = base + m.start("verb")
        vm = VERB_RE.match(self.text, verb_start)
        if vm is None or not _verb_ok(self.text, vm):
            return None
        subject = self._remember(
            parse_subject(self.text, base + m.start("subj"), verb_start, self.registry, self.known)
        )
        if subject is None:
            return None
        return m.group("verb"), subject

    def indirect(self) -> list[Finding]:
        """Unmarked reported speech after a named speaker: ``佩恩称，部分国家正利用疫情……。``

        Only a person named (or known to the registry), or a spokesperson without a name
        (``发言人强调，…``: the quotes that follow in the paragraph are theirs), as the
        subject, a verb of
        saying followed by a comma or colon, and a clause with no quote marks to the
        end of the sentence: the spokesperson's "中方认为，…" and "他表示，…" stay out.
        """
        text = self.text
        out: list[Finding] = []
        quoted = [(s.open_mark, s.close_end) for s in self.spans]
        for verb in VERB_RE.finditer(text):
            if verb.group() not in INDIRECT_VERBS or text[verb.end() : verb.end() + 1] not in (
                "，", "：", ",", ":"):  # fmt: skip
                continue
            if not _verb_ok(text, verb) or any(a <= verb.start() < b for a, b in quoted):
                continue
            start = verb.end() + 1
            end = sentence_end(text, start, len(text))
            words = text[start:end]
            if re.search(r"[“”「」『』\"«»]", words) or any(start <= a < end for a, _ in quoted):
                continue
            sent_lo = sentence_start(text, 0, verb.start())
            subject = self._remember(subject_before(text, sent_lo, verb, self.registry, self.known))
            if subject is None or not subject.speaks or not (subject.name or _office(subject)):
                continue
            stop = end
            while stop > start and text[stop - 1] in "。！？!?\n ，,；;":
                stop -= 1
            if _body_chars(text[start:stop]) < MIN_DIRECT_CHARS or words.rstrip().endswith(
                ("？", "?")):  # fmt: skip
                continue
            out.append(Finding(start, stop, "indirect", verb.group(), subject))
        return out


def mentions(text: str, spans: list[Span], registry: Registry) -> list[tuple[int, str]]:
    """People named outside quotes, in order: registry names and titled unknown names.

    Used to resolve 他/她 to the person named last before them.
    """
    found: list[tuple[int, str]] = []
    inside = [(s.open_mark, s.close_end) for s in spans]
    aliases = _alias_re(registry)
    if aliases is not None:
        found.extend((m.start(), m.group()) for m in aliases.finditer(text))
    for m in _ROLE_RE.finditer(text):
        if m.group() not in _TITLE_SET:
            continue
        end = _unknown_name_end(text, m.end(), min(len(text), m.end() + 12), known=set(),
                                loose=True)  # fmt: skip
        if end is not None:
            found.append((m.end(), text[m.end() : end]))
    found = [f for f in found if not any(a <= f[0] < b for a, b in inside)]
    found.sort()
    return found


def _office(subject: Subject) -> bool:
    """A spokesperson without a name (发言人, 西部战区新闻发言人): a news agency's report of a
    ministry's answer ("发言人说，…。发言人强调，…") is the spokesperson's words throughout.
    Other offices' unmarked words stay out ("加拿大卫生部长明确表示，…")."""
    return not subject.person and (subject.role or "").endswith("发言人")
