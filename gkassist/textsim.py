"""How alike two narrative texts are (0..1), cheap enough for whole sections of a report.

Used by the D11 check (problems copied from last year) and by `diff` (how much of a part is
unchanged). Whitespace and punctuation are ignored and every run of digits counts as one mark,
so a text copied with only its years and figures changed still reads as a copy.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_DIGITS = re.compile(r"[0-9０-９]+(?:[.,．][0-9０-９]+)*")
_SHINGLE = 3


def normalise_for_similarity(text: str) -> str:
    """The text with whitespace and punctuation removed and digit runs folded to '#'."""
    text = _DIGITS.sub("#", text or "")
    # Unicode categories: P* punctuation, S* symbols, Z*/C* separators and controls.
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "PSZC")


def _shingles(text: str) -> Counter[str]:
    return Counter(text[i:i + _SHINGLE] for i in range(len(text) - _SHINGLE + 1))


def similarity(a: str, b: str) -> float:
    """Dice coefficient of the two texts' character 3-gram multisets, in 0..1.

    Linear in the length of the texts (a 3000-character section takes well under a
    millisecond), and insensitive to reordered paragraphs — a reshuffled copy is still a copy.
    Two empty texts are identical (1.0); an empty and a non-empty text share nothing (0.0).
    """
    x, y = normalise_for_similarity(a), normalise_for_similarity(b)
    if not x or not y:
        return 1.0 if x == y else 0.0
    if len(x) < _SHINGLE or len(y) < _SHINGLE:
        return 1.0 if x == y else 0.0
    sx, sy = _shingles(x), _shingles(y)
    common = sum((sx & sy).values())
    return 2 * common / (sum(sx.values()) + sum(sy.values()))
