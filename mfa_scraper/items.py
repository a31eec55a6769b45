"""The records that flow from extractors through the pipeline into the archive.

Scrapy accepts dataclass items (https://docs.scrapy.org/en/latest/topics/items.html),
so extractors build these plain objects without importing Scrapy, and the
pipeline turns them into dicts for :mod:`archive.store` with :func:`dataclasses.asdict`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Statement kinds stored in the archive.
REMARK = "remark"  # opening announcements, a speech, a statement in one's own name
ANSWER = "answer"  # an answer at a press conference
QUESTION = "question"  # a journalist's question

#: Flag of a press conference in which no question was found: its labels were not read (a
#: layout change leaves the whole transcript one remark of the spokesperson), or, rarely, a
#: conference of announcements only. The crawl's monitors count it as a transcript without
#: turns (:mod:`mfa_scraper.stats`).
NO_QUESTIONS = "no-questions"
QUOTE = "quote"  # someone's words quoted by somebody else (a question, an article)
REPORT = "report"  # an official source's own news report ("Xi Jinping met Sergey Lavrov…")


@dataclass
class Quote:
    """A quotation found in running text, with offsets into that text.

    ``start``/``end`` delimit the quoted words, quote marks excluded, so that
    ``text[start:end] == quote``. ``kind`` is ``direct`` (a full quoted
    statement) or ``partial`` (a quoted fragment inside reported speech);
    scare quotes and titles are never turned into a :class:`Quote`.
    """

    quote: str
    start: int
    end: int
    kind: str = "direct"
    speaker: str | None = None
    speaker_role: str | None = None
    speaker_org: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    #: ``person``, ``organization``, ``outlet`` or ``description`` (an unnamed source).
    speaker_kind: str | None = None


@dataclass
class Turn:
    """One labelled stretch of a transcript: who spoke, in what capacity, and what.

    ``speaker`` is a person's name, or for questions the outlet that asked
    (``Reuters``), or ``None`` when the page gives no label at all (``Q:``).
    ``quotes`` hold other people's words quoted inside this turn, with offsets
    into ``text``.
    """

    speaker: str | None
    kind: str
    text: str
    role: str | None = None
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class Document:
    """One page of a source: its metadata, clean text and the statements in it.

    Transcripts carry ``turns``; unlabelled pages (news, blogs) carry
    ``quotes`` with offsets into ``text``. ``flags`` record what could not be
    extracted (``no-date``, ``date-from-url``…) so that a partial record is
    stored honestly instead of being dropped or guessed.
    """

    url: str
    title: str
    text: str
    source: str
    language: str = "en"
    #: When the page says it was published, as it says it: ISO 8601, a date-time with the
    #: page's own offset ("2019-11-20T02:07:18+00:00") or a date.
    published: str | None = None
    author: str | None = None
    kind: str = "transcript"
    turns: list[Turn] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    #: HTTP validators of the response, for conditional re-checks (set by the spider).
    etag: str | None = None
    last_modified: str | None = None
    #: The calendar date people cite (YYYY-MM-DD), the publisher's own: a story stamped
    #: ``2019-11-20T02:07Z`` by a New York paper is of 2019-11-19. ``None``: the date part of
    #: ``published`` (site parsers give the site's local time).
    date: str | None = None

    @property
    def day(self) -> str | None:
        """The publication date: :attr:`date`, else the date part of :attr:`published`."""
        return self.date or (self.published[:10] if self.published else None)


@dataclass
class PageUnchanged:
    """A re-check of an archived page answered 304 Not Modified: only the schedule moves."""

    url: str
    etag: str | None = None
    last_modified: str | None = None


@dataclass
class PageRemoved:
    """An archived page is gone (404/410, or the site's generic "removed" page).

    The archive keeps its text and statements and records when it went.
    """

    url: str
    reason: str


@dataclass
class FetchFailed:
    """A fetch that failed after retries; kept so the next crawl retries it and stats show it."""

    url: str
    source: str
    reason: str
    status: int | None = None


@dataclass
class SectionCompleted:
    """A listing section was paged to its last page: later crawls may stop paging early."""

    url: str
    source: str
