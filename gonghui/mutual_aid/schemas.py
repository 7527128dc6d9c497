from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class BandIn(Schema):
    lower: str
    upper: str | None = None
    rate: str


class MutualAidProductIn(Schema):
    org_id: int
    code: str
    name: str
    year: int = Field(ge=2000, le=2100)
    period_start: dt.date
    period_end: dt.date
    premium: str
    deductible: str
    bands: list[BandIn]
    minimum_payout: str = "0"
    allowance_per_day: str = "0"
    allowance_max_days: int = 0
    yearly_cap: str
    eligibility: str = "members"
    covers_accident: bool = True


class MutualAidProductOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(alias="org.name")
    code: str
    name: str
    year: int
    period_start: dt.date
    period_end: dt.date
    premium: Decimal
    eligibility: str
    deductible: Decimal
    bands: list[dict]
    minimum_payout: Decimal
    allowance_per_day: Decimal
    allowance_max_days: int
    yearly_cap: Decimal
    covers_accident: bool
    is_active: bool


class MutualAidQuoteIn(Schema):
    product_id: int
    self_paid: str
    days: int = 1
    # The member's year so far (earlier stays of the same product year); zero for a first stay.
    deductible_used: str = "0"
    eligible_so_far: str = "0"
    paid_so_far: str = "0"
    allowance_days_used: int = 0


class EnrolIn(Schema):
    product_id: int
    member_ids: list[int]
    paid_by: str = "union"
    donated_as: str = ""


class EnrolmentOut(Schema):
    id: int
    certificate_no: str
    product_id: int
    product_name: str = Field(alias="product.name")
    year: int = Field(alias="product.year")
    member_id: int
    member_name_masked: str = Field(alias="member.name_masked")
    org_id: int
    paid_by: str
    donated_as: str
    premium: Decimal
    status: str


class EnrolResultOut(Schema):
    enrolled: list[EnrolmentOut]
    problems: list[str]


class ClaimIn(Schema):
    kind: str = "illness"
    hospital: str
    diagnosis: str = ""
    admitted_on: dt.date
    discharged_on: dt.date
    total_cost: str
    insured_part: str = "0"
    self_paid: str | None = None
    # Staff filing for a member of their subtree name the member; a member files for themself.
    member_id: int | None = None


class ClaimUpdateIn(ClaimIn):
    reason: str


class ClaimOut(Schema):
    id: int
    number: str
    status: str
    status_display: str = Field(alias="get_status_display")
    kind: str
    channel: str
    certificate_no: str = Field(alias="enrolment.certificate_no")
    year: int = Field(alias="enrolment.product.year")
    admitted_on: dt.date
    discharged_on: dt.date
    days: int
    total_cost: Decimal
    insured_part: Decimal
    self_paid: Decimal
    payout: Decimal
    paid_amount: Decimal | None
    breakdown: dict
    decision_note: str
    created_at: dt.datetime


class StaffClaimOut(ClaimOut):
    org_id: int
    member_name_masked: str = Field(alias="enrolment.member.name_masked")
    hospital: str
    diagnosis: str


class MutualAidReasonIn(Schema):
    reason: str = ""


class NoteIn(Schema):
    note: str = ""


class FollowUpIn(Schema):
    item: str
    note: str = ""
    done_on: dt.date | None = None


class FollowUpOut(Schema):
    item: str
    item_display: str = Field(alias="get_item_display")
    done_at: dt.datetime | None
    done_by_label: str
    note: str
