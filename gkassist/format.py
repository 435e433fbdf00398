"""The official labels and table layouts of the 2021 format — the one source of truth.

Every heading, row label and column label the product prints or reads is defined here once,
verbatim from 国办公开办函〔2021〕30号. Templates, checks, importers and the interview take
their wording from this module; nothing else spells a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

FORMAT_NOTICE = "国办公开办函〔2021〕30号"
SUPERSEDED_NOTICE = "国办公开办函〔2019〕60号"
REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_RULES = "《政府信息公开信息处理费管理办法》"
TITLE_SUFFIX = "政府信息公开工作年度报告"

# ---------------------------------------------------------------- sections
SECTIONS: tuple[tuple[str, str], ...] = (
    ("overview", "一、总体情况"),
    ("proactive", "二、主动公开政府信息情况"),
    ("applications", "三、收到和处理政府信息公开申请情况"),
    ("reviews", "四、政府信息公开行政复议、行政诉讼情况"),
    ("problems", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
)
SECTION_HEADINGS: tuple[str, ...] = tuple(h for _, h in SECTIONS)
SECTION_LABEL: dict[str, str] = dict(SECTIONS)
# The one section vocabulary: the interview, the library and the CLI name a section by its
# numeral (一 … 六; 封面 for the front matter); the model by its key (overview … other).
COVER = "封面"
SECTION_NUMERALS: tuple[str, ...] = ("一", "二", "三", "四", "五", "六")
SECTION_KEY: dict[str, str] = {n: key for n, (key, _) in zip(SECTION_NUMERALS, SECTIONS, strict=True)}
SECTION_NUMERAL: dict[str, str] = {key: n for n, key in SECTION_KEY.items()}

# 一、总体情况: the five customary parts (key, sub-heading)
OVERVIEW_PARTS: tuple[tuple[str, str], ...] = (
    ("proactive", "（一）主动公开"),
    ("on_request", "（二）依申请公开"),
    ("management", "（三）政府信息管理"),
    ("platform", "（四）政府信息公开平台建设"),
    ("supervision", "（五）监督保障"),
)
OVERVIEW_LABEL: dict[str, str] = dict(OVERVIEW_PARTS)

# 五: customary sub-heads
PROBLEMS_HEAD = "（一）主要问题"
IMPROVEMENTS_HEAD = "（二）改进措施"
IMPROVEMENTS_HEAD_ALT = "（二）改进情况"
FOLLOWUP_HEAD = "上年问题整改情况"

# 六: customary items (key, label)
OTHER_ITEMS: tuple[tuple[str, str], ...] = (
    ("fee", "信息处理费"),
    ("work_points", "落实上级年度政务公开工作要点情况"),
    ("proposals", "人大代表建议和政协提案办理结果公开情况"),
    ("innovation", "年度政务公开工作创新情况"),
    ("other", "其他需要报告的事项"),
)
OTHER_LABEL: dict[str, str] = dict(OTHER_ITEMS)

# ---------------------------------------------------------------- table 二
INFO_CONTENT = "信息内容"
ARTICLE_1 = "第二十条第（一）项"
ARTICLE_5 = "第二十条第（五）项"
ARTICLE_6 = "第二十条第（六）项"
ARTICLE_8 = "第二十条第（八）项"
COL_ISSUED = "本年制发件数"
COL_REPEALED = "本年废止件数"
COL_IN_FORCE = "现行有效件数"
COL_DECISIONS = "本年处理决定数量"
COL_FEE = "本年收费金额（单位：万元）"
COL_FEE_VARIANT = "本年收费金额（单位：万元，保留4位小数）"  # accepted on import, never rendered
ROW_RULES = "规章"
ROW_NORMATIVE = "行政规范性文件"
ROW_LICENSING = "行政许可"
ROW_PENALTY = "行政处罚"
ROW_ENFORCEMENT = "行政强制"
ROW_FEE = "行政事业性收费"

# ---------------------------------------------------------------- table 三
T3_HEADER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_GROUP = "申请人情况"
ORG_GROUP = "法人或其他组织"
TOTAL = "总计"


@dataclass(frozen=True)
class Column:
    key: str
    label: str


APPLICANT_COLUMNS: tuple[Column, ...] = (
    Column("natural_person", "自然人"),
    Column("commercial", "商业企业"),
    Column("research", "科研机构"),
    Column("welfare", "社会公益组织"),
    Column("legal", "法律服务机构"),
    Column("other_org", "其他"),
)
COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in APPLICANT_COLUMNS)
COLUMN_LABEL: dict[str, str] = {c.key: c.label for c in APPLICANT_COLUMNS} | {"total": TOTAL}
ORG_COLUMN_KEYS: tuple[str, ...] = COLUMN_KEYS[1:]

RESULTS_GROUP = "三、本年度办理结果"


@dataclass(frozen=True)
class Group:
    key: str
    label: str


T3_GROUPS: tuple[Group, ...] = (
    Group("withheld", "（三）不予公开"),
    Group("unable", "（四）无法提供"),
    Group("not_processed", "（五）不予处理"),
    Group("other_handling", "（六）其他处理"),
)
GROUP_LABEL: dict[str, str] = {g.key: g.label for g in T3_GROUPS}


@dataclass(frozen=True)
class Row:
    """A row of table 三. `group` is the （三）–（六） group of a numbered sub-row, else None."""

    key: str
    label: str
    group: str | None = None
    outcome: bool = True  # counts towards （七）总计

    @property
    def location(self) -> str:
        """How the row is named in a finding, in the report's own words."""
        if self.group:
            return f"{GROUP_LABEL[self.group]} {self.label}"
        return self.label


