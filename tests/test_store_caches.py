"""The store's speaker and source caches never outlive a rolled-back transaction."""

from __future__ import annotations

import pytest
from conftest import MFA_PAGES, mfa_record

from archive.store import Archive


def test_rollback_forgets_speakers_and_sources_made_in_it(tmp_path):
    name, url = MFA_PAGES[0]
    record = mfa_record(name, url)
    with Archive(tmp_path / "a.db") as archive:
        with pytest.raises(RuntimeError), archive.transaction():
            archive.upsert_source(record["source"])
            archive.speaker_id("Zhao Lijian")
            raise RuntimeError("crawl stopped mid-batch")
        assert archive.db.execute("SELECT count(*) FROM sources").fetchone()[0] == 0
        assert archive.upsert_document(record) == "new"  # no stale ids: foreign keys hold
        assert archive.db.execute("PRAGMA foreign_key_check").fetchall() == []
        speakers = {r[0] for r in archive.db.execute("SELECT name FROM speakers")}
        assert "Zhao Lijian" in speakers


def test_bare_source_name_keeps_the_description(tmp_path):
    with Archive(tmp_path / "a.db") as archive:
        archive.upsert_source("mfa", title="Ministry of Foreign Affairs", country="CN")
        archive.upsert_source("mfa")
        archive.upsert_source("mfa", kind="ministry")
        row = archive.db.execute("SELECT title, country, kind FROM sources").fetchone()
        assert row == ("Ministry of Foreign Affairs", "CN", "ministry")
