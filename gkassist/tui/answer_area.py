"""The paragraph answer box, in a module of its own: the chat mounts it once its first question
is on screen (or at once, when that question is a paragraph), so TextArea's modules (~8 ms of
imports) are not loaded before the first question."""

from __future__ import annotations

from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import TextArea


class AnswerArea(TextArea):
    """The paragraph answer box (Ctrl+C/X/V copy, cut, paste and Ctrl+Z undo are TextArea's own;
    Ctrl+A selects everything, as in office programs, instead of going to the line start).

    While hidden it has no width, so a draft put into it wrapped to nothing and re-wrapped only
    after it had been shown once (a frame later, the paragraph visibly reflowing). It takes the
    width it had when last shown — or, before it was ever shown, its container's — instead.
    """

    BINDINGS = [Binding("ctrl+a", "select_all", "全选", show=False)]

    _shown_width = 0

    @property
    def wrap_width(self) -> int:
        width = self.scrollable_content_region.width
        if width:
            self._shown_width = width
        else:
            width = self._shown_width
            if not width and isinstance(self.parent, Widget):
                width = self.parent.content_region.width - self.styles.gutter.width
        if not self.soft_wrap:
            return 0
        return max(0, width - self.gutter_width - 1)  # 1: the cursor at a line's end
