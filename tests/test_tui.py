"""The Textual app driven through Pilot: whole interviews, bad answers, resuming, grid, start and finish."""

from __future__ import annotations

import dataclasses
import re
import sys
import uuid
from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.geometry import Region

from gkassist import format as fmt
from gkassist import store
from gkassist.checks import Severity, check
from gkassist.example import example_report
from gkassist.model import Report
from gkassist.tui.app import make_app
from gkassist.tui.cells import NO_LINE_START
from gkassist.tui.chat import ChatScreen, TurnView
from gkassist.tui.finish import FinishScreen
from gkassist.tui.grid import GridScreen, T3Grid
from gkassist.tui.start import StartScreen
from gkassist.tui.titlebar import TitleBar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from effort import (
    COUNTY_BUREAU,
    RERUN_NOTHING_CHANGED,
    ZERO_REQUEST_TOWNSHIP,
    Clerk,
    prepare_rerun,
    run_rerun,
    run_scenario,
)

SIZE = (120, 36)


def _numbers(txt: str, label: str) -> list[int]:
    """The figures on the exported line that starts with (or contains) `label`."""
    for line in txt.splitlines():
        if label in line:
            cells = line.split("\t")
            return [int(c) for c in cells if c.strip().isdigit()]
    raise AssertionError(f"{label} not in the exported text")


def _table_four(txt: str) -> list[int]:
    """Table 四 is one line of 15 figures under its header lines."""
    after = txt.split(fmt.SECTION_LABEL["reviews"], 1)[1]
    for line in after.splitlines():
        cells = [c for c in line.split("\t") if c.strip()]
        if len(cells) == 15 and all(c.strip().isdigit() for c in cells):
            return [int(c) for c in cells]
    raise AssertionError("no line of 15 figures under 四")


def _turns(app) -> list[str]:
    return [str(t.render()) for t in app.screen.turns]


def _drawn(conversation) -> str:
    """The conversation's lines in view, as drawn."""
    return "\n".join(conversation.render_line(y).text for y in range(conversation.scrollable_content_region.height))


def _errors(report: Report) -> list:
    return [f for f in check(report) if f.severity is Severity.ERROR]


# ------------------------------------------------------------------ whole interviews


async def test_zero_request_township_from_an_empty_workspace(workspace: Path) -> None:
    run = await run_scenario(workspace, ZERO_REQUEST_TOWNSHIP)
    assert run.inputs <= 14, run.asked  # issue 12's target, counted as bench/effort.py counts
    assert {p.suffix for p in run.exported} >= {".txt", ".md", ".html", ".docx"}
    assert all(p.parent == workspace and p.exists() for p in run.exported)
    txt = next(p for p in run.exported if p.suffix == ".txt").read_text(encoding="utf-8")
    assert fmt.report_title("青石镇人民政府", 2025) in txt
    for heading in fmt.SECTION_HEADINGS:
        assert heading in txt
    assert _numbers(txt, fmt.T3_ROW["new"].label) == [0] * 7
    assert _numbers(txt, fmt.T3_ROW["carry_next"].label) == [0] * 7
    assert _table_four(txt) == [0] * 15
    assert "未收取信息处理费" in txt
    assert run.report.agency.kind is fmt.AgencyKind.TOWN
    assert not run.report.applications.any_blank
    assert _errors(run.report) == []
    # the answers file was renamed from its provisional name once the agency and year were known
    assert run.answers_file.name == "2025年青石镇人民政府政府信息公开工作年度报告.json"
    assert not list(workspace.glob("新报告-*"))


async def test_rerun_from_the_imported_2021_sample_with_nothing_changed(workspace: Path,
                                                                      samples_dir: Path) -> None:
    draft = prepare_rerun(workspace, samples_dir / "2021_gaopingzhen.txt")
    assert draft.name == "2022年高平镇人民政府政府信息公开工作年度报告.json"
    run = await run_rerun(workspace, draft)
    # 11 answers (the publication date and a fresh 五 from the library are always asked), then
    # F9 and Y: parts still like last year's are exported only when confirmed
    assert run.inputs <= 13, run.asked
    assert str(run.report.published) == "2023-01-20"
    txt = next(p for p in run.exported if p.suffix == ".txt").read_text(encoding="utf-8")
    assert fmt.report_title("高平镇人民政府", 2022) in txt
    assert "2021年" not in run.report.overview.proactive
    assert _numbers(txt, fmt.T3_ROW["carried"].label) == [0] * 7  # the 2021 结转 row
    assert "信息处理费" in txt and "我乡" not in txt and "全乡" not in txt
    assert _errors(run.report) == []
    assert run.report.draft.to_confirm == {}


class _EditingClerk(Clerk):
    """Picks three suggestions for 五, then edits the composed draft before accepting it."""

    EDIT = "此外，村级公开栏的照片存档还不够规范"

    async def say(self, text: str) -> None:
        screen = self.app.screen
        if screen.prompt.question.id == "problems_pick":
            self.options = [o.title for o in screen.prompt.options]
        if screen.prompt.question.id == "problems_text":
            area = screen.query_one("#answer-text")
            self.composed = area.text  # the draft composed from the three picks, shown for editing
            text = self.composed.replace("三是", f"三是{self.EDIT}；四是", 1)
        await super().say(text)


