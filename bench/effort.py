"""Clerk effort: the inputs a clerk needs from the start screen to an exported report, through Pilot.

Run `python bench/effort.py`. Each scenario drives the real app (start screen → chat → table-三
grid → finish screen, which exports) and counts the clerk's inputs: every answer sent and every
key pressed in the grid (the N that opens a new report on the start screen is not counted). tests/test_tui.py drives the same
scenarios and asserts the exported figures, so the counts printed here are of runs that work.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from gkassist import store
from gkassist.model import Report
from gkassist.tui.app import GkApp, make_app
from gkassist.tui.chat import ChatScreen
from gkassist.tui.dialogs import ConfirmDialog
from gkassist.tui.finish import FinishScreen
from gkassist.tui.grid import GridScreen

SIZE = (120, 36)
MAX_STEPS = 200


@dataclass(frozen=True)
class Scenario:
    """What a clerk types: an answer per question id ("" sends the default as it stands) and the
    keys pressed in the table-三 grid."""

    name: str
    answers: dict[str, str]
    grid_keys: tuple[str, ...] = ("ctrl+s",)
    confirm_copies: bool = False
    """Answer Y when the finish screen asks to confirm parts that read like last year's."""


@dataclass
class Run:
    """What a driven interview produced."""

    inputs: int
    report: Report
    answers_file: Path
    exported: list[Path] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    grid_keys: int = 0


class Clerk:
    """Drives the app as a clerk would and counts each input."""

    def __init__(self, app: GkApp, pilot) -> None:
        self.app, self.pilot = app, pilot
        self.inputs = 0
        self.grid_keys = 0
        self.asked: list[str] = []

    async def press(self, *keys: str) -> None:
        self.inputs += len(keys)
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def say(self, text: str) -> None:
        """Type an answer and send it (CJK text is set on the widget: Pilot drops CJK punctuation)."""
        screen = self.app.screen
        assert isinstance(screen, ChatScreen), f"not on the chat screen: {screen!r}"
        area = screen.query_one("#answer-text")
        if area.display:
            if text:
                area.text = text
            await self.press("ctrl+s")
        else:
            screen.query_one("#answer-line").value = text
            await self.press("enter")

    async def interview(self, scenario: Scenario) -> None:
        """Answer until the finish screen is up (it checks and exports)."""
        repeats = 0
        finish_keys = 0
        last = None
        for _ in range(MAX_STEPS):
            await self.pilot.pause()
            screen = self.app.screen
            if isinstance(screen, ConfirmDialog):
                if not scenario.confirm_copies:
                    raise AssertionError(f"scenario {scenario.name!r} was asked to confirm: {screen.text}")
                await self.press("y")
                continue
            if isinstance(screen, FinishScreen):
                if screen.done is not None:
                    return
                if finish_keys >= 2:
                    raise AssertionError(f"the finish screen did not export: {screen.findings}")
                finish_keys += 1
                await self.press("f9")  # nothing was exported by itself: the clerk asks for it
                continue
            if isinstance(screen, GridScreen):
                self.grid_keys += len(scenario.grid_keys)
                await self.press(*scenario.grid_keys)
                continue
            assert isinstance(screen, ChatScreen), f"unexpected screen {screen!r}"
            prompt = screen.prompt
            if prompt is None:
                await self.press("f10")
                continue
            qid = prompt.question.id
            repeats = repeats + 1 if qid == last else 0
            last = qid
            if repeats >= 3:
                raise AssertionError(f"question {qid} keeps coming back: {self.conversation()[-3:]}")
            if prompt.kind == "grid":
                await self.pilot.pause()
                if not isinstance(self.app.screen, GridScreen):
                    await self.say("")
                continue
            if qid not in scenario.answers:
                raise AssertionError(f"scenario {scenario.name!r} has no answer for {qid}: {prompt.text}")
            self.asked.append(qid)
            await self.say(scenario.answers[qid])
        raise AssertionError("the interview did not end")

    def conversation(self) -> list[str]:
        from gkassist.tui.chat import TurnView

        return [str(t.render()) for t in self.app.screen.query(TurnView)]


async def run_scenario(workspace: Path, scenario: Scenario, *, size: tuple[int, int] = SIZE) -> Run:
    """From an empty workspace: 新建报告, answer everything, let the finish screen export."""
    app = make_app(workspace=workspace)
    async with app.run_test(size=size) as pilot:
        clerk = Clerk(app, pilot)
        await pilot.pause()
        await pilot.press("n")  # 新建报告: choosing what to do, not an input to the report
        await clerk.interview(scenario)
        await pilot.pause()
        assert not app.internal_errors, app.internal_errors
        session = app.session
        assert session is not None
        exported = [session.workspace / name for name in session.report.draft.exported]
        inputs = clerk.inputs
        path = session.path
        asked = clerk.asked
        grid_keys = clerk.grid_keys
    return Run(inputs, store.load_report(path), path, exported, asked, grid_keys)


# ------------------------------------------------------------------ the two scenarios

