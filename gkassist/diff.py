"""Two years side by side: every figure with its change, and how much narrative is unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rich.console import Console
from rich.table import Table

from gkassist import format as fmt
from gkassist.carry import NARRATIVE_FIELDS
from gkassist.checks import similarity
from gkassist.model import Report
from gkassist.store import describe_field

Figure = int | Decimal | None
COPIED_SHARE = 0.8  # from this share on, a part reads as copied from last year (D11)


@dataclass(frozen=True)
class FigureRow:
    """One figure of tables 二, 三 or 四 in both years; derived totals included."""

    table: str
    field: str
    label: str
    last: Figure
    this: Figure

    @property
    def change(self) -> Figure:
        if self.last is None or self.this is None:
            return None
        return self.this - self.last

    @property
    def changed(self) -> bool:
        return self.last != self.this


@dataclass(frozen=True)
class NarrativeRow:
    """One narrative part: the share of this year's text found unchanged in last year's."""

    field: str
    label: str
    last_chars: int
    this_chars: int
    unchanged: float | None  # None when this year's text is empty

    @property
    def copied(self) -> bool:
        return self.unchanged is not None and self.unchanged >= COPIED_SHARE


@dataclass
class ReportDiff:
    last_year: int | None
    this_year: int | None
    figures: list[FigureRow] = field(default_factory=list)
    narrative: list[NarrativeRow] = field(default_factory=list)

    @property
    def changed_figures(self) -> list[FigureRow]:
        return [f for f in self.figures if f.changed]


def _figures(report: Report) -> list[tuple[str, str, str, Figure]]:
    """(table, model path, label, value) for every figure as printed; totals derived."""
    out: list[tuple[str, str, str, Figure]] = []
    p = report.proactive
    for key in ("rules", "normative"):
        for col in ("issued", "repealed", "in_force"):
            path = ("proactive", key, col)
            out.append(("二", ".".join(path), describe_field(path), getattr(getattr(p, key), col)))
    for key in ("licensing", "penalty", "enforcement", "fee"):
        path = ("proactive", key)
        out.append(("二", ".".join(path), describe_field(path), getattr(p, key)))

    t = report.applications
    for row in fmt.T3_DISPLAY_ROWS:
        for col in (*fmt.COLUMN_KEYS, "total"):
            path = ("applications", "rows", row.key, col)
            derived = row.key == "total" or col == "total"
            value = t.cell(row.key, col) if derived else t.value(row.key, col)
            out.append(("三", ".".join(path), describe_field(path), value))

    for block, _ in fmt.T4_BLOCKS:
        counts = report.reviews.block(block)
        for col in (*fmt.OUTCOME_KEYS_T4, "total"):
            path = ("reviews", block, col)
            value = counts.total if col == "total" else getattr(counts, col)
            out.append(("四", ".".join(path), describe_field(path), value))
    return out


def _text(report: Report, path: str) -> str:
    section, name = path.split(".")
    return getattr(getattr(report, section), name)


def unchanged_share(last_text: str, this_text: str) -> float | None:
    """How much of this year's text is last year's (0–1; the D11 measure); None if none this year."""
    if not this_text.strip():
        return None
    return similarity(last_text, this_text)


def diff_reports(last: Report, this: Report) -> ReportDiff:
    result = ReportDiff(last_year=last.year, this_year=this.year)
    for (table, path, label, a), (_, _, _, b) in zip(_figures(last), _figures(this)):
        result.figures.append(FigureRow(table, path, label, a, b))
    for path, label in NARRATIVE_FIELDS:
        a, b = _text(last, path), _text(this, path)
        if not a.strip() and not b.strip():
            continue
        result.narrative.append(NarrativeRow(path, label, len(a), len(b), unchanged_share(a, b)))
    return result


def _show(value: Figure) -> str:
    return "空" if value is None else str(value)


def _show_change(row: FigureRow) -> str:
    if not row.changed:
        return ""
    change = row.change
    if change is None:
        return "有变化"
    return f"+{change}" if change > 0 else str(change)


def print_diff(last: Report, this: Report, console: Console) -> ReportDiff:
    """The figures side by side (changes highlighted), then how much of each part is unchanged."""
    diff = diff_reports(last, this)
    a = f"{diff.last_year}年" if diff.last_year else "上年"
    b = f"{diff.this_year}年" if diff.this_year else "本年"

    table = Table(title=f"数字对比：{a} → {b}")
    table.add_column("项目")
    table.add_column(a, justify="right")
    table.add_column(b, justify="right")
    table.add_column("变化", justify="right")
    hidden = 0
    for row in diff.figures:
        # Table 三 has 175 cells; its 总计 column, changed cells and non-zero cells tell the story.
        if (row.table == "三" and not row.changed and not row.field.endswith(".total")
                and not row.last and not row.this):
            hidden += 1
            continue
        style = "bold yellow" if row.changed else ""
        table.add_row(row.label, _show(row.last), _show(row.this), _show_change(row), style=style)
    console.print(table)
    if hidden:
        console.print(f"表三另有 {hidden} 个单元格两年均为 0 或空，未列出。")
    changed = len(diff.changed_figures)
    console.print(f"共 {len(diff.figures)} 个数字，{changed} 个有变化。" if changed else
                  f"共 {len(diff.figures)} 个数字，两年完全相同。")

    text = Table(title="文字对比：本年文字中与上年相同的比例")
    text.add_column("部分")
    text.add_column(f"{a}字数", justify="right")
    text.add_column(f"{b}字数", justify="right")
    text.add_column("与上年相同", justify="right")
    text.add_column("")
    for row in diff.narrative:
        share = "本年为空" if row.unchanged is None else f"{row.unchanged:.0%}"
        mark = "[red]⚠ 疑似照抄上年[/]" if row.copied else ""
        text.add_row(row.label, str(row.last_chars), str(row.this_chars), share, mark)
    console.print(text)
    copied = [r for r in diff.narrative if r.copied]
    if copied:
        console.print(f"[red]有 {len(copied)} 部分与上年相同的文字达 {COPIED_SHARE:.0%} 以上，"
                      "审阅时请注意是否照抄（雷同）。[/]")
    return diff
