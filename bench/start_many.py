"""Start screen with many reports: time to the first frame, empty workspace against 200 reports.

Run `python bench/start_many.py [N]`. Each measurement is a fresh process (as a clerk starts the
app): from spawning it to the first frame that shows the start screen's heading (and, with
reports, the first file name). Issue 12 asks the 200-report time to stay within 1.2× the empty
one: the list is drawn from the file names, and each report's status is read after that frame.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r'''
import asyncio, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from _frames import FrameWatch
from gkassist.tui.app import make_app

async def main():
    app = make_app(workspace=Path(sys.argv[1]))
    watch = FrameWatch(app)
    def needle(screen):
        if type(screen).__name__ != "StartScreen":
            return None
        return "工作目录中的报告"
    watch.arm(needle)
    async with app.run_test(headless=True, size=(120, 36)):
        await watch.wait()
        print("SHOWN", flush=True)
        app.exit()
asyncio.run(main())
'''


def first_frame(workspace: Path) -> float:
    bench = Path(__file__).resolve().parent
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(workspace), str(bench)],
                            stdout=subprocess.PIPE, text=True, encoding="utf-8")
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("SHOWN"):
            elapsed = time.perf_counter() - start
            proc.wait(timeout=60)
            return elapsed
    raise RuntimeError("the start screen was never shown")


def main() -> int:
    from gkassist import store
    from gkassist.example import example_report

    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    runs = 5
    with tempfile.TemporaryDirectory() as empty, tempfile.TemporaryDirectory() as full:
        report = example_report()
        for n in range(count):
            report.agency.name = f"第{n}号镇人民政府"
            store.save_report(report, Path(full) / f"{n:03d}.json")
        first_frame(Path(empty))  # warm the disk cache and the bytecode
        t_empty = statistics.median(first_frame(Path(empty)) for _ in range(runs))
        t_full = statistics.median(first_frame(Path(full)) for _ in range(runs))
    print(f"start screen, first frame (median of {runs}): empty {t_empty * 1000:.0f} ms, "
          f"{count} reports {t_full * 1000:.0f} ms, ratio {t_full / t_empty:.2f} (issue 12: ≤ 1.20)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
