"""The checks: every rule fires on the defect it names and stays quiet on a sound report."""

from __future__ import annotations

import json
import re
import time
from datetime import date
from decimal import Decimal

import pytest

from gkassist import format as fmt
from gkassist.checks import Finding, Severity, check, similarity
from gkassist.model import LastYear, Printed, Report

# ---------------------------------------------------------------- builders (our own wording)

OVERVIEW = {
    "proactive": "本年通过门户网站发布各类信息一百余条，重点公开了财政预决算、惠民补贴和重大项目进展，"
                 "每条信息发布前都经过保密审查。",
    "on_request": "本年收到政府信息公开申请5件，已办结3件，另有2件因需征求第三方意见转入下年度办理，"
                  "办理过程严格遵守法定时限。",
    "management": "建立信息发布登记台账，对拟公开内容实行承办人、分管领导两级审核，全年未发生泄密事件。",
    "platform": "在镇便民服务中心设置查阅点，更新公开栏目十二个，村级公开栏做到每季度更新一次。",
    "supervision": "把政务公开纳入各办站所年终考核，聘请两名群众监督员，对群众反映的问题当周回复。",
}
PROBLEMS = "一是部分办站所报送信息不够及时，二是政策解读以文字为主，图表和视频较少。"
IMPROVEMENTS = "下一步将建立信息报送提醒制度，并请县融媒体中心协助制作图解和短视频。"
FEE = "本年未收取政府信息公开信息处理费。"
PREFACE = (f"根据{fmt.REGULATION}，编制本报告。报告中所列数据的统计期限为"
           f"{fmt.statistics_period(2023)}。")


def report(kind: fmt.AgencyKind = fmt.AgencyKind.TOWN, name: str = "青石镇人民政府", year: int = 2023,
           **overview: str) -> Report:
    """A complete, sound draft: 5 new requests (3 public, 2 carried to next year), one review case."""
    r = Report(agency={"name": name, "kind": kind}, year=year, published=date(year + 1, 1, 20),
               preface=PREFACE.replace("2023", str(year)))
    for key, text in {**OVERVIEW, **overview}.items():
        setattr(r.overview, key, text)
    r.problems.problems, r.problems.improvements = PROBLEMS, IMPROVEMENTS
    r.other.fee_statement, r.other.fee_yuan = FEE, Decimal(0)
    p = r.proactive
    for row in (p.rules, p.normative):
        row.issued = row.repealed = row.in_force = 0
    p.normative.issued, p.normative.in_force = 2, 9
    p.licensing, p.penalty, p.enforcement, p.fee = 0, 0, 0, Decimal(0)
    apps = r.applications
    apps.fill_blank(0)
    apps.set("new", "natural_person", 5)
    apps.set("public", "natural_person", 3)
    apps.set("carry_next", "natural_person", 2)
    r.reviews.set_all(0)
    r.reviews.review.upheld = 1
    return r


def imported(r: Report, **printed) -> Report:
    """The same report as if read from a published text that printed everything correctly."""
    cells: dict[str, str] = {}
    for row in fmt.ROW_KEYS:
        for col in fmt.COLUMN_KEYS:
            cells[f"t3.{row}.{col}"] = str(r.applications.cell(row, col))
        cells[f"t3.{row}.total"] = str(r.applications.cell(row, "total"))
    for col in (*fmt.COLUMN_KEYS, "total"):
        cells[f"t3.total.{col}"] = str(r.applications.cell("total", col))
    for block, _ in fmt.T4_BLOCKS:
        for col in (*fmt.OUTCOME_KEYS_T4, "total"):
            cells[f"t4.{block}.{col}"] = str(r.reviews.block(block).cell(col))
    cells.update(printed.pop("cells", {}))
    headings = printed.pop("headings", list(fmt.SECTION_HEADINGS))
    r.printed = Printed(title=r.title, headings=headings, cells=cells, **printed)
    return r


def rules(findings: list[Finding]) -> list[str]:
    return [f.rule for f in findings]


