"""Two years side by side: every figure with its change, and the unchanged share of the narrative."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from rich.console import Console

from gkassist import format as fmt
from gkassist import store
from gkassist.carry import carry_forward
from gkassist.cli import print_diff
from gkassist.diff import COPIED_SHARE, diff_reports, unchanged_share
from gkassist.model import Agency, Report

PROBLEMS = "一是信息公开专职人员只有一名，兼顾多项工作；二是政策解读多为文字稿，图解和视频较少。"


def pair() -> tuple[Report, Report]:
    last = Report(agency=Agency(name="云溪镇人民政府", kind=fmt.AgencyKind.TOWN), year=2024)
    last.overview.proactive = "全年主动公开各类信息八十余条，重点公开财政预决算和惠农补贴。"
    last.problems.problems = PROBLEMS
    last.proactive.normative.in_force = 17
    last.proactive.fee = Decimal("0.1200")
    last.applications.set("new", "natural_person", 4)
    last.applications.set("new", "commercial", 1)
    last.applications.set("carry_next", "natural_person", 2)
    last.reviews.review.upheld = 1

    this = carry_forward(last).report
    this.overview.proactive = "本年新开设乡村振兴专栏，按月更新项目进度，并公开了全部议事协调机构名单。"
    this.problems.problems = PROBLEMS  # copied word for word
    this.proactive.normative.in_force = 19
    this.proactive.fee = Decimal("0.1200")
    this.applications.set("new", "natural_person", 6)
    this.applications.set("new", "commercial", 1)
    this.reviews.review.upheld = 0
    return last, this


def row(diff, field):
    return next(r for r in diff.figures if r.field == field)


def test_every_figure_of_tables_two_three_four_is_compared() -> None:
    diff = diff_reports(*pair())
    tables = [r.table for r in diff.figures]
    # 二: 2×3 + 4; 三: 25 displayed rows × 7 columns (with （七）总计 and the 总计 column); 四: 3×5.
    assert tables.count("二") == 10
    assert tables.count("三") == 25 * 7
    assert tables.count("四") == 15


def test_figures_named_in_the_reports_own_words_with_change() -> None:
    diff = diff_reports(*pair())
    new_np = row(diff, "applications.rows.new.natural_person")
    assert new_np.label == f"表三 {fmt.T3_ROW['new'].label} / 自然人"
    assert (new_np.last, new_np.this, new_np.change) == (4, 6, 2)
    total = row(diff, "applications.rows.new.total")
    assert (total.last, total.this, total.change) == (5, 7, 2)
    carried = row(diff, "applications.rows.carried.natural_person")
    assert (carried.last, carried.this) == (None, 2) and carried.change is None and carried.changed
    in_force = row(diff, "proactive.normative.in_force")
    assert in_force.label == f"表二 {fmt.ROW_NORMATIVE} / {fmt.COL_IN_FORCE}" and in_force.change == 2
    fee = row(diff, "proactive.fee")
    assert not fee.changed and fee.change == 0
    upheld = row(diff, "reviews.review.upheld")
    assert upheld.label == f"表四 {fmt.REVIEW} / 结果维持" and upheld.change == -1
    assert row(diff, "reviews.review.total").this == 0


def test_narrative_unchanged_share_flags_a_copied_part() -> None:
    diff = diff_reports(*pair())
    parts = {r.field: r for r in diff.narrative}
    assert parts["problems.problems"].unchanged == 1.0 and parts["problems.problems"].copied
    assert parts["overview.proactive"].unchanged < 0.3 and not parts["overview.proactive"].copied
    assert "overview.platform" not in parts  # empty both years


def test_unchanged_share_uses_the_d11_measure() -> None:
    assert unchanged_share("abc", "") is None
    assert unchanged_share(PROBLEMS, PROBLEMS) == 1.0
    # A copy with only its years moved on is still a copy.
    assert unchanged_share("2024年" + PROBLEMS, "2025年" + PROBLEMS) == 1.0
    half = PROBLEMS[: len(PROBLEMS) // 2]
    assert 0.4 < unchanged_share(PROBLEMS, half) < COPIED_SHARE
    assert unchanged_share("完全不同的另一段话", PROBLEMS) < 0.2


def test_print_diff_highlights_changes_and_marks_copied_text() -> None:
    console = Console(record=True, width=200)
    print_diff(*pair(), console)
    out = console.export_text()
    assert "2024年" in out and "2025年" in out
    assert f"表三 {fmt.T3_ROW['new'].label} / 自然人" in out
    assert "+2" in out and "-1" in out
    assert "100%" in out and "疑似照抄上年" in out
    assert f"{COPIED_SHARE:.0%}" in out


def test_cli_diff(cli, tmp_path: Path) -> None:
    last, this = pair()
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    store.save_report(last, a)
    store.save_report(this, b)
    done = cli("diff", str(a), str(b))
    assert done.returncode == 0, done.stderr
    assert "疑似照抄上年" in done.stdout and "Traceback" not in done.stderr
    missing = cli("diff", str(a), str(tmp_path / "none.json"))
    assert missing.returncode == 2 and "找不到文件" in missing.stderr
