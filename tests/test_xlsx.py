"""Excel: the three tables in the official layout (merged headers, numbers as numbers, one sheet each),
and `import` reading such a workbook — and the hand-made single-sheet kind — back to every figure."""

from __future__ import annotations

import io
import json
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkassist import format as fmt
from gkassist import render
from gkassist.errors import GkError
from gkassist.example import example_report
from gkassist.importers import import_file
from gkassist.model import Report
from gkassist.render.xlsx import SHEET_NAMES

SAMPLES = ("2021_gaopingzhen", "2023_shuyang-fagaiju", "2024_huaian-shi")


def workbook(report: Report) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(render.render_xlsx(report)))


def merged(ws) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}


def test_three_sheets_in_the_official_layout_with_merged_headers():
    wb = workbook(example_report())
    assert wb.sheetnames == list(SHEET_NAMES)
    t2, t3, t4 = (wb[n] for n in SHEET_NAMES)
    for ws, heading in zip((t2, t3, t4), ("proactive", "applications", "reviews")):
        assert ws["A1"].value == "青禾镇人民政府2025年政府信息公开工作年度报告"
        assert ws["A2"].value == fmt.SECTION_LABEL[heading]
    # 三: the 3×3 top-left cell, 申请人情况 over 7, 法人或其他组织 over 5, 三、本年度办理结果 down 22 rows
    assert t3["A3"].value == fmt.T3_HEADER
    assert {"A3:C5", "D3:J3", "E4:I4", "D4:D5", "J4:J5", "A8:A29", "B10:B17", "B18:B20", "B21:B25",
            "B26:B28"} <= merged(t3)
    assert t3["A8"].value == fmt.RESULTS_GROUP and t3["B10"].value == fmt.GROUP_LABEL["withheld"]
    assert [t3.cell(row=5, column=c).value for c in range(5, 10)] == [
        fmt.COLUMN_LABEL[k] for k in fmt.ORG_COLUMN_KEYS]
    # 二: one table, article rows across all four columns, one-figure rows over three
    assert {"A3:D3", "A7:D7", "A10:D10", "A14:D14", "B8:D8", "B9:D9", "B16:D16"} <= merged(t2)
    assert [c.value for c in t2[6]] == [fmt.ROW_NORMATIVE, 2, 1, 14]
    assert t2["A16"].value == fmt.ROW_FEE and t2["B16"].value == pytest.approx(2.35)
    # 四: 行政复议 over five, 行政诉讼 over ten, the five 复议 labels down two rows
    assert {"A3:E3", "F3:O3", "A4:A5", "F4:J4", "K4:O4"} <= merged(t4)
    assert [c.value for c in t4[6]] == [1, 0, 0, 0, 1] + [0] * 10


def test_figures_are_numbers_and_blanks_stay_empty():
    report = example_report()
    report.applications.set("new", "research", None)
    report.proactive.penalty = None
    wb = workbook(report)
    t3 = wb[SHEET_NAMES[1]]
    new = [c.value for c in t3[6]][3:]
    assert new == [9, 2, None, 0, 0, 0, 11]  # a blank cell is not written as 0; 总计 is computed
    assert all(isinstance(v, int) for v in new if v is not None)
    t2 = wb[SHEET_NAMES[0]]
    assert t2["A12"].value == fmt.ROW_PENALTY and t2["B12"].value is None


def test_same_report_same_bytes():
    assert render.render_xlsx(example_report()) == render.render_xlsx(example_report())


def _truth(samples: Path, name: str) -> dict:
    return json.loads((samples / f"{name}.figures.json").read_text(encoding="utf-8"))


def _figures(r: Report) -> dict:
    """A report's figures keyed as in samples/*.figures.json (None = a blank cell)."""
    p = r.proactive
    t2 = {fmt.ROW_RULES: [p.rules.issued, p.rules.repealed, p.rules.in_force],
          fmt.ROW_NORMATIVE: [p.normative.issued, p.normative.repealed, p.normative.in_force],
          fmt.ROW_LICENSING: p.licensing, fmt.ROW_PENALTY: p.penalty, fmt.ROW_ENFORCEMENT: p.enforcement,
          fmt.ROW_FEE: None if p.fee is None else float(p.fee)}
    t3 = {row.label: [r.applications.value(row.key, c) for c in fmt.COLUMN_KEYS]
          + [r.applications.cell(row.key, "total")] for row in fmt.T3_ROWS}
    t4 = {(label if key == "review" else f"{fmt.LITIGATION} {label}"):
          [getattr(r.reviews.block(key), c) for c in fmt.OUTCOME_KEYS_T4] + [r.reviews.block(key).total]
          for key, label in fmt.T4_BLOCKS}
    return {"表二": t2, "表三": t3, "表四": t4}


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_through_xlsx_gives_back_every_figure(samples_dir, tmp_path, name):
    txt = import_file(samples_dir / f"{name}.txt").report
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(render.render_xlsx(txt))
    result = import_file(path)
    back = result.report
    assert result.source_kind == "xlsx"
    assert (back.agency.name, back.year) == (txt.agency.name, txt.year)
    # every figure, the truth written beside the sample (a null is a blank cell and stays blank)
    truth = {table: {k: v for k, v in rows.items()} for table, rows in _truth(samples_dir, name).items()
             if table in ("表二", "表三", "表四")}
    got = _figures(back)
    assert got == truth
    # and the same model as the text it came from
    assert back.proactive == txt.proactive
    assert back.applications == txt.applications
    assert back.reviews == txt.reviews


