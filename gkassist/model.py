"""Pydantic models of the annual report; totals are derived here and never stored.

A draft starts empty (every figure `None`, every text ""), the interview fills it, the importer
fills it from a published text. `None` in a figure means the cell is blank (not answered, or
printed empty); rendering prints it as 0 and `check` reports it (R7).
What a published report printed — its own totals, headings and labels — is kept apart in
`Report.printed` so that `check` can compare the printed figures with the derived ones.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from gkassist import format as fmt

SCHEMA_VERSION = 1

Count = Annotated[int, Field(ge=0, strict=False)]
"""A whole, non-negative number of documents, decisions, applications or cases."""
Money = Annotated[Decimal, Field(ge=0, max_digits=16, decimal_places=4)]
"""An amount of money, never negative, at most four decimal places."""


def _encodable(text: str) -> str:
    # A lone surrogate (a hand-edited "\ud800" in JSON) cannot be written as UTF-8; every save
    # and export would fail on it, so it becomes U+FFFD the moment it enters the model.
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


_SURROGATE = re.compile("[\ud800-\udfff]")


# Terminal escape sequences (ESC [ … m and the like), the other C0/C1 control characters except
# tab and line breaks, and the bidi embedding/override/isolate marks (U+202A–U+202E, U+2066–U+2069)
# that make text display differently from what it says: typed text is text, never commands.
_ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])?")
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\u202a-\u202e\u2066-\u2069]")
_BREAKS_TO_NEWLINE = str.maketrans({c: "\n" for c in "\r\x0b\x0c\x85\u2028\u2029"})
_LINE_BREAKS = re.compile("\r\n?|[\t\n\x0b\x0c\x85\u2028\u2029]")


def _clean(text: str) -> str:
    text = _encodable(text)
    if text.isprintable():  # the common case costs one C-level scan
        return text
    text = _ESCAPES.sub("", text)
    text = text.replace("\r\n", "\n").translate(_BREAKS_TO_NEWLINE)  # a vertical tab is a line break
    return _CONTROLS.sub("", text)


def _single_line(text: str) -> str:
    text = _clean(text)
    if text.isprintable():
        return text
    return _LINE_BREAKS.sub(" ", text)


Text = Annotated[str, AfterValidator(_clean)]
"""Any text the clerk or a published report supplies; always encodable as UTF-8, with no terminal
escapes, control characters (but tab and newline) or bidi overrides."""
Line = Annotated[str, AfterValidator(_single_line)]
"""One line of text (a name, a contact): `Text` with any line break or tab turned into a space, so that a
name can never start a heading or a new paragraph in an output."""


class _Model(BaseModel):
    model_config = ConfigDict(
        use_attribute_docstrings=True, validate_assignment=True, extra="forbid"
    )


def _sum(values: Any) -> int:
    return sum(v for v in values if v is not None)


# ------------------------------------------------------------------ agency and front matter


class Agency(_Model):
    """The agency that publishes the report."""

    name: Line = ""
    """全称, e.g. 高平镇人民政府 or 沭阳县发展和改革局."""
    kind: fmt.AgencyKind | None = None
    """The agency's level: 乡/镇/街道/县级部门/县级人民政府/市级部门/设区的市人民政府/省级部门/其他."""
    short_name: Line = ""
    """A short name used in running text (高平镇, 县发改局); the full name when empty."""
    self_reference_override: Line = ""
    """The self-reference word when the derived one does not fit (e.g. 本院); empty to derive."""

    @property
    def self_reference(self) -> str:
        """我镇 / 我乡 / 本街道 / 我局 / 我委 / 我县 / 我市 …"""
        if self.self_reference_override:
            return self.self_reference_override
        return fmt.self_reference(self.kind or fmt.AgencyKind.OTHER, self.name)

    @property
    def display_short_name(self) -> str:
        return self.short_name or self.name.removesuffix("人民政府") or self.name

    @property
    def can_make_rules(self) -> bool:
        return self.kind is not None and self.kind not in fmt.NO_RULES_KINDS


# ------------------------------------------------------------------ 一、总体情况


