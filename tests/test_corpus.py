"""Imports as people really have them: run-together cells split by the tables' arithmetic or
marked 待核对, an honest per-table summary, titles broken after the agency name, and every shared
sample by every route and degradation of bench/corpus.py (issue 10)."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from gkassist import format as fmt
from gkassist.checks import Severity, check
from gkassist.cli import print_import
from gkassist.example import example_report
from gkassist.importers import import_file, import_text
from gkassist.render import render_docx, render_text

sys.path.insert(0, str(ROOT / "bench"))

import corpus
from degrade import DEGRADATIONS, run_together


def _example_text() -> str:
    return render_text(example_report(), "txt")


def _figures(r) -> dict:
    return {"t2": r.proactive.model_dump(), "t3": r.applications.model_dump(), "t4": r.reviews.model_dump()}


def _printed(result) -> str:
    from rich.console import Console

    console = Console(file=io.StringIO(), width=300, color_system=None)
    print_import(result, console)
    return console.file.getvalue()


# ------------------------------------------------------------------ run-together cells


def test_run_together_table_with_a_unique_split_gives_every_figure():
    text = _example_text()
    cut = text.index("三、收到和处理政府信息公开申请情况")
    glued = text[:cut] + run_together(text[cut:])
    assert "一、本年新收政府信息公开申请数量92000011" in glued  # the cells really are run together
    result = import_text(glued, "连写.txt")
    r = result.report
    assert _figures(r) == _figures(example_report())
    status = r.printed.cell_status
    assert status["t3.new.natural_person"] == "split" and status["t4.review.upheld"] == "split"
    assert r.draft.pending == {}
    assert any("按勾稽关系拆分" in f for f in result.found)
    t3 = next(t for t in result.tables if t.name == "表三")
    assert t3.complete and t3.split == t3.expected
    assert not [f for f in check(r) if f.rule in ("R1", "R2", "R3", "R4")]


def test_ambiguous_run_together_row_is_pending_with_a_finding_and_no_figure():
    text = re.sub(r"^行政规范性文件\t.*$", "行政规范性文件\t1011", _example_text(), count=1, flags=re.MULTILINE)
    result = import_text(text, "连写.txt")
    r = result.report
    assert (r.proactive.normative.issued, r.proactive.normative.repealed, r.proactive.normative.in_force) == \
        (None, None, None)
    status = r.printed.cell_status
    assert all(status[f"t2.normative.{c}"] == "pending" for c in ("issued", "repealed", "in_force"))
    issued = r.draft.pending["t2.normative.issued"]
    assert {1, 10} <= set(issued.candidates) and "1011" in issued.reason
    assert r.printed.cells.get("t2.normative.issued") is None  # nothing invented as printed
    pending = [f for f in check(r) if f.rule == "R7" and "待核对" in f.message]
    assert pending and pending[0].location == "表二" and pending[0].severity is Severity.WARNING
    out = _printed(result)
    assert "✗ 表二：读到 7/10 格，3 格待核对" in out and "✓ 表二" not in out


def test_row_whose_digits_fit_no_split_is_blank_with_a_finding():
    text = _example_text().replace("一、本年新收政府信息公开申请数量\t\t\t9\t2\t0\t0\t0\t0\t11",
                                   "一、本年新收政府信息公开申请数量\t\t\t9200009")
    r = import_text(text, "x.txt").report
    assert r.applications.rows["new"].natural_person is None
    assert r.printed.cell_status["t3.new.total"] == "pending"
    assert any(f.rule == "R7" and f.location == "表三" for f in check(r))
    assert not [f for f in check(r) if f.rule in ("R1", "R2", "R3")]  # unknown cells are not zeros


# ------------------------------------------------------------------ the summary


def test_summary_never_ticks_a_table_with_a_blank_cell():
    full = import_text(_example_text(), "全.txt")
    assert "✓ 表三：读到 175/175 格，勾稽关系成立" in _printed(full)
    text = _example_text().replace("（一）予以公开\t\t5\t2\t", "（一）予以公开\t\t5\t\t", 1)
    result = import_text(text, "缺一格.txt")
    t3 = next(t for t in result.tables if t.name == "表三")
    assert not t3.complete and t3.got == 174
    out = _printed(result)
    assert "✗ 表三：读到 174/175 格" in out and "✓ 表三" not in out
    assert "表三：24 行" not in out  # the row count is not shown as if it were the table


# ------------------------------------------------------------------ titles broken after the agency


@pytest.mark.parametrize("agency", ["江苏省淮安市某某经济技术开发区管理委员会", "某某省某某市某某高新技术产业开发区"])
def test_own_word_file_whose_title_breaks_after_the_agency_keeps_it(tmp_path: Path, agency: str):
    report = example_report()
    report.agency.name = agency
    path = tmp_path / "报告.docx"
    path.write_bytes(render_docx(report))
    from gkassist.importers.docx import docx_to_lines

    assert docx_to_lines(path.read_bytes())[0] == agency  # the title really breaks after the agency
    back = import_file(path).report
    assert back.agency.name == agency
    assert back.printed.title == f"{agency}{report.year}年政府信息公开工作年度报告"


def test_text_title_broken_across_lines_keeps_the_agency():
    text = _example_text().replace("青禾镇人民政府2025年政府信息公开工作年度报告",
                                   "某某综合实验区\n2025年政府信息公开工作年度报告", 1)
    r = import_text(text, "x.txt").report
    assert r.agency.name == "某某综合实验区" and r.year == 2025


# ------------------------------------------------------------------ one guess of the agency's level


KINDS = [
    ("高平镇人民政府", fmt.AgencyKind.TOWN), ("某某民族乡人民政府", fmt.AgencyKind.TOWNSHIP),
    ("青松街道办事处", fmt.AgencyKind.SUBDISTRICT), ("某区人民政府某某街道办事处", fmt.AgencyKind.SUBDISTRICT),
    ("沭阳县发展和改革局", fmt.AgencyKind.COUNTY_DEPARTMENT), ("某某县人民政府办公室", fmt.AgencyKind.COUNTY_DEPARTMENT),
    ("某市某区人民政府", fmt.AgencyKind.COUNTY_GOVERNMENT), ("某某自治县人民政府", fmt.AgencyKind.COUNTY_GOVERNMENT),
    ("苏州市昆山市人民政府", fmt.AgencyKind.COUNTY_GOVERNMENT), ("某某旗人民政府", fmt.AgencyKind.COUNTY_GOVERNMENT),
    ("淮安市人民政府", fmt.AgencyKind.CITY_GOVERNMENT), ("某某自治州人民政府", fmt.AgencyKind.CITY_GOVERNMENT),
    ("某某市市场监督管理局", fmt.AgencyKind.CITY_DEPARTMENT), ("淮安市人民政府办公室", fmt.AgencyKind.CITY_DEPARTMENT),
    ("某某县城市管理局", fmt.AgencyKind.COUNTY_DEPARTMENT), ("某省交通运输厅", fmt.AgencyKind.PROVINCIAL_DEPARTMENT),
    ("广西壮族自治区教育厅", fmt.AgencyKind.PROVINCIAL_DEPARTMENT), ("北京市教育委员会", fmt.AgencyKind.PROVINCIAL_DEPARTMENT),
    ("某某自治区人民政府", fmt.AgencyKind.OTHER), ("国家发展和改革委员会", fmt.AgencyKind.OTHER),
]


@pytest.mark.parametrize("name, kind", KINDS)
def test_one_guess_of_the_agency_level(name, kind):
    from gkassist.agency import guess_kind
    from gkassist.importers.front import guess_kind as importer_guess
    from gkassist.interview.agency import guess_kind as interview_guess

    assert importer_guess is guess_kind and interview_guess is guess_kind
    assert guess_kind(name) is kind


def test_imported_agency_kind_comes_from_the_same_guess():
    text = _example_text().replace("青禾镇人民政府2025年", "某某自治区人民政府2025年", 1)
    r = import_text(text, "x.txt").report
    assert r.agency.name == "某某自治区人民政府" and r.agency.kind is fmt.AgencyKind.OTHER


# ------------------------------------------------------------------ the corpus


def test_every_sample_route_and_degradation_is_exact_or_marked(samples_dir):
    outcomes = corpus.run(samples_dir, pdf=False)
    routes = {o.route for o in outcomes}
    assert {"文本", "HTML", "Markdown", "Word", *DEGRADATIONS} <= routes
    assert len(outcomes) == 3 * (4 + len(DEGRADATIONS))
    for o in outcomes:
        assert o.score is not None, f"{o.sample} {o.route}: {o.error}"
        assert o.score.wrong == [], f"{o.sample} {o.route}: a wrong figure presented as read: {o.score.wrong}"
        if o.sample in corpus.CLEAN:
            assert o.score.false_errors == [], f"{o.sample} {o.route}: {o.score.false_errors}"
        if o.route in ("文本", "HTML", "Markdown", "Word"):
            assert o.score.tables_exact == 3, f"{o.sample} {o.route}"
    # The degradations really degrade: some cells could only be split or left 待核对.
    glued = [o for o in outcomes if o.route == "数字连写"]
    assert sum(o.score.pending for o in glued if o.score) > 0
    huaian = next(o for o in glued if o.sample == "2024_huaian-shi")
    assert huaian.score is not None and huaian.score.tables_exact >= 1


# ------------------------------------------------------------------ the report, not the page


def _portal_text() -> str:
    from degrade import PORTAL_FOOT, PORTAL_HEAD

    body = _example_text().replace("2026年1月20日", "")  # the page carries the date, the report does not
    crawler = ["标题: 青禾镇人民政府2025年政府信息公开工作年度报告", "发布时间：2026-01-22 09:30  来源：青禾镇"]
    return "\n".join(crawler + PORTAL_HEAD) + "\n" + body + "\n" + "\n".join(PORTAL_FOOT)


def test_portal_page_text_gives_the_report_without_the_page():
    assert "2026年1月20日" in _example_text()
    r = import_text(_portal_text(), "网页.txt").report
    assert r.agency.name == "青禾镇人民政府" and r.year == 2025
    assert r.printed.title == "青禾镇人民政府2025年政府信息公开工作年度报告"
    assert str(r.published) == "2026-01-22"  # from the page's 发布时间
    everything = f"{r.preface}\n{r.contact}\n{r.other.other}\n{r.other.fee_statement}\n{r.printed.text}"
    for chrome in ("登录 注册", "注册", "当前位置", "分享到", "网站标识码", "ICP备", "上一篇", "附件：", "主办单位"):
        assert chrome not in everything, chrome
    assert _figures(r) == _figures(example_report())
    assert r.preface.startswith("根据《中华人民共和国政府信息公开条例》")


def test_portal_html_page_gives_the_report_without_the_page(tmp_path: Path):
    html = render_text(example_report(), "html")
    chrome = ('<div class="nav"><a href="/">首页</a> | <a>政务公开</a> | <a>政策文件</a></div>'
              '<div class="login"><a>登录</a> <a>注册</a></div><div>当前位置：首页 &gt; 政务公开 &gt; 年报</div>')
    footer = ('<div>分享到：<a>微信</a> <a>微博</a></div><div>附件：</div><div>1. 报告.pdf</div>'
              '<div>网站标识码：3200000000 苏ICP备00000000号</div>')
    page = html.replace("<body>", "<body>" + chrome, 1).replace("</body>", footer + "</body>", 1)
    assert chrome in page and footer in page
    path = tmp_path / "年报.html"
    path.write_text(page, encoding="utf-8")
    r = import_file(path).report
    everything = f"{r.preface}\n{r.other.other}\n{r.other.fee_statement}\n{r.printed.text}"
    for word in ("注册", "当前位置", "分享到", "网站标识码", "ICP备", "附件："):
        assert word not in everything, word
    assert r.agency.name == "青禾镇人民政府" and _figures(r) == _figures(example_report())


# ------------------------------------------------------------------ converted tables, narrative rows


def _converted_markdown() -> str:
    md = render_text(example_report(), "md")
    # The Markdown repeats the group labels on every row of table 三.
    no_correction = "三、本年度办理结果 （六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
    no_fee = "三、本年度办理结果 （六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
    repeat = "| 三、本年度办理结果 （五）不予处理 2.重复申请 |"
    assert f"| {no_correction} |" in md and f"| {no_fee} |" in md and repeat in md
    md = md.replace(f"| {no_correction} |", "| 行政机关不再处理其政府信息公 |")  # label cut at both ends
    md = md.replace(f"| {no_fee} |", "| 2.申请人逾期未按收费通知要求缴纳费用、 | 行政机关不再处理其政府信息公开申请 |")
    return md.replace(repeat, "|")  # a row with no label at all


def test_converted_markdown_rows_are_matched_by_piece_and_position():
    r = import_text(_converted_markdown(), "转换.md").report
    assert _figures(r) == _figures(example_report())
    status = r.printed.cell_status
    for key in ("other_no_correction", "other_no_fee", "refused_repeat"):
        assert status[f"t3.{key}.natural_person"] == "read", key
    assert not [f for f in check(r) if f.rule in ("R1", "R2", "R3", "R4")]


def test_row_with_a_missing_cell_is_not_shifted():
    md = render_text(example_report(), "md")
    assert "| 规章 | 0 | 0 | 0 |" in md
    dash = import_text(md.replace("| 规章 | 0 | 0 | 0 |", "| 规章 | 22 | – | 235 |"), "x.md").report
    assert (dash.proactive.rules.issued, dash.proactive.rules.repealed, dash.proactive.rules.in_force) == \
        (22, None, 235)
    lost = import_text(md.replace("| 规章 | 0 | 0 | 0 |", "| 规章 | 22 | 235 |"), "x.md").report
    rules = lost.proactive.rules
    assert (rules.issued, rules.repealed, rules.in_force) == (None, None, None)  # never 制发 22, 废止 235
    assert {lost.printed.cell_status[f"t2.rules.{c}"] for c in ("issued", "repealed", "in_force")} == {"pending"}
    assert 22 in lost.draft.pending["t2.rules.issued"].candidates


def test_a_sentence_with_figures_never_fills_a_row():
    sentence = "行政规范性文件 13 件；规划计划文件 2 件；2024 年度部门预算已按时公开。"
    for text in (_example_text(), _example_text().replace("\t", " ")):
        text = text.replace("第二十条第（一）项", f"{sentence}\n第二十条第（一）项", 1)
        r = import_text(text, "x.txt").report
        n = r.proactive.normative
        assert (n.issued, n.repealed, n.in_force) == (2, 1, 14)


def test_a_heading_on_the_row_line_does_not_lend_its_numbers():
    text = _example_text().replace("\t", " ")
    i, j = text.index("四、结转下年度继续办理"), text.index("五、存在的主要问题")
    one_line = text[:i] + text[i:j].replace("\n", " ") + "\n" + text[j:]
    r = import_text(one_line, "x.txt").report
    assert r.applications.rows["carry_next"].model_dump() == example_report().applications.rows["carry_next"].model_dump()
    assert not [f for f in check(r) if f.rule in ("R1", "R2", "R3")]


# ------------------------------------------------------------------ old 2019 reports


def test_2019_row_with_one_number_keeps_its_tab_column_and_2019_is_not_held_to_2021_rules():
    from test_import import _old_2019_text

    partial = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    text = _old_2019_text().replace("2021年", "2020年")
    assert f"{partial}\t1\t0\t0\t0\t0\t0\t1" in text
    text = text.replace(f"{partial}\t1\t0\t0\t0\t0\t0\t1", f"{partial}\t\t3\t\t\t\t\t")
    r = import_text(text, "2019.txt").report
    assert r.printed.layout == "2019"
    assert r.applications.rows["partial"].commercial == 3  # the TAB position, not 总计
    assert r.applications.rows["partial"].natural_person is None
    assert r.printed.cells["t3.partial.total"] == ""
    found = check(r)
    assert not [f for f in found if f.rule == "D7" or (f.rule == "R7" and f.location.startswith("表二"))]
    assert not [f for f in found if f.rule == "R7" and "1.申请人无正当理由" in f.location]
    assert [f for f in found if f.rule == "R7" and "部分公开" in f.location]  # blank cells the 2019 table had


def test_agency_from_the_signature_when_the_title_has_none():
    text = _example_text().replace("青禾镇人民政府2025年政府信息公开工作年度报告", "2025年政府信息公开工作年度报告", 1)
    assert text.rstrip().endswith("青禾镇人民政府\n2026年1月20日")
    r = import_text(text, "x.txt").report
    assert r.agency.name == "青禾镇人民政府" and r.agency.kind is fmt.AgencyKind.TOWN


def test_arithmetic_split_candidates_and_bounds():
    from gkassist.importers import arith

    assert arith.splits(["300153006143119"], [7], True) == [(3001, 53, 0, 0, 61, 4, 3119)]
    assert arith.splits(["000"], [3], False) == [(0, 0, 0)]
    assert sorted(arith.splits(["1011"], [3], False)) == [(1, 0, 11), (10, 1, 1)]
    assert arith.splits(["0123"], [2], False) == [(0, 123)]  # no leading zeros except 0 itself
    assert arith.splits(["72641783735113481261211620"], [5, 5, 5], True)  # table 四 with its three sums
    text = _example_text().replace("一、本年新收政府信息公开申请数量\t\t\t9\t2\t0\t0\t0\t0\t11",
                                   "一、本年新收政府信息公开申请数量\t" + "1" * 600)
    r = import_text(text, "长串.txt").report  # a hostile run of digits stays cheap and undecided
    assert r.printed.cell_status["t3.new.natural_person"] == "pending"
    assert r.applications.rows["new"].natural_person is None


def test_table_two_split_uses_the_figures_the_narrative_states():
    assert "本年制发行政规范性文件2件，废止1件，现行有效14件" in _example_text()
    text = re.sub(r"^行政规范性文件\t.*$", "行政规范性文件\t2114", _example_text(), count=1, flags=re.MULTILINE)
    r = import_text(text, "x.txt").report
    n = r.proactive.normative
    assert (n.issued, n.repealed, n.in_force) == (2, 1, 14)
    assert r.printed.cell_status["t2.normative.issued"] == "split"
    silent = text.replace("本年制发行政规范性文件2件，废止1件，现行有效14件", "本年按计划制发和清理文件")
    n = import_text(silent, "x.txt").report.proactive.normative
    assert (n.issued, n.repealed, n.in_force) == (None, None, None)  # 2/1/14, 21/1/4, 2/11/4 … all fit
