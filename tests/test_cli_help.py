"""The command line's help (one 用法, every argument described) and check/diff on published files."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from gkassist.cli import build_parser


def _subparsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_help_says_usage_once_and_describes_every_argument() -> None:
    for name, sub in _subparsers().items():
        text = sub.format_help()
        assert text.count("用法：") == 1, (name, text)
        assert text.startswith(f"用法：gkassist {name}"), text
        for action in sub._actions:
            assert action.help, f"{name}: {action.dest} has no description"


def test_check_a_published_txt_imports_it_first(cli, samples_dir: Path) -> None:
    done = cli("check", str(samples_dir / "2021_gaopingzhen.txt"), "--json")
    assert done.returncode in (0, 1), done.stderr
    findings = json.loads(done.stdout)  # stdout stays pure JSON; the note goes to stderr
    assert isinstance(findings, list) and findings
    assert "已先导入" in done.stderr and "损坏" not in done.stderr


def test_diff_two_published_reports(cli, samples_dir: Path, tmp_path: Path) -> None:
    done = cli("diff", str(samples_dir / "2021_gaopingzhen.txt"), str(samples_dir / "2023_shuyang-fagaiju.txt"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()


def test_check_a_missing_published_file_says_so(cli, tmp_path: Path) -> None:
    done = cli("check", str(tmp_path / "没有这个.docx"))
    assert done.returncode == 2
    assert "找不到文件" in done.stderr and "Traceback" not in done.stderr
