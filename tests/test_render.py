"""Rendering: the txt convention, Markdown tables, the HTML merged-cell layout, escaping, export."""

from __future__ import annotations

import re
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gkassist import format as fmt
from gkassist import render, store
from gkassist.errors import GkError
from gkassist.example import example_report
from gkassist.model import Report
from gkassist.render.context import build_context, date_text, fee_text

COLUMNS = list(fmt.COLUMN_KEYS) + ["total"]


@pytest.fixture(scope="module")
def example() -> Report:
    return example_report()


@pytest.fixture(scope="module")
def txt(example: Report) -> str:
    return render.render_text(example, "txt")


@pytest.fixture(scope="module")
def md(example: Report) -> str:
    return render.render_text(example, "md")


@pytest.fixture(scope="module")
def html(example: Report) -> str:
    return render.render_text(example, "html")


def t3_cells(report: Report, key: str) -> list[str]:
    """A table 三 row as it must be printed, computed from the model, not from the context."""
    return [str(report.applications.cell(key, c)) for c in COLUMNS]


def t4_cells(report: Report) -> list[str]:
    return [str(report.reviews.block(b).cell(c)) for b, _ in fmt.T4_BLOCKS
            for c in list(fmt.OUTCOME_KEYS_T4) + ["total"]]


# ------------------------------------------------------------------ small formatters


@pytest.mark.parametrize("value, text", [
    (None, "0"), (Decimal("0"), "0"), (Decimal("0.0000"), "0"), (Decimal("1.5"), "1.5"),
    (Decimal("96171.6"), "96171.6"), (Decimal("0.0300"), "0.03"), (Decimal("100"), "100"),
    (Decimal("2.35"), "2.35"), (Decimal("0.0001"), "0.0001"),
])
def test_fee_is_printed_without_trailing_zeros_or_exponent(value, text):
    assert fee_text(value) == text


def test_publication_date_is_printed_the_chinese_way(example):
    assert date_text(example.published) == "2026年1月20日"


# ------------------------------------------------------------------ txt


@pytest.mark.parametrize("label", fmt.all_official_labels())
def test_txt_contains_every_official_label(txt, label):
    assert label in txt, f"正文缺少官方标签：{label}"


def test_txt_has_no_wrong_label_variants(txt):
    official = fmt.all_official_labels()
    for variant in fmt.LABEL_VARIANTS:
        if any(variant in label for label in official):
            continue  # e.g. 规范性文件 inside 行政规范性文件: checked per row below
        assert variant not in txt, f"正文含有错误标签：{variant}"
    row_labels = [line.split("\t")[0] for line in txt.splitlines() if "\t" in line]
    assert "规范性文件" not in row_labels
    assert fmt.ROW_NORMATIVE in row_labels


def test_txt_headings_once_each_in_order(txt):
    lines = txt.splitlines()
    positions = []
    for heading in fmt.SECTION_HEADINGS:
        assert lines.count(heading) == 1, f"{heading} 应恰好出现一次"
        assert txt.count(heading) == 1, f"{heading} 应恰好出现一次"
        positions.append(lines.index(heading))
    assert positions == sorted(positions)


def test_txt_opens_with_title_and_ends_with_agency_and_date(txt, example):
    lines = txt.splitlines()
    assert lines[0] == "青禾镇人民政府2025年政府信息公开工作年度报告"
    assert lines[1] == ""
    assert lines[2].startswith("根据")
    assert lines[-2:] == ["青禾镇人民政府", "2026年1月20日"]


def test_txt_overview_parts_start_with_their_subheading(txt, example):
    lines = txt.splitlines()
    for key, label, text in example.overview.parts():
        i = lines.index(label)
        assert lines[i + 2] == text.strip(), label


