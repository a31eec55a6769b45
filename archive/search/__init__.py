"""Full-text search: the query language, FTS5 plans, impact lists and the top-k proof.

:mod:`.engine` answers ``archive search``, running the SQL that :mod:`.sql` writes for each
plan; :mod:`.query_language` turns a user's words into FTS5 expressions per script;
:mod:`.rank_lists` keeps each common term's best statements and :mod:`.top_k` proves a page
exact from them, with :mod:`.bm25` computing scores as FTS5 does; :mod:`.timeline` counts
hits over time.
"""
