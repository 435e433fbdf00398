"""Rules R1–R11 and D1–D17 of the 2021 format: a report (+ last year's) → findings.

`check` is a pure function: no I/O, no clock. Table rules read the model (and, for an imported
report, what it printed in `Report.printed`); prose rules read the narrative fields of a draft
or, for an imported report, the published text itself split into its sections, because that is
what the public read. Missing required content (an empty narrative part, no agency name) is
reported under D6 — "a heading with nothing under it".
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import Enum
from importlib import resources
from typing import Any, TypeVar, cast

from gkassist import format as fmt
from gkassist import numbers
from gkassist.model import Report, cell_path
from gkassist.textsim import similarity

__all__ = ["Finding", "Severity", "check", "similarity"]


def _load_words() -> tuple[dict[str, frozenset[str]], dict[str, Any]]:
    """The word lists of words.toml (inside the package): key → words, and the plausibility limits."""
    data = tomllib.loads(resources.files("gkassist").joinpath("words.toml").read_text(encoding="utf-8"))
    plausible = data.pop("plausible")
    return {key: frozenset(value.split()) for key, value in data.items()}, plausible


_WORDS, _PLAUSIBLE = _load_words()


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
    """Every finding for `report`, errors first, then warnings, then hints (stable within).

    Without `previous`, the rules across years (R5, R9, D11, D15's jumps) use what a re-run kept
    of last year in `report.draft.last_year`, so the app and `check FILE` agree.
    """
    ctx = _Context(report)
    found: list[Finding] = []
    for rule in (_basics, _r1, _r2_r3_r4, _r8, _r7, _pending_cells, _r10, _d6_tables, _d1, _d2, _d3, _d5,
                 _d7, _d8, _d9, _d10, _r6, _d4, _d13, _d12, _empty_parts, _d14, _d16, _d17,
                 _placeholders):
        found.extend(rule(ctx))
    last = _LastYear.of(report, previous)
    found.extend(_r5(ctx, last))
    found.extend(_r9(ctx, last))
    found.extend(_d11(ctx, last))
    found.extend(_d15(ctx, last))
    found = _within_2019_format(ctx, found)
    found = _pending_not_blank(ctx, found)
    return sorted(found, key=lambda f: _RANK[f.severity])


_NOT_IN_2019 = ("R9", "R10", "D7")
"""Rules about what the 2019 (试行) tables did not have: table 二's 废止/现行有效 and fee amount,
（六）其他处理's sub-rows, the 2021 labels."""


def _within_2019_format(ctx: _Context, found: list[Finding]) -> list[Finding]:
    """An imported report in the 2019 layout is not held to what that layout did not ask for."""
    if ctx.printed is None or ctx.printed.layout != "2019":
        return found
    sub_rows = tuple(fmt.T3_ROW[k].location for k in ("other_no_correction", "other_no_fee"))
    return [f for f in found if f.rule not in _NOT_IN_2019
            and not (f.rule == "R7" and (f.location.startswith(T2) or f.location.startswith(sub_rows, len(T3) + 1)))]


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


_PAGE_MARK = re.compile(r"^[-—–－]\s*\d+\s*[-—–－]$")
_INLINE_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_SENTENCE_END = "。；！？：;!?:"


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


# Markdown around a heading (`## 一、总体情况`, `**（一）主动公开**`) is not part of it.
_MARKUP = re.compile(r"^[#>*_]+|[*_]+$")
_LEAD_MARKUP = " \t\u3000\xa0#>*_"  # what `_heading_core` removes before a heading's number


@functools.lru_cache(maxsize=4096)
def _heading_core(text: str) -> tuple[str | None, str]:
    """('五', '存在的主要问题及改进情况') from '五、存在的主要问题及改进情况' (number may be None)."""
    s = _MARKUP.sub("", _INLINE_SPACE.sub("", text.strip())).translate(str.maketrans("()", "（）"))
    m = re.match(rf"^([{_CN_DIGITS}]+)[、.．,，]?(.*)$", s)
    if m and m.group(2):
        return m.group(1), m.group(2).rstrip("：:。.")
    return None, s.rstrip("：:。.")


_T3_ROW_CORES = tuple(_heading_core(r.label)[1] for r in fmt.T3_ROWS if not r.group) + (
    _heading_core(fmt.RESULTS_GROUP)[1],)


@functools.lru_cache(maxsize=4096)
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
    # A numbered heading's first character, past spaces and Markdown, is a Chinese numeral; most
    # lines of a report are not headings and are turned away here without parsing.
    first = line.lstrip().lstrip(_LEAD_MARKUP)[:1]
    if not first or first not in _CN_DIGITS:
        return None
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


_T = TypeVar("_T")


class _LastScan:
    """What a text-only scan found in each narrative part the last time it ran, kept until the
    part's text changes.

    `check` runs after every answer, and an answer changes one part at most: with a long
    narrative (an 800 KB answers file) scanning every part again took ~200 ms of each answer.
    One entry per scan and part — keyed by what the scan is and where the part is, holding the
    text it read — so memory stays within one copy of the report's narrative, and a result is
    reused only for an equal text and equal other inputs (a scan is a pure function of them)."""

    def __init__(self) -> None:
        self._last: dict[tuple[str, str, str], tuple[str, tuple[Any, ...], Any]] = {}

    def get(self, scan: str, where: tuple[str, str], text: str, inputs: tuple[Any, ...],
            run: Callable[[], _T]) -> _T:
        key = (scan, *where)
        last = self._last.get(key)
        if last is not None and (last[0] is text or last[0] == text) and last[1] == inputs:
            return cast("_T", last[2])
        result = run()
        self._last[key] = (text, inputs, result)
        return result

    def forget(self) -> None:
        self._last.clear()


_SCANS = _LastScan()


def forget_scans() -> None:
    """Forget what earlier checks read: the next check scans every part (a benchmark of the first
    check of a file; nothing else needs it, a changed text is always scanned again)."""
    _SCANS.forget()


_PART_MARK = re.compile(rf"^[（(]([{_CN_DIGITS}])[)）]")
_PROBLEMS_AT = {1: ("problems", fmt.PROBLEMS_HEAD), 2: ("improvements", fmt.IMPROVEMENTS_HEAD)}


class _Context:
    """The report plus what several rules need read once: narrative pieces, printed cells."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.printed = report.printed
        self.imported = report.printed is not None
        self.cells: dict[str, str] = dict(report.printed.cells) if report.printed else {}
        # Every printed cell is read once per check: its number (None when it is not one) and,
        # when it is neither a number nor empty, its text ("/", "—", "无" …).
        self._ints: dict[str, int | None] = {}
        self._odd: dict[str, str] = {}
        for cid, text in self.cells.items():
            plain = text.strip()
            # Most printed cells are plain ASCII digits; anything else goes through the one parser.
            self._ints[cid] = int(plain) if plain.isascii() and plain.isdigit() else numbers.printed_int(text)
            # The fee is in 万元 with decimals; every other cell is a whole count.
            read = numbers.printed_decimal(text) if cid == "t2.fee" else self._ints[cid]
            if plain and read is None:
                self._odd[cid] = plain
        # Table 三 as entered, read off the model once: the rules look at its cells hundreds of
        # times per check, and a plain dict costs a fraction of a pydantic attribute read.
        # (A row's __dict__ holds exactly its six fields: extra="forbid".)
        rows = report.applications.rows
        self.grid: dict[str, dict[str, int | None]] = {key: rows[key].__dict__ for key in fmt.ROW_KEYS}
        self.row_blank: dict[str, bool] = {
            key: all(cells[c] is None for c in fmt.COLUMN_KEYS) for key, cells in self.grid.items()}
        self.row_total: dict[str, int] = {
            key: sum(cells[c] or 0 for c in fmt.COLUMN_KEYS) for key, cells in self.grid.items()}
        self._t3: dict[tuple[str, str], int] = self._t3_table()
        self.headings_found: set[int] = set()
        self.texts: list[_Text] = self._texts()
        self.lost_columns = self._lost_columns()

    # -- printed cells
    def printed_int(self, cid: str) -> int | None:
        """The number a printed cell holds; None when it is not printed or not a whole number."""
        return self._ints.get(cid)

    def printed_odd(self, cid: str) -> str | None:
        """The printed text of a cell when it is neither a number nor empty ("/", "—", "无" …)."""
        return self._odd.get(cid)

    @property
    def any_odd(self) -> bool:
        """Whether any printed cell is neither a number nor empty."""
        return bool(self._odd)

    def _lost_columns(self) -> set[str]:
        """Applicant columns of an imported table 三 with a blank cell in a row whose printed 总计
        is not 0: their sums are unknowable, so R1/R2 leave them to R7."""
        if not self.imported:
            return set()
        grid = self.grid
        lost = {c for row in fmt.ROW_KEYS for c in fmt.COLUMN_KEYS
                if grid[row][c] is None and self.printed_int(f"t3.{row}.total")}
        # 待核对 cells of the import are unknown, not 0: their columns (and so the 总计) wait too.
        pending = {cid.split(".")[2] for cid in self.report.draft.pending if cid.startswith("t3.")}
        return lost | pending | ({"total"} if pending else set())

    def pending_in(self, prefix: str) -> bool:
        """Whether an imported row or block (cell id prefix) has a 待核对 cell."""
        return any(cid.startswith(prefix) for cid in self.report.draft.pending)

    # -- table 三 as it effectively stands (printed totals stand in for lost applicant cells)
    def t3(self, row: str, col: str) -> int:
        """A cell of table 三 (row and column may be 'total'), blank counted as 0."""
        return self._t3[(row, col)]

    def _t3_table(self) -> dict[tuple[str, str], int]:
        """Every cell of table 三 as it effectively stands, worked out once per check."""
        table: dict[tuple[str, str], int] = {}
        for row in fmt.ROW_KEYS:
            cells = self.grid[row]
            for col in fmt.COLUMN_KEYS:
                table[(row, col)] = cells[col] or 0
            total = self.row_total[row]
            if self.row_blank[row]:
                printed = self.printed_int(f"t3.{row}.total")
                if printed is not None:
                    total = printed
            table[(row, "total")] = total
        for col in (*fmt.COLUMN_KEYS, "total"):
            table[("total", col)] = sum(table[(k, col)] for k in fmt.OUTCOME_KEYS)
        return table

    def t3_blank(self) -> bool:
        return all(self.row_blank.values()) and not any(
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
        return [_Text(t.location, t.field, _SCANS.get("prose", (t.location, t.field), t.text, (),
                                                 functools.partial(_prose, t.text, join_lines=False)),
                      t.section) for t in out if t.text.strip()]

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
            m = (_PART_MARK.match(_MARKUP.sub("", _INLINE_SPACE.sub("", line.strip())))
                 if "（" in line or "(" in line else None)
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

    @functools.cached_property
    def all_text(self) -> str:
        """Every narrative piece in one string, for a quick "does this word occur at all"."""
        return "\n".join(t.text for t in self.texts)

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
                          "规章和自称用词的检查没有进行。请选择机关类型后再检查。", "agency.kind")
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
    grid = ctx.grid
    return all(grid[row][c] is None for row in (*fmt.OUTCOME_KEYS, "carry_next") for c in cols)


@dataclass(frozen=True)
class ColumnBalance:
    """R1 for one column of table 三: 新收 + 上年结转 = 办理结果总计 + 结转下年度."""

    column: str
    new: int
    carried: int
    handled: int
    carried_next: int

    @property
    def received(self) -> int:
        return self.new + self.carried

    @property
    def ok(self) -> bool:
        return self.received == self.handled + self.carried_next


def column_balance(cell: Callable[[str, str], int], col: str) -> ColumnBalance:
    """R1's sums for one column, read through `cell(row, col)` (blank counted as 0): the checks
    judge the report with it, the grid shows it live while the clerk types."""
    return ColumnBalance(col, cell("new", col), cell("carried", col), cell("total", col), cell("carry_next", col))


def _r1(ctx: _Context) -> Iterator[Finding]:
    for col in (*fmt.COLUMN_KEYS, "total"):
        if col in ctx.lost_columns or _results_not_entered(ctx, col):
            continue
        bal = column_balance(ctx.t3, col)
        if bal.ok:
            continue
        new, carried, done, carry_next = bal.new, bal.carried, bal.handled, bal.carried_next
        have, used = bal.received, bal.handled + bal.carried_next
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
        if printed is None or ctx.row_blank[row] or ctx.pending_in(f"t3.{row}."):
            continue
        derived = ctx.row_total[row]
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
        if printed is None or all(getattr(counts, k) is None for k in fmt.OUTCOME_KEYS_T4) \
                or ctx.pending_in(f"t4.{block}."):
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


# ====================================================================== last year (R5, R9, D11, D15)


@dataclass(frozen=True)
class _LastYear:
    """What is known of last year's report: the report itself (`--previous`) or what a re-run kept."""

    year: int | None
    carry_next: dict[str, int | None]  # table 三 column → 四、结转下年度继续办理
    in_force: dict[str, int | None]    # table 二 row (rules, normative) → 现行有效件数
    texts: dict[str, str]              # narrative model path → text
    figures: dict[str, int | None]     # cell id → figure
    context: _Context | None           # the whole report, when one was passed
    known: bool                        # False when nothing at all is known of last year

    @classmethod
    def of(cls, report: Report, previous: Report | None) -> _LastYear:
        if previous is not None:
            p = previous.proactive
            apps = previous.applications
            figures: dict[str, int | None] = {
                "t2.licensing": p.licensing, "t2.penalty": p.penalty, "t2.enforcement": p.enforcement,
                "t3.new.total": None if apps.row("new").blank else apps.cell("new", "total")}
            return cls(previous.year, {c: apps.value("carry_next", c) for c in fmt.COLUMN_KEYS},
                       {"rules": p.rules.in_force, "normative": p.normative.in_force}, {}, figures,
                       _Context(previous), True)
        kept = report.draft.last_year
        if kept is None:
            return cls(None, {}, {}, {}, {}, None, False)
        return cls(kept.year, dict(kept.carried_over), dict(kept.in_force), dict(kept.texts),
                   dict(kept.figures), None, True)

    @property
    def name(self) -> str:
        return f"{self.year}年" if self.year else "上年"


def _r5(ctx: _Context, last: _LastYear) -> Iterator[Finding]:
    if not last.known or (last.context is None and not last.carry_next):
        return
    this = ctx.report.applications
    if not ctx.imported and ctx.row_blank["carried"]:
        return  # the clerk has not reached the row yet; R7 lists the blanks
    if all(last.carry_next.get(c) is None for c in fmt.COLUMN_KEYS):
        yield Finding("R5", Severity.INFO, _t3_where("carried"),
                      f"{last.name}报告的 四、结转下年度继续办理 一行是空白，无法核对本年 二、上年结转 是否与它相等。"
                      f"请对照{last.name}实际结转的申请数核对这一行。", "applications.rows.carried")
        return
    overrides = ctx.report.draft.overrides
    for col in fmt.COLUMN_KEYS:
        now, before = this.cell("carried", col), last.carry_next.get(col) or 0
        if now == before:
            continue
        field = f"applications.rows.carried.{col}"
        reason = overrides.get(field) or overrides.get("applications.rows.carried")
        message = (f"本年 二、上年结转 的 {fmt.COLUMN_LABEL[col]} 填的是 {now}，但{last.name}报告 四、结转下年度继续办理 "
                   f"是 {before}。两者应当相等，")
        message += (f"已说明改动原因：{reason}。请确认这一说明写进报告。" if reason
                    else "请改为上年的结转数，或者说明不一致的原因。")
        yield Finding("R5", Severity.WARNING, _t3_where("carried", col), message, field)


# ====================================================================== R9, R10 (table 二)


def _r9(ctx: _Context, last: _LastYear) -> Iterator[Finding]:
    """Last year's 现行有效 + 本年制发 − 本年废止 = this year's 现行有效."""
    p = ctx.report.proactive
    overrides = ctx.report.draft.overrides
    for key, label in (("rules", fmt.ROW_RULES), ("normative", fmt.ROW_NORMATIVE)):
        row = getattr(p, key)
        before = last.in_force.get(key)
        if before is None or None in (row.issued, row.repealed, row.in_force):
            continue
        expected = before + row.issued - row.repealed
        if row.in_force == expected:
            continue
        field = f"proactive.{key}.in_force"
        reason = overrides.get(field)
        message = (f"{T2} {label}：{last.name}现行有效 {before} 件，本年制发 {row.issued} 件、废止 {row.repealed} 件，"
                   f"现行有效应为 {before} + {row.issued} − {row.repealed} = {expected} 件，表中填的是 {row.in_force} 件。")
        message += (f"已说明原因：{reason}。请确认这一说明写进报告。" if reason else
                    f"请把“{fmt.COL_IN_FORCE}”改为 {expected}；如有文件到期自然失效等原因，请在正文中说明。")
        yield Finding("R9", Severity.WARNING, f"{T2} {label}", message, field)


def _r10(ctx: _Context) -> Iterator[Finding]:
    """本年制发 − 本年废止 ≤ 现行有效: what was made this year and not repealed is still in force."""
    p = ctx.report.proactive
    for key, label in (("rules", fmt.ROW_RULES), ("normative", fmt.ROW_NORMATIVE)):
        row = getattr(p, key)
        if None in (row.issued, row.repealed, row.in_force):
            continue
        if row.issued - row.repealed > row.in_force:
            yield Finding(
                "R10", Severity.ERROR, f"{T2} {label}",
                f"{T2} {label}：本年制发 {row.issued} 件、废止 {row.repealed} 件，至少还有 "
                f"{row.issued - row.repealed} 件现行有效，但“{fmt.COL_IN_FORCE}”只填了 {row.in_force} 件。"
                f"本年制发而未废止的文件仍然有效，请核对这一行的三个数字。", f"proactive.{key}.in_force")


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
    grid, printed = ctx.grid, ctx.any_odd
    blank = {row: [c for c in fmt.COLUMN_KEYS
                   if grid[row][c] is None or (printed and ctx.printed_odd(f"t3.{row}.{c}"))]
             for row in fmt.ROW_KEYS}
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


def _pending_cells(ctx: _Context) -> Iterator[Finding]:
    """Cells an import could not be sure of (待核对): blank until the clerk confirms them."""
    pending = ctx.report.draft.pending
    names = {"t2": T2, "t3": T3, "t4": T4}
    for prefix, name in names.items():
        cells = sorted(cid for cid in pending if cid.startswith(prefix + "."))
        if not cells:
            continue
        reasons = list(dict.fromkeys(pending[c].reason for c in cells if pending[c].reason))
        shown = "；".join(reasons[:3]) + ("……" if len(reasons) > 3 else "")
        yield Finding("R7", Severity.WARNING, name,
                      f"{name} 有 {len(cells)} 格数字导入时无法确定，标为待核对并留空（{shown}）。"
                      f"请对照原文逐格确认后填写。", _pending_field(cells[0]))


def _pending_not_blank(ctx: _Context, found: list[Finding]) -> list[Finding]:
    """A 待核对 cell was printed but not understood: `_pending_cells` says so, R7's “没有印数字”
    for the same cells would be wrong."""
    fields = {_pending_field(cid) for cid in ctx.report.draft.pending}
    return [f for f in found if not (f.rule == "R7" and f.field in fields and "待核对" not in f.message)]


def _pending_field(cid: str) -> str:
    return cell_path(cid)


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
        (2, "t3.", T3, all(ctx.row_blank.values())),
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
    kind = r.agency.kind
    if kind is None or kind is fmt.AgencyKind.OTHER:
        yield Finding("D12", Severity.INFO, "发布日期",
                      f"机关类型{'未知' if kind is None else '为“其他”'}，无法判断发布期限（政府部门为次年1月31日，"
                      f"县级以上人民政府为次年3月31日），发布日期没有核对。请选择机关类型后再检查。", "agency.kind")
        return
    month, day = fmt.DEADLINE.get(kind, fmt.DEFAULT_DEADLINE)
    deadline = date(r.year + 1, month, day)
    if r.published > deadline:
        yield Finding("D12", Severity.WARNING, "发布日期",
                      f"发布日期{r.published.year}年{r.published.month}月{r.published.day}日晚于{kind.value}的期限"
                      f"{deadline.year}年{month}月{day}日（{fmt.REGULATION}第四十九条）。"
                      f"请尽早发布；如日期填错，请改正。", "published")


# ====================================================================== D7, D8 (headings and labels)


_FULLWIDTH_PARENS = str.maketrans("()", "（）")
_NUMBERED_LABEL = re.compile(r"^(\d)[、．.]")


def _norm_label(label: str) -> str:
    s = _INLINE_SPACE.sub("", label).translate(_FULLWIDTH_PARENS)
    return _NUMBERED_LABEL.sub(r"\1.", s)


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
    matched = [(h, i) for h in headings if (i := _section_of(h)) is not None]
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


def _d9(ctx: _Context) -> Iterator[Finding]:
    agency = ctx.report.agency
    words = [w for w in fmt.foreign_self_words(agency.kind, agency.name) if w != agency.self_reference]
    if not words:
        return
    # Longest first, and a place taken by a longer word is not also a shorter one (全乡镇 ≠ 全乡).
    # Only the words that occur anywhere in the narrative are looked for text by text.
    everywhere = ctx.all_text
    present = sorted((w for w in words if w in everywhere), key=len, reverse=True)
    hits: dict[str, list[_Text]] = {}
    for t in ctx.texts if present else ():
        taken: set[int] = set()
        for word in present:
            for start in fmt.find_self_word(t.text, word):
                span = set(range(start, start + len(word)))
                if span & taken:
                    continue
                taken |= span
                hits.setdefault(word, []).append(t)
    kind_word = agency.kind.value if agency.kind else ""
    for word in words:
        places = hits.get(word)
        if not places:
            continue
        counts = Counter(t.location for t in places)
        where = "、".join(f"{loc}（{n}处）" if n > 1 else loc for loc, n in counts.items())
        own = fmt.own_self_word(agency.kind, word, agency.name) or agency.self_reference
        yield Finding("D9", Severity.ERROR, next(iter(counts)),
                      f"文中出现{_quote(word)} {len(places)} 次（{where}），但本报告的机关是"
                      f"{agency.name or kind_word}（{kind_word}），自称应是{_quote(agency.self_reference)}，"
                      f"这里应改为{_quote(own)}。"
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


def _kept_texts(texts: dict[str, str]) -> dict[str, str]:
    """Last year's texts kept by a re-run (model path → text), keyed like `_part_texts`."""
    out = {key: texts.get(f"overview.{key}", "") for key, _ in fmt.OVERVIEW_PARTS}
    out["problems"] = "\n".join(x for x in (texts.get("problems.problems", ""),
                                            texts.get("problems.improvements", "")) if x.strip())
    return out


_MIN_COMPARED = 30  # characters; a one-line "无" part is not a copy worth reporting
_COPY_SHARE = 0.5   # some assessments deduct points when a part repeats last year's by more than half


def _d11(ctx: _Context, last: _LastYear) -> Iterator[Finding]:
    if last.context is not None:
        before_parts = {k: v[2] for k, v in _part_texts(last.context).items()}
    elif last.texts:
        before_parts = _kept_texts(last.texts)
    else:
        return
    shares: list[str] = []
    for key, (where, field, text) in _part_texts(ctx).items():
        before = before_parts.get(key, "")
        if len(text.strip()) < _MIN_COMPARED or len(before.strip()) < _MIN_COMPARED:
            continue
        score = similarity(text, before)
        percent = round(score * 100)
        shares.append(f"{where.split(' ')[-1]} {percent}%")
        if score > _COPY_SHARE:
            yield Finding("D11", Severity.WARNING, where,
                          f"“{where}”与{last.name}报告的同一部分相似度 {percent}%，超过一半，像是照抄。"
                          f"2021年格式把内容雷同列为问题，有的考核对重复超过一半的扣分，请结合今年实际重写。", field)
    if shares:
        yield Finding("D11", Severity.INFO, "与上年对比",
                      f"各部分与{last.name}报告的相似度：{'；'.join(shares)}。超过 50% 的部分请重写。")


# ====================================================================== R6 and D4: numbers in prose


_NUM = numbers.FIGURE  # one group: 26 · 1,036 · 3.5万 · 二十六 (never 每一件, 统一, 第一)
_number = numbers.figure_int

# A comma between digits (1,036) does not split a clause.
_CLAUSE_SPLIT = re.compile(r"[，（）()]|,(?!\d{3})")
_SENTENCE_SPLIT = re.compile(r"[。；;！？!?\n]")
_APPROX_BEFORE = tuple(sorted(_WORDS["approx_before"], key=len, reverse=True))
_COMPARATIVE = tuple(_WORDS["comparative"])
_NOT_REQUESTS = tuple(_WORDS["not_requests"])
_CASES = ("复议", "诉讼")
_REQUEST_FIGURES = tuple(
    (what, re.compile(keys), re.compile(rf"({keys})([^\d]{{0,20}}?){_NUM}件"))
    for what, keys in (("新收", "新收|收到|受理|接收|接到"), ("办理", "办结|答复|回复|办理")))
_CARRY_FIGURE = re.compile(rf"结转([^\d]{{0,10}}?){_NUM}件|{_NUM}件([^\d]{{0,6}}?)(?:结转|顺延)")
_CASE_FIGURES = tuple((what, other, re.compile(rf"{what}([^\d]{{0,10}}?){_NUM}件"))
                      for what, other in (("行政复议", "诉讼"), ("行政诉讼", "复议")))
_NONE_RECEIVED = re.compile(r"(?:没有|未|未曾)(?:收到|受理|接到)[^，。；\d]{0,20}?(?:公开申请|依申请)")
_NO_CASES = re.compile(r"(?:未发生|没有发生|未出现|没有出现|未收到|没有收到|未被提起)[^，。；\d]{0,20}?"
                       r"(行政复议|行政诉讼)(?:[、和及或与](行政诉讼))?")
_YEAR_IN = re.compile(r"(\d{4})年")


@dataclass(frozen=True)
class _Claim:
    what: str  # 新收 / 办理 / 结转 / 行政复议 / 行政诉讼
    number: int
    fragment: str
    with_carried: bool = False  # the sentence says the figure includes last year's carried requests
    with_cases: bool = False    # 复议/诉讼 cases are named right beside an application figure


def _is_disclosure_request(text: str) -> bool:
    """Whether the words are about 政府信息公开 requests, not any other kind of 申请."""
    return "依申请" in text or "公开申请" in text or ("申请" in text and "信息公开" in text)


def _other_year(prefix: str, year: int | None) -> bool:
    years = [int(y) for y in _YEAR_IN.findall(prefix)]
    return bool(years) and year is not None and years[-1] != year


def _claims(sentence: str, year: int | None, about_requests: bool = False) -> Iterator[_Claim]:
    """Figures a sentence states about requests, reviews and suits — only clear, single-clause forms.

    `about_requests`: the sentence sits in the 依申请公开 part, where 办结/答复 N件 means requests.
    """
    if "件" not in sentence and not any(w in sentence for w in ("申请", *_CASES)):
        return
    request_context = about_requests or _is_disclosure_request(sentence)
    with_carried = "结转" in sentence and any(w in sentence for w in ("含", "包括", "加上", "连同"))
    # Every figure pattern ends in 件 and holds one of its key words: a sentence or clause without
    # them cannot match, so it is not split or scanned.
    clauses = _CLAUSE_SPLIT.split(sentence) if "件" in sentence else ()
    for clause in clauses:
        if "件" not in clause:
            continue
        for what, keys, pattern in _REQUEST_FIGURES:
            if not keys.search(clause):
                continue
            for m in pattern.finditer(clause):
                mid, tail = m.group(2), clause[m.end():m.end() + 12]
                if tail.startswith(("次", "余", "多")) or mid.endswith(_APPROX_BEFORE):
                    continue
                if any(w in mid + tail for w in _NOT_REQUESTS + _COMPARATIVE):
                    continue
                if _other_year(clause[:m.start()], year):
                    continue
                about = (_is_disclosure_request(mid + tail) or about_requests
                         or (what == "办理" and request_context))
                number = _number(m.group(3))
                if about and number is not None:
                    # 复议/诉讼 named in the rest of the sentence: the figure may have them added in (R11).
                    rest = sentence[sentence.find(m.group(0)) + len(m.group(0)):][:30]
                    yield _Claim(what, number, m.group(0), with_carried, any(w in rest for w in _CASES))
        for m in _CARRY_FIGURE.finditer(clause) if "结转" in clause or "顺延" in clause else ():
            text = m.group(0)
            if any(w in text for w in _COMPARATIVE) or text.startswith(_APPROX_BEFORE):
                continue
            number = _number(m.group(2) or m.group(3))
            if number is not None and not clause[m.end():].startswith("次"):
                yield _Claim("结转", number, text)
        for what, other, pattern in _CASE_FIGURES:
            if what not in clause:
                continue
            for m in pattern.finditer(clause):
                mid = m.group(1)
                if any(w in mid for w in (other, "维持", "纠正", "其他结果", "审结", "其中") + _COMPARATIVE):
                    continue
                if mid.endswith(_APPROX_BEFORE) or _other_year(clause[:m.start()], year):
                    continue
                number = _number(m.group(2))
                if number is not None:
                    yield _Claim(what, number, m.group(0))
    if "未" not in sentence and "没有" not in sentence:
        return  # both "none" patterns below open with 未 or 没有
    none = _NONE_RECEIVED.search(sentence)
    if none and not any(w in sentence for w in _CASES):
        yield _Claim("新收", 0, none.group(0))
    no_cases = _NO_CASES.search(sentence)
    if no_cases and not any(w in sentence for w in ("纠正", "纠错", "败诉", "撤销", "确认违法")):
        yield _Claim(no_cases.group(1), 0, no_cases.group(0))
        if no_cases.group(2):
            yield _Claim(no_cases.group(2), 0, no_cases.group(0))


def _text_claims(t: _Text, year: int | None) -> tuple[_Claim, ...]:
    """Every figure claim of a narrative part, sentence by sentence (_claims), scanned once per text."""
    about_requests = t.field == "overview.on_request"

    def scan() -> tuple[_Claim, ...]:
        return tuple(claim for sentence in _SENTENCE_SPLIT.split(t.text)
                     for claim in _claims(sentence, year, about_requests))

    return _SCANS.get("claims", (t.location, t.field), t.text, (year, about_requests), scan)


def _r6(ctx: _Context) -> Iterator[Finding]:
    r = ctx.report
    t3_known = not ctx.t3_blank()

    def entered(*rows: str) -> bool:
        """Whether the clerk (or the printed table) has given these rows any figure yet."""
        return t3_known and (ctx.imported or any(not ctx.row_blank[k] for k in rows))

    reviews = r.reviews
    t4_known = any(getattr(reviews.block(b), c) is not None for b, _ in fmt.T4_BLOCKS for c in fmt.OUTCOME_KEYS_T4)
    new, carried = ctx.t3("new", "total"), ctx.t3("carried", "total")
    done, carry_next = ctx.t3("total", "total"), ctx.t3("carry_next", "total")

    def printed_total(block: str) -> set[int]:
        v = ctx.printed_int(f"t4.{block}.total")
        return {v} if v is not None else set()

    lit_direct, lit_after = reviews.direct_suit.total, reviews.suit_after_review.total
    lit_total = reviews.litigation_total
    handled = entered(*fmt.OUTCOME_KEYS)
    done_text = f"表三 （七）总计 {done} 件"
    accepted: dict[str, tuple[bool, set[int], str]] = {
        "新收": (entered("new"), {new}, f"表三 新收 {new} 件"),
        "办结": (handled, {done}, done_text),
        "答复": (handled, {done}, done_text),
        "回复": (handled, {done}, done_text),
        "办理申请": (handled or entered("new"), {done, new, new + carried},
                 f"表三 （七）总计 {done} 件、新收 {new} 件"),
        "结转": (entered("carried", "carry_next"), {carried, carry_next},
               f"表三 上年结转 {carried} 件、结转下年度 {carry_next} 件"),
        "行政复议": (t4_known, {reviews.review.total} | printed_total("review"),
                   f"表四 {fmt.REVIEW} 总计 {reviews.review.total} 件"),
        "行政诉讼": (t4_known, {lit_total}, f"表四 {fmt.LITIGATION} 两栏总计共 {lit_total} 件"),
    }
    case_sums = {done + reviews.review.total, done + lit_total, done + reviews.review.total + lit_total} - {done}
    seen: set[tuple[str, str]] = set()
    for t in ctx.texts:
        for claim in _text_claims(t, r.year):
            key = claim.what
            if key == "办理":
                key = next((w for w in ("办结", "答复", "回复") if claim.fragment.startswith(w)), "办理申请")
            known, values, table = accepted[key]
            if key == "新收" and claim.with_carried:
                values = values | {new + carried}
            if not known or claim.number in values or (t.location, claim.fragment) in seen:
                continue
            seen.add((t.location, claim.fragment))
            if key in ("办结", "答复", "回复") and claim.with_cases and t4_known and claim.number in case_sums:
                yield Finding("R11", Severity.WARNING, t.location,
                              f"文中写{_quote(claim.fragment)}，像是把行政复议、行政诉讼案件加进了办理的申请数"
                              f"（{done_text}）。复议和诉讼案件不是政府信息公开申请，请把申请数改为 {done} 件，"
                              f"复议、诉讼案件另行写明。", t.field)
                continue
            if key == "行政诉讼" and lit_after and claim.number == lit_direct:
                yield Finding("R11", Severity.WARNING, t.location,
                              f"文中写{_quote(claim.fragment)}，只是{fmt.T4_BLOCK_LABEL['direct_suit']}的 {lit_direct} 件。"
                              f"行政诉讼总数应为{fmt.T4_BLOCK_LABEL['direct_suit']} {lit_direct} 件加"
                              f"{fmt.T4_BLOCK_LABEL['suit_after_review']} {lit_after} 件，共 {lit_total} 件，请改正。",
                              t.field)
                continue
            yield Finding("R6", Severity.WARNING, t.location,
                          f"文中写{_quote(claim.fragment)}，与{table}不一致。"
                          f"正文的数字应与表格一致，请核对后改正其中一处。", t.field)


_UNIT_NUM = re.compile(rf"{_NUM}(余|多)?(件|条|个|次|项|篇|场|期)")
# Parts in brackets right after a total (办结53件（予以公开30件、…）) and 其中 opening the next sentence
# are the same listing as "，其中".
_BRACKETED_PARTS = re.compile(rf"({_NUM}(?:件|条|个|次|项|篇|场|期))[（(]([^（）()]*)[）)]")
_NEXT_SENTENCE_PARTS = re.compile(r"。\s*其中")
_PARTS_STOP = re.compile(r"另有|另外|此外|同时|以及|还有|同比|较上年|均")


def _d4(ctx: _Context) -> Iterator[Finding]:
    """A stated total followed by 其中 parts that add up to more than it."""
    for t in ctx.texts:
        yield from _SCANS.get("D4", (t.location, t.field), t.text, (), lambda: tuple(_d4_part(t)))  # noqa: B023


def _d4_part(t: _Text) -> Iterator[Finding]:
    """_d4 for one narrative part."""
    if "其中" not in t.text and not _BRACKETED_PARTS.search(t.text):
        return  # no listing of parts at all
    text = _NEXT_SENTENCE_PARTS.sub("，其中", _BRACKETED_PARTS.sub(r"\1，其中\3；", t.text))
    for sentence in re.split(r"[。\n]", text):
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
            end: int | None = starts[n + 1] if n + 1 < len(starts) else len(sentence)
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
            stated = _number(total.group(1))
            values = [_number(m.group(1)) for m in parts]
            if stated is None or None in values:
                continue
            added = sum(v for v in values if v is not None)
            if parts and added > stated:
                shown = "+".join(str(v) for v in values)
                yield Finding("D4", Severity.WARNING, t.location,
                              f"文中写{_quote(total.group(0))}，但列出的各项 {shown} = {added}{total.group(3)}，"
                              f"比总数 {stated}{total.group(3)} 多 {added - stated}{total.group(3)}。"
                              f"请核对总数和各项数字，改正其中一处。", t.field)


# ====================================================================== D13 doubled runs


_HAN = "\u4e00-\u9fff"
# Words a doubled character may legitimately start after a word ending in the same character
# (学习习近平, 财政政策, 公开开展): these pairs end a word, so XX is a word boundary, not a typo.
_ENDS_WITH: frozenset[str] = _WORDS["ends_with"]
# Words a typo most often doubles the first character of (行行政复议): only these are flagged.
_STARTS: frozenset[str] = _WORDS["starts"]
# Reduplications that are words in their own right.
_REDUPLICATIONS: frozenset[str] = _WORDS["reduplications"]


# Compiled once: D13 runs on every narrative line of every check.
_DOUBLED_CHAR = re.compile(rf"([{_HAN}])\1")
_DOUBLED_RUN = re.compile(rf"([{_HAN}]{{2,4}})\1")
_SAME_START = tuple((size, re.compile(rf"(?=([{_HAN}])[{_HAN}]{{{size - 1}}}\1)")) for size in (3, 4))
_STARTS_BY_FIRST: dict[str, tuple[str, ...]] = {}
for _word in sorted(_STARTS):
    _STARTS_BY_FIRST[_word[0]] = (*_STARTS_BY_FIRST.get(_word[0], ()), _word[1:])


def _doubled_runs(text: str) -> Iterator[str]:
    """Snippets where a run is typed twice: 行行政复议, 政府政府, 可通过可以通过."""
    # No pattern matches across a line break (they match Chinese characters only), so a pattern
    # that finds nothing in the whole text finds nothing in any line and is not run line by line.
    doubled_char = _DOUBLED_CHAR.search(text) is not None
    doubled_run = _DOUBLED_RUN.search(text) is not None
    same_start = tuple((size, same) for size, same in _SAME_START if same.search(text))
    if not (doubled_char or doubled_run or same_start):
        return
    for line in text.split("\n"):
        # (a) one character doubled where it starts a common word and does not end the word before.
        for m in _DOUBLED_CHAR.finditer(line) if doubled_char else ():
            x, i = m.group(1), m.start()
            rests = _STARTS_BY_FIRST.get(x)
            if not rests or x + x in _REDUPLICATIONS or (i + 2 < len(line) and line[i + 2] == x):
                continue
            before = line[i - 1] if i > 0 else ""
            if before.isdigit() or (before + x) in _ENDS_WITH or line[max(0, i - 2):i] + x in _ENDS_WITH:
                continue
            after = line[i + 2:i + 5]
            if after.startswith(rests):
                yield line[max(0, i - 2):i + 5]
        # (b) a run of 2–4 characters typed twice in a row: 政府政府, 信息公开信息公开.
        for m in _DOUBLED_RUN.finditer(line) if doubled_run else ():
            run = m.group(1)
            if run[0] == "一" or len(set(run)) == 1:
                continue  # 一步一步, 一个一个 are idiomatic
            yield m.group(0)
        # (c) a run followed by itself with one character added or dropped: 可通过可以通过.
        for size, same in same_start:
            for found in same.finditer(line):  # a run of Chinese whose next run starts the same way
                i = found.start()
                if i >= len(line) - 2 * size:
                    break
                a = line[i:i + size]
                for other in (size + 1, size - 1):
                    b = line[i + size:i + size + other]
                    if len(b) != other or a == b or a[0] != b[0] or a[-1] != b[-1]:
                        continue
                    longer, shorter = (b, a) if other > size else (a, b)
                    if any(longer[:k] + longer[k + 1:] == shorter for k in range(1, len(longer) - 1)):
                        yield a + b


def _d13(ctx: _Context) -> Iterator[Finding]:
    for t in ctx.texts:
        snippets = _SCANS.get("doubled", (t.location, t.field), t.text, (),
                              lambda: tuple(dict.fromkeys(_doubled_runs(t.text))))  # noqa: B023 — run at once
        for snippet in snippets:
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


# ====================================================================== D14–D17


_NONE_ONLY = re.compile(r"^[无暂没有。.\s]*$")
_HAN_CHAR = re.compile(r"[\u4e00-\u9fff]")
_MIN_FIVE = 60  # Chinese characters: below this 五 is "a line or two of general words"


def _d14(ctx: _Context) -> Iterator[Finding]:
    """Section 五 empty, "无", or a line or two of general words."""
    r = ctx.report
    if ctx.imported and ctx.printed is not None and ctx.printed.text.strip():
        if 4 not in ctx.headings_found:
            return  # D8 reports the missing section
        text = ctx.section_text("problems")
    else:
        text = "\n".join(x for x in (r.problems.problems, r.problems.improvements) if x.strip())
        if not text.strip():
            return  # D6 already asks for both parts
    five = _HEADING_OF["problems"]
    han = _SCANS.get("han", ("problems", ""), text, (), lambda: len(_HAN_CHAR.findall(text)))
    if _NONE_ONLY.match(text):
        yield Finding("D14", Severity.WARNING, five,
                      f"“{five}”只写了{_quote(text.strip() or '（空白）')}。审核时要求写出本单位本年具体存在的问题和"
                      f"相应的改进措施，请补写（例如哪类信息公开不及时、哪项工作没有做到位，以及怎样改）。",
                      "problems.problems")
    elif han < _MIN_FIVE:
        yield Finding("D14", Severity.WARNING, five,
                      f"“{five}”只有 {han} 个字，是一两句笼统的话。审核时要求写出本单位本年具体存在的问题"
                      f"（哪一类信息、哪个环节、什么程度）和针对它的改进措施，请补写具体内容。", "problems.problems")


def _d15(ctx: _Context, last: _LastYear) -> Iterator[Finding]:
    """Implausible figures: far above what the level produces, or a ten-fold jump. Ask, don't assert."""
    r = ctx.report
    kind = r.agency.kind
    limits = _PLAUSIBLE.get(kind.value if kind else "", _PLAUSIBLE["default"])
    level = kind.value if kind else "本机关"
    p = r.proactive
    checks: list[tuple[str, str, str, int | None, int]] = [
        (f"{T2} {label}", f"proactive.{key}", f"t2.{key}", getattr(p, key), limits["decisions"])
        for key, label in (("licensing", fmt.ROW_LICENSING), ("penalty", fmt.ROW_PENALTY),
                           ("enforcement", fmt.ROW_ENFORCEMENT))]
    if not ctx.row_blank["new"]:
        checks.append((_t3_where("new", "total"), "applications.rows.new", "t3.new.total",
                       ctx.row_total["new"], limits["requests"]))
    for where, field, cid, value, limit in checks:
        if value is None:
            continue
        before = last.figures.get(cid)
        if value > limit:
            yield Finding("D15", Severity.INFO, where,
                          f"{where} 填的是 {value}，对{level}来说大得不寻常（一般不超过 {limit}）。"
                          f"请核对是否多打了数字；数字无误的，确认即可。", field)
        elif before and value >= 10 * before and value - before >= 50:
            yield Finding("D15", Severity.INFO, where,
                          f"{where} 从{last.name}的 {before} 变为 {value}，增加到十倍以上。"
                          f"请核对是否多打了数字；数字无误的，确认即可。", field)
    yield from _d15_narrative(ctx)
    if p.fee is not None and p.fee > limits["fee"]:
        yield Finding("D15", Severity.INFO, f"{T2} {fmt.ROW_FEE}",
                      f"{T2} {fmt.ROW_FEE} 填的是 {p.fee} 万元，对{level}来说大得不寻常。请核对单位是否为万元、"
                      f"是否多打了数字；数字无误的，确认即可。", "proactive.fee")


_NORMATIVE_CLAIM = re.compile(rf"(制发|印发|出台|新制定|现行有效)[^，。；\d]{{0,6}}?规范性文件(?:共|计)?{_NUM}件")


def _d15_narrative(ctx: _Context) -> Iterator[Finding]:
    """A table-二 figure the narrative states otherwise (制发行政规范性文件5件 against a table's 2)."""
    row = ctx.report.proactive.normative
    seen: set[str] = set()
    for t in ctx.texts:
        for m in _NORMATIVE_CLAIM.finditer(t.text):
            col = "in_force" if m.group(1) == "现行有效" else "issued"
            table, stated = getattr(row, col), _number(m.group(2))
            if table is None or stated is None or stated == table or m.group(0) in seen:
                continue
            if _other_year(t.text[:m.start()].split("。")[-1], ctx.report.year):
                continue
            seen.add(m.group(0))
            yield Finding("D15", Severity.INFO, t.location,
                          f"文中写{_quote(m.group(0))}，但{T2} {fmt.ROW_NORMATIVE} 的“{_T2_COL[col]}”填的是 {table}。"
                          f"请核对哪一处有误并改正；两处说的不是同一件事的，确认即可。", f"proactive.normative.{col}")


_ASSESSMENT = re.compile("|".join(sorted(_WORDS["assessment_words"], key=len, reverse=True)))


def _d16(ctx: _Context) -> Iterator[Finding]:
    """A government's 总体情况 must cover 工作考核、社会评议和责任追究 (条例 第五十条第四项)."""
    kind = ctx.report.agency.kind
    if kind not in fmt.GOVERNMENT_KINDS or kind is fmt.AgencyKind.SUBDISTRICT:
        return
    if ctx.imported and ctx.printed is not None and ctx.printed.text.strip() and 0 not in ctx.headings_found:
        return  # D8 reports the missing section
    text = ctx.section_text("overview")
    if not text.strip() or _ASSESSMENT.search(text):
        return
    part = dict(fmt.OVERVIEW_PARTS)["supervision"]
    yield Finding("D16", Severity.WARNING, f"{_HEADING_OF['overview']} {part}",
                  f"本报告是人民政府的年度报告，但“{_HEADING_OF['overview']}”没有写工作考核、社会评议和责任追究"
                  f"结果情况（{fmt.REGULATION}第五十条）。请在“{part}”中写明本年的考核、评议和责任追究情况"
                  f"（没有发生责任追究的也写明）。", "overview.supervision")


def _d17(ctx: _Context) -> Iterator[Finding]:
    """The 2019 (试行) wording used in the narrative of a 2021+ report."""
    if ctx.report.year is not None and ctx.report.year < 2021:
        return
    for t in ctx.texts:
        used = [m for m in fmt.OLD_2019_MARKERS if m in t.text]
        if used:
            shown = "、".join(_quote(m) for m in used)
            yield Finding("D17", Severity.WARNING, t.location,
                          f"正文用了2019年旧表格的说法{shown}。2021年度起的格式没有这些栏目，请改用新表格的说法"
                          f"（如{_quote(fmt.COL_ISSUED)}、{_quote(fmt.COL_IN_FORCE)}）。", t.field)


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
