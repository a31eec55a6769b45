"""China's Ministry of Foreign Affairs (fmprc.gov.cn / mfa.gov.cn): pages and listings.

Two layouts are understood, both tested on real pages. The 2015–2021 one
(``/mfa_eng/…/tNNNNNNN.shtml``: ``h2.title``, ``div.content``; Chinese
``#News_Body_Title``, ``#News_Body_Txt_A``), and the layout in use since 2022
(``/eng/xw/fyrbt/lxjzh/YYYYMM/tYYYYMMDD_N.html``: ``meta[name=ArticleTitle]``,
``meta[name=PubDate]``, ``div.content_text`` / ``.TRS_UEDITOR``), seen on real
English pages only; each field falls back from one hook to the next. No real
listing page of the current layout has been seen: :func:`parse_listing` reads
what its pages are reported to hold (links ``./YYYYMM/tYYYYMMDD_N.html``,
pages ``index.html``, ``index_1.html`` …) and says when it guessed the next page.

The Chinese site (``/web/…``, and since 2022 also at the root: ``/fyrbt_673021/…``)
labels its transcripts differently ("问：", "答：", "路透社记者：", "赵立坚：", "追问：")
and writes sentences that end in a colon ("这里我想强调两点："), so its labels are
read by their own, strict rules (:class:`_ChineseClassifier`): a label it does
not know stays text. Its spokesperson section also holds written remarks
(答记者问, 发表谈话): they are archived as statements, never as press-conference
transcripts.

A page the ministry removed still answers 200, with a generic "system" page;
:func:`extract_mfa_page` raises :class:`RemovedPage` for it so that it is never
archived as a statement.

Over 600 lines as one module: one site's pages and listings in two layouts and two
languages; the listings (``# -- listings`` on, with :class:`ListingEntry` and
:class:`Listing`) use nothing of the page reader and are the seam if it is split.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin, urlsplit

from lxml.etree import _Element

from mfa_scraper.items import ANSWER, NO_QUESTIONS, QUESTION, REMARK, Document, Turn
from mfa_scraper.page.dates import (
    complete_year,
    date_from_url,
    date_in_text,
    month_day_in_text,
    parse_date_line,
)
from mfa_scraper.page.encoding import decode_html
from mfa_scraper.page.html import Paragraph, element_text, paragraphs, parse_html
from mfa_scraper.page.selectors import select
from mfa_scraper.page.turns import LABEL, Break, Label, answer_after_reply, split_turns


class ExtractionError(Exception):
    """A page that cannot become a document; the spider logs the reason and skips it."""


class RemovedPage(ExtractionError):
    """The ministry's generic "page not found" page, served with status 200 for removed pages."""


#: Source name of China's MFA in the archive.
SOURCE = "mfa"
#: URL paths of the Chinese and the English site.
ZH_PATHS = ("/web/", "/mfa_chn/", "/chn/")
EN_PATHS = ("/mfa_eng/", "/eng/")
#: The Chinese site's sections also sit at the root since 2022, numbered as under ``/web/``:
#: ``/fyrbt_673021/202510/t20251017_11735526.shtml``, ``/fyrbt_673021/jzhsl_673025/…``.
ZH_ROOT_SECTION = re.compile(r"^/[a-z]+_\d{6}/")

#: Body containers, most specific first (current layout, Chinese, 2015–2021 English).
BODY_SELECTORS = (
    "#News_Body_Txt_A",
    ".TRS_UEDITOR",
    ".content_text",
    ".news-main",
    ".content_mod .content",
    "div.content",
    "#content",
)
#: Title hooks, best first.
TITLE_SELECTORS = ("h2.title", "#News_Body_Title", "h1", ".news-title", ".title")
#: Date hooks: meta tags, then date lines.
DATE_META = ("PubDate", "pubdate", "publishdate", "firstpublishedtime")
DATE_SELECTORS = ("#News_Body_Time", ".time span:last-child", ".time", ".date", ".news-date")
#: Suffixes the site appends to ``<title>``.
TITLE_SUFFIX = re.compile(
    r"\s*(?:[_—–|-]\s*)?(?:Ministry of Foreign Affairs of the People's Republic"
    r" of China|中华人民共和国外交部|Ministry of Foreign Affairs)\s*$"
)
#: Text of the generic page served for removed or unknown pages.
REMOVED_MARKERS = (
    "Sorry, the page you requested cannot be found",
    "对不起，我们没有找到您要的网页",
    "您访问的页面不存在",
    "The page you requested does not exist",
)