def test_txt_table_three_rows(txt, example):
    lines = txt.splitlines()
    new = lines.index("\t".join([fmt.T3_ROW["new"].label, "", ""] + t3_cells(example, "new")))
    assert lines[new].split("\t")[3:] == ["9", "2", "0", "0", "0", "0", "11"]
    # Header: the official layout, one row per line, 10 fields.
    assert lines[new - 3].split("\t") == [fmt.T3_HEADER, "", "", fmt.APPLICANT_GROUP] + [""] * 6
    assert lines[new - 2].split("\t") == ["", "", "", "自然人", fmt.ORG_GROUP, "", "", "", "", fmt.TOTAL]
    assert lines[new - 1].split("\t") == ["", "", "", ""] + [fmt.COLUMN_LABEL[k] for k in fmt.ORG_COLUMN_KEYS] + [""]
    body = lines[new:new + len(fmt.T3_DISPLAY_ROWS)]
    for line, row in zip(body, fmt.T3_DISPLAY_ROWS):
        fields = line.split("\t")
        assert len(fields) == 10, line
        assert row.label in fields[:3], row.label
        assert fields[3:] == t3_cells(example, row.key), row.label
        assert all(re.fullmatch(r"\d+", f) for f in fields[3:]), f"空单元格：{line}"
    # （七）总计 = 11 and 四、结转 = 1: 11 new + 1 carried = 11 handled + 1 carried on (R1).
    assert body[-2].split("\t")[1] == fmt.TOTAL_ROW.label
    assert body[-2].split("\t")[-1] == "11"
    assert body[-1].split("\t")[0] == fmt.T3_ROW["carry_next"].label
    assert body[-1].split("\t")[-1] == "1"
    assert body[2].split("\t")[0] == fmt.RESULTS_GROUP
    assert body[4].split("\t")[1] == fmt.GROUP_LABEL["withheld"]


def test_txt_tables_two_and_four(txt, example):
    lines = txt.splitlines()
    assert f"{fmt.ROW_NORMATIVE}\t2\t1\t14" in lines
    assert f"{fmt.ROW_RULES}\t0\t0\t0" in lines
    assert f"{fmt.ROW_LICENSING}\t36" in lines
    assert f"{fmt.ROW_PENALTY}\t12" in lines
    assert f"{fmt.ROW_FEE}\t2.35" in lines
    assert f"{fmt.INFO_CONTENT}\t{fmt.COL_FEE}" in lines
    assert "\t".join(t4_cells(example)) in lines
    assert t4_cells(example)[:5] == ["1", "0", "0", "0", "1"]
    top = lines.index("\t".join([fmt.REVIEW, "", "", "", "", fmt.LITIGATION] + [""] * 9))
    assert lines[top + 3] == "\t".join(t4_cells(example))


def test_txt_section_five_and_six(txt, example):
    assert f"\n{fmt.PROBLEMS_HEAD}\n" in txt
    assert f"\n{fmt.IMPROVEMENTS_HEAD}\n" in txt
    assert example.problems.followup in txt
    assert "信息处理费" in txt.split(fmt.SECTION_LABEL["other"])[1]


def test_paragraph_layout_of_five_has_no_subheads(example):
    report = example.model_copy(deep=True)
    report.problems.layout = "paragraph"
    text = render.render_text(report, "txt")
    assert fmt.PROBLEMS_HEAD not in text
    assert report.problems.problems in text and report.problems.improvements in text


def test_empty_overview_part_prints_nothing(example):
    report = example.model_copy(deep=True)
    report.overview.platform = "  "
    text = render.render_text(report, "txt")
    assert fmt.OVERVIEW_LABEL["platform"] not in text
    assert fmt.OVERVIEW_LABEL["supervision"] in text


def test_a_subheading_typed_into_the_text_is_not_printed_twice(example):
    report = example.model_copy(deep=True)
    report.overview.platform = f"{fmt.OVERVIEW_LABEL['platform']}\n专栏运行平稳。"
    report.problems.problems = f"{fmt.PROBLEMS_HEAD}\n栏目更新慢。"
    text = render.render_text(report, "txt")
    assert text.count(fmt.OVERVIEW_LABEL["platform"]) == 1
    assert text.count(fmt.PROBLEMS_HEAD) == 1
    assert f"{fmt.OVERVIEW_LABEL['platform']}\n\n专栏运行平稳。" in text


@pytest.mark.parametrize("contact, printed", [
    ("镇党政办公室，电话：0000-1234567", "如对本报告有疑问，请联系镇党政办公室，电话：0000-1234567。"),
    ("联系电话：0000-1234567", "联系电话：0000-1234567。"),
    ("如有疑问，请联系镇党政办公室。", "如有疑问，请联系镇党政办公室。"),
])
def test_contact_is_printed_once_as_a_sentence(example, contact, printed):
    report = example.model_copy(deep=True)
    report.contact = contact
    assert build_context(report)["contact"] == printed
    report.preface += printed
    assert build_context(report)["contact"] == ""


