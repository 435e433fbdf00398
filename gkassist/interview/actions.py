"""The actions a question may trigger (`on_yes`, `on_no`, `on_answer` in prompts/*.toml): registered
functions with one typed signature; the script loader refuses a name that is not registered."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from gkassist import format as fmt
from gkassist.checks import PLACEHOLDER

if TYPE_CHECKING:
    from gkassist.interview.engine import Interview
    from gkassist.interview.script import Question

Action = Callable[["Interview", "Question", Any], list[str]]
"""(the interview, the question answered, the parsed answer) → notes for the clerk."""

ACTIONS: dict[str, Action] = {}
GRID_ROWS: tuple[str, ...] = (*fmt.OUTCOME_KEYS, "carry_next")
FOLLOWUP_PATH = "problems.followup"
FOLLOWUP_DRAFT = "针对上年报告提出的问题，{who}【请填写：逐项采取的整改措施和取得的效果】。"


def action(name: str) -> Callable[[Action], Action]:
    def register(fn: Action) -> Action:
        ACTIONS[name] = fn
        return fn
    return register


@action("confirm_section")
def confirm_section(iv: Interview, q: Question, value: Any) -> list[str]:
    """“No change since last year”: accept every carried value of this section in one answer."""
    return iv.applier.confirm_section(q)


@action("no_requests")
def no_requests(iv: Interview, q: Question, value: Any) -> list[str]:
    t = iv.report.applications
    for col in fmt.COLUMN_KEYS:
        t.set("new", col, 0)
    if t.cell("carried", "total") == 0:
        for row in fmt.ROW_KEYS:
            for col in fmt.COLUMN_KEYS:
                t.set(row, col, 0)
        # No request, none carried: no 信息处理费 can have been charged, and 六 says so.
        iv.report.other.fee_yuan = Decimal(0)
        return ["表三已全部填为 0", *fee_statement(iv, q, Decimal(0))]
    return [f"本年没有新收申请；上年结转的 {t.cell('carried', 'total')} 件还要填写办理结果"]


@action("all_public")
def all_public(iv: Interview, q: Question, value: Any) -> list[str]:
    t = iv.report.applications
    for col in fmt.COLUMN_KEYS:
        total = (t.value("new", col) or 0) + (t.value("carried", col) or 0)
        for row in GRID_ROWS:
            t.set(row, col, total if row == "public" else 0)
    return [f"已把 {t.received} 件全部计入{fmt.T3_ROW['public'].label}，其他办理结果和结转下年度均为 0"]


@action("review_blocks")
def review_blocks(iv: Interview, q: Question, value: Any) -> list[str]:
    """四 by blocks: the blocks not picked are 0; the picked ones are asked next."""
    picked = {str(v) for v in (value or [])}
    reviews = iv.report.reviews
    zeroed = []
    for key, label in fmt.T4_BLOCKS:
        if key not in picked:
            block = reviews.block(key)
            for col in fmt.OUTCOME_KEYS_T4:
                setattr(block, col, 0)
            zeroed.append(fmt.REVIEW if key == "review" else f"{fmt.LITIGATION}（{label}）")
    if not picked:
        return ["表四已全部填为 0"]
    return [f"表四中{'、'.join(zeroed)}填为 0"] if zeroed else []


@action("compose_problems")
def compose_problems(iv: Interview, q: Question, value: Any) -> list[str]:
    """The picked suggestions of 五 composed into the draft of 问题 and 改进 by the library."""
    picked = [str(v) for v in (value or [])]
    if not picked:
        return []
    iv.library.apply_picks(iv.report, "五", picked, previous=iv.previous)
    notes = [f"已按所选的 {len(picked)} 条拼成第五部分的草稿，下一步可以修改"]
    report = iv.report
    if (iv.previous is not None and iv.previous.problems.problems.strip()) or FOLLOWUP_PATH in report.draft.to_confirm:
        # A re-run reports how last year's problems were dealt with: a fact only the clerk knows.
        p, line = report.problems, FOLLOWUP_DRAFT.format(who=report.agency.self_reference)
        if p.layout == "paragraph":
            p.problems = p.problems.rstrip() + line
        else:
            p.improvements = (p.improvements.rstrip() + "\n" + line).strip()
        iv.applier.clear_to_confirm((FOLLOWUP_PATH,))
        notes.append("草稿的改进部分留了一句，请写明去年提出的问题整改得怎样")
    return notes


@action("fee_statement")
def fee_statement(iv: Interview, q: Question, value: Any) -> list[str]:
    r = iv.report
    fee = r.other.fee_yuan
    if fee is None:
        return []
    year = f"{r.year}年" if r.year else "本年度"
    who = r.agency.self_reference
    if fee == 0:
        text = f"{year}，{who}依照{fmt.FEE_RULES}，未收取信息处理费。"
    else:
        text = f"{year}，{who}依照{fmt.FEE_RULES}收取信息处理费共计{format(fee, 'f')}元。"
    r.other.fee_statement = text
    iv.applier.clear_to_confirm(("other.fee_statement",))
    return [f"关于信息处理费写为：{text}"]


@action("apply_other_items")
def apply_other_items(iv: Interview, q: Question, value: Any) -> list[str]:
    keep = set(value or [])
    cleared = []
    for key, label in fmt.OTHER_ITEMS[1:]:
        if key not in keep and getattr(iv.report.other, key).strip():
            setattr(iv.report.other, key, "")
            cleared.append(label)
    return [f"不再写：{'、'.join(cleared)}"] if cleared else []



@action("accept_drafts")
def accept_drafts(iv: Interview, q: Question, value: Any) -> list[str]:
    """One answer for a section's drafted paragraphs: every paragraph the clerk did not pick to
    rewrite takes the library's draft as it stands this year (never last year's sentences); the
    picked ones, and any without a draft, are asked one by one afterwards."""
    presenter, answers = iv.presenter, iv.report.draft.answers
    accepted = iv.report.draft.accepted_drafts
    if q.drafts:
        paragraphs = [iv.by_id[qid] for qid in q.drafts]
    else:
        paragraphs = [o for o in iv.questions if o.section == q.section and o.kind == "paragraph"]
    rewrite = {str(v) for v in (value or [])}
    taken, asked = [], []
    for i, other in enumerate(paragraphs):
        key = q.choices[i] if i < len(q.choices) else other.id
        draft = presenter.render(other.default).strip() if other.default else ""
        if PLACEHOLDER.search(draft):
            answers.pop(other.id, None)  # a fact the answers did not give: the clerk writes it
            accepted.pop(other.id, None)
            asked.append(f"{key}（草稿里有待填写的内容）")
            continue
        if key in rewrite or not draft or not presenter.applies(other):
            answers.pop(other.id, None)  # asked afresh, with the draft (if any) as the default
            accepted.pop(other.id, None)
            asked.append(key)
            continue
        iv.applier.apply(other, draft)
        accepted[other.id] = draft
        taken.append(key)
    notes = []
    if taken:
        notes.append(f"已按今年的草稿写入：{'、'.join(taken)}")
    if asked:
        notes.append(f"接下来逐段确认：{'、'.join(asked)}")
    return notes


@action("guess_agency_kind")
def guess_agency_kind(iv: Interview, q: Question, value: Any) -> list[str]:
    """The level of the agency read from its name, so a clear name needs no second question;
    the clerk is told which level was taken and the 封面 question stays open to change it."""
    from gkassist.agency import guess_kind

    kind = guess_kind(iv.report.agency.name)
    answers = iv.report.draft.answers
    if kind == fmt.AgencyKind.OTHER or "agency_kind" in answers:
        return []
    iv.report.agency.kind = kind
    answers["agency_kind"] = kind.value
    return [f"按名称，机关层级定为“{kind.value}”（决定自称和发布期限）。不对的话，按 F2 回到封面改“机关层级”"]