def only(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


# ---------------------------------------------------------------- the contract


def test_a_sound_report_has_no_findings():
    assert check(report()) == []
    assert check(imported(report())) == []


def test_finding_as_dict_uses_chinese_severity():
    f = Finding("R1", Severity.ERROR, "表三 （七）总计 / 自然人", "多出 1 件。", "applications.rows.new")
    assert f.as_dict() == {"rule": "R1", "severity": "错误", "location": "表三 （七）总计 / 自然人",
                           "message": "多出 1 件。", "field": "applications.rows.new"}
    assert [s.value for s in Severity] == ["错误", "警告", "提示"]


def test_findings_are_sorted_errors_first():
    r = report()
    r.overview.platform = ""                       # D6 warning
    r.applications.set("public", "commercial", 1)  # R1 errors
    r.agency.kind = None                           # D6 error (draft)
    severities = [f.severity for f in check(r)]
    assert severities == sorted(severities, key=[Severity.ERROR, Severity.WARNING, Severity.INFO].index)
    assert severities[0] is Severity.ERROR and Severity.WARNING in severities


def test_check_does_not_change_the_report():
    r = report(on_request="本年受理政府信息公开申请9件。")
    before = r.model_dump_json()
    check(r, report())
    assert r.model_dump_json() == before


# ---------------------------------------------------------------- R1–R4, R8


def test_r1_outcomes_exceeding_applications_names_table_and_column():
    r = report()
    r.applications.set("unable_not_held", "natural_person", 1)
    found = only(check(r), "R1")
    assert [f.severity for f in found] == [Severity.ERROR, Severity.ERROR]  # 自然人 and 总计
    first = found[0]
    assert "表三" in first.location and "自然人" in first.location
    assert "新收 5 + 上年结转 0 = 5" in first.message and "多出 1 件" in first.message
    assert first.field == "applications.rows.new.natural_person"
    assert "总计" in found[1].location


def test_r1_a_balanced_column_with_carried_requests_passes():
    r = report()
    r.applications.set("carried", "legal", 2)
    r.applications.set("refused_repeat", "legal", 1)
    r.applications.set("carry_next", "legal", 1)
    assert only(check(r), "R1") == []


def test_r1_too_few_outcomes_says_how_many_are_missing():
    r = report()
    r.applications.set("carry_next", "natural_person", 0)
    (col, total) = only(check(r), "R1")
    assert "少了 2 件" in col.message and col.location == "表三 （七）总计 / 自然人"


def test_r1_waits_while_a_draft_has_no_results_entered():
    r = report()
    for row in (*fmt.OUTCOME_KEYS, "carry_next"):
        for col in fmt.COLUMN_KEYS:
            r.applications.set(row, col, None)
    found = check(r)
    assert "R1" not in rules(found)
    (r7,) = only(found, "R7")  # the 22 untouched rows are one piece of advice
    assert r7.location == "表三 （一）予以公开 等 22 行" and "未填写" in r7.message
    r.applications.set("public", "natural_person", 6)
    assert [f.location for f in only(check(r), "R1")] == ["表三 （七）总计 / 自然人", "表三 （七）总计 / 总计"]


def test_r2_r3_r4_compare_printed_totals_with_the_figures():
    r = imported(report(), cells={"t3.total.natural_person": "4", "t3.new.total": "6", "t4.review.total": "2"})
    found = check(r)
    (r2,) = only(found, "R2")
    assert r2.location == "表三 （七）总计 / 自然人" and "4" in r2.message and "3" in r2.message
    r3, r3_total_row = only(found, "R3")
    assert r3.location == f"表三 {fmt.T3_ROW['new'].label} / 总计" and "6" in r3.message
    assert r3_total_row.location == "表三 （七）总计 / 总计"  # its printed cells add to 4, not 3
    (r4,) = only(found, "R4")
    assert r4.location == "表四 行政复议 / 总计" and "结果维持 1" in r4.message
    assert all(f.severity is Severity.ERROR for f in (r2, r3, r4))


def test_r3_skipped_where_only_the_total_was_printed():
    r = imported(report())
    for col in fmt.COLUMN_KEYS:
        r.applications.set("public", col, None)
        r.printed.cells[f"t3.public.{col}"] = ""
    found = check(r)
    assert "R3" not in rules(found) and "R1" not in rules(found)  # the printed 总计 3 stands in
    (r7,) = only(found, "R7")
    assert r7.location == "表三 （一）予以公开" and "自然人" in r7.message


def test_r8_partial_disclosure_above_the_requests_to_handle():
    r = report()
    r.applications.set("partial", "commercial", 2)
    found = check(r)
    r8 = only(found, "R8")
    assert r8 and r8[0].location.startswith("表三 （二）部分公开") and "商业企业" in r8[0].location
    assert r8[0].severity is Severity.ERROR and "R1" in rules(found)
    assert only(check(report()), "R8") == []


# ---------------------------------------------------------------- R5, R7


def test_r5_carried_row_must_equal_last_years_carry_next():
    this = report()
    assert only(check(this, _with_carry(report(year=2022), 0)), "R5") == []
    (f,) = only(check(this, _with_carry(report(year=2022), 2)), "R5")
    assert f.severity is Severity.WARNING and "二、上年结转" in f.location and "自然人" in f.location
    assert "2022年" in f.message and f.field == "applications.rows.carried.natural_person"
    this.draft.overrides["applications.rows.carried.natural_person"] = "一件申请上年已撤回"
    (f,) = only(check(this, _with_carry(report(year=2022), 2)), "R5")
    assert "一件申请上年已撤回" in f.message


def _with_carry(last: Report, n: int) -> Report:
    last.applications.set("carry_next", "natural_person", n)
    last.applications.set("public", "natural_person", 5 - n)
    return last


def test_r7_one_warning_per_row_listing_blank_columns():
    r = report()
    r.applications.set("unable_not_held", "research", None)
    r.applications.set("unable_not_held", "welfare", None)
    (f,) = only(check(r), "R7")
    assert f.location == "表三 （四）无法提供 1.本机关不掌握相关政府信息"
    assert "科研机构、社会公益组织" in f.message and "未填写，将按 0 处理" in f.message
    assert f.field == "applications.rows.unable_not_held.research"


def test_r7_an_empty_draft_gets_one_warning_per_table():
    r = Report(agency={"name": "青石镇人民政府", "kind": fmt.AgencyKind.TOWN}, year=2023)
    r7 = only(check(r), "R7")
    assert [f.location for f in r7] == [fmt.SECTION_LABEL["applications"], fmt.SECTION_LABEL["proactive"],
                                        fmt.SECTION_LABEL["reviews"]]


def test_r7_whole_blank_columns_are_one_warning_and_printed_dashes_are_quoted():
    r = imported(report(), cells={"t4.direct_suit.other": "/"})
    for row in fmt.ROW_KEYS:
        for col in fmt.ORG_COLUMN_KEYS:
            r.applications.set(row, col, None)
    r.reviews.direct_suit.other = None
    found = only(check(r), "R7")
    assert len(found) == 2
    assert found[0].location == "表三 商业企业、科研机构、社会公益组织、法律服务机构、其他 列"
    assert found[1].location == "表四 行政诉讼 未经复议直接起诉" and "“/”" in found[1].message


def test_r7_a_printed_dash_is_reported_even_when_read_as_zero():
    r = imported(report(), cells={"t2.fee": "无", "t3.refused_repeat.legal": "—"})
    found = only(check(r), "R7")
    assert [f.location for f in found] == ["表三 （五）不予处理 2.重复申请", "表二 行政事业性收费"]
    assert "法律服务机构（印作“—”）" in found[0].message and "“无”" in found[1].message


# ---------------------------------------------------------------- D1–D3, D5, D6, D12


def test_d1_old_2019_tables():
    (f,) = only(check(imported(report(), layout="2019", markers=["本年新制作数量"])), "D1")
    assert f.severity is Severity.ERROR and "2019" in f.message and "本年新制作数量" in f.message
    assert only(check(imported(report())), "D1") == []


def test_d2_superseded_notice():
    r = report()
    r.preface = f"本报告依据{fmt.SUPERSEDED_NOTICE}的要求编制。" + PREFACE
    (f,) = only(check(r), "D2")
    assert f.location == "前言" and fmt.FORMAT_NOTICE in f.message and f.field == "preface"
    r.preface = f"本报告依据{fmt.FORMAT_NOTICE}的要求编制。" + PREFACE
    assert only(check(r), "D2") == []


def test_d3_stale_statistics_period_and_title():
    r = report(year=2024)
    r.preface = PREFACE  # still says 2023
    (f,) = only(check(r), "D3")
    assert f.severity is Severity.ERROR and "2023年1月1日至2023年12月31日" in f.message
    assert fmt.statistics_period(2024) in f.message and f.field == "preface"
    assert only(check(report(year=2024)), "D3") == []
    r = imported(report())
    r.printed.title = "青石镇人民政府2022年政府信息公开工作年度报告"
    (f,) = only(check(r), "D3")
    assert f.location == "标题" and "2022" in f.message


def test_d5_rules_at_a_level_that_cannot_make_them():
    r = report()
    r.proactive.rules.issued = 1
    (f,) = only(check(r), "D5")
    assert f.location == "表二 规章" and f.field == "proactive.rules.issued" and "镇" in f.message
    city = report(kind=fmt.AgencyKind.CITY_GOVERNMENT, name="青石市人民政府")
    city.proactive.rules.issued = 1
    assert only(check(city), "D5") == []


def test_d6_heading_without_table_and_empty_total_column():
    r = imported(report())
    r.printed.cells = {k: v for k, v in r.printed.cells.items() if not k.startswith("t4.")}
    r.reviews = type(r.reviews)()
    (f,) = only(check(r), "D6")
    assert f.location == fmt.SECTION_LABEL["reviews"] and f.severity is Severity.ERROR
    r = imported(report())
    for row in fmt.ROW_KEYS:
        r.printed.cells[f"t3.{row}.total"] = ""
    (f,) = only(check(r), "D6")
    assert f.location == "表三 总计 列" and f.severity is Severity.WARNING


def test_d6_missing_basics_and_empty_parts():
    r = report(platform="")
    r.agency.name = ""
    r.problems.improvements = ""
    found = only(check(r), "D6")
    assert [(f.severity, f.field) for f in found] == [
        (Severity.ERROR, "agency.name"), (Severity.WARNING, "overview.platform"),
        (Severity.WARNING, "problems.improvements")]
    assert "（四）政府信息公开平台建设" in found[1].location
    r.problems.layout = "paragraph"  # one running text: the improvements live in it
    assert [f.field for f in only(check(r), "D6")] == ["agency.name", "overview.platform"]


def test_d12_published_after_the_deadline_for_the_level():
    r = report()
    r.published = date(2024, 2, 10)
    (f,) = only(check(r), "D12")
    assert f.field == "published" and "2024年1月31日" in f.message
    county = report(kind=fmt.AgencyKind.COUNTY_GOVERNMENT, name="青石县人民政府")
    county.published = date(2024, 2, 10)
    assert only(check(county), "D12") == []


# ---------------------------------------------------------------- D7, D8 (imported layout)


def test_d7_wrong_labels_but_not_the_accepted_fee_variant():
    r = imported(report(), labels=["规范性文件", fmt.COL_FEE_VARIANT, "2.其他法律法规禁止公开"])
    found = only(check(r), "D7")
    assert [f.location for f in found] == ["表二 行政规范性文件", "表三 （三）不予公开 2.其他法律行政法规禁止公开"]
    assert "“行政规范性文件”" in found[0].message
    ok = imported(report(), labels=[fmt.ROW_NORMATIVE, fmt.COL_FEE_VARIANT, "2.其他法律行政法规禁止公开"])
    assert only(check(ok), "D7") == []


def test_d7_and_d8_a_reworded_heading_counts_as_present():
    r = imported(report())
    r.printed.headings[4] = "五、存在的主要问题及整改措施"
    found = check(r)
    assert rules(found) == ["D7"] and found[0].location == fmt.SECTION_HEADINGS[4]


def test_d8_duplicate_missing_out_of_order_renumbered():
    h = list(fmt.SECTION_HEADINGS)
    cases = {
        "duplicate": ([h[0], h[0], *h[1:]], "出现了 2 次", h[0]),
        "missing": (h[:5], "没有找到", h[5]),
        "order": ([h[0], h[1], h[3], h[2], h[4], h[5]], "顺序不对", h[2]),
        "number": ([h[0], h[1], h[2], h[3], "四、存在的主要问题及改进情况", h[5]], "序号不对", h[4]),
    }
    for name, (headings, words, where) in cases.items():
        r = imported(report())
        r.printed.headings = headings
        found = only(check(r), "D8")
        assert [f.location for f in found] == [where], name
        assert words in found[0].message and found[0].severity is Severity.ERROR, name


# ---------------------------------------------------------------- D9, D10, D11, D13


def test_d9_foreign_self_reference_in_a_town():
    r = report(management="我乡建立了审核制度，全乡镇各村都设公开栏，我镇也设了查阅点。")
    found = only(check(r), "D9")
    assert sorted(f.message.split("”")[0].split("“")[1] for f in found) == ["全乡镇", "我乡"]
    assert all(f.severity is Severity.ERROR and f.field == "overview.management" for f in found)
    assert "1 次" in found[0].message and "“我镇”" in found[0].message
    assert only(check(report(management="我镇建立了审核制度，全镇各村都设公开栏。")), "D9") == []


def test_d9_bureau_word_in_a_commission_report():
    r = report(kind=fmt.AgencyKind.COUNTY_DEPARTMENT, name="青石县发展和改革委员会",
               platform="我局在官网开设专栏，我委定期检查更新情况。")
    (f,) = only(check(r), "D9")
    assert "“我局”" in f.message and "“我委”" in f.message
    ok = report(kind=fmt.AgencyKind.COUNTY_DEPARTMENT, name="青石县交通运输局",
                platform="我局在官网开设专栏，定期检查更新情况。")
    assert only(check(ok), "D9") == []


def test_d10_fee_statement_missing_or_obsolete():
    r = report()
    r.other.fee_statement = "无其他需要报告的事项。"
    (f,) = only(check(r), "D10")
    assert f.severity is Severity.ERROR and f.field == "other.fee_statement" and "信息处理费" in f.message
    r.other.fee_statement = f"本年未收取信息处理费。{fmt.OBSOLETE_OTHER_ITEMS[0]}：无。"
    (f,) = only(check(r), "D10")
    assert f.severity is Severity.WARNING and fmt.OBSOLETE_OTHER_ITEMS[0] in f.message


def test_d11_copied_problems_warn_and_a_rewrite_does_not():
    last = report(year=2022)
    copy = report()
    *found, shares = only(check(copy, last), "D11")
    assert len(found) == 6 and {f.severity for f in found} == {Severity.WARNING}  # 一's five parts and 五
    assert shares.severity is Severity.INFO and shares.message.count("100%") == 6
    f = found[-1]
    assert f.location == fmt.SECTION_LABEL["problems"] and "2022年" in f.message and "100%" in f.message
    rewrite = report()
    rewrite.problems.problems = "今年暴露的短板在于村级公开栏更新不均衡，个别村连续两个季度没有更新。"
    rewrite.problems.improvements = "计划把公开栏更新情况纳入村干部月度考评，由党政办每月抽查并通报。"
    found = [f for f in only(check(rewrite, last), "D11") if f.severity is Severity.WARNING]
    assert [f.field for f in found] == [f"overview.{k}" for k in OVERVIEW]


def test_d11_names_a_copied_overview_part():
    last = report(year=2022)
    this = report(**{k: f"今年做了新的安排，{k}。" * 3 for k in OVERVIEW if k != "management"})
    this.problems.problems = "今年暴露的短板在于村级公开栏更新不均衡，个别村连续两个季度没有更新。"
    f, shares = only(check(this, last), "D11")
    assert f.field == "overview.management" and "（三）政府信息管理" in f.location
    assert shares.severity is Severity.INFO and "（三）政府信息管理 100%" in shares.message


def test_d13_doubled_runs():
    r = report(supervision="本年未发生行行政复议案件，群众可通过可以通过热线反映问题。")
    found = only(check(r), "D13")
    assert len(found) == 2 and "行行政复议" in found[0].message and "可通过可以通过" in found[1].message
    ok = report(supervision="干部常常深入村组，深入学习习近平新时代中国特色社会主义思想，严格执行行政许可规定。")
    assert only(check(ok), "D13") == []


def test_a_part_is_scanned_again_only_when_its_text_changes(monkeypatch):
    """check runs after every answer: an unchanged part is not scanned again (an 800 KB narrative
    made every answer slow), and a changed one always is — no finding is kept from an old text."""
    from gkassist import checks

    scanned: list[str] = []
    real = checks._doubled_runs

    def counting(text):
        scanned.append(text)
        return real(text)

    monkeypatch.setattr(checks, "_doubled_runs", counting)
    r = report()
    assert only(check(r), "D13") == [] and scanned  # every part read once
    scanned.clear()
    assert only(check(r), "D13") == [] and scanned == []  # nothing changed: nothing read again
    r.overview.supervision = "本年未发生行行政复议案件。"
    found = only(check(r), "D13")
    assert len(scanned) == 1 and len(found) == 1 and found[0].field == "overview.supervision"
    r.overview.supervision = OVERVIEW["supervision"]
    assert only(check(r), "D13") == []  # the typo fixed: the finding goes with it
    r.overview.on_request = "本年收到政府信息公开申请9件。"  # R6 reads the claims again too
    assert [f.field for f in only(check(r), "R6")] == ["overview.on_request"]
    r.year, r.overview.on_request = 2024, "2023年收到政府信息公开申请9件。"  # another year's figure
    assert only(check(r), "R6") == []
    r.year = 2023  # the same text, now this year's figure: scanned again with the new year
    assert [f.field for f in only(check(r), "R6")] == ["overview.on_request"]


# ---------------------------------------------------------------- R6 and D4: numbers in prose


def test_r6_narrative_request_figures_must_match_table_three():
    assert only(check(report()), "R6") == []
    r = report(on_request="本年共受理政府信息公开申请8件，已全部按时答复。")
    (f,) = only(check(r), "R6")
    assert f.location == "一、总体情况 （二）依申请公开" and "8件" in f.message and "新收 5 件" in f.message
    r = report(on_request="本年收到政府信息公开申请5件，办结4件。")
    (f,) = only(check(r), "R6")
    assert "办结4件" in f.message and "（七）总计 3 件" in f.message


def test_r6_in_the_on_request_part_a_bare_figure_means_requests():
    r = report(on_request="本年新收6件，全年办结4件，另有2件转入下年度。")
    new, done = only(check(r), "R6")
    assert "新收6件" in new.message and "办结4件" in done.message and done.field == "overview.on_request"
    assert only(check(report(on_request="本年新收5件，全年办结3件。")), "R6") == []
    assert only(check(report(platform="全年办结网上事项4件。")), "R6") == []


def test_r6_waits_for_the_rows_it_compares_with():
    r = report(on_request="本年新收政府信息公开申请7件，全部办结。")
    for col in fmt.COLUMN_KEYS:
        r.applications.set("new", col, None)
    r.applications.set("carried", "natural_person", 5)  # the table is started, 新收 is not
    assert only(check(r), "R6") == []


def test_r6_review_and_suit_figures_and_a_denial():
    r = report(supervision="本年发生政府信息公开行政复议2件。")
    (f,) = only(check(r), "R6")
    assert "行政复议2件" in f.message and "总计 1 件" in f.message
    r = report(supervision="本年未发生政府信息公开行政复议和行政诉讼案件。")
    (f,) = only(check(r), "R6")
    assert "行政复议" in f.message
    assert only(check(report(supervision="本年发生政府信息公开行政复议1件，维持原答复。")), "R6") == []


def test_r6_ignores_figures_that_are_not_about_requests():
    r = report(platform="全年受理网络问政182件，办理人大代表建议6件，较上年增加3件，"
                        "受理不动产登记申请40件，收到申请的群众满意率达到百分之九十八。")
    assert only(check(r), "R6") == []


def test_d4_parts_larger_than_the_stated_total():
    r = report(proactive="本年公开信息120条，其中政策文件70条，工作动态60条。")
    (f,) = only(check(r), "D4")
    assert "120" in f.message and "130" in f.message and f.field == "overview.proactive"
    ok = report(proactive="本年公开信息120条，其中政策文件70条，工作动态50条；另有图解10条。")
    assert only(check(ok), "D4") == []


# ---------------------------------------------------------------- similarity


def test_similarity_is_robust_and_fast():
    text = PROBLEMS + IMPROVEMENTS
    assert similarity(text, text) == 1.0
    assert similarity(text, text.replace("，", ",").replace("2023", "2024")) == 1.0
    assert similarity("", "") == 1.0 and similarity("", text) == 0.0
    assert similarity(text, OVERVIEW["platform"]) < 0.3
    long_a = "".join(OVERVIEW.values()) * 10
    long_b = "".join(reversed(list(OVERVIEW.values()))) * 10
    assert len(long_a) > 2000
    start = time.perf_counter()
    score = similarity(long_a, long_b)
    assert time.perf_counter() - start < 0.5 and score > 0.9


# ---------------------------------------------------------------- the real samples and the example


def test_samples_report_their_known_defects(samples_dir):
    from gkassist.importers import import_file

    huaian = check(import_file(samples_dir / "2024_huaian-shi.txt").report)
    assert not [f for f in huaian if f.severity is Severity.ERROR]
    assert "R6" not in rules(huaian) and "D4" not in rules(huaian)
    # A city government whose 总体情况 never mentions 考核/评议/责任追究 (D16, a warning); nothing else.
    assert sorted(rules(huaian)) == ["D16"]

    changed = import_file(samples_dir / "2024_huaian-shi.txt").report
    changed.reviews.review.upheld = 73  # the narrative still says 行政复议 351 件
    changed.printed.cells.update({"t4.review.upheld": "73", "t4.review.total": "352"})
    (r6,) = only(check(changed), "R6")
    assert "行政复议351件" in r6.message and "352" in r6.message

    town = check(import_file(samples_dir / "2021_gaopingzhen.txt").report)
    assert {"D7", "D8", "D9", "D10", "R7"} <= set(rules(town))
    words = {f.message.split("”")[0].split("“")[1] for f in only(town, "D9")}
    assert words == {"我乡", "全乡", "乡政府", "全乡镇"}
    assert "R6" not in rules(town) and "D13" not in rules(town)
    assert {f.rule for f in town if f.severity is Severity.ERROR} == {"D8", "D9", "D10"}
    assert not {"D15", "D14", "D17", "R9", "R10", "R11"} & set(rules(town))

    bureau = check(import_file(samples_dir / "2023_shuyang-fagaiju.txt").report)
    assert sorted(rules(bureau)) == ["D7", "D7", "R7"]


def test_the_example_passes_without_errors():
    from gkassist import example
    found = check(example.example_report())
    assert [f for f in found if f.severity is Severity.ERROR] == []


def test_cli_check_exits_1_on_an_r1_error(tmp_path, cli):
    r = report()
    r.applications.set("public", "natural_person", 4)
    path = tmp_path / "报告.json"
    path.write_text(r.model_dump_json(indent=2), encoding="utf-8")
    result = cli("check", str(path), "--json")
    assert result.returncode == 1, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["rule"] == "R1" and rows[0]["severity"] == "错误" and "自然人" in rows[0]["location"]
    table = cli("check", str(path))
    assert table.returncode == 1 and "R1" in table.stdout and "表三" in table.stdout


# ---------------------------------------------------------------- robustness

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = st.sampled_from([
    "一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "（一）", "(二) ", "其中", "共", "件", "条",
    "受理申请", "行政复议", "行政诉讼", "结转", "答复", "我乡", "全乡镇", "2023年1月1日至2022年12月31日", "\n",
    "\t", " ", "- 3 -", "12", "三", "十", "。", "，", "；", "行行政", "可以通过", "可通过", "/", "—", "",
])
_TEXT = st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=40).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, prose=_TEXT, cell=_TEXT, headings=st.lists(_TEXT, max_size=8))
def test_check_never_raises_on_odd_text(text: str, prose: str, cell: str, headings: list[str]):
    r = report(on_request=prose, proactive=prose)
    r.problems.problems = prose
    assert all(isinstance(f, Finding) for f in check(r, report(year=2022)))
    r = imported(report(), text=text, headings=headings, labels=headings,
                 cells={"t3.new.natural_person": cell, "t4.review.total": cell})
    found = check(r, imported(report(year=2022), text=prose))
    order = [Severity.ERROR, Severity.WARNING, Severity.INFO]
    assert [order.index(f.severity) for f in found] == sorted(order.index(f.severity) for f in found)


