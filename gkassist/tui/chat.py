"""The chat screen: the conversation, the answer box fitted to the question, outline, preview, findings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option as ListOption

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.interview import SECTION_ORDER, Interview, find_previous, section_label
from gkassist.model import Turn
from gkassist.tui.compat import anchor_to_height, collect, draw_now
from gkassist.tui.dialogs import MessageDialog
from gkassist.tui.grid import GridScreen, Values, fit_cells
from gkassist.tui.session import Session

if TYPE_CHECKING:
    from gkassist.interview import AnswerResult, Prompt
    from gkassist.tui.app import GkApp

SEND_HINT_LINE = "Enter 发送"
SEND_HINT_PARAGRAPH = "Ctrl+S 或 F5 发送（Enter 换行）"
OUTLINE_TEXT = 26  # cells of text in the outline panel (its width less border and padding)
WIDE = 140  # below this width the preview replaces the outline
NARROW = 100  # below this width the outline starts hidden, leaving room for the conversation
# The grid edits the outcome rows and 四、结转; 新收 and 上年结转 are asked in the chat.
GRID_ROWS: tuple[str, ...] = (*fmt.OUTCOME_KEYS, "carry_next")


FREEZE_EVERY = 10  # collections after drawn questions between two freezes


def settle_memory(*, freeze: bool = False) -> None:
    """Collect garbage now, while the clerk reads what was just drawn; then, with `freeze` (after
    start-up, after an export) or every FREEZE_EVERY calls, set what is still alive aside for good.

    Why: CPython's automatic full collections walk every object the app holds (about 250 000
    after start-up) and took 60–85 ms; three to five of them per interview landed between a
    clerk's Enter and the next question, making the slowest answers 2–4 times the usual ~30 ms
    (issue 7 asks p95 < 50 ms). A collection right after each question is drawn resets the
    collector's counters, so the next answer's allocations do not set off a full one, and
    `gc.freeze()` takes the long-lived objects out of every later collection, so these idle-time
    collections cost a few milliseconds. Not freezing after every answer: an object frozen while
    alive (a removed turn, a recomposed footer key) is never collected, about 200 kB a freeze.
    """
    global _settled
    _settled += 1
    collect(freeze=freeze or _settled % FREEZE_EVERY == 0)


_settled = 0


def _note_style(turn: Turn) -> str:
    """Findings arrive as note turns that start with their severity (错误： / 警告：)."""
    if turn.role != "note":
        return ""
    if turn.text.startswith("错误"):
        return "-error"
    if turn.text.startswith("警告"):
        return "-warning"
    return ""


class TurnView(Static):
    """One turn of the conversation: assistant, clerk, or a note (a finding, a reason)."""

    DEFAULT_CSS = """
    TurnView { height: auto; padding: 0 1; }
    TurnView.-assistant {
        margin: 1 6 0 0; background: $boost; border-left: wide $accent;
    }
    TurnView.-current { border-left: wide $success; background: $success 10%; }
    TurnView.-clerk {
        margin: 1 0 0 6; background: $primary 15%; border-right: wide $primary;
    }
    TurnView.-note { margin: 0 6 0 2; color: $text-muted; }
    TurnView.-warning { color: $warning; }
    TurnView.-error { color: $error; text-style: bold; }
    """

    def __init__(self, text: str, role: str, *, extra: str = "") -> None:
        super().__init__(text, markup=False, classes=f"-{role} {extra}".strip())
        self.role = role
        self.drawn: Callable[[], None] | None = None  # called once this turn has been drawn

    def on_mount(self) -> None:
        if self.drawn is not None:
            self.call_after_refresh(self.drawn)


class Conversation(VerticalScroll):
    """The conversation, anchored to its end.

    Textual 8.2 keeps an anchored container scrolled to the bottom while it lays the screen out,
    but computes the offset from the container's height of the *previous* layout. When the answer
    box changes height (one-line box ↔ paragraph box) the conversation changes height in the same
    layout, so the new question landed below the visible area and came into view only one layout
    (one or two frames, 30–80 ms) later. `arrange` is handed the new height first: record it so
    the anchor uses it and the question is drawn in the first frame.
    """

    def arrange(self, size: Size, optimal: bool = False) -> Any:
        if not optimal:
            anchor_to_height(self, size)
        return super().arrange(size, optimal)


class AnswerArea(TextArea):
    """The paragraph answer box.

    While hidden it has no width, so a draft put into it wrapped to nothing and re-wrapped only
    after it had been shown once (a frame later, the paragraph visibly reflowing). It takes the
    width it had when last shown — or, before it was ever shown, its container's — instead.
    """

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


class ChatScreen(Screen[None]):
    """The interview as a conversation, one question at a time."""

    BINDINGS = [
        Binding("f1", "help", "帮助"),
        Binding("f2", "toggle_outline", "目录", show=False),
        Binding("f3", "toggle_preview", "预览"),
        Binding("f4", "toggle_findings", "问题", show=False),
        # Most terminals send Ctrl+Enter as a plain Enter; Ctrl+S and F5 work everywhere.
        Binding("ctrl+s,f5,ctrl+enter", "send", "发送", priority=True),
        Binding("f6", "skip", "跳过", priority=True),
        Binding("f7", "back", "上一题", priority=True),
        Binding("f9,ctrl+e", "export", "导出"),
        Binding("f10", "finish", "完成"),
        Binding("escape", "leave", "首页"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.interview = Interview(session.report, previous=self._previous_report(),
                                   workspace=session.workspace)  # its library/ folder too
        self.prompt: Prompt | None = None
        self.current_view: TurnView | None = None
        self.busy = False
        self._finish_offered = False
        self._pending: list[TurnView] = []
        self._finding_fields: list[str] = []
        self._outline_stale = False

    @property
    def gk(self) -> GkApp:
        return cast("GkApp", self.app)

    def _previous_report(self) -> Any:
        return find_previous(self.session.report, self.session.workspace)

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Header(icon="")
        with Horizontal(id="chat-body"):
            yield OptionList(id="outline")
            with Vertical(id="chat-main"):
                yield Conversation(id="conversation")
                yield Static(id="answer-hint", markup=False)
                yield Input(id="answer-line")
                yield AnswerArea(id="answer-text", soft_wrap=True, show_line_numbers=False)
            with VerticalScroll(id="preview"):
                yield Static(id="preview-text", markup=False)
            yield OptionList(id="findings", markup=False)  # findings quote typed text
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#outline").border_title = "目录（F2）"
        self.query_one("#preview").border_title = "预览（F3 关闭）"
        self.query_one("#findings").border_title = "检查发现的问题（Enter 跳到对应问题）"
        self.query_one("#preview").display = False
        self.query_one("#findings").display = False
        self.query_one("#outline").display = self.app.size.width >= NARROW
        self.query_one("#conversation", VerticalScroll).anchor()
        for turn in self.session.report.draft.log:
            self.post(turn.text, turn.role, extra=_note_style(turn))
        if self.session.report.draft.log:
            self.post("（以上是之前的对话，已保存。接着上次的地方继续。）", "note")
        for note in self.session.notes:
            self.post(note, "note")
        self.session.notes = []
        with self._step():
            self.ask()
        # Once the first question is drawn, set the start-up's objects aside for the collector.
        self.call_after_refresh(settle_memory, freeze=True)

    def on_resize(self, event: events.Resize) -> None:
        # The outline gives way first when the terminal gets narrow (F2 still shows it).
        preview = self.query_one("#preview")
        self._show_outline(event.size.width >= (WIDE if preview.display else NARROW))

    def post(self, text: str, role: str, *, extra: str = "") -> TurnView:
        """Queue a turn for the conversation; `ask` mounts the queue in one go (one layout pass)."""
        view = TurnView(text, role, extra=extra)
        self._pending.append(view)
        return view

    def _flush(self) -> None:
        if self._pending:
            views, self._pending = self._pending, []
            mounted = self.query_one("#conversation", VerticalScroll).mount_all(views)
            self.run_worker(self._draw_when_mounted(mounted), exit_on_error=False)

    async def _draw_when_mounted(self, mounted: Any) -> None:
        """Draw as soon as the new turns are mounted instead of at the next tick of the screen's
        60 Hz update timer (on average half a frame, 8 ms, of every answer). This is what the
        timer itself calls; Textual's own test pilot does the same."""
        try:
            await mounted
        except Exception:  # noqa: BLE001 — the screen went away meanwhile: nothing to draw
            return
        draw_now(self)

    # ------------------------------------------------------------ asking
    def ask(self) -> None:
        """Show the current question (or the end of the interview) and fit the answer box to it."""
        if self.current_view is not None:
            self.current_view.remove()
            self.current_view = None
        self.prompt = self.interview.prompt()
        self._refresh_outline()
        line = self.query_one("#answer-line", Input)
        area = self.query_one("#answer-text", TextArea)
        hint = self.query_one("#answer-hint", Static)
        if self.prompt is None:
            self.current_view = self.post(
                "所有问题都已回答。按 F10 检查并生成报告文件；也可以在左侧目录中选一部分修改。",
                "assistant", extra="-current")
            self._flush()
            line.display, area.display = True, False
            line.value, line.placeholder = "", "按 F10 完成并导出"
            hint.update("全部完成 · F10 检查并导出 · F2 目录 · F3 预览")
            line.focus()
            if not self._finish_offered:
                self._finish_offered = True
                self.call_later(self.action_finish)
            return
        p = self.prompt
        self.current_view = self.post(self._question_text(p), "assistant", extra="-current")
        self.current_view.drawn = settle_memory  # the clerk reads now: collect garbage then
        self._flush()
        self.sub_title_update()
        multiline = bool(getattr(p, "multiline", False)) or p.kind == "paragraph"
        line.display, area.display = not multiline, multiline
        if multiline:
            area.text = p.default or ""
            area.move_cursor((0, 0))  # the clerk reads a drafted paragraph from its start
            hint.update(f"{SEND_HINT_PARAGRAPH} · F1 帮助")
            area.focus()
        else:
            line.value = ""
            line.placeholder = self._placeholder(p)
            hint.update(self._line_hint(p))
            line.focus()
        if p.kind == "grid":
            self.call_after_refresh(self.open_grid)
        self._refresh_preview()

    def sub_title_update(self) -> None:
        self.gk.sub_title = self.session.path.name

    @staticmethod
    def _question_text(p: Prompt) -> str:
        lines = [f"【{p.section_label}】", p.text]
        for option in getattr(p, "options", None) or []:
            entry = f"  {option.number}. {option.title}"
            if getattr(option, "reason", ""):
                entry += f"（{option.reason}）"
            lines.append(entry)
        if p.kind == "pick":
            lines.append("输入要用的段落编号，例如 1 3；组合后的文字会放进下一步的编辑框里。")
        if p.kind == "grid":
            lines.append("表格已打开；关掉后按 Enter 可以再打开。")
        if p.default and p.kind not in ("paragraph",) and not getattr(p, "multiline", False):
            lines.append(f"（直接按 Enter 采用：{p.default}）")
        return "\n".join(lines)

    @staticmethod
    def _placeholder(p: Prompt) -> str:
        if p.kind == "grid":
            return "按 Enter 打开表三表格"
        if p.default:
            return f"{p.default}（直接按 Enter 采用）"
        return getattr(p, "placeholder", "") or ""

    @staticmethod
    def _line_hint(p: Prompt) -> str:
        kinds = {
            "count": "填一个整数（0、无、十二、3件 都可以）",
            "counts": "按顺序填几个整数，用空格或逗号隔开",
            "money": "填金额",
            "yesno": "回答 是 或 否",
            "choice": "填编号或名称",
            "applicants": "例如 自然人3 商业企业1（只填数字即为自然人）",
            "pick": "填段落编号，例如 1 3",
            "date": "例如 2026-01-20",
            "grid": "表三表格",
        }
        what = kinds.get(p.kind, "")
        return " · ".join(x for x in (what, SEND_HINT_LINE, "F1 或 ? 帮助") if x)

    # ------------------------------------------------------------ answering
    @on(Input.Submitted, "#answer-line")
    def _line_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.send(event.value)

    def action_send(self) -> None:
        area = self.query_one("#answer-text", TextArea)
        if area.display:
            self.send(area.text)
        else:
            self.send(self.query_one("#answer-line", Input).value)

    def send(self, text: str) -> None:
        if self.busy:
            return
        if self.prompt is None:
            self.action_finish()
            return
        if self.prompt.kind == "grid" and not text.strip():
            self.open_grid()
            return
        if text.strip() in ("?", "？", "帮助"):
            self.query_one("#answer-line", Input).value = ""
            self.action_help()
            return
        self.gk.inputs += 1
        with self._step(), self.session.saving(self.interview):  # advance only once saved
            result = self.interview.answer(text)
            self._after_answer(result, text)

    @contextmanager
    def _step(self) -> Iterator[None]:
        """One step of the interview: a GkError is said in Chinese; any other failure is logged,
        the step is dropped and the report is reloaded as last saved, so the clerk carries on."""
        self._lock(True)
        try:
            yield
        except GkError as exc:
            self.gk.show_error(exc.message)
        except Exception as exc:  # noqa: BLE001 — the clerk must never lose the session to a bug
            self._recover(exc)
        finally:
            self._lock(False)

    def _recover(self, exc: Exception) -> None:
        from gkassist import store
        from gkassist.crashlog import crash_sentence

        self.gk.internal_errors.append(exc)
        log = crash_sentence(exc)
        try:
            self.session.report = store.load_report(self.session.path)
            self.interview = Interview(self.session.report, previous=self._previous_report(),
                                       workspace=self.session.workspace)
            self.current_view = None
            self.gk.show_error(f"程序内部错误（{type(exc).__name__}），这一步没有生效，已恢复到上次保存的内容。"
                               + log)
            self.ask()
        except Exception as again:  # noqa: BLE001
            self.gk.internal_errors.append(again)
            self.gk.show_error(f"程序内部错误，已保存的回答不受影响。{log}")
            self.gk.back_to_start()

    def _after_answer(self, result: AnswerResult, text: str) -> None:
        if not result.ok:
            # Keep the bad answer visible with the reason, then ask the same question again.
            if self.current_view is not None:
                self.current_view.remove()
                self.current_view = None
            self.post(text.strip() or "（空）", "clerk")
            self.post(result.message, "note", extra="-error")
            self.gk.bell()
            self.ask()
            return
        self._save()
        turns = list(result.turns)
        if self.current_view is not None:
            if turns and turns[0].role == "assistant" and not _note_style(turns[0]):
                # The question asked becomes its past turn in place: one widget fewer to remove
                # and one fewer to mount and style while the clerk waits for the next question.
                self.current_view.update(turns.pop(0).text)
                self.current_view.remove_class("-current")
            else:
                self.current_view.remove()
            self.current_view = None
        # The engine's turns already carry the message and the findings this answer caused.
        self._show_turns(turns)
        if result.message and not any(t.text == result.message for t in result.turns):
            self.post(result.message, "note")
        if self.query_one("#findings").display:  # else filled when F4 shows it
            self._refresh_findings()
        self.ask()

    def _show_turns(self, turns: list[Turn]) -> None:
        for turn in turns:
            self.post(turn.text, turn.role, extra=_note_style(turn))

    def _save(self) -> None:
        note = self.session.save()
        self.gk.sub_title = self.session.path.name
        if note:
            self.notify(note, title="已保存")

    def _lock(self, busy: bool) -> None:
        # Answers are applied synchronously inside the key handler, so no key can arrive while
        # one is being applied; the flag also stops a second send from a queued binding.
        # (Disabling the widgets instead would move focus and rebuild the footer each time.)
        self.busy = busy

    # ------------------------------------------------------------ grid
    def open_grid(self) -> None:
        if self.prompt is None or self.prompt.kind != "grid" or isinstance(self.app.screen, GridScreen):
            return
        values = self.interview.grid_values()
        self.app.push_screen(GridScreen(values, editable=set(GRID_ROWS)), self._grid_done)

    def _grid_done(self, values: Values | None) -> None:
        if values is None:
            self.notify("表格未作修改。按 Enter 可以再打开。")
            return
        with self._step(), self.session.saving(self.interview):
            result = self.interview.apply_grid(values)
            self._after_answer(result, "（已填好表三）")

    # ------------------------------------------------------------ moving around
    def action_skip(self) -> None:
        if self.prompt is None:
            return
        self.gk.inputs += 1
        with self._step():
            self.interview.skip()
            self.post("（先跳过这一题，最后会再问。）", "note")
            self.ask()

    def action_back(self) -> None:
        self.gk.inputs += 1
        with self._step():
            if self.interview.back() is None and self.prompt is None:
                return
            self.ask()

    @on(OptionList.OptionSelected, "#outline")
    def _outline_selected(self, event: OptionList.OptionSelected) -> None:
        section = event.option.id
        if not section:
            return
        self.gk.inputs += 1
        if self.app.size.width < NARROW:
            self.query_one("#outline").display = False
        with self._step():
            self.interview.goto(section)
            self.post(f"（转到 {section_label(section)}）", "note")
            self.ask()

    @on(OptionList.OptionSelected, "#findings")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#findings").display = False
        self.jump_to_field(self._finding_fields[event.option_index])

    def jump_to_field(self, field: str) -> None:
        """Revisit the question that sets `field` (a Finding.field)."""
        with self._step():
            question = self.interview.field_question(field) if field else None
            if question is None:
                self.notify("这个问题没有对应的提问，请在预览中核对，或用目录转到相应部分。",
                            severity="warning")
                return
            self.interview.goto_question(question.id)
            self.ask()

    def _show_outline(self, show: bool) -> None:
        self.query_one("#outline").display = show
        if show and self._outline_stale:
            self._refresh_outline()

    def _refresh_outline(self) -> None:
        outline = self.query_one("#outline", OptionList)
        if not outline.display:
            self._outline_stale = True  # drawn when shown (F2, a wider terminal)
            return
        self._outline_stale = False
        current = self.prompt.section if self.prompt else None
        rows: list[tuple[str, str]] = []
        for sp in self.interview.progress():
            mark = "✓" if sp.done else ("▶" if sp.section == current else " ")
            count = f"{sp.answered}/{sp.total}"
            label = fit_cells(sp.label, OUTLINE_TEXT - cell_len(count) - 3)
            gap = " " * max(1, OUTLINE_TEXT - 2 - cell_len(label) - cell_len(count))
            rows.append((f"{mark} {label}{gap}{count}", sp.section))
        # After an answer one or two rows change. Rebuilding the list made the option list draw
        # every row again (about 7 ms of each answer); replace only the rows that changed.
        if [(str(o.prompt), o.id) for o in outline.options] == rows:
            return
        if [o.id for o in outline.options] == [section for _, section in rows]:
            for index, (option, (text, _)) in enumerate(zip(outline.options, rows)):
                if str(option.prompt) != text:
                    outline.replace_option_prompt_at_index(index, text)
            return
        highlighted = outline.highlighted
        outline.clear_options()
        outline.add_options([ListOption(text, id=section) for text, section in rows])
        if highlighted is not None:
            outline.highlighted = highlighted

    # ------------------------------------------------------------ panels
    def action_toggle_outline(self) -> None:
        outline = self.query_one("#outline", OptionList)
        if outline.display and outline.has_focus:
            outline.display = False
            self._focus_answer()
        else:
            self._show_outline(True)
            if self.prompt is not None and self.prompt.section in SECTION_ORDER:
                outline.highlighted = SECTION_ORDER.index(self.prompt.section)
            outline.focus()

    def action_toggle_preview(self) -> None:
        preview = self.query_one("#preview")
        preview.display = not preview.display
        # Three panels do not fit a narrow terminal: the preview takes the outline's place.
        if self.app.size.width < WIDE:
            self._show_outline(not preview.display and self.app.size.width >= NARROW)
        self._refresh_preview()

    def action_toggle_findings(self) -> None:
        panel = self.query_one("#findings", OptionList)
        if panel.display and panel.has_focus:
            panel.display = False
            self._focus_answer()
            return
        self._refresh_findings()
        panel.display = True
        panel.highlighted = 0
        panel.focus()

    def _focus_answer(self) -> None:
        area = self.query_one("#answer-text", TextArea)
        (area if area.display else self.query_one("#answer-line", Input)).focus()

    def _refresh_preview(self) -> None:
        preview = self.query_one("#preview")
        if not preview.display:
            return
        try:
            from gkassist.render import render_text

            text = render_text(self.session.report, "txt")
        except GkError as exc:
            text = f"暂时无法预览：{exc.message}"
        self.query_one("#preview-text", Static).update(text)

    def _refresh_findings(self) -> None:
        panel = self.query_one("#findings", OptionList)
        panel.clear_options()
        self._finding_fields = []
        found = self.interview.findings()
        if not found:
            panel.add_option(ListOption("没有发现问题。", disabled=True))
            self._finding_fields.append("")
            return
        for finding in found:
            # Several findings may share a field, so options are not keyed by it (ids must be unique).
            panel.add_option(ListOption(self._finding_text(finding)))
            self._finding_fields.append(finding.field or "")

    @staticmethod
    def _finding_text(finding: Any) -> str:
        severity = getattr(finding.severity, "value", finding.severity)
        return f"{severity}（{finding.rule}）{finding.location}：{finding.message}"

    # ------------------------------------------------------------ help, export, finish, leave
    def action_help(self) -> None:
        if self.prompt is None:
            text = "所有问题都已回答。F10 检查并导出，F2 目录中选一部分可以修改。"
        else:
            text = self.prompt.help or "这一题没有更多说明。"
        text += ("\n\n常用按键：Enter 发送（多行段落用 Ctrl+S 或 F5）· F6 先跳过 · F7 回到上一题 · "
                 "F2 目录 · F3 预览 · F4 检查发现的问题 · F9 导出 · F10 完成 · Esc 返回首页 · Ctrl+C 退出。"
                 "\n每个回答一发送就已保存，随时退出都不会丢。")
        self.app.push_screen(MessageDialog("帮助", text))

    def action_export(self) -> None:
        from gkassist.tui.finish import export_report

        with self.gk.guard("导出失败："):
            paths = export_report(self.session)
            self.notify("已导出：" + "、".join(p.name for p in paths), title="导出完成", timeout=8)
        self.call_after_refresh(settle_memory, freeze=True)  # see settle_memory

    def action_finish(self) -> None:
        from gkassist.tui.finish import FinishScreen

        if isinstance(self.app.screen, FinishScreen):
            return
        self.app.push_screen(FinishScreen(self.session, self.interview), self._finish_done)

    def _finish_done(self, field: str | None) -> None:
        if field:
            self.jump_to_field(field)
        else:
            self._focus_answer()

    def action_leave(self) -> None:
        self.gk.back_to_start()

