"""China MFA: the layout in use since 2022 and the end of a transcript, on real pages.

The six English press conferences of the current layout in ``tests/pages/mfa/``
(``*_current_layout.html``, 2022–2025) are real pages saved from the live site
(``tests/pages/mfa/PROVENANCE.md``); no real Chinese page and no real listing page of that
layout is stored. What ends a transcript (a separator of asterisks, the Spokesperson's
Office's notice, questions asked after the conference) is also tested on real pages of
the 2018–2020 mirror, where it is far more frequent, in both languages.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import read_page
from mfa_listings import listing

from archive.provenance.align import Turn as AlignedTurn
from archive.provenance.align import align
from mfa_scraper.items import ANSWER, QUESTION, REMARK
from mfa_scraper.page.html import parse_html
from mfa_scraper.sites.mfa import (
    OFFICE,
    SEPARATOR,
    extract_mfa_page,
    parse_listing,
    same_section,
    url_language,
)

EN = "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/{}.shtml"
ZH = "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/{}.shtml"
LXJZH = "https://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/"

#: The real current-layout pages: file → (URL, spokesperson, publication date).
CURRENT = {
    "en_t20240530_11347346_press_conference_2022-08-15_wang_wenbin_current_layout.html": (
        LXJZH + "202405/t20240530_11347346.html",
        "Wang Wenbin",
        "2022-08-15",
    ),
    "en_t20240530_11347616_press_conference_2023-10-17_mao_ning_current_layout.html": (
        LXJZH + "202405/t20240530_11347616.html",
        "Mao Ning",
        "2023-10-17",
    ),
    "en_t20240530_11347742_press_conference_2024-04-22_wang_wenbin_current_layout.html": (
        LXJZH + "202405/t20240530_11347742.html",
        "Wang Wenbin",
        "2024-04-22",
    ),
    "en_t20241017_11509439_press_conference_2024-10-17_mao_ning_filed_under_fyrbt"
    "_current_layout.html": (
        "https://www.fmprc.gov.cn/eng/xw/fyrbt/202410/t20241017_11509439.html",
        "Mao Ning",
        "2024-10-17",
    ),
    "en_t20250430_11614172_press_conference_2025-04-30_guo_jiakun_current_layout.html": (
        LXJZH + "202504/t20250430_11614172.html",
        "Guo Jiakun",
        "2025-04-30",
    ),
    "en_t20251017_11735636_press_conference_2025-10-17_lin_jian_current_layout.html": (
        LXJZH + "202510/t20251017_11735636.html",
        "Lin Jian",
        "2025-10-17",
    ),
}
MAY_DAY = "en_t20250430_11614172_press_conference_2025-04-30_guo_jiakun_current_layout.html"
BELT_AND_ROAD = "en_t20240530_11347616_press_conference_2023-10-17_mao_ning_current_layout.html"


def body(name: str) -> bytes:
    return read_page("mfa", f"www.fmprc.gov.cn.{name}")


def current(name: str):
    return extract_mfa_page(body(name), CURRENT[name][0])


def notices(doc) -> list:
    return [t for t in doc.turns if t.speaker == OFFICE]


# -- item 1: the separator and the Spokesperson's Office's notice ------------------------------


def test_notice_after_full_width_asterisks_is_the_offices_not_the_last_answer():
    """30 April 2025: "＊＊＊＊＊＊＊＊＊＊", then no press conference over the May Day holiday."""
    doc = current(MAY_DAY)
    *_, question, answer, notice = doc.turns
    assert (question.speaker, question.kind) == ("AFP", QUESTION)
    assert (answer.speaker, answer.kind) == ("Guo Jiakun", ANSWER)
    assert answer.text.endswith("non-discriminatory business environment for Chinese companies.")
    assert "May Day" not in answer.text
    assert (notice.speaker, notice.role, notice.kind) == (OFFICE, "notice", REMARK)
    assert notice.text.startswith("During the May Day holiday, there will be no regular press")
    assert notice.text.endswith("via fax, email or WeChat.")
    # The separator is no text: in no turn, not in the document's text.
    assert not any("＊" in t.text for t in doc.turns) and "＊" not in doc.text
    assert notices(doc) == [notice]


def test_notice_after_ascii_asterisks_is_the_offices_not_the_last_answer():
    """17 October 2023: 34 "*", then the conference adjourned for the Belt and Road Forum."""
    doc = current(BELT_AND_ROAD)
    *_, answer, notice = doc.turns
    assert (answer.speaker, answer.kind) == ("Mao Ning", ANSWER)
    assert answer.text.endswith("refrain from taking any adventurist or provocative moves.")
    assert (notice.speaker, notice.kind) == (OFFICE, REMARK)
    assert notice.text.startswith("In light of the opening ceremony of the third Belt and Road")
    assert "will be adjourned on October 18 (Wednesday)" in notice.text
    assert "*" not in doc.text
    # "NHK: How many countries …" is a question though it is not set in bold.
    nhk = next(t for t in doc.turns if t.speaker == "NHK")
    assert nhk.kind == QUESTION and nhk.text.startswith("How many countries")


@pytest.mark.parametrize("name", sorted(CURRENT))
def test_every_current_layout_transcript_is_split_into_its_turns(name):
    url, spokesperson, published = CURRENT[name]
    doc = extract_mfa_page(body(name), url)
    assert (doc.language, doc.kind, doc.published[:10]) == ("en", "transcript", published)
    assert {t.speaker for t in doc.turns if t.kind == ANSWER} == {spokesperson}
    for before, after in zip(doc.turns, doc.turns[1:]):
        if before.kind == QUESTION:
            assert after.kind == ANSWER, (before.text[:80], after.text[:80])
    # Nothing dropped but the separator; no notice left in an answer.
    kept = sum(len(t.text) for t in doc.turns)
    assert kept >= 0.95 * len(doc.text.replace("\n\n", ""))
    answers = " ".join(t.text for t in doc.turns if t.kind == ANSWER)
    assert "regular press conference will" not in answers
    assert not SEPARATOR.search(doc.text)


def test_chinese_notice_after_a_separator_and_the_english_one_without():
    """17 January 2019: the Chinese page puts "*************" before the notice, the English
    page has no separator; both notices are the office's, and pair with each other."""
    zh = extract_mfa_page(
        body("zh_t1630230_press_conference_2019-01-17.html"), ZH.format("t1630230")
    )
    en = extract_mfa_page(
        body("en_t1630327_press_conference_2019-01-17_hua_chunying.html"), EN.format("t1630327")
    )
    [zh_notice] = notices(zh)
    [en_notice] = notices(en)
    assert zh_notice is zh.turns[-1] and en_notice is en.turns[-1]
    assert zh_notice.text == (
        "因日程安排原因，1月18日（星期五）外交部例行记者会暂停一次。\n\n"
        "记者会暂停期间，外交部发言人办公室将照常接受传真或邮件提问。"
    )
    assert en_notice.text.startswith("Due to scheduling reasons, the regular press conference")
    assert zh.turns[-2].kind == en.turns[-2].kind == ANSWER
    assert zh.turns[-2].text.endswith("中方将继续坚定支持肯方维护国家安全和地区稳定的努力。")
    assert "*" not in zh.text