SPOKESPERSON_EN = re.compile(
    r"Spokesperson\s+(?P<name>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,3}?)['’]s\b"
)
SPOKESPERSON_ZH = re.compile(
    r"(?P<office>(?:外交部|中国代表团)?)发言人(?P<name>[\u4e00-\u9fff]{2,4}?)"
    r"(?:主持|答记者问|答问|就|在|的|表示|宣布|发表|\d|\s|[：:])"
)
SPOKESPERSON_ROLE = {"en": "Foreign Ministry Spokesperson", "zh": "外交部发言人"}

ANSWER_LABELS = {"a", "answer", "答", "spokesperson", "发言人"}
QUESTION_LABELS = {"q", "question", "journalist", "reporter", "foreign journalist", "问", "记者"}
FOLLOW_UP = re.compile(r"^(?:follow[- ]?up|追问)", re.IGNORECASE)
OUTLET_SUFFIX_ZH = re.compile(r"(?:记者|记者追问)$")
EN_WRITTEN_REMARKS = re.compile(
    r"\b(?:Remarks|Answers? to (?:a )?(?:Journalists?|Reporters?)['’]? Questions?|Statement|"
    r"Comments?)\b",
    re.IGNORECASE,
)
TRANSCRIPT_TITLES = re.compile(
    r"Press Conference|Briefing|记者会|吹风会|Press Availability", re.IGNORECASE
)

# -- Chinese labels (see _ChineseClassifier) --
#: "问：", "提问：": an unnamed journalist asks.
ZH_QUESTION = {"问", "提问"}
#: "追问：", "追问一：", "彭博社记者追问：": a follow-up, by the outlet named or the last asker.
ZH_FOLLOW_UP = re.compile(r"^(?:(?P<outlet>.*?)记者)?追问[一二三四五六七八九十\d]*$")
#: "记者解释：", "记者笑：": the journalist who asked speaks again.
ZH_ASKER_AGAIN = re.compile(r"^记者(?:解释|澄清|回答|笑|说|补充|点头)$")
#: "路透社记者：", "路透社记者提问：", "记者：", "会后有记者问及：", "有记者问：".
ZH_JOURNALIST = re.compile(r"^(?P<before>.*?)记者(?:提问|问及?)?$")
#: Words before "记者" that describe a journalist without naming an outlet.
ZH_UNNAMED_ASKERS = re.compile(r"^(?:会后[，,]?)?有|^会后|^(?:外国|外媒|境外)?$")
#: "外交部发言人赵立坚宣布：": the spokesperson's announcement, introduced in the third person.
ZH_ANNOUNCEMENT = re.compile(
    r"^(?:外交部|中国代表团)?发言人(?P<name>[\u4e00-\u9fff]{2,4}?)(?:宣布|表示)$"
)
#: "华春莹表示：", "会后，就《南华早报》记者所提问题，赵立坚表示：": the spokesperson answers.
ZH_NAME_SAYS = re.compile(r"(?P<name>[\u4e00-\u9fff]{2,4}?)(?:进一步)?(?:表示|答|回答|说)$")
#: "耿爽表示，…": a reported answer's lead, offered as a label (the classifier checks the name).
ZH_SAYS_LEAD = re.compile(
    r"^\s*(?P<label>[^，,：:。\n]{2,12}?(?:进一步)?表示)\s*[，,：:]\s*(?P<rest>.*)$", re.DOTALL
)
#: A Chinese label may be longer than a name-shaped one ("英国独立电视台和英国广播公司记者").
ZH_MAX_LABEL = 40
#: Titles of written remarks: a statement in the spokesperson's name, not a press conference.
ZH_WRITTEN_REMARKS = re.compile(r"发言人|答记者问|答问|谈话|表态|声明|立场")
#: "会后，有记者问及": the comma after 会后 is no sign of a sentence.
ZH_AFTER_CONFERENCE = re.compile(r"^(?:记者)?会后[，,]\s*")

