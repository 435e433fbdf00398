"""The question script: prompts/*.toml loaded into typed `Question` models and checked at load.

Every `field` resolves to a typed accessor, every template and `when` is compiled with strict
undefined names and rendered against sample reports (a new one, a busy county department, a
carried re-run), every `answers.X` and action name is checked. A bad question is refused at load
with the file, the line and the question id — never a blank question text or a skipped question."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from jinja2 import TemplateError, meta, nodes
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.interview import scriptcache
from gkassist.interview.actions import ACTIONS
from gkassist.interview.context import CONTEXT_NAMES, NoDrafts, build_context
from gkassist.interview.fields import ANSWERS, COMPOSED, OUTCOMES, PROACTIVE, Accessor, UnknownField, resolve
from gkassist.jinja import make_environment
from gkassist.model import Report

SECTION_ORDER: tuple[str, ...] = (fmt.COVER, *fmt.SECTION_NUMERALS)
COVER = fmt.COVER

KINDS = ("text", "paragraph", "count", "counts", "money", "choice", "yesno", "applicants", "grid",
         "pick", "date", "table2")
# Lists of options the engine builds (for choice / pick) instead of a literal `choices` list.
OPTION_SOURCES = ("agency_kinds", "other_items", "suggestions", "review_blocks")
# Model paths the engine handles itself, beyond the plain attributes of Report.
VIRTUAL_FIELDS = (COMPOSED, OUTCOMES, PROACTIVE)

def section_label(section: str) -> str:
    """The official heading of a section ("一" → 一、总体情况), or 封面."""
    key = fmt.SECTION_KEY.get(section)
    return fmt.SECTION_LABEL[key] if key else section


def section_of_field(path: str) -> str:
    """Which section a model path belongs to: overview.* → 一 … other.* → 六, else 封面."""
    return fmt.SECTION_NUMERAL.get(path.split(".", 1)[0], COVER)


class ScriptError(GkError):
    """A question script that cannot be used; names the file, the line and the question."""


# ------------------------------------------------------------------ the models


class _Question(BaseModel):
    """One question of the script, as written in prompts/*.toml (templates not yet rendered)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    section: str
    """封面 or a section numeral of format.SECTION_NUMERALS (checked at load)."""
    text: str
    help: str = ""
    field: str = ""
    """Model path the answer writes (agency.name, applications.rows.new …) or answers.<name>."""
    fields: tuple[str, ...] = ()
    """For kind counts: the model paths of the numbers, in answer order."""
    labels: tuple[str, ...] = ()
    """For kind counts: the name of each number (Jinja, rendered)."""
    default: str = ""
    when: str = ""
    choices: tuple[str, ...] = ()
    options: Literal["", "agency_kinds", "other_items", "suggestions", "review_blocks"] = ""
    required: bool = True
    allow_none: bool = False
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    unit: Literal["万元", "元"] = "万元"
    placeholder: str = ""
    on_yes: tuple[str, ...] = ()
    on_no: tuple[str, ...] = ()
    on_answer: tuple[str, ...] = ()
    otherwise: Any = None
    """Value written to the field(s) when `when` is false and the field is still blank."""
    covers: tuple[str, ...] = ()
    """Further model paths this question decides (for jumping from a finding)."""
    carry: bool = True
    """Whether "no change since last year" may copy last year's value into this field."""
    suggest: str = ""
    """For kind pick with options = "suggestions": the section whose library suggestions to list."""
    drafts: tuple[str, ...] = ()
    """For a pick with on_answer = "accept_drafts": the paragraph questions its choices stand for,
    in the same order (default: the paragraphs of its own section)."""
    file: str = ""
    line: int = 0
    order: int = 0

    @cached_property
    def accessor(self) -> Accessor:
        """The typed accessor of `field` (resolved and checked at load)."""
        return resolve(self.field)

    @cached_property
    def accessors(self) -> tuple[Accessor, ...]:
        """Accessors of what the answer writes: `fields` for counts, else `field`."""
        return tuple(resolve(p) for p in self.fields) if self.fields else (self.accessor,)

    @property
    def targets(self) -> tuple[str, ...]:
        """Every model path this question writes or decides."""
        paths = list(self.fields) or ([self.field] if self.field else [])
        if self.field == COMPOSED:
            paths += ["problems.problems", "problems.improvements"]
        if self.field == OUTCOMES:
            paths += [f"applications.rows.{k}" for k in (*fmt.OUTCOME_KEYS, "carry_next")]
        if self.field == PROACTIVE:
            paths += [f"proactive.{k}" for k in ("rules", "normative", "licensing", "penalty", "enforcement", "fee")]
        return tuple(paths) + self.covers

    @property
    def multiline(self) -> bool:
        return self.kind == "paragraph"  # type: ignore[attr-defined]

    @property
    def where(self) -> str:
        return f"{self.file} 第 {self.line} 行的问题 {self.id}"

    @property
    def templates(self) -> tuple[str, ...]:
        return (self.text, self.help, self.default, self.placeholder, *self.labels)


class TextQuestion(_Question):
    kind: Literal["text"] = "text"


class ParagraphQuestion(_Question):
    kind: Literal["paragraph"] = "paragraph"


class CountQuestion(_Question):
    kind: Literal["count"] = "count"


class CountsQuestion(_Question):
    kind: Literal["counts"] = "counts"


class MoneyQuestion(_Question):
    kind: Literal["money"] = "money"


class ChoiceQuestion(_Question):
    kind: Literal["choice"] = "choice"


class YesNoQuestion(_Question):
    kind: Literal["yesno"] = "yesno"


class ApplicantsQuestion(_Question):
    kind: Literal["applicants"] = "applicants"


class GridQuestion(_Question):
    kind: Literal["grid"] = "grid"


class PickQuestion(_Question):
    kind: Literal["pick"] = "pick"
    required: bool = False


class DateQuestion(_Question):
    kind: Literal["date"] = "date"


class Table2Question(_Question):
    """Table 二 in one answer ("0", or the rows with figures, each named): field = "proactive"."""

    kind: Literal["table2"] = "table2"


Question = Annotated[
    TextQuestion | ParagraphQuestion | CountQuestion | CountsQuestion | MoneyQuestion | ChoiceQuestion
    | YesNoQuestion | ApplicantsQuestion | GridQuestion | PickQuestion | DateQuestion | Table2Question,
    Field(discriminator="kind"),
]
_QUESTION: TypeAdapter[Any] = TypeAdapter(Question)


# ------------------------------------------------------------------ Jinja


def make_script_environment() -> SandboxedEnvironment:
    """Strict: an undefined name in a question's template is an error, never a blank."""
    env = make_environment(SandboxedEnvironment, keep_trailing_newline=False)
    env.globals["fmt"] = fmt
    return env


ENV = make_script_environment()


@dataclass
class Renderer:
    """Renders question templates against a context; compiled templates are cached per process."""

    env: SandboxedEnvironment = field(default_factory=lambda: ENV)
    _templates: dict[str, Any] = field(default_factory=lambda: _TEMPLATES)
    _expressions: dict[str, Any] = field(default_factory=lambda: _EXPRESSIONS)

    def template(self, source: str) -> Any:
        tpl = self._templates.get(source)
        if tpl is None:
            tpl = self._templates[source] = self.env.from_string(source)
        return tpl

    def expression(self, source: str) -> Any:
        expr = self._expressions.get(source)
        if expr is None:
            expr = self._expressions[source] = self.env.compile_expression(source)
        return expr

    def render(self, source: str, context: dict[str, Any]) -> str:
        if "{" not in source:
            return source
        return str(self.template(source).render(context)).strip()

    def test(self, source: str, context: dict[str, Any]) -> bool:
        if not source:
            return True
        return bool(self.expression(source)(**context))

    def test_all(self, sources: tuple[str, ...], context: dict[str, Any]) -> list[bool]:
        """Every condition at once: one render instead of one per question (an answer asks
        which questions apply several times, and each render builds a new Jinja context)."""
        tpl = self._templates.get(sources)  # type: ignore[call-overload]
        if tpl is None:
            tpl = self.env.from_string("".join(
                "{% if " + s + " %}1{% else %}0{% endif %}" if s else "1" for s in sources))
            self._templates[sources] = tpl  # type: ignore[index]
        return [c == "1" for c in tpl.render(context)]


_TEMPLATES: dict[str, Any] = {}
_EXPRESSIONS: dict[str, Any] = {}


def answer_names(questions: Iterable[_Question]) -> frozenset[str]:
    """Every name `answers.X` may use: question ids and the names of answers.* fields."""
    names: set[str] = set()
    for q in questions:
        names.add(q.id)
        if q.field.startswith(ANSWERS):
            names.add(q.field.removeprefix(ANSWERS))
    return frozenset(names)


def answers_view(answers: dict[str, Any], questions: Iterable[_Question],
                 names: frozenset[str]) -> dict[str, Any]:
    """The `answers` of a template: every declared name (None until answered)."""
    view: dict[str, Any] = dict.fromkeys(names)
    view.update({k: v for k, v in answers.items() if k in names})
    for q in questions:
        if q.field.startswith(ANSWERS) and q.id in answers:
            view[q.field.removeprefix(ANSWERS)] = answers[q.id]
    return view


# ------------------------------------------------------------------ checking at load


def _answers_used(tree: nodes.Node) -> set[str]:
    used = set()
    for n in tree.find_all(nodes.Getattr):
        if isinstance(n.node, nodes.Name) and n.node.name == "answers":
            used.add(n.attr)
    for g in tree.find_all(nodes.Getitem):
        if isinstance(g.node, nodes.Name) and g.node.name == "answers" and isinstance(g.arg, nodes.Const):
            used.add(str(g.arg.value))
    return used


def _check_source(source: str, where: str, names: frozenset[str], *, expression: bool) -> None:
    """Syntax, names and `answers.X` of one template or condition; compiled into the shared cache."""
    if not expression and "{" not in source:
        return
    renderer = Renderer()
    try:
        tree = ENV.parse("{{ (" + source + ") }}" if expression else source)
        if expression:
            renderer.expression(source)
        elif source not in _TEMPLATES:
            _TEMPLATES[source] = ENV.from_string(tree)  # compiled from the tree parsed once
    except TemplateError as exc:
        raise ScriptError(f"{where}：模板写法有误（{exc.message}）。请改正问题脚本。") from None
    unknown = sorted(meta.find_undeclared_variables(tree) - CONTEXT_NAMES - set(ENV.globals))
    if unknown:
        raise ScriptError(f"{where}：用到了不存在的名字 {'、'.join(unknown)}"
                          f"（可用：{'、'.join(sorted(CONTEXT_NAMES))}）。请改正问题脚本。")
    missing = sorted(_answers_used(tree) - names)
    if missing:
        raise ScriptError(f"{where}：answers.{missing[0]} 不是任何问题的答案"
                          f"（问题 id 或 field = \"answers.名字\"）。请改正问题脚本。")


def _sample_answers(questions: list[_Question], busy: bool) -> dict[str, Any]:
    if not busy:
        return {}
    sample: dict[str, Any] = {}
    for q in questions:
        if q.kind == "yesno":  # type: ignore[attr-defined]
            sample[q.id] = True
        elif q.kind == "pick" and q.options == "other_items":  # type: ignore[attr-defined]
            sample[q.id] = [k for k, _ in fmt.OTHER_ITEMS[1:]]
        elif q.kind == "pick" and q.options == "review_blocks":  # type: ignore[attr-defined]
            sample[q.id] = [k for k, _ in fmt.T4_BLOCKS]
    return sample


def _sample_reports() -> list[tuple[str, Report, Report | None]]:
    """A new report, a busy county department and that department's carried re-run."""
    from gkassist.carry import carry_forward
    from gkassist.library import sample_report

    busy = sample_report(fmt.AgencyKind.COUNTY_DEPARTMENT, active=True)
    busy.agency.name = "某某县发展和改革局"
    rerun = carry_forward(busy).report
    return [("新报告", Report(), None), ("县级部门的报告", busy, None), ("按上年带入的报告", rerun, busy)]


def _render_samples(questions: list[_Question], names: frozenset[str]) -> None:
    """Render every template and condition against the sample reports: an attribute that does
    not exist (report.agncy) or a call that fails is refused here, not shown as a blank."""
    renderer = Renderer()
    for label, report, previous in _sample_reports():
        answers = answers_view(_sample_answers(questions, previous is not None or report.year is not None),
                               questions, names)
        ctx = build_context(report, previous, answers, NoDrafts())
        for q in questions:
            what = ""
            try:
                what = "when"
                # The carried re-run has every name filled (last year's report too): there every
                # question is shown, so a template behind a condition is still rendered once.
                if not renderer.test(q.when, ctx) and previous is None:
                    continue  # a question not asked of this report is not shown to it
                for what, source in zip(("text", "help", "default", "placeholder"), q.templates, strict=False):
                    renderer.render(source, ctx)
                what = "labels"
                for source in q.labels:
                    renderer.render(source, ctx)
            except (TemplateError, TypeError, ValueError, AttributeError, KeyError) as exc:
                detail = getattr(exc, "message", None) or str(exc)
                raise ScriptError(f"{q.where} 的 {what}：对{label}无法显示（{detail}）。请改正问题脚本。") from None


def _check_otherwise(q: _Question) -> None:
    if q.otherwise is None:
        return
    targets = q.accessors
    values = q.otherwise if isinstance(q.otherwise, list) else [q.otherwise] * len(targets)
    if len(values) != len(targets):
        raise ScriptError(f"{q.where}：otherwise 应有 {len(targets)} 个值，写了 {len(values)} 个。请改正问题脚本。")
    probe = Report()
    for accessor, value in zip(targets, values, strict=True):
        try:
            accessor.set(probe, value)
        except (ValidationError, ValueError, TypeError):
            raise ScriptError(f"{q.where}：otherwise 的值 {value!r} 不能写入 {accessor.path}。"
                              "请改正问题脚本。") from None


def _as_tuple(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ScriptError(f"{where}：{key} 应为文字或文字列表。")


_TUPLE_KEYS = ("fields", "labels", "choices", "on_yes", "on_no", "on_answer", "covers", "drafts")


def _question(raw: dict[str, Any], file: str, line: int, order: int) -> _Question:
    qid = raw.get("id")
    where = f"{file} 第 {line} 行的问题 {qid or '（没有 id）'}"
    if not isinstance(qid, str) or not qid.isidentifier():
        raise ScriptError(f"{where}：id 必须是英文字母、数字和下划线组成的名字。")
    keys = set(_Question.model_fields) - {"file", "line", "order"} | {"kind"}
    unknown = sorted(set(raw) - keys)
    if unknown:
        raise ScriptError(f"{where}：不认识的项 {'、'.join(unknown)}（可用：{'、'.join(sorted(keys))}）。")
    for key in ("section", "text", "kind"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ScriptError(f"{where}：缺少 {key}。")
    if raw["section"] not in SECTION_ORDER:
        raise ScriptError(f"{where}：section 应为 {'、'.join(SECTION_ORDER)} 之一，写的是 {raw['section']!r}。")
    kind = raw["kind"]
    if kind not in KINDS:
        raise ScriptError(f"{where}：kind {kind!r} 不认识（可用：{'、'.join(KINDS)}）。")
    for key in ("text", "help", "default", "placeholder", "when", "field", "suggest"):
        if key in raw and not isinstance(raw[key], str):
            raise ScriptError(f"{where}：{key} 应为文字。")
    data = dict(raw)
    for key in _TUPLE_KEYS:
        if key in data:
            data[key] = _as_tuple(data[key], where, key)
    for key in ("text", "help"):
        data[key] = data.get(key, "").strip()
    data["when"] = data.get("when", "").strip()
    options = data.get("options", "")
    if options and options not in OPTION_SOURCES:
        raise ScriptError(f"{where}：options {options!r} 不认识（可用：{'、'.join(OPTION_SOURCES)}）。")
    unit = data.get("unit", "万元")
    if unit not in ("万元", "元"):
        raise ScriptError(f"{where}：unit 只能是 万元 或 元。")
    for key in ("required", "allow_none", "carry"):
        if key in data and not isinstance(data[key], bool):
            raise ScriptError(f"{where}：{key} 应为 true 或 false。")
    for key in ("min", "max", "max_length"):
        if key in data and (not isinstance(data[key], (int, float)) or isinstance(data[key], bool)):
            raise ScriptError(f"{where}：{key} 应为数字。")
    if data.get("min") is not None and data.get("max") is not None and data["min"] > data["max"]:
        raise ScriptError(f"{where}：min（{data['min']}）大于 max（{data['max']}），没有答案能通过。")
    try:
        q: _Question = _QUESTION.validate_python({**data, "file": file, "line": line, "order": order})
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"][1:] or err["loc"])
        raise ScriptError(f"{where}：{loc} 的写法不对（{err.get('input')!r}）。请改正问题脚本。") from None
    for path in (*q.fields, *([q.field] if q.field else [])):
        try:
            resolve(path)
        except UnknownField:
            raise ScriptError(f"{where}：报告里没有 {path!r} 这一项（field 写错了）。") from None
    if q.kind == "counts":  # type: ignore[attr-defined]
        if not q.fields or len(q.labels) != len(q.fields):
            raise ScriptError(f"{where}：kind counts 需要 fields 和同样多的 labels。")
    elif not q.field:
        raise ScriptError(f"{where}：缺少 field（答案写到报告的哪一项）。")
    if q.kind == "table2" and q.field != PROACTIVE:  # type: ignore[attr-defined]
        raise ScriptError(f"{where}：kind table2 的 field 只能是 \"{PROACTIVE}\"（表二的全部数字）。")
    if q.kind in ("choice", "pick") and not (q.choices or q.options):  # type: ignore[attr-defined]
        raise ScriptError(f"{where}：kind {q.kind} 需要 choices 或 options。")  # type: ignore[attr-defined]
    if q.options == "suggestions" and q.suggest not in SECTION_ORDER[1:]:
        raise ScriptError(f"{where}：options = \"suggestions\" 需要 suggest = \"五\" 之类的部分名。")
    for key in ("on_yes", "on_no", "on_answer"):
        for name in getattr(q, key):
            if name not in ACTIONS:
                raise ScriptError(f"{where}：{key} 中的动作 {name!r} 不认识（可用：{'、'.join(sorted(ACTIONS))}）。")
    _check_otherwise(q)
    return q


_QUESTION_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*question[ \t]*\]\]", re.MULTILINE)


def load_file(path: Path, start: int = 0) -> list[_Question]:
    """The questions of one file (syntax, fields, actions checked; names are checked by load_script)."""
    try:
        source = Path(path).read_text(encoding="utf-8")
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise ScriptError(f"问题脚本 {path.name} 写法有误：{exc}。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptError(f"无法读取问题脚本 {path.name}：{exc}。") from None
    raw_questions = data.get("question", [])
    if not isinstance(raw_questions, list) or not all(isinstance(q, dict) for q in raw_questions):
        raise ScriptError(f"问题脚本 {path.name}：问题应写成 [[question]] 表。")
    lines = [source.count("\n", 0, m.start()) + 1 for m in _QUESTION_HEADER.finditer(source)]
    lines += [0] * (len(raw_questions) - len(lines))
    return [_question(q, path.name, lines[i], start + i) for i, q in enumerate(raw_questions)]


def check_script(questions: list[_Question]) -> None:
    """Names, `answers.X` references and sample renders of a whole script."""
    names = answer_names(questions)
    kinds = {q.id: q.kind for q in questions}  # type: ignore[attr-defined]
    for q in questions:
        for qid in q.drafts:
            if kinds.get(qid) != "paragraph":
                raise ScriptError(f"{q.where}：drafts 里的 {qid} 不是段落问题的 id。请改正问题脚本。")
        if q.drafts and len(q.drafts) != len(q.choices):
            raise ScriptError(f"{q.where}：drafts 应与 choices 一样多（各 {len(q.drafts)}、{len(q.choices)} 个）。")
        for key, source in zip(("text", "help", "default", "placeholder"), q.templates, strict=False):
            _check_source(source, f"{q.where} 的 {key}", names, expression=False)
        for source in q.labels:
            _check_source(source, f"{q.where} 的 labels", names, expression=False)
        if q.when:
            _check_source(q.when, f"{q.where} 的 when", names, expression=True)
    _render_samples(questions, names)


def load_script(folder: Path | None = None) -> list[Any]:
    """All questions of prompts/*.toml in file-name order; ScriptError names file, line and question."""
    if folder is None:
        from gkassist.resources import prompts_dir

        folder = prompts_dir()
    files = sorted(Path(folder).glob("*.toml"))
    if not files:
        raise ScriptError(f"在 {folder} 里没有找到问题脚本（*.toml）。")
    # Re-read only when a file changed: every new Interview loads the script.
    stamp = (str(Path(folder).resolve()), tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files))
    cached = _SCRIPTS.get(stamp[0])
    if cached is not None and cached[0] == stamp:
        return list(cached[1])
    questions: list[_Question] = []
    seen: dict[str, str] = {}
    for path in files:
        for q in load_file(path, len(questions)):
            if q.id in seen:
                raise ScriptError(f"{q.where}：问题 id {q.id} 重复（{seen[q.id]} 里也有）。")
            seen[q.id] = q.file
            questions.append(q)
    # The full check (names, sample renders) only for a script not seen passing before with
    # this code (see scriptcache: keyed by the files' contents; a failure is never remembered).
    key = scriptcache.script_key(files)
    if not scriptcache.passed(key):
        check_script(questions)
        scriptcache.record(key)
    _SCRIPTS[stamp[0]] = (stamp, tuple(questions))
    return questions


_SCRIPTS: dict[str, tuple[Any, tuple[_Question, ...]]] = {}


def warm_up(folder: Path | None = None) -> int:
    """Compile every template and condition of the script not compiled yet (a script whose check
    was remembered is compiled on first use); returns how many templates are held compiled."""
    renderer = Renderer()
    for q in load_script(folder):
        for source in q.templates:
            if "{" in source:
                renderer.template(source)
        if q.when:
            renderer.expression(q.when)
    return len(_TEMPLATES)


__all__ = ["COVER", "KINDS", "SECTION_ORDER", "Decimal", "Question", "Renderer", "ScriptError",
           "load_script", "section_label", "section_of_field"]
