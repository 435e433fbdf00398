"""The question script: loads and validates prompts/*.toml and renders its Jinja in a sandbox."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, Undefined, nodes
from jinja2.sandbox import SandboxedEnvironment

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.model import Report

SECTION_ORDER: tuple[str, ...] = ("封面", "一", "二", "三", "四", "五", "六")
COVER = "封面"

KINDS = ("text", "paragraph", "count", "counts", "money", "choice", "yesno", "applicants", "grid",
         "pick", "date")
# Engine actions a question may trigger (on_yes / on_no / on_answer); implemented in engine.py.
ACTIONS = ("confirm_section", "no_requests", "all_public", "zero_reviews", "compose_problems",
           "fee_statement", "apply_other_items")
# Lists of options the engine builds (for choice / pick) instead of a literal `choices` list.
OPTION_SOURCES = ("agency_kinds", "other_items", "suggestions")
# Model paths the engine handles itself, beyond the plain attributes of Report.
VIRTUAL_FIELDS = ("problems.composed", "applications.outcomes")

_KEYS = {"id", "section", "text", "help", "kind", "field", "fields", "labels", "default", "when",
         "choices", "options", "required", "allow_none", "min", "max", "max_length", "unit",
         "placeholder", "on_yes", "on_no", "on_answer", "otherwise", "covers", "carry", "suggest"}


def section_label(section: str) -> str:
    """The official heading of a section ("一" → 一、总体情况), or 封面."""
    if section in SECTION_ORDER[1:]:
        return fmt.SECTION_HEADINGS[SECTION_ORDER.index(section) - 1]
    return section


def section_of_field(path: str) -> str:
    """Which section a model path belongs to: overview.* → 一 … other.* → 六, else 封面."""
    head = path.split(".", 1)[0]
    keys = [k for k, _ in fmt.SECTIONS]
    if head in keys:
        return SECTION_ORDER[keys.index(head) + 1]
    return COVER


@dataclass(frozen=True)
class Question:
    """One question of the script, as written in prompts/*.toml (templates not yet rendered)."""

    id: str
    section: str
    text: str
    kind: str
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
    options: str = ""
    required: bool = True
    allow_none: bool = False
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    unit: str = "万元"
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
    file: str = ""
    order: int = 0

    @property
    def targets(self) -> tuple[str, ...]:
        """Every model path this question writes or decides."""
        paths = list(self.fields) or ([self.field] if self.field else [])
        if self.field == "problems.composed":
            paths += ["problems.problems", "problems.improvements"]
        if self.field == "applications.outcomes":
            paths += [f"applications.rows.{k}" for k in (*fmt.OUTCOME_KEYS, "carry_next")]
        return tuple(paths) + self.covers

    @property
    def multiline(self) -> bool:
        return self.kind == "paragraph"


class ScriptError(GkError):
    """A question script that cannot be used; names the file and the question."""


# ------------------------------------------------------------------ Jinja


class _Blank(Undefined):
    """Missing answers read as empty and false, so `when = "answers.has_requests"` works before
    the gateway was answered."""

    def __str__(self) -> str:
        return ""


def make_environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=_Blank, autoescape=False, keep_trailing_newline=False)
    env.globals["fmt"] = fmt
    return env


ENV = make_environment()
# Compiled templates and conditions by source, shared by every interview in the process.
_TEMPLATES: dict[str, Any] = {}
_EXPRESSIONS: dict[str, Any] = {}


def _check_template(source: str, where: str, *, expression: bool = False) -> None:
    """Report a template's syntax errors at load; compiling waits until the template is first
    rendered (Renderer), since compiling every question's templates at each start is slow."""
    if "{" not in source and not expression:
        return  # plain text: nothing for Jinja to parse
    try:
        if expression:
            # Every condition is evaluated as the interview starts, so compiling it here (into
            # the Renderer's shared cache) costs nothing extra and checks it fully.
            if source.strip() not in _EXPRESSIONS:
                _EXPRESSIONS[source.strip()] = ENV.compile_expression(source.strip())
            return
        node = ENV.parse(source)
        # What compiling would also refuse: a filter or test that does not exist.
        for n in node.find_all((nodes.Filter, nodes.Test)):
            if isinstance(n, nodes.Filter) and n.name not in ENV.filters:
                raise TemplateSyntaxError(f"没有名为 {n.name} 的过滤器", n.lineno)
            if isinstance(n, nodes.Test) and n.name not in ENV.tests:
                raise TemplateSyntaxError(f"没有名为 {n.name} 的判断", n.lineno)
    except TemplateSyntaxError as exc:
        raise ScriptError(f"{where}：模板写法有误（{exc.message}）。") from None


# ------------------------------------------------------------------ loading


def _field_exists(path: str) -> bool:
    if path.startswith("answers.") and len(path) > len("answers."):
        return True
    if path in VIRTUAL_FIELDS:
        return True
    model: Any = Report
    parts = path.split(".")
    for i, part in enumerate(parts):
        if model is None or not hasattr(model, "model_fields"):
            return False
        if part not in model.model_fields:
            return False
        annotation = model.model_fields[part].annotation
        if part == "rows" and i + 1 < len(parts):  # applications.rows.<row>.<column>
            if parts[i + 1] not in fmt.ROW_KEYS:
                return False
            return len(parts) == i + 2 or (len(parts) == i + 3 and parts[i + 2] in fmt.COLUMN_KEYS)
        model = annotation if isinstance(annotation, type) else None
    return True


def _tuple(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise ScriptError(f"{where}：{key} 应为文字或文字列表。")


def _question(raw: dict[str, Any], file: str, order: int) -> Question:
    qid = raw.get("id")
    where = f"{file} 中的问题 {qid or '（没有 id）'}"
    if not isinstance(qid, str) or not qid.isidentifier():
        raise ScriptError(f"{where}：id 必须是英文字母、数字和下划线组成的名字。")
    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise ScriptError(f"{where}：不认识的项 {'、'.join(unknown)}（可用：{'、'.join(sorted(_KEYS))}）。")
    for key in ("section", "text", "kind"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise ScriptError(f"{where}：缺少 {key}。")
    if raw["section"] not in SECTION_ORDER:
        raise ScriptError(f"{where}：section 应为 {'、'.join(SECTION_ORDER)} 之一，写的是 {raw['section']!r}。")
    kind = raw["kind"]
    if kind not in KINDS:
        raise ScriptError(f"{where}：kind {kind!r} 不认识（可用：{'、'.join(KINDS)}）。")
    for key in ("text", "help", "default", "placeholder"):
        if key in raw:
            if not isinstance(raw[key], str):
                raise ScriptError(f"{where}：{key} 应为文字。")
            _check_template(raw[key], f"{where} 的 {key}")
    if "when" in raw:
        if not isinstance(raw["when"], str):
            raise ScriptError(f"{where}：when 应为一个条件表达式（文字）。")
        _check_template(raw["when"], f"{where} 的 when", expression=True)
    fields = _tuple(raw.get("fields"), where, "fields")
    labels = _tuple(raw.get("labels"), where, "labels")
    field_path = raw.get("field", "")
    if not isinstance(field_path, str):
        raise ScriptError(f"{where}：field 应为文字。")
    for path in (*fields, *( [field_path] if field_path else [])):
        if not _field_exists(path):
            raise ScriptError(f"{where}：报告里没有 {path!r} 这一项。")
    if kind == "counts":
        if not fields or len(labels) != len(fields):
            raise ScriptError(f"{where}：kind counts 需要 fields 和同样多的 labels。")
    elif not field_path:
        raise ScriptError(f"{where}：缺少 field（答案写到报告的哪一项）。")
    choices = _tuple(raw.get("choices"), where, "choices")
    options = raw.get("options", "")
    if options and options not in OPTION_SOURCES:
        raise ScriptError(f"{where}：options {options!r} 不认识（可用：{'、'.join(OPTION_SOURCES)}）。")
    if kind in ("choice", "pick") and not (choices or options):
        raise ScriptError(f"{where}：kind {kind} 需要 choices 或 options。")
    if options == "suggestions" and raw.get("suggest") not in SECTION_ORDER[1:]:
        raise ScriptError(f"{where}：options = \"suggestions\" 需要 suggest = \"五\" 之类的部分名。")
    for key in ("on_yes", "on_no", "on_answer"):
        for action in _tuple(raw.get(key), where, key):
            if action not in ACTIONS:
                raise ScriptError(f"{where}：{key} 中的 {action!r} 不认识（可用：{'、'.join(ACTIONS)}）。")
    unit = raw.get("unit", "万元")
    if unit not in ("万元", "元"):
        raise ScriptError(f"{where}：unit 只能是 万元 或 元。")
    for key in ("required", "allow_none", "carry"):
        if key in raw and not isinstance(raw[key], bool):
            raise ScriptError(f"{where}：{key} 应为 true 或 false。")
    for key in ("min", "max", "max_length"):
        if key in raw and (not isinstance(raw[key], (int, float)) or isinstance(raw[key], bool)):
            raise ScriptError(f"{where}：{key} 应为数字。")
    return Question(
        id=qid, section=raw["section"], text=raw["text"].strip(), kind=kind,
        help=raw.get("help", "").strip(), field=field_path, fields=fields, labels=labels,
        default=raw.get("default", ""), when=raw.get("when", "").strip(), choices=choices,
        options=options, required=raw.get("required", kind not in ("pick",)),
        allow_none=raw.get("allow_none", False), min=raw.get("min"), max=raw.get("max"),
        max_length=raw.get("max_length"), unit=unit, placeholder=raw.get("placeholder", ""),
        on_yes=_tuple(raw.get("on_yes"), where, "on_yes"), on_no=_tuple(raw.get("on_no"), where, "on_no"),
        on_answer=_tuple(raw.get("on_answer"), where, "on_answer"), otherwise=raw.get("otherwise"),
        covers=_tuple(raw.get("covers"), where, "covers"), carry=raw.get("carry", True),
        suggest=raw.get("suggest", ""), file=file, order=order,
    )


def load_file(path: Path, start: int = 0) -> list[Question]:
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScriptError(f"问题脚本 {path.name} 写法有误：{exc}。") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptError(f"无法读取问题脚本 {path.name}：{exc}。") from None
    raw_questions = data.get("question", [])
    if not isinstance(raw_questions, list) or not all(isinstance(q, dict) for q in raw_questions):
        raise ScriptError(f"问题脚本 {path.name}：问题应写成 [[question]] 表。")
    return [_question(q, path.name, start + i) for i, q in enumerate(raw_questions)]


def load_script(folder: Path | None = None) -> list[Question]:
    """All questions of prompts/*.toml in file-name order; ScriptError names the file and question."""
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
    questions: list[Question] = []
    seen: dict[str, str] = {}
    for path in files:
        for q in load_file(path, len(questions)):
            if q.id in seen:
                raise ScriptError(f"问题 id {q.id} 重复：{seen[q.id]} 和 {q.file} 里都有。")
            seen[q.id] = q.file
            questions.append(q)
    _SCRIPTS[stamp[0]] = (stamp, tuple(questions))
    return questions


_SCRIPTS: dict[str, tuple[Any, tuple[Question, ...]]] = {}




def warm_up(folder: Path | None = None) -> int:
    """Compile every question's templates into the Renderer's cache (how many were compiled).
    The app calls it once its first screen is drawn, while the clerk reads, so that no answer
    waits for the next question's templates to compile."""
    done = 0
    for q in load_script(folder):
        for source in (q.text, q.help, q.default, q.placeholder, *q.labels):
            if "{" in source and source not in _TEMPLATES:
                try:
                    _TEMPLATES[source] = ENV.from_string(source)
                except Exception:  # reported when the script is loaded; never here
                    continue
                done += 1
    return done


@dataclass
class Renderer:
    """Renders question templates against a context; compiled templates are cached."""

    env: SandboxedEnvironment = field(default_factory=lambda: ENV)
    # Shared by every interview in the process: compiling is the slow part of rendering.
    _templates: dict[str, Any] = field(default_factory=lambda: _TEMPLATES)
    _expressions: dict[str, Any] = field(default_factory=lambda: _EXPRESSIONS)

    def render(self, source: str, context: dict[str, Any]) -> str:
        if not source:
            return ""
        if "{" not in source:
            return source
        tpl = self._templates.get(source)
        if tpl is None:
            tpl = self._templates[source] = self.env.from_string(source)
        return tpl.render(context).strip()

    def test(self, source: str, context: dict[str, Any]) -> bool:
        if not source:
            return True
        expr = self._expressions.get(source)
        if expr is None:
            expr = self._expressions[source] = self.env.compile_expression(source)
        return bool(expr(**context))
