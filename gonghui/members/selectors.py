"""Reads of the member registry, always inside the actor's scope."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from gonghui.accounts.models import phone_index
from gonghui.core.errors import NotFound
from gonghui.core.validators import normalize_mobile, parse_id_number
from gonghui.orgs.scope import path_q, scope_paths

from .models import Member, id_index


def members_in_scope(*, actor) -> QuerySet[Member]:
    return Member.objects.filter(path_q(scope_paths(actor), "org_path"))


def is_personal_number(q: str) -> bool:
    """A complete 身份证号 or mobile number: searched by blind index, never put into a URL."""
    for check in (parse_id_number, normalize_mobile):
        try:
            check((q or "").strip())
        except ValidationError:
            continue
        return True
    return False


def member_search(
    *, actor, q: str = "", org_path: str = "", status: str = "", occupation: str = ""
) -> QuerySet[Member]:
    qs = members_in_scope(actor=actor).select_related("org")
    q = (q or "").strip()
    if q:
        # Exact matches on the encrypted fields go through their blind indexes.
        try:
            qs = qs.filter(id_index=id_index(parse_id_number(q).value))
        except ValidationError:
            try:
                qs = qs.filter(phone_index=phone_index(normalize_mobile(q)))
            except ValidationError:
                qs = qs.filter(Q(member_no=q) | Q(name__startswith=q))
    if org_path:
        qs = qs.filter(path_q([org_path], "org_path"))
    if status:
        qs = qs.filter(status=status)
    if occupation:
        qs = qs.filter(occupation=occupation)
    return qs.order_by("-joined_at", "-id")


def member_get(*, actor, member_id) -> Member:
    try:
        return members_in_scope(actor=actor).select_related("org").get(pk=int(member_id))
    except (Member.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
