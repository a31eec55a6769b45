"""Constructed listing pages of the MFA's current layout, built from a real page's frame.

No real listing page of the layout in use since 2022 is stored. A listing is built here from
what is seen and what is reported, and nothing else (``tests/pages/mfa/PROVENANCE.md``):

- **seen**: the header and footer of the real transcript of 17 October 2025 (navigation links
  to sections, none to documents), without its article meta lines, its ``<title>`` naming the
  section, relative asset paths one level shorter; the real breadcrumb, one level up;
- **reported**: relative links ``./YYYYMM/tYYYYMMDD_N.html``, a handful of entries a page,
  pages ``index.html``, ``index_1.html`` …;
- **assumed**: the list markup (``<div class="list1"><ul><li><a>``), no date beside the links,
  and no page count nor pager links in the markup: the case in which a crawl must guess the
  next page.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

FRAME = (
    Path(__file__).parent
    / "pages"
    / "mfa"
    / (
        "www.fmprc.gov.cn.en_t20251017_11735636_press_conference_2025-10-17_lin_jian_current_layout.html"
    )
)
BREADCRUMB_START = "<!-- 面包屑导航 -->"
FOOTER_START = "<!-- Footer  -->"
#: The article's own meta lines, which a listing does not have.
ARTICLE_META = re.compile(
    r'<meta name="(?:ArticleTitle|PubDate|ContentSource|Keywords|Author|Description|Url'
    r'|twitter:[^"]*)"'
    r"[^>]*>[ \t]*\n"
)
#: Breadcrumbs of the two sections, one level above those of their real documents.
CRUMBS = {
    "lxjzh": (
        '<a href="../../../" title="Home" class="CurrChnlCls">Home</a>&nbsp;'
        '<a href="../../" title="News" class="CurrChnlCls">News</a>&nbsp;'
        '<a href="../" title="Spokesperson’s Remarks" class="CurrChnlCls">'
        "Spokesperson’s Remarks</a>&nbsp;"
        '<a href="./" title="Regular Press Conferences" class="CurrChnlCls">'
        "Regular Press Conferences</a>"
    ),
    "fyrbt": (
        '<a href="../../" title="Home" class="CurrChnlCls">Home</a>&nbsp;'
        '<a href="../" title="News" class="CurrChnlCls">News</a>&nbsp;'
        '<a href="./" title="Spokesperson’s Remarks" class="CurrChnlCls">Spokesperson’s Remarks</a>'
    ),
}
TITLE = "Foreign Ministry Spokesperson {}’s Regular Press Conference on {}"
#: Entries of the constructed pages: the real current-layout transcripts, titled as they are.
PAGES = {
    "lxjzh/index.html": [
        ("./202510/t20251017_11735636.html", TITLE.format("Lin Jian", "October 17, 2025")),
        ("./202504/t20250430_11614172.html", TITLE.format("Guo Jiakun", "April 30, 2025")),
        ("./202405/t20240530_11347742.html", TITLE.format("Wang Wenbin", "April 22, 2024")),
    ],
    "lxjzh/index_1.html": [
        ("./202405/t20240530_11347616.html", TITLE.format("Mao Ning", "October 17, 2023")),
        ("./202405/t20240530_11347346.html", TITLE.format("Wang Wenbin", "August 15, 2022")),
    ],
    "lxjzh/empty": [],  # a page past the end that lists nothing
    "fyrbt/index.html": [
        ("./202410/t20241017_11509439.html", TITLE.format("Mao Ning", "October 17, 2024")),
    ],
}


@cache
def _frame() -> tuple[str, str]:
    page = FRAME.read_text(encoding="utf-8")
    head = ARTICLE_META.sub("", page[: page.index(BREADCRUMB_START)])
    head = re.sub(
        r"<title>.*?</title>",
        "<title>Regular Press Conferences_Ministry of Foreign Affairs of the People's Republic of "
        "China</title>",
        head,
        flags=re.DOTALL,
    )
    foot = page[page.index(FOOTER_START) :]
    return head.replace("../../../../", "../../../"), foot.replace("../../../../", "../../../")


def listing(name: str) -> bytes:
    """The constructed listing page ``name`` (a key of :data:`PAGES`), as the site would send it."""
    head, foot = _frame()
    section = name.split("/")[0]
    items = "".join(
        f'\t<li><a href="{href}" target="_blank">{title}</a></li>\n' for href, title in PAGES[name]
    )
    body = (
        f'{BREADCRUMB_START}\n<div class="breadcrumbs">\n\t{CRUMBS[section]}\n</div>\n'
        f'<div class="list1">\n<ul>\n{items}</ul>\n</div>\n'
    )
    return (head + body + foot).encode("utf-8")
