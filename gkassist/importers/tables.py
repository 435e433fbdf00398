"""Reading tables 二, 三 and 四 of an imported report: labels found in order, cells after them."""

from __future__ import annotations

import re
from decimal import Decimal

from gkassist import format as fmt
from gkassist.importers import arith
from gkassist.importers.labels import Match, Stream, Token, norm, parse_number, tokenize
from gkassist.model import CellStatus, PendingCell, Report, cell_id
from gkassist.numbers import printed_int


def cell_int(tok: Token | None) -> int | None:
    """A whole number from a number cell; None for a blank cell or a fraction."""
    if tok is None or tok.kind != "num":
        return None
    return printed_int(tok.text)


def _blank(line: int) -> Token:
    return Token("blank", "", line, True)


def _trim_blank_edges(cells: list[Token], expect: int) -> list[Token]:
    """Blank fields dropped from the end, then from the start, while there are more than `expect`."""
    cells = list(cells)
    while len(cells) > expect and cells[-1].kind == "blank":
        cells.pop()
    while len(cells) > expect and cells[0].kind == "blank":
        cells.pop(0)
    return cells


def fit_cells(cells: list[Token], expect: int) -> list[Token | None]:
    """`expect` cells from what followed a label: surplus blank edges dropped; a lone number at the
    end of a short row is its 总计 (the applicant cells were left blank); None = not printed."""
    cells = _trim_blank_edges(cells, expect)
    nums = [c for c in cells if c.kind == "num"]
    if len(cells) > expect:
        cells = nums if len(nums) == expect else cells[:expect]
    out: list[Token | None] = list(cells)
    if len(cells) == expect:
        return out
    if expect in (5, 7) and len(nums) == 1 and cells and cells[-1] is nums[0]:  # rows ending in 总计
        line = cells[-1].line
        total: list[Token | None] = [_blank(line) for _ in range(expect - 1)]
        return total + [nums[0]]
    return out + [None] * (expect - len(cells))


def _edges_disagree(cells: list[Token], expect: int) -> bool:
    """Surplus blank fields at both ends of a row, where dropping them from the end first and from
    the start first put its figures in different columns (a blank 总计 after blank cells, in a row
    padded to a sheet's width): which blanks are the row's own cells cannot be told."""
    if len(cells) <= expect or cells[0].kind != "blank" or cells[-1].kind != "blank":
        return False
    tail, head = list(cells), list(cells)
    while len(tail) > expect and tail[-1].kind == "blank":
        tail.pop()
    while len(tail) > expect and tail[0].kind == "blank":
        tail.pop(0)
    while len(head) > expect and head[0].kind == "blank":
        head.pop(0)
    while len(head) > expect and head[-1].kind == "blank":
        head.pop()
    return [t.kind for t in tail] != [t.kind for t in head] or [t.text for t in tail] != [t.text for t in head]


def irregular(cells: list[Token], expect: int) -> bool:
    """A row whose printed cells cannot be placed one to one: fewer cells than the table has
    (separators or cells lost), or blank fields at both ends that leave its figures' columns
    open, with at least one number. A row printed with all its fields, some blank, is regular,
    and so is a short lone 总计 after (nearly) all the blank fields."""
    if any(c.kind == "num" for c in cells) and expect > 1 and _edges_disagree(cells, expect):
        return True
    cells = _trim_blank_edges(cells, expect)
    nums = [c for c in cells if c.kind == "num"]
    if not nums or expect == 1:
        return False
    if len(nums) > expect:
        return True
    if (expect in (5, 7) and len(nums) == 1 and cells[-1] is nums[0] and len(cells) >= expect - 2
            and len(nums[0].text) <= 4):
        return False  # a 总计 after the blank fields of the applicant cells (one or two fields lost)
    return len(cells) < expect


