"""API shapes of /api/v1/funds. Money leaves as a string with two decimals (元), never a float."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class VersionFields(Schema):
    period_start: dt.date
    period_end: dt.date
    reference_date: dt.date | None = Field(None, description="人数统计基准日；空则为申请当日")
    eligible_kinds: list[str] = Field([], description="可申请的工会类型（orgs.Org.Kind），空为不限")
    pilot_org_ids: list[int] = Field([], description="试点名单，空为不限")
    occupations: list[str] = Field([], description="计入人数的职业（新就业形态群体），空为全部")
    formula: dict = Field(description="计算公式（JSON），见 docs/funds.md")
    documents: list[str] = []
    once_per: str = Field("year", description="year / month / scheme / none")
    note: str = ""


class SchemeIn(VersionFields):
    org_id: int
    code: str
    name: str
    category: str = "other"
    applicant: str = Field("org", description="org 工会组织申请 / person 个人申请")


class SchemeReviseIn(Schema):
    change_reason: str
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    reference_date: dt.date | None = None
    eligible_kinds: list[str] | None = None
    pilot_org_ids: list[int] | None = None
    occupations: list[str] | None = None
    formula: dict | None = None
    documents: list[str] | None = None
    once_per: str | None = None
    note: str | None = None


class VersionOut(Schema):
    number: int
    period_start: dt.date
    period_end: dt.date
    reference_date: dt.date | None
    eligible_kinds: list[str]
    pilot_org_ids: list[int]
    occupations: list[str]
    formula: dict
    formula_text: str
    inputs_needed: list[str]
    documents: list[str]
    once_per: str
    note: str
    change_reason: str
    created_at: dt.datetime


class SchemeOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(alias="org.name")
    code: str
    name: str
    category: str
    category_label: str = Field(alias="get_category_display")
    applicant: str
    current_version: int
    is_active: bool
    current: VersionOut


class FundQuoteIn(Schema):
    org_id: int | None = Field(None, description="申请单位：给出时会员人数、兼职主席人数取自系统")
    members: int | None = None
    cost: Decimal | None = None
    persons: int | None = None
    months: int | None = None
    level: str | None = None


class QuoteOut(Schema):
    scheme_id: int
    version: int
    minimum: Decimal
    maximum: Decimal
    lines: list[str]
    inputs: dict
    sources: dict


class FundDocumentIn(Schema):
    name: str
    ref: str = ""


class ApplyIn(FundQuoteIn):
    documents: list[FundDocumentIn] = []
    note: str = ""
    payee: str = ""


class FundApplicationOut(Schema):
    id: int
    number: str
    scheme_id: int
    scheme_name: str = Field(alias="scheme.name")
    version: int = Field(alias="version.number")
    payer_id: int
    payer_name: str = Field(alias="payer.name")
    org_id: int
    applicant_name: str
    payee: str
    year: int
    period_key: str
    inputs: dict
    input_sources: dict
    working: list[str]
    minimum: Decimal
    maximum: Decimal
    documents: list[dict]
    status: str
    status_label: str = Field(alias="get_status_display")
    approved_amount: Decimal | None
    review_reason: str
    reviewed_at: dt.datetime | None
    batch_id: int | None
    submitted_at: dt.datetime
    paid_at: dt.datetime | None


class FundApproveIn(Schema):
    amount: Decimal
    reason: str


class FundRejectIn(Schema):
    reason: str


class BudgetIn(Schema):
    year: int
    amount: Decimal


class BudgetOut(Schema):
    id: int
    scheme_id: int
    scheme_name: str = Field(alias="scheme.name")
    org_id: int
    year: int
    amount: Decimal
    committed: Decimal
    paid: Decimal
    remaining: Decimal


class BatchIn(Schema):
    org_id: int
    application_ids: list[int] = []


class FundBatchOut(Schema):
    id: int
    number: str
    org_id: int
    status: str
    count: int
    total: Decimal
    created_at: dt.datetime
    exported_at: dt.datetime | None
    paid_at: dt.datetime | None


class ConfirmIn(Schema):
    control_total: Decimal


class LedgerOut(Schema):
    id: int
    kind: str
    kind_label: str = Field(alias="get_kind_display")
    amount: Decimal
    year: int
    category: str
    scheme_name: str = Field(alias="application.scheme.name")
    application_number: str = Field(alias="application.number")
    recipient_id: int
    recipient_name: str = Field(alias="recipient.name")
    batch_id: int | None
    at: dt.datetime


class ContributionIn(Schema):
    org_id: int
    month: dt.date = Field(description="所属月份（任一天，按月记录）")
    payroll: Decimal
    paid: Decimal = Decimal("0")
    paid_on: dt.date | None = None


class ContributionOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(alias="org.name")
    month: dt.date
    payroll: Decimal
    rate: Decimal
    due: Decimal
    paid: Decimal
    arrears: Decimal
    kept_rate: Decimal
    kept: Decimal
    sent_up: Decimal
    rule_label: str
    paid_on: dt.date | None
