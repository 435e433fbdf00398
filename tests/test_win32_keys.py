"""The Windows Chinese-typing workaround, exercised on any OS with fake console records."""

from __future__ import annotations

import importlib.util
import sys
from ctypes import Structure, Union, byref
from ctypes.wintypes import BOOL, CHAR, DWORD, SHORT, UINT, WCHAR, WORD
from pathlib import Path
from types import SimpleNamespace

import pytest

from gkassist.tui import win32_keys
from gkassist.tui.win32_keys import KEY_EVENT, VK_PACKET, fix_records

SHIFT_PRESSED = 0x0010
WINDOW_BUFFER_SIZE_EVENT = 0x0004


# The console's INPUT_RECORD layout (Windows API), as the Textual driver declares it.
class COORD(Structure):
    _fields_ = [("X", SHORT), ("Y", SHORT)]


class UChar(Union):
    _fields_ = [("AsciiChar", CHAR), ("UnicodeChar", WCHAR)]


class KEY_EVENT_RECORD(Structure):
    _fields_ = [("bKeyDown", BOOL), ("wRepeatCount", WORD), ("wVirtualKeyCode", WORD),
                ("wVirtualScanCode", WORD), ("uChar", UChar), ("dwControlKeyState", DWORD)]


class WINDOW_BUFFER_SIZE_RECORD(Structure):
    _fields_ = [("dwSize", COORD)]


class MENU_EVENT_RECORD(Structure):
    _fields_ = [("dwCommandId", UINT)]


class InputEvent(Union):
    _fields_ = [("KeyEvent", KEY_EVENT_RECORD), ("WindowBufferSizeEvent", WINDOW_BUFFER_SIZE_RECORD),
                ("MenuEvent", MENU_EVENT_RECORD)]


class INPUT_RECORD(Structure):
    _fields_ = [("EventType", WORD), ("Event", InputEvent)]


def key(ch: str, vk: int = 0, state: int = SHIFT_PRESSED, down: bool = True) -> INPUT_RECORD:
    r = INPUT_RECORD()
    r.EventType = KEY_EVENT
    k = r.Event.KeyEvent
    k.bKeyDown, k.wRepeatCount, k.wVirtualKeyCode = int(down), 1, vk
    k.uChar.UnicodeChar = ch
    k.dwControlKeyState = state
    return r


def textual_filter(records) -> str:
    """What Textual 8.2.8's EventMonitor.run keeps of a batch (its filter, restated)."""
    keys = []
    for r in records:
        if r.EventType == KEY_EVENT and r.Event.KeyEvent.bKeyDown:
            k = r.Event.KeyEvent
            if k.dwControlKeyState and k.wVirtualKeyCode == 0:
                continue
            keys.append(k.uChar.UnicodeChar)
    return "".join(keys)


def test_shift_punctuation_with_key_code_zero_gets_a_key_code() -> None:
    records = [key("："), key("？"), key("《")]
    assert textual_filter(records) == ""  # the bug: all three dropped
    fix_records(records)
    assert [r.Event.KeyEvent.wVirtualKeyCode for r in records] == [VK_PACKET] * 3
    assert textual_filter(records) == "：？《"


def test_non_printable_and_ordinary_records_are_left_alone() -> None:
    nul = key("\x00")  # Shift pressed on its own arrives as vk 0x10, but a NUL char must stay out
    ctrl = key("\x03", state=0x0008)
    letter = key("a", vk=0x41, state=0)
    up = key("：", down=False)
    fix_records([nul, ctrl, letter, up])
    assert nul.Event.KeyEvent.wVirtualKeyCode == 0
    assert ctrl.Event.KeyEvent.wVirtualKeyCode == 0
    assert letter.Event.KeyEvent.wVirtualKeyCode == 0x41
    assert up.Event.KeyEvent.wVirtualKeyCode == 0


def test_non_key_events_untouched() -> None:
    r = INPUT_RECORD()
    r.EventType = WINDOW_BUFFER_SIZE_EVENT
    r.Event.WindowBufferSizeEvent.dwSize.X, r.Event.WindowBufferSizeEvent.dwSize.Y = 80, 24
    before = bytes(r)
    fix_records([r])
    assert bytes(r) == before


def test_plain_python_fakes_work_too() -> None:
    k = SimpleNamespace(bKeyDown=1, wVirtualKeyCode=0, uChar=SimpleNamespace(UnicodeChar="！"),
                        dwControlKeyState=SHIFT_PRESSED)
    rec = SimpleNamespace(EventType=KEY_EVENT, Event=SimpleNamespace(KeyEvent=k))
    fix_records([rec])
    assert k.wVirtualKeyCode == VK_PACKET


def _fake_driver(batch: list[INPUT_RECORD], *, filtering: bool):
    """A stand-in for textual.drivers.win32: a KERNEL32 with ReadConsoleInputW, an EventMonitor."""

    def read_console_input_w(handle, records_ref, length, count_ref):
        records = records_ref._obj
        for i, r in enumerate(batch):
            records[i] = r
        count_ref._obj.value = len(batch)
        return 1

    if filtering:
        class EventMonitor:
            def run(self, key_event=None):
                if key_event.dwControlKeyState and key_event.wVirtualKeyCode == 0:
                    return None
    else:
        class EventMonitor:  # type: ignore[no-redef]
            def run(self, key_event=None):
                return key_event

    kernel32 = SimpleNamespace(ReadConsoleInputW=read_console_input_w)
    return SimpleNamespace(KERNEL32=kernel32, EventMonitor=EventMonitor)


