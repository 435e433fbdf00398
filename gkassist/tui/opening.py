"""What the chat screen showed when a report was last left: its first frame on the next opening.

Opening a report (`gkassist draft X.json`) first needs the model (pydantic), the question script
and its templates (Jinja2) and the interview engine: about half a second on an office PC before
the question could be drawn, three times what a bare Textual app takes to start. Yet when the file
has not changed since the app last showed it, the first frame is already known: the conversation
so far, the question being asked, the answer box, the outline. So when the chat leaves a report
(Esc, Ctrl+Q) it leaves a note in the user's cache folder (`gkassist.cachedir`) with that frame,
and the next opening shows it at once, from a plain JSON read, while the chat screen loads the
report and builds the interview in a thread (see `ChatScreen` in chat.py). The engine has the
last word: if its question differs (the date moved a default, the workspace's library changed a
suggestion …) the screen shows its question instead, and an answer sent before the engine was
ready is held, then applied to the question it was typed for (or given back in the box).

The note is used only when it describes exactly this file: it is keyed by the file's path, holds
the SHA-256 of the file's bytes as they were when it was written, and a stamp of the code and the
question script. Any other file, a changed one, or a note that cannot be read: the usual opening
(load, build, ask), and the note is written afresh when the chat leaves the report again. Nothing
here imports the model, the store or the engine: that is the point of it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gkassist import __version__
from gkassist.cachedir import cache_dir

VERSION = 1
PREFIX = "opening-"
SUFFIX = ".json"
KEEP = 32  # notes kept, one per report left in the app (older ones are removed)
MAX_BYTES = 5 * 1024 * 1024  # as store.MAX_ANSWERS_BYTES: a larger file is not read here at all
_TUI = Path(__file__).resolve().parent

Turn = tuple[str, str, str]
"""A turn of the conversation as the chat posts it: (text, role, extra classes)."""


@dataclass(frozen=True)
class View:
    """The current question as the chat screen shows it (ChatScreen.ask draws one of these)."""

    qid: str
    section: str
    text: str
    """The question's turn: section heading, question, options, default, last year's figures."""
    multiline: bool
    """The paragraph box (True) or the one-line box."""
    box: str
    """The paragraph box's text (a draft to edit); "" for the one-line box."""
    placeholder: str
    hint: str
    options: str
    """A long option list, shown in its own box under the question; "" when none."""

    @classmethod
    def of(cls, data: Any) -> View:
        if not isinstance(data, dict):
            raise TypeError("view")
        view = cls(**{name: data[name] for name in cls.__dataclass_fields__})
        for name, field in cls.__dataclass_fields__.items():
            if not isinstance(getattr(view, name), bool if field.type == "bool" else str):
                raise TypeError(name)
        return view

    def as_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class Opening:
    """A note that matches the file about to be opened: its first frame."""

    path: Path
    workspace: Path
    turns: list[Turn]
    """What the chat posts before the question (the conversation so far, notes)."""
    view: View
    outline: list[tuple[str, str]]
    """The outline's rows (text, section)."""


def _stamp() -> str:
    """The code that draws the frame and the question script that words it."""
    parts = [f"{VERSION}", __version__]
    try:
        from gkassist.resources import prompts_dir

        files = sorted(prompts_dir().glob("*.toml"))
    except FileNotFoundError:
        files = []
    for path in [*files, _TUI / "chat.py", _TUI / "opening.py"]:
        try:
            st = path.stat()
        except OSError:
            continue
        parts.append(f"{path.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def _note(path: Path) -> Path:
    name = hashlib.sha256(str(path).encode("utf-8", "replace")).hexdigest()[:32]
    return cache_dir() / f"{PREFIX}{name}{SUFFIX}"


def _resolved(path: Path) -> Path:
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _digest(path: Path) -> str | None:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError:
        return None
    return None if len(data) > MAX_BYTES else hashlib.sha256(data).hexdigest()


def read(path: Path, workspace: Path) -> Opening | None:
    """The first frame noted for this very file (same bytes, same code and script), or None."""
    path, workspace = _resolved(path), _resolved(workspace)
    try:
        text = _note(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None  # no note: the usual opening
    try:
        data = json.loads(text)
        if (data["version"] != VERSION or data["path"] != str(path) or data["workspace"] != str(workspace)
                or data["stamp"] != _stamp() or data["sha256"] != _digest(path)):
            return None
        turns = [(str(t), str(r), str(x)) for t, r, x in data["turns"]]
        outline = [(str(t), str(s)) for t, s in data["outline"]]
        return Opening(path, workspace, turns, View.of(data["view"]), outline)
    except (ValueError, KeyError, TypeError):
        return None  # a note from another version, or damaged: the usual opening


def write(path: Path, workspace: Path, sha256: str, turns: list[Turn], view: View,
          outline: list[tuple[str, str]]) -> None:
    """Note the first frame of the next opening of `path`, whose bytes hash to `sha256`. A cache
    folder that cannot be written only means the next opening takes the usual way."""
    path, workspace = _resolved(path), _resolved(workspace)
    note = _note(path)
    data = {"version": VERSION, "path": str(path), "workspace": str(workspace), "stamp": _stamp(),
            "sha256": sha256, "turns": [list(t) for t in turns], "view": view.as_dict(),
            "outline": [list(row) for row in outline]}
    try:
        note.parent.mkdir(parents=True, exist_ok=True)
        temp = note.with_name(f".{note.name}.{os.getpid()}.tmp")
        temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.replace(temp, note)  # whole or not at all; no fsync: a lost note costs one slow opening
    except OSError:
        return
    try:
        notes = sorted(note.parent.glob(f"{PREFIX}*{SUFFIX}"), key=lambda p: p.stat().st_mtime_ns)
        for old in notes[:-KEEP]:
            old.unlink()
    except OSError:
        return  # removed meanwhile by another window: nothing to tidy


def forget(path: Path) -> None:
    """Drop the note of `path` (its first frame is no longer known)."""
    try:
        _note(_resolved(path)).unlink()
    except OSError:
        return
