"""The stock paragraph library: loads sandboxed Jinja2 entries, ranks them for a report, composes 五/一/六.

Entries live in TOML files (`templates/library/*.toml`, overridable by `<workspace>/library/*.toml`),
one `[[entry]]` per theme with several differently worded variants. A variant is rendered with the
context built by `build_context` from the report:

- words: self (我镇/我局…), whole (全镇/全局…), name, short, level, office (党政办公室/办公室…),
  inner_units (各办（站、所）/机关各科室和直属单位…), villages (村（居）/社区, grassroots only),
  village_board, portal, regulation, fee_rules
- flags: is_government, is_grassroots, is_rural (乡/镇), is_regional (县/市人民政府), is_department
- years: year, next_year, last_year
- figures (None → 0): new_total, carried_total, received, closed, carry_next, public, partial,
  withheld, unable, refused, other_handling, review_total, review_corrected, litigation_total,
  litigation_corrected, corrected_total, cases_total, normative_issued, normative_repealed,
  normative_in_force, licensing, penalty, enforcement, fee_yuan, unable_share (%), outcomes_text.

Picks are written `P3#1` (entry id, 0-based variant) and kept in `report.problems.picked`, so the
next year offers different wording first.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import threading
import time
import tomllib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.exceptions import SecurityError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from jinja2.utils import Namespace

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.jinja import make_environment

KINDS: dict[str, str] = {
    "problem": "问题", "improvement": "措施", "lead_in": "引语", "transition": "过渡语",
    "closing": "结束语", "overview_part": "总体情况", "other_item": "其他事项",
}
SECTIONS = ("五", "一", "六")
# 六: the OtherMatters field each customary item fills, in the order of format.OTHER_ITEMS.
OTHER_SLOTS: tuple[str, ...] = tuple(
    "fee_statement" if key == "fee" else key for key, _ in fmt.OTHER_ITEMS)
OVERVIEW_SLOTS: tuple[str, ...] = tuple(key for key, _ in fmt.OVERVIEW_PARTS)
LAST_YEAR_REASON = "上年提出此问题，请报告整改情况"
CHOSEN_REASON = "本年已选用"
DEFAULT_REASON = "常见问题"
_ORDINALS = "一二三四五六七八九十"
_ITEM_END = "。；;，,、.： "


# ------------------------------------------------------------------ sandbox


_MAX_TEXT = 20_000  # characters; no paragraph of a report is longer
_MAX_WIDTH = 200  # widths for center/indent/wordwrap/format: a line, never more
_MAX_INT_BITS = 256  # numbers a paragraph prints are small; 9 ** 64 ** 64 never gets computed
_LOOP_BUDGET = 10_000  # loop iterations and calls per rendering of one variant
_TIME_BUDGET = 0.5  # seconds per rendering of one variant
_FILE_TIME_BUDGET = 3.0  # seconds to load one workspace library file (all its entries)
_MAX_FILE_BYTES = 256 * 1024  # a library file of many entries is a few dozen KB

_budget = threading.local()


def _charge(n: int = 1) -> None:
    """Count `n` steps of the rendering in progress against its budgets (a no-op outside one)."""
    left = getattr(_budget, "steps", None)
    if left is None:
        return
    left -= n
    _budget.steps = left
    if left < 0:
        raise SecurityError("循环或调用次数过多")
    if time.monotonic() > _budget.deadline:
        raise SecurityError("生成文字用时过长")


@contextmanager
def _bounded(seconds: float = _TIME_BUDGET) -> Iterator[None]:
    """Budgets for one rendering: loop iterations and calls, and time (never beyond an outer
    deadline, such as the one for loading a whole file)."""
    saved = (getattr(_budget, "steps", None), getattr(_budget, "deadline", None))
    deadline = time.monotonic() + seconds
    if saved[1] is not None:
        deadline = min(deadline, saved[1])
    _budget.steps, _budget.deadline = _LOOP_BUDGET, deadline
    try:
        yield
    finally:
        _budget.steps, _budget.deadline = saved


def _render_bounded(tpl: Any, context: dict[str, Any]) -> str:
    """Render within the budgets, stopping as soon as the output passes `_MAX_TEXT`."""
    if isinstance(tpl, _Substitution):
        return tpl.render(context)
    with _bounded():
        out: list[str] = []
        size = 0
        for chunk in tpl.generate(context):
            size += len(chunk)
            if size > _MAX_TEXT:
                raise SecurityError("生成的文字过长")
            out.append(chunk)
            _charge()
        return "".join(out)


def _int_too_big(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > _MAX_INT_BITS


def _width(value: Any, what: str = "宽度") -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > _MAX_WIDTH:
        raise SecurityError(f"{what}过大")
    return value


def _text_size(value: Any) -> Any:
    if isinstance(value, (str, list, tuple, dict)) and len(value) > _MAX_TEXT:
        raise SecurityError("生成的文字过长")
    return value


_FORMAT_NUMBER = re.compile(r"%[^%a-zA-Z]*?(\d{4,})|\{[^{}]*?:[^{}]*?(\d{4,})[^{}]*\}")


def _check_format(spec: Any) -> None:
    """A %-format or str.format spec with a width or precision of thousands is refused."""
    if isinstance(spec, str) and _FORMAT_NUMBER.search(spec):
        raise SecurityError("格式中的宽度过大")


class _Namespace(Namespace):
    """`namespace()` whose attributes cannot grow past the text limit (a string doubled in a loop)."""

    def __setitem__(self, name: str, value: Any) -> None:
        _text_size(value)
        if _int_too_big(value):
            raise SecurityError("数字过大")
        super().__setitem__(name, value)


def _bounded_filters(builtin: dict[str, Callable[..., Any]]) -> dict[str, Callable[..., Any]]:
    """The filters a library entry may use: harmless ones as they are, the ones that can build
    big strings with their arguments bounded."""
    plain = ("abs", "capitalize", "default", "d", "first", "last", "float", "int", "length", "count",
             "lower", "upper", "max", "min", "round", "string", "title", "trim", "sum", "list",
             "join", "map", "select", "reject", "selectattr", "rejectattr", "sort", "unique",
             "reverse", "wordcount", "dictsort", "items", "e", "escape", "safe")
    out = {name: builtin[name] for name in plain if name in builtin}

    def center(value: Any, width: int = 80) -> str:
        return builtin["center"](value, _width(width))

    def indent(value: Any, width: Any = 4, *args: Any, **kwargs: Any) -> str:
        if isinstance(width, str):
            _width(len(width))
        return builtin["indent"](value, _width(width), *args, **kwargs)

    def wordwrap(environment: Any, value: Any, width: int = 79, *args: Any, **kwargs: Any) -> str:
        return builtin["wordwrap"](environment, value, _width(width), *args, **kwargs)

    def truncate(environment: Any, value: Any, length: int = 255, *args: Any, **kwargs: Any) -> str:
        if isinstance(length, int) and length > _MAX_TEXT:
            raise SecurityError("长度过大")
        return builtin["truncate"](environment, value, length, *args, **kwargs)

    def format_(value: Any, *args: Any, **kwargs: Any) -> str:
        _check_format(value)
        for arg in (*args, *kwargs.values()):
            if _int_too_big(arg):
                raise SecurityError("数字过大")
        return _text_size(builtin["format"](value, *args, **kwargs))

    def replace(environment: Any, value: Any, old: Any, new: Any, count: Any = None) -> Any:
        text, old_s, new_s = str(value), str(old), str(new)
        times = text.count(old_s) if old_s else len(text) + 1
        if len(text) + times * max(len(new_s) - len(old_s), 0) > _MAX_TEXT:
            raise SecurityError("生成的文字过长")
        return builtin["replace"](environment, value, old, new, count)

    def batch(value: Any, linecount: int, *args: Any) -> Any:
        return builtin["batch"](value, max(1, int(_width(linecount))), *args)

    wordwrap.jinja_pass_arg = builtin["wordwrap"].jinja_pass_arg  # type: ignore[attr-defined]
    truncate.jinja_pass_arg = builtin["truncate"].jinja_pass_arg  # type: ignore[attr-defined]
    replace.jinja_pass_arg = builtin["replace"].jinja_pass_arg  # type: ignore[attr-defined]
    out.update(center=center, indent=indent, wordwrap=wordwrap, truncate=truncate, format=format_,
               replace=replace, batch=batch)
    out["_gk_loop"] = _loop
    return out


def _loop(iterable: Any) -> Iterator[Any]:
    """Every `{% for %}` iterates through this (see `_Sandbox._parse`): each step is counted."""
    for item in iterable:
        _charge()
        yield item


def _range(*args: Any) -> range:
    r = range(*args)
    return r[:1000]  # loops stay small; the loop budget bounds nested ones


def _lipsum(n: int = 1, html: bool = False, min: int = 20, max: int = 100) -> str:
    if not (isinstance(n, int) and 0 <= n <= 5 and isinstance(max, int) and max <= 100):
        raise SecurityError("lipsum 的参数过大")
    from jinja2.utils import generate_lorem_ipsum

    return str(generate_lorem_ipsum(n=n, html=False, min=min, max=max))


# Methods of str a template may call (the immutable sandbox already refuses the ones that change
# lists and dicts); the rest, like str.center or str.ljust with a huge width, are not offered.
_SAFE_METHODS = frozenset({
    "strip", "lstrip", "rstrip", "startswith", "endswith", "upper", "lower", "title", "capitalize",
    "count", "find", "rfind", "index", "isdigit", "isdecimal", "isnumeric", "isalpha", "isspace",
    "removeprefix", "removesuffix", "split", "rsplit", "splitlines", "replace", "join", "format",
    "get", "keys", "values", "items",
})


class _Sandbox(ImmutableSandboxedEnvironment):
    """The sandbox, also refusing to build huge strings ('x' * 10**9) or numbers (9 ** 9 ** 9)
    from a workspace file, with an allow-list of filters, globals and methods whose arguments are
    bounded, and a budget of loop steps, calls and time per rendering."""

    intercepted_binops = frozenset({"*", "**", "+", "//", "%", "/", "-"})

    def call_binop(self, context, operator, left, right):  # type: ignore[override]
        if operator == "**":
            if isinstance(right, (int, float)) and abs(right) > 64:
                raise SecurityError("指数过大")
            if isinstance(left, int) and isinstance(right, int) and left.bit_length() * abs(right) > _MAX_INT_BITS:
                raise SecurityError("数字过大")
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > _MAX_TEXT:
                    raise SecurityError("生成的文字过长")
            if (isinstance(left, int) and isinstance(right, int)
                    and left.bit_length() + right.bit_length() > _MAX_INT_BITS):
                raise SecurityError("数字过大")
        if operator == "%" and isinstance(left, str):
            _check_format(left)
        result = super().call_binop(context, operator, left, right)
        _text_size(result)
        if _int_too_big(result):
            raise SecurityError("数字过大")
        return result

    def call(self, context, obj, /, *args, **kwargs):  # type: ignore[override]
        _charge()
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if isinstance(owner, (str, list, tuple, dict)) and name not in _SAFE_METHODS:
            raise SecurityError(f"不允许调用 {name}")
        if isinstance(owner, str) and name == "format":
            _check_format(owner)
        for arg in (*args, *kwargs.values()):
            if _int_too_big(arg):
                raise SecurityError("数字过大")
        result = super().call(context, obj, *args, **kwargs)
        return _text_size(result)

    def format_string(self, s, args, kwargs, format_func=None):  # type: ignore[override]
        # "{:2000000000}".format(1): the sandbox routes str.format here
        _check_format(s)
        for arg in (*args, *kwargs.values()):
            if _int_too_big(arg):
                raise SecurityError("数字过大")
        return _text_size(super().format_string(s, args, kwargs, format_func))

    def _parse(self, source, name, filename):  # type: ignore[override]
        # Every loop's iterable goes through the `_gk_loop` filter, which counts each step.
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "_gk_loop", [], [], None, None, lineno=loop.lineno)
        return tree


def _environment() -> SandboxedEnvironment:
    # Plain text, so no autoescape; StrictUndefined so a misspelt variable fails at load time.
    env = make_environment(_Sandbox, trim_blocks=True, lstrip_blocks=True)
    env.filters = _bounded_filters(dict(env.filters))  # type: ignore[assignment]
    env.tests = {k: v for k, v in env.tests.items()}
    env.globals.clear()
    env.globals.update(range=_range, namespace=_Namespace, lipsum=_lipsum, dict=dict)
    return env


_ENV = _environment()


def _tidy(text: str) -> str:
    # Variants are written over several lines and indented for readability; Chinese prose has
    # no spaces, so whitespace goes except between two Latin letters or digits ("Word 文档" stays
    # "Word文档", "PDF A4" keeps its space).
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" (?![A-Za-z0-9])|(?<![A-Za-z0-9]) ", "", text)


_TAG = re.compile(r"(\{\{|\{%)(.*?)(\}\}|%\})", re.DOTALL)


def _prepare(source: str) -> str:
    # `self` is Jinja's own name for the template; authors write {{ self }} for 我镇/我局, so it is
    # renamed inside tags before compiling.
    return _TAG.sub(lambda m: m.group(1) + re.sub(r"(?<![\w.])self(?!\w)", "self_word", m.group(2))
                    + m.group(3), source)


# ------------------------------------------------------------------ data


_PLAIN_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")


class _Substitution:
    """A template that only prints variables (`{{ self }}办公室…`, most variants): rendered like
    Jinja renders it — str() of each value, StrictUndefined's error for an unknown name — without
    the cost of compiling it, which was most of the wait for the library's first suggestions."""

    def __init__(self, source: str) -> None:
        # Jinja's defaults: newlines normalised to \n and a single trailing newline dropped.
        source = re.sub(r"\r\n|\r", "\n", source)
        self.parts = _PLAIN_VARIABLE.split(source.removesuffix("\n"))

    def render(self, *args: Any, **kwargs: Any) -> str:
        context = dict(*args, **kwargs)
        out = []
        for i, part in enumerate(self.parts):
            if i % 2 == 0:
                out.append(part)
            elif part in context:
                out.append(str(context[part]))
            elif part in _ENV.globals:
                out.append(str(_ENV.globals[part]))
            else:
                raise UndefinedError(f"{part!r} is undefined")
        return "".join(out)


