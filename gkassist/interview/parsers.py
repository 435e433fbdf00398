"""Forgiving, strict answer parsers: a clerk's typed answer → a value, or ParseError with a Chinese reason."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from gkassist import format as fmt
from gkassist.numbers import chinese_int, printed_decimal

MAX_COUNT = 1_000_000_000  # more than any agency's yearly decisions; beyond is a typo


class ParseError(ValueError):
    """An answer that cannot be accepted; `str(error)` is the Chinese reason to show the clerk."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    def __str__(self) -> str:
        return self.reason


# ------------------------------------------------------------------ shared normalising


def normalise(text: str) -> str:
    """Full-width digits, letters and punctuation → ASCII (NFKC), outer blanks trimmed."""
    return unicodedata.normalize("NFKC", text or "").strip()


_NONE_WORDS = {"无", "没有", "没", "零", "否", "无申请", "没有申请", "暂无", "未收取", "没收", "没有收取",
               "不收", "未收", "无收费", "免费", "none", "无。", "没有。"}

# ------------------------------------------------------------------ Chinese numerals

# One reader for numbers everywhere (gkassist.numbers); the old name stays for callers and tests.
chinese_to_int = chinese_int


# ------------------------------------------------------------------ counts

_COUNT_PREFIXES = ("共计", "合计", "总共", "一共", "共有", "共", "计", "有")
_COUNT_SUFFIXES = ("人次", "件", "个", "次", "项", "份", "宗", "起", "条", "家", "人", "例", "笔")
COUNT_HINT = "请填写一个整数，如 0、3 或 十二"
YEAR_HINT = "请填写一个整数年份（四位数的年度），如 2025、2025年 或 二〇二五年"


def _strip_affixes(text: str, prefixes: tuple[str, ...], suffixes: tuple[str, ...]) -> str:
    for p in prefixes:
        if text.startswith(p) and len(text) > len(p):
            text = text[len(p):]
            break
    for s in suffixes:
        if text.endswith(s) and len(text) > len(s):
            text = text[: -len(s)]
            break
    return text


def parse_count(text: str, *, what: str = "件数") -> int:
    """A whole, non-negative number: 0, ３, 无, 没有, 零, 十二, 一百零五, 3件, 共3件."""
    raw = normalise(text)
    t = re.sub(r"\s+", "", raw).rstrip("。.，,;；")
    if not t:
        raise ParseError(f"还没有填写。{COUNT_HINT}")
    if t.lower() in _NONE_WORDS:
        return 0
    t = _strip_affixes(t, _COUNT_PREFIXES, _COUNT_SUFFIXES)
    if re.fullmatch(r"[-−－]\s*[\d.,]+|负.+", t):
        raise ParseError(f"{what}不能是负数。{COUNT_HINT}")
    year = _year_text(t)
    if year is not None:  # 2025年 / 2025年度 / 二〇二五年 typed where a year is asked
        return year
    wan = t.endswith("万") and len(t) > 1 and t[-2].isdigit()
    d = printed_decimal(t[:-1] if wan else t) if re.fullmatch(r"[\d.,]+万?", t) else None
    if d is not None:
        d = d * 10_000 if wan else d
        if d != d.to_integral_value():
            raise ParseError(f"{what}必须是整数（填的是 {raw}）。{COUNT_HINT}")
        value = int(d)
    else:
        cn = chinese_int(t.removesuffix("个"))
        if cn is None:  # an answer about a year gets the year's example, not a count's
            raise ParseError(f"看不懂“{_shorten(raw)}”。{YEAR_HINT if '年' in t else COUNT_HINT}")
        value = cn
    if value > MAX_COUNT:
        raise ParseError(f"{value} 太大了，请检查是否多打了数字。{COUNT_HINT}")
    return value


_YEAR_TEXT = re.compile(r"(\d{4}|[〇○零Oo一二三四五六七八九]{4})年度?")


def _year_text(text: str) -> int | None:
    """2025年, 2025年度, 二〇二五年 → 2025; None when the text is not a year written with 年."""
    m = _YEAR_TEXT.fullmatch(text)
    if not m:
        return None
    return int(m.group(1)) if m.group(1).isdigit() else chinese_int(m.group(1), digitwise=True)


