"""One open report in the app: where it lives on disk, saving after each answer, naming a new one.

A new report is saved at once under a provisional name (`新报告-YYYYMMDD-HHMMSS.json`) so that no
accepted answer ever lives only in memory; as soon as the agency's name and the year are known it
is renamed to the usual `<年>年<机关>政府信息公开工作年度报告.json` (unless that file already exists,
in which case the provisional name is kept and the clerk is told).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from gkassist import store
from gkassist.errors import GkError
from gkassist.model import Report, put_back, report_state

PROVISIONAL_PREFIX = "新报告-"


def provisional_path(workspace: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = workspace / f"{PROVISIONAL_PREFIX}{stamp}.json"
    n = 2
    while path.exists():
        path = workspace / f"{PROVISIONAL_PREFIX}{stamp}-{n}.json"
        n += 1
    return path


_UNREAD: Any = object()


@dataclass
class Session:
    """The report being drafted and the file it is saved to.

    One writer per report: the session holds the file's lock (`store.ReportLock`) while it is open;
    a session that could not get it is read-only (`readonly` says who holds it) and never saves.
    `state` is what this session last read or wrote: a save never overwrites a file someone else
    changed meanwhile (see `store.save_report(expected=...)`)."""

    report: Report
    path: Path
    workspace: Path
    notes: list[str] = field(default_factory=list)
    lock: store.ReportLock | None = None
    state: Any = _UNREAD
    readonly: str = ""
    """Why this session may not save (a Chinese sentence), or "" when it may."""

    @property
    def provisional(self) -> bool:
        return self.path.name.startswith(PROVISIONAL_PREFIX)

    def save(self, *, backup: bool = True) -> str:
        """Save atomically; rename a provisional file once the report has a name. Returns a
        Chinese note when the file was renamed or its backup could not be kept (else "").
        Raises GkError (nothing written under the name) when the session is read-only, when the
        file was changed by someone else (ours is kept beside it), or when the disk refuses."""
        if self.readonly:
            raise GkError(self.readonly)
        expected = self.state if self.state is not _UNREAD else store._UNCHECKED
        saved = store.save_report(self.report, self.path, expected=expected, backup=backup)
        self.state = saved.state
        notes = [saved.note] if saved.note else []
        if self.provisional and self.report.agency.name.strip() and self.report.year:
            renamed = self._rename()
            if renamed:
                notes.append(renamed)
        return "；".join(notes)

    def _rename(self) -> str:
        target = self.workspace / store.answers_filename(self.report)
        if target.exists():
            return ""
        lock = store.ReportLock(target)
        if not lock.acquire():
            return ""
        try:
            saved = store.save_report(self.report, target, expected=None)
        except GkError:
            lock.release()
            raise
        old, old_lock = self.path, self.lock
        self.path, self.lock, self.state = target, lock, saved.state
        for leftover in (old, Path(str(old) + store.BACKUP_SUFFIX)):
            try:
                leftover.unlink()
            except OSError:
                pass  # a stale provisional file is harmless; the named file holds everything
        if old_lock is not None:
            old_lock.release()  # removes its lock files too
        return f"已按机关和年度命名为 {target.name}"

    @contextmanager
    def saving(self, interview: Any) -> Iterator[None]:
        """Acknowledge only what is saved: the block applies an answer and saves; if it fails
        before the save is done, the report and the interview's place are put back as they were,
        so the same question stays asked and a retry lands in the same field."""
        report = report_state(self.report)
        place = _interview_place(interview)
        state = self.state
        try:
            yield
        except BaseException:
            if self.state is state:  # nothing was saved in the block: undo it
                _restore(interview, self.report, report, place)
            raise

    def close(self) -> None:
        """Release the report's lock (the app leaves the report or quits)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def _interview_place(interview: Any) -> list[tuple[Any, dict[str, Any]]]:
    """Where the interview stands (its focus, walk, deferred findings …): the attributes of the
    interview and of its own helper objects (one level down, whatever the engine's shape), with
    containers copied, so that they can be put back in place after a failed save. The report is
    left out: it is put back from its own state (model.report_state)."""
    place = []
    seen: set[int] = set()

    def keep(obj: Any, depth: int) -> None:
        if id(obj) in seen or not hasattr(obj, "__dict__"):
            return
        seen.add(id(obj))
        saved = {}
        for name, value in vars(obj).items():
            if isinstance(value, Report):
                continue
            if isinstance(value, (dict, list, set)):
                value = copy.copy(value)
            elif depth and type(value).__module__.startswith("gkassist.interview"):
                keep(value, depth - 1)
            saved[name] = value
        place.append((obj, saved))

    keep(interview, 1)
    return place


def _restore(interview: Any, live: Report, snapshot: dict[str, Any], place: list[tuple[Any, dict[str, Any]]]) -> None:
    put_back(live, snapshot)  # in place: the session and the interview share this object
    for obj, saved in place:
        for name, value in saved.items():
            setattr(obj, name, value)
    if hasattr(interview, "_findings"):
        interview._findings = None  # recomputed from the restored report


def _locked(path: Path, report: Report, state: Any, workspace: Path) -> Session:
    lock = store.ReportLock(path)
    session = Session(report, Path(path), workspace, state=state)
    if lock.acquire():
        session.lock = lock
    else:
        session.readonly = lock.busy_message()
        session.notes.append(session.readonly)
    return session


def open_session(path: Path, workspace: Path, *, lock: bool = True) -> Session:
    """Load an answers file (GkError with a Chinese reason when it cannot be read) and take its
    lock; when another window or command holds it, the session is read-only and says so."""
    path = Path(path)
    if not path.exists():
        raise GkError(f"找不到答案文件 {path}。")
    report, state = store.read_report(path)
    if not lock:
        return Session(report, path, workspace, state=state)
    return _locked(path, report, state, workspace)


def new_session(workspace: Path, report: Report | None = None) -> Session:
    session = _locked(provisional_path(workspace), report or Report(), None, workspace)
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
    session = _locked(path, report, None, workspace)
    session.save()
    return session
