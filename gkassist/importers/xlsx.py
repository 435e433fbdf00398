"""An Excel (.xlsx) workbook → plain lines: each row's cells TAB-joined, sheets in order.

Reads the workbook `gkassist render --format xlsx` writes (the three tables on three sheets under
the title and section headings) and the common hand-made kind (one sheet, the three tables one
under another). A merged cell's text sits at its origin and the cells it covers are empty fields,
as in the published text convention, so the text importer reads the lines as it reads a .txt.
Numbers typed as numbers or as text both arrive as their printed digits.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from gkassist.errors import GkError

MAX_ROWS = 2000
"""A report's tables take well under a hundred rows; a sheet longer than this is read up to here."""
MAX_COLUMNS = 40


def xlsx_to_lines(data: bytes, name: str = "文件") -> list[str]:
    """The rows of every visible sheet, in order; a row with one filled cell is a plain line."""
    try:
        from openpyxl import load_workbook
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise GkError("读取 Excel 文件需要 openpyxl，请重新安装 gkassist。") from exc
    try:
        # data_only: a formula cell gives the value Excel saved with it, not the formula text
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise GkError(f"{name} 不是有效的 Excel（.xlsx）文件，可能已损坏。") from exc
    lines: list[str] = []
    try:
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            rows = [[_text(v) for v in row]
                    for row in sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS, values_only=True)]
            lines.extend(_sheet_lines(rows))
    except (KeyError, ValueError, TypeError, zipfile.BadZipFile) as exc:
        raise GkError(f"{name} 的工作表无法读取（{type(exc).__name__}），请在 Excel 或 WPS 中另存为 .xlsx 后再导入。") \
            from exc
    finally:
        workbook.close()
    return lines


def _sheet_lines(rows: list[list[str]]) -> list[str]:
    """A sheet's rows as lines, every row as wide as the sheet's filled width (as a tab-separated
    export of the sheet writes them): a blank cell at the end of a row is an empty field, not a
    cell that is not there — 规章 with 现行有效 left blank keeps three fields, the last empty."""
    width = max((max((i + 1 for i, c in enumerate(row) if c), default=0) for row in rows), default=0)
    out: list[str] = []
    for row in rows:
        cells = (row + [""] * width)[:width]
        filled = [c for c in cells if c]
        if not filled:
            continue
        # a title, heading or paragraph alone in the first column is a plain line
        out.append(filled[0] if len(filled) == 1 and cells[0] else "\t".join(cells))
    return out


def _text(value: object) -> str:
    """A cell as printed: 26.0 → 26, 96171.6 → 96171.6 (never 9.61716E+4), dates as 2026年1月20日."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else value
        except InvalidOperation:
            return str(value)
        if not number.is_finite():
            return ""
        text = format(number.normalize(), "f")
        return "0" if Decimal(text) == 0 else text
    if isinstance(value, datetime | date):
        return f"{value.year}年{value.month}月{value.day}日"
    return " ".join(str(value).replace("\t", " ").split())
