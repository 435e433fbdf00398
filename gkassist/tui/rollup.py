"""汇总各单位报告 in the app: ask for the folder and the county's name, read and check every unit
with a progress bar, save the county draft and the review files in the workspace, open the draft.

The work runs in a thread with one process (forking a threaded app is unsafe; 30–200 units take a
second or two). Esc on the progress dialog stops it between two units; nothing is written then.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, ProgressBar, Static

from gkassist import store
from gkassist.errors import GkError

if TYPE_CHECKING:
    from gkassist.aggregate import Rollup
    from gkassist.tui.app import GkApp

DEFAULT_AGENCY = "某某县人民政府"


@dataclass(frozen=True)
class RollupRequest:
    folder: Path
    agency: str


class RollupDialog(ModalScreen["RollupRequest | None"]):
    """The folder of the units' reports and the full name of the county government."""

    DEFAULT_CSS = """
    RollupDialog { align: center middle; }
    RollupDialog > Vertical {
        width: 80%; max-width: 90; height: auto;
        border: round $accent; background: $surface; padding: 1 2;
    }
    RollupDialog Input { margin-bottom: 1; }
    """
    BINDINGS: ClassVar = [Binding("escape", "cancel", "取消")]

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "汇总各单位报告"
            box.border_subtitle = "Enter 下一项 / 开始 · Esc 取消"
            yield Static("存放各单位报告的文件夹（答案文件 .json，或已发布的 txt、html、docx）：", markup=False)
            yield Input(id="rollup-folder")
            yield Static("汇总后报告的机关全称：", markup=False)
            yield Input(DEFAULT_AGENCY, id="rollup-agency")

    def on_mount(self) -> None:
        self.query_one("#rollup-folder", Input).focus()

    @on(Input.Submitted, "#rollup-folder")
    def _folder(self) -> None:
        self.query_one("#rollup-agency", Input).focus()

    @on(Input.Submitted, "#rollup-agency")
    def _agency(self) -> None:
        raw = self.query_one("#rollup-folder", Input).value.strip().strip('"').strip("'")
        agency = self.query_one("#rollup-agency", Input).value.strip()
        if not raw:
            self.query_one("#rollup-folder", Input).focus()
            self.notify("请先填写存放各单位报告的文件夹。", severity="warning")
            return
        if not agency:
            self.notify("请填写汇总后报告的机关全称，例如 某某县人民政府。", severity="warning")
            return
        self.dismiss(RollupRequest(Path(raw).expanduser(), agency))

    def action_cancel(self) -> None:
        self.dismiss(None)


class _Stopped(Exception):
    """The clerk pressed Esc while the units were being read."""


class RollupProgress(ModalScreen["Rollup | None"]):
    """Reads and checks every unit with a progress bar; dismisses with the result (None if stopped)."""

    DEFAULT_CSS = """
    RollupProgress { align: center middle; }
    RollupProgress > Vertical {
        width: 70%; max-width: 80; height: auto;
        border: round $accent; background: $surface; padding: 1 2;
    }
    """
    BINDINGS: ClassVar = [Binding("escape", "stop", "停止")]

    def __init__(self, request: RollupRequest) -> None:
        super().__init__()
        self.request = request
        self.stopped = False

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "正在汇总"
            box.border_subtitle = "Esc 停止"
            yield Static(f"读取并检查 {self.request.folder} 中的报告……", id="rollup-status", markup=False)
            yield ProgressBar(id="rollup-bar", show_eta=False)

    def on_mount(self) -> None:
        self._run()

    def _progress(self, done: int, total: int) -> None:
        if self.stopped:
            raise _Stopped
        self.app.call_from_thread(self.query_one("#rollup-bar", ProgressBar).update, total=total, progress=done)

    @work(thread=True, exclusive=True)
    def _run(self) -> None:
        from gkassist.aggregate import aggregate

        try:
            result = aggregate([self.request.folder], self.request.agency, progress=self._progress, processes=1,
                               workspace=cast("GkApp", self.app).workspace)
        except _Stopped:
            self.app.call_from_thread(self.dismiss, None)
            return
        except GkError as exc:
            message = exc.message
            self.app.call_from_thread(self._failed, message)
            return
        self.app.call_from_thread(self.dismiss, result)

    def _failed(self, message: str) -> None:
        cast("GkApp", self.app).show_error(message)
        self.dismiss(None)

    def action_stop(self) -> None:
        self.stopped = True
        self.query_one("#rollup-status", Static).update("正在停止……")


def summary_notes(rollup: Rollup, files: list[Path]) -> list[str]:
    """The review summary shown when the county draft opens."""
    notes = [(f"已汇总 {len(rollup.units)} 份单位报告，其中 {len(rollup.counted)} 份计入 {rollup.year} 年合计，"
             f"表二、表三、表四为各单位之和，第一、五、六部分由段落库按合计数起草，请逐题核对。")]
    errors = sum(1 for u in rollup.units if u.errors)
    if errors:
        notes.append(f"{errors} 个单位的报告有“错误”级别的问题，详见审核表。")
    blocking = rollup.blocking
    if blocking:
        shown = "；".join(p.message for p in blocking[:5]) + ("……" if len(blocking) > 5 else "")
        notes.append(f"需要处理的问题 {len(blocking)} 条：{shown}")
    else:
        notes.append("没有缺报、重复报送、年度不符或待核对未计入的单位。")
    notes.append("审核表和审核网页已保存：" + "、".join(p.name for p in files) + "。")
    return notes


def start_rollup(app: GkApp) -> None:
    """The start screen's 汇总各单位报告: dialog → progress → the county draft."""

    def got_request(request: RollupRequest | None) -> None:
        if request is None:
            return
        if not request.folder.is_dir():
            app.show_error(f"找不到文件夹 {request.folder}，请检查路径。")
            return
        app.push_screen(RollupProgress(request), finished)

    def finished(rollup: Rollup | None) -> None:
        if rollup is None:
            return
        from gkassist.review import review_html, review_xlsx
        from gkassist.tui.session import save_new

        with app.guard():
            html, xlsx = review_html(rollup), review_xlsx(rollup)  # built before anything is written
            session = save_new(app.workspace, rollup.county)
            base = session.path.stem
            files = [app.workspace / f"{base}-审核.html", app.workspace / f"{base}-审核.xlsx"]
            store.atomic_write_text(files[0], html, backup=False)
            store.atomic_write_bytes(files[1], xlsx, backup=False)
            session.notes = summary_notes(rollup, files)
            app.open_report(session)

    app.push_screen(RollupDialog(), got_request)