# -- the end of a transcript, and questions asked after it --
#: A line of asterisks, ASCII or full-width ("****", "＊＊＊＊", "* * *"; "※※※" once): a
#: separator, not text. What follows is the Spokesperson's Office's notice, or the
#: spokesperson's closing remarks.
SEPARATOR = re.compile(r"^(?:[*＊※]\s*){3,}$")
#: The Spokesperson's Office's notice about the regular press conference: none during a
#: holiday, adjourned, moved to another hour; questions by fax or e-mail meanwhile. A
#: conference that merely resumes ("…正式恢复在蓝厅举行", a welcome back) is no notice.
NOTICE = {
    "en": re.compile(
        r"\b(?:regular|our|MFA)\s+press\s+conferences?\b[^.;]{0,120}?"
        r"\b(?:adjourn|recess|halt|suspend|postpon|cancel|will\s+(?:begin|start)\b)"
        r"|\bno\s+regular\s+press\s+conference"
        r"|\bduring\s+the\s+(?:adjournment|recess)\b[^.]{0,80}?\b(?:questions?|Spokesperson)"
        r"|Spokesperson['’]s\s+Office\b[^.]{0,100}?\b(?:fax|e-?mails?|telephone|phone)\b"
        r"|\b(?:fax|e-?mails?|telephone|phone)\b[^.]{0,100}?\bSpokesperson['’]s\s+Office\b",
        re.IGNORECASE,
    ),
    "zh": re.compile(
        r"例行记者会[^。]{0,40}?(?:休会|暂停|提前|推迟|改至|改在|取消|不举行)"
        r"|发言人办公室[^。]{0,60}?提问"
    ),
}
#: Who gives that notice, in both languages (one speaker, as the newsroom of a report is).
OFFICE = "Foreign Ministry Spokesperson's Office"
NOTICE_ROLE = "notice"
#: "The following question was raised after the press conference: …", "Question raised
#: after the press conference: …", "After the press conference, the following question was
#: raised: …", "A journalist asked the following question after the press conference:":
#: a heading that ends the answer before it and starts a question (its words after the
#: colon, if any). Chinese pages label it ("会后有记者问及："), see _ChineseClassifier.
AFTER_CONFERENCE = re.compile(
    r"^(?:(?=[^:：.?!]*\bquestions?\b)[^:：.?!]{0,100}?\b(?:raised|asked|posed|put)\b"
    r"[^:：.?!]{0,60}?\bafter\s+the\s+(?:regular\s+)?press\s+conference"
    r"|after\s+the\s+(?:regular\s+)?press\s+conference\s*,?"
    r"(?=[^:：.?!]*\bquestions?\b)[^:：.?!]{0,80}?\b(?:raised|asked|posed|put))"
    r"\s*(?:[:：.]\s*(?P<rest>.*))?$",
    re.IGNORECASE | re.DOTALL,
)
#: The labels the site's classifiers read as an unnamed question and as an answer.
QUESTION_LABEL = {"en": "Q", "zh": "问"}
ANSWER_LABEL = {"en": "A", "zh": "答"}


@dataclass
class ListingEntry:
    """A link on a listing page, with its title and its date.

    ``date`` is the date the title gives, else the one the listing prints
    beside the link; ``listed`` is the latter alone ("(2020-06-30)" on the
    Chinese listing), the site's own publication date for that document.
    """

    url: str
    title: str
    date: date | None
    listed: date | None = None


@dataclass
class Listing:
    """A listing page: its entries in page order, and the next listing page if there is one.

    ``next_guessed`` says that the page names no page count and links no further
    page, so the next one was guessed from this one's name (``index_2.html`` after
    ``index_1.html``): past the last page the site answers 404, redirects, or
    lists nothing, and the crawl stops there.
    """

    entries: list[ListingEntry]
    next_page: str | None = None
    next_guessed: bool = False


def url_language(url: str) -> str | None:
    """The language of a site URL by its path: ``/web/`` is Chinese, ``/eng/`` English.

    The Chinese site's numbered sections at the root (``/fyrbt_673021/…``, no
    ``/web/``) are Chinese too. The spider keeps the two languages apart (one
    source, two sets of sections): a Chinese crawl neither re-checks nor retries
    English pages, and back.
    """
    path = urlsplit(url).path
    if path.startswith(ZH_PATHS) or ZH_ROOT_SECTION.match(path):
        return "zh"
    if path.startswith(EN_PATHS):
        return "en"
    return None


def _section_names(url: str) -> list[str]:
    """The folders of a URL's path without the site's numbers (``fyrbt_673021`` → ``fyrbt``)."""
    folder = urlsplit(url).path.rsplit("/", 1)[0]
    return [re.sub(r"_\d+$", "", part) for part in folder.split("/") if part]