_COMPILED: dict[str, Template | _Substitution] = {}
"""Compiled templates by source, shared by every Library loaded in the process (each workspace
loads its own, and the built-in entries are the same in all of them)."""
_COMPILED_MAX = 2000  # hostile or generated workspace files must not grow it without end


def _compile(source: str) -> Template | _Substitution:
    """The template for a variant or reason (TemplateSyntaxError when it is not valid Jinja)."""
    hit = _COMPILED.get(source)
    if hit is not None:
        return hit
    prepared = _prepare(source)
    rest = _PLAIN_VARIABLE.sub("", prepared)
    if not any(tag in rest for tag in ("{{", "{%", "{#")):
        compiled: Template | _Substitution = _Substitution(prepared)
    else:
        compiled = _ENV.from_string(prepared)
    if len(_COMPILED) >= _COMPILED_MAX:
        _COMPILED.clear()
    _COMPILED[source] = compiled
    return compiled


def warm_up() -> int:
    """Compile every built-in entry's templates into the shared cache (how many were compiled).
    The app calls it once its first screen is drawn, while the clerk reads, so that no answer
    waits for a compile."""
    done = 0
    for entry in cached_library(None).entries.values():
        for source in (*entry.variants, *(h.reason for h in entry.when), entry.reason):
            if source and source not in _COMPILED:
                try:
                    _compile(source)
                except TemplateError:  # a broken entry is reported when it is rendered, not here
                    continue
                done += 1
    return done


