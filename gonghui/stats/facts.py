"""What each day's figures are, computed from the source rows of every feature app.

`facts_between(d0, d1)` answers {(org_id, day, metric, dim): value} for the OWN node of each union, from
the rows as they stand now. It is a pure read: the same rows give the same facts, whenever it runs, so a
day can be recomputed at any time (a transfer today does not change how yesterday's joins are counted: a
member's union on a past day comes from the transfer history, not from where the member is now).

Stats sits above the feature apps (floor 4, beside the shell): it reads their models, it never writes them.
Definitions shown to users live in `definitions.py`; keep the two in step."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import BigIntegerField, Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from gonghui.aid.models import Payment as AidPayment
from gonghui.campaigns.models import Ticket
from gonghui.cases.models import Case
from gonghui.core.workdays import WorkCalendar, working_days_between
from gonghui.funds.models import FundApplication
from gonghui.members.models import Enrollment, Member, StatusChange, Transfer
from gonghui.service_orders.models import ServiceOrder
from gonghui.stations.models import StationVisit

Key = tuple[int, dt.date, str, str]

HOLDING = [str(s) for s in Member.HOLDING]
LEAVING = [str(s) for s in Member.LEAVING]
WAIT_BUCKETS = 31  # approval waits 0..30 working days, then "31+"


def wait_bucket(days: int) -> str:
    return str(days) if days < WAIT_BUCKETS else f"{WAIT_BUCKETS}+"


def bucket_days(bucket: str) -> int:
    return int(bucket.rstrip("+"))


def _bounds(d0: dt.date, d1: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(d0, dt.time.min), tz)
    end = timezone.make_aware(dt.datetime.combine(d1 + dt.timedelta(days=1), dt.time.min), tz)
    return start, end


def _day(field: str):
    return TruncDate(field, tzinfo=timezone.get_current_timezone())


def _fen(amount) -> int:
    if amount is None:
        return 0
    return int((Decimal(str(amount)) * 100).quantize(Decimal("1")))


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _org_then(member_ref: str, moment_ref: str, fallback: str, *, strict: bool):
    """The member's union at a moment: the union the first completed transfer after it left from, or
    (no transfer since) the member's union now."""
    after = {"in_at__gt" if strict else "in_at__gte": OuterRef(moment_ref)}
    first_move = (
        Transfer.objects.filter(member_id=OuterRef(member_ref), status=Transfer.Status.DONE, **after)
        .order_by("in_at", "id")
        .values("from_org_id")[:1]
    )
    return Coalesce(Subquery(first_move), F(fallback), output_field=BigIntegerField())


def facts_between(d0: dt.date, d1: dt.date) -> dict[Key, int]:
    out: dict[Key, int] = defaultdict(int)

    def add(org_id, day, metric, dim, value):
        if value:
            out[(org_id, _as_date(day), metric, str(dim or ""))] += int(value)

    start, end = _bounds(d0, d1)
    _members(d0, d1, start, end, add)
    _approvals(start, end, add)
    _cases(start, end, add)
    _service_orders(start, end, add)
    _campaigns(start, end, add)
    _stations(d0, d1, add)
    _money(d0, d1, start, end, add)
    return {k: v for k, v in out.items() if v}