def same_section(asked: str, final: str) -> bool:
    """Whether a listing page asked for at ``asked`` and answered from ``final`` after
    redirects still lists that section: the same language, and the section's own
    folder, numbers aside, among the folders of ``final``.

    The site renumbers and moves sections (``/mfa_eng/…/2511_665403/`` to
    ``/eng/…/2511_665403/``, ``/web/wjdt_674879/fyrbt_674889/`` to
    ``/fyrbt_673021/``); a section that now redirects to another one (an unrelated
    treaties page, the home page) is not that section, and its links are not crawled
    as if it were.
    """
    languages = {url_language(asked), url_language(final)} - {None}
    names = _section_names(asked)
    return len(languages) <= 1 and bool(names) and names[-1] in _section_names(final)


def _language(url: str, tree: _Element) -> str:
    lang = (tree.get("lang") or "").lower()
    if lang.startswith("zh") or url_language(url) == "zh":
        return "zh"
    if "/zyxw/" in url and "/eng/" not in url:
        return "zh"
    return lang[:2] if lang else "en"


def _first_text(tree: _Element, selectors: Sequence[str]) -> str:
    for selector in selectors:
        for element in select(tree, selector):
            text = element_text(element)
            if text:
                return text
    return ""


def _meta(tree: _Element, *names: str) -> str:
    for name in names:
        for element in tree.xpath("//meta[@name=$n]", n=name):
            content = (element.get("content") or "").strip()
            if content:
                return content
    return ""


def is_removed_page(tree: _Element) -> bool:
    """Whether this is the ministry's generic not-found page rather than a document."""
    text = element_text(tree.find("body") if tree.find("body") is not None else tree)
    return any(marker in text for marker in REMOVED_MARKERS)


def extract_title(tree: _Element) -> str:
    """The document title: meta ``ArticleTitle``, the headline, or ``<title>`` without suffix."""
    title = _meta(tree, "ArticleTitle") or _first_text(tree, TITLE_SELECTORS)
    if not title:
        title = TITLE_SUFFIX.sub("", _first_text(tree, ("title",)))
    return " ".join(title.split())


def extract_published(
    tree: _Element, title: str, url: str, hints: Sequence[date] = ()
) -> tuple[str | None, list[str]]:
    """The publication date (ISO 8601) and flags saying where it came from.

    Order: the page's own date (meta, date line), the title, the title's month
    and day completed from ``hints``, the URL, the closest hint. Never the
    crawl time.
    """
    for value in (_meta(tree, *DATE_META), _first_text(tree, DATE_SELECTORS)):
        parsed = parse_date_line(value) if value else None
        if parsed:
            return parsed, []
    in_title = date_in_text(title)
    if in_title:
        return in_title.isoformat(), []
    month_day = month_day_in_text(title)
    if month_day:
        completed = complete_year(*month_day, hints)
        if completed:
            return completed.isoformat(), ["year-from-listing"]
    from_url = date_from_url(url)
    if from_url:
        return from_url.isoformat(), ["date-from-url"]
    if hints:
        # An undated title ("…Remarks on US House Speaker …"): the closest neighbour's date.
        return hints[0].isoformat(), ["date-from-listing"]
    return None, ["no-date"]


def _chinese_turns(body: list[Paragraph], title: str, spokesperson: str | None) -> list[Turn]:
    """Turns of a Chinese page. Unlabelled text of a page by a spokesperson is theirs:
    named in the title, announced in the body ("外交部发言人耿爽宣布："), or unnamed
    ("外交部发言人就…发表谈话": no speaker, the office as role)."""
    office = SPOKESPERSON_ZH.search(title)
    role = SPOKESPERSON_ROLE["zh"]
    if office and office.group("office") == "中国代表团":
        role = "中国代表团发言人"
    spoken_by_office = spokesperson or "发言人" in title
    opening_role = role if spoken_by_office else None
    classify = _ChineseClassifier(spokesperson, role)
    turns = split_turns(
        body,
        classify,
        opening_speaker=spokesperson,
        opening_role=opening_role,
        find_label=_chinese_label,
        find_break=_TurnBreaks(
            "zh", classify, lambda: (classify.spokesperson, opening_role, REMARK)
        ),
    )
    if classify.spokesperson and not spokesperson:
        # Announced in the body: the opening, if any, is the announcer's too.
        for turn in turns:
            if turn.kind == REMARK and turn.speaker is None and turn.role == role:
                turn.speaker = classify.spokesperson
    return turns