def parse_year(text: str) -> int:
    """A report year: 2025, 2025年, 2025年度, 二〇二五, 二〇二五年, ２０２５ → 2025 (1990–2100)."""
    t = re.sub(r"\s+", "", normalise(text)).rstrip("。.")
    if not t:
        raise ParseError(f"还没有填写。{YEAR_HINT}。")
    year = _year_text(t)
    if year is None and re.fullmatch(r"\d{4}", t):
        year = int(t)
    if year is None and re.fullmatch(r"[〇○零Oo一二三四五六七八九]{4}", t):
        year = chinese_int(t, digitwise=True)
    if year is None:
        raise ParseError(f"看不懂“{_shorten(normalise(text))}”。{YEAR_HINT}。")
    if not 1990 <= year <= 2100:
        raise ParseError(f"{year} 不像报告年度。{YEAR_HINT}。")
    return year


def _shorten(text: str, limit: int = 20) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[:limit] + "…"


_SEPARATORS = re.compile(r"[\s,，、;；/|]+")


def parse_counts(text: str, labels: tuple[str, ...] | list[str]) -> list[int]:
    """Several counts in one answer, in the order of `labels`: "2 1 14", "2，1，14",
    "制发2 废止1 现行有效14" (labels in any order); a single 0 / 无 means all zero."""
    labels = list(labels)
    n = len(labels)
    example = " ".join(["0"] * n)
    order = "、".join(labels)
    raw = normalise(text)
    if not raw:
        raise ParseError(f"还没有填写。请依次填写{n}个数（{order}），如 {example}。")
    if raw.rstrip("。.") in _NONE_WORDS or re.fullmatch(r"(全|都)(是|为)?(0|零|无)|0", raw):
        return [0] * n
    tokens = [t for t in _SEPARATORS.split(raw) if t]
    if len(tokens) == n:  # 二 零 十二: Chinese numerals alone are numbers, not labels
        try:
            return [parse_count(t) for t in tokens]
        except ParseError:
            pass  # labels and numbers, read below
    try:
        labelled = _parse_labelled(raw, {label: i for i, label in enumerate(labels)} | _short_labels(labels))
    except ParseError as exc:
        raise ParseError(f"{exc.reason}请依次填写{n}个数（{order}），如 {example}；"
                         f"也可写名称加数字，如 {labels[0]}{example[0]}。") from None
    if labelled is not None:
        # Labels not written are 0: "尚未审结1" says the other outcomes had none.
        return [int(labelled.get(i, 0)) for i in range(n)]
    if len(tokens) != n:
        raise ParseError(f"需要{n}个数，依次是：{order}；填了{len(tokens)}个。请用空格或逗号隔开，如 {example}。")
    try:
        return [parse_count(t) for t in tokens]
    except ParseError as exc:
        raise ParseError(f"{exc.reason.split('。')[0]}。请依次填写{n}个整数（{order}），如 {example}。") from None


def _short_labels(labels: list[str]) -> dict[str, int]:
    """本年制发件数 → 制发, 现行有效件数 → 现行有效, 结果维持 → 维持 …: the words clerks type."""
    short: dict[str, int] = {}
    for i, label in enumerate(labels):
        core = label.removeprefix("本年").removesuffix("件数").removesuffix("数量").removeprefix("结果")
        core = core.removesuffix("结果")
        if core and core != label:
            short[core] = i
    return short


_NUMBER_CHARS = r"[\d.,零〇○一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟-]"
_UNIT_CHARS = r"(?:人次|件|个|次|项|份|宗|起|家|人|例)?"


def _parse_labelled(raw: str, aliases: Mapping[str, int | str]) -> dict | None:
    """`label number` pairs → {key: n}; None when the text has no label at all (just numbers).
    Raises ParseError for a label that is not in `aliases`."""
    text = re.sub(r"[:：=＝]", "", raw)
    pairs = re.findall(rf"([^\d\s,，、;；/|.\-]+?)\s*({_NUMBER_CHARS}+{_UNIT_CHARS})(?=[\s,，、;；/|]|$|[^\d\s,，、;；/|])", text)
    if not pairs:
        return None
    # Everything must be consumed by label/number pairs and separators.
    rebuilt = re.sub(rf"([^\d\s,，、;；/|.\-]+?)\s*({_NUMBER_CHARS}+{_UNIT_CHARS})", "", text)
    if _SEPARATORS.sub("", rebuilt).strip("。."):
        return None
    result: dict = {}
    names = sorted(aliases, key=len, reverse=True)
    for label, number in pairs:
        label = label.strip()
        key = aliases.get(label)
        if key is None:
            key = next((aliases[a] for a in names if label.endswith(a) or label.startswith(a)), None)
        if key is None:
            raise ParseError(f"不认识“{label}”。")
        if key in result:
            raise ParseError(f"“{label}”写了两次，请每一项只写一次。")
        result[key] = parse_count(number)
    return result


