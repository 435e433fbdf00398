"""The 待核对 cells of an import are asked first, with their candidate figures (issue 10: "the app
asks the clerk to pick", "the app opens such a report on what needs confirming first")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from gkassist import store
from gkassist.checks import check
from gkassist.example import example_report
from gkassist.importers import import_text
from gkassist.interview import Interview
from gkassist.interview.pending import PendingQuestion
from gkassist.model import PendingCell, Printed, Report, cell_path
from gkassist.render import render_text
from gkassist.tui.app import make_app
from gkassist.tui.chat import ChatScreen

NORMATIVE = ("issued", "repealed", "in_force")


def _ambiguous_text() -> str:
    """The example report with table 二's 行政规范性文件 row run together: 1011 splits as 1/0/11 or 10/1/1."""
    text = render_text(example_report(), "txt")
    return re.sub(r"^行政规范性文件\t.*$", "行政规范性文件\t1011", text, count=1, flags=re.MULTILINE)


def _ambiguous() -> Report:
    r = import_text(_ambiguous_text(), "连写.txt").report
    assert set(r.draft.pending) == {f"t2.normative.{c}" for c in NORMATIVE}
    return r


def _pending_findings(r: Report) -> list:
    return [f for f in check(r) if "待核对" in f.message]


def test_pending_cells_are_asked_first_with_their_candidates():
    r = _ambiguous()
    iv = Interview(r)
    p = iv.prompt()
    assert p is not None and isinstance(p.question, PendingQuestion)
    assert p.question.cell == "t2.normative.issued" and p.section == "二"
    assert "行政规范性文件 / 本年制发件数" in p.text and "1011" in p.text and "待核对" in p.text
    titles = [o.title for o in p.options]
    assert titles[:2] == ["1", "10"] and titles[-1].startswith("都不对，另填")
    assert p.default == ""  # nothing is taken on Enter alone: the clerk has to look
    assert [q.id for q in iv.missing()][:3] == [f"pending:t2.normative.{c}" for c in NORMATIVE]


def test_picking_a_candidate_writes_the_field_and_the_cell_is_no_longer_pending():
    r = _ambiguous()
    iv = Interview(r)
    res = iv.answer("2")  # option 2 = 10
    assert res.ok and "记为 10" in res.message
    assert r.proactive.normative.issued == 10
    assert "t2.normative.issued" not in r.draft.pending and len(r.draft.pending) == 2
    assert r.printed.cell_status["t2.normative.issued"] == "confirmed"
    assert r.printed.cells["t2.normative.issued"] == "10"
    assert [t.role for t in res.turns][:2] == ["assistant", "clerk"] and r.draft.log[-1].text == res.message
    assert iv.current().id == "pending:t2.normative.repealed"
    assert iv.answer("2").ok and iv.answer("填 1").ok  # 10 / 1 / 1, the second split
    assert (r.proactive.normative.issued, r.proactive.normative.repealed, r.proactive.normative.in_force) == (10, 1, 1)
    assert r.draft.pending == {} and not _pending_findings(r)  # the checks ran again
    assert not isinstance(iv.current(), PendingQuestion)  # on to the ordinary questions


def test_another_value_typed_and_bad_answers():
    r = _ambiguous()
    iv = Interview(r)
    for bad in ("", "abc", str(len(iv.prompt().options))):  # the “another value” option wants the number
        res = iv.answer(bad)
        assert not res.ok and res.message and r.proactive.normative.issued is None
    assert len(r.draft.pending) == 3 and r.draft.log == []
    res = iv.answer("填 7")
    assert res.ok and r.proactive.normative.issued == 7 and "不在" in res.message
    res = iv.answer("25")  # a figure above the option numbers is a typed figure
    assert res.ok and r.proactive.normative.repealed == 25


def test_a_failed_save_leaves_the_cell_pending():
    r = _ambiguous()
    iv = Interview(r)

    def fail(_report: Report) -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):
        iv.answer("1", commit=fail)
    assert r.proactive.normative.issued is None and "t2.normative.issued" in r.draft.pending
    assert r.printed.cell_status["t2.normative.issued"] == "pending" and r.draft.log == []


