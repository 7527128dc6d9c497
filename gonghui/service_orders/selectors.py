"""Reads for 订单式服务, always from the actor's scope: what lies outside is simply not found."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils import timezone

from gonghui.core.errors import NotFound
from gonghui.orgs.models import STEP, Org
from gonghui.orgs.scope import path_q, scope_paths, scoped_orgs, subtree_q

from .models import Booking, Category, Expert, ExpertTeam, ServiceItem, ServiceOrder
from .services import MANAGERS


def _ancestor_paths(paths: list[str]) -> set[str]:
    return {p[:i] for p in paths for i in range(STEP, len(p) + 1, STEP)}


def _get(qs: QuerySet, pk):
    try:
        return qs.get(pk=int(pk))
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- menu ----------------------------------------------------------------------------------------


def item_list(
    *, actor, q: str = "", category: str = "", published_only: bool = False
) -> QuerySet[ServiceItem]:
    """Items the actor publishes (in scope) plus published items the actor's unions may order."""
    roots = scope_paths(actor)
    qs = ServiceItem.objects.filter(
        path_q(roots, "org__path") | Q(org__path__in=_ancestor_paths(roots), is_published=True)
    ).select_related("org", "team")
    if published_only:
        qs = qs.filter(is_published=True)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(description__icontains=q))
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("org__path", "category", "name")


def item_get(*, actor, item_id) -> ServiceItem:
    return _get(item_list(actor=actor), item_id)


def ordering_orgs(*, actor, item: ServiceItem) -> QuerySet[Org]:
    """Unions the actor may place this item's order for: below the publisher and within the actor's reach."""
    return (
        scoped_orgs(actor, MANAGERS)
        .filter(subtree_q(item.org.path))
        .exclude(pk=item.org_id)
        .exclude(kind__in=[Org.Kind.NATIONAL, Org.Kind.PROVINCE, Org.Kind.CITY, Org.Kind.COUNTY])
        .order_by("path")
    )


def publishing_orgs(*, actor) -> QuerySet[Org]:
    from .services import PUBLISHER_KINDS

    return scoped_orgs(actor, MANAGERS).filter(kind__in=PUBLISHER_KINDS).order_by("path")


# --- experts -------------------------------------------------------------------------------------


def team_list(*, actor) -> QuerySet[ExpertTeam]:
    return ExpertTeam.objects.filter(path_q(scope_paths(actor), "org__path")).select_related("org")


def team_get(*, actor, team_id) -> ExpertTeam:
    return _get(team_list(actor=actor), team_id)


def expert_list(*, actor, team_id=None, kind: str = "", q: str = "") -> QuerySet[Expert]:
    qs = Expert.objects.filter(path_q(scope_paths(actor), "org__path")).select_related("org", "team")
    if team_id:
        qs = qs.filter(team_id=team_id)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(skills__icontains=q))
    return qs.order_by("team__name", "name")


def expert_get(*, actor, expert_id) -> Expert:
    return _get(expert_list(actor=actor), expert_id)


# --- orders --------------------------------------------------------------------------------------


def order_list(
    *, actor, status: str = "", category: str = "", item_id=None, org_id=None
) -> QuerySet[ServiceOrder]:
    qs = ServiceOrder.objects.filter(path_q(scope_paths(actor), "org_path")).select_related(
        "item", "org", "item__org"
    )
    if status:
        qs = qs.filter(status__in=status.split(","))
    if category:
        qs = qs.filter(item__category=category)
    if item_id:
        qs = qs.filter(item_id=item_id)
    if org_id:
        qs = qs.filter(org_id=org_id)
    return qs


def dispatch_queue(*, actor) -> QuerySet[ServiceOrder]:
    """Orders waiting for a slot on items the actor dispatches, oldest first."""
    qs = ServiceOrder.objects.filter(
        path_q(scope_paths(actor, MANAGERS), "provider_path"), status=ServiceOrder.Status.ORDERED
    )
    return qs.select_related("item", "org").order_by("ordered_at")


def order_get(*, actor, order_id) -> ServiceOrder:
    return _get(order_list(actor=actor).select_related("item__team", "created_by"), order_id)


def order_bookings(order: ServiceOrder) -> list[Booking]:
    return list(order.bookings.filter(is_active=True).select_related("expert"))


# --- calendars -----------------------------------------------------------------------------------


def calendar_range(view: str, anchor: dt.date) -> tuple[dt.date, dt.date]:
    if view == "month":
        first = anchor.replace(day=1)
        last = first.replace(day=pycal.monthrange(first.year, first.month)[1])
        # Whole weeks, Monday first, as a wall calendar shows them.
        return first - dt.timedelta(days=first.weekday()), last + dt.timedelta(days=6 - last.weekday())
    monday = anchor - dt.timedelta(days=anchor.weekday())
    return monday, monday + dt.timedelta(days=6)