async def test_pick_three_suggestions_edit_the_draft_and_find_the_edit_in_the_export(workspace: Path) -> None:
    scenario = dataclasses.replace(
        ZERO_REQUEST_TOWNSHIP, answers={**ZERO_REQUEST_TOWNSHIP.answers, "problems_pick": "1 3 4"})
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        clerk = _EditingClerk(app, pilot)
        await clerk.interview(scenario)
        report = app.session.report
        exported = [app.session.workspace / name for name in report.draft.exported]
    assert len(clerk.options) >= 4
    assert all(mark in clerk.composed for mark in ("一是", "二是", "三是"))  # three picks composed
    # three problems, each with its paired measure, plus the lead-in, transition and closing used
    assert len([p for p in report.problems.picked if p.startswith("P")]) == 3
    assert len([p for p in report.problems.picked if p.startswith("I")]) == 3
    assert clerk.EDIT in report.problems.problems
    txt = next(p for p in exported if p.suffix == ".txt").read_text(encoding="utf-8")
    assert clerk.EDIT in txt and fmt.PROBLEMS_HEAD in txt
    assert "四是" in txt


async def test_county_bureau_with_the_sample_figures_through_the_grid(workspace: Path) -> None:
    run = await run_scenario(workspace, COUNTY_BUREAU)
    assert run.inputs <= 24, run.asked  # issue 12's target
    assert "outcomes" not in run.asked  # the grid is not an answer typed in the chat
    txt = next(p for p in run.exported if p.suffix == ".txt").read_text(encoding="utf-8")
    assert fmt.report_title("沭阳县发展和改革局", 2023) in txt
    assert _numbers(txt, fmt.ROW_NORMATIVE + "\t") == [8, 0, 18]
    assert _numbers(txt, fmt.ROW_RULES + "\t") == [0, 0, 0]
    assert _numbers(txt, fmt.T3_ROW["new"].label) == [26, 0, 0, 0, 0, 0, 26]
    assert _numbers(txt, fmt.T3_ROW["carried"].label) == [0] * 7
    assert _numbers(txt, fmt.T3_ROW["public"].label) == [26, 0, 0, 0, 0, 0, 26]
    assert _numbers(txt, fmt.TOTAL_ROW.label) == [26, 0, 0, 0, 0, 0, 26]
    assert _numbers(txt, fmt.T3_ROW["carry_next"].label) == [0] * 7
    # 行政复议 尚未审结 1, 总计 1; both 行政诉讼 blocks 0
    assert _table_four(txt) == [0, 0, 0, 1, 1] + [0] * 10
    assert "全年收到政府信息公开申请26件" in txt  # our own narrative answer made it in
    report = run.report
    assert report.applications.cell("public", "natural_person") == 26
    assert report.reviews.review.pending == 1
    assert _errors(report) == []


# ------------------------------------------------------------------ bad answers and resuming


async def _new_report(app, pilot) -> Clerk:
    await pilot.pause()
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, ChatScreen)
    return Clerk(app, pilot)


async def test_bad_answers_get_a_chinese_reason_and_the_same_question(workspace: Path) -> None:
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        clerk = await _new_report(app, pilot)
        await clerk.say("高平镇人民政府")  # the level 镇 is read from the name
        screen = app.screen
        assert screen.prompt.question.id == "year"

        await clerk.say("-3")
        turns = _turns(app)
        assert turns[-3] == "-3"
        assert "负数" in turns[-2]
        assert "这是哪一年度的报告？" in turns[-1]  # asked again
        assert screen.prompt.question.id == "year"

        await clerk.say("很多")  # text for a count
        turns = _turns(app)
        assert turns[-3] == "很多"
        assert "很多" in turns[-2] and "整数" in turns[-2]
        assert screen.prompt.question.id == "year"
        assert app.session.report.year is None

        await clerk.say("2025")
        assert screen.prompt.question.id == "published"
        assert app.session.report.year == 2025

        # an empty required paragraph: section 五 written by hand after declining the suggestions
        screen.interview.goto_question("problems_pick")
        screen.ask()
        await pilot.pause()
        await clerk.say("无")
        screen.interview.goto_question("problems_text")
        screen.ask()
        await pilot.pause()
        assert screen.prompt.question.id == "problems_text"
        assert screen.query_one("#answer-text").display  # a paragraph gets the multi-line box
        screen.query_one("#answer-text").text = ""
        await clerk.press("ctrl+s")
        turns = _turns(app)
        assert "不能为空" in turns[-2]
        assert screen.prompt.question.id == "problems_text"
        assert app.session.report.problems.problems == ""


async def test_quit_midway_then_reopen_resumes_with_every_answer(workspace: Path) -> None:
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        clerk = await _new_report(app, pilot)
        for text in ("高平镇人民政府", "", "2025", "2026-01-20", "党政办公室，电话 0000-1234567"):
            await clerk.say(text)
        assert app.screen.prompt.question.id == "proactive"  # figures come before 一's narrative
        await pilot.press("ctrl+q")  # quits at once; nothing to confirm (Ctrl+C copies)
    assert app.return_code == 0

    files = list(workspace.glob("*.json"))
    assert [f.name for f in files] == ["2025年高平镇人民政府政府信息公开工作年度报告.json"]

    again = make_app(workspace=workspace)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        start = again.screen
        assert isinstance(start, StartScreen)
        table = start.query_one("#reports")
        assert table.row_count == 1
        await pilot.press("enter")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, ChatScreen)
        report = screen.session.report
        assert report.agency.name == "高平镇人民政府"
        assert report.agency.kind is fmt.AgencyKind.TOWN
        assert report.year == 2025
        assert str(report.published) == "2026-01-20"
        assert report.contact == "党政办公室，电话 0000-1234567"
        turns = _turns(again)
        assert "高平镇人民政府" in turns and "党政办公室，电话 0000-1234567" in turns
        assert screen.prompt.question.id == "proactive"
        assert fmt.ROW_NORMATIVE in turns[-1]


