"""订单式服务 API: the menu, experts and their calendars, orders and their state machine, statistics."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from ninja import Field, Router, Schema

from gonghui.core.errors import DomainError
from gonghui.core.pagination import window
from gonghui.orgs.selectors import org_get

from . import scheduler, selectors, services
from .models import ServiceOrder

router = Router(tags=["订单式服务"])


# --- schemas -------------------------------------------------------------------------------------


class ItemOut(Schema):
    id: int
    org_id: int
    org_name: str = Field(alias="org.name")
    category: str
    category_display: str = Field(alias="get_category_display")
    name: str
    description: str
    team_id: int
    team_name: str = Field(alias="team.name")
    required_skill: str
    experts_needed: int
    duration_minutes: int
    min_headcount: int
    max_headcount: int
    mode: str
    mode_display: str = Field(alias="get_mode_display")
    lead_days: int
    is_published: bool


class ItemIn(Schema):
    org_id: int
    category: str
    name: str
    description: str = ""
    team_id: int
    required_skill: str = ""
    experts_needed: int = 1
    duration_minutes: int = 120
    min_headcount: int = 10
    max_headcount: int = 100
    mode: str = "onsite"
    lead_days: int = 3
    is_published: bool = True


class ItemPatch(Schema):
    category: str | None = None
    name: str | None = None
    description: str | None = None
    team_id: int | None = None
    required_skill: str | None = None
    experts_needed: int | None = None
    duration_minutes: int | None = None
    min_headcount: int | None = None
    max_headcount: int | None = None
    mode: str | None = None
    lead_days: int | None = None
    is_published: bool | None = None


class TeamOut(Schema):
    id: int
    org_id: int
    name: str
    description: str
    is_active: bool


class TeamIn(Schema):
    org_id: int
    name: str
    description: str = ""


class ExpertOut(Schema):
    id: int
    has_account: bool = Field(alias="has_account")
    org_id: int
    team_id: int | None
    name: str
    kind: str
    kind_display: str = Field(alias="get_kind_display")
    title: str
    skills: str
    is_active: bool


class ExpertIn(Schema):
    org_id: int
    team_id: int | None = None
    name: str
    kind: str
    title: str = ""
    skills: str = ""
    phone: str = ""


class ExpertPatch(Schema):
    team_id: int | None = None
    name: str | None = None
    kind: str | None = None
    title: str | None = None
    skills: str | None = None
    is_active: bool | None = None


class HoursIn(Schema):
    weekday: int = Field(ge=0, le=6)
    start: dt.time
    end: dt.time


class AvailabilityIn(Schema):
    hours: list[HoursIn]


class LeaveIn(Schema):
    start_date: dt.date
    end_date: dt.date
    reason: str = ""


class LeaveOut(Schema):
    id: int
    start_date: dt.date
    end_date: dt.date
    reason: str


class OrderIn(Schema):
    item_id: int
    org_id: int
    preferred_dates: list[dt.date]
    headcount: int
    address: str = ""
    contact_name: str
    contact_phone: str
    needs: str = ""
    channel: str = "online"


class BookingOut(Schema):
    expert_id: int
    expert_name: str = Field(alias="expert.name")
    start: dt.datetime
    end: dt.datetime


class OrderOut(Schema):
    id: int
    number: str
    item_id: int
    item_name: str = Field(alias="item.name")
    org_id: int
    org_name: str = Field(alias="org.name")
    status: str
    status_display: str = Field(alias="get_status_display")
    channel: str
    preferred_dates: list[dt.date]
    headcount: int
    address: str
    contact_name: str
    contact_phone_masked: str
    needs: str
    expected_date: dt.date | None
    scheduled_start: dt.datetime | None
    scheduled_end: dt.datetime | None
    attended_count: int | None
    rating: int | None
    comment: str
    close_reason: str
    closed_by_side: str
    ordered_at: dt.datetime


class OrderDetailOut(OrderOut):
    bookings: list[BookingOut] = Field(alias="bookings_list")


class SuggestionOut(Schema):
    found: bool
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    expert_ids: list[int] = []
    expert_names: list[str] = []
    preferred: bool = False
    message: str


class ScheduleIn(Schema):
    start: dt.datetime
    expert_ids: list[int]


class AttendIn(Schema):
    attended_count: int
    note: str = ""


class OrderRateIn(Schema):
    rating: int
    comment: str = ""


class ReasonIn(Schema):
    reason: str


class EventOut(Schema):
    order_id: int
    title: str
    org: str
    start: dt.datetime
    end: dt.datetime
    status: str
    experts: list[str]


# --- menu ----------------------------------------------------------------------------------------


@router.get("/items", response=list[ItemOut], summary="服务菜单（我发布的与我可点单的）")
def item_list(request, q: str = "", category: str = "", limit: int = 100, offset: int = 0):
    qs = selectors.item_list(actor=request.user, q=q, category=category)
    return window(qs, limit=limit, offset=offset, maximum=500)


@router.get("/items/{item_id}", response=ItemOut, summary="服务项目详情")
def item_detail(request, item_id: int):
    return selectors.item_get(actor=request.user, item_id=item_id)


@router.post("/items", response={201: ItemOut}, summary="发布服务项目")
def item_create(request, payload: ItemIn):
    org = org_get(actor=request.user, org_id=payload.org_id, roles=services.MANAGERS)
    team = _team_or_error(request, payload.team_id)
    data = payload.dict(exclude={"org_id", "team_id"})
    return 201, services.item_create(actor=request.user, org=org, team=team, **data)


@router.patch("/items/{item_id}", response=ItemOut, summary="修改服务项目")
def item_update(request, item_id: int, payload: ItemPatch):
    item = selectors.item_get(actor=request.user, item_id=item_id)
    data = payload.dict(exclude_unset=True, exclude={"team_id"})
    if payload.team_id is not None:
        data["team"] = _team_or_error(request, payload.team_id)
    return services.item_update(actor=request.user, item=item, **data)


def _team_or_error(request, team_id):
    try:
        return selectors.team_get(actor=request.user, team_id=team_id)
    except DomainError:
        raise DomainError("请选择本工会的专家服务团", field="team_id", code="invalid_choice") from None


# --- experts -------------------------------------------------------------------------------------


@router.get("/teams", response=list[TeamOut], summary="专家服务团")
def team_list(request):
    return list(selectors.team_list(actor=request.user))


@router.post("/teams", response={201: TeamOut}, summary="组建专家服务团")
def team_create(request, payload: TeamIn):
    org = org_get(actor=request.user, org_id=payload.org_id, roles=services.MANAGERS)
    return 201, services.team_create(
        actor=request.user, org=org, name=payload.name, description=payload.description
    )


@router.get("/teams/{team_id}/calendar", response=list[EventOut], summary="服务团日程（周/月）")
def team_calendar(request, team_id: int, view: str = "week", date: dt.date | None = None):
    team = selectors.team_get(actor=request.user, team_id=team_id)
    first, last = selectors.calendar_range(view, date or timezone.localdate())
    return _events(selectors.team_calendar(team=team, first=first, last=last))


@router.get("/experts", response=list[ExpertOut], summary="服务专家")
def expert_list(request, team_id: int | None = None, kind: str = "", q: str = ""):
    return list(selectors.expert_list(actor=request.user, team_id=team_id, kind=kind, q=q)[:500])


@router.post("/experts", response={201: ExpertOut}, summary="登记服务专家")
def expert_create(request, payload: ExpertIn):
    org = org_get(actor=request.user, org_id=payload.org_id, roles=services.MANAGERS)
    team = _team_or_error(request, payload.team_id) if payload.team_id else None
    return 201, services.expert_create(
        actor=request.user,
        org=org,
        team=team,
        name=payload.name,
        kind=payload.kind,
        title=payload.title,
        skills=payload.skills,
        phone=payload.phone,
    )


@router.get("/experts/{expert_id}", response=ExpertOut, summary="专家详情")
def expert_detail(request, expert_id: int):
    return selectors.expert_get(actor=request.user, expert_id=expert_id)


@router.patch("/experts/{expert_id}", response=ExpertOut, summary="修改专家信息（含停用）")
def expert_update(request, expert_id: int, payload: ExpertPatch):
    expert = selectors.expert_get(actor=request.user, expert_id=expert_id)
    data = payload.dict(exclude_unset=True, exclude={"team_id"})
    if payload.team_id is not None:
        data["team"] = _team_or_error(request, payload.team_id)
    return services.expert_update(actor=request.user, expert=expert, **data)


@router.put("/experts/{expert_id}/availability", response=list[HoursIn], summary="设置每周可服务时间")
def expert_availability(request, expert_id: int, payload: AvailabilityIn):
    expert = selectors.expert_get(actor=request.user, expert_id=expert_id)
    rows = services.availability_set(
        actor=request.user, expert=expert, hours=[(h.weekday, h.start, h.end) for h in payload.hours]
    )
    return [{"weekday": r.weekday, "start": r.start_time, "end": r.end_time} for r in rows]


@router.post("/experts/{expert_id}/leaves", response={201: LeaveOut}, summary="登记专家请假")
def expert_leave(request, expert_id: int, payload: LeaveIn):
    expert = selectors.expert_get(actor=request.user, expert_id=expert_id)
    return 201, services.leave_add(
        actor=request.user,
        expert=expert,
        start_date=payload.start_date,
        end_date=payload.end_date,
        reason=payload.reason,
    )


@router.get("/experts/{expert_id}/calendar", response=list[EventOut], summary="专家日程（周/月）")
def expert_calendar(request, expert_id: int, view: str = "week", date: dt.date | None = None):
    expert = selectors.expert_get(actor=request.user, expert_id=expert_id)
    first, last = selectors.calendar_range(view, date or timezone.localdate())
    return _events(selectors.expert_calendar(expert=expert, first=first, last=last))


def _events(events):
    return [{**e, "order_id": e["order"].pk} for e in events]


# --- orders --------------------------------------------------------------------------------------


@router.get("/orders", response=list[OrderOut], summary="服务订单")
def order_list(
    request,
    status: str = "",
    category: str = "",
    item_id: int | None = None,
    org_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
):
    qs = selectors.order_list(
        actor=request.user, status=status, category=category, item_id=item_id, org_id=org_id
    )
    return window(qs, limit=limit, offset=offset, maximum=500)


@router.get("/queue", response=list[OrderOut], summary="调度队列（待排期）")
def order_queue(request, limit: int = 100):
    return window(selectors.dispatch_queue(actor=request.user), limit=limit, maximum=500)


@router.post("/orders", response={201: OrderDetailOut}, summary="点单")
def order_place(request, payload: OrderIn):
    item = selectors.item_get(actor=request.user, item_id=payload.item_id)
    org = org_get(actor=request.user, org_id=payload.org_id, roles=services.MANAGERS)
    order = services.order_place(
        actor=request.user,
        item=item,
        org=org,
        preferred_dates=payload.preferred_dates,
        headcount=payload.headcount,
        address=payload.address,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        needs=payload.needs,
        channel=payload.channel,
    )
    return 201, _detail(order)


@router.get("/orders/{order_id}", response=OrderDetailOut, summary="订单详情")
def order_detail(request, order_id: int):
    return _detail(selectors.order_get(actor=request.user, order_id=order_id))


@router.get("/orders/{order_id}/suggestion", response=SuggestionOut, summary="建议的最早可行时段")
def order_suggestion(request, order_id: int):
    order = selectors.order_get(actor=request.user, order_id=order_id)
    slot = scheduler.suggest(order)
    if slot is None:
        return {"found": False, "message": f"未来 {scheduler.horizon_days()} 天内没有可安排的专家时段"}
    note = "符合希望日期" if slot.preferred else "希望日期均已约满，这是最早可安排的时段"
    return {
        "found": True,
        "start": slot.start,
        "end": slot.end,
        "expert_ids": [e.pk for e in slot.experts],
        "expert_names": [e.name for e in slot.experts],
        "preferred": slot.preferred,
        "message": note,
    }


@router.post("/orders/{order_id}/schedule", response=OrderDetailOut, summary="排期（派专家）")
def order_schedule(request, order_id: int, payload: ScheduleIn):
    order = selectors.order_get(actor=request.user, order_id=order_id)
    return _detail(
        services.order_schedule(
            actor=request.user, order=order, start=payload.start, expert_ids=payload.expert_ids
        )
    )


@router.post("/orders/{order_id}/confirm", response=OrderDetailOut, summary="点单工会确认时间")
def order_confirm(request, order_id: int):
    order = selectors.order_get(actor=request.user, order_id=order_id)
    return _detail(services.order_confirm(actor=request.user, order=order))


@router.post("/orders/{order_id}/attend", response=OrderDetailOut, summary="登记服务（实际服务职工人数）")
def order_attend(request, order_id: int, payload: AttendIn):
    order = selectors.order_get(actor=request.user, order_id=order_id)
    return _detail(
        services.order_attend(
            actor=request.user, order=order, attended_count=payload.attended_count, note=payload.note
        )
    )


@router.post("/orders/{order_id}/rate", response=OrderDetailOut, summary="评价")
def order_rate(request, order_id: int, payload: OrderRateIn):
    order = selectors.order_get(actor=request.user, order_id=order_id)
    return _detail(
        services.order_rate(actor=request.user, order=order, rating=payload.rating, comment=payload.comment)
    )


@router.post("/orders/{order_id}/cancel", response=OrderDetailOut, summary="取消订单（任一方，需说明原因）")
def order_cancel(request, order_id: int, payload: ReasonIn):
    order = selectors.order_get(actor=request.user, order_id=order_id)
    return _detail(services.order_cancel(actor=request.user, order=order, reason=payload.reason))


@router.post("/orders/{order_id}/decline", response=OrderDetailOut, summary="婉拒订单（服务方，需说明原因）")
def order_decline(request, order_id: int, payload: ReasonIn):
    order = selectors.order_get(actor=request.user, order_id=order_id)
    return _detail(services.order_decline(actor=request.user, order=order, reason=payload.reason))


def _detail(order: ServiceOrder) -> ServiceOrder:
    order.bookings_list = selectors.order_bookings(order)
    return order


@router.get("/calendar", response=list[EventOut], summary="点单工会的服务日程（周/月）")
def union_calendar(request, org_id: int, view: str = "month", date: dt.date | None = None):
    org = org_get(actor=request.user, org_id=org_id)
    first, last = selectors.calendar_range(view, date or timezone.localdate())
    return _events(selectors.union_calendar(actor=request.user, org=org, first=first, last=last))


@router.get("/stats", summary="统计：订单、服务场次、服务职工、等待天数（按项目与类别）")
def stats(request, date_from: dt.date | None = None, date_to: dt.date | None = None):
    return selectors.statistics(actor=request.user, date_from=date_from, date_to=date_to)
