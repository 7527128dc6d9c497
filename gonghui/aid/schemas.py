"""Ninja schemas for /api/v1/aid/. Names of people leave masked; amounts are Decimal 元."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class FiguresIn(Schema):
    region_code: str
    household_size: int | str
    annual_income: str
    expense_medical: str = "0"
    expense_education: str = "0"
    expense_housing: str = "0"
    accident_costs: str = "0"
    migrant: bool = False
    urban_long_term: bool = False
    employed_months: int | str = 0
    dibao_monthly: str | None = None


class SelfTestOut(Schema):
    category: str
    answer: str
    per_capita_monthly: Decimal
    dibao_monthly: Decimal
    dibao_region: str
    dibao_effective_from: dt.date | None
    migrant_hardship: bool
    steps: list[str]
    how_to_apply: str


class AidProgrammeIn(Schema):
    org_id: int
    kind: str
    name: str
    year: int
    budget: str
    fund_source: str
    occasion: str = ""
    rules: dict | None = None
    documents_required: list[str] | None = None
    notice_workdays: int | None = None
    description: str = ""
    apply_until: dt.date | None = None


class AidProgrammeOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(alias="org.name")
    kind: str
    kind_display: str = Field(alias="get_kind_display")
    occasion: str
    name: str
    year: int
    fund_source: str
    budget: Decimal
    committed: Decimal
    paid: Decimal
    rules: dict
    documents_required: list[str]
    notice_workdays: int
    apply_until: dt.date | None
    status: str


class ApplicationIn(Schema):
    applicant_name: str = ""
    applicant_id_number: str
    applicant_phone: str = ""
    unit_name: str
    beneficiary_name: str = ""
    beneficiary_id_number: str = ""
    relation: str = ""
    level: str = ""
    school_name: str = ""
    need: str = ""
    requested_amount: str | None = None
    bank_name: str = ""
    bank_account: str = ""


class StaffApplicationIn(ApplicationIn):
    applicant_name: str
    applicant_phone: str


class AidDocumentOut(Schema):
    id: int
    kind: str
    kind_display: str = Field(alias="get_kind_display")
    original_name: str
    size: int


class AidApplicationOut(Schema):
    id: int
    number: str
    programme_id: int
    programme_name: str = Field(alias="programme.name")
    org_id: int
    org_name: str = Field(alias="org.name")
    year: int
    channel: str
    beneficiary_name_masked: str
    level: str
    school_name: str
    unit_name: str
    amount: Decimal
    status: str
    status_display: str = Field(alias="get_status_display")
    docs_note: str
    decision_reason: str
    notice_id: int | None
    created_at: dt.datetime


class WorkerApplicationOut(AidApplicationOut):
    status_text: str
    missing_documents: list[str]
    documents: list[AidDocumentOut] = Field(alias="document_list")


class StaffApplicationOut(AidApplicationOut):
    applicant_name: str
    applicant_id_masked: str
    beneficiary_name: str
    beneficiary_id_masked: str
    relation: str
    need: str
    requested_amount: Decimal | None
    hardship_file_id: int | None
    missing_documents: list[str]
    documents: list[AidDocumentOut] = Field(alias="document_list")


class CheckIn(Schema):
    complete: bool
    note: str = ""


class VisitIn(Schema):
    visited_on: dt.date
    visitors: str
    findings: str


class AidApproveIn(Schema):
    reason: str
    amount: str | None = None


class AidReasonIn(Schema):
    reason: str


class NoticeIn(Schema):
    title: str = ""
    workdays: int | None = None


class NoticeOut(Schema):
    id: int
    title: str
    starts_on: dt.date
    ends_on: dt.date
    workdays: int
    entries: int


class ObjectionOut(Schema):
    id: int
    notice_id: int
    entry_id: int | None
    reason: str
    status: str
    case_ref: str
    decision: str
    created_at: dt.datetime


class DecideIn(Schema):
    upheld: bool
    decision: str


class AidBatchOut(Schema):
    id: int
    number: str
    programme_id: int
    count: int
    total: Decimal
    status: str
    paid_on: dt.date | None


class PaidIn(Schema):
    paid_on: dt.date | None = None


class HardshipIn(FiguresIn):
    org_id: int
    head_name: str
    head_id_number: str
    head_phone: str = ""
    unit_name: str = ""
    household: list[dict] = []
    accident_note: str = ""


class RecheckIn(FiguresIn):
    head_phone: str = ""
    unit_name: str = ""
    household: list[dict] = []
    accident_note: str = ""


class HardshipOut(Schema):
    id: int
    number: str
    org_id: int
    head_name_masked: str
    unit_name: str
    region_code: str
    household_size: int
    category: str
    category_display: str = Field(alias="get_category_display")
    migrant_hardship: bool
    dibao_monthly: Decimal
    assessed_on: dt.date
    recheck_due: dt.date
    status: str


class HardshipDetailOut(HardshipOut):
    steps: list[str]


class AidLeaveIn(Schema):
    reason: str
    left_on: dt.date | None = None


class DibaoIn(Schema):
    org_id: int
    region_code: str
    region_name: str
    monthly: str
    effective_from: dt.date


class DibaoOut(Schema):
    region_code: str
    region_name: str
    monthly: Decimal
    effective_from: dt.date


class DonationIn(Schema):
    org_id: int
    donor_kind: str
    donor_name: str
    amount: str
    received_on: dt.date
    programme_id: int | None = None
    campaign: str = ""
    donors_count: int = 1
    note: str = ""


class DonationOut(Schema):
    id: int
    org_id: int
    programme_id: int | None
    donor_kind: str
    donor_name: str
    campaign: str
    donors_count: int
    amount: Decimal
    received_on: dt.date
    token: str
