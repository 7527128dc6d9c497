from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Schema


class HonourOut(Schema):
    id: int
    title: str
    level: str
    year: int
    awarding_body: str
    certificate_no: str
    holder: str

    @staticmethod
    def resolve_holder(obj) -> str:
        return obj.member.name if obj.member_id else obj.collective.name


class HonourIn(Schema):
    org_id: int
    title: str
    level: str
    year: int
    awarding_body: str
    certificate_no: str = ""
    member_id: int | None = None
    collective_id: int | None = None


class SelectionIn(Schema):
    org_id: int
    title: str
    honour_title: str
    level: str
    quota: int
    opens_on: dt.date
    closes_on: dt.date
    criteria: str = ""
    nominators: str = "both"
    prize: str = "0"
    panel_ids: list[int] = []


class SelectionOut(Schema):
    id: int
    title: str
    honour_title: str
    level: str
    quota: int
    status: str
    opens_on: dt.date
    closes_on: dt.date
    prize: Decimal
    notice_id: int | None


class NominateIn(Schema):
    member_id: int
    evidence: str


class NominationOut(Schema):
    id: int
    member_id: int
    status: str
    is_self: bool


class ScoreIn(Schema):
    score: int | str


class PublishIn(Schema):
    workdays: int | None = None


class AgreementIn(Schema):
    org_id: int
    master_id: int
    apprentice_ids: list[int]
    plan: str
    starts_on: dt.date
    ends_on: dt.date


class AgreementOut(Schema):
    id: int
    master_id: int
    status: str
    starts_on: dt.date
    ends_on: dt.date


class ProblemIn(Schema):
    org_id: int
    title: str
    category: str
    description: str


class ProposeIn(Schema):
    solution: str
    follow_up: str = ""


class ProblemOut(Schema):
    id: int
    title: str
    category: str
    status: str
    solution: str


class HonourStudioIn(Schema):
    org_id: int
    name: str
    kind: str
    level: str
    named_year: int | str
    leader_id: int
    member_ids: list[int] = []


class HonourStudioOut(Schema):
    id: int
    name: str
    kind: str
    level: str
    named_year: int
    leader_id: int


class HonourStudioProjectIn(Schema):
    title: str
    goal: str
    year: int | str
    status: str = "planned"
    benefit: str = "0"
    benefit_basis: str = ""


class HonourStudioProjectOut(Schema):
    id: int
    title: str
    status: str
    year: int
    benefit: Decimal
    benefit_basis: str


class HonourStudioReviewIn(Schema):
    year: int | str
    result: str
    comment: str


class HonourStudioReviewOut(Schema):
    id: int
    year: int
    result: str
    benefit_total: Decimal


class HonourFundingIn(Schema):
    application_number: str


class HonourFundingOut(Schema):
    id: int
    application_number: str
    label: str
    amount: Decimal
    year: int


class HonourContestIn(Schema):
    org_id: int
    title: str
    level: str
    held_on: dt.date
    events: list[str]
    advance_count: int = 0
    team_size: int = 0


class HonourContestOut(Schema):
    id: int
    title: str
    level: str
    held_on: dt.date
    status: str
    advance_count: int


class HonourTeamIn(Schema):
    name: str
    org_id: int
    member_ids: list[int]


class HonourEntrantIn(Schema):
    member_id: int


class HonourScoreIn(Schema):
    event_id: int
    score: str


class HonourEntrantOut(Schema):
    id: int
    member_id: int
    team_id: int | None
    total: Decimal | None
    rank: int | None
    advances: bool


class HonourTrainingIn(Schema):
    member_id: int
    course: str
    trade: str
    level: str
    certificate_no: str
    issued_on: dt.date
    hours: int = 0


class HonourTrainingOut(Schema):
    id: int
    member_id: int
    course: str
    trade: str
    level: str
    certificate_no: str
    issued_on: dt.date


class HonourMilestoneIn(Schema):
    title: str
    due_on: dt.date


class HonourReviewIn(Schema):
    end_review: str


class HonourTargetIn(Schema):
    org_id: int
    campaign_id: int | None = None
    product_id: int | None = None
    levels: list[str] = []
    donated_as: str = "model_worker"


class HonourServiceOut(Schema):
    id: int
    kind: str
    target_id: int
    target_label: str
    reached: int