def unlabelled_rows(tokens: list[Token], last: int, stop: int, expect: int) -> tuple[list[Token], list[list[Token]]]:
    """A row's own cells and the lines of numbers after it that have no label of their own (a
    converter or a copy lost the label): each such line holds a whole row. ([], []) when the
    cells after the label are not a full row followed by label-less number lines."""
    if last >= len(tokens):
        return [], []
    seg = tokens[last + 1:stop]
    lines: list[int] = []
    for t in seg:
        if t.line not in lines:
            lines.append(t.line)
    groups = [[t for t in seg if t.line == ln] for ln in lines]
    groups = [g for g in groups if any(t.kind != "blank" for t in g)]  # blank fields before the next label
    if len(groups) < 2 or any(t.kind == "text" for g in groups for t in g):
        return [], []
    if any(not any(t.kind == "num" for t in g) for g in groups):
        return [], []
    own = groups[0]
    if sum(1 for t in own if t.kind == "num") < expect and not (own[0].tab and len(own) >= expect):
        return [], []
    return own, groups[1:]


def row_cells(tokens: list[Token], last: int, stop: int) -> list[Token]:
    """The number/blank cells after a label's last token, before token `stop`."""
    if last >= len(tokens):
        return []
    seg = tokens[last + 1:stop]
    label = tokens[last]
    if label.tab:
        same = [t for t in seg if t.line == label.line and t.kind != "text"]
        if any(t.kind == "num" for t in same):
            return same
        seen: list[int] = []
        for t in seg:
            if t.line > label.line and t.line not in seen:
                seen.append(t.line)
        for ln in seen:
            cells = [t for t in seg if t.line == ln and t.kind != "text"]
            if any(t.kind == "num" for t in cells) and all(t.kind != "text" for t in seg if t.line == ln):
                return cells
        return same
    # Space-separated: the cells are the numbers after the label (the rest of a label cut short
    # may come first), up to the next text — a heading or table that follows on the same line
    # must not lend its numbers to this row.
    out: list[Token] = []
    for t in seg:
        if t.kind == "text":
            if any(c.kind == "num" for c in out) or _HEAD_TEXT.match(t.text):
                break
            continue
        out.append(t)
    return out


_HEAD_TEXT = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|第二十条|信息内容|行政复议|行政诉讼)")
_NARRATIVE = re.compile(r"[。；;！？]|\d\s*(?:件|条|个|次|项|人次|人|家|份|篇|期|场|万元|元)(?![\d])")


def narrative(line: str) -> bool:
    """A line of running text (a sentence with figures in it), not a table row."""
    return "\t" not in line and bool(_NARRATIVE.search(line))


