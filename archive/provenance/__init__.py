"""Where it was said first: quotations traced to their originals, bilingual briefings paired.

:mod:`.trace` answers ``archive trace`` from :mod:`.candidates` and :mod:`.similarity`;
:mod:`.pairing` finds the same briefing in two languages and :mod:`.align` aligns its turns
by the clues :mod:`.turn_scores` weighs; :mod:`.linking` runs both after a crawl
(``archive link``).
"""