# ------------------------------------------------------------------ applicants

APPLICANT_ALIASES: dict[str, str] = {c.label: c.key for c in fmt.APPLICANT_COLUMNS} | {
    "个人": "natural_person", "群众": "natural_person", "公民": "natural_person", "居民": "natural_person",
    "村民": "natural_person", "自然人申请": "natural_person",
    "企业": "commercial", "公司": "commercial", "商业": "commercial",
    "科研": "research", "科研单位": "research", "高校": "research", "研究机构": "research",
    "公益组织": "welfare", "社会组织": "welfare", "公益": "welfare", "社会公益": "welfare",
    "律所": "legal", "律师": "legal", "律师事务所": "legal", "法律服务": "legal", "律师所": "legal",
    "其他组织": "other_org", "其它": "other_org", "其他单位": "other_org",
}
APPLICANT_HINT = "如 自然人3 商业企业1；只有自然人时直接写件数，如 3"


def applicant_labels() -> str:
    return "、".join(c.label for c in fmt.APPLICANT_COLUMNS)


def parse_applicants(text: str) -> dict[str, int]:
    """Counts per applicant type: "自然人3 商业企业1", "自然人 3，商业企业 1", "3" (= 自然人),
    "个人2 律所1", "无"; every column of format.COLUMN_KEYS in the result (absent → 0)."""
    raw = normalise(text)
    zero = {k: 0 for k in fmt.COLUMN_KEYS}
    if not raw:
        raise ParseError(f"还没有填写。{APPLICANT_HINT}")
    compact = re.sub(r"\s+", "", raw).rstrip("。.")
    if compact.lower() in _NONE_WORDS or compact in ("0", "0件", "都没有", "全是0", "全为0"):
        return zero
    if chinese_int(_strip_affixes(compact, _COUNT_PREFIXES, _COUNT_SUFFIXES)) is not None:
        return zero | {"natural_person": parse_count(raw)}  # 十二: a number alone is 自然人
    try:
        labelled = _parse_labelled(raw, dict(APPLICANT_ALIASES))
    except ParseError as exc:
        if exc.reason.startswith("不认识"):
            raise ParseError(f"{exc.reason}申请人类型只能是：{applicant_labels()}（也可写 个人、企业、律所 等），"
                             f"{APPLICANT_HINT}。") from None
        raise
    if labelled is None:
        try:
            return zero | {"natural_person": parse_count(raw)}
        except ParseError as exc:
            raise ParseError(f"{exc.reason.split('。')[0]}。{APPLICANT_HINT}。申请人类型：{applicant_labels()}。") from None
    return zero | labelled


def describe_applicants(values: dict[str, int | None]) -> str:
    """自然人 3、商业企业 1，共 4 件 — the echo of an applicants answer."""
    parts = [f"{fmt.COLUMN_LABEL[k]} {v}" for k, v in values.items() if k in fmt.COLUMN_LABEL and v]
    total = sum(v or 0 for k, v in values.items() if k in fmt.COLUMN_KEYS)
    if not parts:
        return "0 件"
    return f"{'、'.join(parts)}，共 {total} 件"


# ------------------------------------------------------------------ money

MONEY_UNITS = ("万元", "元")
_PLACES = {"万元": 4, "元": 2}


