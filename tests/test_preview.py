"""The chat's preview (gkassist/tui/preview.py): the narrative wrapped to the panel by the Chinese
rules for line breaks, the tables drawn to fit; nothing of the text lost."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from gkassist.example import example_report
from gkassist.render import render_text
from gkassist.tui.cells import NO_LINE_END, NO_LINE_START
from gkassist.tui.preview import PARTS, build_preview


@pytest.mark.parametrize("width", [30, 37, 44, 51, 58, 66, 79])
def test_every_line_fits_and_none_starts_with_a_closing_mark(width: int) -> None:
    report = example_report()
    text = render_text(report, "txt")
    shown = build_preview(report, text, width)
    lines = [line for part in PARTS for line in shown.parts[part].plain.split("\n")]
    assert all(cell_len(line) <= width for line in lines)
    narrative = [line for line in lines if line.strip() and not re.search(r"\d\s*$", line)]
    assert not [line for line in narrative if line[0] in NO_LINE_START]
    assert not [line for line in narrative if line.rstrip()[-1] in NO_LINE_END]
    # Every character of the narrative is drawn, in order: each paragraph of the txt output is
    # found whole in the preview once the line breaks the panel added are taken out.
    drawn = re.sub(r"\s", "", "".join(lines))
    paragraphs = [p for p in text.splitlines() if p.strip() and "\t" not in p]
    assert paragraphs and all(re.sub(r"\s", "", p) in drawn for p in paragraphs)
