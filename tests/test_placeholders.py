"""Library drafts state only what the answers support; other facts are 【请填写：…】 placeholders,
and the check D18 finds any left in a report."""

from __future__ import annotations

import tomllib

from gkassist import resources
from gkassist.checks import Severity, check
from gkassist.example import example_report

CLAIMS = ("配发解读", "均依法公示", "均按规定及时公开", "同步公开。", "按时限要求公示", "均已按期办结")


def _library_sources() -> str:
    texts = []
    for path in sorted((resources.templates_dir() / "library").glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data.get("entry", []):
            texts += entry.get("variants", [])
    return "\n".join(texts)


def test_the_library_no_longer_states_facts_nobody_gave() -> None:
    sources = _library_sources()
    for claim in CLAIMS:
        assert claim not in sources, claim
    assert "【请填写：" in sources


def test_a_placeholder_left_in_is_an_error_pointing_at_its_part() -> None:
    report = example_report()
    assert not [f for f in check(report) if f.rule == "D18"]
    report.other.proposals = "本年承办人大代表建议【请填写：件数】件。"
    found = [f for f in check(report) if f.rule == "D18"]
    assert len(found) == 1 and found[0].severity is Severity.ERROR
    assert found[0].field == "other.proposals" and "【请填写：件数】" in found[0].message