def test_install_into_wraps_the_read_the_driver_calls() -> None:
    driver = _fake_driver([key("“"), key("b", vk=0x42, state=0), key("”")], filtering=True)
    original = driver.KERNEL32.ReadConsoleInputW
    assert win32_keys.install_into(driver) is True
    assert win32_keys.install_into(driver) is True  # idempotent: wrapped once
    wrapped = driver.KERNEL32.ReadConsoleInputW
    assert wrapped is not original and wrapped.__wrapped__ is original

    # As EventMonitor.run does it.
    buffer = (INPUT_RECORD * 16)()
    count = DWORD(0)
    wrapped(None, byref(buffer), 16, byref(count))
    assert count.value == 3
    assert textual_filter(buffer[: count.value]) == "“b”"


def test_install_into_does_nothing_when_textual_no_longer_filters() -> None:
    driver = _fake_driver([key("：")], filtering=False)
    original = driver.KERNEL32.ReadConsoleInputW
    assert win32_keys.install_into(driver) is False
    assert driver.KERNEL32.ReadConsoleInputW is original


@pytest.mark.skipif(sys.platform == "win32", reason="checks the non-Windows path")
def test_install_is_a_no_op_off_windows() -> None:
    before = set(sys.modules)
    assert win32_keys.install() is False
    assert "textual.drivers.win32" not in set(sys.modules) - before


def test_installed_textual_is_the_one_we_work_around() -> None:
    # If a Textual upgrade drops the filter, this tells us the workaround has become dormant.
    spec = importlib.util.find_spec("textual.drivers.win32")
    assert spec is not None and spec.origin
    source = Path(spec.origin).read_text(encoding="utf-8")
    assert "ReadConsoleInputW = KERNEL32.ReadConsoleInputW" in source
    assert win32_keys.filter_drops_characters(source)


FIXED_UPSTREAM = """
                        if key_event.bKeyDown:
                            if (
                                key_event.dwControlKeyState
                                and key_event.wVirtualKeyCode == 0
                                and (not key or key == "\\x00")
                            ):
                                continue
                            append_key(key)
"""


def test_a_textual_with_the_upstream_fix_is_left_alone() -> None:
    assert not win32_keys.filter_drops_characters(FIXED_UPSTREAM)
    assert not win32_keys.filter_drops_characters("append_key(key)")  # no filter at all
    assert win32_keys.filter_drops_characters(FIXED_UPSTREAM.replace('and (not key or key == "\\x00")', ""))


# ------------------------------------------------------------------ the kitty keyboard protocol


class _FakeDriver:
    """Stands in for Textual's WindowsDriver: records what is written to the terminal."""

    def __init__(self) -> None:
        self.out: list[str] = []

    def write(self, data: str) -> None:
        self.out.append(data)

    def start_application_mode(self) -> None:  # the writes Textual 8.2's Windows driver makes
        self.write("\x1b[?1049h")
        self.write("\x1b[?1004h")
        self.write("\x1b[>1u")
        self.write("\x1b[?2004h")

    def stop_application_mode(self) -> None:
        self.write("\x1b[<u")
        self.write("\x1b[?1049l\x1b[?25h")


def test_the_kitty_protocol_is_never_switched_on_by_a_guarded_driver() -> None:
    class Driver(_FakeDriver):
        pass

    assert win32_keys.guard_kitty_into(Driver) is True
    assert win32_keys.guard_kitty_into(Driver) is True  # idempotent
    driver = Driver()
    driver.start_application_mode()
    driver.write("中文\x1b[>1u界面")  # even inside a longer write
    driver.stop_application_mode()
    written = "".join(driver.out)
    assert "\x1b[>1u" not in written and "\x1b[<u" not in written
    assert "\x1b[?1049h" in written and "\x1b[?2004h" in written and "中文界面" in written


def test_kitty_guard_only_on_windows_and_only_unless_shown_safe() -> None:
    assert win32_keys.guard_kitty(environ={}, platform="linux") is False
    assert win32_keys.guard_kitty(environ={win32_keys.KITTY_ENV: "1"}, platform="win32") is False
    assert win32_keys.kitty_allowed({win32_keys.KITTY_ENV: "1"})
    assert not win32_keys.kitty_allowed({win32_keys.KITTY_ENV: "0"}) and not win32_keys.kitty_allowed({})


def test_kitty_guard_applies_to_the_windows_driver_module(monkeypatch: pytest.MonkeyPatch) -> None:
    class WindowsDriver(_FakeDriver):
        pass

    # textual.drivers.windows_driver imports msvcrt: stand in for it off Windows
    monkeypatch.setitem(sys.modules, "textual.drivers.windows_driver", SimpleNamespace(WindowsDriver=WindowsDriver))
    assert win32_keys.guard_kitty(environ={}, platform="win32") is True
    driver = WindowsDriver()
    driver.start_application_mode()
    assert driver.out == ["\x1b[?1049h", "\x1b[?1004h", "", "\x1b[?2004h"]


def test_installed_textuals_windows_driver_switches_kitty_on_through_write() -> None:
    """What the guard relies on: the driver sends CSI > 1 u through its own `write`."""
    spec = importlib.util.find_spec("textual.drivers.windows_driver")
    assert spec is not None and spec.origin
    source = Path(spec.origin).read_text(encoding="utf-8")
    assert 'self.write("\\x1b[>1u")' in source and "def write(self, data: str)" in source
