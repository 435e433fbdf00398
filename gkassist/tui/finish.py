"""The finish screen: run the checks, list what must be fixed, write the report files."""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option as ListOption

from gkassist.tui.footer import KeysFooter
from gkassist.tui.session import Session
from gkassist.tui.titlebar import TitleBar

if TYPE_CHECKING:
    from gkassist.interview import Interview
    from gkassist.tui.app import GkApp

_ORDER = {"错误": 0, "警告": 1, "提示": 2}


@dataclass
class Exported:
    """What an export wrote: the files, and a Chinese sentence for each file written beside an
    edited one instead of over it."""

    paths: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _numbered(path: Path, n: int) -> Path:
    return path if n == 1 else path.with_name(f"{path.stem}（{n}）{path.suffix}")


def export_report(session: Session) -> Exported:
    """Write every format into the workspace, never over the clerk's work.

    Each file written is remembered with its SHA-256 in the answers file. A file already on
    disk is replaced only when it is still exactly what gkassist wrote last time (the previous
    version is kept as `.bak`); a file changed since — edited in Word, say — or one gkassist
    never wrote is left alone and the new export goes beside it as `…（2）.docx`."""
    from gkassist import store
    from gkassist.errors import GkError
    from gkassist.render import export

    draft = session.report.draft
    hashes = dict(draft.exported_hashes)
    result = Exported()
    with tempfile.TemporaryDirectory(prefix="gkassist-export-") as tmp:
        rendered = export(session.report, Path(tmp))
        for made in rendered:
            data = made.read_bytes()
            digest = _digest(data)
            base = session.workspace / made.name
            for n in range(1, 100):
                target = _numbered(base, n)
                if not target.exists():
                    on_disk = None
                    break
                try:
                    on_disk = _digest(target.read_bytes())
                except OSError as exc:
                    raise GkError(f"无法读取 {target}：{exc.strerror or exc}。") from exc
                if on_disk in (digest, hashes.get(target.name)):
                    break  # ours and untouched (or already this very text): safe to replace
            else:
                raise GkError(f"{base.name} 旁边已有太多编号的副本，请整理工作目录后再导出。")
            try:
                # replacing our own earlier export keeps it as .bak
                store.atomic_write_bytes(target, data, backup=on_disk is not None and on_disk != digest)
            except OSError as exc:
                raise GkError(f"无法写入 {target}：{exc.strerror or exc}。") from exc
            if target != base:
                result.notes.append(f"{base.name} 在上次导出后被改动过（或不是本程序写的），没有覆盖它；"
                                    f"这次导出的文件是 {target.name}。")
            hashes[target.name] = digest
            result.paths.append(target)
    draft.exported = [p.name for p in result.paths]
    draft.exported_hashes = hashes
    session.save(backup=False)  # `.bak` stays the version before the last answer
    return result


def _severity(finding: Any) -> str:
    return str(getattr(finding.severity, "value", finding.severity))