# ---------------------------------------------------------------- issue 11: R9–R11, D14–D17 and the widened rules


def _with_last_year(r: Report, **kept) -> Report:
    r.draft.last_year = LastYear(year=(r.year or 2024) - 1, **kept)
    return r


def test_r9_in_force_moves_on_from_last_years_figure():
    r = report()  # 行政规范性文件 2 / 0 / 9
    assert only(check(_with_last_year(r, in_force={"normative": 7, "rules": 0})), "R9") == []
    rerun = report()
    p = rerun.proactive.normative
    p.issued, p.repealed, p.in_force = 1, 0, 3  # "no change" kept last year's 3
    (f,) = only(check(_with_last_year(rerun, in_force={"normative": 3})), "R9")
    assert f.severity is Severity.WARNING and f.field == "proactive.normative.in_force"
    assert "3 + 1 − 0 = 4" in f.message and "改为 4" in f.message and f.location == "表二 行政规范性文件"
    last = report(year=2022)
    last.proactive.normative.in_force = 3
    (g,) = only(check(rerun, last), "R9")  # --previous gives the same answer
    assert "2022年现行有效 3 件" in g.message


def test_r10_issued_and_not_repealed_is_still_in_force():
    r = report()
    p = r.proactive.normative
    p.issued, p.repealed, p.in_force = 12, 0, 3
    (f,) = only(check(r), "R10")
    assert f.severity is Severity.ERROR and f.field == "proactive.normative.in_force" and "12" in f.message
    p.repealed = 10  # 12 − 10 = 2 ≤ 3
    assert only(check(r), "R10") == []


