"""Rules R1–R8 and D1–D13 of the 2021 format: a report (+ last year's) → findings.

`check` is a pure function: no I/O, no clock. Table rules read the model (and, for an imported
report, what it printed in `Report.printed`); prose rules read the narrative fields of a draft
or, for an imported report, the published text itself split into its sections, because that is
what the public read. Missing required content (an empty narrative part, no agency name) is
reported under D6 — "a heading with nothing under it".
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Iterable, Iterator

from gkassist import format as fmt
from gkassist.model import Report
from gkassist.textsim import similarity

__all__ = ["Severity", "Finding", "check", "similarity"]


class Severity(str, Enum):
    ERROR = "错误"
    WARNING = "警告"
    INFO = "提示"


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True)
class Finding:
    """One problem found in a report, said in the report's own words."""

    rule: str
    severity: Severity
    location: str
    message: str
    field: str = ""  # the model path the clerk edits to fix it ("" when none)

    def as_dict(self) -> dict[str, str]:
        return {"rule": self.rule, "severity": self.severity.value, "location": self.location,
                "message": self.message, "field": self.field}


def check(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every finding for `report`, errors first, then warnings, then hints (stable within)."""
    ctx = _Context(report)
    found: list[Finding] = []
    for rule in (_basics, _r1, _r2_r3_r4, _r8, _r7, _d6_tables, _d1, _d2, _d3, _d5, _d7, _d8,
                 _d9, _d10, _r6, _d4, _d13, _d12, _empty_parts, _placeholders):
        found.extend(rule(ctx))
    if previous is not None:
        found.extend(_r5(ctx, previous))
        found.extend(_d11(ctx, _Context(previous)))
    return sorted(found, key=lambda f: _RANK[f.severity])


# ====================================================================== labels and locations

T3 = "表三"
T2 = "表二"
T4 = "表四"
PREFACE = "前言"
TITLE = "标题"
_HEADING_OF = fmt.SECTION_LABEL
_CN_DIGITS = "一二三四五六七八九十"
_T4_NAME = {key: (label if key == "review" else f"{fmt.LITIGATION} {label}") for key, label in fmt.T4_BLOCKS}
_T2_ROWS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("rules", fmt.ROW_RULES, ("issued", "repealed", "in_force")),
    ("normative", fmt.ROW_NORMATIVE, ("issued", "repealed", "in_force")),
    ("licensing", fmt.ROW_LICENSING, ()),
    ("penalty", fmt.ROW_PENALTY, ()),
    ("enforcement", fmt.ROW_ENFORCEMENT, ()),
    ("fee", fmt.ROW_FEE, ()),
)
_T2_COL = {"issued": fmt.COL_ISSUED, "repealed": fmt.COL_REPEALED, "in_force": fmt.COL_IN_FORCE}


def _t3_where(row: str, col: str | None = None) -> str:
    where = f"{T3} {fmt.T3_ROW[row].location}"
    return f"{where} / {fmt.COLUMN_LABEL[col]}" if col else where


def _t4_where(block: str, col: str | None = None) -> str:
    where = f"{T4} {_T4_NAME[block]}"
    return f"{where} / {fmt.OUTCOME_LABEL[col]}" if col else where


def _cols(keys: Iterable[str]) -> str:
    return "、".join(fmt.COLUMN_LABEL[k] for k in keys)


def _quote(s: str) -> str:
    return f"“{s}”"


# ====================================================================== reading the report


_NUMERIC = re.compile(r"^\s*[0-9０-９]+(?:[.．][0-9０-９]+)?\s*$")
_PAGE_MARK = re.compile(r"^[-—–－]\s*\d+\s*[-—–－]$")
_INLINE_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_SENTENCE_END = "。；！？：;!?:"


def _to_int(text: str) -> int | None:
    text = text.strip().translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    if not _NUMERIC.match(text):
        return None
    try:
        return int(float(text)) if "." in text else int(text)
    except ValueError:
        return None


def _prose(text: str, *, join_lines: bool) -> str:
    """Narrative text ready for pattern matching: no spaces inside lines, page marks dropped.

    A published PDF breaks lines mid-word (`答` / `复 3050 件`); there lines are joined unless
    the previous one ends a sentence. A draft's lines are the clerk's paragraphs and stay apart.
    """
    out: list[str] = []
    for raw in text.splitlines():
        line = _INLINE_SPACE.sub("", raw.strip())
        if not line or _PAGE_MARK.match(line):
            continue
        if out and join_lines and out[-1][-1] not in _SENTENCE_END:
            out[-1] += line
        else:
            out.append(line)
    return "\n".join(out)


def _heading_core(text: str) -> tuple[str | None, str]:
    """('五', '存在的主要问题及改进情况') from '五、存在的主要问题及改进情况' (number may be None)."""
    s = _INLINE_SPACE.sub("", text.strip()).translate(str.maketrans("()", "（）"))
    m = re.match(rf"^([{_CN_DIGITS}]+)[、.．,，]?(.*)$", s)
    if m and m.group(2):
        return m.group(1), m.group(2).rstrip("：:。.")
    return None, s.rstrip("：:。.")


_T3_ROW_CORES = tuple(_heading_core(r.label)[1] for r in fmt.T3_ROWS if not r.group) + (
    _heading_core(fmt.RESULTS_GROUP)[1],)


def _section_of(heading: str) -> int | None:
    """Which of the six sections a printed heading stands for (0..5), tolerant of variants."""
    _, core = _heading_core(heading)
    if not core or len(core) > 30 or core.startswith(_T3_ROW_CORES):
        return None
    for i, official in enumerate(fmt.SECTION_HEADINGS):
        if core == _heading_core(official)[1]:
            return i
    for variant, official in fmt.LABEL_VARIANTS.items():
        if official in fmt.SECTION_HEADINGS and core == _heading_core(variant)[1]:
            return fmt.SECTION_HEADINGS.index(official)
    keyed = (
        (0, "总体情况" in core),
        (1, core.startswith("主动公开") and len(core) <= 14),
        (2, "申请" in core and ("收到" in core or "处理" in core)),
        (3, "复议" in core and "诉讼" in core),
        (4, "问题" in core and ("改进" in core or "整改" in core)),
        (5, "其他" in core and ("报告" in core or "事项" in core)),
    )
    hits = [i for i, ok in keyed if ok]
    if len(hits) == 1:
        return hits[0]
    best = max(range(6), key=lambda i: similarity(core, _heading_core(fmt.SECTION_HEADINGS[i])[1]))
    if similarity(core, _heading_core(fmt.SECTION_HEADINGS[best])[1]) >= 0.6:
        return best
    return None


def _heading_line(line: str) -> int | None:
    """The section a line of a published text opens, when it is a numbered section heading."""
    number, core = _heading_core(line)
    if number is None or len(core) > 30:
        return None
    return _section_of(line)


@dataclass(frozen=True)
class _Text:
    """A piece of narrative: where it is, which model field holds it, what it says."""

    location: str
    field: str
    text: str
    section: str  # preface | overview | problems | other


_PART_MARK = re.compile(rf"^[（(]([{_CN_DIGITS}])[)）]")
_PROBLEMS_AT = {1: ("problems", fmt.PROBLEMS_HEAD), 2: ("improvements", fmt.IMPROVEMENTS_HEAD)}


class _Context:
    """The report plus what several rules need read once: narrative pieces, printed cells."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.printed = report.printed
        self.imported = report.printed is not None
        self.cells: dict[str, str] = dict(report.printed.cells) if report.printed else {}
        self.headings_found: set[int] = set()
        self.texts: list[_Text] = self._texts()
        self.lost_columns = self._lost_columns()

    # -- printed cells
    def printed_int(self, cid: str) -> int | None:
        text = self.cells.get(cid)
        return None if text is None else _to_int(text)

    def printed_odd(self, cid: str) -> str | None:
        """The printed text of a cell when it is neither a number nor empty ("/", "—", "无" …)."""
        text = self.cells.get(cid)
        if text is None or not text.strip() or _to_int(text) is not None:
            return None
        return text.strip()

    def _lost_columns(self) -> set[str]:
        """Applicant columns of an imported table 三 with a blank cell in a row whose printed 总计
        is not 0: their sums are unknowable, so R1/R2 leave them to R7."""
        if not self.imported:
            return set()
        apps = self.report.applications
        return {c for row in fmt.ROW_KEYS for c in fmt.COLUMN_KEYS
                if apps.value(row, c) is None and self.printed_int(f"t3.{row}.total")}

    # -- table 三 as it effectively stands (printed totals stand in for lost applicant cells)
    def t3(self, row: str, col: str) -> int:
        apps = self.report.applications
        if row == "total":
            return sum(self.t3(k, col) for k in fmt.OUTCOME_KEYS)
        if col == "total" and apps.row(row).blank:
            printed = self.printed_int(f"t3.{row}.total")
            if printed is not None:
                return printed
        return apps.cell(row, col)

    def t3_blank(self) -> bool:
        apps = self.report.applications
        return all(r.blank for r in apps.rows.values()) and not any(
            self.printed_int(f"t3.{k}.total") for k in fmt.ROW_KEYS)

    # -- narrative
    def _texts(self) -> list[_Text]:
        r = self.report
        if self.printed is not None and self.printed.text.strip():
            return self._printed_texts(self.printed.text)
        out = [_Text(PREFACE, "preface", r.preface, "preface"),
               _Text(_HEADING_OF["overview"], "overview.lead", r.overview.lead, "overview")]
        out += [_Text(f"{_HEADING_OF['overview']} {label}", f"overview.{key}", text, "overview")
                for key, label, text in r.overview.parts()]
        five = _HEADING_OF["problems"]
        out += [_Text(f"{five} {fmt.PROBLEMS_HEAD}", "problems.problems", r.problems.problems, "problems"),
                _Text(f"{five} {fmt.IMPROVEMENTS_HEAD}", "problems.improvements", r.problems.improvements,
                      "problems"),
                _Text(f"{five} {fmt.FOLLOWUP_HEAD}", "problems.followup", r.problems.followup, "problems")]
        six = _HEADING_OF["other"]
        for key, label in fmt.OTHER_ITEMS:
            attr = "fee_statement" if key == "fee" else key
            out.append(_Text(f"{six} {label}", f"other.{attr}", getattr(r.other, attr), "other"))
        return [_Text(t.location, t.field, _prose(t.text, join_lines=False), t.section) for t in out
                if t.text.strip()]

    def _printed_texts(self, text: str) -> list[_Text]:
        """Split a published text at its section headings; tables (二, 三, 四) are left out."""
        segments: list[tuple[int | None, list[str]]] = [(None, [])]
        for line in text.splitlines():
            section = _heading_line(line)
            if section is None:
                segments[-1][1].append(line)
            else:
                self.headings_found.add(section)
                segments.append((section, []))
        out: list[_Text] = []
        for section, lines in segments:
            if section is None:
                out.append(_Text(PREFACE, "preface", _prose("\n".join(lines), join_lines=True), "preface"))
                continue
            key = fmt.SECTIONS[section][0]
            if key in ("proactive", "applications", "reviews"):
                continue
            out += self._split_parts(key, lines)
        return [t for t in out if t.text.strip()]

    def _split_parts(self, key: str, lines: list[str]) -> list[_Text]:
        heading = _HEADING_OF[key]
        if key == "other":
            return [_Text(heading, "other", _prose("\n".join(lines), join_lines=True), "other")]
        head_field = "overview.lead" if key == "overview" else "problems.problems"
        pieces: list[tuple[str, str, list[str]]] = [(heading, head_field, [])]
        for line in lines:
            m = _PART_MARK.match(_INLINE_SPACE.sub("", line.strip()))
            n = _CN_DIGITS.index(m.group(1)) + 1 if m else 0
            if key == "overview" and 1 <= n <= len(fmt.OVERVIEW_PARTS):
                part, label = fmt.OVERVIEW_PARTS[n - 1]
                pieces.append((f"{heading} {label}", f"overview.{part}", []))
            elif key == "problems" and n in _PROBLEMS_AT:
                part, label = _PROBLEMS_AT[n]
                pieces.append((f"{heading} {label}", f"problems.{part}", []))
            pieces[-1][2].append(line)
        return [_Text(where, field, _prose("\n".join(body), join_lines=True), key)
                for where, field, body in pieces]

    def section_text(self, section: str) -> str:
        return "\n".join(t.text for t in self.texts if t.section == section)


# ====================================================================== basics


def _basics(ctx: _Context) -> Iterator[Finding]:
    r = ctx.report
    if not r.agency.name.strip():
        yield Finding("D6", Severity.ERROR, "机关全称", "还没有填写机关全称。标题和落款都要用全称"
                      "（例如“××镇人民政府”），请先填写。", "agency.name")
    if r.agency.kind is None:
        if ctx.imported:
            yield Finding("D6", Severity.INFO, "机关类型", "从原文无法判断机关类型（乡、镇、街道、县级部门等），"
                          "规章、自称和发布期限的检查没有进行。请选择机关类型后再检查。", "agency.kind")
        else:
            yield Finding("D6", Severity.ERROR, "机关类型", "还没有选择机关类型（乡、镇、街道、县级部门等）。"
                          "自称用词、能否制定规章和发布期限都取决于它，请先选择。", "agency.kind")
    if r.year is None:
        yield Finding("D6", Severity.ERROR, "年度", "还没有填写报告年度。标题和统计期限都要写明年度，请先填写。",
                      "year")


# ====================================================================== table 三: R1, R2–R4, R8


def _results_not_entered(ctx: _Context, col: str) -> bool:
    """A draft whose outcome and carry-next cells of this column are all still blank: the clerk
    has not reached them yet, so R1 waits (R7 already lists the blanks)."""
    if ctx.imported:
        return False
    cols = fmt.COLUMN_KEYS if col == "total" else (col,)
    apps = ctx.report.applications
    return all(apps.value(row, c) is None for row in (*fmt.OUTCOME_KEYS, "carry_next") for c in cols)


def _r1(ctx: _Context) -> Iterator[Finding]:
    for col in (*fmt.COLUMN_KEYS, "total"):
        if col in ctx.lost_columns or _results_not_entered(ctx, col):
            continue
        new, carried = ctx.t3("new", col), ctx.t3("carried", col)
        done, carry_next = ctx.t3("total", col), ctx.t3("carry_next", col)
        have, used = new + carried, done + carry_next
        if have == used:
            continue
        label = fmt.COLUMN_LABEL[col]
        gap = f"多出 {used - have} 件" if used > have else f"少了 {have - used} 件"
        yield Finding(
            "R1", Severity.ERROR, _t3_where("total", col),
            f"{T3} {label} 列：新收 {new} + 上年结转 {carried} = {have}，但办理结果总计 {done} + 结转下年 "
            f"{carry_next} = {used}，{gap}。本列应满足“第一项加第二项之和，等于第三项加第四项之和”，"
            f"请核对本列的新收数、各项办理结果和结转下年度的数字。",
            f"applications.rows.new.{col}" if col != "total" else "applications.rows.new")


def _r2_r3_r4(ctx: _Context) -> Iterator[Finding]:
    """Printed totals against the figures they total (only an imported report prints them)."""
    if not ctx.imported:
        return
    apps = ctx.report.applications
    for col in (*fmt.COLUMN_KEYS, "total"):  # R2: the （七）总计 row
        if col in ctx.lost_columns:
            continue
        printed = ctx.printed_int(f"t3.total.{col}")
        derived = ctx.t3("total", col)
        if printed is not None and printed != derived:
            yield Finding(
                "R2", Severity.ERROR, _t3_where("total", col),
                f"{T3} {fmt.COLUMN_LABEL[col]} 列印的（七）总计是 {printed}，但（一）至（六）各项相加是 "
                f"{derived}，相差 {printed - derived:+d}。总计应等于各项办理结果之和，请核对该列各行数字或总计。")
    for row in fmt.ROW_KEYS:  # R3: the 总计 column
        printed = ctx.printed_int(f"t3.{row}.total")
        if printed is None or apps.row(row).blank:
            continue
        derived = apps.cell(row, "total")
        if printed != derived:
            yield Finding(
                "R3", Severity.ERROR, _t3_where(row, "total"),
                f"{T3} {fmt.T3_ROW[row].location} 这一行印的总计是 {printed}，但六类申请人相加是 {derived}。"
                f"总计应等于自然人和五类法人或其他组织之和，请核对该行各格或总计。",
                f"applications.rows.{row}")
    printed_row = [ctx.printed_int(f"t3.total.{c}") for c in fmt.COLUMN_KEYS]
    printed_total = ctx.printed_int("t3.total.total")
    if printed_total is not None and all(v is not None for v in printed_row):
        derived = sum(v for v in printed_row if v is not None)
        if printed_total != derived:
            yield Finding(
                "R3", Severity.ERROR, _t3_where("total", "total"),
                f"{T3} （七）总计 这一行印的总计是 {printed_total}，但六类申请人的总计相加是 {derived}。"
                f"请核对该行各格或总计。")
    for block, _ in fmt.T4_BLOCKS:  # R4: table 四's three 总计
        counts = ctx.report.reviews.block(block)
        printed = ctx.printed_int(f"t4.{block}.total")
        if printed is None or all(getattr(counts, k) is None for k in fmt.OUTCOME_KEYS_T4):
            continue
        if printed != counts.total:
            parts = " + ".join(f"{fmt.OUTCOME_LABEL[k]} {counts.cell(k)}" for k in fmt.OUTCOME_KEYS_T4)
            yield Finding(
                "R4", Severity.ERROR, _t4_where(block, "total"),
                f"{T4} {_T4_NAME[block]} 印的总计是 {printed}，但 {parts} = {counts.total}。"
                f"总计应等于四项之和，请核对。", f"reviews.{block}")


def _r8(ctx: _Context) -> Iterator[Finding]:
    for col in (*fmt.COLUMN_KEYS, "total"):
        partial = ctx.t3("partial", col)
        have = ctx.t3("new", col) + ctx.t3("carried", col)
        if partial > 0 and partial > have:
            yield Finding(
                "R8", Severity.ERROR, _t3_where("partial", col),
                f"{T3} {fmt.COLUMN_LABEL[col]} 列的（二）部分公开是 {partial} 件，超过了新收加上年结转的 {have} 件。"
                f"部分公开的申请只计在（二）这一项，不能超过当年要办理的申请数，请核对。",
                f"applications.rows.partial.{col}" if col != "total" else "applications.rows.partial")


# ====================================================================== R5 (across years)


def _r5(ctx: _Context, previous: Report) -> Iterator[Finding]:
    this, last = ctx.report.applications, previous.applications
    if last.row("carry_next").blank:
        return
    overrides = ctx.report.draft.overrides
    for col in fmt.COLUMN_KEYS:
        now, before = this.cell("carried", col), last.cell("carry_next", col)
        if now == before:
            continue
        field = f"applications.rows.carried.{col}"
        reason = overrides.get(field) or overrides.get("applications.rows.carried")
        year = f"{previous.year}年" if previous.year else "上年"
        message = (f"本年 二、上年结转 的 {fmt.COLUMN_LABEL[col]} 填的是 {now}，但{year}报告 四、结转下年度继续办理 "
                   f"是 {before}。两者应当相等，")
        message += (f"已说明改动原因：{reason}。请确认这一说明写进报告。" if reason
                    else "请改为上年的结转数，或者说明不一致的原因。")
        yield Finding("R5", Severity.WARNING, _t3_where("carried", col), message, field)


# ====================================================================== R7 blank cells, D6 tables


def _blank_message(ctx: _Context, what: str, cells: list[str]) -> str:
    listed = "、".join(cells)
    if ctx.imported:
        return (f"{what} 的 {listed} 没有印数字（空白或符号）。数据格应填数字，没有的填 0；"
                f"请在原文中补上。")
    return f"{what} 的 {listed} 未填写，将按 0 处理，请填写 0 或实际数字。"


def _r7(ctx: _Context) -> Iterator[Finding]:
    yield from _r7_table3(ctx)
    yield from _r7_table2(ctx)
    yield from _r7_table4(ctx)


def _cell_note(ctx: _Context, cid: str, label: str) -> str:
    odd = ctx.printed_odd(cid)
    return f"{label}（印作{_quote(odd)}）" if odd else label


def _r7_table3(ctx: _Context) -> Iterator[Finding]:
    apps = ctx.report.applications
    blank = {row: [c for c in fmt.COLUMN_KEYS
                   if apps.value(row, c) is None or ctx.printed_odd(f"t3.{row}.{c}")] for row in fmt.ROW_KEYS}
    if all(len(v) == len(fmt.COLUMN_KEYS) for v in blank.values()):
        if not ctx.imported:
            yield Finding("R7", Severity.WARNING, _HEADING_OF["applications"],
                          _blank_message(ctx, T3, ["全部数据格"]), "applications.rows.new.natural_person")
        elif any(k.startswith("t3.") for k in ctx.cells):  # no t3 cell at all is D6's "no table"
            yield Finding("R7", Severity.WARNING, _HEADING_OF["applications"],
                          f"{T3} 所有申请人数据格都没有印数字。数据格应填数字，没有的填 0；请在原文中补上。",
                          "applications.rows.new.natural_person")
        return
    whole = [c for c in fmt.COLUMN_KEYS if all(c in cols for cols in blank.values())]
    if whole:
        yield Finding("R7", Severity.WARNING, f"{T3} {_cols(whole)} 列",
                      _blank_message(ctx, T3, [f"{_cols(whole)} 列（整列）"]),
                      f"applications.rows.new.{whole[0]}")
    empty_rows = [row for row in fmt.ROW_KEYS if len(blank[row]) == len(fmt.COLUMN_KEYS)
                  and not ctx.printed_odd(f"t3.{row}.total")]
    if len(empty_rows) > 3 and not whole:
        # Many untouched rows are one piece of advice, not twenty warnings.
        first, last = fmt.T3_ROW[empty_rows[0]].location, fmt.T3_ROW[empty_rows[-1]].location
        yield Finding("R7", Severity.WARNING, f"{T3} {first} 等 {len(empty_rows)} 行",
                      _blank_message(ctx, T3, [f"{len(empty_rows)} 行（从“{first}”到“{last}”）的全部数据格"]),
                      f"applications.rows.{empty_rows[0]}.natural_person")
        blank = {row: ([] if row in empty_rows else cols) for row, cols in blank.items()}
    for row in fmt.ROW_KEYS:
        cols = [c for c in blank[row] if c not in whole]
        notes = [_cell_note(ctx, f"t3.{row}.{c}", fmt.COLUMN_LABEL[c]) for c in cols]
        odd_total = ctx.printed_odd(f"t3.{row}.total")
        if odd_total:
            notes.append(f"{fmt.TOTAL}（印作{_quote(odd_total)}）")
        if notes:
            field = f"applications.rows.{row}.{cols[0]}" if cols else f"applications.rows.{row}"
            yield Finding("R7", Severity.WARNING, _t3_where(row),
                          _blank_message(ctx, f"{T3} {fmt.T3_ROW[row].location}", notes), field)


def _r7_table2(ctx: _Context) -> Iterator[Finding]:
    p = ctx.report.proactive
    rows: list[tuple[str, str, list[tuple[str, str, str]]]] = []  # (field row, label, [(field, col label, cid)])
    for key, label, cols in _T2_ROWS:
        if cols:
            rows.append((key, label, [(f"proactive.{key}.{c}", _T2_COL[c], f"t2.{key}.{c}") for c in cols
                                      if getattr(getattr(p, key), c) is None or ctx.printed_odd(f"t2.{key}.{c}")]))
        elif getattr(p, key) is None or ctx.printed_odd(f"t2.{key}"):
            col = fmt.COL_FEE if key == "fee" else fmt.COL_DECISIONS
            rows.append((key, label, [(f"proactive.{key}", col, f"t2.{key}")]))
    total_cells = sum(len(c) if c else 1 for _, _, c in _T2_ROWS)
    blanks = sum(len(c) for _, _, c in rows)
    if blanks == total_cells:
        if not ctx.imported or any(k.startswith("t2.") for k in ctx.cells):
            yield Finding("R7", Severity.WARNING, _HEADING_OF["proactive"],
                          _blank_message(ctx, T2, ["全部数据格"]), "proactive.rules.issued")
        return
    for key, label, cells in rows:
        if cells:
            notes = [_cell_note(ctx, cid, col) for _, col, cid in cells]
            yield Finding("R7", Severity.WARNING, f"{T2} {label}", _blank_message(ctx, f"{T2} {label}", notes),
                          cells[0][0])


def _r7_table4(ctx: _Context) -> Iterator[Finding]:
    reviews = ctx.report.reviews
    blank = {b: [c for c in fmt.OUTCOME_KEYS_T4
                 if getattr(reviews.block(b), c) is None or ctx.printed_odd(f"t4.{b}.{c}")] for b, _ in fmt.T4_BLOCKS}
    if all(len(v) == len(fmt.OUTCOME_KEYS_T4) for v in blank.values()):
        if not ctx.imported or any(k.startswith("t4.") for k in ctx.cells):
            yield Finding("R7", Severity.WARNING, _HEADING_OF["reviews"],
                          _blank_message(ctx, T4, ["全部数据格"]), "reviews.review.upheld")
        return
    for block, cols in blank.items():
        notes = [_cell_note(ctx, f"t4.{block}.{c}", fmt.OUTCOME_LABEL[c]) for c in cols]
        odd_total = ctx.printed_odd(f"t4.{block}.total")
        if odd_total:
            notes.append(f"{fmt.TOTAL}（印作{_quote(odd_total)}）")
        if notes:
            yield Finding("R7", Severity.WARNING, _t4_where(block),
                          _blank_message(ctx, f"{T4} {_T4_NAME[block]}", notes),
                          f"reviews.{block}.{cols[0]}" if cols else f"reviews.{block}")


def _d6_tables(ctx: _Context) -> Iterator[Finding]:
    """An imported report: a table heading with no table under it; a 总计 column printed empty."""
    if not ctx.imported:
        return
    present = _printed_sections(ctx)
    r = ctx.report
    tables = (
        (1, "t2.", T2, all(getattr(r.proactive, k) is None for k in ("licensing", "penalty", "enforcement", "fee"))
         and all(getattr(getattr(r.proactive, k), c) is None for k in ("rules", "normative")
                 for c in ("issued", "repealed", "in_force"))),
        (2, "t3.", T3, all(row.blank for row in r.applications.rows.values())),
        (3, "t4.", T4, all(getattr(r.reviews.block(b), c) is None for b, _ in fmt.T4_BLOCKS
                           for c in fmt.OUTCOME_KEYS_T4)),
    )
    for index, prefix, name, model_blank in tables:
        if index in present and model_blank and not any(k.startswith(prefix) for k in ctx.cells):
            heading = fmt.SECTION_HEADINGS[index]
            yield Finding("D6", Severity.ERROR, heading,
                          f"“{heading}”标题下没有找到{name}。2021年格式要求在这一部分列出{name}，"
                          f"没有数据的也要印出表格并填 0，请补上。")
    t3_totals = [ctx.cells[f"t3.{k}.total"] for k in fmt.ROW_KEYS if f"t3.{k}.total" in ctx.cells]
    if t3_totals and all(not v.strip() for v in t3_totals):
        yield Finding("D6", Severity.WARNING, f"{T3} {fmt.TOTAL} 列",
                      f"{T3} 的 {fmt.TOTAL} 列整列空白。总计列应印出每一行六类申请人之和，请补上。")
    t4_totals = [ctx.cells[f"t4.{b}.total"] for b, _ in fmt.T4_BLOCKS if f"t4.{b}.total" in ctx.cells]
    if t4_totals and all(not v.strip() for v in t4_totals):
        yield Finding("D6", Severity.WARNING, f"{T4} {fmt.TOTAL}",
                      f"{T4} 的 {fmt.TOTAL} 格全部空白。每一栏的总计应等于四项结果之和，请补上。")


# ====================================================================== D1, D2, D3, D5, D12


def _d1(ctx: _Context) -> Iterator[Finding]:
    p = ctx.printed
    if p is None or (ctx.report.year is not None and ctx.report.year < 2021):
        return
    if p.layout == "2019" or p.markers:
        seen = "、".join(_quote(m) for m in dict.fromkeys(p.markers)) or "旧表格的栏目"
        yield Finding("D1", Severity.ERROR, "表二至表四",
                      f"使用了2019年旧表格（发现{seen}）。2021年度起应使用{fmt.FORMAT_NOTICE}规定的新格式，"
                      f"请按新表格重新填写表二、表三、表四。")


_OLD_NOTICE = re.compile(r"国办公开办函[〔\[［(（【]2019[〕\]］)）】]60号")


def _d2(ctx: _Context) -> Iterator[Finding]:
    if ctx.report.year is not None and ctx.report.year < 2021:
        return
    for t in ctx.texts:
        if _OLD_NOTICE.search(t.text):
            yield Finding("D2", Severity.WARNING, t.location,
                          f"引用了已被替代的{fmt.SUPERSEDED_NOTICE}。2021年度起的报告格式依据是{fmt.FORMAT_NOTICE}，"
                          f"请改正引用。", t.field)


_PERIOD = re.compile(r"(\d{4})年1月1日(?:起)?(?:至|到|—|－|-|~|～)(\d{4})年12月31日")
_TITLE_YEAR = re.compile(r"(\d{4})年")


def _d3(ctx: _Context) -> Iterator[Finding]:
    year = ctx.report.year
    if year is None:
        return
    title = _INLINE_SPACE.sub("", ctx.printed.title) if ctx.printed else ""
    m = _TITLE_YEAR.search(title)
    if m and int(m.group(1)) != year:
        yield Finding("D3", Severity.ERROR, TITLE,
                      f"标题写的是 {m.group(1)}年，但这是{year}年度的报告。请把标题改为"
                      f"{_quote(fmt.report_title(ctx.report.agency.name or '（机关全称）', year))}。", "year")
    seen: set[str] = set()
    for t in ctx.texts:
        for m in _PERIOD.finditer(t.text.replace("\n", "")):
            if {int(m.group(1)), int(m.group(2))} != {year} and m.group(0) not in seen:
                seen.add(m.group(0))
                yield Finding("D3", Severity.ERROR, t.location,
                              f"统计期限写的是{_quote(m.group(0))}，但这是{year}年度的报告。"
                              f"请改为{_quote(fmt.statistics_period(year))}。", t.field)


def _d5(ctx: _Context) -> Iterator[Finding]:
    kind = ctx.report.agency.kind
    if kind not in fmt.NO_RULES_KINDS:
        return
    rules = ctx.report.proactive.rules
    values = {c: getattr(rules, c) for c in ("issued", "repealed", "in_force")}
    positive = [c for c, v in values.items() if v]
    if positive:
        shown = "，".join(f"{_T2_COL[c]} {values[c] or 0}" for c in values)
        yield Finding("D5", Severity.ERROR, f"{T2} {fmt.ROW_RULES}",
                      f"{kind.value}不能制定{fmt.ROW_RULES}，但{T2} {fmt.ROW_RULES} 一行填了（{shown}）。"
                      f"本机关制发的文件应计入{fmt.ROW_NORMATIVE}，{fmt.ROW_RULES}一行填 0。",
                      f"proactive.rules.{positive[0]}")


def _d12(ctx: _Context) -> Iterator[Finding]:
    r = ctx.report
    if r.published is None or r.year is None:
        return
    month, day = fmt.DEADLINE.get(r.agency.kind, fmt.DEFAULT_DEADLINE) if r.agency.kind else fmt.DEFAULT_DEADLINE
    deadline = date(r.year + 1, month, day)
    if r.published > deadline:
        yield Finding("D12", Severity.WARNING, "发布日期",
                      f"发布日期{r.published.year}年{r.published.month}月{r.published.day}日晚于"
                      f"{deadline.year}年{month}月{day}日的期限（{fmt.REGULATION}第四十九条）。"
                      f"请尽早发布；如日期填错，请改正。", "published")


# ====================================================================== D7, D8 (headings and labels)


def _norm_label(label: str) -> str:
    s = _INLINE_SPACE.sub("", label).translate(str.maketrans("()", "（）"))
    return re.sub(r"^(\d)[、．.]", r"\1.", s)


def _official_where(official: str) -> str:
    if official in fmt.SECTION_HEADINGS:
        return official
    for row in fmt.T3_ROWS:
        if row.label == official:
            return f"{T3} {row.location}"
    return f"{T2} {fmt.ROW_NORMATIVE}" if official == fmt.ROW_NORMATIVE else official


def _printed_labels(ctx: _Context) -> list[str]:
    """Table labels as printed; when the importer kept none, the first cell of each text line."""
    p = ctx.printed
    if p is None:
        return []
    if p.labels:
        return list(p.labels)
    # Only whole first cells are taken, so prose mentioning 规范性文件 is never a "label".
    return [cell for line in p.text.splitlines()
            if (cell := re.split(r"\t| {2,}|\s+(?=\d)", line.strip())[0]) in fmt.LABEL_VARIANTS]


def _d7(ctx: _Context) -> Iterator[Finding]:
    if ctx.printed is None:
        return
    reported: set[str] = set()
    for label in [*_printed_headings(ctx), *_printed_labels(ctx)]:
        text = _norm_label(label)
        for variant, official in fmt.LABEL_VARIANTS.items():
            core = _heading_core(official)[1] if official in fmt.SECTION_HEADINGS else official
            if variant in text and core not in text and variant not in reported:
                reported.add(variant)
                yield Finding("D7", Severity.WARNING, _official_where(official),
                              f"印的是{_quote(label.strip())}，官方写法是{_quote(official)}。"
                              f"请按{fmt.FORMAT_NOTICE}的原文改正。")


def _printed_headings(ctx: _Context) -> list[str]:
    p = ctx.printed
    if p is None:
        return []
    if p.headings:
        return list(p.headings)
    return [line.strip() for line in p.text.splitlines() if _heading_line(line) is not None]


def _printed_sections(ctx: _Context) -> set[int]:
    return {i for h in _printed_headings(ctx) if (i := _section_of(h)) is not None}


def _d8(ctx: _Context) -> Iterator[Finding]:
    if ctx.printed is None:
        return
    headings = _printed_headings(ctx)
    if not headings and not ctx.printed.text.strip():
        return
    matched = [(h, _section_of(h)) for h in headings]
    matched = [(h, i) for h, i in matched if i is not None]
    counts = Counter(i for _, i in matched)
    for i, heading in enumerate(fmt.SECTION_HEADINGS):
        if counts[i] == 0:
            yield Finding("D8", Severity.ERROR, heading,
                          f"没有找到“{heading}”这一部分。六个部分都必须有，且各出现一次，请补上这一部分的标题和内容。",
                          fmt.SECTIONS[i][0])
        elif counts[i] > 1:
            yield Finding("D8", Severity.ERROR, heading,
                          f"“{heading}”出现了 {counts[i]} 次（多半是复制粘贴时重复了）。每个部分只能出现一次，"
                          f"请删去重复的标题和内容。", fmt.SECTIONS[i][0])
    highest = -1
    for printed, i in matched:
        if i < highest:
            yield Finding("D8", Severity.ERROR, fmt.SECTION_HEADINGS[i],
                          f"“{printed.strip()}”排在“{fmt.SECTION_HEADINGS[highest]}”之后，顺序不对。"
                          f"六个部分应按一至六的顺序排列，请调整。", fmt.SECTIONS[i][0])
        highest = max(highest, i)
    renumbered: set[int] = set()
    for printed, i in matched:
        number, _ = _heading_core(printed)
        if number is not None and number != _CN_DIGITS[i] and i not in renumbered:
            renumbered.add(i)
            yield Finding("D8", Severity.ERROR, fmt.SECTION_HEADINGS[i],
                          f"“{printed.strip()}”的序号不对，应为“{fmt.SECTION_HEADINGS[i]}”。请按官方序号改正。",
                          fmt.SECTIONS[i][0])


# ====================================================================== D9 self-reference


def _foreign_words(ctx: _Context) -> tuple[str, ...]:
    agency = ctx.report.agency
    kind = agency.kind
    if kind is None:
        return ()
    words = list(fmt.FOREIGN_SELF_WORDS.get(kind, ()))
    name = agency.name.strip()
    if kind not in fmt.GOVERNMENT_KINDS:
        if name.endswith(("委", "委员会")):
            words.append("我局")
        elif name.endswith("局"):
            words.append("我委")
    own = agency.self_reference
    return tuple(w for w in words if w != own)


def _d9(ctx: _Context) -> Iterator[Finding]:
    words = _foreign_words(ctx)
    if not words:
        return
    # Longest first, so 全乡镇 is one word and not also a 全乡.
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    hits: dict[str, list[_Text]] = {}
    for t in ctx.texts:
        for m in pattern.finditer(t.text):
            word = m.group(0)
            after = t.text[m.end():m.end() + 1]
            # 乡镇 and 乡村 are ordinary words: 本乡镇 is generic, not a 乡 speaking of itself.
            if word.endswith("乡") and after in ("镇", "村") and word + after not in words:
                continue
            hits.setdefault(word, []).append(t)
    agency = ctx.report.agency
    kind_word = agency.kind.value if agency.kind else ""
    for word in words:
        places = hits.get(word)
        if not places:
            continue
        where = "、".join(dict.fromkeys(t.location for t in places))
        yield Finding("D9", Severity.ERROR, where,
                      f"文中出现{_quote(word)} {len(places)} 次（{where}），但本报告的机关是"
                      f"{agency.name or kind_word}（{kind_word}），应自称{_quote(agency.self_reference)}。"
                      f"这往往是照抄其他单位材料留下的，请逐处改正并核对相关内容是否属实。", places[0].field)


# ====================================================================== D10, D11


_FEE_WORDS = re.compile(r"信息处理费|收费|收取.{0,8}费|费用")


def _d10(ctx: _Context) -> Iterator[Finding]:
    six = _HEADING_OF["other"]
    if ctx.imported and ctx.printed and ctx.printed.text.strip():
        if 5 not in ctx.headings_found:
            return  # D8 reports the missing section
        text = ctx.section_text("other")
    else:
        text = "\n".join(ctx.report.other.paragraphs())
    if not _FEE_WORDS.search(text):
        yield Finding("D10", Severity.ERROR, six,
                      f"第六部分没有说明信息处理费。按{fmt.FEE_RULES}，必须写明本年收取信息处理费的情况"
                      f"（没有收取的也要写明“未收取”），请补上。", "other.fee_statement")
    for item in fmt.OBSOLETE_OTHER_ITEMS:
        if item in text:
            yield Finding("D10", Severity.WARNING, six,
                          f"第六部分仍写着{_quote(item)}，这是2019年以前的旧项目。请改为说明信息处理费的收取情况，"
                          f"并按需要写落实政务公开工作要点、人大代表建议和政协提案办理结果公开、创新情况等。",
                          "other.fee_statement")


def _part_texts(ctx: _Context) -> dict[str, tuple[str, str, str]]:
    """key → (location, field, text) for the parts D11 compares across years."""
    r = ctx.report
    out: dict[str, tuple[str, str, str]] = {}
    for key, label, text in r.overview.parts():
        if not text.strip():
            text = "\n".join(t.text for t in ctx.texts if t.field == f"overview.{key}")
        out[key] = (f"{_HEADING_OF['overview']} {label}", f"overview.{key}", text)
    five = "\n".join(x for x in (r.problems.problems, r.problems.improvements) if x.strip())
    if not five.strip():
        five = ctx.section_text("problems")
    out["problems"] = (_HEADING_OF["problems"], "problems.problems", five)
    return out


_MIN_COMPARED = 30  # characters; a one-line "无" part is not a copy worth reporting


def _d11(ctx: _Context, last: _Context) -> Iterator[Finding]:
    this_parts, last_parts = _part_texts(ctx), _part_texts(last)
    year = f"{last.report.year}年" if last.report.year else "上年"
    for key, (where, field, text) in this_parts.items():
        before = last_parts[key][2]
        if len(text.strip()) < _MIN_COMPARED or len(before.strip()) < _MIN_COMPARED:
            continue
        score = similarity(text, before)
        if score >= 0.80:
            yield Finding("D11", Severity.WARNING, where,
                          f"“{where}”与{year}报告的同一部分相似度 {round(score * 100)}%，像是照抄。"
                          f"2021年格式把内容雷同列为问题，请结合今年实际重写。", field)


# ====================================================================== R6 and D4: numbers in prose


_CN_NUM = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_NUM = r"(\d+|[零〇一二两三四五六七八九十]{1,3})"


def _number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        if (tens and tens not in _CN_NUM) or (ones and ones not in _CN_NUM):
            return None
        return (_CN_NUM[tens] if tens else 1) * 10 + (_CN_NUM[ones] if ones else 0)
    return _CN_NUM.get(text) if len(text) == 1 else None


_CLAUSE_SPLIT = re.compile(r"[，,（）()]")
_SENTENCE_SPLIT = re.compile(r"[。；;！？!?\n]")
_APPROX_BEFORE = ("近", "约", "超过", "逾", "达", "余", "以上", "不足")
_COMPARATIVE = ("较", "同比", "增加", "减少", "增长", "下降", "上年度同期", "累计", "历年", "平均")
_NOT_REQUESTS = ("复议", "诉讼", "建议", "提案", "信访", "投诉", "咨询", "留言", "问政", "热线", "来电",
                 "来信", "举报", "诉求", "网民", "办件", "事项", "审批", "许可", "政务服务")


@dataclass(frozen=True)
class _Claim:
    what: str  # 新收 / 办理 / 结转 / 行政复议 / 行政诉讼
    number: int
    fragment: str


def _is_disclosure_request(text: str) -> bool:
    """Whether the words are about 政府信息公开 requests, not any other kind of 申请."""
    return "依申请" in text or "公开申请" in text or ("申请" in text and "信息公开" in text)


def _other_year(prefix: str, year: int | None) -> bool:
    years = [int(y) for y in re.findall(r"(\d{4})年", prefix)]
    return bool(years) and year is not None and years[-1] != year


def _claims(sentence: str, year: int | None, about_requests: bool = False) -> Iterator[_Claim]:
    """Figures a sentence states about requests, reviews and suits — only clear, single-clause forms.

    `about_requests`: the sentence sits in the 依申请公开 part, where 办结/答复 N件 means requests.
    """
    request_context = about_requests or _is_disclosure_request(sentence)
    for clause in _CLAUSE_SPLIT.split(sentence):
        for what, keys in (("新收", "新收|收到|受理|接收|接到"), ("办理", "办结|答复|回复|办理")):
            for m in re.finditer(rf"({keys})([^\d]{{0,20}}?){_NUM}件", clause):
                mid, tail = m.group(2), clause[m.end():m.end() + 12]
                if tail.startswith("次") or mid.endswith(_APPROX_BEFORE) or tail.startswith(("余", "多")):
                    continue
                if any(w in mid + tail for w in _NOT_REQUESTS + _COMPARATIVE):
                    continue
                if _other_year(clause[:m.start()], year):
                    continue
                about = (_is_disclosure_request(mid + tail) or about_requests
                         or (what == "办理" and request_context))
                number = _number(m.group(3))
                if about and number is not None:
                    yield _Claim(what, number, m.group(0))
        for m in re.finditer(rf"结转([^\d]{{0,10}}?){_NUM}件|{_NUM}件([^\d]{{0,6}}?)(?:结转|顺延)", clause):
            text = m.group(0)
            if any(w in text for w in _COMPARATIVE) or text.startswith(_APPROX_BEFORE):
                continue
            number = _number(m.group(2) or m.group(3))
            if number is not None and not clause[m.end():].startswith("次"):
                yield _Claim("结转", number, text)
        for what, other in (("行政复议", "诉讼"), ("行政诉讼", "复议")):
            for m in re.finditer(rf"{what}([^\d]{{0,10}}?){_NUM}件", clause):
                mid = m.group(1)
                if any(w in mid for w in (other, "维持", "纠正", "其他结果", "审结", "其中") + _COMPARATIVE):
                    continue
                if mid.endswith(_APPROX_BEFORE) or _other_year(clause[:m.start()], year):
                    continue
                number = _number(m.group(2))
                if number is not None:
                    yield _Claim(what, number, m.group(0))
    m = re.search(r"(?:没有|未|未曾)(?:收到|受理|接到)[^，。；\d]{0,20}?(?:公开申请|依申请)", sentence)
    if m and not any(w in sentence for w in ("复议", "诉讼")):
        yield _Claim("新收", 0, m.group(0))
    m = re.search(r"(?:未发生|没有发生|未出现|没有出现|未收到|没有收到|未被提起)[^，。；\d]{0,20}?"
                  r"(行政复议|行政诉讼)(?:[、和及或与](行政诉讼))?", sentence)
    if m and not any(w in sentence for w in ("纠正", "纠错", "败诉", "撤销", "确认违法")):
        yield _Claim(m.group(1), 0, m.group(0))
        if m.group(2):
            yield _Claim(m.group(2), 0, m.group(0))


def _r6(ctx: _Context) -> Iterator[Finding]:
    r = ctx.report
    t3_known = not ctx.t3_blank()
    apps = r.applications

    def entered(*rows: str) -> bool:
        """Whether the clerk (or the printed table) has given these rows any figure yet."""
        return t3_known and (ctx.imported or any(not apps.row(k).blank for k in rows))

    reviews = r.reviews
    t4_known = any(getattr(reviews.block(b), c) is not None for b, _ in fmt.T4_BLOCKS for c in fmt.OUTCOME_KEYS_T4)
    new, carried = ctx.t3("new", "total"), ctx.t3("carried", "total")
    done, carry_next = ctx.t3("total", "total"), ctx.t3("carry_next", "total")

    def printed_total(block: str) -> set[int]:
        v = ctx.printed_int(f"t4.{block}.total")
        return {v} if v is not None else set()

    lit_direct = reviews.direct_suit.total
    handled = entered(*fmt.OUTCOME_KEYS)
    accepted: dict[str, tuple[bool, set[int], str]] = {
        "新收": (entered("new"), {new, new + carried},
               f"表三 新收 {new} 件" + (f"（加上年结转共 {new + carried} 件）" if carried else "")),
        "办结": (handled, {done}, f"表三 （七）总计 {done} 件"),
        "答复": (handled, {done}, f"表三 （七）总计 {done} 件"),
        "回复": (handled, {done}, f"表三 （七）总计 {done} 件"),
        "办理申请": (handled or entered("new"), {done, new, new + carried},
                 f"表三 （七）总计 {done} 件、新收 {new} 件"),
        "结转": (entered("carried", "carry_next"), {carried, carry_next},
               f"表三 上年结转 {carried} 件、结转下年度 {carry_next} 件"),
        "行政复议": (t4_known, {reviews.review.total} | printed_total("review"),
                   f"表四 {fmt.REVIEW} 总计 {reviews.review.total} 件"),
        "行政诉讼": (t4_known, {reviews.litigation_total, lit_direct} | printed_total("direct_suit"),
                   f"表四 {fmt.LITIGATION} 两栏总计共 {reviews.litigation_total} 件"),
    }
    seen: set[tuple[str, str]] = set()
    for t in ctx.texts:
        for sentence in _SENTENCE_SPLIT.split(t.text):
            for claim in _claims(sentence, r.year, t.field == "overview.on_request"):
                key = claim.what
                if key == "办理":
                    key = next((w for w in ("办结", "答复", "回复") if claim.fragment.startswith(w)), "办理申请")
                known, values, table = accepted[key]
                if not known or claim.number in values or (t.location, claim.fragment) in seen:
                    continue
                seen.add((t.location, claim.fragment))
                yield Finding("R6", Severity.WARNING, t.location,
                              f"文中写{_quote(claim.fragment)}，与{table}不一致。"
                              f"正文的数字应与表格一致，请核对后改正其中一处。", t.field)


_UNIT_NUM = re.compile(r"(\d+)(余|多)?(件|条|个|次|项|篇|场|期)")
_PARTS_STOP = re.compile(r"另有|另外|此外|同时|以及|还有|同比|较上年|均")


def _d4(ctx: _Context) -> Iterator[Finding]:
    """A stated total followed by 其中 parts that add up to more than it."""
    for t in ctx.texts:
        for sentence in re.split(r"[。\n]", t.text):
            starts = [m.start() for m in re.finditer("其中", sentence)]
            for n, pos in enumerate(starts):
                head = sentence[:pos]
                clause = re.split(r"[；;]", head)[-1]
                totals = list(_UNIT_NUM.finditer(clause))
                if not totals:
                    continue
                total = totals[-1]
                if total.group(2) or len(clause) - total.end() > 2 or clause[:total.start()].endswith(_APPROX_BEFORE):
                    continue
                end = starts[n + 1] if n + 1 < len(starts) else len(sentence)
                tail = sentence[pos + 2:end]
                listed = tail.startswith(("：", ":"))
                if not listed:
                    stop = re.search(r"[；;]", tail)
                    if stop:
                        tail, end = tail[:stop.start()], None
                cut = _PARTS_STOP.search(tail)
                if cut:
                    tail, end = tail[:cut.start()], None
                parts = [m for m in _UNIT_NUM.finditer(tail) if m.group(3) == total.group(3)]
                if end is not None and n + 1 < len(starts) and parts:
                    parts = parts[:-1]  # the last figure before the next 其中 is that one's total
                if any(m.group(2) for m in parts):
                    continue
                stated, added = int(total.group(1)), sum(int(m.group(1)) for m in parts)
                if parts and added > stated:
                    shown = "+".join(m.group(1) for m in parts)
                    yield Finding("D4", Severity.WARNING, t.location,
                                  f"文中说共 {stated}{total.group(3)}，但“其中”列出的各项 {shown} = {added}"
                                  f"{total.group(3)}，超过了总数。请核对总数和各项数字。", t.field)


# ====================================================================== D13 doubled runs


_HAN = "\u4e00-\u9fff"
# Words a doubled character may legitimately start after a word ending in the same character
# (学习习近平, 财政政策, 公开开展): these pairs end a word, so XX is a word boundary, not a typo.
_ENDS_WITH: frozenset[str] = frozenset("""
执行 进行 实行 履行 施行 运行 发行 举行 推行 现行 试行 先行 同行 可行 并行 平行 通行 出行 流行 自行 暂行
另行 银行 践行 奉行 遵行 盛行 步行 言行 航行 旅行 强行 例行 力行 排行 分行 支行 总行 代行 颁行 厉行 易行
行政 财政 民政 市政 党政 执政 施政 参政 议政 勤政 廉政 邮政 家政 时政 新政 德政 从政 内政 县政 乡政 镇政
诚信 通信 电信 征信 书信 短信 来信 微信 自信 确信 相信 威信 公信 守信 失信 互信 坚信 深信 音信 回信
办公 奉公 秉公 因公 为公
公开 召开 展开 打开 离开 分开 敞开 放开 揭开 避开 拉开 铺开
重申 引申
答复 回复 恢复 反复 修复 批复 往复 康复 重复 平复 报复
起诉 投诉 上诉 申诉 控诉 告诉 倾诉 应诉 败诉 胜诉 公诉
督办 承办 交办 主办 协办 创办 举办 开办 代办 帮办 查办 转办 领办 经办 首办 速办 网办 通办 府办 政办 党办
员工 职工 施工 加工 分工 竣工 开工 完工 人工 用工 务工 社工 监工 复工
畅通 沟通 交通 开通 贯通 普通 联通 互通 融通 打通 疏通 流通 连通 接通 直通
许可 认可 不可 宁可 即可 皆可 均可 也可 亦可 方可 无可 尚可
推进 促进 先进 引进 改进 增进 前进 跟进 并进 演进 迈进 精进
民主 自主 业主 为主 做主 户主
初审 复审 终审 会审 联审 送审 评审 报审 预审 政审
监管 主管 保管 托管 分管 代管 接管 看管 掌管 共管 统管 严管 不管
上网 联网 官网 电网 外网 内网 专网 政网
水平 公平 和平 持平 扁平
疫情 舆情 国情 民情 社情 实情 详情 案情 灾情 感情 热情 事情 同情 行情 县情 市情
询问 访问 学问 顾问 追问 过问 慰问 提问 疑问 审问
全年 今年 去年 明年 上年 下年 本年 当年 每年 近年 历年 同年 青年 少年 老年 成年 多年 长年 新年 周年 往年
上报 填报 申报 通报 汇报 举报 情报 公报 年报 日报 简报 快报 预报 回报 呈报 报报
机制 体制 编制 控制 限制 管制 法制 建制 复制 研制 印制 绘制 规制 专制 税制
法规 常规 违规 正规 合规 新规 党规
公文 发文 原文 全文 正文 条文 行文 来文 收文 本文 下文 上文
时机 危机 契机 司机 手机 动机 商机 生机 随机 主机
全部 内部 外部 局部 干部 本部 总部 各部 支部
清单 名单 简单 订单 账单 菜单 传单 表单 罚单 保单
人群 社群 族群 建群
克服 说服 征服 信服 制服 衣服 舒服
总数 人数 件数 次数 多数 少数 参数 指数 分数 系数 基数 个数 户数 无数 实数
安全 健全 完全 齐全 周全 保全 成全 顾全
严重 尊重 注重 着重 比重 隆重 慎重 并重 偏重 庄重
普及 涉及 以及 危及 波及 顾及 提及 不及 来及
增加 参加 附加 追加 施加 更加 外加
前提
总结 团结 终结 了结 完结 办结 审结 归结 缔结 集结 冻结 勾结 纠结 连结
判决 裁决 表决 解决 否决 坚决 议决
固执 争执 偏执 回执
方案 议案 提案 档案 备案 立案 办案 结案 草案 预案 法案 文案 答案 个案 专案 投案
也许 或许 允许 些许 期许 默许 赞许 准许 特许
税收 接收 验收 回收 吸收 征收 没收 丰收 创收 营收 签收
经费 收费 缴费 免费 消费 浪费 学费 会费 运费 税费 规费 党费
社会 机会 大会 协会 学会 工会 委员会 居委会 村委会 开会 理会 体会 领会 议会 年会 例会 常委会 都会
创新 更新 革新 全新 最新 崭新 重新 刷新 翻新 清新
传媒 新媒 融媒
开发 印发 出发 下发 转发 签发 制发 颁发 分发 突发 爆发 揭发 激发 启发 引发 研发 首发 多发 频发 高发 核发
专栏 公开栏 宣传栏 栏栏
了解 理解 讲解 化解 调解 和解 见解 注解 图解 破解 分解 讲解 解解
来回 返回 撤回 退回 驳回 挽回 收回 召回 巡回
变更
学习 练习 复习 见习 实习 补习 温习 研习 演习 自习
保留 停留 逗留 挽留 扣留 居留 拘留 滞留 预留 存留
职权 政权 主权 人权 产权 股权 版权 授权 特权 维权 分权 集权 事权 财权 确权
理财 钱财 发财
根本 基本 成本 资本 样本 文本 版本 课本 书本 账本 范本 原本 副本 标本 脚本 剧本
依法 方法 办法 立法 执法 违法 合法 司法 宪法 守法 普法 做法 想法 说法 看法 用法 语法 章法 不法 书法
定期 按期 到期 逾期 同期 近期 长期 短期 初期 后期 中期 学期 任期 时期 日期 限期 如期 延期 预期 分期 当期 本期 末期 周期
参考 思考 高考 备考 报考
测评 考评 点评 好评 差评 自评 互评 评评 讲评
项目 栏目 科目 节目 题目 条目 书目 细目 数目 名目 账目 耳目 要目
目标 指标 商标 达标 招标 中标 投标 坐标 路标 超标 对标 夺标
事项 款项 专项 单项 各项 多项 选项 强项 弱项 分项 立项 逐项 全项
厘清 澄清 肃清 分清 理清 认清 查清 弄清 还清 付清 结清
投资 工资 融资 物资 外资 出资 师资 合资 集资 筹资 独资 注资
加强 增强 坚强 富强 顽强 自强 勉强 列强 较强 更强 很强 最强
监督 总督 基督
管理 处理 办理 治理 代理 经理 总理 受理 审理 清理 整理 梳理 料理 护理 修理 推理 道理 真理 原理 合理 心理 地理 助理 协理 打理 物理 伦理
日常 正常 经常 非常 异常 反常 通常 照常 平常 如常 家常 失常 寻常 无常
规定 确定 稳定 制定 决定 认定 鉴定 设定 约定 限定 法定 指定 审定 核定 判定 评定 选定 拟定 商定 议定 一定 肯定 否定 固定 坚定 特定
责任 主任 信任 担任 委任 就任 上任 离任 兼任 专任 新任 现任 历任 首任 前任 胜任 放任 聘任 出任
建设 假设 增设 开设 设设 铺设 架设 创设 陈设 下设 内设 分设 附设 常设 预设 新设
企业 行业 产业 就业 职业 专业 事业 农业 工业 商业 创业 营业 作业 学业 毕业 物业 林业 渔业 副业 主业 失业 家业 基业
部门 专门 热门 冷门 大门 出门 上门 入门 窍门 闸门 油门 国门 家门 厂门 校门
领导 指导 引导 督导 辅导 倡导 主导 疏导 教导 报导 开导 诱导 向导 训导 劝导
申请 邀请 提请 报请 呈请 声请 敬请 恳请 烦请 吁请
全县 全市 全区 全镇 全乡 全省 全国 全旗 全村 我县 我市 我区 我镇 我乡 本县 本市 本区 本镇 本乡
数据
""".split())
# Words a typo most often doubles the first character of (行行政复议): only these are flagged.
_STARTS: frozenset[str] = frozenset("""
行政 政府 政务 政策 信息 公开 申请 复议 诉讼 办理 工作 通过 可以 进一步 主动 审查 审核 管理 网站 平台 情况
问题 年度 报告 制度 规范 文件 机关 部门 单位 社会 群众 服务 数据 全面 重点 及时 加强 提高 相关 处理 答复
结果 决策 执法 案件 许可 收费 会议 新闻 发布 栏目 解读 回应 更新 人员 事项 项目 清单 资金 强制 依法
期限 考核 评议 目录 标准 留言 权力 财政 本机关 基本 落实 推进 规定 监督 责任 建设 企业 领导
""".split())
# Reduplications that are words in their own right.
_REDUPLICATIONS: frozenset[str] = frozenset("""
常常 人人 天天 看看 一一 层层 处处 事事 时时 件件 个个 家家 户户 年年 月月 日日 步步 条条 项项 样样 种种
次次 渐渐 慢慢 好好 多多 刚刚 仅仅 往往 默默 紧紧 牢牢 实实 稳稳 切切 明明 纷纷 频频 统统 村村 组组 县县
级级 环环 节节 桩桩 句句 字字 点点 滴滴 面面 方方 块块 片片 代代 期期 周周 季季 篇篇 笔笔 单单 恰恰 略略
稍稍 悄悄 深深 高高 大大 小小 早早 长长 满满 足足 整整 通通 重重 累累 历历 兢兢 业业 勤勤 恳恳 踏踏 扎扎
认认 真真 堂堂 正正 白白 清清 楚楚 干干 净净 平平 安安 当当 框框 上上 下下 里里 外外 来来 进进 出出 说说
想想 试试 谈谈 听听 走走 问问 查查 等等 谢谢 蒸蒸 欣欣 生生 息息 源源 滚滚 井井 津津 孜孜 循循 谆谆 济济
落落 草草 匆匆 屡屡 岁岁 久久 世世 户户 人人 款款 些些 哈哈 呵呵 嘻嘻 区区 寥寥 茫茫 浩浩 荡荡 熊熊 赫赫
""".split())


def _doubled_runs(text: str) -> Iterator[str]:
    """Snippets where a run is typed twice: 行行政复议, 政府政府, 可通过可以通过."""
    for line in text.split("\n"):
        # (a) one character doubled where it starts a common word and does not end the word before.
        for m in re.finditer(rf"([{_HAN}])\1", line):
            x, i = m.group(1), m.start()
            if x + x in _REDUPLICATIONS or (i + 2 < len(line) and line[i + 2] == x):
                continue
            before = line[i - 1] if i > 0 else ""
            if before.isdigit() or (before + x) in _ENDS_WITH or line[max(0, i - 2):i] + x in _ENDS_WITH:
                continue
            after = line[i + 2:i + 5]
            if any(after.startswith(w[1:]) and w[0] == x for w in _STARTS):
                yield line[max(0, i - 2):i + 5]
        # (b) a run of 2–4 characters typed twice in a row: 政府政府, 信息公开信息公开.
        for m in re.finditer(rf"([{_HAN}]{{2,4}})\1", line):
            run = m.group(1)
            if run[0] == "一" or len(set(run)) == 1:
                continue  # 一步一步, 一个一个 are idiomatic
            yield m.group(0)
        # (c) a run followed by itself with one character added or dropped: 可通过可以通过.
        for size in (3, 4):
            for i in range(len(line) - 2 * size):
                a = line[i:i + size]
                if not re.fullmatch(rf"[{_HAN}]+", a):
                    continue
                for other in (size + 1, size - 1):
                    b = line[i + size:i + size + other]
                    if len(b) != other or a == b or a[0] != b[0] or a[-1] != b[-1]:
                        continue
                    longer, shorter = (b, a) if other > size else (a, b)
                    if any(longer[:k] + longer[k + 1:] == shorter for k in range(1, len(longer) - 1)):
                        yield a + b


def _d13(ctx: _Context) -> Iterator[Finding]:
    for t in ctx.texts:
        for snippet in dict.fromkeys(_doubled_runs(t.text)):
            yield Finding("D13", Severity.WARNING, t.location,
                          f"{_quote(snippet)} 中有重复的字词，像是修改时留下的笔误。请核对并删去多余的部分。", t.field)


# ====================================================================== empty required parts


def _empty_parts(ctx: _Context) -> Iterator[Finding]:
    r = ctx.report
    if ctx.imported:
        found = ctx.headings_found or _printed_sections(ctx)
        wanted = {0: "overview", 4: "problems"}
        for index, key in wanted.items():
            heading = fmt.SECTION_HEADINGS[index]
            empty = not ctx.section_text(key).strip() if ctx.texts else True
            if index not in found and empty:
                yield Finding("D6", Severity.WARNING, heading,
                              f"原文中没有找到“{heading}”的内容。这一部分必须有文字，请补写。", key)
        return
    for key, label, text in r.overview.parts():
        if not text.strip():
            yield Finding("D6", Severity.WARNING, f"{_HEADING_OF['overview']} {label}",
                          f"“{label}”还没有内容。一、总体情况的五个部分都要写，请结合本年的实际工作补写。",
                          f"overview.{key}")
    five = _HEADING_OF["problems"]
    if not r.problems.problems.strip():
        yield Finding("D6", Severity.WARNING, f"{five} {fmt.PROBLEMS_HEAD}",
                      "还没有写存在的主要问题。请写出本年工作中具体的不足，不要照搬套话。", "problems.problems")
    one_text = r.problems.layout == "paragraph" and r.problems.problems.strip()
    if not r.problems.improvements.strip() and not one_text:  # a running text holds both
        yield Finding("D6", Severity.WARNING, f"{five} {fmt.IMPROVEMENTS_HEAD}",
                      "还没有写改进措施。请针对上面的问题写出具体的改进办法。", "problems.improvements")


# ====================================================================== D18: placeholders left in


PLACEHOLDER = re.compile(r"【请填写[^】]*】")


def _placeholders(ctx: _Context) -> Iterator[Finding]:
    """D18: a library draft's 【请填写：…】 — a fact the answers did not give — still in the text."""
    r = ctx.report
    parts: list[tuple[str, str, str]] = [("封面 前言", "preface", r.preface)]
    parts += [(f"{_HEADING_OF['overview']} {label}", f"overview.{key}", text)
              for key, label, text in r.overview.parts()]
    parts += [(_HEADING_OF["problems"], "problems.problems", r.problems.problems),
              (_HEADING_OF["problems"], "problems.improvements", r.problems.improvements),
              (_HEADING_OF["problems"], "problems.followup", r.problems.followup)]
    parts += [(_HEADING_OF["other"], f"other.{name}", getattr(r.other, name))
              for name in ("fee_statement", "work_points", "proposals", "innovation", "other")]
    for where, field, text in parts:
        found = PLACEHOLDER.findall(text or "")
        if found:
            yield Finding("D18", Severity.ERROR, where,
                          f"“{where}”里还留着 {len(found)} 处待填写的内容，如{found[0]}。草稿只写了您的回答能说明的事，"
                          f"其余要您补上：请换成本单位的实际情况，或删去这一句。", field)
