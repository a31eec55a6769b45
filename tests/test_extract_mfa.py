"""China MFA pages → documents and turns, on real pages saved in tests/pages/mfa."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mfa_scraper.items import ANSWER, QUESTION, REMARK
from mfa_scraper.sites.mfa import (
    ListingEntry,
    RemovedPage,
    extract_mfa_page,
    listing_hints,
    neighbour_dates,
    parse_listing,
    url_language,
)

BASE = "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"


def mfa(page, name: str) -> bytes:
    return page("mfa", f"www.fmprc.gov.cn.{name}")


def test_zhao_lijian_transcript(page):
    doc = extract_mfa_page(
        mfa(page, "en_t1789509_press_conference_2020-06-17_zhao_lijian.html"),
        BASE + "t1789509.shtml",
    )
    assert doc.title == (
        "Foreign Ministry Spokesperson Zhao Lijian's Regular Press Conference on June 17, 2020"
    )
    assert doc.published == "2020-06-17"
    assert doc.language == "en"
    assert doc.kind == "transcript"
    assert doc.flags == []
    first, second, third = doc.turns[:3]
    assert (first.speaker, first.kind) == ("Reuters", QUESTION)
    assert first.text.startswith("Regarding the China-India face-off")
    assert (second.speaker, second.kind, second.role) == (
        "Zhao Lijian",
        ANSWER,
        "Foreign Ministry Spokesperson",
    )
    assert second.text.startswith("On your first question, in order to ease the situation")
    # Marise Payne's words sit in Shenzhen TV's question, never in an answer.
    assert (third.speaker, third.kind) == ("Shenzhen TV", QUESTION)
    assert "some countries are using the pandemic" in third.text
    answers = [t for t in doc.turns if t.kind == ANSWER]
    assert all(t.speaker == "Zhao Lijian" for t in answers)
    assert not any("some countries are using the pandemic" in t.text for t in answers)
    assert any("It happened on the Chinese side of the LAC" in t.text for t in answers)
    # No label leaks into the text of a turn.
    assert not any(t.text.startswith(("Zhao Lijian:", "Reuters:")) for t in doc.turns)


def test_title_without_year_takes_it_from_listing_neighbours(page):
    body = mfa(page, "en_t1593756_press_conference_2018-09-10_title_without_year.html")
    alone = extract_mfa_page(body, BASE + "t1593756.shtml")
    assert alone.published is None and alone.flags == ["no-date"]  # never the crawl time
    doc = extract_mfa_page(
        body, BASE + "t1593756.shtml", date_hints=[date(2018, 9, 7), date(2018, 10, 8)]
    )
    assert doc.published == "2018-09-10"
    assert doc.flags == ["year-from-listing"]
    # Announcements before any label are the spokesperson's, named in the title.
    assert (doc.turns[0].speaker, doc.turns[0].kind) == ("Geng Shuang", REMARK)
    assert doc.turns[0].text.startswith("At the invitation of State Councilor")
    assert (doc.turns[1].speaker, doc.turns[1].kind) == (None, QUESTION)  # "Q:" has no outlet
    assert (doc.turns[2].speaker, doc.turns[2].kind) == ("Geng Shuang", ANSWER)


def test_undated_title_takes_the_closest_listing_entry(page):
    # The three entries as they stand on the real listing page default_5.shtml.
    entries = [
        ListingEntry(BASE + "t1686991.shtml", "… Remarks on August 7, 2019", date(2019, 8, 7)),
        ListingEntry(BASE + "t1686638.shtml", "… Remarks on US House Speaker …", None),
        ListingEntry(BASE + "t1686637.shtml", "… Remarks on August 6, 2019", date(2019, 8, 6)),
    ]
    hints = neighbour_dates(entries, 1)
    assert hints[0] == date(2019, 8, 6)  # t1686637 is the next number
    doc = extract_mfa_page(
        mfa(page, "en_t1686638_remarks_undated_title.html"),
        BASE + "t1686638.shtml",
        date_hints=hints,
    )
    assert doc.published == "2019-08-06"
    assert doc.flags == ["date-from-listing"]
    # Written remarks, as their Chinese version (答记者问) is: a statement with its Q and A.
    assert doc.kind == "statement"
    assert [t.kind for t in doc.turns[:2]] == [QUESTION, ANSWER]
    assert doc.turns[1].speaker == "Hua Chunying"


def test_daily_briefing_opening_figures_are_not_labels(page):
    doc = extract_mfa_page(
        mfa(page, "en_t1743009_daily_briefing_online_2020-02-10.html"), BASE + "t1743009.shtml"
    )
    assert doc.published == "2020-02-10"
    opening = doc.turns[0]
    assert (opening.speaker, opening.kind) == ("Geng Shuang", REMARK)
    # "between 00:00 and 24:00" and "As of 24:00 February 9" stay in the remark.
    assert "As of 24:00 February 9" in opening.text
    assert doc.turns[1].kind == QUESTION


def test_chinese_transcript(page):
    doc = extract_mfa_page(
        mfa(page, "zh_t1789468_press_conference_2020-06-17.html"),
        "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/t1789468.shtml",
    )
    assert doc.language == "zh"
    assert doc.published == "2020-06-17"
    speakers = [(t.speaker, t.kind) for t in doc.turns[:4]]
    assert speakers == [
        ("路透社", QUESTION),
        ("赵立坚", ANSWER),
        ("深圳卫视", QUESTION),
        ("赵立坚", ANSWER),
    ]


def test_removed_page_is_never_a_document(page):
    with pytest.raises(RemovedPage):
        extract_mfa_page(mfa(page, "error.htm"), BASE + "t9999999.shtml")


def test_listing_pages_and_entries(page):
    listing = parse_listing(
        mfa(page, "en_listing_2511_665403_default.shtml.html"), BASE + "default.shtml"
    )
    assert len(listing.entries) == 40
    assert listing.entries[0].url == BASE + "t1794629.shtml"
    assert listing.entries[0].date == date(2020, 7, 3)
    assert listing.next_page == BASE + "default_1.shtml"
    last = parse_listing(
        mfa(page, "en_listing_2511_665403_default_12.shtml.html"), BASE + "default_12.shtml"
    )
    assert len(last.entries) == 20
    assert last.next_page is None  # countPage = 13: default_12 is the last


def test_current_layout_page_is_read_defensively():
    """A page built from CURRENT-LAYOUT.md (constructed; real pages: test_extract_mfa_current)."""
    html = """<html><head><title>Foreign Ministry Spokesperson Lin Jian's Regular Press
    Conference on July 15, 2024_Ministry of Foreign Affairs of the People's Republic of
    China</title>
    <meta name="ArticleTitle" content="Foreign Ministry Spokesperson Lin Jian's Regular Press
    Conference on July 15, 2024"><meta name="PubDate" content="2024-07-15 18:58"></head><body>
    <div class="content_text"><div class="view_dedault TRS_UEDITOR trs_paper_default trs_web">
    <p>Lin Jian: I have an announcement to make.</p><p><strong>AFP: Any comment?</strong></p>
    <p>Lin Jian: We have no information.</p></div></div></body></html>"""
    url = "https://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/202407/t20240715_11453678.html"
    doc = extract_mfa_page(html, url)
    assert doc.title.endswith("July 15, 2024")
    assert doc.published == "2024-07-15T18:58"
    assert [(t.speaker, t.kind) for t in doc.turns] == [
        ("Lin Jian", ANSWER),
        ("AFP", QUESTION),
        ("Lin Jian", ANSWER),
    ]


TRANSCRIPTS = {
    # file: (url path, published, spokesperson, language)
    "en_t1683038_press_conference_2019-07-24_hua_chunying.html": (
        "mfa_eng/xwfw_665399/s2510_665401/2511_665403/t1683038.shtml",
        "2019-07-24",
        "Hua Chunying",
        "en",
    ),
    "en_t1743009_daily_briefing_online_2020-02-10.html": (
        "mfa_eng/xwfw_665399/s2510_665401/2511_665403/t1743009.shtml",
        "2020-02-10",
        "Geng Shuang",
        "en",
    ),
    "en_t1789509_press_conference_2020-06-17_zhao_lijian.html": (
        "mfa_eng/xwfw_665399/s2510_665401/2511_665403/t1789509.shtml",
        "2020-06-17",
        "Zhao Lijian",
        "en",
    ),
    "zh_t1683016_press_conference_2019-07-24.html": (
        "web/wjdt_674879/fyrbt_674889/t1683016.shtml",
        "2019-07-24",
        "华春莹",
        "zh",
    ),
    "zh_t1614117_spokesperson_remarks_2018-11-18.html": (
        "web/wjdt_674879/fyrbt_674889/t1614117.shtml",
        "2018-11-18",
        "华春莹",
        "zh",
    ),
}


@pytest.mark.parametrize("name", sorted(TRANSCRIPTS))
def test_every_transcript_alternates_questions_and_answers(page, name):
    path, published, spokesperson, language = TRANSCRIPTS[name]
    doc = extract_mfa_page(mfa(page, name), "https://www.fmprc.gov.cn/" + path)
    assert doc.published == published
    assert doc.language == language
    assert doc.flags == []
    kinds = [t.kind for t in doc.turns]
    assert QUESTION in kinds and ANSWER in kinds
    assert {t.speaker for t in doc.turns if t.kind == ANSWER} == {spokesperson}
    assert all(t.text.strip() for t in doc.turns)
    # Every question is followed by an answer (or by a follow-up question).
    for before, after in zip(doc.turns, doc.turns[1:]):
        if before.kind == QUESTION:
            assert after.kind in (ANSWER, QUESTION)
    # The turns hold the whole body: nothing dropped between labels.
    assert sum(len(t.text) for t in doc.turns) >= 0.95 * len(doc.text.replace("\n\n", ""))


# -- the Chinese site -------------------------------------------------------------------

ZH = "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/"
#: The loopback copy of the Chinese site (real pages, see its README).
ZH_MIRROR = Path(__file__).parent / "pages/mirror/www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889"


def zh_page(name: str) -> bytes:
    return (ZH_MIRROR / name).read_bytes()


def test_chinese_listing_reads_the_date_printed_beside_each_link():
    listing = parse_listing(zh_page("default.shtml"), ZH + "default.shtml")
    assert len(listing.entries) == 15
    assert listing.next_page == ZH + "default_1.shtml"  # countPage = 67
    by_url = {e.url: e for e in listing.entries}
    # "2020年6月17日外交部发言人赵立坚主持例行记者会(2020-06-17)"
    assert by_url[ZH + "t1789468.shtml"].date == date(2020, 6, 17)
    # No date in the title "外交部发言人就…发表谈话": the listing's "(2020-06-30)" gives it.
    statement = by_url[ZH + "t1793459.shtml"]
    assert statement.date == statement.listed == date(2020, 6, 30)
    # The document's own listed date is its first hint, before its neighbours'.
    index = listing.entries.index(statement)
    assert listing_hints(listing.entries, index)[0] == date(2020, 6, 30)
    last = parse_listing(zh_page("default_66.shtml"), ZH + "default_66.shtml")
    assert len(last.entries) == 10 and last.next_page is None
    assert all(e.listed for e in last.entries)


def test_chinese_listing_date_in_full_width_brackets_or_a_span():
    """Constructed listing entries: "（2020-06-17）" and the 2022 layout's ``<span>``."""
    html = """<html><body><ul>
    <li><a href="./t1789468.shtml">外交部发言人答记者问</a>（2020-06-17）</li>
    <li><a href="./202407/t20240715_11453678.shtml">外交部发言人表态</a><span>2024-07-15</span></li>
    <li><a href="./t1789191.shtml">外交部发言人谈话</a></li>
    </ul></body></html>"""
    entries = parse_listing(html, ZH + "index.html").entries
    assert [e.listed for e in entries] == [date(2020, 6, 17), date(2024, 7, 15), None]


