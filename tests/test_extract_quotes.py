"""Quote detection and attribution on real sentences, plus the gold-set gate.

Sentences come from the pages behind tests/gold/quotes (news, China MFA press
conferences, Kremlin news); each row is (text, [(quote, kind, speaker), ...]).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from archive.identity.registry import default_registry
from mfa_scraper.attribution.mentions import PeopleIndex
from mfa_scraper.attribution.quotes import extract_quotes

HERE = Path(__file__).parent
FLOORS = json.loads((HERE / "gold" / "quotes_floor.json").read_text(encoding="utf-8"))

CASES = [
    # Cue after the quote, curly marks.
    (
        "“We will not accept attempts to assert unlawful maritime claims at the expense of "
        "law-abiding nations,” Esper said in a speech.",
        [("We will not accept attempts to assert unlawful maritime claims at the expense of "
          "law-abiding nations", "direct", "Mark Esper")],
    ),
    # Inverted cue, straight marks, apposition.
    (
        '"It makes for better theater to hold this to the last minute," said Phil Levy, the '
        "chief economist at Flexport.",
        [("It makes for better theater to hold this to the last minute", "direct", "Phil Levy")],
    ),
    # Colon introduction; role and country split from the name.
    (
        "Shenzhen TV: Australian Foreign Minister Marise Payne said on June 16 that \"some "
        'countries are using the pandemic to undermine liberal democracy". Do you have a comment?',
        [("some countries are using the pandemic to undermine liberal democracy", "partial",
          "Marise Payne")],
    ),
    # Split quote around the cue.
    (
        '"People are saying things at the moment that are not grounded," said Read, " I have '
        'not met the US side directly myself." Do you believe that?',
        [("People are saying things at the moment that are not grounded", "direct", "Read"),
         ("I have not met the US side directly myself.", "direct", "Read")],
    ),
    # Pronoun resolved to the person named before.
    (
        "Tass: Russian Foreign Ministry spokeswoman Maria Zakharova said Thursday that Moscow "
        'considers the issue contrived. "Meanwhile, accession of closest allies of the US to '
        'these negotiations remains our priority", she said.',
        [("Meanwhile, accession of closest allies of the US to these negotiations remains our "
          "priority", "direct", "Maria Zakharova")],
    ),
    # Surname-only mention resolved through the registry.
    (
        "AFP: US State Department spokesperson Ortagus said that China should stop expanding its "
        '"unlawful claims" in the South China Sea.',
        [("unlawful claims", "partial", "Morgan Ortagus")],  # in the clause "said" governs
    ),
    # Scare quotes and so-called terms are not statements.
    (
        'Q: Taiwan\'s "foreign minister" today said that China had promised aid. Tsai claimed '
        'the authorities would not compete in the so-called "checkbook diplomacy".',
        [],
    ),
    # Unnamed speaker kept as its description, attached to its organisation.
    (
        'A State Department spokesperson said, "The welfare of all U.S. citizens overseas remains '
        'a top priority for the State Department."',
        [("The welfare of all U.S. citizens overseas remains a top priority for the State "
          "Department.", "direct", "State Department spokesperson")],
    ),
    # Multi-paragraph quote: the first paragraph leaves the quote open.
    (
        "Liu said the army could be deployed, warning: “They are already there in the garrison.\n"
        "“If the situation becomes uncontrollable, the central government would not sit on our "
        "hands.”",
        [("They are already there in the garrison.", "direct", "Liu"),
         ("If the situation becomes uncontrollable, the central government would not sit on our "
          "hands.", "direct", "Liu")],
    ),
    # Subheads made of a quotation are not statements.
    (
        '"My fears have been realized"\n\nMorrison told the committee, "I feared at the time how '
        'its disclosure would play."',
        [("I feared at the time how its disclosure would play.", "direct", "Morrison")],
    ),
    # Leftover HTML entities and AP-style closing marks.
    (
        "“It was an attempt to mislead voters,’’ Will Moy told the BBC. &quot;We make no apology "
        "for having an instant rebuttal,&quot; Raab said.",
        [("It was an attempt to mislead voters", "direct", "Will Moy"),
         ("We make no apology for having an instant rebuttal", "direct", "Raab")],
    ),
    # Kremlin style: role description resolved to the person named in the lead.
    (
        "Vladimir Putin sent a message to Benjamin Netanyahu.\n“I greatly appreciate the "
        "relations established between us,” the President of Russia stressed in his message.",
        [("I greatly appreciate the relations established between us", "direct",
          "Vladimir Putin")],
    ),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_sentences(text, expected):
    got = [(q.quote, q.kind, q.speaker) for q in extract_quotes(text)]
    assert got == expected


def test_offsets_and_speaker_mention():
    text = (
        "Russian Foreign Minister Sergei Lavrov said: “Our position has not changed.” "
        "Lavrov added that the talks were “useful”."
    )
    quotes = extract_quotes(text)
    assert [q.kind for q in quotes] == ["direct", "partial"]
    for q in quotes:
        assert text[q.start : q.end] == q.quote
        assert q.speaker == "Sergey Lavrov"
    first = quotes[0]
    assert (first.speaker_role, first.speaker_org, first.cue) == (
        "Foreign Minister",
        "Russia",
        "said",
    )
    assert text[first.speaker_start : first.speaker_end] == "Russian Foreign Minister Sergei Lavrov"


def test_context_names_resolve_short_mentions():
    text = "“We must work together,” Xi told the meeting."
    people = PeopleIndex(context=["Xi Jinping"])
    assert extract_quotes(text, people=people)[0].speaker == "Xi Jinping"


@pytest.mark.parametrize(
    "text", ["", "   ", "\n\n", '"', "“", "” ’ ‘ «", "said, “", "&quot;&quot;"]
)
def test_messy_input_never_raises(text):
    assert isinstance(extract_quotes(text), list)


def _bench():
    spec = importlib.util.spec_from_file_location(
        "bench_quotes", HERE.parent / "bench" / "quotes.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("part", ["own", "dev", "test"])
def test_gold_set_is_self_contained_and_consistent(part):
    bench = _bench()
    docs = bench.load_gold(bench.PARTS[part])
    assert len(docs) >= 40
    for doc in docs:
        assert doc["source"].startswith("http")
        for q in doc["spans"]:
            assert doc["text"][q["start"] : q["end"]] == q["quote"]
            assert q["kind"] in {"direct", "partial", "scare", "title"}
            assert q["kind"] in {"direct", "partial"} or q["speaker"] is None
            # a person the registry knows goes under the registry's spelling (gold README)
            person = default_registry().lookup(q["speaker"]) if q["speaker"] else None
            if person is not None and q.get("speaker_kind") in (None, "person"):
                assert q["speaker"] == person.name, (doc["source"], q["speaker"])


def test_gold_parts_share_no_site():
    """A rule written for a development site's house style must not help the test score."""
    bench = _bench()

    def sites(part: str) -> set[str]:
        return {
            (d.get("site") or d["source"].split("/")[2]).lower().removeprefix("www.").split(":")[0]
            for d in bench.load_gold(bench.PARTS[part])
        }

    assert not sites("test") & (sites("dev") | sites("own"))


