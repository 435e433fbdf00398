"""The core importer: a published annual report as plain lines → a Report with what it printed.

Tables are read by walking the official row labels in order through a whitespace-free character
stream (labels broken across lines or between characters still match), then reading the number
cells that follow each label up to the next one. TAB-separated lines keep their empty fields as
blank cells; space-separated lines (text taken from a PDF) give their numbers in order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pydantic import ValidationError

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.importers.labels import Match, Stream, Token, norm, parse_number, tokenize
from gkassist.model import Printed, Report, cell_id

# ------------------------------------------------------------------ line clean-up

_PAGE_MARKER = re.compile(
    r"^\s*(?:[-－—–]+\s*\d{1,4}\s*[-－—–]+|第\s*\d{1,4}\s*页(?:\s*[/，,、]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$")
_MD_SEPARATOR = re.compile(r"^\s*:?-{3,}:?\s*$")
_PLACEHOLDER = re.compile(r"^[（(]\s*文字描述.*[）)]$")
_CN_NUM = "一二三四五六七八九十"
_SUBHEAD = re.compile(rf"^\s*[（(]\s*([{_CN_NUM}]{{1,3}})\s*[）)]\s*")
_HEADING = re.compile(rf"^([{_CN_NUM}]{{1,3}})\s*[、.．，,]\s*(.+)$")
_HEADING_START = re.compile(rf"^([{_CN_NUM}]{{1,3}})\s*[、.．，,]\s*(.*)$")
_SENTENCE_END = re.compile(r"[。！？!?][”’」』）)]*$")


def clean_lines(text: str) -> list[str]:
    """Lines without page markers, with Markdown tables as TAB lines and Markdown marks removed."""
    text = text.replace("\ufeff", "").replace("\u200b", "").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x0c", "\n")
    out: list[str] = []
    for raw in text.split("\n"):
        line = raw.rstrip()
        if _PAGE_MARKER.match(line):
            continue
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and len(stripped) > 1:
            cells = [c.strip().replace("\\|", "|").replace("\\\\", "\\")
                     for c in re.split(r"(?<!\\)\|", stripped[1:-1])]
            if all(_MD_SEPARATOR.match(c) or not c for c in cells) and any(cells):
                continue
            out.append("\t".join(cells))
            continue
        if "\t" not in line:
            line = re.sub(r"^\s*#{1,6}\s+", "", line)
            line = re.sub(r"^\s*>\s?", "", line)
            m = re.match(r"^\s*(\*\*|__)(.+)\1\s*$", line)
            if m:
                line = m.group(2)
        out.append(line)
    return _drop_running_heads(out)


_OFFICIAL = frozenset(norm(label) for label in fmt.all_official_labels())


def _drop_running_heads(lines: list[str]) -> list[str]:
    """A page header or footer repeated on every page (text taken from a PDF) is kept only once."""
    keys = [re.sub(r"\d+", "#", norm(line)) if "\t" not in line else "" for line in lines]
    counts: dict[str, int] = {}
    for k in keys:
        if 4 <= len(k) <= 40 and k not in _OFFICIAL and k.strip("#"):
            counts[k] = counts.get(k, 0) + 1
    repeated = {k for k, n in counts.items() if n >= 3}
    if not repeated:
        return lines
    seen: set[str] = set()
    out = []
    for line, k in zip(lines, keys):
        if k in repeated:
            if k in seen:
                continue
            seen.add(k)
        out.append(line)
    return out


# ------------------------------------------------------------------ title, agency, dates

_TITLE = re.compile(
    r"^(?P<agency>[^，。；：:,;！？《》]{0,40}?)(?P<year>(?:19|20)\d{2}|二[〇零○][一二三四五六七八九〇零○]{2})年度?"
    r"(?:政府信息公开|政务公开)(?:工作)?(?:年度)?报告"
    r"(?P<rest>.{0,12})$")
_TITLE_NO_YEAR = re.compile(r"^(?P<agency>[^，。；：:,;！？《》\d]{0,40}?)(?:政府信息公开|政务公开)工作年度报告(?P<rest>[^，。；：:,;]{0,6})$")
_AGENCY_END = re.compile(r"(人民政府|办事处|委员会|管理委员会|局|委|办公室|办|厅|中心|院|署|处|所|站|队|镇|乡|街道|公司|集团|会)$")


@dataclass
class Title:
    text: str
    agency: str
    year: int | None
    lines: list[int]


def _clean_agency(name: str) -> str:
    name = re.sub(r"^(?:关于|【[^】]*】|\[[^\]]*\]|《)", "", name.strip())
    return name.strip("《》【】[] \u3000")


def find_titles(lines: list[str], limit: int, skip: set[int] = frozenset()) -> list[Title]:
    """Title candidates in the first `limit` lines. A title may be split over up to three lines;
    the shortest span that gives an agency name wins (a menu line above a title is not part of it)."""
    found: list[Title] = []
    used: set[int] = set()

    def usable(i: int) -> bool:
        part = lines[i].strip()
        return bool(part) and "\t" not in part and len(part) <= 60 and i not in skip and i not in used

    for j in range(min(limit, len(lines))):
        if not usable(j) or "报告" not in lines[j]:
            continue
        span: list[int] = []
        best: Title | None = None
        i = j
        while i >= 0 and len(span) < 3:
            if not lines[i].strip():
                i -= 1
                continue
            if not usable(i):
                break
            span.insert(0, i)
            joined = "".join("".join(lines[k].split()) for k in span)
            m = _TITLE.match(joined) or _TITLE_NO_YEAR.match(joined)
            if m:
                year = _cn_int(m.group("year")) if m.groupdict().get("year") else None
                title = Title(joined, _clean_agency(m.group("agency")), year, list(span))
                if best is None:
                    best = title
                if _plausible_agency(title.agency):
                    best = title
                    break
            i -= 1
        if best:
            found.append(best)
            used.update(best.lines)
    return found


def _plausible_agency(name: str) -> bool:
    """A full agency name: a known ending and a place or body before it (not just “镇人民政府”)."""
    return bool(name) and bool(_AGENCY_END.search(name)) and len(name) >= 4 and name[0] not in "镇乡区县市局委办府政"


def guess_kind(name: str) -> fmt.AgencyKind | None:
    """The agency's level guessed from its name (a 县级市 cannot be told from a 设区的市)."""
    if not name:
        return None
    n = name.strip()
    if n.endswith("街道办事处") or n.endswith("街道") or n.endswith("街道办"):
        return fmt.AgencyKind.SUBDISTRICT
    core = n.removesuffix("人民政府")
    if core != n or n.endswith(("镇", "乡")):
        if core.endswith("镇"):
            return fmt.AgencyKind.TOWN
        if core.endswith("乡"):
            return fmt.AgencyKind.TOWNSHIP
        if core.endswith(("县", "区", "旗")):
            return fmt.AgencyKind.COUNTY_GOVERNMENT
        if core.endswith(("市", "州", "盟")):
            return fmt.AgencyKind.CITY_GOVERNMENT
        if core.endswith(("省", "自治区")):
            return fmt.AgencyKind.OTHER
    # A department: the level of the last place name before the department's own words.
    place = re.sub(r"市场|城市|市政|市容|超市|区域|社区|园区|景区|县域|省级|省委|市委|县委|区委", "", n)
    last = None
    for m in re.finditer(r"(省|自治区|市|州|盟|县|区|旗)", place):
        last = m.group(1)
    if last in ("县", "区", "旗"):
        return fmt.AgencyKind.COUNTY_DEPARTMENT
    if last in ("市", "州", "盟"):
        return fmt.AgencyKind.CITY_DEPARTMENT
    if last in ("省", "自治区"):
        return fmt.AgencyKind.PROVINCIAL_DEPARTMENT
    return fmt.AgencyKind.OTHER


