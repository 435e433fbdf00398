"""Reopening a report from the note of its first frame (tui/opening.py): the question is drawn
before the engine is built, the engine has the last word, and an answer sent meanwhile is never
lost."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from gkassist import store
from gkassist.model import Report
from gkassist.tui import chat, opening
from gkassist.tui.app import make_app
from gkassist.tui.chat import ChatScreen

SIZE = (120, 36)


async def _until(predicate, pilot, timeout: float = 20.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not predicate():
        assert loop.time() < end, "timed out"
        await pilot.pause(0.02)


async def _first_sitting(workspace: Path) -> Path:
    """A new report, the agency's name answered, then the app quits (leaving the note of the
    question it asks next, whichever the script asks)."""
    path = workspace / "报告.json"
    store.save_report(Report(), path)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen) and not screen.loading_report  # no note yet
        screen.query_one("#answer-line").value = "青山镇人民政府"
        await pilot.press("enter")
        await pilot.pause()
        assert screen.prompt is not None and screen.prompt.question.id != "agency_name"
    return path


@pytest.fixture
def opening_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    """The thread that opens the report starts only when the test says so."""
    monkeypatch.setattr(chat, "OPEN_AFTER", 3600.0)


async def test_an_unchanged_report_is_drawn_from_its_note_and_a_held_answer_is_applied(
        workspace: Path, opening_waits: None) -> None:
    path = await _first_sitting(workspace)
    note = opening.read(path, workspace)
    assert note is not None and note.view.qid not in ("", "agency_name")
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen) and screen.loading_report
        assert screen.shown == note.view and app.session is None  # drawn, nothing loaded
        texts = [str(v.render()) for v in screen.turns]
        assert any("青山镇人民政府" in t for t in texts)  # the conversation so far
        await pilot.press("enter")  # the default accepted, sent before the engine is there
        await pilot.pause()
        assert screen.loading_report and "准备好后立即发送" in str(screen.query_one("#answer-hint").render())
        screen._start_loading()
        await _until(lambda: not screen.loading_report and screen.prompt is not None
                     and screen.prompt.question.id != note.view.qid, pilot)
        assert app.session is not None and note.view.qid in app.session.report.draft.answers
        assert note.view.qid in store.load_report(path).draft.answers  # saved
        assert not app.internal_errors


async def test_the_engine_replaces_a_noted_question_that_differs_and_keeps_what_was_typed(
        workspace: Path, opening_waits: None) -> None:
    path = await _first_sitting(workspace)
    note = opening.read(path, workspace)
    assert note is not None
    stale = opening.View(qid="published", section="封面", text="【封面】\n报告打算哪天发布？", multiline=False,
                         box="", placeholder="", hint="", options="")
    opening.write(path, workspace, store.file_state(path).sha256, note.turns, stale, note.outline)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen) and screen.shown == stale
        await pilot.press("2", "0", "2", "5", "enter")  # held for the question on screen
        await pilot.pause()
        screen._start_loading()
        await _until(lambda: not screen.loading_report, pilot)
        await pilot.pause()
        assert screen.prompt is not None and screen.prompt.question.id == note.view.qid
        assert screen.shown == note.view
        # not sent to another question than the one it was typed for, and not lost either
        assert screen.query_one("#answer-line").value == "2025"
        assert app.session is not None and note.view.qid not in app.session.report.draft.answers


async def test_a_changed_file_is_opened_the_usual_way(workspace: Path) -> None:
    path = await _first_sitting(workspace)
    assert opening.read(path, workspace) is not None
    report = store.load_report(path)
    report.agency.name = "青山镇人民政府办公室"
    store.save_report(report, path)  # another program changed it
    assert opening.read(path, workspace) is None
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen) and not screen.loading_report
        assert screen.prompt is not None


def test_a_note_is_only_for_its_own_file(workspace: Path, tmp_path: Path) -> None:
    a, b = workspace / "a.json", workspace / "b.json"
    for path in (a, b):
        store.save_report(Report(), path)  # the same bytes
    view = opening.View(qid="agency_name", section="封面", text="t", multiline=False, box="",
                        placeholder="", hint="", options="")
    opening.write(a, workspace, store.file_state(a).sha256, [], view, [])
    assert opening.read(a, workspace) is not None
    assert opening.read(b, workspace) is None
    assert opening.read(a, tmp_path) is None  # another workspace (another library/ folder)
    opening.forget(a)
    assert opening.read(a, workspace) is None


async def test_a_noted_file_that_no_longer_loads_is_reported_and_the_clerk_gets_the_list(
        workspace: Path, opening_waits: None) -> None:
    path = workspace / "坏.json"
    path.write_text('{"version": 1, "draft": ', encoding="utf-8")  # cut short
    view = opening.View(qid="agency_name", section="封面", text="【封面】\n机关全称？", multiline=False,
                        box="", placeholder="", hint="", options="")
    opening.write(path, workspace, store.file_state(path).sha256, [], view, [])  # as if shown before
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen) and screen.loading_report
        screen._start_loading()
        await _until(lambda: not isinstance(app.screen, ChatScreen), pilot)
        await pilot.pause()  # the start screen's header settles before the app closes
        from gkassist.tui.start import StartScreen

        assert isinstance(app.screen, StartScreen) and app.session is None
        assert not app.internal_errors  # a GkError, said in Chinese, not a bug
    assert opening.read(path, workspace) is None  # the note is gone
