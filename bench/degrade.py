"""Degraded copies of a report's text, as real copies from portals and converters come, and the
scoring of an import against a sample's `*.figures.json` truth.

Used by `bench/corpus.py` (printing) and `tests/test_corpus.py` (asserting). Every sentence added
here is the project's own wording.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from gkassist import format as fmt
from gkassist.model import Report

_NUM = r"\d[\d,]*(?:\.\d+)?"
_ROW = re.compile(rf"^(?P<label>\D.*?)(?P<sep>[ \t]+)(?P<nums>{_NUM}(?:[ \t]+(?:{_NUM})?)*)[ \t]*$")
_NUM_LINE = re.compile(rf"^[ \t]*{_NUM}(?:[ \t]+{_NUM})+[ \t]*$")


def _table_zone(lines: list[str]) -> range:
    """Lines from table 二's first label to the end of table 四 (the rows worth degrading)."""
    start = next((i for i, s in enumerate(lines) if "第二十条" in s or fmt.ROW_RULES in s.replace(" ", "")), 0)
    end = next((i for i, s in enumerate(lines) if i > start and re.match(r"^\s*五\s*[、.]", s)), len(lines))
    return range(start, end)


def _map_rows(text: str, fn: Callable[[str, str, list[str]], str | None]) -> str:
    """Apply `fn(label, separator, cells)` to each table row (label then ≥ 2 cells) in the tables."""
    lines = text.split("\n")
    for i in _table_zone(lines):
        line = lines[i]
        if "\t" in line:
            fields = line.split("\t")
            texts = [k for k, f in enumerate(fields) if f.strip() and not re.fullmatch(_NUM, f.strip())]
            first = texts[-1] + 1 if texts else 0
            if first == 0 or first >= len(fields):
                if _NUM_LINE.match(line.replace("\t", " ")):
                    out = fn("", "\t", fields)
                    if out is not None:
                        lines[i] = out
                continue
            cells = fields[first:]
            if sum(1 for c in cells if c.strip()) < 2 or any(c.strip() and not re.fullmatch(_NUM, c.strip())
                                                              for c in cells):
                continue
            out = fn("\t".join(fields[:first]), "\t", cells)
        elif _NUM_LINE.match(line):
            out = fn("", " ", line.split())
        else:
            m = _ROW.match(line)
            if not m or len(m.group("nums").split()) < 2:
                continue
            out = fn(m.group("label"), m.group("sep"), m.group("nums").split())
        if out is not None:
            lines[i] = out
    return "\n".join(lines)


def run_together(text: str) -> str:
    """Every row's cells as one run of digits glued to its label (`…数量300153006143119`)."""
    return _map_rows(text, lambda label, sep, cells: label.rstrip("\t") + "".join(c.strip() for c in cells))


def no_separators(text: str) -> str:
    """The cell separators dropped: blank cells vanish, numbers keep one space between them."""
    return _map_rows(text, lambda label, sep, cells: " ".join(
        [label.replace("\t", " ").strip()] * bool(label.strip()) + [c.strip() for c in cells if c.strip()]))


def cut_labels(text: str) -> str:
    """Long row labels cut after 14 characters (a converter that lost the end of a cell)."""
    def cut(label: str, sep: str, cells: list[str]) -> str | None:
        parts = label.split("\t")
        last = parts[-1].strip()
        if len(last) <= 16:
            return None
        parts[-1] = last[:14]
        return "\t".join(parts) + sep + sep.join(cells)
    return _map_rows(text, cut)


def drop_a_label(text: str, label: str = "2.重复申请") -> str:
    """One row of table 三 printed without its label (the numbers alone)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if label in line.replace(" ", ""):
            nums = re.findall(_NUM, line.split(label[-2:], 1)[-1]) if label[-2:] in line else []
            if "\t" in line:
                fields = line.split("\t")
                k = next(j for j, f in enumerate(fields) if label in f.replace(" ", ""))
                fields[k] = ""
                lines[i] = "\t".join(fields)
            elif nums:
                lines[i] = " ".join(nums)
            break
    return "\n".join(lines)


SENTENCE = "本年新发布行政规范性文件 13 件；规划计划类文件 2 件；2024 年度部门预算和决算按时公开。"


def sentence_before_table(text: str) -> str:
    """A sentence with figures in it just before table 二 (narrative, never a row)."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if re.match(r"^\s*二\s*、\s*主动公开", line):
            lines.insert(i + 1, SENTENCE)
            break
    return "\n".join(lines)


PORTAL_HEAD = [
    "首页 | 政务公开 | 政策文件 | 互动交流 | 办事服务",
    "登录 注册",
    "当前位置：首页 > 政务公开 > 政府信息公开年报",
    "【字体：大 中 小】 打印本页 关闭窗口",
]
PORTAL_FOOT = [
    "分享到： 微信 微博 QQ空间",
    "附件：",
    "1. 年度报告正文.pdf",
    "上一篇：关于公布某项工作的通知",
    "下一篇：某某会议召开情况",
    "主办单位：某某人民政府办公室 承办单位：某某大数据中心",
    "网站标识码：3200000000 苏ICP备00000000号-1 苏公网安备 00000000000000号",
]


