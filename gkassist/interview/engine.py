"""The interview: one facade over the navigator (where we are), the presenter (what the clerk
sees) and the applier (what an answer does). Its collaborators — checks, paragraph library,
punctuation normaliser — are passed in (defaults: the real modules); their errors propagate."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkassist import format as fmt
from gkassist import library as stock
from gkassist.interview.applier import AnswerResult, Applier
from gkassist.interview.fields import ANSWERS, resolve
from gkassist.interview.navigator import Navigator, SectionProgress
from gkassist.interview.parsers import ParseError
from gkassist.interview.pending import PREFIX as PENDING_PREFIX
from gkassist.interview.pending import PendingCells, PendingQuestion
from gkassist.interview.ports import (
    Checker,
    Normaliser,
    ParagraphLibrary,
    StockLibrary,
    check_report,
    normalise_punctuation,
)
from gkassist.interview.presenter import Option, Presenter, Prompt
from gkassist.interview.script import Question, answer_names, answers_view, load_script
from gkassist.model import Report

if TYPE_CHECKING:  # gkassist.checks is imported at the first check, not before the first question
    from gkassist.checks import Finding

__all__ = ["AnswerResult", "Interview", "Option", "Prompt", "SectionProgress", "find_previous"]


def find_previous(report: Report, workspace: Path | None) -> Report | None:
    """Last year's report of the same agency in the workspace, if there is one."""
    if workspace is None or not report.year or not report.agency.name:
        return None
    from gkassist.store import list_reports

    for _path, other, _err in list_reports(Path(workspace)):
        if other is not None and other.year == report.year - 1 and other.agency.name == report.agency.name:
            return other
    return None


class Interview:
    """Drives a Report through the question script. All state lives in the report
    (report.draft.answers / skipped / log / accepted_drafts and the fields), so a report loaded
    from disk resumes. Constructing an interview does not change the report."""

    def __init__(self, report: Report, *, script: list[Question] | None = None,
                 previous: Report | None = None,
                 library: ParagraphLibrary | stock.Library | None = None,
                 workspace: Path | None = None, checker: Checker = check_report,
                 normaliser: Normaliser = normalise_punctuation) -> None:
        self.report = report
        self.previous = previous
        self.workspace = workspace
        self.questions: list[Question] = list(script) if script is not None else load_script()
        self.by_id: dict[str, Question] = {q.id: q for q in self.questions}
        self.answer_names = answer_names(self.questions)
        self.conditions: tuple[str, ...] = tuple(q.when for q in self.questions)
        if library is None or isinstance(library, stock.Library):
            library = StockLibrary(workspace, library)
        self.library: ParagraphLibrary = library
        self.checker = checker
        self.normaliser = normaliser
        self.revision = 0
        self.presenter = Presenter(self)
        self.navigator = Navigator(self)
        self.applier = Applier(self)
        self.pending = PendingCells(self)  # the import's 待核对 cells, asked before the script

    # ---------------------------------------------------------------- reading the report

    def get(self, path: str) -> Any:
        """The value at a model path (answers.X reads the answers the templates see)."""
        if path.startswith(ANSWERS):
            return answers_view(self.report.draft.answers, self.questions,
                                self.answer_names).get(path.removeprefix(ANSWERS))
        return resolve(path).get(self.report)

    def context(self) -> dict[str, Any]:
        return self.presenter.context()

    # ---------------------------------------------------------------- where the interview stands

    def current(self) -> Question | None:
        """The import's 待核对 cells come first (unless skipped for now, or the clerk went to a
        question on purpose); then the script; skipped 待核对 cells come back at the end."""
        if self.navigator.focus is None:
            first = self.pending.current()
            if first is not None:
                return first
        q = self.navigator.current()
        return q if q is not None else self.pending.current(include_skipped=True)

    @property
    def is_complete(self) -> bool:
        return self.current() is None and not self.missing()

    def missing(self) -> list[Question]:
        return [*self.pending.questions(), *self.navigator.missing()]

    def progress(self) -> list[SectionProgress]:
        return self.navigator.progress()

    def field_question(self, field_path: str) -> Question | None:
        return self.pending.for_field(field_path) or self.navigator.field_question(field_path)

    def goto_question(self, qid: str) -> Question | None:
        if qid.startswith(PENDING_PREFIX):
            self.pending.focus = qid.removeprefix(PENDING_PREFIX)
            self.navigator.focus = self.navigator.walk = None
            return self.current()
        self.pending.focus = None
        return self.navigator.goto_question(qid)

    def goto(self, section: str) -> Question | None:
        self.pending.focus = None
        return self.navigator.goto(section)

    def back(self) -> Question | None:
        if isinstance(self.current(), PendingQuestion):
            return self.current()  # the 待核对 cells come before the first question of the script
        return self.navigator.back()

    def skip(self) -> Question | None:
        cur = self.current()
        if isinstance(cur, PendingQuestion):
            skipped = self.report.draft.skipped
            if cur.id in skipped:
                skipped.remove(cur.id)
            skipped.append(cur.id)
            return self.current()
        return self.navigator.skip()

    # ---------------------------------------------------------------- what the clerk sees

    def options(self, q: Question) -> list[Option]:
        if isinstance(q, PendingQuestion):
            return self.pending.options(q)
        return self.presenter.options(q)

    def default_text(self, q: Question, *, use_previous: bool = False) -> str:
        if isinstance(q, PendingQuestion):
            return self.pending.default(q)
        return self.presenter.default_text(q, use_previous=use_previous)

    def prompt(self, question: Question | None = None) -> Prompt | None:
        q = question or self.current()
        if isinstance(q, PendingQuestion):
            return self.pending.prompt(q)
        return None if q is None else self.presenter.prompt(q)

    def grid_values(self) -> dict[str, dict[str, int | None]]:
        return {k: self.report.applications.row(k).values() for k in fmt.ROW_KEYS}

    # ---------------------------------------------------------------- answering

    def answer(self, text: str, *, commit: Callable[[Report], None] | None = None) -> AnswerResult:
        """Answer the current question. With `commit` (a durable save of the report), the
        answer stands only once `commit` returned; if it raises, nothing of the answer remains."""
        q = self.current()
        if q is None:
            return AnswerResult(False, "所有问题都已回答完毕，可以检查并导出报告了。")
        if isinstance(q, PendingQuestion):
            return self.pending.answer(q, text, commit)
        return self.applier.answer(q, text, commit)

    def apply_grid(self, values: dict[str, dict[str, int | None]], *,
                   commit: Callable[[Report], None] | None = None) -> AnswerResult:
        q = self.current()
        if q is None or q.kind != "grid":
            return AnswerResult(False, "现在不是填写表格的时候。", question=q)
        try:
            clean = self.applier.validate_grid(values)
        except ParseError as exc:
            return AnswerResult(False, exc.reason, question=q)
        return self.applier.answer(q, json.dumps(clean, ensure_ascii=False), commit)

    def findings(self) -> list[Finding]:
        return self.applier.findings()
