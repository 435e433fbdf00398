"""Importing a published annual report (text, saved web page, Word file, PDF) into a Report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.importers import detect
from gkassist.importers.text import parse_lines
from gkassist.model import Report

__all__ = ["ImportResult", "TableSummary", "import_file", "import_text", "summarize"]

SOURCE_KINDS = {"text": "文本", "html": "网页", "docx": "Word 文件", "pdf": "PDF 文件", "xlsx": "Excel 表格"}


@dataclass
class TableSummary:
    """How much of one table an import got: cells read as printed, split by arithmetic, 待核对,
    out of the cells the table has; and whether its 勾稽关系 hold (None: not checkable)."""

    name: str
    expected: int
    read: int = 0
    split: int = 0
    pending: int = 0
    arithmetic: bool | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def got(self) -> int:
        return self.read + self.split

    @property
    def complete(self) -> bool:
        """Every cell has its figure and nothing in the table contradicts its sums."""
        return self.got == self.expected and self.pending == 0 and self.arithmetic is not False

    def line(self) -> str:
        """The table's summary line, in Chinese (without the ✓/✗ mark)."""
        parts = [f"{self.name}：读到 {self.got}/{self.expected} 格"]
        if self.split:
            parts.append(f"其中 {self.split} 格按勾稽关系拆分")
        if self.pending:
            parts.append(f"{self.pending} 格待核对")
        blank = self.expected - self.got - self.pending
        if blank:
            parts.append(f"{blank} 格空白或未找到")
        if self.arithmetic is True:
            parts.append("勾稽关系成立")
        elif self.arithmetic is False:
            parts.append("勾稽关系不成立（" + "；".join(self.problems[:3]) + "）")
        return "，".join(parts)


TABLE_CELLS: dict[str, tuple[str, list[str]]] = {
    "t2": ("表二",
           [f"t2.{k}.{c}" for k in ("rules", "normative") for c in ("issued", "repealed", "in_force")]
           + [f"t2.{k}" for k in ("licensing", "penalty", "enforcement", "fee")]),
    "t3": ("表三", [f"t3.{r.key}.{c}" for r in fmt.T3_DISPLAY_ROWS for c in (*fmt.COLUMN_KEYS, "total")]),
    "t4": ("表四", [f"t4.{b}.{c}" for b, _ in fmt.T4_BLOCKS for c in (*fmt.OUTCOME_KEYS_T4, "total")]),
}
_SUM_RULES = {"t3": ("R1", "R2", "R3"), "t4": ("R4",)}


def summarize(report: Report, findings: list | None = None) -> list[TableSummary]:
    """Per table: cells read / split / 待核对 out of those expected, and whether the sums hold
    (from `check`'s R1–R4 findings, passed in or computed here)."""
    status = report.printed.cell_status if report.printed else {}
    if findings is None:
        from gkassist.checks import check

        findings = check(report)
    out = []
    for table, (name, cells) in TABLE_CELLS.items():
        s = TableSummary(name, len(cells))
        for cid in cells:
            st = status.get(cid)
            if st in ("read", "confirmed"):  # confirmed: the clerk settled a 待核对 cell
                s.read += 1
            elif st == "split":
                s.split += 1
            elif st == "pending":
                s.pending += 1
        rules = _SUM_RULES.get(table)
        if rules and s.got:
            s.problems = [f"{f.rule} {f.location}" for f in findings
                          if f.rule in rules and f.location.startswith(name)
                          and getattr(f.severity, "value", f.severity) == "错误"]
            s.arithmetic = not s.problems
        out.append(s)
    return out


@dataclass
class ImportResult:
    """What an import produced: the report, in Chinese what was found and what was not, and per
    table how many of its cells were read (`tables`, see `summarize`)."""

    report: Report
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    source_kind: str = "text"
    tables: list[TableSummary] = field(default_factory=list)
    findings: list = field(default_factory=list)
    """`check`'s findings on the imported report."""

    def __post_init__(self) -> None:
        if not self.tables:
            from gkassist.checks import check

            self.findings = check(self.report)
            self.tables = summarize(self.report, self.findings)


def import_text(text: str, source: str = "") -> ImportResult:
    """Import a report given as plain text (TAB- or space-separated tables)."""
    if not isinstance(text, str) or not text.strip():
        raise GkError(f"{source or '这段文字'} 是空的，没有可导入的内容。")
    parsed = parse_lines(text, source)
    return ImportResult(parsed.report, parsed.found, parsed.missing, "text")


def import_file(path: Path | str) -> ImportResult:
    """Import a .txt/.md, .html/.htm (or .mht), .docx, .pdf or .xlsx report; GkError (naming the file) when it cannot be."""
    path = Path(path)
    name = path.name or str(path)
    data = detect.read_bytes(path)
    kind = detect.kind_of(path, data)
    try:
        if kind == "docx":
            from gkassist.importers.docx import docx_to_lines

            lines = docx_to_lines(data, name)
            text = "\n".join(lines)
            if not text.strip():
                raise GkError(f"{name} 里没有文字，没有可导入的内容。")
            parsed = parse_lines(text, name, lines)
        elif kind == "xlsx":
            from gkassist.importers.xlsx import xlsx_to_lines

            lines = xlsx_to_lines(data, name)
            text = "\n".join(lines)
            if not text.strip():
                raise GkError(f"{name} 里没有内容，没有可导入的表格。")
            parsed = parse_lines(text, name, lines)
        elif kind == "pdf":
            from gkassist.importers.pdf import pdf_to_lines

            # PDF prose is hard-wrapped like copied text: the text route joins its lines into paragraphs.
            text = "\n".join(pdf_to_lines(data, name))
            if not text.strip():
                raise GkError(f"{name} 里没有文字，没有可导入的内容。")
            parsed = parse_lines(text, name)
        elif kind in ("html", "mhtml"):
            from gkassist.importers.html import html_to_lines

            page = detect.mhtml_html(data, name) if kind == "mhtml" else detect.decode(data, name)
            lines = html_to_lines(page)
            kind = "html"
            text = "\n".join(lines)
            if not text.strip():
                raise GkError(f"{name} 里没有文字，没有可导入的内容。")
            parsed = parse_lines(text, name, lines)
        else:
            parsed = parse_lines(detect.decode(data, name), name)
    except GkError as exc:
        if name not in exc.message:
            raise GkError(f"{name}：{exc.message}", path=str(path)) from exc
        raise
    return ImportResult(parsed.report, parsed.found, parsed.missing, kind)
