"""走访与协商 reads. Staff reads start from the actor's scoped union subtree (out of scope is a 404);
a worker sees only the opinions they raised themselves."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from gonghui.core.errors import NotFound
from gonghui.orgs.models import Staff
from gonghui.orgs.scope import path_q, scope_paths, scoped_orgs

from .models import (
    CheckItem,
    Commitment,
    Evidence,
    Forum,
    Measure,
    Meeting,
    MeetingKind,
    Opinion,
    Problem,
    Visit,
)

WRITE_ROLES = (Staff.Role.ADMIN, Staff.Role.HANDLER)
READ_ROLES = (*WRITE_ROLES, Staff.Role.AUDITOR, Staff.Role.OBSERVER)


def _scoped(qs: QuerySet, actor, roles=READ_ROLES, field: str = "org_path") -> QuerySet:
    paths = scope_paths(actor, roles) if actor is not None and actor.is_authenticated else []
    if not paths:
        return qs.none()
    return qs.filter(path_q(paths, field))


def acting_orgs(*, actor):
    """The unions the actor may record outreach for (their subtree, admin/handler posts)."""
    return scoped_orgs(actor, WRITE_ROLES)


# --- visits ------------------------------------------------------------------------------------------


def visits_in_scope(*, actor, roles=READ_ROLES) -> QuerySet[Visit]:
    return _scoped(Visit.objects.select_related("org"), actor, roles)


def visit_get(*, actor, visit_id, roles=READ_ROLES) -> Visit:
    visit = (
        visits_in_scope(actor=actor, roles=roles)
        .prefetch_related("items", "follow_ups", "opinions")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise NotFound()
    return visit


def items_in_scope(*, actor, roles=WRITE_ROLES) -> QuerySet[CheckItem]:
    return _scoped(CheckItem.objects.select_related("visit", "visit__org"), actor, roles, "visit__org_path")


def visit_totals(*, actor, year: int | None = None) -> dict:
    """The 义乌 figures: enterprises visited, rules advised and improved, problems found, cases opened."""
    visits = visits_in_scope(actor=actor)
    if year:
        visits = visits.filter(visited_on__year=year)
    sums = visits.aggregate(
        visits=Count("pk"),
        enterprises=Count("enterprise_name", distinct=True),
        advised=Sum("rules_advised"),
        improved=Sum("rules_improved"),
        disputes=Sum("disputes_solved"),
    )
    items = CheckItem.objects.filter(visit__in=visits.values("pk"), result=CheckItem.Result.PROBLEM)
    return {
        "visits": sums["visits"] or 0,
        "enterprises": sums["enterprises"] or 0,
        "rules_advised": sums["advised"] or 0,
        "rules_improved": sums["improved"] or 0,
        "disputes_solved": sums["disputes"] or 0,
        "problems": items.count(),
        "cases": items.filter(case_id__isnull=False).count(),
    }


def follow_ups_open(*, actor):
    from .models import FollowUp

    return (
        _scoped(FollowUp.objects.select_related("visit"), actor, READ_ROLES, "visit__org_path")
        .filter(done_on__isnull=True)
        .order_by("due_on", "pk")
    )


# --- opinions and the problem list ---------------------------------------------------------------------


def opinions_in_scope(*, actor, roles=READ_ROLES) -> QuerySet[Opinion]:
    return _scoped(Opinion.objects.select_related("problem", "org"), actor, roles)


def problems_in_scope(*, actor, roles=READ_ROLES) -> QuerySet[Problem]:
    return _scoped(Problem.objects.select_related("org"), actor, roles)


def problem_get(*, actor, problem_id, roles=READ_ROLES) -> Problem:
    problem = (
        problems_in_scope(actor=actor, roles=roles)
        .prefetch_related(
            Prefetch("measures", queryset=Measure.objects.select_related("owner_user")),
            "opinions",
        )
        .filter(pk=problem_id)
        .first()
    )
    if problem is None:
        raise NotFound()
    return problem


def problem_list(*, actor, status: str = "") -> QuerySet[Problem]:
    qs = problems_in_scope(actor=actor).annotate(
        n_opinions=Count("opinions", distinct=True),
        n_measures=Count("measures", distinct=True),
        n_done=Count("measures", filter=Q(measures__done_on__isnull=False), distinct=True),
    )
    if status in Problem.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("status", "due_on", "pk")


def funnel(*, actor) -> dict:
    """136 opinions → 8 problems → 15 measures → 52 solved, counted in the actor's subtree."""
    opinions = opinions_in_scope(actor=actor)
    problems = problems_in_scope(actor=actor)
    return {
        "opinions": opinions.count(),
        "problems": problems.count(),
        "measures": Measure.objects.filter(problem__in=problems.values("pk")).count(),
        "solved": opinions.filter(resolved_on__isnull=False).count(),
        "closed_problems": problems.filter(status=Problem.Status.CLOSED).count(),
    }


