"""Reads for 诉求工单. Staff see a case only when they sit in its handling chain — on the handling
union or a union above it (supervisors, auditors included) — or are its assigned lawyer. A sibling
union, or a union below the handler (often the employer's own union), simply does not find it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Avg, Count, Q, QuerySet, Sum

from gonghui.core.errors import NotFound
from gonghui.orgs.models import Org, Staff
from gonghui.orgs.scope import in_scope, path_q, scope_paths

from .models import OPEN_STATUSES, Case, CaseStep
from .services import ACT_ROLES, READ_ROLES, chain_positions


def staff_cases(*, actor) -> QuerySet[Case]:
    if actor is None or not actor.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(path_q(scope_paths(actor, READ_ROLES), "org_path") | Q(lawyer=actor))


def case_get_for_staff(*, actor, case_id: int) -> Case:
    case = (
        staff_cases(actor=actor)
        .select_related(
            "org", "supervising_org", "handler", "lawyer", "filer", "workplace_township", "merged_into"
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise NotFound()
    return case


def may_act(actor, case: Case) -> bool:
    return in_scope(actor, case.org, ACT_ROLES)


def worker_cases(*, actor) -> QuerySet[Case]:
    if actor is None or not actor.is_authenticated:
        return Case.objects.none()
    return Case.objects.filter(filer=actor).select_related("org")


def case_get_for_worker(*, actor, case_id: int) -> Case:
    case = worker_cases(actor=actor).filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


def region_label(code: str) -> str:
    """The territorial union's place name for a region code ("柳林县"), or the code itself."""
    org = (
        Org.objects.filter(region_code=code, kind__in=[Org.Kind.COUNTY, Org.Kind.CITY])
        .order_by("path")
        .first()
    )
    return org.name.replace("总工会", "") if org else code


