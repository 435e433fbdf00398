"""The applier: an answer parsed, validated and written to the report as one transaction (rolled
back whole when any step, or the caller's save, fails), then the findings it caused."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from gkassist import format as fmt
from gkassist.interview import parsers as P
from gkassist.interview.actions import ACTIONS, GRID_ROWS
from gkassist.interview.context import in_force_base
from gkassist.interview.fields import ANSWERS
from gkassist.interview.navigator import covers
from gkassist.interview.parsers import ParseError
from gkassist.interview.script import COVER, Question, section_label, section_of_field
from gkassist.model import Report, Turn, put_back, report_state

if TYPE_CHECKING:  # gkassist.checks is imported at the first check, not before the first question
    from gkassist.checks import Finding
    from gkassist.interview.engine import Interview

GRID_DONE_WORDS = ("", "完成", "好", "好了", "确认", "确定", "ok", "done", "填好了")


@dataclass
class AnswerResult:
    ok: bool
    message: str
    findings: list[Finding] = field(default_factory=list)
    question: Question | None = None
    turns: list[Turn] = field(default_factory=list)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, fmt.AgencyKind):
        return value.value
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


_Snapshot = tuple[dict[str, Any], int]


def _snapshot(report: Report) -> _Snapshot:
    """What rolling an answer back needs: everything but the conversation log, which an answer
    only appends to (copying the whole log made every answer slower than the last), and the
    log's length."""
    return report_state(report, with_log=False), len(report.draft.log)


def finding_key(f: Finding) -> tuple[str, str, str, str]:
    return (f.rule, f.location, f.message, f.field)


def _part_label(path: str) -> str:
    """overview.on_request → 一、总体情况（二）依申请公开; other.work_points → its 六 item."""
    head, _, key = path.partition(".")
    if head == "overview" and key in fmt.OVERVIEW_LABEL:
        return fmt.OVERVIEW_LABEL[key]
    if head == "other" and key in fmt.OTHER_LABEL:
        return fmt.OTHER_LABEL[key]
    return fmt.SECTION_LABEL.get(head, path)


