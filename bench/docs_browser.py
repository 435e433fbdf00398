"""Docs script and browser probe: the HTML report and its portal fragment in headless Chromium.

    python bench/docs_browser.py [--out docs] [--width 900]

Writes into docs/:
- `browser-page-N.png`: the full HTML page (`render --format html`) as Chromium draws it, cut
  into screen-sized pieces;
- `browser-fragment-N.png`: the body-only fragment (`render --format html --fragment`) after it
  was pasted (`document.execCommand('insertHTML')`) into a `contenteditable` box on a page whose
  own style is a portal editor's (sans-serif, 14 px, no indent) — what a clerk sees in the CMS.
It also prints what the layout probe measured. `tests/test_browser.py` uses the probes below
(`table_three_layout`, `pasted_styles`) to check, in the browser, that every table-三 cell sits in
its official row and column and that the pasted fragment keeps its fonts and indents.

Needs `chromium` (Debian package) on PATH; without it the script says so and exits with status 1.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(ROOT))

from gkassist import format as fmt
from gkassist.model import Report
from gkassist.render import render_text
from gkassist.render.context import build_report_context

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--force-device-scale-factor=1", "--disable-extensions",
         "--mute-audio", "--no-default-browser-check")
RESULT_ID = "gk-probe-result"
# A portal editor's own look: what pasted content falls back to when it carries no style itself.
EDITOR_CSS = ("body { font-family: Arial, sans-serif; font-size: 14px; line-height: 1.4; margin: 16px; "
              "background: #f4f4f4; } .editor { background: #fff; border: 1px solid #999; padding: 12px; "
              "max-width: 820px; margin: 0 auto; } .editor p, .editor h1, .editor h2, .editor h3 "
              "{ text-indent: 0; } .bar { max-width: 846px; margin: 0 auto; background: #ddd; "
              "border: 1px solid #999; border-bottom: 0; padding: 4px 12px; font-size: 12px; }")


def find_chromium() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


class BrowserError(RuntimeError):
    """Chromium did not produce what was asked (with its stderr)."""


def _run(chromium: str, args: list[str], *, timeout: float = 90) -> str:
    with tempfile.TemporaryDirectory(prefix="gk-chromium-") as profile:
        env = {**os.environ, "HOME": profile}  # no writes to the user's own profile or cache
        command = [chromium, *FLAGS, f"--user-data-dir={profile}", *args]
        try:
            done = subprocess.run(command, check=False, capture_output=True, text=True, encoding="utf-8",
                                  errors="replace", timeout=timeout, env=env)
        except subprocess.TimeoutExpired as exc:
            raise BrowserError(f"chromium did not finish within {timeout} s") from exc
    if done.returncode != 0:
        raise BrowserError(f"chromium exited {done.returncode}: {done.stderr.strip()[-2000:]}")
    return done.stdout


def dump_dom(chromium: str, page: str) -> str:
    """Load `page` (HTML text) from a file, run its scripts, return the DOM as serialised after load."""
    with tempfile.TemporaryDirectory(prefix="gk-page-") as tmp:
        path = Path(tmp) / "page.html"
        path.write_text(page, encoding="utf-8")
        return _run(chromium, ["--virtual-time-budget=5000", "--dump-dom", path.as_uri()])


def screenshot(chromium: str, page: str, out: Path, *, width: int, height: int) -> None:
    with tempfile.TemporaryDirectory(prefix="gk-page-") as tmp:
        path = Path(tmp) / "page.html"
        path.write_text(page, encoding="utf-8")
        shot = Path(tmp) / "shot.png"
        _run(chromium, ["--virtual-time-budget=5000", f"--window-size={width},{height}",
                        f"--screenshot={shot}", path.as_uri()])
        if not shot.is_file():
            raise BrowserError("chromium reported success but wrote no screenshot")
        shutil.copyfile(shot, out)


# ------------------------------------------------------------------ probes (a script writes JSON into the DOM)


def _with_script(page: str, script: str) -> str:
    tag = f'<pre id="{RESULT_ID}"></pre>\n<script>\n{script}\n</script>\n'
    if "</body>" in page:
        return page.replace("</body>", tag + "</body>", 1)
    return page + tag


def _js(value: object) -> str:
    """A JSON literal safe inside <script> (no `</script>` can end it early)."""
    return json.dumps(value, ensure_ascii=False).replace("</", "<\\/")


def _result(dom: str) -> dict:
    found = re.search(rf'<pre id="{RESULT_ID}">(.*?)</pre>', dom, re.DOTALL)
    if not found or not found.group(1).strip():
        raise BrowserError("the probe script wrote no result (did it throw?)")
    return json.loads(html.unescape(found.group(1)))


_OUT = f"function out(v) {{ document.getElementById({_js(RESULT_ID)}).textContent = JSON.stringify(v); }}"

_LAYOUT_JS = _OUT + """
(function () {
  const header = %s;
  const table = Array.from(document.querySelectorAll('table')).find(t => t.textContent.includes(header));
  if (!table) { out({error: 'no table 三'}); return; }
  const cells = Array.from(table.querySelectorAll('th, td')).map(c => {
    const r = c.getBoundingClientRect();
    return {text: c.textContent.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            width: r.width, height: r.height};
  });
  out({cells: cells, height: document.documentElement.scrollHeight});
})();
"""


@dataclass(frozen=True)
class Placed:
    """A cell where the browser drew it, in grid terms."""

    text: str
    row: int
    col: int
    rowspan: int
    colspan: int


def _edges(values: list[float], tolerance: float = 2.0) -> list[float]:
    """Distinct grid lines from many cell edges: edges closer than `tolerance` px are one line."""
    lines: list[float] = []
    for v in sorted(values):
        if not lines or v - lines[-1] > tolerance:
            lines.append(v)
    return lines


def _index(lines: list[float], v: float) -> int:
    return min(range(len(lines)), key=lambda i: abs(lines[i] - v))


def table_three_layout(chromium: str, page: str) -> tuple[list[Placed], int, int]:
    """Every cell of table 三 as the browser laid it out: (cells, rows, columns) of the drawn grid."""
    data = _result(dump_dom(chromium, _with_script(page, _LAYOUT_JS % _js(fmt.T3_HEADER))))
    if "error" in data:
        raise BrowserError(data["error"])
    cells = data["cells"]
    if any(c["width"] <= 0 or c["height"] <= 0 for c in cells):
        raise BrowserError("a table-三 cell was not drawn (zero size)")
    xs = _edges([c["left"] for c in cells] + [c["right"] for c in cells])
    ys = _edges([c["top"] for c in cells] + [c["bottom"] for c in cells])
    placed = []
    for c in cells:
        row, col = _index(ys, c["top"]), _index(xs, c["left"])
        placed.append(Placed(c["text"], row, col, _index(ys, c["bottom"]) - row, _index(xs, c["right"]) - col))
    return sorted(placed, key=lambda p: (p.row, p.col)), len(ys) - 1, len(xs) - 1


def official_table_three(report: Report) -> list[Placed]:
    """Where every cell of table 三 belongs in the official layout (from the render context's Grid)."""
    grid = build_report_context(report).application_grid
    return sorted((Placed(cell.text, r, c, cell.rowspan, cell.colspan)
                   for r, row in enumerate(grid.placed()) for c, cell in row), key=lambda p: (p.row, p.col))


_PASTE_JS = _OUT + """
(function () {
  const fragment = %s;
  const reference = document.createElement('div');
  reference.innerHTML = fragment;
  document.getElementById('gk-reference').appendChild(reference);
  const editor = document.getElementById('gk-editor');
  editor.focus();
  const selection = window.getSelection();
  selection.selectAllChildren(editor);
  selection.collapseToEnd();
  const inserted = document.execCommand('insertHTML', false, fragment);
  function sample(root) {
    const pick = sel => Array.from(root.querySelectorAll(sel)).map(e => {
      const s = getComputedStyle(e);
      return {text: e.textContent.trim().slice(0, 24), fontFamily: s.fontFamily, fontSize: s.fontSize,
              textIndent: s.textIndent, textAlign: s.textAlign, lineHeight: s.lineHeight,
              fontWeight: s.fontWeight, borderTop: s.borderTopStyle};
    });
    return {h1: pick('h1'), h2: pick('h2'), h3: pick('h3'), p: pick('p'), th: pick('th'), td: pick('td'),
            spans: Array.from(root.querySelectorAll('[rowspan], [colspan]'))
              .map(e => (e.getAttribute('rowspan') || '1') + 'x' + (e.getAttribute('colspan') || '1'))};
  }
  out({inserted: inserted, reference: sample(reference), pasted: sample(editor),
       classes: editor.querySelectorAll('[class]').length, styles: editor.querySelectorAll('style').length,
       height: document.documentElement.scrollHeight});
})();
"""


def editor_page(title: str, body: str = "", *, reference: bool = True) -> str:
    """A stand-in for a portal's rich-text editor: its own CSS, a toolbar, a contenteditable box."""
    hidden = '<div id="gk-reference" style="display: none"></div>' if reference else ""
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{EDITOR_CSS}</style></head>\n<body>\n"
            '<div class="bar">门户网站编辑器（示意）：正文框中的内容由网页片段粘贴而来</div>\n'
            f'<div id="gk-editor" class="editor" contenteditable="true">{body}</div>\n{hidden}\n</body></html>\n')


