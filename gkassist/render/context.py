"""Everything a rendered report shows, computed once: headings, paragraphs and the three tables.

The text templates (txt, md, html) and the Word writer all read this context, so a figure or a
label is worked out in one place. Tables are given as a merged-cell `Grid` (the official layout,
spans included) plus flat row lists for formats that cannot merge cells. Every label comes from
`gkassist.format`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from decimal import Decimal
from typing import Any

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.model import Report

# ------------------------------------------------------------------ small formatters


def count_text(value: int | None) -> str:
    """A count as printed: a blank (None) cell is printed as 0 — `check` reports it separately (R7)."""
    return str(value or 0)


def fee_text(value: Decimal | None) -> str:
    """万元 without trailing zeros and never in scientific notation: 0, 1.5, 96171.6, 0.03."""
    if value is None:
        return "0"
    text = format(Decimal(value).normalize(), "f")
    return "0" if Decimal(text) == 0 else text


def date_text(value: date | None) -> str:
    """2026年1月20日 (no leading zeros, as on a signed document)."""
    if value is None:
        return ""
    return f"{value.year}年{value.month}月{value.day}日"


def text_width(text: str) -> float:
    """Printed width in 汉字: ASCII letters and digits take half a character."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


TITLE_LINE = 20
"""汉字 of 二号 on one 156 mm line: a longer title breaks."""


def title_lines(title: str, agency: str) -> list[str]:
    """The title as printed: broken after the agency name when it needs two lines (公文 titles break
    by meaning, never inside a word); one line when short or when a half would still not fit."""
    rest = title[len(agency):] if agency and title.startswith(agency) else ""
    if rest and text_width(title) > TITLE_LINE and max(text_width(agency), text_width(rest)) <= TITLE_LINE:
        return [agency, rest]
    return [title]


def paragraphs(text: str) -> list[str]:
    """Typed text split into paragraphs: one per non-empty line, surrounding spaces removed.

    A TAB inside typed text becomes a space: in the txt format a TAB separates table cells.
    """
    lines = (line.replace("\t", " ").strip() for line in (text or "").splitlines())
    return [line for line in lines if line]


# ------------------------------------------------------------------ tables as merged-cell grids


