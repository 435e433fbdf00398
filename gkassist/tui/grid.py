"""The table-三 grid: a modal spreadsheet for the outcomes of 政府信息公开申请, with live totals and R1."""

from __future__ import annotations

import tomllib
from functools import cache
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from gkassist import format as fmt
from gkassist.tui.cells import fit_cells
from gkassist.tui.footer import KeysFooter

if TYPE_CHECKING:  # gkassist.checks is imported when the grid first sums, not at start
    from gkassist.checks import ColumnBalance

Values = dict[str, dict[str, int | None]]
"""row key → applicant column key → the entered figure (None = blank)."""

COLUMNS: tuple[str, ...] = fmt.COLUMN_KEYS + ("total",)
ROWS: tuple[fmt.Row, ...] = fmt.T3_DISPLAY_ROWS
LABEL_WIDTH = 24
MIN_LABEL_WIDTH = 14
MAX_DIGITS = 6
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_GROUP_NUMBER = {g.key: g.label[:3] for g in fmt.T3_GROUPS}  # （三） …


@cache
def grid_help() -> dict[str, dict[str, str]]:
    """templates/grid-help.toml: what each row counts (F1) and the short column names."""
    from gkassist import resources

    path = resources.templates_dir() / "grid-help.toml"
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    return {"rows": dict(data.get("rows", {})), "columns": dict(data.get("columns", {}))}


def row_help(key: str) -> str:
    return grid_help()["rows"].get(key, "")


def column_short(col: str) -> str:
    return grid_help()["columns"].get(col) or fmt.COLUMN_LABEL[col]


def short_label(row: fmt.Row, width: int = LABEL_WIDTH) -> str:
    """A row label that fits the grid's label column: the official words, cut with an ellipsis.

    Numbered sub-rows carry their group number so `1.` rows stay distinguishable."""
    label = row.label
    if row.group:
        label = _GROUP_NUMBER[row.group] + label
    elif row.key in ("new", "carried"):
        label = label.replace("政府信息公开申请数量", "")
    elif row.key == "partial":
        label = label.split("（区分")[0]
    return fit_cells(label, width)


def _longest_label() -> int:
    return max(cell_len(short_label(r, 999)) for r in ROWS)


def _column_width(col: str, short: bool = False) -> int:
    label = column_short(col) if short else fmt.COLUMN_LABEL[col]
    return max(cell_len(label), MAX_DIGITS) + 1


def describe_balance(bal: ColumnBalance) -> str:
    """R1 for one column as the grid shows it (the sums are the checks', see checks.column_balance)."""
    mark = "✓" if bal.ok else f"✗ 相差 {abs(bal.received - bal.handled - bal.carried_next)}"
    return (f"{fmt.COLUMN_LABEL[bal.column]}：新收+结转 {bal.received} = "
            f"办结 {bal.handled} + 结转下年 {bal.carried_next} {mark}")


_LONGEST_LABEL = _longest_label()


