"""The yearly re-run: next year's draft carries 上年结转, moves years on, and confirms nothing silently."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from rich.console import Console

from gkassist import format as fmt
from gkassist import store
from gkassist.carry import (
    CARRIED_ROW_NOTE,
    CARRIED_ROW_PATH,
    CARRIED_TEXT_NOTE,
    FOLLOWUP_PATH,
    FOLLOWUP_QUESTION,
    carried_in_force,
    carry_forward,
    move_years,
    override_carried,
    propose_in_force,
)
from gkassist.cli import print_carry
from gkassist.errors import GkError
from gkassist.model import Agency, Report, Turn


def last_year_report() -> Report:
    """A fictional 2024 report of a town, written for this test."""
    r = Report(
        agency=Agency(name="云溪镇人民政府", kind=fmt.AgencyKind.TOWN),
        year=2024,
        published=date(2025, 1, 22),
        contact="云溪镇党政办公室，电话 0000-1234567",
        preface="本报告依据条例编制，统计期限为2024年1月1日至2024年12月31日，"
                "于2025年1月在镇政府网站发布。条例（2019年修订）不变。",
    )
    r.overview.proactive = "2024年我镇通过网站发布信息86条，较2023年略有增加。"
    r.overview.on_request = "全年收到申请5件，结转下年2件。"
    r.problems.problems = "一是专职人员少；二是政策解读形式单一。"
    r.problems.improvements = "2025年我镇将加强培训，丰富解读形式。"
    r.problems.picked = ["p1-staff-a", "p4-interpret-b"]
    r.other.fee_statement = "2024年本机关未收取信息处理费。"
    r.proactive.normative.issued, r.proactive.normative.repealed, r.proactive.normative.in_force = 3, 1, 17
    r.proactive.rules.issued, r.proactive.rules.repealed, r.proactive.rules.in_force = 0, 0, 0
    r.proactive.licensing, r.proactive.fee = 40, Decimal("0")
    t = r.applications
    t.set("new", "natural_person", 4)
    t.set("new", "commercial", 1)
    t.set("public", "natural_person", 2)
    t.set("unable_not_held", "natural_person", 1)
    t.set("carry_next", "natural_person", 1)
    t.set("carry_next", "commercial", 1)
    t.fill_blank(0)
    r.reviews.set_all(0)
    r.reviews.review.pending = 1
    r.draft.answers["agency.name"] = "云溪镇人民政府"
    r.draft.log.append(Turn(role="clerk", text="云溪镇人民政府"))
    return r


def test_carried_row_equals_last_years_carry_next_per_column() -> None:
    last = last_year_report()
    draft = carry_forward(last).report
    assert draft.year == 2025
    for col in fmt.COLUMN_KEYS:
        assert draft.applications.value("carried", col) == last.applications.value("carry_next", col)
    assert draft.applications.cell("carried", "total") == 2
    assert draft.draft.to_confirm[CARRIED_ROW_PATH] == CARRIED_ROW_NOTE
    assert draft.draft.carried_from == 2024


def test_years_that_meant_this_year_move_on_and_each_spot_is_listed() -> None:
    result = carry_forward(last_year_report())
    d = result.report
    assert "统计期限为2025年1月1日至2025年12月31日" in d.preface
    assert "于2026年1月" in d.preface            # publication: the year after the report year
    assert "（2019年修订）" in d.preface          # a fixed event's year never moves
    assert d.overview.proactive == "2025年我镇通过网站发布信息86条，较2023年略有增加。"
    assert d.problems.improvements.startswith("2026年我镇将")  # last year's "next year" plans
    assert d.other.fee_statement.startswith("2025年")
    assert "前言：2024年 → 2025年（第1处）" in result.changes
    assert "前言：2024年 → 2025年（第2处）" in result.changes
    assert "前言：2025年 → 2026年（第3处）" in result.changes
    assert len([c for c in result.changes if c.startswith("前言")]) == 3
    assert "一、总体情况 （一）主动公开：2024年 → 2025年（第1处）" in result.changes
    assert not any("2023年 →" in c or "2019年 →" in c for c in result.changes)
    assert len(result.changes) == 6


def test_narrative_is_carried_as_draft_marked_to_confirm() -> None:
    d = carry_forward(last_year_report()).report
    for path in ("overview.proactive", "overview.on_request", "problems.problems",
                 "problems.improvements", "other.fee_statement"):
        assert d.draft.to_confirm[path] == CARRIED_TEXT_NOTE
    # Parts empty last year are not marked: there is nothing to confirm.
    assert "overview.platform" not in d.draft.to_confirm and d.overview.platform == ""


def test_last_years_problems_asked_about_and_picked_ids_not_reused() -> None:
    d = carry_forward(last_year_report()).report
    note = d.draft.to_confirm[FOLLOWUP_PATH]
    assert note.startswith("上年提出的问题：一是专职人员少") and note.endswith(FOLLOWUP_QUESTION)
    assert d.problems.followup == ""
    assert d.problems.picked == []


def test_every_other_figure_starts_empty() -> None:
    last = last_year_report()
    d = carry_forward(last).report
    for key in fmt.ROW_KEYS:
        if key != "carried":
            assert d.applications.row(key).blank, key
    for block, _ in fmt.T4_BLOCKS:
        assert all(getattr(d.reviews.block(block), c) is None for c in fmt.OUTCOME_KEYS_T4)
    p = d.proactive
    assert (p.normative.issued, p.normative.repealed, p.normative.in_force) == (None, None, None)
    assert p.licensing is None and p.fee is None and d.other.fee_yuan is None
    assert d.published is None and d.printed is None
    assert d.draft.answers == {} and d.draft.log == [] and d.draft.overrides == {}
    assert d.agency == last.agency and d.contact == last.contact


def test_in_force_proposed_from_last_year_once_this_years_figures_are_in() -> None:
    last = last_year_report()
    d = carry_forward(last).report
    assert propose_in_force(d, last) is None  # 制发/废止 not entered yet
    d.proactive.normative.issued, d.proactive.normative.repealed = 2, 4
    assert propose_in_force(d, last) == 15
    # The saved draft alone is enough: the base travels in the to-confirm note.
    again = store.parse_report(store.dumps_report(d).encode("utf-8"))
    assert carried_in_force(again) == 17 and carried_in_force(again, "rules") == 0
    assert propose_in_force(again) == 15
    again.proactive.rules.issued, again.proactive.rules.repealed = 0, 0
    assert propose_in_force(again, row="rules") == 0
    again.proactive.normative.repealed = 30
    assert propose_in_force(again) is None  # never propose a negative count


def test_override_of_carried_row_needs_a_reason() -> None:
    d = carry_forward(last_year_report()).report
    with pytest.raises(GkError):
        override_carried(d, "natural_person", 3, "  ")
    assert d.applications.value("carried", "natural_person") == 1
    override_carried(d, "natural_person", 3, "上年漏计一件")
    assert d.applications.value("carried", "natural_person") == 3
    assert d.draft.overrides["applications.rows.carried.natural_person"] == "上年漏计一件"


def test_move_years_chinese_numerals_and_long_numbers() -> None:
    text, changes = move_years("二〇二四年度；编号120245年不是年份；2024 年", 2024, "前言")
    assert text == "二〇二五年度；编号120245年不是年份；2025 年"
    assert changes == ["前言：二〇二四年 → 二〇二五年（第1处）", "前言：2024 年 → 2025 年（第2处）"]


def test_report_without_year_is_refused() -> None:
    with pytest.raises(GkError, match="年度"):
        carry_forward(Report())


def test_print_carry_lists_changes_and_carried_row() -> None:
    console = Console(record=True, width=140)
    print_carry(carry_forward(last_year_report()), console)
    out = console.export_text()
    assert "云溪镇人民政府2025年政府信息公开工作年度报告" in out
    assert fmt.T3_ROW["carried"].label in out
    assert "前言：2024年 → 2025年（第1处）" in out
    assert FOLLOWUP_QUESTION in out


def test_cli_new_year_writes_next_year_and_refuses_to_overwrite(cli, tmp_path: Path) -> None:
    last_path = tmp_path / "2024.json"
    store.save_report(last_year_report(), last_path)
    out = tmp_path / "next" / "2025.json"
    done = cli("new-year", str(last_path), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "前言：2024年 → 2025年（第1处）" in done.stdout
    d = store.load_report(out)
    assert d.year == 2025 and d.applications.cell("carried", "total") == 2
    before = out.read_bytes()
    again = cli("new-year", str(last_path), "-o", str(out))
    assert again.returncode == 2
    assert "已存在" in again.stderr and "Traceback" not in again.stderr
    assert out.read_bytes() == before


def test_cli_new_year_default_output_beside_last(cli, tmp_path: Path) -> None:
    last_path = tmp_path / "上年.json"
    store.save_report(last_year_report(), last_path)
    done = cli("new-year", str(last_path))
    assert done.returncode == 0, done.stderr
    made = tmp_path / "2025年云溪镇人民政府政府信息公开工作年度报告.json"
    assert json.loads(made.read_text(encoding="utf-8"))["year"] == 2025


def test_new_year_on_imported_2021_sample(samples_dir: Path) -> None:
    from gkassist.importers import import_file

    last = import_file(samples_dir / "2021_gaopingzhen.txt").report
    assert last.year == 2021
    result = carry_forward(last)
    d = result.report
    assert d.year == 2022
    for col in fmt.COLUMN_KEYS:
        assert d.applications.value("carried", col) == last.applications.value("carry_next", col)
    # The narrative named 2021 as the report year; the draft names 2022 there and lists each spot.
    assert "2021年" in last.overview.proactive and "2021年" not in d.overview.proactive
    assert "2022年" in d.overview.proactive
    assert any(c.startswith("一、总体情况 （一）主动公开：2021年 → 2022年") for c in result.changes)
    assert d.draft.to_confirm["overview.proactive"] == CARRIED_TEXT_NOTE
    assert d.printed is None and d.applications.row("new").blank


def test_carried_parts_stating_last_years_figures_are_listed() -> None:
    result = carry_forward(last_year_report())
    assert "一、总体情况 （二）依申请公开：含上年的数字（5件、2件），请改为今年的数字" in result.figures
    assert any(f.startswith("一、总体情况 （一）主动公开：含上年的数字（86条）") for f in result.figures)
    # Years are not figures: the fee sentence only names a year.
    assert not any("信息处理费" in f for f in result.figures)


def test_overridden_carried_row_leaves_an_r5_warning() -> None:
    from gkassist.checks import Severity, check

    last = last_year_report()
    d = carry_forward(last).report
    assert not [f for f in check(d, last) if f.rule == "R5"]
    override_carried(d, "commercial", 0, "上年多计一件")
    r5 = [f for f in check(d, last) if f.rule == "R5"]
    assert len(r5) == 1 and r5[0].severity is Severity.WARNING
    assert r5[0].field == "applications.rows.carried.commercial" and "上年多计一件" in r5[0].message


def test_self_words_of_another_kind_of_unit_are_corrected_and_listed() -> None:
    last = last_year_report()
    last.overview.platform = "全乡镇各村都设了公开栏，我乡还在乡政府门口设了查阅点。"
    result = carry_forward(last)
    assert result.report.overview.platform == "全镇各村都设了公开栏，我镇还在镇政府门口设了查阅点。"
    spots = [c for c in result.changes if "自称" in c]
    assert any("“全乡镇” → “全镇”" in c for c in spots)
    assert any("“我乡” → “我镇”" in c for c in spots)
    assert any("“乡政府” → “镇政府”" in c for c in spots)
    assert result.report.draft.to_confirm["overview.platform"] == CARRIED_TEXT_NOTE
    from gkassist.checks import check

    assert not [f for f in check(result.report) if f.rule == "D9"]


@pytest.mark.parametrize(
    ("kind", "foreign", "own"),
    [(fmt.AgencyKind.TOWNSHIP, "全镇", "全乡"), (fmt.AgencyKind.SUBDISTRICT, "镇政府", "街道办事处"),
     (fmt.AgencyKind.SUBDISTRICT, "我乡", "我街道"), (fmt.AgencyKind.COUNTY_DEPARTMENT, "我乡", None)],
)
def test_own_self_word_by_kind(kind, foreign, own) -> None:
    assert fmt.own_self_word(kind, foreign) == own
