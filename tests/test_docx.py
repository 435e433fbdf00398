"""The Word writer: read the .docx back with python-docx and check layout, figures and fonts."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.model import (
    Agency,
    ApplicantRow,
    ApplicationTable,
    DocumentCounts,
    OtherMatters,
    OutcomeCounts,
    Overview,
    ProactiveTable,
    ProblemsSection,
    Report,
    ReviewTable,
)
from gkassist.render.docx import (
    FONT_BODY,
    FONT_HEADING,
    FONT_SUBHEADING,
    FONT_TITLE,
    STYLE_BODY,
    STYLE_HEADING,
    STYLE_SIGNATURE,
    STYLE_SUBHEADING,
    STYLE_TITLE,
    render_docx,
)

# ------------------------------------------------------------------ a full report, every figure distinct

# 表三: row i, applicant column j holds (i + 1) * 10 + j + 1 — 11 … 246, no two alike.
T3_INPUT = {row: {col: (i + 1) * 10 + j + 1 for j, col in enumerate(fmt.COLUMN_KEYS)}
            for i, row in enumerate(fmt.ROW_KEYS)}
T4_INPUT = {"review": (1, 2, 3, 4), "direct_suit": (5, 6, 7, 8), "suit_after_review": (9, 13, 17, 19)}


def full_report() -> Report:
    return Report(
        agency=Agency(name="测试县河湾镇人民政府", kind=fmt.AgencyKind.TOWN),
        year=2025,
        published=date(2026, 1, 15),
        contact="河湾镇党政办公室，电话 0000-1234567",
        preface="本报告依据条例编写。\n统计期限为全年。",
        overview=Overview(
            lead="总体情况引言一句。",
            proactive="主动公开段落甲。",
            on_request="依申请公开段落乙。",
            management="信息管理段落丙。",
            platform="平台建设段落丁。",
            supervision="监督保障段落戊。",
        ),
        proactive=ProactiveTable(
            rules=DocumentCounts(issued=301, repealed=302, in_force=303),
            normative=DocumentCounts(issued=304, repealed=305, in_force=306),
            licensing=307, penalty=308, enforcement=309, fee=Decimal("12.5000"),
        ),
        applications=ApplicationTable(rows={k: ApplicantRow(**v) for k, v in T3_INPUT.items()}),
        reviews=ReviewTable(**{k: OutcomeCounts(**dict(zip(fmt.OUTCOME_KEYS_T4, v)))
                               for k, v in T4_INPUT.items()}),
        problems=ProblemsSection(problems="问题段落己。", improvements="改进段落庚。",
                                 followup="上年问题整改段落辛。"),
        other=OtherMatters(fee_yuan=Decimal(0), fee_statement="本年未收取信息处理费。",
                           work_points="工作要点段落壬。"),
    )


def read(report: Report) -> docx.document.Document:
    return docx.Document(io.BytesIO(render_docx(report)))


@pytest.fixture(scope="module")
def document():
    return read(full_report())


def expected_t3(row_key: str, column: str) -> int:
    """The figure table 三 must print, worked out here from the input (not by the model)."""
    if row_key == "total":
        return sum(expected_t3(k, column) for k in fmt.OUTCOME_KEYS)
    if column == "total":
        return sum(T3_INPUT[row_key].values())
    return T3_INPUT[row_key][column]


# ------------------------------------------------------------------ reading merged regions from the XML


def merged_regions(table) -> set[tuple[int, int, int, int]]:
    """(row, column, rowspan, colspan) of every merged region, read from gridSpan / vMerge."""
    regions: list[list[int]] = []
    open_at: dict[int, list[int]] = {}
    for r, tr in enumerate(table._tbl.tr_lst):
        c = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            if tc.vMerge == "continue":
                open_at[c][2] += 1
            else:
                region = [r, c, 1, span]
                regions.append(region)
                open_at[c] = region
            c += span
    return {tuple(x) for x in regions if x[2] > 1 or x[3] > 1}


def grid_size(table) -> tuple[int, int]:
    tbl = table._tbl
    columns = len(tbl.tblGrid.gridCol_lst)
    for tr in tbl.tr_lst:  # every row covers the whole grid
        assert sum(tc.grid_span for tc in tr.tc_lst) == columns
    return len(tbl.tr_lst), columns


T2_REGIONS = {(0, 0, 1, 4), (4, 0, 1, 4), (5, 1, 1, 3), (6, 1, 1, 3), (7, 0, 1, 4), (8, 1, 1, 3),
              (9, 1, 1, 3), (10, 1, 1, 3), (11, 0, 1, 4), (12, 1, 1, 3), (13, 1, 1, 3)}
T3_REGIONS = {
    (0, 0, 3, 3), (0, 3, 1, 7), (1, 3, 2, 1), (1, 4, 1, 5), (1, 9, 2, 1),   # header
    (3, 0, 1, 3), (4, 0, 1, 3), (27, 0, 1, 3),                              # 一、 二、 四、
    (5, 0, 22, 1),                                                          # 三、本年度办理结果
    (5, 1, 1, 2), (6, 1, 1, 2), (26, 1, 1, 2),                              # （一）（二）（七）
    (7, 1, 8, 1), (15, 1, 3, 1), (18, 1, 5, 1), (23, 1, 3, 1),              # （三）–（六）
}
T4_REGIONS = {(0, 0, 1, 5), (0, 5, 1, 10), (1, 5, 1, 5), (1, 10, 1, 5)} | {(1, c, 2, 1) for c in range(5)}


def texts(table) -> list[list[str]]:
    """Every grid position's text (a merged cell's text at each position it covers)."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def paragraphs_of(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def east_asia(element) -> str | None:
    r_fonts = element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    return None if r_fonts is None else r_fonts.get(qn("w:eastAsia"))


