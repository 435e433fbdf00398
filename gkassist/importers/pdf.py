"""A PDF file → plain lines, the same intermediate the text importer reads.

Ruled tables (pdfplumber `find_tables`) become TAB-joined rows, spans expanded as the HTML and Word
readers do (a cell spanning several rows is repeated in each, a cell spanning several columns is
kept once); a table continued on the next page loses its repeated header rows. Text outside the
tables becomes lines, with blank lines where a paragraph starts; on a page without ruling lines,
words far apart on one line are cells of a table and are TAB-separated, and the label fragments of
a wrapped row are gathered onto the line that holds its numbers. Page numbers and running
headers/footers are dropped.

Bounds: a PDF of more than MAX_PAGES pages, with more than MAX_OBJECTS objects, or whose
compressed streams unpack to more than MAX_UNPACKED bytes is refused before any page is laid out.
Encrypted and image-only PDFs are refused with a message (no OCR).
"""

from __future__ import annotations

import io
import re
import unicodedata
import zlib
from collections import Counter
from dataclasses import dataclass, field

from gkassist.errors import GkError

MAX_PAGES = 300
"""The longest annual reports run to a few dozen pages."""
MAX_OBJECTS = 200_000
MAX_UNPACKED = 128 * 1024 * 1024
"""All compressed streams together may unpack to this much; a PDF 'zip bomb' is refused."""

_PAGE_NUMBER = re.compile(
    r"^\s*(?:[-－—–~～]+\s*\d{1,4}\s*[-－—–~～]+|第\s*\d{1,4}\s*页(?:\s*[/，,、]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|\d{1,4}|[-－—–]?\s*[ivxlcIVXLC]{1,6}\s*[-－—–]?)\s*$")
_NUM = re.compile(r"^[0-9０-９][0-9０-９,，.．]*$")
_EDGE = 0.08
# Some PDF writers (Chromium's Type 3 fonts) map shared glyphs to radicals: 民 arrives as ⺠, 人 as ⼈.
_RADICALS = str.maketrans(
    "⺠⻓⻆⻔⻢⻛⻜⻚⻬⻄⻅⻉⻋⻘⻝⻣⻤⻥⻦⻩⻨⻰⻳⻮⻧⺟⻁⺩⻙⻪⻈⻠⺀⺁⺊⺒⺓⺝⺞⺦⺪⺫⺼⻊⻑⻖⻏",
    "民长角门马风飞页齐西见贝车青食骨鬼鱼鸟黄麦龙龟齿卤母虎王韦黾讠饣冫厂卜巳幺月歹丬疋罒月足長阝阝")


def _chars_text(text: str) -> str:
    if any("\u2e80" <= ch <= "\u2fdf" for ch in text):
        text = "".join(unicodedata.normalize("NFKC", ch) if "\u2f00" <= ch <= "\u2fdf" else ch for ch in text)
        text = text.translate(_RADICALS)
    return text  # top and bottom share of the page where running heads and page numbers live


@dataclass
class _Line:
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    cells: list[str]  # one item for prose; several (TAB-joined) for a row of a table without rules
    cell_x: list[float] = field(default_factory=list)
    cell_x1: list[float] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\t".join(self.cells)

    @property
    def numeric(self) -> int:
        return sum(1 for c in self.cells if _NUM.match(c))


@dataclass
class _Table:
    top: float
    rows: list[list[str]]