@dataclass(frozen=True)
class Hint:
    """A data signal that raises an entry in the ranking, and the reason shown when it does."""

    signal: str
    weight: float
    reason: str
    compiled: Template | _Substitution | None = field(default=None, compare=False, repr=False)

    @property
    def template(self) -> Template | _Substitution:
        """The reason's template, compiled on first use (built-in entries are not compiled at load)."""
        if self.compiled is None:
            object.__setattr__(self, "compiled", _compile(self.reason))
        return self.compiled  # type: ignore[return-value]


@dataclass
class Entry:
    """One theme: id, title, kind, its variants (Jinja2 sources) and ranking data."""

    id: str
    theme: str
    kind: str
    variants: list[str]
    pairs: list[str] = field(default_factory=list)
    when: list[Hint] = field(default_factory=list)
    only_if: list[str] = field(default_factory=list)
    weight: float = 1.0
    reason: str = ""
    slot: str = ""
    source: str = ""
    line: int = 0
    templates: list[Template | _Substitution | None] = field(default_factory=list, repr=False)
    """Compiled variants by index; None until first rendered (compiling every entry at load
    was most of the start-up's wait for the first question)."""
    compiled_reason: Template | _Substitution | None = field(default=None, repr=False)

    def template(self, variant: int) -> Template | _Substitution:
        """The variant's compiled template (compiled once, on first use)."""
        if len(self.templates) != len(self.variants):
            self.templates = [None] * len(self.variants)
        tpl = self.templates[variant]
        if tpl is None:
            tpl = self.templates[variant] = _compile(self.variants[variant])
        return tpl

    @property
    def reason_template(self) -> Template | _Substitution | None:
        if self.compiled_reason is None and self.reason:
            self.compiled_reason = _compile(self.reason)
        return self.compiled_reason

    def render(self, variant: int, context: dict[str, Any]) -> str:
        """The variant as plain text; GkError (Chinese) when it cannot be rendered for this report."""
        try:
            return _tidy(_render_bounded(self.template(variant), context))
        except Exception as exc:  # noqa: BLE001 — re-raised as the entry's Chinese error; an entry that passed the samples may still fail here
            where = f"{self.source} 第 {self.line} 行" if self.line else self.source
            raise GkError(f"推荐库条目 {self.id} 第 {variant + 1} 种写法无法生成文字"
                          f"（{_render_error(exc)}），请检查 {where}。") from None


@dataclass
class Library:
    """The loaded entries by id (built-in, then the workspace's) and what could not be loaded."""

    entries: dict[str, Entry] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)

    def of_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries.values() if e.kind == kind]


@dataclass(frozen=True)
class Suggestion:
    """One offered paragraph: the entry, its rendered first-offered variant, and why it is offered."""

    id: str
    theme: str
    kind: str
    text: str
    reason: str
    score: float
    variant: int
    pairs: list[str] = field(default_factory=list)
    order: list[int] = field(default_factory=list)
    """All variants in the order they are offered (the first is `variant`)."""
    slot: str = ""

    @property
    def pick(self) -> str:
        return f"{self.id}#{self.variant}"


# ------------------------------------------------------------------ context


def _vocabulary(kind: fmt.AgencyKind, self_word: str) -> dict[str, str]:
    """Words that depend on the level of the agency."""
    K = fmt.AgencyKind
    rest = self_word[1:] if self_word[:1] in ("我", "本") else ""
    whole = f"全{rest}" if rest and rest != "机关" else "全单位"
    if kind in (K.TOWN, K.TOWNSHIP):
        return {"whole": whole, "office": "党政办公室", "inner_units": "各办（站、所）",
                "villages": "村（居）", "village_board": "村（居）务公开栏",
                "portal": "政府信息公开专栏"}
    if kind is K.SUBDISTRICT:
        return {"whole": whole, "office": "党政办公室", "inner_units": "机关各科室",
                "villages": "社区", "village_board": "社区居务公开栏",
                "portal": "政府信息公开专栏"}
    if kind in (K.COUNTY_GOVERNMENT, K.CITY_GOVERNMENT):
        area = rest or "县"
        units = ("市直各部门和各县（市、区）" if area == "市"
                 else f"{area}直各部门和各乡镇（街道）")
        return {"whole": whole, "office": "政府办公室", "inner_units": units, "villages": "",
                "village_board": "", "portal": "政府门户网站"}
    units = {K.COUNTY_DEPARTMENT: "机关各股室和下属单位", K.CITY_DEPARTMENT: "机关各科室和直属单位",
             K.PROVINCIAL_DEPARTMENT: "机关各处室和直属单位"}.get(kind, "各内设机构")
    return {"whole": whole, "office": "办公室", "inner_units": units, "villages": "",
            "village_board": "", "portal": "政府信息公开专栏"}


def _number(value: Decimal | int | None) -> int | float:
    if value is None:
        return 0
    d = Decimal(value)
    return int(d) if d == d.to_integral_value() else float(d.quantize(Decimal("0.01")))


def _short_label(label: str) -> str:
    # “（二）部分公开（区分处理的…）” → “部分公开”: the official label without number and note.
    return re.sub(r"^（.）", "", label).split("（")[0]