class Overview(_Model):
    """一、总体情况 in its five customary parts (plus an optional lead paragraph)."""

    lead: Text = ""
    """An opening paragraph before the five parts; may be empty."""
    proactive: Text = ""
    """（一）主动公开."""
    on_request: Text = ""
    """（二）依申请公开."""
    management: Text = ""
    """（三）政府信息管理."""
    platform: Text = ""
    """（四）政府信息公开平台建设."""
    supervision: Text = ""
    """（五）监督保障 (governments also report 工作考核、社会评议和责任追究 here)."""

    def parts(self) -> list[tuple[str, str, str]]:
        """(key, official sub-heading, text) for the five parts, in order."""
        return [(key, label, getattr(self, key)) for key, label in fmt.OVERVIEW_PARTS]


# ------------------------------------------------------------------ 二、主动公开


class DocumentCounts(_Model):
    """One row of 第二十条第（一）项: documents made, repealed and in force."""

    issued: Count | None = None
    """本年制发件数."""
    repealed: Count | None = None
    """本年废止件数."""
    in_force: Count | None = None
    """现行有效件数."""


class ProactiveTable(_Model):
    """二、主动公开政府信息情况: the four small tables."""

    rules: DocumentCounts = Field(default_factory=DocumentCounts)
    """规章 (always 0 for 乡、镇、街道 and 县级)."""
    normative: DocumentCounts = Field(default_factory=DocumentCounts)
    """行政规范性文件."""
    licensing: Count | None = None
    """行政许可: 本年处理决定数量."""
    penalty: Count | None = None
    """行政处罚: 本年处理决定数量."""
    enforcement: Count | None = None
    """行政强制: 本年处理决定数量."""
    fee: Money | None = None
    """行政事业性收费: 本年收费金额, in 万元."""


# ------------------------------------------------------------------ 三、申请


class ApplicantRow(_Model):
    """One row of table 三: a count per applicant type; the 总计 column is derived."""

    natural_person: Count | None = None
    """自然人."""
    commercial: Count | None = None
    """商业企业."""
    research: Count | None = None
    """科研机构."""
    welfare: Count | None = None
    """社会公益组织."""
    legal: Count | None = None
    """法律服务机构."""
    other_org: Count | None = None
    """其他 (法人或其他组织)."""

    @property
    def total(self) -> int:
        return _sum(getattr(self, k) for k in fmt.COLUMN_KEYS)

    def values(self) -> dict[str, int | None]:
        return {k: getattr(self, k) for k in fmt.COLUMN_KEYS}

    @property
    def blank(self) -> bool:
        return all(v is None for v in self.values().values())


class ApplicationTable(_Model):
    """三、收到和处理政府信息公开申请情况: 24 rows × 6 applicant columns as entered.

    The 总计 column and the （七）总计 row are derived by `cell`, never stored.
    """

    rows: dict[str, ApplicantRow] = Field(default_factory=dict)
    """Keyed by row (new, carried, public, partial, withheld_*, unable_*, refused_*, other_*,
    carry_next); every row is present after validation."""

    @model_validator(mode="before")
    @classmethod
    def _all_rows(cls, data: Any) -> Any:
        if isinstance(data, dict):
            rows = dict(data.get("rows") or {})
            unknown = sorted(set(rows) - set(fmt.ROW_KEYS))
            if unknown:
                raise ValueError(f"表三没有这些行：{'、'.join(unknown)}")
            data = {**data, "rows": {k: rows.get(k, {}) for k in fmt.ROW_KEYS}}
        return data

    def row(self, key: str) -> ApplicantRow:
        return self.rows[key]

    def cell(self, row: str, column: str) -> int:
        """Any cell as printed, derived cells included: row may be 'total', column 'total'."""
        if row == "total":
            return sum(self.cell(k, column) for k in fmt.OUTCOME_KEYS)
        r = self.rows[row]
        if column == "total":
            return r.total
        return getattr(r, column) or 0

    def value(self, row: str, column: str) -> int | None:
        """An entered cell, None when blank."""
        return getattr(self.rows[row], column)

    def set(self, row: str, column: str, value: int | None) -> None:
        setattr(self.rows[row], column, value)

    def fill_blank(self, value: int = 0) -> None:
        """Give every blank cell a value (used when the clerk says there were no requests)."""
        for r in self.rows.values():
            for k in fmt.COLUMN_KEYS:
                if getattr(r, k) is None:
                    setattr(r, k, value)

    @property
    def received(self) -> int:
        """新收 + 上年结转, the applications to be handled this year."""
        return self.cell("new", "total") + self.cell("carried", "total")

    @property
    def any_blank(self) -> bool:
        return any(getattr(r, k) is None for r in self.rows.values() for k in fmt.COLUMN_KEYS)