def test_chinese_press_conference_turns_and_long_outlet_labels():
    doc = extract_mfa_page(zh_page("t1794237.shtml"), ZH + "t1794237.shtml")
    assert (doc.language, doc.kind, doc.published) == ("zh", "transcript", "2020-07-02")
    askers = {t.speaker for t in doc.turns if t.kind == QUESTION}
    # An outlet longer than a name-shaped label, set in bold.
    assert "英国独立电视台和英国广播公司" in askers
    assert {t.speaker for t in doc.turns if t.kind == ANSWER} == {"赵立坚"}
    assert {t.role for t in doc.turns if t.kind == ANSWER} == {"外交部发言人"}


def test_chinese_sentences_ending_in_a_colon_are_not_labels(page):
    doc = extract_mfa_page(
        mfa(page, "zh_t1573904_press_conference_2018-07-04_colon_sentences.html"),
        ZH + "t1573904.shtml",
    )
    # "这里我想强调两点：第一，…" is 陆慷 speaking, not an outlet asking.
    assert not any(t.speaker and "强调" in t.speaker for t in doc.turns)
    answer = next(t for t in doc.turns if "这里我想强调两点" in t.text)
    assert (answer.speaker, answer.kind) == ("陆慷", ANSWER)
    assert "第一，中国是法治国家" in answer.text