def pdf_to_lines(data: bytes, name: str = "文件") -> list[str]:
    """The report's lines: prose lines (a blank line before each paragraph) and TAB-joined table rows."""
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
        from pdfminer.pdfparser import PDFSyntaxError
        from pdfminer.psparser import PSException
        from pdfplumber.utils.exceptions import PdfminerException
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise GkError("读取 PDF 文件需要 pdfplumber，请重新安装 gkassist。") from exc
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PdfminerException, PDFPasswordIncorrect, PDFEncryptionError, PDFSyntaxError, PSException,
            ValueError, KeyError, TypeError, AttributeError, IndexError, zlib.error) as exc:
        cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise GkError(f"{name} 是加密的 PDF（需要密码才能打开），无法读取。请取得未加密的版本"
                          "（或在阅读器中打开后另存为不加密的 PDF）再导入。") from exc
        raise GkError(f"{name} 不是有效的 PDF 文件，可能已损坏。") from exc
    try:
        _check_bounds(pdf, data, name)
        try:
            pages = [_read_page(page) for page in pdf.pages]
        except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
            raise GkError(f"{name} 是加密的 PDF，无法读取其中的文字。请取得未加密的版本再导入。") from exc
        except (PdfminerException, PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError,
                IndexError, zlib.error) as exc:
            raise GkError(f"{name} 的页面内容无法读取（{type(exc).__name__}），文件可能已损坏。") from exc
        images = sum(len(page.images) for page in pdf.pages)
    finally:
        # pdfplumber's close() walks every page: only close what was opened.
        if hasattr(pdf, "_pages"):
            pdf.close()
    if not any(p.lines or p.tables for p in pages):
        if images:
            raise GkError(f"{name} 只有图片（扫描件），没有可以读取的文字。本程序不做文字识别（OCR），"
                          "请取得文字版的 PDF、Word 或网页再导入。")
        raise GkError(f"{name} 里没有文字，没有可导入的内容。")
    total = sum(p.chars for p in pages)
    if total and sum(p.undecoded for p in pages) > total // 5:
        raise GkError(f"{name} 里的文字用了无法识别的字体编码（取出来是乱码），无法可靠导入。"
                      "请取得同一报告的 Word、网页或另一份 PDF 再导入。")
    _drop_page_furniture(pages)
    return _assemble(pages)


# ------------------------------------------------------------------ bounds


def _check_bounds(pdf, data: bytes, name: str) -> None:
    """Refuse a PDF that would cost far more than a report: pages, objects, unpacked streams.
    Checked on the raw file and the cross-reference table, before any page is laid out."""
    from pdfminer.pdftypes import resolve1

    doc = pdf.doc
    try:
        pages = resolve1(doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    except (KeyError, TypeError, ValueError, RecursionError):
        count = None
    if isinstance(count, int) and count > MAX_PAGES:
        raise GkError(f"{name} 有 {count} 页，超过 {MAX_PAGES} 页，不像是一份年度报告，未导入。")
    if _more_pages_than(doc, MAX_PAGES):  # the stated count may lie
        raise GkError(f"{name} 有超过 {MAX_PAGES} 页，不像是一份年度报告，未导入。")
    objects = 0
    for xref in doc.xrefs:
        objects += sum(1 for _ in xref.get_objids())
        if objects > MAX_OBJECTS:
            raise GkError(f"{name} 含有超过 {MAX_OBJECTS} 个对象，不像是一份年度报告，未导入。")
    unpacked = 0
    for m in _STREAM.finditer(data):
        unpacked += _inflated_size(data, m.end(), MAX_UNPACKED - unpacked)
        if unpacked > MAX_UNPACKED:
            raise GkError(f"{name} 的压缩内容解开后超过 {MAX_UNPACKED // (1024 * 1024)} MB，"
                          "不像是一份年度报告（可能是恶意构造的文件），未导入。")


def _more_pages_than(doc, limit: int) -> bool:
    """Walk the page tree, resolving no more than about `limit` nodes: more leaves than `limit`?"""
    from pdfminer.pdftypes import PDFObjRef, resolve1

    stack = [doc.catalog.get("Pages")]
    seen: set[int] = set()
    leaves = visited = 0
    while stack:
        ref = stack.pop()
        if isinstance(ref, PDFObjRef):
            if ref.objid in seen:
                continue
            seen.add(ref.objid)
        visited += 1
        if visited > 4 * limit:
            return True
        try:
            node = resolve1(ref)
            kids = resolve1(node.get("Kids")) if isinstance(node, dict) else None
        except (KeyError, TypeError, ValueError, RecursionError):
            continue
        if isinstance(kids, list):
            if len(kids) > 4 * limit:
                return True
            stack.extend(reversed(kids))
        elif isinstance(node, dict):
            leaves += 1
            if leaves > limit:
                return True
    return False


_STREAM = re.compile(rb"stream\r?\n")


def _inflated_size(data: bytes, start: int, budget: int) -> int:
    """How many bytes the Flate stream at `start` unpacks to, counting no further than just past
    `budget`; 0 for a stream that is not Flate (an image, plain text)."""
    d = zlib.decompressobj()
    total = 0
    pos = start
    try:
        while total <= budget and pos < len(data) and not d.eof:
            chunk = d.unconsumed_tail or data[pos:pos + (1 << 16)]
            if not d.unconsumed_tail:
                pos += len(chunk)
            total += len(d.decompress(chunk, 1 << 20))
    except zlib.error:
        return total
    return total


# ------------------------------------------------------------------ one page


@dataclass
class _Page:
    height: float
    lines: list[_Line]
    tables: list[_Table]
    chars: int = 0
    undecoded: int = 0  # characters whose font has no Unicode mapping: pdfminer gives "(cid:N)"


def _read_page(page) -> _Page:
    tables: list[_Table] = []
    boxes: list[tuple[float, float, float, float]] = []
    # Only drawn rules count: a white background box (Chromium paints one behind the page body)
    # would otherwise frame the prose as one big cell.
    ruled = page.filter(lambda obj: obj.get("object_type") != "rect" or _visible(obj))
    for table in ruled.find_tables():
        rows, kept = _table_rows(table)
        if rows and any(any(c for c in r) for r in rows):
            tables.append(_Table(min(b[1] for b in kept), rows))
            boxes.extend(kept)

    def outside(obj) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in boxes)

    chars = [c for c in page.chars if outside(c)]
    undecoded = sum(1 for c in page.chars if c.get("text", "").startswith("(cid:"))
    return _Page(float(page.height), _text_lines(chars), tables, len(page.chars), undecoded)


