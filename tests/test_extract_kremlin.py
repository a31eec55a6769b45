"""The Kremlin extractor on real en.kremlin.ru pages (tests/pages/kremlin, captured 2020).

54979: press statements of Putin and Xi Jinping (bold role labels, a wrapped
label, "(retranslated)"); its print view; 17173: the 2012 news conference
(Question/Putin/Peskov and named journalists); 17548: lead only, empty body;
listings (page 2, by-date) and the Atom feed. Public meetings: 63691, workers at the
Zaliv Shipyard (2020); 62953, the public in Ivanovo (2020); an excerpt of 57080, healthcare
workers (2018). Provenance: tests/pages/kremlin/PROVENANCE.md.
"""

from __future__ import annotations

from collections import Counter

import pytest

from mfa_scraper.items import ANSWER, QUESTION, REMARK
from mfa_scraper.page.encoding import decode_html
from mfa_scraper.page.html import parse_html
from mfa_scraper.sites.dispatch import site_extractor
from mfa_scraper.sites.kremlin import (
    PUBLIC_MEETING_TITLES,
    ExtractionError,
    extract_kremlin_page,
    extract_place,
    feed_entry_document,
    parse_kremlin_feed,
    parse_kremlin_listing,
    split_role,
)

NEWS = "http://en.kremlin.ru/events/president/news/"


def test_press_statements_split_by_role_labels(page):
    document = extract_kremlin_page(
        page("kremlin", "news_54979_press_statements_russia_china_2017-07-04.html"), NEWS + "54979"
    )
    assert document.title == "Press statements following Russian-Chinese talks"
    assert document.published == "2017-07-04T16:05"
    assert document.kind == "transcript" and document.source == "kremlin"
    assert document.text.startswith(
        "Vladimir Putin and President of the People's Republic of China Xi Jinping made statements"
    )
    speakers = [(t.speaker, t.role, t.kind) for t in document.turns]
    assert speakers == [
        ("Vladimir Putin", "President of Russia", REMARK),
        ("Xi Jinping", "President of the People’s Republic of China", REMARK),
    ]
    putin, xi = document.turns
    assert putin.text.startswith("Mr President Xi Jinping, ladies and gentlemen,")
    assert "Power of Siberia gas pipeline" in putin.text  # the source wraps it over two lines
    assert xi.text.startswith("Mr President Putin, Russian colleagues")
    assert "See also" not in document.text and "Publication status" not in document.text
    assert "\xa0" not in document.text and all("\xa0" not in t.text for t in document.turns)
    tree = parse_html(
        decode_html(page("kremlin", "news_54979_press_statements_russia_china_2017-07-04.html"))
    )
    assert extract_place(tree) == "The Kremlin, Moscow"


def test_print_view_is_the_same_document(page):
    normal = extract_kremlin_page(
        page("kremlin", "news_54979_press_statements_russia_china_2017-07-04.html"), NEWS + "54979"
    )
    printed = extract_kremlin_page(page("kremlin", "news_54979_print.html"), NEWS + "54979/print")
    assert printed.url == NEWS + "54979"
    assert printed == normal


def test_news_conference_questions_answers_and_named_journalists(page):
    document = extract_kremlin_page(
        page("kremlin", "news_17173_putin_news_conference_2012-12-20.html"), NEWS + "17173"
    )
    assert document.published == "2012-12-20T16:40"
    kinds = Counter((t.speaker, t.kind) for t in document.turns)
    assert kinds[("Vladimir Putin", ANSWER)] > 100
    assert kinds[(None, QUESTION)] > 80  # "Question:", "Remark:", "Reply:": the asker unnamed
    # "DMITRY PESKOV" first, "Dmitry Peskov" and "Dmitry PeskoV" later: one speaker.
    peskov = {t.speaker for t in document.turns if t.speaker and "peskov" in t.speaker.lower()}
    assert peskov == {"Dmitry Peskov"}
    assert kinds[("Dmitry Peskov", REMARK)] > 40
    # Named after she introduced herself in a question ("My name is Maria Solovyenko").
    assert kinds[("Maria Solovyenko", QUESTION)] == 12
    assert kinds[("Maria Solovyenko", REMARK)] == 0
    first_question = next(t for t in document.turns if t.kind == QUESTION)
    assert first_question.text.startswith("Ksenia Sokolova, Snob magazine.")
    after = document.turns[document.turns.index(first_question) + 1]
    assert (after.speaker, after.role, after.kind) == (
        "Vladimir Putin",
        "President of Russia",
        ANSWER,
    )
    # Narration before the first label is nobody's words.
    assert document.turns[0].speaker is None and document.turns[0].kind == REMARK
    assert "* * *" not in document.text


