"""Next year's draft from last year's report: what is carried, what moves on, what starts empty."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.model import ApplicantRow, DraftState, LastYear, Report, cell_id
from gkassist.numbers import chinese_int

# Why a carried value waits for the clerk; the interview and the TUI show these.
CARRIED_ROW_NOTE = "由上年结转下年度继续办理自动带入"
CARRIED_TEXT_NOTE = "上年内容，待确认"
FOLLOWUP_QUESTION = "今年整改得怎么样？"
CARRIED_ROW_PATH = "applications.rows.carried"
FOLLOWUP_PATH = "problems.followup"
# Shown to the clerk only: the base itself is kept typed in draft.last_year.in_force.
_IN_FORCE_NOTE = "上年{label}现行有效{base}件；今年建议为 {base} + 本年制发 − 本年废止，请确认"
_DOCUMENT_ROWS = {"rules": fmt.ROW_RULES, "normative": fmt.ROW_NORMATIVE}

# Narrative fields carried as drafts: (model path, how the clerk knows the spot).
NARRATIVE_FIELDS: tuple[tuple[str, str], ...] = (
    ("overview.lead", f"{fmt.SECTION_LABEL['overview']}（开头）"),
    *((f"overview.{key}", f"{fmt.SECTION_LABEL['overview']} {label}") for key, label in fmt.OVERVIEW_PARTS),
    ("problems.problems", f"{fmt.SECTION_LABEL['problems']} {fmt.PROBLEMS_HEAD}"),
    ("problems.improvements", f"{fmt.SECTION_LABEL['problems']} {fmt.IMPROVEMENTS_HEAD}"),
    *((f"other.{'fee_statement' if key == 'fee' else key}", f"{fmt.SECTION_LABEL['other']} {label}")
      for key, label in fmt.OTHER_ITEMS),
)

_HAN_DIGITS = "〇一二三四五六七八九"
# A year written before 年 (2024年, 2024 年, 二〇二四年), not part of a longer number, and not
# the year of a fixed event such as a law's revision (（2019年修订）), which never moves.
_YEAR = re.compile(
    r"(?<![0-9０-９])(?P<num>\d{4})(?P<sp>\s?)年(?!修订|修正|修改|版)"
    r"|(?P<han>[〇零一二三四五六七八九]{4})年(?!修订|修正|修改|版)"
)


# A figure stated in running text (26件, 3.5万元, 80%); years and dates are not figures.
_FIGURE = re.compile(r"(?<![0-9.])\d+(?:\.\d+)?\s*(?:件|条|次|人次|个|万元|元|期|场|篇|项|份|家|户|%|％)")


@dataclass
class CarryResult:
    """The new year's draft, every spot where carried text was changed, and carried parts that
    state last year's figures (they must be rewritten with this year's, R6)."""

    report: Report
    changes: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)


def _han_year(year: int) -> str:
    return "".join(_HAN_DIGITS[int(d)] for d in str(year))


def _han_to_int(text: str) -> int:
    """二〇二四 → 2024 (the year pattern admits only four Chinese digits)."""
    return chinese_int(text, digitwise=True) or 0


def move_years(text: str, last_year: int, where: str) -> tuple[str, list[str]]:
    """Move the years that meant "this year" (and "next year") on by one.

    In last year's text `last_year`年 is the report year and `last_year+1`年 the year of its plans
    and its publication; both keep that meaning in the new draft. Earlier years are history and stay.
    Returns the new text and one Chinese line per changed spot.
    """
    moves = {last_year: last_year + 1, last_year + 1: last_year + 2}
    changes: list[str] = []

    def repl(m: re.Match[str]) -> str:
        if m.group("han"):
            old = _han_to_int(m.group("han"))
            if old not in moves:
                return m.group(0)
            new_text = _han_year(moves[old]) + "年"
        else:
            old = int(m.group("num"))
            if old not in moves:
                return m.group(0)
            new_text = f"{moves[old]}{m.group('sp')}年"
        changes.append(f"{where}：{m.group(0)} → {new_text}（第{len(changes) + 1}处）")
        return new_text

    return _YEAR.sub(repl, text), changes


def _get(report: Report, path: str) -> str:
    section, name = path.split(".")
    return getattr(getattr(report, section), name)


def _set(report: Report, path: str, value: str) -> None:
    section, name = path.split(".")
    setattr(getattr(report, section), name, value)


def carry_forward(last: Report) -> CarryResult:
    """Next year's draft: front matter and narrative carried (years moved on, marked 待确认),
    上年结转 taken from last year's 结转, every other figure empty."""
    if last.year is None:
        raise GkError("上年报告没有填写年度，无法生成下一年的底稿。请先补上年度。")
    if last.year >= 2100:
        raise GkError(f"上年报告的年度 {last.year} 不合理，无法生成下一年的底稿。")
    last_year: int = last.year
    year = last_year + 1
    changes: list[str] = []
    to_confirm: dict[str, str] = {}

    def moved(text: str, where: str) -> str:
        new, spots = move_years(text, last_year, where)
        changes.extend(spots)
        # Text copied from another kind of unit (我乡 in a 镇) is corrected now, not carried on.
        new, words = fmt.correct_self_words(last.agency.kind, new, last.agency.name)
        changes.extend(f"{where}：自称“{old}” → “{own}”（{n}处）" for old, own, n in words)
        return new

    report = Report(
        agency=last.agency.model_copy(deep=True),
        year=year,
        contact=moved(last.contact, "联系方式"),
        preface=moved(last.preface, "前言"),
    )
    report.problems.layout = last.problems.layout

    figures: list[str] = []
    for path, where in NARRATIVE_FIELDS:
        text = _get(last, path)
        if text.strip():
            _set(report, path, moved(text, where))
            to_confirm[path] = CARRIED_TEXT_NOTE
            stated = [m.group(0).replace(" ", "") for m in _FIGURE.finditer(text)]
            if stated:
                shown = "、".join(stated[:4]) + ("等" if len(stated) > 4 else "")
                figures.append(f"{where}：含上年的数字（{shown}），请改为今年的数字")

    # R5: this year's 上年结转 is last year's 结转, cell by cell; blank stays blank.
    report.applications.rows["carried"] = ApplicantRow(**last.applications.row("carry_next").values())
    to_confirm[CARRIED_ROW_PATH] = CARRIED_ROW_NOTE

    for key, label in _DOCUMENT_ROWS.items():
        base = getattr(last.proactive, key).in_force
        if base is not None:
            to_confirm[f"proactive.{key}.in_force"] = _IN_FORCE_NOTE.format(label=label, base=base)

    if last.problems.problems.strip():
        to_confirm[FOLLOWUP_PATH] = f"上年提出的问题：{last.problems.problems.strip()} {FOLLOWUP_QUESTION}"

    report.draft = DraftState(to_confirm=to_confirm, carried_from=last.year,
                              last_year=last_year_state(last, [*changes, *figures]))
    return CarryResult(report=report, changes=changes, figures=figures)