def _visible(rect: dict) -> bool:
    def light(color) -> bool:
        if color is None:
            return False
        values = list(color) if isinstance(color, (list, tuple)) else [color]
        if not values or not all(isinstance(v, (int, float)) for v in values):
            return False
        if len(values) == 4:  # CMYK: white is no ink
            return all(v <= 0.05 for v in values)
        return all(v >= 0.95 for v in values)

    return bool((rect.get("stroke") and not light(rect.get("stroking_color")))
                or (rect.get("fill") and not light(rect.get("non_stroking_color"))))


def _text_lines(chars: list[dict]) -> list[_Line]:
    """Characters grouped into lines by position; far-apart runs on one line become cells."""
    visible = sorted((c for c in chars if c["text"].strip()), key=lambda c: (round(c["top"]), c["x0"]))
    rows: list[list[dict]] = []
    for ch in visible:
        mid = (ch["top"] + ch["bottom"]) / 2
        for row in reversed(rows[-3:]):
            top, bottom = row[0]["top"], row[0]["bottom"]
            if top - 1 <= mid <= bottom + 1:
                row.append(ch)
                break
        else:
            rows.append([ch])
    out: list[_Line] = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        size = Counter(round(c["size"], 1) for c in row).most_common(1)[0][0]
        cells: list[str] = []
        cell_x: list[float] = []
        cell_x1: list[float] = []
        cur = ""
        prev = None
        for ch in row:
            t = ch["text"]
            if prev is not None:
                gap = ch["x0"] - prev["x1"]
                digits = cur[-1:].isdigit() and t[:1].isdigit()
                wide = not (cur[-1:].isascii() and t[:1].isascii())
                if gap > 0.9 * size or (digits and gap > 0.3 * size) or (wide and gap > 0.45 * size):
                    # Cells of a table without rules: far apart, or two numbers side by side.
                    cells.append(cur.strip())
                    cell_x1.append(prev["x1"])
                    cur = ""
                elif gap > 0.2 * size and cur and cur[-1].isascii() and cur[-1].isalnum() and t[0].isascii() \
                        and t[0].isalnum():
                    cur += " "
            if not cur:
                cell_x.append(ch["x0"])
            cur += t
            prev = ch
        cells.append(cur.strip())
        cell_x1.append(row[-1]["x1"])
        cells = [_chars_text(c) for c in cells]
        out.append(_Line(min(c["top"] for c in row), max(c["bottom"] for c in row), row[0]["x0"],
                         row[-1]["x1"], size, cells, cell_x, cell_x1))
    out.sort(key=lambda ln: ln.top)
    return out