def spokesperson_from_title(title: str) -> str | None:
    """The spokesperson named in a title ("Foreign Ministry Spokesperson Zhao Lijian's …")."""
    match = SPOKESPERSON_EN.search(title) or SPOKESPERSON_ZH.search(title)
    return match.group("name") if match else None


def _body(tree: _Element) -> list[Paragraph]:
    for selector in BODY_SELECTORS:
        for element in select(tree, selector):
            found = paragraphs(element)
            if found:
                return found
    return []


class _Classifier:
    """What a label means on an MFA transcript.

    Answers: ``A:``, or the spokesperson's name. Questions: ``Q:``, a bold label
    (outlets are set in bold: "Reuters:"), ``Follow-up:`` (the previous
    asker again). A name-shaped label that is neither is an outlet's question.
    """

    def __init__(self, spokesperson: str | None, language: str) -> None:
        self.spokesperson = spokesperson
        self.role = SPOKESPERSON_ROLE.get(language, SPOKESPERSON_ROLE["en"])
        self.last_asker: str | None = None

    def __call__(self, label: Label) -> tuple[str | None, str | None, str] | None:
        text = label.text.strip()
        key = text.casefold()
        if key in ANSWER_LABELS:
            return self.spokesperson, self.role, ANSWER
        if self.spokesperson and key == self.spokesperson.casefold():
            return self.spokesperson, self.role, ANSWER
        if key in QUESTION_LABELS:
            self.last_asker = None
            return None, None, QUESTION
        if FOLLOW_UP.match(text):
            return self.last_asker, "journalist" if self.last_asker else None, QUESTION
        outlet = OUTLET_SUFFIX_ZH.sub("", text) or None
        if len(text.split()) > 1 and text.split()[0].casefold() in {"journalist", "the journalist"}:
            return self.last_asker, None, QUESTION
        self.last_asker = outlet
        return outlet, "journalist", QUESTION


class _ChineseClassifier:
    """What a label means on a Chinese MFA page; anything it does not know is no label.

    Answers: "答", the spokesperson's name, "华春莹表示". Announcements:
    "外交部发言人赵立坚宣布" (a remark, or an answer right after a question).
    Questions: "问", an outlet's journalist ("路透社记者", "路透社记者提问"; the
    site sets outlets in bold), an unnamed one ("记者", "会后有记者问及"),
    follow-ups ("追问", "彭博社记者追问") and the asker again ("记者解释").
    Unlike English pages, Chinese answers are full of colons ("这里我想强调两点：",
    "中方宣布，自即日起："): such a sentence is not a label and stays in its turn.
    """

    def __init__(self, spokesperson: str | None, role: str) -> None:
        self.spokesperson = spokesperson
        self.role = role
        self.last_asker: str | None = None
        self.last_kind: str | None = None

    def __call__(self, label: Label) -> tuple[str | None, str | None, str] | None:
        meaning = self._meaning(" ".join(label.text.split()), label.bold)
        if meaning is not None:
            self.last_kind = meaning[2]
        return meaning

    def _meaning(self, text: str, bold: bool) -> tuple[str | None, str | None, str] | None:
        if text in ANSWER_LABELS or text == self.spokesperson:
            return self.spokesperson, self.role, ANSWER
        announced = ZH_ANNOUNCEMENT.match(text)
        if announced and self.spokesperson in (None, announced.group("name")):
            self.spokesperson = announced.group("name")
            kind = ANSWER if self.last_kind == QUESTION else REMARK
            return self.spokesperson, self.role, kind
        says = ZH_NAME_SAYS.search(text)
        if says and self.spokesperson and says.group("name").endswith(self.spokesperson):
            return self.spokesperson, self.role, ANSWER
        if text in ZH_QUESTION:
            self.last_asker = None
            return None, None, QUESTION
        if ZH_ASKER_AGAIN.match(text):
            return self.last_asker, "journalist" if self.last_asker else None, QUESTION
        follow_up = ZH_FOLLOW_UP.match(text)
        if follow_up:
            if follow_up.group("outlet"):
                self.last_asker = follow_up.group("outlet")
            return self.last_asker, "journalist" if self.last_asker else None, QUESTION
        journalist = ZH_JOURNALIST.match(text)
        if journalist and not re.search(r"[，,。？?！!（(]", ZH_AFTER_CONFERENCE.sub("", text)):
            before = journalist.group("before")
            if ZH_UNNAMED_ASKERS.search(before):
                self.last_asker = None
                return None, None, QUESTION
            if bold:  # outlets are set in bold; "我想告诉这位记者：" is a sentence
                self.last_asker = before
                return before, "journalist", QUESTION
        return None


