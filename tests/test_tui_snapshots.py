"""SVG snapshots (120×36) of the key screens: start, a question, the table-三 grid, finish.

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


def test_start_screen(snap_compare, ws: Path) -> None:
    store.save_report(example_report(), ws / "示例报告.json")
    (ws / "坏了.json").write_text('{"agency": {"name": "断', encoding="utf-8")
    (ws / "坏了.json.bak").write_text(store.dumps_report(example_report()), encoding="utf-8")

    async def select_broken(pilot) -> None:
        await pilot.pause()

    assert snap_compare(make_app(workspace=ws), terminal_size=SIZE, run_before=select_broken)


def test_a_question(snap_compare, ws: Path) -> None:
    async def first_answer(pilot) -> None:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await Clerk(pilot.app, pilot).say("青石镇人民政府")
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

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
        await pilot.pause()
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(workspace=ws), terminal_size=SIZE, run_before=whole_interview)
