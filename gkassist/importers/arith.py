"""Splitting run-together table cells by the tables' own arithmetic (勾稽关系).

A row copied from a web page may lose the separators between its cells (`300153006143119` for
`3001 53 0 0 61 4 3119`), or lose some cells altogether. The candidates for such a row are the ways
of cutting its digits into the row's cells (non-negative integers, no leading zero except `0`)
that satisfy the row's own sums (R3: 总计 = the six applicant columns; R4: each table-四 block's
总计 = its four results). Table 三 then keeps only the combinations of candidates that satisfy its
column identities together (R1: 一 + 二 = （七）总计 + 四; R2: （七）总计 = the outcome rows).

Exactly one way left → the cells are taken (status "split"); several → the cells on which they
disagree stay blank with their candidates (status "pending"); none → blank, with a reason. Nothing
here guesses: every figure returned is the only one the printed digits and the arithmetic allow.
The search is bounded (`LIMIT` candidates per row, `BUDGET` steps per table); past the bound the
cells are 待核对, never a pick.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

from gkassist import format as fmt

Cells = tuple[int | None, ...]

LIMIT = 400
"""Candidate splits kept per row; a row with more is 待核对 as a whole."""
BUDGET = 200_000
"""Search steps for one row's splits or the table-三 combination; past it the cells stay 待核对."""
MAX_GAPS = 2
"""Cells a row may have lost entirely (fewer numbers than cells) and still be placed by position."""
MAX_DIGITS = 9
"""Digits of one cell at most (a count of a billion is not a disclosure figure)."""
NOTE_SPLIT = "按勾稽关系拆分"


class TooMany(Exception):
    """More candidates than the bound: the row is not decided."""


def digits_of(texts: list[str]) -> list[str] | None:
    """The number cells as digit strings (thousands commas dropped); None when one is not whole."""
    out = []
    for t in texts:
        s = t.replace(",", "").strip()
        if not s.isdigit():
            return None
        out.append(s)
    return out


def splits(tokens: list[str], groups: list[int], summed: bool, limit: int = LIMIT) -> list[tuple[int, ...]]:
    """Every way of cutting `tokens` (digit strings, in order) into sum(groups) numbers, each token
    giving at least one number; with `summed`, each group's last number is the sum of the others.
    Raises TooMany past `limit` results."""
    n = sum(groups)
    total_digits = sum(len(t) for t in tokens)
    if not tokens or len(tokens) > n or total_digits < n:
        return []
    bounds: list[int] = []  # index after which a group closes
    acc = 0
    for g in groups:
        acc += g
        bounds.append(acc)
    out: list[tuple[int, ...]] = []
    parts: list[int] = []
    suffix = [0] * (len(tokens) + 1)
    for i in range(len(tokens) - 1, -1, -1):
        suffix[i] = suffix[i + 1] + len(tokens[i])

    def group_start(k: int) -> int:
        return max((b for b in bounds if b <= k), default=0)

    steps = 0

    def rec(ti: int, pos: int) -> None:
        nonlocal steps
        steps += 1
        if steps > BUDGET:
            raise TooMany
        k = len(parts)
        if k == n:
            if ti == len(tokens):
                out.append(tuple(parts))
                if len(out) > limit:
                    raise TooMany
            return
        if ti == len(tokens):
            return
        tok = tokens[ti]
        left_tokens = len(tokens) - ti - 1  # whole tokens after this one
        left_digits = len(tok) - pos + suffix[ti + 1]
        need = n - k
        if need > left_digits or need < left_tokens + 1 or left_digits > need * MAX_DIGITS:
            return
        closes = summed and (k + 1) in bounds
        if closes:
            g0 = group_start(k)
            value = sum(parts[g0:k])
            text = str(value)
            if tok.startswith(text, pos):
                end = pos + len(text)
                parts.append(value)
                if end == len(tok):
                    rec(ti + 1, 0)
                elif need > 1:
                    rec(ti, end)
                parts.pop()
            return
        max_end = pos + 1 if tok[pos] == "0" else min(len(tok), pos + MAX_DIGITS)
        for end in range(pos + 1, max_end + 1):
            parts.append(int(tok[pos:end]))
            if end == len(tok):
                rec(ti + 1, 0)
            elif need > 1:
                rec(ti, end)
            parts.pop()

    rec(0, 0)
    return out


def placements(numbers: list[int], groups: list[int], summed: bool) -> list[Cells]:
    """Whole numbers placed in order into the row's cells when up to MAX_GAPS cells were lost; a
    lost cell a group's sum determines is filled, another stays None."""
    n = sum(groups)
    gaps = n - len(numbers)
    if gaps <= 0 or gaps > MAX_GAPS:
        return []
    out: list[Cells] = []
    for missing in combinations(range(n), gaps):
        row: list[int | None] = []
        it = iter(numbers)
        for i in range(n):
            row.append(None if i in missing else next(it))
        if summed and not _fill_groups(row, groups):
            continue
        cells = tuple(row)
        if cells not in out:
            out.append(cells)
    return out


