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
            cell = ("proactive", key, col)
            out.append(("二", ".".join(cell), describe_field(cell), getattr(getattr(p, key), col)))
    for key in ("licensing", "penalty", "enforcement", "fee"):
        pair = ("proactive", key)
        out.append(("二", ".".join(pair), describe_field(pair), getattr(p, key)))

    t = report.applications
    for row in fmt.T3_DISPLAY_ROWS:
        for col in (*fmt.COLUMN_KEYS, "total"):
            t3: tuple[str, ...] = ("applications", "rows", row.key, col)
            derived = row.key == "total" or col == "total"
            value = t.cell(row.key, col) if derived else t.value(row.key, col)
            out.append(("三", ".".join(t3), describe_field(t3), value))

    for block, _ in fmt.T4_BLOCKS:
        counts = report.reviews.block(block)
        for col in (*fmt.OUTCOME_KEYS_T4, "total"):
            t4 = ("reviews", block, col)
            value = counts.total if col == "total" else getattr(counts, col)
            out.append(("四", ".".join(t4), describe_field(t4), value))
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
    for part, label in NARRATIVE_FIELDS:
        old, new = _text(last, part), _text(this, part)
        if not old.strip() and not new.strip():
            continue
        result.narrative.append(NarrativeRow(part, label, len(old), len(new), unchanged_share(old, new)))
    return result
