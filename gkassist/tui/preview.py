"""The chat's preview panel: the report as published (txt), laid out for a narrow panel.

The txt output separates table cells with tabs; in a panel 40–70 cells wide those lines wrapped
into an unreadable jumble. Here the narrative is wrapped to the panel's width by the Chinese rules
for line breaks (no line starts with "，" or "。"), while the tables are drawn compact and never
wrap: table 三 one line per row (short label, seven right-aligned figures under short
column names), table 四 one line per block, the small tables of 二 as label and figures. The
line where each section starts is kept so the panel can follow the question being answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

from gkassist import format as fmt
from gkassist.tui.cells import wrap
from gkassist.tui.grid import COLUMNS, column_short, fit_cells, short_label

if TYPE_CHECKING:  # the chat composes the preview's parts before the model is imported
    from gkassist.model import Report

T3_HEAD = "（本列数据的勾稽关系"
# The chat's sections (封面, 一 … 六) → the report's headings (一、总体情况 …).
SECTION_HEADING = dict(zip(("一", "二", "三", "四", "五", "六"), fmt.SECTION_HEADINGS, strict=True))


PARTS = ("封面", *SECTION_HEADING)
"""The preview's parts in order: the title and preface, then one per section."""


@dataclass
class Preview:
    """What the panel shows: one renderable per part of PARTS (each drawn in its own widget, so
    the panel can scroll exactly to the section being answered)."""

    parts: dict[str, Text] = field(default_factory=dict)


T4_SHORT = {"upheld": "维持", "corrected": "纠正", "other": "其他", "pending": "未审结", "total": "总计"}
"""Table 四's outcome columns in a word each (the full names are in the txt and Word output)."""
MIN_LABEL = 16  # cells of row label the compact table keeps at least
ORGS = "orgs"  # the five 法人或其他组织 columns added up, for a narrow panel


def _t3_cell(report: Report, row: str, col: str) -> int:
    apps = report.applications
    if col == ORGS:
        return sum(apps.cell(row, c) for c in fmt.ORG_COLUMN_KEYS)
    return apps.cell(row, col)


def _t3_lines(report: Report, width: int) -> list[Text]:
    """Table 三, one line per row. When the seven columns do not fit, the five 法人或其他组织
    columns are shown added up, so that the table never wraps or loses its 总计."""
    def layout(columns: tuple[str, ...]) -> tuple[list[int], int]:
        widths = [max(cell_len(_name(c)), *(len(str(_t3_cell(report, r.key, c))) for r in fmt.T3_DISPLAY_ROWS)) + 1
                  for c in columns]
        return widths, width - sum(widths)

    columns: tuple[str, ...] = COLUMNS
    widths, label_w = layout(columns)
    note = ""
    if label_w < MIN_LABEL:
        columns = ("natural_person", ORGS, "total")
        widths, label_w = layout(columns)
        note = "（法人等：五类法人或其他组织之和）"
    label_w = max(8, label_w)
    head = Text(" " * label_w, no_wrap=True, overflow="crop")
    for col, w in zip(columns, widths):
        name = _name(col)
        head.append(" " * (w - cell_len(name)) + name, style="bold")
    lines = [*wrap(Text("表三（单位：件）" + note, style="bold"), width), head]
    for row in fmt.T3_DISPLAY_ROWS:
        label = short_label(row, label_w - 1)
        line = Text(label + " " * (label_w - cell_len(label)), no_wrap=True, overflow="crop",
                    style="bold" if row.key == "total" else "")
        for col, w in zip(columns, widths):
            value = str(_t3_cell(report, row.key, col))
            line.append(" " * (w - len(value)) + value)
        lines.append(line)
    return lines


def _name(col: str) -> str:
    return "法人等" if col == ORGS else column_short(col)


def _t4_lines(report: Report, width: int) -> list[Text]:
    lines = [Text("表四（单位：件）", style="bold")]
    keys = (*fmt.OUTCOME_KEYS_T4, "total")
    for block, label in fmt.T4_BLOCKS:
        counts = getattr(report.reviews, block)
        name = label if block == "review" else f"{fmt.LITIGATION}·{label}"
        figures = " ".join(f"{T4_SHORT[k]}{counts.cell(k)}" for k in keys)
        lines.append(Text(fit_cells(name, width)))
        lines.append(Text(fit_cells(f"  {figures}", width)))
    return lines


def _small_table_line(line: str, width: int) -> Text:
    cells = [c for c in line.split("\t") if c.strip()]
    return Text(fit_cells("  ".join(cells), width), no_wrap=True, overflow="crop")


def build_preview(report: Report, text: str, width: int) -> Preview:
    """Lay out `text` (the txt rendering of `report`) for a panel `width` cells wide."""
    width = max(width, 30)
    chunks: dict[str, list[Text]] = {part: [] for part in PARTS}
    current = PARTS[0]
    lines = text.splitlines()
    headings = {h: s for s, h in SECTION_HEADING.items()}
    i = 0
    while i < len(lines):
        line = lines[i]
        if "\t" in line:
            block = []
            while i < len(lines) and "\t" in lines[i]:
                block.append(lines[i])
                i += 1
            if block[0].startswith(T3_HEAD):
                chunks[current] += _t3_lines(report, width)
            elif block[0].startswith(fmt.REVIEW):
                chunks[current] += _t4_lines(report, width)
            else:
                chunks[current] += [_small_table_line(b, width) for b in block]
            continue
        section = headings.get(line.strip())
        if section:
            current = section
        # The narrative is wrapped here, by the Chinese rules (tui/cells.wrap), to the lines the
        # panel draws: Textual's own wrap would start a line with "，" or "。".
        chunks[current] += wrap(Text(line, style="bold" if section else ""), width) or [Text("")]
        i += 1
    for part in PARTS[1:]:  # a blank line ends each part but the last
        while chunks[part] and not chunks[part][-1].plain.strip():
            chunks[part].pop()
    # Every line fits the width (tables made to, narrative wrapped), so the panel breaks none.
    return Preview({part: Text("\n").join(texts) for part, texts in chunks.items()})
