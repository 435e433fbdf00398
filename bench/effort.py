"""Clerk effort: the inputs a clerk needs from launching the app to the exported files, through Pilot.

Run `python bench/effort.py`. Each scenario drives the real app (start screen → chat → table-三
grid → finish screen, which exports) and counts inputs as a clerk counts them: one per answer
sent (typed or an Enter on the default), one per decision key — the start-screen choice, every
key in the grid, F9, a confirmation. It prints per scenario the inputs, the floor (the inputs
that carry information the app cannot know: answers that are not the default, digits in the
grid, the start choice and the file path) and the ratio to it, against the issue-12 targets.
tests/test_tui.py drives the same scenarios and asserts the exported figures, so the counts
printed here are of runs that work.
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
    target: int = 0
    """The most inputs allowed (issue 12); 0 when none is set."""
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

        return [str(t.render()) for t in self.app.screen.turns]


async def run_scenario(workspace: Path, scenario: Scenario, *, size: tuple[int, int] = SIZE) -> Run:
    """From an empty workspace: 新建报告, answer everything, let the finish screen export."""
    app = make_app(workspace=workspace)
    async with app.run_test(size=size) as pilot:
        clerk = Clerk(app, pilot)
        await pilot.pause()
        await clerk.press("n")  # 新建报告: the start-screen choice is an input too
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
    target=14,
    answers={
        "agency_name": "青石镇人民政府",
        "year": "2025",
        "published": "",
        "contact": "青石镇党政办公室，电话 0000-7654321",
        "overview_drafts": "",       # the five drafted parts of 一 and the 前言, taken as they stand
        "proactive": "0",            # table 二 all zero, in one answer
        "has_requests": "没有",      # table 三 all zero, and 六 says no fee was charged
        "has_reviews": "没有",
        "problems_pick": "1 2",
        "problems_text": "",
        "other_items": "无",
    },
)

# A county bureau with the figures of samples/2023_shuyang-fagaiju.txt, its outcomes entered in
# the grid; the narrative answers are our own words.
COUNTY_BUREAU = Scenario(
    name="county bureau",
    target=24,
    answers={
        "agency_name": "沭阳县发展和改革局",
        "year": "2023",
        "published": "2024-01-17",
        "contact": "县发展和改革局办公室，电话 0000-1234567",
        "overview_drafts": "1 2",    # rewrite two parts, take the other three drafts and the 前言
        "overview_proactive": "我局全年在政府网站发布各类信息二百余条，重点公开发展规划、项目审批和价格管理信息，新制发的8件行政规范性文件全部同步公开。",
        "overview_on_request": "全年收到政府信息公开申请26件，均为自然人提出，已全部按期答复并予以公开。",
        "proactive": "行政规范性文件 8 0 18",
        "has_requests": "有",
        "new": "自然人26",
        "carried": "",
        "all_public": "否",         # so the outcomes (and 结转下年度) go through the grid
        "has_reviews": "1",          # 行政复议 only: the two 行政诉讼 blocks are 0
        "review": "尚未审结1",
        "problems_pick": "1 3",
        "problems_text": "",
        "fee_yuan": "无",
        "other_items": "无",
    },
    grid_keys=("2", "6", "ctrl+s"),  # the cursor starts on （一）予以公开 / 自然人
)

SCENARIOS = (ZERO_REQUEST_TOWNSHIP, COUNTY_BUREAU)

# 五 of a re-run: the draft leaves last year's follow-up to the clerk (【请填写】); our own words.
RERUN_PROBLEMS = (
    "（一）主要问题\n本年我镇政府信息公开工作仍有不足：一是村级公开栏内容更新不够及时；"
    "二是政策解读以文字为主，形式比较单一。\n"
    "（二）改进措施\n针对上年报告提出的问题，我镇已安排专人每月核对各村公开栏，并在镇政府网站开设解读专栏。"
    "下一步将建立公开栏更新台账，增加图解和问答形式的解读。")

# The yearly re-run: last year's published report imported, `new-year` run on it, and nothing
# changed this year: 封面 and 六 "有变化吗？" answered 没有, table 二 and the gateways 0 / 没有.
RERUN_NOTHING_CHANGED = Scenario(
    name="re-run, nothing changed",
    answers={
        "cover_changed": "没有", "published": "2023-01-20", "proactive": "0",
        "overview_drafts": "",
        # the draft of （一） leaves the channels to the clerk (【请填写】): written in our own words
        "overview_proactive": "本年通过镇政府网站专栏和各村公开栏发布信息，重点公开惠民补贴和项目建设情况。",
        "problems_pick": "1 2", "problems_text": RERUN_PROBLEMS, "other_changed": "没有",
        "has_requests": "没有", "has_reviews": "没有",
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


# The yearly re-run as issue 12 sets it: last year's *published* report chosen on the start screen
# (Y, then its path), this year's new figures, 五 drafted afresh from the library.
RERUN_FROM_PUBLISHED = Scenario(
    name="re-run from the published report, new figures, fresh 五",
    target=12,
    answers={
        "cover_changed": "没有", "published": "2023-01-20",
        "proactive": "行政规范性文件 1 0 1，行政许可 3",  # this year's table 二, in one answer
        "has_requests": "没有", "has_reviews": "没有", "overview_drafts": "",
        # the draft of （一） leaves the channels to the clerk (【请填写】): written in our own words
        "overview_proactive": "本年通过镇政府网站专栏和各村公开栏发布信息，重点公开惠民补贴、项目建设和财政资金使用情况。",
        "problems_pick": "1 2", "problems_text": RERUN_PROBLEMS,
        "other_changed": "没有",
    },
    confirm_copies=True,
)


async def run_rerun_from_start(workspace: Path, published: Path = SAMPLE_2021,
                               scenario: Scenario = RERUN_FROM_PUBLISHED,
                               *, size: tuple[int, int] = SIZE) -> Run:
    """Launch on an empty workspace, press Y, give last year's published file, answer, export."""
    from gkassist.tui.dialogs import PathDialog

    app = make_app(workspace=workspace)
    async with app.run_test(size=size) as pilot:
        clerk = Clerk(app, pilot)
        await pilot.pause()
        await clerk.press("y")  # 以上年报告开始新一年
        assert isinstance(app.screen, PathDialog), app.screen
        app.screen.query_one("#path-input").value = str(published)
        await clerk.press("enter")  # the path, one submitted answer
        await pilot.pause()
        await clerk.interview(scenario)
        await pilot.pause()
        assert not app.internal_errors, app.internal_errors
        session = app.session
        assert session is not None
        exported = [session.workspace / name for name in session.report.draft.exported]
        path = session.path
        inputs, asked, grid_keys = clerk.inputs, clerk.asked, clerk.grid_keys
    return Run(inputs, store.load_report(path), path, exported, asked, grid_keys)


