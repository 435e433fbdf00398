"""The front matter of an imported report: title, agency (and its level, guessed), dates."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date

from gkassist.agency import guess_kind
from gkassist.numbers import read_int

__all__ = ["AGENCY_END", "DATE_ANY", "DATE_LINE", "Title", "find_titles", "guess_kind", "make_date",
           "plausible_agency"]

# ------------------------------------------------------------------ title, agency, dates

_TITLE = re.compile(
    r"^(?P<agency>[^，。；：:,;！？《》]{0,40}?)(?P<year>(?:19|20)\d{2}|二[〇零○][一二三四五六七八九〇零○]{2})年度?"
    r"(?:政府信息公开|政务公开)(?:工作)?(?:年度)?报告"
    r"(?P<rest>.{0,12})$")
_TITLE_NO_YEAR = re.compile(r"^(?P<agency>[^，。；：:,;！？《》\d]{0,40}?)(?:政府信息公开|政务公开)工作年度报告(?P<rest>[^，。；：:,;]{0,6})$")
AGENCY_END = re.compile(r"(人民政府|办事处|委员会|管理委员会|局|委|办公室|办|厅|中心|院|署|处|所|站|队|镇|乡|街道|公司|集团|会"
                        r"|开发区|实验区|新区|园区|示范区|合作区|试验区|管理区)$")


@dataclass
class Title:
    text: str
    agency: str
    year: int | None
    lines: list[int]


def _clean_agency(name: str) -> str:
    name = re.sub(r"^(?:关于|【[^】]*】|\[[^\]]*\]|《)", "", name.strip())
    return name.strip("《》【】[] \u3000")


def find_titles(lines: list[str], limit: int, skip: AbstractSet[int] = frozenset()) -> list[Title]:
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
                if best is None or (not best.agency and title.agency):
                    best = title  # “某某综合实验区” / “2023年…报告”: the agency is on the line above
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




def _cncell_int(text: str) -> int | None:
    """A small Chinese number (一 … 三十一) or digit-by-digit year (二〇二四)."""
    return read_int(text, digitwise=True)


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
