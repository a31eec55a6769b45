"""Quotes in Chinese and Russian: found, kept apart from terms, and filed under one identity.

Chinese cases come from real MFA transcripts saved in tests/pages/mfa (the page is
named in each case); a few forms those pages lack (「」, the cue after the quote)
are constructed and marked so. There is no Russian page in the project yet: the
Russian sentences are constructed in the style of kremlin.ru and mid.ru news.
"""

from __future__ import annotations

import pytest
from conftest import read_page

from archive.identity.names import canonical_name
from mfa_scraper.attribution.document import attribute_quotes
from mfa_scraper.attribution.quotemarks import find_spans_nested
from mfa_scraper.attribution.quotes import extract_quotes, text_language
from mfa_scraper.sites.mfa import extract_mfa_page

MFA_ZH = "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/"


def zh_page(name: str):
    """A saved Chinese MFA transcript, extracted and attributed as a crawl would."""
    number = name.split("_")[1]
    document = extract_mfa_page(read_page("mfa", f"www.fmprc.gov.cn.zh_{name}.html"),
                                f"{MFA_ZH}{number}.shtml")  # fmt: skip
    return attribute_quotes(document)


def found(text: str) -> list[tuple[str, str, str | None]]:
    return [(q.quote, q.kind, q.speaker) for q in extract_quotes(text)]


# --- Chinese, real pages -----------------------------------------------------------------


def test_zh_transcript_turns_are_filed_under_canonical_names():
    document = zh_page("t1789468_press_conference_2020-06-17")
    answers = {t.speaker for t in document.turns if t.kind == "answer"}
    questions = {t.speaker for t in document.turns if t.kind == "question"}
    assert answers == {"Zhao Lijian"}
    assert {"路透社", "深圳卫视"} <= questions  # outlets keep their label


def test_zh_reported_speech_without_marks_is_kept_under_the_speaker():
    """The question quotes Marise Payne without quote marks (the English page has them)."""
    document = zh_page("t1789468_press_conference_2020-06-17")
    quotes = [q for turn in document.turns for q in turn.quotes]
    payne = [(q.quote, q.kind, q.speaker_role, q.speaker_org) for q in quotes
             if q.speaker == "Marise Payne"]  # fmt: skip
    assert payne == [
        ("部分国家正利用疫情削弱自由民主，推进本国的威权模式", "indirect", "外长", "Australia"),
        ("中国正就新冠肺炎疫情制造恐怖和分裂气氛", "indirect", None, None),
    ]
    # “信息疫情”, “虚假宣传”, “水军”: scare quotes, nobody's statement.
    assert not [q for q in quotes if q.kind != "indirect"]


def test_zh_direct_quotes_with_long_descriptions_and_pronouns():
    document = zh_page("t1683016_press_conference_2019-07-24")
    quotes = {q.quote: q for turn in document.turns for q in turn.quotes}
    pompeo = quotes["我们撒谎、我们欺骗、我们偷窃，这是美国不断探索前进的荣耀"]
    assert (pompeo.kind, pompeo.speaker, pompeo.cue) == ("direct", "Mike Pompeo", "宣称")
    assert (pompeo.speaker_role, pompeo.speaker_org) == ("国务卿", "United States")
    # "宇航员阿姆斯特朗成为第一个登上月球的人，他说“…”": 他 is the astronaut.
    armstrong = quotes["这是个人的一小步，却是人类的一大步"]
    assert (armstrong.kind, armstrong.speaker) == ("direct", "阿姆斯特朗")
    # “长臂管辖”, “东方明珠”, “稳”, “粗鲁对待” are terms; 《世界经济展望》 a title.
    assert set(quotes) == {pompeo.quote, armstrong.quote}


