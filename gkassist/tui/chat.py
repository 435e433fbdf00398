"""The chat screen: the conversation, the answer box fitted to the question, outline, preview, findings."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option as ListOption

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.tui import opening
from gkassist.tui.cells import fit_cells, wrap
from gkassist.tui.compat import collect, draw_now, hold_collector, release_collector
from gkassist.tui.conversation import Conversation, TurnView
from gkassist.tui.dialogs import MessageDialog
from gkassist.tui.footer import KeysFooter
from gkassist.tui.titlebar import TitleBar

# The interview engine, the model and the store (pydantic, Jinja2, the question script) are
# imported where they are used, not here: a report whose first frame is known (tui/opening.py)
# is drawn before they are loaded, and they are loaded in a thread meanwhile.
if TYPE_CHECKING:
    from gkassist.interview import AnswerResult, Interview, Prompt
    from gkassist.model import Report, Turn
    from gkassist.tui.answer_area import AnswerArea
    from gkassist.tui.app import GkApp
    from gkassist.tui.grid import Values
    from gkassist.tui.session import Session

SEND_HINT_LINE = "Enter 发送"
SEND_HINT_PARAGRAPH = "Ctrl+S 或 F5 发送（Enter 换行）"
OUTLINE_TEXT = 26  # cells of text in the outline panel (its width less border and padding)
WIDE = 140  # below this width the preview replaces the outline
NARROW = 100  # below this width the outline starts hidden, leaving room for the conversation
# The grid edits the outcome rows and 四、结转; 新收 and 上年结转 are asked in the chat.
GRID_ROWS: tuple[str, ...] = (*fmt.OUTCOME_KEYS, "carry_next")
# The preview's parts (tui/preview.PARTS, which the grid's module comes with: imported when the
# preview is first drawn, not before the first question).
PREVIEW_PARTS = ("封面", "一", "二", "三", "四", "五", "六")


W = TypeVar("W", bound=Widget)

PENDING_PREFIX = "pending:"  # the id of a 待核对 cell's question (interview.pending.PREFIX)
# Opening a report from its note: the thread that loads the engine starts this long after the
# note's frame, once the frame is out and the layout passes queued behind it are done; started
# at once, it held the interpreter lock against them (one frame 50–80 ms late).
OPEN_AFTER = 0.1
INLINE_OPTIONS = 6  # longer option lists go in their own scrolling box under the question
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


_PREVIOUS: Any = object()


def build_interview(session: Session, *, previous: Any = _PREVIOUS) -> Interview:
    """The interview of an open report (with last year's report of the workspace, and its
    library/ folder). Called on the thread that opens a report from a note too: no widget."""
    from gkassist.interview import Interview, find_previous

    if previous is _PREVIOUS:
        previous = find_previous(session.report, session.workspace)
    return Interview(session.report, previous=previous, workspace=session.workspace)


def opening_turns(report: Report) -> list[opening.Turn]:
    """What the chat shows of a report before its first question: the conversation so far and
    the notes the file calls for (待核对 figures, what `new-year` found)."""
    turns: list[opening.Turn] = [(turn.text, turn.role, _note_style(turn)) for turn in report.draft.log]
    if report.draft.log:
        turns.append(("（以上是之前的对话，已保存。接着上次的地方继续。）", "note", ""))
    pending = len(report.draft.pending)
    if pending:  # the import could not be sure of these figures: they are asked first
        turns.append(((f"导入时有 {pending} 格数字无法确定（待核对），已留空。下面先逐格请您对照原文确认，"
                       "再接着其他问题。"), "note", "-warning"))
    last_year = report.draft.last_year
    if last_year is not None and last_year.notes:
        # Everything `new-year` told the clerk, shown each time the draft is opened until
        # it is finished: figures to rewrite, moved years, corrected self-words.
        turns.append((f"以{last_year.year or '上'}年报告起草时发现 {len(last_year.notes)} 处要留意：", "note",
                      "-warning"))
        turns += [(f"· {note}", "note", "-warning") for note in last_year.notes]
    return turns


JOIN_LINES = "；"


def join_pasted(text: str) -> tuple[str, int]:
    """Several pasted lines made into one answer line: every non-blank line kept, joined with
    `；`. Returns the line and how many lines were joined (1 when nothing was joined)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) <= 1:
        return (lines[0] if lines else text.strip("\r\n")), 1
    head = [line.rstrip("；;，,。 ") for line in lines[:-1]]
    return JOIN_LINES.join([*head, lines[-1]]), len(lines)


class OptionsText(Static):
    """The long option list in its box under the question (#options-text), wrapped as the
    conversation wraps (tui/cells.wrap: a Chinese run is broken at the width, not after an
    option's number as Textual's word wrap did, leaving "1." alone on a line; no line starts with
    a closing mark), each option's further lines set under its text, not under its number."""

    DEFAULT_CSS = "OptionsText { text-wrap: nowrap; }"

    _wrapped: tuple[str, int, Text] | None = None

    def lines(self, width: int) -> Text:
        text = str(self.content)
        if self._wrapped is None or self._wrapped[:2] != (text, width):
            out: list[Text] = []
            for line in text.split("\n"):
                number, sep, _ = line.partition(". ")
                head = f"{number}{sep}" if sep and number.strip().isdigit() else ""
                indent = cell_len(head)
                body = wrap(Text(line[len(head):]), max(1, width - indent)) or [Text("")]
                out.append(Text(head) + body[0])
                out += [Text(" " * indent) + piece for piece in body[1:]]
            self._wrapped = (text, width, Text("\n").join(out))
        return self._wrapped[2]

    def render(self) -> Text:
        return self.lines(self.content_region.width)

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return len(self.lines(width).plain.split("\n"))


