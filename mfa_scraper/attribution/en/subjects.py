"""Who leads the document's sentences: described subjects and the person the text is about.

"He added" after "The Iranian foreign minister also on Saturday dismissed …" means the
minister, and a quote with no cue in a story about one person is theirs. :class:`Subjects` is
the part of :class:`~.entities.Entities` that answers both from the sentences and mentions the
scan of :mod:`.entities` built (``_bounds``, ``_quoted``, ``mentions``, ``resolve``).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from mfa_scraper.attribution.en.cues import SPEAKER_NOUNS, leading_phrase, subject_of_sentence
from mfa_scraper.attribution.en.model import Entity, Speaker
from mfa_scraper.attribution.en.names import DESCRIPTION, PERSON

#: How a sentence that a description leads begins (:meth:`Entities.described_subjects`).
_LEADING_ARTICLE_RE = re.compile(r"(?:[Tt]he|[Aa]n?) ")
#: A full name set off by commas right after a description and its complement: "the
#: spokesperson of the ministry, Anurag Srivastava, said".
_NAMED_AFTER_RE = re.compile(
    r"(?:[ \t]+(?:of|for|at|in)[ \t][^,.;:\n“”\"]{1,60})?"
    r",[ \t]+([A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){1,3}),"
)
#: An opening phrase before a sentence's subject: "In his weekly briefing on Thursday, the …".
_OPENING_PHRASE_RE = re.compile(
    r"(?:In|On|At|During|After|Before|Speaking|Earlier|Later|Meanwhile|Separately)\b"
    r"[^,.;:\n“”\"]{0,80},[ \t]+"
)
#: A sentence that names its source last: "…, according to a spokesperson from the office."
_ACCORDING_TAIL_RE = re.compile(r",\s+according to\s+")


def _somebody(speaker: Speaker) -> bool:
    """A person, named or described ("senior official"): whom "he" or "she" may mean."""
    return speaker.kind == PERSON or (
        speaker.kind == DESCRIPTION and speaker.name.split()[-1].lower() in SPEAKER_NOUNS
    )


class Subjects:
    """Sentence subjects across one document (a part of ``Entities``)."""

    def described_subjects(self, lo: int, hi: int) -> list[tuple[int, Speaker]]:
        """People who lead a sentence starting in ``[lo, hi)`` by a description, resolved, in
        order: "he added" after such a sentence means them. A definite one is the person the
        document named ("The Iranian foreign minister also on Saturday dismissed …"); an
        indefinite one an unnamed source ("A senior official said …. “…,” he said")."""
        self.scan()
        bounds = self._bounds
        out = []
        for k in range(bisect_right(bounds, lo - 1), len(bounds)):
            start = bounds[k]
            if start >= hi:
                break
            if any(a <= start <= b for a, b in self._quoted):
                continue  # a sentence inside a quotation leads nothing
            end = bounds[k + 1] if k + 1 < len(bounds) else len(self.text)
            source = _ACCORDING_TAIL_RE.search(self.text, start, end)
            if source is not None:  # "Claims … are inaccurate, according to a spokesperson …"
                phrase = leading_phrase(self.text[source.end() : end], source.end())
                speaker = self.resolve(phrase[0], phrase[1]) if phrase is not None else None
                if (
                    speaker is not None
                    and _somebody(speaker)
                    and (speaker.kind == DESCRIPTION or " " in speaker.name)
                ):
                    out.append((start, speaker))  # not "according to YouGov": a one-word
                    continue  # name may be a body the entities do not know
            opening = _OPENING_PHRASE_RE.match(self.text, start, end)
            at = opening.end() if opening is not None else start  # "In his briefing, the …"
            leading = _LEADING_ARTICLE_RE.match(self.text, at)
            if leading is None:
                continue
            article = leading.group().lower()
            found = subject_of_sentence(self.text[at:end], at)
            if found is None or not found[0].lower().startswith(article):
                continue
            if not any(w[:1].islower() for w in found[0].split()[1:]):
                continue  # "The Democrats": a name, not a description
            named = _NAMED_AFTER_RE.match(self.text, found[2])
            if named is not None:  # "the spokesperson of the ministry, Anurag Srivastava, said"
                found = (named.group(1), named.start(1), named.end(1))
            speaker = self.resolve(found[0], found[1])
            if speaker is not None and _somebody(speaker):
                out.append((start, speaker))
        return out

    def main_person(self) -> Entity | None:
        """The person the document is about: named most often, at least twice."""
        counts: dict[int, tuple[int, Entity]] = {}
        for mention in self.mentions:
            if mention.entity.kind == PERSON:
                n, _ = counts.get(id(mention.entity), (0, mention.entity))
                counts[id(mention.entity)] = (n + 1, mention.entity)
        if not counts:
            return None
        n, entity = max(counts.values(), key=lambda c: c[0])
        return entity if n >= 2 or len(counts) == 1 else None