def test_zh_quotes_after_comma_and_without_mark():
    document = zh_page("t1622643_press_conference_2018-12-17")
    quotes = [(q.quote[:12], q.kind, q.speaker, q.speaker_role)
              for turn in document.turns for q in turn.quotes if q.kind != "indirect"]  # fmt: skip
    assert quotes == [
        ("很遗憾，此类信息出自这样", "direct", "尚达", None),  # 尚达称，“…”
        ("加是依据法治原则和国际条", "direct", "加拿大外长", "外长"),  # an unnamed office
        ("非法拘留加公民是不能接受", "direct", "Mike Pompeo", "国务卿"),  # 称“…” with no mark
    ]
    shangda = [q for turn in document.turns for q in turn.quotes if q.kind == "indirect"]
    assert [(q.speaker, q.speaker_role) for q in shangda] == [("尚达", "赞比亚总统发言人")]


def test_zh_quote_in_an_answer_under_an_international_official():
    document = zh_page("t1739521_press_conference_online_2020-02-03")
    quotes = [q for turn in document.turns for q in turn.quotes]
    tedros = [q for q in quotes if q.kind == "direct"]
    # filed under the registry's spelling, as his English statements are
    assert [(q.speaker, q.speaker_role, q.cue) for q in tedros] == [
        ("Tedros Adhanom Ghebreyesus", "世卫组织总干事", "强调")
    ]
    assert tedros[0].quote.startswith("这是一个需要事实而不是恐惧的时刻")
    # "加拿大卫生部长明确表示，…" names nobody: 卫生 is not a name, and unmarked words
    # are kept only under a named speaker.
    assert {q.speaker for q in quotes} == {"Tedros Adhanom Ghebreyesus"}


def test_zh_two_quotes_of_one_letter_writer():
    document = zh_page("t1474965_press_conference_2017-07-03")
    nehru = [q for turn in document.turns for q in turn.quotes if q.speaker == "尼赫鲁"]
    assert [(q.kind, q.speaker_role, q.quote[:10]) for q in nehru] == [
        ("direct", "总理", "印度的保护国锡金同中"),
        ("direct", "总理", "1890年的条约确定"),
    ]


def test_zh_turns_without_other_voices_yield_no_quotes():
    document = zh_page("t1614117_spokesperson_remarks_2018-11-18")
    assert {t.speaker for t in document.turns if t.kind == "answer"} == {"Hua Chunying"}
    # "中方认为，…", "我们注意到…", "并称中国…" (no comma): no third party's words.
    assert [q for turn in document.turns for q in turn.quotes] == []


# --- Chinese, constructed for forms the pages lack ----------------------------------------

