"""Importing a published annual report (text, saved web page, Word file, PDF) into a Report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from gkassist.errors import GkError
from gkassist.importers import detect
from gkassist.importers.text import parse_lines
from gkassist.model import Report

__all__ = ["ImportResult", "import_file", "import_text", "print_import"]

SOURCE_KINDS = {"text": "文本", "html": "网页", "docx": "Word 文件", "pdf": "PDF 文件", "xlsx": "Excel 表格"}


@dataclass
class ImportResult:
    """What an import produced: the report, and in Chinese what was found and what was not."""

    report: Report
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    source_kind: str = "text"


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


def print_import(result: ImportResult, console) -> None:
    """Print what was found, what was not, and the findings of `check` on the imported report."""
    printed = result.report.printed
    source = printed.source if printed and printed.source else "（文字）"
    console.print(f"已导入 {source}（{SOURCE_KINDS.get(result.source_kind, result.source_kind)}）", markup=False)
    if result.found:
        console.print("找到：", style="bold")
        for item in result.found:
            console.print(f"  ✓ {item}", markup=False)
    if result.missing:
        console.print("没有找到或无法读取：", style="bold")
        for item in result.missing:
            console.print(f"  ✗ {item}", markup=False)
    try:
        from gkassist.checks import check
    except ImportError:
        return
    try:
        findings = check(result.report)
    except Exception as exc:  # the import stands on its own; a checker fault must not hide it
        console.print(f"检查没有完成（{type(exc).__name__}），请用 gkassist check 再试。", markup=False)
        return
    if not findings:
        console.print("检查：没有发现问题。")
        return
    console.print(f"检查发现 {len(findings)} 处问题：", style="bold")
    for f in findings:
        severity = getattr(f.severity, "value", f.severity)
        console.print(f"  [{f.rule}] {severity} {f.location}：{f.message}", markup=False, soft_wrap=True)