def test_notice_is_searchable_under_the_office(tmp_path):
    from archive.search.engine import Search, search
    from archive.store import Archive, open_readonly
    from mfa_scraper.attribution.document import attribute_quotes
    from mfa_scraper.records import document_record

    path = tmp_path / "archive.db"
    with Archive(path) as archive:
        archive.upsert_document(document_record(attribute_quotes(current(MAY_DAY))))
    rows = search(open_readonly(path), Search("holiday", speaker="Spokesperson's Office"))
    assert [(r["speaker"], r["kind"]) for r in rows] == [(OFFICE, "remark")]
    assert rows[0]["text"].startswith("During the May Day holiday")
    # Not under the spokesperson: his answers hold no word of it.
    assert search(open_readonly(path), Search("May Day", speaker="Guo Jiakun")) == []


# -- item 2: questions asked after the press conference ----------------------------------------


@pytest.mark.parametrize(
    ("name", "question", "answer_start"),
    [
        # The heading and the question in one bold paragraph, the answer after a <br>.
        (
            "en_t1603452_press_conference_2018-10-11_lu_kang.html",
            'the US leaders recently said that China was just "paying lip service"',
            "This groundless accusation by the US side",
        ),
        # The heading alone after "***", then "Q:".
        (
            "en_t1698607_press_conference_2019-09-17_hua_chunying.html",
            "According to media reports, the Solomon Islands has decided",
            "China highly appreciates the Solomon Islands",
        ),
        # "※※※※※※", then "After the press conference, the following question was raised: …"
        (
            "en_t1790521_press_conference_2020-06-19_zhao_lijian.html",
            "can you give us a step-by-step account of the Galwan clash?",
            "The Galwan Valley is located on the Chinese side",
        ),
        # "The following question was raised after the press conference: …" in bold.
        (
            "en_t1630327_press_conference_2019-01-17_hua_chunying.html",
            "In the afternoon of January 15 local time, the Dusit D2 Hotel",
            "China firmly opposes all forms of terrorism",
        ),
    ],
)
def test_question_raised_after_the_conference_ends_the_answer_before_it(
    name, question, answer_start
):
    doc = extract_mfa_page(body(name), EN.format("t0"))
    asked = next(i for i, t in enumerate(doc.turns) if t.text.startswith(question))
    before, turn, after = doc.turns[asked - 1 : asked + 2]
    assert (turn.speaker, turn.kind) == (None, QUESTION)
    assert before.kind == ANSWER and after.kind == ANSWER
    assert after.text.startswith(answer_start)
    # The heading is in no turn: neither left in the answer before nor kept in the question.
    heading = re.compile(r"after the press conference|press conference, the following", re.I)
    assert not heading.search(before.text) and not heading.search(turn.text)
    assert not SEPARATOR.search(before.text)


