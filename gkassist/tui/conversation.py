"""The conversation: every turn drawn by one line-API widget.

Each answer adds two or three turns. As widgets (one Static per turn) every answer mounted and
styled the new ones and laid out and measured all the shown ones again, most of the time from the
clerk's key to the next question. Here a turn is plain data: wrapped once for the width it is
shown at (cached until its text or classes change), the widget keeps the shown turns' lines in one
list and draws only the lines in view. It stays scrolled to its foot unless the clerk scrolls up, and
its text can be selected and copied as any text on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip

from gkassist.tui.cells import wrap

KEEP_TURNS = 12  # turns shown; earlier ones are folded (Conversation._fold)
FOLDED = "（更早的 {n} 条对话已收起：按 PageUp 或 F8 展开）"
UNFOLDED = "（按 F8 收起更早的对话）"


@dataclass(frozen=True)
class Box:
    """Where a role's turn sits: blank lines above, columns left and right of its box, its edge."""

    top: int
    left: int
    right: int
    edge: str  # "left", "right" or "" (no edge, no background)


BOXES = {
    "assistant": Box(top=1, left=0, right=6, edge="left"),
    "clerk": Box(top=1, left=6, right=0, edge="right"),
    "note": Box(top=0, left=2, right=6, edge=""),
}
EDGE = {"left": "▌", "right": "▐"}
class TurnView:
    """One turn of the conversation: assistant, clerk, or a note (a finding, a reason).

    Not a widget: the conversation draws it. `display` False folds it away (kept, not drawn)."""

    __slots__ = ("_cache", "_version", "classes", "display", "drawn", "owner", "role", "text")

    def __init__(self, text: str, role: str, *, extra: str = "") -> None:
        self.text = text
        self.role = role
        self.classes = {f"-{role}", *extra.split()}
        self.display = True
        self.drawn: Callable[[], None] | None = None
        """Called once the frame showing this turn is out (ChatScreen._draw_turns)."""
        self.owner: Conversation | None = None
        self._cache: tuple[tuple[int, int], list[_Line]] | None = None
        self._version = 0  # one more at each change of text or classes (the cache's key)

    def __repr__(self) -> str:
        return f"TurnView({self.role}, {self.text[:20]!r})"

    def render(self) -> str:
        return self.text

    def has_class(self, name: str) -> bool:
        return name in self.classes

    def update(self, text: str) -> None:
        self.text = text
        self._changed()

    def remove_class(self, name: str) -> None:
        self.classes.discard(name)
        self._changed()

    def remove(self) -> None:
        if self.owner is not None:
            self.owner.remove_turn(self)

    @property
    def region(self) -> Region:
        """Where the turn's box is on screen (off the widget when it is scrolled out of view)."""
        return self.owner.region_of(self) if self.owner is not None else Region()

    def _changed(self) -> None:
        self._version += 1
        if self.owner is not None:
            self.owner.relayout()


def _segments(text: Text, console: Any) -> list[Segment]:
    """A line of text as segments, in the text's own style (Text.render leaves that to its caller)."""
    base = text.style if isinstance(text.style, Style) else console.get_style(text.style)
    return list(Segment.apply_style(text.render(console), base))


class _Line:
    """One drawn line of a turn: the part before its text, the text (selectable), the part after."""

    __slots__ = ("after", "before", "middle", "text", "width")

    def __init__(self, before: list[Segment], text: Text, after: list[Segment], console: Any) -> None:
        self.before = before
        self.text = text
        self.middle = _segments(text, console)
        self.after = after
        self.width = sum(s.cell_length for s in (*before, *after)) + text.cell_len

    def strip(self, index: int, middle: list[Segment] | None = None) -> Strip:
        """The line drawn as line `index` of the conversation, its text carrying the offsets that
        make it selectable (character x, line y; the edge and the padding carry none)."""
        segments = list(self.before)
        x = 0
        for text, style, _ in middle or self.middle:
            offset = Style.from_meta({"offset": (x, index)})
            segments.append(Segment(text, style + offset if style else offset))
            x += len(text)
        segments += self.after
        return Strip(segments, self.width)


