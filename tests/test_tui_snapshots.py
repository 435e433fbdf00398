"""SVG snapshots of the key screens: start, a question, the table-三 grid, finish (120×36), and
the grid and the preview at the smallest supported size (80×24) and a large one (160×45).

The workspace is the relative path `ws` inside a temporary current directory, so no absolute
temporary path appears on screen; the answers fix the agency, the year and every figure.
Update the baselines with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from gkassist import store
from gkassist.example import example_report
from gkassist.tui import session
from gkassist.tui.app import make_app
from gkassist.tui.grid import GridScreen

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from effort import COUNTY_BUREAU, ZERO_REQUEST_TOWNSHIP, Clerk  # noqa: E402

SIZE = (120, 36)


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # A new report's provisional file name carries the time; fix it so the header is stable.
    monkeypatch.setattr(session, "provisional_path", lambda workspace: workspace / "新报告-20260105-090000.json")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GKASSIST_HOME", raising=False)
    path = Path("ws")
    path.mkdir()
    return path


@pytest.fixture(autouse=True)
def _no_toasts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Toasts come and go on a timer (and a modal screen shows the one under it), so whether one
    is in the picture depended on the machine's load. The pictures are of the screens: no toasts."""
    from gkassist.tui.app import GkApp

    monkeypatch.setattr(GkApp, "notify", lambda self, *args, **kwargs: None)


async def _settle(pilot) -> None:
    """Let layout, scrolling and the scrollbars come to rest, and take any toast away (its
    timeout depends on the machine's load)."""
    from textual.widgets import Input, TextArea

    for box in [*pilot.app.screen.query(Input), *pilot.app.screen.query(TextArea)]:
        box.cursor_blink = False  # a blinking cursor is drawn or not depending on the moment
    await pilot.wait_for_scheduled_animations()
    for _ in range(3):
        await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause(0.1)
    await pilot.pause()


def test_start_screen(snap_compare, ws: Path) -> None:
    store.save_report(example_report(), ws / "示例报告.json")
    (ws / "坏了.json").write_text('{"agency": {"name": "断', encoding="utf-8")
    (ws / "坏了.json.bak").write_text(store.dumps_report(example_report()), encoding="utf-8")

    async def select_broken(pilot) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()  # each report's status is read after the first frame
        await _settle(pilot)

    assert snap_compare(make_app(workspace=ws), terminal_size=SIZE, run_before=select_broken)


def test_a_question(snap_compare, ws: Path) -> None:
    async def first_answer(pilot) -> None:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await Clerk(pilot.app, pilot).say("青石镇人民政府")
        await _settle(pilot)

    assert snap_compare(make_app(workspace=ws), terminal_size=SIZE, run_before=first_answer)


def test_table_three_grid(snap_compare, ws: Path) -> None:
    async def up_to_the_grid(pilot) -> None:
        app = pilot.app
        await pilot.pause()
        await pilot.press("n")
        clerk = Clerk(app, pilot)
        for _ in range(60):
            await pilot.pause()
            if isinstance(app.screen, GridScreen):
                break
            await clerk.say(COUNTY_BUREAU.answers[app.screen.prompt.question.id])
        assert isinstance(app.screen, GridScreen)
        await pilot.press("2", "6", "down")
        await pilot.pause()
        # A save toast times out after 5 s: whether it is still up depends on the machine's load.
        app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(workspace=ws), terminal_size=SIZE, run_before=up_to_the_grid)


def test_finish_screen(snap_compare, ws: Path) -> None:
    async def whole_interview(pilot) -> None:
        await pilot.pause()
        await pilot.press("n")
        await Clerk(pilot.app, pilot).interview(ZERO_REQUEST_TOWNSHIP)
        await _settle(pilot)

    assert snap_compare(make_app(workspace=ws), terminal_size=SIZE, run_before=whole_interview)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_grid_at_size(snap_compare, ws: Path, size: tuple[int, int]) -> None:
    from gkassist import format as fmt

    values = {"new": {"natural_person": 26}, "public": {"natural_person": 20},
              "withheld_internal": {"natural_person": 2}}

    async def open_grid(pilot) -> None:
        await pilot.pause()
        pilot.app.push_screen(GridScreen(values, editable=set(fmt.OUTCOME_KEYS) | {"carry_next"},
                                         start=("other_no_fee", "natural_person")))
        await _settle(pilot)

    assert snap_compare(make_app(workspace=ws), terminal_size=size, run_before=open_grid)


@pytest.mark.parametrize("size", [(80, 24), (160, 45)], ids=["80x24", "160x45"])
def test_preview_at_size(snap_compare, ws: Path, size: tuple[int, int]) -> None:
    path = ws / "示例报告.json"
    store.save_report(example_report(), path)

    async def preview_of_three(pilot) -> None:
        await pilot.pause()
        chat = pilot.app.screen
        await pilot.press("f3")
        chat.interview.goto("三")
        chat.ask()
        for _ in range(3):
            await pilot.pause()
        await _settle(pilot)

    assert snap_compare(make_app(workspace=ws, report_path=path), terminal_size=size,
                        run_before=preview_of_three)