_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "Ｏ": 0, "O": 0}


def _cn_int(text: str) -> int | None:
    """A small Chinese number (一 … 三十一) or digit-by-digit year (二〇二四)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        left, _, right = text.partition("十")
        tens = _CN_DIGIT.get(left, 1) if left else 1
        ones = _CN_DIGIT.get(right, 0) if right else 0
        if (left and left not in _CN_DIGIT) or (right and right not in _CN_DIGIT):
            return None
        return tens * 10 + ones
    if all(c in _CN_DIGIT for c in text):
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    return None


_DATE_LINE = re.compile(r"^(?:(?:发布|印发|成文)?(?:日期|时间)[：:])?([\d〇零○一二三四五六七八九]{4})年"
                        r"([\d一二三四五六七八九十]{1,3})月([\d一二三四五六七八九十]{1,3})日$")
_DATE_ANY = re.compile(r"(?:发布|印发|成文)(?:日期|时间)[：:]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def _make_date(y: str, m: str, d: str) -> date | None:
    yi, mi, di = _cn_int(y), _cn_int(m), _cn_int(d)
    if yi is None or mi is None or di is None:
        return None
    try:
        return date(yi, mi, di)
    except ValueError:
        return None


# ------------------------------------------------------------------ sections

def section_key(heading_text: str) -> str | None:
    """Which of the six sections a heading (without its numeral) names; tolerant of rewording."""
    t = norm(heading_text)
    if "总体情况" in t or t in ("概述", "总体", "基本情况"):
        return "overview"
    if "复议" in t or "诉讼" in t:
        return "reviews"
    if "主动公开" in t:
        return "proactive"
    if "申请" in t and ("收到" in t or "处理" in t or "依申请" in t):
        return "applications"
    if "问题" in t and ("改进" in t or "整改" in t or "存在" in t or "不足" in t):
        return "problems"
    if "其他" in t and ("报告" in t or "事项" in t):
        return "other"
    return None


@dataclass
class Heading:
    line: int
    key: str
    printed: str


# Heading words (after the numeral) of the six sections and their known variants.
_KNOWN_HEADINGS = tuple(norm(h).split("、", 1)[1] for h in fmt.SECTION_HEADINGS) + tuple(
    norm(v).split("、", 1)[-1] for v, o in fmt.LABEL_VARIANTS.items() if o in fmt.SECTION_HEADINGS)


def _heading_at(s: str) -> tuple[str, str] | None:
    """(key, heading) when `s` (a line without whitespace) is a section heading."""
    if not s or len(s) > 40:
        return None
    m = _HEADING.match(s)
    if not m:
        return None
    rest = m.group(2).rstrip("：:。")
    if "，" in rest or "。" in rest or "," in rest or len(rest) > 30 or re.search(r"\d", rest):
        return None
    key = section_key(rest)
    return (key, s.rstrip("：:")) if key else None


def find_headings(lines: list[str]) -> list[Heading]:
    """Section headings, in order, duplicates kept; a heading wrapped onto the next one or two
    lines (text taken from a PDF) is joined when together they spell a known heading."""
    found: list[Heading] = []
    skip = 0
    for i, line in enumerate(lines):
        if skip:
            skip -= 1
            continue
        if "\t" in line:
            continue
        s = "".join(line.split())
        lead = 0
        if re.fullmatch(f"[{_CN_NUM}]{{1,3}}", s) and i + 1 < len(lines):
            s, lead = s + "".join(lines[i + 1].split()), 1  # “六” / “、其他需要报告的事项”
        if not _HEADING_START.match(s):
            continue
        hit = _heading_at(s) if not lead else None
        joined, used = s, lead
        while used < 3 and i + used + 1 < len(lines):
            tail = "".join(lines[i + used + 1].split())
            if (not tail or "\t" in lines[i + used + 1] or len(tail) > 20 or re.search(r"[\d。，]", tail)
                    or _SUBHEAD.match(tail) or _HEADING_START.match(tail)):
                break
            words = norm(_HEADING_START.match(joined + tail).group(2))
            if not any(k.startswith(words) for k in _KNOWN_HEADINGS):
                break
            joined, used = joined + tail, used + 1
        if used and _heading_at(joined) and norm(_HEADING.match(joined).group(2)) in _KNOWN_HEADINGS:
            hit, skip = _heading_at(joined), used
        if hit:
            found.append(Heading(i, *hit))
    return found


# ------------------------------------------------------------------ paragraphs


def _join(a: str, b: str) -> str:
    if a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum():
        return a + " " + b
    return a + b


def paragraphs(lines: list[str], wrapped: bool = True) -> list[str]:
    """Paragraphs of narrative lines: blank lines and sentence ends close a paragraph, a hard-wrapped
    line (text taken from a PDF) continues it, a （一） sub-head starts a new one. Lines from a web
    page or Word file are paragraphs already (`wrapped=False`)."""
    out: list[str] = []
    cur = ""
    for line in lines:
        s = line.replace("\t", " ").strip()
        if not wrapped:
            if s and not _PLACEHOLDER.match("".join(s.split())):
                out.append(s)
            continue
        if not s:
            if cur:
                out.append(cur)
            cur = ""
            continue
        if cur and (_SUBHEAD.match(s) or _HEADING.match(s)):
            out.append(cur)
            cur = ""
        cur = _join(cur, s)
        if _SENTENCE_END.search(s) or (_SUBHEAD.match(s) and len(s) <= 30 and not split_subhead(s)[2]):
            out.append(cur)
            cur = ""
    if cur:
        out.append(cur)
    return [p for p in out if not _PLACEHOLDER.match("".join(p.split()))]


# A space between two Chinese characters is left over from a PDF's layout, never meant.
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \t\u3000\u00a0]+(?=[{_CJK}])")


def tidy(parts: list[str]) -> str:
    """Paragraphs as one field's text, without the spaces a PDF left between Chinese characters."""
    return "\n".join(_CJK_GAP.sub("", p) for p in parts)


