"""The title line at the top of every screen."""

from __future__ import annotations

from textual.widgets import Static


class TitleBar(Static):
    """The app's title and the open file's name, drawn where and as Textual's Header draws them
    (its colours; the title centred between the room of Header's icon, 8 cells, and of its clock,
    10), as one widget: Header's four (the bar, the icon, the title, the clock's room) were a tenth
    of the work before the first question could be drawn (`python bench/calls.py`)."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        padding: 0 10 0 8;
        background: $panel;
        color: $foreground;
        content-align: center middle;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self) -> None:
        super().__init__(markup=False)

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._show_title, init=False)
        self.watch(self.app, "sub_title", self._show_title, init=False)
        self.watch(self.screen, "title", self._show_title, init=False)
        self.watch(self.screen, "sub_title", self._show_title, init=False)
        self._show_title()

    def _show_title(self) -> None:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        self.update(app.format_title(title, sub_title))
