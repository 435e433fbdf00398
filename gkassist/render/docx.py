"""The Word writer: a 公文-style A4 .docx of a report with the official merged-cell tables."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.table import _Cell
from lxml import etree

from gkassist import format as fmt
from gkassist.model import Report
from gkassist.render.context import Grid, Part, build_report_context, signature_indents

__all__ = [
    "FONT_BODY",
    "FONT_HEADING",
    "FONT_PAGE_NUMBER",
    "FONT_SUBHEADING",
    "FONT_TITLE",
    "STYLE_BODY",
    "STYLE_HEADING",
    "STYLE_SIGNATURE",
    "STYLE_SUBHEADING",
    "STYLE_TABLE",
    "STYLE_TITLE",
    "render_docx",
]

# The fonts 党政机关公文格式 (GB/T 9704) names; named, never embedded.
FONT_TITLE = "方正小标宋简体"
FONT_HEADING = "黑体"
FONT_SUBHEADING = "楷体_GB2312"
FONT_BODY = "仿宋_GB2312"
FONT_PAGE_NUMBER = "宋体"

SIZE_TITLE = Pt(22)  # 二号
SIZE_BODY = Pt(16)  # 三号
SIZE_TABLE = Pt(10)  # as the official template: a 5-digit count still fits a figure column
SIZE_TABLE_WIDE = Pt(9)  # 小五: the 15 narrow columns of table 四
SIZE_PAGE_NUMBER = Pt(14)  # 四号
# GB/T 9704-2012 5.2.2/5.2.3: a 156 mm × 225 mm text block of 22 lines × 28 characters. The line
# pitch fills the block exactly (225 mm / 22 = 579 twips, 28.95 pt) — 28 pt would leave 7.7 mm of
# slack at the foot. The character pitch (156 mm / 28 = 15.8 pt) comes from condensing 三号 text by
# a quarter point (CHAR_SPACING_TWIPS), not from a negative w:charSpace on a linesAndChars grid:
# LibreOffice gives every 16 pt character two 15.8 pt grid cells there (14 characters a line, a
# 7-page report on 13 pages), while condensed text is 28 characters a line in Word, WPS and
# LibreOffice alike.
BLOCK_WIDTH_MM, BLOCK_HEIGHT_MM = 156, 225
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
LINE_PITCH_TWIPS = int(BLOCK_HEIGHT_MM / 25.4 * 1440 / LINES_PER_PAGE)  # 579
LINE = Twips(LINE_PITCH_TWIPS)
CHAR_PITCH_PT = BLOCK_WIDTH_MM / 25.4 * 72 / CHARS_PER_LINE  # 15.79 pt
CHAR_SPACING_TWIPS = -5  # 16 pt − 0.25 pt = 15.75 pt: 28 characters take 441 of the 442 pt line
INDENT = Pt(32)  # two characters of 三号
# GB/T 9704-2012 7.5: the page number's 一字线 sits 7 mm below the text block.
PAGE_NUMBER_GAP_MM = 7
PAGE_NUMBER_DASH = "\u2014"  # 一字线 (EM DASH), one each side of the number

STYLE_TITLE = "GK 标题"
STYLE_HEADING = "GK 一级标题"
STYLE_SUBHEADING = "GK 二级标题"
STYLE_BODY = "GK 正文"
STYLE_TABLE = "GK 表格"
STYLE_SIGNATURE = "GK 落款"
_ON_GRID = ("GK 一级标题", "GK 二级标题", "GK 正文", "GK 落款")  # 三号 text on the 22 × 28 grid
_STYLE_FONTS = {
    STYLE_TITLE: (FONT_TITLE, SIZE_TITLE),
    STYLE_HEADING: (FONT_HEADING, SIZE_BODY),
    STYLE_SUBHEADING: (FONT_SUBHEADING, SIZE_BODY),
    STYLE_BODY: (FONT_BODY, SIZE_BODY),
    STYLE_SIGNATURE: (FONT_BODY, SIZE_BODY),
}

# 156 mm of text width (210 − 28 − 26) in twips, shared out like the official template.
_TEXT_WIDTH = round(156 / 25.4 * 1440)
_T2_WIDTHS = (2844, 2000, 2000, 2000)
# 三: （三）不予公开 on two lines, 2.其他法律行政法规禁止公开 on one, five digits per figure.
_T3_WIDTHS = (600, 960, 2944) + (620,) * 7
_T4_WIDTHS = (589,) * 14 + (_TEXT_WIDTH - 589 * 14,)
_CELL_MARGIN = 57  # twips left and right, as the official template
_MIN_FIGURE_PT = 7

# Characters XML 1.0 forbids (python-docx refuses them); tab and newline are handled apart.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def render_docx(report: Report) -> bytes:
    """The report as a .docx file (bytes): A4, 公文 fonts and margins, the three official tables.

    Raises GkError (Chinese) when the agency name or the year is missing.
    """
    ctx = build_report_context(report)
    doc = Document()
    _setup_styles(doc)
    _setup_page(doc)
    _title(doc, ctx.title_lines)
    _add_paragraphs(doc, ctx.preface + ([ctx.contact] if ctx.contact else []))

    _add_text(doc, ctx.headings["overview"], STYLE_HEADING)
    _add_paragraphs(doc, ctx.overview_lead)
    _add_parts(doc, ctx.overview_parts)
    _add_text(doc, ctx.headings["proactive"], STYLE_HEADING)
    _add_grid(doc, ctx.proactive_grid, _T2_WIDTHS)
    _after_table(_add_text(doc, ctx.headings["applications"], STYLE_HEADING))
    _add_grid(doc, ctx.application_grid, _T3_WIDTHS)
    _after_table(_add_text(doc, ctx.headings["reviews"], STYLE_HEADING))
    _add_grid(doc, ctx.review_grid, _T4_WIDTHS, size=SIZE_TABLE_WIDE)
    _after_table(_add_text(doc, ctx.headings["problems"], STYLE_HEADING))
    _add_parts(doc, ctx.problems)
    _add_text(doc, ctx.headings["other"], STYLE_HEADING)
    _add_paragraphs(doc, ctx.other)

    _signature(doc, ctx.signature.agency, ctx.signature.date)
    _core_properties(doc, report, ctx.title)
    _font_table(doc)
    buffer = io.BytesIO()
    doc.save(buffer)
    return _stable_zip(buffer.getvalue(), _stamp(report))


# ------------------------------------------------------------------ narrative


def _add_parts(doc, parts: list[Part]) -> None:
    for part in parts:
        if part.heading:
            _add_text(doc, part.heading, STYLE_SUBHEADING)
        _add_paragraphs(doc, part.paragraphs)


def _add_paragraphs(doc, texts: list[str]) -> None:
    for text in texts:
        _add_text(doc, text, STYLE_BODY)


def _title(doc, lines: list[str]) -> None:
    """The title, broken after the agency name when it needs two lines (see context.title_lines)."""
    paragraph = _add_text(doc, lines[0], STYLE_TITLE)
    run = paragraph.runs[0]
    for line in lines[1:]:
        run.add_break()
        run.add_text(_clean(line))


def _after_table(paragraph) -> None:
    # A little air between a table's bottom border and the next heading (half a line).
    paragraph.paragraph_format.space_before = Pt(10)


def _signature(doc, agency: str, date: str) -> None:
    _blank_line(doc)  # 7.3.5.2: 在正文下空一行
    agency_right, date_right = signature_indents(agency, date)
    for text, right in ((agency, agency_right), (date, date_right)):
        if not text:
            continue
        paragraph = _add_text(doc, text, STYLE_SIGNATURE)
        _right_indent_chars(paragraph, right)


def _right_indent_chars(paragraph, chars: float) -> None:
    # w:rightChars (hundredths of a character) is what Word and WPS follow on the grid; w:right
    # in twips is the same distance for readers that ignore it.
    paragraph.paragraph_format.right_indent = Pt(chars * CHAR_PITCH_PT)
    ind = paragraph._p.get_or_add_pPr().find(qn("w:ind"))
    ind.set(qn("w:rightChars"), str(round(chars * 100)))


def _blank_line(doc) -> None:
    doc.add_paragraph(style=STYLE_BODY)


def _clean(text: str) -> str:
    return _CONTROL.sub("", text)


def _add_text(doc, text: str, style: str):
    paragraph = doc.add_paragraph(style=style)
    run = paragraph.add_run(_clean(text).replace("\r", " ").replace("\n", " "))
    # Direct fonts as well as the style's: they survive a paste into another agency's document.
    font, size = _STYLE_FONTS[style]
    r_pr = run._element.get_or_add_rPr()
    _set_font(run.font, r_pr, font, size)
    if style in _ON_GRID:
        _condense(r_pr)
    return paragraph


# ------------------------------------------------------------------ tables


def _add_grid(doc, grid: Grid, widths: tuple[int, ...], *, size=SIZE_TABLE):
    """A context grid as a Word table: merged regions, header rows repeated on each page.

    A table may break across pages (GB/T 9704-2012 leaves no half page blank before a table): only
    a row of labels without figures — the header rows, an article row of 二 — is kept with the row
    after it, so no page ends on a header.
    """
    if len(widths) != grid.width:
        raise ValueError(f"{grid.width} columns, {len(widths)} widths")
    rows = grid.rows
    table = _new_table(doc, len(rows), widths)
    style_id = doc.styles[STYLE_TABLE].style_id
    # The cells before any merge; merged regions never overlap, so these stay valid throughout
    # (table.cell() would rebuild the whole grid on every call).
    cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    figures = _figure_size(grid, widths, size)
    for r, placed in enumerate(grid.placed()):
        # A label in a row that holds figures names that row: left-aligned as in the template.
        row_label = any(cell.numeric for _, cell in placed) and r >= len(grid.head)
        for c, cell in placed:
            target = cells[r][c]
            if cell.rowspan > 1 or cell.colspan > 1:
                target = target.merge(cells[r + cell.rowspan - 1][c + cell.colspan - 1])
            _put(target, cell.text, style_id, left=row_label and not cell.numeric,
                 size=figures if cell.numeric else size)
    for r in range(len(grid.head)):
        _repeat_header(table.rows[r])
    for r, placed in enumerate(grid.placed()[:-1]):
        if not any(cell.numeric for _, cell in placed):
            _keep_with_next(table.rows[r])
    return table


def _figure_size(grid: Grid, widths: tuple[int, ...], size):
    """The size for a table's figures: smaller when its longest figure would wrap mid-number.

    A digit is half a 汉字 in 仿宋; 0.55 em leaves room for a wider substitute font.
    """
    size_pt = size.pt
    for placed in grid.placed():
        for c, cell in placed:
            if cell.numeric and cell.text:
                inner = (sum(widths[c:c + cell.colspan]) - 2 * _CELL_MARGIN) / 20
                size_pt = min(size_pt, inner / (0.55 * len(cell.text)))
    return Pt(max(_MIN_FIGURE_PT, int(size_pt * 2) / 2))


def _new_table(doc, rows: int, widths: tuple[int, ...]):
    table = doc.add_table(rows=rows, cols=len(widths))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    margins = OxmlElement("w:tblCellMar")
    for side, width in (("top", 0), ("left", _CELL_MARGIN), ("bottom", 0), ("right", _CELL_MARGIN)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(width))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = tbl_pr.find(qn("w:tblLook"))  # schema order: tblCellMar comes before tblLook
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    for c, width in enumerate(widths):
        table.columns[c].width = Twips(width)
    for row in table.rows:
        _cant_split(row)
        for c, tc in enumerate(row._tr.tc_lst):
            cell = _Cell(tc, table)
            cell.width = Twips(widths[c])
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return table


def _put(cell, text: str, style_id: str, *, left: bool = False, size=None) -> None:
    """Write `text` into a (possibly merged) cell: one paragraph, table style."""
    paragraphs = cell.paragraphs
    for extra in paragraphs[1:]:  # merging leaves the spanned cells' empty paragraphs behind
        extra._element.getparent().remove(extra._element)
    paragraph = paragraphs[0]
    for run in list(paragraph.runs):
        run._element.getparent().remove(run._element)
    paragraph._p.get_or_add_pPr().style = style_id
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(_clean(text))
    _set_font(run.font, run._element.get_or_add_rPr(), FONT_BODY, size or SIZE_TABLE)


def _row_property(row, tag: str) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        el = OxmlElement(tag)
        tr_pr.append(el)


def _repeat_header(row) -> None:
    _row_property(row, "w:tblHeader")


def _cant_split(row) -> None:
    _row_property(row, "w:cantSplit")


def _keep_with_next(row) -> None:
    for cell in row.cells:
        for paragraph in cell.paragraphs:
            paragraph.paragraph_format.keep_with_next = True


# ------------------------------------------------------------------ page, styles, fonts


def _setup_page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    # GB/T 9704-2012 5.2.1: 天头 37 mm, 订口 28 mm; the 156 × 225 mm block leaves 35 mm and 26 mm.
    section.top_margin, section.bottom_margin = Mm(37), Mm(297 - 37 - BLOCK_HEIGHT_MM)
    section.left_margin, section.right_margin = Mm(28), Mm(210 - 28 - BLOCK_WIDTH_MM)
    section.header_distance = Mm(15)
    # Word measures the footer distance to the foot of the footer line: the line (exactly 四号 high)
    # then starts PAGE_NUMBER_GAP_MM below the text block (GB/T 9704-2012 7.5).
    section.footer_distance = Mm(297 - 37 - BLOCK_HEIGHT_MM - PAGE_NUMBER_GAP_MM) - SIZE_PAGE_NUMBER
    _document_grid(section)
    # GB/T 9704-2012 7.5: odd pages right, even pages left, one character in from the block's edge.
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _document_grid(section) -> None:
    """The 22-line grid of GB/T 9704-2012 5.2.3 as Word's document grid (w:docGrid type="lines").

    Text paragraphs step exactly one line pitch; tables, the title and the footer opt out of the
    grid (w:snapToGrid 0) so a single-spaced table row is not stretched to a full line.
    """
    sect_pr = section._sectPr
    grid = sect_pr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect_pr.append(grid)
    for attr in list(grid.attrib):
        del grid.attrib[attr]
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))


def _no_grid(p_pr) -> None:
    el = p_pr.find(qn("w:snapToGrid"))
    if el is None:
        el = OxmlElement("w:snapToGrid")
        p_pr.insert_element_before(el, *_AFTER_SNAP)
    el.set(qn("w:val"), "0")


_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
               "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _condense(r_pr) -> None:
    """28 三号 characters to the 156 mm line (GB/T 9704-2012 5.2.3), see CHAR_SPACING_TWIPS."""
    el = r_pr.find(qn("w:spacing"))
    if el is None:
        el = OxmlElement("w:spacing")
        # CT_RPr order: w:spacing comes after fonts, weight, colour … and before w:w, w:kern, w:sz
        later = [r_pr.find(qn(t)) for t in ("w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight",
                                            "w:u", "w:effect", "w:vertAlign", "w:lang", "w:eastAsianLayout")]
        first = next((e for e in later if e is not None), None)
        if first is not None:
            first.addprevious(el)
        else:
            r_pr.append(el)
    el.set(qn("w:val"), str(CHAR_SPACING_TWIPS))


def _page_number(footer, alignment) -> None:
    """`— N —` in 四号 半角 digits, exactly one 四号 line high, one character in from its side."""
    footer.alignment = alignment
    pf = footer.paragraph_format
    pf.first_line_indent = 0
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = SIZE_PAGE_NUMBER
    _no_grid(footer._p.get_or_add_pPr())
    one_char = SIZE_PAGE_NUMBER  # “空一字”: one character of the page number's own size
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        pf.right_indent, pf.left_indent = one_char, 0
    else:
        pf.left_indent, pf.right_indent = one_char, 0
    _page_run(footer, f"{PAGE_NUMBER_DASH} ")
    _page_field(footer)
    _page_run(footer, f" {PAGE_NUMBER_DASH}")


def _page_run(paragraph, text: str):
    run = paragraph.add_run(text)
    _set_font(run.font, run._element.get_or_add_rPr(), FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER,
              latin="Times New Roman")
    return run


def _page_field(paragraph) -> None:
    """A PAGE field (complex form, so Word, WPS and LibreOffice all update it)."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = _page_run(paragraph, "")
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._element.append(instr)
        else:
            run.text = text