class AnswerLine(Input):
    """The one-line answer box with the editing keys office users know.

    Ctrl+C / Ctrl+X / Ctrl+V copy, cut and paste (Input's own bindings; the app no longer takes
    Ctrl+C to quit), Ctrl+A selects everything (not "line start"), Ctrl+Z undoes the last change.
    A paste of several lines keeps every line, joined with `；`, and says so (Input would keep
    only the first)."""

    BINDINGS = [
        Binding("ctrl+a", "select_all", "全选", show=False),
        Binding("ctrl+z", "undo", "撤销", show=False),
        Binding("ctrl+v", "paste", "粘贴", show=False),
    ]

    UNDO_DEPTH = 50

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._history: list[str] = []
        self._undoing = False

    def watch_value(self, old: str, new: str) -> None:
        if self._undoing or old == new:
            return
        self._history.append(old)
        del self._history[:-self.UNDO_DEPTH]

    def forget_history(self) -> None:
        """A new question: undo starts afresh."""
        self._history.clear()

    def action_undo(self) -> None:
        if not self._history:
            self.app.bell()
            return
        self._undoing = True
        try:
            self.value = self._history.pop()
            self.cursor_position = len(self.value)
        finally:
            self._undoing = False

    def _insert_pasted(self, text: str) -> None:
        line, count = join_pasted(text)
        start, end = self.selection
        self.replace(line, start, end)
        if count > 1:
            self.notify(f"粘贴的 {count} 行都已保留，用“{JOIN_LINES}”连成了一行；请看一下再发送。",
                        title="多行粘贴", timeout=6)

    def _on_paste(self, event: events.Paste) -> None:
        if event.text:
            self._insert_pasted(event.text)
        event.stop()
        event.prevent_default()

    def action_paste(self) -> None:
        if self.app.clipboard:
            self._insert_pasted(self.app.clipboard)


class PreviewPanel(VerticalScroll):
    """The preview's scrolling panel; its tables are laid out for its width, so a change of
    width (a panel shown or hidden beside it, a resized terminal) draws them again."""

    _drawn_width = 0

    def on_resize(self, event: events.Resize) -> None:
        width = self.scrollable_content_region.width
        if width != self._drawn_width and self.display:
            self._drawn_width = width
            screen = self.screen
            if isinstance(screen, ChatScreen):
                screen._refresh_preview()