def test_lead_only_page_keeps_its_lead(page):
    document = extract_kremlin_page(
        page("kremlin", "news_17548_meeting_yang_jiechi_2013-02-20.html"), NEWS + "17548"
    )
    assert document.text == "Vladimir Putin met with Chinese Foreign Minister Yang Jiechi."
    assert document.published == "2013-02-20T19:20"
    assert document.kind == "news" and document.turns == []
    assert document.flags == ["no-body"]


def test_meeting_with_a_foreign_minister(page):
    document = extract_kremlin_page(
        page("kremlin", "news_51494_meeting_wang_yi_2016-03-11.html"), NEWS + "51494"
    )
    assert document.published == "2016-03-11T14:00"
    assert [(t.speaker, t.role) for t in document.turns] == [
        ("Vladimir Putin", "President of Russia"),
        ("Wang Yi", "Chinese Foreign Minister"),
    ]


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("President of Russia Vladimir Putin", ("Vladimir Putin", "President of Russia")),
        ("Chinese President Xi Jinping", ("Xi Jinping", "Chinese President")),
        ("Dmitry Peskov", ("Dmitry Peskov", None)),
        ("German Gref", ("German Gref", None)),
        ("Healthcare Minister Mikhail Murashko", ("Mikhail Murashko", "Healthcare Minister")),
        (
            "President of Turkey Recep Tayyip Erdogan",
            ("Recep Tayyip Erdogan", "President of Turkey"),
        ),
        (
            "Governor of Krasnoyarsk Territory Alexander Uss",
            ("Alexander Uss", "Governor of Krasnoyarsk Territory"),
        ),
        ("Alisa Shmelyova, metrology engineer", ("Alisa Shmelyova", "metrology engineer")),
        (
            "Patriarch Kirill of Moscow and All Russia",
            ("Kirill", "Patriarch of Moscow and All Russia"),
        ),
        ("Xi Jinping (retranslated)", ("Xi Jinping", None)),
        ("Alexei Anishchouk (Reuters)", ("Alexei Anishchouk", "Reuters")),
        ("Minister of Industry and Trade", ("Minister of Industry and Trade", None)),
    ],
)
def test_split_role(label, expected):
    assert split_role(label) == expected


def _page_with(body: str) -> bytes:
    return (
        '<html><head><meta charset="utf-8"></head><body><article>'
        '<h1 class="entry-title">Meeting</h1><div class="read__meta">'
        '<time class="read__published" datetime="2020-03-01">March 1, 2020</time></div>'
        f'<div class="entry-content read__internal_content">{body}</div></article></body></html>'
    ).encode()


def test_only_bold_labels_make_turns():
    # Putin recounting a dialogue: an unbolded "Question:" is his own words (news 63021).
    document = extract_kremlin_page(
        _page_with(
            "<p><b>Vladimir Putin:</b> We will look into it.</p>"
            "<p>Question: “How much funding is required?” “A lot.”</p>"
        ),
        NEWS + "1",
    )
    assert [(t.speaker, t.kind) for t in document.turns] == [("Vladimir Putin", REMARK)]
    assert "How much funding" in document.turns[0].text


def test_text_without_labels_is_news_and_no_break_spaces_go():
    document = extract_kremlin_page(
        _page_with("<p>Vladimir Putin&nbsp;met with\nthe Governor.</p>"), NEWS + "2"
    )
    assert document.kind == "news" and document.turns == []
    assert document.text == "Vladimir Putin met with the Governor."
    assert document.published == "2020-03-01"


def test_not_a_page_is_an_error():
    with pytest.raises(ExtractionError):
        extract_kremlin_page(b"", NEWS + "3")


def test_listing_page(page):
    listing = parse_kremlin_listing(page("kremlin", "listing_news_page_2.html"), NEWS + "page/2")
    assert len(listing.entries) == 20
    first = listing.entries[0]
    assert first.url == NEWS + "63911"  # the saved copy's "../63911.html", as the site links it
    assert first.title == "Greetings on opening of Biryusa 2020 Territory of Proactive Youth forum"
    assert first.published == "2020-08-19T09:00"
    assert listing.next_page == NEWS + "page/3"


def test_by_date_listing(page):
    listing = parse_kremlin_listing(
        page("kremlin", "listing_news_by-date_04.07.2017.html"), NEWS + "by-date/04.07.2017"
    )
    statements = next(e for e in listing.entries if e.url == NEWS + "54979")
    assert statements.title == "Press statements following Russian-Chinese talks"
    assert statements.published == "2017-07-04T16:05"
    assert listing.next_page == NEWS + "page/204"