def explain(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        from gkassist.store import explain_validation

        return explain_validation(exc)
    return str(exc)


class Applier:
    """parse → validate → write, one transaction per answer."""

    def __init__(self, iv: Interview) -> None:
        self.iv = iv
        self._findings: list[Finding] | None = None
        self._deferred: set[tuple[str, str, str, str]] = set()  # held back until their section is answered

    # ---------------------------------------------------------------- parsing

    def parse(self, q: Question, text: str, ctx: dict[str, Any]) -> tuple[Any, str, list[str]]:
        """(value, the answer as shown in the conversation, notes for the message)."""
        presenter = self.iv.presenter
        notes: list[str] = []
        if q.kind == "grid":
            return self.parse_grid(text), "（已在表格中填写）", notes
        if not (text or "").strip():
            text = presenter.default_text(q)
            if not text.strip():
                if q.kind == "pick" and q.required and q.allow_none:
                    raise ParseError("请写编号，可写几个，如 1 3；都没有就答“没有”。")
                if not q.required or q.kind == "pick":
                    return None, "（不填）", notes
                if q.kind == "paragraph":
                    raise ParseError("这一部分不能为空，请写几句话" + ("；没有要写的就答“无”。" if q.allow_none else "。"))
        shown = text.strip()
        kind = q.kind
        value: Any
        if kind == "text":
            value = P.parse_text(text, required=q.required, max_length=q.max_length)
        elif kind == "paragraph":
            value = P.parse_paragraph(text, required=q.required, allow_none=q.allow_none)
            value, changes = self.iv.normaliser(value)
            if changes:
                notes.append("已把中文之间的半角标点改为全角：" + "；".join(changes[:5]))
            shown = value or "无"
        elif kind == "count":
            value = P.parse_count(text)
            self._check_range(q, value)
        elif kind == "counts":
            labels = [presenter.render(label, ctx) for label in q.labels]
            value = P.parse_counts(text, labels)
            notes.append("、".join(f"{label} {n}" for label, n in zip(labels, value, strict=False)))
            if len(value) == 3 and q.fields[2].endswith(".in_force"):
                base = in_force_base(self.iv.report, self.iv.previous, q.fields[2].split(".")[1])
                if base is not None and base + value[0] - value[1] != value[2]:
                    notes.append(f"提示：按上年现行有效 {base} 件加本年制发减废止推算，应为 "
                                 f"{base + value[0] - value[1]} 件，请核对")
        elif kind == "money":
            value = P.parse_money(text, unit=q.unit)
            self._check_range(q, value)
            if P.normalise(text).replace(" ", "").rstrip("。") not in (format(value, "f"), format(value, "f") + q.unit):
                notes.append(f"记为 {P.describe_money(value, q.unit)}")
        elif kind == "choice":
            opts = presenter.options(q)
            title = P.parse_choice(text, [o.title for o in opts])
            value = next(o.key for o in opts if o.title == title)
        elif kind == "yesno":
            value = P.parse_yesno(text)
        elif kind == "applicants":
            value = P.parse_applicants(text)
            notes.append(P.describe_applicants(value))
        elif kind == "pick":
            opts = presenter.options(q)
            if not opts:
                return None, "（没有可选的建议）", notes
            if q.allow_none and P.is_bare_yes(text):
                raise ParseError(f"请写是哪几项的编号（1–{len(opts)}），如 1 3；都没有就答“没有”。")
            numbers = P.parse_pick(text, len(opts), allow_none=q.allow_none or not q.required)
            value = [opts[n - 1].key for n in numbers]
        elif kind == "table2":
            report, previous = self.iv.report, self.iv.previous
            bases = {row: in_force_base(report, previous, row) for row in P.DOCUMENT_ROWS}
            value, more = P.parse_proactive(text, bases=bases, rules_allowed=report.agency.can_make_rules)
            notes.append("表二记为：" + P.describe_proactive(value, rules=report.agency.can_make_rules))
            notes += more
        else:  # date: the script's kinds are a closed union
            value = P.parse_date(text)
        return value, shown, notes

    def _check_range(self, q: Question, value: Any) -> None:
        if q.min is not None and value < q.min:
            raise ParseError(f"不能小于 {q.min:g}。")
        if q.max is not None and value > q.max:
            raise ParseError(f"不能大于 {q.max:g}。")

    def parse_grid(self, text: str) -> dict[str, dict[str, int]] | None:
        t = (text or "").strip()
        if t.lower() in GRID_DONE_WORDS:
            return None
        try:
            data = json.loads(t)
        except json.JSONDecodeError:
            raise ParseError("请在表格里填写办理结果，填好后按“完成”。") from None
        return self.validate_grid(data)

    def validate_grid(self, data: Any) -> dict[str, dict[str, int]]:
        if not isinstance(data, dict):
            raise ParseError("表格数据的格式不对。")
        clean: dict[str, dict[str, int]] = {}
        for row, cols in data.items():
            if row not in GRID_ROWS:
                raise ParseError(f"表三里没有“{row}”这一行可以在表格中填写。")
            if not isinstance(cols, dict):
                raise ParseError("表格数据的格式不对。")
            label = fmt.T3_ROW[row].location
            for col, n in cols.items():
                if col not in fmt.COLUMN_KEYS:
                    raise ParseError(f"表三没有“{col}”这一列。")
                if n is None or n == "":
                    continue
                where = f"{label} / {fmt.COLUMN_LABEL[col]}"
                if isinstance(n, bool):
                    raise ParseError(f"{where}：请填写整数。")
                try:
                    value = n if isinstance(n, int) else P.parse_count(str(n))
                except ParseError as exc:
                    raise ParseError(f"{where}：{exc.reason}") from None
                if value < 0:
                    raise ParseError(f"{where}：件数不能是负数。")
                clean.setdefault(row, {})[col] = value
        return clean

    # ---------------------------------------------------------------- one answer, one transaction

    def answer(self, q: Question, text: str, commit: Callable[[Report], None] | None = None) -> AnswerResult:
        """Apply one answer. A refused answer changes nothing. With `commit` (e.g. a durable
        save), the answer stands only if `commit` returns: when it raises, the report and the
        interview are rolled back to before the answer and the error propagates."""
        iv = self.iv
        presenter = iv.presenter
        ctx = presenter.context()
        before = self.findings()
        try:
            value, shown, notes = self.parse(q, text, ctx)
        except ParseError as exc:
            return AnswerResult(False, exc.reason, question=q)
        offered = presenter.render(q.default, ctx) if q.kind == "paragraph" and "library_draft" in q.default else ""
        snapshot = _snapshot(iv.report)
        state = (iv.navigator.state(), iv.revision, set(self._deferred))
        try:
            notes += self.apply(q, value)
        except (ValidationError, ValueError, ParseError) as exc:
            self.rollback(snapshot, state)
            reason = exc.reason if isinstance(exc, ParseError) else explain(exc)
            return AnswerResult(False, reason, question=q)
        except BaseException:
            self.rollback(snapshot, state)
            raise
        try:
            result = self._record(q, value, shown, notes, offered, before, ctx)
            if commit is not None:
                commit(iv.report)
        except BaseException:
            self.rollback(snapshot, state)
            raise
        return result

    def _record(self, q: Question, value: Any, shown: str, notes: list[str], offered: str,
                before: list[Finding], ctx: dict[str, Any]) -> AnswerResult:
        iv = self.iv
        question_text = iv.presenter.render(q.text, ctx)
        turns = [Turn(role="assistant", text=question_text, question=q.id),
                 Turn(role="clerk", text=shown, question=q.id)]
        accepted = iv.report.draft.accepted_drafts
        if offered and value and value.strip() == offered.strip():
            accepted[q.id] = value
        else:
            accepted.pop(q.id, None)
        self.after_answer(q)
        notes += self.refresh_drafts(q.id)
        new = self.new_findings(before, q)
        message = "；".join(n for n in notes if n)
        if message:
            turns.append(Turn(role="note", text=message, question=q.id))
        for f in new:
            turns.append(Turn(role="note", text=f"{f.severity.value}：{f.message}", question=q.id))
        iv.report.draft.log.extend(turns)
        return AnswerResult(True, message, new, q, turns)

    def rollback(self, snapshot: _Snapshot, state: tuple[Any, int, set[tuple[str, str, str, str]]]) -> None:
        data, log_len = snapshot
        report = self.iv.report
        put_back(report, data)
        del report.draft.log[log_len:]  # the log only grows: what the answer appended goes
        nav, revision, deferred = state
        self.iv.navigator.restore(nav)
        self.iv.revision = revision
        self._deferred = deferred
        self._findings = None

    def apply(self, q: Question, value: Any, *, record: bool = True) -> list[str]:
        iv = self.iv
        notes: list[str] = []
        if q.kind == "counts":
            for accessor, n in zip(q.accessors, value, strict=True):
                accessor.set(iv.report, n)
        elif q.kind == "grid":
            notes += self.apply_grid_values(value)
        elif q.kind == "pick" and q.field == "problems.picked":
            iv.report.problems.picked = list(value or [])
        elif value is not None or q.kind in ("date", "text"):
            q.accessor.set(iv.report, value if value is not None else (None if q.kind == "date" else ""))
        if record:
            iv.report.draft.answers[q.id] = _jsonable(value)
            if q.id in iv.report.draft.skipped:
                iv.report.draft.skipped.remove(q.id)
            self.clear_to_confirm(q.targets)
        actions = list(q.on_answer)
        if q.kind == "yesno":
            actions += list(q.on_yes if value else q.on_no)
        for name in actions:
            notes += ACTIONS[name](iv, q, value)
        return notes

    def apply_grid_values(self, values: dict[str, dict[str, int]] | None) -> list[str]:
        """Write the grid; whether table 三 adds up is said by the checks (R1), not here."""
        t = self.iv.report.applications
        for row, cols in (values or {}).items():
            for col, n in cols.items():
                t.set(row, col, n)
        for row in GRID_ROWS:  # an empty grid cell means none
            for col in fmt.COLUMN_KEYS:
                if t.value(row, col) is None:
                    t.set(row, col, 0)
        if any(f.rule == "R1" for f in self.iv.checker(self.iv.report, self.iv.previous)):
            return []
        return [f"办理结果共 {t.cell('total', 'total')} 件，与收到的申请数相符"]

    def clear_to_confirm(self, paths: tuple[str, ...]) -> None:
        pending = self.iv.report.draft.to_confirm
        for key in [k for k in pending if any(covers(k, p) for p in paths)]:
            del pending[key]

    def after_answer(self, q: Question) -> None:
        self.iv.revision += 1
        self._findings = None
        self.sync()
        self.iv.navigator.after_answer(q)

    def sync(self) -> None:
        """Apply `otherwise` values of questions whose condition is false, and forget answers
        of questions that no longer apply (so switching a gateway back asks them afresh)."""
        iv = self.iv
        for _ in range(3):
            changed = False
            applicable = {q.id for q in iv.presenter.applicable()}
            for q in iv.questions:
                if q.id in applicable:
                    continue
                if q.otherwise is not None:
                    values = q.otherwise if isinstance(q.otherwise, list) else [q.otherwise] * len(q.accessors)
                    for accessor, v in zip(q.accessors, values, strict=True):
                        if not accessor.path.startswith(ANSWERS) and accessor.get(iv.report) is None:
                            accessor.set(iv.report, v)
                            changed = True
                if q.id in iv.report.draft.answers:
                    del iv.report.draft.answers[q.id]
                    changed = True
                    applicable = {o.id for o in iv.presenter.applicable()}
            if not changed:
                break

    def refresh_drafts(self, answered: str) -> list[str]:
        """Library drafts the clerk accepted unchanged follow later figures: a draft of 一 offered
        before table 三 was filled is rewritten with this year's numbers once they are known."""
        iv = self.iv
        accepted = iv.report.draft.accepted_drafts
        updated = []
        for qid, text in list(accepted.items()):
            q = iv.by_id.get(qid)
            if qid == answered:
                continue
            if q is None or qid not in iv.report.draft.answers or q.accessor.get(iv.report) != text:
                accepted.pop(qid, None)  # edited since, or no longer part of the interview: leave it alone
                continue
            fresh = iv.presenter.render(q.default)
            if fresh and fresh != text:
                q.accessor.set(iv.report, fresh)
                accepted[qid] = fresh
                iv.report.draft.answers[qid] = fresh
                updated.append(_part_label(q.field))
        if updated:
            self._findings = None
            return [f"已按新填的数字更新了您采用的草稿：{'、'.join(updated)}"]
        return []

    def confirm_section(self, q: Question) -> list[str]:
        """“No change since last year”: accept every carried value of this section in one answer."""
        iv = self.iv
        nav, presenter = iv.navigator, iv.presenter
        confirmed = 0
        for other in iv.questions:
            if other.section != q.section or other.id == q.id or nav.answered(other):
                continue
            if not presenter.applies(other) or other.kind == "grid" or not other.carry:
                continue  # carry = false: this year's answer is always asked (the publication date)
            text = presenter.default_text(other, use_previous=True)
            try:
                if text.strip():
                    parsed, _shown, _notes = self.parse(other, text, presenter.context())
                elif not other.required or other.kind == "pick":
                    parsed = None
                else:
                    continue
                self.apply(other, parsed)
            except (ParseError, ValidationError, ValueError):
                continue  # a carried value that does not fit is asked, not guessed
            confirmed += 1
        pending = iv.report.draft.to_confirm
        for key in [k for k in pending if section_of_field(k) == q.section]:
            del pending[key]
        left = [o for o in iv.questions if o.section == q.section and o.id != q.id
                and presenter.applies(o) and not nav.answered(o)]
        note = f"已确认沿用去年的内容（{confirmed} 项）"
        if left:
            note += f"，还有 {len(left)} 项需要填写"
        return [note + "。"]

    # ---------------------------------------------------------------- findings

    def findings(self) -> list[Finding]:
        if self._findings is None:
            self._findings = list(self.iv.checker(self.iv.report, self.iv.previous))
        return self._findings

    def new_findings(self, before: list[Finding], q: Question) -> list[Finding]:
        seen = {finding_key(f) for f in before}
        label = section_label(q.section)
        # A blank that a later question will fill is not news: say only what this answer caused.
        # Likewise a sum that cannot add up before the rest of its section is answered (R1 after
        # 结转下年度, before the grid): shown once the section is done, unless it is about this answer.
        missing = [o for o in self.iv.navigator.missing() if o.id != q.id]
        pending = [t for o in missing for t in o.targets]
        pending_sections = {o.section for o in missing}
        result = []
        current = self.findings()
        self._deferred &= {finding_key(f) for f in current}
        for f in current:
            key = finding_key(f)
            if key in seen and key not in self._deferred:
                continue
            path = f.field
            if path and (any(covers(path, t) for t in pending) or (
                    section_of_field(path) in pending_sections and not any(covers(path, t) for t in q.targets))):
                self._deferred.add(key)  # said later, after the answer that completes the section
                continue
            self._deferred.discard(key)
            if path:
                relevant = any(covers(path, t) for t in q.targets) or section_of_field(path) == q.section
            else:
                relevant = q.section != COVER and label in f.location
            if relevant:
                result.append(f)
        return result