def _set_font(font, r_pr, name: str, size, *, latin: str | None = None) -> None:
    """Name a font for Latin and East Asian text both (Word picks w:eastAsia for 汉字)."""
    font.name = latin or name
    font.size = size
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(attr), None)
    r_fonts.set(qn("w:eastAsia"), name)
    r_fonts.set(qn("w:cs"), latin or name)


def _setup_styles(doc) -> None:
    styles = doc.styles
    _doc_defaults(doc)
    normal = styles["Normal"]
    _style_font(normal, FONT_BODY, SIZE_BODY)
    _spacing(normal.paragraph_format, LINE)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.widow_control = False

    title = _paragraph_style(doc, STYLE_TITLE, FONT_TITLE, SIZE_TITLE)
    _spacing(title.paragraph_format, Pt(36))
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.space_after = LINE
    _no_grid(title.element.get_or_add_pPr())

    heading = _paragraph_style(doc, STYLE_HEADING, FONT_HEADING, SIZE_BODY, outline=0)
    heading.paragraph_format.first_line_indent = INDENT
    heading.paragraph_format.keep_with_next = True

    sub = _paragraph_style(doc, STYLE_SUBHEADING, FONT_SUBHEADING, SIZE_BODY, outline=1)
    sub.paragraph_format.first_line_indent = INDENT
    sub.paragraph_format.keep_with_next = True

    body = _paragraph_style(doc, STYLE_BODY, FONT_BODY, SIZE_BODY)
    body.paragraph_format.first_line_indent = INDENT
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    signature = _paragraph_style(doc, STYLE_SIGNATURE, FONT_BODY, SIZE_BODY)
    signature.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signature.paragraph_format.right_indent = INDENT

    table = _paragraph_style(doc, STYLE_TABLE, FONT_BODY, SIZE_TABLE)
    table.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    table.paragraph_format.first_line_indent = 0
    table.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _no_grid(table.element.get_or_add_pPr())
    for name in _ON_GRID:
        _condense(doc.styles[name].element.get_or_add_rPr())


