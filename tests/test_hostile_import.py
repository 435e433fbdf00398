"""Hostile documents stay cheap: each crafted file is refused (a Chinese GkError naming it) or
imported within 10 s and 500 MB. The import runs in a subprocess whose address space is capped
with `resource.setrlimit(RLIMIT_AS)`; a MemoryError, a crash or a timeout fails the test.
The files are made here, at run time, small and fast."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LIMIT_MB = 500
LIMIT_S = 10.0

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="resource.setrlimit is POSIX only")

RUNNER = f"""
import json, resource, sys, time
limit = {LIMIT_MB} * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
from gkassist.errors import GkError
from gkassist.importers import import_file
start = time.perf_counter()
try:
    import_file(sys.argv[1])
    outcome, message = "imported", ""
except GkError as exc:
    outcome, message = "refused", exc.message
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({{"outcome": outcome, "message": message, "seconds": seconds, "peak_mb": peak}}))
"""


def run_capped(path: Path) -> dict:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8",
           "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.run([sys.executable, "-c", RUNNER, str(path)], check=False, capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert result["seconds"] < LIMIT_S, result
    assert result["peak_mb"] < LIMIT_MB, result
    return result


def assert_refused(result: dict, name: str, *words: str) -> None:
    assert result["outcome"] == "refused", result
    assert name in result["message"], result
    assert all(w in result["message"] for w in words), result
    assert "Traceback" not in result["message"]


# ------------------------------------------------------------------ Word

_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _docx_with(document_xml_chunks, extra: dict[str, bytes] | None = None) -> bytes:
    """A real (python-docx made) .docx whose word/document.xml is replaced by the given chunks,
    written to the zip a piece at a time (the unpacked part is never held in memory)."""
    import docx

    blank = io.BytesIO()
    docx.Document().save(blank)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blank.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                big = zipfile.ZipInfo("word/document.xml")
                big.compress_type = zipfile.ZIP_DEFLATED
                with dst.open(big, "w", force_zip64=True) as part:
                    for chunk in document_xml_chunks:
                        part.write(chunk)
            else:
                dst.writestr(info, src.read(info.filename))
        for name, data in (extra or {}).items():
            dst.writestr(name, data)
    return out.getvalue()


def _document(body: str) -> list[bytes]:
    return [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {_NS}><w:body>'.encode(),
            body.encode("utf-8"), b"<w:sectPr/></w:body></w:document>"]


def test_zip_bomb_docx(tmp_path):
    def chunks():
        yield _document("")[0]
        para = b"<w:p><w:r><w:t>" + b"0" * 1000 + b"</w:t></w:r></w:p>"
        block = para * 1000  # ~1 MB
        for _ in range(100):  # ~100 MB unpacked (a third over the bound), well under 1 MB packed
            yield block
        yield _document("")[2]

    path = tmp_path / "炸弹.docx"
    path.write_bytes(_docx_with(chunks()))
    assert path.stat().st_size < 3 * 1024 * 1024
    assert_refused(run_capped(path), "炸弹.docx", "解压后")


def test_docx_table_with_grid_span_of_a_billion(tmp_path):
    row = ('<w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr><w:p><w:r><w:t>规章</w:t></w:r></w:p></w:tc>'
           '<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc></w:tr>')
    body = f'<w:p><w:r><w:t>二、主动公开政府信息情况</w:t></w:r></w:p><w:tbl><w:tblGrid/>{row * 3}</w:tbl>'
    path = tmp_path / "跨列.docx"
    path.write_bytes(_docx_with(_document(body)))
    assert_refused(run_capped(path), "跨列.docx", "列")


def test_docx_with_a_long_chain_of_vertical_merges_is_read(tmp_path):
    """2,000 rows whose first cell continues the merge above (python-docx follows such a chain
    recursively, past Python's recursion limit): read in linear time, the label on every row."""
    first = ('<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>三、本年度办理结果</w:t></w:r></w:p></w:tc>'
             '<w:tc><w:p><w:r><w:t>0</w:t></w:r></w:p></w:tc></w:tr>')
    more = ('<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc>'
            '<w:tc><w:p><w:r><w:t>0</w:t></w:r></w:p></w:tc></w:tr>')
    body = (f'<w:p><w:r><w:t>某某镇人民政府2023年政府信息公开工作年度报告</w:t></w:r></w:p>'
            f'<w:tbl><w:tblGrid/>{first}{more * 1999}</w:tbl>')
    path = tmp_path / "合并.docx"
    path.write_bytes(_docx_with(_document(body)))
    result = run_capped(path)
    assert result["outcome"] == "imported", result

    from gkassist.importers.docx import docx_to_lines

    lines = docx_to_lines(path.read_bytes(), path.name)
    assert len(lines) == 2001 and lines[-1] == "三、本年度办理结果\t0"


def test_docx_with_a_table_of_too_many_rows_is_refused(tmp_path):
    body = "<w:tbl><w:tblGrid/>" + "<w:tr><w:tc><w:p/></w:tc></w:tr>" * 6000 + "</w:tbl>"
    path = tmp_path / "长表.docx"
    path.write_bytes(_docx_with(_document(body)))
    assert_refused(run_capped(path), "长表.docx", "行")


# ------------------------------------------------------------------ HTML


def test_html_tables_nested_50000_deep(tmp_path):
    n = 50_000
    path = tmp_path / "套娃.html"
    path.write_text("<html><body>" + "<table><tr><td>" * n + "1" + "</td></tr></table>" * n + "</body></html>",
                    encoding="utf-8")
    assert_refused(run_capped(path), "套娃.html", "层")


def test_html_table_of_130_cells_with_rowspan_200(tmp_path):
    cells = "".join(f"<tr><td rowspan=200 colspan=200>{i}</td><td rowspan=200>{i}</td></tr>" for i in range(65))
    path = tmp_path / "跨行.html"
    path.write_text(f"<html><body><p>某某县人民政府2023年政府信息公开工作年度报告</p><table>{cells}</table>"
                    "</body></html>", encoding="utf-8")
    result = run_capped(path)
    assert result["outcome"] in ("imported", "refused"), result
    if result["outcome"] == "refused":
        assert "跨行.html" in result["message"]


# ------------------------------------------------------------------ PDF


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF written by hand: numbered objects, a correct cross-reference table, a trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _pages_pdf(n: int, count: int | None = None) -> bytes:
    kids = b" ".join(b"%d 0 R" % (3 + i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % (n if count is None else count)]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"] * n
    return _pdf(objects)


def test_pdf_of_5000_pages(tmp_path):
    path = tmp_path / "五千页.pdf"
    path.write_bytes(_pages_pdf(5000))
    assert_refused(run_capped(path), "五千页.pdf", "5000 页", "300")


def test_pdf_of_5000_pages_whose_page_count_lies(tmp_path):
    path = tmp_path / "谎报.pdf"
    path.write_bytes(_pages_pdf(5000, count=1))
    assert_refused(run_capped(path), "谎报.pdf", "超过 300 页")


def test_pdf_whose_stream_unpacks_to_a_bomb(tmp_path):
    packer = zlib.compressobj(1)
    packed = b"".join(packer.compress(b" " * (1 << 20)) for _ in range(150)) + packer.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"]
    path = tmp_path / "压缩.pdf"
    path.write_bytes(_pdf(objects))
    assert_refused(run_capped(path), "压缩.pdf", "MB")


def test_a_small_hand_made_pdf_without_text_is_refused_in_chinese(tmp_path):
    path = tmp_path / "空白.pdf"
    path.write_bytes(_pages_pdf(2))
    assert_refused(run_capped(path), "空白.pdf", "没有文字")


def test_pdf_whose_font_has_no_unicode_mapping_is_refused_in_chinese(tmp_path):
    """Text drawn with a font that has no Unicode mapping comes out as (cid:N): refused, not imported."""
    content = b"BT /F1 12 Tf 20 50 Td <0001000200030004000500060007> Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R"
         b" /Resources << /Font << /F1 5 0 R >> >> >>"),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /XYZ /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /XYZ /CIDSystemInfo << /Registry (Adobe)"
         b" /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>"),
        (b"<< /Type /FontDescriptor /FontName /XYZ /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0"
         b" /Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"),
    ]
    path = tmp_path / "乱码.pdf"
    path.write_bytes(_pdf(objects))
    assert_refused(run_capped(path), "乱码.pdf", "字体编码")