async def test_draft_command_opens_one_report_directly(workspace: Path) -> None:
    path = workspace / "示例.json"
    store.save_report(example_report(), path)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # The example was not drafted question by question: its open questions are asked first.
        assert isinstance(app.screen, ChatScreen) and app.screen.prompt is not None
        assert app.session is not None and app.session.path == path
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, FinishScreen)
        summary = str(app.screen.query_one("#finish-summary").render())
        # a complete report that was not drafted question by question is not "unanswered"
        assert "错误 0 条" in summary and "不是逐题起草的" in summary and "没有回答" not in summary


async def test_the_report_is_checked_while_the_first_question_is_read(workspace: Path, monkeypatch) -> None:
    """The findings every answer compares with are known before the first answer: a long
    narrative is scanned once while the clerk reads, and an answer that leaves it alone does not
    scan it again."""
    from gkassist import checks

    mark = f"（只在这个测试里出现的一句话{uuid.uuid4().hex}）"  # (no space: the checks drop them)
    report = Report(agency={"name": "青石镇人民政府"})
    report.overview.supervision = "全年开展政务公开培训两次，群众可通过热线反映问题。" + mark
    path = workspace / "青石镇.json"
    store.save_report(report, path)
    scanned: list[str] = []
    real = checks._doubled_runs

    def counting(text: str):
        scanned.append(text)
        return real(text)

    monkeypatch.setattr(checks, "_doubled_runs", counting)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen) and screen.prompt is not None
        assert screen.prompt.question.id == "agency_name"
        assert sum(mark in text for text in scanned) == 1  # checked once the question was drawn
        scanned.clear()
        await Clerk(app, pilot).say("")  # the name as it stands: no narrative changes
        assert screen.prompt.question.id != "agency_name"
        assert not any(mark in text for text in scanned)
    assert not app.internal_errors


# ------------------------------------------------------------------ the grid


async def test_grid_typing_derived_cells_and_live_balance(workspace: Path) -> None:
    from textual.app import App

    values = {"new": {"natural_person": 12}, "carried": {"natural_person": 1}}
    result: dict = {}

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(GridScreen(values, editable={"public", "partial", "carry_next"}),
                             lambda v: result.update(v=v))

    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        grid = screen.query_one(T3Grid)
        status = screen.query_one("#grid-status")
        await pilot.press("1", "0")                 # （一）予以公开 / 自然人
        await pilot.pause()
        assert grid.values["public"]["natural_person"] == 10
        assert "办结 10 + 结转下年 0 ✗ 相差 3" in str(status.render())
        await pilot.press("backspace", "1")         # 10 → 1 → 11
        assert grid.values["public"]["natural_person"] == 11
        await pilot.press("enter", "enter", "2")    # next editable rows: （二） then 四、结转
        assert grid.values["carry_next"]["natural_person"] == 2
        assert grid.cell("total", "natural_person") == 11
        await pilot.pause()
        assert "自然人：新收+结转 13 = 办结 11 + 结转下年 2 ✓" in str(status.render())
        await pilot.press("right", "right", "right", "right", "right", "right")  # onto 总计
        await pilot.press("7")                      # derived: refused
        assert grid.cell("carry_next", "total") == 2
        await pilot.press("up")                     # （七）总计 row is read-only too
        await pilot.press("5")
        assert grid.cell("total", "total") == 11
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert result["v"]["public"]["natural_person"] == 11
    assert result["v"]["partial"]["commercial"] == 0    # blank cells count as 0
    assert "new" not in result["v"]                      # rows asked in the chat are not the grid's


async def test_grid_digit_right_after_an_arrow_goes_to_the_new_cell(workspace: Path) -> None:
    """Keys typed fast arrive back to back: a move must take effect before the next digit."""
    from textual import events
    from textual.app import App

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(GridScreen({"new": {"natural_person": 9}}, editable={"public", "partial"}))

    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        grid = app.screen.query_one(T3Grid)
        for key, char in (("4", "4"), ("down", None), ("right", None), ("2", "2"), ("left", None),
                          ("3", "3")):
            app.post_message(events.Key(key, char))  # as the terminal driver delivers them
        await pilot.pause()
        assert grid.values["public"]["natural_person"] == 4
        assert grid.values["partial"]["commercial"] == 2
        assert grid.values["partial"]["natural_person"] == 3


async def test_grid_f1_explains_the_row_and_esc_asks_before_dropping_changes(workspace: Path) -> None:
    from textual.app import App

    from gkassist.tui.dialogs import ConfirmDialog, MessageDialog

    result: dict = {}

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(GridScreen({"new": {"natural_person": 3}}, editable=set(fmt.OUTCOME_KEYS),
                                        start=("withheld_internal", "natural_person")),
                             lambda v: result.update(v=v))

    app = Host()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, MessageDialog)
        assert "内部事务" in app.screen.title_text and "人事管理" in app.screen.text
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("2", "ctrl+z")  # undo the figure just typed
        grid = app.screen.query_one(T3Grid)
        assert grid.values["withheld_internal"]["natural_person"] is None
        await pilot.press("3", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)  # changed: asks before dropping it
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, GridScreen) and grid.values["withheld_internal"]["natural_person"] == 3
        await pilot.press("escape", "y")
        await pilot.pause()
    assert result == {"v": None}  # Esc never saves


async def test_grid_header_stays_and_80x24_shows_every_column_with_the_full_label_below(workspace: Path) -> None:
    from textual.app import App

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(GridScreen({}, editable=set(fmt.OUTCOME_KEYS) | {"carry_next"}))

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = str(app.screen.query_one("#grid-header").render())
        assert "自然人" in header and fmt.TOTAL in header  # 总计 in view at 80 columns
        for _ in range(len(fmt.T3_DISPLAY_ROWS)):
            await pilot.press("down")
        await pilot.pause()
        header_widget = app.screen.query_one("#grid-header")
        scroll = app.screen.query_one("#grid-scroll")
        assert scroll.scroll_y > 0 and header_widget.region.bottom <= scroll.region.y  # still on top
        await pilot.press("up", "up", "up")  # （六）2., a long label cut in the grid
        await pilot.pause()
        row = fmt.T3_ROW["other_no_fee"]
        where = str(app.screen.query_one("#grid-where").render()).replace("\n", "")
        assert row.label in where  # the whole label on the status line