def test_r11_litigation_total_is_both_kinds_of_suit():
    r = report(supervision="把政务公开纳入年终考核。本年发生政府信息公开行政诉讼1件。")
    r.reviews.direct_suit.upheld, r.reviews.suit_after_review.upheld = 1, 2
    (f,) = only(check(r), "R11")
    assert "行政诉讼1件" in f.message and "共 3 件" in f.message and f.field == "overview.supervision"
    assert only(check(r), "R6") == []
    ok = report(supervision="把政务公开纳入年终考核。本年发生政府信息公开行政诉讼3件。")
    ok.reviews.direct_suit.upheld, ok.reviews.suit_after_review.upheld = 1, 2
    assert only(check(ok), "R11") == [] and only(check(ok), "R6") == []


def test_r11_review_cases_are_not_added_to_the_requests_handled():
    r = report(on_request="本年收到政府信息公开申请5件，办结4件（含行政复议1件），另有2件结转下年度。")
    found = check(r)
    (f,) = only(found, "R11")
    assert "办结4件" in f.message and "3 件" in f.message and only(found, "R6") == []


def test_r6_every_single_request_is_not_a_figure():
    r = report(on_request="本年收到政府信息公开申请5件，我们认真办理每一件申请，各项答复均在法定期限内作出，"
                          "全部申请均已登记。")
    assert only(check(r), "R6") == []


