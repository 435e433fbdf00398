"""Generated units for the roll-up bench and tests: valid, varied answers files of invented units.

Every unit is fictional (名字 from a list of invented place names and departments); its tables keep
R1–R4 and its narrative states figures that agree with them, so `check` finds no error.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from gkassist import format as fmt
from gkassist import store
from gkassist.example import example_report
from gkassist.model import ApplicantRow, DocumentCounts, OutcomeCounts, Report

_PLACES = ("云溪", "石桥", "柳湾", "松岗", "白沙", "枫林", "梅岭", "清河", "桃源", "竹山", "青石", "东坝",
           "南湖", "西岭", "北塘", "红岩", "金滩", "银杏", "长乐", "安平")
_DEPARTMENTS = ("教育局", "民政局", "财政局", "自然资源局", "住房和城乡建设局", "交通运输局", "水利局",
                "农业农村局", "商务局", "文化和旅游局", "卫生健康局", "应急管理局", "市场监督管理局",
                "医疗保障局", "司法局", "生态环境局")
_OUTCOME_ROWS = ("public", "partial", "withheld_third_party", "withheld_process", "unable_not_held",
                 "unable_needs_making", "refused_petition", "refused_repeat", "other_misc")


def unit_name(i: int) -> tuple[str, fmt.AgencyKind]:
    """The i-th invented unit: towns first from each place, then the county's departments."""
    place = _PLACES[i % len(_PLACES)]
    n = i // len(_PLACES)
    if i % 3 == 2:
        dept = _DEPARTMENTS[(i // 3) % len(_DEPARTMENTS)]
        prefix = "" if i < 3 * len(_DEPARTMENTS) else f"第{i}"
        return f"青禾县{prefix}{dept}", fmt.AgencyKind.COUNTY_DEPARTMENT
    return f"{place}{'' if n == 0 else str(n)}镇人民政府", fmt.AgencyKind.TOWN


def make_unit(i: int, year: int = 2025, *, seed: int = 0) -> Report:
    """A valid report of the i-th invented unit with figures drawn from `random.Random(seed, i)`."""
    rng = random.Random(seed * 1_000_003 + i)
    name, kind = unit_name(i)
    r = example_report()
    r.agency.name, r.agency.kind, r.agency.short_name = name, kind, ""
    r.year = year
    r.published = date(year + 1, 1, rng.randint(5, 31))
    self_word = r.agency.self_reference

    apps = r.applications
    new_t = carried_t = closed_t = next_t = 0
    for col in fmt.COLUMN_KEYS:
        busy = col == "natural_person" or (col in ("commercial", "legal") and rng.random() < 0.5)
        new = rng.randint(0, 40) if busy else 0
        carried = rng.randint(0, 3) if busy else 0
        carry_next = rng.randint(0, min(3, new + carried))
        handled = new + carried - carry_next
        counts = dict.fromkeys(fmt.OUTCOME_KEYS, 0)
        for _ in range(handled):
            counts[rng.choice(_OUTCOME_ROWS)] += 1
        apps.set("new", col, new)
        apps.set("carried", col, carried)
        apps.set("carry_next", col, carry_next)
        for row, n in counts.items():
            apps.set(row, col, n)
        new_t, carried_t, closed_t, next_t = new_t + new, carried_t + carried, closed_t + handled, next_t + carry_next

    issued = rng.randint(0, 6)
    repealed = rng.randint(0, issued)
    in_force = issued - repealed + rng.randint(0, 30)
    p = r.proactive
    p.rules = DocumentCounts(issued=0, repealed=0, in_force=0)
    p.normative = DocumentCounts(issued=issued, repealed=repealed, in_force=in_force)
    p.licensing, p.penalty, p.enforcement = rng.randint(0, 500), rng.randint(0, 200), rng.randint(0, 20)
    p.fee = Decimal(rng.randint(0, 999_999)) / 10_000

    review = rng.randint(0, 2)
    r.reviews.review = OutcomeCounts(upheld=review, corrected=0, other=0, pending=0)
    r.reviews.direct_suit = OutcomeCounts(upheld=0, corrected=0, other=0, pending=0)
    r.reviews.suit_after_review = OutcomeCounts(upheld=0, corrected=0, other=0, pending=0)

    short = name.removesuffix("人民政府")
    r.preface = (f"依照{fmt.REGULATION}，{short}编写本年度报告，统计期间为{fmt.statistics_period(year)}。"
                 f"报告全文在青禾县人民政府门户网站的{short}专栏发布。")
    o = r.overview
    o.lead = f"{year}年，{self_word}按照县里的统一部署推进政务公开，信息发布和申请答复均按规定办理。"
    o.proactive = (f"{self_word}在门户网站专栏发布各类信息，本年制发行政规范性文件{issued}件，"
                   f"废止{repealed}件，现行有效{in_force}件。")
    o.on_request = (f"本年新收政府信息公开申请{new_t}件，上年结转{carried_t}件，"
                    f"全年办结{closed_t}件，另有{next_t}件结转至下一年度，答复均在法定期限内作出。"
                    + (f"因政府信息公开引起行政复议{review}件，均维持原答复。" if review else ""))
    o.management = f"{self_word}坚持信息发布前审核，由经办人初审、分管负责人复审后再发布。"
    o.platform = f"{self_word}专栏按公开目录设置栏目，年内对过期栏目作了清理和合并。"
    o.supervision = (f"{self_word}将政务公开纳入年度工作考核，开展社会评议，明确责任追究办法，"
                     "全年未发生责任追究事项。")
    r.problems.problems = (f"一是{self_word}部分栏目更新频次偏低；二是政策解读形式比较单一；"
                           "三是依申请公开答复文书的说理还不够充分。")
    r.problems.improvements = ("一是建立栏目更新台账，逐月核对；二是增加图解和问答等解读形式；"
                               "三是统一答复文书范本并在答复前集体审核。")
    r.problems.followup = ""
    r.other.fee_statement = f"本年度{self_word}依照{fmt.FEE_RULES}办理申请，未收取信息处理费。"
    r.other.work_points = f"{self_word}对照上级年度政务公开工作要点逐项落实。"
    r.other.proposals = f"本年度{self_word}未承办人大代表建议和政协提案。"
    r.other.innovation = ""
    r.contact = f"{short}办公室（电话：0000-{5550000 + i % 10000}）"
    _ = ApplicantRow  # the rows are set cell by cell above
    return r


def write_units(folder: Path, n: int, year: int = 2025, *, seed: int = 0, start: int = 0) -> list[Path]:
    """Write units start..start+n-1 as answers files into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(start, start + n):
        report = make_unit(i, year, seed=seed)
        path = folder / f"{i:05d}.json"
        path.write_text(store.dumps_report(report), encoding="utf-8")
        paths.append(path)
    return paths
