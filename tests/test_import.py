"""Import: the three published samples to the exact figures of samples/README.md, the Word template
as an empty report, HTML and Word tables with merged cells, encodings, junk, and the round trip."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.cli import print_import
from gkassist.importers import ImportResult, import_file, import_text
from gkassist.importers.front import guess_kind
from gkassist.importers.html import html_to_lines
from gkassist.importers.labels import Token, norm
from gkassist.importers.tables import fit_cells
from gkassist.model import Report

COLS = fmt.COLUMN_KEYS + ("total",)
HURRY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def t3(report: Report, row: str) -> list[int | None]:
    """A row of table 三 as the six entered cells plus the derived 总计."""
    values = [report.applications.value(row, c) for c in fmt.COLUMN_KEYS]
    return values + [report.applications.cell(row, "total")]


def t3_total(report: Report) -> list[int]:
    return [report.applications.cell("total", c) for c in COLS]


def printed(report: Report, cid: str) -> str | None:
    return report.printed.cells.get(cid)


def t4(report: Report) -> list[int | None]:
    out: list[int | None] = []
    for block, _ in fmt.T4_BLOCKS:
        b = report.reviews.block(block)
        out += [getattr(b, c) for c in fmt.OUTCOME_KEYS_T4] + [b.total]
    return out


# ------------------------------------------------------------------ the three samples


def test_gaoping_all_zero_with_three_rows_that_kept_only_their_total(samples_dir):
    result = import_file(samples_dir / "2021_gaopingzhen.txt")
    r = result.report
    assert result.source_kind == "text"
    assert r.agency.name == "高平镇人民政府"
    assert r.agency.kind is fmt.AgencyKind.TOWN
    assert r.year == 2021
    p = r.proactive
    for docs in (p.rules, p.normative):
        assert (docs.issued, docs.repealed, docs.in_force) == (0, 0, 0)
    assert (p.licensing, p.penalty, p.enforcement) == (0, 0, 0)
    assert p.fee == Decimal("0")
    lost = ("public", "partial", "withheld_secret")
    for row in fmt.ROW_KEYS:
        if row in lost:
            assert r.applications.row(row).blank, row
            assert printed(r, f"t3.{row}.total") == "0"
            assert [printed(r, f"t3.{row}.{c}") for c in fmt.COLUMN_KEYS] == [""] * 6
        else:
            assert t3(r, row) == [0] * 7, row
    assert [printed(r, f"t3.total.{c}") for c in COLS] == ["0"] * 7
    assert t4(r) == [0] * 15
    # What the checker needs to see the defects listed in samples/README.md.
    assert r.printed.headings.count("一、总体情况") == 2
    assert r.printed.headings.count("五、存在的主要问题及改进情况") == 2
    assert "2.其他法律法规禁止公开" in r.printed.labels
    assert "全乡" in r.printed.text and "我乡" in r.printed.text
    assert r.other.fee_statement == ""
    assert "未找到 六 中关于信息处理费的说明" in result.missing
    assert "类型（推测）：镇" in result.found
    assert r.overview.proactive and r.overview.supervision
    assert r.problems.problems and r.problems.improvements


def test_shuyang_blank_org_columns_stay_blank(samples_dir):
    result = import_file(samples_dir / "2023_shuyang-fagaiju.txt")
    r = result.report
    assert r.agency.name == "沭阳县发展和改革局"
    assert r.agency.kind is fmt.AgencyKind.COUNTY_DEPARTMENT
    assert r.year == 2023
    assert r.published == date(2024, 1, 17)
    p = r.proactive
    assert (p.rules.issued, p.rules.repealed, p.rules.in_force) == (0, 0, 0)
    assert (p.normative.issued, p.normative.repealed, p.normative.in_force) == (8, 0, 18)
    assert (p.licensing, p.penalty, p.enforcement, p.fee) == (0, 0, 0, Decimal("0"))
    for row in fmt.ROW_KEYS:
        natural = 26 if row in ("new", "public") else 0
        assert r.applications.value(row, "natural_person") == natural, row
        for c in fmt.ORG_COLUMN_KEYS:
            assert r.applications.value(row, c) is None, (row, c)
            assert printed(r, f"t3.{row}.{c}") == ""
        assert printed(r, f"t3.{row}.total") == str(natural)
        assert r.applications.cell(row, "total") == natural
    assert [printed(r, f"t3.total.{c}") for c in COLS] == ["26", "", "", "", "", "", "26"]
    assert t4(r) == [0, 0, 0, 1, 1] + [0] * 10
    assert "规范性文件" in r.printed.labels
    assert "五、存在的主要问题及整改措施" in r.printed.headings
    assert r.problems.problems and r.problems.improvements
    assert "信息处理费" not in r.other.fee_statement and "收费" in r.other.fee_statement
    assert "机关：沭阳县发展和改革局" in result.found


def test_huaian_pdf_text_every_figure(samples_dir):
    result = import_file(samples_dir / "2024_huaian-shi.txt")
    r = result.report
    assert r.agency.name == "淮安市人民政府"
    assert r.agency.kind is fmt.AgencyKind.CITY_GOVERNMENT
    assert r.year == 2024
    p = r.proactive
    assert (p.rules.issued, p.rules.repealed, p.rules.in_force) == (1, 0, 11)
    assert (p.normative.issued, p.normative.repealed, p.normative.in_force) == (8, 26, 66)
    assert (p.licensing, p.penalty, p.enforcement) == (447228, 3985758, 88283)
    assert p.fee == Decimal("96171.6")
    assert t3(r, "new") == [3001, 53, 0, 0, 61, 4, 3119]
    assert t3(r, "carried") == [34, 0, 0, 0, 0, 0, 34]
    assert t3(r, "public") == [1288, 21, 0, 0, 50, 3, 1362]
    assert t3(r, "partial") == [447, 7, 0, 0, 0, 0, 454]
    assert t3_total(r) == [2932, 53, 0, 0, 61, 4, 3050]
    assert [printed(r, f"t3.total.{c}") for c in COLS] == ["2932", "53", "0", "0", "61", "4", "3050"]
    assert t3(r, "carry_next") == [103, 0, 0, 0, 0, 0, 103]
    # Every row's derived 总计 equals the one it printed (labels broken over lines and pages).
    for row in fmt.ROW_KEYS:
        assert str(r.applications.cell(row, "total")) == printed(r, f"t3.{row}.total"), row
    assert t3(r, "other_no_correction") == [67, 3, 0, 0, 1, 0, 71]
    assert t3(r, "unable_needs_making") == [11, 0, 0, 0, 0, 0, 11]
    assert t4(r) == [72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20]
    assert r.other.fee_yuan == Decimal("3940")
    assert "信息处理费" in r.other.fee_statement
    assert r.problems.problems.startswith("对照") and "下一步" in r.problems.improvements
    assert "联系" in r.contact
    assert all(r.overview.parts()[i][2] for i in range(5))


def test_word_template_is_an_empty_2021_report(samples_dir):
    result = import_file(samples_dir / "format-2021-template.docx")
    r = result.report
    assert result.source_kind == "docx"
    assert r.printed.layout == "2021"
    assert r.printed.headings == list(fmt.SECTION_HEADINGS)
    assert all(r.applications.row(k).blank for k in fmt.ROW_KEYS)
    assert r.proactive.normative.issued is None and r.proactive.fee is None
    assert t4(r)[:4] == [None] * 4
    assert "表三：24 行，含（七）总计" in result.found
    assert r.printed.cells["t3.new.natural_person"] == ""
    assert r.overview.proactive == "" and r.other.fee_statement == ""  # placeholders are not text


def test_checks_find_the_listed_defects(samples_dir):
    from gkassist.checks import Severity, check

    def rules(name: str) -> tuple[set[str], list]:
        findings = check(import_file(samples_dir / name).report)
        return {f.rule for f in findings}, findings

    huaian, findings = rules("2024_huaian-shi.txt")
    assert not [f for f in findings if f.severity is Severity.ERROR], findings
    gaoping, _ = rules("2021_gaopingzhen.txt")
    assert {"D7", "D8", "D9", "D10"} <= gaoping and ({"R7", "D6"} & gaoping)
    shuyang, _ = rules("2023_shuyang-fagaiju.txt")
    assert {"D7", "R7"} <= shuyang
    assert "D10" not in shuyang and "D12" not in shuyang


# ------------------------------------------------------------------ the CLI


def test_cli_import_saves_and_exits_0(samples_dir, cli, workspace, tmp_path):
    out = tmp_path / "淮安.json"
    proc = cli("import", str(samples_dir / "2024_huaian-shi.txt"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "机关：淮安市人民政府" in proc.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["proactive"]["licensing"] == 447228


def test_cli_import_of_junk_exits_2_with_a_reason(cli, workspace, tmp_path):
    junk = tmp_path / "乱码.txt"
    junk.write_bytes(bytes(range(256)) * 4)
    proc = cli("import", str(junk))
    assert proc.returncode == 2
    assert "乱码.txt" in proc.stderr and "不是文本文件" in proc.stderr
    assert "Traceback" not in proc.stderr


# ------------------------------------------------------------------ a report of our own, in HTML and Word

AGENCY = "青松街道办事处"


def _figure(row_index: int, col_index: int) -> int:
    return (row_index * 7 + col_index * 3) % 23


def _t3_values() -> dict[str, list[int]]:
    return {row.key: [_figure(i, j) for j in range(6)] for i, row in enumerate(fmt.T3_ROWS)}


def _assert_own_figures(r: Report) -> None:
    assert r.agency.name == AGENCY and r.agency.kind is fmt.AgencyKind.SUBDISTRICT and r.year == 2022
    for key, values in _t3_values().items():
        assert t3(r, key)[:6] == values, key
        assert printed(r, f"t3.{key}.total") == str(sum(values))
    assert (r.proactive.normative.issued, r.proactive.normative.repealed, r.proactive.normative.in_force) == (3, 1, 9)
    assert r.proactive.licensing == 41 and r.proactive.penalty == 5 and r.proactive.fee == Decimal("1.25")
    assert t4(r) == [2, 1, 0, 1, 4, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1]


def _t3_html() -> str:
    rows = []
    head = ('<tr><td rowspan="3" colspan="3">{}</td><td colspan="7">申请人情况</td></tr>'
            '<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>'
            '<tr>{}</tr>').format(fmt.T3_HEADER, "".join(f"<td>{c.label}</td>" for c in fmt.APPLICANT_COLUMNS[1:]))
    rows.append(head)
    values = _t3_values()

    def nums(vals: list[int]) -> str:
        return "".join(f"<td>{v}</td>" for v in vals + [sum(vals)])

    group_sizes = dict(fmt.GROUP_SIZES)
    seen_group: set[str] = set()
    first_result = True
    for row in fmt.T3_DISPLAY_ROWS:
        if row.key == "total":
            total = [sum(values[k][j] for k in fmt.OUTCOME_KEYS) for j in range(6)]
            rows.append(f'<tr><td colspan="2">{row.label}</td>{nums(total)}</tr>')
            continue
        cells = ""
        if not row.outcome:
            rows.append(f'<tr><td colspan="3">{row.label}</td>{nums(values[row.key])}</tr>')
            continue
        if first_result:
            cells += f'<td rowspan="22">{fmt.RESULTS_GROUP}</td>'
            first_result = False
        if row.group is None:
            cells += f'<td colspan="2">{row.label}</td>'
        else:
            if row.group not in seen_group:
                seen_group.add(row.group)
                cells += f'<td rowspan="{group_sizes[row.group]}">{fmt.GROUP_LABEL[row.group]}</td>'
            cells += f"<td>{row.label}</td>"
        rows.append(f"<tr>{cells}{nums(values[row.key])}</tr>")
    return "<table border=1>" + "".join(rows) + "</table>"


def _own_html() -> str:
    s = fmt.SECTION_HEADINGS
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>页面</title>
<style>td {{ border: 1px solid }}</style><script>var x = "<td>9</td>";</script></head><body>
<div class="layout"><h1>{AGENCY}2022年政府信息公开工作年度报告</h1>
<p>本报告依照条例编写，统计期间为2022年1月1日至2022年12月31日。</p>
<h2>{s[0]}</h2><p>（一）主动公开&nbsp;本街道按时更新公开专栏。</p><p>（二）依申请公开&nbsp;申请均按期答复。</p>
<h2>{s[1]}</h2>
<table><tr><td colspan="4">{fmt.ARTICLE_1}</td></tr>
<tr><td>{fmt.INFO_CONTENT}</td><td>{fmt.COL_ISSUED}</td><td>{fmt.COL_REPEALED}</td><td>{fmt.COL_IN_FORCE}</td></tr>
<tr><td>{fmt.ROW_RULES}</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>{fmt.ROW_NORMATIVE}</td><td>3</td><td>1</td><td>9</td></tr>
<tr><td colspan="4">{fmt.ARTICLE_5}</td></tr><tr><td>{fmt.INFO_CONTENT}</td><td colspan="3">{fmt.COL_DECISIONS}</td></tr>
<tr><td>{fmt.ROW_LICENSING}</td><td colspan="3">41</td></tr>
<tr><td colspan="4">{fmt.ARTICLE_6}</td></tr><tr><td>{fmt.INFO_CONTENT}</td><td colspan="3">{fmt.COL_DECISIONS}</td></tr>
<tr><td>{fmt.ROW_PENALTY}</td><td colspan="3">5</td></tr><tr><td>{fmt.ROW_ENFORCEMENT}</td><td colspan="3">0</td></tr>
<tr><td colspan="4">{fmt.ARTICLE_8}</td></tr><tr><td>{fmt.INFO_CONTENT}</td><td colspan="3">{fmt.COL_FEE}</td></tr>
<tr><td>{fmt.ROW_FEE}</td><td colspan="3">1.25</td></tr></table>
<h2>{s[2]}</h2>{_t3_html()}
<h2>{s[3]}</h2>
<table><tr><td colspan="5">行政复议</td><td colspan="10">行政诉讼</td></tr>
<tr><td rowspan="2">结果维持</td><td rowspan="2">结果纠正</td><td rowspan="2">其他结果</td><td rowspan="2">尚未审结</td>
<td rowspan="2">总计</td><td colspan="5">未经复议直接起诉</td><td colspan="5">复议后起诉</td></tr>
<tr>{"<td>结果维持</td><td>结果纠正</td><td>其他结果</td><td>尚未审结</td><td>总计</td>" * 2}</tr>
<tr>{"".join(f"<td>{v}</td>" for v in (2, 1, 0, 1, 4, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1))}</tr></table>
<h2>{s[4]}</h2><p>（一）主要问题：专栏分类还不够细。</p><p>（二）改进措施：下一年重新整理栏目。</p>
<h2>{s[5]}</h2><p>本年度未收取信息处理费。</p>
<p style="text-align:right">{AGENCY}<br>2023年1月16日</p></div></body></html>"""


