"""The mid.ru extractor on constructed pages (tests/pages/browser/mid.ru/README.md): no real
mid.ru page was available, so these pages hold only what other scrapers of the site report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mfa_scraper.items import ANSWER, QUESTION, REMARK
from mfa_scraper.page.html import paragraphs, parse_html
from mfa_scraper.sites.dispatch import site_extractor
from mfa_scraper.sites.mid import drop_contents, extract_mid_page, office_holder

SITE = Path(__file__).parent / "pages" / "browser" / "mid.ru"


def document(path: str):
    return extract_mid_page((SITE / path / "index.html").read_bytes(), f"https://mid.ru/{path}/")


def test_briefing_is_split_into_turns_without_its_contents():
    doc = document("en/press_service/spokesman/briefings/1937500")
    assert doc.kind == "transcript" and doc.author == "Maria Zakharova"
    assert doc.published.startswith("2024-03-06")
    assert [(t.speaker, t.role, t.kind) for t in doc.turns] == [
        ("Maria Zakharova", "Foreign Ministry Spokesperson", REMARK),
        ("Examplia Today", "journalist", QUESTION),
        ("Maria Zakharova", "Foreign Ministry Spokesperson", ANSWER),
        (None, None, QUESTION),
        ("Maria Zakharova", "Foreign Ministry Spokesperson", ANSWER),
    ]
    assert doc.turns[0].text.startswith("Consular consultations with Examplia\n\nGood afternoon.")
    # the table of contents and the "Back to contents" links are no text; headings stay once
    assert "Table of contents" not in doc.text and "Back to contents" not in doc.text
    assert doc.text.count("The cultural cooperation programme with Examplia") == 1
    assert "Entry rules for students" not in doc.text  # an entry of the contents only
    assert all("Answers to media questions" not in t.text for t in doc.turns)
    for turn in doc.turns:
        assert turn.text in doc.text


def test_briefing_without_a_name_is_the_spokesperson_of_its_day():
    doc = document("en/press_service/spokesman/briefings/1937900")
    assert (
        doc.title
        == "Briefing by the Foreign Ministry Spokesperson on current foreign policy issues"
    )
    assert [(t.speaker, t.kind) for t in doc.turns] == [
        ("Maria Zakharova", REMARK),
        (None, QUESTION),
        ("Maria Zakharova", ANSWER),
    ]


@pytest.mark.parametrize(
    "day, name",
    [
        (date(2024, 3, 13), "Maria Zakharova"),
        (date(2014, 5, 1), "Alexander Lukashevich"),
        (date(2015, 7, 31), "Alexander Lukashevich"),
        (date(2015, 8, 10), "Maria Zakharova"),
        (None, None),
    ],
)
def test_office_holder(day, name):
    person = office_holder("Foreign Ministry Spokesperson", "Russia", day)
    assert (person.name if person else None) == name


def test_minister_remarks_with_answers():
    doc = document("en/press_service/minister_speeches/1937600")
    assert [(t.speaker, t.role, t.kind) for t in doc.turns] == [
        ("Sergey Lavrov", "Foreign Minister", REMARK),
        (None, None, QUESTION),
        ("Sergey Lavrov", "Foreign Minister", ANSWER),
    ]


def test_news_and_speeches_without_labels_are_reports_without_turns():
    assert document("en/press_service/minister_speeches/1937800").turns == []
    doc = document("en/foreign_policy/news/1937950")
    assert doc.turns == [] and doc.kind == "article" and doc.source == "mid"
    assert doc.text.startswith("On 11 March, the Foreign Ministry")


@pytest.mark.parametrize(
    "html",
    [
        # a contents written as paragraphs of single in-page links, under a heading
        "<p>Contents</p><p><a href='#a'>First topic</a></p><p><a href='#b'>Second topic</a></p>"
        "<p id='a'>First topic text.</p><p><a href='#top'>Back to contents</a></p>"
        "<p id='b'>Second topic text.</p><p><a href='#top'>К содержанию</a></p>",
        # a list of anchors in a div
        "<div><strong>Table of contents</strong><ul><li><a href='#a'>First topic</a></li>"
        "<li><a href='#b'>Second topic</a></li></ul></div>"
        "<p id='a'>First topic text. <a href='#top'>↑ Back to top</a></p>"
        "<p id='b'>Second topic text.</p>",
    ],
)
def test_drop_contents(html):
    tree = parse_html(f"<html><body><article>{html}</article></body></html>")
    drop_contents(tree)
    assert [p.text for p in paragraphs(tree)] == ["First topic text.", "Second topic text."]


def test_links_elsewhere_are_no_contents():
    tree = parse_html(
        "<html><body><p><a href='/en/a/'>Other news</a> <a href='/en/b/'>More</a></p>"
        "<p>Text with <a href='#note1'>a note</a> in it.</p></body></html>"
    )
    drop_contents(tree)
    assert [p.text for p in paragraphs(tree)] == ["Other news More", "Text with a note in it."]


def test_mid_pages_get_the_mid_extractor():
    assert site_extractor("https://mid.ru/en/foreign_policy/news/1938001/") is extract_mid_page
