"""Roll-up at scale: `python bench/aggregate.py [N ...]` (default 200 2000 20000).

For each N: generates N valid, varied answers files (bench/_units.py) into a temp folder, then, in a
fresh process so nothing of the generation is counted, reads, checks and sums them with
`gkassist.aggregate.aggregate` (both cores) and writes the review workbook and page. Prints the time,
reports per second, the CPU time per report (main process + workers: on a busy machine the wall time
depends on what else runs, the CPU time does not), the whole run's wall time (python start and imports
included) and the peak memory (resident set of the main process, of the largest worker, and their
sum over all workers as an upper bound — forked workers share pages, so the true total is lower).
Every sum is then checked against an independent reading of the files with `json` (not timed).
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
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from gkassist.aggregate import FIGURES

WORKERS = min(os.cpu_count() or 1, 8)  # what `aggregate` uses by default; named so the memory bound can use it


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
    rollup = aggregate([folder], "青禾县人民政府", processes=WORKERS)
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
            "main_mb": _kb_to_mb(main), "worker_mb": _kb_to_mb(workers),
            "sums": {f.cid: rollup.sum_of(f.cid) for f in FIGURES}, "fee": rollup.fee}


def independent_sums(folder: Path) -> tuple[dict[str, int], int]:
    """The sums worked out without gkassist's reader: plain `json` over every file (fee in 1/10000 万元)."""
    from gkassist.aggregate import FEE_SCALE

    sums = dict.fromkeys((f.cid for f in FIGURES), 0)
    fee = 0
    for path in folder.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        for f in FIGURES:
            value = data
            for key in f.path:
                value = value[key]
            sums[f.cid] += value or 0
        fee += int(Decimal(data["proactive"]["fee"] or 0) * FEE_SCALE)
    return sums, fee


def bench(n: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="gk-aggregate-") as tmp:
        folder = Path(tmp) / "units"
        gen = generate(folder, n)
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        t = time.perf_counter()
        out = subprocess.run([sys.executable, __file__, "--run", str(folder)], capture_output=True, text=True,
                             encoding="utf-8", env=env, check=True)
        whole = time.perf_counter() - t
        result = json.loads(out.stdout.strip().splitlines()[-1])
        result["generate_s"] = gen
        result["whole_s"] = whole
        sums, fee = independent_sums(folder)
        wrong = {cid: (result["sums"][cid], v) for cid, v in sums.items() if result["sums"][cid] != v}
        assert not wrong and result["fee"] == fee, ("the roll-up's sums differ from json's", wrong, result["fee"], fee)
        return result


def main(argv: list[str]) -> None:
    if argv[:1] == ["--run"]:
        print(json.dumps(run(Path(argv[1]))))
        return
    sizes = [int(a.replace(",", "").replace("_", "")) for a in argv] or [200, 2000, 20000]
    print(f"CPU cores: {os.cpu_count()}, Python {sys.version.split()[0]}")
    print(f"{'N':>7} {'read+check+sum':>15} {'reports/s':>10} {'CPU ms/report':>14} {'whole run':>10} "
          f"{'peak main':>10} {'peak worker':>12} {'main+workers':>13} {'xlsx':>8} {'html':>8}")
    for n in sizes:
        load = os.getloadavg()[0]
        r = bench(n)
        assert r["n"] == n and r["counted"] == n and r["problems"] == 0, {k: v for k, v in r.items() if k != "sums"}
        cpu_ms = (r["main_cpu_s"] + r["worker_cpu_s"]) * 1000 / n
        total_mb = r["main_mb"] + WORKERS * r["worker_mb"]
        print(f"{n:>7} {r['aggregate_s']:>13.2f} s {n / r['aggregate_s']:>10.0f} {cpu_ms:>14.2f} {r['whole_s']:>8.1f} s "
              f"{r['main_mb']:>7.0f} MB {r['worker_mb']:>9.0f} MB {total_mb:>10.0f} MB {r['xlsx_s']:>6.2f} s "
              f"{r['html_s']:>6.2f} s   (load average {load:.1f} before, {os.getloadavg()[0]:.1f} after; "
              f"sums checked against json)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