def build_context(report) -> dict[str, Any]:
    """The variables every variant may use, from the report (blank figures count as 0)."""
    agency = report.agency
    kind = agency.kind or fmt.AgencyKind.OTHER
    self_word = agency.self_reference
    year = report.year or (date.today().year - 1)
    apps = report.applications

    def group(key: str) -> int:
        return sum(apps.cell(r.key, "total") for r in fmt.T3_ROWS if r.group == key)

    figures = {
        "new_total": apps.cell("new", "total"),
        "carried_total": apps.cell("carried", "total"),
        "received": apps.received,
        "closed": apps.cell("total", "total"),
        "carry_next": apps.cell("carry_next", "total"),
        "public": apps.cell("public", "total"),
        "partial": apps.cell("partial", "total"),
        "withheld": group("withheld"),
        "unable": group("unable"),
        "refused": group("not_processed"),
        "other_handling": group("other_handling"),
    }
    rv = report.reviews
    figures |= {
        "review_total": rv.review.total,
        "review_corrected": rv.review.corrected or 0,
        "litigation_total": rv.litigation_total,
        "litigation_corrected": (rv.direct_suit.corrected or 0) + (rv.suit_after_review.corrected or 0),
    }
    figures["corrected_total"] = figures["review_corrected"] + figures["litigation_corrected"]
    figures["cases_total"] = figures["review_total"] + figures["litigation_total"]
    pro = report.proactive
    figures |= {
        "normative_issued": pro.normative.issued or 0,
        "normative_repealed": pro.normative.repealed or 0,
        "normative_in_force": pro.normative.in_force or 0,
        "licensing": pro.licensing or 0,
        "penalty": pro.penalty or 0,
        "enforcement": pro.enforcement or 0,
        "fee_yuan": _number(report.other.fee_yuan),
    }
    bad = figures["unable"] + figures["refused"]
    figures["unable_share"] = round(100 * bad / figures["closed"]) if figures["closed"] else 0
    outcome_labels = (
        (fmt.T3_ROW["public"].label, figures["public"]),
        (fmt.T3_ROW["partial"].label, figures["partial"]),
        (fmt.GROUP_LABEL["withheld"], figures["withheld"]),
        (fmt.GROUP_LABEL["unable"], figures["unable"]),
        (fmt.GROUP_LABEL["not_processed"], figures["refused"]),
        (fmt.GROUP_LABEL["other_handling"], figures["other_handling"]),
    )
    figures["outcomes_text"] = "、".join(
        f"{_short_label(label)}{n}件" for label, n in outcome_labels if n)

    K = fmt.AgencyKind
    grassroots = kind in (K.TOWN, K.TOWNSHIP, K.SUBDISTRICT)
    regional = kind in (K.COUNTY_GOVERNMENT, K.CITY_GOVERNMENT)
    government = kind in fmt.GOVERNMENT_KINDS
    return {
        "self": self_word, "self_word": self_word, "name": agency.name, "short": agency.display_short_name or self_word,
        "level": kind.value, "year": year, "next_year": year + 1, "last_year": year - 1,
        "is_government": government, "is_grassroots": grassroots,
        "is_rural": kind in (K.TOWN, K.TOWNSHIP), "is_regional": regional,
        "is_department": not government,
        "regulation": fmt.REGULATION, "fee_rules": fmt.FEE_RULES,
        **_vocabulary(kind, self_word), **figures,
    }


def _many_unable(c: dict[str, Any]) -> bool:
    bad = c["unable"] + c["refused"]
    return bad > 0 and (bad >= 3 or bad * 5 >= c["closed"])


SIGNALS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "always": lambda c: True,
    "grassroots": lambda c: c["is_grassroots"],
    "rural": lambda c: c["is_rural"],
    "regional": lambda c: c["is_regional"],
    "government": lambda c: c["is_government"],
    "department": lambda c: c["is_department"],
    "corrected": lambda c: c["corrected_total"] > 0,
    "cases": lambda c: c["cases_total"] > 0,
    "many_unable": _many_unable,
    "no_requests": lambda c: c["received"] == 0,
    "has_requests": lambda c: c["received"] > 0,
    "normative_issued": lambda c: c["normative_issued"] > 0,
    "normative_in_force": lambda c: c["normative_in_force"] > 0,
    "heavy_enforcement": lambda c: c["licensing"] + c["penalty"] + c["enforcement"] >= 100,
    "fee_collected": lambda c: c["fee_yuan"] > 0,
    "no_fee": lambda c: not c["fee_yuan"],
}
"""Data signals an entry's `when`/`only_if` may name (a clear rule each, computed from the context)."""

SAMPLE_NAMES: dict[fmt.AgencyKind, str] = {
    fmt.AgencyKind.TOWNSHIP: "青石乡人民政府",
    fmt.AgencyKind.TOWN: "柳溪镇人民政府",
    fmt.AgencyKind.SUBDISTRICT: "望江路街道办事处",
    fmt.AgencyKind.COUNTY_DEPARTMENT: "云岭县农业农村局",
    fmt.AgencyKind.COUNTY_GOVERNMENT: "云岭县人民政府",
    fmt.AgencyKind.CITY_DEPARTMENT: "云州市卫生健康委员会",
    fmt.AgencyKind.CITY_GOVERNMENT: "云州市人民政府",
    fmt.AgencyKind.PROVINCIAL_DEPARTMENT: "江右省交通运输厅",
    fmt.AgencyKind.OTHER: "云州市公共资源交易中心",
}
"""Fictional agencies, one per kind, used to test-render every variant."""


def sample_report(kind: fmt.AgencyKind, *, active: bool, year: int = 2024):
    """A fictional report of the given kind: all figures 0, or a small busy year (active)."""
    from gkassist.model import Agency, Report

    r = Report(agency=Agency(name=SAMPLE_NAMES[kind], kind=kind), year=year)
    apps = r.applications
    apps.fill_blank(0)
    r.reviews.set_all(0)
    for part in (r.proactive.rules, r.proactive.normative):
        part.issued = part.repealed = part.in_force = 0
    r.proactive.licensing = r.proactive.penalty = r.proactive.enforcement = 0
    r.other.fee_yuan = Decimal(0)
    if active:
        for row, col, n in (("new", "natural_person", 10), ("new", "commercial", 2),
                            ("carried", "natural_person", 2), ("public", "natural_person", 6),
                            ("public", "commercial", 1), ("partial", "natural_person", 2),
                            ("unable_not_held", "natural_person", 2),
                            ("unable_not_held", "commercial", 1),
                            ("refused_repeat", "natural_person", 1),
                            ("carry_next", "natural_person", 1)):
            apps.set(row, col, n)
        r.reviews.review.upheld = 1
        r.reviews.review.corrected = 1
        r.reviews.direct_suit.upheld = 1
        r.proactive.normative.issued, r.proactive.normative.repealed = 3, 1
        r.proactive.normative.in_force = 15
        r.proactive.licensing, r.proactive.penalty, r.proactive.enforcement = 120, 36, 4
        r.other.fee_yuan = Decimal(150)
    return r


@lru_cache(maxsize=1)
def _sample_contexts() -> tuple[dict[str, Any], ...]:
    # A quiet town and a busy department and city: enough to catch unknown variables and
    # forbidden attribute access before an entry is ever offered to a clerk.
    K = fmt.AgencyKind
    return tuple(build_context(sample_report(k, active=a))
                 for k, a in ((K.TOWN, False), (K.COUNTY_DEPARTMENT, True), (K.CITY_GOVERNMENT, True)))


