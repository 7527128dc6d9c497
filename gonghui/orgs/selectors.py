"""Reads of the union tree, always through the actor's scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gonghui.core.errors import NotFound

from .models import Org, Staff
from .scope import path_q, scope_paths, scoped_orgs, subtree_q


def org_get(*, actor, org_id, roles=None) -> Org:
    try:
        return scoped_orgs(actor, roles).get(pk=int(org_id))
    except (Org.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def org_roots(*, actor) -> QuerySet[Org]:
    return Org.objects.filter(path__in=scope_paths(actor)).order_by("path")


def org_children(*, actor, org: Org) -> QuerySet[Org]:
    return scoped_orgs(actor).filter(parent=org).order_by("path")


def org_list(*, actor, parent_id=None, q: str = "", kind: str = "") -> QuerySet[Org]:
    qs = scoped_orgs(actor)
    if parent_id:
        qs = qs.filter(parent_id=org_get(actor=actor, org_id=parent_id).pk)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("path")


def org_ancestors(org: Org) -> list[Org]:
    step = len(org.path) // org.depth if org.depth else len(org.path)
    paths = [org.path[:i] for i in range(step, len(org.path), step)]
    return list(Org.objects.filter(path__in=paths).order_by("path"))


def visible_ancestors(*, actor, org: Org) -> list[Org]:
    """Breadcrumbs stop at the top of the actor's scope: parents above it stay invisible."""
    roots = scope_paths(actor)
    return [a for a in org_ancestors(org) if any(a.path.startswith(r) for r in roots)]


def subtree_counts(orgs: list[Org]) -> dict[int, dict[str, int]]:
    """Sub-org and member counts for each node's whole subtree: two index range counts per node."""
    from gonghui.members.models import Member

    result = {o.pk: {"orgs": 0, "members": 0} for o in orgs}
    if not orgs:
        return result
    for org in orgs:
        result[org.pk]["orgs"] = Org.objects.filter(subtree_q(org.path)).count() - 1
        result[org.pk]["members"] = Member.objects.filter(
            subtree_q(org.path, "org_path"), status=Member.Status.ACTIVE
        ).count()
    return result


def staff_for_org(*, actor, org: Org) -> QuerySet[Staff]:
    return Staff.objects.filter(org=org, is_active=True).select_related("user").order_by("role", "id")


def staff_in_scope(*, actor) -> QuerySet[Staff]:
    return Staff.objects.filter(path_q(scope_paths(actor), "org__path"), is_active=True).select_related("user", "org")
