"""Bench helper: notice the first frame that puts a given text on the (headless) screen.

Textual's headless driver skips turning a compositor update into terminal output. To time "on
screen" honestly we wrap App._display: every update after `arm()` is rendered to the terminal
sequence a real terminal would receive (through gkassist.tui.compat.watch_frames, which wraps App._display) (so that cost is counted) and searched for the text that
must appear. Pilot's pause() sleeps in 20 ms steps, too coarse for a 50 ms target, so the timing
never goes through it.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable

from gkassist.tui.compat import watch_frames

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07|\x1b[()][A-Z0-9]")

# Given the screen being displayed, return the text that must be visible, or None (not yet).
Needle = Callable[[object], "str | None"]


class FrameWatch:
    """Watches every frame (gkassist.tui.compat.watch_frames); `arm(needle)` then `await wait()` gives the perf_counter time of the
    first frame whose terminal output contains the needle."""

    def __init__(self, app) -> None:
        self.app = app
        self._needle: Needle | None = None
        self._event = asyncio.Event()
        self.shown_at: float | None = None
        self.shown_cpu: float | None = None  # this process's CPU time (time.process_time) then
        self.frames = 0
        def on_frame(screen, renderable) -> None:
            if self._needle is None or renderable is None or not hasattr(renderable, "render_segments"):
                return
            self.frames += 1
            output = renderable.render_segments(app.console)  # what a terminal would be sent
            want = self._needle(screen)
            if want and want in _ANSI.sub("", output):
                self.shown_at = time.perf_counter()
                self.shown_cpu = time.process_time()
                self._needle = None
                self._event.set()

        watch_frames(app, on_frame)  # the one private hook, kept in gkassist/tui/compat.py

    def arm(self, needle: Needle) -> None:
        self._needle = needle
        self.shown_at = None
        self.shown_cpu = None
        self.frames = 0
        self._event = asyncio.Event()

    async def wait(self, timeout: float = 30.0) -> float:
        await asyncio.wait_for(self._event.wait(), timeout)
        assert self.shown_at is not None
        return self.shown_at


def key_event(key: str):
    """The Key event Pilot.press would send for `key` (same name → character mapping)."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def send_key(app, key: str) -> None:
    """Deliver a key the way Pilot does (through the driver), without Pilot's idle waits."""
    event = key_event(key)
    event.set_sender(app)
    app._driver.send_message(event)