# ------------------------------------------------------------------ loading


class _EntryError(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _entry_lines(lines: list[str]) -> list[int]:
    return [i + 1 for i, s in enumerate(lines) if re.match(r"^\s*\[\[\s*entry\s*\]\]", s)]


def _variant_line(lines: list[str], start: int, source: str) -> int:
    """The file line on which the template's first line sits (best effort)."""
    src_lines = source.split("\n")
    k = next((i for i, s in enumerate(src_lines) if s.strip()), 0)
    needle = src_lines[k].strip()[:30] if src_lines else ""
    if needle:
        for i in range(max(start - 1, 0), len(lines)):
            if needle in lines[i]:
                return max(i + 1 - k, 1)
    return start


def _render_error(exc: Exception) -> str:
    if isinstance(exc, SecurityError):
        said = str(exc)
        if re.search(r"[\u4e00-\u9fff]", said):  # one of our own limits
            return f"超出了推荐库的限制（{said}），已被沙箱拒绝"
        return "试图访问不允许的内部属性，已被沙箱拒绝"
    if isinstance(exc, RecursionError):
        return "嵌套或递归过深，已被拒绝"
    if isinstance(exc, UndefinedError):
        return f"用了未知的变量（{exc.message}）"
    return f"生成文字时出错（{type(exc).__name__}：{exc}）"


def _as_list(value: Any, what: str, line: int) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _EntryError(line, f"“{what}”应当是列表")
    return value


def _build_entry(raw: Any, lines: list[str], line: int, source: str, *, validate: bool = True) -> Entry:
    """The entry, its structure checked; with `validate` also every template compiled and
    rendered with sample data (workspace files). The built-in entries skip that at load — it was
    most of the wait for the first question — since tests render each of them for every kind
    of agency; theirs are compiled when first rendered."""
    if not isinstance(raw, dict):
        raise _EntryError(line, "条目格式不对，应当是 [[entry]] 表")
    for key in ("id", "theme", "kind", "variants"):
        if key not in raw:
            raise _EntryError(line, f"条目缺少必填项“{key}”")
    eid, theme, kind = raw["id"], raw["theme"], raw["kind"]
    if not isinstance(eid, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]*", eid):
        raise _EntryError(line, f"条目编号“{eid}”不合规（只能用字母、数字，字母开头）")
    if not isinstance(theme, str) or not theme.strip():
        raise _EntryError(line, f"条目 {eid} 缺少主题名称")
    if kind not in KINDS:
        raise _EntryError(line, f"条目 {eid} 的类型“{kind}”无法识别（可用：{'、'.join(KINDS)}）")
    variants = _as_list(raw["variants"], "variants", line)
    if not variants or not all(isinstance(v, str) and v.strip() for v in variants):
        raise _EntryError(line, f"条目 {eid} 的“variants”应当是至少一段非空文字")
    slot = raw.get("slot", "")
    if kind == "overview_part" and slot not in OVERVIEW_SLOTS:
        raise _EntryError(line, f"条目 {eid} 的“slot”应为 {'、'.join(OVERVIEW_SLOTS)} 之一")
    if kind == "other_item" and slot not in OTHER_SLOTS:
        raise _EntryError(line, f"条目 {eid} 的“slot”应为 {'、'.join(OTHER_SLOTS)} 之一")
    pairs = _as_list(raw.get("pairs"), "pairs", line)
    only_if = _as_list(raw.get("only_if"), "only_if", line)
    for name in only_if:
        if name not in SIGNALS:
            raise _EntryError(line, f"条目 {eid} 的“only_if”里有未知信号“{name}”")
    weight = raw.get("weight", 1.0)
    if not isinstance(weight, (int, float)) or isinstance(weight, bool):
        raise _EntryError(line, f"条目 {eid} 的“weight”应当是数字")
    reason = raw.get("reason", DEFAULT_REASON if kind == "problem" else "")
    if not isinstance(reason, str):
        raise _EntryError(line, f"条目 {eid} 的“reason”应当是文字")

    def compile_(src: str, at: int, what: str) -> Template | _Substitution:
        try:
            return _compile(src)
        except TemplateSyntaxError as exc:
            raise _EntryError(at + (exc.lineno or 1) - 1,
                              f"条目 {eid} {what}的模板语法有误（{exc.message}）") from None

    hints: list[Hint] = []
    for h in _as_list(raw.get("when"), "when", line):
        if not isinstance(h, dict) or h.get("signal") not in SIGNALS:
            name = h.get("signal") if isinstance(h, dict) else h
            raise _EntryError(line, f"条目 {eid} 的“when”里有未知信号“{name}”"
                                    f"（可用：{'、'.join(SIGNALS)}）")
        text = str(h.get("reason", ""))
        w = h.get("weight", 1.0)
        if not isinstance(w, (int, float)) or isinstance(w, bool):
            raise _EntryError(line, f"条目 {eid} 的“when”权重应当是数字")
        hints.append(Hint(h["signal"], float(w), text,
                          compile_(text, _variant_line(lines, line, text), "理由") if validate else None))
    entry = Entry(id=eid, theme=theme.strip(), kind=kind, variants=list(variants),
                  pairs=[str(p) for p in pairs], when=hints, only_if=list(only_if),
                  weight=float(weight), reason=reason, slot=slot, source=source, line=line)
    if not validate:
        return entry
    entry.compiled_reason = compile_(reason, line, "理由") if reason else None
    starts = [_variant_line(lines, line, v) for v in variants]
    entry.templates = [compile_(v, at, f"第 {i + 1} 种写法") for i, (v, at) in
                       enumerate(zip(variants, starts))]
    # Render every variant and reason once with sample data: a failing entry is never offered.
    for ctx in _sample_contexts():
        for i, tpl in enumerate(entry.templates):
            assert tpl is not None
            try:
                if not _tidy(_render_bounded(tpl, ctx)):
                    raise _EntryError(starts[i], f"条目 {eid} 第 {i + 1} 种写法生成的文字为空")
            except _EntryError:
                raise
            except Exception as exc:  # noqa: BLE001 — re-raised as a load error naming file and line
                raise _EntryError(starts[i], f"条目 {eid} 第 {i + 1} 种写法{_render_error(exc)}") from None
        for tpl in [h.template for h in hints] + ([entry.reason_template] if entry.reason_template else []):
            try:
                _render_bounded(tpl, ctx)
            except Exception as exc:  # noqa: BLE001 — re-raised as a load error naming file and line
                raise _EntryError(line, f"条目 {eid} 的理由{_render_error(exc)}") from None
    return entry


def _load_file(lib: Library, path: Path, display: str, *, validate: bool = True) -> None:
    def err(line: int, message: str) -> None:
        where = f"{display} 第 {line} 行" if line else display
        lib.errors.append(f"{where}：{message}，已跳过。")

    try:
        raw = _read_library_file(path)
    except _EntryError as exc:
        err(0, exc.message)
        return
    except OSError as exc:
        err(0, f"无法读取文件（{exc.strerror or exc}）")
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        err(0, "文件不是 UTF-8 编码，请另存为 UTF-8")
        return
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        err(int(m.group(1)) if m else 0, f"TOML 格式有误（{detail}），整个文件未载入")
        return
    except (RecursionError, MemoryError, ValueError) as exc:  # 100,000 nested [ and the like
        line = text.count("\n", 0, getattr(exc, "pos", 0) or 0) + 1 if getattr(exc, "pos", None) else 0
        err(line, "TOML 嵌套过深或内容过大，整个文件未载入")
        return
    raw_entries = data.get("entry")
    if not isinstance(raw_entries, list):
        err(0, "没有找到 [[entry]] 条目")
        return
    lines = text.split("\n")
    starts = _entry_lines(lines)
    seen: set[str] = set()
    deadline = time.monotonic() + _FILE_TIME_BUDGET
    for n, raw in enumerate(raw_entries):
        line = starts[n] if n < len(starts) else 0
        if validate and time.monotonic() > deadline:
            err(line, f"载入用时过长，从这一条起的 {len(raw_entries) - n} 个条目未载入")
            break
        try:
            with _bounded(_FILE_TIME_BUDGET):
                _budget.deadline = min(_budget.deadline, deadline)
                entry = _build_entry(raw, lines, line, display, validate=validate)
        except _EntryError as exc:
            err(exc.line, exc.message)
            continue
        except (RecursionError, MemoryError, SecurityError) as exc:  # a template too deep or too big to build
            err(line, f"条目无法载入（{_render_error(exc)}）")
            continue
        if entry.id in seen:
            err(line, f"条目编号 {entry.id} 在本文件中重复")
            continue
        seen.add(entry.id)
        lib.entries.pop(entry.id, None)  # an override takes the place (and order) of the original
        lib.entries[entry.id] = entry


def _read_library_file(path: Path) -> bytes:
    """The bytes of a regular library file of at most `_MAX_FILE_BYTES`; `_EntryError` for a FIFO,
    a device (a link to /dev/zero) or a file too large — checked before it is opened, and the read
    itself is capped, so a file that changes meanwhile cannot hang or fill the memory."""
    st = path.stat()
    if not stat.S_ISREG(st.st_mode):
        raise _EntryError(0, "不是普通文件（可能是管道、设备或指向它们的链接），未读取")
    if st.st_size > _MAX_FILE_BYTES:
        raise _EntryError(0, f"文件有 {st.st_size // 1024} KB，超过推荐库文件的上限 {_MAX_FILE_BYTES // 1024} KB，未读取")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):  # swapped for a FIFO after the check
            raise _EntryError(0, "不是普通文件（可能是管道、设备或指向它们的链接），未读取")
        with os.fdopen(fd, "rb") as fh:
            fd = -1
            data = fh.read(_MAX_FILE_BYTES + 1)
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > _MAX_FILE_BYTES:
        raise _EntryError(0, f"文件超过推荐库文件的上限 {_MAX_FILE_BYTES // 1024} KB，未读取")
    return data