class _TurnBreaks:
    """Where a paragraph without a label ends the turn before it (a :data:`BreakFinder`).

    - A separator of asterisks ends the transcript proper; it is no text. What
      follows is the spokesperson's again (closing remarks, a farewell), as a remark.
    - The Spokesperson's Office's notice (:data:`NOTICE`: no press conference
      during a holiday, questions by fax) is the office's remark, not the last
      answer; it comes after a separator or, on many pages, with none.
    - "The following question was raised after the press conference: …" starts
      an unnamed question.
    - After a question set in bold, a plain paragraph is the answer, printed
      without "答：" (Chinese follow-ups: "追问：…" in bold, then the answer);
      inside an answer, a paragraph in bold that ends in a question mark is the
      next question, printed without a label ("二、据报道，…？").

    Questions and answers are classified by the page's own classifier, through
    the labels it knows ("Q", "问", "A", "答"), so it keeps track of who asked.
    """

    def __init__(
        self,
        language: str,
        classify: Callable[[Label], tuple[str | None, str | None, str] | None],
        remark: Callable[[], tuple[str | None, str | None, str]],
    ) -> None:
        self.language = language
        self.classify = classify
        self.remark = remark
        self.notice = NOTICE[language]

    def _as(self, labels: dict[str, str], bold: bool) -> tuple[str | None, str | None, str]:
        meaning = self.classify(Label(labels[self.language], bold))
        assert meaning is not None  # "Q", "问", "A" and "答" are every classifier's labels
        return meaning

    def __call__(
        self, paragraph: Paragraph, current: Turn | None, held: Sequence[Paragraph]
    ) -> Break | None:
        text = paragraph.text
        if SEPARATOR.match(text):
            return Break(self.remark())
        heading = AFTER_CONFERENCE.match(text) if self.language == "en" else None
        if heading:
            return Break(self._as(QUESTION_LABEL, True), heading.group("rest") or "")
        kind = current.kind if current is not None else None
        in_notice = current is not None and current.role == NOTICE_ROLE
        if kind != QUESTION and self.notice.search(text):
            return None if in_notice else Break((OFFICE, NOTICE_ROLE, REMARK), text)
        if in_notice:
            return Break(self.remark(), text)
        plain = not paragraph.bold_start and not paragraph.bold_end
        if kind == QUESTION and plain and held and all(p.bold_end for p in held):
            return Break(self._as(ANSWER_LABEL, False), text)
        bold = paragraph.bold_start and paragraph.bold_end
        if kind == ANSWER and bold and text.rstrip().endswith(("？", "?")):
            return Break(self._as(QUESTION_LABEL, True), text)
        return None


def _chinese_label(paragraph: Paragraph) -> tuple[Label, str] | None:
    """The label a Chinese paragraph starts with: like :func:`label_candidate`, but longer.

    Outlets can be long ("英国独立电视台和英国广播公司记者"), so any text before the
    first colon, up to :data:`ZH_MAX_LABEL` characters, is offered; the strict
    :class:`_ChineseClassifier` decides. After "会后有记者问及：" the answer may be
    reported ("耿爽表示，我们注意到…"): that lead is offered too. A time
    ("提前至14:00") is no label.
    """
    match = ZH_SAYS_LEAD.match(paragraph.text) or LABEL.match(paragraph.text)
    if not match:
        return None
    label, rest = match.group("label").strip(), match.group("rest")
    if not label or len(label) > ZH_MAX_LABEL or (label[-1].isdigit() and rest[:1].isdigit()):
        return None
    return Label(label, paragraph.bold_start), rest


def _kind(
    title: str, language: str, turns: list[Turn], spokesperson: str | None
) -> tuple[str, list[Turn]]:
    """The document kind, and the turns kept for it.

    A press conference ("…记者会", "…Press Conference") is a transcript. On the
    Chinese site, written remarks (答记者问, 发表谈话, an announcement "外交部发言人
    赵立坚宣布：") are statements with their question and answer turns. An English
    page with labels is a transcript, as before. A page of nobody's words is
    news: its turns are dropped and its quotes found downstream.

    English remarks ("Foreign Ministry Spokesperson Geng Shuang's Remarks on …", often
    a "Q:"/"A:" exchange) are statements too, as their Chinese versions are: the two
    versions of one text must be of one kind to be paired.
    """
    if TRANSCRIPT_TITLES.search(title):
        return "transcript", turns
    if language == "zh":
        spoken = any(turn.speaker for turn in turns if turn.kind != QUESTION)
        if spokesperson or spoken or ZH_WRITTEN_REMARKS.search(title):
            return "statement", turns
        return "news", []
    if spokesperson or EN_WRITTEN_REMARKS.search(title):
        return "statement", turns
    if any(turn.kind != REMARK for turn in turns):
        return "transcript", turns
    return "news", []


