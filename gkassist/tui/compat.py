"""Every use of Textual's private internals, in one place (and the global garbage-collector tuning).

Each helper names the private attribute it relies on in PRIVATE_API; tests/test_tui_compat.py
fails loudly on a Textual version where one of them no longer exists, so a user on a newer 8.x
never meets a silently broken immediate draw, frame watch or error guard."""

from __future__ import annotations

import gc
from collections.abc import Callable
from typing import Any

from rich.console import RenderableType
from textual.app import App
from textual.screen import Screen
from textual.widget import Widget

# (class, private attribute) this module relies on.
PRIVATE_API: tuple[tuple[type, str], ...] = (
    (App, "_handle_exception"),
    (App, "_close_messages_no_wait"),
    (App, "_display"),
    (Screen, "_on_timer_update"),
)
# Instance attributes set in __init__ (checked on a live object by the test).
PRIVATE_INSTANCE_API: tuple[tuple[type, str], ...] = (
    (App, "_exception"),
    (App, "_exit_renderables"),
    (App, "_return_code"),
    (App, "_batch_count"),
    (Screen, "_dirty_widgets"),
)


class LastGuard(App[Any]):
    """An App whose unhandled errors end it with a message instead of a traceback: Textual has no
    public hook for that, so `_handle_exception` is overridden here and only here."""

    def last_words(self, error: Exception) -> RenderableType:
        """What the terminal shows after the app closed on `error` (override)."""
        return f"错误：{error}"

    def _handle_exception(self, error: Exception) -> None:
        self._return_code = 1
        if self._exception is None:  # Pilot re-raises this in tests
            self._exception = error
            self._exception_event.set()
        self._exit_renderables.append(self.last_words(error))
        self._close_messages_no_wait()


def draw_now(screen: Screen[Any], *changed: Widget) -> bool:
    """Draw the screen now instead of at the next tick of its update timer (what the timer calls),
    with the `changed` widgets (refreshed in this step, shown before and after it) drawn again:
    each would tell the screen so itself only once it is next idle, a message after this call.
    False when nothing could be drawn: the screen is not the one shown, or the app holds every
    frame in a batch (as while it mounts its first screens)."""
    if not screen.is_current or screen.app._batch_count:
        return False
    screen._dirty_widgets.update(changed)
    screen._on_timer_update()
    return True


def watch_frames(app: App[Any], on_frame: Callable[[Any, Any], None]) -> None:
    """Call `on_frame(screen, renderable)` after every frame the app sends to the terminal (bench)."""
    original = app._display

    def display(screen: Any, renderable: Any) -> None:
        original(screen, renderable)
        on_frame(screen, renderable)

    app._display = display  # type: ignore[method-assign]


# ------------------------------------------------------------------ the garbage collector
# While the first screen is built (tens of thousands of long-lived objects, hardly any garbage)
# the cyclic collector is paused; after each drawn answer a collection runs while the clerk reads,
# and what lives on is frozen out of later collections (see chat.settle_memory for the figures).


def pause_collector() -> bool:
    """Pause the cyclic collector; True when it was running (pass that to resume_collector)."""
    was = gc.isenabled()
    gc.disable()
    return was


def resume_collector(was_enabled: bool) -> None:
    if was_enabled:
        gc.enable()


_held = False


def hold_collector() -> None:
    """Pause the cyclic collector from a clerk's key until the frame answering it is out
    (`collect`, called after that frame, resumes it). Between the two, the automatic collections
    (gen 0 and 1: ~2 ms an answer, up to 11 ms) would only delay the next question; the
    collection after the frame finds the same garbage. Call `release_collector` on every way
    out that draws nothing (the chat also sets a timer)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release_collector() -> None:
    global _held
    if _held:
        _held = False
        gc.enable()


def collect(*, freeze: bool) -> None:
    release_collector()
    gc.collect()
    if freeze:
        gc.freeze()
