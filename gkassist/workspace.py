"""The workspace folder (`GKASSIST_HOME`, else `~/gkassist`): where answers files live.

Apart from the store (gkassist.store re-exports these) so that `gkassist draft` can find its
folder without importing the model: the app draws a reopened report before pydantic is loaded.
"""

from __future__ import annotations

import os
from pathlib import Path

from gkassist.errors import GkError

WORKSPACE_ENV = "GKASSIST_HOME"


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