def pasted_styles(chromium: str, fragment: str) -> dict:
    """Paste `fragment` into a contenteditable box in Chromium; computed styles before and after."""
    page = _with_script(editor_page("paste probe"), _PASTE_JS % _js(fragment))
    # the reference copy must be laid out for getComputedStyle to mean the same: show it
    page = page.replace('<div id="gk-reference" style="display: none"></div>', '<div id="gk-reference"></div>')
    return _result(dump_dom(chromium, page))


def pasted_page(fragment: str) -> str:
    """The editor page with the fragment pasted by script (for the screenshot)."""
    script = f"""
const editor = document.getElementById('gk-editor');
editor.focus();
document.execCommand('insertHTML', false, {_js(fragment)});
window.getSelection().removeAllRanges();
editor.blur();
"""
    return editor_page("网页片段粘贴到编辑器后的样子", reference=False).replace(
        "</body>", f"<script>{script}</script>\n</body>", 1)


# ------------------------------------------------------------------ docs


def _page_height(chromium: str, page: str) -> int:
    script = _OUT + "\nout({height: document.documentElement.scrollHeight});"
    return int(_result(dump_dom(chromium, _with_script(page, script)))["height"])


def _cut(image: Path, out: Path, prefix: str, piece: int) -> list[Path]:
    """The tall screenshot cut into `piece`-high PNGs (one long image is hard to look at)."""
    for old in out.glob(f"{prefix}*.png"):
        old.unlink()
    try:
        from PIL import Image
    except ImportError:  # no Pillow: keep one tall image
        target = out / f"{prefix}1.png"
        shutil.copyfile(image, target)
        return [target]
    written = []
    with Image.open(image) as im:
        for n, top in enumerate(range(0, im.height, piece), start=1):
            target = out / f"{prefix}{n}.png"
            part = im.crop((0, top, im.width, min(im.height, top + piece))).convert("RGB")
            # black text on white: 64 shades keep it crisp at a third of the size
            part.quantize(colors=64).save(target, optimize=True)
            written.append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where the PNGs go")
    parser.add_argument("--width", type=int, default=900, help="browser window width in px")
    parser.add_argument("--piece", type=int, default=1400, help="height of each PNG in px")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if not chromium:
        print("Cannot make the browser images: chromium not found on PATH.\n"
              "On Debian/Ubuntu: apt-get install -y chromium", file=sys.stderr)
        return 1
    from gkassist.example import example_report

    report = example_report()
    page = render_text(report, "html")
    fragment = render_text(report, "html", fragment=True)
    cells, rows, cols = table_three_layout(chromium, page)
    wrong = sorted(set(official_table_three(report)) ^ set(cells), key=lambda p: (p.row, p.col))
    print(f"table 三 in {Path(chromium).name}: {len(cells)} cells on a {rows} × {cols} grid; "
          f"{'every cell in its official row and column' if not wrong else f'{len(wrong)} misplaced: {wrong[:4]}'}")
    styles = pasted_styles(chromium, fragment)
    print(f"fragment pasted into contenteditable: insertHTML={styles['inserted']}, "
          f"{len(styles['pasted']['p'])} paragraphs, first indent {styles['pasted']['p'][0]['textIndent']}, "
          f"font {styles['pasted']['p'][0]['fontFamily'][:40]}…, classes={styles['classes']}")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gk-shots-") as tmp:
        for prefix, shown in (("browser-page-", page), ("browser-fragment-", pasted_page(fragment))):
            height = _page_height(chromium, shown) + 40
            shot = Path(tmp) / f"{prefix}full.png"
            screenshot(chromium, shown, shot, width=args.width, height=height)
            for target in _cut(shot, args.out, prefix, args.piece):
                print(f"{target} ({target.stat().st_size // 1024} KB)")
    return 0 if not wrong else 1


if __name__ == "__main__":
    sys.exit(main())
