"""Docs script: the example report's Word file → PDF (LibreOffice) → page images under docs/.

    python bench/docs_pdf.py [--out docs] [--resolution 60] [--pdf keep.pdf]

Needs `soffice` (LibreOffice) and `pdftoppm` (poppler-utils) on PATH; CI has neither, so this is
not part of the test suite. The 公文 fonts the document names (仿宋_GB2312, 黑体, 楷体_GB2312,
方正小标宋简体) are rarely installed on Linux: for the conversion only, a private fontconfig file maps
them to free look-alikes (Noto Serif/Sans CJK, AR PL UKai) when those are present. The .docx
itself is unchanged and still names the official fonts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from gkassist.example import example_report  # noqa: E402
from gkassist.render.docx import (  # noqa: E402
    BLOCK_HEIGHT_MM,
    BLOCK_WIDTH_MM,
    FONT_BODY,
    FONT_HEADING,
    FONT_PAGE_NUMBER,
    FONT_SUBHEADING,
    FONT_TITLE,
    PAGE_NUMBER_DASH,
    render_docx,
)
from gkassist.store import report_basename  # noqa: E402

# Official font → free substitutes, first installed one wins (conversion only).
SUBSTITUTES = {
    FONT_BODY: ("FangSong", "Noto Serif CJK SC"),
    FONT_HEADING: ("SimHei", "Noto Sans CJK SC"),
    FONT_SUBHEADING: ("KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
    FONT_TITLE: ("Noto Serif CJK SC",),
    FONT_PAGE_NUMBER: ("SimSun", "Noto Serif CJK SC"),
    # the alternative names the document's font table gives
    "仿宋": ("FangSong", "Noto Serif CJK SC"),
    "楷体": ("KaiTi", "AR PL UKai CN", "Noto Serif CJK SC"),
}
PAGE_PREFIX = "example-page-"
PT_MM = 25.4 / 72
LEFT_MM, TOP_MM = 28, 37  # GB/T 9704-2012 5.2.1: 订口 and 天头


def page_numbers(pdf: Path, pdftotext: str) -> list[str]:
    """Where LibreOffice put each page's `— N —`, measured from the PDF's word boxes (pt → mm)."""
    import html as html_lib
    import re

    result = subprocess.run([pdftotext, "-bbox", str(pdf), "-"], capture_output=True, text=True,
                            encoding="utf-8", errors="replace", timeout=120, check=False)
    lines = []
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    block_left, block_right = LEFT_MM, LEFT_MM + BLOCK_WIDTH_MM
    block_foot = TOP_MM + BLOCK_HEIGHT_MM
    for number, page in enumerate(result.stdout.split("<page ")[1:], start=1):
        words = [(float(a) * PT_MM, float(b) * PT_MM, float(c) * PT_MM, float(d) * PT_MM, html_lib.unescape(t))
                 for a, b, c, d, t in word.findall(page)]
        foot = [w for w in words if w[1] > block_foot]
        text = " ".join(w[4] for w in sorted(foot, key=lambda w: w[0]))
        if not foot or text != f"{PAGE_NUMBER_DASH} {number} {PAGE_NUMBER_DASH}":
            lines.append(f"page {number}: no page number below the text block (found {text!r})")
            continue
        left, right = min(w[0] for w in foot), max(w[2] for w in foot)
        top = min(w[1] for w in foot)
        side = "right" if right > (block_left + block_right) / 2 else "left"
        inset = block_right - right if side == "right" else left - block_left
        lines.append(f"page {number}: {text!r} at the {side}, {inset:.1f} mm in from the block's {side} edge; "
                     f"its glyph box starts {top - block_foot:.1f} mm below the block")
    return lines


def _fontconfig(folder: Path) -> Path:
    aliases = "\n".join(
        f'  <alias binding="same"><family>{name}</family><prefer>'
        + "".join(f"<family>{sub}</family>" for sub in subs)
        + "</prefer></alias>"
        for name, subs in SUBSTITUTES.items()
    )
    # 方正小标宋 is a heavy 宋体: the bold serif is the closest free face.
    title_weight = (
        f'  <match target="pattern"><test name="family"><string>{FONT_TITLE}</string></test>'
        '<edit name="weight" mode="assign"><const>bold</const></edit></match>'
    )
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"{title_weight}\n{aliases}\n"
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n</fontconfig>\n',
        encoding="utf-8",
    )
    return path


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8",
                            errors="replace", env=env, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr.strip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where the page images go")
    parser.add_argument("--resolution", type=int, default=60, help="pdftoppm -r (dots per inch)")
    parser.add_argument("--pdf", type=Path, help="also keep the PDF at this path")
    args = parser.parse_args(argv)

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if not soffice or not pdftoppm:
        missing = [name for name, found in (("soffice (LibreOffice)", soffice),
                                             ("pdftoppm (poppler-utils)", pdftoppm)) if not found]
        print(f"Cannot make the page images: {' and '.join(missing)} not found on PATH.\n"
              "On Debian/Ubuntu: apt-get install --no-install-recommends libreoffice-writer-nogui "
              "poppler-utils fonts-noto-cjk", file=sys.stderr)
        return 1

    report = example_report()
    with tempfile.TemporaryDirectory(prefix="gkassist-docs-") as tmp:
        work = Path(tmp)
        docx_path = work / f"{report_basename(report)}.docx"
        docx_path.write_bytes(render_docx(report))
        print(f"wrote {docx_path.name} ({docx_path.stat().st_size} bytes)")

        env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig(work)), "HOME": str(work)}
        profile = (work / "lo-profile").as_uri()  # a fresh profile: no clash with a running soffice
        _run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
              "--outdir", str(work), str(docx_path)], env)
        pdf = docx_path.with_suffix(".pdf")
        if not pdf.is_file():
            print(f"LibreOffice reported success but wrote no PDF in {work}", file=sys.stderr)
            return 1
        print(f"converted to PDF with {Path(soffice).name} ({pdf.stat().st_size} bytes)")
        if args.pdf:
            shutil.copyfile(pdf, args.pdf)
            print(f"kept the PDF as {args.pdf}")

        pdftotext = shutil.which("pdftotext")
        if pdftotext:
            for line in page_numbers(pdf, pdftotext):
                print(line)
        _run([pdftoppm, "-png", "-r", str(args.resolution), str(pdf), str(work / "page")], env)
        # pdftoppm pads the page number to the width of the page count: sort numerically.
        pages = sorted(work.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        args.out.mkdir(parents=True, exist_ok=True)
        for old in args.out.glob(f"{PAGE_PREFIX}*.png"):
            old.unlink()
        for number, page in enumerate(pages, start=1):
            target = args.out / f"{PAGE_PREFIX}{number}.png"
            shutil.copyfile(page, target)
            print(f"page {number}: {target} ({target.stat().st_size // 1024} KB)")
    print(f"{len(pages)} page image(s) at {args.resolution} dpi in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