def test_html_with_rowspan_and_colspan(tmp_path):
    page = tmp_path / "报告.html"
    page.write_text(_own_html(), encoding="utf-8")
    result = import_file(page)
    assert result.source_kind == "html"
    _assert_own_figures(result.report)
    r = result.report
    assert r.published == date(2023, 1, 16)
    assert r.other.fee_yuan == Decimal("0")
    assert r.overview.proactive.startswith("本街道") and r.problems.improvements.startswith("下一年")
    assert not [m for m in result.missing if "表" in m]


def test_html_grid_repeats_rows_and_keeps_wide_cells_once():
    lines = html_to_lines('<table><tr><td rowspan="2">甲</td><td colspan="2">乙</td><td>1</td></tr>'
                          '<tr><td>丙</td><td></td><td>2</td></tr></table><p>段落<br>第二行</p>')
    assert lines == ["甲\t乙\t1", "甲\t丙\t\t2", "段落", "第二行"]


def _own_docx() -> bytes:
    import docx

    d = docx.Document()
    s = fmt.SECTION_HEADINGS
    d.add_paragraph(f"{AGENCY}2022年政府信息公开工作年度报告")
    d.add_paragraph(s[0])
    d.add_paragraph("（一）主动公开：本街道按时更新公开专栏。")
    d.add_paragraph(s[1])
    t2 = d.add_table(rows=4, cols=4)
    t2.cell(0, 0).merge(t2.cell(0, 3)).text = fmt.ARTICLE_1
    for j, label in enumerate((fmt.INFO_CONTENT, fmt.COL_ISSUED, fmt.COL_REPEALED, fmt.COL_IN_FORCE)):
        t2.cell(1, j).text = label
    for i, (label, vals) in enumerate(((fmt.ROW_RULES, (0, 0, 0)), (fmt.ROW_NORMATIVE, (3, 1, 9))), start=2):
        t2.cell(i, 0).text = label
        for j, v in enumerate(vals, start=1):
            t2.cell(i, j).text = str(v)
    small = d.add_table(rows=5, cols=2)
    for i, (label, value) in enumerate(((fmt.ROW_LICENSING, "41"), (fmt.ROW_PENALTY, "5"),
                                        (fmt.ROW_ENFORCEMENT, "0"), (fmt.INFO_CONTENT, fmt.COL_FEE),
                                        (fmt.ROW_FEE, "1.25"))):
        small.cell(i, 0).text, small.cell(i, 1).text = label, value
    d.add_paragraph(s[2])
    rows = list(fmt.T3_DISPLAY_ROWS)
    t3_table = d.add_table(rows=3 + len(rows), cols=10)
    t3_table.cell(0, 0).merge(t3_table.cell(2, 2)).text = fmt.T3_HEADER
    t3_table.cell(0, 3).merge(t3_table.cell(0, 9)).text = fmt.APPLICANT_GROUP
    for j, c in enumerate(fmt.APPLICANT_COLUMNS):
        t3_table.cell(2, 3 + j).text = c.label
    t3_table.cell(1, 9).merge(t3_table.cell(2, 9)).text = fmt.TOTAL
    values = _t3_values()
    first = 3 + next(i for i, r in enumerate(rows) if r.outcome)
    t3_table.cell(first, 0).merge(t3_table.cell(first + 21, 0)).text = fmt.RESULTS_GROUP
    group_start: dict[str, int] = {}
    for i, row in enumerate(rows, start=3):
        if row.key == "total":
            vals = [sum(values[k][j] for k in fmt.OUTCOME_KEYS) for j in range(6)]
        else:
            vals = values[row.key]
        if not row.outcome and row.key != "total":
            t3_table.cell(i, 0).merge(t3_table.cell(i, 2)).text = row.label
        elif row.group is None:
            t3_table.cell(i, 1).merge(t3_table.cell(i, 2)).text = row.label
        else:
            group_start.setdefault(row.group, i)
            t3_table.cell(i, 2).text = row.label
        for j, v in enumerate(vals + [sum(vals)]):
            t3_table.cell(i, 3 + j).text = str(v)
    for group, start in group_start.items():
        t3_table.cell(start, 1).merge(t3_table.cell(start + fmt.GROUP_SIZES[group] - 1, 1)).text = \
            fmt.GROUP_LABEL[group]
    d.add_paragraph(s[3])
    t4_table = d.add_table(rows=2, cols=15)
    t4_table.cell(0, 0).merge(t4_table.cell(0, 4)).text = fmt.REVIEW
    t4_table.cell(0, 5).merge(t4_table.cell(0, 14)).text = fmt.LITIGATION
    for j, v in enumerate((2, 1, 0, 1, 4, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1)):
        t4_table.cell(1, j).text = str(v)
    d.add_paragraph(s[4])
    d.add_paragraph("（一）主要问题：专栏分类还不够细。")
    d.add_paragraph(s[5])
    d.add_paragraph("本年度收取信息处理费 120 元。")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_with_merged_cells(tmp_path):
    path = tmp_path / "报告.docx"
    path.write_bytes(_own_docx())
    result = import_file(path)
    assert result.source_kind == "docx"
    _assert_own_figures(result.report)
    assert result.report.other.fee_yuan == Decimal("120")
    assert result.report.printed.labels.count(fmt.T3_ROWS[0].label) == 1