# ------------------------------------------------------------------ structure and narrative


def test_six_headings_in_order_once_each(document):
    assert paragraphs_of(document, STYLE_HEADING) == list(fmt.SECTION_HEADINGS)
    texts = [p.text for p in document.paragraphs]
    for heading in fmt.SECTION_HEADINGS:
        assert texts.count(heading) == 1


def test_title_first_then_preface_and_contact(document):
    first = document.paragraphs[0]
    # too long for one line of 二号: broken after the agency name, inside the one paragraph
    assert first.text == "测试县河湾镇人民政府\n2025年政府信息公开工作年度报告"
    assert first.text.replace("\n", "") == fmt.report_title("测试县河湾镇人民政府", 2025)
    assert first.style.name == STYLE_TITLE
    assert first.alignment in (None, WD_ALIGN_PARAGRAPH.CENTER)
    assert first.style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
    body = paragraphs_of(document, STYLE_BODY)
    assert body[:2] == ["本报告依据条例编写。", "统计期限为全年。"]
    assert "0000-1234567" in body[2]


def test_sub_heads_of_overview_and_problems(document):
    expected = [label for _, label in fmt.OVERVIEW_PARTS] + [fmt.PROBLEMS_HEAD, fmt.IMPROVEMENTS_HEAD]
    assert paragraphs_of(document, STYLE_SUBHEADING) == expected
    texts = [p.text for p in document.paragraphs]
    # each part's text directly under its sub-head
    assert texts[texts.index("（三）政府信息管理") + 1] == "信息管理段落丙。"
    assert texts[texts.index(fmt.PROBLEMS_HEAD) + 1] == "问题段落己。"
    after = texts[texts.index(fmt.IMPROVEMENTS_HEAD) + 1:texts.index(fmt.SECTION_LABEL["other"])]
    assert after == ["改进段落庚。", "上年问题整改段落辛。"]


def test_section_six_and_signature_block(document):
    texts = [p.text for p in document.paragraphs if p.text]
    six = texts.index(fmt.SECTION_LABEL["other"])
    assert texts[six + 1:six + 3] == ["本年未收取信息处理费。", "工作要点段落壬。"]
    signature = [p for p in document.paragraphs if p.style.name == STYLE_SIGNATURE]
    assert [p.text for p in signature] == ["测试县河湾镇人民政府", "2026年1月15日"]
    assert [p.text for p in document.paragraphs if p.text][-2:] == ["测试县河湾镇人民政府", "2026年1月15日"]
    assert signature[0].style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.RIGHT


