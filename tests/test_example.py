"""The fictional example report: complete, consistent, its narrative agreeing with its tables."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from gkassist import format as fmt
from gkassist import store
from gkassist.example import example_report
from gkassist.model import Report

COLUMNS = list(fmt.COLUMN_KEYS) + ["total"]


@pytest.fixture(scope="module")
def example() -> Report:
    return example_report()


def narrative(report: Report) -> str:
    texts = [report.preface, report.contact, report.overview.lead]
    texts += [text for _, _, text in report.overview.parts()]
    texts += [report.problems.problems, report.problems.improvements, report.problems.followup]
    texts += report.other.paragraphs()
    return "\n".join(texts)


def test_example_validates_and_survives_the_answers_file(example, tmp_path):
    assert Report.model_validate(example.model_dump(mode="json")) == example
    path = tmp_path / store.answers_filename(example)
    store.save_report(example, path)
    assert store.load_report(path) == example
    assert path.name == "2025年青禾镇人民政府政府信息公开工作年度报告.json"


def test_example_front_matter(example):
    assert example.agency.kind is fmt.AgencyKind.TOWN
    assert example.agency.self_reference == "我镇"
    assert example.year == 2025 and example.published.isoformat() == "2026-01-20"
    assert example.title == "青禾镇人民政府2025年政府信息公开工作年度报告"
    assert fmt.statistics_period(2025) in example.preface
    assert fmt.REGULATION in example.preface
    assert example.contact


def test_example_has_no_blank_cell(example):
    assert not example.applications.any_blank
    for key, _ in fmt.T4_BLOCKS:
        assert all(getattr(example.reviews.block(key), c) is not None for c in fmt.OUTCOME_KEYS_T4)
    p = example.proactive
    assert None not in (p.licensing, p.penalty, p.enforcement, p.fee, p.rules.issued, p.normative.in_force)


@pytest.mark.parametrize("column", COLUMNS)
def test_example_r1_holds_in_every_column(example, column):
    t = example.applications
    received = t.cell("new", column) + t.cell("carried", column)
    handled = t.cell("total", column) + t.cell("carry_next", column)
    assert received == handled, f"表三 {fmt.COLUMN_LABEL[column]}：{received} ≠ {handled}"


def test_example_figures(example):
    t = example.applications
    assert t.cell("new", "natural_person") == 9 and t.cell("new", "commercial") == 2
    assert t.cell("carried", "natural_person") == 1
    assert t.cell("partial", "total") == 1
    assert t.cell("unable_not_held", "total") == 1
    assert t.cell("carry_next", "total") == 1
    assert t.cell("total", "total") == 11
    assert example.reviews.review.upheld == 1 and example.reviews.review.total == 1
    assert example.reviews.litigation_total == 0
    assert example.proactive.fee == Decimal("2.35")
    assert (example.proactive.rules.issued, example.proactive.rules.repealed,
            example.proactive.rules.in_force) == (0, 0, 0)
    assert (example.proactive.normative.issued, example.proactive.normative.repealed,
            example.proactive.normative.in_force) == (2, 1, 14)


def test_example_narrative_agrees_with_the_tables(example):
    text = narrative(example)
    t = example.applications

    def stated(pattern: str) -> set[int]:
        return {int(n) for n in re.findall(pattern, text)}

    assert stated(r"新收政府信息公开申请(\d+)件") == {t.cell("new", "total")}
    assert stated(r"上年结转(\d+)件") == {t.cell("carried", "total")}
    assert stated(r"办结(\d+)件") == {t.cell("total", "total")}
    assert stated(r"予以公开(\d+)件") == {t.cell("public", "total")}
    assert stated(r"行政复议(\d+)件") == {example.reviews.review.total}
    assert stated(r"行政许可决定(\d+)件") == {example.proactive.licensing}
    assert stated(r"行政处罚决定(\d+)件") == {example.proactive.penalty}
    assert stated(r"规范性文件(\d+)件") == {example.proactive.normative.issued}
    assert "结转下年度继续办理" in text and t.cell("carry_next", "total") == 1


def test_example_speaks_as_a_town(example):
    text = narrative(example)
    assert "我镇" in text
    for word in fmt.FOREIGN_SELF_WORDS[fmt.AgencyKind.TOWN]:
        assert word not in text, f"镇的报告里出现了“{word}”"


def test_example_text_is_clean(example):
    text = narrative(example)
    assert not re.search(r"([\u4e00-\u9fff])\1", text), "不应有重复的字（D13）"
    assert "信息处理费" in example.other.fee_statement
    for marker in fmt.OLD_2019_MARKERS + fmt.OBSOLETE_OTHER_ITEMS:
        assert marker not in text
    assert fmt.SUPERSEDED_NOTICE not in text
    years = set(re.findall(r"(\d{4})年", text))
    assert years == {"2025"}, years
    assert example.problems.problems and example.problems.improvements and example.problems.followup
    assert all(text.strip() for _, _, text in example.overview.parts())


def test_example_passes_check_without_errors(example):
    from gkassist import checks
    findings = checks.check(example)
    errors = [f for f in findings if f.severity is checks.Severity.ERROR]
    assert errors == [], "\n".join(f"{f.rule} {f.location}：{f.message}" for f in errors)
    # A model report for clerks to copy from: no warning either (typos, self-reference, deadline …).
    warnings = [f for f in findings if f.severity is checks.Severity.WARNING]
    assert warnings == [], "\n".join(f"{f.rule} {f.location}：{f.message}" for f in warnings)


def test_cli_example_writes_the_same_report(cli, tmp_path, workspace):
    out = tmp_path / "示例.json"
    done = cli("example", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert store.load_report(out) == example_report()


def test_cli_check_of_the_example_exits_zero(cli, tmp_path, workspace):
    import gkassist.checks  # noqa: F401  (a missing module fails here, never skips)
    out = tmp_path / "示例.json"
    assert cli("example", "-o", str(out)).returncode == 0
    done = cli("check", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