def test_r6_reads_chinese_numerals_and_wan():
    (f,) = only(check(report(on_request="本年收到政府信息公开申请八件，办结三件。")), "R6")
    assert "八件" in f.message and "新收 5 件" in f.message
    assert only(check(report(on_request="本年收到政府信息公开申请五件，办结三件。")), "R6") == []
    big = report(on_request="本年收到政府信息公开申请1.2万件。")
    (g,) = only(check(big), "R6")
    assert "1.2万件" in g.message


def test_r6_received_with_carried_only_when_the_sentence_says_so():
    r = report(on_request="本年收到政府信息公开申请7件。")
    r.applications.set("carried", "natural_person", 2)
    r.applications.set("public", "natural_person", 5)
    (f,) = only(check(r), "R6")
    assert "7件" in f.message
    r.overview.on_request = "本年收到政府信息公开申请7件（含上年结转2件）。"
    assert only(check(r), "R6") == []


def test_d9_a_township_word_in_a_county_bureau():
    r = report(kind=fmt.AgencyKind.COUNTY_DEPARTMENT, name="青石县交通运输局",
               platform="我乡在官网开设专栏。", management="我乡建立台账，我局按本办法审核。")
    (f,) = only(check(r), "D9")
    assert "“我乡” 2 次" in f.message and "改为“我局”" in f.message
    assert "（二）依申请公开" not in f.message and "（四）政府信息公开平台建设" in f.message


