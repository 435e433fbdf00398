"""Issue 16: typed text is text, output errors are one Chinese sentence, crash logs are safe, and a
long narrative checks quickly.

`甲[/]街道办事处` as the agency name goes through check, new-year, render (every format) and the app
literally; render onto a folder, under a file, onto a full disk or with stdout closed says one
sentence and exits 2; crash logs go to the user's log folder, never through a link."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gkassist import cli as cli_module
from gkassist import crashlog, store
from gkassist.example import example_report

ROOT = Path(__file__).resolve().parent.parent
MARKUP_NAME = "甲[/]街道办事处"


def _named(tmp_path: Path, name: str = MARKUP_NAME) -> Path:
    r = example_report()
    r.agency.name = name
    r.agency.short_name = ""
    r.year = 2024
    path = tmp_path / "a.json"
    store.save_report(r, path)
    return path


# ------------------------------------------------------------------ markup in typed text


def test_markup_name_is_printed_literally_by_check_new_year_and_render(cli, tmp_path: Path, workspace) -> None:
    path = _named(tmp_path)
    done = cli("check", str(path))
    assert done.returncode in (0, 1) and "Traceback" not in done.stderr and "内部错误" not in done.stderr
    done = cli("check", "--json", str(path))
    assert done.returncode in (0, 1)
    out = tmp_path / "新.json"
    done = cli("new-year", str(path), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert MARKUP_NAME in done.stdout and "内部错误" not in done.stderr
    assert store.load_report(out).agency.name == MARKUP_NAME
    # Each format prints the name as its own kind of text: Markdown escapes the brackets (\\[ reads as [).
    printed = {"txt": MARKUP_NAME, "md": MARKUP_NAME.replace("[", "\\[").replace("]", "\\]"), "html": MARKUP_NAME}
    for fmt_ in ("txt", "md", "html"):
        done = cli("render", str(path), "--format", fmt_)
        assert done.returncode == 0, done.stderr
        assert printed[fmt_] in done.stdout.replace("&#34;", '"'), fmt_
    docx = tmp_path / "a.docx"
    done = cli("render", str(path), "--format", "docx", "-o", str(docx))
    assert done.returncode == 0, done.stderr
    from docx import Document

    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert MARKUP_NAME in text


def test_a_failing_new_year_writes_nothing(cli, tmp_path: Path, workspace) -> None:
    tmp_path = tmp_path / "d"
    tmp_path.mkdir()
    path = _named(tmp_path)
    blocked = tmp_path / "文件"
    blocked.write_text("x", encoding="utf-8")
    done = cli("new-year", str(path), "-o", str(blocked / "新.json"))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "不是文件夹" in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "文件"]


def test_typed_control_characters_and_newlines_never_reach_an_output(tmp_path: Path) -> None:
    from gkassist.render import render_text

    r = example_report()
    r.agency.name = "甲\x1b[31m镇\u202e人民政府\n# 伪造的标题"
    r.contact = "电话\r\n# 也不是标题\x07"
    assert r.agency.name == "甲镇人民政府 # 伪造的标题"
    assert "\n" not in r.contact and "\x07" not in r.contact
    md = render_text(r, "md")
    assert "\n# 伪造的标题" not in md and "\n# 也不是标题" not in md
    assert "\x1b" not in md and "\u202e" not in md


async def test_the_app_shows_a_markup_name_literally(tmp_path: Path, workspace: Path) -> None:
    from gkassist.tui.app import make_app
    from gkassist.tui.chat import ChatScreen

    path = _named(workspace)
    app = make_app(workspace=workspace, report_path=path)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        chat = next(s for s in app.screen_stack if isinstance(s, ChatScreen))
        app.notify(f"已导出：{MARKUP_NAME}.txt")
        await pilot.pause()
        assert any(n.message == f"已导出：{MARKUP_NAME}.txt" for n in app._notifications)
        assert not app.internal_errors
        chat.action_toggle_preview()
        await pilot.pause()
        preview = "\n".join(str(part.render()) for part in chat.query(".preview-part"))
        assert MARKUP_NAME in preview


# ------------------------------------------------------------------ output errors


def test_render_onto_a_folder_is_one_sentence(cli, tmp_path: Path, workspace) -> None:
    path = _named(tmp_path, "乙镇人民政府")
    done = cli("render", str(path), "-o", str(tmp_path))
    assert done.returncode == 2
    assert "是一个文件夹" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_render_under_a_file_is_one_sentence(cli, tmp_path: Path, workspace) -> None:
    path = _named(tmp_path, "乙镇人民政府")
    done = cli("render", str(path), "--format", "docx", "-o", str(path / "x.docx"))
    assert done.returncode == 2 and "不是文件夹" in done.stderr and "Traceback" not in done.stderr


def test_render_with_stdout_closed_is_one_sentence(tmp_path: Path, workspace) -> None:
    path = _named(tmp_path, "乙镇人民政府")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "gkassist", "render", str(path)], check=False,
                          stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, env=env, timeout=60,
                          preexec_fn=lambda: os.close(1))
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == 2, stderr
    assert "标准输出" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "磁盘已满"), (errno.EACCES, "没有写入权限"),
                                         (errno.EROFS, "只读")])
def test_render_write_failures_are_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str], code: int, words: str) -> None:
    path = _named(tmp_path, "乙镇人民政府")

    def fail(*_a, **_k):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(store, "atomic_write_bytes", fail)
    out = tmp_path / "x.txt"
    assert cli_module.main(["render", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert words in err and "内部错误" not in err and "Traceback" not in err
    assert not out.exists()


# ------------------------------------------------------------------ crash logs


def test_crash_logs_are_timestamped_private_and_only_ten_kept(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(crashlog.LOG_DIR_ENV, str(tmp_path / "logs"))
    paths = []
    for n in range(12):
        path, why = crashlog.write_crash_log(ValueError(f"第{n}次"))
        assert path is not None, why
        paths.append(path)
    logs = sorted((tmp_path / "logs").iterdir())
    assert len(logs) == 10 and logs == sorted(paths[2:])
    assert "第11次" in logs[-1].read_text(encoding="utf-8")
    if os.name != "nt":
        assert (logs[-1].stat().st_mode & 0o077) == 0
    said = crashlog.crash_sentence(ValueError("x"))
    newest = max((tmp_path / "logs").iterdir())
    assert said == f"详细信息已写入 {newest}，请把它发给维护人员。"


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_a_crash_log_never_follows_a_link(tmp_path: Path, monkeypatch) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    logs = tmp_path / "logs"
    logs.symlink_to(tmp_path / "elsewhere")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.setenv(crashlog.LOG_DIR_ENV, str(logs))
    path, why = crashlog.write_crash_log(ValueError("x"))
    assert path is None and "链接" in why
    assert "未能写入日志" in crashlog.crash_sentence(ValueError("x"))
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert victim.read_text(encoding="utf-8") == "keep"


def test_the_cli_names_the_crash_log_it_really_wrote(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv(crashlog.LOG_DIR_ENV, str(tmp_path / "logs"))

    def boom(_args):
        raise ZeroDivisionError("故意的")

    monkeypatch.setitem(cli_module.COMMANDS, "schema", boom)
    assert cli_module.main(["schema"]) == 2
    err = capsys.readouterr().err
    logs = list((tmp_path / "logs").iterdir())
    assert len(logs) == 1 and logs[0].name in err.replace("\n", "")
    assert "ZeroDivisionError" in logs[0].read_text(encoding="utf-8")


# ------------------------------------------------------------------ a long narrative


CHECK_CHILD = r"""
import resource, sys, time
limit = 500 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from gkassist.cli import main
t = time.monotonic()
code = main(["check", "--json", sys.argv[1]])
print("SECONDS", time.monotonic() - t, file=sys.stderr)
sys.exit(code)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS")
def test_an_844_kb_answers_file_checks_within_10_s_and_500_mb(tmp_path: Path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from _longtext import long_report

    r = long_report()
    path = tmp_path / "长.json"
    store.save_report(r, path)
    size = path.stat().st_size
    assert 820_000 <= size <= 900_000, size
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHECK_CHILD, str(path)], check=False, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=10)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert isinstance(json.loads(done.stdout), list)


async def test_the_start_screen_lists_a_markup_name_literally(workspace: Path) -> None:
    from textual.widgets import DataTable

    from gkassist.tui.app import make_app
    from gkassist.tui.start import StartScreen

    r = example_report()
    r.agency.name = "乙[b]镇[/]人民政府"
    store.save_report(r, workspace / "[b]乙.json")
    app = make_app(workspace=workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        table = app.screen.query_one("#reports", DataTable)
        # what is drawn, not only what is stored: the cells' rendered lines
        drawn = "".join(s.text for y in range(table.size.height) for s in table.render_line(y))
        assert "乙[b]镇[/]人民政府" in drawn and "[b]乙.json" in drawn
        assert not app.internal_errors
