"""The example report with two very long narratives (an answers file of about 840 KB): the one
stress input for issue 16's "check and answer stay fast with long text", shared by bench/run.py,
bench/_interview.py and tests/test_output_errors.py."""

from __future__ import annotations

import random

from gkassist.example import example_report
from gkassist.model import Report

# Our own sentences; 可通过可以通过 is a doubled run on purpose, so D13 has work to do on every line.
_WORDS = ("我镇坚持依法公开，认真落实政府信息公开条例，全面推进基层政务公开标准化规范化建设。"
          "全年受理政府信息公开申请3件，均已按时答复。可通过可以通过政府网站查询。")


def long_report(seed: int = 16) -> Report:
    """The example report whose 一 lead (150,000 characters) and 五 problems (131,000) are made of
    random pieces of a few sentences; the same seed gives the same report."""
    rng = random.Random(seed)

    def para(n: int) -> str:
        return "".join(_WORDS[rng.randrange(len(_WORDS) - 10):][:rng.randrange(5, 30)]
                       + ("。\n" if rng.random() < 0.1 else "。") for _ in range(n))

    report = example_report()
    report.overview.lead = para(12_000)[:150_000]
    report.problems.problems = para(12_000)[:131_000]
    return report
