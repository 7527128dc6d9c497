"""Ninja schemas for /api/v1/stats/. Money is a string in 元 with two decimals (1,234.50); shares are
percentages with one decimal, null where the denominator is zero or unknown."""

from __future__ import annotations

from ninja import Field, Schema


class StatsOrgOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str


class StatsFiguresOut(Schema):
    members: int
    new_form: int
    new_form_share: float | None
    joins: int
    xfer_in: int
    xfer_out: int
    leaves: int
    returns: int
    net_growth: int
    eligible: int | None
    join_rate: float | None
    approvals: int
    approval_median: float | None
    approval_within: float | None
    cases_filed: int
    cases_closed: int
    cases_on_time: float | None
    cases_recovered: str
    orders_placed: int
    orders_served: int
    orders_people: int
    tickets_issued: int
    tickets_redeemed: int
    tickets_money: str
    stations: int
    station_coverage: float | None
    station_visits: int
    aid_paid: str
    aid_people: int
    funds_paid: str


class StatsMonthOut(Schema):
    month: str
    joins: int
    xfer_in: int
    xfer_out: int
    leaves: int
    returns: int
    net_growth: int
    members: int
    new_form: int
    new_form_share: float | None


class StatsRowOut(Schema):
    key: str
    name: str
    value: int
    money: str | None = None


class StatsBreakdownsOut(Schema):
    join_channel: list[StatsRowOut]
    join_occupation: list[StatsRowOut]
    join_form: list[StatsRowOut]
    leave_reason: list[StatsRowOut]
    approval_decision: list[StatsRowOut]
    case_category: list[StatsRowOut]
    ticket_kind: list[StatsRowOut]
    ticket_redeemed_kind: list[StatsRowOut]
    aid_kind: list[StatsRowOut]
    fund_category: list[StatsRowOut]


class StatsTargetOut(Schema):
    id: int
    kind: str
    kind_label: str
    value: int
    start: str
    due: str
    note: str
    progress: str
    goal: str
    percent: int
    time_percent: int
    status: str
    status_label: str


class StatsOverviewOut(Schema):
    org: StatsOrgOut
    from_: str = Field(..., alias="from")
    to: str
    as_of: str | None
    figures: StatsFiguresOut
    series: list[StatsMonthOut]
    breakdowns: StatsBreakdownsOut
    approval_limit: int
    eligible_as_of: str | None
    targets: list[StatsTargetOut]

    class Config:
        populate_by_name = True


class StatsDefinitionOut(Schema):
    key: str
    label: str
    unit: str
    definition: str
