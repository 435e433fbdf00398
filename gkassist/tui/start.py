"""The start screen: the answers files in the workspace and the ways to begin a report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Static
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist

from gkassist import store
from gkassist.errors import GkError
from gkassist.model import Report
from gkassist.tui import status
from gkassist.tui.dialogs import PathDialog
from gkassist.tui.footer import KeysFooter
from gkassist.tui.session import new_session, open_session, save_new
from gkassist.tui.titlebar import TitleBar

if TYPE_CHECKING:
    from gkassist.tui.app import GkApp

EXAMPLE_FILENAME = "示例报告.json"


def _cell(text: str) -> str | Text:
    """A name or file name for the list: as Text when it holds a "[" (a DataTable reads a str
    cell as markup), else as it is."""
    return Text(text) if "[" in text else text


class StartScreen(Screen[None]):
    """What is in the workspace, and 继续起草 / 新建 / 新一年 / 导入 / 示例."""

    BINDINGS = [
        Binding("enter", "open_selected", "继续起草", show=False),
        Binding("n", "new", "新建报告"),
        Binding("y", "new_year", "以上年报告开始新一年"),
        Binding("i", "import", "导入"),
        Binding("e", "example", "打开示例"),
        Binding("a", "aggregate", "汇总各单位报告"),
        Binding("b", "open_backup", "用备份恢复", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[tuple[Path, Report | None, str]] = []
        """(path, report, error) per row; report None and error "" while the file is still being read."""
        self._generation = 0

    @property
    def gk(self) -> GkApp:
        return cast("GkApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="start-body"):
            yield Static("工作目录中的报告", id="start-heading")
            table: DataTable[str] = DataTable(id="reports", cursor_type="row", zebra_stripes=True)
            yield table
            yield Static(id="start-detail", markup=False)
            with Horizontal(id="start-actions"):
                yield Button("继续起草 Enter", id="open", variant="primary", compact=True)
                yield Button("新建报告 N", id="new", compact=True)
                yield Button("以上年报告开始新一年 Y", id="new-year", compact=True)
                yield Button("导入已发布的报告 I", id="import", compact=True)
                yield Button("打开示例 E", id="example", compact=True)
                yield Button("汇总各单位报告 A", id="aggregate", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one("#reports", DataTable)
        # The file name goes last: it is long, and a narrow terminal should cut it, not the rest.
        table.add_column("机关", key="agency")
        table.add_column("年度", key="year")
        table.add_column("进度", key="progress")
        table.add_column("错误", key="errors")
        table.add_column("文件", key="file")
        self.reload()

    def reload(self) -> None:
        """List the workspace's answers files at once (names only), then read each file and fill
        in its agency, progress and errors in a worker thread, after the first frame: reading,
        building an interview for and checking 200 reports took seconds before anything showed."""
        table = self.query_one("#reports", DataTable)
        table.clear()
        self._generation += 1
        paths = sorted(Path(self.gk.workspace).glob("*.json"))
        self.entries = [(path, None, "") for path in paths]
        for path in paths:
            table.add_row("（读取中…）", "", "", "", _cell(path.name), key=str(path))
        if self.entries:
            table.focus()
        else:
            self.query_one("#open", Button).focus()
        self._show_detail()
        if paths:
            self.run_worker(lambda: self._read_all(paths, self._generation), thread=True,
                            exclusive=True, group="start-status", exit_on_error=False)

    def _read_all(self, paths: list[Path], generation: int) -> None:
        """In a worker thread: read each file and work out its status; rows are filled in on the
        app's thread as each is ready (a newer reload makes this one stop)."""
        for index, path in enumerate(paths):
            if generation != self._generation:
                return
            try:
                report: Report | None = store.load_report(path)
                error = ""
            except GkError as exc:
                report, error = None, exc.message
            done = total = 0
            errors: int | None = None
            if report is not None:
                done, total = status.progress(report)
                errors = status.error_count(report)
            self.app.call_from_thread(self._fill_row, generation, index, path, report, error,
                                      (done, total), errors)

    def _fill_row(self, generation: int, index: int, path: Path, report: Report | None, error: str,
                  counts: tuple[int, int], errors: int | None) -> None:
        if generation != self._generation or index >= len(self.entries):
            return
        self.entries[index] = (path, report, error)
        table = self.query_one("#reports", DataTable)
        key = str(path)
        if report is None:
            table.update_cell(key, "agency", "（文件无法读取）", update_width=True)
        else:
            done, total = counts
            progress = f"{done}/{total}" if total else ""
            if total and not done and report.agency.name and not report.draft.log:
                # imported or example: filled in, but each answer still waits to be confirmed
                progress = f"待确认 {progress}"
            table.update_cell(key, "agency", _cell(report.agency.name or "（未填机关名称）"), update_width=True)
            table.update_cell(key, "year", str(report.year) if report.year else "", update_width=True)
            table.update_cell(key, "progress", progress, update_width=True)
            table.update_cell(key, "errors", "" if errors is None else str(errors), update_width=True)
        # DataTable widens its columns when it is next idle but keeps the lines it drew before
        # that (a terminal went on showing "青石镇人民   2025  14/1" for 14/18): a cell set again
        # once the columns have their new widths draws the table with them.
        self.set_timer(0.05, lambda: self._redraw_row(key))
        if table.cursor_row == index:
            self._show_detail()

    def _redraw_row(self, key: str) -> None:
        table = self.query_one("#reports", DataTable)
        try:
            table.update_cell(key, "errors", table.get_cell(key, "errors"))
        except (CellDoesNotExist, RowDoesNotExist):  # the list was read again meanwhile
            pass

    # ------------------------------------------------------------ selection
    def _selected(self) -> tuple[Path, Report | None, str] | None:
        table = self.query_one("#reports", DataTable)
        if not self.entries or table.cursor_row is None or table.cursor_row >= len(self.entries):
            return None
        return self.entries[table.cursor_row]

    @on(DataTable.RowHighlighted, "#reports")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        detail = self.query_one("#start-detail", Static)
        chosen = self._selected()
        if not self.entries:
            detail.update("工作目录里还没有报告。按 N 新建一份；手边有去年的报告（已发布的 Word、网页、txt 也行），"
                          "按 Y 从它开始新一年；按 E 打开示例看看完整的报告是什么样。")
            return
        if chosen is None:
            detail.update("")
            return
        path, report, error = chosen
        if report is None and not error:
            detail.update(f"按 Enter 继续起草 {path.name}（正在读取它的进度）。")
        elif report is None:
            hint = "按 B 用备份另存一份恢复（原文件不会被改动）。" if store.backup_path(path) else ""
            detail.update(f"{error}{hint}")
        else:
            detail.update(f"按 Enter 继续起草 {path.name}；按 Y 以它为上年报告开始新一年。")

    # ------------------------------------------------------------ actions
    @on(DataTable.RowSelected, "#reports")
    def _row_selected(self) -> None:
        self.action_open_selected()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        actions = {"open": self.action_open_selected, "new": self.action_new,
                   "new-year": self.action_new_year, "import": self.action_import,
                   "example": self.action_example, "aggregate": self.action_aggregate}
        action = actions.get(event.button.id or "")
        if action:
            action()

    def action_open_selected(self) -> None:
        chosen = self._selected()
        if chosen is None:
            self.gk.show_error("还没有可以继续的报告。按 N 新建，或按 E 打开示例。")
            return
        path, report, error = chosen
        if report is None and error:
            self.gk.show_error(error)
            return
        with self.gk.guard():  # a file still being read is simply read now
            self.gk.open_report(open_session(path, self.gk.workspace))

    def action_new(self) -> None:
        with self.gk.guard():
            self.gk.open_report(new_session(self.gk.workspace))

    def action_new_year(self) -> None:
        chosen = self._selected()
        if chosen is not None and chosen[1] is None and not chosen[2]:  # not read yet: read it now
            with self.gk.guard():
                chosen = (chosen[0], store.load_report(chosen[0]), "")
        if chosen is None:
            # nothing in the workspace yet: last year's report is a file somewhere (often the
            # published one) — ask for it, import it if need be, and carry it forward at once
            self.app.push_screen(
                PathDialog("以上年报告开始新一年",
                           "上一年报告的文件路径（已发布的 txt、html、docx、pdf，或答案文件 .json）："),
                self._new_year_from_path)
            return
        if chosen[1] is None:
            self.gk.show_error("请先在列表中选中上一年的报告（可读的那份），再按 Y。")
            return
        self._carry(chosen[1])

    def _new_year_from_path(self, raw: str | None) -> None:
        if not raw:
            return
        with self.gk.guard():
            path = Path(raw.strip().strip('"').strip("'")).expanduser()
            if not path.is_file():
                raise GkError(f"找不到文件 {path}，请检查路径。")
            if path.suffix.lower() == ".json":
                last = store.load_report(path)
            else:
                from gkassist.importers import import_file

                last = import_file(path).report
                save_new(self.gk.workspace, last)  # last year's report kept beside the new one
            self._carry(last)

    def _carry(self, last: Report) -> None:
        from gkassist.carry import carry_forward

        with self.gk.guard():
            result = carry_forward(last)
            target = self.gk.workspace / store.answers_filename(result.report)
            if target.exists():
                raise GkError(f"{target.name} 已经存在，直接选中它继续起草即可。")
            session = save_new(self.gk.workspace, result.report)
            changes = result.changes
            note = f"已以 {last.year} 年报告为底稿起好 {result.report.year} 年的草稿"
            if changes:
                shown = "；".join(changes[:6]) + ("……" if len(changes) > 6 else "")
                note += f"，自动改动 {len(changes)} 处：{shown}"
            session.notes = [note + "。"]
            self.gk.open_report(session)

    def action_import(self) -> None:
        self.app.push_screen(
            PathDialog("导入已发布的报告", "报告文件的路径（txt、html、docx 或 pdf）："),
            self._import_path)

    def _import_path(self, raw: str | None) -> None:
        if not raw:
            return
        try:
            from gkassist.importers import import_file
        except ImportError:
            self.gk.show_error("本版本还不能导入已发布的报告。")
            return
        with self.gk.guard():
            path = Path(raw.strip().strip('"').strip("'")).expanduser()
            if not path.is_file():
                raise GkError(f"找不到文件 {path}，请检查路径。")
            result = import_file(path)
            session = save_new(self.gk.workspace, result.report)
            session.notes = [f"已从 {path.name} 导入 {len(result.found)} 项，保存为 {session.path.name}。"]
            if result.missing:
                session.notes.append("；".join(result.missing) + "。")
            session.notes.append("可以按 F10 直接检查这份报告，或逐题确认导入的内容（直接按 Enter 采用）。")
            self.gk.open_report(session)

    def action_example(self) -> None:
        with self.gk.guard():
            path = self.gk.workspace / EXAMPLE_FILENAME
            if path.exists():
                session = open_session(path, self.gk.workspace)
            else:
                from gkassist.example import example_report

                session = save_new(self.gk.workspace, example_report(), name=EXAMPLE_FILENAME)
            session.notes = [(f"这是一份虚构的示例报告（{EXAMPLE_FILENAME}），内容已全部填好。"
                              "按 F3 预览全文，按 F10 检查并导出；也可以逐题看看每一步怎么问。")]
            self.gk.open_report(session)

    def action_aggregate(self) -> None:
        from gkassist.tui.rollup import start_rollup

        start_rollup(self.gk)

    def action_open_backup(self) -> None:
        chosen = self._selected()
        if chosen is None or chosen[1] is not None or not chosen[2]:
            return
        path = chosen[0]
        bak = store.backup_path(path)
        if bak is None:
            self.gk.show_error(f"{path.name} 没有备份。")
            return
        with self.gk.guard():
            report = store.load_report(bak)
            session = save_new(self.gk.workspace, report, name=f"{path.stem}-恢复.json")
            self.notify(f"已用备份恢复为 {session.path.name}；原文件 {path.name} 未改动。")
            self.gk.open_report(session)