ZH_CONSTRUCTED = [
    ("习近平说：“中美合作是唯一正确的选择。”",
     [("中美合作是唯一正确的选择。", "direct", "Xi Jinping")]),
    ("王毅表示，“中方愿同各方一道，维护地区和平稳定。”",
     [("中方愿同各方一道，维护地区和平稳定。", "direct", "Wang Yi")]),
    ("“中方对此坚决反对，已向美方提出严正交涉。”，赵立坚说。",
     [("中方对此坚决反对，已向美方提出严正交涉。", "direct", "Zhao Lijian")]),
    ("“我们坚决反对单边制裁，”汪文斌说，“这不符合国际法。”",
     [("我们坚决反对单边制裁", "direct", "Wang Wenbin"),
      ("这不符合国际法。", "direct", "Wang Wenbin")]),
    ("香港特区行政长官林郑月娥表示：「政府会全力支持警方依法执法。」",
     [("政府会全力支持警方依法执法。", "direct", "Carrie Lam")]),  # the registry's spelling
    # Hong Kong copy: traditional characters, 「」 with 『』 inside, speaker between the parts.
    ("「我們會全力支持警方執法，」林鄭月娥說，「『止暴制亂』是當前最迫切的任務。」",
     [("我們會全力支持警方執法", "direct", "Carrie Lam"),
      ("『止暴制亂』是當前最迫切的任務。", "direct", "Carrie Lam")]),
    ("外交部發言人趙立堅表示：「美方應立即停止干涉中國內政。」",
     [("美方應立即停止干涉中國內政。", "direct", "Zhao Lijian")]),
    ("俄罗斯外长拉夫罗夫表示：“俄方愿同中方加强战略协作。”",
     [("俄方愿同中方加强战略协作。", "direct", "Sergey Lavrov")]),
    ("佩恩称，中国正在“制造恐怖和分裂气氛”。",
     [("制造恐怖和分裂气氛", "partial", "Marise Payne")]),
    ("中方一贯支持“一带一路”倡议，愿同各方共建“一带一路”。", []),
    ("所谓“新疆强迫劳动”完全是无中生有。", []),
    ("他读了《人类命运共同体》一书，称其为“新时代的宣言”。", []),
    ("我想强调的是，“台独”是死路一条。", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ZH_CONSTRUCTED)
def test_zh_constructed_forms(text, expected):
    assert found(text) == expected


def test_zh_role_and_country_split_from_the_name():
    [quote] = extract_quotes("外交部发言人赵立坚在例行记者会上表示：“美方应立即停止干涉中国内政。”")
    assert (quote.speaker, quote.speaker_role, quote.speaker_org) == (
        "Zhao Lijian", "外交部发言人", "China")  # fmt: skip
    [quote] = extract_quotes("国务委员兼外长王毅强调：“单边主义没有出路。”")
    assert (quote.speaker, quote.speaker_role) == ("Wang Yi", "国务委员兼外长")


def test_book_title_marks_are_never_quotes():
    text = "《关于进一步削减和限制进攻性战略武器措施的条约》延期问题上，美方一再拿中国说事。"
    assert find_spans_nested(text) == []


# --- Russian, constructed in the style of kremlin.ru and mid.ru ---------------------------

RU_CONSTRUCTED = [
    ("Лавров заявил: «Мы готовы к диалогу с Вашингтоном».",
     [("Мы готовы к диалогу с Вашингтоном", "direct", "Sergey Lavrov")]),
    ("«Мы не намерены отвечать на провокации», — заявил Сергей Лавров.",
     [("Мы не намерены отвечать на провокации", "direct", "Sergey Lavrov")]),
    ("«Это абсолютно неприемлемо», - отметила Захарова.",
     [("Это абсолютно неприемлемо", "direct", "Maria Zakharova")]),
    ("«Ситуация остается сложной», – считает Рябков.",
     [("Ситуация остается сложной", "direct", "Sergey Ryabkov")]),
    ("«Нет», — коротко ответил Песков.", [("Нет", "direct", "Dmitry Peskov")]),
    ("По словам Лаврова, «западные страны утратили способность к диалогу».",
     [("западные страны утратили способность к диалогу", "direct", "Sergey Lavrov")]),
    ("Как отметил Песков, «решение пока не принято».",
     [("решение пока не принято", "direct", "Dmitry Peskov")]),
    ("Президент России Владимир Путин на встрече с Си Цзиньпином заявил: «Отношения наших "
     "стран находятся на высоком уровне».",
     [("Отношения наших стран находятся на высоком уровне", "direct", "Vladimir Putin")]),
    ("Си Цзиньпин сказал: «Китай и Россия — надежные партнеры».",
     [("Китай и Россия — надежные партнеры", "direct", "Xi Jinping")]),
    ("Захарова подчеркнула, что Москва «не оставит без ответа» эти действия.",
     [("не оставит без ответа", "partial", "Maria Zakharova")]),
    ("Официальный представитель МИД России Мария Захарова назвала это заявление «провокацией».",
     [("провокацией", "partial", "Maria Zakharova")]),
    ("«Мы готовы к переговорам, — сказал Путин. — Но только на равных условиях».",
     [("Мы готовы к переговорам", "direct", "Vladimir Putin"),
      ("Но только на равных условиях", "direct", "Vladimir Putin")]),
    ("«Никаких переговоров не будет», — заявил Иван Петров, глава комитета.",
     [("Никаких переговоров не будет", "direct", "Иван Петров")]),
    ("Сергей Лавров провел переговоры с Ван И. «Мы это обсудим», — сказал он.",
     [("Мы это обсудим", "direct", "Sergey Lavrov")]),
    ('Дональд Трамп заявил: "Мы хотим мира".', [("Мы хотим мира", "direct", "Donald Trump")]),
    ("По мнению Пескова, «никаких оснований для паники нет».",
     [("никаких оснований для паники нет", "direct", "Dmitry Peskov")]),
    ("«Если партнеры готовы к диалогу, мы тоже готовы», — цитирует ТАСС слова Лаврова.",
     [("Если партнеры готовы к диалогу, мы тоже готовы", "direct", "Sergey Lavrov")]),
    ("«Решение о проведении операции принято», — сообщили в Минобороны.",
     [("Решение о проведении операции принято", "direct", "Минобороны")]),
    ("«Переговоры прошли в деловой атмосфере», — говорится в сообщении МИД России.",
     [("Переговоры прошли в деловой атмосфере", "direct", "МИД России")]),
    ("Лавров: «Мы не собираемся ни перед кем оправдываться».",
     [("Мы не собираемся ни перед кем оправдываться", "direct", "Sergey Lavrov")]),
    ("Мой девиз: «Надо любить то, что делаешь».",
     [("Надо любить то, что делаешь", "direct", None)]),
    ("Газопровод «Северный поток» был поврежден в сентябре.", []),
    ("Так называемая «зерновая сделка» прекратила действие.", []),
    ("Лавров заявил, что «Газпром» продолжит поставки.", []),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), RU_CONSTRUCTED)