def last_year_state(last: Report, notes: list[str]) -> LastYear:
    """What a re-run keeps of last year, typed: the bases of R9 and R5, every figure by cell id,
    the narrative texts, and what `new-year` told the clerk."""
    apps = last.applications
    figures: dict[str, int | None] = {}
    for key in _DOCUMENT_ROWS:
        counts = getattr(last.proactive, key)
        for col in ("issued", "repealed", "in_force"):
            figures[cell_id("t2", key, col)] = getattr(counts, col)
    for key in ("licensing", "penalty", "enforcement"):
        figures[cell_id("t2", key)] = getattr(last.proactive, key)
    for row in fmt.ROW_KEYS:
        for col, value in apps.row(row).values().items():
            figures[cell_id("t3", row, col)] = value
    return LastYear(
        year=last.year,
        in_force={key: getattr(last.proactive, key).in_force for key in _DOCUMENT_ROWS},
        carried_over=apps.row("carry_next").values(),
        figures=figures,
        texts={path: _get(last, path) for path, _where in NARRATIVE_FIELDS if _get(last, path).strip()},
        notes=notes,
    )


def carried_in_force(report: Report, row: str = "normative") -> int | None:
    """Last year's 现行有效件数 as `carry_forward` recorded it in the draft (None if not recorded)."""
    last = report.draft.last_year
    return last.in_force.get(row) if last is not None else None


def propose_in_force(report: Report, last: Report | None = None, row: str = "normative") -> int | None:
    """现行有效件数 to propose for 规章 (row="rules") or 行政规范性文件 (row="normative"):
    last year's 现行有效 + 本年制发 − 本年废止, once both of this year's figures are entered.

    Without `last`, the base recorded by `carry_forward` in the draft is used. None when there is
    nothing sound to propose (no base, a figure missing, or a negative result).
    """
    if row not in _DOCUMENT_ROWS:
        raise ValueError(f"unknown document row {row!r}")
    base = getattr(last.proactive, row).in_force if last is not None else carried_in_force(report, row)
    counts = getattr(report.proactive, row)
    if base is None or counts.issued is None or counts.repealed is None:
        return None
    proposed = base + counts.issued - counts.repealed
    return proposed if proposed >= 0 else None


def override_carried(report: Report, column: str, value: int, reason: str) -> None:
    """Change one cell of the carried 上年结转 row; the clerk's reason is kept (check warns R5)."""
    if column not in fmt.COLUMN_KEYS:
        raise GkError(f"表三没有“{column}”这一栏。")
    if not reason.strip():
        raise GkError("上年结转数由上年报告自动带入；要改动，请说明理由。")
    report.applications.set("carried", column, value)
    report.draft.overrides[f"{CARRIED_ROW_PATH}.{column}"] = reason.strip()
