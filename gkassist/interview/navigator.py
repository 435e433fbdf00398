"""The navigator: which questions apply, which one is asked now, and moving around (revisit a
section or a question, step back, skip for now)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gkassist.interview.script import SECTION_ORDER, Question, section_label

if TYPE_CHECKING:
    from gkassist.interview.engine import Interview


@dataclass(frozen=True)
class SectionProgress:
    section: str
    label: str
    answered: int
    total: int
    done: bool


def covers(path: str, target: str) -> bool:
    """Whether a question writing `target` decides the model path `path` (or the reverse)."""
    if not path or not target:
        return False
    return path == target or path.startswith(target + ".") or target.startswith(path + ".")


class Navigator:
    """Where the interview stands. The answered and skipped sets live in the report; only the
    focus of a revisit (a question, or a walk through a section) is held here."""

    def __init__(self, iv: Interview) -> None:
        self.iv = iv
        self.focus: str | None = None
        self.walk: str | None = None  # "all" or a section while revisiting answered questions

    def answered(self, q: Question) -> bool:
        return q.id in self.iv.report.draft.answers

    def applicable(self) -> list[Question]:
        return self.iv.presenter.applicable()

    def current(self) -> Question | None:
        applicable = self.applicable()
        ids = {q.id for q in applicable}
        by_id = self.iv.by_id
        if self.focus in ids:
            return by_id[self.focus]
        self.focus = self.walk = None
        skipped = self.iv.report.draft.skipped
        for q in applicable:
            if not self.answered(q) and q.id not in skipped:
                return q
        for qid in skipped:
            if qid in ids and not self.answered(by_id[qid]):
                return by_id[qid]
        return None

    def missing(self) -> list[Question]:
        return [q for q in self.applicable() if not self.answered(q)]

    def progress(self) -> list[SectionProgress]:
        applicable = self.applicable()
        result = []
        for section in SECTION_ORDER:
            qs = [q for q in applicable if q.section == section]
            answered = sum(1 for q in qs if self.answered(q))
            result.append(SectionProgress(section, section_label(section), answered, len(qs),
                                          answered == len(qs)))
        return result

    def field_question(self, field_path: str) -> Question | None:
        """The applicable question that decides `field_path`, the most specific first; of two
        equally specific, the later one (has_requests decides the fee statement of a report with
        no requests, fee_yuan of one with requests)."""
        best: tuple[int, int, Question] | None = None
        applicable = {q.id for q in self.applicable()}
        for q in self.iv.questions:
            for target in q.targets:
                if covers(field_path, target):
                    score = (1 if q.id in applicable else 0, len(target))
                    if best is None or score >= best[:2]:
                        best = (*score, q)
        return best[2] if best else None

    def goto_question(self, qid: str) -> Question | None:
        if qid in self.iv.by_id:
            self.focus, self.walk = qid, None
        return self.current()

    def goto(self, section: str) -> Question | None:
        """Revisit a section: its questions come again in order, answered ones with their answer
        as default; after the section the interview returns to the first unanswered question."""
        for q in self.applicable():
            if q.section == section:
                self.focus, self.walk = q.id, section
                return q
        return self.current()

    def back(self) -> Question | None:
        cur = self.current()
        ids = [q.id for q in self.applicable()]
        idx = ids.index(cur.id) if cur is not None and cur.id in ids else len(ids)
        if idx == 0:
            return cur
        self.focus, self.walk = ids[idx - 1], "all"
        return self.current()

    def skip(self) -> Question | None:
        cur = self.current()
        if cur is None:
            return None
        skipped = self.iv.report.draft.skipped
        if cur.id in skipped:
            skipped.remove(cur.id)  # skipping again sends it to the back of the queue
        skipped.append(cur.id)
        self.iv.report.draft.skipped = skipped
        self.focus = self.walk = None
        return self.current()

    def after_answer(self, q: Question) -> None:
        """Move the focus on from an answered question: the next one of a walk, else none."""
        if self.focus != q.id:
            return
        nxt = None
        if self.walk:
            applicable = self.applicable()
            ids = [x.id for x in applicable]
            if q.id in ids:
                for cand in applicable[ids.index(q.id) + 1:]:
                    if self.walk == "all":  # stepping back: forward again over answered ones
                        nxt = cand if self.answered(cand) else None
                    elif cand.section == self.walk:  # revisiting a section: all of it, in order
                        nxt = cand
                    break
        if nxt is None:
            self.focus = self.walk = None
        else:
            self.focus = nxt.id

    def state(self) -> tuple[str | None, str | None]:
        return self.focus, self.walk

    def restore(self, state: tuple[str | None, str | None]) -> None:
        self.focus, self.walk = state
