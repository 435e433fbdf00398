"""The one number reader: printed cells, answers and narrative figures read the same everywhere."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gkassist import numbers
from gkassist.carry import _han_to_int
from gkassist.importers.front import _cncell_int, make_date
from gkassist.importers.labels import classify, parse_number
from gkassist.interview.parsers import chinese_to_int, parse_count


@pytest.mark.parametrize("text, value", [
    ("26", 26), ("１０３６", 1036), ("1,036", 1036), ("1,234,567", 1234567), (" 7 ", 7), ("12.0", 12),
])
def test_printed_counts(text, value):
    assert numbers.printed_int(text) == value


@pytest.mark.parametrize("text", ["", "/", "—", "-", "无", "3.5", "1,03", "12,3456", "1 036", "五"])
def test_printed_non_counts(text):
    assert numbers.printed_int(text) is None


def test_printed_decimal_keeps_the_fee_fraction():
    assert numbers.printed_decimal("96171.6") == Decimal("96171.6")
    assert numbers.printed_decimal("９６１７１．６") == Decimal("96171.6")
    assert numbers.printed_decimal("1,234.5") == Decimal("1234.5")
    assert numbers.printed_decimal("abc") is None


def test_one_thousand_and_thirty_six_reads_the_same_everywhere():
    """The R7 false alarm: the importer read 1,036 and the checker called it 没有印数字."""
    assert parse_number("1,036") == Decimal(1036)
    assert classify("1,036") == "num"
    assert numbers.printed_int("1,036") == 1036
    assert parse_count("1,036") == 1036
    found = re.search(numbers.FIGURE + "件", "共办结1,036件")
    assert found and numbers.figure_int(found.group(1)) == 1036


@pytest.mark.parametrize("text, value", [
    ("十", 10), ("十二", 12), ("二十", 20), ("三十一", 31), ("一百零五", 105), ("两千三百", 2300),
    ("三万", 30000), ("三万零五十", 30050), ("一万二千", 12000), ("壹佰", 100), ("〇", 0), ("零", 0),
    ("二〇二五", 2025), ("二零二五", 2025), ("一亿", 100_000_000),
])
def test_chinese_numerals(text, value):
    assert numbers.chinese_int(text) == value
    assert chinese_to_int(text) == value  # the parsers' name is the same reader


@pytest.mark.parametrize("text", ["", "三四", "abc", "万", "十二a"])
def test_not_chinese_numerals(text):
    assert numbers.chinese_int(text) is None


def test_digitwise_years_and_date_parts():
    assert numbers.chinese_int("二二", digitwise=True) == 22
    assert numbers.chinese_int("二Ｏ二四", digitwise=True) == 2024
    assert _han_to_int("二〇二四") == 2024
    assert _cncell_int("二〇二四") == 2024 and _cncell_int("十二") == 12 and _cncell_int("三十一") == 31
    assert _cncell_int("2024") == 2024
    assert make_date("二〇二四", "一", "二十") is not None and make_date("2024", "1", "20").day == 20


@pytest.mark.parametrize("sentence, value", [
    ("办结26件", 26), ("申请总数3件", 3), ("上年结转2件", 2), ("办结二十六件", 26), ("办结1,036件", 1036), ("受理3.5万件", 35000), ("受理一万二千件", 12000),
])
def test_narrative_figures(sentence, value):
    found = re.search(numbers.FIGURE + "件", sentence)
    assert found and numbers.figure_int(found.group(1)) == value


@pytest.mark.parametrize("sentence", ["认真办理每一件申请", "各一件", "统一件", "第一件事", "逐一件", "受理几十件", "数百件", "上千件"])
def test_phrases_with_a_numeral_are_not_figures(sentence):
    assert re.search(numbers.FIGURE + "件", sentence) is None


@given(st.integers(min_value=0, max_value=10**9))
def test_every_written_count_reads_back(n):
    assert numbers.printed_int(str(n)) == n
    assert numbers.printed_int(f"{n:,}") == n
    assert numbers.read_int(f"{n:,}") == n


@given(st.text(max_size=12))
def test_readers_never_raise(text):
    numbers.printed_decimal(text)
    numbers.chinese_int(text)
    numbers.chinese_int(text, digitwise=True)
    numbers.read_int(text)
    numbers.figure_int(text)
