"""Small read-only summaries of a report for the screens: progress and open errors."""

from __future__ import annotations

from gkassist.model import Report


def progress(report: Report) -> tuple[int, int]:
    """(answered, total) questions as the interview counts them; (0, 0) when unknown."""
    try:
        from gkassist.interview import Interview
    except ImportError:
        return (0, 0)
    try:
        result = Interview(report).progress()
    except Exception:  # a summary on the start screen must never stop the app
        return (0, 0)
    return _as_pair(result)


def _as_pair(sections: list) -> tuple[int, int]:
    return (sum(s.answered for s in sections), sum(s.total for s in sections))


def findings(report: Report) -> list | None:
    try:
        from gkassist.checks import check
    except ImportError:
        return None
    return check(report)


def error_count(report: Report) -> int | None:
    """How many 错误 `check` finds; None when the checks are not available."""
    try:
        found = findings(report)
    except Exception:
        return None
    if found is None:
        return None
    return sum(1 for f in found if getattr(f.severity, "value", f.severity) == "错误")
