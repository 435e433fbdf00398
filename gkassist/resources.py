"""Where the bundled `prompts/` and `templates/` folders are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # A wheel carries the folders inside the package; a source checkout has them beside it.
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"gkassist 安装不完整：找不到 {name} 文件夹")


def prompts_dir() -> Path:
    return _data_dir("prompts")


def templates_dir() -> Path:
    return _data_dir("templates")
