"""Full-width punctuation for ASCII marks typed in Chinese text, leaving numbers, URLs and dates."""

from __future__ import annotations

import re

# Punctuation that is converted when it touches Chinese text.
_MARKS = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_PAIRS = {"(": ("（", "）"), '"': ("“", "”")}
_CHANGE_ORDER = (",", ":", ";", "?", "!", "(", '"')

# Chinese characters and the full-width marks that sit among them.
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff01-\uff60\u2018-\u201d\u2026\u2014]")
# Spans never touched: addresses, e-mail, file names, and anything with no Chinese in it.
_PROTECTED = re.compile(
    r"(?:https?|ftp)://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+"
    r"|www\.[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+"
    r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"
    r"|[A-Za-z]:\\[^\s\u3000，。；：]*"
)
_URL_TAIL = ".,;:!?"
_SPACE = " \t"


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK.match(ch))


def _protected_mask(text: str) -> list[bool]:
    mask = [False] * len(text)
    for m in _PROTECTED.finditer(text):
        end = m.end()
        # Sentence punctuation right after an address belongs to the sentence.
        while end > m.start() and text[end - 1] in _URL_TAIL:
            end -= 1
        for i in range(m.start(), end):
            mask[i] = True
    return mask


def _neighbour(text: str, i: int, step: int) -> tuple[str, int]:
    """The nearest character before (step -1) or after (step 1) position i that is not a space."""
    j = i + step
    while 0 <= j < len(text) and text[j] in _SPACE:
        j += step
    return (text[j], j) if 0 <= j < len(text) else ("", j)


def normalise_punctuation(text: str) -> tuple[str, list[str]]:
    """ASCII , : ; ? ! ( ) and "…" typed in Chinese text → ， ： ； ？ ！ （ ） “…”.

    A mark is converted when the character next to it (spaces skipped) is Chinese; a mark between
    two digits (1,000 · 12:30), inside a web address, e-mail or path, or in English-only text stays.
    Returns the new text and one Chinese line per kind of change, with the count.
    """
    counts: dict[str, int] = {}
    result = text
    # A converted mark can make its ASCII neighbour (",," · "?!") touch Chinese; repeat until
    # nothing moves so that normalising twice changes nothing.
    for _ in range(8):
        result, moved = _normalise_once(result, counts)
        if not moved:
            break
    changes = []
    for kind in _CHANGE_ORDER:
        if kind in counts:
            if kind in _PAIRS:
                left, right = _PAIRS[kind]
                close = ")" if kind == "(" else '"'
                changes.append(f"{kind}…{close} → {left}…{right}（{counts[kind]}处）")
            else:
                changes.append(f"“{kind}” → “{_MARKS[kind]}”（{counts[kind]}处）")
    return result, changes


def _normalise_once(text: str, counts: dict[str, int]) -> tuple[str, bool]:
    """One pass over the text; True when anything changed."""
    mask = _protected_mask(text)
    out = list(text)
    drop: set[int] = set()  # spaces around a converted mark: full-width marks carry their own

    def convert(i: int, new: str, kind: str) -> None:
        out[i] = new
        counts[kind] = counts.get(kind, 0) + 1
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(text) and text[j] in _SPACE and not mask[j]:
                drop.add(j)
                j += step

    for i, ch in enumerate(text):
        if ch not in _MARKS or mask[i]:
            continue
        if 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            continue  # 1,000 · 12:30 · 3:1
        before, _ = _neighbour(text, i, -1)
        after, _ = _neighbour(text, i, 1)
        if _is_cjk(before) or _is_cjk(after):
            convert(i, _MARKS[ch], ch)

    _convert_pairs(text, mask, out, counts)

    new = "".join(c for i, c in enumerate(out) if i not in drop)
    return new, new != text


def _convert_pairs(text: str, mask: list[bool], out: list[str], counts: dict[str, int]) -> None:
    """Brackets, then double quotes, converted as pairs on one line when they touch Chinese."""
    for kind, pattern in (("(", r"\(([^()\n]*)\)"), ('"', r'"([^"\n]*)"')):
        left, right = _PAIRS[kind]
        for m in re.finditer(pattern, text):
            i, j = m.start(), m.end() - 1
            if mask[i] or mask[j]:
                continue
            before, _ = _neighbour(text, i, -1)
            after, _ = _neighbour(text, j, 1)
            if any(_is_cjk(c) for c in m.group(1)) or _is_cjk(before) or _is_cjk(after):
                out[i], out[j] = left, right
                counts[kind] = counts.get(kind, 0) + 1
