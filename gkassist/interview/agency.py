"""Guessing an agency's level from its full name, for the default of the interview's kind question."""

from __future__ import annotations

from gkassist.format import AgencyKind

_DEPARTMENT_ENDINGS = ("局", "委员会", "委", "办公室", "办", "厅", "中心", "院", "署", "会", "队", "所", "站")


def guess_kind(name: str) -> AgencyKind:
    """高平镇人民政府 → 镇; 某某街道办事处 → 街道; 沭阳县发展和改革局 → 县级部门; 某某市人民政府 → 设区的市人民政府."""
    n = "".join(name.split())
    core = n.removesuffix("人民政府")
    if n.endswith("街道办事处") or core.endswith("街道"):
        return AgencyKind.SUBDISTRICT
    if core.endswith("镇"):
        return AgencyKind.TOWN
    if core.endswith("乡"):
        return AgencyKind.TOWNSHIP
    if n.endswith("人民政府"):
        if core.endswith(("县", "旗")) or (core.endswith("区") and not core.endswith("自治区")):
            return AgencyKind.COUNTY_GOVERNMENT
        if core.endswith("市"):
            return AgencyKind.CITY_GOVERNMENT
        return AgencyKind.OTHER
    if n.endswith(_DEPARTMENT_ENDINGS) or n.endswith("人民政府办公室"):
        # The last place word decides the level: 淮安市清江浦区教育局 is a district's department.
        s = n.replace("市场", "").replace("城市", "").replace("自治区", "省").replace("社区", "")
        marks = {"省": AgencyKind.PROVINCIAL_DEPARTMENT, "市": AgencyKind.CITY_DEPARTMENT,
                 "县": AgencyKind.COUNTY_DEPARTMENT, "区": AgencyKind.COUNTY_DEPARTMENT,
                 "旗": AgencyKind.COUNTY_DEPARTMENT}
        found = [(s.rfind(m), kind) for m, kind in marks.items() if s.rfind(m) >= 0]
        if found:
            return max(found, key=lambda pair: pair[0])[1]
    return AgencyKind.OTHER
