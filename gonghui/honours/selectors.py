"""Reads of 劳模工匠; staff reads start from the actor's scoped subtree (out of scope = 404)."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from gonghui.core.errors import NotFound
from gonghui.members.models import Member
from gonghui.orgs.scope import path_q, scope_paths

from .models import Agreement, Honour, Selection, TechProblem


def honours_for_user(user) -> QuerySet[Honour]:
    """The worker's own honours (their phone page)."""
    member = Member.objects.filter(user=user).first() if getattr(user, "pk", None) else None
    if member is None:
        return Honour.objects.none()
    return Honour.objects.filter(member=member).order_by("-year", "-id")


def honours_in_scope(user, *, q: str = "", level: str = "", year: int | None = None) -> QuerySet[Honour]:
    paths = scope_paths(user)
    if not paths:
        return Honour.objects.none()
    qs = Honour.objects.filter(path_q(paths, "org_path")).select_related("member", "collective", "org")
    if q:
        qs = qs.filter(title__icontains=q) | qs.filter(member__name=q)
    if level:
        qs = qs.filter(level=level)
    if year:
        qs = qs.filter(year=year)
    return qs.order_by("-year", "-id")


def selections_in_scope(user) -> QuerySet[Selection]:
    paths = scope_paths(user)
    if not paths:
        return Selection.objects.none()
    return Selection.objects.filter(path_q(paths, "org_path")).select_related("org")


def selection_get(user, selection_id) -> Selection:
    try:
        return selections_in_scope(user).get(pk=int(selection_id))
    except (Selection.DoesNotExist, TypeError, ValueError):
        raise NotFound("未找到该评选") from None


def agreements_in_scope(user) -> QuerySet[Agreement]:
    paths = scope_paths(user)
    if not paths:
        return Agreement.objects.none()
    return Agreement.objects.filter(path_q(paths, "org_path")).select_related("master")


def problems_in_scope(user) -> QuerySet[TechProblem]:
    paths = scope_paths(user)
    if not paths:
        return TechProblem.objects.none()
    return TechProblem.objects.filter(path_q(paths, "org_path"))


def problem_counts(user) -> dict[str, int]:
    """Solved problems by category, like the seeds quote (43 in one group: 电气设备, 设施, 焊接 ...)."""
    rows = (
        problems_in_scope(user)
        .filter(status=TechProblem.Status.SOLVED)
        .values("category")
        .annotate(n=Count("id"))
    )
    labels = dict(TechProblem.Category.choices)
    return {labels[r["category"]]: r["n"] for r in rows}
