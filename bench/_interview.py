"""Bench helper: the zero-request township interview of bench/effort.py through the real app,
timing each answer until the next question is on screen; prints one JSON line.

    python bench/_interview.py [--tracemalloc] [--repeat N]

Each answer is typed into the answer box and sent with the key a clerk presses (Enter, or Ctrl+S
for a paragraph), delivered as Pilot delivers keys; the clock stops at the first frame whose
terminal output holds the next question's first words (see _frames.py). The last answer is timed
to the finish screen's first frame (it runs check and writes four formats before it is drawn).
With --tracemalloc the peak of Python allocations over the whole run (imports included) is
reported; ru_maxrss is the process's resident peak (measure it without --tracemalloc, whose
own bookkeeping inflates it).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tracemalloc
from pathlib import Path

if "--tracemalloc" in sys.argv:
    tracemalloc.start()

import asyncio  # noqa: E402
import tempfile  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

SIZE = (120, 36)


def _needle_for_question(old_view):
    def needle(screen):
        prompt = getattr(screen, "prompt", None)
        view = getattr(screen, "current_view", None)
        if type(screen).__name__ != "ChatScreen" or prompt is None or view is None or view is old_view:
            return None
        return prompt.text.strip().splitlines()[0][:10]
    return needle


def _needle_for_finish(screen):
    # The summary line; the finish screen has already run check and exported when it is drawn.
    return "检查结果" if type(screen).__name__ == "FinishScreen" else None


async def interview(workspace: Path) -> dict:
    from _frames import FrameWatch, send_key
    from effort import ZERO_REQUEST_TOWNSHIP as scenario

    from gkassist.tui.app import make_app
    from gkassist.tui.chat import ChatScreen
    from gkassist.tui.finish import FinishScreen

    app = make_app(workspace=workspace)
    samples: list[dict] = []
    finish_ms = None
    async with app.run_test(headless=True, size=SIZE) as pilot:
        watch = FrameWatch(app)
        await pilot.pause()
        await pilot.press("n")  # 新建报告
        await pilot.pause()
        for _ in range(200):
            screen = app.screen
            if isinstance(screen, FinishScreen):
                break
            assert isinstance(screen, ChatScreen), f"unexpected screen {screen!r}"
            prompt = screen.prompt
            assert prompt is not None and prompt.kind != "grid", "the township scenario has no grid"
            qid = prompt.question.id
            text = scenario.answers[qid]
            area = screen.query_one("#answer-text")
            if area.display:
                if text:
                    area.text = text
                key = "ctrl+s"
            else:
                screen.query_one("#answer-line").value = text
                key = "enter"
            # The clerk's typing was drawn as they typed: the clock starts at their key, with the
            # answer already on screen (without this pause the first frame after the key drew
            # the answer box's new text too, ~5 ms that typing does not cost at that moment).
            await pilot.pause()
            last = screen.current_view
            is_last = len(screen.interview.missing()) == 1
            watch.arm(_needle_for_finish if is_last else _needle_for_question(last))
            t0 = time.perf_counter()
            send_key(app, key)
            shown = await watch.wait()
            ms = (shown - t0) * 1000
            if is_last:
                finish_ms = ms
            else:
                samples.append({"question": qid, "kind": prompt.kind, "ms": ms, "frames": watch.frames})
            await pilot.pause()  # let everything settle before the next answer (not timed)
        else:
            raise AssertionError("the interview did not end")
        assert not app.internal_errors, app.internal_errors
        exported = list(app.session.report.draft.exported) if app.session else []
    return {"samples": samples, "finish_ms": finish_ms, "exported": exported}


def big_report(workspace: Path) -> tuple[Path, int]:
    """The example report with two narratives long enough for an answers file of about 840 KB
    (issue 16: an answer in the app stays under 100 ms with it), saved in `workspace`."""
    from _longtext import long_report

    from gkassist import store

    report = long_report()
    path = workspace / "长报告.json"
    store.save_report(report, path)
    return path, path.stat().st_size


async def big_answers(workspace: Path, count: int) -> dict:
    """Open the long report as `gkassist draft` does and send `count` answers, each the question's
    own default (what pressing Enter on a filled-in report does); each answer saves the 840 KB file."""
    from _frames import FrameWatch, send_key

    from gkassist.tui.app import make_app
    from gkassist.tui.chat import ChatScreen

    path, size = big_report(workspace)
    app = make_app(workspace=workspace, report_path=path)
    samples: list[dict] = []
    async with app.run_test(headless=True, size=SIZE) as pilot:
        watch = FrameWatch(app)
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, ChatScreen) and app.screen.prompt is not None:
                break
        while len(samples) < count:
            screen = app.screen
            assert isinstance(screen, ChatScreen), f"unexpected screen {screen!r}"
            prompt = screen.prompt
            if prompt is None or prompt.kind == "grid" or len(screen.interview.missing()) <= 1:
                break
            area = screen.query_one("#answer-text")
            if area.display:
                area.text = prompt.default
                key = "ctrl+s"
            else:
                screen.query_one("#answer-line").value = prompt.default
                key = "enter"
            await pilot.pause()  # as in interview(): the answer box is drawn before the key
            last = screen.current_view
            watch.arm(_needle_for_question(last))
            t0 = time.perf_counter()
            send_key(app, key)
            shown = await watch.wait()
            samples.append({"question": prompt.question.id, "kind": prompt.kind,
                            "ms": (shown - t0) * 1000, "frames": watch.frames})
            await pilot.pause()
        assert not app.internal_errors, app.internal_errors
    return {"samples": samples, "size": size}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--big", type=int, default=0,
                        help="instead: N answers in the app with an ~840 KB answers file open")
    args = parser.parse_args()
    if args.big:
        with tempfile.TemporaryDirectory(prefix="gkassist-bench-") as tmp:
            result = asyncio.run(big_answers(Path(tmp), args.big))
        print("RESULT " + json.dumps(result, ensure_ascii=False), flush=True)
        return 0
    from _probe import cpu_probe

    runs = []
    probes = [cpu_probe(3)]  # the host's speed before, between and after the interviews
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="gkassist-bench-") as tmp:
            runs.append(asyncio.run(interview(Path(tmp))))
        probes.append(cpu_probe(3))
    out: dict = {"runs": runs, "probes": probes}
    if args.tracemalloc:
        out["tracemalloc_peak_bytes"] = tracemalloc.get_traced_memory()[1]
    try:
        import resource

        # Linux reports kilobytes, macOS bytes.
        scale = 1 if sys.platform == "darwin" else 1024
        out["maxrss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale
    except ImportError:  # Windows
        out["maxrss_bytes"] = None
    print("RESULT " + json.dumps(out, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