def _spacing(paragraph_format, line) -> None:
    paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph_format.line_spacing = line


def _paragraph_style(doc, name: str, font: str, size, *, outline: int | None = None):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    style.quick_style = True
    _style_font(style, font, size)
    fmt_ = style.paragraph_format
    fmt_.space_before = fmt_.space_after = Pt(0)
    fmt_.first_line_indent = 0
    _spacing(fmt_, LINE)  # stated on each style, not only inherited: WPS reads it from here
    if outline is not None:
        _outline(style, outline)
    return style


def _outline(style, level: int | None) -> None:
    """Outline level, so Word's navigation pane and WPS's 目录 see the headings."""
    if level is None:
        return
    p_pr = style.element.get_or_add_pPr()
    el = OxmlElement("w:outlineLvl")
    el.set(qn("w:val"), str(level))
    p_pr.append(el)


def _style_font(style, name: str, size) -> None:
    _set_font(style.font, style.element.get_or_add_rPr(), name, size)
    style.font.bold = False
    style.font.italic = False


def _doc_defaults(doc) -> None:
    """The document-wide default run font, so text outside our styles is 仿宋 too."""
    styles_el = doc.styles.element
    defaults = styles_el.find(qn("w:docDefaults"))
    if defaults is None:
        return
    r_pr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if r_pr is None:
        return
    r_fonts = r_pr.find(qn("w:rFonts"))
    if r_fonts is None:
        r_fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, r_fonts)
    for attr in list(r_fonts.attrib):
        del r_fonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        r_fonts.set(qn(attr), FONT_BODY)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


