"""KeysFooter: the key bar is rebuilt when the keys it shows change, and only then."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Input

from gkassist.tui.footer import KeysFooter


class _Bar(App[None]):
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [Binding("f9", "export", "导出"), Binding("f6", "skip", "跳过")]

    def __init__(self) -> None:
        super().__init__()
        self.can_export = True

    def compose(self) -> ComposeResult:
        yield Input(id="one")
        yield Input(id="two")
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.can_export if action == "export" else True

    def action_export(self) -> None: ...

    def action_skip(self) -> None: ...


def _keys(app: App[None]) -> list[tuple[str, str]]:
    return [(k.key, k.description) for k in app.screen.query("FooterKey")]


async def test_a_change_of_focus_keeps_the_keys_and_a_change_of_keys_rebuilds_them() -> None:
    app = _Bar()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert ("f9", "导出") in _keys(app) and ("f6", "跳过") in _keys(app)
        widgets = list(app.screen.query("FooterKey"))
        app.query_one("#two", Input).focus()
        await pilot.pause()
        assert list(app.screen.query("FooterKey")) == widgets  # same keys: nothing rebuilt
        app.can_export = False
        app.refresh_bindings()
        await pilot.pause()
        assert _keys(app) == [("f6", "跳过")]  # the export key went: rebuilt without it
        app.can_export = True
        app.refresh_bindings()
        await pilot.pause()
        assert ("f9", "导出") in _keys(app)
