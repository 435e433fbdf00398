"""Small read-only summaries of a report for the screens: progress and open errors.

A failure here is a bug and propagates to the app's error guard; it is never shown as 0."""

from __future__ import annotations

from gkassist.checks import Finding, Severity, check
from gkassist.interview import Interview
from gkassist.interview.navigator import SectionProgress
from gkassist.model import Report


def progress(report: Report) -> tuple[int, int]:
    """(answered, total) questions as the interview counts them."""
    return _as_pair(Interview(report).progress())


def _as_pair(sections: list[SectionProgress]) -> tuple[int, int]:
    return (sum(s.answered for s in sections), sum(s.total for s in sections))


def findings(report: Report) -> list[Finding]:
    return check(report)


def error_count(report: Report) -> int:
    """How many 错误 `check` finds."""
    return sum(1 for f in findings(report) if f.severity is Severity.ERROR)