def parse_money(text: str, *, unit: str = "万元") -> Decimal:
    """An amount in `unit` (万元 or 元): 0, 1.5, 1.5万元, 1.5万, 15000元 (→ 1.5 万元), 无."""
    if unit not in _PLACES:
        raise ValueError(f"unknown unit {unit}")
    hint = "请填写金额，如 0、1.5 或 15000元" if unit == "万元" else "请填写金额（元），如 0、300 或 1.5万元"
    raw = normalise(text)
    t = re.sub(r"\s+", "", raw).rstrip("。.，,")
    if not t:
        raise ParseError(f"还没有填写。{hint}。")
    if t.lower() in _NONE_WORDS:
        return Decimal(0)
    t = _strip_affixes(t, ("共计", "合计", "共", "计", "收取", "收了", "约"), ())
    if re.fullmatch(r"[-−－负].*", t):
        raise ParseError(f"金额不能是负数。{hint}。")
    m = re.fullmatch(r"(.+?)(万元|万|元|块钱|块|人民币)?", t)
    number, given = (m.group(1), m.group(2)) if m else (t, None)
    if given in ("块钱", "块", "人民币"):
        given = "元"
    if given == "万":
        given = "万元"
    number = number.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", number) else number
    try:
        if re.fullmatch(r"\d+(\.\d+)?|\.\d+", number):
            amount = Decimal(number)
        else:
            cn = chinese_to_int(number)
            if cn is None:
                raise ParseError(f"看不懂“{_shorten(raw)}”。{hint}。")
            amount = Decimal(cn)
    except InvalidOperation:
        raise ParseError(f"看不懂“{_shorten(raw)}”。{hint}。") from None
    source = given or unit
    if source != unit:
        amount = amount / 10_000 if unit == "万元" else amount * 10_000
    amount = amount.normalize() if amount else Decimal(0)
    places = -amount.as_tuple().exponent if amount.as_tuple().exponent < 0 else 0  # type: ignore[operator]
    if places > _PLACES[unit]:
        if unit == "万元":
            raise ParseError(f"以万元为单位最多保留4位小数（即精确到1元），“{raw}”换算后是 {amount} 万元。请四舍五入到元后再填。")
        raise ParseError(f"以元为单位最多保留2位小数（精确到分），请改一下“{raw}”。")
    if amount >= Decimal(10) ** 11:
        raise ParseError("金额太大了，请检查是否多打了数字。")
    return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount


def describe_money(amount: Decimal, unit: str) -> str:
    return f"{format(amount, 'f')} {unit}"


# ------------------------------------------------------------------ yes / no

_YES = {"是", "有", "对", "y", "yes", "1", "是的", "有的", "对的", "好", "好的", "确认", "要", "需要",
        "有变化", "变了", "改了", "收了", "收到了", "有过", "ok", "true", "√", "嗯"}
_NO = {"否", "没有", "无", "n", "no", "0", "不", "不是", "没", "没了", "不要", "不用", "不需要",
       "无变化", "没有变化", "没变化", "没变", "不变", "一样", "和去年一样", "没收", "没收到", "false", "×", "未"}


def is_bare_yes(text: str) -> bool:
    """有 / 是 / 有的 … — a yes that is not a number (an answer to a pick that says which is needed)."""
    t = re.sub(r"\s+", "", normalise(text)).rstrip("。.!！").lower()
    return t in _YES and not t.isdigit()


def parse_yesno(text: str) -> bool:
    """是/有/对/y/yes/1 → True; 否/没有/无/n/no/0 → False (also 没有变化, 一样 …)."""
    t = re.sub(r"\s+", "", normalise(text)).rstrip("。.!！").lower()
    if t in _YES:
        return True
    if t in _NO:
        return False
    if t.startswith(("没", "不", "无", "否", "未")):
        return False
    if t.startswith(("有", "是", "对", "要")):
        return True
    raise ParseError("请回答“是”或“否”（也可以答 有/没有、y/n）。")


# ------------------------------------------------------------------ choice and pick


def parse_choice(text: str, choices: list[str] | tuple[str, ...]) -> str:
    """The number (1-based) or the text of a choice, or a prefix naming exactly one."""
    t = re.sub(r"\s+", "", normalise(text)).rstrip("。.")
    listing = "；".join(f"{i} {c}" for i, c in enumerate(choices, 1))
    if not t:
        raise ParseError(f"请选择一项：{listing}。")
    if re.fullmatch(r"\d+", t):
        i = int(t)
        if 1 <= i <= len(choices):
            return choices[i - 1]
        raise ParseError(f"没有第 {i} 项。请在 1–{len(choices)} 中选择：{listing}。")
    normalised = {normalise(c): c for c in choices}
    if t in normalised:
        return normalised[t]
    hits = [c for n, c in normalised.items() if n.startswith(t)] or [c for n, c in normalised.items() if t in n]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise ParseError(f"“{_shorten(t)}”可能是{'、'.join(hits)}，请写完整或写编号。")
    raise ParseError(f"没有“{_shorten(t)}”这一项。请选择：{listing}。")