def worker_timeline(case: Case) -> QuerySet[CaseStep]:
    """What the worker sees: their own case's visible steps, and the merged case's after a merge."""
    scope = Q(case=case)
    if case.merged_into_id:
        merged_at = (
            CaseStep.objects.filter(case=case, kind=CaseStep.Kind.MERGED)
            .values_list("created_at", flat=True)
            .first()
        )
        # Only what happens after the merge: the other claimants' filing stays theirs.
        scope |= Q(case_id=case.merged_into_id, created_at__gte=merged_at) if merged_at else Q()
    return (
        CaseStep.objects.filter(scope, visible_to_worker=True)
        .exclude(kind__in=[CaseStep.Kind.NOTE, CaseStep.Kind.ESCALATED])
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


def staff_timeline(case: Case) -> QuerySet[CaseStep]:
    return CaseStep.objects.filter(case=case).select_related("org").prefetch_related("attachments")


INBOX_VIEWS = {
    "mine": "我经办的",
    "todo": "待受理",
    "open": "办理中",
    "overdue": "已超期",
    "supervised": "我督办的",
    "done": "已办结",
    "all": "全部",
}


def inbox(*, actor, view: str = "mine", category: str = "", q: str = "") -> QuerySet[Case]:
    qs = staff_cases(actor=actor).select_related("org", "handler")
    if view == "mine":
        qs = qs.filter(Q(handler=actor) | Q(lawyer=actor), status__in=OPEN_STATUSES)
    elif view == "todo":
        qs = qs.filter(status=Case.Status.SUBMITTED)
    elif view == "open":
        qs = qs.filter(status__in=[Case.Status.ACCEPTED, Case.Status.IN_PROGRESS])
    elif view == "overdue":
        qs = qs.filter(overdue=True, status__in=OPEN_STATUSES)
    elif view == "supervised":
        roots = scope_paths(actor, READ_ROLES)
        qs = qs.filter(supervising_org__in=Org.objects.filter(path_q(roots)))
    elif view == "done":
        qs = qs.filter(status__in=[Case.Status.RESOLVED, Case.Status.RATED, Case.Status.ARCHIVED])
    if category in Case.Category.values:
        qs = qs.filter(category=category)
    q = (q or "").strip()
    if q:
        qs = qs.filter(Q(number__startswith=q) | Q(employer_name__contains=q) | Q(title__contains=q))
    return qs.order_by("-overdue", "-created_at", "-id")


def handler_choices(case: Case) -> QuerySet[Staff]:
    return chain_positions(case, ACT_ROLES).order_by("-org__path", "user__name")


def lawyer_choices(case: Case) -> QuerySet[Staff]:
    return chain_positions(case, [Staff.Role.EXPERT]).order_by("user__name")


def merge_candidates(*, actor, case: Case) -> QuerySet[Case]:
    """Open cases against the same employer that the actor may also act on."""
    same = Q(employer_key=case.employer_key) if case.employer_key else Q(pk__in=[])
    if case.employer_credit_code:
        same |= Q(employer_credit_code=case.employer_credit_code)
    return (
        staff_cases(actor=actor)
        .filter(same, status__in=OPEN_STATUSES)
        .filter(path_q(scope_paths(actor, ACT_ROLES), "org_path"))
        .exclude(pk=case.pk)
    )


def transfer_targets(*, actor, case: Case) -> QuerySet[Org]:
    return (
        Org.objects.filter(
            path_q(scope_paths(actor, ACT_ROLES)),
            is_active=True,
            kind__in=[Org.Kind.COUNTY, Org.Kind.TOWNSHIP, Org.Kind.CITY, Org.Kind.JOINT, Org.Kind.INDUSTRY],
        )
        .exclude(pk=case.org_id)
        .order_by("path")[:300]
    )


def case_stats(*, actor, date_from: dt.date | None = None, date_to: dt.date | None = None) -> dict:
    qs = staff_cases(actor=actor).exclude(status=Case.Status.MERGED)
    if date_from:
        qs = qs.filter(created_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(created_at__date__lte=date_to)
    labels = dict(Case.Category.choices)
    by_category = [
        {"key": r["category"], "name": labels.get(r["category"], r["category"]), "value": r["n"]}
        for r in qs.values("category").annotate(n=Count("id")).order_by("-n")
    ]
    by_org = list(
        qs.values("org__name").annotate(n=Count("id"), recovered=Sum("amount_recovered")).order_by("-n")[:15]
    )
    closed = qs.filter(resolved_on_time__isnull=False)
    totals = qs.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, overdue=True)),
        claimed=Sum("amount_claimed", filter=Q(category="wages")),
        recovered=Sum("amount_recovered"),
        avg_rating=Avg("rating"),
        rated=Count("rating"),
    )
    closed_n = closed.count()
    on_time = closed.filter(resolved_on_time=True).count()
    outcomes = dict(Case.Outcome.choices)
    by_outcome = [
        {"name": outcomes.get(r["outcome"], r["outcome"]), "value": r["n"]}
        for r in qs.exclude(outcome="").values("outcome").annotate(n=Count("id")).order_by("outcome")
    ]
    ratings = {
        r["rating"]: r["n"] for r in qs.filter(rating__isnull=False).values("rating").annotate(n=Count("id"))
    }
    return {
        "total": totals["total"],
        "open": totals["open"],
        "overdue": totals["overdue"],
        "closed": closed_n,
        "on_time": on_time,
        "on_time_rate": round(on_time * 100 / closed_n, 1) if closed_n else None,
        "claimed": str((totals["claimed"] or Decimal("0")).quantize(Decimal("0.01"))),
        "recovered": str((totals["recovered"] or Decimal("0")).quantize(Decimal("0.01"))),
        "satisfaction": round(float(totals["avg_rating"]), 2) if totals["avg_rating"] is not None else None,
        "rated": totals["rated"],
        "by_category": by_category,
        "by_org": [
            {"name": r["org__name"], "value": r["n"], "recovered": str(r["recovered"] or 0)} for r in by_org
        ],
        "by_outcome": by_outcome,
        "by_rating": [{"name": f"{i} 星", "value": ratings.get(i, 0)} for i in range(1, 6)],
    }
