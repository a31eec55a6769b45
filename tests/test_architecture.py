"""The layout stays true: the import contracts of ARCHITECTURE.md hold, and no module grows past
one idea without saying why."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 600


def test_import_contracts_hold():
    """`lint-imports` with the contracts of pyproject.toml: the archive never imports the
    crawler, the extractors never import Scrapy or SQL, layers go one way."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint)], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "broken" in result.stdout and " 0 broken" in result.stdout


def test_long_modules_say_why():
    """A module over ~600 lines opens with a paragraph saying why it stays one module."""
    unexplained = []
    for path in [*ROOT.glob("mfa_scraper/**/*.py"), *ROOT.glob("archive/**/*.py")]:
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > MAX_LINES:
            head = text[: text.find('"""', 3)] if text.startswith('"""') else ""
            if "one module" not in head.lower():
                unexplained.append(str(path.relative_to(ROOT)))
    assert not unexplained, f"over {MAX_LINES} lines without a reason at the top: {unexplained}"
