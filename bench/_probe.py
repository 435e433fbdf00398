"""Bench helper: how fast this machine's CPU is right now.

A shared or virtual machine can run at half speed for seconds or minutes at a time (seen here: the
same loop took 36–40 ms for a while, then 62–69 ms). Every timing of the bench is printed beside
this probe, taken as close to the timing as possible, so that two runs are compared only when
their probes agree."""

from __future__ import annotations

import statistics
import time


def cpu_probe(runs: int = 9) -> tuple[float, float, float]:
    """(fastest, median, slowest) ms of a fixed pure-Python loop of a million steps."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        total = 0
        for i in range(1_000_000):
            total += i
        times.append((time.perf_counter() - t0) * 1000)
    return min(times), statistics.median(times), max(times)


def probe_text(probe: tuple[float, float, float]) -> str:
    fastest, median, slowest = probe
    return f"fastest {fastest:.0f} ms, median {median:.0f} ms, slowest {slowest:.0f} ms"
