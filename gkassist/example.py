"""A complete fictional report (青禾镇, 2025) for the tour, the tests and the bench.

The town, its people and its figures are invented; every sentence is written for this project.
The narrative states figures that agree with the tables, so `check` finds no error in it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gkassist import format as fmt
from gkassist.model import (
    Agency,
    ApplicationTable,
    DocumentCounts,
    OtherMatters,
    OutcomeCounts,
    Overview,
    ProactiveTable,
    ProblemsSection,
    Report,
    ReviewTable,
)

YEAR = 2025

# 表三, entered cells only (every other cell is 0). 自然人: 9 new + 1 carried = 9 handled + 1 carried on;
# 商业企业: 2 new = 2 handled.
_APPLICATIONS: dict[str, dict[str, int]] = {
    "new": {"natural_person": 9, "commercial": 2},
    "carried": {"natural_person": 1},
    "public": {"natural_person": 5, "commercial": 2},
    "partial": {"natural_person": 1},
    "unable_not_held": {"natural_person": 1},
    "unable_needs_making": {"natural_person": 1},
    "refused_petition": {"natural_person": 1},
    "carry_next": {"natural_person": 1},
}


def _applications() -> ApplicationTable:
    table = ApplicationTable()
    for row in fmt.ROW_KEYS:
        for column in fmt.COLUMN_KEYS:
            table.set(row, column, _APPLICATIONS.get(row, {}).get(column, 0))
    return table


def _preface() -> str:
    return (
        f"根据{fmt.REGULATION}和政府信息公开工作年度报告格式的有关要求，青禾镇人民政府编制了本年度报告。"
        "全文由总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、"
        "政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项六部分组成。"
        f"报告中的统计数据，起止时间为{fmt.statistics_period(YEAR)}。"
        "读者可登录青禾县人民政府门户网站，在青禾镇政府信息公开专栏查看本报告的电子文本。"
    )


def _overview() -> Overview:
    return Overview(
        lead=(
            f"{YEAR}年，我镇围绕群众关心的热点事项推进政务公开，把公开工作融入乡村振兴、"
            "民生保障和基层治理的日常工作，全年信息发布及时，申请答复规范，未发生因公开不当引发的舆情。"
        ),
        proactive=(
            "我镇通过县政府门户网站镇级专栏、镇务公开栏和各行政村的村务公开栏发布信息，"
            "重点公开财政预决算、惠农补贴发放、低保救助名单、项目招投标和征地补偿等内容。"
            "本年制发行政规范性文件2件，废止1件，现行有效14件，均已在专栏全文公开；"
            "作出行政许可决定36件、行政处罚决定12件，结果均按规定向社会公布。"
        ),
        on_request=(
            "本年新收政府信息公开申请11件，上年结转1件，合计12件。"
            "全年办结11件，其中予以公开7件，部分公开1件，无法提供2件，不予处理1件；"
            "另有1件因需向县级部门核实材料，结转下年度继续办理。"
            "所有答复均在法定期限内作出，并告知申请人救济途径。"
            "全年因政府信息公开引起行政复议1件，复议机关维持了我镇的答复；未发生行政诉讼。"
        ),
        management=(
            "我镇坚持信息发布前审核制度，由经办人员初审、分管领导复审，"
            "对涉及个人隐私和商业秘密的内容逐项核对后再发布。"
            "年内对专栏中已超过时效的通知公告进行了清理，调整了公开目录中与镇级职能不符的栏目。"
        ),
        platform=(
            "镇级专栏设置机构职能、政策文件、财政信息、重点领域等栏目，"
            "全年更新信息二百余条。镇便民服务中心设有政府信息查阅点，配备查询电脑和纸质资料，"
            "方便不熟悉网络的群众就近查阅。"
        ),
        supervision=(
            "我镇成立由镇长任组长的政务公开工作领导小组，党政办公室负责具体工作，"
            "将公开工作纳入各村和镇属单位年度考核。年内开展业务培训2次，接受县政务公开办季度检查4次，"
            "对检查发现的问题均已整改到位，全年未发生责任追究事项。"
        ),
    )


def _problems() -> ProblemsSection:
    return ProblemsSection(
        problems=(
            "一是依申请公开的答复文书格式还不够统一，个别答复对法律依据的引用不够完整；"
            "二是政策解读以文字为主，图表、短视频等群众喜闻乐见的形式运用较少；"
            "三是部分村级公开栏更新不及时，与网上专栏的内容衔接不够紧密。"
        ),
        improvements=(
            "一是制定答复文书范本，申请办理全程登记，答复前由法律顾问审核；"
            "二是对涉及群众切身利益的文件同步制作图解，通过镇微信公众号推送；"
            "三是建立村级公开栏月度巡查机制，由驻村干部核对内容并拍照存档。"
        ),
        followup=(
            "上年度报告提出镇级专栏部分栏目与实际职能不匹配，我镇已于年内完成调整，"
            "删除重复栏目3个，新增“乡村振兴”专题栏目1个。"
        ),
        layout="subheads",
    )


def _other() -> OtherMatters:
    return OtherMatters(
        fee_yuan=Decimal(0),
        fee_statement=(
            f"本年度我镇办理政府信息公开申请，依照{fmt.FEE_RULES}的规定，未向任何申请人收取信息处理费。"
        ),
        work_points="我镇对照上级年度政务公开工作要点逐项分解任务，明确责任人和完成时限，各项任务均已按期完成。",
        proposals="本年度我镇未承办人大代表建议和政协提案。",
        innovation="我镇在便民服务中心开设政务公开体验区，由工作人员现场指导群众查阅信息、提交申请。",
    )


def example_report() -> Report:
    """青禾镇人民政府's 2025 report, complete and consistent."""
    return Report(
        agency=Agency(name="青禾镇人民政府", kind=fmt.AgencyKind.TOWN, short_name="青禾镇"),
        year=YEAR,
        published=date(YEAR + 1, 1, 20),
        contact="青禾镇党政办公室（地址：青禾镇和平路18号，电话：0000-5550123）",
        preface=_preface(),
        overview=_overview(),
        proactive=ProactiveTable(
            rules=DocumentCounts(issued=0, repealed=0, in_force=0),
            normative=DocumentCounts(issued=2, repealed=1, in_force=14),
            licensing=36,
            penalty=12,
            enforcement=0,
            fee=Decimal("2.35"),
        ),
        applications=_applications(),
        reviews=ReviewTable(
            review=OutcomeCounts(upheld=1, corrected=0, other=0, pending=0),
            direct_suit=OutcomeCounts(upheld=0, corrected=0, other=0, pending=0),
            suit_after_review=OutcomeCounts(upheld=0, corrected=0, other=0, pending=0),
        ),
        problems=_problems(),
        other=_other(),
    )