def extract_mfa_page(
    body: bytes | str,
    url: str,
    *,
    encoding: str | None = None,
    date_hints: Sequence[date] = (),
) -> Document:
    """A China MFA page as a :class:`Document` with its speaker turns.

    Args:
        body: the page as received.
        url: its URL (a date may be read from it; the current layout has one).
        encoding: the charset of the HTTP response, if it gave one.
        date_hints: dates of the neighbouring entries on the listing page, to
            complete a title date that lacks its year.

    Raises:
        RemovedPage: the generic page the ministry serves for removed documents.
        ExtractionError: the body is empty or not HTML.
    """
    tree = parse_html(decode_html(body, encoding))
    if tree is None:
        raise ExtractionError(f"empty or unreadable page: {url}")
    if is_removed_page(tree):
        raise RemovedPage(f"removed page (the site's generic not-found page): {url}")
    title = extract_title(tree)
    language = _language(url, tree)
    published, flags = extract_published(tree, title, url, date_hints)
    body_paragraphs = _body(tree)
    if not body_paragraphs:
        flags.append("no-body")
    spokesperson = spokesperson_from_title(title)
    if language == "zh":
        turns = _chinese_turns(body_paragraphs, title, spokesperson)
    else:
        role = SPOKESPERSON_ROLE["en"] if spokesperson else None
        classify = _Classifier(spokesperson, language)
        turns = split_turns(
            body_paragraphs,
            classify,
            opening_speaker=spokesperson,
            opening_role=role,
            find_break=_TurnBreaks("en", classify, lambda: (spokesperson, role, REMARK)),
        )
    kind, turns = _kind(title, language, answer_after_reply(turns), spokesperson)
    if kind == "transcript" and not any(turn.kind == QUESTION for turn in turns):
        flags.append(NO_QUESTIONS)  # a press conference whose questions were not found
    return Document(
        url=url,
        title=title,
        text="\n\n".join(p.text for p in body_paragraphs if not SEPARATOR.match(p.text)),
        source=SOURCE,
        language=language,
        published=published,
        kind=kind,
        turns=turns,
        flags=flags,
    )


# -- listings -----------------------------------------------------------------------

COUNT_PAGE = re.compile(r"var\s+countPage\s*=\s*(\d+)")
#: Links to documents: ``./t1789509.shtml`` (2015–2021) or ``./202407/t20240715_11453678.html``.
DOCUMENT_LINK = re.compile(r"(?:^|/)(?:\d{6}/)?t\d{5,}(?:_\d+)?\.s?html?$")
LISTING_PAGE = re.compile(r"(?:^|/)(?:default|index)(?:_(\d+))?\.s?html?$")


def listing_page_urls(url: str, page_count: int) -> list[str]:
    """URLs of pages 2…N of a listing: ``default_1.shtml`` or ``index_1.html`` onwards."""
    match = re.search(r"(default|index)(?:_\d+)?\.(s?html?)$", url)
    if match:
        stem, extension = match.group(1), match.group(2)
        base = url[: match.start()]
    else:
        base = url if url.endswith("/") else url + "/"
        stem, extension = "index", "html"
    return [f"{base}{stem}_{n}.{extension}" for n in range(1, page_count)]


def page_number(url: str) -> int:
    """0 for ``default.shtml``/``index.html``, N for ``default_N.shtml``/``index_N.html``."""
    match = LISTING_PAGE.search(url.split("?")[0])
    return int(match.group(1)) if match and match.group(1) else 0


