"""Quotations in Chinese and Russian text: the cue finders' findings, attributed.

:func:`~mfa_scraper.attribution.quotes.extract_quotes` sends text here by its script
(:func:`text_language`). The cue finders of :mod:`.cues_zh` and :mod:`.cues_ru` read
each language's own grammar of reported speech; this module turns their findings into
:class:`~mfa_scraper.items.Quote` objects whose speakers resolve to the same registry
identities as English ones ("赵立坚" and "Чжао Лицзянь" are "Zhao Lijian").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mfa_scraper.attribution.en.cues import Finding, Subject
from mfa_scraper.attribution.mentions import PeopleIndex
from mfa_scraper.attribution.quotemarks import Span, find_spans_nested
from mfa_scraper.attribution.ru import cues as cues_ru
from mfa_scraper.attribution.zh import cues as cues_zh
from mfa_scraper.items import Quote

#: Characters at least one of which any Russian or Chinese text holds: Cyrillic о е а и,
#: the Chinese comma and full stop, 的.
_SCRIPT_HINTS = ("\u043e", "\u0435", "\u0430", "\u0438", "，", "。", "的")
_HAN_RE = re.compile(r"[\u3400-\u9fff]")
_CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
_LATIN_RE = re.compile(r"[A-Za-z]")
_KANA_RE = re.compile(r"[\u3040-\u30ff]")
_FINDERS = {"zh": cues_zh, "ru": cues_ru}
_INITIALS_RE = re.compile(r"^(?:[А-ЯЁA-Z]\.\s?)+")


def text_language(text: str) -> str:
    """``zh``, ``ru`` or ``en``: which cue finder reads ``text``, by its script.

    English copy with a Chinese term or a Russian name in it stays English: a Han
    character weighs about a word, so Chinese needs a third as many Han characters
    as there are Latin letters; Russian needs more Cyrillic letters than Latin ones.
    Substring tests for the commonest Cyrillic letters and Chinese punctuation settle
    the common case, text in neither script, at a fraction of a regex scan's cost.
    """
    if not any(hint in text for hint in _SCRIPT_HINTS):
        return "en"
    latin = len(_LATIN_RE.findall(text))
    han = len(_HAN_RE.findall(text))
    if han and han * 3 >= latin:
        # Japanese shares the Han characters; its kana keep it off the Chinese finder.
        return "zh" if len(_KANA_RE.findall(text)) * 4 < han else "en"
    if len(_CYRILLIC_RE.findall(text)) > latin:
        return "ru"
    return "en"


def extract_other(
    text: str, language: str, people: PeopleIndex | None, context: Iterable[str]
) -> list[Quote]:
    """:func:`extract_quotes` for Chinese or Russian text."""
    finder_module = _FINDERS[language]
    spans = find_spans_nested(text)
    if not spans and language != "zh":
        return []  # only Chinese reports speech without marks (kind ``indirect``)
    index = people or PeopleIndex(context=context)
    if people is not None:
        for name in context:
            index.add(name)
    work = finder_module.normalise(text)  # same length: offsets hold in both
    findings = finder_module.Finder(work, spans, index.registry).findings()
    speakers = _Speakers(work, spans, index, finder_module, original=text)
    out: list[Quote] = []
    prev: Quote | None = None
    for found in findings:
        quote = Quote(quote=text[found.start : found.end], start=found.start, end=found.end,
                      kind=found.kind, cue=found.cue)  # fmt: skip
        if found.subject is not None:
            speakers.attribute(quote, found.subject)
            if found.cue and work is not text:  # the verb as written: 說, not 说
                at = work.find(found.cue, found.subject.end)
                quote.cue = text[at : at + len(found.cue)] if at >= 0 else found.cue
        elif found.inherit and prev is not None and prev.speaker and _near(text, prev, found):
            quote.speaker, quote.speaker_role, quote.speaker_org = (
                prev.speaker, prev.speaker_role, prev.speaker_org)  # fmt: skip
            quote.speaker_start, quote.speaker_end = prev.speaker_start, prev.speaker_end
            quote.cue = prev.cue
        out.append(quote)
        prev = quote
    return out


def _past_gender(verb: str | None) -> str | None:
    """``f`` or ``m`` for a Russian verb in the past ("отметила", "заявил"), else ``None``."""
    if not verb or not _CYRILLIC_RE.search(verb):
        return None
    word = verb.split()[0].lower().removesuffix("сь").removesuffix("ся")
    return "f" if word.endswith("ла") else "m" if word.endswith("л") else None


def _near(text: str, prev: Quote, found: Finding) -> bool:
    """Whether a quote without a cue follows ``prev`` closely enough to be the same voice."""
    return 0 <= found.start - prev.end <= 600 and text.count("\n", prev.end, found.start) <= 2


class _Speakers:
    """Resolves the speaker phrases of one Chinese or Russian text to registry identities."""

    def __init__(
        self, text: str, spans: list[Span], index: PeopleIndex, finder_module, original: str
    ) -> None:
        self.text = text  # as the finder read it (Chinese made simplified)
        self.original = original
        self.spans = spans
        self.index = index
        self.finder_module = finder_module
        self.named: list[tuple[int, str]] = []  # (offset, canonical name) of speakers so far
        self._mentions: list[tuple[int, str]] | None = None

    def attribute(self, quote: Quote, subject: Subject) -> None:
        """Fill the speaker fields of ``quote`` from ``subject``; nobody's words stay unnamed."""
        if not subject.speaks:
            return
        speaker, org = None, subject.org
        role = self._as_written(subject.role, subject.start, subject.end)
        if subject.pronoun:
            speaker = self.person_before(subject.start, subject.pronoun)
        elif subject.name:
            speaker = self._resolve(subject.name)
            if speaker == subject.name:  # unknown: as the page writes it (林鄭月娥)
                speaker = self._as_written(speaker, subject.start, subject.end)
            person = self.index.registry.lookup(speaker)
            if person is not None and org is None and role is not None:
                org = person.country
            if " " in speaker:
                self.index.add(speaker)
        elif subject.office and (holder := self._holder(subject, _past_gender(quote.cue))):
            speaker = holder  # "Российский министр отметил": the Russian named, not the last
        elif subject.office and self.named:
            speaker = self.named[-1][1]
        elif subject.office and (named := self.person_mentioned(subject.start, quote.cue)):
            # "Захарова: …" in the headline, then "Официальный представитель МИД подчеркнула":
            # the office stands for the person the text names, as in English.
            speaker = named
        else:
            speaker = self.original[subject.start : subject.end]
        if not speaker:
            return
        quote.speaker, quote.speaker_role, quote.speaker_org = speaker, role, org
        quote.speaker_start, quote.speaker_end = subject.start, subject.end
        named = subject.pronoun or subject.name or subject.office
        if subject.person and named:
            quote.speaker_kind = "person"
        elif subject.role and not subject.person:  # an office unnamed: 发言人, 加拿大外长
            quote.speaker_kind = "description"
        else:  # a body or an outlet: 新华社, 外交部
            quote.speaker_kind = "organization"
        if subject.person:
            self.named.append((subject.start, speaker))

    def _holder(self, subject: Subject, gender: str | None) -> str | None:
        """The person named last before an office phrase whose country, in the registry, is
        the one the phrase names ("Российский министр" after "Лавров … с Таро Коно"), and
        whose gender the verb's allows ("представитель МИД РФ подчеркнула": a woman)."""
        office_country = getattr(self.finder_module, "office_country", None)
        # the adjective may stand before the office word the finder kept ("Российский министр")
        phrase = self.text[max(0, subject.start - 24) : subject.end]
        country = office_country(phrase) if office_country else None
        if country is None:
            return None
        return self.person_before(subject.start, gender, country=country)

    def _as_written(self, words: str | None, lo: int, hi: int) -> str | None:
        """``words`` found in the finder's copy between ``lo`` and ``hi``, as the page has them."""
        if not words or self.original is self.text:
            return words
        at = self.text.find(words, lo, hi)
        return words if at < 0 else self.original[at : at + len(words)]

    def _resolve(self, name: str) -> str:
        """The canonical name; "М.В.Захарова" falls back on the surname the registry knows."""
        speaker = self.index.resolve(name)
        if self.index.registry.lookup(speaker) is None and _INITIALS_RE.match(name):
            surname = _INITIALS_RE.sub("", name)
            if self.index.registry.lookup(surname) is not None:
                return self.index.resolve(surname)
        return speaker

    def person_mentioned(self, pos: int, cue: str | None) -> str | None:
        """The person the text names last before ``pos``, else first after it; a Russian verb
        in the past tells the gender ("подчеркнула": a woman)."""
        gender = _past_gender(cue)
        before = self.person_before(pos, gender)
        if before is not None:
            return before
        after = [
            name
            for at, name in self._mentions or ()
            if at > pos and (gender is None or self.index.gender(name) in {None, gender})
        ]
        return after[0] if after else None

    def person_before(
        self, pos: int, gender: str | None, *, country: str | None = None
    ) -> str | None:
        """The person named last before ``pos`` whose gender fits he/she (他/她, он/она), and,
        given ``country``, whom the registry knows as of that country."""
        if self._mentions is None:
            found = self.finder_module.mentions(self.text, self.spans, self.index.registry)
            self._mentions = [
                (at, self._as_written(self.index.resolve(name), at, at + len(name)))
                for at, name in found
            ]
        candidates = sorted(
            [m for m in self._mentions if m[0] < pos] + [n for n in self.named if n[0] < pos]
        )
        for _, name in reversed(candidates):
            if gender and self.index.gender(name) not in {None, gender}:
                continue
            if country is not None:
                person = self.index.registry.lookup(name)
                if person is None or person.country != country:
                    continue
            return name
        return None
