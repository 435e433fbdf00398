"""Small modal dialogs: ask for a file path, show a longer message."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class PathDialog(ModalScreen[str | None]):
    """One line of input (a file path); Enter accepts, Escape cancels."""

    DEFAULT_CSS = """
    PathDialog { align: center middle; }
    PathDialog > Vertical {
        width: 80%; max-width: 90; height: auto;
        border: round $accent; background: $surface; padding: 1 2;
    }
    PathDialog Static { margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape", "cancel", "取消")]

    def __init__(self, title: str, prompt: str, value: str = "") -> None:
        super().__init__()
        self.title_text, self.prompt, self.value = title, prompt, value

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = self.title_text
            box.border_subtitle = "Enter 确定 · Esc 取消"
            yield Static(self.prompt, markup=False)
            yield Input(self.value, id="path-input")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MessageDialog(ModalScreen[None]):
    """A scrollable message (help for a question); any of Esc, Enter, F1 closes it."""

    DEFAULT_CSS = """
    MessageDialog { align: center middle; }
    MessageDialog > VerticalScroll {
        width: 80%; max-width: 100; height: auto; max-height: 80%;
        border: round $accent; background: $surface; padding: 1 2;
    }
    """
    BINDINGS = [Binding("escape,enter,f1,q", "close", "关闭")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.title_text, self.text = title, text

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = self.title_text
            box.border_subtitle = "Esc 关闭"
            yield Static(self.text, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A question that needs an explicit yes: Y (or 是 on the button) confirms, N or Esc declines.

    Enter alone never confirms, so a clerk pressing Enter through the screens cannot agree to
    something by accident."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog > VerticalScroll {
        width: 80%; max-width: 100; height: auto; max-height: 80%;
        border: round $warning; background: $surface; padding: 1 2;
    }
    """
    BINDINGS = [
        Binding("y", "answer(True)", "确认"),
        Binding("n,escape", "answer(False)", "取消"),
    ]

    def __init__(self, title: str, text: str, *, yes: str = "按 Y 确认", no: str = "按 N 或 Esc 取消") -> None:
        super().__init__()
        self.title_text, self.text = title, text
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = self.title_text
            box.border_subtitle = f"{self.yes} · {self.no}"
            yield Static(f"{self.text}\n\n{self.yes}；{self.no}。", markup=False)

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