class ChatScreen(Screen[None]):
    """The interview as a conversation, one question at a time."""

    # A change of focus (the line box ↔ the paragraph box, after most answers that change the
    # kind of question) repainted the whole screen: Screen.focused is a reactive that repaints.
    # The two boxes restyle and redraw themselves on focus and blur (Textual's focus styles), so
    # nothing else needs drawing again.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

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
        Binding("f8", "fold", "展开对话", show=False),
        Binding("pageup", "page(-1)", "上翻", show=False),
        Binding("pagedown", "page(1)", "下翻", show=False),
    ]

    session: Session
    interview: Interview

    def __init__(self, session: Session | None = None, *, note: opening.Opening | None = None,
                 path: Path | None = None) -> None:
        """The chat for an open `session`; or, with `note` (its first frame, tui/opening.py)
        and the answers file's `path` as given, a chat that draws that frame at once and opens
        the report and builds the interview in a thread (`loading_report` until then; not
        Textual's `loading`, which covers a widget with a spinner)."""
        super().__init__()
        self.note = note
        self.loading_report = session is None
        if session is not None:
            self._adopt(session, build_interview(session))
            self._path = session.path
        elif note is None or path is None:
            raise ValueError("ChatScreen needs a session, or a note and the file's path")
        else:
            self._path = Path(path)
        self.prompt: Prompt | None = None
        self.current_view: TurnView | None = None
        self.shown: opening.View | None = None
        """The question on screen as drawn (from the engine, or from the note while loading)."""
        self.busy = False
        self._finish_offered = False
        self._pending: list[TurnView] = []
        self._finding_fields: list[str] = []
        self._outline_stale = False
        self._changed = False  # an answer was accepted in this sitting (finishing then exports)
        self._fixing = False  # a finding from the finish screen is being fixed: go back there after
        self._grid_start: tuple[str, str] | None = None  # the cell a finding points the grid at
        self.preview_section: str | None = None  # the section the preview was last scrolled to
        self._shown: opening.View | None = None  # the question drawn from the note while loading
        self._held = False  # an answer was sent while loading: send the box once the engine is ready
        self._waiting_told = False
        self._after_frame: list[Callable[[], Any]] = []  # run once the next turns are drawn
        self._hint = ""  # the text of #answer-hint
        self._findings_known = False  # see _know_findings
        # Mounted after the first question's frame, or when first needed (_mount_later):
        self._options_panel: VerticalScroll | None = None  # the long option list's box, #options-box
        self._option_lines: OptionsText | None = None  # its text, #options-text
        self._area: AnswerArea | None = None  # the paragraph box, #answer-text
        self._preview_panel: PreviewPanel | None = None  # #preview
        self._findings_panel: OptionList | None = None  # #findings

    def _adopt(self, session: Session, interview: Interview) -> None:
        self.session = session
        self.interview = interview

    @property
    def gk(self) -> GkApp:
        return cast("GkApp", self.app)

    @property
    def turns(self) -> list[TurnView]:
        """The conversation's turns, folded ones included, oldest first."""
        return self.query_one("#conversation", Conversation).turns

    # ------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="chat-body"):
            yield OptionList(id="outline", markup=False)
            with Vertical(id="chat-main"):
                yield Conversation(id="conversation")
                yield Static(id="answer-hint", markup=False)
                yield AnswerLine(id="answer-line")
            # (the option box, the paragraph box, the preview and the findings list come later:
            # _mount_later)
        yield KeysFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#outline").border_title = "目录（F2）"
        self.call_after_refresh(self._mount_later)
        self.query_one("#outline").display = self.app.size.width >= NARROW
        if self.loading_report:
            assert self.note is not None
            # The frame the chat showed when this very file was last left: drawn now, checked
            # against the engine's question once the thread has built it (_opened).
            for text, role, extra in self.note.turns:
                self.post(text, role, extra=extra)
            self._refresh_outline()
            self._shown = self.note.view
            self._show(self.note.view)
            self.set_timer(OPEN_AFTER, self._start_loading)
            return
        for text, role, extra in opening_turns(self.session.report):
            self.post(text, role, extra=extra)
        for note in self.session.notes:
            self.post(note, "note")
        self.session.notes = []
        with self._step():
            self.ask()
        # Once the first question is drawn, set the start-up's objects aside for the collector.
        self.call_after_refresh(settle_memory, freeze=True)

    # ------------------------------------------------------------ parts made after the first frame
    # The option box, the paragraph box, the preview and the findings list start hidden. Composed
    # with the rest they were about a fifth of the work before the first question could be drawn, and the
    # paragraph box's modules ~8 ms of imports (issue 13: start within 1.5× a bare Textual
    # app's). They are mounted once the first question is on screen, while the clerk reads it —
    # or at once, by the accessors below, when something needs one before that.

    def _mount_later(self) -> None:
        if self.is_attached:
            self._options_box()  # (and its text)
            self._paragraph_box()
            self._preview()
            self._findings()

    def _mount_hidden(self, widget: W, parent: str, *, after: str | None = None) -> W:
        widget.display = False
        self.query_one(parent).mount(widget, after=after)
        return widget

    @staticmethod
    def _is_shown(widget: Widget | None) -> bool:
        """Whether a part made on first use is there and shown."""
        return widget is not None and widget.display

    def _options_box(self) -> tuple[VerticalScroll, OptionsText]:
        """The box and its text, kept by reference: a box made on demand mounts its text a
        moment later, so a query would not find it yet."""
        if self._options_panel is None or self._option_lines is None:
            self._option_lines = OptionsText(id="options-text", markup=False)
            box = VerticalScroll(self._option_lines, id="options-box")
            box.border_title = "选项"
            self._options_panel = self._mount_hidden(box, "#chat-main", after="#conversation")
        return self._options_panel, self._option_lines

    def _paragraph_box(self) -> AnswerArea:
        if self._area is None:
            from gkassist.tui.answer_area import AnswerArea

            self._area = self._mount_hidden(
                AnswerArea(id="answer-text", soft_wrap=True, show_line_numbers=False), "#chat-main",
                after="#answer-line")
        return self._area

    def _preview(self) -> PreviewPanel:
        if self._preview_panel is None:
            panel = PreviewPanel(*(Static(id=f"preview-part-{index}", classes="preview-part", markup=False)
                                   for index in range(len(PREVIEW_PARTS))), id="preview")
            panel.border_title = "预览（F3 关闭）"
            self._preview_panel = self._mount_hidden(panel, "#chat-body", after="#chat-main")
        return self._preview_panel

    def _findings(self) -> OptionList:
        if self._findings_panel is None:
            panel = OptionList(id="findings", markup=False)  # findings quote typed text
            panel.border_title = "检查发现的问题（Enter 跳到对应问题）"
            self._findings_panel = self._mount_hidden(panel, "#chat-body")  # last, after the preview
        return self._findings_panel

    # ------------------------------------------------------------ opening from a note
    def _start_loading(self) -> None:
        """The note's frame is out: open the report and build the interview in a thread (the
        imports of pydantic, Jinja2 and the engine are most of the work), so that the answer
        box takes typing meanwhile."""
        threading.Thread(target=self._load, name="gkassist-open", daemon=True).start()

    def _load(self) -> None:
        """In the thread: what the usual opening does before its first question (app.on_mount,
        __init__) and the warm-up the app does after it. Only plain Python objects are made
        here; the screen is touched in _opened, on the app's thread."""
        from gkassist.tui.app import warm_up
        from gkassist.tui.session import open_session

        result: tuple[Session, Interview] | Exception
        try:
            session = open_session(self._path, self.gk.workspace)
            interview = build_interview(session)
            interview.prompt()  # the templates of the question to come are compiled here too
            warm_up()
            result = (session, interview)
        except Exception as exc:  # noqa: BLE001 — handed to the app's guard, on its thread
            result = exc
        try:
            self.app.call_from_thread(self._opened, result)
        except RuntimeError:  # the app closed meanwhile: nothing to show it on
            if isinstance(result, tuple):
                result[0].close()

    def _opened(self, result: tuple[Session, Interview] | Exception) -> None:
        """On the app's thread: the report is open and the interview built (or the opening
        failed: said as the usual opening says it, and the clerk goes back to the list)."""
        if not self.is_attached:
            if isinstance(result, tuple):
                result[0].close()
            return
        if isinstance(result, Exception):
            self.gk.opening_failed(self, result)
            return
        session, interview = result
        self._adopt(session, interview)
        self.loading_report = False
        self.gk.adopt(session)
        for note in session.notes:
            self.post(note, "note")
        session.notes = []
        send = False
        with self._step():
            send = self._take_over()
        self.gk.opened()
        if send:  # (outside the step: a step refuses to start another)
            self.action_send()

    def _take_over(self) -> bool:
        """Replace the note's question by the engine's, unless they are the same. True when an
        answer the clerk sent meanwhile is to be sent now: only to the question it was typed
        for, never another."""
        prompt = self.interview.prompt()
        view = self._view(prompt) if prompt is not None and prompt.kind != "grid" else None
        held, self._held = self._held, False
        shown, self._shown = self._shown, None
        if view is not None and view == shown and self.current_view is not None:
            self.prompt = prompt
            self._flush()  # the session's notes, if any
            self._refresh_outline()
            if self._hint != view.hint:  # "sent when ready" goes: it is sent now
                self._hint = view.hint
                self.query_one("#answer-hint", Static).update(view.hint)
            return held
        typed = self._typed(shown)
        self.ask()
        if typed:  # never lost: what the clerk typed stays in the box of the question now asked
            self._put_back(typed)
            if held:
                self.notify("打开报告后要回答的问题有变化，您发送的回答已放回输入框，请核对后再发送。",
                            title="问题有变化", severity="warning", timeout=8)
        return False

    def _typed(self, shown: opening.View | None) -> str:
        """What the clerk typed into the note's answer box (a drafted paragraph left as drafted
        is not typing)."""
        if self._is_shown(self._area):
            text = self._paragraph_box().text
            return text if shown is None or text != shown.box else ""
        return self.query_one("#answer-line", Input).value

    def _put_back(self, text: str) -> None:
        if self._is_shown(self._area):
            self._paragraph_box().text = text
        else:
            line = self.query_one("#answer-line", Input)
            line.value = text
            line.cursor_position = len(text)

    def _still_loading(self) -> bool:
        """While the report opens (well under a second), keys other than typing and sending
        wait; say so once."""
        if not self.loading_report:
            return False
        if not self._waiting_told:
            self._waiting_told = True
            self.notify("正在打开报告，请稍候……", timeout=3)
        return True

    def on_unmount(self) -> None:
        with self.gk.guard():
            self.keep_opening()

    def keep_opening(self) -> None:
        """The clerk leaves this report (Esc, Ctrl+Q): note the frame its next opening starts
        with (tui/opening.py). The next opening asks the first open question (the focus of a
        revisit is not kept in the file), so that is the question noted."""
        if self.loading_report:
            return
        sha256 = getattr(self.session.state, "sha256", None)
        if not isinstance(sha256, str):
            return
        fresh = self.interview
        if self.interview.navigator.focus is not None or self.interview.pending.focus is not None:
            fresh = build_interview(self.session, previous=self.interview.previous)
        prompt = fresh.prompt()
        if prompt is None or prompt.kind == "grid":  # the finish offer, the grid: the usual way
            opening.forget(self.session.path)
            return
        opening.write(self.session.path, self.session.workspace, sha256, opening_turns(self.session.report),
                      self._view(prompt), self._outline_rows(fresh, prompt.section))

    def on_resize(self, event: events.Resize) -> None:
        # The outline gives way first when the terminal gets narrow (F2 still shows it).
        preview = self._is_shown(self._preview_panel)
        self._show_outline(event.size.width >= (WIDE if preview else NARROW))
        if preview:
            self.call_after_refresh(self._refresh_preview)  # the compact tables fit the new width

    def post(self, text: str, role: str, *, extra: str = "") -> TurnView:
        """Queue a turn for the conversation; `ask` mounts the queue in one go (one layout pass)."""
        view = TurnView(text, role, extra=extra)
        self._pending.append(view)
        return view

    def _flush(self) -> None:
        if self._pending:
            views, self._pending = self._pending, []
            self.query_one("#conversation", Conversation).add(views)
            self.call_later(self._draw_turns, views)

    def _draw_turns(self, views: list[TurnView], *, retry: bool = True) -> None:
        """Draw as soon as this step is done instead of at the next tick of the screen's 60 Hz
        update timer (on average half a frame, 8 ms, of every answer). This is what the timer
        itself calls; Textual's own test pilot does the same.

        The widgets changed in this step tell the screen so only once each is next idle (a
        message later, after this call): the screen is told here that it needs a layout (the
        answer box may have changed) and which of them to draw again, so the one frame shows
        the whole step. While the app starts, its first screens are mounted in one batch that
        holds every frame: then the draw waits for the app's next turn, when the batch is over
        (else the first question waited for the footer's keys and a timer tick, ~50 ms).

        Then what waits for the turns to be seen (the collection of settle_memory): after this
        frame, not between the clerk's Enter and the next question."""
        conversation = self.query_one("#conversation", Conversation)
        conversation.settle()
        self.refresh(layout=True, repaint=False)
        main = self.query_one("#chat-main")
        drawn = draw_now(self, *(w for w in (*main.children, *self.query("#options-text"))
                                 if w.display and w.region))  # (shown before and after this step)
        if not drawn and retry and self.is_current:
            self.app.call_later(self._draw_turns, views, retry=False)
            return
        callbacks, self._after_frame = self._after_frame, []
        for view in views:
            if view.drawn is not None:
                callbacks.append(view.drawn)
                view.drawn = None
        for callback in callbacks:
            # The frame is out (handed to the terminal's writer): on the loop's next turn.
            (self.call_later if drawn else self.call_after_refresh)(callback)

    # ------------------------------------------------------------ asking
    def ask(self) -> None:
        """Show the current question (or the end of the interview) and fit the answer box to it."""
        if self.current_view is not None:
            self.current_view.remove()
            self.current_view = None
        self.prompt = self.interview.prompt()
        # After the frame that shows the question (ask always posts it): the outline, an option
        # list redrawn whole when a row changes, took ~5 ms of every answer's frame; a frame
        # later is soon enough for the counts beside the conversation.
        self._after_frame.append(self._refresh_outline)
        # The header names the file, renamed when the year or the agency changes. A new title
        # makes Textual repaint the whole screen, which it did in a frame of its own before the
        # turns were mounted (~12 ms before the next question could be drawn): after the frame.
        self._after_frame.append(self.sub_title_update)
        if not self._findings_known:
            self._after_frame.append(self._know_findings)
        if self.prompt is None:
            self._follow()
            line = self.query_one("#answer-line", AnswerLine)
            line.forget_history()
            if self._options_panel is not None:
                self._options_panel.display = False
            self.shown = None
            self.current_view = self.post(
                "所有问题都已回答。按 F10 检查并生成报告文件；也可以在左侧目录中选一部分修改。",
                "assistant", extra="-current")
            self._flush()
            line.display = True
            if self._area is not None:
                self._area.display = False
            line.value, line.placeholder = "", "按 F10 完成并导出"
            self._hint = "全部完成 · F10 检查并导出 · F2 目录 · F3 预览"
            self.query_one("#answer-hint", Static).update(self._hint)
            line.focus()
            if not self._finish_offered:
                self._finish_offered = True
                self.call_later(self.action_finish)
            return
        self._show(self._view(self.prompt))
        if self.prompt.kind == "grid":
            self.call_after_refresh(self.open_grid)
        self._refresh_preview()

    def _know_findings(self) -> None:
        """Once, after the first question is drawn: the report's findings, which every answer
        compares its own with. Checking a long narrative the first time takes a while (~200 ms for
        an 800 KB answers file; later checks rescan only what an answer changed): done while the
        clerk reads the question instead of inside the first answer."""
        if self._findings_known or self.loading_report:
            return
        self._findings_known = True
        with self.gk.guard():
            self.interview.findings()

    def _view(self, p: Prompt) -> opening.View:
        """The question as drawn: its turn, the answer box and its hint (no widget touched)."""
        long_list = len(p.options or []) > INLINE_OPTIONS
        text = self._question_text(p, with_options=not long_list)
        beside = self._last_year_figures(p)
        if beside:
            text += f"\n（去年：{beside}）"
        multiline = bool(getattr(p, "multiline", False)) or p.kind == "paragraph"
        return opening.View(
            qid=p.question.id, section=p.section, text=text, multiline=multiline,
            box=(p.default or "") if multiline else "",
            placeholder="" if multiline else self._placeholder(p),
            hint=f"{SEND_HINT_PARAGRAPH} · F1 帮助" if multiline else self._line_hint(p),
            options=self._options_text(p) if long_list else "")

    def _show(self, view: opening.View) -> None:
        """Draw a question: the engine's (ask), or the note's while the report opens."""
        self._follow()
        line = self.query_one("#answer-line", AnswerLine)
        line.forget_history()
        hint = self.query_one("#answer-hint", Static)
        if view.options:
            options_box, options_text = self._options_box()
            options_box.display = True
            options_text.update(view.options)
            options_box.scroll_home(animate=False)
        elif self._options_panel is not None:
            self._options_panel.display = False
        self.shown = view
        self.current_view = self.post(view.text, "assistant", extra="-current")
        if not self.loading_report:  # (while it opens the collector waits: see GkApp.opened)
            self.current_view.drawn = settle_memory  # the clerk reads now: collect garbage then
        self._flush()
        line.display = not view.multiline
        area = self._paragraph_box() if view.multiline else self._area
        if area is not None:
            area.display = view.multiline
        if self._hint != view.hint:  # an update lays the screen out again, even with the same text
            self._hint = view.hint
            hint.update(view.hint)
        if area is not None and view.multiline:
            area.text = view.box
            area.move_cursor((0, 0))  # the clerk reads a drafted paragraph from its start
            area.focus()
        else:
            line.value = ""
            line.placeholder = view.placeholder
            line.focus()

    def sub_title_update(self) -> None:
        self.gk.sub_title = self._path.name if self.loading_report else self.session.path.name

    def _last_year_figures(self, p: Prompt) -> str:
        """Last year's figures for the cells this question asks (report.draft.last_year.figures,
        keyed by cell id), to show beside this year's question in a re-run; "" when none."""
        from gkassist.model import cell_id

        last_year = self.session.report.draft.last_year
        if last_year is None or not last_year.figures or p.kind not in ("count", "counts", "money",
                                                                          "applicants", "table2"):
            return ""
        if p.kind == "table2":
            from gkassist.interview.parsers import last_year_proactive

            return last_year_proactive(last_year.figures)
        q = p.question
        paths = list(getattr(q, "fields", None) or []) or ([q.field] if q.field else [])
        labels = list(p.labels or [])
        figures = last_year.figures
        parts: list[str] = []
        for i, path in enumerate(paths):
            label = labels[i] if i < len(labels) else ""
            if path.startswith("proactive."):
                value = figures.get(cell_id("t2", *path.split(".")[1:]))
                if value is not None:
                    parts.append(f"{label} {value}".strip())
            elif path.startswith("applications.rows."):
                row = path.split(".")[2]
                cells = [(c, figures.get(cell_id("t3", row, c))) for c in fmt.COLUMN_KEYS]
                if all(v is None for _, v in cells):
                    continue
                given = [f"{fmt.COLUMN_LABEL[c]}{v}" for c, v in cells if v]
                parts.append(" ".join(given) if given else "0")
        return "，".join(parts)

    def _follow(self) -> None:
        """Bring the conversation back to its foot: the clerk may have scrolled up to read, and
        the next question must be in view once they answer."""
        self.query_one("#conversation", Conversation).follow()

    @staticmethod
    def _options_text(p: Prompt) -> str:
        lines = []
        for option in p.options or []:
            entry = f"{option.number}. {option.title}"
            if getattr(option, "reason", ""):
                entry += f"（{option.reason}）"
            lines.append(entry)
        return "\n".join(lines)

    @classmethod
    def _question_text(cls, p: Prompt, *, with_options: bool = True) -> str:
        lines = [f"【{p.section_label}】", p.text]
        if with_options:
            lines += ["  " + line for line in cls._options_text(p).splitlines()]
        elif p.options:
            lines.append(f"（{len(p.options)} 个选项列在下方的框里，可用鼠标滚轮或 PageUp/PageDown 翻看。）")
        if p.kind == "pick" and p.question.options == "suggestions":
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
            "pick": "填编号，可写几个，例如 1 3",
            "date": "例如 2026-01-20",
            "grid": "表三表格",
            "table2": "每组数字前写上是哪一项，只写有数字的项；全部为 0 就写 0",  # the example is in the question
        }
        what = kinds.get(p.kind, "")
        if p.question.field == "year":  # a count, but a year: its example is a year, not 件
            what = "填年份（2025、2025年、2025年度、二〇二五年 都可以）"
        elif p.question.id.startswith(PENDING_PREFIX):  # interview.pending.PendingQuestion
            what = "填编号；原文的数字不在其中就输入 填 数字"
        return " · ".join(x for x in (what, SEND_HINT_LINE, "F1 或 ? 帮助") if x)

    # ------------------------------------------------------------ answering
    @on(Input.Submitted, "#answer-line")
    def _line_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.send(event.value)

    def action_send(self) -> None:
        if self._is_shown(self._area):
            self.send(self._paragraph_box().text)
        else:
            self.send(self.query_one("#answer-line", Input).value)

    def send(self, text: str) -> None:
        if self.busy:
            return
        if self.loading_report:
            # Sent before the report is open (the note's question is on screen): held, and the
            # box as it is then is sent to that question once the engine is ready (_take_over).
            self._held = True
            self._hint = "正在打开报告，准备好后立即发送这个回答……"
            self.query_one("#answer-hint", Static).update(self._hint)
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
        # No automatic garbage collection until the next question's frame is out (its
        # settle_memory collects); the timer is the way out if no frame follows.
        hold_collector()
        self.app.set_timer(1.0, release_collector, name="release-collector")
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
            self.interview = build_interview(self.session)
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
        self._changed = True
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
        if self._is_shown(self._findings_panel):  # else filled when F4 shows it
            self._refresh_findings()
        self.ask()
        if self._fixing:
            # The finding that brought the clerk here is fixed: back to the finish screen,
            # which checks the report again.
            self._fixing = False
            self.call_later(self.action_finish)

    def _show_turns(self, turns: list[Turn]) -> None:
        for turn in turns:
            self.post(turn.text, turn.role, extra=_note_style(turn))

    def _save(self) -> None:
        note = self.session.save()  # (the header shows the file's new name after the frame: ask)
        if note:
            self.notify(note, title="已保存")

    def _lock(self, busy: bool) -> None:
        # Answers are applied synchronously inside the key handler, so no key can arrive while
        # one is being applied; the flag also stops a second send from a queued binding.
        # (Disabling the widgets instead would move focus and rebuild the footer each time.)
        self.busy = busy

    # ------------------------------------------------------------ grid
    def open_grid(self) -> None:
        from gkassist.tui.grid import GridScreen

        if self.prompt is None or self.prompt.kind != "grid" or isinstance(self.app.screen, GridScreen):
            return
        values = self.interview.grid_values()
        start, self._grid_start = self._grid_start, None
        self.app.push_screen(GridScreen(values, editable=set(GRID_ROWS), start=start), self._grid_done)

    def _grid_done(self, values: Values | None) -> None:
        if values is None:
            self.notify("表格未作修改。按 Enter 可以再打开。")
            if self._fixing:
                self._fixing = False
                self.call_later(self.action_finish)
            return
        with self._step(), self.session.saving(self.interview):
            result = self.interview.apply_grid(values)
            self._after_answer(result, "（已填好表三）")

    # ------------------------------------------------------------ moving around
    def action_skip(self) -> None:
        if self._still_loading():
            return
        if self.prompt is None:
            return
        self.gk.inputs += 1
        with self._step():
            self.interview.skip()
            self.post("（先跳过这一题，最后会再问。）", "note")
            self.ask()

    def action_back(self) -> None:
        if self._still_loading():
            return
        self.gk.inputs += 1
        with self._step():
            if self.interview.back() is None and self.prompt is None:
                return
            self.ask()

    @on(OptionList.OptionSelected, "#outline")
    def _outline_selected(self, event: OptionList.OptionSelected) -> None:
        section = event.option.id
        if not section or self._still_loading():
            return
        self.gk.inputs += 1
        if self.app.size.width < NARROW:
            self.query_one("#outline").display = False
        with self._step():
            self.interview.goto(section)
            from gkassist.interview import section_label

            self.post(f"（转到 {section_label(section)}）", "note")
            self.ask()

    @on(OptionList.OptionSelected, "#findings")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        self._findings().display = False
        self.jump_to_field(self._finding_fields[event.option_index])

    def _grid_cell(self, field: str) -> tuple[str, str] | None:
        """For a table-三 finding (`applications.rows.<row>[.<column>]`) while the grid question
        applies: (the grid question's id, the column), and the cell for the grid's cursor is
        kept in self._grid_start; None for any other finding.

        A rule on a row the grid does not edit (新收, 上年结转, 总计 — R1, R2) puts the cursor
        on the first outcome row of the same column: that column's balance is shown under the
        grid, and the outcomes are what the grid changes."""
        parts = field.split(".")
        if len(parts) < 3 or parts[:2] != ["applications", "rows"]:
            return None
        grid_q = next((q for q in self.interview.questions if q.kind == "grid"), None)
        applicable = getattr(self.interview, "_applicable_questions", None)
        if grid_q is None or (applicable is not None and grid_q not in applicable()):
            return None
        row = parts[2] if parts[2] in GRID_ROWS else GRID_ROWS[0]
        col = parts[3] if len(parts) > 3 and parts[3] in fmt.COLUMN_KEYS else fmt.COLUMN_KEYS[0]
        self._grid_start = (row, col)
        return (grid_q.id, col)

    def jump_to_field(self, field: str) -> bool:
        """Revisit the question that sets `field` (a Finding.field); for a table-三 finding, the
        grid with its cursor on the cell concerned. False when no question decides it."""
        if self._still_loading():
            return False
        with self._step():
            pending = self.interview.pending.for_field(field) if field else None
            if pending is not None:  # a 待核对 cell of the import: its own question, not the grid
                self.interview.goto_question(pending.id)
                self.ask()
                return True
            cell = self._grid_cell(field) if field else None
            if cell is not None:
                self.interview.goto_question(cell[0])
                self.ask()  # a grid question opens the grid, at self._grid_start
                return True
            question = self.interview.field_question(field) if field else None
            if question is None:
                self.notify("这个问题没有对应的提问，请在预览中核对，或用目录转到相应部分。",
                            severity="warning")
                return False
            self.interview.goto_question(question.id)
            self.ask()
            return True
        return False

    def _show_outline(self, show: bool) -> None:
        self.query_one("#outline").display = show
        if show and self._outline_stale:
            self._refresh_outline()

    @staticmethod
    def _outline_rows(interview: Interview, current: str | None) -> list[tuple[str, str]]:
        """The outline's rows (text, section): progress of each section, ▶ at `current`."""
        rows: list[tuple[str, str]] = []
        for sp in interview.progress():
            mark = "✓" if sp.done else ("▶" if sp.section == current else " ")
            count = f"{sp.answered}/{sp.total}"
            label = fit_cells(sp.label, OUTLINE_TEXT - cell_len(count) - 3)
            gap = " " * max(1, OUTLINE_TEXT - 2 - cell_len(label) - cell_len(count))
            rows.append((f"{mark} {label}{gap}{count}", sp.section))
        return rows

    def _refresh_outline(self) -> None:
        outline = self.query_one("#outline", OptionList)
        if not outline.display:
            self._outline_stale = True  # drawn when shown (F2, a wider terminal)
            return
        self._outline_stale = False
        if self.loading_report:
            assert self.note is not None
            rows = self.note.outline
        else:
            rows = self._outline_rows(self.interview, self.prompt.section if self.prompt else None)
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
            sections = [option.id for option in outline.options]
            if self.prompt is not None and self.prompt.section in sections:
                outline.highlighted = sections.index(self.prompt.section)
            outline.focus()

    def action_toggle_preview(self) -> None:
        if self._still_loading():
            return
        preview = self._preview()
        preview.display = not preview.display
        # Three panels do not fit a narrow terminal: the preview takes the outline's place.
        if self.app.size.width < WIDE:
            self._show_outline(not preview.display and self.app.size.width >= NARROW)
        self._refresh_preview()

    def action_toggle_findings(self) -> None:
        if self._still_loading():
            return
        panel = self._findings()
        if panel.display and panel.has_focus:
            panel.display = False
            self._focus_answer()
            return
        self._refresh_findings()
        panel.display = True
        panel.highlighted = 0
        panel.focus()

    def _focus_answer(self) -> None:
        (self._paragraph_box() if self._is_shown(self._area) else self.query_one("#answer-line", Input)).focus()

    def _refresh_preview(self) -> None:
        """Draw the preview once the layout is settled (its width decides the tables' layout)."""
        if self._is_shown(self._preview_panel):
            self.call_after_refresh(self._draw_preview)

    def _draw_preview(self) -> None:
        """Draw the preview (tables compact, never wrapped) and scroll it to the section of the
        question being answered."""
        preview = self._preview_panel
        if preview is None or not preview.display:
            return
        from gkassist.tui.preview import PARTS, build_preview

        assert PARTS == PREVIEW_PARTS, "the chat composes one Static per part of the preview"

        width = preview.scrollable_content_region.width or max(30, self.app.size.width // 2 - 4)
        parts = list(preview.query(".preview-part").results(Static))
        try:
            from gkassist.render import render_text

            text = render_text(self.session.report, "txt")
        except GkError as exc:
            parts[0].update(f"暂时无法预览：{exc.message}")
            for part in parts[1:]:
                part.update("")
            return
        # (the panel keeps its scrollbar's room, app.tcss: the width is the same before and after
        # the text fills it)
        shown = build_preview(self.session.report, text, width)
        for widget, name in zip(parts, PREVIEW_PARTS):
            widget.update(shown.parts[name])
        section = self.prompt.section if self.prompt is not None else None
        self.preview_section = section
        target = parts[PREVIEW_PARTS.index(section)] if section in PREVIEW_PARTS else parts[0]
        # once the new text is laid out: the heading of the section at the top of the panel
        preview.call_after_refresh(preview.scroll_to_widget, target, animate=False, top=True)

    def _refresh_findings(self) -> None:
        panel = self._findings()
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
        if self._still_loading():
            return
        if self.prompt is None:
            text = "所有问题都已回答。F10 检查并导出，F2 目录中选一部分可以修改。"
        else:
            text = self.prompt.help or "这一题没有更多说明。"
        text += ("\n\n常用按键：Enter 发送（多行段落用 Ctrl+S 或 F5）· F6 先跳过 · F7 回到上一题 · "
                 "F2 目录 · F3 预览 · F4 检查发现的问题 · F8 展开/收起更早的对话 · F9 导出 · F10 完成 · Esc 返回首页 · Ctrl+Q 退出。"
                 "\n回答框里：Ctrl+C 复制 · Ctrl+X 剪切 · Ctrl+V 粘贴 · Ctrl+A 全选 · Ctrl+Z 撤销。"
                 "\n每个回答一发送就已保存，随时退出都不会丢。")
        self.app.push_screen(MessageDialog("帮助", text))

    def action_page(self, direction: int) -> None:
        """PageUp/PageDown: the option box when a long list is shown, else the conversation."""
        box = self._options_panel
        shown = self._is_shown(box)
        conversation = self.query_one("#conversation", Conversation)
        if (not shown and direction < 0 and conversation.scroll_y <= 0
                and conversation.folding and conversation.folded):
            conversation.toggle_fold()  # at the top of what is shown: the earlier turns come back
            return
        target = box if box is not None and shown else conversation
        (target.scroll_page_down if direction > 0 else target.scroll_page_up)(animate=False)

    def action_fold(self) -> None:
        self.query_one("#conversation", Conversation).toggle_fold()

    def action_export(self) -> None:
        """F9: export now, through the finish screen (it checks first and never overwrites a
        file the clerk has edited; a copied-looking part needs a confirmation there)."""
        self.action_finish(export_now=True)

    def action_finish(self, export_now: bool = False) -> None:
        from gkassist.tui.finish import FinishScreen

        if self._still_loading():
            return
        if isinstance(self.app.screen, FinishScreen):
            return
        screen = FinishScreen(self.session, self.interview,
                              auto_export=self._changed, export_now=export_now)
        self.app.push_screen(screen, self._finish_done)

    def _finish_done(self, field: str | None) -> None:
        if field:
            self._fixing = True
            if not self.jump_to_field(field) or self.prompt is None:
                self._fixing = False
        else:
            self._focus_answer()

    def action_leave(self) -> None:
        if self._still_loading():
            return
        self.gk.back_to_start()

