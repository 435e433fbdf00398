"""What the faster start must not change: going back from a directly opened report, library errors."""

from __future__ import annotations

from pathlib import Path

from gkassist import store
from gkassist.example import example_report
from gkassist.library import build_context, load_library, sample_report
from gkassist import format as fmt
from gkassist.model import Report
from gkassist.tui.app import StartSlot, make_app
from gkassist.tui.chat import ChatScreen
from gkassist.tui.start import StartScreen

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
