"""ASCII punctuation typed in Chinese becomes full-width; numbers, URLs, dates and English stay."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gkassist.textnorm import normalise_punctuation


@pytest.mark.parametrize(
    ("typed", "expected", "changes"),
    [
        ("全年收到申请6件,其中自然人5件,法人1件", "全年收到申请6件，其中自然人5件，法人1件", ["“,” → “，”（2处）"]),
        ("联系电话:0000-1234567;办公时间:8:30至17:30", "联系电话：0000-1234567；办公时间：8:30至17:30",
         ["“:” → “：”（2处）", "“;” → “；”（1处）"]),
        ("今年整改得怎么样?已经完成!", "今年整改得怎么样？已经完成！", ["“?” → “？”（1处）", "“!” → “！”（1处）"]),
        ("云溪镇(以下简称本镇)", "云溪镇（以下简称本镇）", ["(…) → （…）（1处）"]),
        ('围绕"应公开尽公开"要求', "围绕“应公开尽公开”要求", ['"…" → “…”（1处）']),
        ("我镇, 全年 ;合计", "我镇，全年；合计", ["“,” → “，”（1处）", "“;” → “；”（1处）"]),
        ("(一)主动公开", "（一）主动公开", ["(…) → （…）（1处）"]),
    ],
)
def test_ascii_marks_in_chinese_become_full_width(typed, expected, changes) -> None:
    assert normalise_punctuation(typed) == (expected, changes)


@pytest.mark.parametrize(
    "kept",
    [
        "共公开1,000条，占3.5%",
        "会议于12:30开始",
        "比例为3:1",
        "2025-01-20发布，2025/1/20更新",
        "详见 http://www.example.gov.cn/gk/index.html?id=1,2;x=3 。",
        "邮箱 gk-office@example.gov.cn 。",
        "He said \"hello, world\": ok? yes! (really)",
        "附件：2025年报告.docx 。",
        "f(x)",
    ],
)
def test_numbers_urls_dates_files_and_english_left_alone(kept) -> None:
    assert normalise_punctuation(kept) == (kept, [])


def test_mixed_text_converts_only_the_chinese_parts() -> None:
    typed = ('本年度网站(www.example.gov.cn)发布信息1,250条,访问量约3.6万次;'
             '咨询邮箱gk@example.gov.cn,时间2025-01-20 09:30:00.English note: keep, as is!')
    text, changes = normalise_punctuation(typed)
    assert text == ('本年度网站（www.example.gov.cn）发布信息1,250条，访问量约3.6万次；'
                    '咨询邮箱gk@example.gov.cn，时间2025-01-20 09:30:00.English note: keep, as is!')
    assert changes == ["“,” → “，”（2处）", "“;” → “；”（1处）", "(…) → （…）（1处）"]


def test_address_followed_by_chinese_comma_keeps_the_address() -> None:
    text, _ = normalise_punctuation("网址:https://example.gov.cn/a?b=1,欢迎监督")
    assert text == "网址：https://example.gov.cn/a?b=1，欢迎监督"


def test_full_width_text_unchanged() -> None:
    done = "我镇全年收到申请6件，其中：自然人5件；法人1件。“三安全一稳定”（见附件）？"
    assert normalise_punctuation(done) == (done, [])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("镇年件,:;?!()\"1 a.-/@w") + ["http://x.cn"]), max_size=40).map("".join))
def test_never_changes_letters_digits_or_length_beyond_spaces(text) -> None:
    out, changes = normalise_punctuation(text)
    # Only marks are swapped and spaces beside them dropped; every other character stays in order.
    keep = lambda s: [c for c in s if c not in ",:;?!()\" ，：；？！（）“”"]  # noqa: E731
    assert keep(out) == keep(text)
    assert (out == text) == (changes == [])
    assert normalise_punctuation(out)[0] == out  # idempotent
