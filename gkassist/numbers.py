"""The one number reader of gkassist: printed table cells, typed answers and figures in prose.

Three readers share the same rules so that a figure reads the same wherever it appears:

- `printed_decimal` / `printed_int`: a table cell as published — `26`, `１０３６`, `1,036`, `96171.6`.
  A cell is a number or it is not; `3.5` is not a count, `/` and `—` are not numbers.
- `chinese_int`: a Chinese numeral — `十二`, `一百零五`, `两千三百`, `三万`, `壹佰`, and, read digit by
  digit, `二〇二五` (a year).
- `figure_int`: a figure found in running text by `FIGURE` — Arabic (with thousands commas), Chinese,
  or with 万 (`3.5万` → 35000).

Nothing here raises: a text that is not a number gives None, and the caller says what to do.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["DIGITS", "FIGURE", "chinese_int", "figure_int", "printed_decimal", "printed_int", "read_int",
           "to_ascii_digits"]

# Full-width digits and the full-width point → ASCII (the full-width comma is left: it separates).
_FULLWIDTH = str.maketrans({chr(0xFF10 + i): str(i) for i in range(10)} | {"．": "."})

DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
    "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9,
}
# Zero-like letters OCR and typists use inside a year written digit by digit (二Ｏ二五).
_DIGITWISE_ZERO = {"Ｏ": 0, "O": 0, "o": 0}
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_CN_CHARS = "".join(DIGITS) + "".join(_UNITS) + "".join(_BIG_UNITS)
_CN_NUMBER = re.compile(f"^[{_CN_CHARS}]+$")
_ZEROS = "〇○零"

# A printed cell: 26 · 1,036 · 96171.6 · 1,234.5 (after full-width digits are made ASCII).
_PRINTED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d+(?:\.\d+)?$")


def to_ascii_digits(text: str) -> str:
    """０-９ and ． → 0-9 and ."""
    return text.translate(_FULLWIDTH)


def printed_decimal(text: str) -> Decimal | None:
    """The number a printed cell holds (commas between thousands allowed); None when it is not one."""
    t = to_ascii_digits(text.strip())
    if not _PRINTED.match(t):
        return None
    try:
        return Decimal(t.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
        return None


def printed_int(text: str) -> int | None:
    """A printed count: a whole number (`1,036` → 1036, `12.0` → 12); None for blanks, dashes, fractions."""
    value = printed_decimal(text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def chinese_int(text: str, *, digitwise: bool = False) -> int | None:
    """十二 → 12, 一百零五 → 105, 两千三百 → 2300, 三万 → 30000, 二〇二五 → 2025; None otherwise.

    A run of bare digits is read digit by digit when it holds a zero (二〇二五, 二零二五) or when
    `digitwise` is set (a year or a date part, where 二二 is 22); otherwise `三四` ("three or four")
    is not a number.
    """
    if not text:
        return None
    if digitwise and all(ch in DIGITS or ch in _DIGITWISE_ZERO for ch in text) and len(text) > 1:
        return int("".join(str(DIGITS.get(ch, 0)) for ch in text))
    if not _CN_NUMBER.match(text):
        return None
    if all(ch in DIGITS for ch in text) and len(text) > 1:
        if not any(ch in _ZEROS for ch in text):
            return None
        return int("".join(str(DIGITS[ch]) for ch in text))
    total = 0      # finished 万/亿 groups
    section = 0    # the current group below 万
    digit = None   # the digit waiting for its unit
    for ch in text:
        if ch in DIGITS:
            if digit is not None and DIGITS[ch] != 0:
                return None  # two digits in a row such as 三四 is not a number
            digit = DIGITS[ch] if DIGITS[ch] != 0 else None
        elif ch in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[ch]
            digit = None
        else:  # 万 / 亿
            section += digit or 0
            if section == 0:
                return None
            total = (total + section) * _BIG_UNITS[ch]
            section, digit = 0, None
    return total + section + (digit or 0)


def read_int(text: str, *, digitwise: bool = False) -> int | None:
    """A whole number written in Arabic digits (full-width too, `1,036`) or in Chinese numerals."""
    t = text.strip()
    value = printed_int(t)
    if value is not None:
        return value
    return chinese_int(t, digitwise=digitwise)


# A figure in running text. It never starts inside a longer number or after a word that makes the
# numeral part of a phrase (每一件, 各一名, 逐一, 统一, 第一, 唯一, 同一): those are not figures.
_NOT_BEFORE = "每各逐统第唯同单任某这那哪进之几数上成好"
FIGURE = (rf"(?<![\d.,])(\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?万|\d+"
          rf"|(?<![{_CN_CHARS}{_NOT_BEFORE}])[{_CN_CHARS}]{{1,8}})")


def figure_int(text: str) -> int | None:
    """The value of a figure matched by FIGURE: 26, 1,036, 3.5万 (35000), 二十六, 一万二千."""
    t = to_ascii_digits(text.strip())
    if t.endswith("万") and re.fullmatch(r"\d+(?:\.\d+)?万", t):
        amount = Decimal(t[:-1]) * 10_000
        return int(amount) if amount == amount.to_integral_value() else None
    return read_int(t)