def test_d9_a_bureau_word_in_a_subdistrict_and_a_district_word_in_a_county():
    street = report(kind=fmt.AgencyKind.SUBDISTRICT, name="青石街道办事处", platform="我局在官网开设专栏。")
    (f,) = only(check(street), "D9")
    assert "“我局”" in f.message and "“本街道”" in f.message
    county = report(kind=fmt.AgencyKind.COUNTY_GOVERNMENT, name="青石县人民政府",
                    platform="我区在官网开设专栏。", supervision="纳入年度考核。")
    (g,) = only(check(county), "D9")
    assert "“我区”" in g.message and "改为“我县”" in g.message


def test_d9_no_false_alarm_on_ordinary_words():
    township = report(kind=fmt.AgencyKind.TOWNSHIP, name="青石乡人民政府",
                      platform="我乡督促各乡镇政府更新公开栏，本乡镇村干部参加培训。")
    assert only(check(township), "D9") == []
    bureau = report(kind=fmt.AgencyKind.COUNTY_DEPARTMENT, name="青石县交通运输局",
                    platform="我局按本办法审核，全县各乡镇设查阅点，我县政务公开工作稳步推进。")
    assert only(check(bureau), "D9") == []


def test_d11_uses_last_years_text_kept_in_the_answers_file(tmp_path, cli):
    r = report()
    texts = {f"overview.{k}": v for k, v in OVERVIEW.items()}
    texts |= {"problems.problems": PROBLEMS, "problems.improvements": IMPROVEMENTS}
    _with_last_year(r, texts=texts)
    found = only(check(r), "D11")
    assert [f.severity for f in found].count(Severity.WARNING) == 6 and "100%" in found[0].message
    path = tmp_path / "报告.json"
    path.write_text(r.model_dump_json(indent=2), encoding="utf-8")
    rows = json.loads(cli("check", str(path), "--json").stdout)
    assert len([x for x in rows if x["rule"] == "D11" and x["severity"] == "警告"]) == 6


