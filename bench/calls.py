"""Count the work of each answer: Python function calls from the clerk's key to the frame that
shows the next question, over the zero-request township interview of bench/_interview.py.

    python bench/calls.py

Milliseconds on a shared host move with its load (docs/benchmarks.md); this count does not: the
same code gives the same figures on every run and every machine with the same packages, so it says
whether a change made an answer cheaper. Counted with sys.setprofile ("call" and "c_call" events),
from the moment the key is delivered until the frame watch sees the next question.
"""

from __future__ import annotations

import asyncio
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


def main() -> int:
    rows = count_calls()
    width = max(len(q) for q, _ in rows)
    for question, n in rows:
        print(f"{question:<{width}}  {n:>9,}")
    print(f"{'total':<{width}}  {sum(n for _, n in rows):>9,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