# A 镇 with no requests and no 复议: every narrative is the drafted default, sent as it stands.
ZERO_REQUEST_TOWNSHIP = Scenario(
    name="zero-request township",
    answers={
        "agency_name": "青石镇人民政府",
        "agency_kind": "",           # the guessed 镇 is right
        "year": "2025",
        "published": "",
        "contact": "青石镇党政办公室，电话 0000-7654321",
        "preface": "",
        "overview_proactive": "", "overview_on_request": "", "overview_management": "",
        "overview_platform": "", "overview_supervision": "",
        "normative": "0",
        "decisions": "0",
        "fee": "0",
        "has_requests": "没有",
        "has_reviews": "没有",
        "problems_pick": "1 2",
        "problems_text": "",
        "fee_yuan": "无",
        "other_items": "无",
    },
)

# A county bureau with the figures of samples/2023_shuyang-fagaiju.txt, its outcomes entered in
# the grid; the narrative answers are our own words.
COUNTY_BUREAU = Scenario(
    name="county bureau",
    answers={
        "agency_name": "沭阳县发展和改革局",
        "agency_kind": "",           # the guessed 县级部门 is right
        "year": "2023",
        "published": "2024-01-17",
        "contact": "县发展和改革局办公室，电话 0000-1234567",
        "preface": "",
        "overview_proactive": "我局全年在政府网站发布各类信息二百余条，重点公开发展规划、项目审批和价格管理信息，新制发的8件行政规范性文件全部同步公开。",
        "overview_on_request": "全年收到政府信息公开申请26件，均为自然人提出，已全部按期答复并予以公开。",
        "overview_management": "",
        "overview_platform": "",
        "overview_supervision": "",
        "normative": "8 0 18",
        "decisions": "0",
        "fee": "0",
        "has_requests": "有",
        "new": "自然人26",
        "carried": "",
        "all_public": "否",         # so the outcomes go through the grid
        "carry_next": "",
        "has_reviews": "有",
        "review": "尚未审结1",
        "direct_suit": "",
        "suit_after_review": "",
        "problems_pick": "1 3",
        "problems_text": "",
        "fee_yuan": "无",
        "other_items": "无",
    },
    grid_keys=("2", "6", "ctrl+s"),  # the cursor starts on （一）予以公开 / 自然人
)

SCENARIOS = (ZERO_REQUEST_TOWNSHIP, COUNTY_BUREAU)

# The yearly re-run: last year's published report imported, `new-year` run on it, and nothing
# changed this year: every "有变化吗？" is answered 没有, the gateways 没有, the fee 无.
RERUN_NOTHING_CHANGED = Scenario(
    name="re-run, nothing changed",
    answers={
        "cover_changed": "没有", "published": "2023-01-20", "proactive_changed": "没有",
        "overview_changed": "没有", "problems_pick": "1 2", "problems_text": "",
        "problems_followup": "", "other_changed": "没有",
        "has_requests": "没有", "has_reviews": "没有", "fee_yuan": "无",
    },
    confirm_copies=True,  # the clerk really means "as last year": it must be said explicitly
)
SAMPLE_2021 = Path(__file__).resolve().parent.parent.parent / "shared" / "samples" / "2021_gaopingzhen.txt"


def prepare_rerun(workspace: Path, published: Path = SAMPLE_2021) -> Path:
    """Import last year's published report into the workspace and carry it forward, as
    `gkassist import` and `gkassist new-year` do; returns the new draft's answers file."""
    from gkassist.carry import carry_forward
    from gkassist.importers import import_file

    last = import_file(published).report
    store.save_report(last, workspace / store.answers_filename(last))
    draft = carry_forward(last).report
    path = workspace / store.answers_filename(draft)
    store.save_report(draft, path)
    return path


async def run_rerun(workspace: Path, draft: Path, scenario: Scenario = RERUN_NOTHING_CHANGED,
                    *, size: tuple[int, int] = SIZE) -> Run:
    """Open the carried draft (as `gkassist draft` does) and answer until it is exported."""
    app = make_app(workspace=workspace, report_path=draft)
    async with app.run_test(size=size) as pilot:
        clerk = Clerk(app, pilot)
        await clerk.interview(scenario)
        await pilot.pause()
        assert not app.internal_errors, app.internal_errors
        session = app.session
        exported = [session.workspace / name for name in session.report.draft.exported]
        inputs, asked, grid_keys = clerk.inputs, clerk.asked, clerk.grid_keys
    return Run(inputs, store.load_report(draft), draft, exported, asked, grid_keys)


def _line(name: str, run: Run) -> str:
    return (f"{name}: {run.inputs} inputs "
            f"({run.inputs - run.grid_keys} answers sent + {run.grid_keys} grid keystrokes)")


def main() -> int:
    for scenario in SCENARIOS:
        with tempfile.TemporaryDirectory(prefix="gkassist-effort-") as tmp:
            run = asyncio.run(run_scenario(Path(tmp), scenario))
        print(_line(scenario.name, run))
    if SAMPLE_2021.is_file():
        with tempfile.TemporaryDirectory(prefix="gkassist-effort-") as tmp:
            run = asyncio.run(run_rerun(Path(tmp), prepare_rerun(Path(tmp))))
        print(_line(f"{RERUN_NOTHING_CHANGED.name} (from {SAMPLE_2021.name})", run))
    else:
        print(f"{RERUN_NOTHING_CHANGED.name}: skipped, {SAMPLE_2021} is not here")
    return 0


if __name__ == "__main__":
    sys.exit(main())
