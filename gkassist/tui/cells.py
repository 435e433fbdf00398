"""Text fitted to terminal cells (a CJK character takes two), for the outline, grid and preview."""

from __future__ import annotations

from rich.cells import cell_len


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
