"""State Department extraction on real state.gov pages and the real 2022 press-releases feed."""

from __future__ import annotations

from pathlib import Path

import pytest

from mfa_scraper.items import ANSWER, QUESTION, REMARK
from mfa_scraper.page.feeds import parse_feed
from mfa_scraper.page.turns import Label
from mfa_scraper.sites.state import (
    StateLabels,
    extract_state_page,
    parse_listing,
    slug_of,
    split_signatory,
    state_document,
)

PAGES = Path(__file__).parent / "pages"
MIRROR = PAGES / "mirror" / "www.state.gov"
FEED_URL = "https://www.state.gov/rss-feed/press-releases/feed/"


@pytest.fixture(scope="module")
def feed_documents():
    body = (MIRROR / "rss-feed" / "press-releases" / "feed" / "index.html").read_bytes()
    return {
        e.url.rstrip("/").rsplit("/", 1)[-1]: state_document(
            e.content_html or "", e.url, title=e.title, published=e.published, signatory=e.author
        )
        for e in parse_feed(body, FEED_URL)
    }


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Antony J. Blinken, Secretary of State", ("Antony J. Blinken", "Secretary of State")),
        ("Morgan Ortagus, Department Spokesperson", ("Morgan Ortagus", "Department Spokesperson")),
        ("Office of the Spokesperson", ("Office of the Spokesperson", None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_split_signatory(line, expected):
    assert split_signatory(line) == expected


@pytest.mark.parametrize(
    "label, expected",
    [
        ("MR PRICE", ("Ned Price", "Department Spokesperson", REMARK)),
        ("MS ORTAGUS", ("Morgan Ortagus", "Department Spokesperson", REMARK)),
        ("SECRETARY BLINKEN", ("Antony J. Blinken", "Secretary of State", REMARK)),
        ("QUESTION", (None, None, QUESTION)),
        ("AMBASSADOR THOMAS-GREENFIELD", ("Thomas-Greenfield", "Ambassador", REMARK)),
        ("SENIOR STATE DEPARTMENT OFFICIAL", ("senior State Department official", None, REMARK)),
        ("MODERATOR", (None, "moderator", REMARK)),
        ("Note", None),  # not upper case: text, not a label
        ("Kazakhstan", None),
    ],
)
def test_state_labels(label, expected):
    assert StateLabels()(Label(label, True)) == expected


def test_officials_answer_after_the_first_question():
    classify = StateLabels()
    assert classify(Label("MR PRICE", True))[2] == REMARK
    classify(Label("QUESTION", True))
    assert classify(Label("MR PRICE", True))[2] == ANSWER


def test_labelled_name_is_completed_from_the_speaker_line():
    assert StateLabels("Linda Thomas-Greenfield", "Ambassador")(
        Label("AMBASSADOR THOMAS-GREENFIELD", True)
    ) == ("Linda Thomas-Greenfield", "Ambassador", REMARK)


def test_press_statement_page_is_one_remark_of_its_signatory(page):
    url = (
        "https://www.state.gov/designation-of-irgc-commander-shahvarpour-for-gross-human-"
        "rights-violations-during-protests/"
    )
    doc = extract_state_page(
        page("state_gov", "state.gov.designation-of-irgc-commander-shahvarpour.html"), url
    )
    assert doc.title.startswith("Designation of IRGC Commander Shahvarpour for Gross Human")
    assert (doc.published, doc.author, doc.kind, doc.source, doc.url) == (
        "2020-01-18T18:36:57+00:00",
        "Morgan Ortagus",
        "statement",
        "state",
        url,
    )
    assert doc.flags == []
    assert [(t.speaker, t.role, t.kind) for t in doc.turns] == [
        ("Morgan Ortagus", "Department Spokesperson", REMARK)
    ]
    assert doc.turns[0].text == doc.text
    assert doc.text.startswith("Yesterday, the Department of State designated")
    assert doc.text.endswith("during the country-wide protests of November 2019 in Iran.")


def test_fact_sheet_keeps_its_list_items(page):
    doc = extract_state_page(
        page("state_gov", "state.gov.designation-of-the-islamic-revolutionary-guard-corps.html"),
        "https://www.state.gov/designation-of-the-islamic-revolutionary-guard-corps/",
    )
    assert doc.author == "Office of the Spokesperson"
    assert doc.published.startswith("2019-04-08")
    assert "On April 15, the IRGC will be added to the State Department’s FTO list" in doc.text
    # a nested list item is read once
    assert doc.text.count("In recent years, IRGC Qods Force terrorist planning") == 1
    assert [(t.speaker, t.kind) for t in doc.turns] == [("Office of the Spokesperson", REMARK)]


def test_feed_statement_speaker_from_dc_creator(feed_documents):
    doc = feed_documents["kenyan-general-elections"]
    assert (doc.kind, doc.author, doc.published) == (
        "statement",
        "Antony J. Blinken",
        "2022-08-03T14:26:17+00:00",
    )
    # the creator line the feed repeats atop the body is not text
    assert doc.text.startswith("The August 9 election will be an opportunity")
    assert [(t.speaker, t.role, t.kind) for t in doc.turns] == [
        ("Antony J. Blinken", "Secretary of State", REMARK)
    ]


def test_readout_attributable_to_the_spokesperson(feed_documents):
    doc = feed_documents["secretary-blinkens-call-with-estonian-foreign-minister-reinsalu"]
    assert doc.turns[0].speaker == "Ned Price"
    assert doc.turns[0].text.startswith("Secretary of State Antony J. Blinken spoke today")


def test_press_availability_is_split_into_turns(feed_documents):
    doc = feed_documents["secretary-antony-j-blinken-at-a-press-availability-23"]
    assert doc.kind == "transcript"
    kinds = [(t.speaker, t.kind) for t in doc.turns]
    assert kinds[:4] == [
        ("Antony J. Blinken", REMARK),
        ("Ned Price", REMARK),
        (None, QUESTION),
        ("Antony J. Blinken", ANSWER),
    ]
    assert doc.turns[0].text.startswith("Good afternoon, everyone.")
    # datelines above the first label are nobody's words
    assert all(t.text != "United Nations Headquarters" for t in doc.turns)
    assert sum(t.kind == QUESTION for t in doc.turns) >= 8
    for turn in doc.turns:
        assert turn.text in doc.text


def test_every_feed_item_has_a_speaker_and_text(feed_documents):
    assert len(feed_documents) == 10
    for doc in feed_documents.values():
        assert doc.text and doc.turns and doc.turns[0].speaker
        assert "jQuery" not in doc.text and doc.flags == []


def test_listing(page):
    body = (MIRROR / "press-releases" / "index.html").read_bytes()
    listing = parse_listing(body, "https://www.state.gov/press-releases/")
    assert len(listing.entries) == 10
    first = listing.entries[0]
    assert (first.url, first.doctype, first.speaker, first.published) == (
        "https://www.state.gov/venezuelas-national-day/",
        "Press Statement",
        "Michael R. Pompeo",
        "2020-07-03",
    )
    assert listing.next_page == "https://www.state.gov/press-releases/page/2/"


def test_both_url_schemes():
    assert slug_of("https://www.state.gov/kenyan-general-elections/") == "kenyan-general-elections"
    new = "https://www.state.gov/releases/office-of-the-spokesman/2025/03/some-statement/"
    assert slug_of(new) == "some-statement"
    doc = state_document(
        "<p>We condemn it.</p>",
        new,
        title="T",
        published=None,
        signatory="Tammy Bruce, Spokesperson",
    )
    assert doc.flags == ["no-date"] and doc.turns[0].speaker == "Tammy Bruce"
    assert (
        extract_state_page(
            "<html><body><h1>T</h1><div class='entry-content'><p>Text.</p></div></body></html>", new
        ).published
        == "2025-03"
    )


def test_body_without_paragraphs_is_flagged():
    assert state_document("", "https://www.state.gov/x/", title="X", published="2020-01-01",
                          signatory=None).flags == ["no-text"]  # fmt: skip
