"""What each day's figures are, computed from the source rows of every feature app.

`fact_pieces(d0, d1)` is the OWN-node figures of each union over d0..d1 as querysets the database groups
(one per metric: columns k_org, k_dim, k_val), which stats.rollup glues into one UNION ALL and sums — into
OwnFact with INSERT … SELECT on a rebuild, or read back on the nightly run; `approval_facts(d0, d1)` is the
one figure counted in Python (approval waits in working days need the holiday calendar). Both are pure reads
of the rows as they stand now: the same rows give the same facts, whenever they run, so a month can be
recomputed at any time (a transfer today does not change how yesterday's joins are counted: a
member's union on a past day comes from the transfer history, not from where the member is now).

Stats sits above the feature apps (floor 4, beside the shell): it reads their models, it never writes them.
Definitions shown to users live in `definitions.py`; keep the two in step."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models import Case as CaseWhen
from django.db.models.functions import Cast, Coalesce, Round, TruncDate
from django.utils import timezone

from gonghui.aid.models import Payment as AidPayment
from gonghui.campaigns.models import Ticket
from gonghui.cases.models import Case
from gonghui.core.workdays import WorkCalendar, working_days_between
from gonghui.funds.models import FundApplication
from gonghui.members.models import Enrollment, Member, StatusChange, Transfer
from gonghui.service_orders.models import ServiceOrder
from gonghui.stations.models import StationVisit

Key = tuple[int, str, str]  # (org_id, metric, dim)
Piece = tuple[str, QuerySet]  # (metric, queryset of k_org, k_dim, k_val)

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


def _dim(expr) -> Coalesce:
    if isinstance(expr, str):
        expr = F(expr)
    return Coalesce(Cast(expr, CharField()), Value(""), output_field=CharField())


def _grouped(qs: QuerySet, org, dim, value) -> QuerySet:
    """qs grouped by (union, dimension) in the database: the columns k_org, k_dim, k_val."""
    org = F(org) if isinstance(org, str) else org
    return (
        qs.annotate(k_org=org, k_dim=_dim(dim) if dim is not None else Value("", output_field=CharField()))
        .values("k_org", "k_dim")
        .annotate(k_val=value)
        .order_by()
    )


def _fen_sum(field: str):
    """Money summed in the database, as whole fen (amounts have two decimals)."""
    return Cast(Round(Sum(field) * Value(100)), BigIntegerField())


N = Count("id")
MINUS_N = Value(0) - Count("id")


def fact_pieces(d0: dt.date, d1: dt.date) -> list[Piece]:
    start, end = _bounds(d0, d1)
    return [
        *_members(d0, d1, start, end),
        *_cases(start, end),
        *_service_orders(start, end),
        *_campaigns(start, end),
        *_stations(d0, d1),
        *_money(d0, d1, start, end),
    ]


def _members(d0, d1, start, end) -> list[Piece]:
    # Joins: counted at the union joined (before any transfer of this membership), on joined_at.
    joined = Member.objects.filter(joined_at__gte=d0, joined_at__lte=d1)
    at_join = Coalesce(
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
    pieces = [
        ("join", _grouped(joined, at_join, "source", N)),
        ("join_occ", _grouped(joined, at_join, "occupation", N)),
        ("join_form", _grouped(joined, at_join, "employment_form", N)),
        ("net", _grouped(joined, at_join, "employment_form", N)),
    ]

    # Leaving and coming back: a status change between holding and leaving statuses. Changes before the
    # member's current joined_at belong to an earlier membership whose join a re-join overwrote: skipped.
    changes = StatusChange.objects.filter(at__gte=start, at__lt=end, at__date__gte=F("member__joined_at"))
    then = _org_then("member_id", "at", "member__org_id", strict=True)
    leaves = changes.filter(from_status__in=HOLDING, to_status__in=LEAVING)
    returns = changes.filter(from_status__in=LEAVING, to_status__in=HOLDING)
    pieces += [
        ("leave", _grouped(leaves, then, "to_status", N)),
        ("net", _grouped(leaves, then, "member__employment_form", MINUS_N)),
        ("return", _grouped(returns, then, None, N)),
        ("net", _grouped(returns, then, "member__employment_form", N)),
    ]

    moves = Transfer.objects.filter(
        status=Transfer.Status.DONE,
        in_at__gte=start,
        in_at__lt=end,
        in_at__date__gte=F("member__joined_at"),
    )
    pieces += [
        ("xfer_out", _grouped(moves, "from_org_id", None, N)),
        ("net", _grouped(moves, "from_org_id", "member__employment_form", MINUS_N)),
        ("xfer_in", _grouped(moves, "to_org_id", None, N)),
        ("net", _grouped(moves, "to_org_id", "member__employment_form", N)),
    ]
    return pieces


def approval_facts(d0: dt.date, d1: dt.date) -> dict[Key, int]:
    """Approvals decided in d0..d1 and their waits in working days (the holiday calendar is Python's)."""
    start, end = _bounds(d0, d1)
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
    out: dict[Key, int] = defaultdict(int)
    if not rows:
        return out
    calendar = WorkCalendar(min(r[2] for r in rows), max(r[1] for r in rows))
    for org_id, day, arrived, status, n in rows:
        out[(org_id, "enr_decided", str(status))] += n
        wait = working_days_between(arrived, day, calendar=calendar) if day > arrived else 0
        out[(org_id, "enr_wait", wait_bucket(wait))] += n
    return out


def _cases(start, end) -> list[Piece]:
    filed = Case.objects.filter(created_at__gte=start, created_at__lt=end).exclude(status=Case.Status.MERGED)
    closed = Case.objects.filter(resolved_at__gte=start, resolved_at__lt=end).exclude(
        status=Case.Status.MERGED
    )
    on_time = CaseWhen(When(resolved_on_time=True, then=Value("ontime")), default=Value("late"))
    return [
        ("case_filed", _grouped(filed, "org_id", "category", N)),
        ("case_closed", _grouped(closed, "org_id", on_time, N)),
        ("case_recovered", _grouped(closed, "org_id", None, _fen_sum("amount_recovered"))),
    ]


def _service_orders(start, end) -> list[Piece]:
    placed = ServiceOrder.objects.filter(ordered_at__gte=start, ordered_at__lt=end)
    served = ServiceOrder.objects.filter(served_at__gte=start, served_at__lt=end)
    return [
        ("order_placed", _grouped(placed, "org_id", None, N)),
        ("order_served", _grouped(served, "org_id", None, N)),
        ("order_people", _grouped(served, "org_id", None, Coalesce(Sum("attended_count"), Value(0)))),
    ]


def _campaigns(start, end) -> list[Piece]:
    issued = Ticket.objects.filter(created_at__gte=start, created_at__lt=end)
    redeemed = Ticket.objects.filter(
        redeemed_at__gte=start, redeemed_at__lt=end, status=Ticket.Status.REDEEMED
    )
    return [
        ("ticket_issued", _grouped(issued, "campaign__org_id", "campaign__kind", N)),
        ("ticket_redeemed", _grouped(redeemed, "campaign__org_id", "campaign__kind", N)),
        (
            "ticket_money",
            _grouped(redeemed, "campaign__org_id", "campaign__kind", _fen_sum("offer__face_value")),
        ),
    ]


def _stations(d0, d1) -> list[Piece]:
    visits = StationVisit.objects.filter(visited_on__gte=d0, visited_on__lte=d1)
    return [("station_visit", _grouped(visits, "station__org_id", None, N))]


def _money(d0, d1, start, end) -> list[Piece]:
    aid = AidPayment.objects.filter(batch__status="paid", batch__paid_on__gte=d0, batch__paid_on__lte=d1)
    funds = FundApplication.objects.filter(
        Q(status=FundApplication.Status.PAID), paid_at__gte=start, paid_at__lt=end
    )
    return [
        ("aid_people", _grouped(aid, "application__org_id", "batch__programme__kind", N)),
        ("aid_paid", _grouped(aid, "application__org_id", "batch__programme__kind", _fen_sum("amount"))),
        ("fund_count", _grouped(funds, "org_id", "scheme__category", N)),
        ("fund_paid", _grouped(funds, "org_id", "scheme__category", _fen_sum("approved_amount"))),
    ]