def test_short_title_stays_on_one_line():
    report = Report(agency=Agency(name="某局"), year=2024)
    assert read(report).paragraphs[0].text == fmt.report_title("某局", 2024)


def test_problems_as_running_text_has_no_sub_heads():
    report = full_report()
    report.problems.layout = "paragraph"
    document = read(report)
    assert paragraphs_of(document, STYLE_SUBHEADING) == [label for _, label in fmt.OVERVIEW_PARTS]
    texts = [p.text for p in document.paragraphs]
    five = texts.index(fmt.SECTION_LABEL["problems"])
    assert texts[five + 1:five + 4] == ["问题段落己。", "改进段落庚。", "上年问题整改段落辛。"]


# ------------------------------------------------------------------ the three tables


def test_three_tables_with_the_official_grids(document):
    t2, t3, t4 = document.tables
    assert grid_size(t2) == (14, 4)
    assert grid_size(t3) == (28, 10)
    assert grid_size(t4) == (4, 15)
    assert merged_regions(t2) == T2_REGIONS
    assert merged_regions(t3) == T3_REGIONS
    assert merged_regions(t4) == T4_REGIONS


def test_table_three_merged_cells_by_identity(document):
    t3 = document.tables[1]
    results = {t3.cell(r, 0)._tc for r in range(5, 27)}
    assert len(results) == 1 and t3.cell(5, 0).text == fmt.RESULTS_GROUP
    assert t3.cell(4, 0)._tc is not t3.cell(5, 0)._tc and t3.cell(27, 0)._tc is not t3.cell(26, 0)._tc
    header = {t3.cell(r, c)._tc for r in range(3) for c in range(3)}
    assert len(header) == 1 and t3.cell(2, 2).text == fmt.T3_HEADER
    assert t3.cell(0, 9).text == fmt.APPLICANT_GROUP and t3.cell(0, 3)._tc is t3.cell(0, 9)._tc
    assert t3.cell(2, 3).text == fmt.COLUMN_LABEL["natural_person"]
    assert t3.cell(1, 4).text == fmt.ORG_GROUP and t3.cell(1, 8)._tc is t3.cell(1, 4)._tc
    assert [t3.cell(2, c).text for c in range(4, 9)] == [fmt.COLUMN_LABEL[k] for k in fmt.ORG_COLUMN_KEYS]
    assert t3.cell(2, 9).text == fmt.TOTAL and t3.cell(1, 9)._tc is t3.cell(2, 9)._tc
    for group, top in (("withheld", 7), ("unable", 15), ("not_processed", 18), ("other_handling", 23)):
        cells = {t3.cell(r, 1)._tc for r in range(top, top + fmt.GROUP_SIZES[group])}
        assert len(cells) == 1 and t3.cell(top, 1).text == fmt.GROUP_LABEL[group]
    assert t3.cell(26, 2).text == fmt.TOTAL_ROW.label


def test_table_three_labels_and_every_figure(document):
    t3 = texts(document.tables[1])
    columns = fmt.COLUMN_KEYS + ("total",)
    for i, row in enumerate(fmt.T3_DISPLAY_ROWS):
        r = 3 + i
        assert t3[r][2] == row.label
        assert t3[r][3:] == [str(expected_t3(row.key, col)) for col in columns], row.label
    # spot-check the arithmetic the test relies on
    assert t3[3][3] == "11" and t3[3][9] == str(sum(range(11, 17)))
    assert t3[27][8] == "246"