def parse_pick(text: str, count: int, *, allow_none: bool = True) -> list[int]:
    """Numbers such as "1 3 4", "1,3,4", "1、3、4" (or "134" when there are fewer than 10 options)
    → 1-based indexes in the order given, duplicates dropped; "无" → [] when allowed."""
    raw = normalise(text)
    t = raw.rstrip("。.")
    if not t or t in _NONE_WORDS or t in ("0", "都不要", "不选", "都不写"):
        if allow_none:
            return []
        raise ParseError("请至少选一项，写编号，如 1 3。")
    t = re.sub(r"^(选|要|第)", "", t)
    tokens = [x for x in _SEPARATORS.split(t) if x]
    if len(tokens) == 1 and count < 10 and (re.fullmatch(r"\d{2,}", tokens[0])
                                            or re.fullmatch("[一二三四五六七八九]{2,}", tokens[0])):
        tokens = list(tokens[0])  # 134 or 一三四: one option per digit
    picked: list[int] = []
    for tok in tokens:
        tok = tok.removeprefix("第").removesuffix("条").removesuffix("项").removesuffix("个")
        if re.fullmatch(r"\d+", tok):
            n = int(tok)
        else:
            cn = chinese_to_int(tok)
            if cn is None:
                raise ParseError(f"看不懂“{_shorten(tok)}”。请写编号，用空格隔开，如 1 3 4 或 一 三 四"
                                 f"{'；都不要就写“无”' if allow_none else ''}。")
            n = cn
        if not 1 <= n <= count:
            raise ParseError(f"没有第 {n} 条。请在 1–{count} 中选择，写编号，如 1 3（也可写 一 三）。")
        if n not in picked:
            picked.append(n)
    return picked


# ------------------------------------------------------------------ dates


def parse_date(text: str) -> date:
    """2026-01-20, 2026年1月20日, 2026/1/20, 2026.1.20."""
    t = re.sub(r"\s+", "", normalise(text)).rstrip("。")
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", t)
    if not m:
        raise ParseError("请按 2026-01-20 或 2026年1月20日 的样子填写日期。")
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ParseError(f"没有这一天：{t}。请检查月和日。") from None


# ------------------------------------------------------------------ text


def parse_text(text: str, *, required: bool = True, max_length: int | None = None,
               what: str = "这一项") -> str:
    t = (text or "").strip()
    if not t and required:
        raise ParseError(f"{what}不能为空，请填写。")
    if max_length and len(t) > max_length:
        raise ParseError(f"{what}最多 {max_length} 个字，现在有 {len(t)} 个字。")
    return t


def parse_paragraph(text: str, *, required: bool = True, allow_none: bool = False) -> str:
    """A paragraph; "" for "无" where allowed. Line ends and outer blanks tidied."""
    t = "\n".join(line.rstrip() for line in (text or "").strip().splitlines())
    t = re.sub(r"\n{3,}", "\n\n", t)
    if normalise(t).rstrip("。.") in ("无", "没有", "暂无", "无其他需要报告的事项", "0"):
        if allow_none:
            return ""
        raise ParseError("这一部分不能只写“无”，请写几句实际情况，或直接发送使用建议的草稿。")
    if not t and required:
        raise ParseError("这一部分不能为空，请写几句话"
                         + ("；没有要写的就答“无”。" if allow_none else "，或直接发送使用建议的草稿。"))
    if t and not re.search(r"[\u4e00-\u9fff]", t):
        raise ParseError("这一部分应当用中文写，请写几句完整的话。")
    return t


# ------------------------------------------------------------------ table 二 in one answer

