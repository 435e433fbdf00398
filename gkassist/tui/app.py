"""The Textual application: screens wiring, the error guard, export, and `run_app` for the CLI.

Screens: start.StartScreen (the workspace's answers files and the ways to begin) → chat.ChatScreen
(the interview; opens grid.GridScreen for table 三) → finish.FinishScreen (check, then export).
A new report is saved at once under a provisional name and renamed when named (see session.py).

Notes on the interview API (gkassist.interview), for its owner and the lead:
- Everything the UI needs is there; nothing is missing.
- progress() counts only questions answered in this draft, so an imported report or the example
  shows 0/N on the start screen although every field is filled (its questions are asked again
  with the imported value as the default).
- After goto(section) and one answer the interview returns to the first unanswered question
  rather than walking on through the chosen section.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen

from gkassist.crashlog import crash_sentence
from gkassist.errors import GkError
from gkassist.tui import opening
from gkassist.tui.compat import LastGuard, pause_collector, release_collector, resume_collector

# The store, the model and the engine are imported where they are used: a report whose first
# frame is noted (tui/opening.py) is drawn before they are loaded.
if TYPE_CHECKING:
    from gkassist.tui.chat import ChatScreen
    from gkassist.tui.session import Session

T = TypeVar("T")


def warm_up() -> None:
    """Compile and import what start-up left for first use — the question script's templates and
    the paragraph library's (~75 ms), the checks and the punctuation normaliser (imported at their
    first use, ~50 ms of regular expressions and word lists) — so that no answer waits for them."""
    import importlib

    from gkassist.interview.script import warm_up as script_warm_up
    from gkassist.library import warm_up as library_warm_up

    for name in ("gkassist.checks", "gkassist.textnorm"):  # the first answer's findings, paragraphs
        importlib.import_module(name)
    script_warm_up()
    library_warm_up()


class StartSlot(Screen[None]):
    """Holds the start screen's place under a report opened directly (`gkassist draft X.json`).

    Building and filling the real start screen (a progress count and a check of every answers
    file in the workspace) delayed the first question; it is put in this place only when the
    clerk goes back to it (Esc → 首页), so the screen stack keeps its shape either way."""


class GkApp(LastGuard):
    """gkassist's drafting app: start screen → chat interview (with grid and pick) → finish."""

    CSS_PATH = "app.tcss"
    TITLE = "政府信息公开工作年度报告 起草助手"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        # Quitting is Ctrl+Q only. Ctrl+C copies in the answer boxes (office habit); elsewhere
        # it does nothing rather than throwing the clerk out mid-sentence.
        Binding("ctrl+q", "quit", "退出", priority=True),
        Binding("ctrl+c", "copy_hint", show=False, system=True),
    ]

    def __init__(self, *, workspace: Path, report_path: Path | None = None) -> None:
        super().__init__()
        self.workspace = Path(workspace)
        self.report_path = Path(report_path) if report_path else None
        self.session: Session | None = None
        self.inputs = 0
        """Clerk inputs so far: answers sent plus keystrokes in the grid (the effort benchmark)."""
        self.internal_errors: list[Exception] = []
        """Bugs the chat recovered from (logged, step dropped); tests assert there were none."""
        self._resume_gc = False
        self._warmed_up = False
        self._opening = False  # a chat drawn from a note is opening its report in a thread

    # ------------------------------------------------------------ screens
    def on_mount(self) -> None:
        # Opening the first screen creates tens of thousands of objects that live as long as the
        # app (the chat's widgets and styles, the question script, the interview) and hardly any
        # garbage; the cyclic collector would scan them over and over meanwhile (~25 ms before
        # the first question). It is paused until that screen is drawn.
        self._resume_gc = pause_collector()
        self.call_after_refresh(self._started)
        if self.report_path is None:
            from gkassist.tui.start import StartScreen

            self.push_screen(StartScreen())
            return
        self.push_screen(StartSlot())
        note = opening.read(self.report_path, self.workspace)
        if note is not None:
            # This very file was shown before: its frame at once, the report opened in a thread.
            from gkassist.tui.chat import ChatScreen

            self._opening = True
            self.sub_title = self.report_path.name
            self.push_screen(ChatScreen(note=note, path=self.report_path))
            return
        with self.guard():
            from gkassist.tui.session import open_session

            self.open_report(open_session(self.report_path, self.workspace))
        if isinstance(self.screen, StartSlot):
            self._show_start()  # the file could not be opened: the clerk starts from the list

    def _started(self) -> None:
        """The first screen is drawn: the garbage collector works again, and the templates not
        compiled at start are compiled in idle moments while the clerk reads."""
        if self._opening:
            return  # the chat opens the report in a thread, which warms up too (opened)
        self._resume_collector()
        if not self._warmed_up:
            # In one go: the question has just appeared and nobody answers within 0.1 s, while
            # compiling in small steps later would land inside the first answers' replies.
            self._warmed_up = True
            with self.guard():
                warm_up()

    def adopt(self, session: Session) -> None:
        """The chat opened from a note has opened its report: the app keeps it (as open_report)."""
        self.session = session
        self.sub_title = session.path.name
        if session.readonly:
            self.notify(session.readonly, title="只读", severity="warning", timeout=15)

    def opened(self) -> None:
        """The chat opened from a note is ready (its thread warmed up as well): as `_started`."""
        self._opening = False
        self._warmed_up = True
        self._resume_collector()
        from gkassist.tui.chat import settle_memory

        self.call_after_refresh(settle_memory, freeze=True)

    def opening_failed(self, screen: ChatScreen, error: Exception) -> None:
        """The report behind a noted frame could not be opened after all (changed under us,
        a disk error …): said as the usual opening says it; the clerk starts from the list."""
        self._opening = False
        self._resume_collector()
        opening.forget(screen._path)
        with self.guard():
            raise error
        while len(self.screen_stack) > 2:  # as back_to_start
            self.pop_screen()
        self.sub_title = ""
        if isinstance(self.screen, StartSlot):
            self._show_start()

    def _resume_collector(self) -> None:
        was, self._resume_gc = self._resume_gc, False
        resume_collector(was)

    def on_unmount(self) -> None:
        if self.session is not None:
            self.session.close()  # the next window may edit the report
        self._resume_collector()  # never leave the collector paused, even if nothing was drawn
        release_collector()

    def _show_start(self) -> None:
        """Put the real start screen in the place StartSlot kept for it (the top of the stack)."""
        from gkassist.tui.start import StartScreen

        self.switch_screen(StartScreen())

    def open_report(self, session: Session) -> None:
        """Show the chat for `session` on top of the start screen."""
        from gkassist.tui.chat import ChatScreen

        if self.session is not None and self.session is not session:
            self.session.close()
        self.session = session
        self.sub_title = session.path.name
        self.push_screen(ChatScreen(session))
        if session.readonly:  # said in the conversation too; a notice makes sure it is seen
            self.notify(session.readonly, title="只读", severity="warning", timeout=15)

    def back_to_start(self) -> None:
        from gkassist.tui.start import StartScreen

        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.sub_title = ""
        if self.session is not None:
            self.session.close()
        self.session = None
        if isinstance(self.screen, StartSlot):
            self._show_start()  # first time back from a directly opened report
        elif isinstance(self.screen, StartScreen):
            self.screen.reload()
        else:
            self.pop_screen()
            if isinstance(self.screen, StartScreen):
                self.screen.reload()

    def action_copy_hint(self) -> None:
        """Ctrl+C outside a text box: it copies inside the boxes; say how to quit instead."""
        self.notify("Ctrl+C 用来复制（在回答框中）。要退出请按 Ctrl+Q；每个回答都已保存。",
                    timeout=4)

    # ------------------------------------------------------------ errors
    @contextmanager
    def guard(self, what: str = "") -> Iterator[None]:
        """Run a step; a GkError becomes a Chinese notification instead of ending the app, and
        any other failure (an import of a strange file, say) is logged and reported the same way."""
        try:
            yield
        except GkError as exc:
            self.show_error(f"{what}{exc.message}")
        except Exception as exc:  # noqa: BLE001 — the clerk keeps the app and every saved answer
            self.internal_errors.append(exc)
            self.show_error(f"{what}程序内部错误（{type(exc).__name__}），这一步没有完成；已保存的回答不受影响。"
                            + crash_sentence(exc))

    def run_guarded(self, fn: Callable[..., T], *args: Any, what: str = "", **kwargs: Any) -> T | None:
        with self.guard(what):
            return fn(*args, **kwargs)
        return None

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        # Notices carry file names and typed text: "[b]" in a name is text, not a style.
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def show_error(self, message: str) -> None:
        self.bell()
        self.notify(message, title="出错了", severity="error", timeout=10)

    def last_words(self, error: Exception) -> Text:
        # The last guard (compat.LastGuard). Never a traceback on a clerk's screen: a GkError is
        # said in Chinese; anything else goes to a log file and the clerk is told where it is.
        if isinstance(error, GkError):
            return Text(f"错误：{error.message}")
        return Text.assemble(
            ("程序内部错误", "red"),
            f"（{type(error).__name__}）。已保存的回答不受影响，重新打开即可继续。\n" + crash_sentence(error))


def make_app(*, workspace: Path, report_path: Path | None = None) -> GkApp:
    """The app as the CLI and the tests build it."""
    return GkApp(workspace=workspace, report_path=report_path)


def run_app(workspace: Path, report_path: Path | None = None) -> int:
    """Run the app in this terminal; 0 when the clerk quits normally."""
    try:
        from gkassist.tui.win32_keys import install
    except ImportError:
        pass
    else:
        install()
    from gkassist.workspace import ensure_workspace

    workspace = ensure_workspace(workspace)
    if report_path is not None and opening.read(Path(report_path), workspace) is None:
        # A bad file is reported before the screen opens; a file whose frame is noted was
        # opened in the app as it is now (the same bytes), so that is not asked again.
        from gkassist.tui.session import open_session

        open_session(Path(report_path), workspace, lock=False)
    app = make_app(workspace=workspace, report_path=report_path)
    code = app.run()
    return code if isinstance(code, int) else (app.return_code or 0)
