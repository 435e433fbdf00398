"""Windows only: let Shift-punctuation typed with a Chinese input method reach Textual.

Textual's Windows input thread (`textual/drivers/win32.py`, `EventMonitor.run`) skips every
key-down record whose virtual key code is 0 while a modifier is held (Textual issue #6667).
Microsoft Pinyin delivers ：？！“”《》 exactly like that — Shift is down and the key code is 0 —
so those characters never arrive. We wrap the console-read function the thread calls
(`KERNEL32.ReadConsoleInputW` of that module) and give such records a non-zero key code
(VK_PACKET, the code Windows itself uses for characters injected without a key) before the
filter sees them. Nothing is touched on other platforms or on a Textual that no longer filters.
"""

from __future__ import annotations

import inspect
import os
import sys
from collections.abc import Callable, Iterable
from types import ModuleType
from typing import Any, TypeVar

KEY_EVENT = 0x0001
VK_PACKET = 0xE7
# The condition in EventMonitor.run that drops the records; present through Textual 8.2.8.
FILTER_SOURCE = "wVirtualKeyCode == 0"
# The upstream fix (PR #6689) keeps the filter but adds a test of the character; any of these in
# the condition means the characters get through without us.
_CHARACTER_TESTS = ("not key", "key ==", "key !=", "UnicodeChar", "\\x00", "isprintable")
LAST_KNOWN_FILTERING = (8, 2, 8)
_MARK = "_gkassist_fixes_vk0"

R = TypeVar("R", bound=Any)


def _printable(ch: str) -> bool:
    if not ch or ch == "\x00":
        return False
    # Half of a surrogate pair (an emoji from the input method) is printable once joined.
    return ch.isprintable() or "\ud800" <= ch <= "\udfff"


def fix_records(records: Iterable[R]) -> Iterable[R]:
    """Give a key-down record with a printable character and key code 0 the code VK_PACKET.

    `records` are INPUT_RECORD-like objects (EventType, Event.KeyEvent.{bKeyDown,
    wVirtualKeyCode, uChar.UnicodeChar}); they are changed in place and returned.
    """
    for record in records:
        if record.EventType != KEY_EVENT:
            continue
        key = record.Event.KeyEvent
        if key.bKeyDown and key.wVirtualKeyCode == 0 and _printable(key.uChar.UnicodeChar):
            key.wVirtualKeyCode = VK_PACKET
    return records


def _target(ref: Any) -> Any:
    """The object behind a `ctypes.byref(...)` argument (or the object itself)."""
    return getattr(ref, "_obj", ref)


def wrap_read(read: Callable[..., Any]) -> Callable[..., Any]:
    """ReadConsoleInputW(handle, byref(records), length, byref(count)) that fixes what it read."""

    def read_console_input(handle: Any, records_ref: Any, length: Any, count_ref: Any) -> Any:
        result = read(handle, records_ref, length, count_ref)
        try:
            count = _target(count_ref).value
            fix_records(_target(records_ref)[:count])
        except Exception:  # noqa: BLE001, S110 — never let the workaround break typing altogether
            pass
        return result

    setattr(read_console_input, _MARK, True)
    read_console_input.__wrapped__ = read  # type: ignore[attr-defined]
    return read_console_input


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:3]:
        digits = "".join(c for c in piece if c.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def filter_drops_characters(source: str) -> bool:
    """True when the key-code-0 filter in this source does not spare records with a character."""
    at = source.find(FILTER_SOURCE)
    if at < 0:
        return False
    condition = source[source.rfind("if", 0, at):source.find("continue", at)]
    return not any(test in condition for test in _CHARACTER_TESTS)


def still_filters(win32: ModuleType) -> bool:
    """True when this Textual still drops key-code-0 records (read from its source when possible)."""
    try:
        source = inspect.getsource(win32.EventMonitor.run)
    except (OSError, TypeError, AttributeError):
        # No source (a frozen build): fall back to the versions known to filter.
        try:
            from importlib.metadata import version

            return _version_tuple(version("textual")) <= LAST_KNOWN_FILTERING
        except Exception:  # noqa: BLE001 — a Windows-only workaround: without it the app still runs
            return False
    return filter_drops_characters(source)


def install_into(win32: ModuleType) -> bool:
    """Wrap `win32.KERNEL32.ReadConsoleInputW` when the filter is there; idempotent."""
    if not still_filters(win32):
        return False
    kernel32 = win32.KERNEL32
    read = kernel32.ReadConsoleInputW
    if getattr(read, _MARK, False):
        return True
    # EventMonitor.run looks the function up on this object when the input thread starts,
    # so an attribute set here (before the app runs) is what it calls.
    kernel32.ReadConsoleInputW = wrap_read(read)
    return True


# ---------------------------------------------------------------- the kitty keyboard protocol
#
# Textual's Windows driver switches on the kitty keyboard protocol (CSI > 1 u) when it starts
# and off (CSI < u) when it stops. Windows Terminal 1.25+ honours it, and other terminal apps
# then report CJK characters typed with an input method doubled or lost. The console input the
# Windows driver reads (ReadConsoleInputW records) does not need the protocol at all, so it stays
# off on Windows unless a clerk's terminal has been shown to be safe and they set
# GKASSIST_KITTY_KEYBOARD=1.

KITTY_ON = "\x1b[>1u"
KITTY_OFF = "\x1b[<u"
KITTY_ENV = "GKASSIST_KITTY_KEYBOARD"
_KITTY_MARK = "_gkassist_no_kitty"


def strip_kitty(data: str) -> str:
    """`data` without the sequences that switch the kitty keyboard protocol on or off."""
    return data.replace(KITTY_ON, "").replace(KITTY_OFF, "")


def kitty_allowed(environ: Any = None) -> bool:
    """True only when the clerk has said their terminal handles the protocol safely."""
    environ = os.environ if environ is None else environ
    return str(environ.get(KITTY_ENV, "")).strip() == "1"


def guard_kitty_into(driver_class: type) -> bool:
    """Make `driver_class.write` drop the kitty-protocol switches; idempotent. True when guarded."""
    write = driver_class.write  # type: ignore[attr-defined]
    if getattr(write, _KITTY_MARK, False):
        return True

    def write_without_kitty(self: Any, data: str) -> None:
        return write(self, strip_kitty(data))

    setattr(write_without_kitty, _KITTY_MARK, True)
    driver_class.write = write_without_kitty  # type: ignore[attr-defined]
    return True


def guard_kitty(environ: Any = None, platform: str | None = None) -> bool:
    """Keep the kitty keyboard protocol off on Windows (unless allowed); True when guarded."""
    if (platform or sys.platform) != "win32" or kitty_allowed(environ):
        return False
    try:
        from textual.drivers.windows_driver import WindowsDriver
    except ImportError:
        return False
    return guard_kitty_into(WindowsDriver)


def install() -> bool:
    """Turn the workarounds on; True when the input-method fix is active. Call before the
    Textual app starts."""
    if sys.platform != "win32":
        return False
    try:
        guard_kitty()
    except (AttributeError, TypeError):
        pass  # a Textual without this driver method: nothing to guard
    try:
        from textual.drivers import win32
    except Exception:  # noqa: BLE001 — a Windows-only workaround: without it the app still runs
        return False
    try:
        return install_into(win32)
    except Exception:  # noqa: BLE001 — a Windows-only workaround: without it the app still runs
        return False
