"""County roll-up: read every unit's report, check each, and draft the county's report from their sum.

`aggregate` is the whole job and returns data (`Rollup`); it reads the sources but writes nothing —
the CLI and the app save the county draft and the review files through `store`. Reports are read
and checked in worker processes (both cores) and come back as compact `UnitRow`s (figures as a
tuple, findings as short lines), never as whole `Report` objects, so a province-sized folder fits
in memory. Tables 二, 三 and 四 are summed over the units that count; the fee in 万元 exactly, with
four decimals. What a checker of many units must see is listed as `Problem`s: units expected but
absent, two reports of one unit, a report of another year, a unit with 待核对 or blank cells (left
out unless the user includes them), unreadable files, and rule H1 — the county's own published
figures against the sum of its units'.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from gkassist import format as fmt
from gkassist import store
from gkassist.checks import Finding, Severity, check
from gkassist.errors import GkError
from gkassist.model import (
    Agency,
    ApplicantRow,
    DraftState,
    LastYear,
    OutcomeCounts,
    Report,
    RollupSource,
)

__all__ = [
    "FIGURES",
    "H1",
    "Figure",
    "Problem",
    "Rollup",
    "UnitRow",
    "aggregate",
    "collect_sources",
    "fee_of",
    "figures_of",
    "read_expect",
    "read_report",
    "summarise",
]

H1 = "H1"
SUFFIXES = (".json", ".txt", ".md", ".html", ".htm", ".mht", ".mhtml", ".docx", ".pdf", ".xlsx")
"""File kinds a folder is searched for; anything else in it (.bak, pictures) is left alone."""
FEE_CID = "t2.fee"
FEE_SCALE = 10_000  # the fee is kept as a whole number of 1/10000 万元, so sums are exact
T2 = "表二"
T3 = "表三"
T4 = "表四"

Progress = Callable[[int, int], None]
"""Called as progress(done, total) while the units are read and checked."""


# ------------------------------------------------------------------ the figures that are summed


@dataclass(frozen=True)
class Figure:
    """One entered figure of tables 二, 三 and 四 (derived totals are not stored, so not summed)."""

    cid: str
    """Cell id as `model.cell_id` makes it (t3.new.natural_person)."""
    location: str
    """Where it is, in the report's own words (表三 一、本年新收… / 自然人)."""
    path: tuple[str, ...]
    """Attribute path from the Report."""


def _figures() -> tuple[Figure, ...]:
    out: list[Figure] = []
    t2_col = {"issued": fmt.COL_ISSUED, "repealed": fmt.COL_REPEALED, "in_force": fmt.COL_IN_FORCE}
    for key, label in (("rules", fmt.ROW_RULES), ("normative", fmt.ROW_NORMATIVE)):
        for col, clabel in t2_col.items():
            out.append(Figure(f"t2.{key}.{col}", f"{T2} {label} / {clabel}", ("proactive", key, col)))
    for key, label in (("licensing", fmt.ROW_LICENSING), ("penalty", fmt.ROW_PENALTY),
                       ("enforcement", fmt.ROW_ENFORCEMENT)):
        out.append(Figure(f"t2.{key}", f"{T2} {label} / {fmt.COL_DECISIONS}", ("proactive", key)))
    for row in fmt.T3_ROWS:
        for col in fmt.COLUMN_KEYS:
            out.append(Figure(f"t3.{row.key}.{col}", f"{T3} {row.location} / {fmt.COLUMN_LABEL[col]}",
                              ("applications", "rows", row.key, col)))
    for block, label in fmt.T4_BLOCKS:
        where = label if block == "review" else f"{fmt.LITIGATION} {label}"
        for col in fmt.OUTCOME_KEYS_T4:
            out.append(Figure(f"t4.{block}.{col}", f"{T4} {where} / {fmt.OUTCOME_LABEL[col]}",
                              ("reviews", block, col)))
    return tuple(out)


FIGURES: tuple[Figure, ...] = _figures()
"""Every whole-number figure that is summed, in table order; the fee is kept apart (`fee_of`)."""
FEE_LOCATION = f"{T2} {fmt.ROW_FEE} / {fmt.COL_FEE}"
_INDEX = {f.cid: i for i, f in enumerate(FIGURES)}