def test_hand_made_single_sheet_with_the_three_tables_one_under_another(tmp_path):
    """The kind a county office makes itself: one sheet, headings, each table under the last,
    numbers typed as numbers (and some as text), merged cells left as Excel leaves them."""
    report = example_report()
    text = render.render_text(report, "txt")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "年报统计表"
    keep = False
    for line in text.splitlines():
        if line in fmt.SECTION_HEADINGS:
            keep = line in (fmt.SECTION_LABEL["proactive"], fmt.SECTION_LABEL["applications"], fmt.SECTION_LABEL["reviews"])
        if not line.strip() or not (keep or line == report_title(report)):
            continue
        cells = line.split("\t")
        row = [int(c) if c.isdigit() and i % 2 else c for i, c in enumerate(cells)]  # half numbers, half text
        row = [Decimal(c) if isinstance(c, str) and c.replace(".", "").isdigit() and "." in c else c for c in row]
        ws.append([c if c != "" else None for c in row])
    path = tmp_path / "手工汇总.xlsx"
    wb.save(path)
    back = import_file(path).report
    assert back.agency.name == report.agency.name and back.year == report.year
    assert back.proactive == report.proactive
    assert back.applications == report.applications
    assert back.reviews == report.reviews


def report_title(report: Report) -> str:
    return fmt.report_title(report.agency.name, report.year or 0)


def test_broken_or_old_workbooks_are_chinese_errors(tmp_path):
    bad = tmp_path / "坏的.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"xl/" + b"\x00" * 200)
    with pytest.raises(GkError, match="Excel"):
        import_file(bad)
    old = tmp_path / "旧表.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200)
    with pytest.raises(GkError, match="另存为 .xlsx"):
        import_file(old)
    renamed = tmp_path / "改名.xlsx"
    renamed.write_text("不是表格", encoding="utf-8")
    with pytest.raises(GkError, match="Excel"):
        import_file(renamed)


def test_cli_render_xlsx_then_import(cli, tmp_path, workspace):
    answers = tmp_path / "example.json"
    assert cli("example", "-o", str(answers)).returncode == 0
    book = tmp_path / "表格.xlsx"
    done = cli("render", str(answers), "--format", "xlsx", "-o", str(book))
    assert done.returncode == 0, done.stderr
    assert openpyxl.load_workbook(book).sheetnames == list(SHEET_NAMES)
    done = cli("import", str(book), "-o", str(tmp_path / "回读.json"))
    assert done.returncode == 0, done.stderr
    assert "Excel 表格" in done.stdout


_count = st.one_of(st.none(), st.integers(min_value=0, max_value=999999))


@settings(max_examples=12, deadline=None)
@given(data=st.data())
def test_any_figures_blank_or_not_come_back_through_a_workbook(data):
    report = example_report()
    for row in fmt.ROW_KEYS:
        for column in fmt.COLUMN_KEYS:
            report.applications.set(row, column, data.draw(_count))
    p = report.proactive
    for docs in (p.rules, p.normative):
        docs.issued, docs.repealed, docs.in_force = data.draw(_count), data.draw(_count), data.draw(_count)
    p.licensing, p.penalty, p.enforcement = data.draw(_count), data.draw(_count), data.draw(_count)
    p.fee = data.draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=9999999, places=4,
                                                       allow_nan=False, allow_infinity=False)))
    for block, _ in fmt.T4_BLOCKS:
        for column in fmt.OUTCOME_KEYS_T4:
            setattr(report.reviews.block(block), column, data.draw(_count))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "表.xlsx"
        path.write_bytes(render.render_xlsx(report))
        back = import_file(path).report
    assert back.applications == report.applications
    assert back.reviews == report.reviews
    assert back.proactive.model_dump(exclude={"fee"}) == report.proactive.model_dump(exclude={"fee"})
    assert (back.proactive.fee is None) == (report.proactive.fee is None)
    if report.proactive.fee is not None:
        assert back.proactive.fee == report.proactive.fee


def _round_trip(report: Report) -> Report:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "表.xlsx"
        path.write_bytes(render.render_xlsx(report))
        return import_file(path).report


def test_a_blank_last_cell_of_a_row_is_read_as_blank_not_as_a_missing_cell():
    # 规章 with 现行有效 left blank: the two figures stay in their own columns (no 待核对 split)
    report = example_report()
    report.proactive.rules.issued, report.proactive.rules.repealed = 633316, 926810
    report.proactive.rules.in_force = None
    back = _round_trip(report)
    assert back.proactive.rules == report.proactive.rules
    assert not back.draft.pending


def test_table_four_with_fewer_than_five_figures_is_read_cell_by_cell():
    report = example_report()
    for block, _ in fmt.T4_BLOCKS:
        for column in fmt.OUTCOME_KEYS_T4:
            setattr(report.reviews.block(block), column, None)
    report.reviews.review.other = 573528
    back = _round_trip(report)
    assert back.reviews == report.reviews
    assert back.reviews.review.other == 573528 and back.reviews.review.upheld is None


def test_a_row_whose_blank_edges_leave_its_columns_open_is_pending_not_guessed(tmp_path):
    # a hand-typed 表三 row: 研究机构 1, 社会公益组织 2, every other cell and 总计 left blank, in a
    # sheet made wider by a note — which blanks are the row's cells cannot be told from the text
    wb = workbook(example_report())
    ws = wb[SHEET_NAMES[1]]
    for column, value in zip(range(4, 11), [None, None, 1, 2, None, None, None]):
        ws.cell(row=6, column=column).value = value
    ws.cell(row=3, column=15).value = "注"
    path = tmp_path / "手填.xlsx"
    wb.save(path)
    back = import_file(path).report
    assert back.applications.rows["new"].research is None  # not read into another column
    assert back.applications.rows["new"].natural_person is None
    assert {"t3.new.research", "t3.new.welfare"} <= set(back.draft.pending)
