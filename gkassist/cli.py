"""The command line: parses arguments, calls the domain modules, prints with Rich.

Every command reads and writes through `store` and reports problems as one Chinese sentence
(exit 2), never a traceback. The TUI is imported only by the commands that open it.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from rich.console import Console
from rich.table import Table

from gkassist import __version__, store
from gkassist.errors import GkError

if TYPE_CHECKING:
    from gkassist.model import Report

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _console(stderr: bool = False) -> Console:
    # Rich guesses the width from the terminal; a pipe gets a wide line so tables stay whole.
    return Console(stderr=stderr, highlight=False, soft_wrap=False,
                   width=None if sys.stdout.isatty() else 160)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[override]
        # argparse asks for the bare usage (prefix "") to name a sub-command: keep that bare,
        # or every sub-command's help would read 用法：用法：…
        return super().add_usage(usage, actions, groups, prefix="用法：" if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese section titles and error messages."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示本帮助并退出")

    def error(self, message: str) -> None:  # type: ignore[override]
        message = (message.replace("the following arguments are required", "缺少参数")
                   .replace("unrecognized arguments", "不认识的参数")
                   .replace("invalid choice", "无效的选项")
                   .replace("choose from", "可选")
                   .replace("expected one argument", "后面需要一个值"))
        self.exit(EXIT_INPUT, f"gkassist：{message}\n用 gkassist --help 查看用法。\n")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="gkassist",
        description="政府信息公开工作年度报告（2021年格式）起草助手。\n"
                    "不带命令运行时打开起草界面（默认工作目录 ~/gkassist）。",
        epilog="例子：\n  gkassist example -o 示例.json\n  gkassist check 示例.json\n"
               "  gkassist render 示例.json --format txt -o 报告.txt",
    )
    p.add_argument("--version", action="version", version=f"gkassist {__version__}", help="显示版本号")
    p.add_argument("--workspace", type=Path, metavar="目录",
                   help="工作目录（默认 ~/gkassist，也可用环境变量 GKASSIST_HOME 指定）")
    sub = p.add_subparsers(dest="command", title="命令", metavar="命令", parser_class=_Parser)

    s = sub.add_parser("draft", help="打开一份报告继续起草",
                       description="在起草界面中打开一份报告，接着上次的地方继续。")
    s.add_argument("file", type=Path, metavar="答案文件.json", help="要继续起草的答案文件")

    s = sub.add_parser("example", help="生成一份完整的示例报告（虚构的镇）")
    s.add_argument("-o", "--output", type=Path, required=True, metavar="文件.json", help="示例报告保存到哪里")

    s = sub.add_parser("check", help="检查报告：勾稽关系、标签、常见错误",
                       description="检查一份报告。也可以直接检查已发布的 txt、html、docx、pdf：先导入再检查。")
    s.add_argument("file", type=Path, metavar="报告文件",
                   help="答案文件（.json），或已发布的报告（.txt .html .docx .pdf，自动先导入）")
    s.add_argument("--previous", type=Path, metavar="上年报告",
                   help="上一年的报告（答案文件或已发布的文件），用于跨年检查")
    s.add_argument("--json", action="store_true", help="以 JSON 输出检查结果")

    s = sub.add_parser("render", help="生成报告正文（txt、md、html、docx）")
    s.add_argument("file", type=Path, metavar="答案文件.json", help="要输出的答案文件")
    s.add_argument("--format", choices=["txt", "md", "html", "docx"], default="txt", help="输出格式（默认 txt）")
    s.add_argument("-o", "--output", type=Path, metavar="输出文件", help="写入文件（不写则输出到屏幕；docx 必须指定）")

    sub.add_parser("schema", help="输出答案文件的 JSON Schema")

    s = sub.add_parser("suggest", help="列出第五、一、六部分的推荐段落及理由")
    s.add_argument("file", type=Path, metavar="答案文件.json", help="按哪份报告的数据推荐")
    s.add_argument("--section", choices=["五", "一", "六"], default="五", help="哪一部分（默认 五）")
    s.add_argument("--previous", type=Path, metavar="上年.json", help="上一年的报告")

    s = sub.add_parser("import", help="导入已发布的报告（txt、html、docx、pdf）")
    s.add_argument("file", type=Path, metavar="报告文件", help="已发布的报告文件（txt、html、docx、pdf）")
    s.add_argument("-o", "--output", type=Path, metavar="答案文件.json", help="保存位置（默认存入工作目录）")

    s = sub.add_parser("new-year", help="以上年报告为底稿开始新一年")
    s.add_argument("file", type=Path, metavar="上年.json", help="上一年的答案文件（已发布的报告请先 import）")
    s.add_argument("-o", "--output", type=Path, metavar="新年.json", help="保存位置（默认与上年文件同一目录）")

    s = sub.add_parser("diff", help="对比两年的报告：数字变化和文字重复程度",
                       description="对比两年的报告。两份都可以是答案文件，"
                                   "也可以是已发布的 txt、html、docx、pdf（自动先导入）。")
    s.add_argument("last", type=Path, metavar="上年报告", help="上一年的报告（答案文件或已发布的文件）")
    s.add_argument("this", type=Path, metavar="本年报告", help="这一年的报告（答案文件或已发布的文件）")
    return p


# ------------------------------------------------------------------ commands


def cmd_example(args: argparse.Namespace) -> int:
    from gkassist.example import example_report

    store.save_report(example_report(), args.output)
    _console().print(f"已生成示例报告：{args.output}")
    return EXIT_OK


PUBLISHED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


def _load_any(path: Path) -> "Report":
    """An answers file, or a published report (txt/html/docx/pdf) imported first — in memory
    only; say so on stderr, so that `check --json` output stays pure JSON."""
    path = Path(path)
    if path.suffix.lower() not in PUBLISHED_SUFFIXES:
        return store.load_report(path)
    if not path.is_file():
        raise GkError(f"找不到文件 {path}。")
    from gkassist.importers import import_file

    result = import_file(path)
    _console(stderr=True).print(f"{path.name} 是已发布的报告，已先导入再处理（没有保存答案文件；"
                                f"要接着起草请用 gkassist import）。")
    return result.report


def cmd_check(args: argparse.Namespace) -> int:
    report = _load_any(args.file)
    previous = _load_any(args.previous) if args.previous else None
    from gkassist.checks import Severity, check

    findings = check(report, previous)
    if args.json:
        rows = [f.as_dict() for f in findings]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    else:
        print_findings(findings, _console())
    return EXIT_FINDINGS if any(f.severity is Severity.ERROR for f in findings) else EXIT_OK


def print_findings(findings: list, console: Console) -> None:
    from gkassist.checks import Severity

    if not findings:
        console.print("[green]检查通过：没有发现问题。[/]")
        return
    table = Table(title="检查结果", show_lines=False)
    table.add_column("规则", no_wrap=True)
    table.add_column("级别", no_wrap=True)
    # Rich cannot break a long run of Chinese at spaces; fold it instead of cutting it off.
    table.add_column("位置", overflow="fold")
    table.add_column("说明", overflow="fold")
    style = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
    for f in findings:
        table.add_row(f.rule, f"[{style[f.severity]}]{f.severity.value}[/]", f.location, f.message)
    console.print(table)
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    console.print("，".join(f"{s.value} {n} 条" for s, n in counts.items()))


def cmd_render(args: argparse.Namespace) -> int:
    from gkassist import render

    report = store.load_report(args.file)
    if args.format == "docx":
        if not args.output:
            raise GkError("Word 格式需要用 -o 指定输出文件，例如 -o 报告.docx。")
        store.atomic_write_bytes(args.output, render.render_docx(report), backup=False)
    else:
        text = render.render_text(report, args.format)
        if not args.output:
            sys.stdout.write(text)
            return EXIT_OK
        store.atomic_write_text(args.output, text, backup=False)
    _console().print(f"已写入 {args.output}")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from gkassist.model import Report

    sys.stdout.write(json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def cmd_suggest(args: argparse.Namespace) -> int:
    from gkassist.library import print_suggestions

    report = store.load_report(args.file)
    previous = store.load_report(args.previous) if args.previous else None
    workspace = store.default_workspace() if args.workspace is None else args.workspace
    print_suggestions(report, args.section, _console(), previous=previous, workspace=workspace)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from gkassist.importers import import_file, print_import

    result = import_file(args.file)
    out = args.output
    if out is None:
        folder = store.ensure_workspace(args.workspace)
        name = store.answers_filename(result.report)
        out, n = folder / name, 2
        while out.exists():  # a second import never replaces a draft the clerk may have edited since
            out = folder / f"{Path(name).stem}（导入{n}）.json"
            n += 1
    store.save_report(result.report, out)
    print_import(result, _console())
    _console().print(f"已保存为 {out}")
    return EXIT_OK


def cmd_new_year(args: argparse.Namespace) -> int:
    from gkassist.carry import carry_forward, print_carry

    last = store.load_report(args.file)
    result = carry_forward(last)
    out = args.output or (Path(args.file).parent / store.answers_filename(result.report))
    if out.exists():
        raise GkError(f"{out} 已存在，为免覆盖，请用 -o 指定另一个文件名。")
    store.save_report(result.report, out)
    print_carry(result, _console())
    _console().print(f"已生成 {result.report.year} 年底稿：{out}")
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    from gkassist.diff import print_diff

    print_diff(_load_any(args.last), _load_any(args.this), _console())
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    from gkassist.tui.app import run_app

    workspace = store.ensure_workspace(args.workspace)
    return run_app(workspace=workspace, report_path=getattr(args, "file", None))


COMMANDS = {
    None: cmd_app, "draft": cmd_app, "example": cmd_example, "check": cmd_check,
    "render": cmd_render, "schema": cmd_schema, "suggest": cmd_suggest, "import": cmd_import,
    "new-year": cmd_new_year, "diff": cmd_diff,
}


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_streams()
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except GkError as exc:
        _console(stderr=True).print(f"[red]错误：[/]{exc.message}", markup=True)
        return EXIT_INPUT
    except KeyboardInterrupt:
        _console(stderr=True).print("已中断。已保存的内容不受影响。")
        return 130
    except Exception as exc:  # the last guard: a clerk never sees a traceback
        log = _write_crash_log(exc)
        _console(stderr=True).print(
            f"[red]程序内部错误[/]（{type(exc).__name__}）。已保存的内容不受影响。"
            f"详细信息已写入 {log}，请把它发给维护人员。")
        return EXIT_INPUT


def _utf8_streams() -> None:
    # Windows consoles and pipes may default to a legacy code page; Chinese must survive.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[attr-defined]
        except (AttributeError, ValueError):
            pass


def _write_crash_log(exc: BaseException) -> Path:
    import tempfile
    import traceback

    path = Path(tempfile.gettempdir()) / "gkassist-crash.log"
    try:
        path.write_text("".join(traceback.format_exception(exc)), encoding="utf-8")
    except OSError:
        pass
    return path