# ------------------------------------------------------------------ encodings and junk


def _example_text() -> str:
    from gkassist.example import example_report
    from gkassist.render import render_text

    return render_text(example_report(), "txt")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_encodings(tmp_path, encoding):
    path = tmp_path / "报告.txt"
    path.write_bytes(_example_text().encode(encoding))
    r = import_file(path).report
    from gkassist.example import example_report

    want = example_report()
    assert r.agency.name == want.agency.name
    assert r.applications.model_dump() == want.applications.model_dump()


def test_empty_missing_and_binary_files(tmp_path):
    empty = tmp_path / "空.txt"
    empty.write_bytes(b"")
    with pytest.raises(GkError, match="空.txt.*空文件"):
        import_file(empty)
    with pytest.raises(GkError, match="找不到"):
        import_file(tmp_path / "没有.txt")
    binary = tmp_path / "图.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    with pytest.raises(GkError, match="不是文本文件"):
        import_file(binary)
    fake = tmp_path / "假.docx"
    fake.write_text("不是 Word", encoding="utf-8")
    with pytest.raises(GkError, match="假.docx"):
        import_file(fake)
    with pytest.raises(GkError, match="不像是政府信息公开工作年度报告"):
        import_text("一段与年度报告无关的文字。\n第二行也无关。", "随笔.txt")