class FinishScreen(Screen[str | None]):
    """Dismisses with the model path of a finding to fix (the chat jumps there), or None."""

    BINDINGS = [
        Binding("f9,ctrl+e", "export", "导出报告文件"),
        Binding("escape", "close", "返回修改"),
    ]

    def __init__(self, session: Session, interview: Interview, *, auto_export: bool = True,
                 export_now: bool = False) -> None:
        super().__init__()
        self.session = session
        self.interview = interview
        self.findings: list[Any] = []
        self.auto_export = auto_export
        """Export as soon as the checks pass: True when the clerk has just finished answering;
        False when a finished report is merely reopened (its files stay as they are)."""
        self.export_now = export_now
        """The clerk pressed F9 in the chat: export whatever the checks say (after a D11 confirmation)."""
        self.copy_confirmed = False
        self.done: Exported | None = None
        """What the last export from this screen wrote."""

    @property
    def gk(self) -> GkApp:
        return cast("GkApp", self.app)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Vertical(id="finish-body"):
            yield Static(id="finish-title", markup=False)
            yield Static(id="finish-summary", markup=False)
            yield OptionList(id="finish-findings", markup=False)  # findings quote typed text
            yield Static(id="finish-files", markup=False)
            with Horizontal(id="finish-actions"):
                yield Button("导出报告文件 F9", id="export", variant="primary", compact=True)
                yield Button("返回修改 Esc", id="close", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        report = self.session.report
        self.query_one("#finish-title", Static).update(report.title or "（报告还没有机关名称和年度）")
        self.findings = sorted(self.interview.findings(), key=lambda f: _ORDER.get(_severity(f), 3))
        counts = {s: sum(1 for f in self.findings if _severity(f) == s) for s in _ORDER}
        missing = len(self.interview.missing())
        summary = "检查结果：" + "，".join(f"{s} {n} 条" for s, n in counts.items()) + "。"
        if missing and not report.draft.log and report.agency.name:
            # imported or the example: filled in, not yet confirmed question by question
            summary += (f"这份报告不是逐题起草的（导入或示例），{missing} 题尚未逐一确认："
                        "内容无误可按 F9 直接导出，也可按 Esc 逐题核对。")
        elif missing:
            summary += f"还有 {missing} 个问题没有回答（按 Esc 返回继续）。"
        if counts["错误"]:
            summary += "请先改正错误：选中一条按 Enter，就会回到能改正它的那一题。"
        self.query_one("#finish-summary", Static).update(summary)
        panel = self.query_one("#finish-findings", OptionList)
        panel.border_title = "检查发现的问题"
        if not self.findings:
            panel.add_option(ListOption("没有发现问题。", disabled=True))
        for finding in self.findings:  # not keyed by field: several findings may share one
            panel.add_option(ListOption(
                f"{_severity(finding)}（{finding.rule}）{finding.location}：{finding.message}"))
        copied = self._copied()
        if copied:
            summary += (f"有 {len(copied)} 部分与上年报告高度相似（D11）。导出前请逐一改写；"
                        "确实要照此导出，按 F9 后须按 Y 明确确认。")
            self.query_one("#finish-summary", Static).update(summary)
        if self.export_now:
            panel.highlighted = 0
            panel.focus()
            self.action_export()
        elif counts["错误"] == 0 and not missing and not copied and self.auto_export:
            self.action_export()
        elif counts["错误"] == 0 and not missing and not copied:
            exported = report.draft.exported
            self.query_one("#finish-files", Static).update(
                ("上次已导出：" + "、".join(exported) + "。" if exported else "还没有导出过。")
                + "要重新导出请按 F9（被改动过的文件不会被覆盖）。")
            self.query_one("#export", Button).focus()
        else:
            self.query_one("#finish-files", Static).update(
                "有错误或未答的问题时也可以先导出草稿看看：按 F9。")
            panel.highlighted = 0
            panel.focus()

    def _copied(self) -> list[Any]:
        """The D11 warnings: parts over half the same as last year's text (the 提示 that lists
        every part's share needs no confirmation)."""
        return [f for f in self.findings if f.rule == "D11" and _severity(f) == "警告"]

    @on(OptionList.OptionSelected, "#finish-findings")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        field = self.findings[event.option_index].field if self.findings else ""
        if field:
            self.dismiss(field)
        else:
            self.notify("这一条没有对应的提问，请在预览（F3）中核对。", severity="warning")

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        copied = self._copied()
        if copied and not self.copy_confirmed:
            from gkassist.tui.dialogs import ConfirmDialog

            parts = "\n".join(f"· {f.location}：{f.message}" for f in copied)
            self.app.push_screen(ConfirmDialog(
                "与上年报告雷同",
                f"以下部分与上年报告的同一部分高度相似：\n{parts}\n\n"
                "2021年格式把内容雷同列为问题。建议按 N 返回，选中一条按 Enter 改写。"
                "确认这些内容今年确实没有变化、仍要导出吗？",
                yes="按 Y 确认仍要导出"), self._copy_answer)
            return
        self._export()

    def _copy_answer(self, yes: bool | None) -> None:
        if yes:
            self.gk.inputs += 1
            self.copy_confirmed = True
            self._export()
        else:
            self.query_one("#finish-findings", OptionList).focus()

    def _export(self) -> None:
        with self.gk.guard("导出失败："):
            done = self.done = export_report(self.session)
            paths = done.paths
            lines = ["已写入工作目录（" + str(self.session.workspace) + "）："]
            lines += [f"  {p.name}" for p in paths]
            lines += done.notes
            if done.notes:
                self.notify("\n".join(done.notes), title="没有覆盖改动过的文件", severity="warning",
                            timeout=10)
            lines.append("答案文件：" + self.session.path.name + "（下次打开可继续修改）")
            lines.append("按 Esc 返回修改，按 Ctrl+Q 退出。")
            self.query_one("#finish-files", Static).update("\n".join(lines))
            self.query_one("#export", Button).focus()
        # Exporting imports and builds a lot once (python-docx, templates): freeze it after it is
        # drawn, so that later collections do not walk it while the clerk answers (see chat).
        from gkassist.tui.chat import settle_memory

        self.call_after_refresh(settle_memory, freeze=True)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