def parse_listing(body: bytes | str, url: str, *, encoding: str | None = None) -> Listing:
    """The documents a listing page links to (in page order) and the next listing page.

    The page count comes from the ``countPage`` script variable of the 2015–2021
    layout; without it, links to further listing pages in the markup are used,
    so a listing that changes its pager still pages. A page with neither (the
    current layout's pager is reported to be written by a script) that lists
    documents gets the next page guessed from its name, marked ``next_guessed``.

    Entries are the links to documents of the listing's own section when it has
    any (``./202510/t20251017_11735636.html``); links elsewhere (a sidebar's
    latest news) are dropped then. An entry's URL has no query string or fragment.
    """
    text = decode_html(body, encoding)
    tree = parse_html(text)
    if tree is None:
        return Listing([])
    entries: list[ListingEntry] = []
    seen: set[str] = set()
    later_pages: list[str] = []
    current = page_number(url)
    section = url.split("?")[0].rsplit("/", 1)[0]
    for anchor in tree.iter("a"):
        href = (anchor.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "#", "mailto:")):
            continue
        absolute = urljoin(url, href).split("#")[0]
        path = absolute.split("?")[0]
        if DOCUMENT_LINK.search(path):
            # A document is its path: the ministry's pages are static files, and a query
            # string (a tracker, a pager minting "?from=N") would make one transcript many.
            if path not in seen:
                seen.add(path)
                title = " ".join(element_text(anchor).split()) or (anchor.get("title") or "")
                listed = _listed_date(anchor)
                entries.append(ListingEntry(path, title, date_in_text(title) or listed, listed))
        elif (
            LISTING_PAGE.search(path)
            and path.rsplit("/", 1)[0] == section
            and page_number(path) > current
        ):
            later_pages.append(absolute)
    folder = urlsplit(section).path + "/"  # on either host of the site
    own = [entry for entry in entries if urlsplit(entry.url).path.startswith(folder)]
    if own:
        entries = own
    count = COUNT_PAGE.search(text)
    guessed = False
    if count:
        # Only the next page is built: a broken page may declare countPage = 300000000.
        pages = listing_page_urls(url, min(int(count.group(1)), current + 2))
        next_page = pages[current] if current < len(pages) else None
    else:
        next_page = min(later_pages, key=page_number, default=None)
        if next_page is None and entries:
            next_page, guessed = listing_page_urls(url, current + 2)[current], True
    return Listing(entries, next_page, guessed)


#: How much text after a link is read for the date the listing prints beside it.
LISTED_DATE_SPAN = 40


def _listed_date(anchor: _Element) -> date | None:
    """The date printed right after a listing link, up to the next link.

    The Chinese listing writes ``<a …>title</a>(2020-06-30)``; other layouts
    put it in a ``<span>`` beside the link, or in full-width brackets
    ("（2020-06-17）").
    """
    texts = [anchor.tail or ""]
    for sibling in anchor.itersiblings():
        if isinstance(sibling.tag, str):
            if sibling.tag == "a" or sibling.find(".//a") is not None:
                break  # the next entry
            texts.append(element_text(sibling))
        texts.append(sibling.tail or "")
    text = " ".join(texts).strip()[:LISTED_DATE_SPAN]
    return date_in_text(text) if text else None


_DOCUMENT_NUMBER = re.compile(r"t(\d+)(?:_(\d+))?\.s?html?$")


def _document_number(url: str) -> int | None:
    match = _DOCUMENT_NUMBER.search(url.split("?")[0])
    return int(match.group(2) or match.group(1)) if match else None


def neighbour_dates(entries: Sequence[ListingEntry], index: int, window: int = 3) -> list[date]:
    """Dates of the nearest dated entries around ``entries[index]``, closest first.

    "Closest" is by document number where the site numbers documents in
    sequence (``t1686638`` sits next to ``t1686637``), else by position on the
    page; the first hint is then the best guess for an undated title.
    """
    found: list[tuple[int, int, date]] = []
    number = _document_number(entries[index].url)
    for step in (-1, 1):
        taken = 0
        position = index + step
        while 0 <= position < len(entries) and taken < window:
            entry = entries[position]
            if entry.date:
                other = _document_number(entry.url)
                gap = abs(other - number) if number is not None and other is not None else 0
                found.append((gap, abs(position - index), entry.date))
                taken += 1
            position += step
    return [day for _, _, day in sorted(found, key=lambda item: (item[0], item[1]))]


def listing_hints(entries: Sequence[ListingEntry], index: int) -> list[date]:
    """Date hints for the document of ``entries[index]``: the date the listing prints
    beside it, if any, then its neighbours' (:func:`neighbour_dates`)."""
    own = entries[index].listed
    neighbours = neighbour_dates(entries, index)
    return [own, *[d for d in neighbours if d != own]] if own else neighbours
