"""Finding an expert slot: the earliest time on which enough of an item's team are working, not on
leave and free, with a travel buffer between sessions at different sites.

Days follow the one working-day calendar (gonghui/core/workdays.py): no session on a public holiday
(国庆, 春节…), even for an expert who serves weekends; on a make-up working day (调休上班 Saturday or
Sunday) an expert serves their own hours for that day if they have any, else their Monday hours.

Pure reads: the answer is a suggestion. Booking it happens in services, under the per-expert-day
row lock, which re-checks the same rules."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from gonghui.core.workdays import WorkCalendar

from .models import Availability, Booking, Expert, Leave, ServiceItem


def travel_buffer() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "SERVICE_ORDERS_TRAVEL_BUFFER_MINUTES", 60))


def slot_step() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "SERVICE_ORDERS_SLOT_MINUTES", 30))


def horizon_days() -> int:
    return getattr(settings, "SERVICE_ORDERS_HORIZON_DAYS", 270)


def earliest_orderable(item: ServiceItem, today: dt.date | None = None) -> dt.date:
    return (today or timezone.localdate()) + dt.timedelta(days=item.lead_days)


def aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


@dataclass
class Slot:
    start: dt.datetime
    end: dt.datetime
    experts: list[Expert]
    preferred: bool = False

    @property
    def day(self) -> dt.date:
        return timezone.localtime(self.start).date()


@dataclass
class _Busy:
    start: dt.datetime
    end: dt.datetime
    site: str


@dataclass
class TeamCalendar:
    """Everything the scheduler needs about a set of experts over a date range, loaded in four queries."""

    experts: list[Expert]
    hours: dict[int, dict[int, list[tuple[dt.time, dt.time]]]] = field(default_factory=dict)
    leaves: dict[int, list[tuple[dt.date, dt.date]]] = field(default_factory=dict)
    busy: dict[int, dict[dt.date, list[_Busy]]] = field(default_factory=dict)
    work: WorkCalendar | None = None

    @classmethod
    def load(
        cls, experts: list[Expert], first: dt.date, last: dt.date, *, exclude_order_id=None
    ) -> TeamCalendar:
        ids = [e.pk for e in experts]
        cal = cls(experts=experts, work=WorkCalendar(first, last))
        cal.hours = defaultdict(lambda: defaultdict(list))
        for a in Availability.objects.filter(expert_id__in=ids).order_by("start_time"):
            cal.hours[a.expert_id][a.weekday].append((a.start_time, a.end_time))
        cal.leaves = defaultdict(list)
        for lv in Leave.objects.filter(expert_id__in=ids, end_date__gte=first, start_date__lte=last):
            cal.leaves[lv.expert_id].append((lv.start_date, lv.end_date))
        cal.busy = defaultdict(lambda: defaultdict(list))
        bookings = Booking.objects.filter(expert_id__in=ids, is_active=True, day__gte=first, day__lte=last)
        if exclude_order_id:
            bookings = bookings.exclude(order_id=exclude_order_id)
        for b in bookings:
            cal.busy[b.expert_id][b.day].append(_Busy(b.start, b.end, b.site))
        return cal

    def windows(self, expert_id: int, day: dt.date) -> list[tuple[dt.time, dt.time]]:
        """The expert's hours on that day, after the holiday calendar."""
        hours = self.hours.get(expert_id, {})
        if self.work is None or not (self.work.start <= day <= self.work.end):
            return hours.get(day.weekday(), [])
        if not self.work.is_working_day(day):
            if day.weekday() < 5:
                return []  # a public holiday on a weekday
            # A weekend stays a weekend for experts who serve weekends, unless it is inside a holiday.
            return [] if self.work.is_holiday(day) else hours.get(day.weekday(), [])
        if day.weekday() >= 5:  # 调休上班
            return hours.get(day.weekday()) or hours.get(0, [])
        return hours.get(day.weekday(), [])

    def on_leave(self, expert_id: int, day: dt.date) -> bool:
        return any(a <= day <= b for a, b in self.leaves.get(expert_id, ()))

    def is_free(self, expert_id: int, start: dt.datetime, end: dt.datetime, site: str) -> bool:
        day = timezone.localtime(start).date()
        if self.on_leave(expert_id, day):
            return False
        local_start, local_end = timezone.localtime(start).time(), timezone.localtime(end).time()
        if timezone.localtime(end).date() != day:
            return False
        if not any(ws <= local_start and local_end <= we for ws, we in self.windows(expert_id, day)):
            return False
        return not any(
            conflicts(b.start, b.end, b.site, start, end, site)
            for b in self.busy.get(expert_id, {}).get(day, ())
        )

    def candidate_starts(self, day: dt.date, duration: dt.timedelta) -> list[dt.datetime]:
        step = slot_step()
        starts: set[dt.datetime] = set()
        for expert in self.experts:
            if self.on_leave(expert.pk, day):
                continue
            for ws, we in self.windows(expert.pk, day):
                t, close = aware(day, ws), aware(day, we)
                while t + duration <= close:
                    starts.add(t)
                    t += step
        return sorted(starts)

    def slot_on(
        self,
        day: dt.date,
        duration: dt.timedelta,
        site: str,
        needed: int,
        not_before: dt.datetime | None = None,
    ) -> Slot | None:
        for start in self.candidate_starts(day, duration):
            if not_before and start < not_before:
                continue
            end = start + duration
            free = [e for e in self.experts if self.is_free(e.pk, start, end, site)]
            if len(free) >= needed:
                return Slot(start=start, end=end, experts=free[:needed])
        return None


def conflicts(a_start, a_end, a_site, b_start, b_end, b_site) -> bool:
    """Two sessions clash if they overlap, or if they are at different sites and the gap between them is
    shorter than the travel buffer (the expert has to get from one to the other)."""
    gap = dt.timedelta(0) if a_site == b_site else travel_buffer()
    return a_start < b_end + gap and b_start < a_end + gap


def eligible_experts(item: ServiceItem) -> list[Expert]:
    qs = Expert.objects.filter(team_id=item.team_id, is_active=True).order_by("pk")
    experts = list(qs)
    if item.required_skill:
        experts = [e for e in experts if item.required_skill in e.skills]
    return experts


def order_site(order) -> str:
    return "线上" if order.item.mode == "online" else order.address.strip()


def suggest(order, *, today: dt.date | None = None) -> Slot | None:
    """Earliest feasible slot: the first preferred date that works (in the union's order of preference),
    else the earliest day from the earliest preferred date on. None when nothing fits within the horizon."""
    item = order.item
    today = today or timezone.localdate()
    first = max(earliest_orderable(item, today), today + dt.timedelta(days=1))
    last = first + dt.timedelta(days=horizon_days())
    experts = eligible_experts(item)
    if len(experts) < item.experts_needed:
        return None
    cal = TeamCalendar.load(experts, first, last, exclude_order_id=order.pk)
    duration = dt.timedelta(minutes=item.duration_minutes)
    site = order_site(order)
    for day in order.preferred_dates:
        if first <= day <= last:
            slot = cal.slot_on(day, duration, site, item.experts_needed)
            if slot:
                slot.preferred = True
                return slot
    # Not earlier than the union asked for: the workers' shifts were planned around those dates.
    day = max(first, min(order.preferred_dates, default=first))
    while day <= last:
        slot = cal.slot_on(day, duration, site, item.experts_needed)
        if slot:
            return slot
        day += dt.timedelta(days=1)
    return None
