"""The 待核对 cells of an import asked first: one question per cell the importer could not be sure
of (report.draft.pending), showing what the import knows and offering its candidate figures.

These questions are not in prompts/*.toml: they are made here from the report, typed
(`PendingQuestion`, a choice question that also knows its cell id) and answered here. Answering one
writes the figure into the model field of its cell (or, for a derived 总计 cell, records the printed
figure the clerk confirmed), removes the cell from draft.pending, marks it "confirmed" in
printed.cell_status and re-runs the checks — one transaction, rolled back whole on failure."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from gkassist import format as fmt
from gkassist.interview import parsers as P
from gkassist.interview.applier import AnswerResult, _snapshot
from gkassist.interview.fields import resolve
from gkassist.interview.parsers import ParseError
from gkassist.interview.presenter import Option, Prompt
from gkassist.interview.script import ChoiceQuestion, section_label
from gkassist.model import Report, Turn, cell_path

if TYPE_CHECKING:
    from gkassist.interview.engine import Interview

PREFIX = "pending:"
"""Question ids of 待核对 cells: pending:<cell id> (never the id of a script question)."""
OTHER_KEY = "other"
TYPED = re.compile(r"(?:另填|填写|填|改为|改成|就是|是|[=＝])\s*(.+)")

_SECTION = {"t2": "二", "t3": "三", "t4": "四"}
_T2_ROW = {"rules": fmt.ROW_RULES, "normative": fmt.ROW_NORMATIVE, "licensing": fmt.ROW_LICENSING,
           "penalty": fmt.ROW_PENALTY, "enforcement": fmt.ROW_ENFORCEMENT, "fee": fmt.ROW_FEE}
_T2_COL = {"issued": fmt.COL_ISSUED, "repealed": fmt.COL_REPEALED, "in_force": fmt.COL_IN_FORCE}


def _order() -> dict[str, int]:
    """Cell id → its place in the printed tables (table 二, 三 row by row, 四 block by block)."""
    ids = [f"t2.{k}.{c}" for k in ("rules", "normative") for c in ("issued", "repealed", "in_force")]
    ids += [f"t2.{k}" for k in ("licensing", "penalty", "enforcement", "fee")]
    ids += [f"t3.{r.key}.{c}" for r in fmt.T3_DISPLAY_ROWS for c in (*fmt.COLUMN_KEYS, "total")]
    ids += [f"t4.{b}.{c}" for b, _ in fmt.T4_BLOCKS for c in (*fmt.OUTCOME_KEYS_T4, "total")]
    return {cid: i for i, cid in enumerate(ids)}


ORDER = _order()


def cell_label(cid: str) -> str:
    """The cell as the clerk finds it in the printed report: 表三 一、本年新收… / 自然人."""
    parts = cid.split(".")
    if parts[0] == "t2" and parts[1] in _T2_ROW:
        col = _T2_COL.get(parts[2], "") if len(parts) > 2 else (fmt.COL_FEE if parts[1] == "fee"
                                                                  else fmt.COL_DECISIONS)
        return f"表二 {_T2_ROW[parts[1]]} / {col}"
    if parts[0] == "t3" and len(parts) == 3 and parts[1] in fmt.T3_ROW:
        return f"表三 {fmt.T3_ROW[parts[1]].location} / {fmt.COLUMN_LABEL.get(parts[2], parts[2])}"
    if parts[0] == "t4" and len(parts) == 3 and parts[1] in fmt.T4_BLOCK_LABEL:
        block = fmt.T4_BLOCK_LABEL[parts[1]]
        if parts[1] != "review":
            block = f"{fmt.LITIGATION} {block}"
        return f"表四 {block} / {fmt.OUTCOME_LABEL.get(parts[2], parts[2])}"
    return cid


def derived(cid: str) -> bool:
    """A 总计 cell: the model derives it from the other cells, so it has no field of its own."""
    parts = cid.split(".")
    return parts[-1] == "total" or (parts[0] == "t3" and len(parts) > 1 and parts[1] == "total")


def derived_value(report: Report, cid: str) -> int | None:
    """What a 总计 cell adds up to from the cells the report has, None while one of them is blank."""
    parts = cid.split(".")
    apps = report.applications
    if parts[0] == "t3" and len(parts) == 3:
        rows = fmt.OUTCOME_KEYS if parts[1] == "total" else (parts[1],)
        cols = fmt.COLUMN_KEYS if parts[2] == "total" else (parts[2],)
        if any(r not in apps.rows for r in rows):
            return None
        values = [apps.value(r, c) for r in rows for c in cols]
        return None if any(v is None for v in values) else sum(v for v in values if v is not None)
    if parts[0] == "t4" and len(parts) == 3 and parts[1] in fmt.T4_BLOCK_LABEL:
        block = report.reviews.block(parts[1])
        values = [getattr(block, c) for c in fmt.OUTCOME_KEYS_T4]
        return None if any(v is None for v in values) else block.total
    return None


def _shown(value: int | Decimal) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


class PendingQuestion(ChoiceQuestion):
    """A 待核对 cell asked as a choice among its candidate figures (or another typed figure)."""

    cell: str = ""
    """The cell id (model.cell_id) of the pending cell."""
    candidates: tuple[int | Decimal, ...] = ()
    reason: str = ""


class PendingCells:
    """The interview's 待核对 questions, made afresh from report.draft.pending each time."""

    def __init__(self, iv: Interview) -> None:
        self.iv = iv
        self.focus: str | None = None
        """A cell the clerk went to on purpose (from a finding), asked before the others."""

    def questions(self) -> list[PendingQuestion]:
        pending = self.iv.report.draft.pending
        cells = sorted(pending, key=lambda c: (ORDER.get(c, len(ORDER)), c))
        return [self.question(cid) for cid in cells]

    def question(self, cid: str) -> PendingQuestion:
        cell = self.iv.report.draft.pending[cid]
        label = cell_label(cid)
        path = cell_path(cid)
        text = f"导入时这一格的数字没能确定（待核对）：{label}。请对照原文确认这一格的数字。"
        help_text = ("导入的原文里这一格的数字和相邻格连在一起，或者缺了一格，按表格的勾稽关系有几种拆法，"
                     "程序不替您猜。请打开原来的报告，看这一格印的是多少，选对应的编号；都不对就输入“填 数字”。")
        return PendingQuestion(
            id=PREFIX + cid, section=_SECTION.get(cid.split(".")[0], "三"), text=text, help=help_text,
            field="" if derived(cid) else path, covers=(path,) if derived(cid) else (),
            choices=tuple(_shown(v) for v in cell.candidates), cell=cid,
            candidates=tuple(cell.candidates), reason=cell.reason,
            placeholder="填编号，或 填 12", carry=False,
        )

    def current(self, *, include_skipped: bool = False) -> PendingQuestion | None:
        """The first 待核对 question not skipped for now (with include_skipped: any)."""
        pending = self.iv.report.draft.pending
        if self.focus is not None:
            if self.focus in pending:
                return self.question(self.focus)
            self.focus = None
        skipped = set(self.iv.report.draft.skipped)
        for q in self.questions():
            if include_skipped or q.id not in skipped:
                return q
        return None

    def for_field(self, path: str) -> PendingQuestion | None:
        """The 待核对 question of the cell a finding points at (its Finding.field), if any."""
        for cid in self.iv.report.draft.pending:
            if path and cell_path(cid) == path:
                return self.question(cid)
        return None

    # ---------------------------------------------------------------- what the clerk sees

    def options(self, q: PendingQuestion) -> list[Option]:
        hint = derived_value(self.iv.report, q.cell) if derived(q.cell) else None
        opts = [Option(i, _shown(v), _shown(v), "与本行（本列）各格之和相符" if hint is not None and v == hint else "")
                for i, v in enumerate(q.candidates, 1)]
        opts.append(Option(len(opts) + 1, OTHER_KEY, "都不对，另填一个数：输入“填 数字”，例如 填 12"))
        return opts

    def default(self, q: PendingQuestion) -> str:
        """Only a 总计 that the confirmed cells already add up to is offered as the default."""
        hint = derived_value(self.iv.report, q.cell) if derived(q.cell) else None
        return str(hint) if hint is not None and hint in q.candidates else ""

    def prompt(self, q: PendingQuestion) -> Prompt:
        lines = [q.text]
        if q.reason:
            lines.append(f"导入时的情况：{q.reason}")
        if q.candidates:
            lines.append("按原文的数字" + ("和表格的勾稽关系" if q.cell.startswith(("t3.", "t4.")) else "") + "，这一格可能是：")
        else:
            lines.append("原文的数字没有一种拆法能让表格的合计成立，请直接填写这一格的数字。")
        left = len(self.iv.report.draft.pending)
        if left > 1:
            lines.append(f"（还有 {left} 格待核对，会逐格问您。）")
        return Prompt(question=q, section=q.section, section_label=section_label(q.section),
                      text="\n".join(lines), help=q.help, default=self.default(q), kind=q.kind,
                      multiline=False, options=self.options(q), placeholder=q.placeholder,
                      answered=False, previous_answer=None)

    # ---------------------------------------------------------------- answering

    def parse(self, q: PendingQuestion, text: str) -> int | Decimal:
        t = P.normalise(text or "").strip().rstrip("。.")
        if not t:
            t = self.default(q)
            if not t:
                raise ParseError("请选一个编号；原文印的数字不在其中，就输入“填 数字”，例如 填 12。")
        typed = TYPED.fullmatch(t)
        if typed is None:
            opts = self.options(q)
            if t.isdigit() and 1 <= int(t) <= len(opts):
                chosen = opts[int(t) - 1]
                if chosen.key == OTHER_KEY:
                    raise ParseError("请直接输入这一格的数字，写成“填 数字”，例如 填 12。")
                return q.candidates[int(t) - 1]
        value_text = typed.group(1) if typed is not None else t
        if q.cell == "t2.fee":
            return P.parse_money(value_text, unit="万元")
        return P.parse_count(value_text)

    def answer(self, q: PendingQuestion, text: str,
               commit: Callable[[Report], None] | None = None) -> AnswerResult:
        iv = self.iv
        applier = iv.applier
        before = applier.findings()
        try:
            value = self.parse(q, text)
        except ParseError as exc:
            return AnswerResult(False, exc.reason, question=q)
        snapshot = _snapshot(iv.report)
        state = (iv.navigator.state(), iv.revision, set(applier._deferred))
        try:
            note = self.write(q, value)
        except (ValidationError, ValueError) as exc:
            applier.rollback(snapshot, state)
            return AnswerResult(False, f"这个数填不进{cell_label(q.cell)}：{exc}", question=q)
        except BaseException:
            applier.rollback(snapshot, state)
            raise
        try:
            result = self._record(q, value, text, note, before)
            if commit is not None:
                commit(iv.report)
        except BaseException:
            applier.rollback(snapshot, state)
            raise
        return result

    def write(self, q: PendingQuestion, value: int | Decimal) -> str:
        """The figure into its cell; the cell no longer 待核对 but confirmed by the clerk."""
        report = self.iv.report
        if not derived(q.cell):
            resolve(cell_path(q.cell)).set(report, value)
        printed = report.printed
        if printed is not None:
            printed.cells[q.cell] = _shown(value)
            printed.cell_status[q.cell] = "confirmed"
        report.draft.pending.pop(q.cell, None)
        if self.focus == q.cell:
            self.focus = None
        if q.id in report.draft.skipped:
            report.draft.skipped.remove(q.id)
        note = f"已按您的核对把 {cell_label(q.cell)} 记为 {_shown(value)}"
        if q.candidates and value not in q.candidates:
            note += "（不在按勾稽关系推出的几种拆法之中，请再对照原文看一眼）"
        if derived(q.cell):
            sums = derived_value(report, q.cell)
            if sums is not None and sums != value:
                note += f"；本行各格相加是 {sums}，与之不符，检查时会提示"
        return note

    def _record(self, q: PendingQuestion, value: Any, text: str, note: str, before: list[Any]) -> AnswerResult:
        iv = self.iv
        applier = iv.applier
        turns = [Turn(role="assistant", text=self.prompt(q).text, question=q.id),
                 Turn(role="clerk", text=(text or "").strip() or _shown(value), question=q.id)]
        applier.after_answer(q)  # a new revision: the checks run again on the next findings()
        new = applier.new_findings(before, q)
        turns.append(Turn(role="note", text=note, question=q.id))
        for f in new:
            turns.append(Turn(role="note", text=f"{f.severity.value}：{f.message}", question=q.id))
        iv.report.draft.log.extend(turns)
        return AnswerResult(True, note, new, q, turns)
