"""One open report in the app: where it lives on disk, saving after each answer, naming a new one.

A new report is saved at once under a provisional name (`新报告-YYYYMMDD-HHMMSS.json`) so that no
accepted answer ever lives only in memory; as soon as the agency's name and the year are known it
is renamed to the usual `<年>年<机关>政府信息公开工作年度报告.json` (unless that file already exists,
in which case the provisional name is kept and the clerk is told).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from gkassist import store
from gkassist.errors import GkError
from gkassist.model import Report

PROVISIONAL_PREFIX = "新报告-"


def provisional_path(workspace: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = workspace / f"{PROVISIONAL_PREFIX}{stamp}.json"
    n = 2
    while path.exists():
        path = workspace / f"{PROVISIONAL_PREFIX}{stamp}-{n}.json"
        n += 1
    return path


@dataclass
class Session:
    """The report being drafted and the file it is saved to."""

    report: Report
    path: Path
    workspace: Path
    notes: list[str] = field(default_factory=list)

    @property
    def provisional(self) -> bool:
        return self.path.name.startswith(PROVISIONAL_PREFIX)

    def save(self) -> str:
        """Save atomically; rename a provisional file once the report has a name. Returns a
        Chinese note when the file was renamed (else "")."""
        store.save_report(self.report, self.path)
        if not (self.provisional and self.report.agency.name.strip() and self.report.year):
            return ""
        target = self.workspace / store.answers_filename(self.report)
        if target.exists():
            return ""
        store.save_report(self.report, target)
        old = self.path
        self.path = target
        for leftover in (old, Path(str(old) + store.BACKUP_SUFFIX)):
            try:
                leftover.unlink()
            except OSError:
                pass  # a stale provisional file is harmless; the named file holds everything
        return f"已按机关和年度命名为 {target.name}"


def open_session(path: Path, workspace: Path) -> Session:
    """Load an answers file (GkError with a Chinese reason when it cannot be read)."""
    path = Path(path)
    if not path.exists():
        raise GkError(f"找不到答案文件 {path}。")
    return Session(store.load_report(path), path, workspace)


def new_session(workspace: Path, report: Report | None = None) -> Session:
    session = Session(report or Report(), provisional_path(workspace), workspace)
    session.save()
    return session


def save_new(workspace: Path, report: Report, *, name: str | None = None) -> Session:
    """Save a report made elsewhere (example, import, carry forward) into the workspace under
    its usual name, never overwriting an existing file."""
    base = name or store.answers_filename(report)
    path = workspace / base
    stem, suffix = path.stem, path.suffix or ".json"
    n = 2
    while path.exists():
        path = workspace / f"{stem}（{n}）{suffix}"
        n += 1
    session = Session(report, path, workspace)
    store.save_report(report, path)
    return session