# ------------------------------------------------------------------ 四、复议诉讼


class OutcomeCounts(_Model):
    """One block of table 四; its 总计 is derived."""

    upheld: Count | None = None
    """结果维持."""
    corrected: Count | None = None
    """结果纠正."""
    other: Count | None = None
    """其他结果."""
    pending: Count | None = None
    """尚未审结."""

    @property
    def total(self) -> int:
        return _sum(getattr(self, k) for k in fmt.OUTCOME_KEYS_T4)

    def cell(self, column: str) -> int:
        return self.total if column == "total" else (getattr(self, column) or 0)


class ReviewTable(_Model):
    """四、政府信息公开行政复议、行政诉讼情况: three blocks of four figures."""

    review: OutcomeCounts = Field(default_factory=OutcomeCounts)
    """行政复议."""
    direct_suit: OutcomeCounts = Field(default_factory=OutcomeCounts)
    """行政诉讼 — 未经复议直接起诉."""
    suit_after_review: OutcomeCounts = Field(default_factory=OutcomeCounts)
    """行政诉讼 — 复议后起诉."""

    def block(self, key: str) -> OutcomeCounts:
        return getattr(self, key)

    @property
    def litigation_total(self) -> int:
        return self.direct_suit.total + self.suit_after_review.total

    def set_all(self, value: int = 0) -> None:
        for key, _ in fmt.T4_BLOCKS:
            for col in fmt.OUTCOME_KEYS_T4:
                setattr(self.block(key), col, value)


# ------------------------------------------------------------------ 五、六


class ProblemsSection(_Model):
    """五、存在的主要问题及改进情况."""

    problems: Text = ""
    """（一）主要问题."""
    improvements: Text = ""
    """（二）改进措施 / 改进情况."""
    followup: Text = ""
    """上年问题整改情况: how last year's stated problems were dealt with."""
    layout: Literal["subheads", "paragraph"] = "subheads"
    """subheads: （一）主要问题 / （二）改进措施; paragraph: one running text."""
    picked: list[Text] = Field(default_factory=list)
    """Library entries the clerk chose, remembered so next year offers other wording."""


class OtherMatters(_Model):
    """六、其他需要报告的事项."""

    fee_yuan: Money | None = None
    """信息处理费 collected this year, in 元 (0 when none was collected)."""
    fee_statement: Text = ""
    """The sentence about 信息处理费 (required, including “none”)."""
    work_points: Text = ""
    """落实上级年度政务公开工作要点情况."""
    proposals: Text = ""
    """人大代表建议和政协提案办理结果公开情况."""
    innovation: Text = ""
    """年度政务公开工作创新情况."""
    other: Text = ""
    """Anything else to report."""

    def paragraphs(self) -> list[Text]:
        return [t for t in (self.fee_statement, self.work_points, self.proposals,
                            self.innovation, self.other) if t.strip()]


# ------------------------------------------------------------------ what a published report printed


class Printed(_Model):
    """What a published report printed, kept verbatim beside the model so `check` can compare."""

    source: Text = ""
    """The file the report was imported from."""
    layout: Literal["2021", "2019", "unknown"] = "2021"
    """Which table format the document used."""
    title: Text = ""
    """The title as printed."""
    headings: list[Text] = Field(default_factory=list)
    """Section headings as printed, in order, duplicates kept."""
    labels: list[Text] = Field(default_factory=list)
    """Table labels as printed (after joining broken lines), for the wrong-label check."""
    cells: dict[str, Text] = Field(default_factory=dict)
    """Cell id (see `cell_id`) → the text printed in it, "" for an empty cell."""
    markers: list[Text] = Field(default_factory=list)
    """Markers of the old 2019 tables found in the document."""
    text: Text = ""
    """The whole document as plain text, for the checks that read prose."""
    missing: list[Text] = Field(default_factory=list)
    """What the importer looked for and did not find, in Chinese."""
    cell_status: dict[str, CellStatus] = Field(default_factory=dict)
    """Cell id → how the import got its figure; a cell not listed was not found at all."""


CellStatus = Literal["read", "split", "pending", "confirmed"]
"""How an imported figure was obtained: read as printed, split from a run of digits by the
tables' arithmetic (`按勾稽关系拆分`), not sure (`待核对`: left blank until the clerk confirms), or
confirmed by the clerk in the app after it was 待核对."""


