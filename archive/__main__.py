"""``python -m archive``: the same as the ``archive`` command."""

from archive.cli import app

app()
