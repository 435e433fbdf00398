"""The office's review of a roll-up: a workbook (one row per unit, a sheet of the sums, the problems)
and a self-contained HTML page (units sorted by 错误, each unit's findings, inline SVG charts).

Both are built in memory from a `Rollup` and returned as bytes/text; the caller writes them with
`store.atomic_write_*`, so a file is either whole or absent.
"""

from __future__ import annotations

import io
from html import escape
from pathlib import Path

from gkassist import format as fmt
from gkassist.aggregate import (
    FEE_LOCATION,
    FIGURES,
    PROBLEM_KINDS,
    Rollup,
    UnitRow,
    fee_decimal,
    figures_of,
)

__all__ = ["PROBLEM_SHEET", "SUM_SHEET", "UNIT_HEADER", "UNIT_SHEET", "review_html", "review_xlsx"]

UNIT_SHEET = "各单位"
SUM_SHEET = "合计"
PROBLEM_SHEET = "问题"
UNIT_HEADER: tuple[str, ...] = (
    "单位", "类型", "年度", "文件", "是否计入合计", "说明", "错误", "警告", "发布日期", "发布期限", "是否按期发布",
    *(f.location for f in FIGURES), FEE_LOCATION, "检查发现的问题",
)
_CHART_MAX_UNITS = 60


def _yes_no(value: bool | None) -> str:
    return "未知" if value is None else ("是" if value else "否")


def _status(u: UnitRow) -> str:
    return "计入" if u.counted else "未计入"


def review_xlsx(rollup: Rollup) -> bytes:
    """The review workbook: 各单位 (one row per unit), 合计 (the sums), 问题 (what must be acted on)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(UNIT_SHEET)
    ws.freeze_panes = "B2"
    ws.append(list(UNIT_HEADER))
    for u in rollup.units:
        figures = list(u.figures) if u.figures else [None] * len(FIGURES)
        fee = fee_decimal(u.fee)
        ws.append([u.name, u.kind, u.year, u.file, _status(u), u.reason or u.failure, u.errors, u.warnings,
                   u.published, u.deadline, _yes_no(u.on_time), *figures,
                   float(fee) if fee is not None else None, "\n".join(u.findings)])

    ws = wb.create_sheet(SUM_SHEET)
    own = rollup.own[0] if rollup.own and rollup.own[0].figures else None
    header = ["表格位置", "格编号", f"{rollup.year}年各单位合计"]
    if rollup.previous is not None:
        header.append(f"{rollup.year - 1}年县报告")
    if own is not None:
        header.append("县报告所印数字")
    ws.append(header)
    county = rollup.county
    for i, f in enumerate(FIGURES):
        value = rollup.sums[i]
        if f.cid.startswith("t3.carried."):  # the county's 上年结转 may come from last year's report
            value = county.applications.value("carried", f.cid.rsplit(".", 1)[1]) or 0
        row: list = [f.location, f.cid, value]
        if rollup.previous is not None:
            row.append(rollup.previous[i])
        if own is not None:
            row.append(own.figures[i])
        ws.append(row)
    fee_row: list = [FEE_LOCATION, "t2.fee", float(rollup.fee_wan)]
    if rollup.previous is not None:
        fee_row.append(None)
    if own is not None:
        own_fee = fee_decimal(own.fee)
        fee_row.append(float(own_fee) if own_fee is not None else None)
    ws.append(fee_row)
    ws.append([])
    ws.append(["计入合计的单位数", "", len(rollup.counted)])
    ws.append(["收到的报告数", "", len(rollup.units)])

    ws = wb.create_sheet(PROBLEM_SHEET)
    ws.append(["类别", "单位", "说明", "是否需处理"])
    for p in rollup.problems:
        ws.append([PROBLEM_KINDS.get(p.kind, p.kind), p.unit, p.message, "是" if p.blocking else "提示"])
    for finding in rollup.findings:
        ws.append([f"县报告草稿 {finding.rule}", rollup.county.agency.name,
                   f"{finding.location}：{finding.message}", "是" if finding.severity.value == "错误" else "提示"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ------------------------------------------------------------------ HTML

_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:24px auto;max-width:1180px;
color:#1f2933;line-height:1.6;padding:0 16px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:28px 0 8px;border-bottom:2px solid #d9e2ec}
h3{font-size:16px;margin:0 0 6px}
.summary{display:flex;gap:12px;flex-wrap:wrap;margin:12px 0}
.stat{background:#f0f4f8;border-radius:6px;padding:8px 14px;min-width:110px}
.stat b{display:block;font-size:22px}
.bad{color:#b42318}.warn{color:#b54708}.ok{color:#067647}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #d9e2ec;padding:3px 8px;text-align:left}
th{background:#f0f4f8}
section.unit{border:1px solid #d9e2ec;border-radius:6px;padding:10px 14px;margin:10px 0}
section.unit.errors{border-left:6px solid #b42318}section.unit.excluded{background:#fffaeb}
ul{margin:4px 0 4px 20px;padding:0}li{margin:2px 0}
.chart{margin:8px 0;overflow-x:auto}.note{color:#52606d;font-size:13px}
"""


