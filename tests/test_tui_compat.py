"""The private Textual internals gkassist relies on (all in gkassist/tui/compat.py) still exist.

If this fails after a Textual upgrade, the immediate draw, the frame watch or the last
error guard would silently stop working: adapt gkassist/tui/compat.py to the new Textual first."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widget import Widget

from gkassist.tui import compat

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("cls", "name"), compat.PRIVATE_API, ids=lambda x: getattr(x, "__name__", x))
def test_private_methods_still_exist(cls: type, name: str) -> None:
    assert callable(getattr(cls, name, None)), f"Textual no longer has {cls.__name__}.{name}"


def test_private_attributes_still_exist_on_live_objects() -> None:
    live = {App: App(), Widget: Widget(), Screen: Screen()}
    for cls, name in compat.PRIVATE_INSTANCE_API:
        assert hasattr(live[cls], name), f"Textual no longer sets {cls.__name__}.{name}"


def test_the_overridden_error_hook_keeps_its_signature() -> None:
    params = list(inspect.signature(App._handle_exception).parameters)
    assert params == ["self", "error"], params


def test_no_private_textual_use_outside_compat() -> None:
    private = {"_handle_exception", "_container_size", "_on_timer_update", "_display", "_dirty_widgets", "_batch_count",
               "_exit_renderables", "_close_messages_no_wait"}
    offenders = []
    for path in [*(ROOT / "gkassist" / "tui").glob("*.py"), *(ROOT / "bench").glob("*.py")]:
        if path.name == "compat.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "attr", None) or (node.name if isinstance(node, ast.FunctionDef) else None)
            if name in private:
                offenders.append(f"{path.name}:{node.lineno} {name}")
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "gc":
                offenders.append(f"{path.name}:{node.lineno} gc.{node.attr}")
    assert offenders == []


async def test_draw_now_says_when_the_app_holds_its_frames() -> None:
    """While the app holds every frame (batch_update, as when it mounts its first screens) nothing
    can be drawn: draw_now says so, and the chat draws again on the app's next turn."""
    frames: list[object] = []
    app = App()
    async with app.run_test() as pilot:
        await pilot.pause()
        compat.watch_frames(app, lambda screen, update: frames.append(update))
        app.screen.refresh()
        with app.batch_update():
            assert compat.draw_now(app.screen) is False
            assert frames == []
        app.screen.refresh()
        assert compat.draw_now(app.screen) is True
        assert frames
