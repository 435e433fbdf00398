"""Rendering a report: the text formats through Jinja2 templates, Word through render.docx, exports."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from gkassist.errors import GkError
from gkassist.model import Report
from gkassist.render.context import build_context

TEXT_FORMATS = ("txt", "md", "html")
ALL_FORMATS = TEXT_FORMATS + ("docx", "xlsx")
FRAGMENT = "fragment"
"""The export name of the HTML body-only fragment (`<base>（网页片段）.html`), for a portal's editor."""
EXPORT_FORMATS = ALL_FORMATS + (FRAGMENT,)
FRAGMENT_SUFFIX = "（网页片段）"
_BLANK_RUNS = re.compile(r"\n{3,}")
_MD_LIST_NUMBER = re.compile(r"^(\d+)([.)])")


def _environment():
    # Imported here so that loading the package for the model or checks stays cheap.
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    from gkassist import resources
    from gkassist.jinja import make_environment

    env = make_environment(
        Environment,
        loader=FileSystemLoader(str(resources.templates_dir()), encoding="utf-8"),
        keep_trailing_newline=True,
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = _markdown_escape
    return env


_MD_INLINE = {"\\": "\\\\", "&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "\\|", "*": "\\*", "_": "\\_",
              "`": "\\`", "[": "\\[", "]": "\\]", "~": "\\~"}
_MD_INLINE_RE = re.compile("|".join(re.escape(k) for k in _MD_INLINE))


def _markdown_escape(text: object) -> str:
    """Typed text made inert inside Markdown: it reads as typed in any renderer.

    HTML's `<`, `>` and `&` become entities (a typed `<script>` or `&amp;` shows as typed, never as
    markup); emphasis, code, link and table characters are backslash-escaped; a paragraph opening
    with `#`, `>`, `=`, a bullet or `1.` would turn into a heading, a quote or a list, so its first
    character is escaped too.
    """
    text = _MD_INLINE_RE.sub(lambda m: _MD_INLINE[m.group(0)], str(text))
    if text and text[0] in "#+-=":
        return "\\" + text
    return _MD_LIST_NUMBER.sub(r"\1\\\2", text, count=1)


def render_text(report: Report, fmt: str, *, fragment: bool = False) -> str:
    """The report as txt (the published convention), md or html; GkError when it cannot be rendered.

    `fragment` (html only): the body alone with inline styles, for a portal's rich-text editor.
    """
    if fmt not in TEXT_FORMATS:
        raise GkError(f"不支持的格式“{fmt}”，可选：{'、'.join(TEXT_FORMATS)}。")
    if fragment and fmt != "html":
        raise GkError("只有网页（html）格式可以输出网页片段，请去掉 --fragment 或改用 --format html。")
    context = build_context(report)
    template = _environment().get_template(f"report.{fmt}.j2")
    text = template.render(**context, fragment=fragment)
    # Optional blocks leave runs of blank lines behind; one blank line separates paragraphs.
    text = _BLANK_RUNS.sub("\n\n", text).lstrip("\n")
    return text.rstrip("\n") + "\n"


def render_docx(report: Report) -> bytes:
    """The report as a Word document (written by gkassist.render.docx)."""
    from gkassist.render.docx import render_docx as _render

    return _render(report)


def render_xlsx(report: Report) -> bytes:
    """The three tables as an Excel workbook (written by gkassist.render.xlsx)."""
    from gkassist.render.xlsx import render_xlsx as _render

    return _render(report)


def _export_file(base: str, fmt: str) -> str:
    return f"{base}{FRAGMENT_SUFFIX}.html" if fmt == FRAGMENT else f"{base}.{fmt}"


def _export_bytes(report: Report, fmt: str) -> bytes:
    if fmt == "docx":
        return render_docx(report)
    if fmt == "xlsx":
        return render_xlsx(report)
    if fmt == FRAGMENT:
        return render_text(report, "html", fragment=True).encode("utf-8")
    return render_text(report, fmt).encode("utf-8")


def export(report: Report, folder: Path, formats: Iterable[str] = EXPORT_FORMATS) -> list[Path]:
    """Write `<年>年<机关>政府信息公开工作年度报告.<ext>` for each format into `folder`, atomically
    (the fragment as `…（网页片段）.html`)."""
    from gkassist import store

    folder = Path(folder)
    formats = list(formats)
    unknown = [f for f in formats if f not in EXPORT_FORMATS]
    if unknown:
        raise GkError(f"不支持的格式“{'、'.join(unknown)}”，可选：{'、'.join(EXPORT_FORMATS)}。")
    # Render everything first: a report that cannot be rendered leaves no partial set of files.
    outputs: list[tuple[Path, bytes]] = []
    base = store.report_basename(report)
    root = folder.resolve()
    for ext in formats:
        name = _export_file(base, ext)
        path = (folder / name).resolve()
        if path.parent != root:
            raise GkError(f"导出文件名“{name}”不在目标文件夹 {folder} 内，已拒绝写入。")
        outputs.append((path, _export_bytes(report, ext)))
    written = []
    for path, data in outputs:
        try:
            store.atomic_write_bytes(path, data, backup=False)
        except OSError as exc:
            raise GkError(f"无法写入 {path}：{exc.strerror or exc}。") from exc
        written.append(path)
    return written


__all__ = ["ALL_FORMATS", "TEXT_FORMATS", "build_context", "export", "render_docx", "render_text"]