def _bar_chart(items: list[tuple[str, int]], title: str) -> str:
    """Horizontal bars, one per item, labelled with the name and the figure."""
    if not items:
        return f'<p class="note">{escape(title)}：没有可画的数据。</p>'
    top = max(v for _, v in items) or 1
    row_h, label_w, bar_w = 22, 240, 760
    height = row_h * len(items) + 40
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
             f'width="{label_w + bar_w + 80}" height="{height}" font-size="12">'),
             f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>']
    for i, (name, value) in enumerate(items):
        y = 30 + i * row_h
        w = round(bar_w * value / top)
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">{escape(name[:18])}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w}" height="{row_h - 6}" fill="#2f6fb2">'
                     f'<title>{escape(name)}：{value}</title></rect>'
                     f'<text x="{label_w + w + 4}" y="{y + 14}">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _pair_chart(items: list[tuple[str, int, int]], this_year: int) -> str:
    """Grouped bars: this year against last year for the county's main figures."""
    top = max([max(a, b) for _, a, b in items] or [1]) or 1
    group_w, bar_w, plot_h = 120, 40, 220
    width = group_w * len(items) + 40
    parts = [(f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="本年与上年对比" '
             f'width="{width}" height="{plot_h + 90}" font-size="12">'),
             '<text x="0" y="16" font-size="14" font-weight="bold">县合计：本年与上年对比</text>',
             f'<rect x="10" y="26" width="12" height="12" fill="#9fb3c8"/><text x="26" y="37">{this_year - 1}年</text>',
             f'<rect x="90" y="26" width="12" height="12" fill="#2f6fb2"/><text x="106" y="37">{this_year}年</text>']
    base = plot_h + 50
    for i, (label, last, now) in enumerate(items):
        x = 20 + i * group_w
        for j, (value, colour) in enumerate(((last, "#9fb3c8"), (now, "#2f6fb2"))):
            h = round(plot_h * value / top)
            bx = x + j * (bar_w + 4)
            parts.append(f'<rect x="{bx}" y="{base - h}" width="{bar_w}" height="{h}" fill="{colour}">'
                         f'<title>{escape(label)}：{value}</title></rect>'
                         f'<text x="{bx + bar_w / 2}" y="{base - h - 3}" text-anchor="middle">{value}</text>')
        parts.append(f'<text x="{x + bar_w + 2}" y="{base + 16}" text-anchor="middle">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _main_figures(get) -> list[tuple[str, int]]:
    """(label, value) of the figures a reader compares year on year; get(cid) → int."""
    def t3(row: str) -> int:
        return sum(get(f"t3.{row}.{c}") or 0 for c in fmt.COLUMN_KEYS)

    def t4(block: str) -> int:
        return sum(get(f"t4.{block}.{c}") or 0 for c in fmt.OUTCOME_KEYS_T4)

    closed = sum(t3(r) for r in fmt.OUTCOME_KEYS)
    return [("新收申请", t3("new")), ("上年结转", t3("carried")), ("办结", closed), ("结转下年", t3("carry_next")),
            ("行政复议", t4("review")), ("行政诉讼", t4("direct_suit") + t4("suit_after_review")),
            ("行政许可", get("t2.licensing") or 0), ("行政处罚", get("t2.penalty") or 0)]


def review_html(rollup: Rollup, *, title: str | None = None) -> str:
    """A self-contained review page (no external files, no script)."""
    county = rollup.county
    title = title or f"{county.agency.name}{rollup.year}年政府信息公开工作年度报告汇总审核"
    units = sorted(rollup.units, key=lambda u: (-u.errors, -u.warnings, u.counted, u.name))
    blocking = rollup.blocking
    out = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
           f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>",
           f"<h1>{escape(title)}</h1>",
           (f'<p class="note">收到 {len(rollup.units)} 份报告，计入合计 {len(rollup.counted)} 份。'
           f'单位按“错误”条数从多到少排列。</p>'),
           '<div class="summary">',
           f'<div class="stat"><b>{len(rollup.units)}</b>收到的报告</div>',
           f'<div class="stat"><b class="ok">{len(rollup.counted)}</b>计入合计</div>',
           f'<div class="stat"><b class="{"bad" if blocking else "ok"}">{len(blocking)}</b>需处理的问题</div>',
           f'<div class="stat"><b class="bad">{sum(1 for u in rollup.units if u.errors)}</b>有错误的单位</div>',
           f'<div class="stat"><b class="warn">{sum(1 for u in rollup.units if u.on_time is False)}</b>逾期发布</div>',
           "</div>"]

    out.append('<h2 id="problems">需要处理的问题</h2>')
    if rollup.problems:
        out.append("<ul>")
        for p in rollup.problems:
            cls = "bad" if p.blocking else "warn"
            out.append(f'<li class="{cls}">【{escape(PROBLEM_KINDS.get(p.kind, p.kind))}】{escape(p.message)}</li>')
        out.append("</ul>")
    else:
        out.append('<p class="ok">没有需要处理的问题。</p>')

    out.append('<h2 id="charts">各单位申请数</h2><div class="chart">')
    ranked = sorted((u for u in rollup.units if u.figures and not u.failure), key=lambda u: -u.applications)
    shown = ranked[:_CHART_MAX_UNITS]
    label = "各单位本年新收政府信息公开申请数"
    if len(ranked) > len(shown):
        label += f"（最多的 {len(shown)} 个单位，共 {len(ranked)} 个）"
    out.append(_bar_chart([(u.name, u.applications) for u in shown], label))
    out.append("</div>")
    out.append(f'<h2 id="units">各单位（{len(units)}）</h2>')
    for n, u in enumerate(units, 1):
        classes = ["unit"] + (["errors"] if u.errors else []) + ([] if u.counted else ["excluded"])
        published = u.published.isoformat() if u.published else "未填"
        deadline = u.deadline.isoformat() if u.deadline else "未知"
        timely = {None: "无法判断是否按期", True: "按期发布", False: "逾期发布"}[u.on_time]
        out.append(f'<section class="{" ".join(classes)}" id="unit-{n}" data-errors="{u.errors}">'
                   f"<h3>{escape(u.name)}</h3>"
                   f'<p class="note">{escape(Path(u.file).name)} · {escape(u.kind or "类型未填")} · '
                   f'{u.year or "年度未填"}年 · 发布日期 {published}（期限 {deadline}，{timely}） · '
                   f'<span class="bad">错误 {u.errors}</span> · <span class="warn">警告 {u.warnings}</span> · '
                   f'{"计入合计" if u.counted else "未计入合计"}{("：" + escape(u.reason)) if u.reason else ""}</p>')
        if u.failure:
            out.append(f'<p class="bad">{escape(u.failure)}</p>')
        if u.findings:
            out.append("<ul>" + "".join(f"<li>{escape(line)}</li>" for line in u.findings) + "</ul>")
        elif not u.failure:
            out.append('<p class="ok">检查没有发现错误或警告。</p>')
        out.append("</section>")
    out.append('<h2 id="years">本年与上年</h2>')
    if rollup.previous is not None:
        prev = dict(zip((f.cid for f in FIGURES), rollup.previous))
        now = dict(zip((f.cid for f in FIGURES), figures_of(county)))
        pairs = [(lab, a, b) for (lab, a), (_, b) in zip(_main_figures(prev.get), _main_figures(now.get))]
        out.append(f'<div class="chart">{_pair_chart(pairs, rollup.year)}</div>')
    else:
        out.append('<p class="note">没有给出上年县报告（--previous），不画本年与上年的对比。</p>')

    out.append('<h2 id="sums">县报告草稿的主要数字</h2><table><tr><th>项目</th><th>合计</th></tr>')
    sums = dict(zip((f.cid for f in FIGURES), figures_of(county)))
    for lab, value in _main_figures(sums.get):
        out.append(f"<tr><td>{escape(lab)}</td><td>{value}</td></tr>")
    out.append(f"<tr><td>{escape(fmt.ROW_FEE)}（万元）</td><td>{rollup.fee_wan}</td></tr></table>")
    if rollup.findings:
        out.append("<h3>县报告草稿的检查结果</h3><ul>")
        for f in rollup.findings:
            out.append(f"<li>[{escape(f.rule)}] {escape(f.severity.value)} {escape(f.location)}：{escape(f.message)}</li>")
        out.append("</ul>")

    out.append("</body></html>\n")
    return "\n".join(out)
