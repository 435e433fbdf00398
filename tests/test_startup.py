"""What the faster start must not change: going back from a directly opened report, library errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gkassist import store
from gkassist.example import example_report
from gkassist.library import build_context, load_library, sample_report
from gkassist import format as fmt
from gkassist.model import Report
from gkassist.tui.app import StartSlot, make_app
from gkassist.tui.chat import ChatScreen
from gkassist.tui.compat import watch_frames
from gkassist.tui.start import StartScreen

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from effort import ZERO_REQUEST_TOWNSHIP  # noqa: E402

SIZE = (120, 36)


async def test_a_directly_opened_report_goes_back_to_a_filled_start_screen(workspace: Path) -> None:
    store.save_report(example_report(), workspace / "示例.json")
    path = workspace / "新报告.json"
    store.save_report(Report(), path)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        assert isinstance(app.screen_stack[1], StartSlot)  # nothing built under the chat yet
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        table = app.screen.query_one("#reports")
        assert sorted(table.get_row_at(i)[4] for i in range(table.row_count)) == ["新报告.json", "示例.json"]
        await pilot.press("n")  # and the start screen works as when the app opens on it
        await pilot.pause()
        assert isinstance(app.screen, ChatScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert len(app.screen_stack) == 2
    assert app.internal_errors == []


async def test_a_report_that_cannot_be_opened_leaves_the_start_screen(workspace: Path) -> None:
    path = workspace / "坏了.json"
    path.write_text("{", encoding="utf-8")
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert any("坏了.json" in n.message for n in app._notifications)


def test_built_in_entries_compile_on_first_use_and_workspace_ones_at_load(tmp_path: Path) -> None:
    folder = store.library_dir(tmp_path)
    folder.mkdir(parents=True)
    (folder / "本县.toml").write_text(
        '[[entry]]\nid = "X4"\ntheme = "变量"\nkind = "problem"\nvariants = ["{{ nosuch }}"]\n',
        encoding="utf-8")
    library = load_library(tmp_path)
    assert len(library.errors) == 1 and "X4" in library.errors[0] and "未知的变量" in library.errors[0]
    entry = library.get("P3")
    assert entry is not None and not any(entry.templates)
    text = entry.render(0, build_context(sample_report(fmt.AgencyKind.TOWN, active=False)))
    assert text and "{{" not in text
    assert entry.templates[0] is not None and not any(entry.templates[1:])


def _ids(widget) -> list[str | None]:
    return [child.id for child in widget.children]


async def test_the_hidden_parts_come_after_the_first_frame_and_in_their_places(workspace: Path) -> None:
    """The paragraph box, the preview and the findings list are not built before the first
    question is drawn (start-up work); once it is, they are there, hidden, where compose put them."""
    path = workspace / "新报告.json"
    store.save_report(Report(), path)
    app = make_app(workspace=workspace, report_path=path)
    at_first_frame: list[list[str | None]] = []

    def on_frame(screen, update) -> None:
        if isinstance(screen, ChatScreen) and screen.current_view is not None and not at_first_frame:
            at_first_frame.append([w.id for w in screen.query("#options-box, #answer-text, #preview, #findings")])

    watch_frames(app, on_frame)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen) and screen.prompt is not None
        assert at_first_frame == [[]]
        assert _ids(screen.query_one("#chat-body")) == ["outline", "chat-main", "preview", "findings"]
        assert _ids(screen.query_one("#chat-main")) == ["conversation", "options-box", "answer-hint", "answer-line",
                                                        "answer-text"]
        assert not any(screen.query_one(f"#{name}").display
                       for name in ("options-box", "answer-text", "preview", "findings"))
        assert screen.query_one("#answer-line").has_focus
    assert app.internal_errors == []


async def test_keys_pressed_before_the_hidden_parts_are_built_build_them(
        workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """F3, F4 and a paragraph question work however soon they come (the parts are made on demand)."""
    monkeypatch.setattr(ChatScreen, "_mount_later", lambda self: None)
    path = workspace / "新报告.json"
    store.save_report(example_report(), path)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen) and not screen.query("#preview, #findings")
        await pilot.press("f3")
        await pilot.pause()
        assert screen.query_one("#preview").display
        assert "政府信息公开工作年度报告" in str(screen.query_one("#preview-part-0").render())
        await pilot.press("f4")
        await pilot.pause()
        findings = screen.query_one("#findings")
        assert findings.display and findings.has_focus and findings.option_count >= 1
        assert _ids(screen.query_one("#chat-body"))[-2:] == ["preview", "findings"]
        # The same soon after a new report's first answers: the first paragraph question makes the box.
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChatScreen) and not screen.query("#answer-text")
        for _ in range(12):
            assert screen.prompt is not None
            if screen.prompt.kind == "paragraph" or getattr(screen.prompt, "multiline", False):
                break
            screen.query_one("#answer-line").value = ZERO_REQUEST_TOWNSHIP.answers[screen.prompt.question.id]
            await pilot.press("enter")
            await pilot.pause()
        area = screen.query_one("#answer-text")
        assert area.display and area.has_focus and not screen.query_one("#answer-line").display
        assert screen.prompt is not None and area.text == (screen.prompt.default or "") and area.text
        screen.interview.goto_question("problems_pick")  # a long list: the option box is made for it
        screen.ask()
        await pilot.pause()
        assert screen.prompt is not None and len(screen.prompt.options or []) > 6
        box = screen.query_one("#options-box")
        assert box.display and screen.prompt.options[0].title in str(box.query_one("#options-text").render())
    assert app.internal_errors == []