def test_chinese_reported_answer_after_a_question_asked_after_the_conference(page):
    doc = extract_mfa_page(
        mfa(page, "zh_t1441374_press_conference_2017-02-24_reported_answer.html"),
        ZH + "t1441374.shtml",
    )
    # "会后有记者问及：…" then "耿爽表示，我们注意到有关报道…"
    question, answer = doc.turns[-2:]
    assert (question.speaker, question.kind) == (None, QUESTION)
    assert "中国安全保障报告2017" in question.text
    assert (answer.speaker, answer.kind) == ("耿爽", ANSWER)
    assert answer.text.startswith("我们注意到有关报道")


def test_chinese_written_answer_is_a_statement_with_its_question():
    doc = extract_mfa_page(zh_page("t1789773.shtml"), ZH + "t1789773.shtml")
    assert doc.title == "外交部发言人赵立坚就杨洁篪同美国国务卿蓬佩奥举行对话答记者问"
    assert (doc.kind, doc.published, doc.language) == ("statement", "2020-06-18", "zh")
    assert [(t.speaker, t.kind) for t in doc.turns] == [(None, QUESTION), ("赵立坚", ANSWER)]
    delegation = extract_mfa_page(zh_page("t1416955.shtml"), ZH + "t1416955.shtml")
    assert delegation.kind == "statement"
    assert [(t.speaker, t.role, t.kind) for t in delegation.turns] == [
        (None, None, QUESTION),  # "有记者问：" names no outlet
        ("陆慷", "中国代表团发言人", ANSWER),
    ]


