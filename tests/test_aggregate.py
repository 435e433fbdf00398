"""County roll-up (`gkassist aggregate`): sums, problems a checker of many must see, H1, the review files.

Decision on the shared samples (documented here and in the README): they are three different years.
Aggregated for 2024, 淮安市人民政府 (2024, R1–R4 hold, no blank cell) is summed, 高平镇 (2021) and
沭阳县发改局 (2023) are listed as reports of another year. Aggregated for 2021, 高平镇's lost table-三
cells make it a unit with blank cells: left out unless --include-pending (then its blanks count as 0).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gkassist import format as fmt
from gkassist import store
from gkassist.aggregate import FIGURES, aggregate, read_report
from gkassist.checks import Severity, check
from gkassist.model import PendingCell
from gkassist.review import (
    PROBLEM_SHEET,
    SUM_SHEET,
    UNIT_HEADER,
    UNIT_SHEET,
    review_html,
    review_xlsx,
)

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
from _units import make_unit, write_units

AGENCY = "青禾县人民政府"
SAMPLE_FILES = ("2021_gaopingzhen.txt", "2023_shuyang-fagaiju.txt", "2024_huaian-shi.txt")


class _Sections(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.units: list[str] = []
        self.svg = 0
        self._in_h3 = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section" and "unit" in (a.get("class") or "").split():
            self.units.append("")
        if tag == "h3" and self.units:
            self._in_h3 = True
        if tag == "svg":
            self.svg += 1

    def handle_endtag(self, tag):
        if tag == "h3":
            self._in_h3 = False

    def handle_data(self, data):
        if self._in_h3 and self.units and not self.units[-1]:
            self.units[-1] = data


def _independent_sums(reports) -> tuple[dict[str, int], Decimal]:
    """Sums straight from the models (not through aggregate's figure table)."""
    sums: dict[str, int] = {}
    fee = Decimal(0)
    for r in reports:
        p = r.proactive
        for key in ("rules", "normative"):
            for col in ("issued", "repealed", "in_force"):
                sums[f"t2.{key}.{col}"] = sums.get(f"t2.{key}.{col}", 0) + (getattr(getattr(p, key), col) or 0)
        for key in ("licensing", "penalty", "enforcement"):
            sums[f"t2.{key}"] = sums.get(f"t2.{key}", 0) + (getattr(p, key) or 0)
        fee += p.fee or 0
        for row in fmt.ROW_KEYS:
            for col in fmt.COLUMN_KEYS:
                sums[f"t3.{row}.{col}"] = sums.get(f"t3.{row}.{col}", 0) + (r.applications.value(row, col) or 0)
        for block, _ in fmt.T4_BLOCKS:
            for col in fmt.OUTCOME_KEYS_T4:
                cid = f"t4.{block}.{col}"
                sums[cid] = sums.get(cid, 0) + (getattr(r.reviews.block(block), col) or 0)
    return sums, fee


@pytest.fixture
def mixed(tmp_path: Path, samples_dir: Path) -> Path:
    """Six generated 2024 units, one with an error in table 三, plus the three shared samples."""
    folder = tmp_path / "units"
    write_units(folder, 6, year=2024)
    bad = make_unit(6, 2024)
    bad.applications.set("new", "natural_person", (bad.applications.value("new", "natural_person") or 0) + 2)
    store.save_report(bad, folder / "bad.json")
    for name in SAMPLE_FILES:
        shutil.copy(samples_dir / name, folder / name)
    return folder


def test_sums_samples_and_generated_units(mixed: Path) -> None:
    rollup = aggregate([mixed], AGENCY, year=2024, processes=1)
    by_file = {Path(u.file).name: u for u in rollup.units}
    assert len(rollup.units) == 10
    # the samples: huaian summed; the other two are of another year and say so
    assert by_file["2024_huaian-shi.txt"].counted
    other = {p.unit for p in rollup.problems if p.kind == "other_year"}
    assert other == {"高平镇人民政府", "沭阳县发展和改革局"}
    counted_files = sorted(Path(u.file) for u in rollup.units if u.counted)
    assert len(counted_files) == 8  # 6 generated + bad.json + huaian
    sums, fee = _independent_sums(read_report(f) for f in counted_files)
    for f, value in zip(FIGURES, rollup.sums):
        assert value == sums[f.cid], f.cid
    assert rollup.fee_wan == fee.quantize(Decimal("0.0001"))
    county = rollup.county
    assert county.proactive.fee == fee.quantize(Decimal("0.0001"))
    assert county.applications.value("new", "natural_person") == sums["t3.new.natural_person"]
    assert county.reviews.review.upheld == sums["t4.review.upheld"]
    # the note of what was summed, typed in the answers file
    sources = {Path(s.file).name: s for s in county.draft.sources}
    assert sources["2024_huaian-shi.txt"].counted and not sources["2021_gaopingzhen.txt"].counted
    assert "2021" in sources["2021_gaopingzhen.txt"].reason
    # the narrative drafted by the library for a 县级人民政府
    assert county.agency.kind is fmt.AgencyKind.COUNTY_GOVERNMENT
    assert "我县" in county.overview.on_request and county.problems.problems and county.other.fee_statement


def test_r1_to_r4_hold_on_the_sum_of_valid_units(tmp_path: Path) -> None:
    write_units(tmp_path, 12, year=2025, seed=3)
    for p in tmp_path.glob("*.json"):
        assert not [f for f in check(store.load_report(p)) if f.rule in ("R1", "R2", "R3", "R4")]
    rollup = aggregate([tmp_path], AGENCY, processes=1)
    assert rollup.year == 2025 and len(rollup.counted) == 12 and not rollup.problems
    assert not [f for f in rollup.findings if f.rule in ("R1", "R2", "R3", "R4")]
    apps = rollup.county.applications
    for col in [*fmt.COLUMN_KEYS, "total"]:
        assert apps.cell("new", col) + apps.cell("carried", col) == apps.cell("total", col) + apps.cell("carry_next", col)


def test_two_workers_give_the_same_result(tmp_path: Path) -> None:
    write_units(tmp_path, 40, year=2025, seed=5)
    one = aggregate([tmp_path], AGENCY, processes=1)
    two = aggregate([tmp_path], AGENCY, processes=2)
    assert one.sums == two.sums and one.fee == two.fee
    assert [u.file for u in one.units] == [u.file for u in two.units]


def test_review_workbook_and_page(mixed: Path) -> None:
    from openpyxl import load_workbook

    rollup = aggregate([mixed], AGENCY, year=2024, processes=1)
    path = mixed.parent / "审核.xlsx"
    store.atomic_write_bytes(path, review_xlsx(rollup), backup=False)
    wb = load_workbook(path, read_only=True)
    rows = list(wb[UNIT_SHEET].iter_rows(values_only=True))
    assert rows[0] == UNIT_HEADER
    assert len(rows) == 1 + len(rollup.units)
    col_err, col_file = UNIT_HEADER.index("错误"), UNIT_HEADER.index("文件")
    for row in rows[1:]:
        expected = sum(1 for f in check(read_report(Path(row[col_file]))) if f.severity is Severity.ERROR)
        assert row[col_err] == expected, row[0]
    errors = {Path(r[col_file]).name: r[col_err] for r in rows[1:]}
    assert errors["bad.json"] >= 1 and errors["00000.json"] == 0 and errors["2021_gaopingzhen.txt"] >= 1
    sums = {r[1]: r[2] for r in wb[SUM_SHEET].iter_rows(min_row=2, values_only=True) if len(r) > 2 and r[1]}
    assert sums["t3.new.natural_person"] == rollup.sum_of("t3.new.natural_person")
    assert Decimal(str(sums["t2.fee"])) == rollup.fee_wan
    kinds = [r[0] for r in wb[PROBLEM_SHEET].iter_rows(min_row=2, values_only=True)]
    assert kinds.count("年度不符") == 2

    page = _Sections()
    page.feed(review_html(rollup))
    assert len(page.units) == len(rollup.units)
    assert set(page.units) == {u.name for u in rollup.units}
    assert page.units[0] == "高平镇人民政府"  # most 错误 first
    assert page.svg == 1  # no --previous: the per-unit chart only


def test_expect_missing_and_duplicate_exit_1(tmp_path: Path, cli) -> None:
    folder = tmp_path / "units"
    paths = write_units(folder, 4, year=2025)
    shutil.copy(paths[1], folder / "again.json")
    names = [store.load_report(p).agency.name for p in paths]
    expect = tmp_path / "名单.txt"
    expect.write_text("\n".join([*names[:3], "# 新设的镇", "望江镇人民政府", ""]), encoding="utf-8")
    out = tmp_path / "县.json"
    res = cli("aggregate", str(folder), "-o", str(out), "--agency", AGENCY, "--expect", str(expect),
                  "--review-html", str(tmp_path / "审核.html"))
    assert res.returncode == 1, res.stderr
    assert "望江镇人民政府" in res.stdout and "没有报告" in res.stdout
    assert "重复报送" in res.stdout and names[1] in res.stdout
    assert "不在名单中" in res.stdout and names[3] in res.stdout  # a unit outside the list: a note
    county = store.load_report(out)
    assert sum(s.counted for s in county.draft.sources) == 3  # both copies of the duplicate left out
    assert (tmp_path / "审核.html").read_text(encoding="utf-8").count('<section class="unit') == 5


def test_clean_run_exits_0(tmp_path: Path, cli) -> None:
    write_units(tmp_path / "units", 3, year=2025)
    units = tmp_path / "units"
    # a previous run wrote its outputs into the units' folder: this run must not read them back
    stale = aggregate([units], AGENCY, processes=1).county
    stale.applications.set("public", "natural_person", 999)
    store.save_report(stale, units / "县.json")
    res = cli("aggregate", str(units), "-o", str(units / "县.json"), "--agency", AGENCY,
              "--review", str(units / "审核.xlsx"))
    assert res.returncode == 0, res.stdout + res.stderr
    assert "收到 3 份报告，3 份计入 2025 年合计" in res.stdout and "H1" not in res.stdout
    assert store.load_report(units / "县.json").applications.value("public", "natural_person") != 999


def test_h1_one_cell_off(tmp_path: Path, cli) -> None:
    folder = tmp_path / "units"
    write_units(folder, 5, year=2025)
    county = aggregate([folder], AGENCY, processes=1).county
    county.applications.set("public", "commercial", (county.applications.value("public", "commercial") or 0) + 1)
    published = tmp_path / "县已发布.json"
    store.save_report(county, published)
    # given as --check-against
    res = aggregate([folder], AGENCY, check_against=read_report(published), processes=1)
    assert len(res.h1) == 1
    f = res.h1[0]
    assert f.rule == "H1" and "（一）予以公开" in f.location and "商业企业" in f.location
    assert "相差 +1" in f.message and [p.kind for p in res.problems] == ["H1"]
    # among the sources (same agency name): not summed as a unit, compared instead
    shutil.copy(published, folder / "县.json")
    res2 = aggregate([folder], AGENCY, processes=1)
    assert len(res2.units) == 5 and [f.location for f in res2.h1] == [f.location]
    # and on the command line: exit 1, the cell named
    run = cli("aggregate", str(folder), "-o", str(tmp_path / "out.json"), "--agency", AGENCY)
    assert run.returncode == 1 and "（一）予以公开 / 商业企业" in run.stdout


def test_pending_unit_left_out_unless_included(tmp_path: Path) -> None:
    folder = tmp_path / "units"
    write_units(folder, 3, year=2025)
    unsure = make_unit(3, 2025)
    unsure.applications.set("public", "natural_person", None)
    unsure.draft.pending["t3.public.natural_person"] = PendingCell(candidates=[4, 40], reason="印作“4 0”")
    store.save_report(unsure, folder / "unsure.json")
    res = aggregate([folder], AGENCY, processes=1)
    assert [p.kind for p in res.problems] == ["pending"] and res.blocking
    assert unsure.agency.name in res.problems[0].message and "--include-pending" in res.problems[0].message
    assert len(res.counted) == 3
    inc = aggregate([folder], AGENCY, include_pending=True, processes=1)
    assert len(inc.counted) == 4 and not inc.blocking and [p.kind for p in inc.problems] == ["included"]
    assert inc.sum_of("t3.new.natural_person") == res.sum_of("t3.new.natural_person") + (
        unsure.applications.value("new", "natural_person") or 0)


def test_gaopingzhen_lost_cells_excluded_unless_included(tmp_path: Path, samples_dir: Path) -> None:
    shutil.copy(samples_dir / "2021_gaopingzhen.txt", tmp_path / "2021_gaopingzhen.txt")
    write_units(tmp_path / "u", 2, year=2021)
    res = aggregate([tmp_path], AGENCY, year=2021, processes=1)
    gp = next(u for u in res.units if u.agency == "高平镇人民政府")
    assert not gp.counted and "待核对或空白" in gp.reason
    assert "t3.public.natural_person" in gp.pending
    inc = aggregate([tmp_path], AGENCY, year=2021, include_pending=True, processes=1)
    assert next(u for u in inc.units if u.agency == "高平镇人民政府").counted


def test_previous_gives_carried_and_chart(tmp_path: Path) -> None:
    write_units(tmp_path / "2024", 4, year=2024, seed=1)
    write_units(tmp_path / "2025", 4, year=2025, seed=2)
    last = aggregate([tmp_path / "2024"], AGENCY, processes=1).county
    res = aggregate([tmp_path / "2025"], AGENCY, previous=last, processes=1)
    for col in fmt.COLUMN_KEYS:
        assert res.county.applications.value("carried", col) == last.applications.value("carry_next", col)
    assert res.county.draft.last_year is not None and res.county.draft.last_year.year == 2024
    page = _Sections()
    page.feed(review_html(res))
    assert page.svg == 2


def test_review_page_in_headless_chromium(tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if chromium is None:
        pytest.skip("没有安装 Chromium（chromium / chromium-browser 不在 PATH 上），无法在浏览器里打开审核网页")
    write_units(tmp_path / "u", 4, year=2025)
    res = aggregate([tmp_path / "u"], AGENCY, processes=1)
    page = tmp_path / "审核.html"
    store.atomic_write_text(page, review_html(res), backup=False)
    with tempfile.TemporaryDirectory() as profile:
        out = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                              "--no-first-run", "--disable-background-networking", "--disable-component-update",
                              "--disable-sync", f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
                             capture_output=True, text=True, encoding="utf-8", timeout=60, check=False)
    dom = out.stdout
    assert dom.count('<section class="unit') == 4, out.stderr[-500:]
    assert "<svg" in dom and res.units[0].agency in dom


async def test_app_start_screen_rolls_up_a_folder(workspace: Path, tmp_path: Path) -> None:
    from gkassist.tui.app import make_app
    from gkassist.tui.chat import ChatScreen
    from gkassist.tui.rollup import RollupDialog

    folder = tmp_path / "各单位"
    write_units(folder, 5, year=2025)
    app = make_app(workspace=workspace)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, RollupDialog)
        app.screen.query_one("#rollup-folder").value = str(folder)
        await pilot.press("enter")
        app.screen.query_one("#rollup-agency").value = AGENCY
        await pilot.press("enter")
        for _ in range(600):  # the units are read in a thread; wait (up to 30 s under load) for the draft
            await pilot.pause(0.05)
            if isinstance(app.screen, ChatScreen):
                break
        assert isinstance(app.screen, ChatScreen)
        report = app.session.report

        shown = " ".join(str(t.render()) for t in app.screen.turns)
    assert report.agency.name == AGENCY and report.year == 2025
    assert sum(s.counted for s in report.draft.sources) == 5
    saved = store.load_report(app.session.path)
    assert saved.applications.value("new", "natural_person") == report.applications.value("new", "natural_person")
    assert (workspace / f"{app.session.path.stem}-审核.html").is_file()
    assert (workspace / f"{app.session.path.stem}-审核.xlsx").is_file()
    assert "已汇总 5 份单位报告" in shown and "5 份计入 2025 年合计" in shown  # the review summary
    assert "没有缺报、重复报送" in shown


def test_ctrl_c_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from gkassist import aggregate as agg
    from gkassist import cli as cli_module

    write_units(tmp_path / "u", 5, year=2025)
    real, seen = agg.summarise_file, []

    def interrupted(name: str):
        seen.append(name)
        if len(seen) == 3:
            raise KeyboardInterrupt
        return real(name)

    monkeypatch.setattr(agg, "summarise_file", interrupted)
    out = tmp_path / "县.json"
    code = cli_module.main(["aggregate", str(tmp_path / "u"), "-o", str(out), "--agency", AGENCY,
                            "--review", str(tmp_path / "审核.xlsx"), "--review-html", str(tmp_path / "审核.html")])
    assert code == 130 and len(seen) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["u"]  # no county draft, no review, no temp file