# ------------------------------------------------------------------ start screen


async def test_start_screen_draws_the_filled_rows_with_their_full_width(workspace: Path, monkeypatch) -> None:
    """A row is drawn as "（读取中…）" first and filled in when its file is read; the columns widen
    when the table is next idle. A frame drawn in between (a real terminal draws one) used to
    stay on screen with the old widths: "青石镇人民   2025  14/1" for 青石镇人民政府 14/18."""
    report = example_report()
    report.agency.name = "青石镇人民政府办公室信息公开科"  # wider than the placeholder
    store.save_report(report, workspace / "长名字.json")
    fill = StartScreen._fill_row

    def fill_then_draw(self, *args, **kwargs):
        fill(self, *args, **kwargs)
        table = self.query_one("#reports")
        for y in range(table.size.height):  # the frame a terminal draws before the table is idle
            table.render_line(y)

    monkeypatch.setattr(StartScreen, "_fill_row", fill_then_draw)
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        for _ in range(5):
            await pilot.pause(0.05)
        table = app.screen.query_one("#reports")
        header, row = (table.render_line(y).text for y in range(2))
        assert "青石镇人民政府办公室信息公开科" in row
        progress = table.get_row_at(0)[2]
        assert progress in row and row.index(progress) > row.index("信息公开科")
        column = cell_len(header[:header.index("进度")])
        assert column == cell_len(row[:row.index(progress)])  # header and row in the same columns


async def test_start_screen_lists_reports_and_leaves_a_corrupt_file_alone(workspace: Path) -> None:
    store.save_report(example_report(), workspace / "示例报告.json")
    broken = workspace / "坏了.json"
    broken.write_text('{"agency": {"name": "断', encoding="utf-8")
    (workspace / "坏了.json.bak").write_text(store.dumps_report(example_report()), encoding="utf-8")
    before = broken.read_bytes()
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()  # the status is read after the first frame
        await pilot.pause()
        table = app.screen.query_one("#reports")
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        assert rows[0][4] == "坏了.json" and "无法读取" in rows[0][0]
        assert rows[1][:2] == ["青禾镇人民政府", "2025"] and rows[1][4] == "示例报告.json"
        assert rows[1][2].startswith("待确认 ")  # filled in, not yet walked through
        done, total = map(int, rows[1][2].removeprefix("待确认 ").split("/"))
        assert 0 <= done <= total and total >= 20
        assert rows[1][3] == "0"
        detail = str(app.screen.query_one("#start-detail").render())
        assert "不是完整的 JSON" in detail and "按 B" in detail
        await pilot.press("enter")        # cannot open: the reason is shown, nothing changes
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("b")            # restore from the backup into a new file
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert app.session.path.name == "坏了-恢复.json"
    assert broken.read_bytes() == before