DOCUMENT_ROWS = ("rules", "normative")
DECISION_ROWS = ("licensing", "penalty", "enforcement")
PROACTIVE_LABEL: dict[str, str] = {
    "rules": fmt.ROW_RULES, "normative": fmt.ROW_NORMATIVE, "licensing": fmt.ROW_LICENSING,
    "penalty": fmt.ROW_PENALTY, "enforcement": fmt.ROW_ENFORCEMENT, "fee": fmt.ROW_FEE,
}
PROACTIVE_ALIASES: dict[str, str] = {label: key for key, label in PROACTIVE_LABEL.items()} | {
    "规范性文件": "normative", "规范文件": "normative", "规范性": "normative",
    "许可": "licensing", "处罚": "penalty", "强制": "enforcement",
    "事业性收费": "fee", "行政收费": "fee", "收费": "fee",
}
_DOCUMENT_PARTS: dict[str, int] = {
    fmt.COL_ISSUED: 0, "制发": 0, "新制发": 0, "印发": 0, "发布": 0,
    fmt.COL_REPEALED: 1, "废止": 1, "废除": 1,
    fmt.COL_IN_FORCE: 2, "现行有效": 2, "现行": 2, "有效": 2,
}
PROACTIVE_EXAMPLE = f"{fmt.ROW_NORMATIVE} 2 1 14，{fmt.ROW_LICENSING} 12"
_PROACTIVE_LABELS = re.compile("|".join(sorted(map(re.escape, PROACTIVE_ALIASES), key=len, reverse=True)))
_ALL_ZERO = re.compile(r"(全部|全|都|均)?(是|为)?(0|零|无|没有)|0+")


def parse_proactive(text: str, *, bases: Mapping[str, int | None],
                    rules_allowed: bool) -> tuple[dict[str, Any], list[str]]:
    """Table 二 in one answer: "0" (all zero), or the rows that have figures, each named:
    "行政规范性文件 2 1 14，行政许可 12，收费 1.5". A row not written is 0; the 现行有效 of a
    document row not written (or written as two numbers, or labelled without 现行有效) is last
    year's (`bases`) plus 制发 minus 废止, and the note says so. Returns (values, notes):
    values[rules|normative] = [制发, 废止, 现行有效], values[licensing|penalty|enforcement] = n,
    values[fee] = Decimal 万元."""
    raw = normalise(text)
    compact = re.sub(r"\s+", "", raw).rstrip("。.")
    if not compact:
        raise ParseError(f"还没有填写。只写有数字的项，如“{PROACTIVE_EXAMPLE}”；全部为 0 就写 0。")
    given: dict[str, Any] = {}
    notes: list[str] = []
    if compact.lower() not in _NONE_WORDS and not _ALL_ZERO.fullmatch(compact):
        matches = list(_PROACTIVE_LABELS.finditer(raw))
        lead = raw[:matches[0].start()] if matches else raw
        if _SEPARATORS.sub("", lead).strip("：:。."):
            rows = [label for key, label in PROACTIVE_LABEL.items() if rules_allowed or key != "rules"]
            raise ParseError(f"每组数字前要写上是哪一项（{'、'.join(rows)}），"
                             f"如“{PROACTIVE_EXAMPLE}”；全部为 0 就写 0。")
        for i, m in enumerate(matches):
            key = PROACTIVE_ALIASES[m.group()]
            rest = raw[m.end():matches[i + 1].start() if i + 1 < len(matches) else len(raw)]
            rest = _SEPARATORS.sub(" ", re.sub(r"[:：=＝]", " ", rest)).strip(" 。.")
            rest = re.sub(r"^(本年)?(处理)?决定(数量|数)?|^金额", "", rest).strip()  # 行政许可决定 12
            label = PROACTIVE_LABEL[key]
            if key in given:
                raise ParseError(f"“{label}”写了两次，请每一项只写一次。")
            if not rest:
                raise ParseError(f"“{label}”后面没有数字。如“{PROACTIVE_EXAMPLE}”。")
            try:
                if key in DOCUMENT_ROWS:
                    given[key] = _document_row(rest, bases.get(key), notes, label)
                elif key == "fee":
                    given[key] = parse_money(rest, unit="万元")
                else:
                    given[key] = parse_count(rest)
            except ParseError as exc:
                reason = exc.reason if exc.reason.startswith(label) else f"{label}：{exc.reason}"
                raise ParseError(reason) from None
    values: dict[str, Any] = {}
    for key in DOCUMENT_ROWS:
        base = bases.get(key)
        if key in given:
            values[key] = given[key]
        else:
            values[key] = [0, 0, base or 0]
            if base:
                notes.append(f"{PROACTIVE_LABEL[key]}本年没有制发和废止，现行有效仍为去年年底的 {base} 件")
    if not rules_allowed and any(values["rules"]):
        raise ParseError(f"本机关不能制定{fmt.ROW_RULES}，{fmt.ROW_RULES}一栏为 0；请去掉“{fmt.ROW_RULES}”那一组数字。")
    for key in DECISION_ROWS:
        values[key] = given.get(key, 0)
    values["fee"] = given.get("fee", Decimal(0))
    return values, notes