class T3Grid(Widget, can_focus=True):
    """The editable 26 × 7 table: arrow keys move, digits type, derived cells are read-only."""

    DEFAULT_CSS = """
    T3Grid {
        width: 100%;
        height: auto;
        padding: 0 1;
    }
    T3Grid:focus { background: $boost; }
    """

    # Moves are handled in on_key, not as bindings: a binding's action runs after the key event,
    # so a digit typed right after an arrow would land in the cell the cursor was leaving.
    MOVES = {
        "up": ("move", (-1, 0)), "down": ("move", (1, 0)), "left": ("move", (0, -1)),
        "right": ("move", (0, 1)), "enter": ("next_row", ()), "tab": ("next_cell", ()),
        "shift+tab": ("previous_cell", ()), "home": ("row_start", ()), "end": ("row_end", ()),
    }

    cursor: reactive[tuple[int, int]] = reactive((0, 0))

    class Changed(Message):
        """A cell changed or the cursor moved; the screen refreshes its status lines."""

    def __init__(self, values: Values, *, editable: set[str] | None = None,
                 start: tuple[str, str] | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.values: Values = {r.key: dict(values.get(r.key, {})) for r in fmt.T3_ROWS}
        for row in self.values.values():
            for col in fmt.COLUMN_KEYS:
                row.setdefault(col, None)
        self.editable = set(editable) if editable is not None else {r.key for r in fmt.T3_ROWS}
        self.keystrokes = 0
        self.short_columns = False
        self.initial: Values = {k: dict(v) for k, v in self.values.items()}
        self._undo: list[tuple[int, int, int | None]] = []
        self._first_col = 0
        self._fresh = True  # the next digit replaces the cell instead of appending to it
        if start:
            self.set_reactive(T3Grid.cursor, (self._row_index(start[0]), COLUMNS.index(start[1])))
        else:
            first = next((i for i, r in enumerate(ROWS) if r.key in self.editable), 0)
            self.set_reactive(T3Grid.cursor, (first, 0))

    # ------------------------------------------------------------ model
    @staticmethod
    def _row_index(key: str) -> int:
        return next(i for i, r in enumerate(ROWS) if r.key == key)

    def is_editable(self, row: int, col: int) -> bool:
        return ROWS[row].key in self.editable and COLUMNS[col] != "total"

    def cell(self, row_key: str, col: str) -> int:
        """Any cell, derived ones included, blank counted as 0."""
        if row_key == "total":
            return sum(self.cell(k, col) for k in fmt.OUTCOME_KEYS)
        if col == "total":
            return sum(self.values[row_key][c] or 0 for c in fmt.COLUMN_KEYS)
        return self.values[row_key][col] or 0

    def balances(self) -> list[ColumnBalance]:
        from gkassist.checks import column_balance  # not imported before the first question

        return [column_balance(self.cell, col) for col in COLUMNS]

    def filled_values(self) -> Values:
        """The editable rows with every blank cell given 0 (a blank cell in the grid means none)."""
        return {key: {c: (v if v is not None else 0) for c, v in row.items()}
                for key, row in self.values.items() if key in self.editable}

    # ------------------------------------------------------------ rendering
    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(ROWS)

    def _layout(self) -> tuple[int, list[int]]:
        """The label width and the columns shown. A narrow terminal first gets shorter row labels,
        then a window of columns that follows the cursor; the labels never scroll away."""
        avail = max(self.size.width, 20)
        widths = [_column_width(c) for c in COLUMNS]
        label_w = LABEL_WIDTH
        self.short_columns = avail < label_w + 1 + sum(widths)
        if self.short_columns:  # short column names keep every column, 总计 too, in view
            widths = [_column_width(c, True) for c in COLUMNS]
        # room to spare (a wide terminal): longer labels, up to the longest one
        label_w = max(LABEL_WIDTH, min(_LONGEST_LABEL, avail - 1 - sum(widths)))
        spare = avail - (label_w + 1 + sum(widths))
        if spare < 0:
            label_w = max(MIN_LABEL_WIDTH, label_w + spare)
        room = avail - label_w - 1
        cur = self.cursor[1]
        first = min(self._first_col, cur)
        while sum(widths[first:cur + 1]) > room and first < cur:
            first += 1
        shown: list[int] = []
        used = 0
        for j in range(first, len(COLUMNS)):
            if used + widths[j] > room and shown:
                break
            shown.append(j)
            used += widths[j]
        self._first_col = first
        return label_w, shown

    def render_header(self) -> Text:
        """The column names, drawn by GridHeader above the scrolling rows so they stay visible."""
        label_w, shown = self._layout()
        text = Text(no_wrap=True, overflow="ignore")
        more_left = "‹" if shown and shown[0] > 0 else " "
        text.append(" " * label_w + more_left, style="dim")
        for j in shown:
            col = COLUMNS[j]
            label = column_short(col) if self.short_columns else fmt.COLUMN_LABEL[col]
            text.append(" " * (_column_width(col, self.short_columns) - cell_len(label)) + label,
                        style="bold")
        if shown and shown[-1] < len(COLUMNS) - 1:
            text.append("›", style="dim")
        return text

    def render(self) -> Text:
        label_w, shown = self._layout()
        text = Text(no_wrap=True, overflow="ignore")
        cur_row, cur_col = self.cursor
        for i, row in enumerate(ROWS):
            label = short_label(row, label_w)
            derived_row = row.key == "total" or row.key not in self.editable
            text.append(label + " " * (label_w + 1 - cell_len(label)),
                        style="bold" if row.key == "total" else ("dim" if derived_row else ""))
            for j in shown:
                col = COLUMNS[j]
                w = _column_width(col, self.short_columns)
                if row.key != "total" and col != "total":
                    raw = self.values[row.key][col]
                    value = "·" if raw is None else str(raw)
                else:
                    value = str(self.cell(row.key, col))
                style = "" if self.is_editable(i, j) else "dim"
                if (i, j) == (cur_row, cur_col):
                    style = "reverse bold" if self.is_editable(i, j) else "reverse dim"
                text.append(" " * (w - 1 - cell_len(value)))
                text.append(value, style=style)
                text.append(" ")
            text.append("\n")
        text.rstrip()
        return text

    def on_mount(self) -> None:
        # opened at a given cell (from a finding): bring that row into view
        self.call_after_refresh(self._scroll_to_cursor)

    def _scroll_to_cursor(self) -> None:
        parent = self.parent
        if isinstance(parent, ScrollableContainer):  # rows scroll; columns follow the cursor in render
            parent.scroll_to_region(Region(0, self.cursor[0], 1, 1), animate=False, immediate=True)

    def watch_cursor(self, old: tuple[int, int], new: tuple[int, int]) -> None:
        self._fresh = True
        self._scroll_to_cursor()
        self.refresh()
        self.post_message(self.Changed())

    # ------------------------------------------------------------ keys
    async def on_key(self, event: events.Key) -> None:
        self.keystrokes += 1
        char = (event.character or "").translate(_FULLWIDTH_DIGITS)
        row, col = self.cursor
        if event.key in self.MOVES:
            event.stop()
            event.prevent_default()
            name, args = self.MOVES[event.key]
            getattr(self, f"action_{name}")(*args)
        elif char.isdigit() and len(char) == 1:
            event.stop()
            event.prevent_default()
            if not self.is_editable(row, col):
                self.app.bell()
                self.notify("这一格是自动计算的，不用填。", severity="warning", timeout=3)
                return
            current = self.values[ROWS[row].key][COLUMNS[col]]
            digits = "" if self._fresh or current is None else str(current)
            digits = (digits + char).lstrip("0") or "0"
            if len(digits) > MAX_DIGITS:
                self.app.bell()
                return
            self._set(row, col, int(digits))
            self._fresh = False
        elif event.key in ("backspace", "delete"):
            event.stop()
            event.prevent_default()
            if not self.is_editable(row, col):
                self.app.bell()
                return
            current = self.values[ROWS[row].key][COLUMNS[col]]
            if event.key == "delete" or current is None:
                self._set(row, col, None)
            else:
                digits = str(current)[:-1]
                self._set(row, col, int(digits) if digits else None)
            self._fresh = False

    @property
    def changed(self) -> bool:
        return self.values != self.initial

    def undo(self) -> bool:
        """Ctrl+Z: put back the last changed cell; False when there is nothing to undo."""
        if not self._undo:
            return False
        row, col, value = self._undo.pop()
        self.values[ROWS[row].key][COLUMNS[col]] = value
        self.cursor = (row, col)
        self.refresh()
        self.post_message(self.Changed())
        return True

    def _set(self, row: int, col: int, value: int | None) -> None:
        old = self.values[ROWS[row].key][COLUMNS[col]]
        if old != value and (self._fresh or not self._undo or self._undo[-1][:2] != (row, col)):
            self._undo.append((row, col, old))  # typing 2 then 6 in one cell is one step
        self.values[ROWS[row].key][COLUMNS[col]] = value
        self.refresh()
        self.post_message(self.Changed())

    def action_move(self, d_row: int, d_col: int) -> None:
        row, col = self.cursor
        self.cursor = (max(0, min(len(ROWS) - 1, row + d_row)),
                       max(0, min(len(COLUMNS) - 1, col + d_col)))

    def _editable_cells(self) -> list[tuple[int, int]]:
        return [(i, j) for i in range(len(ROWS)) for j in range(len(COLUMNS)) if self.is_editable(i, j)]

    def action_next_row(self) -> None:
        """Enter: the same column, the next row that takes figures."""
        row, col = self.cursor
        col = min(col, len(fmt.COLUMN_KEYS) - 1)
        for i in range(row + 1, len(ROWS)):
            if self.is_editable(i, col):
                self.cursor = (i, col)
                return
        self.cursor = (row, col)

    def action_next_cell(self) -> None:
        cells = self._editable_cells()
        after = [c for c in cells if c > self.cursor]
        if after:
            self.cursor = after[0]

    def action_previous_cell(self) -> None:
        cells = self._editable_cells()
        before = [c for c in cells if c < self.cursor]
        if before:
            self.cursor = before[-1]

    def action_row_start(self) -> None:
        self.cursor = (self.cursor[0], 0)

    def action_row_end(self) -> None:
        self.cursor = (self.cursor[0], len(fmt.COLUMN_KEYS) - 1)


class GridHeader(Widget):
    """The grid's column names, outside the scrolling rows: they stay visible on the bottom rows."""

    def __init__(self, grid: T3Grid, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.grid = grid

    def render(self) -> Text:
        return self.grid.render_header()


class GridScreen(ModalScreen[Values | None]):
    """Opened from the chat for a grid question; dismisses with the filled values, or None."""

    DEFAULT_CSS = """
    GridScreen { align: center middle; }
    GridScreen > #grid-box {
        width: 100%;
        height: 100%;
        border: round $accent;
        border-title-color: $accent;
        background: $surface;
    }
    GridScreen #grid-header { height: 1; padding: 0 1; }
    GridScreen #grid-scroll { height: 1fr; overflow-x: hidden; }
    GridScreen #grid-where { height: auto; max-height: 3; color: $text-muted; padding: 0 1; }
    GridScreen #grid-status { height: auto; max-height: 8; padding: 0 1; }
    """

    BINDINGS = [
        Binding("ctrl+s,f5", "finish", "完成", priority=True),
        Binding("escape", "cancel", "不保存离开", priority=True),
        Binding("f1", "row_help", "这一行是什么"),
        Binding("ctrl+z", "undo", "撤销"),
    ]

    def __init__(self, values: Values, *, editable: set[str] | None = None, title: str = "",
                 start: tuple[str, str] | None = None) -> None:
        super().__init__()
        self.grid = T3Grid(values, editable=editable, start=start, id="grid")
        self.title_text = title or f"表三 {fmt.RESULTS_GROUP}"

    def compose(self) -> ComposeResult:
        with Vertical(id="grid-box") as box:
            box.border_title = self.title_text
            box.border_subtitle = "方向键移动 · 数字直接输入 · Enter 下一行 · Ctrl+S 保存 · Esc 不保存 · F1 说明"
            yield GridHeader(self.grid, id="grid-header")
            with ScrollableContainer(id="grid-scroll"):
                yield self.grid
            yield Static(id="grid-where", markup=False)
            yield Static(id="grid-status")
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.grid.focus()
        self._refresh_status()

    @on(T3Grid.Changed)
    def _grid_changed(self) -> None:
        self.query_one(GridHeader).refresh()
        self._refresh_status()

    def on_resize(self) -> None:
        self.query_one(GridHeader).refresh()

    def _refresh_status(self) -> None:
        row, col = self.grid.cursor
        r = ROWS[row]
        where = r.location if r.key != "total" else r.label
        note = "" if self.grid.is_editable(row, col) else "（自动计算，只读）"
        self.query_one("#grid-where", Static).update(
            f"当前：{where} / {fmt.COLUMN_LABEL[COLUMNS[col]]}{note}　未填的格按 0 计")
        lines = Text()
        quiet = []
        for bal in self.grid.balances():
            if bal.ok and bal.received == 0 and bal.handled == 0 and bal.carried_next == 0:
                if bal.column == "total":
                    continue
                quiet.append(fmt.COLUMN_LABEL[bal.column])
                continue
            lines.append(describe_balance(bal) + "\n", style="green" if bal.ok else "bold red")
        if quiet:
            who = ("各列" if len(quiet) == len(fmt.COLUMN_KEYS)
                   else "、".join(quiet) if len(quiet) <= 2 else f"其余 {len(quiet)} 列")
            lines.append(f"{who}：均为 0 ✓", style="green")
        lines.rstrip()
        self.query_one("#grid-status", Static).update(lines)

    def action_finish(self) -> None:
        self._count_keys()
        self.dismiss(self.grid.filled_values())

    def action_cancel(self) -> None:
        """Esc: leave without saving; if figures were typed, ask first."""
        if not self.grid.changed:
            self._count_keys()
            self.dismiss(None)
            return
        from gkassist.tui.dialogs import ConfirmDialog

        self.app.push_screen(ConfirmDialog(
            "不保存就离开？", "表格里改过的数字还没有保存。不保存就离开，刚才填的数字都会丢掉。",
            yes="按 Y 不保存离开", no="按 N 或 Esc 回到表格（Ctrl+S 保存）"), self._cancel_answer)

    def _cancel_answer(self, yes: bool | None) -> None:
        self.grid.keystrokes += 1
        if yes:
            self._count_keys()
            self.dismiss(None)
        else:
            self.grid.focus()

    def action_undo(self) -> None:
        if not self.grid.undo():
            self.app.bell()

    def action_row_help(self) -> None:
        from gkassist.tui.dialogs import MessageDialog

        row = ROWS[self.grid.cursor[0]]
        text = row_help(row.key) or "这一行没有更多说明。"
        self.app.push_screen(MessageDialog(row.location if row.key != "total" else row.label, text))

    def _count_keys(self) -> None:
        # The effort benchmark counts every key pressed in the grid, the closing key included.
        if hasattr(self.app, "inputs"):
            self.app.inputs += self.grid.keystrokes + 1