# `FIGURES` grouped by the model object that holds them, in `FIGURES` order (table 二, 三, 四):
# `figures_of` runs once per unit, so it reads each object's fields straight from its __dict__
# (a model's __dict__ holds exactly its fields: extra="forbid").
_T2_SCALARS = tuple(f.path[1] for f in FIGURES if f.path[0] == "proactive" and len(f.path) == 2)
_T2_ROWS = tuple(dict.fromkeys(f.path[1] for f in FIGURES if f.path[0] == "proactive" and len(f.path) == 3))
_T2_COLS = ("issued", "repealed", "in_force")
_T3_ROWS = tuple(dict.fromkeys(f.path[2] for f in FIGURES if f.path[0] == "applications"))
_T4_BLOCKS = tuple(dict.fromkeys(f.path[1] for f in FIGURES if f.path[0] == "reviews"))
assert tuple(f.path for f in FIGURES) == (
    *(("proactive", k, c) for k in _T2_ROWS for c in _T2_COLS),
    *(("proactive", k) for k in _T2_SCALARS),
    *(("applications", "rows", r, c) for r in _T3_ROWS for c in fmt.COLUMN_KEYS),
    *(("reviews", b, c) for b in _T4_BLOCKS for c in fmt.OUTCOME_KEYS_T4)), "FIGURES order changed"


def figures_of(report: Report) -> tuple[int | None, ...]:
    """The report's figures in `FIGURES` order, None for a blank cell."""
    p, rows, rv = report.proactive, report.applications.rows, report.reviews
    out: list[int | None] = []
    for key in _T2_ROWS:
        d = getattr(p, key).__dict__
        out += [d[c] for c in _T2_COLS]
    pd = p.__dict__
    out += [pd[k] for k in _T2_SCALARS]
    for key in _T3_ROWS:
        d = rows[key].__dict__
        out += [d[c] for c in fmt.COLUMN_KEYS]
    for key in _T4_BLOCKS:
        d = getattr(rv, key).__dict__
        out += [d[c] for c in fmt.OUTCOME_KEYS_T4]
    return tuple(out)


def fee_of(report: Report) -> int | None:
    """The fee in 1/10000 万元 (exact; the model allows four decimals), None when blank."""
    fee = report.proactive.fee
    return None if fee is None else int(fee * FEE_SCALE)


def fee_decimal(units: int | None) -> Decimal | None:
    return None if units is None else (Decimal(units) / FEE_SCALE).quantize(Decimal("0.0001"))


# ------------------------------------------------------------------ one unit, as a compact row


@dataclass(slots=True)
class UnitRow:
    """What the roll-up keeps of one unit's report: its figures, its findings in words, its dates."""

    file: str
    agency: str = ""
    kind: str = ""
    year: int | None = None
    published: date | None = None
    deadline: date | None = None
    figures: tuple[int | None, ...] = ()
    fee: int | None = None
    errors: int = 0
    warnings: int = 0
    findings: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()
    """Cell ids the import marked 待核对 (report.draft.pending) and cells left blank."""
    failure: str = ""
    """Why the file could not be read, in Chinese; "" when it was."""
    counted: bool = False
    reason: str = ""
    """Why it is not in the sums (or is, with blank cells), in Chinese."""

    @property
    def on_time(self) -> bool | None:
        """Published by its deadline (条例 第四十九条); None when the date or the year is unknown."""
        if self.published is None or self.deadline is None:
            return None
        return self.published <= self.deadline

    @property
    def name(self) -> str:
        return self.agency or Path(self.file).name

    def figure(self, cid: str) -> int | None:
        return self.figures[_INDEX[cid]] if self.figures else None

    @property
    def applications(self) -> int:
        """本年新收 总计 (blank cells as 0)."""
        return sum(self.figure(f"t3.new.{c}") or 0 for c in fmt.COLUMN_KEYS) if self.figures else 0


def _deadline(report: Report) -> date | None:
    if report.year is None or report.agency.kind is None:
        return None
    month, day = fmt.DEADLINE.get(report.agency.kind, fmt.DEFAULT_DEADLINE)
    return date(report.year + 1, month, day)


def _finding_line(f: Finding) -> str:
    return f"[{f.rule}] {f.severity.value} {f.location}：{f.message}"