def _document_row(rest: str, base: int | None, notes: list[str], label: str) -> list[int]:
    """制发、废止、现行有效 of one document row: three numbers, two (现行有效 worked out from last
    year's), or labelled (制发2 现行有效14)."""
    example = f"{label} 2 1 14（{fmt.COL_ISSUED}、{fmt.COL_REPEALED}、{fmt.COL_IN_FORCE}）"
    labelled = _parse_labelled(rest, _DOCUMENT_PARTS)
    if labelled is not None:
        parts: list[int | None] = [labelled.get(0, 0), labelled.get(1, 0), labelled.get(2)]
    else:
        tokens = [t for t in _SEPARATORS.split(rest) if t]
        if len(tokens) not in (2, 3):
            raise ParseError(f"{label}要写三个数：{fmt.COL_ISSUED}、{fmt.COL_REPEALED}、{fmt.COL_IN_FORCE}，"
                             f"如“{example}”。")
        parts = [parse_count(t) for t in tokens] + [None] * (3 - len(tokens))
    issued, repealed, in_force = parts
    assert issued is not None and repealed is not None
    if in_force is None:
        if base is None:
            raise ParseError(f"{label}还要写{fmt.COL_IN_FORCE}（到年底仍然有效的全部件数），如“{example}”。")
        in_force = max(base + issued - repealed, 0)
        notes.append(f"{label}现行有效按去年年底 {base} 件加制发减废止，记为 {in_force} 件")
    elif base is not None and base + issued - repealed != in_force:
        notes.append(f"提示：{label}按去年年底现行有效 {base} 件加本年制发减废止推算，应为 "
                     f"{max(base + issued - repealed, 0)} 件，请核对")
    return [issued, repealed, in_force]


def describe_proactive(values: Mapping[str, Any], *, compact: bool = False, rules: bool = True) -> str:
    """The echo of table 二: every row when `compact` is false (规章 only with `rules`, for an
    agency that makes them); only rows with figures (the form parse_proactive reads back, "0"
    when there are none) when it is true."""
    parts: list[str] = []
    for key in (*DOCUMENT_ROWS, *DECISION_ROWS, "fee"):
        if key == "rules" and not rules and not compact:
            continue
        v = values.get(key)
        label = PROACTIVE_LABEL[key]
        if key in DOCUMENT_ROWS:
            nums = [n or 0 for n in (v or [0, 0, 0])]
            if compact and not any(nums):
                continue
            parts.append(f"{label} {' '.join(map(str, nums))}" if compact else
                         f"{label} 制发{nums[0]} 废止{nums[1]} 现行有效{nums[2]}")
        else:
            n = v or 0
            if compact and not n:
                continue
            parts.append(f"{label} {format(Decimal(str(n)), 'f') if key == 'fee' else n}"
                         + ("" if compact or key != "fee" else " 万元"))
    if compact:
        return "，".join(parts) or "0"
    return "；".join(parts)


def last_year_proactive(figures: Mapping[str, Any]) -> str:
    """Last year's table 二 from a re-run's figures by cell id (t2.normative.issued …), in the
    form describe_proactive(compact) writes; "" when last year's figures are not known."""
    values: dict[str, Any] = {}
    for key in DOCUMENT_ROWS:
        values[key] = [figures.get(f"t2.{key}.{col}") for col in ("issued", "repealed", "in_force")]
    for key in DECISION_ROWS:
        values[key] = figures.get(f"t2.{key}")
    if all(v is None for key in DOCUMENT_ROWS for v in values[key]) and \
            all(values[key] is None for key in DECISION_ROWS):
        return ""
    return describe_proactive(values, compact=True)
