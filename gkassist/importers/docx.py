"""A Word (.docx) file → plain lines: paragraphs as lines, table rows as TAB-joined cells.

python-docx repeats a merged cell in every grid position it covers; a horizontal repeat is kept
once (a label must not be read as several cells), a vertical repeat stays (as in the HTML reader).
"""

from __future__ import annotations

import io
import zipfile

from gkassist.errors import GkError


def docx_to_lines(data: bytes, name: str = "文件") -> list[str]:
    """Paragraphs and table rows of a Word document, in reading order."""
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise GkError("读取 Word 文件需要 python-docx，请重新安装 gkassist。") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise GkError(f"{name} 不是有效的 Word（.docx）文件，可能已损坏。") from exc
    except Exception as exc:  # python-docx raises assorted errors on damaged parts
        raise GkError(f"{name} 无法按 Word（.docx）文件读取（{type(exc).__name__}）。") from exc

    lines: list[str] = []

    def walk(parent) -> None:
        for element in parent.iterchildren():
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "p":
                lines.extend(_paragraph_lines(Paragraph(element, document).text))
            elif tag == "tbl":
                lines.extend(_table_lines(Table(element, document)))
            elif tag in ("sdt", "sdtContent", "customXml"):
                walk(element)  # content controls of a fill-in form hold ordinary paragraphs and tables

    walk(document.element.body)
    return lines


def _paragraph_lines(text: str) -> list[str]:
    # A soft line break (Shift+Enter) inside a paragraph arrives as "\n": keep it as a line break.
    return [part.strip() for part in text.replace("\r", "\n").split("\n") if part.strip()]


def _cell_text(cell) -> str:
    parts = [p.text.strip() for p in cell.paragraphs]
    # Nested tables inside a cell: their text belongs to the cell.
    for inner in cell.tables:
        for row in inner.rows:
            parts.extend(c.text.strip() for c in row.cells)
    return " ".join(p for p in parts if p).replace("\t", " ")


def _table_lines(table) -> list[str]:
    lines: list[str] = []
    for row in table.rows:
        try:
            cells = row.cells
        except Exception:  # a damaged row: skip it rather than lose the document
            continue
        texts: list[str] = []
        previous = None
        for cell in cells:
            if previous is not None and cell._tc is previous:
                continue
            previous = cell._tc
            texts.append(_cell_text(cell))
        lines.append("\t".join(texts))
    return lines