def summarise(report: Report, file: str) -> UnitRow:
    """Check a report and keep the compact row the roll-up needs."""
    findings = check(report)
    figures = figures_of(report)
    fee = fee_of(report)
    marked = report.draft.pending
    pending = list(marked)
    if None in figures:
        pending += [f.cid for f, v in zip(FIGURES, figures) if v is None and f.cid not in marked]
    if fee is None and FEE_CID not in report.draft.pending:
        pending.append(FEE_CID)
    return UnitRow(
        file=file, agency=report.agency.name.strip(), kind=report.agency.kind.value if report.agency.kind else "",
        year=report.year, published=report.published, deadline=_deadline(report),
        figures=figures, fee=fee,
        errors=sum(1 for f in findings if f.severity is Severity.ERROR),
        warnings=sum(1 for f in findings if f.severity is Severity.WARNING),
        findings=tuple(_finding_line(f) for f in findings if f.severity is not Severity.INFO),
        pending=tuple(pending),
    )


def read_report(path: Path) -> Report:
    """A unit's report from any file the project reads: an answers file (JSON) or a published
    report through `importers.import_file`. GkError (naming the file) when it cannot be read."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise GkError(f"无法读取 {path}：{exc.strerror or exc}。", path=str(path)) from None
        if len(raw) > store.MAX_ANSWERS_BYTES:
            raise GkError(f"{path} 太大了，不像是 gkassist 的答案文件，已跳过。", path=str(path))
        try:
            return Report.model_validate_json(raw)  # the fast path: one pass in pydantic-core
        except ValidationError:
            return store.parse_report(raw, name=str(path))  # the slow path says, in Chinese, what is wrong
    from gkassist.importers import import_file

    return import_file(path).report


def summarise_file(file: str) -> UnitRow:
    """Worker: read → check → compact row. A file that cannot be read becomes a row saying why."""
    try:
        report = read_report(Path(file))
    except GkError as exc:
        return UnitRow(file=file, failure=exc.message)
    return summarise(report, file)


def _worker_init() -> None:
    # Ctrl+C reaches the whole process group; the parent alone decides to stop, workers just end.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# ------------------------------------------------------------------ sources


def collect_sources(sources: Iterable[Path], skip: Iterable[Path] = ()) -> list[Path]:
    """The files to read: files as given, folders searched (with their sub-folders) for report files;
    `skip` are files never read (the roll-up's own outputs, when written into the units' folder)."""
    files: list[tuple[Path, Path]] = []  # (as found, real path)
    for src in sources:
        src = Path(src)
        if src.is_dir():
            files.extend(sorted(_folder_files(src), key=lambda pair: pair[0]))
        elif src.is_file():
            files.append((src, src.resolve()))
        else:
            raise GkError(f"找不到 {src}。请检查路径（可以给文件，也可以给文件夹）。", path=str(src))
    seen: set[Path] = {Path(p).resolve() for p in skip}
    unique = []
    for f, key in files:
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique


def _folder_files(folder: Path) -> Iterator[tuple[Path, Path]]:
    """Report files under `folder` (sub-folders included, as `Path.rglob` finds them) with their real paths.

    A province's folder holds tens of thousands of files: each folder's real path is worked out once
    and each file's from it (a linked file alone is resolved itself), and the directory listing says
    what is a file without a stat per file.
    """
    for dirpath, _dirs, _names in os.walk(folder):
        real_dir = Path(dirpath).resolve()
        with os.scandir(dirpath) as entries:
            for entry in entries:
                name = entry.name
                if (os.path.splitext(name)[1].lower() not in SUFFIXES or name.startswith((".", "~$"))
                        or not entry.is_file()):
                    continue
                path = Path(dirpath, name)
                yield path, (path.resolve() if entry.is_symlink() else real_dir / name)


def read_expect(path: Path) -> list[str]:
    """The list of units expected to report: one full name a line; blank lines and # notes ignored."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise GkError(f"无法读取单位名单 {path}：{exc}。名单应为 UTF-8 文本，每行一个单位全称。",
                      path=str(path)) from None
    names = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    return [n for n in names if n]


def _key(name: str) -> str:
    """Names compare without spaces; 某某镇 and 某某镇人民政府 are the same unit."""
    return "".join(name.split()).removesuffix("人民政府")


# ------------------------------------------------------------------ the result


@dataclass(frozen=True)
class Problem:
    """Something the office must act on before the county report is right."""

    kind: str
    """A key of `PROBLEM_KINDS`: missing, duplicate, other_year, pending, unreadable, H1, carried, included, unlisted."""
    unit: str
    message: str
    blocking: bool = True
    """False for a note the user asked for (a unit included with blank cells): no exit code 1."""


