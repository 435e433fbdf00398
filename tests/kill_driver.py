"""Driver for the kill test: answers questions, saving after each, and prints "ACK <qid> <json>".

Run as `python tests/kill_driver.py ANSWERS.json`. An ACK line is printed (and flushed) only after
the answer was accepted and the answers file saved, so every ACKed answer must survive a SIGKILL.
Drives the interview engine, saving through `Interview.answer(text, commit=...)`; with `--plain`
it saves a report with a growing set of answers in a loop, which exercises the same durable save.

Each durable step of a save (an fsync, a rename) is preceded by a short pause here, so that a save
lasts ~10 ms on any disk. The test kills this process a few milliseconds after a save began: with
a fast disk and a quiet machine the save used to be over before the kill (a flaky count of kills
inside saves); now the kills land between the save's own steps, on any machine. The steps are the
real ones, in their real order; only the time between them is stretched.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from gkassist import store
from gkassist.model import Report

# Answers tried in turn for a question of each kind; the first accepted one is kept.
_CANDIDATES: dict[str, tuple[str, ...]] = {
    "text": ("云溪镇人民政府", "云溪镇", "无"),
    "paragraph": ("本年度我镇按计划推进政务公开，各项工作有序开展。", "无"),
    "count": ("1", "0"),
    "counts": ("0",),
    "money": ("0",),
    "choice": ("1",),
    "yesno": ("否", "是"),
    "applicants": ("自然人1", "0"),
    "grid": ("完成",),
    "pick": ("1", "无"),
    "date": ("2026-01-20", ""),
}


STEP_PAUSE = 0.003  # s before each fsync and rename of a save


def widen_saves() -> None:
    """Pause before every fsync and rename this process makes (see the module's docstring)."""
    real_fsync, real_replace, real_link = os.fsync, os.replace, os.link

    def fsync(fd):  # type: ignore[no-untyped-def]
        time.sleep(STEP_PAUSE)
        return real_fsync(fd)

    def replace(src, dst, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(STEP_PAUSE)
        return real_replace(src, dst, **kwargs)

    def link(src, dst, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(STEP_PAUSE)
        return real_link(src, dst, **kwargs)

    os.fsync, os.replace, os.link = fsync, replace, link


def ack(qid: str, value: object) -> None:
    sys.stdout.write(f"ACK {qid} {json.dumps(value, ensure_ascii=False, default=str)}\n")
    sys.stdout.flush()


def save(report: Report, path: Path, qid: str) -> None:
    """The engine's commit: "SAVING" is printed (and flushed) just before the durable save, so the
    test knows a kill that leaves it as the last line landed inside an engine save."""
    sys.stdout.write(f"SAVING {qid}\n")
    sys.stdout.flush()
    store.save_report(report, path)


def load_or_new(path: Path) -> Report:
    return store.load_report(path) if path.exists() else Report()


def run_interview(path: Path) -> None:
    from gkassist.interview import Interview

    report = load_or_new(path)
    iv = Interview(report)
    print("READY interview", flush=True)
    given_up: set[str] = set()
    for _ in range(1000):
        question = iv.current()
        if question is None or question.id in given_up:
            break
        prompt = iv.prompt()
        tries = ([prompt.default] if prompt is not None and prompt.default else [])
        tries += list(_CANDIDATES.get(question.kind, ("1", "无", "")))
        for text in tries:
            result = iv.answer(text, commit=lambda r: save(r, path, question.id))
            if result.ok:
                ack(question.id, report.draft.answers.get(question.id))
                break
        else:
            given_up.add(question.id)
            iv.skip()
    print("DONE", flush=True)


def run_plain(path: Path) -> None:
    report = load_or_new(path)
    print("READY plain", flush=True)
    start = len(report.draft.answers)
    for i in range(start, start + 400):
        qid = f"q{i:03d}"
        report.draft.answers[qid] = f"第{i}个答案" * (1 + i % 7)
        report.overview.proactive += f"第{i}段。"  # the file grows, so writes take longer
        save(report, path, qid)
        ack(qid, report.draft.answers[qid])
    print("DONE", flush=True)


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    plain = "--plain" in argv[1:]
    widen_saves()
    (run_plain if plain else run_interview)(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