def load_library(workspace: Path | None = None) -> Library:
    """Built-in entries, then `<workspace>/library/*.toml` adding or overriding entries by id.

    Never raises: a bad file or entry is listed in `Library.errors` (Chinese, with file and line)
    and skipped. Workspace entries are compiled and test-rendered here; built-in ones are only
    checked for structure and compiled on first use (the tests render every one of them).
    """
    lib = Library()
    try:
        from gkassist.resources import templates_dir

        builtin = templates_dir() / "library"
    except FileNotFoundError as exc:
        lib.errors.append(f"找不到内置推荐库（{exc}）。")
        builtin = None
    if builtin is not None:
        for path in sorted(builtin.glob("*.toml")):
            _load_file(lib, path, f"templates/library/{path.name}", validate=False)
    if workspace is not None:
        from gkassist.store import library_dir

        folder = library_dir(Path(workspace))
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                _load_file(lib, path, f"library/{path.name}")
    return lib


_CACHE: dict[str, tuple[tuple, Library]] = {}


def _files_signature(workspace: Path | None) -> tuple:
    from gkassist.resources import templates_dir
    from gkassist.store import library_dir

    folders = []
    try:
        folders.append(templates_dir() / "library")
    except FileNotFoundError:
        pass
    if workspace is not None:
        folders.append(library_dir(Path(workspace)))
    sig = []
    for folder in folders:
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            try:
                st = path.stat()
            except OSError:
                continue
            sig.append((str(path), st.st_mtime_ns, st.st_size))
    return tuple(sig)


def cached_library(workspace: Path | None = None) -> Library:
    """`load_library`, reloaded only when a library file changed (the interview asks often)."""
    key = str(workspace)
    sig = _files_signature(workspace)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] == sig:
        return hit[1]
    lib = load_library(workspace)
    _CACHE[key] = (sig, lib)
    return lib


def _default_library() -> Library:
    # Callers that pass no library (the interview) get the built-in entries plus the default
    # workspace's own library/ folder.
    from gkassist.store import default_workspace

    return cached_library(default_workspace())


# ------------------------------------------------------------------ picks and variant choice


def parse_pick(pick: str) -> tuple[str, int | None]:
    """`P3#1` → ("P3", 1); `P3` → ("P3", None)."""
    eid, _, var = str(pick).strip().partition("#")
    return eid.strip(), int(var) if var.strip().isdigit() else None


def picked_ids(items: Iterable[Any]) -> list[str]:
    """The `P3#1` names to store in report.problems.picked, from suggestions or (id, variant) pairs."""
    out: list[str] = []
    for item in items:
        if isinstance(item, Suggestion):
            out.append(item.pick)
        elif isinstance(item, tuple):
            eid, var = item[0], item[1]
            eid = eid.id if isinstance(eid, Entry) else eid
            out.append(f"{eid}#{var}" if var is not None else str(eid))
        else:
            out.append(str(item))
    return out


def _parse_picks(ids: Iterable[str]) -> dict[str, int | None]:
    out: dict[str, int | None] = {}
    for p in ids:
        eid, var = parse_pick(p)
        if eid:
            out[eid] = var
    return out


def _picks(report, previous) -> tuple[dict[str, int | None], dict[str, int | None]]:
    """(last year's picks, this year's picks), each entry id → variant."""
    own = _parse_picks(report.problems.picked)
    if previous is not None:
        return _parse_picks(previous.problems.picked), own
    # Without last year's report, picks in a draft whose 五 is still empty were brought over
    # from last year (apply_picks always writes the text together with the picks); once the
    # text is there they are this year's own choices.
    if own and not (report.problems.problems.strip() or report.problems.improvements.strip()):
        return own, {}
    return {}, own


def _last_picks(report, previous) -> dict[str, int | None]:
    return _picks(report, previous)[0]


def _seed(name: str, key: str) -> int:
    return int.from_bytes(hashlib.sha256(f"{name}\n{key}".encode()).digest()[:8], "big")


