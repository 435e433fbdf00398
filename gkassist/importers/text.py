"""The core importer: a published annual report as plain lines → a Report with what it printed.

The front matter comes from `front`, the sections and paragraphs from `lines`, the tables from
`tables`; this module puts them together into the model, with what was found and what was not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from pydantic import ValidationError

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.importers.front import (
    AGENCY_END,
    DATE_ANY,
    DATE_LINE,
    Title,
    find_titles,
    guess_kind,
    make_date,
    plausible_agency,
)
from gkassist.importers.labels import norm, parse_number
from gkassist.importers.lines import (
    CN_ORDER,
    clean_lines,
    find_headings,
    paragraphs,
    split_subhead,
    strip_page,
    tidy,
)
from gkassist.importers.tables import TableReader
from gkassist.model import CellStatus, PendingCell, Printed, Report

# ------------------------------------------------------------------ the result of one import


@dataclass
class Parsed:
    report: Report
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ the importer


class TextImporter(TableReader):
    """Reads one report from its lines; `run()` returns a Parsed or raises GkError."""

    def __init__(self, text: str, source: str = "", lines: list[str] | None = None) -> None:
        self.raw = text
        self.source = source
        self.lines = lines if lines is not None else clean_lines(text)
        self.lines, self.page = strip_page(self.lines, _title_line)
        if self.page.dropped or self.page.title:
            self.raw = "\n".join(self.lines)
            text = self.raw
        self.report = Report()
        self.printed = Printed(source=source, text=_plain(text))
        self.found: list[str] = []
        self.missing: list[str] = []
        self.cells: dict[str, str] = {}
        self.labels: list[str] = []
        self.layout_2019 = False
        self.status: dict[str, CellStatus] = {}
        self.pending: dict[str, PendingCell] = {}
        self.wrapped = lines is None  # plain text may be hard-wrapped; HTML and Word lines are paragraphs

    # -------------------------------------------------------------- driver

    def run(self) -> Parsed:
        headings = find_headings(self.lines)
        first = headings[0].line if headings else len(self.lines)
        second_distinct = next((h.line for h in headings if h.key != headings[0].key), first) if headings else first
        titles = find_titles(self.lines, max(first, second_distinct, 12) + 1, {h.line for h in headings})
        title_lines = {i for t in titles for i in t.lines}
        self.headings = headings
        self.title_lines = title_lines

        self._markers()
        self._title(titles)
        self._date()
        n_t2 = self._table2()
        n_rows = self._table3()
        n_t4 = self._table4()

        distinct = {h.key for h in headings}
        recognised = (
            len(distinct) >= 3
            or (titles and (distinct or n_rows or n_t2))
            or n_rows >= 12
            or (titles and titles[0].year and len("".join(self.raw.split())) > 200)
        )
        if not recognised:
            name = self.source or "这段文字"
            raise GkError(f"{name} 不像是政府信息公开工作年度报告：没有找到报告标题、六个部分的标题或统计表，"
                          "未导入。")
        self._text_sections()

        self.printed.headings = [h.printed for h in headings]
        self.printed.labels = self.labels
        self.printed.cells = self.cells
        self.printed.layout = "2019" if self.layout_2019 else ("2021" if n_t2 or n_rows or n_t4 else "unknown")
        self.printed.missing = list(self.missing)
        self.printed.cell_status = self.status
        self.report.draft.pending = self.pending
        self.report.printed = self.printed
        return Parsed(self.report, self.found, self.missing)

    # -------------------------------------------------------------- helpers

    def _set(self, obj: object, attr: str, value: object, what: str) -> bool:
        try:
            setattr(obj, attr, value)
            return True
        except ValidationError:
            self.missing.append(f"{what} 的数字无法使用（{value}）")
            return False

    def _section_ranges(self, key: str) -> list[tuple[int, int]]:
        ranges = []
        for i, h in enumerate(self.headings):
            if h.key == key:
                end = self.headings[i + 1].line if i + 1 < len(self.headings) else len(self.lines)
                ranges.append((h.line + 1, end))
        return ranges

    def _region(self, key: str) -> tuple[int, int] | None:
        """Lines of a table section: its heading's body, else found from the labels around it."""
        ranges = self._section_ranges(key)
        with_numbers = [r for r in ranges if any(re.search(r"\d", self.lines[i]) or "\t" in self.lines[i]
                                                 for i in range(*r))]
        if with_numbers:
            return with_numbers[0]
        if ranges:
            return ranges[0]
        t3_start = self._anchor(norm(fmt.T3_HEADER)[:8])
        if t3_start is None:
            t3_start = self._anchor(norm(fmt.T3_ROWS[0].label)[:10])
        if key == "proactive":
            start = self._anchor(norm(fmt.ARTICLE_1)[:4])
            if start is None:
                return None
            ends = [x for x in (t3_start, self._next_heading(start)) if x is not None and x > start]
            return start, min(ends, default=len(self.lines))
        if key == "applications":
            if t3_start is None:
                return None
            return t3_start, self._next_heading(t3_start) or len(self.lines)
        if key == "reviews":
            if t3_start is None:
                return None
            carry = self._anchor(norm(fmt.T3_ROWS[-1].label)[:8], t3_start)
            if carry is None:
                return None
            return carry + 1, self._next_heading(carry) or len(self.lines)
        return None

    def _flat(self) -> tuple[str, list[int]]:
        if not hasattr(self, "_flat_cache"):
            chars: list[str] = []
            owner: list[int] = []
            for i, line in enumerate(self.lines):
                n = norm(line)
                chars.append(n)
                owner.extend([i] * len(n))
            self._flat_cache = ("".join(chars), owner)
        return self._flat_cache

    def _anchor(self, needle: str, after_line: int = 0) -> int | None:
        """The line where `needle` starts (labels may run over lines), at or after `after_line`."""
        flat, owner = self._flat()
        start = next((k for k, ln in enumerate(owner) if ln >= after_line), len(flat))
        pos = flat.find(needle, start)
        return owner[pos] if pos >= 0 else None

    def _next_heading(self, line: int) -> int | None:
        return next((h.line for h in self.headings if h.line > line), None)

    # -------------------------------------------------------------- markers of the 2019 tables

    def _markers(self) -> None:
        flat = norm(self.raw)
        found = [m for m in fmt.OLD_2019_MARKERS if norm(m) in flat]
        self.printed.markers = found
        if found:
            self.layout_2019 = True
            self.found.append(f"旧版（2019年）表格标志：{'、'.join(found)}（按能对应的项目导入）")

    # -------------------------------------------------------------- title and agency

    def _title(self, titles: list[Title]) -> None:
        best = max(titles, key=lambda t: (t.year is not None, plausible_agency(t.agency), len(t.agency)),
                   default=None)
        if best:
            self.printed.title = best.text
            self.found.append(f"标题：{best.text}")
        name = best.agency if best else ""
        year = best.year if best and best.year else next((t.year for t in titles if t.year), None)
        if not name:
            name = self._agency_from_text() or self._agency_from_signature()
        if year is None:
            m = re.search(r"((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日\s*(?:至|到|—|－|-|~)", self.raw)
            if m:
                year = int(m.group(1))
        if name:
            self.report.agency.name = name
            self.found.append(f"机关：{name}")
            kind = guess_kind(name)
            if kind:
                self.report.agency.kind = kind
                self.found.append(f"类型（推测）：{kind.value}")
        else:
            self.missing.append("未找到 机关名称")
        if year and 2008 <= year <= 2100:
            self.report.year = year
            self.found.append(f"年度：{year}")
        else:
            self.missing.append("未找到 报告年度")

    def _agency_from_signature(self) -> str:
        """The agency signed under the report (a short line naming it just before the date)."""
        tail = [i for i in range(len(self.lines)) if self.lines[i].strip()][-4:]
        for i in reversed(tail):
            s = "".join(self.lines[i].split())
            if len(s) <= 30 and "。" not in s and "\t" not in self.lines[i] and plausible_agency(s):
                return s
        return ""

    def _agency_from_text(self) -> str:
        flat = "".join(self.raw.split())
        m = re.search(r"([\u4e00-\u9fff]{2,30}?)(?:19|20)\d{2}年度?(?:政府信息公开|政务公开)(?:工作)?(?:年度)?报告", flat)
        if m:
            cand = re.sub(r"^.*?(?:公布|发布|编制|现将|根据)", "", m.group(1))
            if AGENCY_END.search(cand):
                return cand
        return ""

    # -------------------------------------------------------------- publication date

    def _date(self) -> None:
        tail = [i for i in range(len(self.lines)) if self.lines[i].strip()][-12:]
        for i in reversed(tail):
            s = "".join(self.lines[i].split())
            m = DATE_LINE.match(s)
            if m:
                d = make_date(*m.groups())
                if d:
                    self.report.published = d
                    self.date_line = i
                    self.found.append(f"发布日期：{d.year}年{d.month}月{d.day}日")
                    return
        m = DATE_ANY.search(self.raw)
        if m:
            d = make_date(*m.groups())
            if d:
                self.report.published = d
                self.found.append(f"发布日期：{d.year}年{d.month}月{d.day}日")
                return
        if self.page.date:
            d = make_date(*self.page.date)
            if d:
                self.report.published = d
                self.found.append(f"发布日期：{d.year}年{d.month}月{d.day}日（取自网页的发布时间）")
                return
        self.missing.append("未找到 发布日期")

    # -------------------------------------------------------------- narrative sections

    def _body_lines(self, key: str) -> list[str]:
        lines: list[str] = []
        for start, end in self._section_ranges(key):
            for i in range(start, end):
                if i in self.title_lines or i == getattr(self, "date_line", -1) or i in self.signature:
                    continue
                lines.append(self.lines[i])
            lines.append("")
        return lines

    def _text_sections(self) -> None:
        self.signature: set[int] = set()
        date_line = getattr(self, "date_line", None)
        if date_line is not None:
            prev = next((i for i in range(date_line - 1, max(date_line - 4, -1), -1) if self.lines[i].strip()), None)
            if prev is not None:
                s = "".join(self.lines[prev].split())
                if len(s) <= 30 and (AGENCY_END.search(s) or s == self.report.agency.name) and "。" not in s:
                    self.signature.add(prev)
        elif self.lines:
            # No date under the report (a page that put it elsewhere): a short last line naming an
            # agency is still the signature, not part of section 六.
            last = next((i for i in range(len(self.lines) - 1, -1, -1) if self.lines[i].strip()), None)
            if last is not None and (not self.headings or last > self.headings[-1].line + 1):
                s = "".join(self.lines[last].split())
                if len(s) <= 30 and "。" not in s and (s == self.report.agency.name or AGENCY_END.search(s)):
                    self.signature.add(last)
        keys = [h.key for h in self.headings]
        for key, label in fmt.SECTIONS:
            count = keys.count(key)
            if count == 0:
                self.missing.append(f"未找到 {label}")
            elif count > 1:
                self.found.append(f"{label}：出现 {count} 次")
        present = [label for key, label in fmt.SECTIONS if key in keys]
        if present:
            self.found.append(f"章节：找到 {len(present)}/6 个部分的标题")
        self._preface()
        self._overview()
        self._problems()
        self._other()

    def _preface(self) -> None:
        first = self.headings[0].line if self.headings else 0
        lines = [self.lines[i] for i in range(first) if i not in self.title_lines]
        paras = paragraphs(lines, self.wrapped)
        preface, contact = [], []
        for p in paras:
            sentences = re.findall(r"[^。！？]+[。！？]?[”’）)]*", p)
            keep = []
            for s in sentences:
                if re.search(r"联系|电话|咨询|邮箱|地址", s) and ("如" in s or "请" in s or "电话" in s):
                    contact.append(s.strip())
                elif s.strip():
                    keep.append(s.strip())
            if keep:
                preface.append("".join(keep))
        if preface:
            self.report.preface = tidy(preface)
            self.found.append("前言")
        if contact:
            self.report.contact = tidy(["".join(contact)])
            self.found.append("联系方式")

    def _overview(self) -> None:
        if "overview" not in {h.key for h in self.headings}:
            return
        paras = paragraphs(self._body_lines("overview"), self.wrapped)
        parts: dict[str, list[str]] = {}
        lead: list[str] = []
        current: str | None = None
        keys = [k for k, _ in fmt.OVERVIEW_PARTS]
        for p in paras:
            numeral, head, body = split_subhead(p)
            if numeral is not None:
                key = self._overview_key(numeral, head, parts)
                if key:
                    current = key
                    parts.setdefault(key, [])
                    if body:
                        parts[key].append(body)
                    continue
            if current is None:
                lead.append(p)
            else:
                parts[current].append(p)
        ov = self.report.overview
        ov.lead = tidy(lead)
        for key in keys:
            if key in parts:
                setattr(ov, key, tidy(parts[key]))
        self.found.append(f"一、总体情况：找到 {len(parts)}/5 个方面" + ("，另有开头段落" if lead else ""))
        for key, label in fmt.OVERVIEW_PARTS:
            if key not in parts:
                self.missing.append(f"未找到 一、总体情况 {label}")

    def _overview_key(self, numeral: str, head: str, taken: dict) -> str | None:
        by_word = [("proactive", "主动公开"), ("on_request", "依申请"), ("management", "管理"),
                   ("platform", "平台"), ("supervision", "监督")]
        h = norm(head)
        hits = [k for k, w in by_word if w in h]
        if len(hits) == 1 and hits[0] not in taken:
            return hits[0]
        order = CN_ORDER.get(numeral)
        if order and 1 <= order <= 5:
            key = fmt.OVERVIEW_PARTS[order - 1][0]
            if key not in taken:
                return key
        return None

    def _problems(self) -> None:
        if "problems" not in {h.key for h in self.headings}:
            return
        paras = paragraphs(self._body_lines("problems"), self.wrapped)
        pr = self.report.problems
        problems: list[str] = []
        improvements: list[str] = []
        followup: list[str] = []
        target = None
        subheads = False
        for p in paras:
            numeral, head, body = split_subhead(p)
            if numeral is not None:
                order = CN_ORDER.get(numeral, 0)
                h = norm(head)
                if "上年" in h or ("整改情况" in h and order >= 3):
                    target = followup
                elif order == 1 or ("问题" in h and "改进" not in h and "整改" not in h):
                    target = problems
                elif order == 2 or "改进" in h or "整改" in h or "措施" in h:
                    target = improvements
                else:
                    target = improvements if target is not None else problems
                subheads = True
                if body:
                    target.append(body)
                continue
            (target if target is not None else problems).append(p)
        if not subheads:
            # No sub-heads: problems first, the measures from the paragraph that turns to them.
            cut = next((i for i, p in enumerate(paras) if i > 0 and re.match(
                r"^.{0,12}(针对|下一步|今后|改进措施|整改措施|为此)", p)), None)
            if cut is not None:
                problems, improvements = paras[:cut], paras[cut:]
                subheads = True
            else:
                problems, improvements = list(paras), []
        pr.problems = tidy(problems)
        pr.improvements = tidy(improvements)
        pr.followup = tidy(followup)
        pr.layout = "subheads" if subheads and improvements else "paragraph"
        if problems and improvements:
            self.found.append("五：主要问题与改进措施已分开")
        elif paras:
            self.found.append("五：整段导入（未能分开问题与改进措施）")
        else:
            self.missing.append("未找到 五 的内容")

    def _other(self) -> None:
        if "other" not in {h.key for h in self.headings}:
            return
        paras = paragraphs(self._body_lines("other"), self.wrapped)
        fee: list[str] = []
        rest: list[str] = []
        for p in paras:
            keep: list[str] = []
            for s in re.findall(r"[^。！？]+[。！？]?[”’）)]*", p):
                s = s.strip()
                if not s:
                    continue
                if re.search(r"信息处理费|收费|收取.{0,6}费", "".join(s.split())):  # a PDF's stray spaces
                    fee.append(s)
                else:
                    keep.append(s)
            if keep:
                rest.append("".join(keep))
        other = self.report.other
        other.fee_statement = tidy(["".join(fee)])
        other.other = tidy(rest)
        if fee:
            statement = "".join(other.fee_statement.split())
            amount = None
            for m in re.finditer(r"(?:信息处理费|费用?)[^。\d]{0,12}?(\d[\d,]*(?:\.\d+)?)\s*(万?元)", statement):
                amount = parse_number(m.group(1))
                if amount is not None and m.group(2) == "万元":
                    amount *= 10000
            if amount is None and re.search(r"(未|没有|无|不)[^。，]{0,8}(收取|收费|发生收费|产生)", statement):
                amount = Decimal(0)
                self.found.append("六：信息处理费 0 元（据“未收取”的说法）")
            elif amount is not None:
                self.found.append(f"六：信息处理费 {amount} 元")
            if amount is not None:
                self._set(other, "fee_yuan", amount, "信息处理费")
        else:
            self.missing.append("未找到 六 中关于信息处理费的说明")

def _title_line(lines: list[str]) -> int | None:
    """The first line of the report's title: the last title before the first section heading."""
    headings = find_headings(lines[:200])
    limit = headings[0].line if headings else min(len(lines), 40)
    titles = find_titles(lines, limit)
    titles = [t for t in titles if plausible_agency(t.agency)] or [t for t in titles if t.year]
    return min(titles[-1].lines) if titles else None


def _plain(text: str) -> str:
    return text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")


def parse_lines(text: str, source: str = "", lines: list[str] | None = None) -> Parsed:
    """Import one report from its text (and, for HTML/Word, the lines already extracted)."""
    return TextImporter(text, source, lines).run()
