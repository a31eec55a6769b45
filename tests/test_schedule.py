"""Re-check schedule and word diffs: pure functions, checked on real dates and real text."""

from __future__ import annotations

from archive.history import word_diff
from archive.schedule import is_due, next_check


def test_fresh_documents_are_rechecked_often_old_ones_rarely():
    now = "2026-11-27T10:00:00+00:00"
    assert next_check("2026-11-27T08:00", None, now) == "2026-11-27T11:00:00+00:00"
    assert next_check("2026-11-25", None, now) == "2026-11-27T14:00:00+00:00"
    assert next_check("2026-11-10", None, now) == "2026-11-30T10:00:00+00:00"
    assert next_check("2020-06-17", None, now) == "2027-05-26T10:00:00+00:00"
    # Without a publication date the first fetch counts.
    assert next_check(None, "2026-11-27T09:30:00+00:00", now) == "2026-11-27T11:00:00+00:00"


def test_due():
    assert is_due(None, "2026-11-27T10:00:00+00:00")
    assert is_due("2026-11-27T09:00:00+00:00", "2026-11-27T10:00:00+00:00")
    assert not is_due("2026-11-27T11:00:00+00:00", "2026-11-27T10:00:00+00:00")


def test_word_diff_shows_changed_words_with_context():
    old = (
        "It happened on the Chinese side of the LAC. The onus is not on China. "
        "PTI: The Indian media reported on casualties on the Chinese side."
    )
    new = old.replace("The onus is not on China.", "The responsibility lies with India.")
    runs = word_diff(old, new)
    assert {"op": "-", "text": "onus is not on China."} in runs
    assert {"op": "+", "text": "responsibility lies with India."} in runs
    assert runs[0] == {"op": "=", "text": "… on the Chinese side of the LAC. The"}


def test_whitespace_is_not_a_change():
    assert all(run["op"] == "=" for run in word_diff("A  statement\nhere.", "A statement here."))