def test_size_limit(tmp_path, monkeypatch):
    from gkassist.importers import detect

    monkeypatch.setattr(detect, "MAX_BYTES", 100)
    big = tmp_path / "大.txt"
    big.write_text("字" * 200, encoding="utf-8")
    with pytest.raises(GkError, match="大.txt"):
        import_file(big)


# Fragments that push random text through the table and heading paths of the parser.
_FRAGMENTS = (list(fmt.SECTION_HEADINGS) + [r.label for r in fmt.T3_DISPLAY_ROWS]
              + [fmt.ROW_RULES, fmt.ROW_NORMATIVE, fmt.ROW_FEE, fmt.REVIEW, "（一）", "(二)", "1、", "\t", " ",
                 "\n", "\n\n", "0", "17", "3.5", "- 2 -", "2023年", "政府信息公开工作年度报告", "信息处理费 12 元",
                 "2024年1月9日", "|", "| --- |", "<td>", "—", "人民政府"])


def _outcome(call) -> None:
    try:
        result = call()
    except GkError as exc:
        assert str(exc).strip()
        return
    assert isinstance(result, ImportResult)
    # Whatever was read must still be a valid report that saves.
    Report.model_validate_json(result.report.model_dump_json())


@HURRY
@given(st.one_of(st.text(max_size=400), st.lists(st.sampled_from(_FRAGMENTS), max_size=80).map("".join)))
def test_random_text_never_crashes(text):
    _outcome(lambda: import_text(text, "随机.txt"))