def portal_chrome(text: str) -> str:
    """The report inside a portal page's text: navigation and login above, share buttons,
    attachments and the site footer below."""
    return "\n".join(PORTAL_HEAD) + "\n" + text.rstrip("\n") + "\n" + "\n".join(PORTAL_FOOT) + "\n"


DEGRADATIONS: dict[str, Callable[[str], str]] = {
    "数字连写": run_together,
    "无分隔": no_separators,
    "标签截短": cut_labels,
    "缺行标签": drop_a_label,
    "表前数字句": sentence_before_table,
    "网页外框": portal_chrome,
}


# ------------------------------------------------------------------ scoring against the truth


def load_truth(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _t3_key(label: str) -> str | None:
    n = label.replace(" ", "")
    for row in fmt.T3_DISPLAY_ROWS:
        if row.label.replace(" ", "") == n:
            return row.key
    return None


_T2_KEYS = {fmt.ROW_RULES: "rules", fmt.ROW_NORMATIVE: "normative", fmt.ROW_LICENSING: "licensing",
            fmt.ROW_PENALTY: "penalty", fmt.ROW_ENFORCEMENT: "enforcement", fmt.ROW_FEE: "fee"}
_T4_KEYS = {fmt.REVIEW: "review", f"{fmt.LITIGATION} 未经复议直接起诉": "direct_suit",
            f"{fmt.LITIGATION} 复议后起诉": "suit_after_review"}


def truth_cells(truth: dict, blanks_as_zero: bool = False) -> dict[str, int | Decimal | None]:
    """Cell id → the true figure (None for a cell printed blank; 0 when `blanks_as_zero`, as a
    rendered copy prints it)."""
    out: dict[str, int | Decimal | None] = {}
    for label, value in truth["表二"].items():
        key = _T2_KEYS[label]
        if isinstance(value, list):
            for col, v in zip(("issued", "repealed", "in_force"), value):
                out[f"t2.{key}.{col}"] = v
        else:
            out[f"t2.{key}"] = Decimal(str(value)) if isinstance(value, float) else value
    for label, values in truth["表三"].items():
        key = _t3_key(label)
        if key is None:
            raise KeyError(label)
        for col, v in zip(fmt.COLUMN_KEYS + ("total",), values):
            out[f"t3.{key}.{col}"] = v
    for label, values in truth["表四"].items():
        key = _T4_KEYS[label]
        for col, v in zip(fmt.OUTCOME_KEYS_T4 + ("total",), values):
            out[f"t4.{key}.{col}"] = v
    if blanks_as_zero:
        out = {k: (0 if v is None else v) for k, v in out.items()}
    return out


def imported_value(report: Report, cid: str) -> int | Decimal | None:
    """The figure an import gives a cell (the printed 总计 for total cells)."""
    parts = cid.split(".")
    if parts[0] == "t2":
        p = report.proactive
        if len(parts) == 3:
            return getattr(getattr(p, parts[1]), parts[2])
        return getattr(p, parts[1])
    if parts[-1] == "total" or parts[1] == "total":
        printed = report.printed.cells.get(cid, "") if report.printed else ""
        s = printed.replace(",", "").strip()
        return int(s) if s.isdigit() else None
    if parts[0] == "t3":
        return report.applications.value(parts[1], parts[2])
    return getattr(report.reviews.block(parts[1]), parts[2])


@dataclass
class Score:
    tables_exact: int = 0
    wrong: list[str] = field(default_factory=list)  # read/split cells whose figure is not the truth
    pending: int = 0
    missing: int = 0  # true figures neither read nor marked 待核对
    false_errors: list[str] = field(default_factory=list)


def score(report: Report, truth: dict[str, int | Decimal | None], errors: list[str] | None = None) -> Score:
    """Compare an imported report's cells with the truth."""
    s = Score(false_errors=list(errors or []))
    status = report.printed.cell_status if report.printed else {}
    exact = {"t2": True, "t3": True, "t4": True}
    for cid, true in truth.items():
        st = status.get(cid)
        got = imported_value(report, cid)
        table = cid.split(".")[0]
        if st in ("read", "split"):
            if got != true:
                s.wrong.append(f"{cid}: 读作 {got}，应为 {true}")
                exact[table] = False
        elif st == "pending":
            s.pending += 1
            exact[table] = False
        elif true is not None:
            if got is not None and got == true:
                continue  # read (e.g. a 总计 whose status the importer did not track)
            s.missing += 1
            exact[table] = False
        elif got is not None:
            s.wrong.append(f"{cid}: 读作 {got}，原文空白")
            exact[table] = False
    s.tables_exact = sum(exact.values())
    return s
