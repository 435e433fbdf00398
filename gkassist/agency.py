"""The one guess of an agency's level from its full name, used by the interview (the default of
its kind question) and by the importers (the kind of an imported report). Only a guess: the
clerk confirms it, and a 县级市 named alone (`某某市人民政府`) cannot be told from a 设区的市."""

from __future__ import annotations

import re

from gkassist.format import AgencyKind

_PLACE = re.compile(r"(自治区|省|自治州|市|州|盟|自治县|县|区|旗)")
# Words holding a place character that are not a place (市场监督管理局, 城市管理局, 社区 …).
_NOT_PLACE = re.compile(r"市场|城市|市政|市容|超市|都市|市民|区域|社区|园区|景区|小区|辖区|县域|省级|市级|县级|区级")
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")
_PLACE_KIND = {
    "省": AgencyKind.PROVINCIAL_DEPARTMENT, "自治区": AgencyKind.PROVINCIAL_DEPARTMENT,
    "市": AgencyKind.CITY_DEPARTMENT, "州": AgencyKind.CITY_DEPARTMENT, "自治州": AgencyKind.CITY_DEPARTMENT,
    "盟": AgencyKind.CITY_DEPARTMENT,
    "县": AgencyKind.COUNTY_DEPARTMENT, "自治县": AgencyKind.COUNTY_DEPARTMENT, "区": AgencyKind.COUNTY_DEPARTMENT,
    "旗": AgencyKind.COUNTY_DEPARTMENT,
}


def _places(name: str) -> list[str]:
    return [m.group(1) for m in _PLACE.finditer(_NOT_PLACE.sub("", name))]


def guess_kind(name: str) -> AgencyKind:
    """高平镇人民政府 → 镇; 某某街道办事处 → 街道; 沭阳县发展和改革局 → 县级部门; 淮安市人民政府 →
    设区的市人民政府; 某某市某某市人民政府 → 县级人民政府 (a 县级市); 某某自治区人民政府 → 其他
    (a provincial government has no kind of its own); OTHER when nothing tells."""
    n = "".join((name or "").split())
    if not n:
        return AgencyKind.OTHER
    core = n.removesuffix("人民政府")
    if n.endswith(("街道办事处", "街道办")) or core.endswith("街道"):
        return AgencyKind.SUBDISTRICT
    if core.endswith("镇"):
        return AgencyKind.TOWN
    if core.endswith("乡"):
        return AgencyKind.TOWNSHIP
    if n.endswith("人民政府"):
        places = _places(core)
        last = places[-1] if places else None
        if last in ("自治区", "省") or core in _MUNICIPALITIES:
            return AgencyKind.OTHER
        if last in ("县", "自治县", "区", "旗"):
            return AgencyKind.COUNTY_GOVERNMENT
        if last == "市" and places.count("市") + places.count("州") + places.count("盟") >= 2:
            return AgencyKind.COUNTY_GOVERNMENT  # 苏州市昆山市: a 县级市 under its 设区的市
        if last in ("市", "州", "自治州", "盟"):
            return AgencyKind.CITY_GOVERNMENT
        return AgencyKind.OTHER
    # A department: the last place word before the department's own words decides its level;
    # a department of a 直辖市 is provincial.
    places = _places(n)
    if not places:
        return AgencyKind.OTHER
    if n.startswith(_MUNICIPALITIES) and places.count("市") == 1 and places[-1] == "市":
        return AgencyKind.PROVINCIAL_DEPARTMENT
    return _PLACE_KIND[places[-1]]
