"""China MFA: the layout in use since 2022 and the end of a transcript, on real pages.

The six English press conferences of the current layout in ``tests/pages/mfa/``
(``*_current_layout.html``, 2022–2025) are real pages saved from the live site
(``tests/pages/mfa/PROVENANCE.md``); no real Chinese page and no real listing page of that
layout is stored. What ends a transcript (a separator of asterisks, the Spokesperson's
Office's notice, questions asked after the conference) is also tested on real pages of
the 2018–2020 mirror, where it is far more frequent, in both languages.
"""

from __future__ import annotations

import pytest
from conftest import read_page

from mfa_scraper.items import ANSWER, QUESTION, REMARK
from mfa_scraper.sites.mfa import OFFICE, SEPARATOR, extract_mfa_page

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
    from archive.store.writer import Archive, open_readonly
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