async def test_start_screen_draws_the_list_before_reading_the_reports(workspace: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The first frame lists the files; reading, interviewing and checking each report waits."""
    import threading

    from gkassist.tui import status

    for n in range(5):
        report = example_report()
        report.agency.name = f"第{n}镇人民政府"
        store.save_report(report, workspace / f"{n}.json")
    gate = threading.Event()
    real = status.progress

    def slow_progress(report):
        gate.wait(10)  # held until the list has been drawn
        return real(report)

    monkeypatch.setattr(status, "progress", slow_progress)
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#reports")
        assert table.row_count == 5 and table.get_row_at(0)[4] == "0.json"  # drawn, status pending
        gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.get_row_at(0)[0] == "第0镇人民政府" and table.get_row_at(4)[3] == "0"
    assert not app.internal_errors


async def test_example_and_new_year_from_the_start_screen(workspace: Path) -> None:
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert app.session.path == workspace / "示例报告.json"
        assert app.session.report.agency.name == "青禾镇人民政府"
        assert isinstance(app.screen, ChatScreen)  # the example's open questions are asked
        await pilot.press("escape")       # back to the start screen
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert app.session.report.year == 2026
        assert app.session.report.draft.carried_from == 2025
        assert app.screen.prompt.question.id == "cover_changed"
        # Keeping last year's narrative unchanged raises findings of copied text (D11).
        clerk = Clerk(app, pilot)
        while app.screen.prompt.question.id == "cover_changed":
            await clerk.say("没有")
        assert isinstance(app.screen, ChatScreen)
        await pilot.press("f4")
        await pilot.pause()
        panel = app.screen.query_one("#findings")
        texts = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert len([t for t in texts if "D11" in t]) >= 2
        await pilot.press("enter")       # jump to the question that fixes the first one
        await pilot.pause()
        assert not panel.display
        # the first finding is on table 三: the grid opens on it
        assert isinstance(app.screen, GridScreen), texts[0]
        assert "表三" in texts[0], texts[0]


# ------------------------------------------------------------------ keys that work anywhere


async def test_help_preview_export_and_ctrl_q(workspace: Path) -> None:
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        clerk = await _new_report(app, pilot)
        await clerk.say("高平镇人民政府")
        await pilot.press("f1")
        await pilot.pause()
        help_text = str(app.screen.query_one("Static").render())
        assert "年度" in help_text  # the help of the year question (the level came from the name)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        await clerk.say("2025")
        await pilot.press("f3")
        await pilot.pause()
        await pilot.pause()
        preview = str(app.screen.query_one("#preview-part-0").render())
        assert fmt.report_title("高平镇人民政府", 2025) in preview
        await pilot.press("f9")
        await pilot.pause()
        assert (workspace / "2025年高平镇人民政府政府信息公开工作年度报告.txt").exists()
        await pilot.press("escape")  # back from the finish screen F9 opened
        await pilot.pause()
        await pilot.press("ctrl+c")  # copies, never quits
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ChatScreen)
        await pilot.press("ctrl+q")
    assert app.return_code == 0
    assert not app.internal_errors


async def test_finish_lists_errors_and_jumps_to_the_question_that_fixes_one(workspace: Path) -> None:
    report = example_report()
    report.applications.set("public", "natural_person", 40)   # breaks R1 in the 自然人 column
    path = workspace / "有错.json"
    store.save_report(report, path)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        chat = app.screen
        assert isinstance(chat, ChatScreen) and chat.prompt is not None  # its open questions first
        await pilot.press("f10")
        await pilot.pause()
        finish = app.screen
        assert isinstance(finish, FinishScreen)
        summary = str(finish.query_one("#finish-summary").render())
        assert "错误 0 条" not in summary
        panel = finish.query_one("#finish-findings")
        first = panel.get_option_at_index(0)
        assert str(first.prompt).startswith("错误")
        assert not list(workspace.glob("*.txt"))  # errors: nothing exported until asked
        assert "R1" in str(first.prompt)
        panel.focus()
        panel.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        # the R1 finding opens the grid itself, the cursor on the 自然人 column's first outcome
        grid = app.screen
        assert isinstance(grid, GridScreen)
        assert grid.grid.cursor == (T3Grid._row_index("public"), 0)
        await pilot.press("5", "ctrl+s")  # back to last year's 5: the column balances again
        await pilot.pause()
        await pilot.pause()
        finish = app.screen
        assert isinstance(finish, FinishScreen)  # back on the finish screen, checked again
        assert not [f for f in finish.findings if f.rule == "R1"]
        assert app.session.report.applications.value("public", "natural_person") == 5
    assert not app.internal_errors


async def test_findings_sharing_a_field_are_all_listed(workspace: Path) -> None:
    from gkassist.checks import Finding

    path = workspace / "示例.json"
    store.save_report(example_report(), path)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        chat = next(s for s in app.screen_stack if isinstance(s, ChatScreen))
        if app.screen is not chat:
            await pilot.press("escape")
            await pilot.pause()
        same = "overview.on_request"
        chat.interview.findings = lambda: [
            Finding("D11", Severity.WARNING, "一", "与上年相同。", same),
            Finding("D13", Severity.WARNING, "一", "有重复的字。", same),
        ]
        await pilot.press("f4")
        await pilot.pause()
        panel = chat.query_one("#findings")
        assert panel.option_count == 2
        await pilot.press("down", "enter")
        await pilot.pause()
        assert chat.prompt.question.id == "overview_on_request"


@pytest.mark.expect_internal_error
async def test_a_bug_in_a_step_is_logged_and_the_clerk_carries_on(workspace: Path, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GKASSIST_LOG_DIR", str(tmp_path / "logs"))  # the crash log goes here
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        clerk = await _new_report(app, pilot)
        await clerk.say("高平镇人民政府")
        chat = app.screen

        def broken(text: str):
            chat.session.report.contact = "半途而废"   # a half-applied step must not survive
            raise RuntimeError("boom")

        chat.interview.answer = broken
        await clerk.say("2025")
        assert isinstance(app.screen, ChatScreen)
        assert len(app.internal_errors) == 1
        logs = list((tmp_path / "logs").glob("crash-*.log"))
        assert len(logs) == 1 and logs[0].read_text(encoding="utf-8").count("boom")
        assert any(str(logs[0]) in n.message for n in app._notifications)  # where it really went
        chat = app.screen
        assert chat.session.report.contact == ""        # reloaded as last saved
        assert chat.prompt.question.id == "year"  # the same question again
        await clerk.say("2025")
        assert chat.prompt.question.id == "published"
        assert app.is_running


async def test_skip_back_outline_and_question_mark_help(workspace: Path) -> None:
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        clerk = await _new_report(app, pilot)
        chat = app.screen
        for text in ("高平镇人民政府", "", "2025", ""):
            await clerk.say(text)
        assert chat.prompt.question.id == "contact"
        await pilot.press("f6")                      # skip for now
        await pilot.pause()
        assert chat.prompt.question.id == "proactive"
        assert "先跳过" in _turns(app)[-2]
        await pilot.press("f7")                      # back
        await pilot.pause()
        assert chat.prompt.question.id != "proactive"
        await clerk.say("？")                        # a question mark asks for help
        assert app.screen.__class__.__name__ == "MessageDialog"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f2")                      # the outline: jump to 三
        await pilot.pause()
        outline = chat.query_one("#outline")
        assert outline.has_focus
        outline.highlighted = 3
        await pilot.press("enter")
        await pilot.pause()
        assert chat.prompt.section == "三"
        assert chat.prompt.question.id == "has_requests"


async def test_a_small_terminal_keeps_everything_reachable(workspace: Path) -> None:
    app = make_app(workspace=workspace)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for button in app.screen.query("Button"):
            region = button.region
            assert region.width > 0 and region.right <= 80 and region.bottom <= 23, button.label
        await pilot.press("n")
        await pilot.pause()
        chat = app.screen
        assert not chat.query_one("#outline").display    # gives way to the conversation
        line = chat.query_one("#answer-line")
        assert line.region.bottom <= 23 and line.has_focus
        await pilot.press("f2")
        await pilot.pause()
        assert chat.query_one("#outline").display


async def test_findings_show_once_right_after_the_answer_that_caused_them(workspace: Path) -> None:
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        clerk = await _new_report(app, pilot)
        for _ in range(40):
            await pilot.pause()
            if isinstance(app.screen, GridScreen):
                break
            await clerk.say(COUNTY_BUREAU.answers[app.screen.prompt.question.id])
        assert isinstance(app.screen, GridScreen)
        await pilot.press("ctrl+s")            # leave the grid empty: 26 received, 0 handled
        await pilot.pause()
        views = list(app.screen.turns)
        errors = [v for v in views if v.has_class("-error")]
        assert errors and all("26" in str(v.render()) for v in errors)   # R1 broken in 自然人, 总计
        said = [str(v.render()).split("：", 1)[1] for v in views
                if v.has_class("-error") or v.has_class("-warning")]
        assert len(set(said)) == len(said)     # each finding said once, whatever its prefix
        first = views.index(errors[0])
        before = [v for v in views[:first] if v.role != "note"][-1]
        assert before.role == "clerk"          # right after the answer that caused it
        assert views.index(errors[0]) < views.index(app.screen.current_view)


async def test_importing_a_file_that_is_not_a_report_is_refused_in_chinese(workspace: Path,
                                                                          tmp_path: Path) -> None:
    junk = tmp_path / "随便.docx"
    junk.write_bytes(bytes(range(256)) * 8)
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#path-input").value = str(junk)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        shown = [n.message for n in app._notifications]
        assert shown and all("Traceback" not in m for m in shown)
        assert any("随便.docx" in m and "Word" in m for m in shown), shown
        assert not list(workspace.glob("*.json"))


async def test_import_a_published_report_from_the_start_screen(workspace: Path, samples_dir: Path) -> None:
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#path-input").value = str(samples_dir / "2023_shuyang-fagaiju.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        report = app.session.report
        assert report.agency.name == "沭阳县发展和改革局" and report.year == 2023
        assert report.applications.cell("new", "natural_person") == 26
        assert app.session.path == workspace / "2023年沭阳县发展和改革局政府信息公开工作年度报告.json"
        assert any("导入" in t for t in _turns(app))


# ------------------------------------------------------------------ issue 12: the clerk's flow


async def test_an_exported_file_edited_in_word_survives_a_reopen_and_a_new_export(workspace: Path) -> None:
    run = await run_scenario(workspace, ZERO_REQUEST_TOWNSHIP)
    docx = next(p for p in run.exported if p.suffix == ".docx")
    txt = next(p for p in run.exported if p.suffix == ".txt")
    assert set(run.report.draft.exported_hashes) == {p.name for p in run.exported}
    edited = docx.read_bytes() + b"\0the clerk's edits in Word"
    docx.write_bytes(edited)
    txt_stat = txt.stat().st_mtime_ns

    app = make_app(workspace=workspace, report_path=run.answers_file)  # gkassist draft X.json
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert docx.read_bytes() == edited and txt.stat().st_mtime_ns == txt_stat  # nothing re-exported
        finish = app.screen  # every question answered: the chat offers the finish screen at once
        assert isinstance(finish, FinishScreen)
        assert "上次已导出" in str(finish.query_one("#finish-files").render())
        await pilot.press("f9")  # asked for: the edited file stays, the new one goes beside it
        await pilot.pause()
        beside = docx.with_name(f"{docx.stem}（2）.docx")
        assert docx.read_bytes() == edited
        assert beside.is_file() and beside.read_bytes() != edited
        files = str(finish.query_one("#finish-files").render())
        assert beside.name in files and "被改动过" in files
    assert not app.internal_errors
    saved = store.load_report(run.answers_file).draft
    assert beside.name in saved.exported and beside.name in saved.exported_hashes


def test_an_unchanged_export_is_replaced_and_kept_as_bak(workspace: Path) -> None:
    from gkassist.tui.finish import export_report
    from gkassist.tui.session import save_new

    session = save_new(workspace, example_report())
    first = export_report(session).paths
    txt = next(p for p in first if p.suffix == ".txt")
    old = txt.read_bytes()
    session.report.contact = "办公室，电话 0000-7777777"
    again = export_report(session)
    assert txt in again.paths and not again.notes
    assert txt.read_bytes() != old
    assert txt.with_name(txt.name + ".bak").read_bytes() == old


async def _up_to_the_preface(app, pilot) -> Clerk:
    """A new report answered up to the 前言, chosen for rewriting (6) among the drafts of 一: a
    paragraph box with a drafted text in it."""
    clerk = await _new_report(app, pilot)
    for text in ("高平镇人民政府", "", "2025", "2026-01-20", "党政办公室，电话 0000-1234567",
                 "0", "没有", "没有", "6"):
        await clerk.say(text)
    assert app.screen.prompt.question.id == "preface"
    return clerk


async def test_the_header_names_the_renamed_file_and_the_footer_keys_stay_put(workspace: Path) -> None:
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        clerk = await _new_report(app, pilot)
        for text in ("高平镇人民政府", "", "2025"):
            await clerk.say(text)
        screen = app.screen
        assert "2025" in screen.session.path.name  # the year renamed the file
        assert app.sub_title == screen.session.path.name  # and the header says so after the frame
        title = str(screen.query_one(TitleBar).render())
        assert title == f"{app.title} — {screen.session.path.name}"
        for text in ("2026-01-20", "党政办公室，电话 0000-1234567", "0", "没有", "没有"):
            await clerk.say(text)
        keys = list(screen.query("FooterKey"))
        shown = [(k.key, k.description) for k in keys]
        assert ("f6", "跳过") in shown and ("f7", "上一题") in shown
        await clerk.say("6")  # the 前言 rewritten: the paragraph box takes the focus
        assert screen.query_one("#answer-text").has_focus
        assert list(screen.query("FooterKey")) == keys  # the same keys, not rebuilt, in place
        await clerk.say("")  # back to a one-line box
        assert screen.query_one("#answer-line").has_focus
        assert [(k.key, k.description) for k in screen.query("FooterKey")] == shown
    assert not app.internal_errors


async def test_ctrl_c_in_a_paragraph_box_copies_and_does_not_quit(workspace: Path) -> None:
    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        await _up_to_the_preface(app, pilot)
        area = app.screen.query_one("#answer-text")
        assert area.has_focus and area.text
        await pilot.press("ctrl+a", "ctrl+c")  # select all, copy
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ChatScreen)
        assert app.clipboard == area.text
        await pilot.press("ctrl+x")  # cut leaves the box empty; undo brings it back
        await pilot.pause()
        assert area.text == ""
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert area.text == app.clipboard
    assert not app.internal_errors


async def test_a_three_line_paste_into_a_one_line_answer_keeps_every_line(workspace: Path) -> None:
    from textual import events

    app = make_app(workspace=workspace)
    async with app.run_test(size=SIZE) as pilot:
        clerk = await _new_report(app, pilot)
        for text in ("高平镇人民政府", "", "2025", "2026-01-20"):
            await clerk.say(text)
        assert app.screen.prompt.question.id == "contact"
        line = app.screen.query_one("#answer-line")
        line.post_message(events.Paste("党政办公室\n地址：高平镇人民路1号\n电话 0000-1234567\n"))
        await pilot.pause()
        assert line.value == "党政办公室；地址：高平镇人民路1号；电话 0000-1234567"
        assert any("3 行" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+a")  # select all, then Ctrl+Z undoes the paste
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert line.value == ""
    assert not app.internal_errors


async def test_after_scrolling_up_an_answer_brings_the_new_question_into_view(workspace: Path) -> None:
    app = make_app(workspace=workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        clerk = await _up_to_the_preface(app, pilot)
        await clerk.say("")
        conversation = app.screen.query_one("#conversation")
        conversation.scroll_home(animate=False)  # the clerk scrolls up to read an old answer
        await pilot.pause()
        assert conversation.scroll_y < conversation.max_scroll_y
        await clerk.say("0")
        await pilot.pause()
        await pilot.pause()
        current = app.screen.current_view
        assert current is not None and app.screen.prompt is not None
        assert current.region.bottom <= conversation.region.bottom
        assert current.region.y >= conversation.region.y  # the new question is on screen
    assert not app.internal_errors


async def test_earlier_turns_fold_away_and_come_back_with_pageup_or_f8(workspace: Path) -> None:
    from gkassist.tui.conversation import KEEP_TURNS

    def shown(screen) -> list[TurnView]:
        return [t for t in screen.turns if t.display]

    app = make_app(workspace=workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        clerk = await _up_to_the_preface(app, pilot)
        screen = app.screen
        turns = list(screen.turns)
        assert len(turns) > KEEP_TURNS and shown(screen) == turns[-KEEP_TURNS:]  # the latest turns
        assert "高平镇人民政府" in "".join(str(t.render()) for t in turns)  # folded, not dropped
        conversation = screen.query_one("#conversation")
        assert f"更早的 {len(turns) - KEEP_TURNS} 条对话已收起" in conversation.fold_line
        conversation.scroll_home(animate=False)
        await pilot.pause()
        assert _drawn(conversation).splitlines()[0].strip() == conversation.fold_line  # above the turns
        await pilot.press("f8")  # everything again
        await pilot.pause()
        assert shown(screen) == list(screen.turns)
        assert "F8 收起" in conversation.fold_line
        await clerk.say("")  # unfolded, the next answers keep every turn shown
        assert shown(screen) == list(screen.turns)
        conversation.scroll_home(animate=False)
        await pilot.pause()
        await pilot.press("f8")  # folded again, and back at the question being asked
        await pilot.pause()
        assert shown(screen) == list(screen.turns)[-KEEP_TURNS:]
        assert conversation.at_foot and screen.current_view.text.splitlines()[-1][-3:] in _drawn(conversation)
        for text in ("1", ""):  # 五 picked and taken as drafted: a one-line box without a list
            await clerk.say(text)
        assert not screen.query_one("#answer-text").display  # (a paragraph box keeps PageUp)
        assert not screen.query_one("#options-box").display  # (a long list pages with PageUp)
        conversation.scroll_home(animate=False)
        await pilot.pause()
        await pilot.press("pageup")  # at the top of what is shown: the earlier turns come back
        await pilot.pause()
        assert shown(screen) == list(screen.turns)
    assert not app.internal_errors


async def test_a_long_option_list_scrolls_in_its_own_box_under_the_question(workspace: Path) -> None:
    app = make_app(workspace=workspace)
    async with app.run_test(size=(100, 30)) as pilot:
        clerk = await _up_to_the_preface(app, pilot)
        screen = app.screen
        screen.interview.goto_question("problems_pick")
        screen.ask()
        await pilot.pause()
        prompt = screen.prompt
        assert prompt.question.id == "problems_pick" and len(prompt.options) > 6
        box = screen.query_one("#options-box")
        assert box.display and box.region.height < len(prompt.options) + 2  # it scrolls
        current = screen.current_view
        conversation = screen.query_one("#conversation")
        assert conversation.region.y <= current.region.y and current.region.bottom <= conversation.region.bottom
        assert prompt.options[0].title in str(screen.query_one("#options-text").render())
        # Wrapped by the conversation's rules: no number alone on its line (Textual's word wrap
        # broke after "1. " when the option's Chinese text was wider than the box), further
        # lines under the option's text, every character kept, no line wider than the box.
        text = screen.query_one("#options-text")
        drawn = [strip.text.rstrip() for strip in text.render_lines(Region(0, 0, *text.size))]
        assert len(drawn) > len(prompt.options)  # (some options do wrap at this width)
        assert all(cell_len(line) <= text.content_region.width for line in drawn)
        assert not any(re.fullmatch(r"\s*\d+\.\s*", line) for line in drawn)
        starts = [i for i, line in enumerate(drawn) if re.match(r"\d+\. ", line)]
        assert [drawn[i].split(".")[0] for i in starts] == [str(o.number) for o in prompt.options]
        for i, line in enumerate(drawn):
            if i not in starts:
                head = drawn[max(j for j in starts if j < i)]
                assert line.startswith(" " * (head.index(" ") + 1)) and line.strip()
        squeeze = lambda t: re.sub(r"\s", "", t)  # noqa: E731
        assert squeeze("".join(drawn)) == squeeze(screen.shown.options)
        del clerk
    assert not app.internal_errors


async def test_a_rerun_like_last_year_cannot_be_exported_without_an_explicit_yes(workspace: Path,
                                                                                samples_dir: Path) -> None:
    from gkassist.tui.dialogs import ConfirmDialog

    draft = prepare_rerun(workspace, samples_dir / "2021_gaopingzhen.txt")
    # 一 is drafted afresh, so the clerk must copy last year's text in by hand to be like it
    kept = store.load_report(draft).overview.supervision
    scenario = dataclasses.replace(RERUN_NOTHING_CHANGED, confirm_copies=False, answers={
        **RERUN_NOTHING_CHANGED.answers, "overview_drafts": "5", "overview_supervision": kept})
    app = make_app(workspace=workspace, report_path=draft)
    async with app.run_test(size=SIZE) as pilot:
        with pytest.raises(AssertionError, match="asked to confirm"):
            await Clerk(app, pilot).interview(scenario)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and "D11" not in dialog.text and "相似度" in dialog.text
        await pilot.press("enter")  # Enter alone never confirms
        await pilot.pause()
        assert app.screen is dialog
        await pilot.press("n")
        await pilot.pause()
        finish = app.screen
        assert isinstance(finish, FinishScreen) and finish.done is None
        assert not list(workspace.glob("*.docx"))  # not finished without the confirmation
        await pilot.press("f9", "y")
        await pilot.pause()
        assert finish.done is not None and list(workspace.glob("*.docx"))
    assert not app.internal_errors


async def test_opening_a_carried_draft_shows_the_new_year_notes_and_last_years_figures(workspace: Path) -> None:
    from gkassist.model import LastYear

    report = Report()
    report.agency.name = "高平镇人民政府"
    report.year = 2025
    report.draft.carried_from = 2024
    report.draft.last_year = LastYear(
        year=2024, figures={"t2.normative.issued": 3, "t2.normative.repealed": 1, "t2.normative.in_force": 14},
        notes=["第一部分（一）主动公开：含上年的数字（26件），请改为今年的数字"])
    path = workspace / "2025年高平镇人民政府政府信息公开工作年度报告.json"
    store.save_report(report, path)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        assert any("含上年的数字（26件）" in t for t in _turns(app))
        chat.interview.goto_question("proactive")
        chat.ask()
        await pilot.pause()
        question = str(chat.current_view.render())
        assert f"去年：{fmt.ROW_NORMATIVE} 3 1 14" in question
    assert not app.internal_errors


@pytest.mark.parametrize("size", [(80, 24), (160, 45)])
async def test_preview_follows_the_section_and_keeps_table_three_whole(workspace: Path, size) -> None:
    path = workspace / "示例.json"
    store.save_report(example_report(), path)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        await pilot.press("f3")
        chat.interview.goto("三")
        chat.ask()
        for _ in range(4):
            await pilot.pause()
        preview = chat.query_one("#preview")
        part = chat.query_one("#preview-part-3")  # 三
        assert chat.preview_section == "三"
        assert part.region.y == preview.content_region.y  # its heading at the top of the panel
        text = str(part.render())
        total_row = next(line for line in text.splitlines() if line.startswith(fmt.TOTAL_ROW.label))
        assert total_row.split()[-1] == str(app.session.report.applications.cell("total", "total"))
        width = preview.scrollable_content_region.width
        assert all(cell_len(line) <= width for line in text.splitlines() if line.strip().endswith("11"))
        if size[0] >= 160:
            assert all(n in text for n in ("自然人", "商业", "公益", "其他"))  # every column at a wide size
        # The narrative as drawn: no line starts with a closing mark (Textual's own wrap did that).
        overview = chat.query_one("#preview-part-1")  # 一
        drawn = [strip.text.strip() for strip in overview.render_lines(Region(0, 0, *overview.size))]
        assert len(drawn) > 10 and not [line for line in drawn if line and line[0] in NO_LINE_START]
    assert not app.internal_errors


async def test_rerun_from_last_years_published_report_chosen_on_the_start_screen(workspace: Path,
                                                                                samples_dir: Path) -> None:
    from effort import RERUN_FROM_PUBLISHED, run_rerun_from_start

    run = await run_rerun_from_start(workspace, samples_dir / "2021_gaopingzhen.txt")
    assert run.answers_file.name == "2022年高平镇人民政府政府信息公开工作年度报告.json"
    assert (workspace / "2021年高平镇人民政府政府信息公开工作年度报告.json").is_file()  # last year kept
    assert run.report.proactive.normative.issued == 1 and run.report.proactive.licensing == 3
    assert str(run.report.published) == "2023-01-20"
    assert "problems_pick" in run.asked  # 五 drafted afresh, never last year's sentences
    assert run.inputs <= 12, run.asked  # issue 12's target (bench/effort.py prints the count)
    assert run.exported and RERUN_FROM_PUBLISHED.confirm_copies
