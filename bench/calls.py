"""Count the work of each answer: Python function calls from the clerk's key to the frame that
shows the next question, over the zero-request township interview of bench/_interview.py; and of
the start: calls from the app's start to the frame with the first question (gkassist reopening a
report, as bench/run.py times it) or with its label (a bare Textual app), each in a fresh process.

    python bench/calls.py

Milliseconds on a shared host move with its load (docs/benchmarks.md); this count does not: the
same code gives the same figures on every run and every machine with the same packages, so it says
whether a change made an answer cheaper. Counted with sys.setprofile ("call" and "c_call" events),
from the moment the key is delivered until the frame watch sees the next question.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _frames  # noqa: E402
import _interview  # noqa: E402


def count_calls() -> list[tuple[str, int]]:
    count = 0
    counted: list[int] = []

    def profile(frame, event, arg) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    send = _frames.send_key
    watch_init = _frames.FrameWatch.__init__

    def send_key(app, key: str) -> None:
        nonlocal count
        count = 0
        sys.setprofile(profile)
        send(app, key)

    def init(self, app) -> None:
        watch_init(self, app)
        from gkassist.tui.compat import watch_frames

        def stop(screen, update) -> None:  # after the watch's own hook has seen the question
            if self.shown_at is not None and sys.getprofile() is profile:
                sys.setprofile(None)
                counted.append(count)

        watch_frames(app, stop)

    _frames.send_key, _frames.FrameWatch.__init__ = send_key, init  # type: ignore[method-assign]
    try:
        with tempfile.TemporaryDirectory(prefix="gkassist-calls-") as tmp:
            result = asyncio.run(_interview.interview(Path(tmp)))
    finally:
        _frames.send_key, _frames.FrameWatch.__init__ = send, watch_init  # type: ignore[method-assign]
    return [(s["question"], n) for s, n in zip(result["samples"], counted, strict=False)]


async def _count_start(kind: str, args: list[str]) -> int:
    """In this (fresh) process: calls from `app.run_test` to the first frame with the needle."""
    import _start

    app, needle = _start.build(kind, args)
    watch = _frames.FrameWatch(app)
    watch.arm(needle)
    count = 0

    def profile(frame, event, arg) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    from gkassist.tui.compat import watch_frames

    def stop(screen, update) -> None:  # after the watch's own hook has seen the needle
        if watch.shown_at is not None and sys.getprofile() is profile:
            sys.setprofile(None)

    watch_frames(app, stop)
    sys.setprofile(profile)
    async with app.run_test(headless=True, size=_start.SIZE):
        await watch.wait()
        sys.setprofile(None)
        app.exit()
    return count


def count_start() -> dict[str, int]:
    """{"bare": n, "gkassist": n}: each counted in a child process started as bench/run.py starts
    them (gkassist after one unmeasured start: the script's check noted, the file's frame noted)."""
    from gkassist import store
    from gkassist.model import Report

    def child(*args: str, cache: Path) -> int:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8", "GKASSIST_CACHE_DIR": str(cache),
               "PYTHONPATH": str(Path(__file__).resolve().parent.parent) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        proc = subprocess.run([sys.executable, __file__, "--start", *args], capture_output=True, text=True,
                              encoding="utf-8", env=env, timeout=120)
        for line in proc.stdout.splitlines():
            if line.startswith("CALLS "):
                return int(json.loads(line[6:]))
        raise RuntimeError(f"the start count failed (exit {proc.returncode}):\n{proc.stderr[-2000:]}")

    with tempfile.TemporaryDirectory(prefix="gkassist-calls-") as tmp:
        workspace = Path(tmp)
        answers = workspace / "新报告.json"
        store.save_report(Report(), answers)
        gk = ("gkassist", str(workspace), str(answers))
        child(*gk, cache=workspace / "cache")
        return {"bare": child("bare", cache=workspace / "cache"), "gkassist": child(*gk, cache=workspace / "cache")}


def main() -> int:
    if sys.argv[1:2] == ["--start"]:
        print("CALLS " + json.dumps(asyncio.run(_count_start(sys.argv[2], sys.argv[3:]))), flush=True)
        return 0
    start = count_start()
    print(f"start, app start → first frame: gkassist {start['gkassist']:,}, bare Textual app {start['bare']:,}")
    rows = count_calls()
    width = max(len(q) for q, _ in rows)
    for question, n in rows:
        print(f"{question:<{width}}  {n:>9,}")
    print(f"{'total':<{width}}  {sum(n for _, n in rows):>9,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