def test_chinese_follow_up_no_longer_swallows_its_unlabelled_answer():
    """17 January 2019: "追问：…" in bold, then Hua Chunying's answer with no "答："; it was
    archived as the journalist's question, and the English and Chinese turns then paired
    wrongly. Now both versions have the same turns and align one to one."""
    zh = extract_mfa_page(
        body("zh_t1630230_press_conference_2019-01-17.html"), ZH.format("t1630230")
    )
    en = extract_mfa_page(
        body("en_t1630327_press_conference_2019-01-17_hua_chunying.html"), EN.format("t1630327")
    )
    follow_up = next(t for t in zh.turns if t.text.startswith("加外长称"))
    assert follow_up.kind == QUESTION
    assert follow_up.text.endswith("你是否认同这种说法？")
    answer = zh.turns[zh.turns.index(follow_up) + 1]
    assert (answer.speaker, answer.kind) == ("华春莹", ANSWER)
    assert answer.text.startswith("我想你们的外长是不是有点太着急了")

    def aligned(doc) -> list[AlignedTurn]:
        return [AlignedTurn(t.kind, t.speaker, t.role, t.text, doc.language) for t in doc.turns]

    assert [t.kind for t in zh.turns] == [t.kind for t in en.turns]
    alignment = align(aligned(zh), aligned(en))
    assert [(i, j) for i, j, _ in alignment.pairs] == [(i, i) for i in range(len(zh.turns))]
    kenya = next(i for i, t in enumerate(zh.turns) if "肯尼亚首都内罗毕" in t.text)
    assert en.turns[kenya].text.startswith("In the afternoon of January 15 local time")


def test_chinese_question_asked_after_the_conference_behind_a_comma():
    """20 October 2017: "会后，有记者问及<b>：…</b>" (a comma after 会后, the question in bold)
    and the answer without "答：" were one answer of 陆慷's."""
    doc = extract_mfa_page(
        body("zh_t1503405_press_conference_2017-10-20.html"), ZH.format("t1503405")
    )
    asked = next(i for i, t in enumerate(doc.turns) if t.text.startswith("昨天，普京总统"))
    before, question, answer = doc.turns[asked - 1 : asked + 2]
    assert (question.speaker, question.kind) == (None, QUESTION)
    assert question.text.endswith("你对此有何回应？")
    assert before.kind == ANSWER and "会后" not in before.text
    assert (answer.speaker, answer.kind) == ("陆慷", ANSWER)
    assert answer.text.startswith("我此前也介绍过")


# -- item 4: where the Chinese versions live ---------------------------------------------------


