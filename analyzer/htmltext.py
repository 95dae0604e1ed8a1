"""Reduce HTML job descriptions (Workday job profiles, ATS exports) to plain text, keeping structure.

Block elements become line breaks, ``<li>`` items become ``- `` bullets (numbered for ``<ol>``),
headings stay on their own line, scripts and styles are dropped and entities are decoded. Uses the
standard library's tolerant :class:`html.parser.HTMLParser`, so broken markup never raises.

Examples
--------
>>> print(html_to_text("<p>You will:</p><ul><li>Own the <b>roadmap</b></li><li>Hire</li></ul>"))
You will:
- Own the roadmap
- Hire
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from html.parser import HTMLParser

_TAG_RE = re.compile(r"<\s*/?\s*(p|div|br|li|ul|ol|h[1-6]|span|b|strong|em|i|table|tr|td|a|section)\b[^>]*>",
                     re.IGNORECASE)
_BLOCK = {"p", "div", "section", "article", "header", "footer", "table", "tr", "blockquote", "pre",
          "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "hr"}
_SKIP = {"script", "style", "head", "title", "noscript", "template"}
_SPACES = re.compile(r"[ \t\u00a0\u2002\u2003\u2009]+")


def looks_like_html(text: str) -> bool:
    """True when ``text`` contains common HTML tags (plain text with a stray '<' is not HTML)."""
    return bool(_TAG_RE.search(text))


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list[int | None]] = []  # stack of [counter or None for <ul>]
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        tag = tag.lower()
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("ul", "ol"):
            self.lists.append([1 if tag == "ol" else None])
            self.parts.append("\n")
        elif tag == "li":
            marker = "- "
            if self.lists and self.lists[-1][0] is not None:
                marker = f"{self.lists[-1][0]}. "
                self.lists[-1][0] += 1
            self.parts.append("\n" + marker)
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.parts.append("\n")
        elif tag in _BLOCK or tag == "li":
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if not self.skip_depth:
            self.parts.append(data.replace("\n", " "))


@lru_cache(maxsize=4096)
def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, one block or list item per line (cached: exports repeat job
    profiles for every holder)."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    text = html.unescape("".join(parser.parts))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


class _TableExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self.open_tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None
        self.skip_depth = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        tag = tag.lower()
        if tag in _SKIP:
            self.skip_depth += 1
        elif tag == "table":
            self.open_tables.append([])
        elif tag == "tr" and self.open_tables:
            self._close_cell()
            self.open_tables[-1].append([])
        elif tag in ("td", "th") and self.open_tables:
            self._close_cell()
            if not self.open_tables[-1]:
                self.open_tables[-1].append([])
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append("\n")

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in _SKIP:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in ("td", "th", "tr"):
            self._close_cell()
        elif tag == "table" and self.open_tables:
            self._close_cell()
            self.tables.append(self.open_tables.pop())

    def handle_data(self, data: str) -> None:
        if self.cell is not None and not self.skip_depth:
            self.cell.append(data)

    def _close_cell(self) -> None:
        if self.cell is not None and self.open_tables and self.open_tables[-1]:
            text = "".join(self.cell)
            lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
            self.open_tables[-1][-1].append("\n".join(line for line in lines if line))
        self.cell = None

    def close(self) -> None:
        super().close()
        while self.open_tables:  # unclosed <table>: keep what was read
            self._close_cell()
            self.tables.append(self.open_tables.pop())


def html_tables(markup: str) -> list[list[list[str]]]:
    """Every ``<table>`` of an HTML page as rows of cell texts (outer tables after inner ones).

    Some HR systems "export to Excel" as an HTML page named ``.xls``; this reads such a page.

    >>> html_tables("<table><tr><th>Name</th><th>Title</th></tr><tr><td>Ada</td><td>PO</td></tr></table>")
    [[['Name', 'Title'], ['Ada', 'PO']]]
    """
    parser = _TableExtractor()
    parser.feed(markup)
    parser.close()
    return [[row for row in table] for table in parser.tables]