def _fill_groups(row: list[int | None], groups: list[int]) -> bool:
    """Fill a group's single lost cell from its sum; False when a complete group does not add up."""
    start = 0
    for g in groups:
        cells = row[start:start + g]
        unknown = [i for i, v in enumerate(cells) if v is None]
        if len(unknown) == 1:
            i = unknown[0]
            others = sum(v for j, v in enumerate(cells[:-1]) if j != i and v is not None)
            value = others if i == g - 1 else cells[-1] - others  # type: ignore[operator]
            if value < 0:
                return False
            row[start + i] = value
        elif not unknown and sum(cells[:-1]) != cells[-1]:  # type: ignore[arg-type]
            return False
        start += g
    return True


def row_options(texts: list[str], groups: list[int], summed: bool) -> tuple[list[Cells], str]:
    """The candidates for one row's cells from its printed number cells, and in Chinese how they
    were found (or why there are none). Raises TooMany past the bound."""
    tokens = digits_of(texts)
    n = sum(groups)
    shown = " ".join(texts)
    if tokens is None:
        return [], f"印有非整数（{shown}），无法拆分"
    # Separators lost inside the printed numbers, or whole cells lost: both are possible, so the
    # candidates are the union (a unique answer must be unique across both readings).
    options: list[Cells] = list(splits(tokens, groups, summed))
    options += [o for o in placements([int(t) for t in tokens], groups, summed) if o not in options]
    if len(options) > LIMIT:
        raise TooMany
    if not options:
        return [], f"印有的数字（{shown}）无法按勾稽关系分成 {n} 格"
    if len(tokens) == 1:
        return options, f"数字连在一起（{shown}）"
    return options, f"只印有 {len(tokens)} 个数（{shown}），少于 {n} 格"


# ------------------------------------------------------------------ decisions per cell


@dataclass
class Decision:
    """What the arithmetic decided for one row: a value per cell (None = undecided) and, for each
    undecided cell, the values it may have."""

    values: list[int | None]
    candidates: dict[int, list[int]] = field(default_factory=dict)
    reason: str = ""


def decide(options: list[Cells], n: int, reason: str) -> Decision:
    """Cells on which every option agrees are decided; the others are 待核对 with their values."""
    if not options:
        return Decision([None] * n, {i: [] for i in range(n)}, reason)
    values: list[int | None] = []
    cands: dict[int, list[int]] = {}
    for i in range(n):
        seen = sorted({v for o in options if (v := o[i]) is not None})
        if len(seen) == 1 and all(o[i] is not None for o in options):
            values.append(seen[0])
        else:
            values.append(None)
            cands[i] = seen
    return Decision(values, cands, reason)


# ------------------------------------------------------------------ table 三 as a whole

T3_COLUMNS = len(fmt.COLUMN_KEYS) + 1  # six applicant columns and 总计


def _column_checks(rows: dict[str, Cells]) -> bool:
    """R1 and R2 in every column where all the cells involved are known."""
    def v(key: str, c: int) -> int | None:
        r = rows.get(key)
        return None if r is None else r[c]

    for c in range(T3_COLUMNS):
        new, carried, total, nxt = v("new", c), v("carried", c), v("total", c), v("carry_next", c)
        if None not in (new, carried, total, nxt) and new + carried != total + nxt:  # type: ignore[operator]
            return False
        outs = [v(k, c) for k in fmt.OUTCOME_KEYS]
        if total is not None and all(o is not None for o in outs) and sum(outs) != total:  # type: ignore[arg-type]
            return False
    return True


def solve_t3(known: dict[str, Cells], open_rows: dict[str, list[Cells]]) -> dict[str, list[Cells]]:
    """For each open row, the candidates that fit table 三's column identities together with the
    rows read as printed and the other open rows. When no combination fits (the printed table has
    an error of its own) or the search is too long, each row keeps its own candidates."""
    ambiguous = [k for k, opts in open_rows.items() if len(opts) > 1]
    fixed = dict(known)
    fixed.update({k: opts[0] for k, opts in open_rows.items() if len(opts) == 1})
    if not ambiguous:
        return open_rows
    keep: dict[str, set[Cells]] = {k: set() for k in ambiguous}
    steps = 0
    found = 0

    def rec(i: int, chosen: dict[str, Cells]) -> None:
        nonlocal steps, found
        steps += 1
        if steps > BUDGET:
            raise TooMany
        if i == len(ambiguous):
            if _column_checks(chosen):
                found += 1
                for k in ambiguous:
                    keep[k].add(chosen[k])
            return
        key = ambiguous[i]
        for opt in open_rows[key]:
            chosen[key] = opt
            # prune early: the identities are checked on the rows chosen so far (others unknown)
            if _column_checks(chosen):
                rec(i + 1, chosen)
            del chosen[key]

    try:
        rec(0, dict(fixed))
    except TooMany:
        return open_rows
    if not found:
        return open_rows
    out = dict(open_rows)
    for k in ambiguous:
        out[k] = [o for o in open_rows[k] if o in keep[k]]
    return out