def split_subhead(paragraph: str) -> tuple[str | None, str, str]:
    """(numeral, sub-head words, body) of a paragraph that starts with （一）…; numeral None if not."""
    m = _SUBHEAD.match(paragraph)
    if not m:
        return None, "", paragraph
    rest = paragraph[m.end():]
    inline = re.match(r"^([^，,。：:；;！？]{1,30})[。：:．]\s*", rest)
    if inline and rest[inline.end():].strip():
        return m.group(1), inline.group(1).strip(), rest[inline.end():].strip()
    spaced = re.match(r"^([^，,。：:；;！？\s\d]{2,20})\s+(?=\S)", rest)  # “（一）主动公开 本年……”
    if spaced:
        return m.group(1), spaced.group(1), rest[spaced.end():].strip()
    if len(rest) <= 30 and not _SENTENCE_END.search(rest):
        return m.group(1), rest.strip().rstrip("：:"), ""
    return m.group(1), "", rest.strip()


_CN_ORDER = {c: i + 1 for i, c in enumerate(_CN_NUM)}


# ------------------------------------------------------------------ the result of one import


@dataclass
class Parsed:
    report: Report
    found: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _int(tok: Token | None) -> int | None:
    if tok is None or tok.kind != "num":
        return None
    value = parse_number(tok.text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def _blank(line: int) -> Token:
    return Token("blank", "", line, True)


def fit_cells(cells: list[Token], expect: int) -> list[Token | None]:
    """`expect` cells from what followed a label: surplus blank edges dropped; a lone number at the
    end of a short row is its 总计 (the applicant cells were left blank); None = not printed."""
    cells = list(cells)
    while len(cells) > expect and cells[-1].kind == "blank":
        cells.pop()
    while len(cells) > expect and cells[0].kind == "blank":
        cells.pop(0)
    nums = [c for c in cells if c.kind == "num"]
    if len(cells) > expect:
        cells = nums if len(nums) == expect else cells[:expect]
    if len(cells) == expect:
        return list(cells)
    if expect in (5, 7) and len(nums) == 1 and cells and cells[-1] is nums[0]:  # rows ending in 总计
        line = cells[-1].line
        return [_blank(line) for _ in range(expect - 1)] + [nums[0]]
    return list(cells) + [None] * (expect - len(cells))


def row_cells(tokens: list[Token], last: int, stop: int) -> list[Token]:
    """The number/blank cells after a label's last token, before token `stop`."""
    if last >= len(tokens):
        return []
    seg = tokens[last + 1:stop]
    label = tokens[last]
    if label.tab:
        same = [t for t in seg if t.line == label.line and t.kind != "text"]
        if any(t.kind == "num" for t in same):
            return same
        seen: list[int] = []
        for t in seg:
            if t.line > label.line and t.line not in seen:
                seen.append(t.line)
        for ln in seen:
            cells = [t for t in seg if t.line == ln and t.kind != "text"]
            if any(t.kind == "num" for t in cells) and all(t.kind != "text" for t in seg if t.line == ln):
                return cells
        return same
    return [t for t in seg if t.kind != "text"]


# ------------------------------------------------------------------ the importer


class TextImporter:
    """Reads one report from its lines; `run()` returns a Parsed or raises GkError."""

    def __init__(self, text: str, source: str = "", lines: list[str] | None = None) -> None:
        self.raw = text
        self.source = source
        self.lines = lines if lines is not None else clean_lines(text)
        self.report = Report()
        self.printed = Printed(source=source, text=_plain(text))
        self.found: list[str] = []
        self.missing: list[str] = []
        self.cells: dict[str, str] = {}
        self.labels: list[str] = []
        self.layout_2019 = False
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
        self.report.printed = self.printed
        return Parsed(self.report, self.found, self.missing)

    # -------------------------------------------------------------- helpers

    def _set(self, obj, attr: str, value, what: str) -> bool:
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
        best = max(titles, key=lambda t: (t.year is not None, _plausible_agency(t.agency), len(t.agency)),
                   default=None)
        if best:
            self.printed.title = best.text
            self.found.append(f"标题：{best.text}")
        name = best.agency if best else ""
        year = best.year if best and best.year else next((t.year for t in titles if t.year), None)
        if not name:
            name = self._agency_from_text()
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

    def _agency_from_text(self) -> str:
        flat = "".join(self.raw.split())
        m = re.search(r"([\u4e00-\u9fff]{2,30}?)(?:19|20)\d{2}年度?(?:政府信息公开|政务公开)(?:工作)?(?:年度)?报告", flat)
        if m:
            cand = re.sub(r"^.*?(?:公布|发布|编制|现将|根据)", "", m.group(1))
            if _AGENCY_END.search(cand):
                return cand
        return ""

    # -------------------------------------------------------------- publication date

    def _date(self) -> None:
        tail = [i for i in range(len(self.lines)) if self.lines[i].strip()][-12:]
        for i in reversed(tail):
            s = "".join(self.lines[i].split())
            m = _DATE_LINE.match(s)
            if m:
                d = _make_date(*m.groups())
                if d:
                    self.report.published = d
                    self.date_line = i
                    self.found.append(f"发布日期：{d.year}年{d.month}月{d.day}日")
                    return
        m = _DATE_ANY.search(self.raw)
        if m:
            d = _make_date(*m.groups())
            if d:
                self.report.published = d
                self.found.append(f"发布日期：{d.year}年{d.month}月{d.day}日")
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
                if len(s) <= 30 and (_AGENCY_END.search(s) or s == self.report.agency.name) and "。" not in s:
                    self.signature.add(prev)
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
        order = _CN_ORDER.get(numeral)
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
                order = _CN_ORDER.get(numeral, 0)
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
                if re.search(r"信息处理费|收费|收取.{0,6}费", s):
                    fee.append(s)
                else:
                    keep.append(s)
            if keep:
                rest.append("".join(keep))
        other = self.report.other
        other.fee_statement = tidy(["".join(fee)])
        other.other = tidy(rest)
        if fee:
            statement = other.fee_statement
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

    # -------------------------------------------------------------- table 二

    def _table2(self) -> int:
        region = self._region("proactive")
        if region is None:
            self.missing.append("未找到 表二（主动公开政府信息情况）")
            return 0
        tokens = tokenize(self.lines, *region)
        stream = Stream(tokens)
        start = max(0, stream.chars.find("第二十条"))
        col = stream.find(norm("本年收费金额"), start)
        if col:
            tok = tokens[col.first_token]
            self.labels.append("".join(tok.text.split()))
        specs = [
            ("rules", [fmt.ROW_RULES], 3), ("normative", [fmt.ROW_NORMATIVE, "规范性文件"], 3),
            ("licensing", [fmt.ROW_LICENSING], 1), ("penalty", [fmt.ROW_PENALTY], 1),
            ("enforcement", [fmt.ROW_ENFORCEMENT], 1), ("fee", [fmt.ROW_FEE], 1),
        ]
        matches: list[tuple[str, int, Match]] = []
        pos = start
        for key, names, expect in specs:
            best = None
            for name in names:
                m = stream.find(norm(name), pos)
                if m and (best is None or m.start < best.start):
                    best = m
            if best is None:
                continue
            matches.append((key, expect, best))
            pos = best.end
        p = self.report.proactive
        got = 0
        for idx, (key, expect, m) in enumerate(matches):
            self.labels.append(m.printed)
            stop = matches[idx + 1][2].first_token if idx + 1 < len(matches) else len(tokens)
            raw = row_cells(tokens, m.last_token, stop)
            nums = [t for t in raw if t.kind == "num"]
            if self.layout_2019 and key == "fee":
                # The 2019 table counted fee items, not an amount in 万元.
                self.missing.append(f"表二 {fmt.ROW_FEE}：旧版（2019年）表格没有收费金额，未导入")
                continue
            if self.layout_2019 and expect == 1 and len(nums) >= 2:
                cells: list[Token | None] = [nums[-1]]  # 上一年项目数量 / 本年增减 / 处理决定数量
            elif self.layout_2019 and expect == 3 and len(nums) == 3:
                cells = [nums[0], None, nums[2]]  # 本年新制作 / 本年新公开 / 对外公开总数量
            else:
                cells = fit_cells(raw, expect)
            if expect == 3:
                target = getattr(p, key)
                for col_key, tok in zip(("issued", "repealed", "in_force"), cells):
                    if tok is None:
                        continue
                    self.cells[cell_id("t2", key, col_key)] = tok.text
                    self._set(target, col_key, _int(tok), f"表二 {m.printed} {col_key}")
            else:
                tok = cells[0]
                if tok is None:
                    continue
                self.cells[cell_id("t2", key)] = tok.text
                if key == "fee":
                    value = parse_number(tok.text) if tok.kind == "num" else None
                    if value is not None and value.as_tuple().exponent < -4:
                        value = value.quantize(Decimal("0.0001"))
                    self._set(p, "fee", value, "表二 行政事业性收费")
                else:
                    self._set(p, key, _int(tok), f"表二 {m.printed}")
            got += 1
        found_keys = {k for k, _, _ in matches}
        names = {"rules": fmt.ROW_RULES, "normative": fmt.ROW_NORMATIVE, "licensing": fmt.ROW_LICENSING,
                 "penalty": fmt.ROW_PENALTY, "enforcement": fmt.ROW_ENFORCEMENT, "fee": fmt.ROW_FEE}
        if got:
            self.found.append(f"表二：{got}/6 项")
        for key, name in names.items():
            if key not in found_keys:
                self.missing.append(f"未找到 表二 {name}")
        return got

    # -------------------------------------------------------------- table 三

    def _table3(self) -> int:
        region = self._region("applications")
        if region is None:
            self.missing.append("未找到 表三（收到和处理政府信息公开申请情况）")
            return 0
        tokens = tokenize(self.lines, *region)
        stream = Stream(tokens)
        rows = list(fmt.T3_DISPLAY_ROWS)
        variants = {}
        for row in rows:
            cands = [norm(row.label)]
            cands += [norm(v) for v, o in fmt.LABEL_VARIANTS.items() if norm(o) == norm(row.label)]
            variants[row.key] = cands
        found: dict[str, Match] = {}
        pos = 0
        for row in rows:  # pass 1: exact labels and known variants, in order
            best = None
            for cand in variants[row.key]:
                m = stream.find(cand, pos)
                if m and (best is None or m.start < best.start):
                    best = m
            if best:
                found[row.key] = best
                pos = best.end
        for i, row in enumerate(rows):  # pass 2: shortened labels between the neighbours found
            if row.key in found:
                continue
            lo = max((found[r.key].end for r in rows[:i] if r.key in found), default=0)
            hi = min((found[r.key].start for r in rows[i + 1:] if r.key in found), default=len(stream.chars))
            for cand in _fallbacks(row):
                m = stream.find(cand, lo, hi)
                if m:
                    found[row.key] = m
                    break
        self._t3_group_without_rows(stream, rows, found)
        ordered = sorted(found.items(), key=lambda kv: kv[1].start)
        t = self.report.applications
        for idx, (key, m) in enumerate(ordered):
            self.labels.append(m.printed)
            stop = ordered[idx + 1][1].first_token if idx + 1 < len(ordered) else len(tokens)
            cells = fit_cells(row_cells(tokens, m.last_token, stop), 7)
            for col_key, tok in zip(fmt.COLUMN_KEYS + ("total",), cells):
                if tok is None:
                    continue
                self.cells[cell_id("t3", key, col_key)] = tok.text
                if key != "total" and col_key != "total":
                    value = _int(tok)
                    if tok.kind == "num" and value is None:
                        self.missing.append(f"表三 {m.printed} {fmt.COLUMN_LABEL[col_key]} 不是整数（{tok.text}）")
                    self._set(t.rows[key], col_key, value, f"表三 {m.printed}")
        n = len([k for k in found if k != "total"])
        if n:
            self.found.append(f"表三：{n} 行" + ("，含（七）总计" if "total" in found else ""))
        for row in rows:
            if row.key not in found:
                self.missing.append(f"未找到 表三 {row.location if row.key != 'total' else row.label}")
        return n

    def _t3_group_without_rows(self, stream: Stream, rows: list, found: dict[str, Match]) -> None:
        """The 2019 table had a single （六）其他处理 row: its figures go to 3.其他, so the sums hold."""
        if any(r.key in found for r in fmt.T3_ROWS if r.group == "other_handling"):
            return
        lo = max((found[k].end for k in ("refused_confirm", "partial", "public") if k in found), default=0)
        hi = found["total"].start if "total" in found else len(stream.chars)
        m = stream.find(norm(fmt.GROUP_LABEL["other_handling"]), lo, hi)
        if m is None:
            return
        found["other_misc"] = m
        self.layout_2019 = True
        self.found.append(f"表三 {fmt.GROUP_LABEL['other_handling']} 没有分项（旧版 2019 年表格）："
                          f"其数字计入 {fmt.T3_ROW['other_misc'].label}")

    # -------------------------------------------------------------- table 四

    def _table4(self) -> int:
        region = self._region("reviews")
        if region is None:
            self.missing.append("未找到 表四（行政复议、行政诉讼情况）")
            return 0
        tokens = tokenize(self.lines, *region)
        cells = self._t4_number_lines(tokens)
        if cells is None:
            cells = self._t4_block_rows(tokens)
        if cells is None:
            self.missing.append("未找到 表四 的数字")
            return 0
        got = 0
        r = self.report.reviews
        for b, (block, label) in enumerate(fmt.T4_BLOCKS):
            for c, col in enumerate(fmt.OUTCOME_KEYS_T4 + ("total",)):
                tok = cells[b * 5 + c]
                if tok is None:
                    continue
                self.cells[cell_id("t4", block, col)] = tok.text
                if tok.kind == "num":
                    got += 1
                if col != "total":
                    self._set(r.block(block), col, _int(tok), f"表四 {label}")
        self.found.append(f"表四：{got} 个数" if got else "表四：表格在，数字全空")
        if got < 15 and any(c is not None and c.kind == "num" for c in cells):
            self.missing.append(f"表四 只读到 {got}/15 个数")
        return got or 1

    def _t4_number_lines(self, tokens: list[Token]) -> list[Token | None] | None:
        by_line: dict[int, list[Token]] = {}
        for t in tokens:
            by_line.setdefault(t.line, []).append(t)
        cells: list[Token] = []
        for ln, toks in by_line.items():
            if all(t.kind != "text" for t in toks) and any(t.kind == "num" for t in toks):
                cells.extend(toks)
        if sum(1 for c in cells if c.kind == "num") >= 5:
            return fit_cells(cells, 15)
        # An empty template: a row of 15 blank cells under the header.
        for ln, toks in by_line.items():
            if len(toks) >= 15 and all(t.kind == "blank" for t in toks) and toks[0].tab:
                return fit_cells(toks, 15)
        return None

    def _t4_block_rows(self, tokens: list[Token]) -> list[Token | None] | None:
        stream = Stream(tokens)
        out: list[Token | None] = []
        pos = 0
        any_found = False
        for block, label in fmt.T4_BLOCKS:
            m = stream.find(norm(label), pos)
            row: list[Token | None] = [None] * 5
            if m:
                same = [t for t in tokens[m.last_token + 1:] if t.line == tokens[m.last_token].line]
                cells = [t for t in same if t.kind != "text"]
                if any(t.kind == "num" for t in cells):
                    row = fit_cells(cells, 5)
                    any_found = True
                    pos = m.end
            out.extend(row)
        return out if any_found else None


def _fallbacks(row: fmt.Row) -> list[str]:
    """Shorter forms of a row label for a second, neighbour-bounded search."""
    n = norm(row.label)
    out = []
    short = re.sub(r"（[^（）]*）$", "", n)
    if short != n:
        out.append(short)
    if len(short) > 10:
        out.append(short[:8])
    bare = re.sub(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)", "", short)
    if bare != short and len(bare) >= 5:
        out.append(bare[:8])
    if row.key == "total":
        out.append(norm(fmt.TOTAL))
    return out


def _plain(text: str) -> str:
    return text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")


def parse_lines(text: str, source: str = "", lines: list[str] | None = None) -> Parsed:
    """Import one report from its text (and, for HTML/Word, the lines already extracted)."""
    return TextImporter(text, source, lines).run()
