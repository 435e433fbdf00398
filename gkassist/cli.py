"""The command line: parses arguments, calls the domain modules, prints with Rich.

Every command reads and writes through `store` and reports problems as one Chinese sentence
(exit 2), never a traceback. The TUI is imported only by the commands that open it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from gkassist import __version__
from gkassist.errors import GkError

if TYPE_CHECKING:
    from gkassist import carry
    from gkassist import diff as diff_mod
    from gkassist.model import Report

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT = 0, 1, 2


def _console(stderr: bool = False) -> Console:
    # Rich guesses the width from the terminal; a pipe gets a wide line so tables stay whole.
    # No emoji codes either: a typed ":smile:" is text.
    return Console(stderr=stderr, highlight=False, soft_wrap=False, emoji=False,
                   width=None if sys.stdout is not None and sys.stdout.isatty() else 160)


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
        for group in self._action_groups:  # the two default groups: positionals first, then options
            group.title = {"positional arguments": "参数", "options": "选项"}.get(group.title or "", group.title)
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

    s = sub.add_parser("render", help="生成报告正文（txt、md、html、docx）或三张表格（xlsx）")
    s.add_argument("file", type=Path, metavar="答案文件.json", help="要输出的答案文件")
    s.add_argument("--format", choices=["txt", "md", "html", "docx", "xlsx"], default="txt",
                   help="输出格式（默认 txt；xlsx 为三张统计表）")
    s.add_argument("--fragment", action="store_true",
                   help="只输出网页正文片段（样式写在每个元素上），用于粘贴到门户网站的编辑器；仅用于 html")
    s.add_argument("-o", "--output", type=Path, metavar="输出文件",
                   help="写入文件（不写则输出到屏幕；docx、xlsx 必须指定）")

    sub.add_parser("schema", help="输出答案文件的 JSON Schema")

    s = sub.add_parser("suggest", help="列出第五、一、六部分的推荐段落及理由")
    s.add_argument("file", type=Path, metavar="答案文件.json", help="按哪份报告的数据推荐")
    s.add_argument("--section", choices=["五", "一", "六"], default="五", help="哪一部分（默认 五）")
    s.add_argument("--previous", type=Path, metavar="上年.json", help="上一年的报告")

    s = sub.add_parser("import", help="导入已发布的报告（txt、html、docx、pdf）或统计表（xlsx）")
    s.add_argument("file", type=Path, metavar="报告文件", help="已发布的报告文件（txt、html、docx、pdf、xlsx）")
    s.add_argument("-o", "--output", type=Path, metavar="答案文件.json", help="保存位置（默认存入工作目录）")

    s = sub.add_parser("new-year", help="以上年报告为底稿开始新一年")
    s.add_argument("file", type=Path, metavar="上年.json", help="上一年的答案文件（已发布的报告请先 import）")
    s.add_argument("-o", "--output", type=Path, metavar="新年.json", help="保存位置（默认与上年文件同一目录）")

    s = sub.add_parser("diff", help="对比两年的报告：数字变化和文字重复程度",
                       description="对比两年的报告。两份都可以是答案文件，"
                                   "也可以是已发布的 txt、html、docx、pdf（自动先导入）。")
    s.add_argument("last", type=Path, metavar="上年报告", help="上一年的报告（答案文件或已发布的文件）")
    s.add_argument("this", type=Path, metavar="本年报告", help="这一年的报告（答案文件或已发布的文件）")

    s = sub.add_parser("aggregate", help="汇总各单位的报告：逐份检查，按合计起草县（区）的报告")
    s.add_argument("sources", type=Path, nargs="+", metavar="报告或文件夹",
                   help="各单位的报告（答案文件 .json 或已发布的 txt/html/docx 等），或存放它们的文件夹")
    s.add_argument("-o", "--output", type=Path, required=True, metavar="县.json", help="汇总后县报告的答案文件")
    s.add_argument("--agency", required=True, metavar="机关全称", help="汇总后报告的机关全称，如 某某县人民政府")
    s.add_argument("--year", type=int, metavar="年度", help="汇总哪一年（默认取多数单位报告的年度）")
    s.add_argument("--expect", type=Path, metavar="单位名单.txt", help="应报送的单位名单，每行一个全称")
    s.add_argument("--previous", type=Path, metavar="上年县.json", help="上一年县报告（取上年结转、作对比）")
    s.add_argument("--check-against", type=Path, metavar="县已发布报告",
                   help="县里已发布的报告，逐格与各单位合计比对（规则 H1）")
    s.add_argument("--include-pending", action="store_true",
                   help="有待核对或空白数据格的单位也计入合计（空白按 0）")
    s.add_argument("--review", type=Path, metavar="审核表.xlsx", help="写出审核表（Excel）")
    s.add_argument("--review-html", type=Path, metavar="审核.html", help="写出审核网页")
    return p


# ------------------------------------------------------------------ commands


def cmd_example(args: argparse.Namespace) -> int:
    from gkassist import store
    from gkassist.example import example_report

    _writable(args.output)
    store.locked_save(example_report(), args.output)
    _console().print(f"已生成示例报告：{args.output}", markup=False)
    return EXIT_OK


PUBLISHED_SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


def _load_any(path: Path) -> Report:
    """An answers file, or a published report (txt/html/docx/pdf) imported first — in memory
    only; say so on stderr, so that `check --json` output stays pure JSON."""
    from gkassist import store

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
        # location and message quote typed text: Text, never markup
        table.add_row(f.rule, RichText(f.severity.value, style=style[f.severity]), RichText(f.location),
                      RichText(f.message))
    console.print(table)
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    console.print("，".join(f"{s.value} {n} 条" for s, n in counts.items()))


def cmd_render(args: argparse.Namespace) -> int:
    from gkassist import render, store

    report = store.load_report(args.file)
    if args.fragment and args.format != "html":
        raise GkError("--fragment 只用于网页格式，请同时写 --format html。")
    if args.format in ("docx", "xlsx") and not args.output:
        kind = "Word" if args.format == "docx" else "Excel"
        raise GkError(f"{kind} 格式需要用 -o 指定输出文件，例如 -o 报告.{args.format}。")
    if args.output:
        _writable(args.output)
    elif sys.stdout is None:
        raise GkError("标准输出已关闭，无法输出正文；请用 -o 指定输出文件。")
    if args.format in ("docx", "xlsx"):
        _write_output(args.output, render.render_docx(report) if args.format == "docx" else render.render_xlsx(report))
    else:
        text = render.render_text(report, args.format, fragment=args.fragment)
        if not args.output:
            _stdout_write(text)
            return EXIT_OK
        _write_output(args.output, text.encode(store.ENCODING, "replace"))
    _console().print(f"已写入 {args.output}", markup=False)
    return EXIT_OK


def _writable(out: Path) -> None:
    """Refuse an output target that can never be written, before any work or write is done."""
    out = Path(out)
    if out.is_dir():
        raise GkError(f"{out} 是一个文件夹，不能写成文件；请在 -o 后写上文件名，例如 -o {out / '报告.txt'}。")
    parent = out.parent
    if parent.exists() and not parent.is_dir():
        raise GkError(f"无法写入 {out}：{parent} 不是文件夹。请检查路径。")


def _write_output(out: Path, data: bytes) -> None:
    from gkassist import store

    try:
        store.atomic_write_bytes(out, data, backup=False)
    except OSError as exc:
        raise GkError(f"无法写入 {out}：{store.describe_os_error(exc)}。没有留下不完整的文件。") from None


def _stdout_write(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except (BrokenPipeError, ValueError, OSError) as exc:
        _quiet_stdout()
        raise GkError("标准输出已关闭或无法写入，正文没有输出完整；请用 -o 指定输出文件。") from exc


def cmd_schema(args: argparse.Namespace) -> int:
    from gkassist.model import Report

    sys.stdout.write(json.dumps(Report.model_json_schema(), ensure_ascii=False, indent=2) + "\n")
    return EXIT_OK


def cmd_suggest(args: argparse.Namespace) -> int:
    from gkassist import store

    report = store.load_report(args.file)
    previous = store.load_report(args.previous) if args.previous else None
    workspace = store.default_workspace() if args.workspace is None else args.workspace
    print_suggestions(report, args.section, _console(), previous=previous, workspace=workspace)
    return EXIT_OK


_TABLE_COUNTS = ("表二：", "表三：", "表四：")


def print_import(result, console: Console) -> None:
    """What an import found and did not, per table how many cells were read (✓ only for a table
    whose every cell was read and whose sums hold), and the findings of `check`."""
    from gkassist.importers import SOURCE_KINDS

    printed = result.report.printed
    source = printed.source if printed and printed.source else "（文字）"
    console.print(f"已导入 {source}（{SOURCE_KINDS.get(result.source_kind, result.source_kind)}）", markup=False)
    found = [f for f in result.found if not f.startswith(_TABLE_COUNTS)]
    if found:
        console.print("找到：", style="bold")
        for item in found:
            console.print(f"  ✓ {item}", markup=False)
    if result.tables:
        console.print("统计表：", style="bold")
        for t in result.tables:
            console.print(f"  {'✓' if t.complete else '✗'} {t.line()}", markup=False)
    if result.missing:
        console.print("没有找到或无法读取：", style="bold")
        for item in result.missing:
            console.print(f"  ✗ {item}", markup=False)
    pending = result.report.draft.pending
    if pending:
        console.print(f"有 {len(pending)} 格数字待核对：导入时无法确定，已留空。请对照原文填写或确认。", markup=False)
    findings = result.findings
    if not findings:
        console.print("检查：没有发现问题。")
        return
    console.print(f"检查发现 {len(findings)} 处问题：", style="bold")
    for f in findings:
        severity = getattr(f.severity, "value", f.severity)
        console.print(f"  [{f.rule}] {severity} {f.location}：{f.message}", markup=False, soft_wrap=True)


def cmd_import(args: argparse.Namespace) -> int:
    from gkassist import store
    from gkassist.importers import import_file

    result = import_file(args.file)
    console = _console()
    with console.capture() as shown:  # printed only once saved: no write before it can finish
        print_import(result, console)
    out = args.output
    if out is None:
        folder = store.ensure_workspace(args.workspace)
        name = store.answers_filename(result.report)
        out, n = folder / name, 2
        while out.exists():  # a second import never replaces a draft the clerk may have edited since
            out = folder / f"{Path(name).stem}（导入{n}）.json"
            n += 1
    _writable(out)
    if Path(out).exists():
        raise GkError(f"{out} 已存在，为免覆盖，请用 -o 指定另一个文件名。")
    store.locked_save(result.report, out)
    _stdout_write(shown.get())
    console.print(f"已保存为 {out}", markup=False)
    pending = len(result.report.draft.pending)
    if pending:
        console.print(f"其中 {pending} 格待核对。运行 gkassist draft \"{out}\" 打开这份报告，"
                      f"会先逐格请您对照原文确认这几格的数字（列出可能的拆法供您选）。", markup=False)
    return EXIT_OK


def cmd_new_year(args: argparse.Namespace) -> int:
    from gkassist import store
    from gkassist.carry import carry_forward

    last = store.load_report(args.file)
    result = carry_forward(last)
    out = args.output or (Path(args.file).parent / store.answers_filename(result.report))
    if out.exists():
        raise GkError(f"{out} 已存在，为免覆盖，请用 -o 指定另一个文件名。")
    _writable(out)
    console = _console()
    with console.capture() as shown:  # printed only once saved: no write before it can finish
        print_carry(result, console)
    store.locked_save(result.report, out)
    _stdout_write(shown.get())
    console.print(f"已生成 {result.report.year} 年底稿：{out}", markup=False)
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    print_diff(_load_any(args.last), _load_any(args.this), _console())
    return EXIT_OK


def cmd_aggregate(args: argparse.Namespace) -> int:
    import time

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    from gkassist import store
    from gkassist.aggregate import PROBLEM_KINDS, aggregate, read_expect, read_report
    from gkassist.review import review_html, review_xlsx

    previous = store.load_report(args.previous) if args.previous else None
    check_against = read_report(args.check_against) if args.check_against else None
    expect = read_expect(args.expect) if args.expect else None
    console = _console()
    bar = Progress(TextColumn("读取并检查各单位报告"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                   console=_console(stderr=True), transient=True)
    started = time.monotonic()
    task = None

    def progress(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            if time.monotonic() - started < 1.0 or done >= total:
                return  # anything quicker than a second needs no bar
            bar.start()
            task = bar.add_task("units", total=total)
        bar.update(task, completed=done)

    try:
        rollup = aggregate(args.sources, args.agency, year=args.year, expect=expect, previous=previous,
                           check_against=check_against, include_pending=args.include_pending,
                           progress=progress, skip=[p for p in (args.output, args.review, args.review_html) if p],
                           workspace=store.default_workspace() if args.workspace is None else args.workspace)
    finally:
        bar.stop()
    # Everything is built before anything is written: Ctrl+C until here leaves no file behind.
    outputs: list[tuple[Path, bytes]] = [(args.output, store.dumps_report(rollup.county).encode("utf-8"))]
    with _console(stderr=True).status("正在生成审核表……", spinner="line"):  # minutes for thousands of units
        if args.review:
            outputs.append((args.review, review_xlsx(rollup)))
        if args.review_html:
            outputs.append((args.review_html, review_html(rollup).encode("utf-8")))
    for path, data in outputs:
        try:
            store.atomic_write_bytes(path, data, backup=path == args.output)
        except OSError as exc:
            raise GkError(f"无法写入 {path}：{exc.strerror or exc}。") from exc

    console.print(f"收到 {len(rollup.units)} 份报告，{len(rollup.counted)} 份计入 {rollup.year} 年合计。", markup=False)
    if rollup.problems:
        table = Table(title="需要处理的问题", show_lines=False)
        table.add_column("类别", no_wrap=True)
        table.add_column("单位", overflow="fold")
        table.add_column("说明", overflow="fold")
        for p in rollup.problems:
            kind = PROBLEM_KINDS.get(p.kind, p.kind)
            table.add_row(kind if p.blocking else f"{kind}（提示）", p.unit, p.message)
        console.print(table)
    errors = sum(1 for u in rollup.units if u.errors)
    if errors:
        console.print(f"{errors} 个单位的报告有“错误”级别的问题，详见审核表。", markup=False)
    if rollup.findings:
        console.print(f"县报告草稿的检查结果（{len(rollup.findings)} 条）：", markup=False)
        print_findings(rollup.findings, console)
    for path, _ in outputs:
        console.print(f"已写入 {path}", markup=False)
    return EXIT_FINDINGS if rollup.blocking else EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    from gkassist.tui.app import run_app
    from gkassist.workspace import ensure_workspace

    workspace = ensure_workspace(args.workspace)
    return run_app(workspace=workspace, report_path=getattr(args, "file", None))


COMMANDS = {
    None: cmd_app, "draft": cmd_app, "example": cmd_example, "check": cmd_check,
    "render": cmd_render, "schema": cmd_schema, "suggest": cmd_suggest, "import": cmd_import,
    "new-year": cmd_new_year, "diff": cmd_diff, "aggregate": cmd_aggregate,
}


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_streams()
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except GkError as exc:
        _say(exc.message)
        return EXIT_INPUT
    except KeyboardInterrupt:
        _say("已中断。已保存的内容不受影响。", head="")
        return 130
    except BrokenPipeError:
        _quiet_stdout()
        _say("标准输出已关闭，输出没有完成；请用 -o 写入文件。")
        return EXIT_INPUT
    except OSError as exc:  # a read or write the command did not foresee: still one sentence
        from gkassist.store import describe_os_error

        where = f" {exc.filename}" if exc.filename else ""
        _say(f"无法读写{where}：{describe_os_error(exc)}。")
        return EXIT_INPUT
    except Exception as exc:  # noqa: BLE001 — the last guard: a clerk never sees a traceback
        from gkassist.crashlog import crash_sentence

        _say(f"（{type(exc).__name__}）。已保存的内容不受影响。{crash_sentence(exc)}", head="程序内部错误")
        return EXIT_INPUT


def _say(message: str, *, head: str = "错误：") -> None:
    """One message on stderr: `head` in red, then the message as text (it quotes typed text and
    file names, so it is never read as markup)."""
    if sys.stderr is None:
        return
    try:
        line = RichText.assemble((head, "red"), message) if head else RichText(message)
        _console(stderr=True).print(line, soft_wrap=True)  # one line, never cut
    except (OSError, ValueError):
        pass  # stderr is gone too: the exit code is all that is left


def _quiet_stdout() -> None:
    # Python flushes stdout at exit; a closed pipe must not print a second error then.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _utf8_streams() -> None:
    # Windows consoles and pipes may default to a legacy code page; Chinese must survive.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8", errors="replace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


# ------------------------------------------------------------------ printing what the domain returns
# The domain modules return data (CarryResult, ReportDiff, suggestions); only the CLI prints.

def print_carry(result: carry.CarryResult, console: Console) -> None:
    """What was carried, which years moved on, and what the clerk must confirm."""
    from gkassist import carry
    from gkassist import format as fmt

    report = result.report
    # Typed text (the agency's name, carried paragraphs) is printed as text, never as markup.
    console.print(RichText.assemble((report.title or "新年度底稿", "bold"), f"（由 {report.draft.carried_from} 年报告带入）"))

    carried = report.applications.row("carried")
    table = Table(title=f"表三 {fmt.T3_ROW['carried'].label}（{carry.CARRIED_ROW_NOTE}）")
    for key in (*fmt.COLUMN_KEYS, "total"):
        table.add_column(fmt.COLUMN_LABEL[key], justify="right")
    table.add_row(*("空" if v is None else str(v) for v in carried.values().values()), str(carried.total))
    console.print(table)

    if result.changes:
        console.print(f"[yellow]以下 {len(result.changes)} 处已改动（年份顺延、自称改正），请逐一核对：[/]")
        for line in result.changes:
            console.print(f"  • {line}", markup=False)
    else:
        console.print("带入的文字中没有需要顺延的年份。")

    if result.figures:
        console.print("[yellow]以下带入的文字写有上年的数字：[/]")
        for line in result.figures:
            console.print(f"  • {line}", markup=False)

    notes = {p: n for p, n in report.draft.to_confirm.items() if p != carry.CARRIED_ROW_PATH}
    if notes:
        console.print("[yellow]待确认：[/]")
        for path, note in notes.items():
            console.print(f"  • {_describe_carried(path)}：{note}", markup=False)
    console.print("其余数字均为空，需按今年情况填写。")


def _describe_carried(path: str) -> str:
    from gkassist import carry
    from gkassist import format as fmt

    for field_path, where in carry.NARRATIVE_FIELDS:
        if field_path == path:
            return where
    if path == carry.FOLLOWUP_PATH:
        return f"{fmt.SECTION_LABEL['problems']} {fmt.FOLLOWUP_HEAD}"
    if path.startswith("proactive."):
        from gkassist.store import describe_field

        return describe_field(tuple(path.split(".")))
    return path


def _show(value: diff_mod.Figure) -> str:
    return "空" if value is None else str(value)


def _show_change(row: diff_mod.FigureRow) -> str:
    if not row.changed:
        return ""
    change = row.change
    if change is None:
        return "有变化"
    return f"+{change}" if change > 0 else str(change)


def print_diff(last: Report, this: Report, console: Console) -> diff_mod.ReportDiff:
    """The figures side by side (changes highlighted), then how much of each part is unchanged."""
    from gkassist import diff as diff_mod

    diff = diff_mod.diff_reports(last, this)
    a = f"{diff.last_year}年" if diff.last_year else "上年"
    b = f"{diff.this_year}年" if diff.this_year else "本年"

    table = Table(title=f"数字对比：{a} → {b}")
    table.add_column("项目")
    table.add_column(a, justify="right")
    table.add_column(b, justify="right")
    table.add_column("变化", justify="right")
    hidden = 0
    for row in diff.figures:
        # Table 三 has 175 cells; its 总计 column, changed cells and non-zero cells tell the story.
        if (row.table == "三" and not row.changed and not row.field.endswith(".total")
                and not row.last and not row.this):
            hidden += 1
            continue
        style = "bold yellow" if row.changed else ""
        table.add_row(row.label, _show(row.last), _show(row.this), _show_change(row), style=style)
    console.print(table)
    if hidden:
        console.print(f"表三另有 {hidden} 个单元格两年均为 0 或空，未列出。")
    changed = len(diff.changed_figures)
    console.print(f"共 {len(diff.figures)} 个数字，{changed} 个有变化。" if changed else
                  f"共 {len(diff.figures)} 个数字，两年完全相同。")

    text = Table(title="文字对比：本年文字中与上年相同的比例")
    text.add_column("部分")
    text.add_column(f"{a}字数", justify="right")
    text.add_column(f"{b}字数", justify="right")
    text.add_column("与上年相同", justify="right")
    text.add_column("")
    for part in diff.narrative:
        share = "本年为空" if part.unchanged is None else f"{part.unchanged:.0%}"
        mark = "[red]⚠ 疑似照抄上年[/]" if part.copied else ""
        text.add_row(part.label, str(part.last_chars), str(part.this_chars), share, mark)
    console.print(text)
    copied = [r for r in diff.narrative if r.copied]
    if copied:
        console.print(f"[red]有 {len(copied)} 部分与上年相同的文字达 {diff_mod.COPIED_SHARE:.0%} 以上，"
                      "审阅时请注意是否照抄（雷同）。[/]")
    return diff


def _preview(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[:n] + "…"


def print_suggestions(report, section: str, console, *, previous=None, workspace: Path | None = None) -> None:
    """Numbered suggestions with theme, reason and the start of the text (for `gkassist suggest`)."""
    from gkassist import format as fmt
    from gkassist import library

    lib = library.cached_library(workspace)
    suggestions = library.suggest(report, section, previous=previous, library=lib)
    heading = fmt.SECTION_KEY[section]
    who = report.agency.name or "（未填写机关名称）"
    year = f"{report.year}年" if report.year else ""
    console.print(f"{fmt.SECTION_LABEL[heading]} — 推荐段落（{who}{year}）", markup=False, highlight=False, soft_wrap=True)
    current = None
    for n, s in enumerate(suggestions, 1):
        if section == "五" and s.kind != current:
            current = s.kind
            console.print("问题：" if s.kind == "problem" else "改进措施：", markup=False, highlight=False, soft_wrap=True)
        console.print(f"{n:>2}. {s.pick} {s.theme}｜理由：{s.reason}", markup=False, highlight=False, soft_wrap=True)
        console.print(f"    {_preview(s.text)}", markup=False, highlight=False, soft_wrap=True)
    if not suggestions:
        console.print("没有可推荐的段落。", markup=False, highlight=False, soft_wrap=True)
    if lib.errors:
        console.print("推荐库中有条目未能载入：", markup=False, highlight=False, soft_wrap=True)
        for e in lib.errors:
            console.print(f"  {e}", markup=False, highlight=False, soft_wrap=True)
