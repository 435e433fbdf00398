"""Workspace paths and the answers file on disk: durable atomic saves, safe loading.

Every write goes to a temporary file in the same folder, is flushed and fsynced, and then
atomically replaces the old file, whose previous version is kept as `<name>.bak`. Loading never
raises anything but `GkError`, whose message names the file and what is wrong, in Chinese.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from gkassist import format as fmt
from gkassist.errors import GkError
from gkassist.model import Report

ENCODING = "utf-8"
MAX_ANSWERS_BYTES = 5 * 1024 * 1024  # a real answers file is a few dozen KB
WORKSPACE_ENV = "GKASSIST_HOME"
LIBRARY_DIR = "library"
BACKUP_SUFFIX = ".bak"

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"} | {f"COM{i}" for i in range(1, 10)} | {
    f"LPT{i}" for i in range(1, 10)}


# ------------------------------------------------------------------ locations


def default_workspace() -> Path:
    """`GKASSIST_HOME` when set, else `~/gkassist`."""
    env = os.environ.get(WORKSPACE_ENV)
    return Path(env).expanduser() if env else Path.home() / "gkassist"


def ensure_workspace(path: Path | None = None) -> Path:
    ws = Path(path) if path else default_workspace()
    try:
        ws.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GkError(f"无法创建工作目录 {ws}：{exc.strerror or exc}。请换一个目录（--workspace）。") from exc
    return ws


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


def atomic_write_bytes(path: Path, data: bytes, *, backup: bool = True) -> None:
    """Write `data` to `path` so that a crash leaves either the old or the new file, whole."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if backup and path.exists():
            _keep_backup(path)
        os.replace(tmp, path)
        _fsync_dir(path.parent)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _keep_backup(path: Path) -> None:
    """Keep the current version as `<name>.bak`, itself written atomically."""
    bak = path.with_name(path.name + BACKUP_SUFFIX)
    try:
        atomic_write_bytes(bak, path.read_bytes(), backup=False)
    except OSError:
        pass  # a missing backup must never block saving the answers themselves


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


def atomic_write_text(path: Path, text: str, *, backup: bool = True) -> None:
    # The model already turns lone surrogates into U+FFFD; "replace" is the last guard for text
    # that never passed through it (a raw answer kept in the draft state).
    atomic_write_bytes(path, text.encode(ENCODING, "replace"), backup=backup)


def dumps_report(report: Report) -> str:
    """The answers file's text: UTF-8 JSON, indented, keys in the model's stable order."""
    data = report.model_dump(mode="json")
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def save_report(report: Report, path: Path) -> None:
    try:
        atomic_write_text(Path(path), dumps_report(report))
    except OSError as exc:
        raise GkError(f"无法保存 {path}：{exc.strerror or exc}。原文件未改动。", path=str(path)) from exc


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
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise GkError(f"找不到文件 {path}。请检查路径。", path=str(path)) from None
    except OSError as exc:
        raise GkError(f"无法读取 {path}：{exc.strerror or exc}。", path=str(path)) from None
    if path.is_dir():
        raise GkError(f"{path} 是文件夹，不是答案文件。", path=str(path))
    if size > MAX_ANSWERS_BYTES:
        raise GkError(f"{path} 有 {size // 1024} KB，太大了，不像是 gkassist 的答案文件，已拒绝读取。", path=str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GkError(f"无法读取 {path}：{exc.strerror or exc}。", path=str(path)) from None
    return parse_report(raw, name=str(path))


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