@HURRY
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".html", ".docx", ".md", ".mht", ""]))
def test_random_bytes_never_crash(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("junk") / f"随机{suffix}"
    path.write_bytes(data)
    _outcome(lambda: import_file(path))


@HURRY
@given(name=st.sampled_from(["2021_gaopingzhen.txt", "2023_shuyang-fagaiju.txt", "2024_huaian-shi.txt"]),
       fraction=st.floats(min_value=0.0, max_value=1.0))
def test_truncated_samples_never_crash(samples_dir, tmp_path_factory, name, fraction):
    data = (samples_dir / name).read_bytes()
    path = tmp_path_factory.mktemp("cut") / name
    path.write_bytes(data[: int(len(data) * fraction)])
    _outcome(lambda: import_file(path))


def test_truncated_sample_is_a_partial_import(samples_dir, tmp_path):
    text = (samples_dir / "2024_huaian-shi.txt").read_text(encoding="utf-8")
    cut = text[: text.index(fmt.SECTION_HEADINGS[3])]
    result = import_text(cut, "半份.txt")
    assert result.report.applications.value("new", "natural_person") == 3001
    assert f"未找到 {fmt.SECTION_HEADINGS[5]}" in result.missing


# ------------------------------------------------------------------ the round trip (issue 5, item 3)

_counts = st.integers(min_value=0, max_value=99999)


@st.composite
def random_reports(draw) -> Report:
    """The fictional example with a random figure in every cell (narrative fixed)."""
    from gkassist.example import example_report

    r = example_report()
    p = r.proactive
    for docs in (p.rules, p.normative):
        docs.issued, docs.repealed, docs.in_force = draw(_counts), draw(_counts), draw(_counts)
    p.licensing, p.penalty, p.enforcement = draw(_counts), draw(_counts), draw(_counts)
    p.fee = draw(st.decimals(min_value=0, max_value=999999, places=4, allow_nan=False, allow_infinity=False))
    for row in fmt.ROW_KEYS:
        for c in fmt.COLUMN_KEYS:
            r.applications.set(row, c, draw(_counts))
    for block, _ in fmt.T4_BLOCKS:
        for c in fmt.OUTCOME_KEYS_T4:
            setattr(r.reviews.block(block), c, draw(_counts))
    r.other.fee_yuan = draw(st.decimals(min_value=0, max_value=99999, places=2, allow_nan=False,
                                        allow_infinity=False))
    r.other.fee_statement = f"本年度共收取信息处理费{r.other.fee_yuan}元，均已开具票据。"
    return r


def _figures(r: Report) -> dict:
    return {"t2": r.proactive.model_dump(), "t3": r.applications.model_dump(), "t4": r.reviews.model_dump(),
            "agency": (r.agency.name, r.agency.kind, r.year, r.published), "fee_yuan": r.other.fee_yuan}


def _render(report: Report, kind: str) -> Path:
    import tempfile

    from gkassist.render import render_docx, render_text

    folder = Path(tempfile.mkdtemp(prefix="gk-roundtrip-"))
    path = folder / f"报告.{kind}"
    if kind == "docx":
        path.write_bytes(render_docx(report))
    else:
        path.write_text(render_text(report, kind), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["txt", "md", "html", "docx"])
def test_round_trip_gives_back_every_figure(kind):
    # No importorskip: the renderers are part of the product, a missing one must fail here.
    examples = 6 if kind == "docx" else 30

    @settings(max_examples=examples, deadline=None)
    @given(random_reports())
    def run(report):
        path = _render(report, kind)
        try:
            back = import_file(path).report
        finally:
            path.unlink()
            path.parent.rmdir()
        assert _figures(back) == _figures(report)

    run()


# ------------------------------------------------------------------ small parts


def test_label_normalisation():
    assert norm("(一) 予以公开") == "（一）予以公开"
    assert norm("1、申请人 无正当理由") == "1.申请人无正当理由"
    assert norm("3.危及\"三安全一稳定\"") == norm("3.危及“三安全一稳定”")


@pytest.mark.parametrize("name, kind", [
    ("高平镇人民政府", fmt.AgencyKind.TOWN), ("某乡人民政府", fmt.AgencyKind.TOWNSHIP),
    ("青松街道办事处", fmt.AgencyKind.SUBDISTRICT), ("沭阳县发展和改革局", fmt.AgencyKind.COUNTY_DEPARTMENT),
    ("某县人民政府", fmt.AgencyKind.COUNTY_GOVERNMENT), ("某市某区人民政府", fmt.AgencyKind.COUNTY_GOVERNMENT),
    ("淮安市人民政府", fmt.AgencyKind.CITY_GOVERNMENT), ("某市教育局", fmt.AgencyKind.CITY_DEPARTMENT),
    ("某县市场监督管理局", fmt.AgencyKind.COUNTY_DEPARTMENT), ("某省交通运输厅", fmt.AgencyKind.PROVINCIAL_DEPARTMENT),
])
def test_kind_guess(name, kind):
    assert guess_kind(name) is kind


def test_a_row_with_one_number_is_its_total():
    blank, num = Token("blank", "", 0, True), Token("num", "5", 0, True)
    cells = fit_cells([blank] * 5 + [num], 7)
    assert [c.text for c in cells] == [""] * 6 + ["5"]
    trailing = fit_cells([num] * 7 + [blank], 7)
    assert len(trailing) == 7 and all(c.kind == "num" for c in trailing)


def test_print_import_lists_found_missing_and_findings(samples_dir):
    from rich.console import Console

    console = Console(file=io.StringIO(), width=200, color_system=None)
    print_import(import_file(samples_dir / "2021_gaopingzhen.txt"), console)
    out = console.file.getvalue()
    assert "机关：高平镇人民政府" in out and "未找到 发布日期" in out
    assert "D9" in out


def _old_2019_text() -> str:
    s = fmt.SECTION_HEADINGS
    t3_rows = [r for r in fmt.T3_DISPLAY_ROWS if r.group != "other_handling"]
    lines = [f"{AGENCY}2021年政府信息公开工作年度报告", s[0], "本街道按规定做好公开工作。", s[1],
             f"{fmt.ARTICLE_1}", "信息内容\t本年新制作数量\t本年新公开数量\t对外公开总数量",
             "规章\t0\t0\t0", "规范性文件\t4\t4\t12", f"{fmt.ARTICLE_5}", "信息内容\t上一年项目数量\t本年增/减\t处理决定数量",
             "行政许可\t6\t0\t30", "其他对外管理服务事项\t0\t0\t0", f"{fmt.ARTICLE_8}",
             "信息内容\t上一年项目数量\t本年增/减", "行政事业性收费\t2\t0", s[2]]
    for i, row in enumerate(t3_rows):
        if row.key == "total":
            lines.append(f"{fmt.GROUP_LABEL['other_handling']}\t1\t0\t0\t0\t0\t0\t1")
        lines.append(row.label + "\t" + "\t".join(["1", "0", "0", "0", "0", "0", "1"]))
    lines += [s[3], "0\t" * 14 + "0", s[4], "问题在于栏目更新慢。", s[5], "本年未收取信息处理费。"]
    return "\n".join(lines)


def test_old_2019_tables_are_detected_and_what_maps_is_imported():
    result = import_text(_old_2019_text(), "旧表.txt")
    r = result.report
    assert r.printed.layout == "2019"
    assert {"本年新制作数量", "对外公开总数量", "其他对外管理服务事项"} <= set(r.printed.markers)
    assert (r.proactive.normative.issued, r.proactive.normative.repealed, r.proactive.normative.in_force) == (4, None, 12)
    assert r.proactive.licensing == 30
    assert r.proactive.fee is None
    # The single （六）其他处理 row of the old table is counted as 3.其他.
    assert t3(r, "other_misc") == [1, 0, 0, 0, 0, 0, 1]
    assert r.applications.row("other_no_fee").blank


def test_layout_table_around_the_whole_page(tmp_path):
    inner = _own_html().split("<body>", 1)[1].split("</body>", 1)[0]
    page = tmp_path / "外框.htm"
    page.write_text(f"<html><body><table><tr><td>导航</td></tr><tr><td>{inner}</td></tr></table></body></html>",
                    encoding="utf-8")
    _assert_own_figures(import_file(page).report)


def test_real_sample_in_gb18030_with_windows_line_ends(samples_dir, tmp_path):
    text = (samples_dir / "2023_shuyang-fagaiju.txt").read_text(encoding="utf-8")
    path = tmp_path / "gbk.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    r = import_file(path).report
    assert r.agency.name == "沭阳县发展和改革局"
    assert t3(r, "new") == [26, None, None, None, None, None, 26]
    assert r.reviews.review.pending == 1


def test_title_split_over_lines_and_written_in_chinese_numerals():
    s = fmt.SECTION_HEADINGS
    text = "\n".join(["首页", "青松街道办事处", "二〇二二年政府信息公开工作", "年度报告", *s, "2023年1月9日"])
    result = import_text(text, "题.txt")
    assert result.report.agency.name == AGENCY and result.report.year == 2022
    assert result.report.published == date(2023, 1, 9)
    assert [m for m in result.missing if m.startswith("未找到 表")]


def test_cli_import_twice_keeps_the_first_draft(samples_dir, cli, workspace):
    for _ in range(2):
        proc = cli("import", str(samples_dir / "2023_shuyang-fagaiju.txt"))
        assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in workspace.glob("*.json"))
    assert names == ["2023年沭阳县发展和改革局政府信息公开工作年度报告.json",
                     "2023年沭阳县发展和改革局政府信息公开工作年度报告（导入2）.json"]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2**32))
