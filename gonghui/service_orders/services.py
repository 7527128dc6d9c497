"""Writes for 订单式服务: menu, experts, orders and their state machine. One transaction each, audited."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from gonghui.accounts.services import user_get_or_create_by_phone
from gonghui.core.audit import audit_record
from gonghui.core.errors import Conflict, DomainError, NotFound, field_value
from gonghui.core.notifications import notify
from gonghui.core.validators import normalize_mobile
from gonghui.core.workdays import holiday_name
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import in_scope
from gonghui.orgs.selectors import staff_users

from . import scheduler
from .models import (
    Availability,
    Booking,
    Category,
    Expert,
    ExpertDay,
    ExpertTeam,
    Leave,
    Mode,
    ServiceItem,
    ServiceOrder,
)

MANAGERS = [Staff.Role.ADMIN, Staff.Role.HANDLER]
PUBLISHER_KINDS = {
    Org.Kind.NATIONAL,
    Org.Kind.PROVINCE,
    Org.Kind.CITY,
    Org.Kind.COUNTY,
    Org.Kind.TOWNSHIP,
    Org.Kind.INDUSTRY,
}
S = ServiceOrder.Status

# The state machine: which action may move an order from which states, and to what.
TRANSITIONS = {
    "schedule": ({S.ORDERED, S.SCHEDULED}, S.SCHEDULED),
    "confirm": ({S.SCHEDULED}, S.CONFIRMED),
    "attend": ({S.CONFIRMED}, S.SERVED),
    "rate": ({S.SERVED}, S.RATED),
    "decline": ({S.ORDERED, S.SCHEDULED}, S.DECLINED),
    "cancel": ({S.ORDERED, S.SCHEDULED, S.CONFIRMED}, S.CANCELLED),
}
ACTION_LABELS = {
    "schedule": "排期",
    "confirm": "确认",
    "attend": "登记服务",
    "rate": "评价",
    "decline": "婉拒",
    "cancel": "取消",
}


# --- permissions -------------------------------------------------------------------------------


def is_provider(actor, item: ServiceItem) -> bool:
    """Staff of the publishing union (or above) dispatch, schedule and record attendance."""
    return in_scope(actor, item.org, MANAGERS)


def is_union_manager(actor, order: ServiceOrder) -> bool:
    return in_scope(actor, order.org, MANAGERS)


def _require_provider(actor, item: ServiceItem):
    if not is_provider(actor, item):
        raise NotFound()


def _require_union(actor, order: ServiceOrder):
    if not is_union_manager(actor, order):
        raise NotFound()


def _require_manager(actor, org: Org):
    if not in_scope(actor, org, MANAGERS):
        raise NotFound()


# --- menu and experts --------------------------------------------------------------------------

ITEM_FIELDS = (
    "category",
    "name",
    "description",
    "team",
    "required_skill",
    "experts_needed",
    "duration_minutes",
    "min_headcount",
    "max_headcount",
    "mode",
    "lead_days",
    "is_published",
)


def _clean_item(org: Org, data: dict, actor) -> dict:
    name = (data.get("name") or "").strip()
    if not name:
        raise DomainError("请填写服务项目名称", field="name", code="required")
    data["name"] = name[:60]
    if data.get("category") not in Category.values:
        raise DomainError(
            "请选择服务类别：心理健康、医疗健康、赋智赋能、法律服务或工会知识培训",
            field="category",
            code="invalid_choice",
        )
    if data.get("mode") not in Mode.values:
        raise DomainError("请选择服务方式：上门服务、到服务中心或线上", field="mode", code="invalid_choice")
    team = data.get("team")
    if not isinstance(team, ExpertTeam) or not in_scope(actor, team.org, MANAGERS) or not team.is_active:
        raise DomainError("请选择本工会的专家服务团", field="team", code="invalid_choice")
    if not (15 <= int(data.get("duration_minutes") or 0) <= 600):
        raise DomainError("服务时长应在 15 到 600 分钟之间", field="duration_minutes", code="out_of_range")
    lo, hi = int(data.get("min_headcount") or 0), int(data.get("max_headcount") or 0)
    if lo < 1:
        raise DomainError("最少人数至少为 1 人", field="min_headcount", code="out_of_range")
    if hi < lo:
        raise DomainError(f"最多人数不能少于最少人数（{lo} 人）", field="max_headcount", code="out_of_range")
    if not (0 <= int(data.get("lead_days") or 0) <= 90):
        raise DomainError("提前预约天数应在 0 到 90 天之间", field="lead_days", code="out_of_range")
    if not (1 <= int(data.get("experts_needed") or 0) <= 10):
        raise DomainError("每场专家人数应在 1 到 10 人之间", field="experts_needed", code="out_of_range")
    return data


@transaction.atomic
def item_create(*, actor, org: Org, **data) -> ServiceItem:
    _require_manager(actor, org)
    if org.kind not in PUBLISHER_KINDS:
        raise DomainError(
            "服务菜单由市、县(区)等上级工会发布，基层工会请到菜单中点单", field="org", code="kind_not_allowed"
        )
    data = _clean_item(org, {k: data.get(k) for k in ITEM_FIELDS}, actor)
    if ServiceItem.objects.filter(org=org, name=data["name"]).exists():
        raise DomainError(f"本工会已有名为“{data['name']}”的服务项目", field="name", code="duplicate")
    data.setdefault("is_published", True)
    if data["is_published"] is None:
        data["is_published"] = True
    item = ServiceItem.objects.create(org=org, **{k: v for k, v in data.items() if v is not None})
    audit_record(actor=actor, action="service_item.create", obj=item, org=org, detail={"name": item.name})
    return item


@transaction.atomic
def item_update(*, actor, item: ServiceItem, **changes) -> ServiceItem:
    _require_provider(actor, item)
    data = {k: getattr(item, k) for k in ITEM_FIELDS}
    data.update({k: v for k, v in changes.items() if k in ITEM_FIELDS and v is not None})
    data = _clean_item(item.org, data, actor)
    if ServiceItem.objects.filter(org=item.org, name=data["name"]).exclude(pk=item.pk).exists():
        raise DomainError(f"本工会已有名为“{data['name']}”的服务项目", field="name", code="duplicate")
    changed = [k for k in ITEM_FIELDS if getattr(item, k) != data[k]]
    for k in changed:
        setattr(item, k, data[k])
    item.save()
    audit_record(
        actor=actor, action="service_item.update", obj=item, org=item.org, detail={"fields": changed}
    )
    return item


@transaction.atomic
def team_create(*, actor, org: Org, name: str, description: str = "") -> ExpertTeam:
    _require_manager(actor, org)
    if not name.strip():
        raise DomainError("请填写专家服务团名称", field="name", code="required")
    team = ExpertTeam.objects.create(org=org, name=name.strip()[:80], description=description.strip())
    audit_record(actor=actor, action="expert_team.create", obj=team, org=org, detail={"name": team.name})
    return team


@transaction.atomic
def expert_create(
    *,
    actor,
    org: Org,
    name: str,
    kind: str,
    team: ExpertTeam | None = None,
    title: str = "",
    skills: str = "",
    user=None,
    phone: str = "",
) -> Expert:
    """An expert needs no account; given a phone number, they get one with a Staff position of role
    expert on the org, so they can sign in and see their own calendar."""
    _require_manager(actor, org)
    if not name.strip():
        raise DomainError("请填写专家姓名", field="name", code="required")
    if kind not in Expert.Kind.values:
        raise DomainError(
            "请选择专家类别：医生、心理咨询师、律师、教练、劳模工匠或培训讲师",
            field="kind",
            code="invalid_choice",
        )
    if team is not None and not in_scope(actor, team.org, MANAGERS):
        raise DomainError("请选择本工会的专家服务团", field="team", code="invalid_choice")
    if phone and phone.strip():
        user = user_get_or_create_by_phone(phone=field_value(phone.strip(), "phone", normalize_mobile))
        if not user.name:
            user.name = name.strip()[:40]
            user.save(update_fields=["name"])
        Staff.objects.get_or_create(
            user=user, org=org, role=Staff.Role.EXPERT, defaults={"title": title[:40]}
        )
    expert = Expert.objects.create(
        org=org,
        team=team,
        name=name.strip()[:40],
        kind=kind,
        title=title.strip()[:80],
        skills=skills.strip()[:200],
        user=user,
    )
    audit_record(
        actor=actor,
        action="expert.create",
        obj=expert,
        org=org,
        detail={"kind": kind, "account": bool(expert.user_id)},
    )
    return expert


@transaction.atomic
def expert_update(*, actor, expert: Expert, **changes) -> Expert:
    _require_manager(actor, expert.org)
    if "kind" in changes and changes["kind"] not in Expert.Kind.values:
        raise DomainError("请选择专家类别", field="kind", code="invalid_choice")
    if changes.get("team") is not None and not in_scope(actor, changes["team"].org, MANAGERS):
        raise DomainError("请选择本工会的专家服务团", field="team", code="invalid_choice")
    if "name" in changes and not (changes["name"] or "").strip():
        raise DomainError("请填写专家姓名", field="name", code="required")
    fields = [k for k in ("name", "kind", "title", "skills", "team", "is_active") if k in changes]
    for k in fields:
        setattr(expert, k, changes[k])
    expert.save()
    audit_record(actor=actor, action="expert.update", obj=expert, org=expert.org, detail={"fields": fields})
    return expert


@transaction.atomic
def availability_set(
    *, actor, expert: Expert, hours: list[tuple[int, dt.time, dt.time]]
) -> list[Availability]:
    """Replaces the expert's weekly pattern."""
    _require_manager(actor, expert.org)
    rows = []
    for weekday, start, end in hours:
        if not 0 <= int(weekday) <= 6:
            raise DomainError("星期应为 0（周一）到 6（周日）", field="weekday", code="bad_weekday")
        if start >= end:
            raise DomainError(
                f"{WEEKDAYS[int(weekday)]}的开始时间应早于结束时间", field="hours", code="bad_time"
            )
        rows.append(Availability(expert=expert, weekday=int(weekday), start_time=start, end_time=end))
    Availability.objects.filter(expert=expert).delete()
    Availability.objects.bulk_create(rows)
    audit_record(
        actor=actor, action="expert.availability", obj=expert, org=expert.org, detail={"windows": len(rows)}
    )
    return rows