def test_table_two_labels_and_every_figure(document):
    t2 = document.tables[0]
    text = [[t2.cell(r, c).text for c in range(4)] for r in range(14)]
    assert text[0] == [fmt.ARTICLE_1] * 4
    assert text[1] == [fmt.INFO_CONTENT, fmt.COL_ISSUED, fmt.COL_REPEALED, fmt.COL_IN_FORCE]
    assert text[2] == [fmt.ROW_RULES, "301", "302", "303"]
    assert text[3] == [fmt.ROW_NORMATIVE, "304", "305", "306"]
    assert text[4][0] == fmt.ARTICLE_5 and text[5][:2] == [fmt.INFO_CONTENT, fmt.COL_DECISIONS]
    assert text[6][:2] == [fmt.ROW_LICENSING, "307"]
    assert text[7][0] == fmt.ARTICLE_6
    assert text[9][:2] == [fmt.ROW_PENALTY, "308"] and text[10][:2] == [fmt.ROW_ENFORCEMENT, "309"]
    assert text[11][0] == fmt.ARTICLE_8 and text[12][1] == fmt.COL_FEE
    assert text[13][:2] == [fmt.ROW_FEE, "12.5"]


def test_table_four_labels_and_every_figure(document):
    t4 = document.tables[2]
    assert t4.cell(0, 0).text == fmt.REVIEW and t4.cell(0, 5).text == fmt.LITIGATION
    outcome = [fmt.OUTCOME_LABEL[c] for c in fmt.OUTCOME_KEYS_T4 + ("total",)]
    assert [t4.cell(2, c).text for c in range(5)] == outcome  # spanning rows 1–2
    assert [t4.cell(2, c).text for c in range(5, 15)] == outcome * 2
    assert t4.cell(1, 5).text == fmt.T4_BLOCK_LABEL["direct_suit"]
    assert t4.cell(1, 10).text == fmt.T4_BLOCK_LABEL["suit_after_review"]
    assert [t4.cell(3, c).text for c in range(15)] == [
        "1", "2", "3", "4", "10", "5", "6", "7", "8", "26", "9", "13", "17", "19", "58"]


def test_header_rows_repeat_on_each_page(document):
    def repeats(table):
        return [tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None
                for tr in table._tbl.tr_lst]

    t2, t3, t4 = document.tables
    assert repeats(t3) == [True] * 3 + [False] * 25
    assert repeats(t4) == [True, True, True, False]
    assert not any(repeats(t2))  # its headers are per article block, repeating one would mislead


def test_blank_figures_print_as_zero_and_fee_never_in_exponent_form():
    report = Report(agency=Agency(name="空白乡人民政府"), year=2024)
    t2, t3, t4 = (texts(t) for t in read(report).tables)
    assert {t3[r][c] for r in range(3, 28) for c in range(3, 10)} == {"0"}
    assert set(t4[3]) == {"0"}
    assert t2[2][1:] == ["0", "0", "0"]
    assert t2[13][1] == "0"
    report.proactive.fee = Decimal("10.0000")
    assert read(report).tables[0].cell(13, 1).text == "10"
    report.proactive.fee = Decimal("0.0350")
    assert read(report).tables[0].cell(13, 1).text == "0.035"


# ------------------------------------------------------------------ page and fonts


def test_a4_page_with_official_margins(document):
    section = document.sections[0]
    for value, mm in ((section.page_width, 210), (section.page_height, 297), (section.top_margin, 37),
                      (section.bottom_margin, 35), (section.left_margin, 28), (section.right_margin, 26)):
        assert abs(value - Mm(mm)) < Mm(0.1), mm


