"""Reading tables 二, 三 and 四 of an imported report: labels found in order, cells after them."""

from __future__ import annotations

import re
from decimal import Decimal

from gkassist import format as fmt
from gkassist.importers.labels import Match, Stream, Token, norm, parse_number, tokenize
from gkassist.model import cell_id


def cell_int(tok: Token | None) -> int | None:
    """A whole number from a number cell; None for a blank cell or a fraction."""
    if tok is None or tok.kind != "num":
        return None
    value = parse_number(tok.text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


def _blank(line: int) -> Token:
    return Token("blank", "", line, True)


def fit_cells(cells: list[Token], expect: int) -> list[Token | None]:
    """`expect` cells from what followed a label: surplus blank edges dropped; a lone number at the
    end of a short row is its 总计 (the applicant cells were left blank); None = not printed."""
    cells = list(cells)
    while len(cells) > expect and cells[-1].kind == "blank":
        cells.pop()
    while len(cells) > expect and cells[0].kind == "blank":
        cells.pop(0)
    nums = [c for c in cells if c.kind == "num"]
    if len(cells) > expect:
        cells = nums if len(nums) == expect else cells[:expect]
    if len(cells) == expect:
        return list(cells)
    if expect in (5, 7) and len(nums) == 1 and cells and cells[-1] is nums[0]:  # rows ending in 总计
        line = cells[-1].line
        return [_blank(line) for _ in range(expect - 1)] + [nums[0]]
    return list(cells) + [None] * (expect - len(cells))


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
    return [t for t in seg if t.kind != "text"]


class TableReader:
    """The table part of the importer (mixed into TextImporter, which owns the state used here)."""

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
            tok = tokens[col.first_token]
            self.labels.append("".join(tok.text.split()))
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
                m = stream.find(norm(name), pos)
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
            else:
                cells = fit_cells(raw, expect)
            if expect == 3:
                target = getattr(p, key)
                for col_key, tok in zip(("issued", "repealed", "in_force"), cells):
                    if tok is None:
                        continue
                    self.cells[cell_id("t2", key, col_key)] = tok.text
                    self._set(target, col_key, cell_int(tok), f"表二 {m.printed} {col_key}")
            else:
                tok = cells[0]
                if tok is None:
                    continue
                self.cells[cell_id("t2", key)] = tok.text
                if key == "fee":
                    value = parse_number(tok.text) if tok.kind == "num" else None
                    if value is not None and value.as_tuple().exponent < -4:
                        value = value.quantize(Decimal("0.0001"))
                    self._set(p, "fee", value, "表二 行政事业性收费")
                else:
                    self._set(p, key, cell_int(tok), f"表二 {m.printed}")
            got += 1
        found_keys = {k for k, _, _ in matches}
        names = {"rules": fmt.ROW_RULES, "normative": fmt.ROW_NORMATIVE, "licensing": fmt.ROW_LICENSING,
                 "penalty": fmt.ROW_PENALTY, "enforcement": fmt.ROW_ENFORCEMENT, "fee": fmt.ROW_FEE}
        if got:
            self.found.append(f"表二：{got}/6 项")
        for key, name in names.items():
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
                m = stream.find(cand, pos)
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
                m = stream.find(cand, lo, hi)
                if m:
                    found[row.key] = m
                    break
        self._t3_group_without_rows(stream, rows, found)
        ordered = sorted(found.items(), key=lambda kv: kv[1].start)
        t = self.report.applications
        for idx, (key, m) in enumerate(ordered):
            self.labels.append(m.printed)
            stop = ordered[idx + 1][1].first_token if idx + 1 < len(ordered) else len(tokens)
            cells = fit_cells(row_cells(tokens, m.last_token, stop), 7)
            for col_key, tok in zip(fmt.COLUMN_KEYS + ("total",), cells):
                if tok is None:
                    continue
                self.cells[cell_id("t3", key, col_key)] = tok.text
                if key != "total" and col_key != "total":
                    value = cell_int(tok)
                    if tok.kind == "num" and value is None:
                        self.missing.append(f"表三 {m.printed} {fmt.COLUMN_LABEL[col_key]} 不是整数（{tok.text}）")
                    self._set(t.rows[key], col_key, value, f"表三 {m.printed}")
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
        for b, (block, label) in enumerate(fmt.T4_BLOCKS):
            for c, col in enumerate(fmt.OUTCOME_KEYS_T4 + ("total",)):
                tok = cells[b * 5 + c]
                if tok is None:
                    continue
                self.cells[cell_id("t4", block, col)] = tok.text
                if tok.kind == "num":
                    got += 1
                if col != "total":
                    self._set(r.block(block), col, cell_int(tok), f"表四 {label}")
        self.found.append(f"表四：{got} 个数" if got else "表四：表格在，数字全空")
        if got < 15 and any(c is not None and c.kind == "num" for c in cells):
            self.missing.append(f"表四 只读到 {got}/15 个数")
        return got or 1

    def _t4_number_lines(self, tokens: list[Token]) -> list[Token | None] | None:
        by_line: dict[int, list[Token]] = {}
        for t in tokens:
            by_line.setdefault(t.line, []).append(t)
        cells: list[Token] = []
        for toks in by_line.values():
            if all(t.kind != "text" for t in toks) and any(t.kind == "num" for t in toks):
                cells.extend(toks)
        if sum(1 for c in cells if c.kind == "num") >= 5:
            return fit_cells(cells, 15)
        # An empty template: a row of 15 blank cells under the header.
        for toks in by_line.values():
            if len(toks) >= 15 and all(t.kind == "blank" for t in toks) and toks[0].tab:
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
