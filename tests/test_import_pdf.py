"""PDF import: the committed PDFs (made by tests/fixtures/pdf/make.py from our own Word and HTML
render of each shared sample) give back every figure of samples/*.figures.json; encrypted and
image-only PDFs are refused in Chinese; page furniture is dropped; empty cells stay blank."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.importers import import_file
from gkassist.model import Report

PDFS = Path(__file__).resolve().parent / "fixtures" / "pdf"
T2_KEYS = {fmt.ROW_RULES: "rules", fmt.ROW_NORMATIVE: "normative", fmt.ROW_LICENSING: "licensing",
           fmt.ROW_PENALTY: "penalty", fmt.ROW_ENFORCEMENT: "enforcement", fmt.ROW_FEE: "fee"}


def sample_figures(r: Report) -> dict:
    """A report's three tables in the shape of samples/*.figures.json (None = a blank cell)."""
    p = r.proactive
    t2: dict = {}
    for label, key in T2_KEYS.items():
        if key in ("rules", "normative"):
            docs = getattr(p, key)
            t2[label] = [docs.issued, docs.repealed, docs.in_force]
        elif key == "fee":
            t2[label] = None if p.fee is None else float(p.fee)
        else:
            t2[label] = getattr(p, key)
    t3 = {row.label: [r.applications.value(row.key, c) for c in fmt.COLUMN_KEYS]
          + [r.applications.cell(row.key, "total")] for row in fmt.T3_ROWS}
    t4 = {}
    for (block, _), label in zip(fmt.T4_BLOCKS, ("行政复议", "行政诉讼 未经复议直接起诉", "行政诉讼 复议后起诉")):
        b = r.reviews.block(block)
        t4[label] = [getattr(b, c) for c in fmt.OUTCOME_KEYS_T4] + [b.total]
    return {"表二": t2, "表三": t3, "表四": t4}


def truth(samples_dir: Path, stem: str, *, rendered: bool) -> dict:
    """samples/<stem>.figures.json; for a PDF of OUR render a blank cell was printed as 0."""
    data = json.loads((samples_dir / f"{stem}.figures.json").read_text(encoding="utf-8"))
    data.pop("_note", None)

    def fill(v):
        if isinstance(v, dict):
            return {k: fill(x) for k, x in v.items()}
        if isinstance(v, list):
            return [fill(x) for x in v]
        return 0 if v is None and rendered else v

    return fill(data)


@cache
def imported(pdf: str):
    """Each committed PDF is imported once per test run (pdfplumber lays out every page: seconds)."""
    return import_file(PDFS / pdf)


SAMPLES_BY_PDF = [
    ("2021_gaopingzhen.docx.pdf", "2021_gaopingzhen"),
    ("2023_shuyang-fagaiju.docx.pdf", "2023_shuyang-fagaiju"),
    ("2024_huaian-shi.docx.pdf", "2024_huaian-shi"),
    ("2024_huaian-shi.html.pdf", "2024_huaian-shi"),
    ("2024_huaian-shi.noruling.pdf", "2024_huaian-shi"),
]


@pytest.mark.parametrize("pdf, stem", SAMPLES_BY_PDF)
def test_rendered_pdf_gives_back_every_figure(samples_dir, pdf, stem):
    result = imported(pdf)
    assert result.source_kind == "pdf"
    got = sample_figures(result.report)
    assert got == truth(samples_dir, stem, rendered=True)
    # Figures came through the shared table reader: the printed cells are what the PDF shows.
    cells = result.report.printed.cells
    assert len([k for k in cells if k.startswith("t3.")]) == 25 * 7
    assert all(v != "" for k, v in cells.items() if k.startswith(("t3.", "t4.")))


@pytest.mark.parametrize("pdf, agency, year, kind", [
    ("2021_gaopingzhen.docx.pdf", "高平镇人民政府", 2021, fmt.AgencyKind.TOWN),
    ("2023_shuyang-fagaiju.docx.pdf", "沭阳县发展和改革局", 2023, fmt.AgencyKind.COUNTY_DEPARTMENT),
    ("2024_huaian-shi.docx.pdf", "淮安市人民政府", 2024, fmt.AgencyKind.CITY_GOVERNMENT),
    ("2024_huaian-shi.html.pdf", "淮安市人民政府", 2024, fmt.AgencyKind.CITY_GOVERNMENT),
])
def test_title_sections_and_text(pdf, agency, year, kind):
    """The title set over two lines is one title; all six headings; no page number or running
    head (Chromium prints the date, the title, the file address and `1/7`) in the text."""
    r = imported(pdf).report
    assert (r.agency.name, r.year, r.agency.kind) == (agency, year, kind)
    assert len({*r.printed.headings}) == 6
    parts = (r.overview.proactive, r.overview.on_request, r.problems.problems, r.problems.improvements,
             r.other.fee_statement, r.other.other)
    body = "\n".join(parts)
    assert "- 1 -" not in body and "file:" not in body.lower() and "/7" not in body
    assert "⺠" not in r.printed.text and "⼈" not in r.printed.text  # radicals read back as 民 and 人


