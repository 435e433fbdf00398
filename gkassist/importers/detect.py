"""Which kind of file an import was given (text, HTML, Word) and how its bytes decode."""

from __future__ import annotations

import re
from pathlib import Path

from gkassist.errors import GkError

MAX_BYTES = 20 * 1024 * 1024
"""Larger files are not annual reports (the longest real ones are well under 1 MB)."""

TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ".text"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml", ".shtml"})
MHTML_SUFFIXES = frozenset({".mht", ".mhtml"})
DOCX_SUFFIXES = frozenset({".docx"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
PDF_SUFFIXES = frozenset({".pdf"})

_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|table|div|p)\b",
                         re.IGNORECASE | re.DOTALL)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")


def read_bytes(path: Path) -> bytes:
    """The file's bytes, or a GkError naming the file when it cannot be read or is unusable."""
    path = Path(path)
    name = path.name or str(path)
    if not path.exists():
        raise GkError(f"找不到文件 {path}。", path=str(path))
    if path.is_dir():
        raise GkError(f"{path} 是一个文件夹，请给出报告文件。", path=str(path))
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise GkError(f"{name} 有 {size // (1024 * 1024)} MB，超过 {MAX_BYTES // (1024 * 1024)} MB，"
                          "不像是一份年度报告。", path=str(path))
        data = path.read_bytes()
    except GkError:
        raise
    except OSError as exc:
        raise GkError(f"无法读取 {name}：{exc.strerror or exc}。", path=str(path)) from exc
    if not data.strip():
        raise GkError(f"{name} 是空文件，没有可导入的内容。", path=str(path))
    return data


def kind_of(path: Path, data: bytes) -> str:
    """'docx', 'pdf', 'html', 'mhtml' or 'text' — from the content first, then the file name."""
    suffix = Path(path).suffix.lower()
    name = Path(path).name
    if data[:4] == b"PK\x03\x04":
        if b"word/" in data[:65536] or suffix in DOCX_SUFFIXES:
            return "docx"
        if b"xl/" in data[:65536] or suffix in XLSX_SUFFIXES:
            return "xlsx"
        raise GkError(f"{name} 是压缩包，不是 Word（.docx）文件。", path=str(path))
    if suffix in DOCX_SUFFIXES:
        raise GkError(f"{name} 不是有效的 Word（.docx）文件（可能已损坏，或只是改了扩展名）。", path=str(path))
    if suffix in XLSX_SUFFIXES:
        raise GkError(f"{name} 不是有效的 Excel（.xlsx）文件（可能已损坏，或只是改了扩展名）。", path=str(path))
    if suffix in (".xls", ".et"):
        raise GkError(f"{name} 是旧版 Excel 或 WPS 表格文件，请在 Excel 或 WPS 中另存为 .xlsx 后再导入。",
                      path=str(path))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or suffix in (".doc", ".wps"):
        raise GkError(f"{name} 是旧版 Word 或 WPS 文件，请在 Word 或 WPS 中另存为 .docx 后再导入。",
                      path=str(path))
    if suffix in MHTML_SUFFIXES or re.match(rb"^\s*(From:[^\n]*\n\s*)?MIME-Version:", data[:512], re.IGNORECASE):
        return "mhtml"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if suffix in PDF_SUFFIXES:
        raise GkError(f"{name} 不是有效的 PDF 文件（可能已损坏，或只是改了扩展名）。", path=str(path))
    head = _strip_bom(data[:4096])
    if suffix in HTML_SUFFIXES:
        # A page saved as “text only” under an .html name has no tags: read it as text.
        return "html" if re.search(rb"<\s*[a-zA-Z!/]", head) else "text"
    if _HTML_START.match(head) and (suffix not in TEXT_SUFFIXES or re.match(
            rb"^\s*<(!doctype\s+html|html)\b", head, re.IGNORECASE)):
        return "html"
    if suffix in TEXT_SUFFIXES or suffix == "":
        return "text"
    # An unknown suffix: accept it when the content is text, let decoding decide.
    return "text"


def mhtml_html(data: bytes, name: str = "文件") -> str:
    """The HTML page inside a “single file” saved web page (.mht): MIME with quoted-printable parts."""
    import email
    from email import policy

    try:
        message = email.message_from_bytes(data, policy=policy.default)
        parts = [message] if not message.is_multipart() else list(message.walk())
        for part in parts:
            if part.get_content_type() == "text/html":
                payload = part.get_payload(decode=True)
                if not isinstance(payload, bytes):
                    payload = b""
                charset = part.get_content_charset()
                if charset:
                    try:
                        return payload.decode(charset)
                    except (LookupError, UnicodeDecodeError):
                        pass
                return decode(payload, name)
    except GkError:
        raise
    except Exception as exc:  # the email parser gives up on damaged archives in many ways
        raise GkError(f"{name} 不是有效的网页存档（.mht）文件（{type(exc).__name__}）。") from exc
    raise GkError(f"{name} 是网页存档（.mht），但里面没有网页内容。")


def _strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def decode(data: bytes, name: str = "文件") -> str:
    """Text from UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030; junk raises GkError."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return _checked(data.decode("utf-16"), name)
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise GkError(f"{name} 不是文本文件（含有二进制内容），无法导入。")
    try:
        return _checked(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError as exc:
        # A file cut off in the middle of a character is still UTF-8: drop the broken tail.
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return _checked(data[:exc.start].decode("utf-8-sig"), name)
    try:
        return _checked(data.decode("gb18030"), name)
    except UnicodeDecodeError:
        pass
    # Neither decodes cleanly: accept a few bad bytes (a damaged copy), refuse mostly-junk.
    text = data.decode("utf-8-sig", errors="replace")
    alt = data.decode("gb18030", errors="replace")
    if alt.count("\ufffd") < text.count("\ufffd"):
        text = alt
    if text.count("\ufffd") > max(3, len(text) // 100):
        raise GkError(f"{name} 不是文本文件（大部分内容无法按 UTF-8 或 GB18030 解码），无法导入。")
    return _checked(text, name)


def _checked(text: str, name: str) -> str:
    if not text.strip():
        raise GkError(f"{name} 是空文件，没有可导入的内容。")
    bad = len(_CONTROL.findall(text))
    if bad > max(3, len(text) // 50):
        raise GkError(f"{name} 不是文本文件（含有大量控制字符），无法导入。")
    return text
