"""Two years side by side: every figure with its change, and how much narrative is unchanged."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

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