class PendingCell(_Model):
    """A figure the import could not be sure of; its cell stays blank until the clerk decides."""

    candidates: list[int | Decimal] = Field(default_factory=list)
    """The values the printed text allows (empty when nothing fits), most likely first."""
    reason: Text = ""
    """Why it is uncertain, in Chinese (what was printed, what did not add up)."""


def cell_id(table: str, *parts: str) -> str:
    """The id of a printed cell: t2.rules.issued, t2.fee, t3.new.total, t4.review.upheld …"""
    return ".".join((table, *parts))


def cell_path(cid: str) -> str:
    """The model path a printed cell's figure belongs to: t2.rules.issued → proactive.rules.issued,
    t2.fee → proactive.fee, t3.new.natural_person → applications.rows.new.natural_person,
    t4.review.upheld → reviews.review.upheld. A derived 总计 cell (t3.new.total, t4.review.total)
    gives the path of its row or block, which the model derives it from."""
    parts = cid.split(".")
    if parts[0] == "t2":
        return "proactive." + ".".join(parts[1:])
    if parts[0] == "t3":
        return f"applications.rows.{parts[1]}" + (f".{parts[2]}" if parts[2] != "total" else "")
    return f"reviews.{parts[1]}" + (f".{parts[2]}" if parts[2] != "total" else "")


# ------------------------------------------------------------------ the interview's own state


class Turn(_Model):
    """One line of the conversation as shown to the clerk."""

    role: Literal["assistant", "clerk", "note"]
    """Who said it: the assistant, the clerk, or a note such as a finding."""
    text: Text
    """What was said."""
    question: Text = ""
    """The id of the question this turn belongs to."""


class LastYear(_Model):
    """What a re-run knows of last year's report, typed (never parsed back out of notes)."""

    year: int | None = None
    """Last year's report year."""
    in_force: dict[str, int | None] = Field(default_factory=dict)
    """Table 二 row key (`rules`, `normative`) → last year's 现行有效件数 (the base of R9)."""
    carried_over: dict[str, int | None] = Field(default_factory=dict)
    """Table 三 column key → last year's 四、结转下年度继续办理 (the base of R5)."""
    figures: dict[str, int | None] = Field(default_factory=dict)
    """Cell id → last year's figure, shown beside this year's and used for ten-fold jumps (D15)."""
    texts: dict[str, Text] = Field(default_factory=dict)
    """Model path of a narrative part (`problems.problems` …) → last year's text (D11 without --previous)."""
    notes: list[Text] = Field(default_factory=list)
    """What `new-year` told the clerk (moved years, corrected self-words, figures to rewrite)."""


class RollupSource(_Model):
    """One unit's report in a county roll-up (`gkassist aggregate`): where it came from and whether it was summed."""

    agency: Text = ""
    """The unit's full name as its report gives it."""
    file: Text = ""
    """The file the unit's report was read from."""
    year: int | None = None
    """The year the unit's report covers."""
    counted: bool = False
    """True when its figures are in the sums of tables 二, 三 and 四."""
    reason: Text = ""
    """Why it was left out of the sums (or counted with blank cells), in Chinese; "" when counted cleanly."""


