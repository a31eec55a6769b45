"""One briefing in two languages: turn alignment, pairing in the archive, ``archive pairs``.

Real pages, copied from the 2018–2020 mirror of www.fmprc.gov.cn (a crawler's HTTP cache of
July 2020, ``shared/README.md``) into ``tests/pages/mfa/``:

- 17 June 2020, English t1789509 and Chinese t1789468: the press conference on the Galwan
  valley clash, both versions with the same 20 turns;
- 13 April 2020, English t1769241 and Chinese t1769120: questions asked after the conference,
  the English under a heading ("The following questions were raised after the press
  conference:"), the Chinese numbered and in bold without a label ("二、据报道，非洲驻华使节…");
  both are turns of their own, so the two versions align one to one;
- 4 February 2020, English t1740278 (the online briefing), Chinese t1740183 (the same
  briefing) and Chinese t1739874 (a written answer, 答记者问, of the same day);
- 24 July 2019, English t1683038 and Chinese t1683016.

No real turn left out of one version was found in the mirror: of its 486 pairs, two had a
turn on one side only, and in both the other page has the words too, behind a label the
extractor missed (an English "Q:" after a stray ``</SPAN>``, a Chinese "追问：" whose answer
has no "答：", now read as an answer). Turns left out are therefore tested on the real
17 June pair with Bloomberg's question and its answer taken out of the English version
(constructed).

The Kremlin's Russian site was not available: the shared-id rule is tested on minimal
constructed records, and on the real English page 17173 with the constructed Russian page
of the same number (``tests/pages/kremlin/constructed_ru_README.md``).
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import mfa_record, read_page
from typer.testing import CliRunner

from archive.cli import app
from archive.provenance.align import Turn, align
from archive.provenance.pairing import (
    MIN_SAME_DAY_SCORE,
    SAME_DAY,
    SHARED_ID,
    pair_documents,
    shared_id,
)
from archive.provenance.turn_scores import anchors, length_model, length_score
from archive.queries import get_pair, get_statement, list_pairs
from archive.store import Archive, open_readonly

EN = "https://www.fmprc.gov.cn/mfa_eng/xwfw_665399/s2510_665401/2511_665403/{}.shtml"
ZH = "https://www.fmprc.gov.cn/web/wjdt_674879/fyrbt_674889/{}.shtml"

JUNE_17_EN = ("en_t1789509_press_conference_2020-06-17_zhao_lijian.html", EN.format("t1789509"))
JUNE_17_ZH = ("zh_t1789468_press_conference_2020-06-17.html", ZH.format("t1789468"))
APRIL_13_EN = ("en_t1769241_press_conference_2020-04-13_zhao_lijian.html", EN.format("t1769241"))
APRIL_13_ZH = ("zh_t1769120_press_conference_2020-04-13.html", ZH.format("t1769120"))
FEB_4_EN = ("en_t1740278_daily_briefing_online_2020-02-04.html", EN.format("t1740278"))
FEB_4_ZH = ("zh_t1740183_press_conference_online_2020-02-04.html", ZH.format("t1740183"))
FEB_4_ZH_WRITTEN = ("zh_t1739874_written_answer_2020-02-04.html", ZH.format("t1739874"))
JULY_24_EN = ("en_t1683038_press_conference_2019-07-24_hua_chunying.html", EN.format("t1683038"))
JULY_24_ZH = ("zh_t1683016_press_conference_2019-07-24.html", ZH.format("t1683016"))
JAN_17_EN = ("en_t1630327_press_conference_2019-01-17_hua_chunying.html", EN.format("t1630327"))
JAN_17_ZH = ("zh_t1630230_press_conference_2019-01-17.html", ZH.format("t1630230"))

runner = CliRunner()


def record(page: tuple[str, str]) -> dict:
    return mfa_record(*page)


def turns_of(rec: dict) -> list[Turn]:
    """The turns of an archive record as the aligner takes them (quotes left out)."""
    return [
        Turn(s["kind"], (s["speaker"] or {}).get("name"), s.get("role"), s["text"], rec["language"])
        for s in rec["statements"]
        if s.get("parent") is None
    ]


def store(path: Path, *records: dict) -> dict[str, int]:
    """Store records; returns their document ids by URL."""
    with Archive(path) as archive:
        for rec in records:
            archive.upsert_document(rec)
        rows = archive.db.execute("SELECT url, id FROM documents").fetchall()
    return dict(rows)


def pair(path: Path, **kwargs) -> dict[str, int]:
    with Archive(path) as archive:
        return pair_documents(archive, **kwargs)


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def june_17() -> tuple[dict, dict]:
    return record(JUNE_17_ZH), record(JUNE_17_EN)


def without_bloomberg(english: dict) -> dict:
    """Constructed: the real English record of 17 June without Bloomberg's question and its
    answer, as if the English version had left them out (quotes inside them go too)."""
    statements = english["statements"]
    start = next(
        i for i, s in enumerate(statements) if (s["speaker"] or {}).get("name") == "Bloomberg"
    )
    answer = next(i for i in range(start + 1, len(statements)) if statements[i]["kind"] == "answer")
    end = next(
        (i for i in range(answer + 1, len(statements)) if statements[i].get("parent") is None),
        len(statements),
    )
    kept = statements[:start] + statements[end:]
    removed = end - start
    for statement in kept:
        if statement.get("parent") is not None and statement["parent"] >= end:
            statement["parent"] -= removed
    text = english["text"]
    for statement in statements[start:end]:
        if statement.get("parent") is None:
            text = text.replace(statement["text"], "")
    return {**english, "statements": kept, "text": text}


@pytest.fixture
def paired_archive(tmp_path, june_17) -> Path:
    """17 June 2020 (the English without Bloomberg's question and answer) and 13 April 2020,
    in both languages, paired."""
    path = tmp_path / "archive.db"
    english = without_bloomberg(json.loads(json.dumps(june_17[1])))
    store(path, june_17[0], english, record(APRIL_13_ZH), record(APRIL_13_EN))
    counts = pair(path)
    assert counts["paired"] == 2, counts
    return path


# -- alignment (pure) ---------------------------------------------------------------------------


def test_the_two_versions_of_17_june_align_turn_by_turn(june_17):
    zh, en = (turns_of(rec) for rec in june_17)
    assert len(zh) == len(en) == 20
    alignment = align(zh, en)
    assert [(i, j) for i, j, _ in alignment.pairs] == [(i, i) for i in range(20)]
    assert not alignment.left_only and not alignment.right_only
    assert alignment.score > 0.9
    # The answer on the Galwan valley clash, in Chinese and in English.
    galwan = next(i for i, turn in enumerate(zh) if "加勒万河谷地区的冲突" in turn.text)
    assert zh[galwan].kind == "answer"
    assert "Galwan Valley" in en[galwan].text
    assert min(confidence for *_, confidence in alignment.pairs) > 0.5


def test_a_question_and_answer_left_out_of_one_version_are_flagged_where_they_were(june_17):
    """Constructed from the real pair: the English loses Bloomberg's question and its answer."""
    zh, en = (turns_of(rec) for rec in june_17)
    bloomberg = next(i for i, turn in enumerate(en) if turn.speaker == "Bloomberg")
    shortened = en[:bloomberg] + en[bloomberg + 2 :]
    alignment = align(zh, shortened)
    assert alignment.left_only == [bloomberg, bloomberg + 1]
    assert alignment.right_only == []
    matched = [(i, j) for i, j, _ in alignment.pairs]
    assert matched == [
        (i, i if i < bloomberg else i - 2) for i in range(20) if i not in (bloomberg, bloomberg + 1)
    ]


def test_a_turn_split_in_two_is_matched_with_both_halves(june_17):
    zh, en = (turns_of(rec) for rec in june_17)
    galwan = next(i for i, turn in enumerate(en) if "Galwan Valley" in turn.text)
    first, _, second = en[galwan].text.partition("\n\n")
    assert first and second
    split = [
        *en[:galwan],
        replace(en[galwan], text=first),
        replace(en[galwan], text=second),
        *en[galwan + 1 :],
    ]
    alignment = align(zh, split)
    merge = next(link for link in alignment.links if len(link.right) == 2)
    assert merge.left == (galwan,) and merge.right == (galwan, galwan + 1)
    assert not alignment.left_only and not alignment.right_only


def test_anchors_match_dates_figures_and_latin_words_across_scripts():
    zh_numbers, zh_latin, _, _ = anchors(
        "6月15日晚，印军越线。世卫组织和G7表示，治愈出院1318例。", "zh"
    )
    en_numbers, _, en_words, _ = anchors(
        "On the evening of June 15, WHO and the G7 said 1,318 patients were cured.", "en"
    )
    assert {"m6", "15", "1318"} <= zh_numbers & en_numbers
    assert {"who", "g7"} <= zh_latin & en_words
    ru_numbers, ru_latin, _, _ = anchors("15 июня ВОЗ сообщила", "ru")
    assert {"m6", "15"} <= ru_numbers and "who" in ru_latin


def test_the_length_model_expects_english_three_times_as_long_as_chinese():
    model = length_model("zh", "en")
    assert model.measured and 3.0 < model.ratio < 3.4
    assert length_score(200, 640, model) > 1.5  # a translation of ordinary length
    assert length_score(200, 200, model) < -4  # not a translation of it
    assert length_model("en", "zh").ratio == pytest.approx(1 / model.ratio)


def test_a_question_is_never_matched_with_an_answer_to_fill_a_gap():
    left = [
        Turn("question", None, None, "请问中方对此有何评论？" * 3, "zh"),
        Turn("answer", "Zhao Lijian", None, "我们注意到了有关报道。" * 10, "zh"),
    ]
    right = [Turn("answer", "Zhao Lijian", None, "We noted the reports. " * 15, "en")]
    alignment = align(left, right)
    assert alignment.left_only == [0]
    assert [(i, j) for i, j, _ in alignment.pairs] == [(1, 0)]


# -- pairing in the archive ---------------------------------------------------------------------


def test_17_june_is_paired_chinese_first_with_its_turns_aligned(tmp_path, june_17):
    path = tmp_path / "archive.db"
    ids = store(path, *june_17)
    counts = pair(path)
    assert counts == {"paired": 1, "same_day": 1, "shared_id": 0, "missing_turns": 0, "unpaired": 0}
    found = get_pair(open_readonly(path), document_id=ids[JUNE_17_EN[1]])
    assert found["document_id"] == ids[JUNE_17_ZH[1]]  # the source's own language first
    assert found["counterpart_id"] == ids[JUNE_17_EN[1]]
    assert found["method"] == SAME_DAY and found["date"] == "2020-06-17"
    assert found["aligned"] == 20
    assert found["missing_in_counterpart"] == found["missing_in_document"] == 0
    galwan = next(t for t in found["turns"] if "加勒万河谷地区的冲突" in t["document"]["text"])
    assert galwan["document"]["kind"] == galwan["counterpart"]["kind"] == "answer"
    assert galwan["counterpart"]["speaker"] == "Zhao Lijian"
    assert "Galwan Valley" in galwan["counterpart"]["text"]
    assert galwan["score"] > 0.9


def test_turns_one_version_lacks_are_flagged(paired_archive):
    db = open_readonly(paired_archive)
    (june,) = list_pairs(db, missing=True)
    assert june["date"] == "2020-06-17"
    assert june["missing_in_counterpart"] == 2 and june["missing_in_document"] == 0
    assert june["aligned"] == 18
    turns = get_pair(db, june["id"])["turns"]
    lone = [t["document"] for t in turns if t["counterpart"] is None]
    assert [t["kind"] for t in lone] == ["question", "answer"]
    assert lone[0]["speaker"] == "彭博社"  # Bloomberg, under its Chinese name
    assert lone[1]["text"].startswith("可能你昨天没来记者会吧")
    neighbours = [t for t in turns if t["counterpart"] is not None]
    assert all(t["document"]["kind"] == t["counterpart"]["kind"] for t in neighbours)


def test_questions_asked_after_the_conference_align_one_to_one(paired_archive):
    """Real pages of 13 April 2020: the Chinese question printed in bold without a label
    ("二、据报道，非洲驻华使节…") is a turn of its own, as the English one is."""
    db = open_readonly(paired_archive)
    (april,) = list_pairs(db, until="2020-04-30")
    assert april["missing_in_document"] == april["missing_in_counterpart"] == 0
    turns = get_pair(db, april["id"])["turns"]
    assert all(t["document"]["kind"] == t["counterpart"]["kind"] for t in turns)
    envoys = next(t for t in turns if t["counterpart"]["text"].startswith("African envoys"))
    assert envoys["document"]["kind"] == "question"
    assert envoys["document"]["text"].startswith("二、据报道，非洲驻华使节近日表示")
    assert len([t for t in turns if t["document"]["id"] == envoys["document"]["id"]]) == 1
    after = turns[turns.index(envoys) + 1]
    assert after["document"]["text"].startswith("昨天晚上，我已就广东疫情防控涉及非洲公民问题")
    assert after["counterpart"]["text"].startswith("Last night, I issued a written statement")


def test_a_written_answer_of_the_same_day_is_not_paired_with_the_briefing(tmp_path):
    path = tmp_path / "archive.db"
    written = record(FEB_4_ZH_WRITTEN)
    assert written["kind"] == "statement"  # 答记者问: written answers, not a press conference
    ids = store(path, record(FEB_4_EN), written)
    assert pair(path)["paired"] == 0  # the day's transcript has no Chinese transcript yet
    ids = store(path, record(FEB_4_ZH))
    assert pair(path)["paired"] == 1
    (found,) = list_pairs(open_readonly(path))
    assert found["document_id"] == ids[FEB_4_ZH[1]]
    assert found["counterpart_id"] == ids[FEB_4_EN[1]]
    assert ids[FEB_4_ZH_WRITTEN[1]] not in (found["document_id"], found["counterpart_id"])


def test_of_two_transcripts_of_a_day_the_one_whose_turns_align_is_chosen(tmp_path, june_17):
    """Constructed: the 24 July 2019 transcript filed again under 17 June 2020."""
    decoy = {
        **record(JULY_24_ZH),
        "url": ZH.format("t9999999"),
        "date": "2020-06-17",
        "published": "2020-06-17",
    }
    path = tmp_path / "archive.db"
    ids = store(path, decoy, *june_17)
    assert pair(path)["paired"] == 1
    (found,) = list_pairs(open_readonly(path))
    assert found["document_id"] == ids[JUNE_17_ZH[1]]
    assert found["score"] >= MIN_SAME_DAY_SCORE


def kremlin_record(url: str, language: str, date: str, turns: list[tuple]) -> dict:
    from mfa_scraper.records import speaker_record

    return {
        "url": url,
        "source": "kremlin",
        "title": f"constructed {language}",
        "published": date,
        "date": date,
        "language": language,
        "kind": "transcript",
        "text": "\n\n".join(text for *_, text in turns),
        "statements": [
            {"kind": kind, "speaker": speaker_record(name), "role": None, "text": text}
            for kind, name, text in turns
        ],
    }


def test_kremlin_pages_of_the_same_number_are_paired_russian_first(tmp_path):
    """Constructed minimal records: kremlin.ru/…/news/70001 and its English page."""
    ru = kremlin_record(
        "http://kremlin.ru/events/president/news/70001",
        "ru",
        "2020-05-08",
        [
            ("remark", "Владимир Путин", "Добрый день, уважаемые коллеги! Начнём с вопросов."),
            ("question", None, "Как Вы оцениваете переговоры с Китаем 8 мая?"),
            (
                "answer",
                "Владимир Путин",
                "Переговоры 8 мая прошли в конструктивном духе. Мы "
                "договорились продолжить работу по всем направлениям, включая энергетику.",
            ),
        ],
    )
    en = kremlin_record(
        "http://en.kremlin.ru/events/president/news/70001",
        "en",
        "2020-05-09",
        [
            (
                "remark",
                "Vladimir Putin",
                "Good afternoon, colleagues! Let us start with questions.",
            ),
            ("question", None, "How do you assess the talks with China on May 8?"),
            (
                "answer",
                "Vladimir Putin",
                "The talks on May 8 were constructive. We agreed to "
                "continue working in all areas, including energy.",
            ),
        ],
    )
    other = kremlin_record(
        "http://en.kremlin.ru/events/president/news/70002",
        "en",
        "2020-05-08",
        [("remark", "Vladimir Putin", "Good afternoon, colleagues! Let us start with questions.")],
    )
    path = tmp_path / "archive.db"
    ids = store(path, other, en, ru)
    assert pair(path) == {
        "paired": 1,
        "same_day": 0,
        "shared_id": 1,
        "missing_turns": 0,
        "unpaired": 1,
    }
    (found,) = list_pairs(open_readonly(path))
    assert found["method"] == SHARED_ID  # published a day apart: the number decides
    assert found["document_id"] == ids[ru["url"]]
    assert found["counterpart_id"] == ids[en["url"]]
    turns = get_pair(open_readonly(path), found["id"])["turns"]
    assert [(t["document"]["kind"], t["counterpart"]["kind"]) for t in turns] == [
        ("remark", "remark"),
        ("question", "question"),
        ("answer", "answer"),
    ]


def test_the_real_english_page_17173_is_paired_with_the_russian_one(tmp_path):
    from mfa_scraper.records import document_record
    from mfa_scraper.sites.dispatch import extract_document

    pages = [
        (
            "news_17173_putin_news_conference_2012-12-20.html",
            "http://en.kremlin.ru/events/president/news/17173",
        ),
        (
            "constructed_ru_news_17173_news_conference_2012-12-20.html",
            "http://kremlin.ru/events/president/news/17173",
        ),
    ]
    records = [
        document_record(extract_document(read_page("kremlin", name), url)) for name, url in pages
    ]
    assert [r["language"] for r in records] == ["en", "ru"]
    path = tmp_path / "archive.db"
    ids = store(path, *records)
    assert pair(path)["shared_id"] == 1
    (found,) = list_pairs(open_readonly(path))
    assert (found["document_id"], found["counterpart_id"]) == (ids[pages[1][1]], ids[pages[0][1]])
    # The constructed Russian page is an eight-turn abridgement of the 338 English turns.
    assert found["missing_in_document"] >= 300


def test_shared_ids_are_the_url_paths_that_end_in_a_number():
    assert shared_id("http://kremlin.ru/events/president/news/63313") == (
        shared_id("http://en.kremlin.ru/events/president/news/63313/")
    )
    assert shared_id("http://en.kremlin.ru/events/president/news") is None


def test_pairing_again_pairs_only_what_is_new_or_changed(paired_archive, june_17):
    def rows() -> list[tuple]:
        with sqlite3.connect(paired_archive) as conn:
            return conn.execute(
                "SELECT p.id, a.statement_id, a.counterpart_statement_id FROM document_pairs p "
                "JOIN turn_alignments a ON a.pair_id = p.id ORDER BY a.id"
            ).fetchall()

    before = rows()
    assert pair(paired_archive) == {
        "paired": 0,
        "same_day": 0,
        "shared_id": 0,
        "missing_turns": 0,
        "unpaired": 0,
    }
    assert rows() == before
    # An edit of the English page drops its pair (store._forget_links); the next run pairs it.
    edited = json.loads(json.dumps(june_17[1]))
    edited["statements"][-1]["text"] += " We hope the US and Russia will make progress."
    edited["text"] += " We hope the US and Russia will make progress."
    store(paired_archive, edited)
    assert len(list_pairs(open_readonly(paired_archive))) == 1
    assert pair(paired_archive)["paired"] == 1
    assert len(rows()) == len(before)


def test_since_pairs_only_documents_from_that_day(tmp_path, june_17):
    path = tmp_path / "archive.db"
    store(path, *june_17, record(JULY_24_ZH), record(JULY_24_EN))
    assert pair(path, since="2020-01-01")["paired"] == 1
    assert [p["date"] for p in list_pairs(open_readonly(path))] == ["2020-06-17"]
    assert pair(path)["paired"] == 1
    assert len(list_pairs(open_readonly(path))) == 2


def test_replacing_a_pair_keeps_one_translation_per_language(paired_archive):
    with Archive(paired_archive) as archive:
        (first,) = archive.db.execute(
            "SELECT id, document_id, counterpart_id FROM document_pairs WHERE id = "
            "(SELECT min(id) FROM document_pairs)"
        ).fetchall()
        archive.replace_pair(
            {
                "document_id": first[1],
                "counterpart_id": first[2],
                "method": SAME_DAY,
                "score": 0.5,
                "turns": [],
            }
        )
        pairs = archive.db.execute(
            "SELECT count(*) FROM document_pairs WHERE document_id = ?", [first[1]]
        ).fetchone()[0]
        orphans = archive.db.execute(
            "SELECT count(*) FROM turn_alignments WHERE pair_id = ?", [first[0]]
        ).fetchone()[0]
    assert pairs == 1 and orphans == 0


# -- archive show and archive pairs --------------------------------------------------------------


def test_show_gives_the_aligned_turn_of_the_other_language(paired_archive):
    db = open_readonly(paired_archive)
    (answer_id,) = db.execute(
        "SELECT id FROM statements WHERE text LIKE '昨天，西部战区新闻发言人%'"
    ).fetchone()
    statement = get_statement(db, answer_id)
    counterpart = statement["counterpart"]
    assert counterpart["document"]["language"] == "en" and not counterpart["missing"]
    assert "Galwan Valley" in counterpart["turns"][0]["text"]
    result = invoke("show", str(answer_id), "--db", str(paired_archive))
    assert result.exit_code == 0, result.output
    assert "The English version (document" in result.output
    assert "Western Theater Command" in result.output


def test_show_says_when_the_other_version_lacks_the_turn(paired_archive):
    db = open_readonly(paired_archive)
    (answer_id,) = db.execute(
        "SELECT id FROM statements WHERE text LIKE '可能你昨天没来记者会吧%'"
    ).fetchone()
    result = invoke("show", str(answer_id), "--db", str(paired_archive))
    assert result.exit_code == 0, result.output
    assert "The English version (document" in result.output
    assert "lacks this turn" in result.output
    shown = json.loads(
        invoke("show", str(answer_id), "--db", str(paired_archive), "--format", "json").output
    )
    assert shown["counterpart"]["missing"] is True and shown["counterpart"]["turns"] == []


def test_show_of_an_unpaired_statement_has_no_counterpart(archive_path):
    result = invoke("show", "1", "--db", str(archive_path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["counterpart"] is None


def test_pairs_lists_date_titles_aligned_and_missing(paired_archive):
    result = invoke("pairs", "--db", str(paired_archive))
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("2020-06-17") < out.index("2020-04-13")  # newest first
    assert "2020年6月17日外交部发言人赵立坚主持例行记者会" in out
    assert "Regular Press Conference on June 17, 2020" in out
    assert "2 not in English" in out


def test_pairs_json_csv_and_filters(paired_archive):
    db = str(paired_archive)
    rows = json.loads(invoke("pairs", "--db", db, "--format", "json").output)
    assert [(r["date"], r["aligned"], r["missing_in_counterpart"]) for r in rows] == [
        ("2020-06-17", 18, 2),
        ("2020-04-13", 21, 0),  # 20 Chinese turns, one holding two English ones
    ]
    assert {r["document_language"] for r in rows} == {"zh"}
    missing = json.loads(invoke("pairs", "--missing", "--db", db, "--format", "json").output)
    assert [r["date"] for r in missing] == ["2020-06-17"]
    until = json.loads(invoke("pairs", "--until", "2020-05-01", "--db", db, "-f", "json").output)
    since = json.loads(invoke("pairs", "--since", "2020-05-01", "--db", db, "-f", "json").output)
    assert [r["date"] for r in until] == ["2020-04-13"]
    assert [r["date"] for r in since] == ["2020-06-17"]
    table = list(csv.DictReader(io.StringIO(invoke("pairs", "--db", db, "-f", "csv").output)))
    assert [r["document_language"] for r in table] == ["zh", "zh"]


def test_pairs_id_shows_both_versions_side_by_side(paired_archive):
    db = str(paired_archive)
    (june,) = json.loads(invoke("pairs", "--missing", "--db", db, "-f", "json").output)
    result = invoke("pairs", str(june["id"]), "--db", db, "--chars", "60")
    assert result.exit_code == 0, result.output
    assert "Chinese" in result.output and "English" in result.output
    assert result.output.count("not in the English version") == 2
    assert "彭博社 (question)" in result.output
    assert "People's Liberation Army" in result.output  # the Galwan answer, cut at 60
    by_document = invoke(
        "pairs", "--document", str(june["counterpart_id"]), "--db", db, "-f", "json"
    )
    assert json.loads(by_document.output)["id"] == june["id"]
    turns = list(
        csv.DictReader(
            io.StringIO(invoke("pairs", str(june["id"]), "--db", db, "-f", "csv").output)
        )
    )
    assert len(turns) == 20
    assert sum(1 for t in turns if not t["counterpart_statement_id"]) == 2


def test_pairs_errors_are_one_line_and_exit_2(paired_archive):
    db = str(paired_archive)
    result = invoke("pairs", "999", "--db", db)
    assert result.exit_code == 2
    assert "no pair with id 999" in result.output
    result = invoke("pairs", "1", "--document", "1", "--db", db)
    assert result.exit_code == 2
    assert "not both" in result.output


def test_pairs_update_pairs_and_prints_counts(tmp_path, june_17):
    path = tmp_path / "archive.db"
    store(path, *june_17, record(FEB_4_ZH_WRITTEN))
    result = invoke("pairs", "--update", "--db", str(path))
    assert result.exit_code == 0, result.output
    assert "1 new pairs (1 same-day, 0 shared-id)" in result.output
    assert "1 documents without a counterpart" in result.output
    again = invoke("pairs", "--update", "--db", str(path), "--format", "json")
    assert json.loads(again.output)["paired"] == 0


def test_datasette_shows_a_pair_turn_by_turn(paired_archive):
    pytest.importorskip("datasette")
    from datasette.utils.testing import TestClient

    from archive.serve import build_datasette, prepare_archive

    client = TestClient(build_datasette(prepare_archive(paired_archive)))
    (june,) = list_pairs(open_readonly(paired_archive), missing=True)
    page = client.get(f"/archive/pair_turns?pair={june['id']}")
    assert page.status == 200
    rows = client.get(f"/archive/pair_turns.json?pair={june['id']}&_shape=array").json
    assert len(rows) == 20
    assert [r["position"] for r in rows] == sorted(r["position"] for r in rows)
    assert [r["missing"] for r in rows].count("not in the translation") == 2
    lone = next(r for r in rows if r["missing"])
    assert lone["translation"] is None and lone["speaker"] == "彭博社"
    galwan = next(r for r in rows if r["original"].startswith("昨天，西部战区新闻发言人"))
    assert "Galwan Valley" in galwan["translation"] and galwan["match"] > 0.9
    for table in ("document_pairs", "turn_alignments"):
        assert client.get(f"/archive/{table}").status == 200


def test_pairing_a_batch_at_a_time_finds_the_same_pairs_in_the_same_order(tmp_path):
    """``pair_documents`` holds the turns of a few documents at a time (memory stays bounded
    on a large archive): batches of one document give what one batch of everything gives,
    pair ids, alignments and counts included, and pairs are written days in order, then page
    numbers by their first Russian document, as before batching."""
    import shutil

    def kremlin(number: int, language: str, date: str) -> dict:
        host = "kremlin.ru" if language == "ru" else "en.kremlin.ru"
        words = "Добрый день, коллеги!" if language == "ru" else "Good afternoon, colleagues!"
        return kremlin_record(
            f"http://{host}/events/president/news/{number}",
            language,
            date,
            [("remark", "Vladimir Putin", f"{words} {number}")],
        )

    records = [
        record(JULY_24_ZH),
        record(FEB_4_EN),
        kremlin(70003, "en", "2020-05-10"),
        record(JUNE_17_EN),
        kremlin(70003, "ru", "2020-05-10"),
        kremlin(70001, "en", "2020-05-09"),
        record(FEB_4_ZH_WRITTEN),
        record(JULY_24_EN),
        kremlin(70001, "ru", "2020-05-08"),
        kremlin(70002, "en", "2020-05-08"),  # no Russian page
        record(FEB_4_ZH),
        record(JUNE_17_ZH),
        record(APRIL_13_EN),  # no Chinese page
    ]
    whole = tmp_path / "whole.db"
    store(whole, *records)
    batched = tmp_path / "batched.db"
    shutil.copy(whole, batched)

    def pairs_of(path: Path) -> tuple[list[tuple], list[tuple]]:
        with sqlite3.connect(path) as conn:
            pairs = conn.execute(
                "SELECT p.id, d.url, c.url, p.method, p.score, p.aligned FROM document_pairs p "
                "JOIN documents d ON d.id = p.document_id "
                "JOIN documents c ON c.id = p.counterpart_id ORDER BY p.id"
            ).fetchall()
            turns = conn.execute(
                "SELECT pair_id, statement_id, counterpart_statement_id, score "
                "FROM turn_alignments ORDER BY id"
            ).fetchall()
        return pairs, turns

    counts = pair(whole, batch=10_000)
    assert counts == pair(batched, batch=1)
    assert counts["same_day"] == 3 and counts["shared_id"] == 2 and counts["unpaired"] == 3
    assert pairs_of(whole) == pairs_of(batched)
    urls = [
        (mine.rsplit("/", 1)[1], theirs.rsplit("/", 1)[1])
        for _, mine, theirs, *_ in pairs_of(whole)[0]
    ]
    assert urls == [
        ("t1683016.shtml", "t1683038.shtml"),  # 2019-07-24
        ("t1740183.shtml", "t1740278.shtml"),  # 2020-02-04
        ("t1789468.shtml", "t1789509.shtml"),  # 2020-06-17
        ("70003", "70003"),  # the first Russian page stored
        ("70001", "70001"),
    ]
    assert pair(batched, batch=1)["paired"] == 0


JULY_23_EN = ("en_t1682741_press_conference_2019-07-23_hua_chunying.html", EN.format("t1682741"))
JULY_23_ZH = (
    "zh_t1682722_press_conference_2019-07-23_reply_then_answer.html",
    ZH.format("t1682722"),
)


def test_an_answer_after_the_journalists_reply_is_the_spokespersons_and_pairs_as_hers():
    """Hua asks back ("…对吗？"), the journalist replies "是的。", her answer goes on without a
    label: it is her answer in both versions, not the journalist's question, and the two
    versions pair turn by turn."""
    zh, en = (turns_of(record(page)) for page in (JULY_23_ZH, JULY_23_EN))
    cases = ((zh, "是的。", "我看到了从堪培拉"), (en, "Yes.", "I saw the reports"))
    for turns, reply, answer in cases:
        at = next(i for i, turn in enumerate(turns) if turn.text.startswith(answer))
        assert (turns[at].kind, turns[at].speaker) == ("answer", "Hua Chunying")
        assert (turns[at - 1].kind, turns[at - 1].text) == ("question", reply)
        assert turns[at - 2].kind == "answer" and turns[at - 2].text.endswith(("吗？", "right?"))
    alignment = align(zh, en)
    assert not alignment.left_only and not alignment.right_only
    assert [(i, j) for i, j, _ in alignment.pairs] == [(i, i) for i in range(len(zh))]


def test_a_crowded_day_aligns_each_document_with_its_likeliest_counterparts_only(
    tmp_path, monkeypatch
):
    """Constructed: six real briefings of six days, both versions, filed under one day, with
    four Chinese transcripts that have no English version. With a shortlist of two, each
    Chinese transcript is aligned with two English ones at most, and every real pair is
    still found: the turns' kinds, where they end and the length tell them apart."""
    import archive.provenance.pairing as pairing

    pages = [
        (JUNE_17_ZH, JUNE_17_EN),
        (APRIL_13_ZH, APRIL_13_EN),
        (FEB_4_ZH, FEB_4_EN),
        (JULY_24_ZH, JULY_24_EN),
        (JULY_23_ZH, JULY_23_EN),
        (JAN_17_ZH, JAN_17_EN),
    ]
    alone = [
        ("zh_t1474965_press_conference_2017-07-03.html", ZH.format("t1474965")),
        ("zh_t1503405_press_conference_2017-10-20.html", ZH.format("t1503405")),
        ("zh_t1622643_press_conference_2018-12-17.html", ZH.format("t1622643")),
        ("zh_t1739521_press_conference_online_2020-02-03.html", ZH.format("t1739521")),
    ]
    records = [record(page) for pair_ in pages for page in pair_] + [record(p) for p in alone]
    for rec in records:
        rec.update(date="2020-06-17", published="2020-06-17")
    path = tmp_path / "archive.db"
    ids = store(path, *records)
    aligned: Counter[int] = Counter()
    real_pair = pairing._pair

    def counting(document, counterpart, method):
        aligned[document.id] += 1
        return real_pair(document, counterpart, method)

    monkeypatch.setattr(pairing, "SHORTLIST", 2)
    monkeypatch.setattr(pairing, "_pair", counting)
    assert pair(path)["paired"] == len(pages)
    assert max(aligned.values()) == 2 and len(aligned) == 10
    found = {(p["document_id"], p["counterpart_id"]) for p in list_pairs(open_readonly(path))}
    assert found == {(ids[zh[1]], ids[en[1]]) for zh, en in pages}