WEEKDAYS = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


@transaction.atomic
def leave_add(*, actor, expert: Expert, start_date: dt.date, end_date: dt.date, reason: str = "") -> Leave:
    _require_manager(actor, expert.org)
    if end_date < start_date:
        raise DomainError("请假结束日期不能早于开始日期", field="end_date", code="bad_range")
    clash = Booking.objects.filter(
        expert=expert,
        is_active=True,
        day__gte=start_date,
        day__lte=end_date,
        order__status__in=[S.SCHEDULED, S.CONFIRMED],
    ).select_related("order")
    first = clash.first()
    if first:
        raise DomainError(
            f"该专家在 {first.day:%Y-%m-%d} 已排有服务（{first.order.item.name}），请先改派后再请假",
            field="start_date",
            code="leave_clash",
        )
    leave = Leave.objects.create(expert=expert, start_date=start_date, end_date=end_date, reason=reason[:80])
    audit_record(
        actor=actor,
        action="expert.leave",
        obj=expert,
        org=expert.org,
        detail={"from": str(start_date), "to": str(end_date)},
    )
    return leave


# --- ordering ----------------------------------------------------------------------------------


def orderable_by(item: ServiceItem, org: Org) -> bool:
    """An item may be ordered by unions in the publisher's subtree."""
    return item.is_published and org.path.startswith(item.org.path) and org.pk != item.org_id