def test_ru_constructed_forms(text, expected):
    assert found(text) == expected


def test_ru_titles_go_to_the_role():
    [quote] = extract_quotes(
        "«Санкции не сработали», — сказал министр иностранных дел России Сергей Лавров."
    )
    assert (quote.speaker, quote.speaker_role, quote.speaker_org) == (
        "Sergey Lavrov", "министр иностранных дел России", "Russia")  # fmt: skip
    [quote] = extract_quotes(
        "Постоянный представитель России при ООН Василий Небензя сказал: «Совет Безопасности "
        "должен действовать»."
    )
    assert (quote.speaker, quote.speaker_role) == (
        "Vassily Nebenzia", "постоянный представитель России при ООН")  # fmt: skip


def test_ru_office_without_a_name_stays_an_office():
    [quote] = extract_quotes("«Мы ценим дружбу с Китаем», — подчеркнул глава МИД России.")
    assert (quote.kind, quote.speaker) == ("direct", "глава МИД России")


# --- One identity, and the language of a text ----------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("赵立坚", "Zhao Lijian"),
        ("华春莹", "Hua Chunying"),
        ("弗拉基米尔·普京", "Vladimir Putin"),
        ("Лаврова", "Sergey Lavrov"),
        ("Сергеем Лавровым", "Sergey Lavrov"),
        ("Марии Захаровой", "Maria Zakharova"),
        ("Си Цзиньпина", "Xi Jinping"),
        ("Ван И", "Wang Yi"),
        ("Дональда Трампа", "Donald Trump"),
        ("Иван Петров", "Иван Петров"),
    ],
)
def test_chinese_and_russian_names_reach_the_registry(raw, expected):
    assert canonical_name(raw) == expected


def test_language_follows_the_script():
    assert text_language("王毅表示，“中方愿同各方一道。”") == "zh"
    assert text_language("Лавров заявил: «Мы готовы»") == "ru"
    assert text_language('Wang said the "一带一路" initiative was open to all.') == "en"
    assert text_language("Zakharova (Захарова) said “no”.") == "en"


def test_russian_experts_in_general_are_nobody_and_not_the_last_named_person():
    """Constructed: a scare quote after "Эксперты называют" came out as Putin's words."""
    text = (
        "«Это, безусловно, недружественный акт по отношению к Российской Федерации», — "
        "заявил Путин.\n\nЭксперты называют происходящее новой «холодной войной».\n\n"
        "Аналитики считают, что «санкции не сработают»."
    )
    found = {q.quote: q.speaker for q in extract_quotes(text)}
    assert found["Это, безусловно, недружественный акт по отношению к Российской Федерации"] == (
        "Vladimir Putin"
    )
    assert found.get("холодной войной") is None
    assert found.get("санкции не сработают") is None