def calendar_days(first: dt.date, last: dt.date, events: list[dict], leaves=()) -> list[dict]:
    by_day = defaultdict(list)
    for ev in events:
        by_day[ev["day"]].append(ev)
    days = []
    d = first
    while d <= last:
        on_leave = [lv for lv in leaves if lv.start_date <= d <= lv.end_date]
        days.append({"date": d, "events": sorted(by_day[d], key=lambda e: e["start"]), "leave": on_leave})
        d += dt.timedelta(days=1)
    return days


def _booking_events(bookings) -> list[dict]:
    # One event per order, listing every expert booked on it.
    events: dict[int, dict] = {}
    for b in bookings:
        ev = events.get(b.order_id)
        if ev is None:
            ev = events[b.order_id] = {
                "day": b.day,
                "start": timezone.localtime(b.start),
                "end": timezone.localtime(b.end),
                "order": b.order,
                "title": b.order.item.name,
                "org": b.order.org.display_name,
                "experts": [],
                "status": b.order.get_status_display(),
            }
        ev["experts"].append(b.expert.name)
    return list(events.values())


def expert_calendar(*, expert: Expert, first: dt.date, last: dt.date) -> list[dict]:
    bookings = Booking.objects.filter(
        expert=expert, is_active=True, day__gte=first, day__lte=last
    ).select_related("order__item", "order__org", "expert")
    return _booking_events(bookings)


def team_calendar(*, team: ExpertTeam, first: dt.date, last: dt.date) -> list[dict]:
    bookings = (
        Booking.objects.filter(expert__team=team, is_active=True, day__gte=first, day__lte=last)
        .select_related("order__item", "order__org", "expert")
        .order_by("start")
    )
    return _booking_events(bookings)


def union_calendar(*, actor, org: Org, first: dt.date, last: dt.date) -> list[dict]:
    lo = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    hi = timezone.make_aware(dt.datetime.combine(last, dt.time.max))
    orders = (
        order_list(actor=actor)
        .filter(path_q([org.path], "org_path"), scheduled_start__gte=lo, scheduled_start__lte=hi)
        .exclude(status__in=[ServiceOrder.Status.CANCELLED, ServiceOrder.Status.DECLINED])
    )
    events = []
    for o in orders.prefetch_related("bookings__expert"):
        start = timezone.localtime(o.scheduled_start)
        events.append(
            {
                "day": start.date(),
                "start": start,
                "end": timezone.localtime(o.scheduled_end),
                "order": o,
                "title": o.item.name,
                "org": o.org.display_name,
                "status": o.get_status_display(),
                "experts": [b.expert.name for b in o.bookings.all() if b.is_active],
            }
        )
    return events


# --- statistics ----------------------------------------------------------------------------------

DELIVERED = {ServiceOrder.Status.SERVED, ServiceOrder.Status.RATED}


def statistics(*, actor, date_from: dt.date | None = None, date_to: dt.date | None = None) -> dict:
    """Orders, sessions delivered, workers served, average wait (order → scheduled day) and rating, by
    item and by category."""
    qs = order_list(actor=actor)
    if date_from:
        qs = qs.filter(ordered_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(ordered_at__date__lte=date_to)
    rows = qs.values_list(
        "item_id",
        "item__name",
        "item__category",
        "status",
        "attended_count",
        "ordered_at",
        "scheduled_start",
        "rating",
    )
    labels = dict(Category.choices)

    def blank(name):
        return {
            "name": name,
            "orders": 0,
            "open": 0,
            "delivered": 0,
            "workers": 0,
            "wait_days": [],
            "ratings": [],
        }

    by_item: dict[int, dict] = {}
    by_cat: dict[str, dict] = {c: blank(labels[c]) for c in Category.values}
    total = blank("合计")
    for item_id, name, cat, status, attended, ordered_at, start, rating in rows:
        buckets = [
            by_item.setdefault(item_id, blank(name) | {"category": labels.get(cat, cat)}),
            by_cat[cat],
            total,
        ]
        for b in buckets:
            b["orders"] += 1
            if status in {
                ServiceOrder.Status.ORDERED,
                ServiceOrder.Status.SCHEDULED,
                ServiceOrder.Status.CONFIRMED,
            }:
                b["open"] += 1
            if status in DELIVERED:
                b["delivered"] += 1
                b["workers"] += attended or 0
            if start and status not in {ServiceOrder.Status.CANCELLED, ServiceOrder.Status.DECLINED}:
                b["wait_days"].append(
                    (timezone.localtime(start).date() - timezone.localtime(ordered_at).date()).days
                )
            if rating:
                b["ratings"].append(rating)

    def finish(b):
        waits, ratings = b.pop("wait_days"), b.pop("ratings")
        b["avg_wait_days"] = round(sum(waits) / len(waits), 1) if waits else None
        b["max_wait_days"] = max(waits) if waits else None
        b["avg_rating"] = round(sum(ratings) / len(ratings), 2) if ratings else None
        return b

    items = sorted((finish(b) for b in by_item.values()), key=lambda b: (-b["orders"], b["name"]))
    cats = [finish(b) for b in by_cat.values()]
    return {"total": finish(total), "by_category": cats, "by_item": items}
