"""The scope policy: one place that answers "may this actor act on this org node?".

A staff position on a node covers that node and everything below it. Every selector starts
from these querysets, so what an actor may not see is simply not found (404)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from gonghui.core.errors import NotFound

from .models import ALPHABET, STEP, Org, Staff


def _positions(user, roles: Iterable[str] | None):
    if user is None or not user.is_authenticated:
        return Staff.objects.none()
    qs = Staff.objects.filter(user=user, is_active=True, org__is_active=True)
    if roles is not None:
        qs = qs.filter(role__in=list(roles))
    return qs


def scope_paths(user, roles: Iterable[str] | None = None) -> list[str]:
    """The minimal set of subtree roots the user holds (nested grants collapse)."""
    cache_key = ("_scope_paths", tuple(sorted(roles)) if roles is not None else None)
    cache = user.__dict__.setdefault("_scope_cache", {}) if user is not None else {}
    if cache_key in cache:
        return cache[cache_key]
    wanted = None if roles is None else set(roles)
    paths = sorted({path for role, path in _posts(user, cache) if wanted is None or role in wanted})
    roots: list[str] = []
    for path in paths:
        if not any(path.startswith(root) for root in roots):
            roots.append(path)
    cache[cache_key] = roots
    return roots


def _posts(user, cache: dict) -> list[tuple[str, str]]:
    """(role, org path) of every active post of the user: one query per request user, whatever the roles asked."""
    if "_posts" not in cache:
        cache["_posts"] = list(_positions(user, None).values_list("role", "org__path"))
    return cache["_posts"]


def roles_held(user) -> frozenset[str]:
    """Every role the user holds anywhere (active posts on active unions) — for menus, not for access."""
    cache = user.__dict__.setdefault("_scope_cache", {}) if user is not None else {}
    return frozenset(role for role, _ in _posts(user, cache))


def path_successor(path: str) -> str:
    """The next path of the same length: [path, successor) is exactly path's subtree.

    Paths use only 0-9A-Z, which sort the same way under byte order and under the usual
    PostgreSQL collations, so the range needs no special collation."""
    chars = list(path)
    for i in range(len(chars) - 1, -1, -1):
        pos = ALPHABET.index(chars[i])
        if pos + 1 < len(ALPHABET):
            chars[i] = ALPHABET[pos + 1]
            return "".join(chars)
        chars[i] = ALPHABET[0]
    return "\U0010ffff"


def subtree_q(path: str, field: str = "path") -> Q:
    """A range rather than LIKE 'p%': it uses the plain b-tree index on SQLite and PostgreSQL alike."""
    return Q(**{f"{field}__gte": path, f"{field}__lt": path_successor(path)})


def path_q(paths: list[str], field: str = "path") -> Q:
    """Q matching rows whose `field` lies in any of the subtrees; matches nothing when empty."""
    if not paths:
        return Q(pk__in=[])
    return reduce(or_, (subtree_q(p, field) for p in paths))


def scoped_orgs(user, roles: Iterable[str] | None = None) -> QuerySet[Org]:
    return Org.objects.filter(path_q(scope_paths(user, roles)))


def in_scope(user, org: Org, roles: Iterable[str] | None = None) -> bool:
    return any(org.path.startswith(root) for root in scope_paths(user, roles))


def require_scope(user, org: Org, roles: Iterable[str] | None = None) -> Org:
    """Fails closed with a 404, the same answer as for an org that does not exist."""
    if org is None or not in_scope(user, org, roles):
        raise NotFound()
    return org


def is_staff_member(user) -> bool:
    return bool(scope_paths(user))


def roles_on(user, org: Org) -> set[str]:
    """Roles the user holds on this node or any ancestor of it."""
    ancestors = [org.path[:i] for i in range(STEP, len(org.path) + 1, STEP)]
    return set(_positions(user, None).filter(org__path__in=ancestors).values_list("role", flat=True))


def may_reveal_pii(user, org: Org) -> bool:
    ancestors = [org.path[:i] for i in range(STEP, len(org.path) + 1, STEP)]
    return _positions(user, None).filter(org__path__in=ancestors, can_reveal_pii=True).exists()