def test_d11_half_is_the_line():
    last = report(year=2022)
    this = report()
    this.problems.problems = PROBLEMS  # 五 keeps the problems and rewrites the improvements
    this.problems.improvements = "计划把公开栏更新情况纳入村干部月度考评，由党政办每月抽查并通报结果，年底汇总。"
    found = {f.location: f for f in only(check(this, last), "D11")}
    shares = found["与上年对比"].message
    five = fmt.SECTION_LABEL["problems"]
    share = int(re.search(rf"{five} (\d+)%", shares).group(1))
    assert (five in found) == (share > 50)


def test_d12_deadline_by_kind_and_unknown_kind():
    county = report(kind=fmt.AgencyKind.COUNTY_GOVERNMENT, name="青石县人民政府", supervision="纳入年度考核。")
    county.published = date(2024, 3, 20)
    assert only(check(county), "D12") == []
    county.published = date(2024, 4, 2)
    (f,) = only(check(county), "D12")
    assert "2024年3月31日" in f.message and f.severity is Severity.WARNING
    bureau = report(kind=fmt.AgencyKind.COUNTY_DEPARTMENT, name="青石县交通运输局")
    bureau.published = date(2024, 2, 1)
    assert "2024年1月31日" in only(check(bureau), "D12")[0].message
    unknown = imported(report())
    unknown.agency.kind = None
    unknown.published = date(2024, 5, 1)
    found = check(unknown)
    (d12,) = only(found, "D12")
    assert d12.severity is Severity.INFO and "无法判断发布期限" in d12.message
    assert not any("发布期限的检查没有进行" in f.message for f in found)  # no contradictory hint
    other = report(kind=fmt.AgencyKind.OTHER, name="青石县某中心")
    other.published = date(2024, 5, 1)
    assert [f.severity for f in only(check(other), "D12")] == [Severity.INFO]


def test_d14_section_five_of_general_words():
    r = report()
    r.problems.problems, r.problems.improvements = "工作还有不足。", "今后进一步加强。"
    (f,) = only(check(r), "D14")
    assert f.severity is Severity.WARNING and f.field == "problems.problems" and "具体" in f.message
    r.problems.problems, r.problems.improvements = "无", "无"
    (g,) = only(check(r), "D14")
    assert "“无" in g.message
    assert only(check(report()), "D14") == []


def test_d15_implausible_figures_are_asked_about():
    r = report(kind=fmt.AgencyKind.SUBDISTRICT, name="青石街道办事处")
    r.proactive.licensing = 999999999
    (f,) = only(check(r), "D15")
    assert f.severity is Severity.INFO and f.field == "proactive.licensing" and "确认" in f.message
    jump = report()
    jump.proactive.penalty = 500
    (g,) = only(check(_with_last_year(jump, figures={"t2.penalty": 12})), "D15")
    assert "十倍" in g.message and "12" in g.message
    assert only(check(_with_last_year(report(), figures={"t2.penalty": 0})), "D15") == []