def test_chinese_statement_of_an_unnamed_spokesperson():
    doc = extract_mfa_page(zh_page("t1793459.shtml"), ZH + "t1793459.shtml")
    assert (doc.kind, doc.published) == ("statement", "2020-06-30")
    [turn] = doc.turns
    assert (turn.speaker, turn.role, turn.kind) == (None, "外交部发言人", REMARK)
    assert turn.text == doc.text


def test_chinese_announcement_names_the_spokesperson_in_the_body(page):
    doc = extract_mfa_page(
        mfa(page, "zh_t1755049_announcement_2020-03-12.html"), ZH + "t1755049.shtml"
    )
    # "外交部发言人耿爽宣布：" is not an outlet's question but his announcement.
    assert doc.kind == "statement"
    assert [(t.speaker, t.kind) for t in doc.turns] == [("耿爽", REMARK)]
    assert doc.turns[0].text.startswith("为帮助意大利应对新冠肺炎疫情")


def test_chinese_date_from_the_listing_when_the_page_has_none():
    # The real page with its date line emptied (modified in this test).
    body = zh_page("t1793459.shtml").replace(
        b'id="News_Body_Time">2020-06-30', b'id="News_Body_Time">'
    )
    assert extract_mfa_page(body, ZH + "t1793459.shtml").flags == ["no-date"]
    doc = extract_mfa_page(body, ZH + "t1793459.shtml", date_hints=[date(2020, 6, 30)])
    assert (doc.published, doc.flags) == ("2020-06-30", ["date-from-listing"])


def test_chinese_title_without_year_takes_it_from_listing_neighbours():
    """A constructed page: a title "…2月15日答记者问" (as t1535833's) and no date line."""
    html = """<html><body><div id="News_Body_Title">外交部发言人耿爽2月15日答记者问</div>
    <div id="News_Body_Txt_A"><p>问：中方对此有何评论？</p><p>答：中方立场是一贯的。</p></div>
    </body></html>"""
    doc = extract_mfa_page(
        html, ZH + "t1535833.shtml", date_hints=[date(2018, 2, 16), date(2018, 2, 14)]
    )
    assert (doc.published, doc.flags) == ("2018-02-15", ["year-from-listing"])
    assert [(t.speaker, t.kind) for t in doc.turns] == [(None, QUESTION), ("耿爽", ANSWER)]


def test_chinese_current_layout_page_is_read_defensively():
    """A page built from CURRENT-LAYOUT.md (constructed; real pages: test_extract_mfa_current)."""
    html = """<html><head>
    <title>2024年7月15日外交部发言人林剑主持例行记者会_中华人民共和国外交部</title>
    <meta name="ArticleTitle" content="2024年7月15日外交部发言人林剑主持例行记者会">
    <meta name="PubDate" content="2024-07-15 18:58"></head><body>
    <div class="content_text"><div class="view_dedault TRS_UEDITOR trs_paper_default trs_web">
    <p>应邀，……将访华。</p><p><strong>法新社记者：</strong>中方对此有何评论？</p>
    <p>林剑：我们不掌握有关情况。</p></div></div></body></html>"""
    url = ZH + "202407/t20240715_11453678.shtml"
    doc = extract_mfa_page(html, url)
    assert (doc.language, doc.kind, doc.published) == ("zh", "transcript", "2024-07-15T18:58")
    assert [(t.speaker, t.kind) for t in doc.turns] == [
        ("林剑", REMARK),
        ("法新社", QUESTION),
        ("林剑", ANSWER),
    ]


def test_url_language():
    assert url_language(ZH + "t1789468.shtml") == "zh"
    assert url_language(ZH + "202407/t20240715_11453678.shtml") == "zh"
    assert url_language(BASE + "t1789509.shtml") == "en"
    assert url_language("https://www.fmprc.gov.cn/eng/xw/fyrbt/lxjzh/index.html") == "en"
    assert url_language("https://www.fmprc.gov.cn/about.html") is None