def test_blank_cells_print_as_zero():
    report = Report(agency={"name": "某镇人民政府", "kind": "镇"}, year=2025)
    text = render.render_text(report, "txt")
    row = next(line for line in text.splitlines() if line.startswith(fmt.T3_ROW["new"].label))
    assert row.split("\t")[3:] == ["0"] * 7
    assert f"{fmt.ROW_FEE}\t0" in text


def test_missing_name_or_year_is_a_chinese_error():
    with pytest.raises(GkError, match="缺少机关全称和报告年度"):
        render.render_text(Report(), "txt")
    with pytest.raises(GkError, match="缺少报告年度，无法生成正文"):
        render.render_text(Report(agency={"name": "某镇人民政府"}), "md")


def test_unknown_format_is_a_chinese_error(example):
    with pytest.raises(GkError, match="不支持的格式"):
        render.render_text(example, "pdf")


def test_template_bug_raises_instead_of_printing_blank(tmp_path, monkeypatch, example):
    import jinja2

    (tmp_path / "report.txt.j2").write_text("{{ title }}\n{{ no_such_field }}\n", encoding="utf-8")
    monkeypatch.setattr("gkassist.resources.templates_dir", lambda: tmp_path)
    with pytest.raises(jinja2.UndefinedError):
        render.render_text(example, "txt")


def test_tab_in_typed_text_cannot_break_a_table_line(example):
    report = example.model_copy(deep=True)
    report.overview.lead = "甲\t乙"
    assert "甲 乙" in render.render_text(report, "txt")


# ------------------------------------------------------------------ md


def test_md_headings_and_table_three(md, example):
    lines = md.splitlines()
    assert lines[0] == "# 青禾镇人民政府2025年政府信息公开工作年度报告"
    for heading in fmt.SECTION_HEADINGS:
        assert lines.count(f"## {heading}") == 1, heading
    header = next(line for line in lines if line.startswith(f"| {fmt.T3_HEADER} |"))
    i = lines.index(header)
    assert lines[i + 1].count("---") == 8
    rows = lines[i + 2:i + 2 + len(fmt.T3_DISPLAY_ROWS)]
    for line, row in zip(rows, fmt.T3_DISPLAY_ROWS):
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        assert len(cells) == 8, line
        assert row.location in cells[0]
        assert cells[1:] == t3_cells(example, row.key), row.location
    withheld = next(line for line in rows if "1.属于国家秘密" in line)
    assert withheld.startswith(f"| {fmt.RESULTS_GROUP} {fmt.GROUP_LABEL['withheld']} 1.属于国家秘密 |")


def test_md_table_three_rows_read_whole_with_every_group_label(md):
    lines = md.splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith(f"| {fmt.T3_HEADER} |"))
    labels = [line.split(" | ")[0][2:] for line in lines[i + 2:i + 2 + len(fmt.T3_DISPLAY_ROWS)]]
    results = [label for label in labels if label.startswith(fmt.RESULTS_GROUP + " ")]
    assert len(results) == 22  # 三、本年度办理结果 on each of its 22 rows
    for group, size in fmt.GROUP_SIZES.items():
        prefix = f"{fmt.RESULTS_GROUP} {fmt.GROUP_LABEL[group]} "
        assert sum(label.startswith(prefix) for label in labels) == size, group
    assert labels[0] == fmt.T3_ROWS[0].label and labels[-1] == fmt.T3_ROWS[-1].label  # 一、… 四、… stand alone


def test_md_tables_two_and_four(md, example):
    assert f"| {fmt.ROW_NORMATIVE} | 2 | 1 | 14 |" in md
    assert f"| {fmt.ROW_FEE} | 2.35 |" in md
    assert f"| {fmt.REVIEW} | 1 | 0 | 0 | 0 | 1 |" in md
    assert f"| {fmt.LITIGATION} 复议后起诉 | 0 | 0 | 0 | 0 | 0 |" in md