@pytest.mark.parametrize("name", sorted(CURRENT))
def test_the_chinese_versions_the_real_pages_link_are_chinese(name):
    """The language links of the real pages: ``/web/fyrbt_673021/jzhsl_673025/…`` (2023),
    ``/fyrbt_673021/jzhsl_673025/…`` (April 2024), ``/web/fyrbt_673021/…`` (April 2025) and
    ``/fyrbt_673021/…`` (October 2025, no ``/web/``)."""
    tree = parse_html(body(name).decode("utf-8"))
    links = tree.xpath('//div[@class="news_header_lang"]/span[@data-desc="中文"]/a/@href')
    if not links:  # the 2022 page's language block is empty
        assert "2022-08-15" in name
        return
    [chinese] = links
    assert "fyrbt_673021" in chinese
    assert url_language(chinese) == "zh"
    assert url_language(CURRENT[name][0]) == "en"


# -- item 5: listings of the current layout (constructed: no real listing page is stored) ----


def test_a_current_layout_listing_gives_its_links_and_guesses_the_next_page():
    """:mod:`mfa_listings`: a real page's header and footer (navigation links to sections,
    none to documents) around links ``./YYYYMM/tYYYYMMDD_N.html``."""
    first = parse_listing(listing("lxjzh/index.html"), LXJZH + "index.html")
    assert [(e.url, e.date) for e in first.entries] == [
        (LXJZH + "202510/t20251017_11735636.html", date(2025, 10, 17)),
        (LXJZH + "202504/t20250430_11614172.html", date(2025, 4, 30)),
        (LXJZH + "202405/t20240530_11347742.html", date(2024, 4, 22)),  # republished in May
    ]
    # No page count, no pager in the markup: the next page is guessed, and says so.
    assert (first.next_page, first.next_guessed) == (LXJZH + "index_1.html", True)
    second = parse_listing(listing("lxjzh/index_1.html"), LXJZH + "index_1.html")
    assert len(second.entries) == 2 and second.next_page == LXJZH + "index_2.html"
    empty = parse_listing(listing("lxjzh/empty"), LXJZH + "index_2.html")
    assert empty.entries == [] and empty.next_page is None


def test_a_listing_keeps_the_links_of_its_own_section():
    """Constructed: a listing that also links another section's document (a sidebar)."""
    other_host = "https://www.mfa.gov.cn/eng/xw/fyrbt/lxjzh/202510/t20251016_11734999.html"
    html = (
        '<ul><li><a href="./202510/t20251017_11735636.html">Press Conference</a></li>'
        f'<li><a href="{other_host}">Press Conference</a></li></ul>'
        '<div class="side"><a href="/eng/xw/zyxw/202510/t20251016_11734000.html">News</a></div>'
    )
    listing = parse_listing(html, LXJZH + "index.html")
    # The section's folder on either host of the site; not another section's news.
    assert [e.url for e in listing.entries] == [
        LXJZH + "202510/t20251017_11735636.html",
        other_host,
    ]
    # A 2015–2021 listing with a page count pages by it, as before: nothing guessed.
    old = parse_listing(body("en_listing_2511_665403_default.shtml.html"), EN.format("default"))
    assert (old.next_page, old.next_guessed) == (EN.format("default_1"), False)


@pytest.mark.parametrize(
    ("asked", "final", "same"),
    [
        # A page past the end, sent back to the section's first page: same section.
        (LXJZH + "index_7.html", LXJZH + "index.html", True),
        # The 2015–2021 section renumbered into the current layout (reported).
        (EN.format("default"), EN.format("index").replace("/mfa_eng/", "/eng/"), True),
        # The Chinese spokesperson section at its current address.
        (ZH.format("default"), "https://www.fmprc.gov.cn/fyrbt_673021/index.shtml", True),
        # Elsewhere: the home page, another section, the other language.
        (EN.format("default"), "https://www.fmprc.gov.cn/eng/", False),
        (LXJZH + "index.html", "https://www.fmprc.gov.cn/eng/wjb/zzjg_663340/index.html", False),
        (ZH.format("default"), "https://www.fmprc.gov.cn/eng/xw/fyrbt/index.html", False),
    ],
)
def test_same_section_after_a_redirect(asked, final, same):
    assert same_section(asked, final) is same
