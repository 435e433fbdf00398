"""Roll-up at scale: `python bench/aggregate.py [N ...]` (default 200 2000 20000).

For each N: generates N valid, varied answers files (bench/_units.py) into a temp folder, then, in a
fresh process so nothing of the generation is counted, reads, checks and sums them with
`gkassist.aggregate.aggregate` (both cores) and writes the review workbook and page. Prints the time,
reports per second, the CPU time per report (main process + workers: on a busy machine the wall time
depends on what else runs, the CPU time does not) and the peak memory (resident set of the main
process and of the largest worker).
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _kb_to_mb(kb: int) -> float:
    # ru_maxrss is in KB on Linux, bytes on macOS
    return kb / 1024 / (1024 if sys.platform == "darwin" else 1)


def _write_chunk(args: tuple[str, int, int]) -> int:
    from _units import write_units

    folder, start, n = args
    write_units(Path(folder), n, year=2025, seed=7, start=start)
    return n


def generate(folder: Path, n: int) -> float:
    t = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    step = 250
    jobs = [(str(folder), s, min(step, n - s)) for s in range(0, n, step)]
    with multiprocessing.get_context("fork" if os.name != "nt" else "spawn").Pool(os.cpu_count() or 1) as pool:
        sum(pool.imap_unordered(_write_chunk, jobs))
    return time.perf_counter() - t


def run(folder: Path) -> dict:
    """The measured part, in its own process: aggregate, then build the review files."""
    from gkassist.aggregate import aggregate
    from gkassist.review import review_html, review_xlsx

    t0 = time.perf_counter()
    c0 = time.process_time()
    rollup = aggregate([folder], "青禾县人民政府")
    t1 = time.perf_counter()
    main_cpu = time.process_time() - c0
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = kids.ru_utime + kids.ru_stime
    xlsx = review_xlsx(rollup)
    t2 = time.perf_counter()
    html = review_html(rollup)
    t3 = time.perf_counter()
    main = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"n": len(rollup.units), "counted": len(rollup.counted), "problems": len(rollup.problems),
            "aggregate_s": t1 - t0, "main_cpu_s": main_cpu, "worker_cpu_s": worker_cpu, "xlsx_s": t2 - t1, "html_s": t3 - t2,
            "xlsx_mb": len(xlsx) / 2**20, "html_mb": len(html.encode()) / 2**20,
            "main_mb": _kb_to_mb(main), "worker_mb": _kb_to_mb(workers)}


def bench(n: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="gk-aggregate-") as tmp:
        folder = Path(tmp) / "units"
        gen = generate(folder, n)
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        out = subprocess.run([sys.executable, __file__, "--run", str(folder)], capture_output=True, text=True,
                             encoding="utf-8", env=env, check=True)
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["generate_s"] = gen
        return result


def main(argv: list[str]) -> None:
    if argv[:1] == ["--run"]:
        print(json.dumps(run(Path(argv[1]))))
        return
    sizes = [int(a.replace(",", "").replace("_", "")) for a in argv] or [200, 2000, 20000]
    print(f"CPU cores: {os.cpu_count()}, Python {sys.version.split()[0]}")
    print(f"{'N':>7} {'read+check+sum':>15} {'reports/s':>10} {'CPU ms/report':>14} {'peak main':>10} "
          f"{'peak worker':>12} {'xlsx':>8} {'html':>8}   (load average {os.getloadavg()[0]:.1f})")
    for n in sizes:
        r = bench(n)
        assert r["n"] == n and r["counted"] == n and r["problems"] == 0, r
        cpu_ms = (r["main_cpu_s"] + r["worker_cpu_s"]) * 1000 / n
        print(f"{n:>7} {r['aggregate_s']:>13.2f} s {n / r['aggregate_s']:>10.0f} {cpu_ms:>14.2f} {r['main_mb']:>7.0f} MB "
              f"{r['worker_mb']:>9.0f} MB {r['xlsx_s']:>6.2f} s {r['html_s']:>6.2f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