def test_gold_set_floors():
    bench = _bench()
    result = bench.score(bench.load_gold(), bench.engine)
    assert result["strict"][2] >= FLOORS["strict_f1"]
    assert result["direct"][2] >= FLOORS["direct_f1"]
    assert result["speaker_accuracy"] >= FLOORS["speaker_accuracy"]
    dev = bench.score(bench.load_gold(bench.PARTS["dev"]), bench.engine)
    assert dev["strict"][2] >= FLOORS["dev"]["strict_f1"]
    assert dev["any"][2] >= FLOORS["dev"]["any_f1"]
    assert dev["speaker_accuracy"] >= FLOORS["dev"]["speaker_accuracy"]


def test_an_engine_failure_keeps_the_page_without_quotes(monkeypatch, caplog):
    from conftest import MFA_PAGES, read_page

    from mfa_scraper.attribution import document as attribution
    from mfa_scraper.sites.dispatch import extract_document

    name, url = MFA_PAGES[0]
    page = read_page("mfa", f"www.fmprc.gov.cn.{name}")
    kept = extract_document(page, url)
    assert any(turn.quotes for turn in kept.turns)

    def broken(text: str) -> list:
        raise RuntimeError("a bug in the engine")

    monkeypatch.setattr(attribution, "extract_quotes", broken)
    document = extract_document(page, url)
    assert document.turns and document.text == kept.text
    assert not any(turn.quotes for turn in document.turns)
    assert attribution.QUOTES_FAILED in document.flags
    assert "quote attribution failed" in caplog.text