def test_pdf_like_text_gives_back_every_figure(seed):
    """Text as taken from a PDF: cells separated by spaces, labels and headings broken across lines
    and between characters, page numbers and a running header between the lines."""
    import random

    from gkassist.example import example_report

    rnd = random.Random(seed)
    report = example_report()
    lines = _example_text().split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        pieces: list[str] = []
        line = line.replace("\t", " ")
        for i, ch in enumerate(line):
            pieces.append(ch)
            nxt = line[i + 1] if i + 1 < len(line) else ""
            if nxt and not (ch.isdigit() or nxt.isdigit() or " " in (ch, nxt)) and rnd.random() < 0.05:
                pieces.append(rnd.choice(["\n", " "]))
        out.append("".join(pieces))
        if rnd.random() < 0.05:  # a page break: footer, page number, running header
            out += [f"- {rnd.randint(1, 9)} -", "青禾镇政务公开资料汇编"]
    back = import_text("\n".join(out), "版式.txt").report
    assert _figures(back) == _figures(report)


def test_single_file_web_archive(tmp_path):
    import quopri

    body = quopri.encodestring(_own_html().encode("gb18030")).decode("ascii")
    archive = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"b1\"\r\n\r\n--b1\r\n"
               "Content-Type: text/html; charset=\"gb18030\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
               f"{body}\r\n--b1--\r\n")
    path = tmp_path / "网页.mht"
    path.write_bytes(archive.encode("ascii"))
    result = import_file(path)
    assert result.source_kind == "html"
    _assert_own_figures(result.report)