def test_skipped_pending_cell_comes_back_at_the_end():
    r = _ambiguous()
    iv = Interview(r)
    assert iv.skip().id == "pending:t2.normative.repealed"
    iv.skip()
    iv.skip()
    assert not isinstance(iv.current(), PendingQuestion)  # the script goes on
    assert "pending:t2.normative.issued" in [q.id for q in iv.missing()] and not iv.is_complete


def test_a_pending_total_records_the_printed_figure_with_the_sum_as_default():
    r = example_report()
    r.printed = Printed(source="x.txt")
    r.printed.cell_status["t3.new.total"] = "pending"
    r.draft.pending["t3.new.total"] = PendingCell(candidates=[11, 110], reason="表三 一、本年新收：数字连在一起（11 0）")
    iv = Interview(r)
    p = iv.prompt()
    assert p is not None and p.question.cell == "t3.new.total"
    assert p.default == "11" and "相符" in p.options[0].reason  # the row's cells add up to 11
    assert iv.answer("").ok
    assert r.printed.cells["t3.new.total"] == "11" and r.draft.pending == {}
    assert r.applications.cell("new", "total") == 11


async def test_app_opens_an_imported_report_on_its_pending_cells(workspace: Path) -> None:
    result = import_text(_ambiguous_text(), "连写.txt")
    path = workspace / "连写.json"
    store.save_report(result.report, path)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        assert isinstance(screen.prompt.question, PendingQuestion)
        assert screen.prompt.question.cell == "t2.normative.issued"
        shown = "\n".join(str(t.render()) for t in screen.turns)
        assert "待核对" in shown and "1. 1" in shown and "2. 10" in shown
        line = screen.query_one("#answer-line")
        line.value = "2"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.prompt.question.id == "pending:t2.normative.repealed"
    saved = store.load_report(path)
    assert saved.proactive.normative.issued == 10
    assert set(saved.draft.pending) == {"t2.normative.repealed", "t2.normative.in_force"}
    assert saved.printed.cell_status["t2.normative.issued"] == "confirmed"


def test_cli_import_says_how_many_cells_are_pending_and_how_to_confirm_them(cli, workspace, tmp_path):
    src = tmp_path / "连写.txt"
    src.write_text(_ambiguous_text(), encoding="utf-8")
    out = tmp_path / "连写.json"
    proc = cli("import", str(src), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "其中 3 格待核对" in proc.stdout and f'gkassist draft "{out}"' in proc.stdout.replace("\n", "")
    assert set(store.load_report(out).draft.pending) == {f"t2.normative.{c}" for c in NORMATIVE}


async def test_import_from_the_start_screen_lands_on_the_pending_cells(workspace: Path, tmp_path: Path) -> None:
    src = tmp_path / "连写.txt"
    src.write_text(_ambiguous_text(), encoding="utf-8")
    app = make_app(workspace=workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#path-input").value = str(src)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen)
        shown = "\n".join(str(t.render()) for t in screen.turns)
        assert "导入时有 3 格数字无法确定（待核对）" in shown
        line = screen.query_one("#answer-line")
        for answer, cell in (("2", "issued"), ("2", "repealed"), ("填 1", "in_force")):
            assert screen.prompt.question.id == f"pending:t2.normative.{cell}"
            line.value = answer
            await pilot.press("enter")
            await pilot.pause()
        assert not isinstance(screen.prompt.question, PendingQuestion)  # on to the ordinary questions
        report = app.session.report
        n = report.proactive.normative
        assert (n.issued, n.repealed, n.in_force) == (10, 1, 1) and report.draft.pending == {}
        assert not _pending_findings(report)
        path = app.session.path
    assert store.load_report(path).draft.pending == {}


def test_a_pending_finding_leads_to_its_own_question():
    r = _ambiguous()
    iv = Interview(r)
    finding = _pending_findings(r)[0]
    q = iv.field_question(finding.field)
    assert isinstance(q, PendingQuestion) and cell_path(q.cell) == finding.field
    iv.goto_question("pending:t2.normative.in_force")  # a later cell, on purpose
    assert iv.current().id == "pending:t2.normative.in_force"
    assert iv.answer("1").ok and r.proactive.normative.in_force == 1
    assert iv.current().id == "pending:t2.normative.issued"  # then back to the first one left
    iv.goto("封面")  # the clerk may go to the script on purpose before confirming
    assert not isinstance(iv.current(), PendingQuestion)
