"""A Word (.docx) file → plain lines: paragraphs as lines, table rows as TAB-joined cells.

A merged cell is read once per row it covers: a horizontal span (gridSpan) is kept once (a label
must not be read as several cells), a vertical merge (vMerge) repeats the text of its first cell
(as in the HTML reader).

Bounds, checked before python-docx builds anything: the zip may not unpack to more than
MAX_UNPACKED bytes (MAX_XML of XML), no part may unpack more than MAX_RATIO times its compressed
size (a zip bomb), and a table may not claim more than MAX_GRID_SPAN columns, MAX_ROWS rows or
MAX_CELLS cells. Tables are walked on the XML directly, in time proportional to their cells.
"""

from __future__ import annotations

import io
import zipfile

from gkassist.errors import GkError

MAX_UNPACKED = 64 * 1024 * 1024
MAX_XML = 24 * 1024 * 1024
MAX_PARTS = 2000
MAX_RATIO = 100
"""Word's XML compresses 5–20 times; a part of more than 1 MB packed more tightly than this is a bomb."""
MAX_GRID_SPAN = 64  # Word itself allows 63 columns
MAX_ROWS = 5000
MAX_CELLS = 50_000
MAX_TABLES = 1000
MAX_NESTING = 8

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_to_lines(data: bytes, name: str = "文件") -> list[str]:
    """Paragraphs and table rows of a Word document, in reading order."""
    try:
        import docx  # python-docx
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise GkError("读取 Word 文件需要 python-docx，请重新安装 gkassist。") from exc
    check_zip(data, name)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise GkError(f"{name} 不是有效的 Word（.docx）文件，可能已损坏。") from exc
    except Exception as exc:  # python-docx raises assorted errors on damaged parts
        raise GkError(f"{name} 无法按 Word（.docx）文件读取（{type(exc).__name__}）。") from exc

    body = document.element.body
    check_tables(body, name)
    lines: list[str] = []

    def paragraph_text(p) -> str:
        return Paragraph(p, document).text

    def walk(parent) -> None:
        for element in parent.iterchildren():
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.extend(_paragraph_lines(paragraph_text(element)))
            elif tag == "tbl":
                lines.extend(_table_lines(element, paragraph_text))
            elif tag in ("sdt", "sdtContent", "customXml"):
                walk(element)  # content controls of a fill-in form hold ordinary paragraphs and tables

    walk(body)
    return lines


# ------------------------------------------------------------------ bounds


def check_zip(data: bytes, name: str) -> None:
    """Refuse a .docx whose parts would unpack to far more than a report (sizes read from the zip
    directory; zipfile never unpacks a part beyond its stated size)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise GkError(f"{name} 不是有效的 Word（.docx）文件，可能已损坏。") from exc
    if len(infos) > MAX_PARTS:
        raise GkError(f"{name} 含有 {len(infos)} 个部件，超过 {MAX_PARTS} 个，不像是一份年度报告，未导入。")
    total = sum(i.file_size for i in infos)
    xml = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels")))
    bomb = any(i.file_size > 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos)
    if bomb or total > MAX_UNPACKED or xml > MAX_XML:
        raise GkError(f"{name} 解压后有 {total // (1024 * 1024)} MB，远超一份年度报告应有的大小"
                      "（可能是损坏或恶意构造的文件），未导入。")


def check_tables(body, name: str) -> None:
    """Refuse tables that claim absurd spans or sizes, before any of them is expanded."""
    tables = body.iter(f"{_W}tbl")
    for count, tbl in enumerate(tables, 1):
        if count > MAX_TABLES:
            raise GkError(f"{name} 含有超过 {MAX_TABLES} 个表格，不像是一份年度报告，未导入。")
        rows = tbl.findall(f"{_W}tr")
        if len(rows) > MAX_ROWS:
            raise GkError(f"{name} 有一个表格有 {len(rows)} 行，超过 {MAX_ROWS} 行，不像是一份年度报告，未导入。")
        cells = 0
        for tr in rows:
            width = _grid_before(tr)
            for tc in tr.findall(f"{_W}tc"):
                width += _span(tc)
                if width > MAX_GRID_SPAN:
                    raise GkError(f"{name} 有一个表格的一行跨了 {width} 列以上（Word 最多 63 列），"
                                  "文件可能已损坏或被恶意构造，未导入。")
            cells += width
        if cells > MAX_CELLS:
            raise GkError(f"{name} 有一个表格有 {cells} 个单元格，超过 {MAX_CELLS} 个，不像是一份年度报告，未导入。")


def _int_val(el) -> int:
    if el is None:
        return 1
    raw = el.get(f"{_W}val") or "1"
    digits = raw.strip()[:12]
    return int(digits) if digits.isdigit() else 1


def _span(tc) -> int:
    return max(1, _int_val(tc.find(f"{_W}tcPr/{_W}gridSpan")))


def _grid_before(tr) -> int:
    el = tr.find(f"{_W}trPr/{_W}gridBefore")
    return 0 if el is None else min(_int_val(el), MAX_GRID_SPAN + 1)


def _continues(tc) -> bool:
    """A cell that continues the vertical merge above it (`<w:vMerge/>` or val="continue")."""
    el = tc.find(f"{_W}tcPr/{_W}vMerge")
    return el is not None and (el.get(f"{_W}val") or "continue") == "continue"


# ------------------------------------------------------------------ reading


def _paragraph_lines(text: str) -> list[str]:
    # A soft line break (Shift+Enter) inside a paragraph arrives as "\n": keep it as a line break.
    return [part.strip() for part in text.replace("\r", "\n").split("\n") if part.strip()]


def _cell_text(tc, paragraph_text, depth: int = 0) -> str:
    parts: list[str] = []
    for child in tc.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            parts.append(paragraph_text(child).strip())
        elif tag == "tbl" and depth < MAX_NESTING:
            # Nested tables inside a cell: their text belongs to the cell.
            for tr in child.findall(f"{_W}tr"):
                parts.extend(_cell_text(inner, paragraph_text, depth + 1) for inner in tr.findall(f"{_W}tc"))
        elif tag in ("sdt", "sdtContent", "customXml"):
            parts.append(_cell_text(child, paragraph_text, depth))
    return " ".join(p for p in parts if p).replace("\t", " ")


def _table_lines(tbl, paragraph_text) -> list[str]:
    lines: list[str] = []
    above: dict[int, str] = {}  # grid column → text of the cell there in the row above
    for tr in tbl.findall(f"{_W}tr"):
        texts: list[str] = []
        here: dict[int, str] = {}
        col = _grid_before(tr)
        for tc in tr.findall(f"{_W}tc"):
            span = _span(tc)
            text = above.get(col, "") if _continues(tc) else _cell_text(tc, paragraph_text)
            texts.append(text)
            for k in range(span):
                here[col + k] = text
            col += span
        above = here
        lines.append("\t".join(texts))
    return lines
