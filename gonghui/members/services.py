"""Writes to the member registry (enrollment and the rest of the life-cycle arrive with the
membership issue); here: reveal of personal data, which is audited."""

from __future__ import annotations

from django.db import transaction

from gonghui.core.audit import audit_record
from gonghui.core.errors import DomainError, Forbidden
from gonghui.orgs.scope import may_reveal_pii, require_scope

from .models import Member

REVEALABLE = {"id_number": "身份证号", "phone": "手机号"}


def member_reveal(*, actor, member: Member, field: str, reason: str) -> str:
    """Show one full personal-data field to a permitted staff member; the reason is kept."""
    require_scope(actor, member.org)
    if field not in REVEALABLE:
        raise DomainError("不支持查看该字段", code="field_invalid", field="field")
    reason = (reason or "").strip()
    if len(reason) < 2:
        raise DomainError("请填写查看原因（至少2个字）", code="reason_required", field="reason")
    allowed = may_reveal_pii(actor, member.org)
    # Its own transaction, so a refused attempt stays on record although the call fails.
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="pii.reveal",
            obj=member,
            org=member.org,
            result="ok" if allowed else "denied",
            detail={"field": field, "reason": reason[:200]},
        )
    if not allowed:
        raise Forbidden("您没有查看完整个人信息的权限，请联系上级工会授权")
    return getattr(member, field)