def _as_html(text: str) -> str:
    """A sample's lines as a web page: runs of TAB lines become a table, other lines paragraphs."""
    from html import escape

    out, table = [], []
    for line in text.split("\n") + [""]:
        if "\t" in line:
            table.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in line.split("\t")) + "</tr>")
            continue
        if table:
            out.append("<table>" + "".join(table) + "</table>")
            table = []
        if line.strip():
            out.append(f"<p>{escape(line)}</p>")
    return "<html><body>" + "\n".join(out) + "</body></html>"


def _as_docx(text: str) -> bytes:
    import docx

    d = docx.Document()
    rows: list[list[str]] = []

    def flush() -> None:
        if rows:
            width = max(len(r) for r in rows)
            table = d.add_table(rows=len(rows), cols=width)
            for i, r in enumerate(rows):
                for j, c in enumerate(r):
                    table.rows[i].cells[j].text = c
            rows.clear()

    for line in text.split("\n"):
        if "\t" in line:
            rows.append(line.split("\t"))
            continue
        flush()
        if line.strip():
            d.add_paragraph(line)
    flush()
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("kind", ["html", "docx"])
@pytest.mark.parametrize("name", ["2021_gaopingzhen.txt", "2023_shuyang-fagaiju.txt"])
def test_tab_samples_as_web_page_and_word_file_give_the_same_figures(samples_dir, tmp_path, name, kind):
    text = (samples_dir / name).read_text(encoding="utf-8")
    path = tmp_path / f"样本.{kind}"
    if kind == "html":
        path.write_text(_as_html(text), encoding="utf-8")
    else:
        path.write_bytes(_as_docx(text))
    want, got = import_text(text, name).report, import_file(path).report
    assert _figures(got) == _figures(want)
    assert got.printed.cells == want.printed.cells
    assert got.printed.labels == want.printed.labels


def test_file_names_that_lie_about_the_content(tmp_path, samples_dir):
    page = tmp_path / "网页.txt"
    page.write_text(_own_html(), encoding="utf-8")
    assert import_file(page).source_kind == "html"
    text_page = tmp_path / "文字.html"
    text_page.write_bytes((samples_dir / "2023_shuyang-fagaiju.txt").read_bytes())
    result = import_file(text_page)
    assert result.source_kind == "text" and result.report.proactive.normative.in_force == 18


_HTML_BITS = ["<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", '<td rowspan="3">', '<td colspan="2">',
              '<th rowspan="x" colspan="400">', "<tbody>", "<p>", "</p>", "<br>", "<div>", "</div>", "<script>",
              "&nbsp;", "&#x4e00;", "<!--", "-->", "0", "12", fmt.T3_ROWS[0].label, fmt.SECTION_HEADINGS[2],
              fmt.REVIEW, "\t", "\n"]


@HURRY
@given(st.lists(st.sampled_from(_HTML_BITS), max_size=120).map("".join))
def test_random_html_never_crashes(tmp_path_factory, page):
    path = tmp_path_factory.mktemp("html") / "页.html"
    path.write_text(page, encoding="utf-8")
    _outcome(lambda: import_file(path))
