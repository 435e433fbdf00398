"""Workspace paths and the answers file on disk: durable atomic saves, safe loading.

Every write goes to a temporary file in the same folder, is flushed and fsynced, and then
atomically replaces the old file, whose previous version is kept as `<name>.bak`. Loading never
raises anything but `GkError`, whose message names the file and what is wrong, in Chinese.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import socket
import stat
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import PydanticSerializationError

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.model import Report

# The workspace's folder lives in gkassist.workspace (no model import); still reachable here.
from gkassist.workspace import WORKSPACE_ENV, default_workspace, ensure_workspace  # noqa: F401

ENCODING = "utf-8"
MAX_ANSWERS_BYTES = 5 * 1024 * 1024  # a real answers file is a few dozen KB
LIBRARY_DIR = "library"
BACKUP_SUFFIX = ".bak"

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"COM{i}" for i in range(1, 10)} | {
    f"LPT{i}" for i in range(1, 10)}


# ------------------------------------------------------------------ locations


def library_dir(workspace: Path) -> Path:
    """The workspace's own paragraph library (adds to or overrides the built-in one)."""
    return workspace / LIBRARY_DIR


def safe_filename(name: str, *, fallback: str = "报告") -> str:
    """A file name safe on Windows and inside the workspace: no separators, no `..`, no
    reserved device names, no trailing dots or spaces."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip().strip(".").strip()
    cleaned = re.sub(r"_+", "_", cleaned)
    if not cleaned or set(cleaned) <= {"_", "."}:
        cleaned = fallback
    # Windows ignores spaces before the extension: "CON .txt" is the device too.
    if cleaned.split(".")[0].strip().upper() in _WINDOWS_RESERVED:
        cleaned = "_" + cleaned
    # Linux allows 255 bytes per name and we add ".json.bak" and a temp prefix: keep 150 bytes.
    cleaned = cleaned[:120]
    while len(cleaned.encode(ENCODING)) > 150:
        cleaned = cleaned[:-1]
    return cleaned.rstrip(". ") or fallback


def report_basename(report: Report) -> str:
    """`<年>年<机关>政府信息公开工作年度报告`, safe as a file name."""
    year = f"{report.year}年" if report.year else ""
    return safe_filename(f"{year}{report.agency.name or '未命名机关'}{fmt.TITLE_SUFFIX}")


def answers_filename(report: Report) -> str:
    return report_basename(report) + ".json"


# ------------------------------------------------------------------ writing


class BackupFailed(Exception):
    """Raised inside `_keep_backup` (tests inject it) when the previous version cannot be kept."""


def _target(path: Path) -> Path:
    """The file a write really changes: a symlinked answers file is written through to its target
    (the link stays a link), so the new file, its temp file and `.bak` live beside the target."""
    path = Path(path)
    try:
        if path.is_symlink():
            return path.resolve()
    except (OSError, RuntimeError):  # a loop of links: write the name itself, replacing the link
        return path
    return path


def _new_file_mode() -> int:
    # What open() would give a new file: 0o666 less the umask (mkstemp's 0o600 is too tight
    # for a folder a team shares). The umask can only be read by setting it.
    if os.name == "nt":
        return 0o666
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write_bytes(path: Path, data: bytes, *, backup: bool = True) -> str:
    """Write `data` to `path` so that a crash leaves either the old or the new file, whole.

    The new file keeps the old one's mode and group. With `backup`, the old version is kept as
    `<name>.bak`; returns "" when it was, else a Chinese sentence saying it could not be kept (the
    new file is written all the same: the answers matter more than their backup)."""
    path = _target(Path(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        old = path.stat()
    except OSError:
        old = None
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    note = ""
    try:
        with os.fdopen(fd, "wb") as fh:
            _copy_owner(fh.fileno(), old)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if backup and old is not None:
            note = _keep_backup(path)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return note


def _copy_owner(fd: int, old: os.stat_result | None) -> None:
    """Give the temp file the old file's permissions and group (or a new file's usual mode)."""
    if os.name == "nt":
        return
    mode = (old.st_mode & 0o7777) if old is not None else _new_file_mode()
    try:
        os.fchmod(fd, mode)
    except OSError:
        pass  # a file system without modes (a FAT stick): nothing to keep
    if old is not None and hasattr(os, "fchown"):
        try:
            os.fchown(fd, -1, old.st_gid)
        except OSError:
            pass  # not a member of that group: the file gets the clerk's own group


def _keep_backup(path: Path) -> str:
    """Keep the current version as `<name>.bak`, replaced atomically. Returns "" when kept, else a
    sentence saying why not; a stale `.bak` (two versions back) is then removed so that it is never
    taken for the previous version."""
    bak = path.with_name(path.name + BACKUP_SUFFIX)
    try:
        _link_or_copy(path, bak)
        return ""
    except (OSError, BackupFailed) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    try:
        bak.unlink()
        stale = "旧的备份已删除，以免把更早的版本当成上一版"
    except FileNotFoundError:
        stale = "目前没有备份"
    except OSError:
        stale = f"注意 {bak.name} 仍是更早的版本"
    return f"已保存，但未能把上一版留作备份 {bak.name}（{reason}）；{stale}。请检查磁盘空间和文件夹权限。"


def _link_or_copy(path: Path, bak: Path) -> None:
    """`bak` becomes the current version of `path`: a hard link needs no disk space (the old file
    lives on under the new name once `path` is replaced); a copy where links are not possible."""
    tmp = bak.with_name(f".{bak.name}.{os.getpid()}.tmp")
    try:
        tmp.unlink()
    except FileNotFoundError:
        pass
    try:
        os.link(path, tmp)
    except OSError:
        atomic_write_bytes(bak, path.read_bytes(), backup=False)
        return
    try:
        os.replace(tmp, bak)
    except BaseException:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise


def _fsync_dir(folder: Path) -> None:
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_text(path: Path, text: str, *, backup: bool = True) -> str:
    # The model already turns lone surrogates into U+FFFD; "replace" is the last guard for text
    # that never passed through it (a raw answer kept in the draft state).
    return atomic_write_bytes(path, text.encode(ENCODING, "replace"), backup=backup)


def dumps_report(report: Report) -> str:
    """The answers file's text: UTF-8 JSON, indented, keys in the model's stable order.

    pydantic's own serialiser writes the same text as `json.dumps(report.model_dump(mode="json"),
    ensure_ascii=False, indent=2)` (tests/test_store.py holds them equal) about ten times faster:
    it runs on every answer, before the next question is shown. Text it refuses (a lone
    surrogate that never passed through the model's validators) goes the slower way."""
    try:
        return report.model_dump_json(indent=2) + "\n"
    except PydanticSerializationError:
        data = report.model_dump(mode="json")
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True)
class FileState:
    """What an answers file on disk looked like when this process last read or wrote it."""

    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of_bytes(cls, data: bytes, st: os.stat_result) -> FileState:
        return cls(st.st_mtime_ns, st.st_size, hashlib.sha256(data).hexdigest())


def file_state(path: Path) -> FileState | None:
    """The file's state now, or None when there is no file."""
    path = _target(Path(path))
    try:
        st = path.stat()
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise GkError(f"无法读取 {path}：{exc.strerror or exc}。", path=str(path)) from None
    return FileState.of_bytes(data, st)


def _same(a: FileState | None, b: FileState | None) -> bool:
    """The same file contents (size, then hash: a rewrite within the file system's time
    granularity, or one that restores the time, is still seen)."""
    if a is None or b is None:
        return a is b
    return a.size == b.size and a.sha256 == b.sha256


class ConflictError(GkError):
    """The answers file was changed by someone else since this process read it; ours was kept
    beside it (`kept`), the other version was left as it is."""

    def __init__(self, message: str, *, path: str, kept: Path | None) -> None:
        super().__init__(message, path=path)
        self.kept = kept


@dataclass
class Saved:
    """A finished save: the file's new state, and a sentence when `.bak` could not be kept."""

    state: FileState
    note: str = ""


_UNCHECKED: Any = object()


def conflict_path(path: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    found = path.with_name(f"{path.stem}（冲突 {stamp}）{path.suffix}")
    n = 2
    while found.exists():
        found = path.with_name(f"{path.stem}（冲突 {stamp}-{n}）{path.suffix}")
        n += 1
    return found


def save_report(report: Report, path: Path, *, expected: FileState | None = _UNCHECKED,
                backup: bool = True) -> Saved:
    """Save atomically. With `expected` (the state this process last read or wrote; None for
    "there was no file"), a file changed by someone else meanwhile is never overwritten: ours is
    written beside it as `<name>（冲突 时间）.json` and `ConflictError` says so."""
    path = Path(path)
    data = dumps_report(report).encode(ENCODING, "replace")
    try:
        if expected is not _UNCHECKED and not _same(file_state(path), expected):
            kept = conflict_path(_target(path))
            atomic_write_bytes(kept, data, backup=False)
            raise ConflictError(
                f"{path.name} 在本窗口打开后被其他窗口或程序改动过；为免覆盖对方的内容，本次的回答另存为"
                f" {kept.name}，原文件未改动。请关闭本报告，核对两份文件后再继续。",
                path=str(path), kept=kept)
        note = atomic_write_bytes(path, data, backup=backup)
        target = _target(path)
        return Saved(FileState.of_bytes(data, target.stat()), note)
    except OSError as exc:
        raise GkError(f"无法保存 {path}：{_os_reason(exc)}。原文件未改动。", path=str(path)) from exc


def _os_reason(exc: OSError) -> str:
    """An OSError in a few Chinese words with what to do."""
    words = {
        errno.ENOSPC: "磁盘已满，请腾出空间后再试",
        errno.EDQUOT: "超出磁盘配额，请腾出空间后再试",
        errno.EACCES: "没有写入权限，请换一个文件夹或检查权限",
        errno.EPERM: "没有写入权限，请换一个文件夹或检查权限",
        errno.EROFS: "所在的磁盘是只读的，请换一个文件夹",
        errno.EISDIR: "这是一个文件夹，不是文件，请指定文件名",
        errno.ENOTDIR: "路径中有一段不是文件夹，请检查路径",
        errno.ENOENT: "文件夹不存在，请检查路径",
        errno.ENAMETOOLONG: "文件名太长，请换一个短一些的名字",
    }
    return words.get(exc.errno or 0, exc.strerror or str(exc))


def describe_os_error(exc: OSError) -> str:
    return _os_reason(exc)


# ------------------------------------------------------------------ reading

_ERROR_WORDS = {
    "greater_than_equal": "不能是负数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数，不能有小数",
    "int_type": "应为整数",
    "decimal_parsing": "应为数字",
    "decimal_max_places": "最多保留4位小数",
    "decimal_type": "应为数字",
    "finite_number": "应为有限的数字",
    "string_type": "应为文字",
    "enum": "不是可选的机关类型",
    "date_from_datetime_parsing": "应为日期（如 2025-01-20）",
    "date_parsing": "应为日期（如 2025-01-20）",
    "date_type": "应为日期（如 2025-01-20）",
    "extra_forbidden": "是本程序不认识的项目",
    "missing": "缺少此项",
    "less_than_equal": "数值过大",
    "model_type": "格式不对",
    "dict_type": "格式不对",
    "list_type": "格式不对",
    "bool_parsing": "应为是或否",
    "value_error": "",
}


def describe_field(loc: tuple[Any, ...]) -> str:
    """A model path in the report's own words, e.g. 表三 一、本年新收政府信息公开申请数量 / 自然人."""
    parts = [str(p) for p in loc]
    if parts[:2] == ["applications", "rows"] and len(parts) >= 3:
        row = fmt.T3_ROW.get(parts[2])
        where = f"表三 {row.location}" if row else "表三"
        if len(parts) >= 4:
            where += f" / {fmt.COLUMN_LABEL.get(parts[3], parts[3])}"
        return where
    if parts[:1] == ["reviews"] and len(parts) >= 2:
        where = f"表四 {fmt.T4_BLOCK_LABEL.get(parts[1], parts[1])}"
        if len(parts) >= 3:
            where += f" / {fmt.OUTCOME_LABEL.get(parts[2], parts[2])}"
        return where
    if parts[:1] == ["proactive"]:
        names = {"rules": fmt.ROW_RULES, "normative": fmt.ROW_NORMATIVE, "licensing": fmt.ROW_LICENSING,
                 "penalty": fmt.ROW_PENALTY, "enforcement": fmt.ROW_ENFORCEMENT, "fee": fmt.ROW_FEE,
                 "issued": fmt.COL_ISSUED, "repealed": fmt.COL_REPEALED, "in_force": fmt.COL_IN_FORCE}
        return "表二 " + " / ".join(names.get(p, p) for p in parts[1:])
    words = {"agency": "机关", "name": "全称", "kind": "类型", "year": "年度", "published": "发布日期",
             **fmt.SECTION_LABEL, "fee_yuan": "信息处理费（元）"}
    return " / ".join(words.get(p, p) for p in parts) or "文件"


def explain_validation(exc: ValidationError, *, limit: int = 5) -> str:
    """Chinese lines for the first few problems pydantic found."""
    lines = []
    for err in exc.errors()[:limit]:
        word = _ERROR_WORDS.get(err["type"])
        if word is None or word == "":
            word = str(err.get("msg", "")).removeprefix("Value error, ")
        value = err.get("input")
        shown = f"（填的是 {value!r}）" if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
        lines.append(f"{describe_field(err['loc'])}：{word}{shown}")
    more = len(exc.errors()) - limit
    if more > 0:
        lines.append(f"另有 {more} 处问题")
    return "；".join(lines)


def load_report(path: Path) -> Report:
    """Read an answers file. Any problem becomes a `GkError` naming the file; the file is untouched."""
    return read_report(path)[0]


def read_report(path: Path) -> tuple[Report, FileState]:
    """`load_report` plus the state of the file as read (for `save_report(expected=...)`)."""
    path = Path(path)
    try:
        st = path.stat()
    except FileNotFoundError:
        raise GkError(f"找不到文件 {path}。请检查路径。", path=str(path)) from None
    except OSError as exc:
        raise GkError(f"无法读取 {path}：{exc.strerror or exc}。", path=str(path)) from None
    if path.is_dir():
        raise GkError(f"{path} 是文件夹，不是答案文件。", path=str(path))
    if not stat.S_ISREG(st.st_mode):
        raise GkError(f"{path} 不是普通文件（可能是设备或管道），不是答案文件，已拒绝读取。", path=str(path))
    size = st.st_size
    if size > MAX_ANSWERS_BYTES:
        raise GkError(f"{path} 有 {size // 1024} KB，太大了，不像是 gkassist 的答案文件，已拒绝读取。", path=str(path))
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_ANSWERS_BYTES + 1)
    except OSError as exc:
        raise GkError(f"无法读取 {path}：{exc.strerror or exc}。", path=str(path)) from None
    return parse_report(raw, name=str(path)), FileState.of_bytes(raw, st)


def parse_report(raw: bytes, *, name: str = "答案文件") -> Report:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise GkError(f"{name} 不是 UTF-8 编码的文本（第 {exc.start} 字节处），不是 gkassist 的答案文件。", path=name) from None
    if not text.strip():
        raise GkError(f"{name} 是空文件。{_backup_hint(name)}", path=name)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise GkError(
            f"{name} 不是完整的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{_json_reason(exc.msg)}），"
            f"文件可能已损坏或被截断，已原样保留。{_backup_hint(name)}", path=name) from None
    except (ValueError, RecursionError):  # nesting too deep or a number thousands of digits long
        raise GkError(f"{name} 的内容嵌套过深或数字过长，不像是 gkassist 的答案文件，已原样保留。"
                      f"{_backup_hint(name)}", path=name) from None
    if not isinstance(data, dict):
        raise GkError(f"{name} 的内容不是一份报告（最外层应为对象）。", path=name)
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        raise GkError(f"{name} 中有不符合要求的内容：{explain_validation(exc)}。请改正后再试。", path=name) from None


def _json_reason(msg: str) -> str:
    return {
        "Expecting value": "缺少数值",
        "Expecting property name enclosed in double quotes": "缺少带双引号的项目名",
        "Unterminated string starting at": "字符串没有结束",
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting ':' delimiter": "缺少冒号",
        "Extra data": "结尾有多余内容",
    }.get(msg, msg)


def _backup_hint(name: str) -> str:
    bak = Path(name + BACKUP_SUFFIX)
    if bak.exists():
        return f"上一次保存的版本在 {bak}，可以用它恢复。"
    return ""


def backup_path(path: Path) -> Path | None:
    bak = Path(str(path) + BACKUP_SUFFIX)
    return bak if bak.exists() else None


def list_reports(workspace: Path) -> list[tuple[Path, Report | None, str]]:
    """Answers files in the workspace: (path, report or None, error message)."""
    found: list[tuple[Path, Report | None, str]] = []
    for p in sorted(Path(workspace).glob("*.json")):
        try:
            found.append((p, load_report(p), ""))
        except GkError as exc:
            found.append((p, None, exc.message))
    return found


# ------------------------------------------------------------------ one writer per report

LOCK_SUFFIX = ".lock"
HOLDER_SUFFIX = ".holder"


@dataclass(frozen=True)
class Holder:
    """Who holds a report's lock: written beside the lock when it is taken."""

    user: str
    host: str
    pid: int
    since: str  # local time, "2026-11-30 16:20"

    def describe(self) -> str:
        return f"{self.user}@{self.host}（进程 {self.pid}）自 {self.since} 起"

    @property
    def gone(self) -> bool:
        """The holder is a process on this machine that no longer runs."""
        return self.host == socket.gethostname() and not _pid_alive(self.pid)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _user() -> str:
    try:
        import getpass

        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in this environment: a placeholder is fine
        return "未知用户"


class ReportLock:
    """One writer per answers file: an OS lock on `.<name>.lock` beside the (link-resolved) file,
    released by the OS when the holder exits or dies, plus who holds it in `.<name>.holder`.

    `acquire()` never waits: False means another window or command holds it; `holder()` says who."""

    def __init__(self, path: Path) -> None:
        import filelock

        self.path = _target(Path(path))
        self.lock_path = self.path.with_name(f".{self.path.name}{LOCK_SUFFIX}")
        self.holder_path = self.path.with_name(f".{self.path.name}{HOLDER_SUFFIX}")
        self._lock = filelock.FileLock(str(self.lock_path), thread_local=False)
        self.held = False

    def acquire(self) -> bool:
        import filelock

        if self.held:
            return True
        for _attempt in range(3):
            try:
                self._lock.acquire(timeout=0)
            except filelock.Timeout:
                return False
            except OSError as exc:
                raise GkError(f"无法在 {self.path.parent} 中建立编辑锁：{_os_reason(exc)}。",
                              path=str(self.path)) from exc
            if self._still_linked():
                break
            self._lock.release(force=True)  # we locked a lock file its holder removed meanwhile
        else:
            return False
        self.held = True
        me = Holder(_user(), socket.gethostname(), os.getpid(), datetime.now().strftime("%Y-%m-%d %H:%M"))
        try:
            atomic_write_text(self.holder_path, json.dumps(me.__dict__, ensure_ascii=False), backup=False)
        except OSError:
            pass  # the lock itself holds; only the "who" shown to a second window is missing
        return True

    def holder(self) -> Holder | None:
        try:
            with open(self.holder_path, "rb") as fh:
                data = json.loads(fh.read(4096).decode("utf-8"))
            return Holder(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def busy_message(self) -> str:
        who = self.holder()
        name = self.path.name
        if who is None:
            return f"{name} 正在另一个窗口或程序中编辑，本窗口以只读方式打开，回答不会保存。请在那边关闭后再打开。"
        if who.gone:
            return (f"{name} 的编辑锁记录为 {who.describe()}编辑，但该进程已不在；本窗口暂以只读方式打开。"
                    "可以关闭后重新打开这份报告来接管编辑。")
        return (f"{name} 正由 {who.describe()}编辑，本窗口以只读方式打开，回答不会保存。"
                "请在那边关闭这份报告后再打开。")

    def release(self) -> None:
        if not self.held:
            return
        self.held = False
        for sidecar in (self.holder_path, self.lock_path):  # no litter beside the report
            try:
                sidecar.unlink()
            except OSError:
                pass
        self._lock.release(force=True)

    def _still_linked(self) -> bool:
        """The file we hold the lock on is still the one under the lock's name (a holder removes
        it when done, so a late comer may lock a file that no longer has a name)."""
        fd = getattr(getattr(self._lock, "_context", None), "lock_file_fd", None)
        if fd is None or os.name == "nt":
            return True
        try:
            return os.fstat(fd).st_ino == os.stat(self.lock_path).st_ino
        except OSError:
            return False

    def __enter__(self) -> ReportLock:  # noqa: PYI034
        if not self.acquire():
            raise GkError(self.busy_message().replace("本窗口以只读方式打开，回答不会保存。", "本次没有写入。"),
                          path=str(self.path))
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def locked_save(report: Report, path: Path) -> Saved:
    """A command's one-off save: take the lock (GkError if someone is editing), then save."""
    with ReportLock(path):
        return save_report(report, path)
