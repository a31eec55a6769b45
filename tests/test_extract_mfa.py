"""China MFA pages → documents and turns, on real pages saved in tests/pages/mfa."""

from __future__ import annotations

from datetime import date

import pytest

from mfa_scraper.extractors.mfa import (
    ListingEntry,
    RemovedPage,
    extract_mfa_page,
    neighbour_dates,
    parse_listing,
)
from mfa_scraper.items import ANSWER, QUESTION, REMARK

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
    assert doc.kind == "transcript"
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
    """A page built from CURRENT-LAYOUT.md (constructed: no real page of the 2022 layout exists)."""
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