@dataclass(frozen=True)
class Cell:
    """One cell of a table in its official layout; `rowspan`/`colspan` as in HTML."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    header: bool = False
    numeric: bool = False
    blank: bool = False
    """A figure cell nobody entered (or a 待核对 cell not yet confirmed): the text formats print 0
    (`check` reports it, R7); a workbook leaves the cell empty so the blank survives a round trip."""


@dataclass(frozen=True)
class Grid:
    """A table as rows of origin cells (HTML-style: a merged cell appears once, where it starts)."""

    width: int
    head: list[list[Cell]]
    body: list[list[Cell]]

    @property
    def rows(self) -> list[list[Cell]]:
        return self.head + self.body

    def placed(self) -> list[list[tuple[int, Cell]]]:
        """For every row, (column index, cell) of the cells that start in it."""
        taken: set[tuple[int, int]] = set()
        out: list[list[tuple[int, Cell]]] = []
        for r, row in enumerate(self.rows):
            col = 0
            placed_row = []
            for cell in row:
                while (r, col) in taken:
                    col += 1
                placed_row.append((col, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken.add((r + dr, col + dc))
                col += cell.colspan
            out.append(placed_row)
        return out

    def merges(self) -> list[tuple[int, int, int, int]]:
        """(row, column, rowspan, colspan) of every merged region — what a Word writer merges."""
        return [(r, c, cell.rowspan, cell.colspan)
                for r, row in enumerate(self.placed()) for c, cell in row
                if cell.rowspan > 1 or cell.colspan > 1]

    def text_rows(self) -> list[list[str]]:
        """The full grid, `width` strings per row: a merged cell's text at its origin, "" elsewhere.

        This is what copying the official table out of a page gives, and what the txt format prints.
        """
        grid = [[""] * self.width for _ in self.rows]
        for r, row in enumerate(self.placed()):
            for c, cell in row:
                grid[r][c] = cell.text
        return grid


def _label(text: str, *, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, rowspan=rowspan, colspan=colspan, header=True)


def _num(text: str, *, colspan: int = 1, blank: bool = False) -> Cell:
    return Cell(text, colspan=colspan, numeric=True, blank=blank)


# ------------------------------------------------------------------ 二、主动公开


@dataclass(frozen=True)
class ProactiveBlock:
    """One of the four small tables of 二: its 第二十条 heading, column labels and rows."""

    article: str
    columns: list[str]
    rows: list[list[str]]  # label, then one value per figure column
    blanks: list[list[bool]] = field(default_factory=list)  # per figure: left blank (None)


def _proactive_blocks(report: Report) -> list[ProactiveBlock]:
    p = report.proactive
    docs = [fmt.INFO_CONTENT, fmt.COL_ISSUED, fmt.COL_REPEALED, fmt.COL_IN_FORCE]
    decisions = [fmt.INFO_CONTENT, fmt.COL_DECISIONS]
    return [
        ProactiveBlock(fmt.ARTICLE_1, docs, [
            [fmt.ROW_RULES, count_text(p.rules.issued), count_text(p.rules.repealed),
             count_text(p.rules.in_force)],
            [fmt.ROW_NORMATIVE, count_text(p.normative.issued), count_text(p.normative.repealed),
             count_text(p.normative.in_force)],
        ], [[d.issued is None, d.repealed is None, d.in_force is None] for d in (p.rules, p.normative)]),
        ProactiveBlock(fmt.ARTICLE_5, decisions, [[fmt.ROW_LICENSING, count_text(p.licensing)]],
                       [[p.licensing is None]]),
        ProactiveBlock(fmt.ARTICLE_6, decisions, [
            [fmt.ROW_PENALTY, count_text(p.penalty)],
            [fmt.ROW_ENFORCEMENT, count_text(p.enforcement)],
        ], [[p.penalty is None], [p.enforcement is None]]),
        ProactiveBlock(fmt.ARTICLE_8, [fmt.INFO_CONTENT, fmt.COL_FEE], [[fmt.ROW_FEE, fee_text(p.fee)]],
                       [[p.fee is None]]),
    ]


def _proactive_grid(blocks: list[ProactiveBlock]) -> Grid:
    """The official single 4-column table of 二 (article rows span it; one-figure rows span 3)."""
    body: list[list[Cell]] = []
    for block in blocks:
        body.append([_label(block.article, colspan=4)])
        span = 4 - len(block.columns) + 1  # a lone figure column fills the width
        body.append([_label(block.columns[0])] + [_label(c, colspan=span) for c in block.columns[1:]])
        for i, row in enumerate(block.rows):
            blanks = block.blanks[i] if i < len(block.blanks) else [False] * (len(row) - 1)
            body.append([_label(row[0])] + [_num(v, colspan=span, blank=b) for v, b in zip(row[1:], blanks)])
    return Grid(width=4, head=[], body=body)


# ------------------------------------------------------------------ 三、申请


@dataclass(frozen=True)
class ApplicationRow:
    """A display row of table 三 with its place in the merged layout and its seven figures."""

    key: str
    label: str                 # the row's own label, e.g. 1.属于国家秘密
    location: str              # with its group, e.g. （三）不予公开 1.属于国家秘密
    group: str | None          # （三）–（六） group key of a numbered sub-row
    group_label: str
    starts_results: bool       # the first row under 三、本年度办理结果
    starts_group: bool         # the first sub-row of its （三）–（六） group
    group_size: int            # rows spanned by the group cell (when starts_group)
    label_span: int            # columns taken by the row's own label: 3, 2 or 1
    values: list[int]          # 6 applicant columns + 总计, derived cells included
    cells: list[str]           # the same as printed
    blanks: list[bool] = field(default_factory=list)  # per figure: an applicant cell left blank
    in_results: bool = False   # one of the 22 rows under 三、本年度办理结果
    full_label: str = ""       # every label the row sits under, e.g. 三、本年度办理结果 （三）不予公开 1.属于国家秘密


def _results_rows() -> int:
    # （一）、（二）、the numbered sub-rows and （七）总计 — 22 in the 2021 format.
    return sum(1 for r in fmt.T3_DISPLAY_ROWS if r.outcome or r.key == fmt.TOTAL_ROW.key)


def _application_rows(report: Report) -> list[ApplicationRow]:
    table = report.applications
    columns = list(fmt.COLUMN_KEYS) + ["total"]
    rows: list[ApplicationRow] = []
    seen_results = False
    seen_groups: set[str] = set()
    for row in fmt.T3_DISPLAY_ROWS:
        in_results = row.outcome or row.key == fmt.TOTAL_ROW.key
        starts_results = in_results and not seen_results
        seen_results = seen_results or in_results
        starts_group = bool(row.group) and row.group not in seen_groups
        if row.group:
            seen_groups.add(row.group)
        values = [table.cell(row.key, c) for c in columns]
        if row.group:
            span = 1
        elif in_results:
            span = 2
        else:
            span = 3
        rows.append(ApplicationRow(
            key=row.key, label=row.label, location=row.location, group=row.group,
            group_label=fmt.GROUP_LABEL.get(row.group, "") if row.group else "",
            starts_results=starts_results, starts_group=starts_group,
            group_size=fmt.GROUP_SIZES.get(row.group, 0) if row.group else 0,
            label_span=span, values=values, cells=[str(v) for v in values],
            in_results=bool(in_results),
            # derived cells (总计, the （七）总计 row) are never blank
            blanks=[c != "total" and row.key in table.rows and table.value(row.key, c) is None for c in columns],
            full_label=f"{fmt.RESULTS_GROUP} {row.location}" if in_results else row.location,
        ))
    return rows


def _application_grid(rows: list[ApplicationRow]) -> Grid:
    head = [
        [_label(fmt.T3_HEADER, rowspan=3, colspan=3), _label(fmt.APPLICANT_GROUP, colspan=7)],
        [_label(fmt.COLUMN_LABEL[fmt.COLUMN_KEYS[0]], rowspan=2), _label(fmt.ORG_GROUP, colspan=5),
         _label(fmt.TOTAL, rowspan=2)],
        [_label(fmt.COLUMN_LABEL[k]) for k in fmt.ORG_COLUMN_KEYS],
    ]
    body = []
    results_span = _results_rows()
    for row in rows:
        cells: list[Cell] = []
        if row.starts_results:
            cells.append(_label(fmt.RESULTS_GROUP, rowspan=results_span))
        if row.starts_group:
            cells.append(_label(row.group_label, rowspan=row.group_size))
        cells.append(_label(row.label, colspan=row.label_span))
        cells += [_num(v, blank=b) for v, b in zip(row.cells, row.blanks or [False] * len(row.cells))]
        body.append(cells)
    return Grid(width=10, head=head, body=body)


# ------------------------------------------------------------------ 四、复议诉讼


@dataclass(frozen=True)
class ReviewBlock:
    key: str
    label: str          # as in the merged header: 行政复议, 未经复议直接起诉, 复议后起诉
    name: str           # without merged cells: 行政复议, 行政诉讼 未经复议直接起诉 …
    values: list[int]   # 结果维持, 结果纠正, 其他结果, 尚未审结, 总计
    cells: list[str]
    blanks: list[bool] = field(default_factory=list)  # per figure: left blank (总计 never)


def _review_blocks(report: Report) -> list[ReviewBlock]:
    columns = list(fmt.OUTCOME_KEYS_T4) + ["total"]
    out = []
    for key, label in fmt.T4_BLOCKS:
        block = report.reviews.block(key)
        values = [block.cell(c) for c in columns]
        name = label if key == "review" else f"{fmt.LITIGATION} {label}"
        blanks = [c != "total" and getattr(block, c) is None for c in columns]
        out.append(ReviewBlock(key, label, name, values, [str(v) for v in values], blanks))
    return out


def _review_grid(blocks: list[ReviewBlock]) -> Grid:
    outcome_labels = [fmt.OUTCOME_LABEL[c] for c in list(fmt.OUTCOME_KEYS_T4) + ["total"]]
    head = [
        [_label(fmt.REVIEW, colspan=5), _label(fmt.LITIGATION, colspan=10)],
        [_label(t, rowspan=2) for t in outcome_labels] + [_label(b.label, colspan=5) for b in blocks[1:]],
        [_label(t) for _ in blocks[1:] for t in outcome_labels],
    ]
    body = [[_num(v, blank=blank) for b in blocks for v, blank in zip(b.cells, b.blanks)]]
    return Grid(width=15, head=head, body=body)


# ------------------------------------------------------------------ narrative blocks


@dataclass(frozen=True)
class Part:
    """A sub-headed block of narrative; `heading` may be "" for running text."""

    heading: str
    paragraphs: list[str]
    key: str = ""


def signature_indents(agency: str, date: str) -> tuple[float, float]:
    """Right indents, in characters, of the agency name and the date of an unsealed document.

    GB/T 9704-2012 7.3.5.2 (不加盖印章的公文): the agency name 右空二字; the date on the next line,
    its first character two characters right of the name's first; a date longer than that rule
    allows sits 右空二字 and the name moves left to keep the two-character step.
    """
    a, d = text_width(agency), text_width(date)
    if not date:
        return 2.0, 0.0
    date_right = max(2.0, a - d)
    return date_right + d + 2 - a, date_right


@dataclass(frozen=True)
class Signature:
    agency: str
    date: str

    @property
    def indents(self) -> tuple[float, float]:
        """Right indents (characters) of the name and the date, see `signature_indents`."""
        return signature_indents(self.agency, self.date)


@dataclass
class ReportContext:
    """The typed form of the context; `as_dict()` is what the templates receive."""

    title: str
    title_lines: list[str]
    year: int
    agency_name: str
    self_reference: str
    statistics_period: str
    preface: list[str]
    contact: str
    headings: dict[str, str]
    heading_list: list[str]
    overview_lead: list[str]
    overview_parts: list[Part]
    proactive_blocks: list[ProactiveBlock]
    proactive_grid: Grid
    application_columns: list[str]
    application_rows: list[ApplicationRow]
    application_grid: Grid
    review_blocks: list[ReviewBlock]
    review_columns: list[str]
    review_outcome_columns: list[str]
    review_cells: list[str]
    review_grid: Grid
    problems: list[Part]
    other: list[str]
    signature: Signature

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _missing(report: Report) -> list[str]:
    missing = []
    if not report.agency.name.strip():
        missing.append("机关全称")
    if not report.year:
        missing.append("报告年度")
    return missing


def require_renderable(report: Report) -> None:
    """Raise a Chinese `GkError` when the report lacks what every page of it shows."""
    missing = _missing(report)
    if missing:
        raise GkError(f"报告还缺少{'和'.join(missing)}，无法生成正文。请先填写后再导出。")


def _part(heading: str, text: str, key: str) -> Part:
    # Text pasted with its own sub-heading line would print the heading twice.
    body = paragraphs(text)
    if body and body[0] == heading:
        body = body[1:]
    return Part(heading, body, key)


def _problem_parts(report: Report) -> list[Part]:
    p = report.problems
    followup = paragraphs(p.followup)
    if p.layout == "paragraph":
        body = paragraphs(p.problems) + paragraphs(p.improvements) + followup
        return [Part("", body, "text")] if body else []
    problems = _part(fmt.PROBLEMS_HEAD, p.problems, "problems")
    improvements = _part(fmt.IMPROVEMENTS_HEAD, p.improvements, "improvements")
    # How last year's problems were dealt with belongs with the improvements.
    improvements = Part(improvements.heading, improvements.paragraphs + followup, improvements.key)
    return [part for part in (problems, improvements) if part.paragraphs]


def _contact_sentence(report: Report) -> str:
    """The contact as a sentence of its own, unless the preface already gives it."""
    contact = " ".join(paragraphs(report.contact))
    if not contact or contact.rstrip("。") in report.preface:
        return ""
    if "联系" in contact:
        # Already a sentence (typed so, or imported from a published report): keep its wording.
        return contact if contact.endswith("。") else contact + "。"
    return f"如对本报告有疑问，请联系{contact.rstrip('。')}。"


def build_report_context(report: Report) -> ReportContext:
    """The typed context (for the Word writer); raises GkError when name or year is missing."""
    require_renderable(report)
    year = int(report.year or 0)
    proactive = _proactive_blocks(report)
    applications = _application_rows(report)
    reviews = _review_blocks(report)
    review_columns = [f"{b.name} {fmt.OUTCOME_LABEL[c]}"
                      for b in reviews for c in list(fmt.OUTCOME_KEYS_T4) + ["total"]]
    other_paragraphs = [para for text in report.other.paragraphs() for para in paragraphs(text)]
    return ReportContext(
        title=fmt.report_title(report.agency.name.strip(), year),
        title_lines=title_lines(fmt.report_title(report.agency.name.strip(), year), report.agency.name.strip()),
        year=year,
        agency_name=report.agency.name.strip(),
        self_reference=report.agency.self_reference,
        statistics_period=fmt.statistics_period(year),
        preface=paragraphs(report.preface),
        contact=_contact_sentence(report),
        headings=dict(fmt.SECTIONS),
        heading_list=list(fmt.SECTION_HEADINGS),
        overview_lead=paragraphs(report.overview.lead),
        overview_parts=[part for key, label, text in report.overview.parts()
                        if (part := _part(label, text, key)).paragraphs],
        proactive_blocks=proactive,
        proactive_grid=_proactive_grid(proactive),
        application_columns=[fmt.COLUMN_LABEL[k] for k in fmt.COLUMN_KEYS] + [fmt.TOTAL],
        application_rows=applications,
        application_grid=_application_grid(applications),
        review_blocks=reviews,
        review_columns=review_columns,
        review_outcome_columns=[fmt.OUTCOME_LABEL[c] for c in list(fmt.OUTCOME_KEYS_T4) + ["total"]],
        review_cells=[c for b in reviews for c in b.cells],
        review_grid=_review_grid(reviews),
        problems=_problem_parts(report),
        other=other_paragraphs,
        signature=Signature(report.agency.name.strip(), date_text(report.published)),
    )


def build_context(report: Report) -> dict[str, Any]:
    """The template context as a plain dict (see `ReportContext` for the keys)."""
    context = build_report_context(report).as_dict()
    context["fmt"] = fmt  # the official labels, for template text that is not a table
    return context
