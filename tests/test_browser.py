"""In a real browser (headless Chromium): every table-三 cell sits in its official row and column as
laid out from the DOM, and the portal fragment keeps its fonts and indents once pasted into a
contenteditable editor. The probes live in bench/docs_browser.py (which also makes docs/browser-*.png)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from gkassist import format as fmt
from gkassist import render
from gkassist.example import example_report
from gkassist.model import Report

_SCRIPT = Path(__file__).resolve().parent.parent / "bench" / "docs_browser.py"
_spec = importlib.util.spec_from_file_location("docs_browser", _SCRIPT)
assert _spec and _spec.loader
browser = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("docs_browser", browser)  # dataclasses look their module up while it loads
_spec.loader.exec_module(browser)

CHROMIUM = browser.find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium 不在 PATH 上（Debian：apt-get install -y chromium），无法在浏览器中检查排版")


def distinct_report() -> Report:
    """The example with a different figure in every applicant cell of table 三 (10 … 245)."""
    report = example_report()
    for i, row in enumerate(fmt.ROW_KEYS):
        for j, column in enumerate(fmt.COLUMN_KEYS):
            report.applications.set(row, column, (i + 1) * 10 + j)
    return report


def test_every_table_three_cell_in_its_official_row_and_column_in_the_browser():
    report = distinct_report()
    want = browser.official_table_three(report)
    for page in (render.render_text(report, "html"),
                 browser.pasted_page(render.render_text(report, "html", fragment=True))):
        cells, rows, columns = browser.table_three_layout(CHROMIUM, page)
        assert (rows, columns) == (28, 10)
        assert cells == want
    # spot checks in grid terms: the merged labels and a figure where the official table has it
    at = {(c.row, c.col): c for c in cells}
    assert (at[(5, 0)].text, at[(5, 0)].rowspan) == (fmt.RESULTS_GROUP, 22)
    assert (at[(7, 1)].text, at[(7, 1)].rowspan) == (fmt.GROUP_LABEL["withheld"], 8)
    assert at[(0, 0)].rowspan == 3 and at[(0, 0)].colspan == 3
    assert at[(7, 2)].text == "1.属于国家秘密" and at[(7, 3)].text == "50"  # row 5 of the model, 自然人


def test_fragment_keeps_fonts_and_indents_when_pasted_into_a_contenteditable_editor():
    fragment = render.render_text(example_report(), "html", fragment=True)
    result = browser.pasted_styles(CHROMIUM, fragment)
    assert result["inserted"] is True
    assert result["classes"] == 0 and result["styles"] == 0
    reference, pasted = result["reference"], result["pasted"]
    for kind in ("h1", "h2", "h3", "p", "th", "td"):
        assert len(pasted[kind]) == len(reference[kind]) > 0, kind
        for before, after in zip(reference[kind], pasted[kind]):
            for prop in ("fontFamily", "fontSize", "textIndent", "textAlign", "fontWeight", "borderTop"):
                assert after[prop] == before[prop], (kind, before["text"], prop)
    assert pasted["spans"] == reference["spans"] and "22x1" in pasted["spans"]
    # against the editor's own look (Arial 14 px, no indent), the pasted report stays a 公文
    body = pasted["p"][0]
    assert "仿宋" in body["fontFamily"] and "Arial" not in body["fontFamily"]
    assert body["fontSize"] == "21.3333px"  # 16 pt (三号)
    assert body["textIndent"] == "42.6667px"  # 2em: two characters
    assert pasted["h1"][0]["textAlign"] == "center" and "小标宋" in pasted["h1"][0]["fontFamily"]
    assert "黑体" in pasted["h2"][0]["fontFamily"] and "楷体" in pasted["h3"][0]["fontFamily"]
    assert [p["textAlign"] for p in pasted["p"][-2:]] == ["right", "right"]  # the signature block
