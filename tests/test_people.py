"""Names, roles and the registry: one identity per person."""

from __future__ import annotations

import json

import pytest

from archive.identity.names import aliases_of, canonical_name, parse_mention
from archive.identity.registry import load_registry
from mfa_scraper.attribution.mentions import PeopleIndex

CANONICAL = [
    ("Sergei Lavrov", "Sergey Lavrov"),
    ("Sergey Lavrov", "Sergey Lavrov"),
    ("Mr. Lavrov", "Sergey Lavrov"),
    ("H.E. Mr. Sergei Lavrov", "Sergey Lavrov"),
    ("SERGEI LAVROV", "Sergey Lavrov"),
    ("Lijian Zhao", "Zhao Lijian"),
    ("Zhao  Lijian", "Zhao Lijian"),
    ("Dmitri Peskov", "Dmitry Peskov"),
    ("Yuri Ushakov", "Yury Ushakov"),
    ("Michael Pompeo", "Mike Pompeo"),
    ("Michael R. Pompeo", "Mike Pompeo"),
    ("President Xi", "Xi Jinping"),
    ("Dr. Harold Bornstein", "Harold Bornstein"),
    ("James P. Kennedy Jr.", "James P. Kennedy Jr."),
]


@pytest.mark.parametrize(("raw", "expected"), CANONICAL)
def test_canonical_name(raw, expected):
    assert canonical_name(raw) == expected


MENTIONS = [
    ("Russian Foreign Minister Sergei Lavrov", ("Sergey Lavrov", "Foreign Minister", "Russia")),
    ("US Secretary of State Mike Pompeo", ("Mike Pompeo", "Secretary of State", "United States")),
    (
        "Russian Foreign Ministry spokeswoman Maria Zakharova",
        ("Maria Zakharova", "Foreign Ministry spokeswoman", "Russia"),
    ),
    (
        "Chinese ambassador to the United States Cui Tiankai",
        ("Cui Tiankai", "ambassador to the United States", "China"),
    ),
    ("Australian Foreign Minister Marise Payne", ("Marise Payne", "Foreign Minister", "Australia")),
    ("Rep. Tom Malinowski", ("Tom Malinowski", "Rep", None)),
    (
        "Sweden’s deputy director of public prosecutions, Eva-Marie Persson",
        ("Eva-Marie Persson", "deputy director of public prosecutions", "Sweden"),
    ),
    (
        "John Williams, the president of the Federal Reserve Bank of New York",
        ("John Williams", "president of the Federal Reserve Bank of New York", None),
    ),
    (
        "a State Department spokesperson",
        ("a State Department spokesperson", None, "State Department"),
    ),
]


@pytest.mark.parametrize(("raw", "expected"), MENTIONS)
def test_parse_mention(raw, expected):
    m = parse_mention(raw)
    assert (m.name, m.role, m.org) == expected


def test_aliases_of_lists_variants_with_canonical_first():
    assert aliases_of("Sergei Lavrov")[:2] == ["Sergey Lavrov", "Sergei Lavrov"]
    assert "Lijian Zhao" in aliases_of("Zhao Lijian")
    assert aliases_of("Somebody Unknown") == ["Somebody Unknown"]


def test_registry_has_the_main_figures_with_dated_roles():
    registry = load_registry()
    for name in ["Xi Jinping", "Wang Yi", "Hua Chunying", "Vladimir Putin", "Maria Zakharova",
                 "Antony Blinken", "Morgan Ortagus", "Tammy Bruce"]:  # fmt: skip
        person = registry.lookup(name)
        assert person is not None and person.name == name
        assert person.roles and all("start" in r for r in person.roles)


def test_leaders_the_ministries_name_are_one_identity_in_three_languages():
    # Chinese MFA transcripts name them in Chinese, the English ones in English: one record
    assert canonical_name("安倍晋三") == canonical_name("Shinzo Abe") == "Shinzo Abe"
    assert canonical_name("Синдзо Абэ") == "Shinzo Abe"
    assert canonical_name("莫里森") == canonical_name("Prime Minister Scott Morrison")
    assert canonical_name("Subrahmanyam Jaishankar") == "S. Jaishankar"
    assert canonical_name("Recep Tayyip Erdoğan") == "Recep Tayyip Erdogan"


def test_extra_registry_file_from_env(tmp_path, monkeypatch):
    extra = tmp_path / "people.json"
    extra.write_text(
        json.dumps({"people": [{"name": "Ban Ki-moon", "aliases": ["潘基文", "반기문"],
                                "country": "South Korea", "roles": []},
                               {"name": "Sergey Lavrov", "aliases": ["S. Lavrov"]}]}),
        encoding="utf-8",
    )  # fmt: skip
    monkeypatch.setenv("ARCHIVE_PEOPLE", str(extra))
    registry = load_registry()
    assert canonical_name("Ban Ki Moon", registry) == "Ban Ki-moon"
    assert canonical_name("潘基文", registry) == "Ban Ki-moon"
    # a name of a script the registry does not fold (Hangul, Arabic) is nobody's alias
    assert registry.lookup("반기문") is None and registry.lookup("بان كي مون") is None
    assert canonical_name("S. Lavrov", registry) == "Sergey Lavrov"
    assert registry.lookup("Sergei Lavrov").roles  # shipped roles kept after the merge


def test_people_index_resolves_surnames_from_the_document():
    index = PeopleIndex(context=["Kurt Volker"])
    assert index.resolve("Volker") == "Kurt Volker"
    assert index.resolve("Xi") == "Xi Jinping"  # registry alias
    assert index.resolve("Nobody") == "Nobody"
