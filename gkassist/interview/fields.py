"""Typed accessors for the model paths a question writes: each `field` of the script is resolved
once, at load, to an object that reads and writes the report (no dotted strings walked at run time)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel

from gkassist import format as fmt
from gkassist.model import ApplicantRow, Report

ANSWERS = "answers."
COMPOSED = "problems.composed"
OUTCOMES = "applications.outcomes"
PROACTIVE = "proactive"


class UnknownField(LookupError):
    """A model path the report does not have."""


@dataclass(frozen=True)
class Accessor:
    """Reads and writes one model path of a Report."""

    path: str

    def get(self, report: Report) -> Any:
        raise NotImplementedError

    def set(self, report: Report, value: Any) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class AnswerSlot(Accessor):
    """answers.<name>: kept only in report.draft.answers (written by the applier, not here)."""

    name: str = ""

    def get(self, report: Report) -> Any:
        return report.draft.answers.get(self.name)

    def set(self, report: Report, value: Any) -> None:
        return None  # the applier records the answer itself


@dataclass(frozen=True)
class Attribute(Accessor):
    """A plain attribute path of the model (agency.name, proactive.normative.in_force …)."""

    parts: tuple[str, ...] = ()

    def _owner(self, report: Report) -> Any:
        obj: Any = report
        for part in self.parts[:-1]:
            obj = getattr(obj, part)
        return obj

    def get(self, report: Report) -> Any:
        return getattr(self._owner(report), self.parts[-1])

    def set(self, report: Report, value: Any) -> None:
        if self.path == "agency.kind" and isinstance(value, str):
            value = fmt.AgencyKind(value)
        setattr(self._owner(report), self.parts[-1], value)


@dataclass(frozen=True)
class ApplicantRowSlot(Accessor):
    """applications.rows.<row>: one row of table 三, written from {column: n} or one number."""

    row: str = ""

    def get(self, report: Report) -> ApplicantRow:
        return report.applications.rows[self.row]

    def set(self, report: Report, value: Any) -> None:
        row = report.applications.rows[self.row]
        for col in fmt.COLUMN_KEYS:
            setattr(row, col, value.get(col, 0) if isinstance(value, dict) else value)


@dataclass(frozen=True)
class ApplicantCell(Accessor):
    """applications.rows.<row>.<column>: one cell of table 三."""

    row: str = ""
    column: str = ""

    def get(self, report: Report) -> int | None:
        return report.applications.value(self.row, self.column)

    def set(self, report: Report, value: Any) -> None:
        report.applications.set(self.row, self.column, value)


@dataclass(frozen=True)
class ComposedProblems(Accessor):
    """五 as one text: 问题 and 改进 joined under their sub-heads when both are written."""

    def get(self, report: Report) -> str:
        p = report.problems
        if p.improvements.strip():
            return f"{fmt.PROBLEMS_HEAD}\n{p.problems.strip()}\n{fmt.IMPROVEMENTS_HEAD}\n{p.improvements.strip()}"
        return p.problems

    def set(self, report: Report, value: Any) -> None:
        p = report.problems
        lines = str(value or "").strip().splitlines()
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


@dataclass(frozen=True)
class Outcomes(Accessor):
    """Table 三's outcome rows, filled through the grid (the applier writes them)."""

    def get(self, report: Report) -> dict[str, dict[str, int | None]]:
        return {k: report.applications.row(k).values() for k in (*fmt.OUTCOME_KEYS, "carry_next")}

    def set(self, report: Report, value: Any) -> None:
        return None


@dataclass(frozen=True)
class ProactiveFigures(Accessor):
    """Table 二 as a whole (one answer, see parsers.parse_proactive): {rules|normative: [制发, 废止,
    现行有效], licensing|penalty|enforcement: n, fee: 万元}."""

    def get(self, report: Report) -> dict[str, Any] | None:
        p = report.proactive
        values: dict[str, Any] = {}
        for key in ("rules", "normative"):
            row = getattr(p, key)
            values[key] = [row.issued, row.repealed, row.in_force]
        for key in ("licensing", "penalty", "enforcement", "fee"):
            values[key] = getattr(p, key)
        flat = [*values["rules"], *values["normative"], *(values[k] for k in ("licensing", "penalty", "enforcement", "fee"))]
        return None if all(v is None for v in flat) else values

    def set(self, report: Report, value: Any) -> None:
        p = report.proactive
        for key in ("rules", "normative"):
            row = getattr(p, key)
            row.issued, row.repealed, row.in_force = value[key]
        for key in ("licensing", "penalty", "enforcement", "fee"):
            setattr(p, key, value[key])


@cache
def resolve(path: str) -> Accessor:
    """The accessor of a model path; UnknownField when the report has no such item."""
    if path.startswith(ANSWERS):
        name = path.removeprefix(ANSWERS)
        if not name.isidentifier():
            raise UnknownField(path)
        return AnswerSlot(path, name)
    if path == COMPOSED:
        return ComposedProblems(path)
    if path == OUTCOMES:
        return Outcomes(path)
    if path == PROACTIVE:
        return ProactiveFigures(path)
    parts = tuple(path.split("."))
    model: Any = Report
    for i, part in enumerate(parts):
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            raise UnknownField(path)
        if part == "rows" and i + 1 < len(parts) and parts[:i] == ("applications",):
            row = parts[i + 1]
            if row not in fmt.ROW_KEYS:
                raise UnknownField(path)
            if len(parts) == i + 2:
                return ApplicantRowSlot(path, row)
            if len(parts) == i + 3 and parts[i + 2] in fmt.COLUMN_KEYS:
                return ApplicantCell(path, row, parts[i + 2])
            raise UnknownField(path)
        model = model.model_fields[part].annotation
    return Attribute(path, parts)
