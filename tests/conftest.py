"""Shared fixtures: the shared samples (skipped with a reason when absent), a temp workspace,
and the CLI run as a subprocess the way a clerk runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = SHARED / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def samples_dir() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip("../shared/samples 不在本仓库旁边（CI 总会提供）；跳过读取真实样本的测试")
    return SAMPLES


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    ws = tmp_path / "ws"
    ws.mkdir()
    monkeypatch.setenv("GKASSIST_HOME", str(ws))
    return ws


def run_cli(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `python -m gkassist ARGS` and capture its UTF-8 output."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    full_env["PYTHONPATH"] = str(ROOT) + os.pathsep + full_env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "gkassist", *args], capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=full_env, timeout=120)


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(autouse=True)
def _crash_logs_in_tmp(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # Crash logs written by a test (and by the CLI it runs) land in a temp folder, not the user's.
    monkeypatch.setenv("GKASSIST_LOG_DIR", str(tmp_path_factory.getbasetemp() / "crash-logs"))
    # The note that the question script passed its full check, likewise (interview/scriptcache).
    monkeypatch.setenv("GKASSIST_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture(autouse=True)
def _apps_record_no_internal_error(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Fails every test whose app hit a bug that its one error guard caught: a recovered error
    must not let a TUI test pass. A test that provokes one on purpose is marked
    `expect_internal_error` and asserts it itself."""
    import sys

    if "gkassist.tui.app" not in sys.modules:  # not a TUI test: nothing to watch
        yield
        return
    from gkassist.tui.app import GkApp

    apps: list[GkApp] = []
    original = GkApp.__init__

    def init(self, *args, **kwargs) -> None:
        original(self, *args, **kwargs)
        apps.append(self)

    monkeypatch.setattr(GkApp, "__init__", init)
    yield
    if request.node.get_closest_marker("expect_internal_error"):
        return
    for app in apps:
        errors: list[object] = list(app.internal_errors)
        if app.return_code not in (None, 0):  # the last guard closed the app
            errors.append(f"return code {app.return_code}")
        if errors:
            pytest.fail(f"the app recorded an internal error: {errors!r}", pytrace=False)