def test_table_continued_over_a_page_keeps_its_header_once():
    """LibreOffice repeats table 三's three header rows on the next page: read once, and the row
    whose group label (（五）不予处理) breaks over the page still gets its figures."""
    from gkassist.importers.pdf import pdf_to_lines

    lines = pdf_to_lines((PDFS / "2024_huaian-shi.docx.pdf").read_bytes())
    assert sum(1 for ln in lines if ln.startswith("（本列数据的勾稽关系为：第一项加第二项之和")) == 3
    assert not any("- 4 -" in ln or ln.strip() in ("- 5 -", "5") for ln in lines)
    assert any(ln.endswith("2.重复申请\t25\t0\t0\t0\t0\t0\t25") for ln in lines)


def test_page_numbers_and_running_heads_are_dropped():
    from gkassist.importers.pdf import _drop_page_furniture, _Line, _Page

    def line(top: float, text: str) -> _Line:
        return _Line(top, top + 12, 100, 300, 12, [text])

    pages = [_Page(842, [line(30, "某某县人民政府办公室"), line(200, f"正文第{i}页的一句话。"),
                         line(800, number)], [])
             for i, number in enumerate(["— 1 —", "- 2 -", "第3页 共4页", "4"], 1)]
    _drop_page_furniture(pages)
    assert [[ln.text for ln in p.lines] for p in pages] == [[f"正文第{i}页的一句话。"] for i in range(1, 5)]


def test_huaian_pdf_narrative_and_fee(samples_dir):
    r = imported("2024_huaian-shi.docx.pdf").report
    assert r.other.fee_yuan == Decimal(3940)
    assert "3119" in r.overview.on_request and "\n" not in r.overview.on_request.strip()


def test_pdf_with_blank_cells_keeps_them_blank(samples_dir):
    """A ruled table whose applicant cells are empty: the cells stay blank, nothing shifts left,
    and the figures are those of figures.json, nulls included."""
    from gkassist.importers.pdf import pdf_to_lines

    pdf = PDFS / "2023_shuyang-fagaiju.blank-cells.pdf"
    lines = pdf_to_lines(pdf.read_bytes(), pdf.name)
    row = next(ln for ln in lines if ln.startswith("一、本年新收"))
    assert row.split("\t")[:8] == ["一、本年新收政府信息公开申请数量", "26", "", "", "", "", "", "26"]
    r = import_file(pdf).report
    assert sample_figures(r) == truth(samples_dir, "2023_shuyang-fagaiju", rendered=False)
    assert r.applications.value("new", "natural_person") == 26
    assert r.applications.value("new", "commercial") is None
    assert r.printed.cells["t3.new.commercial"] == ""
    assert r.printed.cells["t3.new.total"] == "26"


def test_encrypted_pdf_is_refused_in_chinese():
    with pytest.raises(GkError) as err:
        import_file(PDFS / "encrypted.pdf")
    assert "encrypted.pdf" in err.value.message and "加密" in err.value.message and "密码" in err.value.message


def test_image_only_pdf_is_refused_without_ocr():
    with pytest.raises(GkError) as err:
        import_file(PDFS / "image-only.pdf")
    assert "image-only.pdf" in err.value.message and "图片" in err.value.message and "OCR" in err.value.message


def test_broken_pdfs_are_refused_in_chinese(tmp_path):
    fake = tmp_path / "坏的.pdf"
    fake.write_bytes(b"%PDF-1.4\n this is not a pdf at all \n%%EOF\n")
    with pytest.raises(GkError) as err:
        import_file(fake)
    assert "坏的.pdf" in err.value.message and "PDF" in err.value.message
    renamed = tmp_path / "改名.pdf"
    renamed.write_text("只是一段文字。", encoding="utf-8")
    with pytest.raises(GkError) as err:
        import_file(renamed)
    assert "改名.pdf" in err.value.message and "PDF" in err.value.message
    truncated = tmp_path / "截断.pdf"
    truncated.write_bytes((PDFS / "2023_shuyang-fagaiju.docx.pdf").read_bytes()[:20000])
    with pytest.raises(GkError) as err:
        import_file(truncated)
    assert "截断.pdf" in err.value.message


def test_cli_imports_a_pdf(cli, workspace, tmp_path):
    out = tmp_path / "淮安.json"
    proc = cli("import", str(PDFS / "2024_huaian-shi.docx.pdf"), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "PDF 文件" in proc.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["agency"]["name"] == "淮安市人民政府"
    assert data["proactive"]["licensing"] == 447228