def published_forms(folder: Path) -> list[Path]:
    """Last year's report as a clerk finds it: the published text, and that report as a Word file
    and (when LibreOffice is installed) the PDF printed from the Word file."""
    import shutil
    import subprocess

    from gkassist.importers import import_file
    from gkassist.render import render_docx

    folder.mkdir(parents=True, exist_ok=True)
    forms = [SAMPLE_2021]
    docx = folder / (SAMPLE_2021.stem + ".docx")
    docx.write_bytes(render_docx(import_file(SAMPLE_2021).report))
    forms.append(docx)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office:
        subprocess.run([office, "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
                       capture_output=True, timeout=180, check=False)
        pdf = docx.with_suffix(".pdf")
        if pdf.is_file():
            forms.append(pdf)
    return forms


def floor(scenario: Scenario, run: Run, *, start_inputs: int = 1) -> int:
    """The inputs that carry information: the start choice (and a file path), each answer that
    is not the default, each digit typed in the grid."""
    typed = sum(1 for qid in run.asked if scenario.answers.get(qid, "").strip())
    digits = sum(1 for k in scenario.grid_keys if k.isdigit())
    return start_inputs + typed + digits


def _line(scenario: Scenario, run: Run, *, start_inputs: int = 1) -> str:
    low = floor(scenario, run, start_inputs=start_inputs)
    verdict = ""
    if scenario.target:
        verdict = f"; target ≤ {scenario.target}: " + ("met" if run.inputs <= scenario.target else "NOT met")
    return (f"{scenario.name}: {run.inputs} inputs (floor {low}, ratio {run.inputs / low:.2f}"
            f"{verdict}; {run.grid_keys} of them grid keys)")


def main() -> int:
    for scenario in SCENARIOS:
        with tempfile.TemporaryDirectory(prefix="gkassist-effort-") as tmp:
            run = asyncio.run(run_scenario(Path(tmp), scenario))
        print(_line(scenario, run))
    if SAMPLE_2021.is_file():
        with tempfile.TemporaryDirectory(prefix="gkassist-effort-") as tmp:
            for published in published_forms(Path(tmp) / "published"):
                run = asyncio.run(run_rerun_from_start(Path(tmp) / published.suffix.lstrip("."), published))
                print(_line(RERUN_FROM_PUBLISHED, run, start_inputs=2) + f" (from {published.name})")
    else:
        print(f"{RERUN_FROM_PUBLISHED.name}: skipped, {SAMPLE_2021} is not here")
    return 0


if __name__ == "__main__":
    sys.exit(main())