def offered_order(entry: Entry, context: dict[str, Any], last: dict[str, int | None]) -> list[int]:
    """Variant indexes in the order offered: a stable start from agency + theme, moved on by the
    year (so each year reads differently), with last year's variant never first."""
    n = len(entry.variants)
    start = (_seed(context["name"], entry.id) + context["year"]) % n
    order = [(start + k) % n for k in range(n)]
    used = last.get(entry.id)
    if used is not None and used in order and n > 1:
        order.remove(used)
        order.append(used)
    return order


# ------------------------------------------------------------------ ranking


def _score(entry: Entry, ctx: dict[str, Any], last: dict[str, int | None]) -> tuple[float, list[str]]:
    score = entry.weight
    reasons: list[tuple[float, str]] = []
    for h in entry.when:
        if SIGNALS[h.signal](ctx):
            score += h.weight
            if h.reason:
                reasons.append((h.weight, _reason(entry, h.template, ctx)))
    if entry.kind == "problem" and entry.id in last:
        score += 2.5
        reasons.append((2.5, LAST_YEAR_REASON))
    reasons.sort(key=lambda r: -r[0])
    # The two strongest reasons are enough for a clerk to see why; more reads as noise.
    return score, [r for _, r in reasons][:2]


def _reason(entry: Entry, template: Any, ctx: dict[str, Any]) -> str:
    """A reason rendered for this report; GkError (Chinese, naming the entry) when it cannot be:
    reasons are checked against sample reports at load, so this is a real fault, said, not hidden."""
    try:
        return _tidy(_render_bounded(template, ctx))
    except Exception as exc:  # noqa: BLE001 — turned into the entry's Chinese error, never swallowed
        where = f"{entry.source} 第 {entry.line} 行" if entry.line else entry.source
        raise GkError(f"推荐库条目 {entry.id} 的理由无法生成（{_render_error(exc)}），请检查 {where}。") from None


def _default_reason(entry: Entry, ctx: dict[str, Any]) -> str:
    if entry.reason_template is not None:
        return _reason(entry, entry.reason_template, ctx)
    return DEFAULT_REASON if entry.kind == "problem" else ""


def _suggestion(entry: Entry, ctx, last, score: float, reason: str,
                chosen: dict[str, int | None] | None = None) -> Suggestion | None:
    order = offered_order(entry, ctx, last)
    mine = (chosen or {}).get(entry.id, -1)
    if mine is not None and mine in order:
        # What the clerk already picked this year is shown as picked, not replaced.
        order.remove(mine)
        order.insert(0, mine)
        reason = f"{CHOSEN_REASON}；{reason}" if reason else CHOSEN_REASON
    for v in list(order):
        try:
            text = entry.render(v, ctx)
        except GkError:
            order.remove(v)  # this report's figures break the variant: offer the others
            continue
        return Suggestion(id=entry.id, theme=entry.theme, kind=entry.kind, text=text,
                          reason=reason, score=round(score, 3), variant=v,
                          pairs=list(entry.pairs), order=order, slot=entry.slot)
    return None


def _applies(entry: Entry, ctx: dict[str, Any]) -> bool:
    return all(SIGNALS[s](ctx) for s in entry.only_if)


def suggest(report, section: str, *, previous=None, library: Library | None = None) -> list[Suggestion]:
    """Ranked suggestions for section 五 (problems, then improvements), 一 (the five parts) or 六."""
    if section not in SECTIONS:
        raise GkError(f"推荐段落只适用于第五、一、六部分，不认识“{section}”。")
    lib = library if library is not None else _default_library()
    ctx = build_context(report)
    last, chosen = _picks(report, previous)
    # What is offered depends on nothing but these (entries are rendered against `ctx` alone):
    # an answer that changes none of them (most answers, for most sections) reuses the ranking.
    key = (id(lib), section, tuple(ctx.items()), tuple(last.items()), tuple(chosen.items()))
    cached = _SUGGESTED.get(key)
    if cached is not None and cached[0] is lib:
        _SUGGESTED.move_to_end(key)
        return list(cached[1])
    found = _suggest(lib, section, ctx, last, chosen)
    _SUGGESTED[key] = (lib, found)
    if len(_SUGGESTED) > 16:
        _SUGGESTED.popitem(last=False)
    return list(found)


_SUGGESTED: OrderedDict[tuple[Any, ...], tuple[Library, list[Suggestion]]] = OrderedDict()


def _suggest(lib: Library, section: str, ctx: dict[str, Any], last: dict[str, int | None],
             chosen: dict[str, int | None]) -> list[Suggestion]:
    out: list[Suggestion | None] = []
    if section == "五":
        scored: dict[str, tuple[float, list[str]]] = {}
        problems = [e for e in lib.of_kind("problem") if _applies(e, ctx)]
        for e in problems:
            scored[e.id] = _score(e, ctx, last)
        problems.sort(key=lambda e: -scored[e.id][0])  # stable: ties keep the library order
        for e in problems:
            score, reasons = scored[e.id]
            out.append(_suggestion(e, ctx, last, score,
                                   "；".join(reasons) or _default_reason(e, ctx), chosen))
        imps: list[tuple[float, Entry, str]] = []
        for e in lib.of_kind("improvement"):
            if not _applies(e, ctx):
                continue
            own, own_reasons = _score(e, ctx, last)
            paired = [lib.entries[p] for p in e.pairs if p in scored]
            best = max(paired, key=lambda p: scored[p.id][0], default=None)
            score = own * 0.1 + (scored[best.id][0] if best else 0.0)
            reason = "；".join(own_reasons)
            if best is not None:
                pair_reason = f"对应问题{best.id}“{best.theme}”"
                if scored[best.id][1]:
                    pair_reason += f"（{scored[best.id][1][0]}）"
                reason = "；".join(r for r in (pair_reason, reason) if r)
            imps.append((score, e, reason or _default_reason(e, ctx) or "常用措施"))
        imps.sort(key=lambda t: -t[0])
        out += [_suggestion(e, ctx, last, s, r, chosen) for s, e, r in imps]
        return [s for s in out if s is not None]
    kind, slots = (("overview_part", OVERVIEW_SLOTS) if section == "一"
                   else ("other_item", OTHER_SLOTS))
    ranked = []
    for e in lib.of_kind(kind):
        if not _applies(e, ctx):
            continue
        score, reasons = _score(e, ctx, last)
        ranked.append((slots.index(e.slot), -score, e, score,
                       "；".join(reasons) or _default_reason(e, ctx) or "常用写法"))
    ranked.sort(key=lambda t: (t[0], t[1]))
    found = [_suggestion(e, ctx, last, score, reason) for _, _, e, score, reason in ranked]
    return [s for s in found if s is not None]


# ------------------------------------------------------------------ composition


def _numbered(texts: list[str]) -> str:
    """一是…；二是…；三是…。"""
    items = [t.rstrip(_ITEM_END) for t in texts if t.strip()]
    if not items:
        return ""
    heads = [(_ORDINALS[i] if i < 10 else str(i + 1)) + "是" for i in range(len(items))]
    return "；".join(h + t for h, t in zip(heads, items)) + "。"


