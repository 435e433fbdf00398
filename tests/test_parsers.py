"""Answer parsers: every accepted form of issue 3 item 5, the rejections with their Chinese reasons,
and a fuzz that any string gives a value or a ParseError — never another exception."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkassist import format as fmt
from gkassist.interview.parsers import (
    YEAR_HINT,
    ParseError,
    chinese_to_int,
    describe_proactive,
    parse_applicants,
    parse_choice,
    parse_count,
    parse_counts,
    parse_date,
    parse_money,
    parse_paragraph,
    parse_pick,
    parse_proactive,
    parse_year,
    parse_yesno,
)


@pytest.mark.parametrize("text, expected", [
    ("0", 0), ("３", 3), ("无", 0), ("没有", 0), ("零", 0), ("十二", 12), ("一百零五", 105),
    ("两千三百", 2300), ("3件", 3), ("3 件", 3), ("共3件", 3), ("１２件", 12), ("二十", 20),
    ("十", 10), ("一万二千", 12000), ("1,234", 1234), (" 7 ", 7), ("1.0", 1),
])
def test_count_accepts(text, expected):
    assert parse_count(text) == expected


@pytest.mark.parametrize("text, reason", [
    ("-1", "件数不能是负数"),
    ("－3", "件数不能是负数"),
    ("1.5", "件数必须是整数"),
    ("很多", "请填写一个整数，如 0、3 或 十二"),
    ("abc", "请填写一个整数"),
    ("", "还没有填写"),
    ("三四", "请填写一个整数"),
])
def test_count_rejects_with_chinese_reason(text, reason):
    with pytest.raises(ParseError) as exc:
        parse_count(text)
    assert reason in str(exc.value)


def test_chinese_numerals():
    assert chinese_to_int("一百零五") == 105
    assert chinese_to_int("两千三百") == 2300
    assert chinese_to_int("三万零五十") == 30050
    assert chinese_to_int("十一") == 11
    assert chinese_to_int("abc") is None


@pytest.mark.parametrize("text, expected", [
    ("0", Decimal("0")), ("1.5", Decimal("1.5")), ("1.5万元", Decimal("1.5")),
    ("15000元", Decimal("1.5")), ("1.5万", Decimal("1.5")), ("１．５", Decimal("1.5")),
    ("15元", Decimal("0.0015")), ("1元", Decimal("0.0001")), ("无", Decimal("0")),
    ("3,940元", Decimal("0.394")),
])
def test_money_in_wan_yuan(text, expected):
    assert parse_money(text) == expected


def test_money_in_yuan_converts_wan():
    assert parse_money("1.5万元", unit="元") == Decimal("15000")
    assert parse_money("3940", unit="元") == Decimal("3940")
    assert parse_money("没有", unit="元") == 0


@pytest.mark.parametrize("text, reason", [
    ("0.5元", "最多保留4位小数"),
    ("-1", "金额不能是负数"),
    ("一些钱", "请填写金额"),
])
def test_money_rejects(text, reason):
    with pytest.raises(ParseError) as exc:
        parse_money(text)
    assert reason in str(exc.value)


@pytest.mark.parametrize("text", ["是", "有", "对", "y", "yes", "1", "Y"])
def test_yes(text):
    assert parse_yesno(text) is True


@pytest.mark.parametrize("text", ["否", "没有", "无", "n", "no", "0", "没有变化", "无变化"])
def test_no(text):
    assert parse_yesno(text) is False


def test_yesno_rejects_nonsense():
    with pytest.raises(ParseError, match="请回答“是”或“否”"):
        parse_yesno("也许吧")


def test_choice_by_number_text_or_prefix():
    kinds = [k.value for k in fmt.AgencyKind]
    assert parse_choice("2", kinds) == fmt.AgencyKind.TOWN.value
    assert parse_choice("镇", kinds) == fmt.AgencyKind.TOWN.value
    assert parse_choice("县级部", kinds) == fmt.AgencyKind.COUNTY_DEPARTMENT.value
    with pytest.raises(ParseError, match="请写完整或写编号"):
        parse_choice("县级", kinds)
    with pytest.raises(ParseError, match="没有第 99 项"):
        parse_choice("99", kinds)


def _applicants(**kw):
    return {k: 0 for k in fmt.COLUMN_KEYS} | kw


@pytest.mark.parametrize("text, expected", [
    ("自然人3 商业企业1", _applicants(natural_person=3, commercial=1)),
    ("自然人 3，商业企业 1", _applicants(natural_person=3, commercial=1)),
    ("3", _applicants(natural_person=3)),
    ("自然人3，法律服务机构2", _applicants(natural_person=3, legal=2)),
    ("自然人３ 科研机构十二", _applicants(natural_person=3, research=12)),
    ("个人2 企业1 律所1", _applicants(natural_person=2, commercial=1, legal=1)),
    ("社会公益组织1、其他2", _applicants(welfare=1, other_org=2)),
    ("无", _applicants()),
    ("自然人26件", _applicants(natural_person=26)),
])
def test_applicants_accepts(text, expected):
    assert parse_applicants(text) == expected


def test_applicants_rejects_unknown_label_listing_valid_ones():
    with pytest.raises(ParseError) as exc:
        parse_applicants("自然人3 外星人2")
    reason = str(exc.value)
    assert "外星人" in reason
    for col in fmt.APPLICANT_COLUMNS:
        assert col.label in reason


def test_applicants_rejects_negative_and_duplicates():
    with pytest.raises(ParseError, match="不能是负数"):
        parse_applicants("-3")
    with pytest.raises(ParseError, match="写了两次"):
        parse_applicants("自然人3 自然人2")


DOC_LABELS = [fmt.COL_ISSUED, fmt.COL_REPEALED, fmt.COL_IN_FORCE]


@pytest.mark.parametrize("text, expected", [
    ("2 1 14", [2, 1, 14]), ("2，1，14", [2, 1, 14]), ("2,1,14", [2, 1, 14]),
    ("制发2 废止1 现行有效14", [2, 1, 14]), ("0", [0, 0, 0]), ("无", [0, 0, 0]),
])
def test_counts_row(text, expected):
    assert parse_counts(text, DOC_LABELS) == expected


def test_counts_row_wrong_number_of_figures():
    with pytest.raises(ParseError, match="需要3个数"):
        parse_counts("2 1", DOC_LABELS)


def test_review_block_by_label_others_zero():
    labels = [c.label for c in fmt.OUTCOME_COLUMNS]
    assert parse_counts("0 1 0 0", labels) == [0, 1, 0, 0]
    assert parse_counts("尚未审结1", labels) == [0, 0, 0, 1]


@pytest.mark.parametrize("text", ["2026-01-20", "2026年1月20日", "2026/1/20", "２０２６－０１－２０"])
def test_dates(text):
    assert parse_date(text) == date(2026, 1, 20)


def test_date_rejects():
    with pytest.raises(ParseError, match="没有这一天"):
        parse_date("2026-02-30")
    with pytest.raises(ParseError, match="2026年1月20日"):
        parse_date("下周一")


def test_pick():
    assert parse_pick("1 3 4", 6) == [1, 3, 4]
    assert parse_pick("1、3，4", 6) == [1, 3, 4]
    assert parse_pick("134", 6) == [1, 3, 4]
    assert parse_pick("无", 6) == []
    with pytest.raises(ParseError, match="没有第 9 条"):
        parse_pick("1 9", 6)
    with pytest.raises(ParseError, match="请至少选一项"):
        parse_pick("", 6, allow_none=False)


def test_paragraph():
    with pytest.raises(ParseError, match="这一部分不能为空"):
        parse_paragraph("   ")
    assert parse_paragraph("无", allow_none=True) == ""
    with pytest.raises(ParseError, match="不能只写“无”"):
        parse_paragraph("无")


# ------------------------------------------------------------------ fuzz

_ALPHABET = st.sampled_from(list("0123456789０１２３一二两三十百千万零〇件元万自然人商业企业律所,，、 .-－:：无有是否yn\n"))
_WORDS = st.sampled_from(["规范性文件", "许可", "处罚", "收费", "规章", "制发", "现行有效", " ", "，", "3", "0", "十二",
                          "1.5", "-"])
_TEXT = st.one_of(st.text(max_size=30), st.text(_ALPHABET, max_size=20),
                  st.lists(_WORDS, max_size=10).map("".join))


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_fuzz_every_parser_returns_or_raises_parse_error(text):
    calls = [
        lambda: parse_count(text), lambda: parse_money(text), lambda: parse_money(text, unit="元"),
        lambda: parse_yesno(text), lambda: parse_applicants(text), lambda: parse_date(text),
        lambda: parse_counts(text, DOC_LABELS), lambda: parse_pick(text, 5),
        lambda: parse_choice(text, ["乡", "镇", "街道"]), lambda: parse_paragraph(text),
        lambda: parse_proactive(text, bases={"normative": 3}, rules_allowed=False),
        lambda: parse_proactive(text, bases={}, rules_allowed=True),
    ]
    for call in calls:
        try:
            value = call()
        except ParseError as exc:
            assert str(exc) and any("\u4e00" <= ch <= "\u9fff" for ch in str(exc))
        else:
            assert value is not None
    try:
        n = parse_count(text)
    except ParseError:
        pass
    else:
        assert isinstance(n, int) and n >= 0
    try:
        m = parse_money(text)
    except ParseError:
        pass
    else:
        assert m >= 0 and -m.as_tuple().exponent <= 4


# ---------------------------------------------------------------- issue 12 item 5: forgiving answers

DOC = ["本年制发件数", "本年废止件数", "现行有效件数"]


@pytest.mark.parametrize("text", ["2025", "2025年", "2025年度", "二〇二五年", "二〇二五", "二零二五年度", "２０２５年",
                                  " 2025 年 "])
def test_year_written_any_common_way(text):
    assert parse_year(text) == 2025


@pytest.mark.parametrize("text", ["2025年", "2025年度", "二〇二五年"])
def test_a_year_typed_into_a_count_question_is_read(text):
    assert parse_count(text) == 2025  # the year question is a count question with 2021–2100 bounds


@pytest.mark.parametrize("text", ["去年", "25", "2025年5月", "", "1850"])
def test_year_rejects_with_a_year_example_not_a_count(text):
    with pytest.raises(ParseError) as exc:
        parse_year(text)
    assert "2025" in str(exc.value) and "件" not in str(exc.value)


def test_a_count_answer_about_a_year_gets_the_years_hint():
    with pytest.raises(ParseError) as exc:
        parse_count("2025年了")
    assert YEAR_HINT in str(exc.value) and "件" not in str(exc.value)


def test_chinese_numerals_in_every_count_field():
    assert parse_counts("二 零 十二", DOC) == [2, 0, 12]
    assert parse_counts("制发二 废止零 现行有效十二", DOC) == [2, 0, 12]
    assert parse_applicants("自然人三 商业企业一")["natural_person"] == 3
    assert parse_applicants("十二")["natural_person"] == 12
    assert parse_count("一千零三十六件") == 1036


@pytest.mark.parametrize("text, example", [
    ("制发2 作废1 现行有效3", "如 0 0 0"),   # an unknown label
    ("2 x 3", "如 0 0 0"),                  # a token that is no number
])
def test_counts_errors_show_an_accepted_example(text, example):
    with pytest.raises(ParseError) as exc:
        parse_counts(text, DOC)
    assert example in str(exc.value)


def test_count_too_large_shows_an_example():
    with pytest.raises(ParseError) as exc:
        parse_count("99999999999")
    assert "如 0、3 或 十二" in str(exc.value)


def test_pick_with_chinese_numerals():
    assert parse_pick("一 二", 5) == [1, 2]
    assert parse_pick("一二", 5) == [1, 2]
    assert parse_pick("第一 第三", 5) == [1, 3]
    for text, words in (("一 九", "如 1 3"), ("甲", "如 1 3 4 或 一 三 四")):
        with pytest.raises(ParseError) as exc:
            parse_pick(text, 5)
        assert words in str(exc.value)


def test_applicants_unknown_type_shows_an_example():
    with pytest.raises(ParseError) as exc:
        parse_applicants("外星人3")
    assert "不认识“外星人”" in str(exc.value) and "如 自然人3 商业企业1" in str(exc.value)


# ------------------------------------------------------------------ table 二 in one answer


def _table2(text: str, *, base: int | None = None, rules: bool = False) -> tuple[dict, list[str]]:
    return parse_proactive(text, bases={"normative": base, "rules": None}, rules_allowed=rules)


@pytest.mark.parametrize("text", ["0", "无", "没有", "全部为0", "都是0", "０"])
def test_table2_all_zero_in_one_answer(text):
    values, notes = _table2(text)
    assert values["normative"] == [0, 0, 0] and values["rules"] == [0, 0, 0]
    assert (values["licensing"], values["penalty"], values["enforcement"], values["fee"]) == (0, 0, 0, 0)
    assert notes == [] and describe_proactive(values, compact=True) == "0"


@pytest.mark.parametrize("text, normative, licensing, penalty, fee", [
    ("行政规范性文件 2 1 14，行政许可 12", [2, 1, 14], 12, 0, Decimal(0)),
    ("规范性文件2，1，14；许可十二", [2, 1, 14], 12, 0, Decimal(0)),
    ("行政许可决定 12 行政处罚 3", [0, 0, 0], 12, 3, Decimal(0)),
    ("规范性文件 制发2 现行有效14、处罚三件", [2, 0, 14], 0, 3, Decimal(0)),
    ("收费15000元", [0, 0, 0], 0, 0, Decimal("1.5")),
    ("行政事业性收费：0.25", [0, 0, 0], 0, 0, Decimal("0.25")),
])
def test_table2_rows_named_in_any_order_and_form(text, normative, licensing, penalty, fee):
    values, _ = _table2(text)
    assert values["normative"] == normative
    assert (values["licensing"], values["penalty"], values["fee"]) == (licensing, penalty, fee)
    again, _ = _table2(describe_proactive(values, compact=True))  # the default reads back the same
    assert again == values


def test_table2_in_force_moves_on_from_last_year_and_says_so():
    values, notes = _table2("0", base=18)
    assert values["normative"] == [0, 0, 18] and "仍为去年年底的 18 件" in notes[0]
    values, notes = _table2("规范性文件 3 1", base=18)
    assert values["normative"] == [3, 1, 20] and "记为 20 件" in notes[0]
    values, notes = _table2("规范性文件 3 1 25", base=18)  # kept as written, with a warning
    assert values["normative"] == [3, 1, 25] and "应为 20 件" in notes[0]


@pytest.mark.parametrize("text, reason", [
    ("", "还没有填写"),
    ("2 1 14", "每组数字前要写上是哪一项"),
    ("规范性文件 2 1", "还要写现行有效件数"),   # no last year's figure to work it out from
    ("规范性文件 2", "要写三个数"),
    ("许可 3 许可 4", "写了两次"),
    ("许可", "后面没有数字"),
    ("处罚 很多", "看不懂"),
    ("规章 1 0 1", "不能制定规章"),
    ("许可 -3", "负数"),
])
def test_table2_refusals_say_what_to_write(text, reason):
    with pytest.raises(ParseError) as exc:
        _table2(text)
    assert reason in str(exc.value)


def test_table2_rules_for_an_agency_that_makes_them():
    values, _ = _table2("规章 1 0 9，规范性文件 0 0 3", rules=True)
    assert values["rules"] == [1, 0, 9] and values["normative"] == [0, 0, 3]
