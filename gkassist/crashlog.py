"""Crash logs: the one writer of the traceback a clerk sends to the maintainers.

A log goes to the user's own log folder (`platformdirs.user_log_dir("gkassist")`), never to a
shared fixed name in /tmp: each crash gets a new timestamped file, created exclusively and without
following links (O_CREAT | O_EXCL | O_NOFOLLOW), readable by the user only, and only the last
`KEEP` logs are kept. The sentence for the clerk says where the log really went, or that none
could be written and why.
"""

from __future__ import annotations

import os
import stat
import traceback
from datetime import datetime
from pathlib import Path

from gkassist.cachedir import user_folder

KEEP = 10
PREFIX = "crash-"
SUFFIX = ".log"
LOG_DIR_ENV = "GKASSIST_LOG_DIR"  # tests and portable installs point the logs elsewhere


def log_dir() -> Path:
    return user_folder(LOG_DIR_ENV, "log")


def write_crash_log(error: BaseException) -> tuple[Path | None, str]:
    """Write the traceback of `error`; returns (the log file or None, why none was written)."""
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = os.lstat(folder)
    except OSError as exc:
        return None, f"无法建立日志文件夹 {folder}（{exc.strerror or exc}）"
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
        return None, f"日志文件夹 {folder} 是一个链接或不是文件夹，为安全起见没有写入"
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        return None, f"日志文件夹 {folder} 属于其他用户，为安全起见没有写入"
    text = "".join(traceback.format_exception(error)).encode("utf-8", "replace")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    path = folder / f"{PREFIX}{stamp}-{os.getpid()}{SUFFIX}"
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        return None, f"无法在 {folder} 中建立日志文件（{exc.strerror or exc}）"
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text)
    except OSError as exc:
        return None, f"写日志文件 {path} 时出错（{exc.strerror or exc}）"
    _prune(folder)
    return path, ""


def _prune(folder: Path) -> None:
    """Keep the newest `KEEP` crash logs (by name, which starts with the time); only regular files
    named like ours are removed, and a link is removed as a link, never followed."""
    try:
        logs = sorted(p for p in folder.iterdir()
                      if p.name.startswith(PREFIX) and p.name.endswith(SUFFIX)
                      and stat.S_ISREG(os.lstat(p).st_mode))
    except OSError:
        return
    for old in logs[:-KEEP]:
        try:
            old.unlink()
        except OSError:
            pass


def crash_sentence(error: BaseException) -> str:
    """Write the log and say where it went, as the end of a Chinese message."""
    path, why = write_crash_log(error)
    if path is not None:
        return f"详细信息已写入 {path}，请把它发给维护人员。"
    return f"详细信息未能写入日志：{why}。"
