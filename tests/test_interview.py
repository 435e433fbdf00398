"""The interview engine driven without any UI: complete interviews, bad answers, moving around,
resuming from disk, the re-run and the question script itself."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkassist import format as fmt
from gkassist import store
from gkassist.checks import check
from gkassist.interview import Interview, ScriptError, load_script
from gkassist.interview.agency import guess_kind
from gkassist.model import Report, Turn

TOWN = "青石镇人民政府"
BUREAU = "沭阳县发展和改革局"

# A zero-request township: every narrative answer is ours, written for this test.
TOWN_ANSWERS = {
    "agency_name": TOWN,
    "agency_kind": "",
    "year": "2025",
    "published": "",
    "contact": "青石镇党政办公室，电话 0000-7654321",
    "overview_drafts": "1 2 3 4 5",  # all five parts in our own words
    "overview_proactive": "我镇全年通过政府网站专栏和村务公开栏发布信息86条,重点是惠农补贴和项目建设。",
    "overview_on_request": "本年度我镇未收到政府信息公开申请，受理窗口和网上渠道保持畅通。",
    "overview_management": "发文时同步确定公开属性，信息发布前由党政办公室审核。",
    "overview_platform": "维护县政府网站镇级专栏，更新各村公开栏。",
    "overview_supervision": "明确分管领导和专人负责，政务公开纳入村级考核，本年未发生责任追究。",
    "proactive": "0",
    "has_requests": "没有",
    "has_reviews": "没有",
    "problems_pick": "1 2",
    "problems_text": "",
    "other_items": "无",
}

BUREAU_ANSWERS = {
    "agency_name": BUREAU,
    "agency_kind": "",
    "year": "2023",
    "published": "2024年1月17日",
    "contact": "县发展和改革局办公室，电话 0000-1112223",
    "overview_drafts": "1 2 3 4 5",
    "overview_proactive": "我局围绕项目审批、价格监管和粮食安全等重点领域主动公开信息，全年制发行政规范性文件8件。",
    "overview_on_request": "全年新收政府信息公开申请26件，均为自然人提出，全部予以公开并在法定期限内答复。",
    "overview_management": "对拟发布信息实行三级审核，规范性文件制发前开展合法性审查。",
    "overview_platform": "在县政府网站部门专栏设置项目审批、价格公示等栏目，并通过政务微信同步发布。",
    "overview_supervision": "成立政务公开领导小组，将公开工作纳入科室年度考核。",
    "proactive": "行政规范性文件 8 0 18",
    "has_requests": "有",
    "new": "自然人26",
    "carried": "0",
    "all_public": "是",
    "has_reviews": "1",
    "review": "尚未审结1",
    "problems_pick": "1 3",
    "problems_text": "",
    "fee_yuan": "0",
    "other_items": "1",
    "work_points": "对照上级年度政务公开工作要点，逐项分解任务并按季度督办落实。",
}

OWN_PROBLEMS = ("（一）主要问题\n我局政策解读形式比较单一，部分栏目更新不够及时。\n"
                "（二）改进措施\n下一步将增加图解和问答形式的解读，建立栏目更新台账。")


def drive(iv: Interview, answers: dict[str, str], *, limit: int = 80) -> int:
    """Answer every question the engine asks from `answers` ("" = accept the default); return
    the number of inputs the clerk sent."""
    inputs = 0
    while (p := iv.prompt()) is not None:
        qid = p.question.id
        if qid == "problems_pick" and not p.options:
            text = "无"  # no library: write 五 yourself
        elif qid == "problems_text" and not p.default:
            text = OWN_PROBLEMS
        else:
            assert qid in answers, f"unexpected question {qid}: {p.text}"
            text = answers[qid]
        result = iv.answer(text)
        inputs += 1
        assert result.ok, f"{qid}: {text!r} → {result.message}"
        assert inputs <= limit, "the interview does not end"
    return inputs


def zero_table_three(report: Report) -> bool:
    return all(report.applications.value(r, c) == 0 for r in fmt.ROW_KEYS for c in fmt.COLUMN_KEYS)


# ------------------------------------------------------------------ complete interviews


def test_zero_request_township_from_empty_report():
    report = Report()
    iv = Interview(report)
    inputs = drive(iv, TOWN_ANSWERS)
    assert iv.is_complete and iv.current() is None
    assert inputs <= 20, f"{inputs} inputs for a zero-request township"
    assert report.agency.kind is fmt.AgencyKind.TOWN
    assert report.year == 2025
    assert report.published is None
    assert zero_table_three(report)
    assert report.applications.cell("total", "total") == 0
    for key, _ in fmt.T4_BLOCKS:
        block = report.reviews.block(key)
        assert [getattr(block, c) for c in fmt.OUTCOME_KEYS_T4] == [0, 0, 0, 0]
    # 规章 is never asked of a 镇 and is 0, not blank.
    assert (report.proactive.rules.issued, report.proactive.rules.repealed, report.proactive.rules.in_force) == (0, 0, 0)
    assert "rules" not in report.draft.answers
    assert "信息处理费" in report.other.fee_statement and "未收取" in report.other.fee_statement
    assert report.problems.problems.strip()
    assert fmt.statistics_period(2025) in report.preface
    # ASCII comma between Chinese was normalised.
    assert "86条，重点" in report.overview.proactive
    # The conversation is kept: one assistant and one clerk turn per answer at least.
    clerk_turns = [t for t in report.draft.log if t.role == "clerk"]
    assert len(clerk_turns) == inputs
    assert all(s.done for s in iv.progress())


def test_county_bureau_with_sample_figures():
    report = Report()
    iv = Interview(report)
    inputs = drive(iv, BUREAU_ANSWERS)
    assert iv.is_complete
    assert inputs <= 45
    assert report.agency.kind is fmt.AgencyKind.COUNTY_DEPARTMENT
    assert report.year == 2023 and str(report.published) == "2024-01-17"
    p = report.proactive
    assert (p.rules.issued, p.rules.repealed, p.rules.in_force) == (0, 0, 0)
    assert (p.normative.issued, p.normative.repealed, p.normative.in_force) == (8, 0, 18)
    assert (p.licensing, p.penalty, p.enforcement, p.fee) == (0, 0, 0, Decimal(0))
    t = report.applications
    assert t.value("new", "natural_person") == 26 and t.cell("new", "total") == 26
    assert t.cell("carried", "total") == 0
    assert t.value("public", "natural_person") == 26 and t.cell("public", "total") == 26
    assert t.cell("total", "total") == 26
    assert t.cell("carry_next", "total") == 0
    assert not t.any_blank
    for row in fmt.OUTCOME_KEYS:
        if row != "public":
            assert t.cell(row, "total") == 0
    # R1 in every column
    for col in fmt.COLUMN_KEYS:
        assert t.cell("new", col) + t.cell("carried", col) == t.cell("total", col) + t.cell("carry_next", col)
    r = report.reviews
    assert (r.review.upheld, r.review.corrected, r.review.other, r.review.pending) == (0, 0, 0, 1)
    assert r.review.total == 1 and r.litigation_total == 0
    assert report.other.work_points.startswith("对照上级")
    assert report.other.proposals == "" and report.other.innovation == ""
    assert "信息处理费" in report.other.fee_statement


def test_totals_are_never_asked():
    for q in load_script():
        assert "total" not in q.field and not any("total" in f for f in q.fields)
        if "总计" in q.text.replace("（七）", ""):  # only ever to say it is computed
            assert "自动" in q.text, q.id


# ------------------------------------------------------------------ bad answers


def _interview_at(qid: str, answers: dict[str, str]) -> Interview:
    iv = Interview(Report())
    while (q := iv.current()) is not None and q.id != qid:
        text = answers[q.id]
        if q.id == "problems_pick" and not iv.prompt().options:
            text = "无"
        assert iv.answer(text).ok
    assert q is not None and q.id == qid
    return iv


def test_negative_count_is_refused_in_chinese_and_asked_again():
    iv = _interview_at("proactive", TOWN_ANSWERS)
    result = iv.answer("行政规范性文件 -1 0 3")
    assert not result.ok and "件数不能是负数" in result.message and fmt.ROW_NORMATIVE in result.message
    assert iv.current().id == "proactive"
    assert iv.report.proactive.normative.issued is None
    assert "proactive" not in iv.report.draft.answers


def test_text_for_a_count_is_refused():
    iv = _interview_at("year", TOWN_ANSWERS)
    result = iv.answer("去年")
    assert not result.ok and "请填写一个整数" in result.message
    assert iv.current().id == "year"
    result = iv.answer("1999")
    assert not result.ok and "不能小于" in result.message
    iv2 = _interview_at("proactive", TOWN_ANSWERS)
    result = iv2.answer("行政许可 很多")
    assert not result.ok and "看不懂" in result.message and iv2.current().id == "proactive"
    result = iv2.answer("2 1 14")  # numbers without saying which row they belong to
    assert not result.ok and "每组数字前要写上是哪一项" in result.message
    result = iv2.answer(f"{fmt.ROW_RULES} 1 0 1")  # a 镇 cannot make rules
    assert not result.ok and fmt.ROW_RULES in result.message and iv2.current().id == "proactive"


def test_fractional_count_and_bad_applicants_refused():
    iv = _interview_at("new", BUREAU_ANSWERS)
    r1 = iv.answer("自然人1.5")
    assert not r1.ok and "整数" in r1.message
    r2 = iv.answer("外星人3")
    assert not r2.ok and "外星人" in r2.message and "法律服务机构" in r2.message
    assert iv.current().id == "new"
    assert iv.answer("自然人26").ok


def test_empty_required_paragraph_is_refused():
    iv = _interview_at("problems_text", TOWN_ANSWERS | {"problems_pick": "无"})
    assert iv.prompt().default == ""
    result = iv.answer("")
    assert not result.ok and "这一部分不能为空" in result.message
    result = iv.answer("无")
    assert not result.ok and iv.current().id == "problems_text"


def test_empty_paragraph_in_a_custom_script(tmp_path: Path):
    (tmp_path / "a.toml").write_text(
        '[[question]]\nid = "p"\nsection = "一"\nkind = "paragraph"\nfield = "overview.lead"\n'
        'text = "写一段"\n', encoding="utf-8")
    iv = Interview(Report(), script=load_script(tmp_path))
    result = iv.answer("   ")
    assert not result.ok and result.message.startswith("这一部分不能为空")
    assert iv.current().id == "p"
    assert iv.answer("一段话。").ok and iv.is_complete


# ------------------------------------------------------------------ moving around


def test_skip_comes_back_at_the_end():
    iv = Interview(Report())
    result = iv.answer(TOWN)
    assert result.ok
    # A clear name gives the level at once, and the clerk is told which level was taken.
    assert iv.report.agency.kind is fmt.AgencyKind.TOWN and "“镇”" in result.message
    assert iv.current().id == "year"
    nxt = iv.skip()
    assert nxt.id == "published"
    assert iv.report.draft.skipped == ["year"]
    answers = dict(TOWN_ANSWERS)
    while (q := iv.current()) is not None and q.id != "year":
        text = answers[q.id]
        if q.id == "problems_pick" and not iv.prompt().options:
            text = "无"
        elif q.id == "problems_text" and not iv.prompt().default:
            text = OWN_PROBLEMS
        assert iv.answer(text).ok, q.id
    assert q is not None and q.id == "year"
    assert [m.id for m in iv.missing()] == ["year"]
    assert iv.answer("2025").ok
    assert iv.report.year == 2025 and iv.is_complete
    assert iv.report.draft.skipped == []


def test_agency_level_is_asked_when_the_name_does_not_tell_it():
    iv = Interview(Report())
    assert iv.answer("某某学校").ok
    assert iv.current().id == "agency_kind"
    # and a guessed level can still be changed by revisiting the question
    iv2 = Interview(Report())
    assert iv2.answer(TOWN).ok
    assert iv2.goto_question("agency_kind").id == "agency_kind"
    assert iv2.answer("1").ok and iv2.report.agency.kind is fmt.AgencyKind.TOWNSHIP


def test_back_and_reanswer_overwrites():
    iv = Interview(Report())
    for text in (TOWN, "2025"):
        assert iv.answer(text).ok
    assert iv.current().id == "published"
    assert iv.back().id == "year"
    assert iv.prompt().default == "2025"
    assert iv.answer("2024").ok
    assert iv.report.year == 2024
    assert iv.current().id == "published"  # back at the first unanswered question


def test_goto_section_walks_its_answered_questions():
    report = Report()
    iv = Interview(report)
    drive(iv, TOWN_ANSWERS)
    q = iv.goto("二")
    assert q.id == "proactive"
    assert iv.prompt().default == "0"
    assert iv.answer("规范性文件 1 0 1").ok
    assert iv.current() is None  # 二 is one question: back to where the interview stood
    assert report.proactive.normative.issued == 1
    assert iv.goto("二").id == "proactive"
    assert iv.prompt().default == f"{fmt.ROW_NORMATIVE} 1 0 1"  # the answer given, as it reads back
    assert iv.answer("").ok and report.proactive.normative.in_force == 1


def test_gateway_switch_asks_the_table_questions_afresh():
    report = Report()
    iv = Interview(report)
    drive(iv, TOWN_ANSWERS)
    iv.goto_question("has_requests")
    assert iv.answer("有").ok
    assert iv.current().id == "new"
    assert iv.answer("自然人2 商业企业1").ok
    assert iv.answer("").ok  # carried: default 0
    assert iv.current().id == "all_public"
    assert iv.answer("否").ok
    q = iv.current()  # 结转下年度 is a row of the grid, not a question of its own
    assert q.kind == "grid"
    result = iv.apply_grid({"public": {"natural_person": 1, "commercial": 1},
                            "unable_not_held": {"natural_person": 1}})
    assert result.ok, result.message
    t = report.applications
    assert t.cell("total", "total") == 3 and t.value("partial", "natural_person") == 0
    assert iv.current().id == "fee_yuan"  # with requests, whether a fee was charged is asked
    assert iv.answer("0").ok and iv.is_complete
    # and back to “no”: the table is zero again and the questions no longer count
    iv.goto_question("has_requests")
    assert iv.answer("没有").ok
    assert zero_table_three(report) and iv.is_complete
    assert "new" not in report.draft.answers


def test_grid_rejects_bad_values():
    iv = _interview_at("new", BUREAU_ANSWERS)
    for text in ("自然人3", "0", "否"):
        assert iv.answer(text).ok
    assert iv.current().kind == "grid"
    bad = iv.apply_grid({"public": {"natural_person": -1}})
    assert not bad.ok and "不能是负数" in bad.message
    bad = iv.apply_grid({"nonsense": {"natural_person": 1}})
    assert not bad.ok
    assert not iv.answer("随便").ok
    assert iv.answer(json.dumps({"public": {"natural_person": 3}})).ok
    assert iv.report.applications.cell("public", "total") == 3


def test_field_question_jumps_from_a_finding_path():
    iv = Interview(Report())
    drive(iv, TOWN_ANSWERS)
    assert iv.field_question("overview.on_request").id == "overview_on_request"
    # no requests: the fee statement was decided by has_requests, so that is where it is fixed
    assert iv.field_question("other.fee_statement").id == "has_requests"
    assert iv.field_question("applications.rows.public.natural_person").id == "has_requests"
    assert iv.field_question("reviews.review.pending").id == "has_reviews"
    assert iv.field_question("proactive.normative.in_force").id == "proactive"
    busy = Interview(Report())
    drive(busy, BUREAU_ANSWERS)
    assert busy.field_question("other.fee_statement").id == "fee_yuan"
    assert busy.field_question("reviews.review.pending").id == "review"


def test_progress_lists_cover_and_six_sections():
    iv = Interview(Report())
    progress = iv.progress()
    assert [p.section for p in progress] == ["封面", "一", "二", "三", "四", "五", "六"]
    assert progress[1].label == fmt.SECTION_HEADINGS[0]
    assert not any(p.done for p in progress[:1])


# ------------------------------------------------------------------ resume from disk


def test_resume_after_saving_mid_way(tmp_path: Path):
    report = Report()
    iv = Interview(report)
    path = tmp_path / "draft.json"
    while (q := iv.current()) is not None and q.id != "carried":
        assert iv.answer(BUREAU_ANSWERS[q.id]).ok
        store.save_report(report, path)  # saved after every accepted answer
    log_len = len(report.draft.log)
    loaded = store.load_report(path)
    again = Interview(loaded)
    assert again.current().id == "carried"
    assert loaded.agency.name == BUREAU and loaded.year == 2023
    assert loaded.proactive.normative.in_force == 18
    assert loaded.applications.value("new", "natural_person") == 26
    assert len(loaded.draft.log) == log_len
    assert loaded.draft.answers["has_requests"] is True
    drive(again, BUREAU_ANSWERS)
    assert again.is_complete and loaded.applications.cell("public", "total") == 26


# ------------------------------------------------------------------ re-run


def test_rerun_no_change_township_finishes_in_ten_inputs():
    from gkassist import carry
    last = Report()
    drive(Interview(last), TOWN_ANSWERS | {"year": "2024"})
    nxt = carry.carry_forward(last).report
    iv = Interview(nxt, previous=last)
    inputs = 0
    while (p := iv.prompt()) is not None:
        text = ("没有" if p.kind == "yesno" or p.question.id == "has_reviews" else "0" if p.kind == "table2"
                else "1 2" if p.question.id == "problems_pick" else "")  # 五 afresh from the library
        result = iv.answer(text)
        assert result.ok, f"{p.question.id}: {result.message}"
        inputs += 1
        assert inputs < 30
    # 8 + the publication date (never carried) + 五 chosen afresh from the library (pick, text)
    assert inputs <= 10, inputs
    assert nxt.year == 2025 and nxt.agency.name == TOWN
    assert zero_table_three(nxt) and nxt.reviews.review.total == 0
    assert nxt.proactive.normative.in_force == 0 and nxt.proactive.licensing == 0
    assert not nxt.draft.to_confirm
    assert "2025年" in nxt.other.fee_statement
    # how last year's problems were dealt with is the clerk's to say: a placeholder, never a claim
    assert "针对上年报告提出的问题" in nxt.problems.improvements and "【请填写" in nxt.problems.improvements
    assert any(f.rule == "D18" and f.field.startswith("problems") for f in check(nxt, previous=last))


def test_rerun_in_force_is_proposed_from_last_year():
    from gkassist import carry
    last = Report()
    drive(Interview(last), BUREAU_ANSWERS)
    nxt = carry.carry_forward(last).report
    iv = Interview(nxt)  # no previous report: the base comes from the typed re-run state
    iv.goto_question("proactive")
    prompt = iv.prompt()
    # this year's figures are asked, never defaulted to last year's; last year's base is said
    assert prompt.question.id == "proactive" and prompt.default == "" and "18 件" in prompt.help
    result = iv.answer("行政规范性文件 2 1 18")
    assert result.ok and "应为 19 件" in result.message
    assert iv.goto_question("proactive").id == "proactive"
    result = iv.answer("规范性文件 2 1")  # 现行有效 left out: worked out from last year's
    assert result.ok and "记为 19 件" in result.message and nxt.proactive.normative.in_force == 19


# ------------------------------------------------------------------ the script


def test_script_loads_with_unique_ids_and_known_sections():
    qs = load_script()
    ids = [q.id for q in qs]
    assert len(ids) == len(set(ids))
    assert {q.section for q in qs} == {"封面", "一", "二", "三", "四", "五", "六"}


def test_bad_script_names_file_and_question(tmp_path: Path):
    (tmp_path / "10-bad.toml").write_text(
        '[[question]]\nid = "oops"\nsection = "三"\nkind = "number"\nfield = "year"\ntext = "?"\n',
        encoding="utf-8")
    with pytest.raises(ScriptError) as exc:
        load_script(tmp_path)
    assert "10-bad.toml" in str(exc.value) and "oops" in str(exc.value) and "number" in str(exc.value)
    (tmp_path / "10-bad.toml").write_text(
        '[[question]]\nid = "oops"\nsection = "三"\nkind = "count"\nfield = "nowhere.x"\ntext = "?"\n',
        encoding="utf-8")
    with pytest.raises(ScriptError, match="nowhere.x"):
        load_script(tmp_path)
    (tmp_path / "10-bad.toml").write_text(
        '[[question]]\nid = "oops"\nsection = "三"\nkind = "count"\nfield = "year"\ntext = "{{ x"\n',
        encoding="utf-8")
    with pytest.raises(ScriptError, match="模板写法有误"):
        load_script(tmp_path)


def test_wording_is_data(tmp_path: Path):
    (tmp_path / "a.toml").write_text(
        '[[question]]\nid = "y"\nsection = "封面"\nkind = "count"\nfield = "year"\n'
        'text = "哪一年？"\ndefault = "{{ today.year - 1 }}"\n', encoding="utf-8")
    iv = Interview(Report(), script=load_script(tmp_path))
    p = iv.prompt()
    assert p.text == "哪一年？" and p.default.isdigit()
    assert iv.answer("").ok and iv.report.year == int(p.default)


def test_sandbox_refuses_attribute_tricks(tmp_path: Path):
    (tmp_path / "a.toml").write_text(
        '[[question]]\nid = "n"\nsection = "封面"\nkind = "text"\nfield = "agency.name"\n'
        "text = \"{{ ''.__class__.__mro__ }}\"\n", encoding="utf-8")
    with pytest.raises(ScriptError) as exc:  # refused at load, never rendered for a clerk
        load_script(tmp_path)
    assert "a.toml 第 1 行的问题 n 的 text" in str(exc.value) and "__class__" in str(exc.value)


@pytest.mark.parametrize("name, kind", [
    ("青石镇人民政府", fmt.AgencyKind.TOWN), ("某某乡人民政府", fmt.AgencyKind.TOWNSHIP),
    ("某某街道办事处", fmt.AgencyKind.SUBDISTRICT), (BUREAU, fmt.AgencyKind.COUNTY_DEPARTMENT),
    ("淮安市人民政府", fmt.AgencyKind.CITY_GOVERNMENT), ("某某县人民政府", fmt.AgencyKind.COUNTY_GOVERNMENT),
    ("某某市市场监督管理局", fmt.AgencyKind.CITY_DEPARTMENT),
])
def test_kind_guessed_from_name(name, kind):
    assert guess_kind(name) is kind


# ------------------------------------------------------------------ fuzz the engine


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=25))
def test_any_answers_never_raise(texts):
    iv = Interview(Report())
    for text in texts:
        before = iv.current()
        result = iv.answer(text)
        assert isinstance(result.ok, bool) and isinstance(result.message, str)
        if not result.ok:
            assert iv.current() == before and result.message


def test_grid_that_does_not_add_up_is_kept_and_explained():
    iv = _interview_at("new", BUREAU_ANSWERS)
    for text in ("自然人3", "0", "否"):
        assert iv.answer(text).ok
    result = iv.apply_grid({"public": {"natural_person": 2}})
    assert result.ok  # recorded, so nothing typed is lost; the clerk is told what is wrong
    assert iv.report.applications.cell("total", "natural_person") == 2
    r1 = [f for f in result.findings if f.rule == "R1"]  # said by the checks, once, not by the engine
    assert r1 and "3" in r1[0].message and "2" in r1[0].message
    assert "相符" not in result.message


def test_findings_after_an_answer_skip_blanks_still_to_be_asked():
    import gkassist.checks  # noqa: F401  (a missing module fails here, never skips)
    iv = _interview_at("new", BUREAU_ANSWERS)
    result = iv.answer("自然人26")
    assert result.ok and result.findings == []  # the rest of table 三 is still to come


def test_no_new_requests_but_carried_ones_still_need_outcomes():
    report = Report(year=2025)
    report.draft.carried_from = 2024
    for col in fmt.COLUMN_KEYS:
        report.applications.set("carried", col, 2 if col == "natural_person" else 0)
    iv = Interview(report)
    assert iv.goto("三").id == "has_requests"
    result = iv.answer("没有")
    assert result.ok and "上年结转的 2 件" in result.message
    assert iv.current().id == "all_public"
    assert iv.answer("是").ok
    t = report.applications
    assert t.cell("new", "total") == 0 and t.cell("public", "natural_person") == 2
    assert t.cell("carry_next", "total") == 0


def test_section_revisit_goes_through_the_whole_section():
    iv = Interview(Report())
    drive(iv, TOWN_ANSWERS)
    iv.report.draft.answers.pop("problems_text")  # as if it had never been answered
    assert iv.goto("五").id == "problems_pick"
    assert iv.answer("").ok
    assert iv.current().id == "problems_text"


def test_accepted_library_drafts_follow_the_figures_entered_later():
    import gkassist.library  # noqa: F401  (a missing module fails here, never skips)
    report = Report()
    iv = Interview(report)
    answers = {k: ("" if k.startswith("overview_") else v) for k, v in BUREAU_ANSWERS.items()}
    answers["overview_drafts"] = "2"  # take four drafts, rewrite （二）
    messages = []
    while (p := iv.prompt()) is not None:
        text = answers.get(p.question.id, "")
        if p.question.id == "problems_text" and not p.default:
            text = OWN_PROBLEMS
        result = iv.answer(text)
        assert result.ok, result.message
        messages.append(result.message)
    assert "26" in report.overview.on_request  # figures come first: the draft states them
    # Revising a figure afterwards rewrites the drafts the clerk accepted unchanged.
    assert iv.goto_question("new").id == "new"
    result = iv.answer("自然人30")
    assert result.ok, result.message
    assert "申请30件" in report.overview.on_request
    assert "更新了您采用的草稿" in result.message and fmt.OVERVIEW_LABEL["on_request"] in result.message


def test_an_edited_draft_is_never_rewritten():
    report = Report()
    iv = Interview(report)
    answers = {k: ("" if k.startswith("overview_") else v) for k, v in BUREAU_ANSWERS.items()}
    answers["overview_drafts"] = "2"  # take four drafts, rewrite （二）
    while (p := iv.prompt()) is not None:
        text = answers.get(p.question.id, "")
        if p.question.id == "overview_on_request":
            assert "26" in p.default  # the library's draft, stating this year's figure
            text = p.default + "我局另行登记了电话咨询。"  # the clerk edits the offered draft
        elif p.question.id == "problems_text" and not p.default:
            text = OWN_PROBLEMS
        assert iv.answer(text).ok
    edited = report.overview.on_request
    assert edited.endswith("我局另行登记了电话咨询。") and "overview_on_request" not in report.draft.accepted_drafts
    assert iv.goto_question("new").id == "new"
    result = iv.answer("自然人30")
    assert result.ok and report.overview.on_request == edited  # not rewritten with 30
    assert fmt.OVERVIEW_LABEL["on_request"] not in result.message


def test_sums_are_judged_when_the_section_is_done():
    import gkassist.checks  # noqa: F401  (a missing module fails here, never skips)
    iv = _interview_at("new", BUREAU_ANSWERS)
    for text in ("自然人3", "0"):
        assert iv.answer(text).ok
    early = iv.answer("否")  # the outcomes are still to come
    assert early.ok and not any(f.rule == "R1" for f in early.findings)
    late = iv.apply_grid({"public": {"natural_person": 1}})
    assert late.ok and any(f.rule == "R1" for f in late.findings)


def test_find_previous_finds_last_years_report_of_the_same_agency(tmp_path: Path):
    from gkassist.interview import find_previous

    last = Report(year=2024)
    last.agency.name = TOWN
    other = Report(year=2024)
    other.agency.name = "别的镇人民政府"
    store.save_report(last, tmp_path / "a.json")
    store.save_report(other, tmp_path / "b.json")
    this = Report(year=2025)
    this.agency.name = TOWN
    found = find_previous(this, tmp_path)
    assert found is not None and found.year == 2024 and found.agency.name == TOWN
    assert find_previous(Report(year=2025), tmp_path) is None


# ------------------------------------------------------------------ re-run: 现行有效 moves on (R9)


def _last_year_with_normative(issued: int, repealed: int, in_force: int) -> Report:
    from gkassist.example import example_report

    last = example_report()
    n = last.proactive.normative
    n.issued, n.repealed, n.in_force = issued, repealed, in_force
    return last


def test_rerun_nothing_changed_moves_in_force_on_by_issued_and_repealed():
    from gkassist.carry import carry_forward

    last = _last_year_with_normative(1, 0, 3)
    draft = carry_forward(last).report
    assert draft.draft.last_year is not None and draft.draft.last_year.in_force["normative"] == 3
    iv = Interview(draft, previous=last)
    while (p := iv.prompt()) is not None:
        text = ("没有" if p.kind == "yesno" or p.question.id == "has_reviews"
                else "规范性文件 2 1" if p.kind == "table2" else "")
        result = iv.answer(text)
        assert result.ok, f"{p.question.id}: {result.message}"
    n = draft.proactive.normative
    assert (n.issued, n.repealed, n.in_force) == (2, 1, 4)  # 3 + 2 − 1, never last year's 3


def test_in_force_base_is_typed_not_read_back_from_a_note():
    from gkassist.carry import carry_forward

    draft = carry_forward(_last_year_with_normative(2, 1, 18)).report
    draft.draft.to_confirm["proactive.normative.in_force"] = "现行有效99件"  # a note is only words
    iv = Interview(draft)
    iv.goto_question("proactive")
    assert "18 件" in iv.prompt().help and "99" not in iv.prompt().help
    result = iv.answer("0")  # nothing made or repealed this year: 现行有效 stays at last year's
    assert result.ok and "仍为去年年底的 18 件" in result.message
    assert draft.proactive.normative.in_force == 18


# ------------------------------------------------------------------ the interview never changes what it did not answer


def test_constructing_an_interview_does_not_change_the_report():
    report = Report()
    before = report.model_dump(mode="json")
    iv = Interview(report)
    iv.prompt()
    iv.progress()
    assert report.model_dump(mode="json") == before


def test_accepted_drafts_are_a_typed_field_and_old_files_migrate():
    from gkassist.model import DraftState

    old = DraftState.model_validate({"answers": {"year": 2024, "_accepted_drafts": {"overview_proactive": "x"}}})
    assert old.answers == {"year": 2024} and old.accepted_drafts == {"overview_proactive": "x"}


def test_a_failing_save_rolls_the_answer_back():
    report = Report()
    iv = Interview(report)
    before = report.model_dump(mode="json")

    def save(_report: Report) -> None:
        raise OSError("磁盘已满")

    with pytest.raises(OSError):
        iv.answer(TOWN, commit=save)
    assert report.model_dump(mode="json") == before
    assert iv.current().id == "agency_name"
    saved: list[str] = []
    assert iv.answer(TOWN, commit=lambda r: saved.append(r.agency.name)).ok
    assert saved == [TOWN] and iv.current().id != "agency_name"


def test_a_failing_save_puts_a_full_report_back_exactly(tmp_path):
    """The rollback of a busy report (tables, narratives, accepted drafts, a log): every field
    as it was, the log without the turns the refused answer added; and the session's own guard
    (tui/session.py) puts back the same after a failure outside the engine."""
    from gkassist.example import example_report
    from gkassist.tui.session import Session

    report = example_report()
    report.draft.log.append(Turn(role="assistant", text="之前的一问"))
    report.draft.accepted_drafts["overview_proactive"] = "一段采用的草稿。"
    iv = Interview(report)
    before = report.model_dump_json()
    log = report.draft.log

    def full_disk(_report: Report) -> None:
        raise OSError("磁盘已满")

    question = iv.current().id
    with pytest.raises(OSError):
        iv.answer(iv.prompt().default or "0", commit=full_disk)
    assert report.model_dump_json() == before and report.draft.log is log
    assert iv.current().id == question

    session = Session(report, tmp_path / "x.json", tmp_path)
    with pytest.raises(RuntimeError), session.saving(iv):
        assert iv.answer(iv.prompt().default or "0").ok  # applied in memory, never saved
        assert report.model_dump_json() != before
        raise RuntimeError("the screen broke before the save")
    assert report.model_dump_json() == before
    assert iv.current().id == question


# ------------------------------------------------------------------ errors surface


def test_a_failing_checker_fails_the_answer_loudly():
    def broken(report, previous=None):
        raise RuntimeError("checks broke")

    iv = Interview(Report(), checker=broken)
    with pytest.raises(RuntimeError, match="checks broke"):
        iv.answer(TOWN)


def test_a_failing_library_fails_the_interview_loudly(monkeypatch):
    import gkassist.library

    def broken(*args, **kwargs):
        raise RuntimeError("library broke")

    monkeypatch.setattr(gkassist.library, "suggest", broken)
    with pytest.raises(RuntimeError, match="library broke"):
        drive(Interview(Report()), TOWN_ANSWERS)


def test_a_failing_checks_module_fails_the_interview_tests(monkeypatch):
    """Proof that the interview tests cannot pass through a broken checks.check."""
    import gkassist.checks

    def broken(*args, **kwargs):
        raise RuntimeError("check broke")

    monkeypatch.setattr(gkassist.checks, "check", broken)
    with pytest.raises(RuntimeError, match="check broke"):
        test_findings_after_an_answer_skip_blanks_still_to_be_asked()
    with pytest.raises(RuntimeError, match="check broke"):
        drive(Interview(Report()), TOWN_ANSWERS)


def test_a_failing_normaliser_is_not_swallowed():
    def broken(text: str):
        raise ValueError("normaliser broke")

    iv = _interview_at("contact", TOWN_ANSWERS)
    iv.normaliser = broken
    while iv.current().kind != "paragraph":
        assert iv.answer(TOWN_ANSWERS[iv.current().id]).ok
    with pytest.raises(ValueError, match="normaliser broke"):
        iv.answer("本年度我镇按计划推进政务公开。")


# ------------------------------------------------------------------ the script refuses bad questions at load


def _script(tmp_path: Path, body: str) -> Path:
    base = ('[[question]]\nid = "has_requests"\nsection = "三"\nkind = "yesno"\n'
            'field = "answers.has_requests"\ntext = "有没有申请？"\n\n')
    (tmp_path / "20-test.toml").write_text(base + body, encoding="utf-8")
    return tmp_path


def _refused(tmp_path: Path, body: str) -> str:
    with pytest.raises(ScriptError) as exc:
        load_script(_script(tmp_path, body))
    message = str(exc.value)
    assert "20-test.toml 第 8 行的问题 bad" in message, message  # file, line and question id
    return message


def test_script_refuses_a_misspelt_answer_in_when(tmp_path: Path):
    msg = _refused(tmp_path, '[[question]]\nid = "bad"\nsection = "三"\nkind = "count"\n'
                             'field = "year"\nwhen = "answers.has_reqeusts"\ntext = "几年？"\n')
    assert "when" in msg and "has_reqeusts" in msg


def test_script_refuses_a_misspelt_name_in_when(tmp_path: Path):
    msg = _refused(tmp_path, '[[question]]\nid = "bad"\nsection = "三"\nkind = "count"\n'
                             'field = "year"\nwhen = "reprot.year"\ntext = "几年？"\n')
    assert "reprot" in msg


def test_script_refuses_a_misspelt_name_in_text(tmp_path: Path):
    msg = _refused(tmp_path, '[[question]]\nid = "bad"\nsection = "三"\nkind = "count"\n'
                             'field = "year"\ntext = "{{ reprot.year }} 年？"\n')
    assert "text" in msg and "reprot" in msg


def test_script_refuses_a_misspelt_attribute_in_text(tmp_path: Path):
    msg = _refused(tmp_path, '[[question]]\nid = "bad"\nsection = "三"\nkind = "count"\n'
                             'field = "year"\ntext = "{{ report.agncy.name }}？"\n')
    assert "text" in msg and "agncy" in msg


def test_script_refuses_a_misspelt_field(tmp_path: Path):
    msg = _refused(tmp_path, '[[question]]\nid = "bad"\nsection = "三"\nkind = "count"\n'
                             'field = "proactive.normative.in_farce"\ntext = "几件？"\n')
    assert "in_farce" in msg


def test_script_refuses_an_unknown_action(tmp_path: Path):
    msg = _refused(tmp_path, '[[question]]\nid = "bad"\nsection = "三"\nkind = "yesno"\n'
                             'field = "answers.bad"\ntext = "对吗？"\non_no = "zero_everything"\n')
    assert "zero_everything" in msg


def test_script_refuses_min_above_max(tmp_path: Path):
    msg = _refused(tmp_path, '[[question]]\nid = "bad"\nsection = "三"\nkind = "count"\n'
                             'field = "year"\nmin = 2100\nmax = 2021\ntext = "几年？"\n')
    assert "min" in msg and "max" in msg


def test_script_refuses_an_otherwise_that_does_not_fit(tmp_path: Path):
    msg = _refused(tmp_path, '[[question]]\nid = "bad"\nsection = "三"\nkind = "count"\n'
                             'field = "year"\nwhen = "answers.has_requests"\notherwise = "很多"\ntext = "几年？"\n')
    assert "otherwise" in msg


def test_every_question_of_the_shipped_script_is_typed():
    from gkassist.interview.fields import Accessor

    for q in load_script():
        assert all(isinstance(a, Accessor) for a in q.accessors), q.id
        assert q.line > 0 and q.file.endswith(".toml")


def test_script_refuses_a_misspelt_attribute_behind_a_condition(tmp_path: Path):
    msg = _refused(tmp_path, '[[question]]\nid = "bad"\nsection = "三"\nkind = "count"\n'
                             'field = "year"\nwhen = "report.year == 1900"\ntext = "{{ report.agncy.name }}？"\n')
    assert "agncy" in msg


# ------------------------------------------------------------------ fewer inputs, each one a decision (issue 12)


def test_table_four_is_asked_by_block_and_a_bare_yes_asks_which():
    iv = _interview_at("has_reviews", BUREAU_ANSWERS)
    for text, reason in (("有", "请写是哪几项的编号"), ("", "都没有就答“没有”")):
        result = iv.answer(text)
        assert not result.ok and reason in result.message and iv.current().id == "has_reviews"
    assert iv.answer("1 3").ok
    assert [q.id for q in iv.missing()][:2] == ["review", "suit_after_review"]  # not direct_suit
    r = iv.report.reviews
    assert [getattr(r.direct_suit, c) for c in fmt.OUTCOME_KEYS_T4] == [0, 0, 0, 0]
    assert r.review.upheld is None  # asked next, not guessed


def test_old_answers_files_with_a_yes_no_for_table_four_still_open():
    for old, blocks in ((True, ["review", "direct_suit", "suit_after_review"]), (False, [])):
        report = Report.model_validate({"draft": {"answers": {"has_reviews": old}}})
        assert report.draft.answers["has_reviews"] == blocks
        Interview(report).prompt()  # the script's conditions read the list


def test_the_preface_is_drafted_with_the_parts_of_one_and_asked_only_when_picked():
    iv = Interview(Report())
    asked = []
    while (p := iv.prompt()) is not None:
        asked.append(p.question.id)
        text = TOWN_ANSWERS.get(p.question.id, "")
        if p.question.id == "overview_drafts":
            text = ""  # every draft taken, 前言 included
        elif p.question.id == "problems_text" and not p.default:
            text = OWN_PROBLEMS
        assert iv.answer(text).ok, p.question.id
    assert "preface" not in asked and "preface" in iv.report.draft.answers
    assert "青石镇人民政府" in iv.report.preface and fmt.statistics_period(2025) in iv.report.preface
    iv.goto_question("overview_drafts")
    assert iv.answer("6").ok  # 前言 chosen for rewriting: now it is asked, with the draft offered
    assert iv.current().id == "preface" and "青石镇人民政府" in iv.prompt().default


def test_no_requests_states_the_fee_and_does_not_ask_it():
    iv = Interview(Report())
    drive(iv, TOWN_ANSWERS)
    assert "fee_yuan" not in iv.report.draft.answers
    assert iv.report.other.fee_yuan == 0 and "未收取信息处理费" in iv.report.other.fee_statement