def _resolve(lib: Library, pick: str) -> tuple[Entry, int | None]:
    eid, var = parse_pick(pick)
    entry = lib.get(eid)
    if entry is None:
        raise GkError(f"推荐库里没有编号为 {eid} 的段落，请重新选择。")
    if var is not None and not 0 <= var < len(entry.variants):
        var = None  # the library changed since the pick was stored: fall back to the default
    return entry, var


def _framing(lib: Library, kind: str, ctx, last) -> tuple[Entry, int] | None:
    candidates = [(e, v) for e in lib.of_kind(kind) for v in range(len(e.variants))]
    if not candidates:
        return None
    start = (_seed(ctx["name"], kind) + ctx["year"]) % len(candidates)
    for k in range(len(candidates)):
        e, v = candidates[(start + k) % len(candidates)]
        if last.get(e.id) != v:
            return e, v
    return candidates[start]


def _mirror(problems: list[Entry], lib: Library) -> list[Entry | None]:
    """One improvement per problem through `pairs`, distinct where the pairs allow it."""
    options = [[lib.entries[p] for p in e.pairs
                if p in lib.entries and lib.entries[p].kind == "improvement"] for e in problems]
    owner: dict[str, int] = {}

    def assign(i: int, seen: set[str]) -> bool:  # augmenting path (bipartite matching)
        for imp in options[i]:
            if imp.id in seen:
                continue
            seen.add(imp.id)
            if imp.id not in owner or assign(owner[imp.id], seen):
                owner[imp.id] = i
                return True
        return False

    for i in range(len(problems)):
        assign(i, set())
    chosen: list[Entry | None] = [None] * len(problems)
    for imp_id, i in owner.items():
        chosen[i] = lib.entries[imp_id]
    for i, imp in enumerate(chosen):
        if imp is None and options[i]:
            chosen[i] = options[i][0]  # no free partner left: the same measure, other wording
    return chosen


def _compose_five(report, picked: list[str], layout: str, lib: Library, previous=None):
    ctx = build_context(report)
    last = _last_picks(report, previous)
    chosen = [_resolve(lib, p) for p in picked]

    def variant(entry: Entry, var: int | None, nth: int = 0) -> int:
        if var is not None:
            return var
        order = offered_order(entry, ctx, last)
        return order[nth % len(order)]

    problems = [(e, variant(e, v)) for e, v in chosen if e.kind == "problem"]
    improvements = [(e, variant(e, v)) for e, v in chosen if e.kind == "improvement"]
    if not improvements:
        uses: dict[str, int] = {}
        for imp in _mirror([e for e, _ in problems], lib):
            if imp is not None:
                improvements.append((imp, variant(imp, None, uses.get(imp.id, 0))))
                uses[imp.id] = uses.get(imp.id, 0) + 1
    framing: dict[str, tuple[Entry, int] | None] = {}
    for kind in ("lead_in", "transition", "closing"):
        explicit = [(e, variant(e, v)) for e, v in chosen if e.kind == kind]
        framing[kind] = explicit[0] if explicit else _framing(lib, kind, ctx, last)

    def text(pair: tuple[Entry, int] | None) -> str:
        return pair[0].render(pair[1], ctx) if pair else ""

    problems_part = (text(framing["lead_in"]) + _numbered([text(p) for p in problems])
                     if problems else "")
    measures_part = (text(framing["transition"]) + _numbered([text(p) for p in improvements])
                     + text(framing["closing"]) if improvements else "")
    used = problems + improvements + [f for f in framing.values() if f and (problems or improvements)]
    if layout == "paragraph":
        return problems_part + measures_part, "", used
    return problems_part, measures_part, used


def compose_problems(report, picked: list[str], *, layout: str = "subheads",
                     library: Library | None = None, previous=None) -> tuple[str, str]:
    """Section 五 from picked ids: (problems_text, improvements_text).

    Problems get a lead-in and 一是…；二是…。; the measures mirror them one to one through
    `pairs` (unless improvements were picked explicitly), after a transition, then a closing.
    With layout "paragraph" everything is one running paragraph in problems_text.
    """
    if layout not in ("subheads", "paragraph"):
        raise GkError(f"第五部分的版式只能是 subheads 或 paragraph，不认识“{layout}”。")
    lib = library if library is not None else _default_library()
    problems, improvements, _ = _compose_five(report, list(picked), layout, lib, previous)
    return problems, improvements


def compose_parts(report, section: str, picked: list[str], *, library: Library | None = None,
                  previous=None) -> dict[str, str]:
    """The texts for the report's fields: 五 → problems/improvements, 一 → the Overview parts,
    六 → the OtherMatters fields (several picks for one field are joined)."""
    lib = library if library is not None else _default_library()
    if section == "五":
        p, i, _ = _compose_five(report, list(picked), report.problems.layout, lib, previous)
        return {"problems": p, "improvements": i}
    if section not in SECTIONS:
        raise GkError(f"推荐段落只适用于第五、一、六部分，不认识“{section}”。")
    kind, slots = (("overview_part", OVERVIEW_SLOTS) if section == "一"
                   else ("other_item", OTHER_SLOTS))
    ctx = build_context(report)
    last = _last_picks(report, previous)
    parts: dict[str, str] = {}
    for pick in picked:
        entry, var = _resolve(lib, pick)
        if entry.kind != kind:
            raise GkError(f"{entry.id}（{entry.theme}）不属于第{section}部分，请重新选择。")
        var = offered_order(entry, ctx, last)[0] if var is None else var
        parts[entry.slot] = parts.get(entry.slot, "") + entry.render(var, ctx)
    return {s: parts[s] for s in slots if s in parts}


def compose_section(report, section: str, picked: list[str], library: Library | None = None,
                    previous=None) -> str:
    """The whole composed text of a section, for preview: sub-heads included."""
    parts = compose_parts(report, section, picked, library=library, previous=previous)
    if section == "五":
        if report.problems.layout == "paragraph":
            return parts["problems"]
        blocks = [(fmt.PROBLEMS_HEAD, parts["problems"]), (fmt.IMPROVEMENTS_HEAD, parts["improvements"])]
        return "\n".join(f"{h}\n{t}" for h, t in blocks if t)
    if section == "一":
        return "\n".join(f"{fmt.OVERVIEW_LABEL[slot]}\n{text}" for slot, text in parts.items())
    return "\n".join(parts.values())


def apply_picks(report, section: str, picked: list[str], *, layout: str | None = None,
                library: Library | None = None, previous=None) -> list[str]:
    """Write the composed texts into the report; for 五 also remember the picks (ids used,
    framing included) in report.problems.picked. Returns the ids stored."""
    lib = library if library is not None else _default_library()
    if section == "五":
        if layout is not None:
            report.problems.layout = layout
        p, i, used = _compose_five(report, list(picked), report.problems.layout, lib, previous)
        report.problems.problems, report.problems.improvements = p, i
        report.problems.picked = picked_ids(used)
        return report.problems.picked
    parts = compose_parts(report, section, picked, library=lib, previous=previous)
    target = report.overview if section == "一" else report.other
    for slot, text in parts.items():
        setattr(target, slot, text)
    return list(picked)
