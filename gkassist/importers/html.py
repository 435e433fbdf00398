"""A saved web page → plain lines: paragraphs as lines, table rows as TAB-joined cells.

Tables are expanded into a grid: a cell spanning several rows is repeated in each of them, a cell
spanning several columns is kept once (its label must not be read as several cells); a table
that holds other tables is a layout table and is read as paragraphs. Only the stdlib parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from gkassist.errors import GkError

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
                  "source", "track", "wbr"})
SKIP = frozenset({"script", "style", "head", "noscript", "template", "svg", "select", "button", "iframe"})
BLOCK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
                   "blockquote", "pre", "center", "dd", "dt", "dl", "header", "footer", "main", "aside",
                   "nav", "figure", "figcaption", "form", "address", "table", "tr", "caption", "hr",
                   "body", "html", "tbody", "thead", "tfoot"})
# Opening one of these closes an open element of the same family (HTML's implied end tags).
_CLOSES = {"td": ("td", "th"), "th": ("td", "th"), "tr": ("tr", "td", "th"), "p": ("p",), "li": ("li",),
           "tbody": ("tbody", "thead", "tfoot", "tr", "td", "th"), "thead": ("tbody", "thead", "tfoot", "tr", "td", "th"),
           "tfoot": ("tbody", "thead", "tfoot", "tr", "td", "th")}
_BARRIERS = {"td": ("tr", "table"), "th": ("tr", "table"), "tr": ("table",), "p": ("td", "th", "table", "div", "li"),
             "li": ("ul", "ol", "td", "th"), "tbody": ("table",), "thead": ("table",), "tfoot": ("table",)}
MAX_DEPTH = 200
MAX_TABLE_NESTING = 32
"""Tables inside tables beyond this are no report's layout: a crafted page is refused early."""
MAX_GRID_CELLS = 100_000
"""Cells one table may expand to once its row and column spans are filled in."""
_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u3000\u200b\ufeff]+")


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)


class _TreeBuilder(HTMLParser):
    """A forgiving element tree: implied end tags, stray end tags ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]
        self.open_tables = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if tag == "table":
            self.open_tables = _table_nesting(self.open_tables + 1)
        if tag in _CLOSES:
            self._close_implied(tag)
        node = Node(tag, {k.lower(): (v or "") for k, v in attrs})
        self.stack[-1].children.append(node)
        # Past a sane depth, further elements stay empty and their text goes to the parent: a
        # malformed page must not exhaust the recursion of the walk below.
        if tag not in VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag.lower(), {k.lower(): (v or "") for k, v in attrs}))

    def _close_implied(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            name = self.stack[i].tag
            if name in _BARRIERS[tag]:
                return
            if name in _CLOSES[tag]:
                del self.stack[i:]
                return

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag == "table":
            self.open_tables = max(0, self.open_tables - 1)
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
            if tag in ("td", "th", "tr") and self.stack[i].tag == "table":
                return  # a stray end tag must not close the enclosing table

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _table_nesting(depth: int) -> int:
    if depth > MAX_TABLE_NESTING:
        raise GkError(f"网页里的表格一层套一层，超过 {MAX_TABLE_NESTING} 层，不像是一份年度报告"
                      "（可能是损坏或恶意构造的网页），未导入。")
    return depth


def _grid_bound(cells: int) -> None:
    if cells > MAX_GRID_CELLS:
        raise GkError(f"网页里有一个表格合并单元格后超过 {MAX_GRID_CELLS} 个单元格，不像是一份年度报告"
                      "（可能是损坏或恶意构造的网页），未导入。")


def _has_table(node: Node) -> bool:
    return any(isinstance(c, Node) and (c.tag == "table" or _has_table(c)) for c in node.children)


def _span(value: str) -> int:
    m = re.match(r"\s*(\d+)", value or "")
    return max(1, min(int(m.group(1)), 200)) if m else 1


class _Writer:
    """Collects lines; inline text accumulates until a block boundary."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.current: list[str] = []

    def text(self, s: str) -> None:
        self.current.append(s)

    def br(self) -> None:
        line = _SPACE.sub(" ", "".join(self.current)).strip()
        if line:
            self.lines.append(line)
        self.current = []

    def line(self, s: str) -> None:
        self.br()
        self.lines.append(s)


def _walk(node: Node, out: _Writer, pre: bool = False) -> None:
    for child in node.children:
        if isinstance(child, str):
            if pre:
                for i, part in enumerate(child.split("\n")):
                    if i:
                        out.br()
                    out.text(part)
            else:
                out.text(child)
            continue
        tag = child.tag
        if tag in SKIP:
            continue
        if tag == "br":
            out.br()
            continue
        if tag == "table" and not _has_table(child):
            out.br()
            for row in table_grid(child):
                out.line("\t".join(row))
            out.br()
            continue
        block = tag in BLOCK or tag in ("td", "th")
        if block:
            out.br()
        _walk(child, out, pre or tag == "pre")
        if block:
            out.br()


def _cell_text(node: Node) -> str:
    w = _Writer()
    _walk(node, w)
    w.br()
    return " ".join(w.lines).replace("\t", " ")


def _rows(table: Node) -> list[Node]:
    rows: list[Node] = []
    for child in table.children:
        if not isinstance(child, Node):
            continue
        if child.tag == "tr":
            rows.append(child)
        elif child.tag in ("tbody", "thead", "tfoot"):
            rows.extend(c for c in child.children if isinstance(c, Node) and c.tag == "tr")
    return rows


def table_grid(table: Node) -> list[list[str]]:
    """The table as rows of cell texts with spans expanded (rows repeated, columns kept once)."""
    grid: list[list[str]] = []
    pending: dict[int, tuple[int, str]] = {}  # column → (rows left, text) from a rowspan above
    expanded = 0
    for tr in _rows(table):
        cells = [c for c in tr.children if isinstance(c, Node) and c.tag in ("td", "th")]
        row: list[str] = []
        col = 0

        def fill_pending() -> None:
            nonlocal col
            while col in pending:
                left, text = pending[col]
                row.append(text)  # noqa: B023 — called only within this row's iteration
                if left <= 1:
                    del pending[col]
                else:
                    pending[col] = (left - 1, text)
                col += 1

        for cell in cells:
            fill_pending()
            text = _cell_text(cell)
            rowspan, colspan = _span(cell.attrs.get("rowspan", "1")), _span(cell.attrs.get("colspan", "1"))
            row.append(text)
            # The extra columns of a wide cell are only reserved: they take no text of their own.
            for k in range(colspan):
                if rowspan > 1:
                    pending[col + k] = (rowspan - 1, text if k == 0 else None)  # type: ignore[assignment]
            col += colspan
        fill_pending()
        grid.append([c for c in row if c is not None])
        expanded += len(row)
        _grid_bound(expanded)
    return grid


def html_to_lines(html: str) -> list[str]:
    """Paragraphs and table rows of an HTML page, in reading order."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    out = _Writer()
    _walk(builder.root, out)
    out.br()
    return out.lines