PROBLEM_KINDS = {
    "missing": "未报送", "duplicate": "重复报送", "other_year": "年度不符", "pending": "待核对未计入",
    "unreadable": "无法读取", "H1": "H1 与各单位合计不符", "carried": "上年结转不一致",
    "included": "含待核对已计入", "unlisted": "不在名单中",
}


@dataclass
class Rollup:
    """Everything `aggregate` found: the county draft, one row per unit, the sums and the problems."""

    county: Report
    units: list[UnitRow]
    sums: tuple[int, ...]
    fee: int
    year: int
    problems: list[Problem] = field(default_factory=list)
    h1: list[Finding] = field(default_factory=list)
    own: list[UnitRow] = field(default_factory=list)
    """The county's own published report(s) found among the sources or given with --check-against."""
    previous: tuple[int | None, ...] | None = None
    """Last year's county figures (from --previous), for the review's this-year-against-last chart."""
    findings: list[Finding] = field(default_factory=list)
    """`check` on the county draft."""

    @property
    def blocking(self) -> list[Problem]:
        return [p for p in self.problems if p.blocking]

    @property
    def counted(self) -> list[UnitRow]:
        return [u for u in self.units if u.counted]

    def sum_of(self, cid: str) -> int:
        return self.sums[_INDEX[cid]]

    @property
    def fee_wan(self) -> Decimal:
        return fee_decimal(self.fee) or Decimal("0.0000")


# ------------------------------------------------------------------ reading every unit