# The GB fonts as the font table lists them: charset 86 (GB2312) tells Word and WPS to substitute
# a Chinese face when the font is missing; altName is the font most PCs do have.
_FONT_TABLE = (
    (FONT_BODY, "仿宋"), (FONT_SUBHEADING, "楷体"), (FONT_TITLE, "宋体"), (FONT_HEADING, None),
    (FONT_PAGE_NUMBER, None),
)


def _font_table(doc) -> None:
    part = next((p for p in doc.part.package.iter_parts()
                 if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    known = {el.get(qn("w:name")) for el in root.iter(qn("w:font"))}
    for name, alt in _FONT_TABLE:
        if name in known:
            continue
        font = etree.SubElement(root, qn("w:font"))
        font.set(qn("w:name"), name)
        if alt:
            etree.SubElement(font, qn("w:altName")).set(qn("w:val"), alt)
        for tag, value in (("w:charset", "86"), ("w:family", "auto"), ("w:pitch", "variable")):
            etree.SubElement(font, qn(tag)).set(qn("w:val"), value)
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# ------------------------------------------------------------------ determinism


def _stamp(report: Report) -> datetime:
    """A fixed time for the file: the publication date, else 1 January after the report year."""
    if report.published:
        d = report.published
        return datetime(d.year, d.month, d.day, tzinfo=UTC)
    year = report.year if report.year is not None else 2020  # no year yet: a fixed stamp all the same
    return datetime(year + 1, 1, 1, tzinfo=UTC)


def _core_properties(doc, report: Report, title: str) -> None:
    props = doc.core_properties
    stamp = _stamp(report).replace(tzinfo=None)
    props.author = "gkassist"
    props.last_modified_by = "gkassist"
    props.title = _clean(title)[:255]  # Word's core properties hold at most 255 characters
    props.subject = fmt.TITLE_SUFFIX
    props.comments = ""
    props.keywords = ""
    props.category = ""
    props.revision = 1
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp


def _stable_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite the package with fixed entry times so the same report gives the same bytes."""
    when = (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=when)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
