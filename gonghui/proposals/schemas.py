"""Ninja schemas of /api/v1/proposals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class CaptureIn(Schema):
    title: str
    note: str = ""
    place: str = ""


class ProposalTeamIn(Schema):
    name: str
    phone: str = ""


class ProposalIn(Schema):
    title: str | None = None
    note: str | None = None
    place: str | None = None
    tier_id: int | None = None
    category: str | None = None
    problem: str | None = None
    solution: str | None = None
    expected_benefit: str | None = None
    estimated_savings: str | None = None
    show_name: bool | None = None
    team: list[ProposalTeamIn] | None = None


class ProposalEventOut(Schema):
    title: str
    body: str
    actor_label: str
    created_at: dt.datetime


class ProposalOut(Schema):
    id: int
    number: str
    title: str
    status: str
    status_display: str = Field(alias="get_status_display")
    tier_id: int | None
    category: str
    org_id: int
    org_name: str = Field(alias="org.name")
    place: str
    estimated_savings: Decimal | None
    verified_benefit: Decimal | None
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    due_date: dt.date | None
    lapsed: bool


class ProposalDetailOut(ProposalOut):
    note: str
    problem: str
    solution: str
    expected_benefit: str
    show_name: bool
    evidence: str
    owner_id: int | None
    coach_id: int | None
    events: list[ProposalEventOut] = Field(alias="events_list")


class LibraryOut(Schema):
    id: int
    number: str
    title: str
    author: str = Field(alias="author_display")
    org_name: str = Field(alias="org.name")
    tier: str | None = Field(None, alias="tier.name")
    category: str
    problem: str
    solution: str
    verified_benefit: Decimal | None
    decided_at: dt.datetime | None


class CoachIn(Schema):
    trainer_id: int


class ProposalAssignIn(Schema):
    reviewer_id: int


class ReviewIn(Schema):
    decision: str
    scores: dict[str, int | str] = {}
    reason: str = ""


class ReviewOut(Schema):
    id: int
    round: int
    reviewer_id: int
    due_date: dt.date
    decision: str
    total: int | None
    reason: str
    overdue: bool


class OwnerIn(Schema):
    owner_id: int
    due_date: dt.date | None = None


class ImplementationIn(Schema):
    evidence: str


class VerifyIn(Schema):
    benefit: str


class RewardIn(Schema):
    programme_id: int
    kind: str
    year: int
    quarter: int | None = None
    amount: str | None = None
    proposal_id: int | None = None
    recipient_id: int | None = None


class RewardOut(Schema):
    id: int
    kind: str
    kind_display: str = Field(alias="get_kind_display")
    year: int
    quarter: int | None
    amount: Decimal
    recipient_name: str
    proposal_id: int | None
    approved_at: dt.datetime
    handed_over_at: dt.datetime | None


class HandoverIn(Schema):
    note: str = ""


class ProposalProgrammeIn(Schema):
    org_id: int
    name: str = "全员改善"


class TierOut(Schema):
    id: int
    name: str
    rank: int
    review_days: int


class ProposalProgrammeOut(Schema):
    id: int
    org_id: int
    name: str
    quarter_min: Decimal
    quarter_max: Decimal
    exemplar_amount: Decimal
    hall_min: Decimal
    hall_max: Decimal
    tiers: list[TierOut] = Field(alias="tiers_list")


class RulesIn(Schema):
    quarter_min: str | None = None
    quarter_max: str | None = None
    exemplar_amount: str | None = None
    hall_min: str | None = None
    hall_max: str | None = None


class TierIn(Schema):
    name: str = ""
    rank: int | None = None
    review_days: int | None = None


class ReviewerIn(Schema):
    tier_id: int
    org_id: int
    user_id: int
    level: int = 1


class TrainerIn(Schema):
    org_id: int
    user_id: int
    level: int = 3
    speciality: str = ""


class TrainerOut(Schema):
    id: int
    name: str
    level: int
    level_display: str = Field(alias="get_level_display")
    speciality: str
    org_id: int
    appointed_on: dt.date


class SessionIn(Schema):
    title: str
    held_on: dt.date
    attendee_ids: list[int] = []


class ReportRow(Schema):
    key: str | int | None
    label: str
    submitted: int
    adopted: int
    implemented: int
    savings: Decimal
    rewards: Decimal
