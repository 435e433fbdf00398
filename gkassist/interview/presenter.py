"""The presenter: a question as the clerk sees it — its text, help, default, options, and the
template context they are rendered in."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from gkassist import format as fmt
from gkassist.interview import parsers as P
from gkassist.interview.context import build_context, in_force_base
from gkassist.interview.fields import ANSWERS
from gkassist.interview.script import Question, Renderer, answers_view, section_label

if TYPE_CHECKING:
    from gkassist.interview.engine import Interview


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


def suggestion_key(s: Any, i: int) -> str:
    """How a picked suggestion is named to the library: `P3#1` (entry and variant)."""
    pick = getattr(s, "pick", None)
    return str(pick if isinstance(pick, str) and pick else getattr(s, "id", i))


class LibraryDrafts:
    """The library as the templates see it: suggestions per section (cached until the next
    answer) and the draft of one part."""

    def __init__(self, iv: Interview) -> None:
        self.iv = iv
        self._cache: dict[tuple[int, str], list[Any]] = {}

    def suggestions(self, section: str) -> list[Any]:
        key = (self.iv.revision, section)
        if key not in self._cache:
            self._cache = {k: v for k, v in self._cache.items() if k[0] == self.iv.revision}
            self._cache[key] = self.iv.library.suggest(self.iv.report, section, previous=self.iv.previous)
        return self._cache[key]

    def library_draft(self, section: str, key: str) -> str:
        """The library's draft for one part (一's five parts, 六's items), or "" when it has none."""
        for s in self.suggestions(section):
            slot = str(getattr(s, "slot", "") or "")
            if key in (slot, slot.rsplit(".", 1)[-1]):
                return str(s.text)
        return ""


class Presenter:
    """Text, help, default and options of a question, rendered against the report."""

    def __init__(self, iv: Interview) -> None:
        self.iv = iv
        self.renderer = Renderer()
        self.drafts = LibraryDrafts(iv)

    def context(self) -> dict[str, Any]:
        iv = self.iv
        answers = answers_view(iv.report.draft.answers, iv.questions, iv.answer_names)
        return build_context(iv.report, iv.previous, answers, self.drafts)

    def applies(self, q: Question, ctx: dict[str, Any] | None = None) -> bool:
        return self.renderer.test(q.when, ctx if ctx is not None else self.context())

    def applicable(self, ctx: dict[str, Any] | None = None) -> list[Question]:
        """The questions whose `when` holds, in script order."""
        questions = self.iv.questions
        flags = self.renderer.test_all(self.iv.conditions, ctx if ctx is not None else self.context())
        return [q for q, ok in zip(questions, flags, strict=True) if ok]

    def render(self, source: str, ctx: dict[str, Any] | None = None) -> str:
        return self.renderer.render(source, ctx if ctx is not None else self.context())

    def options(self, q: Question) -> list[Option]:
        if q.options == "agency_kinds":
            return [Option(i, k.value, k.value) for i, k in enumerate(fmt.AgencyKind, 1)]
        if q.options == "other_items":
            return [Option(i, k, label) for i, (k, label) in enumerate(fmt.OTHER_ITEMS[1:], 1)]
        if q.options == "review_blocks":
            return [Option(i, k, fmt.REVIEW if k == "review" else f"{fmt.LITIGATION}（{label}）")
                    for i, (k, label) in enumerate(fmt.T4_BLOCKS, 1)]
        if q.options == "suggestions":
            kinds = self.iv.library.kind_labels
            opts = []
            for i, s in enumerate(self.drafts.suggestions(q.suggest), 1):
                theme = str(s.theme or "")
                kind = kinds.get(s.kind, "")
                opts.append(Option(i, suggestion_key(s, i), f"{kind}：{theme}" if kind else theme,
                                   str(s.reason or ""), str(s.text or "")))
            return opts
        return [Option(i, c, c) for i, c in enumerate(q.choices, 1)]

    def default_text(self, q: Question, *, use_previous: bool = False) -> str:
        """What sending an empty answer means: the current value of the field (so revisiting
        shows the last answer), else last year's (only when confirming "no change"), else the
        script's default."""
        current = self.value_text(q, use_previous=use_previous)
        if current:
            return current
        return self.render(q.default)

    def _value(self, q: Question, i: int, *, use_previous: bool) -> Any:
        accessor = q.accessors[i]
        v = self.iv.get(accessor.path)
        previous = self.iv.previous
        if (v is None or v == "") and use_previous and q.carry and previous is not None \
                and not accessor.path.startswith(ANSWERS):
            v = accessor.get(previous)
        return v

    def value_text(self, q: Question, *, use_previous: bool) -> str:
        if q.kind == "grid":
            return ""
        if q.kind == "counts":
            values = [self._value(q, i, use_previous=use_previous and not p.endswith(".in_force"))
                      for i, p in enumerate(q.fields)]
            if use_previous and len(values) == 3 and q.fields[2].endswith(".in_force") and values[2] is None:
                # 现行有效 moves on: last year's + 本年制发 − 本年废止 (never last year's figure as is).
                base = in_force_base(self.iv.report, self.iv.previous, q.fields[2].split(".")[1])
                if base is not None and values[0] is not None and values[1] is not None:
                    values[2] = max(base + values[0] - values[1], 0)
            return " ".join(str(v) for v in values) if all(v is not None for v in values) else ""
        v = self._value(q, 0, use_previous=use_previous)
        if v is None or v == "":
            if q.field.startswith(ANSWERS) and q.id in self.iv.report.draft.answers:
                v = self.iv.report.draft.answers[q.id]
            if v is None or v == "":
                return ""
        if q.kind == "yesno":
            return "是" if v else "否"
        if q.kind == "table2":
            return P.describe_proactive(v, compact=True)
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
            return " ".join(str(o.number) for o in self.options(q) if o.key in keys)
        if q.kind == "date":
            return v.isoformat() if isinstance(v, date) else str(v)
        return str(v)

    def prompt(self, q: Question) -> Prompt:
        ctx = self.context()
        return Prompt(
            question=q, section=q.section, section_label=section_label(q.section),
            text=self.render(q.text, ctx), help=self.render(q.help, ctx),
            default=self.default_text(q), kind=q.kind, multiline=q.multiline,
            options=self.options(q) if q.kind in ("choice", "pick") else [],
            placeholder=self.render(q.placeholder, ctx), answered=self.iv.navigator.answered(q),
            previous_answer=self.iv.report.draft.answers.get(q.id),
            labels=[self.render(label, ctx) for label in q.labels],
        )
