"""A re-run through the app: `new-year`, then "没有变化" everywhere, then export (issue #11, R9)."""

from __future__ import annotations

import sys
from pathlib import Path

from gkassist import format as fmt
from gkassist import store
from gkassist.carry import carry_forward
from gkassist.example import example_report
from gkassist.tui.app import make_app  # noqa: F401  (the conftest watches the app's error guard)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import dataclasses

from effort import RERUN_NOTHING_CHANGED, run_rerun


def _numbers(txt: str, label: str) -> list[int]:
    for line in txt.splitlines():
        if label in line:
            return [int(c) for c in line.split("\t") if c.strip().isdigit()]
    raise AssertionError(f"{label} not in the exported text")


async def test_nothing_changed_exports_in_force_moved_on_by_issued_and_repealed(workspace: Path) -> None:
    last = example_report()
    n = last.proactive.normative
    n.issued, n.repealed, n.in_force = 1, 0, 3
    store.save_report(last, workspace / store.answers_filename(last))  # found as last year's report
    draft = carry_forward(last).report
    path = workspace / store.answers_filename(draft)
    store.save_report(draft, path)
    # last year's 结转 comes in as this year's 上年结转: they were all made public
    # (and so a fee question); this year one document made, none repealed, 现行有效 left out
    scenario = dataclasses.replace(RERUN_NOTHING_CHANGED, answers={
        **RERUN_NOTHING_CHANGED.answers, "all_public": "是", "fee_yuan": "无", "proactive": "规范性文件 1 0"})
    run = await run_rerun(workspace, path, scenario)
    assert "proactive" in run.asked  # table 二 is asked this year, in one answer
    texts = [p for p in run.exported if p.suffix == ".txt"]
    assert texts, (run.asked, run.exported)
    txt = texts[0].read_text(encoding="utf-8")
    assert _numbers(txt, fmt.ROW_NORMATIVE + "\t") == [1, 0, 4]  # 3 + 1 − 0, not last year's 3
    assert run.report.proactive.normative.in_force == 4