def _rows(files: Sequence[Path], progress: Progress | None, processes: int | None) -> Iterator[UnitRow]:
    total = len(files)
    names = [str(f) for f in files]
    workers = processes if processes is not None else min(os.cpu_count() or 1, 8)
    if workers <= 1 or total < 16:
        for i, name in enumerate(names, 1):
            yield summarise_file(name)
            if progress:
                progress(i, total)
        return
    chunk = max(1, min(64, total // (workers * 8)))
    ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
    pool = ctx.Pool(workers, initializer=_worker_init)
    try:
        for i, row in enumerate(pool.imap(summarise_file, names, chunksize=chunk), 1):
            yield row
            if progress:
                progress(i, total)
        pool.close()
    except BaseException:
        pool.terminate()  # Ctrl+C or an error: stop the workers now, keep nothing half-done
        raise
    finally:
        pool.join()


def aggregate(sources: Iterable[Path], agency: str, *, year: int | None = None,
              expect: Sequence[str] | None = None, previous: Report | None = None,
              check_against: Report | None = None, include_pending: bool = False,
              kind: fmt.AgencyKind = fmt.AgencyKind.COUNTY_GOVERNMENT,
              progress: Progress | None = None, processes: int | None = None,
              skip: Iterable[Path] = (), workspace: Path | None = None) -> Rollup:
    """Read, check and sum the units' reports; draft the county report. Writes nothing."""
    agency = agency.strip()
    if not agency:
        raise GkError("请用 --agency 给出汇总后报告的机关全称，例如 --agency 某某县人民政府。")
    files = collect_sources(sources, skip)
    if not files:
        raise GkError("给出的文件夹里没有可读的报告文件（.json、.txt、.html、.docx、.pdf、.xlsx）。")
    own_key = _key(agency)
    units: list[UnitRow] = []
    own: list[UnitRow] = []
    for row in _rows(files, progress, processes):
        (own if row.agency and _key(row.agency) == own_key else units).append(row)
    if check_against is not None:
        own.append(summarise(check_against, check_against.printed.source if check_against.printed
                             and check_against.printed.source else "--check-against"))

    readable = [u for u in units if not u.failure]
    if year is None:
        years = Counter(u.year for u in readable if u.year is not None)
        if not years:
            raise GkError("各单位的报告都没有年度，无法确定汇总哪一年。请用 --year 指定。")
        top = max(years.values())
        year = max(y for y, n in years.items() if n == top)

    problems: list[Problem] = []
    by_unit: dict[str, list[UnitRow]] = {}
    for u in units:
        if u.failure:
            u.reason = "无法读取"
            problems.append(Problem("unreadable", Path(u.file).name, u.failure))
            continue
        if not u.agency:
            u.reason = "报告没有机关名称"
            problems.append(Problem("unreadable", Path(u.file).name,
                                    f"{u.file} 没有填写机关名称，无法确认是哪个单位的报告，未计入合计。"))
            continue
        by_unit.setdefault(_key(u.agency), []).append(u)

    for rows in by_unit.values():
        if len(rows) > 1:
            files_named = "、".join(Path(r.file).name for r in rows)
            for r in rows:
                r.reason = f"同一单位有 {len(rows)} 份报告"
            problems.append(Problem("duplicate", rows[0].agency,
                                    f"{rows[0].agency} 有 {len(rows)} 份报告（{files_named}），无法判断用哪一份，"
                                    f"均未计入合计。请只保留一份后重新汇总。"))
            continue
        u = rows[0]
        if u.year != year:
            u.reason = f"是{u.year or '未填年度'}年的报告"
            problems.append(Problem("other_year", u.agency,
                                    f"{u.agency} 的报告（{Path(u.file).name}）是"
                                    f"{f'{u.year}年' if u.year else '未填年度'}的，不是{year}年的，未计入合计。"
                                    f"请换成{year}年的报告。"))
            continue
        if u.pending:
            shown = "、".join(_cell_name(c) for c in u.pending[:3]) + (" 等" if len(u.pending) > 3 else "")
            if include_pending:
                u.counted = True
                u.reason = f"有 {len(u.pending)} 处待核对或空白的数据格，按 0 计入"
                problems.append(Problem("included", u.agency,
                                        f"{u.agency} 有 {len(u.pending)} 处待核对或空白的数据格（{shown}），"
                                        f"已按 0 计入合计（--include-pending）。请核对后重新汇总。", blocking=False))
            else:
                u.reason = f"有 {len(u.pending)} 处待核对或空白的数据格"
                problems.append(Problem("pending", u.agency,
                                        f"{u.agency} 有 {len(u.pending)} 处待核对或空白的数据格（{shown}），"
                                        f"未计入合计。请单位核对补齐；如确认按 0 计入，请加 --include-pending。"))
            continue
        u.counted = True

    if expect:
        present = set(by_unit)
        for name in expect:
            if _key(name) not in present and _key(name) != own_key:
                problems.append(Problem("missing", name, f"名单中的 {name} 没有报告，请催报。"))
        listed = {_key(n) for n in expect}
        for key, rows in by_unit.items():
            if key not in listed:
                problems.append(Problem("unlisted", rows[0].agency,
                                        f"{rows[0].agency} 不在单位名单中（{Path(rows[0].file).name}），"
                                        f"{'已' if rows[0].counted else '未'}计入合计。请确认它是否属于本级汇总范围。",
                                        blocking=False))

    counted = [u for u in units if u.counted]
    sums = [0] * len(FIGURES)
    fee = 0
    for u in counted:
        for i, v in enumerate(u.figures):
            if v:
                sums[i] += v
        fee += u.fee or 0

    county = _draft(agency, kind, year, sums, fee, units, previous, workspace)
    prev_figures = figures_of(previous) if previous is not None else None
    if previous is not None:
        problems.extend(_carried_problems(sums, previous))
    h1: list[Finding] = []
    for o in own:
        if o.failure:
            problems.append(Problem("unreadable", Path(o.file).name, o.failure))
            continue
        if o.year is not None and o.year != year:
            problems.append(Problem("other_year", o.agency or agency,
                                    f"县报告（{Path(o.file).name}）是{o.year}年的，不是{year}年的，没有与各单位合计比对。"))
            continue
        found = compare(o, tuple(sums), fee)
        h1.extend(found)
        problems.extend(Problem(H1, o.agency or agency, f.message) for f in found)
    return Rollup(county=county, units=units, sums=tuple(sums), fee=fee, year=year, problems=problems,
                  h1=h1, own=own, previous=prev_figures, findings=check(county, previous))


def _cell_name(cid: str) -> str:
    if cid == FEE_CID:
        return FEE_LOCATION
    i = _INDEX.get(cid)
    return FIGURES[i].location if i is not None else cid


def _carried_problems(sums: list[int], previous: Report) -> Iterator[Problem]:
    """上年结转 comes from last year's county report; say where the units' own 上年结转 disagree."""
    for col in fmt.COLUMN_KEYS:
        last = previous.applications.value("carry_next", col)
        units = sums[_INDEX[f"t3.carried.{col}"]]
        if last is not None and last != units:
            yield Problem("carried", previous.agency.name,
                          f"{T3} 二、上年结转 / {fmt.COLUMN_LABEL[col]}：上年县报告结转 {last}，"
                          f"各单位上年结转合计 {units}，两者不一致。县报告已按上年结转 {last} 填写，"
                          f"请查明差异（表三的勾稽关系可能因此不平）。", blocking=False)


def compare(own: UnitRow, sums: tuple[int, ...], fee: int) -> list[Finding]:
    """Rule H1: each figure of the county's own report against the sum of its units', by cell."""
    found: list[Finding] = []
    who = own.agency or "县报告"
    for f, printed, total in zip(FIGURES, own.figures, sums):
        if printed is None:
            if total:
                found.append(Finding(H1, Severity.ERROR, f.location,
                                     f"{who}的{f.location}是空白，各单位合计为 {total}。请填写合计数。",
                                     ".".join(f.path)))
        elif printed != total:
            found.append(Finding(H1, Severity.ERROR, f.location,
                                 f"{who}的{f.location}为 {printed}，各单位合计为 {total}，相差 {printed - total:+d}。"
                                 f"请核对该格或各单位的数字。", ".".join(f.path)))
    if own.fee is not None and own.fee != fee:
        found.append(Finding(H1, Severity.ERROR, FEE_LOCATION,
                             f"{who}的{FEE_LOCATION}为 {fee_decimal(own.fee)}，各单位合计为 {fee_decimal(fee)}。"
                             f"请核对该格或各单位的数字。", "proactive.fee"))
    return found


# ------------------------------------------------------------------ the county draft


def _draft(agency: str, kind: fmt.AgencyKind, year: int, sums: list[int], fee: int,
           units: list[UnitRow], previous: Report | None, workspace: Path | None = None) -> Report:
    report = Report(agency=Agency(name=agency, kind=kind), year=year)
    s = dict(zip((f.cid for f in FIGURES), sums))
    p = report.proactive
    for key in ("rules", "normative"):
        for col in ("issued", "repealed", "in_force"):
            setattr(getattr(p, key), col, s[f"t2.{key}.{col}"])
    p.licensing, p.penalty, p.enforcement = s["t2.licensing"], s["t2.penalty"], s["t2.enforcement"]
    p.fee = fee_decimal(fee)
    for row in fmt.ROW_KEYS:
        report.applications.rows[row] = ApplicantRow(**{c: s[f"t3.{row}.{c}"] for c in fmt.COLUMN_KEYS})
    if previous is not None:
        last = previous.applications.row("carry_next").values()
        report.applications.rows["carried"] = ApplicantRow(
            **{c: (v if v is not None else s[f"t3.carried.{c}"]) for c, v in last.items()})
    for block, _ in fmt.T4_BLOCKS:
        setattr(report.reviews, block, OutcomeCounts(**{c: s[f"t4.{block}.{c}"] for c in fmt.OUTCOME_KEYS_T4}))
    report.draft = DraftState(sources=[
        RollupSource(agency=u.agency, file=u.file, year=u.year, counted=u.counted, reason=u.reason)
        for u in units])
    if previous is not None:
        report.draft.last_year = LastYear(
            year=previous.year,
            in_force={k: getattr(previous.proactive, k).in_force for k in ("rules", "normative")},
            carried_over=previous.applications.row("carry_next").values(),
            figures={f.cid: v for f, v in zip(FIGURES, figures_of(previous))},
        )
    _narrative(report, previous, workspace)
    return report


def _narrative(report: Report, previous: Report | None, workspace: Path | None = None) -> None:
    """一, 五 and 六 drafted by the paragraph library from the summed figures, as the interview does."""
    from gkassist import library

    lib = library.cached_library(workspace)
    for section in ("一", "六"):
        best: dict[str, str] = {}
        for s in library.suggest(report, section, previous=previous, library=lib):
            best.setdefault(s.slot, s.pick)
        library.apply_picks(report, section, list(best.values()), library=lib, previous=previous)
    problems = [s.pick for s in library.suggest(report, "五", previous=previous, library=lib)
                if s.kind == "problem"][:3]
    if problems:
        library.apply_picks(report, "五", problems, library=lib, previous=previous)