class TableReader:
    """The table part of the importer (mixed into TextImporter, which owns the state used here)."""

    lines: list[str]
    report: Report
    cells: dict[str, str]
    labels: list[str]
    found: list[str]
    missing: list[str]
    layout_2019: bool
    status: dict[str, CellStatus]
    pending: dict[str, PendingCell]
    raw: str  # the text as imported, for figures the narrative states

    # Provided by TextImporter, which owns the sections and the checked model writes.

    def _region(self, key: str) -> tuple[int, int] | None:
        """Lines (start, end) of a table's section; None when the report has no such table."""
        raise NotImplementedError

    def _set(self, obj: object, attr: str, value: object, what: str) -> bool:
        """Put one figure into the model; False (and a note of what was wrong) when it is refused."""
        raise NotImplementedError

    # -------------------------------------------------------------- table 二

    def _table2(self) -> int:
        region = self._region("proactive")
        if region is None:
            self.missing.append("未找到 表二（主动公开政府信息情况）")
            return 0
        tokens = tokenize(self.lines, *region)
        stream = Stream(tokens)
        start = max(0, stream.chars.find("第二十条"))
        col = stream.find(norm("本年收费金额"), start)
        if col:
            head = tokens[col.first_token]
            self.labels.append("".join(head.text.split()))
        specs = [
            ("rules", [fmt.ROW_RULES], 3), ("normative", [fmt.ROW_NORMATIVE, "规范性文件"], 3),
            ("licensing", [fmt.ROW_LICENSING], 1), ("penalty", [fmt.ROW_PENALTY], 1),
            ("enforcement", [fmt.ROW_ENFORCEMENT], 1), ("fee", [fmt.ROW_FEE], 1),
        ]
        matches: list[tuple[str, int, Match]] = []
        pos = start
        for key, names, expect in specs:
            best = None
            for name in names:
                m = self._row_find(stream, norm(name), pos)
                if m and (best is None or m.start < best.start):
                    best = m
            if best is None:
                continue
            matches.append((key, expect, best))
            pos = best.end
        p = self.report.proactive
        got = 0
        for idx, (key, expect, m) in enumerate(matches):
            self.labels.append(m.printed)
            stop = matches[idx + 1][2].first_token if idx + 1 < len(matches) else len(tokens)
            raw = row_cells(tokens, m.last_token, stop)
            nums = [t for t in raw if t.kind == "num"]
            if self.layout_2019 and key == "fee":
                # The 2019 table counted fee items, not an amount in 万元.
                self.missing.append(f"表二 {fmt.ROW_FEE}：旧版（2019年）表格没有收费金额，未导入")
                continue
            if self.layout_2019 and expect == 1 and len(nums) >= 2:
                cells: list[Token | None] = [nums[-1]]  # 上一年项目数量 / 本年增减 / 处理决定数量
            elif self.layout_2019 and expect == 3 and len(nums) == 3:
                cells = [nums[0], None, nums[2]]  # 本年新制作 / 本年新公开 / 对外公开总数量
            elif irregular(raw, expect):
                self._t2_split(key, m.printed, nums)
                got += 1
                continue
            else:
                cells = fit_cells(raw, expect)
            if expect == 3:
                target = getattr(p, key)
                for col_key, tok in zip(("issued", "repealed", "in_force"), cells):
                    if tok is None:
                        continue
                    self.cells[cell_id("t2", key, col_key)] = tok.text
                    if self._set(target, col_key, cell_int(tok), f"表二 {m.printed} {col_key}"):
                        self._mark_read(cell_id("t2", key, col_key), tok)
            else:
                tok = cells[0]
                if tok is None:
                    continue
                self.cells[cell_id("t2", key)] = tok.text
                if key == "fee":
                    value = parse_number(tok.text) if tok.kind == "num" else None
                    # a finite number's exponent is an int ('n', 'N', 'F' are NaN and infinity)
                    exponent = value.as_tuple().exponent if value is not None else 0
                    if value is not None and isinstance(exponent, int) and exponent < -4:
                        value = value.quantize(Decimal("0.0001"))
                    if self._set(p, "fee", value, "表二 行政事业性收费") and value is not None:
                        self._mark_read(cell_id("t2", key), tok)
                elif self._set(p, key, cell_int(tok), f"表二 {m.printed}"):
                    self._mark_read(cell_id("t2", key), tok)
            got += 1
        found_keys = {k for k, _, _ in matches}
        row_names = {"rules": fmt.ROW_RULES, "normative": fmt.ROW_NORMATIVE, "licensing": fmt.ROW_LICENSING,
                 "penalty": fmt.ROW_PENALTY, "enforcement": fmt.ROW_ENFORCEMENT, "fee": fmt.ROW_FEE}
        if got:
            self.found.append(f"表二：{got}/6 项")
        for key, name in row_names.items():
            if key not in found_keys:
                self.missing.append(f"未找到 表二 {name}")
        return got

    # -------------------------------------------------------------- table 三

    def _table3(self) -> int:
        region = self._region("applications")
        if region is None:
            self.missing.append("未找到 表三（收到和处理政府信息公开申请情况）")
            return 0
        tokens = tokenize(self.lines, *region)
        stream = Stream(tokens)
        rows = list(fmt.T3_DISPLAY_ROWS)
        variants = {}
        for row in rows:
            cands = [norm(row.label)]
            cands += [norm(v) for v, o in fmt.LABEL_VARIANTS.items() if norm(o) == norm(row.label)]
            variants[row.key] = cands
        found: dict[str, Match] = {}
        pos = 0
        for row in rows:  # pass 1: exact labels and known variants, in order
            best = None
            for cand in variants[row.key]:
                m = self._row_find(stream, cand, pos)
                if m and (best is None or m.start < best.start):
                    best = m
            if best:
                found[row.key] = best
                pos = best.end
        for i, row in enumerate(rows):  # pass 2: shortened labels between the neighbours found
            if row.key in found:
                continue
            lo = max((found[r.key].end for r in rows[:i] if r.key in found), default=0)
            hi = min((found[r.key].start for r in rows[i + 1:] if r.key in found), default=len(stream.chars))
            for cand in label_fallbacks(row):
                m = self._row_find(stream, cand, lo, hi)
                if m:
                    found[row.key] = m
                    break
            else:
                m = self._label_piece(stream, tokens, row, lo, hi)
                if m:
                    found[row.key] = m
        self._t3_group_without_rows(stream, rows, found)
        ordered = sorted(found.items(), key=lambda kv: kv[1].start)
        t = self.report.applications
        known: dict[str, arith.Cells] = {}
        open_rows: dict[str, tuple[list[arith.Cells], str, str]] = {}
        order = [r.key for r in rows]
        work: list[tuple[str, str, list[Token]]] = []
        for idx, (key, m) in enumerate(ordered):
            self.labels.append(m.printed)
            stop = ordered[idx + 1][1].first_token if idx + 1 < len(ordered) else len(tokens)
            raw = row_cells(tokens, m.last_token, stop)
            own, orphans = unlabelled_rows(tokens, m.last_token, stop, 7)
            if orphans:
                nxt = order.index(ordered[idx + 1][0]) if idx + 1 < len(ordered) else len(order)
                lost = [k for k in order[order.index(key) + 1:nxt] if k not in found]
                if len(lost) == len(orphans):  # rows without labels, in the official order between
                    raw = own
                    for lost_key, orphan in zip(lost, orphans):
                        where = fmt.T3_ROW[lost_key].location
                        work.append((lost_key, f"（无标签的行，按行序为 {where}）", orphan))
                        found[lost_key] = m
                        self.found.append(f"表三 {where}：原文这一行没有标签，按表格行序放入")
            work.append((key, m.printed, raw))
        for key, printed, raw in work:
            if irregular(raw, 7):
                opts, reason = self._options([c for c in raw if c.kind == "num"], [7], True)
                open_rows[key] = (opts, reason, printed)
                continue
            cells = fit_cells(raw, 7)
            known[key] = tuple(cell_int(tok) for tok in cells)
            for col_key, tok in zip(fmt.COLUMN_KEYS + ("total",), cells):
                if tok is None:
                    continue
                cid = cell_id("t3", key, col_key)
                self.cells[cid] = tok.text
                if key != "total" and col_key != "total":
                    value = cell_int(tok)
                    if tok.kind == "num" and value is None:
                        self.missing.append(f"表三 {printed} {fmt.COLUMN_LABEL[col_key]} 不是整数（{tok.text}）")
                    if self._set(t.rows[key], col_key, value, f"表三 {printed}") and value is not None:
                        self._mark_read(cid, tok)
                elif cell_int(tok) is not None:
                    self._mark_read(cid, tok)
        if open_rows:
            solved = arith.solve_t3(known, {k: v[0] for k, v in open_rows.items()})
            for key, (_, reason, printed) in open_rows.items():
                decision = arith.decide(solved[key], 7, reason)
                label = f"表三 {printed}"
                for i, col_key in enumerate(fmt.COLUMN_KEYS + ("total",)):
                    target = t.rows[key] if key != "total" and col_key != "total" else None
                    self._decided(cell_id("t3", key, col_key), decision, i, target, col_key, label)
        n = len([k for k in found if k != "total"])
        if n:
            self.found.append(f"表三：{n} 行" + ("，含（七）总计" if "total" in found else ""))
        for row in rows:
            if row.key not in found:
                self.missing.append(f"未找到 表三 {row.location if row.key != 'total' else row.label}")
        return n

    def _t3_group_without_rows(self, stream: Stream, rows: list, found: dict[str, Match]) -> None:
        """The 2019 table had a single （六）其他处理 row: its figures go to 3.其他, so the sums hold."""
        if any(r.key in found for r in fmt.T3_ROWS if r.group == "other_handling"):
            return
        lo = max((found[k].end for k in ("refused_confirm", "partial", "public") if k in found), default=0)
        hi = found["total"].start if "total" in found else len(stream.chars)
        m = stream.find(norm(fmt.GROUP_LABEL["other_handling"]), lo, hi)
        if m is None:
            return
        found["other_misc"] = m
        self.layout_2019 = True
        self.found.append(f"表三 {fmt.GROUP_LABEL['other_handling']} 没有分项（旧版 2019 年表格）："
                          f"其数字计入 {fmt.T3_ROW['other_misc'].label}")

    # -------------------------------------------------------------- table 四

    def _table4(self) -> int:
        region = self._region("reviews")
        if region is None:
            self.missing.append("未找到 表四（行政复议、行政诉讼情况）")
            return 0
        tokens = tokenize(self.lines, *region)
        cells = self._t4_number_lines(tokens)
        if cells is None:
            cells = self._t4_block_rows(tokens)
        if cells is None:
            self.missing.append("未找到 表四 的数字")
            return 0
        got = 0
        r = self.report.reviews
        if isinstance(cells, arith.Decision):
            for b, (block, label) in enumerate(fmt.T4_BLOCKS):
                for c, col in enumerate(fmt.OUTCOME_KEYS_T4 + ("total",)):
                    target = r.block(block) if col != "total" else None
                    if self._decided(cell_id("t4", block, col), cells, b * 5 + c, target, col, f"表四 {label}"):
                        got += 1
            self.found.append(f"表四：{got} 个数（{arith.NOTE_SPLIT}）" if got else "表四：数字无法分开，待核对")
            return got or 1
        for b, (block, label) in enumerate(fmt.T4_BLOCKS):
            for c, col in enumerate(fmt.OUTCOME_KEYS_T4 + ("total",)):
                tok = cells[b * 5 + c]
                if tok is None:
                    continue
                cid = cell_id("t4", block, col)
                self.cells[cid] = tok.text
                if tok.kind == "num":
                    got += 1
                if col != "total":
                    if self._set(r.block(block), col, cell_int(tok), f"表四 {label}") and cell_int(tok) is not None:
                        self._mark_read(cid, tok)
                elif cell_int(tok) is not None:
                    self._mark_read(cid, tok)
        self.found.append(f"表四：{got} 个数" if got else "表四：表格在，数字全空")
        if got < 15 and any(c is not None and c.kind == "num" for c in cells):
            self.missing.append(f"表四 只读到 {got}/15 个数")
        return got or 1

    def _t4_number_lines(self, tokens: list[Token]) -> list[Token | None] | arith.Decision | None:
        by_line: dict[int, list[Token]] = {}
        for t in tokens:
            by_line.setdefault(t.line, []).append(t)
        cells: list[Token] = []
        for toks in by_line.values():
            if all(t.kind != "text" for t in toks) and any(t.kind == "num" for t in toks):
                cells.extend(toks)
        nums = [c for c in cells if c.kind == "num"]
        if nums and irregular(cells, 15) and not self._t4_labelled_rows(tokens):
            opts, reason = self._options(nums, [5, 5, 5], True)
            return arith.decide(opts, 15, reason)
        if len(nums) >= 5:
            return fit_cells(cells, 15)
        # The row as a table gives it, 15 TAB fields under the header, with fewer than five figures
        # in it (most cells left blank) — or none: an empty template.
        for toks in by_line.values():
            if len(toks) >= 15 and all(t.kind != "text" for t in toks) and toks[0].tab:
                return fit_cells(toks, 15)
        return None

    def _t4_block_rows(self, tokens: list[Token]) -> list[Token | None] | None:
        stream = Stream(tokens)
        out: list[Token | None] = []
        pos = 0
        any_found = False
        for block, label in fmt.T4_BLOCKS:
            m = stream.find(norm(label), pos)
            row: list[Token | None] = [None] * 5
            if m:
                same = [t for t in tokens[m.last_token + 1:] if t.line == tokens[m.last_token].line]
                cells = [t for t in same if t.kind != "text"]
                if any(t.kind == "num" for t in cells):
                    row = fit_cells(cells, 5)
                    any_found = True
                    pos = m.end
            out.extend(row)
        return out if any_found else None

    def _t4_labelled_rows(self, tokens: list[Token]) -> bool:
        """Table 四 printed as three labelled rows (numbers after 行政复议 / 直接起诉 / 复议后起诉)."""
        return self._t4_block_rows(tokens) is not None

    def _label_piece(self, stream: Stream, tokens: list[Token], row: fmt.Row, lo: int, hi: int) -> Match | None:
        """A piece (≥ 6 characters) of a row's label, cut short at either end by a converter,
        between the rows found around it and followed by the row's numbers."""
        bare = re.sub(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)", "", norm(row.label))
        groups = [norm(g) for g in fmt.GROUP_LABEL.values()] + [norm(fmt.RESULTS_GROUP)]
        for size in range(min(len(bare), 16), 5, -1):
            for at in range(len(bare) - size + 1):
                piece = bare[at:at + size]
                if any(piece in g for g in groups):
                    continue
                m = self._row_find(stream, piece, lo, hi)
                if m and any(t.kind == "num" for t in tokens[m.last_token + 1:m.last_token + 3]):
                    return m
        return None

    def _row_find(self, stream: Stream, needle: str, start: int = 0, stop: int | None = None) -> Match | None:
        """A row label, skipping where it is part of a sentence (narrative never fills a row)."""
        m = stream.find(needle, start, stop)
        while m is not None and narrative(self.lines[stream.tokens[m.first_token].line]):
            m = stream.find(needle, m.start + 1, stop)
        return m

    # -------------------------------------------------------------- run-together cells

    def _options(self, nums: list[Token], groups: list[int], summed: bool) -> tuple[list[arith.Cells], str]:
        try:
            return arith.row_options([t.text for t in nums], groups, summed)
        except arith.TooMany:
            return [], f"数字（{' '.join(t.text for t in nums)}）有太多种拆分方式，无法确定"

    def _t2_split(self, key: str, printed: str, nums: list[Token]) -> None:
        opts, reason = self._options(nums, [3], False)
        stated = self._t2_stated(key)
        fits = [o for o in opts if all(o[i] == v for i, v in stated.items())]
        if stated and fits and len(fits) < len(opts):
            opts, reason = fits, f"{reason}，按正文所述数字（{arith.NOTE_SPLIT}）"
        decision = arith.decide(opts, 3, reason)
        target = getattr(self.report.proactive, key)
        for i, col_key in enumerate(("issued", "repealed", "in_force")):
            self._decided(cell_id("t2", key, col_key), decision, i, target, col_key, f"表二 {printed}")

    def _t2_stated(self, key: str) -> dict[int, int]:
        """Table 二's figures for 规章 / 行政规范性文件 as the narrative states them
        (`本年制发行政规范性文件2件，废止1件，现行有效14件`): column index → figure."""
        names = "规章" if key == "rules" else "行政规范性文件|规范性文件"
        flat = "".join(self.raw.split())
        for sentence in re.split(r"[。；;]", flat):
            m = re.search(rf"(?:制发|出台|印发|制定)了?(?:{names})(\d+)件", sentence)
            if not m:
                continue
            out = {0: int(m.group(1))}
            rest = sentence[m.end():]
            rep = re.match(rf"[，,、]?(?:[^，,。\d]{{0,4}})废止(?:{names})?(\d+)件", rest)
            if rep:
                out[1] = int(rep.group(1))
                rest = rest[rep.end():]
            now = re.match(rf"[，,、]?(?:[^，,。\d]{{0,4}})现行有效(?:的)?(?:{names})?(\d+)件", rest)
            if now:
                out[2] = int(now.group(1))
            return out
        return {}

    def _mark_read(self, cid: str, tok: Token | None) -> None:
        if tok is not None and tok.kind == "num":
            self.status[cid] = "read"

    def _decided(self, cid: str, decision: arith.Decision, i: int, target, attr: str, label: str) -> bool:
        """Put one cell of an arithmetic decision into the model; True when it got a figure."""
        value = decision.values[i]
        if value is not None:
            if target is not None and not self._set(target, attr, value, label):
                return False
            self.cells[cid] = str(value)
            self.status[cid] = "split"
            note = f"{label}：{arith.NOTE_SPLIT}"
            if note not in self.found:
                self.found.append(note)
            return True
        self.status[cid] = "pending"
        candidates: list[int | Decimal] = list(decision.candidates.get(i, []))
        self.pending[cid] = PendingCell(candidates=candidates,
                                        reason=f"{label}：{decision.reason}")
        note = f"{label}：有数字待核对（{decision.reason}）"
        if note not in self.missing:
            self.missing.append(note)
        return False


def label_fallbacks(row: fmt.Row) -> list[str]:
    """Shorter forms of a row label for a second, neighbour-bounded search."""
    n = norm(row.label)
    out = []
    short = re.sub(r"（[^（）]*）$", "", n)
    if short != n:
        out.append(short)
    if len(short) > 10:
        out.append(short[:8])
    bare = re.sub(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.)", "", short)
    if bare != short and len(bare) >= 5:
        out.append(bare[:8])
    if row.key == "total":
        out.append(norm(fmt.TOTAL))
    return out