class DraftState(_Model):
    """Where the interview stands; kept in the answers file so a restart resumes."""

    answers: dict[str, Any] = Field(default_factory=dict)
    """Question id → the accepted answer (as parsed), in the order given."""
    skipped: list[Text] = Field(default_factory=list)
    """Questions the clerk chose to skip for now."""
    log: list[Turn] = Field(default_factory=list)
    """The conversation so far."""
    to_confirm: dict[str, Text] = Field(default_factory=dict)
    """Field path → why it must be confirmed (carried from last year, imported …)."""
    carried_from: int | None = None
    """The year this draft was carried forward from."""
    overrides: dict[str, Text] = Field(default_factory=dict)
    """Field path → the reason the clerk gave for overriding a carried figure."""
    exported: list[Text] = Field(default_factory=list)
    """Files written by the last export."""
    exported_hashes: dict[str, str] = Field(default_factory=dict)
    """Exported file name → the SHA-256 of what was written, so a later export can tell whether
    the clerk has edited that file since (then it writes beside it instead of over it)."""
    last_year: LastYear | None = None
    """For a re-run: last year's figures and texts, kept typed so no rule has to guess them."""
    pending: dict[str, PendingCell] = Field(default_factory=dict)
    """Cell id (see `cell_id`) → a figure the import marked 待核对; removed once the clerk confirms it."""
    sources: list[RollupSource] = Field(default_factory=list)
    """For a county report drafted by `gkassist aggregate`: the units whose reports it sums (and those left out)."""
    accepted_drafts: dict[str, Text] = Field(default_factory=dict)
    """Question id → the library draft the clerk accepted unchanged (kept in step with later figures)."""

    @model_validator(mode="before")
    @classmethod
    def _accepted_drafts_out_of_answers(cls, data: Any) -> Any:
        # Files written before accepted_drafts was a field kept them under a reserved answer key.
        if isinstance(data, dict) and isinstance(data.get("answers"), dict) and "_accepted_drafts" in data["answers"]:
            answers = dict(data["answers"])
            data = {**data, "answers": answers,
                    "accepted_drafts": {**answers.pop("_accepted_drafts"), **data.get("accepted_drafts", {})}}
        # Files written while 四 was one yes/no question: 有 asked all three blocks, 没有 none.
        if isinstance(data, dict) and isinstance(data.get("answers"), dict) \
                and isinstance(data["answers"].get("has_reviews"), bool):
            blocks = [key for key, _ in fmt.T4_BLOCKS] if data["answers"]["has_reviews"] else []
            data = {**data, "answers": {**data["answers"], "has_reviews": blocks}}
        return data


# ------------------------------------------------------------------ the report


class Report(_Model):
    """One agency's 政府信息公开工作年度报告 for one year — the answers file."""

    schema_version: int = SCHEMA_VERSION
    """The version of this file's layout."""
    agency: Agency = Field(default_factory=Agency)
    """Who publishes the report."""
    year: int | None = Field(default=None, ge=2008, le=2100)
    """The report year (1月1日–12月31日)."""
    published: date | None = None
    """The publication date."""
    contact: Line = ""
    """Where readers can ask about the report (office, address, telephone)."""
    preface: Text = ""
    """The opening paragraph: legal basis, statistics period, where it is published."""
    overview: Overview = Field(default_factory=Overview)
    """一、总体情况."""
    proactive: ProactiveTable = Field(default_factory=ProactiveTable)
    """二、主动公开政府信息情况."""
    applications: ApplicationTable = Field(default_factory=ApplicationTable)
    """三、收到和处理政府信息公开申请情况."""
    reviews: ReviewTable = Field(default_factory=ReviewTable)
    """四、政府信息公开行政复议、行政诉讼情况."""
    problems: ProblemsSection = Field(default_factory=ProblemsSection)
    """五、存在的主要问题及改进情况."""
    other: OtherMatters = Field(default_factory=OtherMatters)
    """六、其他需要报告的事项."""
    printed: Printed | None = None
    """For an imported report: what the published text printed."""
    draft: DraftState = Field(default_factory=DraftState)
    """The interview's state."""

    @model_validator(mode="after")
    def _known_version(self) -> Report:
        if self.schema_version > SCHEMA_VERSION:
            raise ValueError(
                f"文件格式版本 {self.schema_version} 比本程序支持的 {SCHEMA_VERSION} 新，请升级 gkassist"
            )
        return self

    @property
    def title(self) -> str:
        return fmt.report_title(self.agency.name, self.year) if self.year else ""


# ------------------------------------------------------------------ putting a report back


def report_state(report: Report, *, with_log: bool = True) -> dict[str, Any]:
    """The report as plain data, to put back with `put_back` if what follows fails (an answer
    that cannot be saved). pydantic's serialiser makes it in about a tenth of a deep copy's time;
    every answer takes one, and a rollback is rare. Without the log (which an answer only
    appends to) its length is kept by the caller."""
    return report.model_dump(exclude=None if with_log else {"draft": {"log"}})


def put_back(report: Report, state: dict[str, Any]) -> None:
    """Make `report` (in place: the session and the interview share the object) what it was
    when `state` was taken. The data is validated again, as loading the answers file validates
    it; a state taken without the log leaves the log as it is."""
    draft = state["draft"]
    with_log = "log" in draft
    saved = Report.model_validate(state if with_log else {**state, "draft": {**draft, "log": []}})
    for name in Report.model_fields:
        if name != "draft":
            setattr(report, name, getattr(saved, name))
    for name in DraftState.model_fields:
        if name != "log" or with_log:
            setattr(report.draft, name, getattr(saved.draft, name))
