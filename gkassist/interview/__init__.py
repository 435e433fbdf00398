"""The interview: a question script (prompts/*.toml), answer parsers and a plain-Python engine.

No Textual here: the UI (gkassist/tui/) drives this API; tests drive it directly.

Public API (stable)
-------------------
    from gkassist.interview import (Interview, Question, Prompt, Option, AnswerResult,
                                    SectionProgress, ParseError, ScriptError, load_script,
                                    SECTION_ORDER, section_label, find_previous)

    iv = Interview(report, previous=last_year_report_or_None)   # script=None → prompts/*.toml
    # optional keywords: library=<gkassist.library.Library> (else loaded once per workspace and
    # process), workspace=<Path> (whose library/ folder adds entries)
    p = iv.prompt()            # Prompt for the current question, or None when the interview is done
    q = iv.current()           # the bare Question (same as p.question), or None
    r = iv.answer("自然人3 商业企业1")   # AnswerResult(ok, message, findings, question, turns)
    # save after every ok answer: store.save_report(report, path)  (all state is in report.draft)
    r = iv.answer(text, commit=lambda rep: store.save_report(rep, path))
    # … the answer stands only once the save returned; if it raises, the report and the
    # interview are rolled back to before the answer and the error propagates.

State lives entirely in the Report (report.draft.answers / .skipped / .log and the report fields),
so `Interview(store.load_report(path))` resumes at the first unanswered question.
report.draft.answers holds one entry per answered question id; report.draft.accepted_drafts the
library drafts of 一 the clerk accepted unchanged, which are rewritten when later figures change
them (the AnswerResult message says so); a draft edited anywhere is never rewritten.
Constructing an Interview never changes the report.

Collaborators are passed in (defaults: the real modules); their errors propagate to the caller:
    Interview(report, checker=<(report, previous) -> list[Finding]>,
              library=<interview.ports.ParagraphLibrary or gkassist.library.Library>,
              normaliser=<(text) -> (text, changes)>)
The engine is a facade over interview.navigator (which questions apply, focus, walk, skip),
interview.presenter (text, help, default, options, context) and interview.applier (parse →
validate → write, one transaction per answer).

Interview methods
    current() -> Question | None     first unanswered, not-skipped question whose `when` holds
                                     (skipped ones come back at the end); None when done.
    prompt(question=None) -> Prompt | None
                                     the current (or given) question rendered for display.
    answer(text: str) -> AnswerResult
                                     parse + validate + apply to the report; an empty text means
                                     "accept the default" (Prompt.default). On a bad answer
                                     ok=False, message is the Chinese reason, the question stays.
    apply_grid(values: dict[str, dict[str, int | None]]) -> AnswerResult
                                     answer the current kind="grid" question (table 三 outcomes):
                                     {row_key: {column_key: n}} with row keys from
                                     format.OUTCOME_KEYS (+ "carry_next"), column keys from
                                     format.COLUMN_KEYS; blank outcome cells become 0.
    grid_values() -> dict[str, dict[str, int | None]]
                                     table 三 as entered (all rows), to fill the grid.
    skip() -> Question | None        skip the current question for now (comes back at the end);
                                     returns the new current question.
    back() -> Question | None        step back to the previous applicable question (repeatable).
    goto(section: str) -> Question | None
                                     revisit a section ("封面", "一" … "六"): all its applicable
                                     questions are asked again in order, each showing the last
                                     answer as default; then back to the first unanswered one.
    goto_question(qid: str) -> Question | None
                                     revisit one question; after answering it the interview returns
                                     to the first unanswered question.
    field_question(field_path: str) -> Question | None
                                     the question that sets a model path (Finding.field), for
                                     "jump to the question that fixes this finding".
    missing() -> list[Question]      applicable questions not answered yet (skipped included).
    progress() -> list[SectionProgress]
                                     one per section in SECTION_ORDER: section, label (official
                                     heading or 封面), answered, total, done.
    is_complete: bool                True when nothing is left to ask.
    findings() -> list[Finding]      the checker's findings (gkassist.checks.check by default).

AnswerResult
    ok: bool; message: str (Chinese; what was understood / converted / filled, or the reason for
    refusing); findings: list[Finding] (new since the answer, touching this question's section,
    leaving out blanks that a later question will fill);
    question: Question (the one answered); turns: list[Turn] appended to report.draft.log by this
    answer (assistant question, clerk answer, notes) — show them in the conversation.

Prompt (what the UI shows for one question)
    question: Question; section: str; section_label: str; text: str (rendered); help: str
    (rendered); default: str (rendered; prefill the answer box with it, or show it as a hint —
    sending "" accepts it); kind: str; multiline: bool (True for paragraph);
    options: list[Option] for choice and pick (Option(number, key, title, reason, text));
    placeholder: str (an example of a good answer); answered: bool; previous_answer: Any;
    labels: list[str] (kind counts: the name of each number, in order).
    Interview.default_text(question) and Interview.options(question) give the same pieces alone.

Question kinds and what the UI does for each
    text        one-line input.
    paragraph   multi-line input (show the send key); prefill with Prompt.default (a draft to edit).
                ASCII punctuation between Chinese is normalised; the message says what changed.
    count       one-line input; a whole number (0, ３, 无, 十二, 3件 …).
    counts      one-line input; several counts in one answer in the order of Question.labels,
                e.g. "2 1 14" or "2，1，14" (a single 0 / 无 = all zero).
    money       one-line input; Question.unit says 万元 or 元 (15000元 / 1.5万元 are converted).
    choice      show Prompt.options numbered; the answer is the number or the text (or a prefix).
    yesno       one-line input or two buttons sending "是" / "否".
    applicants  one-line input: counts per applicant type, e.g. "自然人3 商业企业1" ("3" = 3 自然人).
    grid        open the table-三 grid (fill it from grid_values(); derived totals read-only) and
                call apply_grid(values) when the clerk is done; answer("完成") accepts the
                table as it is in the report.
    pick        show Prompt.options numbered with title and reason (suggestions from the library);
                the answer is numbers such as "1 3 4" (or "无" when Question.allow_none).
                The composed text becomes the default of the next (paragraph) question.
    date        one-line input: 2026-01-20, 2026年1月20日 or 2026/1/20 ("" when not required = none).

待核对 cells (report.draft.pending, set by an import that could not be sure of some figures) are
asked before the script: one interview.pending.PendingQuestion per cell (a choice question with
`cell`, `candidates`, `reason`; id "pending:<cell id>"), options = the candidate figures plus
"another value" (answer "填 12"). Answering writes the figure to the cell's model field
(model.cell_path), or for a derived 总计 records the printed figure; the cell leaves draft.pending
and printed.cell_status says "confirmed". Skipped ones come back at the end; field_question()
of a 待核对 finding gives the cell's own question.

Re-run (report.draft.carried_from set, e.g. by gkassist.carry.carry_forward): each section opens
with a yes/no "has this changed since last year?"; "没有" confirms the carried values of the section
in one answer (pass previous= so that figures such as 行政许可 can be carried too).

Sections: SECTION_ORDER = ("封面", "一", "二", "三", "四", "五", "六"); section_label(s) gives the
official heading from gkassist.format (or "封面").
"""

from __future__ import annotations

from gkassist.interview.engine import (
    AnswerResult,
    Interview,
    Option,
    Prompt,
    SectionProgress,
    find_previous,
)
from gkassist.interview.parsers import ParseError
from gkassist.interview.script import (
    SECTION_ORDER,
    Question,
    ScriptError,
    load_script,
    section_label,
)

__all__ = [
    "SECTION_ORDER",
    "AnswerResult",
    "Interview",
    "Option",
    "ParseError",
    "Prompt",
    "Question",
    "ScriptError",
    "SectionProgress",
    "find_previous",
    "load_script",
    "section_label",
]