def _footer_xml(data: bytes, kind: str) -> etree._Element:
    """The footer part a section uses for `kind` (default = odd pages, even), read from the package."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        doc = etree.fromstring(z.read("word/document.xml"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        ref = doc.find(f".//{qn('w:sectPr')}/{qn('w:footerReference')}[@{qn('w:type')}='{kind}']")
        assert ref is not None, f"no {kind} footer"
        rid = ref.get(qn("r:id"))
        target = next(r.get("Target") for r in rels if r.get("Id") == rid)
        return etree.fromstring(z.read(f"word/{target}"))


def _settings_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/settings.xml"))


def test_page_numbers_per_gbt_9704_odd_right_even_left_one_character_in():
    data = render_docx(full_report())
    assert _settings_xml(data).find(qn("w:evenAndOddHeaders")) is not None
    for kind, side, other in (("default", "right", "left"), ("even", "left", "right")):
        footer = _footer_xml(data, kind)
        (p,) = footer.findall(qn("w:p"))
        instr = "".join(t.text for t in p.iter(qn("w:instrText")))
        assert instr.strip() == "PAGE"
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        assert text == "\u2014 1 \u2014"  # 一字线 each side, not ASCII hyphens
        ppr = p.find(qn("w:pPr"))
        assert ppr.find(qn("w:jc")).get(qn("w:val")) == side
        ind = ppr.find(qn("w:ind"))
        assert int(ind.get(qn(f"w:{side}"))) == 280  # one 四号 character (14 pt) in
        assert int(ind.get(qn(f"w:{other}"), "0")) == 0
        for run in p.iter(qn("w:r")):
            assert run.find(f"{qn('w:rPr')}/{qn('w:sz')}").get(qn("w:val")) == "28"  # 四号
            fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            assert fonts.get(qn("w:eastAsia")) == "宋体"


def test_page_number_sits_7_mm_below_the_text_block(document):
    section = document.sections[0]
    block_foot = section.page_height - section.bottom_margin
    footer = section.footer.paragraphs[0].paragraph_format
    assert footer.line_spacing_rule == WD_LINE_SPACING.EXACTLY and footer.line_spacing == Pt(14)
    number_top = section.page_height - section.footer_distance - footer.line_spacing
    assert abs((number_top - block_foot) - Mm(7)) < Mm(0.1)
    assert abs(section.bottom_margin - Mm(35)) < Mm(0.1)


def test_document_grid_22_lines_of_28_characters(document):
    section = document.sections[0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines"
    pitch = int(grid.get(qn("w:linePitch")))
    block = section.page_height - section.top_margin - section.bottom_margin
    assert int(block / 635 / pitch) == 22  # 225 mm holds 22 lines of the pitch (1 twip = 635 EMU) …
    assert block / 635 - 22 * pitch < 20  # … with less than a point left over (28 pt left 7.7 mm)
    width_pt = (section.page_width - section.left_margin - section.right_margin) / 12700

    def advance(element) -> float:  # a 三号 character's advance after the style's spacing, in pt
        spacing = element.find(f"{qn('w:rPr')}/{qn('w:spacing')}")
        return 16 + int(spacing.get(qn("w:val"))) / 20

    for name in (STYLE_HEADING, STYLE_SUBHEADING, STYLE_BODY, STYLE_SIGNATURE):
        style = document.styles[name]
        pf = style.paragraph_format
        assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY and pf.line_spacing.twips == pitch, name
        assert style.font.size == Pt(16)
        assert int(width_pt / advance(style.element)) == 28, name  # 16 pt unspaced would fit 27
        assert int(width_pt / 16) == 27
    # the runs carry the spacing too (text pasted elsewhere keeps its 28-character line)
    body_runs = [r for p in document.paragraphs if p.style.name == STYLE_BODY for r in p.runs]
    assert body_runs and all(int(width_pt / advance(r._r)) == 28 for r in body_runs)
    # tables and the title are off the line grid: a single-spaced table row is not stretched
    for name in (STYLE_TITLE, "GK 表格"):
        snap = document.styles[name].element.find(f"{qn('w:pPr')}/{qn('w:snapToGrid')}")
        assert snap is not None and snap.get(qn("w:val")) == "0", name


def test_signature_of_an_unsealed_document_per_gbt_9704_7_3_5_2(document):
    from gkassist.render.docx import signature_indents

    paragraphs = document.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.style.name == STYLE_SIGNATURE)
    agency, day = paragraphs[at:at + 2]
    assert day.style.name == STYLE_SIGNATURE and paragraphs[at - 1].text == ""  # 空一行

    def right_chars(p) -> float:
        return int(p._p.pPr.find(qn("w:ind")).get(qn("w:rightChars"))) / 100

    def start(p) -> float:  # where the first character sits, in characters from the right edge
        width = sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in p.text)
        return right_chars(p) + width

    assert right_chars(agency) == 2  # 右空二字
    assert start(agency) - start(day) == 2  # the date's first character two to the right
    # a date longer than the name: the date 右空二字, the name moves left
    assert signature_indents("某某局", "2026年12月31日") == (8.0, 2.0)  # 3 + 8 = 7 + 2 + 2
    assert signature_indents("某某局", "") == (2.0, 0.0)


def test_tables_may_break_across_pages_only_label_rows_keep_with_next(document):
    def keeps(table) -> list[bool]:
        return [any(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)
                for row in table.rows]

    t2, t3, t4 = document.tables
    assert keeps(t3) == [True] * 3 + [False] * 25  # the header stays with the first row, no more
    assert keeps(t4) == [True, True, True, False]
    # 二: each article row and its column labels go with their first figure row, figure rows break
    assert keeps(t2) == [True, True, False, False] + [True, True, False] + [True, True, False, False] \
        + [True, True, False]


def test_east_asian_fonts_on_styles_and_runs(document):
    styles = document.styles
    expected = {STYLE_TITLE: FONT_TITLE, STYLE_HEADING: FONT_HEADING, STYLE_SUBHEADING: FONT_SUBHEADING,
                STYLE_BODY: FONT_BODY, "Normal": FONT_BODY}
    for style, font in expected.items():
        assert east_asia(styles[style].element) == font, style
        assert styles[style].font.name == font
    for p in document.paragraphs:
        if p.style.name in expected and p.runs:
            for run in p.runs:
                assert east_asia(run._r) == expected[p.style.name], p.text
    for r, c in ((3, 0), (3, 3), (2, 4)):  # a row label, a figure, a column label
        cell_run = document.tables[1].cell(r, c).paragraphs[0].runs[0]
        assert east_asia(cell_run._r) == FONT_BODY
    assert document.tables[1].cell(3, 0).paragraphs[0].runs[0].font.size == Pt(10)
    defaults = styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}")
    assert east_asia(defaults) == FONT_BODY


def test_sizes_indent_and_fixed_line_spacing(document):
    styles = document.styles
    assert styles[STYLE_TITLE].font.size == Pt(22)
    for name in (STYLE_HEADING, STYLE_SUBHEADING, STYLE_BODY):
        assert styles[name].font.size == Pt(16)
    body = styles[STYLE_BODY].paragraph_format
    assert body.first_line_indent == Pt(32)
    assert body.line_spacing_rule == WD_LINE_SPACING.EXACTLY and body.line_spacing == Pt(28.95)
    cell = document.tables[1].cell(3, 3).paragraphs[0]
    assert cell.style.paragraph_format.line_spacing_rule == WD_LINE_SPACING.SINGLE
    assert document.tables[2].cell(3, 0).paragraphs[0].runs[0].font.size < Pt(10)


# ------------------------------------------------------------------ typed text, errors, determinism


def test_markup_and_control_characters_in_typed_text():
    report = full_report()
    report.overview.lead = "A<script>alert(1)</script> & B\x01\x08\x1f结束"
    report.other.other = "税费 < 1 万元 & 无\x00\x0b另起\ufffe"
    document = read(report)
    texts = [p.text for p in document.paragraphs]
    assert "A<script>alert(1)</script> & B结束" in texts
    assert "税费 < 1 万元 & 无" in texts and "另起" in texts  # a vertical tab is a line break
    assert not any(ch in "".join(texts) for ch in "\x00\x01\x08\x0b\x1f\ufffe")


def test_missing_agency_or_year_is_a_chinese_error():
    with pytest.raises(GkError, match="机关全称"):
        render_docx(Report(year=2025))
    with pytest.raises(GkError, match="年度"):
        render_docx(Report(agency=Agency(name="某镇人民政府")))


def test_same_report_same_bytes_and_fixed_properties():
    report = full_report()
    data = render_docx(report)
    assert render_docx(report) == data
    props = docx.Document(io.BytesIO(data)).core_properties
    assert props.author == "gkassist"
    assert props.created.year == 2026 and props.created.month == 1 and props.created.day == 15
    assert props.title == fmt.report_title("测试县河湾镇人民政府", 2025)


def test_layout_matches_the_official_template(samples_dir):
    """Our merged regions are exactly those of the official fill-in template."""
    template = docx.Document(str(samples_dir / "format-2021-template.docx"))
    ours = read(full_report())
    for theirs, mine in zip(template.tables, ours.tables, strict=True):
        assert grid_size(mine) == grid_size(theirs)
        assert merged_regions(mine) == merged_regions(theirs)
        labels = [["".join(c.text.split()) for c in row.cells] for row in theirs.rows]
        printed = [[c.text for c in row.cells] for row in mine.rows]
        for r, row in enumerate(labels):
            for c, text in enumerate(row):
                if text:  # every label the template prints, we print in the same cell
                    assert printed[r][c] == text, (r, c)


def test_example_report_renders():
    from gkassist import example
    report = example.example_report()
    document = read(report)
    assert document.paragraphs[0].text.replace("\n", "") == report.title
    t3 = document.tables[1]
    assert t3.cell(3, 9).text == str(report.applications.cell("new", "total"))
    assert t3.cell(26, 9).text == str(report.applications.cell("total", "total"))


def test_font_table_declares_the_gb_fonts_as_chinese():
    data = render_docx(full_report())
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml"))
    fonts = {el.get(qn("w:name")): el for el in root.iter(qn("w:font"))}
    for name in (FONT_BODY, FONT_HEADING, FONT_SUBHEADING, FONT_TITLE):
        assert fonts[name].find(qn("w:charset")).get(qn("w:val")) == "86", name
    assert fonts[FONT_BODY].find(qn("w:altName")).get(qn("w:val")) == "仿宋"


def test_the_importer_reads_every_figure_back(tmp_path):
    from gkassist import importers
    report = full_report()
    path = tmp_path / "报告.docx"
    path.write_bytes(render_docx(report))
    back = importers.import_file(path).report
    assert (back.agency.name, back.year) == (report.agency.name, report.year)
    for row in fmt.ROW_KEYS:
        assert back.applications.rows[row].values() == report.applications.rows[row].values(), row
    assert back.proactive == report.proactive
    assert back.reviews == report.reviews


def test_long_figures_get_a_smaller_size_instead_of_wrapping():
    report = full_report()
    report.applications.set("new", "natural_person", 93001)
    report.reviews.review.upheld = 12072
    document = read(report)
    assert read(Report(agency=Agency(name="某局"), year=2024)).tables[1].cell(3, 3) \
        .paragraphs[0].runs[0].font.size == Pt(10)  # short figures keep the table size
    t3, t4 = document.tables[1], document.tables[2]
    assert t3.cell(3, 3).text == "93001"
    figure = t3.cell(3, 3).paragraphs[0].runs[0].font.size
    assert figure <= Pt(9) and figure >= Pt(7)
    assert t3.cell(28 - 1, 3).paragraphs[0].runs[0].font.size == figure  # one size per table
    assert t3.cell(3, 0).paragraphs[0].runs[0].font.size == Pt(10)  # labels keep theirs
    assert t4.cell(3, 0).text == "12072" and t4.cell(3, 0).paragraphs[0].runs[0].font.size < Pt(9)
    assert t4.cell(2, 0).paragraphs[0].runs[0].font.size == Pt(9)


def test_docs_script_says_what_is_missing_without_libreoffice(monkeypatch, capsys, tmp_path):
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / "bench" / "docs_pdf.py"
    spec = importlib.util.spec_from_file_location("docs_pdf", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module.shutil, "which", lambda name: None)
    assert module.main(["--out", str(tmp_path)]) == 1
    assert "soffice" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())  # nothing half-made
