"""Lines of an imported report: page markers and running heads dropped, section headings found,
narrative lines joined into paragraphs, sub-heads split off."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from gkassist import format as fmt
from gkassist.importers.labels import norm

# ------------------------------------------------------------------ line clean-up

_PAGE_MARKER = re.compile(
    r"^\s*(?:[-－—–]+\s*\d{1,4}\s*[-－—–]+|第\s*\d{1,4}\s*页(?:\s*[/，,、]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4})\s*$")
_MD_SEPARATOR = re.compile(r"^\s*:?-{3,}:?\s*$")
_PLACEHOLDER = re.compile(r"^[（(]\s*文字描述.*[）)]$")
_CN_NUM = "一二三四五六七八九十"
SUBHEAD = re.compile(rf"^\s*[（(]\s*([{_CN_NUM}]{{1,3}})\s*[）)]\s*")
HEADING = re.compile(rf"^([{_CN_NUM}]{{1,3}})\s*[、.．，,]\s*(.+)$")
_HEADING_START = re.compile(rf"^([{_CN_NUM}]{{1,3}})\s*[、.．，,]\s*(.*)$")
_SENTENCE_END = re.compile(r"[。！？!?][”’」』）)]*$")


def clean_lines(text: str) -> list[str]:
    """Lines without page markers, with Markdown tables as TAB lines and Markdown marks removed."""
    text = text.replace("\ufeff", "").replace("\u200b", "").replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x0c", "\n")
    out: list[str] = []
    for raw in text.split("\n"):
        # Trailing TABs are cells (a row holding one number keeps its column); other space goes.
        line = raw.rstrip(" \r\x0b\x0c\u3000\u00a0") if "\t" in raw.strip(" \r\n") else raw.rstrip()
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
    m = HEADING.match(s)
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
                    or SUBHEAD.match(tail) or _HEADING_START.match(tail)):
                break
            start = _HEADING_START.match(joined + tail)  # `s` matched it, and a tail only adds to the end
            if start is None or not any(k.startswith(norm(start.group(2))) for k in _KNOWN_HEADINGS):
                break
            joined, used = joined + tail, used + 1
        whole = HEADING.match(joined) if used else None
        if whole and _heading_at(joined) and norm(whole.group(2)) in _KNOWN_HEADINGS:
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
        if cur and (SUBHEAD.match(s) or HEADING.match(s)):
            out.append(cur)
            cur = ""
        cur = _join(cur, s)
        if _SENTENCE_END.search(s) or (SUBHEAD.match(s) and len(s) <= 30 and not split_subhead(s)[2]):
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
    m = SUBHEAD.match(paragraph)
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


CN_ORDER = {c: i + 1 for i, c in enumerate(_CN_NUM)}


# ------------------------------------------------------------------ the report, not the page

_CRAWLER_TITLE = re.compile(r"^\s*(?:标题|题目|title)\s*[:：]\s*(?P<title>\S.*?)\s*$", re.IGNORECASE)
_PAGE_META = re.compile(
    r"^\s*[【\[]?\s*(?:发布时间|发布日期|时间|日期|来源|信息来源|浏览次数|点击数|阅读数|访问量|作者|编辑|责任编辑|字号|"
    r"字体|索引号|发布机构|主题分类|文号|网址|URL|链接|抓取时间)\s*[:：]", re.IGNORECASE)
_PAGE_DATE = re.compile(r"(?:发布时间|发布日期|时间|日期)\s*[:：]\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_CHROME_LINE = re.compile(
    r"^(?:登录|注册|登录\s*注册|登录\s*\|\s*注册|首页|返回顶部|打印本页|关闭窗口|打印|关闭|收藏|"
    r"当前位置[:：].*|您的位置[:：].*|分享到[:：]?.*|扫一扫.*|【\s*字体[:：].*|字号[:：].*|.*打印本页.*关闭窗口.*|"
    r"[^。]{0,40}(?:\||｜)[^。]{0,40}(?:\||｜)[^。]{0,40})$")
_FOOTER = re.compile(
    r"分享到|附件[:：]|相关附件|相关链接|上一篇|下一篇|主办单位|承办单位|主办[:：]|网站标识码|ICP备|公网安备|"
    r"版权所有|Copyright|©|网站地图|联系我们|扫一扫|打印本页|关闭窗口|【\s*字体", re.IGNORECASE)


@dataclass
class PageMeta:
    """What a portal page or crawler said around the report."""

    title: str = ""
    date: tuple[str, str, str] | None = None
    dropped: int = 0


def strip_page(lines: list[str], title_at: Callable[[list[str]], int | None]) -> tuple[list[str], PageMeta]:
    """The report without the page around it: a crawler's `标题:` header becomes the title line;
    navigation, login links, breadcrumbs and the page's 发布时间/来源 line before the title are
    dropped (the date kept); share buttons, attachment lists and the site footer after section 六's
    signature or date are dropped. `title_at(lines)` gives the index of the report's title line."""
    meta = PageMeta()
    out = list(lines)
    head = min(len(out), 40)
    for i in range(head):
        s = out[i].strip()
        m = _CRAWLER_TITLE.match(s)
        if m and not meta.title:
            meta.title = m.group("title")
            out[i] = meta.title
            continue
        d = _PAGE_DATE.search(s)
        if d and meta.date is None and _PAGE_META.match(s):
            meta.date = (d.group(1), d.group(2), d.group(3))
    # Before the title: only page furniture (short lines, no sentences) is dropped.
    start = title_at(out)
    keep: list[str] = []
    for i, line in enumerate(out):
        s = line.strip()
        if "\t" in line:
            keep.append(line)
            continue
        before = start is not None and i < start
        if (before and s and "。" not in s and "报告" not in s and len(s) <= 80) or (s and _PAGE_META.match(s) and len(s) <= 120
                                                                 and (start is None or i < start + 4)):
            meta.dropped += 1
            continue
        if (s and len(s) <= 60 and (_CHROME_LINE.match(s) or _CHROME_LINE.match("".join(s.split())))
                and not (HEADING.match(s) or SUBHEAD.match(s))):
            meta.dropped += 1
            continue
        keep.append(line)
    # After section 六: the report ends at its signature/date; the page's footer follows.
    headings = find_headings(keep)
    six = [h.line for h in headings if h.key == "other"]
    if six:
        end = None
        for i in range(six[-1] + 1, len(keep)):
            s = "".join(keep[i].split())
            if _FOOTER.search(s) and "。" not in s[:-1]:
                end = i
                break
            if _DATE_END.match(s):
                end = i + 1
                break
        if end is not None and end < len(keep):
            tail = [s for s in keep[end:] if s.strip()]
            meta.dropped += len(tail)
            keep = keep[:end]
    return keep, meta


_DATE_END = re.compile(r"^(?:(?:发布|印发|成文)?(?:日期|时间)[：:])?[\d〇零○一二三四五六七八九]{4}年"
                       r"[\d一二三四五六七八九十]{1,3}月[\d一二三四五六七八九十]{1,3}日$")
