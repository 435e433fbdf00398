"""Text fitted to terminal cells (a CJK character takes two): cut for the outline, grid and preview;
wrapped by the Chinese rules for line breaks for the conversation, the option box and the preview."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text


def fit_cells(text: str, width: int) -> str:
    """Cut `text` to `width` terminal cells (a CJK character takes two), marking the cut with …"""
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


# Marks a line must not start with (避头: a full stop or a closing quote alone at the start of a
# line reads as a slip; the character before it goes down with it), and marks a line must not end
# with (避尾: an opening quote or bracket goes down to the words it opens).
NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’…·%,.;:?!)]}")
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")


def wrap(text: Text, width: int) -> list[Text]:
    """`text` in lines of at most `width` cells (its own line breaks kept): a Latin word is broken
    at a space when there is one in the line; no line starts with a closing mark or ends with an
    opening one."""
    lines: list[Text] = []
    for piece in text.split("\n", allow_blank=True):
        plain = piece.plain
        breaks: list[int] = []
        start = used = i = 0
        while i < len(plain):
            cells = cell_len(plain[i])
            if used + cells <= width or i == start:
                used += cells
                i += 1
                continue
            cut = i
            if plain[i] != " " and plain[i].isascii() and plain[i - 1].isascii():
                space = plain.rfind(" ", start, i)
                if space > start:
                    cut = space + 1
            while cut - 1 > start and (plain[cut] in NO_LINE_START or plain[cut - 1] in NO_LINE_END):
                cut -= 1
            breaks.append(cut)
            start = cut
            used = cell_len(plain[start:i])
        for line in piece.divide(breaks):
            line.rstrip()
            lines.append(line)
    return lines