class Conversation(ScrollView, can_focus=False):
    """The turns, drawn line by line, anchored to the foot."""

    ALLOW_SELECT = True
    COMPONENT_CLASSES = {
        "conversation--assistant", "conversation--assistant-edge",
        "conversation--current", "conversation--current-edge",
        "conversation--clerk", "conversation--clerk-edge",
        "conversation--note", "conversation--warning", "conversation--error",
    }
    DEFAULT_CSS = """
    Conversation { overflow-x: hidden; scrollbar-gutter: stable; }
    Conversation > .conversation--assistant { background: $boost; }
    Conversation > .conversation--assistant-edge { color: $accent; }
    Conversation > .conversation--current { background: $success 10%; }
    Conversation > .conversation--current-edge { color: $success; }
    Conversation > .conversation--clerk { background: $primary 15%; }
    Conversation > .conversation--clerk-edge { color: $primary; }
    Conversation > .conversation--note { color: $text-muted; }
    Conversation > .conversation--warning { color: $warning; }
    Conversation > .conversation--error { color: $error; text-style: bold; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.turns: list[TurnView] = []
        self.folding = True
        """Fold the earlier turns (the default); F8 shows them all until it is pressed again."""
        self._fold_turn = TurnView("", "note")
        self._lines: list[_Line] = []
        self._spans: dict[int, tuple[int, int]] = {}  # id(turn) → its box's first and end line
        self._width = 0
        self._strips: dict[int, Strip] = {}  # drawn lines (with selection offsets) by line index
        self._at_foot = True
        self._syncing = False
        self._stale = False  # turns changed since the lines were gathered (settle)
        self._frame: tuple[int, int, Style] | None = None  # width, top line, base style (render_lines)
        self._style_cache: dict[tuple[str, str, str], tuple[Style, Style, Style]] = {}

    # ------------------------------------------------------------ turns
    def add(self, turns: Iterable[TurnView]) -> None:
        for turn in turns:
            turn.owner = self
            self.turns.append(turn)
        if self.folding:
            self._fold()
        self.relayout()

    def remove_turn(self, turn: TurnView) -> None:
        if turn in self.turns:
            self.turns.remove(turn)
            turn.owner = None
            self.relayout()

    @property
    def folded(self) -> int:
        return sum(1 for t in self.turns if not t.display)

    @property
    def fold_line(self) -> str:
        """The line above the turns saying what is folded ("" when there is none)."""
        n = self.folded
        if n:
            return FOLDED.format(n=n)
        return "" if self.folding else UNFOLDED

    def _fold(self) -> None:
        """Fold away all but the last KEEP_TURNS turns (kept, not drawn: nothing is lost; PageUp
        at the top of the conversation or F8 shows them again)."""
        for turn in self.turns[:-KEEP_TURNS]:
            turn.display = False

    def toggle_fold(self) -> None:
        """F8: show the folded turns (keeping in view what is on screen), or fold them again and
        go back to the foot (the question being asked)."""
        first = next((t for t in self.turns if t.display), None)
        self.folding = not self.folding
        if self.folding:
            self._fold()
        else:
            for turn in self.turns:
                turn.display = True
        self.relayout()
        self.settle()
        if self.folding:
            self.follow()
        elif first is not None:
            self._at_foot = False
            self._scroll_to_line(self._spans[id(first)][0] - BOXES[first.role].top)

    # ------------------------------------------------------------ scrolling
    def follow(self) -> None:
        """Back to the foot: the next question must be in view once the clerk answers."""
        self._at_foot = True
        self._sync_scroll()
        self.refresh()

    @property
    def at_foot(self) -> bool:
        return self._at_foot

    def _view_height(self) -> int:
        return self.scrollable_content_region.height

    def _top(self, height: int | None = None) -> int:
        """The line drawn first. At the foot it is worked out from the height the widget has
        now, so a question is drawn in view in the very frame the answer box changes height; a
        conversation shorter than the view sits at its foot too (above the answer box), with
        blank lines above it (a negative top)."""
        last = len(self._lines) - (self._view_height() if height is None else height)
        return last if self._at_foot or last <= 0 else min(round(self.scroll_y), last)

    def _scroll_to_line(self, y: int) -> None:
        self._syncing = True
        try:
            self.scroll_to(y=max(0, y), animate=False, force=True, immediate=True)
        finally:
            self._syncing = False

    def _sync_scroll(self) -> None:
        if self._at_foot:
            self._scroll_to_line(max(0, len(self._lines) - self._view_height()))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self._syncing:  # the clerk scrolled: stay where they are, unless at the foot
            self._at_foot = round(new_value) >= self.max_scroll_y
        self._strips.clear()  # (the lines in view are drawn with offsets for selection)

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._stale = True
            self.settle()
        else:
            self._sync_scroll()

    def region_of(self, turn: TurnView) -> Region:
        self.settle()
        start, end = self._spans.get(id(turn), (0, 0))
        box = BOXES[turn.role]
        area = self.scrollable_content_region
        return Region(area.x + box.left, area.y + start - self._top(),
                      max(0, self._width - box.left - box.right), end - start)

    # ------------------------------------------------------------ lines
    def relayout(self) -> None:
        """The turns changed: their lines are gathered again before the next frame (`settle`;
        several changes in one step cost one gathering)."""
        if not self._stale:
            self._stale = True
            self.refresh()
            self.call_later(self.settle)

    def settle(self) -> None:
        """Gather the shown turns' lines (each turn's own lines are cached) and size the view."""
        if not self._stale:
            return
        self._stale = False
        self._gather(self.scrollable_content_region.width or self.app.size.width)
        self.virtual_size = Size(self._width, len(self._lines))
        self._sync_scroll()

    def _gather(self, width: int) -> None:
        self._width = width
        lines: list[_Line] = []
        spans: dict[int, tuple[int, int]] = {}
        notice = self.fold_line
        if notice:
            if self._fold_turn.text != notice:
                self._fold_turn.update(notice)
            lines += self._turn_lines(self._fold_turn, width)
        for turn in self.turns:
            if turn.display:
                start = len(lines) + BOXES[turn.role].top
                lines += self._turn_lines(turn, width)
                spans[id(turn)] = (start, len(lines))
        self._lines, self._spans = lines, spans
        self._strips.clear()

    def notify_style_update(self) -> None:
        super().notify_style_update()  # a new theme: the turns are drawn in its colours
        self._style_cache.clear()
        for turn in (*self.turns, self._fold_turn):
            turn._cache = None
        if self.is_mounted:
            self.relayout()

    def _styles(self, turn: TurnView) -> tuple[Style, Style, Style]:
        """The base, box and edge styles of a turn."""
        role = "current" if turn.role == "assistant" and "-current" in turn.classes else turn.role
        tone = "error" if "-error" in turn.classes else "warning" if "-warning" in turn.classes else ""
        key = (role, tone, turn.role)
        if key not in self._style_cache:
            base = self.rich_style
            box = base + self.get_component_rich_style(f"conversation--{role}")
            if tone:
                box += self.get_component_rich_style(f"conversation--{tone}")
            edge = box
            if BOXES[turn.role].edge:
                edge = box + Style(color=self.get_component_rich_style(f"conversation--{role}-edge").color)
            self._style_cache[key] = (base, box, edge)
        return self._style_cache[key]

    def _turn_lines(self, turn: TurnView, width: int) -> list[_Line]:
        key = (width, turn._version)
        if turn._cache is not None and turn._cache[0] == key:
            return turn._cache[1]
        console = self.app.console
        layout = BOXES[turn.role]
        base, box, edge = self._styles(turn)
        inner = max(1, width - layout.left - layout.right - 2 - (1 if layout.edge else 0))
        text = Text(turn.text, style=box, overflow="fold", end="")
        wrapped = wrap(text, inner) or [Text("", style=box)]
        lines = [_Line([], Text(""), [Segment(" " * width, base)], console)] * layout.top
        left = [Segment(" " * layout.left, base)] if layout.left else []
        if layout.edge == "left":
            left.append(Segment(EDGE["left"], edge))
        left.append(Segment(" ", box))
        for row in wrapped:
            after = [Segment(" " * (inner - row.cell_len + 1), box)]
            if layout.edge == "right":
                after.append(Segment(EDGE["right"], edge))
            if layout.right:
                after.append(Segment(" " * layout.right, base))
            lines.append(_Line(left, row, after, console))
        turn._cache = (key, lines)
        return lines

    def _frame_values(self) -> tuple[int, int, Style]:
        area = self.scrollable_content_region
        return area.width, self._top(area.height), self.rich_style

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of this frame needs, worked out once for the frame.
        self._frame = self._frame_values()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        width, top, base = self._frame or self._frame_values()  # (or called on its own)
        if self._stale or width != self._width:  # (the new size is known in this frame)
            self._stale = False
            self._gather(width)
            self.call_later(self._resized)
            width, top, base = self._frame_values()
            if self._frame is not None:
                self._frame = (width, top, base)
        index = top + y
        if not 0 <= index < len(self._lines):
            return Strip.blank(width, base)
        strip = self._strips.get(index)
        if strip is None:
            strip = self._strips[index] = self._draw(index)
        return strip.crop_extend(0, width, base) if strip.cell_length != width else strip

    def _resized(self) -> None:
        self.virtual_size = Size(self._width, len(self._lines))
        self._sync_scroll()

    def _draw(self, index: int) -> Strip:
        line = self._lines[index]
        selection = self.text_selection
        if selection is None or (span := selection.get_span(index)) is None:
            return line.strip(index)
        start, end = span
        text = line.text.copy()
        text.stylize(self.screen.get_component_rich_style("screen--selection"),
                     start, len(text) if end == -1 else end)
        return line.strip(index, _segments(text, self.app.console))

    # ------------------------------------------------------------ selection
    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        return selection.extract("\n".join(line.text.plain for line in self._lines)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._strips.clear()
        self.refresh()