def _members(d0, d1, start, end, add):
    # Joins: counted at the union joined (before any transfer of this membership), on joined_at.
    joins = (
        Member.objects.filter(joined_at__gte=d0, joined_at__lte=d1)
        .annotate(
            o=Coalesce(
                Subquery(
                    Transfer.objects.filter(
                        member_id=OuterRef("pk"),
                        status=Transfer.Status.DONE,
                        in_at__date__gte=OuterRef("joined_at"),
                    )
                    .order_by("in_at", "id")
                    .values("from_org_id")[:1]
                ),
                F("org_id"),
                output_field=BigIntegerField(),
            )
        )
        .values_list("o", "joined_at", "source", "occupation", "employment_form")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, day, source, occupation, form, n in joins:
        add(org_id, day, "join", source, n)
        add(org_id, day, "join_occ", occupation, n)
        add(org_id, day, "join_form", form, n)
        add(org_id, day, "net", form, n)

    # Leaving and coming back: a status change between holding and leaving statuses. Changes before the
    # member's current joined_at belong to an earlier membership whose join a re-join overwrote: skipped.
    changes = StatusChange.objects.filter(at__gte=start, at__lt=end, at__date__gte=F("member__joined_at"))
    leaves = (
        changes.filter(from_status__in=HOLDING, to_status__in=LEAVING)
        .annotate(o=_org_then("member_id", "at", "member__org_id", strict=True), d=_day("at"))
        .values_list("o", "d", "to_status", "member__employment_form")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, day, to_status, form, n in leaves:
        add(org_id, day, "leave", to_status, n)
        add(org_id, day, "net", form, -n)
    returns = (
        changes.filter(from_status__in=LEAVING, to_status__in=HOLDING)
        .annotate(o=_org_then("member_id", "at", "member__org_id", strict=True), d=_day("at"))
        .values_list("o", "d", "member__employment_form")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, day, form, n in returns:
        add(org_id, day, "return", "", n)
        add(org_id, day, "net", form, n)

    moves = (
        Transfer.objects.filter(
            status=Transfer.Status.DONE,
            in_at__gte=start,
            in_at__lt=end,
            in_at__date__gte=F("member__joined_at"),
        )
        .annotate(d=_day("in_at"))
        .values_list("from_org_id", "to_org_id", "d", "member__employment_form")
        .annotate(n=Count("id"))
        .order_by()
    )
    for from_id, to_id, day, form, n in moves:
        add(from_id, day, "xfer_out", "", n)
        add(from_id, day, "net", form, -n)
        add(to_id, day, "xfer_in", "", n)
        add(to_id, day, "net", form, n)


def _approvals(start, end, add):
    decided = (
        Enrollment.objects.filter(
            decided_at__gte=start,
            decided_at__lt=end,
            status__in=[Enrollment.Status.APPROVED, Enrollment.Status.REJECTED],
        )
        .annotate(d=_day("decided_at"), a=_day("arrived_at"))
        .values_list("org_id", "d", "a", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [(o, _as_date(d), _as_date(a), s, n) for o, d, a, s, n in decided]
    if not rows:
        return
    calendar = WorkCalendar(min(r[2] for r in rows), max(r[1] for r in rows))
    for org_id, day, arrived, status, n in rows:
        add(org_id, day, "enr_decided", status, n)
        wait = working_days_between(arrived, day, calendar=calendar) if day > arrived else 0
        add(org_id, day, "enr_wait", wait_bucket(wait), n)


def _cases(start, end, add):
    filed = (
        Case.objects.filter(created_at__gte=start, created_at__lt=end)
        .exclude(status=Case.Status.MERGED)
        .annotate(d=_day("created_at"))
        .values_list("org_id", "d", "category")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, day, category, n in filed:
        add(org_id, day, "case_filed", category, n)
    closed = (
        Case.objects.filter(resolved_at__gte=start, resolved_at__lt=end)
        .exclude(status=Case.Status.MERGED)
        .annotate(d=_day("resolved_at"))
        .values_list("org_id", "d", "resolved_on_time")
        .annotate(n=Count("id"), money=Sum("amount_recovered"))
        .order_by()
    )
    for org_id, day, on_time, n, money in closed:
        add(org_id, day, "case_closed", "ontime" if on_time else "late", n)
        add(org_id, day, "case_recovered", "", _fen(money))


def _service_orders(start, end, add):
    placed = (
        ServiceOrder.objects.filter(ordered_at__gte=start, ordered_at__lt=end)
        .annotate(d=_day("ordered_at"))
        .values_list("org_id", "d")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, day, n in placed:
        add(org_id, day, "order_placed", "", n)
    served = (
        ServiceOrder.objects.filter(served_at__gte=start, served_at__lt=end)
        .annotate(d=_day("served_at"))
        .values_list("org_id", "d")
        .annotate(n=Count("id"), people=Sum("attended_count"))
        .order_by()
    )
    for org_id, day, n, people in served:
        add(org_id, day, "order_served", "", n)
        add(org_id, day, "order_people", "", people or 0)


def _campaigns(start, end, add):
    issued = (
        Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
        .annotate(d=_day("created_at"))
        .values_list("campaign__org_id", "d", "campaign__kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, day, kind, n in issued:
        add(org_id, day, "ticket_issued", kind, n)
    redeemed = (
        Ticket.objects.filter(redeemed_at__gte=start, redeemed_at__lt=end, status=Ticket.Status.REDEEMED)
        .annotate(d=_day("redeemed_at"))
        .values_list("campaign__org_id", "d", "campaign__kind")
        .annotate(n=Count("id"), money=Sum("offer__face_value"))
        .order_by()
    )
    for org_id, day, kind, n, money in redeemed:
        add(org_id, day, "ticket_redeemed", kind, n)
        add(org_id, day, "ticket_money", kind, _fen(money))


def _stations(d0, d1, add):
    visits = (
        StationVisit.objects.filter(visited_on__gte=d0, visited_on__lte=d1)
        .values_list("station__org_id", "visited_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    for org_id, day, n in visits:
        add(org_id, day, "station_visit", "", n)


def _money(d0, d1, start, end, add):
    aid = (
        AidPayment.objects.filter(batch__status="paid", batch__paid_on__gte=d0, batch__paid_on__lte=d1)
        .values_list("application__org_id", "batch__paid_on", "batch__programme__kind")
        .annotate(n=Count("id"), money=Sum("amount"))
        .order_by()
    )
    for org_id, day, kind, n, money in aid:
        add(org_id, day, "aid_people", kind, n)
        add(org_id, day, "aid_paid", kind, _fen(money))
    funds = (
        FundApplication.objects.filter(
            Q(status=FundApplication.Status.PAID), paid_at__gte=start, paid_at__lt=end
        )
        .annotate(d=_day("paid_at"))
        .values_list("org_id", "d", "scheme__category")
        .annotate(n=Count("id"), money=Sum("approved_amount"))
        .order_by()
    )
    for org_id, day, category, n, money in funds:
        add(org_id, day, "fund_count", category, n)
        add(org_id, day, "fund_paid", category, _fen(money))