T3_ROWS: tuple[Row, ...] = (
    Row("new", "一、本年新收政府信息公开申请数量", outcome=False),
    Row("carried", "二、上年结转政府信息公开申请数量", outcome=False),
    Row("public", "（一）予以公开"),
    Row("partial", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    Row("withheld_secret", "1.属于国家秘密", "withheld"),
    Row("withheld_law", "2.其他法律行政法规禁止公开", "withheld"),
    Row("withheld_security", "3.危及“三安全一稳定”", "withheld"),
    Row("withheld_third_party", "4.保护第三方合法权益", "withheld"),
    Row("withheld_internal", "5.属于三类内部事务信息", "withheld"),
    Row("withheld_process", "6.属于四类过程性信息", "withheld"),
    Row("withheld_case_file", "7.属于行政执法案卷", "withheld"),
    Row("withheld_query", "8.属于行政查询事项", "withheld"),
    Row("unable_not_held", "1.本机关不掌握相关政府信息", "unable"),
    Row("unable_needs_making", "2.没有现成信息需要另行制作", "unable"),
    Row("unable_unclear", "3.补正后申请内容仍不明确", "unable"),
    Row("refused_petition", "1.信访举报投诉类申请", "not_processed"),
    Row("refused_repeat", "2.重复申请", "not_processed"),
    Row("refused_publication", "3.要求提供公开出版物", "not_processed"),
    Row("refused_mass", "4.无正当理由大量反复申请", "not_processed"),
    Row("refused_confirm", "5.要求行政机关确认或重新出具已获取信息", "not_processed"),
    Row("other_no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "other_handling"),
    Row("other_no_fee", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "other_handling"),
    Row("other_misc", "3.其他", "other_handling"),
    Row("carry_next", "四、结转下年度继续办理", outcome=False),
)
T3_ROW: dict[str, Row] = {r.key: r for r in T3_ROWS}
ROW_KEYS: tuple[str, ...] = tuple(r.key for r in T3_ROWS)
OUTCOME_KEYS: tuple[str, ...] = tuple(r.key for r in T3_ROWS if r.outcome)
TOTAL_ROW = Row("total", "（七）总计", outcome=False)
T3_ROW["total"] = TOTAL_ROW
# Rendering order: （七）总计 sits after the last outcome row, before 四、结转.
T3_DISPLAY_ROWS: tuple[Row, ...] = T3_ROWS[:-1] + (TOTAL_ROW, T3_ROWS[-1])
GROUP_SIZES: dict[str, int] = {g.key: sum(1 for r in T3_ROWS if r.group == g.key) for g in T3_GROUPS}

# ---------------------------------------------------------------- table 四
REVIEW = "行政复议"
LITIGATION = "行政诉讼"
OUTCOME_COLUMNS: tuple[Column, ...] = (
    Column("upheld", "结果维持"),
    Column("corrected", "结果纠正"),
    Column("other", "其他结果"),
    Column("pending", "尚未审结"),
)
OUTCOME_KEYS_T4: tuple[str, ...] = tuple(c.key for c in OUTCOME_COLUMNS)
OUTCOME_LABEL: dict[str, str] = {c.key: c.label for c in OUTCOME_COLUMNS} | {"total": TOTAL}
T4_BLOCKS: tuple[tuple[str, str], ...] = (
    ("review", REVIEW),
    ("direct_suit", "未经复议直接起诉"),
    ("suit_after_review", "复议后起诉"),
)
T4_BLOCK_LABEL: dict[str, str] = dict(T4_BLOCKS)

# ---------------------------------------------------------------- agencies


class AgencyKind(str, Enum):
    """The level of an agency; it decides self-reference, 规章 power and deadline."""

    TOWNSHIP = "乡"
    TOWN = "镇"
    SUBDISTRICT = "街道"
    COUNTY_DEPARTMENT = "县级部门"
    COUNTY_GOVERNMENT = "县级人民政府"
    CITY_DEPARTMENT = "市级部门"
    CITY_GOVERNMENT = "设区的市人民政府"
    PROVINCIAL_DEPARTMENT = "省级部门"
    OTHER = "其他"


# Levels that cannot make 规章 (D5).
NO_RULES_KINDS = frozenset(
    {AgencyKind.TOWNSHIP, AgencyKind.TOWN, AgencyKind.SUBDISTRICT, AgencyKind.COUNTY_DEPARTMENT,
     AgencyKind.COUNTY_GOVERNMENT}
)
GOVERNMENT_KINDS = frozenset(
    {AgencyKind.TOWNSHIP, AgencyKind.TOWN, AgencyKind.SUBDISTRICT, AgencyKind.COUNTY_GOVERNMENT,
     AgencyKind.CITY_GOVERNMENT}
)
# Deadline (month, day) of publication in the year after the report year (条例 第四十九条).
DEADLINE: dict[AgencyKind, tuple[int, int]] = {
    AgencyKind.COUNTY_GOVERNMENT: (3, 31),
    AgencyKind.CITY_GOVERNMENT: (3, 31),
}
DEFAULT_DEADLINE = (1, 31)

# Department name endings → self-reference, longest first.
_DEPARTMENT_SELF = (
    ("委员会", "我委"), ("委", "我委"), ("局", "我局"), ("厅", "我厅"), ("办公室", "我办"),
    ("办", "我办"), ("中心", "本中心"), ("院", "我院"), ("署", "我署"), ("会", "我会"),
)


def self_reference(kind: AgencyKind, name: str) -> str:
    """The word an agency uses for itself (我镇, 本街道, 我局 …), from its level and name."""
    name = name.strip()
    if kind is AgencyKind.TOWN:
        return "我镇"
    if kind is AgencyKind.TOWNSHIP:
        return "我乡"
    if kind is AgencyKind.SUBDISTRICT:
        return "本街道"
    if kind in (AgencyKind.COUNTY_GOVERNMENT, AgencyKind.CITY_GOVERNMENT):
        core = name.removesuffix("人民政府")
        if core.endswith("区"):
            return "我区"
        if core.endswith("县"):
            return "我县"
        if core.endswith("旗"):
            return "我旗"
        return "我市"
    for ending, word in _DEPARTMENT_SELF:
        if name.endswith(ending):
            return word
    return "本机关"


# Self-reference words that betray text copied from another kind of unit (D9).
FOREIGN_SELF_WORDS: dict[AgencyKind, tuple[str, ...]] = {
    AgencyKind.TOWN: ("我乡", "全乡", "乡政府", "本乡", "全乡镇", "我街道", "本街道"),
    AgencyKind.TOWNSHIP: ("我镇", "全镇", "镇政府", "本镇", "本街道", "我街道"),
    AgencyKind.SUBDISTRICT: ("我镇", "全镇", "镇政府", "我乡", "全乡", "乡政府"),
}

_UNIT = {AgencyKind.TOWN: "镇", AgencyKind.TOWNSHIP: "乡", AgencyKind.SUBDISTRICT: "街道"}
# The unit word of a department, from the end of its name (longest first).
_DEPARTMENT_UNIT = (("委员会", "委"), ("委", "委"), ("局", "局"), ("厅", "厅"), ("办公室", "办"), ("办", "办"))
# Words only a unit of that kind uses of itself: 我/本 + unit. 全县, 我县 and the like are left out
# for a township or a department, which speak of their county that way.
_DEPARTMENT_WORDS = ("我局", "本局", "我委", "本委", "我办", "本办", "我厅", "本厅")
_TOWNSHIP_WORDS = ("我乡", "本乡", "我镇", "本镇", "我街道", "本街道")
_PLACE_UNITS = ("县", "区", "旗", "市")
# A self-word followed by one of these is part of another word (本办法, 我委托, 本乡镇, 本乡本土).
SELF_WORD_NOT_BEFORE: dict[str, str] = {"办": "法理事", "委": "托屈员", "乡": "镇村土", "局": "限部势面",
                                        "镇": "定静", "厅": "堂",
                                        "县": "域城", "区": "域划间"}
# … or preceded by one of these (自我局限, 乡镇政府 in a 乡's report, 城镇).
SELF_WORD_NOT_AFTER: dict[str, str] = {"我": "自", "镇": "乡城", "全": "完健齐"}


def self_unit(kind: AgencyKind | None, name: str) -> str | None:
    """The unit word an agency's self-references are built on: 镇, 乡, 街道, 局, 委, 办, 县, 区 …"""
    if kind is None:
        return None
    if kind in _UNIT:
        return _UNIT[kind]
    name = name.strip()
    if kind in (AgencyKind.COUNTY_GOVERNMENT, AgencyKind.CITY_GOVERNMENT):
        core = name.removesuffix("人民政府")
        return next((u for u in _PLACE_UNITS if core.endswith(u)), "县" if kind is AgencyKind.COUNTY_GOVERNMENT
                    else "市")
    return next((unit for ending, unit in _DEPARTMENT_UNIT if name.endswith(ending)), None)


def foreign_self_words(kind: AgencyKind | None, name: str = "") -> tuple[str, ...]:
    """Self-words that contradict an agency of this kind and name (D9), in every direction:
    我乡 in a 镇, 我局 in a 街道 or a 委, 我乡 in a 局, 我区 in a 县 …"""
    if kind is None:
        return ()
    unit = self_unit(kind, name)
    words: list[str] = list(FOREIGN_SELF_WORDS.get(kind, ()))
    words += [w for w in _TOWNSHIP_WORDS if kind not in _UNIT]
    if kind in _UNIT or kind in GOVERNMENT_KINDS or unit is not None:
        words += [w for w in _DEPARTMENT_WORDS if not w.endswith(unit or "-")]
    if kind in (AgencyKind.COUNTY_GOVERNMENT, AgencyKind.CITY_GOVERNMENT):
        words += [f"{p}{u}" for u in _PLACE_UNITS if u not in (unit, "市") for p in ("我", "本")]
    own = {f"我{unit}", f"本{unit}", f"全{unit}"} if unit else set()
    return tuple(dict.fromkeys(w for w in words if w not in own))


def own_self_word(kind: AgencyKind | None, foreign: str, name: str = "") -> str | None:
    """What a foreign self-word (全乡 in a 镇, 我乡 in a 局) should read for this unit, or None."""
    if kind is None:
        return None
    own = _UNIT.get(kind)
    if own is not None:
        if foreign not in foreign_self_words(kind, name):
            return None
        if foreign == "全乡镇":
            return "全" + own
        for unit in ("街道", "乡", "镇"):
            if unit in foreign:
                word = foreign.replace(unit, own, 1)
                # A 街道 has an 办事处, not a 政府.
                return word.replace("街道政府", "街道办事处") if own == "街道" else word
        if foreign[:1] in "我本":
            return foreign[0] + own
        return None
    own_unit = self_unit(kind, name)
    if own_unit is None or foreign not in foreign_self_words(kind, name) or foreign[:1] not in "我本":
        return None
    return foreign[0] + own_unit


def correct_self_words(kind: AgencyKind | None, text: str, name: str = "") -> tuple[str, list[tuple[str, str, int]]]:
    """Replace self-words that contradict the unit's kind (D9); returns the text and
    (found, replacement, count) for each word replaced, longest words first."""
    changes = []
    for foreign in sorted(foreign_self_words(kind, name), key=len, reverse=True):
        own = own_self_word(kind, foreign, name)
        spots = list(find_self_word(text, foreign))
        if own and spots:
            for start in reversed(spots):
                text = text[:start] + own + text[start + len(foreign):]
            changes.append((foreign, own, len(spots)))
    return text, changes


def find_self_word(text: str, word: str) -> list[int]:
    """Where `word` stands as a self-word in `text` (not inside 本办法, 乡镇政府, 自我局限 …)."""
    out = []
    start = text.find(word)
    while start >= 0:
        after = text[start + len(word):start + len(word) + 1]
        before = text[start - 1:start] if start else ""
        if not (after and after in SELF_WORD_NOT_BEFORE.get(word[-1], "")) and not (
                before and before in SELF_WORD_NOT_AFTER.get(word[0], "")):
            out.append(start)
        start = text.find(word, start + 1)
    return out


# ---------------------------------------------------------------- known wrong forms
# D7: wrong label → the official one.
LABEL_VARIANTS: dict[str, str] = {
    "2.其他法律法规禁止公开": "2.其他法律行政法规禁止公开",
    "规范性文件": ROW_NORMATIVE,
    "存在的主要问题及整改措施": "五、存在的主要问题及改进情况",
    "存在的主要问题及整改情况": "五、存在的主要问题及改进情况",
    "存在的主要问题和改进情况": "五、存在的主要问题及改进情况",
}
# D1: markers of the superseded 2019 (试行) tables.
OLD_2019_MARKERS: tuple[str, ...] = (
    "本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量", "本年增/减",
    "其他对外管理服务事项", "第二十条第（九）项", "政府集中采购", "采购总金额",
)
# D10: a pre-2019 item in 六.
OBSOLETE_OTHER_ITEMS: tuple[str, ...] = ("政府信息公开的收费及减免情况",)


def report_title(agency_name: str, year: int) -> str:
    """`<机关全称><年>年政府信息公开工作年度报告`."""
    return f"{agency_name}{year}年{TITLE_SUFFIX}"


def statistics_period(year: int) -> str:
    return f"{year}年1月1日至{year}年12月31日"


def all_official_labels() -> list[str]:
    """Every label of the format that a rendered report must contain verbatim."""
    labels = list(SECTION_HEADINGS)
    labels += [INFO_CONTENT, ARTICLE_1, ARTICLE_5, ARTICLE_6, ARTICLE_8, COL_ISSUED, COL_REPEALED,
               COL_IN_FORCE, COL_DECISIONS, COL_FEE, ROW_RULES, ROW_NORMATIVE, ROW_LICENSING,
               ROW_PENALTY, ROW_ENFORCEMENT, ROW_FEE]
    labels += [T3_HEADER, APPLICANT_GROUP, ORG_GROUP, TOTAL, RESULTS_GROUP]
    labels += [c.label for c in APPLICANT_COLUMNS]
    labels += [g.label for g in T3_GROUPS]
    labels += [r.label for r in T3_DISPLAY_ROWS]
    labels += [REVIEW, LITIGATION] + [label for _, label in T4_BLOCKS[1:]]
    labels += [c.label for c in OUTCOME_COLUMNS]
    return labels