def validate_order_input(
    *,
    item: ServiceItem,
    preferred_dates: list,
    headcount,
    address: str,
    contact_name: str,
    contact_phone: str,
    today: dt.date | None = None,
) -> tuple[list[dt.date], str]:
    today = today or timezone.localdate()
    dates = [d for d in preferred_dates if d]
    if not dates:
        raise DomainError("请至少选择一个希望服务的日期", field="preferred_date1", code="date_required")
    if len(dates) > 3:
        raise DomainError("最多可选择三个希望服务的日期", field="preferred_date3", code="too_many_dates")
    earliest = scheduler.earliest_orderable(item, today)
    for i, d in enumerate(preferred_dates, start=1):
        if not d:
            continue
        name = f"preferred_date{i}"
        if d <= today:
            raise DomainError(
                f"第{i}个希望日期 {d:%Y-%m-%d} 已经过去或就是今天，请选择 {earliest:%Y-%m-%d} 及以后的日期",
                field=name,
                code="date_too_early",
            )
        if d < earliest:
            raise DomainError(
                f"“{item.name}”需提前 {item.lead_days} 天预约，第{i}个希望日期请选择 "
                f"{earliest:%Y-%m-%d} 及以后",
                field=name,
                code="date_too_early",
            )
    if len(set(dates)) != len(dates):
        raise DomainError("希望日期不能重复", field="preferred_date2", code="duplicate")
    if headcount is None or not (item.min_headcount <= int(headcount) <= item.max_headcount):
        raise DomainError(
            f"“{item.name}”每场 {item.min_headcount}–{item.max_headcount} 人，请调整参加人数",
            field="headcount",
            code="out_of_range",
        )
    if item.mode != Mode.ONLINE and not (address or "").strip():
        raise DomainError("请填写服务地点（单位地址、车间或会议室）", field="address", code="required")
    if not (contact_name or "").strip():
        raise DomainError("请填写联系人姓名", field="contact_name", code="required")
    phone = field_value((contact_phone or "").strip(), "contact_phone", normalize_mobile)
    return dates, phone


