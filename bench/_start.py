"""Bench helper: start an app headless in this fresh process and say SHOWN when its first
question (gkassist) or its one label (bare Textual) is on screen.

    python bench/_start.py gkassist WORKSPACE ANSWERS.json   # as `gkassist draft ANSWERS.json`
    python bench/_start.py bare

The parent (bench/run.py) times from spawning this process to reading the SHOWN line, less the time
the line waited behind the app's own work after the frame (printed_ms − shown_ms), so the
interpreter's start, every import and the app's start up to the frame are all counted. The line
also carries this process's own split (imports done, first frame) for finding where the time goes.
"""

from __future__ import annotations

import time

T0 = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

SIZE = (120, 36)
BARE_TEXT = "政府信息公开工作年度报告"


def _question_needle(screen) -> str | None:
    """The first words of the current question, once the chat has put it in the conversation
    (`shown`: the question as drawn, whether the engine or the note of the last sitting —
    tui/opening.py — gave it; its first line is the section's heading)."""
    shown = getattr(screen, "shown", None)
    if type(screen).__name__ != "ChatScreen" or shown is None or screen.current_view is None:
        return None
    return shown.text.strip().splitlines()[1][:10]


def build(kind: str, args: list[str]):
    if kind == "bare":
        from textual.app import App
        from textual.widgets import Label

        class Bare(App):
            def compose(self):
                yield Label(BARE_TEXT)

        return Bare(), lambda screen: BARE_TEXT
    from gkassist.tui.app import make_app

    return make_app(workspace=Path(args[0]), report_path=Path(args[1])), _question_needle


async def main(kind: str, args: list[str]) -> dict:
    from _frames import FrameWatch

    app, needle = build(kind, args)
    t_imported = time.perf_counter()
    watch = FrameWatch(app)
    watch.arm(needle)
    async with app.run_test(headless=True, size=SIZE):
        shown = await watch.wait()
        # CPU time of this process so far (interpreter start included): on a machine shared with
        # other busy work the wall clock mostly measures the others; this much less so.
        # printed_ms: this line is written only when the app's event loop lets this coroutine run
        # again, after the work the app queued behind the frame (a relayout on the terminal's
        # size, the footer's keys …); the parent takes that delay off (see run._start_once).
        # cpu_ms: at the frame; cpu_line_ms: at this line, the work queued behind the frame
        # included (gkassist mounts the parts that start hidden there: chat._mount_later).
        print("SHOWN " + json.dumps({"imports_ms": (t_imported - T0) * 1000,
                                     "shown_ms": (shown - T0) * 1000,
                                     "cpu_ms": (watch.shown_cpu or 0.0) * 1000,
                                     "cpu_line_ms": time.process_time() * 1000,
                                     "printed_ms": (time.perf_counter() - T0) * 1000}), flush=True)
        app.exit()
    return {}


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2:]))
