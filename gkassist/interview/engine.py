"""The interview engine: walks the question script over a Report, applies answers, knows what is left."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gkassist import format as fmt
from gkassist.interview import parsers as P
from gkassist.interview.agency import guess_kind
from gkassist.interview.parsers import ParseError
from gkassist.interview.script import (
    COVER,
    SECTION_ORDER,
    Question,
    Renderer,
    load_script,
    section_label,
    section_of_field,
)
from gkassist.model import ApplicantRow, Report, Turn

GRID_DONE_WORDS = ("", "完成", "好", "好了", "确认", "确定", "ok", "done", "填好了")
GRID_ROWS: tuple[str, ...] = (*fmt.OUTCOME_KEYS, "carry_next")
_R1_NOTE = "请核对："
# draft.answers key: question id → the library draft the clerk accepted unchanged (kept in step
# with later figures by Interview._refresh_drafts).
AUTO_DRAFTS = "_accepted_drafts"


def _part_label(path: str) -> str:
    """overview.on_request → 一、总体情况（二）依申请公开; other.work_points → its 六 item."""
    head, _, key = path.partition(".")
    if head == "overview" and key in fmt.OVERVIEW_LABEL:
        return fmt.OVERVIEW_LABEL[key]
    if head == "other" and key in fmt.OTHER_LABEL:
        return fmt.OTHER_LABEL[key]
    return fmt.SECTION_LABEL.get(head, path)


@dataclass(frozen=True)
class Option:
    """One numbered option of a choice or pick question."""

    number: int
    key: str
    title: str
    reason: str = ""
    text: str = ""


@dataclass
class Prompt:
    """A question rendered for display."""

    question: Question
    section: str
    section_label: str
    text: str
    help: str
    default: str
    kind: str
    multiline: bool
    options: list[Option] = field(default_factory=list)
    placeholder: str = ""
    answered: bool = False
    previous_answer: Any = None
    labels: list[str] = field(default_factory=list)


@dataclass
class AnswerResult:
    ok: bool
    message: str
    findings: list = field(default_factory=list)
    question: Question | None = None
    turns: list[Turn] = field(default_factory=list)


@dataclass(frozen=True)
class SectionProgress:
    section: str
    label: str
    answered: int
    total: int
    done: bool


# ------------------------------------------------------------------ optional collaborators


def _optional(module: str) -> Any:
    """Another helper's module, or None while it does not exist yet."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        return None


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


def _finding_key(f: Any) -> tuple:
    return (getattr(f, "rule", ""), getattr(f, "location", ""), getattr(f, "message", ""),
            getattr(f, "field", ""))


def _covers(path: str, target: str) -> bool:
    """Whether a question writing `target` decides the model path `path` (or the reverse)."""
    if not path or not target:
        return False
    return path == target or path.startswith(target + ".") or target.startswith(path + ".")


def _suggestion_key(s: Any, i: int) -> str:
    """How a picked suggestion is named to the library: `P3#1` (entry and variant) when it can."""
    pick = getattr(s, "pick", None)
    return str(pick if isinstance(pick, str) and pick else getattr(s, "id", i))


def find_previous(report: Report, workspace: Path | None) -> Report | None:
    """Last year's report of the same agency in the workspace, if there is one."""
    if workspace is None or not report.year or not report.agency.name:
        return None
    from gkassist.store import list_reports

    for _path, other, _err in list_reports(Path(workspace)):
        if other is not None and other.year == report.year - 1 and other.agency.name == report.agency.name:
            return other
    return None


# ------------------------------------------------------------------ the engine

_LIBRARIES: dict[str, Any] = {}


