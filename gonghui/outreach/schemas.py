"""走访与协商 API schemas (every name starts with Outreach: schema names are unique across the API)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class OutreachItemIn(Schema):
    topic: str
    result: str
    note: str = ""
    worker_name: str = ""
    workers_affected: int = 0
    amount: str = ""


class OutreachItemOut(Schema):
    id: int
    topic: str
    topic_display: str = Field(alias="get_topic_display")
    result: str
    note: str
    worker_name: str
    workers_affected: int
    amount: Decimal | None
    case_id: int | None
    case_number: str


class OutreachFollowUpOut(Schema):
    id: int
    action: str
    due_on: dt.date
    done_on: dt.date | None
    result: str


class OutreachVisitIn(Schema):
    org_id: int
    enterprise_name: str
    visited_on: dt.date
    items: list[OutreachItemIn]
    enterprise_credit_code: str = ""
    visitors: str = ""
    rules_advised: int = 0
    rules_improved: int = 0
    disputes_solved: int = 0
    summary: str = ""


class OutreachVisitOut(Schema):
    id: int
    org_id: int
    enterprise_name: str
    enterprise_credit_code: str
    visited_on: dt.date
    visitors: str
    rules_advised: int
    rules_improved: int
    disputes_solved: int
    summary: str
    items: list[OutreachItemOut]
    follow_ups: list[OutreachFollowUpOut]

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.all())

    @staticmethod
    def resolve_follow_ups(obj):
        return list(obj.follow_ups.all())


class OutreachRulesIn(Schema):
    rules_advised: int
    rules_improved: int


class OutreachFollowUpIn(Schema):
    action: str
    due_on: dt.date


class OutreachFollowUpDoneIn(Schema):
    result: str


class OutreachCaseOut(Schema):
    case_id: int
    case_number: str


class OutreachTotalsOut(Schema):
    visits: int
    enterprises: int
    rules_advised: int
    rules_improved: int
    disputes_solved: int
    problems: int
    cases: int


class OutreachOpinionIn(Schema):
    org_id: int
    text: str
    source: str = "manual"
    raiser_phone: str = ""
    raiser_name: str = ""
    visit_id: int | None = None
    meeting_id: int | None = None


class OutreachOpinionOut(Schema):
    id: int
    org_id: int
    source: str
    source_display: str = Field(alias="get_source_display")
    text: str
    raiser_name: str
    problem_id: int | None
    resolved_on: dt.date | None
    created_at: dt.datetime


class OutreachImportIn(Schema):
    org_id: int


class OutreachCountOut(Schema):
    count: int


class OutreachProblemIn(Schema):
    org_id: int
    title: str
    description: str = ""
    batch: str = ""
    due_on: dt.date | None = None
    opinion_ids: list[int] = []


class OutreachMeasureOut(Schema):
    id: int
    text: str
    owner: str = Field(alias="owner_label")
    due_on: dt.date | None
    done_on: dt.date | None
    result: str


class OutreachProblemOut(Schema):
    id: int
    org_id: int
    batch: str
    title: str
    description: str
    due_on: dt.date | None
    status: str
    status_display: str = Field(alias="get_status_display")
    outcome: str
    measures: list[OutreachMeasureOut]
    opinion_count: int

    @staticmethod
    def resolve_measures(obj):
        return list(obj.measures.all())

    @staticmethod
    def resolve_opinion_count(obj):
        return obj.opinions.count()


class OutreachGroupIn(Schema):
    opinion_ids: list[int]


class OutreachMeasureIn(Schema):
    text: str
    owner_user_id: int | None = None
    owner_department: str = ""
    due_on: dt.date | None = None


class OutreachResultIn(Schema):
    result: str


class OutreachOutcomeIn(Schema):
    outcome: str


class OutreachFunnelOut(Schema):
    opinions: int
    problems: int
    measures: int
    solved: int
    closed_problems: int


class OutreachMineOut(Schema):
    id: int
    text: str
    created_at: dt.datetime
    problem_title: str | None
    status: str
    outcome: str

    @staticmethod
    def resolve_problem_title(obj):
        return obj.problem.title if obj.problem_id else None

    @staticmethod
    def resolve_status(obj):
        if obj.resolved_on:
            return "已解决"
        return "已列入问题清单" if obj.problem_id else "已收到"

    @staticmethod
    def resolve_outcome(obj):
        return obj.problem.outcome if obj.problem_id else ""


class OutreachSubmitIn(Schema):
    text: str


class OutreachForumIn(Schema):
    org_id: int
    name: str
    counterpart: str
    rules: str = ""
    min_per_year: int = 1


class OutreachYearOut(Schema):
    year: int
    minimum: int
    planned: int
    held: int
    short: int


class OutreachForumOut(Schema):
    id: int
    org_id: int
    name: str
    counterpart: str
    rules: str
    min_per_year: int


class OutreachMeetingIn(Schema):
    kind: str
    title: str
    scheduled_on: dt.date
    place: str = ""


class OutreachParticipantIO(Schema):
    side: str
    name: str
    unit: str = ""


class OutreachMeetingOut(Schema):
    id: int
    forum_id: int
    kind: str
    kind_display: str = Field(alias="get_kind_display")
    title: str
    scheduled_on: dt.date
    place: str
    status: str
    minutes: str
    participants: list[OutreachParticipantIO]

    @staticmethod
    def resolve_participants(obj):
        return list(obj.participants.all())


class OutreachMinutesIn(Schema):
    minutes: str
    participants: list[OutreachParticipantIO]


class OutreachAgreementIn(Schema):
    title: str
    parties: str
    commitments: list[str]
    signed_on: dt.date | None = None


class OutreachCommitmentOut(Schema):
    id: int
    number: int
    text: str
    status: str
    status_display: str = Field(alias="get_status_display")


class OutreachAgreementOut(Schema):
    id: int
    forum_id: int
    meeting_id: int
    title: str
    parties: str
    signed_on: dt.date
    commitments: list[OutreachCommitmentOut]

    @staticmethod
    def resolve_commitments(obj):
        return list(obj.commitments.all())


class OutreachEvidenceIn(Schema):
    note: str
    status: str
    checked_on: dt.date | None = None


class OutreachEvidenceOut(Schema):
    id: int
    commitment_id: int
    checked_on: dt.date
    note: str
    status: str
