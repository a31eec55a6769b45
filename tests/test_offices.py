"""An office's words filed under its holder on the day (``archive.identity.offices``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.identity.offices import office_holder, read_office, surname_holder
from mfa_scraper.attribution.document import attribute_quotes
from mfa_scraper.records import document_record
from mfa_scraper.sites.kremlin import extract_kremlin_page

PAGES = Path(__file__).parent / "pages" / "kremlin"


@pytest.mark.parametrize(
    ("description", "day", "holder"),
    [
        ("President of Russia", "2020-07-06", "Vladimir Putin"),
        ("the Russian President", "2010-05-01", "Dmitry Medvedev"),
        ("Russia's president", "2010-05-01", "Dmitry Medvedev"),
        ("Australian foreign minister", "2020-06-16", "Marise Payne"),
        ("the US Secretary of State", "2019-07-24", "Mike Pompeo"),
        ("UN Secretary-General", "2020-03-01", "Antonio Guterres"),
        ("Kremlin spokesman", "2020-01-01", "Dmitry Peskov"),
        ("US President", "2021-01-19", "Donald Trump"),
        ("US President", "2021-01-20", "Joe Biden"),  # a term's last day is the next one's first
    ],
)
def test_the_one_holder_of_an_office_on_the_day(description, day, holder):
    person = office_holder(description, day)
    assert person is not None and person.name == holder


@pytest.mark.parametrize(
    ("description", "day"),
    [
        ("the President", "2020-01-01"),  # of which country?
        ("Chinese Foreign Ministry Spokesperson", "2020-01-01"),  # several at once
        ("US official", "2020-01-01"),  # no office
        ("former president of Russia", "2020-01-01"),  # words beside the office
        ("President of Russia", "2020"),  # a year is too vague a day
        ("President of Russia", None),
        ("Australian foreign minister", "1990-01-01"),  # nobody the registry knows
    ],
)
def test_no_holder_where_the_description_or_the_day_leaves_a_doubt(description, day):
    assert office_holder(description, day) is None


def test_read_office_takes_the_country_before_or_after():
    assert read_office("President of Russia") == ("President", "Russia")
    assert read_office("Venezuela's Foreign Minister") == ("Foreign Minister", "Venezuela")
    assert read_office("senior US official") is None


def test_a_kremlin_message_quoted_as_the_presidents_is_putins():
    page = PAGES / "news_63614_condolences_japan_floods_2020-07-06.html"
    document = attribute_quotes(
        extract_kremlin_page(page.read_bytes(), "http://en.kremlin.ru/events/president/news/63614")
    )
    # the engine reads an office ("…," President of Russia wrote in his message); the page's
    # date says whose
    assert [(q.speaker, q.speaker_kind, q.speaker_role) for q in document.quotes] == [
        ("Vladimir Putin", "person", "President of Russia")
    ]
    quotes = [s for s in document_record(document)["statements"] if s["kind"] == "quote"]
    assert [(s["speaker"]["name"], s["speaker"]["kind"], s["role"]) for s in quotes] == [
        ("Vladimir Putin", "person", "President of Russia")
    ]
    assert quotes[0]["text"].startswith("Please convey my words of sympathy")


@pytest.mark.parametrize(
    ("surname", "day", "person"),
    [
        ("Pelosi", "2020-05-01", "Nancy Pelosi"),
        ("Johnson", "2020-05-01", "Boris Johnson"),
        ("Johnson", "2010-05-01", None),  # no Johnson of the registry in office then
        ("Raab", "2020-05-01", "Dominic Raab"),
        ("Li", "2019-01-01", None),  # Chinese and Korean family names are never enough
        ("Moon", "2019-01-01", None),
        ("Museum", "2020-01-01", None),
        ("Pelosi", "2020", None),
    ],
)
def test_a_surname_alone_is_the_one_person_of_that_name_in_office(surname, day, person):
    found = surname_holder(surname, day)
    assert (found.name if found else None) == person


def test_an_mfa_question_quoting_raab_by_surname_is_dominic_raabs():
    from mfa_scraper.sites.mfa import extract_mfa_page

    page = Path(__file__).parent / "pages" / "mfa"
    page /= "www.fmprc.gov.cn.en_t1785528_press_conference_2020-06-03_zhao_lijian.html"
    url = "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/t1785528.shtml"
    document = attribute_quotes(extract_mfa_page(page.read_bytes(), url))
    assert document.day == "2020-06-03"
    quotes = [q for turn in document.turns for q in turn.quotes]
    raab = [q for q in quotes if "Raab" in (q.speaker or "")]
    assert len(raab) == 3 and {q.speaker for q in raab} == {"Dominic Raab"}
    assert any(q.quote.startswith("If China is willing to interfere") for q in raab)


def test_a_decree_is_nobody_and_the_question_it_puts_has_no_speaker():
    """ "Put the following question to national vote: “Do you approve …?” This Executive Order
    enters into force …": no person "Order" (the re-crawled mirror had one)."""
    page = PAGES / "news_63003_executive_order_vote_date_2020-03-17.html"
    document = attribute_quotes(
        extract_kremlin_page(page.read_bytes(), "http://en.kremlin.ru/events/president/news/63003")
    )
    quotes = [*document.quotes, *(q for turn in document.turns for q in turn.quotes)]
    assert "Do you approve the amendments" in document.text
    # a quotation is kept only with a speaker: the question, which has none, is not one
    assert not [q for q in quotes if q.quote.startswith("Do you approve")]
    assert "Order" not in {q.speaker for q in quotes}


def test_the_words_of_a_message_are_its_senders():
    """ "Vladimir Putin sent greetings to the staff … of Moscow Metro …. The message reads, in
    part: “…”": the message is Putin's (it was filed under a speaker "Metro")."""
    page = PAGES / "news_63356_greetings_moscow_metro_2020-05-15.html"
    document = attribute_quotes(
        extract_kremlin_page(page.read_bytes(), "http://en.kremlin.ru/events/president/news/63356")
    )
    assert [q.speaker for q in document.quotes] == ["Vladimir Putin"]
    assert document.quotes[0].quote.startswith("Moscow metro is the most convenient")
