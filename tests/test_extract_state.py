"""State Department extraction on real state.gov pages, the real press-releases feeds of 2022
and of 21 September 2026, and real 2026 feed items (tests/pages/state_gov/PROVENANCE.md)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from mfa_scraper.items import ANSWER, QUESTION, REMARK
from mfa_scraper.page.feeds import parse_feed
from mfa_scraper.page.turns import Label
from mfa_scraper.records import speaker_record
from mfa_scraper.sites.state import (
    extract_state_page,
    parse_listing,
    slug_of,
    state_document,
    stated_date,
)
from mfa_scraper.sites.state_people import StateLabels, participants, split_signatory

PAGES = Path(__file__).parent / "pages"
MIRROR = PAGES / "mirror" / "www.state.gov"
FEED_URL = "https://www.state.gov/rss-feed/press-releases/feed/"
STATE_PAGES = PAGES / "state_gov"


def documents_of(body: bytes) -> dict:
    return {
        e.url.rstrip("/").rsplit("/", 1)[-1]: state_document(
            e.content_html or "", e.url, title=e.title, published=e.published, signatory=e.author
        )
        for e in parse_feed(body, FEED_URL)
    }


def item_document(name: str):
    """A 2026 feed item as the flat scraper stored it (link, author, published, content)."""
    item = json.loads((STATE_PAGES / name).read_text(encoding="utf-8"))
    return state_document(
        item["content"],
        item["link"],
        title=item["title"],
        published=item["published"],
        signatory=item["author"],
    )


@pytest.fixture(scope="module")
def feed_documents():
    return documents_of(
        (MIRROR / "rss-feed" / "press-releases" / "feed" / "index.html").read_bytes()
    )


@pytest.fixture(scope="module")
def feed_2026():
    return documents_of((STATE_PAGES / "rss_press-releases_feed_2026-09-21.xml").read_bytes())


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Antony J. Blinken, Secretary of State", ("Antony J. Blinken", "Secretary of State")),
        ("Morgan Ortagus, Department Spokesperson", ("Morgan Ortagus", "Department Spokesperson")),
        ("Office of the Spokesperson", ("Office of the Spokesperson", None)),
        # dc:creator of 2026: an entity WordPress left escaped, a bureau glued to the role
        (
            "Thomas &quot;Tommy&quot; Pigott, SpokesmanOffice of the Spokesman",
            ('Thomas "Tommy" Pigott', "Spokesman"),
        ),
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
    # datelines above the first label are nobody's words, and no text of the document
    assert all(t.text != "United Nations Headquarters" for t in doc.turns)
    assert doc.text.startswith("SECRETARY BLINKEN:")
    assert "United Nations Headquarters" not in doc.text
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


# -- 2026: the Office of the Spokesman, several participants, stated dates -------------------


@pytest.mark.parametrize(
    "slug",
    [
        "secretary-rubios-meeting-with-kenyan-president-ruto-2",
        "secretary-rubios-meeting-with-arctic-allies",
        "secretary-rubios-meeting-with-italian-foreign-minister-tajani-4",
    ],
)
def test_readout_attributable_to_the_spokesman(feed_2026, slug):
    doc = feed_2026[slug]
    assert doc.kind == "statement" and doc.author == "Tommy Pigott"
    assert [(t.speaker, t.role, t.kind) for t in doc.turns] == [
        ("Tommy Pigott", "Spokesman", REMARK)
    ]
    assert doc.turns[0].text.startswith("Secretary of State Marco Rubio met")
    assert "attributable" not in doc.turns[0].text
    assert "Office of the Spokesman" not in doc.text  # the creator line atop the body


def test_readout_attributable_to_the_spokesperson_2026():
    doc = item_document("state_gov_2026-06-29_readout_rubio_wadephul_pigott.json")
    assert [(t.speaker, t.role) for t in doc.turns] == [("Tommy Pigott", "Spokesperson")]
    assert doc.published == "2026-06-29T18:44:57+00:00"


def test_creator_with_an_entity_and_a_glued_bureau(feed_2026):
    doc = feed_2026[
        "announcing-steps-to-impose-visa-restrictions-on-32-individuals-connected-to-prince-"
        "group-tco-others-scamming-americans"
    ]
    assert [(t.speaker, t.role, t.kind) for t in doc.turns] == [
        ('Thomas "Tommy" Pigott', "Spokesman", REMARK)
    ]
    assert "&quot;" not in doc.text and "Pigott" not in doc.text
    assert doc.text.startswith("Today, the Department of State is taking steps")
    # One person: the registry files "Thomas "Tommy" Pigott" and "Tommy Pigott" together.
    assert speaker_record(doc.turns[0].speaker)["name"] == "Tommy Pigott"
    assert speaker_record("Tommy Pigott")["name"] == "Tommy Pigott"
    assert speaker_record("Thomas Pigott")["kind"] == "person"


def test_two_speaker_remarks(feed_2026):
    doc = feed_2026[
        "secretary-rubio-and-italian-deputy-pm-and-fm-antonio-tajani-at-a-critical-minerals-"
        "mou-signing-ceremony"
    ]
    assert doc.kind == "transcript" and doc.author == "Marco Rubio"
    tajani = ("Antonio Tajani", "Italian Deputy Prime Minister and Foreign Minister", REMARK)
    assert [(t.speaker, t.role, t.kind) for t in doc.turns] == [
        ("Marco Rubio", "Secretary of State", REMARK),
        tajani,
        tajani,  # after the signing: the stage direction is in no turn
    ]
    assert all("Memorandum is signed" not in t.text for t in doc.turns)
    assert doc.turns[2].text.startswith("Thank you. For us")  # "(Via interpreter)" dropped
    # header lines (participants, venue) are not text
    assert doc.text.startswith("SECRETARY RUBIO:")
    for line in ("Secretary of State\n", "Lotte New York Palace", "New York City, New York"):
        assert line not in doc.text
    for turn in doc.turns:
        assert turn.text in doc.text


def test_three_ministers_named_by_the_header_lines():
    doc = item_document("state_gov_2026-07-07_remarks_rubio_motegi_cho_smr_signing.json")
    assert [(t.speaker, t.role) for t in doc.turns] == [
        (None, "moderator"),
        ("Marco Rubio", "Secretary of State"),
        ("Motegi Toshimitsu", "Japanese Foreign Minister"),
        ("Cho Hyun", "Republic of Korea Foreign Minister"),
    ]
    assert doc.turns[-1].text.endswith("I thank you, Marco.")
    assert "Ankara" not in doc.text and "NATO Summit" not in doc.text
    assert doc.published == "2026-07-07T17:58:51+00:00"


def test_remarks_are_dated_the_day_the_page_states():
    doc = item_document("state_gov_2026-07-19_remarks_to_the_press_rubio_EXCERPT.json")
    assert doc.published == "2026-07-19"  # the feed says 2026-07-20T05:23:20+00:00
    assert doc.kind == "transcript" and "Joint Base Andrews" not in doc.text
    assert [(t.speaker, t.kind) for t in doc.turns[:2]] == [
        (None, QUESTION),
        ("Marco Rubio", ANSWER),
    ]


def test_feed_time_is_kept_on_the_stated_day(feed_2026):
    for doc in feed_2026.values():
        assert doc.published.startswith("2026-09-21T") and doc.published.endswith("+00:00")


@pytest.mark.parametrize(
    "published, stated, expected",
    [
        ("2026-09-21T20:48:56+00:00", date(2026, 9, 21), "2026-09-21T20:48:56+00:00"),
        ("2026-07-20T05:23:20+00:00", date(2026, 7, 19), "2026-07-19"),
        # the stated day in Washington: the same moment, with Washington's offset
        ("2026-09-22T02:00:00+00:00", date(2026, 9, 21), "2026-09-21T22:00:00-04:00"),
        ("2026-07-20", date(2026, 7, 19), "2026-07-19"),
        (None, date(2026, 7, 19), "2026-07-19"),
        ("2026-07-20T05:23:20+00:00", None, "2026-07-20T05:23:20+00:00"),
    ],
)
def test_stated_date(published, stated, expected):
    assert stated_date(published, stated) == expected


@pytest.mark.parametrize(
    "creator, header, expected",
    [
        (
            "Marco Rubio, Secretary of State, Antonio Tajani, Italian Deputy Prime Minister and "
            "Foreign Minister",
            [],
            [
                ("Marco Rubio", "Secretary of State"),
                ("Antonio Tajani", "Italian Deputy Prime Minister and Foreign Minister"),
            ],
        ),
        (
            "Marco Rubio, Secretary of State, Japanese Foreign Minister Motegi Toshimitsu, "
            "Republic of Korea Foreign Minister Cho Hyun",
            [
                "Marco Rubio, Secretary of State",
                "Japanese Foreign Minister Motegi Toshimitsu",
                "Republic of Korea Foreign Minister Cho Hyun",
                "Ankara, Türkiye",
            ],
            [
                ("Marco Rubio", "Secretary of State"),
                ("Motegi Toshimitsu", "Japanese Foreign Minister"),
                ("Cho Hyun", "Republic of Korea Foreign Minister"),
            ],
        ),
        (
            "Thomas &quot;Tommy&quot; Pigott, SpokesmanOffice of the Spokesman",
            [],
            [('Thomas "Tommy" Pigott', "Spokesman")],
        ),
        ("Office of the Spokesman", [], [("Office of the Spokesman", None)]),
        (
            "Ambassador Mike Waltz, U.S. Representative to the United Nations",
            [],
            [("Mike Waltz", "U.S. Representative to the United Nations")],
        ),
        (
            "Antony J. Blinken, Secretary of State",
            [],
            [("Antony J. Blinken", "Secretary of State")],
        ),
        (
            "Ambassador Mike Waltz, U.S. Representative to the United Nations",
            ["Ambassador Mike Waltz, U.S. Representative to the United Nations", "New York"],
            [("Mike Waltz", "U.S. Representative to the United Nations")],
        ),
    ],
)
def test_participants(creator, header, expected):
    assert participants(creator, header) == expected


@pytest.mark.parametrize(
    "label, people, expected",
    [
        ("DEPUTY PRIME MINISTER TAJANI", [], ("Tajani", "Deputy Prime Minister")),
        (
            "DEPUTY PRIME MINISTER TAJANI",
            [("Marco Rubio", "Secretary of State"), ("Antonio Tajani", None)],
            ("Antonio Tajani", "Deputy Prime Minister"),
        ),
        (
            "FOREIGN MINISTER MOTEGI",
            [("Motegi Toshimitsu", "Japanese Foreign Minister")],
            ("Motegi Toshimitsu", "Japanese Foreign Minister"),
        ),
        (
            "MINISTER OF FOREIGN AFFAIRS VAN KLAVEREN",
            [],
            ("Van Klaveren", "Minister of Foreign Affairs"),
        ),
        ("MR PIGOTT", [], ("Tommy Pigott", "Department Spokesperson")),
        ("JOHN SMITH", [], ("John Smith", None)),
    ],
)
def test_label_is_an_office_and_a_surname(label, people, expected):
    assert StateLabels(participants=people).person(label) == expected
