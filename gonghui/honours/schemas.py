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
