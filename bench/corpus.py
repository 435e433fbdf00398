"""Import every shared sample by every route the project can make, and degraded copies of it.

    python bench/corpus.py

Routes: the text as given; HTML, Markdown and Word rendered from the imported report by gkassist's own
renderers; PDF when `gkassist.importers.pdf` exists and LibreOffice is installed. Degradations
(bench/degrade.py): digits run together, separators dropped, labels cut short, a row without its
label, a sentence with figures before table 二, a portal page around the report.

Prints per file and route: tables exact / 3, cells wrong (a figure presented as read that is not
the truth — must be 0), cells 待核对, cells missing, false 错误 (R1–R4 errors on a sample whose
published tables hold them). Truth: ../shared/samples/*.figures.json.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
SAMPLES = ROOT.parent / "shared" / "samples"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from degrade import DEGRADATIONS, Score, load_truth, score, truth_cells

from gkassist.errors import GkError

CLEAN = ("2023_shuyang-fagaiju", "2024_huaian-shi")
"""Samples whose published tables satisfy R1–R4: any R1–R4 error on them is a false one."""
TABLE_RULES = ("R1", "R2", "R3", "R4")


@dataclass
class Outcome:
    sample: str
    route: str
    score: Score | None
    error: str = ""
    seconds: float = 0.0


def _errors(report) -> list[str]:
    from gkassist.checks import Severity, check

    return [f"[{f.rule}] {f.location}" for f in check(report)
            if f.rule in TABLE_RULES and f.severity == Severity.ERROR]


def _import_path(path: Path):
    from gkassist.importers import import_file

    return import_file(path).report


def _pdf_route() -> str | None:
    """Why the PDF route cannot run here, or None when it can."""
    try:
        import gkassist.importers.pdf  # noqa: F401
    except ImportError:
        return "本分支还没有 PDF 导入"
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        return "没有安装 LibreOffice"
    return None


def routes(sample: Path, pdf: bool) -> Iterator[tuple[str, Path]]:
    """(route name, file) for one sample: the text, rendered copies, degraded copies."""
    from gkassist import render
    from gkassist.importers import import_text

    text = sample.read_text(encoding="utf-8")
    tmp = Path(tempfile.mkdtemp(prefix="gk-corpus-"))
    yield "文本", sample
    report = import_text(text, sample.name).report
    html = tmp / f"{sample.stem}.html"
    html.write_text(render.render_text(report, "html"), encoding="utf-8")
    yield "HTML", html
    md = tmp / f"{sample.stem}.md"
    md.write_text(render.render_text(report, "md"), encoding="utf-8")
    yield "Markdown", md
    docx = tmp / f"{sample.stem}.docx"
    docx.write_bytes(render.render_docx(report))
    yield "Word", docx
    if pdf:
        office = shutil.which("soffice") or shutil.which("libreoffice") or "soffice"
        subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(tmp), str(docx)],
                       capture_output=True, timeout=180, check=False)
        out = tmp / f"{sample.stem}.pdf"
        if out.exists():
            yield "PDF", out
    for name, fn in DEGRADATIONS.items():
        path = tmp / f"{sample.stem}-{name}.txt"
        path.write_text(fn(text), encoding="utf-8")
        yield name, path


def run(samples: Path = SAMPLES, pdf: bool | None = None) -> list[Outcome]:
    why = _pdf_route()
    use_pdf = why is None if pdf is None else pdf
    outcomes: list[Outcome] = []
    for sample in sorted(samples.glob("*.txt")):
        truth_file = sample.with_suffix(".figures.json")
        if not truth_file.exists():
            continue
        truth = load_truth(truth_file)
        for route, path in routes(sample, use_pdf):
            rendered = route in ("HTML", "Markdown", "Word", "PDF")
            t0 = time.perf_counter()
            try:
                report = _import_path(path)
            except GkError as exc:
                outcomes.append(Outcome(sample.stem, route, None, exc.message))
                continue
            seconds = time.perf_counter() - t0
            errors = _errors(report) if sample.stem in CLEAN else []
            outcomes.append(Outcome(sample.stem, route, score(report, truth_cells(truth, rendered), errors),
                                    seconds=seconds))
    return outcomes


def main() -> int:
    if not SAMPLES.is_dir():
        print(f"没有找到样本目录 {SAMPLES}（应在仓库旁边的 shared/samples）。")
        return 2
    why = _pdf_route()
    if why:
        print(f"PDF: 未测（{why}）")
    outcomes = run()
    print(f"{'样本':<24}{'途径':<10}{'表格全对':>8}{'错数':>6}{'待核对':>8}{'缺':>6}{'误报错误':>8}{'秒':>7}")
    bad = 0
    for o in outcomes:
        if o.score is None:
            print(f"{o.sample:<24}{o.route:<10}  未导入：{o.error}")
            bad += 1
            continue
        s = o.score
        print(f"{o.sample:<24}{o.route:<10}{s.tables_exact:>6}/3{len(s.wrong):>6}{s.pending:>8}{s.missing:>6}"
              f"{len(s.false_errors):>8}{o.seconds:>7.2f}")
        for w in s.wrong:
            print(f"    错：{w}")
        for e in s.false_errors:
            print(f"    误报：{e}")
        bad += bool(s.wrong or s.false_errors)
    print(f"共 {len(outcomes)} 次导入；有错数或误报的 {bad} 次。")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
