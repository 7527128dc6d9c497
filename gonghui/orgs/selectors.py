"""Reads of the union tree, always through the actor's scope."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from gonghui.core.errors import NotFound

from .models import STEP, Org, Staff
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


def _common_prefix(paths: list[str]) -> str:
    # The common prefix of the smallest and largest string is that of all of them.
    low, high = min(paths), max(paths)
    n = 0
    while n < len(low) and low[n] == high[n]:
        n += 1
    return low[:n]


# What feature apps count in a subtree (key, queryset factory, path field): members adds its active members
# from its AppConfig.ready, so the tree pages show them without orgs importing a floor above it.
SUBTREE_COUNTERS: dict[str, tuple[Callable[[], QuerySet], str]] = {}


def subtree_counter_register(key: str, queryset: Callable[[], QuerySet], field: str) -> None:
    SUBTREE_COUNTERS[key] = (queryset, field)


def subtree_counts(orgs: list[Org]) -> dict[int, dict[str, int]]:
    """Sub-org counts and each registered count (members, …) for each node's whole subtree.

    One grouped query per count per distinct depth (a tree level is one depth), not one per node: the
    children of a county with 200 unions are two queries, not 400."""
    counters = [("orgs", Org.objects.all(), "path")]
    counters += [(key, queryset(), field) for key, (queryset, field) in SUBTREE_COUNTERS.items()]
    result = {o.pk: dict.fromkeys((key for key, _, _ in counters), 0) for o in orgs}
    by_length: dict[int, dict[str, int]] = defaultdict(dict)
    for org in orgs:
        by_length[len(org.path)][org.path] = org.pk
    for length, pks in by_length.items():
        common = _common_prefix(list(pks))
        for key, queryset, field in counters:
            rows = (
                queryset.filter(subtree_q(common, field))
                .annotate(root=Substr(field, 1, length))
                .filter(root__in=list(pks))
                .values("root")
                .annotate(n=Count("pk"))
                .values_list("root", "n")
            )
            for root, n in rows:
                # A node's own row is in its subtree range; it is not its own sub-org.
                result[pks[root]][key] = n - 1 if key == "orgs" else n
    return result


def staff_for_org(*, actor, org: Org) -> QuerySet[Staff]:
    return Staff.objects.filter(org=org, is_active=True).select_related("user").order_by("role", "id")


def staff_in_scope(*, actor) -> QuerySet[Staff]:
    return Staff.objects.filter(path_q(scope_paths(actor), "org__path"), is_active=True).select_related(
        "user", "org"
    )


# --- which staff hold which roles: the one query every app asks -------------------------------------------


def staff_holding(
    *, roles: Iterable[str], org: Org | None = None, org_ids: Iterable[int] = (), reach: str = "here"
) -> QuerySet[Staff]:
    """Active positions of active people holding one of `roles`.

    reach="here"     on `org` (or on any of `org_ids`) itself;
    reach="chain"    on `org` or any union above it (who may act on a case handled by `org`);
    reach="nearest"  on `org`, or else on the nearest union above it that has any (so nothing lands unread)."""
    if reach not in {"here", "chain", "nearest"}:
        raise ValueError(f"unknown reach {reach!r}")
    qs = Staff.objects.filter(role__in=list(roles), is_active=True, user__is_active=True).select_related(
        "user", "org"
    )
    if reach == "here":
        ids = [org.pk] if org is not None else list(org_ids)
        return qs.filter(org_id__in=ids)
    chain = [org.path[:i] for i in range(STEP, len(org.path) + 1, STEP)]
    qs = qs.filter(org__path__in=chain)
    if reach == "nearest":
        nearest = qs.order_by("-org__path").values_list("org__path", flat=True).first()
        qs = qs.filter(org__path=nearest) if nearest else qs.none()
    return qs


def staff_users(**kwargs) -> list:
    """The people behind staff_holding(**kwargs), each once, in a stable order."""
    users = {}
    for position in staff_holding(**kwargs).order_by("org__path", "id"):
        users.setdefault(position.user_id, position.user)
    return list(users.values())
