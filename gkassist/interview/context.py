"""The names a question's templates and `when` conditions may use, built from a report.

One builder serves the running interview and the script loader, which renders every template
against sample reports at load: a name missing here is a load error, never a blank question."""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from gkassist import format as fmt
from gkassist.interview.agency import guess_kind
from gkassist.model import Report


class Drafts(Protocol):
    """Where library suggestions and drafts come from (the interview's library adapter)."""

    def suggestions(self, section: str) -> list[Any]: ...

    def library_draft(self, section: str, key: str) -> str: ...


class NoDrafts:
    """No library: nothing suggested (the script loader's sample contexts use it)."""

    def suggestions(self, section: str) -> list[Any]:
        return []

    def library_draft(self, section: str, key: str) -> str:
        return ""


def in_force_base(report: Report, previous: Report | None, row: str) -> int | None:
    """Last year's 现行有效件数 of 规章 / 行政规范性文件 (row key): from last year's report, else
    from the typed re-run state `new-year` left in the draft."""
    if previous is not None:
        value: int | None = getattr(previous.proactive, row).in_force
        return value
    last = report.draft.last_year
    return last.in_force.get(row) if last is not None else None


def filled_other_items(report: Report) -> str:
    """The numbers of 六's optional items already written ("1 3")."""
    keys = [k for k, _ in fmt.OTHER_ITEMS[1:]]
    return " ".join(str(i) for i, k in enumerate(keys, 1) if getattr(report.other, k).strip())


def build_context(report: Report, previous: Report | None, answers: dict[str, Any],
                  drafts: Drafts) -> dict[str, Any]:
    """Every name the script may use; `answers` holds every declared answer name (None until given)."""
    return {
        "report": report, "answers": answers, "previous": previous,
        "today": date.today(), "fmt": fmt, "self_ref": report.agency.self_reference,
        "short_name": report.agency.display_short_name, "year": report.year,
        "period": fmt.statistics_period(report.year) if report.year else "",
        "guess_kind": lambda name: guess_kind(name or "").value,
        "library_draft": drafts.library_draft, "suggestions": drafts.suggestions,
        "filled_other_items": lambda: filled_other_items(report),
        "received": report.applications.received,
        "carried_total": report.applications.cell("carried", "total"),
        "in_force_base": lambda row: in_force_base(report, previous, row),
    }


CONTEXT_NAMES = frozenset(build_context(Report(), None, {}, NoDrafts()))