def test_atom_feed_entries_carry_the_full_text(page):
    feed = parse_kremlin_feed(page("kremlin", "feed_news.atom.xml"))
    assert len(feed.entries) == 20
    first = feed.entries[0]
    assert first.url == NEWS + "63953"
    assert first.title == "Launching motor traffic on completed sections of Taurida motorway"
    assert first.published == "2020-08-27T15:20"
    assert feed.next_page == NEWS + "feed/page/2"
    document = feed_entry_document(first)
    assert document.url == NEWS + "63953" and document.published == "2020-08-27T15:20"
    assert document.text.startswith("During his working trip to the Republic of Crimea")
    assert "The President drove an Aurus limousine" in document.text


def test_feed_entities_are_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&b;</title>'
        b'<link href="http://en.kremlin.ru/events/president/news/1" rel="alternate"/>'
        b"</entry></feed>"
    )
    feed = parse_kremlin_feed(bomb)
    assert "aaaa" not in feed.entries[0].title


def test_not_a_feed_is_an_error():
    with pytest.raises(ExtractionError):
        parse_kremlin_feed(b"<html><body>maintenance</body></html>")


def test_kremlin_pages_get_the_kremlin_extractor():
    assert site_extractor(NEWS + "54979") is extract_kremlin_page


# -- the Russian site, kremlin.ru: CONSTRUCTED pages ------------------------------------
# No real kremlin.ru page was available. tests/pages/kremlin/constructed_ru_* keep the
# structure of real English pages (news 17173 and 63313, listing page/29) with Russian text
# written for these tests; see tests/pages/kremlin/constructed_ru_README.md.

RU_NEWS = "http://kremlin.ru/events/president/news/"
PUTIN_RU = "constructed_ru_news_17173_news_conference_2012-12-20.html"


def test_russian_news_conference_is_split_by_russian_labels(page):
    """Constructed page: "В.Путин:", "Д.Песков:", "Вопрос:", "Реплика:" labels."""
    document = extract_kremlin_page(page("kremlin", PUTIN_RU), RU_NEWS + "17173")
    assert document.url == RU_NEWS + "17173"
    assert (document.language, document.kind) == ("ru", "transcript")
    assert document.title == "Пресс-конференция Владимира Путина"  # " • Президент России" cut
    assert document.published == "2012-12-20T16:40"
    assert [(t.speaker, t.kind) for t in document.turns] == [
        ("В.Путин", REMARK),
        ("Д.Песков", REMARK),
        ("В.Путин", REMARK),
        ("Д.Песков", REMARK),
        (None, QUESTION),
        ("В.Путин", ANSWER),
        (None, QUESTION),  # "Реплика:"
        ("В.Путин", ANSWER),
    ]
    question, answer = document.turns[4:6]
    assert question.text.startswith("Ксения Соколова, журнал «Сноб».")
    # An unbolded "Вопрос:" in his answer is him recounting, not a label.
    assert "Вопрос: разве это кому-то помогает?" in answer.text
    assert not any(t.text.startswith(("В.Путин:", "Вопрос:")) for t in document.turns)


def test_russian_date_written_in_words(page):
    """The constructed page without the ``datetime`` attributes: "20 декабря 2012 года"."""
    body = page("kremlin", PUTIN_RU).decode("utf-8").replace(' datetime="2012-12-20"', "")
    body = body.replace('content="2012-12-20"', 'content=""')
    assert 'datetime="' not in body
    document = extract_kremlin_page(body, RU_NEWS + "17173")
    assert document.published == "2012-12-20T16:40"


def test_russian_news_report_has_no_turns(page):
    document = extract_kremlin_page(
        page("kremlin", "constructed_ru_news_63313_congratulations_2020-05-08.html"),
        RU_NEWS + "63313",
    )
    assert (document.language, document.kind, document.turns) == ("ru", "news", [])
    assert document.published == "2020-05-08T12:00"
    assert document.text.startswith("Владимир Путин направил поздравительные послания")


def test_russian_listing_dates_and_next_page(page):
    listing = parse_kremlin_listing(
        page("kremlin", "constructed_ru_listing_news.html"),
        "http://kremlin.ru/events/president/news",
    )
    [entry] = listing.entries
    assert (entry.url, entry.published) == (RU_NEWS + "63313", "2020-05-08T12:00")
    assert listing.next_page == RU_NEWS + "page/2"


