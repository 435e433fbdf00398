"""The Excel writer: the three tables of a report in the official layout, one sheet each (openpyxl).

County offices collect the tables in workbooks. Each sheet is the same merged-cell `Grid` the other
formats print, under the report title and the section heading; figures are numbers (a count an
integer, the fee in 万元 a decimal), a figure nobody entered stays an empty cell, never a 0.
`gkassist.importers.xlsx` reads such a workbook back.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from decimal import Decimal

from gkassist.model import Report
from gkassist.render.context import Grid, build_report_context

__all__ = ["SHEET_NAMES", "render_xlsx"]

SHEET_NAMES = ("表二 主动公开", "表三 依申请公开", "表四 复议诉讼")
"""Sheet titles (Excel allows 31 characters and no []:*?/\\)."""

FONT = "仿宋_GB2312"
_T2_WIDTHS = (22, 14, 14, 14)
_T3_WIDTHS = (6, 9, 30) + (9,) * 7
_T4_WIDTHS = (7,) * 15


def render_xlsx(report: Report) -> bytes:
    """The report's tables as an .xlsx workbook (bytes); GkError when name or year is missing."""
    from openpyxl import Workbook

    ctx = build_report_context(report)
    wb = Workbook()
    wb.remove(wb.active)
    sheets = (
        (SHEET_NAMES[0], ctx.headings["proactive"], ctx.proactive_grid, _T2_WIDTHS),
        (SHEET_NAMES[1], ctx.headings["applications"], ctx.application_grid, _T3_WIDTHS),
        (SHEET_NAMES[2], ctx.headings["reviews"], ctx.review_grid, _T4_WIDTHS),
    )
    for name, heading, grid, widths in sheets:
        _sheet(wb.create_sheet(name), ctx.title, heading, grid, widths)
    stamp = _stamp(report)
    wb.properties.creator = "gkassist"
    wb.properties.lastModifiedBy = "gkassist"
    wb.properties.title = ctx.title[:255]
    wb.properties.created = wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return _stable(buffer.getvalue(), stamp)


def _stable(data: bytes, stamp: datetime) -> bytes:
    """The same report gives the same bytes: fixed entry times, and the modification time openpyxl
    sets to 'now' on saving put back to the report's own time."""
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              lambda m: m.group(1) + iso + m.group(2), body)
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, body)
    return out.getvalue()


def _stamp(report: Report) -> datetime:
    d = report.published
    return datetime(d.year, d.month, d.day) if d else datetime(int(report.year or 1980) + 1, 1, 1)


def _value(text: str) -> int | Decimal | str:
    """A figure as a number: counts are integers, the fee a decimal (万元)."""
    try:
        number = Decimal(text)
    except ArithmeticError:
        return text
    return int(number) if number == number.to_integral_value() and "." not in text else number


def _sheet(ws, title: str, heading: str, grid: Grid, widths: tuple[int, ...]) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    width = grid.width
    # Row 1: the report title (agency and year travel with the figures); row 2: the section heading.
    for row, text, font in ((1, title, Font(name="方正小标宋简体", size=14)),
                            (2, heading, Font(name="黑体", size=12))):
        ws.cell(row=row, column=1, value=text).font = font
        ws.cell(row=row, column=1).alignment = Alignment(horizontal="center" if row == 1 else "left",
                                                         vertical="center")
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    ws.row_dimensions[1].height = 30
    top = 3
    head_rows = len(grid.head)
    for r, placed in enumerate(grid.placed()):
        row_label = any(cell.numeric for _, cell in placed) and r >= head_rows
        for c, cell in placed:
            target = ws.cell(row=top + r, column=1 + c)
            if cell.numeric:
                target.value = None if cell.blank else _value(cell.text)
            else:
                target.value = cell.text
            target.font = Font(name=FONT, size=10)
            target.alignment = Alignment(horizontal="left" if row_label and not cell.numeric else "center",
                                         vertical="center", wrap_text=True)
            if cell.rowspan > 1 or cell.colspan > 1:
                ws.merge_cells(start_row=top + r, start_column=1 + c,
                               end_row=top + r + cell.rowspan - 1, end_column=c + cell.colspan)
    # Borders on every cell of the grid, merged or not, so the printed sheet shows the whole grid.
    for r in range(len(grid.rows)):
        for c in range(width):
            ws.cell(row=top + r, column=1 + c).border = border
    for c, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(c + 1)].width = w
    if head_rows:
        ws.print_title_rows = f"{top}:{top + head_rows - 1}"  # header rows repeat on each printed page
    ws.freeze_panes = ws.cell(row=top + head_rows, column=1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if width > 10 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
