"""The finish screen: run the checks, list what must be fixed, write the report files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option as ListOption

from gkassist.tui.session import Session

if TYPE_CHECKING:
    from gkassist.interview import Interview
    from gkassist.tui.app import GkApp

_ORDER = {"错误": 0, "警告": 1, "提示": 2}


def export_report(session: Session) -> list[Path]:
    """Write every format into the workspace and remember what was written in the answers file."""
    from gkassist.render import export

    paths = export(session.report, session.workspace)
    session.report.draft.exported = [p.name for p in paths]
    session.save(backup=False)  # `.bak` stays the version before the last answer
    return paths


def _severity(finding: Any) -> str:
    return str(getattr(finding.severity, "value", finding.severity))


class FinishScreen(Screen[str | None]):
    """Dismisses with the model path of a finding to fix (the chat jumps there), or None."""

    BINDINGS = [
        Binding("f9,ctrl+e", "export", "导出报告文件"),
        Binding("escape", "close", "返回修改"),
    ]

    def __init__(self, session: Session, interview: Interview) -> None:
        super().__init__()
        self.session = session
        self.interview = interview
        self.findings: list[Any] = []

    @property
    def gk(self) -> GkApp:
        return cast("GkApp", self.app)

    def compose(self) -> ComposeResult:
        yield Header(icon="")
        with Vertical(id="finish-body"):
            yield Static(id="finish-title", markup=False)
            yield Static(id="finish-summary", markup=False)
            yield OptionList(id="finish-findings", markup=False)  # findings quote typed text
            yield Static(id="finish-files", markup=False)
            with Horizontal(id="finish-actions"):
                yield Button("导出报告文件 F9", id="export", variant="primary", compact=True)
                yield Button("返回修改 Esc", id="close", compact=True)
        yield Footer()

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
        if counts["错误"] == 0 and not missing:
            self.action_export()
        else:
            self.query_one("#finish-files", Static).update(
                "有错误或未答的问题时也可以先导出草稿看看：按 F9。")
            panel.highlighted = 0
            panel.focus()

    @on(OptionList.OptionSelected, "#finish-findings")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        field = self.findings[event.option_index].field if self.findings else ""
        if field:
            self.dismiss(field)
        else:
            self.notify("这一条没有对应的提问，请在预览（F3）中核对。", severity="warning")

    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        with self.gk.guard("导出失败："):
            paths = export_report(self.session)
            lines = ["已写入工作目录（" + str(self.session.workspace) + "）："]
            lines += [f"  {p.name}" for p in paths]
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
