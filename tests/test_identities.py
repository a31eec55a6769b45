"""One identity per speaker across languages, doubtful records audited, search not misled.

Real pages: four press conferences of China's MFA in both languages (17 June and 13 April
2020, 4 February 2020, 24 July 2019; tests/pages/mfa, see tests/test_pairs.py), paired and
aligned turn by turn; their questions name the same outlets in Chinese and in English.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from test_pairs import (
    APRIL_13_EN,
    APRIL_13_ZH,
    FEB_4_EN,
    FEB_4_ZH,
    JULY_24_EN,
    JULY_24_ZH,
    JUNE_17_EN,
    JUNE_17_ZH,
    invoke,
    pair,
    record,
    store,
)

from archive.identity.places import doubtful_name
from archive.output import origin_line
from archive.provenance.identities import counterparts, doubtful_speakers, learn_identities
from archive.queries import list_speakers
from archive.store import Archive, open_readonly

PAGES = (JUNE_17_EN, JUNE_17_ZH, APRIL_13_EN, APRIL_13_ZH, FEB_4_EN, FEB_4_ZH, JULY_24_EN,
         JULY_24_ZH)  # fmt: skip


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [record(page) for page in PAGES]


@pytest.fixture
def paired(tmp_path, records) -> Path:
    path = tmp_path / "archive.db"
    store(path, *json.loads(json.dumps(records)))
    assert pair(path)["paired"] == 4
    return path


def speaker(path: Path, name: str) -> dict | None:
    return next((s for s in list_speakers(open_readonly(path)) if s["name"] == name), None)


def test_aligned_turns_say_which_chinese_outlet_is_which_english_one(paired):
    found = {(c.name, c.counterpart): c for c in counterparts(open_readonly(paired))}
    assert found[("PTI", "印度报业托拉斯")].aligned == 3
    assert found[("Reuters", "路透社")].aligned == 2
    assert found[("Xinhua News Agency", "新华社")].agreement == 1.0


def test_records_that_aligned_turns_agree_on_become_one(paired, records):
    before = speaker(paired, "PTI")["statements"]
    with Archive(paired) as archive:
        merged = learn_identities(archive)
    assert merged == [{"kept": "PTI", "merged": "印度报业托拉斯", "aligned": 3}]
    pti = speaker(paired, "PTI")
    assert pti["statements"] == before + 3 and "印度报业托拉斯" in pti["aliases"]
    assert speaker(paired, "印度报业托拉斯") is None
    # Too few aligned turns: left to the audit, not merged.
    assert speaker(paired, "路透社") is not None
    # Storing a Chinese page again files its questions under the kept record.
    with Archive(paired) as archive:
        archive.upsert_document(json.loads(json.dumps(records[3])))
    assert speaker(paired, "印度报业托拉斯") is None


def test_the_audit_lists_the_other_language_record_with_the_merge_that_fixes_it(paired):
    rows = {r["name"]: r for r in doubtful_speakers(open_readonly(paired))}
    assert rows["路透社"]["reason"] == "other-language"
    assert rows["路透社"]["fix"] == "archive speakers merge Reuters 路透社"
    assert "Reuters" not in rows  # the record to keep is not doubtful
    result = invoke("speakers", "merge", "Reuters", "路透社", "--db", str(paired))
    assert result.exit_code == 0, result.output
    result = invoke("speakers", "audit", "--db", str(paired))
    assert result.exit_code == 0 and "路透社" not in result.output


def test_the_audit_lists_places_countries_and_words_filed_as_people(tmp_path, records):
    path = tmp_path / "archive.db"
    rec = json.loads(json.dumps(records[0]))
    answers = [s for s in rec["statements"] if s["kind"] == "answer"]
    for statement, name in zip(answers, ["Xinjiang", "Indeed", "China"]):
        statement["speaker"] = {"name": name, "kind": "person", "aliases": [name]}
    store(path, rec)
    result = invoke("speakers", "audit", "--format", "json", "--db", str(path))
    assert result.exit_code == 0, result.output
    reasons = {r["name"]: r["reason"] for r in json.loads(result.output)}
    assert reasons == {"Xinjiang": "place", "Indeed": "word", "China": "country"}


@pytest.mark.parametrize(
    ("name", "reason"),
    [("Xinjiang", "place"), ("Hong Kong", "place"), ("Moscow", "country"), ("Starting", "word"),
     ("Why", "word"), ("Zhao Lijian", None), ("Reuters", None), ("Price", "word")],
)  # fmt: skip
def test_doubtful_names(name, reason):
    assert doubtful_name(name) == reason


def test_a_place_filed_as_a_person_does_not_put_its_statements_first(tmp_path, records):
    """Speaker-name matches rank first, but not a record named like a place: the statements
    that mention Xinjiang come first, not an artefact's."""
    path = tmp_path / "archive.db"
    rec = json.loads(json.dumps(records[0]))
    first = next(s for s in rec["statements"] if s["kind"] == "answer")
    first["speaker"] = {"name": "Xinjiang", "kind": "person", "aliases": ["Xinjiang"]}
    store(path, rec)
    result = invoke("search", "Xinjiang", "--format", "json", "--db", str(path))
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert all("xinjiang" in r["text"].lower() for r in rows)


def test_first_said_only_when_the_original_is_the_speakers_own_statement():
    origin = {"speaker": "Mike Pompeo", "date": "2019-07-24", "source": "mfa",
              "label": "verbatim", "origin_id": 7}  # fmt: skip
    assert origin_line({**origin, "first_hand": False}).startswith(
        "earliest in this archive: Mike Pompeo, as quoted on 2019-07-24"
    )
    assert origin_line({**origin, "first_hand": True}).startswith(
        "first said by Mike Pompeo on 2019-07-24"
    )
