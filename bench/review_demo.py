"""The review page of a small invented county, screenshotted for docs/aggregate-review.png.

`python bench/review_demo.py [OUT.png]`: 12 generated units for 2025 (one with an R1 error, one with a
待核对 cell, one published late), last year's county report from 12 units of 2024, an expected
unit that did not report; the page is rendered in headless Chromium.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _units import make_unit, write_units

from gkassist import store
from gkassist.aggregate import aggregate
from gkassist.model import PendingCell
from gkassist.review import review_html

AGENCY = "青禾县人民政府"


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        write_units(t / "2024", 12, year=2024, seed=11)
        last = aggregate([t / "2024"], AGENCY, processes=1).county
        units = t / "2025"
        write_units(units, 9, year=2025, seed=12)
        bad = make_unit(9, 2025, seed=12)
        bad.applications.set("public", "natural_person", (bad.applications.value("public", "natural_person") or 0) + 3)
        store.save_report(bad, units / "bad.json")
        unsure = make_unit(10, 2025, seed=12)
        unsure.applications.set("new", "commercial", None)
        unsure.draft.pending["t3.new.commercial"] = PendingCell(candidates=[1, 11], reason="印作“1 1”")
        store.save_report(unsure, units / "unsure.json")
        late = make_unit(11, 2025, seed=12)
        late.published = date(2026, 3, 2)
        store.save_report(late, units / "late.json")
        names = [store.load_report(p).agency.name for p in sorted(units.glob("*.json"))]
        rollup = aggregate([units], AGENCY, previous=last, expect=[*names, "望江镇人民政府"], processes=1)
        page = t / "审核.html"
        store.atomic_write_text(page, review_html(rollup), backup=False)
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        profile = t / "profile"
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={profile}", f"--screenshot={out.resolve()}", "--window-size=1280,1600",
                        page.as_uri()], check=True, capture_output=True, timeout=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "aggregate-review.png")