def opinions_of_worker(*, user) -> QuerySet[Opinion]:
    """What a worker raised and what became of it — their own opinions only."""
    if user is None or not user.is_authenticated:
        return Opinion.objects.none()
    return (
        Opinion.objects.filter(raiser=user)
        .select_related("problem", "org")
        .prefetch_related(
            Prefetch("problem__measures", queryset=Measure.objects.filter(done_on__isnull=False))
        )
        .order_by("-created_at", "-pk")
    )


# --- collective consultation ---------------------------------------------------------------------------


def forums_in_scope(*, actor, roles=READ_ROLES) -> QuerySet[Forum]:
    return _scoped(Forum.objects.select_related("org"), actor, roles)


def forum_get(*, actor, forum_id, roles=READ_ROLES) -> Forum:
    forum = forums_in_scope(actor=actor, roles=roles).filter(pk=forum_id).first()
    if forum is None:
        raise NotFound()
    return forum


def meetings_in_scope(*, actor, roles=READ_ROLES) -> QuerySet[Meeting]:
    return _scoped(Meeting.objects.select_related("forum", "forum__org"), actor, roles, "forum__org_path")


def meeting_get(*, actor, meeting_id, roles=READ_ROLES) -> Meeting:
    meeting = (
        meetings_in_scope(actor=actor, roles=roles)
        .prefetch_related("participants", "agreements__commitments", "opinions")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise NotFound()
    return meeting


def commitments_in_scope(*, actor, roles=WRITE_ROLES) -> QuerySet[Commitment]:
    return _scoped(
        Commitment.objects.select_related("agreement", "agreement__forum", "agreement__forum__org"),
        actor,
        roles,
        "agreement__forum__org_path",
    )


def year_status(forum: Forum, year: int) -> dict:
    """How far the forum is with its yearly minimum of 协商协调会 (scheduled or held, not cancelled)."""
    meetings = forum.meetings.filter(scheduled_on__year=year, kind=MeetingKind.COORDINATION).exclude(
        status=Meeting.Status.CANCELLED
    )
    planned = meetings.count()
    held = meetings.filter(status=Meeting.Status.HELD).count()
    return {
        "year": year,
        "minimum": forum.min_per_year,
        "planned": planned,
        "held": held,
        "short": max(forum.min_per_year - planned, 0),
    }


def forums_with_year(*, actor, year: int) -> list[tuple[Forum, dict]]:
    """The actor's forums, each with year_status's figures, in one query (list pages)."""
    counted = Q(meetings__scheduled_on__year=year, meetings__kind=MeetingKind.COORDINATION) & ~Q(
        meetings__status=Meeting.Status.CANCELLED
    )
    forums = (
        forums_in_scope(actor=actor)
        .annotate(
            n_planned=Count("meetings", filter=counted),
            n_held=Count("meetings", filter=counted & Q(meetings__status=Meeting.Status.HELD)),
        )
        .order_by("org_path", "pk")
    )
    return [
        (
            f,
            {
                "year": year,
                "minimum": f.min_per_year,
                "planned": f.n_planned,
                "held": f.n_held,
                "short": max(f.min_per_year - f.n_planned, 0),
            },
        )
        for f in forums[:100]
    ]


def forum_calendar(forum: Forum, year: int) -> list[Meeting]:
    return list(
        forum.meetings.filter(scheduled_on__year=year)
        .annotate(n_participants=Count("participants"))
        .order_by("scheduled_on", "pk")
    )


def commitments_followup(forum: Forum, today: dt.date | None = None) -> dict:
    """Each commitment with its latest evidence and whether it has been followed up since the last
    meeting held; the next scheduled meeting is the day by which the open ones need evidence."""
    today = today or timezone.localdate()
    last_held = forum.meetings.filter(status=Meeting.Status.HELD, scheduled_on__lte=today).aggregate(
        d=Max("scheduled_on")
    )["d"]
    next_meeting = (
        forum.meetings.filter(status=Meeting.Status.SCHEDULED, scheduled_on__gte=today)
        .order_by("scheduled_on")
        .first()
    )
    rows = []
    commitments = (
        Commitment.objects.filter(agreement__forum=forum)
        .select_related("agreement")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("recorded_by")))
        .order_by("-agreement__signed_on", "agreement_id", "number")
    )
    for c in commitments:
        evidence = list(c.evidence.all())
        latest = evidence[0] if evidence else None
        since = [e for e in evidence if last_held is None or e.checked_on >= last_held]
        rows.append(
            {
                "commitment": c,
                "latest": latest,
                "evidence": evidence,
                "followed_since_meeting": bool(since),
                "needs_followup": c.status != Commitment.Status.KEPT and not since,
            }
        )
    return {"rows": rows, "last_held": last_held, "next_meeting": next_meeting}
