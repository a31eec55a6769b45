"""One identity per person, shared by the crawler and the archive.

:mod:`.registry` holds the known people and every spelling of their names; :mod:`.names` turns a
name as written ("Russian Foreign Minister Sergei Lavrov") into the canonical one. Nothing here
imports the crawler or touches SQL.
"""