class Interview:
    """Drives a Report through the question script. All state lives in the report
    (report.draft.answers / skipped / log and the fields), so a report loaded from disk resumes."""

    def __init__(self, report: Report, *, script: list[Question] | None = None,
                 previous: Report | None = None, library: Any = None,
                 workspace: Path | None = None) -> None:
        self.report = report
        self.previous = previous
        self.workspace = workspace
        self._library_obj = library
        self.questions: list[Question] = list(script) if script is not None else load_script()
        self._by_id = {q.id: q for q in self.questions}
        self._renderer = Renderer()
        self._focus: str | None = None
        self._walk: str | None = None  # "all" or a section while revisiting answered questions
        self._revision = 0
        self._suggestion_cache: dict[tuple[int, str], list] = {}
        self._findings: list | None = None
        self._deferred: set[tuple] = set()  # findings held back until their section is answered
        self._sync()

    # ---------------------------------------------------------------- template context

    def _answers_view(self) -> dict[str, Any]:
        answers = dict(self.report.draft.answers)
        for q in self.questions:
            if q.field.startswith("answers.") and q.id in answers:
                answers[q.field.removeprefix("answers.")] = answers[q.id]
        return answers

    def context(self) -> dict[str, Any]:
        r = self.report
        return {
            "report": r, "answers": self._answers_view(), "previous": self.previous,
            "today": date.today(), "fmt": fmt, "self_ref": r.agency.self_reference,
            "short_name": r.agency.display_short_name, "year": r.year,
            "period": fmt.statistics_period(r.year) if r.year else "",
            "guess_kind": lambda name: guess_kind(name or "").value,
            "library_draft": self._library_draft, "suggestions": self._suggestions,
            "filled_other_items": self._filled_other_items, "received": r.applications.received,
            "carried_total": r.applications.cell("carried", "total"),
            "in_force_base": self._in_force_base,
        }

    def _in_force_base(self, row: str) -> int | None:
        """Last year's 现行有效件数 of 规章 / 行政规范性文件: from last year's report, else from
        the note the carry-forward left in draft.to_confirm."""
        if self.previous is not None:
            return getattr(self.previous.proactive, row).in_force
        note = self.report.draft.to_confirm.get(f"proactive.{row}.in_force", "")
        m = re.search(r"现行有效(\d+)件", note)
        return int(m.group(1)) if m else None

    def _applicable(self, q: Question, ctx: dict[str, Any] | None = None) -> bool:
        try:
            return self._renderer.test(q.when, ctx if ctx is not None else self.context())
        except Exception:  # a failing condition must not stop the interview: ask the question
            return True

    def _render(self, source: str, ctx: dict[str, Any]) -> str:
        try:
            return self._renderer.render(source, ctx)
        except Exception:
            return ""

    # ---------------------------------------------------------------- library

    def _library(self) -> Any:
        return _optional("gkassist.library")

    def _loaded_library(self) -> Any:
        """The paragraph library, loaded once per workspace and process (loading compiles every
        entry, which is too slow to repeat after each answer)."""
        if self._library_obj is None:
            lib = self._library()
            if lib is None or not hasattr(lib, "load_library"):
                return None
            key = str(self.workspace or "")
            if key not in _LIBRARIES:
                try:
                    _LIBRARIES[key] = lib.load_library(self.workspace)
                except Exception:
                    _LIBRARIES[key] = None
            self._library_obj = _LIBRARIES[key]
        return self._library_obj

    def _suggestions(self, section: str) -> list:
        key = (self._revision, section)
        if key not in self._suggestion_cache:
            lib = self._library()
            found: list = []
            if lib is not None and hasattr(lib, "suggest"):
                try:
                    found = list(lib.suggest(self.report, section, previous=self.previous,
                                             library=self._loaded_library()))
                except Exception:
                    found = []
            self._suggestion_cache[key] = found
        return self._suggestion_cache[key]

    def _library_draft(self, section: str, key: str) -> str:
        """The library's draft for one part (一's five parts, 六's items), or ""."""
        for s in self._suggestions(section):
            names = {str(getattr(s, attr, "") or "") for attr in ("part", "key", "item", "slot", "field")}
            names |= {n.rsplit(".", 1)[-1] for n in names}
            if key in names:
                return str(getattr(s, "text", "") or "")
        return ""

    def _filled_other_items(self) -> str:
        keys = [k for k, _ in fmt.OTHER_ITEMS[1:]]
        return " ".join(str(i) for i, k in enumerate(keys, 1) if getattr(self.report.other, k).strip())

    # ---------------------------------------------------------------- reading and writing the report

    def _get(self, path: str) -> Any:
        if path.startswith("answers."):
            return self._answers_view().get(path.removeprefix("answers."))
        if path == "problems.composed":
            return self._composed_text()
        obj: Any = self.report
        for part in path.split("."):
            obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
        return obj

    def _set(self, path: str, value: Any) -> None:
        if path.startswith("answers.") or path == "applications.outcomes":
            return
        if path == "problems.composed":
            self._set_composed(value)
            return
        parts = path.split(".")
        obj: Any = self.report
        for part in parts[:-1]:
            obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
        last = parts[-1]
        if isinstance(obj, dict):  # applications.rows.<row> ← {column: n}
            row: ApplicantRow = obj[last]
            for col in fmt.COLUMN_KEYS:
                setattr(row, col, value.get(col, 0) if isinstance(value, dict) else value)
            return
        if path == "agency.kind" and isinstance(value, str):
            value = fmt.AgencyKind(value)
        setattr(obj, last, value)

    def _composed_text(self) -> str:
        p = self.report.problems
        if p.improvements.strip():
            return f"{fmt.PROBLEMS_HEAD}\n{p.problems.strip()}\n{fmt.IMPROVEMENTS_HEAD}\n{p.improvements.strip()}"
        return p.problems

    def _set_composed(self, text: str) -> None:
        p = self.report.problems
        lines = text.strip().splitlines()
        if lines and lines[0].strip() == fmt.PROBLEMS_HEAD:
            lines = lines[1:]
        for i, line in enumerate(lines):
            if line.strip() in (fmt.IMPROVEMENTS_HEAD, fmt.IMPROVEMENTS_HEAD_ALT):
                p.problems = "\n".join(lines[:i]).strip()
                p.improvements = "\n".join(lines[i + 1:]).strip()
                p.layout = "subheads"
                return
        p.problems = "\n".join(lines).strip()
        p.improvements = ""
        p.layout = "paragraph"

    # ---------------------------------------------------------------- where the interview stands

    def _answered(self, q: Question) -> bool:
        return q.id in self.report.draft.answers

    def _applicable_questions(self) -> list[Question]:
        ctx = self.context()
        found = []
        for q in self.questions:
            if self._applicable(q, ctx):
                found.append(q)
        return found

    def current(self) -> Question | None:
        applicable = self._applicable_questions()
        ids = {q.id for q in applicable}
        if self._focus in ids:
            return self._by_id[self._focus]
        self._focus = self._walk = None
        skipped = self.report.draft.skipped
        for q in applicable:
            if not self._answered(q) and q.id not in skipped:
                return q
        for qid in skipped:
            if qid in ids and not self._answered(self._by_id[qid]):
                return self._by_id[qid]
        return None

    @property
    def is_complete(self) -> bool:
        return self.current() is None and not self.missing()

    def missing(self) -> list[Question]:
        return [q for q in self._applicable_questions() if not self._answered(q)]

    def progress(self) -> list[SectionProgress]:
        applicable = self._applicable_questions()
        result = []
        for section in SECTION_ORDER:
            qs = [q for q in applicable if q.section == section]
            answered = sum(1 for q in qs if self._answered(q))
            result.append(SectionProgress(section, section_label(section), answered, len(qs),
                                          answered == len(qs)))
        return result

    def field_question(self, field_path: str) -> Question | None:
        """The applicable question that decides `field_path`, the most specific first."""
        best: tuple[int, int, Question] | None = None
        applicable = {q.id for q in self._applicable_questions()}
        for q in self.questions:
            for target in q.targets:
                if _covers(field_path, target):
                    score = (1 if q.id in applicable else 0, len(target))
                    if best is None or score > best[:2]:
                        best = (*score, q)
        return best[2] if best else None

    # ---------------------------------------------------------------- moving around

    def goto_question(self, qid: str) -> Question | None:
        if qid not in self._by_id:
            return self.current()
        self._focus, self._walk = qid, None
        return self.current()

    def goto(self, section: str) -> Question | None:
        """Revisit a section: its questions come again in order, answered ones with their answer
        as default; after the section the interview returns to the first unanswered question."""
        for q in self._applicable_questions():
            if q.section == section:
                self._focus, self._walk = q.id, section
                return q
        return self.current()

    def back(self) -> Question | None:
        cur = self.current()
        applicable = self._applicable_questions()
        ids = [q.id for q in applicable]
        idx = ids.index(cur.id) if cur is not None and cur.id in ids else len(ids)
        if idx == 0:
            return cur
        self._focus, self._walk = ids[idx - 1], "all"
        return self.current()

    def skip(self) -> Question | None:
        cur = self.current()
        if cur is None:
            return None
        skipped = self.report.draft.skipped
        if cur.id in skipped:
            skipped.remove(cur.id)  # skipping again sends it to the back of the queue
        skipped.append(cur.id)
        self.report.draft.skipped = skipped
        self._focus = self._walk = None
        return self.current()

    # ---------------------------------------------------------------- rendering a question

    def options(self, q: Question) -> list[Option]:
        if q.options == "agency_kinds":
            return [Option(i, k.value, k.value) for i, k in enumerate(fmt.AgencyKind, 1)]
        if q.options == "other_items":
            return [Option(i, k, label) for i, (k, label) in enumerate(fmt.OTHER_ITEMS[1:], 1)]
        if q.options == "suggestions":
            opts = []
            lib = self._library()
            kinds = getattr(lib, "KINDS", {}) if lib is not None else {}
            for i, s in enumerate(self._suggestions(q.suggest), 1):
                theme = str(getattr(s, "theme", "") or "")
                kind = kinds.get(getattr(s, "kind", ""), "")
                opts.append(Option(i, _suggestion_key(s, i), f"{kind}：{theme}" if kind else theme,
                                   str(getattr(s, "reason", "") or ""), str(getattr(s, "text", "") or "")))
            return opts
        return [Option(i, c, c) for i, c in enumerate(q.choices, 1)]

    def default_text(self, q: Question, *, use_previous: bool = False) -> str:
        """What sending an empty answer means: the current value of the field (so revisiting
        shows the last answer), else last year's (only when confirming "no change"), else the
        script's default."""
        current = self._value_text(q, self, use_previous=use_previous)
        if current:
            return current
        return self._render(q.default, self.context())

    def _value_text(self, q: Question, source: Any, *, use_previous: bool) -> str:
        def value(path: str) -> Any:
            v = self._get(path)
            if (v is None or v == "") and use_previous and q.carry and self.previous is not None \
                    and not path.startswith("answers.") and "." in path:
                try:
                    obj: Any = self.previous
                    for part in path.split("."):
                        obj = obj[part] if isinstance(obj, dict) else getattr(obj, part)
                    v = obj
                except (AttributeError, KeyError):
                    v = None
            return v

        if q.kind == "counts":
            values = [value(p) for p in q.fields]
            if use_previous and len(values) == 3 and q.fields[2].endswith(".in_force") and values[2] is None:
                # 现行有效 moves on: last year's + 本年制发 − 本年废止.
                base = self._in_force_base(q.fields[2].split(".")[1])
                if base is not None and values[0] is not None and values[1] is not None:
                    values[2] = max(base + values[0] - values[1], 0)
            return " ".join(str(v) for v in values) if all(v is not None for v in values) else ""
        if q.kind == "grid":
            return ""
        v = value(q.field)
        if v is None or v == "":
            if q.field.startswith("answers.") and q.id in self.report.draft.answers:
                v = self.report.draft.answers[q.id]
            if v is None or v == "":
                return ""
        if q.kind == "yesno":
            return "是" if v else "否"
        if q.kind == "applicants":
            row = v if isinstance(v, dict) else v.values()
            if all(x is None for x in row.values()):
                return ""
            parts = [f"{fmt.COLUMN_LABEL[k]}{n}" for k, n in row.items() if n]
            return " ".join(parts) if parts else "0"
        if q.kind == "money":
            return format(Decimal(str(v)), "f")
        if q.kind == "choice":
            return v.value if isinstance(v, fmt.AgencyKind) else str(v)
        if q.kind == "pick":
            keys = [str(k) for k in (v if isinstance(v, list) else [])]
            opts = self.options(q)
            numbers = [str(o.number) for o in opts if o.key in keys]
            return " ".join(numbers)
        if q.kind == "date":
            return v.isoformat() if isinstance(v, date) else str(v)
        return str(v)

    def prompt(self, question: Question | None = None) -> Prompt | None:
        q = question or self.current()
        if q is None:
            return None
        ctx = self.context()
        return Prompt(
            question=q, section=q.section, section_label=section_label(q.section),
            text=self._render(q.text, ctx), help=self._render(q.help, ctx),
            default=self.default_text(q), kind=q.kind, multiline=q.multiline,
            options=self.options(q) if q.kind in ("choice", "pick") else [],
            placeholder=self._render(q.placeholder, ctx), answered=self._answered(q),
            previous_answer=self.report.draft.answers.get(q.id),
            labels=[self._render(label, ctx) for label in q.labels],
        )

    def grid_values(self) -> dict[str, dict[str, int | None]]:
        return {k: self.report.applications.row(k).values() for k in fmt.ROW_KEYS}

    # ---------------------------------------------------------------- parsing

    def _parse(self, q: Question, text: str, ctx: dict[str, Any]) -> tuple[Any, str, list[str]]:
        """(value, the answer as shown in the conversation, notes for the message)."""
        notes: list[str] = []
        if q.kind == "grid":
            return self._parse_grid(text), "（已在表格中填写）", notes
        if not (text or "").strip():
            text = self.default_text(q)
            if not text.strip():
                if not q.required or (q.kind == "pick"):
                    return None, "（不填）", notes
                if q.kind == "paragraph":
                    raise ParseError("这一部分不能为空，请写几句话" + ("；没有要写的就答“无”。" if q.allow_none else "。"))
        shown = text.strip()
        kind = q.kind
        if kind == "text":
            value: Any = P.parse_text(text, required=q.required, max_length=q.max_length)
        elif kind == "paragraph":
            value = P.parse_paragraph(text, required=q.required, allow_none=q.allow_none)
            value, changes = self._normalise(value)
            if changes:
                notes.append("已把中文之间的半角标点改为全角：" + "；".join(changes[:5]))
            shown = value or "无"
        elif kind == "count":
            value = P.parse_count(text)
            self._check_range(q, value)
        elif kind == "counts":
            labels = [self._render(label, ctx) for label in q.labels]
            value = P.parse_counts(text, labels)
            notes.append("、".join(f"{label} {n}" for label, n in zip(labels, value)))
            if len(value) == 3 and q.fields[2].endswith(".in_force"):
                base = self._in_force_base(q.fields[2].split(".")[1])
                if base is not None and base + value[0] - value[1] != value[2]:
                    notes.append(f"提示：按上年现行有效 {base} 件加本年制发减废止推算，应为 "
                                 f"{base + value[0] - value[1]} 件，请核对")
        elif kind == "money":
            value = P.parse_money(text, unit=q.unit)
            self._check_range(q, value)
            if P.normalise(text).replace(" ", "").rstrip("。") not in (format(value, "f"), format(value, "f") + q.unit):
                notes.append(f"记为 {P.describe_money(value, q.unit)}")
        elif kind == "choice":
            opts = self.options(q)
            title = P.parse_choice(text, [o.title for o in opts])
            value = next(o.key for o in opts if o.title == title)
        elif kind == "yesno":
            value = P.parse_yesno(text)
        elif kind == "applicants":
            value = P.parse_applicants(text)
            notes.append(P.describe_applicants(value))
        elif kind == "pick":
            opts = self.options(q)
            if not opts:
                return None, "（没有可选的建议）", notes
            numbers = P.parse_pick(text, len(opts), allow_none=q.allow_none or not q.required)
            value = [opts[n - 1].key for n in numbers]
        elif kind == "date":
            value = P.parse_date(text)
        else:  # pragma: no cover - the script loader rejects unknown kinds
            raise ParseError(f"不认识的问题类型 {kind}。")
        return value, shown, notes

    def _check_range(self, q: Question, value: Any) -> None:
        if q.min is not None and value < q.min:
            raise ParseError(f"不能小于 {q.min:g}。")
        if q.max is not None and value > q.max:
            raise ParseError(f"不能大于 {q.max:g}。")

    def _parse_grid(self, text: str) -> dict[str, dict[str, int]] | None:
        t = (text or "").strip()
        if t.lower() in GRID_DONE_WORDS:
            return None
        try:
            data = json.loads(t)
        except json.JSONDecodeError:
            raise ParseError("请在表格里填写办理结果，填好后按“完成”。") from None
        return self._validate_grid(data)

    def _validate_grid(self, data: Any) -> dict[str, dict[str, int]]:
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

    def _normalise(self, text: str) -> tuple[str, list[str]]:
        textnorm = _optional("gkassist.textnorm")
        if textnorm is None or not hasattr(textnorm, "normalise_punctuation"):
            return text, []
        try:
            new, changes = textnorm.normalise_punctuation(text)
        except Exception:
            return text, []
        return new, [str(c) for c in changes]

    # ---------------------------------------------------------------- answering

    def answer(self, text: str) -> AnswerResult:
        q = self.current()
        if q is None:
            return AnswerResult(False, "所有问题都已回答完毕，可以检查并导出报告了。")
        return self._answer(q, text)

    def apply_grid(self, values: dict[str, dict[str, int | None]]) -> AnswerResult:
        q = self.current()
        if q is None or q.kind != "grid":
            return AnswerResult(False, "现在不是填写表格的时候。", question=q)
        try:
            clean = self._validate_grid(values)
        except ParseError as exc:
            return AnswerResult(False, exc.reason, question=q)
        return self._answer(q, json.dumps(clean, ensure_ascii=False))

    def _answer(self, q: Question, text: str) -> AnswerResult:
        ctx = self.context()
        before = self.findings()
        try:
            value, shown, notes = self._parse(q, text, ctx)
        except ParseError as exc:
            return AnswerResult(False, exc.reason, question=q)
        offered = self._render(q.default, ctx) if q.kind == "paragraph" and "library_draft" in q.default else ""
        snapshot = self.report.model_copy(deep=True)
        try:
            notes += self._apply(q, value)
        except (ValidationError, ValueError, ParseError) as exc:
            self._restore(snapshot)
            reason = exc.reason if isinstance(exc, ParseError) else _explain(exc)
            return AnswerResult(False, reason, question=q)
        question_text = self._render(q.text, ctx)
        turns = [Turn(role="assistant", text=question_text, question=q.id),
                 Turn(role="clerk", text=shown, question=q.id)]
        auto = self.report.draft.answers.setdefault(AUTO_DRAFTS, {})
        if offered and value and value.strip() == offered.strip():
            auto[q.id] = value
        else:
            auto.pop(q.id, None)
        self._after_answer(q)
        notes += self._refresh_drafts(q.id)
        new = self._new_findings(before, q)
        if any(getattr(f, "rule", "") == "R1" for f in new):  # the check says it better
            notes = [n for n in notes if not n.startswith(_R1_NOTE)]
        message = "；".join(n for n in notes if n)
        if message:
            turns.append(Turn(role="note", text=message, question=q.id))
        for f in new:
            sev = getattr(getattr(f, "severity", None), "value", "") or "提示"
            turns.append(Turn(role="note", text=f"{sev}：{getattr(f, 'message', f)}", question=q.id))
        self.report.draft.log.extend(turns)
        return AnswerResult(True, message, new, q, turns)

    def _refresh_drafts(self, answered: str) -> list[str]:
        """Library drafts the clerk accepted unchanged follow later figures: a draft of 一 offered
        before table 三 was filled is rewritten with this year's numbers once they are known."""
        auto = self.report.draft.answers.get(AUTO_DRAFTS) or {}
        updated = []
        for qid, text in list(auto.items()):
            q = self._by_id.get(qid)
            if qid == answered:
                continue
            if q is None or qid not in self.report.draft.answers or self._get(q.field) != text:
                auto.pop(qid, None)  # edited since, or no longer part of the interview: leave it alone
                continue
            fresh = self._render(q.default, self.context())
            if fresh and fresh != text:
                self._set(q.field, fresh)
                auto[qid] = fresh
                self.report.draft.answers[qid] = fresh
                updated.append(_part_label(q.field))
        if updated:
            self._findings = None
            return [f"已按新填的数字更新了您采用的草稿：{'、'.join(updated)}"]
        return []

    def _restore(self, snapshot: Report) -> None:
        for name in Report.model_fields:
            setattr(self.report, name, getattr(snapshot, name))

    def _apply(self, q: Question, value: Any, *, record: bool = True) -> list[str]:
        notes: list[str] = []
        if q.kind == "counts":
            for path, n in zip(q.fields, value):
                self._set(path, n)
        elif q.kind == "grid":
            notes += self._apply_grid_values(value)
        elif q.kind == "pick" and q.field == "problems.picked":
            self.report.problems.picked = list(value or [])
        elif value is not None or q.kind in ("date", "text"):
            self._set(q.field, value if value is not None else (None if q.kind == "date" else ""))
        if record:
            self.report.draft.answers[q.id] = _jsonable(value)
            if q.id in self.report.draft.skipped:
                self.report.draft.skipped.remove(q.id)
            self._clear_to_confirm(q.targets)
        actions = list(q.on_answer)
        if q.kind == "yesno":
            actions += list(q.on_yes if value else q.on_no)
        for action in actions:
            notes += getattr(self, f"_action_{action}")(q, value)
        return notes

    def _apply_grid_values(self, values: dict[str, dict[str, int]] | None) -> list[str]:
        t = self.report.applications
        for row, cols in (values or {}).items():
            for col, n in cols.items():
                t.set(row, col, n)
        for row in GRID_ROWS:  # an empty grid cell means none
            for col in fmt.COLUMN_KEYS:
                if t.value(row, col) is None:
                    t.set(row, col, 0)
        notes = []
        for col in fmt.COLUMN_KEYS:
            got = t.cell("new", col) + t.cell("carried", col)
            handled = t.cell("total", col) + t.cell("carry_next", col)
            if got != handled:
                notes.append(f"“{fmt.COLUMN_LABEL[col]}”一列：新收加上年结转 {got} 件，"
                             f"办理结果加结转下年度 {handled} 件，差 {got - handled} 件")
        if notes:
            return [_R1_NOTE + "；".join(notes) + "（可以回到表格修改）"]
        return [f"办理结果共 {t.cell('total', 'total')} 件，与收到的申请数相符"]

    def _clear_to_confirm(self, paths: tuple[str, ...]) -> None:
        pending = self.report.draft.to_confirm
        for key in [k for k in pending if any(_covers(k, p) for p in paths)]:
            del pending[key]

    def _after_answer(self, q: Question) -> None:
        self._revision += 1
        self._findings = None
        self._sync()
        if self._focus == q.id:
            nxt = None
            if self._walk:
                applicable = self._applicable_questions()
                ids = [x.id for x in applicable]
                if q.id in ids:
                    for cand in applicable[ids.index(q.id) + 1:]:
                        if self._walk == "all":  # stepping back: forward again over answered ones
                            nxt = cand if self._answered(cand) else None
                        elif cand.section == self._walk:  # revisiting a section: all of it, in order
                            nxt = cand
                        break
            if nxt is None:
                self._focus = self._walk = None
            else:
                self._focus = nxt.id

    def _sync(self) -> None:
        """Apply `otherwise` values of questions whose condition is false, and forget answers
        of questions that no longer apply (so switching a gateway back asks them afresh)."""
        for _ in range(3):
            changed = False
            ctx = self.context()
            for q in self.questions:
                if self._applicable(q, ctx):
                    continue
                if q.otherwise is not None:
                    targets = q.fields or (q.field,)
                    values = q.otherwise if isinstance(q.otherwise, list) else [q.otherwise] * len(targets)
                    for path, v in zip(targets, values):
                        if not path.startswith("answers.") and self._get(path) is None:
                            self._set(path, v)
                            changed = True
                if q.id in self.report.draft.answers:
                    del self.report.draft.answers[q.id]
                    changed = True
                    ctx = self.context()
            if not changed:
                break

    # ---------------------------------------------------------------- findings

    def findings(self) -> list:
        if self._findings is None:
            checks = _optional("gkassist.checks")
            found: list = []
            if checks is not None and hasattr(checks, "check"):
                try:
                    found = list(checks.check(self.report, previous=self.previous))
                except Exception:
                    found = []
            self._findings = found
        return self._findings

    def _new_findings(self, before: list, q: Question) -> list:
        seen = {_finding_key(f) for f in before}
        label = section_label(q.section)
        # A blank that a later question will fill is not news: say only what this answer caused.
        # Likewise a sum that cannot add up before the rest of its section is answered (R1 after
        # 结转下年度, before the grid): shown once the section is done, unless it is about this answer.
        missing = [o for o in self.missing() if o.id != q.id]
        pending = [t for o in missing for t in o.targets]
        pending_sections = {o.section for o in missing}
        result = []
        current = self.findings()
        self._deferred &= {_finding_key(f) for f in current}
        for f in current:
            key = _finding_key(f)
            if key in seen and key not in self._deferred:
                continue
            path = getattr(f, "field", "") or ""
            if path and (any(_covers(path, t) for t in pending) or (
                    section_of_field(path) in pending_sections and not any(_covers(path, t) for t in q.targets))):
                self._deferred.add(key)  # said later, after the answer that completes the section
                continue
            self._deferred.discard(key)
            if path:
                relevant = any(_covers(path, t) for t in q.targets) or section_of_field(path) == q.section
            else:
                relevant = q.section != COVER and label in (getattr(f, "location", "") or "")
            if relevant:
                result.append(f)
        return result

    # ---------------------------------------------------------------- actions (named in the script)

    def _action_confirm_section(self, q: Question, value: Any) -> list[str]:
        """“No change since last year”: accept every carried value of this section in one answer."""
        confirmed = 0
        for other in self.questions:
            if other.section != q.section or other.id == q.id or self._answered(other):
                continue
            if not self._applicable(other) or other.kind == "grid" or not other.carry:
                continue  # carry = false: this year's answer is always asked (the publication date)
            text = self.default_text(other, use_previous=True)
            try:
                if text.strip():
                    parsed, _shown, _notes = self._parse(other, text, self.context())
                elif not other.required or other.kind == "pick":
                    parsed = None
                else:
                    continue
                self._apply(other, parsed)
            except (ParseError, ValidationError, ValueError):
                continue  # left unanswered: it will be asked
            confirmed += 1
        pending = self.report.draft.to_confirm
        for key in [k for k in pending if section_of_field(k) == q.section]:
            del pending[key]
        left = [o for o in self.questions if o.section == q.section and o.id != q.id
                and self._applicable(o) and not self._answered(o)]
        note = f"已确认沿用去年的内容（{confirmed} 项）"
        if left:
            note += f"，还有 {len(left)} 项需要填写"
        return [note + "。"]

    def _action_no_requests(self, q: Question, value: Any) -> list[str]:
        t = self.report.applications
        for col in fmt.COLUMN_KEYS:
            t.set("new", col, 0)
        if t.cell("carried", "total") == 0:
            for row in fmt.ROW_KEYS:
                for col in fmt.COLUMN_KEYS:
                    t.set(row, col, 0)
            return ["表三已全部填为 0"]
        return [f"本年没有新收申请；上年结转的 {t.cell('carried', 'total')} 件还要填写办理结果"]

    def _action_all_public(self, q: Question, value: Any) -> list[str]:
        t = self.report.applications
        for col in fmt.COLUMN_KEYS:
            total = (t.value("new", col) or 0) + (t.value("carried", col) or 0)
            for row in GRID_ROWS:
                t.set(row, col, total if row == "public" else 0)
        return [f"已把 {t.received} 件全部计入{fmt.T3_ROW['public'].label}，其他办理结果和结转下年度均为 0"]

    def _action_zero_reviews(self, q: Question, value: Any) -> list[str]:
        self.report.reviews.set_all(0)
        return ["表四已全部填为 0"]

    def _action_compose_problems(self, q: Question, value: Any) -> list[str]:
        picked_ids = [str(v) for v in (value or [])]
        if not picked_ids:
            return []
        by_id = {_suggestion_key(s, i): s for i, s in enumerate(self._suggestions(q.suggest or "五"), 1)}
        picked = [by_id[i] for i in picked_ids if i in by_id]
        lib = self._library()
        composed: Any = None
        if lib is not None and hasattr(lib, "apply_picks"):
            try:
                lib.apply_picks(self.report, "五", picked_ids, previous=self.previous,
                                library=self._loaded_library())
                return [f"已按所选的 {len(picked_ids)} 条拼成第五部分的草稿，下一步可以修改"]
            except Exception as exc:  # a library problem must not lose the answer: compose below
                composed = None
                if getattr(exc, "message", None):
                    return [str(exc)]
        if lib is not None and hasattr(lib, "compose_problems"):
            for call in (lambda: lib.compose_problems(self.report, picked, previous=self.previous),
                         lambda: lib.compose_problems(self.report, picked),
                         lambda: lib.compose_problems(self.report, picked_ids)):
                try:
                    composed = call()
                    break
                except TypeError:
                    continue
                except Exception:
                    break
        if composed is None:
            composed = "\n".join(str(getattr(s, "text", "")) for s in picked)
        if isinstance(composed, str):
            self._set_composed(composed)
        elif isinstance(composed, tuple) and len(composed) == 2:
            self.report.problems.problems, self.report.problems.improvements = map(str, composed)
            self.report.problems.layout = "subheads"
        else:
            for attr in ("problems", "improvements", "layout"):
                if getattr(composed, attr, None):
                    setattr(self.report.problems, attr, getattr(composed, attr))
            if not getattr(composed, "problems", None) and getattr(composed, "text", None):
                self._set_composed(composed.text)
        self.report.problems.picked = picked_ids
        return [f"已按所选的 {len(picked)} 条拼成第五部分的草稿，下一步可以修改"]

    def _action_fee_statement(self, q: Question, value: Any) -> list[str]:
        r = self.report
        fee = r.other.fee_yuan
        who = r.agency.self_reference
        year = f"{r.year}年" if r.year else "本年度"
        if fee is None:
            return []
        if fee == 0:
            text = f"{year}，{who}依照{fmt.FEE_RULES}，未收取信息处理费。"
        else:
            text = f"{year}，{who}依照{fmt.FEE_RULES}收取信息处理费共计{format(fee, 'f')}元。"
        r.other.fee_statement = text
        self._clear_to_confirm(("other.fee_statement",))
        return [f"关于信息处理费写为：{text}"]

    def _action_apply_other_items(self, q: Question, value: Any) -> list[str]:
        keep = set(value or [])
        cleared = []
        for key, label in fmt.OTHER_ITEMS[1:]:
            if key not in keep and getattr(self.report.other, key).strip():
                setattr(self.report.other, key, "")
                cleared.append(label)
        return [f"不再写：{'、'.join(cleared)}"] if cleared else []



def _explain(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        from gkassist.store import explain_validation

        return explain_validation(exc)
    return str(exc)
