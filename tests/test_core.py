"""The foundation: labels, the model's derived totals, validation, and the CLI's basics."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from pydantic import ValidationError

from gkassist import format as fmt
from gkassist.model import Agency, Report


def test_official_labels_verbatim() -> None:
    assert fmt.SECTION_HEADINGS == (
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
    )
    assert fmt.T3_ROW["withheld_security"].label == "3.危及“三安全一稳定”"
    assert fmt.T3_ROW["other_no_correction"].label.startswith("1.申请人无正当理由逾期不补正、")
    assert len(fmt.T3_ROWS) == 24 and len(fmt.OUTCOME_KEYS) == 21
    assert fmt.GROUP_SIZES == {"withheld": 8, "unable": 3, "not_processed": 5, "other_handling": 3}
    # 三、本年度办理结果 spans （一）（二）, the 19 sub-rows and （七）总计.
    assert len(fmt.OUTCOME_KEYS) + 1 == 22


@pytest.mark.parametrize(
    ("kind", "name", "word"),
    [
        (fmt.AgencyKind.TOWN, "青禾镇人民政府", "我镇"),
        (fmt.AgencyKind.TOWNSHIP, "石门乡人民政府", "我乡"),
        (fmt.AgencyKind.SUBDISTRICT, "东关街道办事处", "本街道"),
        (fmt.AgencyKind.COUNTY_DEPARTMENT, "某县发展和改革局", "我局"),
        (fmt.AgencyKind.COUNTY_DEPARTMENT, "某县卫生健康委员会", "我委"),
        (fmt.AgencyKind.COUNTY_GOVERNMENT, "某县人民政府", "我县"),
        (fmt.AgencyKind.COUNTY_GOVERNMENT, "某区人民政府", "我区"),
        (fmt.AgencyKind.CITY_GOVERNMENT, "某市人民政府", "我市"),
    ],
)
def test_self_reference_follows_kind_and_name(kind, name, word) -> None:
    assert Agency(name=name, kind=kind).self_reference == word
    assert Agency(name=name, kind=kind, self_reference_override="本院").self_reference == "本院"


def test_totals_are_derived_not_stored() -> None:
    r = Report()
    t = r.applications
    t.set("new", "natural_person", 5)
    t.set("new", "commercial", 2)
    t.set("public", "natural_person", 4)
    t.set("unable_not_held", "commercial", 2)
    t.set("carry_next", "natural_person", 1)
    assert t.cell("new", "total") == 7
    assert t.cell("total", "natural_person") == 4
    assert t.cell("total", "total") == 6
    assert t.cell("carried", "total") == 0 and t.value("carried", "natural_person") is None
    dumped = json.dumps(r.model_dump(mode="json"), ensure_ascii=False)
    assert '"total"' not in dumped  # no total is ever written to the answers file
    r.reviews.review.corrected = 1
    r.reviews.direct_suit.pending = 2
    assert r.reviews.review.total == 1 and r.reviews.litigation_total == 2


def test_counts_are_non_negative_whole_numbers_and_fee_has_four_places() -> None:
    with pytest.raises(ValidationError):
        Report.model_validate({"applications": {"rows": {"new": {"natural_person": -1}}}})
    with pytest.raises(ValidationError):
        Report.model_validate({"applications": {"rows": {"new": {"natural_person": 1.5}}}})
    with pytest.raises(ValidationError):
        Report.model_validate({"applications": {"rows": {"nonsense": {}}}})
    with pytest.raises(ValidationError):
        Report.model_validate({"proactive": {"fee": "1.23456"}})
    r = Report.model_validate({"proactive": {"fee": "96171.6"}})
    assert r.proactive.fee == Decimal("96171.6")


def test_answers_file_round_trips_in_stable_order(tmp_path) -> None:
    from gkassist import store

    r = Report(year=2025, agency=Agency(name="青禾镇人民政府", kind=fmt.AgencyKind.TOWN))
    r.applications.set("new", "legal", 3)
    p = tmp_path / "a.json"
    store.save_report(r, p)
    text = p.read_text(encoding="utf-8")
    assert "青禾镇人民政府" in text  # ensure_ascii=False
    assert text.index('"schema_version"') < text.index('"agency"') < text.index('"applications"')
    assert store.load_report(p) == r
    store.save_report(r, p)
    assert text == p.read_text(encoding="utf-8")


def test_domain_imports_without_textual() -> None:
    code = (
        "import sys\n"
        "import gkassist.model, gkassist.checks, gkassist.render, gkassist.format, gkassist.store\n"
        "import gkassist.cli, gkassist.example\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))\n"
        "raise SystemExit(1 if bad else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, f"Textual imported by the domain: {done.stdout}{done.stderr}"


def test_cli_schema_version_and_chinese_help(cli) -> None:
    schema = cli("schema")
    assert schema.returncode == 0
    data = json.loads(schema.stdout)
    assert "applications" in data["properties"] and data["properties"]["schema_version"]
    version = cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("gkassist ")
    helped = cli("--help")
    assert "用法" in helped.stdout and "检查报告" in helped.stdout


def test_cli_bad_arguments_get_a_chinese_line(cli) -> None:
    done = cli("check")
    assert done.returncode == 2
    assert "缺少参数" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ('{"year": 2025, "agency": ', "不是完整的 JSON"),
        ('{"applications": {"rows": {"new": {"natural_person": -3}}}}', "不能是负数"),
        ('{"applications": {"rows": {"public": {"commercial": "三件"}}}}', "应为整数"),
        ("", "空文件"),
    ],
)
def test_cli_check_on_bad_files_exits_2_and_leaves_them_alone(cli, tmp_path, content, words) -> None:
    p = tmp_path / "坏文件.json"
    p.write_text(content, encoding="utf-8")
    before = p.read_bytes()
    done = cli("check", str(p))
    assert done.returncode == 2, done.stderr
    assert words in done.stderr and "坏文件.json" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert p.read_bytes() == before
    assert not list(tmp_path.glob("*.tmp")) and not (tmp_path / "坏文件.json.bak").exists()