def test_english_site_stays_english(page):
    document = extract_kremlin_page(
        page("kremlin", "news_54979_press_statements_russia_china_2017-07-04.html"), NEWS + "54979"
    )
    assert document.language == "en"


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("В.Путин", ("В.Путин", None)),
        ("Д. Песков", ("Д. Песков", None)),
        ("Министр иностранных дел Сергей Лавров", ("Сергей Лавров", "Министр иностранных дел")),
        ("Сергей Лавров, министр иностранных дел", ("Сергей Лавров", "министр иностранных дел")),
        ("Президент России Владимир Путин", ("Владимир Путин", "Президент России")),
    ],
)
def test_russian_labels_split_into_name_and_role(label, expected):
    assert split_role(label) == expected


# -- public meetings: the public asks, the President answers ----------------------------------


def test_conversation_with_workers_is_questions_and_answers(page):
    document = extract_kremlin_page(
        page("kremlin", "news_63691_conversation_with_workers_zaliv_2020-07-20.html"),
        NEWS + "63691",
    )
    kinds = [(t.speaker, t.kind) for t in document.turns]
    assert kinds[:5] == [
        ("Vladimir Putin", REMARK),  # "Congratulations on this event."
        ("Alisa Shmelyova", QUESTION),
        ("Vladimir Putin", ANSWER),
        ("Alisa Shmelyova", QUESTION),
        ("Vladimir Putin", ANSWER),
    ]
    workers = {"Alisa Shmelyova", "Konstantin Fokin", "Yury Kulinkov", "Sergey Vodnev"}
    assert {t.kind for t in document.turns if t.speaker in workers} == {QUESTION}
    roles = {t.speaker: t.role for t in document.turns}
    assert roles["Alisa Shmelyova"] == "metrology engineer"  # the asker keeps their occupation
    # the yard's director, who asks nothing, still remarks
    assert [t.kind for t in document.turns if t.speaker == "Igor Obrubov"] == [REMARK]
    putin = Counter(t.kind for t in document.turns if t.speaker == "Vladimir Putin")
    assert putin == {ANSWER: 10, REMARK: 1}


def test_meeting_with_the_public(page):
    document = extract_kremlin_page(
        page("kremlin", "news_62953_meeting_with_public_ivanovo_2020-03-06.html"), NEWS + "62953"
    )
    asked = [t.speaker for t in document.turns if t.kind == QUESTION and t.speaker]
    assert asked == ["Natalya Lokova", "Lidia Pukhova", "Svetlana Orlova"]
    assert all(t.kind == ANSWER for t in document.turns[3:] if t.speaker == "Vladimir Putin")


def test_healthcare_workers_ask_the_minister_reports(page):
    document = extract_kremlin_page(
        page("kremlin", "news_57080_meeting_with_healthcare_workers_2018-03-16_EXCERPT.html"),
        NEWS + "57080",
    )
    by_speaker: dict[str, set[str]] = {}
    for turn in document.turns:
        by_speaker.setdefault(turn.speaker, set()).add(turn.kind)
    assert by_speaker["Valentina Zherebtsova"] == {QUESTION}
    assert by_speaker["Lyubov Agafonova"] == {QUESTION}
    assert by_speaker["Arcady Stolpner"] == {QUESTION}  # also under <b><b>…</b>:</b>
    assert by_speaker["Veronika Skvortsova"] == {REMARK}  # the Healthcare Minister
    # a reply to the President's own question ("How many patients were there…?") answers it
    assert by_speaker["Alexander Rumyantsev"] == {ANSWER}
    assert by_speaker["Vladimir Putin"] == {REMARK, ANSWER}


@pytest.mark.parametrize(
    "title, public",
    [
        ("Conversation with workers at Zaliv Shipyard", True),
        ("Meeting with healthcare sector workers", True),
        ("Meeting with members of the public in Ivanovo Region", True),
        ("Meeting with participants in the We Are Together campaign", True),
        ("Встреча с работниками завода", True),
        ("Meeting with Government members", False),
        ("Meeting with permanent members of the Security Council", False),
        ("Talks with President of Belarus Alexander Lukashenko", False),
        ("Conversation with President of France Emmanuel Macron", False),
        ("Meeting with Rosneft CEO Igor Sechin", False),
        ("Address to the Nation", False),
    ],
)
def test_public_meeting_titles(title, public):
    assert bool(PUBLIC_MEETING_TITLES.search(title)) is public


def test_talks_and_speeches_are_not_questions(page):
    for name, number in [
        ("news_54979_press_statements_russia_china_2017-07-04.html", "54979"),
        ("news_51494_meeting_wang_yi_2016-03-11.html", "51494"),
    ]:
        document = extract_kremlin_page(page("kremlin", name), NEWS + number)
        assert {t.kind for t in document.turns} == {REMARK}
