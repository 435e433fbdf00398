"""Rendering a report: the text formats through Jinja2 templates, Word through render.docx, exports."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from gkassist.errors import GkError
from gkassist.model import Report
from gkassist.render.context import build_context

TEXT_FORMATS = ("txt", "md", "html")
ALL_FORMATS = TEXT_FORMATS + ("docx",)
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


def _markdown_escape(text: object) -> str:
    """Typed text made safe inside Markdown: a `|` would split a table cell or start a table,
    and a paragraph opening with `#`, `>`, a bullet or `1.` would turn into a heading or a list."""
    text = str(text).replace("\\", "\\\\").replace("|", "\\|")
    if text and text[0] in "#>+*-":
        return "\\" + text
    return _MD_LIST_NUMBER.sub(r"\1\\\2", text, count=1)


def render_text(report: Report, fmt: str) -> str:
    """The report as txt (the published convention), md or html; GkError when it cannot be rendered."""
    if fmt not in TEXT_FORMATS:
        raise GkError(f"不支持的格式“{fmt}”，可选：{'、'.join(TEXT_FORMATS)}。")
    context = build_context(report)
    template = _environment().get_template(f"report.{fmt}.j2")
    text = template.render(**context)
    # Optional blocks leave runs of blank lines behind; one blank line separates paragraphs.
    text = _BLANK_RUNS.sub("\n\n", text).lstrip("\n")
    return text.rstrip("\n") + "\n"


def render_docx(report: Report) -> bytes:
    """The report as a Word document (written by gkassist.render.docx)."""
    from gkassist.render.docx import render_docx as _render

    return _render(report)


def export(report: Report, folder: Path, formats: Iterable[str] = ALL_FORMATS) -> list[Path]:
    """Write `<年>年<机关>政府信息公开工作年度报告.<ext>` for each format into `folder`, atomically."""
    from gkassist import store

    folder = Path(folder)
    formats = list(formats)
    unknown = [f for f in formats if f not in ALL_FORMATS]
    if unknown:
        raise GkError(f"不支持的格式“{'、'.join(unknown)}”，可选：{'、'.join(ALL_FORMATS)}。")
    # Render everything first: a report that cannot be rendered leaves no partial set of files.
    outputs: list[tuple[Path, bytes]] = []
    base = store.report_basename(report)
    root = folder.resolve()
    for ext in formats:
        path = (folder / f"{base}.{ext}").resolve()
        if path.parent != root:
            raise GkError(f"导出文件名“{base}.{ext}”不在目标文件夹 {folder} 内，已拒绝写入。")
        data = render_docx(report) if ext == "docx" else render_text(report, ext).encode("utf-8")
        outputs.append((path, data))
    written = []
    for path, data in outputs:
        try:
            store.atomic_write_bytes(path, data, backup=False)
        except OSError as exc:
            raise GkError(f"无法写入 {path}：{exc.strerror or exc}。") from exc
        written.append(path)
    return written


__all__ = ["ALL_FORMATS", "TEXT_FORMATS", "build_context", "export", "render_docx", "render_text"]