def test_md_escapes_pipes_in_typed_text(example):
    report = example.model_copy(deep=True)
    report.problems.problems = "栏目 | 更新不及时"
    text = render.render_text(report, "md")
    assert "栏目 \\| 更新不及时" in text
    assert "栏目 | 更新" not in text


def test_md_keeps_typed_paragraphs_from_becoming_headings_or_lists(example):
    report = example.model_copy(deep=True)
    report.other.other = "# 不是标题\n1.不是列表"
    text = render.render_text(report, "md").splitlines()
    assert "\\# 不是标题" in text
    assert "1\\.不是列表" in text


# ------------------------------------------------------------------ html


class _Tables(HTMLParser):
    """Collects every table as rows of (tag, text, rowspan, colspan), and every start tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, str, int, int]]]] = []
        self.tags: list[str] = []
        self._cell: list | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = [tag, "", int(a.get("rowspan", 1)), int(a.get("colspan", 1))]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(tuple(self._cell))
            self._cell = None


def parse(html_text: str) -> _Tables:
    parser = _Tables()
    parser.feed(html_text)
    return parser


def occupancy(rows) -> list[list[str]]:
    """Lay the cells out as a browser does; every row must come out the same width."""
    taken: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for _tag, text, rs, cs in row:
            while (r, c) in taken:
                c += 1
            for dr in range(rs):
                for dc in range(cs):
                    assert (r + dr, c + dc) not in taken, f"单元格重叠：{text}"
                    taken[(r + dr, c + dc)] = text
            c += cs
    width = max(c for _, c in taken) + 1
    return [[taken.get((r, c)) for c in range(width)] for r in range(len(rows))]


def test_html_is_self_contained_and_printable(html):
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    assert "@page { size: A4" in html
    for external in ("http://", "https://", "<link", "<script", "src=", "@import"):
        assert external not in html, external
    assert "仿宋" in html


def _tag_text(html_text: str, tag: str) -> list[str]:
    """The inner HTML of every <tag …>…</tag>, attributes ignored."""
    return re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html_text, re.DOTALL)


def test_html_sections_and_signature(html):
    doc = parse(html)
    assert doc.tags.count("h2") == 6
    assert _tag_text(html, "h2") == list(fmt.SECTION_HEADINGS)
    # the title breaks after the agency name, never inside a word
    assert _tag_text(html, "h1") == ["青禾镇人民政府<br>2025年政府信息公开工作年度报告"]
    paragraphs = _tag_text(html, "p")
    assert paragraphs[-2:] == ["青禾镇人民政府", "2026年1月20日"]
    # GB/T 9704-2012 7.3.5.2: the name 右空二字, the date's first character two to the right of it
    # 青禾镇人民政府 is 7 characters, 2026年1月20日 6.5: the date 右空二字 and the name 3.5
    assert 'padding-right: 3.5em;">青禾镇人民政府</p>' in html
    assert 'padding-right: 2.0em;">2026年1月20日</p>' in html


def test_html_title_on_one_line_when_short_or_unbreakable():
    from gkassist.render.context import title_lines

    assert title_lines("某镇2025年政府信息公开工作年度报告", "某镇") == ["某镇2025年政府信息公开工作年度报告"]
    long_name = "某某省某某市某某县某某镇人民政府办公室信息中心"  # 23 characters: a half would not fit
    assert title_lines(long_name + "2025年政府信息公开工作年度报告", long_name) == [
        long_name + "2025年政府信息公开工作年度报告"]


def test_html_table_two_is_one_table_with_the_official_merged_cells(html, example):
    doc = parse(html)
    assert len(doc.tables) == 3
    t2 = doc.tables[0]
    assert len(t2) == 14
    grid = occupancy(t2)
    assert all(len(row) == 4 and None not in row for row in grid)
    articles = [row for row in t2 if len(row) == 1]
    assert [(c[1], c[3]) for (c,) in articles] == [
        (fmt.ARTICLE_1, 4), (fmt.ARTICLE_5, 4), (fmt.ARTICLE_6, 4), (fmt.ARTICLE_8, 4)]
    assert [c[1] for c in t2[1]] == [fmt.INFO_CONTENT, fmt.COL_ISSUED, fmt.COL_REPEALED, fmt.COL_IN_FORCE]
    assert [(c[1], c[3]) for c in t2[5]] == [(fmt.INFO_CONTENT, 1), (fmt.COL_DECISIONS, 3)]
    values = {row[0][1]: [c[1] for c in row[1:]] for row in t2 if any(c[0] == "td" for c in row)}
    assert values == {
        fmt.ROW_RULES: ["0", "0", "0"], fmt.ROW_NORMATIVE: ["2", "1", "14"], fmt.ROW_LICENSING: ["36"],
        fmt.ROW_PENALTY: ["12"], fmt.ROW_ENFORCEMENT: ["0"], fmt.ROW_FEE: ["2.35"],
    }
    assert grid[13] == [fmt.ROW_FEE, "2.35", "2.35", "2.35"]  # the fee spans three columns


def test_html_fragment_has_inline_styles_only(example):
    page = render.render_text(example, "html")
    fragment = render.render_text(example, "html", fragment=True)
    for forbidden in ("class=", "<style", "<head", "<html", "<body", "<!DOCTYPE", "<script", "<link"):
        assert forbidden.lower() not in fragment.lower(), forbidden
    assert "class=" not in page  # the page carries the same inline styles
    # every text element carries its font, size and indent itself
    for tag in ("h1", "h2", "h3", "p", "th", "td"):
        opening = re.findall(rf"<{tag}\b[^>]*>", fragment)
        assert opening, tag
        for el in opening:
            assert 'style="' in el, el
            if tag != "td":
                assert "font-family" in el or tag in ("th",), el
    assert all("text-indent: 2em" in el for el in re.findall(r"<p\b[^>]*>", fragment)[:-2])
    assert all("仿宋" in el for el in re.findall(r"<p\b[^>]*>", fragment))
    # the same body as the page
    body = page[page.index("<body>") + len("<body>"):page.index("</body>")]
    assert body.strip() == fragment.strip()
    with pytest.raises(GkError, match="网页"):
        render.render_text(example, "md", fragment=True)


def test_html_table_three_header_spans(html):
    t3 = parse(html).tables[1]
    assert t3[0] == [("th", fmt.T3_HEADER, 3, 3), ("th", fmt.APPLICANT_GROUP, 1, 7)]
    assert t3[1] == [("th", "自然人", 2, 1), ("th", fmt.ORG_GROUP, 1, 5), ("th", fmt.TOTAL, 2, 1)]
    assert [c[1] for c in t3[2]] == [fmt.COLUMN_LABEL[k] for k in fmt.ORG_COLUMN_KEYS]
    grid = occupancy(t3)
    assert len(grid) == 3 + len(fmt.T3_DISPLAY_ROWS) == 28
    assert all(len(row) == 10 and None not in row for row in grid)


def test_html_table_three_body_spans_and_values(html, example):
    t3 = parse(html).tables[1]
    cells = [c for row in t3 for c in row]
    results = [c for c in cells if c[2] == 22]
    assert results == [("th", fmt.RESULTS_GROUP, 22, 1)]
    groups = {c[1]: c[2] for c in cells if c[1] in fmt.GROUP_LABEL.values()}
    assert groups == {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}
    spans = {c[1]: c[3] for c in cells if c[0] == "th"}
    for key in ("new", "carried", "carry_next"):
        assert spans[fmt.T3_ROW[key].label] == 3, key
    for key in ("public", "partial", "total"):
        assert spans[fmt.T3_ROW[key].label] == 2, key
    grid = occupancy(t3)
    for line, row in zip(grid[3:], fmt.T3_DISPLAY_ROWS):
        assert row.label in line[:3]
        assert line[3:] == t3_cells(example, row.key), row.location
    # The figures that make R1 visible: 11 + 1 = 11 + 1 in the 总计 column.
    assert grid[3][9] == "11" and grid[4][9] == "1" and grid[-2][9] == "11" and grid[-1][9] == "1"


def test_html_table_four_spans_and_values(html, example):
    t4 = parse(html).tables[2]
    assert t4[0] == [("th", fmt.REVIEW, 1, 5), ("th", fmt.LITIGATION, 1, 10)]
    outcomes = [fmt.OUTCOME_LABEL[c] for c in list(fmt.OUTCOME_KEYS_T4) + ["total"]]
    assert t4[1] == [("th", t, 2, 1) for t in outcomes] + [
        ("th", "未经复议直接起诉", 1, 5), ("th", "复议后起诉", 1, 5)]
    assert [c[1] for c in t4[2]] == outcomes * 2
    assert [c[1] for c in t4[3]] == t4_cells(example)
    grid = occupancy(t4)
    assert all(len(row) == 15 and None not in row for row in grid)


def test_html_escapes_typed_text(example):
    report = example.model_copy(deep=True)
    report.overview.proactive = "<script>alert(1)</script>公开"
    report.agency.name = "A&B<i>镇人民政府"
    report.problems.problems = '"引号"<img src=x onerror=alert(1)>'
    out = render.render_text(report, "html")
    assert "<script" not in out
    assert "<img" not in out and "<i>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;公开" in out
    assert "A&amp;B&lt;i&gt;镇人民政府" in out
    doc = parse(out)
    assert "script" not in doc.tags and "img" not in doc.tags


def test_txt_does_not_escape_typed_text(example):
    report = example.model_copy(deep=True)
    report.overview.proactive = "A&B <公开>"
    assert "A&B <公开>" in render.render_text(report, "txt")


def test_md_escapes_html_and_markdown_in_every_typed_text(example):
    # CommonMark with raw HTML allowed: the unsafe renderer a typed text must survive
    from markdown_it import MarkdownIt

    report = example.model_copy(deep=True)
    report.agency.name = "A&B<i>镇人民政府"
    report.preface = "前言 <script>alert(1)</script>"
    report.overview.proactive = "写作 &amp; 发布，*注意* 单个星号 * 与 _下划线_ 和 `代码`"
    report.problems.problems = '<img src=x onerror=alert(1)>问题 [链接](http://x) ~~删除~~'
    report.other.other = "> 不是引用\n* 不是列表"
    report.contact = "电话 <b>123</b>"
    text = render.render_text(report, "md")
    assert "<script" not in text and "<img" not in text and "<i>" not in text and "<b>" not in text
    assert "前言 &lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "写作 &amp;amp; 发布" in text
    html = MarkdownIt("commonmark").enable("strikethrough").enable("table").render(text)
    for tag in ("<script", "<img", "<i>", "<b>", "<em>", "<code>", "<a ", "<s>", "<del>",
                "<blockquote>", "<ul>"):
        assert tag not in html, tag
    assert html.count("<strong>") == 4  # the template's own: the four 第二十条 article lines
    # what a reader sees is what was typed
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "写作 &amp;amp; 发布，*注意* 单个星号 * 与 _下划线_ 和 `代码`" in html
    assert "[链接](http://x) ~~删除~~" in html
    assert "A&amp;B&lt;i&gt;镇人民政府" in html
    assert "&gt; 不是引用" in html and "* 不是列表" in html


# ------------------------------------------------------------------ context for the Word writer


def test_context_grids_carry_the_official_merges(example):
    ctx = build_context(example)
    merges = ctx["application_grid"].merges()
    assert (0, 0, 3, 3) in merges and (0, 3, 1, 7) in merges
    assert (5, 0, 22, 1) in merges  # 三、本年度办理结果
    assert [m[2] for m in merges if m[1] == 1 and m[2] > 1] == [8, 3, 5, 3]
    assert len(ctx["application_grid"].rows) == 28
    assert ctx["review_grid"].merges()[:2] == [(0, 0, 1, 5), (0, 5, 1, 10)]
    assert ctx["proactive_grid"].width == 4
    assert ctx["review_cells"] == t4_cells(example)
    assert [r.cells for r in ctx["application_rows"]] == [t3_cells(example, r.key) for r in fmt.T3_DISPLAY_ROWS]


# ------------------------------------------------------------------ round trip through the importer


@pytest.mark.parametrize("kind", ["txt", "md", "html"])
def test_rendered_report_imports_back_to_the_same_figures_and_text(example, kind, tmp_path):
    from gkassist import importers
    path = tmp_path / f"报告.{kind}"
    path.write_text(render.render_text(example, kind), encoding="utf-8")
    back = importers.import_file(path).report
    assert back.agency.name == example.agency.name and back.year == example.year
    assert back.published == example.published
    for key in fmt.ROW_KEYS:
        for column in fmt.COLUMN_KEYS:
            assert back.applications.value(key, column) == example.applications.value(key, column), \
                f"{fmt.T3_ROW[key].location} / {fmt.COLUMN_LABEL[column]}"
    assert back.reviews == example.reviews
    assert back.proactive == example.proactive
    assert back.overview == example.overview
    # Rendering what was imported gives the same published text: nothing doubled, nothing lost.
    assert render.render_text(back, "txt") == render.render_text(example, "txt")


# ------------------------------------------------------------------ export and CLI


def test_export_writes_named_files_atomically(tmp_path, example):
    formats = ("txt", "md", "html")
    paths = render.export(example, tmp_path, formats=formats)
    base = "2025年青禾镇人民政府政府信息公开工作年度报告"
    assert [p.name for p in paths] == [f"{base}.{ext}" for ext in formats]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths)
    assert paths[0].read_text(encoding="utf-8") == render.render_text(example, "txt")
    assert base == store.report_basename(example)


def test_export_default_writes_every_format_and_the_portal_fragment(tmp_path, example):
    import gkassist.render.docx  # noqa: F401  (a missing module fails here, never skips)
    paths = render.export(example, tmp_path)
    base = store.report_basename(example)
    assert [p.name for p in paths] == [f"{base}.{ext}" for ext in ("txt", "md", "html", "docx", "xlsx")] + [
        f"{base}（网页片段）.html"]
    assert paths[3].read_bytes()[:2] == b"PK" and paths[4].read_bytes()[:2] == b"PK"  # zip packages
    fragment = paths[-1].read_text(encoding="utf-8")
    assert fragment == render.render_text(example, "html", fragment=True)
    assert "class=" not in fragment and "<style" not in fragment
    assert len(list(tmp_path.iterdir())) == 6


def test_export_of_incomplete_report_writes_nothing(tmp_path):
    with pytest.raises(GkError, match="无法生成正文"):
        render.export(Report(year=2025), tmp_path, formats=("txt", "md"))
    assert list(tmp_path.iterdir()) == []


def test_export_keeps_a_hostile_name_inside_the_folder(tmp_path, example):
    report = example.model_copy(deep=True)
    report.agency.name = "../../外面/镇人民政府"
    paths = render.export(report, tmp_path / "out", formats=("txt",))
    assert paths[0].parent == (tmp_path / "out").resolve()
    assert not (tmp_path / "外面").exists()


def test_cli_renders_md_txt_and_html(cli, tmp_path: Path, workspace):
    tmp_path = tmp_path / "work"
    tmp_path.mkdir()
    answers = tmp_path / "example.json"
    done = cli("example", "-o", str(answers))
    assert done.returncode == 0, done.stderr
    out = tmp_path / "x.md"
    done = cli("render", str(answers), "--format", "md", "-o", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "| 一、本年新收政府信息公开申请数量 | 9 | 2 | 0 | 0 | 0 | 0 | 11 |" in text
    done = cli("render", str(answers))
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "青禾镇人民政府2025年政府信息公开工作年度报告"
    page = tmp_path / "x.html"
    done = cli("render", str(answers), "--format", "html", "-o", str(page))
    assert done.returncode == 0, done.stderr
    assert 'rowspan="22"' in page.read_text(encoding="utf-8")
    done = cli("render", str(answers), "--format", "html", "--fragment")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("<div") and "class=" not in done.stdout and "<style" not in done.stdout
    assert 'rowspan="22"' in done.stdout
    done = cli("render", str(answers), "--format", "txt", "--fragment")
    assert done.returncode == 2 and "--format html" in done.stderr and "Traceback" not in done.stderr
    done = cli("render", str(answers), "--format", "xlsx")
    assert done.returncode == 2 and "-o" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["example.json", "x.html", "x.md"]


def test_cli_render_of_unnamed_report_says_what_is_missing(cli, tmp_path: Path, workspace):
    answers = tmp_path / "blank.json"
    store.save_report(Report(year=2025), answers)
    done = cli("render", str(answers), "--format", "txt")
    assert done.returncode == 2
    assert "机关全称" in done.stderr and "Traceback" not in done.stderr
