"""Nothing acknowledged is lost: SIGKILL the answering process at random moments, then reload.

The driver (tests/kill_driver.py) answers the interview's questions and prints "ACK <qid> <json>"
only after the answer was accepted and saved (through the engine, see below).
The driver saves through the engine (`Interview.answer(text, commit=save)`) and prints "SAVING"
just before each save: each run is killed a random short delay after a random save began, so
most kills land inside the engine's save, and the test prints how many did. The next run
resumes the file the killed one left behind.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from gkassist import store

ROOT = Path(__file__).resolve().parent.parent
DRIVER = Path(__file__).resolve().parent / "kill_driver.py"
SEED = 20260125

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX-only")


def _start(path: Path, *extra: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen([sys.executable, str(DRIVER), str(path), *extra], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env)


def _run_and_kill(path: Path, after_saves: int, delay: float, *extra: str):
    """Start the driver; SIGKILL it `delay` s after it starts its `after_saves`-th save
    (0: after READY) — so that the kill lands inside the save, or just after it.

    Returns (mode, [(qid, value)] acknowledged, whether it was killed, whether inside a save).
    """
    proc = _start(path, *extra)
    lines: list[str] = []
    reached = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        saves = 0
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            saves += line.startswith("SAVING ")
            if (line.startswith("READY") and after_saves == 0) or saves >= after_saves > 0:
                reached.set()
        reached.set()  # ended on its own (done, or failed: the asserts below say why)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert reached.wait(60), "driver neither started nor ended"
    if delay:
        time.sleep(delay)
    killed = proc.poll() is None
    if killed:
        proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    reader.join(10)  # lines written before the kill are still in the pipe: read them all
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    proc.stderr.close()
    assert lines and lines[0].startswith("READY"), f"driver failed: {stderr[-2000:]}"
    assert "Traceback" not in stderr, stderr[-2000:]
    acks = []
    for line in lines:
        if line.startswith("ACK "):
            _, qid, value = line.split(" ", 2)
            acks.append((qid, json.loads(value)))
    inside_save = killed and lines[-1].startswith("SAVING ")  # begun, not acknowledged
    return lines[0].split()[1], acks, killed, inside_save


# (driver flags, runs, most saves before the kill, longest extra delay in s). A save in the driver
# lasts ~10 ms (it pauses before each fsync and rename: kill_driver.widen_saves), so the kill is
# placed at the start of a save and jittered across its steps: most kills land inside the save,
# between two of its steps, the rest just after it.
CASES = [((), 6, 12, 0.008), (("--plain",), 6, 25, 0.008)]


@pytest.mark.parametrize(("extra", "runs", "max_saves", "max_delay"), CASES, ids=["interview", "plain-saves"])
def test_every_acknowledged_answer_survives_sigkill(tmp_path: Path, extra, runs, max_saves, max_delay) -> None:
    rng = random.Random(SEED)
    path = tmp_path / "答案.json"
    acked: dict[str, object] = {}
    kills = inside = held_most = 0
    mode = ""
    for run in range(runs):
        mode, acks, killed, in_save = _run_and_kill(path, rng.randint(1, max_saves), rng.uniform(0, max_delay), *extra)
        kills += killed
        inside += in_save
        acked.update(acks)
        held_most = max(held_most, len(acked))
        if not path.exists():
            assert not acked, "answers were acknowledged but no file exists"
            continue
        report = store.load_report(path)  # parses: never half-written
        answers = report.draft.answers
        for qid, value in acked.items():
            assert qid in answers, f"run {run}: acknowledged answer {qid} lost"
            assert answers[qid] == value, f"run {run}: {qid} changed"
        bak = store.backup_path(path)
        if bak is not None:
            store.load_report(bak)  # the backup is a whole file too
        if not killed:  # the interview was complete: the next run starts a new report
            path.unlink()
            acked.clear()
    print(f"{mode}: {kills} kills in {runs} runs, {inside} of them inside a save, up to {held_most} answers held")
    assert mode == ("plain" if extra else "interview")
    assert kills >= runs // 2, "the driver finished before most kills; the test proved little"
    assert inside * 3 >= kills, f"only {inside} of {kills} kills landed inside a save"
    assert held_most >= 10, "too few answers were acknowledged to prove anything"