def _join_cell(text: str | None) -> str:
    """A cell's wrapped lines joined: no space between Chinese characters or digits of one number."""
    if not text:
        return ""
    out = ""
    for part in text.split("\n"):
        part = part.strip()
        if not part:
            continue
        if out and out[-1].isascii() and out[-1].isalpha() and part[0].isascii() and part[0].isalpha():
            out += " "
        out += part
    return _chars_text(re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", out).replace("\t", " "))


_PROSE_CELL = 200
"""A 'cell' holding more characters than this is a frame drawn around prose, not a table cell."""


def _table_rows(table) -> tuple[list[list[str]], list[tuple[float, float, float, float]]]:
    """A ruled table as rows of cell texts (row spans repeated, column spans kept once), and the
    boxes of the cells used. A box that encloses other cells (an edge missing where a merged cell
    breaks over a page) or a frame around prose is not a cell."""
    texts = table.extract()
    placed: list[tuple[tuple[float, float, float, float], str]] = []
    for r, row in enumerate(table.rows):
        for c, bbox in enumerate(row.cells):
            if bbox is not None:
                text = texts[r][c] if r < len(texts) and c < len(texts[r]) else ""
                placed.append((tuple(bbox), _join_cell(text)))  # type: ignore[arg-type]

    def encloses(a, b) -> bool:
        cx, cy = (b[0] + b[2]) / 2, (b[1] + b[3]) / 2
        return a is not b and a[0] < cx < a[2] and a[1] < cy < a[3]

    placed = [(b, t) for b, t in placed
              if len(t) <= _PROSE_CELL and not any(encloses(b, other) for other, _ in placed)]
    if len(placed) < 2:
        return [], []
    xs = _edges([b[0] for b, _ in placed])
    ys = _edges([b[1] for b, _ in placed])

    def index(edges: list[float], v: float) -> int:
        return min(range(len(edges)), key=lambda i: abs(edges[i] - v))

    def span(edges: list[float], lo: float, hi: float) -> int:
        return max(1, sum(1 for e in edges if lo - 1 <= e < hi - 1))

    grid: list[list[str | None]] = [[None] * len(xs) for _ in ys]
    for (x0, top, x1, bottom), text in placed:
        r0, c0 = index(ys, top), index(xs, x0)
        for dr in range(span(ys, top, bottom)):
            if r0 + dr < len(ys):
                grid[r0 + dr][c0] = text  # repeated down a row span; wide cells keep one column
    return [[c for c in row if c is not None] for row in grid], [b for b, _ in placed]


def _edges(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > 1.5:
            out.append(v)
    return out


# ------------------------------------------------------------------ the document


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", "".join(text.split()))


def _drop_page_furniture(pages: list[_Page]) -> None:
    """Page numbers anywhere near the top or bottom; lines repeated in the same place on many pages."""
    edge_counts: Counter[str] = Counter()
    for p in pages:
        for key in {_key(ln.text) for ln in p.lines if _at_edge(ln, p)}:
            edge_counts[key] += 1
    need = max(2, (len(pages) + 1) // 2)
    repeated = {k for k, n in edge_counts.items() if n >= need and len(pages) >= 2}
    for p in pages:
        p.lines = [ln for ln in p.lines
                   if not (_at_edge(ln, p) and (_PAGE_NUMBER.match(ln.text.replace("\t", " "))
                                                 or _key(ln.text) in repeated))]


def _at_edge(line: _Line, page: _Page) -> bool:
    return line.bottom < page.height * _EDGE * 1.6 or line.top > page.height * (1 - _EDGE * 1.6)


def _assemble(pages: list[_Page]) -> list[str]:
    weights: Counter[float] = Counter()
    for p in pages:
        for ln in p.lines:
            weights[round(ln.size)] += len(ln.text)
    body_size = float(weights.most_common(1)[0][0]) if weights else 0.0
    margin = _left_margin(pages)
    out: list[str] = []
    last_table: list[list[str]] | None = None
    for p in pages:
        items: list[tuple[float, object]] = [(ln.top, ln) for ln in p.lines] + [(t.top, t) for t in p.tables]
        items.sort(key=lambda it: it[0])
        prev: _Line | None = None
        first_on_page = True
        for _, item in _gather_fragments(items):
            if isinstance(item, _Table):
                rows = item.rows
                if first_on_page and last_table is not None:
                    rows = _without_repeated_header(rows, last_table)
                    if rows and out and _continues_row(rows[0], out[-1].split("\t")):
                        out[-1] = "\t".join(a + b for a, b in zip(out[-1].split("\t"), rows[0]))
                        rows = rows[1:]
                else:
                    out.append("")
                last_table = item.rows if not (first_on_page and last_table is not None) else last_table
                out.extend("\t".join(r) for r in rows)
                prev = None
                first_on_page = False
                continue
            assert isinstance(item, _Line)
            line = item
            big = body_size and line.size >= body_size * 1.2
            if prev is not None and big and abs(prev.size - line.size) < 0.5 and len(line.cells) == 1 \
                    and out and out[-1] and "\t" not in out[-1] and line.top - prev.bottom < line.size:
                out[-1] += line.text  # a title set in large type over two lines is one line
                prev = line
                continue
            new_para = (
                len(line.cells) > 1
                or big
                or (prev is not None and body_size and prev.size >= body_size * 1.2)
                or (prev is None and not first_on_page)
                or (prev is not None and line.top - prev.bottom > 0.9 * max(line.size, prev.size))
                or (margin is not None and line.x0 > margin + 1.2 * line.size)
            )
            if new_para and out and out[-1] != "":
                out.append("")
            out.append(line.text)
            if len(line.cells) > 1:
                out.append("")
            prev = line
            first_on_page = False
            last_table = None
    return out


def _left_margin(pages: list[_Page]) -> float | None:
    xs = Counter(round(ln.x0) for p in pages for ln in p.lines if len(ln.cells) == 1)
    return float(xs.most_common(1)[0][0]) if xs else None


def _without_repeated_header(rows: list[list[str]], previous: list[list[str]]) -> list[list[str]]:
    """A table continued from the previous page repeats its header rows: keep them once."""
    n = 0
    while n < len(rows) and n < len(previous) and rows[n] == previous[n] and not any(
            _NUM.match(c) for c in rows[n]):
        n += 1
    return rows[n:]


def _continues_row(first: list[str], last: list[str]) -> bool:
    """A row broken over a page: the top row of the continued table holds only the rest of the
    previous row's text cells (a wrapped label), no figures."""
    if len(first) != len(last) or not any(first) or any(_NUM.match(c) for c in first if c):
        return False
    return all(not c or (last[i] and not _NUM.match(last[i])) for i, c in enumerate(first))


def _gather_fragments(items: list[tuple[float, object]]) -> list[tuple[float, object]]:
    """On a page without ruling lines a row's figures may wrap inside a narrow column and its label
    over several lines: digits continued on the line above or below are joined to their number,
    and label fragments beside a row of numbers are gathered onto it, column by column."""
    lines = [it for _, it in items]
    _join_wrapped_numbers(lines)
    rows = [i for i, it in enumerate(lines) if isinstance(it, _Line) and it.numeric >= 2]
    used: set[int] = set()
    for k, ri in enumerate(rows):
        row = lines[ri]
        assert isinstance(row, _Line)
        nums = [j for j, c in enumerate(row.cells) if _NUM.match(c)]
        first_x = row.cell_x[nums[0]]

        def fragment(j: int, first_x: float = first_x) -> bool:
            it = lines[j]
            return (isinstance(it, _Line) and j not in used and it.numeric == 0 and it.x1 < first_x
                    and len(it.text) <= 40)

        def near(j: int, other: int | None, gap: float, count: int, row: _Line = row) -> bool:
            # Closer to this row than to the neighbouring row, and within a few lines.
            if gap > 1.5 * row.size * (count + 1):
                return False
            if other is None:
                return True
            o = lines[other]
            assert isinstance(o, _Line)
            it = lines[j]
            assert isinstance(it, _Line)
            other_gap = (it.top - o.bottom) if o.top < it.top else (o.top - it.bottom)
            return gap <= other_gap + 0.5

        above: list[int] = []
        j = ri - 1
        prev_row = rows[k - 1] if k else None
        while j >= 0 and (prev_row is None or j > prev_row) and fragment(j):
            it = lines[j]
            assert isinstance(it, _Line)
            if not near(j, prev_row, row.top - it.bottom, len(above)):
                break
            above.insert(0, j)
            j -= 1
        below: list[int] = []
        j = ri + 1
        next_row = rows[k + 1] if k + 1 < len(rows) else None
        while j < len(lines) and (next_row is None or j < next_row) and fragment(j):
            it = lines[j]
            assert isinstance(it, _Line)
            if not near(j, next_row, it.top - row.bottom, len(below)):
                break
            below.append(j)
            j += 1
        pieces: list[tuple[float, float, str]] = []  # (x, top, text) of every label piece
        for j in above + [ri] + below:
            it = lines[j]
            assert isinstance(it, _Line)
            for c, text in enumerate(it.cells):
                if j == ri and c >= nums[0]:
                    break
                if text:
                    pieces.append((it.cell_x[c], it.top, text))
        columns: list[list[tuple[float, float, str]]] = []
        for piece in sorted(pieces):
            if columns and piece[0] - columns[-1][0][0] < row.size:
                columns[-1].append(piece)
            else:
                columns.append([piece])
        label = ["".join(t for _, _, t in sorted(col, key=lambda p: p[1])) for col in columns]
        row.cells = label + row.cells[nums[0]:]
        row.cell_x = [col[0][0] for col in columns] + row.cell_x[nums[0]:]
        row.cell_x1 = [col[0][0] for col in columns] + row.cell_x1[nums[0]:]
        used.update(above + below)
    return [it for i, it in enumerate(items) if i not in used]


def _join_wrapped_numbers(lines: list) -> None:
    """A number too wide for its column wraps: `300` over `1` is 3001. A line with fewer numbers
    than a neighbour a line away, whose every number sits over a number of that neighbour, is the
    wrapped part of the nearer such neighbour."""
    for i, part in enumerate(lines):
        if not isinstance(part, _Line) or not part.numeric:
            continue
        best: tuple[float, _Line, list[tuple[int, int]], bool] | None = None
        for j in (i - 1, i + 1):
            whole = lines[j] if 0 <= j < len(lines) else None
            if not isinstance(whole, _Line) or whole.numeric <= part.numeric:
                continue
            gap = part.top - whole.bottom if j < i else whole.top - part.bottom
            if gap > 0.6 * max(part.size, whole.size):
                continue
            pairs = _aligned(part, whole)
            if pairs is not None and (best is None or gap < best[0]):
                best = (gap, whole, pairs, j > i)
        if best is None:
            continue
        _, whole, pairs, part_above = best
        for pc, wc in pairs:
            whole.cells[wc] = part.cells[pc] + whole.cells[wc] if part_above else whole.cells[wc] + part.cells[pc]
        keep = [c for c in range(len(part.cells)) if c not in {pc for pc, _ in pairs}]
        part.cells = [part.cells[c] for c in keep] or [""]
        part.cell_x = [part.cell_x[c] for c in keep] or [part.x0]
        part.cell_x1 = [part.cell_x1[c] for c in keep] or [part.x0]
        part.x1 = max(part.cell_x1)


def _aligned(part: _Line, whole: _Line) -> list[tuple[int, int]] | None:
    """(part cell, whole cell) for every number of `part` that sits over exactly one number of `whole`."""
    pairs = []
    for pc, text in enumerate(part.cells):
        if not _NUM.match(text):
            continue
        mid = (part.cell_x[pc] + part.cell_x1[pc]) / 2
        match = [wc for wc, w in enumerate(whole.cells)
                 if _NUM.match(w) and whole.cell_x[wc] - 1 <= mid <= whole.cell_x1[wc] + 1]
        if len(match) != 1:
            return None
        pairs.append((pc, match[0]))
    return pairs
