"""One writer per report, and only saved answers are acknowledged (issue 16).

Two Pilot apps on one answers file: the second is read-only and says so, and nothing the first
saves is lost. A file rewritten by another process between two answers: both versions survive.
An injected save failure: the interview stays on the question with the clerk's text in the box,
and once the failure is gone the answer lands in the right field."""

from __future__ import annotations

import errno
import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from gkassist import store
from gkassist.model import Report
from gkassist.tui.app import make_app
from gkassist.tui.chat import ChatScreen

SIZE = (120, 36)


def _chat(app) -> ChatScreen:
    return next(s for s in app.screen_stack if isinstance(s, ChatScreen))


def _said(app) -> str:
    turns = [str(t.render()) for s in app.screen_stack if isinstance(s, ChatScreen) for t in s.turns]
    return "\n".join(turns + [n.message for n in app._notifications])


async def _type(pilot, chat: ChatScreen, text: str) -> None:
    line = chat.query_one("#answer-line", Input)
    line.value = text
    line.focus()
    await pilot.press("enter")
    await pilot.pause()


def _blank(workspace: Path) -> Path:
    path = workspace / "共用.json"
    store.save_report(Report(), path)
    return path


async def test_second_window_is_read_only_and_the_first_loses_nothing(workspace: Path) -> None:
    path = _blank(workspace)
    first = make_app(workspace=workspace, report_path=path)
    async with first.run_test(size=SIZE) as p1:
        await p1.pause()
        a = _chat(first)
        assert not a.session.readonly
        await _type(p1, a, "甲镇人民政府")
        assert store.load_report(path).agency.name == "甲镇人民政府"

        second = make_app(workspace=workspace, report_path=path)
        async with second.run_test(size=SIZE) as p2:
            await p2.pause()
            b = _chat(second)
            assert b.session.readonly
            said = _said(second)
            assert "只读" in said and "进程" in said and "正由" in said
            assert any(n.title == "只读" for n in second._notifications)
            asked = b.interview.current()
            assert asked is not None and asked.id == "year"  # the level was taken from the name
            await _type(p2, b, "2024")   # a valid answer, but this window may not save it
            assert b.interview.current() is asked  # refused, not acknowledged
            assert any("只读" in n.message for n in second._notifications)
            assert b.query_one("#answer-line", Input).value == "2024"
            assert b.session.report.year is None
        # the first window carries on; everything it saved is in the file
        await _type(p1, a, "2025")
    saved = store.load_report(path)
    assert saved.agency.name == "甲镇人民政府"
    assert saved.year == 2025
    # the first window has closed: the report can be edited again
    lock = store.ReportLock(path)
    assert lock.acquire()
    lock.release()


async def test_file_rewritten_by_another_process_between_two_answers_keeps_both(workspace: Path) -> None:
    path = _blank(workspace)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        chat = _chat(app)
        await _type(pilot, chat, "甲镇人民政府")
        # another program (not the app) rewrites the answers file meanwhile
        code = ("import sys; from gkassist import store; r = store.load_report(sys.argv[1]); "
                "r.agency.short_name = '别处改的'; store.save_report(r, sys.argv[1])")
        # blocking on purpose: the other program finishes before the next answer is sent
        subprocess.run([sys.executable, "-c", code, str(path)], check=True)  # noqa: ASYNC221
        theirs = path.read_bytes()
        asked = chat.interview.current()
        await _type(pilot, chat, "")   # the next answer
        assert chat.interview.current() is asked  # not acknowledged: it was not saved under the name
        said = _said(app)
        assert "冲突" in said and "另存为" in said
    assert path.read_bytes() == theirs  # their version untouched
    kept = [p for p in workspace.glob("共用（冲突 *）.json")]
    assert len(kept) >= 1
    ours = store.load_report(kept[0])
    assert ours.agency.name == "甲镇人民政府" and ours.agency.short_name != "别处改的"
    assert store.load_report(path).agency.short_name == "别处改的"


async def test_failed_save_keeps_the_question_and_the_text_then_lands_in_the_right_field(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _blank(workspace)
    app = make_app(workspace=workspace, report_path=path)
    real = store.atomic_write_bytes
    full = {"on": False}

    def write(target, data, *, backup=True):
        if full["on"]:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(target, data, backup=backup)

    monkeypatch.setattr(store, "atomic_write_bytes", write)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        chat = _chat(app)
        asked = chat.interview.current()
        full["on"] = True
        await _type(pilot, chat, "甲镇人民政府")
        assert chat.interview.current() is asked
        assert chat.session.report.agency.name == ""       # nothing applied in memory either
        assert chat.query_one("#answer-line", Input).value == "甲镇人民政府"
        assert "磁盘已满" in _said(app)
        full["on"] = False
        await pilot.press("enter")  # the same text, sent again
        await pilot.pause()
        assert chat.interview.current() is not asked
    saved = store.load_report(path)
    assert saved.agency.name == "甲镇人民政府"
    assert saved.draft.answers.get(asked.id) == "甲镇人民政府"
    assert saved.year is None  # the next question (the year) was not answered by the retry


def test_command_refuses_to_write_a_report_open_in_a_window(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    store.save_report(Report(), path)
    held = store.ReportLock(path)
    assert held.acquire()
    try:
        before = path.read_bytes()
        with pytest.raises(store.GkError) as info:
            store.locked_save(Report(year=2025), path)
        assert "正由" in info.value.message and "没有写入" in info.value.message
        assert path.read_bytes() == before
    finally:
        held.release()
    store.locked_save(Report(year=2025), path)
    assert store.load_report(path).year == 2025


def test_holder_gone_is_told(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    lock = store.ReportLock(path)
    holder = {"user": "u", "host": store.socket.gethostname(), "pid": 999999999, "since": "2026-01-01 08:00"}
    lock.holder_path.write_text(json.dumps(holder), encoding="utf-8")
    assert lock.holder() is not None and lock.holder().gone
    assert "已不在" in lock.busy_message()


async def test_the_app_offers_the_workspace_library_in_five(workspace: Path) -> None:
    from gkassist.example import example_report

    folder = workspace / "library"
    folder.mkdir()
    (folder / "本单位.toml").write_text(
        '[[entry]]\nid = "P1"\ntheme = "本县统一口径的力量问题"\nkind = "problem"\nweight = 9\n'
        'variants = ["{{ self }}信息公开专职人员不足，兼职人员变动频繁"]\n', encoding="utf-8")
    path = workspace / "示例.json"
    store.save_report(example_report(), path)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        chat = _chat(app)
        if app.screen is not chat:
            await pilot.press("escape")
            await pilot.pause()
        chat.interview.goto("五")
        chat.ask()
        await pilot.pause()
        assert chat.prompt is not None and chat.prompt.kind == "pick"
        titles = [o.title for o in chat.prompt.options]
        assert "问题：本县统一口径的力量问题" in titles
        # On the screen (the options box under the question), not only in the engine's list.
        shown = str(chat.query_one("#options-text", Static).render())
        assert "本县统一口径的力量问题" in shown
