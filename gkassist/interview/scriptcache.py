"""Remembers that a question script passed its full check, so that start-up does not repeat it.

The full check of a script (`script.check_script`: every template and condition compiled with
strict names and rendered against three sample reports) takes longer than everything else the app
does before its first question. Its result depends only on the prompts files and on the code that
checks and renders them, so once a script has passed, a note is left in the user's cache folder
(`platformdirs.user_cache_dir("gkassist")`, or GKASSIST_CACHE_DIR) under a key made of:

- the bytes of every prompts file (names and contents: any edit, even one character, is new),
- the name, size and modification time of every file of the gkassist package (the model, the
  template context, the check itself — a new version or an edited module is new),
- the versions of Python, Jinja2 and pydantic.

Only a pass is remembered, never a failure: a script with a misspelt name always gets the full
check and is refused with file, line and question id. The cheap structural checks (kinds, fields,
actions, min/max, otherwise) run at every load regardless (`script._question`).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from gkassist.cachedir import CACHE_DIR_ENV, cache_dir

KEEP = 8  # notes kept (one per script version seen; older ones are removed)
PREFIX = "script-checked-"
SUFFIX = ".ok"
_PACKAGE = Path(__file__).resolve().parent.parent  # gkassist/
__all__ = ["CACHE_DIR_ENV", "cache_dir", "passed", "record", "script_key"]


def _code_stamp(h: hashlib._Hash) -> None:
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in (".py", ".toml", ".j2", ".md", ".json") and "__pycache__" not in path.parts:
            st = path.stat()
            h.update(f"{path.relative_to(_PACKAGE).as_posix()}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())


def script_key(files: list[Path]) -> str:
    """The key of a script made of `files` (contents), checked by this code (stamps, versions)."""
    import jinja2
    import pydantic

    h = hashlib.sha256()
    h.update(f"1\0{sys.version}\0{jinja2.__version__}\0{pydantic.VERSION}\n".encode())
    for path in files:
        data = Path(path).read_bytes()
        h.update(f"{Path(path).name}\0{len(data)}\0".encode())
        h.update(data)
    _code_stamp(h)
    return h.hexdigest()


def _note(key: str) -> Path:
    return cache_dir() / f"{PREFIX}{key[:40]}{SUFFIX}"


def passed(key: str) -> bool:
    """Whether a script with this key passed the full check before."""
    try:
        return _note(key).read_text(encoding="utf-8").strip() == key
    except (OSError, UnicodeDecodeError):
        return False  # no note (or an unreadable one): check in full


def record(key: str) -> None:
    """Note that the script with this key passed. A cache folder that cannot be written only
    means the next start checks in full again, so that is not an error for the clerk."""
    from gkassist.store import atomic_write_text

    note = _note(key)
    try:
        atomic_write_text(note, key + "\n", backup=False)
    except OSError:
        return
    try:
        old = sorted(note.parent.glob(f"{PREFIX}*{SUFFIX}"), key=lambda p: p.stat().st_mtime_ns)
        for path in old[:-KEEP]:
            path.unlink()
    except OSError:
        return  # a note removed meanwhile by another window: nothing to tidy