@transaction.atomic
def order_place(
    *,
    actor,
    item: ServiceItem,
    org: Org,
    preferred_dates: list,
    headcount: int,
    address: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    needs: str = "",
    channel: str = ServiceOrder.Channel.ONLINE,
) -> ServiceOrder:
    _require_manager(actor, org)
    if channel == ServiceOrder.Channel.PHONE:
        # A phone order is typed in by the publishing union's staff on the caller's behalf.
        _require_provider(actor, item)
    elif channel != ServiceOrder.Channel.ONLINE:
        raise DomainError("点单方式只能是网上点单或电话点单", field="channel", code="invalid_choice")
    if not orderable_by(item, org):
        raise DomainError(
            f"“{item.name}”不在{org.display_name}可点单的服务菜单内，请选择上级工会发布的项目",
            field="item",
            code="outside_area",
        )
    if len(preferred_dates) > 3:
        raise DomainError("最多可选择三个希望服务的日期", field="preferred_date3", code="too_many_dates")
    padded = [*preferred_dates, None, None, None][:3]
    dates, phone = validate_order_input(
        item=item,
        preferred_dates=padded,
        headcount=headcount,
        address=address,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    dates = dates + [None] * (3 - len(dates))
    order = ServiceOrder.objects.create(
        item=item,
        org=org,
        org_path=org.path,
        provider_path=item.org.path,
        channel=channel,
        preferred_date1=dates[0],
        preferred_date2=dates[1],
        preferred_date3=dates[2],
        headcount=int(headcount),
        address=address.strip()[:200],
        contact_name=contact_name.strip()[:40],
        contact_phone=phone,
        needs=needs.strip()[:2000],
        created_by=actor,
    )
    slot = scheduler.suggest(order)
    order.expected_date = slot.day if slot else None
    order.save(update_fields=["expected_date"])
    audit_record(
        actor=actor,
        action="service_order.place",
        obj=order,
        org=org,
        detail={"item": item.name, "channel": channel, "headcount": order.headcount},
    )
    _notify(order, actor, f"新的服务点单：{org.display_name}点单“{item.name}”", to=("provider",))
    return order


# --- scheduling --------------------------------------------------------------------------------


def _lock_expert_days(expert_ids: list[int], day: dt.date) -> None:
    """Serialises bookings per expert per day. Locks in id order so two dispatchers booking overlapping
    pairs of experts cannot deadlock."""
    for expert_id in sorted(expert_ids):
        try:
            with transaction.atomic():
                ExpertDay.objects.get_or_create(expert_id=expert_id, day=day)
        except IntegrityError:
            pass
    list(
        ExpertDay.objects.select_for_update().filter(expert_id__in=expert_ids, day=day).order_by("expert_id")
    )


def _race_window() -> None:
    """Between the availability check and the insert. Tests widen it to prove the lock is what decides."""


def _book(order: ServiceOrder, experts: list[Expert], start: dt.datetime, end: dt.datetime) -> list[Booking]:
    day = timezone.localtime(start).date()
    _lock_expert_days([e.pk for e in experts], day)
    site = scheduler.order_site(order)
    cal = scheduler.TeamCalendar.load(experts, day, day, exclude_order_id=order.pk)
    if cal.work.is_holiday(day):
        raise Conflict(
            f"{day:%Y-%m-%d} 是节假日（{holiday_name(day) or '放假'}），不安排服务，请选择其他日期",
            field="start",
            code="holiday",
        )
    for expert in experts:
        if not cal.is_free(expert.pk, start, end, site):
            why = "请假" if cal.on_leave(expert.pk, day) else "已有其他安排或不在可服务时间内（含路途间隔）"
            raise Conflict(
                f"专家{expert.name}在 {timezone.localtime(start):%Y-%m-%d %H:%M} {why}，请选择其他时段",
                field="start",
                code="expert_busy",
            )
    _race_window()
    Booking.objects.filter(order=order, is_active=True).update(is_active=False)
    try:
        with transaction.atomic():
            return Booking.objects.bulk_create(
                [Booking(order=order, expert=e, day=day, start=start, end=end, site=site) for e in experts]
            )
    except IntegrityError:
        raise Conflict(
            "该时段刚被其他调度员预约，请刷新后重新排期", field="start", code="expert_busy"
        ) from None


def _transition(order: ServiceOrder, action: str) -> ServiceOrder:
    """Re-reads the order under a row lock and refuses moves the state machine does not allow."""
    # of=self: without it PostgreSQL would also lock the joined item and org rows, serialising every order.
    locked = (
        ServiceOrder.objects.select_for_update(of=("self",))
        .select_related("item", "item__org", "org")
        .get(pk=order.pk)
    )
    allowed, _target = TRANSITIONS[action]
    if locked.status not in allowed:
        raise Conflict(
            f"订单当前为“{locked.get_status_display()}”，不能{ACTION_LABELS[action]}",
            field="status",
            code="illegal_transition",
        )
    return locked


@transaction.atomic
def order_schedule(*, actor, order: ServiceOrder, start: dt.datetime, expert_ids: list[int]) -> ServiceOrder:
    _require_provider(actor, order.item)
    order = _transition(order, "schedule")
    item = order.item
    if timezone.is_naive(start):
        start = timezone.make_aware(start)
    if start <= timezone.now():
        raise DomainError("服务时间不能早于现在，请选择以后的时段", field="start", code="date_too_early")
    ids = list(dict.fromkeys(int(i) for i in expert_ids))
    if len(ids) < item.experts_needed:
        raise DomainError(
            f"“{item.name}”每场需要 {item.experts_needed} 位专家，请选够专家",
            field="expert_ids",
            code="experts_short",
        )
    eligible = {e.pk: e for e in scheduler.eligible_experts(item)}
    missing = [i for i in ids if i not in eligible]
    if missing:
        raise DomainError(
            "所选专家不属于该项目的服务团队或不具备所需专长", field="expert_ids", code="expert_invalid"
        )
    experts = [eligible[i] for i in ids]
    end = start + dt.timedelta(minutes=item.duration_minutes)
    _book(order, experts, start, end)
    was = order.status
    order.status, order.scheduled_start, order.scheduled_end = S.SCHEDULED, start, end
    order.scheduled_at, order.expected_date = timezone.now(), timezone.localtime(start).date()
    order.save(
        update_fields=[
            "status",
            "scheduled_start",
            "scheduled_end",
            "scheduled_at",
            "expected_date",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action="service_order.schedule",
        obj=order,
        org=order.org,
        detail={"start": timezone.localtime(start).isoformat(), "experts": ids, "from": was},
    )
    when = f"{timezone.localtime(start):%Y-%m-%d %H:%M}"
    _notify(order, actor, f"“{item.name}”已排期：{when}，请确认", to=("union",))
    transaction.on_commit(lambda: refresh_expected_dates(team_id=item.team_id))
    return order


def refresh_expected_dates(*, team_id: int, limit: int = 50) -> int:
    """Booking a slot can push back the estimate other waiting unions were shown; recompute the oldest ones."""
    changed = 0
    waiting = (
        ServiceOrder.objects.filter(item__team_id=team_id, status=S.ORDERED)
        .select_related("item")
        .order_by("ordered_at")[:limit]
    )
    for other in waiting:
        slot = scheduler.suggest(other)
        expected = slot.day if slot else None
        if expected != other.expected_date:
            ServiceOrder.objects.filter(pk=other.pk, status=S.ORDERED).update(expected_date=expected)
            changed += 1
    return changed


@transaction.atomic
def order_confirm(*, actor, order: ServiceOrder) -> ServiceOrder:
    _require_union(actor, order)
    order = _transition(order, "confirm")
    order.status, order.confirmed_at = S.CONFIRMED, timezone.now()
    order.save(update_fields=["status", "confirmed_at", "updated_at"])
    audit_record(actor=actor, action="service_order.confirm", obj=order, org=order.org)
    _notify(order, actor, f"{order.org.display_name}已确认“{order.item.name}”的服务时间", to=("provider",))
    return order


@transaction.atomic
def order_attend(*, actor, order: ServiceOrder, attended_count: int, note: str = "") -> ServiceOrder:
    _require_provider(actor, order.item)
    order = _transition(order, "attend")
    if order.scheduled_start and order.scheduled_start > timezone.now():
        raise DomainError(
            f"服务尚未开始（{timezone.localtime(order.scheduled_start):%Y-%m-%d %H:%M}），请在服务后登记",
            field="attended_count",
            code="not_started",
        )
    if attended_count is None or not (1 <= int(attended_count) <= 100000):
        raise DomainError("请填写实际服务的职工人数（至少 1 人）", field="attended_count", code="required")
    order.status, order.served_at = S.SERVED, timezone.now()
    order.attended_count, order.service_note = int(attended_count), note.strip()[:2000]
    order.save(update_fields=["status", "served_at", "attended_count", "service_note", "updated_at"])
    audit_record(
        actor=actor,
        action="service_order.attend",
        obj=order,
        org=order.org,
        detail={"attended": order.attended_count},
    )
    _notify(
        order, actor, f"“{order.item.name}”已完成，服务职工 {order.attended_count} 人，请评价", to=("union",)
    )
    return order


@transaction.atomic
def order_rate(*, actor, order: ServiceOrder, rating: int, comment: str = "") -> ServiceOrder:
    _require_union(actor, order)
    order = _transition(order, "rate")
    if rating is None or not (1 <= int(rating) <= 5):
        raise DomainError("请选择 1 到 5 星的评分", field="rating", code="bad_rating")
    order.status, order.rated_at = S.RATED, timezone.now()
    order.rating, order.comment = int(rating), comment.strip()[:1000]
    order.save(update_fields=["status", "rated_at", "rating", "comment", "updated_at"])
    audit_record(
        actor=actor, action="service_order.rate", obj=order, org=order.org, detail={"rating": order.rating}
    )
    _notify(
        order,
        actor,
        f"{order.org.display_name}评价了“{order.item.name}”：{order.rating} 星",
        to=("provider",),
    )
    return order


def _close(actor, order: ServiceOrder, action: str, reason: str, side: str) -> ServiceOrder:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(f"请填写{ACTION_LABELS[action]}原因", field="reason", code="reason_required")
    order = _transition(order, action)
    Booking.objects.filter(order=order, is_active=True).update(is_active=False)
    order.status = TRANSITIONS[action][1]
    order.close_reason, order.closed_by_side, order.closed_at = reason[:200], side, timezone.now()
    order.save(update_fields=["status", "close_reason", "closed_by_side", "closed_at", "updated_at"])
    audit_record(
        actor=actor, action=f"service_order.{action}", obj=order, org=order.org, detail={"side": side}
    )
    other = ("union",) if side == ServiceOrder.Side.PROVIDER else ("provider",)
    _notify(order, actor, f"“{order.item.name}”已{ACTION_LABELS[action]}：{order.close_reason}", to=other)
    return order


@transaction.atomic
def order_decline(*, actor, order: ServiceOrder, reason: str) -> ServiceOrder:
    _require_provider(actor, order.item)
    return _close(actor, order, "decline", reason, ServiceOrder.Side.PROVIDER)


@transaction.atomic
def order_cancel(*, actor, order: ServiceOrder, reason: str) -> ServiceOrder:
    """Either side may cancel; the side is who the actor acts for (the publisher's staff act as provider)."""
    _require_union(actor, order)
    side = ServiceOrder.Side.PROVIDER if is_provider(actor, order.item) else ServiceOrder.Side.UNION
    return _close(actor, order, "cancel", reason, side)


# --- notifications -----------------------------------------------------------------------------


def _notify(order: ServiceOrder, actor, title: str, *, to: tuple[str, ...]) -> None:
    orgs = []
    if "union" in to:
        orgs.append(order.org_id)
    if "provider" in to:
        orgs.append(order.item.org_id)
    users = set(staff_users(org_ids=orgs, roles=MANAGERS))
    if "union" in to:
        users.add(order.created_by)
    link = f"/workbench/service-orders/orders/{order.pk}/"
    for user in users:
        if user.pk != getattr(actor, "pk", None):
            notify(user=user, title=title, body=f"订单 {order.number}", link=link, kind="service_order")
