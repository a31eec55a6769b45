"""Crawl monitors (mfa_scraper/monitors.py): a crawl that archives nothing says so and exits 1.

Real pages served on loopback, through ``scrapy crawl`` and ``archive crawl`` as
a user runs them. tests/pages/mirror holds no first listing page of en.kremlin.ru
and, like the 2018–2020 mirror, none of MFA's current-layout sections, so those
start URLs answer 404. The share monitors are also judged on stats alone,
through Spidermon's own extension.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import fetched, run_module, scrapy_crawl, served
from scrapy import Spider
from scrapy.utils.test import get_crawler
from spidermon.contrib.scrapy.extensions import Spidermon

PAGES = Path(__file__).parent / "pages" / "mirror"
MFA = PAGES / "www.fmprc.gov.cn"
KREMLIN = PAGES / "en.kremlin.ru"
SECTION = "/mfa_eng/xwfw_665399/s2510_665401/2511_665403/"
#: A section paged to its end on the mirror: default_10 → default_12, 100 transcripts.
BACKFILL = SECTION + "default_10.shtml"
#: A redesign: the listing answers 200 with a page that lists nothing (the "removed" notice).
REDESIGNED = {BACKFILL: MFA / "error.htm"}
LISTING = re.compile(r"/(default|index)(_\d+)?\.s?html$")


@pytest.fixture
def kremlin():
    with served(KREMLIN) as url:
        yield url


@pytest.fixture
def mfa():
    with served(MFA) as url:
        yield url


def command(db: Path, *args: str) -> subprocess.CompletedProcess:
    """``python -m ARGS`` into the archive ``db``; any exit status."""
    return run_module(*args, db=db)


def failures(stderr: str, spider: str) -> list[str]:
    """The lines naming failed monitors, as cron mails them."""
    return [line for line in stderr.splitlines() if line.startswith(f"{spider}: monitor ")]


def backfill(mirror: str) -> tuple[str, ...]:
    return ("-a", f"base_url={mirror}", "-a", f"start_urls={mirror}{BACKFILL}")


def test_crawl_whose_listings_fail_exits_with_the_monitor_finish_reason(kremlin, tmp_path):
    # The case: a copy without its first listing pages, both sections answer 404.
    result = command(tmp_path / "a.db", "scrapy", "crawl", "kremlin", "-a", f"base_url={kremlin}")
    assert result.returncode == 1, result.stderr[-3000:]
    assert "'finish_reason': 'monitor-failed:no-documents'" in result.stderr
    assert failures(result.stderr, "kremlin") == [
        "kremlin: monitor no-documents failed: no document was listed, stored or re-checked "
        "(2 fetches failed)"
    ]


def test_a_known_section_that_fails_or_lists_nothing_fails_its_monitors(mfa, tmp_path):
    db = tmp_path / "a.db"
    first = command(db, "scrapy", "crawl", "mfa", *backfill(mfa))
    assert first.returncode == 0 and "'finish_reason': 'finished'" in first.stderr
    # The section was paged to its end: its first page failing now is a section gone.
    with served(MFA, {BACKFILL: tmp_path / "not-there.html"}) as base:
        gone = command(db, "scrapy", "crawl", "mfa", *backfill(base))
    assert gone.returncode == 1
    assert "'finish_reason': 'monitor-failed:no-documents,empty-section'" in gone.stderr
    assert failures(gone.stderr, "mfa")[1] == (
        f"mfa: monitor empty-section failed: 1 of 1 sections listed no documents: {BACKFILL[1:]}"
    )
    # A redesign: the listing answers 200 but lists nothing.
    with served(MFA, REDESIGNED) as base:
        changed = command(db, "scrapy", "crawl", "mfa", *backfill(base))
    assert changed.returncode == 1
    reason = "monitor-failed:no-documents,empty-section,empty-listings"
    assert f"'finish_reason': '{reason}'" in changed.stderr


#: A label right after a tag in the 2015-2021 layout ("<STRONG>Q: ", "A: ", "Follow-up: "), and
#: the bold that also marks a question there.
TRANSCRIPT_LABEL = re.compile(r"(>)\s*(?:Q|A|Follow-up)\s*:\s*")
BOLD = re.compile(r"</?(?:STRONG|B)>", re.IGNORECASE)


def test_transcripts_whose_labels_no_longer_parse_fail_their_monitor(tmp_path):
    """A layout change that hides the Q:/A: labels and the bold of questions leaves each press
    conference one remark of the spokesperson: the crawl must not end "finished" (it did,
    since every transcript still had one turn). Real transcripts of the mirror, served with
    their labels and bold removed."""
    overrides = {}
    for page in sorted((MFA / SECTION.strip("/")).glob("t*.shtml")):
        html = page.read_text(encoding="utf-8", errors="replace")
        stripped = tmp_path / page.name
        stripped.write_text(TRANSCRIPT_LABEL.sub(r"\1", BOLD.sub("", html)), encoding="utf-8")
        overrides[SECTION + page.name] = stripped
    db = tmp_path / "a.db"
    with served(MFA, overrides) as base:
        result = command(db, "scrapy", "crawl", "mfa", *backfill(base))
    assert result.returncode == 1, result.stderr[-3000:]
    assert "'finish_reason': 'monitor-failed:transcripts-without-turns'" in result.stderr
    [line] = failures(result.stderr, "mfa")
    found = re.fullmatch(
        r"mfa: monitor transcripts-without-turns failed: (\d+) of (\d+) transcripts have no "
        r"speaker turns .*",
        line,
    )
    # a few keep a question the page marks another way ("Reuters: …", "After the press …")
    assert found and int(found[1]) >= 0.8 * int(found[2]) and int(found[2]) == 100, line


def test_mirror_crawl_passes_and_a_recrawl_asks_each_listing_url_once(mfa, tmp_path):
    db = tmp_path / "a.db"
    # The default start URLs: the 2015–2021 sections (one of them not in the copy either) and
    # three current-layout ones the copy lacks (never answered: fetch failures, retried, no
    # alarm).
    first = scrapy_crawl("mfa", db, "-a", f"base_url={mfa}", level="DEBUG")
    assert "'finish_reason': 'finished'" in first.stderr
    assert "[Spidermon] FAILED" not in first.stderr and "[Spidermon] 5 monitors" in first.stderr
    again = scrapy_crawl("mfa", db, "-a", f"base_url={mfa}", level="DEBUG")
    assert "'finish_reason': 'finished'" in again.stderr
    asked = fetched(again.stderr)
    assert [path for path, n in Counter(asked).items() if n > 1] == []
    assert sorted(asked) == sorted(
        [
            SECTION + "default.shtml",
            SECTION + "default_1.shtml",  # not in the copy: the section goes on there
            "/eng/xw/fyrbt/lxjzh/index.html",
            "/eng/xw/fyrbt/index.html",
            "/eng/xw/zyxw/index.html",
            "/mfa_eng/zxxx_662805/default.shtml",
        ]
    )
    assert all(LISTING.search(path) for path in asked)  # listing pages only, no document


def test_recrawl_with_nothing_new_and_since_runs_pass(mfa, tmp_path):
    db = tmp_path / "a.db"
    for _ in (1, 2):  # the second finds only archived documents on one listing page
        result = command(
            db, "archive", "crawl", "mfa", *backfill(mfa), "-f", "json", "--db", str(db)
        )
        assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(result.stdout)
    assert (summary["new"], summary["pages"], summary["ok"]) == (0, 1, True)
    assert summary["sources"][0]["monitors_failed"] == {}
    # since= past every listed document: nothing fetched but the first listing page.
    fresh = tmp_path / "b.db"
    late = scrapy_crawl("mfa", fresh, *backfill(mfa), "-a", "since=2030-01-01")
    assert "'finish_reason': 'finished'" in late.stderr
    assert "'archive/documents/stored'" not in late.stderr  # it archived nothing, rightly


def test_archive_crawl_prints_one_line_per_failed_monitor(mfa, tmp_path):
    db = tmp_path / "a.db"
    assert command(db, "archive", "crawl", "mfa", *backfill(mfa), "--db", str(db)).returncode == 0
    with served(MFA, REDESIGNED) as base:
        result = command(db, "archive", "crawl", "mfa", *backfill(base), "--db", str(db))
    assert result.returncode == 1
    assert failures(result.stderr, "mfa") == [
        "mfa: monitor no-documents failed: no document was listed, stored or re-checked",
        f"mfa: monitor empty-section failed: 1 of 1 sections listed no documents: {BACKFILL[1:]}",
        "mfa: monitor empty-listings failed: 1 of 1 listing pages listed no documents "
        "(the log names them; ARCHIVE_MONITOR_MAX_EMPTY_LISTINGS)",
    ]
    assert "monitor-failed:no-documents,empty-section,empty-listings" in result.stdout


def judge(stats: dict, **settings: object) -> dict:
    """Stats after Spidermon ran the project's suite on a crawl that ended with ``stats``."""
    crawler = get_crawler(
        Spider,
        {
            "SPIDERMON_ENABLED": True,
            "SPIDERMON_SPIDER_CLOSE_MONITORS": ["mfa_scraper.monitors.CrawlMonitorSuite"],
            **settings,
        },
    )
    spider = Spider(name="test")
    extension = Spidermon.from_crawler(crawler)
    crawler.stats.set_value("finish_reason", "finished")
    for key, value in stats.items():
        crawler.stats.set_value(key, value)
    extension.spider_opened(spider)
    extension.spider_closed(spider)
    return crawler.stats.get_stats()


