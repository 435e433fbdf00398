"""What an import costs: seconds and peak memory of importing each committed PDF fixture and each
hostile document of tests/test_hostile_import.py, every one in its own subprocess capped at 500 MB.

    python bench/import_cost.py

Prints one row per file: outcome (imported / refused), seconds inside the import, peak RSS.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import test_hostile_import as hostile


def hostile_files(folder: Path) -> list[Path]:
    made = []

    def keep(name: str, data: bytes | str) -> None:
        path = folder / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
        made.append(path)

    para = b"<w:p><w:r><w:t>" + b"0" * 1000 + b"</w:t></w:r></w:p>"
    bomb = [hostile._document("")[0], *([para * 1000] * 100), hostile._document("")[2]]
    keep("zip-bomb.docx", hostile._docx_with(bomb))
    span = ('<w:tbl><w:tblGrid/><w:tr><w:tc><w:tcPr><w:gridSpan w:val="1000000000"/></w:tcPr><w:p/></w:tc>'
            '</w:tr></w:tbl>')
    keep("gridspan-1e9.docx", hostile._docx_with(hostile._document(span)))
    n = 50_000
    keep("nested-50000.html", "<table><tr><td>" * n + "1" + "</td></tr></table>" * n)
    cells = "".join(f"<tr><td rowspan=200 colspan=200>{i}</td><td rowspan=200>{i}</td></tr>" for i in range(65))
    keep("rowspan-200.html", f"<p>某某县人民政府2023年政府信息公开工作年度报告</p><table>{cells}</table>")
    keep("pages-5000.pdf", hostile._pages_pdf(5000))
    keep("pages-5000-count-lies.pdf", hostile._pages_pdf(5000, count=1))
    return made


def main() -> None:
    fixtures = sorted((ROOT / "tests" / "fixtures" / "pdf").glob("*.pdf"))
    with tempfile.TemporaryDirectory(prefix="gk-cost-") as tmp:
        files = fixtures + hostile_files(Path(tmp))
        print(f"{'file':42} {'outcome':9} {'seconds':>8} {'peak MB':>8}")
        for path in files:
            try:
                r = hostile.run_capped(path)
            except AssertionError as exc:  # over the bound: show it rather than stop
                print(f"{path.name:42} FAILED    {exc}")
                continue
            print(f"{path.name:42} {r['outcome']:9} {r['seconds']:8.2f} {r['peak_mb']:8.0f}")


if __name__ == "__main__":
    main()