def test_d16_a_government_reports_assessment():
    county = report(kind=fmt.AgencyKind.COUNTY_GOVERNMENT, name="青石县人民政府",
                    supervision="聘请两名群众监督员，对群众反映的问题当周回复。")
    (f,) = only(check(county), "D16")
    assert f.field == "overview.supervision" and "责任追究" in f.message
    county.overview.supervision += "全年开展政务公开工作考核一次，未发生责任追究。"
    assert only(check(county), "D16") == []
    bureau = report(kind=fmt.AgencyKind.COUNTY_DEPARTMENT, name="青石县交通运输局",
                    supervision="聘请两名群众监督员。")
    assert only(check(bureau), "D16") == []


def test_d17_the_2019_wording_in_the_narrative():
    r = report(proactive="本年新制作数量12件，对外公开总数量30件，均按规定公开。")
    (f,) = only(check(r), "D17")
    assert "“本年新制作数量”" in f.message and "“对外公开总数量”" in f.message and f.field == "overview.proactive"
    assert only(check(report()), "D17") == []


def test_markdown_headings_count_as_headings():
    body = "\n".join(f"## {h}\n本部分内容写得足够具体，包括本年的各项工作安排和落实情况，以及相应的数字。"
                     f"其中信息公开按时完成，审核制度运转正常，栏目更新及时，监督考核到位，问题整改有序推进。"
                     for h in fmt.SECTION_HEADINGS)
    body = body.replace("本年未收取", "") + "\n本年未收取信息处理费。"
    for headings in ([f"## {h}" for h in fmt.SECTION_HEADINGS], []):  # listed by the importer, or not
        found = check(imported(report(), text=body, headings=headings))
        assert [f for f in found if f.rule in ("D6", "D8", "D10")] == []


def test_r5_says_when_it_could_not_compare():
    last = report(year=2022)
    for col in fmt.COLUMN_KEYS:
        last.applications.set("carry_next", col, None)
    (f,) = only(check(report(), last), "R5")
    assert f.severity is Severity.INFO and "空白" in f.message and "无法核对" in f.message
    kept = _with_last_year(report(), carried_over={c: None for c in fmt.COLUMN_KEYS})
    assert [x.severity for x in only(check(kept), "R5")] == [Severity.INFO]
    moved = _with_last_year(report(), carried_over={"natural_person": 4})
    (g,) = only(check(moved), "R5")
    assert g.severity is Severity.WARNING and "是 4" in g.message
    for col in fmt.COLUMN_KEYS:  # a draft not yet at the row: R7 asks for it, R5 waits
        moved.applications.set("carried", col, None)
    assert only(check(moved), "R5") == []


def test_r7_a_printed_thousands_comma_is_a_number():
    r = report()
    r.proactive.licensing, r.proactive.fee = 1036, Decimal("12.5")
    r = imported(r, cells={"t2.licensing": "1,036", "t2.fee": "12.5", "t2.penalty": "/"})
    r.proactive.penalty = None
    found = only(check(r), "R7")
    assert len(found) == 1 and "行政处罚" in found[0].location and "“/”" in found[0].message


@pytest.mark.parametrize("text", [
    "本年办结53件，其中予以公开30件，部分公开20件，不予公开4件。",
    "本年共办结53件（予以公开30件、部分公开20件、不予公开4件）。",
    "全年办结53件。其中予以公开30件，部分公开20件，不予公开4件。",
    "本年办结五十三件，其中予以公开三十件，部分公开二十件，不予公开四件。",
])
def test_d4_parts_that_add_up_to_more_than_the_stated_53(text):
    (f,) = only(check(report(on_request=text)), "D4")
    assert "30+20+4 = 54件" in f.message and "多 1件" in f.message and f.field == "overview.on_request"
    assert only(check(report(on_request=text.replace("53", "54").replace("五十三", "五十四"))), "D4") == []


def test_d15_a_table_two_figure_the_narrative_contradicts():
    r = report(proactive="本年制发行政规范性文件5件，均按规定公开。")  # the table says 2
    (f,) = only(check(r), "D15")
    assert f.severity is Severity.INFO and f.field == "proactive.normative.issued" and "填的是 2" in f.message
    assert only(check(report(proactive="本年制发行政规范性文件2件，现行有效规范性文件9件。")), "D15") == []


@pytest.mark.parametrize(("kind", "name", "text", "fixed"), [
    (fmt.AgencyKind.COUNTY_DEPARTMENT, "青石县交通运输局", "我乡按本办法审核，本乡镇村干部参加。", "我局按本办法审核，本乡镇村干部参加。"),
    (fmt.AgencyKind.SUBDISTRICT, "青石街道办事处", "我局设查阅点，全镇推进。", "我街道设查阅点，全街道推进。"),
    (fmt.AgencyKind.COUNTY_GOVERNMENT, "青石县人民政府", "我区开设专栏，本区域内各乡镇。", "我县开设专栏，本区域内各乡镇。"),
    (fmt.AgencyKind.TOWNSHIP, "青石乡人民政府", "督促各乡镇政府，我镇也设了查阅点。", "督促各乡镇政府，我乡也设了查阅点。"),
])
def test_the_re_run_corrects_self_words_from_the_same_source(kind, name, text, fixed):
    """new-year (carry.py) corrects with the word lists D9 checks with: one source, every direction."""
    corrected, changes = fmt.correct_self_words(kind, text, name)
    assert corrected == fixed and changes
    r = report(kind=kind, name=name, platform=corrected, supervision="纳入年度考核。")
    assert only(check(r), "D9") == []
