"""The front matter of an imported report: title, agency (and its level, guessed), dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from gkassist import format as fmt

# ------------------------------------------------------------------ title, agency, dates

_TITLE = re.compile(
    r"^(?P<agency>[^，。；：:,;！？《》]{0,40}?)(?P<year>(?:19|20)\d{2}|二[〇零○][一二三四五六七八九〇零○]{2})年度?"
    r"(?:政府信息公开|政务公开)(?:工作)?(?:年度)?报告"
    r"(?P<rest>.{0,12})$")
_TITLE_NO_YEAR = re.compile(r"^(?P<agency>[^，。；：:,;！？《》\d]{0,40}?)(?:政府信息公开|政务公开)工作年度报告(?P<rest>[^，。；：:,;]{0,6})$")
AGENCY_END = re.compile(r"(人民政府|办事处|委员会|管理委员会|局|委|办公室|办|厅|中心|院|署|处|所|站|队|镇|乡|街道|公司|集团|会)$")


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
                year = _cncell_int(m.group("year")) if m.groupdict().get("year") else None
                title = Title(joined, _clean_agency(m.group("agency")), year, list(span))
                if best is None:
                    best = title
                if plausible_agency(title.agency):
                    best = title
                    break
            i -= 1
        if best:
            found.append(best)
            used.update(best.lines)
    return found


def plausible_agency(name: str) -> bool:
    """A full agency name: a known ending and a place or body before it (not just “镇人民政府”)."""
    return bool(name) and bool(AGENCY_END.search(name)) and len(name) >= 4 and name[0] not in "镇乡区县市局委办府政"


def guess_kind(name: str) -> fmt.AgencyKind | None:
    """The agency's level guessed from its name (a 县级市 cannot be told from a 设区的市)."""
    if not name:
        return None
    n = name.strip()
    if n.endswith(("街道办事处", "街道", "街道办")):
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


def _cncell_int(text: str) -> int | None:
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


DATE_LINE = re.compile(r"^(?:(?:发布|印发|成文)?(?:日期|时间)[：:])?([\d〇零○一二三四五六七八九]{4})年"
                        r"([\d一二三四五六七八九十]{1,3})月([\d一二三四五六七八九十]{1,3})日$")
DATE_ANY = re.compile(r"(?:发布|印发|成文)(?:日期|时间)[：:]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def make_date(y: str, m: str, d: str) -> date | None:
    yi, mi, di = _cncell_int(y), _cncell_int(m), _cncell_int(d)
    if yi is None or mi is None or di is None:
        return None
    try:
        return date(yi, mi, di)
    except ValueError:
        return None