def test_shares_are_judged_over_enough_documents_against_their_settings():
    stored = {"archive/documents/listed": 10, "archive/documents/stored": 10}
    undated = judge({**stored, "archive/documents/without_date": 3})
    assert undated["finish_reason"] == "monitor-failed:undated-documents"
    assert undated["archive/monitors/failed"] == {
        "undated-documents": "3 of 10 documents have no date "
        "(more than 10%; ARCHIVE_MONITOR_MAX_UNDATED_DOCUMENTS)"
    }
    tolerant = judge({**stored, "archive/documents/without_date": 3}, **{
        "ARCHIVE_MONITOR_MAX_UNDATED_DOCUMENTS": "0.5"
    })  # fmt: skip
    assert tolerant["finish_reason"] == "finished"
    # One odd page of an hourly crawl is no alarm.
    few = {"archive/documents/stored": 2, "archive/documents/without_date": 2}
    assert judge(few)["finish_reason"] == "finished"
    turnless = judge(
        {**stored, "archive/transcripts/stored": 8, "archive/transcripts/without_turns": 8}
    )
    assert turnless["finish_reason"] == "monitor-failed:transcripts-without-turns"


def test_a_crawl_that_did_not_finish_keeps_its_own_reason():
    crawler_stats = judge({"finish_reason": "shutdown"})  # nothing seen, but interrupted
    assert crawler_stats["finish_reason"] == "shutdown"
    assert "archive/monitors/failed" not in crawler_stats


def test_monitors_named_in_the_skip_setting_do_not_run():
    nothing = judge({}, ARCHIVE_MONITOR_SKIP="no-documents")
    assert nothing["finish_reason"] == "finished"
    assert judge({})["finish_reason"] == "monitor-failed:no-documents"


def test_a_crawler_on_a_shared_frontier_skips_the_monitors_of_a_whole_crawl():
    from scrapy.settings import Settings

    from mfa_scraper.scaleout import RedisScaleOut

    settings = Settings()
    settings.setmodule("mfa_scraper.settings", priority="project")
    settings.set("REDIS_URL", "redis://127.0.0.1:6379/0", priority="cmdline")
    RedisScaleOut().update_settings(settings)
    # It sees a slice of the round; its pages and documents are still judged.
    assert settings.getlist("ARCHIVE_MONITOR_SKIP") == ["no-documents", "empty-section"]
